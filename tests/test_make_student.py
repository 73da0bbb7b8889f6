"""The learner copies are generated from the authored solutions, and kept in sync."""

from __future__ import annotations

import nbformat
import pytest

from conftest import ROOT
from smm_playbook.tools.make_student import (
    MarkerError,
    build,
    make_student,
    shown_solutions,
    student_source,
)


def test_exercises_are_up_to_date_with_solutions():
    stale = build(ROOT / "solutions", ROOT / "exercises", check=True)
    assert not stale, f"regenerate with `smm-playbook student`: {stale}"


def test_no_exercise_without_a_solution():
    solutions = {p.name for p in (ROOT / "solutions").glob("*.ipynb")}
    assert {p.name for p in (ROOT / "exercises").glob("*.ipynb")} <= solutions


def test_one_line_solution_becomes_a_placeholder():
    out = student_source("rate = 120 / 4000 * 100  # SOLUTION\nq1.check()", "nb")
    assert out == "rate = ____  # Replace ____ with your answer\nq1.check()"


def test_block_keeps_the_last_assigned_name():
    source = (
        "x = 1\n### BEGIN SOLUTION\ntmp = 2\nanswer = tmp * 3\n"
        "### END SOLUTION\nq1.check()"
    )
    assert student_source(source, "nb").splitlines() == [
        "x = 1",
        "# Your code here",
        "answer = ____  # Replace ____ with your answer",
        "q1.check()",
    ]


def test_function_body_becomes_an_indented_placeholder():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
    )
    out = student_source(source, "nb")
    assert out == "def f(x):\n    ____  # Replace ____ with your code"
    compile(out, "nb", "exec")


def test_a_function_body_that_assigns_on_the_way_is_still_one_placeholder():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    y = 2 * x\n    return y\n"
        "    ### END SOLUTION\n"
    )
    assert student_source(source, "nb") == (
        "def f(x):\n    ____  # Replace ____ with your code"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
        ("x = 1\n### END SOLUTION\n", "without"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n", "inside another"),
        ("print(1)  # SOLUTION\n", "only works on an assignment"),
        ("### BEGIN SOLUTION\nx = (\n### END SOLUTION\n", "not valid Python"),
    ],
)
def test_malformed_markers_fail_naming_the_cell(source, message):
    with pytest.raises(MarkerError, match=f"ex.ipynb, cell 3: .*{message}|{message}"):
        student_source(source, "ex.ipynb, cell 3")


def test_outputs_and_counts_are_cleared():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1  # SOLUTION", execution_count=4)
    cell.outputs = [nbformat.v4.new_output("stream", text="hi")]
    notebook.cells.append(cell)
    student = make_student(notebook, "ex.ipynb")
    assert student.cells[0].outputs == [] and student.cells[0].execution_count is None


def test_solutions_leak_no_answer_into_exercises():
    for path in (ROOT / "exercises").glob("*.ipynb"):
        text = path.read_text()
        assert "SOLUTION" not in text and "120 / 4000" not in text


def test_the_solution_shown_is_the_marked_cell_without_markers():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("## Question 1"),
        nbformat.v4.new_code_cell("x = 1\nrate = x * 3  # SOLUTION\n\nq1.check()"),
        nbformat.v4.new_code_cell(
            "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n"
            "    ### END SOLUTION\n\nq2.a.check()\nq2.check()"
        ),
        nbformat.v4.new_code_cell(
            '### BEGIN SOLUTION\nmemo = """Reach counts\npeople."""\n'
            "### END SOLUTION\n\nq3.check()"
        ),
        nbformat.v4.new_code_cell("print('exploration')  # no check, no entry"),
    ]
    shown = shown_solutions(notebook)
    assert shown == {
        "q1": {"code": "x = 1\nrate = x * 3"},
        "q2": {"code": "def f(x):\n    return 2 * x"},
        "q3": {
            "code": 'memo = """Reach counts\npeople."""',
            "text": "Reach counts people.",
        },
    }


def test_every_question_shows_its_solution_notebooks_cell():
    import json

    from smm_playbook.checks.solutions import shown_solution
    from smm_playbook.exercises import CATALOGUE
    from smm_playbook.tools.make_student import SHOWN

    assert json.loads(SHOWN.read_text("utf-8")).keys() == set(CATALOGUE)
    for name in CATALOGUE:
        notebook = nbformat.read(ROOT / "solutions" / f"{name}.ipynb", as_version=4)
        solution_cells = [
            c for c in notebook.cells if "q" in c.source and "SOLUTION" in c.source
        ]
        assert solution_cells
        shown = shown_solution(name, 1)
        assert shown["code"] and "SOLUTION" not in shown["code"]
        assert "check()" not in shown["code"]
