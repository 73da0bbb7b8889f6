"""The gradebook: every graded submission once, with its answers, in one transaction.

A submission is identified by (learner, exam, version, SHA-256 of the file).
`record` writes the submission row and all its answer rows in one transaction
and does nothing if that key is already there, so grading the same folder twice,
or again after a crash or a `kill -9`, neither loses nor duplicates a result.

SQLAlchemy Core keeps it one code path for SQLite (a file, the default) and for
a server database such as PostgreSQL (`postgresql+psycopg://...`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from smm_playbook.grading.scoring import PartResult

metadata = sa.MetaData()

submissions = sa.Table(
    "submissions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("learner_id", sa.String(64), nullable=False),
    sa.Column("exam_id", sa.String(64), nullable=False),
    sa.Column("exam_version", sa.String(32), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False, default=""),
    sa.Column("attempt", sa.Integer, nullable=False, default=1),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("run_ended", sa.String(20), nullable=False, default=""),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("max_score", sa.Float, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False, default=0.0),
    sa.Column("graded_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("learner_id", "exam_id", "exam_version", "sha256"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False
    ),
    sa.Column("section", sa.String(32), nullable=False),
    sa.Column("module", sa.String(4), nullable=False),
    sa.Column("part", sa.String(64), nullable=False),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("feedback", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("submission_id", "part"),
)


@dataclass(frozen=True)
class Record:
    """One graded submission, as it goes into the gradebook."""

    learner_id: str
    exam_id: str
    exam_version: str
    sha256: str
    name: str
    attempt: int
    file: str
    status: str
    run_ended: str
    message: str
    score: float
    max_score: float
    passed: bool
    seconds: float
    parts: tuple[PartResult, ...] = ()


def url_for(location: str | Path) -> str:
    """A SQLAlchemy URL as given, or a path turned into a SQLite URL."""
    text = str(location)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


class Gradebook:
    def __init__(self, location: str | Path) -> None:
        self.url = url_for(location)
        self.engine = sa.create_engine(self.url)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _begin_immediate)
        metadata.create_all(self.engine)

    @property
    def files(self) -> tuple[str, ...]:
        """The database files, for the sandbox to hide (none for a server)."""
        path = self.engine.url.database
        if self.engine.dialect.name != "sqlite" or not path:
            return ()
        return tuple(path + suffix for suffix in ("", "-wal", "-shm", "-journal"))

    def graded_keys(self, exam_id: str, exam_version: str) -> set[tuple[str, str]]:
        """(learner_id, sha256) of every submission already in the gradebook."""
        query = sa.select(submissions.c.learner_id, submissions.c.sha256).where(
            submissions.c.exam_id == exam_id,
            submissions.c.exam_version == exam_version,
        )
        with self.engine.connect() as connection:
            return {(row[0], row[1]) for row in connection.execute(query)}

    def record(self, record: Record) -> bool:
        """Store one graded submission atomically; False if it was already there."""
        row = {
            name: getattr(record, name)
            for name in (c.name for c in submissions.columns)
            if name not in ("id", "graded_at")
        }
        row["graded_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        with self.engine.begin() as connection:  # one transaction
            insert = self._insert_ignoring_duplicates(row)
            submission_id = connection.execute(
                insert.returning(submissions.c.id)
            ).scalar_one_or_none()
            if submission_id is None:  # already graded: nothing to add
                return False
            if record.parts:
                connection.execute(
                    answers.insert(),
                    [_answer_row(submission_id, part) for part in record.parts],
                )
        return True

    def _insert_ignoring_duplicates(self, row: dict):
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            return sqlite.insert(submissions).values(row).on_conflict_do_nothing()
        if dialect == "postgresql":
            return postgresql.insert(submissions).values(row).on_conflict_do_nothing()
        raise ValueError(
            f"The gradebook supports SQLite and PostgreSQL, not {dialect}."
        )

    def submissions(self, exam_id: str | None = None) -> list[dict]:
        query = sa.select(submissions).order_by(submissions.c.id)
        if exam_id:
            query = query.where(submissions.c.exam_id == exam_id)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def answers(self, submission_ids: Iterable[int] | None = None) -> list[dict]:
        query = sa.select(answers).order_by(answers.c.submission_id, answers.c.part)
        if submission_ids is not None:
            query = query.where(answers.c.submission_id.in_(list(submission_ids)))
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def close(self) -> None:
        self.engine.dispose()


def _answer_row(submission_id: int, part: PartResult) -> dict:
    return {
        "submission_id": submission_id,
        "section": part.section,
        "module": part.module,
        "part": part.part,
        "points": part.points,
        "max_points": part.max_points,
        "outcome": part.outcome,
        "feedback": part.feedback,
    }


def _begin_immediate(connection) -> None:
    # Take the write lock at the start, so two graders wait for each other
    # instead of one failing with "database is locked" halfway through.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(connection, _record) -> None:
    connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN
    # WAL: readers (export, report) never block the grader; a killed grader
    # leaves a consistent database that SQLite recovers on next open.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
