"""The one edit type every engine produces, and how edits are applied to text."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

@dataclass(frozen=True, slots=True)
class Edit:
    """One offset-anchored suggestion on a text.

    `offset` and `length` are Python str indices into the text that was checked;
    `category` is a `pipelines.vocabulary.Task` value.
    `replacement` is None for a hint that has no mechanical fix (a long sentence, say).
    `rule` is a stable id (``EN_A_VS_AN``, ``MORFOLOGIK_SPELLING``, ...) that the
    LanguageTool-compatible API maps to its rule and category objects.
    """

    offset: int
    length: int
    original: str
    replacement: str | None
    category: str
    message: str
    rule: str
    engine: str = "basic"

    def to_dict(self) -> dict:
        return asdict(self)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply every edit that has a replacement; edits must not overlap.

    Raises ValueError when an edit's `original` does not match the text at its
    offset or when two edits overlap, so a caller never silently corrupts text.
    """
    out: list[str] = []
    pos = 0
    for edit in sorted((e for e in edits if e.replacement is not None), key=lambda e: (e.offset, e.length)):
        if edit.offset < pos:
            raise ValueError(f"overlapping edit at {edit.offset}")
        if text[edit.offset : edit.offset + edit.length] != edit.original:
            raise ValueError(f"edit at {edit.offset} does not match the text")
        out.append(text[pos : edit.offset])
        out.append(edit.replacement)
        pos = edit.offset + edit.length
    out.append(text[pos:])
    return "".join(out)
