"""Commonly confused words: their/there/they're, its/it's, your/you're, then/than, affect/effect...

Each rule fires only in a context where the other word is clearly meant: "your" becomes
"you're" before "welcome", not in "on your right"; "then" becomes "than" after a
comparative only when something is compared ("better then the old one", not "lower then.").
"""

from __future__ import annotations

from pipelines.rules.words import GRAMMAR as G

_BE_FORMS = frozenset({"is", "are", "was", "were", "isn't", "aren't", "wasn't", "weren't"})
_THINK = frozenset({"think", "know", "guess", "hope", "said", "say", "believe", "because"})
_THEIR = "Did you mean 'their'? 'There' is a place; 'their' shows possession."
_THEYRE = "Did you mean 'they're' (they are)?"


def _verb_phrase_goes_on(c, i: int, after: str | None) -> bool:
    """After an -ing word at i: a verb's object or complement follows, not the noun it describes."""
    if after is None:
        return c.ends_after(i)
    return after in G.after_verb or after in G.determiners or after in G.obj_pronouns or after.endswith("ly")


def their_there(c, i: int, x) -> None:
    w, nxt, prev = x.w, x.nxt, x.prev
    if w == "their" and nxt in _BE_FORMS:
        c.tok_edit(i, "there", "Did you mean 'there'? 'Their' shows possession.", "CONFUSION_THEIR_THERE")
    elif w in ("their", "there") and nxt in G.ing_verbs and not (nxt == "going" and x.nxt2 == "to" and c.word_at(i + 3) == "be"):
        subject_slot = x.at_start or prev in G.conj or prev in _THINK
        if (w == "their" or subject_slot) and _verb_phrase_goes_on(c, i + 1, x.nxt2):
            c.tok_edit(i, "they're", _THEYRE, "CONFUSION_THEIR_THERE")
    elif w == "their" and nxt in ("not", "always", "never", "really", "gonna", "so"):
        c.tok_edit(i, "they're", _THEYRE, "CONFUSION_THEIR_THERE")
    elif w == "there" and nxt in G.possessed and (x.at_start or prev in G.there_noun_prev) and x.nxt2 not in ("is", "are", "was", "were"):
        if not (nxt == "best" and prev not in ("did", "do", "tried", "try", "their")) and not (nxt in ("way", "home") and x.at_start):
            c.tok_edit(i, "their", _THEIR, "CONFUSION_THEIR_THERE")
    elif w == "there" and nxt in ("new", "old", "own") and prev in G.there_noun_prev and prev != "and":
        c.tok_edit(i, "their", _THEIR, "CONFUSION_THEIR_THERE")
    elif w == "they're" and nxt in G.possessed - G.not_theyre_nouns:
        c.tok_edit(i, "their", "Did you mean 'their'? 'They're' means 'they are'.", "CONFUSION_THEIR_THERE")


def its_it_s(c, i: int, x) -> None:
    nxt, nxt2 = x.nxt, x.nxt2
    degree = nxt in ("very", "so", "really", "quite", "extremely") and (nxt2 in G.its_adj or nxt2 in G.too_adj)  # "its very hard"
    if x.w == "its" and (nxt in G.its_direct or degree or (nxt in G.its_adj and (nxt2 in G.adj_end or nxt2 in G.adj_after or c.ends_after(i + 1)))):
        c.tok_edit(i, "it's", "Did you mean 'it's' (it is)? 'Its' shows possession.", "CONFUSION_ITS_IT_S")
    elif x.w == "it's" and nxt in G.its_nouns:
        c.tok_edit(i, "its", "Did you mean 'its'? 'It's' means 'it is'.", "CONFUSION_ITS_IT_S")


def your_you_re(c, i: int, x) -> None:
    nxt, nxt2 = x.nxt, x.nxt2
    subject_slot = x.at_start or x.prev in G.conj or x.prev in _THINK or not c.linked(i - 1)
    predicate = nxt in ("ready", "sure", "right", "wrong") and (nxt2 in G.adj_end or nxt2 in ("about", "for") or c.ends_after(i + 1))
    if x.w == "your" and (nxt in G.your_next or (subject_slot and predicate)):
        c.tok_edit(i, "you're", "Did you mean 'you're' (you are)? 'Your' shows possession.", "CONFUSION_YOUR_YOU_RE")
    elif x.w == "you're" and nxt in (G.possessed - {"best", "way", "home"}) | G.youre_nouns:
        c.tok_edit(i, "your", "Did you mean 'your'? 'You're' means 'you are'.", "CONFUSION_YOUR_YOU_RE")
    if x.w == "who's" and nxt in G.possessed - G.not_theyre_nouns and nxt != "own":
        c.tok_edit(i, "whose", "Did you mean 'whose'? 'Who's' means 'who is'.", "CONFUSION_WHOSE_WHO_S")
    elif x.w == "whose" and nxt in G.ing_verbs:
        c.tok_edit(i, "who's", "Did you mean 'who's' (who is)?", "CONFUSION_WHOSE_WHO_S")


def than_at_end(c, i: int, x) -> None:
    if x.w == "than" and x.at_start:
        c.tok_edit(i, "then", "Did you mean 'then'? 'Than' compares; 'then' is about time.", "CONFUSION_THAN_THEN")


def then_than(c, i: int, x) -> None:
    if x.w in G.comparatives and x.nxt == "then" and c.linked(i + 1) and not (x.w == "other" and x.prev in (None, "the", "each", "every", "and")):
        c.tok_edit(i + 1, "than", "Did you mean 'than'? Comparisons use 'than'.", "CONFUSION_THEN_THAN")
    if x.w == "than" and (x.prev in G.then_before or x.at_start):
        c.tok_edit(i, "then", "Did you mean 'then'? 'Than' compares; 'then' is about time.", "CONFUSION_THAN_THEN")


def affect_effect(c, i: int, x) -> None:
    w, prev, nxt = x.w, x.prev, x.nxt
    if w in ("affect", "affects") and prev in G.affect_before and nxt in ("on", "of"):
        c.tok_edit(i, "effect" + w[6:], "Did you mean '{repl}'? The noun is 'effect'; 'affect' is the verb.", "CONFUSION_AFFECT_EFFECT")
    elif w == "effect" and (prev in G.effect_verb_before or prev in G.modals) and nxt not in G.effect_objects and (nxt in G.effect_verb_after or prev in G.modals):
        c.tok_edit(i, "affect", "Did you mean 'affect'? The verb is 'affect'; 'effect' is usually the noun.", "CONFUSION_AFFECT_EFFECT")
    elif w == "effects" and prev in ("it", "this", "that", "which", "he", "she") and nxt in G.effect_verb_after:
        c.tok_edit(i, "affects", "Did you mean 'affects'? The verb is 'affect'.", "CONFUSION_AFFECT_EFFECT")


def lose_loose(c, i: int, x) -> None:
    w, prev = x.w, x.prev
    if w == "loose" and (prev in ("to", "not", "never", "i", "you", "we", "they") or prev in G.modals or prev in G.do_aux or prev in ("won't", "can't", "couldn't", "wouldn't", "shouldn't")):
        c.tok_edit(i, "lose", "Did you mean 'lose'? 'Loose' means 'not tight'.", "CONFUSION_LOSE_LOOSE")
    if w == "loosing":
        c.tok_edit(i, "losing", "Did you mean 'losing'? 'Loosing' means 'making loose'.", "CONFUSION_LOSE_LOOSE")
    if x.nxt == "lose" and w in ("is", "are", "was", "were", "too", "very", "came", "come", "comes"):
        c.tok_edit(i + 1, "loose", "Did you mean 'loose' (not tight)? 'Lose' is a verb.", "CONFUSION_LOSE_LOOSE")


def to_too(c, i: int, x) -> None:
    w, prev, nxt, nxt2 = x.w, x.prev, x.nxt, x.nxt2
    if w == "to" and prev in G.to_too_before and nxt in G.too_adj and nxt2 not in ("the", "a", "an") and not (prev == "much" and nxt != "much"):
        c.tok_edit(i, "too", "Did you mean 'too' (excessively)?", "CONFUSION_TO_TOO")
    if w == "too" and (nxt in G.determiners - {"that", "this"} or (prev in G.too_verb_before and nxt in G.base_verbs)):
        c.tok_edit(i, "to", "Did you mean 'to'? 'Too' means 'also' or 'excessively'.", "CONFUSION_TO_TOO")
    end = c.toks[i + 1][1]
    if nxt == "to" and ((w in G.obj_pronouns and prev in ("love", "miss", "like")) or w in ("there", "here")) and c.text[end : end + 1] in (".", "!", ""):
        c.tok_edit(i + 1, "too", "Did you mean 'too' (also)?", "CONFUSION_TO_TOO")


def other_pairs(c, i: int, x) -> None:
    """grate/great, except/accept, weather/whether, quiet/quite."""
    w, prev, nxt = x.w, x.prev, x.nxt
    if w == "grate" and prev in G.be:
        c.tok_edit(i, "great", "Did you mean 'great'? A grate is a metal frame.", "CONFUSION_GRATE_GREAT")
    if w in ("excepted", "except", "excepts") and (nxt in G.determiners - {"that", "this", "these", "those"} or nxt in ("it", "them")):
        if prev in G.accept_subjects or w == "excepted":
            c.tok_edit(i, "accept" + w[6:], "Did you mean '{repl}'? 'Except' means 'apart from'.", "CONFUSION_ACCEPT_EXCEPT")
    if w == "weather" and nxt == "or" and x.nxt2 == "not":
        c.tok_edit(i, "whether", "Did you mean 'whether'? 'Weather' is rain and sun.", "CONFUSION_WEATHER_WHETHER")
    if w == "quiet" and nxt in G.quiet_next and (nxt != "a" or prev not in ("be", "is", "was", "keep", "stay", "stayed", "kept", "very", "so")):
        c.tok_edit(i, "quite", "Did you mean 'quite' (rather)? 'Quiet' means 'not loud'.", "CONFUSION_QUIET_QUITE")


# Each rule with the words (token i, lower case) that can trigger it.
RULES = (
    (their_there, {"their", "there", "they're"}),
    (its_it_s, {"its", "it's"}),
    (your_you_re, {"your", "you're", "who's", "whose"}),
    (then_than, G.comparatives | {"than"}),
    (affect_effect, {"affect", "affects", "effect", "effects"}),
    (lose_loose, {"loose", "loosing", "is", "are", "was", "were", "too", "very", "came", "come", "comes"}),
    (to_too, G.obj_pronouns | {"to", "too", "there", "here"}),
    (other_pairs, {"grate", "excepted", "except", "excepts", "weather", "quiet"}),
)
