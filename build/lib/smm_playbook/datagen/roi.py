"""Module 6's datasets: customer journeys and a conversion-lift test.

Synthetic. `journeys` is the attribution simulator's own output (seed 0), so the
true effect of every channel is known and the course can show how far each
attribution model is from it. `lift_test` is a 28-day conversion-lift test on
Meta as the platform reports it: each day, the users in the test group (who could
see the ads) and in the randomly held-out control group, their conversions and
revenue, and the spend (on the test group only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook.sim.attribution import generate_journeys

LIFT_START = pd.Timestamp("2025-11-03")
LIFT_DAYS, HOLDOUT, BASELINE_CVR, TRUE_LIFT = 28, 0.10, 0.021, 0.18
ORDER_VALUE = 42.0  # GBP


def journeys(rng: np.random.Generator) -> pd.DataFrame:
    return generate_journeys(users=5000, seed=int(rng.integers(2**31)))


def lift_test(rng: np.random.Generator) -> pd.DataFrame:
    """Daily users by group, conversions (binomial) and revenue; spend on test only."""
    dates = (LIFT_START + pd.to_timedelta(np.arange(LIFT_DAYS), unit="D")).strftime(
        "%Y-%m-%d"
    )
    daily = rng.normal(42_000, 3_000, LIFT_DAYS).round()
    rows = []
    for group, share, rate in (
        ("test", 1 - HOLDOUT, BASELINE_CVR * (1 + TRUE_LIFT)),
        ("control", HOLDOUT, BASELINE_CVR),
    ):
        users = rng.binomial(daily.astype(int), share)
        conversions = rng.binomial(users, rate)
        revenue = np.round(
            conversions * ORDER_VALUE * rng.uniform(0.9, 1.1, LIFT_DAYS), 2
        )
        spend = (
            np.round(rng.normal(2_400, 150, LIFT_DAYS), 2)
            if group == "test"
            else np.zeros(LIFT_DAYS)
        )
        rows.append(
            pd.DataFrame(
                {
                    "date": dates,
                    "group": group,
                    "users": users,
                    "conversions": conversions,
                    "revenue": revenue,
                    "spend": spend,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
