"""A plural noun right before a singular verb: "endangered animals is" -> "animals are",
"most of these systems runs" -> "systems run"; a relative clause after one person or thing:
"a person who are" -> "a person who is".

The noun must head its clause's subject: no 'of' or other preposition just before it ("the
price of cars is" agrees with 'price'), no pronoun before it ("what he wants is": 'wants' is a
verb), no -ing word before it ("understanding concepts and ideas is"), and English text must put the noun before 'are' clearly more often than before 'is'.
"""

from __future__ import annotations

from pipelines.rules.checker import Checker
from pipelines.rules.words import ARTICLES, GRAMMAR as G

PLURAL_VERB_RATIO = 3
_NUMBERS = G.plural_quantifiers - {"these", "those", "many", "several", "various", "numerous", "few", "both"}
_QUANTITY_OF = frozenset({"most", "many", "some", "all", "few", "several", "both"})
_VERBS = frozenset({"is", "was", "has", "does", "isn't", "wasn't", "hasn't", "doesn't"})
_AMOUNTS = frozenset("years months weeks days hours minutes seconds dollars euros pounds miles kilometers kilometres percent points times".split())
_NOT_BEFORE = frozenset(
    "of in on at for with from by about to than like between among into through during without under over after before "
    "he she it i you we they who what this there one each every a an".split()
)


def plural_noun_verb(c: Checker, i: int, x) -> None:
    from pipelines.rules.grammar import _plural
    from pipelines.rules.spelling import bigrams

    k = i - 1
    if x.prev is None or x.prev[-1:] != "s" or k - 1 < x.a or not c.toks[k][2].islower() or x.prev in G.not_plural or x.prev in G.irregular_plurals:
        return
    if any((c.eff[j] in _NOT_BEFORE and not _quantity_of(c, j)) or c.eff[j].endswith("ing") for j in range(max(x.a, k - 3), k)) or not all(c.linked(j) for j in range(max(x.a, k - 3), k)):
        return
    if not _plural(x.prev) or c.hyphenated(k) or x.prev in _AMOUNTS or any(c.eff[j] in _NUMBERS for j in range(max(x.a, k - 3), k)):
        return  # "Five years is a long time": an amount is one thing
    if any(ch.isdigit() or ch in "$\u20ac\u00a3%" for ch in c.text[c.starts[max(x.a, k - 3)] : c.toks[k][0]]):
        return  # an amount: "$5 is", "2 apples is"
    right = G.singular_verb_to_plural.get(x.w) or G.base_of_third.get(x.w)
    if x.w in G.base_of_third:
        from pipelines.rules.grammar import _verb_follows

        if not _verb_follows(c, i, x.nxt) or x.w in G.not_plural:
            return  # "the sales figures": a noun, not a verb
    pairs = bigrams()
    if right and pairs.get(f"{x.prev} are", 0) > PLURAL_VERB_RATIO * (1 + pairs.get(f"{x.prev} is", 0)):
        c.tok_edit(i, right, f"'{c.toks[k][2]}' is plural, so the verb should be '{{repl}}'.", "SUBJECT_VERB_AGREEMENT")


def _quantity_of(c: Checker, j: int) -> bool:
    """Token j is the 'of' of "most of", "many of": the plural after it is the subject."""
    return c.eff[j] == "of" and c.word_at(j - 1) in _QUANTITY_OF


_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she", "it"})
_SINGLE = frozenset({"a", "an", "every", "each", "another", "one"})
_SINGULAR_VERB = {plural: singular for singular, plural in G.singular_verb_to_plural.items()}  # "are" -> "is"


def relative_agreement(c: Checker, i: int, x) -> None:
    """"a person who are capable" -> "a person who is capable": 'who'/'that' after 'a', 'every',
    'each' and one listed count noun stands for that one noun. Not after a group noun ("a team who
    are" is good British English) and not when 'that' could begin a clause of its own."""
    k = i - 1
    noun = c.word_at(k)
    if x.nxt not in _SINGULAR_VERB or k - 1 < x.a or noun not in ARTICLES.countable_nouns or noun in G.collective:
        return
    if c.word_at(k - 1) not in _SINGLE or not (c.linked(k - 1) and c.linked(k) and c.linked(i)) or not c.toks[k][2].islower():
        return
    if (x.nxt == "have" and x.nxt2 == "to") or x.nxt2 in _PRONOUNS:
        return  # "have to" reads as its own verb; "told a friend that are you ...": a question, not a clause
    c.tok_edit(i + 1, _SINGULAR_VERB[x.nxt], f"'{x.w}' stands for one {noun} here, so the verb should be '{{repl}}'.",
               "SUBJECT_VERB_AGREEMENT")


RULES = ((plural_noun_verb, _VERBS | set(G.base_of_third)), (relative_agreement, {"who", "that"}))
