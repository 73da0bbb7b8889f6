"""Module 1's certification templates (smm_certbank.m1_strategy).

For every template, over the bank's 200 seeds: the bank's rules hold, the build
is deterministic, the model answers earn every point, a typical wrong answer
gets its own feedback, the correct option's text varies across papers, and each
decision's key agrees with a second, independent computation from the paper's
data cell.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from bank_helpers import SEEDS, build, model_namespace, model_outcomes, rule_problems
from smm_playbook.checks import PLACEHOLDER, Incorrect
from smm_playbook.grading.items.framework import Template

pytest.importorskip("smm_certbank")
from smm_certbank import m1_strategy  # noqa: E402

TEMPLATES = {t.key: t for t in m1_strategy.TEMPLATES}
DETERMINISM_SEEDS = range(25)
FEEDBACK_SEEDS = range(12)


@cache
def sections(key: str) -> tuple:
    return tuple(build(TEMPLATES[key], seed) for seed in SEEDS)


@cache
def solved(key: str) -> tuple:
    """The namespace after each paper's data cell and model answers."""
    return tuple(model_namespace(section) for section in sections(key))


def scored(section, namespace) -> dict[str, str]:
    """{var: "correct" | message}, as `model_outcomes` scores a namespace."""
    outcomes = {}
    for part in section.parts:
        value = namespace.get(part.var, PLACEHOLDER)
        value = value.item() if hasattr(value, "item") else value
        try:
            part.question.grade({part.var: value})
            outcomes[part.var] = "correct"
        except Incorrect as wrong:
            outcomes[part.var] = str(wrong)
    return outcomes


def key_texts(part):
    """The option texts the key names: one text, a set, or a list in order."""
    q = part.question
    if part.kind == "choice":
        return q.options[q.correct]
    if part.kind == "multi":
        return {q.options[x] for x in q.correct}
    return [q.options[x] for x in q.correct]


def fingerprint(section) -> tuple:
    """Everything a paper shows and scores, comparable across two builds."""
    parts = []
    for p in section.parts:
        q = p.question
        parts.append(
            (p.var, p.kind, p.prompt, p.model, p.key, getattr(q, "expected", None),
             tuple((m.answer, m.message) for m in getattr(q, "misconceptions", ())),
             dict(getattr(q, "why", {})), dict(getattr(q, "wrong", {})))
        )  # fmt: skip
    return (section.key, section.title, section.prompt, section.data_code, parts)


def with_wrong(part, answer) -> dict:
    """An override that keeps the part's own working and then sets `answer`."""
    code = f"{part.model}\n" if part.model else ""
    return {part.var: f"{code}{part.var} = {answer!r}"}


def parts_of(section) -> dict:
    return {part.var: part for part in section.parts}


def test_module_has_five_templates_with_unique_answer_names():
    assert len(TEMPLATES) >= 5
    names = [p.var for key in TEMPLATES for p in sections(key)[0].parts]
    assert len(names) == len(set(names))
    assert all(key.startswith("m1_") for key in TEMPLATES)


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_rules_models_and_determinism(key):
    template = TEMPLATES[key]
    papers = zip(SEEDS, sections(key), solved(key), strict=True)
    for seed, section, namespace in papers:
        fixed = Template(template.key, template.module, lambda rng, s=section: s)
        assert rule_problems(fixed, seed) == [], seed
        outcomes = scored(section, namespace)
        assert set(outcomes.values()) == {"correct"}, (seed, outcomes)
    for seed in DETERMINISM_SEEDS:
        assert fingerprint(build(template, seed)) == fingerprint(sections(key)[seed])


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_typical_mistakes_get_their_feedback(key):
    checked = 0
    for section in sections(key)[: len(FEEDBACK_SEEDS)]:
        for part in section.parts:
            q = part.question
            if part.kind == "value" and q.misconceptions:
                wrong = q.misconceptions[0]
                got = model_outcomes(section, with_wrong(part, wrong.answer))
                assert got[part.var] == wrong.message
                checked += 1
            elif part.kind in ("order", "match") and q.wrong:
                letters, note = next(iter(q.wrong.items()))
                got = model_outcomes(section, with_wrong(part, letters))
                assert got[part.var] == note
                checked += 1
            elif part.kind == "choice" and q.why:
                letter, note = next(iter(q.why.items()))
                got = model_outcomes(section, with_wrong(part, letter))
                assert note in got[part.var]
                checked += 1
    assert checked > 0


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_correct_option_text_varies(key):
    decisions = [p.var for p in sections(key)[0].parts if p.kind != "value"]
    for var in decisions:
        seen = {str(key_texts(parts_of(s)[var])) for s in sections(key)}
        assert len(seen) > 1, var


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
    from smm_playbook.sim.channel_planner import plan_reach

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
            reach[plan] = plan_reach(activity, segments).reach_share
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
