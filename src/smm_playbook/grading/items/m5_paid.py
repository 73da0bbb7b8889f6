"""Module 5, paid social: CPM, CPA and ROAS for a week of an ad set."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import Section, frame_code, value_part
from smm_playbook.grading.items.slices import ad_set_weeks


def paid(rng: np.random.Generator) -> Section:
    ad_sets = ad_set_weeks()
    while True:  # a week with at least one conversion
        (platform, campaign, ad_set), runs, days = ad_sets[
            int(rng.integers(len(ad_sets)))
        ]
        start = int(rng.integers(max(1, len(days) - 7)))
        week = runs[runs["date"].isin(days[start : start + 7])]
        if week["conversions"].sum() > 0:
            break
    columns = ["date", "currency", "spend", "impressions", "clicks"]
    shown = week[columns + ["conversions", "revenue"]].reset_index(drop=True)
    spend, revenue = shown["spend"].sum(), shown["revenue"].sum()
    conversions, clicks = shown["conversions"].sum(), shown["clicks"].sum()
    cpm = kpis.cpm(spend, shown["impressions"].sum())
    daily_cpa = (shown["spend"] / shown["conversions"].replace(0, np.nan)).mean()
    parts = (
        value_part(
            "cpm",
            1,
            "The week's CPM (cost per thousand impressions).",
            cpm,
            wrong=[(cpm / 1000, "CPM is per thousand impressions: multiply by 1,000.")],
        ),
        value_part(
            "cpa",
            2,
            "The week's CPA (cost per conversion).",
            kpis.cpa(spend, conversions),
            wrong=[
                (
                    kpis.cpc(spend, clicks),
                    "That is the cost per click; CPA divides by conversions.",
                ),
                (
                    daily_cpa,
                    "You averaged the daily CPAs; divide the week's spend by "
                    "the week's conversions.",
                ),
            ],
        ),
        value_part(
            "roas",
            2,
            "The week's ROAS, as a ratio (revenue per unit of spend, such as 2.5).",
            kpis.roas(revenue, spend),
            wrong=[
                (
                    100 * kpis.roas(revenue, spend),
                    "Give ROAS as a ratio, not a percentage.",
                )
            ],
        ),
    )
    return Section(
        "paid",
        "5",
        "A week of a paid campaign",
        f"Seven days of the ad set '{ad_set}' in the '{campaign}' campaign on "
        f"{platform}, as the ads manager reports them. Money is in the currency "
        "shown.",
        frame_code("week", shown),
        parts,
    )
