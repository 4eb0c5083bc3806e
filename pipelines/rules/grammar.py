"""Grammar rules that read a token and its neighbours: pronouns, verb forms, agreement.

Each rule is a small function `rule(c, i, x)` on the checker `c`, token index `i` and its
context `x`; `check_sentence` runs them over one sentence. Rules fire only where the fix
is clearly right: agreement needs the real subject (a pronoun, or a determiner + noun at
the start of a clause), not the nearest noun.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.rules import agreement, articles, collocations, confusions, number, patterns, usage, verbforms, wordforms
from pipelines.rules.checker import P_GRAMMAR, Checker, Sentence
from pipelines.rules.words import GRAMMAR as G
from pipelines.rules.words import PUNCTUATION
from pipelines.vocabulary import Task

AGREE: dict[str, dict[str, str]] = {
    **G.agree,
    **{s: G.agree["he"] for s in ("she", "it")},
    **{s: G.agree["we"] for s in ("they", "you")},
    "those": G.agree["these"],
    "that": G.agree["this"],
    **{s: {k: v for k, v in G.agree["he"].items() if k != "am"} for s in G.indefinite_subjects},
}
_INTRO = frozenset(tuple(p.split()) for p in PUNCTUATION.intro_phrases)
_SUBJECT_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she"})
_COMPOUND_PARTS = frozenset({"he", "she", "i", "you", "we", "they", "it", "him", "her", "me", "them", "us"})
# Words that put a sentence in the past ("last week") and ones that keep it in the present
_LAST_WHAT = frozenset("night week weekend month year summer winter spring autumn fall time monday tuesday wednesday thursday friday saturday sunday".split())
_NOT_PAST_TIME = frozenset("every usually always often sometimes never now today tonight tomorrow nowadays currently will".split())
_NOT_PAST_AFTER_MODAL = frozenset(
    "tried wanted needed liked made said found kept lost met paid sent spent taught told thought brought bought understood won".split()
)


@dataclass(slots=True)
class Ctx:
    w: str  # the token, lower case, after spelling correction
    prev: str | None  # the previous token when only whitespace separates them
    nxt: str | None
    nxt2: str | None
    at_start: bool
    a: int  # the sentence's first token
    b: int  # one past the sentence's last token


def _context(c: Checker, i: int, sent: Sentence) -> Ctx:
    eff, links = c.eff, c.links  # links[k]: tokens k and k+1 are separated by whitespace only
    nxt = eff[i + 1] if i + 1 < sent.b and links[i] and not c.protected(i + 1) else None
    nxt2 = eff[i + 2] if nxt is not None and i + 2 < sent.b and links[i + 1] else None
    prev = eff[i - 1] if i > sent.a and links[i - 1] else None
    return Ctx(c.eff[i], prev, nxt, nxt2, i == sent.a, sent.a, sent.b)


def pronoun_i(c: Checker, i: int, x: Ctx) -> None:
    s, e, word = c.toks[i]
    if x.w == "i" and word == "i":
        code = (e < len(c.text) and c.text[e] in ".-]=_[)") or (s and c.text[s - 1] in ".-[(_=") or (x.prev == "for" and x.nxt == "in")
        if not code and c.low[i + 1 : i + 2] == ["m"] and c.linked(i):  # "i m happy"
            c.add(s, c.toks[i + 1][1] - s, "I'm", Task.GRAMMAR, "Write 'I'm' (I am).", "I_LOWERCASE", P_GRAMMAR)
        elif not code:
            c.add(s, 1, "I", Task.GRAMMAR, "The pronoun 'I' is always written with a capital letter.", "I_LOWERCASE", P_GRAMMAR)
    elif x.w in ("i'm", "i've", "i'll", "i'd") and word[0] == "i" and c.low[i] == x.w:  # "im" has its own fix
        c.add(s, e - s, "I" + word[1:], Task.GRAMMAR, "The pronoun 'I' is always written with a capital letter.", "I_LOWERCASE", P_GRAMMAR)


def base_form(c: Checker, i: int, x: Ctx) -> None:
    """Modal or do + a form other than the base form: "can speaks", "didn't knew", "could of"."""
    word = c.toks[i][2]
    if x.w in ("could", "would", "should", "must", "might", "may") and x.nxt == "of" and x.nxt2 != "course":
        c.tok_edit(i + 1, "have", "Did you mean '{word}' → 'have'? After a modal verb, write 'have', not 'of'.", "COULD_OF")
    if x.w in G.modals and (word[0].islower() or (x.at_start and word not in ("Will", "May", "Can"))):
        if x.nxt in ("is", "are", "was", "were", "am"):
            c.tok_edit(i + 1, "be", "After a modal verb, use the base form 'be'.", "MD_BASEFORM")
        elif x.nxt in G.irregular_past and x.nxt not in _NOT_PAST_AFTER_MODAL:
            c.tok_edit(i + 1, G.irregular_past[x.nxt], "After a modal verb, use the base form of the verb: '{repl}'.", "MD_BASEFORM")
        elif x.nxt in G.base_of_third and (x.nxt2 is not None or c.ends_after(i + 1)) and x.prev not in ("the", "a"):
            c.tok_edit(i + 1, G.base_of_third[x.nxt], "After a modal verb, use the base form of the verb: '{repl}'.", "MD_BASEFORM")
    if x.w in G.do_aux and x.nxt in G.irregular_past:
        c.tok_edit(i + 1, G.irregular_past[x.nxt], "After '" + word + "', use the base form of the verb: '{repl}'.", "DID_BASEFORM")
    if (x.w in G.modals or x.w in G.do_aux) and x.nxt in _SUBJECT_PRONOUNS and x.nxt2 in G.clear_past and c.linked(i + 1):
        rule = "MD_BASEFORM" if x.w in G.modals else "DID_BASEFORM"
        c.tok_edit(i + 2, G.irregular_past[x.nxt2], "After '" + word + "', use the base form of the verb: '{repl}'.", rule)
    if x.w == "not" and x.prev in G.do_aux and x.nxt in G.irregular_past:
        c.tok_edit(i + 1, G.irregular_past[x.nxt], "After 'did not', use the base form of the verb: '{repl}'.", "DID_BASEFORM")


def _compound(c: Checker, i: int, x: Ctx) -> bool:
    """Is the subject at i the second half of "X and <subject>"?"""
    if x.prev not in ("and", "or", "nor"):
        return False
    k = i - 2
    if k < x.a or not c.linked(k):
        return k < x.a
    return c.eff[k] in _COMPOUND_PARTS or c.toks[k][2][0].isupper()


def _rule_name(i: int, x: Ctx) -> str:
    return "AGREEMENT_SENT_START" if i == x.a else "SUBJECT_VERB_AGREEMENT"


def pronoun_agreement(c: Checker, i: int, x: Ctx) -> None:
    """A pronoun subject and its verb: "He have", "They was", "She go to"."""
    subj, word = x.w, c.toks[i][2]
    if subj not in AGREE:
        return
    boundary = x.at_start or not c.linked(i - 1) or after_intro(c, i, x.a)
    if ((subj in ("it", "you", "that") or subj in G.indefinite_subjects) and not (boundary or x.prev in G.conj)) or (subj == "that" and not x.at_start):
        return
    if x.prev in G.aux_before_subject:
        return
    message = f"The verb does not agree with the subject '{word}'. Did you mean '{{repl}}'?"
    table = AGREE[subj]
    if x.nxt in table:
        if subj in ("he", "she", "it", "i", "this", "that") and _compound(c, i, x):
            return  # compound subject: "He and she are"
        if x.nxt == "were" and any(c.eff[k] in ("if", "wish", "though", "unless", "suppose", "imagine") for k in range(max(x.a, i - 3), i)):
            return  # subjunctive: "if he were"
        _agree(c, i, x, table[x.nxt], message)
    elif subj in ("he", "she", "it") and x.nxt in G.third_person and x.prev != "that" and not _compound(c, i, x) and not c.hyphenated(i + 1):
        if _verb_follows(c, i + 1, x.nxt2):
            _agree(c, i, x, G.third_person[x.nxt], message)


def _agree(c: Checker, i: int, x: Ctx, present: str, message: str) -> None:
    """The verb after the subject at i made to agree (`present`): in the past tense when the
    sentence says it speaks of the past ("She go to school yesterday" -> "went", not "goes");
    no edit when it does and the past form is not known."""
    marker = _past_time(c, x)
    if marker is None:
        c.tok_edit(i + 1, present, message, _rule_name(i, x))
    elif past := verbforms.past_tense(x.w, present):
        c.tok_edit(i + 1, past, f"'{marker}' puts this sentence in the past: did you mean '{{repl}}'?", "PAST_TIME_AGREEMENT")


def _past_time(c: Checker, x: Ctx) -> str | None:
    """The words that put the sentence at x in the past ("yesterday", "two years ago", "last
    week"), unless it also speaks of now or of habit ("every day", "usually", "now")."""
    words = c.eff[x.a : x.b]
    if _NOT_PAST_TIME.intersection(words):
        return None
    for k, word in enumerate(words):
        if word in ("yesterday", "ago"):
            return word
        if word == "last" and k + 1 < len(words) and words[k + 1] in _LAST_WHAT:
            return f"last {words[k + 1]}"
    return None


def after_intro(c: Checker, i: int, a: int) -> bool:
    """Token i follows an introductory phrase that opens its sentence: "In addition it ..."."""
    return 0 < i - a <= 4 and tuple(c.low[a:i]) in _INTRO


def _verb_follows(c: Checker, k: int, after: str | None) -> bool:
    """Does what follows token k read like the rest of a verb phrase (not a noun compound)?
    Always, when token k can only be a verb ("it transmit diseases")."""
    if c.eff[k] in G.verb_only:
        return True
    if after is None:
        return c.ends_after(k) or not c.linked(k)
    return after in G.after_verb or after.endswith("ly") or after in G.determiners or after in G.obj_pronouns


def _plural(noun: str) -> bool:
    from pipelines.rules.spelling import dictionary

    if noun in G.irregular_plurals:
        return True
    if not noun.endswith("s") or noun.endswith(("ss", "us", "is", "ous", "ics", "'s")) or len(noun) <= 3:
        return False
    words = dictionary()
    return (noun.endswith("ies") and noun[:-3] + "y" in words) or noun[:-1] in words or (noun.endswith("es") and noun[:-2] in words)


def noun_agreement(c: Checker, i: int, x: Ctx) -> None:
    """Determiner + noun + verb at the start of a clause: "My parents was", "The cat sleep all day",
    "This rule apply to all", "The teacher always say", "A good teacher help" (not "This time
    make sure": an imperative after a time or way)."""
    if x.w not in _NOUN_DETERMINERS or x.nxt2 is None or (x.w in ("this", "that") and x.nxt in _WHEN_OR_HOW):
        return
    if not (x.at_start or x.prev in G.clause_openers or not c.linked(i - 1)):
        return  # "parking their cars is": the noun phrase is an object, not the subject
    from pipelines.rules.spelling import dictionary

    n = i + 2 if x.nxt in ARTICLE_ADJECTIVES and c.linked(i + 1) and c.word_at(i + 3) is not None and c.linked(i + 2) else i + 1  # the noun
    noun_word, noun, v = c.toks[n][2], c.eff[n], n + 1  # v: the verb's token
    verb = c.word_at(v)
    if verb in _FREQUENCY and c.linked(v) and (c.word_at(v + 1) in G.third_person or c.word_at(v + 1) in G.singular_verb_to_plural):
        v, verb = v + 1, c.word_at(v + 1)  # "Our teacher always say"
    if not noun_word.islower() or c.hyphenated(n) or c.hyphenated(n + 1) or noun in G.not_plural or noun in G.group_words or noun in G.modals:
        return
    if noun in _SUBJECT_PRONOUNS or noun in G.obj_pronouns:
        return  # "that you receive": 'that' joins a clause, it determines no noun
    after = c.word_at(v + 1) if c.linked(v) else None
    if x.w not in _SINGULAR_DETERMINERS and _plural(noun) and (verb in G.singular_verb_to_plural or verb in G.base_of_third):
        if verb not in G.singular_verb_to_plural and not _verb_follows(c, v, after):
            return
        right = G.singular_verb_to_plural.get(verb) or G.base_of_third[verb]
        c.tok_edit(v, right, f"'{noun_word}' is plural, so the verb should be '{{repl}}'.", _rule_name(i, x))
    elif verb in G.third_person and G.third_person[verb] and x.w not in ("these", "those"):
        if noun in G.collective or noun in G.irregular_plurals or noun.endswith("s") or noun not in dictionary() or len(noun) < 3:
            return
        if noun in G.too_adj or noun in G.its_adj or noun in ARTICLE_ADJECTIVES:
            return  # an adjective: "the long walk"
        if not c.linked(n) or not _verb_follows(c, v, after):
            return
        c.tok_edit(v, G.third_person[verb], f"The verb does not agree with '{noun_word}'. Did you mean '{{repl}}'?", _rule_name(i, x))


def _plural_of(noun: str) -> str | None:
    from pipelines.rules.spelling import dictionary

    words = dictionary()
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        form = noun[:-1] + "ies"
    elif noun.endswith(("s", "sh", "ch", "x", "z")):
        form = noun + "es"
    else:
        form = noun + "s"
    return form if form in words else None


# Words that cannot continue a noun phrase: a determiner opens the next one ("many new employee
# every year"), a past verb or a comparative follows its subject ("many student came", "many subject better")
_STARTS_ANOTHER_PHRASE = G.np_determiners | G.clear_past | G.comparatives | {"a", "an", "this", "such", "like", "than", "not", "never", "always", "also", "all"}


def _noun_ends_phrase(c: Checker, k: int) -> bool:
    """Token k is the last word of its noun phrase: punctuation, a verb or a function word follows."""
    if not c.linked(k):
        return True
    after = c.word_at(k + 1)
    return after is None or after in G.noun_followers or after in G.modals or after in _STARTS_ANOTHER_PHRASE


_MANY_OF = frozenset({"one", "many", "each", "several", "few", "both"})
_NOT_A_NOUN = G.be | G.modals | G.after_verb | G.conj | G.do_aux | G.determiners
_PART_OF = frozenset({"some", "most", "all", "any", "none"})
_PEOPLE = frozenset("kid friend parent citizen member employee tourist visitor user player child".split()) | articles.ROLE_NOUNS


def noun_number(c: Checker, i: int, x: Ctx) -> None:
    """"many reason" -> "many reasons", "one of the problem" -> "one of the problems",
    "many beautiful place" -> "many beautiful places" (one adjective between)."""
    of_the = x.w in ("the", "my", "our", "their", "his", "her", "your") and c.word_at(i - 1) == "of"
    partitive = of_the and c.word_at(i - 2) in _PART_OF  # "most of the city" is a part of one city
    plural_context = x.w in G.plural_quantifiers or (of_the and c.word_at(i - 2) in _MANY_OF) or partitive
    if not plural_context:
        return
    k = i + 2 if x.nxt in G.adjectives and c.linked(i + 1) and c.word_at(i + 2) is not None else i + 1
    noun = c.eff[k]
    if partitive and noun not in _PEOPLE:  # but not a part of one kid: "most of the kid knew"
        return
    if noun in _NOT_A_NOUN or noun in G.verb_only or noun in G.irregular_past:  # "these are", "those found in": a pronoun, then no noun
        return
    if x.w == "both" and c.word_at(k + 1) == "and":
        return  # "both read and write modes": two words joined, not one counted
    if noun in G.uncountable or noun.endswith("s") or not c.toks[k][2].islower() or c.hyphenated(k) or (k > i + 1 and (noun in G.adjectives or c.hyphenated(i + 1))):
        return
    from pipelines.rules.spelling import dictionary

    plural = _plural_of(noun)
    if plural is None or noun not in dictionary() or noun in G.modals or noun in G.irregular_plurals or noun in G.group_words or noun in G.comparative_forms or noun.endswith(("ing", "ly", "ed", "ful", "ous", "ive", "al", "ic")):
        return
    if _noun_ends_phrase(c, k):
        c.tok_edit(k, plural, f"After '{x.w}', use the plural '{{repl}}'.", "NOUN_NUMBER")


def plural_subject(c: Checker, i: int, x: Ctx) -> None:
    """"People is" -> "People are", "Children likes" -> "Children like", "that young people is"
    -> "that young people are" (one adjective between the clause's start and the noun)."""
    opens = G.clause_openers | G.plural_quantifiers | {"most", "some", "all", "other"}
    adjective_first = x.prev in G.adjectives and (i - 1 == x.a or (c.linked(i - 2) and (c.eff[i - 2] in opens or c.eff[i - 2] in G.conj)))
    if not (x.at_start or x.prev in opens or not c.linked(i - 1) or adjective_first):
        return
    verb = x.nxt
    right = G.singular_verb_to_plural.get(verb) or (G.base_of_third.get(verb) if _verb_follows(c, i + 1, x.nxt2) else None)
    if right is not None:
        c.tok_edit(i + 1, right, f"'{c.toks[i][2]}' is plural, so the verb should be '{{repl}}'.", _rule_name(i, x))


def proper_adjective(c: Checker, i: int, x: Ctx) -> None:
    """Languages, nationalities, countries, days and months take a capital: "english" -> "English"."""
    word = c.toks[i][2]
    if word.islower() and not c.hyphenated(i):
        c.tok_edit(i, word.capitalize(), "Names of languages, nationalities, countries, cities, days and months start with a capital: '{repl}'.", "EN_PROPER_NOUN_CASE")


def to_infinitive(c: Checker, i: int, x: Ctx) -> None:
    """"I want go" -> "I want to go"."""
    if x.nxt in G.clear_base_verbs and x.prev not in ("the", "a", "an", "my", "your", "our", "their", "his", "her", "its"):
        c.tok_edit(i, c.toks[i][2] + " to", "Put 'to' before the verb: '{repl}'.", "MISSING_TO_BEFORE_A_VERB")


def comparatives(c: Checker, i: int, x: Ctx) -> None:
    """"more faster" -> "faster"."""
    if x.w == "more" and x.nxt in G.comparative_forms and (x.prev in G.be or x.prev in _BECOME or x.nxt2 in ("than", "and", "or", None)):
        if x.nxt2 is not None or c.ends_after(i + 1):
            s0, e0 = c.toks[i][0], c.toks[i + 1][0]
            c.add(s0, e0 - s0, "", Task.GRAMMAR, f"'{x.nxt}' is already a comparative; drop 'more'.", "MORE_COMPARATIVE", P_GRAMMAR)


def verb_choice(c: Checker, i: int, x: Ctx) -> None:
    """"I seen" -> "I saw"; "borrow me" -> "lend me"."""
    if x.w in _SUBJECT_PRONOUNS and x.nxt in ("seen", "done") and (x.prev is None or x.prev in G.conj):
        c.tok_edit(i + 1, "saw" if x.nxt == "seen" else "did", "Use the past tense '{repl}' here, or add 'have'.", "PAST_PARTICIPLE_AS_PAST")
    lend = {"borrow": "lend", "borrows": "lends", "borrowed": "lent", "borrowing": "lending"}
    if x.w in lend and x.nxt in ("me", "us"):
        c.tok_edit(i, lend[x.w], "You borrow from someone and lend to someone: did you mean '{repl}'?", "BORROW_LEND")


def there_is_many(c: Checker, i: int, x: Ctx) -> None:
    """"There is many reasons" -> "There are many reasons"."""
    if not (x.w == "there's" or (x.w == "there" and x.nxt in ("is", "was"))) or c.toks[i][2][0] not in "tT":
        return
    k = i + 1 if x.w == "there's" else i + 2
    after = c.word_at(k) if (x.w == "there's" or c.linked(i + 1)) else None
    if after not in G.theres_plural or not c.linked(k - 1):
        return
    if x.w == "there's":
        c.tok_edit(i, "there are", f"Use 'there are' before a plural: 'there are {after}'.", "THERE_S_MANY")
    else:
        c.tok_edit(i + 1, "are" if x.nxt == "is" else "were", "Use a plural verb before '" + after + "': '{repl}'.", "THERE_S_MANY")


_LEND = {"borrow", "borrows", "borrowed", "borrowing"}
_BECOME = frozenset({"become", "becomes", "became", "becoming", "get", "gets", "got", "getting", "much", "even", "far"})
_NOUN_DETERMINERS = G.np_determiners | {"this", "that", "a", "an"}
_SINGULAR_DETERMINERS = frozenset({"this", "that", "every", "each", "a", "an"})
ARTICLE_ADJECTIVES = frozenset(articles.A.article_adjectives)
_FREQUENCY = number._FREQUENCY
_WHEN_OR_HOW = frozenset("time times way day night morning evening week weekend month year summer winter spring autumn fall semester term step round".split())
_MASS_SUBJECTS = G.uncountable - G.collective - G.irregular_plurals - {"deer", "fish", "sheep"}


def mass_noun_agreement(c: Checker, i: int, x: Ctx) -> None:
    """A bare uncountable noun opening a clause takes a singular verb: "money attract money" ->
    "money attracts money", "but history tell us" -> "history tells us". Only verbs that cannot
    be nouns, and not after 'and' ("time and money attract": two subjects)."""
    if not (x.at_start or x.prev in G.clause_openers) or not c.linked(i) or x.nxt not in G.verb_only or c.hyphenated(i + 1):
        return
    third = G.third_person.get(x.nxt)
    if third and c.toks[i][2][1:].islower():
        c.tok_edit(i + 1, third, f"The verb does not agree with '{c.toks[i][2]}'. Did you mean '{{repl}}'?", _rule_name(i, x))


# Each rule with the words (token i, lower case) that can trigger it; a token no rule names is skipped.
_RULES = (
    (articles.a_an, {"a", "an"}),
    (articles.missing_article, articles.A.before_countable | articles.BEFORE_ROLE | {"am", "is", "was", "it's", "that's", "not", "isn't", "wasn't"}),
    (articles.lot_same, {"lot", "long"} | articles._BEFORE_SAME),
    (articles.role_subject, articles.ROLE_NOUNS),
    (pronoun_agreement, set(AGREE)),
    (base_form, G.modals | G.do_aux | {"not"}),
    *confusions.RULES,
    *usage.RULES,
    *number.RULES,
    *verbforms.RULES,
    *collocations.RULES,
    *patterns.RULES,
    *agreement.RULES,
    *wordforms.RULES,
    (noun_agreement, _NOUN_DETERMINERS),
    (mass_noun_agreement, _MASS_SUBJECTS),
    (comparatives, {"more"}),
    (proper_adjective, G.proper_adjectives),
    (to_infinitive, G.to_infinitive_verbs),
    (plural_subject, G.irregular_plurals),
    (noun_number, G.plural_quantifiers | {"the", "my", "our", "their", "his", "her", "your"}),
    (verb_choice, _SUBJECT_PRONOUNS | _LEND),
    (there_is_many, {"there", "there's"}),
)
_BY_WORD: dict[str, tuple] = {}
for _rule, _words in _RULES:
    for _word in _words:
        _BY_WORD[_word] = (*_BY_WORD.get(_word, ()), _rule)
_PRONOUN_I = frozenset({"i", "i'm", "i've", "i'll", "i'd"})


def check_sentence(c: Checker, sent: Sentence) -> None:
    eff = c.eff
    for i in range(sent.a, sent.b):
        rules = _BY_WORD.get(eff[i])
        if (rules is None and eff[i] not in _PRONOUN_I) or c.protected(i):
            continue
        x = _context(c, i, sent)
        pronoun_i(c, i, x)
        if x.nxt is None:  # the last word of a phrase
            confusions.than_at_end(c, i, x)
            if x.w in G.proper_adjectives:
                proper_adjective(c, i, x)
            continue
        if c.hyphenated(i + 1) and x.w not in ("a", "an"):
            continue
        for rule in rules or ():
            rule(c, i, x)
