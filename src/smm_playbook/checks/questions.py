"""Question kinds: declare a question as a subclass with class attributes.

    class EngagementRateByReach(ValueQuestion):
        var = "er_reach"
        expected = 3.0
        unit = "percent"
        hints = ("Which number counts the people who saw the post?",)
        solution = "```python\\ner_reach = 120 / 4000 * 100\\n```"
        misconceptions = (Misconception(0.6, "You divided by followers ..."),)

`Question.evaluate(namespace)` reads the learner's variables from `namespace`, and
returns a `Feedback`; it never raises, whatever the learner's value is.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from smm_playbook.checks.calling import call_learner_function, check_callable
from smm_playbook.checks.errors import Incorrect, NotAttempted
from smm_playbook.checks.feedback import Feedback
from smm_playbook.checks.placeholder import PLACEHOLDER
from smm_playbook.checks.values import (
    close,
    normalise_choice,
    safe_repr,
    to_number,
    type_name,
)


@dataclass(frozen=True)
class Misconception:
    """A typical wrong answer and the message that explains it.

    `answer` is the wrong answer itself or a zero-argument callable computing it
    (for answers that depend on data).
    """

    answer: Any
    message: str

    def resolve(self) -> Any:
        return self.answer() if callable(self.answer) else self.answer


class Question(ABC):
    """Base class: reading variables, "not attempted", and never raising."""

    var: ClassVar[str | tuple[str, ...]] = ()
    points: ClassVar[int] = 1
    title: ClassVar[str] = ""
    hints: ClassVar[tuple[str, ...]] = ()
    # Shown only when solutions/ has no cell for the question (see checks.solutions).
    solution: ClassVar[str] = ""
    # A sentence shown after the solution's code: why it is the answer.
    explanation: ClassVar[str] = ""
    needs_review: ClassVar[bool] = False

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return (cls.var,) if isinstance(cls.var, str) else tuple(cls.var)

    def evaluate(self, namespace: Mapping[str, Any]) -> Feedback:
        """Grade the learner's answer found in `namespace`."""
        try:
            values = self._read(namespace)
            message = self.grade(values)
            return self.passed(values, message)
        except NotAttempted as outcome:
            return Feedback("not_attempted", str(outcome))
        except Incorrect as outcome:
            return Feedback("incorrect", str(outcome))
        except Exception as error:  # a learner object misbehaved in a way we missed
            return Feedback(
                "error",
                f"Your answer could not be checked ({type(error).__name__}). "
                "Make sure it is the kind of value the question asks for, then run "
                "the check again.",
            )

    def _read(self, namespace: Mapping[str, Any]) -> dict[str, Any]:
        values = {}
        for name in self.names():
            if name not in namespace:
                raise NotAttempted(
                    f"Define `{name}`, then run `check()` again. It will tell you "
                    "whether your answer is right."
                )
            if namespace[name] is PLACEHOLDER:
                raise NotAttempted(
                    f"Replace `____` in the line that sets `{name}` with your answer, "
                    "then run `check()` again."
                )
            values[name] = namespace[name]
        return values

    @abstractmethod
    def grade(self, values: dict[str, Any]) -> str | None:
        """Raise `Incorrect` for a wrong answer; return an optional success message."""

    def passed(self, values: dict[str, Any], message: str | None) -> Feedback:
        """The feedback for an answer `grade` accepted (written work overrides it)."""
        return Feedback("correct", message or "Well done.")


def resolve(value: Any) -> Any:
    """Class attributes may be constants or zero-argument callables (data-driven)."""
    return value() if callable(value) else value


class ValueQuestion(Question):
    """One or more numbers compared with a tolerance.

    `expected` is a number (one `var`) or a dict {var: number}, or a method returning
    either. `unit` ("percent" or "fraction") adds the 100× misconception for free.
    """

    expected: ClassVar[Any] = None
    rtol: ClassVar[float] = 0.005
    atol: ClassVar[float] = 1e-9
    unit: ClassVar[str | None] = None
    misconceptions: ClassVar[tuple[Misconception, ...]] = ()

    def _targets(self) -> dict[str, float]:
        expected = resolve(self.expected)
        if isinstance(expected, Mapping):
            return dict(expected)
        return {self.names()[0]: expected}

    def grade(self, values: dict[str, Any]) -> str | None:
        numbers = {name: to_number(values[name], name) for name in values}
        for name, target in self._targets().items():
            if not close(numbers[name], target, self.rtol, self.atol):
                raise Incorrect(self._explain(name, numbers, target))
        return None

    def _explain(self, name: str, numbers: dict[str, float], target: float) -> str:
        got = numbers[name]
        for item in self.misconceptions:
            wrong = item.resolve()
            wrong = wrong.get(name) if isinstance(wrong, Mapping) else wrong
            if wrong is not None and close(got, wrong, self.rtol, self.atol):
                return item.message
        if self.unit == "percent" and close(got * 100, target, self.rtol, self.atol):
            return f"`{name}` looks like a fraction; give it as a percentage (× 100)."
        if self.unit == "fraction" and close(got / 100, target, self.rtol, self.atol):
            return f"`{name}` looks like a percentage; give it as a fraction (÷ 100)."
        return f"`{name}` = {safe_repr(got)} is not right yet."


class ChoiceQuestion(Question):
    """Single or multiple choice. `correct` is a letter or a set of letters."""

    options: ClassVar[Mapping[str, str]] = {}
    correct: ClassVar[str | frozenset[str]] = ""
    why: ClassVar[Mapping[str, str]] = {}

    def grade(self, values: dict[str, Any]) -> str | None:
        name = self.names()[0]
        chosen = normalise_choice(values[name], name, tuple(self.options))
        correct = self._correct()
        if len(correct) == 1 and len(chosen) > 1:
            raise Incorrect(f"Choose just one option for `{name}`.")
        if chosen == correct:
            return self.why.get(next(iter(correct))) if len(correct) == 1 else None
        wrong = sorted(chosen - correct)
        reasons = [f"({x}) {self.why[x]}" for x in wrong if x in self.why]
        if len(correct) > 1 and not wrong:
            reasons.append("Everything you chose is right, but something is missing.")
        return self._fail(
            reasons or ["That is not the best answer; reread the options."]
        )

    def _correct(self) -> frozenset[str]:
        return frozenset(
            [self.correct] if isinstance(self.correct, str) else self.correct
        )

    @staticmethod
    def _fail(reasons: list[str]) -> None:
        raise Incorrect(" ".join(reasons))


class SequenceQuestion(Question):
    """Letters in an order: a ranking (first to last) or a matching (the letter
    for item 1, item 2, …). Given as `'c, a, b'` or `'cab'`; all or nothing.

    `wrong` maps a typical wrong sequence (a string of letters) to its explanation.
    """

    options: ClassVar[Mapping[str, str]] = {}
    correct: ClassVar[str] = ""
    length: ClassVar[int] = 0  # how many letters the answer has (0: len(correct))
    wrong: ClassVar[Mapping[str, str]] = {}

    def grade(self, values: dict[str, Any]) -> str | None:
        name = self.names()[0]
        given = read_sequence(values[name], name, tuple(self.options))
        expected = tuple(self.correct)
        if len(given) != len(expected):
            raise Incorrect(
                f"`{name}` should have {len(expected)} letters, one per item "
                f"(it has {len(given)})."
            )
        if given == expected:
            return None
        note = self.wrong.get("".join(given))
        if note:
            raise Incorrect(note)
        right = sum(a == b for a, b in zip(given, expected, strict=True))
        raise Incorrect(
            f"{right} of {len(expected)} positions are right; the order as a whole "
            "is not."
        )


def read_sequence(value: object, name: str, letters: tuple[str, ...]) -> tuple:
    """Read 'c, a, b', 'cab', 'C A B' or ['c', 'a', 'b'] as ('c', 'a', 'b')."""
    if isinstance(value, str):
        text = value.replace(";", ",").replace(" ", ",")
        parts = text.split(",") if "," in text else list(text)
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        raise Incorrect(
            f"`{name}` should be letters in quotes, such as `'c, a, b'` "
            f"(it is a `{type_name(value)}`)."
        )
    if not all(isinstance(part, str) for part in parts):
        raise Incorrect(f"Each item of `{name}` should be a letter in quotes.")
    sequence = tuple(p.strip().strip(").").lower() for p in parts if p.strip())
    unknown = sorted(set(sequence) - set(letters))
    if unknown or not sequence:
        options = ", ".join(f"`'{x}'`" for x in letters)
        raise Incorrect(f"`{name}` should use the option letters {options}.")
    return sequence


class FunctionQuestion(Question):
    """The learner writes a function; we run it on test cases.

    `cases` is a sequence of (args tuple, expected number); `misconceptions` pairs a
    wrong reference function with a message.
    """

    cases: ClassVar[tuple[tuple[tuple, float], ...]] = ()
    rtol: ClassVar[float] = 1e-6
    misconceptions: ClassVar[tuple[tuple[Callable, str], ...]] = ()

    def grade(self, values: dict[str, Any]) -> str | None:
        name = self.names()[0]
        function = check_callable(values[name], name)
        results = [
            call_learner_function(function, name, args) for args, _ in self.cases
        ]
        for (args, expected), got in zip(self.cases, results, strict=True):
            number = to_number(got, f"{name}{args!r}")
            if not close(number, expected, self.rtol, 1e-12):
                raise Incorrect(self._explain(name, args, number, results))
        return None

    def _explain(self, name: str, args: tuple, got: float, results: list) -> str:
        for reference, message in self.misconceptions:
            if all(
                _same_number(reference(*a), r)
                for (a, _), r in zip(self.cases, results, strict=True)
            ):
                return message
        call = f"{name}{args!r}" if len(args) != 1 else f"{name}({args[0]!r})"
        return f"`{call}` returned {safe_repr(got)}, which is not right."


def _same_number(a: Any, b: Any) -> bool:
    try:
        return close(float(a), float(b), 1e-6, 1e-12)
    except Exception:
        return False


# Written answers live in their own module; these names stay importable from here.
from smm_playbook.checks.written import (  # noqa: E402
    Criterion,
    Forbidden,
    TextQuestion,
    count_words,
)

__all__ = [
    "ChoiceQuestion",
    "Criterion",
    "Forbidden",
    "FunctionQuestion",
    "Misconception",
    "Question",
    "TextQuestion",
    "ValueQuestion",
    "count_words",
    "resolve",
]
