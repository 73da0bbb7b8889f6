"""Module 3, community: response rate and time on an inbox sample."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset

NEEDS_RESPONSE = ("respond", "escalate")


def service(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    rate_text, time_text = (
        text["parts"][v] for v in ("response_rate_pct", "median_response_minutes")
    )
    comments = dataset("comments")
    columns = ["comment_id", "platform", "kind", "action", "created_at"]
    columns.append("first_response_at")
    while True:  # a sample with something to measure on both sides
        index = np.sort(rng.choice(len(comments), size=30, replace=False))
        sample = comments.iloc[index][columns].reset_index(drop=True)
        needing = sample[sample["action"].isin(NEEDS_RESPONSE)]
        answered = needing["first_response_at"].notna()
        if answered.sum() >= 3 and (~answered).sum() >= 2:
            break
    rate = 100 * kpis.response_rate(answered.sum(), len(needing))
    minutes = (
        pd.to_datetime(needing["first_response_at"], utc=True, format="ISO8601")
        - pd.to_datetime(needing["created_at"], utc=True, format="ISO8601")
    ).dt.total_seconds() / 60
    parts = (
        value_part(
            "response_rate_pct",
            2,
            rate_text["prompt"],
            rate,
            unit="percent",
            wrong=[
                (
                    100 * sample["first_response_at"].notna().mean(),
                    rate_text["wrong"]["every_comment"],
                ),
            ],
        ),
        value_part(
            "median_response_minutes",
            2,
            time_text["prompt"],
            minutes.median(),
            wrong=[
                (minutes.mean(), time_text["wrong"]["mean"]),
                (minutes.median() / 60, time_text["wrong"]["hours"]),
            ],
        ),
    )
    return Section(
        "service",
        "3",
        text["title"],
        text["prompt"],
        frame_code("inbox", sample),
        parts,
    )
