"""`live_session`: one Douyin live-selling session, one row per 5-minute interval.

Synthetic. A three-hour evening session (20:00 to 23:00 Beijing time) of the
course's fictional tea brand, with its room promoted through 巨量千川
(Qianchuan). Each interval has the room's impressions in the feed (`views`),
the people who came in (`entries`), product-card clicks, orders and their value
(GMV), the part of that GMV later refunded, and the Qianchuan spend. The
audience builds over the first half hour, peaks when the host runs the main
offer and tails off; about one order in four is refunded, as in categories with
impulse buying. Magnitudes are illustrative, chosen so the session's GMV ÷ spend
looks healthy while the session loses money after refunds, the cost of goods,
the host's cut and the platform's fee.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-11-12 20:00", tz="Asia/Shanghai")
INTERVALS = 36  # 3 hours of 5-minute intervals
ORDER_VALUE = 79.0  # yuan, the average basket
REFUND_RATE = 0.27  # share of GMV refunded, on average


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """The session's export, one row per 5-minute interval."""
    t = np.arange(INTERVALS)
    # Audience: a ramp-up, a peak around the main offer (~minute 75), a tail.
    shape = (1 - np.exp(-(t + 1) / 4)) * np.exp(-(((t - 15) / 14) ** 2))
    views = rng.poisson(6_000 + 22_000 * shape)
    entries = rng.binomial(views, rng.uniform(0.13, 0.17, INTERVALS))
    click_rate = np.where((t >= 12) & (t < 20), 0.11, 0.075)  # the main offer
    clicks = rng.binomial(entries, click_rate * rng.uniform(0.85, 1.15, INTERVALS))
    orders = rng.binomial(clicks, rng.uniform(0.14, 0.18, INTERVALS))
    basket = ORDER_VALUE * rng.uniform(0.9, 1.1, INTERVALS)
    gmv = np.round(orders * basket, 2)
    refunded = rng.binomial(orders, REFUND_RATE)
    refunded_gmv = np.round(refunded * basket, 2)
    # Qianchuan spend follows the audience it buys, with some noise.
    spend = np.round(views * 0.052 * rng.uniform(0.85, 1.15, INTERVALS), 2)
    return pd.DataFrame(
        {
            "interval_start": [
                (START + pd.Timedelta(minutes=5 * int(i))).isoformat() for i in t
            ],
            "views": views,
            "entries": entries,
            "product_clicks": clicks,
            "orders": orders,
            "gmv": gmv,
            "refunded_orders": refunded,
            "refunded_gmv": refunded_gmv,
            "ad_spend": spend,
        }
    )
