"""Exercise 2: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted"."""

from __future__ import annotations

import pandas as pd
import pytest

import smm_playbook.exercises.ex02_content as ex
from exercise_contract import contract_tests

posts = ex.load("posts")
clean = posts.drop_duplicates()
ENG = ["likes", "comments", "shares", "saves"]


def rates(frame, scale=100):
    known = frame.dropna(subset=["reach"]).assign(
        engagements=lambda f: f[ENG].sum(axis=1)
    )
    totals = known.groupby(["format", "pillar"])[["engagements", "reach"]].sum()
    return (
        (scale * totals["engagements"] / totals["reach"])
        .rename("er_reach")
        .reset_index()
    )


def best(frame, minimum=20):
    known = frame.dropna(subset=["reach"]).copy()
    known["hour"] = known["published_at"].str[11:13].astype(int)
    stats = known.groupby(["platform", "hour"])["reach"].agg(["size", "mean"])
    trusted = stats[stats["size"] >= minimum].reset_index()
    return trusted.loc[
        trusted.groupby("platform")["mean"].idxmax(), ["platform", "hour"]
    ]


def kaushik(frame):
    g = frame.groupby("platform")
    n = g.size()
    return pd.DataFrame(
        {
            "conversation_rate": g["comments"].sum() / n,
            "amplification_rate": g["shares"].sum() / n,
            "applause_rate": g["likes"].sum() / n,
        }
    ).reset_index()


def calendar(**changes):
    rows = []
    for week in range(4):
        monday = pd.Timestamp("2026-03-02") + pd.Timedelta(weeks=week)
        plan = [
            (0, "Douyin", "video", "How-to"),
            (2, "Douyin", "video", "Product"),
            (4, "Douyin", "video", "Community"),
            (1, "Xiaohongshu", "note", "How-to"),
            (3, "Xiaohongshu", "note", "Promotion"),
            (5, "WeChat", "article", "Product"),
        ]
        for day, platform, fmt, pillar in plan:
            rows.append(
                {
                    "date": monday + pd.Timedelta(days=day),
                    "platform": platform,
                    "format": fmt,
                    "pillar": pillar,
                }
            )
    frame = pd.DataFrame(rows)
    for index, values in changes.items():
        frame.loc[int(index[1:]), list(values)] = list(values.values())
    return frame


ADAPTATION = (
    "Idea: cold-brew tea in three steps. On Douyin a 20-second vertical video "
    "with subtitles and a hook in the first two seconds; call to action: save "
    "it and follow. On Xiaohongshu a note with a clear cover photo and search "
    "keywords in the title; call to action: save the note and comment with "
    "your own flavour."
)
P = ex.two_proportion_test(*ex.AB_RESULT["A"], *ex.AB_RESULT["B"]).p_value

REFERENCE = {
    "q1": {"n_duplicates": int(posts.duplicated().sum())},
    "q2": {"format_pillar_er": rates(clean)},
    "q3": {"best_hours": best(clean)},
    "q4": {"kaushik": kaushik(clean)},
    "q5": {"n_per_variant": ex.sample_size_per_group(0.04, 0.006)},
    "q6": {"ab_p_value": P},
    "q7": {"ab_decision": "a"},
    "q8": {"cadence_advice": "c"},
    "q9": {"calendar": calendar()},
    "q10": {"adaptation": ADAPTATION},
}

KNOWN_WRONG = [
    ("q1", {"n_duplicates": int(posts.duplicated(keep=False).sum())}, "both copies"),
    ("q2", {"format_pillar_er": rates(posts)}, "Drop the duplicate rows"),
    ("q2", {"format_pillar_er": rates(clean, 1)}, "fractions"),
    ("q3", {"best_hours": best(clean, 1)}, "handful of posts"),
    ("q4", {"kaushik": kaushik(posts)}, "Drop the duplicate rows"),
    (
        "q5",
        {"n_per_variant": 2 * ex.sample_size_per_group(0.04, 0.006)},
        "both variants",
    ),
    (
        "q5",
        {"n_per_variant": ex.sample_size_per_group(0.04, 0.00024)},
        "percentage points",
    ),
    ("q6", {"ab_p_value": P / 2}, "one-sided"),
    ("q7", {"ab_decision": "c"}, "not a rule"),
    ("q8", {"cadence_advice": "b"}, "comfortable cadence"),
    (
        "q9",
        {"calendar": calendar(r0={"format": "image"})},
        "Douyin posts must be video",
    ),
    ("q9", {"calendar": calendar(r5={"platform": "Weibo"})}, "not ['Weibo']"),
    (
        "q9",
        {"calendar": calendar(r1={"date": pd.Timestamp("2026-03-02")})},
        "two posts on the same day",
    ),
    (
        "q9",
        {"calendar": calendar(r0={"pillar": "Product"}, r3={"pillar": "Product"})},
        "Week 1 needs at least one How-to",
    ),
    (
        "q9",
        {"calendar": calendar(r5={"pillar": "Promotion"})},
        "more than one Promotion",
    ),
    (
        "q9",
        {"calendar": calendar(r23={"date": pd.Timestamp("2026-04-04")})},
        "between Monday 2 and Sunday 29 March",
    ),
    ("q9", {"calendar": calendar().drop(index=[6])}, "week 2 has 2"),
    ("q9", {"calendar": "a calendar"}, "should be a DataFrame"),
    (
        "q10",
        {"adaptation": ADAPTATION.replace("Xiaohongshu", "the other app")},
        "Name the two platforms",
    ),
]

globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


@pytest.mark.parametrize("column", ["date", "platform"])
def test_calendar_without_a_column_says_which(column):
    feedback = ex.q9.evaluate({"calendar": calendar().drop(columns=column)})
    assert column in feedback.message
