"""Attribution models against a known truth, and planning a lift test.

A TEACHING MODEL. Journeys are generated with known true effects: each user
meets a random sequence of touches over up to 30 days, and the chance to buy is
a logistic function of a baseline, the user's intent and the true effect of each
channel touched. Users who were going to buy anyway tend to search for the brand
or open an email just before buying, so Search and Email come last in journeys
while adding little: last click over-credits them. Because the model is known,
`true_incremental` can say how many conversions each channel really caused, which
no real dataset can.

"Truly caused" is defined by Shapley values: for each user, a channel's share of
the difference between the chance of buying with every channel the user met and
the chance with none of them, averaged over every order in which the channels
could be switched on. Because the logistic model does not add up, a channel's
separate effect (switch it alone off) depends on the others; Shapley values are
the one sharing that adds up exactly to the all-channels-off difference
(`joint_incremental`), so the truth's total equals what switching every channel
off together would lose.

Every attribution model shares out ALL conversions, including those no channel
caused; compare models with the truth by shares of credit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats
from scipy.optimize import brentq

CHANNELS = ("Paid social", "Organic social", "KOL", "Search", "Email")
# Log-odds each channel adds to a user's chance of buying (teaching values).
TRUE_EFFECTS = {
    "Paid social": 0.6,
    "Organic social": 0.3,
    "KOL": 0.8,
    "Search": 0.1,
    "Email": 0.05,
}
BASELINE, INTENT_BOOST, HIGH_INTENT = -3.4, 2.2, 0.2
EARLY = np.array([0.35, 0.3, 0.2, 0.1, 0.05])  # who makes the first touches
CLOSING = np.array([0.05, 0.05, 0.05, 0.55, 0.3])  # the last touch of keen buyers
START = pd.Timestamp("2025-10-01", tz="UTC")
DAY = 24 * 3600


@dataclass(frozen=True)
class _Touches:
    """A journeys table as sorted arrays, so every model is a few numpy calls."""

    journey: np.ndarray  # 0 … journeys − 1, sorted by journey then time
    channel: np.ndarray  # index into CHANNELS
    days: np.ndarray  # days since the campaign start
    converted: np.ndarray  # per journey
    first: np.ndarray
    last: np.ndarray
    position: np.ndarray  # 0-based within the journey
    length: np.ndarray  # touches in the journey, per touch


def generate_journeys(
    users: int = 5000, seed: int = 0, effects: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """One row per touch: journey_id, timestamp, channel, converted, revenue.

    `converted` is the journey's outcome, on every row; `revenue` sits on the
    journey's last row only (0 elsewhere), so summing it counts each sale once.
    """
    t, revenue = simulate_touches(users, seed, effects)
    return pd.DataFrame(
        {
            "journey_id": [f"J{j + 1:05d}" for j in t.journey],
            "timestamp": (
                START + pd.to_timedelta(np.round(t.days * DAY), unit="s")
            ).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "channel": np.array(CHANNELS, dtype=object)[t.channel],
            "converted": t.converted[t.journey].astype(int),
            "revenue": np.where(t.last, np.round(revenue[t.journey], 2), 0.0),
        }
    )


def simulate_touches(
    users: int = 5000, seed: int = 0, effects: Mapping[str, float] | None = None
) -> tuple[_Touches, NDArray[np.float64]]:
    """The journeys as arrays (no text) and each journey's revenue: fast enough
    for a live slider. Same users and seed, same touches, whatever the effects."""
    if users < 1:
        raise ValueError("users must be at least 1.")
    rng = np.random.default_rng(seed)
    effects = {**TRUE_EFFECTS, **(effects or {})}
    keen = rng.random(users) < HIGH_INTENT
    counts = 1 + rng.poisson(1.8, users)
    journey = np.repeat(np.arange(users), counts)
    first = np.r_[True, journey[1:] != journey[:-1]]
    last = np.r_[journey[1:] != journey[:-1], True]
    channel = rng.choice(len(CHANNELS), size=journey.size, p=EARLY)
    closing = last & keen[journey] & (rng.random(journey.size) < 0.85)
    channel[closing] = rng.choice(len(CHANNELS), size=closing.sum(), p=CLOSING)
    start = rng.uniform(0, 20, users)[journey]
    gaps = rng.exponential(2.0, journey.size)
    gaps[first] = 0
    days = np.minimum(start + _cumsum_by(gaps, journey), 30)
    draws, order_values = rng.random(users), rng.lognormal(np.log(45), 0.35, users)
    converted = draws < _chance(journey, channel, keen, effects, users)
    starts = np.flatnonzero(first)
    position = np.arange(len(journey)) - np.repeat(starts, counts)
    touches = _Touches(
        journey,
        channel,
        days,
        converted,
        first,
        last,
        position,
        np.repeat(counts, counts),
    )
    return touches, np.where(converted, order_values, 0.0)


def _cumsum_by(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    offsets = np.repeat(
        total[starts] - values[starts], np.diff(np.r_[starts, len(values)])
    )
    return total - offsets


def _touched(journey: np.ndarray, channel: np.ndarray, users: int) -> np.ndarray:
    """users × channels: did the user meet the channel at least once?"""
    seen = np.zeros((users, len(CHANNELS)), dtype=bool)
    seen[journey, channel] = True
    return seen


def _chance(
    journey: np.ndarray,
    channel: np.ndarray,
    keen: np.ndarray,
    effects: Mapping[str, float],
    users: int,
) -> np.ndarray:
    seen = _touched(journey, channel, users)
    weights = np.array([effects[c] for c in CHANNELS])
    return _logistic(BASELINE + INTENT_BOOST * keen + seen @ weights)


def _logistic(x: NDArray[np.float64] | float) -> NDArray[np.float64]:
    return 1 / (1 + np.exp(-x))


def _arrays(journeys: pd.DataFrame) -> _Touches:
    _check(journeys)
    ordered = journeys.sort_values(["journey_id", "timestamp"], kind="stable")
    journey = pd.factorize(ordered["journey_id"])[0]
    index = {name: i for i, name in enumerate(CHANNELS)}
    channel = ordered["channel"].map(index).to_numpy()
    seconds = pd.to_datetime(ordered["timestamp"], utc=True).astype("int64") / 1e9
    days = (seconds - START.timestamp()) / DAY
    first = np.r_[True, journey[1:] != journey[:-1]]
    last = np.r_[journey[1:] != journey[:-1], True]
    starts = np.flatnonzero(first)
    length = np.diff(np.r_[starts, len(journey)])
    position = np.arange(len(journey)) - np.repeat(starts, length)
    converted = ordered["converted"].to_numpy()[starts].astype(bool)
    return _Touches(
        journey,
        channel,
        days.to_numpy(),
        converted,
        first,
        last,
        position,
        np.repeat(length, length),
    )


def _check(journeys: pd.DataFrame) -> None:
    missing = {"journey_id", "timestamp", "channel", "converted"} - set(journeys)
    if missing:
        raise ValueError(f"journeys needs the columns {sorted(missing)}.")
    unknown = set(journeys["channel"]) - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown channel(s) {sorted(unknown)}; use {list(CHANNELS)}.")


def _credit(t: _Touches, weights: np.ndarray) -> pd.Series:
    """Credit per channel from per-touch weights, converting journeys only."""
    counted = t.converted[t.journey]
    credit = np.bincount(
        t.channel[counted], weights=weights[counted], minlength=len(CHANNELS)
    )
    return pd.Series(credit, index=list(CHANNELS), name="conversions")


# --- The rule-based models -----------------------------------------------------------


def last_click(journeys: pd.DataFrame) -> pd.Series:
    return _last_click(_arrays(journeys))


def _last_click(t: _Touches) -> pd.Series:
    return _credit(t, t.last.astype(float))


def first_click(journeys: pd.DataFrame) -> pd.Series:
    return _first_click(_arrays(journeys))


def _first_click(t: _Touches) -> pd.Series:
    return _credit(t, t.first.astype(float))


def linear(journeys: pd.DataFrame) -> pd.Series:
    return _linear(_arrays(journeys))


def _linear(t: _Touches) -> pd.Series:
    return _credit(t, 1 / t.length)


def time_decay(journeys: pd.DataFrame, half_life_days: float = 7.0) -> pd.Series:
    """Weight 2^(−days before the conversion ÷ half-life), normalised per journey;
    the conversion happens at the journey's last touch."""
    return _time_decay(_arrays(journeys), half_life_days)


def _time_decay(t: _Touches, half_life_days: float = 7.0) -> pd.Series:
    end = t.days[t.last][t.journey]
    raw = 2.0 ** (-(end - t.days) / half_life_days)
    totals = np.bincount(t.journey, weights=raw)
    return _credit(t, raw / totals[t.journey])


def position_based(
    journeys: pd.DataFrame, first: float = 0.4, last: float = 0.4
) -> pd.Series:
    """40 % to the first touch, 40 % to the last, 20 % shared by the middle;
    50/50 with two touches, all of it with one."""
    return _position_based(_arrays(journeys), first, last)


def _position_based(t: _Touches, first: float = 0.4, last: float = 0.4) -> pd.Series:
    weights = np.where(
        t.length == 1,
        1.0,
        np.where(
            t.length == 2,
            0.5,
            np.where(
                t.first,
                first,
                np.where(
                    t.last, last, (1 - first - last) / np.maximum(t.length - 2, 1)
                ),
            ),
        ),
    )
    return _credit(t, weights)


# --- The data-driven model: Markov removal effects ------------------------------------


def markov(journeys: pd.DataFrame) -> pd.Series:
    """First-order Markov chain: each channel's removal effect (how much the
    chance of converting falls if the channel vanished), shared out in proportion."""
    return _markov(_arrays(journeys))


def _markov(t: _Touches) -> pd.Series:
    counts = _transitions(t)
    base = _conversion_probability(counts)
    removal = np.array(
        [
            1 - _conversion_probability(counts, removed=c) / base
            for c in range(len(CHANNELS))
        ]
    )
    share = removal / removal.sum()
    return pd.Series(
        t.converted.sum() * share, index=list(CHANNELS), name="conversions"
    )


def _transitions(t: _Touches) -> np.ndarray:
    """Counts between states: start, the channels, conversion, no conversion."""
    k = len(CHANNELS)
    start, win, lose = k, k + 1, k + 2
    counts = np.zeros((k + 3, k + 3))
    np.add.at(counts, (np.full(t.first.sum(), start), t.channel[t.first]), 1)
    inner = ~t.last
    np.add.at(counts, (t.channel[inner], t.channel[np.flatnonzero(inner) + 1]), 1)
    ends = np.where(t.converted[t.journey[t.last]], win, lose)
    np.add.at(counts, (t.channel[t.last], ends), 1)
    return counts


def _conversion_probability(counts: np.ndarray, removed: int | None = None) -> float:
    """Chance to reach conversion from start; a removed channel ends in no sale."""
    k = len(CHANNELS)
    counts = counts.copy()
    if removed is not None:
        counts[:, k + 2] += counts[:, removed]
        counts[:, removed] = 0
    totals = counts.sum(axis=1, keepdims=True)
    moves = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    transient = list(range(k + 1))  # the channels and start
    q = moves[np.ix_(transient, transient)]
    r = moves[transient, k + 1]
    absorbed = np.linalg.solve(np.eye(len(transient)) - q, r)
    return float(absorbed[k])


# --- The truth, and the comparison ---------------------------------------------


def true_incremental(
    journeys: pd.DataFrame, effects: Mapping[str, float] | None = None
) -> pd.Series:
    """Conversions each channel truly caused: per user, the channel's Shapley value
    of the chance of buying (the model is known here); they add up to
    `joint_incremental`, the conversions lost if every channel were switched off.

    A user's intent is hidden, but how likely a keen buyer is to end on each
    channel is known, so each user's intent is weighted by Bayes' rule from the
    channel of their last touch.
    """
    return _true_incremental(_arrays(journeys), effects)


def joint_incremental(
    journeys: pd.DataFrame, effects: Mapping[str, float] | None = None
) -> float:
    """Conversions that would be lost if every channel were switched off at once:
    Σ over users of P(buy | the channels they met) − P(buy | none)."""
    return _joint_incremental(_arrays(journeys), effects)


# Every subset of the channels as a row of 0/1, and each subset's size.
_MASKS = (np.arange(2 ** len(CHANNELS))[:, None] >> np.arange(len(CHANNELS))) & 1
_SIZES = _MASKS.sum(axis=1)


def _shapley_weights(n: int) -> np.ndarray:
    """|T|! (n − |T| − 1)! ÷ n! for a coalition T that leaves one channel out."""
    from math import factorial

    return np.array(
        [factorial(k) * factorial(n - k - 1) / factorial(n) for k in range(n)]
    )


def _intents(
    t: _Touches, effects: Mapping[str, float] | None
) -> list[tuple[float, np.ndarray, np.ndarray]]:
    """For the keen and the other users: (log-odds without any channel, the
    log-odds each channel adds, and the users' summed weight per pattern of
    channels met). Users who met the same channels have the same chances, so
    the truth is computed once per pattern (at most 2^5), not once per user;
    each user's intent is weighted by Bayes' rule from the last touch."""
    effects = {**TRUE_EFFECTS, **(effects or {})}
    seen = _touched(t.journey, t.channel, t.converted.size)
    pattern = seen @ (2 ** np.arange(len(CHANNELS)))
    ending = t.channel[t.last]
    keen_ends = 0.85 * CLOSING + 0.15 * EARLY
    keen = HIGH_INTENT * keen_ends[ending]
    keen = keen / (keen + (1 - HIGH_INTENT) * EARLY[ending])
    weights = np.array([effects[c] for c in CHANNELS])
    return [
        (
            BASELINE + INTENT_BOOST * intent,
            weights,
            np.bincount(pattern, weights=share, minlength=len(_MASKS)),
        )
        for intent, share in ((1, keen), (0, 1 - keen))
    ]


def _true_incremental(
    t: _Touches, effects: Mapping[str, float] | None = None
) -> pd.Series:
    k = len(CHANNELS)
    shapley = _shapley_weights(k)
    result = np.zeros(k)
    for base, weights, users in _intents(t, effects):
        added = _MASKS * weights  # each pattern's channels and their effects
        # value[p, q]: chance of buying for pattern p with only the channels in q on
        value = _logistic(base + added @ _MASKS.T)
        for c in range(k):
            without = np.flatnonzero(_MASKS[:, c] == 0)
            gain = value[:, without + 2**c] - value[:, without]
            result[c] += users @ (gain @ shapley[_SIZES[without]])
    return pd.Series(result, index=list(CHANNELS), name="truly caused")


def _joint_incremental(
    t: _Touches, effects: Mapping[str, float] | None = None
) -> float:
    total = 0.0
    for base, weights, users in _intents(t, effects):
        gain = _logistic(base + _MASKS @ weights) - _logistic(base)
        total += float(users @ gain)
    return total


def separate_incremental(
    journeys: pd.DataFrame, effects: Mapping[str, float] | None = None
) -> pd.Series:
    """Each channel's separate effect: conversions lost if it alone were switched
    off, the others left on. These do NOT add up to the joint effect."""
    result = np.zeros(len(CHANNELS))
    for base, weights, users in _intents(_arrays(journeys), effects):
        full = base + _MASKS @ weights
        for c in range(len(CHANNELS)):
            without = full - _MASKS[:, c] * weights[c]
            result[c] += users @ (_logistic(full) - _logistic(without))
    return pd.Series(result, index=list(CHANNELS), name="separate effect")


MODELS = {
    "last click": _last_click,
    "first click": _first_click,
    "linear": _linear,
    "time decay": _time_decay,
    "position-based": _position_based,
    "data-driven (Markov)": _markov,
}


def compare_models(
    journeys: pd.DataFrame, effects: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Each model's SHARE of credit per channel beside the true share."""
    return compare_touches(_arrays(journeys), effects)


def compare_touches(
    t: _Touches, effects: Mapping[str, float] | None = None
) -> pd.DataFrame:
    table = pd.DataFrame({name: model(t) for name, model in MODELS.items()})
    table["truth"] = _true_incremental(t, effects)
    return table / table.sum()


def model_error(comparison: pd.DataFrame) -> pd.Series:
    """How far each model's shares are from the truth (sum of absolute gaps)."""
    return (
        (comparison.drop(columns="truth").sub(comparison["truth"], axis=0)).abs().sum()
    )


# --- Lift tests ---------------------------------------------------------------


def lift_power(
    daily_users: float,
    baseline_cvr: float,
    holdout_share: float,
    days: int,
    lift: float,
    alpha: float = 0.05,
) -> float:
    """Chance that a lift test of this size finds a true relative `lift`
    (two-sided test of the test group's conversion rate against the holdout's)."""
    _check_test(daily_users, baseline_cvr, holdout_share, days)
    n_test = daily_users * days * (1 - holdout_share)
    n_control = daily_users * days * holdout_share
    treated = min(baseline_cvr * (1 + lift), 1 - 1e-12)
    se = np.sqrt(
        treated * (1 - treated) / n_test + baseline_cvr * (1 - baseline_cvr) / n_control
    )
    z = stats.norm.ppf(1 - alpha / 2)
    return float(stats.norm.cdf(abs(treated - baseline_cvr) / se - z))


def detectable_lift(
    daily_users: float,
    baseline_cvr: float,
    holdout_share: float,
    days: int,
    power: float = 0.8,
) -> float:
    """The smallest relative lift the test finds with the given power."""
    _check_test(daily_users, baseline_cvr, holdout_share, days)
    top = 1 / baseline_cvr - 1 - 1e-9
    if lift_power(daily_users, baseline_cvr, holdout_share, days, top) < power:
        return float("inf")
    return float(
        brentq(
            lambda lift: (
                lift_power(daily_users, baseline_cvr, holdout_share, days, lift) - power
            ),
            1e-9,
            top,
        )
    )


def simulate_lift_test(
    users: int,
    baseline_cvr: float,
    true_lift: float,
    holdout_share: float,
    seed: int = 0,
) -> dict[str, float]:
    """One randomised test: conversions in each group and the estimated lift."""
    _check_test(users, baseline_cvr, holdout_share, 1)
    rng = np.random.default_rng(seed)
    control = int(round(users * holdout_share))
    test = users - control
    conv_test = rng.binomial(test, baseline_cvr * (1 + true_lift))
    conv_control = rng.binomial(control, baseline_cvr)
    rate_test, rate_control = conv_test / test, conv_control / control
    return {
        "test_users": test,
        "control_users": control,
        "test_conversions": int(conv_test),
        "control_conversions": int(conv_control),
        "lift": (rate_test - rate_control) / rate_control if rate_control else np.nan,
        "incremental_conversions": conv_test - test * rate_control,
    }


def rerun_lift_test(
    users: int,
    baseline_cvr: float,
    true_lift: float,
    holdout_share: float,
    runs: int = 100,
    seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The same test run `runs` times on fresh audiences of the same size, each
    randomised once: one row per run with the measured lift, its confidence
    interval and whether the interval holds the true lift. The spread of the
    `lift` column is the test's sampling distribution."""
    _check_test(users, baseline_cvr, holdout_share, 1)
    if not 1 <= runs <= 10_000:
        raise ValueError("runs is between 1 and 10,000.")
    rng = np.random.default_rng(seed)
    control = int(round(users * holdout_share))
    test = users - control
    conv_test = rng.binomial(test, min(baseline_cvr * (1 + true_lift), 1.0), runs)
    conv_control = rng.binomial(control, baseline_cvr, runs)
    p_t, p_c = conv_test / test, np.maximum(conv_control, 1) / control
    se = np.sqrt(
        (1 - p_t) / np.maximum(conv_test, 1) + (1 - p_c) / np.maximum(conv_control, 1)
    )
    z = stats.norm.ppf(0.5 + confidence / 2)
    centre = np.log(np.maximum(p_t, 1e-12) / p_c)
    low, high = np.exp(centre - z * se) - 1, np.exp(centre + z * se) - 1
    return pd.DataFrame(
        {
            "run": np.arange(1, runs + 1),
            "test_conversions": conv_test,
            "control_conversions": conv_control,
            "lift": p_t / p_c - 1,
            "low": low,
            "high": high,
            "covers_truth": (low <= true_lift) & (true_lift <= high),
            "significant": low > 0,
        }
    )


def _check_test(
    users: float, baseline_cvr: float, holdout_share: float, days: float
) -> None:

    if users <= 0 or days <= 0:
        raise ValueError("users and days must be positive.")
    if not 0 < baseline_cvr < 1:
        raise ValueError("baseline_cvr is a rate between 0 and 1 (3% is 0.03).")
    if not 0 < holdout_share < 1:
        raise ValueError("holdout_share is a share between 0 and 1 (10% is 0.1).")
