"""From gradebook rows to results: one result per learner, and the CSV export.

A learner may have handed in more than one different file for the same exam
version (a corrected copy, a retake). Every file is graded and kept; the
learner's result is their best-scoring graded submission, and `submissions`
counts them so a trainer can see who handed in more than once.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from smm_playbook.grading.gradebook import Gradebook

EXPORT_COLUMNS = [
    "learner_id",
    "name",
    "exam_id",
    "exam_version",
    "attempt",
    "status",
    "score",
    "max_score",
    "percent",
    "passed",
    "submissions",
    "graded_at",
    "run_ended",
    "message",
    "file",
    "sha256",
]


def submissions_frame(gradebook: Gradebook, exam_id: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(gradebook.submissions(exam_id))
    if frame.empty:
        return pd.DataFrame(columns=[*EXPORT_COLUMNS, "id"])
    frame["percent"] = (100 * frame["score"] / frame["max_score"]).round(1)
    frame["passed"] = frame["passed"].astype(bool)
    return frame


def best_results(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per learner and exam version: the best graded submission."""
    if frame.empty:
        return frame.assign(submissions=pd.Series(dtype=int))
    keys = ["learner_id", "exam_id", "exam_version"]
    counts = frame.groupby(keys)["id"].transform("size")
    ranked = frame.assign(
        submissions=counts, _graded=(frame["status"] == "graded").astype(int)
    ).sort_values(
        ["_graded", "score", "graded_at", "id"], ascending=[False, False, True, True]
    )
    best = ranked.drop_duplicates(keys).drop(columns="_graded")
    return best.sort_values(keys).reset_index(drop=True)


def export_csv(gradebook: Gradebook, out: Path, every_submission: bool = False) -> int:
    """Write results (or every submission) as CSV; returns the number of rows."""
    frame = submissions_frame(gradebook)
    if every_submission:
        keys = ["learner_id", "exam_id", "exam_version"]
        rows = frame.assign(
            submissions=frame.groupby(keys)["id"].transform("size")
            if not frame.empty
            else []
        )
    else:
        rows = best_results(frame)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows.reindex(columns=EXPORT_COLUMNS).to_csv(
        out, index=False, quoting=csv.QUOTE_MINIMAL
    )
    return len(rows)
