"""Module 0, the role: engagement rate by reach on a post export."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    frame_code,
    value_part,
)
from smm_playbook.grading.items.slices import clean_posts

ENGAGEMENT = ["likes", "comments", "shares", "saves"]


def engagement(rng: np.random.Generator) -> Section:
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
        why[busiest] = (
            "That post has the most engagements, but it also reached more people; "
            "compare engagements per person reached."
        )
    parts = (
        value_part(
            "er_reach_pct",
            2,
            "The engagement rate by reach of the six posts taken together, in "
            "percent (all their engagements over all their reach).",
            rate,
            unit="percent",
            wrong=[
                (
                    100 * total / shown["followers"].sum(),
                    "You divided by followers; "
                    "the question asks for reach, the people who saw the posts.",
                ),
                (
                    100 * total / shown["impressions"].sum(),
                    "You divided by "
                    "impressions; reach counts people, impressions count views.",
                ),
                (
                    per_post.mean(),
                    "You averaged the six posts' rates; take all the "
                    "engagements over all the reach instead.",
                ),
            ],
        ),
        choice_part(
            "top_post",
            2,
            "Which post has the highest engagement rate by reach?",
            ids,
            best,
            why,
        ),
    )
    return Section(
        "engagement",
        "0",
        "Reading a post export",
        "An export of six posts. Engagements are likes + comments + shares + saves.",
        frame_code("posts", shown),
        parts,
    )
