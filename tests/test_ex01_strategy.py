"""Exercise 1: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted"."""

from __future__ import annotations

import smm_playbook.exercises.ex01_strategy as ex
from exercise_contract import contract_tests

M = ex.MONTHLY_FOLLOWERS
aud = ex.load("platform_audiences")
youth = aud[(aud["region"] == "Mainland China") & (aud["age_band"] == "18-24")]
totals = youth.groupby("platform")[["users", "population"]].sum()


def dedup(reaches):
    missed = 1.0
    for r in reaches:
        missed *= 1 - r
    return 1 - missed


def weibo_plan():
    activity = dict(ex.EXAMPLE_PLAN["activity"], Weibo=30)
    return ex.plan_reach(activity, ex.EXAMPLE_PLAN["segments"])


REFERENCE = {
    "q1": {"er_reach": 3.4, "er_impressions": 2.5, "er_followers": 85 / 12_000 * 100},
    "q2": {"linkedin_base": "c"},
    "q3": {
        "quarter_growth": (M["gained"].sum() - M["lost"].sum())
        / M["followers_at_start"].iloc[0]
        * 100
    },
    "q4": {"our_sov": 1_840 / 6_000 * 100},
    "q5": {"awareness_kpis": ["a", "c"]},
    "q6": {"smart_goals": "b, d"},
    "q7": {"dedup_reach": dedup},
    "q8": {"weibo_plan_reach": weibo_plan().reach_share * 100},
    "q9": {
        "youth_shares": (totals["users"] / totals["population"])
        .rename("share")
        .reset_index()
    },
    "q10": {
        "my_goal": "Raise our Weibo engagement rate by reach from 2% to 3% by "
        "31 March 2027; owner: the community manager."
    },
}

KNOWN_WRONG = [
    (
        "q1",
        {
            "er_reach": 85 / 3_400 * 100,
            "er_impressions": 3.4,
            "er_followers": 85 / 12_000 * 100,
        },
        "1 of 3 right",
    ),
    (
        "q1",
        {"er_reach": 85 / 3_400 * 100, "er_impressions": 2.5, "er_followers": 0.7},
        "Reach (2,500) counts each member once",
    ),
    ("q2", {"linkedin_base": "b"}, "third-party tools"),
    (
        "q3",
        {
            "quarter_growth": (M["gained"] - M["lost"])
            .div(M["followers_at_start"])
            .mean()
            * 100
        },
        "averaged the three monthly rates",
    ),
    (
        "q3",
        {"quarter_growth": M["gained"].sum() / M["followers_at_start"].iloc[0] * 100},
        "followers lost",
    ),
    (
        "q3",
        {
            "quarter_growth": (M["gained"].sum() - M["lost"].sum())
            / M["followers_at_start"].iloc[-1]
            * 100
        },
        "not March",
    ),
    ("q4", {"our_sov": 1_840 / 4_160 * 100}, "competitors' mentions only"),
    ("q4", {"our_sov": 1_840 / 2_310 * 100}, "biggest competitor"),
    ("q5", {"awareness_kpis": ["a", "b"]}, "CPA measures conversion"),
    ("q6", {"smart_goals": ["b", "d", "e"]}, "'More often' has no target"),
    ("q7", {"dedup_reach": lambda r: sum(r)}, "added the reaches"),
    ("q7", {"dedup_reach": lambda r: max(r)}, "only the largest channel"),
    (
        "q8",
        {"weibo_plan_reach": ex.plan_reach(**ex.EXAMPLE_PLAN).reach_share * 100},
        "without Weibo",
    ),
    (
        "q8",
        {"weibo_plan_reach": weibo_plan().summed_reach / weibo_plan().population * 100},
        "double-counts",
    ),
    (
        "q9",
        {"youth_shares": youth.groupby("platform")["share"].mean().reset_index()},
        "averaged the three interest segments",
    ),
    (
        "q10",
        {
            "my_goal": "Raise our Weibo engagement rate by reach from 2% to 3% as soon "
            "as we can, because it matters to the brand."
        },
        "Set a deadline",
    ),
    (
        "q10",
        {
            "my_goal": "Raise our Weibo engagement rate by reach from 2% to 3% by "
            "31 March 2027, which would be great for everyone."
        },
        "owns the goal",
    ),
]


globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))
