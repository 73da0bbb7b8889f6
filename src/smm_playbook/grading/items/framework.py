"""The item framework: what a section is, and the helpers that build its parts."""

from __future__ import annotations

import importlib.resources
import string
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd
import yaml

from smm_playbook.checks import ChoiceQuestion, Misconception, Question, ValueQuestion

# The question classes keep the module name they had before the split.
PACKAGE = "smm_playbook.grading.items"


@dataclass(frozen=True)
class Part:
    """One answer variable, its points and the question that scores it."""

    var: str
    points: int
    prompt: str
    question: Question


@dataclass(frozen=True)
class Section:
    """What one module contributes to a paper."""

    key: str
    module: str
    title: str
    prompt: str
    data_code: str
    parts: tuple[Part, ...]

    @property
    def points(self) -> int:
        return sum(part.points for part in self.parts)


def value_part(var, points, prompt, expected, *, unit=None, rtol=0.005, wrong=()):
    """A numeric answer; `wrong` pairs typical wrong answers with explanations."""
    attributes = {
        "__module__": PACKAGE,
        "var": var,
        "points": points,
        "expected": float(expected),
        "unit": unit,
        "rtol": rtol,
        "misconceptions": tuple(Misconception(float(a), m) for a, m in wrong),
    }
    question = type(f"Exam_{var}", (ValueQuestion,), attributes)()
    return Part(var, points, prompt, question)


def choice_part(var, points, prompt, options: list[str], correct: int, why=None):
    """A lettered choice; `why` maps an option index to the reason it is wrong."""
    letters = string.ascii_lowercase[: len(options)]
    attributes = {
        "__module__": PACKAGE,
        "var": var,
        "points": points,
        "options": dict(zip(letters, options, strict=True)),
        "correct": letters[correct],
        "why": {letters[i]: text for i, text in (why or {}).items()},
    }
    question = type(f"Exam_{var}", (ChoiceQuestion,), attributes)()
    lines = "\n".join(f"- ({x}) {o}" for x, o in zip(letters, options, strict=True))
    return Part(var, points, f"{prompt}\n\n{lines}", question)


def frame_code(name: str, frame: pd.DataFrame) -> str:
    """Python that rebuilds `frame` in the learner's notebook, CSV inline."""
    csv = frame.to_csv(index=False).strip()
    return f'{name} = pd.read_csv(io.StringIO("""\n{csv}\n"""))'


@cache
def prose(section: str) -> dict[str, Any]:
    """The wording of `section` (a module name such as "m0_engagement").

    It lives in the package-data file `<section>.yaml` next to the module: the
    title, the prompts, the options and the notes on typical wrong answers.
    """
    path = importlib.resources.files(PACKAGE) / f"{section}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
