"""What a learner sees after `check()`, `hint()` or `solution()`.

Every message renders as Markdown in Jupyter (`_repr_markdown_`) and as plain text
in a terminal or log (`__str__`/`__repr__`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal[
    "correct",
    "incorrect",
    "not_attempted",
    "error",
    "hint",
    "solution",
    # Written work: recorded for review, never "correct" (see TextQuestion).
    "submitted",
    # Written work a trainer or peer has scored against its rubric.
    "reviewed",
    # A multi-part question with some parts right ("2 of 3 right").
    "partial",
]

_LABELS = {
    "correct": ("Correct", "#1a7f37"),
    "incorrect": ("Incorrect", "#cf222e"),
    "not_attempted": ("Not attempted", "#9a6700"),
    "error": ("Could not check", "#8250df"),
    "hint": ("Hint", "#0969da"),
    "solution": ("Solution", "#57606a"),
    "submitted": ("Submitted for review", "#0969da"),
    "reviewed": ("Reviewed", "#1a7f37"),
    "partial": ("Partly right", "#9a6700"),
}


@dataclass(frozen=True)
class Feedback:
    """One piece of feedback: a status, a label and a message (Markdown allowed)."""

    status: Status
    message: str
    label: str = ""
    needs_review: bool = False
    # What the progress file keeps beside the status: a written answer and the
    # rubric elements found ("answer", "found", "missing"), or a multi-part
    # question's score ("right", "parts").
    details: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return self.label or _LABELS[self.status][0]

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def _repr_markdown_(self) -> str:
        colour = _LABELS[self.status][1]
        head = f'<span style="color:{colour}; font-weight:bold">{self.title}:</span>'
        return f"{head} {self.message}"

    def __str__(self) -> str:
        return f"{self.title}: {_plain(self.message)}"

    __repr__ = __str__


def _plain(markdown: str) -> str:
    """Drop the inline-code backticks that only help in Markdown."""
    return markdown.replace("`", "")
