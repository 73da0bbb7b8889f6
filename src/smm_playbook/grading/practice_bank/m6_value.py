"""Module 6, ROI: ROI on profit and incremental conversions from a lift test."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset


def value(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    roi_text, lift_text = (
        text["parts"][v] for v in ("roi_profit_pct", "incremental_conversions")
    )
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
    conversions = {str(g): int(n) for g, n in totals["conversions"].items()}
    users = {str(g): int(n) for g, n in totals["users"].items()}
    incremental = kpis.incremental_conversions(
        conversions["test"], users["test"], conversions["control"], users["control"]
    )
    parts = (
        value_part(
            "roi_profit_pct",
            2,
            roi_text["prompt"],
            100 * kpis.roi_on_profit(profit, cost),
            unit="percent",
            wrong=[
                (
                    100 * kpis.roi_on_revenue(revenue, cost),
                    roi_text["wrong"]["on_revenue"],
                ),
                (
                    100 * kpis.roi_on_profit(profit, media),
                    roi_text["wrong"]["media_only"],
                ),
            ],
        ),
        value_part(
            "incremental_conversions",
            3,
            lift_text["prompt"],
            incremental,
            rtol=0.01,
            wrong=[
                (
                    float(conversions["test"] - conversions["control"]),
                    lift_text["wrong"]["counts"],
                ),
                (float(conversions["test"]), lift_text["wrong"]["all_conversions"]),
            ],
        ),
    )
    return Section(
        "value",
        "6",
        text["title"],
        text["prompt"],
        f"campaign = {{'revenue': {revenue:.0f}, 'gross_margin_pct': {margin}, "
        f"'media_spend': {media:.0f}, 'agency_fee': {fee}}}\n\n"
        + frame_code("lift", shown),
        parts,
    )
