"""The basic engine's rewrites: grammar and spelling fixes, then a style's own changes.

- ``formal``: expand contractions, replace informal words (gonna, kinda, a lot of...).
- ``concise``: wordy phrases to short forms; drop fillers (very, really, basically...) where safe.
- ``simple``: long or formal words to plain ones (utilize -> use), wordy phrases to short forms.
``paraphrase`` needs a language model.
"""

from __future__ import annotations

import re

from pipelines.edits import apply_edits
from pipelines.rules.checker import match_case, norm
from pipelines.rules.engine import check
from pipelines.rules.style import WORDY_RE
from pipelines.rules.words import GRAMMAR as G
from pipelines.rules.words import STYLE as S
from pipelines.text import WORD, sentence_spans
from pipelines.vocabulary import Style, Task

STYLES = (Style.FORMAL, Style.CONCISE, Style.SIMPLE)

_CONTRACTION_RE = re.compile(r"\b[A-Za-z]+(?:['\u2019][A-Za-z]+)+\b")
_A_LOT_OF = re.compile(r"\b(a\s+lot\s+of|lots\s+of)\s+([A-Za-z]+)", re.IGNORECASE)
_INFORMAL_RE = re.compile(r"\b(?:" + "|".join(S.informal_rewrite) + r")\b", re.IGNORECASE)
_SIMPLE_RE = re.compile(r"\b(?:" + "|".join(sorted(S.simple, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_PUNCT = re.compile(r"[ \t]+([,.;:!?])")
_NEGATED = ("n't", "n\u2019t")


def _expand_contraction(m: re.Match) -> str:
    word = m.group()
    low = norm(word)
    after = m.string[m.end() : m.end() + 30].split()
    nxt = after[0].strip(".,;:!?").lower() if after else ""
    if low.endswith("n't"):
        full = S.contraction_expansions.get(low) or f"{low[:-3]} not"
    elif low in S.contraction_expansions:
        full = S.contraction_expansions[low]
    elif low in S.s_contractions:
        has = nxt in ("been", "got", "gotten") or (nxt.endswith("ed") and nxt not in ("used", "interested", "tired", "excited"))
        full = low[:-2] + (" has" if has else " is")
    elif low in S.d_contractions:
        had = nxt in ("been", "better", "gone", "done", "seen", "taken") or nxt.endswith("ed")
        full = low[:-2] + (" had" if had else " would")
    else:
        return word
    if full.startswith("i "):
        full = "I" + full[1:]
    return match_case(word, full) if not word.isupper() else full.upper()


def _capitalise_sentences(text: str) -> str:
    chars = list(text)
    for s, _ in sentence_spans(text):
        m = WORD.search(text, s)
        if m is None or text[s : m.start()].strip(" \"'\u201c\u2018([") != "":
            continue
        w = m.group()
        if w[0].islower() and not any(c.isupper() for c in w[1:]):
            chars[m.start()] = w[0].upper()
    return "".join(chars)


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _SPACE_PUNCT.sub(r"\1", text)
    text = re.sub(r"([,;])\s*([.!?])", r"\2", text)
    return _capitalise_sentences(text)


def _a_lot(m: re.Match) -> str:
    noun = m.group(2)
    low = noun.lower()
    plural = low in G.irregular_plurals or (low.endswith("s") and not low.endswith("ss"))
    return match_case(m.group(1), "many" if plural else "a great deal of") + " " + noun


def _formal(text: str) -> str:
    text = _CONTRACTION_RE.sub(_expand_contraction, text)
    text = _A_LOT_OF.sub(_a_lot, text)
    return _INFORMAL_RE.sub(lambda m: match_case(m.group(), S.informal_rewrite[m.group().lower()]), text)


def _replace_phrases(text: str, table: dict[str, str], pattern: re.Pattern) -> str:
    def sub(m: re.Match) -> str:
        phrase = " ".join(m.group().split())
        return match_case(phrase, table[phrase.lower()])

    return pattern.sub(sub, text)


def _filler_kept(text: str, toks: list[re.Match], k: int) -> bool:
    """Is dropping the filler at toks[k] unsafe ("not really", "the very end")?"""
    low = toks[k].group().lower()
    prev = toks[k - 1].group().lower() if k else None
    if prev is not None and (prev == "not" or prev.endswith(_NEGATED)):
        return True  # dropping changes the meaning
    return prev in S.keep_before_filler and low in ("very", "quite")


def _drop_fillers(text: str) -> str:
    out: list[str] = []
    pos = 0
    toks = list(WORD.finditer(text))
    for k, m in enumerate(toks[:-1]):
        if m.group().lower() not in S.fillers or _filler_kept(text, toks, k):
            continue
        nxt = toks[k + 1]
        gap_after = text[m.end() : nxt.start()]
        opens = k == 0 or text[toks[k - 1].end() : m.start()].strip() in (".", "!", "?")
        if gap_after.strip() == "," and opens:  # "Basically, we ..." -> "We ..."
            out.append(text[pos : m.start()])
            pos = nxt.start()
        elif gap_after.isspace() and nxt.group().lower() not in S.keep_after_filler:
            out.append(text[pos : m.start()])
            pos = nxt.start()
    out.append(text[pos:])
    return "".join(out)


def rewrite(text: str, style: str) -> str:
    """Fix grammar and spelling, then apply `style` (one of STYLES)."""
    if style == Style.PARAPHRASE:
        raise ValueError("paraphrase needs a language model engine (t5 or gemini)")
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; the basic engine can do {', '.join(STYLES)}")
    fixes = [e for e in check(text, (Task.GRAMMAR, Task.SPELLING)) if e.replacement is not None]
    text = apply_edits(text, fixes)
    if style == Style.FORMAL:
        text = _formal(text)
    elif style == Style.CONCISE:
        text = _drop_fillers(_replace_phrases(text, S.wordy, WORDY_RE))
    else:
        text = _replace_phrases(_replace_phrases(text, S.wordy, WORDY_RE), S.simple, _SIMPLE_RE)
    return _tidy(text)
