"""Module 6, ROI & analytics: the decisions of book/06-roi on the paper's own data.

Five templates: read a holdout lift test with its confidence intervals and
decide, credit journeys under attribution models and choose the model (or the
experiment) that answers each question, compute ROI on profit and whether each
campaign paid back, set platform-reported conversions against incremental ones,
and read a media mix model's curves, including where they are only an
assumption. The wording is in `m6_roi.yaml`.
"""

from __future__ import annotations

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
from smm_playbook.sim import attribution

TEXT = prose_of(__name__)


def _far(expected: float, pairs, rtol: float):
    """The typical wrong answers that the tolerance can tell from the right one."""
    return distinct_wrong(expected, pairs, 3 * rtol)


# --- 1. Read a holdout lift test and decide ----------------------------------------

DECISIONS = ("scale", "extend", "cut")


def _lift_days(rng, days, users_a_day, holdout, base, lift, order_value, spend):
    start = pd.Timestamp("2026-10-05") + pd.Timedelta(days=7 * int(rng.integers(6)))
    dates = [(start + pd.Timedelta(days=d)).strftime("%Y-%m-%d") for d in range(days)]
    rows = []
    for date in dates:
        users = int(users_a_day * rng.uniform(0.85, 1.15))
        control = int(round(users * holdout))
        for group, size, rate in (
            ("test", users - control, base * (1 + lift)),
            ("control", control, base),
        ):
            conversions = int(rng.binomial(size, rate))
            revenue = round(float(conversions * order_value * rng.uniform(0.9, 1.1)), 2)
            cost = (
                round(float(spend * rng.uniform(0.9, 1.1)), 2)
                if group == "test"
                else 0.0
            )
            rows.append((date, group, size, conversions, revenue, cost))
    return pd.DataFrame(
        rows, columns=["date", "group", "users", "conversions", "revenue", "spend"]
    )


def _lift_reading(frame: pd.DataFrame, margin: float) -> dict:
    sums = frame.groupby("group")[["users", "conversions", "revenue", "spend"]].sum()
    t, c = sums.loc["test"], sums.loc["control"]
    args = (t["conversions"], t["users"], c["conversions"], c["users"])
    extra_revenue = t["revenue"] - c["revenue"] / c["users"] * t["users"]
    low, high = kpis.iroas_interval(
        *args, revenue_per_conversion=t["revenue"] / t["conversions"], spend=t["spend"]
    )
    breakeven = 1 / margin
    decision = "scale" if low > breakeven else "cut" if high < breakeven else "extend"
    rate_t, rate_c = t["conversions"] / t["users"], c["conversions"] / c["users"]
    return {
        "lift": float(kpis.lift(rate_t, rate_c)),
        "points": float(rate_t - rate_c),
        "counts": float(t["conversions"] / c["conversions"] - 1),
        "ci": kpis.lift_interval(*args),
        "ci90": kpis.lift_interval(*args, confidence=0.90),
        "iroas": float(kpis.iroas(extra_revenue, t["spend"])),
        "roas": float(t["revenue"] / t["spend"]),
        "iroas_ci": (low, high),
        "breakeven": breakeven,
        "decision": decision,
        "clear": min(abs(low / breakeven - 1), abs(high / breakeven - 1)) > 0.03,
    }


def lift_test(rng: np.random.Generator) -> Section:
    text = TEXT["lift_test"]
    pt = text["parts"]
    target = DECISIONS[int(rng.integers(3))]
    margin = round(float(rng.uniform(0.3, 0.6)), 2)
    while True:
        days = int(rng.choice([14, 21, 28]))
        users_a_day = float(rng.uniform(3_000, 20_000))
        holdout = float(rng.choice([0.1, 0.15, 0.2, 0.25]))
        base = float(rng.uniform(0.01, 0.03))
        order_value = round(float(rng.uniform(25, 60)), 2)
        # The ads' true iROAS, relative to break-even, sets the drawn lift.
        goal = {"scale": 1.6, "extend": 1.0, "cut": 0.45}[target]
        iroas = goal * float(rng.uniform(0.8, 1.25)) / margin
        spend = float(rng.uniform(800, 4_000))
        lift = iroas * spend / (users_a_day * (1 - holdout) * base * order_value)
        if not 0.02 < lift < 1.5:
            continue
        frame = _lift_days(
            rng, days, users_a_day, holdout, base, lift, order_value, spend
        )
        reading = _lift_reading(frame, margin)
        if reading["decision"] == target and reading["clear"]:
            break
    options = pt["holdout_decision"]["options"]
    index = {"scale": 0, "extend": 1, "cut": 2}
    why = {
        i: pt["holdout_decision"]["why"][DECISIONS[i]]
        for i in range(3)
        if DECISIONS[i] != target
    }
    why[3] = pt["holdout_decision"]["why"]["roas"]
    sums_model = (
        "from smm_playbook import kpis\n\n"
        "holdout_sums = holdout_days.groupby('group')"
        "[['users', 'conversions', 'revenue', 'spend']].sum()\n"
        "holdout_t, holdout_c = holdout_sums.loc['test'], holdout_sums.loc['control']\n"
    )
    lift_pct = 100 * reading["lift"]
    parts = (
        value_part(
            "holdout_lift_pct",
            1,
            pt["holdout_lift_pct"]["prompt"],
            lift_pct,
            rtol=0.01,
            wrong=_far(
                lift_pct,
                [
                    (
                        100 * reading["points"],
                        pt["holdout_lift_pct"]["wrong"]["points"],
                    ),
                    (
                        100 * reading["counts"],
                        pt["holdout_lift_pct"]["wrong"]["counts"],
                    ),
                ],
                0.01,
            ),
            model=sums_model + "holdout_lift_pct = 100 * kpis.lift("
            "holdout_t['conversions'] / holdout_t['users'], "
            "holdout_c['conversions'] / holdout_c['users'])",
        ),
        value_part(
            "holdout_lift_ci_low",
            1,
            pt["holdout_lift_ci_low"]["prompt"],
            100 * reading["ci"][0],
            rtol=0.02,
            wrong=_far(
                100 * reading["ci"][0],
                [
                    (lift_pct, pt["holdout_lift_ci_low"]["wrong"]["estimate"]),
                    (
                        100 * reading["ci90"][0],
                        pt["holdout_lift_ci_low"]["wrong"]["ci90"],
                    ),
                    (reading["ci"][0], pt["holdout_lift_ci_low"]["wrong"]["fraction"]),
                ],
                0.02,
            ),
            model=(
                "holdout_args = (holdout_t['conversions'], holdout_t['users'], "
                "holdout_c['conversions'], holdout_c['users'])\n"
                "holdout_lift_ci_low = 100 * kpis.lift_interval(*holdout_args)[0]"
            ),
        ),
        value_part(
            "holdout_iroas",
            1,
            pt["holdout_iroas"]["prompt"],
            reading["iroas"],
            rtol=0.01,
            wrong=_far(
                reading["iroas"],
                [(reading["roas"], pt["holdout_iroas"]["wrong"]["roas"])],
                0.01,
            ),
            model=(
                "holdout_extra = holdout_t['revenue'] - holdout_c['revenue'] / "
                "holdout_c['users'] * holdout_t['users']\n"
                "holdout_iroas = holdout_extra / holdout_t['spend']"
            ),
        ),
        choice_part(
            "holdout_decision",
            1,
            pt["holdout_decision"]["prompt"],
            options,
            index[target],
            why,
            rng=rng,
        ),
    )
    return Section(
        "m6_lift_test",
        "6",
        text["title"],
        text["prompt"].format(
            days=days, holdout=holdout, margin=margin, breakeven=1 / margin
        ),
        f"holdout_gross_margin = {margin}\n" + frame_code("holdout_days", frame),
        parts,
    )


# --- 2. Attribution: credit under the models, and the model for each question --------

QUESTION_KEYS = (
    "introduces",
    "closes",
    "caused",
    "opener_and_closer",
    "recent",
    "every_touch",
    "learned",
)
METHODS = (
    "first_click",
    "last_click",
    "lift_test",
    "position_based",
    "time_decay",
    "linear",
    "data_driven",
)


def _journeys(rng: np.random.Generator) -> pd.DataFrame:
    journeys = attribution.generate_journeys(users=80, seed=int(rng.integers(2**31)))
    bought = journeys[journeys["converted"] == 1]
    return bought[["journey_id", "timestamp", "channel", "converted"]].reset_index(
        drop=True
    )


def attribution_models(rng: np.random.Generator) -> Section:
    text = TEXT["attribution"]
    pt = text["parts"]
    while True:
        journeys = _journeys(rng)
        if journeys["journey_id"].nunique() < 8:
            continue
        touches = attribution._arrays(journeys)  # sorted once for the three models
        last = attribution.MODELS["last click"](touches)
        first = attribution.MODELS["first click"](touches)
        linear = attribution.MODELS["linear"](touches)
        gain = (last - first).sort_values()
        if gain.iloc[-1] - gain.iloc[-2] < 1:
            continue  # one clear gainer
        present = [c for c in attribution.CHANNELS if linear[c] > 0]
        if len(present) < 3:
            continue
        break
    asked_last, asked_linear = (
        present[int(i)] for i in rng.choice(len(present), 2, replace=False)
    )
    gainer = str(gain.index[-1])
    channels = list(attribution.CHANNELS)
    gainer_why = {
        i: pt["attribution_gainer"]["why_loser"]
        if gain[c] < 0
        else pt["attribution_gainer"]["why_other"]
        for i, c in enumerate(channels)
        if c != gainer
    }
    asked = [int(i) for i in rng.choice(len(QUESTION_KEYS), 4, replace=False)]
    questions = [
        pt["attribution_model_for_question"]["questions"][QUESTION_KEYS[i]]
        for i in asked
    ]
    methods = [pt["attribution_model_for_question"]["methods"][m] for m in METHODS]
    matches = asked  # question i is answered by METHODS[i]
    # The typical slip: a model of credit where only an experiment answers.
    slip = [
        METHODS.index("data_driven") if QUESTION_KEYS[i] == "caused" else i
        for i in asked
    ]
    model_import = "from smm_playbook.sim import attribution\n\n"
    parts = (
        value_part(
            "attribution_last_click_credit",
            1,
            pt["attribution_last_click_credit"]["prompt"].format(channel=asked_last),
            last[asked_last],
            rtol=0.005,
            wrong=_far(
                last[asked_last],
                [
                    (
                        first[asked_last],
                        pt["attribution_last_click_credit"]["wrong"]["first"],
                    ),
                    (
                        float((journeys["channel"] == asked_last).sum()),
                        pt["attribution_last_click_credit"]["wrong"]["touches"],
                    ),
                ],
                0.005,
            ),
            model=model_import + "attribution_last_click_credit = "
            f"attribution.last_click(attribution_journeys)[{asked_last!r}]",
        ),
        value_part(
            "attribution_linear_credit",
            1,
            pt["attribution_linear_credit"]["prompt"].format(channel=asked_linear),
            linear[asked_linear],
            rtol=0.005,
            wrong=_far(
                linear[asked_linear],
                [
                    (
                        float((journeys["channel"] == asked_linear).sum()),
                        pt["attribution_linear_credit"]["wrong"]["touches"],
                    ),
                    (
                        float(
                            journeys.loc[
                                journeys["channel"] == asked_linear, "journey_id"
                            ].nunique()
                        ),
                        pt["attribution_linear_credit"]["wrong"]["journeys"],
                    ),
                ],
                0.005,
            ),
            model="attribution_linear_credit = "
            f"attribution.linear(attribution_journeys)[{asked_linear!r}]",
        ),
        choice_part(
            "attribution_gainer",
            1,
            pt["attribution_gainer"]["prompt"],
            channels,
            channels.index(gainer),
            gainer_why,
            rng=rng,
        ),
        match_part(
            "attribution_model_for_question",
            1,
            pt["attribution_model_for_question"]["prompt"],
            questions,
            methods,
            matches,
            wrong=[(slip, pt["attribution_model_for_question"]["wrong"]["caused"])]
            if slip != matches
            else [],
            rng=rng,
        ),
    )
    return Section(
        "m6_attribution",
        "6",
        text["title"],
        text["prompt"],
        frame_code("attribution_journeys", journeys),
        parts,
    )


# --- 3. ROI on profit, and which campaigns paid back ------------------------------

CAMPAIGNS = (
    ("Meta · Summer iced tea", "GBP"),
    ("Meta · Gift boxes", "GBP"),
    ("Douyin · Live commerce", "CNY"),
    ("Douyin · Auto-targeting", "CNY"),
    ("Xiaohongshu · Juguang search", "CNY"),
    ("WeChat Moments · Mooncake gift sets", "CNY"),
)
VERDICTS = ("first_order", "lifetime", "never")


def payback(rng: np.random.Generator) -> Section:
    text = TEXT["payback"]
    pt = text["parts"]
    while True:
        picked = [
            CAMPAIGNS[int(i)] for i in rng.choice(len(CAMPAIGNS), 3, replace=False)
        ]
        spend = np.array(
            [
                round(float(rng.uniform(5, 40)) * (8 if c == "CNY" else 1), 1) * 1000
                for _, c in picked
            ]
        )
        margin = np.round(rng.uniform(0.25, 0.65, 3), 2)
        roas = rng.uniform(1.2, 4.5, 3)
        revenue = np.round(spend * roas, -2)
        roi = revenue * margin / spend - 1
        paid = set(np.flatnonzero(roi >= 0))
        if not paid or len(paid) == 3 or np.abs(roi).min() < 0.03:
            continue
        # A campaign the ROAS calls a success that lost money: the trap.
        if not any(
            r > 1.5 and x < 0 for r, x in zip(revenue / spend, roi, strict=True)
        ):
            continue
        break
    asked_roi, asked_even = (int(i) for i in rng.choice(3, 2, replace=False))
    names = [n for n, _ in picked]
    table = pd.DataFrame(
        {
            "campaign": names,
            "currency": [c for _, c in picked],
            "spend": spend,
            "attributed_revenue": revenue,
            "gross_margin": margin,
        }
    )
    # New customers from one campaign: does the CPA pay back over their lifetime?
    verdict = VERDICTS[int(rng.integers(3))]
    while True:
        order_value = round(float(rng.uniform(30, 80)), 0)
        buy_margin = round(float(rng.uniform(0.3, 0.6)), 2)
        per_year = int(rng.integers(2, 7))
        years = int(rng.integers(1, 4))
        first_margin = order_value * buy_margin
        clv = kpis.clv(order_value, per_year, years, buy_margin)
        cpa = round(
            float(
                {
                    "first_order": rng.uniform(0.4, 0.85) * first_margin,
                    "lifetime": rng.uniform(1.2 * first_margin, 0.85 * clv),
                    "never": rng.uniform(1.15, 1.6) * clv,
                }[verdict]
            ),
            2,
        )
        if clv > 1.5 * first_margin:
            break
    customers = {
        "campaign": names[0],
        "cpa": cpa,
        "average_order_value": order_value,
        "purchases_per_year": per_year,
        "lifespan_years": years,
        "gross_margin": buy_margin,
    }
    verdict_options = pt["payback_new_customers"]["options"]
    verdict_why = {
        i: pt["payback_new_customers"]["why"][v]
        for i, v in enumerate(VERDICTS)
        if v != verdict
    }
    verdict_why[3] = pt["payback_new_customers"]["why"]["roas"]
    roi_pct = 100 * roi[asked_roi]
    paid_why = {
        i: pt["payback_paid_back"]["why_lost"].format(roas=revenue[i] / spend[i])
        for i in range(3)
        if i not in paid
    }
    parts = (
        value_part(
            "payback_roi_on_profit_pct",
            1,
            pt["payback_roi_on_profit_pct"]["prompt"].format(campaign=names[asked_roi]),
            roi_pct,
            rtol=0.01,
            wrong=_far(
                roi_pct,
                [
                    (
                        100 * (revenue[asked_roi] / spend[asked_roi] - 1),
                        pt["payback_roi_on_profit_pct"]["wrong"]["revenue"],
                    ),
                    (
                        100 * revenue[asked_roi] / spend[asked_roi],
                        pt["payback_roi_on_profit_pct"]["wrong"]["roas"],
                    ),
                ],
                0.01,
            ),
            model=(
                "payback_roi = payback_campaigns['attributed_revenue'] * "
                "payback_campaigns['gross_margin'] / payback_campaigns['spend'] - 1\n"
                f"payback_roi_on_profit_pct = 100 * payback_roi[{asked_roi}]"
            ),
        ),
        value_part(
            "payback_breakeven_roas",
            1,
            pt["payback_breakeven_roas"]["prompt"].format(campaign=names[asked_even]),
            1 / margin[asked_even],
            rtol=0.01,
            wrong=_far(
                1 / margin[asked_even],
                [
                    (1.0, pt["payback_breakeven_roas"]["wrong"]["one"]),
                    (
                        margin[asked_even],
                        pt["payback_breakeven_roas"]["wrong"]["margin"],
                    ),
                ],
                0.01,
            ),
            model="payback_breakeven_roas = 1 / payback_campaigns.loc["
            f"{asked_even}, 'gross_margin']",
        ),
        multi_part(
            "payback_paid_back",
            1,
            pt["payback_paid_back"]["prompt"],
            names,
            paid,
            paid_why,
            rng=rng,
        ),
        choice_part(
            "payback_new_customers",
            1,
            pt["payback_new_customers"]["prompt"].format(campaign=names[0]),
            verdict_options,
            VERDICTS.index(verdict),
            verdict_why,
            rng=rng,
        ),
    )
    customer_code = (
        "payback_customers = {"
        + ", ".join(f"{k!r}: {v!r}" for k, v in customers.items())
        + "}"
    )
    return Section(
        "m6_payback",
        "6",
        text["title"],
        text["prompt"],
        frame_code("payback_campaigns", table) + "\n\n" + customer_code,
        parts,
    )


# --- 4. Platform-reported against incremental conversions ---------------------------

AD_SETS = (
    "Retargeting 30 days",
    "Past buyers 180 days",
    "Lookalike 1%",
    "Interest: tea lovers",
    "Broad 18-34",
    "Cart abandoners 7 days",
)
WARM = ("Retargeting 30 days", "Past buyers 180 days", "Cart abandoners 7 days")


def incrementality(rng: np.random.Generator) -> Section:
    text = TEXT["incrementality"]
    pt = text["parts"]
    currency = ("GBP", "EUR")[int(rng.integers(2))]
    while True:
        names = [AD_SETS[int(i)] for i in rng.choice(len(AD_SETS), 3, replace=False)]
        rows = []
        for name in names:
            warm = name in WARM  # people about to buy anyway: a small lift
            users = int(rng.uniform(40_000, 200_000))
            holdout = float(rng.choice([0.1, 0.2]))
            control_users = int(users * holdout)
            test_users = users - control_users
            base = float(rng.uniform(0.02, 0.05) if warm else rng.uniform(0.004, 0.012))
            lift = float(rng.uniform(0.03, 0.15) if warm else rng.uniform(0.2, 0.8))
            test_conv = int(rng.binomial(test_users, base * (1 + lift)))
            control_conv = int(rng.binomial(control_users, base))
            reported = int(test_conv * rng.uniform(0.6, 0.9))
            spend = round(float(rng.uniform(3_000, 15_000)), 0)
            rows.append(
                (
                    name,
                    spend,
                    reported,
                    test_users,
                    test_conv,
                    control_users,
                    control_conv,
                )
            )
        table = pd.DataFrame(
            rows,
            columns=[
                "ad_set",
                "spend",
                "platform_reported_conversions",
                "test_users",
                "test_conversions",
                "control_users",
                "control_conversions",
            ],
        )
        extra = kpis.incremental_conversions(
            table["test_conversions"],
            table["test_users"],
            table["control_conversions"],
            table["control_users"],
        )
        if (extra < 20).any():
            continue
        icpa = table["spend"] / extra
        reported_cpa = table["spend"] / table["platform_reported_conversions"]
        ranked = np.sort(icpa.to_numpy())
        if (ranked[1:] / ranked[:-1] < 1.1).any():
            continue
        target = round(float(np.median(icpa) * rng.uniform(0.8, 1.25)), 0)
        over = set(np.flatnonzero(icpa > target))
        if not over or len(over) == 3 or (np.abs(icpa / target - 1) < 0.05).any():
            continue
        if list(np.argsort(icpa)) == list(np.argsort(reported_cpa)):
            continue  # the platform's ranking must mislead
        break
    asked_share, asked_cpa = (int(i) for i in rng.choice(3, 2, replace=False))
    share = (
        100 * extra[asked_share] / table["platform_reported_conversions"][asked_share]
    )
    naive = table["test_conversions"] - table["control_conversions"]
    order = [int(i) for i in np.argsort(icpa.to_numpy())]
    reported_order = [int(i) for i in np.argsort(reported_cpa.to_numpy())]
    extra_model = (
        "from smm_playbook import kpis\n\n"
        "incr_extra = kpis.incremental_conversions(incr_tests['test_conversions'], "
        "incr_tests['test_users'], incr_tests['control_conversions'], "
        "incr_tests['control_users'])\n"
    )
    over_why = {
        i: pt["incrementality_over_target"]["why_under"]
        for i in range(3)
        if i not in over
    }
    parts = (
        value_part(
            "incrementality_share_pct",
            1,
            pt["incrementality_share_pct"]["prompt"].format(ad_set=names[asked_share]),
            share,
            rtol=0.01,
            wrong=_far(
                share,
                [
                    (
                        100
                        * naive[asked_share]
                        / table["platform_reported_conversions"][asked_share],
                        pt["incrementality_share_pct"]["wrong"]["counts"],
                    ),
                    (100.0, pt["incrementality_share_pct"]["wrong"]["all"]),
                ],
                0.01,
            ),
            model=extra_model + "incrementality_share_pct = 100 * incr_extra["
            f"{asked_share}] / incr_tests.loc[{asked_share}, "
            "'platform_reported_conversions']",
        ),
        value_part(
            "incrementality_cost_per_caused",
            1,
            pt["incrementality_cost_per_caused"]["prompt"].format(
                ad_set=names[asked_cpa], currency=currency
            ),
            icpa[asked_cpa],
            rtol=0.01,
            wrong=_far(
                icpa[asked_cpa],
                [
                    (
                        reported_cpa[asked_cpa],
                        pt["incrementality_cost_per_caused"]["wrong"]["reported"],
                    ),
                    (
                        table["spend"][asked_cpa]
                        / table["test_conversions"][asked_cpa],
                        pt["incrementality_cost_per_caused"]["wrong"]["all"],
                    ),
                ],
                0.01,
            ),
            model="incr_cpa = incr_tests['spend'] / incr_extra\n"
            f"incrementality_cost_per_caused = incr_cpa[{asked_cpa}]",
        ),
        order_part(
            "incrementality_cpa_order",
            1,
            pt["incrementality_cpa_order"]["prompt"],
            names,
            order,
            wrong=[
                (reported_order, pt["incrementality_cpa_order"]["wrong"]["reported"])
            ],
            rng=rng,
        ),
        multi_part(
            "incrementality_over_target",
            1,
            pt["incrementality_over_target"]["prompt"].format(
                target=target, currency=currency
            ),
            names,
            over,
            over_why,
            rng=rng,
        ),
    )
    return Section(
        "m6_incrementality",
        "6",
        text["title"],
        text["prompt"].format(currency=currency),
        frame_code("incr_tests", table),
        parts,
    )


# --- 5. Read a media mix model ---------------------------------------------------

# Two markets: a UK brand's channels in pounds, a Chinese brand's in yuan.
MMM_MARKETS = {
    "GBP": ("Paid social", "Search", "Online video", "Creators"),
    "CNY": ("Douyin", "Xiaohongshu", "WeChat Moments", "Bilibili"),
}


def _sales(beta, ec, x):
    """A Hill curve of slope 1: beta × x ÷ (x + ec)."""
    return beta * x / (x + ec)


def mmm_reading(rng: np.random.Generator) -> Section:
    text = TEXT["mmm"]
    pt = text["parts"]
    currency = ("GBP", "CNY")[int(rng.integers(2))]
    pool = MMM_MARKETS[currency]
    while True:
        k = int(rng.integers(2, 4))
        names = [pool[int(i)] for i in rng.choice(len(pool), k, replace=False)]
        beta = np.round(rng.uniform(150, 600, k), 0)
        ec = np.round(rng.uniform(5, 30, k), 1)
        spend = np.round(rng.uniform(0.3, 2.0, k) * ec, 1)
        top = np.round(spend * rng.uniform(1.2, 2.2, k), 1)
        decay = np.round(rng.uniform(0.05, 0.6, k), 2)
        response = _sales(beta, ec, spend)
        nxt = _sales(beta, ec, spend + 1) - response
        average = response / spend
        if np.argmax(nxt) == np.argmax(average):
            continue
        ranked = np.sort(nxt)
        if ranked[-1] < 1.1 * ranked[-2]:
            continue
        break
    asked_now, asked_next = (int(i) for i in rng.choice(k, 2, replace=False))
    plan = int(rng.integers(k))
    beyond = bool(rng.integers(2))
    if beyond:
        planned = round(float(top[plan] * rng.uniform(1.3, 2.0)), 1)
    else:
        planned = round(float(rng.uniform(spend[plan], 0.95 * top[plan])), 1)
    table = pd.DataFrame(
        {
            "channel": names,
            "beta": beta,
            "ec": ec,
            "decay": decay,
            "weekly_spend_now": spend,
            "highest_weekly_spend_seen": top,
        }
    )
    curve_model = (
        "mmm_curve = lambda row, x: row['beta'] * x / (x + row['ec'])\n"
        "mmm_rows = mmm_fit.set_index('channel')\n"
    )
    channel_why = {
        i: pt["mmm_next_channel"]["why_average"]
        if i == int(np.argmax(average))
        else pt["mmm_next_channel"]["why_other"]
        for i in range(k)
        if i != int(np.argmax(nxt))
    }
    reading_options = pt["mmm_plan_reading"]["options"]
    reading_key = 1 if beyond else 0
    reading_why = {
        1 - reading_key: pt["mmm_plan_reading"]["why"][
            "inside" if beyond else "beyond"
        ],
        2: pt["mmm_plan_reading"]["why"]["r2"],
        3: pt["mmm_plan_reading"]["why"]["useless"],
    }
    now = response[asked_now]
    gain = nxt[asked_next]
    parts = (
        value_part(
            "mmm_weekly_sales_from_channel",
            1,
            pt["mmm_weekly_sales_from_channel"]["prompt"].format(
                channel=names[asked_now]
            ),
            now,
            rtol=0.01,
            wrong=_far(
                now,
                [
                    (
                        beta[asked_now],
                        pt["mmm_weekly_sales_from_channel"]["wrong"]["beta"],
                    ),
                    (
                        beta[asked_now] * spend[asked_now] / ec[asked_now],
                        pt["mmm_weekly_sales_from_channel"]["wrong"]["linear"],
                    ),
                    (
                        _sales(
                            beta[asked_now],
                            ec[asked_now],
                            (1 - decay[asked_now]) * spend[asked_now],
                        ),
                        pt["mmm_weekly_sales_from_channel"]["wrong"]["decay"],
                    ),
                ],
                0.01,
            ),
            model=curve_model + "mmm_weekly_sales_from_channel = mmm_curve("
            f"mmm_rows.loc[{names[asked_now]!r}], "
            f"mmm_rows.loc[{names[asked_now]!r}, 'weekly_spend_now'])",
        ),
        value_part(
            "mmm_next_thousand_sales",
            1,
            pt["mmm_next_thousand_sales"]["prompt"].format(
                channel=names[asked_next], currency=currency
            ),
            gain,
            rtol=0.01,
            wrong=_far(
                gain,
                [
                    (
                        average[asked_next],
                        pt["mmm_next_thousand_sales"]["wrong"]["average"],
                    )
                ],
                0.01,
            ),
            model=(
                f"mmm_row = mmm_rows.loc[{names[asked_next]!r}]\n"
                "mmm_next_thousand_sales = mmm_curve(mmm_row, "
                "mmm_row['weekly_spend_now'] + 1) - mmm_curve(mmm_row, "
                "mmm_row['weekly_spend_now'])"
            ),
        ),
        choice_part(
            "mmm_next_channel",
            1,
            pt["mmm_next_channel"]["prompt"].format(currency=currency),
            names,
            int(np.argmax(nxt)),
            channel_why,
            rng=rng,
        ),
        choice_part(
            "mmm_plan_reading",
            1,
            pt["mmm_plan_reading"]["prompt"].format(
                channel=names[plan], planned=planned, currency=currency
            ),
            reading_options,
            reading_key,
            reading_why,
            rng=rng,
        ),
    )
    return Section(
        "m6_mmm",
        "6",
        text["title"],
        text["prompt"].format(currency=currency),
        frame_code("mmm_fit", table),
        parts,
    )


TEMPLATES = (
    Template("m6_lift_test", "6", lift_test),
    Template("m6_attribution", "6", attribution_models),
    Template("m6_payback", "6", payback),
    Template("m6_incrementality", "6", incrementality),
    Template("m6_mmm", "6", mmm_reading),
)
