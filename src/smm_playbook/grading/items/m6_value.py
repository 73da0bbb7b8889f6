"""Module 6, ROI: ROI on profit and incremental conversions from a lift test."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import Section, frame_code, value_part
from smm_playbook.grading.items.slices import dataset


def value(rng: np.random.Generator) -> Section:
    revenue = round(float(rng.uniform(40, 160)), 1) * 1000
    margin = int(rng.integers(30, 66))
    media = round(float(rng.uniform(8, 30)), 1) * 1000
    fee = int(rng.integers(2, 9)) * 1000
    cost = media + fee
    profit = revenue * margin / 100
    lift = dataset("lift_test")
    days = sorted(lift["date"].unique())
    start = int(rng.integers(len(days) - 7))
    window = lift[lift["date"].isin(days[start : start + 7])]
    shown = window[["date", "group", "users", "conversions"]].reset_index(drop=True)
    totals = shown.groupby("group")[["users", "conversions"]].sum()
    test, control = totals.loc["test"], totals.loc["control"]
    incremental = kpis.incremental_conversions(
        test["conversions"], test["users"], control["conversions"], control["users"]
    )
    parts = (
        value_part(
            "roi_profit_pct",
            2,
            "The campaign's ROI on profit, in percent.",
            100 * kpis.roi_on_profit(profit, cost),
            unit="percent",
            wrong=[
                (
                    100 * kpis.roi_on_revenue(revenue, cost),
                    "That is ROI on revenue; use the gross profit the sales earned.",
                ),
                (
                    100 * kpis.roi_on_profit(profit, media),
                    "The agency fee is part of what the campaign cost.",
                ),
            ],
        ),
        value_part(
            "incremental_conversions",
            3,
            "The conversions the ads caused in the test group over these seven days.",
            incremental,
            rtol=0.01,
            wrong=[
                (
                    test["conversions"] - control["conversions"],
                    "The groups differ in size: compare conversion rates, not counts.",
                ),
                (
                    test["conversions"],
                    "Not every conversion in the test group was "
                    "caused by the ads; the holdout shows what would have happened "
                    "anyway.",
                ),
            ],
        ),
    )
    return Section(
        "value",
        "6",
        "What the campaign was worth",
        "A campaign's results in GBP are in `campaign`: the revenue the sales "
        "attributed to it, the gross margin on those sales, the media spend and the "
        "agency's fee. Separately, a conversion-lift test randomly held users out of "
        "the ads; `lift` has seven days of it (`test` saw the ads, `control` did "
        "not).",
        f"campaign = {{'revenue': {revenue:.0f}, 'gross_margin_pct': {margin}, "
        f"'media_spend': {media:.0f}, 'agency_fee': {fee}}}\n\n"
        + frame_code("lift", shown),
        parts,
    )
