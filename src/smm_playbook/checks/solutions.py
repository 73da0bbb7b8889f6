"""The solution a learner sees comes from the authored notebook, not a copy.

`smm-playbook student` reads the cell that ends with `qN.check()` in each
`solutions/*.ipynb`, drops the solution markers, and writes the code (and, for a
written answer, the model answer's text) to `exercises/solutions.json` in the
package. `qN.solution()` shows that, so what the learner is shown is exactly the
code the notebook tests run; a test fails when the file is stale.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

FILE_NAME = "solutions.json"


@cache
def _shown() -> dict[str, dict[str, dict[str, Any]]]:
    try:
        text = (files("smm_playbook.exercises") / FILE_NAME).read_text("utf-8")
        return json.loads(text)
    except (OSError, ValueError):
        return {}


def shown_solution(exercise: str, number: int) -> dict[str, Any] | None:
    """{"code": ..., "text": model answer or absent} for question `number`."""
    return _shown().get(exercise, {}).get(f"q{number}")
