"""Daily follower counts with organic growth, viral spells and bought followers.

A TEACHING MODEL (Module 7). Organic growth is a small daily percentage with noise.
A viral spell raises growth for several days and fades: the curve bends. Bought
followers arrive in one day (a step of 8–40 % of the account) and then leak away
slowly as the platform removes them. Telling the two apart is the point: a rule
that flags every big gain flags the creators who simply went viral.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

START = pd.Timestamp("2026-06-01")
KINDS = ("organic", "viral", "bought")


def simulate_series(
    rng: np.random.Generator, kind: str, days: int = 90, start: float | None = None
) -> np.ndarray:
    """One account's follower count per day (integers, length `days`)."""
    if kind not in KINDS:
        raise ValueError(f"kind is one of {KINDS}, not {kind!r}.")
    base = start if start is not None else float(10 ** rng.uniform(3.7, 6.3))
    growth = rng.normal(rng.uniform(0.0005, 0.004), 0.0015, days)
    if kind == "viral":
        day = int(rng.integers(15, days - 20))
        spell = np.exp(-0.5 * ((np.arange(days) - day) / rng.uniform(2.0, 4.0)) ** 2)
        growth += rng.uniform(0.02, 0.06) * spell
    series = base * np.cumprod(1 + growth)
    if kind == "bought":
        day = int(rng.integers(10, days - 10))
        bought = series[day] * rng.uniform(0.08, 0.4)
        leak = np.exp(-np.maximum(np.arange(days) - day, 0) / rng.uniform(60, 200))
        series = series + bought * (np.arange(days) >= day) * leak
    return np.round(series).astype(int)


def generate_panel(
    rng: np.random.Generator,
    creator_ids: Iterable[str],
    kinds: Iterable[str],
    days: int = 90,
) -> pd.DataFrame:
    """Long table: creator_id, date, followers (one row per creator and day)."""
    frames = [
        pd.DataFrame(
            {
                "creator_id": creator,
                "date": (START + pd.to_timedelta(np.arange(days), unit="D")).strftime(
                    "%Y-%m-%d"
                ),
                "followers": simulate_series(rng, kind, days),
            }
        )
        for creator, kind in zip(creator_ids, kinds, strict=True)
    ]
    return pd.concat(frames, ignore_index=True)


def looks_bought(followers: ArrayLike) -> bool:
    """The course's reference detector: one day's gain is over 1.5 % of the account
    AND over 8 times the typical daily gain of the days around it (median of the
    gains in the week before and after). Viral spells rise over several days, so
    their biggest day is not far above its neighbours."""
    counts = pd.Series(followers, dtype=float).dropna().to_numpy()
    gains = np.diff(counts)
    for day in np.flatnonzero(gains > 0.015 * counts[:-1]):
        around = np.r_[gains[max(day - 7, 0) : day], gains[day + 1 : day + 8]]
        typical = max(np.median(np.abs(around)) if around.size else 0.0, 1.0)
        if gains[day] > 8 * typical:
            return True
    return False
