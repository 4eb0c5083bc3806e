"""Verb forms and word order that learners get wrong in fixed slots.

"will causes" / "could even began" -> the base form after a modal, an adverb between or not;
"have to reduced" / "want to goes" -> the base form after a verb that takes 'to' + infinitive;
"did not developed" / "doesn't needs" -> the base form after a negated 'do';
"the most worst" -> "the worst"; "a such chance" -> "such a chance"; "three persons" -> "three
people". A regular verb is recognised by English itself: the base form must be common after the
modal (or 'to') and the written form all but unheard there (SymSpell's bigram counts).
"""

from __future__ import annotations

from pipelines.rules import articles
from pipelines.rules.checker import P_GRAMMAR, Checker, match_case
from pipelines.rules.words import GRAMMAR as G
from pipelines.vocabulary import Task

# A modal (or its negation) and the positive modal whose bigrams decide.
_MODALS = {
    **{m: m for m in ("can", "could", "will", "would", "should", "must", "might", "shall")},
    **{"cannot": "can", "can't": "can", "couldn't": "could", "won't": "will", "wouldn't": "would", "shouldn't": "should", "mustn't": "must"},
}
_ADVERBS = frozenset("even also still only just never always really certainly probably definitely surely easily soon often usually not".split())
_NOT_AFTER_SUBJECT = frozenset({"the", "a", "an", "free", "good", "his", "her", "their", "my", "your", "our", "its", "own", "god's", "last", "political", "strong"})
_TO_VERBS = frozenset(
    "have has had need needs needed want wants wanted able unable try tries tried decide decides decided plan plans planned hope hopes hoped".split()
)
_SPECIAL = {"has": "have", "does": "do", "was": "be", "were": "be", "is": "be", "are": "be", "am": "be"}
_NOT_FORMS = frozenset("always sometimes perhaps besides towards afterwards nowadays unless less news series species means lens bus gas yes this thus".split())
MIN_BASE_COUNT = 1_000_000  # the base form after the modal or 'to' must be this common...
RATIO = 10  # ...and this many times as common as the written form there
_PARTICIPLES = frozenset("been had have be do tried wanted needed liked made said found kept lost met paid sent spent taught told thought brought bought understood won".split())
_SUPERLATIVES = frozenset({"best", "worst", "least"})
_PAST_OF_PRESENT = {"is": "was", "are": "were", "am": "was", "has": "had", "have": "had", "does": "did", "do": "did",
                    "isn't": "wasn't", "aren't": "weren't", "hasn't": "hadn't", "haven't": "hadn't", "doesn't": "didn't",
                    "don't": "didn't", "was": "was", "were": "were", "wasn't": "wasn't", "weren't": "weren't"}
_IRREGULAR_PAST_OF = {base: past for past, base in G.irregular_past.items() if past not in G.base_of_third and not past.endswith("ed")}
_QUANTITY = frozenset("two three four five six seven eight nine ten many several few some these those other hundreds thousands".split())


def _stems(word: str) -> list[str]:
    """Base forms a regular -s or -ed form could come from: "causes" -> "causes"[:-1], [:-2]..."""
    if word.endswith("ies") or word.endswith("ied"):
        return [word[:-3] + "y"]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return [word[:-1], word[:-2]] if word.endswith("es") else [word[:-1]]
    if word.endswith("ed"):
        out = [word[:-2], word[:-1]]
        if len(word) > 4 and word[-3] == word[-4]:
            out.append(word[:-3])  # "stopped" -> "stop"
        return out
    return []


def _base(before: str, word: str) -> str | None:
    """The base form of `word` when English has "<before> <base>" and hardly ever "<before> <word>"."""
    from pipelines.rules.spelling import bigrams, dictionary

    if word in _SPECIAL:
        return _SPECIAL[word]
    if word in G.irregular_past:
        return G.irregular_past[word]
    if word in _NOT_FORMS or len(word) < 4:
        return None
    pairs, words = bigrams(), dictionary()
    written = pairs.get(f"{before} {word}", 0)
    best, best_count = None, max(MIN_BASE_COUNT, RATIO * written)
    for stem in _stems(word):
        count = pairs.get(f"{before} {stem}", 0)
        if stem in words and count > best_count:
            best, best_count = stem, count
    return best


def past_tense(subject: str, present: str) -> str | None:
    """The past tense of a present-tense verb after `subject` ("is" -> "was", "goes" -> "went"):
    irregular from the tables, regular the spelling English writes after `subject` most often
    ("stopped", "tried", "visited"); None when no form is known."""
    from pipelines.rules.spelling import bigrams, dictionary

    if present in _PAST_OF_PRESENT:
        return _PAST_OF_PRESENT[present]
    base = G.base_of_third.get(present)
    if base is None:
        return None
    if base in _IRREGULAR_PAST_OF:
        return _IRREGULAR_PAST_OF[base]
    forms = [base + "ed", base + "d" if base.endswith("e") else None, base + base[-1] + "ed" if len(base) > 2 else None,
             base[:-1] + "ied" if base.endswith("y") and base[-2:-1] not in "aeiou" else None]
    known, pairs = dictionary(), bigrams()
    count, form = max(((pairs.get(f"{subject} {f}", 0), f) for f in forms if f and f in known), default=(0, None))
    return form if count else None


def _fix(c: Checker, k: int, base: str | None, why: str, rule: str) -> None:
    if base is not None and c.toks[k][2].islower() and not c.hyphenated(k) and not c.protected(k):
        c.tok_edit(k, base, why + ": '{repl}'.", rule)


def after_modal(c: Checker, i: int, x) -> None:
    """"The heat will causes damage" -> "will cause", "they could even began" -> "could even begin"."""
    word = c.toks[i][2]
    if x.w not in _MODALS or not word.islower() or x.prev in _NOT_AFTER_SUBJECT:
        return
    k = i + 1
    if x.nxt in _ADVERBS and x.nxt2 is not None:
        k = i + 2
    verb = c.word_at(k)
    if verb is None or verb in _ADVERBS or verb in _PARTICIPLES or (k == i + 2 and not c.linked(i + 1)):
        return  # a participle may be a passive without 'be': no clear fix
    if k + 1 < len(c.toks) and c.linked(k) and c.word_at(k + 1) in ("of", "and", "or"):
        return  # a noun after all: "will sales of", "can crops and"
    _fix(c, k, _base(_MODALS[x.w], verb), f"After '{word}', use the base form of the verb", "MD_BASEFORM")


def after_to(c: Checker, i: int, x) -> None:
    """"We have to reduced costs" -> "have to reduce", "I want to goes" -> "want to go"."""
    if x.w != "to" or x.prev not in _TO_VERBS or x.nxt is None or x.nxt in ("be", "have", "do"):
        return
    _fix(c, i + 1, _base("to", x.nxt), f"After '{x.prev} to', use the base form of the verb", "TO_BASEFORM")


_NEGATED_DO = frozenset({"didn't", "doesn't", "don't"})


def after_negated_do(c: Checker, i: int, x) -> None:
    """"They did not developed it" -> "did not develop", "she doesn't needs" -> "doesn't need".

    Only after a negation, where 'do' is surely the auxiliary ("what he did changed" keeps its
    verb), and an -ed form only after 'did'. Irregular pasts have their own rule; an -ed form that English puts after 'very'
    ("interested", "tired") is an adjective, with no clear fix."""
    from pipelines.rules.spelling import bigrams

    if not ((x.w == "not" and x.prev in ("did", "does", "do")) or x.w in _NEGATED_DO) or x.nxt is None:
        return
    verb = x.nxt
    if verb in G.irregular_past:
        return
    past = x.w == "didn't" or x.prev == "did"  # "don't finished" may mean "haven't finished": no clear fix
    if verb.endswith("ed") and past and not bigrams().get(f"very {verb}", 0):
        base = _base("to", verb)
    elif verb.endswith("s"):
        base = G.base_of_third.get(verb)
    else:
        return
    _fix(c, i + 1, base, f"After '{c.toks[i][2] if x.w != 'not' else x.prev + ' not'}', use the base form of the verb", "DID_BASEFORM")


def double_superlative(c: Checker, i: int, x) -> None:
    """"the most worst day" -> "the worst day": the superlative needs no 'most'."""
    from pipelines.rules.spelling import dictionary

    sup = x.nxt
    if x.w != "most" or sup is None or not c.linked(i) or c.hyphenated(i + 1):
        return
    if sup in _SUPERLATIVES or (sup.endswith("est") and sup[:-3] + "er" in G.comparative_forms and sup in dictionary()):
        s, e = c.toks[i][0], c.toks[i + 1][0]
        c.add(s, e - s, "", Task.GRAMMAR, f"'{c.toks[i + 1][2]}' is already a superlative; drop 'most'.", "MOST_SUPERLATIVE", P_GRAMMAR)


def such_a(c: Checker, i: int, x) -> None:
    """"in a such situation" -> "in such a situation"."""
    if x.w not in ("a", "an") or x.nxt != "such" or x.nxt2 is None or not c.linked(i + 1):
        return
    ns, ne, nxt_word = c.toks[i + 2]
    if not nxt_word.isalpha():
        return
    an = articles.needs_an(nxt_word, c.low[i + 2])
    if an is None:
        return
    s, _, art = c.toks[i]
    e = c.toks[i + 1][1]
    repl = match_case(art, "such " + ("an" if an else "a"))
    c.add(s, e - s, repl, Task.GRAMMAR, f"Write '{repl}', not '{c.text[s:e]}'.", "SUCH_A", P_GRAMMAR)


def persons(c: Checker, i: int, x) -> None:
    """"three persons" -> "three people": 'persons' belongs to legal and formal notices;
    "a lot of peoples" -> "a lot of people": 'peoples' are nations."""
    if x.w in _QUANTITY and x.nxt == "persons" and c.toks[i + 1][2].islower():
        c.tok_edit(i + 1, "people", "The usual plural of 'person' is '{repl}'.", "PERSONS_PEOPLE")
    elif (x.w in _QUANTITY or (x.w == "of" and x.prev in ("lot", "lots", "most", "some", "all", "many"))) and x.nxt == "peoples" and c.toks[i + 1][2].islower():
        c.tok_edit(i + 1, "people", "'People' is already plural; 'peoples' means nations.", "PERSONS_PEOPLE")


_BE_PRESENT = frozenset({"am", "is", "are"})
_PERSONAL = frozenset({"i", "you", "we", "they", "he", "she", "it"})


def be_base(c: Checker, i: int, x) -> None:
    """"advertisements are make products seem better" -> "advertisements make", "he is go" -> "he goes":
    a present 'be' before a bare verb that has an object is a slip for the simple present."""
    from pipelines.rules.grammar import _verb_follows

    verb = x.nxt
    if x.w not in _BE_PRESENT or verb not in G.clear_base_verbs or verb == "be" or x.prev is None or not c.linked(i):
        return
    subject = x.prev in _PERSONAL or (x.w == "are" and x.prev.endswith("s") and c.toks[i - 1][2][1:].islower() and not x.prev.endswith("ss"))
    if not subject or not (_verb_follows(c, i + 1, x.nxt2) or (x.nxt2 or "").endswith("s")):
        return
    s, e = c.toks[i][0], c.toks[i + 1][1]
    third = x.w == "is" and x.prev not in ("i", "you", "we", "they")
    repl = G.third_person.get(verb) if third else verb
    if repl:
        c.add(s, e - s, repl, Task.GRAMMAR, f"Use the simple present '{repl}' (or '{x.w} {verb}ing').", "BE_BASEFORM", P_GRAMMAR)


_FREQUENCY = frozenset("also always already often usually never sometimes".split())
_NOT_MAIN_VERBS = G.be | G.modals | G.do_aux | {"have", "has", "had", "get", "gets", "got", "make", "makes", "made", "let", "lets", "help", "helps"}
_OBJECT_START = G.determiners | {"another", "some", "many", "much", "more", "new", "important"}
_BEFORE_BASE = G.modals | {"to", "i", "you", "we", "they"}


def adverb_order(c: Checker, i: int, x) -> None:
    """"plays also an important role" -> "also plays", "would like to buy always another one" ->
    "always buy": a frequency adverb goes before a main verb, not between it and its object.
    Only after a verb (a verb-only word, a third-person or clearly past form, or a base form after
    'to', a modal or a subject pronoun) and before a determiner."""
    verb = x.prev
    if verb is None or x.nxt not in _OBJECT_START or verb in _NOT_MAIN_VERBS or not c.linked(i) or i - 1 in c.first_of_sentence:
        return
    before = c.word_at(i - 2) if c.linked(i - 2) else None
    if before in G.determiners:
        return  # "the plays": a noun
    if not (verb in G.verb_only or verb in G.base_of_third or verb in G.clear_past or (verb in G.third_person and before in _BEFORE_BASE)):
        return
    s, _, verb_word = c.toks[i - 1]
    e, adverb = c.toks[i][1], c.toks[i][2]
    repl = f"{match_case(verb_word, adverb.lower())} {verb_word.lower() if verb_word[0].isupper() else verb_word}"
    c.add(s, e - s, repl, Task.GRAMMAR, f"Put '{adverb.lower()}' before the verb: '{repl}'.", "ADVERB_WORD_ORDER", P_GRAMMAR)


RULES = (
    (adverb_order, _FREQUENCY),
    (be_base, _BE_PRESENT),
    (after_modal, set(_MODALS)),
    (after_to, {"to"}),
    (after_negated_do, {"not"} | _NEGATED_DO),
    (double_superlative, {"most"}),
    (such_a, {"a", "an"}),
    (persons, _QUANTITY | {"of"}),
)
