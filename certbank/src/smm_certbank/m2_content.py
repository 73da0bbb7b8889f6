"""Module 2, content: certification templates.

The decisions of Module 2 on the learner's own drawn data: plan an A/B test
(sample size per arm, days, power, and whether to run it), read a finished test
and decide, find the conflicts in a draft calendar, choose a cadence from the
content calendar lab's curve, and read a post export by pillar after cleaning
it.
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
    distinct_wrong,
    frame_code,
    match_part,
    multi_part,
    order_part,
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset
from smm_playbook.sim import ab_test
from smm_playbook.sim.content_calendar import cadence_curve

ENGAGEMENT = ["likes", "comments", "shares", "saves"]


def _text(key: str) -> dict:
    return prose_of(__name__)[key]


_distinct = distinct_wrong  # wrong answers within 2% of the key are dropped


# --- 1. Planning an A/B test -------------------------------------------------


def ab_plan(rng: np.random.Generator) -> Section:
    text = _text("ab_plan")
    pt = text["parts"]
    while True:
        baseline = round(float(rng.uniform(0.02, 0.07)), 3)
        mde = float(rng.choice([0.003, 0.004, 0.005, 0.006, 0.008, 0.01]))
        daily = int(rng.integers(8, 60)) * 100  # people reached a day, both arms
        n = ab_test.sample_size_per_group(baseline, mde)
        days = math.ceil(n / (daily / 2))
        if 3 <= days <= 60:
            break
    available = max(2, int(round(days * rng.choice([0.5, 0.7, 1.2, 1.5]))))
    if available == days:
        available += 1
    fits = days <= available
    n_avail = available * daily // 2
    power = 100 * ab_test.power(baseline, mde, n_avail)
    n90 = ab_test.sample_size_per_group(baseline, mde, power=0.9)
    decision = 0 if fits else 1
    reasons = pt["abplan_decision"]["why"]
    why = {2: reasons["peek"], 3: reasons["same"]}
    why[1 - decision] = reasons["fits"] if decision == 0 else reasons["short"]
    setup = "from smm_playbook.sim.ab_test import power, sample_size_per_group\n"
    parts = (
        value_part(
            "abplan_n_per_arm",
            1,
            pt["abplan_n_per_arm"]["prompt"],
            n,
            rtol=0.01,
            wrong=_distinct(
                n,
                [
                    (2 * n, pt["abplan_n_per_arm"]["wrong"]["total"]),
                    (n90, pt["abplan_n_per_arm"]["wrong"]["power90"]),
                ],
            ),
            model=setup + "abplan_n_per_arm = sample_size_per_group(baseline, mde)",
        ),
        value_part(
            "abplan_days_needed",
            1,
            pt["abplan_days_needed"]["prompt"],
            days,
            rtol=0.0,
            wrong=_distinct(
                days,
                [(math.ceil(n / daily), pt["abplan_days_needed"]["wrong"])],
                rtol=0.0,
            ),
            model=(
                "import math\n"
                "abplan_days_needed = math.ceil(abplan_n_per_arm / (daily_reach / 2))"
            ),
        ),
        choice_part(
            "abplan_decision",
            1,
            pt["abplan_decision"]["prompt"],
            list(pt["abplan_decision"]["options"]),
            decision,
            why,
            rng=rng,
        ),
        value_part(
            "abplan_power_pct",
            1,
            pt["abplan_power_pct"]["prompt"],
            power,
            unit="percent",
            rtol=0.01,
            wrong=_distinct(
                power,
                [
                    (
                        100 * ab_test.power(baseline, mde, available * daily),
                        pt["abplan_power_pct"]["wrong"],
                    )
                ],
            ),
            model=(
                "abplan_power_pct = 100 * power(baseline, mde, "
                "days_available * daily_reach // 2)"
            ),
        ),
    )
    data_code = (
        f"baseline = {baseline}  # engagement rate by reach of the current video\n"
        f"mde = {mde}  # smallest difference worth acting on (absolute)\n"
        f"daily_reach = {daily}  # people reached a day, split evenly between A and B\n"
        f"days_available = {available}  # days before the campaign needs an answer"
    )
    return Section("m2_ab_plan", "2", text["title"], text["prompt"], data_code, parts)


# --- 2. Reading a finished A/B test ------------------------------------------


def ab_read(rng: np.random.Generator) -> Section:
    text = _text("ab_read")
    pt = text["parts"]
    baseline = float(rng.uniform(0.02, 0.06))
    mde = float(rng.choice([0.004, 0.005, 0.006, 0.008]))
    planned = ab_test.sample_size_per_group(round(baseline, 3), mde)
    stopped = bool(rng.random() < 0.25)
    effect = float(rng.choice([-1.0, 0.0, 1.0, 1.5])) * mde
    size = int(planned * rng.uniform(0.3, 0.6)) if stopped else planned
    size_b = size + int(rng.integers(-30, 31))
    engaged_a = int(rng.binomial(size, baseline))
    engaged_b = int(rng.binomial(size_b, max(0.001, baseline + effect)))
    test = ab_test.two_proportion_test(engaged_a, size, engaged_b, size_b)
    diff = 100 * (test.rate_b - test.rate_a)
    relative = 100 * (test.rate_b / test.rate_a - 1)
    if stopped:
        decision = 3
    elif test.significant:
        decision = 0 if diff > 0 else 1
    else:
        decision = 2
    reasons = pt["abread_decision"]["why"]
    why = {i: reasons[k] for i, k in enumerate(("ship", "keep", "none", "early"))}
    why.pop(decision)
    # What the team may say.
    claims = pt["abread_claims"]["options"]
    higher = claims["b_higher"] if diff > 0 else claims["a_higher"]
    options = [
        higher,
        claims["significant"],
        claims["planned"],
        claims["same"],
        claims["always"],
    ]
    true = {0}
    if test.significant:
        true.add(1)
    if not stopped:
        true.add(2)
    notes = pt["abread_claims"]["why"]
    claim_why = {3: notes["same"], 4: notes["always"]}
    if 1 not in true:
        claim_why[1] = notes["significant"]
    if 2 not in true:
        claim_why[2] = notes["planned"]
    setup = "from smm_playbook.sim.ab_test import two_proportion_test\n"
    parts = (
        value_part(
            "abread_diff_points",
            1,
            pt["abread_diff_points"]["prompt"],
            diff,
            rtol=0.01,
            wrong=_distinct(diff, [(relative, pt["abread_diff_points"]["wrong"])]),
            model=(
                "abread_rates = test['engaged'] / test['reached']\n"
                "abread_diff_points = 100 * (abread_rates.iloc[1] - "
                "abread_rates.iloc[0])"
            ),
        ),
        value_part(
            "abread_p_value",
            1,
            pt["abread_p_value"]["prompt"],
            test.p_value,
            rtol=0.02,
            wrong=_distinct(
                test.p_value, [(test.p_value / 2, pt["abread_p_value"]["wrong"])]
            ),
            model=setup
            + (
                "abread_result = two_proportion_test(int(test['engaged'].iloc[0]), "
                "int(test['reached'].iloc[0]), int(test['engaged'].iloc[1]), "
                "int(test['reached'].iloc[1]))\n"
                "abread_p_value = abread_result.p_value"
            ),
        ),
        choice_part(
            "abread_decision",
            1,
            pt["abread_decision"]["prompt"],
            list(pt["abread_decision"]["options"]),
            decision,
            why,
            rng=rng,
        ),
        multi_part(
            "abread_claims",
            1,
            pt["abread_claims"]["prompt"],
            options,
            true,
            claim_why,
            rng=rng,
        ),
    )
    frame = pd.DataFrame(
        {
            "variant": ["A", "B"],
            "reached": [size, size_b],
            "engaged": [engaged_a, engaged_b],
        }
    )
    idea = text["ideas"][int(rng.integers(len(text["ideas"])))]
    prompt = text["prompt"].format(
        idea=idea, planned=f"{planned:,}", mde=f"{100 * mde:.1f}"
    )
    return Section(
        "m2_ab_read", "2", text["title"], prompt, frame_code("test", frame), parts
    )


# --- 3. A draft calendar against its brief -----------------------------------

START = pd.Timestamp("2026-03-02")  # a Monday
CONSUMER_DAY = pd.Timestamp("2026-03-15")  # 3.15 consumer-rights day
CONSUMER = (CONSUMER_DAY - START).days  # its day number in the draft
RULES = {
    "Douyin": (3, {"video"}),
    "Xiaohongshu": (2, {"note", "video"}),
    "WeChat": (1, {"article"}),
}
BREACHES = ("clash", "count", "format", "howto", "promo", "consumer")
CONTENT_PILLARS = ("Product", "How-to", "Behind the scenes", "Community")


def broken_rules(rows: list[list]) -> set[str]:
    """The brief's rules a draft breaks (names from BREACHES); rows are
    [day number from START, platform, format, pillar]."""
    broken = set()
    pairs = [(r[0], r[1]) for r in rows]
    if len(set(pairs)) < len(pairs):
        broken.add("clash")
    for platform, (per_week, formats) in RULES.items():
        mine = [r for r in rows if r[1] == platform]
        if any(sum(r[0] // 7 == w for r in mine) != per_week for w in (0, 1)):
            broken.add("count")
        if any(r[2] not in formats for r in mine):
            broken.add("format")
    for w in (0, 1):
        pillars = [r[3] for r in rows if r[0] // 7 == w]
        if "How-to" not in pillars:
            broken.add("howto")
        if pillars.count("Promotion") > 1:
            broken.add("promo")
    if any(r[0] == CONSUMER and r[3] == "Promotion" for r in rows):
        broken.add("consumer")
    return broken


def _valid_calendar(rng: np.random.Generator) -> list[list]:
    """Rows [day number, platform, format, pillar] that keep every rule."""
    rows = []
    for week in (0, 1):
        for platform, (per_week, formats) in RULES.items():
            for day in np.sort(rng.choice(7, per_week, replace=False)):
                fmt = sorted(formats)[int(rng.integers(len(formats)))]
                pillar = CONTENT_PILLARS[int(rng.integers(4))]
                rows.append([7 * week + int(day), platform, fmt, pillar])
    for week in (0, 1):
        idx = [i for i, r in enumerate(rows) if r[0] // 7 == week]
        howto = int(rng.choice(idx))
        rows[howto][3] = "How-to"
        others = [i for i in idx if i != howto and rows[i][0] != CONSUMER]
        rows[int(rng.choice(others))][3] = "Promotion"
    return rows


def _inject(rng: np.random.Generator, rows: list[list], breach: str) -> None:
    """Break one rule of the brief in place (a few breaches may find no room)."""
    w = int(rng.integers(2))
    week = [i for i, r in enumerate(rows) if r[0] // 7 == w]
    if breach == "clash":
        douyin = [i for i in week if rows[i][1] == "Douyin"]
        a, b = (int(i) for i in rng.choice(douyin, 2, replace=False))
        rows[a][0] = rows[b][0]
    elif breach == "format":
        wechat = [i for i in week if rows[i][1] == "WeChat"]
        rows[wechat[0]][2] = "video"
    elif breach == "howto":
        for i in week:
            if rows[i][3] == "How-to":
                rows[i][3] = "Behind the scenes"
    elif breach == "promo":
        spare = [
            i
            for i in week
            if rows[i][3] not in ("How-to", "Promotion") and rows[i][0] != CONSUMER
        ]
        if spare:
            rows[int(rng.choice(spare))][3] = "Promotion"
    elif breach == "consumer":
        on_day = [
            i for i, r in enumerate(rows) if r[0] == CONSUMER and r[3] != "How-to"
        ]
        if on_day:
            for r in rows:
                if r[0] // 7 == 1 and r[3] == "Promotion":
                    r[3] = "Product"
            rows[on_day[0]][3] = "Promotion"


MOMENTS = (
    "spring",
    "women",
    "consumer",
    "520",
    "618",
    "qixi",
    "national",
    "d11",
    "d12",
)


def calendar_conflicts(rng: np.random.Generator) -> Section:
    text = _text("calendar_conflicts")
    pt = text["parts"]
    while True:
        rows = _valid_calendar(rng)
        extra = [
            BREACHES[i]
            for i in rng.choice([2, 3, 4, 5], int(rng.integers(1, 3)), replace=False)
        ]
        for breach in ["clash", *extra]:
            _inject(rng, rows, breach)
        rows.sort(key=lambda r: (r[0], r[1]))
        frame = pd.DataFrame(rows, columns=["day", "platform", "format", "pillar"])
        frame.insert(0, "date", START + pd.to_timedelta(frame.pop("day"), unit="D"))
        broken = broken_rules(rows)
        pairs = [(r[0], r[1]) for r in rows]
        clash_days = sorted({p[0] for p in pairs if pairs.count(p) > 1})
        if "clash" in broken and len(clash_days) == 1 and len(broken) < 6:
            break
    clash_dates = [START + pd.Timedelta(days=clash_days[0])]
    calendar = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))
    rule_options = [pt["calendar_broken_rules"]["options"][b] for b in BREACHES]
    correct = {BREACHES.index(b) for b in broken}
    why = {i: pt["calendar_broken_rules"]["why"] for i in range(6) if i not in correct}
    # The clash date among the dates that have a Douyin post.
    clash = pd.Timestamp(clash_dates[0])
    douyin_dates = sorted(frame.loc[frame["platform"] == "Douyin", "date"].unique())
    others = [d for d in douyin_dates if d != clash]
    shown = sorted(
        [clash, *[pd.Timestamp(d) for d in rng.choice(others, 3, replace=False)]]
    )
    date_options = [d.strftime("%a %d %B %Y").replace(" 0", " ") for d in shown]
    clash_index = shown.index(clash)
    howto = 100 * float((calendar["pillar"] == "How-to").mean())
    per_week_wrong = 100 * float(
        (calendar["pillar"] == "How-to").sum() / 2 / len(calendar)
    )
    # Four of the named moments, to put in calendar order.
    moments = sorted(int(i) for i in rng.choice(len(MOMENTS), 4, replace=False))
    moment_text = [pt["calendar_moment_order"]["moments"][MOMENTS[i]] for i in moments]
    parts = (
        multi_part(
            "calendar_broken_rules",
            1,
            pt["calendar_broken_rules"]["prompt"],
            rule_options,
            correct,
            why,
            rng=rng,
        ),
        choice_part(
            "calendar_clash_date",
            1,
            pt["calendar_clash_date"]["prompt"],
            date_options,
            clash_index,
            {i: pt["calendar_clash_date"]["why"] for i in range(4) if i != clash_index},
            rng=rng,
        ),
        value_part(
            "calendar_howto_share_pct",
            1,
            pt["calendar_howto_share_pct"]["prompt"],
            howto,
            unit="percent",
            wrong=_distinct(
                howto, [(per_week_wrong, pt["calendar_howto_share_pct"]["wrong"])]
            ),
            model=(
                "calendar_howto_share_pct = 100 * (calendar['pillar'] == 'How-to')"
                ".mean()"
            ),
        ),
        order_part(
            "calendar_moment_order",
            1,
            pt["calendar_moment_order"]["prompt"],
            moment_text,
            [0, 1, 2, 3],
            rng=rng,
        ),
    )
    return Section(
        "m2_calendar_conflicts",
        "2",
        text["title"],
        text["prompt"],
        frame_code("calendar", calendar),
        parts,
    )


# --- 4. Choosing a cadence from the lab's curve ------------------------------

CADENCE_PLATFORMS = (
    "Facebook",
    "Instagram",
    "LinkedIn",
    "TikTok",
    "Douyin",
    "Xiaohongshu",
    "Bilibili",
)


def cadence_choice(rng: np.random.Generator) -> Section:
    from smm_playbook.sim.content_calendar import PLATFORMS

    text = _text("cadence_choice")
    pt = text["parts"]
    platform = CADENCE_PLATFORMS[int(rng.integers(len(CADENCE_PLATFORMS)))]
    spec = PLATFORMS[platform]
    c = spec.comfortable
    hour = int(rng.choice([9, 12, 18, 20]))
    scale = float(rng.uniform(0.5, 2.0))
    share = float(rng.choice([0.3, 0.4, 0.5, 0.6]))
    top = min(spec.max_per_week, 3 * c + 2)
    curve = cadence_curve(platform, cadences=range(1, top + 1), hour=hour)
    per_post = (curve["reach_per_post"] * scale).round().astype(int)
    table = pd.DataFrame(
        {
            "posts_per_week": curve["posts_per_week"],
            "reach_per_post": per_post,
            "weekly_reach": per_post * curve["posts_per_week"],
        }
    )
    weekly = table["weekly_reach"].to_numpy()
    gains = np.diff(weekly, prepend=0)
    comfortable_reach = int(table["reach_per_post"].iloc[0])
    threshold = int(round(share * comfortable_reach, -1))
    worth = int(table["posts_per_week"][gains >= threshold].max())
    per_post_ok = int(
        table["posts_per_week"][table["reach_per_post"] >= threshold].max()
    )
    k = int(rng.integers(c, min(2 * c, top - 1) + 1))
    extra = int(weekly[k] - weekly[k - 1])  # from k to k + 1 posts
    double = min(2 * c, top)
    drop = 100 * (1 - table["reach_per_post"].iloc[double - 1] / comfortable_reach)
    weekly_rise = 100 * (weekly[double - 1] / weekly[c - 1] - 1)
    options = sorted({c - 1 if c > 1 else c + 2, c, c + 1, 2 * c})
    comfy_why = {
        i: pt["cadence_comfortable"]["why"]["low" if o < c else "high"]
        for i, o in enumerate(options)
        if o != c
    }
    parts = (
        choice_part(
            "cadence_comfortable",
            1,
            pt["cadence_comfortable"]["prompt"],
            [f"{o} posts a week" for o in options],
            options.index(c),
            comfy_why,
            rng=rng,
        ),
        value_part(
            "cadence_per_post_drop_pct",
            1,
            pt["cadence_per_post_drop_pct"]["prompt"].format(double=double, c=c),
            drop,
            unit="percent",
            rtol=0.01,
            wrong=_distinct(
                drop, [(weekly_rise, pt["cadence_per_post_drop_pct"]["wrong"])]
            ),
            model=(
                "cadence_by = curve.set_index('posts_per_week')\n"
                f"cadence_per_post_drop_pct = 100 * (1 - cadence_by.loc[{double}, "
                f"'reach_per_post'] / cadence_by.loc[{c}, 'reach_per_post'])"
            ),
        ),
        value_part(
            "cadence_extra_reach",
            1,
            pt["cadence_extra_reach"]["prompt"].format(k=k, k1=k + 1),
            extra,
            rtol=0.005,
            wrong=_distinct(
                extra,
                [
                    (
                        int(table["reach_per_post"].iloc[k]),
                        pt["cadence_extra_reach"]["wrong"],
                    )
                ],
            ),
            model=(
                f"cadence_extra_reach = cadence_by.loc[{k + 1}, 'weekly_reach'] - "
                f"cadence_by.loc[{k}, 'weekly_reach']"
            ),
        ),
        value_part(
            "cadence_worth_running",
            1,
            pt["cadence_worth_running"]["prompt"].format(threshold=f"{threshold:,}"),
            worth,
            rtol=0.0,
            wrong=_distinct(
                worth, [(per_post_ok, pt["cadence_worth_running"]["wrong"])], rtol=0.0
            ),
            model=(
                "cadence_gain = curve['weekly_reach'].diff()"
                ".fillna(curve['weekly_reach'])\n"
                "cadence_worth_running = int(curve.loc[cadence_gain >= "
                f"{threshold}, 'posts_per_week'].max())"
            ),
        ),
    )
    prompt = text["prompt"].format(platform=platform, hour=f"{hour:02d}:00")
    return Section(
        "m2_cadence_choice",
        "2",
        text["title"],
        prompt,
        frame_code("curve", table),
        parts,
    )


# --- 5. A post export by pillar ----------------------------------------------

PILLAR_KPI = {
    "Product": 0,
    "How-to": 1,
    "Behind the scenes": 2,
    "Community": 3,
    "Promotion": 4,
}


PILLAR_PLATFORMS = (
    "Douyin",
    "Instagram",
    "Xiaohongshu",
    "Weibo",
    "Facebook",
    "Bilibili",
    "LinkedIn",
    "TikTok",
)


@cache
def _platform_posts(platform: str) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One platform's distinct posts with a known reach, their engagements and
    their pillar codes (indexes into the sorted pillar names)."""
    posts = dataset("posts").drop_duplicates()
    mine = posts[(posts["platform"] == platform) & posts["reach"].notna()]
    cols = ["post_id", "format", "pillar", "reach", *ENGAGEMENT]
    mine = mine[cols].reset_index(drop=True).astype({"reach": float})
    codes = np.searchsorted(PILLAR_NAMES, mine["pillar"].to_numpy())
    return mine, mine[ENGAGEMENT].sum(axis=1).to_numpy(), codes


PILLAR_NAMES = np.array(
    sorted(("Product", "How-to", "Behind the scenes", "Community", "Promotion"))
)


def _pillar_rates(eng, reach, codes) -> np.ndarray:
    """Engagement rate by reach per pillar code (NaN for a pillar with no posts)."""
    size = len(PILLAR_NAMES)
    totals = np.bincount(codes, weights=reach, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(codes, weights=eng, minlength=size) / totals


def pillar_export(rng: np.random.Generator) -> Section:
    text = _text("pillar_export")
    pt = text["parts"]
    while True:
        platform = PILLAR_PLATFORMS[int(rng.integers(len(PILLAR_PLATFORMS)))]
        mine, eng_all, codes_all = _platform_posts(platform)
        rows = np.sort(rng.choice(len(mine), 18, replace=False))
        blanks = rng.choice(18, int(rng.integers(1, 3)), replace=False)
        dupes = rng.choice(18, int(rng.integers(1, 4)), replace=False)
        known = np.setdiff1d(np.arange(18), blanks)
        eng, codes = eng_all[rows], codes_all[rows]
        reach = mine["reach"].to_numpy()[rows]
        rates = _pillar_rates(eng[known], reach[known], codes[known])
        present = np.flatnonzero(np.isfinite(rates))
        ordered = np.sort(rates[present])
        if len(present) >= 3 and ordered[-1] - ordered[-2] > 0.002:
            break
    export = mine.iloc[rows].reset_index(drop=True)
    export.loc[blanks, "reach"] = np.nan
    order = np.concatenate([np.arange(18), dupes])[rng.permutation(18 + len(dupes))]
    export = export.iloc[order].reset_index(drop=True)
    n_dupes = len(dupes)
    pillars = [str(PILLAR_NAMES[i]) for i in present]
    focus_code = int(rng.choice(present))
    focus = str(PILLAR_NAMES[focus_code])
    rate = 100 * rates[focus_code]
    # Keeping the duplicate rows (the blanks still left out).
    kept = np.concatenate([known, np.intersect1d(dupes, known)])
    dirty = 100 * _pillar_rates(eng[kept], reach[kept], codes[kept])[focus_code]
    best_code = int(present[np.argmax(rates[present])])
    best = pillars.index(str(PILLAR_NAMES[best_code]))
    most_code = int(
        np.argmax(np.bincount(codes[known], weights=eng[known], minlength=5))
    )
    why = {}
    if most_code != best_code:
        why[pillars.index(str(PILLAR_NAMES[most_code]))] = pt["pillar_top"]["why"]
    dirty_rate = dirty
    kpi_options = list(pt["pillar_kpi"]["options"])
    asked = [str(p) for p in rng.choice(sorted(PILLAR_KPI), 4, replace=False)]
    parts = (
        value_part(
            "pillar_duplicate_rows",
            1,
            pt["pillar_duplicate_rows"]["prompt"],
            n_dupes,
            rtol=0.0,
            wrong=_distinct(
                n_dupes, [(2 * n_dupes, pt["pillar_duplicate_rows"]["wrong"])], rtol=0.0
            ),
            model="pillar_duplicate_rows = int(export.duplicated().sum())",
        ),
        value_part(
            "pillar_er_pct",
            1,
            pt["pillar_er_pct"]["prompt"].format(pillar=focus),
            rate,
            unit="percent",
            wrong=_distinct(rate, [(dirty_rate, pt["pillar_er_pct"]["wrong"])]),
            model=(
                "pillar_clean = export.drop_duplicates().dropna(subset=['reach'])\n"
                "pillar_clean = pillar_clean.assign("
                f"engagements=pillar_clean[{ENGAGEMENT!r}].sum(axis=1))\n"
                "pillar_totals = pillar_clean.groupby('pillar')"
                "[['engagements', 'reach']].sum()\n"
                "pillar_rates = pillar_totals['engagements'] / pillar_totals['reach']\n"
                f"pillar_er_pct = 100 * pillar_rates[{focus!r}]"
            ),
        ),
        choice_part(
            "pillar_top",
            1,
            pt["pillar_top"]["prompt"],
            pillars,
            best,
            why,
            rng=rng,
        ),
        match_part(
            "pillar_kpi",
            1,
            pt["pillar_kpi"]["prompt"],
            asked,
            kpi_options,
            [PILLAR_KPI[p] for p in asked],
            rng=rng,
        ),
    )
    prompt = text["prompt"].format(platform=platform)
    return Section(
        "m2_pillar_export",
        "2",
        text["title"],
        prompt,
        frame_code("export", export),
        parts,
    )


TEMPLATES = (
    Template("m2_ab_plan", "2", ab_plan),
    Template("m2_ab_read", "2", ab_read),
    Template("m2_calendar_conflicts", "2", calendar_conflicts),
    Template("m2_cadence_choice", "2", cadence_choice),
    Template("m2_pillar_export", "2", pillar_export),
)
