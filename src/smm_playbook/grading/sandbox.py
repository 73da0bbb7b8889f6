"""Run one submission's code cells in a fenced process and bring back its answers.

This is the grader's side of the fence. Four processes take part, one module each:

- the **grader** (trusted, holds the secret; this module) asks for a run and reads
  raw frames back (`wire`); it never unpickles anything a submission sent, and
  parses every frame as bounded JSON;
- the **fork server** (`fork_server`), a warm interpreter that never held the
  secret, forks one supervisor per job inside a fresh cgroup budget (`budgets`);
- the **supervisor** (`supervisor`) drops root, enters fresh namespaces
  (`isolation`), starts the runner, relays its frames with a size cap and kills
  it at the deadline;
- the **runner** (`runner`), PID 1 of its own namespaces and session, in a new
  root that holds only read-only Python and an empty /tmp, executes the cells.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from smm_playbook.grading import untrusted, wire
from smm_playbook.grading.runner import plain  # noqa: F401 - part of the interface


@dataclass(frozen=True)
class Limits:
    """Resources one submission may use, all its processes together."""

    wall_seconds: float = 20.0
    memory_mb: int = 1024
    output_kb: int = 32
    answers_kb: int = 256
    file_mb: int = 16
    processes: int = 16  # besides the runner itself
    tmp_mb: int = 64


@dataclass(frozen=True)
class Job:
    """What the supervisor needs: the code, the answer names, what to cover."""

    cells: tuple[str, ...]
    names: tuple[str, ...]
    hidden: tuple[str, ...] = ()
    limits: Limits = Limits()
    allowed: tuple[str, ...] = ()  # set by the fork server: its own allow-list


@dataclass
class RunResult:
    """What came back. `ended` is one of ENDINGS."""

    ended: str
    answers: dict[str, Any] = field(default_factory=dict)
    cells_run: int = 0
    errors: list[str] = field(default_factory=list)
    output: str = ""
    detail: str = ""
    seconds: float = 0.0
    garbled_frames: int = 0
    budgets: dict[str, bool] = field(default_factory=dict)


ENDINGS = {
    "finished": "ran every cell",
    "timeout": "went over the time limit",
    "exited": "ended its own process before the last cell",
    "killed": "was killed by the system",
    "over_memory": "went over its memory budget and was stopped",
    "too_large": "produced answers over the size limit",
    "garbled": "wrote data the grader could not read where its answers go",
    "sandbox_failed": "could not be fenced off, so it was not run",
}


class WarmWorker:
    """A fork server: a fresh interpreter with the heavy imports done once.

    It is started with a minimal environment, no open files of the grader and in
    a session of its own, so it never holds the secret and no signal a
    submission sends to "its process group" can reach the grader. Jobs and frames
    are length-prefixed JSON over its stdin and stdout: nothing is pickled.
    """

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-c", _SERVER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=_server_environment(),
                close_fds=True,
                start_new_session=True,
            )
        return self.process

    def run(self, job: Job) -> RunResult:
        """Run `job` in a fresh fenced process; never raises for what the job does."""
        started = time.perf_counter()
        server = self._start()
        payload = json.dumps(asdict(job)).encode()
        try:
            stdin, stdout = server.stdin, server.stdout
            if stdin is None or stdout is None:  # _start opens both as pipes
                raise OSError("the fork server has no pipes")
            stdin.write(wire.FRAME.pack(len(payload)) + payload)
            stdin.flush()
            result = _collect(stdout, job.limits, started)
        except (BrokenPipeError, OSError) as error:
            result = RunResult(
                "sandbox_failed", detail=f"the fork server failed: {error}"
            )
        if result.ended == "server_lost":
            self.close()  # the next job starts a new server
            result.ended = "timeout" if result.detail == "deadline" else "killed"
        if result.budgets.get("memory") and result.ended in ("killed", "exited"):
            result.ended = "over_memory"
            result.detail = f"more than {job.limits.memory_mb} MB in all"
        elif result.budgets.get("processes"):
            note = f"tried to run more than {job.limits.processes} extra processes"
            result.detail = f"{result.detail}; {note}" if result.detail else note
        result.seconds = time.perf_counter() - started
        return result

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


_SERVER = "from smm_playbook.grading.fork_server import serve; serve()"


def _server_environment() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": "/nonexistent",
        # one thread each: forks stay cheap and the runner stays single-threaded
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def job_from_json(data: bytes, allowed: tuple[str, ...]) -> Job:
    """The fork server's reading of a job (the grader wrote it: trusted shape)."""
    raw = json.loads(data)
    return Job(
        cells=tuple(raw["cells"]),
        names=tuple(raw["names"]),
        hidden=tuple(raw["hidden"]),
        limits=Limits(**raw["limits"]),
        allowed=allowed,
    )


def _collect(stream: IO[bytes], limits: Limits, started: float) -> RunResult:
    """Read frames until the server says the job is over."""
    result = RunResult(ended="killed", detail="the supervisor stopped unexpectedly")
    output: list[str] = []
    deadline = started + limits.wall_seconds + 15  # the supervisor times out first
    reader = wire.FrameReader(stream.fileno())
    while True:
        frame = reader.next(deadline)
        if frame is None:
            result.ended, result.detail = "server_lost", "deadline"
            break
        if frame == b"":
            result.ended, result.detail = "server_lost", "the fork server exited"
            break
        kind, payload = frame[:1], frame[1:]
        if kind == b"F":
            _apply_frame(result, payload, output, limits)
        elif kind in (b"E", b"B"):
            _apply_report(result, kind, payload)
        elif kind == b"Z":
            break
    result.output = "".join(output)[: limits.output_kb * 1024]
    return result


def _apply_report(result: RunResult, kind: bytes, payload: bytes) -> None:
    """The supervisor's ending (`E`) or the fork server's budgets (`B`)."""
    try:
        report = wire.loads(payload)
        if not isinstance(report, dict):
            raise wire.BadPayload("not an object")
    except wire.BadPayload:
        result.garbled_frames += 1
        return
    if kind == b"B":
        result.budgets = {str(k): bool(v) for k, v in report.items()}
    elif report.get("ended") in ENDINGS or report.get("ended") == "server_lost":
        result.ended = report["ended"]
        result.detail = untrusted.clean(report.get("detail", ""), 300)


def _apply_frame(result: RunResult, payload: bytes, output: list, limits) -> None:
    """Fold one runner frame into the result; a malformed frame is counted, not used."""
    try:
        frame = wire.loads(payload)
        answers = frame["answers"]
        cells_run = int(frame["cells_run"])
        error = frame.get("error")
        text = frame.get("output", "")
        if not isinstance(answers, dict) or not isinstance(text, str):
            raise ValueError("wrong shape")
    except (ValueError, KeyError, TypeError, OverflowError):
        result.garbled_frames += 1  # kept answers stay those of the last good frame
        return
    result.answers = {
        untrusted.clean(k, 200): untrusted.clean_json(v) for k, v in answers.items()
    }
    result.cells_run = cells_run
    if isinstance(error, str) and len(result.errors) < 50:
        result.errors.append(untrusted.clean(error, 200))
    if sum(map(len, output)) < limits.output_kb * 1024:
        output.append(untrusted.clean(text, limits.output_kb * 1024))
