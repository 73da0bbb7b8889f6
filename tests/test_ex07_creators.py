"""Exercise 7: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted". The last question, the creator brief
and its measurement plan, is a work product: tests/test_work_product.py covers it
with the other modules'; here, the checks that are particular to this one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import smm_playbook.exercises.ex07_creators as ex
from smm_playbook.checks import PLACEHOLDER
from smm_playbook.checks.work_product import WorkProductQuestion
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


def work_cell() -> str:
    import json

    from conftest import ROOT
    from smm_playbook.checks.work_product import strip_markers

    notebook = json.loads((ROOT / "solutions" / "ex07_creators.ipynb").read_text())
    sources = ["".join(c["source"]) for c in notebook["cells"]]
    (source,) = [s for s in sources if s.startswith("%%work creator_brief")]
    return strip_markers(source.partition("\n")[2])


# The solution notebook's model brief and the analysis it quotes (question 6).
BRIEF = work_cell()
ANALYSIS = {"package_price": 40_600, "cost_per_thousand_views": 40_600 / 900}

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


def check_brief(text: str, **analysis):
    return ex.q8.evaluate({**ANALYSIS, **analysis, "creator_brief": text})


def test_the_brief_is_the_work_product_and_the_model_is_submitted():
    assert isinstance(ex.q8.question, WorkProductQuestion)
    feedback = check_brief(BRIEF)
    assert feedback.status == "submitted" and feedback.needs_review, feedback.message


def test_a_fee_that_is_not_the_packages_price_is_caught():
    feedback = check_brief(BRIEF.replace("40,600 CNY", "28,000 CNY"))
    assert feedback.status == "incorrect"
    assert "for the package price" in feedback.message and "40,600" in (
        feedback.message
    )


def test_a_disclosure_without_the_plain_label_is_told_what_is_missing():
    text = BRIEF.replace("says 广告", "names the brand").replace("【广告】", "")
    feedback = check_brief(text)
    assert feedback.status == "incorrect"
    assert "the plain label the law asks for" in feedback.message


def test_a_measurement_plan_without_a_holdout_or_codes_is_refused():
    lines = [
        line
        for line in BRIEF.splitlines()
        if not any(w in line for w in ("holdout", "discount code", "Deduplicated"))
    ]
    feedback = check_brief("\n".join(lines))
    assert feedback.status == "incorrect"
    assert "Name at least three of" in feedback.message


def test_a_plan_that_counts_emv_as_success_is_refused():
    text = BRIEF.replace(
        "Earned media value is not reported", "Earned media value is our KPI"
    )
    feedback = check_brief(text)
    assert feedback.status == "incorrect"
    assert "the measure of success" in feedback.message


def test_hiding_the_disclosure_is_refused_and_forbidding_it_is_not():
    hidden = BRIEF.replace(
        "you correct it the same day if we ask.",
        "you may leave out the paid partnership label on the video.",
    )
    feedback = check_brief(hidden)
    assert feedback.status == "incorrect" and "hidden or left out" in (feedback.message)
    kept = BRIEF.replace(
        "you correct it the same day if we ask.", "never hide the disclosure."
    )
    assert check_brief(kept).status == "submitted"


DISCLOSURE_END = "you correct it the same day if we ask."
PLAN_END = "not what the campaign caused."


@pytest.mark.parametrize(
    ("anchor", "added", "message"),
    [
        (DISCLOSURE_END, "No need to label the notes as ads.", "hidden or left out"),
        (
            DISCLOSURE_END,
            "为了让种草更自然，笔记里不用标注广告。",
            "hidden or left out",
        ),
        (PLAN_END, "We will measure success by likes and follower growth.", "measure"),
        (PLAN_END, "我们以点赞数来衡量效果。", "the measure of success"),
    ],
)
def test_a_contradiction_of_the_module_is_refused_in_either_language(
    anchor, added, message
):
    feedback = check_brief(BRIEF.replace(anchor, f"{anchor} {added}"))
    assert feedback.status == "incorrect"
    assert message in feedback.message


def test_ruling_the_wrong_thing_out_is_not_a_contradiction():
    text = BRIEF.replace(
        PLAN_END, f"{PLAN_END} We will not measure success by likes."
    ).replace(DISCLOSURE_END, f"{DISCLOSURE_END} Never hide the disclosure.")
    assert check_brief(text).status == "submitted"
