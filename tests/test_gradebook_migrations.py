"""The gradebook's Alembic migrations, on SQLite and on a real PostgreSQL server.

A gradebook made by the code before migrations (tables from `create_all`, no
`alembic_version`) is adopted as the first revision with every row kept; a new
one is created at the newest revision with exactly the tables `gradebook.py`
declares; one written by a newer smm_playbook is refused with a message; and
several graders opening the same new gradebook at once create it once.
"""

from __future__ import annotations

import io
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from grading_helpers import sample_record
from postgres import postgres_server
from smm_playbook.grading import migrations
from smm_playbook.grading.gradebook import (
    SCHEMA_REVISION,
    Gradebook,
    GradebookError,
    metadata,
)

# The tables exactly as `metadata.create_all` made them before migrations
# existed (a frozen copy: gradebook.py's tables will move on, these must not).
OLD = sa.MetaData()
OLD_SUBMISSIONS = sa.Table(
    "submissions",
    OLD,
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
OLD_ANSWERS = sa.Table(
    "answers",
    OLD,
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

LEARNERS = ("ana.li", "bo.wang", "chidi.okafor", "dana.cohen")


@pytest.fixture(scope="module")
def postgres_server_url():
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """An empty database: a new SQLite file, or a new database on the server."""
    if request.param == "sqlite":
        yield str(tmp_path / "gradebook.db")
        return
    server = request.getfixturevalue("postgres_server_url")
    name = f"g_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    yield server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
    admin.dispose()


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url if "://" in url else f"sqlite:///{url}")


def _old_gradebook(url: str) -> tuple[list[tuple], list[tuple]]:
    """A gradebook as the code before migrations left it; its rows."""
    engine = _engine(url)
    OLD.create_all(engine)
    with engine.begin() as connection:
        for i, learner in enumerate(LEARNERS):
            submission_id = connection.execute(
                OLD_SUBMISSIONS.insert().returning(OLD_SUBMISSIONS.c.id),
                {
                    "learner_id": learner,
                    "exam_id": "smm-cert",
                    "exam_version": "2026.1",
                    "sha256": f"{i:064x}",
                    "name": learner.replace(".", " ").title(),
                    "attempt": 1 + i % 2,
                    "file": f"submissions/{learner}.ipynb",
                    "status": "graded",
                    "run_ended": "finished",
                    "message": "Ran cleanly.",
                    "score": 20.0 + i,
                    "max_score": 30.0,
                    "passed": i % 2 == 0,
                    "seconds": 1.5 * i,
                    "graded_at": f"2026-11-0{i + 1}T10:00:00+00:00",
                },
            ).scalar_one()
            connection.execute(
                OLD_ANSWERS.insert(),
                [
                    {
                        "submission_id": submission_id,
                        "section": "paid",
                        "module": "5",
                        "part": part,
                        "points": float(j % 2),
                        "max_points": 1.0,
                        "outcome": "correct" if j % 2 else "wrong",
                        "feedback": f"Feedback on {part} for {learner}.",
                    }
                    for j, part in enumerate(("cpm", "ctr", "roas"))
                ],
            )
    rows = _rows(engine)
    engine.dispose()
    return rows


def _rows(engine: sa.Engine) -> tuple[list[tuple], list[tuple]]:
    with engine.connect() as connection:
        subs = connection.execute(
            sa.select(OLD_SUBMISSIONS).order_by(OLD_SUBMISSIONS.c.id)
        ).all()
        parts = connection.execute(
            sa.select(OLD_ANSWERS).order_by(
                OLD_ANSWERS.c.submission_id, OLD_ANSWERS.c.part
            )
        ).all()
    return [tuple(r) for r in subs], [tuple(r) for r in parts]


def _versions(engine: sa.Engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            .scalars()
            .all()
        )


def test_schema_revision_names_the_newest_migration():
    script = ScriptDirectory.from_config(migrations.config("sqlite://"))
    assert script.get_heads() == [SCHEMA_REVISION]
    assert script.get_base() == migrations.FIRST


def test_a_new_gradebook_is_at_the_newest_revision_with_the_declared_tables(url):
    book = Gradebook(url)
    try:
        assert book.revision == SCHEMA_REVISION
        assert _versions(book.engine) == [SCHEMA_REVISION]
        with book.engine.connect() as connection:
            # the migrated tables are the ones gradebook.py declares (the first
            # migration's alone are the old create_all schema: tested below)
            context = MigrationContext.configure(connection)
            assert compare_metadata(context, metadata) == []
        assert book.record(sample_record("ana", "a" * 64))
        assert not book.record(sample_record("ana", "a" * 64))  # the key still holds
    finally:
        book.close()


def test_the_first_migration_writes_the_old_create_all_tables_exactly(tmp_path):
    def schema(engine):
        with engine.connect() as connection:
            return connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master"
                " WHERE tbl_name != 'alembic_version' ORDER BY name"
            ).all()

    old = _engine(str(tmp_path / "old.db"))
    OLD.create_all(old)
    command.upgrade(migrations.config(f"sqlite:///{tmp_path / 'new.db'}"), "0001")
    new = _engine(str(tmp_path / "new.db"))
    try:
        assert schema(new) == schema(old)
        assert len(schema(old)) == 4  # two tables and their unique indexes
    finally:
        new.dispose()
        old.dispose()


def test_an_old_gradebook_is_stamped_and_keeps_every_row(url):
    before = _old_gradebook(url)
    assert len(before[0]) == len(LEARNERS) and len(before[1]) == 3 * len(LEARNERS)
    book = Gradebook(url)
    try:
        assert book.revision == SCHEMA_REVISION
        assert _versions(book.engine) == [SCHEMA_REVISION]
        assert _rows(book.engine) == before
        graded = book.graded_keys("smm-cert", "2026.1")
        assert graded == {(learner, f"{i:064x}") for i, learner in enumerate(LEARNERS)}
        # an old submission is still recognised; a new one gets the next id
        assert not book.record(sample_record("ana.li", f"{0:064x}"))
        assert book.record(sample_record("eve.moreau", "e" * 64))
        ids = [r["id"] for r in book.submissions()]
        # (PostgreSQL's sequence also counts the skipped duplicate: 6, not 5)
        assert ids[:4] == [1, 2, 3, 4] and ids[4] > 4
    finally:
        book.close()
    reopened = Gradebook(url)  # a second open finds it done and changes nothing
    try:
        assert _versions(reopened.engine) == [SCHEMA_REVISION]
        assert len(reopened.submissions()) == len(LEARNERS) + 1
        assert len(reopened.answers()) == 3 * len(LEARNERS) + 1
    finally:
        reopened.close()


def test_a_gradebook_from_a_newer_version_is_refused_and_left_alone(url):
    Gradebook(url).close()
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(GradebookError) as refused:
        Gradebook(url)
    message = str(refused.value)
    assert "newer version of smm_playbook" in message
    assert "0099" in message and SCHEMA_REVISION in message
    assert "pip install --upgrade smm_playbook" in message
    assert _versions(engine) == ["0099"]
    engine.dispose()


def test_a_foreign_table_of_the_same_name_is_not_adopted(url):
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE submissions (id INTEGER, body TEXT)"))
    with pytest.raises(GradebookError, match="not a gradebook this course made"):
        Gradebook(url)
    assert not sa.inspect(engine).has_table("alembic_version")  # rolled back
    engine.dispose()


def test_downgrade_to_nothing_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    Gradebook(url).close()
    command.downgrade(migrations.config(url), "base")
    engine = sa.create_engine(url)
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()
    book = Gradebook(url)
    assert book.record(sample_record("ana", "a" * 64))
    book.close()


def test_offline_mode_prints_the_sql_for_an_administrator():
    settings = migrations.config("postgresql://grader@db.invalid/gradebook")
    settings.output_buffer = io.StringIO()
    command.upgrade(settings, "head", sql=True)
    sql = settings.output_buffer.getvalue()
    assert "CREATE TABLE submissions" in sql and "CREATE TABLE answers" in sql
    assert "INSERT INTO alembic_version (version_num) VALUES ('0001')" in sql
    assert (
        f"UPDATE alembic_version SET version_num='{SCHEMA_REVISION}'" in sql
        and "CREATE TABLE issued_papers" in sql
    )


OPENER = """
import sys
from smm_playbook.grading.gradebook import Gradebook, Record

print("ready", flush=True)
sys.stdin.readline()  # every opener is released at once
book = Gradebook(sys.argv[1])
learner = sys.argv[2]
stored = book.record(Record(learner, "smm-cert", "2026.1", learner.rjust(64, "0"),
    learner, 1, "f.ipynb", "graded", "finished", "", 1.0, 1.0, True, 0.0))
book.close()
print(book.revision, stored)
"""


def test_graders_opening_a_new_gradebook_at_once_create_it_once(url):
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, url, f"g{i}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i in range(4)
    ]
    for opener in openers:
        assert opener.stdout.readline().strip() == "ready"
    for opener in openers:
        opener.stdin.write("\n")
        opener.stdin.flush()
    outputs = [opener.communicate(timeout=120)[0] for opener in openers]
    assert [o.returncode for o in openers] == [0] * 4, outputs
    assert [o.split()[-2:] for o in outputs] == [[SCHEMA_REVISION, "True"]] * 4
    book = Gradebook(url)
    try:
        assert _versions(book.engine) == [SCHEMA_REVISION]
        assert sorted(r["learner_id"] for r in book.submissions()) == [
            f"g{i}" for i in range(4)
        ]
    finally:
        book.close()


def test_opening_an_up_to_date_gradebook_does_not_import_alembic(tmp_path):
    path = tmp_path / "g.db"
    Gradebook(path).close()
    probe = (
        "import sys\n"
        "from smm_playbook.grading.gradebook import Gradebook\n"
        "book = Gradebook(sys.argv[1])\n"
        "print(book.revision, 'alembic' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.split() == [SCHEMA_REVISION, "False"]
