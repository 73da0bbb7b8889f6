"""The certification templates of Module 5 (paid social), over 200 seeds.

Each template: the bank's rules hold, the build is deterministic, the model
answers earn 4/4, typical mistakes get their own feedback, the keys are
recomputed here a second way, and the correct option text varies by paper.
The helpers at the top are shared with test_certbank_m6.py.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from smm_certbank import m5_paid

from bank_helpers import SEEDS, build, model_outcomes, rule_problems
from smm_playbook.grading.items.framework import Section, Template
from smm_playbook.sim.paid_social import HillFit, optimise

_BUILT: dict[str, list[Section]] = {}


def sections(template: Template) -> list[Section]:
    """The template's section for every seed, built once per test session."""
    if template.key not in _BUILT:
        _BUILT[template.key] = [build(template, seed) for seed in SEEDS]
    return _BUILT[template.key]


def problems(template: Template) -> list[str]:
    """`rule_problems` for every seed, on the sections already built."""
    found = []
    for seed, section in zip(SEEDS, sections(template), strict=True):
        built = Template(template.key, template.module, lambda rng, s=section: s)
        found += [f"seed {seed}: {p}" for p in rule_problems(built, seed)]
    return found


def fingerprint(section: Section) -> tuple:
    """What a paper shows and how each part is scored (the question objects are
    new classes on every build, so they are compared by content)."""
    return (
        section.key,
        section.title,
        section.prompt,
        section.data_code,
        tuple(
            (
                p.var,
                p.kind,
                p.prompt,
                p.model,
                repr(
                    sorted(
                        (k, v)
                        for k, v in vars(type(p.question)).items()
                        if not k.startswith("_")
                    )
                ),
            )
            for p in section.parts
        ),
    )


def rebuilt_differently(template: Template, seeds=range(0, 200, 8)) -> list[int]:
    return [
        s
        for s in seeds
        if fingerprint(build(template, s)) != fingerprint(sections(template)[s])
    ]


def model_failures(template: Template) -> list[tuple[int, dict]]:
    found = []
    for seed, section in zip(SEEDS, sections(template), strict=True):
        outcomes = model_outcomes(section)
        if set(outcomes.values()) != {"correct"}:
            found.append((seed, outcomes))
    return found


def part(section: Section, var: str):
    return next(p for p in section.parts if p.var == var)


def key_texts(section: Section, var: str) -> tuple[str, ...]:
    """The option TEXTS of a decision part's key (in key order)."""
    p = part(section, var)
    key = p.question.correct
    letters = sorted(key) if isinstance(key, frozenset) else list(key)
    return tuple(p.question.options[x] for x in letters)


def letters_for(section: Section, var: str, texts) -> str:
    """The answer that names these option texts, in this order."""
    options = part(section, var).question.options
    inverse = {text: letter for letter, text in options.items()}
    return ", ".join(inverse[t] for t in texts)


def frame(section: Section, name: str) -> pd.DataFrame:
    """A data frame of the paper's data cell, as the candidate gets it."""
    namespace = {"pd": pd, "io": io}
    exec(section.data_code, namespace)  # noqa: S102 - our own code
    return namespace[name]


def data_cell(section: Section) -> dict:
    namespace = {"pd": pd, "io": io}
    exec(section.data_code, namespace)  # noqa: S102 - our own code
    return namespace


def says(section: Section, var: str, code: str) -> str:
    """The grader's message when `var` is answered with `code` (run after the
    part's model, so that later parts still find the model's variables)."""
    model = part(section, var).model
    return model_outcomes(section, {var: f"{model}\n{code}"})[var]


def check_template(template: Template, decisions_that_vary: set[str]) -> None:
    assert not problems(template)
    assert not rebuilt_differently(template)
    failures = model_failures(template)
    assert not failures, failures[:2]
    for var in decisions_that_vary:
        texts = {key_texts(s, var) for s in sections(template)}
        assert len(texts) > 1, var


TEMPLATES = {t.key: t for t in m5_paid.TEMPLATES}


def checked(template: Template) -> list[Section]:
    """The papers whose keys are recomputed a second way (every fourth seed)."""
    return sections(template)[::4]


def test_module_5_has_five_templates_with_unique_answer_names():
    assert len(TEMPLATES) >= 5
    assert all(t.module == "5" and t.key.startswith("m5_") for t in TEMPLATES.values())
    names = [p.var for t in TEMPLATES.values() for p in sections(t)[0].parts]
    assert len(names) == len(set(names))
    practice = {"cpm", "cpa", "roas", "roi_profit_pct", "incremental_conversions"}
    assert not practice & set(names)
    kinds = {p.kind for t in TEMPLATES.values() for p in sections(t)[0].parts}
    assert {"value", "choice", "multi", "order", "match"} <= kinds


# --- budget split ------------------------------------------------------------------


def test_budget_split():
    template = TEMPLATES["m5_budget_split"]
    check_template(template, {"split_first_move", "split_extra_home"})
    for section in checked(template):
        curves_table = frame(section, "split_curves")
        total = data_cell(section)["split_total"]
        curves = {
            r.ad_set: HillFit(r.beta, r.ec, r.slope) for r in curves_table.itertuples()
        }
        # The key is the optimum: a fine dynamic programme agrees with it.
        best = optimise(curves, total, step=total / 400)
        budget = part(section, "split_optimal_budget")
        asked = next(n for n in curves if f"'{n}'" in budget.prompt)
        assert budget.question.expected == pytest.approx(best[asked], rel=0.02)
        # The first move: the steepest curve at the current budgets, by a step.
        step = total / 1000
        slope = {
            r.ad_set: curves[r.ad_set](r.current_daily_budget + step)
            - curves[r.ad_set](r.current_daily_budget)
            for r in curves_table.itertuples()
        }
        assert key_texts(section, "split_first_move") == (max(slope, key=slope.get),)
        # The extra 10% goes mostly where the re-optimised budget grows most.
        bigger = optimise(curves, 1.1 * total, step=total / 400)
        grows = {n: bigger[n] - best[n] for n in curves}
        assert key_texts(section, "split_extra_home") == (max(grows, key=grows.get),)


def test_budget_split_feedback_on_the_even_split():
    for section in sections(TEMPLATES["m5_budget_split"])[:40]:
        curves_table = frame(section, "split_curves")
        even = data_cell(section)["split_total"] / len(curves_table)
        budget = part(section, "split_optimal_budget")
        if abs(even / budget.question.expected - 1) > 0.1:
            message = says(
                section, "split_optimal_budget", f"split_optimal_budget = {even}"
            )
            assert "even split" in message


# --- fatigue -----------------------------------------------------------------------


def weekly_ratio(weeks: pd.DataFrame, top: str, bottom: str) -> pd.DataFrame:
    return weeks.assign(r=weeks[top] / weeks[bottom]).pivot(
        index="ad_set", columns="week", values="r"
    )


def test_fatigue():
    template = TEMPLATES["m5_fatigue"]
    check_template(template, {"fatigue_tiring_ad_set", "fatigue_next_step"})
    for section in checked(template):
        weeks = frame(section, "fatigue_weeks")
        ctr = weekly_ratio(weeks, "clicks", "impressions")
        # Tiring: CTR falls most while frequency rises; weak: low from week 1.
        fall = 1 - ctr[4] / ctr[1]
        tiring = fall.idxmax()
        assert key_texts(section, "fatigue_tiring_ad_set") == (tiring,)
        assert fall[tiring] > 0.35 and fall.drop(tiring).max() < 0.2
        frequency = weeks.groupby("ad_set")["frequency_to_date"].last()
        assert (
            frequency[tiring]
            > weeks.groupby("ad_set")["frequency_to_date"].first()[tiring]
        )
        # The weak ad set's next step is to rework it; the tiring one's, to rotate.
        weak = ctr[1].idxmin()
        match = part(section, "fatigue_next_step")
        items = [n for n in weeks["ad_set"].unique()]
        steps = dict(zip(items, key_texts(section, "fatigue_next_step"), strict=True))
        actions = m5_paid.TEXT["fatigue"]["parts"]["fatigue_next_step"]["actions"]
        assert steps[tiring] == actions[0] and steps[weak] == actions[1]
        assert actions[3] not in steps.values()  # a higher bid never fixes it
        assert match.kind == "match"


def test_fatigue_feedback_on_percentage_points():
    section = sections(TEMPLATES["m5_fatigue"])[3]
    weeks = frame(section, "fatigue_weeks")
    ctr = weekly_ratio(weeks, "clicks", "impressions")
    points = float((100 * (ctr[1] - ctr[4])).max())
    assert "percentage points" in says(
        section, "fatigue_ctr_fall_pct", f"fatigue_ctr_fall_pct = {points}"
    )


# --- auction -----------------------------------------------------------------------


def test_auction():
    template = TEMPLATES["m5_auction"]
    check_template(template, {"auction_winning_ad", "auction_winning_changes"})
    for section in checked(template):
        ads = frame(section, "auction_ads")
        value = ads["bid"] * ads["estimated_action_rate"] * ads["quality"]
        winner = ads.loc[value.idxmax(), "advertiser"]
        assert key_texts(section, "auction_winning_ad") == (winner,)
        assert winner != ads.loc[ads["bid"].idxmax(), "advertiser"]
        need = value[1:].max() / (
            ads.loc[0, "estimated_action_rate"] * ads.loc[0, "quality"]
        )
        assert part(section, "auction_bid_to_win").question.expected == pytest.approx(
            need
        )


def test_auction_feedback_when_quality_is_left_out():
    section = sections(TEMPLATES["m5_auction"])[7]
    ads = frame(section, "auction_ads")
    wrong = ads.loc[0, "bid"] * ads.loc[0, "estimated_action_rate"]
    assert "left out quality" in says(
        section, "auction_our_value", f"auction_our_value = {wrong}"
    )


# --- learning phase ----------------------------------------------------------------


def test_learning():
    template = TEMPLATES["m5_learning"]
    check_template(template, {"learning_short_ad_sets", "learning_fix"})
    options = m5_paid.TEXT["learning"]["parts"]["learning_fix"]["options"]
    for section in checked(template):
        ads = frame(section, "learning_ads")
        cpa = ads["spend"] / ads["purchases"]
        weekly = 7 * ads["planned_daily_budget"] / cpa
        short = ads[weekly < 50]
        assert set(key_texts(section, "learning_short_ad_sets")) == set(short["ad_set"])
        # Merge when the short ad sets' budgets together buy 50 a week.
        pooled = (
            7
            * short["planned_daily_budget"].sum()
            / (short["spend"].sum() / short["purchases"].sum())
        )
        fix = options[0] if len(short) > 1 and pooled >= 50 else options[1]
        assert key_texts(section, "learning_fix") == (fix,)


def test_learning_feedback_on_a_weekly_budget():
    section = sections(TEMPLATES["m5_learning"])[5]
    expected = part(section, "learning_budget_needed").question.expected
    assert "whole week" in says(
        section, "learning_budget_needed", f"learning_budget_needed = {7 * expected}"
    )


# --- platforms and currencies ------------------------------------------------------


def test_cross_platform():
    template = TEMPLATES["m5_cross_platform"]
    check_template(
        template,
        {
            "xplatform_cheapest_conversion",
            "xplatform_cpc_order",
            "xplatform_true_statements",
        },
    )
    for section in checked(template):
        cell = data_cell(section)
        week, rate = cell["xplatform_week"], cell["xplatform_cny_per_gbp"]
        totals = week.groupby("platform")[["spend", "clicks", "conversions"]].sum()
        in_gbp = np.where(totals.index == "Meta", 1.0, 1 / rate)
        cpa = totals["spend"] / totals["conversions"] * in_gbp
        assert key_texts(section, "xplatform_cheapest_conversion") == (cpa.idxmin(),)
        cpc = (totals["spend"] / totals["clicks"] * in_gbp).sort_values()
        assert key_texts(section, "xplatform_cpc_order") == tuple(cpc.index)
        # The statement that adds pounds to yuan is never true.
        assert not any(
            "sum of the spend" in t
            for t in key_texts(section, "xplatform_true_statements")
        )


def test_cross_platform_feedback_on_an_unconverted_cpa():
    section = sections(TEMPLATES["m5_cross_platform"])[2]
    cell = data_cell(section)
    expected = part(section, "xplatform_cpa_gbp").question.expected
    message = says(
        section,
        "xplatform_cpa_gbp",
        f"xplatform_cpa_gbp = {expected * cell['xplatform_cny_per_gbp']}",
    )
    assert "in yuan" in message


# --- live commerce -------------------------------------------------------------


def test_live_commerce():
    template = TEMPLATES["m5_live_commerce"]
    check_template(template, {"live_verdict"})
    options = m5_paid.TEXT["live_commerce"]["parts"]["live_verdict"]["options"]
    for section in checked(template):
        row = frame(section, "live_session").iloc[0]
        kept = (1 - row["refund_rate"]) * (
            row["gross_margin"] - row["host_cut"] - row["platform_fee"]
        )
        gmv = row["orders"] * row["average_order_value"]
        breakeven = part(section, "live_breakeven_gmv_roi").question.expected
        assert breakeven == pytest.approx(1 / kept)
        profitable = gmv * kept > row["ad_spend"]
        assert profitable == (gmv / row["ad_spend"] > breakeven)
        assert key_texts(section, "live_verdict") == (options[0 if profitable else 1],)


def test_live_commerce_feedback_on_the_net_roi():
    section = sections(TEMPLATES["m5_live_commerce"])[2]
    row = frame(section, "live_session").iloc[0]
    net = row["orders"] * row["average_order_value"] * (1 - row["refund_rate"])
    assert "净成交" in says(
        section, "live_gmv_roi", f"live_gmv_roi = {net / row['ad_spend']}"
    )
