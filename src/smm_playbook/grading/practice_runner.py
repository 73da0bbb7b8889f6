"""Running a learner's own practice notebook: a plain subprocess with a time limit.

The practice exam's secret is public and learners grade their own work, so there
is nothing to fence: `PlainWorker` has the interface of `sandbox.WarmWorker` but
runs the cells in a fresh `python -I` child with no namespaces, which works on
Linux, macOS and Windows alike. The child sends its answers after every cell
(the same frames as the fenced runner), so a notebook that hangs in cell 9 still
has cells 1 to 8 marked. Certification papers are never graded this way.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import asdict
from typing import Any

from smm_playbook.grading import runner, wire
from smm_playbook.grading.sandbox import Job, Limits, RunResult, _apply_frame


class PlainWorker:
    """`run(job)` in a plain child process; never raises for what the job does."""

    def run(self, job: Job) -> RunResult:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-I", "-c", _CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        ended, detail = "finished", ""
        try:
            out, _ = child.communicate(
                json.dumps(asdict(job)).encode(), timeout=job.limits.wall_seconds
            )
        except subprocess.TimeoutExpired:
            child.kill()
            out, _ = child.communicate()
            ended, detail = "timeout", f"stopped after {job.limits.wall_seconds:g} s"
        result = RunResult(ended)
        output: list[str] = []
        done = _fold(out, result, output, job.limits)
        if ended == "finished" and not done:
            code = child.returncode
            ended, detail = (
                ("exited", f"exit code {code}")
                if code >= 0
                else (
                    "killed",
                    f"signal {-code}",
                )
            )
        result.ended, result.detail = ended, detail
        result.output = "".join(output)
        result.seconds = time.perf_counter() - started
        return result

    def close(self) -> None:
        pass


def _fold(data: bytes, result: RunResult, output: list, limits: Limits) -> bool:
    """Apply every complete frame in `data`; True if the child said it was done."""
    position = 0
    while position + wire.FRAME.size <= len(data):
        (size,) = wire.FRAME.unpack_from(data, position)
        start = position + wire.FRAME.size
        frame = data[start : start + size]
        if len(frame) < size:
            result.garbled_frames += 1
            return False
        position = start + size
        if frame == b"DONE":
            return True
        _apply_frame(result, frame, output, limits)
    return False


_CHILD = "from smm_playbook.grading.practice_runner import child; child()"


def child() -> None:
    """In the child: read the job, run the cells, write frames to stdout."""
    raw: dict[str, Any] = json.loads(sys.stdin.buffer.read())
    limits = Limits(**raw["limits"])
    frames = sys.stdout.buffer
    capture = runner._CappedText(limits.output_kb * 1024)
    sys.stdout = sys.stderr = capture
    namespace: dict[str, Any] = {"__name__": "__main__", "display": capture.display}
    names = tuple(raw["names"])
    for number, source in enumerate(raw["cells"], start=1):
        error = runner._execute(source, number, namespace)
        frame = {
            "answers": runner._answers(namespace, names),
            "cells_run": number,
            "error": error,
            "output": capture.take(),
        }
        data = wire.dumps(frame)
        frames.write(wire.FRAME.pack(len(data)) + data)
        frames.flush()
    frames.write(wire.FRAME.pack(4) + b"DONE")
    frames.flush()
