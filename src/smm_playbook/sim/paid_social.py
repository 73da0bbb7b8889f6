"""Paid social: auctions, pacing, fatigue, adstock, saturation and allocation.

A TEACHING MODEL. Each day each channel has a pool of auction opportunities
(impressions). For each one the best competitor's total value is random
(log-normal). Ours is bid × estimated action rate × quality, the multiplicative
form of Meta's "combination" of the three (platforms do not publish theirs). We
win an impression when our value beats the competitor's and pay just enough to
win. Pacing buys the cheapest winnable impressions first, up to the day's
allowance. Fatigue acts on repeat exposures: a person's k-th view of the same
creative clicks at the fresh rate × exp(−fatigue × (k − 1)), so first views keep
the fresh rate. With exposures spread at random over the audience (Poisson), the
day's click-through rate has a closed form (`fatigued_ctr`). A lower predicted
click-through rate lowers our total value, so at the same bid cap we win fewer
auctions: the CPC and CPA rise while the CPM need not. A new creative starts the
count of exposures again; a wider audience spreads the same impressions over
more people, at a slightly lower fresh click-through rate (broader targeting
reaches people less interested). The conversion rate per click does not tire.
Conversions follow clicks over several days (geometric adstock).

Diminishing returns are not assumed: they come out of the mechanics (each extra
pound buys a dearer impression, shown to someone who has seen the ad more often).
`fit_hill` then summarises a channel's response curve with Meridian's Hill
function, and `optimise` splits a budget to equalise marginal returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.optimize import curve_fit
from scipy.special import ndtr, ndtri

DAY_CAP, WEEK_CAP = 1.75, 7.0  # Meta: a day up to 75 % over; a Sun–Sat week 7×
# A wider audience's fresh CTR: × audience_scale ** −WIDEN_CTR_EXPONENT (teaching
# value: doubling the audience costs about a sixth of the fresh CTR).
WIDEN_CTR_EXPONENT = 0.25
START = pd.Timestamp("2025-09-01")  # a Monday

FloatArray = NDArray[np.float64]
# A plan: {channel: {"budget", "bid", "quality", optional "refresh_every", "audience"}}
Plan = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class Channel:
    """A channel's auction and audience, with its own currency-free settings."""

    name: str
    opportunities: int  # impressions up for auction each day
    audience: int  # people the targeting can reach
    ctr: float  # predicted click-through rate of a fresh creative
    cvr: float  # conversions per click
    order_value: float  # revenue per conversion
    competitor_value: float  # median best competing total value per impression
    spread: float  # log-normal sigma of competing values
    fatigue: float  # log of the CTR lost per repeat view of one creative
    decay: float  # geometric adstock θ of conversions


# Invented settings with recognisable shapes: Meta a large audience, Douyin cheap
# impressions that convert less, Xiaohongshu a small, engaged audience that tires
# of the same creative fast.
CHANNELS: dict[str, Channel] = {
    "Meta": Channel(
        "Meta", 200_000, 600_000, 0.012, 0.030, 38.0, 0.0055, 0.6, 0.18, 0.3
    ),
    "Douyin": Channel(
        "Douyin", 300_000, 1_000_000, 0.009, 0.015, 30.0, 0.0040, 0.7, 0.22, 0.2
    ),
    "Xiaohongshu": Channel(
        "Xiaohongshu", 120_000, 120_000, 0.016, 0.035, 45.0, 0.0080, 0.5, 0.30, 0.4
    ),
}
# The bid works as a bid cap (the most the advertiser will pay per click): the
# platform's automatic bidding spends the budget on the cheapest impressions the
# cap allows.
DEFAULT_PLAN: dict[str, dict[str, float]] = {
    "Meta": {"budget": 250.0, "bid": 2.0, "quality": 1.0},
    "Douyin": {"budget": 250.0, "bid": 1.8, "quality": 1.0},
    "Xiaohongshu": {"budget": 250.0, "bid": 2.2, "quality": 1.0},
}
# Optional plan keys: a new creative every `refresh_every` days (0: never) and
# the audience widened `audience` times (1: as targeted).
PLAN_DEFAULTS = {"refresh_every": 0, "audience": 1.0}
RATIOS = ("cpm", "cpc", "ctr", "cvr", "cpa", "roas")


# --- The formulas ---------------------------------------------------------------


def total_value(
    bid: ArrayLike, action_rate: ArrayLike, quality: ArrayLike = 1.0
) -> FloatArray:
    """The auction's total value: bid × estimated action rate × quality."""
    for name, value in (("bid", bid), ("action_rate", action_rate)):
        if np.any(np.asarray(value) < 0):
            raise ValueError(f"{name} cannot be negative.")
    if np.any(np.asarray(quality) <= 0):
        raise ValueError("quality is a positive multiplier (1 is average).")
    return np.asarray(bid) * np.asarray(action_rate) * np.asarray(quality)


def exposure_ctr(
    fresh_ctr: float, fatigue: float, views_before: ArrayLike
) -> FloatArray:
    """CTR of a person's next view of a creative they have seen `views_before`
    times: fresh_ctr × exp(−fatigue × views_before). First views are fresh."""
    if fatigue < 0:
        raise ValueError("fatigue cannot be negative.")
    return fresh_ctr * np.exp(-fatigue * np.asarray(views_before, dtype=float))


def fatigued_ctr(fresh_ctr: float, fatigue: float, start: float, end: float) -> float:
    """Average CTR of the impressions that take views per person from `start` to
    `end` (impressions of this creative ÷ audience), when each impression goes to
    a random member of the audience: the views a person has had are then
    Poisson, and E[exp(−f·K)] = exp(−λ(1 − e^−f)) averaged over λ in [start, end].
    """
    c = 1 - np.exp(-fatigue)
    width = end - start
    if c == 0 or width <= 1e-12:
        return fresh_ctr * np.exp(-c * start)
    return fresh_ctr * (np.exp(-c * start) - np.exp(-c * end)) / (c * width)


def hill(x: ArrayLike, ec: float, slope: float = 1.0) -> FloatArray:
    """Hill saturation: x^s ÷ (x^s + ec^s); half the maximum at x = ec."""
    if ec <= 0 or slope <= 0:
        raise ValueError("ec and slope must be positive.")
    x = np.asarray(x, dtype=float)
    ratio = np.divide(ec, x, out=np.full_like(x, np.inf), where=x > 0)
    return 1 / (1 + ratio**slope)


def geometric_adstock(x: ArrayLike, decay: float) -> FloatArray:
    """Robyn's geometric adstock: today's effect plus `decay` × yesterday's total."""
    if not 0 <= decay < 1:
        raise ValueError("decay is a share between 0 and 1.")
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    carry = 0.0
    for t, value in enumerate(x):
        carry = value + decay * carry
        out[t] = carry
    return out


def adstock_weights(alpha: float, max_lag: int) -> FloatArray:
    """Meridian's geometric weights α^s ÷ Σ α^s for s = 0 … max_lag."""
    weights = alpha ** np.arange(max_lag + 1)
    return weights / weights.sum()


def normalised_adstock(x: ArrayLike, alpha: float, max_lag: int) -> FloatArray:
    """Meridian's adstock: a weighted average of the last `max_lag` + 1 values,
    with weights α^s ÷ Σ α^s (s = 0 … max_lag)."""
    if not 0 <= alpha <= 1 or max_lag < 0:
        raise ValueError("alpha is between 0 and 1 and max_lag is at least 0.")
    weights = adstock_weights(alpha, max_lag)
    x = np.asarray(x, dtype=float)
    padded = np.concatenate([np.zeros(max_lag), x])
    return np.array(
        [weights @ padded[t + max_lag - np.arange(max_lag + 1)] for t in range(len(x))]
    )


def pace(daily_budget: float, wanted: ArrayLike, start_weekday: int = 0) -> FloatArray:
    """Spend per day: what the auctions would take, within both caps.

    A day may spend up to 1.75 × the daily budget; a Sunday–Saturday week at most
    7 × (a first week that starts after Sunday: the budget × its days). Each day
    aims at the week's remaining budget spread over its remaining days, so spend
    runs at the budget and rises above it only to catch up after a quiet day.
    `start_weekday` is day one's weekday (0 Monday … 6 Sunday).
    """
    if daily_budget < 0:
        raise ValueError("daily_budget cannot be negative.")
    wanted = np.asarray(wanted, dtype=float)
    if (wanted < 0).any():
        raise ValueError("wanted spend cannot be negative.")
    pacer = _Pacer(daily_budget, start_weekday)
    return np.array([pacer.spend(day, want) for day, want in enumerate(wanted)])


class _Pacer:
    """Tracks the Sunday–Saturday week so no day or week goes over its cap.

    A first week that starts after Sunday is prorated: its cap is the daily
    budget × the days the ad set runs in it, not 7 ×."""

    def __init__(self, daily_budget: float, start_weekday: int = 0):
        self.budget, self.start, self.week_spent = daily_budget, start_weekday, 0.0
        self.week_days = 7 - (start_weekday + 1) % 7  # Sunday 7 … Saturday 1

    def spend(self, day: int, wanted: float, budget: float | None = None) -> float:
        """Record and return what may be spent on `day` out of `wanted`.

        `budget` changes the daily budget from this day on (an advertiser editing
        it mid-campaign); the caps follow the current budget."""
        if budget is not None:
            self.budget = budget
        weekday = (self.start + day) % 7  # 0 Monday … 6 Sunday
        if weekday == 6:  # a Sunday starts a new week
            self.week_spent, self.week_days = 0.0, 7
        left = WEEK_CAP * self.budget * self.week_days / 7 - self.week_spent
        days_left = 7 - (weekday + 1) % 7  # Sunday 7 … Saturday 1
        # Standard delivery: the week's remaining budget spread over its remaining
        # days, so a day only goes above budget to catch up, never over 1.75 ×.
        allowed = min(DAY_CAP * self.budget, left, max(left / days_left, 0.0))
        spent = min(wanted, max(allowed, 0.0))
        self.week_spent += spent
        return spent


# --- The campaign ---------------------------------------------------------------


@dataclass(frozen=True)
class CampaignResult:
    daily: pd.DataFrame
    totals: pd.DataFrame


def simulate_campaign(
    plan: Plan | None = None, days: int = 30, seed: int = 0
) -> CampaignResult:
    """Run every channel in `plan` ({channel: {budget, bid, quality}}) for `days`."""
    plan = _check_plan(DEFAULT_PLAN if plan is None else plan)
    frames = [
        _cached_run(name, *_settings_key(settings), days, seed + index)
        for index, (name, settings) in enumerate(plan.items())
    ]
    daily = pd.concat(frames, ignore_index=True)
    return CampaignResult(daily=daily, totals=totals(daily))


def _settings_key(
    settings: Mapping[str, float],
) -> tuple[float, float, float, int, float]:
    full = {**PLAN_DEFAULTS, **settings}
    return (
        float(full["budget"]),
        float(full["bid"]),
        float(full["quality"]),
        int(full["refresh_every"]),
        float(full["audience"]),
    )


@lru_cache(maxsize=512)
def _cached_run(
    name: str,
    budget: float,
    bid: float,
    quality: float,
    refresh_every: int,
    audience: float,
    days: int,
    seed: int,
) -> pd.DataFrame:
    """A live lab moves one slider at a time: the other channels come from here.
    Callers only read the frames (concat copies them)."""
    settings = {"budget": budget, "bid": bid, "quality": quality}
    settings |= {"refresh_every": refresh_every, "audience": audience}
    return _run_channel(CHANNELS[name], settings, days, seed)


def widened(channel: Channel, scale: float) -> Channel:
    """The channel with its audience (and auctions) `scale` times as large and a
    slightly lower fresh CTR, as broader targeting reaches less interested people."""
    if scale <= 0:
        raise ValueError("audience is a positive multiple (1 is as targeted).")
    return replace(
        channel,
        opportunities=int(channel.opportunities * scale),
        audience=int(channel.audience * scale),
        ctr=channel.ctr * scale**-WIDEN_CTR_EXPONENT,
    )


def _run_channel(
    channel: Channel, settings: Mapping[str, float], days: int, seed: int
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    full = {**PLAN_DEFAULTS, **settings}
    channel = widened(channel, float(full["audience"]))
    budgets = np.full(days, float(full["budget"]))
    run = deliver(
        channel,
        budgets,
        full["bid"],
        full["quality"],
        rng,
        refresh_every=int(full["refresh_every"]),
    )
    revenue = run["conversions"] * channel.order_value
    return _daily_frame(
        channel,
        settings["budget"],
        run["spend"],
        run["impressions"],
        run["reach"],
        run["clicks"],
        run["conversions"],
        revenue,
    )


def deliver(
    channel: Channel,
    budgets: FloatArray,
    bid: float,
    quality: float,
    rng: np.random.Generator,
    start: pd.Timestamp = START,
    refresh_every: int = 0,
) -> dict[str, FloatArray]:
    """Day-by-day delivery for one ad set: the auction, pacing and fatigue.

    `refresh_every` puts a new creative in every so many days (0: never); the
    count of views of the creative then starts again, while reach and frequency
    (of the ad set) carry on. Returns arrays: spend, impressions, clicks,
    conversions (spread by adstock), ctr_fresh (what a first view would click),
    reach (cumulative people) and daily_reach (people reached that day).
    """
    days = len(budgets)
    keys = ("spend", "impressions", "clicks", "reach", "daily_reach", "views")
    out = {k: np.zeros(days) for k in keys}
    seen, views, pacer = 0.0, 0.0, _Pacer(float(budgets[0]), start.weekday())
    daily_pool = channel.opportunities * np.exp(0.1 * rng.standard_normal(days))
    for day in range(days):
        if refresh_every and day and day % refresh_every == 0:
            views = 0.0  # a new creative: nobody has seen it yet
        per_person = views / channel.audience
        predicted = fatigued_ctr(channel.ctr, channel.fatigue, per_person, per_person)
        market = _Market(channel, daily_pool[day], quality)
        ceiling = market.z_of_value(float(total_value(bid, predicted, quality)))
        allowed = pacer.spend(day, market.cost_up_to(ceiling), float(budgets[day]))
        bought_z = min(ceiling, market.z_for_cost(allowed))
        out["spend"][day] = market.cost_up_to(bought_z)
        bought = round(market.pool * ndtr(bought_z))
        after = (views + bought) / channel.audience
        ctr = fatigued_ctr(channel.ctr, channel.fatigue, per_person, after)
        out["impressions"][day] = bought
        out["clicks"][day] = rng.binomial(int(bought), ctr)
        out["daily_reach"][day] = channel.audience * (
            1 - np.exp(-bought / channel.audience)
        )
        seen, views = seen + bought, views + bought
        out["views"][day] = per_person
        out["reach"][day] = channel.audience * (1 - np.exp(-seen / channel.audience))
    direct = rng.binomial(out["clicks"].astype(int), channel.cvr).astype(float)
    # Conversions trickle in over the next days; (1 − θ) keeps the total unchanged.
    out["conversions"] = (1 - channel.decay) * geometric_adstock(direct, channel.decay)
    return out


class _Market:
    """One day's competing values, log-normal, handled in closed form.

    Buying the cheapest winnable impressions first means buying every impression
    whose rival value is below a threshold; with log-normal values the count and
    the cost up to a threshold (at z standard deviations) are exact formulas.
    """

    def __init__(self, channel: Channel, pool: float, quality: float):
        self.pool, self.quality = pool, quality
        self.median, self.sigma = channel.competitor_value, channel.spread
        # pool × E[value; value below the threshold], paid per impression ÷ quality
        self.scale = pool * self.median * np.exp(self.sigma**2 / 2) / quality

    def z_of_value(self, value: float) -> float:
        return (
            -np.inf if value <= 0 else float(np.log(value / self.median) / self.sigma)
        )

    def cost_up_to(self, z: float) -> float:
        return float(self.scale * ndtr(z - self.sigma))

    def z_for_cost(self, cost: float) -> float:
        share = min(cost / self.scale, 1.0) if self.scale > 0 else 0.0
        return float(ndtri(share) + self.sigma) if share > 0 else -np.inf


def _daily_frame(
    channel: Channel,
    budget: float,
    spend: FloatArray,
    impressions: FloatArray,
    reach: FloatArray,
    clicks: FloatArray,
    conversions: FloatArray,
    revenue: FloatArray,
) -> pd.DataFrame:
    days = len(spend)
    frame = pd.DataFrame(
        {
            "day": np.arange(1, days + 1),
            "date": START + pd.to_timedelta(np.arange(days), unit="D"),
            "channel": channel.name,
            "budget": budget,
            "spend": spend.round(2),
            "impressions": impressions.astype(int),
            "reach": reach.round().astype(int),
            "clicks": clicks.astype(int),
            "conversions": conversions,
            "revenue": revenue,
        }
    )
    frame["frequency"] = _ratio(np.cumsum(impressions), reach)
    return frame.assign(**_ratios(frame))


def _ratio(top: ArrayLike, bottom: ArrayLike) -> FloatArray:
    top, bottom = np.asarray(top, float), np.asarray(bottom, float)
    return np.divide(top, bottom, out=np.full_like(top, np.nan), where=bottom > 0)


def _ratios(frame: pd.DataFrame) -> dict[str, FloatArray]:
    """The six paid-media ratios, each a ratio of the frame's own sums."""
    return {
        "cpm": 1000 * _ratio(frame["spend"], frame["impressions"]),
        "cpc": _ratio(frame["spend"], frame["clicks"]),
        "ctr": _ratio(frame["clicks"], frame["impressions"]),
        "cvr": _ratio(frame["conversions"], frame["clicks"]),
        "cpa": _ratio(frame["spend"], frame["conversions"]),
        "roas": _ratio(frame["revenue"], frame["spend"]),
    }


def totals(daily: pd.DataFrame) -> pd.DataFrame:
    """Per channel: sums, then ratios of the sums (never averages of daily ratios)."""
    sums = daily.groupby("channel", sort=False)[
        ["spend", "impressions", "clicks", "conversions", "revenue"]
    ].sum()
    return sums.assign(**_ratios(sums))


# --- Response curves and allocation ----------------------------------------------


@dataclass(frozen=True)
class HillFit:
    """conversions ≈ beta × hill(daily budget, ec, slope), over the campaign."""

    beta: float
    ec: float
    slope: float

    def __call__(self, budget: ArrayLike) -> FloatArray:
        return self.beta * hill(np.maximum(budget, 1e-9), self.ec, self.slope)


def response_curve(
    channel: str,
    plan: Plan | None = None,
    budgets: Sequence[float] | FloatArray | None = None,
    days: int = 30,
    seed: int = 0,
) -> pd.DataFrame:
    """Total conversions over the campaign for each daily budget, other settings
    as in `plan`: the channel's response curve."""
    plan = _check_plan(DEFAULT_PLAN if plan is None else plan)
    budgets = np.linspace(25, 1000, 14) if budgets is None else budgets
    rows = []
    seed += list(plan).index(channel)  # the same draws as simulate_campaign's
    for budget in budgets:
        settings = {**plan[channel], "budget": float(budget)}
        run = _run_channel(CHANNELS[channel], settings, days, seed)
        rows.append(
            {
                "budget": float(budget),
                "spend": run["spend"].sum(),
                "conversions": run["conversions"].sum(),
                "revenue": run["revenue"].sum(),
            }
        )
    return pd.DataFrame(rows)


def fit_hill(budgets: ArrayLike, conversions: ArrayLike) -> HillFit:
    """Least-squares Hill curve through (daily budget, conversions) points."""
    x, y = np.asarray(budgets, float), np.asarray(conversions, float)
    if len(x) < 3 or (y <= 0).all():
        raise ValueError("fit_hill needs at least 3 points with some conversions.")
    start = (y.max() * 1.5, float(np.median(x)), 1.0)
    params, _ = curve_fit(
        lambda b, beta, ec, s: beta * hill(b, ec, s),
        x,
        y,
        p0=start,
        bounds=([1e-9, 1e-6, 0.2], [np.inf, np.inf, 5.0]),
        maxfev=20_000,
    )
    return HillFit(*map(float, params))


def optimise(
    curves: Mapping[str, Callable[[ArrayLike], ArrayLike]],
    total_budget: float,
    step: float = 5.0,
) -> dict[str, float]:
    """The split of `total_budget` (in `step` units) that maximises total response.

    Dynamic programming over the grid: exact for any curve shape, and for concave
    curves the result equalises marginal returns, not average returns.
    """
    if total_budget < 0 or step <= 0:
        raise ValueError("total_budget must be ≥ 0 and step > 0.")
    units = int(round(total_budget / step))
    grid = np.arange(units + 1) * step
    names = list(curves)
    best = np.zeros(units + 1)  # best response using the channels so far
    choices: list[NDArray[np.intp]] = []
    for name in names:
        gain = np.asarray(curves[name](grid), dtype=float)
        # combined[t, u] = best[t − u] + gain[u] for u ≤ t
        table = np.full((units + 1, units + 1), -np.inf)
        for u in range(units + 1):
            table[u:, u] = best[: units + 1 - u] + gain[u]
        choices.append(table.argmax(axis=1))
        best = table.max(axis=1)
    split: dict[str, float] = {}
    left = units
    for name, choice in zip(reversed(names), reversed(choices), strict=True):
        split[name] = float(choice[left] * step)
        left -= choice[left]
    return {name: split[name] for name in names}


def _check_plan(plan: Plan) -> Plan:

    unknown = set(plan) - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown channel(s) {sorted(unknown)}; use {list(CHANNELS)}.")
    for name, settings in plan.items():
        missing = {"budget", "bid", "quality"} - set(settings)
        if missing:
            raise ValueError(f"{name}: the plan needs {sorted(missing)}.")
        if settings["budget"] < 0 or settings["bid"] < 0 or settings["quality"] <= 0:
            raise ValueError(
                f"{name}: budget and bid cannot be negative; quality must be positive."
            )
        full = {**PLAN_DEFAULTS, **settings}
        if full["refresh_every"] < 0 or full["audience"] <= 0:
            raise ValueError(
                f"{name}: refresh_every is a number of days (0 for never) and "
                "audience a positive multiple (1 is as targeted)."
            )
    return plan
