"""Module 8, listening: measure a query and choose which to ship, share of voice
with its interval, a sentiment model read against its hand labels, a spike read
against its baseline, and the sources a report cannot see.

Scenarios are drawn from the paper's random stream: posts from the course's
`listening_mentions` matched by the query lab (`smm_playbook.sim.query_lab`), and
Module 4's onset rule, which the tests check against `smm_playbook.sim.onset`.
The prose is in `m8_listening.yaml`.
"""

from __future__ import annotations

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
    prose_of,
    value_part,
)
from smm_playbook.grading.items.slices import dataset
from smm_playbook.sim import query_lab

TEXT = prose_of(__name__)


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


# --- 1. Measure two queries on a labelled sample and choose one ----------------------


def query_verdict(a: dict, b: dict, target: float) -> str:
    """'a', 'b' or 'neither': the query that meets the target on both measures
    (the higher F1 if both do)."""
    meets = [s["precision"] >= target and s["recall"] >= target for s in (a, b)]
    if all(meets):
        return "a" if a["f1"] >= b["f1"] else "b"
    if any(meets):
        return "a" if meets[0] else "b"
    return "neither"


@cache
def _query_masks() -> dict[str, np.ndarray]:
    """Every candidate query's matches on the whole dataset, computed once."""
    corpus = query_lab.Corpus(dataset("listening_mentions"))
    text = TEXT["query"]
    return {q: query_lab.run(q, corpus) for q in text["queries"]}


def query_choice(rng: np.random.Generator) -> Section:
    text = TEXT["query"]
    posts = dataset("listening_mentions")
    masks = _query_masks()
    relevant = np.flatnonzero(posts["relevant"].to_numpy() == 1)
    other = np.flatnonzero(posts["relevant"].to_numpy() == 0)
    while True:
        query_a, query_b = (text["queries"][int(i)] for i in rng.choice(
            len(text["queries"]), 2, replace=False))  # fmt: skip
        target = float(_pick(rng, (0.7, 0.8, 0.9)))
        rows = np.concatenate(
            [
                rng.choice(relevant, 11, replace=False),
                rng.choice(other, 9, replace=False),
            ]
        )
        rows = rows[rng.permutation(len(rows))]
        found_a, found_b = masks[query_a][rows], masks[query_b][rows]
        truth = posts["relevant"].to_numpy()[rows] == 1
        a, b = query_lab.scores(found_a, truth), query_lab.scores(found_b, truth)
        wrong_a = np.flatnonzero(found_a != truth)
        right_a = np.flatnonzero(found_a == truth)
        if (
            found_a.any()
            and found_b.any()
            and 1 <= len(wrong_a)
            and len(right_a) >= 3
            and abs(a["f1"] - b["f1"]) > 0.02
            and min(abs(s[m] - target) for s in (a, b) for m in ("precision", "recall"))
            > 0.01
        ):
            break
    verdict = query_verdict(a, b, target)
    sample = posts.iloc[rows][["platform", "text", "relevant"]].reset_index(drop=True)
    sample.insert(0, "post", [f"M{i + 1:02d}" for i in range(len(sample))])
    sample["matched_a"] = found_a.astype(int)
    sample["matched_b"] = found_b.astype(int)
    shown_wrong = list(rng.choice(wrong_a, min(len(wrong_a), 2), replace=False))
    shown_right = list(rng.choice(right_a, 5 - len(shown_wrong), replace=False))
    shown = sorted(int(i) for i in shown_wrong + shown_right)
    parts_text = text["parts"]
    verdicts = ["a", "b", "neither"]
    why_ship = {
        i: parts_text["query_to_ship"]["why"][f"{verdict}_{v}"]
        for i, v in enumerate(verdicts)
        if v != verdict
    }
    prompt = text["prompt"].format(
        query_a=query_a, query_b=query_b, target=f"{target:.0%}"
    )
    parts = (
        value_part(
            "query_a_precision_pct",
            1,
            parts_text["query_a_precision_pct"]["prompt"],
            100 * a["precision"],
            rtol=0.005,
            wrong=[
                (
                    100 * a["recall"],
                    parts_text["query_a_precision_pct"]["wrong"]["recall"],
                )
            ]
            if abs(a["recall"] - a["precision"]) > 0.01
            else [],
            model=(
                "found_a = sample[sample['matched_a'] == 1]\n"
                "query_a_precision_pct = 100 * found_a['relevant'].mean()"
            ),
        ),
        value_part(
            "query_b_recall_pct",
            1,
            parts_text["query_b_recall_pct"]["prompt"],
            100 * b["recall"],
            rtol=0.005,
            wrong=[
                (
                    100 * b["precision"],
                    parts_text["query_b_recall_pct"]["wrong"]["precision"],
                )
            ]
            if abs(b["recall"] - b["precision"]) > 0.01
            else [],
            model=(
                "genuine = sample[sample['relevant'] == 1]\n"
                "query_b_recall_pct = 100 * genuine['matched_b'].mean()"
            ),
        ),
        choice_part(
            "query_to_ship",
            1,
            parts_text["query_to_ship"]["prompt"].format(target=f"{target:.0%}"),
            [text["verdicts"][v] for v in verdicts],
            verdicts.index(verdict),
            why_ship,
            rng=rng,
        ),
        multi_part(
            "query_a_errors",
            1,
            parts_text["query_a_errors"]["prompt"],
            [sample.loc[i, "post"] for i in shown],
            {k for k, i in enumerate(shown) if i in set(wrong_a.tolist())},
            {
                k: parts_text["query_a_errors"]["why"]["right"]
                for k, i in enumerate(shown)
                if i not in set(wrong_a.tolist())
            },
            rng=rng,
        ),
    )
    return Section(
        "m8_query_choice",
        "8",
        text["title"],
        prompt,
        frame_code("sample", sample),
        parts,
    )


# --- 2. Share of voice with the right denominator and its interval -------------------


def share_of_voice(rng: np.random.Generator) -> Section:
    text = TEXT["sov"]
    brands = list(text["brands"])
    platforms = [str(p) for p in rng.choice(text["platforms"], 3, replace=False)]
    while True:
        ours = rng.uniform(0.25, 0.6)
        weights = np.r_[ours, (1 - ours) * rng.dirichlet([3, 3, 2])]
        tilt = rng.uniform(0.6, 1.5, (len(platforms), len(brands)))
        volume = rng.integers(150, 600, len(platforms))
        genuine = rng.poisson(volume[:, None] * weights[None, :] * tilt)
        spam = rng.poisson(genuine * rng.uniform(0.05, 0.4, genuine.shape))
        spam[:, 0] = rng.poisson(genuine[:, 0] * rng.uniform(0.3, 0.7, len(platforms)))
        total = int(genuine.sum())
        mine = int(genuine[:, 0].sum())
        share, low, high = query_lab.share_of_voice(mine, total - mine)
        per_platform = genuine[:, 0] / genuine.sum(axis=1)
        above = set(np.flatnonzero(per_platform > share).tolist())
        if (
            0 < len(above) < len(platforms)
            and np.min(np.abs(per_platform - share)) > 0.01
        ):
            break
    change = _pick(rng, ("rose", "fell", "same"))
    if change == "rose":
        previous = low - rng.uniform(0.01, 0.05)
    elif change == "fell":
        previous = high + rng.uniform(0.01, 0.05)
    else:
        previous = rng.uniform(low + 0.2 * (high - low), high - 0.2 * (high - low))
    previous = round(100 * previous, 1)
    counts = pd.DataFrame(
        [
            {
                "platform": platforms[p],
                "brand": brands[b],
                "genuine_posts": int(genuine[p, b]),
                "spam_posts": int(spam[p, b]),
            }
            for p in range(len(platforms))
            for b in range(len(brands))
        ]
    )
    with_spam = (mine + spam[:, 0].sum()) / (total + spam.sum())
    wald = share - query_lab.Z95 * np.sqrt(share * (1 - share) / total)
    parts_text = text["parts"]
    changes = ["rose", "fell", "same"]
    parts = (
        value_part(
            "sov_willow_pct",
            1,
            parts_text["sov_willow_pct"]["prompt"],
            100 * share,
            rtol=0.002,
            wrong=[(100 * with_spam, parts_text["sov_willow_pct"]["wrong"]["spam"])],
            model=(
                "by_brand = counts.groupby('brand')['genuine_posts'].sum()\n"
                "sov_willow_pct = 100 * by_brand['Willow Tea'] / by_brand.sum()"
            ),
        ),
        value_part(
            "sov_interval_low_pct",
            1,
            parts_text["sov_interval_low_pct"]["prompt"],
            100 * low,
            rtol=0.001,
            wrong=[(100 * wald, parts_text["sov_interval_low_pct"]["wrong"]["wald"])],
            model=(
                "genuine = counts.groupby('brand')['genuine_posts'].sum()\n"
                "n, z = genuine.sum(), 1.96\n"
                "p = genuine['Willow Tea'] / n\n"
                "centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)\n"
                "half = z / (1 + z**2 / n) * (p * (1 - p) / n + z**2 / (4 * n**2)) "
                "** 0.5\n"
                "sov_interval_low_pct = 100 * (centre - half)"
            ),
        ),
        choice_part(
            "sov_change_verdict",
            1,
            parts_text["sov_change_verdict"]["prompt"].format(previous=previous),
            [text["changes"][c] for c in changes],
            changes.index(change),
            {
                i: parts_text["sov_change_verdict"]["why"][c]
                for i, c in enumerate(changes)
                if c != change
            },
            rng=rng,
        ),
        multi_part(
            "sov_platforms_above_overall",
            1,
            parts_text["sov_platforms_above_overall"]["prompt"],
            platforms,
            above,
            {
                i: parts_text["sov_platforms_above_overall"]["why"]["below"]
                for i in range(len(platforms))
                if i not in above
            },
            rng=rng,
        ),
    )
    return Section(
        "m8_share_of_voice",
        "8",
        text["title"],
        text["prompt"],
        frame_code("counts", counts),
        parts,
    )


# --- 3. Read a sentiment model against its hand-labelled sample ---------------------

LABELS = query_lab.SENTIMENTS  # positive, neutral, negative


def sentiment_check(rng: np.random.Generator) -> Section:
    text = TEXT["sentiment"]
    while True:
        truth = rng.dirichlet([4, 3, 3])
        sarcasm = rng.uniform(0.0, 0.35)  # negatives the model reads as positive
        gloomy = rng.uniform(0.0, 0.3)  # neutrals the model reads as negative
        confusion = np.array(  # rows: the coder's label; columns: the model's
            [
                [0.9, 0.07, 0.03],
                [0.08, 0.92 - gloomy, gloomy],
                [sarcasm, 0.05, 0.95 - sarcasm],
            ]
        )
        size = int(rng.integers(200, 401))
        coder = rng.multinomial(size, truth)
        sample = np.array(
            [rng.multinomial(n, row) for n, row in zip(coder, confusion, strict=True)]
        )
        month = int(rng.integers(1200, 4000))
        model_month = rng.multinomial(month, truth @ confusion)
        if (sample.sum(axis=0) == 0).any() or (model_month == 0).any():
            continue
        accuracy = np.trace(sample) / sample.sum()
        neg_given = sample[2] / sample.sum(axis=0)  # P(coder negative | model label)
        shares = model_month / model_month.sum()
        corrected = float(shares @ neg_given)
        raw = float(shares[2])
        gap = corrected - raw
        if abs(gap) > 0.03 or abs(gap) < 0.01:
            break
    bias = "under" if gap > 0.03 else "over" if gap < -0.03 else "fair"
    form = _pick(rng, ("all", "polarity"))
    pos, neg = model_month[0], model_month[2]
    values = {
        "all": (pos - neg) / month,
        "polarity": (pos - neg) / (pos + neg),
        "share": pos / month,
        "ratio": pos / neg,
    }
    reported = values[form]
    labelled = pd.DataFrame(
        [
            {"coder": LABELS[i], "model": LABELS[j], "posts": int(sample[i, j])}
            for i in range(3)
            for j in range(3)
        ]
    )
    month_table = pd.DataFrame(
        {"model": list(LABELS), "posts": model_month.astype(int)}
    )
    parts_text = text["parts"]
    forms = ["all", "polarity", "share", "ratio"]
    biases = ["under", "over", "fair"]
    data_code = (
        frame_code("labelled", labelled) + "\n" + frame_code("month", month_table)
    )
    parts = (
        value_part(
            "sentiment_accuracy_pct",
            1,
            parts_text["sentiment_accuracy_pct"]["prompt"],
            100 * accuracy,
            rtol=0.002,
            model=(
                "agree = labelled[labelled['coder'] == labelled['model']]\n"
                "sentiment_accuracy_pct = 100 * agree['posts'].sum() / "
                "labelled['posts'].sum()"
            ),
        ),
        value_part(
            "sentiment_corrected_negative_pct",
            1,
            parts_text["sentiment_corrected_negative_pct"]["prompt"],
            100 * corrected,
            rtol=0.003,
            wrong=[
                (
                    100 * raw,
                    parts_text["sentiment_corrected_negative_pct"]["wrong"]["raw"],
                )
            ],
            model=(
                "table = labelled.pivot(index='coder', columns='model', "
                "values='posts')\n"
                "negative_given = table.loc['negative'] / table.sum()\n"
                "shares = month.set_index('model')['posts'] / month['posts'].sum()\n"
                "sentiment_corrected_negative_pct = 100 * (shares * "
                "negative_given).sum()"
            ),
        ),
        choice_part(
            "sentiment_bias",
            1,
            parts_text["sentiment_bias"]["prompt"],
            [text["biases"][b] for b in biases],
            biases.index(bias),
            {
                i: parts_text["sentiment_bias"]["why"][b]
                for i, b in enumerate(biases)
                if b != bias
            },
            rng=rng,
        ),
        choice_part(
            "net_sentiment_form",
            1,
            parts_text["net_sentiment_form"]["prompt"].format(
                reported=f"{reported:+.2f}"
            ),
            [text["forms"][f] for f in forms],
            forms.index(form),
            {
                i: parts_text["net_sentiment_form"]["why"].format(
                    value=f"{values[f]:+.2f}"
                )
                for i, f in enumerate(forms)
                if f != form
            },
            rng=rng,
        ),
    )
    return Section(
        "m8_sentiment_check",
        "8",
        text["title"],
        text["prompt"].format(size=int(sample.sum()), month=month),
        data_code,
        parts,
    )


# --- 4. A spike against its baseline: alert, escalate or wait ------------------------

DECISIONS = ("alert", "author", "campaign", "watch")
BASELINE, RECENT = 72, 6
START = pd.Timestamp("2025-09-18 08:00", tz="Asia/Shanghai")


def alert_lines(mentions: np.ndarray) -> np.ndarray:
    """Each step's alert line: mean + 3 SD of the 72 steps before it (NaN before)."""
    mentions = np.asarray(mentions, dtype=float)
    lines = np.full(len(mentions), np.nan)
    if len(mentions) > BASELINE:
        windows = np.lib.stride_tricks.sliding_window_view(mentions[:-1], BASELINE)
        lines[BASELINE:] = windows.mean(axis=1) + 3 * windows.std(axis=1, ddof=1)
    return lines


def spike_reading(steps: pd.DataFrame) -> tuple[str, dict[str, bool], np.ndarray]:
    """The decision the module's rules give at the last step, the signals in the
    last three steps, and each step's alert line (Module 4's onset rule, n = 3)."""
    mentions = steps["mentions"].to_numpy(dtype=float)
    negative = steps["negative_share"].to_numpy(dtype=float) > 0.5
    line = alert_lines(mentions)
    alarm = (mentions > line) & negative  # NaN lines compare False
    held = np.convolve(alarm.astype(int), np.ones(3, dtype=int), "full")[: len(alarm)]
    fired = np.flatnonzero(held == 3)
    big = steps["top_author_followers"].to_numpy() >= 100_000
    last3 = slice(len(steps) - 3, None)
    signals = {
        "volume": bool((mentions[last3] > line[last3]).any()),
        "negative": bool(negative[last3].any()),
        "author": bool((negative[last3] & big[last3]).any()),
        "rule": bool(fired.size and fired[0] == len(steps) - 1),
    }
    if fired.size and fired[0] != len(steps) - 1:
        decision = "fired_earlier"
    elif signals["rule"]:
        decision = "alert"
    elif signals["author"]:
        decision = "author"
    elif mentions[-1] > line[-1] and not negative[-1]:
        decision = "campaign"
    else:
        decision = "watch"
    return decision, signals, line


def _spike_steps(rng, scenario: str) -> pd.DataFrame:
    level = rng.uniform(3, 9)
    hours = np.arange(BASELINE + RECENT)
    rhythm = 1 + 0.25 * np.sin(hours / 12 * np.pi)
    mentions = rng.poisson(level * rhythm)
    negative = np.clip(rng.normal(0.25, 0.08, len(hours)), 0, 1)
    top = np.round(np.exp(rng.normal(np.log(3_000), 1.0, len(hours))), -1)
    tail = slice(BASELINE + RECENT - 3, None)
    if scenario == "alert":
        mentions[tail] = np.round(level * rng.uniform(4, 7, 3) * [1, 1.4, 1.9])
        negative[tail] = rng.uniform(0.6, 0.85, 3)
    elif scenario == "campaign":
        mentions[tail] = np.round(level * rng.uniform(4, 8, 3))
        negative[tail] = rng.uniform(0.04, 0.2, 3)
    elif scenario == "author":
        mentions[tail] = rng.poisson(level * 1.1, 3)
        negative[tail] = rng.uniform(0.55, 0.8, 3)
    else:  # one loud, negative step: not yet three in a row
        mentions[-1] = np.round(level * rng.uniform(4, 6))
        negative[-1] = rng.uniform(0.55, 0.75)
    top = np.minimum(top, 90_000)  # no big author unless the scenario adds one
    times = START + pd.to_timedelta(5 * hours, unit="min")
    return pd.DataFrame(
        {
            "time": times.strftime("%Y-%m-%d %H:%M"),
            "mentions": mentions.astype(int),
            "negative_share": np.round(negative, 2),
            "top_author_followers": top.astype(int),
        }
    )


def spike_decision(rng: np.random.Generator) -> Section:
    text = TEXT["spike"]
    scenario = _pick(rng, DECISIONS)
    while True:
        steps = _spike_steps(rng, scenario)
        if scenario == "author":  # put the big author back after the cap
            big = int(np.round(rng.uniform(150_000, 2_000_000), -3))
            last3 = steps.index[-3:]
            negative_rows = [i for i in last3 if steps.loc[i, "negative_share"] > 0.5]
            if negative_rows:
                steps.loc[_pick(rng, negative_rows), "top_author_followers"] = big
        decision, signals, line = spike_reading(steps)
        if decision == scenario:
            break
    before = steps["mentions"].iloc[-1 - BASELINE : -1]
    alert_line = float(line[-1])
    ratio = steps["mentions"].iloc[-1] / before.mean()
    with_itself = steps["mentions"].iloc[-BASELINE:]
    parts_text = text["parts"]
    signal_names = ["volume", "negative", "author", "rule"]
    parts = (
        value_part(
            "spike_alert_line",
            1,
            parts_text["spike_alert_line"]["prompt"],
            alert_line,
            rtol=0.005,
            wrong=[
                (
                    with_itself.mean() + 3 * with_itself.std(),
                    parts_text["spike_alert_line"]["wrong"]["with_itself"],
                )
            ]
            if abs(with_itself.mean() + 3 * with_itself.std() - alert_line)
            > 0.01 * alert_line
            else [],
            model=(
                "before = steps['mentions'].iloc[-73:-1]\n"
                "spike_alert_line = before.mean() + 3 * before.std()"
            ),
        ),
        value_part(
            "spike_ratio_to_baseline",
            1,
            parts_text["spike_ratio_to_baseline"]["prompt"],
            ratio,
            rtol=0.005,
            model=(
                "spike_ratio_to_baseline = steps['mentions'].iloc[-1] / "
                "steps['mentions'].iloc[-73:-1].mean()"
            ),
        ),
        choice_part(
            "spike_decision",
            1,
            parts_text["spike_decision"]["prompt"],
            [text["decisions"][d] for d in DECISIONS],
            DECISIONS.index(decision),
            {
                i: parts_text["spike_decision"]["why"][d]
                for i, d in enumerate(DECISIONS)
                if d != decision
            },
            rng=rng,
        ),
        multi_part(
            "spike_signals",
            1,
            parts_text["spike_signals"]["prompt"],
            [text["signals"][s] for s in signal_names],
            {i for i, s in enumerate(signal_names) if signals[s]},
            {
                i: parts_text["spike_signals"]["why"][s]
                for i, s in enumerate(signal_names)
                if not signals[s]
            },
            rng=rng,
        ),
    )
    return Section(
        "m8_spike_decision",
        "8",
        text["title"],
        text["prompt"],
        frame_code("steps", steps),
        parts,
    )


# --- 5. What the tool cannot see, and which source to add --------------------------


def missing_source(rng: np.random.Generator) -> Section:
    text = TEXT["sources"]
    catalogue = text["catalogue"]
    while True:
        rows = [catalogue[int(i)] for i in rng.choice(len(catalogue), 7, replace=False)]
        if not any(r["addable"] is False for r in rows):
            continue
        closed = np.array([r["addable"] is False for r in rows])
        # private conversation is large: that is why it is missed so painfully
        spread = np.exp(rng.normal(np.log(2_000), 0.8, len(rows)))
        posts = np.round(
            spread * np.where(closed, rng.uniform(1.5, 3, len(rows)), 1), -1
        )
        collected = rng.random(len(rows)) < 0.5
        collected = np.where([r["addable"] is False for r in rows], False, collected)
        cost = np.where(
            [r["addable"] is False for r in rows],
            np.nan,
            np.round(rng.uniform(2_000, 30_000, len(rows)), -2),
        )
        cost = np.where(collected, np.nan, cost)
        addable = ~collected & ~np.isnan(cost)
        if collected.sum() < 2 or addable.sum() < 2:
            continue
        value = np.where(addable, posts / np.where(addable, cost, 1), -1)
        best = int(np.argmax(value))
        largest_missing = int(np.argmax(np.where(~collected, posts, -1)))
        biggest_addable = int(np.argmax(np.where(addable, posts, -1)))
        ordered = np.sort(value[addable])
        big_gaps = set(
            np.flatnonzero(~collected & (posts > 0.1 * posts.sum())).tolist()
        )
        if (
            big_gaps
            and len(ordered) > 1
            and ordered[-1] > 1.1 * ordered[-2]
            and best != biggest_addable
            and not addable[largest_missing]
        ):
            break
    coverage = pd.DataFrame(
        {
            "source": [r["source"] for r in rows],
            "estimated_posts": posts.astype(int),
            "collected": np.where(collected, "yes", "no"),
            "cost_to_add_cny": cost,
        }
    )
    covered_pct = 100 * posts[collected].sum() / posts.sum()
    questions = [
        text["questions"][int(i)]
        for i in rng.choice(len(text["questions"]), 3, replace=False)
    ]
    kinds = list(text["source_kinds"])
    parts_text = text["parts"]
    why_add = {}
    for i in range(len(rows)):
        if i == best:
            continue
        if collected[i]:
            why_add[i] = parts_text["source_add_next"]["why"]["collected"]
        elif not addable[i]:
            why_add[i] = parts_text["source_add_next"]["why"]["closed"]
        else:
            why_add[i] = parts_text["source_add_next"]["why"]["dearer"]
    parts = (
        value_part(
            "source_covered_pct",
            1,
            parts_text["source_covered_pct"]["prompt"],
            covered_pct,
            rtol=0.002,
            wrong=[
                (
                    100 * collected.mean(),
                    parts_text["source_covered_pct"]["wrong"]["count"],
                )
            ],
            model=(
                "seen = coverage[coverage['collected'] == 'yes']\n"
                "source_covered_pct = 100 * seen['estimated_posts'].sum() / "
                "coverage['estimated_posts'].sum()"
            ),
        ),
        multi_part(
            "source_big_gaps",
            1,
            parts_text["source_big_gaps"]["prompt"],
            [r["source"] for r in rows],
            big_gaps,
            {
                i: parts_text["source_big_gaps"]["why"]["collected"]
                if collected[i]
                else parts_text["source_big_gaps"]["why"]["small"]
                for i in range(len(rows))
                if i not in big_gaps
            },
            rng=rng,
        ),
        choice_part(
            "source_add_next",
            1,
            parts_text["source_add_next"]["prompt"],
            [r["source"] for r in rows],
            best,
            why_add,
            rng=rng,
        ),
        match_part(
            "source_for_question",
            1,
            parts_text["source_for_question"]["prompt"],
            [q["question"] for q in questions],
            [text["source_kinds"][k] for k in kinds],
            [kinds.index(q["source"]) for q in questions],
            rng=rng,
        ),
    )
    return Section(
        "m8_missing_source",
        "8",
        text["title"],
        text["prompt"],
        frame_code("coverage", coverage),
        parts,
    )


TEMPLATES = (
    Template("m8_query_choice", "8", query_choice),
    Template("m8_share_of_voice", "8", share_of_voice),
    Template("m8_sentiment_check", "8", sentiment_check),
    Template("m8_spike_decision", "8", spike_decision),
    Template("m8_missing_source", "8", missing_source),
)
