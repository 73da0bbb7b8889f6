"""Module 3 moderation queue: Erlang C against known values, the simulation
against Erlang C, and the invariants a staffing tool must keep."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smm_playbook.sim.moderation_queue import (
    DEFAULT_CATEGORIES,
    DEFAULT_PATTERN,
    DEFAULT_ROSTER,
    SLA_MINUTES,
    Category,
    _arrivals,
    _check_inputs,
    _serve,
    _serve_in_order,
    agents_needed,
    allen_cunneen_wait,
    average_wait,
    erlang_c,
    handling_cv2,
    response_within,
    roster_from_shifts,
    service_level,
    simulate_queue,
    steady_waits,
)

FLAT = np.full(24, 1 / 24)


@pytest.mark.parametrize(
    ("agents", "load", "expected"),
    [
        (1, 0.5, 0.5),  # M/M/1: the chance of waiting is the utilisation
        (2, 1.0, 1 / 3),  # M/M/2 at one Erlang, by hand: 1/3
        (3, 2.0, 4 / 9),  # Wolfram Language documentation: ErlangC[3, 2] = 4/9
        (14, 10.0, 0.1741),  # the textbook call-centre example: 10 Erlangs, 14 agents
    ],
)
def test_erlang_c_matches_published_values(agents, load, expected):
    assert erlang_c(agents, load) == pytest.approx(expected, abs=5e-5)


def test_service_level_of_the_textbook_example():
    # 100 calls in 30 minutes, 3-minute handling, 14 agents, 20-second target
    assert service_level(14, 10.0, 3.0, 20 / 60) == pytest.approx(0.888, abs=5e-4)


def test_mm1_waits_and_responses_match_the_closed_forms():
    # one moderator, a message every 4 minutes, 2 minutes each: λ = 1/4, μ = 1/2
    assert average_wait(1, 0.5, 2.0) == pytest.approx(0.5 / (0.5 - 0.25))
    for t in (1.0, 5.0, 20.0):  # in M/M/1 the time in system is exponential(μ − λ)
        assert response_within(1, 0.5, 2.0, t) == pytest.approx(1 - math.exp(-t / 4))


def test_an_overloaded_hour_never_settles():
    assert erlang_c(3, 3.0) == 1.0
    assert average_wait(3, 3.5, 4.0) == math.inf
    assert response_within(3, 3.5, 4.0, 60) == 0.0


def test_agents_needed_is_the_fewest_that_reach_the_goal():
    per_hour, handling, target = 90, 4.0, 15.0
    needed = agents_needed(per_hour, handling, target, 0.9)
    load = per_hour / 60 * handling
    assert response_within(needed, load, handling, target) >= 0.9
    assert response_within(needed - 1, load, handling, target) < 0.9
    assert agents_needed(per_hour, handling, target, 0.9, measure="wait") <= needed


def test_an_impossible_goal_is_explained_not_looped_on():
    with pytest.raises(ValueError, match="No number of moderators"):
        agents_needed(30, 20.0, 15.0, 0.8)  # handling alone is slower than the SLA


def test_a_long_stationary_run_agrees_with_erlang_c():
    one = (Category("question", 1.0, 4.0, 3),)  # one kind, tier 3: 15-minute SLA
    result = simulate_queue(
        1440, (5,) * 24, pattern=FLAT, categories=one, days=7, seed=3
    )
    load = 1440 / 24 / 60 * 4.0  # 4 Erlangs on 5 moderators
    row = result.by_tier.loc[3]
    predicted = response_within(5, load, 4.0, SLA_MINUTES[3])
    assert row["erlang_attainment"] == pytest.approx(predicted)
    assert row["attainment"] == pytest.approx(predicted, abs=0.03)
    waits = result.messages["start"] - result.messages["arrival"]
    assert waits.mean() == pytest.approx(average_wait(5, load, 4.0), rel=0.15)
    assert (waits > 0).mean() == pytest.approx(erlang_c(5, load), abs=0.03)


rosters = st.lists(st.integers(0, 6), min_size=24, max_size=24)


@settings(max_examples=40)
@given(
    per_day=st.integers(50, 1500),
    roster=rosters,
    hour=st.integers(0, 23),
    seed=st.integers(0, 2**16),
)
def test_more_staff_never_lowers_sla_attainment(per_day, roster, hour, seed):
    # In one line served in arrival order, every message is answered no later
    # with an extra moderator, so no tier can lose. (Tier-first order has no such
    # guarantee: the extra moderator may start a long tier-1 reply just before a
    # tier-3 message arrives. Hypothesis finds such cases in overloaded rosters.)
    more = list(roster)
    more[hour] += 1
    before = simulate_queue(per_day, roster, seed=seed)
    after = simulate_queue(per_day, more, seed=seed)
    late_before = before.messages["finish"].fillna(np.inf)
    assert (after.messages["finish"].fillna(np.inf) <= late_before + 1e-9).all()
    for tier in before.by_tier.index:
        assert after.by_tier.loc[tier, "attainment"] >= (
            before.by_tier.loc[tier, "attainment"] - 1e-12
        )


@settings(max_examples=40)
@given(
    per_day=st.integers(0, 3000),
    roster=rosters,
    days=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_no_message_is_lost(per_day, roster, days, seed):
    result = simulate_queue(per_day, roster, days=days, seed=seed)
    messages = result.messages
    assert len(messages) == result.handled + result.waiting_at_end
    assert result.by_tier["messages"].sum() == len(messages)
    started = messages.dropna(subset=["start"])
    assert (started["start"] >= started["arrival"]).all()
    assert (messages["start"].dropna() < days * 1440).all()  # nothing after the end
    last = result.backlog.iloc[-1]
    unstarted = messages["start"].isna().sum()
    assert last["waiting"] == unstarted


def test_changing_the_roster_or_order_replays_the_same_messages():
    a = simulate_queue(roster=(2,) * 24, seed=5)
    b = simulate_queue(roster=(6,) * 24, seed=5, order="tier")
    assert a.messages["arrival"].equals(b.messages["arrival"])
    assert a.messages["category"].equals(b.messages["category"])


def test_serving_higher_tiers_first_protects_tier_3_at_tier_1s_expense():
    fifo, tier = simulate_queue(seed=1), simulate_queue(seed=1, order="tier")
    assert tier.by_tier.loc[3, "attainment"] > fifo.by_tier.loc[3, "attainment"]
    assert (
        tier.by_tier.loc[1, "median_response"]
        >= (fifo.by_tier.loc[1, "median_response"])
    )


def test_with_nobody_on_shift_nothing_is_handled():
    result = simulate_queue(300, (0,) * 24, seed=2)
    assert result.handled == 0
    assert result.waiting_at_end == len(result.messages) > 0


def test_the_default_roster_is_the_shifts_spelled_out():
    assert len(DEFAULT_ROSTER) == 24
    roster = roster_from_shifts(
        {"night": 1, "morning": 2, "afternoon": 3, "evening": 4}
    )
    assert roster[0] == 1 and roster[7] == 2 and roster[12] == 3 and roster[23] == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"roster": (1,) * 23}, "24 whole"),
        ({"order": "loudest first"}, "order is one of"),
        ({"per_day": -5}, "non-negative"),
        ({"pattern": np.zeros(24)}, "not all zero"),
        ({"categories": (Category("x", 1.0, 3.0, 4),)}, "tier in"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate_queue(**kwargs)


def test_agents_and_load_are_checked():
    with pytest.raises(ValueError, match="whole number"):
        erlang_c(2.5, 1.0)
    with pytest.raises(ValueError, match="non-negative"):
        erlang_c(2, -1.0)


@settings(max_examples=40)
@given(
    per_day=st.integers(0, 3000),
    roster=rosters,
    days=st.integers(1, 3),
    seed=st.integers(0, 2**16),
)
def test_the_fast_in_order_path_matches_the_general_event_loop(
    per_day, roster, days, seed
):
    pattern, shares = _check_inputs(
        per_day, roster, DEFAULT_PATTERN, DEFAULT_CATEGORIES, days
    )[1:]
    rng = np.random.default_rng(seed)
    arrival, kind, handling = _arrivals(
        rng, per_day, pattern, DEFAULT_CATEGORIES, shares, days
    )
    tiers = np.array([c.tier for c in DEFAULT_CATEGORIES])[kind]
    staff, horizon = np.tile(roster, days), days * 1440.0
    general = _serve(arrival, handling, tiers, staff, horizon, "fifo")
    fast = _serve_in_order(arrival, handling, staff, horizon)
    assert np.allclose(general, fast, equal_nan=True)


def test_handling_cv2_is_one_for_a_single_exponential_and_higher_for_a_mix():
    one = (Category("question", 1.0, 4.0, 1),)
    assert handling_cv2(one) == pytest.approx(1.0)
    assert handling_cv2() == pytest.approx(2.95, abs=0.01)  # the default mix


def test_allen_cunneen_is_erlang_c_when_handling_is_exponential():
    assert allen_cunneen_wait(5, 4.0, 3.0, 1.0) == pytest.approx(
        average_wait(5, 4.0, 3.0)
    )
    assert allen_cunneen_wait(5, 4.0, 3.0, 3.0) == pytest.approx(
        2 * average_wait(5, 4.0, 3.0)
    )
    with pytest.raises(ValueError, match="squared coefficient"):
        allen_cunneen_wait(5, 4.0, 3.0, -1)


def test_a_steady_inbox_waits_as_allen_cunneen_says_not_as_erlang_c_says():
    runs = [steady_waits(100, 6, seed=seed) for seed in range(4)]
    simulated = np.mean([run["simulated"] for run in runs])
    assert simulated == pytest.approx(runs[0]["allen_cunneen"], rel=0.2)
    assert simulated > 1.5 * runs[0]["erlang_c"]  # the mix varies more than CV² = 1
