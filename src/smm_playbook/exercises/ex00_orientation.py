"""Exercise 0 — Orientation: how checks work, practised on KPI vocabulary.

Setup cell of the notebook:  from smm_playbook.exercises.ex00_orientation import *
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from smm_playbook import data, kpis
from smm_playbook.checks import (
    ChoiceQuestion,
    Criterion,
    Forbidden,
    FrameQuestion,
    FunctionQuestion,
    Misconception,
    MultipartQuestion,
    TextQuestion,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.sim.competency import EXAMPLE_LEARNERS, assess

# The example post used throughout Module 0.
POST = {"engagements": 120, "reach": 4_000, "impressions": 6_000, "followers": 20_000}
ENGAGEMENT_COLUMNS = ["likes", "comments", "shares", "saves"]


class EngagementRateByReach(ValueQuestion):
    title = "Engagement rate by reach"
    var = "er_reach"
    unit = "percent"
    expected = 100 * kpis.engagement_rate_by_reach(POST["engagements"], POST["reach"])
    misconceptions = (
        Misconception(
            100 * 120 / 20_000,
            "You divided by followers. This rate is by reach: "
            "the number of unique accounts that saw the post.",
        ),
        Misconception(
            100 * 120 / 6_000,
            "You divided by impressions, which count repeat "
            "views. Reach counts each account once.",
        ),
    )
    hints = (
        "Engagement rate by reach = engagements ÷ reach.",
        "Express it as a percentage: multiply the fraction by 100.",
    )


class RateByImpressions(ValueQuestion):
    title = "by impressions"
    var = "er_impressions"
    unit = "percent"
    expected = 100 * kpis.engagement_rate_by_impressions(120, 6_000)
    misconceptions = (
        Misconception(0.6, "That is the rate by followers (20,000); divide by 6,000."),
        Misconception(3.0, "That is the rate by reach again; divide by impressions."),
    )
    hints = ("120 ÷ 6,000, then × 100.",)


class RateByFollowers(ValueQuestion):
    title = "by followers"
    var = "er_followers"
    unit = "percent"
    expected = 100 * kpis.engagement_rate_by_followers(120, 20_000)
    misconceptions = (
        Misconception(
            2.0, "That is the rate by impressions (6,000); divide by 20,000."
        ),
        Misconception(3.0, "That is the rate by reach again; divide by followers."),
    )
    hints = ("120 ÷ 20,000, then × 100.",)


class OtherEngagementRates(MultipartQuestion):
    title = "Engagement rate by impressions and by followers"
    parts = (RateByImpressions, RateByFollowers)
    hints = (
        "Same engagements (120), different denominators.",
        "Impressions: 120 ÷ 6,000. Followers: 120 ÷ 20,000. Then × 100.",
    )


class NativeBaseOnX(ChoiceQuestion):
    title = "Which base X analytics uses"
    var = "x_base"
    options = {"a": "Followers", "b": "Reach", "c": "Impressions", "d": "Video views"}
    correct = "c"
    why = {
        "a": (
            "Follower-based rates are what influencer-vetting tools use, "
            "not X's own analytics."
        ),
        "b": (
            "Rates by reach come from third-party tools; X's own analytics use "
            "another base."
        ),
        "c": "X's engagement rate is engagements divided by impressions.",
        "d": (
            "Video views are a denominator for video completion metrics, "
            "not for engagement rate."
        ),
    }
    hints = ("Think about what X counts every time a post appears on a screen.",)
    explanation = "X (and LinkedIn Page analytics) divide by impressions."


def _as_fraction(engagements: float, base: float) -> float:
    return engagements / base


def _inverted(engagements: float, base: float) -> float:

    return 100 * base / engagements if engagements else 0.0


class EngagementRateFunction(FunctionQuestion):
    title = "An engagement_rate function"
    var = "engagement_rate"
    cases = (
        ((120, 4_000), 3.0),
        ((120, 6_000), 2.0),
        ((1_213, 7_000), 100 * 1_213 / 7_000),
        ((0, 500), 0.0),
        ((45, 1_500), 3.0),
    )
    misconceptions = (
        (
            _as_fraction,
            "Your function returns a fraction; the task asks for a percentage.",
        ),
        (
            _inverted,
            "Your function divides the base by the engagements; turn it around.",
        ),
    )
    hints = (
        "A function that returns `engagements / base * 100`.",
        "Don't forget the `return` keyword, or the function gives back `None`.",
    )


@cache
def _posts() -> pd.DataFrame:
    posts = data.load("starter_posts")
    return posts.assign(engagements=posts[ENGAGEMENT_COLUMNS].sum(axis=1))


def _platform_rates(frame: pd.DataFrame, scale: float = 100) -> pd.DataFrame:
    totals = frame.groupby("platform")[["engagements", "reach"]].sum()
    rates = scale * kpis.engagement_rate_by_reach(
        totals["engagements"], totals["reach"]
    )
    return rates.rename("er_reach").reset_index()


def _expected_platform_rates() -> pd.DataFrame:
    return _platform_rates(_posts().dropna(subset=["reach"]))


def _mean_of_post_rates() -> pd.DataFrame:
    posts = _posts().dropna(subset=["reach"])
    rates = 100 * posts["engagements"] / posts["reach"]
    return rates.groupby(posts["platform"]).mean().rename("er_reach").reset_index()


class PlatformEngagementByReach(FrameQuestion):
    title = "Engagement rate by reach per platform (dataset)"
    var = "platform_er"
    key = ("platform",)
    expected = staticmethod(_expected_platform_rates)
    misconceptions = (
        Misconception(
            lambda: _platform_rates(_posts()),
            "You kept posts whose `reach` is "
            "missing: their engagements were counted but their reach was not.",
        ),
        Misconception(
            _mean_of_post_rates,
            "You averaged the per-post rates. Divide the "
            "platform's total engagements by its total reach instead.",
        ),
        Misconception(
            lambda: _platform_rates(_posts().dropna(subset=["reach"]), 1),
            "Your rates are fractions; give `er_reach` as a percentage.",
        ),
    )
    hints = (
        "Add an `engagements` column (likes + comments + shares + saves), drop rows "
        "where `reach` is missing, then group by `platform`.",
        "Sum engagements and reach per platform, divide, × 100, then `.reset_index()`.",
    )


class JobDescriptionDuties(ChoiceQuestion):
    title = "Duties in the 2012 job description"
    var = "jd_duties"
    options = {
        "a": "Real-time buzz-monitoring and insight reports for stakeholders",
        "b": "Supervising external social agencies day to day",
        "c": "Designing the company's product packaging",
        "d": "Tracking social KPIs and adjusting plans in real time",
        "e": "Setting the company's annual price list",
    }
    correct = frozenset("abd")
    why = {
        "c": "Packaging belongs to brand and design teams; the JD never mentions it.",
        "e": (
            "Pricing is a commercial decision outside the social media manager's remit."
        ),
    }
    hints = ("Three options are in the JD. Which two belong to other departments?",)
    explanation = "Monitoring, agency supervision and KPI tracking."


def _douyin() -> pd.DataFrame:
    return _posts().query("platform == 'Douyin'")


class DouyinFrequency(ValueQuestion):
    title = "Average frequency on Douyin (dataset)"
    var = "douyin_frequency"
    rtol = 0.002

    @staticmethod
    def expected() -> float:
        known = _douyin().dropna(subset=["reach"])
        return float(kpis.frequency(known["impressions"].sum(), known["reach"].sum()))

    misconceptions = (
        Misconception(
            lambda: float(_douyin()["impressions"].sum() / _douyin()["reach"].sum()),
            "Posts with missing reach still add their impressions. Drop them first.",
        ),
        Misconception(
            lambda: float(
                (lambda k: (k["impressions"] / k["reach"]).mean())(
                    _douyin().dropna(subset=["reach"])
                )
            ),
            "You averaged per-post frequencies; "
            "divide total impressions by total reach.",
        ),
    )
    hints = (
        "Frequency = impressions ÷ reach.",
        "Keep Douyin rows with a known reach; sum both columns, then divide.",
    )


class FirstModuleForCareerChanger(ValueQuestion):
    title = "Learning plan from the simulator"
    var = "first_module"
    atol = 0.0
    rtol = 0.0

    @staticmethod
    def expected() -> int:
        result = assess(EXAMPLE_LEARNERS["Customer-service lead"], role="Content lead")
        return int(result.plan.iloc[0]["module"])

    misconceptions = (
        Misconception(
            lambda: int(
                assess(EXAMPLE_LEARNERS["Customer-service lead"]).plan.iloc[0]["module"]
            ),
            "That is the plan for the default role. Pass `role='Content lead'`.",
        ),
    )
    hints = (
        "Call `assess(EXAMPLE_LEARNERS['Customer-service lead'], "
        "role='Content lead')`.",
        "Read `result.plan`, the plan sorted by priority (not `result.route`, the "
        "study order the app shows): the first row's `module` is the answer.",
    )


# Claims that contradict Module 0, however many rubric words surround them.
MEMO_CONTRADICTIONS = (
    Forbidden(
        r"reach (is |are |can be )?(higher|larger|bigger|greater|more) than "
        r"(the )?impressions|reach exceeds (the )?impressions|more reach than "
        r"impressions|impressions (are|is) (lower|smaller|fewer|less) than (the )?reach"
        r"|(触达|到达|覆盖)(人数)?(大于|高于|超过|多于)(曝光|展现)",
        "Reach can never exceed impressions: every account reached saw the post at "
        "least once, so impressions are at least as large as reach.",
        negatable=True,
    ),
    Forbidden(
        r"reach counts? (every|each) (time|view|display)|impressions? counts? "
        r"(the )?(unique|each person once|people once)|曝光[^。，,.]{0,6}(独立|去重)",
        "You have swapped reach and impressions: reach counts each account once, "
        "impressions count every time the post was shown.",
    ),
    Forbidden(
        r"(look|looks|looking|make[s]? us look) (good|better|great|impressive|bigger)"
        r"|flatter|(more |most )?impressive (number|rate)|好看|显得(更)?(好|高)",
        "Choose a rate for what it measures, not for how it looks: a rate picked to "
        "flatter the account misleads the manager who reads it.",
        negatable=True,
    ),
    Forbidden(
        r"follower[- ]?based rate[^.]{0,20}\b(highest|biggest|largest)|"
        r"(highest|biggest|largest) (rate|one)[^.]{0,20}follower",
        "The follower-based rate is the smallest of the three: followers (20,000) "
        "is the largest denominator.",
        negatable=True,
    ),
)


class ExplainTheRates(TextQuestion):
    title = "Explain the three rates to your manager"
    var = "memo"
    min_words = 30
    max_words = 150
    forbidden = MEMO_CONTRADICTIONS
    rubric = (
        Criterion(
            "reach",
            (
                r"\breach",
                r"unique (people|accounts|users|viewers)",
                r"people who saw",
                r"触达",
                r"到达",
                r"覆盖",
                r"独立(用户|访客)",
            ),
            "Say what reach counts (each account that saw the post, once).",
        ),
        Criterion(
            "impressions",
            (
                r"impression",
                r"times (it was |the post was )?(shown|seen|displayed)",
                r"曝光",
                r"展现",
                r"展示次数",
            ),
            "Say what impressions count (every time the post was shown).",
        ),
        Criterion(
            "followers",
            (r"follower", r"粉丝", r"关注者"),
            "Mention the follower-based rate.",
        ),
        Criterion(
            "denominator",
            (
                r"denominator",
                r"divid",
                r"\bbase\b",
                r"\bper\b",
                r"\bby (reach|impressions|followers)",
                r"分母",
                r"除以",
                r"基数",
            ),
            "Explain that the difference is what you divide by.",
        ),
        Criterion(
            "recommendation",
            (
                r"recommend",
                r"\breport\b",
                r"would use",
                r"prefer",
                r"choose",
                r"we should",
                r"建议",
                r"推荐",
                r"应该(用|采用|报告)",
                r"采用",
            ),
            "Say which rate you would report, and for what.",
        ),
    )
    hints = (
        "Write for a busy manager: what differs, why, and what you will report.",
        "Name all three denominators and recommend one for organic posts.",
    )


QUESTIONS = [
    EngagementRateByReach,
    OtherEngagementRates,
    NativeBaseOnX,
    EngagementRateFunction,
    PlatformEngagementByReach,
    JobDescriptionDuties,
    DouyinFrequency,
    FirstModuleForCareerChanger,
    ExplainTheRates,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex00_orientation")
__all__ += ["load", "assess", "EXAMPLE_LEARNERS"]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex00_orientation.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class NinetyDayPlan(WorkProductQuestion):
    title = "Work product: two job descriptions and a 90-day plan"
    var = "ninety_day_plan"
    rubric_file = "ex00_orientation"
    agree = (
        Agreement(
            "douyin_frequency",
            "Douyin average frequency",
            r"frequency|频次",
            section="baseline",
        ),
    )
    hints = (
        "Start with the two postings: for each, list the duties, the tools, the must-"
        "haves and the reporting line before you compare them.",
        "Plan the first month as listening and auditing; change things in the second;"
        " grow in the third. Give every action a date and an owner.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work ninety_day_plan` "
        "cell of `solutions/ex00_orientation.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex00_orientation")`).'
    )


__all__ += bind_work_product(globals(), NinetyDayPlan, "ex00_orientation")
