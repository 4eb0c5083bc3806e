"""The offline rule engine ("basic mode"): spelling, grammar and style rules.

`check(text, tasks)` returns offset-anchored `Edit`s (engine "basic"), sorted by
offset. Edits that carry a replacement never overlap, so `apply_edits` can apply
all of them at once; hints (long sentences, passive voice, some informal words)
have ``replacement=None`` and may overlap anything.

`rewrite(text, style)` applies the grammar and spelling fixes and then a style:
``formal``, ``concise`` or ``simple``. ``paraphrase`` needs a language model.

The rules are tuned for precision: a wrong "correction" costs a user more than a
missed one, so every contextual rule only fires in contexts where the suggested
form is clearly right. Rule ids follow LanguageTool's where one exists.
"""

from __future__ import annotations

import bisect
import functools
import math
import os
import re
from dataclasses import dataclass
from typing import Collection, Iterable

from pipelines.edits import CATEGORIES, Edit, apply_edits
from pipelines.text import WORD, sentence_spans

ENGINE = "basic"
LONG_SENTENCE_WORDS = 30
REWRITE_STYLES = ("formal", "concise", "simple")

# Priorities decide which of two overlapping replacement edits survives.
_P_GRAMMAR = 90
_P_SPELL_MAP = 85
_P_SPELL = 80
_P_REPEAT = 70
_P_PUNCT = 60
_P_CASE = 50
_P_TONE = 20
_P_CONCISION = 10

# ---------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------

_APOS = "'\u2019"

# Modern and technical words the 2010s frequency dictionary lacks.
_ALLOW = frozenset(
    """
    dataset datasets selfie selfies emoji emojis hashtag hashtags chatbot chatbots github gitlab kubernetes api apis
    json yaml backend backends frontend frontends async cryptocurrency cryptocurrencies bitcoin blockchain blockchains
    tweets tweeted tweeting runtime runtimes namespace namespaces middleware microservice microservices ok okay onboarding
    smartwatch smartwatches signup signups livestream livestreams config configs hardcoded lockdown lockdowns telehealth
    ecommerce fintech crowdfunding influencer influencers preorder preorders cybersecurity gpu gpus cpu cpus html css url
    urls pdf pdfs http https analytics customizable webhook webhooks serverless repo repos codebase codebases dockerfile
    docker npm pytest linter linters refactor refactored refactoring refactors tokenizer tokenizers tokenize tokenized
    geolocation vlog vlogs vlogger podcaster podcasters unfollow unfollowed retweet retweets retweeted dropdown dropdowns
    toolchain toolchains subfolder subfolders username usernames login logins logout checkbox checkboxes touchscreen
    touchscreens smartphone smartphones wearable wearables upskilling reskilling coworking hybrid homeschooling
    args kwargs stdin stdout stderr repr str int bool dict func src dst cls init enum num len tuple iter param
    params regex utf ascii unicode boolean localhost sudo grep sed awk cron toml ini csv tsv xml env venv pip dev
    prod auth admin app apps lib libs util utils dir dirs mkdir stdlib builtin builtins subclass subclasses
    superclass mixin mixins getter getters setter setters iterable iterables iterator iterators callable callables
    hashable serializable dataclass dataclasses docstring docstrings struct malloc inline plugin plugins webpage
    metadata timestamp timestamps filename filenames pathname pathnames hostname unix linux macos ios android
    subprocess subprocesses multiline submodule submodules preprocess preprocessing postprocessing whitespace
    """.split()
)

# Misspellings a dictionary lookup cannot fix well: missing spaces and apostrophes.
_SPELLING_MAP = {
    "alot": ("a lot", "A_LOT", "'a lot' is written as two words."),
    "calender": ("calendar", "MORFOLOGIK_RULE_EN_US", "Possible spelling mistake: did you mean 'calendar'?"),
    "infact": ("in fact", "SPLIT_WORDS", "'in fact' is written as two words."),
    "aswell": ("as well", "SPLIT_WORDS", "'as well' is written as two words."),
    "eachother": ("each other", "SPLIT_WORDS", "'each other' is written as two words."),
    "incase": ("in case", "SPLIT_WORDS", "'in case' is written as two words."),
    "atleast": ("at least", "SPLIT_WORDS", "'at least' is written as two words."),
    "everytime": ("every time", "SPLIT_WORDS", "'every time' is written as two words."),
    "noone": ("no one", "SPLIT_WORDS", "'no one' is written as two words."),
    "thankyou": ("thank you", "SPLIT_WORDS", "'thank you' is written as two words."),
    "ofcourse": ("of course", "SPLIT_WORDS", "'of course' is written as two words."),
    "inspite": ("in spite", "SPLIT_WORDS", "'in spite' is written as two words."),
    "alittle": ("a little", "SPLIT_WORDS", "'a little' is written as two words."),
    "abit": ("a bit", "SPLIT_WORDS", "'a bit' is written as two words."),
}
for _w, _r in {
    "dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "wasnt": "wasn't", "arent": "aren't",
    "werent": "weren't", "havent": "haven't", "hasnt": "hasn't", "hadnt": "hadn't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "wouldnt": "wouldn't", "cant": "can't", "im": "I'm", "ive": "I've", "youre": "you're",
    "theyre": "they're", "thats": "that's", "whats": "what's", "wouldve": "would've", "couldve": "could've",
    "shouldve": "should've", "dosent": "doesn't", "dosen't": "doesn't", "dosnt": "doesn't",
}.items():
    _SPELLING_MAP[_w] = (_r, "EN_CONTRACTION_SPELLING", f"Did you mean '{_r}'? A contraction needs an apostrophe.")

_CONTRACTIONS = frozenset(
    """
    don't doesn't didn't isn't wasn't aren't weren't haven't hasn't hadn't couldn't shouldn't wouldn't can't won't
    mustn't needn't shan't ain't i'm i've i'll i'd you're you've you'll you'd we're we've we'll we'd they're they've
    they'll they'd he's he'll he'd she's she'll she'd it's it'll it'd that's that'll that'd there's there'll there'd
    what's what'll what'd who's who'll who'd where's how's here's let's y'all o'clock ma'am would've could've
    should've might've must've
    """.split()
)

# Informal words: replacement (None = hint only).
_INFORMAL = {
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "kinda": "kind of", "sorta": "sort of",
    "dunno": "don't know", "lemme": "let me", "gimme": "give me", "yeah": "yes", "yep": "yes", "nope": "no",
    "btw": "by the way", "thx": "thanks", "pls": "please", "plz": "please", "cuz": "because", "u": "you",
    "lol": None, "ur": None, "ain't": None, "stuff": None, "awesome": None,
}

# Wordy phrase -> concise form ('' deletes the phrase).
_WORDY = {
    "in order to": "to",
    "in order for": "for",
    "due to the fact that": "because",
    "owing to the fact that": "because",
    "in light of the fact that": "because",
    "on the grounds that": "because",
    "for the reason that": "because",
    "in spite of the fact that": "although",
    "despite the fact that": "although",
    "regardless of the fact that": "although",
    "at this point in time": "now",
    "at the present time": "now",
    "at this moment in time": "now",
    "in the event that": "if",
    "in the near future": "soon",
    "for the purpose of": "for",
    "with regard to": "about",
    "with regards to": "about",
    "in regard to": "about",
    "in relation to": "about",
    "a large number of": "many",
    "a great number of": "many",
    "a small number of": "a few",
    "the majority of": "most",
    "a majority of": "most",
    "is able to": "can",
    "are able to": "can",
    "has the ability to": "can",
    "have the ability to": "can",
    "prior to": "before",
    "subsequent to": "after",
    "in close proximity to": "near",
    "in the vicinity of": "near",
    "each and every": "every",
    "first and foremost": "first",
    "on a daily basis": "daily",
    "on a weekly basis": "weekly",
    "on a monthly basis": "monthly",
    "on a regular basis": "regularly",
    "make a decision": "decide",
    "made a decision": "decided",
    "come to a conclusion": "conclude",
    "came to a conclusion": "concluded",
    "take into consideration": "consider",
    "give consideration to": "consider",
    "conduct an investigation": "investigate",
    "until such time as": "until",
    "as a matter of fact": "in fact",
    "at all times": "always",
    "in a timely manner": "promptly",
    "by means of": "by",
    "with the exception of": "except",
    "in the amount of": "of",
    "end result": "result",
    "past history": "history",
    "basic fundamentals": "fundamentals",
    "free gift": "gift",
    "completely finished": "finished",
    "absolutely essential": "essential",
    "advance planning": "planning",
    "whether or not": "whether",
    "it is important to note that": "note that",
    "the fact that": "that",
}

# Complex word -> simple word, for the `simple` rewrite.
_SIMPLE = {
    "utilize": "use", "utilizes": "uses", "utilized": "used", "utilizing": "using", "utilise": "use",
    "utilises": "uses", "utilised": "used", "utilising": "using", "utilization": "use", "utilisation": "use",
    "commence": "start", "commences": "starts", "commenced": "started", "commencing": "starting",
    "terminate": "end", "terminates": "ends", "terminated": "ended", "terminating": "ending",
    "facilitate": "help", "facilitates": "helps", "facilitated": "helped", "facilitating": "helping",
    "approximately": "about", "demonstrate": "show", "demonstrates": "shows", "demonstrated": "showed",
    "endeavor": "try", "endeavour": "try", "sufficient": "enough", "numerous": "many", "purchase": "buy",
    "purchased": "bought", "purchases": "buys", "purchasing": "buying", "assist": "help", "assists": "helps",
    "assisted": "helped", "assisting": "helping", "assistance": "help", "obtain": "get", "obtains": "gets",
    "obtained": "got", "obtaining": "getting", "require": "need", "requires": "needs", "required": "needed",
    "requiring": "needing", "additional": "more", "individuals": "people", "residence": "home", "inquire": "ask",
    "inquired": "asked", "indicate": "show", "indicates": "shows", "indicated": "showed", "initiate": "start",
    "initiated": "started", "modify": "change", "modified": "changed", "modifies": "changes", "objective": "goal",
    "objectives": "goals", "possess": "have", "possesses": "has", "subsequently": "later", "nevertheless": "still",
    "ascertain": "find out", "comprehend": "understand", "consequently": "so", "anticipate": "expect",
    "anticipated": "expected", "beneficial": "helpful", "component": "part", "components": "parts",
    "currently": "now", "eliminate": "remove", "eliminated": "removed", "equivalent": "equal",
    "frequently": "often", "fundamental": "basic", "magnitude": "size", "methodology": "method", "optimal": "best",
    "preclude": "prevent", "regarding": "about", "remainder": "rest", "transmit": "send", "transmitted": "sent",
    "therefore": "so", "accomplish": "do", "accomplished": "done", "adequate": "enough", "alternatively": "or",
    "demonstrating": "showing", "prioritize": "rank", "proficiency": "skill", "substantial": "large",
    "sufficiently": "enough", "inquiries": "questions", "inquiry": "question", "endeavors": "efforts",
}

_FILLERS = frozenset({"very", "really", "basically", "actually", "literally", "totally", "quite", "truly", "simply"})
_KEEP_AFTER_FILLER = frozenset({"much", "many", "few", "little", "own", "same", "first", "last", "best", "end", "a", "an", "the"})
_KEEP_BEFORE_FILLER = frozenset(
    {"not", "the", "this", "that", "a", "an", "my", "your", "his", "her", "its", "our", "their"}
)

_DETERMINERS = frozenset({"the", "a", "an", "my", "your", "his", "her", "its", "our", "their", "this", "that", "these", "those"})
_BE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"})
_AUX_BEFORE_SUBJECT = frozenset(
    """
    do does did can could will would shall should may might must let lets make makes made help helps see sees saw
    watch watched hear heard have has had don't doesn't didn't can't couldn't won't wouldn't shouldn't isn't aren't
    wasn't weren't is are was were am why to
    """.split()
)
_CONJ = frozenset(
    """
    and but or so because if when while that since although though as then where whether unless until once how why
    what who which whereas yet now before after
    """.split()
)
_MODALS = frozenset({"can", "could", "will", "would", "shall", "should", "may", "might", "must"})
_DO_AUX = frozenset({"did", "didn't", "does", "doesn't", "do", "don't"})
_IRREGULAR_PAST = {
    "went": "go", "saw": "see", "came": "come", "took": "take", "made": "make", "gave": "give", "got": "get",
    "knew": "know", "ate": "eat", "wrote": "write", "said": "say", "thought": "think", "found": "find", "told": "tell",
    "bought": "buy", "brought": "bring", "began": "begin", "broke": "break", "chose": "choose", "drove": "drive",
    "fell": "fall", "forgot": "forget", "kept": "keep", "lost": "lose", "met": "meet", "paid": "pay", "ran": "run",
    "sang": "sing", "sent": "send", "slept": "sleep", "spoke": "speak", "spent": "spend", "stood": "stand",
    "swam": "swim", "taught": "teach", "threw": "throw", "understood": "understand", "won": "win", "wore": "wear",
    "goes": "go", "has": "have", "did": "do", "tried": "try", "wanted": "want", "needed": "need", "liked": "like",
}
_CLEAR_PAST = frozenset({"went", "saw", "came", "took", "gave", "knew", "ate", "wrote", "began", "broke", "chose", "drove", "fell", "forgot", "ran", "sang", "spoke", "swam", "threw", "wore", "did", "goes", "has"})
_THIRD_PERSON = {
    "like": "likes", "want": "wants", "need": "needs", "go": "goes", "make": "makes", "know": "knows",
    "think": "thinks", "say": "says", "see": "sees", "come": "comes", "take": "takes", "look": "looks",
    "work": "works", "live": "lives", "play": "plays", "love": "loves", "use": "uses", "seem": "seems",
    "feel": "feels", "get": "gets", "give": "gives", "find": "finds", "tell": "tells", "become": "becomes",
    "try": "tries", "call": "calls", "keep": "keeps", "hate": "hates", "walk": "walks", "talk": "talks",
    "eat": "eats", "write": "writes", "speak": "speaks", "understand": "understands", "believe": "believes",
    "mean": "means", "sound": "sounds", "watch": "watches", "study": "studies", "enjoy": "enjoys",
    "prefer": "prefers", "agree": "agrees", "remember": "remembers", "forget": "forgets", "cost": None,
}

_INDEFINITE_SUBJECTS = frozenset({"everyone", "everybody", "someone", "somebody", "nobody", "anyone", "anybody"})
# (subject, verb) -> corrected verb.
_AGREE = {
    "i": {"is": "am", "are": "am", "has": "have", "does": "do", "doesn't": "don't", "isn't": "am not", "hasn't": "haven't"},
    "he": {"are": "is", "have": "has", "do": "does", "don't": "doesn't", "were": "was", "am": "is", "aren't": "isn't",
           "haven't": "hasn't", "weren't": "wasn't"},
    "we": {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't", "am": "are", "isn't": "aren't",
           "wasn't": "weren't", "hasn't": "haven't"},
    "this": {"are": "is", "were": "was", "aren't": "isn't", "weren't": "wasn't"},
    "these": {"is": "are", "was": "were", "has": "have", "isn't": "aren't", "wasn't": "weren't", "does": "do",
              "doesn't": "don't", "hasn't": "haven't"},
}
for _s in ("she", "it"):
    _AGREE[_s] = _AGREE["he"]
for _s in ("they", "you"):
    _AGREE[_s] = _AGREE["we"]
_AGREE["those"] = _AGREE["these"]
_AGREE["that"] = _AGREE["this"]
for _s in _INDEFINITE_SUBJECTS:
    _AGREE[_s] = {k: v for k, v in _AGREE["he"].items() if k not in ("am",)}

_ING_VERBS = frozenset(
    "going coming doing trying getting making looking working playing leaving taking saying talking running waiting".split()
)
_POSSESSED = frozenset(
    """
    own car cars house houses parents friends children kids money family homework names lives jobs team teacher dog
    cat phones phone mother father mom dad account password email order life job boss idea ideas computer address
    best way home
    """.split()
)
_YOURE_NOUNS = (_POSSESSED - {"best", "way", "home"}) | {"help", "support", "feedback", "patience", "advice", "attention", "cooperation"}
_THEYRE_NOUNS = _POSSESSED - {"best", "way", "home", "friends", "parents", "family", "team"}
_THERE_NOUN_PREV = frozenset(
    """
    of on in with for to at by from about into lost love like loved liked forgot left took sold bought visited did
    finished sent called all both and made
    """.split()
)
_ITS_NOUNS = frozenset(
    "own name size color colour value tail owner owners contents users ability shape purpose weight length members capital population".split()
)
_ITS_DIRECT = frozenset({"a", "an", "the", "not", "been", "going", "getting", "raining", "gonna", "too", "also", "already"})
_ITS_ADJ = frozenset(
    "true clear hard easy possible likely important obvious necessary fine okay great nice difficult late early ok".split()
)
_ADJ_END = frozenset({"to", "that", "for", "when", "if", "because"})
_YOUR_NEXT = frozenset({"welcome", "right", "wrong", "going", "not", "a", "an", "the", "always", "never", "so", "too", "gonna"})
_COMPARATIVES = frozenset(
    """
    more less better worse bigger smaller faster slower larger higher lower older younger greater fewer rather other
    easier harder cheaper shorter stronger weaker taller richer poorer happier heavier lighter louder quieter
    """.split()
)
_THEN_BEFORE = frozenset({"and", "since", "until", "till", "back", "by"})
_TOO_ADJ = frozenset(
    """
    much many hot cold big small late early hard difficult easy expensive cheap slow good bad busy tired young old high
    far loud heavy large complicated complex short strong weak full soon deep wide narrow dark bright expensive
    dangerous risky small quiet noisy crowded slow boring
    """.split()
)
_TOO_VERB_BEFORE = frozenset({"want", "wants", "wanted", "need", "needs", "needed", "going", "have", "has", "had", "able", "try", "tried", "used"})
_BASE_VERBS = frozenset(
    "go be see do make get have buy eat take find say tell help know work play write read come leave talk visit learn start stop finish give".split()
)
_OBJ_PRONOUNS = frozenset({"me", "you", "him", "her", "us", "them", "it"})
_AFFECT_BEFORE = frozenset({"the", "an", "a", "no", "any", "little", "big", "huge", "great", "positive", "negative", "significant", "major", "side", "strong", "lasting", "real"})
_EFFECT_VERB_BEFORE = frozenset({"will", "would", "can", "could", "may", "might", "does", "did", "do", "not", "doesn't", "didn't", "don't", "won't", "can't", "greatly", "negatively", "directly", "seriously"})
_EFFECT_VERB_AFTER = frozenset({"the", "my", "your", "our", "their", "his", "her", "us", "me", "them", "him", "you", "it", "people", "everyone", "how", "whether"})
_THERES_PLURAL = frozenset({"many", "several", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "numerous"})
_NO_REPEAT = frozenset({"had", "that", "bye", "ha", "haha", "no", "so", "very", "really", "knock", "ho", "la", "blah", "tut", "yeah", "well", "now", "go", "chop", "there", "many", "far", "wait", "again", "more", "hip", "bla", "woo", "yes", "oh"})
# Over-regularised or wrong verb forms and uncountable plurals: a grammar mistake, not a typo.
_WRONG_FORMS = {
    "maked": "made", "buyed": "bought", "goed": "went", "runned": "ran", "thinked": "thought", "bringed": "brought",
    "catched": "caught", "teached": "taught", "eated": "ate", "drinked": "drank", "writed": "wrote",
    "speaked": "spoke", "taked": "took", "gived": "gave", "comed": "came", "knowed": "knew", "sayed": "said",
    "choosed": "chose", "feeled": "felt", "keeped": "kept", "sleeped": "slept", "falled": "fell", "getted": "got",
    "finded": "found", "telled": "told", "swimmed": "swam", "throwed": "threw", "drawed": "drew", "growed": "grew",
    "hurted": "hurt", "sended": "sent", "spended": "spent", "builded": "built", "breaked": "broke",
    "stealed": "stole", "meeted": "met", "losed": "lost", "winned": "won", "standed": "stood",
    "understanded": "understood", "beginned": "began", "forgetted": "forgot", "leaved": "left", "singed": "sang",
    "informations": "information", "advices": "advice", "furnitures": "furniture", "equipments": "equipment",
    "knowledges": "knowledge", "homeworks": "homework", "luggages": "luggage", "feedbacks": "feedback",
}
_SINGULAR_VERB_TO_PLURAL = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't", "isn't": "aren't", "wasn't": "weren't", "hasn't": "haven't"}
_NP_DETERMINERS = frozenset({"the", "my", "your", "his", "her", "our", "their", "these", "those"})
_PREPOSITIONS = frozenset(
    "of in on at for with from by about to than like into among between through over under after before without within during including per".split()
)
_NOT_PLURAL = frozenset(
    """
    lens bus gas series species means news mathematics physics economics politics ethics athletics thanks headquarters
    crossroads whereabouts chaos canvas bias atlas alias iris analysis basis crisis thesis status campus virus bonus
    census corpus genus focus plus minus always perhaps whereas yes us its his hers ours yours theirs was has does goes
    less across unless kudos ethos pathos cosmos diabetes measles mumps billiards dynamics logistics statistics
    graphics works barracks gallows premises surroundings
    """.split()
)
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "teeth", "feet", "mice", "geese"})
_COLLECTIVE = frozenset({"council", "police", "staff", "team", "family", "government", "committee", "audience", "crew", "public", "cattle", "data", "media", "majority", "youth", "clergy", "board", "band", "class", "group", "couple", "jury", "rest", "number"})
_BASE_AFTER_NOUN = {
    "arrive": "arrives", "seem": "seems", "believe": "believes", "understand": "understands", "agree": "agrees",
    "prefer": "prefers", "remember": "remembers", "know": "knows", "think": "thinks", "want": "wants",
    "sleep": "sleeps", "live": "lives", "have": "has", "don't": "doesn't", "go": "goes",
}
_LIVE_NEXT = frozenset({"in", "with", "at", "near", "alone", "abroad", "here", "there", "on", "next"})
_MORE_COMPARATIVE = frozenset(
    """
    better worse faster slower bigger smaller larger higher lower older younger greater easier harder cheaper shorter
    stronger weaker taller richer happier heavier louder quieter longer warmer colder cleaner clearer safer
    """.split()
)
_QUIET_NEXT = frozenset({"a", "good", "sure", "right", "often", "well", "nice", "easy", "difficult", "hard", "different", "similar", "clear", "simple"})

# Passive voice: be + (adverbs) + past participle.
_IRREGULAR_PP = frozenset(
    """
    written taken given made done seen known shown built sent found held kept left lost paid said sold told thought
    brought bought caught taught chosen driven eaten fallen forgotten forgiven frozen hidden broken spoken stolen woken
    worn torn born sworn drawn grown thrown flown blown begun sung understood led fed met won spent lent meant felt
    heard hung struck beaten bitten ridden risen shaken put set cut hit shut run read
    """.split()
)
_NOT_PASSIVE = frozenset(
    """
    need seed speed bed red shed feed breed weed greed indeed hundred naked wicked sacred kindred rugged ragged beloved
    interested excited tired bored worried pleased surprised married scared confused satisfied disappointed concerned
    supposed used related limited advanced detailed experienced qualified talented skilled crowded complicated
    sophisticated dedicated balanced determined motivated embarrassed frightened amazed annoyed ashamed relaxed
    stressed exhausted thrilled delighted aged learned prepared done gone allowed
    """.split()
)
_PASSIVE_ADVERBS = frozenset({"not", "never", "also", "always", "often", "being", "usually", "already", "still", "just", "then", "now", "rarely", "sometimes", "generally", "widely"})
_BE_PASSIVE = frozenset({"am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't"})

# a/an exceptions.
_AN_WORDS = ("hour", "honest", "honor", "honour", "heir", "herb")
_A_PREFIXES = (
    "uni", "use", "usa", "usu", "usur", "uti", "uto", "ute", "ure", "uri", "ura", "uro", "eu", "ewe", "ubiq", "uku",
    "ugan", "ukrain", "one-", "once", "onesie", "ufo", "ouija", "unanim",
)
_AN_UNI = ("unin", "unim", "unident", "unil")  # un- + in/im...: "an uninformed", "an unimportant"
_VOWEL_LETTERS = frozenset("aefhilmnorsx")  # letters whose name starts with a vowel sound
_NOT_AFTER_ARTICLE = frozenset(
    "is are was were be am and or of to in on at by for with from as if then than that which who not but so".split()
)
_WORD_ACRONYMS = frozenset({"nasa", "nato", "fifa", "scuba", "laser", "radar", "aids", "covid", "unesco", "unicef", "jpeg", "gif", "pin", "sim", "lan", "wan", "ram", "rom", "opec", "ikea", "asap", "sql", "faq", "nafta", "mit"})
_VOWEL_ACRONYM_WORDS = frozenset({"ikea", "opec", "aids", "asap", "unesco", "unicef"})  # read as words, vowel sound
_AMBIGUOUS_ACRONYMS = frozenset({"sql", "faq", "mit"})

# ---------------------------------------------------------------------------------
# Regexes
# ---------------------------------------------------------------------------------

_STRICT_PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(`+)[^`\n]+\1"
    r"|(?<![\w@#])[@#][\w-]+",
)
_LOOSE_PROTECTED = re.compile(r"\b\w+(?:[./\\]\w+)+\b|\b\w*_\w*\b|\b\w*\d\w*\b")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w)\]\"'\u2019\u201d%])( +)([,.;:!?]+)(?=\s|$|[\"'\u2019\u201d])")
_SPACE_BEFORE_COMMA_NO_AFTER = re.compile(r"(?<=[A-Za-z\u00C0-\u024F])( +)([,;])(?=[A-Za-z\u00C0-\u024F])")
_NO_SPACE_AFTER_COMMA = re.compile(r"(?<=[A-Za-z\u00C0-\u024F])([,;])(?=[A-Za-z\u00C0-\u024F])")
_NO_SPACE_AFTER_STOP = re.compile(r"(?<=[a-z][a-z])([.!?])(?=[A-Z][a-z]|I\b)")
_PAREN_INNER_SPACE = re.compile(r"\(( +)(?=\S)|(?<=\S)( +)\)")
_WORDY_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(_WORDY, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]")


# ---------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------


def _match_case(original: str, replacement: str) -> str:
    """Give `replacement` the capitalisation (and apostrophe style) of `original`."""
    if not replacement:
        return replacement
    if "\u2019" in original:
        replacement = replacement.replace("'", "\u2019")
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and original.lower() not in ("im", "i'm", "i\u2019m"):
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _norm(word: str) -> str:
    return word.lower().replace("\u2019", "'")


@dataclass(slots=True)
class _Cand:
    offset: int
    length: int
    replacement: str | None
    category: str
    message: str
    rule: str
    priority: int = 0


# ---------------------------------------------------------------------------------
# Spelling
# ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _speller():
    """SymSpell with the bundled English frequency dictionary, loaded once (~0.7 s)."""
    import symspellpy
    from symspellpy import SymSpell

    path = os.path.join(os.path.dirname(symspellpy.__file__), "frequency_dictionary_en_82_765.txt")
    sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=5)
    if not sym.load_dictionary(path, term_index=0, count_index=1, encoding="utf-8"):
        raise RuntimeError(f"could not load the spelling dictionary {path}")
    return sym


_SUFFIXES = (
    ("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ing", ""), ("ing", "e"),
    ("ly", ""), ("ily", "y"), ("er", ""), ("ers", ""), ("er", "e"), ("ers", "e"), ("est", ""), ("ness", ""),
    ("ment", ""), ("ments", ""), ("able", ""), ("able", "e"), ("ity", ""), ("ize", ""), ("ise", ""),
    ("ization", "ize"), ("ful", ""), ("less", ""), ("ish", ""),
)
_PREFIXES = ("un", "re", "pre", "non", "over", "under", "mis", "dis", "sub", "super", "inter", "multi", "micro", "auto", "co", "de", "anti", "post", "semi", "out", "up", "cross", "self", "counter", "hyper", "meta")


def _affixes(low: str, words: dict) -> list[tuple[str, str]]:
    """How `low` could be a regular derivation of a dictionary word: ("suf", "ing"), ("pre", "un")..."""
    out: list[tuple[str, str]] = []
    for suffix, add in _SUFFIXES:
        if low.endswith(suffix) and len(low) - len(suffix) >= 3:
            stem = low[: -len(suffix)] + add
            if stem in words or stem in _ALLOW:
                out.append(("suf", suffix))
    for suffix in ("ed", "ing", "er", "est"):
        stem = low[: -len(suffix)]
        if low.endswith(suffix) and len(stem) >= 3 and stem[-1] == stem[-2] and stem[:-1] in words:
            out.append(("suf", suffix))
    for prefix in _PREFIXES:
        if low.startswith(prefix) and len(low) - len(prefix) >= 4:
            rest = low[len(prefix) :].lstrip("-")
            if rest in words or rest in _ALLOW:
                out.append(("pre", prefix))
    return out


def _variant(word: str, cand: str) -> bool:
    """US/UK spelling variants (defense/defence, organize/organise) are both right."""
    if len(word) != len(cand):
        return False
    diff = [(a, b) for a, b in zip(word, cand) if a != b]
    return len(diff) == 1 and set(diff[0]) in ({"c", "s"}, {"s", "z"})


def _penalty(word: str, cand: str, distance: int) -> float:
    if distance >= 2:
        p = 2.5
    elif len(word) == len(cand):
        diff = [i for i in range(len(word)) if word[i] != cand[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and word[diff[0]] == cand[diff[1]] and word[diff[1]] == cand[diff[0]]:
            p = 0.0 if diff[0] > 0 else 0.5
        elif len(diff) == 1 and word[diff[0]] in "aeiouy" and cand[diff[0]] in "aeiouy":
            p = 0.6
        else:
            p = 1.5
    elif len(cand) == len(word) + 1:  # the word lacks a letter
        p = 0.3
        for i in range(len(word)):
            if word[i] != cand[i]:
                p = 0.0 if cand[i] == cand[i - 1 if i else 0] and i else 0.3
                break
        else:
            p = 0.0 if cand[-1] == cand[-2] else 0.3
    else:  # the word has an extra letter
        p = 0.6
        for i in range(len(cand)):
            if word[i] != cand[i]:
                p = 0.2 if i and word[i] == word[i - 1] else 0.6
                break
    if word[0] != cand[0] and not (len(word) > 1 and len(cand) > 1 and word[0] == cand[1] and word[1] == cand[0]):
        p += 1.0
    if len(word) > 2 and word[-2:] == cand[-2:]:
        p -= 0.5
    return p


@functools.lru_cache(maxsize=65536)
def _suggest(low: str) -> tuple[str, float, int] | None:
    """The best correction for an unknown lower-case word: (word, score, distance); None if none is convincing.

    A word that looks like a regular derivation of a dictionary word ("unsubscribed",
    "tokenizing") is left alone unless a close candidate is the same derivation spelt
    right ("begining" -> "beginning", "untill" -> "until", "noticable" -> "noticeable").
    """
    from symspellpy import Verbosity

    sym = _speller()
    words = sym.words
    if low in words or low in _ALLOW:
        return None
    affixes = _affixes(low, words)
    max_distance = 2 if len(low) >= 6 else 1
    cands = [c for c in sym.lookup(low, Verbosity.ALL, max_distance) if c.distance > 0 and len(c.term) > 1]
    if affixes:
        cands = [c for c in cands if not _variant(low, c.term)]
        cands = [
            c
            for c in cands
            if any(
                (kind == "suf" and c.term.endswith(a) and c.term[:3] == low[:3] and (c.distance == 1 or len(low) >= 8))
                or (kind == "pre" and c.term.startswith(a) and c.distance == 1)
                for kind, a in affixes
            )
        ]
    best = None
    for c in cands:
        score = 0.5 * math.log10(c.count) - _penalty(low, c.term, c.distance)
        if best is None or score > best[1]:
            best = (c.term, score, c.distance)
    return best


# ---------------------------------------------------------------------------------
# The checker
# ---------------------------------------------------------------------------------


class _Checker:
    def __init__(self, text: str, tasks: frozenset[str]):
        self.text = text
        self.tasks = tasks
        self.cands: list[_Cand] = []
        self.hints: list[_Cand] = []
        n = len(text)
        self.strict = bytearray(n + 1)
        self.loose = bytearray(n + 1)
        for m in _STRICT_PROTECTED.finditer(text):
            s, e = m.span()
            self.strict[s:e] = b"\x01" * (e - s)
            self.loose[s:e] = b"\x01" * (e - s)
        for m in _LOOSE_PROTECTED.finditer(text):
            s, e = m.span()
            self.loose[s:e] = b"\x01" * (e - s)
        self.toks = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        self.low = [_norm(t[2]) for t in self.toks]
        self.eff = list(self.low)  # lower-case words after spelling correction
        self.starts = [t[0] for t in self.toks]
        self.sentences = sentence_spans(text)

    # -- plumbing -----------------------------------------------------------------

    def add(self, offset: int, length: int, replacement: str | None, category: str, message: str, rule: str, priority: int) -> None:
        if category not in self.tasks:
            return
        cand = _Cand(offset, length, replacement, category, message, rule, priority)
        (self.hints if replacement is None else self.cands).append(cand)

    def tok_edit(self, i: int, replacement: str, category: str, message: str, rule: str, priority: int = _P_GRAMMAR) -> None:
        s, e, word = self.toks[i]
        repl = _match_case(word, replacement)
        if repl != word:
            self.add(s, e - s, repl, category, message.format(word=word, repl=repl), rule, priority)

    def linked(self, i: int) -> bool:
        """Token i and token i+1 are separated by whitespace only (same phrase)."""
        if i + 1 >= len(self.toks):
            return False
        gap = self.text[self.toks[i][1] : self.toks[i + 1][0]]
        return bool(gap) and gap.isspace()

    def hyphenated(self, i: int) -> bool:
        s, e, _ = self.toks[i]
        return (e < len(self.text) and self.text[e] == "-") or (s > 0 and self.text[s - 1] == "-")

    def protected(self, i: int) -> bool:
        return bool(self.loose[self.toks[i][0]])

    # -- run ----------------------------------------------------------------------

    def run(self) -> list[Edit]:
        text = self.text
        sent_first: list[int] = []  # token index of each sentence's first word
        bounds: list[tuple[int, int, int, int]] = []
        for s, e in self.sentences:
            a = bisect.bisect_left(self.starts, s)
            b = bisect.bisect_left(self.starts, e)
            bounds.append((s, e, a, b))
        self.first_of_sentence = {a for _, _, a, b in bounds if a < b}
        if "spelling" in self.tasks or "grammar" in self.tasks:
            self.spelling(bounds)
        if "grammar" in self.tasks:
            for s, e, a, b in bounds:
                self.grammar(a, b)
            self.repeats()
            self.punctuation()
        if "tone" in self.tasks:
            self.tone()
        if "concision" in self.tasks:
            self.wordy()
        if "clarity" in self.tasks:
            for s, e, a, b in bounds:
                if b - a > LONG_SENTENCE_WORDS:
                    self.add(s, e - s, None, "clarity", f"This sentence has {b - a} words. Consider splitting it; sentences over {LONG_SENTENCE_WORDS} words are hard to follow.", "TOO_LONG_SENTENCE", 0)
                self.passive(a, b)
        accepted = self.resolve()
        if "grammar" in self.tasks:
            accepted = self.capitalise_starts(bounds, accepted)
        edits = [
            Edit(c.offset, c.length, text[c.offset : c.offset + c.length], c.replacement, c.category, c.message, c.rule, ENGINE)
            for c in accepted + self.hints
        ]
        edits.sort(key=lambda e: (e.offset, e.length, e.rule))
        return edits

    def resolve(self) -> list[_Cand]:
        """Keep the highest-priority replacement edits that do not overlap."""
        order = sorted(self.cands, key=lambda c: (-c.priority, c.offset, c.length))
        starts: list[int] = []
        ends: list[int] = []
        kept: list[_Cand] = []
        for c in order:
            s, e = c.offset, c.offset + c.length
            k = bisect.bisect_right(starts, s)
            if k and ends[k - 1] > s:
                continue
            if k < len(starts) and starts[k] < e:
                continue
            if k < len(starts) and starts[k] == s:  # another edit at the same point
                continue
            if k and starts[k - 1] == s:
                continue
            starts.insert(k, s)
            ends.insert(k, e)
            kept.append(c)
        return kept

    # -- spelling -----------------------------------------------------------------

    def spelling(self, bounds) -> None:
        text = self.text
        want = "spelling" in self.tasks
        capitalised_mid: set[str] = set()
        for i, (s, e, w) in enumerate(self.toks):
            if i not in self.first_of_sentence and w[:1].isupper():
                capitalised_mid.add(w)
        sym = _speller()
        for i, (s, e, word) in enumerate(self.toks):
            low = self.low[i]
            if len(low) < 2 or self.loose[s] or self.loose[e - 1]:
                continue
            if (s and (text[s - 1].isalnum() or text[s - 1] in "_@#/\\.$%")) or (e < len(text) and (text[e].isalnum() or text[e] in "_/\\([=")):
                continue  # glued to digits, paths, code or non-Latin letters
            if s and e < len(text) and text[s - 1] in "\"'`" and text[e] == text[s - 1]:
                continue  # a quoted identifier: 'dest', "sed"
            if low in _WRONG_FORMS:
                self.eff[i] = _WRONG_FORMS[low]
                self.add(s, e - s, _match_case(word, _WRONG_FORMS[low]), "grammar", f"'{word}' is not a standard form. Did you mean '{_WRONG_FORMS[low]}'?", "IRREGULAR_FORM", _P_GRAMMAR)
                continue
            if low in _SPELLING_MAP:
                repl, rule, msg = _SPELLING_MAP[low]
                if low == "im" and word not in ("im", "Im"):
                    continue
                fixed = repl if repl.startswith("I'") else _match_case(word, repl)
                if "\u2019" in text[max(0, s - 40) : e + 40]:
                    fixed = fixed.replace("'", "\u2019")
                self.eff[i] = _norm(repl)
                if want:
                    self.add(s, e - s, fixed, "spelling", msg, rule, _P_SPELL_MAP)
                continue
            if low in _INFORMAL or low == "i" or not word.isascii() or len(low) < 3:
                continue
            letters = word.replace("'", "").replace("\u2019", "")
            if len(letters) > 1 and letters.isupper():
                continue  # acronym
            if any(c.isupper() for c in word[1:]):
                continue  # camelCase, iPhone, McDonald
            first = i in self.first_of_sentence
            if word[0].isupper() and not first:
                continue  # a name
            apos = next((k for k, c in enumerate(low) if c in _APOS), -1)
            suffix = ""
            if apos >= 0:
                if low in _CONTRACTIONS:
                    continue
                if low[apos + 1 :] != "s":
                    continue
                suffix = word[apos:]
                low = low[:apos]
                if len(low) < 3:
                    continue
            if low in sym.words:
                continue
            found = _suggest(low)
            if found is None:
                continue
            term, score, distance = found
            if word[0].isupper():
                # Sentence-initial capitalised word: maybe a name. Only fix typos of common words.
                if word in capitalised_mid or score < 3.5 or distance > 1:
                    continue
            elif score < 1.5:
                continue
            self.eff[i] = term
            if want:
                repl = _match_case(word[: len(word) - len(suffix)], term) + suffix
                self.add(s, e - s, repl, "spelling", f"Possible spelling mistake found: '{word}'. Did you mean '{repl}'?", "MORFOLOGIK_RULE_EN_US", _P_SPELL)

    # -- grammar ------------------------------------------------------------------

    def grammar(self, a: int, b: int) -> None:
        eff, toks = self.eff, self.toks
        for i in range(a, b):
            w = eff[i]
            if self.protected(i):
                continue
            nxt = eff[i + 1] if i + 1 < b and self.linked(i) and not self.protected(i + 1) else None
            prev = eff[i - 1] if i > a and self.linked(i - 1) else None
            at_start = i == a
            nxt2 = None
            if nxt is not None and i + 2 < b and self.linked(i + 1):
                nxt2 = eff[i + 2]
            end_after_next = nxt is not None and self._ends_after(i + 1)

            if w == "i" and toks[i][2] == "i":
                s, e, _ = toks[i]
                code = (e < len(self.text) and self.text[e] in ".-]=_[)") or (s and self.text[s - 1] in ".-[(_=") or (prev == "for" and nxt == "in")
                if not code:
                    self.add(s, 1, "I", "grammar", "The pronoun 'I' is always written with a capital letter.", "I_LOWERCASE", _P_GRAMMAR)
            elif w in ("i'm", "i've", "i'll", "i'd") and toks[i][2][0] == "i":
                s, e, word = toks[i]
                self.add(s, e - s, "I" + word[1:], "grammar", "The pronoun 'I' is always written with a capital letter.", "I_LOWERCASE", _P_GRAMMAR)

            if nxt is None:
                if w == "than" and at_start:
                    self.tok_edit(i, "then", "grammar", "Did you mean 'then'? 'Than' compares; 'then' is about time.", "CONFUSION_THAN_THEN")
                continue
            if self.hyphenated(i + 1) and w not in ("a", "an"):
                continue

            if w in ("a", "an"):
                self.a_an(i, prev, at_start)
            if w in _AGREE:
                self.agreement(i, a, prev, nxt, nxt2)
            if w in ("could", "would", "should", "must", "might", "may") and nxt == "of" and nxt2 != "course":
                self.tok_edit(i + 1, "have", "grammar", "Did you mean '{word}' → 'have'? After a modal verb, write 'have', not 'of'.", "COULD_OF")
            if w in _MODALS and (toks[i][2][0].islower() or (at_start and toks[i][2] not in ("Will", "May", "Can"))):
                if nxt in ("is", "are", "was", "were", "am"):
                    self.tok_edit(i + 1, "be", "grammar", "After a modal verb, use the base form 'be'.", "MD_BASEFORM")
                elif nxt in _IRREGULAR_PAST and nxt not in ("tried", "wanted", "needed", "liked", "made", "said", "found", "kept", "lost", "met", "paid", "sent", "spent", "taught", "told", "thought", "brought", "bought", "understood", "won"):
                    self.tok_edit(i + 1, _IRREGULAR_PAST[nxt], "grammar", "After a modal verb, use the base form of the verb: '{repl}'.", "MD_BASEFORM")
            if w in _DO_AUX and nxt in _IRREGULAR_PAST:
                self.tok_edit(i + 1, _IRREGULAR_PAST[nxt], "grammar", "After '" + toks[i][2] + "', use the base form of the verb: '{repl}'.", "DID_BASEFORM")
            if (w in _MODALS or w in _DO_AUX) and nxt in ("you", "i", "we", "they", "he", "she") and nxt2 in _IRREGULAR_PAST and nxt2 in _CLEAR_PAST and self.linked(i + 1):
                self.tok_edit(i + 2, _IRREGULAR_PAST[nxt2], "grammar", "After '" + toks[i][2] + "', use the base form of the verb: '{repl}'.", "MD_BASEFORM" if w in _MODALS else "DID_BASEFORM")
            if w == "not" and prev in _DO_AUX and nxt in _IRREGULAR_PAST:
                self.tok_edit(i + 1, _IRREGULAR_PAST[nxt], "grammar", "After 'did not', use the base form of the verb: '{repl}'.", "DID_BASEFORM")

            # their / there / they're
            if w == "their" and nxt in ("is", "are", "was", "were", "isn't", "aren't", "wasn't", "weren't"):
                self.tok_edit(i, "there", "grammar", "Did you mean 'there'? 'Their' shows possession.", "CONFUSION_THEIR_THERE")
            elif w in ("their", "there") and nxt in _ING_VERBS and not (nxt == "going" and nxt2 == "to" and self._word_at(i + 3) == "be"):
                if w == "their" or at_start or prev in _CONJ or prev in ("think", "know", "guess", "hope", "said", "say", "believe", "because"):
                    self.tok_edit(i, "they're", "grammar", "Did you mean 'they're' (they are)?", "CONFUSION_THEIR_THERE")
            elif w == "their" and nxt in ("not", "always", "never", "really", "gonna", "so"):
                self.tok_edit(i, "they're", "grammar", "Did you mean 'they're' (they are)?", "CONFUSION_THEIR_THERE")
            elif w == "there" and nxt in _POSSESSED and (at_start or prev in _THERE_NOUN_PREV) and nxt2 not in ("is", "are", "was", "were"):
                if not (nxt == "best" and prev not in ("did", "do", "tried", "try", "their")) and not (nxt in ("way", "home") and at_start):
                    self.tok_edit(i, "their", "grammar", "Did you mean 'their'? 'There' is a place; 'their' shows possession.", "CONFUSION_THEIR_THERE")
            elif w == "there" and nxt in ("new", "old", "own") and prev in _THERE_NOUN_PREV and prev != "and":
                self.tok_edit(i, "their", "grammar", "Did you mean 'their'? 'There' is a place; 'their' shows possession.", "CONFUSION_THEIR_THERE")
            elif w == "they're" and nxt in _THEYRE_NOUNS:
                self.tok_edit(i, "their", "grammar", "Did you mean 'their'? 'They're' means 'they are'.", "CONFUSION_THEIR_THERE")
            # its / it's
            if w == "its" and (nxt in _ITS_DIRECT or (nxt in _ITS_ADJ and (nxt2 in _ADJ_END or end_after_next))):
                self.tok_edit(i, "it's", "grammar", "Did you mean 'it's' (it is)? 'Its' shows possession.", "CONFUSION_ITS_IT_S")
            elif w == "it's" and nxt in _ITS_NOUNS:
                self.tok_edit(i, "its", "grammar", "Did you mean 'its'? 'It's' means 'it is'.", "CONFUSION_ITS_IT_S")
            # your / you're
            if w == "your" and (nxt in _YOUR_NEXT or (nxt in ("ready", "sure", "right") and (nxt2 in _ADJ_END or nxt2 in ("about", "for") or end_after_next))):
                self.tok_edit(i, "you're", "grammar", "Did you mean 'you're' (you are)? 'Your' shows possession.", "CONFUSION_YOUR_YOU_RE")
            elif w == "you're" and nxt in _YOURE_NOUNS:
                self.tok_edit(i, "your", "grammar", "Did you mean 'your'? 'You're' means 'you are'.", "CONFUSION_YOUR_YOU_RE")
            # who's / whose
            if w == "who's" and nxt in _THEYRE_NOUNS and nxt != "own":
                self.tok_edit(i, "whose", "grammar", "Did you mean 'whose'? 'Who's' means 'who is'.", "CONFUSION_WHOSE_WHO_S")
            elif w == "whose" and nxt in _ING_VERBS:
                self.tok_edit(i, "who's", "grammar", "Did you mean 'who's' (who is)?", "CONFUSION_WHOSE_WHO_S")
            # then / than
            if w in _COMPARATIVES and nxt == "then" and not (w == "other" and prev in (None, "the", "each", "every", "and")):
                self.tok_edit(i + 1, "than", "grammar", "Did you mean 'than'? Comparisons use 'than'.", "CONFUSION_THEN_THAN")
            if w == "than" and (prev in _THEN_BEFORE or at_start):
                self.tok_edit(i, "then", "grammar", "Did you mean 'then'? 'Than' compares; 'then' is about time.", "CONFUSION_THAN_THEN")
            # affect / effect
            if w in ("affect", "affects") and prev in _AFFECT_BEFORE and nxt in ("on", "of"):
                self.tok_edit(i, "effect" + w[6:], "grammar", "Did you mean '{repl}'? The noun is 'effect'; 'affect' is the verb.", "CONFUSION_AFFECT_EFFECT")
            elif w == "effect" and prev in _EFFECT_VERB_BEFORE and nxt in _EFFECT_VERB_AFTER:
                self.tok_edit(i, "affect", "grammar", "Did you mean 'affect'? The verb is 'affect'; 'effect' is usually the noun.", "CONFUSION_AFFECT_EFFECT")
            elif w == "effects" and prev in ("it", "this", "that", "which", "he", "she") and nxt in _EFFECT_VERB_AFTER:
                self.tok_edit(i, "affects", "grammar", "Did you mean 'affects'? The verb is 'affect'.", "CONFUSION_AFFECT_EFFECT")
            # lose / loose
            if w == "loose" and (prev in ("to", "not", "never", "i", "you", "we", "they") or prev in _MODALS or prev in _DO_AUX or prev in ("won't", "can't", "couldn't", "wouldn't", "shouldn't")):
                self.tok_edit(i, "lose", "grammar", "Did you mean 'lose'? 'Loose' means 'not tight'.", "CONFUSION_LOSE_LOOSE")
            if w == "loosing":
                self.tok_edit(i, "losing", "grammar", "Did you mean 'losing'? 'Loosing' means 'making loose'.", "CONFUSION_LOSE_LOOSE")
            if nxt == "lose" and w in ("is", "are", "was", "were", "too", "very", "came", "come", "comes"):
                self.tok_edit(i + 1, "loose", "grammar", "Did you mean 'loose' (not tight)? 'Lose' is a verb.", "CONFUSION_LOSE_LOOSE")
            # to / too
            if w == "to" and prev in ("is", "are", "was", "were", "it's", "be", "been", "feel", "feels", "felt", "way", "much") and nxt in _TOO_ADJ and nxt2 not in ("the", "a", "an") and not (prev == "much" and nxt != "much"):
                self.tok_edit(i, "too", "grammar", "Did you mean 'too' (excessively)?", "CONFUSION_TO_TOO")
            if w == "too" and (nxt in _DETERMINERS - {"that", "this"} or (prev in _TOO_VERB_BEFORE and nxt in _BASE_VERBS)):
                self.tok_edit(i, "to", "grammar", "Did you mean 'to'? 'Too' means 'also' or 'excessively'.", "CONFUSION_TO_TOO")
            if nxt == "to" and ((w in _OBJ_PRONOUNS and prev in ("love", "miss", "like")) or w in ("there", "here")) and self.text[self.toks[i + 1][1] : self.toks[i + 1][1] + 1] in (".", "!", ""):
                self.tok_edit(i + 1, "too", "grammar", "Did you mean 'too' (also)?", "CONFUSION_TO_TOO")
            # grate / great, except / accept
            if w == "grate" and prev in _BE:
                self.tok_edit(i, "great", "grammar", "Did you mean 'great'? A grate is a metal frame.", "CONFUSION_GRATE_GREAT")
            if w in ("excepted", "except", "excepts") and (nxt in _DETERMINERS - {"that", "this", "these", "those"} or nxt in ("it", "them")) and (prev in ("i", "you", "we", "they", "he", "she", "not", "to", "will", "would", "can", "could", "should") or w == "excepted"):
                self.tok_edit(i, "accept" + w[6:], "grammar", "Did you mean '{repl}'? 'Except' means 'apart from'.", "CONFUSION_ACCEPT_EXCEPT")
            # weather / whether, quiet / quite
            if w == "weather" and nxt == "or" and nxt2 == "not":
                self.tok_edit(i, "whether", "grammar", "Did you mean 'whether'? 'Weather' is rain and sun.", "CONFUSION_WEATHER_WHETHER")
            if w == "quiet" and nxt in _QUIET_NEXT and (nxt != "a" or prev not in ("be", "is", "was", "keep", "stay", "stayed", "kept", "very", "so")):
                self.tok_edit(i, "quite", "grammar", "Did you mean 'quite' (rather)? 'Quiet' means 'not loud'.", "CONFUSION_QUIET_QUITE")
            # noun phrase subject: "My parents was", "The cat sleep"
            if w in _NP_DETERMINERS and nxt2 is not None and (prev is None or (prev not in _PREPOSITIONS and prev not in _AUX_BEFORE_SUBJECT)):
                self.noun_agreement(i, a)
            # "more faster" -> "faster"
            if w == "more" and nxt in _MORE_COMPARATIVE and (prev in _BE or nxt2 in ("than", None)):
                s0, e0 = toks[i][0], toks[i + 1][0]
                if nxt2 is not None or self._ends_after(i + 1):
                    self.add(s0, e0 - s0, "", "grammar", f"'{nxt}' is already a comparative; drop 'more'.", "MORE_COMPARATIVE", _P_GRAMMAR)
            # "I seen" -> "I saw"
            if w in ("i", "you", "we", "they", "he", "she") and nxt in ("seen", "done") and (prev is None or prev in _CONJ):
                self.tok_edit(i + 1, "saw" if nxt == "seen" else "did", "grammar", "Use the past tense '{repl}' here, or add 'have'.", "PAST_PARTICIPLE_AS_PAST")
            # "borrow me" -> "lend me"
            if w in ("borrow", "borrows", "borrowed", "borrowing") and nxt in ("me", "us"):
                self.tok_edit(i, {"borrow": "lend", "borrows": "lends", "borrowed": "lent", "borrowing": "lending"}[w], "grammar", "You borrow from someone and lend to someone: did you mean '{repl}'?", "BORROW_LEND")
            # there is + plural
            if w in ("there", "there's") and (w == "there's" or nxt in ("is", "was")) and toks[i][2][0] in "tT":
                k = i + 1 if w == "there's" else i + 2
                after = self._word_at(k) if (w == "there's" or self.linked(i + 1)) else None
                if after in _THERES_PLURAL and self.linked(k - 1):
                    if w == "there's":
                        self.tok_edit(i, "there are", "grammar", "Use 'there are' before a plural: 'there are {0}'.".replace("{0}", after), "THERE_S_MANY")
                    else:
                        self.tok_edit(i + 1, "are" if nxt == "is" else "were", "grammar", "Use a plural verb before '" + after + "': '{repl}'.", "THERE_S_MANY")

    def _word_at(self, k: int) -> str | None:
        return self.eff[k] if k < len(self.eff) else None

    def _ends_after(self, i: int) -> bool:
        """Token i is followed by sentence punctuation or the end of the text."""
        e = self.toks[i][1]
        rest = self.text[e : e + 2]
        return rest == "" or rest[0] in ".!?,;:"

    def a_an(self, i: int, prev: str | None, at_start: bool) -> None:
        s, e, word = self.toks[i]
        if word == "A" and not at_start:
            return  # a letter or a name ("Plan A", "grade A")
        text = self.text
        j = e
        while j < len(text) and text[j] in " \t\"'\u201c\u2018":
            j += 1
        if j == e or j >= len(text):
            return
        if text[j].isdigit():
            m = re.match(r"\d+", text[j : j + 12])
            num = m.group()
            if num[0] == "8" or (len(num) in (2, 5) and num[:2] in ("11", "18")):
                an = True
            elif num[0] in "234567 9".replace(" ", "") or (num[0] == "1" and not (len(num) in (2, 5) and num[:2] in ("11", "18"))):
                an = False
            else:
                return
        else:
            k = bisect.bisect_left(self.starts, j)
            if k >= len(self.toks) or self.toks[k][0] != j or self.protected(k):
                return
            if self.eff[k] in _NOT_AFTER_ARTICLE:
                return  # "a" is a variable or a letter here: "assuming a is sorted"
            an = self._needs_an(self.toks[k][2], self.eff[k])
            if an is None:
                return
        low = word.lower()
        if an and low == "a":
            self.tok_edit(i, "an", "grammar", "Use 'an' instead of 'a' if the following word starts with a vowel sound.", "EN_A_VS_AN")
        elif not an and low == "an":
            self.tok_edit(i, "a", "grammar", "Use 'a' instead of 'an' if the following word doesn't start with a vowel sound.", "EN_A_VS_AN")

    @staticmethod
    def _needs_an(word: str, low: str) -> bool | None:
        if not word or not word[0].isalpha():
            return None
        bare = low.replace("'", "")
        letters = word.replace("'", "").replace("\u2019", "")
        if len(letters) == 1:
            return letters.lower() in _VOWEL_LETTERS
        if letters.isupper() and len(letters) >= 4 and any(c in "AEIOU" for c in letters[:3]) and bare in _speller().words and bare not in _WORD_ACRONYMS:
            pass  # an upper-case word read as a word: "a NOTICE file"
        elif (letters.isupper() or sum(c.isupper() for c in letters) >= 2) and len(letters) <= 6:
            if bare in _AMBIGUOUS_ACRONYMS:
                return None
            if bare in _WORD_ACRONYMS:
                return bare in _VOWEL_ACRONYM_WORDS
            if bare[:1] == "u" and len(letters) >= 4 and any(c in "AEIOU" for c in letters[1:3]):
                return None  # maybe read as a word
            return bare[0] in _VOWEL_LETTERS
        if bare.startswith(_AN_WORDS):
            return True
        if bare.startswith(("historic", "hysteric")):
            return None  # "an historic" is an accepted variant
        if bare.startswith(_AN_UNI):
            return True
        if bare.startswith(_A_PREFIXES) or bare == "one":
            return False
        return bare[0] in "aeiou"

    def agreement(self, i: int, a: int, prev: str | None, nxt: str, nxt2: str | None) -> None:
        subj = self.eff[i]
        word = self.toks[i][2]
        boundary = i == a or not self.linked(i - 1)
        rule = "AGREEMENT_SENT_START" if i == a else "SUBJECT_VERB_AGREEMENT"
        if (subj in ("it", "you", "that") or subj in _INDEFINITE_SUBJECTS) and not (boundary or prev in _CONJ):
            return
        if subj == "that" and i != a:
            return
        if prev in _AUX_BEFORE_SUBJECT:
            return
        table = _AGREE[subj]
        if nxt in table:
            if subj in ("he", "she", "it", "i", "this", "that") and self._compound(i, a, prev):
                return  # compound subject: "He and she are"
            if nxt == "were" and any(self.eff[k] in ("if", "wish", "though", "unless", "suppose", "imagine") for k in range(max(a, i - 3), i)):
                return  # subjunctive: "if he were"
            self.tok_edit(i + 1, table[nxt], "grammar", f"The verb does not agree with the subject '{word}'. Did you mean '{{repl}}'?", rule)
        elif subj in ("he", "she", "it") and nxt in _THIRD_PERSON and _THIRD_PERSON[nxt] and prev != "that" and not self._compound(i, a, prev):
            if self.hyphenated(i + 1):
                return
            self.tok_edit(i + 1, _THIRD_PERSON[nxt], "grammar", f"The verb does not agree with the subject '{word}'. Did you mean '{{repl}}'?", rule)

    def noun_agreement(self, i: int, a: int) -> None:
        """Determiner + noun + verb: a plural noun with a singular verb, or a singular noun with a base verb."""
        noun_word = self.toks[i + 1][2]
        noun, verb = self.eff[i + 1], self.eff[i + 2]
        if not noun_word.islower() or self.hyphenated(i + 1) or self.hyphenated(i + 2) or noun in _NOT_PLURAL:
            return
        if i + 2 < len(self.toks) - 1 and self.text[self.toks[i + 2][1] : self.toks[i + 2][1] + 1] == "-":
            return
        rule = "AGREEMENT_SENT_START" if i == a else "SUBJECT_VERB_AGREEMENT"
        words = _speller().words
        if verb in _SINGULAR_VERB_TO_PLURAL and self.eff[i] not in ("this", "that"):
            plural = noun in _IRREGULAR_PLURALS
            if not plural and noun.endswith("s") and not noun.endswith(("ss", "us", "is", "ous", "ics", "'s")) and len(noun) > 3:
                plural = (noun.endswith("ies") and noun[:-3] + "y" in words) or noun[:-1] in words or (noun.endswith("es") and noun[:-2] in words)
            if plural:
                self.tok_edit(i + 2, _SINGULAR_VERB_TO_PLURAL[verb], "grammar", f"'{noun_word}' is plural, so the verb should be '{{repl}}'.", rule)
        elif verb in _BASE_AFTER_NOUN and self.eff[i] not in ("these", "those"):
            if noun in _COLLECTIVE or noun in _IRREGULAR_PLURALS or noun.endswith("s") or noun not in words or len(noun) < 3:
                return
            after = self.eff[i + 3] if i + 3 < len(self.toks) and self.linked(i + 2) else None
            if verb == "live" and after not in _LIVE_NEXT:
                return
            if verb == "go" and after not in ("to", "home", "out", "back", "there", "away"):
                return
            if not self.linked(i + 1):
                return
            self.tok_edit(i + 2, _BASE_AFTER_NOUN[verb], "grammar", f"The verb does not agree with '{noun_word}'. Did you mean '{{repl}}'?", rule)

    def _compound(self, i: int, a: int, prev: str | None) -> bool:
        """Is the subject at i the second half of "X and <subject>"?"""
        if prev not in ("and", "or", "nor"):
            return False
        k = i - 2
        if k < a or not self.linked(k):
            return k < a
        return self.eff[k] in ("he", "she", "i", "you", "we", "they", "it", "him", "her", "me", "them", "us") or self.toks[k][2][0].isupper()

    def repeats(self) -> None:
        toks, low = self.toks, self.low
        for i in range(len(toks) - 1):
            if low[i] == low[i + 1] and low[i] not in _NO_REPEAT and self.linked(i) and not self.protected(i) and len(self.text[toks[i][1] : toks[i + 1][0]]) <= 2 and "\n" not in self.text[toks[i][1] : toks[i + 1][0]]:
                if low[i].isdigit():
                    continue
                s = toks[i][1]
                e = toks[i + 1][1]
                if i + 1 in self.first_of_sentence:
                    continue
                if low[i] == "is" and i and low[i - 1] in ("it", "what", "this", "that", "thing", "problem", "question"):
                    continue  # "What it is is ..."
                self.add(s, e - s, "", "grammar", f"Possible typo: you repeated a word ('{toks[i][2]}').", "ENGLISH_WORD_REPEAT_RULE", _P_REPEAT)

    def punctuation(self) -> None:
        text, strict = self.text, self.strict
        for m in _DOUBLE_SPACE.finditer(text):
            if not strict[m.start()] and len(m.group()) <= 3:
                self.add(m.start(), len(m.group()), " ", "grammar", "Possible typo: you repeated a whitespace.", "WHITESPACE_RULE", _P_PUNCT)
        for m in _SPACE_BEFORE_COMMA_NO_AFTER.finditer(text):
            if not strict[m.start()]:
                self.add(m.start(), m.end() - m.start(), m.group(2) + " ", "grammar", "Put a space after the punctuation mark, not before it.", "COMMA_PARENTHESIS_WHITESPACE", _P_PUNCT + 1)
        for m in _SPACE_BEFORE_PUNCT.finditer(text):
            punct = m.group(2)
            if strict[m.start()] or punct in ("...", "..") or (punct == ":" and text[m.end() : m.end() + 1] in ")(DPp"):
                continue
            self.add(m.start(), m.end() - m.start(), punct, "grammar", f"Don't put a space before '{punct[0]}'.", "COMMA_PARENTHESIS_WHITESPACE", _P_PUNCT)
        for m in _NO_SPACE_AFTER_COMMA.finditer(text):
            if not strict[m.start()]:
                self.add(m.start(), 1, m.group(1) + " ", "grammar", f"Put a space after '{m.group(1)}'.", "COMMA_PARENTHESIS_WHITESPACE", _P_PUNCT)
        for m in _NO_SPACE_AFTER_STOP.finditer(text):
            s = m.start()
            if strict[s]:
                continue
            # the word before the stop must be a real word: not "e.g", "Node.Js"-ish names.
            k = bisect.bisect_right(self.starts, s) - 1
            if k < 0 or self.low[k] not in _speller().words:
                continue
            self.add(s, 1, m.group(1) + " ", "grammar", f"Put a space after '{m.group(1)}' between sentences.", "COMMA_PARENTHESIS_WHITESPACE", _P_PUNCT)
        for m in _PAREN_INNER_SPACE.finditer(text):
            if strict[m.start()]:
                continue
            if m.group(1) is not None:
                self.add(m.start(), len(m.group()), "(", "grammar", "Don't put a space after an opening parenthesis.", "COMMA_PARENTHESIS_WHITESPACE", _P_PUNCT)
            else:
                self.add(m.start(), len(m.group()), ")", "grammar", "Don't put a space before a closing parenthesis.", "COMMA_PARENTHESIS_WHITESPACE", _P_PUNCT)

    def capitalise_starts(self, bounds, accepted: list[_Cand]) -> list[_Cand]:
        """Sentence-initial capital: merged into an edit on that word, or a new edit."""
        text = self.text
        at = {c.offset: c for c in accepted}
        out = list(accepted)
        prev_end = None
        for s, e, a, b in bounds:
            p_end, prev_end = prev_end, e
            if a >= b:
                continue
            ts, te, word = self.toks[a]
            if not word[0].islower() or any(c.isupper() for c in word[1:]) or self.loose[ts] or self.strict[ts]:
                continue
            if text[s:ts].strip(" \"'\u201c\u2018([") != "":
                continue  # starts with a number, a bullet, a symbol...
            line_start = text.rfind("\n", 0, s) + 1
            if s - line_start >= 2 and text[line_start:s].strip() == "":
                continue  # an indented line: code or a table
            if te < len(text) and text[te] in "('\"`_=.[:" and text[te : te + 2] not in (". ", ": "):
                continue  # a function call or a quoted identifier
            if te < len(text) and text[te] in ").":
                if len(word) == 1 or word in ("ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"):
                    continue  # a list marker: "(b)", "iv."
            if p_end is not None:
                before = text[:p_end].rstrip()
                if before.endswith(("...", "\u2026", ":")):
                    continue
                if before[-1:] in "\"'\u201d\u2019" and "\n" not in text[p_end:s]:
                    continue  # a dialogue tag: "Stop!" he said.
                if before[-1:] not in ".!?\"'\u201d\u2019)" and "\n\n" not in text[p_end:s].replace("\r", ""):
                    continue
            if self.low[a] in ("i", "i'm", "i've", "i'll", "i'd"):
                continue  # I_LOWERCASE already fixes it
            c = at.get(ts)
            if c is not None:
                if c.replacement and c.replacement[0].islower():
                    c.replacement = c.replacement[0].upper() + c.replacement[1:]
                continue
            if any(c.offset < te and c.offset + c.length > ts for c in self._near(accepted, ts, te)):
                continue
            cand = _Cand(ts, te - ts, word[0].upper() + word[1:], "grammar", "This sentence does not start with an uppercase letter.", "UPPERCASE_SENTENCE_START", _P_CASE)
            out.append(cand)
        return out

    @staticmethod
    def _near(accepted: list[_Cand], s: int, e: int) -> Iterable[_Cand]:
        return (c for c in accepted if c.offset < e and c.offset + c.length > s)

    # -- style --------------------------------------------------------------------

    def passive(self, a: int, b: int) -> None:
        eff, toks = self.eff, self.toks
        for i in range(a, b):
            if eff[i] not in _BE_PASSIVE:
                continue
            j = i + 1
            while j < b and j - i <= 3 and self.linked(j - 1) and (eff[j] in _PASSIVE_ADVERBS or (eff[j].endswith("ly") and len(eff[j]) > 4)):
                j += 1
            if j >= b or not self.linked(j - 1):
                continue
            w = eff[j]
            if w in _NOT_PASSIVE or self.hyphenated(j):
                continue
            if (w.endswith("ed") and len(w) > 4) or w in _IRREGULAR_PP:
                if w in ("read", "run", "put", "set", "cut", "hit", "shut") and (j + 1 >= b or eff[j + 1] != "by"):
                    continue
                s = toks[i][0]
                e = toks[j][1]
                self.add(s, e - s, None, "clarity", f"'{self.text[s:e]}' is passive voice. The active voice is often clearer and shorter.", "PASSIVE_VOICE", 0)

    def wordy(self) -> None:
        text = self.text
        for m in _WORDY_RE.finditer(text):
            if self.strict[m.start()]:
                continue
            phrase = " ".join(m.group().split())
            repl = _match_case(phrase, _WORDY[phrase.lower()])
            self.add(m.start(), m.end() - m.start(), repl, "concision", f"'{phrase}' is wordy. Consider '{repl}'.", "WORDY_PHRASE", _P_CONCISION)

    def tone(self) -> None:
        for i, (s, e, word) in enumerate(self.toks):
            low = self.low[i]
            if low not in _INFORMAL or self.protected(i):
                continue
            if low == "u" and (word != "u" or self.hyphenated(i) or (e < len(self.text) and self.text[e] == ".")):
                continue
            repl = _INFORMAL[low]
            if repl is None:
                self.add(s, e - s, None, "tone", f"'{word}' is informal. Consider a more formal word.", "INFORMAL_LANGUAGE", 0)
            else:
                repl = _match_case(word, repl)
                self.add(s, e - s, repl, "tone", f"'{word}' is informal. Consider '{repl}'.", "INFORMAL_LANGUAGE", _P_TONE)


def check(text: str, tasks: Collection[str] | None = None) -> list[Edit]:
    """All basic-engine edits on `text`, sorted by offset; replacement edits never overlap."""
    wanted = frozenset(CATEGORIES) if tasks is None else frozenset(tasks) & frozenset(CATEGORIES)
    if not wanted or not text or not _LETTERS.search(text):
        return []
    return _Checker(text, wanted).run()


# ---------------------------------------------------------------------------------
# Rewrite
# ---------------------------------------------------------------------------------

_CONTRACTION_EXPANSIONS = {
    "can't": "cannot", "won't": "will not", "shan't": "shall not", "ain't": "is not", "let's": "let us",
    "i'm": "I am", "you're": "you are", "we're": "we are", "they're": "they are", "i've": "I have",
    "you've": "you have", "we've": "we have", "they've": "they have", "would've": "would have",
    "could've": "could have", "should've": "should have", "might've": "might have", "must've": "must have",
    "i'll": "I will", "you'll": "you will", "he'll": "he will", "she'll": "she will", "we'll": "we will",
    "they'll": "they will", "it'll": "it will", "that'll": "that will", "there'll": "there will",
    "y'all": "you all",
}
_S_CONTRACTIONS = frozenset({"it's", "he's", "she's", "that's", "there's", "what's", "who's", "where's", "here's", "how's"})
_D_CONTRACTIONS = frozenset({"i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "it'd", "that'd", "who'd"})
_CONTRACTION_RE = re.compile(r"\b[A-Za-z]+(?:['\u2019][A-Za-z]+)+\b")
_INFORMAL_REWRITE = {
    "gonna": "going to", "wanna": "want to", "gotta": "have to", "kinda": "somewhat", "sorta": "somewhat",
    "dunno": "do not know", "lemme": "let me", "gimme": "give me", "yeah": "yes", "yep": "yes", "nope": "no",
    "btw": "by the way", "thx": "thank you", "thanks": "thank you", "pls": "please", "plz": "please",
    "cuz": "because", "awesome": "excellent", "kids": "children", "ok": "acceptable", "okay": "acceptable",
}
_A_LOT_OF = re.compile(r"\b(a\s+lot\s+of|lots\s+of)\s+([A-Za-z]+)", re.IGNORECASE)
_PLURAL_IRREGULAR = frozenset({"people", "children", "men", "women", "mice", "feet", "teeth", "geese"})
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_PUNCT = re.compile(r"[ \t]+([,.;:!?])")


def _expand_contraction(m: re.Match, text: str) -> str:
    word = m.group()
    low = _norm(word)
    after = text[m.end() : m.end() + 30].split()
    nxt = after[0].strip(".,;:!?").lower() if after else ""
    if low.endswith("n't"):
        base = low[:-3]
        full = _CONTRACTION_EXPANSIONS.get(low) or f"{base} not"
    elif low in _CONTRACTION_EXPANSIONS:
        full = _CONTRACTION_EXPANSIONS[low]
    elif low in _S_CONTRACTIONS:
        has = nxt in ("been", "got", "gotten") or (nxt.endswith("ed") and nxt not in ("used", "interested", "tired", "excited"))
        full = low[:-2] + (" has" if has else " is")
    elif low in _D_CONTRACTIONS:
        had = nxt in ("been", "better", "gone", "done", "seen", "taken") or nxt.endswith("ed")
        full = low[:-2] + (" had" if had else " would")
    else:
        return word
    if full.startswith("i "):
        full = "I" + full[1:]
    return _match_case(word, full) if not word.isupper() else full.upper()


def _capitalise_sentences(text: str) -> str:
    chars = list(text)
    for s, _ in sentence_spans(text):
        m = WORD.search(text, s)
        if m is None or text[s : m.start()].strip(" \"'\u201c\u2018([") != "":
            continue
        w = m.group()
        if w[0].islower() and not any(c.isupper() for c in w[1:]):
            chars[m.start()] = w[0].upper()
    return "".join(chars)


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _SPACE_PUNCT.sub(r"\1", text)
    text = re.sub(r"([,;])\s*([.!?])", r"\2", text)
    return _capitalise_sentences(text)


def _formal(text: str) -> str:
    text = _CONTRACTION_RE.sub(lambda m: _expand_contraction(m, m.string), text)

    def a_lot(m: re.Match) -> str:
        noun = m.group(2)
        low = noun.lower()
        plural = low in _PLURAL_IRREGULAR or (low.endswith("s") and not low.endswith("ss"))
        return _match_case(m.group(1), "many" if plural else "a great deal of") + " " + noun

    text = _A_LOT_OF.sub(a_lot, text)

    def informal(m: re.Match) -> str:
        word = m.group()
        repl = _INFORMAL_REWRITE.get(word.lower())
        if repl is None:
            return word
        return _match_case(word, repl)

    return re.sub(r"\b(?:" + "|".join(_INFORMAL_REWRITE) + r")\b", informal, text, flags=re.IGNORECASE)


def _replace_phrases(text: str, table: dict[str, str], pattern: re.Pattern) -> str:
    def sub(m: re.Match) -> str:
        phrase = " ".join(m.group().split())
        return _match_case(phrase, table[phrase.lower()])

    return pattern.sub(sub, text)


_SIMPLE_RE = re.compile(r"\b(?:" + "|".join(sorted(_SIMPLE, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def _drop_fillers(text: str) -> str:
    out: list[str] = []
    pos = 0
    toks = list(WORD.finditer(text))
    for k, m in enumerate(toks):
        low = m.group().lower()
        if low not in _FILLERS:
            continue
        prev = toks[k - 1].group().lower() if k else None
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if nxt is None:
            continue
        gap_after = text[m.end() : nxt.start()]
        if prev is not None and (prev in _KEEP_BEFORE_FILLER or prev.endswith(("n't", "n\u2019t"))) and low in ("very", "quite"):
            continue
        if prev is not None and prev.endswith(("n't", "n\u2019t")) or prev == "not":
            continue  # "not really", "don't really": dropping changes the meaning
        if gap_after.strip() == "," and prev is None or (prev is not None and text[toks[k - 1].end() : m.start()].strip() in (".", "!", "?") and gap_after.strip() == ","):
            # "Basically, we ..." -> "We ..."
            start = m.start()
            out.append(text[pos:start])
            pos = nxt.start()
            continue
        if not gap_after.isspace() or nxt.group().lower() in _KEEP_AFTER_FILLER:
            continue
        out.append(text[pos : m.start()])
        pos = nxt.start()
    out.append(text[pos:])
    return "".join(out)


def rewrite(text: str, style: str) -> str:
    """The basic engine's rewrite: grammar and spelling fixes, then the style's own changes.

    - ``formal``: expand contractions, replace informal words (gonna, kinda, a lot of...).
    - ``concise``: wordy phrases to short forms; drop fillers (very, really, basically...) where safe.
    - ``simple``: long or formal words to plain ones (utilize -> use), wordy phrases to short forms.
    """
    if style == "paraphrase":
        raise ValueError("paraphrase needs a language model engine (t5 or gemini)")
    if style not in REWRITE_STYLES:
        raise ValueError(f"unknown style {style!r}; the basic engine can do {', '.join(REWRITE_STYLES)}")
    fixes = [e for e in check(text, {"grammar", "spelling"}) if e.replacement is not None]
    text = apply_edits(text, fixes)
    if style == "formal":
        text = _formal(text)
    elif style == "concise":
        text = _replace_phrases(text, _WORDY, _WORDY_RE)
        text = _drop_fillers(text)
    else:
        text = _replace_phrases(text, _WORDY, _WORDY_RE)
        text = _replace_phrases(text, _SIMPLE, _SIMPLE_RE)
    return _tidy(text)
