"""Module 5, paid social: CPM, CPA and ROAS for a week of an ad set."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import ad_set_weeks


def paid(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    cpm_text, cpa_text, roas_text = (text["parts"][v] for v in ("cpm", "cpa", "roas"))
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
            cpm_text["prompt"],
            cpm,
            wrong=[(cpm / 1000, cpm_text["wrong"]["per_impression"])],
        ),
        value_part(
            "cpa",
            2,
            cpa_text["prompt"],
            kpis.cpa(spend, conversions),
            wrong=[
                (kpis.cpc(spend, clicks), cpa_text["wrong"]["per_click"]),
                (daily_cpa, cpa_text["wrong"]["daily_average"]),
            ],
        ),
        value_part(
            "roas",
            2,
            roas_text["prompt"],
            kpis.roas(revenue, spend),
            wrong=[(100 * kpis.roas(revenue, spend), roas_text["wrong"]["percent"])],
        ),
    )
    return Section(
        "paid",
        "5",
        text["title"],
        text["prompt"].format(ad_set=ad_set, campaign=campaign, platform=platform),
        frame_code("week", shown),
        parts,
    )
