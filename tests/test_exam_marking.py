"""Written answers marked by trainers: blind, double, a third on disagreement,
and no result (or certificate) until the marks are in."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from grading_helpers import ExamSite
from smm_playbook.cli import app
from smm_playbook.grading import exam as exams
from smm_playbook.grading.exam import CERTIFICATION
from smm_playbook.grading.gradebook import Gradebook, written_marks
from smm_playbook.grading.marking import (
    MarkingError,
    final_mark,
    outstanding,
    queue,
    record_mark,
)
from smm_playbook.grading.sandbox import Limits

# A form of the written item alone, double-marked, so the test needs no
# scored template and runs three notebooks only.
WRITTEN_ONLY = replace(CERTIFICATION, version="marking-test", blueprint=())
LIMITS = Limits(wall_seconds=20, memory_mb=768)
LEARNERS = ("ana.li", "ben", "chen.wei")


@pytest.fixture(scope="module")
def graded():
    patch = pytest.MonkeyPatch()
    patch.setitem(exams.EXAMS, WRITTEN_ONLY.key, WRITTEN_ONLY)
    site = ExamSite(WRITTEN_ONLY)
    for learner in LEARNERS:
        site.hand_in(learner, site.solved(learner))
    summary = site.grade(LIMITS)
    yield site, summary
    site.cleanup()
    patch.undo()


def scores(script, value):
    return {c.name: value for c in script.written.rubric.criteria}


def test_written_answers_wait_for_marks_with_no_pass(graded):
    _, summary = graded
    assert {r.status for r in summary.graded} == {"awaiting_marks"}
    assert not any(r.passed for r in summary.graded)
    (part,) = summary.graded[0].parts
    assert part.outcome == "awaiting_review" and part.points == 0
    assert json.loads(part.given) == json.loads(part.given).strip() != ""


def test_the_queue_is_blind_and_the_whole_flow_settles_each_result(graded):
    site, _ = graded
    book = Gradebook(site.gradebook_path)
    try:
        first = queue(book, "Marker One", site.key)
        assert len(first) == 3
        for script in first:  # nothing in what a marker sees names the candidate
            shown = f"{script.code} {script.text} {script.section.prompt}"
            assert not any(learner in shown for learner in LEARNERS)
            assert "Name of" not in shown
        assert [s.code for s in first] == sorted(s.code for s in first)
        agree, disagree, _ = first
        top = agree.written.rubric.points
        assert not record_mark(book, agree, "Marker One", scores(agree, 2), seconds=95)
        with pytest.raises(MarkingError, match="already marked"):
            record_mark(book, agree, "Marker One", scores(agree, 2))
        second = {s.code: s for s in queue(book, "Marker Two", site.key)}
        assert record_mark(
            book,
            second[agree.code],
            "Marker Two",
            scores(agree, 2) | {agree.written.rubric.criteria[0].name: 1},
        )
        # two marks 8 points apart: a third marker settles it
        record_mark(book, disagree, "Marker One", scores(disagree, 0))
        assert not record_mark(
            book, second[disagree.code], "Marker Two", scores(disagree, 2)
        )
        third = {s.code: s for s in queue(book, "Marker Three", site.key)}
        assert set(third) == {disagree.code, first[2].code}
        assert record_mark(
            book, third[disagree.code], "Marker Three", scores(disagree, 2)
        )
        rows = {r["id"]: r for r in book.submissions()}
        settled = [r for r in rows.values() if r["status"] == "graded"]
        assert sorted(r["score"] for r in settled) == [top - 0.5, top]
        assert all(r["passed"] for r in settled)  # a written-only form: 100 %
        with book.engine.connect() as connection:
            marks = list(connection.execute(sa.select(written_marks)))
        assert len(marks) == 5
        first_mark = next(m for m in marks if m.seconds == 95)
        assert first_mark.marker == "Marker One" and first_mark.total == top
        assert set(json.loads(first_mark.scores)["criteria"]) == {
            c.name for c in agree.written.rubric.criteria
        }
    finally:
        book.close()


def test_bad_scores_get_clear_messages(graded):
    site, _ = graded
    book = Gradebook(site.gradebook_path)
    try:
        (script, *_) = queue(book, "Marker Four", site.key) or [None]
        if script is None:
            pytest.skip("every script is settled")
        rubric = script.written.rubric
        with pytest.raises(MarkingError, match="missing"):
            record_mark(book, script, "Marker Four", {})
        with pytest.raises(MarkingError, match="between 0 and 2"):
            record_mark(book, script, "Marker Four", scores(script, 3))
        with pytest.raises(MarkingError, match="whole number"):
            record_mark(book, script, "Marker Four", scores(script, "2"))
        with pytest.raises(MarkingError, match="who is marking"):
            record_mark(book, script, "  ", scores(script, 1))
        assert rubric.points == 8
    finally:
        book.close()


def test_the_review_command_writes_and_reads_a_marking_sheet(graded, tmp_path):
    site, _ = graded
    runner = CliRunner()
    common = [
        "--secret",
        str(site.secret_path),
        "--gradebook",
        str(site.gradebook_path),
    ]
    sheet = tmp_path / "sheet.csv"
    result = runner.invoke(
        app,
        ["exam", "review", *common, "--marker", "Marker Five", "--sheet", str(sheet)],
    )
    assert result.exit_code == 0, result.output
    lines = sheet.read_text().splitlines()
    assert lines[0] == "script,part,criterion,max,score,comment"
    assert not any(
        learner in sheet.with_suffix(".md").read_text() for learner in LEARNERS
    )
    filled = [lines[0]] + [line.replace(",,", ",2,", 1) for line in lines[1:]]
    sheet.write_text("\n".join(filled) + "\n")
    result = runner.invoke(
        app,
        ["exam", "review", *common, "--marker", "Marker Five", "--scores", str(sheet)],
    )
    assert result.exit_code == 0, result.output
    assert "Recorded" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe not a sheet")
    result = runner.invoke(
        app, ["exam", "review", *common, "--marker", "Marker Six", "--scores", str(bad)]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_resolution_rules():
    from smm_playbook.grading.marking import Mark

    def m(total):
        return Mark("x", {}, total, 0, "")

    assert outstanding((), 2, 2) == 2
    assert outstanding((m(5), m(7)), 2, 2) == 0
    assert outstanding((m(2), m(7)), 2, 2) == 1
    assert outstanding((m(2), m(7), m(6)), 2, 2) == 0
    assert final_mark((m(2), m(7), m(6))) == 6.5
    assert final_mark((m(4),)) == 4
