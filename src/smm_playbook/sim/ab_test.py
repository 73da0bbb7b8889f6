"""A/B testing content: sample size, power, the two-proportion test, and peeking.

Rates are fractions (an engagement rate of 3 % is 0.03). `mde`, the minimum
detectable effect, is an absolute difference in rate: 0.005 is half a percentage
point. Tests are two-sided.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats


def _check_rates(baseline: float, mde: float) -> float:
    if not 0 < baseline < 1:
        raise ValueError("baseline is a rate between 0 and 1 (write 3% as 0.03).")
    if mde <= 0 or baseline + mde >= 1:
        raise ValueError(
            "mde is a positive difference in rate, e.g. 0.005 for half a point."
        )
    return baseline + mde


def sample_size_per_group(
    baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8
) -> int:
    """People (or impressions) per variant to detect `mde` with the given power.

    The standard two-proportion formula:
    n = (z₁₋α/₂ √(2 p̄ (1 − p̄)) + z₁₋β √(p₁(1 − p₁) + p₂(1 − p₂)))² ÷ (p₂ − p₁)²,
    with p̄ the average of the two rates; rounded up.
    """
    treated = _check_rates(baseline, mde)
    pooled = (baseline + treated) / 2
    z_alpha, z_beta = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_beta * math.sqrt(
        baseline * (1 - baseline) + treated * (1 - treated)
    )
    return math.ceil(spread**2 / mde**2)


@overload
def power(
    baseline: float, mde: float, n_per_group: float, alpha: float = 0.05
) -> float: ...
@overload
def power(
    baseline: float, mde: float, n_per_group: ArrayLike, alpha: float = 0.05
) -> float | NDArray[np.float64]: ...
def power(
    baseline: float, mde: float, n_per_group: ArrayLike, alpha: float = 0.05
) -> float | NDArray[np.float64]:
    """Chance that a test with `n_per_group` per variant detects a true `mde`.

    `n_per_group` may be an array, to draw a power curve in one call.
    """
    treated = _check_rates(baseline, mde)
    pooled = (baseline + treated) / 2
    n = np.asarray(n_per_group, dtype=float)
    null_se = np.sqrt(2 * pooled * (1 - pooled) / n)
    true_se = np.sqrt((baseline * (1 - baseline) + treated * (1 - treated)) / n)
    z_alpha = stats.norm.ppf(1 - alpha / 2)
    result = stats.norm.cdf((mde - z_alpha * null_se) / true_se)
    return float(result) if result.ndim == 0 else result


@dataclass(frozen=True)
class TestResult:
    rate_a: float
    rate_b: float
    z: float
    p_value: float
    alpha: float = 0.05

    @property
    def difference(self) -> float:
        return self.rate_b - self.rate_a

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha


def two_proportion_test(
    successes_a: int, n_a: int, successes_b: int, n_b: int, alpha: float = 0.05
) -> TestResult:
    """Pooled two-proportion z-test of B against A (two-sided)."""
    for count, total, name in ((successes_a, n_a, "A"), (successes_b, n_b, "B")):
        if total <= 0 or not 0 <= count <= total:
            raise ValueError(
                f"Variant {name} needs 0 ≤ successes ≤ trials and trials > 0."
            )
    rate_a, rate_b = successes_a / n_a, successes_b / n_b
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (rate_b - rate_a) / se if se else 0.0
    return TestResult(rate_a, rate_b, z, float(2 * stats.norm.sf(abs(z))), alpha)


@dataclass(frozen=True)
class SimulationResult:
    share_significant: float  # simulated power: tests that found the true effect
    peeking_false_positive_rate: float  # A/A tests "won" by stopping at first p < α
    p_values: np.ndarray


PEEKING_LOOKS = 10  # interim checks in the peeking simulation


def simulate_ab(
    baseline: float,
    mde: float,
    n_per_group: int,
    runs: int = 1000,
    alpha: float = 0.05,
    seed: int = 0,
    looks: int = PEEKING_LOOKS,
) -> SimulationResult:
    """Simulate many tests, and many A/A tests checked at `looks` interim points."""
    treated = _check_rates(baseline, mde)
    rng = np.random.default_rng(seed)
    a = rng.binomial(n_per_group, baseline, size=runs)
    b = rng.binomial(n_per_group, treated, size=runs)
    p_values = _p_values(a, b, n_per_group)
    return SimulationResult(
        float((p_values < alpha).mean()),
        _peeking_rate(rng, baseline, n_per_group, runs, alpha, looks),
        p_values,
    )


def _p_values(a: np.ndarray, b: np.ndarray, n: ArrayLike) -> np.ndarray:
    n = np.asarray(n, dtype=float)
    pooled = (a + b) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * 2 / n)
    z = np.divide(b / n - a / n, se, out=np.zeros_like(se), where=se > 0)
    return 2 * stats.norm.sf(np.abs(z))


def _peeking_rate(
    rng: np.random.Generator,
    baseline: float,
    n_per_group: int,
    runs: int,
    alpha: float,
    looks: int,
) -> float:
    """Both variants identical; stop as soon as any interim look shows p < alpha."""
    step = max(1, n_per_group // looks)
    chunks_a = rng.binomial(step, baseline, size=(runs, looks)).cumsum(axis=1)
    chunks_b = rng.binomial(step, baseline, size=(runs, looks)).cumsum(axis=1)
    sizes = step * np.arange(1, looks + 1)
    p = _p_values(chunks_a, chunks_b, sizes)
    return float((p < alpha).any(axis=1).mean())
