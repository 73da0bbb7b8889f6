"""The certification templates of Module 6 (ROI & analytics), over 200 seeds.

Each template: the bank's rules hold, the build is deterministic, the model
answers earn 4/4, typical mistakes get their own feedback, the keys are
recomputed here a second way, and the correct option text varies by paper.
"""

from __future__ import annotations

import numpy as np
import pytest
from smm_certbank import m6_roi

from smm_playbook.sim import attribution
from test_certbank_m5 import (
    check_template,
    checked,
    data_cell,
    frame,
    key_texts,
    part,
    says,
    sections,
)

TEMPLATES = {t.key: t for t in m6_roi.TEMPLATES}
TEXT = m6_roi.TEXT


def test_module_6_has_five_templates_with_unique_answer_names():
    assert len(TEMPLATES) >= 5
    assert all(t.module == "6" and t.key.startswith("m6_") for t in TEMPLATES.values())
    names = [p.var for t in TEMPLATES.values() for p in sections(t)[0].parts]
    assert len(names) == len(set(names))
    practice = {"cpm", "cpa", "roas", "roi_profit_pct", "incremental_conversions"}
    assert not practice & set(names)
    kinds = {p.kind for t in TEMPLATES.values() for p in sections(t)[0].parts}
    assert {"value", "choice", "multi", "order", "match"} <= kinds


# --- lift test -----------------------------------------------------------------


def test_lift_test():
    template = TEMPLATES["m6_lift_test"]
    check_template(template, {"holdout_decision"})
    options = TEXT["lift_test"]["parts"]["holdout_decision"]["options"]
    seen = set()
    for section in checked(template):
        cell = data_cell(section)
        days, margin = cell["holdout_days"], cell["holdout_gross_margin"]
        sums = days.groupby("group")[["users", "conversions", "revenue", "spend"]].sum()
        t, c = sums.loc["test"], sums.loc["control"]
        # The 95% interval of the log rate ratio, worked by hand here.
        p_t, p_c = t["conversions"] / t["users"], c["conversions"] / c["users"]
        se = np.sqrt((1 - p_t) / t["conversions"] + (1 - p_c) / c["conversions"])
        low = np.exp(np.log(p_t / p_c) - 1.959964 * se) - 1
        assert part(section, "holdout_lift_ci_low").question.expected == pytest.approx(
            100 * low, rel=1e-4
        )
        # The decision: where the iROAS interval sits against 1 ÷ margin.
        se_diff = np.sqrt(p_t * (1 - p_t) / t["users"] + p_c * (1 - p_c) / c["users"])
        value = t["revenue"] / t["conversions"] * t["users"] / t["spend"]
        ends = ((p_t - p_c) - 1.959964 * se_diff, (p_t - p_c) + 1.959964 * se_diff)
        i_low, i_high = (e * value for e in ends)
        expected = 0 if i_low > 1 / margin else 2 if i_high < 1 / margin else 1
        assert key_texts(section, "holdout_decision") == (options[expected],)
        seen.add(expected)
    assert seen == {0, 1, 2}  # scale, extend and cut all occur


def test_lift_test_feedback_on_roas_and_points():
    section = sections(TEMPLATES["m6_lift_test"])[4]
    days = frame(section, "holdout_days")
    sums = days.groupby("group")[["users", "conversions", "revenue", "spend"]].sum()
    roas = sums.loc["test", "revenue"] / sums.loc["test", "spend"]
    assert "ROAS a platform" in says(
        section, "holdout_iroas", f"holdout_iroas = {roas}"
    )
    rates = sums["conversions"] / sums["users"]
    points = 100 * (rates["test"] - rates["control"])
    assert "percentage points" in says(
        section, "holdout_lift_pct", f"holdout_lift_pct = {points}"
    )


# --- attribution ---------------------------------------------------------------


def test_attribution():
    template = TEMPLATES["m6_attribution"]
    check_template(template, {"attribution_gainer", "attribution_model_for_question"})
    questions = TEXT["attribution"]["parts"]["attribution_model_for_question"]
    answer_to = {
        questions["questions"][q]: questions["methods"][m]
        for q, m in zip(m6_roi.QUESTION_KEYS, m6_roi.METHODS, strict=True)
    }
    for section in checked(template):
        journeys = frame(section, "attribution_journeys").sort_values("timestamp")
        by_journey = journeys.groupby("journey_id")["channel"]
        last = by_journey.last().value_counts()
        first = by_journey.first().value_counts()
        gain = last.sub(first, fill_value=0)
        assert key_texts(section, "attribution_gainer") == (gain.idxmax(),)
        # Linear: each journey's purchase shared equally among its touches.
        share = 1 / journeys.groupby("journey_id")["channel"].transform("size")
        linear = share.groupby(journeys["channel"]).sum()
        value = part(section, "attribution_linear_credit")
        channel = next(c for c in attribution.CHANNELS if c in value.prompt)
        assert value.question.expected == pytest.approx(linear[channel])
        match = part(section, "attribution_model_for_question")
        items = [
            line.split(". ", 1)[1]
            for line in match.prompt.splitlines()
            if line[:2].rstrip(".").isdigit()
        ]
        expected = tuple(answer_to[item] for item in items)
        assert key_texts(section, "attribution_model_for_question") == expected


def test_attribution_feedback_when_touches_are_counted():
    for section in sections(TEMPLATES["m6_attribution"])[:30]:
        journeys = frame(section, "attribution_journeys")
        value = part(section, "attribution_linear_credit")
        channel = next(c for c in attribution.CHANNELS if c in value.prompt)
        touches = int((journeys["channel"] == channel).sum())
        if abs(touches / value.question.expected - 1) > 0.05:
            message = says(
                section,
                "attribution_linear_credit",
                f"attribution_linear_credit = {touches}",
            )
            assert "1 ÷ n" in message
            return
    raise AssertionError("no paper where counting touches differs from linear credit")


# --- payback -------------------------------------------------------------------


def test_payback():
    template = TEMPLATES["m6_payback"]
    check_template(template, {"payback_paid_back", "payback_new_customers"})
    options = TEXT["payback"]["parts"]["payback_new_customers"]["options"]
    for section in checked(template):
        cell = data_cell(section)
        campaigns, customers = cell["payback_campaigns"], cell["payback_customers"]
        profit = campaigns["attributed_revenue"] * campaigns["gross_margin"]
        paid = campaigns.loc[profit >= campaigns["spend"], "campaign"]
        assert set(key_texts(section, "payback_paid_back")) == set(paid)
        one_order = customers["average_order_value"] * customers["gross_margin"]
        lifetime = (
            one_order * customers["purchases_per_year"] * customers["lifespan_years"]
        )
        cpa = customers["cpa"]
        expected = 0 if cpa <= one_order else 1 if cpa <= lifetime else 2
        assert key_texts(section, "payback_new_customers") == (options[expected],)


def test_payback_feedback_on_roi_on_revenue():
    section = sections(TEMPLATES["m6_payback"])[9]
    campaigns = frame(section, "payback_campaigns")
    value = part(section, "payback_roi_on_profit_pct")
    row = campaigns[[f"'{c}'" in value.prompt for c in campaigns["campaign"]]].iloc[0]
    on_revenue = 100 * (row["attributed_revenue"] / row["spend"] - 1)
    assert "ROI on revenue" in says(
        section,
        "payback_roi_on_profit_pct",
        f"payback_roi_on_profit_pct = {on_revenue}",
    )


# --- incrementality ------------------------------------------------------------


def test_incrementality():
    template = TEMPLATES["m6_incrementality"]
    check_template(template, {"incrementality_cpa_order", "incrementality_over_target"})
    for section in checked(template):
        tests = frame(section, "incr_tests")
        rate = tests["control_conversions"] / tests["control_users"]
        caused = tests["test_conversions"] - rate * tests["test_users"]
        cost = (tests["spend"] / caused).set_axis(tests["ad_set"])
        assert key_texts(section, "incrementality_cpa_order") == tuple(
            cost.sort_values().index
        )
        target = float(
            part(section, "incrementality_over_target")
            .prompt.split(" is ")[1]
            .split(" ")[0]
            .replace(",", "")
        )
        assert set(key_texts(section, "incrementality_over_target")) == set(
            cost[cost > target].index
        )
        # The platform's own CPA ranks the ad sets differently: the trap is real.
        reported = tests["spend"] / tests["platform_reported_conversions"]
        assert list(np.argsort(reported.to_numpy())) != list(
            np.argsort(cost.to_numpy())
        )


def test_incrementality_feedback_on_the_reported_cpa():
    section = sections(TEMPLATES["m6_incrementality"])[1]
    tests = frame(section, "incr_tests")
    value = part(section, "incrementality_cost_per_caused")
    row = tests[[f"'{a}'" in value.prompt for a in tests["ad_set"]]].iloc[0]
    reported = row["spend"] / row["platform_reported_conversions"]
    assert "platform's CPA" in says(
        section,
        "incrementality_cost_per_caused",
        f"incrementality_cost_per_caused = {reported}",
    )


# --- media mix model -----------------------------------------------------------


def test_mmm():
    template = TEMPLATES["m6_mmm"]
    check_template(template, {"mmm_next_channel", "mmm_plan_reading"})
    options = TEXT["mmm"]["parts"]["mmm_plan_reading"]["options"]
    for section in checked(template):
        fit = frame(section, "mmm_fit").set_index("channel")
        x = fit["weekly_spend_now"]
        slope = fit["beta"] * fit["ec"] / (x + fit["ec"]) ** 2  # the curve's slope
        assert key_texts(section, "mmm_next_channel") == (slope.idxmax(),)
        reading = part(section, "mmm_plan_reading")
        channel = next(c for c in fit.index if f"puts {c} at" in reading.prompt)
        planned = float(
            reading.prompt.split("steady ")[1].split(" ")[0].replace(",", "")
        )
        beyond = planned > fit.loc[channel, "highest_weekly_spend_seen"]
        assert key_texts(section, "mmm_plan_reading") == (options[1 if beyond else 0],)


def test_mmm_feedback_on_the_average_return():
    section = sections(TEMPLATES["m6_mmm"])[6]
    fit = frame(section, "mmm_fit").set_index("channel")
    value = part(section, "mmm_next_thousand_sales")
    channel = next(c for c in fit.index if f"{c}'s steady" in value.prompt)
    row = fit.loc[channel]
    x = row["weekly_spend_now"]
    average = row["beta"] / (x + row["ec"])
    assert "average" in says(
        section, "mmm_next_thousand_sales", f"mmm_next_thousand_sales = {average}"
    )
