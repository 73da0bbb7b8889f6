"""`smm-playbook review`: score written answers and work products against rubrics.

A trainer (or a peer in a workshop) points it at a folder of notebooks — one
learner's, or a class's collected the way exam hand-ins are (`ID.ipynb` or
`ID/*.ipynb`, see grading/submissions.py) — and scores each rubric criterion
"meets", "partly" or "not yet", with a comment. Nothing here runs learner code:
answers are read from the notebook's JSON (a `%%work` cell, a `name = \"\"\"…\"\"\"`
assignment) or from `NAME.md` beside it. A file that cannot be read becomes a
message and the others still load.

Scores go to a review store (default: the learner's own `reviews.json` beside
their progress file), which `smm-playbook progress` shows beside the checks.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smm_playbook.checks.questions import TextQuestion
from smm_playbook.checks.work_product import (
    WorkProductQuestion,
    criteria,
    filled_in,
    strip_markers,
)
from smm_playbook.checks.work_sources import markdown_cell_text
from smm_playbook.exercises import CATALOGUE
from smm_playbook.grading.submissions import MAX_BYTES, _parse, discover, learner_of
from smm_playbook.progress_report import catalogue_views


@dataclass
class Piece:
    """One answer to review: a written answer or a work product."""

    learner: str
    exercise: str
    qid: str
    number: int
    title: str
    kind: str
    text: str
    source: str
    criteria: list[dict[str, str]] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def piece_id(self) -> str:
        key = f"{self.learner}|{self.exercise}|{self.qid}|{self.sha256}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


@dataclass
class Collection:
    pieces: list[Piece] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def collect(folder: Path, learner: str | None = None) -> Collection:
    """Every reviewable answer in `folder`, and a message for each problem."""
    folder = Path(folder)
    result = Collection()
    if not folder.is_dir():
        result.problems.append(f"{folder} is not a folder.")
        return result
    notebooks, _ = discover(folder)
    if not notebooks:
        result.problems.append(f"No notebooks (*.ipynb) found in {folder}.")
    for path in notebooks:
        _collect_notebook(path, learner or _owner(path, folder), result)
    return result


def _owner(path: Path, folder: Path) -> str:
    """The exam hand-in rule (`ID.ipynb`, `ID/*.ipynb`), except that exercise
    notebooks lying in the folder itself are one learner's own, named after it."""
    if path.parent == folder and path.stem in CATALOGUE:
        return folder.resolve().name
    return learner_of(path, folder)


def _collect_notebook(path: Path, learner: str, result: Collection) -> None:
    where = f"{path.name} ({learner})"
    try:
        content = path.read_bytes()
    except OSError as error:
        result.problems.append(f"{where}: cannot be read ({error}).")
        return
    if len(content) > MAX_BYTES:
        result.problems.append(f"{where}: the file is over 20 MB; skipped.")
        return
    book, problem = _parse(content)
    if problem:
        result.problems.append(f"{where}: {problem} Skipped; nothing else is lost.")
        return
    codes = [c.source for c in book.cells if c.cell_type == "code"]
    exercise = _exercise_of(path, codes)
    if exercise is None:
        result.problems.append(
            f"{where}: not one of the course's exercise notebooks (no "
            "`from smm_playbook.exercises…` set-up cell); skipped."
        )
        return
    for view in catalogue_views(exercise):
        question = view.question
        if not isinstance(question, TextQuestion | WorkProductQuestion):
            continue
        var = question.names()[0]
        text, source = _answer(question, var, book.cells, path, result, where)
        label = f"{where}, q{view.number} ({question.title})"
        if not text:
            result.problems.append(f"{label}: no answer yet; nothing to review.")
            continue
        result.pieces.append(
            Piece(
                learner,
                exercise,
                view.qid,
                view.number,
                question.title or view.qid,
                "work product"
                if isinstance(question, WorkProductQuestion)
                else "written answer",
                text,
                source,
                _criteria_of(question),
            )
        )


def _exercise_of(path: Path, codes: list[str]) -> str | None:
    for source in codes:
        match = re.search(r"smm_playbook\.exercises\.(ex\d\d_\w+)", source)
        if match and match[1] in CATALOGUE:
            return match[1]
    return path.stem if path.stem in CATALOGUE else None


def _answer(
    question: TextQuestion | WorkProductQuestion,
    var: str,
    cells: list[Any],
    path: Path,
    result: Collection,
    where: str,
) -> tuple[str, str]:
    codes = [c.source for c in cells if c.cell_type == "code"]
    if isinstance(question, WorkProductQuestion):
        for source in codes:
            first, _, body = source.partition("\n")
            if first.split() == ["%%work", var]:
                text = strip_markers(body)
                if filled_in(text):
                    return text.strip(), f"{path.name}, the %%work {var} cell"
        text, source = _answer_file(path.parent / f"{var}.md", result, where)
        markdown = markdown_cell_text(cells, var)
        if not text and markdown is not None and filled_in(markdown):
            tag = f"<!-- work: {var} -->"
            text, source = markdown.strip(), f"{path.name}, the Markdown cell {tag}"
        return text, source
    for source in codes:
        assigned = _assigned_string(source, var)
        if assigned and assigned.strip() and assigned.strip() != "____":
            return assigned.strip(), f"{path.name}, `{var}`"
    return "", ""


def _answer_file(path: Path, result: Collection, where: str) -> tuple[str, str]:
    if not path.is_file():
        return "", ""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        result.problems.append(
            f"{where}: {path.name} is not UTF-8 text; ask the learner to save it "
            "again as UTF-8. Skipped."
        )
        return "", ""
    except OSError as error:
        result.problems.append(f"{where}: {path.name} cannot be read ({error}).")
        return "", ""
    return (text.strip(), path.name) if filled_in(text) else ("", "")


def _assigned_string(source: str, var: str) -> str | None:
    """The string literal assigned to `var` in a code cell, without running it."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a learner's broken cell: fall back to the literal text
        match = re.search(
            rf"^{re.escape(var)}\s*=\s*(\"\"\"|''')(.*?)\1", source, re.S | re.M
        )
        return match[2] if match else None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == var for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None


def _criteria_of(question: TextQuestion | WorkProductQuestion) -> list[dict[str, str]]:
    """Rubric criteria to score: the work product's YAML, or a text rubric's."""
    if isinstance(question, WorkProductQuestion):
        return criteria(question.rubric_file)
    return [
        {
            "id": str(getattr(c, "name", f"criterion {i}")),
            "name": str(getattr(c, "name", f"criterion {i}")),
            "meets": "Covered accurately and in the learner's own words.",
            "partly": "Mentioned, but vague, incomplete or partly wrong.",
            "not_yet": str(getattr(c, "missing", "Missing or wrong.")),
        }
        for i, c in enumerate(getattr(question, "rubric", ()), 1)
    ]


def review_entry(
    piece: Piece, scores: dict[str, str], comment: str, reviewer: str
) -> dict[str, object]:
    """What the review store keeps for one scored piece."""
    return {
        "learner": piece.learner,
        "exercise": piece.exercise,
        "question": piece.qid,
        "number": piece.number,
        "title": piece.title,
        "kind": piece.kind,
        "scores": scores,
        "criteria": {c["id"]: c["name"] for c in piece.criteria},
        "comment": comment,
        "reviewer": reviewer,
        "piece": piece.piece_id,
        "answer_sha256": piece.sha256,
        "source": piece.source,
    }
