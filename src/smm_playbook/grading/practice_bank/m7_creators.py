"""Module 7, creators: engagement rate on reach and cost per 1,000 reached."""

from __future__ import annotations

import numpy as np

from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset

COLUMNS = ["creator_id", "platform", "followers", "avg_reach", "avg_engagements"]


def creators(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    rate_text, cheap_text = (
        text["parts"][v] for v in ("creator_er_by_reach_pct", "cheapest_reach_creator")
    )
    pool = dataset("creators").dropna(subset=["avg_reach"])
    while True:  # one market's currency, and a clear cheapest
        currency = str(rng.choice(sorted(pool["currency"].unique())))
        market = pool[pool["currency"] == currency]
        rows = market.iloc[np.sort(rng.choice(len(market), size=3, replace=False))]
        per_k = (1000 * rows["price"] / rows["avg_reach"]).to_numpy()
        ranked = np.sort(per_k)
        if ranked[1] > 1.05 * ranked[0]:
            break
    shown = rows[COLUMNS + ["price"]].astype({"avg_reach": int}).reset_index(drop=True)
    biggest = shown.iloc[int(shown["followers"].to_numpy().argmax())]
    rate = 100 * biggest["avg_engagements"] / biggest["avg_reach"]
    cheapest = int(per_k.argmin())
    fewest_followers = int(shown["followers"].to_numpy().argmin())
    lowest_price = int(shown["price"].to_numpy().argmin())
    why = {}
    if lowest_price != cheapest:
        why[lowest_price] = cheap_text["why"]["lowest_price"]
    if fewest_followers not in (cheapest, lowest_price):
        why[fewest_followers] = cheap_text["why"]["smallest"]
    parts = (
        value_part(
            "creator_er_by_reach_pct",
            2,
            rate_text["prompt"],
            rate,
            unit="percent",
            wrong=[
                (
                    100 * biggest["avg_engagements"] / biggest["followers"],
                    rate_text["wrong"]["followers"],
                )
            ],
        ),
        choice_part(
            "cheapest_reach_creator",
            2,
            cheap_text["prompt"],
            shown["creator_id"].tolist(),
            cheapest,
            why,
        ),
    )
    return Section(
        "creators",
        "7",
        text["title"],
        text["prompt"].format(currency=currency),
        frame_code("shortlist", shown),
        parts,
    )
