"""Competency self-assessment model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smm_playbook.sim.competency import (
    COMPETENCIES,
    EXAMPLE_LEARNERS,
    GROUPS,
    KEYS,
    MODULE_TITLES,
    ROLE_PROFILES,
    assess,
)

ratings_strategy = st.fixed_dictionaries({k: st.integers(1, 5) for k in KEYS})


def test_three_groups_of_three():
    for group in GROUPS:
        assert sum(c.group == group for c in COMPETENCIES) == 3
    assert all(c.name_zh for c in COMPETENCIES)


def test_meeting_every_target_means_full_readiness_and_no_gaps():
    for role, targets in ROLE_PROFILES.items():
        result = assess(targets, role)
        assert result.readiness == pytest.approx(1.0)
        assert (result.plan["priority"] == 0).all()


def test_readiness_is_the_average_share_of_target_met():
    ratings = dict.fromkeys(KEYS, 2)
    result = assess(ratings, "Social media manager")  # every target is 4
    assert result.readiness == pytest.approx(0.5)
    assert result.table["gap"].tolist() == [2] * 9


def test_plan_priority_is_the_sum_of_gaps_of_the_trained_competencies():
    ratings = dict.fromkeys(KEYS, 4)
    ratings["cross_team_coordination"] = 1  # trained by modules 4 and 3
    plan = assess(ratings).plan
    assert plan["module"].tolist()[:2] == [3, 4]
    assert plan.set_index("module").loc[4, "priority"] == 3
    assert "Coordinating across departments (+3)" in plan.loc[0, "reasons"]


@given(
    ratings=ratings_strategy,
    role=st.sampled_from(list(ROLE_PROFILES)),
    key=st.sampled_from(KEYS),
)
def test_raising_a_rating_never_lowers_readiness(ratings, role, key):
    better = dict(ratings, **{key: min(5, ratings[key] + 1)})
    assert assess(better, role).readiness >= assess(ratings, role).readiness


@given(ratings=ratings_strategy, role=st.sampled_from(list(ROLE_PROFILES)))
def test_plan_covers_modules_one_to_six_in_priority_order(ratings, role):
    plan = assess(ratings, role).plan
    assert sorted(plan["module"]) == sorted(MODULE_TITLES)
    assert plan["priority"].is_monotonic_decreasing
    assert 0 < assess(ratings, role).readiness <= 1


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ({}, "missing"),
        (dict(EXAMPLE_LEARNERS["New graduate"], extra=3), "unknown"),
        (dict(EXAMPLE_LEARNERS["New graduate"], persistence=6), "from 1 to 5"),
        (dict(EXAMPLE_LEARNERS["New graduate"], persistence=2.5), "whole number"),
        (dict(EXAMPLE_LEARNERS["New graduate"], persistence=True), "whole number"),
    ],
)
def test_bad_ratings_are_explained(ratings, message):
    with pytest.raises(ValueError, match=message):
        assess(ratings)


def test_unknown_role_lists_the_roles():
    with pytest.raises(ValueError, match="Community manager"):
        assess(EXAMPLE_LEARNERS["New graduate"], "Influencer")
