"""Content calendar lab and A/B test planner."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest

from smm_playbook.sim.ab_test import (
    power,
    sample_size_per_group,
    simulate_ab,
    two_proportion_test,
)
from smm_playbook.sim.content_calendar import (
    EXAMPLE_CADENCE,
    PLATFORMS,
    cadence_curve,
    expected_reach,
    fatigue,
    simulate_calendar,
)

platforms = st.sampled_from(sorted(PLATFORMS))


@given(platform=platforms, cadence=st.integers(1, 6), extra=st.integers(1, 6))
def test_more_posts_never_raise_reach_per_post(platform, cadence, extra):
    more = min(cadence + extra, PLATFORMS[platform].max_per_week)
    fmt = [next(iter(PLATFORMS[platform].formats))]
    one = expected_reach(platform, [12], [2], fmt, cadence)
    many = expected_reach(platform, [12], [2], fmt, more)
    assert many[0] <= one[0]


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_weekly_reach_rises_but_flattens_above_the_comfortable_cadence(platform):
    curve = cadence_curve(platform)
    assert curve["weekly_reach"].is_monotonic_increasing
    assert curve["reach_per_post"].is_monotonic_decreasing
    comfortable = PLATFORMS[platform].comfortable
    if comfortable + 2 <= curve["posts_per_week"].max():
        gains = curve["weekly_reach"].diff().dropna().to_numpy()
        assert gains[comfortable + 1] < gains[0]


def test_fatigue_starts_only_above_the_comfortable_cadence():
    comfortable = PLATFORMS["LinkedIn"].comfortable
    assert fatigue("LinkedIn", comfortable) == 1.0
    assert fatigue("LinkedIn", comfortable + 1) < 1.0


def test_same_seed_same_result_and_a_new_seed_differs():
    first = simulate_calendar(EXAMPLE_CADENCE, seed=3)
    pd.testing.assert_frame_equal(
        first.posts, simulate_calendar(EXAMPLE_CADENCE, seed=3).posts
    )
    assert not first.weekly.equals(simulate_calendar(EXAMPLE_CADENCE, seed=4).weekly)


def test_realised_reach_scatters_around_the_expectation():
    result = simulate_calendar(EXAMPLE_CADENCE, weeks=52)
    ratio = result.weekly["reach"].sum() / result.weekly["expected_reach"].sum()
    assert 0.9 < ratio < 1.1
    assert result.weekly["reach"].std() > 0


def test_the_schedule_follows_the_cadence_and_the_format_mix():
    result = simulate_calendar(
        {"Instagram": 4, "Douyin": 2}, format_mix={"carousel": 1}, weeks=3
    )
    counts = result.posts.groupby(["week", "platform"]).size()
    assert set(counts.xs("Instagram", level="platform")) == {4}
    assert set(result.posts.query("platform == 'Instagram'")["format"]) == {"carousel"}
    assert set(result.posts.query("platform == 'Douyin'")["format"]) == {"video"}


def test_posting_at_the_audiences_peak_beats_posting_at_dawn():
    late = simulate_calendar({"Douyin": 5}, hour=22).weekly["expected_reach"].sum()
    dawn = simulate_calendar({"Douyin": 5}, hour=5).weekly["expected_reach"].sum()
    assert late > 2 * dawn


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"cadence": {"WeChat": 8}}, "pushes once a day"),
        ({"cadence": {"Myspace": 2}}, "Unknown platform"),
        ({"cadence": {"X": 2.5}}, "whole number"),
        ({"cadence": {"X": 2}, "hour": 25}, "0 to 23"),
    ],
)
def test_bad_calendars_are_explained(args, message):
    with pytest.raises(ValueError, match=message):
        simulate_calendar(**args)


@pytest.mark.parametrize(
    ("baseline", "mde"), [(0.03, 0.005), (0.10, 0.02), (0.5, 0.05)]
)
def test_sample_size_gives_the_promised_power_and_no_less(baseline, mde):
    n = sample_size_per_group(baseline, mde)
    assert power(baseline, mde, n) >= 0.8 > power(baseline, mde, n - 1)


@pytest.mark.parametrize(
    ("baseline", "mde"), [(0.03, 0.005), (0.10, 0.02), (0.5, 0.05)]
)
def test_sample_size_agrees_with_statsmodels_within_two_percent(baseline, mde):
    effect = proportion_effectsize(baseline + mde, baseline)
    theirs = NormalIndPower().solve_power(effect_size=effect, alpha=0.05, power=0.8)
    assert sample_size_per_group(baseline, mde) == pytest.approx(theirs, rel=0.02)


def test_halving_the_effect_roughly_quadruples_the_sample():
    ratio = sample_size_per_group(0.03, 0.0025) / sample_size_per_group(0.03, 0.005)
    assert 3.8 < ratio < 4.2


@pytest.mark.parametrize("counts", [(412, 12_000, 486, 12_100), (50, 1_000, 50, 1_000)])
def test_two_proportion_test_matches_statsmodels(counts):
    a, na, b, nb = counts
    ours = two_proportion_test(a, na, b, nb)
    z, p = proportions_ztest([b, a], [nb, na])
    assert ours.z == pytest.approx(z) and ours.p_value == pytest.approx(p)


def test_simulated_power_matches_the_formula_and_peeking_inflates_false_positives():
    n = sample_size_per_group(0.05, 0.01)
    result = simulate_ab(0.05, 0.01, n, runs=2_000)
    assert result.share_significant == pytest.approx(0.8, abs=0.04)
    assert result.peeking_false_positive_rate > 0.1  # far above the nominal 5 %


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sample_size_per_group(3, 0.5), "between 0 and 1"),
        (lambda: sample_size_per_group(0.03, -0.01), "positive difference"),
        (lambda: two_proportion_test(5, 0, 3, 10), "trials > 0"),
        (lambda: two_proportion_test(50, 10, 3, 10), "successes ≤ trials"),
    ],
)
def test_bad_test_inputs_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_p_values_are_uniform_under_no_difference():
    p = simulate_ab(0.05, 1e-9, 5_000, runs=2_000, seed=1).p_values
    assert math.isclose(float(np.mean(p < 0.05)), 0.05, abs_tol=0.02)
