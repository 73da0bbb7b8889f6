"""The item framework: templates, the sections they build, and the part helpers.

A *template* is one scenario of one module: given a paper's random stream it
builds a `Section` (the prompt and data the candidate sees) whose *parts* are
the scored answers. A bank is a set of templates (`grading.bank`); a form draws
some of them (`grading.exam`). Part kinds:

- `value`: a number computed from the paper's data (tolerance, typical mistakes);
- `choice` / `multi`: one letter, or every letter that applies;
- `order` / `match`: letters in an order (a ranking, or the letter per item);
- `written`: text a trainer marks against a rubric (`exam review`).

Each part may carry `model`: the code a competent candidate writes for it, which
the tests and the grading benchmark run as realistic submissions.
"""

from __future__ import annotations

import importlib.resources
import string
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import yaml

from smm_playbook.checks import (
    ChoiceQuestion,
    Incorrect,
    Misconception,
    Question,
    SequenceQuestion,
    ValueQuestion,
)

# The question classes keep the module name they had before the split.
PACKAGE = "smm_playbook.grading.items"


KINDS = ("value", "choice", "multi", "order", "match", "written")


@dataclass(frozen=True)
class Criterion:
    """One line of a written item's rubric: what earns 0 … `top` points."""

    name: str
    description: str
    levels: tuple[str, ...]  # what each score means, from 0 up

    @property
    def top(self) -> int:
        return len(self.levels) - 1


@dataclass(frozen=True)
class Rubric:
    rubric_id: str
    criteria: tuple[Criterion, ...]

    @property
    def points(self) -> int:
        return sum(c.top for c in self.criteria)


@dataclass(frozen=True)
class Part:
    """One answer variable, its points and the question that scores it."""

    var: str
    points: int
    prompt: str
    question: Question
    kind: str = "value"
    model: str = ""  # code a competent candidate writes; "" = state the key
    rubric: Rubric | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        """What a correct answer looks like, for parts with a fixed key."""
        correct = getattr(self.question, "correct", "")
        if isinstance(correct, frozenset):
            return ", ".join(sorted(correct))
        return ", ".join(correct) if self.kind in ("order", "match") else correct


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


@dataclass(frozen=True)
class Template:
    """A scenario of one module that builds a section from a random stream."""

    key: str
    module: str
    build: Callable[[np.random.Generator], Section]
    written: bool = False  # marked by a trainer (drawn in the form's written slot)


def value_part(
    var: str,
    points: int,
    prompt: str,
    expected: float,
    *,
    unit: str | None = None,
    rtol: float = 0.005,
    wrong: Iterable[tuple[float, str]] = (),
    model: str = "",
) -> Part:
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
    return Part(var, points, prompt, question, "value", model)


def distinct_wrong(
    expected: float, pairs: Iterable[tuple[float, str]], rtol: float = 0.02
) -> list[tuple[float, str]]:
    """The typical wrong answers a grader can tell from the right one and from
    each other: finite, and more than `rtol` (relative) away from both."""
    kept: list[tuple[float, str]] = []
    seen = [float(expected)]
    for value, note in pairs:
        value = float(value)
        if np.isfinite(value) and all(
            abs(value - s) > rtol * max(abs(s), 1e-9) for s in seen
        ):
            kept.append((value, note))
            seen.append(value)
    return kept


def _order(options: Sequence[str], rng: np.random.Generator | None) -> list[int]:
    """The order the options are shown in: shuffled per paper when `rng` is given."""
    order = list(range(len(options)))
    if rng is not None:
        order = [int(i) for i in rng.permutation(len(options))]
    return order


def _lettered(
    options: Sequence[str], order: list[int]
) -> tuple[dict[str, str], dict[int, str]]:
    """Letters for the shown options, and each original index's letter."""
    letters = string.ascii_lowercase[: len(options)]
    shown = {letters[k]: options[i] for k, i in enumerate(order)}
    letter_of = {i: letters[k] for k, i in enumerate(order)}
    return shown, letter_of


def _listing(shown: dict[str, str]) -> str:
    return "\n".join(f"- ({x}) {o}" for x, o in shown.items())


def choice_part(
    var: str,
    points: int,
    prompt: str,
    options: Sequence[str],
    correct: int | np.integer | Collection[int],
    why: Mapping[int, str] | None = None,
    *,
    rng: np.random.Generator | None = None,
    model: str = "",
) -> Part:
    """A lettered choice. `correct` is an option index (one answer) or a set of
    indexes (every option that applies); `why` maps an index to the reason that
    option is wrong. Indexes refer to `options` as given; with `rng` the paper
    shows them in a shuffled order."""
    if len(options) != len(set(options)) or len(options) < 2:
        raise ValueError(f"{var}: options must be at least two distinct texts.")
    order = _order(options, rng)
    shown, letter_of = _lettered(options, order)
    key: str | frozenset[str]
    if isinstance(correct, int | np.integer):
        multi, key = False, letter_of[int(correct)]
    else:
        multi, key = True, frozenset(letter_of[i] for i in correct)
    attributes = {
        "__module__": PACKAGE,
        "var": var,
        "points": points,
        "options": shown,
        "correct": key,
        "why": {letter_of[i]: text for i, text in (why or {}).items()},
    }
    question = type(f"Exam_{var}", (ChoiceQuestion,), attributes)()
    kind = "multi" if multi else "choice"
    text = f"{prompt}\n\n{_listing(shown)}"
    return Part(var, points, text, question, kind, model)


def multi_part(
    var: str,
    points: int,
    prompt: str,
    options: Sequence[str],
    correct: Collection[int],
    why: Mapping[int, str] | None = None,
    *,
    rng: np.random.Generator | None = None,
    model: str = "",
) -> Part:
    """Every option that applies (`correct`: a set of indexes, at least one)."""
    if not correct:
        raise ValueError(f"{var}: at least one option must apply.")
    return choice_part(
        var, points, prompt, options, set(correct), why, rng=rng, model=model
    )


def order_part(
    var: str,
    points: int,
    prompt: str,
    options: Sequence[str],
    order: Sequence[int],
    *,
    wrong: Iterable[tuple[Sequence[int], str]] = (),
    rng: np.random.Generator | None = None,
    model: str = "",
) -> Part:
    """Put the options in order: `order` lists the option indexes first to last.
    `wrong` pairs a typical wrong order (indexes) with its explanation."""
    if sorted(order) != list(range(len(options))):
        raise ValueError(f"{var}: the order must use every option once.")
    shown_order = _order(options, rng)
    shown, letter_of = _lettered(options, shown_order)
    spell = lambda seq: "".join(letter_of[i] for i in seq)  # noqa: E731
    attributes = {
        "__module__": PACKAGE,
        "var": var,
        "points": points,
        "options": shown,
        "correct": spell(order),
        "wrong": {spell(seq): note for seq, note in wrong},
    }
    question = type(f"Exam_{var}", (SequenceQuestion,), attributes)()
    text = f"{prompt}\n\n{_listing(shown)}"
    return Part(var, points, text, question, "order", model)


def match_part(
    var: str,
    points: int,
    prompt: str,
    items: Sequence[str],
    options: Sequence[str],
    matches: Sequence[int],
    *,
    wrong: Iterable[tuple[Sequence[int], str]] = (),
    rng: np.random.Generator | None = None,
    model: str = "",
) -> Part:
    """Match each item (numbered 1, 2, …) to an option (lettered): `matches[i]`
    is the index of item i's option. Options may be used more than once or not
    at all. `wrong` pairs a typical wrong matching (indexes) with its note."""
    if len(matches) != len(items) or not all(0 <= m < len(options) for m in matches):
        raise ValueError(f"{var}: one option index per item.")
    shown, letter_of = _lettered(options, _order(options, rng))
    spell = lambda seq: "".join(letter_of[i] for i in seq)  # noqa: E731
    attributes = {
        "__module__": PACKAGE,
        "var": var,
        "points": points,
        "options": shown,
        "correct": spell(matches),
        "wrong": {spell(seq): note for seq, note in wrong},
    }
    question = type(f"Exam_{var}", (SequenceQuestion,), attributes)()
    numbered = "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))
    text = f"{prompt}\n\n{numbered}\n\nOptions:\n\n{_listing(shown)}"
    return Part(var, points, text, question, "match", model)


class WrittenAnswer(Question):
    """A written exam answer: readable text is accepted for a trainer to mark."""

    min_words: int = 40

    def grade(self, values: dict[str, Any]) -> str | None:
        name = self.names()[0]
        text = values[name]
        if not isinstance(text, str):
            raise Incorrect(f"`{name}` should be your text, in triple quotes.")
        words = len(text.split())
        if words < self.min_words:
            raise Incorrect(
                f"`{name}` has {words} words; a trainer marks answers of at least "
                f"{self.min_words}."
            )
        return "Handed in for a trainer to mark against the rubric."


def written_part(
    var: str, prompt: str, rubric: Rubric, *, min_words: int = 40, model: str = ""
) -> Part:
    """Text a trainer marks; its points are the rubric's."""
    attributes = {
        "__module__": PACKAGE,
        "var": var,
        "points": rubric.points,
        "min_words": min_words,
    }
    question = type(f"Exam_{var}", (WrittenAnswer,), attributes)()
    criteria = "\n".join(
        f"- **{c.name}** (0–{c.top}): {c.description}" for c in rubric.criteria
    )
    text = (
        f"{prompt}\n\nA trainer marks it against these criteria (at least "
        f"{min_words} words):\n\n{criteria}"
    )
    return Part(var, rubric.points, text, question, "written", model, rubric)


def rubric_from(data: dict[str, Any]) -> Rubric:
    """A rubric from its YAML: {id, criteria: [{name, description, levels: […]}]}."""
    criteria = tuple(
        Criterion(c["name"], c["description"].strip(), tuple(c["levels"]))
        for c in data["criteria"]
    )
    return Rubric(data["id"], criteria)


def frame_code(name: str, frame: pd.DataFrame) -> str:
    """Python that rebuilds `frame` in the learner's notebook, CSV inline."""
    csv = frame.to_csv(index=False).strip()
    return f'{name} = pd.read_csv(io.StringIO("""\n{csv}\n"""))'


@cache
def prose_of(module: str) -> dict[str, Any]:
    """The wording of the template module `module` (its `__name__`).

    It lives in the package-data file `<name>.yaml` next to the module: the
    title, the prompts, the options and the notes on typical wrong answers.
    """
    package, _, leaf = module.rpartition(".")
    path = importlib.resources.files(package) / f"{leaf}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))
