"""Exercise 5 — Paid social: read the export, find fatigue, fit a curve, allocate.

Setup cell of the notebook:  from smm_playbook.exercises.ex05_paid import *
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from smm_playbook import data, kpis
from smm_playbook.checks import (
    ChoiceQuestion,
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
from smm_playbook.sim.ab_test import two_proportion_test
from smm_playbook.sim.paid_social import (
    HillFit,
    fit_hill,
    hill,
    optimise,
    response_curve,
    total_value,
)

SUMS = ["spend", "impressions", "clicks", "conversions", "revenue"]
CREATIVE_TEST = {"A": (412, 30_000), "B": (483, 30_000)}  # (clicks, impressions)
# One impression, three advertisers: (bid, estimated action rate, ad quality).
# Bid × action rate ties at 0.12, so quality decides (unlike the book's example).
AUCTION = {"A": (8.0, 0.015, 0.8), "B": (4.0, 0.03, 1.1), "C": (6.0, 0.02, 1.2)}
# Three channels' fitted curves (daily budget → conversions) for the allocation
# question; the grader also uses curves the learner has not seen.
CURVES = {
    "Meta": HillFit(beta=1460.0, ec=330.0, slope=0.8),
    "Douyin": HillFit(beta=700.0, ec=200.0, slope=0.85),
    "Xiaohongshu": HillFit(beta=320.0, ec=35.0, slope=1.0),
}
UNSEEN_CASES = (
    (750.0, CURVES),
    (300.0, CURVES),
    (
        1200.0,
        {
            "Meta": HillFit(900.0, 150.0, 0.7),
            "Douyin": HillFit(1600.0, 600.0, 0.9),
            "Xiaohongshu": HillFit(400.0, 60.0, 1.0),
        },
    ),
    (
        500.0,
        {
            "WeChat": HillFit(500.0, 120.0, 0.6),
            "Weibo": HillFit(300.0, 80.0, 0.9),
            "Bilibili": HillFit(700.0, 400.0, 0.8),
        },
    ),
)
ALLOCATION_SHARE = 0.99  # of the optimum's conversions, to pass


@cache
def _export() -> pd.DataFrame:
    return data.load("ad_campaigns")


def _platform_kpis(frame: pd.DataFrame) -> pd.DataFrame:
    sums = frame.groupby("platform")[SUMS].sum()
    return pd.DataFrame(
        {
            "cpm": kpis.cpm(sums["spend"], sums["impressions"]),
            "ctr": kpis.ctr(sums["clicks"], sums["impressions"]),
            "cpc": kpis.cpc(sums["spend"], sums["clicks"]),
            "cvr": kpis.cvr(sums["conversions"], sums["clicks"]),
            "cpa": kpis.cpa(sums["spend"], sums["conversions"]),
            "roas": kpis.roas(sums["revenue"], sums["spend"]),
        }
    ).reset_index()


def _averaged_kpis() -> pd.DataFrame:
    """The misconception: the mean of each day's ratios."""
    frame = _export()
    daily = frame.assign(
        cpm=1000 * frame["spend"] / frame["impressions"],
        ctr=frame["clicks"] / frame["impressions"],
        cpc=frame["spend"] / frame["clicks"],
        cvr=frame["conversions"] / frame["clicks"],
        cpa=frame["spend"] / frame["conversions"],
        roas=frame["revenue"] / frame["spend"],
    ).replace([np.inf, -np.inf], np.nan)
    columns = ["cpm", "ctr", "cpc", "cvr", "cpa", "roas"]
    return daily.groupby("platform")[columns].mean().reset_index()


class PlatformKpis(FrameQuestion):
    title = "CPM, CTR, CPC, CVR, CPA and ROAS per platform (dataset)"
    var = "platform_kpis"
    key = ("platform",)
    rtol = 1e-3
    expected = staticmethod(lambda: _platform_kpis(_export()))
    misconceptions = (
        Misconception(
            _averaged_kpis,
            "You averaged the daily ratios. A day that spent 10 counts as much as a "
            "day that spent 1,000 that way: add up spend, impressions, clicks, "
            "conversions and revenue per platform first, then divide the totals.",
        ),
    )
    hints = (
        "Group by platform and sum spend, impressions, clicks, conversions and "
        "revenue.",
        "Then CPM = 1000 × spend ÷ impressions, CTR = clicks ÷ impressions, CPC = "
        "spend ÷ clicks, CVR = conversions ÷ clicks, CPA = spend ÷ conversions, "
        "ROAS = revenue ÷ spend (CTR and CVR as fractions).",
    )


class FatiguedAdSet(ChoiceQuestion):
    title = "Which ad set is tiring? (dataset)"
    var = "tired_ad_set"
    options = {
        "a": "Lookalike 1% (Meta)",
        "b": "Auto-targeting (Douyin)",
        "c": "Juguang feed (one creative) (Xiaohongshu)",
        "d": "Retargeting 30 days (Meta)",
    }
    correct = "c"
    why = {
        "a": "Its CTR eases as frequency climbs, by under a third from July to "
        "September: the slow wear of refreshed creatives. Compare how far each ad "
        "set's CTR falls.",
        "b": "Its CTR eases by about a quarter over the quarter, like most ad sets'; "
        "its spend moves with the weekly budget edits.",
        "c": "Its CTR collapses, by more than 90% from July to September, as its "
        "lifetime frequency climbs: one creative, shown again and again to a small "
        "audience.",
        "d": "Retargeting runs at high frequency by design; its CTR falls by about "
        "two-fifths, far less than the tiring ad set's.",
    }
    hints = (
        "For each ad set, compare CTR (clicks ÷ impressions) in July with September.",
        "Plot CTR against `frequency` for each ad set: which line falls steeply?",
    )


def _meta_curve() -> pd.DataFrame:
    return response_curve("Meta")


class SaturationFit(ValueQuestion):
    title = "Fit a Hill curve to Meta's response (simulator)"
    var = ("meta_ec", "meta_slope")
    rtol = 0.1

    @staticmethod
    def expected() -> dict[str, float]:
        curve = _meta_curve()
        fit = fit_hill(curve["budget"], curve["conversions"])
        return {"meta_ec": fit.ec, "meta_slope": fit.slope}

    hints = (
        "Fit conversions = beta × budget^s ÷ (budget^s + ec^s) with "
        "`scipy.optimize.curve_fit`, starting from beta = the largest conversions, "
        "ec = the median budget, s = 1.",
        "`hill(x, ec, slope)` is the curve's shape: fit `beta * hill(x, ec, slope)`.",
    )


class Allocate(Question):
    """A function that splits a budget; graded against the optimum on unseen curves."""

    title = "Allocate a budget across three channels (graded on unseen curves)"
    var = "allocate"
    hints = (
        "Spend in small steps (say 5 at a time): give each step to the channel whose "
        "next step buys the most conversions, `curve(b + 5) − curve(b)`.",
        "That equalises marginal returns. Do not split by average ROAS or evenly.",
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        function = check_callable(values[self.var], self.var)
        answers = call_on_each(
            function,
            self.var,
            [(total, dict(curves)) for total, curves in UNSEEN_CASES],
        )
        shares = []
        for (total, curves), answer in zip(UNSEEN_CASES, answers, strict=True):
            split = _as_split(answer, curves, total)
            best = optimise(curves, total, step=total / 400)
            got = sum(float(curves[n](split[n])) for n in curves)
            ideal = sum(float(curves[n](best[n])) for n in curves)
            shares.append(got / ideal)
            if got < ALLOCATION_SHARE * ideal:
                raise Incorrect(
                    f"For a budget of {total:,.0f} your split gets {got:,.0f} "
                    f"conversions, {got / ideal:.1%} of the best possible "
                    f"({ideal:,.0f}). {_diagnose(split, curves, total)}"
                )
        return f"Within {1 - min(shares):.2%} of the optimum on every unseen case."


def _as_split(answer: Any, curves: dict, total: float) -> dict[str, float]:
    if not isinstance(answer, dict) or set(answer) != set(curves):
        raise Incorrect(
            f"`allocate` returned {safe_repr(answer)}; return a dict with one budget "
            f"per channel: {sorted(curves)}."
        )
    try:
        split = {name: float(value) for name, value in answer.items()}
    except (TypeError, ValueError):
        raise Incorrect("Every budget in the dict must be a number.") from None
    if any(v < 0 or not np.isfinite(v) for v in split.values()):
        raise Incorrect("Budgets cannot be negative or infinite.")
    if abs(sum(split.values()) - total) > 0.01 * total:
        raise Incorrect(
            f"Your budgets add up to {sum(split.values()):,.2f}, not the "
            f"{total:,.0f} to allocate."
        )
    return split


def _diagnose(split: dict, curves: dict, total: float) -> str:
    values = np.array(list(split.values()))
    if np.allclose(values, total / len(values), rtol=0.02):
        return (
            "An even split ignores how fast each channel saturates: move budget to "
            "where the next unit buys most."
        )
    if values.max() >= 0.98 * total:
        return (
            "Everything in one channel runs it deep into saturation: the last units "
            "there buy far less than the first units elsewhere."
        )
    step = total / 100
    marginal = {n: (curves[n](split[n] + step) - curves[n](split[n])) for n in curves}
    high = max(marginal, key=marginal.__getitem__)
    low = min(marginal, key=marginal.__getitem__)
    return (
        f"The next unit buys more in {high} than in {low}: move budget from {low} "
        f"to {high} until the marginal returns are equal."
    )


def _creative_p() -> float:
    (a, na), (b, nb) = CREATIVE_TEST["A"], CREATIVE_TEST["B"]
    return two_proportion_test(a, na, b, nb).p_value


class CreativeTest(ValueQuestion):
    title = "Is the new creative's CTR really higher?"
    var = "creative_p"
    rtol = 0.01
    expected = staticmethod(_creative_p)
    misconceptions = (
        Misconception(
            lambda: _creative_p() / 2,
            "That is a one-sided p-value; the test is two-sided.",
        ),
    )
    hints = (
        "`two_proportion_test(clicks_a, impressions_a, clicks_b, impressions_b)`.",
    )


def _value(name: str) -> float:
    bid, action_rate, quality = AUCTION[name]
    return float(total_value(bid, action_rate, quality))


def _without_quality(name: str) -> float:
    bid, action_rate, _ = AUCTION[name]
    return float(total_value(bid, action_rate))


def _added_quality(name: str) -> float:
    bid, action_rate, quality = AUCTION[name]
    return bid * action_rate + quality


def _value_part(name: str) -> type[ValueQuestion]:
    """Part (a), (b) or (c): one advertiser's total value."""

    class TotalValue(ValueQuestion):
        title = f"advertiser {name}'s total value"
        var = f"value_{name.lower()}"
        rtol = 0.01
        expected = staticmethod(lambda: _value(name))
        misconceptions = (
            Misconception(
                lambda: _without_quality(name),
                "You left out quality. In the course's model the three multiply: "
                "bid × estimated action rate × quality.",
            ),
            Misconception(
                lambda: _added_quality(name),
                "You added quality. The course's teaching model multiplies it: "
                "bid × estimated action rate × quality.",
            ),
            Misconception(
                lambda: 100 * _value(name),
                "Give the action rate as a fraction (1.5% is 0.015), not a percentage.",
            ),
        )
        hints = ("bid × estimated action rate (as a fraction) × quality.",)

    TotalValue.__name__ = TotalValue.__qualname__ = f"TotalValue{name}"
    return TotalValue


class AuctionWinner(ChoiceQuestion):
    title = "the winner"
    var = "auction_winner"
    # The letter is the advertiser's name, so `auction_winner = "c"` means C.
    options = {
        "a": "Advertiser A, the highest bid",
        "b": "Advertiser B, the highest estimated action rate",
        "c": "Advertiser C",
        "d": "Nobody: they tie, and the platform alternates",
    }
    correct = "c"
    why = {
        "a": "The highest bid loses once action rate and quality count: A has the "
        "lowest total value.",
        "b": "B's action rate is the highest, but C's quality lifts it above B.",
        "c": "C has the highest total value: its quality tips a three-way tie in bid "
        "× action rate.",
        "d": "Bid × action rate ties at 0.12 for all three, but quality differs, so "
        "the total values differ.",
    }
    hints = ("The highest total value wins the impression.",)


class Auction(MultipartQuestion):
    title = "Who wins this auction?"
    parts = (_value_part("A"), _value_part("B"), _value_part("C"), AuctionWinner)
    hints = (
        "Total value = bid × estimated action rate × quality, for each advertiser.",
        "Work out all three, then pick the largest for part (d).",
    )


@cache
def _meta_ad_sets() -> pd.DataFrame:
    """Each Meta ad set's quarter (and the campaign's): totals, CPA, ROAS, CTR."""
    meta = _export().query("platform == 'Meta'")
    sums = meta.groupby("ad_set")[SUMS].sum()
    sums.loc["all Meta ad sets"] = sums.sum()
    return sums.assign(
        cpa=sums["spend"] / sums["conversions"],
        roas=sums["revenue"] / sums["spend"],
        ctr=sums["clicks"] / sums["impressions"],
    )


def _meta_facts() -> dict[str, float]:
    """Numbers from the export an answer may quote (CTR also as a percentage)."""
    table = _meta_ad_sets()
    facts = {
        f"{name} {column}": float(value)
        for name, row in table.iterrows()
        for column, value in row.items()
    }
    facts.update({f"{n} ctr %": 100 * float(v) for n, v in table["ctr"].items()})
    return facts


def _dearest_ad_set() -> str:
    return str(_meta_ad_sets()["cpa"].drop("all Meta ad sets").idxmax())


BREAKDOWN_FORBIDDEN = (
    Forbidden(
        r"average (cpa|cost)[^.]{0,40}\b(is|tells you|shows) (what matters|all you "
        r"need|the (true|real|right))|(always|just|simply) (cut|switch off|kill|pause) "
        r"(the )?(ad set with the )?(highest|most expensive|worst)|"
        r"(keep|stay at|at) (the same|their|its) (average )?(cpa|cost)|"
        r"(same|unchanged|constant) (average )?cpa|"
        r"平均(成本|cpa)[^。]{0,10}(最重要|就够)|成本不变",
        "That is the trap itself: the ad sets that receive the budget do not keep "
        "their average CPA, because each extra conversion costs more as they "
        "saturate. Judge by the marginal cost.",
        negatable=True,
    ),
)


class BreakdownEffect(TextQuestion):
    title = "Why cutting the highest-CPA ad set can hurt"
    var = "breakdown_answer"
    min_words = 40
    max_words = 180
    forbidden = BREAKDOWN_FORBIDDEN
    facts_message = (
        "Quote the average CPA of the Meta ad set your manager wants to cut: find "
        "the ad set with the highest spend ÷ conversions over the quarter in `ads`."
    )
    rubric = (
        Criterion(
            "average vs marginal",
            (
                r"marginal",
                r"next (pound|unit|yuan|dollar|conversion|result)",
                r"incremental",
                r"additional",
                r"extra (conversion|result|sale)",
                r"边际",
                r"增量",
                r"下一(个|笔|单位|元)",
                r"额外",
            ),
            "Contrast the average CPA with the marginal cost of the next conversion.",
        ),
        Criterion(
            "saturation",
            (
                r"saturat",
                r"diminish",
                r"curve",
                r"more expensive",
                r"dearer",
                r"饱和",
                r"递减",
                r"更贵",
                r"曲线",
            ),
            "Explain that the other ad sets get more expensive as they receive more "
            "budget (diminishing returns).",
        ),
        Criterion(
            "reallocation",
            (
                r"budget",
                r"shift",
                r"\bmove",
                r"realloc",
                r"spend",
                r"预算",
                r"转移",
                r"挪",
                r"重新分配",
            ),
            "Say what happens to the budget that is moved.",
        ),
    )
    hints = (
        "First find the ad set: spend ÷ conversions per Meta ad set over the "
        "quarter; quote its CPA.",
        "What does the money do after you cut the ad set? Where does it go, and at "
        "what cost per conversion there?",
    )

    def facts(self) -> dict[str, float]:
        return _meta_facts()

    def key_facts(self) -> dict[str, float]:
        name = _dearest_ad_set()
        return {name: float(_meta_ad_sets()["cpa"][name])}


# The live-selling question: the session's terms, as fractions of the price.
LIVE_TERMS = {"host_cut": 0.20, "cost_of_goods": 0.55}


@cache
def _live() -> dict[str, float]:
    """The session's totals and the ratios the question asks for (and its traps)."""
    s = data.load("live_session").drop(columns="interval_start").sum()
    net = s["gmv"] - s["refunded_gmv"]
    keep = 1 - LIVE_TERMS["host_cut"] - LIVE_TERMS["cost_of_goods"]
    spend = s["ad_spend"]
    return {
        "click_rate": s["product_clicks"] / s["entries"],
        "clicks_per_view": s["product_clicks"] / s["views"],
        "order_rate": s["orders"] / s["product_clicks"],
        "orders_per_entry": s["orders"] / s["entries"],
        "platform_roi": s["gmv"] / spend,
        "net_roi": net / spend,
        "profit_roi": (net * keep - spend) / spend,
        "profit_roi_no_refunds": (s["gmv"] * keep - spend) / spend,
        "profit_roi_no_host": (net * (1 - LIVE_TERMS["cost_of_goods"]) - spend) / spend,
        "contribution": net * keep,
        "spend": spend,
    }


def _live_part(
    var: str,
    title: str,
    misconceptions: tuple[Misconception, ...],
    hint: str,
    unit: str | None = None,
) -> type[ValueQuestion]:
    """One numeric part of the live-session question."""

    class Part(ValueQuestion):
        pass

    Part.title, Part.var, Part.rtol = title, var, 0.01
    Part.expected = staticmethod(lambda: _live()[var.removeprefix("live_")])
    Part.misconceptions = misconceptions
    Part.hints, Part.unit = (hint,), unit
    Part.__name__ = Part.__qualname__ = "Live" + var[5:].title().replace("_", "")
    return Part


_ROI_IS_NOT_PROFIT = (
    'That is GMV ÷ spend, Qianchuan\'s "ROI", read as a return on profit. GMV is '
    "gross of refunds and pays for the goods and the host before any of it is profit: "
    "take net sales × (1 − host's cut − cost of goods) − spend, then ÷ spend."
)


LiveClickRate = _live_part(
    "live_click_rate",
    "entries → product clicks",
    (
        Misconception(
            lambda: _live()["clicks_per_view"],
            "That rate is on the wrong base: you divided by `views`, the times "
            "the room was shown. The step from entering to clicking is product "
            "clicks ÷ entries.",
        ),
    ),
    "Sum the session first: product_clicks ÷ entries, as a fraction.",
    unit="fraction",
)


LiveOrderRate = _live_part(
    "live_order_rate",
    "product clicks → orders",
    (
        Misconception(
            lambda: _live()["orders_per_entry"],
            "That rate is on the wrong base: orders ÷ entries skips a step. "
            "Each step divides by the step before it: orders ÷ product clicks.",
        ),
    ),
    "orders ÷ product_clicks over the whole session, as a fraction.",
    unit="fraction",
)


LivePlatformRoi = _live_part(
    "live_platform_roi",
    'Qianchuan\'s "ROI" (GMV ÷ spend)',
    (
        Misconception(
            lambda: _live()["net_roi"],
            'You took the refunds off first. Qianchuan\'s headline "ROI" is on '
            "gross GMV, before refunds: gmv ÷ ad_spend. (Net of refunds is the "
            "净成交 ROI.)",
        ),
        Misconception(
            lambda: _live()["platform_roi"] - 1,
            'You subtracted 1, as for a return on profit. The platform\'s "ROI" is '
            "a plain ratio: gmv ÷ ad_spend.",
        ),
    ),
    "Sum gmv and ad_spend over the session, then divide.",
)


LiveProfitRoi = _live_part(
    "live_profit_roi",
    "ROI on profit after refunds",
    (
        Misconception(lambda: _live()["platform_roi"], _ROI_IS_NOT_PROFIT),
        Misconception(lambda: _live()["platform_roi"] - 1, _ROI_IS_NOT_PROFIT),
        Misconception(
            lambda: _live()["net_roi"],
            "That is net sales ÷ spend, read as a return on profit. Net sales still "
            "pay for the goods and the host: take net sales × (1 − host's cut − "
            "cost of goods) − spend, then ÷ spend.",
        ),
        Misconception(
            lambda: _live()["profit_roi_no_refunds"],
            "You left the refunds in. A refunded order is not a sale: start "
            "from net sales, gmv − refunded_gmv.",
        ),
        Misconception(
            lambda: _live()["profit_roi_no_host"],
            "You forgot the host's cut: 20% of net sales goes to the host.",
        ),
    ),
    "profit = (gmv − refunded_gmv) × (1 − host_cut − cost_of_goods) − ad_spend; "
    "ROI on profit = profit ÷ ad_spend (negative if the session loses money).",
)


class LiveDecision(ChoiceQuestion):
    title = "keep, fix or stop"
    var = "live_decision"
    options = {
        "a": "Keep the format and the spend: a GMV ÷ spend above 1 means the ads pay",
        "b": "Fix it: keep the session, but set Qianchuan's ROI target at the "
        "break-even GMV ÷ spend, cut spend to what clears it, and work on the pitch "
        "and the refunds",
        "c": "Stop the format: the session loses money, so live selling cannot work "
        "for this brand",
    }
    correct = "b"
    why = {
        "a": "GMV ÷ spend above 1 is not a profit: after refunds, the cost of goods "
        "and the host's cut, each yuan of ads returns less than a yuan.",
        "b": "The session earns money before the ads (net sales × what is left after "
        "the host and the goods) but spends more than that on Qianchuan; the loss "
        "is the spend bought below break-even, and the funnel's weak click step and "
        "the refunds are the levers.",
        "c": "Before the ad spend the session makes money: the loss comes from "
        "buying audience below break-even, which a higher ROI target and less "
        "spend fix. Stopping throws away a profitable core.",
    }
    hints = ("Compare the profit before ad spend with the spend itself.",)


class LiveSession(MultipartQuestion):
    title = 'A live-selling session: funnel, "ROI" and profit'
    parts = (LiveClickRate, LiveOrderRate, LivePlatformRoi, LiveProfitRoi, LiveDecision)
    hints = (
        "Add up each column of `live` over the session before dividing.",
        "Host's cut and cost of goods are in `LIVE_TERMS`, as fractions of net sales.",
    )


QUESTIONS = [
    PlatformKpis,
    FatiguedAdSet,
    SaturationFit,
    Allocate,
    CreativeTest,
    Auction,
    BreakdownEffect,
    LiveSession,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex05_paid")
__all__ += [
    "load",
    "pd",
    "np",
    "hill",
    "response_curve",
    "two_proportion_test",
    "CURVES",
    "CREATIVE_TEST",
    "AUCTION",
    "total_value",
    "LIVE_TERMS",
]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex05_paid.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class CampaignBrief(WorkProductQuestion):
    title = "Work product: a campaign brief with budget split and test plan"
    var = "campaign_brief"
    rubric_file = "ex05_paid"
    agree = (
        Agreement(
            "meta_ec",
            "Meta half-saturation point",
            r"half-saturation|half saturation|EC50|半饱和",
            section="budget",
        ),
    )
    hints = (
        "Put the budget split in a table with a Share column that adds up to 100%.",
        "A test plan has five parts: hypothesis, metric, sample size, duration and "
        "decision rule.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work campaign_brief` "
        "cell of `solutions/ex05_paid.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex05_paid")`).'
    )


__all__ += bind_work_product(globals(), CampaignBrief, "ex05_paid")
