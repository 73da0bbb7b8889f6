"""Every solution notebook ends with all checks passing; every exercise notebook
runs clean with all checks "not attempted"."""

from __future__ import annotations

import importlib
import json

import nbformat
import pytest

from conftest import ROOT, execute_notebook
from smm_playbook.checks import TextQuestion, WorkProductQuestion

SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
REPORT = (
    "import json; from smm_playbook.checks import session_outcomes; "
    "print(json.dumps(session_outcomes()))"
)

pytestmark = pytest.mark.notebooks


def has_written_work(exercise: str) -> bool:
    """The primer practises recipes only; every module exercise ends with written
    work (a work product or a written answer), which is submitted, never correct."""
    module = importlib.import_module(f"smm_playbook.exercises.{exercise}")
    return any(
        isinstance(getattr(module, name).question, TextQuestion | WorkProductQuestion)
        for name in module.__all__
        if name[0] == "q" and name[1:].isdigit()
    )


def test_only_the_primer_has_no_written_work():
    assert [p.stem for p in SOLUTIONS if not has_written_work(p.stem)] == [
        "ex00_primer"
    ]


def outcomes_after_running(path, tmp_path) -> dict[str, dict[str, str]]:
    """Execute a copy of the notebook, then ask its kernel how every check ended."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(REPORT))
    execute_notebook(notebook, tmp_path)
    text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
    return json.loads(text)


def test_there_are_notebooks_to_check():
    assert SOLUTIONS, "no solution notebooks found"
    assert [p.name for p in SOLUTIONS] == [p.name for p in EXERCISES]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_check_passes_in_the_solution_notebook(path, tmp_path):
    outcomes = outcomes_after_running(path, tmp_path)
    statuses = outcomes[path.stem]
    # written answers are submitted for review, never "correct"
    ok = ("correct", "submitted")
    assert statuses and all(s in ok for s in statuses.values()), statuses
    assert "correct" in statuses.values()
    if has_written_work(path.stem):
        assert list(statuses.values())[-1] == "submitted"  # written work


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_every_check_is_not_attempted_in_the_learner_notebook(path, tmp_path):
    outcomes = outcomes_after_running(path, tmp_path)
    statuses = outcomes[path.stem]
    assert statuses and all(s == "not_attempted" for s in statuses.values()), statuses


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_learner_notebooks_carry_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
