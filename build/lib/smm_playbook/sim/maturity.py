"""Social business maturity self-assessment (Altimeter's six stages).

Li and Solis (Altimeter, 2013) describe six stages: Planning, Presence, Engagement,
Formalized, Strategic and Converged. The mottos of stages 1–3 are theirs; for
stages 4–6 the `motto` field summarises their description. The two statements per
stage are the course's paraphrase of what each stage involves; an organisation is
at the highest stage whose statements, and those of every earlier stage, are true.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from smm_playbook._validate import exact_keys


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    motto: str


STAGES: tuple[Stage, ...] = (
    Stage(1, "Planning", "listen to learn"),
    Stage(2, "Presence", "stake our claim"),
    Stage(3, "Engagement", "dialog deepens relationships"),
    Stage(4, "Formalized", "executive sponsor, a hub, governance"),
    Stage(5, "Strategic", "cross-functional and business-unit impact"),
    Stage(6, "Converged", "social embedded across the organisation"),
)

STATEMENTS: dict[str, tuple[int, str]] = {
    "listening": (
        1,
        "We monitor what people say about us and our market before we post.",
    ),
    "audit": (1, "We know which accounts exist in our name and who runs them."),
    "official_accounts": (
        2,
        "We run official accounts on the platforms our audiences use.",
    ),
    "content_plan": (2, "We publish to a content calendar, not ad hoc."),
    "two_way": (3, "We reply to comments and messages and track response times."),
    "community": (3, "We run conversations and activities that invite participation."),
    "executive_sponsor": (4, "A senior executive sponsors social media."),
    "hub_and_policy": (4, "A central team sets policy, training and approval rules."),
    "business_units": (
        5,
        "Several business units run social with shared tools and KPIs.",
    ),
    "business_outcomes": (5, "Social KPIs are reported against business outcomes."),
    "embedded": (6, "Social is part of how every function works, not a separate team."),
    "strategy_merged": (6, "Social strategy is part of the business strategy itself."),
}
KEYS = tuple(STATEMENTS)


def _answers(*true_keys: str) -> dict[str, bool]:
    return {key: key in true_keys for key in KEYS}


EXAMPLE_ORGANISATIONS: dict[str, dict[str, bool]] = {
    "Regional bakery chain": _answers("official_accounts", "content_plan", "two_way"),
    "Consumer electronics brand": _answers(
        "listening",
        "audit",
        "official_accounts",
        "content_plan",
        "two_way",
        "community",
        "executive_sponsor",
        "business_outcomes",
    ),
    "Global bank": _answers(
        "listening",
        "audit",
        "official_accounts",
        "content_plan",
        "two_way",
        "community",
        "executive_sponsor",
        "hub_and_policy",
        "business_units",
    ),
}


@dataclass(frozen=True)
class MaturityResult:
    stage: int
    table: pd.DataFrame
    missing: list[str]

    @property
    def stage_name(self) -> str:
        return STAGES[self.stage - 1].name if self.stage else "Not yet at Planning"

    @property
    def next_stage_name(self) -> str | None:
        return STAGES[self.stage].name if self.stage < len(STAGES) else None


def assess_maturity(answers: Mapping[str, bool]) -> MaturityResult:
    """The stage reached, what each stage has, and what the next stage still needs."""
    answers = _validated(answers)
    rows = []
    for stage in STAGES:
        keys = [k for k, (n, _) in STATEMENTS.items() if n == stage.number]
        rows.append(
            (stage.number, stage.name, sum(answers[k] for k in keys), len(keys))
        )
    table = pd.DataFrame(rows, columns=["stage", "name", "met", "total"])
    complete = (table["met"] == table["total"]).to_numpy()
    reached = int(complete.argmin()) if not complete.all() else len(STAGES)
    missing = [
        text
        for key, (n, text) in STATEMENTS.items()
        if n == reached + 1 and not answers[key]
    ]
    return MaturityResult(reached, table, missing)


def _validated(answers: Mapping[str, bool]) -> dict[str, bool]:
    exact_keys(answers, KEYS, "answers")
    bad = [k for k in KEYS if not isinstance(answers[k], bool)]
    if bad:
        raise ValueError(f"Answers must be True or False; check {bad}.")
    return dict(answers)
