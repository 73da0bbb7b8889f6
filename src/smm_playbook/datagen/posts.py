"""`posts`: a year (2025) of a fictional tea brand's organic posts on ten platforms.

Synthetic, and produced by the Module 2 content-calendar model itself (audience
activity by hour and weekday, format effects, fatigue, noise), so what learners
find in the data is what the simulator teaches. On top of the model, the export
is made as messy as real ones: WeChat rows have no reach (WeChat reports reads,
which this export leaves out), about 2 % of other rows lost their reach, and about
1.5 % of rows appear twice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook.sim.content_calendar import PILLAR_EFFECT, PILLARS, PLATFORMS
from smm_playbook.sim.content_calendar import expected_reach as model_reach

FIRST_MONDAY = pd.Timestamp("2025-01-06")
WEEKS = 52
CADENCE = {
    "Facebook": 5,
    "Instagram": 6,
    "X": 10,
    "LinkedIn": 3,
    "TikTok": 5,
    "WeChat": 4,
    "Weibo": 10,
    "Douyin": 6,
    "Xiaohongshu": 4,
    "Bilibili": 2,
}
POSTING_HOURS = (8, 9, 10, 12, 13, 17, 18, 19, 20, 21, 22)
PILLAR_WEIGHTS = (0.25, 0.2, 0.2, 0.15, 0.2)
CHINESE = {"WeChat", "Weibo", "Douyin", "Xiaohongshu", "Bilibili"}
# Share of engagements that are likes, comments, shares and saves.
MIX = {
    "default": (0.72, 0.12, 0.09, 0.07),
    "Weibo": (0.55, 0.15, 0.25, 0.05),
    "Xiaohongshu": (0.50, 0.12, 0.08, 0.30),
    "WeChat": (0.60, 0.08, 0.22, 0.10),
}
VIDEO_VIEW_RATE = 0.55  # views (at the platform's own threshold) per impression


def generate(rng: np.random.Generator) -> pd.DataFrame:
    frames = [
        _platform_year(rng, platform, per_week)
        for platform, per_week in CADENCE.items()
    ]
    posts = pd.concat(frames, ignore_index=True)
    posts = posts.iloc[np.argsort(posts.pop("moment").to_numpy(), kind="stable")]
    posts.insert(0, "post_id", [f"P{i:05d}" for i in range(1, len(posts) + 1)])
    posts.loc[posts["platform"] == "WeChat", "reach"] = np.nan
    lost = (rng.random(len(posts)) < 0.02) & (posts["platform"] != "WeChat").to_numpy()
    posts.loc[lost, "reach"] = np.nan
    return _with_duplicates(rng, posts.reset_index(drop=True))


def _platform_year(
    rng: np.random.Generator, platform: str, per_week: int
) -> pd.DataFrame:
    spec = PLATFORMS[platform]
    n = per_week * WEEKS
    week = np.repeat(np.arange(WEEKS), per_week)
    day = rng.integers(0, 7, size=n)
    hour = rng.choice(POSTING_HOURS, size=n)
    formats = rng.choice(list(spec.formats), size=n)
    pillars = rng.choice(PILLARS, size=n, p=PILLAR_WEIGHTS)
    growth = 1 + 0.25 * week / WEEKS  # the account grows a quarter over the year
    expected = model_reach(platform, hour, day, formats, per_week) * growth
    reach = rng.poisson(expected * rng.gamma(4.0, 0.25, size=n))
    rate = spec.engagement_rate * np.array([PILLAR_EFFECT[p] for p in pillars])
    parts = _engagement_parts(rng, platform, rng.poisson(reach * rate))
    impressions = np.round(reach * rng.uniform(1.05, 1.6, size=n)).astype(int)
    is_video = formats == "video"
    views = np.where(is_video, rng.binomial(impressions, VIDEO_VIEW_RATE), -1)
    moment = (
        FIRST_MONDAY + pd.to_timedelta(week * 7 + day, "D") + pd.to_timedelta(hour, "h")
    )
    offset = "+08:00" if platform in CHINESE else "+00:00"
    return pd.DataFrame(
        {
            "platform": platform,
            "published_at": [m.strftime("%Y-%m-%dT%H:%M") + offset for m in moment],
            "format": formats,
            "pillar": pillars,
            "followers": np.round(spec.followers * growth).astype(int),
            "impressions": impressions,
            "reach": reach.astype(float),
            "likes": parts[:, 0],
            "comments": parts[:, 1],
            "shares": parts[:, 2],
            "saves": parts[:, 3],
            "clicks": rng.poisson(
                reach * np.where(pillars == "Promotion", 0.016, 0.006)
            ),
            "video_views": np.where(is_video, views, np.nan),
            "moment": moment - pd.Timedelta(hours=8 if platform in CHINESE else 0),
        }
    )


def _engagement_parts(
    rng: np.random.Generator, platform: str, totals: np.ndarray
) -> np.ndarray:
    mix = np.array(MIX.get(platform, MIX["default"]))
    return np.array([rng.multinomial(t, mix) for t in totals]).reshape(len(totals), 4)


def _with_duplicates(rng: np.random.Generator, posts: pd.DataFrame) -> pd.DataFrame:
    """Exports repeat rows (a retried API page): copy ~1.5 % right after themselves."""
    twice = rng.random(len(posts)) < 0.015
    order = np.sort(
        np.concatenate([np.arange(len(posts)), np.flatnonzero(twice) + 0.5])
    )
    return posts.iloc[np.floor(order).astype(int)].reset_index(drop=True)
