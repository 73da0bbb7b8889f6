"""The progress file: atomic, concurrent-safe, and never silently lost."""

from __future__ import annotations

import json
import multiprocessing

import pytest

from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.report import catalogue_views, progress_frame, summary
from smm_playbook.exercises import CATALOGUE


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
