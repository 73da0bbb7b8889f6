"""Run one submission's code cells in a fenced process and bring back its answers.

Three processes take part:

- the **grader** (trusted, holds the secret) asks for a run and reads raw bytes
  back; it never unpickles anything that came from a submission;
- the **supervisor**, forked from a warm fork server that never held the
  secret, enters fresh namespaces (see `isolation`), starts the runner, relays
  its frames with a size cap and kills it at the deadline;
- the **runner**, PID 1 of its own namespace, locks itself down, executes the
  cells, and after each cell writes the learner's answer variables as JSON.

Answers sent after every cell mean that a notebook which hangs, exits or blows
its memory in cell 9 still has the answers of cells 1 to 8 graded.
"""

from __future__ import annotations

import importlib
import json
import math
import numbers
import os
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from smm_playbook.grading import isolation

# Imported once by the fork server, so each submission starts warm.
PRELOAD = [
    "numpy",
    "pandas",
    "scipy.stats",
    "smm_playbook.kpis",
    "io",
    "math",
    "statistics",
    "json",
    "re",
    "collections",
    "datetime",
]

MAX_TEXT = 5_000  # characters kept of a text answer
MAX_ITEMS = 50  # items kept of a list answer
_FRAME = struct.Struct(">I")


@dataclass(frozen=True)
class Limits:
    """Resources one submission may use."""

    wall_seconds: float = 20.0
    memory_mb: int = 1024
    output_kb: int = 32
    answers_kb: int = 256
    file_mb: int = 16


@dataclass(frozen=True)
class Job:
    """What the supervisor needs: the code, the answer names, what to hide."""

    cells: tuple[str, ...]
    names: tuple[str, ...]
    hidden: tuple[str, ...] = ()
    limits: Limits = Limits()


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


ENDINGS = {
    "finished": "ran every cell",
    "timeout": "went over the time limit",
    "exited": "ended its own process before the last cell",
    "killed": "was killed by the system (often: over the memory limit)",
    "too_large": "produced answers over the size limit",
    "garbled": "wrote data the grader could not read where its answers go",
    "sandbox_failed": "could not be fenced off, so it was not run",
}


# --------------------------------------------------------------------- grader


class WarmWorker:
    """A fork server: a fresh interpreter with the heavy imports done once.

    It is started with a minimal environment and no open files of the grader, so
    it never holds the secret; each job forks a supervisor from it. Jobs and
    frames are length-prefixed JSON over its stdin and stdout: nothing is pickled.
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
            )
        return self.process

    def run(self, job: Job) -> RunResult:
        """Run `job` in a fresh fenced process; never raises for what the job does."""
        started = time.perf_counter()
        server = self._start()
        payload = json.dumps(asdict(job)).encode()
        try:
            server.stdin.write(_FRAME.pack(len(payload)) + payload)
            server.stdin.flush()
            result = _collect(server.stdout, job.limits, started)
        except (BrokenPipeError, OSError) as error:
            result = RunResult(
                "sandbox_failed", detail=f"the fork server failed: {error}"
            )
        if result.ended == "server_lost":
            self.close()  # the next job starts a new server
            result.ended = "timeout" if result.detail == "deadline" else "killed"
        result.seconds = time.perf_counter() - started
        return result

    def close(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


_SERVER = "from smm_playbook.grading.sandbox import serve; serve()"


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


def _collect(stream, limits: Limits, started: float) -> RunResult:
    """Read frames until the server says the job is over."""
    result = RunResult(ended="killed", detail="the supervisor stopped unexpectedly")
    output: list[str] = []
    deadline = started + limits.wall_seconds + 15  # the supervisor times out first
    reader = _FrameReader(stream.fileno())
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
        elif kind == b"E":
            end = json.loads(payload)
            result.ended, result.detail = end["ended"], end.get("detail", "")
        elif kind == b"Z":
            break
    result.output = "".join(output)[: limits.output_kb * 1024]
    return result


class FrameTooLarge(Exception):
    """A frame header announced more bytes than the reader's limit."""


class _FrameReader:
    """Length-prefixed frames from a file descriptor, with a deadline.

    With a `limit`, a header announcing a bigger frame raises FrameTooLarge at
    once, before anything is buffered: a runner cannot make its supervisor hold
    gigabytes by promising a huge frame.
    """

    def __init__(self, fd: int, limit: int | None = None) -> None:
        self.fd = fd
        self.limit = limit
        self.buffer = b""

    def next(self, deadline: float | None) -> bytes | None:
        """A frame, b"" at end of stream, or None when the deadline passes."""
        while True:
            if len(self.buffer) >= _FRAME.size:
                (size,) = _FRAME.unpack_from(self.buffer)
                if self.limit is not None and size > self.limit:
                    raise FrameTooLarge(size)
                if len(self.buffer) >= _FRAME.size + size:
                    frame = self.buffer[_FRAME.size : _FRAME.size + size]
                    self.buffer = self.buffer[_FRAME.size + size :]
                    return frame
            remaining = None if deadline is None else deadline - time.perf_counter()
            if remaining is not None and remaining <= 0:
                return None
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    return b""
                self.buffer += chunk


def _apply_frame(result: RunResult, payload: bytes, output: list, limits) -> None:
    """Fold one runner frame into the result; a malformed frame is counted, not used."""
    try:
        frame = json.loads(payload)
        answers = frame["answers"]
        cells_run = int(frame["cells_run"])
        error = frame.get("error")
        text = frame.get("output", "")
        if not isinstance(answers, dict) or not isinstance(text, str):
            raise ValueError("wrong shape")
    except (ValueError, KeyError, TypeError):
        result.garbled_frames += 1  # kept answers stay those of the last good frame
        return
    result.answers = {str(k): v for k, v in answers.items()}
    result.cells_run = cells_run
    if isinstance(error, str) and len(result.errors) < 50:
        result.errors.append(error[:500])
    if sum(map(len, output)) < limits.output_kb * 1024:
        output.append(text)


# ---------------------------------------------------------------- fork server


def serve() -> None:
    """The fork server's loop: one job at a time, each in a forked supervisor."""
    for module in PRELOAD:
        importlib.import_module(module)
    frames = os.dup(1)
    os.dup2(2, 1)  # a stray print in here must not corrupt the frame stream
    reader = _FrameReader(0)
    while True:
        request = reader.next(None)
        if not request:
            return
        job = _job_from_json(request)
        pid = os.fork()
        if pid == 0:
            try:
                _supervise(job, frames)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        _write_frame(frames, b"Z")


def _job_from_json(data: bytes) -> Job:
    raw = json.loads(data)
    return Job(
        cells=tuple(raw["cells"]),
        names=tuple(raw["names"]),
        hidden=tuple(raw["hidden"]),
        limits=Limits(**raw["limits"]),
    )


def _write_frame(fd: int, data: bytes) -> None:
    message = _FRAME.pack(len(data)) + data
    while message:
        written = os.write(fd, message)
        message = message[written:]


# ----------------------------------------------------------------- supervisor


def _supervise(job: Job, frames: int) -> None:
    """Runs in a fork of the server: fence, start the runner, relay, time it."""
    try:
        isolation.enter_namespaces(job.hidden, isolation.python_paths())
    except isolation.IsolationError as error:
        _end(frames, "sandbox_failed", str(error))
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the runner
        os.close(read_end)
        os.close(frames)
        _runner(job, write_end)  # never returns
    os.close(write_end)
    ended, detail = _relay(read_end, frames, job.limits)
    if ended in ("timeout", "too_large", "garbled"):
        os.kill(pid, signal.SIGKILL)  # PID 1 of the namespace: takes all with it
    status = _reap(pid, grace=1.0)
    if ended == "eof":
        ended, detail = _how_it_ended(status)
    _end(frames, ended, detail)


def _reap(pid: int, grace: float) -> int:
    """Wait for the runner; kill it if it lingers (a notebook can write a forged
    "done" frame and keep running, and the supervisor must not wait on it)."""
    deadline = time.perf_counter() + grace
    while time.perf_counter() < deadline:
        finished, status = os.waitpid(pid, os.WNOHANG)
        if finished:
            return status
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    return os.waitpid(pid, 0)[1]


def _relay(read_end: int, frames: int, limits: Limits) -> tuple[str, str]:
    deadline = time.perf_counter() + limits.wall_seconds
    cap = limits.answers_kb * 1024 + limits.output_kb * 1024
    reader = _FrameReader(read_end, limit=cap)
    while True:
        try:
            frame = reader.next(deadline)
        except FrameTooLarge as error:
            return "too_large", f"answers of {error.args[0]:,} bytes (limit {cap:,})"
        if frame is None:
            return "timeout", f"stopped after {limits.wall_seconds:g} s"
        if frame == b"":
            return ("eof", "") if not reader.buffer else ("garbled", "a cut-off frame")
        if frame == b"DONE":
            return "finished", ""
        _write_frame(frames, b"F" + frame)


def _how_it_ended(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return "killed", f"signal {signal.Signals(number).name}"
    return "exited", f"exit code {os.WEXITSTATUS(status)}"


def _end(frames: int, ended: str, detail: str) -> None:
    _write_frame(frames, b"E" + json.dumps({"ended": ended, "detail": detail}).encode())


# --------------------------------------------------------------------- runner


def _runner(job: Job, write_end: int) -> None:
    """PID 1 of the submission's namespace. Ends with os._exit, always."""
    try:
        _prepare(job, write_end)
    except BaseException as error:  # fence incomplete: run nothing
        _send(write_end, {"answers": {}, "cells_run": 0, "error": f"fence: {error}"})
        os._exit(70)
    capture = _CappedText(job.limits.output_kb * 1024)
    sys.stdout = sys.stderr = capture
    namespace: dict[str, Any] = {"__name__": "__main__", "display": capture.display}
    for number, source in enumerate(job.cells, start=1):
        error = _execute(source, number, namespace)
        frame = {
            "answers": _answers(namespace, job.names),
            "cells_run": number,
            "error": error,
            "output": capture.take(),
        }
        _send(write_end, frame)
    _write_frame(write_end, b"DONE")
    os._exit(0)


def _prepare(job: Job, write_end: int) -> None:
    limits = job.limits
    isolation.lock_down(
        memory_bytes=limits.memory_mb * 1024 * 1024,
        cpu_seconds=math.ceil(limits.wall_seconds) + 1,
        file_bytes=limits.file_mb * 1024 * 1024,
    )
    os.makedirs("/tmp/work", exist_ok=True)
    os.chdir("/tmp/work")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, write_end)
    os.closerange(write_end + 1, 1024)
    os.environ.clear()
    os.environ.update({"HOME": "/tmp/work", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    sys.argv = ["submission"]


def _execute(source: str, number: int, namespace: dict) -> str | None:
    """Run one cell; any exception, SystemExit included, is a message, not an end."""
    try:
        code = compile(source, f"<cell {number}>", "exec")
        exec(code, namespace)
    except BaseException as error:  # noqa: BLE001 - the learner's code can raise anything
        try:
            return f"cell {number}: {type(error).__name__}: {error}"[:500]
        except BaseException:
            return f"cell {number}: an exception that could not be described"
    return None


def _send(write_end: int, frame: dict) -> None:
    _write_frame(write_end, json.dumps(frame, allow_nan=False).encode())


def _answers(namespace: dict, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(namespace[name]) for name in names if name in namespace}


def plain(value: Any) -> Any:
    """A JSON-safe copy of an answer, or a marker saying why there is none.

    Markers are dicts with one key: "placeholder", "unreadable" or "too_long".
    Runs in the runner, so a learner object's odd `__float__` only hurts itself.
    """
    try:
        if _is_placeholder(value):
            return {"placeholder": True}
        if isinstance(value, bool):
            return value
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            number = float(value)
            return number if math.isfinite(number) else {"unreadable": repr(number)}
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                return {"too_long": f"text of {len(value):,} characters"}
            return str(value)
        if isinstance(value, list | tuple | set | frozenset):
            items = list(value)
            if len(items) > MAX_ITEMS:
                return {"too_long": f"a collection of {len(items):,} items"}
            return [plain(item) for item in items]
        if hasattr(value, "item") and getattr(value, "size", 0) == 1:
            return plain(value.item())  # a one-element numpy array or Series
        return {"unreadable": f"a {type(value).__name__}"}
    except BaseException:  # noqa: BLE001
        return {"unreadable": "a value that raised an error when read"}


def _is_placeholder(value: Any) -> bool:
    return type(value).__name__ == "_Placeholder" and repr(value) == "____"


class _CappedText:
    """Stands in for stdout/stderr: keeps the first bytes, drops the flood."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept = 0
        self.pending: list[str] = []

    def write(self, text: Any) -> int:
        text = str(text)
        room = self.limit - self.kept
        if room > 0:
            piece = text[:room]
            self.pending.append(piece)
            self.kept += len(piece)
        return len(text)

    def display(self, *values: Any) -> None:
        for value in values:
            self.write(f"{value!r}\n")

    def take(self) -> str:
        text = "".join(self.pending)
        self.pending.clear()
        return text

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
