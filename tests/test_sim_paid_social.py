"""Module 5 auction model: the published worked examples, the pacing caps, and an
optimiser that no random split of the same budget can beat."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smm_playbook.sim.paid_social import (
    CHANNELS,
    DAY_CAP,
    DEFAULT_PLAN,
    WEEK_CAP,
    HillFit,
    adstock_weights,
    exposure_ctr,
    fatigued_ctr,
    fit_hill,
    geometric_adstock,
    hill,
    normalised_adstock,
    optimise,
    pace,
    response_curve,
    simulate_campaign,
    total_value,
)


def test_hill_matches_meridians_worked_numbers():
    assert hill(10.0, 10.0) == pytest.approx(0.5)
    assert hill(20.0, 10.0) == pytest.approx(2 / 3, abs=5e-4)  # 0.667
    assert hill(40.0, 10.0) == pytest.approx(0.8)
    assert hill(5.0, 10.0, slope=2) == pytest.approx(0.2)  # an S-curve's threshold
    assert hill(0.0, 10.0) == 0.0


def test_adstock_matches_robyn_and_meridian():
    assert list(geometric_adstock([100, 0, 0], 0.7)) == pytest.approx([100, 70, 49])
    assert adstock_weights(0.5, 2) == pytest.approx([0.571, 0.286, 0.143], abs=5e-4)
    assert normalised_adstock([0, 0, 7], 0.5, 2)[-1] == pytest.approx(4.0)


def test_relevance_beats_a_bigger_bid():
    assert total_value(5, 0.025) == pytest.approx(0.125)
    assert total_value(10, 0.01) == pytest.approx(0.100)
    assert total_value(5, 0.025) > total_value(10, 0.01)


@settings(max_examples=60)
@given(
    budget=st.floats(1, 5000),
    wanted=st.lists(st.floats(0, 20_000), min_size=1, max_size=40),
    start=st.integers(0, 6),
)
def test_pacing_never_breaks_the_day_or_week_cap(budget, wanted, start):
    spend = pace(budget, wanted, start_weekday=start)
    assert (spend <= DAY_CAP * budget + 1e-9).all()
    assert (spend <= np.asarray(wanted) + 1e-9).all()
    week = np.cumsum([(start + d) % 7 == 6 for d in range(len(spend))])  # Sunday
    for number in np.unique(week):
        days = 7 - (start + 1) % 7 if number == week[0] else 7  # prorated first
        assert spend[week == number].sum() <= WEEK_CAP * budget * days / 7 + 1e-6


def test_pacing_spends_the_budget_when_demand_is_high():
    spend = pace(100, [10_000] * 14, start_weekday=6)  # two full Sunday weeks
    assert spend.sum() == pytest.approx(1400)


def test_a_campaign_is_reproducible_and_its_ratios_come_from_totals():
    a, b = simulate_campaign(seed=2), simulate_campaign(seed=2)
    assert a.daily.equals(b.daily)
    totals = a.totals
    for channel, row in totals.iterrows():
        days = a.daily[a.daily["channel"] == channel]
        assert row["cpa"] == pytest.approx(
            days["spend"].sum() / days["conversions"].sum()
        )
        assert row["roas"] == pytest.approx(days["revenue"].sum() / days["spend"].sum())


def test_fatigue_lowers_ctr_as_frequency_climbs():
    daily = simulate_campaign().daily
    meta = daily[daily["channel"] == "Meta"]
    assert meta["frequency"].is_monotonic_increasing
    assert meta["ctr"].iloc[-5:].mean() < meta["ctr"].iloc[:5].mean()


def test_fatigue_acts_on_repeat_views_only():
    assert exposure_ctr(0.02, 0.3, 0) == pytest.approx(0.02)  # a first view
    assert exposure_ctr(0.02, 0.3, 2) == pytest.approx(0.02 * np.exp(-0.6))
    # almost nobody has seen it: the day's CTR is the fresh one
    assert fatigued_ctr(0.02, 0.3, 0.0, 1e-6) == pytest.approx(0.02, rel=1e-5)
    # closed form against a simulation of Poisson views per person
    rng = np.random.default_rng(0)
    views = rng.poisson(1.5, 400_000)
    assert fatigued_ctr(0.02, 0.3, 1.5, 1.5) == pytest.approx(
        exposure_ctr(0.02, 0.3, views).mean(), rel=0.01
    )


def test_fatigue_raises_the_cpc_not_the_cpm_as_the_text_says():
    daily = simulate_campaign().daily
    tired = daily[daily["channel"] == "Xiaohongshu"]
    sums = ["spend", "clicks", "impressions"]
    first, last = tired.head(7)[sums].sum(), tired.tail(7)[sums].sum()
    assert last["spend"] / last["clicks"] > first["spend"] / first["clicks"]
    assert last["spend"] / last["impressions"] <= first["spend"] / first["impressions"]


def test_a_new_creative_restores_the_ctr_and_a_wider_audience_lowers_frequency():
    plan = {"Xiaohongshu": DEFAULT_PLAN["Xiaohongshu"]}
    same = simulate_campaign(plan).daily
    fresh = simulate_campaign(
        {"Xiaohongshu": {**plan["Xiaohongshu"], "refresh_every": 7}}
    ).daily
    assert fresh["ctr"].iloc[-7:].mean() > 1.5 * same["ctr"].iloc[-7:].mean()
    assert fresh["clicks"].sum() > same["clicks"].sum()
    wide = simulate_campaign({"Xiaohongshu": {**plan["Xiaohongshu"], "audience": 2}})
    assert wide.daily["frequency"].iloc[-1] < same["frequency"].iloc[-1]


def test_a_first_part_week_is_prorated():
    spend = pace(100, [10_000] * 6, start_weekday=0)  # Monday to Saturday
    assert spend.sum() == pytest.approx(600)  # 6 days, not 7 × 100
    month = simulate_campaign().totals["spend"]  # starts on a Monday
    assert (month <= 30 * 250 + 1e-6).all()


def test_poorer_creative_pays_more_per_thousand_impressions():
    plan = {"Meta": {**DEFAULT_PLAN["Meta"], "quality": 1.0}}
    worse = {"Meta": {**DEFAULT_PLAN["Meta"], "quality": 0.6}}
    assert (
        simulate_campaign(worse).totals.loc["Meta", "cpm"]
        > simulate_campaign(plan).totals.loc["Meta", "cpm"]
    )


def test_response_curves_show_diminishing_returns_and_fit_a_hill():
    curve = response_curve("Meta")
    per_unit = curve["conversions"] / curve["budget"]
    assert per_unit.iloc[-1] < per_unit.iloc[1] / 2
    fit = fit_hill(curve["budget"], curve["conversions"])
    predicted = fit(curve["budget"].to_numpy())
    assert np.corrcoef(predicted, curve["conversions"])[0, 1] > 0.98


curves = {
    "Meta": HillFit(1460.0, 330.0, 0.8),
    "Douyin": HillFit(700.0, 200.0, 0.85),
    "Xiaohongshu": HillFit(320.0, 35.0, 1.6),  # an S-curve too
}


@settings(max_examples=50)
@given(
    weights=st.lists(st.integers(0, 100), min_size=3, max_size=3),
    total=st.sampled_from([300, 750, 1200]),
)
def test_the_optimum_is_never_beaten_by_a_random_split(weights, total):
    best = optimise(curves, total, step=5)
    assert sum(best.values()) == pytest.approx(total)
    units = np.array(weights, float)
    if units.sum() == 0:
        units[0] = 1
    grid = np.round(units / units.sum() * total / 5) * 5
    grid[-1] = total - grid[:-1].sum()
    if grid[-1] < 0:
        return
    random_split = dict(zip(curves, grid, strict=True))
    got = sum(curves[n](random_split[n]) for n in curves)
    assert sum(curves[n](best[n]) for n in curves) >= got - 1e-9


def test_at_the_optimum_marginal_returns_are_equal_not_average_returns():
    best = optimise({k: curves[k] for k in ("Meta", "Douyin")}, 750, step=1)
    marginal = [float(curves[n](best[n] + 1) - curves[n](best[n])) for n in best]
    average = [float(curves[n](best[n]) / best[n]) for n in best]
    assert marginal[0] == pytest.approx(marginal[1], rel=0.05)
    assert abs(average[0] - average[1]) > 0.1 * max(average)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: simulate_campaign({"TikTok": DEFAULT_PLAN["Meta"]}),
            "Unknown channel",
        ),
        (lambda: simulate_campaign({"Meta": {"budget": 1}}), "needs"),
        (lambda: hill(1, 0), "positive"),
        (lambda: geometric_adstock([1], 1.2), "between 0 and 1"),
        (lambda: pace(-1, [1]), "negative"),
        (lambda: total_value(1, 0.1, 0), "quality"),
        (lambda: fit_hill([1, 2], [1, 2]), "at least 3"),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_channel_has_a_default_plan():
    assert set(DEFAULT_PLAN) == set(CHANNELS)
