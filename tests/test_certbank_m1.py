"""Module 1's certification templates (smm_certbank.m1_strategy).

For every template, over the bank's 200 seeds: the bank's rules hold, the build
is deterministic, the model answers earn every point, a typical wrong answer
gets its own feedback, the correct option's text varies across papers, and each
decision's key agrees with a second, independent computation from the paper's
data cell.
"""

from __future__ import annotations

import re

import pytest

from certbank_checks import (
    ModuleChecks,
    key_texts,
    parts_of,
)

pytest.importorskip("smm_certbank")
from smm_certbank import m1_strategy  # noqa: E402

CHECKS = ModuleChecks(m1_strategy.TEMPLATES, "m1_")
TEMPLATES = CHECKS.templates
sections, solved = CHECKS.sections, CHECKS.solved
globals().update(CHECKS.tests())


TEXT = m1_strategy.prose_of(m1_strategy.__name__)
KPI_OF = {
    "awareness": "deduplicated reach in the target audience",
    "engagement": "engagement rate by reach",
    "conversion": "cost per acquisition (CPA)",
    "loyalty": "customer lifetime value",
    "reputation": "net sentiment",
}


def test_kpi_fit_recomputed():
    briefs = TEXT["kpi_fit"]["parts"]["kpifit_match"]["briefs"]
    objective_of = {b: o for o, texts in briefs.items() for b in texts}
    pool = TEXT["kpi_fit"]["parts"]["kpifit_multi"]["kpis"]
    for section in sections("m1_kpi_fit"):
        parts = parts_of(section)
        items = re.findall(r"^\d\. (.+)$", parts["kpifit_objective_kpi"].prompt, re.M)
        expected = [KPI_OF[objective_of[item]] for item in items]
        assert key_texts(parts["kpifit_objective_kpi"]) == expected
        objective = re.search(
            r"has an? (\w+) objective", parts["kpifit_objective_kpis"].prompt
        )
        shown = re.findall(
            r"^- \(\w\) (.+)$", parts["kpifit_objective_kpis"].prompt, re.M
        )
        own = {k["name"] for k in pool if k["objective"] == objective.group(1)}
        assert key_texts(parts["kpifit_objective_kpis"]) == own & set(shown)


def test_smart_goals_recomputed():
    for section, namespace in zip(
        sections("m1_smart_goal"), solved("m1_smart_goal"), strict=True
    ):
        parts = parts_of(section)
        quarters = namespace["quarters"]
        best = 100 * (quarters["engagements"] / quarters["reach"]).max()
        smart = set()
        for letter, goal in re.findall(r"^([A-D])\. (.+)$", section.prompt, re.M):
            numbers = re.search(r"from [\d.]+% to ([\d.]+)%", goal)
            if (
                "engagement rate by reach" in goal
                and numbers
                and float(numbers.group(1)) <= best + 1
                and re.search(r" by (30|the end)", goal)
                and not goal.endswith("owner: the team.")
            ):
                smart.add(f"Goal {letter}")
        assert key_texts(parts["smart_complete_goals"]) == smart


def test_channel_mix_recomputed_with_the_planner():
    from smm_playbook import data
    from smm_playbook.sim.channel_planner import audiences_from, plan_reach

    audiences = audiences_from(data.load("platform_audiences"))

    pattern = r"segment is (.+) fans aged (\S+) in (.+?)\. "
    for section, namespace in zip(
        sections("m1_channel_mix"), solved("m1_channel_mix"), strict=True
    ):
        parts = parts_of(section)
        interest, band, region = re.search(pattern, section.prompt).groups()
        segments = {"region": [region], "age_band": [band], "interest": [interest]}
        plans, goal = namespace["plans"], namespace["goal"]
        reach, points = {}, {}
        for plan, rows in plans.groupby("plan"):
            activity = dict(zip(rows["channel"], rows["points"], strict=True))
            reach[plan] = plan_reach(
                activity, segments, audiences=audiences
            ).reach_share
            points[plan] = rows["points"].sum()
        meets = {p for p, r in reach.items() if r >= goal}
        assert key_texts(parts["mix_meets_goal"]) == meets
        assert key_texts(parts["mix_cheapest"]) == min(meets, key=points.get)


TIER_WORDS = {
    "calendar": "no sign-off needed",
    "template": "no sign-off needed",
    "new": "the brand owner",
    "price": "named approvers in PR or legal, within hours",
    "recall": "named approvers in PR or legal, within hours",
    "journalist": "named approvers in PR or legal, within hours",
}
MODEL_WORDS = {
    "regulated": "centralised",
    "six regions": "hub-and-spoke (coordinated)",
    "four brands": "multiple hub-and-spoke (dandelion)",
    "already knows": "holistic (honeycomb)",
}


def test_governance_recomputed():
    for section in sections("m1_governance"):
        parts = parts_of(section)
        items = re.findall(r"^\d\. (.+)$", parts["approval_tier"].prompt, re.M)
        expected = [
            next(t for w, t in TIER_WORDS.items() if w in item) for item in items
        ]
        assert key_texts(parts["approval_tier"]) == expected
        prompt = parts["org_model"].prompt
        model = next(m for w, m in MODEL_WORDS.items() if w in prompt)
        assert key_texts(parts["org_model"]) == model


def test_maturity_recomputed_with_the_model():
    from smm_playbook.sim.maturity import KEYS, assess_maturity

    for section, namespace in zip(
        sections("m1_maturity_stage"), solved("m1_maturity_stage"), strict=True
    ):
        parts = parts_of(section)
        statements = namespace["statements"]
        orgs = [c for c in statements.columns if c not in ("stage", "statement")]
        results = {
            o: assess_maturity(dict(zip(KEYS, map(bool, statements[o]), strict=True)))
            for o in orgs
        }
        assert key_texts(parts["maturity_most_advanced"]) == max(
            orgs, key=lambda o: results[o].stage
        )
        org = re.search(r"column `([^`]+)`", parts["maturity_next_needs"].prompt).group(
            1
        )
        assert key_texts(parts["maturity_next_needs"]) == set(results[org].missing)
