"""Exercise 7 — Influencers and creators: vetting, choosing, pricing, disclosing.

Setup cell of the notebook:  from smm_playbook.exercises.ex07_creators import *
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from smm_playbook import data
from smm_playbook.checks import (
    ChoiceQuestion,
    FrameQuestion,
    Incorrect,
    Misconception,
    Question,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.checks.calling import call_on_each, check_callable
from smm_playbook.checks.values import safe_repr
from smm_playbook.sim import creator_portfolio as lab
from smm_playbook.sim.creator_portfolio import (
    AUDIENCE_FIT,
    FOLLOWERS_ONLY,
    USD_PER,
    evaluate,
    observed,
    run_portfolio,
)
from smm_playbook.sim.follower_growth import simulate_series

TARGET = "Women 18-34, Mainland China"
REACH_SHARES = (0.20, 0.15, 0.10)
RATE_CARD = {"note": 8_000, "video": 12_000, "usage_rights": 0.30, "exclusivity": 0.15}
PACKAGE = {"note": 2, "video": 1}
EXPECTED_VIEWS = 900_000
DETECTOR_SEED, PORTFOLIO_SEEDS = 7070, (701, 702, 703)
PORTFOLIO_BUDGETS = (15_000, 20_000, 30_000)


def lab_pool() -> pd.DataFrame:
    """The lab's pool (seed 0): the shipped `creators` plus the truth."""
    return lab.generate_pool(np.random.default_rng(0))


def _er_table(base_rule: str = "right", scale: float = 100.0) -> pd.DataFrame:
    pool = data.load("creators")
    base: (
        pd.Series | np.ndarray
    )  # what each creator's rate is over: reach, views or followers
    if base_rule == "followers":
        base = pd.Series("followers", index=pool.index)

    else:
        found = np.where(
            pool["avg_reach"].notna(),
            "reach",
            np.where(pool["avg_views"].notna(), "views", "followers"),
        )
        base = pd.Series(found, index=pool.index)
    column = base.map(
        {"reach": "avg_reach", "views": "avg_views", "followers": "followers"}
    )
    denominator = [pool.at[i, c] for i, c in column.items()]
    er = scale * pool["avg_engagements"] / np.array(denominator, dtype=float)
    return pd.DataFrame({"creator_id": pool["creator_id"], "base": base, "er": er})


class EngagementRateOnTheRightBase(FrameQuestion):
    title = "Engagement rate on the right base (dataset)"
    var = "er_table"
    key = ("creator_id",)
    expected = staticmethod(_er_table)
    misconceptions = (
        Misconception(
            lambda: _er_table("followers"),
            "You divided every creator's engagements by followers. Followers include "
            "people who never see a post (and bought accounts): use reach where the "
            "creator supplies it, views on video platforms when reach is missing, and "
            "followers only as a last resort.",
        ),
        Misconception(
            lambda: _er_table(scale=1.0),
            "Your `er` looks like a fraction; give it as a percentage (× 100).",
        ),
    )
    hints = (
        "One row per creator with `creator_id`, `base` ('reach', 'views' or "
        "'followers') and `er` in percent.",
        "`np.where(creators['avg_reach'].notna(), 'reach', np.where(creators["
        "'avg_views'].notna(), 'views', 'followers'))` names the base; divide "
        "`avg_engagements` by the matching column.",
    )
    solution = (
        "```python\nbase = np.where(creators['avg_reach'].notna(), 'reach',\n"
        "                np.where(creators['avg_views'].notna(), 'views', "
        "'followers'))\n"
        "denominator = (creators['avg_reach'].fillna(creators['avg_views'])\n"
        "               .fillna(creators['followers']))\n"
        "er_table = pd.DataFrame({'creator_id': creators['creator_id'], 'base': "
        "base,\n"
        "                         'er': 100 * creators['avg_engagements'] / "
        "denominator})\n```"
    )


class DeduplicatedCreatorReach(ValueQuestion):
    title = "Deduplicated reach of three creators"
    var = "combined_reach"
    unit = "fraction"
    rtol = 1e-3
    expected = float(1 - np.prod([1 - r for r in REACH_SHARES]))
    misconceptions = (
        Misconception(
            float(sum(REACH_SHARES)),
            "That is the sum of the three reaches: it counts twice everyone who "
            "follows two of the creators. Combine them as "
            "1 − (1 − r₁)(1 − r₂)(1 − r₃).",
        ),
    )
    hints = (
        "Random duplication, as in the channel planner: the share missed by all "
        "three is the product of the shares each one misses.",
    )
    solution = (
        "```python\ncombined_reach = 1 - (1 - 0.20) * (1 - 0.15) * (1 - 0.10)\n```"
    )


def _unseen_series() -> list[tuple[pd.Series, str]]:
    rng = np.random.default_rng(DETECTOR_SEED)
    days = pd.date_range("2026-06-01", periods=90, freq="D")
    cases = []
    for kind in ("organic",) * 10 + ("viral",) * 10 + ("bought",) * 10:
        counts = pd.Series(simulate_series(rng, kind), index=days, name="followers")
        cases.append((counts[rng.random(90) > 0.02], kind))
    return cases


class BoughtFollowerDetector(Question):
    """The learner's rule runs on 30 unseen follower histories."""

    title = "Spot the bought followers (unseen accounts)"
    var = "bought_followers"
    hints = (
        "`bought_followers(series)` gets one creator's daily follower counts (a "
        "Series indexed by date, a few days missing) and returns True or False.",
        "Look at the day-to-day gains (`series.diff()`). A purchase lands in ONE "
        "day, far above the gains of the days around it; a viral spell rises and "
        "falls over several days.",
        "For example: flag a day whose gain is above 1.5 % of the account and more "
        "than 8 times the median gain of the week before and after.",
    )
    solution = (
        "```python\ndef bought_followers(series):\n"
        "    counts = series.dropna().to_numpy(dtype=float)\n"
        "    gains = np.diff(counts)\n"
        "    for day in np.flatnonzero(gains > 0.015 * counts[:-1]):\n"
        "        around = np.r_[gains[max(day - 7, 0):day], gains[day + 1:day + 8]]\n"
        "        typical = max(np.median(np.abs(around)), 1.0)\n"
        "        if gains[day] > 8 * typical:\n"
        "            return True\n"
        "    return False\n```"
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        function = check_callable(values[self.var], self.var)
        cases = _unseen_series()
        answers = call_on_each(function, self.var, [(s.copy(),) for s, _ in cases])
        flags = []
        for answer in answers:
            if not isinstance(answer, bool | np.bool_):
                raise Incorrect(
                    f"`{self.var}` returned {safe_repr(answer)}; return True or False."
                )
            flags.append(bool(answer))
        kinds = [kind for _, kind in cases]
        missed = sum(
            f is False for f, k in zip(flags, kinds, strict=True) if k == "bought"
        )
        viral = sum(f for f, k in zip(flags, kinds, strict=True) if k == "viral")
        organic = sum(f for f, k in zip(flags, kinds, strict=True) if k == "organic")
        report = (
            f"On 30 unseen accounts your rule missed {missed} of the 10 that bought "
            f"followers and raised {viral + organic} false alarm(s) on the 20 genuine "
            f"ones ({viral} viral, {organic} organic)."
        )
        if missed <= 1 and viral + organic <= 1:
            return report
        if viral >= 3 and viral > organic:
            report += (
                " Most false alarms are creators who went viral: a viral spell rises "
                "over several days, a purchase lands in one. Compare a day's gain "
                "with the days around it, not with a fixed threshold."
            )
        elif missed > 1:
            report += " Smaller purchases (8–10 % of the account) still stand out "
            report += "against the days around them."
        raise Incorrect(report + " Aim for at most one miss and one false alarm.")


def _lab_answers(claimed: bool = False) -> dict[str, float]:
    pool = lab_pool()
    out = {}
    for name, weights in (("naive_cpm", FOLLOWERS_ONLY), ("fit_cpm", AUDIENCE_FIT)):
        result = run_portfolio(pool, 20_000, TARGET, **weights)
        reach = result.claimed_reach if claimed else result.target_reach
        out[name] = 1000 * result.cost / reach
    return out


class CostPerTargetReach(ValueQuestion):
    title = "What followers-only costs (simulator)"
    var = ("naive_cpm", "fit_cpm")
    rtol = 1e-3
    expected = staticmethod(_lab_answers)
    misconceptions = (
        Misconception(
            lambda: _lab_answers(claimed=True),
            "You divided by `claimed_reach`, followers × reach rate: the reach a deck "
            "promises. Use `target_reach`, the people in the target audience "
            "reached at least once (or read `cost_per_thousand`).",
        ),
    )
    hints = (
        "`run_portfolio(pool, 20_000, TARGET, **FOLLOWERS_ONLY)` and the same with "
        "`**AUDIENCE_FIT` each return a result.",
        "Each result has `.cost_per_thousand`: USD per 1,000 people of the target "
        "reached.",
    )
    solution = (
        "```python\nnaive_cpm = run_portfolio(pool, 20_000, TARGET, **FOLLOWERS_ONLY)"
        ".cost_per_thousand\n"
        "fit_cpm = run_portfolio(pool, 20_000, TARGET, **AUDIENCE_FIT)"
        ".cost_per_thousand\n```"
    )


@cache
def _unseen_pools() -> tuple:
    cases = []
    for seed, budget in zip(PORTFOLIO_SEEDS, PORTFOLIO_BUDGETS, strict=True):
        pool = lab.generate_pool(np.random.default_rng(seed))
        shortlist = observed(pool)
        shortlist["avg_reach"] = shortlist["avg_reach"].where(
            shortlist["platform"] != "Weibo"
        )
        reference = run_portfolio(pool, budget, TARGET, **AUDIENCE_FIT)
        naive = run_portfolio(pool, budget, TARGET, **FOLLOWERS_ONLY)
        cases.append((pool, shortlist, budget, reference, naive))
    return tuple(cases)


class ChoosePortfolio(Question):
    """The learner's picker runs on three unseen shortlists; the lab knows the truth."""

    title = "Choose a portfolio under a budget (unseen shortlists)"
    var = "pick_creators"
    hints = (
        "`pick_creators(shortlist, budget)` returns a list of `creator_id`s whose "
        "prices add up to at most `budget` USD (convert with `USD_PER`). The target "
        "is women aged 18-34 in Mainland China.",
        "Estimate each creator's reach into the target: `avg_reach × "
        "audience_in_market × audience_female × audience_18_34` (0 outside Mainland "
        "China or without reach). Rank by that per USD and add creators while the "
        "budget allows.",
    )
    solution = (
        "```python\ndef pick_creators(shortlist, budget):\n"
        "    s = shortlist[shortlist['market'] == 'Mainland China'].copy()\n"
        "    s['usd'] = s['price'] * s['currency'].map(USD_PER)\n"
        "    s['fit'] = (s['avg_reach'].fillna(0) * s['audience_in_market']\n"
        "                * s['audience_female'] * s['audience_18_34'])\n"
        "    s = s.assign(value=s['fit'] / s['usd']).sort_values('value', "
        "ascending=False)\n"
        "    chosen, spent = [], 0\n"
        "    for cid, usd in zip(s['creator_id'], s['usd']):\n"
        "        if spent + usd <= budget:\n"
        "            chosen.append(cid)\n"
        "            spent += usd\n"
        "    return chosen\n```"
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        function = check_callable(values[self.var], self.var)
        cases = _unseen_pools()
        answers = call_on_each(
            function, self.var, [(s.copy(), float(b)) for _, s, b, _, _ in cases]
        )
        ratios = []
        for (pool, _, budget, reference, naive), answer in zip(
            cases, answers, strict=True
        ):
            ids = _as_ids(answer, self.var, pool)
            result = evaluate(pool, ids, TARGET, budget)
            if result.cost > budget * (1 + 1e-9):
                raise Incorrect(
                    f"On a {budget:,} USD shortlist your creators cost "
                    f"{result.cost:,.0f} USD: stay within the budget (prices are in "
                    "each market's currency; convert with `USD_PER`)."
                )
            if naive.target_reach and result.target_reach <= 1.05 * naive.target_reach:
                raise Incorrect(
                    "Your portfolio reaches about as many women 18-34 in Mainland "
                    "China as buying the cheapest followers does: rank by estimated "
                    "reach INTO THE TARGET per USD, not by followers."
                )
            ratios.append(result.target_reach / reference.target_reach)
        shown = ", ".join(f"{r:.0%}" for r in ratios)
        if min(ratios) < 0.85:
            raise Incorrect(
                f"Your portfolios reach {shown} of what the audience-fit choice "
                "reaches on the three shortlists; aim for at least 85 % on each."
            )
        return (
            f"Within budget on all three shortlists, reaching {shown} of the "
            "audience-fit choice."
        )


def _as_ids(answer: Any, name: str, pool: pd.DataFrame) -> list[str]:

    if isinstance(answer, pd.Series | pd.Index | np.ndarray | tuple | set):
        answer = list(answer)
    if not isinstance(answer, list) or not all(isinstance(x, str) for x in answer):
        raise Incorrect(
            f"`{name}` returned {safe_repr(answer)}; return a list of creator_ids."
        )
    unknown = sorted(set(answer) - set(pool["creator_id"]))
    if unknown:
        raise Incorrect(
            f"`{name}` chose {unknown[:3]}, which are not in the shortlist."
        )
    if len(set(answer)) != len(answer):
        raise Incorrect(f"`{name}` chose the same creator twice.")
    return answer


def _package(rule: str = "right") -> dict[str, float]:
    fees = PACKAGE["note"] * RATE_CARD["note"] + PACKAGE["video"] * RATE_CARD["video"]
    uplift = RATE_CARD["usage_rights"], RATE_CARD["exclusivity"]
    if rule == "compound":
        price = fees * (1 + uplift[0]) * (1 + uplift[1])
    elif rule == "fees only":
        price = fees
    else:
        price = fees * (1 + sum(uplift))
    return {
        "package_price": price,
        "cost_per_thousand_views": 1000 * price / EXPECTED_VIEWS,
    }


class PriceThePackage(ValueQuestion):
    title = "Price a deliverable set"
    var = ("package_price", "cost_per_thousand_views")
    rtol = 1e-3
    expected = staticmethod(_package)
    misconceptions = (
        Misconception(
            lambda: _package("compound"),
            "You compounded the uplifts (× 1.30 × 1.15). The rate card prices usage "
            "rights and exclusivity each as a share of the content fees: add them.",
        ),
        Misconception(
            lambda: _package("fees only"),
            "That is the content fees alone. Usage rights (boosting the notes as "
            "ads) and exclusivity are paid on top.",
        ),
    )
    hints = (
        "Content fees = 2 notes × 8,000 + 1 video × 12,000 CNY.",
        "Package = content fees × (1 + 0.30 + 0.15); cost per 1,000 views = package "
        "÷ 900,000 × 1,000.",
    )
    solution = (
        "```python\nfees = 2 * 8_000 + 12_000\n"
        "package_price = fees * (1 + 0.30 + 0.15)  # 40,600 CNY\n"
        "cost_per_thousand_views = package_price / 900_000 * 1000\n```"
    )


POSTS = {
    "a": "UK, Instagram, paid by a tea brand that approved the caption: "
    '"#ad Three weeks with @LeafCo\'s oolong and my 3 pm slump is gone ..."',
    "b": 'US, Instagram, paid: "Obsessed with this glow serum ✨ my skin has never '
    "looked better ... more\" and, below 'more', \"#skincare #glow #selfcare #sp "
    '#partner"',
    "c": '中国，小红书，品牌付费并提供购物链接："姐妹们！这款面霜真的绝了，一周就'
    '见效～链接放评论区啦 #好物分享 #护肤"（无“广告”标识）',
    "d": '中国，抖音，品牌付费："【广告】和@某品牌一起实测三款空气炸锅，看看哪款'
    '最省油"',
    "e": "UK, TikTok, the brand paid for the video and approved the script: "
    '"Thanks to @GlowCo for this amazing kit! 💖" (no other label)',
}


class DisclosureBreaches(ChoiceQuestion):
    title = "Spot the disclosure breaches"
    var = "breaches"
    options = POSTS
    correct = frozenset({"b", "c", "e"})
    why = {
        "a": "Post (a) puts '#ad' first, where the UK guidance wants the label: "
        "obvious before anyone engages. It is compliant.",
        "d": "Post (d) opens with 【广告】, the label the Internet Advertising "
        "Measures require. It is compliant.",
    }
    hints = (
        "Choose every post that breaks the rules, e.g. `breaches = ['x', 'y']`.",
        "Ask of each: is it paid? If so, is the label unambiguous ('#ad', 'Ad', "
        "'广告', the platform's paid-partnership tool) and seen before 'more'?",
    )
    solution = (
        "```python\nbreaches = ['b', 'c', 'e']\n```\n(b) hides an ambiguous '#sp "
        "#partner' below 'more' (the FTC names both as unclear); (c) is a paid 种草 "
        "note with a shopping link and no 广告 label; (e) 'Thanks to …' does not "
        "say it is an ad, though the brand paid and controlled it."
    )


QUESTIONS = [
    EngagementRateOnTheRightBase,
    DeduplicatedCreatorReach,
    BoughtFollowerDetector,
    CostPerTargetReach,
    ChoosePortfolio,
    PriceThePackage,
    DisclosureBreaches,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex07_creators")
__all__ += [
    "load",
    "pd",
    "np",
    "lab_pool",
    "run_portfolio",
    "FOLLOWERS_ONLY",
    "AUDIENCE_FIT",
    "USD_PER",
    "TARGET",
    "RATE_CARD",
    "POSTS",
]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex07_creators.yaml.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class CreatorBrief(WorkProductQuestion):
    title = "Work product: a creator brief and a one-page measurement plan"
    var = "creator_brief"
    rubric_file = "ex07_creators"
    agree = (
        Agreement(
            "package_price",
            "package price",
            r"\bfees?\b|package|total|费用|总价|报价",
            section="fee",
        ),
        Agreement(
            "cost_per_thousand_views",
            "cost per 1,000 views",
            r"per (1,?000|thousand) views|每千次(播放|观看)",
            section="measurement",
        ),
    )
    hints = (
        "A brief answers, in this order: objective and audience, deliverables, key "
        "messages and don'ts, timeline and approvals, disclosure, usage rights and "
        "exclusivity, fee and payment. Question 6 gives you the fee.",
        "The measurement plan: the number that decides success, deduplicated reach "
        "into the target and cost per 1,000 reached, a code and a UTM link per "
        "creator, a geo holdout or a lift study, and who reports it by when.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work creator_brief` "
        "cell of `solutions/ex07_creators.ipynb`. Compare its structure with yours, "
        "not its words: your work is judged against the rubric "
        '(`work_brief("ex07_creators")`).'
    )


__all__ += bind_work_product(globals(), CreatorBrief, "ex07_creators")
