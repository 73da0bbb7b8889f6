"""Primer exercise — the pandas recipes of the primer, one question per recipe family.

Setup cell of the notebook:  from smm_playbook.exercises.ex00_primer import *

It comes before Exercise 0 and has no work product: it only practises the recipes of
book/00-role/pandas-primer.md on the course's `starter_posts` dataset.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

import pandas as pd

from smm_playbook import data
from smm_playbook.checks import (
    PLACEHOLDER,
    FrameQuestion,
    FunctionQuestion,
    Misconception,
    NotAttempted,
    ValueQuestion,
    bind_exercises,
)

ENGAGEMENT_COLUMNS = ["likes", "comments", "shares", "saves"]
EVENING = 18  # "evening" starts at 18:00 on the local clock


@cache
def _raw() -> pd.DataFrame:
    return data.load("starter_posts")


@cache
def _posts() -> pd.DataFrame:
    posts = _raw()
    return posts.assign(engagements=posts[ENGAGEMENT_COLUMNS].sum(axis=1))


# Question 1 · load, filter, count (recipes 1, 2 and 4)


def _count(platform: str | None = None, fmt: str | None = None) -> int:
    posts = _raw()
    keep = pd.Series(True, index=posts.index)
    if platform:
        keep &= posts["platform"] == platform
    if fmt:
        keep &= posts["format"] == fmt
    return int(keep.sum())


class WeiboVideoPosts(ValueQuestion):
    title = "Filter and count: Weibo video posts"
    var = "weibo_video_posts"
    atol = 0.0
    rtol = 0.0

    @staticmethod
    def expected() -> int:
        return _count("Weibo", "video")

    misconceptions = (
        Misconception(
            lambda: _count("Weibo"),
            "That is every Weibo post. Keep only those whose `format` is "
            '"video" too: two conditions, joined with `&`.',
        ),
        Misconception(
            lambda: _count(fmt="video"),
            "That is every video post on every platform. Keep only the Weibo ones "
            "too: two conditions, joined with `&`.",
        ),
        Misconception(
            lambda: len(_raw()),
            "That is the number of rows in the whole table: the filter was not "
            "applied. Put the condition inside `posts[...]`.",
        ),
    )
    hints = (
        "Recipe 4: `posts[(condition one) & (condition two)]` keeps the rows where "
        "both are true; each condition in its own brackets.",
        '`posts["platform"] == "Weibo"` and `posts["format"] == "video"`; then '
        "`len(...)` counts the rows that are left.",
    )


# Question 2 · add a column (recipe 3)


def _with(columns: list[str], *, row_wise_nan: bool = False) -> pd.DataFrame:
    posts = _raw()
    if row_wise_nan:  # `a + b + ...`: a blank in any column gives a blank total
        total = sum(posts[c] for c in columns)
    else:
        total = posts[columns].sum(axis=1)
    return pd.DataFrame({"post_id": posts["post_id"], "engagements": total})


class AddEngagements(FrameQuestion):
    title = "Add a column: engagements"
    var = "posts"
    key = ("post_id",)
    expected = staticmethod(lambda: _with(ENGAGEMENT_COLUMNS))
    misconceptions = (
        Misconception(
            lambda: _with([*ENGAGEMENT_COLUMNS, "clicks"], row_wise_nan=True),
            "You added `clicks`. In this course engagements are likes + comments + "
            "shares + saves; clicks are reported on their own.",
        ),
        Misconception(
            lambda: _with([*ENGAGEMENT_COLUMNS, "clicks"]),
            "You added `clicks`. In this course engagements are likes + comments + "
            "shares + saves; clicks are reported on their own.",
        ),
        Misconception(
            lambda: _with(["likes", "comments", "shares"]),
            "You left out `saves`: engagements are likes + comments + shares + saves.",
        ),
    )
    hints = (
        'Recipe 3: `posts["new column"] = ...` with a formula made of other '
        "columns, which pandas applies row by row.",
        '`posts["engagements"] = posts["likes"] + posts["comments"] + '
        'posts["shares"] + posts["saves"]`.',
    )

    def _read(self, namespace: Any) -> dict[str, Any]:
        values = super()._read(namespace)
        posts = values["posts"]
        if not isinstance(posts, pd.DataFrame):
            return values
        if "engagements" not in posts.columns:
            raise NotAttempted(
                "`posts` has no `engagements` column yet. Add it, then run "
                "`check()` again."
            )
        if any(value is PLACEHOLDER for value in posts["engagements"].head(1)):
            raise NotAttempted(
                'Replace `____` in the line that sets `posts["engagements"]` with '
                "your formula, then run `check()` again."
            )
        return values


# Question 3 · group and sum (recipe 5)


def _platform_totals(how: str = "sum") -> pd.DataFrame:
    grouped = _posts().groupby("platform")[["engagements", "impressions"]]
    return getattr(grouped, how)().reset_index()


class PlatformTotals(FrameQuestion):
    title = "Group and sum: totals per platform"
    var = "platform_totals"
    key = ("platform",)
    expected = staticmethod(_platform_totals)
    misconceptions = (
        Misconception(
            lambda: _platform_totals("mean"),
            "Those are averages per post. The question asks for totals: `.sum()`, "
            "not `.mean()`.",
        ),
        Misconception(
            lambda: _platform_totals("count"),
            "Those are numbers of posts. The question asks for totals: `.sum()`, "
            "not `.count()`.",
        ),
    )
    hints = (
        'Recipe 5: `posts.groupby("platform")[["engagements", "impressions"]].sum()`.',
        "The result keeps `platform` in its index; `.reset_index()` turns it back "
        "into a column.",
    )


# Question 4 · a ratio on the right base (recipes 2, 4 and 6)


def _x_posts() -> pd.DataFrame:
    return _posts().query("platform == 'X'")


def _ratio_of_totals(frame: pd.DataFrame) -> float:
    return float(100 * frame["engagements"].sum() / frame["reach"].sum())


class RateByReachOnX(ValueQuestion):
    title = "A ratio on the right base: X's engagement rate by reach"
    var = "x_er_reach"
    unit = "percent"

    @staticmethod
    def expected() -> float:
        return _ratio_of_totals(_x_posts().dropna(subset=["reach"]))

    misconceptions = (
        Misconception(
            lambda: _ratio_of_totals(_x_posts()),
            "You kept the posts whose `reach` is blank (or filled the blanks with "
            "0): their engagements were counted but their reach was not. A blank is "
            'not a zero: drop those posts with `dropna(subset=["reach"])` first.',
        ),
        Misconception(
            lambda: float(
                (lambda k: (100 * k["engagements"] / k["reach"]).mean())(
                    _x_posts().dropna(subset=["reach"])
                )
            ),
            "You averaged the rates of the single posts. Divide the total "
            "engagements by the total reach instead: a post seen by 50 accounts "
            "must not count as much as one seen by 50,000.",
        ),
    )
    hints = (
        "Keep the X posts that have a reach (recipe 4), then add up engagements "
        "and reach (recipe 2).",
        "Divide the total engagements by the total reach and multiply by 100 "
        "(recipe 6).",
    )


# Question 5 · sort (recipe 7)


def _three(ascending: bool) -> pd.DataFrame:
    ranked = _posts().sort_values("engagements", ascending=ascending)
    return ranked.head(3)[["post_id", "engagements"]]


class TopThreePosts(FrameQuestion):
    title = "Sort: the three most engaging posts"
    var = "top3"
    key = ("post_id",)
    expected = staticmethod(lambda: _three(ascending=False))
    misconceptions = (
        Misconception(
            lambda: _three(ascending=True),
            "Those are the three posts with the FEWEST engagements: "
            "`sort_values` sorts from small to large unless you pass "
            "`ascending=False`.",
        ),
        Misconception(
            lambda: _posts().head(3)[["post_id", "engagements"]],
            "Those are the first three rows of the table, as it came. Sort it by "
            "`engagements` before you take `.head(3)`.",
        ),
    )
    hints = (
        'Recipe 7: `posts.sort_values("engagements", ascending=False)` puts the '
        "largest first.",
        "Then `.head(3)` keeps the first three rows.",
    )


# Question 6 · a small function (recipe 8)


class PercentChangeFunction(FunctionQuestion):
    title = "A small function: percent change"
    var = "percent_change"
    cases = (
        ((1_000, 1_200), 20.0),
        ((500, 400), -20.0),
        ((8_000, 8_000), 0.0),
        ((250, 1_000), 300.0),
        ((2_000, 2_500), 25.0),
    )
    misconceptions = (
        (
            lambda before, after: (after - before) / before,
            "Your function returns a fraction; the task asks for a percentage (× 100).",
        ),
        (
            lambda before, after: 100 * (after - before) / after,
            "You divided by the new value. A change is measured against where you "
            "started: divide by `before`.",
        ),
        (
            lambda before, after: 100 * (before - after) / before,
            "The sign is the wrong way round: a rise must come out positive. "
            "Subtract `before` from `after`.",
        ),
    )
    hints = (
        "Percent change = (after − before) ÷ before × 100.",
        "Inside the function: `return (after - before) / before * 100`. Without "
        "`return` the function gives back `None`.",
    )


# Question 7 · local hour from a timestamp with its UTC offset (recipe 9)


def _evening(hours: pd.Series) -> int:
    return int((hours >= EVENING).sum())


def _utc() -> pd.Series:
    return pd.to_datetime(_raw()["published_at"], utc=True)


class EveningPosts(ValueQuestion):
    title = "Time zones: posts published in the local evening"
    var = "evening_posts"
    atol = 0.0
    rtol = 0.0

    @staticmethod
    def expected() -> int:
        return _evening(_raw()["published_at"].str[11:13].astype(int))

    misconceptions = (
        Misconception(
            lambda: _evening(_utc().dt.hour),
            "You counted hours on the UTC clock. The question asks for the local "
            "hour, as each team wrote it: the Shanghai team's 20:00 is 12:00 UTC.",
        ),
        Misconception(
            lambda: _evening(_utc().dt.tz_convert("Asia/Shanghai").dt.hour),
            "You put every post on Beijing time, London's too. The question asks "
            "for each team's own local hour, the one written before the offset.",
        ),
    )
    hints = (
        "In `2026-03-02T08:00+08:00` the local hour is the two characters after "
        "the `T`; `+08:00` is the offset from UTC.",
        '`posts["published_at"].str[11:13].astype(int)` gives the local hour of '
        "every post; count those that are 18 or more.",
    )


# Question 8 · a pivot (recipe 10)


def _pivot(aggfunc: Literal["sum", "mean"] = "sum", fill: bool = True) -> pd.DataFrame:

    table = _posts().pivot_table(
        index="platform", columns="format", values="engagements", aggfunc=aggfunc
    )
    table = table.fillna(0) if fill else table
    table.columns.name = None
    return table.reset_index()


class FormatPivot(FrameQuestion):
    title = "A pivot: engagements by platform and format"
    var = "by_format"
    key = ("platform",)
    expected = staticmethod(_pivot)
    misconceptions = (
        Misconception(
            lambda: _pivot("mean"),
            "Those are averages: `pivot_table` averages unless you pass "
            '`aggfunc="sum"`.',
        ),
        Misconception(
            lambda: _pivot("mean", fill=False),
            "Those are averages: `pivot_table` averages unless you pass "
            '`aggfunc="sum"`. Then fill the blanks with 0.',
        ),
        Misconception(
            lambda: _pivot(fill=False),
            "Fill the blanks with 0 (`.fillna(0)`): here a blank means no posts of "
            "that format on that platform, so zero engagements is true.",
        ),
    )
    hints = (
        'Recipe 10: `posts.pivot_table(index="platform", columns="format", '
        'values="engagements", aggfunc="sum")`.',
        "Then `.fillna(0)` for the empty combinations, and `.reset_index()` to turn "
        "`platform` back into a column.",
    )


QUESTIONS = [
    WeiboVideoPosts,
    AddEngagements,
    PlatformTotals,
    RateByReachOnX,
    TopThreePosts,
    PercentChangeFunction,
    EveningPosts,
    FormatPivot,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex00_primer")
__all__ += ["load", "pd"]
load = data.load
