"""The item engine: templates, sections, parts and the dataset slices they share.

A template takes a `numpy.random.Generator` and returns a `Section`: the prompt
and data the candidate sees, and the parts with the questions that score them.
The same generator state always gives the same section, so the grader rebuilds
the expected answers from the seed instead of storing an answer key anywhere.

Questions reuse the formative check classes, so the feedback a candidate gets on
an exam answer reads like the feedback in the exercises.

- `framework`: `Template`, `Section`, `Part` and the helpers that build parts;
- `slices`: the dataset slices templates share, cut once per process.

The templates themselves live in banks (see `grading.bank`): the published
practice bank in `grading.practice_bank`, the certification bank in the
separate `smm_certbank` distribution that only the grading desk installs.
"""

from __future__ import annotations

from smm_playbook.grading.items.framework import (
    KINDS,
    Part,
    Rubric,
    Section,
    Template,
    choice_part,
    frame_code,
    match_part,
    multi_part,
    order_part,
    prose_of,
    rubric_from,
    value_part,
    written_part,
)

__all__ = [
    "KINDS",
    "Part",
    "Rubric",
    "Section",
    "Template",
    "choice_part",
    "frame_code",
    "match_part",
    "multi_part",
    "order_part",
    "prose_of",
    "rubric_from",
    "value_part",
    "written_part",
]
