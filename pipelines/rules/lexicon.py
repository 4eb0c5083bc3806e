"""Writes `data/verbs.txt` and `data/adjectives.txt`: English verbs and adjectives with no other reading.

    pip install lemminflect==0.2.3 && python -m pipelines.rules.lexicon

The grammar rules know a verb's third-person form from `grammar.json` (a hand-made list).
Words that can only be verbs ("transmit", "depend", "attract") are safe to treat as verbs
wherever they stand, so the agreement rules may fix them without checking what follows.
The list comes from LemmInflect's inflection table (MIT; built from the NIH SPECIALIST
Lexicon): lower-case verb lemmas whose base and -s forms are no form of any noun, adjective
or adverb there nor another verb's past or -ing form ("found" is the past of "find"), that
the spelling dictionary counts as common (base at least 200,000, -s form at least 50,000
occurrences, so rare and archaic verbs stay out), and that English text puts after "to" at
least three times as often as after "the", "a", "an", "this" or "my" (the bigram counts; a
verb the bigram list never shows after "to" stays out).

Adjectives, so that a rule can see the noun behind them ("many beautiful place"): adjective
lemmas with no noun, verb or adverb form, as common as MIN_ADJECTIVE, and gradable in running
text (the bigram list has "very X", "more X" or "so X": "amber" and "desktop" stay out), and
the common adjectives that the lexicon also lists as rare nouns or verbs (COMMON_ADJECTIVES).
"""

from __future__ import annotations

import csv
import gzip
from importlib import resources

from pipelines.rules.spelling import bigrams, dictionary
from pipelines.rules.words import DATA

MIN_BASE, MIN_THIRD, MIN_ADJECTIVE = 200_000, 50_000, 500_000
INFINITIVE_RATIO = 3  # "to X" at least this many times as common as "the/a/an/this/my X"
HEADER = """# Verbs with no noun, adjective or adverb reading: base form and third-person -s form.
# Made by `python -m pipelines.rules.lexicon` from LemmInflect 0.2.3's inflection table (MIT;
# built from the NIH SPECIALIST Lexicon); see that module for the selection.
"""
COMMON_ADJECTIVES = frozenset("bad big good great high interesting little long new nice old poor rich small young".split())
ADJ_HEADER = HEADER.replace("Verbs with no noun, adjective or adverb reading: base form and third-person -s form.", "Adjectives with no noun, verb or adverb reading.")


def _rows() -> list[list[str]]:
    with gzip.open(resources.files("lemminflect") / "resources" / "infl_lu.csv.gz", "rt", encoding="utf-8") as f:
        return list(csv.reader(f))


def _forms(row: list[str]) -> set[str]:
    """Every inflected form in a table row (lower case): "went", "gone", "going", "goes"."""
    return {form.lower() for cell in row[2:] for form in cell.split("/") if form}


def verb_only() -> dict[str, str]:
    rows = _rows()
    other = set()  # every form of every noun, adjective and adverb, and every other verb's past and -ing forms
    for row in rows:
        forms = _forms(row)
        if row[1] != "verb":
            other |= forms | {row[0].lower()}
        else:
            other |= forms - {row[5] if len(row) > 5 else ""}  # "found" is the past of "find"
    words, pairs = dictionary(), bigrams()
    out = {}
    for row in rows:
        base, third = row[0], (row[5] if len(row) > 5 else "")
        if row[1] != "verb" or not (base.isalpha() and base.islower()) or not third or "/" in third:
            continue
        if base in other or third in other or words.get(base, 0) < MIN_BASE or words.get(third, 0) < MIN_THIRD:
            continue
        if pairs.get(f"to {base}", 0) == 0 or pairs.get(f"to {base}", 0) < INFINITIVE_RATIO * sum(pairs.get(f"{d} {base}", 0) for d in ("the", "a", "an", "this", "my")):
            continue  # used as a noun in running text after all: "the template", "a log"
        out[base] = third
    return dict(sorted(out.items()))


def adjective_only() -> list[str]:
    rows = _rows()
    other = set()  # every form of every noun, verb and adverb
    for row in rows:
        if row[1] != "adj":
            other |= _forms(row) | {row[0].lower()}
    words, pairs = dictionary(), bigrams()
    return sorted(
        COMMON_ADJECTIVES
        | {
            a
            for a in {row[0] for row in rows if row[1] == "adj"}
            if a.isalpha() and a.islower() and a not in other and words.get(a, 0) >= MIN_ADJECTIVE and any(pairs.get(f"{d} {a}", 0) for d in ("very", "more", "so"))
        }
    )


def main() -> None:
    found = verb_only()
    (DATA / "verbs.txt").write_text(HEADER + "".join(f"{b} {t}\n" for b, t in found.items()), encoding="utf-8")
    print(f"{len(found)} verbs -> {DATA / 'verbs.txt'}")
    adjectives = adjective_only()
    (DATA / "adjectives.txt").write_text(ADJ_HEADER + "".join(f"{a}\n" for a in adjectives), encoding="utf-8")
    print(f"{len(adjectives)} adjectives -> {DATA / 'adjectives.txt'}")


if __name__ == "__main__":
    main()
