"""Module 0, the role: certification templates.

Each template reads the learner's own drawn data (the course's `starter_posts`
export, a competency self-assessment, a week's time log, a Douyin back-end
table) and asks for the numbers and the decisions Module 0 teaches: which base
an engagement rate uses and who reports which, the pandas recipes of the
primer, a learning plan from a competency gap, the seven-step workflow loop, and
the units of the Chinese platforms' metrics.
"""

from __future__ import annotations

from functools import cache

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
    order_part,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import clean_posts
from smm_playbook.sim import competency

ENGAGEMENT = ["likes", "comments", "shares", "saves"]


def _text() -> dict:
    return prose_of(__name__)


_distinct = distinct_wrong  # wrong answers within 2% of the key are dropped


# --- 1. Engagement-rate bases, and who reports which -------------------------

BASES = ("reach", "impressions", "followers", "plays")


@cache
def _base_posts() -> pd.DataFrame:
    """The export's columns this template shows, as whole numbers."""
    cols = ["post_id", "platform", "followers", "impressions", "reach", *ENGAGEMENT]
    posts = clean_posts()[cols].reset_index(drop=True)
    return posts.astype({c: int for c in cols[2:]})


def er_bases(rng: np.random.Generator) -> Section:
    text = _text()["er_bases"]
    parts_text = text["parts"]
    posts = _base_posts()
    travelled = np.flatnonzero(posts["reach"] > posts["followers"])
    stayed = np.flatnonzero(posts["reach"] <= posts["followers"])
    # Three posts that stayed within their followers, and one that may not have.
    fourth = int(rng.choice(travelled if rng.random() < 0.5 else stayed))
    others = np.setdiff1d(stayed, [fourth])
    picks = [int(i) for i in rng.choice(others, size=3, replace=False)]
    positions = [*picks, fourth]
    shown = posts.iloc[[positions[i] for i in rng.permutation(4)]]
    shown = shown.reset_index(drop=True)
    eng = shown[ENGAGEMENT].sum(axis=1)
    focus = int(rng.integers(len(shown)))
    post = shown.iloc[focus]
    by_impr = 100 * eng[focus] / post["impressions"]
    freq = post["impressions"] / post["reach"]
    # The base question is about the post whose reach may exceed its followers.
    asked = int(np.flatnonzero(shown["post_id"] == posts["post_id"].iloc[fourth])[0])
    q = shown.iloc[asked]
    rates = {
        "reach": eng[asked] / q["reach"],
        "impressions": eng[asked] / q["impressions"],
        "followers": eng[asked] / q["followers"],
    }
    base_options = list(parts_text["erbase_highest"]["options"])
    highest = ["reach", "impressions", "followers"].index(max(rates, key=rates.get))
    notes = parts_text["erbase_highest"]["why"]
    why = {1: notes["impressions"]}
    why[0 if highest == 2 else 2] = notes["reach" if highest == 2 else "followers"]
    # Who reports which base: four of the course's contexts.
    contexts = parts_text["erbase_who"]["items"]
    chosen = [contexts[i] for i in np.sort(rng.choice(len(contexts), 4, replace=False))]
    chosen = [chosen[i] for i in rng.permutation(4)]
    matches = [BASES.index(c["base"]) for c in chosen]
    wrong_match = []
    if any(m != 0 for m in matches):
        wrong_match.append(([0] * 4, parts_text["erbase_who"]["all_reach"]))
    ids = {"post": post["post_id"], "asked": q["post_id"]}
    w = parts_text["erbase_impressions_pct"]["wrong"]
    parts = (
        value_part(
            "erbase_impressions_pct",
            1,
            parts_text["erbase_impressions_pct"]["prompt"].format(**ids),
            by_impr,
            unit="percent",
            wrong=_distinct(
                by_impr,
                [
                    (100 * eng[focus] / post["reach"], w["reach"]),
                    (100 * eng[focus] / post["followers"], w["followers"]),
                ],
            ),
            model=(
                "erbase_post = posts.set_index('post_id')"
                f".loc[{post['post_id']!r}]\n"
                f"erbase_engagements = erbase_post[{ENGAGEMENT!r}].sum()\n"
                "erbase_impressions_pct = 100 * erbase_engagements / "
                "erbase_post['impressions']"
            ),
        ),
        value_part(
            "erbase_frequency",
            1,
            parts_text["erbase_frequency"]["prompt"].format(**ids),
            freq,
            wrong=_distinct(
                freq,
                [(1 / freq, parts_text["erbase_frequency"]["wrong"]["inverted"])],
            ),
            model=(
                "erbase_frequency = erbase_post['impressions'] / erbase_post['reach']"
            ),
        ),
        choice_part(
            "erbase_highest",
            1,
            parts_text["erbase_highest"]["prompt"].format(**ids),
            base_options,
            highest,
            why,
            rng=rng,
        ),
        match_part(
            "erbase_who",
            1,
            parts_text["erbase_who"]["prompt"],
            [c["text"] for c in chosen],
            list(parts_text["erbase_who"]["options"]),
            matches,
            wrong=wrong_match,
            rng=rng,
        ),
    )
    return Section(
        "m0_er_bases",
        "0",
        text["title"],
        text["prompt"],
        frame_code("posts", shown),
        parts,
    )


# --- 2. The primer's recipes on an export ------------------------------------


def _local_hour(stamps: pd.Series) -> pd.Series:
    return stamps.str[11:13].astype(int)


@cache
def _primer_arrays() -> dict[str, np.ndarray]:
    """The export's columns as arrays, cut once: the builder draws from them."""
    posts = clean_posts()
    stamps = posts["published_at"]
    return {
        "platform": posts["platform"].to_numpy(),
        "format": posts["format"].to_numpy(),
        "reach": posts["reach"].to_numpy(dtype=float),
        "eng": posts[ENGAGEMENT].sum(axis=1).to_numpy(dtype=float),
        "local": _local_hour(stamps).to_numpy(),
        "utc": pd.to_datetime(stamps, utc=True).dt.hour.to_numpy(),
        "order": stamps.to_numpy(),
    }


def _ratio_by(keys: np.ndarray, eng: np.ndarray, reach: np.ndarray):
    names, codes = np.unique(keys, return_inverse=True)
    totals = np.bincount(codes, weights=reach)
    return list(names), np.bincount(codes, weights=eng) / totals


def primer_export(rng: np.random.Generator) -> Section:
    text = _text()["primer_export"]
    pt = text["parts"]
    posts = clean_posts()
    col = _primer_arrays()
    every = sorted(set(col["platform"]))
    while True:
        platforms = sorted(str(p) for p in rng.choice(every, 3, replace=False))
        picked = []
        for platform in platforms:
            mine = np.flatnonzero(col["platform"] == platform)
            size = min(len(mine), int(rng.integers(3, 5)))
            picked += [int(i) for i in np.sort(rng.choice(mine, size, replace=False))]
        picked = np.array(picked)[np.argsort(col["order"][picked], kind="stable")]
        blank_platform = platforms[int(rng.integers(3))]
        blank = int(
            rng.choice(np.flatnonzero(col["platform"][picked] == blank_platform))
        )
        known = np.ones(len(picked), bool)
        known[blank] = False
        eng, reach = col["eng"][picked], col["reach"][picked]
        names, rate = _ratio_by(
            col["platform"][picked][known], eng[known], reach[known]
        )
        formats, fmt_rate = _ratio_by(
            col["format"][picked][known], eng[known], reach[known]
        )
        evening = int((col["local"][picked] >= 18).sum())
        wrong_utc = int((col["utc"][picked] >= 18).sum())
        gaps_ok = np.diff(np.sort(100 * rate)).min() > 0.05
        fmt_ok = len(fmt_rate) >= 2 and np.ptp(np.sort(fmt_rate)[-2:]) > 1e-4
        if gaps_ok and fmt_ok and evening != wrong_utc:
            break
    cols = ["post_id", "platform", "published_at", "format", "reach", *ENGAGEMENT]
    shown = posts.iloc[picked][cols].reset_index(drop=True).astype({"reach": float})
    shown.loc[blank, "reach"] = np.nan
    focus = str(blank_platform)
    mask = col["platform"][picked] == focus
    rate_of = dict(zip(names, 100 * rate, strict=True))
    naive = 100 * eng[mask].sum() / reach[mask & known].sum()
    averaged = float(np.mean(100 * eng[mask & known] / reach[mask & known]))
    ranking = [platforms.index(str(names[i])) for i in np.argsort(-rate, kind="stable")]
    totals = [eng[col["platform"][picked] == p].sum() for p in platforms]
    by_total = [int(i) for i in np.argsort(totals)[::-1]]
    wrong_order = []
    if by_total != ranking:
        wrong_order.append((by_total, pt["primer_platform_rank"]["wrong"]))
    formats = [str(f) for f in formats]
    best_fmt = int(np.argmax(fmt_rate))
    fmt_eng = np.array(
        [eng[known][col["format"][picked][known] == f].sum() for f in formats]
    )
    why = {}
    if int(np.argmax(fmt_eng)) != best_fmt:
        why[int(np.argmax(fmt_eng))] = pt["primer_top_format"]["why"]
    w = pt["primer_platform_er_pct"]["wrong"]
    parts = (
        value_part(
            "primer_platform_er_pct",
            1,
            pt["primer_platform_er_pct"]["prompt"].format(platform=focus),
            rate_of[focus],
            unit="percent",
            wrong=_distinct(
                rate_of[focus], [(naive, w["blank"]), (averaged, w["averaged"])]
            ),
            model=(
                "primer = posts.assign("
                f"engagements=posts[{ENGAGEMENT!r}].sum(axis=1))\n"
                "primer_known = primer.dropna(subset=['reach'])\n"
                "primer_totals = primer_known.groupby('platform')"
                "[['engagements', 'reach']].sum()\n"
                "primer_rates = 100 * primer_totals['engagements'] / "
                "primer_totals['reach']\n"
                f"primer_platform_er_pct = primer_rates[{str(focus)!r}]"
            ),
        ),
        order_part(
            "primer_platform_rank",
            1,
            pt["primer_platform_rank"]["prompt"],
            platforms,
            ranking,
            wrong=wrong_order,
            rng=rng,
        ),
        value_part(
            "primer_evening_posts",
            1,
            pt["primer_evening_posts"]["prompt"],
            evening,
            rtol=0.0,
            wrong=[(wrong_utc, pt["primer_evening_posts"]["wrong"]["utc"])],
            model=(
                "primer_hour = posts['published_at'].str[11:13].astype(int)\n"
                "primer_evening_posts = int((primer_hour >= 18).sum())"
            ),
        ),
        choice_part(
            "primer_top_format",
            1,
            pt["primer_top_format"]["prompt"],
            formats,
            best_fmt,
            why,
            rng=rng,
        ),
    )
    return Section(
        "m0_primer_export",
        "0",
        text["title"],
        text["prompt"],
        frame_code("posts", shown),
        parts,
    )


# --- 3. A competency self-assessment and its learning plan -------------------


def competency_plan(rng: np.random.Generator) -> Section:
    text = _text()["competency_plan"]
    pt = text["parts"]
    roles = sorted(competency.ROLE_PROFILES)
    trains = np.array(
        [
            [m in c.modules for c in competency.COMPETENCIES]
            for m in competency.MODULE_TITLES
        ]
    )
    while True:
        role = roles[int(rng.integers(len(roles)))]
        targets = competency.role_targets(role)
        ratings = {
            k: int(np.clip(targets[k] - rng.choice([-1, 0, 0, 1, 1, 2, 3]), 1, 5))
            for k in competency.KEYS
        }
        gap = np.array([max(targets[k] - ratings[k], 0) for k in competency.KEYS])
        priority = np.sort(trains @ gap)
        if 0 < (gap >= 2).sum() < 9 and priority[-1] > priority[-2]:
            break
    rating = np.array([ratings[k] for k in competency.KEYS])
    target = np.array([targets[k] for k in competency.KEYS])
    big = set(int(i) for i in np.flatnonzero(gap >= 2))
    shown = pd.DataFrame(
        {
            "competency": [c.name for c in competency.COMPETENCIES],
            "group": [c.group for c in competency.COMPETENCIES],
            "trained_in_modules": [
                ", ".join(map(str, c.modules)) for c in competency.COMPETENCIES
            ],
            "rating": rating,
            "target": target,
        }
    )
    total_gap = int(gap.sum())
    raw_gap = int((target - rating).sum())
    readiness = 100 * float((np.minimum(rating, target) / target).mean())
    uncapped = 100 * float((rating / target).mean())
    # The learning plan's first module: the highest priority, ties to the earlier.
    priorities = trains @ gap
    first_module = list(competency.MODULE_TITLES)[int(np.argmax(priorities))]
    table = shown.assign(gap=gap)
    names = list(table["competency"])
    modules = list(competency.MODULE_TITLES)
    module_options = [f"Module {m}, {t}" for m, t in competency.MODULE_TITLES.items()]
    top = modules.index(first_module)
    largest = competency.COMPETENCIES[int(gap.argmax())]
    why = {}
    for m in largest.modules:
        if modules.index(m) != top:
            why[modules.index(m)] = pt["competency_first_module"]["why"]
    w = pt["competency_total_gap"]["wrong"]
    parts = (
        value_part(
            "competency_total_gap",
            1,
            pt["competency_total_gap"]["prompt"],
            total_gap,
            rtol=0.0,
            wrong=_distinct(total_gap, [(raw_gap, w["unclipped"])]),
            model=(
                "competency_gaps = (assessment['target'] - assessment['rating'])"
                ".clip(lower=0)\n"
                "competency_total_gap = int(competency_gaps.sum())"
            ),
        ),
        value_part(
            "competency_readiness_pct",
            1,
            pt["competency_readiness_pct"]["prompt"],
            readiness,
            unit="percent",
            wrong=_distinct(
                readiness, [(uncapped, pt["competency_readiness_pct"]["wrong"])]
            ),
            model=(
                "competency_met = assessment[['rating', 'target']].min(axis=1)\n"
                "competency_readiness_pct = 100 * (competency_met / "
                "assessment['target']).mean()"
            ),
        ),
        multi_part(
            "competency_big_gaps",
            1,
            pt["competency_big_gaps"]["prompt"],
            names,
            big,
            {
                i: pt["competency_big_gaps"]["why"]
                for i in range(9)
                if i not in big and table["gap"].iloc[i] == 1
            },
            rng=rng,
        ),
        choice_part(
            "competency_first_module",
            1,
            pt["competency_first_module"]["prompt"],
            module_options,
            top,
            why,
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(role=role)
    return Section(
        "m0_competency_plan",
        "0",
        text["title"],
        prompt,
        frame_code("assessment", shown),
        parts,
    )


# --- 4. The seven-step workflow in one week's time log -----------------------


def workflow_week(rng: np.random.Generator) -> Section:
    text = _text()["workflow_week"]
    pt = text["parts"]
    steps = text["steps"]  # seven: name, module, tasks
    missing = int(rng.integers(7))
    rows = []
    for number, step in enumerate(steps, start=1):
        if number - 1 == missing:
            continue
        tasks = step["tasks"]
        for i in np.sort(
            rng.choice(len(tasks), int(rng.integers(1, 3)), replace=False)
        ):
            rows.append((tasks[i], number, float(rng.integers(2, 17)) / 2))
    log = pd.DataFrame(rows, columns=["task", "step", "hours"])
    log = log.iloc[rng.permutation(len(log))].reset_index(drop=True)
    present = sorted(log["step"].unique())
    counts = log["step"].value_counts()
    asked = int(rng.choice(present))
    share = 100 * log.loc[log["step"] == asked, "hours"].sum() / log["hours"].sum()
    by_count = 100 * counts[asked] / len(log)
    names = [s["name"] for s in steps]
    order_ids = [int(i) for i in np.sort(rng.choice(7, 4, replace=False))]
    teachable = [i for i, s in enumerate(steps) if s.get("module")]
    items = [int(i) for i in rng.choice(teachable, 4, replace=False)]
    module_options = sorted({steps[i]["module"] for i in teachable})
    matches = [module_options.index(steps[i]["module"]) for i in items]
    parts = (
        value_part(
            "workflow_step_share_pct",
            1,
            pt["workflow_step_share_pct"]["prompt"].format(
                step=asked, name=names[asked - 1]
            ),
            share,
            unit="percent",
            wrong=_distinct(
                share, [(by_count, pt["workflow_step_share_pct"]["wrong"])]
            ),
            model=(
                f"workflow_mine = time_log[time_log['step'] == {asked}]"
                "['hours'].sum()\n"
                "workflow_step_share_pct = 100 * workflow_mine / "
                "time_log['hours'].sum()"
            ),
        ),
        choice_part(
            "workflow_missing_step",
            1,
            pt["workflow_missing_step"]["prompt"],
            names,
            missing,
            {i: pt["workflow_missing_step"]["why"] for i in range(7) if i != missing},
            rng=rng,
        ),
        order_part(
            "workflow_order",
            1,
            pt["workflow_order"]["prompt"],
            [names[i] for i in order_ids],
            [0, 1, 2, 3],
            wrong=[([3, 2, 1, 0], pt["workflow_order"]["wrong"])],
            rng=rng,
        ),
        match_part(
            "workflow_module",
            1,
            pt["workflow_module"]["prompt"],
            [names[i] for i in items],
            module_options,
            matches,
            rng=rng,
        ),
    )
    return Section(
        "m0_workflow_week",
        "0",
        text["title"],
        text["prompt"],
        frame_code("time_log", log),
        parts,
    )


# --- 5. Chinese platforms: the unit behind each metric -----------------------

CHINA_PLATFORMS = ("WeChat", "Weibo", "Douyin", "Xiaohongshu", "Bilibili")


def douyin_backend(rng: np.random.Generator) -> Section:
    text = _text()["douyin_backend"]
    pt = text["parts"]
    followers = int(rng.integers(20, 120)) * 1000
    n = 4
    while True:
        plays = (rng.lognormal(np.log(followers * 0.8), 0.6, n) // 10 * 10).astype(int)
        completion = rng.uniform(0.12, 0.55, n)
        done = (plays * completion).astype(int)
        likes = rng.binomial(plays, rng.uniform(0.02, 0.08, n))
        comments = rng.binomial(plays, rng.uniform(0.002, 0.01, n))
        shares = rng.binomial(plays, rng.uniform(0.002, 0.015, n))
        rates = done / plays
        order = np.sort(rates)
        if order[-1] - order[-2] > 0.01 and plays.argmax() != rates.argmax():
            break
    ids = [f"DY-{int(x)}" for x in rng.choice(np.arange(100, 1000), n, replace=False)]
    videos = pd.DataFrame(
        {
            "video": ids,
            "plays": plays,
            "completed_plays": done,
            "likes": likes,
            "comments": comments,
            "shares": shares,
            "account_followers": followers,
        }
    )
    focus = int(rng.integers(n))
    vid = ids[focus]
    comp = 100 * done[focus] / plays[focus]
    share_rate = 100 * shares[focus] / plays[focus]
    best = int(rates.argmax())
    items = pt["china_metric"]["items"]
    chosen = [items[i] for i in rng.choice(len(items), 4, replace=False)]
    matches = [CHINA_PLATFORMS.index(c["platform"]) for c in chosen]
    wc = pt["douyin_completion_pct"]["wrong"]
    ws = pt["douyin_share_rate_pct"]["wrong"]
    parts = (
        value_part(
            "douyin_completion_pct",
            1,
            pt["douyin_completion_pct"]["prompt"].format(video=vid),
            comp,
            unit="percent",
            wrong=_distinct(comp, [(100 * done[focus] / followers, wc["followers"])]),
            model=(
                f"douyin_video = videos[videos['video'] == {vid!r}].iloc[0]\n"
                "douyin_completion_pct = 100 * douyin_video['completed_plays'] / "
                "douyin_video['plays']"
            ),
        ),
        value_part(
            "douyin_share_rate_pct",
            1,
            pt["douyin_share_rate_pct"]["prompt"].format(video=vid),
            share_rate,
            unit="percent",
            wrong=_distinct(
                share_rate,
                [
                    (100 * shares[focus] / followers, ws["followers"]),
                    (100 * shares[focus] / done[focus], ws["completed"]),
                ],
            ),
            model=(
                "douyin_share_rate_pct = 100 * douyin_video['shares'] / "
                "douyin_video['plays']"
            ),
        ),
        choice_part(
            "douyin_best_completion",
            1,
            pt["douyin_best_completion"]["prompt"],
            ids,
            best,
            {int(plays.argmax()): pt["douyin_best_completion"]["why"]},
            rng=rng,
        ),
        match_part(
            "china_metric_platform",
            1,
            pt["china_metric"]["prompt"],
            [c["text"] for c in chosen],
            list(CHINA_PLATFORMS),
            matches,
            rng=rng,
        ),
    )
    return Section(
        "m0_douyin_backend",
        "0",
        text["title"],
        text["prompt"],
        frame_code("videos", videos),
        parts,
    )


TEMPLATES = (
    Template("m0_er_bases", "0", er_bases),
    Template("m0_primer_export", "0", primer_export),
    Template("m0_competency_plan", "0", competency_plan),
    Template("m0_workflow_week", "0", workflow_week),
    Template("m0_douyin_backend", "0", douyin_backend),
)
