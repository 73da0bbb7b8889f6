"""Where a learner stands: the progress file joined with the exercise catalogue.

`progress_rows` and `summary_rows` are plain Python, read from the shipped
catalogue index: `smm-playbook progress` uses them and starts fast, importing
neither pandas nor any exercise module. `progress_frame` and `summary` give the
same as pandas DataFrames, for notebooks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.reviews import ReviewStore, score_summary
from smm_playbook.exercises import CATALOGUE, catalogue_index, question_views

if TYPE_CHECKING:
    import pandas as pd

    from smm_playbook.checks.view import QuestionView

COLUMNS = [
    "exercise",
    "number",
    "question",
    "points",
    "status",
    "checks",
    "hints",
    "solution_viewed",
    "needs_review",
    "earned",
    "parts_right",
    "review",
]
SUMMARY_COLUMNS = ["exercise", "earned", "available", "to_review", "reviewed", "share"]
# The column types of `summary`, kept when it has no row.
_SUMMARY_TYPES = {
    "earned": "float64",
    "available": "int64",
    "to_review": "int64",
    "reviewed": "int64",
    "share": "float64",
}


class UnknownExercise(ValueError):
    """No exercise of the catalogue has that name."""


class QuestionProgress(TypedDict):
    """A row of `progress_frame`."""

    exercise: str
    number: int
    question: str
    points: int
    status: str  # "not attempted", "correct", "partial", "submitted", …
    checks: int
    hints: int
    solution_viewed: bool
    needs_review: bool
    earned: float
    parts_right: str  # "2 of 3", or "" when the question has no parts
    review: str  # the reviewer's scores, or ""


class ExerciseTotal(TypedDict):
    """A row of `summary`."""

    exercise: str
    earned: float
    available: int
    to_review: int
    reviewed: int
    share: float


def catalogue_views(exercise: str) -> list[QuestionView]:
    """The question views an exercise module binds, in order (imports the module)."""
    return question_views(exercise)


def progress_rows(
    exercise: str | None = None,
    store: ProgressStore | None = None,
    reviewed: dict | None = None,
) -> list[QuestionProgress]:
    """One row (a dict with the keys in COLUMNS) per question of the catalogue,
    or of one exercise, with its status.

    Written work a person has scored shows as "reviewed", with its scores in
    `review` (`reviewed`: {(exercise, question): review}; default: your own).
    """
    index = catalogue_index()
    if exercise is not None and exercise not in index:
        raise UnknownExercise(
            f"There is no exercise called {exercise!r}. "
            f"The exercises are: {', '.join(CATALOGUE)}."
        )
    record = (store or ProgressStore.default()).load()["exercises"]
    if reviewed is None:
        reviewed = ReviewStore.default().latest()
    rows: list[QuestionProgress] = []
    for name in [exercise] if exercise else CATALOGUE:
        done = record.get(name, {})
        for question in index[name]:
            qid, points = question["qid"], question["points"]
            entry = done.get(qid, {})
            review = reviewed.get((name, qid))
            if review:
                entry = dict(entry, status="reviewed", needs_review=False)
            rows.append(
                {
                    "exercise": name,
                    "number": question["number"],
                    "question": question["title"] or qid,
                    "points": points,
                    "status": entry.get("status", "not_attempted").replace("_", " "),
                    "checks": entry.get("checks", 0),
                    "hints": entry.get("hints", 0),
                    "solution_viewed": entry.get("solution_viewed", False),
                    "needs_review": entry.get("needs_review", False),
                    "earned": earned(entry, points),
                    "parts_right": _parts(entry),
                    "review": score_summary(review) if review else "",
                }
            )
    return rows


def progress_frame(
    exercise: str | None = None,
    store: ProgressStore | None = None,
    reviewed: dict | None = None,
) -> pd.DataFrame:
    """One row per question of the catalogue (or of one exercise), with its status.

    Written work a person has scored shows as "reviewed", with its scores in
    `review` (`reviewed`: {(exercise, question): review}; default: your own).
    """
    import pandas as pd

    return pd.DataFrame(progress_rows(exercise, store, reviewed), columns=COLUMNS)


def _parts(entry: dict) -> str:
    """ "3 of 4" for a multi-part question that has been checked, else ""."""
    return f"{entry['right']} of {entry['parts']}" if entry.get("parts") else ""


def earned(entry: dict, points: int) -> float:
    """Points earned: all for a correct answer, the share of parts right for a
    multi-part question, the reviewer's score for reviewed work, and nothing for
    work that is only submitted (a machine never marks writing right)."""
    status = entry.get("status")
    if status == "correct":
        return float(points)
    if status == "partial" and entry.get("parts"):
        return points * entry["right"] / entry["parts"]
    if status == "reviewed":
        return points * float((entry.get("review") or {}).get("score", 0))
    return 0.0


def summary_rows(rows: Sequence[Mapping[str, Any]]) -> list[ExerciseTotal]:
    """Points earned out of points available, per exercise in order of first
    appearance (a dict with the keys in SUMMARY_COLUMNS each); written work
    waiting for review is counted apart (`to_review`), never as earned."""
    totals: dict[str, ExerciseTotal] = {}
    for row in rows:
        total = totals.setdefault(
            row["exercise"],
            {
                "exercise": row["exercise"],
                "earned": 0.0,
                "available": 0,
                "to_review": 0,
                "reviewed": 0,
                "share": 0.0,
            },
        )
        total["earned"] += row["earned"]
        total["available"] += row["points"]
        total["to_review"] += row["status"] == "submitted"
        total["reviewed"] += row["status"] == "reviewed"
    for total in totals.values():
        available = total["available"]
        total["share"] = total["earned"] / available if available else 0.0
    return list(totals.values())


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Points earned out of points available, per exercise; written work waiting
    for review is counted apart (`submitted`), never as earned."""
    import pandas as pd

    columns = ["exercise", "points", "status", "earned"]
    rows = cast("list[dict[str, Any]]", frame[columns].to_dict("records"))
    totals = pd.DataFrame(summary_rows(rows), columns=SUMMARY_COLUMNS)
    return totals.astype(_SUMMARY_TYPES)
