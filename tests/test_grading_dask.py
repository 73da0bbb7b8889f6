"""Grading on a Dask cluster: same results as local grading, same fence per run."""

from __future__ import annotations

import pytest

from grading_helpers import EXAM, ExamSite, add_cell
from smm_playbook.grading import grader
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.grader import GradingError, grade_folder
from smm_playbook.grading.sandbox import Limits

LIMITS = Limits(wall_seconds=5)


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


@pytest.fixture(scope="module")
def site():
    exam_site = ExamSite()
    for i in range(6):
        learner = f"d{i}"
        exam_site.hand_in(
            learner,
            exam_site.solved(learner, **({"cpa": "cpa = 2.0"} if i % 2 else {})),
        )
    spy = f"er_reach_pct = open({str(exam_site.secret_path)!r}).read()"
    exam_site.hand_in("spy", exam_site.solved("spy", er_reach_pct=spy))
    exam_site.hand_in(
        "loop", add_cell(exam_site.solved("loop"), "while True:\n    pass")
    )
    yield exam_site
    exam_site.cleanup()


def _grade(site, gradebook_path, **options):
    book = Gradebook(gradebook_path)
    try:
        summary = grade_folder(
            site.submissions,
            EXAM,
            site.key,
            book,
            secret_path=site.secret_path,
            limits=LIMITS,
            **options,
        )
        return {r.learner_id: r for r in summary.graded}
    finally:
        book.close()


def test_dask_grades_like_local(site, cluster, tmp_path):
    local = _grade(site, tmp_path / "local.db", workers=2)
    remote = _grade(site, tmp_path / "dask.db", scheduler=cluster)
    assert sorted(remote) == sorted(local)
    for learner, record in local.items():
        other = remote[learner]
        assert (other.score, other.status, other.run_ended) == (
            record.score,
            record.status,
            record.run_ended,
        ), learner
        assert [p.feedback for p in other.parts] == [p.feedback for p in record.parts]


def test_dask_runs_keep_the_fence(site, cluster, tmp_path):
    graded = _grade(site, tmp_path / "fence.db", scheduler=cluster)
    spied = {p.part: p for p in graded["spy"].parts}
    assert spied["er_reach_pct"].points == 0
    assert site.key.hex() not in spied["er_reach_pct"].feedback
    assert graded["loop"].run_ended == "timeout"
    assert graded["loop"].score == graded["loop"].max_score


def test_no_scheduler_is_a_clear_error(site, tmp_path, monkeypatch):
    monkeypatch.setattr(grader, "DASK_CONNECT_TIMEOUT", "2s")
    with pytest.raises(GradingError, match="No Dask scheduler"):
        _grade(site, tmp_path / "none.db", scheduler="tcp://127.0.0.1:9")
