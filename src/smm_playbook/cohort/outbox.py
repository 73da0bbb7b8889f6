"""Check outcomes on their way to the cohort store, never in a learner's way.

Under a hub (JupyterHub sets JUPYTERHUB_USER), or when a learner opts in with
SMM_PLAYBOOK_COHORT=1, every check outcome, hint and solution view is appended
to a queue file beside the progress file (one JSON line per event, with a UUID),
and a background thread then sends the queue to the store. `check()` only ever
appends a line: a store that is down, slow or refusing costs the learner
nothing, and the events wait in the queue for the next send.

Nothing is lost or doubled: an event leaves the queue only after the store has
committed it, and the store ignores an event id it already has, so an event sent
twice (a crash between committing and forgetting) is counted once. A queue file
with a line that cannot be read is moved aside whole (nothing in it is lost) and
its readable lines are queued again, with a warning that says where it went.

Settings (environment): SMM_PLAYBOOK_COHORT (1 to opt in, 0 to opt out, even
under a hub), SMM_PLAYBOOK_COHORT_STORE (a path or SQLAlchemy URL; default
cohort.db beside the progress file), SMM_PLAYBOOK_LEARNER (the learner's name
when not under a hub), SMM_PLAYBOOK_GROUP and SMM_PLAYBOOK_INTAKE.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import tempfile
import threading
import time
import uuid
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

QUEUE_NAME = "cohort-queue.jsonl"
# What of a check's details goes to the store (a written answer, a score).
_KEPT = {"status": "status", "right": "right_parts", "parts": "parts"}
_MESSAGE_LIMIT = 2000
_ANSWER_LIMIT = 20000
# One background send at a time per queue file.
_sending: dict[Path, threading.Lock] = {}
_guard = threading.Lock()


def _lock_for(path: Path) -> threading.Lock:
    with _guard:
        return _sending.setdefault(path, threading.Lock())


def enabled() -> bool:
    """True under a hub or on opt-in; SMM_PLAYBOOK_COHORT=0 always opts out."""
    choice = os.environ.get("SMM_PLAYBOOK_COHORT", "").strip().lower()
    if choice in ("0", "no", "off", "false"):
        return False
    return bool(os.environ.get("JUPYTERHUB_USER")) or choice in (
        "1",
        "yes",
        "on",
        "true",
    )


def learner() -> str:
    return (
        os.environ.get("JUPYTERHUB_USER")
        or os.environ.get("SMM_PLAYBOOK_LEARNER")
        or getpass.getuser()
    )


def store_location(folder: Path) -> str:
    return os.environ.get("SMM_PLAYBOOK_COHORT_STORE") or str(folder / "cohort.db")


def make_event(
    exercise: str, question: str, event: str, info: dict[str, Any]
) -> dict[str, Any]:
    """One row for the store, from what a check, hint or solution recorded."""
    row = {
        "event_id": str(uuid.uuid4()),
        "learner": learner(),
        "cohort_group": os.environ.get("SMM_PLAYBOOK_GROUP", ""),
        "intake": os.environ.get("SMM_PLAYBOOK_INTAKE", ""),
        "exercise": exercise,
        "question": question,
        "number": info.get("number"),
        "title": str(info.get("title", ""))[:200],
        "event": event,
        "status": "",
        "message": str(info.get("message", ""))[:_MESSAGE_LIMIT],
        "points": float(info.get("points") or 0),
        "right_parts": None,
        "parts": None,
        "answer": str(info.get("answer", ""))[:_ANSWER_LIMIT],
        "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
    }
    row.update({column: info[key] for key, column in _KEPT.items() if key in info})
    return row


class Outbox:
    """The queue file of one learner's machine and its sending to the store."""

    def __init__(self, folder: Path, store: str | None = None) -> None:
        self.path = Path(folder) / QUEUE_NAME
        self.store = store or store_location(Path(folder))

    def append(self, row: dict[str, Any]) -> None:
        """Queue one event (a short locked append; never touches the store)."""
        with self._locked(), self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def pending(self) -> list[dict[str, Any]]:
        """The queued events (setting a damaged queue file aside first)."""
        with self._locked():
            return self._read()

    def send(self) -> int:
        """Send the queue to the store; the number of events it did not have.

        Raises what the store raised (the events stay queued). The lock is held
        only to read and to rewrite the queue, not while the store is reached,
        so checks go on queueing while a slow server is tried.
        """
        queued = self.pending()
        if not queued:
            return 0
        from smm_playbook.cohort.store import CohortStore

        store = CohortStore(self.store)
        try:
            added = store.add(queued)
        finally:
            store.close()
        self._forget({row["event_id"] for row in queued})
        return added

    def send_in_background(self) -> threading.Thread | None:
        """Try a send on a daemon thread; failures only leave events queued."""
        lock = _lock_for(self.path)
        if not lock.acquire(blocking=False):
            return None  # a send is under way; it sends this event too (below)
        thread = threading.Thread(target=self._send_quietly, args=(lock,), daemon=True)
        thread.start()
        return thread

    def _send_quietly(self, lock: threading.Lock) -> None:
        try:
            # Again while events arrived during a send, a few times at most.
            for _ in range(3):
                self.send()
                if not self.pending():
                    break
        except Exception:  # noqa: BLE001 - the store being down is expected
            pass
        finally:
            lock.release()

    def _read(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        rows, damaged = [], []
        for number, line in enumerate(self.path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or "event_id" not in row:
                    raise ValueError("not an event")
                rows.append(row)
            except ValueError:
                damaged.append(number)
        if damaged:
            self._set_aside(rows, damaged)
        return rows

    def _set_aside(self, rows: list[dict[str, Any]], damaged: list[int]) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, aside)
        self._rewrite(rows)
        lines = ", ".join(map(str, damaged[:10])) + ("…" if len(damaged) > 10 else "")
        warnings.warn(
            f"The cohort queue {self.path} had {len(damaged)} line(s) that could "
            f"not be read (line {lines}). The whole file was kept as {aside} for "
            f"your trainer; its {len(rows)} readable event(s) stay queued.",
            stacklevel=4,
        )

    def _forget(self, sent: set[str]) -> None:
        with self._locked():
            self._rewrite([row for row in self._read() if row["event_id"] not in sent])

    def _rewrite(self, rows: list[dict[str, Any]]) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cohort-queue-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                lines = (json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
                handle.writelines(lines)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _locked(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path.with_suffix(".lock"))):
            yield


def record(
    folder: Path, exercise: str, question: str, event: str, info: dict[str, Any]
) -> threading.Thread | None:
    """Queue one event and start a send, if cohort recording is on; else nothing.

    Never raises: a learner's `check()` must not fail because of the cohort.
    """
    if not enabled():
        return None
    try:
        outbox = Outbox(folder)
        outbox.append(make_event(exercise, question, event, info))
        return outbox.send_in_background()
    except Exception as error:  # noqa: BLE001 - reported, never raised
        warnings.warn(
            f"Your trainer's class view could not be updated ({error}); your "
            "progress on this machine is saved.",
            stacklevel=3,
        )
        return None
