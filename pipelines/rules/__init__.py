"""The offline rule engine ("basic mode"): spelling, grammar and style rules.

    check(text, tasks=None, language="en-US") -> list[Edit]
    rewrite(text, style) -> str        # style in STYLES
    RULES_VERSION                      # changes whenever the rules' output may change

`check` returns offset-anchored `Edit`s (engine "basic"), sorted by offset. Edits that
carry a replacement never overlap, so `apply_edits` can apply all of them at once; hints
(long sentences, passive voice, some informal words) have ``replacement=None``.

The rules are tuned for precision: a wrong "correction" costs a user more than a missed
one, so every contextual rule fires only where the suggested form is clearly right. Rule
ids follow LanguageTool's where one exists. Modules, by concern: `words` (lists in
`data/`), `spelling`, `checker` (plumbing), `grammar`, `confusions`, `articles`, `usage`
(a word with no slot), `number` (plural agreement), `realword` (look-alike words),
`mechanics`, `style`, `engine` (runs them) and `rewrite`.
"""

from pipelines.rules.engine import check
from pipelines.rules.rewrite import STYLES, rewrite
from pipelines.rules.spelling import LANGUAGES

RULES_VERSION = "rules-11"

__all__ = ["LANGUAGES", "RULES_VERSION", "STYLES", "check", "rewrite"]
