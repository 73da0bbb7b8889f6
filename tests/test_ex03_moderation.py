"""Exercise 3: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted"; the triage check cannot be fooled."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import smm_playbook.exercises.ex03_moderation as ex
from exercise_contract import contract_tests
from smm_playbook.checks import PLACEHOLDER

comments = ex.load("comments")


def owed(frame):
    needing = frame[frame["action"].isin(["respond", "escalate"])]
    created = pd.to_datetime(needing["created_at"], utc=True)
    answered = pd.to_datetime(needing["first_response_at"], utc=True)
    return needing.assign(minutes=(answered - created).dt.total_seconds() / 60)


china = comments[comments["platform"].isin(ex.CHINA_PLATFORMS)]
with_minutes, whole_inbox = owed(china), owed(comments)
minutes = with_minutes["minutes"]


def attainment(frame, limits):
    met = frame["minutes"] <= frame["tier"].map(limits)
    return met.groupby(frame["tier"]).mean().rename("sla_attainment").reset_index()


SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / "ex03_moderation.ipynb"


def reference_triage():
    """The solutions notebook's triage function, so the test follows the notebook."""
    import nbformat

    notebook = nbformat.read(SOLUTION, as_version=4)
    cell = next(c for c in notebook.cells if "def triage(" in c.source)
    namespace: dict = {}
    exec(cell.source.split("q4.check()")[0], namespace)
    return namespace["triage"]


def safety_blind(comment):
    """Decent on volume, but escalates only English safety words."""
    text = comment["text"].lower()
    if re.search(
        r"glass|mould|allerg|swallow|burn|expired|lawyer|gdpr|journalist", text
    ):
        return "escalate"
    return "approve" if "?" not in text else "respond"


REPLY = (
    "We're so sorry your tin arrived crushed, that's not how your tea should reach "
    "you. We've sent you a DM to check the order privately, and we'll send a "
    "replacement tin today."
)

REFERENCE = {
    "q1": {"response_rate": float(minutes.notna().mean())},
    "q2": {
        "median_minutes": float(minutes.median()),
        "p90_minutes": float(minutes.quantile(0.9)),
    },
    "q3": {"sla_by_tier": attainment(with_minutes, ex.SLA_MINUTES)},
    "q4": {"triage": reference_triage()},
    "q5": {"criticism_action": "c"},
    "q6": {"personal_data_action": "b"},
    "q7": {"evening_staff": ex.agents_needed(120, 4, 10, 0.8)},
    "q8": {"complaint_reply": REPLY},
}

KNOWN_WRONG = [
    (
        "q1",
        {"response_rate": float(minutes.notna().sum() / len(china))},
        "divided by every message",
    ),
    (
        "q1",
        {"response_rate": float(whole_inbox["minutes"].notna().mean())},
        "whole inbox",
    ),
    (
        "q2",
        {
            "median_minutes": float(whole_inbox["minutes"].median()),
            "p90_minutes": float(whole_inbox["minutes"].quantile(0.9)),
        },
        "whole inbox",
    ),
    ("q3", {"sla_by_tier": attainment(whole_inbox, ex.SLA_MINUTES)}, "whole inbox"),
    ("q1", {"response_rate": 100 * float(minutes.notna().mean())}, "percentage"),
    (
        "q2",
        {"median_minutes": float(minutes.mean()), "p90_minutes": 0.0},
        "That is the mean",
    ),
    (
        "q2",
        {
            "median_minutes": float(minutes.median() / 60),
            "p90_minutes": float(minutes.quantile(0.9) / 60),
        },
        "That is in hours",
    ),
    (
        "q3",
        {
            "sla_by_tier": attainment(
                with_minutes.dropna(subset=["minutes"]), ex.SLA_MINUTES
            )
        },
        "never answered",
    ),
    (
        "q3",
        {"sla_by_tier": attainment(with_minutes, dict.fromkeys(ex.SLA_MINUTES, 240.0))},
        "4-hour target for every tier",
    ),
    ("q4", {"triage": lambda comment: "approve"}, "were not escalated"),
    ("q4", {"triage": safety_blind}, "were not escalated"),
    ("q4", {"triage": lambda comment: "escalate"}, "is needed"),
    ("q4", {"triage": lambda comment: 3}, "return one of"),
    ("q4", {"triage": lambda comment: comment["kind"]}, "KeyError"),
    ("q4", {"triage": "escalate"}, "should be a function"),
    ("q5", {"criticism_action": "a"}, "censorship"),
    ("q5", {"criticism_action": "b"}, "deletion by another name"),
    ("q6", {"personal_data_action": "a"}, "spreads it further"),
    ("q7", {"evening_staff": 8}, "only covers the load"),
    (
        "q7",
        {"evening_staff": ex.agents_needed(120, 4, 10, 0.8, measure="wait")},
        "wait plus handling",
    ),
    ("q8", {"complaint_reply": REPLY + " Order #48213 is on its way."}, "order number"),
    (
        "q8",
        {"complaint_reply": REPLY.replace("DM", "reply").replace("privately", "")},
        "private channel",
    ),
    ("q8", {"complaint_reply": REPLY.replace("so sorry", "glad")}, "Apologise"),
]

globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


def test_triage_feedback_names_the_misrouted_kinds():
    feedback = ex.q4.evaluate({"triage": lambda comment: "escalate"})
    assert "Misrouted: praise" in feedback.message


def test_triage_is_graded_on_comments_the_learner_has_not_seen():
    unseen = ex._unseen()
    assert not set(unseen["text"]) <= set(comments["text"])
    assert set(unseen["kind"]) >= {"safety", "legal"}


def test_a_chinese_reply_is_counted_in_words_and_can_pass():
    reply = (
        "非常抱歉，您的茶罐在运输中被压坏了，这不是我们想带给您的体验。"
        "我们已经私信您核对订单信息，今天就为您补发一罐新茶。"
    )
    feedback = ex.q8.evaluate({"complaint_reply": reply})
    assert feedback.status == "submitted", feedback.message
    assert feedback.details["missing"] == [], feedback.message


def test_try_triage_reports_per_kind_and_waits_for_a_function(capsys):
    assert ex.try_triage(PLACEHOLDER) is None  # the untouched exercise notebook
    assert "Write `triage`" in capsys.readouterr().out
    table = ex.try_triage(reference_triage())
    assert set(table.index) == set(comments["kind"])
    assert table["share_right"].between(0, 1).all()
