"""Module 2, content: reading an A/B test of two creatives."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    prose_of,
    value_part,
)
from smm_playbook.sim.ab_test import two_proportion_test


def ab_test(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    lift_text, verdict_text = (text["parts"][v] for v in ("ctr_lift_pct", "ab_verdict"))
    shown_a = int(rng.integers(8, 30)) * 1000
    shown_b = shown_a + int(rng.integers(-20, 21)) * 50
    ctr_a = rng.uniform(0.008, 0.025)
    true_lift = rng.choice([-0.15, -0.05, 0.0, 0.05, 0.12, 0.25])
    clicks_a = int(rng.binomial(shown_a, ctr_a))
    clicks_b = int(rng.binomial(shown_b, ctr_a * (1 + true_lift)))
    test = two_proportion_test(clicks_a, shown_a, clicks_b, shown_b)
    lift = 100 * kpis.lift(test.rate_b, test.rate_a)
    # The options are: B wins, A wins, no winner yet.
    verdict = 2 if test.p_value >= 0.05 else (0 if lift > 0 else 1)
    reasons = verdict_text["why"]
    why = {
        0: reasons["named_winner"],
        1: reasons["named_winner"],
        2: reasons["missed_winner"],
    }
    why.pop(verdict)
    wrong = lift_text["wrong"]
    parts = (
        value_part(
            "ctr_lift_pct",
            2,
            lift_text["prompt"],
            lift,
            unit="percent",
            rtol=0.01,
            wrong=[
                (100 * (test.rate_b - test.rate_a), wrong["points"]),
                (100 * (clicks_b - clicks_a) / clicks_a, wrong["clicks"]),
            ],
        ),
        choice_part(
            "ab_verdict",
            2,
            verdict_text["prompt"],
            list(verdict_text["options"]),
            verdict,
            why,
        ),
    )
    return Section(
        "ab_test",
        "2",
        text["title"],
        text["prompt"],
        f"shown = {{'A': {shown_a}, 'B': {shown_b}}}\n"
        f"clicks = {{'A': {clicks_a}, 'B': {clicks_b}}}",
        parts,
    )
