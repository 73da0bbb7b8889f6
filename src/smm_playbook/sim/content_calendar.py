"""Content calendar lab: cadence × format and pillar mix × hour → weeks of posts.

Teaching model (stated in Module 2):
- A post's expected reach = followers × the platform's organic reach rate × the
  audience's activity at that hour and weekday × a format effect × fatigue.
- Fatigue: above a platform's comfortable cadence c, each post's reach is multiplied
  by c / (c + FATIGUE × (cadence − c)). Reach per post falls with every extra post;
  weekly reach still grows, but flattens towards c ÷ FATIGUE posts' worth.
- Realised reach has gamma-Poisson noise (most posts land near expectation, a few far
  from it); engagements are Poisson around reach × engagement rate × pillar effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

FORMATS = ("image", "video", "carousel", "text", "article", "note")
PILLARS = ("Product", "How-to", "Behind the scenes", "Community", "Promotion")
PILLAR_EFFECT = dict(zip(PILLARS, (0.9, 1.2, 1.1, 1.3, 0.7), strict=True))
PILLAR_ORDER = np.array(sorted(PILLAR_EFFECT))  # for vectorised look-ups
PILLAR_EFFECTS = np.array([PILLAR_EFFECT[p] for p in PILLAR_ORDER])
FATIGUE = 0.5
NOISE_SHAPE = 4.0  # gamma shape: coefficient of variation 0.5 around expected reach
POST_COLUMNS = (
    "week",
    "platform",
    "day",
    "hour",
    "format",
    "pillar",
    "expected_reach",
    "reach",
    "expected_engagements",
    "engagements",
)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Platform:
    followers: int
    reach_rate: float  # organic reach of an average post, as a share of followers
    engagement_rate: float  # engagements ÷ reach for an average post
    comfortable: int  # posts a week before fatigue sets in
    peaks: tuple[tuple[float, float], ...]  # (hour, weight) of audience activity
    weekend: float  # activity at weekends relative to weekdays
    formats: dict[str, float]  # supported format → reach effect
    max_per_week: int = 70


PLATFORMS: dict[str, Platform] = {
    "Facebook": Platform(
        48_000,
        0.06,
        0.020,
        5,
        ((8, 0.6), (13, 0.8), (20, 1.0)),
        1.0,
        {"image": 1.0, "video": 1.2, "text": 0.7},
    ),
    "Instagram": Platform(
        31_000,
        0.22,
        0.045,
        5,
        ((12, 0.7), (19, 1.0), (21, 0.8)),
        1.1,
        {"image": 1.0, "video": 1.3, "carousel": 1.15},
    ),
    "X": Platform(
        12_500,
        0.18,
        0.012,
        14,
        ((8, 0.8), (12, 1.0), (18, 0.9)),
        0.8,
        {"text": 0.9, "image": 1.0, "video": 1.1},
    ),
    "LinkedIn": Platform(
        6_200,
        0.30,
        0.035,
        4,
        ((8, 1.0), (12, 0.8), (17, 0.6)),
        0.4,
        {"text": 1.0, "image": 1.1, "article": 0.8},
    ),
    "TikTok": Platform(
        22_000, 1.40, 0.060, 7, ((19, 0.8), (21, 1.0), (23, 0.5)), 1.2, {"video": 1.0}
    ),
    "WeChat": Platform(
        41_000,
        0.12,
        0.030,
        3,
        ((7, 0.7), (12, 0.6), (21, 1.0)),
        1.0,
        {"article": 1.0},
        max_per_week=7,
    ),
    "Weibo": Platform(
        67_000,
        0.09,
        0.015,
        10,
        ((12, 0.8), (18, 0.7), (21, 1.0)),
        1.1,
        {"text": 0.8, "image": 1.0, "video": 1.2},
    ),
    "Douyin": Platform(
        35_000, 1.60, 0.070, 7, ((12, 0.6), (20, 0.9), (22, 1.0)), 1.2, {"video": 1.0}
    ),
    "Xiaohongshu": Platform(
        15_000,
        0.45,
        0.080,
        4,
        ((12, 0.6), (21, 1.0), (22, 0.9)),
        1.2,
        {"note": 1.0, "video": 1.15},
    ),
    "Bilibili": Platform(
        8_400, 0.70, 0.065, 3, ((20, 0.8), (22, 1.0), (23, 0.8)), 1.3, {"video": 1.0}
    ),
}

EXAMPLE_CADENCE = {
    "Instagram": 4,
    "LinkedIn": 3,
    "Weibo": 7,
    "Douyin": 5,
    "Xiaohongshu": 3,
    "WeChat": 2,
}


def activity(platform: str, hours: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Audience activity (mean 1 over a week) at each hour (0–23) and day (0 = Mon)."""
    spec = PLATFORMS[platform]
    grid = np.arange(24)
    curve = 0.15 + sum(
        w * np.exp(-0.5 * ((grid - h) / 1.5) ** 2) for h, w in spec.peaks
    )
    day_factor = np.where(np.arange(7) >= 5, spec.weekend, 1.0)
    week = np.outer(day_factor, curve)
    week /= week.mean()
    return week[days, hours]


def fatigue(platform: str, cadence: float) -> float:
    """Per-post reach multiplier for a weekly cadence (1 up to the comfortable one)."""
    comfortable = PLATFORMS[platform].comfortable
    excess = max(0.0, cadence - comfortable)
    return comfortable / (comfortable + FATIGUE * excess)


def expected_reach(
    platform: str,
    hours: ArrayLike,
    days: ArrayLike,
    formats: Iterable[str],
    cadence: float,
) -> np.ndarray:
    """Expected reach of posts with the given hours, weekdays and formats."""
    spec = PLATFORMS[platform]
    effect = np.array([spec.formats[f] for f in formats])
    base = spec.followers * spec.reach_rate * fatigue(platform, cadence)
    return base * activity(platform, np.asarray(hours), np.asarray(days)) * effect


@dataclass(frozen=True)
class CalendarResult:
    """The simulated posts; weekly and per-platform summaries are computed on demand."""

    posts: pd.DataFrame
    weeks: int

    @cached_property
    def weekly(self) -> pd.DataFrame:
        return _weekly(self.posts, self.weeks)

    @cached_property
    def by_platform(self) -> pd.DataFrame:
        return _by_platform(self.posts)


def simulate_calendar(
    cadence: Mapping[str, int],
    format_mix: Mapping[str, float] | None = None,
    pillar_mix: Mapping[str, float] | None = None,
    hour: int | Mapping[str, int] = 12,
    weeks: int = 12,
    seed: int = 0,
) -> CalendarResult:
    """Simulate `weeks` of posting; the same arguments and seed give the same result.

    Args:
        cadence: platform → posts per week (whole numbers).
        format_mix: format → share; each platform uses the formats it supports,
            re-weighted (a platform with none of them uses all its own equally).
        pillar_mix: pillar → share (default: equal).
        hour: posting hour (0–23) for every platform, or per platform.
        weeks: how many weeks to simulate.
        seed: random seed for formats, pillars and noise.
    """
    rng = np.random.default_rng(seed)
    frames = [
        _platform_posts(
            rng, p, int(n), format_mix, pillar_mix, _hour_for(hour, p), weeks
        )
        for p, n in _validated(cadence, weeks).items()
        if n > 0
    ]
    # One DataFrame from concatenated arrays: far cheaper than one per platform,
    # which matters when a slider re-runs the model.
    columns: dict[str, Any] = {
        name: np.concatenate([f[name] for f in frames]) if frames else []
        for name in POST_COLUMNS
    }
    return CalendarResult(pd.DataFrame(columns), weeks)


def _validated(cadence: Mapping[str, int], weeks: int) -> dict[str, int]:
    unknown = sorted(set(cadence) - set(PLATFORMS))
    if unknown:
        raise ValueError(
            f"Unknown platform(s) {unknown}. Choose from {list(PLATFORMS)}."
        )
    for platform, n in cadence.items():
        limit = PLATFORMS[platform].max_per_week
        if n < 0 or n != int(n):
            raise ValueError(f"Cadence for {platform} must be a whole number of posts.")
        if n > limit:
            raise ValueError(
                f"{platform} allows at most {limit} posts a week"
                + (
                    " (a subscription account pushes once a day)."
                    if platform == "WeChat"
                    else "."
                )
            )
    if weeks < 1:
        raise ValueError("Simulate at least one week.")
    return dict(cadence)


def _hour_for(hour: int | Mapping[str, int], platform: str) -> int:
    value = hour.get(platform, 12) if isinstance(hour, Mapping) else hour
    if not 0 <= int(value) <= 23:
        raise ValueError("Posting hours run from 0 to 23.")
    return int(value)


def _mix(options: list[str], mix: Mapping[str, float] | None) -> np.ndarray:
    weights = np.array([float((mix or {}).get(o, 0.0)) for o in options])
    if weights.sum() <= 0:
        weights = np.ones(len(options))
    return weights / weights.sum()


def _platform_posts(
    rng: np.random.Generator,
    platform: str,
    per_week: int,
    format_mix: Mapping[str, float] | None,
    pillar_mix: Mapping[str, float] | None,
    hour: int,
    weeks: int,
) -> dict[str, np.ndarray]:
    spec = PLATFORMS[platform]
    n = per_week * weeks
    week = np.repeat(np.arange(1, weeks + 1), per_week)
    day = np.tile(np.floor(np.arange(per_week) * 7 / per_week).astype(int), weeks)
    formats = rng.choice(
        list(spec.formats), size=n, p=_mix(list(spec.formats), format_mix)
    )
    pillars = rng.choice(PILLARS, size=n, p=_mix(list(PILLARS), pillar_mix))
    expected = expected_reach(platform, np.full(n, hour), day, formats, per_week)
    reach = rng.poisson(expected * rng.gamma(NOISE_SHAPE, 1 / NOISE_SHAPE, size=n))
    rate = spec.engagement_rate * np.array([PILLAR_EFFECT[p] for p in pillars])
    return {
        "week": week,
        "platform": np.full(n, platform),
        "day": day,
        "hour": np.full(n, hour),
        "format": formats,
        "pillar": pillars,
        "expected_reach": expected,
        "reach": reach,
        "expected_engagements": expected * rate,
        "engagements": rng.poisson(reach * rate),
    }


def _weekly(posts: pd.DataFrame, weeks: int) -> pd.DataFrame:
    sums = ["expected_reach", "reach", "expected_engagements", "engagements"]
    weekly = (
        posts.groupby("week")[sums].sum().reindex(range(1, weeks + 1), fill_value=0)
    )
    return weekly.astype(float).reset_index()


def _by_platform(posts: pd.DataFrame) -> pd.DataFrame:
    grouped = posts.groupby("platform")
    table = pd.DataFrame(
        {
            "posts": grouped.size(),
            "reach_per_post": grouped["reach"].mean(),
            "engagements_per_post": grouped["engagements"].mean(),
            "total_reach": grouped["reach"].sum(),
            "total_engagements": grouped["engagements"].sum(),
        }
    )
    return table.reset_index()


def cadence_curve(
    platform: str, cadences: Iterable[int] = range(1, 15), hour: int = 12
) -> pd.DataFrame:
    """Expected reach per post and per week as the weekly cadence rises (no noise).

    Posts are taken at `hour` on an average day of the week, so the curve shows the
    cadence effect alone.
    """
    if platform not in PLATFORMS:
        raise ValueError(
            f"Unknown platform {platform!r}. Choose from {list(PLATFORMS)}."
        )
    spec = PLATFORMS[platform]
    day_average = activity(platform, np.full(7, hour), np.arange(7)).mean()
    typical = spec.followers * spec.reach_rate * day_average
    rows = [
        (n, typical * fatigue(platform, n), n * typical * fatigue(platform, n))
        for n in cadences
        if 0 < n <= spec.max_per_week
    ]
    return pd.DataFrame(
        rows, columns=["posts_per_week", "reach_per_post", "weekly_reach"]
    )
