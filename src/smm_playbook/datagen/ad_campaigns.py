"""`ad_campaigns`: a quarter of paid-social delivery, one row per ad set and day.

Synthetic, produced by Module 5's auction model (`smm_playbook.sim.paid_social`),
so the diminishing returns, pacing and fatigue learners find in the export are the
ones the auction lab teaches. Each ad set is a slice of its platform's auction
with its own audience, click and conversion rates; budgets are edited every week
(up and down by up to a third), so spend and results move together and curve.
Fatigue acts on repeat views of a creative. One ad set never refreshes its
creative and tires: its click-through rate falls as its lifetime frequency
climbs, and at its bid cap it wins ever fewer auctions. Like a real export: Meta
reports in GBP and the Chinese platforms in CNY, a paused ad set has no rows, and
conversions are whole numbers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from smm_playbook.sim.paid_social import CHANNELS, deliver

START = pd.Timestamp("2025-07-01")
DAYS = 91  # 1 July to 29 September 2025
CNY_PER_GBP = 9.2  # a round rate for the export's currencies
# platform, campaign, ad set, objective, share of the platform's auction and
# audience, CTR and CVR multipliers, daily budget (GBP), bid cap, quality
AD_SETS = (
    ("Meta", "Summer iced tea", "Lookalike 1%", "Sales", 0.35, 1.0, 1.1, 120, 2.0, 1.1),
    (
        "Meta",
        "Summer iced tea",
        "Interest: tea lovers",
        "Sales",
        0.3,
        0.9,
        0.9,
        90,
        1.8,
        1.0,
    ),
    (
        "Meta",
        "Summer iced tea",
        "Retargeting 30 days",
        "Sales",
        0.06,
        1.6,
        2.4,
        40,
        2.5,
        1.2,
    ),
    ("Meta", "Gift boxes", "Broad", "Sales", 0.3, 0.8, 0.8, 60, 1.6, 0.9),
    (
        "Douyin",
        "Summer iced tea",
        "Auto-targeting",
        "Conversions",
        0.4,
        1.0,
        1.0,
        110,
        1.8,
        1.0,
    ),
    (
        "Douyin",
        "Summer iced tea",
        "Interest: food and drink",
        "Conversions",
        0.3,
        1.1,
        0.9,
        70,
        1.6,
        1.0,
    ),
    (
        "Douyin",
        "Live commerce",
        "Live room traffic",
        "Live room",
        0.25,
        1.3,
        0.7,
        80,
        1.5,
        0.9,
    ),
    (
        "Xiaohongshu",
        "Summer iced tea",
        "Juguang feed (one creative)",
        "Conversions",
        0.45,
        1.1,
        1.0,
        70,
        2.2,
        1.0,
    ),
    (
        "Xiaohongshu",
        "Summer iced tea",
        "Juguang search",
        "Conversions",
        0.25,
        1.4,
        1.4,
        40,
        2.4,
        1.1,
    ),
)
TIRED = "Juguang feed (one creative)"  # never refreshed: it tires
# Fatigue per repeat view, relative to the platform's: the other ad sets rotate
# creatives, so their people see each one less often (0.2); search ads meet people
# at the moment they search, so they tire least.
FATIGUE = {TIRED: 0.7, "Juguang search": 0.05}
PAUSED = ("Gift boxes", pd.Timestamp("2025-08-11"), pd.Timestamp("2025-08-24"))
COLUMNS = (
    "date",
    "platform",
    "campaign",
    "ad_set",
    "objective",
    "currency",
    "spend",
    "impressions",
    "reach",
    "frequency",
    "clicks",
    "conversions",
    "revenue",
)


def generate(rng: np.random.Generator) -> pd.DataFrame:
    frames = [_ad_set(rng, *spec) for spec in AD_SETS]
    export = pd.concat(frames, ignore_index=True)
    export = export.sort_values(
        ["date", "platform", "campaign", "ad_set"], kind="stable"
    )
    return export.reset_index(drop=True)[list(COLUMNS)]


def _ad_set(
    rng: np.random.Generator,
    platform: str,
    campaign: str,
    ad_set: str,
    objective: str,
    share: float,
    ctr_x: float,
    cvr_x: float,
    budget: float,
    bid: float,
    quality: float,
) -> pd.DataFrame:

    base = CHANNELS[platform]
    channel = replace(
        base,
        opportunities=int(base.opportunities * share),
        audience=int(base.audience * share),
        ctr=base.ctr * ctr_x,
        cvr=base.cvr * cvr_x,
        fatigue=base.fatigue * FATIGUE.get(ad_set, 0.2),
    )
    budgets = _weekly_budgets(rng, budget)
    run = deliver(channel, budgets, bid, quality, rng, start=START)
    rate = 1.0 if platform == "Meta" else CNY_PER_GBP
    conversions = np.round(run["conversions"]).astype(int)
    frame = pd.DataFrame(
        {
            "date": (START + pd.to_timedelta(np.arange(DAYS), unit="D")).strftime(
                "%Y-%m-%d"
            ),
            "platform": platform,
            "campaign": campaign,
            "ad_set": ad_set,
            "objective": objective,
            "currency": "GBP" if platform == "Meta" else "CNY",
            "spend": np.round(run["spend"] * rate, 2),
            "impressions": run["impressions"].astype(int),
            "reach": np.round(run["daily_reach"]).astype(int),
            "clicks": run["clicks"].astype(int),
            "conversions": conversions,
            "revenue": np.round(
                conversions * base.order_value * rate * rng.uniform(0.85, 1.15, DAYS), 2
            ),
        }
    )
    # Ads Manager's lifetime frequency: impressions to date ÷ people reached to date.
    frame["frequency"] = np.round(np.cumsum(run["impressions"]) / run["reach"], 3)
    dates = pd.to_datetime(frame["date"])
    paused = (campaign == PAUSED[0]) & dates.between(PAUSED[1], PAUSED[2])
    return frame[~paused]


def _weekly_budgets(rng: np.random.Generator, budget: float) -> np.ndarray:
    """The advertiser edits the budget each Monday: up or down by up to a third."""
    weeks = -(-DAYS // 7)
    factors = np.exp(rng.uniform(np.log(2 / 3), np.log(4 / 3), size=weeks))
    return np.repeat(budget * factors, 7)[:DAYS]
