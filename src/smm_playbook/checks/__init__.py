"""Formative checks for exercise notebooks (in the style of Kaggle's learntools).

An exercise module declares questions as classes and binds them:

    __all__ = bind_exercises(
        globals(), [EngagementRateByReach, ...], "ex00_orientation"
    )

and a notebook uses them as `q1.check()`, `q1.hint()`, `q1.solution()`.
Written answers (`TextQuestion`) are never "correct": they come back "submitted"
and wait for a person's review (see `checks.written`). A `MultipartQuestion`
reports "2 of 3 right" (see `checks.multipart`).
"""

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
from smm_playbook.checks.view import QuestionView, bind_exercises, session_outcomes
from smm_playbook.checks.work_product import WorkProductQuestion as WorkProductQuestion

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
