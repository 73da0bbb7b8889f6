"""Primer exercise: each question passes with the reference answer, fails with the
known beginner mistakes with the intended message, and is "not attempted" when
untouched."""

from __future__ import annotations

import pandas as pd

import smm_playbook.exercises.ex00_primer as ex
from exercise_contract import contract_tests
from smm_playbook.checks import PLACEHOLDER, WorkProductQuestion
from smm_playbook.exercises import CATALOGUE

ENGAGEMENTS = ["likes", "comments", "shares", "saves"]


def posts():
    frame = ex.load("starter_posts")
    frame["engagements"] = (
        frame["likes"] + frame["comments"] + frame["shares"] + frame["saves"]
    )
    return frame


def x_posts():
    frame = posts()
    return frame[frame["platform"] == "X"]


def local_hour():
    return posts()["published_at"].str[11:13].astype(int)


def utc():
    return pd.to_datetime(posts()["published_at"], utc=True)


def pivot(aggfunc="sum"):
    return posts().pivot_table(
        index="platform", columns="format", values="engagements", aggfunc=aggfunc
    )


def weibo(fmt=None):
    frame = posts()
    keep = frame["platform"] == "Weibo"
    if fmt:
        keep &= frame["format"] == fmt
    return len(frame[keep])


def with_clicks():
    frame = ex.load("starter_posts")
    frame["engagements"] = frame[ENGAGEMENTS].sum(axis=1) + frame["clicks"]
    return frame


def filled_with_zero():
    frame = x_posts()
    return 100 * frame["engagements"].sum() / frame["reach"].fillna(0).sum()


def mean_of_ratios():
    frame = x_posts().dropna(subset=["reach"])
    return (100 * frame["engagements"] / frame["reach"]).mean()


REFERENCE = {
    "q1": {"weibo_video_posts": weibo("video")},
    "q2": {"posts": posts()},
    "q3": {
        "platform_totals": posts()
        .groupby("platform")[["engagements", "impressions"]]
        .sum()
        .reset_index()
    },
    "q4": {
        "x_er_reach": (lambda k: 100 * k["engagements"].sum() / k["reach"].sum())(
            x_posts().dropna(subset=["reach"])
        )
    },
    "q5": {"top3": posts().sort_values("engagements", ascending=False).head(3)},
    "q6": {"percent_change": lambda before, after: (after - before) / before * 100},
    "q7": {"evening_posts": int((local_hour() >= 18).sum())},
    "q8": {"by_format": pivot().fillna(0).reset_index()},
}

KNOWN_WRONG = [
    ("q1", {"weibo_video_posts": weibo()}, "every Weibo post"),
    (
        "q1",
        {"weibo_video_posts": int((posts()["format"] == "video").sum())},
        "every video",
    ),
    ("q1", {"weibo_video_posts": len(posts())}, "filter was not applied"),
    ("q2", {"posts": with_clicks()}, "You added `clicks`"),
    (
        "q2",
        {"posts": ex.load("starter_posts").assign(engagements=lambda f: f["likes"])},
        "is not right",
    ),
    (
        "q3",
        {
            "platform_totals": posts()
            .groupby("platform")[["engagements", "impressions"]]
            .mean()
            .reset_index()
        },
        "averages per post",
    ),
    (
        "q3",
        {
            "platform_totals": posts()
            .groupby("platform")[["engagements", "impressions"]]
            .sum()
        },
        "reset_index",
    ),
    ("q4", {"x_er_reach": filled_with_zero()}, "A blank is not a zero"),
    ("q4", {"x_er_reach": mean_of_ratios()}, "averaged the rates"),
    ("q4", {"x_er_reach": REFERENCE["q4"]["x_er_reach"] / 100}, "fraction"),
    ("q5", {"top3": posts().sort_values("engagements").head(3)}, "FEWEST"),
    ("q5", {"top3": posts().head(3)}, "first three rows"),
    ("q6", {"percent_change": lambda b, a: (a - b) / b}, "returns a fraction"),
    ("q6", {"percent_change": lambda b, a: (a - b) / a * 100}, "divide by `before`"),
    ("q6", {"percent_change": lambda b, a: (b - a) / b * 100}, "wrong way round"),
    ("q7", {"evening_posts": int((utc().dt.hour >= 18).sum())}, "UTC clock"),
    (
        "q7",
        {
            "evening_posts": int(
                (utc().dt.tz_convert("Asia/Shanghai").dt.hour >= 18).sum()
            )
        },
        "Beijing time",
    ),
    ("q8", {"by_format": pivot("mean").fillna(0).reset_index()}, "averages"),
    ("q8", {"by_format": pivot().reset_index()}, "fillna(0)"),
    ("q8", {"by_format": pivot().fillna(0)}, "reset_index"),
]


globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


def test_the_mistakes_are_really_different_answers():
    # each targeted message is reachable only if the wrong answer differs from the
    # right one on this dataset
    assert weibo("video") not in (weibo(), len(posts()))
    assert abs(filled_with_zero() - REFERENCE["q4"]["x_er_reach"]) > 0.05
    assert abs(mean_of_ratios() - REFERENCE["q4"]["x_er_reach"]) > 0.005
    assert int((utc().dt.hour >= 18).sum()) != REFERENCE["q7"]["evening_posts"]


def test_a_posts_table_without_the_new_column_is_not_attempted():
    view = ex.q2
    assert view.evaluate({"posts": ex.load("starter_posts")}).status == (
        "not_attempted"
    )
    untouched = ex.load("starter_posts")
    untouched["engagements"] = PLACEHOLDER
    feedback = view.evaluate({"posts": untouched})
    assert feedback.status == "not_attempted" and "Replace `____`" in feedback.message


def test_the_primer_comes_first_and_has_no_work_product():
    assert CATALOGUE.index("ex00_primer") < CATALOGUE.index("ex00_orientation")
    views = [getattr(ex, n) for n in ex.__all__ if n[0] == "q" and n[1:].isdigit()]
    assert len(views) == 8
    assert not any(isinstance(v.question, WorkProductQuestion) for v in views)


def test_the_exercise_mixes_question_kinds():
    kinds = {type(getattr(ex, q).question).__mro__[1].__name__ for q in REFERENCE}
    assert kinds >= {"ValueQuestion", "FunctionQuestion", "FrameQuestion"}
