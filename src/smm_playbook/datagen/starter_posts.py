"""`starter_posts`: one month of a fictional tea brand's posts on eleven platforms.

Synthetic. Magnitudes follow the course's reference facts: organic reach is a small
share of followers on follower-driven feeds and can exceed followers on algorithmic
video feeds (TikTok, Douyin); engagement rates by reach of roughly 1–8 %;
impressions a little above reach. Like a real export, some rows miss `reach` or
`clicks`, and times carry the offset of the team that scheduled them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# platform: (posts in the month, followers, reach ÷ followers, engagement ÷ reach,
#            formats, UTC offset of the scheduling team)
PLATFORMS: dict[str, tuple] = {
    "Facebook": (12, 48_000, 0.06, 0.020, ("image", "video", "link"), "+00:00"),
    "Instagram": (14, 31_000, 0.22, 0.045, ("image", "carousel", "reel"), "+00:00"),
    "X": (20, 12_500, 0.18, 0.012, ("text", "image"), "+00:00"),
    "LinkedIn": (8, 6_200, 0.30, 0.035, ("text", "image", "article"), "+00:00"),
    "TikTok": (10, 22_000, 1.40, 0.060, ("video",), "+00:00"),
    "YouTube": (4, 9_800, 0.55, 0.040, ("video",), "+00:00"),
    "WeChat": (8, 41_000, 0.12, 0.030, ("article",), "+08:00"),
    "Weibo": (16, 67_000, 0.09, 0.015, ("text", "image", "video"), "+08:00"),
    "Douyin": (10, 35_000, 1.60, 0.070, ("video",), "+08:00"),
    "Xiaohongshu": (9, 15_000, 0.45, 0.080, ("note", "video"), "+08:00"),
    "Bilibili": (5, 8_400, 0.70, 0.065, ("video",), "+08:00"),
}

# Share of engagements that are likes, comments, shares and saves.
MIX = np.array([0.70, 0.12, 0.10, 0.08])
MONTH_START = pd.Timestamp("2026-03-02")


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """Build the table; the same generator state always gives the same rows."""
    frames = [_platform_posts(rng, name, *spec) for name, spec in PLATFORMS.items()]
    posts = pd.concat(frames, ignore_index=True)
    moment = pd.to_datetime(posts["published_at"], utc=True)
    posts = posts.iloc[np.argsort(moment.to_numpy(), kind="stable")]
    posts.insert(0, "post_id", [f"SP{i:04d}" for i in range(1, len(posts) + 1)])
    _blank_some(rng, posts, "reach", 0.05)
    _blank_some(rng, posts, "clicks", 0.08)
    return posts.reset_index(drop=True)


def _platform_posts(
    rng: np.random.Generator,
    platform: str,
    n: int,
    followers: int,
    reach_share: float,
    er: float,
    formats: Sequence[str],
    offset: str,
) -> pd.DataFrame:
    days = np.sort(rng.integers(0, 28, size=n))
    hours = rng.choice([8, 9, 12, 13, 17, 18, 19, 20, 21], size=n)
    stamps = MONTH_START + pd.to_timedelta(days, "D") + pd.to_timedelta(hours, "h")
    follower_counts = (followers * (1 + 0.002 * days)).astype(int)
    reach = (
        rng.lognormal(np.log(follower_counts * reach_share), 0.35).round().astype(int)
    )
    impressions = (reach * rng.uniform(1.05, 1.6, size=n)).round().astype(int)
    engagements = rng.poisson(reach * er * rng.lognormal(0, 0.3, size=n))
    parts = np.array([rng.multinomial(e, MIX) for e in engagements]).reshape(n, 4)
    clicks = rng.poisson(reach * 0.008)
    return pd.DataFrame(
        {
            "platform": platform,
            "published_at": [s.strftime("%Y-%m-%dT%H:%M") + offset for s in stamps],
            "format": rng.choice(formats, size=n),
            "followers": follower_counts,
            "impressions": impressions,
            "reach": reach.astype(float),
            "likes": parts[:, 0],
            "comments": parts[:, 1],
            "shares": parts[:, 2],
            "saves": parts[:, 3],
            "clicks": clicks.astype(float),
        }
    )


def _blank_some(
    rng: np.random.Generator, frame: pd.DataFrame, column: str, share: float
) -> None:
    """Exports lose values; blank a share of one column (never the whole column)."""
    mask = rng.random(len(frame)) < share
    frame.loc[mask, column] = np.nan
