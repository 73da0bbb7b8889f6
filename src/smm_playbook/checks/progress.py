"""A learner's progress, kept in one JSON file on their own machine.

Writes are atomic (write a temporary file, fsync, rename) and serialised with a
lock file, so two notebooks checking at once cannot lose each other's results. A
file that cannot be read is moved aside with a timestamp and reported, never
silently overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FILE_NAME = "progress.json"
FORMAT_VERSION = 1


def progress_home() -> Path:
    """Folder of the progress file.

    $SMM_PLAYBOOK_HOME if set; else ~/.smm_playbook where an earlier version of the
    course made it (so nobody loses their progress); else the system's folder for
    an application's data (platformdirs: ~/.local/share/smm-playbook on Linux,
    ~/Library/Application Support/smm-playbook on macOS, %LOCALAPPDATA% on Windows).
    """
    override = os.environ.get("SMM_PLAYBOOK_HOME")
    if override:
        return Path(override)
    legacy = Path.home() / ".smm_playbook"
    if legacy.is_dir():
        return legacy
    import platformdirs

    return Path(platformdirs.user_data_dir("smm-playbook", appauthor=False))


class ProgressFileError(RuntimeError):
    """The progress file was unreadable and has been set aside."""


@dataclass
class ProgressStore:
    """Reads and updates the progress file."""

    path: Path

    @classmethod
    def default(cls) -> ProgressStore:
        return cls(progress_home() / FILE_NAME)

    def load(self) -> dict[str, Any]:
        """The whole record: {"version": 1, "exercises": {ex: {qid: entry}}}."""
        if not self.path.exists():
            return _empty()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            _validate(data)
            return data
        except (ValueError, OSError) as error:
            aside = self._set_aside()
            warnings.warn(
                f"Your progress file {self.path} could not be read ({error}). It was "
                f"moved to {aside} so nothing is lost; a new one has been started.",
                stacklevel=2,
            )
            return _empty()

    def record(self, exercise: str, question: str, event: str, **info: Any) -> None:
        """Add one event (check outcome, hint or solution) for a question."""
        with self._locked():
            data = self.load()
            entry = (
                data["exercises"].setdefault(exercise, {}).setdefault(question, _new())
            )
            _apply(entry, event, info)
            self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, on Linux, macOS and Windows alike (filelock)."""
        from filelock import FileLock  # only writers need it; reading stays light

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.path.with_suffix(".lock"))):
            yield

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        os.replace(self.path, aside)
        return aside


def _empty() -> dict[str, Any]:
    return {"version": FORMAT_VERSION, "exercises": {}}


def _new() -> dict[str, Any]:
    return {
        "status": "not_attempted",
        "checks": 0,
        "hints": 0,
        "solution_viewed": False,
    }


def _validate(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        raise ValueError("it does not have the expected structure")
    for questions in data["exercises"].values():
        if not isinstance(questions, dict) or not all(
            isinstance(e, dict) for e in questions.values()
        ):
            raise ValueError("an exercise entry is malformed")


def _apply(entry: dict[str, Any], event: str, info: dict[str, Any]) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    entry["updated"] = now
    entry.update({k: v for k, v in info.items() if k in ("title", "points", "number")})
    if event == "check":
        _apply_check(entry, info, now)
    elif event == "hint":
        entry["hints"] = max(entry["hints"], int(info.get("level", 1)))
    elif event == "solution":
        entry["solution_viewed"] = True
    elif event == "review":
        entry["status"] = "reviewed"
        entry["review"] = {k: v for k, v in info.items() if k in REVIEW_KEYS}
        entry["review"]["at"] = now


# What a review keeps: a score per rubric criterion, the share of the points it
# earns (0 to 1), a comment, and who reviewed (a name or an anonymous marker id).
REVIEW_KEYS = ("scores", "score", "comment", "reviewer")
# Outcomes a later, worse check does not undo.
_KEPT = ("correct", "submitted", "reviewed")


def _apply_check(entry: dict[str, Any], info: dict[str, Any], now: str) -> None:
    status = info["status"]
    entry["checks"] += 1
    entry["last_status"] = status
    entry["needs_review"] = bool(info.get("needs_review"))
    if status == "submitted":
        # Written work: the latest answer waits for review (an earlier review of
        # an earlier answer stays under "review" until a new one replaces it).
        entry["status"] = "submitted"
        entry["answer"] = info.get("answer", "")
        entry["rubric"] = {k: list(info.get(k, [])) for k in ("found", "missing")}
        entry["submitted"] = now
    elif status == "correct":
        entry["status"] = "correct"
        entry.setdefault("first_correct", now)
        if "parts" in info:
            entry["right"], entry["parts"] = info["parts"], info["parts"]
    elif status == "partial":
        # A multi-part question keeps its best score.
        if entry["status"] not in _KEPT and info["right"] >= entry.get("right", 0):
            entry["status"] = "partial"
            entry["right"], entry["parts"] = info["right"], info["parts"]
    elif entry["status"] not in (*_KEPT, "partial"):
        entry["status"] = status


def submitted_answers(store: ProgressStore | None = None) -> list[dict[str, Any]]:
    """Every written answer in a progress file, for a reviewer to read and score.

    One dict per question with an answer: exercise, question (the class name),
    number, title, status ("submitted" or "reviewed"), answer (the text), submitted
    (UTC time), found and missing (rubric elements), and review (or None). Record a
    review with `store.record(exercise, question, "review", scores=..., score=...,
    comment=..., reviewer=...)`.
    """
    record = (store or ProgressStore.default()).load()["exercises"]
    answers = []
    for exercise, questions in record.items():
        for question, entry in questions.items():
            if "answer" not in entry:
                continue
            rubric = entry.get("rubric", {})
            answers.append(
                {
                    "exercise": exercise,
                    "question": question,
                    "number": entry.get("number"),
                    "title": entry.get("title", question),
                    "status": entry["status"],
                    "answer": entry["answer"],
                    "submitted": entry.get("submitted"),
                    "found": rubric.get("found", []),
                    "missing": rubric.get("missing", []),
                    "review": entry.get("review"),
                }
            )
    return answers
