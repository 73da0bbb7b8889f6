"""Maturity self-assessment: stages are cumulative; the next step is named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smm_playbook.sim.maturity import (
    EXAMPLE_ORGANISATIONS,
    KEYS,
    STAGES,
    STATEMENTS,
    assess_maturity,
)

answers = st.fixed_dictionaries({k: st.booleans() for k in KEYS})


def test_six_stages_with_two_statements_each():
    assert [s.name for s in STAGES] == [
        "Planning",
        "Presence",
        "Engagement",
        "Formalized",
        "Strategic",
        "Converged",
    ]
    assert all(sum(n == s.number for n, _ in STATEMENTS.values()) == 2 for s in STAGES)


def test_everything_true_is_converged_and_nothing_true_is_before_planning():
    assert assess_maturity(dict.fromkeys(KEYS, True)).stage == 6
    nothing = assess_maturity(dict.fromkeys(KEYS, False))
    assert nothing.stage == 0 and nothing.next_stage_name == "Planning"
    assert len(nothing.missing) == 2


def test_a_later_stage_does_not_count_while_an_earlier_one_is_incomplete():
    result = assess_maturity(EXAMPLE_ORGANISATIONS["Consumer electronics brand"])
    assert result.stage == 3 and result.next_stage_name == "Formalized"
    assert result.missing == [
        "A central team sets policy, training and approval rules."
    ]


@given(answers=answers, key=st.sampled_from(KEYS))
def test_saying_yes_to_more_never_lowers_the_stage(answers, key):
    more = dict(answers, **{key: True})
    assert assess_maturity(more).stage >= assess_maturity(answers).stage


@given(answers=answers)
def test_missing_lists_only_unmet_statements_of_the_next_stage(answers):
    result = assess_maturity(answers)
    texts = {text: (n, k) for k, (n, text) in STATEMENTS.items()}
    for text in result.missing:
        stage, key = texts[text]
        assert stage == result.stage + 1 and not answers[key]


@pytest.mark.parametrize(
    ("value", "message"),
    [({}, "missing"), (dict.fromkeys(KEYS, "yes"), "True or False"), ([], "dict")],
)
def test_bad_answers_are_explained(value, message):
    with pytest.raises((ValueError, TypeError), match=message):
        assess_maturity(value)
