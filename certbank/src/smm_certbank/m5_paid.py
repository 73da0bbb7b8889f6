"""Module 5, paid social: the decisions of book/05-paid on the paper's own data.

Five templates: split a budget under response curves (marginal returns
equalised), find the tiring ad set and what to do with each, score an auction
and the changes that would win it, budget an ad set through its learning
phase, and read paid ratios across platforms and currencies. The wording is in
`m5_paid.yaml`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    Template,
    choice_part,
    distinct_wrong,
    frame_code,
    match_part,
    multi_part,
    order_part,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import ad_set_weeks, dataset
from smm_playbook.sim.paid_social import CHANNELS, HillFit, deliver, total_value

TEXT = prose_of(__name__)


def _far(expected: float, pairs, rtol: float):
    """The typical wrong answers that the tolerance can tell from the right one."""
    return distinct_wrong(expected, pairs, 3 * rtol)


def _names(rng: np.random.Generator, pool, k: int) -> list[str]:
    return [pool[int(i)] for i in rng.choice(len(pool), size=k, replace=False)]


# --- 1. Split a budget under response curves -------------------------------------

# Paid stacks by market: (platform and ad set, the currency of the budget).
SPLIT_MARKETS = {
    "CNY": (
        "Douyin · Auto-targeting",
        "Douyin · Interest: food and drink",
        "Xiaohongshu · Juguang feed",
        "Xiaohongshu · Juguang search",
        "WeChat Moments · Lookalike",
        "Weibo · Fans of tea accounts",
        "Bilibili · Food channel viewers",
    ),
    "GBP": (
        "Meta · Lookalike 1%",
        "Meta · Interest: tea lovers",
        "Meta · Broad",
        "TikTok · Auto-targeting",
        "Pinterest · Recipes",
        "YouTube · In-feed video",
    ),
}


def marginal(curve: HillFit, budget):
    """d conversions / d budget of beta × hill(budget; ec, slope)."""
    b = np.maximum(budget, 1e-9)
    s, ec = curve.slope, curve.ec
    return curve.beta * s * ec**s * b ** (s - 1) / (b**s + ec**s) ** 2


def equal_marginal_split(curves: dict[str, HillFit], total: float) -> dict:
    """The continuous optimum: each budget where its marginal return is λ, with λ
    set so that the budgets add up to `total`. For concave curves (slope ≤ 1)
    the marginal return falls with the budget, so each budget at λ is read off
    a fine grid of the inverse, for a fine grid of λ at once."""
    grid = np.linspace(0.0, total, 5_001)[1:]
    slopes = [marginal(curve, grid)[::-1] for curve in curves.values()]
    lams = np.geomspace(min(m[0] for m in slopes), max(m[-1] for m in slopes), 4_001)

    def budgets(lam):
        return [np.interp(lam, m, grid[::-1], left=total, right=0.0) for m in slopes]

    spent = np.sum(budgets(lams), axis=0)  # falls as λ rises
    lam = float(np.interp(total, spent[::-1], lams[::-1]))
    return {name: float(b) for name, b in zip(curves, budgets(lam), strict=True)}


def _response(curves, split) -> float:
    return float(sum(curves[n](split[n]) for n in curves))


def budget_split(rng: np.random.Generator) -> Section:
    text = TEXT["budget_split"]
    parts_text = text["parts"]
    currency = ("CNY", "GBP")[int(rng.integers(2))]
    scale = 8.0 if currency == "CNY" else 1.0  # yuan budgets look like yuan
    while True:
        k = int(rng.integers(2, 4))
        names = _names(rng, SPLIT_MARKETS[currency], k)
        curves = {
            n: HillFit(
                round(float(rng.uniform(20, 120)), 1),
                round(float(rng.uniform(80, 500)) * scale, -1 if scale == 1 else 1),
                round(float(rng.uniform(0.6, 1.0)), 2),
            )
            for n in names
        }
        total = round(float(rng.uniform(0.6, 1.6)) * 100 * k * scale, -1) * 5
        # The current plan: last month's rough shares.
        weights = rng.dirichlet(np.full(k, 4.0))
        current = {
            n: round(float(total * w), -1) for n, w in zip(names, weights, strict=True)
        }
        current[names[-1]] = total - sum(current[n] for n in names[:-1])
        if min(current.values()) <= 0:
            continue
        average = {n: curves[n](current[n]) / current[n] for n in names}
        margin = {n: float(marginal(curves[n], current[n])) for n in names}
        top_marginal = max(margin, key=margin.get)
        if top_marginal == max(average, key=average.get):
            continue  # the item tests marginal against average: make them differ
        if sorted(margin.values())[-1] < 1.15 * sorted(margin.values())[-2]:
            continue  # a clear first move
        best = equal_marginal_split(curves, total)
        if min(best.values()) < 0.2 * total:
            continue  # every ad set funded, so the asked budget is well measured
        bigger = equal_marginal_split(curves, 1.1 * total)
        extra = {n: bigger[n] - best[n] for n in names}
        ranked = sorted(extra.values())
        if len(ranked) > 1 and ranked[-1] < 1.2 * ranked[-2]:
            continue  # a clear home for the extra 10%
        if _response(curves, best) - _response(curves, current) < 0.5:
            continue
        break
    asked = names[int(rng.integers(k))]
    shown = pd.DataFrame(
        {
            "ad_set": names,
            "current_daily_budget": [current[n] for n in names],
            "beta": [curves[n].beta for n in names],
            "ec": [curves[n].ec for n in names],
            "slope": [curves[n].slope for n in names],
        }
    )
    data = f"split_total = {total:.0f}\n" + frame_code("split_curves", shown)
    fits = (
        "from smm_playbook.sim.paid_social import HillFit, optimise\n\n"
        "split_fits = {r.ad_set: HillFit(r.beta, r.ec, r.slope) "
        "for r in split_curves.itertuples()}\n"
    )
    optimum = "split_best = optimise(split_fits, split_total, step=split_total / 250)\n"
    gain = _response(curves, best) - _response(curves, current)
    best_average = max(average, key=average.get)
    best_alone = {n: (total if n == best_average else 0.0) for n in names}
    options = list(names)
    first_why = {
        i: parts_text["split_first_move"]["why_average"]
        if n == best_average
        else parts_text["split_first_move"]["why_other"]
        for i, n in enumerate(options)
        if n != top_marginal
    }
    extra_home = max(extra, key=extra.get)
    extra_options = [*names, parts_text["split_extra_home"]["even"]]
    extra_why = {
        i: parts_text["split_extra_home"]["why_other"]
        for i, n in enumerate(names)
        if n != extra_home
    }
    extra_why[len(names)] = parts_text["split_extra_home"]["why_even"]
    parts = (
        value_part(
            "split_optimal_budget",
            1,
            parts_text["split_optimal_budget"]["prompt"].format(
                ad_set=asked, currency=currency
            ),
            best[asked],
            rtol=0.03,
            wrong=_far(
                best[asked],
                [
                    (total / k, parts_text["split_optimal_budget"]["wrong"]["even"]),
                    (
                        best_alone[asked],
                        parts_text["split_optimal_budget"]["wrong"]["all_in"],
                    ),
                    (
                        current[asked],
                        parts_text["split_optimal_budget"]["wrong"]["current"],
                    ),
                ],
                0.03,
            ),
            model=fits + optimum + f"split_optimal_budget = split_best[{asked!r}]",
        ),
        choice_part(
            "split_first_move",
            1,
            parts_text["split_first_move"]["prompt"],
            options,
            options.index(top_marginal),
            first_why,
            rng=rng,
        ),
        value_part(
            "split_gain_per_day",
            1,
            parts_text["split_gain_per_day"]["prompt"],
            gain,
            rtol=0.05,
            wrong=_far(
                gain,
                [
                    (
                        _response(curves, best),
                        parts_text["split_gain_per_day"]["wrong"]["total"],
                    )
                ],
                0.05,
            ),
            model=(
                "split_now = sum(split_fits[r.ad_set](r.current_daily_budget) "
                "for r in split_curves.itertuples())\n"
                "split_gain_per_day = sum(split_fits[n](b) for n, b in "
                "split_best.items()) - split_now"
            ),
        ),
        choice_part(
            "split_extra_home",
            1,
            parts_text["split_extra_home"]["prompt"].format(
                extra=0.1 * total, currency=currency
            ),
            extra_options,
            extra_options.index(extra_home),
            extra_why,
            rng=rng,
        ),
    )
    return Section(
        "m5_budget_split",
        "5",
        text["title"],
        text["prompt"].format(total=total, currency=currency, k=k),
        data,
        parts,
    )


# --- 2. Which ad set is tiring, and what to do with each ------------------------

PROSPECTING = (
    "Interest: tea lovers",
    "Interest: fitness",
    "Lookalike 1%",
    "Lookalike 3%",
    "Broad 18-34",
    "Interest: food and drink",
    "Office workers",
    "Students",
)
RETARGETING = ("Retargeting 30 days", "Past buyers 180 days", "Site visitors 14 days")
ROLES = ("tiring", "weak", "retargeting", "healthy")
FATIGUE_PLATFORMS = {"Meta": "GBP", "Douyin": "CNY", "Xiaohongshu": "CNY"}


def _role_channel(base, role: str, rng: np.random.Generator):
    """The platform's channel set up for one role, and its refresh rate."""
    if role == "tiring":  # one creative, a small audience that tires of it
        audience = int(base.audience * rng.uniform(0.25, 0.45))
        return replace(
            base,
            audience=audience,
            opportunities=audience // 3,
            fatigue=float(rng.uniform(0.28, 0.4)),
        ), 0
    if role == "weak":  # a weak ad from day one, refreshed with more of the same
        return replace(base, ctr=base.ctr * float(rng.uniform(0.35, 0.5))), 7
    if role == "retargeting":  # a small warm audience, seen often, rotated weekly
        audience = int(base.audience * rng.uniform(0.12, 0.2))
        return replace(
            base,
            audience=audience,
            opportunities=int(audience * 0.6),
            fatigue=0.08,
            ctr=base.ctr * 1.1,
        ), 7
    return replace(base, audience=int(base.audience * 1.5)), 7  # healthy


def _weekly(run: dict) -> dict[str, np.ndarray]:
    """An ad set's four weeks: sums of the days, reach and lifetime frequency."""
    sums = {k: run[k].reshape(4, 7).sum(axis=1) for k in ("spend", "impressions")}
    sums["clicks"] = run["clicks"].reshape(4, 7).sum(axis=1)
    reach = run["reach"][6::7]
    sums["reach_to_date"] = np.round(reach)
    sums["frequency_to_date"] = np.round(np.cumsum(sums["impressions"]) / reach, 2)
    sums["spend"] = np.round(sums["spend"], 2)
    return sums


def fatigue(rng: np.random.Generator) -> Section:
    text = TEXT["fatigue"]
    pt = text["parts"]
    platform = list(FATIGUE_PLATFORMS)[int(rng.integers(3))]
    currency = FATIGUE_PLATFORMS[platform]
    base = CHANNELS[platform]
    bid = {"Meta": 3.0, "Douyin": 2.6, "Xiaohongshu": 3.2}[platform]
    while True:
        names = dict(
            zip(
                ROLES,
                [
                    *_names(rng, PROSPECTING, 2),
                    _names(rng, RETARGETING, 1)[0],
                    _names(rng, PROSPECTING, 3)[-1],
                ],
                strict=True,
            )
        )
        if len(set(names.values())) < 4:
            continue
        seed = int(rng.integers(2**31))
        weeks = {}
        for role in ROLES:
            channel, refresh = _role_channel(base, role, rng)
            budget = float(rng.uniform(150, 300))
            run = deliver(
                channel,
                np.full(28, budget),
                bid,
                1.0,
                np.random.default_rng(seed + ROLES.index(role)),
                refresh_every=refresh,
            )
            weeks[names[role]] = _weekly(run)
        ctr = {n: w["clicks"] / w["impressions"] for n, w in weeks.items()}
        cpc = {n: w["spend"] / w["clicks"] for n, w in weeks.items()}
        fall = pd.Series({n: 1 - c[3] / c[0] for n, c in ctr.items()})
        cpc_rise = pd.Series({n: c[3] / c[0] - 1 for n, c in cpc.items()})
        cpc_gap = pd.Series({n: c[3] - c[0] for n, c in cpc.items()})
        points = pd.Series({n: 100 * (c[0] - c[3]) for n, c in ctr.items()})
        frequency = pd.Series({n: w["frequency_to_date"][-1] for n, w in weeks.items()})
        tiring, weak = names["tiring"], names["weak"]
        others = fall.drop(tiring)
        first_ctr = pd.Series({n: c[0] for n, c in ctr.items()})
        if (
            fall[tiring] > 0.35
            and others.max() < 0.5 * fall[tiring]
            and others.max() < 0.2
            and first_ctr[weak] < 0.6 * first_ctr.drop(weak).min()
            and frequency.idxmax() == names["retargeting"]
            and cpc_rise.idxmax() == tiring
        ):
            break
    order = [int(i) for i in rng.permutation(4)]
    shown_roles = [ROLES[i] for i in order]
    shown_names = [names[r] for r in shown_roles]
    weekly = pd.DataFrame(
        {
            "ad_set": np.repeat(shown_names, 4),
            "week": np.tile(np.arange(1, 5), 4),
            **{
                column: np.concatenate([weeks[n][column] for n in shown_names])
                for column in (
                    "spend",
                    "impressions",
                    "reach_to_date",
                    "frequency_to_date",
                    "clicks",
                )
            },
        }
    ).astype({"impressions": int, "reach_to_date": int, "clicks": int})
    ctr_points = points
    ctr_model = (
        "fatigue_ctr = (fatigue_weeks.assign(ctr=fatigue_weeks['clicks'] / "
        "fatigue_weeks['impressions'])\n"
        "    .pivot(index='ad_set', columns='week', values='ctr'))\n"
        "fatigue_ctr_fall_pct = (100 * (1 - fatigue_ctr[4] / fatigue_ctr[1])).max()"
    )
    actions = pt["fatigue_next_step"]["actions"]
    action_of = {"tiring": 0, "weak": 1, "retargeting": 2, "healthy": 2}
    tiring_options = list(shown_names)
    tiring_why = {
        i: pt["fatigue_tiring_ad_set"]["why"][role]
        for i, role in enumerate(shown_roles)
        if role != "tiring"
    }
    # The typical slip: the high-frequency retargeting ad set sent to new creative.
    wrong_match = [0 if r == "retargeting" else action_of[r] for r in shown_roles]
    parts = (
        value_part(
            "fatigue_ctr_fall_pct",
            1,
            pt["fatigue_ctr_fall_pct"]["prompt"],
            100 * fall.max(),
            rtol=0.01,
            wrong=_far(
                100 * fall.max(),
                [
                    (ctr_points.max(), pt["fatigue_ctr_fall_pct"]["wrong"]["points"]),
                    (
                        100 * (1 - fall.max()),
                        pt["fatigue_ctr_fall_pct"]["wrong"]["kept"],
                    ),
                    (
                        100 * fall[frequency.idxmax()],
                        pt["fatigue_ctr_fall_pct"]["wrong"]["frequency"],
                    ),
                ],
                0.01,
            ),
            model=ctr_model,
        ),
        choice_part(
            "fatigue_tiring_ad_set",
            1,
            pt["fatigue_tiring_ad_set"]["prompt"],
            tiring_options,
            shown_roles.index("tiring"),
            tiring_why,
            rng=rng,
        ),
        match_part(
            "fatigue_next_step",
            1,
            pt["fatigue_next_step"]["prompt"],
            shown_names,
            actions,
            [action_of[r] for r in shown_roles],
            wrong=[(wrong_match, pt["fatigue_next_step"]["wrong"]["retargeting"])],
            rng=rng,
        ),
        value_part(
            "fatigue_cpc_rise_pct",
            1,
            pt["fatigue_cpc_rise_pct"]["prompt"].format(currency=currency),
            100 * cpc_rise.max(),
            rtol=0.01,
            wrong=_far(
                100 * cpc_rise.max(),
                [
                    (
                        cpc_gap.max(),
                        pt["fatigue_cpc_rise_pct"]["wrong"]["money"],
                    )
                ],
                0.01,
            ),
            model=(
                "fatigue_cpc = (fatigue_weeks.assign(cpc=fatigue_weeks['spend'] / "
                "fatigue_weeks['clicks'])\n"
                "    .pivot(index='ad_set', columns='week', values='cpc'))\n"
                "fatigue_cpc_rise_pct = (100 * (fatigue_cpc[4] / fatigue_cpc[1] - 1))"
                ".max()"
            ),
        ),
    )
    return Section(
        "m5_fatigue",
        "5",
        text["title"],
        text["prompt"].format(platform=platform, currency=currency),
        frame_code("fatigue_weeks", weekly),
        parts,
    )


# --- 3. Score an auction, and the changes that would win it ---------------------

RIVALS = ("Rival A", "Rival B", "Rival C")
SUMS = ["spend", "impressions", "clicks", "conversions", "revenue"]


def auction(rng: np.random.Generator) -> Section:
    text = TEXT["auction"]
    pt = text["parts"]
    currency = ("GBP", "CNY")[int(rng.integers(2))]
    money = 1.0 if currency == "GBP" else 7.0
    while True:
        k = int(rng.integers(3, 5))
        names = ["Our ad", *RIVALS[: k - 1]]
        bids = np.round(rng.uniform(1.0, 6.0, k) * money, 2)
        rates = np.round(rng.uniform(0.005, 0.04, k), 4)
        quality = np.round(rng.uniform(0.6, 1.4, k), 2)
        values = total_value(bids, rates, quality)
        winner = int(np.argmax(values))
        if winner == 0 or np.argmax(bids) == winner:
            continue  # a rival wins, and not simply by the highest bid
        ranked = np.sort(values)
        if ranked[-1] < 1.05 * ranked[-2]:
            continue  # a clear winner
        ours, best_rival = float(values[0]), float(values[1:].max())
        bid_to_win = best_rival / (rates[0] * quality[0])
        # Four single changes to our ad; which would beat the best rival?
        bid_up = int(rng.choice([20, 30, 50]))
        new_quality = round(float(quality[0] + rng.uniform(0.2, 0.6)), 2)
        new_rate = round(float(rates[0] * rng.uniform(1.2, 2.0)), 4)
        cut, with_quality = int(rng.choice([10, 20])), round(float(quality[0] * 1.5), 2)
        changes = [
            (
                pt["auction_winning_changes"]["bid"].format(
                    up=bid_up, bid=bids[0] * (1 + bid_up / 100), currency=currency
                ),
                float(total_value(bids[0] * (1 + bid_up / 100), rates[0], quality[0])),
            ),
            (
                pt["auction_winning_changes"]["quality"].format(q=new_quality),
                float(total_value(bids[0], rates[0], new_quality)),
            ),
            (
                pt["auction_winning_changes"]["rate"].format(r=100 * new_rate),
                float(total_value(bids[0], new_rate, quality[0])),
            ),
            (
                pt["auction_winning_changes"]["both"].format(cut=cut, q=with_quality),
                float(total_value(bids[0] * (1 - cut / 100), rates[0], with_quality)),
            ),
        ]
        wins = {i for i, (_, v) in enumerate(changes) if v > best_rival}
        close = any(abs(v / best_rival - 1) < 0.02 for _, v in changes)
        if 0 < len(wins) < 4 and not close:
            break
    shown = pd.DataFrame(
        {
            "advertiser": names,
            "bid": bids,
            "estimated_action_rate": rates,
            "quality": quality,
        }
    )
    options = list(names)
    top_bid, top_rate = int(np.argmax(bids)), int(np.argmax(rates))
    why = {}
    for i in range(k):
        if i == winner:
            continue
        key = "top_bid" if i == top_bid else "top_rate" if i == top_rate else "other"
        why[i] = pt["auction_winning_ad"]["why"][key]
    change_why = {
        i: pt["auction_winning_changes"]["why_loses"].format(value=v, rival=best_rival)
        for i, (_, v) in enumerate(changes)
        if i not in wins
    }
    model_values = (
        "auction_ads['total_value'] = (auction_ads['bid'] * "
        "auction_ads['estimated_action_rate'] * auction_ads['quality'])\n"
    )
    parts = (
        value_part(
            "auction_our_value",
            1,
            pt["auction_our_value"]["prompt"],
            ours,
            rtol=0.01,
            wrong=_far(
                ours,
                [
                    (
                        bids[0] * rates[0],
                        pt["auction_our_value"]["wrong"]["no_quality"],
                    ),
                    (
                        bids[0] * rates[0] + quality[0],
                        pt["auction_our_value"]["wrong"]["added"],
                    ),
                    (100 * ours, pt["auction_our_value"]["wrong"]["percent"]),
                ],
                0.01,
            ),
            model=model_values
            + "auction_our_value = auction_ads.loc[0, 'total_value']",
        ),
        choice_part(
            "auction_winning_ad",
            1,
            pt["auction_winning_ad"]["prompt"],
            options,
            winner,
            why,
            rng=rng,
        ),
        value_part(
            "auction_bid_to_win",
            1,
            pt["auction_bid_to_win"]["prompt"].format(currency=currency),
            bid_to_win,
            rtol=0.01,
            wrong=_far(
                bid_to_win,
                [
                    (bids[winner], pt["auction_bid_to_win"]["wrong"]["copy_bid"]),
                    (
                        best_rival / rates[0],
                        pt["auction_bid_to_win"]["wrong"]["no_quality"],
                    ),
                ],
                0.01,
            ),
            model=(
                "auction_best_rival = auction_ads.loc[1:, 'total_value'].max()\n"
                "auction_bid_to_win = auction_best_rival / (auction_ads.loc[0, "
                "'estimated_action_rate'] * auction_ads.loc[0, 'quality'])"
            ),
        ),
        multi_part(
            "auction_winning_changes",
            1,
            pt["auction_winning_changes"]["prompt"],
            [label for label, _ in changes],
            wins,
            change_why,
            rng=rng,
        ),
    )
    return Section(
        "m5_auction",
        "5",
        text["title"],
        text["prompt"].format(currency=currency),
        frame_code("auction_ads", shown),
        parts,
    )


# --- 4. Budget the learning phase ------------------------------------------------

LEARNING_EVENTS = 50  # Meta: about 50 optimisation events in 7 days


@cache
def _ad_set_days() -> dict[str, tuple[list[str], str, np.ndarray, np.ndarray]]:
    """Per platform: its ad sets, currency, and daily spend and purchases
    (ad set × day, over the dates every ad set of the platform ran)."""
    found: dict[str, list] = {}
    for (platform, _, ad_set), runs, _ in ad_set_weeks():
        found.setdefault(platform, []).append((ad_set, runs))
    out = {}
    for platform, sets in found.items():
        common = sorted(set.intersection(*(set(r["date"]) for _, r in sets)))
        frames = [r.set_index("date").loc[common] for _, r in sets]
        out[platform] = (
            [name for name, _ in sets],
            str(frames[0]["currency"].iloc[0]),
            np.array([f["spend"].to_numpy() for f in frames]),
            np.array([f["conversions"].to_numpy() for f in frames]),
        )
    return out


def learning(rng: np.random.Generator) -> Section:
    text = TEXT["learning"]
    pt = text["parts"]
    platforms = sorted(_ad_set_days())
    while True:
        platform = platforms[int(rng.integers(len(platforms)))]
        names, currency, spend, purchases = _ad_set_days()[platform]
        start = int(rng.integers(spend.shape[1] - 28))
        last = pd.DataFrame(
            {
                "ad_set": names,
                "currency": currency,
                "spend": np.round(spend[:, start : start + 28].sum(axis=1), 2),
                "purchases": purchases[:, start : start + 28].sum(axis=1),
            }
        )
        if (last["purchases"] < 10).any():
            continue
        cpa = last["spend"] / last["purchases"]
        # Next month's plan: a daily budget per ad set, drawn around last month's.
        plan = np.round(last["spend"] / 28 * rng.uniform(0.6, 1.6, len(last)), -1)
        plan = np.maximum(plan, 10.0)
        weekly = 7 * plan / cpa
        short = set(np.flatnonzero(weekly < LEARNING_EVENTS))
        if not short:
            continue
        if any(abs(w / LEARNING_EVENTS - 1) < 0.05 for w in weekly):
            continue  # no ad set on the line
        pooled = (
            7
            * plan[list(short)].sum()
            / (last["spend"][list(short)].sum() / last["purchases"][list(short)].sum())
        )
        if len(short) == 1:
            fix = "earlier_event"  # nothing to merge it with
        else:
            fix = "merge" if pooled >= 1.05 * LEARNING_EVENTS else "earlier_event"
            if abs(pooled / LEARNING_EVENTS - 1) < 0.05:
                continue
        break
    last["planned_daily_budget"] = plan
    asked = int(rng.integers(len(last)))
    needs = sorted(short)[int(rng.integers(len(short)))]
    needed = LEARNING_EVENTS * cpa[needs] / 7
    fixes = pt["learning_fix"]["options"]
    fix_index = {"merge": 0, "earlier_event": 1}[fix]
    fix_why = {
        0: pt["learning_fix"]["why_merge"],
        1: pt["learning_fix"]["why_earlier"],
        2: pt["learning_fix"]["why_bid"],
        3: pt["learning_fix"]["why_edit"],
    }
    del fix_why[fix_index]
    short_why = {
        i: pt["learning_short_ad_sets"]["why_enough"]
        for i in range(len(names))
        if i not in short
    }
    cpa_model = "learning_cpa = learning_ads['spend'] / learning_ads['purchases']\n"
    parts = (
        value_part(
            "learning_weekly_events",
            1,
            pt["learning_weekly_events"]["prompt"].format(ad_set=names[asked]),
            weekly[asked],
            rtol=0.01,
            wrong=_far(
                weekly[asked],
                [
                    (
                        last["purchases"][asked] / 4,
                        pt["learning_weekly_events"]["wrong"]["last_month"],
                    ),
                    (
                        plan[asked] / cpa[asked],
                        pt["learning_weekly_events"]["wrong"]["daily"],
                    ),
                ],
                0.01,
            ),
            model=cpa_model
            + "learning_events = 7 * learning_ads['planned_daily_budget'] / "
            "learning_cpa\n"
            f"learning_weekly_events = learning_events[{asked}]",
        ),
        multi_part(
            "learning_short_ad_sets",
            1,
            pt["learning_short_ad_sets"]["prompt"],
            names,
            short,
            short_why,
            rng=rng,
        ),
        value_part(
            "learning_budget_needed",
            1,
            pt["learning_budget_needed"]["prompt"].format(
                ad_set=names[needs], currency=currency
            ),
            needed,
            rtol=0.01,
            wrong=_far(
                needed,
                [
                    (
                        LEARNING_EVENTS * cpa[needs],
                        pt["learning_budget_needed"]["wrong"]["weekly"],
                    ),
                    (
                        LEARNING_EVENTS * cpa[needs] / 30,
                        pt["learning_budget_needed"]["wrong"]["monthly"],
                    ),
                ],
                0.01,
            ),
            model=f"learning_budget_needed = 50 * learning_cpa[{needs}] / 7",
        ),
        choice_part(
            "learning_fix",
            1,
            pt["learning_fix"]["prompt"],
            fixes,
            fix_index,
            fix_why,
            rng=rng,
        ),
    )
    return Section(
        "m5_learning",
        "5",
        text["title"],
        text["prompt"].format(platform=platform, currency=currency),
        frame_code("learning_ads", last),
        parts,
    )


# --- 5. Paid ratios across platforms and currencies ------------------------------


@cache
def _platform_days() -> tuple[list[str], pd.DataFrame]:
    """The export summed per date, platform and currency, and its dates."""
    ads = dataset("ad_campaigns")
    daily = (
        ads.groupby(["date", "platform", "currency"], as_index=False)[SUMS]
        .sum()
        .round({"spend": 2, "revenue": 2})
    )
    return sorted(daily["date"].unique()), daily


def cross_platform(rng: np.random.Generator) -> Section:
    text = TEXT["cross_platform"]
    pt = text["parts"]
    days, daily = _platform_days()
    sums = SUMS
    while True:
        start = int(rng.integers(len(days) - 7))
        rows = slice(3 * start, 3 * start + 21)  # three platforms a day
        shown = daily.iloc[rows].reset_index(drop=True)
        rate = round(float(rng.uniform(8.6, 9.8)), 2)  # CNY per GBP
        totals = shown.groupby("platform")[sums].sum()
        to_gbp = pd.Series({p: 1.0 if p == "Meta" else 1 / rate for p in totals.index})
        cpa = totals["spend"] / totals["conversions"] * to_gbp
        cpm = 1000 * totals["spend"] / totals["impressions"] * to_gbp
        cpc = totals["spend"] / totals["clicks"] * to_gbp
        roas = totals["revenue"] / totals["spend"]
        gaps = [np.sort(x.to_numpy()) for x in (cpa, cpc, roas)]
        if all((g[1:] / g[:-1] > 1.03).all() for g in gaps):
            break
    platforms = list(totals.index)  # sorted: Douyin, Meta, Xiaohongshu
    chinese = [p for p in platforms if p != "Meta"]
    asked = chinese[int(rng.integers(len(chinese)))]
    other = [p for p in chinese if p != asked][0]
    cheapest = str(cpa.idxmin())
    cheapest_raw = str((totals["spend"] / totals["conversions"]).idxmin())
    options = [*platforms, pt["xplatform_cheapest_conversion"]["cannot"]]
    why = {
        i: pt["xplatform_cheapest_conversion"]["why_raw"]
        if p == cheapest_raw
        else pt["xplatform_cheapest_conversion"]["why_other"]
        for i, p in enumerate(platforms)
        if p != cheapest
    }
    why[len(platforms)] = pt["xplatform_cheapest_conversion"]["why_cannot"]
    cpc_order = [platforms.index(p) for p in cpc.sort_values().index]
    raw_order = [
        platforms.index(p)
        for p in (totals["spend"] / totals["clicks"]).sort_values().index
    ]
    # Statements whose truth the week decides, and two that are always false.
    statements = pt["xplatform_true_statements"]
    cpm_lower = bool(cpm[asked] < cpm["Meta"])
    roas_higher = bool(roas[other] > roas["Meta"])
    flip_cpm, flip_roas = bool(rng.integers(2)), bool(rng.integers(2))
    items = [
        (
            statements["cpm"].format(
                platform=asked,
                direction=statements["lower" if not flip_cpm else "higher"],
            ),
            cpm_lower != flip_cpm,
        ),
        (
            statements["roas"].format(
                platform=other,
                direction=statements["higher" if not flip_roas else "lower"],
            ),
            roas_higher != flip_roas,
        ),
        (statements["sum"].format(total=totals["spend"].sum()), False),
        (statements["raw"], False),
    ]
    if not any(truth for _, truth in items):  # at least one statement holds
        items[0] = (
            statements["cpm"].format(
                platform=asked,
                direction=statements["lower" if cpm_lower else "higher"],
            ),
            True,
        )
    true_set = {i for i, (_, truth) in enumerate(items) if truth}
    statement_why = {
        i: statements["why"][("cpm", "roas", "sum", "raw")[i]]
        for i in range(4)
        if i not in true_set
    }
    cpa_model = (
        "xplatform_totals = xplatform_week.groupby('platform')"
        "[['spend', 'conversions', 'revenue', 'impressions']].sum()\n"
        f"xplatform_cpa_gbp = (xplatform_totals.loc[{asked!r}, 'spend'] / "
        f"xplatform_totals.loc[{asked!r}, 'conversions']) / xplatform_cny_per_gbp"
    )
    parts = (
        value_part(
            "xplatform_cpa_gbp",
            1,
            pt["xplatform_cpa_gbp"]["prompt"].format(platform=asked),
            cpa[asked],
            rtol=0.01,
            wrong=_far(
                cpa[asked],
                [
                    (
                        cpa[asked] * rate,
                        pt["xplatform_cpa_gbp"]["wrong"]["unconverted"],
                    ),
                    (
                        cpa[asked] * rate * rate,
                        pt["xplatform_cpa_gbp"]["wrong"]["multiplied"],
                    ),
                ],
                0.01,
            ),
            model=cpa_model,
        ),
        choice_part(
            "xplatform_cheapest_conversion",
            1,
            pt["xplatform_cheapest_conversion"]["prompt"],
            options,
            options.index(cheapest),
            why,
            rng=rng,
        ),
        order_part(
            "xplatform_cpc_order",
            1,
            pt["xplatform_cpc_order"]["prompt"],
            platforms,
            cpc_order,
            wrong=[(raw_order, pt["xplatform_cpc_order"]["wrong"]["unconverted"])]
            if raw_order != cpc_order
            else [],
            rng=rng,
        ),
        multi_part(
            "xplatform_true_statements",
            1,
            statements["prompt"],
            [label for label, _ in items],
            true_set,
            statement_why,
            rng=rng,
        ),
    )
    return Section(
        "m5_cross_platform",
        "5",
        text["title"],
        text["prompt"].format(rate=rate),
        f"xplatform_cny_per_gbp = {rate}\n" + frame_code("xplatform_week", shown),
        parts,
    )


# --- 6. A live-commerce session: the platform's "ROI" against profit -----------


def live_commerce(rng: np.random.Generator) -> Section:
    text = TEXT["live_commerce"]
    pt = text["parts"]
    target = ("keep", "fix")[int(rng.integers(2))]
    while True:
        views = int(rng.integers(150, 900)) * 1000
        entries = int(views * rng.uniform(0.08, 0.2))
        clicks = int(entries * rng.uniform(0.06, 0.2))
        orders = int(clicks * rng.uniform(0.08, 0.2))
        order_value = round(float(rng.uniform(49, 199)), 0)
        refund = round(float(rng.uniform(0.1, 0.35)), 2)
        margin = round(float(rng.uniform(0.4, 0.65)), 2)
        host, fee = round(float(rng.uniform(0.1, 0.25)), 2), 0.05
        if margin - host - fee < 0.08:
            continue
        gmv = orders * order_value
        breakeven = float(kpis.break_even_gmv_roas(refund, margin, host + fee))
        ratio = {"keep": rng.uniform(1.15, 1.6), "fix": rng.uniform(0.5, 0.87)}[target]
        spend = round(gmv / (breakeven * float(ratio)), -2)
        if spend <= 0:
            continue
        profit = gmv * (1 - refund) * (margin - host - fee) - spend
        if (profit > 0) == (target == "keep") and gmv / spend > 1.2:
            break
    session = pd.DataFrame(
        {
            "views": [views],
            "entries": [entries],
            "product_clicks": [clicks],
            "orders": [orders],
            "average_order_value": [order_value],
            "refund_rate": [refund],
            "gross_margin": [margin],
            "host_cut": [host],
            "platform_fee": [fee],
            "ad_spend": [spend],
        }
    )
    gmv_roi = gmv / spend
    options = pt["live_verdict"]["options"]
    key = 0 if target == "keep" else 1
    why = {1 - key: pt["live_verdict"]["why"]["fix" if key == 0 else "keep"]}
    why[2] = pt["live_verdict"]["why"]["stop"]
    why[3] = pt["live_verdict"]["why"]["above_one"]
    row = "live_row = live_session.iloc[0]\n"
    gmv_code = "live_gmv = live_row['orders'] * live_row['average_order_value']\n"
    parts = (
        value_part(
            "live_gmv_roi",
            1,
            pt["live_gmv_roi"]["prompt"],
            gmv_roi,
            rtol=0.01,
            wrong=_far(
                gmv_roi,
                [
                    (gmv_roi * (1 - refund), pt["live_gmv_roi"]["wrong"]["net"]),
                    (gmv_roi - 1, pt["live_gmv_roi"]["wrong"]["minus_one"]),
                ],
                0.01,
            ),
            model=row + gmv_code + "live_gmv_roi = live_gmv / live_row['ad_spend']",
        ),
        value_part(
            "live_breakeven_gmv_roi",
            1,
            pt["live_breakeven_gmv_roi"]["prompt"],
            breakeven,
            rtol=0.01,
            wrong=_far(
                breakeven,
                [
                    (1 / margin, pt["live_breakeven_gmv_roi"]["wrong"]["margin_only"]),
                    (
                        1 / (margin - host - fee),
                        pt["live_breakeven_gmv_roi"]["wrong"]["no_refunds"],
                    ),
                ],
                0.01,
            ),
            model=(
                "live_cuts = live_row['host_cut'] + live_row['platform_fee']\n"
                "live_breakeven_gmv_roi = 1 / ((1 - live_row['refund_rate']) * "
                "(live_row['gross_margin'] - live_cuts))"
            ),
        ),
        value_part(
            "live_profit_cny",
            1,
            pt["live_profit_cny"]["prompt"],
            profit,
            rtol=0.01,
            wrong=_far(
                profit,
                [
                    (gmv * margin - spend, pt["live_profit_cny"]["wrong"]["gross"]),
                    (
                        gmv * (1 - refund) * margin - spend,
                        pt["live_profit_cny"]["wrong"]["no_cuts"],
                    ),
                ],
                0.01,
            ),
            model=(
                "live_profit_cny = live_gmv * (1 - live_row['refund_rate']) * "
                "(live_row['gross_margin'] - live_cuts) - live_row['ad_spend']"
            ),
        ),
        choice_part(
            "live_verdict",
            1,
            pt["live_verdict"]["prompt"],
            options,
            key,
            why,
            rng=rng,
        ),
    )
    return Section(
        "m5_live_commerce",
        "5",
        text["title"],
        text["prompt"],
        frame_code("live_session", session),
        parts,
    )


TEMPLATES = (
    Template("m5_budget_split", "5", budget_split),
    Template("m5_fatigue", "5", fatigue),
    Template("m5_auction", "5", auction),
    Template("m5_learning", "5", learning),
    Template("m5_cross_platform", "5", cross_platform),
    Template("m5_live_commerce", "5", live_commerce),
)
