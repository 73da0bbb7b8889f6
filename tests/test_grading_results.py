"""Gradebook transactions, the CSV export, item analysis and the HTML report."""

from __future__ import annotations

import csv
import threading

import pandas as pd
import pytest
import sqlalchemy as sa

from smm_playbook.grading.gradebook import Gradebook, Record, url_for
from smm_playbook.grading.report import item_analysis, write_report
from smm_playbook.grading.results import best_results, export_csv, submissions_frame
from smm_playbook.grading.scoring import PartResult


def record(learner, sha, points, *, status="graded", name="", message="Ran cleanly."):
    """A record with two parts, q1 (2 points) and q2 (1 point)."""
    parts = (
        PartResult("s", "0", "q1", 2 * points[0], 2, _outcome(points[0]), "fb q1"),
        PartResult("s", "5", "q2", points[1], 1, _outcome(points[1]), "fb q2"),
    )
    score = float(sum(p.points for p in parts))
    return Record(
        learner,
        "smm-cert",
        "2026.1",
        sha,
        name or learner.title(),
        1,
        f"{learner}.ipynb",
        status,
        "finished",
        message,
        score,
        3.0,
        score / 3 >= 0.7,
        0.1,
        parts if status == "graded" else (),
    )


def _outcome(earned):
    return "correct" if earned else "incorrect"


@pytest.fixture
def book(tmp_path):
    gradebook = Gradebook(tmp_path / "gradebook.db")
    yield gradebook
    gradebook.close()


def test_a_submission_is_recorded_once(book):
    assert book.record(record("ana", "a" * 64, (1, 1)))
    assert not book.record(record("ana", "a" * 64, (1, 1)))
    assert len(book.submissions()) == 1
    assert len(book.answers()) == 2


def test_concurrent_writers_neither_lose_nor_duplicate(book):
    records = [record(f"l{i}", f"{i:064d}", (i % 2, 1)) for i in range(40)]

    def write(batch):
        for item in batch:
            book.record(item)

    threads = [threading.Thread(target=write, args=(records,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = book.submissions()
    assert sorted(r["learner_id"] for r in rows) == sorted(
        r.learner_id for r in records
    )
    assert len(book.answers()) == 80


def test_a_failed_answer_insert_leaves_no_half_record(book):
    broken = record("ana", "b" * 64, (1, 1))
    duplicate_part = broken.parts + (broken.parts[0],)  # violates the primary key
    with pytest.raises(sa.exc.IntegrityError):
        book.record(Record(**{**broken.__dict__, "parts": duplicate_part}))
    assert book.submissions() == [] and book.answers() == []
    assert book.record(broken)


def test_urls_and_paths(tmp_path):
    assert url_for(tmp_path / "g.db").startswith("sqlite:///")
    assert url_for("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_best_result_per_learner_and_export(book, tmp_path):
    book.record(record("ana", "1" * 64, (0, 1)))
    book.record(record("ana", "2" * 64, (1, 1)))
    book.record(record("bo", "3" * 64, (0, 0), status="unreadable", message="bad"))
    best = best_results(submissions_frame(book))
    assert best.set_index("learner_id").loc["ana", "score"] == 3
    assert best.set_index("learner_id").loc["ana", "submissions"] == 2
    out = tmp_path / "results.csv"
    assert export_csv(book, out) == 2
    rows = list(csv.DictReader(out.open()))
    assert [r["learner_id"] for r in rows] == ["ana", "bo"]
    assert rows[0]["percent"] == "100.0" and rows[0]["passed"] == "True"
    assert export_csv(book, tmp_path / "all.csv", every_submission=True) == 3


def test_export_of_an_empty_gradebook_has_the_header(book, tmp_path):
    out = tmp_path / "results.csv"
    assert export_csv(book, out) == 0
    assert out.read_text().startswith("learner_id,name,exam_id")


def test_item_analysis_numbers():
    # q1 is right exactly for the three best candidates, q2 for everyone
    results = pd.DataFrame({"id": [1, 2, 3, 4, 5, 6], "status": ["graded"] * 6})
    q1 = [2, 2, 2, 0, 0, 0]
    rows = []
    for sid, earned in zip(results["id"], q1, strict=True):
        rows.append(
            {
                "submission_id": sid,
                "part": "q1",
                "module": "0",
                "section": "s",
                "points": earned,
                "max_points": 2,
                "outcome": "correct" if earned else "incorrect",
                "feedback": "" if earned else "You divided by followers.",
            }
        )
        rows.append(
            {
                "submission_id": sid,
                "part": "q2",
                "module": "5",
                "section": "s",
                "points": 1,
                "max_points": 1,
                "outcome": "correct",
                "feedback": "",
            }
        )
    items = item_analysis(results, pd.DataFrame(rows)).set_index("part")
    assert items.loc["q1", "difficulty"] == pytest.approx(0.5)
    assert items.loc["q1", "upper_minus_lower"] == pytest.approx(1.0)
    assert items.loc["q1", "commonest_mistake"] == "You divided by followers."
    assert items.loc["q2", "difficulty"] == pytest.approx(1.0)
    assert pd.isna(items.loc["q2", "discrimination"])  # everyone right: no signal


def test_report_escapes_what_learners_wrote(book, tmp_path):
    evil = "<script>alert(1)</script>"
    book.record(record("ana", "1" * 64, (1, 0), name=evil))
    book.record(record("bo", "2" * 64, (0, 1)))
    book.record(record("cy", "3" * 64, (1, 1)))
    page = write_report(book, tmp_path / "report")
    text = page.read_text()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "Item analysis" in text and "<svg" in text
    feedback = (tmp_path / "report" / "feedback" / "bo.html").read_text()
    assert "Module 0, The role" in feedback  # q1 was wrong: revisit Module 0
    assert "Module 5" not in feedback


def test_report_of_an_empty_gradebook(book, tmp_path):
    page = write_report(book, tmp_path / "report")
    assert "no results yet" in page.read_text()
