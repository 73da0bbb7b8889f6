"""One module per exercise notebook; each declares its questions as classes.

`CATALOGUE` lists them in course order (used by `smm-playbook progress`).

Importing an exercise module is slow (it loads pandas, the simulators, the
datasets), so what the progress table needs of each question (its class name,
number, title and points) is also shipped as `catalogue.json`, read by
`catalogue_index()` without importing any exercise. `smm-playbook student`
rewrites that file from the modules (`render_index()`) along with the learner
notebooks, and a test fails when the shipped file differs from the modules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smm_playbook.checks.view import QuestionView

CATALOGUE = (
    "ex00_primer",
    "ex00_orientation",
    "ex01_strategy",
    "ex02_content",
    "ex03_moderation",
    "ex04_crisis",
    "ex05_paid",
    "ex06_roi",
    "ex07_creators",
    "ex08_listening",
)

INDEX_FILE = "catalogue.json"
INDEX = Path(__file__).resolve().parent / INDEX_FILE


def question_views(exercise: str) -> list[QuestionView]:
    """The question views an exercise module binds (q1, q2, …), in order.

    Imports the exercise module, with everything it uses.
    """
    import importlib

    module = importlib.import_module(f"{__name__}.{exercise}")
    return [getattr(module, name) for name in module.__all__ if _is_question(name)]


def _is_question(name: str) -> bool:
    return name.startswith("q") and name[1:].isdigit()


def build_index() -> dict[str, list[dict[str, Any]]]:
    """{exercise: [{"qid", "number", "title", "points"}, …]} from the modules."""
    return {
        exercise: [
            {
                "qid": view.qid,
                "number": view.number,
                "title": view.question.title,
                "points": view.question.points,
            }
            for view in question_views(exercise)
        ]
        for exercise in CATALOGUE
    }


def render_index() -> str:
    """The exact text `catalogue.json` must have for the modules as they are."""
    return json.dumps(build_index(), indent=1, ensure_ascii=False) + "\n"


def catalogue_index() -> dict[str, list[dict[str, Any]]]:
    """The shipped index, read without importing any exercise module."""
    from importlib.resources import files

    return json.loads((files(__name__) / INDEX_FILE).read_text("utf-8"))
