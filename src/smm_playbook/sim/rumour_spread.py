"""How a negative story spreads, and what responding early (and well) is worth.

Rumour models split people into ignorants (have not heard), spreaders (passing it
on) and stiflers (heard it, stopped). Two views, with different assumptions:

- `mean_field`: the Maki–Thompson (1973) form of Daley and Kendall's (1964–65)
  rumour for a well-mixed population, in which only the spreader who makes a
  contact with someone who already knows stops: dI/dt = −βIS,
  dS/dt = βIS − γS(S + R), dR/dt = γS(S + R). With β = γ about 20.3 % never hear
  the rumour (Sudbury 1985). In Daley and Kendall's original, two spreaders who
  meet both stop.
- `network_spread`: an SIR-like cascade on a scale-free follower network, where a
  few hubs (influencers, journalists) have thousands of followers. A spreader
  passes the story along each follow after a random time (rate β) and stays
  active for a random time (rate γ), as an infection would, instead of stopping
  when it meets people who already know. That fixes each account's and each
  follow's randomness by the seed, so two response times compare like with like,
  and responding earlier with a fitting posture can never reach more people. One
  seed is one story; `reach_band` gives the spread of outcomes over many.

In both views "victim" stands for a false rumour, the victim-cluster crisis in
which Coombs (2007) allows denial: there, denial with evidence is modelled as
calming the story, as the golden-hour drill scores it.

The brand's response is a TEACHING ASSUMPTION (`response_effect`): from the moment
it responds, the spreading rate is multiplied by one number and the stifling rate
by another, depending on whether the posture fits the SCCT cluster. Times are in
minutes; series are on a 5-minute grid.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

CLUSTERS = ("victim", "accidental", "preventable")
POSTURES = ("none", "base", "deny", "diminish", "rebuild")
RECOMMENDED = {"victim": "base", "accidental": "diminish", "preventable": "rebuild"}
# The course's SCCT rule: each intensifier moves the posture one step up this ladder.
ACCOMMODATION_LADDER = ("base", "diminish", "rebuild")
STEP_MINUTES = 5
DEFAULT_BETA = 0.03  # mean-field contacts that pass the story on, per minute
DEFAULT_GAMMA = 0.03  # mean-field contacts that stifle a spreader, per minute
NETWORK_SIZE = 2000
NETWORK_BETA = 0.008  # per follow and minute while the source is spreading
NETWORK_GAMMA = 0.01  # a spreader stops after 100 minutes on average
HUB_SHARE = 0.01  # the best-followed 1 % count as influencers and journalists

# (β multiplier, γ multiplier) from the moment the brand responds. A posture that
# fits the cluster calms the story; denying what people can see you caused fuels it.
_EFFECTS: dict[tuple[str, str], tuple[float, float]] = {
    ("victim", "base"): (0.6, 2.0),
    ("victim", "deny"): (0.5, 2.5),  # a false rumour: saying so, with evidence, works
    ("victim", "diminish"): (0.8, 1.5),
    ("victim", "rebuild"): (0.7, 1.8),  # kind, but may imply a fault that is not yours
    ("accidental", "base"): (0.8, 1.5),
    ("accidental", "deny"): (1.2, 0.8),
    ("accidental", "diminish"): (0.6, 2.0),
    ("accidental", "rebuild"): (0.5, 2.5),
    ("preventable", "base"): (0.9, 1.2),
    ("preventable", "deny"): (1.5, 0.6),
    ("preventable", "diminish"): (1.1, 0.9),
    ("preventable", "rebuild"): (0.5, 2.5),
}


def recommended_posture(cluster: str, intensifiers: int = 0) -> str:
    """SCCT posture for a cluster and a count of intensifiers (crisis history,
    poor prior reputation): one step more accommodating for each, up to rebuild."""
    if cluster not in CLUSTERS:
        raise ValueError(f"cluster is one of {CLUSTERS}, not {cluster!r}.")
    step = ACCOMMODATION_LADDER.index(RECOMMENDED[cluster]) + max(0, intensifiers)
    return ACCOMMODATION_LADDER[min(step, len(ACCOMMODATION_LADDER) - 1)]


def response_effect(cluster: str, posture: str) -> tuple[float, float]:
    """Multipliers on (spreading rate, stifling rate) once the brand responds."""
    if cluster not in CLUSTERS:
        raise ValueError(f"cluster is one of {CLUSTERS}, not {cluster!r}.")
    if posture not in POSTURES:
        raise ValueError(f"posture is one of {POSTURES}, not {posture!r}.")
    return (1.0, 1.0) if posture == "none" else _EFFECTS[(cluster, posture)]


def helps(cluster: str, posture: str) -> bool:
    """True when the response slows spreading and speeds stifling (or does nothing)."""
    spread, stifle = response_effect(cluster, posture)
    return spread <= 1 and stifle >= 1


# --- Mean field -------------------------------------------------------------------


def mean_field(
    beta: float = DEFAULT_BETA,
    gamma: float = DEFAULT_GAMMA,
    *,
    hours: float = 48,
    respond_at: float | None = None,
    cluster: str = "accidental",
    posture: str = "none",
    seeded: float = 1e-4,
) -> pd.DataFrame:
    """Shares of ignorants, spreaders and stiflers every 5 minutes (RK4 steps).

    The response takes effect at the first 5-minute step at or after `respond_at`.
    """
    _check_rates(beta, gamma)
    if not 0 < seeded < 1:
        raise ValueError("seeded is the share who start the rumour, between 0 and 1.")
    spread, stifle = response_effect(cluster, posture)
    state = np.array([1 - seeded, seeded, 0.0])
    rows = [state.copy()]
    for step in range(int(round(hours * 60 / STEP_MINUTES))):
        responded = respond_at is not None and step * STEP_MINUTES >= respond_at
        b, g = (beta * spread, gamma * stifle) if responded else (beta, gamma)
        state = _rk4(state, b, g, STEP_MINUTES)
        rows.append(state.copy())
    frame = pd.DataFrame(rows, columns=["ignorant", "spreader", "stifler"])
    frame.insert(0, "minute", np.arange(len(frame)) * STEP_MINUTES)
    return frame


def _derivative(state: np.ndarray, beta: float, gamma: float) -> np.ndarray:
    ignorant, spreader, stifler = state
    heard = beta * ignorant * spreader
    stifled = gamma * spreader * (spreader + stifler)
    return np.array([-heard, heard - stifled, stifled])


def _rk4(state: np.ndarray, beta: float, gamma: float, dt: float) -> np.ndarray:
    k1 = _derivative(state, beta, gamma)
    k2 = _derivative(state + dt / 2 * k1, beta, gamma)
    k3 = _derivative(state + dt / 2 * k2, beta, gamma)
    k4 = _derivative(state + dt * k3, beta, gamma)
    return state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


# --- The follower network -----------------------------------------------------------


@dataclass(frozen=True)
class Network:
    """Who sees whose posts (both ways): CSR arrays, plus the hub accounts."""

    indptr: np.ndarray
    indices: np.ndarray
    hubs: np.ndarray

    @property
    def size(self) -> int:
        return len(self.indptr) - 1

    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)


@lru_cache(maxsize=8)
def follower_network(
    size: int = NETWORK_SIZE, links: int = 3, seed: int = 0
) -> Network:
    """A Barabási–Albert network: each new account follows `links` others, chosen
    in proportion to how followed they already are, which grows a few hubs."""
    if size <= links or links < 1:
        raise ValueError("size must exceed links, and links must be at least 1.")
    rng = np.random.default_rng(seed)
    targets = list(range(links))
    ends: list[int] = []  # every edge end once: picking from it is picking by degree
    edges = []
    for new in range(links, size):
        for old in targets:
            edges.append((new, old))
            ends.extend((new, old))
        chosen: set[int] = set()
        while len(chosen) < links:  # distinct accounts, each picked by degree
            chosen.add(ends[rng.integers(len(ends))])
        targets = sorted(chosen)
    pairs = np.array(edges)
    both = np.vstack([pairs, pairs[:, ::-1]])
    both = both[np.lexsort((both[:, 1], both[:, 0]))]
    indptr = np.searchsorted(both[:, 0], np.arange(size + 1))
    degree = np.diff(indptr)
    hubs = np.argsort(-degree, kind="stable")[: max(1, int(size * HUB_SHARE))]
    return Network(indptr=indptr, indices=both[:, 1].copy(), hubs=np.sort(hubs))


@dataclass(frozen=True)
class SpreadResult:
    """Negative mentions over time, and how far the story got."""

    series: pd.DataFrame
    peak_mentions: int
    peak_minute: float
    total_reach: int
    hubs_reached: int
    respond_at: float | None


class _Clock:
    """Cumulative hazard with one change of rate at `at`: rate → rate × factor."""

    def __init__(self, rate: float, factor: float, at: float | None):
        self.rate, self.after = rate, rate * factor
        self.at = math.inf if at is None else float(at)
        self.knee = self.rate * self.at if self.at < math.inf else math.inf

    def forward(self, t: float) -> float:
        if t <= self.at:
            return self.rate * t
        return self.knee + self.after * (t - self.at)

    def back(self, x: float) -> float:
        if x <= self.knee:
            return x / self.rate
        return self.at + (x - self.knee) / self.after if self.after > 0 else math.inf


def network_spread(
    network: Network | None = None,
    beta: float = NETWORK_BETA,
    gamma: float = NETWORK_GAMMA,
    *,
    hours: float = 48,
    respond_at: float | None = None,
    cluster: str = "accidental",
    posture: str = "none",
    start: str = "random",
    seed: int = 0,
) -> SpreadResult:
    """Spread from one account (`start`: a random ordinary account, or the top hub).

    Each follow carries the story after an exponential time at rate β (slowed or
    sped up by the response); each spreader stops after an exponential time at
    rate γ. The random draws depend only on the seed and the network.
    """
    _check_rates(beta, gamma)
    network = network or follower_network()
    rng = np.random.default_rng(seed)
    edge_draws = rng.exponential(size=len(network.indices)).tolist()
    stop_draws = rng.exponential(size=network.size).tolist()
    origin = _origin(network, start, rng)
    spread, stifle = response_effect(cluster, posture)
    heard, stopped = _first_passage(
        network,
        origin,
        _Clock(beta, spread, respond_at),
        _Clock(gamma, stifle, respond_at),
        edge_draws,
        stop_draws,
        hours * 60,
    )
    return _summarise(network, heard, stopped, hours, respond_at)


def _origin(network: Network, start: str, rng: np.random.Generator) -> int:
    if start == "hub":
        return int(network.hubs[np.argmax(network.degree()[network.hubs])])
    if start != "random":
        raise ValueError('start is "random" (an ordinary account) or "hub".')
    ordinary = np.setdiff1d(np.arange(network.size), network.hubs)
    return int(rng.choice(ordinary))


def _first_passage(
    network: Network,
    origin: int,
    spreading: _Clock,
    stifling: _Clock,
    edge_draws: Sequence[float],
    stop_draws: Sequence[float],
    end: float,
) -> tuple[np.ndarray, np.ndarray]:
    """When each account hears (inf: never) and stops spreading (Dijkstra).

    An account that hears at t passes the story along a follow when the spreading
    clock has advanced by that follow's draw, provided it is still spreading then.
    """
    size = network.size
    heard, stopped = [math.inf] * size, [math.inf] * size
    indptr, indices = network.indptr.tolist(), network.indices.tolist()
    heard[origin] = 0.0
    queue = [(0.0, origin)]
    while queue:
        t, node = heapq.heappop(queue)
        if t > heard[node] or t > end:
            continue
        stop = stifling.back(stifling.forward(t) + stop_draws[node])
        stopped[node] = stop
        clock = spreading.forward(t)
        for edge in range(indptr[node], indptr[node + 1]):
            follower = indices[edge]
            if heard[follower] <= t:
                continue
            when = spreading.back(clock + edge_draws[edge])
            if when <= stop and when < heard[follower]:
                heard[follower] = when
                heapq.heappush(queue, (when, follower))
    return np.array(heard), np.array(stopped)


def _summarise(
    network: Network,
    heard: np.ndarray,
    stopped: np.ndarray,
    hours: float,
    respond_at: float | None,
) -> SpreadResult:
    grid = np.arange(0, hours * 60 + STEP_MINUTES, STEP_MINUTES, dtype=float)
    within = heard <= grid[-1]
    starts = np.sort(heard[within])
    ends = np.sort(stopped[within])
    cumulative = np.searchsorted(starts, grid, side="right")
    new = np.diff(cumulative, prepend=0)
    active = cumulative - np.searchsorted(ends, grid, side="right")
    series = pd.DataFrame(
        {
            "minute": grid,
            "new_mentions": new,
            "active_spreaders": active,
            "heard": cumulative,
        }
    )
    peak = int(np.argmax(new))
    return SpreadResult(
        series=series,
        peak_mentions=int(new[peak]),
        peak_minute=float(grid[peak]),
        total_reach=int(within.sum()),
        hubs_reached=int(within[network.hubs].sum()),
        respond_at=respond_at,
    )


def delay_cost(
    delays_minutes: Iterable[float],
    network: Network | None = None,
    beta: float = NETWORK_BETA,
    gamma: float = NETWORK_GAMMA,
    *,
    cluster: str = "accidental",
    posture: str = "rebuild",
    start: str = "random",
    seed: int = 0,
    hours: float = 48,
) -> pd.DataFrame:
    """Total reach for each response time, and the extra reach each delay costs."""
    rows = []
    for delay in delays_minutes:
        result = network_spread(
            network,
            beta,
            gamma,
            hours=hours,
            respond_at=delay,
            cluster=cluster,
            posture=posture,
            start=start,
            seed=seed,
        )
        rows.append(
            {
                "respond_at": float(delay),
                "total_reach": result.total_reach,
                "hubs_reached": result.hubs_reached,
                "peak_mentions": result.peak_mentions,
            }
        )
    frame = pd.DataFrame(rows)
    frame["extra_reach"] = frame["total_reach"] - frame["total_reach"].iloc[0]
    return frame


def reach_band(
    delays_minutes: Iterable[float | None],
    network: Network | None = None,
    *,
    seeds: Iterable[int] = range(100),
    cluster: str = "accidental",
    posture: str = "rebuild",
    start: str = "random",
    took_off: float = 0.01,
) -> pd.DataFrame:
    """Reach over many stories (one per seed) for each response time.

    For each delay (None: no response): the share of stories that reach at least
    `took_off` of the network, and the 10th, 50th and 90th percentile of reach
    among those that do. A single seed is one draw; this is the spread of draws.
    """
    network = network or follower_network()
    seeds = list(seeds)
    if not seeds:
        raise ValueError("give at least one seed.")
    rows = []
    for delay in delays_minutes:
        reach = np.array(
            [
                network_spread(
                    network,
                    respond_at=delay,
                    cluster=cluster,
                    posture=posture,
                    start=start,
                    seed=seed,
                ).total_reach
                for seed in seeds
            ]
        )
        alive = reach[reach >= took_off * network.size]
        low, mid, high = np.percentile(alive, [10, 50, 90]) if alive.size else (0, 0, 0)
        rows.append(
            {
                "respond_at": np.nan if delay is None else float(delay),
                "took_off": alive.size / len(seeds),
                "p10": float(low),
                "median": float(mid),
                "p90": float(high),
            }
        )
    return pd.DataFrame(rows)


def _check_rates(beta: float, gamma: float) -> None:
    for name, value in (("beta", beta), ("gamma", gamma)):
        if isinstance(value, bool) or not np.isfinite(value) or value <= 0:
            raise ValueError(f"{name} is a positive rate per minute, not {value!r}.")
