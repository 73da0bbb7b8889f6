"""Building exam folders for the grading tests.

Work happens under /var/tmp, not /tmp: the sandbox gives every submission a
private /tmp, so a secret kept in /tmp would be hidden for the wrong reason and
the tests would not prove that the cover mounts work.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat

from smm_playbook.grading import secret
from smm_playbook.grading.exam import find_exam, paper_for
from smm_playbook.grading.model_answers import answer_code, solve
from smm_playbook.grading.paper import notebook

# The fence and gradebook tests aim their hostile cells at answers they name
# (er_reach_pct, cpm, …), so they grade the retired first certification, whose
# sections are the published practice bank. The current certification, drawn
# from the bank, is graded end to end in test_exam_cli.py and test_exam_marking.py.
EXAM = find_exam("smm-cert", "2026.1")


class ExamSite:
    """A trainer's working folder: secret, submissions folder, gradebook."""

    def __init__(self, exam=None) -> None:
        self.exam = exam or EXAM
        self.root = Path(tempfile.mkdtemp(prefix="smm-grading-", dir="/var/tmp"))
        self.secret_path = secret.create(self.root / "trainer" / "exam.secret")
        self.key = secret.load(self.secret_path)
        self.submissions = self.root / "submissions"
        self.submissions.mkdir()
        self.gradebook_path = self.root / "trainer" / "gradebook.db"

    def paper(self, learner_id: str, attempt: int = 1):
        return paper_for(
            self.exam, self.key, learner_id, attempt, f"Name of {learner_id}"
        )

    def blank(self, learner_id: str, attempt: int = 1) -> nbformat.NotebookNode:
        return notebook(self.paper(learner_id, attempt))

    def solved(self, learner_id: str, attempt: int = 1, **overrides: str):
        """A notebook with the model answers; `overrides` replace answer cells."""
        paper = self.paper(learner_id, attempt)
        code = answer_code(paper) | overrides
        return solve(notebook(paper), code)

    def hand_in(self, learner_id: str, book, name: str | None = None) -> Path:
        path = self.submissions / (name or f"{learner_id}.ipynb")
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(book, path)
        return path

    def grade(self, limits, workers: int = 1, gradebook=None):
        """Grade the submissions folder as `exam grade` would; returns the Summary."""
        from smm_playbook.grading.gradebook import Gradebook
        from smm_playbook.grading.grader import grade_folder

        return grade_folder(
            self.submissions,
            self.exam,
            self.key,
            gradebook or Gradebook(self.gradebook_path),
            secret_path=self.secret_path,
            workers=workers,
            limits=limits,
        )

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def add_cell(book, source: str, at: int | None = None):
    """Insert a code cell (at the end by default)."""
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = f"extra-{len(book.cells)}"
    if at is None:
        book.cells.append(cell)
    else:
        book.cells.insert(at, cell)
    return book


def sample_record(learner: str, sha: str):
    """A graded one-part record for gradebook tests."""
    from smm_playbook.grading.gradebook import Record
    from smm_playbook.grading.scoring import PartResult

    part = PartResult("paid", "5", "cpm", 1, 1, "correct", "Correct.")
    return Record(
        learner,
        "smm-cert",
        "2026.1",
        sha,
        learner,
        1,
        "f.ipynb",
        "graded",
        "finished",
        "Ran cleanly.",
        1.0,
        1.0,
        True,
        0.1,
        (part,),
    )
