"""Formative checks for exercise notebooks (in the style of Kaggle's learntools).

An exercise module declares questions as classes and binds them:

    __all__ = bind_exercises(
        globals(), [EngagementRateByReach, ...], "ex00_orientation"
    )

and a notebook uses them as `q1.check()`, `q1.hint()`, `q1.solution()`.
Written answers (`TextQuestion`) are never "correct": they come back "submitted"
and wait for a person's review (see `checks.written`). A `MultipartQuestion`
reports "2 of 3 right" (see `checks.multipart`).

The names below are imported from their modules when first used (PEP 562), so
importing one light module of the package, such as `checks.progress` for
`smm-playbook progress`, does not import pandas with `checks.frames`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smm_playbook.checks.errors import Incorrect, NotAttempted
    from smm_playbook.checks.feedback import Feedback
    from smm_playbook.checks.frames import FrameQuestion
    from smm_playbook.checks.multipart import MultipartQuestion
    from smm_playbook.checks.placeholder import PLACEHOLDER
    from smm_playbook.checks.questions import (
        ChoiceQuestion,
        Criterion,
        Forbidden,
        FunctionQuestion,
        Misconception,
        Question,
        SequenceQuestion,
        TextQuestion,
        ValueQuestion,
    )
    from smm_playbook.checks.view import (
        QuestionView,
        bind_exercises,
        session_outcomes,
    )
    from smm_playbook.checks.work_product import (
        WorkProductQuestion as WorkProductQuestion,
    )

# Each public name and the module of this package it comes from.
_HOMES = {
    "Incorrect": "errors",
    "NotAttempted": "errors",
    "Feedback": "feedback",
    "FrameQuestion": "frames",
    "MultipartQuestion": "multipart",
    "PLACEHOLDER": "placeholder",
    "ChoiceQuestion": "questions",
    "Criterion": "questions",
    "Forbidden": "questions",
    "FunctionQuestion": "questions",
    "Misconception": "questions",
    "Question": "questions",
    "SequenceQuestion": "questions",
    "TextQuestion": "questions",
    "ValueQuestion": "questions",
    "QuestionView": "view",
    "bind_exercises": "view",
    "session_outcomes": "view",
    "WorkProductQuestion": "work_product",
}

__all__ = [
    "PLACEHOLDER",
    "ChoiceQuestion",
    "Criterion",
    "Feedback",
    "Forbidden",
    "FrameQuestion",
    "FunctionQuestion",
    "Incorrect",
    "Misconception",
    "MultipartQuestion",
    "NotAttempted",
    "Question",
    "SequenceQuestion",
    "QuestionView",
    "TextQuestion",
    "ValueQuestion",
    "bind_exercises",
    "session_outcomes",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
