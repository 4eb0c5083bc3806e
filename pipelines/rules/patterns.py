"""Fixed learner patterns, each with one clear fix.

"I am agree" -> "I agree"; "have went" -> "have gone"; "enjoy to swim" -> "enjoy swimming";
"look forward to meet" -> "look forward to meeting"; "since two years" -> "for two years";
"he said me that" -> "he told me that"; "listen music" -> "listen to music"; "explain me" ->
"explain to me"; "I am interesting in" -> "I am interested in"; "It's is" -> "It is"; "the
important is" -> "the important thing is"; "better than other." -> "better than the other.";
"I agree the statement." -> "I agree with the statement."
"""

from __future__ import annotations

from pipelines.rules.checker import P_GRAMMAR, Checker, match_case
from pipelines.rules.words import GRAMMAR as G
from pipelines.vocabulary import Task

_PERSONS = frozenset({"i", "you", "we", "they", "he", "she"})
_BE = {"am": "", "is": "s", "are": "", "was": "d", "were": "d"}
_AGREE = frozenset({"agree", "disagree"})
_PARTICIPLES = {
    "went": "gone", "took": "taken", "wrote": "written", "ate": "eaten", "saw": "seen", "did": "done", "began": "begun",
    "broke": "broken", "chose": "chosen", "drove": "driven", "gave": "given", "knew": "known", "spoke": "spoken",
    "stole": "stolen", "threw": "thrown", "wore": "worn", "forgot": "forgotten", "rode": "ridden", "fell": "fallen",
    "flew": "flown", "grew": "grown", "drank": "drunk", "sang": "sung", "swam": "swum", "became": "become", "shook": "shaken",
}
_HAVE = frozenset({"have", "has", "had", "haven't", "hasn't", "hadn't", "'ve"})
_ADVERBS = frozenset({"already", "never", "just", "not", "ever", "always", "also", "recently", "finally"})
_ING_VERBS = frozenset({"enjoy", "enjoys", "enjoyed", "enjoying", "avoid", "avoids", "avoided", "finish", "finishes", "finished"})
_SPANS = frozenset({"years", "months", "weeks", "days", "hours", "decades", "centuries", "minutes"})
_COUNTS = frozenset("two three four five six seven eight nine ten eleven twelve many several few a couple".split())
_SAID = {"said": "told", "says": "tells", "say": "tell"}
_OBJECTS = frozenset({"me", "him", "her", "us", "them"})
_LISTEN = frozenset({"listen", "listens", "listened", "listening"})
_HEARD = frozenset({"music", "songs", "radio", "the", "my", "his", "her", "their", "our", "your", "me", "him", "them", "us"})
_EXPLAIN = frozenset({"explain", "explains", "explained", "explaining"})
_FEELINGS = {
    "interesting": ("interested", {"in"}), "exciting": ("excited", {"about"}), "boring": ("bored", {"with", "of"}),
    "surprising": ("surprised", {"at", "by"}), "disappointing": ("disappointed", {"with", "in", "by"}),
    "frightening": ("frightened", {"of"}), "confusing": ("confused", {"about", "by"}), "worrying": ("worried", {"about"}),
    "embarrassing": ("embarrassed", {"about", "by"}), "satisfying": ("satisfied", {"with"}), "tiring": ("tired", {"of"}),
}
_DEGREE = frozenset({"very", "so", "really", "quite", "too", "not", "more", "most", "also"})


def _ing(base: str) -> str | None:
    """The -ing form of a verb the dictionary knows: "meet" -> "meeting", "make" -> "making", "stop" -> "stopping"."""
    from pipelines.rules.spelling import dictionary

    words = dictionary()
    forms = [base + "ing"]
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms.insert(0, base[:-1] + "ing")
    if len(base) > 2 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3] not in "aeiou":
        forms.append(base + base[-1] + "ing")
    known = [f for f in forms if f in words]
    return max(known, key=lambda f: words[f]) if known else None


def _verb(word: str | None) -> bool:
    """A base verb: listed, or common after 'can' as well as after 'to' in English text ("can swim")."""
    from pipelines.rules.spelling import bigrams

    if word is None or word in G.determiners or not word.isalpha():
        return False
    if word in G.clear_base_verbs or word in G.third_person:
        return True
    pairs = bigrams()
    after_can = pairs.get(f"can {word}", 0)
    return after_can >= 1_000_000 and pairs.get(f"to {word}", 0) < 100 * after_can  # "to the" is no verb


def be_agree(c: Checker, i: int, x) -> None:
    """"I am agree" -> "I agree", "she is not agree" -> "she does not agree"."""
    if x.prev is None or x.w not in _BE or not c.linked(i - 1):
        return
    k = i + 2 if x.nxt == "not" else i + 1
    if c.word_at(k) not in _AGREE or (k == i + 2 and not c.linked(i + 1)):
        return
    verb, past = c.eff[k], x.w in ("was", "were")
    if k == i + 2:
        aux = "did" if past else "does" if x.w == "is" else "do"
        s, e = c.toks[i][0], c.toks[i + 1][1]
        c.add(s, e - s, match_case(c.toks[i][2], aux + " not"), Task.GRAMMAR, f"'{verb}' is a verb: '{aux} not {verb}'.", "BE_AGREE", P_GRAMMAR)
        return
    s, e = c.toks[i][0], c.toks[k][1]
    repl = verb + ("d" if past else "s" if x.w == "is" else "")
    c.add(s, e - s, match_case(c.toks[i][2], repl), Task.GRAMMAR, f"'{verb}' is a verb: write '{repl}'.", "BE_AGREE", P_GRAMMAR)


def have_participle(c: Checker, i: int, x) -> None:
    """"I have went" -> "I have gone": a perfect tense takes the past participle."""
    k = i + 2 if x.nxt in _ADVERBS and x.nxt2 in _PARTICIPLES and c.linked(i + 1) else i + 1
    past = c.word_at(k)
    if past in _PARTICIPLES and c.toks[k][2].islower() and x.prev is not None:
        c.tok_edit(k, _PARTICIPLES[past], f"After '{c.toks[i][2]}', use the past participle '{{repl}}'.", "HAVE_PAST_PARTICIPLE")


def ing_after(c: Checker, i: int, x) -> None:
    """"enjoy to swim" -> "enjoy swimming", "look forward to meet" -> "look forward to meeting"."""
    if x.w in _ING_VERBS and x.nxt == "to" and _verb(x.nxt2) and c.linked(i + 1):
        form = _ing(x.nxt2)
        if form:
            s, e = c.toks[i + 1][0], c.toks[i + 2][1]
            c.add(s, e - s, form, Task.GRAMMAR, f"'{c.toks[i][2]}' takes the -ing form: '{c.toks[i][2]} {form}'.", "VERB_ING", P_GRAMMAR)
    elif x.w == "forward" and x.prev in ("look", "looks", "looked", "looking") and x.nxt == "to" and _verb(x.nxt2) and c.linked(i + 1):
        form = _ing(x.nxt2)
        if form:
            c.tok_edit(i + 2, form, "After 'look forward to', use the -ing form: '{repl}'.", "VERB_ING")


def since_for(c: Checker, i: int, x) -> None:
    """"I live here since two years" -> "for two years": 'since' takes a point in time."""
    k = i + 2 if x.nxt in ("a", "the") and x.nxt2 in ("few", "couple", "last", "past") else i + 1
    count = c.word_at(k)
    span = c.word_at(k + 1) if count != "couple" else c.word_at(k + 2)
    if count in _COUNTS and span in _SPANS and x.nxt not in ("the",) and c.linked(i):
        c.tok_edit(i, "for", "For a length of time, use 'for': '{repl}'.", "SINCE_FOR")


def said_me(c: Checker, i: int, x) -> None:
    """"He said me that" -> "He told me that"."""
    if x.nxt in _OBJECTS and x.nxt2 in ("that", "about", "to", "how", "what", "why", "the") and x.prev is not None and x.prev != "to":
        c.tok_edit(i, _SAID[x.w], "You say something, but tell someone: '{repl}'.", "SAY_TELL")


def listen_to(c: Checker, i: int, x) -> None:
    """"We listen music" -> "We listen to music", "explain me the rules" -> "explain to me the rules"."""
    if x.w in _LISTEN and x.nxt in _HEARD and x.nxt2 is not None and not (x.nxt in ("her", "his") and x.nxt2 in ("and", "carefully")):
        c.tok_edit(i, c.toks[i][2] + " to", "Write '{repl}': listen takes 'to'.", "LISTEN_TO")
    elif x.w in _EXPLAIN and x.nxt in ("me", "us", "him") and x.nxt2 in ("the", "how", "what", "why", "that", "this", "about", "where", "when", "a", "an", "his", "my", "our", "their"):
        c.tok_edit(i, c.toks[i][2] + " to", "Write '{repl}': you explain something to someone.", "EXPLAIN_TO")


def feelings(c: Checker, i: int, x) -> None:
    """"I am interesting in music" -> "I am interested in music": a person feels the -ed form."""
    k = i + 2 if x.nxt in _DEGREE and c.linked(i + 1) else i + 1
    word = c.word_at(k)
    if x.prev not in _PERSONS or word not in _FEELINGS or not c.linked(k):
        return
    right, preps = _FEELINGS[word]
    if c.word_at(k + 1) in preps:
        c.tok_edit(k, right, f"A person is '{{repl}}'; '{c.toks[k][2]}' describes what causes the feeling.", "ING_ED_ADJECTIVE")


_S_IS = frozenset({"it's", "that's", "there's", "here's", "what's", "he's", "she's"})


def contraction_is(c: Checker, i: int, x) -> None:
    """"It's is very clear" -> "It is very clear": the 's already says 'is'."""
    if x.w in _S_IS and x.nxt == "is" and c.low[i] == x.w:
        s, e, word = c.toks[i][0], c.toks[i + 1][1], c.toks[i][2]
        repl = word[:-2] + " is"
        c.add(s, e - s, repl, Task.GRAMMAR, f"'{word}' already says 'is': write '{repl}'.", "IT_S_IS", P_GRAMMAR)


def important_thing(c: Checker, i: int, x) -> None:
    """"The important is to try" -> "The important thing is to try": an adjective after 'the'
    needs its noun before a verb (the only exception, "the rich are", is about people)."""
    if x.nxt not in ("is", "was") or not c.linked(i - 1):
        return
    if x.prev == "the" or (x.prev == "most" and c.word_at(i - 2) == "the" and c.linked(i - 2)):
        c.tok_edit(i, c.toks[i][2] + " thing", "Add the noun: '{repl}'.", "THE_ADJECTIVE_NOUN")


_CLAUSE_LINKS = frozenset({"but", "and", "or", "so", "why", "because", "since", "while"})


def than_the_other(c: Checker, i: int, x) -> None:
    """"one is more important than other." -> "than the other": 'other' standing alone needs 'the'
    (or the plural 'others'); before a noun ("than other people") it is right as it is."""
    if x.w != "than" or x.nxt != "other" or c.protected(i + 1):
        return
    if (x.nxt2 is None and (c.ends_after(i + 1) or not c.linked(i + 1))) or x.nxt2 in _CLAUSE_LINKS:
        c.tok_edit(i + 1, "the other", "'Other' on its own needs 'the': '{repl}'.", "THAN_THE_OTHER")


_AGREE_FORMS = frozenset({"agree", "agrees", "agreed", "agreeing", "disagree", "disagrees", "disagreed", "disagreeing"})
_PERSON_OBJECTS = frozenset({"him", "them", "me", "us"})
_AGREE_DETERMINERS = frozenset({"the", "this", "these", "those", "his", "her", "their", "my", "your", "our", "some", "most", "many", "all"})
_OPINIONS = frozenset(
    "statement statements idea ideas opinion opinions view views point points author writer speaker professor lecturer teacher "
    "argument arguments claim claims suggestion theory people person".split()
)
_AFTER_AGREED_PHRASE = frozenset({"with", "for", "because", "and", "but", "since", "as", "on", "in", "completely", "entirely", "totally"})


def agree_with(c: Checker, i: int, x) -> None:
    """"I agree the statement." -> "I agree with the statement", "we agreed some ideas" -> "agreed
    with some ideas": the person or opinion you agree with takes 'with'. Only where the noun phrase
    ends there: "I agree the plan is good" is "agree (that) the plan is good"."""
    if x.w not in _AGREE_FORMS or x.prev in ("the", "a", "to") and x.w.endswith("s") or not c.linked(i):
        return
    if x.nxt in _PERSON_OBJECTS:
        end = i + 1
    elif x.nxt in _AGREE_DETERMINERS and x.nxt2 is not None and x.nxt2 not in G.determiners and c.linked(i + 1):
        end = i + 2 if c.word_at(i + 3) is None or not c.linked(i + 2) or c.word_at(i + 3) in _AFTER_AGREED_PHRASE else None
        if end is None and c.linked(i + 2) and c.word_at(i + 3) is not None and (c.word_at(i + 4) is None or not c.linked(i + 3) or c.word_at(i + 4) in _AFTER_AGREED_PHRASE):
            end = i + 3 if c.eff[i + 2] in G.adjectives else None  # "the whole idea."
    else:
        return
    if end is None or (end == i + 1 and c.word_at(i + 2) == "to") or (end > i + 1 and c.eff[end] not in _OPINIONS):
        return  # "we agreed the terms": British English agrees a price, a plan, a date
    c.tok_edit(i, c.toks[i][2] + " with", f"You {x.w.removesuffix('s').removesuffix('d').removesuffix('ing')} with someone or something: '{{repl}}'.", "AGREE_WITH")


_BE_FORMS = frozenset({"is", "was", "are", "were", "be", "been"})
_NOT_HEAD_NOUNS = G.determiners | G.after_verb | G.conj | G.modals | G.be | frozenset({"to", "than", "as", "if", "enough"})


def the_most(c: Checker, i: int, x) -> None:
    """"Kyoto is most beautiful city in Japan" -> "is the most beautiful city": a superlative before
    its noun takes 'the'. Only 'be' + most + adjective + a noun that ends its phrase."""
    from pipelines.rules.grammar import _noun_ends_phrase
    from pipelines.rules.spelling import dictionary

    if x.w != "most" or x.prev not in _BE_FORMS or x.nxt not in G.adjectives or x.nxt2 is None or not c.linked(i + 1):
        return
    k = i + 2
    noun = c.eff[k]
    if noun in _NOT_HEAD_NOUNS or noun in G.adjectives or noun.endswith("ly") or noun not in dictionary() or not c.toks[k][2].islower():
        return
    if c.hyphenated(k) or not _noun_ends_phrase(c, k):
        return
    c.tok_edit(i, "the most", "A superlative before its noun takes 'the': '{repl}'.", "THE_SUPERLATIVE")


_LETTER_NAMES = frozenset({"a", "an", "the", "letter", "vowel", "plan", "grade", "type", "and", "or", "of"})


def text_speak_you(c: Checker, i: int, x) -> None:
    """"because u know it" -> "because you know it": 'u' between two words stands for 'you'."""
    s, e, word = c.toks[i]
    if word != "u" or x.prev is None or x.prev in _LETTER_NAMES or not x.prev.isalpha():
        return
    if not (x.nxt in G.modals or x.nxt in G.be or x.nxt in G.do_aux or x.nxt in ("don't", "dont", "can't", "cant", "have") or x.nxt in G.clear_base_verbs or x.nxt in G.third_person):
        return  # a verb must follow: "press u to undo" names a key
    c.add(s, e - s, "you", Task.GRAMMAR, "Write 'you' in full.", "U_YOU", P_GRAMMAR)


_INTERNET_BEFORE = frozenset("on from through via use uses used using access accesses accessed accessing browse browsing surf surfing search searching".split())


def the_internet(c: Checker, i: int, x) -> None:
    """"searching internet" -> "searching the internet", "hackers in internet" -> "hackers on the
    internet": the network is 'the internet', and things are on it."""
    from pipelines.rules.grammar import _noun_ends_phrase

    k = i + 1
    if c.eff[k] != "internet" or not c.linked(i) or c.protected(k) or not _noun_ends_phrase(c, k):
        return
    if x.w == "in" and x.prev not in ("interest", "interested", "invest", "invested", "investment", "trust", "faith", "belief", "growth", "rise"):
        s, e = c.toks[i][0], c.toks[k][1]
        c.add(s, e - s, match_case(c.toks[i][2], "on the ") + c.toks[k][2], Task.GRAMMAR, "Things are 'on the internet'.", "THE_INTERNET", P_GRAMMAR)
    elif x.w in _INTERNET_BEFORE:
        c.tok_edit(k, "the " + c.toks[k][2], "Write '{repl}': there is one internet.", "THE_INTERNET")


_AFTER_PREDICATE = frozenset({"because", "to", "for", "that", "and", "but", "when", "if", "since", "as"})


def it_adjective(c: Checker, i: int, x) -> None:
    """"But it dangerous, because..." -> "But it is dangerous": 'it' opening a clause needs a verb
    before an adjective (only adjectives with no verb or noun reading)."""
    if x.w != "it" or not (x.at_start or x.prev in G.conj or x.prev in G.clause_openers) or x.nxt not in G.adjectives:
        return
    if (x.nxt2 is None and c.ends_after(i + 1)) or x.nxt2 in _AFTER_PREDICATE:
        c.tok_edit(i, c.toks[i][2] + " is", "A verb is missing: '{repl}'.", "IT_IS_ADJECTIVE")


_TRUTH_VERBS = frozenset("learn learns learned learnt learning know knows knew knowing tell tells told telling discover discovers discovered hide hides hid accept accepts accepted face faced seek seeks sought reveal reveals revealed".split())


def the_truth(c: Checker, i: int, x) -> None:
    """"He chose to learn truth." -> "learn the truth": the truth someone knows, learns or tells is 'the truth'."""
    if x.nxt == "truth" and c.toks[i + 1][2] == "truth" and (x.nxt2 is None or x.nxt2 in _AFTER_PREDICATE or x.nxt2 in ("about", "of", "in")):
        if not (x.w in ("tell", "tells", "told", "telling") and x.nxt2 == "from"):  # "tell truth from fiction"
            c.tok_edit(i + 1, "the truth", "Write '{repl}'.", "THE_TRUTH")


def extra_word(c: Checker, i: int, x) -> None:
    """"besides of their work" -> "besides their work", "in very less time" -> "in less time":
    'besides' takes its object directly, and 'very' does not go with 'less'."""
    if (x.w == "besides" and x.nxt == "of" and x.nxt2 is not None) or (x.w == "very" and x.nxt == "less"):
        c.tok_drop(i + 1 if x.w == "besides" else i, f"Drop '{c.toks[i + 1][2] if x.w == 'besides' else c.toks[i][2]}' here.", "UNNECESSARY_WORD")


_EVERYONE_NEXT = frozenset({"knows", "wants", "needs", "thinks", "says", "likes", "agrees", "believes"})
_ASK_TO = frozenset("make makes made making let lets help helps helped want wants wanted ask asks asked allow allows allowed expect expects expected".split())


def every_one(c: Checker, i: int, x) -> None:
    """"to make every one to understand" -> "everyone": 'every one' (each single one) is followed by
    'of' or stands for things; before a verb or 'to' it is the pronoun 'everyone'."""
    if x.w == "every" and x.nxt == "one" and (x.nxt2 in _EVERYONE_NEXT or (x.nxt2 == "to" and x.prev in _ASK_TO)) and c.linked(i + 1):
        s, e = c.toks[i][0], c.toks[i + 1][1]
        repl = match_case(c.toks[i][2], "everyone")
        if x.prev in ("make", "makes", "made", "making", "let", "lets") and x.nxt2 == "to" and c.linked(i + 2) and (c.word_at(i + 3) in G.clear_base_verbs or c.word_at(i + 3) in G.base_verbs or c.word_at(i + 3) in G.third_person):
            e, repl = c.toks[i + 3][0], repl + " "  # "make every one to understand" -> "make everyone understand"
        c.add(s, e - s, repl, Task.GRAMMAR, "Write 'everyone' as one word here.", "EVERYONE", P_GRAMMAR)


RULES = (
    (extra_word, {"besides", "very"}),
    (every_one, {"every"}),
    (it_adjective, {"it"}),
    (the_truth, _TRUTH_VERBS),
    (the_internet, _INTERNET_BEFORE | {"in"}),
    (text_speak_you, {"u"}),
    (the_most, {"most"}),
    (than_the_other, {"than"}),
    (agree_with, _AGREE_FORMS),
    (contraction_is, _S_IS),
    (important_thing, {"important"}),
    (be_agree, set(_BE)),
    (have_participle, _HAVE),
    (ing_after, _ING_VERBS | {"forward"}),
    (since_for, {"since"}),
    (said_me, set(_SAID)),
    (listen_to, _LISTEN | _EXPLAIN),
    (feelings, set(_BE)),
)
