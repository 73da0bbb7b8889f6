"""`mentions_<incident>`: three days of brand mentions every 5 minutes (Beijing time).

Synthetic. A listening tool's export for the tea brand: how many posts mentioned
it, the share judged negative, their combined reach and the follower count of the
biggest author, per 5-minute step. Every series has the ordinary rhythm of a day
(quiet nights, an evening peak) and a harmless spike when a campaign post goes
out on the first evening: lots of mentions, few of them negative. Incidents come
on top:

- `glass_rumour`: on the second afternoon a post claims glass was found in a
  bottle; a 1.2-million-follower account picks it up, a journalist joins, the
  story runs for hours and becomes a crisis.
- `flavour_grumble`: on the second evening a wave of complaints about a new
  recipe; it peaks, stays small and fades without help.

`incident_series` makes more of the same with other seeds and onsets: the
exercise grades a learner's onset detector on series it has never shown them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from smm_playbook.sim.rumour_spread import mean_field

START = pd.Timestamp("2025-06-10 00:00", tz="Asia/Shanghai")
STEP_MINUTES, DAYS = 5, 3
STEPS = DAYS * 24 * 60 // STEP_MINUTES
# Ordinary mentions per 5 minutes by hour of day (Beijing time).
HOURLY = np.array(
    [2, 1.2, 0.8, 0.5, 0.4, 0.4, 0.8, 1.5, 2.5, 3, 3, 3.2]
    + [3.8, 3.5, 3, 3, 3.2, 3.6, 4.2, 5, 5.6, 5.4, 4.5, 3.2]
)
CAMPAIGN_STEP = (20 * 60 + 0) // STEP_MINUTES  # day 1, 20:00: a campaign post
# Each incident's rumour-model settings (per minute), peak mentions per step,
# negative share and biggest authors. A grumble starts loud and burns out.
SIZES = {
    "crisis": {
        "beta": 0.03,
        "gamma": 0.03,
        "seeded": 2e-3,
        "peak": 160.0,
        "negative": 0.82,
        "hub": 1_200_000,
        "journalist": True,
    },
    "grumble": {
        "beta": 0.05,
        "gamma": 0.09,
        "seeded": 0.03,
        "peak": 20.0,
        "negative": 0.65,
        "hub": 45_000,
        "journalist": False,
    },
}


def glass_rumour(rng: np.random.Generator) -> pd.DataFrame:
    onset = STEPS // 3 + (14 * 60 + 35) // STEP_MINUTES  # day 2, 14:35
    return incident_series(rng, onset, "crisis")[0]


def flavour_grumble(rng: np.random.Generator) -> pd.DataFrame:
    onset = STEPS // 3 + (19 * 60 + 10) // STEP_MINUTES  # day 2, 19:10
    return incident_series(rng, onset, "grumble")[0]


def incident_series(
    rng: np.random.Generator, onset: int | None, size: str = "crisis"
) -> tuple[pd.DataFrame, int | None]:
    """A 3-day series with an incident starting at step `onset` (None: no incident)."""
    steps = np.arange(STEPS)
    hour = (steps * STEP_MINUTES // 60) % 24
    ordinary = rng.poisson(HOURLY[hour] * rng.uniform(0.85, 1.15))
    campaign = _bump(steps, CAMPAIGN_STEP, rng.uniform(25, 40), width=4)
    campaign = rng.poisson(campaign)
    incident = np.zeros(STEPS, dtype=int)
    if onset is not None:
        incident = rng.poisson(_incident_curve(steps, onset, SIZES[size], rng))
    mentions = ordinary + campaign + incident
    negative = _negative_share(rng, ordinary, campaign, incident, size)
    followers = _top_authors(rng, mentions, incident, onset, size)
    reach = _reach(rng, mentions, followers)
    frame = pd.DataFrame(
        {
            "timestamp": (
                START + pd.to_timedelta(steps * STEP_MINUTES, unit="min")
            ).strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            "mentions": mentions,
            "negative_share": negative.round(3),
            "reach": reach,
            "top_author_followers": followers,
        }
    )
    return frame, onset


def _bump(steps: np.ndarray, centre: float, height: float, width: float) -> np.ndarray:
    return height * np.exp(-0.5 * ((steps - centre) / width) ** 2)


def _incident_curve(
    steps: np.ndarray, onset: int, size: Mapping[str, float], rng: np.random.Generator
) -> np.ndarray:
    """New mentions per step from the rumour model, scaled to the incident's size."""
    speed = rng.uniform(0.8, 1.25)
    shares = mean_field(
        size["beta"] * speed, size["gamma"], hours=24, seeded=size["seeded"]
    )
    heard = 1 - shares["ignorant"].to_numpy()
    curve = np.diff(heard, prepend=heard[0])
    curve = size["peak"] * rng.uniform(0.75, 1.25) * curve / curve.max()
    out = np.zeros(len(steps))
    span = min(len(curve), len(steps) - onset)
    out[onset : onset + span] = curve[:span]
    out[onset : onset + 3] += 1.5  # the first posts and their replies
    return out


def _negative_share(
    rng: np.random.Generator,
    ordinary: np.ndarray,
    campaign: np.ndarray,
    incident: np.ndarray,
    size: str,
) -> np.ndarray:
    """Mentions-weighted mix: ordinary ~12 % negative, campaign ~5 %, incident high."""
    base = rng.beta(3, 22, size=len(ordinary))
    wanted = SIZES[size]["negative"]
    hot = np.clip(rng.normal(wanted, 0.06, size=len(ordinary)), 0, 1)
    total = ordinary + campaign + incident
    share = (ordinary * base + campaign * 0.05 + incident * hot) / np.maximum(total, 1)
    return np.where(total > 0, share, 0.0)


def _top_authors(
    rng: np.random.Generator,
    mentions: np.ndarray,
    incident: np.ndarray,
    onset: int | None,
    size: str,
) -> np.ndarray:
    """Biggest author per step: ordinary accounts, plus the incident's big names."""
    typical = np.exp(rng.normal(7.5, 1.3, size=len(mentions)))  # ~1,800 followers
    biggest = typical * (1 + np.log1p(mentions))
    followers = np.where(mentions > 0, biggest, 0).round().astype(int)
    if onset is not None:
        pickup = onset + int(rng.integers(6, 12))  # 30–60 minutes in
        spec = SIZES[size]
        if pickup < len(mentions):
            followers[pickup] = max(followers[pickup], spec["hub"])
        if spec["journalist"] and pickup + 12 < len(mentions):
            followers[pickup + 12] = max(followers[pickup + 12], 86_000)
    return followers


def _reach(
    rng: np.random.Generator, mentions: np.ndarray, followers: np.ndarray
) -> np.ndarray:
    """Accounts reached: the top author's followers plus the rest's, roughly."""
    others = rng.gamma(2.0, 900.0, size=len(mentions)) * np.maximum(mentions - 1, 0)
    return np.where(mentions > 0, followers + others, 0).round().astype(int)
