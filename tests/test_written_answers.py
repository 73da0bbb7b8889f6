"""Every written question is proved on fixtures (tests/fixtures/written_answers.yaml).

Good answers (the book's own model answers, quoted verbatim, and answers worded
differently, in English and in Chinese) must meet every rubric element; bad
answers (keyword salad, a hostile reply, a claim that contradicts the module)
must not, and the feedback must name what is wrong. No written answer is ever
"correct".
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from smm_playbook.checks import TextQuestion
from smm_playbook.checks.progress import submitted_answers
from smm_playbook.exercises import CATALOGUE

FIXTURES = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "written_answers.yaml").read_text("utf-8")
)
BAD_KINDS = {"salad", "hostile", "contradiction"}


def _is_short_written_answer(question) -> bool:
    """A TextQuestion, but not a longer work product (checks.work_product), which
    has its own rubric and tests."""
    return isinstance(question, TextQuestion) and not any(
        cls.__module__.endswith("checks.work_product") for cls in type(question).__mro__
    )


def _written_views():
    for exercise in CATALOGUE:
        module = importlib.import_module(f"smm_playbook.exercises.{exercise}")
        for name in module.__all__:
            view = getattr(module, name)
            if name[1:].isdigit() and _is_short_written_answer(view.question):
                yield exercise, name, view


VIEWS = {(exercise, name): view for exercise, name, view in _written_views()}


def _cases(kind):
    return list(_iter_cases(kind))


def _iter_cases(kind):
    for exercise, questions in FIXTURES.items():
        for number, spec in questions.items():
            for index, case in enumerate(spec[kind]):
                yield pytest.param(
                    exercise, number, case, id=f"{exercise}-{number}-{kind}{index}"
                )


def _check(exercise, number, text):
    view = VIEWS[(exercise, number)]
    return view.evaluate({view.question.names()[0]: text})


def test_every_written_question_has_its_fixtures():
    assert VIEWS, "no written questions found"
    for exercise, number in VIEWS:
        spec = FIXTURES[exercise][number]
        assert len(spec["good"]) >= 3, (exercise, number)
        assert len(spec["bad"]) >= 3, (exercise, number)
        assert BAD_KINDS <= {case["kind"] for case in spec["bad"]}, (exercise, number)
    assert {(e, n) for e, qs in FIXTURES.items() for n in qs} == set(VIEWS)


@pytest.mark.parametrize(("exercise", "number", "case"), _cases("good"))
def test_good_answers_meet_every_element(exercise, number, case):
    feedback = _check(exercise, number, case["text"])
    assert feedback.status == "submitted", feedback.message
    assert feedback.details["missing"] == [], feedback.message


@pytest.mark.parametrize(("exercise", "number", "case"), _cases("bad"))
def test_bad_answers_fall_short_and_are_told_what_is_wrong(exercise, number, case):
    feedback = _check(exercise, number, case["text"])
    assert feedback.status in ("incorrect", "submitted"), feedback.message
    if feedback.status == "submitted":
        assert feedback.details["missing"], feedback.message
    assert case["says"].casefold() in feedback.message.casefold(), feedback.message


@pytest.mark.parametrize(("exercise", "number"), sorted(VIEWS))
def test_the_solution_notebooks_model_answer_meets_every_element(exercise, number):
    view = VIEWS[(exercise, number)]
    feedback = _check(exercise, number, view.model_answer())
    assert feedback.status == "submitted", feedback.message
    assert feedback.details["missing"] == [], feedback.message


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"^> ?", "", text, flags=re.M)).strip()


@pytest.mark.parametrize(
    ("exercise", "number", "case"),
    [c for c in _cases("good") if "source" in c.values[2]],
)
def test_the_books_model_answers_are_quoted_verbatim(exercise, number, case):
    page = (ROOT / case["source"]).read_text("utf-8")
    assert _flat(case["text"]) in _flat(page)


def test_a_submitted_answer_is_recorded_and_shown_beside_the_model(progress_home):
    view = VIEWS[("ex00_orientation", "q9")]
    text = FIXTURES["ex00_orientation"]["q9"]["good"][1]["text"]
    submitted = view.check(memo=text)
    assert "model answer to compare with" in submitted.message
    assert view.model_answer()[:30] in submitted.message
    assert "`q9.solution()`" in submitted.message
    blocked = view.check(memo="Reach is best, report that.")
    assert blocked.status == "incorrect" and "model answer" not in blocked.message
    [answer] = submitted_answers()
    assert answer["answer"] == text and answer["status"] == "submitted"
    assert answer["question"] == "ExplainTheRates" and answer["number"] == 9
    assert view.solution().message.strip().startswith("A model answer")


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(("exercise", "number"), sorted(VIEWS))
def test_every_criterion_has_chinese_patterns_and_a_chinese_answer_passes(
    exercise, number
):
    question = VIEWS[(exercise, number)].question
    for criterion in question.rubric:
        assert any(CJK.search(p) for p in criterion.patterns), criterion.name
        assert any(not CJK.search(p) for p in criterion.patterns), criterion.name
    good = FIXTURES[exercise][number]["good"]
    assert any(CJK.search(case["text"]) for case in good)
