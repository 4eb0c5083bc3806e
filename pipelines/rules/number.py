"""Number agreement the per-word rules in `grammar` leave: a plural after "most", "there is"
before a plural, and a bare plural noun opening a sentence with a singular verb.

"most student" -> "most students" only where English text has "most students" far more
often than "most student" (the bigram counts that rank spelling candidates), so adjectives
("most common") and set phrases stay as they are.
"""

from __future__ import annotations

from pipelines.rules.checker import Checker, Sentence
from pipelines.rules.words import GRAMMAR as G

_ADVERBS = frozenset({"also", "still", "only", "always", "really", "even", "usually", "often", "now", "so"})
_OPENERS = frozenset({"and", "but", "so", "because", "although", "though", "if", "when", "while", "since"})
_NOT_BEFORE_MOST = frozenset({"the", "a", "for", "at", "its", "their", "his", "her", "our", "my", "your"})
BIGRAM_RATIO = 5  # "most <plural>" must be this many times as common as "most <singular>"
OF_PLURAL_RATIO = 1  # and "of <plural>" more common than "of <singular>" ("a lot of time" stays)
PLURAL_VERB_RATIO = 3  # and "<noun> are" as "<noun> is" for a plural opening a sentence
MIN_SINGULAR_COUNT = 1_000_000  # a sentence-initial plural: its singular must be a common word


def most_plural(c: Checker, i: int, x) -> None:
    """"most student is" -> "most students is" (the verb then agrees by its own rule)."""
    from pipelines.rules.grammar import _noun_ends_phrase, _plural_of
    from pipelines.rules.spelling import bigrams

    noun = x.nxt
    if x.w != "most" or x.prev in _NOT_BEFORE_MOST or noun is None or noun in G.uncountable or not c.toks[i + 1][2].islower():
        return
    plural = _plural_of(noun)
    if plural is None or noun.endswith("s") or c.hyphenated(i + 1) or not _noun_ends_phrase(c, i + 1):
        return
    pairs = bigrams()
    if pairs.get(f"most {plural}", 0) > BIGRAM_RATIO * (1 + pairs.get(f"most {noun}", 0)):
        c.tok_edit(i + 1, plural, "After 'most', use the plural '{repl}'.", "NOUN_NUMBER")
        if c.word_at(i + 2) in G.singular_verb_to_plural and c.linked(i + 1):
            c.tok_edit(i + 2, G.singular_verb_to_plural[c.eff[i + 2]], f"'most {plural}' is plural, so the verb should be '{{repl}}'.", "SUBJECT_VERB_AGREEMENT")


def there_is_plural(c: Checker, i: int, x) -> None:
    """"There is also people" -> "There are also people"."""
    if x.w != "there" or x.nxt not in ("is", "was") or c.toks[i][2][0] not in "tT" or not c.linked(i + 1):
        return
    k = i + 2
    if c.word_at(k) in _ADVERBS and c.linked(k):
        k += 1
    after = c.word_at(k)
    if after in G.irregular_plurals or (after in G.theres_plural and k > i + 2) or _lot_of_plural(c, k):
        c.tok_edit(i + 1, "are" if x.nxt == "is" else "were", "Use a plural verb before '" + after + "': '{repl}'.", "THERE_S_MANY")


def _lot_of_plural(c: Checker, k: int) -> bool:
    """Tokens from k read "a lot of" or "lots of" and a plural noun: "there is a lot of cars"."""
    n = k + 3 if c.word_at(k) == "a" and c.word_at(k + 1) == "lot" else k + 2 if c.word_at(k) == "lots" else None
    if n is None or c.word_at(n - 1) != "of" or not all(c.linked(j) for j in range(k, n)):
        return False
    if c.word_at(n) in G.adjectives and c.linked(n) and c.word_at(n + 1) is not None:
        n += 1  # "a lot of big cars"
    from pipelines.rules.spelling import bigrams

    noun = c.word_at(n)
    if noun is None or not c.toks[n][2].islower() or c.hyphenated(n) or noun in G.not_plural or noun in G.group_words:
        return False
    from pipelines.rules.grammar import _plural

    pairs = bigrams()  # a plural by form ("tourists") or by English usage ("critics are", not "physics is")
    return noun in G.irregular_plurals or _plural(noun) or (noun.endswith("s") and pairs.get(f"{noun} are", 0) > PLURAL_VERB_RATIO * (1 + pairs.get(f"{noun} is", 0)))


def plural_start(c: Checker, sent: Sentence) -> None:
    """"Details is the key" -> "Details are the key": a bare plural noun opening a sentence (or its first clause)."""
    a = sent.a
    if a + 1 < sent.b and c.eff[a] in _OPENERS and c.linked(a):
        a += 1  # "And details is ..."
    if a + 1 >= sent.b or c.eff[a + 1] not in G.singular_verb_to_plural or not c.linked(a):
        return
    from pipelines.rules.grammar import _plural
    from pipelines.rules.spelling import bigrams, dictionary

    word, noun, verb = c.toks[a][2], c.eff[a], c.eff[a + 1]
    if not word[1:].islower() or noun in G.not_plural or c.hyphenated(a) or not _plural(noun) or noun in G.irregular_plurals:
        return
    words = dictionary()
    singulars = (noun[:-3] + "y", noun[:-1], noun[:-2]) if noun.endswith("ies") else (noun[:-1], noun[:-2])
    if max(words.get(s, 0) for s in singulars) < MIN_SINGULAR_COUNT:
        return
    pairs = bigrams()
    if pairs.get(f"{noun} are", 0) <= PLURAL_VERB_RATIO * pairs.get(f"{noun} is", 0):
        return  # names and singular nouns in -s ("Wales is", "Sales is") take a singular verb in English text
    c.tok_edit(a + 1, G.singular_verb_to_plural[verb], f"'{word}' is plural, so the verb should be '{{repl}}'.", "AGREEMENT_SENT_START")


_PLURAL_SUBJECTS = frozenset({"i", "we", "they", "you"})
_SINGULAR_SUBJECTS = frozenset({"he", "she", "it"})
_FREQUENCY = frozenset({"usually", "always", "often", "never", "also", "sometimes", "just", "really", "still", "only", "even", "rarely", "seldom"})
_BE = {"i": "am", "you": "are", "we": "are", "they": "are", "he": "is", "she": "is", "it": "is"}
_BE_OPENERS = frozenset({"when", "if", "because", "that", "and", "but", "so", "as", "while", "since", "until", "unless", "although", "though"})


def pronoun_verb(c: Checker, i: int, x) -> None:
    """"we says" -> "we say", "he usually bring" -> "he usually brings", "when you be" -> "when you are"."""
    subj = x.w
    from pipelines.rules.grammar import after_intro

    if x.prev in G.aux_before_subject or (subj in ("you", "it", "i") and not (x.at_start or not c.linked(i - 1) or x.prev in G.conj or after_intro(c, i, x.a))):
        return  # "let them go", "makes you think": an object, not a subject
    if x.nxt == "be" and (x.at_start or x.prev in _BE_OPENERS) and x.nxt2 is not None:
        c.tok_edit(i + 1, _BE[subj], f"Use '{{repl}}' after '{c.toks[i][2]}'.", "SUBJECT_VERB_AGREEMENT")
        return
    k = i + 1
    if x.nxt in _FREQUENCY and c.linked(i + 1):
        k = i + 2  # "he usually bring"
    verb = c.word_at(k)
    if not ((subj in _PLURAL_SUBJECTS and verb in G.base_of_third) or (subj in _SINGULAR_SUBJECTS and k == i + 2 and G.third_person.get(verb))):
        return
    from pipelines.rules.grammar import _verb_follows

    after = c.word_at(k + 1) if c.linked(k) else None
    if c.hyphenated(k) or (subj not in ("we", "they") and not _verb_follows(c, k, after)):
        return  # "we", "they" are always subjects; "you tips", "it means": maybe not
    message = f"The verb does not agree with the subject '{c.toks[i][2]}'. Did you mean '{{repl}}'?"
    if subj in _PLURAL_SUBJECTS and verb in G.base_of_third:
        c.tok_edit(k, G.base_of_third[verb], message, "SUBJECT_VERB_AGREEMENT")
    elif x.prev != "that":
        c.tok_edit(k, G.third_person[verb], message, "SUBJECT_VERB_AGREEMENT")


_PLURAL_DETERMINERS = G.plural_quantifiers | {"some", "all"}
_AFTER_NOUN_PHRASE = frozenset({"i", "you", "we", "they", "he", "she", "it", "here", "there", "now", "today", "very", "too", "also", "always", "never", "outside", "inside", "again", "together", "yesterday", "tomorrow", "such"})


def _singular_of(noun: str) -> str | None:
    from pipelines.rules.spelling import dictionary

    words = dictionary()
    forms = ([noun[:-3] + "y"] if noun.endswith("ies") else []) + [noun[:-1]] + ([noun[:-2]] if noun.endswith("es") else [])
    return next((f for f in forms if f in words), None)


def determiner_number(c: Checker, i: int, x) -> None:
    """"this cars" -> "these cars", "every details" -> "every detail", "all student" -> "all students".

    Each only where English text has the fixed pair far more often than the written one."""
    noun = x.nxt
    if noun is None or not c.toks[i + 1][2].islower() or c.hyphenated(i + 1) or noun in G.not_plural:
        return
    from pipelines.rules.grammar import _NOT_A_NOUN, _noun_ends_phrase, _plural, _plural_of
    from pipelines.rules.spelling import bigrams, dictionary

    if noun in _NOT_A_NOUN:
        return  # "both a drive letter and": no noun follows the determiner
    words = dictionary()
    plural_verb = x.w in _PLURAL_DETERMINERS and c.linked(i + 1) and c.word_at(i + 2) in G.third_person and c.word_at(i + 2) != "like" and noun not in G.modals  # "some driver make"
    if not (_noun_ends_phrase(c, i + 1) or c.word_at(i + 2) in _AFTER_NOUN_PHRASE or plural_verb):
        return
    pairs = bigrams()

    def clearly(better: str, worse: str) -> bool:
        return pairs.get(better, 0) > BIGRAM_RATIO * (1 + pairs.get(worse, 0))

    if x.w == "this" and _plural(noun) and noun not in G.irregular_plurals and clearly(f"these {noun}", f"this {noun}"):
        c.tok_edit(i, "these", f"'{c.toks[i + 1][2]}' is plural: use '{{repl}}'.", "THIS_NNS")
    elif x.w in ("every", "each") and noun.endswith("s"):
        singular = _singular_of(noun)
        if singular and clearly(f"{x.w} {singular}", f"{x.w} {noun}"):
            c.tok_edit(i + 1, singular, f"After '{x.w}', use the singular '{{repl}}'.", "EVERY_NNS")
    elif x.w in _PLURAL_DETERMINERS and not noun.endswith("s") and noun not in G.uncountable and noun not in G.group_words:
        plural = _plural_of(noun)
        counted = plural_verb and words.get(plural or "", 0) * 10 > words.get(noun, 0)  # a counted noun before a plural verb
        if plural and x.prev not in ("the", "a") and (counted or clearly(f"{x.w} {plural}", f"{x.w} {noun}")):
            c.tok_edit(i + 1, plural, f"After '{x.w}', use the plural '{{repl}}'.", "NOUN_NUMBER")



def lot_of_plural(c: Checker, i: int, x) -> None:
    """"a lot of scientist" -> "a lot of scientists", "the number of car" -> "the number of cars",
    where English text clearly counts the noun."""
    noun = x.nxt2
    if x.nxt != "of" or noun is None or noun.endswith("s") or noun in G.uncountable or not c.toks[i + 2][2].islower() or c.hyphenated(i + 2):
        return
    from pipelines.rules.grammar import _noun_ends_phrase, _plural_of
    from pipelines.rules.spelling import bigrams
    from pipelines.rules.verbforms import _stems

    plural = _plural_of(noun)
    pairs = bigrams()
    after = c.word_at(i + 3) if c.linked(i + 2) else None
    verb_after = after is not None and after.endswith("ed") and any(stem in G.third_person for stem in _stems(after))  # "a lot of worker worked"
    if plural is None or not (_noun_ends_phrase(c, i + 2) or after in _AFTER_NOUN_PHRASE or verb_after):
        return
    counted = x.w in ("number", "numbers") or pairs.get(f"of {plural}", 0) > OF_PLURAL_RATIO * pairs.get(f"of {noun}", 0)  # "a number of" counts
    if pairs.get(f"many {plural}", 0) > BIGRAM_RATIO * (1 + pairs.get(f"much {noun}", 0)) and counted:
        c.tok_edit(i + 2, plural, f"After '{x.w} of', use the plural '{{repl}}'.", "NOUN_NUMBER")


_TELL = frozenset("tell tells told telling show shows showed shown remind reminds reminded teach teaches taught warn warns warned inform informs informed assure assured promise promised convince convinced".split())


def relative_plural(c: Checker, i: int, x) -> None:
    """"companies that has" -> "companies that have", "people who is" -> "people who are": a
    relative clause agrees with its plural noun."""
    verb = x.nxt
    if verb not in G.singular_verb_to_plural or x.prev is None or x.prev in G.not_plural:
        return
    if not x.prev.endswith("s") and x.prev not in G.irregular_plurals:
        return
    if c.word_at(i - 2) in ("the", "my", "his", "her", "their", "our", "your") and c.word_at(i - 3) == "of":
        return  # "one of the students who is": either verb is heard
    if c.word_at(i - 2) in _PLURAL_SUBJECTS | _SINGULAR_SUBJECTS | {"this", "that", "who", "which", "there"}:
        return  # "it claims that is": a verb, not a noun
    if x.w == "that" and (c.word_at(i - 2) in _TELL or c.word_at(i - 3) in _TELL):
        return  # "tell the children that is fine": 'that' opens what is told
    from pipelines.rules.grammar import _plural
    from pipelines.rules.spelling import bigrams

    pairs = bigrams()
    noun = x.prev
    if _plural(noun) and pairs.get(f"{noun} are", 0) > PLURAL_VERB_RATIO * pairs.get(f"{noun} is", 0):
        c.tok_edit(i + 1, G.singular_verb_to_plural[verb], f"'{c.toks[i - 1][2]}' is plural, so the verb should be '{{repl}}'.", "SUBJECT_VERB_AGREEMENT")


RULES = (
    (relative_plural, {"who", "that", "which"}),
    (determiner_number, {"this", "every", "each"} | _PLURAL_DETERMINERS),
    (lot_of_plural, {"lot", "lots", "number", "numbers"}),
    (most_plural, {"most"}),
    (there_is_plural, {"there"}),
    (pronoun_verb, _PLURAL_SUBJECTS | _SINGULAR_SUBJECTS),
)
