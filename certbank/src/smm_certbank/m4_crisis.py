"""Module 4, crisis: certification templates.

Each template draws a fresh situation from the paper's random stream and asks
for the decisions Module 4 teaches: when the onset rule fires and how severe the
story is, the SCCT cluster and posture with intensifiers, the first hour and the
holding statement, and which response slows a rumour in the course's model. The
wording is in `m4_crisis.yaml`.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from smm_playbook.datagen.mentions import HOURLY, SIZES, STEP_MINUTES
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
from smm_playbook.sim.rumour_spread import (
    ACCOMMODATION_LADDER,
    CLUSTERS,
    mean_field,
    recommended_posture,
    response_effect,
)
from smm_playbook.sim.rumour_spread import STEP_MINUTES as MODEL_STEP

TEXT = prose_of(__name__)


def _parts(key: str) -> dict:
    return TEXT[key]["parts"]


# --- Detection: the onset rule and severity ----------------------------------------

BEFORE, AFTER = 96, 36  # steps of the export before and after the first post
SPEEDS = (0.8, 0.9, 1.0, 1.1, 1.25)
TIERS = (1, 2, 3, 4)
ONSET_MODEL = """\
series = mentions_export.assign(
    timestamp=pd.to_datetime(mentions_export["timestamp"])
).set_index("timestamp")
past = series["mentions"].rolling("6h", closed="left", min_periods=36)
alert_line = past.mean() + 3 * past.std()
alarm = (series["mentions"] > alert_line) & (series["negative_share"] > 0.5)
fired = alarm.astype(int).rolling(3).sum() == 3
alert_at = fired.idxmax()
onset_alert_delay_minutes = (alert_at - pd.Timestamp(first_post)).total_seconds() / 60
"""


@cache
def _curve(size: str, speed: float) -> np.ndarray:
    """New mentions per step of an incident, peak 1, from the rumour model."""
    spec = SIZES[size]
    shares = mean_field(
        spec["beta"] * speed, spec["gamma"], hours=4, seeded=spec["seeded"]
    )
    heard = 1 - shares["ignorant"].to_numpy()
    curve = np.diff(heard, prepend=heard[0])
    return curve / curve.max()


def _export(rng, size: str, onset: int, campaign: bool) -> pd.DataFrame:
    """A listening export around an incident, as `datagen.mentions` builds them:
    the day's rhythm, perhaps a harmless campaign spike, then the incident,
    whose first post comes `onset` minutes after midnight on 11 June."""
    spec = SIZES[size]
    n = BEFORE + AFTER
    first = 288 + onset // STEP_MINUTES - BEFORE  # steps from 10 June, 00:00
    hours = (np.arange(first, first + n) * STEP_MINUTES // 60) % 24
    ordinary = rng.poisson(HOURLY[hours] * rng.uniform(0.85, 1.15))
    spike = np.zeros(n)
    if campaign:
        centre = int(rng.integers(BEFORE - 60, BEFORE - 24))
        height = rng.uniform(25, 40)
        spike = height * np.exp(-0.5 * ((np.arange(n) - centre) / 4) ** 2)
    spike = rng.poisson(spike)
    curve = np.zeros(n)
    shape = _curve(size, float(rng.choice(SPEEDS)))[:AFTER]
    curve[BEFORE:] = spec["peak"] * rng.uniform(0.75, 1.25) * shape
    curve[BEFORE : BEFORE + 3] += 1.5
    incident = rng.poisson(curve)
    mentions = ordinary + spike + incident
    base = rng.beta(3, 22, size=n)
    hot = np.clip(rng.normal(spec["negative"], 0.06, size=n), 0, 1)
    share = (ordinary * base + spike * 0.05 + incident * hot) / np.maximum(mentions, 1)
    typical = np.exp(rng.normal(7.5, 1.3, size=n)) * (1 + np.log1p(mentions))
    followers = np.where(mentions > 0, typical, 0).round().astype(int)
    pickup = BEFORE + int(rng.integers(6, 12))
    followers[pickup] = max(followers[pickup], spec["hub"])
    if spec["journalist"]:
        followers[pickup + 12] = max(followers[pickup + 12], 86_000)
    return pd.DataFrame(
        {
            "timestamp": _stamps()[first : first + n],
            "mentions": mentions,
            "negative_share": np.where(mentions > 0, share, 0.0).round(3),
            "top_author_followers": followers,
        }
    )


def _rule(export: pd.DataFrame, n: int = 3, negative: float | None = 0.5):
    """The course's onset rule (6-hour window, k = 3): the alert line and the
    step at which it fires (None: never). Rolling sums, as pandas' rolling
    mean and standard deviation (ddof 1) over the 72 steps before each step."""
    mentions = export["mentions"].to_numpy(float)
    steps = np.arange(len(mentions))
    count = np.minimum(steps, 72)
    total = np.concatenate([[0.0], np.cumsum(mentions)])
    squares = np.concatenate([[0.0], np.cumsum(mentions**2)])
    window = total[steps] - total[steps - count]
    window2 = squares[steps] - squares[steps - count]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = window / count
        sd = np.sqrt(np.maximum(window2 - window**2 / count, 0) / (count - 1))
    line = np.where(count >= 36, mean + 3 * sd, np.nan)
    alarm = mentions > line
    if negative is not None:
        alarm &= export["negative_share"].to_numpy() > negative
    run = np.convolve(alarm.astype(int), np.ones(n, int))[: len(alarm)]
    hits = np.flatnonzero(run == n)
    return line, (int(hits[0]) if hits.size else None)


@cache
def _stamps() -> tuple[str, ...]:
    """Every 5-minute time on 10 and 11 June 2025 as the export writes it."""
    times = pd.date_range("2025-06-10", periods=2 * 288, freq="5min")
    return tuple(times.strftime("%Y-%m-%dT%H:%M:%S+08:00"))


def onset_alert(rng: np.random.Generator) -> Section:
    text = TEXT["onset_alert"]
    parts_text = _parts("onset_alert")
    topic = str(rng.choice(["safety", "taste"], p=[0.4, 0.6]))
    while True:
        size = str(rng.choice(["crisis", "grumble"]))
        minute = int(rng.integers(10 * 12, 20 * 12)) * STEP_MINUTES
        export = _export(rng, size, minute, campaign=bool(rng.integers(2)))
        line, fired = _rule(export)
        _, loose = _rule(export, n=1)
        if (
            fired is not None
            and fired >= BEFORE
            and loose is not None
            and loose >= BEFORE
        ):
            break
    delay = (fired - BEFORE) * STEP_MINUTES
    since = export.iloc[BEFORE:]
    negative_steps = since[since["negative_share"] > 0.5]
    biggest = int(negative_steps["top_author_followers"].max())
    tier = 4 if topic == "safety" or biggest >= 100_000 else 2
    first_post = export["timestamp"].iloc[BEFORE]
    tier_text = parts_text["onset_severity_tier"]
    why = {
        i: tier_text["why"][f"tier{t}_{'safety' if topic == 'safety' else 'wave'}"]
        if t in (2, 3) and tier == 4
        else tier_text["why"][f"tier{t}"]
        for i, t in enumerate(TIERS)
        if t != tier
    }
    data_code = frame_code("mentions_export", export) + f'\nfirst_post = "{first_post}"'
    wrong_delay = [
        (
            ((loose - BEFORE) * STEP_MINUTES),
            parts_text["onset_alert_delay_minutes"]["wrong"]["one_step"],
        )
    ]
    wrong_delay = [w for w in wrong_delay if w[0] != delay]
    parts = (
        value_part(
            "onset_alert_delay_minutes",
            1,
            parts_text["onset_alert_delay_minutes"]["prompt"],
            delay,
            wrong=wrong_delay,
            model=ONSET_MODEL,
        ),
        value_part(
            "onset_alert_line",
            1,
            parts_text["onset_alert_line"]["prompt"],
            float(line[fired]),
            rtol=0.01,
            model="onset_alert_line = alert_line[alert_at]",
        ),
        value_part(
            "onset_biggest_negative_author",
            1,
            parts_text["onset_biggest_negative_author"]["prompt"],
            biggest,
            wrong=[
                (
                    int(since["top_author_followers"].max()),
                    parts_text["onset_biggest_negative_author"]["wrong"]["any_step"],
                )
            ]
            if int(since["top_author_followers"].max()) != biggest
            else [],
            model=(
                "since = series[series.index >= pd.Timestamp(first_post)]\n"
                "negative = since[since['negative_share'] > 0.5]\n"
                "onset_biggest_negative_author = negative['top_author_followers'].max()"
            ),
        ),
        choice_part(
            "onset_severity_tier",
            1,
            tier_text["prompt"],
            [tier_text["options"][f"tier{t}"] for t in TIERS],
            TIERS.index(tier),
            why,
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(
        topic=text["topics"][topic], first_post=first_post[11:16]
    )
    return Section("m4_onset_alert", "4", text["title"], prompt, data_code, parts)


# --- SCCT on a fresh scenario: cluster, intensifiers, posture, strategies -------------

POSTURE_OPTIONS = (*ACCOMMODATION_LADDER, "deny")
STRATEGIES = (
    "instructing",
    "adjusting",
    "excuse",
    "justification",
    "apology",
    "compensation",
    "attack",
    "scapegoat",
)
# What each posture adds to the base response (Coombs 2007, as the module's table).
ADDS = {
    "base": (),
    "diminish": ("excuse", "justification"),
    "rebuild": ("apology", "compensation"),
}
INTENSIFIER_MODEL = """\
crisis_history = {"recall", "viral video", "boycott"}
poor_relationship = {"service reviews", "regulator fine"}
labels = set(brand_history["label"])
scct_intensifier_count = int(bool(labels & crisis_history)) + int(
    bool(labels & poor_relationship)
)"""


def scct_scenario(rng: np.random.Generator) -> Section:
    text = TEXT["scct_scenario"]
    parts_text = _parts("scct_scenario")
    scenarios = text["scenarios"]
    scenario = scenarios[int(rng.integers(len(scenarios)))]
    cluster = scenario["cluster"]
    facts = text["facts"]
    crises = int(rng.choice([0, 1, 1, 2]))
    relationship = int(rng.integers(2))
    chosen = [
        facts[group][int(i)]
        for group, n in (("crisis", crises), ("relationship", relationship))
        for i in rng.choice(len(facts[group]), size=n, replace=False)
    ]
    others = rng.choice(len(facts["other"]), size=4 - len(chosen), replace=False)
    chosen += [facts["other"][int(i)] for i in others]
    years = sorted(
        int(y) for y in rng.choice(np.arange(2017, 2026), size=4, replace=False)
    )
    order = [int(i) for i in rng.permutation(4)]
    history = pd.DataFrame(
        {
            "year": years,
            "label": [chosen[i]["label"] for i in order],
            "event": [chosen[i]["event"] for i in order],
        }
    )
    count = int(crises > 0) + relationship
    posture = recommended_posture(cluster, count)
    wrong_count = [
        (crises + relationship, parts_text["scct_intensifier_count"]["wrong"]["each"])
    ]
    wrong_count = [w for w in wrong_count if w[0] != count]
    cluster_text = parts_text["scct_fresh_cluster"]
    posture_text = parts_text["scct_fresh_posture"]
    strategy_text = parts_text["scct_posture_strategies"]
    fitting = {
        STRATEGIES.index(s) for s in ("instructing", "adjusting", *ADDS[posture])
    }
    why_strategy = {
        i: strategy_text["why"][s if s in ("attack", "scapegoat") else f"{s}_{posture}"]
        for i, s in enumerate(STRATEGIES)
        if i not in fitting
    }
    parts = (
        choice_part(
            "scct_fresh_cluster",
            1,
            cluster_text["prompt"],
            [cluster_text["options"][c] for c in CLUSTERS],
            CLUSTERS.index(cluster),
            {i: cluster_text["why"][c] for i, c in enumerate(CLUSTERS) if c != cluster},
            rng=rng,
        ),
        value_part(
            "scct_intensifier_count",
            1,
            parts_text["scct_intensifier_count"]["prompt"],
            count,
            rtol=0.0,
            wrong=wrong_count,
            model=INTENSIFIER_MODEL,
        ),
        choice_part(
            "scct_fresh_posture",
            1,
            posture_text["prompt"],
            [posture_text["options"][p] for p in POSTURE_OPTIONS],
            POSTURE_OPTIONS.index(posture),
            {
                i: posture_text["why"][p if p == "deny" else f"{p}_vs_{posture}"]
                for i, p in enumerate(POSTURE_OPTIONS)
                if p != posture
            },
            rng=rng,
        ),
        multi_part(
            "scct_posture_strategies",
            1,
            strategy_text["prompt"],
            [strategy_text["options"][s] for s in STRATEGIES],
            fitting,
            why_strategy,
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(situation=str(scenario["situation"]).strip())
    return Section(
        "m4_scct_scenario",
        "4",
        text["title"],
        prompt,
        frame_code("brand_history", history),
        parts,
    )


# --- The first hour: the log, the sequence and the holding statement --------------

FIRST_HOUR = ("alert", "pause", "scoping", "statement", "publish", "review")
# Log events that must appear in the first hour, one of which a paper leaves out.
REQUIRED = ("pause", "staff_line", "scoping", "legal", "pin")
LOG_MODEL = """\
log_times = pd.to_datetime("2025-06-11 " + incident_log["time"])
events = incident_log["event"]
alerted = log_times[events.str.startswith("Alert")].iloc[0]
published = log_times[events.str.startswith("Holding statement published")].iloc[0]
first_hour_statement_minutes = (published - alerted).total_seconds() / 60"""


def first_hour(rng: np.random.Generator) -> Section:
    text = TEXT["first_hour"]
    parts_text = _parts("first_hour")
    incident = text["incidents"][int(rng.integers(len(text["incidents"])))]
    events = text["log_events"]
    # The log: first post, alert, the first-hour steps (one missing), the statement.
    start = int(rng.integers(13 * 60, 17 * 60))
    alert = start + int(rng.integers(10, 41))
    published = alert + int(rng.integers(30, 76))
    missing = str(rng.choice(REQUIRED))
    at = {
        "post": start,
        "alert": alert,
        "escalate": alert + int(rng.integers(2, 5)),
        "pause": alert + int(rng.integers(5, 10)),
        "staff_line": alert + int(rng.integers(10, 14)),
        "scoping": alert + 15,
        "legal": published - int(rng.integers(5, 12)),
        "published": published,
        "pin": published + 1,
    }
    rows = [
        (minute, events[key].format(platform=incident["platform"]))
        for key, minute in sorted(at.items(), key=lambda kv: kv[1])
        if key != missing
    ]
    log = pd.DataFrame(
        {
            "time": [_clock(m) for m, _ in rows],
            "event": [e for _, e in rows],
        }
    )
    delay = published - alert
    # The sequence: five of the six steps of the course's first-hour clock.
    dropped = int(rng.integers(len(FIRST_HOUR)))
    steps = [k for i, k in enumerate(FIRST_HOUR) if i != dropped]
    sequence_text = parts_text["first_hour_sequence"]
    swapped = list(range(len(steps)))
    late = steps.index("publish") if "publish" in steps else None
    wrong_orders = []
    if late is not None and late > 0:
        swapped[late - 1], swapped[late] = swapped[late], swapped[late - 1]
        wrong_orders.append((swapped, sequence_text["wrong"]["too_soon"]))
    # The draft statement: good sentences and two or three that must come out.
    sentences = incident["sentences"]
    bad_keys = [k for k in ("speculation", "blame", "admission") if k in sentences]
    n_bad = int(rng.integers(2, len(bad_keys) + 1))
    bad = [str(k) for k in rng.choice(bad_keys, size=n_bad, replace=False)]
    good_keys = [
        "acknowledge",
        "concern",
        "actions",
        "instructions",
        "update",
        "source",
    ]
    good = [str(k) for k in rng.choice(good_keys, size=6 - n_bad, replace=False)]
    draft = sorted(bad + good, key=lambda k: (good_keys + bad_keys).index(k))
    fault_text = parts_text["holding_statement_faults"]
    parts = (
        value_part(
            "first_hour_statement_minutes",
            1,
            parts_text["first_hour_statement_minutes"]["prompt"],
            delay,
            rtol=0.0,
            wrong=[
                (
                    published - start,
                    parts_text["first_hour_statement_minutes"]["wrong"]["post"],
                )
            ],
            model=LOG_MODEL,
        ),
        choice_part(
            "first_hour_missing_step",
            1,
            parts_text["first_hour_missing_step"]["prompt"],
            [parts_text["first_hour_missing_step"]["options"][k] for k in REQUIRED],
            REQUIRED.index(missing),
            {
                i: parts_text["first_hour_missing_step"]["why"].format(
                    time=_clock(at[k])
                )
                for i, k in enumerate(REQUIRED)
                if k != missing
            },
            rng=rng,
        ),
        order_part(
            "first_hour_sequence",
            1,
            sequence_text["prompt"],
            [sequence_text["steps"][k] for k in steps],
            list(range(len(steps))),
            wrong=wrong_orders,
            rng=rng,
        ),
        multi_part(
            "holding_statement_faults",
            1,
            fault_text["prompt"],
            [sentences[k].strip() for k in draft],
            {i for i, k in enumerate(draft) if k in bad},
            {i: fault_text["why"][k] for i, k in enumerate(draft) if k in good},
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(situation=incident["situation"].strip())
    return Section(
        "m4_first_hour",
        "4",
        text["title"],
        prompt,
        frame_code("incident_log", log),
        parts,
    )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


# --- Which response slows the rumour (the mean-field model) ------------------------

RESPONSES = ("base", "deny", "diminish", "rebuild")
EFFECTS = ("fewest", "fewer", "more")
SEEDED = 2e-3  # share who start the story (the listening datasets' crisis size)
HORIZON_HOURS = 12
BETAS = (0.03, 0.035, 0.04, 0.05)
GAMMAS = (0.015, 0.02, 0.025)
RUMOUR_MODEL = """\
runs = spread_runs.set_index("run")
fitting = runs.loc["fitting_late", "response"]  # the course's posture
early = runs.loc[f"{fitting}_early", "heard_pct"]
rumour_reach_cut_pts = runs.loc["none", "heard_pct"] - early
rumour_delay_cost_pts = runs.loc["fitting_late", "heard_pct"] - early"""


@cache
def _runs(beta: float, gamma: float, early: int, late: int, cluster: str, posture: str):
    """Share who have heard the story after the horizon, and the peak share of
    spreaders, for each run: the model's equations (`sim.rumour_spread`'s
    Maki–Thompson mean field, RK4 on its 5-minute grid) for all runs at once."""
    plan = [("none", None, "none")]
    plan += [(f"{r}_early", early, r) for r in RESPONSES]
    plan += [("fitting_late", late, posture)]
    spread = np.array([response_effect(cluster, p)[0] for _, _, p in plan])
    stifle = np.array([response_effect(cluster, p)[1] for _, _, p in plan])
    start = np.array([np.inf if t is None else t for _, t, _ in plan])
    state = np.tile(np.array([[1 - SEEDED], [SEEDED], [0.0]]), (1, len(plan)))
    peak = state[1].copy()

    def slope(x, b, g):
        heard = b * x[0] * x[1]
        stifled = g * x[1] * (x[1] + x[2])
        return np.array([-heard, heard - stifled, stifled])

    dt = MODEL_STEP
    for step in range(HORIZON_HOURS * 60 // dt):
        responded = step * dt >= start
        b = np.where(responded, beta * spread, beta)
        g = np.where(responded, gamma * stifle, gamma)
        k1 = slope(state, b, g)
        k2 = slope(state + dt / 2 * k1, b, g)
        k3 = slope(state + dt / 2 * k2, b, g)
        k4 = slope(state + dt * k3, b, g)
        state = state + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        peak = np.maximum(peak, state[1])
    names = [name for name, _, _ in plan]
    return names, [t for _, t, _ in plan], 100 * (1 - state[0]), 100 * peak


def rumour_response(rng: np.random.Generator) -> Section:
    text = TEXT["rumour_response"]
    parts_text = _parts("rumour_response")
    scenario = TEXT["scct_scenario"]["scenarios"][
        int(rng.integers(len(TEXT["scct_scenario"]["scenarios"])))
    ]
    cluster = scenario["cluster"]
    intensifiers = int(rng.integers(2))
    posture = recommended_posture(cluster, intensifiers)
    beta = float(rng.choice(BETAS))
    gamma = float(rng.choice(GAMMAS))
    while True:  # a delay that costs something (at least one point of reach)
        early = int(rng.choice([15, 30, 45, 60]))
        late = early + int(rng.choice([60, 90, 120, 180]))
        names, times, heard, peak = _runs(beta, gamma, early, late, cluster, posture)
        if heard[-1] - heard[names.index(f"{posture}_early")] >= 1:
            break
    runs = pd.DataFrame(
        {
            "run": names,
            "response": ["none", *RESPONSES, posture],
            "respond_at_minute": [np.nan if t is None else t for t in times],
            "heard_pct": heard.round(2),
            "peak_spreaders_pct": peak.round(2),
        }
    )
    runs = runs.astype({"respond_at_minute": "Int64"})
    at = dict(zip(names, runs["heard_pct"], strict=True))
    cut = at["none"] - at[f"{posture}_early"]
    cost = at["fitting_late"] - at[f"{posture}_early"]
    # What each response does against silence, and the best of them.
    fewest = min(RESPONSES, key=lambda r: at[f"{r}_early"])
    effect = [
        0 if r == fewest else (1 if at[f"{r}_early"] < at["none"] else 2)
        for r in RESPONSES
    ]
    move_text = parts_text["rumour_first_move"]
    moves = {
        "holding": at["base_early"],
        "full": at["fitting_late"],
        "silence": at["none"],
    }
    best_move = min(moves, key=moves.get)
    best = min(RESPONSES, key=lambda r: at[f"{r}_early"])
    wrong_cut = []
    if best != posture:
        wrong_cut.append(
            (
                at["none"] - at[f"{best}_early"],
                parts_text["rumour_reach_cut_pts"]["wrong"]["best"],
            )
        )
    parts = (
        value_part(
            "rumour_reach_cut_pts",
            1,
            parts_text["rumour_reach_cut_pts"]["prompt"],
            cut,
            rtol=0.01,
            wrong=wrong_cut,
            model=RUMOUR_MODEL.split("rumour_delay")[0].strip(),
        ),
        value_part(
            "rumour_delay_cost_pts",
            1,
            parts_text["rumour_delay_cost_pts"]["prompt"],
            cost,
            rtol=0.01,
            wrong=[
                (
                    100 * cost / at[f"{posture}_early"],
                    parts_text["rumour_delay_cost_pts"]["wrong"]["relative"],
                )
            ],
            model="rumour_delay" + RUMOUR_MODEL.split("rumour_delay")[1],
        ),
        choice_part(
            "rumour_first_move",
            1,
            move_text["prompt"].format(early=early, late=late),
            [
                move_text["options"][m].format(early=early, late=late, posture=posture)
                for m in moves
            ],
            list(moves).index(best_move),
            {i: move_text["why"][m] for i, m in enumerate(moves) if m != best_move},
            rng=rng,
        ),
        match_part(
            "rumour_posture_effects",
            1,
            parts_text["rumour_posture_effects"]["prompt"].format(early=early),
            [parts_text["rumour_posture_effects"]["items"][r] for r in RESPONSES],
            [parts_text["rumour_posture_effects"]["options"][e] for e in EFFECTS],
            effect,
            rng=rng,
        ),
    )
    history = text["history"][intensifiers]
    prompt = text["prompt"].format(
        situation=str(scenario["situation"]).strip(),
        cluster=cluster,
        history=history,
        posture=posture,
        beta=beta,
        gamma=gamma,
        hours=HORIZON_HOURS,
    )
    return Section(
        "m4_rumour_response",
        "4",
        text["title"],
        prompt,
        frame_code("spread_runs", runs),
        parts,
    )


# --- Severity: the escalation matrix, who approves, the first minutes ---------------

PROBLEMS = ("complaint", "refund demand", "repeat complaint")
TIER3_TOPICS = ("safety", "legal", "press")
ITEM_COLUMNS = [
    "item",
    "topic",
    "author_followers",
    "likes",
    "on_hot_search",
    "onset_alert",
]
TIER_MODEL = """\
def tier(row):
    tier3 = row["topic"] in ("safety", "legal", "press") or (
        row["topic"] in ("complaint", "refund demand", "repeat complaint")
        and row["author_followers"] >= 100_000
    )
    if row["on_hot_search"] == "yes" or (tier3 and row["onset_alert"] == "yes"):
        return 4
    if tier3:
        return 3
    if row["topic"] in ("refund demand", "repeat complaint") or (
        row["topic"] == "complaint"
        and (row["likes"] >= 5 or 10_000 <= row["author_followers"] < 100_000)
    ):
        return 2
    return 1


tiers = incoming_items.apply(tier, axis=1)
escalation_senior_count = int((tiers >= 3).sum())"""


def _tier_of(row: dict) -> int:
    """The course's escalation matrix, top down (Modules 3 and 4)."""
    problem = row["topic"] in PROBLEMS
    tier3 = row["topic"] in TIER3_TOPICS or (
        problem and row["author_followers"] >= 100_000
    )
    if row["on_hot_search"] == "yes" or (tier3 and row["onset_alert"] == "yes"):
        return 4
    if tier3:
        return 3
    if row["topic"] in PROBLEMS[1:] or (
        row["topic"] == "complaint"
        and (row["likes"] >= 5 or 10_000 <= row["author_followers"] < 100_000)
    ):
        return 2
    return 1


def _item(rng, tier: int) -> dict:
    """A row that the matrix puts at `tier`, with a trap a beginner falls into."""
    followers = int(np.exp(rng.uniform(np.log(50), np.log(8_000))))
    row = {"author_followers": followers, "likes": int(rng.integers(0, 5))}
    row |= {"on_hot_search": "no", "onset_alert": "no"}
    case = int(rng.integers(3))
    if tier == 1:
        topic = ("praise", "praise", "complaint")[case]
        if case == 0:  # praise from a big account is still approved
            row["author_followers"] = int(rng.integers(100_000, 900_000))
            row["likes"] = int(rng.integers(20, 400))
    elif tier == 2:
        topic = ("complaint", "refund demand", "repeat complaint")[case]
        if case == 0:
            if rng.integers(2):
                row["likes"] = int(rng.integers(5, 60))
            else:
                row["author_followers"] = int(rng.integers(10_000, 100_000))
    elif tier == 3:
        topic = ("safety", "legal", "press")[case] if rng.integers(3) else "complaint"
        if topic == "complaint":
            row["author_followers"] = int(rng.integers(100_000, 900_000))
    else:
        topic = str(rng.choice(["safety", "complaint", "press"]))
        if rng.integers(2):
            row["on_hot_search"] = "yes"
            row["likes"] = int(rng.integers(200, 5000))
        else:
            row["onset_alert"] = "yes"
            if topic == "complaint":
                row["author_followers"] = int(rng.integers(100_000, 900_000))
    row["topic"] = topic
    return row


def escalation_tiers(rng: np.random.Generator) -> Section:
    text = TEXT["escalation_tiers"]
    parts_text = _parts("escalation_tiers")
    wanted = [1, 2, 3, 4, int(rng.integers(1, 5))]
    wanted = [wanted[int(i)] for i in rng.permutation(5)]
    rows = [_item(rng, t) for t in wanted]
    descriptions = text["descriptions"]
    platforms = [
        "Weibo",
        "Douyin",
        "Xiaohongshu",
        "WeChat",
        "Instagram",
        "X",
        "Bilibili",
    ]
    for n, row in enumerate(rows, start=1):
        pool = descriptions[row["topic"]]
        row["item"] = (
            f"{n}. {rng.choice(platforms)}: {pool[int(rng.integers(len(pool)))]}"
        )
    items = pd.DataFrame(rows)[ITEM_COLUMNS]
    tiers = [_tier_of(r) for r in rows]
    senior = sum(t >= 3 for t in tiers)
    naive = sum(
        t >= 3 or r["author_followers"] >= 100_000
        for t, r in zip(tiers, rows, strict=True)
    )
    tier_text = parts_text["escalation_item_tiers"]
    # Who approves the public words for one of the items.
    asked = int(rng.integers(5))
    approver_text = parts_text["escalation_approver"]
    # The first minutes at Tier 4: some right moves, some a beginner would make.
    first = parts_text["tier4_first_minutes"]
    right = [
        str(k)
        for k in rng.choice(
            list(first["right"]), size=int(rng.integers(2, 4)), replace=False
        )
    ]
    wrong = [
        str(k)
        for k in rng.choice(list(first["wrong"]), size=6 - len(right), replace=False)
    ]
    moves = [first["right"][k] for k in right] + [
        first["wrong"][k]["text"] for k in wrong
    ]
    parts = (
        match_part(
            "escalation_item_tiers",
            1,
            tier_text["prompt"],
            [r["item"][3:] for r in rows],
            [tier_text["options"][f"tier{t}"] for t in (1, 2, 3, 4)],
            [t - 1 for t in tiers],
            wrong=[
                (
                    [
                        max(t, 3) - 1 if r["author_followers"] >= 100_000 else t - 1
                        for t, r in zip(tiers, rows, strict=True)
                    ],
                    tier_text["wrong"]["big_account"],
                )
            ]
            if naive != senior
            else [],
            rng=rng,
        ),
        value_part(
            "escalation_senior_count",
            1,
            parts_text["escalation_senior_count"]["prompt"],
            senior,
            rtol=0.0,
            wrong=[
                (naive, parts_text["escalation_senior_count"]["wrong"]["big_account"])
            ]
            if naive != senior
            else [],
            model=TIER_MODEL,
        ),
        choice_part(
            "escalation_approver",
            1,
            approver_text["prompt"].format(item=asked + 1),
            [approver_text["options"][f"tier{t}"] for t in (1, 2, 3, 4)],
            tiers[asked] - 1,
            {t - 1: approver_text["why"] for t in (1, 2, 3, 4) if t != tiers[asked]},
            rng=rng,
        ),
        multi_part(
            "tier4_first_minutes",
            1,
            first["prompt"],
            moves,
            set(range(len(right))),
            {len(right) + i: first["wrong"][k]["why"] for i, k in enumerate(wrong)},
            rng=rng,
        ),
    )
    return Section(
        "m4_escalation_tiers",
        "4",
        text["title"],
        text["prompt"],
        frame_code("incoming_items", items),
        parts,
    )


TEMPLATES = (
    Template("m4_onset_alert", "4", onset_alert),
    Template("m4_scct_scenario", "4", scct_scenario),
    Template("m4_first_hour", "4", first_hour),
    Template("m4_rumour_response", "4", rumour_response),
    Template("m4_escalation_tiers", "4", escalation_tiers),
)
