"""A small media mix model: weekly sales from two channels, fitted by least squares.

A TEACHING MODEL. `simulate_weeks` makes two years of weekly spend and sales with
KNOWN parameters: sales = baseline + Σ β × Hill(adstock(spend; θ); ec), with
Robyn's geometric adstock (normalised by 1 − θ so that θ only moves effects in
time) and a Hill curve of slope 1, plus noise. `fit_mmm` recovers the parameters
with SciPy's bounded least squares, so the course can set what a fitted model
says beside the truth. Real media mix models (Google's Meridian, Meta's Robyn,
PyMC-Marketing) add priors, seasonality, trend and uncertainty intervals; the
mechanics of adstock and saturation are the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from smm_playbook.sim.paid_social import geometric_adstock, hill

CHANNELS = ("Paid social", "Search")
# The truth the fit should find (weekly sales in units; spend in thousands).
TRUE_PARAMS: dict[str, Any] = {
    "baseline": 500.0,
    "Paid social": {"beta": 400.0, "decay": 0.5, "ec": 20.0},
    "Search": {"beta": 250.0, "decay": 0.1, "ec": 8.0},
}
NAMES = ("baseline",) + tuple(
    f"{c} {p}" for c in CHANNELS for p in ("beta", "decay", "ec")
)


@dataclass(frozen=True)
class MMMFit:
    params: dict[str, float]
    fitted: np.ndarray
    r_squared: float


def _response(spend: np.ndarray, beta: float, decay: float, ec: float) -> np.ndarray:
    carried = (1 - decay) * geometric_adstock(spend, decay)
    return beta * hill(carried, ec)


def simulate_weeks(
    weeks: int = 104, noise: float = 30.0, seed: int = 0
) -> pd.DataFrame:
    """Weekly spend per channel (on and off in flights) and sales, from the truth."""
    if weeks < 20:
        raise ValueError("weeks must be at least 20 for a fit to mean anything.")
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"week": np.arange(1, weeks + 1)})
    sales = np.full(weeks, TRUE_PARAMS["baseline"])
    for scale, channel in zip((25.0, 10.0), CHANNELS, strict=True):
        flights = rng.random(weeks) < 0.7  # some weeks off, as real plans have
        spend = np.round(flights * rng.gamma(4.0, scale / 4.0, weeks), 2)
        frame[channel] = spend
        sales = sales + _response(spend, **TRUE_PARAMS[channel])
    frame["sales"] = np.round(sales + rng.normal(0, noise, weeks), 1)
    return frame


def _predict(theta: np.ndarray, frame: pd.DataFrame) -> np.ndarray:
    out = np.full(len(frame), theta[0])
    for i, channel in enumerate(CHANNELS):
        beta, decay, ec = theta[1 + 3 * i : 4 + 3 * i]
        out = out + _response(frame[channel].to_numpy(float), beta, decay, ec)
    return out


def fit_mmm(frame: pd.DataFrame) -> MMMFit:
    """Least-squares fit of baseline, β, θ (decay) and ec for each channel."""
    missing = {"sales", *CHANNELS} - set(frame)
    if missing:
        raise ValueError(f"the weekly table needs the columns {sorted(missing)}.")
    sales = frame["sales"].to_numpy(float)
    start = [np.percentile(sales, 10)]
    low, high = [0.0], [np.inf]
    for channel in CHANNELS:
        typical = float(frame[channel][frame[channel] > 0].median())
        start += [sales.std() * 2, 0.3, typical]
        low += [0.0, 0.0, 1e-3]
        high += [np.inf, 0.95, np.inf]
    result = least_squares(
        lambda theta: _predict(theta, frame) - sales, start, bounds=(low, high)
    )
    fitted = _predict(result.x, frame)
    r2 = 1 - ((sales - fitted) ** 2).sum() / ((sales - sales.mean()) ** 2).sum()
    return MMMFit(dict(zip(NAMES, map(float, result.x), strict=True)), fitted, r2)


def truth_table(fit: MMMFit) -> pd.DataFrame:
    """The fitted parameters beside the true ones."""
    true = [TRUE_PARAMS["baseline"]] + [
        TRUE_PARAMS[c][p] for c in CHANNELS for p in ("beta", "decay", "ec")
    ]
    return pd.DataFrame(
        {"true": true, "fitted": [fit.params[n] for n in NAMES]}, index=list(NAMES)
    )
