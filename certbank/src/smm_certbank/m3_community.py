"""Module 3, community and moderation: certification templates.

Each template draws a fresh inbox, queue or batch of comments from the paper's
random stream and asks for the decisions Module 3 teaches: staff a queue for a
response-time target, route comments to the five actions, pick out what must go
to the director, measure service per tier, and tell a brigading wave from a
genuine complaint wave. The wording is in `m3_community.yaml`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from smm_playbook.grading.items.framework import (
    Section,
    Template,
    choice_part,
    frame_code,
    multi_part,
    prose_of,
    value_part,
)
from smm_playbook.sim.moderation_queue import (
    SHIFTS,
    agents_needed,
    response_within,
)

TEXT = prose_of(__name__)
GOAL = 0.8  # the course's goal: 80% within the SLA (Tiers 1 and 2)


def _parts(key: str) -> dict:
    return TEXT[key]["parts"]


# --- Staffing a queue for a target ---------------------------------------------

SHIFT_NAMES = tuple(SHIFTS)  # night, morning, afternoon, evening
# Each shift's share of the evening's hourly rate, drawn around a day's rhythm.
SHIFT_SHAPE = {"night": (0.1, 0.25), "morning": (0.35, 0.6), "afternoon": (0.55, 0.8)}


def meets(agents: int, per_hour: float, handling: float, target: float) -> bool:
    """True when `agents` answer GOAL of messages within `target` (wait + handling)."""
    load = per_hour * handling / 60
    if agents <= load:
        return False
    return response_within(agents, load, handling, target) >= GOAL


def _plan_text(plan: dict[str, int]) -> str:
    hours = sum(plan[s] * len(SHIFTS[s]) for s in SHIFT_NAMES)
    staff = ", ".join(f"{s} {plan[s]}" for s in SHIFT_NAMES)
    return TEXT["queue_staffing"]["plan"].format(staff=staff, hours=hours)


def queue_staffing(rng: np.random.Generator) -> Section:
    text = TEXT["queue_staffing"]
    parts_text = _parts("queue_staffing")
    handling = float(rng.choice([3.0, 4.0, 5.0]))
    target = float(rng.choice([t for t in (10.0, 15.0, 20.0) if t / handling >= 2.5]))
    evening = int(rng.integers(60, 151))
    rate = {s: round(evening * rng.uniform(*SHIFT_SHAPE[s])) for s in SHIFT_SHAPE}
    rate["evening"] = evening
    rate["night"] = max(rate["night"], 6)
    need = {s: agents_needed(rate[s], handling, target, GOAL) for s in SHIFT_NAMES}
    # The roster in place: one short on at least one shift, right or over elsewhere.
    while True:
        roster = {s: need[s] + int(rng.choice([-1, 0, 1])) for s in SHIFT_NAMES}
        roster = {s: max(1, n) for s, n in roster.items()}
        short = {
            i
            for i, s in enumerate(SHIFT_NAMES)
            if not meets(roster[s], rate[s], handling, target)
        }
        if short:
            break
    demand = pd.DataFrame(
        {
            "shift": SHIFT_NAMES,
            "hours": [f"{h.start:02d}:00-{h.stop:02d}:00" for h in SHIFTS.values()],
            "messages_per_hour": [rate[s] for s in SHIFT_NAMES],
            "rostered": [roster[s] for s in SHIFT_NAMES],
        }
    )
    peak = max(rate.values())
    load = peak * handling / 60
    peak_need = agents_needed(peak, handling, target, GOAL)
    wait_need = agents_needed(peak, handling, target, GOAL, measure="wait")
    # The plans on offer: the right one and three a beginner might pick.
    stable = {s: math.floor(rate[s] * handling / 60) + 1 for s in SHIFT_NAMES}
    quietest = min(SHIFT_NAMES, key=lambda s: rate[s])
    busiest = max(SHIFT_NAMES, key=lambda s: rate[s])
    candidates = [
        ("stable", stable),
        (
            "wait",
            {
                s: agents_needed(rate[s], handling, target, GOAL, measure="wait")
                for s in SHIFT_NAMES
            },
        ),
        ("over", {s: need[s] + 1 for s in SHIFT_NAMES}),
        ("peak_short", need | {busiest: need[busiest] - 1}),
        ("quiet_short", need | {quietest: need[quietest] - 1}),
        ("flat", dict.fromkeys(SHIFT_NAMES, need[busiest])),
    ]
    plans, kinds = [need], ["right"]
    for kind, plan in candidates:
        if plan not in plans and len(plans) < 4:
            plans.append(plan)
            kinds.append(kind)
    options = [_plan_text(p) for p in plans]
    why = {i: parts_text["staffing_plan"]["why"][k] for i, k in enumerate(kinds) if i}
    data_code = (
        frame_code("shift_demand", demand)
        + f"\nhandling_minutes = {handling:g}\ntarget_minutes = {target:g}"
    )
    peak_wrong = [
        (
            peak * handling,
            parts_text["staffing_peak_load_erlangs"]["wrong"]["per_minute"],
        )
    ]
    need_wrong = [
        (math.ceil(load), parts_text["staffing_peak_moderators"]["wrong"]["load"])
    ]
    if wait_need != peak_need:
        need_wrong.append(
            (wait_need, parts_text["staffing_peak_moderators"]["wrong"]["wait"])
        )
    parts = (
        value_part(
            "staffing_peak_load_erlangs",
            1,
            parts_text["staffing_peak_load_erlangs"]["prompt"],
            load,
            wrong=peak_wrong,
            model=(
                "peak_per_hour = shift_demand['messages_per_hour'].max()\n"
                "staffing_peak_load_erlangs = peak_per_hour * handling_minutes / 60"
            ),
        ),
        value_part(
            "staffing_peak_moderators",
            1,
            parts_text["staffing_peak_moderators"]["prompt"],
            peak_need,
            rtol=0.0,
            wrong=[w for w in need_wrong if w[0] != peak_need],
            model=(
                "from smm_playbook.sim.moderation_queue import agents_needed\n"
                "staffing_peak_moderators = agents_needed(\n"
                "    shift_demand['messages_per_hour'].max(), handling_minutes,\n"
                "    target_minutes, 0.8)"
            ),
        ),
        multi_part(
            "staffing_short_shifts",
            1,
            parts_text["staffing_short_shifts"]["prompt"],
            [parts_text["staffing_short_shifts"]["options"][s] for s in SHIFT_NAMES],
            short,
            {
                i: parts_text["staffing_short_shifts"]["why"]["meets"]
                for i in range(len(SHIFT_NAMES))
                if i not in short
            },
            rng=rng,
        ),
        choice_part(
            "staffing_plan",
            1,
            parts_text["staffing_plan"]["prompt"].format(target=target),
            options,
            0,
            why,
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(handling=handling, target=target)
    return Section("m3_queue_staffing", "3", text["title"], prompt, data_code, parts)


TEMPLATES = (Template("m3_queue_staffing", "3", queue_staffing),)
