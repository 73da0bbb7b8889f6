"""Module 0's certification templates (smm_certbank.m0_role).

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
from smm_playbook.sim import competency

pytest.importorskip("smm_certbank")
from smm_certbank import m0_role  # noqa: E402

TEMPLATES = {t.key: t for t in m0_role.TEMPLATES}
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
    assert all(key.startswith("m0_") for key in TEMPLATES)


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


BASE_WORDS = {
    "X's own analytics": "impressions",
    "LinkedIn Page": "impressions",
    "influencer-vetting": "followers",
    "third-party": "reach",
    "Instagram series": "reach",
    "Douyin": "plays",
}


def test_engagement_bases_recomputed():
    for section, namespace in zip(
        sections("m0_er_bases"), solved("m0_er_bases"), strict=True
    ):
        parts = parts_of(section)
        posts = namespace["posts"]
        asked = re.search(r"For post (\S+),", parts["erbase_highest"].prompt).group(1)
        post = posts.set_index("post_id").loc[asked]
        expected = "followers" if post["reach"] > post["followers"] else "reach"
        assert key_texts(parts["erbase_highest"]).endswith(expected)
        items = re.findall(r"^\d\. (.+)$", parts["erbase_who"].prompt, re.M)
        for item, option in zip(items, key_texts(parts["erbase_who"]), strict=True):
            word = next(w for k, w in BASE_WORDS.items() if k in item)
            assert option.startswith(word), (item, option)


def test_primer_export_decisions_recomputed():
    for section, namespace in zip(
        sections("m0_primer_export"), solved("m0_primer_export"), strict=True
    ):
        parts = parts_of(section)
        posts = namespace["posts"]
        assert posts["reach"].isna().sum() == 1
        known = posts.dropna(subset=["reach"])
        engaged = known[["likes", "comments", "shares", "saves"]].sum(axis=1)

        def by(col, known=known, engaged=engaged):
            return engaged.groupby(known[col]).sum() / known.groupby(col)["reach"].sum()

        ranking = list(by("platform").sort_values(ascending=False).index)
        assert key_texts(parts["primer_platform_rank"]) == ranking
        assert key_texts(parts["primer_top_format"]) == by("format").idxmax()


def test_competency_plan_recomputed():
    for section, namespace in zip(
        sections("m0_competency_plan"), solved("m0_competency_plan"), strict=True
    ):
        parts = parts_of(section)
        table = namespace["assessment"]
        gap = (table["target"] - table["rating"]).clip(lower=0)
        assert key_texts(parts["competency_big_gaps"]) == set(
            table["competency"][gap >= 2]
        )
        priority = {}
        for modules, g in zip(table["trained_in_modules"], gap, strict=True):
            for m in str(modules).split(","):
                priority[int(m)] = priority.get(int(m), 0) + g
        top = max(sorted(priority), key=lambda m: priority[m])
        assert key_texts(parts["competency_first_module"]).startswith(f"Module {top},")
        # The course's own model agrees on the plan and the readiness.
        role = re.search(r'role "([^"]+)"', section.prompt).group(1)
        ratings = dict(zip(competency.KEYS, map(int, table["rating"]), strict=True))
        result = competency.assess(ratings, role)
        assert result.plan["module"].iloc[0] == top
        assert np.isclose(namespace["competency_readiness_pct"], 100 * result.readiness)


def test_workflow_week_recomputed():
    steps = [
        s["name"] for s in m0_role.prose_of(m0_role.__name__)["workflow_week"]["steps"]
    ]
    for section, namespace in zip(
        sections("m0_workflow_week"), solved("m0_workflow_week"), strict=True
    ):
        parts = parts_of(section)
        log = namespace["time_log"]
        (missing,) = set(range(1, 8)) - set(log["step"])
        assert key_texts(parts["workflow_missing_step"]) == steps[missing - 1]
        ordered = key_texts(parts["workflow_order"])
        assert [steps.index(s) for s in ordered] == sorted(
            steps.index(s) for s in ordered
        )


CHINA = {
    "完播率": "Douyin",
    "在看": "WeChat",
    "一键三连": "Bilibili",
    "收藏": "Xiaohongshu",
    "转评赞": "Weibo",
    "热搜": "Weibo",
}


def test_douyin_backend_recomputed():
    for section, namespace in zip(
        sections("m0_douyin_backend"), solved("m0_douyin_backend"), strict=True
    ):
        parts = parts_of(section)
        videos = namespace["videos"]
        rate = videos["completed_plays"] / videos["plays"]
        assert (
            key_texts(parts["douyin_best_completion"]) == videos["video"][rate.idxmax()]
        )
        items = re.findall(r"^\d\. (.+)$", parts["china_metric_platform"].prompt, re.M)
        expected = [
            next(p for k, p in CHINA.items() if item.startswith(k)) for item in items
        ]
        assert key_texts(parts["china_metric_platform"]) == expected


def test_feedback_values_differ_from_the_key():
    for key in TEMPLATES:
        for section in sections(key)[:20]:
            for part in section.parts:
                if part.kind == "value":
                    target = part.question.expected
                    for m in part.question.misconceptions:
                        assert not np.isclose(m.answer, target, rtol=part.question.rtol)


def test_data_cells_are_plain_pandas():
    for key in TEMPLATES:
        frame = solved(key)[0]
        assert any(isinstance(v, pd.DataFrame) for v in frame.values()), key
