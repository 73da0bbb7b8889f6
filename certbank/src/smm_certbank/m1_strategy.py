"""Module 1, strategy: certification templates.

The decisions of Module 1 on the learner's own drawn data: the KPI that fits an
objective (and computing two of them), whether a goal is SMART and what it
lacks, which channel mix reaches a target audience at the lowest cost under the
channel planner's model, who approves what and which organisation model fits,
and where an organisation stands on Altimeter's maturity stages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smm_playbook.grading.items.framework import (
    Section,
    Template,
    choice_part,
    distinct_wrong,
    frame_code,
    match_part,
    multi_part,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset
from smm_playbook.sim import maturity
from smm_playbook.sim.channel_planner import BUDGET_PER_POINT, SATURATION


def _text(key: str) -> dict:
    return prose_of(__name__)[key]


_distinct = distinct_wrong  # wrong answers within 2% of the key are dropped


def _pick(rng: np.random.Generator, items, k: int) -> list:
    """k distinct items of `items`, in a random order."""
    return [items[int(i)] for i in rng.choice(len(items), k, replace=False)]


# --- 1. The KPI that fits the objective --------------------------------------

OBJECTIVES = ("awareness", "engagement", "conversion", "loyalty", "reputation")


def kpi_fit(rng: np.random.Generator) -> Section:
    text = _text("kpi_fit")
    pt = text["parts"]
    brand = int(rng.integers(800, 4000))
    rivals = [int(x) for x in rng.integers(500, 5000, size=3)]
    mentions = brand + sum(rivals)
    positive = int(brand * rng.uniform(0.2, 0.5))
    negative = int(brand * rng.uniform(0.05, 0.35))
    neutral = brand - positive - negative
    figures = pd.DataFrame(
        {
            "source": ["our brand", "rival 1", "rival 2", "rival 3"],
            "mentions": [brand, *rivals],
            "positive": [positive, None, None, None],
            "neutral": [neutral, None, None, None],
            "negative": [negative, None, None, None],
        }
    ).astype({"positive": "Int64", "neutral": "Int64", "negative": "Int64"})
    sov = 100 * brand / mentions
    net = 100 * (positive - negative) / brand
    polarity = 100 * (positive - negative) / (positive + negative)
    # Match four objectives, each phrased as a business brief, to the KPI that fits.
    asked = sorted(int(i) for i in rng.choice(5, 4, replace=False))
    asked = [asked[i] for i in rng.permutation(4)]
    briefs = [
        _pick(rng, pt["kpifit_match"]["briefs"][OBJECTIVES[i]], 1)[0] for i in asked
    ]
    kpi_options = list(pt["kpifit_match"]["options"])  # one per objective, then a decoy
    everything_reach = [0, 0, 0, 0]
    wrong_match = []
    if asked != everything_reach:
        wrong_match.append((everything_reach, pt["kpifit_match"]["all_reach"]))
    # Every KPI that measures one objective, among KPIs of other objectives.
    pool = pt["kpifit_multi"]["kpis"]
    objective = OBJECTIVES[int(rng.integers(4))]  # reputation has one KPI only
    own = [k for k in pool if k["objective"] == objective]
    others = [k for k in pool if k["objective"] != objective]
    right = _pick(rng, own, 2)
    decoys = _pick(rng, others, 4)
    options = [k["name"] for k in right + decoys]
    why = {
        i + 2: pt["kpifit_multi"]["why"].format(objective=k["objective"])
        for i, k in enumerate(decoys)
    }
    parts = (
        match_part(
            "kpifit_objective_kpi",
            1,
            pt["kpifit_match"]["prompt"],
            briefs,
            kpi_options,
            asked,
            wrong=wrong_match,
            rng=rng,
        ),
        value_part(
            "kpifit_sov_pct",
            1,
            pt["kpifit_sov_pct"]["prompt"],
            sov,
            unit="percent",
            wrong=_distinct(
                sov, [(100 * brand / sum(rivals), pt["kpifit_sov_pct"]["wrong"])]
            ),
            model=(
                "kpifit_sov_pct = 100 * quarter['mentions'].iloc[0] / "
                "quarter['mentions'].sum()"
            ),
        ),
        value_part(
            "kpifit_net_sentiment_pct",
            1,
            pt["kpifit_net_sentiment_pct"]["prompt"],
            net,
            unit="percent",
            wrong=_distinct(net, [(polarity, pt["kpifit_net_sentiment_pct"]["wrong"])]),
            model=(
                "kpifit_ours = quarter.iloc[0]\n"
                "kpifit_net_sentiment_pct = 100 * (kpifit_ours['positive'] - "
                "kpifit_ours['negative']) / kpifit_ours['mentions']"
            ),
        ),
        multi_part(
            "kpifit_objective_kpis",
            1,
            pt["kpifit_multi"]["prompt"].format(objective=objective),
            options,
            {0, 1},
            why,
            rng=rng,
        ),
    )
    return Section(
        "m1_kpi_fit",
        "1",
        text["title"],
        text["prompt"],
        frame_code("quarter", figures),
        parts,
    )


# --- 2. Is the goal SMART? ---------------------------------------------------

ELEMENTS = ("metric", "number", "deadline", "owner", "realistic")


def smart_goal(rng: np.random.Generator) -> Section:
    text = _text("smart_goal")
    pt = text["parts"]
    account = _pick(rng, text["accounts"], 1)[0]
    reach = (rng.uniform(0.8, 1.2, 4) * int(rng.integers(200, 900)) * 1000).astype(int)
    rates = rng.uniform(0.02, 0.07) * rng.uniform(0.85, 1.15, 4)
    engagements = (reach * rates).astype(int)
    quarters = pd.DataFrame(
        {
            "quarter": ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"],
            "reach": reach,
            "engagements": engagements,
        }
    )
    per_quarter = 100 * engagements / reach
    baseline = round(float(per_quarter[-1]), 1)
    best = float(per_quarter.max())
    # Four goals: at least one complete; the others each lack one element.
    lacks = [None, *[ELEMENTS[int(i)] for i in rng.choice(5, 3, replace=False)]]
    if rng.random() < 0.5:
        lacks[int(rng.integers(1, 4))] = None
    lacks = [lacks[i] for i in rng.permutation(4)]
    goals, targets = [], []
    deadlines = text["deadlines"]
    owners = text["owners"]
    for lack in lacks:
        step = float(rng.choice([0.2, 0.3, 0.4, 0.5]))
        target = round(baseline + step, 1)
        if lack == "realistic":
            target = round(max(2.5 * best, baseline + 4), 1)
        metric = (
            text["weak"]["metric"].format(**account)
            if lack == "metric"
            else text["strong_metric"].format(**account)
        )
        number = (
            text["weak"]["number"]
            if lack == "number"
            else f"from {baseline:.1f}% to {target:.1f}%"
        )
        deadline = (
            text["weak"]["deadline"]
            if lack == "deadline"
            else _pick(rng, deadlines, 1)[0]
        )
        owner = text["weak"]["owner"] if lack == "owner" else _pick(rng, owners, 1)[0]
        goals.append(f"Raise {metric} {number} {deadline}; owner: {owner}.")
        targets.append(target)
    complete = {i for i, lack in enumerate(lacks) if lack is None}
    flawed = [i for i, lack in enumerate(lacks) if lack is not None]
    asked = int(rng.choice(flawed))
    first_complete = min(complete)
    target = targets[first_complete]
    lift = 100 * (target - baseline) / baseline
    letters = "ABCD"
    goal_list = "\n".join(f"{letters[i]}. {g}" for i, g in enumerate(goals))
    element_options = list(pt["smart_missing"]["options"])
    why = {
        i: pt["smart_missing"]["why"][ELEMENTS[i]]
        for i in range(5)
        if ELEMENTS[i] != lacks[asked]
    }
    multi_why = {i: pt["smart_complete_goals"]["why"][lacks[i]] for i in flawed}
    parts = (
        value_part(
            "smart_baseline_pct",
            1,
            pt["smart_baseline_pct"]["prompt"],
            per_quarter[-1],
            unit="percent",
            rtol=0.01,
            wrong=_distinct(
                per_quarter[-1],
                [(per_quarter.mean(), pt["smart_baseline_pct"]["wrong"])],
            ),
            model=(
                "smart_last = quarters.iloc[-1]\n"
                "smart_baseline_pct = 100 * smart_last['engagements'] / "
                "smart_last['reach']"
            ),
        ),
        multi_part(
            "smart_complete_goals",
            1,
            pt["smart_complete_goals"]["prompt"],
            [f"Goal {letters[i]}" for i in range(4)],
            complete,
            multi_why,
            rng=rng,
        ),
        choice_part(
            "smart_missing",
            1,
            pt["smart_missing"]["prompt"].format(goal=letters[asked]),
            element_options,
            ELEMENTS.index(lacks[asked]),
            why,
            rng=rng,
        ),
        value_part(
            "smart_target_lift_pct",
            1,
            pt["smart_target_lift_pct"]["prompt"].format(goal=letters[first_complete]),
            lift,
            unit="percent",
            rtol=0.01,
            wrong=_distinct(
                lift, [(target - baseline, pt["smart_target_lift_pct"]["wrong"])]
            ),
            model=(
                f"smart_target_lift_pct = 100 * ({target:.1f} - {baseline:.1f}) / "
                f"{baseline:.1f}"
            ),
        ),
    )
    prompt = text["prompt"].format(goals=goal_list, **account)
    return Section(
        "m1_smart_goal",
        "1",
        text["title"],
        prompt,
        frame_code("quarters", quarters),
        parts,
    )


# --- 3. Which channel mix reaches the target audience ------------------------

POINTS = (10, 15, 20, 25, 30, 40, 50)


def _mix_reach(shares: dict[str, float], mix: dict[str, int]) -> tuple[float, float]:
    reached = [shares[c] * (1 - np.exp(-a / SATURATION)) for c, a in mix.items()]
    return float(1 - np.prod([1 - r for r in reached])), float(sum(reached))


def channel_mix(rng: np.random.Generator) -> Section:
    text = _text("channel_mix")
    pt = text["parts"]
    audiences = dataset("platform_audiences")
    regions = sorted(audiences["region"].unique())
    while True:
        region = regions[int(rng.integers(len(regions)))]
        band = sorted(audiences["age_band"].unique())[int(rng.integers(5))]
        interest = sorted(audiences["interest"].unique())[int(rng.integers(3))]
        segment = audiences[
            (audiences["region"] == region)
            & (audiences["age_band"] == band)
            & (audiences["interest"] == interest)
        ]
        top = segment.nlargest(5, "share").sort_values("platform")
        shares = dict(zip(top["platform"], top["share"].round(4), strict=True))
        population = int(top["population"].iloc[0])
        channels = list(shares)
        mixes = []
        for _ in range(3):
            chosen = sorted(_pick(rng, channels, int(rng.integers(2, 4))))
            mixes.append({c: int(rng.choice(POINTS)) for c in chosen})
        if len({tuple(sorted(m.items())) for m in mixes}) < 3:
            continue
        reach = [_mix_reach(shares, m) for m in mixes]
        dedup = np.array([r[0] for r in reach])
        cost = np.array([sum(m.values()) for m in mixes])
        order = np.sort(dedup)
        # The goal sits between two mixes' reach, so one or two mixes meet it.
        cut = int(rng.integers(2)) if order[0] > 0.05 else 1
        low, high = order[cut], order[cut + 1]
        if high - low < 0.03:
            continue
        goal = float(np.floor(100 * (low + high) / 2)) / 100
        if not low < goal < high:
            continue
        meets = set(np.flatnonzero(dedup >= goal))
        costs = sorted(cost[list(meets)])
        if len(costs) > 1 and costs[0] == costs[1]:
            continue
        break
    names = ["Plan A", "Plan B", "Plan C"]
    cheapest = min(meets, key=lambda i: cost[i])
    rows = [(names[i], c, a) for i, m in enumerate(mixes) for c, a in m.items()]
    plans = pd.DataFrame(rows, columns=["plan", "channel", "points"])
    segment_table = pd.DataFrame(
        {"channel": channels, "share_of_segment": [shares[c] for c in channels]}
    )
    asked = int(rng.integers(3))
    mix_why = {i: pt["mix_meets_goal"]["why"] for i in range(3) if i not in meets}
    cheap_why = {}
    for i in range(3):
        if i == cheapest:
            continue
        key = "dearer" if i in meets else "misses"
        cheap_why[i] = pt["mix_cheapest"]["why"][key]
    cheap_reach = dedup[cheapest] * population
    cpt = cost[cheapest] * BUDGET_PER_POINT / (cheap_reach / 1000)
    data_code = (
        f"population = {population}  # people in the target segment\n"
        f"goal = {goal:.2f}  # share of the segment the plan must reach\n"
        + frame_code("segment", segment_table)
        + "\n"
        + frame_code("plans", plans)
    )
    model_reach = (
        "import numpy as np\n"
        "mix_share = segment.set_index('channel')['share_of_segment']\n"
        "mix_rows = plans.assign(reached=plans['channel'].map(mix_share) * "
        f"(1 - np.exp(-plans['points'] / {SATURATION:g})))\n"
        "mix_dedup = 1 - (1 - mix_rows['reached']).groupby(mix_rows['plan']).prod()\n"
        f"mix_reach_pct = 100 * mix_dedup[{names[asked]!r}]"
    )
    model_cost = (
        "mix_points = plans.groupby('plan')['points'].sum()\n"
        "mix_ok = mix_dedup[mix_dedup >= goal].index\n"
        "mix_best = mix_points[mix_ok].idxmin()\n"
        f"mix_cost_per_thousand = mix_points[mix_best] * {BUDGET_PER_POINT:g} / "
        "(mix_dedup[mix_best] * population / 1000)"
    )
    parts = (
        value_part(
            "mix_reach_pct",
            1,
            pt["mix_reach_pct"]["prompt"].format(plan=names[asked]),
            100 * dedup[asked],
            unit="percent",
            wrong=_distinct(
                100 * dedup[asked],
                [(100 * reach[asked][1], pt["mix_reach_pct"]["wrong"])],
            ),
            model=model_reach,
        ),
        multi_part(
            "mix_meets_goal",
            1,
            pt["mix_meets_goal"]["prompt"],
            names,
            meets,
            mix_why,
            rng=rng,
        ),
        choice_part(
            "mix_cheapest",
            1,
            pt["mix_cheapest"]["prompt"],
            names,
            int(cheapest),
            cheap_why,
            rng=rng,
        ),
        value_part(
            "mix_cost_per_thousand",
            1,
            pt["mix_cost_per_thousand"]["prompt"],
            cpt,
            wrong=_distinct(
                cpt,
                [
                    (
                        cost[cheapest]
                        * BUDGET_PER_POINT
                        / (reach[cheapest][1] * population / 1000),
                        pt["mix_cost_per_thousand"]["wrong"],
                    )
                ],
            ),
            model=model_cost,
        ),
    )
    prompt = text["prompt"].format(
        region=region,
        band=band,
        interest=interest,
        goal=f"{goal:.0%}",
        saturation=f"{SATURATION:g}",
        budget=f"{BUDGET_PER_POINT:,.0f}",
    )
    return Section("m1_channel_mix", "1", text["title"], prompt, data_code, parts)


# --- 4. Approvals and the organisation model ---------------------------------

TIERS = ("none", "brand_owner", "pr_legal")
MODELS = ("centralised", "hub_and_spoke", "dandelion", "holistic", "organic")


def governance(rng: np.random.Generator) -> Section:
    text = _text("governance")
    pt = text["parts"]
    pending = pt["approval_tier"]["items"]
    # Four pending items covering at least two tiers.
    while True:
        chosen = _pick(rng, pending, 4)
        if len({c["tier"] for c in chosen}) >= 2:
            break
    matches = [TIERS.index(c["tier"]) for c in chosen]
    wrong_match = []
    if matches != [2, 2, 2, 2]:
        wrong_match.append(([2, 2, 2, 2], pt["approval_tier"]["all_legal"]))
    # The approvals log: hours from request to sign-off.
    target = int(rng.choice([2, 3, 4, 6]))
    n = int(rng.integers(10, 15))
    tiers = ["brand owner", "PR or legal"]
    tier_col = [tiers[int(i)] for i in rng.integers(0, 2, n)]
    tier_col[:2] = tiers
    scale = {
        "brand owner": rng.uniform(8, 30),
        "PR or legal": target * rng.uniform(0.6, 1.4),
    }
    hours = [round(float(rng.gamma(3, scale[t] / 3)), 1) for t in tier_col]
    log = pd.DataFrame(
        {
            "request": [f"R{100 + i}" for i in range(n)],
            "approver": tier_col,
            "hours_to_sign_off": hours,
        }
    )
    legal = log[log["approver"] == "PR or legal"]["hours_to_sign_off"]
    late = 100 * float((legal > target).mean())
    late_all = 100 * float((log["hours_to_sign_off"] > target).sum() / n)
    median_tier = tiers[int(rng.integers(2))]
    med = float(log.loc[log["approver"] == median_tier, "hours_to_sign_off"].median())
    mean = float(log.loc[log["approver"] == median_tier, "hours_to_sign_off"].mean())
    # Which organisation model fits a situation.
    situations = pt["org_model"]["situations"]
    situation = situations[int(rng.integers(len(situations)))]
    correct_model = MODELS.index(situation["model"])
    model_why = {
        i: pt["org_model"]["why"][m] for i, m in enumerate(MODELS) if i != correct_model
    }
    parts = (
        match_part(
            "approval_tier",
            1,
            pt["approval_tier"]["prompt"],
            [c["text"] for c in chosen],
            list(pt["approval_tier"]["options"]),
            matches,
            wrong=wrong_match,
            rng=rng,
        ),
        value_part(
            "approval_late_pct",
            1,
            pt["approval_late_pct"]["prompt"].format(target=target),
            late,
            unit="percent",
            wrong=_distinct(late, [(late_all, pt["approval_late_pct"]["wrong"])]),
            model=(
                "approval_legal = approvals[approvals['approver'] == 'PR or legal']\n"
                "approval_late_pct = 100 * (approval_legal['hours_to_sign_off'] > "
                f"{target}).mean()"
            ),
        ),
        value_part(
            "approval_median_hours",
            1,
            pt["approval_median_hours"]["prompt"].format(tier=median_tier),
            med,
            rtol=0.01,
            wrong=_distinct(med, [(mean, pt["approval_median_hours"]["wrong"])]),
            model=(
                "approval_median_hours = approvals.loc[approvals['approver'] == "
                f"{median_tier!r}, 'hours_to_sign_off'].median()"
            ),
        ),
        choice_part(
            "org_model",
            1,
            pt["org_model"]["prompt"].format(situation=situation["text"]),
            list(pt["org_model"]["options"]),
            correct_model,
            model_why,
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(target=target)
    return Section(
        "m1_governance",
        "1",
        text["title"],
        prompt,
        frame_code("approvals", log),
        parts,
    )


# --- 5. Social business maturity ---------------------------------------------


def _organisation(rng: np.random.Generator, reached: int) -> dict[str, bool]:
    answers = {}
    for key, (stage, _) in maturity.STATEMENTS.items():
        if stage <= reached:
            answers[key] = True
        else:
            answers[key] = bool(rng.random() < 0.45)
    if reached < 6:
        gap = [k for k, (s, _) in maturity.STATEMENTS.items() if s == reached + 1]
        if all(answers[k] for k in gap):
            answers[gap[int(rng.integers(2))]] = False
    return answers


def maturity_stage(rng: np.random.Generator) -> Section:
    text = _text("maturity_stage")
    pt = text["parts"]
    names = list(text["organisations"])
    while True:
        stages = [int(s) for s in rng.choice(6, 3, replace=False)]
        orgs = [_organisation(rng, s) for s in stages]
        results = [maturity.assess_maturity(a) for a in orgs]
        counts = [sum(a.values()) for a in orgs]
        if len(set(counts)) == 3:
            break
    org_names = _pick(rng, names, 3)
    statements = pd.DataFrame(
        {
            "stage": [s for s, _ in maturity.STATEMENTS.values()],
            "statement": [t for _, t in maturity.STATEMENTS.values()],
            **{
                n: [a[k] for k in maturity.KEYS]
                for n, a in zip(org_names, orgs, strict=True)
            },
        }
    )
    x = int(rng.integers(3))
    stage_x = results[x].stage
    table = statements[["stage", org_names[x]]]
    full = table.groupby("stage")[org_names[x]].all()
    highest_full = int(full[full].index.max()) if full.any() else 0
    most = int(np.argmax([r.stage for r in results]))
    most_true = int(np.argmax(counts))
    why_most = {
        i: pt["maturity_most_advanced"]["why"]["behind"] for i in range(3) if i != most
    }
    if most_true != most:
        why_most[most_true] = pt["maturity_most_advanced"]["why"]["most_true"]
    # What org y still needs for its next stage (the org below stage 6).
    candidates = [i for i in range(3) if results[i].stage < 6]
    y = candidates[int(rng.integers(len(candidates)))]
    need = results[y].missing
    false_other = [
        t
        for k, (s, t) in maturity.STATEMENTS.items()
        if not orgs[y][k] and t not in need
    ]
    decoys = _pick(rng, false_other, min(3, len(false_other)))
    if len(need) + len(decoys) < 3:
        true_ones = [t for k, (s, t) in maturity.STATEMENTS.items() if orgs[y][k]]
        decoys += _pick(rng, true_ones, 3 - len(need) - len(decoys))
    options = need + decoys
    need_why = {}
    for i, t in enumerate(options):
        if i < len(need):
            continue
        key = next(k for k, (_, s) in maturity.STATEMENTS.items() if s == t)
        need_why[i] = pt["maturity_next_needs"]["why"][
            "already" if orgs[y][key] else "later"
        ]
    wrong_stage = [(highest_full, pt["maturity_stage_number"]["wrong"]["skipped"])]
    parts = (
        value_part(
            "maturity_stage_number",
            1,
            pt["maturity_stage_number"]["prompt"].format(org=org_names[x]),
            stage_x,
            rtol=0.0,
            wrong=_distinct(stage_x, wrong_stage),
            model=(
                f"maturity_met = statements.groupby('stage')[{org_names[x]!r}].all()\n"
                "maturity_stage_number = int(maturity_met.astype(int).cumprod().sum())"
            ),
        ),
        choice_part(
            "maturity_most_advanced",
            1,
            pt["maturity_most_advanced"]["prompt"],
            org_names,
            most,
            why_most,
            rng=rng,
        ),
        multi_part(
            "maturity_next_needs",
            1,
            pt["maturity_next_needs"]["prompt"].format(org=org_names[y]),
            options,
            set(range(len(need))),
            need_why,
            rng=rng,
        ),
        value_part(
            "maturity_missing_count",
            1,
            pt["maturity_missing_count"]["prompt"].format(org=org_names[y]),
            len(need),
            rtol=0.0,
            wrong=_distinct(
                len(need),
                [(12 - counts[y], pt["maturity_missing_count"]["wrong"])],
            ),
            model=(
                f"maturity_y = statements[['stage', {org_names[y]!r}]]\n"
                "maturity_y_met = maturity_y.groupby('stage')"
                f"[{org_names[y]!r}].all()\n"
                "maturity_y_stage = int(maturity_y_met.astype(int).cumprod().sum())\n"
                "maturity_missing_count = int((~maturity_y[maturity_y['stage'] == "
                f"maturity_y_stage + 1][{org_names[y]!r}]).sum())"
            ),
        ),
    )
    return Section(
        "m1_maturity_stage",
        "1",
        text["title"],
        text["prompt"],
        frame_code("statements", statements),
        parts,
    )


TEMPLATES = (
    Template("m1_kpi_fit", "1", kpi_fit),
    Template("m1_smart_goal", "1", smart_goal),
    Template("m1_channel_mix", "1", channel_mix),
    Template("m1_governance", "1", governance),
    Template("m1_maturity_stage", "1", maturity_stage),
)
