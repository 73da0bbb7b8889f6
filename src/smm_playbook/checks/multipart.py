"""Questions in several parts, with partial credit (learntools' `q1.a`, `q1.b`).

    class SeverityTiers(MultipartQuestion):
        title = "Tier four mentions"
        parts = (TierA, TierB, TierC, TierD)    # each an ordinary Question

In a notebook, `q2.a.check()` checks one part and `q2.check()` checks them all,
reporting "2 of 4 right" with each part's own message. The progress file keeps
the number of parts right, and the summary gives that share of the points.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from smm_playbook.checks.feedback import Feedback
from smm_playbook.checks.questions import Question

LABELS = "abcdefgh"


class MultipartQuestion(Question):
    """Several parts, each its own question; reported as "k of n right"."""

    parts: ClassVar[tuple[type[Question], ...]] = ()

    def __init__(self) -> None:
        self.part_questions = [part() for part in self.parts]

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(name for part in cls.parts for name in part.names())

    @classmethod
    def labels(cls) -> str:
        return LABELS[: len(cls.parts)]

    def grade(self, values: dict[str, Any]) -> str | None:
        """The first part that is not right, as one message; None when all are.

        `evaluate` reports every part; this keeps `Question.grade`'s one-verdict
        contract for any caller that wants a single message.
        """
        for label, feedback in zip(
            self.labels(), self.evaluate_parts(values), strict=True
        ):
            if feedback.status != "correct":
                return f"({label}) {feedback.title}: {feedback.message}"
        return None

    def evaluate_parts(self, namespace: Mapping[str, Any]) -> list[Feedback]:
        return [part.evaluate(namespace) for part in self.part_questions]

    def evaluate(self, namespace: Mapping[str, Any]) -> Feedback:
        results = self.evaluate_parts(namespace)
        total = len(results)
        right = sum(feedback.status == "correct" for feedback in results)
        details = {"right": right, "parts": total}
        if all(feedback.status == "not_attempted" for feedback in results):
            return Feedback("not_attempted", _lines(self, results, ""), details=details)
        if right == total:
            status, head = "correct", f"All {total} parts right."
        else:
            status = "partial" if right else "incorrect"
            head = f"{right} of {total} right."
        return Feedback(status, _lines(self, results, head), details=details)  # type: ignore[arg-type]


def _lines(question: MultipartQuestion, results: list[Feedback], head: str) -> str:
    """One line per part: its letter, its title, its outcome and message."""
    lines = [head] if head else []
    for label, part, feedback in zip(
        question.labels(), question.part_questions, results, strict=True
    ):
        title = f" {part.title}" if part.title else ""
        lines.append(f"- ({label}){title}: {feedback.title}. {feedback.message}")
    return "\n".join(lines)
