"""The supervisor: forked for one job, it fences the runner and times it.

It leaves the fork server's session, enters its budget's cgroup and new user,
network and PID namespaces (mapped to `nobody` where the grader is root), and forks the
runner, which becomes PID 1 there. It then relays the runner's frames with a
size cap, kills the runner at the deadline (killing PID 1 of a PID namespace
kills everything in it) and reports how the run ended. It never runs learner
code and stays outside the runner's PID namespace, so the runner cannot name it.
"""

from __future__ import annotations

import os
import signal
import time

from smm_playbook.grading import isolation, wire
from smm_playbook.grading.budgets import Budget


def supervise(
    job: wire.FencedJob,
    frames: int,
    budget: Budget | None,
    as_nobody: bool,
    ready: int,
    go: int,
) -> None:
    """Runs in a fork of the server; always ends by writing an `E` frame.

    `ready` and `go` are the pipe ends through which, as root, the fork server
    writes this process's namespace maps (see `isolation.enter_namespaces`).
    """
    try:
        os.setsid()
        if budget is not None:
            budget.enter()
        isolation.enter_namespaces(as_nobody, ready, go)
    except (isolation.IsolationError, OSError) as error:
        _end(frames, "sandbox_failed", str(error))
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the runner
        os.close(read_end)
        os.close(frames)
        from smm_playbook.grading import runner

        runner.run(job, write_end, as_nobody)  # never returns
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


def _relay(read_end: int, frames: int, limits) -> tuple[str, str]:
    deadline = time.perf_counter() + limits.wall_seconds
    cap = limits.answers_kb * 1024 + limits.output_kb * 1024
    reader = wire.FrameReader(read_end, limit=cap)
    while True:
        try:
            frame = reader.next(deadline)
        except wire.FrameTooLarge as error:
            return "too_large", f"answers of {error.args[0]:,} bytes (limit {cap:,})"
        if frame is None:
            return "timeout", f"stopped after {limits.wall_seconds:g} s"
        if frame == b"":
            return ("eof", "") if not reader.buffer else ("garbled", "a cut-off frame")
        if frame == b"DONE":
            return "finished", ""
        wire.write_frame(frames, b"F" + frame)


def _how_it_ended(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return "killed", f"signal {name}"
    return "exited", f"exit code {os.WEXITSTATUS(status)}"


def _end(frames: int, ended: str, detail: str) -> None:
    wire.write_frame(frames, b"E" + wire.dumps({"ended": ended, "detail": detail}))
