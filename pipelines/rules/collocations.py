"""Learner collocations: the preposition a word takes, and words with no slot after a verb.

"depend of" -> "depend on", "interested about" -> "interested in", "discuss about" -> "discuss",
"return back" -> "return" (tables in `data/collocations.json`); "easy to me to see" -> "easy for
me to see"; "there is editors" -> "there are editors"; "traveled France" -> "traveled to France".
"""

from __future__ import annotations

from pipelines.rules.checker import Checker
from pipelines.rules.words import COLLOCATIONS as CO

# Forms that are nouns too ("the focus in", "a lack of"): only after a subject or a modal.
_NOUN_TOO = frozenset({"focus", "lack", "mention", "return", "trust"})
_VERB_BEFORE = frozenset("i you we they he she it to can could will would should must might may not don't didn't never also often".split())
_NUMBERS = frozenset("one two three four five six seven eight nine ten twenty fifty hundred half a an".split())
_NOT_PLACES = frozenset({"home", "back", "there", "here", "abroad", "out", "away", "together", "alone", "first", "last", "the", "this", "that", "and"})
_FOR_ADJECTIVES = frozenset(
    "easy hard difficult important necessary possible impossible good better best bad useful dangerous boring interesting fun "
    "normal common natural helpful essential vital crucial enough convenient comfortable safe unsafe healthy beneficial".split()
)
# People as an object: "easy for them to", "make them go".
PEOPLE = frozenset({"me", "him", "her", "us", "them", "you", "people", "everyone", "everybody", "someone", "somebody", "anyone", "children", "students"})


# After these, 'to' is a preposition and a noun follows: "due to lack of", "thanks to trust in".
_TO_PREPOSITION = frozenset("due owing thanks prior close next similar related contrary compared according".split())


def _verb_slot(c: Checker, i: int, x) -> bool:
    return x.w not in _NOUN_TOO or (x.prev in _VERB_BEFORE and not (x.prev == "to" and c.word_at(i - 2) in _TO_PREPOSITION))


def preposition(c: Checker, i: int, x) -> None:
    """"depend of" -> "depend on", "interested about" -> "interested in"."""
    right = CO.prepositions.get(x.w, {}).get(x.nxt)
    if right is not None and _verb_slot(c, i, x) and not (x.nxt == "in" and x.nxt2 == "on") and c.linked(i):
        c.tok_edit(i + 1, right, f"The usual preposition after '{c.toks[i][2]}' is '{{repl}}'.", "WRONG_PREPOSITION")


def no_preposition(c: Checker, i: int, x) -> None:
    """"discuss about the plan" -> "discuss the plan", "return back" -> "return"."""
    drop = CO.no_preposition.get(x.w)
    if drop is not None and x.nxt == drop and x.nxt2 is not None and x.nxt2 not in _NUMBERS and not x.nxt2.isdigit() and _verb_slot(c, i, x):
        c.tok_drop(i + 1, f"'{c.toks[i][2]}' takes its object directly: drop '{c.toks[i + 1][2]}'.", "UNNECESSARY_PREPOSITION")
    again = CO.redundant.get(x.w)
    if again is not None and x.nxt == again and _verb_slot(c, i, x) and (again != "up" or x.nxt2 == "with"):
        c.tok_drop(i + 1, f"'{c.toks[i][2]}' already says it: drop '{c.toks[i + 1][2]}'.", "REDUNDANT_WORD")


def easy_for(c: Checker, i: int, x) -> None:
    """"It is easy to me to see" -> "easy for me to see": the person comes after 'for'."""
    if x.w in _FOR_ADJECTIVES and x.nxt == "to" and x.nxt2 in PEOPLE and c.linked(i + 1) and c.linked(i + 2) and c.word_at(i + 3) == "to":
        c.tok_edit(i + 1, "for", f"Write '{c.toks[i][2]} for {c.toks[i + 2][2]} to', not 'to {c.toks[i + 2][2]} to'.", "ADJ_FOR_TO")


def there_is_bare_plural(c: Checker, i: int, x) -> None:
    """"there is editors who" -> "there are editors who": a plural noun right after 'there is'."""
    from pipelines.rules.usage import _bare_plural

    if x.w != "there" or x.nxt not in ("is", "was") or x.nxt2 is None or not c.linked(i + 1) or c.toks[i][2][0] not in "tT":
        return
    if x.nxt2 in ("lots", "means", "news") or c.eff[i + 2] != c.low[i + 2] or not _bare_plural(c, i + 2):
        return
    c.tok_edit(i + 1, "are" if x.nxt == "is" else "were", "Use a plural verb before '" + c.toks[i + 2][2] + "': '{repl}'.", "THERE_S_MANY")


_MOTION = frozenset("go goes went going gone come comes came coming travel travels traveled travelled traveling travelling".split())
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december dutch".split())


def motion_to(c: Checker, i: int, x) -> None:
    """"When I traveled France" -> "traveled to France": a verb of motion reaches a place through 'to'."""
    k = i + 1
    if k >= len(c.toks) or not c.linked(i) or i in c.first_of_sentence or k in c.first_of_sentence or c.protected(k):
        return  # "Go Team!": an imperative
    place = c.toks[k][2]
    if place[:1].isupper() and place[1:].isalpha() and place[1:].islower() and len(place) > 2 and c.low[k] not in _DAYS and c.low[k] not in _NOT_PLACES:
        c.tok_edit(i, c.toks[i][2] + " to", "A place after '{word}' takes 'to': '{repl}'.", "MOTION_TO")


RULES = (
    (motion_to, _MOTION),
    (preposition, set(CO.prepositions)),
    (no_preposition, set(CO.no_preposition) | set(CO.redundant)),
    (easy_for, _FOR_ADJECTIVES),
    (there_is_bare_plural, {"there"}),
)
