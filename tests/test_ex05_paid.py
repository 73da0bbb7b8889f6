"""Exercise 5: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted"; the allocator is graded on unseen curves."""

from __future__ import annotations

import numpy as np
import pandas as pd

import smm_playbook.exercises.ex05_paid as ex
from exercise_contract import contract_tests
from smm_playbook.sim.paid_social import fit_hill

ads = ex.load("ad_campaigns")
SUMS = ["spend", "impressions", "clicks", "conversions", "revenue"]


def kpis(frame):
    sums = frame.groupby("platform")[SUMS].sum()
    return pd.DataFrame(
        {
            "cpm": 1000 * sums["spend"] / sums["impressions"],
            "ctr": sums["clicks"] / sums["impressions"],
            "cpc": sums["spend"] / sums["clicks"],
            "cvr": sums["conversions"] / sums["clicks"],
            "cpa": sums["spend"] / sums["conversions"],
            "roas": sums["revenue"] / sums["spend"],
        }
    ).reset_index()


def marginal(total, curves):
    split = dict.fromkeys(curves, 0.0)
    step = total / 400
    for _ in range(400):
        gain = {n: curves[n](split[n] + step) - curves[n](split[n]) for n in curves}
        split[max(gain, key=gain.get)] += step
    return split


def even(total, curves):
    return {n: total / len(curves) for n in curves}


def best_average(total, curves):
    """Everything into the channel with the best average return at an even split."""
    average = {
        n: curves[n](total / len(curves)) / (total / len(curves)) for n in curves
    }
    top = max(average, key=average.get)
    return {n: (total if n == top else 0.0) for n in curves}


meta = ex.response_curve("Meta")
fit = fit_hill(meta["budget"], meta["conversions"])
P = ex.two_proportion_test(412, 30_000, 483, 30_000).p_value
# The quarter's Broad CPA from the export, as a learner would compute it.
BROAD_CPA = float(ex._meta_ad_sets().loc["Broad", "cpa"])
ANSWER = (
    f"Broad's average CPA is the highest, {BROAD_CPA:.2f}. But an ad set's average "
    "CPA says nothing about what its last pound bought, or what "
    "the next pound would buy elsewhere. Switch it off and its budget moves to ad "
    "sets further up their saturation curves, where each extra conversion costs "
    "more, so the blended CPA can rise. Compare marginal, not average, CPA."
)
NO_MARGINAL = (
    "The ad set with the highest CPA might still bring sales the others cannot, and "
    "the budget we move to the other ad sets pushes them into saturation, where "
    "results are weaker. So total sales could fall even with the same budget, "
    f"even though Broad's CPA of {BROAD_CPA:.1f} looks the worst."
)

# The live session's totals, as a learner would add them up.
LIVE = ex.load("live_session").drop(columns="interval_start").sum()
LIVE_NET = LIVE["gmv"] - LIVE["refunded_gmv"]
LIVE_PROFIT = LIVE_NET * (1 - 0.20 - 0.55) - LIVE["ad_spend"]

REFERENCE = {
    "q1": {"platform_kpis": kpis(ads)},
    "q2": {"tired_ad_set": "c"},
    "q3": {"meta_ec": fit.ec, "meta_slope": fit.slope},
    "q4": {"allocate": marginal},
    "q5": {"creative_p": P},
    "q6": {"value_a": 0.096, "value_b": 0.132, "value_c": 0.144, "auction_winner": "c"},
    "q7": {"breakdown_answer": ANSWER},
    "q8": {
        "live_click_rate": LIVE["product_clicks"] / LIVE["entries"],
        "live_order_rate": LIVE["orders"] / LIVE["product_clicks"],
        "live_platform_roi": LIVE["gmv"] / LIVE["ad_spend"],
        "live_profit_roi": LIVE_PROFIT / LIVE["ad_spend"],
        "live_decision": "b",
    },
}

KNOWN_WRONG = [
    ("q1", {"platform_kpis": ex._averaged_kpis()}, "averaged the daily ratios"),
    ("q2", {"tired_ad_set": "d"}, "high frequency by design"),
    ("q3", {"meta_ec": fit.ec * 1.5, "meta_slope": fit.slope}, "not right"),
    ("q4", {"allocate": even}, "An even split"),
    ("q4", {"allocate": best_average}, "Everything in one channel"),
    ("q4", {"allocate": lambda total, curves: [total]}, "return a dict"),
    ("q4", {"allocate": lambda total, curves: dict.fromkeys(curves, total)}, "add up"),
    ("q5", {"creative_p": P / 2}, "one-sided"),
    (
        "q6",
        {"value_a": 0.096, "value_b": 0.132, "value_c": 0.144, "auction_winner": "a"},
        "3 of 4 right",
    ),
    ("q6", {"value_a": 0.12, "value_b": 0.12, "value_c": 0.12}, "left out quality"),
    ("q6", {"value_a": 0.92, "auction_winner": "d"}, "added quality"),
    ("q6", {"auction_winner": "a"}, "The highest bid loses"),
    (
        "q7",
        {"breakdown_answer": NO_MARGINAL},
        "marginal cost",
    ),
    ("q8", {"live_click_rate": LIVE["product_clicks"] / LIVE["views"]}, "wrong base"),
    ("q8", {"live_order_rate": LIVE["orders"] / LIVE["entries"]}, "wrong base"),
    (
        "q8",
        {"live_platform_roi": LIVE_NET / LIVE["ad_spend"]},
        "took the refunds off first",
    ),
    (
        "q8",
        {"live_profit_roi": LIVE["gmv"] / LIVE["ad_spend"]},
        "read as a return on profit",
    ),
    (
        "q8",
        {"live_profit_roi": (LIVE["gmv"] * 0.25 - LIVE["ad_spend"]) / LIVE["ad_spend"]},
        "left the refunds in",
    ),
    ("q8", {"live_decision": "a"}, "is not a profit"),
    ("q8", {"live_decision": "c"}, "profitable core"),
]

globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


def test_a_lopsided_split_is_told_which_way_to_move():
    def lopsided(total, curves):
        names = list(curves)
        return {names[0]: 0.1 * total, names[1]: 0.1 * total, names[2]: 0.8 * total}

    feedback = ex.q4.evaluate({"allocate": lopsided})
    assert feedback.status == "incorrect" and "move budget from" in feedback.message


def test_the_tired_ad_set_really_tires_in_the_data():
    ctr = (
        ads.assign(month=ads["date"].str[:7])
        .groupby(["ad_set", "month"])[["clicks", "impressions"]]
        .sum()
        .pipe(lambda f: f["clicks"] / f["impressions"])
        .unstack()
    )
    drop = 1 - ctr["2025-09"] / ctr["2025-07"]
    assert drop.idxmax() == "Juguang feed (one creative)"
    assert np.isfinite(drop).all()


def test_the_live_session_looks_healthy_on_gmv_and_loses_money():
    """The question's point must hold in the shipped data."""
    roi = LIVE["gmv"] / LIVE["ad_spend"]
    assert 2 < roi < 5  # a GMV ÷ spend a seller would call good
    assert LIVE_PROFIT < 0 < LIVE_NET * 0.25  # loses money, but not before the ads
    assert 0.2 < LIVE["refunded_gmv"] / LIVE["gmv"] < 0.35
    assert LIVE["views"] > LIVE["entries"] > LIVE["product_clicks"] > LIVE["orders"]
