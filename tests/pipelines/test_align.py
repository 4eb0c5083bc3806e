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


SENTENCES = [f"Sentence {i} says the {w} sat on the mat, and it's naïve 😀." for i, w in enumerate(["cat", "dog", "exampel", "bird"] * 60)]


@st.composite
def long_source_and_target(draw):
    """Documents long enough to be diffed sentence by sentence, with edits anywhere,
    including ones that merge, split, drop or repeat sentences."""
    source = draw(st.lists(st.sampled_from(SENTENCES), min_size=40, max_size=120, unique=True))
    text = " ".join(source)
    target = list(text)
    for _ in range(draw(st.integers(1, 12))):
        at = draw(st.integers(0, len(target)))
        piece = draw(st.sampled_from(["", ".", " ", "\n", "the ", "Sentence 3 says hi. "]))
        cut = draw(st.integers(0, 40))
        target[at : at + cut] = list(piece)
    return text, "".join(target)


@given(long_source_and_target())
@settings(max_examples=60, deadline=None)
def test_long_texts_reproduce_the_models_text(pair):
    source, target = pair
    assert apply_edits(source, align(source, target, "t5")) == target


def test_a_long_document_gets_one_small_edit_per_changed_word():
    source = " ".join(SENTENCES)  # about 3,000 words
    changed = sorted(range(5, len(SENTENCES), 12))
    target = " ".join(s.replace(" sat ", " sits ") if i in changed else s for i, s in enumerate(SENTENCES))
    edits = align(source, target, "t5")
    assert apply_edits(source, edits) == target
    assert [(e.original, e.replacement) for e in edits] == [("sat", "sits")] * len(changed)
