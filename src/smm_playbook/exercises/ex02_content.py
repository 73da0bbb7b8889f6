"""Exercise 2 — Content: reading an export, finding what works, testing, planning.

Setup cell of the notebook:  from smm_playbook.exercises.ex02_content import *
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pandas as pd

from smm_playbook import data, kpis
from smm_playbook.checks import (
    ChoiceQuestion,
    Criterion,
    Forbidden,
    FrameQuestion,
    Incorrect,
    Misconception,
    Question,
    TextQuestion,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.checks.values import type_name
from smm_playbook.sim.ab_test import (
    TestResult,
    sample_size_per_group,
    two_proportion_test,
)

ENGAGEMENTS = ["likes", "comments", "shares", "saves"]
MIN_POSTS = 20  # posts an hour needs before its average is worth trusting
AB_RESULT = {"A": (412, 12_000), "B": (486, 12_100)}  # (engaged, reached)


@cache
def _raw() -> pd.DataFrame:
    frame = data.load("posts")
    return frame.assign(engagements=frame[ENGAGEMENTS].sum(axis=1))


def _clean() -> pd.DataFrame:
    return _raw().drop_duplicates()


def _pct(value: float) -> float:
    return float(100 * value)


class DuplicateRows(ValueQuestion):
    title = "Duplicate rows in the export (dataset)"
    var = "n_duplicates"
    atol = 0.0
    rtol = 0.0

    @staticmethod
    def expected() -> int:
        return int(data.load("posts").duplicated().sum())

    misconceptions = (
        Misconception(
            lambda: int(data.load("posts").duplicated(keep=False).sum()),
            "You counted both copies of each repeated row; count only the extra "
            "copies (the rows `drop_duplicates()` would remove).",
        ),
    )
    hints = ("`DataFrame.duplicated()` marks every repeat of an earlier row.",)


def _rate_by(frame: pd.DataFrame, keys: list[str], scale: float = 100) -> pd.DataFrame:
    known = frame.dropna(subset=["reach"])
    totals = known.groupby(keys)[["engagements", "reach"]].sum()
    rate = scale * kpis.engagement_rate_by_reach(totals["engagements"], totals["reach"])
    return rate.rename("er_reach").reset_index()


class FormatPillarRates(FrameQuestion):
    title = "Engagement rate by reach per format and pillar (dataset)"
    var = "format_pillar_er"
    key = ("format", "pillar")
    expected = staticmethod(lambda: _rate_by(_clean(), ["format", "pillar"]))
    misconceptions = (
        Misconception(
            lambda: _rate_by(_raw(), ["format", "pillar"]),
            "Drop the duplicate rows first: they count some posts twice.",
        ),
        Misconception(
            lambda: _rate_by(_clean(), ["format", "pillar"], 1),
            "Your rates are fractions; give `er_reach` as a percentage.",
        ),
    )
    hints = (
        "Drop duplicates, add engagements (likes + comments + shares + saves), drop "
        "rows with no reach.",
        "Group by `['format', 'pillar']`, sum engagements and reach, divide, × 100, "
        "`.reset_index()`.",
    )


def _best_hours(frame: pd.DataFrame, minimum: int) -> pd.DataFrame:
    known = frame.dropna(subset=["reach"]).copy()
    known["hour"] = known["published_at"].str[11:13].astype(int)
    stats = known.groupby(["platform", "hour"])["reach"].agg(["size", "mean"])
    trusted = stats[stats["size"] >= minimum].reset_index()
    best = trusted.loc[trusted.groupby("platform")["mean"].idxmax()]
    return best[["platform", "hour"]].reset_index(drop=True)


class BestPostingHour(FrameQuestion):
    title = "Best posting hour per platform, with enough posts (dataset)"
    var = "best_hours"
    key = ("platform",)
    expected = staticmethod(lambda: _best_hours(_clean(), MIN_POSTS))
    misconceptions = (
        Misconception(
            lambda: _best_hours(_clean(), 1),
            f"Some of your 'best' hours rest on a handful of posts. Only hours "
            f"with at least {MIN_POSTS} posts count.",
        ),
        Misconception(
            lambda: _best_hours(_raw(), MIN_POSTS), "Drop the duplicate rows first."
        ),
    )
    hints = (
        "The hour is characters 11–12 of `published_at` (the team's local time).",
        f"Group by platform and hour; keep groups with ≥ {MIN_POSTS} posts with reach; "
        "then take each platform's hour with the highest mean reach.",
    )


def _kaushik(frame: pd.DataFrame) -> pd.DataFrame:
    grouped = frame.groupby("platform")
    posts = grouped.size()
    return pd.DataFrame(
        {
            "conversation_rate": kpis.conversation_rate(
                grouped["comments"].sum(), posts
            ),
            "amplification_rate": kpis.amplification_rate(
                grouped["shares"].sum(), posts
            ),
            "applause_rate": kpis.applause_rate(grouped["likes"].sum(), posts),
        }
    ).reset_index()


class KaushikRates(FrameQuestion):
    title = "Kaushik's three rates per platform (dataset)"
    var = "kaushik"
    key = ("platform",)
    expected = staticmethod(lambda: _kaushik(_clean()))
    misconceptions = (
        Misconception(
            lambda: _kaushik(_raw()),
            "Drop the duplicate rows first: a post "
            "counted twice changes the number of posts.",
        ),
    )
    hints = (
        "Kaushik's rates are per post: comments, shares and likes ÷ number of posts.",
        "Group the de-duplicated posts by platform; `.size()` counts the posts.",
    )


class SampleSize(ValueQuestion):
    title = "Sample size per variant (A/B planner)"
    var = "n_per_variant"
    rtol = 0.0
    atol = 1.0
    expected = sample_size_per_group(0.04, 0.006)
    misconceptions = (
        Misconception(
            2 * sample_size_per_group(0.04, 0.006),
            "That is both variants together; the question asks per variant.",
        ),
        Misconception(
            sample_size_per_group(0.04, 0.04 * 0.006),
            "The MDE is 0.6 percentage points (0.006), not 0.6 % of 4 %.",
        ),
    )
    hints = ("`sample_size_per_group(baseline, mde)` with rates as fractions.",)


def _ab() -> TestResult:
    (a, na), (b, nb) = AB_RESULT["A"], AB_RESULT["B"]
    return two_proportion_test(a, na, b, nb)


class ABPValue(ValueQuestion):
    title = "p-value of the caption test"
    var = "ab_p_value"
    rtol = 0.01
    expected = _ab().p_value
    misconceptions = (
        Misconception(
            _ab().p_value / 2, "That is a one-sided p-value; the test is two-sided."
        ),
    )
    hints = (
        "`two_proportion_test(engaged_a, reached_a, engaged_b, reached_b)`.",
        "Read `.p_value` from the result.",
    )


class ABDecision(ChoiceQuestion):
    title = "What the caption test shows"
    var = "ab_decision"
    options = {
        "a": "B's caption did better, and the difference is significant at the 5% "
        "level.",
        "b": "The difference is not significant, so the captions perform the same.",
        "c": "B won, so every future caption should follow B's style.",
    }
    correct = "a"
    why = {
        "a": "p is below 0.05, so a difference this large is unlikely if the captions "
        "performed the same.",
        "b": "Check the p-value again: it is below 0.05.",
        "c": "One significant test about one pair of captions is not a rule for every "
        "future caption; re-test as the audience and content change.",
    }
    hints = ("Compare your p-value with 0.05.",)


class CadenceAdvice(ChoiceQuestion):
    title = "When cadence benchmarks disagree"
    var = "cadence_advice"
    options = {
        "a": "Follow the most recent published benchmark.",
        "b": "Post as often as the platform allows: more posts, more reach.",
        "c": "Test two or three cadences for several weeks each and compare reach per "
        "post and weekly reach.",
        "d": "Copy the cadence of the biggest competitor.",
    }
    correct = "c"
    why = {
        "a": "Benchmarks come from other accounts and audiences, and they conflict.",
        "b": "Above a comfortable cadence each extra post reaches fewer people.",
        "c": "Your own audience's response is the only benchmark that fits you.",
        "d": "A competitor's audience, resources and goals are not yours.",
    }
    hints = ("What did the content calendar lab show about extra posts?",)
    explanation = "Test, then adapt."


CALENDAR_START, CALENDAR_WEEKS = pd.Timestamp("2026-03-02"), 4
CALENDAR_RULES = {
    "Douyin": (3, {"video"}),
    "Xiaohongshu": (2, {"note", "video"}),
    "WeChat": (1, {"article"}),
}


class FourWeekCalendar(Question):
    """A calendar DataFrame checked against the brief's rules, one rule at a time."""

    title = "A four-week calendar that meets the brief"
    var = "calendar"
    hints = (
        "Start from a list of dicts, one per post: date, platform, format, pillar.",
        "Per week: Douyin 3 videos, Xiaohongshu 2 notes or videos, WeChat 1 article; "
        "at least one How-to and at most one Promotion post; one post per platform "
        "a day.",
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        frame = values["calendar"]
        if not isinstance(frame, pd.DataFrame):
            raise Incorrect(
                f"`calendar` should be a DataFrame, not a `{type_name(frame)}`."
            )
        missing = {"date", "platform", "format", "pillar"} - set(frame.columns)
        if missing:
            raise Incorrect(f"`calendar` needs the columns {sorted(missing)}.")
        if len(frame) > 500:
            raise Incorrect("`calendar` has far more rows than four weeks of posts.")
        dates = pd.to_datetime(frame["date"], errors="coerce")
        if dates.isna().any():
            raise Incorrect(
                "Some `date` values are not dates (use '2026-03-02' style)."
            )
        _check_calendar(frame.assign(date=dates.dt.normalize()))
        return "Every rule of the brief is met."


def _check_calendar(frame: pd.DataFrame) -> None:
    end = CALENDAR_START + pd.Timedelta(weeks=CALENDAR_WEEKS)
    if ((frame["date"] < CALENDAR_START) | (frame["date"] >= end)).any():
        raise Incorrect(
            "Every post must fall between Monday 2 and Sunday 29 March 2026."
        )
    extra = sorted(set(frame["platform"]) - set(CALENDAR_RULES))
    if extra:
        raise Incorrect(
            f"The brief covers Douyin, Xiaohongshu and WeChat only, not {extra}."
        )
    if frame.duplicated(["date", "platform"]).any():
        raise Incorrect("A platform has two posts on the same day; spread them out.")
    week = (frame["date"] - CALENDAR_START).dt.days // 7 + 1
    for platform, (per_week, formats) in CALENDAR_RULES.items():
        rows = frame[frame["platform"] == platform]
        counts = week[rows.index].value_counts().reindex(range(1, 5), fill_value=0)
        wrong = counts[counts != per_week]
        if len(wrong):
            raise Incorrect(
                f"{platform} needs {per_week} post(s) every week; week "
                f"{wrong.index[0]} has {wrong.iloc[0]}."
            )
        if not set(rows["format"]) <= formats:
            raise Incorrect(f"{platform} posts must be {' or '.join(sorted(formats))}.")
    for number in range(1, 5):
        pillars = frame.loc[week == number, "pillar"]
        if not (pillars == "How-to").any():
            raise Incorrect(f"Week {number} needs at least one How-to post.")
        if (pillars == "Promotion").sum() > 1:
            raise Incorrect(f"Week {number} has more than one Promotion post.")


PLATFORM_WORDS = (
    r"facebook",
    r"instagram",
    r"\bx\b|twitter",
    r"linkedin",
    r"tiktok",
    r"youtube",
    r"wechat|微信|视频号",
    r"weibo|微博",
    r"douyin|抖音",
    r"xiaohongshu|\bred\b|小红书",
    r"bilibili|哔哩哔哩|\bb站",
    r"kuaishou|快手",
)
# Module 2's point is to adapt: the same post pasted everywhere contradicts it.
ADAPT_FORBIDDEN = (
    Forbidden(
        r"(post|use|share|publish|run) the (same|identical|exact same) "
        r"(video|post|caption|content|image|carousel|note|copy)|cross-?post|"
        r"copy[- ]?(and[- ])?paste|unchanged|word for word|identical (on|across|"
        r"everywhere)|一模一样|原样|同一条(视频|内容|笔记)|直接搬运",
        "Module 2 asks you to adapt: one post pasted unchanged on two platforms "
        "ignores each one's format, length and habits.",
        negatable=True,
    ),
)


class AdaptOneIdea(TextQuestion):
    title = "Adapt one idea for two platforms"
    var = "adaptation"
    min_words = 40
    max_words = 200
    forbidden = ADAPT_FORBIDDEN
    rubric = (
        Criterion(
            "format",
            (
                r"video",
                r"carousel",
                r"\bnote\b",
                r"article",
                r"image",
                r"photo",
                r"thread",
                r"\breel",
                r"live ?stream",
                r"视频",
                r"图文",
                r"笔记",
                r"文章",
                r"图片",
                r"轮播",
                r"直播",
            ),
            "Say which format each version uses.",
        ),
        Criterion(
            "platform detail",
            (
                r"caption",
                r"hashtag",
                r"sound",
                r"music",
                r"cover",
                r"keyword",
                r"search",
                r"hook",
                r"first (two|three|\d) seconds",
                r"length",
                r"danmaku",
                r"subtitle",
                r"vertical",
                r"封面",
                r"标题",
                r"话题",
                r"标签",
                r"关键词",
                r"搜索",
                r"音乐",
                r"配乐",
                r"字幕",
                r"前[两三\d]秒",
                r"弹幕",
                r"时长",
                r"竖屏",
            ),
            "Name something specific to each platform (cover, hook, sound, "
            "keywords, length…).",
        ),
        Criterion(
            "call to action",
            (
                r"call to action",
                r"\bcta\b",
                r"link",
                r"comment",
                r"\bsave",
                r"share",
                r"follow",
                r"visit",
                r"\bbuy",
                r"sign up",
                r"收藏",
                r"评论",
                r"关注",
                r"转发",
                r"分享",
                r"私信",
                r"链接",
                r"购买",
                r"下单",
                r"留言",
            ),
            "Give each version a call to action.",
        ),
    )
    hints = (
        "Pick two platforms that differ (e.g. LinkedIn and Douyin).",
        "For each: format, one platform-specific choice, and the call to action.",
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        text = values[self.names()[0]]
        if isinstance(text, str):
            named = sum(bool(re.search(p, text, re.IGNORECASE)) for p in PLATFORM_WORDS)
            if named < 2:
                raise Incorrect("Name the two platforms you are adapting the idea for.")
        return super().grade(values)


QUESTIONS = [
    DuplicateRows,
    FormatPillarRates,
    BestPostingHour,
    KaushikRates,
    SampleSize,
    ABPValue,
    ABDecision,
    CadenceAdvice,
    FourWeekCalendar,
    AdaptOneIdea,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex02_content")
__all__ += ["load", "pd", "sample_size_per_group", "two_proportion_test", "AB_RESULT"]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex02_content.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class ContentMonth(WorkProductQuestion):
    title = "Work product: a month's calendar and three adapted drafts"
    var = "content_month"
    rubric_file = "ex02_content"
    agree = (
        Agreement(
            "n_per_variant",
            "sample size per variant",
            r"per variant|每组|sample",
            section="test",
        ),
    )
    hints = (
        "Choose the month first, then list its moments with their dates, then fill "
        "the calendar table row by row, with an owner on each.",
        "For each draft, change the format, hook, length and call to action for each "
        "platform; do not paste the same text.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work content_month` "
        "cell of `solutions/ex02_content.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex02_content")`).'
    )


__all__ += bind_work_product(globals(), ContentMonth, "ex02_content")
