"""GLEU and the JFLEG evaluation's parts, on sentences written here; the published source figure
when the JFLEG dev set is beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines import rules
from pipelines.gleu import gleu
from pipelines.jfleg import _made_by_another, detokenise, tokenise
from pipelines.vocabulary import CORRECTION_TASKS

JFLEG = Path(__file__).resolve().parents[3] / "shared" / "data" / "jfleg-dev"
SOURCE = "he go to school every days .".split()
REFS = [["he goes to school every day .".split()], ["he goes to school each day .".split()]]


def test_a_hypothesis_equal_to_every_reference_scores_100():
    ref = "the cat sat on the mat .".split()
    assert gleu([ref], [ref], [[ref]], iterations=5)[0] == pytest.approx(100.0)


def test_a_right_edit_scores_above_the_source_and_a_wrong_one_does_not():
    source = gleu([SOURCE], [SOURCE], REFS, iterations=20)[0]
    right = gleu(["he goes to school every day .".split()], [SOURCE], REFS, iterations=20)[0]
    wrong = gleu(["he went to school every days .".split()], [SOURCE], REFS, iterations=20)[0]
    assert right > source >= wrong


def test_ptb_tokens_round_trip_through_text():
    line = "I do n't think it 's `` fair '' ( at all ) , do you ?"
    text = detokenise(line)
    assert text == "I don't think it's \"fair\" (at all), do you?"
    assert tokenise(text) == line.replace("``", '"').replace("''", '"').split()


def test_an_alarm_counts_as_made_by_another_reference_only_when_one_makes_that_change():
    text = "Facts are learned by experinces."
    edit = next(e for e in rules.check(text, CORRECTION_TASKS, "en-US") if e.original == "experinces")
    assert _made_by_another(text, edit, [["we", "learn", "facts", "from", "experiences", "."]])
    assert not _made_by_another(text, edit, [["we", "learn", "facts", "by", "doing", "."]])


@pytest.mark.skipif(not JFLEG.exists(), reason="the JFLEG dev set is not beside the project")
def test_the_source_scores_the_published_figure():
    refs = [[line.split() for line in (JFLEG / f"dev.ref{k}").read_text(encoding="utf-8").splitlines()] for k in range(4)]
    src = [line.split() for line in (JFLEG / "dev.src").read_text(encoding="utf-8").splitlines()]
    assert gleu(src, src, refs)[0] == pytest.approx(38.21, abs=0.05)
