"""Channel planner: which channels, how much weight, which segments → reach.

Teaching model (stated in Module 1):
- Activity is a weekly budget in points: one point buys BUDGET_PER_POINT (1,000 in the
  plan's currency) a week of content production and paid support on that channel, so
  a plan's cost is its total points × BUDGET_PER_POINT and "the cheapest mix" is the one
  with the fewest points.
- On channel i, in segment s, the share of people reached is
  r_is = share_is × (1 − exp(−activity_i / SATURATION)): the platform's users in the
  segment, times the part of them your posting and paid weight gets to, with
  diminishing returns.
- Reached people see the content `1 + activity_i / FREQUENCY_STEP` times on average.
- Across channels, reach is deduplicated by random duplication (Sainsbury): in each
  segment the combined share is 1 − Π_i (1 − r_is), which assumes that using one
  platform says nothing about using another.

The model reads no files: the platform audience table (the shipped
`platform_audiences` dataset, or any table with its columns) is passed in as
`audiences`, a DataFrame or the `Audiences` that `audiences_from` arranges from one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
import pandas as pd

BUDGET_PER_POINT = (
    1_000.0  # money a week (plan's currency) that one activity point buys
)
SATURATION = 40.0  # activity at which 63 % of a segment's platform users are reached
FREQUENCY_STEP = 25.0  # each 25 points of activity adds one view per reached person
SEGMENT_COLUMNS = ("region", "age_band", "interest")
AUDIENCE_COLUMNS = ("platform", *SEGMENT_COLUMNS, "population", "share")
CHANNELS = (
    "Facebook",
    "Instagram",
    "X",
    "LinkedIn",
    "TikTok",
    "YouTube",
    "WeChat",
    "Weibo",
    "Douyin",
    "Xiaohongshu",
    "Bilibili",
)


class Plan(TypedDict):
    """A plan as `plan_reach`'s keywords: `plan_reach(**plan, audiences=...)`."""

    activity: dict[str, float]
    segments: dict[str, list[str]]
    goal: float


EXAMPLE_PLAN: Plan = {
    "activity": {"WeChat": 25, "Douyin": 25, "Xiaohongshu": 15},
    "segments": {"region": ["Mainland China"], "age_band": ["18-24", "25-34"]},
    "goal": 0.75,
}


def deduplicated_reach(fractions: Sequence[float]) -> float:
    """Combined reach under random duplication: 1 − Π(1 − rᵢ).

    Args:
        fractions: each channel's reach as a share (0–1) of the same population.
    """
    shares = np.asarray(list(fractions), dtype=float)
    if shares.size and (
        np.any(shares < 0) or np.any(shares > 1) or np.isnan(shares).any()
    ):
        raise ValueError("reach fractions must lie between 0 and 1 (write 40% as 0.4).")
    return float(1 - np.prod(1 - shares))


@dataclass(frozen=True)
class Audiences:
    """A platform audience table arranged for the planner (made by `audiences_from`)."""

    segments: pd.DataFrame  # one row per segment: its SEGMENT_COLUMNS and population
    shares: np.ndarray  # CHANNELS × segments: share of the segment on each platform


def audiences_from(table: pd.DataFrame) -> Audiences:
    """Check a platform audience table and arrange it for `plan_reach`.

    Args:
        table: one row per platform and segment, with the columns AUDIENCE_COLUMNS
            (as in the shipped `platform_audiences` dataset): every platform in
            CHANNELS needs a row in every segment, `share` is the segment's share
            (0–1) on the platform and `population` the segment's size.

    Raises:
        ValueError: the table is not shaped like that; the message says how.
    """
    if not isinstance(table, pd.DataFrame):
        raise ValueError(
            "The audience table must be a pandas DataFrame, "
            f"not {type(table).__name__}."
        )
    missing = [c for c in AUDIENCE_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(
            f"The audience table needs the columns {list(AUDIENCE_COLUMNS)}; "
            f"it has no {missing}."
        )
    if table.empty:
        raise ValueError("The audience table has no rows.")
    if table[list(AUDIENCE_COLUMNS[:4])].isna().any().any():
        raise ValueError(
            "Every row of the audience table needs a platform, region, age_band "
            "and interest; some are blank."
        )
    unknown = sorted(set(table["platform"]) - set(CHANNELS))
    if unknown:
        raise ValueError(
            f"The audience table names unknown platform(s) {unknown}. "
            f"Platforms are {list(CHANNELS)}."
        )
    keys = ["platform", *SEGMENT_COLUMNS]
    twice = table[table.duplicated(keys)]
    if not twice.empty:
        first = twice.iloc[0]
        raise ValueError(
            f"The audience table has {len(twice)} repeated row(s), e.g. "
            f"{first['platform']} in {_segment_name(first[list(SEGMENT_COLUMNS)])}: "
            "give each platform one row per segment."
        )
    shares = pd.to_numeric(table["share"], errors="coerce")
    if shares.isna().any() or (shares < 0).any() or (shares > 1).any():
        raise ValueError(
            "Audience shares must be numbers between 0 and 1 (write 40% as 0.4)."
        )
    population = pd.to_numeric(table["population"], errors="coerce")
    if not (np.isfinite(population) & (population >= 0)).all():
        raise ValueError("Segment populations must be numbers of people, 0 or more.")
    table = table.assign(share=shares, population=population)
    sizes = table.groupby(list(SEGMENT_COLUMNS), sort=True)["population"]
    if (sizes.nunique() > 1).any():
        segment = sizes.nunique().loc[lambda n: n > 1].index[0]
        raise ValueError(
            "Each segment has one population, the same on every platform's row; "
            f"{_segment_name(segment)} has several."
        )
    cube = table.pivot_table(
        index=list(SEGMENT_COLUMNS), columns="platform", values="share", sort=True
    ).reindex(columns=list(CHANNELS))
    gaps = cube.isna()
    if gaps.to_numpy().any():
        platform = gaps.columns[gaps.any().to_numpy()][0]
        segment = gaps.index[gaps[platform].to_numpy()][0]
        raise ValueError(
            f"The audience table has no row for {platform} in "
            f"{_segment_name(segment)} ({int(gaps.to_numpy().sum())} platform-segment "
            "pair(s) missing): every platform needs a row in every segment."
        )
    return Audiences(
        segments=sizes.first().reset_index(), shares=cube.to_numpy().T.copy()
    )


def _segment_name(values: Iterable[object]) -> str:
    """'Mainland China / 18-24 / Food & drink' for a segment's three labels."""
    return " / ".join(str(v) for v in values)


@dataclass(frozen=True)
class PlanResult:
    """Reach of a channel plan over the target segments."""

    channels: pd.DataFrame
    segments: pd.DataFrame
    population: float
    reach: float
    impressions: float
    summed_reach: float
    goal: float
    target: Mapping[str, Sequence[str]]  # the segment filter the plan was run with
    audiences: Audiences = field(repr=False, compare=False)  # the table it ran on

    @property
    def reach_share(self) -> float:
        return self.reach / self.population if self.population else 0.0

    @property
    def frequency(self) -> float:
        return self.impressions / self.reach if self.reach else 0.0

    @property
    def goal_met(self) -> bool:
        return self.reach_share >= self.goal

    @property
    def weekly_budget(self) -> float:
        """Weekly cost of the plan: total activity points × BUDGET_PER_POINT."""
        return float(self.channels["activity"].sum()) * BUDGET_PER_POINT

    @property
    def cost_per_thousand_reached(self) -> float:
        """Weekly budget ÷ (deduplicated reach ÷ 1,000); 0 when nobody is reached."""
        return self.weekly_budget / (self.reach / 1_000) if self.reach else 0.0


def plan_reach(
    activity: Mapping[str, float],
    segments: Mapping[str, Sequence[str]] | None = None,
    goal: float = 0.5,
    dedup: Callable[[np.ndarray], np.ndarray] | None = None,
    *,
    audiences: Audiences | pd.DataFrame,
) -> PlanResult:
    """Reach, impressions and frequency of a plan over the chosen segments.

    Args:
        activity: platform → weekly budget in points, 0 (unused) to 100; one point is
            BUDGET_PER_POINT a week of production and paid support.
        segments: column → allowed values (e.g. {"region": ["Mainland China"]});
            None targets everyone.
        goal: the reach share of the target population the plan must achieve.
        dedup: optional replacement for the combination rule, applied to a
            channels × segments array of reach shares (for learners' own models).
        audiences: the platform audience table (see `audiences_from`), or the
            `Audiences` arranged from it once, so that repeated runs skip the check.
    """
    weights = _activity_vector(activity)
    if not isinstance(audiences, Audiences):
        audiences = audiences_from(audiences)
    table, shares = audiences.segments, audiences.shares
    chosen = _segment_mask(table, segments or {})
    population = table["population"].to_numpy(dtype=float)[chosen]
    reached = shares[:, chosen] * (1 - np.exp(-weights / SATURATION))[:, None]
    combined = dedup(reached) if dedup else 1 - np.prod(1 - reached, axis=0)
    channel_reach = reached @ population
    views = 1 + weights / FREQUENCY_STEP
    return PlanResult(
        channels=_channel_table(weights, channel_reach, views, population.sum()),
        segments=_segment_table(table[chosen], combined * population),
        population=float(population.sum()),
        reach=float(combined @ population),
        impressions=float(channel_reach @ views),
        summed_reach=float(channel_reach.sum()),
        goal=float(goal),
        target={k: list(v) for k, v in (segments or {}).items()},
        audiences=audiences,
    )


def _activity_vector(activity: Mapping[str, float]) -> np.ndarray:
    unknown = sorted(set(activity) - set(CHANNELS))
    if unknown:
        raise ValueError(f"Unknown channel(s) {unknown}. Choose from {list(CHANNELS)}.")
    weights = np.array([float(activity.get(c, 0)) for c in CHANNELS])
    if np.any(weights < 0) or np.any(weights > 100) or np.isnan(weights).any():
        raise ValueError("Activity per channel runs from 0 (unused) to 100.")
    return weights


def _segment_mask(
    table: pd.DataFrame, segments: Mapping[str, Sequence[str]]
) -> np.ndarray:
    mask = np.ones(len(table), dtype=bool)
    for column, values in segments.items():
        if column not in SEGMENT_COLUMNS:
            raise ValueError(
                f"Segments are chosen by {list(SEGMENT_COLUMNS)}, not {column!r}."
            )
        known = set(table[column])
        if not values or set(values) - known:
            raise ValueError(f"Choose {column} from {sorted(known)}.")
        mask &= table[column].isin(values).to_numpy()
    return mask


def _channel_table(
    weights: np.ndarray, reach: np.ndarray, views: np.ndarray, population: float
) -> pd.DataFrame:

    used = weights > 0
    return pd.DataFrame(
        {
            "platform": np.array(CHANNELS)[used],
            "activity": weights[used],
            "reach": reach[used],
            "impressions": (reach * views)[used],
            "frequency": views[used],
            "reach_share": reach[used] / population if population else 0.0,
        }
    ).sort_values("reach", ascending=False, ignore_index=True)


def _segment_table(table: pd.DataFrame, reach: np.ndarray) -> pd.DataFrame:
    segments = table.reset_index(drop=True).copy()
    segments["reach"] = reach
    segments["reach_share"] = reach / segments["population"]
    return segments
