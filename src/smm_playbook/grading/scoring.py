"""Scoring in the trusted grader: plain answers in, points and feedback out.

The answers are the JSON the runner sent (numbers, text, lists, or markers for
what it could not copy). Expected answers come from rebuilding the paper from
the seed; nothing the submission printed or defined is consulted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from smm_playbook.checks import PLACEHOLDER, Incorrect
from smm_playbook.grading.exam import Paper


@dataclass(frozen=True)
class PartResult:
    section: str
    module: str
    part: str
    points: float
    max_points: float
    outcome: str  # correct, incorrect, not_attempted, awaiting_review
    feedback: str
    kind: str = "value"
    given: str = ""  # the answer as JSON ("" when none was set)


def score(paper: Paper, answers: dict[str, Any]) -> list[PartResult]:
    results = []
    for section in paper.sections:
        for part in section.parts:
            outcome, feedback = _judge(part, answers)
            if outcome == "correct" and part.kind == "written":
                outcome = "awaiting_review"  # a trainer's marks decide its points
            earned = part.points if outcome == "correct" else 0
            results.append(
                PartResult(
                    section.key,
                    section.module,
                    part.var,
                    earned,
                    part.points,
                    outcome,
                    feedback,
                    part.kind,
                    given_text(answers.get(part.var)),
                )
            )
    return results


def _judge(part, answers: dict[str, Any]) -> tuple[str, str]:
    name = part.var
    if name not in answers:
        return "not_attempted", f"No answer: `{name}` was never set."
    value = decode(answers[name])
    if value is PLACEHOLDER:
        return "not_attempted", f"No answer: `{name}` still holds `____`."
    if isinstance(value, Unreadable):
        return "incorrect", f"`{name}` could not be marked: it was {value.what}."
    try:
        message = part.question.grade({name: value})
    except Incorrect as wrong:
        return "incorrect", str(wrong)
    except Exception as error:  # a grading bug must not sink the whole submission
        return "incorrect", f"`{name}` could not be marked ({type(error).__name__})."
    return "correct", message or "Correct."


GIVEN_LIMIT = 20_000  # characters of an answer kept in the gradebook


def given_text(value: Any) -> str:
    """The answer as the runner sent it, as JSON, for item analysis and review."""
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False)
    return text[:GIVEN_LIMIT]


class Unreadable:
    def __init__(self, what: str) -> None:
        self.what = what


def decode(value: Any) -> Any:
    """Turn the runner's JSON back into answer values, markers into objects."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        items = [decode(item) for item in value]
        bad = [item for item in items if isinstance(item, Unreadable)]
        return Unreadable(f"a list holding {bad[0].what}") if bad else items
    if isinstance(value, dict) and len(value) == 1:
        ((marker, detail),) = value.items()
        if marker == "placeholder":
            return PLACEHOLDER
        if marker in ("unreadable", "too_long"):
            return Unreadable(str(detail)[:100])
    return Unreadable("a value of an unknown kind")
