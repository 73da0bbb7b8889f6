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
import csv
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from smm_playbook.checks.questions import TextQuestion
from smm_playbook.checks.report import catalogue_views
from smm_playbook.checks.work_product import (
    WorkProductQuestion,
    criteria,
    strip_markers,
)
from smm_playbook.checks.work_product import _filled_in as filled_in
from smm_playbook.exercises import CATALOGUE
from smm_playbook.grading.submissions import MAX_BYTES, _parse, discover, learner_of

LEVEL_WORDS = {
    "meets": "meets",
    "m": "meets",
    "达到": "meets",
    "partly": "partly",
    "p": "partly",
    "partial": "partly",
    "部分达到": "partly",
    "not yet": "not_yet",
    "not_yet": "not_yet",
    "notyet": "not_yet",
    "n": "not_yet",
    "未达到": "not_yet",
}
SHEET_COLUMNS = [
    "piece",
    "learner",
    "exercise",
    "question",
    "title",
    "criterion",
    "criterion_name",
    "meets",
    "partly",
    "not_yet",
    "score",
    "comment",
]


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
        who = learner or learner_of(path, folder)
        _collect_notebook(path, who, result)
    return result


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
        text, source = _answer(question, var, codes, path, result, where)
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


def _answer(question, var, codes, path, result, where) -> tuple[str, str]:
    if isinstance(question, WorkProductQuestion):
        for source in codes:
            first, _, body = source.partition("\n")
            if first.split() == ["%%work", var]:
                text = strip_markers(body)
                if filled_in(text):
                    return text.strip(), f"{path.name}, the %%work {var} cell"
        return _answer_file(path.parent / f"{var}.md", result, where)
    for source in codes:
        text = _assigned_string(source, var)
        if text and text.strip() and text.strip() != "____":
            return text.strip(), f"{path.name}, `{var}`"
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


def _criteria_of(question) -> list[dict[str, str]]:
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


def review_entry(piece: Piece, scores: dict[str, str], comment: str, reviewer: str):
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


def parse_score(value: str) -> str | None:
    """'Meets', 'p', 'not yet', '未达到' … → meets / partly / not_yet (or None)."""
    return LEVEL_WORDS.get(" ".join(str(value).strip().lower().split()))


def write_sheet(pieces: list[Piece], path: Path, blind: bool) -> Path:
    """A CSV to fill in (one row per criterion) and a Markdown file of the answers."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, SHEET_COLUMNS)
        writer.writeheader()
        for piece in pieces:
            for c in piece.criteria:
                writer.writerow(
                    {
                        "piece": piece.piece_id,
                        "learner": "hidden" if blind else piece.learner,
                        "exercise": piece.exercise,
                        "question": f"q{piece.number}",
                        "title": piece.title,
                        "criterion": c["id"],
                        "criterion_name": c["name"],
                        "meets": c["meets"],
                        "partly": c["partly"],
                        "not_yet": c["not_yet"],
                        "score": "",
                        "comment": "",
                    }
                )
    answers = path.with_suffix(".md")
    answers.write_text(_answers_markdown(pieces, blind), encoding="utf-8")
    return answers


def _answers_markdown(pieces: list[Piece], blind: bool) -> str:
    parts = ["# Answers to review\n"]
    for piece in pieces:
        who = "" if blind else f" — {piece.learner}"
        parts.append(
            f"\n## Piece {piece.piece_id}{who}\n\n*{piece.exercise}, q{piece.number}: "
            f"{piece.title}*\n\n{piece.text}\n"
        )
    return "\n".join(parts)


def read_sheet(path: Path, pieces: list[Piece]):
    """Scores from a filled-in sheet: ([(piece, scores, comment)], [problems])."""
    by_id = {p.piece_id: p for p in pieces}
    rows: dict[str, list[dict[str, str]]] = {}
    problems: list[str] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = {"piece", "criterion", "score"} - set(reader.fieldnames or ())
            if missing:
                return [], [f"{path.name} has no column {', '.join(sorted(missing))}."]
            for row in reader:
                rows.setdefault((row.get("piece") or "").strip(), []).append(row)
    except UnicodeDecodeError:
        return [], [f"{path.name} is not UTF-8 text; save it as CSV UTF-8."]
    except (OSError, csv.Error) as error:
        return [], [f"{path.name} cannot be read as CSV ({error})."]
    scored = []
    for piece_id, group in rows.items():
        result = _scores_of(piece_id, group, by_id.get(piece_id))
        if isinstance(result, str):
            problems.append(result)
        elif result is not None:
            scored.append(result)
    return scored, problems


def _scores_of(piece_id: str, group: list[dict[str, str]], piece: Piece | None):
    if all(not (r.get("score") or "").strip() for r in group):
        return None  # not reviewed yet: nothing to say
    if piece is None:
        return (
            f"Piece {piece_id!r}: not in this folder any more, or the answer changed "
            "after the sheet was made; export a new sheet for it. Not saved."
        )
    scores, bad = {}, []
    for row in group:
        level = parse_score(row.get("score") or "")
        if level is None:
            bad.append(row.get("criterion", "?"))
        scores[(row.get("criterion") or "").strip()] = level
    wanted = {c["id"] for c in piece.criteria}
    unscored = sorted(wanted - {k for k, v in scores.items() if v})
    if bad or unscored:
        return (
            f"Piece {piece_id} ({piece.exercise} q{piece.number}): score every "
            "criterion as meets, partly or not yet (missing or unclear: "
            f"{', '.join(sorted(set(bad) | set(unscored)))}). Not saved."
        )
    comment = next((r["comment"].strip() for r in group if r.get("comment")), "")
    return piece, {k: v for k, v in scores.items() if k in wanted}, comment
