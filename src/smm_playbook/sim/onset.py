"""The crisis onset detector, fed by the listening module's mention stream.

A TEACHING MODEL, pure (no files, no widgets): tables come in as DataFrames.

Module 8 builds the mention stream: one row per post a listening query
collected, with `posted_at` (ISO time with its offset), `sentiment` (positive,
neutral or negative) and `author_followers`, and the hand labels `relevant` and
`spam` where a coder has read the posts. `mention_steps` turns that stream into
the table Module 4's detector watches, one row per time step: `mentions`,
`negative_share`, `reach` (the authors' followers, summed: potential reach) and
`top_author_followers`. The `mentions_<incident>` datasets are exports of that
table, so the same `onset_rule` reads both.

The rule (Module 4, "A simple onset rule"): alert when mentions are more than
`k` standard deviations above their mean over the previous `window` for `n`
consecutive steps, and the negative share in those steps is above `negative`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

STREAM_COLUMNS = ("posted_at", "sentiment", "author_followers")
STEP_COLUMNS = ("mentions", "negative_share", "reach", "top_author_followers")


class StreamError(ValueError):
    """A table the detector cannot read; the message says what is missing."""


def mention_steps(
    stream: pd.DataFrame,
    step: str = "5min",
    keep: Sequence[bool] | pd.Series | None = None,
    tz: str = "Asia/Shanghai",
    start: pd.Timestamp | None = None,
    end: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Module 8's mention stream as Module 4's step table, indexed by step start.

    `keep` selects the posts to count (a query's matches, or `relevant == 1`);
    by default every post in the stream counts. Steps with no post are kept,
    with 0 mentions and a negative share of 0. Times are shown in `tz`.
    """
    missing = [c for c in STREAM_COLUMNS if c not in stream.columns]
    if missing:
        raise StreamError(
            f"The mention stream needs the columns {', '.join(missing)} (one row "
            "per post, as Module 8's listening_mentions)."
        )
    when = pd.to_datetime(
        stream["posted_at"], utc=True, errors="coerce", format="ISO8601"
    )
    if when.isna().any():
        bad = stream.loc[when.isna(), "posted_at"].iloc[0]
        raise StreamError(f"`posted_at` has a value that is not a time: {bad!r}.")
    chosen = np.ones(len(stream), dtype=bool) if keep is None else np.asarray(keep)
    if chosen.shape != (len(stream),):
        raise StreamError("`keep` must hold one True or False per post.")
    when = when.dt.tz_convert(tz)
    first = when.min() if start is None else pd.Timestamp(start).tz_convert(tz)
    last = when.max() if end is None else pd.Timestamp(end).tz_convert(tz)
    index = pd.date_range(first.floor(step), last.floor(step), freq=step, name="step")
    posts = pd.DataFrame(
        {
            "step": when.dt.floor(step).to_numpy(),
            "negative": (stream["sentiment"] == "negative").to_numpy(),
            "followers": pd.to_numeric(stream["author_followers"], errors="coerce")
            .fillna(0)
            .to_numpy(),
        }
    )[chosen.astype(bool)]
    grouped = posts.groupby("step")
    table = pd.DataFrame(
        {
            "mentions": grouped.size(),
            "negative": grouped["negative"].sum(),
            "reach": grouped["followers"].sum(),
            "top_author_followers": grouped["followers"].max(),
        }
    ).reindex(index, fill_value=0)
    counts = table["mentions"].to_numpy()
    share = np.divide(
        table["negative"].to_numpy(dtype=float),
        counts,
        out=np.zeros(len(table)),
        where=counts > 0,
    )
    return pd.DataFrame(
        {
            "mentions": counts.astype(int),
            "negative_share": share,
            "reach": table["reach"].to_numpy(dtype=float),
            "top_author_followers": table["top_author_followers"].to_numpy(dtype=float),
        },
        index=index,
    )


def onset_rule(
    steps: pd.DataFrame,
    window: str = "6h",
    k: float = 3.0,
    n: int = 3,
    negative: float = 0.5,
    min_periods: int = 36,
) -> tuple[pd.Series, pd.Timestamp | None]:
    """The alert line (mean + k SD of the window before each step) and the first
    step at which the rule has held for `n` steps in a row (None: no alert).

    `steps` is a step table indexed by time (`mention_steps`, or a
    `mentions_<incident>` export indexed by its timestamp).
    """
    missing = [c for c in ("mentions", "negative_share") if c not in steps.columns]
    if missing or not isinstance(steps.index, pd.DatetimeIndex):
        raise StreamError(
            "The detector reads a step table indexed by time with the columns "
            "mentions and negative_share: build one with mention_steps()."
        )
    past = steps["mentions"].rolling(window, closed="left", min_periods=min_periods)
    alert_line = past.mean() + k * past.std()
    alarm = (steps["mentions"] > alert_line) & (steps["negative_share"] > negative)
    fired = alarm.astype(int).rolling(n).sum() == n
    when = cast(pd.Timestamp, fired.idxmax()) if fired.any() else None
    return alert_line, when


def loud_steps(steps: pd.DataFrame, alert_line: pd.Series) -> pd.Index:
    """The steps whose volume crossed the alert line, negative or not."""
    return steps.index[steps["mentions"] > alert_line]
