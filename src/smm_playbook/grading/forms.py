"""Coded forms: which templates each paper of a sitting gets, so that no two share many.

A form is one template per blueprint module plus the written item(s). Drawn
independently for each learner, two learners of a cohort of 40 now and then
share half their templates or more. Coded forms rule that out by construction:

- Number the forms 0 … 124 and read form `f` as three digits (a, b, c) in base 5,
  the coefficients of a point of the projective plane over the field of five
  elements.
- Give each module of the blueprint a fixed point P = (x, y, z) of that plane. The
  form's template for that module is number (a·x + b·y + c·z) mod 5 in the
  module's templates, ordered for this exam version by the trainer's secret.
- Two forms f ≠ g then pick the same template in a module exactly when
  (a−a')·x + (b−b')·y + (c−c')·z = 0 mod 5, that is when the module's point lies on
  one line of the plane. The modules' points below are chosen so that no line
  holds more than three of them: **two forms share at most three of their nine
  scored templates.** With the written item (three templates, chosen from the form
  number) also shared at worst, that is 4 of 10 templates, 40%, for every pair.

So the guarantee holds between any two *different* forms; `assign` hands each
paper of an exam version its own form (from the gradebook's issue records) and
refuses once all 125 are out. A retake gets the unused form that shares the
fewest templates with the learner's earlier papers (usually none).

Which form a paper has travels in the paper's metadata and inside its HMAC'd
paper code, so the grader rebuilds the same paper without the gradebook and a
candidate cannot switch forms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from smm_playbook.grading import secret

if TYPE_CHECKING:
    from smm_playbook.grading.items.framework import Template

FIELD = 5  # the field's size: a coded slot uses five templates of its module
FORMS = FIELD**3  # 125 forms per exam version

# Eleven points of the projective plane over GF(5), no four on one line (an
# (11, 3)-arc; `tests/test_forms.py` checks every line). Module i of a blueprint
# uses POINTS[i], so a blueprint of up to eleven one-template modules is coded.
POINTS: tuple[tuple[int, int, int], ...] = (
    (1, 2, 0),
    (1, 3, 3),
    (1, 1, 4),
    (1, 1, 0),
    (1, 0, 4),
    (1, 0, 0),
    (1, 0, 1),
    (1, 1, 1),
    (1, 2, 3),
    (1, 3, 1),
    (1, 4, 3),
)


class FormsExhausted(ValueError):
    """Every coded form of an exam version has been issued."""


def digits(form: int) -> tuple[int, int, int]:
    """Form number → its coefficients (a, b, c)."""
    if not 0 <= form < FORMS:
        raise ValueError(f"A form number is between 0 and {FORMS - 1}; got {form}.")
    return form // FIELD**2, form // FIELD % FIELD, form % FIELD


def slot_value(form: int, slot: int) -> int:
    """Which of the slot's five templates form `form` takes (0–4)."""
    a, b, c = digits(form)
    x, y, z = POINTS[slot]
    return (a * x + b * y + c * z) % FIELD


def ordered(
    key: bytes | secret.Keys, exam_key: str, slot: str, templates: Sequence[Template]
) -> list[Template]:
    """A slot's templates in this exam version's secret order."""
    seed = secret.seed(key, exam_key, "coded form", slot)
    order = np.random.default_rng(seed).permutation(len(templates))
    return [templates[i] for i in order]


def form_templates(
    key: bytes | secret.Keys,
    exam_key: str,
    modules: Sequence[tuple[str, Sequence[Template]]],
    written: Sequence[Template],
    written_count: int,
    form: int,
) -> tuple[Template, ...]:
    """The templates of form `form`: one per module, then the written item(s)."""
    if len(modules) > len(POINTS):
        raise ValueError(
            f"Coded forms cover at most {len(POINTS)} modules; the blueprint has "
            f"{len(modules)}."
        )
    chosen = []
    for slot, (module, templates) in enumerate(modules):
        if len(templates) < FIELD:
            raise ValueError(
                f"Coded forms need at least {FIELD} templates in every module; "
                f"module {module} has {len(templates)}."
            )
        chosen.append(ordered(key, exam_key, module, templates)[slot_value(form, slot)])
    if written_count:
        if len(written) < written_count:
            raise ValueError(
                f"The blueprint asks for {written_count} written item(s); the bank "
                f"has {len(written)}."
            )
        pool = ordered(key, exam_key, "written", written)
        chosen += [pool[(form + j) % len(pool)] for j in range(written_count)]
    return tuple(chosen)


def shared(one: Iterable[str], other: Iterable[str]) -> int:
    """How many templates two forms have in common."""
    return len(set(one) & set(other))


def assign(
    key: bytes | secret.Keys,
    exam_key: str,
    requests: Sequence[tuple[str, int]],
    issued: Mapping[tuple[str, int], int | None],
    templates_of: Callable[[int], Sequence[str]],
) -> dict[tuple[str, int], int]:
    """A form for each (learner, attempt) requested, none used twice.

    `issued` maps every (learner, attempt) already issued for this exam version
    to its form (None for a paper from before coded forms); a request already
    issued keeps its form, so rebuilding a paper gives the same paper. New
    papers take unused forms in the version's secret order; a retake takes the
    unused form sharing the fewest templates with that learner's earlier papers.
    `templates_of(form)` gives a form's template keys.
    """
    taken = {form for form in issued.values() if form is not None}
    order = np.random.default_rng(secret.seed(key, exam_key, "form order")).permutation(
        FORMS
    )
    result: dict[tuple[str, int], int] = {}
    for learner, attempt in requests:
        known = issued.get((learner, attempt))
        if known is not None:
            result[(learner, attempt)] = known
            continue
        free = [int(f) for f in order if int(f) not in taken]
        if not free:
            raise FormsExhausted(
                f"All {FORMS} forms of {exam_key} have been issued, so a new paper "
                "would repeat one and the 40% overlap limit could no longer be "
                "kept. Publish a new exam version (its forms are drawn afresh)."
            )
        earlier = [
            templates_of(form)
            for (other, _), form in list(issued.items()) + list(result.items())
            if other == learner and form is not None
        ]
        if earlier:
            free.sort(key=lambda f: max(shared(templates_of(f), e) for e in earlier))
        result[(learner, attempt)] = free[0]
        taken.add(free[0])
    return result
