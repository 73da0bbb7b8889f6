"""Module 0, the role: engagement rate by reach on a post export."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import clean_posts

ENGAGEMENT = ["likes", "comments", "shares", "saves"]


def engagement(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    rate_text, top_text = (text["parts"][v] for v in ("er_reach_pct", "top_post"))
    posts = clean_posts()
    rows = posts.iloc[np.sort(rng.choice(len(posts), size=6, replace=False))]
    shown = rows[["post_id", "platform", "followers", "impressions", "reach"]]
    shown = shown.join(rows[ENGAGEMENT]).reset_index(drop=True)
    engagements = shown[ENGAGEMENT].sum(axis=1)
    total = engagements.sum()
    rate = 100 * kpis.engagement_rate_by_reach(total, shown["reach"].sum())
    per_post = 100 * engagements / shown["reach"]
    best = int(per_post.to_numpy().argmax())
    busiest = int(engagements.to_numpy().argmax())
    ids = shown["post_id"].tolist()
    why = {}
    if busiest != best:
        why[busiest] = top_text["why"]["busiest"]
    wrong = rate_text["wrong"]
    parts = (
        value_part(
            "er_reach_pct",
            2,
            rate_text["prompt"],
            rate,
            unit="percent",
            wrong=[
                (100 * total / shown["followers"].sum(), wrong["followers"]),
                (100 * total / shown["impressions"].sum(), wrong["impressions"]),
                (per_post.mean(), wrong["averaged"]),
            ],
        ),
        choice_part("top_post", 2, top_text["prompt"], ids, best, why),
    )
    return Section(
        "engagement",
        "0",
        text["title"],
        text["prompt"],
        frame_code("posts", shown),
        parts,
    )
