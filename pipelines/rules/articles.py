"""a / an by the sound of the next word (numbers and acronyms included); a missing article."""

from __future__ import annotations

import bisect
import re

from pipelines.rules.words import ARTICLES as A
from pipelines.rules.words import GRAMMAR as G

_NUMBER = re.compile(r"\d+")


def _number_needs_an(num: str) -> bool | None:
    """"an 8", "an 11", "an 18", "an 80,000"; every other number but 0 takes "a"."""
    if num[0] == "0":
        return None
    return num[0] == "8" or (len(num) in (2, 5) and num[:2] in ("11", "18"))


def _read_as_word(bare: str, letters: str) -> bool:
    """An upper-case word read as a word: "a NOTICE file", "a UNIQUE key"."""
    from pipelines.rules.spelling import dictionary

    return letters.isupper() and len(letters) >= 4 and any(ch in "AEIOU" for ch in letters[:3]) and bare in dictionary() and bare not in A.word_acronyms


def _acronym_needs_an(bare: str, letters: str) -> bool | None:
    if bare in A.ambiguous_acronyms:
        return None
    if bare in A.word_acronyms:
        return bare in A.vowel_acronym_words
    if bare[:1] == "u" and len(letters) >= 4 and any(ch in "AEIOU" for ch in letters[1:3]):
        return None  # maybe read as a word
    return bare[0] in A.vowel_letters


_INITIALS = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z])")


def needs_an(word: str, low: str) -> bool | None:
    """True for "an", False for "a", None when it cannot tell."""
    if not word or not word[0].isalpha():
        return None
    bare = low.replace("'", "")
    letters = word.replace("'", "").replace("\u2019", "")
    if len(letters) == 1:
        return letters.lower() in A.vowel_letters
    if (letters.isupper() or sum(ch.isupper() for ch in letters) >= 2) and len(letters) <= 6 and not _read_as_word(bare, letters):
        return _acronym_needs_an(bare, letters)
    initials = _INITIALS.match(letters)  # "an LZMAFile", "an SSLContext": the initials are read letter by letter
    if initials and not _read_as_word(initials[0].lower(), initials[0]):
        return _acronym_needs_an(initials[0].lower(), initials[0])
    if bare.startswith(tuple(A.an_words)) or bare.startswith(tuple(A.an_uni)):
        return True
    if bare.startswith(("historic", "hysteric")):
        return None  # "an historic" is an accepted variant
    if bare.startswith(tuple(A.a_prefixes)) or bare == "one":
        return False
    return bare[0] in "aeiou"


def a_an(c, i: int, x) -> None:
    if x.w not in ("a", "an"):
        return
    s, e, word = c.toks[i]
    if word == "A" and not x.at_start:
        return  # a letter or a name ("Plan A", "grade A")
    text = c.text
    j = e
    while j < len(text) and text[j] in " \t\"'\u201c\u2018":
        j += 1
    if j == e or j >= len(text):
        return
    if text[j].isdigit():
        an = _number_needs_an(_NUMBER.match(text, j).group())
    else:
        k = bisect.bisect_left(c.starts, j)
        if k >= len(c.toks) or c.toks[k][0] != j or c.protected(k) or c.eff[k] in A.not_after_article:
            return  # "a" is a variable or a letter here: "assuming a is sorted"
        an = needs_an(c.toks[k][2], c.eff[k])
    if an is True and x.w == "a":
        c.tok_edit(i, "an", "Use 'an' instead of 'a' if the following word starts with a vowel sound.", "EN_A_VS_AN")
    elif an is False and x.w == "an":
        c.tok_edit(i, "a", "Use 'a' instead of 'an' if the following word doesn't start with a vowel sound.", "EN_A_VS_AN")


_BE_AFTER_PRONOUN = frozenset({"is", "was"})
_PRONOUNS = frozenset({"it", "this", "that", "he", "she"})
_NOT_AFTER_BE = frozenset({"isn't", "wasn't"})
_DEGREE = frozenset({"very", "really", "quite", "pretty"})
BEFORE_ROLE = frozenset({"without", "as", "into"})  # "without guide", "as student", "into good university"
_BEFORE_SAME = frozenset({"is", "are", "was", "were", "be", "not", "look", "looks", "looked", "remain", "remains", "stay", "stays"})


def missing_article(c, i: int, x) -> None:
    """"have job," -> "have a job,", "it is good idea to" -> "it is a good idea to": a singular
    count noun after a verb needs an article. Only listed nouns, ending their noun phrase."""
    if not (
        x.w in A.before_countable
        or x.w in ("it's", "that's")
        or (x.w in _BE_AFTER_PRONOUN and x.prev is not None)
        or (x.w in ("am", "was") and x.prev == "i")  # "when I was freshman"
        or x.w in BEFORE_ROLE
        or (x.w in _NOT_AFTER_BE and x.prev in _PRONOUNS)  # "this isn't problem"
        or (x.w == "not" and x.prev in _BE_AFTER_PRONOUN and c.word_at(i - 2) is not None and c.linked(i - 2))  # "it is not problem"
    ):
        return
    k = i + 1
    if x.nxt in _DEGREE and x.nxt2 in A.article_adjectives and c.linked(i + 1):
        k = i + 2  # "is very good advantage"
    if c.word_at(k) in A.article_adjectives and c.word_at(k + 1) in A.countable_nouns and c.linked(k):
        k += 1
    elif k > i + 1:
        return
    if c.eff[k] not in A.countable_nouns:
        return
    from pipelines.rules.grammar import _noun_ends_phrase

    if not c.toks[k][2].islower() or c.hyphenated(k) or not _noun_ends_phrase(c, k):
        return
    if c.word_at(k + 1) == "of" and c.linked(k):
        return  # "the job of", not "a job of"
    if c.eff[k] == "way" and c.word_at(k + 1) in G.comparatives | {"too"}:
        return  # "it is way better": an adverb
    first = c.toks[i + 1][2]
    article = "an" if needs_an(first, c.eff[i + 1]) else "a"
    c.tok_edit(i + 1, f"{article} {c.eff[i + 1] if c.eff[i + 1] != c.low[i + 1] else first}", "A singular noun needs an article here: '{repl}'.", "MISSING_ARTICLE")


def lot_same(c, i: int, x) -> None:
    """"spent lot of time" -> "a lot of time"; "for long time" -> "for a long time"; "are same" -> "are the same"."""
    if x.w == "lot" and x.nxt == "of" and (x.prev is None or x.prev in G.be or x.prev in G.after_verb or x.prev in G.third_person or x.prev in ("spent", "had", "has", "have", "there", "got", "gets")):
        if x.prev not in ("a", "the", "parking", "whole"):
            c.tok_edit(i, "a lot", "Write 'a lot of'.", "A_LOT_OF")
    if x.w == "long" and x.nxt == "time" and x.prev in ("for", "after") and c.linked(i - 1):
        c.tok_edit(i, "a long", "Write 'a long time'.", "A_LONG_TIME")
    if x.w in _BEFORE_SAME and x.nxt == "same" and x.nxt2 in (None, "as", "for", "to", "and", "in", "with", "thing", "things"):
        c.tok_edit(i + 1, "the same", "Write 'the same'.", "THE_SAME")


# People named by their role: as the subject of a clause they need a determiner ("teacher says").
ROLE_NOUNS = frozenset(
    "teacher professor lecturer student speaker author writer reader doctor lawyer engineer worker boss manager employer "
    "customer person".split()
)
_CLAUSE_START = frozenset({"when", "if", "because", "although", "though", "while", "since", "until", "unless", "but", "so"})  # not "that teacher", "student and teacher"
_SUBJECT_VERBS = frozenset({"need", "needs", "say", "says", "said", "think", "thinks", "thought", "want", "wants", "is", "was", "has", "can", "will", "should", "must", "would", "could"})


def role_subject(c, i: int, x) -> None:
    """"Professor need them to do it" -> "The professor needs...", "when teacher asked me" -> "when
    the teacher asked me": a person's role as a subject takes 'the' ('a' for 'person')."""
    word = c.toks[i][2]
    if not (word.islower() or (x.at_start and word[1:].islower() and c.eff[i] == c.low[i])) or c.hyphenated(i) or x.nxt is None:
        return  # a capitalised word the speller changed is likely a name ("Bos has")
    if not (x.at_start or x.prev in _CLAUSE_START or not c.linked(i - 1)) or (not x.at_start and c.text[c.toks[i - 1][1] : c.toks[i][0]].strip() not in ("", ",")):
        return
    if not c.toks[i + 1][2].islower() or not (x.nxt in G.verb_only or x.nxt in _SUBJECT_VERBS):
        return
    article = "a" if x.w == "person" else "the"
    noun = c.eff[i] if c.eff[i] != c.low[i] else word.lower()  # a misspelt noun: its correction
    repl = f"{article.capitalize() if x.at_start else article} {noun}"
    c.tok_edit(i, repl, "A person's role needs an article here: '{repl}'.", "MISSING_ARTICLE")
    if G.third_person.get(x.nxt):  # "Professor need them" -> "The professor needs them"
        c.tok_edit(i + 1, G.third_person[x.nxt], f"The verb does not agree with '{word}'. Did you mean '{{repl}}'?", "SUBJECT_VERB_AGREEMENT")
