"""Written answers: structural checks a machine can trust, then a human review.

A regex cannot tell good writing from bad, so a written answer is never "Correct".
`TextQuestion` splits what it checks in two:

- **Blocking checks** (status "incorrect", with a message naming the problem):
  text rather than some other value, the word limits, forbidden content (blame,
  speculation, personal data, a hostile tone, a claim that contradicts the module),
  criteria marked `required` (a number, a date, a named owner), and numbers that
  must agree with the learner's own analysis (`facts`).
- **Rubric elements** (status "submitted"): the feedback lists which elements it
  found and which it did not, and the answer is recorded for a trainer or a peer
  to review (`smm-playbook progress` shows it as submitted, then reviewed).

Every criterion carries English and Chinese patterns, so an answer written in 中文
is checked with 中文 patterns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from smm_playbook.checks.errors import Incorrect
from smm_playbook.checks.feedback import Feedback
from smm_playbook.checks.questions import Question

# Negation just before a match ("we don't blame anyone", "我们不怪") cancels it,
# when nothing but words and spaces stand between the two.
_NEGATION = re.compile(
    r"(\b(not|never|no|nobody|no one|don't|do not|won't|will not|isn't|aren't|"
    r"without|instead of|rather than|avoid|avoids|avoiding)\b|n't\b|不|没有|并非|"
    r"无意|避免|而不是)[\w\s']{0,25}$",
    re.IGNORECASE,
)


def _plain_quotes(text: str) -> str:
    """Curly apostrophes (what word processors type) as straight ones."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


@dataclass(frozen=True)
class Criterion:
    """One element a written answer should contain; any pattern (regex) meets it.

    `required=True` makes it a blocking structural check (a number, a date, an
    owner); otherwise it is a rubric element listed as found or not found.
    """

    name: str
    patterns: tuple[str, ...]
    missing: str
    required: bool = False

    def met_by(self, text: str) -> bool:
        text = _plain_quotes(text)
        return any(re.search(p, text, flags=re.IGNORECASE) for p in self.patterns)


@dataclass(frozen=True)
class Forbidden:
    """Content that blocks an answer. `negatable`: "we don't blame" is not blame."""

    pattern: str
    message: str
    negatable: bool = False

    def found_in(self, text: str) -> bool:
        text = _plain_quotes(text)
        for match in re.finditer(self.pattern, text, flags=re.IGNORECASE):
            before = text[max(0, match.start() - 40) : match.start()]
            if not (self.negatable and _NEGATION.search(before)):
                return True
        return False


# A hostile or contemptuous tone has no place in anything a brand writes.
HOSTILE = (
    Forbidden(
        r"\b(idiots?|stupid|morons?|dumb|pathetic|shut up|learn to read|calm down|"
        r"your own fault|you should have (read|known|checked)|not our problem|"
        r"deal with it|stop whining)\b|活该|白痴|傻[瓜子逼]|闭嘴|你自己的问题|"
        r"怪你自己|爱买不买",
        "The tone is hostile or dismissive. Whoever reads it (a customer, your "
        "manager, the public) should meet respect, even when they are wrong.",
    ),
)


def as_forbidden(item: Forbidden | tuple[str, str]) -> Forbidden:
    """Accept the older (pattern, message) pairs as well as `Forbidden`."""
    return item if isinstance(item, Forbidden) else Forbidden(*item)


def count_words(text: str) -> int:
    """Words in English-style text plus Chinese characters counted two to a word.

    Chinese is written without spaces, so `split()` would call a whole paragraph
    one word; two characters is about the length of a Chinese word.
    """
    han = re.findall(r"[\u4e00-\u9fff]", text)
    latin = re.sub(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+", " ", text)
    return len(latin.split()) + math.ceil(len(han) / 2)


# Not inside a word or after a decimal point; Chinese may touch it ("约为17.6").
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%)?")


@dataclass(frozen=True)
class Quoted:
    """A number as written in an answer: its value, decimals shown, a % sign."""

    raw: str
    value: float
    decimals: int
    percent: bool


def quoted_numbers(text: str) -> list[Quoted]:
    """Every number in `text` ("1,035", "9.50", "+16%"), years left out."""
    numbers = []
    for match in _NUMBER.finditer(text):
        whole, fraction, percent = match.groups()
        value = float(whole.replace(",", "") + (fraction or ""))
        if not fraction and not percent and 1900 <= value <= 2100:
            continue  # a year
        decimals = len(fraction) - 1 if fraction else 0
        numbers.append(Quoted(match.group(0).strip(), value, decimals, bool(percent)))
    return numbers


def agrees(number: Quoted, value: float) -> bool:
    """The quoted number is `value` rounded as shown (or within 1 %)."""
    target = 100 * value if number.percent else value
    shown = round(target, number.decimals)
    return math.isclose(number.value, shown, abs_tol=10**-number.decimals / 2) or (
        target != 0 and abs(number.value - target) <= 0.01 * abs(target)
    )


@dataclass(frozen=True)
class RubricResult:
    """What a written answer met: the rubric elements found and not found."""

    found: tuple[Criterion, ...]
    missing: tuple[Criterion, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


class TextQuestion(Question):
    """A written answer: blocking structural checks, then recorded for review.

    `check()` never returns "correct": an answer that passes the structural checks
    comes back "submitted", with the rubric elements found and not found.
    """

    rubric: ClassVar[tuple[Criterion, ...]] = ()
    # Checked first, in order; (pattern, message) pairs are accepted too.
    forbidden: ClassVar[tuple[Forbidden | tuple[str, str], ...]] = ()
    hostile: ClassVar[tuple[Forbidden, ...]] = HOSTILE
    min_words: ClassVar[int] = 15
    max_words: ClassVar[int] = 250
    needs_review = True
    # Numbers that must come from the learner's own analysis (see `facts`).
    facts_message: ClassVar[str] = ""

    def facts(self) -> Mapping[str, float]:
        """Values the answer's numbers must agree with; empty when none are needed.

        When not empty, the answer must quote at least one of `key_facts()`, and
        every number written with decimals must agree with one of `facts()`.
        """
        return {}

    def key_facts(self) -> Mapping[str, float]:
        return self.facts()

    def text_of(self, values: dict[str, Any]) -> str:
        name = self.names()[0]
        text = values[name]
        if not isinstance(text, str):
            raise Incorrect(f'Write `{name}` as text between quotes (""" ... """).')
        return text

    def grade(self, values: dict[str, Any]) -> str | None:
        """Raise `Incorrect` for anything a machine can honestly call wrong."""
        text = self.text_of(values)
        if len(text) > 50 * self.max_words:  # before any pattern runs on it
            raise Incorrect(f"Keep it under {self.max_words} words.")
        for item in (*map(as_forbidden, self.forbidden), *self.hostile):
            if item.found_in(text):
                raise Incorrect(item.message)
        words = count_words(text)
        if words < self.min_words:
            raise Incorrect(
                f"Write at least {self.min_words} words (you have {words})."
            )
        if words > self.max_words:
            raise Incorrect(f"Keep it under {self.max_words} words (you have {words}).")
        required = [c.missing for c in self.rubric if c.required and not c.met_by(text)]
        if required:
            raise Incorrect(" ".join(required))
        self._check_facts(text)
        return None

    def _check_facts(self, text: str) -> None:
        facts = self.facts()
        if not facts:
            return
        numbers = quoted_numbers(text)
        for number in numbers:
            if number.decimals and not any(agrees(number, v) for v in facts.values()):
                raise Incorrect(
                    f"The figure {number.raw} does not agree with your analysis. "
                    + self.facts_message
                )
        key = self.key_facts().values()
        if not any(agrees(n, v) for n in numbers for v in key):
            raise Incorrect(self.facts_message)

    def assess(self, text: str) -> RubricResult:
        """Which rubric elements `text` meets (the required ones included)."""
        found = tuple(c for c in self.rubric if c.met_by(text))
        return RubricResult(found, tuple(c for c in self.rubric if c not in found))

    def passed(self, values: dict[str, Any], message: str | None) -> Feedback:
        text = self.text_of(values)
        result = self.assess(text)
        details = {
            "answer": text,
            "found": [c.name for c in result.found],
            "missing": [c.name for c in result.missing],
        }
        return Feedback(
            "submitted", _submitted_message(result), needs_review=True, details=details
        )


def _submitted_message(result: RubricResult) -> str:
    lines = [
        "Your answer is recorded for review: a written answer is read by a person "
        "(your trainer, a peer or you), never marked right by a machine."
    ]
    if result.found:
        names = ", ".join(c.name for c in result.found)
        lines.append(f"Found in it: {names}.")
    if result.missing:
        lines.append(
            "Not found: "
            + " ".join(f"**{c.name}**: {c.missing}" for c in result.missing)
        )
    else:
        lines.append("Every element of the rubric is there.")
    lines.append("Compare it with the model answer (`solution()`).")
    return "\n\n".join(lines)
