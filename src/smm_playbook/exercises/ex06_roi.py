"""Exercise 6 — ROI and analytics: value, attribution, lift, sentiment, the report.

Setup cell of the notebook:  from smm_playbook.exercises.ex06_roi import *
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, cast

import numpy as np
import pandas as pd

from smm_playbook import data, kpis
from smm_playbook.checks import (
    Criterion,
    Forbidden,
    FrameQuestion,
    Incorrect,
    Misconception,
    MultipartQuestion,
    Question,
    TextQuestion,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.checks.calling import call_on_each, check_callable
from smm_playbook.checks.values import safe_repr

CAMPAIGN = {"spend": 12_000.0, "revenue": 30_000.0, "gross_margin": 0.35}
CUSTOMER = {"order_value": 42.0, "per_year": 5, "years": 3, "gross_margin": 0.35}
MENTIONS = {"positive": 640, "negative": 210, "neutral": 1_150}
JOURNEY_CASES = (
    ("KOL",),
    ("Paid social", "Search"),
    ("Paid social", "Organic social", "Email"),
    ("KOL", "Paid social", "KOL", "Search", "Email"),
    ("Organic social", "Organic social"),
    ("Search", "KOL", "Organic social", "Paid social", "Email", "Search"),
)


def _roi(form: str) -> float:
    spend = CAMPAIGN["spend"]
    if form == "revenue":
        return float(kpis.roi_on_revenue(CAMPAIGN["revenue"], spend))
    profit = CAMPAIGN["revenue"] * CAMPAIGN["gross_margin"]
    return float(kpis.roi_on_profit(profit, spend))


class CampaignRoi(ValueQuestion):
    title = "ROI on profit"
    var = "campaign_roi"
    unit = "fraction"
    rtol = 1e-3
    expected = staticmethod(lambda: _roi("profit"))
    misconceptions = (
        Misconception(
            lambda: _roi("revenue"),
            "That is ROI on revenue: it treats every pound of revenue as profit. With "
            "a 35% gross margin, use gross profit = revenue × margin.",
        ),
    )
    hints = ("ROI on profit = (revenue × gross margin − spend) ÷ spend.",)


class CustomerValue(ValueQuestion):
    title = "Customer lifetime value"
    var = "customer_clv"
    rtol = 1e-3
    expected = float(kpis.clv(42.0, 5, 3, 0.35))
    misconceptions = (
        Misconception(
            float(kpis.clv(42.0, 5, 3, 1.0)),
            "That is lifetime revenue. CLV counts what the customer is worth: "
            "multiply by the gross margin.",
        ),
    )
    hints = ("`kpis.clv(order value, purchases per year, years, gross margin)`.",)


def linear_weights(channels: Sequence[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for channel in channels:
        weights[channel] = weights.get(channel, 0.0) + 1 / len(channels)
    return weights


def position_weights(channels: Sequence[str]) -> dict[str, float]:
    n = len(channels)
    if n == 1:
        shares = [1.0]
    elif n == 2:
        shares = [0.5, 0.5]
    else:
        shares = [0.4] + [0.2 / (n - 2)] * (n - 2) + [0.4]
    weights: dict[str, float] = {}
    for channel, share in zip(channels, shares, strict=True):
        weights[channel] = weights.get(channel, 0.0) + share
    return weights


class AttributionRules(Question):
    """Two functions, each tried on journeys of one to six touches."""

    title = "Linear and position-based attribution"
    var = ("linear_credit", "position_credit")
    hints = (
        "Each function takes a list of channels in the order they were touched and "
        "returns a dict channel → share of the credit, adding up to 1.",
        "A channel touched twice collects both shares. Position-based: 40% first, "
        "40% last, 20% shared by the middle; 50/50 with two touches; all of it with "
        "one.",
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        for name, reference in (
            ("linear_credit", linear_weights),
            ("position_credit", position_weights),
        ):
            function = check_callable(values[name], name)
            answers = call_on_each(function, name, [(list(c),) for c in JOURNEY_CASES])
            for case, answer in zip(JOURNEY_CASES, answers, strict=True):
                _compare_credit(name, list(case), answer, reference)
        return "Both rules give the right shares on every journey."


def _compare_credit(
    name: str,
    case: list[str],
    answer: Any,
    reference: Callable[[Sequence[str]], dict[str, float]],
) -> None:

    if not isinstance(answer, dict):
        raise Incorrect(
            f"`{name}({case!r})` returned {safe_repr(answer)}; return a dict "
            "channel → share."
        )
    expected = reference(case)
    try:
        got = {str(k): float(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise Incorrect(f"`{name}({case!r})`: every share must be a number.") from None
    if abs(sum(got.values()) - 1) > 1e-6:
        raise Incorrect(
            f"`{name}({case!r})` shares add up to {sum(got.values()):.3f}, not 1: "
            "a journey's conversion is shared out whole."
        )
    if set(got) != set(expected) or any(
        abs(got[k] - expected[k]) > 1e-6 for k in expected
    ):
        hint = ""
        if name == "position_credit" and _close(got, linear_weights(case)):
            hint = " That is linear credit: position-based gives 40% to the first and "
            hint += "last touches."
        elif len(case) != len(set(case)):
            hint = " A channel touched twice should collect both of its shares."
        raise Incorrect(f"`{name}({case!r})` gave {safe_repr(got)}.{hint}")


def _close(a: dict, b: dict) -> bool:
    return set(a) == set(b) and all(abs(a[k] - b[k]) < 1e-6 for k in b)


@cache
def _lift_groups() -> pd.DataFrame:
    return (
        data.load("lift_test")
        .groupby("group")[["users", "conversions", "revenue", "spend"]]
        .sum()
    )


def _lift_group(name: str) -> pd.Series:
    """One group's totals ("test" or "control")."""
    totals = _lift_groups().loc[name]
    if not isinstance(totals, pd.Series):  # the groups are unique: never
        raise ValueError(f"The lift test has more than one {name} group.")
    return totals


def _lift_answers(attributed: bool = False) -> dict[str, float]:
    test, control = _lift_group("test"), _lift_group("control")
    rate_t = test["conversions"] / test["users"]
    rate_c = control["conversions"] / control["users"]
    extra = kpis.incremental_conversions(
        test["conversions"], test["users"], control["conversions"], control["users"]
    )
    # What the test group would have spent anyway: the holdout's revenue per person.
    baseline = test["users"] * control["revenue"] / control["users"]
    revenue = test["revenue"] if attributed else test["revenue"] - baseline
    return {
        "test_lift": float(kpis.lift(rate_t, rate_c)),
        "incremental": float(extra),
        "test_iroas": float(cast(float, revenue / test["spend"])),
    }


class TestLift(ValueQuestion):
    title = "lift"
    var = "test_lift"
    rtol = 2e-3
    expected = staticmethod(lambda: _lift_answers()["test_lift"])
    hints = ("Lift = (test rate − control rate) ÷ control rate, as a fraction.",)


class IncrementalConversions(ValueQuestion):
    title = "incremental conversions"
    var = "incremental"
    rtol = 2e-3
    expected = staticmethod(lambda: _lift_answers()["incremental"])
    hints = ("Incremental = test conversions − test users × control rate.",)


class TestIroas(ValueQuestion):
    title = "iROAS"
    var = "test_iroas"
    rtol = 2e-3
    expected = staticmethod(lambda: _lift_answers()["test_iroas"])
    misconceptions = (
        Misconception(
            lambda: _lift_answers(attributed=True)["test_iroas"],
            "That is the test group's whole revenue over spend: the ROAS a platform "
            "would report. iROAS counts only the revenue the ads caused: the test "
            "group's revenue minus what it would have brought anyway (the control "
            "group's revenue per person × the test group's size).",
        ),
    )
    hints = ("iROAS = (test revenue − test users × control revenue per user) ÷ spend.",)


class LiftResults(MultipartQuestion):
    title = "Lift, incremental conversions and iROAS (dataset)"
    parts = (TestLift, IncrementalConversions, TestIroas)
    hints = (
        "Sum users, conversions, revenue and spend per group over the 28 days.",
        "Lift = (test rate − control rate) ÷ control rate; incremental = test "
        "conversions − test users × control rate; iROAS = (test revenue − test users "
        "× control revenue per user) ÷ spend.",
    )


class NetSentimentAll(ValueQuestion):
    title = "over all mentions"
    var = "net_all"
    rtol = 1e-3
    expected = float(kpis.net_sentiment(640, 210, 1_150))
    misconceptions = (
        Misconception(
            float(kpis.net_sentiment_polarity(640, 210)),
            "`net_all` counts every mention in the denominator, neutral ones too.",
        ),
    )
    hints = ("(positive − negative) ÷ (positive + negative + neutral).",)


class NetSentimentPolar(ValueQuestion):
    title = "polarity form"
    var = "net_polar"
    rtol = 1e-3
    expected = float(kpis.net_sentiment_polarity(640, 210))
    misconceptions = (
        Misconception(
            float(kpis.net_sentiment(640, 210, 1_150)),
            "`net_polar` leaves the neutral mentions out of the denominator.",
        ),
    )
    hints = ("(positive − negative) ÷ (positive + negative).",)


class Sentiment(MultipartQuestion):
    title = "Net sentiment, both forms"
    parts = (NetSentimentAll, NetSentimentPolar)
    hints = (
        "Over all mentions: (positive − negative) ÷ (positive + negative + neutral).",
        "Polarity: (positive − negative) ÷ (positive + negative).",
    )


def _summary(average: bool = False) -> pd.DataFrame:
    ads = data.load("ad_campaigns")
    ads = ads.assign(month=ads["date"].str[:7])
    if average:
        daily = ads.assign(
            cpa=ads["spend"] / ads["conversions"].replace(0, np.nan),
            roas=ads["revenue"] / ads["spend"].replace(0, np.nan),
        )
        ratios = daily.groupby(["platform", "month"])[["cpa", "roas"]].mean()
    sums = ads.groupby(["platform", "month"])[["spend", "conversions", "revenue"]].sum()
    table = sums.assign(
        cpa=sums["spend"] / sums["conversions"], roas=sums["revenue"] / sums["spend"]
    )
    if average:
        table[["cpa", "roas"]] = ratios
    return table.reset_index()


class ExecutiveTable(FrameQuestion):
    title = "The executive summary table (dataset)"
    var = "summary_table"
    key = ("platform", "month")
    expected = staticmethod(_summary)
    misconceptions = (
        Misconception(
            lambda: _summary(average=True),
            "Your CPA and ROAS average the daily ratios. Recompute them from the "
            "month's totals: a big day must weigh more than a small one.",
        ),
    )
    hints = (
        "Month = the first seven characters of `date`. Group by platform and month.",
        "Sum spend, conversions and revenue; then CPA = spend ÷ conversions and ROAS "
        "= revenue ÷ spend.",
    )


@cache
def _table_facts() -> dict[str, float]:
    """Every number in the executive table, and each month-on-month change.

    The "so what?" must quote these, not numbers from nowhere: a figure with
    decimals in the answer has to agree with one of them.
    """
    table = _summary()
    facts = {}
    for row in table.itertuples():
        for column in ("spend", "conversions", "revenue", "cpa", "roas"):
            facts[f"{row.platform} {row.month} {column}"] = float(getattr(row, column))
    for platform, rows in table.groupby("platform"):
        for column in ("spend", "conversions", "revenue", "cpa", "roas"):
            values = rows.sort_values("month")[column].tolist()
            for i, old in enumerate(values):
                for j, new in enumerate(values[i + 1 :], start=i + 1):
                    change = new / old - 1
                    facts[f"{platform} {column} change {i}-{j}"] = change
                    facts[f"{platform} {column} change {i}-{j} (size)"] = abs(change)
    return facts


SO_WHAT_FORBIDDEN = (
    Forbidden(
        r"\broas\b(?:[^.]|\.\d){0,100}\b(profit|profitable|margin)|"
        r"roas[^。]{0,20}(利润|盈利|赚)",
        "ROAS is revenue ÷ spend, not profit: a ROAS of 3 can still lose money once "
        "the cost of goods is paid. Say revenue, or work out ROI on profit.",
        negatable=True,
    ),
)


class SoWhat(TextQuestion):
    title = "The three-sentence 'so what?'"
    var = "so_what"
    min_words = 25
    max_words = 90
    forbidden = SO_WHAT_FORBIDDEN
    facts_message = (
        "Quote numbers from your `summary_table` (a platform's CPA or ROAS in a "
        "month, or the change between months), rounded as you like."
    )
    rubric = (
        Criterion(
            "a change or comparison",
            (
                r"\bup\b",
                r"\bdown\b",
                r"rose",
                r"fell",
                r"than",
                r"\bvs\b",
                r"compared",
                r"increase",
                r"decrease",
                r"drop",
                r"grew",
                r"higher",
                r"lower",
                r"doubled",
                r"halved",
                r"上升",
                r"下降",
                r"增长",
                r"提高",
                r"降低",
                r"高于",
                r"低于",
                r"环比",
                r"同比",
                r"翻倍",
                r"减半",
                r"从.{0,12}(到|升至|降至)",
            ),
            "Say what changed, or how it compares (month on month, across platforms).",
        ),
        Criterion(
            "why",
            (
                r"because",
                r"due to",
                r"driven by",
                r"caused",
                r"as (the|our)",
                r"\bas \w+ (fell|rose|grew|dropped|climbed|moved|shifted)",
                r"\bdriver",
                r"(reason|explanation) is",
                r"thanks to",
                r"\bsince\b",
                r"reflects",
                r"fatigue",
                r"saturat",
                r"因为",
                r"由于",
                r"原因",
                r"导致",
                r"受.{0,10}影响",
                r"疲劳",
                r"饱和",
            ),
            "Explain why it happened.",
        ),
        Criterion(
            "what to do",
            (
                r"recommend",
                r"\bshould\b",
                r"we will",
                r"we'll",
                r"next month",
                r"propose",
                r"shift",
                r"\bmove",
                r"\bcut",
                r"increase .* budget",
                r"refresh",
                r"\btest",
                r"建议",
                r"应该",
                r"计划",
                r"下个?月",
                r"转移",
                r"削减",
                r"更换",
                r"测试",
            ),
            "End with the decision or action you recommend.",
        ),
    )

    def facts(self) -> dict[str, float]:
        return _table_facts()

    hints = (
        "Sentence 1: what happened, with a number. Sentence 2: why. Sentence 3: what "
        "you recommend.",
        "Take the numbers from your `summary_table` (a CPA or ROAS, or the change "
        "from one month to the next): a figure that is not in it will be refused.",
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        text = values[self.var]
        if isinstance(text, str):
            # a full stop ends a sentence only before a space or the end, not 9.50
            parts = re.split(r"(?<=[.!?])\s+|(?<=。)", text.strip())
            sentences = [part for part in parts if part.strip()]
            if len(sentences) > 3:
                raise Incorrect(
                    f"That is {len(sentences)} sentences; executives get three."
                )
        return super().grade(values)


QUESTIONS = [
    CampaignRoi,
    CustomerValue,
    AttributionRules,
    LiftResults,
    Sentiment,
    ExecutiveTable,
    SoWhat,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex06_roi")
__all__ += ["load", "pd", "np", "kpis", "CAMPAIGN", "CUSTOMER", "MENTIONS"]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex06_roi.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class SoWhatReport(WorkProductQuestion):
    title = 'Work product: a one-page "so what?" report'
    var = "so_what_report"
    rubric_file = "ex06_roi"
    agree = (
        Agreement(
            "campaign_roi",
            "ROI on profit",
            r"\bROI\b",
            scale=100,
            section="happened",
        ),
        Agreement(
            "test_iroas",
            "iROAS",
            r"iROAS",
            section="happened",
        ),
    )
    hints = (
        'Write the two sentences of "So what" last, once you know what the numbers '
        "mean.",
        'Every recommendation in "Now what" needs an owner and a date.',
    )
    solution = (
        "A model that passes the structural checks is the `%%work so_what_report` "
        "cell of `solutions/ex06_roi.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex06_roi")`).'
    )


__all__ += bind_work_product(globals(), SoWhatReport, "ex06_roi")
