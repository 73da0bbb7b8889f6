"""The gradebook on SQLite and on a real PostgreSQL server, with concurrent graders.

Two graders run at once on the same folder and the same gradebook (as two
trainers might): every submission must end up in the gradebook exactly once.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlalchemy as sa

from grading_helpers import EXAM, ExamSite, sample_record
from postgres import postgres_server
from smm_playbook.grading.gradebook import Gradebook, answers, submissions
from smm_playbook.grading.grader import grade_folder
from smm_playbook.grading.sandbox import Limits


@pytest.fixture(scope="module")
def postgres_url():
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def site():
    """Twelve learners' solved papers, two of them with a deliberate mistake."""
    exam_site = ExamSite()
    for i in range(12):
        learner = f"c{i:02d}"
        wrong = {"cpm": "cpm = 1.0"} if i % 6 == 0 else {}
        exam_site.hand_in(learner, exam_site.solved(learner, **wrong))
    yield exam_site
    exam_site.cleanup()


def test_postgres_gradebook_records_once(postgres_url):
    book = Gradebook(postgres_url)
    try:
        assert book.files == ()  # nothing on disk for the sandbox to hide
        assert book.record(sample_record("ana", "a" * 64))
        assert not book.record(sample_record("ana", "a" * 64))
        assert book.graded_keys("smm-cert", "2026.1") == {("ana", "a" * 64)}
    finally:
        with book.engine.begin() as connection:
            connection.execute(answers.delete())
            connection.execute(submissions.delete())
        book.close()


def _grader(folder, secret, gradebook) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "smm_playbook.cli",
            "exam",
            "grade",
            "--version",
            EXAM.version,
            str(folder),
            "--secret",
            str(secret),
            "--gradebook",
            str(gradebook),
            "--workers",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_graders_at_once_lose_and_duplicate_nothing(site, database, request):
    url = (
        request.getfixturevalue("postgres_url")
        if database == "postgresql"
        else str(site.root / "trainer" / "concurrent.db")
    )
    graders = [_grader(site.submissions, site.secret_path, url) for _ in range(2)]
    outputs = [grader.communicate(timeout=300)[0] for grader in graders]
    assert [g.returncode for g in graders] == [0, 0], outputs
    engine = sa.create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(submissions.c.learner_id, submissions.c.score)
        ).all()
        parts = connection.execute(sa.select(sa.func.count()).select_from(answers))
        part_count = parts.scalar_one()
    engine.dispose()
    assert sorted(r[0] for r in rows) == [f"c{i:02d}" for i in range(12)]
    assert part_count == 12 * len(site.paper("c00").answer_names)
    assert sorted(r[1] for r in rows).count(29.0) == 2  # the two with a mistake


def test_postgres_and_sqlite_agree(site, postgres_url, tmp_path):
    limits = Limits(wall_seconds=20)
    results = {}
    for name, url in (("sqlite", tmp_path / "g.db"), ("postgresql", postgres_url)):
        book = Gradebook(url)
        grade_folder(
            site.submissions,
            EXAM,
            site.key,
            book,
            secret_path=site.secret_path,
            workers=2,
            limits=limits,
        )
        results[name] = sorted(
            (r["learner_id"], r["score"]) for r in book.submissions()
        )
        book.close()
    assert results["sqlite"] == results["postgresql"]
