"""Reading suggestion answers in tests."""

from __future__ import annotations

from pipelines.edits import Edit, apply_edits


def applied(text: str, suggestions: list[dict]) -> str:
    """The text a user gets by accepting every suggestion that has a replacement."""
    return apply_edits(text, [Edit(**s) for s in suggestions])
