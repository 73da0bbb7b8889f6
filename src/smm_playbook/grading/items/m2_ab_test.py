"""Module 2, content: reading an A/B test of two creatives."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import Section, choice_part, value_part
from smm_playbook.sim.ab_test import two_proportion_test


def ab_test(rng: np.random.Generator) -> Section:
    shown_a = int(rng.integers(8, 30)) * 1000
    shown_b = shown_a + int(rng.integers(-20, 21)) * 50
    ctr_a = rng.uniform(0.008, 0.025)
    true_lift = rng.choice([-0.15, -0.05, 0.0, 0.05, 0.12, 0.25])
    clicks_a = int(rng.binomial(shown_a, ctr_a))
    clicks_b = int(rng.binomial(shown_b, ctr_a * (1 + true_lift)))
    test = two_proportion_test(clicks_a, shown_a, clicks_b, shown_b)
    lift = 100 * kpis.lift(test.rate_b, test.rate_a)
    verdict = 2 if test.p_value >= 0.05 else (0 if lift > 0 else 1)
    options = [
        "B wins: its click-through rate is higher and the difference is significant "
        "at the 5% level.",
        "A wins: its click-through rate is higher and the difference is significant "
        "at the 5% level.",
        "No winner yet: the difference is not significant at the 5% level.",
    ]
    why = {
        0: "Check the p-value of a two-proportion test before naming a winner.",
        1: "Check the p-value of a two-proportion test before naming a winner.",
        2: "Work out the p-value: with this many impressions the difference is "
        "larger than chance would explain.",
    }
    why.pop(verdict)
    parts = (
        value_part(
            "ctr_lift_pct",
            2,
            "The relative lift of B's click-through rate over A's, in percent "
            "(negative if B is lower).",
            lift,
            unit="percent",
            rtol=0.01,
            wrong=[
                (
                    100 * (test.rate_b - test.rate_a),
                    "That is the difference in "
                    "percentage points; lift is relative to A's rate.",
                ),
                (
                    100 * (clicks_b - clicks_a) / clicks_a,
                    "You compared clicks, but the variants were shown different "
                    "numbers of times: compare rates.",
                ),
            ],
        ),
        choice_part("ab_verdict", 2, "What do you report?", options, verdict, why),
    )
    return Section(
        "ab_test",
        "2",
        "Reading an A/B test",
        "Two versions of a post's creative were each shown to a random half of the "
        "audience. Use a two-sided two-proportion z-test at the 5% level.",
        f"shown = {{'A': {shown_a}, 'B': {shown_b}}}\n"
        f"clicks = {{'A': {clicks_a}, 'B': {clicks_b}}}",
        parts,
    )
