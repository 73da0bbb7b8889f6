"""Exercise 6: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted"."""

from __future__ import annotations

import smm_playbook.exercises.ex06_roi as ex
from exercise_contract import contract_tests

lift = ex.load("lift_test")
groups = lift.groupby("group")[["users", "conversions", "revenue", "spend"]].sum()
t, c = groups.loc["test"], groups.loc["control"]
rate_t, rate_c = t["conversions"] / t["users"], c["conversions"] / c["users"]
incremental = t["conversions"] - t["users"] * rate_c
iroas = (t["revenue"] - t["users"] * c["revenue"] / c["users"]) / t["spend"]


def summary():
    ads = ex.load("ad_campaigns")
    ads["month"] = ads["date"].str[:7]
    sums = ads.groupby(["platform", "month"])[["spend", "conversions", "revenue"]].sum()
    return sums.assign(
        cpa=sums["spend"] / sums["conversions"], roas=sums["revenue"] / sums["spend"]
    ).reset_index()


def no_margin_position(channels):
    return ex.linear_weights(channels)


def forgets_repeats(channels):
    return {c: 1 / len(channels) for c in channels}


# Meta's July and September CPA in the executive table, as a learner would compute.
_META = ex._summary().query("platform == 'Meta'").set_index("month")["cpa"]
SO_WHAT = (
    f"Meta's cost per purchase rose from {_META['2025-07']:.2f} in July to "
    f"{_META['2025-09']:.2f} in September, and its "
    "ROAS fell. It is driven by rising frequency: the same audiences have seen our "
    "creatives for three months. We recommend refreshing the creatives in October."
)

REFERENCE = {
    "q1": {"campaign_roi": -0.125},
    "q2": {"customer_clv": 42 * 5 * 3 * 0.35},
    "q3": {"linear_credit": ex.linear_weights, "position_credit": ex.position_weights},
    "q4": {
        "test_lift": (rate_t - rate_c) / rate_c,
        "incremental": incremental,
        "test_iroas": iroas,
    },
    "q5": {"net_all": 430 / 2000, "net_polar": 430 / 850},
    "q6": {"summary_table": summary()},
    "q7": {"so_what": SO_WHAT},
}

KNOWN_WRONG = [
    ("q1", {"campaign_roi": 1.5}, "ROI on revenue"),
    ("q2", {"customer_clv": 42 * 5 * 3}, "lifetime revenue"),
    (
        "q3",
        {"linear_credit": ex.linear_weights, "position_credit": no_margin_position},
        "That is linear credit",
    ),
    (
        "q3",
        {"linear_credit": forgets_repeats, "position_credit": ex.position_weights},
        "add up to",
    ),
    (
        "q3",
        {
            "linear_credit": lambda channels: list(channels),
            "position_credit": ex.position_weights,
        },
        "return a dict",
    ),
    (
        "q4",
        {
            "test_lift": (rate_t - rate_c) / rate_c,
            "incremental": incremental,
            "test_iroas": t["revenue"] / t["spend"],
        },
        "the ROAS a platform would report",
    ),
    ("q5", {"net_all": 430 / 850, "net_polar": 430 / 850}, "neutral ones too"),
    ("q6", {"summary_table": ex._summary(average=True)}, "average the daily ratios"),
    ("q7", {"so_what": SO_WHAT + " Then we wait. And we see."}, "executives get three"),
    (
        "q7",
        {
            "so_what": SO_WHAT.replace(
                "We recommend refreshing the creatives in October.", "That is all."
            )
        },
        "recommend",
    ),
]

globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))
