"""Module 4 spread model: the classic rumour result, the network, and the promise
that responding earlier (with a posture that fits) never reaches more people."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smm_playbook.sim.rumour_spread import (
    CLUSTERS,
    POSTURES,
    RECOMMENDED,
    delay_cost,
    follower_network,
    helps,
    mean_field,
    network_spread,
    reach_band,
    recommended_posture,
    response_effect,
)


def test_mean_field_leaves_about_a_fifth_who_never_hear():
    # The Maki–Thompson form with β = γ: the share never hearing solves
    # θ = exp(−2(1 − θ)), θ = 0.203188 (Sudbury 1985's limit).
    final = mean_field(0.03, 0.03, hours=72, seeded=1e-6).iloc[-1]
    assert final["ignorant"] == pytest.approx(0.2032, abs=0.001)
    assert final["spreader"] == pytest.approx(0, abs=1e-6)


def test_mean_field_shares_always_add_up_to_one():
    frame = mean_field(respond_at=60, cluster="preventable", posture="rebuild")
    totals = frame[["ignorant", "spreader", "stifler"]].sum(axis=1)
    assert np.allclose(totals, 1)
    assert (frame[["ignorant", "spreader", "stifler"]] >= -1e-12).all().all()


def test_a_fitting_response_leaves_more_people_unaware_than_no_response():
    none = mean_field().iloc[-1]["ignorant"]
    for cluster, posture in RECOMMENDED.items():
        responded = mean_field(respond_at=60, cluster=cluster, posture=posture)
        assert responded.iloc[-1]["ignorant"] > none


def test_denying_a_preventable_crisis_backfires():
    none = mean_field().iloc[-1]["ignorant"]
    denied = mean_field(respond_at=60, cluster="preventable", posture="deny")
    assert denied.iloc[-1]["ignorant"] < none
    assert not helps("preventable", "deny") and helps("victim", "deny")


def test_the_network_is_scale_free_with_hubs():
    network = follower_network()
    degree = network.degree()
    assert network.size == 2000 and degree.min() >= 3
    assert degree.max() > 15 * np.median(degree)  # a few accounts are huge
    assert (degree[network.hubs] >= np.quantile(degree, 0.98)).all()
    assert network.indices.size == degree.sum()  # every follow listed both ways


def test_network_runs_are_reproducible_and_conserve_accounts():
    a, b = network_spread(seed=3), network_spread(seed=3)
    assert a.series.equals(b.series)
    series = a.series
    assert series["new_mentions"].sum() == series["heard"].iloc[-1] == a.total_reach
    assert (series["active_spreaders"] <= series["heard"]).all()
    assert series["heard"].is_monotonic_increasing


helpful = [(c, p) for c in CLUSTERS for p in POSTURES if helps(c, p)]


@settings(max_examples=30)
@given(
    pair=st.sampled_from(helpful),
    early=st.integers(0, 600),
    extra=st.integers(1, 600),
    seed=st.integers(0, 10_000),
    start=st.sampled_from(["random", "hub"]),
)
def test_responding_earlier_never_reaches_more_people(pair, early, extra, seed, start):
    cluster, posture = pair
    network = follower_network(500, seed=1)
    kwargs = {"cluster": cluster, "posture": posture, "seed": seed, "start": start}
    sooner = network_spread(network, respond_at=early, **kwargs)
    later = network_spread(network, respond_at=early + extra, **kwargs)
    never = network_spread(network, respond_at=None, **kwargs)
    assert sooner.total_reach <= later.total_reach <= never.total_reach
    assert sooner.hubs_reached <= later.hubs_reached


def test_delay_cost_counts_the_extra_reach_of_each_delay():
    frame = delay_cost([15, 60, 120, 240], posture="rebuild", cluster="accidental")
    assert frame["extra_reach"].iloc[0] == 0
    assert frame["total_reach"].is_monotonic_increasing
    assert frame["extra_reach"].iloc[-1] > 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: response_effect("tragic", "rebuild"), "cluster is one of"),
        (lambda: response_effect("victim", "sorry"), "posture is one of"),
        (lambda: mean_field(beta=0), "beta is a positive rate"),
        (lambda: network_spread(start="everywhere"), "start is"),
        (lambda: follower_network(3, links=3), "size must exceed links"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_reach_band_shows_the_spread_of_stories_and_respects_the_coupling():
    band = reach_band([None, 15, 120], seeds=range(30))
    silent, fast, slow = band.itertuples(index=False)
    # every seed reaches no more when answered earlier, so fewer stories take off
    assert fast.took_off <= slow.took_off <= silent.took_off
    assert silent.took_off < 1  # some stories die out on their own
    for row in (silent, fast, slow):
        assert row.p10 <= row.median <= row.p90
    assert fast.median < slow.median < silent.median


def test_reach_band_needs_seeds():
    with pytest.raises(ValueError, match="at least one seed"):
        reach_band([15], seeds=[])


def test_the_model_and_the_drill_agree_on_denying_a_false_rumour():
    # In the model "victim" is a false rumour: denial with evidence calms it, as
    # the drill scores it; outside the victim cluster denial fuels the story.
    assert helps("victim", "deny")
    assert not helps("accidental", "deny") and not helps("preventable", "deny")
    assert recommended_posture("victim") == "base"
    assert recommended_posture("victim", 1) == "diminish"  # Coombs' guideline 4
