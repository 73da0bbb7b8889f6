"""Channel planner: random-duplication reach, invariants, bad input and tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smm_playbook import data
from smm_playbook.data import load
from smm_playbook.sim.channel_planner import (
    CHANNELS,
    EXAMPLE_PLAN,
    SATURATION,
    audiences_from,
    deduplicated_reach,
    plan_reach,
)

SHIPPED = audiences_from(load("platform_audiences"))

activity = st.dictionaries(st.sampled_from(CHANNELS), st.integers(0, 100), max_size=6)
regions = st.sampled_from(
    ["North America", "Western Europe", "Mainland China", "Southeast Asia"]
)


@pytest.mark.parametrize(
    ("fractions", "expected"),
    [
        ([0.5, 0.5], 0.75),  # half of the other half
        ([0.4, 0.3], 0.58),  # 1 − 0.6 × 0.7
        ([0.2, 0.2, 0.2], 0.488),  # 1 − 0.8³
        ([0.9], 0.9),
        ([], 0.0),
        ([1.0, 0.3], 1.0),
    ],
)
def test_deduplicated_reach_hand_computed(fractions, expected):
    assert deduplicated_reach(fractions) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [[0.5, 1.2], [-0.1], [float("nan")]])
def test_deduplicated_reach_rejects_impossible_shares(bad):
    with pytest.raises(ValueError, match="between 0 and 1"):
        deduplicated_reach(bad)


def test_one_channel_in_one_segment_matches_the_formula_by_hand():
    audiences = load("platform_audiences")
    row = audiences.query(
        "platform == 'WeChat' and region == 'Mainland China' and "
        "age_band == '18-24' and interest == 'Food & drink'"
    ).iloc[0]
    segment = {
        "region": ["Mainland China"],
        "age_band": ["18-24"],
        "interest": ["Food & drink"],
    }
    result = plan_reach({"WeChat": 40}, segment, audiences=SHIPPED)
    expected_share = row["share"] * (1 - math.exp(-40 / SATURATION))
    assert result.population == row["population"]
    assert result.reach_share == pytest.approx(expected_share)
    assert result.frequency == pytest.approx(1 + 40 / 25)


def test_two_channels_in_one_segment_are_deduplicated_by_random_duplication():
    segment = {
        "region": ["North America"],
        "age_band": ["25-34"],
        "interest": ["Tech & gaming"],
    }
    alone = [
        plan_reach({c: 60}, segment, audiences=SHIPPED).reach_share
        for c in ("YouTube", "LinkedIn")
    ]
    both = plan_reach({"YouTube": 60, "LinkedIn": 60}, segment, audiences=SHIPPED)
    assert both.reach_share == pytest.approx(deduplicated_reach(alone))
    assert both.summed_reach / both.population == pytest.approx(sum(alone))


@given(plan=activity, region=regions)
def test_reach_never_exceeds_the_population_or_the_summed_reach(plan, region):
    result = plan_reach(plan, {"region": [region]}, audiences=SHIPPED)
    assert 0 <= result.reach <= result.population
    assert result.reach <= result.summed_reach + 1e-6
    assert result.segments["reach"].le(result.segments["population"] + 1e-6).all()


@given(plan=activity, extra=st.sampled_from(CHANNELS), level=st.integers(1, 100))
def test_adding_a_channel_never_lowers_combined_reach(plan, extra, level):
    more = dict(plan, **{extra: max(plan.get(extra, 0), level)})
    assert (
        plan_reach(more, audiences=SHIPPED).reach
        >= plan_reach(plan, audiences=SHIPPED).reach - 1e-6
    )


def test_global_platforms_barely_reach_mainland_china():
    china = {"region": ["Mainland China"]}
    western = plan_reach(
        {"Facebook": 80, "Instagram": 80, "YouTube": 80}, china, audiences=SHIPPED
    )
    chinese = plan_reach({"WeChat": 80}, china, audiences=SHIPPED)
    assert western.reach_share < 0.05 < chinese.reach_share


def test_the_example_plan_misses_its_goal_and_double_counts():
    result = plan_reach(**EXAMPLE_PLAN, audiences=SHIPPED)
    assert not result.goal_met
    assert result.summed_reach > 1.2 * result.reach


def test_a_learners_own_combination_rule_is_used():
    summed = plan_reach(
        {"WeChat": 50, "Douyin": 50},
        {"region": ["Mainland China"]},
        dedup=lambda r: r.sum(axis=0),
        audiences=SHIPPED,
    )
    assert summed.reach == pytest.approx(summed.summed_reach)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (({"Facbook": 10},), "Unknown channel"),
        (({"X": 150},), "0 \\(unused\\) to 100"),
        (({"X": 10}, {"country": ["UK"]}), "not 'country'"),
        (({"X": 10}, {"region": ["Mars"]}), "Choose region"),
    ],
)
def test_bad_plans_are_explained(args, message):
    with pytest.raises(ValueError, match=message):
        plan_reach(*args, audiences=SHIPPED)


def test_activity_points_have_a_money_unit_so_cheapest_means_least_budget():
    from smm_playbook.sim.channel_planner import BUDGET_PER_POINT

    small = plan_reach(
        {"WeChat": 10, "Douyin": 10}, EXAMPLE_PLAN["segments"], audiences=SHIPPED
    )
    large = plan_reach(
        {"WeChat": 30, "Douyin": 30}, EXAMPLE_PLAN["segments"], audiences=SHIPPED
    )
    assert small.weekly_budget == 20 * BUDGET_PER_POINT
    assert large.weekly_budget == 3 * small.weekly_budget
    # diminishing returns: tripling the budget less than triples the people reached,
    # so each thousand people reached costs more
    assert large.reach < 3 * small.reach
    assert large.cost_per_thousand_reached > small.cost_per_thousand_reached
    assert (
        plan_reach(
            {}, EXAMPLE_PLAN["segments"], audiences=SHIPPED
        ).cost_per_thousand_reached
        == 0.0
    )


# --- the audience table is passed in ---------------------------------------------

SEGMENTS = {"Mainland China": 1_000, "North America": 3_000}
HAND_SHARES = {  # region → platform → share; every other platform 0
    "Mainland China": {"WeChat": 0.8, "Facebook": 0.1},
    "North America": {"WeChat": 0.01, "Facebook": 0.6},
}


def hand_made_table() -> pd.DataFrame:
    """Two segments × every channel, small enough to work out by hand."""
    return pd.DataFrame(
        [
            {
                "platform": platform,
                "region": region,
                "age_band": "18-24",
                "interest": "Food & drink",
                "population": population,
                "share": HAND_SHARES[region].get(platform, 0.0),
            }
            for region, population in SEGMENTS.items()
            for platform in CHANNELS
        ]
    )


def test_a_hand_made_table_is_used_and_no_dataset_file_is_read(monkeypatch):
    def no_files(*args, **kwargs):
        raise AssertionError("the model read a dataset file")

    monkeypatch.setattr(data, "load", no_files)
    monkeypatch.setattr(data, "data_dir", no_files)
    table = hand_made_table()
    result = plan_reach({"WeChat": 40, "Facebook": 40}, audiences=table)
    f = 1 - math.exp(-40 / SATURATION)
    china = 1 - (1 - 0.8 * f) * (1 - 0.1 * f)
    america = 1 - (1 - 0.01 * f) * (1 - 0.6 * f)
    assert result.population == 4_000
    assert result.reach == pytest.approx(1_000 * china + 3_000 * america)
    assert result.summed_reach == pytest.approx((1_000 * 0.9 + 3_000 * 0.61) * f)
    only_china = plan_reach(
        {"WeChat": 40}, {"region": ["Mainland China"]}, audiences=table
    )
    assert only_china.population == 1_000
    assert only_china.reach_share == pytest.approx(0.8 * f)
    arranged = plan_reach({"WeChat": 40}, audiences=audiences_from(table))
    assert arranged.reach == pytest.approx(
        plan_reach({"WeChat": 40}, audiences=table).reach
    )


def _without_wechat_in_china(t):
    return t[~((t["platform"] == "WeChat") & (t["region"] == "Mainland China"))]


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda t: t.drop(columns="share"), r"needs the columns .* no \['share'\]"),
        (lambda t: t.assign(share=t["share"] + 1.5), "between 0 and 1"),
        (lambda t: t.assign(share="high"), "between 0 and 1"),
        (_without_wechat_in_china, "no row for WeChat in Mainland China / 18-24"),
        (lambda t: t.replace({"platform": {"Weibo": "Webo"}}), r"unknown .*'Webo'"),
        (lambda t: pd.concat([t, t.head(1)]), "1 repeated row"),
        (lambda t: t.assign(population=range(len(t))), "one population"),
        (lambda t: t.assign(population=-1), "0 or more"),
        (lambda t: t.head(0), "no rows"),
        (lambda t: t.to_dict("records"), "must be a pandas DataFrame"),
    ],
)
def test_a_malformed_table_is_explained(spoil, message):
    table = spoil(hand_made_table())
    with pytest.raises(ValueError, match=message):
        audiences_from(table)
    with pytest.raises(ValueError, match=message):
        plan_reach({"WeChat": 40}, audiences=table)
