"""Module 1, strategy: choosing a channel from audience sizes."""

from __future__ import annotations

import numpy as np

from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    frame_code,
    value_part,
)
from smm_playbook.grading.items.slices import audience_segments


def audiences(rng: np.random.Generator) -> Section:
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
        why[platforms.index(by_share.idxmax())] = (
            "That platform has the highest average share, but the two age bands "
            "differ in size: weigh each share by its band's population."
        )
    parts = (
        choice_part(
            "best_platform",
            2,
            "Which platform reaches the most people in the two age bands together?",
            platforms,
            platforms.index(best),
            why,
        ),
        value_part(
            "best_platform_users_m",
            2,
            "How many people, in millions, does that platform reach in the two "
            "age bands together?",
            users.max() / 1e6,
            wrong=[
                (users.max(), "Give the answer in millions (divide by 1,000,000)."),
                (
                    by_share[best] * shown["population"].unique().sum() / 1e6,
                    "You applied the average share to both bands; each band has its "
                    "own share.",
                ),
            ],
        ),
    )
    return Section(
        "audiences",
        "1",
        "Choosing a channel for an audience",
        f"You are planning for adults interested in {interest} in {region}, aged "
        f"{bands[0]} and {bands[1]}. For each platform and age band, `population` "
        "is the number of people in the band and `share` the fraction of them "
        "who use the platform each month.",
        frame_code("audience", shown),
        parts,
    )
