"""Module 3, community and moderation: certification templates.

Each template draws a fresh inbox, queue or batch of comments from the paper's
random stream and asks for the decisions Module 3 teaches: staff a queue for a
response-time target, route comments to the five actions, pick out what must go
to the director, measure service per tier, and tell a brigading wave from a
genuine complaint wave. The wording is in `m3_community.yaml`.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd

from smm_playbook.grading.items.framework import (
    Section,
    Template,
    choice_part,
    frame_code,
    match_part,
    multi_part,
    order_part,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset
from smm_playbook.sim.moderation_queue import (
    SHIFTS,
    SLA_MINUTES,
    Category,
    agents_needed,
    allen_cunneen_wait,
    average_wait,
    handling_cv2,
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


# --- Routing a batch of comments ---------------------------------------------------

ACTIONS = ("approve", "respond", "hide", "delete", "escalate")
ESCALATION_LOG_COLUMNS = [
    "comment_id",
    "platform",
    "tier",
    "created_at",
    "first_response_at",
]


@cache
def _pools() -> tuple[pd.DataFrame, list[dict], dict[str, np.ndarray]]:
    """Comments whose text appears once in the dataset (so no two options read
    alike), their rows as records, and the row numbers of each group the triage
    template draws from, cut once."""
    rows = dataset("comments")
    rows = rows[~rows["text"].duplicated(keep=False)].reset_index(drop=True)
    groups = {action: rows["action"] == action for action in ACTIONS}
    groups |= {f"tier{t}": rows["tier"] == t for t in (1, 2, 3)}
    ordinary = rows["kind"].isin(["complaint", "abuse"]) & (rows["tier"] == 1)
    groups["not_director"] = (rows["tier"] == 2) | ordinary
    up, blank = rows["tier"] >= 2, rows["first_response_at"].isna()
    groups["unanswered"], groups["answered"] = up & blank, up & ~blank
    index = {name: np.flatnonzero(mask.to_numpy()) for name, mask in groups.items()}
    return rows, rows.to_dict("records"), index


@cache
def _minutes_to_act() -> np.ndarray:
    """Minutes from arrival to the first action for every row of `_pools()`
    (NaN: never acted on), parsed once."""
    rows = _pools()[0]
    took = pd.to_datetime(rows["first_response_at"], utc=True, format="ISO8601")
    took = took - pd.to_datetime(rows["created_at"], utc=True, format="ISO8601")
    return (took.dt.total_seconds() / 60).to_numpy()


def _described(row) -> str:
    return TEXT["triage_batch"]["comment"].format(
        platform=row["platform"],
        followers=int(row["author_followers"]),
        likes=int(row["likes"]),
        text=row["text"],
    )


def _pick(rng, group: str, n: int, taken: set) -> list[int]:
    """`n` row numbers from `group` not drawn before on this paper, in row order."""
    free = [i for i in _pools()[2][group].tolist() if i not in taken]
    chosen = sorted(int(free[k]) for k in rng.choice(len(free), size=n, replace=False))
    taken.update(chosen)
    return chosen


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


SLA_MODEL = """\
log = escalation_log
arrived = pd.to_datetime(log["created_at"], utc=True, format="ISO8601")
acted = pd.to_datetime(log["first_response_at"], utc=True, format="ISO8601")
minutes_to_act = (acted - arrived).dt.total_seconds() / 60
sla = log["tier"].map({1: 240, 2: 30, 3: 15})
up = log["tier"] >= 2
triage_escalation_sla_pct = 100 * (minutes_to_act[up] <= sla[up]).mean()"""


def triage_batch(rng: np.random.Generator) -> Section:
    text = TEXT["triage_batch"]
    parts_text = _parts("triage_batch")
    rows, records, _ = _pools()
    taken: set = set()
    # 1. One comment for each action, in a shuffled order.
    by_action = [records[_pick(rng, action, 1, taken)[0]] for action in ACTIONS]
    shown = [int(i) for i in rng.permutation(len(ACTIONS))]
    batch = [by_action[i] for i in shown]
    matches = shown  # item k is the comment for ACTIONS[shown[k]]
    swapped = [
        ACTIONS.index({"hide": "delete", "delete": "hide"}.get(ACTIONS[m], ACTIONS[m]))
        for m in matches
    ]
    muted = [
        ACTIONS.index("respond") if ACTIONS[m] == "escalate" else m for m in matches
    ]
    # 2. Five more: which go to the director (Tier 3)?
    n_director = int(rng.integers(1, 4))
    director = _pick(rng, "tier3", n_director, taken)
    rest = [records[i] for i in _pick(rng, "not_director", 5 - n_director, taken)]
    candidates = [_described(records[i]) for i in director] + [
        _described(r) for r in rest
    ]
    why_tier = parts_text["triage_director_items"]["why"]
    why = {
        n_director + i: why_tier["tier2"] if r["tier"] == 2 else why_tier["tier1"]
        for i, r in enumerate(rest)
    }
    # 3. An escalation log: how many Tier 2 and 3 items met their SLA?
    logged = _pick(rng, "unanswered", 1, taken) + _pick(rng, "answered", 13, taken)
    logged += _pick(rng, "tier1", 6, taken)
    log = rows.iloc[sorted(logged)][ESCALATION_LOG_COLUMNS].reset_index(drop=True)
    minutes = pd.Series(_minutes_to_act()[sorted(logged)])
    limit = log["tier"].map(SLA_MINUTES)
    up = log["tier"] >= 2
    met = 100 * (minutes[up] <= limit[up]).mean()
    done = up & minutes.notna()
    wrong = [
        (
            100 * (minutes[done] <= limit[done]).mean(),
            parts_text["triage_escalation_sla_pct"]["wrong"]["unanswered"],
        ),
        (
            100 * (minutes[up] <= SLA_MINUTES[1]).mean(),
            parts_text["triage_escalation_sla_pct"]["wrong"]["four_hours"],
        ),
        (
            100 * (minutes <= limit).mean(),
            parts_text["triage_escalation_sla_pct"]["wrong"]["all_tiers"],
        ),
    ]
    wrong = [(v, note) for v, note in wrong if not math.isclose(v, met, rel_tol=0.01)]
    # 4. Four items waiting at the start of an evening hour: earliest deadline first.
    while True:
        arrivals = np.sort(rng.choice(np.arange(0, 56), size=4, replace=False))
        tiers = [int(t) for t in rng.choice([1, 2, 3], size=4)]
        deadlines = [
            int(a) + SLA_MINUTES[t] for a, t in zip(arrivals, tiers, strict=True)
        ]
        order = [int(i) for i in np.argsort(deadlines, kind="stable")]
        if len(set(deadlines)) == 4 and order != [0, 1, 2, 3] and len(set(tiers)) > 1:
            break
    waiting = []
    for arrival, tier in zip(arrivals, tiers, strict=True):
        row = records[_pick(rng, f"tier{tier}", 1, taken)[0]]
        waiting.append(
            text["waiting"].format(
                time=_clock(19 * 60 + int(arrival)),
                tier=tier,
                platform=row["platform"],
                text=row["text"],
            )
        )
    parts = (
        match_part(
            "triage_batch_actions",
            1,
            parts_text["triage_batch_actions"]["prompt"],
            [_described(r) for r in batch],
            [parts_text["triage_batch_actions"]["options"][a] for a in ACTIONS],
            matches,
            wrong=[
                (swapped, parts_text["triage_batch_actions"]["wrong"]["hide_delete"]),
                (muted, parts_text["triage_batch_actions"]["wrong"]["not_escalated"]),
            ],
            rng=rng,
        ),
        multi_part(
            "triage_director_items",
            1,
            parts_text["triage_director_items"]["prompt"],
            candidates,
            set(range(n_director)),
            why,
            rng=rng,
        ),
        value_part(
            "triage_escalation_sla_pct",
            1,
            parts_text["triage_escalation_sla_pct"]["prompt"],
            met,
            unit="percent",
            wrong=wrong,
            model=SLA_MODEL,
        ),
        order_part(
            "triage_queue_order",
            1,
            parts_text["triage_queue_order"]["prompt"],
            waiting,
            order,
            wrong=[
                ([0, 1, 2, 3], parts_text["triage_queue_order"]["wrong"]["arrival"])
            ],
            rng=rng,
        ),
    )
    return Section(
        "m3_triage_batch",
        "3",
        text["title"],
        text["prompt"],
        frame_code("escalation_log", log),
        parts,
    )


# --- Waits, utilisation and the change that shortens them ------------------------

QUEUE_MODEL = """\
shares, means = inbox_mix["share"], inbox_mix["handling_minutes"]
handling = (shares * means).sum()  # the shares add up to 1
load = messages_per_hour * handling / 60
queue_utilisation_pct = 100 * load / moderators

from smm_playbook.sim.moderation_queue import average_wait
queue_erlang_wait_minutes = average_wait(moderators, load, handling)
cv2 = (shares * 2 * means**2).sum() / handling**2 - 1
queue_adjusted_wait_minutes = queue_erlang_wait_minutes * (1 + cv2) / 2"""
CHANGES = ("add", "saved", "filter")


def _adjusted_wait(categories, per_hour: float, agents: int) -> float:
    """Allen–Cunneen mean wait for a mix whose shares may not add up to 1 (the
    rest left the queue), at `per_hour` messages before anything left."""
    shares = np.array([c.share for c in categories])
    means = np.array([c.handling_minutes for c in categories])
    handling = float(shares @ means / shares.sum())
    load = per_hour * shares.sum() * handling / 60
    if load >= agents:
        return math.inf
    return allen_cunneen_wait(agents, load, handling, handling_cv2(categories))


def queue_wait(rng: np.random.Generator) -> Section:
    text = TEXT["queue_wait"]
    parts_text = _parts("queue_wait")
    while True:
        quick = int(rng.integers(30, 56))
        questions = int(rng.integers(15, 35))
        slow = float(rng.choice([8.0, 10.0, 12.0]))
        mix = [
            Category("spam and praise", quick / 100, 0.5, 1),
            Category(
                "questions", questions / 100, float(rng.choice([4.0, 5.0, 6.0])), 1
            ),
            Category("complaints", (100 - quick - questions) / 100, slow, 1),
        ]
        handling = sum(c.share * c.handling_minutes for c in mix)
        agents = int(rng.integers(4, 9))
        per_hour = round(rng.uniform(0.8, 0.95) * agents * 60 / handling)
        faster = Category("complaints", mix[2].share, 0.75 * slow, 1)
        waits = {
            "add": _adjusted_wait(mix, per_hour, agents + 1),
            "saved": _adjusted_wait([*mix[:2], faster], per_hour, agents),
            "filter": _adjusted_wait(mix[1:], per_hour, agents),
        }
        ranked = sorted(waits.values())
        if ranked[1] > 1.1 * ranked[0]:
            break
    load = per_hour * handling / 60
    wait = average_wait(agents, load, handling)
    adjusted = wait * (1 + handling_cv2(mix)) / 2
    flat = float(np.mean([c.handling_minutes for c in mix]))
    frame = pd.DataFrame(
        {
            "category": [c.name for c in mix],
            "share": [c.share for c in mix],
            "handling_minutes": [c.handling_minutes for c in mix],
        }
    )
    data_code = (
        frame_code("inbox_mix", frame)
        + f"\nmessages_per_hour = {per_hour}\nmoderators = {agents}"
    )
    wrong_text = {
        v: parts_text[v]["wrong"] for v in parts_text if "wrong" in parts_text[v]
    }
    flat_load = per_hour * flat / 60
    best = min(waits, key=waits.get)
    options = [parts_text["queue_best_change"]["options"][c] for c in CHANGES]
    parts = (
        value_part(
            "queue_utilisation_pct",
            1,
            parts_text["queue_utilisation_pct"]["prompt"],
            100 * load / agents,
            unit="percent",
            wrong=[
                (100 * flat_load / agents, wrong_text["queue_utilisation_pct"]["flat"])
            ],
            model=QUEUE_MODEL.split("from smm_playbook")[0].strip(),
        ),
        value_part(
            "queue_erlang_wait_minutes",
            1,
            parts_text["queue_erlang_wait_minutes"]["prompt"],
            wait,
            wrong=[(wait * 60, wrong_text["queue_erlang_wait_minutes"]["seconds"])],
            model=QUEUE_MODEL.split("\n\n")[1].split("cv2 =")[0].strip(),
        ),
        value_part(
            "queue_adjusted_wait_minutes",
            1,
            parts_text["queue_adjusted_wait_minutes"]["prompt"],
            adjusted,
            wrong=[(wait, wrong_text["queue_adjusted_wait_minutes"]["erlang"])],
            model="cv2 =" + QUEUE_MODEL.split("cv2 =")[1],
        ),
        choice_part(
            "queue_best_change",
            1,
            parts_text["queue_best_change"]["prompt"],
            options,
            CHANGES.index(best),
            {
                i: parts_text["queue_best_change"]["why"][c]
                for i, c in enumerate(CHANGES)
                if c != best
            },
            rng=rng,
        ),
    )
    prompt = text["prompt"]
    return Section("m3_queue_wait", "3", text["title"], prompt, data_code, parts)


# --- A wave of comments: brigading or genuine complaints? ---------------------------

WAVE_MODEL = """\
brigade_nonfollower_pct = 100 * (wave_comments["follows_brand"] == "no").mean()
brigade_repeated_pct = 100 * wave_comments["text"].duplicated(keep=False).mean()"""
WAVE_RESPONSES = ("brigading", "genuine", "delete", "ignore")
TOOL_KEYS = (
    "weibo_protect",
    "weibo_fold",
    "weibo_selected",
    "wechat_selected",
    "youtube_hold",
    "x_hide",
    "instagram_hidden_words",
    "instagram_limits",
    "facebook_assist",
)


def _wave(rng, brigading: bool, platform: str) -> pd.DataFrame:
    text = TEXT["brigading_wave"]
    language = "zh" if platform == "Weibo" else "en"
    n = int(rng.integers(36, 61))
    outsiders = rng.uniform(0.65, 0.9) if brigading else rng.uniform(0.08, 0.3)
    copied = rng.uniform(0.45, 0.75) if brigading else 0.0
    rows, records, index = _pools()
    complaints = [
        records[i]["text"]
        for i in index["respond"].tolist()
        if records[i]["language"] == language and records[i]["kind"] == "complaint"
    ]
    phrases = text["phrases"][language]
    own = [complaints[k] for k in rng.choice(len(complaints), size=n, replace=False)]
    chants = [phrases[k] for k in rng.integers(0, len(phrases), size=n)]
    is_copy = np.zeros(n, bool)
    is_copy[rng.choice(n, size=round(copied * n), replace=False)] = True
    outsider = np.zeros(n, bool)
    outsider[rng.choice(n, size=round(outsiders * n), replace=False)] = True
    new = np.where(
        outsider & brigading, rng.integers(1, 30, n), rng.integers(60, 3000, n)
    )
    return pd.DataFrame(
        {
            "minute": np.sort(rng.integers(0, 90, n)),
            "follows_brand": np.where(outsider, "no", "yes"),
            "account_age_days": new,
            "text": [
                c if k else o for c, o, k in zip(chants, own, is_copy, strict=True)
            ],
        }
    )


def brigading_wave(rng: np.random.Generator) -> Section:
    text = TEXT["brigading_wave"]
    parts_text = _parts("brigading_wave")
    platform = str(rng.choice(["Weibo", "Instagram"]))
    brigading = bool(rng.integers(2))
    wave = _wave(rng, brigading, platform)
    outsiders = 100 * (wave["follows_brand"] == "no").mean()
    repeated = 100 * wave["text"].duplicated(keep=False).mean()
    choice_text = parts_text["brigade_response"]
    protect = choice_text["protect"][platform]
    options = [
        choice_text["options"][r].format(protect=protect) for r in WAVE_RESPONSES
    ]
    right = 0 if brigading else 1
    why = {i: choice_text["why"][r] for i, r in enumerate(WAVE_RESPONSES) if i != right}
    tools = [str(k) for k in rng.choice(TOOL_KEYS, size=4, replace=False)]
    tool_text = parts_text["brigade_platform_tools"]
    unused = [k for k in TOOL_KEYS if k not in tools]
    extra = [str(k) for k in rng.choice(unused, size=2, replace=False)]
    tool_options = tools + extra
    parts = (
        value_part(
            "brigade_nonfollower_pct",
            1,
            parts_text["brigade_nonfollower_pct"]["prompt"],
            outsiders,
            unit="percent",
            wrong=[
                (
                    100 - outsiders,
                    parts_text["brigade_nonfollower_pct"]["wrong"]["followers"],
                )
            ],
            model=WAVE_MODEL.splitlines()[0],
        ),
        value_part(
            "brigade_repeated_pct",
            1,
            parts_text["brigade_repeated_pct"]["prompt"],
            repeated,
            unit="percent",
            model=WAVE_MODEL.splitlines()[1],
        ),
        choice_part(
            "brigade_response", 1, choice_text["prompt"], options, right, why, rng=rng
        ),
        match_part(
            "brigade_platform_tools",
            1,
            tool_text["prompt"],
            [tool_text["needs"][k] for k in tools],
            [tool_text["tools"][k] for k in tool_options],
            [0, 1, 2, 3],
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(platform=platform)
    return Section(
        "m3_brigading_wave",
        "3",
        text["title"],
        prompt,
        frame_code("wave_comments", wave),
        parts,
    )


# --- A complaint: the team's service, the reply, and the personal data ------------

CHINA = ("WeChat", "Weibo", "Douyin", "Xiaohongshu", "Bilibili")
TEAM_COLUMNS = ["comment_id", "platform", "tier", "created_at", "first_response_at"]
REPLIES = ("good", "denial", "public_details", "defensive")
SERVICE_MODEL = """\
arrived = pd.to_datetime(team_inbox["created_at"], utc=True, format="ISO8601")
acted = pd.to_datetime(team_inbox["first_response_at"], utc=True, format="ISO8601")
minutes_to_act = (acted - arrived).dt.total_seconds() / 60
reply_p90_minutes = minutes_to_act.quantile(0.9)"""


def _team_pool(china: bool) -> np.ndarray:
    rows = _pools()[0]
    needing = rows["action"].isin(["respond", "escalate"])
    team = rows["platform"].isin(CHINA) == china
    return np.flatnonzero((needing & team).to_numpy())


def complaint_reply(rng: np.random.Generator) -> Section:
    text = TEXT["complaint_reply"]
    parts_text = _parts("complaint_reply")
    rows = _pools()[0]
    china = bool(rng.integers(2))
    pool = _team_pool(china)
    tier_of = rows["tier"].to_numpy()
    picked = []
    for tier, n in ((1, 18), (2, 6), (3, 6)):
        group = pool[tier_of[pool] == tier]
        picked += [int(i) for i in rng.choice(group, size=n, replace=False)]
    inbox = rows.iloc[sorted(picked)][TEAM_COLUMNS].reset_index(drop=True)
    minutes = pd.Series(_minutes_to_act()[sorted(picked)])
    p90 = float(minutes.quantile(0.9))
    tier = int(rng.integers(1, 4))
    mine = inbox["tier"] == tier
    met = 100 * float((minutes[mine] <= SLA_MINUTES[tier]).mean())
    answered = mine & minutes.notna()
    attainment_wrong = [
        (
            100 * float((minutes[answered] <= SLA_MINUTES[tier]).mean()),
            parts_text["reply_tier_attainment_pct"]["wrong"]["unanswered"],
        ),
        (
            100 * float((minutes[mine] <= SLA_MINUTES[1]).mean()),
            parts_text["reply_tier_attainment_pct"]["wrong"]["four_hours"],
        ),
    ]
    attainment_wrong = [
        (v, note)
        for v, note in attainment_wrong
        if not math.isclose(v, met, abs_tol=0.5)
    ]
    # The complaint, its details, and four candidate public replies.
    cases = [c for c in text["cases"] if c["chinese"] == china]
    case = cases[int(rng.integers(len(cases)))]
    details = case["details"]
    private = [
        str(k)
        for k in rng.choice(
            ["order", "phone", "email", "address"], size=2, replace=False
        )
    ]
    public = [
        str(k) for k in rng.choice(["product", "store", "date"], size=2, replace=False)
    ]
    shown = private + public
    complaint = case["complaint"].format(**details)
    replies = [case["replies"][r].strip().format(**details) for r in REPLIES]
    attainment_model = (
        SERVICE_MODEL.rsplit("\n", 1)[0]
        + f"\nmine = team_inbox['tier'] == {tier}\n"
        + f"sla = {SLA_MINUTES[tier]:g}\n"
        + "reply_tier_attainment_pct = 100 * (minutes_to_act[mine] <= sla).mean()"
    )
    parts = (
        value_part(
            "reply_p90_minutes",
            1,
            parts_text["reply_p90_minutes"]["prompt"],
            p90,
            rtol=0.002,
            wrong=[
                (p90 / 60, parts_text["reply_p90_minutes"]["wrong"]["hours"]),
                (
                    float(minutes.mean()),
                    parts_text["reply_p90_minutes"]["wrong"]["mean"],
                ),
            ],
            model=SERVICE_MODEL,
        ),
        value_part(
            "reply_tier_attainment_pct",
            1,
            parts_text["reply_tier_attainment_pct"]["prompt"].format(
                tier=tier, sla=SLA_MINUTES[tier]
            ),
            met,
            unit="percent",
            wrong=attainment_wrong,
            model=attainment_model,
        ),
        choice_part(
            "reply_public_reply",
            1,
            parts_text["reply_public_reply"]["prompt"].format(complaint=complaint),
            replies,
            0,
            {
                i: parts_text["reply_public_reply"]["why"][r]
                for i, r in enumerate(REPLIES)
                if i
            },
            rng=rng,
        ),
        multi_part(
            "reply_private_details",
            1,
            parts_text["reply_private_details"]["prompt"],
            [
                parts_text["reply_private_details"]["options"][k].format(**details)
                for k in shown
            ],
            set(range(len(private))),
            {
                len(private) + i: parts_text["reply_private_details"]["why"]
                for i in range(len(public))
            },
            rng=rng,
        ),
    )
    team = text["teams"]["china" if china else "global"]
    return Section(
        "m3_complaint_reply",
        "3",
        text["title"],
        text["prompt"].format(team=team),
        frame_code("team_inbox", inbox),
        parts,
    )


TEMPLATES = (
    Template("m3_queue_staffing", "3", queue_staffing),
    Template("m3_triage_batch", "3", triage_batch),
    Template("m3_queue_wait", "3", queue_wait),
    Template("m3_brigading_wave", "3", brigading_wave),
    Template("m3_complaint_reply", "3", complaint_reply),
)
