"""Module 5, paid social: the decisions of book/05-paid on the paper's own data.

Five templates: split a budget under response curves (marginal returns
equalised), find the tiring ad set and what to do with each, score an auction
and the changes that would win it, budget an ad set through its learning
phase, and read paid ratios across platforms and currencies. The wording is in
`m5_paid.yaml`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from smm_playbook.grading.items.framework import (
    Section,
    Template,
    choice_part,
    frame_code,
    match_part,
    prose_of,
    value_part,
)
from smm_playbook.sim.paid_social import CHANNELS, HillFit, deliver

TEXT = prose_of(__name__)


def _far(expected: float, pairs, rtol: float):
    """The typical wrong answers that the tolerance can tell from the right one."""
    return [
        (float(w), note)
        for w, note in pairs
        if np.isfinite(w) and abs(w - expected) > 3 * rtol * max(abs(expected), 1e-9)
    ]


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


TEMPLATES = (
    Template("m5_budget_split", "5", budget_split),
    Template("m5_fatigue", "5", fatigue),
)
