"""Module 1, strategy: choosing a channel from audience sizes."""

from __future__ import annotations

import numpy as np

from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import audience_segments


def audiences(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    best_text, users_text = (
        text["parts"][v] for v in ("best_platform", "best_platform_users_m")
    )
    regions, interests, age_bands, segments = audience_segments()
    region = rng.choice(regions)
    interest = rng.choice(interests)
    bands = sorted(rng.choice(age_bands, 2, replace=False))
    segment = segments[(region, interest)]
    pick = segment[segment["age_band"].isin(bands)]
    shown = pick[["platform", "age_band", "population", "share"]].reset_index(drop=True)
    # Nudge the figures so that no two learners share a table, let alone an answer.
    scale = dict(zip(bands, rng.uniform(0.9, 1.1, size=2), strict=True))
    population = shown["population"] * shown["age_band"].map(scale)
    shown["population"] = population.round(-3).astype(int)
    noise = rng.uniform(0.95, 1.05, size=len(shown))
    shown["share"] = (shown["share"] * noise).clip(upper=0.97).round(4)
    users = (shown["population"] * shown["share"]).groupby(shown["platform"]).sum()
    platforms = sorted(users.index)
    best = users.idxmax()
    by_share = shown.groupby("platform")["share"].mean()
    why = {}
    if by_share.idxmax() != best:
        why[platforms.index(by_share.idxmax())] = best_text["why"]["highest_share"]
    wrong = users_text["wrong"]
    parts = (
        choice_part(
            "best_platform",
            2,
            best_text["prompt"],
            platforms,
            platforms.index(best),
            why,
        ),
        value_part(
            "best_platform_users_m",
            2,
            users_text["prompt"],
            users.max() / 1e6,
            wrong=[
                (users.max(), wrong["not_millions"]),
                (
                    by_share[best] * shown["population"].unique().sum() / 1e6,
                    wrong["average_share"],
                ),
            ],
        ),
    )
    prompt = text["prompt"].format(
        interest=interest, region=region, youngest=bands[0], oldest=bands[1]
    )
    return Section(
        "audiences",
        "1",
        text["title"],
        prompt,
        frame_code("audience", shown),
        parts,
    )
