"""Mechanics: repeated words, words split in two, spacing around punctuation, commas after
introductory phrases, capitals at sentence starts, two capitals at a word's start ("THe")."""

from __future__ import annotations

import bisect
import re

from pipelines.rules.checker import P_CASE, P_PUNCT, P_REPEAT, P_SPELL_MAP, Cand, Checker, match_case
from pipelines.rules.spelling import dictionary
from pipelines.rules.words import GRAMMAR as G
from pipelines.rules.words import PUNCTUATION as PU
from pipelines.rules.words import SPELLING
from pipelines.vocabulary import Task

_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w)\]\"'\u2019\u201d%])( +)([,.;:!?]+)(?=\s|$|[\"'\u2019\u201d])")
_SPACE_BEFORE_COMMA_NO_AFTER = re.compile(r"(?<=[A-Za-z\u00C0-\u024F])( +)([,;])(?=[A-Za-z\u00C0-\u024F])")
_NO_SPACE_AFTER_COMMA = re.compile(r"(?<=[A-Za-z\u00C0-\u024F])([,;])(?=[A-Za-z\u00C0-\u024F])")
_NO_SPACE_AFTER_STOP = re.compile(r"(?<=[a-z][a-z])([.!?])(?=[A-Z][a-z]|I\b)")
_PAREN_INNER_SPACE = re.compile(r"\(( +)(?=\S)|(?<=\S)( +)\)")
_ROMAN = frozenset({"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"})
_WHITESPACE = "COMMA_PARENTHESIS_WHITESPACE"
_VERB_AFTER_SUBJECT = G.modals | G.be | G.do_aux | {"have", "has", "had", "can't", "won't", "wouldn't", "couldn't", "shouldn't"}
_JOIN_FIRST = frozenset(pair.split()[0] for pair in SPELLING.joined_words)
_INTRO_REQUIRED = frozenset(PU.intro_comma_required)
_INTRO: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(PU.intro_phrases, key=lambda p: -len(p.split())):
    _INTRO.setdefault(_phrase.split()[0], []).append(tuple(_phrase.split()))


def repeats(c: Checker) -> None:
    toks, low, text = c.toks, c.low, c.text
    for i in range(len(toks) - 1):
        gap = text[toks[i][1] : toks[i + 1][0]]
        if low[i] != low[i + 1] or low[i] in G.no_repeat or not c.linked(i) or c.protected(i) or len(gap) > 2 or "\n" in gap:
            continue
        if i + 1 in c.first_of_sentence or (low[i] == "is" and i and low[i - 1] in ("it", "what", "this", "that", "thing", "problem", "question")):
            continue  # "What it is is ..."
        if low[i] in ("you", "it") and i and low[i - 1] not in G.aux_before_subject and i + 2 < len(low) and low[i + 2] in _VERB_AFTER_SUBJECT:
            continue  # an object, then the next clause's subject: "if they fire you you will lose"
        s, e = toks[i][1], toks[i + 1][1]
        c.add(s, e - s, "", Task.GRAMMAR, f"Possible typo: you repeated a word ('{toks[i][2]}').", "ENGLISH_WORD_REPEAT_RULE", P_REPEAT)


def _joinable(c: Checker, i: int) -> bool:
    """Tokens i and i+1 are apart by spaces or a hyphen only: "now a days", "now-a-days", "now- a- days"."""
    return 0 <= i < len(c.links) and (c.links[i] or c.text[c.toks[i][1] : c.toks[i + 1][0]].strip() == "-")


def joined_words(c: Checker) -> None:
    """Words written as one but split in two: "him self" -> "himself", "there fore" -> "therefore"."""
    low, toks = c.low, c.toks
    for i in [k for k, w in enumerate(low[:-1]) if w in _JOIN_FIRST]:
        n = 3 if i + 2 < len(low) and _joinable(c, i + 1) and f"{low[i]} {low[i + 1]} {low[i + 2]}" in SPELLING.joined_words else 2
        whole = SPELLING.joined_words.get(" ".join(low[i : i + n]))  # "now a days", "now-a-days" -> "nowadays"
        if whole is None or not (c.linked(i) or (n == 3 and _joinable(c, i))) or c.protected(i) or toks[i + 1][2][0].isupper():
            continue
        s, e = toks[i][0], toks[i + n - 1][1]
        c.add(s, e - s, match_case(toks[i][2], whole), Task.SPELLING, f"'{whole}' is written as one word.", "SPLIT_COMPOUND", P_SPELL_MAP)


_TWO_CAPITALS = re.compile(r"\b[A-Z][A-Z][a-z]+\b")
MIXED_MIN_COUNT = 1_000_000  # "THe", "NIce": only common words, not "IPhone", "PCs" or "DEbian"


def two_capitals(c: Checker) -> None:
    """A shift key held a letter too long: "THe" -> "The", "NIce" -> "Nice"."""
    words = dictionary()
    for m in _free(c, _TWO_CAPITALS):
        word = m.group()
        if (len(word) == 3 and word[-1] == "s") or words.get(word.lower(), 0) < MIXED_MIN_COUNT or c.loose[m.start()]:
            continue
        repl = word[0] + word[1:].lower()
        c.add(m.start(), len(word), repl, Task.SPELLING, f"Did you mean '{repl}'? Only the first letter takes a capital.", "MIXED_CASE_WORD", P_SPELL_MAP)


def _free(c: Checker, pattern: re.Pattern):
    return (m for m in pattern.finditer(c.text) if not c.strict[m.start()])


def punctuation(c: Checker) -> None:
    text = c.text
    for m in _free(c, _DOUBLE_SPACE):
        if len(m.group()) <= 3:
            c.add(m.start(), len(m.group()), " ", Task.GRAMMAR, "Possible typo: you repeated a whitespace.", "WHITESPACE_RULE", P_PUNCT)
    for m in _free(c, _SPACE_BEFORE_COMMA_NO_AFTER):
        c.add(m.start(), m.end() - m.start(), m.group(2) + " ", Task.GRAMMAR, "Put a space after the punctuation mark, not before it.", _WHITESPACE, P_PUNCT + 1)
    for m in _free(c, _SPACE_BEFORE_PUNCT):
        punct = m.group(2)
        if punct in ("...", "..") or (punct == ":" and text[m.end() : m.end() + 1] in ")(DPp"):
            continue
        c.add(m.start(), m.end() - m.start(), punct, Task.GRAMMAR, f"Don't put a space before '{punct[0]}'.", _WHITESPACE, P_PUNCT)
    for m in _free(c, _NO_SPACE_AFTER_COMMA):
        c.add(m.start(), 1, m.group(1) + " ", Task.GRAMMAR, f"Put a space after '{m.group(1)}'.", _WHITESPACE, P_PUNCT)
    for m in _free(c, _NO_SPACE_AFTER_STOP):
        k = bisect.bisect_right(c.starts, m.start()) - 1
        if k >= 0 and c.low[k] in dictionary():  # a real word before the stop, not "e.g" or "Node.Js"
            c.add(m.start(), 1, m.group(1) + " ", Task.GRAMMAR, f"Put a space after '{m.group(1)}' between sentences.", _WHITESPACE, P_PUNCT)
    for m in _free(c, _PAREN_INNER_SPACE):
        if m.group(1) is not None:
            c.add(m.start(), len(m.group()), "(", Task.GRAMMAR, "Don't put a space after an opening parenthesis.", _WHITESPACE, P_PUNCT)
        else:
            c.add(m.start(), len(m.group()), ")", Task.GRAMMAR, "Don't put a space before a closing parenthesis.", _WHITESPACE, P_PUNCT)


def intro_commas(c: Checker) -> None:
    """A comma after an introductory word or phrase: "For example the ..." -> "For example, the ...".

    After a conjunctive adverb, a comment on the whole sentence or a transitional phrase
    ("However", "Moreover", "Secondly", "In my opinion", "For example", "On the other hand") the
    comma is required: a correction at the default level. After the others it is a style hint
    (clarity: /v2/check's picky level): edited English often leaves it out after a short word or
    phrase ("Also the bus ...", "In the end they ..."), and flagging that at the default level
    would be a false alarm."""
    low, text = c.low, c.text
    for sent in c.sentences:
        a = sent.a
        if a >= sent.b or low[a] not in _INTRO or text[sent.start : c.toks[a][0]].strip(" \"'\u201c\u2018(") != "":
            continue
        for phrase in _INTRO[low[a]]:
            k = a + len(phrase)  # the word after the phrase
            if k >= sent.b or tuple(low[a:k]) != phrase or not all(c.linked(j) for j in range(a, k)):
                continue
            nxt = low[k]
            if c.protected(k) or (nxt not in PU.intro_single_next if k == a + 1 else nxt in PU.intro_not_next):
                break
            if phrase[0] == "hence" and nxt in ("the", "a", "an"):
                break  # "Hence the name": a verbless clause, no comma
            s, e, word = c.toks[k - 1]
            said = text[c.toks[a][0] : e]
            if " ".join(phrase) in _INTRO_REQUIRED:
                c.add(s, e - s, word + ",", Task.GRAMMAR, f"Put a comma after '{said}' at the start of a sentence.", "SENT_START_CONJUNCTIVE_LINKING_ADVERB_COMMA", P_PUNCT)
            else:
                c.add(s, e - s, word + ",", Task.CLARITY, f"Put a comma after the introductory '{said}'.", "INTRO_PHRASE_COMMA", P_PUNCT)
            break


def _starts_a_sentence(c: Checker, s: int, a: int, prev_end: int | None) -> bool:
    """Should the first word of the sentence at s (token a) have a capital?"""
    text = c.text
    ts, te, word = c.toks[a]
    if not word[0].islower() or any(ch.isupper() for ch in word[1:]) or c.loose[ts] or c.strict[ts]:
        return False
    if text[s:ts].strip(" \"'\u201c\u2018([") != "":
        return False  # starts with a number, a bullet, a symbol...
    line_start = text.rfind("\n", 0, s) + 1
    if s - line_start >= 2 and text[line_start:s].strip() == "":
        return False  # an indented line: code or a table
    if te < len(text) and text[te] in "('\"`_=.[:" and text[te : te + 2] not in (". ", ": "):
        return False  # a function call or a quoted identifier
    if te < len(text) and text[te] in ")." and (len(word) == 1 or word in _ROMAN):
        return False  # a list marker: "(b)", "iv."
    if prev_end is not None:
        before = text[:prev_end].rstrip()
        if before.endswith(("...", "\u2026", ":")):
            return False
        if before[-1:] in "\"'\u201d\u2019" and "\n" not in text[prev_end:s]:
            return False  # a dialogue tag: "Stop!" he said.
        if before[-1:] not in ".!?\"'\u201d\u2019)" and "\n\n" not in text[prev_end:s].replace("\r", ""):
            return False
    return c.low[a] not in ("i", "i'm", "i've", "i'll", "i'd")  # I_LOWERCASE already fixes those


def capitalise_starts(c: Checker, accepted: list[Cand]) -> list[Cand]:
    """Sentence-initial capital: merged into an accepted edit on that word, or a new edit."""
    at = {cand.offset: cand for cand in accepted}
    out = list(accepted)
    prev_end = None
    for sent in c.sentences:
        p_end, prev_end = prev_end, sent.end
        if sent.a >= sent.b or not _starts_a_sentence(c, sent.start, sent.a, p_end):
            continue
        ts, te, word = c.toks[sent.a]
        cand = at.get(ts)
        if cand is not None:
            if cand.replacement and cand.replacement[0].islower():
                cand.replacement = cand.replacement[0].upper() + cand.replacement[1:]
            continue
        if any(o.offset < te and o.offset + o.length > ts for o in accepted):
            continue
        out.append(Cand(ts, te - ts, word[0].upper() + word[1:], Task.GRAMMAR, "This sentence does not start with an uppercase letter.", "UPPERCASE_SENTENCE_START", P_CASE))
    return out
