"""Module 0's certification templates (smm_certbank.m0_role).

For every template, over the bank's 200 seeds: the bank's rules hold, the build
is deterministic, the model answers earn every point, a typical wrong answer
gets its own feedback, the correct option's text varies across papers, and each
decision's key agrees with a second, independent computation from the paper's
data cell.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from certbank_checks import (
    ModuleChecks,
    key_texts,
    parts_of,
)
from smm_playbook.sim import competency

pytest.importorskip("smm_certbank")
from smm_certbank import m0_role  # noqa: E402

CHECKS = ModuleChecks(m0_role.TEMPLATES, "m0_")
TEMPLATES = CHECKS.templates
sections, solved = CHECKS.sections, CHECKS.solved
globals().update(CHECKS.tests())


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
