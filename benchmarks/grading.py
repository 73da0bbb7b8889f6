"""Exam grading throughput: our grader against nbgrader's autograde, side by side.

`python benchmarks/grading.py [--submissions 40]` (or `make benchmark-grading`):

1. writes N realistic certification hand-ins: each candidate's own paper (their
   own scenarios from the bank and their own data), answered with the model
   answers, 0-2 numbers slipped (a fraction for a percentage) and some exploring
   cells;
2. grades them with `smm-playbook`'s grader (warm fork servers, one per core);
3. installs nbgrader into a separate virtual environment (`_build/nbgrader-venv`,
   reused on later runs) and grades the same kind of hand-ins with `nbgrader
   autograde`. nbgrader grades one notebook layout per assignment, so its N
   candidates all get the first candidate's scenarios (each with their own data):
   answer cells marked as solutions, a hidden test after each number that
   recomputes it from the notebook's own data;
4. prints both throughputs, the per-submission medians and the ratio.

nbgrader executes each notebook in a Jupyter kernel, one after the other; ours
forks a fenced process from a warm server. Its shared tests cannot mark a choice
(the right letter differs per paper) or the written item, so they cover the
numbers only; both graders execute every cell.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
NBGRADER_VENV = ROOT / "_build" / "nbgrader-venv"
NBGRADER = "nbgrader==0.9.6"

EXPLORING = ("print(sorted(globals())[:5])", "import math", "math.sqrt(2)")


def _slipped(part) -> str:
    """A value part answered with a classic slip: a fraction for a percentage."""
    return f"{part.model}\n{part.var} = {part.var} / 100"


def write_submissions(folder: Path, count: int, key: bytes) -> list[Path]:
    """Realistic hand-ins: each candidate's own certification paper, with the
    model answers, a random 0-2 value parts slipped, and some exploring cells."""
    from smm_playbook.grading.exam import CERTIFICATION, paper_for

    rng = np.random.default_rng(2026)
    paths = []
    for index in range(count):
        learner = f"candidate{index:03d}"
        # each candidate's own coded form, as `exam build` would issue them
        paper = paper_for(CERTIFICATION, key, learner, 1, learner.title(), form=index)
        paths.append(_write(folder / f"{learner}.ipynb", paper, rng))
    return paths


def _write(path: Path, paper, rng) -> Path:
    from smm_playbook.grading.model_answers import answer_code, solve
    from smm_playbook.grading.paper import notebook

    values = [p for s in paper.sections for p in s.parts if p.kind == "value"]
    slips = rng.choice(len(values), size=int(rng.integers(0, 3)), replace=False)
    code = answer_code(paper) | {values[i].var: _slipped(values[i]) for i in slips}
    book = solve(notebook(paper), code)
    for number, source in enumerate(EXPLORING):
        cell = nbformat.v4.new_code_cell(source)
        cell["id"] = f"explore-{number}"
        book.cells.append(cell)
    nbformat.write(book, path)
    return path


def same_form_submissions(folder: Path, count: int, key: bytes) -> list[Path]:
    """The same hand-ins for nbgrader, which grades one notebook layout per
    assignment: every candidate gets the first candidate's scenarios (their own
    data), so that one source notebook's tests fit every submission."""
    from smm_playbook.grading import secret
    from smm_playbook.grading.exam import CERTIFICATION, Paper, form_for

    exam = CERTIFICATION
    form = form_for(exam, key, "candidate000", 1, 0)
    rng = np.random.default_rng(2026)
    paths = []
    for index in range(count):
        learner = f"candidate{index:03d}"
        base = (exam.exam_id, exam.version, learner, "1")
        sections = tuple(
            t.build(np.random.default_rng(secret.seed(key, *base, t.key))) for t in form
        )
        paper = Paper(exam, learner, 1, sections, learner.title(), "nbgrader")
        paths.append(_write(folder / f"{learner}.ipynb", paper, rng))
    return paths


def grade_ours(folder: Path, key: bytes, secret_path: Path, work: Path) -> dict:
    from smm_playbook.grading.exam import CERTIFICATION
    from smm_playbook.grading.gradebook import Gradebook
    from smm_playbook.grading.grader import grade_folder

    book = Gradebook(work / "ours.db")
    started = time.perf_counter()
    summary = grade_folder(folder, CERTIFICATION, key, book, secret_path=secret_path)
    wall = time.perf_counter() - started
    book.close()
    runs = [r.seconds for r in summary.graded]
    return {
        "grader": f"smm-playbook ({os.cpu_count()} warm workers)",
        "submissions": len(summary.graded),
        "wall_s": wall,
        "median_s": statistics.median(runs),
        "mean_score": statistics.mean(r.score for r in summary.graded),
    }


# ------------------------------------------------------------------- nbgrader


def nbgrader_python() -> Path:
    """The separate environment: nbgrader, and the course package for the kernel."""
    python = NBGRADER_VENV / "bin" / "python"
    if not (NBGRADER_VENV / ".installed").exists():
        print(f"Installing {NBGRADER} into {NBGRADER_VENV} (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(NBGRADER_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                NBGRADER,
                "ipykernel",
                "--editable",  # a plain install would leave build/ in the repo
                str(ROOT),
            ],
            check=True,
        )
        (NBGRADER_VENV / ".installed").touch()
    return python


def hidden_test(var: str, model: str) -> str:
    """Recompute the answer from this notebook's data, as a hidden nbgrader test."""
    return (
        "### BEGIN HIDDEN TESTS\n"
        "_scratch = dict(globals())\n"
        f"exec({model!r}, _scratch)\n"
        f"_expected = _scratch[{var!r}]\n"
        f"assert abs({var} - _expected) <= 0.005 * abs(_expected) + 1e-9\n"
        "### END HIDDEN TESTS"
    )


def to_nbgrader(book: nbformat.NotebookNode, models: dict[str, str]):
    """Mark answer cells as solutions and add a hidden test after each value part.

    Only value parts get a test: a choice's right letter differs from paper to
    paper (the options are shuffled), which one shared test cannot know, and
    the written item is marked by people.
    """
    cells = []
    for cell in book.cells:
        cells.append(cell)
        if not (cell.cell_type == "code" and cell.get("id", "").endswith("-answer")):
            continue
        var = cell["id"].split("-", 1)[1].removesuffix("-answer")
        cell.metadata["nbgrader"] = {
            "solution": True,
            "grade": False,
            "locked": False,
            "grade_id": f"answer_{var}",
            "schema_version": 3,
        }
        if var not in models:
            continue
        test = nbformat.v4.new_code_cell(hidden_test(var, models[var]))
        test["id"] = f"test-{var}"
        test.metadata["nbgrader"] = {
            "solution": False,
            "grade": True,
            "locked": True,
            "points": 1,
            "grade_id": f"test_{var}",
            "schema_version": 3,
        }
        cells.append(test)
    book.cells = cells
    return book


def _value_models(key: bytes) -> dict[str, str]:
    from smm_playbook.grading.exam import CERTIFICATION, form_for

    form = form_for(CERTIFICATION, key, "candidate000", 1, 0)
    return {
        p.var: p.model
        for t in form
        for p in t.build(np.random.default_rng(0)).parts
        if p.kind == "value"
    }


def grade_nbgrader(submissions: list[Path], work: Path, models: dict[str, str]) -> dict:
    python = nbgrader_python()
    course = work / "nbgrader-course"
    source = course / "source" / "exam"
    source.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'smm'\n"
        "c.ExecutePreprocessor.timeout = 60\n"
    )
    master = to_nbgrader(nbformat.read(submissions[0], as_version=4), models)
    nbformat.write(master, source / "exam.ipynb")
    nbgrader = [str(python), "-m", "nbgrader"]
    # nbgrader runs `alembic` and the kernel from PATH: use its own environment's
    env = os.environ | {"PATH": f"{python.parent}:{os.environ.get('PATH', '')}"}
    made = subprocess.run(
        [*nbgrader, "generate_assignment", "exam", "--force"],
        cwd=course,
        capture_output=True,
        text=True,
        env=env,
    )
    if made.returncode != 0:
        raise SystemExit(f"nbgrader generate_assignment failed:\n{made.stderr}")
    for path in submissions:
        target = course / "submitted" / path.stem / "exam" / "exam.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(to_nbgrader(nbformat.read(path, as_version=4), models), target)
    log_format = "--Application.log_format=%(asctime)s.%(msecs)03d %(message)s"
    started = time.perf_counter()
    run = subprocess.run(
        [
            *nbgrader,
            "autograde",
            "exam",
            "--force",
            log_format,
            "--Application.log_datefmt=%Y-%m-%d %H:%M:%S",
        ],
        cwd=course,
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"nbgrader autograde failed:\n{run.stdout}\n{run.stderr}")
    return {
        "grader": "nbgrader 0.9.6 autograde",
        "submissions": len(submissions),
        "wall_s": wall,
        "median_s": statistics.median(_per_submission(run.stderr + run.stdout, wall)),
        "mean_score": _nbgrader_mean_score(course),
    }


def _per_submission(log: str, wall: float) -> list[float]:
    """Seconds from each student's first log line to the next student's."""
    lines = re.findall(r"^(\S+ \S+)\.(\d{3}) (.*)$", log, re.M)
    stamps = [
        (
            datetime.strptime(when, "%Y-%m-%d %H:%M:%S").timestamp() + int(ms) / 1000,
            text,
        )
        for when, ms, text in lines
    ]
    starts = [t for t, text in stamps if text.startswith("Creating/updating student")]
    if not starts:
        return [wall]
    ends = [*starts[1:], stamps[-1][0]]
    return [end - start for start, end in zip(starts, ends, strict=True)]


def _nbgrader_mean_score(course: Path) -> float:
    import sqlite3

    with sqlite3.connect(course / "gradebook.db") as db:
        rows = db.execute(
            "SELECT s.id, SUM(COALESCE(g.manual_score, g.auto_score, 0)) "
            "FROM submitted_assignment s JOIN submitted_notebook n "
            "ON n.assignment_id = s.id JOIN grade g ON g.notebook_id = n.id "
            "GROUP BY s.id"
        ).fetchall()
    return statistics.mean(score for _, score in rows) if rows else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    from smm_playbook.grading import secret

    work = Path(tempfile.mkdtemp(prefix="smm-bench-grading-", dir="/var/tmp"))
    try:
        secret_path = secret.create(work / "trainer" / "exam.secret")
        key = secret.load(secret_path)
        folder = work / "handed-in"
        folder.mkdir()
        write_submissions(folder, args.submissions, key)
        rows = [grade_ours(folder, key, secret_path, work)]
        if not args.skip_nbgrader:
            same = work / "same-form"
            same.mkdir()
            paths = same_form_submissions(same, args.submissions, key)
            rows.append(grade_nbgrader(paths, work, _value_models(key)))
        _report(rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(rows: list[dict]) -> None:
    print(
        f"\n{'grader':<36} {'n':>4} {'wall s':>8} {'per s':>7} {'median s':>9}"
        f" {'mean score':>11}"
    )
    for row in rows:
        row["throughput"] = row["submissions"] / row["wall_s"]
        print(
            f"{row['grader']:<36} {row['submissions']:>4} {row['wall_s']:>8.2f} "
            f"{row['throughput']:>7.2f} {row['median_s']:>9.3f} "
            f"{row['mean_score']:>11.2f}"
        )
    if len(rows) == 2:
        ratio = rows[0]["throughput"] / rows[1]["throughput"]
        median_ratio = rows[1]["median_s"] / rows[0]["median_s"]
        print(
            f"\nThroughput ratio (ours / nbgrader): {ratio:.1f}x (target >= 5x); "
            f"per-submission median ratio: {median_ratio:.1f}x; our median "
            f"{rows[0]['median_s']:.3f} s (target <= 0.3 s)."
        )


if __name__ == "__main__":
    main()
