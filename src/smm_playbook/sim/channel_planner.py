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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from smm_playbook import data

BUDGET_PER_POINT = (
    1_000.0  # money a week (plan's currency) that one activity point buys
)
SATURATION = 40.0  # activity at which 63 % of a segment's platform users are reached
FREQUENCY_STEP = 25.0  # each 25 points of activity adds one view per reached person
SEGMENT_COLUMNS = ("region", "age_band", "interest")
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

EXAMPLE_PLAN = {
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


@cache
def _audience_cube() -> tuple[pd.DataFrame, np.ndarray]:
    """Segments (rows) and a channels × segments matrix of platform shares."""
    audiences = data.load("platform_audiences")
    cube = audiences.pivot_table(
        index=list(SEGMENT_COLUMNS), columns="platform", values="share", sort=True
    )
    population = audiences.groupby(list(SEGMENT_COLUMNS), sort=True)[
        "population"
    ].first()
    segments = population.reset_index()
    return segments, cube[list(CHANNELS)].to_numpy().T


def plan_reach(
    activity: Mapping[str, float],
    segments: Mapping[str, Sequence[str]] | None = None,
    goal: float = 0.5,
    dedup: Callable[[np.ndarray], np.ndarray] | None = None,
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
    """
    weights = _activity_vector(activity)
    table, shares = _audience_cube()
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


def _channel_table(weights, reach, views, population) -> pd.DataFrame:
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
