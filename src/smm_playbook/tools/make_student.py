"""solutions/*.ipynb (authored, with answers) → exercises/*.ipynb (for learners).

Two markers, as in nbgrader and Otter:

    er_reach = 120 / 4000 * 100  # SOLUTION
        → er_reach = ____  # Replace ____ with your answer

    ### BEGIN SOLUTION
    ...any lines, the last assignment being `name = ...`...
    ### END SOLUTION
        → # Your code here
          name = ____  # Replace ____ with your answer

A block that assigns nothing, or one that returns (a function body, whatever it
assigns on the way), becomes `____  # Replace ____ with your code` at the block's
indentation. In a `%%work NAME` cell (Markdown, see checks/work_product.py) a
block becomes the line `____`, and the headings around it stay as the template.

Outputs, execution counts and editor metadata are removed so the learner copy is
clean and byte-for-byte reproducible (a test regenerates and compares).

The same pass writes what `qN.solution()` shows: the code of each cell that ends
with `qN.check()`, markers removed, into the package's exercises/solutions.json
(see `smm_playbook.checks.solutions`), so the solution a learner sees is the one
the notebook tests run. It also rewrites the catalogue index that
`smm-playbook progress` reads (exercises/catalogue.json: each question's number,
title and points, from the exercise modules; see `smm_playbook.exercises`).
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import nbformat

from smm_playbook.exercises import INDEX as CATALOGUE_INDEX
from smm_playbook.exercises import render_index

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_ONE_LINE = re.compile(r"^(?P<lhs>\s*[\w.\[\]'\", ]+?)\s*=(?!=).*#\s*SOLUTION\s*$")
_KEEP_METADATA = ("kernelspec", "language_info")
_CHECK = re.compile(r"^\s*q(\d+)(?:\.[a-h])?\.check\(\)\s*$")
_SOLUTION_TAIL = re.compile(r"\s*#\s*SOLUTION\s*$")
SHOWN = Path(__file__).resolve().parents[1] / "exercises" / "solutions.json"


class MarkerError(ValueError):
    """A solution marker is malformed; the message names notebook and cell."""


def student_source(source: str, where: str) -> str:
    """Replace every solution in one code cell's source."""
    if source.startswith("%%work"):
        return _work_template(source, where)
    out: list[str] = []
    block: list[str] | None = None
    indent = ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if block is not None:
                raise MarkerError(f"{where}: {BEGIN} inside another solution block.")
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END:
            if block is None:
                raise MarkerError(f"{where}: {END} without {BEGIN}.")
            out.extend(_placeholder_block(block, indent, where))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(_one_line(line, where))
    if block is not None:
        raise MarkerError(f"{where}: {BEGIN} is never closed with {END}.")
    return "\n".join(out)


def _work_template(source: str, where: str) -> str:
    """A Markdown work product: each solution block becomes one `____` line."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        marker = line.strip()
        if marker in (BEGIN, END) and inside == (marker == END):
            inside = marker == BEGIN
            out += [] if inside else ["____"]
        elif marker in (BEGIN, END):
            raise MarkerError(f"{where}: {marker} out of order in a %%work cell.")
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: {BEGIN} is never closed with {END}.")
    return "\n".join(out)


def _placeholder_block(block: list[str], indent: str, where: str) -> list[str]:
    """What the learner sees instead of a solution block."""
    try:
        tree = ast.parse(textwrap.dedent("\n".join(block)))
    except SyntaxError as error:
        raise MarkerError(
            f"{where}: the solution block is not valid Python ({error})."
        ) from None
    names = [
        node.targets[0].id
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    ]
    is_function_body = any(isinstance(node, ast.Return) for node in tree.body)
    if is_function_body or not names:
        return [f"{indent}____  # Replace ____ with your code"]
    return [
        f"{indent}# Your code here",
        f"{indent}{names[-1]} = ____  # Replace ____ with your answer",
    ]


def _one_line(line: str, where: str) -> str:
    if "# SOLUTION" not in line:
        return line
    match = _ONE_LINE.match(line)
    if not match:
        raise MarkerError(
            f"{where}: '# SOLUTION' only works on an assignment: {line!r}"
        )
    return f"{match['lhs']} = ____  # Replace ____ with your answer"


def make_student(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Return the learner copy of an authored notebook."""
    student = nbformat.v4.new_notebook()
    student.metadata = {
        k: notebook.metadata[k] for k in _KEEP_METADATA if k in notebook.metadata
    }
    if "language_info" in student.metadata:
        student.metadata["language_info"] = {"name": "python"}
    for index, cell in enumerate(notebook.cells, start=1):
        tags = cell.get("metadata", {}).get("tags", [])
        metadata = {"tags": tags} if tags else {}
        if cell.cell_type == "code":
            source = student_source(cell.source, f"{name}, cell {index}")
            new = nbformat.v4.new_code_cell(source, metadata=metadata)
        else:
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=metadata)
        new.id = f"cell-{index:02d}"  # stable ids keep regenerated files identical
        student.cells.append(new)
    return student


def shown_solutions(notebook: nbformat.NotebookNode) -> dict[str, dict[str, str]]:
    """{"qN": {"code": ..., "text": ...}} from the cells that check a question.

    "code" is the cell without its markers and `check()` calls; "text" is there
    when the cell only assigns a string (a written answer's model answer).
    """
    shown: dict[str, dict[str, str]] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code" or ("SOLUTION" not in cell.source):
            continue
        lines = cell.source.splitlines()
        numbers = {m[1] for m in map(_CHECK.match, lines) if m}
        if len(numbers) != 1:
            continue
        kept = [
            _SOLUTION_TAIL.sub("", line)
            for line in lines
            if line.strip() not in (BEGIN, END) and not _CHECK.match(line)
        ]
        code = "\n".join(kept).strip("\n")
        entry = {"code": code}
        text = _string_answer(code)
        if text is not None:
            entry["text"] = text
        shown[f"q{numbers.pop()}"] = entry
    return shown


def _string_answer(code: str) -> str | None:
    tree = ast.parse(code)
    if len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign):
        value = tree.body[0].value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return " ".join(value.value.split("\n")).replace("  ", " ").strip()
    return None


def render_shown(solutions: Path) -> str:
    """The exact text of solutions.json for every notebook in `solutions`."""
    shown = {
        path.stem: shown_solutions(nbformat.read(path, as_version=4))
        for path in sorted(solutions.glob("*.ipynb"))
    }
    return json.dumps(shown, indent=1, ensure_ascii=False) + "\n"


def render(path: Path) -> str:
    """The exact text of the learner notebook for `path`."""
    notebook = nbformat.read(path, as_version=4)
    return nbformat.writes(make_student(notebook, path.name)) + "\n"


def build(
    solutions: Path,
    exercises: Path,
    check: bool = False,
    shown: Path | None = SHOWN,
    catalogue: Path | None = CATALOGUE_INDEX,
) -> list[Path]:
    """Write (or, with check=True, only compare) every learner notebook, the
    solutions file `qN.solution()` reads and the catalogue index.

    Returns the files that were written, or that differ when checking.
    """
    changed = []
    text = render_shown(solutions)
    if shown and _update(shown, text, check):
        changed.append(shown)
    if catalogue and _update(catalogue, render_index(), check):
        changed.append(catalogue)
    for source in sorted(solutions.glob("*.ipynb")):
        target = exercises / source.name
        text = render(source)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        changed.append(target)
        if not check:
            exercises.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return changed


def _update(target: Path, text: str, check: bool) -> bool:
    """Whether `target` differs from `text`; unless checking, write it."""
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    if not check:
        target.write_text(text, encoding="utf-8")
    return True
