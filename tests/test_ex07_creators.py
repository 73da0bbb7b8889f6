"""Exercise 7: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted". The written brief is never marked
"correct" by a machine: for it the tests check which rubric elements are found."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import smm_playbook.exercises.ex07_creators as ex
from smm_playbook.checks import PLACEHOLDER
from smm_playbook.sim.follower_growth import looks_bought

USD_PER = ex.USD_PER
creators = ex.load("creators")
base = np.where(
    creators["avg_reach"].notna(),
    "reach",
    np.where(creators["avg_views"].notna(), "views", "followers"),
)
denominator = (
    creators["avg_reach"].fillna(creators["avg_views"]).fillna(creators["followers"])
)
ER_TABLE = pd.DataFrame(
    {
        "creator_id": creators["creator_id"],
        "base": base,
        "er": 100 * creators["avg_engagements"] / denominator,
    }
)
POOL = ex.lab_pool()


def greedy(shortlist, budget, value):
    s = shortlist[shortlist["market"] == "Mainland China"].copy()
    s["usd"] = s["price"] * s["currency"].map(USD_PER)
    s = s.assign(value=value(s) / s["usd"]).sort_values("value", ascending=False)
    chosen, spent = [], 0.0
    for cid, usd in zip(s["creator_id"], s["usd"], strict=True):
        if spent + usd <= budget:
            chosen.append(cid)
            spent += usd
    return chosen


def pick_creators(shortlist, budget):
    return greedy(
        shortlist,
        budget,
        lambda s: (
            s["avg_reach"].fillna(0)
            * s["audience_in_market"]
            * s["audience_female"]
            * s["audience_18_34"]
        ),
    )


def pick_by_followers(shortlist, budget):
    return greedy(shortlist, budget, lambda s: s["followers"])


def flags_every_big_day(series):
    counts = series.dropna()
    return bool((counts.diff() / counts.shift()).max() > 0.03)


def cpm(weights, claimed=False):
    result = ex.run_portfolio(POOL, 20_000, ex.TARGET, **weights)
    return (
        1000 * result.cost / (result.claimed_reach if claimed else result.target_reach)
    )


# The solution notebook's model brief, as `q8.solution()` shows it.
BRIEF = ex.q8.model_answer()

REFERENCE = {
    "q1": {"er_table": ER_TABLE},
    "q2": {"combined_reach": 1 - 0.8 * 0.85 * 0.9},
    "q3": {"bought_followers": looks_bought},
    "q4": {"naive_cpm": cpm(ex.FOLLOWERS_ONLY), "fit_cpm": cpm(ex.AUDIENCE_FIT)},
    "q5": {"pick_creators": pick_creators},
    "q6": {"package_price": 40_600, "cost_per_thousand_views": 40_600 / 900},
    "q7": {"breaches": ["b", "c", "e"]},
}

KNOWN_WRONG = [
    (
        "q1",
        {
            "er_table": ER_TABLE.assign(
                er=100 * creators["avg_engagements"] / creators["followers"],
                base="followers",
            )
        },
        "divided every creator's engagements by followers",
    ),
    ("q1", {"er_table": ER_TABLE.assign(er=ER_TABLE["er"] / 100)}, "percentage"),
    ("q2", {"combined_reach": 0.45}, "counts twice"),
    ("q3", {"bought_followers": flags_every_big_day}, "creators who went viral"),
    ("q3", {"bought_followers": lambda s: "yes"}, "return True or False"),
    (
        "q4",
        {
            "naive_cpm": cpm(ex.FOLLOWERS_ONLY, claimed=True),
            "fit_cpm": cpm(ex.AUDIENCE_FIT, claimed=True),
        },
        "claimed_reach",
    ),
    ("q5", {"pick_creators": pick_by_followers}, "cheapest followers"),
    (
        "q5",
        {"pick_creators": lambda s, b: list(s["creator_id"][:60])},
        "stay within the budget",
    ),
    ("q5", {"pick_creators": lambda s, b: ["nobody"]}, "not in the shortlist"),
    (
        "q6",
        {"package_price": 28_000 * 1.3 * 1.15, "cost_per_thousand_views": 0},
        "compounded",
    ),
    ("q6", {"package_price": 28_000, "cost_per_thousand_views": 0}, "on top"),
    ("q7", {"breaches": ["a", "b", "c", "e"]}, "compliant"),
    ("q7", {"breaches": ["b", "c"]}, "something is missing"),
]


@pytest.mark.parametrize("number", list(REFERENCE))
def test_reference_answers_pass(number):
    feedback = getattr(ex, number).evaluate(REFERENCE[number])
    assert feedback.status == "correct", feedback.message


@pytest.mark.parametrize(("number", "values", "message"), KNOWN_WRONG)
def test_known_wrong_answers_get_the_targeted_message(number, values, message):
    feedback = getattr(ex, number).evaluate(values)
    assert feedback.status == "incorrect"
    assert message in feedback.message


@pytest.mark.parametrize("number", [*REFERENCE, "q8"])
def test_untouched_placeholders_are_not_attempted(number):
    names = getattr(ex, number).question.names()
    values = {name: PLACEHOLDER for name in names}
    assert getattr(ex, number).evaluate(values).status == "not_attempted"


def test_every_question_is_covered_and_has_hints_a_solution_and_a_title():
    bound = [name for name in ex.__all__ if name[0] == "q" and name[1:].isdigit()]
    assert sorted(bound) == sorted([*REFERENCE, "q8"])
    for number in bound:
        view = getattr(ex, number)
        assert view.question.hints and view.solution_text() and view.question.title


def rubric_found(text: str) -> set[str]:
    return {c.name for c in ex.q8.question.rubric if c.met_by(text)}


def test_the_model_brief_meets_every_rubric_element_and_goes_to_review():
    assert BRIEF.startswith("Objective:")
    assert rubric_found(BRIEF) == {c.name for c in ex.q8.question.rubric}
    feedback = ex.q8.evaluate({"creator_brief": BRIEF})
    assert feedback.status == "submitted" and feedback.needs_review
    assert feedback.details["missing"] == [], feedback.message


def test_a_brief_without_disclosure_or_measurement_lacks_those_elements():
    sentences = [
        part
        for part in BRIEF.split(". ")
        if not part.startswith(("Disclosure", "Measurement"))
    ]
    shorter = ". ".join(sentences)
    found = rubric_found(shorter)
    assert "disclosure" not in found and "a measurement you can trust" not in found
    assert {"deliverables", "usage rights", "payment and exclusivity"} <= found


def test_a_brief_without_disclosure_is_submitted_and_told_what_is_missing():
    no_label = ". ".join(p for p in BRIEF.split(". ") if not p.startswith("Disclosure"))
    feedback = ex.q8.evaluate({"creator_brief": no_label})
    # a missing element never blocks a written answer: it is submitted for review,
    # and the feedback names what is not there
    assert feedback.status == "submitted", feedback.message
    assert feedback.details["missing"] == ["disclosure"]
    assert "**disclosure**: Write the disclosure duty" in feedback.message


def test_a_brief_that_counts_emv_as_success_is_refused():
    text = BRIEF + " Earned media value is our KPI."
    feedback = ex.q8.evaluate({"creator_brief": text})
    assert feedback.status == "incorrect"
    assert "earned media value are not results" in feedback.message


def test_hiding_the_disclosure_is_refused_and_forbidding_it_is_not():
    hidden = BRIEF + " Please leave out the paid partnership label."
    feedback = ex.q8.evaluate({"creator_brief": hidden})
    assert feedback.status == "incorrect" and "disclosure" in feedback.message
    kept = BRIEF + " Never hide the disclosure."
    assert ex.q8.evaluate({"creator_brief": kept}).status == "submitted"
