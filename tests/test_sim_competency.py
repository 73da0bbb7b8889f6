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


def test_study_route_puts_every_module_after_the_modules_it_builds_on():
    from smm_playbook.sim.competency import PREREQUISITES, study_route

    for ratings in EXAMPLE_LEARNERS.values():
        result = assess(ratings)
        route = result.route
        position = {m: i for i, m in enumerate(route["module"])}
        priority = dict(
            zip(result.plan["module"], result.plan["priority"], strict=True)
        )
        for module, needs in PREREQUISITES.items():
            for p in needs:
                if priority[p] > 0:  # a prerequisite with no gap counts as already met
                    assert position[p] < position[module], (module, p)
        assert route["step"].tolist() == list(range(1, 7))
        assert sorted(route["module"]) == sorted(result.plan["module"])
    assert study_route(assess(EXAMPLE_LEARNERS["New graduate"]).plan).equals(
        assess(EXAMPLE_LEARNERS["New graduate"]).route
    )


def test_prerequisites_without_a_gap_do_not_block_and_are_skimmed_last():
    import pandas as pd

    from smm_playbook.sim.competency import MODULE_TITLES, study_route

    priority = {1: 0, 2: 0, 3: 0, 4: 1, 5: 3, 6: 2}
    plan = pd.DataFrame(
        {
            "module": list(priority),
            "title": [MODULE_TITLES[m] for m in priority],
            "priority": list(priority.values()),
            "reasons": ["x"] * 6,
        }
    )
    assert study_route(plan)["module"].tolist() == [5, 6, 4, 1, 2, 3]
    plan.loc[plan["module"] == 3, "priority"] = 1  # now Community must come first
    route = study_route(plan)["module"].tolist()
    assert route.index(3) < min(route.index(4), route.index(5), route.index(6))


def test_no_gaps_gives_the_course_order():
    result = assess({k: 5 for k in KEYS})
    assert result.route["module"].tolist() == [1, 2, 3, 4, 5, 6]
