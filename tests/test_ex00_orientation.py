"""Exercise 0: each question passes with the reference answer, fails with the known
wrong answers with the intended message, and is "not attempted" when untouched."""

from __future__ import annotations

import smm_playbook.exercises.ex00_orientation as ex
from exercise_contract import contract_tests
from smm_playbook.sim.competency import EXAMPLE_LEARNERS, assess


def posts():
    frame = ex.load("starter_posts")
    frame["engagements"] = frame[["likes", "comments", "shares", "saves"]].sum(axis=1)
    return frame


def platform_rates(frame, scale=100):
    totals = frame.groupby("platform")[["engagements", "reach"]].sum()
    return (
        (scale * totals["engagements"] / totals["reach"])
        .rename("er_reach")
        .reset_index()
    )


def good_memo():
    return (
        "The three rates divide the same engagements by a different base: reach counts "
        "unique people who saw it, impressions count every time it was shown, "
        "followers count everyone who follows us. I recommend we report the rate by "
        "reach."
    )


def douyin(frame):
    return frame.query("platform == 'Douyin'")


REFERENCE = {
    "q1": {"er_reach": 3.0},
    "q2": {"er_impressions": 2.0, "er_followers": 0.6},
    "q3": {"x_base": "c"},
    "q4": {"engagement_rate": lambda e, b: e / b * 100},
    "q5": {"platform_er": platform_rates(posts().dropna(subset=["reach"]))},
    "q6": {"jd_duties": ["a", "b", "d"]},
    "q7": {
        "douyin_frequency": (lambda w: w["impressions"].sum() / w["reach"].sum())(
            douyin(posts()).dropna(subset=["reach"])
        )
    },
    "q8": {
        "first_module": int(
            assess(
                EXAMPLE_LEARNERS["Customer-service lead"], role="Content lead"
            ).plan.iloc[0]["module"]
        )
    },
    "q9": {"memo": good_memo()},
}

KNOWN_WRONG = [
    ("q1", {"er_reach": 0.6}, "divided by followers"),
    ("q1", {"er_reach": 2.0}, "divided by impressions"),
    ("q1", {"er_reach": 0.03}, "looks like a fraction"),
    ("q2", {"er_impressions": 0.6, "er_followers": 2.0}, "0 of 2 right"),
    ("q2", {"er_impressions": 0.6, "er_followers": 0.6}, "rate by followers"),
    ("q2", {"er_impressions": 2.0, "er_followers": 3.0}, "1 of 2 right"),
    ("q2", {"er_impressions": 3.0, "er_followers": 3.0}, "rate by reach again"),
    ("q3", {"x_base": "b"}, "third-party tools"),
    ("q4", {"engagement_rate": lambda e, b: e / b}, "returns a fraction"),
    (
        "q4",
        {"engagement_rate": lambda e, b: b / e * 100 if e else 0.0},
        "turn it around",
    ),
    ("q5", {"platform_er": platform_rates(posts())}, "`reach` is missing"),
    (
        "q5",
        {"platform_er": platform_rates(posts().dropna(subset=["reach"]), 1)},
        "fractions",
    ),
    (
        "q5",
        {
            "platform_er": (
                lambda k: (
                    (100 * k["engagements"] / k["reach"])
                    .groupby(k["platform"])
                    .mean()
                    .rename("er_reach")
                    .reset_index()
                )
            )(posts().dropna(subset=["reach"]))
        },
        "averaged the per-post rates",
    ),
    ("q6", {"jd_duties": ["a", "b", "c", "d"]}, "Packaging"),
    ("q6", {"jd_duties": ["a", "b"]}, "missing"),
    (
        "q7",
        {
            "douyin_frequency": (lambda w: w["impressions"].sum() / w["reach"].sum())(
                douyin(posts())
            )
        },
        "missing reach still add",
    ),
    (
        "q8",
        {
            "first_module": int(
                assess(EXAMPLE_LEARNERS["Customer-service lead"]).plan.iloc[0]["module"]
            )
        },
        "default role",
    ),
    (
        "q9",
        {
            "memo": "Reach and impressions differ because they count different things, "
            "so the rates we see differ a lot between the tools we use every week, "
            "and I would like us to agree on one of them for the monthly report."
        },
        "follower-based rate",
    ),
]


globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


def test_the_exercise_mixes_every_question_kind():
    kinds = {type(getattr(ex, q).question).__mro__[1].__name__ for q in REFERENCE}
    assert kinds >= {
        "ValueQuestion",
        "ChoiceQuestion",
        "FunctionQuestion",
        "FrameQuestion",
        "TextQuestion",
    }
