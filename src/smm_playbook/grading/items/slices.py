"""Data slices the builders share, loaded and cut once per process.

The grader rebuilds a paper for every submission, so the slicing each builder
repeats is done once here.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from smm_playbook import data


@cache
def dataset(name: str) -> pd.DataFrame:
    return data.load(name)


@cache
def clean_posts() -> pd.DataFrame:
    """Posts with a known reach: an export a learner can compute from."""
    return dataset("starter_posts").dropna(subset=["reach"]).astype({"reach": int})


@cache
def audience_segments() -> tuple[list, list, list, dict]:
    table = dataset("platform_audiences")
    levels = [sorted(table[c].unique()) for c in ("region", "interest", "age_band")]
    segments = dict(tuple(table.groupby(["region", "interest"], sort=False)))
    return levels[0], levels[1], levels[2], segments


@cache
def ad_set_weeks() -> list[tuple[tuple, pd.DataFrame, list]]:
    """Each ad set's rows and its sorted dates."""
    ads = dataset("ad_campaigns")
    groups = ads.groupby(["platform", "campaign", "ad_set"], sort=True)
    return [(key, runs, sorted(runs["date"].unique())) for key, runs in groups]
