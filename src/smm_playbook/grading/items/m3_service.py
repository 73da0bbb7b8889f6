"""Module 3, community: response rate and time on an inbox sample."""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook import kpis
from smm_playbook.grading.items.framework import Section, frame_code, value_part
from smm_playbook.grading.items.slices import dataset

NEEDS_RESPONSE = ("respond", "escalate")


def service(rng: np.random.Generator) -> Section:
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
            "The response rate, in percent: of the comments that needed a response "
            "(action 'respond' or 'escalate'), the share that got one.",
            rate,
            unit="percent",
            wrong=[
                (
                    100 * sample["first_response_at"].notna().mean(),
                    "You divided by "
                    "every comment; only those that needed a response count.",
                ),
            ],
        ),
        value_part(
            "median_response_minutes",
            2,
            "The median time to first response, in minutes, of the comments that "
            "needed one and got one.",
            minutes.median(),
            wrong=[
                (
                    minutes.mean(),
                    "That is the mean; the median is less swayed by one "
                    "very slow reply.",
                ),
                (minutes.median() / 60, "That looks like hours; give minutes."),
            ],
        ),
    )
    return Section(
        "service",
        "3",
        "Measuring community service",
        "A sample of comments from the brand's inbox with the action the team took. "
        "`first_response_at` is blank when nobody replied. Times carry their UTC "
        "offset.",
        frame_code("inbox", sample),
        parts,
    )
