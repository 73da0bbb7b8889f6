"""Module 2's certification templates (smm_certbank.m2_content).

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

pytest.importorskip("smm_certbank")
from smm_certbank import m2_content  # noqa: E402

CHECKS = ModuleChecks(m2_content.TEMPLATES, "m2_")
TEMPLATES = CHECKS.templates
sections, solved = CHECKS.sections, CHECKS.solved
globals().update(CHECKS.tests())


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
