"""The structural rules a work product's YAML file can ask for.

`sections` in the YAML lists the headings that must be there (with optional
`count`, `dates`, `owners`, `min_words`, `max_words`); `rules` lists extra checks,
each with a `kind`: mentions, forbidden, fixed_dates, table_sum, time_limit.
`Agreement`s, declared with the question, tie numbers to the learner's analysis.
Every problem comes back as a sentence that names the section and what to do.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from smm_playbook.checks import structure as st
from smm_playbook.checks.errors import Incorrect
from smm_playbook.checks.placeholder import PLACEHOLDER
from smm_playbook.checks.questions import count_words
from smm_playbook.checks.values import to_number

MONTH_NAMES = (
    "January February March April May June July August September October "
    "November December"
).split()


def matching(found: list[st.Section], spec: Mapping[str, Any]) -> list[st.Section]:
    """The sections whose heading matches a section spec's `match` pattern."""
    pattern = spec["match"]
    return [s for s in found if re.search(pattern, s.heading, flags=re.IGNORECASE)]


def section_problems(
    found: list[st.Section], specs: list[Mapping[str, Any]]
) -> list[str]:
    problems = []
    for spec in specs:
        hits = matching(found, spec)
        count = spec.get("count", 1)
        if not hits:
            problems.append(
                f"Add a section headed “{spec['title']}” (a Markdown heading, such "
                f"as `## {spec['title']}`)."
            )
            continue
        if len(hits) < count:
            problems.append(
                f"Write {count} sections headed like “{spec['title']}” (you have "
                f"{len(hits)})."
            )
        for section in hits:
            problems += _one_section(section, spec)
    return problems


def _one_section(section: st.Section, spec: Mapping[str, Any]) -> list[str]:
    name = f"“{section.heading}”"
    if section.is_empty:
        return [f"The section {name} is still empty."]
    problems = []
    words = count_words(section.body)
    if words < spec.get("min_words", 0):
        problems.append(f"Say more in {name}: at least {spec['min_words']} words.")
    if "max_words" in spec and words > spec["max_words"]:
        problems.append(f"Keep {name} to {spec['max_words']} words (it has {words}).")
    dates = st.count_dates(section.body)
    if dates < spec.get("dates", 0):
        problems.append(
            f"Give dates in {name}: at least {spec['dates']} (a date such as 15 March "
            f"or 2027-03-15, or a point in the plan such as day 30 or week 2; you "
            f"have {dates})."
        )
    return problems + _owner_problems(section, spec.get("owners", 0))


def _owner_problems(section: st.Section, needed: int) -> list[str]:
    if not needed:
        return []
    named = st.owners(section.body)
    weak = [o for o in named if st.is_weak_owner(o)]
    if weak:
        who = weak[0].strip() or "a blank"
        return [
            f"“{who}” in “{section.heading}” is not an owner: name the role that "
            "answers for it (for example 'Head of Social' or '社区经理'), not the "
            "team."
        ]
    if len(named) < needed:
        return [
            f"Name an owner in “{section.heading}”: a role, written as 'Owner: "
            f"community manager' or in an Owner column (you have {len(named)} of "
            f"{needed})."
        ]
    return []


def extra_rule_problems(
    text: str, found: list[st.Section], spec: Mapping[str, Any]
) -> list[str]:
    by_id = {s["id"]: s for s in spec["sections"]}
    problems = []
    for rule in spec.get("rules", ()):
        scope = matching(found, by_id[rule["section"]]) if "section" in rule else None
        bodies = [s.body for s in scope] if scope is not None else [text]
        check = _RULES[rule["kind"]]
        for index, body in enumerate(bodies):
            where = scope[index].heading if scope else ""
            problem = check(body, rule, where)
            if problem:
                problems.append(problem)
    return problems


def _mentions(body: str, rule: Mapping[str, Any], where: str) -> str | None:
    named = [
        label
        for label, pattern in rule["patterns"].items()
        if re.search(pattern, body, flags=re.IGNORECASE)
    ]
    if len(named) >= rule.get("min", 1):
        return None
    return rule["message"].format(where=where, found=", ".join(named) or "none")


def _forbidden(body: str, rule: Mapping[str, Any], where: str) -> str | None:
    match = re.search(rule["pattern"], body, flags=re.IGNORECASE)
    return rule["message"].format(where=where, said=match[0]) if match else None


def _fixed_dates(body: str, rule: Mapping[str, Any], where: str) -> str | None:
    """A moment with a fixed date (3.8, 3.15, 618, 双11) must sit on that date.

    Only table rows and list items that name one moment are read: prose such as
    "3.8 sales against 15 March's complaints" compares, it does not date 3.8.
    """
    moments = rule["moments"]
    for line in body.splitlines():
        if not re.match(r"\s*(\||[-*+]\s|\d+[.)]\s)", line):
            continue
        named = [m for m in moments if re.search(m["pattern"], line, re.IGNORECASE)]
        dates = st.calendar_dates(line)
        if len(named) != 1 or not dates:
            continue
        moment = named[0]
        if (moment["month"], moment["day"]) not in dates:
            month, day = dates[0]
            return (
                f"Your calendar puts {moment['label']} on {day} "
                f"{MONTH_NAMES[month - 1]}; it falls on {moment['day']} "
                f"{MONTH_NAMES[moment['month'] - 1]}."
            )
    return None


def _table_sum(body: str, rule: Mapping[str, Any], where: str) -> str | None:
    total, found = 0.0, False
    for row in st.table_rows(body):
        label = " ".join(row.values())
        if re.search(r"\btotal\b|合计|总计", label, flags=re.IGNORECASE):
            continue
        for head, cell in row.items():
            if re.search(rule["column"], head, flags=re.IGNORECASE):
                values = st.numbers(cell)
                if values:
                    total, found = total + values[0][0], True
    if found and abs(total - rule["total"]) <= rule.get("tolerance", 0.5):
        return None
    return rule["message"].format(where=where, total=f"{total:g}" if found else "—")


def _time_limit(body: str, rule: Mapping[str, Any], where: str) -> str | None:
    times = [
        m
        for line in st.lines_matching(body, rule["near"])
        for m in st.durations_in_minutes(line)
    ]
    if times and min(times) <= rule["at_most_minutes"]:
        return None
    return rule["message"].format(where=where)


_RULES = {
    "mentions": _mentions,
    "forbidden": _forbidden,
    "fixed_dates": _fixed_dates,
    "table_sum": _table_sum,
    "time_limit": _time_limit,
}


@dataclass(frozen=True)
class Agreement:
    """A number in the work product that must agree with the learner's analysis.

    `var` is the learner's variable; a line of the work product matching `near`
    must carry it (within the section whose spec id is `section`, if given).
    `scale` allows a fraction quoted as a percentage (100).
    `compare="promise"` is for a time the learner promises (in minutes): it must
    be no shorter than what their own data show (for example the p90).
    """

    var: str
    label: str
    near: str
    scale: float = 1.0
    rtol: float = 0.01
    compare: str = "equal"
    section: str = ""

    def problem(self, text: str, namespace: Mapping[str, Any]) -> str | None:
        value = namespace.get(self.var, PLACEHOLDER)
        if value is PLACEHOLDER:
            return (
                f"Your {self.label} must come from your own analysis (`{self.var}`), "
                "which is not defined yet: run that question's cell above first."
            )
        try:
            value = to_number(value, self.var)
        except Incorrect:
            return (
                f"`{self.var}` is not a number, so your {self.label} cannot be "
                "compared with it: fix that question first."
            )
        lines = st.lines_matching(text, self.near)
        if not lines:
            return (
                f"Quote your {self.label} from your own analysis (`{self.var}` = "
                f"{_fmt(value)}) on a line that names it."
            )
        if self.compare == "promise":
            return self._promise(lines, value)
        return self._equal(lines, value)

    def _equal(self, lines: list[str], value: float) -> str | None:
        targets = {value, value * self.scale}
        quoted = [n for line in lines for n in st.numbers(line)]
        for number, step in quoted:
            if any(abs(number - t) <= max(self.rtol * abs(t), step) for t in targets):
                return None
        nearest = [n for line in lines if (n := self._nearest(line)) is not None]
        said = f"says {_fmt(nearest[0])}" if nearest else "gives no number"
        return (
            f"Your work product {said} for the {self.label}, but your own analysis "
            f"(`{self.var}`) gives {_fmt(value)}: make them agree, or fix the "
            "analysis."
        )

    def _nearest(self, line: str) -> float | None:
        """The number that follows the label on the line (else the one before)."""
        match = re.search(self.near, line, flags=re.IGNORECASE)
        if match is None:
            return None
        after, before = (
            st.numbers(line[match.end() :]),
            st.numbers(line[: match.start()]),
        )
        if after:
            return after[0][0]
        return before[-1][0] if before else None

    def _promise(self, lines: list[str], value: float) -> str | None:
        promised = [m for line in lines for m in st.durations_in_minutes(line)]
        if not promised:
            return f"State the {self.label} as a time (for example 'within 4 hours')."
        if max(promised) >= value * (1 - self.rtol):
            return None
        return (
            f"You promise {_minutes(max(promised))} for the {self.label}, but your own "
            f"data (`{self.var}`) show one reply in ten takes {_minutes(value)} or "
            "more: promise what the team can keep."
        )


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3g}"


def _minutes(minutes: float) -> str:
    return f"{minutes / 60:.1f} hours" if minutes >= 90 else f"{minutes:.0f} minutes"
