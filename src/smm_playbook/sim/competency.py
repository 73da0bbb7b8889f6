"""Competency self-assessment: nine ratings → gaps, readiness and a learning plan.

The nine competencies are the course's 3×3 model (Module 0). The first seven come
from a practitioner essay (c. 2014); its management group is cut off after
"managing up", so the course completes it with two duties of the 2012 beverage
company job description: managing agencies and coordinating across departments.

Target levels per role and the competency → module map are the course's teaching
judgement, not survey data: they say where each module trains a competency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

import pandas as pd

from smm_playbook._validate import exact_keys

LEVELS = range(1, 6)  # 1 = new to this, 3 = can do it with support, 5 = can teach it


@dataclass(frozen=True)
class Competency:
    key: str
    name: str
    name_zh: str
    group: str
    description: str
    modules: tuple[int, ...]


PERSONAL, BUSINESS, MANAGEMENT = (
    "Personal qualities",
    "Business skills",
    "Management skills",
)
GROUPS = (PERSONAL, BUSINESS, MANAGEMENT)

COMPETENCIES: tuple[Competency, ...] = (
    Competency(
        "divergent_convergent",
        "Divergent and convergent thinking",
        "发散与收敛思维",
        PERSONAL,
        "Generate many ideas, then pick the one that fits the brief.",
        (2, 1),
    ),
    Competency(
        "readiness_for_change",
        "Readiness for change",
        "拥抱变化",
        PERSONAL,
        "Adopt new platforms, formats and rules quickly.",
        (1, 5),
    ),
    Competency(
        "persistence",
        "Persistence",
        "坚持",
        PERSONAL,
        "Keep testing and improving when most posts do not take off.",
        (2, 6),
    ),
    Competency(
        "operations_mindset",
        "Operations mindset",
        "运营思维",
        BUSINESS,
        "Run content, users and channels as a system; answer 'so what?'.",
        (3, 6),
    ),
    Competency(
        "marketing_knowledge",
        "Marketing knowledge",
        "营销知识",
        BUSINESS,
        "Apply marketing, advertising and PR fundamentals.",
        (1, 5),
    ),
    Competency(
        "product_tech_literacy",
        "Product and technology literacy",
        "产品与技术素养",
        BUSINESS,
        "Know what each platform's tools and data can do.",
        (5, 6),
    ),
    Competency(
        "managing_up",
        "Managing up",
        "向上管理",
        MANAGEMENT,
        "Agree scope and priorities with leadership; report in business terms.",
        (1, 6),
    ),
    Competency(
        "agency_management",
        "Managing agencies and vendors",
        "代理商管理",
        MANAGEMENT,
        "Brief, supervise and hold agencies to KPIs.",
        (6, 5),
    ),
    Competency(
        "cross_team_coordination",
        "Coordinating across departments",
        "跨部门协调",
        MANAGEMENT,
        "Organise brand, PR, legal and service teams around social.",
        (4, 3),
    ),
)
KEYS = tuple(c.key for c in COMPETENCIES)

MODULE_TITLES = {
    1: "Strategy",
    2: "Content",
    3: "Community & moderation",
    4: "Crisis",
    5: "Paid social",
    6: "ROI & analytics",
}

# What each module builds on (the "Prerequisites" of book/NN-*/index.md).
PREREQUISITES: dict[int, tuple[int, ...]] = {
    1: (),
    2: (1,),
    3: (1, 2),
    4: (1, 2, 3),
    5: (1, 2, 3),
    6: (1, 2, 3),
}


def _profile(*levels: int) -> dict[str, int]:
    return dict(zip(KEYS, levels, strict=True))


ROLE_PROFILES: dict[str, dict[str, int]] = {
    "Social media manager": _profile(4, 4, 4, 4, 4, 4, 4, 4, 4),
    "Community manager": _profile(3, 4, 5, 5, 3, 3, 3, 2, 4),
    "Paid social specialist": _profile(3, 4, 4, 4, 4, 5, 3, 4, 3),
    "Content lead": _profile(5, 4, 4, 3, 4, 3, 3, 3, 3),
    "One-person SME team": _profile(4, 4, 5, 4, 4, 4, 3, 3, 2),
}

EXAMPLE_LEARNERS: dict[str, dict[str, int]] = {
    "New graduate": _profile(4, 5, 3, 2, 3, 3, 1, 1, 2),
    "Agency account executive": _profile(4, 4, 3, 3, 4, 3, 3, 2, 3),
    "Customer-service lead": _profile(2, 3, 5, 4, 2, 2, 3, 2, 4),
}


@dataclass(frozen=True)
class Assessment:
    """The result: per-competency table, group scores, plan and readiness (0–1)."""

    role: str
    table: pd.DataFrame
    group_scores: pd.DataFrame
    plan: pd.DataFrame
    readiness: float

    @property
    def route(self) -> pd.DataFrame:
        """The plan as a study order that respects the modules' prerequisites."""
        return study_route(self.plan)


def assess(
    ratings: Mapping[str, int], role: str = "Social media manager"
) -> Assessment:
    """Compare self-ratings (1–5 per competency key) with a role's target levels."""
    ratings = validate_ratings(ratings)
    targets = role_targets(role)
    table = pd.DataFrame(
        {
            "key": KEYS,
            "competency": [c.name for c in COMPETENCIES],
            "group": [c.group for c in COMPETENCIES],
            "rating": [ratings[k] for k in KEYS],
            "target": [targets[k] for k in KEYS],
        }
    )
    table["gap"] = (table["target"] - table["rating"]).clip(lower=0)
    groups = (
        table.groupby("group", sort=False)[["rating", "target"]].mean().reset_index()
    )
    readiness = float(
        (table[["rating", "target"]].min(axis=1) / table["target"]).mean()
    )
    return Assessment(role, table, groups, learning_plan(table), readiness)


def learning_plan(table: pd.DataFrame) -> pd.DataFrame:
    """Order modules 1–6 by the total gap of the competencies each one trains."""
    gaps = dict(zip(table["key"], table["gap"].astype(int), strict=True))
    rows = []
    for module, title in MODULE_TITLES.items():
        trained = [c for c in COMPETENCIES if module in c.modules]
        reasons = [f"{c.name} (+{gaps[c.key]})" for c in trained if gaps[c.key] > 0]
        priority = sum(gaps[c.key] for c in trained)
        rows.append((module, title, priority, "; ".join(reasons) or "no gap: skim"))
    plan = pd.DataFrame(rows, columns=["module", "title", "priority", "reasons"])
    return plan.sort_values(
        ["priority", "module"], ascending=[False, True], ignore_index=True
    )


class RouteStep(TypedDict):
    """A row of `study_route`: one module of the learning plan, in study order."""

    step: int
    module: int
    title: str
    priority: int  # the total gap of the competencies the module trains
    reasons: str
    after: str  # the modules it builds on, "—" for none


def study_route(plan: pd.DataFrame) -> pd.DataFrame:
    """Order a plan so that each module comes after the modules it builds on.

    A prerequisite whose competencies show no gap (priority 0) counts as already
    met. A module's urgency is its own priority or, if higher, that of any module
    waiting for it; among the modules whose prerequisites are met, the most urgent
    goes first, and ties go to the earlier module, as in the course.
    """
    priority = dict(zip(plan["module"], plan["priority"], strict=True))
    needs = {
        m: [p for p in PREREQUISITES[m] if priority.get(p, 0) > 0] for m in priority
    }
    urgency = dict(priority)
    for m in sorted(priority, reverse=True):  # prerequisites always have lower numbers
        for p in needs[m]:
            urgency[p] = max(urgency[p], urgency[m])
    done: list[int] = []
    while len(done) < len(priority):
        ready = [m for m in priority if m not in done and set(needs[m]) <= set(done)]
        done.append(min(ready, key=lambda m: (-urgency[m], -priority[m], m)))
    route = plan.set_index("module").loc[done].reset_index()
    route.insert(0, "step", range(1, len(route) + 1))
    route["after"] = [", ".join(map(str, needs[m])) or "—" for m in route["module"]]
    return route


def validate_ratings(ratings: Mapping[str, int]) -> dict[str, int]:
    """Every key present, each a whole number from 1 to 5; say what is wrong if not."""
    exact_keys(ratings, KEYS, "ratings")
    clean = {}
    for key in KEYS:
        value = ratings[key]
        if (
            isinstance(value, bool)
            or not float(value).is_integer()
            or int(value) not in LEVELS
        ):
            raise ValueError(
                f"rating for {key!r} must be a whole number from 1 to 5, got {value!r}."
            )
        clean[key] = int(value)
    return clean


def role_targets(role: str) -> dict[str, int]:
    if role not in ROLE_PROFILES:
        raise ValueError(f"Unknown role {role!r}. Choose one of {list(ROLE_PROFILES)}.")
    return ROLE_PROFILES[role]
