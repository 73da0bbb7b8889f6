"""The gradebook: every graded submission once, with its answers, in one transaction.

A submission is identified by (learner, exam, version, SHA-256 of the file).
`record` writes the submission row and all its answer rows in one transaction
and does nothing if that key is already there, so grading the same folder twice,
or again after a crash or a `kill -9`, neither loses nor duplicates a result.

SQLAlchemy Core keeps it one code path for SQLite (a file, the default) and for
a server database such as PostgreSQL (`postgresql+psycopg://...`).

The tables' history is kept as Alembic migrations (`grading/migrations`).
Opening a gradebook upgrades it to the newest revision this code knows, under a
lock so that two graders opening a new gradebook at once create it once; a
gradebook made before migrations existed is recognised as the first revision;
one upgraded by a newer smm_playbook is refused, since this code would not know
its tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from smm_playbook.grading.policies import Issue
from smm_playbook.grading.scoring import PartResult

# The newest revision in grading/migrations/versions; the tables below are the
# schema it leaves (tests check both, so the two are changed together).
SCHEMA_REVISION = "0003"
# PostgreSQL advisory lock taken while migrating ("smmg"), per database.
_MIGRATION_LOCK = 0x736D6D67

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
    # when the file was handed in (its modification time) and how late it was
    sa.Column("handed_in_at", sa.String(32), nullable=False, server_default=""),
    sa.Column("late_minutes", sa.Float, nullable=True),  # None: on time or unknown
    sa.Column("form", sa.Integer, nullable=True),  # the coded form handed in
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column(
        "submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False
    ),
    sa.Column("section", sa.String(64), nullable=False),
    sa.Column("module", sa.String(4), nullable=False),
    sa.Column("part", sa.String(64), nullable=False),
    sa.Column("points", sa.Float, nullable=False),
    sa.Column("max_points", sa.Float, nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("feedback", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("submission_id", "part"),
    sa.Column("kind", sa.String(12), nullable=False, server_default="value"),
    sa.Column("given", sa.Text, nullable=False, server_default=""),
)

issued_papers = sa.Table(
    "issued_papers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("learner_id", sa.String(64), nullable=False),
    sa.Column("exam_id", sa.String(64), nullable=False),
    sa.Column("exam_version", sa.String(32), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("paper_code", sa.String(40), nullable=False),
    sa.Column("templates", sa.Text, nullable=False),
    sa.Column("issued_at", sa.String(32), nullable=False),
    sa.Column("minutes_allowed", sa.Integer, nullable=False),
    sa.Column("extra_minutes", sa.Integer, nullable=False),
    sa.Column("override_reason", sa.Text, nullable=False),
    sa.Column("override_by", sa.String(200), nullable=False),
    sa.UniqueConstraint("learner_id", "exam_id", "exam_version", "attempt"),
    sa.Column("form", sa.Integer, nullable=True),  # None: a drawn form
    sa.Index("issued_papers_form", "exam_id", "exam_version", "form", unique=True),
)

written_marks = sa.Table(
    "written_marks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False
    ),
    sa.Column("part", sa.String(64), nullable=False),
    sa.Column("marker", sa.String(200), nullable=False),
    sa.Column("scores", sa.Text, nullable=False),  # JSON {criterion: score}
    sa.Column("total", sa.Float, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),  # time the marker spent
    sa.Column("marked_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("submission_id", "part", "marker"),
)


class GradebookError(Exception):
    """A database the gradebook cannot use as it is; the message says why."""


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
    handed_in_at: str = ""
    late_minutes: float | None = None
    form: int | None = None  # the coded form of the paper handed in


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
        try:
            self.revision = upgrade(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

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

    def issue_paper(self, issue: Issue) -> Issue:
        """Record that a paper was issued; an attempt issued before keeps its
        first record (its time), which is returned."""
        row = {f: getattr(issue, f) for f in Issue.__dataclass_fields__}
        dialect = self.engine.dialect.name
        module = sqlite if dialect == "sqlite" else postgresql
        with self.engine.begin() as connection:
            connection.execute(
                module.insert(issued_papers).values(row).on_conflict_do_nothing()
            )
        stored = [
            i
            for i in self.issues(issue.learner_id, issue.exam_id, issue.exam_version)
            if i.attempt == issue.attempt
        ]
        if not stored:  # the insert met the form index: another build took it
            raise GradebookError(
                f"Form {issue.form} of {issue.exam_id} {issue.exam_version} was "
                "issued by another build running at the same time; run the build "
                "again (papers already written are rebuilt unchanged)."
            )
        return stored[0]

    def issued_forms(
        self, exam_id: str, exam_version: str
    ) -> dict[tuple[str, int], int | None]:
        """(learner, attempt) → form number, for every paper of this version."""
        query = sa.select(
            issued_papers.c.learner_id, issued_papers.c.attempt, issued_papers.c.form
        ).where(
            issued_papers.c.exam_id == exam_id,
            issued_papers.c.exam_version == exam_version,
        )
        with self.engine.connect() as connection:
            return {
                (r.learner_id, r.attempt): r.form for r in connection.execute(query)
            }

    def issues(self, learner_id: str, exam_id: str, exam_version: str) -> list[Issue]:
        """Every paper issued to `learner_id` for this exam, by attempt."""
        query = (
            sa.select(issued_papers)
            .where(
                issued_papers.c.learner_id == learner_id,
                issued_papers.c.exam_id == exam_id,
                issued_papers.c.exam_version == exam_version,
            )
            .order_by(issued_papers.c.attempt)
        )
        with self.engine.connect() as connection:
            rows = [dict(r._mapping) for r in connection.execute(query)]
        return [Issue(**{k: v for k, v in r.items() if k != "id"}) for r in rows]

    def close(self) -> None:
        self.engine.dispose()


def upgrade(engine: sa.Engine) -> str:
    """Bring the database to SCHEMA_REVISION and return it.

    A database already there costs one query and never imports Alembic.
    Otherwise, in one transaction that holds the write lock (SQLite's BEGIN
    IMMEDIATE, PostgreSQL's advisory lock), so that a second grader waits and
    then finds the work done: refuse a revision this code does not know, stamp
    a gradebook made before migrations as the first revision, then run every
    migration still to run. Any failure rolls the whole of it back.
    """
    with engine.connect() as connection:
        if _revisions(connection) == {SCHEMA_REVISION}:
            return SCHEMA_REVISION
    from alembic import command
    from alembic.script import ScriptDirectory

    from smm_playbook.grading import migrations

    where = _where(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.select(sa.func.pg_advisory_xact_lock(_MIGRATION_LOCK))
            )
        settings = migrations.config(
            engine.url.render_as_string(hide_password=False), connection
        )
        known = {
            s.revision for s in ScriptDirectory.from_config(settings).walk_revisions()
        }
        current = _revisions(connection)
        if current - known:
            raise GradebookError(
                f"The gradebook {where} was upgraded by a newer version of "
                f"smm_playbook: its tables are at revision "
                f"{', '.join(sorted(current - known))}, and this version knows "
                f"revisions up to {SCHEMA_REVISION} only. Upgrade smm_playbook "
                "(pip install --upgrade smm_playbook) to use it, or give another "
                "gradebook."
            )
        if not current and _is_premigration_gradebook(connection, where):
            command.stamp(settings, migrations.FIRST)
        command.upgrade(settings, "head")
        after = _revisions(connection)
    if after != {SCHEMA_REVISION}:
        raise GradebookError(
            f"The gradebook {where} is at revision {', '.join(sorted(after))} after "
            f"upgrading, not {SCHEMA_REVISION}: this installation of smm_playbook "
            "is incomplete; reinstall it."
        )
    return SCHEMA_REVISION


def _revisions(connection: sa.Connection) -> set[str]:
    if not sa.inspect(connection).has_table("alembic_version"):
        return set()
    query = sa.text("SELECT version_num FROM alembic_version")
    return set(connection.execute(query).scalars())


def _is_premigration_gradebook(connection: sa.Connection, where: str) -> bool:
    """True for the tables that `create_all` made before migrations existed.

    False for a database without them (a new gradebook); an error for one that
    has a table of that name but not the rest of the gradebook, rather than
    adopt a table some other program made.
    """
    from smm_playbook.grading.migrations import FIRST_TABLES

    inspector = sa.inspect(connection)
    present = [name for name in FIRST_TABLES if inspector.has_table(name)]
    if not present:
        return False
    for name, columns in FIRST_TABLES.items():
        found = (
            {c["name"] for c in inspector.get_columns(name)}
            if name in present
            else set()
        )
        if found != columns:
            missing = ", ".join(sorted(columns - found)) or "none"
            extra = ", ".join(sorted(found - columns)) or "none"
            raise GradebookError(
                f"The database {where} has a table '{present[0]}' but is not a "
                f"gradebook this course made (table '{name}': columns missing: "
                f"{missing}; unexpected: {extra}). Give a new file or an empty "
                "database for the gradebook."
            )
    return True


def _where(engine: sa.Engine) -> str:
    if engine.dialect.name == "sqlite":
        return f"'{engine.url.database}'"
    return f"'{engine.url.render_as_string(hide_password=True)}'"


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
        "kind": part.kind,
        "given": part.given,
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
    # The busy timeout first: switching to WAL needs the lock too, and would
    # otherwise wait only sqlite3's default 5 s behind a grader that migrates.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
