"""Reviews of written work, kept beside (not inside) the progress file.

A review scores each rubric criterion of one answer "meets", "partly" or
"not_yet" and may carry a comment. Reviews are only ever added: a later review
of the same answer is shown, the earlier one stays in the file. The file is
written the same way as the progress file (atomic, locked, set aside if broken).
"""

from __future__ import annotations

import json
import warnings
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from smm_playbook.checks.progress import ProgressStore, progress_home

FILE_NAME = "reviews.json"
SCORES = ("meets", "partly", "not_yet")


class ReviewStore(ProgressStore):
    """Reads and appends reviews: {"version": 1, "reviews": [entry, …]}."""

    @classmethod
    def default(cls) -> ReviewStore:
        return cls(progress_home() / FILE_NAME)

    def load(self) -> dict[str, Any]:  # type: ignore[override]
        if not self.path.exists():
            return {"version": 1, "reviews": []}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("reviews"), list):
                raise ValueError("it does not have the expected structure")
            return data
        except (ValueError, OSError) as error:
            aside = self._set_aside()
            warnings.warn(
                f"The review file {self.path} could not be read ({error}). It was "
                f"moved to {aside} so nothing is lost; a new one has been started.",
                stacklevel=2,
            )
            return {"version": 1, "reviews": []}

    def add(self, entry: dict[str, Any]) -> None:
        """Append one review (scores must be one of SCORES per criterion)."""
        bad = {k: v for k, v in entry["scores"].items() if v not in SCORES}
        if bad:
            raise ValueError(f"scores must be one of {', '.join(SCORES)}: {bad}")
        entry = dict(entry, reviewed_at=datetime.now(UTC).isoformat(timespec="seconds"))
        with self._locked():
            data = self.load()
            data["reviews"].append(entry)
            self._write(data)

    def reviews(self) -> list[dict[str, Any]]:
        return [r for r in self.load()["reviews"] if isinstance(r, dict)]

    def learners(self) -> list[str]:
        return sorted({str(r.get("learner", "")) for r in self.reviews()})

    def latest(self, learner: str | None = None) -> dict[tuple[str, str], dict]:
        """The newest review of each (exercise, question), for one learner.

        With no learner named, a file that holds one learner's reviews (a
        learner's own machine) is read as theirs; a class file needs a name.
        """
        entries = self.reviews()
        if learner is None:
            names = {r.get("learner") for r in entries}
            if len(names) > 1:
                return {}
        else:
            entries = [r for r in entries if r.get("learner") == learner]
        return {(r["exercise"], r["question"]): r for r in entries}


def score_summary(entry: dict[str, Any]) -> str:
    """ "2 meets · 1 partly · 0 not yet" for one review."""
    counts = Counter(entry.get("scores", {}).values())
    return " · ".join(f"{counts[s]} {s.replace('_', ' ')}" for s in SCORES)
