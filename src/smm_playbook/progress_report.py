"""Where a learner stands: the progress file joined with the exercise catalogue."""

from __future__ import annotations

import importlib
from typing import TypedDict

import pandas as pd

from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.reviews import ReviewStore, score_summary
from smm_playbook.checks.view import QuestionView
from smm_playbook.exercises import CATALOGUE

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
    """The question views an exercise module binds, in order."""
    module = importlib.import_module(f"smm_playbook.exercises.{exercise}")
    return [getattr(module, name) for name in module.__all__ if _is_question(name)]


def _is_question(name: str) -> bool:
    return name.startswith("q") and name[1:].isdigit()


def progress_frame(
    exercise: str | None = None,
    store: ProgressStore | None = None,
    reviewed: dict | None = None,
) -> pd.DataFrame:
    """One row per question of the catalogue (or of one exercise), with its status.

    Written work a person has scored shows as "reviewed", with its scores in
    `review` (`reviewed`: {(exercise, question): review}; default: your own).
    """
    record = (store or ProgressStore.default()).load()["exercises"]
    if reviewed is None:
        reviewed = ReviewStore.default().latest()
    rows: list[QuestionProgress] = []
    for name in [exercise] if exercise else CATALOGUE:
        done = record.get(name, {})
        for view in catalogue_views(name):
            entry = done.get(view.qid, {})
            review = reviewed.get((name, view.qid))
            if review:
                entry = dict(entry, status="reviewed", needs_review=False)
            rows.append(
                {
                    "exercise": name,
                    "number": view.number,
                    "question": view.question.title or view.qid,
                    "points": view.question.points,
                    "status": entry.get("status", "not_attempted").replace("_", " "),
                    "checks": entry.get("checks", 0),
                    "hints": entry.get("hints", 0),
                    "solution_viewed": entry.get("solution_viewed", False),
                    "needs_review": entry.get("needs_review", False),
                    "earned": earned(entry, view.question.points),
                    "parts_right": _parts(entry),
                    "review": score_summary(review) if review else "",
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


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


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Points earned out of points available, per exercise; written work waiting
    for review is counted apart (`submitted`), never as earned."""
    grouped = frame.assign(
        submitted=frame["status"] == "submitted",
        reviewed=frame["status"] == "reviewed",
    ).groupby("exercise", sort=False)
    result = grouped.agg(
        earned=("earned", "sum"),
        available=("points", "sum"),
        to_review=("submitted", "sum"),
        reviewed=("reviewed", "sum"),
    ).reset_index()
    result["share"] = result["earned"] / result["available"]
    return result
