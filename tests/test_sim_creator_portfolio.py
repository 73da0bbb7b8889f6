"""Module 7 creator lab: deduplication as in the channel planner, the budget holds,
bought followers inflate claimed reach and deflate ER, audience fit beats
followers-only, and the follower-growth detector separates bought from viral."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smm_playbook.sim import creator_portfolio as cp
from smm_playbook.sim.follower_growth import KINDS, looks_bought, simulate_series

POOL = cp.generate_pool(np.random.default_rng(0))
TARGET = "Women 18-34, Mainland China"


def hand_pool(**overrides) -> pd.DataFrame:
    """Three genuine Xiaohongshu creators, each reaching 10 % of a 120 M target."""
    reach = 0.1 * 120e6 / (1.0 * 1.0 * 1.0)
    frame = pd.DataFrame(
        {
            "creator_id": ["A", "B", "C"],
            "platform": "Xiaohongshu",
            "market": "Mainland China",
            "followers": [4 * reach] * 3,
            "avg_reach": [reach] * 3,
            "avg_engagements": [0.03 * reach] * 3,
            "audience_in_market": 1.0,
            "audience_female": 1.0,
            "audience_18_34": 1.0,
            "generic_comment_share": 0.1,
            "currency": "CNY",
            "price": [1000.0, 2000.0, 3000.0],
            "fake_share": 0.0,
            "pod": False,
        }
    )
    return frame.assign(**overrides)


def test_target_reach_is_deduplicated_by_random_duplication():
    result = cp.evaluate(hand_pool(), ["A", "B", "C"], TARGET)
    assert result.target_reach_share == pytest.approx(1 - 0.9**3)
    assert result.cost == pytest.approx(6000 * cp.USD_PER["CNY"])
    assert result.cost_per_thousand == pytest.approx(
        1000 * result.cost / result.target_reach
    )


def test_bought_followers_inflate_claimed_reach_but_not_true_reach():
    honest = cp.evaluate(hand_pool(), ["A"], TARGET)
    # Same real audience; half of the shown followers are bought (and sit abroad).
    bought = hand_pool(
        followers=2 * hand_pool()["followers"],
        fake_share=0.5,
        audience_in_market=0.5 * 1.0 + 0.1 * 0.5,
    )
    padded = cp.evaluate(bought, ["A"], TARGET)
    assert padded.claimed_reach == pytest.approx(2 * honest.claimed_reach)
    assert padded.target_reach == pytest.approx(honest.target_reach)
    assert padded.fake_share == pytest.approx(0.5)
    er = bought["avg_engagements"] / bought["followers"]
    assert er[0] == pytest.approx(0.5 * 0.03 / 4)  # ER by followers halves


def test_the_chosen_portfolio_never_exceeds_the_budget():
    for budget in (0, 500, 5_000, 40_000):
        for weights in (cp.FOLLOWERS_ONLY, cp.AUDIENCE_FIT):
            result = cp.run_portfolio(POOL, budget, TARGET, **weights)
            assert result.cost <= budget + 1e-9
    assert len(cp.run_portfolio(POOL, 0, TARGET).chosen) == 0


def test_only_creators_in_the_target_market_are_chosen():
    result = cp.run_portfolio(POOL, 30_000, "Women 18-34, UK", **cp.AUDIENCE_FIT)
    assert set(result.chosen["market"]) == {"UK"}


@pytest.mark.parametrize("seed", range(4))
def test_audience_fit_reaches_more_of_the_target_than_followers_only(seed):
    pool = cp.generate_pool(np.random.default_rng(seed))
    naive = cp.run_portfolio(pool, 20_000, TARGET, **cp.FOLLOWERS_ONLY)
    fit = cp.run_portfolio(pool, 20_000, TARGET, **cp.AUDIENCE_FIT)
    assert fit.target_reach > 1.1 * naive.target_reach
    assert fit.fake_share < naive.fake_share
    assert naive.claimed_reach > naive.target_reach  # the deck over-promises


def test_more_budget_never_reaches_fewer_people_with_the_same_ranking():
    reach = [
        cp.run_portfolio(POOL, b, TARGET, **cp.AUDIENCE_FIT).target_reach
        for b in (5_000, 10_000, 20_000, 40_000)
    ]
    assert reach == sorted(reach)


def test_the_pool_is_seeded_and_the_marketplace_view_hides_the_truth():
    again = cp.generate_pool(np.random.default_rng(0))
    pd.testing.assert_frame_equal(POOL, again)
    assert not set(cp.TRUTH_COLUMNS) & set(cp.observed(POOL).columns)
    assert POOL["platform"].nunique() == 7
    assert 0.1 < (POOL["fake_share"] > 0.2).mean() < 0.3


def test_authenticity_risk_is_higher_for_accounts_that_bought_followers():
    risk = cp.authenticity_risk(POOL)
    bought = POOL["fake_share"].to_numpy() > 0.2
    assert risk[bought].mean() > 2 * risk[~bought].mean()


def test_tiers_follow_the_course_bands():
    assert list(cp.tier([9_999, 10_000, 499_999, 500_000, 2e6])) == [
        "nano",
        "micro",
        "mid",
        "macro",
        "mega",
    ]


def test_bad_input_gets_a_clear_message():
    with pytest.raises(ValueError, match="Choose a target"):
        cp.run_portfolio(POOL, 1000, "Everyone")
    with pytest.raises(ValueError, match="budget"):
        cp.run_portfolio(POOL, -5, TARGET)
    with pytest.raises(ValueError, match="fit runs from 0 to 1"):
        cp.run_portfolio(POOL, 1000, TARGET, fit=2)
    with pytest.raises(ValueError, match="creator_id"):
        cp.evaluate(POOL, ["nobody"], TARGET)


@pytest.mark.parametrize("kind", KINDS)
def test_the_reference_detector_flags_bought_jumps_and_spares_viral_growth(kind):
    rng = np.random.default_rng(42)
    flags = [looks_bought(simulate_series(rng, kind)) for _ in range(60)]
    assert all(flags) if kind == "bought" else not any(flags)


def test_a_viral_spell_has_big_gains_that_a_naive_threshold_flags():
    rng = np.random.default_rng(7)
    series = [simulate_series(rng, "viral") for _ in range(40)]
    biggest = [np.max(np.diff(s) / s[:-1]) for s in series]
    assert np.mean(np.array(biggest) > 0.03) > 0.5


def test_the_shipped_shortlist_is_the_lab_pool_without_its_truth():
    from smm_playbook import data

    shipped = data.load("creators")
    lab = cp.observed(POOL)
    assert list(shipped.columns) == list(lab.columns)
    known = shipped["avg_reach"].notna()
    assert (shipped.loc[known, "avg_reach"] == lab.loc[known, "avg_reach"]).all()
    assert shipped.loc[shipped["platform"] == "Weibo", "avg_reach"].isna().all()
    pd.testing.assert_series_equal(shipped["followers"], lab["followers"])
    pd.testing.assert_series_equal(shipped["price"], lab["price"], check_dtype=False)


def test_follower_histories_end_at_the_shortlists_follower_counts():
    from smm_playbook import data

    histories = data.load("creator_followers")
    last = histories[histories["date"] == "2026-08-29"].set_index("creator_id")
    shown = POOL.set_index("creator_id").loc[last.index, "followers"]
    assert (last["followers"] == shown).all()
