"""The runner: PID 1 of a submission's namespaces, the only place learner code runs.

It makes its own session (so no signal it sends to "its group" reaches anyone
else), builds its new root from the allow-list (`isolation.enter_new_root`),
locks itself down, then executes the cells one by one. After every cell it
writes the learner's answer variables as plain JSON to its supervisor, so a
notebook that hangs, exits or blows its memory in cell 9 still has the answers
of cells 1 to 8 graded. It ends with `os._exit`, always.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from typing import Any

from smm_playbook.grading import isolation, wire

MAX_TEXT = 5_000  # characters kept of a text answer
MAX_ITEMS = 50  # items kept of a list answer
MAX_ERROR = 160  # characters kept of an exception's message


def run(job: wire.FencedJob, write_end: int, as_nobody: bool) -> None:
    """Never returns."""
    try:
        _prepare(job, write_end, as_nobody)
    except BaseException as error:  # fence incomplete: run nothing
        _send(write_end, {"answers": {}, "cells_run": 0, "error": f"fence: {error}"})
        os._exit(70)
    capture = _CappedText(job.limits.output_kb * 1024)
    sys.stdout = sys.stderr = capture
    namespace: dict[str, Any] = {"__name__": "__main__", "display": capture.display}
    for number, source in enumerate(job.cells, start=1):
        failure = _execute(source, number, namespace)
        frame = {
            "answers": _answers(namespace, job.names),
            "cells_run": number,
            "error": failure,
            "output": capture.take(),
        }
        _send(write_end, frame)
    wire.write_frame(write_end, b"DONE")
    os._exit(0)


def _prepare(job, write_end: int, as_nobody: bool) -> None:
    os.setsid()  # its own session and process group: kill(0) stays inside
    limits = job.limits
    isolation.enter_new_root(job.allowed, job.hidden, limits.tmp_mb, as_nobody)
    isolation.lock_down(
        memory_bytes=limits.memory_mb * 1024 * 1024,
        cpu_seconds=math.ceil(limits.wall_seconds) + 1,
        file_bytes=limits.file_mb * 1024 * 1024,
        processes=limits.processes + 2,  # the supervisor and the runner count
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
    """Run one cell; any exception, SystemExit included, is a message, not an end.

    The message keeps the exception's type and a short start of its text: enough
    to say what went wrong, too little to carry a file out in the feedback.
    """
    try:
        code = compile(source, f"<cell {number}>", "exec")
        exec(code, namespace)
    except BaseException as error:  # noqa: BLE001 - the learner's code can raise anything
        try:
            text = str(error)
            if len(text) > MAX_ERROR:
                text = text[: MAX_ERROR - 1] + "…"
            return f"cell {number}: {type(error).__name__}: {text}"
        except BaseException:  # noqa: BLE001
            return f"cell {number}: an exception that could not be described"
    return None


def _send(write_end: int, frame: dict) -> None:
    try:
        data = wire.dumps(frame)
    except (ValueError, TypeError, RecursionError):
        data = wire.dumps({**frame, "answers": {}, "error": "answers unreadable"})
    wire.write_frame(write_end, data)


def _answers(namespace: dict, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(namespace[name]) for name in names if name in namespace}


def plain(value: Any, depth: int = 0) -> Any:
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
            if depth >= 4:
                return {"unreadable": "a collection nested too deeply"}
            items = list(value)
            if len(items) > MAX_ITEMS:
                return {"too_long": f"a collection of {len(items):,} items"}
            return [plain(item, depth + 1) for item in items]
        if hasattr(value, "item") and getattr(value, "size", 0) == 1:
            return plain(value.item(), depth + 1)  # a one-element array or Series
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
