"""Trainers marking written exam answers: blind, double where the exam says so.

A written answer reaches the gradebook as "awaiting_review" and its submission
as "awaiting_marks", with no result. Each marker scores every rubric criterion;
the gradebook keeps who marked, each criterion's score, the time spent and
when. An answer is complete when it has the exam's number of marks (one or
two) and, with two, when they are no further apart than the exam's
disagreement threshold; otherwise it waits for a third marker, and the final
mark is the mean of the two closest marks. When every written answer of a
submission is complete, its points are added, the pass is decided and the
submission becomes "graded": only then do results and certificates include it.

Markers never see a name or a learner id: a script is known by a code derived
from the file's hash, and the queue is in the order of those codes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from smm_playbook.grading.exam import find_exam, paper_for
from smm_playbook.grading.gradebook import (
    Gradebook,
    answers,
    submissions,
    written_marks,
)
from smm_playbook.grading.items.framework import Part, Section

if TYPE_CHECKING:
    from smm_playbook.grading.secret import Keys


class MarkingError(ValueError):
    """A mark that cannot be recorded; the message says why."""


@dataclass(frozen=True)
class Mark:
    marker: str
    scores: dict[str, int]
    total: float
    seconds: float
    marked_at: str
    comment: str = ""


@dataclass(frozen=True)
class Script:
    """One written answer to mark, as a marker sees it (no name, no id)."""

    code: str
    submission_id: int
    exam_id: str
    exam_version: str
    part: str
    text: str
    marks: tuple[Mark, ...]
    section: Section | None = None  # the scenario and rubric, rebuilt with the secret

    @property
    def written(self) -> Part | None:
        if self.section is None:
            return None
        return next(p for p in self.section.parts if p.var == self.part)


def script_code(sha256: str, part: str) -> str:
    return hashlib.sha256(f"{sha256}:{part}".encode()).hexdigest()[:10]


def answer_text(given: str) -> str:
    """The text the candidate handed in (the gradebook keeps it as JSON)."""
    try:
        value = json.loads(given) if given else ""
    except ValueError:
        return given
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _marks(connection, submission_id: int, part: str) -> tuple[Mark, ...]:
    query = (
        sa.select(written_marks)
        .where(
            written_marks.c.submission_id == submission_id,
            written_marks.c.part == part,
        )
        .order_by(written_marks.c.id)
    )
    found = []
    for row in connection.execute(query):
        data = json.loads(row.scores)
        found.append(
            Mark(
                row.marker,
                data["criteria"],
                row.total,
                row.seconds,
                row.marked_at,
                data.get("comment", ""),
            )
        )
    return tuple(found)


def outstanding(marks: tuple[Mark, ...], needed: int, threshold: float) -> int:
    """How many more marks an answer needs (0: complete)."""
    if len(marks) < needed:
        return needed - len(marks)
    if needed >= 2 and len(marks) == 2:
        if abs(marks[0].total - marks[1].total) > threshold:
            return 1
    return 0


def final_mark(marks: tuple[Mark, ...]) -> float:
    """One mark as it is; otherwise the mean of the two closest marks."""
    if len(marks) == 1:
        return marks[0].total
    a, b = min(
        combinations(marks, 2), key=lambda pair: abs(pair[0].total - pair[1].total)
    )
    return (a.total + b.total) / 2


def queue(
    gradebook: Gradebook, marker: str, key: bytes | Keys | None = None
) -> list[Script]:
    """The written answers that still need a mark and that `marker` has not marked.

    With the trainer's `key`, each script carries its scenario and rubric.
    """
    query = (
        sa.select(
            submissions.c.id,
            submissions.c.sha256,
            submissions.c.exam_id,
            submissions.c.exam_version,
            submissions.c.learner_id,
            submissions.c.attempt,
            submissions.c.form,
            answers.c.part,
            answers.c.given,
        )
        .join(answers, answers.c.submission_id == submissions.c.id)
        .where(
            submissions.c.status == "awaiting_marks",
            answers.c.outcome == "awaiting_review",
        )
    )
    scripts = []
    with gradebook.engine.connect() as connection:
        rows = list(connection.execute(query))
        for row in rows:
            exam = find_exam(row.exam_id, row.exam_version)
            marks = _marks(connection, row.id, row.part)
            if any(m.marker == marker for m in marks):
                continue
            if not outstanding(marks, exam.markers, exam.disagreement_points):
                continue
            section = None
            if key is not None:
                paper = paper_for(exam, key, row.learner_id, row.attempt, form=row.form)
                section = next(
                    s for s in paper.sections if any(p.var == row.part for p in s.parts)
                )
            scripts.append(
                Script(
                    script_code(row.sha256, row.part),
                    row.id,
                    row.exam_id,
                    row.exam_version,
                    row.part,
                    answer_text(row.given),
                    marks,
                    section,
                )
            )
    return sorted(scripts, key=lambda s: s.code)


def check_scores(part: Part, scores: dict[str, int]) -> dict[str, int]:
    """Every criterion scored once, within its range; a clear error otherwise."""
    rubric = part.rubric
    if rubric is None:
        raise MarkingError(f"{part.var} is not a written answer.")
    names = [c.name for c in rubric.criteria]
    unknown = sorted(set(scores) - set(names))
    missing = [n for n in names if n not in scores]
    if unknown or missing:
        raise MarkingError(
            f"Score every criterion of {rubric.rubric_id} once: missing "
            f"{', '.join(missing) or 'none'}; unknown {', '.join(unknown) or 'none'}."
        )
    checked = {}
    for criterion in rubric.criteria:
        value = scores[criterion.name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise MarkingError(f"{criterion.name}: a whole number, not {value!r}.")
        if not 0 <= value <= criterion.top:
            raise MarkingError(f"{criterion.name}: between 0 and {criterion.top}.")
        checked[criterion.name] = value
    return checked


def record_mark(
    gradebook: Gradebook,
    script: Script,
    marker: str,
    scores: dict[str, int],
    *,
    seconds: float = 0.0,
    comment: str = "",
) -> bool:
    """Store one marker's scores; finish the submission if this completes it.

    Returns True when the submission's result is now final.
    """
    marker = marker.strip()
    if not marker:
        raise MarkingError("Say who is marking (--marker).")
    part = script.written
    if part is None:
        raise MarkingError("The script has no rubric: build the queue with the secret.")
    checked = check_scores(part, scores)
    exam = find_exam(script.exam_id, script.exam_version)
    row = {
        "submission_id": script.submission_id,
        "part": script.part,
        "marker": marker[:200],
        "scores": json.dumps({"criteria": checked, "comment": comment[:2000]}),
        "total": float(sum(checked.values())),
        "seconds": round(max(0.0, seconds), 1),
        "marked_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with gradebook.engine.begin() as connection:
        already = _marks(connection, script.submission_id, script.part)
        if any(m.marker == row["marker"] for m in already):
            raise MarkingError(f"{marker} has already marked script {script.code}.")
        if not outstanding(already, exam.markers, exam.disagreement_points):
            raise MarkingError(f"Script {script.code} needs no more marks.")
        connection.execute(written_marks.insert().values(row))
        return _finish_if_complete(connection, script.submission_id, exam)


def _finish_if_complete(connection, submission_id: int, exam) -> bool:
    parts = list(
        connection.execute(
            sa.select(answers).where(
                answers.c.submission_id == submission_id,
                answers.c.outcome == "awaiting_review",
            )
        )
    )
    finals = {}
    for part in parts:
        marks = _marks(connection, submission_id, part.part)
        if outstanding(marks, exam.markers, exam.disagreement_points):
            return False
        finals[part.part] = (final_mark(marks), len(marks))
    for part in parts:
        points, count = finals[part.part]
        connection.execute(
            answers.update()
            .where(
                answers.c.submission_id == submission_id,
                answers.c.part == part.part,
            )
            .values(
                points=points,
                outcome="marked",
                feedback=(
                    f"Marked by {count} trainer(s) against the rubric: "
                    f"{points:g} of {part.max_points:g} points."
                ),
            )
        )
    total = connection.execute(
        sa.select(sa.func.sum(answers.c.points)).where(
            answers.c.submission_id == submission_id
        )
    ).scalar_one()
    submission = connection.execute(
        sa.select(submissions.c.max_score).where(submissions.c.id == submission_id)
    ).one()
    percent = 100 * float(total) / submission.max_score
    connection.execute(
        submissions.update()
        .where(submissions.c.id == submission_id)
        .values(
            score=float(total),
            passed=percent >= exam.pass_percent,
            status="graded",
            graded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    return True


SHEET_COLUMNS = ("script", "part", "criterion", "max", "score", "comment")


def write_sheet(scripts: list[Script], path: str | Path) -> int:
    """A CSV to mark in a spreadsheet: one row per script and criterion."""
    import csv

    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SHEET_COLUMNS)
        for script in scripts:
            part = script.written
            rubric = part.rubric if part is not None else None
            if rubric is None:
                raise ValueError(
                    f"Script {script.code} has no rubric: list the scripts with "
                    "the exam secret to write a marking sheet."
                )
            for criterion in rubric.criteria:
                writer.writerow(
                    [script.code, script.part, criterion.name, criterion.top, "", ""]
                )
                rows += 1
    return rows


def read_sheet(
    path: str | Path, scripts: list[Script]
) -> list[tuple[Script, dict[str, float], str]]:
    """The scores of a filled-in sheet, checked against the scripts it names."""
    import csv

    by_code = {s.code: s for s in scripts}
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise MarkingError(f"Cannot read the sheet {path}: {error}") from None
    if not rows or not set(SHEET_COLUMNS[:5]) <= set(rows[0]):
        raise MarkingError(f"{path} needs the columns {', '.join(SHEET_COLUMNS)}.")
    found: dict[str, dict] = {}
    comments: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        code = (row["script"] or "").strip()
        if code not in by_code:
            raise MarkingError(
                f"{path}, line {line}: script {code[:20]!r} is not waiting for "
                "your mark (marked already, or not in this gradebook)."
            )
        text = (row["score"] or "").strip()
        if not text:
            continue  # not marked yet: the script stays in the queue
        try:
            score = int(text)
        except ValueError:
            raise MarkingError(
                f"{path}, line {line}: the score should be a whole number, "
                f"not {text[:20]!r}."
            ) from None
        found.setdefault(code, {})[(row["criterion"] or "").strip()] = score
        if (row.get("comment") or "").strip():
            comments[code] = row["comment"].strip()
    return [(by_code[c], scores, comments.get(c, "")) for c, scores in found.items()]
