"""One build per template and seed, shared by a module's certbank tests.

`bank_helpers.rule_problems` builds the section itself; `cached` wraps a
template so that the build for a seed is made once and reused (the determinism
tests compare it with a fresh build), which keeps a module's file fast.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from smm_playbook.grading.items.framework import Section, Template


def cached(template: Template) -> Template:
    store: dict[int, Section] = {}

    def build(rng: np.random.Generator) -> Section:
        state = rng.bit_generator.state["state"]["state"]
        if state not in store:
            store[state] = template.build(rng)
        return store[state]

    return Template(template.key, template.module, build, template.written)


def data_of(section: Section) -> dict:
    """The variables the section's data cell defines, as a candidate sees them."""
    namespace: dict = {"io": io, "pd": pd}
    exec(section.data_code, namespace)  # noqa: S102 - our own bank's code
    return namespace


def key_text(section: Section, var: str):
    """The option text(s) a part's key points at (a set for multi parts)."""
    part = next(p for p in section.parts if p.var == var)
    options, correct = part.question.options, part.question.correct
    if isinstance(correct, frozenset):
        return frozenset(options[letter] for letter in correct)
    if part.kind in ("order", "match"):
        return tuple(options[letter] for letter in correct)
    return options[correct]


def part_of(section: Section, var: str):
    return next(p for p in section.parts if p.var == var)


def signature(section: Section) -> tuple:
    """Everything a paper shows and scores, comparable between two builds."""
    parts = tuple(
        (
            p.var,
            p.points,
            p.prompt,
            p.kind,
            p.model,
            p.key,
            getattr(p.question, "expected", None),
            tuple(getattr(p.question, "options", {}).items()),
        )
        for p in section.parts
    )
    return (section.key, section.title, section.prompt, section.data_code, parts)
