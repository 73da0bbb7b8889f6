"""Finding and reading handed-in notebooks, without trusting any of them.

The layout of a hand-in folder: each learner's notebook is either `ID.ipynb` at
the top of the folder, or any `*.ipynb` inside a folder named `ID` (what an LMS
download usually gives). The learner is the one the place names, never the one
the notebook claims; the paper code then has to match that learner. Anything
else (deeper folders, links, other files, Jupyter's checkpoints) is listed as
ignored, with the reason.

Each notebook becomes a `Submission`: who it belongs to, its SHA-256, and either
its code cells or the reason it cannot be graded. Files are read up to the size
limit and parsed as bounded JSON (see `wire.loads`); whatever a file holds
becomes a status and a message, never an exception. Nothing here runs learner
code.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from smm_playbook.grading import secret, untrusted, wire
from smm_playbook.grading.exam import ExamDefinition, paper_code
from smm_playbook.grading.forms import FORMS
from smm_playbook.grading.paper import METADATA_KEY, id_problem

if TYPE_CHECKING:
    from smm_playbook.grading.secret import Keys

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
    form: int | None = None  # the coded form the paper declares (checked)


def discover(folder: Path) -> tuple[list[Path], list[Path]]:
    """Notebooks to grade (`ID.ipynb` or `ID/*.ipynb`) and other files ignored."""
    notebooks, ignored = [], []
    for path in sorted(_walk(Path(folder))):
        depth = len(path.relative_to(folder).parts)
        is_checkpoint = ".ipynb_checkpoints" in path.parts
        regular = path.is_file() and not path.is_symlink()
        if path.suffix == ".ipynb" and depth <= 2 and regular and not is_checkpoint:
            notebooks.append(path)
        else:
            ignored.append(path)
    return notebooks, ignored


def why_ignored(path: Path, folder: Path) -> str:
    """One line for a trainer on why a file in the hand-in folder was not graded."""
    if path.is_symlink():
        return "a link, not a file: hand in the notebook itself"
    if ".ipynb_checkpoints" in path.parts:
        return "a Jupyter checkpoint copy"
    if path.suffix != ".ipynb":
        return "not a notebook (.ipynb)"
    if len(path.relative_to(folder).parts) > 2:
        return "too deep: use ID.ipynb or ID/notebook.ipynb"
    return "not a regular file"


def _walk(folder: Path):
    """Every entry below `folder` that is not a folder, without following links."""
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in files:
            yield Path(top) / name
        for name in dirs:
            if os.path.islink(os.path.join(top, name)):
                yield Path(top) / name


def claimed_learner(path: Path) -> str | None:
    """The learner a notebook's metadata names, if it can be read (practice only:
    for real grading the folder decides, so a paper cannot claim someone else)."""
    try:
        meta = wire.loads(_read_capped(path))["metadata"][METADATA_KEY]
        learner = meta["learner"]
        return learner if isinstance(learner, str) and not id_problem(learner) else None
    except Exception:  # noqa: BLE001 - any problem means "no claim"
        return None


def _read_capped(path: Path) -> bytes:
    """At most MAX_BYTES + 1 bytes: a huge file is never read whole."""
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def learner_of(path: Path, folder: Path) -> str:
    parts = path.relative_to(folder).parts
    return parts[0] if len(parts) == 2 else path.stem


def read(
    path: Path,
    folder: Path,
    exam: ExamDefinition,
    key: bytes | Keys,
    learner_id: str | None = None,
) -> Submission:
    """Read one file into a Submission; problems become a status, never an error.

    The learner is the one the file's place in `folder` names, unless given.
    """
    learner_id = untrusted.clean(learner_id or learner_of(path, folder), 100)
    try:
        content = _read_capped(path)
    except OSError as error:
        reason = untrusted.clean(error.strerror or type(error).__name__, 100)
        return Submission(path, learner_id, "", "unreadable", f"Cannot read: {reason}")
    submission = Submission(path, learner_id, hashlib.sha256(content).hexdigest())
    problem = id_problem(learner_id)
    if problem:
        return _refuse(
            submission,
            "wrong_paper",
            f"Not a learner's notebook: the {problem} Hand-in layout: ID.ipynb "
            "or ID/notebook.ipynb.",
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
    except UnicodeDecodeError:
        return None, "The file is not text (UTF-8), so it is not a notebook."
    try:
        raw = wire.loads(text)
    except wire.BadPayload as error:
        return None, (
            f"The file is not valid JSON of a notebook ({error}); it may have been "
            "cut short or edited outside Jupyter."
        )
    if not isinstance(raw, dict) or "cells" not in raw:
        return None, "The file is JSON but not a Jupyter notebook (no cells)."
    try:
        if raw.get("nbformat") != 4:
            return None, "Only version-4 notebooks (Jupyter 4 and later) are graded."
        raw = untrusted.valid_unicode(raw)  # "\\ud800" in JSON is a lone surrogate
        book = nbformat.reads(json.dumps(raw), as_version=nbformat.NO_CONVERT)
        nbformat.validate(book)
    except Exception as error:  # noqa: BLE001 - nbformat raises several kinds
        lines = str(error).splitlines() or [type(error).__name__]
        summary = untrusted.clean(lines[0], 200)
        return None, f"The file is not a valid notebook: {summary}"
    return book, ""


def _check_paper(
    book: nbformat.NotebookNode,
    submission: Submission,
    exam: ExamDefinition,
    key: bytes | Keys,
) -> str:
    meta = book.metadata.get(METADATA_KEY)
    if not isinstance(meta, dict):
        return (
            "The notebook has no exam details: hand in the paper notebook you "
            "were given, not a new one."
        )
    if (meta.get("exam"), meta.get("version")) != (exam.exam_id, exam.version):
        claimed = untrusted.clean(f"{meta.get('exam')} version {meta.get('version')}")
        return f"This paper is for {claimed[:120]}, not {exam.exam_id} {exam.version}."
    if meta.get("learner") != submission.learner_id:
        claimed = untrusted.clean(repr(meta.get("learner")), 80)
        return (
            f"This paper was issued to {claimed}, but it was handed "
            f"in as {submission.learner_id!r}."
        )
    attempt = meta.get("attempt")
    if not isinstance(attempt, int) or isinstance(attempt, bool) or attempt < 1:
        return "The paper's attempt number is missing or not a positive number."
    name = meta.get("name")
    if not isinstance(name, str):
        return "The paper's candidate name is missing."
    form = meta.get("form")
    if form is not None and (
        not exam.coded
        or not isinstance(form, int)
        or isinstance(form, bool)
        or not 0 <= form < FORMS
    ):
        return "The paper's form number is not one this exam issues."
    expected = paper_code(
        exam.exam_id,
        exam.version,
        submission.learner_id,
        attempt,
        name,
        key=key,
        form=form,
    )
    if not secret.matches(expected, str(meta.get("paper", ""))):
        return (
            "The paper code does not match: the notebook's exam details (attempt, "
            "name or code) were changed after it was issued."
        )
    submission.name = untrusted.clean(name, 200)
    submission.attempt = attempt
    submission.form = form
    return ""
