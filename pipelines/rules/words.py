"""Word lists, loaded once from the JSON and text files in `data/` beside this module.

Each JSON file holds named lists and tables; lists become frozensets, tables stay dicts.
`verbs.txt` and `adjectives.txt` list verbs and adjectives with no other reading (made by `python -m pipelines.rules.lexicon`).
`known_words.txt` and `variants.json` come from the en_US, en_GB, en_CA and en_AU Hunspell
dictionaries: words the frequency dictionary lacks, and each variant's spelling of words
that other variants spell differently ("color" in en-US is "colour" in en-GB).
"""

from __future__ import annotations

import json
import threading
from functools import wraps
from pathlib import Path
from types import SimpleNamespace

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> SimpleNamespace:
    raw = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return SimpleNamespace(**{k: frozenset(v) if isinstance(v, list) else v for k, v in raw.items()})


SPELLING = _load("spelling")
GRAMMAR = _load("grammar")
def _lines(name: str) -> list[str]:
    """The entries of a text file in `data/`: one a line, `#` lines are comments."""
    return [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


_VERBS = dict(line.split() for line in _lines("verbs.txt"))
GRAMMAR.third_person = {**_VERBS, **GRAMMAR.third_person}  # the hand-made table wins where both have a verb
GRAMMAR.verb_only = frozenset(_VERBS) | frozenset(_VERBS.values()) | {"don't", "doesn't"}  # words that cannot be nouns: "transmit", "attracts"
GRAMMAR.adjectives = frozenset(_lines("adjectives.txt"))
GRAMMAR.base_of_third = {third: base for base, third in GRAMMAR.third_person.items() if third}  # "needs" -> "need"
ARTICLES = _load("articles")
STYLE = _load("style")
PUNCTUATION = _load("punctuation")
COLLOCATIONS = _load("collocations")


def loaded_once(fn):
    """Cache a loader's result per arguments. Concurrent first callers (a thread pool's first
    burst of requests) wait for one load instead of each building the same tables, which
    under the GIL took a plain FastAPI app over a minute to answer its first 64 requests."""
    values: dict = {}
    lock = threading.RLock()

    @wraps(fn)
    def load(*args):
        try:
            return values[args]
        except KeyError:
            with lock:
                if args not in values:
                    values[args] = fn(*args)
                return values[args]

    return load


@loaded_once
def known_words() -> frozenset[str]:
    return frozenset(_lines("known_words.txt"))


@loaded_once
def variant(language: str) -> tuple[dict[str, str], frozenset[str]]:
    """For a language code: ({another variant's spelling: this variant's}, words only some variants have).

    Plain `en` accepts every variant's words and spellings.
    """
    raw = json.loads((DATA / "variants.json").read_text(encoding="utf-8"))
    if language in raw:
        return raw[language]["spellings"], frozenset(raw[language]["words"])
    return {}, frozenset(w for v in raw.values() for w in v["words"])
