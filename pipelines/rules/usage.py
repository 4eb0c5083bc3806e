"""Learner usage: a word too many where the grammar has no slot for it.

"a products" -> "products", "can to go" -> "can go", "most of people" -> "most people",
"makes them to be" -> "makes them be", "go for shopping" -> "go shopping",
"too much" written "to much" at the end of a phrase. Each rule drops or swaps one word,
and only where the words around it leave no other reading.
"""

from __future__ import annotations

import re

from pipelines.rules.checker import P_GRAMMAR, Checker, match_case
from pipelines.rules.collocations import PEOPLE
from pipelines.rules.words import ARTICLES as A
from pipelines.rules.words import GRAMMAR as G
from pipelines.vocabulary import Task

_SURE_MODALS: frozenset[str] = frozenset({"can", "could", "should", "would", "shall", "cannot", "can't", "couldn't", "shouldn't", "wouldn't", "won't", "mustn't"})
_SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she", "it", "not"})  # "will", "may", "must", "might" are nouns too
_QUANTIFIERS = frozenset({"most", "many", "some", "few", "several", "all"})
_NOT_AFTER_TO_MUCH = frozenset({"compared", "similar", "equal", "due", "thanks", "contrary", "close", "next", "up", "how", "as"})


_VERBS = frozenset(G.third_person) | G.base_verbs | G.clear_base_verbs


def _bare_plural(c: Checker, k: int) -> bool:
    """Token k is a lower-case plural noun that ends its noun phrase: "products and", "reasons."."""
    noun = c.eff[k]
    if not noun.endswith("s"):
        return False
    from pipelines.rules.grammar import _noun_ends_phrase, _plural

    if not c.toks[k][2].islower() or c.hyphenated(k) or noun in G.not_plural or noun in G.group_words:
        return False
    return _plural(noun) and _noun_ends_phrase(c, k)


def _uncountable(c: Checker, k: int) -> bool:
    """Token k is a noun that is never counted ("information", "advice") and ends its phrase."""
    if c.eff[k] not in A.never_after_a or not c.toks[k][2].islower():
        return False
    from pipelines.rules.grammar import _noun_ends_phrase

    return _noun_ends_phrase(c, k)


def _adjective(word: str | None) -> bool:
    return word is not None and (word in A.article_adjectives or word.endswith(("ful", "ous", "ive", "ible", "able")))


def article_plural(c: Checker, i: int, x) -> None:
    """"an experts in" -> "experts in", "a information" -> "information": 'a' or 'an' counts one thing."""
    if x.w not in ("a", "an") or x.prev in ("such", "what", "quite", "many"):
        return
    if x.w == "a" and x.prev == "now" and x.nxt == "days" and c.linked(i - 1):
        s, e, now = c.toks[i - 1][0], c.toks[i + 1][1], c.toks[i - 1][2]  # "Now a days" -> "Nowadays"
        c.add(s, e - s, match_case(now, "nowadays"), Task.SPELLING, "'Nowadays' is one word.", "SPLIT_WORDS", P_GRAMMAR + 1)
        return
    if _adjective(x.nxt) and x.nxt2 is not None and c.linked(i + 1) and _bare_plural(c, i + 2) and x.nxt2 not in A.never_after_a:
        s, e = c.toks[i][0], c.toks[i + 1][0]  # "a slow movements" -> "slow movements"
        c.add(s, e - s, "", Task.GRAMMAR, f"'{c.toks[i + 2][2]}' is plural: drop '{c.toks[i][2]}'.", "A_PLURAL", P_GRAMMAR + 1)
        return
    if not _bare_plural(c, i + 1) and not _uncountable(c, i + 1):
        return
    s, _, article = c.toks[i]
    ns, ne, noun = c.toks[i + 1]
    if c.eff[i + 1] != c.low[i + 1]:
        noun = match_case(noun, c.eff[i + 1])  # a misspelt noun: its correction
    why = f"'{noun}' is plural" if noun.lower().endswith("s") else f"'{noun}' is uncountable"
    c.add(s, ne - s, match_case(article, noun), Task.GRAMMAR, f"{why}: drop '{article}'.", "A_PLURAL", P_GRAMMAR + 1)


_SECOND_DETERMINERS = frozenset({"these", "those", "this", "my", "your", "his", "their", "our", "its", "another", "every"})


def double_determiner(c: Checker, i: int, x) -> None:
    """"For the these reasons" -> "For these reasons", "for a many years" -> "for many years"."""
    if x.w in ("a", "an", "the") and (x.nxt in _SECOND_DETERMINERS or (x.nxt in ("many", "several") and x.w != "the")) and x.nxt2 not in (None, "or", "and"):
        s, e = c.toks[i][0], c.toks[i + 1][1]
        c.add(s, e - s, match_case(c.toks[i][2], c.toks[i + 1][2]), Task.GRAMMAR, f"Use one determiner: drop '{c.toks[i][2]}'.", "DOUBLE_DETERMINER", P_GRAMMAR + 1)


def modal_to(c: Checker, i: int, x) -> None:
    """"can to go" -> "can go", "will not to do" -> "will not do": a modal takes the bare verb."""
    if x.nxt != "to" or x.nxt2 not in _VERBS or not c.linked(i + 1):
        return
    if x.w == "not":
        sure = x.prev in G.modals or x.prev in _SURE_MODALS
    else:
        sure = x.w in _SURE_MODALS or x.prev in _SUBJECTS
    if sure:
        c.tok_drop(i + 1, f"After '{c.toks[i][2]}', use the verb without 'to'.", "MD_TO")


def quantifier_of(c: Checker, i: int, x) -> None:
    """"most of people" -> "most people": 'of' comes before 'the', 'my', 'them', not a bare noun."""
    if x.w in _QUANTIFIERS and x.nxt == "of" and x.prev not in ("the", "a", "at", "make", "makes", "made") and c.linked(i + 1):
        k = i + 2
        if k < len(c.toks) and (c.eff[k] in G.irregular_plurals or _bare_plural(c, k)) and c.toks[k][2].islower():
            c.tok_drop(i + 1, f"Write '{x.w} {c.toks[k][2]}' or '{x.w} of the {c.toks[k][2]}'.", "MOST_OF_NOUN")


def to_too_much(c: Checker, i: int, x) -> None:
    """"It costs to much." -> "too much"."""
    if x.w == "to" and x.nxt == "much" and x.prev not in _NOT_AFTER_TO_MUCH and c.ends_after(i + 1):
        c.tok_edit(i, "too", "Did you mean 'too much'? 'Too' means 'excessively'.", "CONFUSION_TO_TOO")


_NOT_COUNTED = {"many": "much", "few": "little"}


def counted_uncountable(c: Checker, i: int, x) -> None:
    """"many advices" -> "much advice", "few informations" -> "little information": an
    uncountable noun (its plural corrected on its own) takes 'much' or 'little'."""
    if x.w in _NOT_COUNTED and c.linked(i) and c.toks[i + 1][2].islower() and _uncountable(c, i + 1):
        c.tok_edit(i, _NOT_COUNTED[x.w], f"'{c.eff[i + 1]}' is uncountable: use '{{repl}}'.", "MUCH_UNCOUNTABLE")


_CAUSATIVE = frozenset({"make", "makes", "made", "making", "let", "lets", "letting"})
_OBJECTS = PEOPLE | {"others", "kids"}
_GO = frozenset({"go", "goes", "went", "going", "gone"})
_ACTIVITIES = frozenset({"shopping", "swimming", "fishing", "hiking", "running", "skiing", "camping", "dancing", "walking", "jogging", "sightseeing"})


def causative_to(c: Checker, i: int, x) -> None:
    """"makes them to be" -> "makes them be": make and let take the bare verb."""
    if x.w in _CAUSATIVE and x.nxt in _OBJECTS and x.nxt2 == "to" and c.linked(i + 1) and c.linked(i + 2) and c.word_at(i + 3) in _VERBS:
        c.tok_drop(i + 2, f"After '{c.toks[i][2]} {c.toks[i + 1][2]}', use the verb without 'to'.", "MAKE_TO")


_OBJECT_DETERMINERS = frozenset({"the", "those", "these", "this", "that", "my", "your", "his", "her", "their", "our"})
VERB_RATIO = 10  # "he thinks" must be this many times as common as "the thinks" (a verb, not a plural noun)


def causative_base(c: Checker, i: int, x) -> None:
    """"it makes those people thinks" -> "makes those people think", "let it goes" -> "let it go":
    after make or let and its object, the verb takes its base form. Only forms English uses as
    verbs far more than as plural nouns ("made them stars" keeps its noun)."""
    from pipelines.rules.spelling import bigrams

    k = i + 1
    if x.nxt in _OBJECTS or x.nxt == "it":
        v = k + 1
    elif x.nxt in _OBJECT_DETERMINERS and x.nxt2 is not None and c.toks[k + 1][2].islower() and c.linked(k):
        v = k + 2
    else:
        return
    verb = c.word_at(v)
    if verb not in G.base_of_third or not c.linked(v - 1) or not c.toks[v][2].islower() or c.hyphenated(v):
        return
    pairs = bigrams()
    if verb in G.verb_only or pairs.get(f"he {verb}", 0) > VERB_RATIO * (1 + pairs.get(f"the {verb}", 0)):
        c.tok_edit(v, G.base_of_third[verb], f"After '{c.toks[i][2]}' and its object, use the base form '{{repl}}'.", "MAKE_BASEFORM")


def go_for_ing(c: Checker, i: int, x) -> None:
    """"go for shopping" -> "go shopping"."""
    if x.w in _GO and x.nxt == "for" and x.nxt2 in _ACTIVITIES and c.linked(i + 1) and (not c.linked(i + 2) or c.word_at(i + 3) in ("and", "or", "with", "in", "at", "on")):
        c.tok_drop(i + 1, f"Write '{c.toks[i][2]} {c.toks[i + 2][2]}' without 'for'.", "GO_FOR_ING")


_MODALS = G.modals | _SURE_MODALS
_PREDICATES = frozenset({"able", "unable", "happy", "ready", "afraid", "successful", "useful", "possible", "sure", "aware", "responsible", "careful"})


_SENTENCE_END = re.compile(r"[.!?\n]")
_PRONOUN_SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she", "it", "this", "that"})


def modal_be(c: Checker, i: int, x) -> None:
    """"we will able to" -> "we will be able to", "this will the proof" -> "this will be the proof":
    a modal needs 'be' before an adjective or, after a subject pronoun, a noun phrase."""
    modal = x.prev if x.w == "not" else x.w
    if x.w in _MODALS and x.prev in _PRONOUN_SUBJECTS and x.nxt in ("the", "a", "an") and x.nxt2 is not None:
        end = _SENTENCE_END.search(c.text, c.toks[i][1])
        if end is None or end.group() != "?":  # "Why would it the ...?" is a question, not a slip
            c.tok_edit(i + 1, "be " + c.toks[i + 1][2], "A modal verb needs a verb: '{repl}'.", "MD_BE_ADJ")
        return
    if modal in _MODALS and x.nxt in _PREDICATES and (x.w == "not" or x.prev not in ("the", "a", "free", "good", "his", "her", "their", "my", "your", "our")):
        if x.nxt2 is not None or c.ends_after(i + 1):
            c.tok_edit(i + 1, "be " + c.toks[i + 1][2], "A modal verb needs a verb: '{repl}'.", "MD_BE_ADJ")


RULES = (
    (double_determiner, {"a", "an", "the"}),
    (modal_be, _MODALS | {"not"}),
    (causative_to, _CAUSATIVE),
    (causative_base, _CAUSATIVE),
    (go_for_ing, _GO),
    (article_plural, {"a", "an"}),
    (modal_to, G.modals | _SURE_MODALS | {"not"}),
    (quantifier_of, _QUANTIFIERS),
    (to_too_much, {"to"}),
    (counted_uncountable, set(_NOT_COUNTED)),
)
