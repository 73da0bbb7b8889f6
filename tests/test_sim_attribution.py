"""Module 6 attribution lab: every model shares out exactly the conversions, the
rules behave as defined, data-driven beats last click here, lift is unbiased."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smm_playbook import data, kpis
from smm_playbook.datagen.roi import HOLDOUT, TRUE_LIFT
from smm_playbook.sim.attribution import (
    CHANNELS,
    MODELS,
    compare_models,
    detectable_lift,
    first_click,
    generate_journeys,
    joint_incremental,
    last_click,
    lift_power,
    linear,
    markov,
    model_error,
    position_based,
    rerun_lift_test,
    separate_incremental,
    simulate_lift_test,
    time_decay,
    true_incremental,
)

JOURNEYS = generate_journeys(users=3000, seed=1)
CONVERSIONS = JOURNEYS.groupby("journey_id")["converted"].first().sum()


def journey(*touches, converted=1):
    """A hand-made journey: (channel, day) pairs."""
    return pd.DataFrame(
        {
            "journey_id": "J1",
            "timestamp": [
                (
                    pd.Timestamp("2025-10-01", tz="UTC") + pd.Timedelta(days=d)
                ).isoformat()
                for _, d in touches
            ],
            "channel": [c for c, _ in touches],
            "converted": converted,
        }
    )


@pytest.mark.parametrize(
    "model", [last_click, first_click, linear, time_decay, position_based, markov]
)
def test_every_model_credits_exactly_the_conversions(model):
    credit = model(JOURNEYS)
    assert credit.sum() == pytest.approx(CONVERSIONS)
    assert (credit >= 0).all() and list(credit.index) == list(CHANNELS)


def test_position_based_gives_40_20_40_and_50_50():
    three = position_based(journey(("KOL", 0), ("Paid social", 1), ("Search", 2)))
    assert three["KOL"] == pytest.approx(0.4)
    assert three["Paid social"] == pytest.approx(0.2)
    assert three["Search"] == pytest.approx(0.4)
    two = position_based(journey(("KOL", 0), ("Search", 3)))
    assert two["KOL"] == two["Search"] == pytest.approx(0.5)
    assert position_based(journey(("Email", 0)))["Email"] == pytest.approx(1)


def test_time_decay_halves_the_credit_every_seven_days():
    credit = time_decay(journey(("KOL", 0), ("Paid social", 7), ("Search", 14)))
    assert credit["Paid social"] / credit["Search"] == pytest.approx(0.5)
    assert credit["KOL"] / credit["Paid social"] == pytest.approx(0.5)


def test_a_journey_that_did_not_convert_earns_no_credit():
    assert last_click(journey(("KOL", 0), ("Search", 1), converted=0)).sum() == 0


def test_data_driven_is_closer_to_the_truth_than_last_click_here():
    errors = model_error(compare_models(JOURNEYS))
    assert errors["data-driven (Markov)"] < errors["last click"]
    comparison = compare_models(JOURNEYS)
    # last click over-credits the late, low-effect channel
    assert (
        comparison.loc["Search", "last click"] > 3 * comparison.loc["Search", "truth"]
    )


def test_truth_follows_the_true_effects():
    truth = true_incremental(JOURNEYS)
    assert truth["KOL"] > truth["Search"] and truth["Paid social"] > truth["Email"]
    none = true_incremental(JOURNEYS, effects=dict.fromkeys(CHANNELS, 0.0))
    assert np.allclose(none, 0)


def test_the_same_seed_keeps_the_touches_whatever_the_effects():
    a = generate_journeys(users=500, seed=3)
    b = generate_journeys(users=500, seed=3, effects={"Search": 1.2})
    assert a[["journey_id", "timestamp", "channel"]].equals(
        b[["journey_id", "timestamp", "channel"]]
    )
    assert b["converted"].sum() >= a["converted"].sum()


def test_the_lift_estimate_is_unbiased_across_seeds():
    estimates = [
        simulate_lift_test(200_000, 0.02, 0.15, 0.2, seed=s)["lift"] for s in range(400)
    ]
    assert np.mean(estimates) == pytest.approx(0.15, abs=0.01)


def test_power_rises_with_lift_and_the_detectable_lift_gets_eighty_percent():
    powers = [lift_power(40_000, 0.02, 0.1, 28, x) for x in (0.02, 0.05, 0.1)]
    assert powers == sorted(powers)
    smallest = detectable_lift(40_000, 0.02, 0.1, 28)
    assert lift_power(40_000, 0.02, 0.1, 28, smallest) == pytest.approx(0.8, abs=1e-6)
    assert detectable_lift(40_000, 0.02, 0.1, 56) < smallest  # longer tests see less


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lift_power(100, 2.0, 0.1, 7, 0.1), "baseline_cvr"),
        (lambda: detectable_lift(100, 0.02, 1.5, 7), "holdout_share"),
        (lambda: last_click(journey(("TikTok", 0))), "Unknown channel"),
        (lambda: linear(pd.DataFrame({"channel": ["KOL"]})), "needs the columns"),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_model_is_in_the_comparison():
    assert set(MODELS) | {"truth"} == set(compare_models(JOURNEYS).columns)


def test_the_truth_adds_up_to_switching_every_channel_off_together():
    truth = true_incremental(JOURNEYS)
    assert truth.sum() == pytest.approx(joint_incremental(JOURNEYS), rel=1e-9)
    # Channels' separate effects do not add up: that is why Shapley values
    separate = separate_incremental(JOURNEYS)
    assert separate.sum() > 1.05 * truth.sum()


def test_shapley_truth_of_one_channel_journeys_is_that_channels_effect():
    lone = JOURNEYS.groupby("journey_id").filter(lambda j: j["channel"].nunique() == 1)
    truth = true_incremental(lone)
    separate = separate_incremental(lone)
    assert np.allclose(truth, separate)  # nothing to share when one channel acts


def test_rerunning_a_lift_test_shows_its_sampling_distribution():
    runs = rerun_lift_test(200_000, 0.02, 0.15, 0.2, runs=400, seed=1)
    assert len(runs) == 400
    assert runs["lift"].mean() == pytest.approx(0.15, abs=0.01)
    assert 0.9 < runs["covers_truth"].mean() < 0.99  # about 95 % of the intervals
    wider = rerun_lift_test(200_000, 0.02, 0.15, 0.05, runs=400, seed=1)
    assert wider["lift"].std() > runs["lift"].std()  # a smaller holdout: noisier


def test_the_lift_test_dataset_is_randomised_once():
    lift = data.load("lift_test")
    groups = lift.groupby("group")[["users", "conversions"]].sum()
    share = groups.loc["control", "users"] / groups["users"].sum()
    assert share == pytest.approx(HOLDOUT, abs=0.002)  # one split of everyone
    daily = lift.pivot(index="date", columns="group", values="users")
    daily_share = daily["control"] / daily.sum(axis=1)
    # one split, person by person: each day's share varies only as a binomial
    assert daily_share.std() < 3 * np.sqrt(HOLDOUT * (1 - HOLDOUT) / daily.sum(1).min())
    low, high = kpis.lift_interval(
        groups.loc["test", "conversions"],
        groups.loc["test", "users"],
        groups.loc["control", "conversions"],
        groups.loc["control", "users"],
    )
    assert low < TRUE_LIFT < high


def test_intervals_for_lift_incremental_conversions_and_iroas():
    low, high = kpis.lift_interval(1200, 40_000, 90, 4_000)
    centre = kpis.lift(1200 / 40_000, 90 / 4_000)
    assert low < centre < high
    narrow = kpis.lift_interval(12_000, 400_000, 900, 40_000)
    assert narrow[1] - narrow[0] < (high - low) / 2  # 10× the data: ~√10 narrower
    inc = kpis.incremental_conversions_interval(1200, 40_000, 90, 4_000)
    assert inc[0] < kpis.incremental_conversions(1200, 40_000, 90, 4_000) < inc[1]
    roas = kpis.iroas_interval(1200, 40_000, 90, 4_000, 42.0, 5_000)
    assert roas == pytest.approx((inc[0] * 42 / 5_000, inc[1] * 42 / 5_000))
    with pytest.raises(ValueError, match="confidence"):
        kpis.lift_interval(1200, 40_000, 90, 4_000, confidence=95)


def test_the_break_even_gmv_roi_of_a_live_session():
    # 25 % refunded, 45 % margin, 25 % to the host and platform: 1 ÷ (0.75 × 0.2)
    assert kpis.break_even_gmv_roas(0.25, 0.45, 0.25) == pytest.approx(1 / 0.15)
    assert kpis.break_even_gmv_roas(0.0, 0.5, 0.0) == pytest.approx(2.0)  # 1 ÷ margin
    with pytest.raises(ValueError, match="whole margin"):
        kpis.break_even_gmv_roas(0.1, 0.3, 0.3)
