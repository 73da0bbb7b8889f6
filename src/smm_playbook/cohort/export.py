"""Results an LMS imports: xAPI 1.0.3 statements, and Moodle and Canvas gradebook CSVs.

xAPI (Experience API 1.0.3, ADL): one statement per check outcome (verb
"answered", with result.success), and per graded exam submission in the
gradebook (verb "passed" or "failed", with the score) plus, for a passed exam,
"completed" on the course — the event the course's certificate is issued for.
Verbs are ADL's (http://adlnet.gov/expapi/verbs/...). Learners are identified by
an account on the hub (`homePage` = the hub's URL, `name` = the hub user name);
activities by URNs under `urn:smm-playbook:` unless a base IRI is given. Each
statement's id is derived from the event's own id, so exporting twice, or
sending twice to an LRS, gives the same statement (an LRS ignores a repeat).

Gradebook CSVs: one row per learner, one column per exercise (points earned,
the course's own rules). Moodle's CSV import maps an identifying column to a
user field and each other column to a grade item, chosen in its preview
(MoodleDocs, "Grade import"); Canvas's Gradebook import reads the columns of
its own export: Student, ID, SIS User ID, SIS Login ID, Section, then one
column per assignment (Canvas Instructor Guide, "How do I import grades in the
Gradebook?"). README, "Hosting a cohort", lists the columns.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Sequence
from importlib import resources
from typing import Any

from smm_playbook.cohort.report import Cohort, QuestionInfo

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    name: {"id": ADL + name, "display": {"en-GB": name}}
    for name in ("answered", "passed", "failed", "completed")
}
ACTIVITY_TYPES = {
    "question": "http://adlnet.gov/expapi/activities/question",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "course": "http://adlnet.gov/expapi/activities/course",
}
# UUIDv5 namespace for statement ids made from event ids (fixed, so repeatable).
_NAMESPACE = uuid.UUID("6f1c3f7e-3b0e-5a55-9d7f-2f8b9b1c0a11")
FORMATS = ("xapi", "moodle", "canvas")
MOODLE_ID_COLUMNS = ("ID number", "Email address", "Group")
CANVAS_ID_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def statement_schema() -> dict[str, Any]:
    """The xAPI 1.0.3 statement schema shipped with the course (JSON Schema)."""
    path = resources.files("smm_playbook.cohort") / "schemas"
    return json.loads((path / "xapi-statement-1.0.3.schema.json").read_text("utf-8"))


def _iri(base: str, *parts: str) -> str:
    return base + ":".join(parts) if base.startswith("urn:") else base + "/".join(parts)


class XapiBuilder:
    """Makes statements for one hub (its URL names the learners' accounts)."""

    def __init__(self, home_page: str, base: str = "urn:smm-playbook:") -> None:
        self.home_page = home_page.rstrip("/") + "/"
        self.base = base

    def actor(self, learner: str) -> dict[str, Any]:
        return {
            "objectType": "Agent",
            "name": learner,
            "account": {"homePage": self.home_page, "name": learner},
        }

    def _activity(self, kind: str, name: str, *path: str) -> dict[str, Any]:
        return {
            "objectType": "Activity",
            "id": _iri(self.base, *path),
            "definition": {"name": {"en-GB": name}, "type": ACTIVITY_TYPES[kind]},
        }

    def check(self, event: dict[str, Any], question: QuestionInfo | None) -> dict:
        """`answered` for one check outcome (correct = success)."""
        title = question.title if question else event.get("title") or event["question"]
        result: dict[str, Any] = {"success": event["status"] == "correct"}
        points = question.points if question else event.get("points") or 0
        if event["status"] == "partial" and event.get("parts"):
            raw = points * (event.get("right_parts") or 0) / event["parts"]
            result["score"] = _score(raw, points)
        elif points:
            result["score"] = _score(points if result["success"] else 0, points)
        result["extensions"] = {_iri(self.base, "outcome"): event["status"]}
        return {
            "id": str(uuid.uuid5(_NAMESPACE, event["event_id"])),
            "actor": self.actor(event["learner"]),
            "verb": VERBS["answered"],
            "object": self._activity(
                "question", title, "exercise", event["exercise"], event["question"]
            ),
            "result": result,
            "context": {
                "contextActivities": {
                    "parent": [
                        self._activity(
                            "assessment",
                            event["exercise"],
                            "exercise",
                            event["exercise"],
                        )
                    ],
                    "grouping": [self._activity("course", *_COURSE)],
                },
                "platform": "Social Media Manager Playbook",
                "language": "en-GB",
            },
            "timestamp": _timestamp(event["at"]),
            "version": "1.0.3",
        }

    def exam(self, submission: dict[str, Any]) -> list[dict[str, Any]]:
        """`passed`/`failed` for a graded exam, and `completed` the course if passed."""
        key = "|".join(
            str(submission[k]) for k in ("learner_id", "exam_id", "exam_version")
        )
        key += "|" + submission["sha256"]
        verb = "passed" if submission["passed"] else "failed"
        exam = self._activity(
            "assessment", f"Exam {submission['exam_id']}", "exam", submission["exam_id"]
        )
        base = {
            "actor": self.actor(submission["learner_id"]),
            "timestamp": _timestamp(submission["graded_at"]),
            "version": "1.0.3",
            "context": {
                "contextActivities": {"grouping": [self._activity("course", *_COURSE)]}
            },
        }
        statements = [
            dict(
                base,
                id=str(uuid.uuid5(_NAMESPACE, key)),
                verb=VERBS[verb],
                object=exam,
                result={
                    "success": bool(submission["passed"]),
                    "completion": True,
                    "score": _score(submission["score"], submission["max_score"]),
                },
            )
        ]
        if submission["passed"]:
            statements.append(
                dict(
                    base,
                    id=str(uuid.uuid5(_NAMESPACE, key + "|completed")),
                    verb=VERBS["completed"],
                    object=self._activity("course", *_COURSE),
                    result={"success": True, "completion": True},
                    context={"contextActivities": {"other": [exam]}},
                )
            )
        return statements


_COURSE = ("Social Media Manager Playbook", "course")


def _score(raw: float, maximum: float) -> dict[str, float]:
    raw = max(0.0, min(float(raw), float(maximum)))
    scaled = raw / maximum if maximum else 0.0
    return {"scaled": round(scaled, 4), "raw": raw, "min": 0.0, "max": float(maximum)}


def _timestamp(text: str) -> str:
    """ISO 8601 with a zone, as xAPI requires (the course stores UTC)."""
    if text.endswith("+00:00"):
        return text[: -len("+00:00")] + "Z"
    return text if text.endswith("Z") else text + "Z"


def xapi_statements(
    events: list[dict[str, Any]],
    cohort: Cohort,
    builder: XapiBuilder,
    submissions: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Every check outcome, and every graded exam, as xAPI statements."""
    known = {(q.exercise, q.qid): q for q in cohort.questions}
    statements = [
        builder.check(e, known.get((e["exercise"], e["question"])))
        for e in events
        if e["event"] == "check" and e["status"] in _ANSWERED
    ]
    for submission in submissions:
        statements.extend(builder.exam(submission))
    return statements


# Outcomes that are an answer; "not_attempted" (the blank left in) is not.
_ANSWERED = ("correct", "incorrect", "partial", "submitted", "error")


def exercise_points(cohort: Cohort) -> dict[str, dict[str, float]]:
    """Points earned per learner and exercise, and the points each exercise has."""
    table: dict[str, dict[str, float]] = {}
    for learner in sorted(cohort.learners):
        row = table.setdefault(learner, {})
        for q in cohort.questions:
            row[q.exercise] = row.get(q.exercise, 0.0) + cohort.state(
                learner, q
            ).earned(q.points)
    return table


def exercise_columns(cohort: Cohort) -> dict[str, int]:
    """Each exercise's column heading and its points available."""
    available: dict[str, int] = {}
    for q in cohort.questions:
        available[q.exercise] = available.get(q.exercise, 0) + q.points
    return available


def moodle_csv(cohort: Cohort, emails: dict[str, str] | None = None) -> str:
    """Moodle's CSV grade import: map "ID number" to the user's ID number field."""
    emails = emails or {}
    points = exercise_points(cohort)
    exercises = list(exercise_columns(cohort))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*MOODLE_ID_COLUMNS, *exercises])
    for learner, row in points.items():
        group = cohort.learners[learner]["group"]
        writer.writerow(
            [learner, emails.get(learner, ""), group]
            + [_number(row[e]) for e in exercises]
        )
    return out.getvalue()


def canvas_csv(cohort: Cohort, names: dict[str, str] | None = None) -> str:
    """Canvas's Gradebook import: the export's identifying columns, then exercises.

    Canvas matches a row by its SIS Login ID (here the hub user name); `Section`
    carries the learner's group. An assignment column Canvas does not know yet
    becomes a new assignment, named as its column.
    """
    names = names or {}
    points = exercise_points(cohort)
    available = exercise_columns(cohort)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CANVAS_ID_COLUMNS, *available])
    for learner, row in points.items():
        writer.writerow(
            [names.get(learner, learner), "", learner, learner]
            + [cohort.learners[learner]["group"]]
            + [_number(row[e]) for e in available]
        )
    return out.getvalue()


def _number(value: float) -> str:
    return f"{value:g}"
