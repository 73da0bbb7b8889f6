"""A moderation queue: who answers what, how fast, and how many people that takes.

Two views of the same inbox. `simulate_queue` is a discrete-event simulation:
messages arrive at random (Poisson, at a rate that follows the hour of the day),
each has a category with its own tier and mean handling time (exponential), and
a roster says how many moderators are on shift each hour. Erlang C is the
classic formula for the same load, treating each hour as if it went on for ever
at that hour's rate. Where the two disagree there are two causes: the hour-to-hour
carry-over of backlog, which Erlang C ignores, and the spread of handling times.
Erlang C assumes exponential handling (a squared coefficient of variation, CV²,
of 1); a mix of half-minute spam and ten-minute complaints has a CV² near 3, and
queues wait longer the more the handling times vary. `allen_cunneen_wait` scales
Erlang C's mean wait by (1 + CV²) / 2 for Poisson arrivals (Allen 1990; Whitt
1993), an approximation that corrects for the second cause but not the first.

Times are in minutes from midnight of day one. A message's *response time* is
arrival to first action (reply sent, or handed to the tier's owner), so it is
waiting time plus handling time; the SLA is met when it is within the tier's
target. Work in hand when a shift ends is finished, not dropped (a moderator
does not walk away mid-reply), and nobody starts anything after the horizon.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from smm_playbook.domain import HOURLY_INTENSITY

# Minutes from arrival to first action, by tier: 4 h for ordinary customer
# service (the 2016 consumer expectation), 30 min to reach a manager, 15 min to
# reach a director. Tier 4, the crisis team, is Module 4's subject.
SLA_MINUTES: dict[int, float] = {1: 240.0, 2: 30.0, 3: 15.0}
ORDERS = ("fifo", "tier")  # one line in arrival order, or higher tiers first
GRID_MINUTES = 10  # resolution of the backlog series
BY_TIER_COLUMNS = (
    "tier",
    "messages",
    "handled",
    "median_response",
    "p90_response",
    "sla_minutes",
    "attainment",
    "erlang_attainment",
)


@dataclass(frozen=True)
class Category:
    """A kind of inbound message: its share of arrivals, handling time and tier."""

    name: str
    share: float
    handling_minutes: float
    tier: int


DEFAULT_CATEGORIES: tuple[Category, ...] = (
    Category("praise", 0.28, 0.5, 1),
    Category("question", 0.24, 4.0, 1),
    Category("complaint", 0.12, 7.0, 1),
    Category("complaint with a trigger", 0.04, 10.0, 2),
    Category("off-topic", 0.08, 0.5, 1),
    Category("spam", 0.13, 0.3, 1),
    Category("abuse", 0.05, 1.5, 1),
    Category("safety, legal, press, influencer", 0.06, 6.0, 3),
)
DEFAULT_PATTERN = np.asarray(HOURLY_INTENSITY, float) / np.sum(HOURLY_INTENSITY)
# A large consumer brand across nine platforms (the comments dataset is a small
# one's: about 140 a day).
DEFAULT_PER_DAY = 1200.0
# Staff are rostered by shift; the roster is the shifts spelled out hour by hour.
SHIFTS: dict[str, range] = {
    "night": range(0, 7),
    "morning": range(7, 12),
    "afternoon": range(12, 18),
    "evening": range(18, 24),
}
DEFAULT_SHIFT_STAFF = {"night": 1, "morning": 3, "afternoon": 4, "evening": 5}


def roster_from_shifts(staff: dict[str, int]) -> tuple[int, ...]:
    """24 hourly staff counts from one count per shift (night, morning, …)."""
    if set(staff) != set(SHIFTS):
        raise ValueError(f"give a staff count for each shift: {list(SHIFTS)}.")
    by_hour = [0] * 24
    for shift, hours in SHIFTS.items():
        for hour in hours:
            by_hour[hour] = staff[shift]
    return tuple(by_hour)


DEFAULT_ROSTER = roster_from_shifts(DEFAULT_SHIFT_STAFF)


# --- Erlang C ---------------------------------------------------------------------


def erlang_c(agents: int, load: float) -> float:
    """Chance that a message has to wait (Erlang C), for `load` Erlangs on `agents`.

    Load = arrivals per minute × mean handling minutes. Computed through the
    Erlang B recursion, which stays exact where factorials would overflow.
    At or above full load the queue never settles, so the answer is 1.
    """
    agents, load = _check_agents(agents), _check_load(load)
    if load >= agents:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return agents * blocking / (agents - load * (1 - blocking))


def average_wait(agents: int, load: float, handling_minutes: float) -> float:
    """Mean wait before a moderator picks a message up (ASA), in minutes."""
    if load >= agents:
        return math.inf
    return erlang_c(agents, load) * handling_minutes / (agents - load)


def handling_cv2(categories: Sequence[Category] = DEFAULT_CATEGORIES) -> float:
    """Squared coefficient of variation (variance ÷ mean²) of handling time for a
    mix of categories, each exponential with its own mean: 1 for one category,
    more when quick and slow kinds are mixed."""
    shares = np.array([c.share for c in categories], float)
    means = np.array([c.handling_minutes for c in categories], float)
    shares = shares / shares.sum()
    mean = float(shares @ means)
    second = float(shares @ (2 * means**2))  # E[X²] of an exponential is 2m²
    return second / mean**2 - 1


def allen_cunneen_wait(
    agents: int, load: float, handling_minutes: float, cv2: float
) -> float:
    """Mean wait before pick-up with Poisson arrivals and handling times of any
    spread: Erlang C's wait × (1 + CV²) / 2 (the Allen–Cunneen approximation)."""
    if isinstance(cv2, bool) or not np.isfinite(cv2) or cv2 < 0:
        raise ValueError(f"cv2 is a squared coefficient of variation ≥ 0, not {cv2!r}.")
    return average_wait(agents, load, handling_minutes) * (1 + cv2) / 2


def service_level(
    agents: int, load: float, handling_minutes: float, target_minutes: float
) -> float:
    """Chance that the wait before pick-up is at most `target_minutes`."""
    if load >= agents:
        return 0.0
    decay = (agents - load) / handling_minutes
    return 1 - erlang_c(agents, load) * math.exp(-decay * target_minutes)


def response_within(
    agents: int,
    load: float,
    handling_minutes: float,
    target_minutes: float,
    own_handling_minutes: float | None = None,
) -> float:
    """Chance that wait + handling is at most `target_minutes` (M/M/c).

    The wait is Erlang C's (no wait with chance 1 − C, else exponential at rate
    θ = (agents − load) ÷ handling). The message's own handling is exponential
    with mean `own_handling_minutes` (default: the pooled mean), independent of
    the wait. Then P(response > t) = e^(−μt) + C·μ ÷ (θ − μ) · (e^(−μt) − e^(−θt)).
    """
    if load >= agents:
        return 0.0
    mu = 1 / (own_handling_minutes or handling_minutes)
    theta = (agents - load) / handling_minutes
    waits = erlang_c(agents, load)
    t = target_minutes
    if math.isclose(theta, mu):
        late = math.exp(-mu * t) * (1 + waits * mu * t)
    else:
        late = math.exp(-mu * t) + waits * mu / (theta - mu) * (
            math.exp(-mu * t) - math.exp(-theta * t)
        )
    return 1 - late


def agents_needed(
    per_hour: float,
    handling_minutes: float,
    target_minutes: float,
    goal: float = 0.8,
    *,
    measure: str = "response",
) -> int:
    """Fewest moderators for `goal` of messages within `target_minutes`.

    `measure="response"` counts wait + handling (this module's SLA);
    `measure="wait"` counts the wait alone (the call-centre service level).
    """
    if not 0 < goal < 1:
        raise ValueError("goal is a share between 0 and 1 (write 80% as 0.8).")
    if measure not in ("response", "wait"):
        raise ValueError('measure is "response" or "wait".')
    load = _check_load(per_hour / 60 * handling_minutes)
    best_possible = 1 - math.exp(-target_minutes / handling_minutes)
    if measure == "response" and best_possible <= goal:
        raise ValueError(
            f"No number of moderators can get {goal:.0%} of messages answered "
            f"within {target_minutes:g} minutes when handling alone takes "
            f"{handling_minutes:g} minutes on average: at most {best_possible:.0%} "
            f"finish in time even with nobody waiting."
        )
    level = response_within if measure == "response" else service_level
    agents = math.floor(load) + 1
    while level(agents, load, handling_minutes, target_minutes) < goal:
        agents += 1
    return agents


# --- The simulation ---------------------------------------------------------------


@dataclass(frozen=True)
class QueueResult:
    """What happened in the inbox. `arrivals == handled + waiting_at_end`."""

    messages: pd.DataFrame
    backlog: pd.DataFrame
    by_tier: pd.DataFrame
    hourly: pd.DataFrame
    handled: int
    waiting_at_end: int
    order: str


def simulate_queue(
    per_day: float = DEFAULT_PER_DAY,
    roster: Sequence[int] | np.ndarray = DEFAULT_ROSTER,
    *,
    pattern: Sequence[float] | np.ndarray = DEFAULT_PATTERN,
    categories: Sequence[Category] = DEFAULT_CATEGORIES,
    days: int = 1,
    order: str = "fifo",
    seed: int = 0,
) -> QueueResult:
    """Run the inbox for `days` days with the same roster and pattern each day.

    `roster` has 24 staff counts (one per hour from midnight). `pattern` has 24
    non-negative weights for the share of a day's messages arriving in each hour.
    The arrivals depend only on `per_day`, `pattern`, `categories`, `days` and
    `seed`, so changing the roster or order replays the same messages.
    """
    roster, pattern, shares = _check_inputs(per_day, roster, pattern, categories, days)
    if order not in ORDERS:
        raise ValueError(f"order is one of {ORDERS}, not {order!r}.")
    rng = np.random.default_rng(seed)
    arrival, kind, handling = _arrivals(rng, per_day, pattern, categories, shares, days)
    tiers = np.array([c.tier for c in categories])[kind]
    horizon = days * 24 * 60.0
    staff = np.tile(roster, days)
    if order == "fifo":
        start = _serve_in_order(arrival, handling, staff, horizon)
    else:
        start = _serve(arrival, handling, tiers, staff, horizon, order)
    finish = start + handling
    done = finish <= horizon
    response = np.where(done, finish - arrival, np.nan)
    sla = np.array([SLA_MINUTES[t] for t in tiers])
    messages = pd.DataFrame(
        {
            "arrival": arrival,
            "category": np.array([c.name for c in categories], dtype=object)[kind],
            "tier": tiers,
            "handling": handling,
            "start": start,
            "finish": np.where(np.isnan(start), np.nan, finish),
            "response": response,
            "met_sla": done & (response <= sla),
        }
    )
    hourly = _erlang_by_hour(per_day, pattern, roster, categories, shares, days)
    handled = int(done.sum())
    return QueueResult(
        messages=messages,
        backlog=_backlog(arrival, start, roster, horizon),
        by_tier=_by_tier(messages, hourly, categories, shares, horizon),
        hourly=hourly,
        handled=handled,
        waiting_at_end=len(messages) - handled,
        order=order,
    )


def steady_waits(
    per_hour: float,
    agents: int,
    *,
    categories: Sequence[Category] = DEFAULT_CATEGORIES,
    days: int = 7,
    seed: int = 0,
) -> dict[str, float]:
    """Mean wait before pick-up, in minutes, for a steady inbox: the same rate and
    staff every hour for `days` days, simulated, beside Erlang C and Allen–Cunneen.

    With no hour-to-hour change the only difference left between the simulation
    and Erlang C is the spread of handling times (and chance), which is what
    Allen–Cunneen's (1 + CV²) / 2 corrects. The first day is a warm-up and is
    left out of the simulated mean.
    """
    agents = _check_agents(agents)
    shares = np.array([c.share for c in categories], float)
    handling = float(
        shares @ np.array([c.handling_minutes for c in categories]) / shares.sum()
    )
    load = per_hour * handling / 60
    run = simulate_queue(
        per_hour * 24,
        (agents,) * 24,
        pattern=(1.0,) * 24,
        categories=categories,
        days=days,
        seed=seed,
    )
    settled = run.messages[run.messages["arrival"] >= 24 * 60]
    cv2 = handling_cv2(categories)
    return {
        "load": load,
        "cv2": cv2,
        "simulated": float((settled["start"] - settled["arrival"]).mean()),
        "erlang_c": average_wait(agents, load, handling),
        "allen_cunneen": allen_cunneen_wait(agents, load, handling, cv2),
    }


def _arrivals(
    rng: np.random.Generator,
    per_day: float,
    pattern: np.ndarray,
    categories: Sequence[Category],
    shares: np.ndarray,
    days: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson counts per hour, uniform times within the hour, then categories."""
    counts = rng.poisson(np.tile(per_day * pattern, days))
    hour_of = np.repeat(np.arange(counts.size), counts)
    arrival = np.sort((hour_of + rng.random(hour_of.size)) * 60.0)
    kind = rng.choice(len(categories), size=arrival.size, p=shares)
    means = np.array([c.handling_minutes for c in categories])
    return arrival, kind, rng.exponential(means[kind])


def _serve(
    arrival: np.ndarray,
    handling: np.ndarray,
    tiers: np.ndarray,
    staff: np.ndarray,
    horizon: float,
    order: str,
) -> np.ndarray:
    """Start time of each message (NaN if nobody picked it up before the horizon).

    Event-driven: the clock jumps to the next arrival, the next moderator
    finishing, or the next hour (when more staff may come on shift). Whenever
    fewer messages are in hand than staff on shift, the next waiting message in
    line is picked up. Staff counts are per hour; work carries on past shift end.
    """
    n = arrival.size
    start = np.full(n, np.nan)
    waiting: list[tuple[int, int]] = []  # (-tier or 0, index): heap order = line order
    busy: list[float] = []  # finish times of work in hand
    arrivals, handlings = arrival.tolist(), handling.tolist()
    priority = (-tiers).tolist() if order == "tier" else [0] * n
    staff_by_hour = staff.tolist()
    nxt, clock = 0, 0.0
    while clock < horizon:
        while nxt < n and arrivals[nxt] <= clock:
            heapq.heappush(waiting, (priority[nxt], nxt))
            nxt += 1
        while busy and busy[0] <= clock:
            heapq.heappop(busy)
        on_shift = staff_by_hour[int(clock // 60)]
        while waiting and len(busy) < on_shift:
            _, i = heapq.heappop(waiting)
            start[i] = clock
            heapq.heappush(busy, clock + handlings[i])
        upcoming = [arrivals[nxt]] if nxt < n else []
        if busy:
            upcoming.append(busy[0])
        if waiting:
            upcoming.append((clock // 60 + 1) * 60.0)  # the roster may change
        if not upcoming:
            break
        clock = min(upcoming)
    return start


def _serve_in_order(
    arrival: np.ndarray, handling: np.ndarray, staff: np.ndarray, horizon: float
) -> np.ndarray:
    """FIFO only, message by message: the same start times as `_serve` in arrival
    order, about twice as fast (no line to keep: the next message is always the
    oldest). Each message starts at the first moment, no earlier than its arrival
    or the previous start, when fewer messages are in hand than staff on shift."""
    start = np.full(arrival.size, np.nan)
    busy: list[float] = []
    staff_by_hour = staff.tolist()
    clock = 0.0
    pairs = zip(arrival.tolist(), handling.tolist(), strict=True)
    for i, (arrived, handle) in enumerate(pairs):
        clock = max(clock, arrived)
        while clock < horizon:
            while busy and busy[0] <= clock:
                heapq.heappop(busy)
            if len(busy) < staff_by_hour[int(clock // 60)]:
                break
            next_hour = (clock // 60 + 1) * 60.0
            clock = min(busy[0], next_hour) if busy else next_hour
        if clock >= horizon:
            break  # nobody picks up this message or any later one
        start[i] = clock
        heapq.heappush(busy, clock + handle)
    return start


def _backlog(
    arrival: np.ndarray, start: np.ndarray, roster: np.ndarray, horizon: float
) -> pd.DataFrame:
    """Messages waiting (arrived, not yet picked up) on a 10-minute grid."""
    grid = np.arange(0.0, horizon + GRID_MINUTES, GRID_MINUTES)
    started = np.sort(start[~np.isnan(start)])
    waiting = np.searchsorted(arrival, grid, side="right") - np.searchsorted(
        started, grid, side="right"
    )
    hours = np.minimum((grid // 60).astype(int), int(horizon // 60) - 1)
    return pd.DataFrame(
        {"minute": grid, "waiting": waiting, "staff": np.asarray(roster)[hours % 24]}
    )


def _erlang_by_hour(
    per_day: float,
    pattern: np.ndarray,
    roster: np.ndarray,
    categories: Sequence[Category],
    shares: np.ndarray,
    days: int,
) -> pd.DataFrame:
    """Erlang C's view of each hour, as if that hour's rate held for ever."""
    mean_handling = float(shares @ [c.handling_minutes for c in categories])
    arrivals = np.tile(per_day * pattern, days)
    staff = np.tile(roster, days)
    load = arrivals / 60 * mean_handling
    frame = pd.DataFrame(
        {
            "hour": np.arange(arrivals.size),
            "arrivals": arrivals,
            "staff": staff,
            "load": load,
            "erlang_c": [erlang_c(int(s), a) for s, a in zip(staff, load, strict=True)],
        }
    )
    for tier in sorted(
        {c.tier for c, s in zip(categories, shares, strict=True) if s > 0}
    ):
        own = _tier_handling(categories, shares, tier)
        frame[f"erlang_tier_{tier}"] = [
            response_within(int(s), a, mean_handling, SLA_MINUTES[tier], own)
            for s, a in zip(staff, load, strict=True)
        ]
    return frame


def _tier_handling(
    categories: Sequence[Category], shares: np.ndarray, tier: int
) -> float:
    weights = np.array(
        [s if c.tier == tier else 0 for c, s in zip(categories, shares, strict=True)]
    )
    means = np.array([c.handling_minutes for c in categories])
    return float(weights @ means / weights.sum())


def _by_tier(
    messages: pd.DataFrame,
    hourly: pd.DataFrame,
    categories: Sequence[Category],
    shares: np.ndarray,
    horizon: float,
) -> pd.DataFrame:
    """Per tier: volumes, response times and SLA attainment, simulated and Erlang C.

    A message still unanswered at the end counts as missed once it is older
    than its SLA; a younger one is left out (its outcome is not known yet).
    """
    rows = []  # tiers with no messages in the run are left out
    for key, group in messages.groupby("tier"):
        tier = int(cast(int, key))
        sla = SLA_MINUTES[tier]
        overdue = group["response"].isna() & (horizon - group["arrival"] > sla)
        decided = group["met_sla"] | (group["response"] > sla) | overdue
        weights = hourly["arrivals"]
        answered = group["response"].dropna()
        rows.append(
            {
                "tier": tier,
                "messages": len(group),
                "handled": len(answered),
                "median_response": answered.median() if len(answered) else np.nan,
                "p90_response": answered.quantile(0.9) if len(answered) else np.nan,
                "sla_minutes": sla,
                "attainment": group["met_sla"].sum() / max(int(decided.sum()), 1),
                "erlang_attainment": float(
                    weights.to_numpy()
                    @ hourly[f"erlang_tier_{tier}"].to_numpy()
                    / weights.sum()
                ),
            }
        )
    return pd.DataFrame(rows, columns=BY_TIER_COLUMNS).set_index("tier")


# --- Input checks -----------------------------------------------------------------


def _check_agents(agents: float) -> int:
    if isinstance(agents, bool) or int(agents) != agents or agents < 0:
        raise ValueError(f"agents is a whole number of people, not {agents!r}.")
    return int(agents)


def _check_load(load: float) -> float:
    if isinstance(load, bool) or not np.isfinite(load) or load < 0:
        raise ValueError(f"load is a non-negative number of Erlangs, not {load!r}.")
    return float(load)


def _check_inputs(
    per_day: float,
    roster: Sequence[int] | np.ndarray,
    pattern: Sequence[float] | np.ndarray,
    categories: Sequence[Category],
    days: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:

    if not np.isfinite(per_day) or per_day < 0:
        raise ValueError(f"per_day is a non-negative number, not {per_day!r}.")
    if int(days) != days or days < 1:
        raise ValueError(f"days is a whole number of at least 1, not {days!r}.")
    roster = np.asarray(roster)
    if roster.shape != (24,) or (roster < 0).any() or (roster % 1 != 0).any():
        raise ValueError("roster needs 24 whole, non-negative staff counts.")
    pattern = np.asarray(pattern, dtype=float)
    if pattern.shape != (24,) or (pattern < 0).any() or pattern.sum() <= 0:
        raise ValueError("pattern needs 24 non-negative weights, not all zero.")
    shares = np.array([c.share for c in categories], dtype=float)
    if not categories or (shares < 0).any() or shares.sum() <= 0:
        raise ValueError("categories need non-negative shares, not all zero.")
    if any(c.tier not in SLA_MINUTES or c.handling_minutes <= 0 for c in categories):
        raise ValueError(
            f"each category needs a tier in {sorted(SLA_MINUTES)} "
            "and a positive handling time."
        )
    return roster.astype(int), pattern / pattern.sum(), shares / shares.sum()
