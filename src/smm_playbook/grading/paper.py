"""Writing papers: a roster in, one personalised exam notebook per learner out.

A paper holds the learner's data and questions, and metadata naming the exam,
the learner and a paper code (an HMAC the grader checks, so a notebook built
for one learner cannot be handed in as another's). It never holds an expected
answer or anything from which the trainer's secret could be recovered.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from smm_playbook.grading.exam import (
    MODULE_TITLES,
    ExamDefinition,
    Paper,
    assign_forms,
    paper_for,
)
from smm_playbook.grading.forms import FormsExhausted
from smm_playbook.grading.policies import (
    MAX_EXTRA_MINUTES,
    Override,
    PolicyRefusal,
    new_issue,
    retake_problem,
)

if TYPE_CHECKING:
    from smm_playbook.grading.gradebook import Gradebook
    from smm_playbook.grading.secret import Keys

# \Z, not $: "$" would let an id end in a newline.
LEARNER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


def id_problem(learner_id: str) -> str:
    """Why `learner_id` cannot be a learner id, or "" if it can."""
    if LEARNER_ID.match(learner_id):
        return ""
    shown = ascii(learner_id)[:80]
    folded = unicodedata.normalize("NFKC", learner_id)
    if folded != learner_id and LEARNER_ID.match(folded):
        return (
            f"learner id {shown} uses characters that only look like plain ones "
            f"(full-width or compatibility forms); write it as {folded!r}."
        )
    if not learner_id.isascii():
        return (
            f"learner id {shown} has letters outside a-z (accents, other scripts "
            "or look-alikes); ids use plain letters, digits, dots, dashes and "
            "underscores, because they name files."
        )
    return (
        f"learner id {shown} must be 1-64 letters, digits, dots, dashes or "
        "underscores, starting with a letter or digit (it names a file)."
    )


METADATA_KEY = "smm_exam"
SETUP = (
    "import io\n\nimport pandas as pd\n\n"
    "from smm_playbook.checks import PLACEHOLDER as ____"
)


# What each kind of answer cell holds before the candidate works in it.
ANSWER_CELLS = {
    "value": lambda var: f"# Work here, then set the answer (a number).\n{var} = ____",
    "choice": lambda var: f"# One letter in quotes, such as 'b'.\n{var} = ____",
    "multi": lambda var: (
        f"# Every letter that applies, in quotes, such as 'a, c'.\n{var} = ____"
    ),
    "order": lambda var: (
        f"# The letters from first to last, such as 'c, a, d, b'.\n{var} = ____"
    ),
    "match": lambda var: (
        f"# The letter for item 1, item 2, … in order, such as 'b, a, c'.\n{var} = ____"
    ),
    "written": lambda var: (
        f'# Replace ____ with your text between triple quotes: {var} = """…"""\n'
        f"{var} = ____"
    ),
}


class RosterError(ValueError):
    """The roster cannot be used; the message names the row and the problem."""


@dataclass(frozen=True)
class Learner:
    learner_id: str
    name: str
    extra_minutes: int = 0  # an accommodation: time on top of the exam's


def _extra_minutes(text: str | None, where: str) -> int:
    text = (text or "").strip()
    if not text:
        return 0
    try:
        minutes = int(text)
    except ValueError:
        raise RosterError(
            f"{where}: extra_minutes should be a whole number of minutes, not "
            f"{text[:40]!r}."
        ) from None
    if not 0 <= minutes <= MAX_EXTRA_MINUTES:
        raise RosterError(
            f"{where}: extra_minutes should be between 0 and {MAX_EXTRA_MINUTES}."
        )
    return minutes


def read_roster(path: Path) -> list[Learner]:
    """Read `learner_id,name[,extra_minutes]` rows; refuse duplicates and unsafe ids."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError(f"Cannot read the roster {path}: {error}") from None
    if not rows or not {"learner_id", "name"} <= set(rows[0]):
        raise RosterError(
            f"{path} needs a header row with the columns learner_id and name."
        )
    learners, seen = [], set()
    for line, row in enumerate(rows, start=2):
        learner_id = (row["learner_id"] or "").strip()
        name = (row["name"] or "").strip()
        problem = id_problem(learner_id)
        if problem:
            raise RosterError(f"{path}, line {line}: {problem}")
        if not name:
            raise RosterError(f"{path}, line {line}: the name is empty.")
        if any(unicodedata.category(ch)[0] == "C" for ch in name):
            raise RosterError(
                f"{path}, line {line}: the name has control characters in it."
            )
        if learner_id.lower() in seen:  # Alice.ipynb and alice.ipynb can collide
            raise RosterError(f"{path}, line {line}: {learner_id} appears twice.")
        seen.add(learner_id.lower())
        name = unicodedata.normalize("NFC", name)
        extra = _extra_minutes(row.get("extra_minutes"), f"{path}, line {line}")
        learners.append(Learner(learner_id, name, extra))
    return learners


def build_papers(
    exam: ExamDefinition,
    key: bytes | Keys,
    learners: list[Learner],
    out: Path,
    attempt: int = 1,
    *,
    gradebook: Gradebook | None = None,
    now: datetime | None = None,
    override: Override | None = None,
) -> list[Path]:
    """Write one notebook per learner into `out`; returns the paths.

    With a gradebook, each paper's issue is recorded there and the exam's
    retake rules are applied first: if any learner's paper is refused, none is
    written (`PolicyRefusal` lists them all) unless `override` says who allows
    it and why, which is recorded with each issue it allowed.
    """
    now = now or datetime.now(UTC)
    if exam.retired:
        raise PolicyRefusal(
            f"{exam.exam_id} version {exam.version} is retired: no new papers are "
            "built for it (its items are published as the practice bank). Build "
            "papers for the current version instead."
        )
    numbers = _forms(exam, key, learners, attempt, gradebook)
    papers = [
        paper_for(
            exam,
            key,
            learner.learner_id,
            attempt,
            learner.name,
            numbers.get(learner.learner_id),
        )
        for learner in learners
    ]
    overridden = set()
    if gradebook is not None:
        refused = []
        for learner in learners:
            earlier = gradebook.issues(learner.learner_id, exam.exam_id, exam.version)
            if any(i.attempt == attempt for i in earlier):
                continue  # a rebuild of an issued paper: same paper, same clock
            problem = retake_problem(exam, attempt, earlier, now)
            if problem:
                refused.append(f"{learner.learner_id}: {problem}")
                overridden.add(learner.learner_id)
        if refused and override is None:
            raise PolicyRefusal(
                f"No papers were written: {len(refused)} learner(s) may not sit "
                f"attempt {attempt} now.\n- "
                + "\n- ".join(refused)
                + "\nAn administrator can allow it with --override-reason and --admin."
            )
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for learner, paper in zip(learners, papers, strict=True):
        if gradebook is not None:
            allowed = override if learner.learner_id in overridden else None
            gradebook.issue_paper(
                new_issue(exam, paper, learner.extra_minutes, now, allowed)
            )
        path = out / f"{learner.learner_id}.ipynb"
        nbformat.write(notebook(paper), path)
        paths.append(path)
    return paths


def _forms(
    exam: ExamDefinition,
    key: bytes | Keys,
    learners: list[Learner],
    attempt: int,
    gradebook: Gradebook | None,
) -> dict[str, int | None]:
    """Each learner's coded form number (none for an exam with drawn forms).

    The gradebook's issue records say which forms this version has given out,
    so a rebuild keeps a paper's form and a new paper never repeats one.
    Without a gradebook only this batch is kept apart.
    """
    if not exam.coded:
        return {}
    issued: dict[tuple[str, int], int | None] = {}
    if gradebook is not None:
        issued = gradebook.issued_forms(exam.exam_id, exam.version)
    legacy = {
        learner.learner_id
        for learner in learners
        if (learner.learner_id, attempt) in issued
        and issued[(learner.learner_id, attempt)] is None
    }
    requests = [
        (learner.learner_id, attempt)
        for learner in learners
        if learner.learner_id not in legacy
    ]
    try:
        numbers = assign_forms(exam, key, requests, issued)
    except FormsExhausted as error:
        raise PolicyRefusal(f"No papers were written: {error}") from None
    found: dict[str, int | None] = {who: form for (who, _), form in numbers.items()}
    found.update(dict.fromkeys(legacy))  # issued before coded forms: rebuilt as drawn
    return found


def notebook(paper: Paper) -> nbformat.NotebookNode:
    """The paper as a notebook with stable cell ids (same paper, same file)."""
    cells = [_markdown("intro", _introduction(paper)), _code("setup", SETUP)]
    for number, section in enumerate(paper.sections, start=1):
        module = f"Module {section.module}, {MODULE_TITLES[section.module]}"
        heading = (
            f"## Section {number}: {section.title} ({section.points} points)\n\n"
            f"*{module}*\n\n{section.prompt}"
        )
        cells.append(_markdown(f"s{number}", heading))
        if section.data_code:
            cells.append(_code(f"s{number}-data", section.data_code))
        for part in section.parts:
            points = f"{part.points} point{'s' if part.points > 1 else ''}"
            cells.append(
                _markdown(
                    f"s{number}-{part.var}",
                    f"**`{part.var}`** ({points}). {part.prompt}",
                )
            )
            cells.append(
                _code(f"s{number}-{part.var}-answer", ANSWER_CELLS[part.kind](part.var))
            )
    cells.append(_markdown("end", _closing()))
    book = nbformat.v4.new_notebook(cells=cells)
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.metadata[METADATA_KEY] = {
        "exam": paper.exam.exam_id,
        "version": paper.exam.version,
        "learner": paper.learner_id,
        "name": paper.name,
        "attempt": paper.attempt,
        "paper": paper.code,
    }
    if paper.form is not None:
        book.metadata[METADATA_KEY]["form"] = paper.form
    return book


def _introduction(paper: Paper) -> str:
    exam = paper.exam
    rows = "\n".join(
        f"| {n} | {s.title} | Module {s.module} | {s.points} |"
        for n, s in enumerate(paper.sections, start=1)
    )
    return f"""# {exam.title}

**Candidate:** {paper.name} (`{paper.learner_id}`) · **Exam:** {exam.exam_id}, version \
{exam.version}, attempt {paper.attempt} · **Time allowed:** {exam.minutes} minutes · \
**Pass mark:** {exam.pass_percent:g}% of {paper.max_points} points

This paper is yours alone: its data and numbers were made for your learner id, so a
colleague's answers are not your answers. Work in this notebook with pandas and
the course package, as in the exercises.

- Replace each `____` with your answer: a number (no quotes, no % sign); for a
  choice, the option's letter in quotes, such as `'b'`; where every option that
  applies is asked for, the letters, such as `'a, c'`; for an order or a matching,
  the letters in order, such as `'c, a, d, b'`; for a written answer, your text
  between triple quotes (`\"\"\"`).
- Written answers are marked by a trainer against the rubric shown with them;
  your result is final once they are marked.
- Give numbers with at least three significant figures; round nothing in between.
- You may add cells anywhere. The grader runs every code cell from top to bottom
  in a fresh process, so make sure *Restart & Run All* gives your answers.
- There are no checks in this notebook: the grader marks it after you hand it in.

| Section | Topic | Module | Points |
|---|---|---|---|
{rows}
"""


def _closing() -> str:
    return (
        "## Before you hand in\n\n"
        "Run *Kernel → Restart & Run All* and check that every answer cell ran. "
        "Save the notebook and hand in the file without renaming it."
    )


def _markdown(cell_id: str, text: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(text)
    cell["id"] = _cell_id(cell_id)
    return cell


def _code(cell_id: str, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = _cell_id(cell_id)
    return cell


def _cell_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:64]
