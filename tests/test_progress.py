"""The progress file: atomic, concurrent-safe, and never silently lost."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from smm_playbook.checks.progress import ProgressStore, submitted_answers
from smm_playbook.exercises import CATALOGUE, INDEX, catalogue_index, render_index
from smm_playbook.progress_report import (
    UnknownExercise,
    catalogue_views,
    progress_frame,
    progress_rows,
    summary,
    summary_rows,
)
from smm_playbook.tools.make_student import build


def test_check_outcomes_and_hints_are_recorded(progress_home):
    store = ProgressStore.default()
    store.record(
        "ex00_orientation", "EngagementRateByReach", "check", status="incorrect"
    )
    store.record("ex00_orientation", "EngagementRateByReach", "hint", level=2)
    store.record("ex00_orientation", "EngagementRateByReach", "check", status="correct")
    entry = store.load()["exercises"]["ex00_orientation"]["EngagementRateByReach"]
    assert entry["status"] == "correct" and entry["checks"] == 2 and entry["hints"] == 2


def test_a_later_wrong_experiment_does_not_erase_a_correct_answer(progress_home):
    store = ProgressStore.default()
    store.record("ex", "Q", "check", status="correct")
    store.record("ex", "Q", "check", status="incorrect")
    entry = store.load()["exercises"]["ex"]["Q"]
    assert entry["status"] == "correct" and entry["last_status"] == "incorrect"


@pytest.mark.parametrize("content", ["{not json", '{"exercises": []}', "[]", ""])
def test_a_corrupted_file_is_set_aside_and_reported(progress_home, content):
    path = progress_home / "progress.json"
    path.write_text(content)
    store = ProgressStore(path)
    with pytest.warns(UserWarning, match="moved to"):
        store.record("ex", "Q", "check", status="correct")
    aside = list(progress_home.glob("progress.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == content
    assert json.loads(path.read_text())["exercises"]["ex"]["Q"]["status"] == "correct"


def _record_many(path: str, worker: int) -> None:
    store = ProgressStore(__import__("pathlib").Path(path))
    for i in range(40):
        store.record("ex", f"W{worker}-Q{i}", "check", status="correct")


def test_concurrent_writers_lose_nothing(progress_home):
    path = str(progress_home / "progress.json")
    processes = [
        multiprocessing.Process(target=_record_many, args=(path, w)) for w in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    recorded = ProgressStore.default().load()["exercises"]["ex"]
    assert len(recorded) == 160


def test_no_temporary_files_are_left_behind(progress_home):
    ProgressStore.default().record("ex", "Q", "solution")
    assert not list(progress_home.glob(".progress-*"))


def test_progress_frame_lists_every_question_of_the_catalogue(progress_home):
    ProgressStore.default().record(
        "ex00_orientation", "NativeBaseOnX", "check", status="correct"
    )
    frame = progress_frame()
    assert len(frame) == sum(len(catalogue_views(name)) for name in CATALOGUE)
    assert list(frame["exercise"].unique()) == list(CATALOGUE)
    frame = frame[frame["exercise"] == "ex00_orientation"]
    assert frame.set_index("number").loc[3, "status"] == "correct"
    totals = summary(frame)
    assert totals.loc[0, "earned"] == 1 and totals.loc[0, "available"] == 9


def test_written_work_is_kept_for_review_and_never_counted_as_earned(progress_home):
    store = ProgressStore.default()
    store.record(
        "ex00_orientation",
        "ExplainTheRates",
        "check",
        status="submitted",
        needs_review=True,
        answer="Reach counts people once; impressions count every view.",
        found=["reach", "impressions"],
        missing=["followers"],
    )
    # a later experiment that breaks a structural check does not lose the answer
    store.record("ex00_orientation", "ExplainTheRates", "check", status="incorrect")
    entry = store.load()["exercises"]["ex00_orientation"]["ExplainTheRates"]
    assert entry["status"] == "submitted" and entry["last_status"] == "incorrect"
    assert entry["answer"].startswith("Reach counts people once")
    assert entry["rubric"] == {
        "found": ["reach", "impressions"],
        "missing": ["followers"],
    }
    frame = progress_frame("ex00_orientation")
    assert frame.set_index("number").loc[9, "status"] == "submitted"
    totals = summary(frame)
    assert totals.loc[0, "earned"] == 0 and totals.loc[0, "to_review"] == 1
    [answer] = submitted_answers(store)
    assert answer["exercise"] == "ex00_orientation" and answer["missing"] == [
        "followers"
    ]
    assert answer["review"] is None and answer["status"] == "submitted"


def test_a_review_marks_written_work_reviewed_and_earns_its_score(progress_home):
    store = ProgressStore.default()
    store.record(
        "ex00_orientation",
        "ExplainTheRates",
        "check",
        status="submitted",
        answer="text",
        found=[],
        missing=[],
    )
    store.record(
        "ex00_orientation",
        "ExplainTheRates",
        "review",
        scores={"accuracy": "meets", "recommendation": "partly"},
        score=0.5,
        comment="Say which rate for which purpose.",
        reviewer="trainer",
    )
    frame = progress_frame("ex00_orientation")
    row = frame.set_index("number").loc[9]
    assert row["status"] == "reviewed" and row["earned"] == 0.5
    totals = summary(frame)
    assert totals.loc[0, "reviewed"] == 1 and totals.loc[0, "to_review"] == 0
    [answer] = submitted_answers(store)
    assert answer["review"]["comment"].startswith("Say which rate")


def test_a_multipart_question_keeps_its_best_score(progress_home):
    store = ProgressStore.default()
    question = ("ex04_crisis", "SeverityTiers")
    store.record(*question, "check", status="partial", right=3, parts=4)
    store.record(*question, "check", status="partial", right=1, parts=4)
    store.record(*question, "check", status="incorrect", right=0, parts=4)
    frame = progress_frame("ex04_crisis").set_index("number")
    assert frame.loc[2, "status"] == "partial" and frame.loc[2, "earned"] == 0.75
    store.record(*question, "check", status="correct", right=4, parts=4)
    assert progress_frame("ex04_crisis").set_index("number").loc[2, "earned"] == 1


def test_the_shipped_catalogue_index_is_what_the_exercise_modules_bind():
    shipped = INDEX.read_text(encoding="utf-8")
    assert shipped == render_index(), (
        "exercises/catalogue.json is stale: run `smm-playbook student` to rewrite it."
    )
    assert catalogue_index() == json.loads(shipped)
    for name in CATALOGUE:
        assert [q["qid"] for q in catalogue_index()[name]] == [
            view.qid for view in catalogue_views(name)
        ]


def test_the_index_goes_stale_when_a_question_changes_its_points(monkeypatch, tmp_path):
    view = catalogue_views("ex04_crisis")[1]
    monkeypatch.setattr(type(view.question), "points", view.question.points + 1)
    assert render_index() != INDEX.read_text(encoding="utf-8")
    # `smm-playbook student --check` reports it, and `student` rewrites it
    copy = tmp_path / "catalogue.json"
    copy.write_text(INDEX.read_text(encoding="utf-8"), encoding="utf-8")
    empty = tmp_path / "solutions"
    empty.mkdir()
    assert build(empty, tmp_path, check=True, shown=None, catalogue=copy) == [copy]
    assert copy.read_text(encoding="utf-8") == INDEX.read_text(encoding="utf-8")
    assert build(empty, tmp_path, shown=None, catalogue=copy) == [copy]
    [question] = [
        q
        for q in json.loads(copy.read_text("utf-8"))["ex04_crisis"]
        if q["number"] == 2
    ]
    assert question["points"] == view.question.points
    assert build(empty, tmp_path, check=True, shown=None, catalogue=copy) == []


def test_progress_rows_are_the_rows_of_progress_frame(progress_home):
    ProgressStore.default().record(
        "ex04_crisis", "SeverityTiers", "check", status="partial", right=3, parts=4
    )
    rows = progress_rows("ex04_crisis")
    assert rows == progress_frame("ex04_crisis").to_dict("records")
    assert summary_rows(rows) == summary(progress_frame("ex04_crisis")).to_dict(
        "records"
    )
    assert summary_rows(rows)[0]["earned"] == 0.75


def test_an_unknown_exercise_is_named_in_plain_english(progress_home):
    with pytest.raises(UnknownExercise, match="no exercise called 'ex99'"):
        progress_rows("ex99")
