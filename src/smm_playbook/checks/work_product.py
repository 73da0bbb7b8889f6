"""Work products: a plan, calendar, brief or report written in the notebook.

The learner writes Markdown in a `%%work NAME` cell (it renders as Markdown and
is kept in the kernel as the string `NAME`), in a file `NAME.md` next to the
notebook, or in a Markdown cell tagged `<!-- work: NAME -->` (work_sources.py).
`check()` runs only the checks a machine can do honestly — required sections
present and filled in, word limits, dates and named owners present,
numbers that must agree with the learner's own analysis agreeing — and then
returns "submitted", never "correct": the quality of a plan is judged by a person
against the rubric (`smm-playbook review`).

Each work product's brief, structure and rubric live in one YAML file in
`smm_playbook/rubrics/`, which the book pages render too.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping, MutableMapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import yaml

from smm_playbook.checks import structure as st
from smm_playbook.checks.errors import Incorrect, NotAttempted
from smm_playbook.checks.feedback import Feedback
from smm_playbook.checks.placeholder import PLACEHOLDER
from smm_playbook.checks.questions import Question, count_words
from smm_playbook.checks.work_rules import (
    Agreement,
    extra_rule_problems,
    matching,
    section_problems,
)
from smm_playbook.checks.work_sources import read_file, read_markdown_cell

LEVELS = ("meets", "partly", "not_yet")
LEVEL_NAMES = {"meets": "Meets", "partly": "Partly", "not_yet": "Not yet"}
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
MAX_PROBLEMS = 6  # more than this at once is a wall of red, not feedback


class RubricError(ValueError):
    """A rubric file is malformed; the message names the file and the problem."""


@cache
def load_spec(name: str) -> dict[str, Any]:
    """The brief, structure and rubric of one work product (`rubrics/NAME.yaml`)."""
    path = resources.files("smm_playbook") / "rubrics" / f"{name}.yaml"
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RubricError(f"rubrics/{name}.yaml cannot be read: {error}") from None
    _validate_spec(spec, name)
    return spec


def _validate_spec(spec: Any, name: str) -> None:
    where = f"rubrics/{name}.yaml"
    if not isinstance(spec, dict):
        raise RubricError(f"{where} is not a mapping.")
    for key in ("id", "title", "brief", "hand_in", "sections", "criteria"):
        if key not in spec:
            raise RubricError(f"{where} has no '{key}'.")
    criteria = spec["criteria"]
    if not 4 <= len(criteria) <= 6:
        raise RubricError(f"{where} needs 4 to 6 criteria, not {len(criteria)}.")
    for criterion in criteria:
        missing = [k for k in ("id", "name", *LEVELS) if not criterion.get(k)]
        if missing:
            raise RubricError(f"{where}: a criterion lacks {', '.join(missing)}.")


def criteria(name: str) -> list[dict[str, str]]:
    """The rubric criteria of a work product: id, name, meets, partly, not_yet."""
    return load_spec(name)["criteria"]


def rubric_markdown(name: str) -> str:
    """The rubric as a Markdown table (the book pages and `check()` print this)."""
    head = "| Criterion | Meets | Partly | Not yet |\n|---|---|---|---|\n"
    rows = [
        f"| **{c['name']}** | {_cell(c['meets'])} | {_cell(c['partly'])} | "
        f"{_cell(c['not_yet'])} |"
        for c in criteria(name)
    ]
    return head + "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def brief_markdown(name: str) -> str:
    """The brief, what to hand in and the sections the check looks for."""
    spec = load_spec(name)
    listed = "\n".join(f"{i}. {s['title']}" for i, s in enumerate(spec["sections"], 1))
    words = spec.get("words", {})
    limit = (
        f"\n\nLength: {words['min']}–{words['max']} words."
        if {"min", "max"} <= set(words)
        else ""
    )
    return (
        f"{spec['brief'].strip()}\n\n**What to hand in.** {spec['hand_in'].strip()}"
        f"\n\n**Sections the check looks for** (as Markdown headings, in any order):"
        f"\n\n{listed}{limit}\n"
    )


def calibration_markdown(name: str) -> str:
    """Two excerpts that both pass the check, one "partly" and one "meets" on the
    same criterion, with why: for calibrating reviewers before they mark."""
    spec = load_spec(name)
    pair = spec.get("calibration")
    if not pair:
        return ""
    criterion = next(c for c in spec["criteria"] if c["id"] == pair["criterion"])
    return (
        f"**Criterion: {criterion['name']}.**\n\n"
        f"*Partly:*\n\n> {pair['partly'].strip()}\n\n"
        f"*Meets:*\n\n> {pair['meets'].strip()}\n\n"
        f"**Why.** {pair['why'].strip()}\n"
    )


class _Markdown:
    """Displays as Markdown in Jupyter and as text elsewhere."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


def work_brief(name: str) -> _Markdown:
    """Brief, hand-in and rubric of the work product of exercise `name`."""
    materials = load_spec(name).get("materials", "")
    extra = f"\n**Materials.** {materials.strip()}\n" if materials else ""
    rubric = "\n**Rubric.**\n\n" + rubric_markdown(name)
    return _Markdown(brief_markdown(name) + extra + rubric)


class WorkProductQuestion(Question):
    """A longer piece of work, structurally checked, then submitted for review."""

    rubric_file: ClassVar[str] = ""
    agree: ClassVar[tuple[Agreement, ...]] = ()
    points = 0  # scored by a person against the rubric, not by the check
    needs_review = True

    @property
    def spec(self) -> dict[str, Any]:
        return load_spec(self.rubric_file)

    def evaluate(self, namespace: Mapping[str, Any]) -> Feedback:
        feedback = super().evaluate(namespace)
        if feedback.status == "correct":  # a plan is never "correct"
            return Feedback("submitted", feedback.message, needs_review=True)
        return feedback

    def _read(self, namespace: Mapping[str, Any]) -> dict[str, Any]:
        name = self.names()[0]
        text, source = namespace.get(name, PLACEHOLDER), f"the `%%work {name}` cell"
        if text is not PLACEHOLDER and not isinstance(text, str):
            raise Incorrect(
                f"`{name}` should be your text: write it in the `%%work {name}` cell "
                "and run that cell."
            )
        if not filled_in(text):
            text, source = read_file(Path.cwd() / f"{name}.md"), f"`{name}.md`"
        if not filled_in(text):
            text, source = read_markdown_cell(name, namespace)
        if not filled_in(text):
            raise NotAttempted(
                f"Write your work in the `%%work {name}` cell and run it (or save it "
                f"as `{name}.md` next to this notebook), then run the check again."
            )
        return {"text": text, "source": source, "namespace": namespace}

    def grade(self, values: dict[str, Any]) -> str | None:
        text = values["text"]
        problems = structural_problems(text, self.spec)
        for rule in self.agree:
            problem = rule.problem(self._scope(text, rule), values["namespace"])
            problems += [problem] if problem else []
        if problems:
            shown = problems[:MAX_PROBLEMS]
            more = len(problems) - len(shown)
            tail = f"\n- …and {more} more." if more else ""
            raise Incorrect(
                f"Read from {values['source']}. Fix these first:\n\n- "
                + "\n- ".join(shown)
                + tail
            )
        return (
            f"Read from {values['source']}. The structural checks pass "
            f"({count_words(text)} words; sections, dates and owners present"
            f"{'; numbers agree with your analysis' if self.agree else ''}). "
            "A machine cannot judge whether the plan is good, so this is recorded "
            "for review: score it yourself, with a peer or your trainer, against "
            "the rubric (`smm-playbook review`).\n\n"
            + rubric_markdown(self.rubric_file)
        )

    def _scope(self, text: str, rule: Agreement) -> str:
        if not rule.section:
            return text
        spec = next(s for s in self.spec["sections"] if s["id"] == rule.section)
        return "\n".join(s.body for s in matching(st.sections(text), spec))


def filled_in(text: Any) -> bool:
    """True when a work product holds text of the learner's, not only the
    template's headings and `____` blanks."""
    if not isinstance(text, str):
        return False
    without_headings = "\n".join(
        line for line in text.splitlines() if not re.match(r"^\s*#{1,6}\s", line)
    )
    return st.meaningful(without_headings)


def structural_problems(text: str, spec: Mapping[str, Any]) -> list[str]:
    """Everything a machine can say is missing or wrong, as specific messages."""
    problems = []
    words = count_words(text)
    limits = spec.get("words", {})
    if words < limits.get("min", 0):
        problems.append(f"Write at least {limits['min']} words (you have {words}).")
    if words > limits.get("max", math.inf):
        problems.append(f"Keep it to {limits['max']} words (you have {words}).")
    found = st.sections(text)
    problems += section_problems(found, spec["sections"])
    problems += extra_rule_problems(text, found, spec)
    return problems


def strip_markers(source: str) -> str:
    """The work as the learner sees it: solution marker lines removed."""
    return "\n".join(
        line for line in source.splitlines() if line.strip() not in MARKERS
    )


def _work_magic(line: str, cell: str) -> _Markdown | None:
    """`%%work NAME`: keep the cell's Markdown as the string NAME and show it."""
    name = line.strip()
    if not name.isidentifier():
        print(
            "Write a name after %%work, for example `%%work ninety_day_plan`, "
            "on the first line of the cell."
        )
        return None
    text = strip_markers(cell)
    shell = sys.modules["IPython"].get_ipython()
    shell.user_ns[name] = text
    return _Markdown(text)


def register_magic() -> None:
    """Make `%%work` available when running inside IPython or Jupyter."""
    ipython = sys.modules.get("IPython")  # importing IPython here would slow the CLI
    shell = ipython.get_ipython() if ipython else None
    if shell is None or "work" in shell.magics_manager.magics["cell"]:
        return
    shell.register_magic_function(_work_magic, magic_kind="cell", magic_name="work")


def bind_work_product(
    namespace: MutableMapping[str, Any],
    question: type[WorkProductQuestion],
    exercise: str,
) -> list[str]:
    """Bind a work product as the next qN after the exercise's other questions."""
    from smm_playbook.checks.view import _VIEWS, QuestionView

    taken = [int(k[1:]) for k in namespace if re.fullmatch(r"q\d+", k)]
    view = QuestionView(question(), max(taken, default=0) + 1, exercise)
    namespace[f"q{view.number}"] = view
    namespace["work_brief"] = work_brief
    _VIEWS.append(view)
    register_magic()
    return [f"q{view.number}", "work_brief"]
