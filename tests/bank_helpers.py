"""Checking item templates: build them for many seeds and hand in model answers.

`model_outcomes` runs a section the way the grader would, without the sandbox
(fast enough for hundreds of seeds): the paper's set-up, the section's data
cell, then each part's model answer (or its stated key), and scores every part
with its own question.
"""

from __future__ import annotations

import numpy as np

from smm_playbook.checks import PLACEHOLDER, Incorrect
from smm_playbook.grading.items.framework import KINDS, Section, Template
from smm_playbook.grading.model_answers import answer_code
from smm_playbook.grading.paper import SETUP

SEEDS = range(200)
DECISIONS = {"choice", "multi", "order", "match"}


def build(template: Template, seed: int) -> Section:
    return template.build(np.random.default_rng(seed))


class _OnePaper:
    """Just enough of a Paper for `answer_code`."""

    def __init__(self, section: Section) -> None:
        self.sections = (section,)


def model_namespace(section: Section, overrides: dict[str, str] | None = None):
    """The namespace after the set-up, the data cell and the model answers."""
    namespace: dict = {}
    exec(SETUP, namespace)  # noqa: S102 - our own code
    if section.data_code:
        exec(section.data_code, namespace)  # noqa: S102
    code = answer_code(_OnePaper(section)) | (overrides or {})
    for part in section.parts:
        if part.var in code:
            exec(code[part.var], namespace)  # noqa: S102
    return namespace


def model_outcomes(section: Section, overrides=None) -> dict[str, str]:
    """{var: "correct" | message} for every part, with the model answers."""
    namespace = model_namespace(section, overrides)
    outcomes = {}
    for part in section.parts:
        value = namespace.get(part.var, PLACEHOLDER)
        if hasattr(value, "item"):  # numpy scalars arrive as plain values
            value = value.item()
        try:
            part.question.grade({part.var: value})
            outcomes[part.var] = "correct"
        except Incorrect as wrong:
            outcomes[part.var] = str(wrong)
    return outcomes


def rule_problems(template: Template, seed: int) -> list[str]:
    """What about this build breaks the bank's rules (see the bank's README)."""
    section = build(template, seed)
    problems = []
    if section.key != template.key or section.module != template.module:
        problems.append(f"{template.key}: section key/module differ from the template")
    kinds = [part.kind for part in section.parts]
    if any(kind not in KINDS for kind in kinds):
        problems.append(f"{template.key}: unknown kind in {kinds}")
    if template.written:
        if kinds != ["written"]:
            problems.append(f"{template.key}: a written template has one written part")
        return problems
    if len(section.parts) != 4 or any(part.points != 1 for part in section.parts):
        problems.append(f"{template.key}: needs exactly 4 parts of 1 point each")
    if "value" not in kinds:
        problems.append(f"{template.key}: needs a number (a value part)")
    if not DECISIONS & set(kinds):
        problems.append(f"{template.key}: needs a decision or diagnosis part")
    return problems
