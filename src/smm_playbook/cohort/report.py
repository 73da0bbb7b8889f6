"""Where a class stands: the cohort store's events joined with the exercise catalogue.

`cohort_state` folds the events into one state per (learner, question), with the
progress file's rules: a correct answer, submitted or reviewed work is kept
whatever comes after; a multi-part question keeps its best score. The HTML
dashboard (`write_report`, in report_html.py) is built from that state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from smm_playbook.exercises import CATALOGUE
from smm_playbook.progress_report import catalogue_views

_KEPT = ("correct", "submitted", "reviewed")
# A learner is stuck on a question after this many checks without getting it
# right, or after opening the solution without getting it right.
STUCK_AFTER = 3


@dataclass(frozen=True)
class QuestionInfo:
    exercise: str
    number: int
    qid: str
    title: str
    points: int
    misconceptions: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.exercise} q{self.number}"


@dataclass
class QuestionState:
    """One learner's history on one question, folded from the events."""

    status: str = "not_attempted"
    checks: int = 0
    wrong: int = 0
    hints: int = 0
    solution: bool = False
    right_parts: int = 0
    parts: int = 0
    last_at: str = ""
    answer: str = ""
    misconceptions: Counter = field(default_factory=Counter)

    def earned(self, points: int) -> float:
        if self.status == "correct":
            return float(points)
        if self.status == "partial" and self.parts:
            return points * self.right_parts / self.parts
        return 0.0

    @property
    def stuck(self) -> bool:
        if self.status in _KEPT:
            return False
        return self.wrong >= STUCK_AFTER or (self.solution and self.checks > 0)


def question_catalogue(exercises: tuple[str, ...] = CATALOGUE) -> list[QuestionInfo]:
    """Every graded question in course order, with its known misconceptions."""
    questions = []
    for exercise in exercises:
        for view in catalogue_views(exercise):
            question = view.question
            questions.append(
                QuestionInfo(
                    exercise,
                    view.number,
                    view.qid,
                    question.title or view.qid,
                    question.points,
                    _misconception_messages(question),
                )
            )
    return questions


def _misconception_messages(question: Any) -> tuple[str, ...]:
    messages = []
    for item in getattr(question, "misconceptions", ()):
        message = getattr(item, "message", None)
        if message is None and isinstance(item, tuple) and len(item) == 2:
            message = item[1]
        if isinstance(message, str):
            messages.append(message)
    return tuple(messages)


@dataclass
class Cohort:
    """The folded state of a class: learners, their groups, every question state."""

    questions: list[QuestionInfo]
    learners: dict[str, dict[str, str]]  # name → {"group", "intake", "last_at"}
    states: dict[tuple[str, str, str], QuestionState]  # (learner, exercise, qid)

    def state(self, learner: str, question: QuestionInfo) -> QuestionState:
        return self.states.get(
            (learner, question.exercise, question.qid), QuestionState()
        )


def cohort_state(events: list[dict[str, Any]], questions: list[QuestionInfo]) -> Cohort:
    """Fold events (in the order received) into one state per learner and question."""
    known = {(q.exercise, q.qid): q for q in questions}
    learners: dict[str, dict[str, str]] = {}
    states: dict[tuple[str, str, str], QuestionState] = {}
    for event in sorted(events, key=lambda e: e["at"]):
        person = learners.setdefault(
            event["learner"], {"group": "", "intake": "", "last_at": ""}
        )
        person["group"] = event.get("cohort_group") or person["group"]
        person["intake"] = event.get("intake") or person["intake"]
        person["last_at"] = max(person["last_at"], event["at"])
        key = (event["learner"], event["exercise"], event["question"])
        state = states.setdefault(key, QuestionState())
        _apply(state, event, known.get(key[1:]))
    return Cohort(questions, learners, states)


def _apply(state: QuestionState, event: dict, question: QuestionInfo | None) -> None:
    state.last_at = event["at"]
    kind, status = event["event"], event.get("status") or ""
    if kind == "hint":
        state.hints += 1
        return
    if kind == "solution":
        state.solution = True
        return
    if kind != "check":
        return
    state.checks += 1
    if status in ("incorrect", "error"):
        state.wrong += 1
        message = event.get("message") or ""
        for known in question.misconceptions if question else ():
            if known in message:
                state.misconceptions[known] += 1
    if status == "submitted":
        state.status, state.answer = "submitted", event.get("answer") or ""
    elif status == "correct":
        state.status = "correct"
        if event.get("parts"):
            state.right_parts, state.parts = event["parts"], event["parts"]
    elif status == "partial":
        right = event.get("right_parts") or 0
        if state.status not in _KEPT and right >= state.right_parts:
            state.status, state.right_parts = "partial", right
            state.parts = event.get("parts") or 0
    elif state.status not in (*_KEPT, "partial"):
        state.status = status or state.status


def learner_rows(cohort: Cohort) -> list[dict[str, Any]]:
    """Per learner: points earned of those available, correct, stuck, last seen."""
    available = sum(q.points for q in cohort.questions)
    rows = []
    for name, person in sorted(cohort.learners.items()):
        states = [(q, cohort.state(name, q)) for q in cohort.questions]
        rows.append(
            {
                "learner": name,
                "group": person["group"],
                "intake": person["intake"],
                "earned": sum(s.earned(q.points) for q, s in states),
                "available": available,
                "correct": sum(s.status == "correct" for _, s in states),
                "attempted": sum(s.checks > 0 for _, s in states),
                "to_review": sum(s.status == "submitted" for _, s in states),
                "stuck": [q.label for q, s in states if s.stuck],
                "last_at": person["last_at"],
            }
        )
    return rows


def question_rows(cohort: Cohort) -> list[dict[str, Any]]:
    """Per question: how many learners tried it, got it, are stuck on it."""
    rows = []
    for question in cohort.questions:
        states = [cohort.state(name, question) for name in cohort.learners]
        tried = [s for s in states if s.checks]
        rows.append(
            {
                "question": question,
                "attempted": len(tried),
                "correct": sum(s.status == "correct" for s in states),
                "stuck": sum(s.stuck for s in states),
                "checks_per_learner": (
                    sum(s.checks for s in tried) / len(tried) if tried else 0.0
                ),
            }
        )
    return rows


def misconception_rows(cohort: Cohort, limit: int = 15) -> list[dict[str, Any]]:
    """The known misconceptions most often hit: by how many learners, how often."""
    learners: Counter = Counter()
    hits: Counter = Counter()
    labels = {(q.exercise, q.qid): q for q in cohort.questions}
    for (_, exercise, qid), state in cohort.states.items():
        for message, count in state.misconceptions.items():
            learners[(exercise, qid, message)] += 1
            hits[(exercise, qid, message)] += count
    ranked = sorted(learners, key=lambda k: (-learners[k], -hits[k], k))[:limit]
    return [
        {
            "question": labels[(exercise, qid)],
            "message": message,
            "learners": learners[(exercise, qid, message)],
            "hits": hits[(exercise, qid, message)],
        }
        for exercise, qid, message in ranked
        if (exercise, qid) in labels
    ]
