"""Module 7's datasets: a creator pool and the follower history of part of it.

Synthetic, produced by the creator portfolio lab's own model (seed 0), so what
learners find in the data is what the lab teaches. `creators` is what a brand's
shortlist export from several marketplaces looks like: seven platforms in three
markets, prices in each market's currency, reach blank where the export has none
(all Weibo rows, about 6 % of the others), views only on video platforms. The
truth (who bought followers, who is in a pod) is not in the file.
`creator_followers` is 90 days of daily follower counts for 45 of the creators,
with a few days missing; the accounts that bought followers show the jump.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook.sim import follower_growth

# The lab's model reuses the channel planner, which loads data: import it late.

PANEL_CREATORS, PANEL_DAYS = 45, 90


def creators(rng: np.random.Generator) -> pd.DataFrame:
    from smm_playbook.sim.creator_portfolio import generate_pool, observed

    pool = observed(generate_pool(rng))
    blank = (pool["platform"] == "Weibo") | (rng.random(len(pool)) < 0.06)
    return pool.assign(avg_reach=pool["avg_reach"].where(~blank).astype("Int64"))


def creator_followers(rng: np.random.Generator) -> pd.DataFrame:
    from smm_playbook.sim.creator_portfolio import generate_pool

    pool = generate_pool(rng)
    picked = pool.iloc[np.sort(rng.choice(len(pool), PANEL_CREATORS, replace=False))]
    kinds = np.where(
        picked["fake_share"] > 0.2,
        "bought",
        np.where(rng.random(PANEL_CREATORS) < 0.25, "viral", "organic"),
    )
    panel = follower_growth.generate_panel(rng, picked["creator_id"], kinds, PANEL_DAYS)
    # Scale each history so that its last day shows the creator's follower count.
    last = panel.groupby("creator_id")["followers"].transform("last")
    final = panel["creator_id"].map(picked.set_index("creator_id")["followers"])
    panel["followers"] = np.round(panel["followers"] * final / last).astype(int)
    gaps = rng.random(len(panel)) < 0.02
    return panel[~gaps].reset_index(drop=True)
