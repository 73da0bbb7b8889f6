"""Grading a folder of submissions: read, run fenced, score, record.

The grader is the only process that holds the secret. It reads each file,
checks the paper code, rebuilds the learner's paper, sends only the code cells
and the answer names to a warm worker, scores the answers that come back and
writes the result to the gradebook in one transaction. Submissions already in
the gradebook (same learner, exam, version and file hash) are skipped, which is
what makes a re-run after a crash grade every submission exactly once.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from smm_playbook.grading import bank, isolation, policies, scoring, untrusted
from smm_playbook.grading.exam import ExamDefinition, max_points, paper_for
from smm_playbook.grading.gradebook import Gradebook, Record
from smm_playbook.grading.sandbox import ENDINGS, Job, Limits, RunResult, WarmWorker
from smm_playbook.grading.submissions import (
    Submission,
    claimed_learner,
    discover,
    read,
)

if TYPE_CHECKING:
    from smm_playbook.grading.secret import Keys


class GradingError(RuntimeError):
    """Grading cannot start (or must stop) for everyone, e.g. no sandbox."""


@dataclass(frozen=True)
class Summary:
    graded: list[Record]
    skipped: int  # already in the gradebook
    ignored: list[Path]  # files that are not notebooks
    folder: Path | None = None  # the hand-in folder (for saying why files were ignored)


Progress = Callable[[int, int, Record | None], None]
DEFAULT_LIMITS = Limits()
DASK_CONNECT_TIMEOUT = "20s"


class Pool(Protocol):
    """What grading needs of a pool: run one job, and close."""

    def run(self, job: Job) -> RunResult: ...

    def close(self) -> None: ...


class WorkerPool:
    """Warm workers, one per thread; each runs one submission at a time."""

    def __init__(self, size: int) -> None:
        self.idle: queue.Queue[WarmWorker] = queue.Queue()
        for _ in range(size):
            self.idle.put(WarmWorker())
        self.size = size

    def run(self, job: Job) -> RunResult:
        worker = self.idle.get()
        try:
            return worker.run(job)
        finally:
            self.idle.put(worker)

    def close(self) -> None:
        while not self.idle.empty():
            self.idle.get().close()


class DaskPool:
    """The same `run` as WorkerPool, on the machines of a Dask cluster.

    Each Dask worker process keeps its own warm fork server (see `run_remote`),
    so every submission still runs in its own fenced process on the worker's
    machine. Only the job (cells, answer names, limits) travels; the secret and
    the expected answers never leave the grader.
    """

    def __init__(self, address: str) -> None:
        from distributed import Client

        try:
            self.client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
        except OSError as error:
            raise GradingError(f"No Dask scheduler at {address}: {error}") from None
        workers = self.client.scheduler_info()["workers"].values()
        self.size = sum(w.get("nthreads", 1) for w in workers) or 1

    def run(self, job: Job) -> RunResult:
        # pure=False: two identical notebooks are two runs, not one cached result
        raw = self.client.submit(run_remote, job, pure=False).result()
        return RunResult(**raw)

    def close(self) -> None:
        self.client.close()


_local = threading.local()


def run_remote(job: Job) -> dict:
    """Runs on a Dask worker: one warm fork server per worker thread."""
    if not hasattr(_local, "worker"):
        _local.worker = WarmWorker()
    return asdict(_local.worker.run(job))


def check_isolation(pool: Pool, hidden: tuple[str, ...]) -> None:
    """Refuse to grade at all where the sandbox cannot be built."""
    result = pool.run(Job(("answer = 1",), ("answer",), hidden, Limits(10)))
    if result.ended != "finished" or result.answers.get("answer") != 1:
        raise GradingError(
            "The sandbox could not be set up, so no submission was run: "
            f"{result.detail or ENDINGS.get(result.ended, result.ended)}. Grading "
            "needs Linux with unprivileged user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1) or root."
        )


def grade_folder(
    folder: Path,
    exam: ExamDefinition,
    key: bytes | Keys,
    gradebook: Gradebook,
    *,
    secret_path: Path | None = None,
    workers: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Progress | None = None,
    scheduler: str | None = None,
) -> Summary:
    """Grade every new submission in `folder`; `scheduler` sends the runs to Dask."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise GradingError(f"{folder} is not a folder of submissions.")
    try:  # no bank, no grading: say so once rather than fail every submission
        bank.load(exam.bank)
    except bank.BankMissing as error:
        raise GradingError(str(error)) from None
    isolation.protect_grader()
    hidden = (
        tuple(str(p) for p in (folder, secret_path) if p is not None) + gradebook.files
    )
    hidden = tuple(str(Path(p).resolve()) for p in hidden)
    notebooks, ignored = discover(folder)
    done = gradebook.graded_keys(exam.exam_id, exam.version)
    pending = [_read_safely(path, folder, exam, key) for path in notebooks]
    fresh = [s for s in pending if (s.learner_id, s.sha256) not in done]
    skipped = len(pending) - len(fresh)
    pool: WorkerPool | DaskPool = (
        DaskPool(scheduler) if scheduler else WorkerPool(workers or os.cpu_count() or 1)
    )
    lock = threading.Lock()
    graded: list[Record] = []
    try:
        if any(s.status == "ready" for s in fresh):
            check_isolation(pool, hidden)
        if progress:
            progress(0, len(fresh), None)

        def grade_one(submission: Submission) -> None:
            record = _grade_safely(submission, exam, key, pool, hidden, limits)
            if record.run_ended == "sandbox_failed":
                raise GradingError(record.message)
            record = with_hand_in(record, submission.path, exam, gradebook)
            stored = gradebook.record(record)
            with lock:
                if stored:
                    graded.append(record)
                if progress:
                    progress(len(graded), len(fresh), record)

        with ThreadPoolExecutor(max_workers=pool.size) as executor:
            for future in [executor.submit(grade_one, s) for s in fresh]:
                future.result()
    finally:
        pool.close()
    return Summary(graded, skipped, ignored, folder)


def with_hand_in(
    record: Record, path: Path, exam: ExamDefinition, gradebook: Gradebook
) -> Record:
    """`record` with its hand-in time (the file's modification time, UTC) and
    how many minutes it came in past the time its issue allowed plus grace."""
    try:
        handed_in = datetime.fromtimestamp(Path(path).stat().st_mtime, UTC)
    except OSError:
        return record
    issued = [
        i
        for i in gradebook.issues(record.learner_id, exam.exam_id, exam.version)
        if i.attempt == record.attempt
    ]
    late = policies.late_minutes(
        issued[0] if issued else None, handed_in, exam.grace_minutes
    )
    return replace(
        record,
        handed_in_at=handed_in.isoformat(timespec="seconds"),
        late_minutes=late,
    )


def _read_safely(
    path: Path,
    folder: Path,
    exam: ExamDefinition,
    key: bytes | Keys,
    learner_id: str | None = None,
) -> Submission:
    """`read`, with any failure it did not foresee turned into a status."""
    try:
        return read(path, folder, exam, key, learner_id)
    except Exception as error:  # noqa: BLE001 - one odd file must not stop the rest
        learner = untrusted.clean(learner_id or path.stem, 100)
        return Submission(
            path,
            learner,
            "",
            "unreadable",
            f"The file could not be read ({type(error).__name__}).",
        )


def _grade_safely(submission, exam, key, pool, hidden, limits) -> Record:
    """`_grade`; an unforeseen failure becomes an "error" record, not a crash.

    A failure of the fence itself still stops grading (`sandbox_failed`).
    """
    try:
        return _grade(submission, exam, key, pool, hidden, limits)
    except Exception as error:  # noqa: BLE001
        failed = Submission(
            submission.path,
            submission.learner_id,
            submission.sha256,
            "error",
            f"The grader could not mark this file ({type(error).__name__}); "
            "nothing of it was recorded as answers. Re-run after fixing the cause.",
        )
        return _grade(failed, exam, key, pool, hidden, limits)


def grade_file(
    path: Path,
    exam: ExamDefinition,
    key: bytes | Keys,
    limits: Limits = DEFAULT_LIMITS,
    *,
    fenced: bool = True,
) -> Record:
    """Grade one notebook on its own, without a gradebook (the practice exam).

    The learner is the one the paper names, so a renamed file still grades.
    `fenced=False` runs it in a plain subprocess with a time limit (a learner
    grading their own practice paper, on any operating system).
    """
    path = Path(path).resolve()
    submission = _read_safely(path, path.parent, exam, key, claimed_learner(path))
    pool: Pool
    if not fenced:
        from smm_playbook.grading.practice_runner import PlainWorker

        pool = PlainWorker()
    else:
        pool = WorkerPool(1)
    try:
        return _grade_safely(submission, exam, key, pool, (), limits)
    finally:
        pool.close()


def _grade(
    submission: Submission,
    exam: ExamDefinition,
    key: bytes | Keys,
    pool: Pool,
    hidden: tuple[str, ...],
    limits: Limits,
) -> Record:
    # The record of a file that did not run; a graded one replaces the outcome.
    unrun = Record(
        learner_id=untrusted.clean(submission.learner_id, 100),
        exam_id=exam.exam_id,
        exam_version=exam.version,
        sha256=submission.sha256,
        name=untrusted.clean(submission.name, 200),
        attempt=submission.attempt,
        file=untrusted.clean(Path(submission.path), 1000),
        form=submission.form,
        status=submission.status,
        run_ended="",
        message=untrusted.clean(submission.message, 1000),
        score=0.0,
        max_score=float(max_points(exam)),
        passed=False,
        seconds=0.0,
    )
    if submission.status != "ready":
        return unrun
    paper = paper_for(
        exam, key, submission.learner_id, submission.attempt, form=submission.form
    )
    result = pool.run(Job(submission.cells, paper.answer_names, hidden, limits))
    parts = tuple(scoring.score(paper, result.answers))
    total = float(sum(p.points for p in parts))
    percent = 100 * total / paper.max_points
    # A written answer waits for a trainer's marks; until then there is no result.
    waiting = any(p.outcome == "awaiting_review" for p in parts)
    return replace(
        unrun,
        status="awaiting_marks" if waiting else "graded",
        run_ended=result.ended,
        message=untrusted.clean(run_message(result), 1000),
        score=total,
        max_score=float(paper.max_points),
        passed=not waiting and percent >= exam.pass_percent,
        seconds=round(result.seconds, 4),
        parts=parts,
    )


def run_message(result: RunResult) -> str:
    """What happened when the notebook ran, in words a trainer can pass on."""
    pieces = []
    if result.ended != "finished":
        what = ENDINGS.get(result.ended, result.ended)
        detail = f" ({result.detail})" if result.detail else ""
        pieces.append(
            f"The notebook {what}{detail}; answers set in the {result.cells_run} "
            "cell(s) that completed were marked."
        )
    if result.errors:
        shown = "; ".join(result.errors[:3])
        more = f" and {len(result.errors) - 3} more" if len(result.errors) > 3 else ""
        pieces.append(f"Errors: {shown}{more}.")
    if result.garbled_frames:
        pieces.append(
            f"{result.garbled_frames} message(s) from the notebook's process were "
            "not in the grader's format and were ignored."
        )
    return " ".join(pieces) or "Ran cleanly."
