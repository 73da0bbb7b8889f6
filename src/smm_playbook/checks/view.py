"""`q1.check()`, `q1.hint()`, `q1.solution()`: what the learner calls in a notebook."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from smm_playbook.checks.feedback import Feedback
from smm_playbook.checks.multipart import MultipartQuestion
from smm_playbook.checks.placeholder import PLACEHOLDER, PLACEHOLDER_NAME
from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.questions import ChoiceQuestion, Question
from smm_playbook.checks.solutions import shown_solution
from smm_playbook.checks.written import TextQuestion

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
        if isinstance(question, MultipartQuestion):
            for label, part in zip(
                question.labels(), question.part_questions, strict=True
            ):
                setattr(self, label, PartView(self, label, part))

    @property
    def qid(self) -> str:
        return type(self.question).__name__

    def __repr__(self) -> str:
        return f"<q{self.number}: {self.qid} — call .check(), .hint() or .solution()>"

    def check(self, **values: Any) -> Feedback | None:
        """Check the answer in the calling notebook (or the values passed by name)."""
        namespace = values or _caller_namespace()
        feedback = self.evaluate(namespace)
        if feedback.status == "submitted":  # the learner has written an attempt
            feedback = self._with_model_answer(feedback)
        self.record_check(feedback)
        return _show(feedback)

    def record_check(self, feedback: Feedback) -> None:
        """Remember the outcome here and in the progress file (with its details)."""
        self.last_feedback = feedback
        self._record(
            "check",
            status=feedback.status,
            needs_review=feedback.needs_review,
            **(feedback.details or {}),
        )

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
        """Show the worked solution: the code of the marked cell in solutions/."""
        self._record("solution")
        return _show(Feedback("solution", "\n\n" + self.solution_text()))

    def solution_text(self) -> str:
        """The solution notebook's cell for this question, with its explanation."""
        shown = shown_solution(self.exercise, self.number)
        if shown is None:  # a question with no cell in solutions/ keeps its string
            return self.question.solution
        if isinstance(self.question, TextQuestion) and "text" in shown:
            return "A model answer to compare with:\n\n" + _quote(shown["text"])
        parts = [f"```python\n{shown['code']}\n```"]
        why = _choice_explanation(self.question)
        if why:
            parts.append(why)
        if self.question.explanation:
            parts.append(self.question.explanation)
        return "\n\n".join(parts)

    def model_answer(self) -> str:
        """A written question's model answer, from the solution notebook."""
        shown = shown_solution(self.exercise, self.number) or {}
        return shown.get("text", "")

    def _with_model_answer(self, feedback: Feedback) -> Feedback:
        """Submitted work: show the model answer to compare with, now or on call."""
        message = feedback.message.replace(
            "`solution()`", f"`q{self.number}.solution()`"
        )
        model = self.model_answer()
        if model:
            message += f"\n\nA model answer to compare with:\n\n{_quote(model)}"
        return Feedback(
            feedback.status,
            message,
            needs_review=feedback.needs_review,
            details=feedback.details,
        )

    def _record(self, event: str, **info: Any) -> None:
        info.update(
            title=self.question.title, points=self.question.points, number=self.number
        )
        store = ProgressStore.default()
        try:
            store.record(self.exercise, self.qid, event, **info)
        except OSError as error:
            warnings.warn(f"Progress could not be saved ({error}).", stacklevel=3)
        # Under a hub (or on opt-in) the outcome is also queued for the trainer's
        # class view; this only appends a line and never raises.
        from smm_playbook.cohort import outbox

        if event == "check" and self.last_feedback is not None:
            info["message"] = self.last_feedback.message
        outbox.record(store.path.parent, self.exercise, self.qid, event, info)


class PartView:
    """One part of a multi-part question: `q2.a.check()`, `q2.a.hint()`."""

    def __init__(self, parent: QuestionView, label: str, part: Question) -> None:
        self.parent = parent
        self.label = label
        self.question = part
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"<q{self.parent.number}.{self.label}: call .check() or .hint()>"

    def check(self, **values: Any) -> Feedback | None:
        """Check this part; the whole question's score is saved as well."""
        namespace = values or _caller_namespace()
        feedback = self.question.evaluate(namespace)
        self.parent.record_check(self.parent.evaluate(namespace))
        return _show(feedback)

    def hint(self, level: int | None = None) -> Feedback | None:
        hints = self.question.hints or self.parent.question.hints
        if not hints:
            return _show(Feedback("hint", "There is no hint for this part."))
        level = min(level or self._hints_shown + 1, len(hints))
        self._hints_shown = max(self._hints_shown, level)
        label = f"Hint {level} of {len(hints)} for part ({self.label})"
        return _show(Feedback("hint", hints[level - 1], label=label))

    def solution(self) -> Feedback | None:
        return self.parent.solution()


def _choice_explanation(question: Question) -> str:
    if not isinstance(question, ChoiceQuestion):
        return ""
    correct = question._correct()
    return question.why.get(next(iter(correct)), "") if len(correct) == 1 else ""


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


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
