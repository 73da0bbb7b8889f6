"""Module 2's certification templates (smm_certbank.m2_content).

For every template, over the bank's 200 seeds: the bank's rules hold, the build
is deterministic, the model answers earn every point, a typical wrong answer
gets its own feedback, the correct option's text varies across papers, and each
decision's key agrees with a second, independent computation from the paper's
data cell.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np
import pandas as pd
import pytest

from bank_helpers import SEEDS, build, model_namespace, model_outcomes, rule_problems
from smm_playbook.checks import PLACEHOLDER, Incorrect
from smm_playbook.grading.items.framework import Template

pytest.importorskip("smm_certbank")
from smm_certbank import m2_content  # noqa: E402

TEMPLATES = {t.key: t for t in m2_content.TEMPLATES}
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
    assert all(key.startswith("m2_") for key in TEMPLATES)


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


def _z_test(a, n_a, b, n_b) -> float:
    """Two-sided pooled two-proportion z-test, by hand."""
    from math import erf, sqrt

    pooled = (a + b) / (n_a + n_b)
    z = (b / n_b - a / n_a) / sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return 2 * (1 - 0.5 * (1 + erf(abs(z) / sqrt(2))))


def test_ab_plan_decision_recomputed():
    for section, ns in zip(sections("m2_ab_plan"), solved("m2_ab_plan"), strict=True):
        p1, p2 = ns["baseline"], ns["baseline"] + ns["mde"]
        bar = (p1 + p2) / 2
        spread = 1.959964 * np.sqrt(2 * bar * (1 - bar)) + 0.841621 * np.sqrt(
            p1 * (1 - p1) + p2 * (1 - p2)
        )
        n = np.ceil(spread**2 / ns["mde"] ** 2)
        days = np.ceil(n / (ns["daily_reach"] / 2))
        chosen = key_texts(parts_of(section)["abplan_decision"])
        fits = days <= ns["days_available"]
        assert chosen.startswith(
            "Run it as planned" if fits else "Test a bolder change"
        )


def test_ab_read_decision_recomputed():
    for section, ns in zip(sections("m2_ab_read"), solved("m2_ab_read"), strict=True):
        test = ns["test"]
        planned = int(
            re.search(r"sample of ([\d,]+) people", section.prompt)
            .group(1)
            .replace(",", "")
        )
        a, b = test["engaged"], test["reached"]
        p = _z_test(a[0], b[0], a[1], b[1])
        assert np.isclose(ns["abread_p_value"], p, rtol=1e-6, atol=1e-12)
        chosen = key_texts(parts_of(section)["abread_decision"])
        if b.min() < planned - 50:
            assert chosen.startswith("No decision yet")
        elif p < 0.05:
            higher = a[1] / b[1] > a[0] / b[0]
            assert chosen.startswith("Ship B" if higher else "Keep A")
        else:
            assert chosen.startswith("No winner")
        claims = key_texts(parts_of(section)["abread_claims"])
        assert (
            "The difference is statistically significant at the 5% level." in claims
        ) == (p < 0.05)
        assert not any("perform the same" in c or "From now on" in c for c in claims)


RULE_TEXT = TEXT = m2_content.prose_of(m2_content.__name__)["calendar_conflicts"][
    "parts"
]


def _broken_by_pandas(calendar: pd.DataFrame) -> set[str]:
    """The brief checked a second way, with pandas on the paper's data cell."""
    dates = pd.to_datetime(calendar["date"])
    week = (dates - pd.Timestamp("2026-03-02")).dt.days // 7
    rules = {
        "Douyin": (3, {"video"}),
        "Xiaohongshu": (2, {"note", "video"}),
        "WeChat": (1, {"article"}),
    }
    broken = set()
    if calendar.duplicated(["date", "platform"]).any():
        broken.add("clash")
    for platform, (per_week, formats) in rules.items():
        mine = calendar["platform"] == platform
        if (week[mine].value_counts().reindex([0, 1], fill_value=0) != per_week).any():
            broken.add("count")
        if not set(calendar.loc[mine, "format"]) <= formats:
            broken.add("format")
    pillars = calendar["pillar"]
    if (
        (pillars == "How-to").groupby(week).sum().reindex([0, 1], fill_value=0) == 0
    ).any():
        broken.add("howto")
    if ((pillars == "Promotion").groupby(week).sum() > 1).any():
        broken.add("promo")
    if ((calendar["date"] == "2026-03-15") & (pillars == "Promotion")).any():
        broken.add("consumer")
    return broken


def test_calendar_conflicts_recomputed():
    options = RULE_TEXT["calendar_broken_rules"]["options"]
    for section, ns in zip(
        sections("m2_calendar_conflicts"), solved("m2_calendar_conflicts"), strict=True
    ):
        parts = parts_of(section)
        calendar = ns["calendar"]
        expected = {options[b] for b in _broken_by_pandas(calendar)}
        assert key_texts(parts["calendar_broken_rules"]) == expected
        douyin = calendar[calendar["platform"] == "Douyin"]
        (clash,) = douyin["date"][douyin["date"].duplicated()].unique()
        shown = pd.Timestamp(clash).strftime("%a %d %B %Y").replace(" 0", " ")
        assert key_texts(parts["calendar_clash_date"]) == shown


def test_cadence_and_pillars_recomputed():
    for section, ns in zip(
        sections("m2_cadence_choice"), solved("m2_cadence_choice"), strict=True
    ):
        curve = ns["curve"]
        flat = curve["reach_per_post"] == curve["reach_per_post"].iloc[0]
        comfortable = int(curve["posts_per_week"][flat].max())
        assert (
            key_texts(parts_of(section)["cadence_comfortable"])
            == f"{comfortable} posts a week"
        )
    for section, ns in zip(
        sections("m2_pillar_export"), solved("m2_pillar_export"), strict=True
    ):
        clean = ns["export"].drop_duplicates().dropna(subset=["reach"])
        engaged = clean[["likes", "comments", "shares", "saves"]].sum(axis=1)
        rate = (
            engaged.groupby(clean["pillar"]).sum()
            / clean.groupby("pillar")["reach"].sum()
        )
        assert key_texts(parts_of(section)["pillar_top"]) == rate.idxmax()
