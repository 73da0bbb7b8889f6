"""Module 8's certification templates: the bank's rules hold on 200 seeds, the
papers are deterministic, the model answers score 4/4, typical mistakes get
their feedback, and every key is recomputed here a second way from the paper's
own data (the query lab on the sample's texts, the Wilson interval, the
sentiment correction, Module 4's onset detector, the coverage table)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from smm_certbank import m8_listening as m8

from bank_helpers import build, model_outcomes, rule_problems
from certbank_cache import cached, data_of, key_text, part_of, signature
from smm_playbook.sim import query_lab
from smm_playbook.sim.onset import onset_rule

SEEDS = range(200)
TEMPLATES = {t.key: cached(t) for t in m8.TEMPLATES}


def built(key: str, seed: int):
    return build(TEMPLATES[key], seed)


def test_module_8_has_five_templates_of_several_kinds():
    assert len(TEMPLATES) >= 5 and all(t.module == "8" for t in m8.TEMPLATES)
    kinds = Counter(p.kind for key in TEMPLATES for p in built(key, 0).parts)
    assert {"value", "choice", "multi", "match"} <= set(kinds), kinds


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_rules_hold_and_model_answers_score_on_every_seed(key):
    for seed in SEEDS:
        assert rule_problems(TEMPLATES[key], seed) == [], (key, seed)
    for seed in SEEDS[::2]:  # the model answers run as the grader would run them
        outcomes = model_outcomes(built(key, seed))
        assert set(outcomes.values()) == {"correct"}, (key, seed, outcomes)


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_a_paper_is_the_same_for_the_same_seed(key):
    template = next(t for t in m8.TEMPLATES if t.key == key)
    for seed in SEEDS[::4]:
        assert signature(build(template, seed)) == signature(built(key, seed))
    assert built(key, 1).data_code != built(key, 2).data_code


@pytest.mark.parametrize(
    ("key", "var"),
    [
        ("m8_query_choice", "query_to_ship"),
        ("m8_share_of_voice", "sov_change_verdict"),
        ("m8_sentiment_check", "sentiment_bias"),
        ("m8_sentiment_check", "net_sentiment_form"),
        ("m8_spike_decision", "spike_decision"),
        ("m8_missing_source", "source_add_next"),
    ],
)
def test_the_correct_option_varies_across_papers(key, var):
    found = Counter(key_text(built(key, seed), var) for seed in range(80))
    assert len(found) >= 2 and max(found.values()) <= 0.8 * sum(found.values())


def wrong(section, var: str, value: float) -> str:
    return model_outcomes(section, {var: f"{var} = {value!r}"})[var]


def queries_of(section) -> tuple[str, str]:
    found = re.findall(r"Query [AB]: `(.+?)`\.", section.prompt)
    assert len(found) == 2
    return found[0], found[1]


def test_query_keys_come_from_running_the_queries_on_the_sample():
    for seed in range(40):
        section = built("m8_query_choice", seed)
        sample = data_of(section)["sample"]
        corpus = query_lab.Corpus(sample.assign(language="any"))
        truth = sample["relevant"] == 1
        scores = []
        for name, query in zip(("a", "b"), queries_of(section), strict=True):
            found = query_lab.run(query, corpus)
            assert (found == (sample[f"matched_{name}"] == 1)).all(), (seed, name)
            scores.append(query_lab.scores(found, truth))
        target = int(re.search(r"both at least (\d+)%", section.prompt).group(1)) / 100
        meets = [s["precision"] >= target and s["recall"] >= target for s in scores]
        if all(meets):
            expected = "Query A" if scores[0]["f1"] >= scores[1]["f1"] else "Query B"
        elif any(meets):
            expected = "Query A" if meets[0] else "Query B"
        else:
            expected = m8.TEXT["query"]["verdicts"]["neither"]
        assert key_text(section, "query_to_ship") == expected
        wrong_a = sample.loc[(sample["matched_a"] == 1) != truth, "post"]
        chosen = key_text(section, "query_a_errors")
        assert chosen and chosen <= set(wrong_a)
    precision = part_of(section, "query_a_precision_pct").question
    if precision.misconceptions:
        assert "That is recall" in wrong(
            section, "query_a_precision_pct", precision.misconceptions[0].answer
        )


def wilson_low(successes: int, trials: int) -> float:
    p, z = successes / trials, 1.959963984540054
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = (
        z / (1 + z * z / trials) * np.sqrt(p * (1 - p) / trials + z * z / 4 / trials**2)
    )
    return centre - half


def test_share_of_voice_uses_genuine_posts_and_the_wilson_interval():
    for seed in range(40):
        section = built("m8_share_of_voice", seed)
        counts = data_of(section)["counts"]
        ours = counts.loc[counts["brand"] == "Willow Tea", "genuine_posts"].sum()
        total = counts["genuine_posts"].sum()
        share = part_of(section, "sov_willow_pct").question.expected
        assert share == pytest.approx(100 * ours / total)
        low = part_of(section, "sov_interval_low_pct").question.expected
        assert low == pytest.approx(100 * wilson_low(ours, total))
        high = 2 * (ours + 1.96**2 / 2) / (total + 1.96**2) * 100 - low
        previous = float(re.search(r"was ([\d.]+)%", part_of(
            section, "sov_change_verdict").prompt).group(1))  # fmt: skip
        verdict = key_text(section, "sov_change_verdict")
        if previous < low:
            assert verdict == "It rose"
        elif previous > high + 0.05:
            assert verdict == "It fell"
        else:
            assert verdict.startswith("No clear change")
        per = counts.pivot(index="platform", columns="brand", values="genuine_posts")
        platform_share = per["Willow Tea"] / per.sum(axis=1)
        above = set(platform_share[platform_share > ours / total].index)
        assert key_text(section, "sov_platforms_above_overall") == frozenset(above)
    spam = part_of(section, "sov_willow_pct").question.misconceptions[0].answer
    assert "genuine_posts" in wrong(section, "sov_willow_pct", spam)


def test_the_sentiment_correction_and_the_net_sentiment_form():
    for seed in range(40):
        section = built("m8_sentiment_check", seed)
        data = data_of(section)
        labelled, month = data["labelled"], data["month"].set_index("model")["posts"]
        table = labelled.pivot(index="coder", columns="model", values="posts")
        corrected = (month / month.sum() * table.loc["negative"] / table.sum()).sum()
        value = part_of(section, "sentiment_corrected_negative_pct").question.expected
        assert value == pytest.approx(100 * corrected)
        raw = month["negative"] / month.sum()
        bias = key_text(section, "sentiment_bias")
        if corrected > raw + 0.03:
            assert "under-reports" in bias
        elif corrected < raw - 0.03:
            assert "over-reports" in bias
        else:
            assert "within a point" in bias and abs(corrected - raw) < 0.01
        reported = float(
            re.search(r"net sentiment of ([+-][\d.]+)", section.parts[3].prompt).group(
                1
            )
        )
        pos, neg = month["positive"], month["negative"]
        form = key_text(section, "net_sentiment_form")
        computed = (pos - neg) / (month.sum() if "all posts" in form else pos + neg)
        assert round(computed, 2) == pytest.approx(reported)
    raw_answer = (
        part_of(section, "sentiment_corrected_negative_pct")
        .question.misconceptions[0]
        .answer
    )
    assert "uncorrected" in wrong(
        section, "sentiment_corrected_negative_pct", raw_answer
    )


def test_the_spike_decision_agrees_with_module_4s_detector():
    decisions = Counter()
    for seed in range(60):
        section = built("m8_spike_decision", seed)
        steps = data_of(section)["steps"]
        when = pd.to_datetime(steps["time"]).dt.tz_localize("Asia/Shanghai")
        indexed = steps.set_index(when)
        line, fired = onset_rule(indexed, window="6h", min_periods=72)
        assert part_of(section, "spike_alert_line").question.expected == pytest.approx(
            line.iloc[-1]
        )
        recent = indexed.iloc[-3:]
        negative = recent["negative_share"] > 0.5
        author = (negative & (recent["top_author_followers"] >= 100_000)).any()
        decision = key_text(section, "spike_decision")
        if fired is not None:
            assert fired == indexed.index[-1] and decision.startswith("Alert")
        elif author:
            assert decision.startswith("Escalate")
        elif indexed["mentions"].iloc[-1] > line.iloc[-1] and not negative.iloc[-1]:
            assert decision.startswith("No alert: the spike is loud")
        else:
            assert decision.startswith("No alert yet")
        decisions[decision.split()[0]] += 1
    assert set(decisions) == {"Alert", "Escalate", "No"}
    itself = part_of(section, "spike_alert_line").question.misconceptions
    if itself:
        assert "includes the last step" in wrong(
            section, "spike_alert_line", itself[0].answer
        )


def test_coverage_keys_weigh_sources_by_their_posts():
    for seed in range(40):
        section = built("m8_missing_source", seed)
        coverage = data_of(section)["coverage"]
        seen = coverage["collected"] == "yes"
        total = coverage["estimated_posts"].sum()
        value = part_of(section, "source_covered_pct").question.expected
        assert value == pytest.approx(
            100 * coverage.loc[seen, "estimated_posts"].sum() / total
        )
        gaps = coverage.loc[
            ~seen & (coverage["estimated_posts"] > 0.1 * total), "source"
        ]
        assert key_text(section, "source_big_gaps") == frozenset(gaps)
        addable = coverage[~seen & coverage["cost_to_add_cny"].notna()]
        best = addable.loc[
            (addable["estimated_posts"] / addable["cost_to_add_cny"]).idxmax(), "source"
        ]
        assert key_text(section, "source_add_next") == best
        # the trap: the biggest gap cannot be collected at any price
        biggest = coverage.loc[coverage.loc[~seen, "estimated_posts"].idxmax()]
        assert np.isnan(biggest["cost_to_add_cny"])
        questions = {
            q["question"]: q["source"] for q in m8.TEXT["sources"]["questions"]
        }
        items = [
            line.split(". ", 1)[1]
            for line in part_of(section, "source_for_question").prompt.splitlines()
            if line[:1].isdigit()
        ]
        names = m8.TEXT["sources"]["source_kinds"]
        assert key_text(section, "source_for_question") == tuple(
            names[questions[item]] for item in items
        )
    counted = part_of(section, "source_covered_pct").question.misconceptions[0].answer
    assert "counted sources" in wrong(section, "source_covered_pct", counted)


def practice_template():
    from smm_playbook.grading import bank

    return bank.load("practice").template("listening")


def test_the_practice_template_is_published_simpler_and_answers_nothing_here():
    template = practice_template()
    cert_names = {p.var for key in TEMPLATES for p in built(key, 0).parts}
    fixes = Counter()
    for seed in range(0, 200, 2):
        section = build(template, seed)
        assert {p.var for p in section.parts}.isdisjoint(cert_names)
        assert set(model_outcomes(section).values()) == {"correct"}, seed
        sample = data_of(section)["sample"]
        found = query_lab.run(
            "willow OR 小满", query_lab.Corpus(sample.assign(language="any"))
        )
        assert (found == (sample["matched"] == 1)).all()
        scores = query_lab.scores(found, sample["relevant"] == 1)
        fix = key_text(section, "query_fix_first")
        assert fix.startswith(
            "Recall" if scores["recall"] < scores["precision"] else "Precision"
        )
        fixes[fix[:6]] += 1
    assert len(fixes) == 2
    assert signature(build(template, 5)) == signature(build(template, 5))
    recall = part_of(section, "sample_query_recall_pct").question
    assert "That is precision" in wrong(
        section, "sample_query_recall_pct", recall.misconceptions[0].answer
    )
