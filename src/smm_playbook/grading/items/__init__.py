"""The exam's sections: one per module, each built from a learner's own random stream.

A builder takes a `numpy.random.Generator` and returns a `Section`: the prompt
and data the learner sees, and the parts with the questions that score them.
The same generator state always gives the same section, so the grader rebuilds
the expected answers from the seed instead of storing an answer key anywhere.

Data comes from the course's own datasets (a learner's sample of rows) or, where
a module's skill is a calculation on a few figures, from ranges taken from them.
Questions reuse the formative check classes, so the feedback a learner gets on
an exam answer reads like the feedback in the exercises.

The package is laid out as:

- `framework`: `Part`, `Section` and the helpers that build parts;
- `slices`: the dataset slices the builders share, cut once per process;
- `m0_engagement` … `m6_value`: one module per section of the exam, in the
  order of the course's modules, each with its prose in a YAML file of the
  same name.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from smm_playbook.grading.items.framework import (
    Part,
    Section,
    choice_part,
    frame_code,
    value_part,
)
from smm_playbook.grading.items.m0_engagement import ENGAGEMENT, engagement
from smm_playbook.grading.items.m1_audiences import audiences
from smm_playbook.grading.items.m2_ab_test import ab_test
from smm_playbook.grading.items.m3_service import NEEDS_RESPONSE, service
from smm_playbook.grading.items.m4_crisis import crisis
from smm_playbook.grading.items.m5_paid import paid
from smm_playbook.grading.items.m6_value import value

__all__ = [
    "BUILDERS",
    "ENGAGEMENT",
    "NEEDS_RESPONSE",
    "Part",
    "Section",
    "ab_test",
    "audiences",
    "choice_part",
    "crisis",
    "engagement",
    "frame_code",
    "paid",
    "service",
    "value",
    "value_part",
]

BUILDERS: dict[str, Callable[[np.random.Generator], Section]] = {
    "engagement": engagement,
    "audiences": audiences,
    "ab_test": ab_test,
    "service": service,
    "crisis": crisis,
    "paid": paid,
    "value": value,
}
