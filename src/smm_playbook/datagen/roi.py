"""Module 6's datasets: customer journeys and a conversion-lift test.

Synthetic. `journeys` is the attribution simulator's own output (seed 0), so the
true effect of every channel is known and the course can show how far each
attribution model is from it. `lift_test` is a 28-day conversion-lift test on
Meta as the platform reports it. People are randomised once, when they first
become eligible, into the test group (who can see the ads) or the held-out
control group, and stay there; each day's row counts the people who entered
that day, the purchases made that day and their revenue, and the spend (on the
test group only).
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
    """A conversion-lift test randomised ONCE, person by person.

    Each day new people become eligible for the campaign (enter the test); each
    is assigned to the test or the control group once, at random, and stays
    there. A person buys at most once, a few days after entering (geometric
    lag); purchases after the last day are not in the report. Each row counts
    the people who entered that day and the purchases made that day.
    """
    dates = (LIFT_START + pd.to_timedelta(np.arange(LIFT_DAYS), unit="D")).strftime(
        "%Y-%m-%d"
    )
    entrants = rng.normal(42_000, 3_000, LIFT_DAYS).round().astype(int)
    entry_day = np.repeat(np.arange(LIFT_DAYS), entrants)
    control = rng.random(entry_day.size) < HOLDOUT  # the one randomisation
    rate = np.where(control, BASELINE_CVR, BASELINE_CVR * (1 + TRUE_LIFT))
    buys = rng.random(entry_day.size) < rate
    day_bought = entry_day + rng.geometric(0.35, entry_day.size) - 1
    counted = buys & (day_bought < LIFT_DAYS)
    values = rng.lognormal(np.log(ORDER_VALUE) - 0.02, 0.2, entry_day.size)
    spend = np.round(rng.normal(2_400, 150, LIFT_DAYS), 2)
    rows = []
    for group, members in (("test", ~control), ("control", control)):
        bought = counted & members
        rows.append(
            pd.DataFrame(
                {
                    "date": dates,
                    "group": group,
                    "users": np.bincount(entry_day[members], minlength=LIFT_DAYS),
                    "conversions": np.bincount(day_bought[bought], minlength=LIFT_DAYS),
                    "revenue": np.round(
                        np.bincount(
                            day_bought[bought],
                            weights=values[bought],
                            minlength=LIFT_DAYS,
                        ),
                        2,
                    ),
                    "spend": spend if group == "test" else np.zeros(LIFT_DAYS),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)
