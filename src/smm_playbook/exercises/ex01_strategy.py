"""Exercise 1 — Strategy: goals, KPIs, audiences and channels.

Setup cell of the notebook:  from smm_playbook.exercises.ex01_strategy import *
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
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

# The planner on the course's audience data (the model itself takes the table in).
from smm_playbook.sim.channel_planner import PlanResult
from smm_playbook.widgets.channel_planner import EXAMPLE_PLAN, plan_reach

LINKEDIN_POST = {
    "engagements": 85,
    "reach": 2_500,
    "impressions": 3_400,
    "followers": 12_000,
}
MONTHLY_FOLLOWERS = pd.DataFrame(
    {
        "month": ["2026-01", "2026-02", "2026-03"],
        "followers_at_start": [18_400, 18_950, 19_310],
        "gained": [820, 610, 1_140],
        "lost": [270, 250, 310],
    }
)
MENTIONS = {
    "our brand": 1_840,
    "competitor A": 2_310,
    "competitor B": 1_250,
    "competitor C": 600,
}
MAINLAND_YOUTH = {"region": "Mainland China", "age_band": "18-24"}


def _pct(value: float) -> float:
    return float(100 * value)


class LinkedInRateByReach(ValueQuestion):
    title = "by reach"
    var = "er_reach"
    unit = "percent"
    expected = _pct(kpis.engagement_rate_by_reach(85, 2_500))
    misconceptions = (
        Misconception(
            _pct(85 / 3_400),
            "That divides by impressions (3,400). Reach (2,500) counts each member "
            "once, so it is the smaller number.",
        ),
    )
    hints = ("85 ÷ 2,500, then × 100.",)


class LinkedInRateByImpressions(ValueQuestion):
    title = "by impressions"
    var = "er_impressions"
    unit = "percent"
    expected = _pct(kpis.engagement_rate_by_impressions(85, 3_400))
    misconceptions = (
        Misconception(
            _pct(85 / 2_500),
            "That divides by reach (2,500). Impressions (3,400) count repeat views, "
            "so they are the larger number.",
        ),
    )
    hints = ("85 ÷ 3,400, then × 100.",)


class LinkedInRateByFollowers(ValueQuestion):
    title = "by followers"
    var = "er_followers"
    unit = "percent"
    expected = _pct(kpis.engagement_rate_by_followers(85, 12_000))
    hints = ("85 ÷ 12,000, then × 100.",)


class LinkedInEngagementRates(MultipartQuestion):
    title = "Three engagement rates for a LinkedIn post"
    parts = (LinkedInRateByReach, LinkedInRateByImpressions, LinkedInRateByFollowers)
    hints = (
        "Same 85 engagements; three denominators.",
        "Reach 2,500, impressions 3,400, followers 12,000 — divide, then × 100.",
    )


class LinkedInNativeBase(ChoiceQuestion):
    title = "The base LinkedIn Page analytics uses"
    var = "linkedin_base"
    options = {"a": "Followers", "b": "Reach", "c": "Impressions", "d": "Clicks"}
    correct = "c"
    why = {
        "a": "Followers are the influencer-vetting base, not LinkedIn's own.",
        "b": "Many third-party tools divide by reach; LinkedIn's page report does not.",
        "c": "LinkedIn divides clicks, reactions, comments, shares and follows by "
        "impressions.",
        "d": "Clicks are part of LinkedIn's engagements (the numerator), not the base.",
    }
    hints = ("LinkedIn behaves like X here.",)
    explanation = "LinkedIn Page analytics divide by impressions."


class QuarterFollowerGrowth(ValueQuestion):
    title = "Follower growth over a quarter"
    var = "quarter_growth"
    unit = "percent"
    expected = _pct(
        kpis.follower_growth_rate(
            MONTHLY_FOLLOWERS["gained"].sum(),
            MONTHLY_FOLLOWERS["lost"].sum(),
            MONTHLY_FOLLOWERS["followers_at_start"].iloc[0],
        )
    )
    misconceptions = (
        Misconception(
            _pct(
                kpis.follower_growth_rate(
                    MONTHLY_FOLLOWERS["gained"],
                    MONTHLY_FOLLOWERS["lost"],
                    MONTHLY_FOLLOWERS["followers_at_start"],
                ).mean()
            ),
            "You averaged the three monthly rates. Growth over the quarter is the "
            "quarter's net gain over the followers at its start.",
        ),
        Misconception(
            _pct(
                MONTHLY_FOLLOWERS["gained"].sum()
                / MONTHLY_FOLLOWERS["followers_at_start"].iloc[0]
            ),
            "You left out the followers lost; growth is gained minus lost.",
        ),
        Misconception(
            lambda: _pct(
                kpis.follower_growth_rate(
                    MONTHLY_FOLLOWERS["gained"].sum(),
                    MONTHLY_FOLLOWERS["lost"].sum(),
                    MONTHLY_FOLLOWERS["followers_at_start"].iloc[-1],
                )
            ),
            "Divide by the followers at the start of the quarter (January), not March.",
        ),
    )
    hints = (
        "Growth rate = (gained − lost) ÷ followers at the start of the period.",
        "The period is the whole quarter: sum gained and lost over the three months; "
        "the start is January's `followers_at_start`.",
    )


class ShareOfVoice(ValueQuestion):
    title = "Share of voice from mention counts"
    var = "our_sov"
    unit = "percent"
    expected = _pct(kpis.share_of_voice(1_840, 2_310 + 1_250 + 600))
    misconceptions = (
        Misconception(
            _pct(1_840 / (2_310 + 1_250 + 600)),
            "You divided by the competitors' mentions only; the total must "
            "include our own mentions too.",
        ),
        Misconception(
            _pct(1_840 / 2_310),
            "You compared with the biggest competitor only; share of voice "
            "uses the whole market's mentions.",
        ),
    )
    hints = (
        "Share of voice = our mentions ÷ (our mentions + all competitors' mentions).",
    )


class AwarenessKpis(ChoiceQuestion):
    title = "KPIs for an awareness objective"
    var = "awareness_kpis"
    options = {
        "a": "Deduplicated reach in the target audience",
        "b": "Cost per acquisition (CPA)",
        "c": "Share of voice in the category",
        "d": "Return on ad spend (ROAS)",
        "e": "Conversation rate (comments per post)",
    }
    correct = frozenset("ac")
    why = {
        "b": "CPA measures conversion: what each customer cost.",
        "d": "ROAS measures the revenue from ads, a conversion objective.",
        "e": "Conversation rate measures engagement, not how many people know you.",
    }
    hints = ("Awareness asks: how many of the right people have seen or heard of us?",)
    explanation = "Reach and share of voice."


class SmartGoals(ChoiceQuestion):
    title = "Which goals are SMART"
    var = "smart_goals"
    options = {
        "a": "Grow our Instagram followers.",
        "b": "Raise the engagement rate by reach of our Douyin videos from 5.2% to "
        "6.5% by 30 June 2027; owner: the content lead.",
        "c": "Become the most loved tea brand on social media.",
        "d": "Cut the median first-response time to Weibo comments below 2 hours by "
        "the end of Q3 2027, owned by the community manager.",
        "e": "Post more often on LinkedIn next year.",
    }
    correct = frozenset("bd")
    why = {
        "a": "No number, no deadline, no owner.",
        "c": "Not measurable: no metric defines 'most loved'.",
        "e": "'More often' has no target, and nobody is assigned.",
    }
    hints = (
        "Doran's letters: Specific, Measurable, Assignable, Realistic, Time-related.",
        "Look for a metric with a number, a date and a named owner.",
    )


def _summed(reaches: Sequence[float]) -> float:
    return float(sum(reaches))


def _largest(reaches: Sequence[float]) -> float:
    return float(max(reaches)) if reaches else 0.0


class DedupReachFunction(FunctionQuestion):
    title = "A deduplicated-reach function"
    var = "dedup_reach"
    cases = (
        (([0.5, 0.5],), 0.75),
        (([0.4, 0.3],), 0.58),
        (([0.2, 0.2, 0.2],), 0.488),
        (([0.9],), 0.9),
        (([0.35, 0.1, 0.6, 0.25],), 1 - 0.65 * 0.9 * 0.4 * 0.75),
    )
    misconceptions = (
        (
            _summed,
            "You added the reaches, which counts people who use several channels "
            "more than once.",
        ),
        (
            _largest,
            "You kept only the largest channel; the others add the people it misses.",
        ),
    )
    hints = (
        "The share NOT reached by any channel is the product of (1 − rᵢ).",
        "Start with `missed = 1`, multiply it by `(1 - r)` for each r, then return "
        "`1 - missed`.",
    )


def _plan_with_weibo() -> PlanResult:
    activity = dict(EXAMPLE_PLAN["activity"], Weibo=30)
    return plan_reach(activity, EXAMPLE_PLAN["segments"], EXAMPLE_PLAN["goal"])


class PlanWithWeibo(ValueQuestion):
    title = "Combined reach after adding Weibo (simulator)"
    var = "weibo_plan_reach"
    unit = "percent"

    @staticmethod
    def expected() -> float:
        return _pct(_plan_with_weibo().reach_share)

    misconceptions = (
        Misconception(
            lambda: _pct(plan_reach(**EXAMPLE_PLAN).reach_share),
            "That is the example plan without Weibo; add `Weibo: 30` first.",
        ),
        Misconception(
            lambda: _pct(
                _plan_with_weibo().summed_reach / _plan_with_weibo().population
            ),
            "That is the summed reach, which double-counts; use `.reach_share`.",
        ),
    )
    hints = (
        "Copy `EXAMPLE_PLAN['activity']`, add `'Weibo': 30`, and call `plan_reach` "
        "with the example's segments.",
        "`result.reach_share` is a fraction; × 100.",
    )


@cache
def _youth() -> pd.DataFrame:
    audiences = data.load("platform_audiences")
    mask = np.logical_and.reduce([audiences[k] == v for k, v in MAINLAND_YOUTH.items()])
    return audiences[mask]


def _youth_shares() -> pd.DataFrame:
    totals = _youth().groupby("platform")[["users", "population"]].sum()
    return (totals["users"] / totals["population"]).rename("share").reset_index()


def _youth_mean_shares() -> pd.DataFrame:
    return _youth().groupby("platform")["share"].mean().reset_index()


class MainlandYouthShares(FrameQuestion):
    title = "Platform shares among mainland 18–24s (dataset)"
    var = "youth_shares"
    key = ("platform",)
    rtol = 1e-4
    expected = staticmethod(_youth_shares)
    misconceptions = (
        Misconception(
            _youth_mean_shares,
            "You averaged the three interest segments' "
            "shares; they differ in size. Divide total users by total population.",
        ),
    )
    hints = (
        "Filter `region == 'Mainland China'` and `age_band == '18-24'`.",
        "Group by platform, sum `users` and `population`, divide, `.reset_index()`.",
    )


# A time, a role, a target: what a machine can check in a SMART goal.
ROLES = (
    r"\b(content|community|social( media)?|paid( social)?|marketing|brand|channel|"
    r"growth|campaign|insights?|crm|customer[- ]service|e-?commerce|digital|"
    r"performance|product|creative|editorial|partnerships?) (team )?"
    r"(lead|manager|director|head|editor|specialist|coordinator|strategist|analyst|"
    r"executive|officer|planner|producer)\b",
    r"\bhead of \w+",
    r"\bteam lead(er)?\b",
    r"\b(manager|director|editor|specialist|coordinator|strategist|analyst)\b",
    r"(经理|主管|负责人|总监|专员|组长|主编|编辑|策划)",
)
SMART_FORBIDDEN = (
    Forbidden(
        r"\ba lot\b|as (many|much) as possible|loads of|尽可能多|很多|一大截",
        "'A lot' is not a target. Give the number to reach, from a baseline to a "
        "target (for example from 1.5% to 2.5%).",
    ),
    Forbidden(
        r"(owner|owned by|responsible|accountable)\W{0,3}(is |are |will be )?(the )?"
        r"(whole |entire |social( media)? |marketing |content )?(team|department|"
        r"everyone|all of us)\b(?!\s*(lead|leader|manager|head|director))|"
        r"(,|;|—|-) ?(the )?(whole |entire )?team\W*$|"
        r"(负责人|负责)[:：]?\s*(整个|全体)?(团队|大家|所有人)|(整个团队|全体)负责",
        "'The team' is not an owner. Doran's 'assignable' means one named role "
        "(the content lead, the community manager) who answers for the goal.",
    ),
)


class WriteSmartGoal(TextQuestion):
    title = "Write one SMART goal"
    var = "my_goal"
    min_words = 10
    max_words = 80
    forbidden = SMART_FORBIDDEN
    rubric = (
        Criterion(
            "metric",
            (
                r"rate",
                r"reach",
                r"follower",
                r"engagement",
                r"response time",
                r"share of voice",
                r"impression",
                r"conversion",
                r"click",
                r"sentiment",
                r"\bcpa\b",
                r"\broas\b",
                r"\bleads\b",
                r"sales",
                r"率",
                r"触达",
                r"粉丝",
                r"互动",
                r"响应时间",
                r"声量",
                r"曝光",
                r"转化",
                r"点击",
                r"销售",
                r"阅读",
                r"播放",
            ),
            "Name the metric you will move.",
        ),
        Criterion(
            "target number",
            (
                r"\d\s?(%|％|percent|per cent|points?\b|k\b|万|千|followers|"
                r"minutes|hours|mins?\b|people|users|members|accounts|leads|sales|"
                r"orders|views|clicks|comments|shares|saves|个|人|条|分钟|小时|次|单)",
                r"\bto \d",
                r"\bfrom \d",
                r"(到|至|达到|提升到|提高到|增加到|降到|缩短到)\s*\d",
            ),
            "Give a number to reach (a target value, ideally from a baseline).",
            required=True,
        ),
        Criterion(
            "deadline",
            (
                r"\bby (the )?(end|start|middle|\d|q[1-4]|next)",
                r"\bbefore\b",
                r"end of",
                r"\bq[1-4]\b",
                r"\b20\d\d\b",
                r"within \d+ (days|weeks|months)",
                r"january|february|march|april|may|june|july|august|"
                r"september|october|november|december",
                r"\d{4}\s*年",
                r"\d{1,2}\s*月",
                r"(年|月|季度)(底|末|前)",
                r"\d+\s*(天|周|个月)内",
                r"(截至|截止|之前|以前)",
            ),
            "Set a deadline (a date or the end of a period).",
            required=True,
        ),
        Criterion(
            "owner",
            ROLES,
            "Say who owns the goal: one named role, such as the content lead "
            "(Doran's 'assignable').",
            required=True,
        ),
    )
    hints = (
        "Metric + number + deadline + owner, in one sentence.",
        "Example shape: 'Raise X from A to B by DATE; owner: ROLE.'",
    )


QUESTIONS = [
    LinkedInEngagementRates,
    LinkedInNativeBase,
    QuarterFollowerGrowth,
    ShareOfVoice,
    AwarenessKpis,
    SmartGoals,
    DedupReachFunction,
    PlanWithWeibo,
    MainlandYouthShares,
    WriteSmartGoal,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex01_strategy")
__all__ += ["load", "plan_reach", "EXAMPLE_PLAN", "MONTHLY_FOLLOWERS", "MENTIONS"]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex01_strategy.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class SocialStrategy(WorkProductQuestion):
    title = "Work product: a ten-section social strategy"
    var = "social_strategy"
    rubric_file = "ex01_strategy"
    agree = (
        Agreement(
            "weibo_plan_reach",
            "combined (deduplicated) reach",
            r"deduplicated|combined|net reach|去重|合计",
            section="channels",
        ),
    )
    hints = (
        "Write the ten headings first, then fill them from the top: every later "
        "section should serve the business objective.",
        "In section 4, quote the planner's deduplicated reach and say why each "
        "platform is in or out.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work social_strategy` "
        "cell of `solutions/ex01_strategy.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex01_strategy")`).'
    )


__all__ += bind_work_product(globals(), SocialStrategy, "ex01_strategy")
