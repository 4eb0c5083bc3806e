"""Spelling: a frequency dictionary (SymSpell), regional variants and a ranking of candidates.

A word is known when the frequency dictionary, the Hunspell-derived word list or the
allow-list has it, unless the language variant spells it differently ("colour" in en-US).
Candidates for an unknown word are ranked by frequency and by how typical the typo is.
"""

from __future__ import annotations

import functools
import math
import os

from pipelines.rules.checker import P_GRAMMAR, P_SPELL, P_SPELL_MAP, Checker, match_case, norm
from pipelines.rules.words import GRAMMAR, SPELLING, STYLE, known_words, loaded_once, variant
from pipelines.vocabulary import Task

APOS = "'\u2019"
LANGUAGES = ("en-US", "en-GB", "en-CA", "en-AU", "en")  # `en` accepts every variant's spelling

# Misspellings a dictionary lookup cannot fix well: missing spaces and apostrophes.
SPELLING_MAP: dict[str, tuple[str, str, str]] = {
    **{w: (r, "SPLIT_WORDS", f"'{r}' is written as two words.") for w, r in SPELLING.split_words.items()},
    **{w: (r, "EN_CONTRACTION_SPELLING", f"Did you mean '{r}'? A contraction needs an apostrophe.") for w, r in SPELLING.missing_apostrophe.items()},
    **{w: tuple(fix) for w, fix in SPELLING.other_fixes.items()},
}


def _regularised(base: str) -> set[str]:
    """Past forms a learner builds by rule: "bringed", "taked", "swimmed"."""
    forms = {base + "d" if base.endswith("e") else base + "ed"}
    if len(base) > 2 and base[-1] not in "aeiouwy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms.add(base + base[-1] + "ed")
    return forms


# Wrong verb forms and uncountable plurals -> the standard form: listed ones always, and the
# regularised past of every irregular verb unless the dictionary knows it ("bed", "seed", "lied").
WRONG_FORMS: dict[str, str] = {**SPELLING.nonstandard_past, **SPELLING.wrong_forms}
REGULARISED = {form: past for base, past in SPELLING.irregular_past.items() if base != "be" for form in _regularised(base)}
# A comparative given a plural -s ("the cities were smallers"): adjectives take no plural.
COMPARATIVE_PLURALS = {form + "s": form for form in GRAMMAR.comparative_forms}
_SPECIAL = frozenset(SPELLING_MAP) | WRONG_FORMS.keys() | REGULARISED.keys()  # words with a fix of their own
_ENDINGS = frozenset({"ion", "ions", "ing", "ings", "ness", "ment", "ments", "able", "ible", "ive", "ous", "est", "ism", "ist", "ity", "ize", "ise", "ful", "less", "ship", "hood", "al", "ly", "ed", "er", "ers", "es", "ic", "ish"})
CONTEXT_WEIGHT = 0.1  # how much a candidate's fit with its neighbours counts against its own score
CONTEXT_CANDIDATES = 5
SHORT_WORD, SHORT_CONTEXT_WEIGHT = 4, 0.5  # short typos ("ther") have many candidates: context decides more
START_MIN_SCORE, MIN_SCORE, LONG_MIN_SCORE = 3.0, 1.5, 0.8  # least scores to correct: a capitalised first word, any word, a long word two edits off
SPLIT_MIN_COUNT = 1_000_000  # both halves of a split must be at least this frequent
FAR_MIN_LENGTH, FAR_MIN_COUNT, FAR_MIN_RATIO = 7, 1_000_000, 0.8  # the far-candidate search
_SUFFIXES = (
    ("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ing", ""), ("ing", "e"),
    ("ly", ""), ("ily", "y"), ("er", ""), ("ers", ""), ("er", "e"), ("ers", "e"), ("est", ""), ("ness", ""),
    ("ment", ""), ("ments", ""), ("able", ""), ("able", "e"), ("ity", ""), ("ize", ""), ("ise", ""),
    ("ization", "ize"), ("ful", ""), ("less", ""), ("ish", ""),
)
_ES_STEMS = ("s", "x", "z", "ch", "sh", "o")
_PREFIXES = ("un", "re", "pre", "non", "over", "under", "mis", "dis", "sub", "super", "inter", "multi", "micro", "auto", "co", "de", "anti", "post", "semi", "out", "up", "cross", "self", "counter", "hyper", "meta")


@loaded_once
def speller():
    """SymSpell with the bundled English frequency dictionary, loaded once (~0.7 s)."""
    import symspellpy
    from symspellpy import SymSpell

    path = os.path.join(os.path.dirname(symspellpy.__file__), "frequency_dictionary_en_82_765.txt")
    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=5)
    if not sym.load_dictionary(path, term_index=0, count_index=1, encoding="utf-8"):
        raise RuntimeError(f"could not load the spelling dictionary {path}")
    for code in LANGUAGES:  # each variant's spellings, as frequent as the other variant's: "favorite"
        for other, own in variant(code)[0].items():
            if own not in sym.words and other in sym.words:
                sym.create_dictionary_entry(own, sym.words[other])
    return sym


def dictionary() -> dict[str, int]:
    """Frequency of each dictionary word."""
    return speller().words


def spelling_rule(language: str) -> str:
    return "MORFOLOGIK_RULE_" + (language if language != "en" else "en-US").upper().replace("-", "_")


def _affixes(low: str, words: dict) -> list[tuple[str, str]]:
    """How `low` could be a regular derivation of a dictionary word: ("suf", "ing"), ("pre", "un")..."""
    out: list[tuple[str, str]] = []
    for suffix, add in _SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= (3 if len(suffix) > 2 or suffix in ("ed", "ly") else 4):
            stem = low[: -len(suffix)] + add
            if suffix == "es" and not stem.endswith(_ES_STEMS):
                continue  # "problemes" is no plural of "problem"; "boxes", "wishes" are
            if stem in words or stem in SPELLING.allow:
                out.append(("suf", suffix))
    for suffix in ("ed", "ing", "er", "est"):
        stem = low[: -len(suffix)]
        if low.endswith(suffix) and len(stem) >= 3 and stem[-1] == stem[-2] and stem[:-1] in words:
            out.append(("suf", suffix))
    for prefix in _PREFIXES:
        if low.startswith(prefix) and len(low) - len(prefix) >= 4:
            rest = low[len(prefix) :].lstrip("-")
            if rest in words or rest in SPELLING.allow:
                out.append(("pre", prefix))
    return out


def _same_stem(cand: str, stem: str) -> bool:
    """Does `cand` keep the stem ("writting" -> "writing", "begining" -> "beginning")?"""
    if cand.startswith(stem.rstrip("e")) or (stem.endswith("y") and cand.startswith(stem[:-1])):  # "familys" -> "families"
        return True
    return len(stem) > 3 and stem[-1] == stem[-2] and cand.startswith(stem[:-1])


def _variant(word: str, cand: str) -> bool:
    """US/UK spelling variants (defense/defence, organize/organise) are both right."""
    if len(word) != len(cand):
        return False
    diff = [(a, b) for a, b in zip(word, cand) if a != b]
    return len(diff) == 1 and set(diff[0]) in ({"c", "s"}, {"s", "z"})


def _penalty(word: str, cand: str, distance: int) -> float:
    """How unlikely a typo turns `cand` into `word`: transpositions and doubled letters are cheap."""
    if distance >= 2:
        # two unrelated letters wrong in a short word ("nocive" is no "notice") is a guess
        p = 3.5 if len(word) == len(cand) <= 7 and len({(a, b) for a, b in zip(word, cand) if a != b}) == 2 and sorted(word) != sorted(cand) else 2.5
    elif len(word) == len(cand):
        diff = [i for i in range(len(word)) if word[i] != cand[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == cand[diff[1]] and word[diff[1]] == cand[diff[0]]:
            p = 0.0 if diff[0] > 0 else 0.5
        elif len(diff) == 1 and word[diff[0]] in "aeiouy" and cand[diff[0]] in "aeiouy":
            p = 0.6
        else:
            p = 1.5
    elif len(cand) == len(word) + 1:  # the word lacks a letter
        p = 0.3
        for i in range(len(word)):
            if word[i] != cand[i]:
                p = 0.0 if cand[i] == cand[i - 1 if i else 0] and i else 0.3
                break
        else:
            p = 0.0 if cand[-1] == cand[-2] else 0.3
    else:  # the word has an extra letter
        p = 0.6
        for i in range(len(cand)):
            if word[i] != cand[i]:
                p = 0.2 if i and word[i] == word[i - 1] else 0.6
                break
    if word[0] != cand[0] and not (len(word) > 1 and len(cand) > 1 and word[0] == cand[1] and word[1] == cand[0]):
        p += 1.0
    if len(word) > 2 and word[-2:] == cand[-2:]:
        p -= 0.5
    elif word[-1] == cand[-1] and word[-1] in "dsg":
        p -= 0.3  # the same ending keeps the word's form: "rememberd" -> "remembered", not "remember"
    return p


@loaded_once
def bigrams() -> dict[str, int]:
    """Counts of word pairs ("of the": 13 billion) from SymSpell's bundled bigram list."""
    import symspellpy

    path = os.path.join(os.path.dirname(symspellpy.__file__), "frequency_bigramdictionary_en_243_342.txt")
    with open(path, encoding="utf-8") as f:
        return {" ".join(parts[:2]): int(parts[2]) for parts in (line.split() for line in f) if len(parts) == 3}


def in_context(cands: tuple[tuple[str, float, int], ...], prev: str | None, nxt: str | None, weight: float = CONTEXT_WEIGHT) -> tuple[str, float, int]:
    """The candidate that fits its neighbours best: its own score plus how common it is beside them."""
    pairs = bigrams()

    def fit(cand: tuple[str, float, int]) -> float:
        term = cand[0]
        return cand[1] + weight * sum(math.log10(1 + pairs.get(p, 0)) for p in (f"{prev} {term}", f"{term} {nxt}"))

    return max(cands[:CONTEXT_CANDIDATES], key=fit)


def suggest(low: str) -> tuple[str, float, int] | None:
    """The best correction for an unknown lower-case word, out of context."""
    cands = suggestions(low)
    return cands[0] if cands else None


@functools.lru_cache(maxsize=65536)
def suggestions(low: str) -> tuple[tuple[str, float, int], ...]:
    """Corrections for an unknown lower-case word, best first: (word, score, distance).

    A word that looks like a regular derivation of a dictionary word ("unsubscribed",
    "tokenizing") is left alone unless a close candidate is the same derivation spelt
    right ("begining" -> "beginning", "untill" -> "until", "noticable" -> "noticeable").
    """
    from symspellpy import Verbosity

    sym = speller()
    words = sym.words
    affixes = _affixes(low, words)
    max_distance = 2 if len(low) >= 6 else 1
    cands = [c for c in sym.lookup(low, Verbosity.ALL, max_distance) if c.distance > 0 and len(c.term) > 1]
    if affixes:
        cands = [c for c in cands if not _variant(low, c.term)]
        cands = [
            c
            for c in cands
            if any(
                (kind == "suf" and c.term.endswith(a) and _same_stem(c.term, low[: -len(a)]) and (c.distance == 1 or len(low) >= 8 or c.term == low[:-2] + "ies"))
                or (kind == "pre" and c.term.startswith(a) and c.distance == 1 and c.count > words.get(low[len(a) :].lstrip("-"), 0))
                for kind, a in affixes
            )
        ]
    if not cands and not affixes and len(low) >= FAR_MIN_LENGTH:
        return _far(low)
    scored = ((c.term, 0.5 * math.log10(c.count) - _penalty(low, c.term, c.distance), c.distance) for c in cands)
    return tuple(sorted(scored, key=lambda s: -s[1]))


@loaded_once
def _common_by_start() -> dict[tuple[str, int], list[str]]:
    """Common dictionary words by (first letter, length), for the far-candidate search."""
    out: dict[tuple[str, int], list[str]] = {}
    for word, count in speller().words.items():
        if count >= FAR_MIN_COUNT and word.isalpha():
            out.setdefault((word[0], len(word)), []).append(word)
    return out


def _far(low: str) -> tuple[tuple[str, float, int], ...]:
    """A long word more than two edits from every word ("imidiatly", "cigarrets"): the closest
    common word with the same first letter, if it is close enough (reported as distance 3)."""
    import difflib

    buckets = _common_by_start()
    pool = [w for n in range(len(low) - 2, len(low) + 3) for w in buckets.get((low[0], n), ())]
    found = difflib.get_close_matches(low, pool, n=1, cutoff=FAR_MIN_RATIO)
    return tuple((w, 0.5 * math.log10(speller().words[w]) - 2.5, 3) for w in found)


@loaded_once
def _known(language: str) -> frozenset[str]:
    spellings, words = variant(language)
    return frozenset(speller().words.keys() | known_words() | SPELLING.allow | words) - spellings.keys()


@functools.lru_cache(maxsize=8192)
def split(low: str) -> str | None:
    """Two frequent words run together: "inorder" -> "in order", "thirdworld" -> "third world"."""
    words = speller().words
    best, best_count = None, SPLIT_MIN_COUNT
    for k in range(2, len(low) - 1):
        a, b = low[:k], low[k:]
        if b in _ENDINGS:
            continue  # "effection" is not "effect ion"
        count = min(words.get(a, 0), words.get(b, 0))
        if count > best_count:
            best, best_count = f"{a} {b}", count
    return best


def is_known(low: str, language: str) -> bool:
    return low in _known(language)


def _skip(c: Checker, i: int) -> bool:
    """Tokens the spelling check leaves alone: code, paths, quoted identifiers, names."""
    text = c.text
    s, e, word = c.toks[i]
    if len(c.low[i]) < 2 or c.loose[s] or c.loose[e - 1]:
        return True
    if (s and (text[s - 1].isalnum() or text[s - 1] in "_@#/\\.$%")) or (e < len(text) and (text[e].isalnum() or text[e] in "_/\\([=")):
        return True  # glued to digits, paths, code or non-Latin letters
    return bool(s and e < len(text) and text[s - 1] in "\"'`" and text[e] == text[s - 1])  # 'dest', "sed"


def _fixed_form(c: Checker, i: int) -> bool:
    """Wrong verb forms and words a lookup cannot fix ("alot", "dont"); True when handled."""
    s, e, word = c.toks[i]
    low = c.low[i]
    right = WRONG_FORMS.get(low) or ((REGULARISED.get(low) or COMPARATIVE_PLURALS.get(low)) if not is_known(low, c.language) else None)
    if right is not None:
        c.eff[i] = right
        c.add(s, e - s, match_case(word, right), Task.GRAMMAR, f"'{word}' is not a standard form. Did you mean '{right}'?", "IRREGULAR_FORM", P_GRAMMAR)
        return True
    if low not in SPELLING_MAP:
        return False
    repl, rule, msg = SPELLING_MAP[low]
    if low == "im" and word not in ("im", "Im"):
        return True
    fixed = repl if repl.startswith("I'") else match_case(word, repl)
    if "\u2019" in c.text[max(0, s - 40) : e + 40]:
        fixed = fixed.replace("'", "\u2019")
    c.eff[i] = norm(repl)
    c.add(s, e - s, fixed, Task.SPELLING, msg, rule, P_SPELL_MAP)
    return True


def _correction(low: str, language: str, prev: str | None = None, nxt: str | None = None) -> tuple[str, float, int, bool] | None:
    """(word, score, distance, is a regional variant) for an unknown or foreign word between `prev` and `nxt`."""
    local = variant(language)[0]
    if low in local:
        return local[low], 9.0, 0, True
    if is_known(low, language):
        return None
    cands = suggestions(low)
    found = in_context(cands, prev, nxt, SHORT_CONTEXT_WEIGHT if len(low) <= SHORT_WORD else CONTEXT_WEIGHT) if cands else None
    if (found is None or found[1] < 1.5 or found[2] > 1) and not _affixes(low, speller().words):
        joined = split(low)
        if joined is not None:
            return joined, 9.0, 1, False
    if found is None:
        return None
    term, score, distance = found
    return local.get(term, term), score, distance, False


def check_words(c: Checker) -> None:
    """Spelling edits, and each token's corrected form in `c.eff` for the grammar rules."""
    capitalised_mid = {w for i, (_, _, w) in enumerate(c.toks) if w[0].isupper() and i not in c.first_of_sentence}
    known = _known(c.language)
    for i, (s, e, word) in enumerate(c.toks):
        low = c.low[i]
        if (low in known and low not in _SPECIAL) or _skip(c, i) or _fixed_form(c, i):
            continue
        if low in STYLE.informal or low == "i" or not word.isascii() or len(low) < 3:
            continue
        letters = word.replace("'", "").replace("\u2019", "")
        if (len(letters) > 1 and letters.isupper()) or any(ch.isupper() for ch in word[1:]):
            continue  # an acronym, camelCase, iPhone, McDonald
        if word[0].isupper() and i not in c.first_of_sentence:
            continue  # a name
        apos = next((k for k, ch in enumerate(low) if ch in APOS), -1)
        suffix = ""
        if apos >= 0:
            if low in SPELLING.contractions or low[apos + 1 :] != "s" or apos < 3:
                continue
            suffix, low = word[apos:], low[:apos]
        nxt = c.low[i + 1] if c.linked(i) else None  # a misspelt next word gives its correction as context
        found = _correction(low, c.language, c.eff[i - 1] if c.linked(i - 1) else None, nxt if nxt is None or nxt in known else (suggest(nxt) or (nxt,))[0])
        if found is None:
            continue
        term, score, distance, regional = found
        if word[0].isupper() and not regional:
            # Sentence-initial capitalised word: maybe a name. Only fix typos of common words.
            if word in capitalised_mid or score < START_MIN_SCORE or distance > 1:
                continue
        elif score < (LONG_MIN_SCORE if distance > 1 and len(low) >= 8 else MIN_SCORE):
            continue  # long words: a two-letter slip is still the likeliest reading
        c.eff[i] = term
        repl = match_case(word[: len(word) - len(suffix)], term) + suffix
        why = f"'{word}' is spelt '{repl}' in {c.language}." if regional else f"Possible spelling mistake found: '{word}'. Did you mean '{repl}'?"
        c.add(s, e - s, repl, Task.SPELLING, why, spelling_rule(c.language), P_SPELL)
