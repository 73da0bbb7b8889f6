"""Model answers: the code a competent candidate writes for each part of a paper.

Every template attaches its own model answer to each part (`Part.model`): code
that computes the answer from the data in the paper, the way the modules teach.
They are the realistic submissions the tests and the grading benchmark hand in.
A choice part without one (a pure judgement) is answered with its key; a
written part's model is an exemplar answer written for its scenario.
"""

from __future__ import annotations

import nbformat

from smm_playbook.grading.exam import Paper


def answer_code(paper: Paper) -> dict[str, str]:
    """Code for every part of `paper`: the model answer, or the stated key."""
    code = {}
    for section in paper.sections:
        for part in section.parts:
            if part.model:
                code[part.var] = part.model
            elif part.kind != "written":
                code[part.var] = f"{part.var} = {part.key!r}"
    return code


def solve(book: nbformat.NotebookNode, code: dict[str, str]) -> nbformat.NotebookNode:
    """Put `code[var]` into the answer cell of each part named in `code`."""
    for cell in book.cells:
        cell_id = cell.get("id", "")
        if cell.cell_type == "code" and cell_id.endswith("-answer"):
            var = cell_id.split("-", 1)[1].removesuffix("-answer")
            if var in code:
                cell.source = code[var]
    return book
