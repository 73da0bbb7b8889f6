"""Module 8, listening: a query's recall on a labelled sample, and what to fix."""

from __future__ import annotations

from functools import cache

import numpy as np

from smm_playbook.grading.items.framework import (
    Section,
    choice_part,
    frame_code,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset
from smm_playbook.sim import query_lab

QUERY = "willow OR 小满"


@cache
def _matched() -> np.ndarray:
    """The query's matches on the whole dataset, computed once per process."""
    return query_lab.run(QUERY, query_lab.Corpus(dataset("listening_mentions")))


def listening(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    recall_text, fix_text = (
        text["parts"][v] for v in ("sample_query_recall_pct", "query_fix_first")
    )
    posts = dataset("listening_mentions")
    matched = _matched()
    relevant = posts["relevant"].to_numpy() == 1
    while True:  # samples rich in genuine posts show recall's gaps, others the noise
        genuine_count = int(rng.integers(4, 12))
        rows = np.sort(
            np.r_[
                rng.choice(np.flatnonzero(relevant), genuine_count, replace=False),
                rng.choice(
                    np.flatnonzero(~relevant), 12 - genuine_count, replace=False
                ),
            ]
        )
        found = matched[rows]
        genuine = relevant[rows]
        s = query_lab.scores(found, genuine)
        if (
            genuine.sum() >= 3
            and found.sum() >= 3
            and abs(s["precision"] - s["recall"]) > 0.1
        ):
            break
    sample = posts.iloc[rows][["platform", "text", "relevant"]].reset_index(drop=True)
    sample["matched"] = found.astype(int)
    fix = 0 if s["recall"] < s["precision"] else 1
    parts = (
        value_part(
            "sample_query_recall_pct",
            2,
            recall_text["prompt"],
            100 * s["recall"],
            unit="percent",
            wrong=[(100 * s["precision"], recall_text["wrong"]["precision"])],
        ),
        choice_part(
            "query_fix_first",
            2,
            fix_text["prompt"],
            list(fix_text["options"]),
            fix,
            {1 - fix: fix_text["why"]["other"]},
        ),
    )
    return Section(
        "listening",
        "8",
        text["title"],
        text["prompt"].format(query=QUERY),
        frame_code("sample", sample),
        parts,
    )
