"""analyze(): the figures a user sees in the analysis panel."""

from __future__ import annotations

import json

import pytest

from pipelines.analysis import analyze
from pipelines.vocabulary import Task
from pipelines.rules import check

PARAGRAPHS = (
    "The cat sat on the mat. It was happy and warm.\n\n"
    "The report was written by the team. The team met on Tuesday, and the report was approved by the board.\n\n"
    "Their going to the libary tomorrow."
)


def test_counts_on_a_known_text():
    counts = analyze(PARAGRAPHS)["counts"]
    assert counts["characters"] == len(PARAGRAPHS)
    assert counts["words"] == 37  # 6 + 5 + 7 + 13 + 6
    assert counts["sentences"] == 5
    assert counts["paragraphs"] == 3
    assert counts["reading_time_s"] == round(37 / 238 * 60, 1)
    assert counts["speaking_time_s"] > counts["reading_time_s"]


def test_readability_scores_are_numbers_and_a_grade():
    readability = analyze(PARAGRAPHS)["readability"]
    names = {"flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog_index", "coleman_liau_index", "automated_readability_index", "dale_chall"}
    assert names <= set(readability)
    assert all(isinstance(readability[n], float) for n in names)
    assert 60 < readability["flesch_reading_ease"] < 120  # short, plain sentences read easily
    assert isinstance(readability["text_standard"], str) and "grade" in readability["text_standard"]


def test_findings_point_at_the_text():
    result = analyze(PARAGRAPHS)
    passive = result["passive_voice"]
    assert [p["text"] for p in passive] == ["was written", "was approved"]
    for p in passive:
        assert PARAGRAPHS[p["offset"] : p["offset"] + p["length"]] == p["text"]
    assert result["repeated_words"][:2] == [{"word": "report", "count": 2}, {"word": "team", "count": 2}]
    assert all(r["word"] not in ("the", "was", "and") for r in result["repeated_words"])


def test_issue_counts_come_from_the_rules():
    issues = analyze(PARAGRAPHS)["issues"]
    assert set(issues) == set(Task)
    edits = check(PARAGRAPHS)
    assert issues == {c: sum(1 for e in edits if e.category == c) for c in Task}
    assert issues["grammar"] >= 1 and issues["spelling"] >= 1 and issues["clarity"] == 2


def test_long_sentences_are_listed_with_their_word_count():
    sentence = " ".join(["word"] * 34) + "."
    text = "Short one. " + sentence
    long = analyze(text)["long_sentences"]
    assert long == [{"offset": 11, "length": len(sentence), "words": 34}]


@pytest.mark.parametrize("text", ["!!!", "Hello", "42", "   \n ", "é", "😀 😀", "a.b.c", "Hello world"])
def test_odd_input_does_not_crash_and_is_json(text):
    result = analyze(text)
    json.dumps(result)
    assert set(result) == {"readability", "counts", "long_sentences", "passive_voice", "repeated_words", "issues"}
    assert result["counts"]["characters"] == len(text)


def test_no_words_means_zero_counts():
    result = analyze("!!!")
    assert result["counts"]["words"] == 0 and result["counts"]["sentences"] == 0
    assert result["readability"]["flesch_reading_ease"] == 0.0
    assert result["issues"] == {c: 0 for c in Task}
    single = analyze("Hello")
    assert (single["counts"]["words"], single["counts"]["sentences"], single["counts"]["paragraphs"]) == (1, 1, 1)
