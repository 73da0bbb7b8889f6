"""Module 7's certification templates: the bank's rules hold on 200 seeds, the
papers are deterministic, the model answers score 4/4, typical mistakes get
their feedback, and every key is recomputed here a second way from the paper's
own data (the screen, the costs, the three markets' rules, the rate card, random
duplication)."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pytest
from smm_certbank import m7_creators as m7

from bank_helpers import build, model_outcomes, rule_problems
from certbank_cache import cached, data_of, key_text, part_of, signature

SEEDS = range(200)
TEMPLATES = {t.key: cached(t) for t in m7.TEMPLATES}


def built(key: str, seed: int):
    return build(TEMPLATES[key], seed)


def test_module_7_has_five_templates_of_several_kinds():
    assert len(TEMPLATES) >= 5 and all(t.module == "7" for t in m7.TEMPLATES)
    kinds = Counter(p.kind for key in TEMPLATES for p in built(key, 0).parts)
    assert {"value", "choice", "multi", "order", "match"} <= set(kinds), kinds


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_rules_hold_and_model_answers_score_on_every_seed(key):
    for seed in SEEDS:
        assert rule_problems(TEMPLATES[key], seed) == [], (key, seed)
    for seed in SEEDS[::2]:  # the model answers run as the grader would run them
        outcomes = model_outcomes(built(key, seed))
        assert set(outcomes.values()) == {"correct"}, (key, seed, outcomes)


@pytest.mark.parametrize("key", list(TEMPLATES))
def test_a_paper_is_the_same_for_the_same_seed(key):
    template = next(t for t in m7.TEMPLATES if t.key == key)
    for seed in SEEDS[::4]:
        assert signature(build(template, seed)) == signature(built(key, seed))
    assert built(key, 1).data_code != built(key, 2).data_code


def counts_of(key: str, var: str, seeds=range(60)) -> Counter:
    return Counter(key_text(built(key, seed), var) for seed in seeds)


@pytest.mark.parametrize(
    ("key", "var"),
    [
        ("m7_vet_creator", "vet_creator_to_book"),
        ("m7_cost_per_view", "cpv_best_value_creator"),
        ("m7_disclosure_audit", "disclosure_fix"),
        ("m7_contract_terms", "contract_offer_to_take"),
        ("m7_reach_plan", "dedup_lift_design"),
    ],
)
def test_the_correct_option_varies_across_papers(key, var):
    found = counts_of(key, var)
    assert len(found) >= 2 and max(found.values()) <= 0.8 * sum(found.values())
    letters = Counter(part_of(built(key, s), var).key for s in range(60))
    assert len(letters) >= 2


def wrong(section, var: str, value: float) -> str:
    return model_outcomes(section, {var: f"{var} = {value!r}"})[var]


def test_vetting_keys_follow_the_screen_and_the_target_cost():
    for seed in range(40):
        section = built("m7_vet_creator", seed)
        shortlist = data_of(section)["shortlist"]
        gains = shortlist["largest_gain_pct"]
        step = (gains > 1.5) & (gains > 4 * shortlist["second_gain_pct"])
        fails = step | (shortlist["generic_comments_pct"] > 50)
        assert key_text(section, "vet_red_flags") == frozenset(
            shortlist.loc[fails, "creator"]
        )
        people = (
            shortlist["avg_reach"]
            * shortlist["in_market_pct"]
            / 100
            * shortlist["female_pct"]
            / 100
            * shortlist["age_18_34_pct"]
            / 100
        )
        cost = 1000 * shortlist["fee_cny"] / people
        passing = cost[~fails]
        assert (
            key_text(section, "vet_creator_to_book")
            == shortlist.loc[passing.idxmin(), "creator"]
        )
        # the trap: a flagged creator is cheaper on paper than the one to book
        assert cost[fails].min() < passing.min()


def test_vetting_mistakes_get_their_feedback():
    section = built("m7_vet_creator", 3)
    er = part_of(section, "vet_er_reach_pct").question
    followers_er = er.misconceptions[0].answer
    assert "divided by followers" in wrong(section, "vet_er_reach_pct", followers_er)
    cpm = part_of(section, "vet_target_cpm_cny").question
    assert "target counts" in wrong(
        section, "vet_target_cpm_cny", cpm.misconceptions[0].answer
    )


def test_quote_keys_use_views_in_the_target():
    for seed in range(40):
        section = built("m7_cost_per_view", seed)
        quotes = data_of(section)["quotes"]
        in_target = quotes["expected_views"] * quotes["target_share_pct"] / 100
        per_target = 1000 * quotes["fee"] / in_target
        best = quotes.loc[per_target.idxmin(), "creator"]
        assert key_text(section, "cpv_best_value_creator") == best
        cheapest_view = quotes.loc[
            (quotes["fee"] / quotes["expected_views"]).idxmin(), "creator"
        ]
        assert cheapest_view != best
        benchmark = float(section.prompt.split("reach the target at ")[1].split()[0])
        beats = quotes.loc[per_target < benchmark, "creator"]
        assert key_text(section, "cpv_beats_paid") == frozenset(beats)
    per_view = part_of(section, "cpv_cost_per_thousand_views").question.expected
    assert "multiply by 1,000" in wrong(
        section, "cpv_cost_per_thousand_views", per_view / 1000
    )


def rule_of(post) -> str:
    if post["relationship"] == "none":
        return "No rule requires a label"
    if post["market"] == "US":
        return "FTC"
    if post["market"] == "Mainland China":
        return "Article 9"
    paid_and_controlled = post["relationship"] == "paid" and (
        post["brand_approved"] == "yes"
    )
    return "CAP Code" if paid_and_controlled else "CMA"


def compliant(post) -> bool:
    plain = {"广告"} if post["market"] == "Mainland China" else {"#ad", "Ad"}
    return post["label"] in plain and post["label_position"] == "first line"


def test_disclosure_keys_apply_each_markets_rule():
    for seed in range(40):
        section = built("m7_disclosure_audit", seed)
        posts = data_of(section)["posts"].set_index("post")
        shown = [
            line.split(") ", 1)[1]
            for line in part_of(section, "disclosure_breaches").prompt.splitlines()
            if line.startswith("- (")
        ]
        breaches = {
            p
            for p in shown
            if posts.loc[p, "relationship"] != "none" and not compliant(posts.loc[p])
        }
        assert key_text(section, "disclosure_breaches") == frozenset(breaches)
        matched = part_of(section, "disclosure_rule")
        items = [
            line.split("Post ")[1].split()[0]
            for line in matched.prompt.splitlines()
            if line[:1].isdigit()
        ]
        for post, rule in zip(items, key_text(section, "disclosure_rule"), strict=True):
            assert rule_of(posts.loc[post]) in rule, (seed, post, rule)


def test_the_fix_fits_the_breach():
    seen = set()
    for seed in range(60):
        section = built("m7_disclosure_audit", seed)
        posts = data_of(section)["posts"].set_index("post")
        post = part_of(section, "disclosure_fix").prompt.split("post ")[1].split("?")[0]
        row = posts.loc[post]
        fix = key_text(section, "disclosure_fix")
        if row["label"] == "none":
            assert fix.startswith("Add")
        elif row["label"] not in ({"广告"} | {"#ad", "Ad"}):
            assert fix.startswith("Replace")
        else:
            assert fix.startswith("Move") and row["label_position"] != "first line"
        seen.add(fix.split()[0])
    assert seen == {"Add", "Replace", "Move"}


def test_contract_price_adds_the_uplifts_and_the_offer_covers_the_plan():
    for seed in range(40):
        section = built("m7_contract_terms", seed)
        prompt = section.prompt.replace(",", "")
        fee = float(re.search(r"content fee is (\d+)", prompt).group(1))
        months = int(re.search(r"for (\d+) months", prompt).group(1))
        price = part_of(section, "contract_package_price").question.expected
        assert price > fee * (1 + 0.05 * months)
        offers = data_of(section)["offers"]
        excl = int(offers["exclusivity_months"].iloc[0])
        covers = offers[
            (offers["usage_months"] >= months)
            & (offers["exclusivity_months"] >= excl)
            & (offers["approval_rounds"] >= 1)
        ]
        take = covers.loc[covers["price"].idxmin(), "offer"]
        assert key_text(section, "contract_offer_to_take") == f"Offer {take}"
        assert offers["price"].idxmin() != covers["price"].idxmin()
    question = part_of(section, "contract_package_price").question
    compound = question.misconceptions[0].answer
    assert "compounded" in wrong(section, "contract_package_price", compound)


def test_each_need_gets_its_clause():
    needs = {n["need"]: m7.TEXT["contract"]["clause_names"][n["clause"]]
             for n in m7.TEXT["contract"]["needs"]}  # fmt: skip
    for seed in range(30):
        section = built("m7_contract_terms", seed)
        part = part_of(section, "contract_clause_for_need")
        items = [
            line.split(". ", 1)[1]
            for line in part.prompt.splitlines()
            if line[:1].isdigit()
        ]
        assert key_text(section, "contract_clause_for_need") == tuple(
            needs[item] for item in items
        )


def test_reach_is_deduplicated_and_the_design_fits_the_plan():
    designs = Counter()
    for seed in range(40):
        section = built("m7_reach_plan", seed)
        plan = data_of(section)["plan"]
        reach = 1 - np.prod(1 - plan["target_reach_pct"] / 100)
        value = part_of(section, "dedup_campaign_reach_pct").question.expected
        assert value == pytest.approx(100 * reach)
        people = plan["target_reach_pct"] / 100
        order = plan.assign(cost=plan["fee"] / people).sort_values("cost")["creator"]
        assert key_text(section, "dedup_rank_cost_per_reach") == tuple(order)
        design = key_text(section, "dedup_lift_design")
        if "partnership ad" in section.prompt:
            assert design.startswith("A platform lift study")
        else:
            assert design.startswith("A geo holdout")
            assert (plan["audience_in_top_3_cities_pct"] >= 60).all()
        designs[design[:5]] += 1
    assert len(designs) == 2
    summed = part_of(section, "dedup_campaign_reach_pct").question
    assert "counts twice" in wrong(
        section, "dedup_campaign_reach_pct", summed.misconceptions[0].answer
    )


def practice_template():
    from smm_playbook.grading import bank

    return bank.load("practice").template("creators")


def test_the_practice_template_is_published_simpler_and_answers_nothing_here():
    template = practice_template()
    cert_names = {p.var for key in TEMPLATES for p in built(key, 0).parts}
    for seed in range(0, 200, 2):
        section = build(template, seed)
        assert {p.var for p in section.parts}.isdisjoint(cert_names)
        assert set(model_outcomes(section).values()) == {"correct"}, seed
        shortlist = data_of(section)["shortlist"]
        cost = shortlist["price"] / shortlist["avg_reach"]
        assert (
            key_text(section, "cheapest_reach_creator")
            == shortlist.loc[cost.idxmin(), "creator_id"]
        )
    assert signature(build(template, 5)) == signature(build(template, 5))
    rate = part_of(section, "creator_er_by_reach_pct").question
    assert "divided by followers" in wrong(
        section, "creator_er_by_reach_pct", rate.misconceptions[0].answer
    )
