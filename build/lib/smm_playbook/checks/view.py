"""`q1.check()`, `q1.hint()`, `q1.solution()`: what the learner calls in a notebook."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from smm_playbook.checks.feedback import Feedback
from smm_playbook.checks.placeholder import PLACEHOLDER, PLACEHOLDER_NAME
from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.questions import Question

# Every view created in this process, so a test harness (or a trainer) can ask
# how each question ended.
_VIEWS: list[QuestionView] = []


class QuestionView:
    """Wraps one question for a notebook: checks, hints, solution, progress."""

    def __init__(self, question: Question, number: int, exercise: str) -> None:
        self.question = question
        self.number = number
        self.exercise = exercise
        self.last_feedback: Feedback | None = None
        self._hints_shown = 0

    @property
    def qid(self) -> str:
        return type(self.question).__name__

    def __repr__(self) -> str:
        return f"<q{self.number}: {self.qid} — call .check(), .hint() or .solution()>"

    def check(self, **values: Any) -> Feedback | None:
        """Check the answer in the calling notebook (or the values passed by name)."""
        namespace = values or _caller_namespace()
        feedback = self.evaluate(namespace)
        self.last_feedback = feedback
        self._record(
            "check", status=feedback.status, needs_review=feedback.needs_review
        )
        return _show(feedback)

    def evaluate(self, namespace: Mapping[str, Any]) -> Feedback:
        """Grade without displaying or recording anything (for tests and graders)."""
        return self.question.evaluate(namespace)

    def hint(self, level: int | None = None) -> Feedback | None:
        """Show the next hint, or hint number `level`."""
        hints = self.question.hints
        if not hints:
            return _show(Feedback("hint", "There is no hint for this question."))
        level = min(level or self._hints_shown + 1, len(hints))
        self._hints_shown = max(self._hints_shown, level)
        more = f" (Call `q{self.number}.hint()` again for hint {level + 1}.)"
        tail = more if level < len(hints) else ""
        self._record("hint", level=level)
        label = f"Hint {level} of {len(hints)}"
        return _show(Feedback("hint", hints[level - 1] + tail, label=label))

    def solution(self) -> Feedback | None:
        """Show the worked solution."""
        self._record("solution")
        return _show(Feedback("solution", "\n\n" + self.question.solution))

    def _record(self, event: str, **info: Any) -> None:
        info.update(
            title=self.question.title, points=self.question.points, number=self.number
        )
        try:
            ProgressStore.default().record(self.exercise, self.qid, event, **info)
        except OSError as error:
            warnings.warn(f"Progress could not be saved ({error}).", stacklevel=3)


def bind_exercises(
    namespace: MutableMapping[str, Any],
    questions: Sequence[type[Question]],
    exercise: str,
) -> list[str]:
    """Create q1, q2, … in `namespace`; return the names to export (with `____`)."""
    names = [PLACEHOLDER_NAME]
    namespace[PLACEHOLDER_NAME] = PLACEHOLDER
    for number, question_class in enumerate(questions, start=1):
        view = QuestionView(question_class(), number, exercise)
        namespace[f"q{number}"] = view
        _VIEWS.append(view)
        names.append(f"q{number}")
    return names


def session_outcomes() -> dict[str, dict[str, str]]:
    """{exercise: {"q1": status or "unchecked"}} for every question bound so far."""
    outcomes: dict[str, dict[str, str]] = {}
    for view in _VIEWS:
        status = view.last_feedback.status if view.last_feedback else "unchecked"
        outcomes.setdefault(view.exercise, {})[f"q{view.number}"] = status
    return outcomes


def _caller_namespace() -> Mapping[str, Any]:
    """The globals of the notebook cell (or script) that called `check()`."""
    frame = sys._getframe(2)
    return frame.f_globals


def _show(feedback: Feedback) -> Feedback | None:
    """In Jupyter, display the feedback; elsewhere, return it."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return feedback
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return feedback
    display(feedback)
    return None
