"""The wire between the grader, the fork server, the supervisor and the runner.

Every message is a frame: a 4-byte big-endian length, then that many bytes. The
first byte of a frame the fork server sends says what it is (`F` a runner's
answers, `E` how the run ended, `B` which budgets it hit, `Z` the job is over).
Payloads are JSON, parsed with `loads`, which refuses what could crash or
mislead the reader instead of raising something unexpected: nesting deeper than
`MAX_DEPTH`, integers longer than `MAX_DIGITS`, NaN and infinities. Nothing on
the wire is ever pickled.
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any, Protocol

FRAME = struct.Struct(">I")
MAX_DEPTH = 32
MAX_DIGITS = 40


class FrameTooLarge(Exception):
    """A frame header announced more bytes than the reader's limit."""


class BadPayload(ValueError):
    """A payload that is not the plain, bounded JSON the wire carries."""


class FrameReader:
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
            if len(self.buffer) >= FRAME.size:
                (size,) = FRAME.unpack_from(self.buffer)
                if self.limit is not None and size > self.limit:
                    raise FrameTooLarge(size)
                if len(self.buffer) >= FRAME.size + size:
                    frame = self.buffer[FRAME.size : FRAME.size + size]
                    self.buffer = self.buffer[FRAME.size + size :]
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


def write_frame(fd: int, data: bytes) -> None:
    message = FRAME.pack(len(data)) + data
    while message:
        written = os.write(fd, message)
        message = message[written:]


def dumps(value: Any) -> bytes:
    return json.dumps(value, allow_nan=False).encode()


def loads(data: bytes | str) -> Any:
    """Parse bounded JSON; anything else raises BadPayload (and only that)."""
    try:
        value = json.loads(data, parse_int=_bounded_int, parse_constant=_no_constant)
    except BadPayload:
        raise
    except (ValueError, TypeError, RecursionError, UnicodeDecodeError) as error:
        raise BadPayload(f"not plain JSON: {type(error).__name__}") from None
    if depth(value) > MAX_DEPTH:
        raise BadPayload(f"nested more than {MAX_DEPTH} levels deep")
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest (0 for a plain value), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level) for child in children)
    return deepest


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise BadPayload(f"an integer of {len(text):,} digits")
    return int(text)


def _no_constant(name: str) -> Any:
    raise BadPayload(f"{name} is not a number the grader accepts")


class Limits(Protocol):
    """The limits a fenced run reads (`sandbox.Limits` has them)."""

    @property
    def wall_seconds(self) -> float: ...
    @property
    def memory_mb(self) -> int: ...
    @property
    def output_kb(self) -> int: ...
    @property
    def answers_kb(self) -> int: ...
    @property
    def file_mb(self) -> int: ...
    @property
    def processes(self) -> int: ...
    @property
    def tmp_mb(self) -> int: ...


class FencedJob(Protocol):
    """What the fenced side reads of a job (`sandbox.Job` is one); named here so
    that the runner and supervisor need not import the grader's side."""

    @property
    def cells(self) -> tuple[str, ...]: ...
    @property
    def names(self) -> tuple[str, ...]: ...
    @property
    def hidden(self) -> tuple[str, ...]: ...
    @property
    def allowed(self) -> tuple[str, ...]: ...
    @property
    def limits(self) -> Limits: ...
