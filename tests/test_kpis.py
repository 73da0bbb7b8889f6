"""KPI formulas: the worked examples of the reference facts, identities, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smm_playbook import kpis

counts = st.integers(min_value=1, max_value=10**9)
shares = st.floats(min_value=1e-4, max_value=1.0, allow_nan=False)


def test_one_post_three_engagement_rates():
    assert kpis.engagement_rate_by_reach(120, 4_000) == pytest.approx(0.03)
    assert kpis.engagement_rate_by_impressions(120, 6_000) == pytest.approx(0.02)
    assert kpis.engagement_rate_by_followers(120, 20_000) == pytest.approx(0.006)
    assert kpis.frequency(6_000, 4_000) == pytest.approx(1.5)


def test_frequency_worked_example():
    assert kpis.frequency(30_000, 10_000) == pytest.approx(3.0)


def test_paid_media_worked_example():
    spend, impressions, clicks, purchases, revenue = (
        10_000,
        2_000_000,
        20_000,
        250,
        40_000,
    )
    assert kpis.cpm(spend, impressions) == pytest.approx(5.0)
    assert kpis.ctr(clicks, impressions) == pytest.approx(0.01)
    assert kpis.cpc(spend, clicks) == pytest.approx(0.5)
    assert kpis.cvr(purchases, clicks) == pytest.approx(0.0125)
    assert kpis.cpa(spend, purchases) == pytest.approx(40.0)
    assert kpis.roas(revenue, spend) == pytest.approx(4.0)
    assert kpis.roi_on_profit(0.4 * revenue, spend) == pytest.approx(0.6)
    assert kpis.roi_on_revenue(revenue, spend) == pytest.approx(3.0)


def test_clv_worked_examples():
    assert kpis.clv(60, 6, 3, 0.40) == pytest.approx(432)
    assert kpis.clv(70, 3, 3, 0.30) == pytest.approx(189)
    assert kpis.clv_from_churn(50, 0.25) == pytest.approx(200)


def test_sentiment_and_share_of_voice_worked_examples():
    assert kpis.net_sentiment(80, 20, 100) == pytest.approx(0.30)
    assert kpis.net_sentiment_polarity(80, 20) == pytest.approx(0.60)
    assert kpis.net_sentiment(35, 6, 59) == pytest.approx(0.29)
    assert kpis.share_of_voice(300, 700) == pytest.approx(0.30)


def test_kaushik_rates_are_per_post():
    assert kpis.amplification_rate(50, 10) == pytest.approx(5.0)
    assert kpis.conversation_rate(30, 10) == pytest.approx(3.0)
    assert kpis.applause_rate(400, 10) == pytest.approx(40.0)


def test_growth_and_incrementality():
    assert kpis.follower_growth_rate(600, 100, 10_000) == pytest.approx(0.05)
    assert kpis.follower_growth_rate(100, 600, 10_000) == pytest.approx(-0.05)
    assert kpis.lift(0.012, 0.010) == pytest.approx(0.2)
    assert kpis.incremental_conversions(600, 50_000, 100, 10_000) == pytest.approx(100)
    assert kpis.iroas(-500, 1_000) == pytest.approx(-0.5)
    assert kpis.engagement_rate_per_post(300, 1_000, 3) == pytest.approx(0.1)


def test_series_in_series_out_with_index_kept():
    reach = pd.Series([4_000, 2_000], index=["post A", "post B"])
    rates = kpis.engagement_rate_by_reach(
        pd.Series([120, 10], index=reach.index), reach
    )
    assert list(rates.index) == ["post A", "post B"]
    assert rates.tolist() == pytest.approx([0.03, 0.005])


def test_numpy_arrays_are_vectorised():
    assert kpis.ctr(np.array([1, 2]), np.array([100, 100])).tolist() == [0.01, 0.02]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: kpis.engagement_rate_by_reach(-1, 100),
            "engagements cannot be negative",
        ),
        (lambda: kpis.engagement_rate_by_reach(10, 0), "reach is 0"),
        (lambda: kpis.ctr(5, pd.Series([100, 0, 0])), "in 2 of 3 rows"),
        (lambda: kpis.clv(60, 6, 3, 40), "fraction between 0 and 1"),
        (lambda: kpis.net_sentiment(0, 0, 0), "all mentions is 0"),
    ],
)
def test_impossible_inputs_raise_clear_value_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("bad", ["120", True, None, pd.Series(["a", "b"])])
def test_non_numeric_inputs_raise_type_errors(bad):
    with pytest.raises(TypeError, match="engagements"):
        kpis.engagement_rate_by_reach(bad, 4_000)


@given(spend=counts, impressions=counts, clicks=counts)
def test_cpc_equals_cpm_over_thousand_ctr(spend, impressions, clicks):
    cpm, ctr = kpis.cpm(spend, impressions), kpis.ctr(clicks, impressions)
    assert kpis.cpc(spend, clicks) == pytest.approx(cpm / (1000 * ctr), rel=1e-9)


@given(spend=counts, clicks=counts, conversions=counts)
def test_cpa_equals_cpc_over_cvr(spend, clicks, conversions):
    expected = kpis.cpc(spend, clicks) / kpis.cvr(conversions, clicks)
    assert kpis.cpa(spend, conversions) == pytest.approx(expected, rel=1e-9)


@given(engagements=st.integers(0, 10**6), reach=counts, extra=st.integers(0, 10**9))
def test_rate_by_followers_never_exceeds_rate_by_reach_when_followers_cover_reach(
    engagements, reach, extra
):
    followers = reach + extra
    by_followers = kpis.engagement_rate_by_followers(engagements, followers)
    assert by_followers <= kpis.engagement_rate_by_reach(engagements, reach)


@given(engagements=st.integers(0, 10**6), reach=counts, extra=st.integers(0, 10**9))
def test_rate_by_impressions_never_exceeds_rate_by_reach(engagements, reach, extra):
    impressions = reach + extra  # every reached account saw it at least once
    assert kpis.engagement_rate_by_impressions(engagements, impressions) <= (
        kpis.engagement_rate_by_reach(engagements, reach)
    )


@given(revenue=counts, spend=counts, margin=shares)
def test_roi_on_revenue_never_understates_roi_on_profit(revenue, spend, margin):
    on_profit = kpis.roi_on_profit(revenue * margin, spend)
    assert on_profit <= kpis.roi_on_revenue(revenue, spend) + 1e-12


@given(pos=st.integers(0, 10**6), neg=st.integers(0, 10**6), neu=st.integers(0, 10**6))
def test_net_sentiment_forms_share_sign_and_polarity_is_larger(pos, neg, neu):
    if pos + neg == 0:
        return
    overall, polarity = (
        kpis.net_sentiment(pos, neg, neu),
        kpis.net_sentiment_polarity(pos, neg),
    )
    assert -1 <= overall <= 1 and -1 <= polarity <= 1
    assert abs(overall) <= abs(polarity) + 1e-12
    assert np.sign(overall) == np.sign(polarity)


@given(brand=st.integers(0, 10**6), others=st.integers(0, 10**6))
def test_share_of_voice_is_a_share(brand, others):
    if brand + others == 0:
        return
    assert 0 <= kpis.share_of_voice(brand, others) <= 1


def test_response_rate_divides_by_messages_that_need_a_reply():
    assert kpis.response_rate(30, 40) == pytest.approx(0.75)
    with pytest.raises(ValueError, match="needing_response"):
        kpis.response_rate(3, 0)
