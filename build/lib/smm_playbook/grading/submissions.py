"""Finding and reading handed-in notebooks, without trusting any of them.

Each file becomes a `Submission`: who it belongs to (from where it sits in the
folder), its SHA-256, and either its code cells or the reason it cannot be
graded. Nothing here runs learner code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat

from smm_playbook.grading import secret
from smm_playbook.grading.exam import ExamDefinition, paper_code
from smm_playbook.grading.paper import LEARNER_ID, METADATA_KEY

MAX_BYTES = 20 * 1024 * 1024


@dataclass
class Submission:
    path: Path
    learner_id: str
    sha256: str
    status: str = "ready"  # or "unreadable", "empty", "wrong_paper"
    message: str = ""
    cells: tuple[str, ...] = ()
    name: str = ""
    attempt: int = 1


def discover(folder: Path) -> tuple[list[Path], list[Path]]:
    """Notebooks to grade (`ID.ipynb` or `ID/*.ipynb`) and other files ignored."""
    notebooks, ignored = [], []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        depth = len(path.relative_to(folder).parts)
        is_checkpoint = ".ipynb_checkpoints" in path.parts
        if path.suffix == ".ipynb" and depth <= 2 and not is_checkpoint:
            notebooks.append(path)
        else:
            ignored.append(path)
    return notebooks, ignored


def claimed_learner(path: Path) -> str | None:
    """The learner a notebook's metadata names, if it can be read (practice only:
    for real grading the folder decides, so a paper cannot claim someone else)."""
    try:
        meta = json.loads(path.read_bytes()[:MAX_BYTES])["metadata"][METADATA_KEY]
        return str(meta["learner"])
    except Exception:
        return None


def learner_of(path: Path, folder: Path) -> str:
    parts = path.relative_to(folder).parts
    return parts[0] if len(parts) == 2 else path.stem


def read(
    path: Path, folder: Path, exam: ExamDefinition, key: bytes, learner_id=None
) -> Submission:
    """Read one file into a Submission; problems become a status, never an error.

    The learner is the one the file's place in `folder` names, unless given.
    """
    learner_id = learner_id or learner_of(path, folder)
    try:
        content = path.read_bytes()[: MAX_BYTES + 1]
    except OSError as error:
        return Submission(path, learner_id, "", "unreadable", f"Cannot read: {error}")
    submission = Submission(path, learner_id, hashlib.sha256(content).hexdigest())
    if not LEARNER_ID.match(learner_id):
        return _refuse(
            submission, "wrong_paper", f"{learner_id!r} is not a learner id."
        )
    if len(content) > MAX_BYTES:
        return _refuse(submission, "unreadable", "The file is over 20 MB.")
    book, problem = _parse(content)
    if problem:
        return _refuse(submission, "unreadable", problem)
    problem = _check_paper(book, submission, exam, key)
    if problem:
        return _refuse(submission, "wrong_paper", problem)
    submission.cells = tuple(
        cell.source for cell in book.cells if cell.cell_type == "code"
    )
    if not any(source.strip() for source in submission.cells):
        return _refuse(submission, "empty", "The notebook has no code to run.")
    return submission


def _refuse(submission: Submission, status: str, message: str) -> Submission:
    submission.status, submission.message = status, message
    return submission


def _parse(content: bytes):
    try:
        text = content.decode("utf-8")
        raw = json.loads(text)
    except UnicodeDecodeError:
        return None, "The file is not text, so it is not a notebook."
    except json.JSONDecodeError as error:
        return None, (
            f"The file is not valid JSON (line {error.lineno}, column "
            f"{error.colno}: {error.msg}); it may have been cut short or edited "
            "outside Jupyter."
        )
    if not isinstance(raw, dict) or "cells" not in raw:
        return None, "The file is JSON but not a Jupyter notebook (no cells)."
    try:
        if raw.get("nbformat") != 4:
            return None, "Only version-4 notebooks (Jupyter 4 and later) are graded."
        book = nbformat.reads(text, as_version=nbformat.NO_CONVERT)  # joins lines
        nbformat.validate(book)
    except Exception as error:  # nbformat raises several kinds
        summary = str(error).splitlines()[0][:200]
        return None, f"The file is not a valid notebook: {summary}"
    return book, ""


def _check_paper(book, submission: Submission, exam: ExamDefinition, key: bytes):
    meta = book.metadata.get(METADATA_KEY)
    if not isinstance(meta, dict):
        return (
            "The notebook has no exam details: hand in the paper notebook you "
            "were given, not a new one."
        )
    if (meta.get("exam"), meta.get("version")) != (exam.exam_id, exam.version):
        return (
            f"This paper is for {meta.get('exam')} version {meta.get('version')}, "
            f"not {exam.exam_id} version {exam.version}."
        )
    if meta.get("learner") != submission.learner_id:
        return (
            f"This paper was issued to {meta.get('learner')!r}, but it was handed "
            f"in as {submission.learner_id!r}."
        )
    attempt = meta.get("attempt")
    if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
        return "The paper's attempt number is missing or not a positive number."
    name = meta.get("name")
    if not isinstance(name, str):
        return "The paper's candidate name is missing."
    expected = paper_code(
        exam.exam_id, exam.version, submission.learner_id, attempt, name, key=key
    )
    if not secret.matches(expected, str(meta.get("paper", ""))):
        return (
            "The paper code does not match: the notebook's exam details (attempt, "
            "name or code) were changed after it was issued."
        )
    submission.name = name[:200]
    submission.attempt = attempt
    return ""
