"""Alignment turns a model's text into edits that reproduce it exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.align import align
from pipelines.edits import apply_edits

PIECES = ["the", "cat", "sat", "exampel", "example", "This", "is", "are", "a", "an", " ", "  ", "\n", ",", ".", "'", "😀", "é", "naïve", "don't"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@st.composite
def source_and_target(draw):
    source = draw(st.lists(st.sampled_from(PIECES), max_size=30))
    target = list(source)
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        at = draw(st.integers(0, len(target)))
        if action == "insert":
            target.insert(at, draw(st.sampled_from(PIECES)))
        elif target and at < len(target):
            if action == "delete":
                del target[at]
            else:
                target[at] = draw(st.sampled_from(PIECES))
    return "".join(source), "".join(target)


@settings(max_examples=400, deadline=None)
@given(source_and_target())
def test_applying_the_edits_gives_exactly_the_models_text(pair):
    source, target = pair
    edits = align(source, target, "t5")
    assert apply_edits(source, edits) == target
    for edit in edits:
        assert source[edit.offset : edit.offset + edit.length] == edit.original
        assert edit.length >= 1 or source == ""
        assert edit.engine == "t5" and edit.rule.startswith("T5_")
    for before, after in zip(edits, edits[1:]):
        assert before.offset + before.length <= after.offset


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_any_two_texts_align(source, target):
    assert apply_edits(source, align(source, target, "gemini")) == target


def test_the_readme_example_gives_three_word_edits():
    edits = align("This are a exampel sentence.", "This is an example sentence.", "t5")
    assert [(e.offset, e.length, e.original, e.replacement, e.category) for e in edits] == [
        (5, 3, "are", "is", "grammar"),
        (9, 1, "a", "an", "grammar"),
        (11, 7, "exampel", "example", "spelling"),
    ]
    assert "example" in edits[2].message


def test_identical_text_has_no_edits():
    assert align("Nothing to change here.", "Nothing to change here.", "t5") == []


def test_offsets_after_emoji_are_python_indices():
    source = "😀 Their is a problem."
    edits = align(source, "😀 There is a problem.", "gemini")
    assert [(e.offset, e.original, e.replacement) for e in edits] == [(2, "Their", "There")]


def test_insertions_are_anchored_to_a_neighbouring_word():
    edits = align("I went home", "I went home.", "t5")
    assert [(e.original, e.replacement) for e in edits] == [("home", "home.")]
    edits = align("went home.", "I went home.", "t5")
    assert [(e.offset, e.original, e.replacement) for e in edits] == [(0, "went", "I went")]
