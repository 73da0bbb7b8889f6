"""The cohort store: every learner's check outcomes, one row per event, for a trainer.

The same approach as the gradebook (grading/gradebook.py): SQLAlchemy Core, so one
code path serves a SQLite file (the default, for a cohort on one server) and a
PostgreSQL server (`postgresql+psycopg://...`, for large cohorts). Each event
carries an id made where it happened (a UUID), and a row is inserted only if that
id is new, so sending the same queued event twice — after a crash between sending
and forgetting it — never counts it twice.

This module imports nothing of the course: every `check()` may reach it (through
cohort/outbox.py), so it must stay below the check engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

# PostgreSQL advisory lock held while creating the tables ("smmc"), so two
# learners' first checks at once create them once.
_CREATE_LOCK = 0x736D6D63

metadata = sa.MetaData()

events = sa.Table(
    "cohort_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("event_id", sa.String(36), nullable=False, unique=True),
    sa.Column("learner", sa.String(64), nullable=False),
    sa.Column("cohort_group", sa.String(64), nullable=False, default=""),
    sa.Column("intake", sa.String(64), nullable=False, default=""),
    sa.Column("exercise", sa.String(64), nullable=False),
    sa.Column("question", sa.String(64), nullable=False),
    sa.Column("number", sa.Integer, nullable=True),
    sa.Column("title", sa.String(200), nullable=False, default=""),
    sa.Column("event", sa.String(16), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, default=""),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("points", sa.Float, nullable=False, default=0.0),
    sa.Column("right_parts", sa.Integer, nullable=True),
    sa.Column("parts", sa.Integer, nullable=True),
    sa.Column("answer", sa.Text, nullable=False, default=""),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Index("ix_cohort_events_learner", "learner", "exercise", "question"),
)

# The keys an event has in the queue file and in the table (id excepted).
COLUMNS = tuple(c.name for c in events.columns if c.name != "id")
# How long a check's background send waits for a server before giving up (s).
CONNECT_TIMEOUT = 5


class CohortStoreError(Exception):
    """A cohort store that cannot be used as it is; the message says why."""


def url_for(location: str | Path) -> str:
    """A SQLAlchemy URL as given, or a path turned into a SQLite URL."""
    text = str(location)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


class CohortStore:
    """Opens (and on first use creates) the cohort tables at a URL or path."""

    def __init__(self, location: str | Path) -> None:
        self.url = url_for(location)
        self.engine = _engine(self.url)
        try:
            _create(self.engine)
        except BaseException:
            self.engine.dispose()
            raise

    def add(self, rows: Iterable[dict[str, Any]]) -> int:
        """Insert events whose event_id is new, in one transaction; how many were."""
        rows = [{k: row.get(k) for k in COLUMNS} for row in rows]
        if not rows:
            return 0
        insert = self._insert_ignoring_duplicates().returning(events.c.event_id)
        with self.engine.begin() as connection:
            return len(connection.execute(insert, rows).all())

    def events(
        self, group: str | None = None, intake: str | None = None
    ) -> list[dict[str, Any]]:
        """Every event in the order received, optionally of one group or intake."""
        query = sa.select(events).order_by(events.c.id)
        if group:
            query = query.where(events.c.cohort_group == group)
        if intake:
            query = query.where(events.c.intake == intake)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def close(self) -> None:
        self.engine.dispose()

    def _insert_ignoring_duplicates(self):
        dialect = self.engine.dialect.name
        if dialect == "sqlite":
            return sqlite.insert(events).on_conflict_do_nothing(
                index_elements=["event_id"]
            )
        if dialect == "postgresql":
            return postgresql.insert(events).on_conflict_do_nothing(
                index_elements=["event_id"]
            )
        raise CohortStoreError(
            f"The cohort store supports SQLite and PostgreSQL, not {dialect}."
        )


def _engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url)
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _begin_immediate)
        return engine
    if url.startswith("postgresql"):
        return sa.create_engine(
            url, connect_args={"connect_timeout": CONNECT_TIMEOUT}, pool_pre_ping=True
        )
    raise CohortStoreError(
        f"The cohort store supports SQLite (a file path or sqlite:///...) and "
        f"PostgreSQL (postgresql+psycopg://...), not {url.split(':', 1)[0]}."
    )


def _create(engine: sa.Engine) -> None:
    """Create the tables once, even when several learners start together."""
    with engine.connect() as connection:
        if sa.inspect(connection).has_table(events.name):
            return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_CREATE_LOCK)))
        metadata.create_all(connection, checkfirst=True)


def _begin_immediate(connection) -> None:
    # The write lock from the start: two learners' sends wait for each other
    # instead of one failing with "database is locked".
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_pragmas(connection, _record) -> None:
    connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={CONNECT_TIMEOUT * 1000}")
    cursor.close()
