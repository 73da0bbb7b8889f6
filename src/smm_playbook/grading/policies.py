"""Exam policies the software enforces: issue times, time limits, retakes.

`exam build` records when each paper was issued and how long it allows (the
exam's minutes plus a learner's extra time from the roster's
`extra_minutes` column, for accommodations). It refuses a retake that comes
inside the waiting period after the previous attempt, or past the attempt
limit, unless an administrator overrides it with a reason; the override is
kept with the issue record. `exam grade` compares each hand-in's time with the
issue time and flags what came in after the time allowed plus the grace period.

Rebuilding an attempt that was already issued writes the same paper again and
keeps the first issue time, so a learner's clock is never reset by a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from smm_playbook.grading.exam import ExamDefinition, Paper

MAX_EXTRA_MINUTES = 600


class PolicyRefusal(ValueError):
    """A paper the exam's rules do not allow; the message says why and what to do."""


@dataclass(frozen=True)
class Override:
    reason: str
    by: str


@dataclass(frozen=True)
class Issue:
    learner_id: str
    exam_id: str
    exam_version: str
    attempt: int
    paper_code: str
    templates: str
    issued_at: str
    minutes_allowed: int
    extra_minutes: int
    override_reason: str = ""
    override_by: str = ""
    form: int | None = None  # the coded form's number; None for a drawn form

    @property
    def issued(self) -> datetime:
        return datetime.fromisoformat(self.issued_at)


def retake_problem(
    exam: ExamDefinition, attempt: int, earlier: list[Issue], now: datetime
) -> str:
    """Why `attempt` may not be issued now, or "" if it may."""
    if exam.max_attempts and attempt > exam.max_attempts:
        return (
            f"attempt {attempt} is over the limit of {exam.max_attempts} attempts "
            f"for {exam.exam_id} {exam.version}"
        )
    if attempt == 1:
        return ""
    previous = [i for i in earlier if i.attempt == attempt - 1]
    if not previous:
        return f"attempt {attempt - 1} was never issued, so this is not a retake yet"
    allowed = previous[0].issued + timedelta(days=exam.waiting_days)
    if now < allowed:
        return (
            f"attempt {attempt - 1} was issued on {previous[0].issued:%Y-%m-%d %H:%M} "
            f"UTC and the waiting period is {exam.waiting_days} days: a retake "
            f"may be issued from {allowed:%Y-%m-%d %H:%M} UTC"
        )
    return ""


def new_issue(
    exam: ExamDefinition,
    paper: Paper,
    extra_minutes: int,
    now: datetime,
    override: Override | None = None,
) -> Issue:
    return Issue(
        learner_id=paper.learner_id,
        exam_id=exam.exam_id,
        exam_version=exam.version,
        attempt=paper.attempt,
        paper_code=paper.code,
        templates=",".join(paper.templates),
        issued_at=now.astimezone(UTC).isoformat(timespec="seconds"),
        minutes_allowed=exam.minutes + extra_minutes,
        extra_minutes=extra_minutes,
        override_reason=override.reason if override else "",
        override_by=override.by if override else "",
        form=paper.form,
    )


def late_minutes(
    issue: Issue | None, handed_in: datetime, grace_minutes: int
) -> float | None:
    """Minutes past the time allowed plus grace, or None when on time (or unknown)."""
    if issue is None:
        return None
    deadline = issue.issued + timedelta(minutes=issue.minutes_allowed + grace_minutes)
    over = (handed_in - deadline).total_seconds() / 60
    return round(over, 1) if over > 0 else None
