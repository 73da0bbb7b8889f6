"""Module 6 attribution lab: every model shares out exactly the conversions, the
rules behave as defined, data-driven beats last click here, lift is unbiased."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smm_playbook.sim.attribution import (
    CHANNELS,
    MODELS,
    compare_models,
    detectable_lift,
    first_click,
    generate_journeys,
    last_click,
    lift_power,
    linear,
    markov,
    model_error,
    position_based,
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
