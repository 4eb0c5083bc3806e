"""Text analysis for /v1/analysis: readability, counts, style findings and issue counts.

Everything returned is JSON-ready (str, int, float, list, dict) and the function
never raises on odd input ("!!!", one word, only numbers).
"""

from __future__ import annotations

import re
from collections import Counter

import textstat

from pipelines import rules
from pipelines.text import WORD, paragraph_spans, sentence_spans
from pipelines.vocabulary import Task

READING_WPM = 238  # silent reading, adults (Brysbaert 2019)
SPEAKING_WPM = 150  # a presentation pace
TOP_REPEATED = 10

_WORDS = re.compile(r"\S*[A-Za-z0-9\u00C0-\u024F]\S*")
_HAS_ALNUM = re.compile(r"[A-Za-z0-9\u00C0-\u024F]")

_STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each even
    ever every few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself
    just let's like made make many may me might more most much must mustn't my myself never no nor not now of off on
    once one only or other ought our ours ourselves out over own quite rather really said same say says see shall
    shan't she she'd she'll she's should shouldn't since so some still such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've this those though through thus to too
    under until up upon us use used very was wasn't way we we'd we'll we're we've well were weren't what what's when
    when's where where's whether which while who who's whom whose why why's will with within without won't would
    wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves also etc
    """.split()
)

_READABILITY = (
    ("flesch_reading_ease", textstat.flesch_reading_ease),
    ("flesch_kincaid_grade", textstat.flesch_kincaid_grade),
    ("gunning_fog", textstat.gunning_fog),
    ("smog_index", textstat.smog_index),
    ("coleman_liau_index", textstat.coleman_liau_index),
    ("automated_readability_index", textstat.automated_readability_index),
    ("dale_chall", textstat.dale_chall_readability_score),
)


def _readability(text: str, words: int) -> dict:
    out: dict = {}
    for name, fn in _READABILITY:
        value = 0.0
        if words:
            try:
                value = round(float(fn(text)), 2)
            except Exception:  # textstat divides by zero on some degenerate input
                value = 0.0
        out[name] = value
    try:
        out["text_standard"] = str(textstat.text_standard(text, float_output=False)) if words else ""
    except Exception:
        out["text_standard"] = ""
    return out


def analyze(text: str) -> dict:
    """Readability scores, counts, long sentences, passive voice, overused words and issue counts."""
    words = len(_WORDS.findall(text))
    sentences = [span for span in sentence_spans(text) if _HAS_ALNUM.search(text, span[0], span[1])]
    paragraphs = [span for span in paragraph_spans(text) if _HAS_ALNUM.search(text, span[0], span[1])]
    edits = rules.check(text) if words else []

    issues = {task.value: 0 for task in Task}
    long_sentences: list[dict] = []
    passive: list[dict] = []
    for edit in edits:
        issues[edit.category] = issues.get(edit.category, 0) + 1
        if edit.rule == "TOO_LONG_SENTENCE":
            n = len(WORD.findall(edit.original))
            long_sentences.append({"offset": edit.offset, "length": edit.length, "words": n})
        elif edit.rule == "PASSIVE_VOICE":
            passive.append({"offset": edit.offset, "length": edit.length, "text": edit.original})

    counts = Counter(
        w for w in (m.group().lower().replace("\u2019", "'") for m in WORD.finditer(text)) if len(w) > 2 and w not in _STOPWORDS
    )
    repeated = [{"word": w, "count": c} for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 2][:TOP_REPEATED]

    return {
        "readability": _readability(text, words),
        "counts": {
            "characters": len(text),
            "characters_no_spaces": sum(1 for c in text if not c.isspace()),
            "words": words,
            "sentences": len(sentences),
            "paragraphs": len(paragraphs),
            "reading_time_s": round(words / READING_WPM * 60, 1),
            "speaking_time_s": round(words / SPEAKING_WPM * 60, 1),
        },
        "long_sentences": long_sentences,
        "passive_voice": passive,
        "repeated_words": repeated,
        "issues": issues,
    }
