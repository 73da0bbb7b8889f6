"""The contract every exercise module meets, as reusable tests.

    globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))

REFERENCE maps "qN" to values that must pass (a written answer: be submitted for
review with every rubric element found; it is never "correct"); KNOWN_WRONG lists
(qN, values, text) where the answer must be marked incorrect with `text` in the
message.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from smm_playbook.checks import PLACEHOLDER, TextQuestion
from smm_playbook.checks import WorkProductQuestion as Work
from smm_playbook.checks.solutions import shown_solution


def contract_tests(ex: ModuleType, reference: dict, known_wrong: list) -> dict:
    @pytest.mark.parametrize("number", list(reference))
    def test_reference_answers_pass(number):
        view = getattr(ex, number)
        feedback = view.evaluate(reference[number])
        if isinstance(view.question, TextQuestion):
            assert feedback.status == "submitted", feedback.message
            assert not feedback.details["missing"], feedback.message
        else:
            assert feedback.status == "correct", feedback.message

    @pytest.mark.parametrize(("number", "values", "message"), known_wrong)
    def test_known_wrong_answers_get_the_targeted_message(number, values, message):
        feedback = getattr(ex, number).evaluate(values)
        if feedback.status == "submitted":  # written: an element must be missing
            assert feedback.details["missing"], feedback.message
        else:  # a multi-part question may have other parts right
            assert feedback.status in ("incorrect", "partial"), feedback.message
        assert message in feedback.message

    @pytest.mark.parametrize("number", list(reference))
    def test_untouched_placeholders_are_not_attempted(number):
        values = {name: PLACEHOLDER for name in reference[number]}
        assert getattr(ex, number).evaluate(values).status == "not_attempted"

    def test_every_question_is_covered_and_has_hints_a_solution_and_a_title():
        bound = [name for name in ex.__all__ if name[0] == "q" and name[1:].isdigit()]
        # Work products are never "correct"; tests/test_work_product.py covers them.
        bound = [n for n in bound if not isinstance(getattr(ex, n).question, Work)]
        assert sorted(bound) == sorted(reference)
        for number in bound:
            view = getattr(ex, number)
            assert view.question.hints and view.question.title
            # the solution shown is the solutions notebook's own cell
            shown = shown_solution(view.exercise, view.number)
            assert (
                shown
                and shown["code"] in view.solution_text()
                or (shown.get("text") and shown["text"][:40] in view.solution_text())
            )
            # and it is this question's cell: it sets every name the check reads
            for name in view.question.names():
                assert name in shown["code"], (number, name)

    return {name: test for name, test in locals().items() if name.startswith("test_")}
