"""`platform_audiences`: each platform's users in each audience segment.

Synthetic. A segment is region × age band × main interest. Segment populations are
round, plausible magnitudes; a platform's share of a segment is its base share in
the region, tilted by age and interest, with a little noise. Two design choices
shape the data: the global platforms have almost no users in the Mainland China
segments and the Chinese platforms few elsewhere, so a plan for China needs Chinese
channels; and young segments lean to video platforms, older ones to Facebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REGIONS = ("North America", "Western Europe", "Mainland China", "Southeast Asia")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55+")
INTERESTS = ("Food & drink", "Beauty & fashion", "Tech & gaming")

# People aged 18+ per region and age band, in millions (rounded, synthetic).
POPULATION_M = {
    "North America": (33, 48, 45, 42, 80),
    "Western Europe": (36, 52, 54, 58, 110),
    "Mainland China": (105, 180, 210, 230, 290),
    "Southeast Asia": (95, 110, 100, 85, 90),
}
INTEREST_SPLIT = (0.45, 0.30, 0.25)

# Base share of a region's adults using the platform monthly.
BASE_SHARE = {
    "Facebook": (0.62, 0.55, 0.005, 0.72),
    "Instagram": (0.50, 0.48, 0.004, 0.55),
    "X": (0.22, 0.18, 0.003, 0.15),
    "LinkedIn": (0.24, 0.20, 0.004, 0.08),
    "TikTok": (0.40, 0.35, 0.002, 0.50),
    "YouTube": (0.80, 0.78, 0.006, 0.82),
    "WeChat": (0.01, 0.008, 0.90, 0.05),
    "Weibo": (0.003, 0.002, 0.42, 0.01),
    "Douyin": (0.002, 0.001, 0.66, 0.005),
    "Xiaohongshu": (0.004, 0.003, 0.24, 0.01),
    "Bilibili": (0.002, 0.001, 0.22, 0.004),
}
# Tilt by age band (18-24 … 55+) and by interest (food, beauty, tech).
AGE_TILT = {
    "Facebook": (0.7, 0.9, 1.05, 1.15, 1.1),
    "Instagram": (1.45, 1.3, 1.0, 0.75, 0.5),
    "X": (1.3, 1.3, 1.0, 0.8, 0.55),
    "LinkedIn": (0.8, 1.5, 1.35, 1.0, 0.5),
    "TikTok": (1.9, 1.4, 0.95, 0.65, 0.3),
    "YouTube": (1.15, 1.1, 1.0, 0.95, 0.85),
    "WeChat": (1.05, 1.05, 1.05, 1.0, 0.9),
    "Weibo": (1.5, 1.3, 1.0, 0.75, 0.45),
    "Douyin": (1.35, 1.25, 1.05, 0.85, 0.6),
    "Xiaohongshu": (1.9, 1.6, 0.95, 0.55, 0.2),
    "Bilibili": (2.4, 1.5, 0.8, 0.4, 0.15),
}
INTEREST_TILT = {
    "Facebook": (1.05, 0.95, 0.95),
    "Instagram": (1.05, 1.25, 0.85),
    "X": (0.85, 0.85, 1.35),
    "LinkedIn": (0.9, 0.85, 1.3),
    "TikTok": (1.05, 1.15, 0.95),
    "YouTube": (0.95, 0.95, 1.15),
    "WeChat": (1.0, 1.0, 1.0),
    "Weibo": (0.95, 1.15, 1.0),
    "Douyin": (1.1, 1.05, 0.9),
    "Xiaohongshu": (1.1, 1.6, 0.6),
    "Bilibili": (0.7, 0.6, 2.0),
}


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """One row per platform × region × age band × interest."""
    rows = []
    for platform, base in BASE_SHARE.items():
        for r, region in enumerate(REGIONS):
            for a, age in enumerate(AGE_BANDS):
                for i, interest in enumerate(INTERESTS):
                    population = POPULATION_M[region][a] * 1e6 * INTEREST_SPLIT[i]
                    tilt = AGE_TILT[platform][a] * INTEREST_TILT[platform][i]
                    share = base[r] * tilt * rng.lognormal(0, 0.08)
                    rows.append(
                        (platform, region, age, interest, population, min(share, 0.97))
                    )
    frame = pd.DataFrame(
        rows,
        columns=["platform", "region", "age_band", "interest", "population", "share"],
    )
    frame["population"] = frame["population"].round(-3).astype(np.int64)
    frame["users"] = (frame["population"] * frame["share"]).round(-2).astype(np.int64)
    frame["share"] = (frame["users"] / frame["population"]).round(6)
    return frame[
        ["platform", "region", "age_band", "interest", "population", "users", "share"]
    ]
