"""Golden-hour drill scenarios: the file format, loading and validation.

A scenario is a YAML file in `smm_playbook/scenarios/`: timed injects with two to
four choices each, an SCCT reading (cluster, crisis type, intensifiers and the
recommended posture, which must agree with `recommended_posture`), and optionally
a drafting step. Every error names the file and the field. Scoring and the drill
engine are in `smm_playbook.sim.tabletop`, which re-exports everything here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from smm_playbook.sim.rumour_spread import (  # SCCT, once
    CLUSTERS,
    POSTURES,
    recommended_posture,
)

ACCOMMODATION = {"base": 0, "diminish": 1, "rebuild": 2}  # how much the brand takes on
GOOD_ELEMENTS = ("acknowledges", "concern", "actions", "next_update", "instructions")
BAD_ELEMENTS = ("speculation", "blame", "legal_admission")
INTENSIFIERS = ("crisis_history", "poor_prior_reputation")
RATINGS = {"sound": 3, "defensible": 2, "weak": 1, "harmful": 0}
# Coombs' crisis types (2007, Table 1) by cluster; denial can fit only the first two.
CRISIS_TYPES = {
    "rumour": "victim",
    "challenge": "accidental",
    "natural_disaster": "victim",
    "workplace_violence": "victim",
    "product_tampering": "victim",
    "technical_error_accident": "accidental",
    "technical_error_product_harm": "accidental",
    "human_error_accident": "preventable",
    "human_error_product_harm": "preventable",
    "organisational_misdeed": "preventable",
}
DENIAL_FITS = ("rumour", "challenge")
MAX_DECISIONS, MIN_INJECTS = 6, 3
PASS_MARK = 70
END = "end"
SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"


class ScenarioError(ValueError):
    """A scenario file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    minutes: float
    posture: str
    statement: tuple[str, ...]
    next: str
    feedback: str
    rating: str = "defensible"
    promise: float | None = None  # scenario minute by which the next update is due

    @property
    def public(self) -> bool:
        return self.posture != "none" or bool(self.statement)


@dataclass(frozen=True)
class Draft:
    """A drafting step: the team writes the statement instead of choosing one.

    The words are checked against `criteria` (statement element → regular
    expressions, English and Chinese). The check only finds elements; it never
    says a text is right, so a draft earns at most a "defensible" step and is
    flagged for the trainer to review, as every written answer in the course is.
    """

    prompt: str
    posture: str
    minutes: float
    criteria: dict[str, tuple[str, ...]]
    model_answer: str
    promise: float | None = None

    def elements(self, text: str) -> tuple[str, ...]:
        """The statement elements whose patterns occur in `text`."""
        return tuple(
            name
            for name, patterns in self.criteria.items()
            if any(re.search(p, text, flags=re.IGNORECASE) for p in patterns)
        )


@dataclass(frozen=True)
class Inject:
    id: str
    minute: float
    channel: str
    text: str
    decision_seconds: int
    question: str
    choices: tuple[Choice, ...]
    public_owed: bool = False  # Tier 3/4: staying silent here costs the step
    draft: Draft | None = None  # optional: write the statement instead of choosing

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise ValueError(
            f"Inject {self.id!r} has no choice {choice_id!r}; "
            f"choose one of {[c.id for c in self.choices]}."
        )


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    cluster: str
    crisis_type: str
    intensifiers: tuple[str, ...]
    recommended_posture: str
    summary: str
    debrief: str
    start: str
    injects: dict[str, Inject]
    clock_start: str = "00:00"  # wall-clock time at scenario minute 0

    @property
    def denial_fits(self) -> bool:
        """Coombs: deny only a rumour or an unwarranted challenge."""
        return self.crisis_type in DENIAL_FITS

    def wall_clock(self, minute: float) -> str:
        hours, minutes = (int(part) for part in self.clock_start.split(":"))
        total = (hours * 60 + minutes + int(round(minute))) % (24 * 60)
        return f"{total // 60:02d}:{total % 60:02d}"


# --- Loading and validation -------------------------------------------------------


def scenario_ids() -> list[str]:
    return sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))


def load_scenario(source: str | Path) -> Scenario:
    """Load by id (`"glass-in-the-bottle"`) or by path, validating everything."""
    path = Path(source) if str(source).endswith((".yaml", ".yml")) else None
    path = path or SCENARIO_DIR / f"{source}.yaml"
    if not path.exists():
        raise ScenarioError(
            f"There is no scenario {str(source)!r}. Available: {scenario_ids()}."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ScenarioError(f"{path.name} is not valid YAML: {error}") from None
    scenario = parse_scenario(data, path.name)
    if scenario.id != path.stem:
        raise ScenarioError(
            f"{path.name}: id {scenario.id!r} must match the file name."
        )
    return scenario


def parse_scenario(data: Any, where: str = "scenario") -> Scenario:
    """A Scenario from parsed YAML, or a ScenarioError saying what is wrong."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: the file must hold a mapping of fields.")
    get = _Fields(data, where)
    cluster = get.one_of("cluster", CLUSTERS)
    crisis_type = get.one_of("crisis_type", tuple(CRISIS_TYPES))
    if CRISIS_TYPES[crisis_type] != cluster:
        raise ScenarioError(
            f"{where}: a {crisis_type!r} crisis belongs to the "
            f"{CRISIS_TYPES[crisis_type]!r} cluster, not {cluster!r}."
        )
    clock_start = str(data.get("clock_start", "00:00"))
    if not _is_clock(clock_start):
        raise ScenarioError(f"{where}: 'clock_start' is a time such as '14:00'.")
    injects_data = get.typed("injects", list)
    injects = {}
    for index, item in enumerate(injects_data):
        inject = _parse_inject(item, f"{where}: injects[{index}]")
        if inject.id in injects:
            raise ScenarioError(f"{where}: two injects have the id {inject.id!r}.")
        injects[inject.id] = inject
    scenario = Scenario(
        id=get.text("id"),
        title=get.text("title"),
        cluster=cluster,
        crisis_type=crisis_type,
        intensifiers=tuple(get.optional_list("intensifiers", INTENSIFIERS)),
        recommended_posture=get.one_of("recommended_posture", POSTURES[1:]),
        summary=get.text("summary"),
        debrief=get.text("debrief"),
        start=get.text("start"),
        injects=injects,
        clock_start=clock_start,
    )
    expected = recommended_posture(cluster, len(scenario.intensifiers))
    if scenario.recommended_posture != expected:
        raise ScenarioError(
            f"{where}: SCCT recommends {expected!r} for a {cluster} crisis with "
            f"{len(scenario.intensifiers)} intensifier(s), not "
            f"{scenario.recommended_posture!r}."
        )
    _check_graph(scenario, where)
    return scenario


def _is_clock(text: str) -> bool:
    parts = text.split(":")
    return (
        len(parts) == 2
        and all(p.isdigit() for p in parts)
        and int(parts[0]) < 24
        and int(parts[1]) < 60
    )


class _Fields:
    """Typed access to a mapping's fields, with errors that name the field."""

    def __init__(self, data: dict, where: str):
        self.data, self.where = data, where

    def _get(self, name: str) -> Any:
        if name not in self.data:
            raise ScenarioError(f"{self.where}: the field {name!r} is missing.")
        return self.data[name]

    def typed(self, name: str, kind: type) -> Any:
        value = self._get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ScenarioError(
                f"{self.where}: {name!r} must be a {kind.__name__}, "
                f"not {type(value).__name__}."
            )
        return value

    def text(self, name: str) -> str:
        value = self.typed(name, str).strip()
        if not value:
            raise ScenarioError(f"{self.where}: {name!r} is empty.")
        return value

    def number(self, name: str, low: float, high: float) -> float:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(f"{self.where}: {name!r} must be a number.")
        if not low <= value <= high:
            raise ScenarioError(
                f"{self.where}: {name!r} is {value}; it must be from {low} to {high}."
            )
        return float(value)

    def one_of(self, name: str, allowed: tuple[str, ...]) -> str:
        value = self.text(name)
        if value not in allowed:
            raise ScenarioError(
                f"{self.where}: {name!r} is {value!r}; use one of {list(allowed)}."
            )
        return value

    def flag(self, name: str) -> bool:
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            raise ScenarioError(f"{self.where}: {name!r} must be true or false.")
        return value

    def optional_list(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        values = self.data.get(name) or []
        if not isinstance(values, list):
            raise ScenarioError(f"{self.where}: {name!r} must be a list.")
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise ScenarioError(
                f"{self.where}: {name!r} has {unknown}; use items of {list(allowed)}."
            )
        return values


def _parse_inject(data: Any, where: str) -> Inject:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: each inject must be a mapping of fields.")
    get = _Fields(data, where)
    inject_id = get.text("id")
    where = f"{where} (id {inject_id!r})"
    get.where = where
    choices_data = get.typed("choices", list)
    if not 2 <= len(choices_data) <= 4:
        raise ScenarioError(f"{where}: an inject needs 2 to 4 choices.")
    choices = tuple(
        _parse_choice(item, f"{where}: choices[{n}]")
        for n, item in enumerate(choices_data)
    )
    if len({c.id for c in choices}) != len(choices):
        raise ScenarioError(f"{where}: two choices share an id.")
    return Inject(
        id=inject_id,
        minute=get.number("minute", 0, 24 * 60),
        channel=get.text("channel"),
        text=get.text("text"),
        decision_seconds=int(get.number("decision_seconds", 30, 900)),
        question=get.text("question"),
        choices=choices,
        public_owed=get.flag("public_owed"),
        draft=_parse_draft(data.get("draft"), f"{where}: draft", choices),
    )


def _parse_draft(data: Any, where: str, choices) -> Draft | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: a draft must be a mapping of fields.")
    get = _Fields(data, where)
    if len({c.next for c in choices}) != 1:
        raise ScenarioError(
            f"{where}: every choice of a drafting inject must lead to the same inject."
        )
    criteria_data = get.typed("criteria", dict)
    criteria = {}
    for name, patterns in criteria_data.items():
        if name not in GOOD_ELEMENTS + BAD_ELEMENTS:
            raise ScenarioError(
                f"{where}: criterion {name!r} is not a statement element."
            )
        if not isinstance(patterns, list) or not patterns:
            raise ScenarioError(
                f"{where}: criterion {name!r} needs a list of patterns."
            )
        for pattern in patterns:
            try:
                re.compile(str(pattern))
            except re.error as error:
                raise ScenarioError(
                    f"{where}: pattern {pattern!r} is not valid: {error}"
                ) from None
        criteria[name] = tuple(str(p) for p in patterns)
    draft = Draft(
        prompt=get.text("prompt"),
        posture=get.one_of("posture", POSTURES[1:]),
        minutes=get.number("minutes", 0, 24 * 60),
        criteria=criteria,
        model_answer=get.text("model_answer"),
        promise=get.number("promise", 0, 24 * 60) if "promise" in data else None,
    )
    found = set(draft.elements(draft.model_answer))
    missing = [e for e in GOOD_ELEMENTS if e in criteria and e not in found]
    flagged = [e for e in BAD_ELEMENTS if e in found]
    if missing or flagged:
        raise ScenarioError(
            f"{where}: the model answer must meet its own criteria (missing {missing}, "
            f"flagged {flagged})."
        )
    return draft


def _parse_choice(data: Any, where: str) -> Choice:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: each choice must be a mapping of fields.")
    get = _Fields(data, where)
    statement = get.optional_list("statement", GOOD_ELEMENTS + BAD_ELEMENTS)
    if len(set(statement)) != len(statement):
        raise ScenarioError(f"{where}: 'statement' lists an element twice.")
    if "promise" in data and "next_update" not in statement:
        raise ScenarioError(
            f"{where}: a choice with a 'promise' must list next_update in its "
            "statement: the promise is the time of the next update."
        )
    return Choice(
        id=str(get.text("id")),
        text=get.text("text"),
        minutes=get.number("minutes", 0, 24 * 60),
        posture=get.one_of("posture", POSTURES),
        statement=tuple(statement),
        next=get.text("next"),
        feedback=get.text("feedback"),
        rating=get.one_of("rating", tuple(RATINGS)),
        promise=(get.number("promise", 0, 24 * 60) if "promise" in data else None),
    )


def _check_graph(scenario: Scenario, where: str) -> None:
    """Every `next` exists, time moves forward, and every path ends in time."""
    if scenario.start not in scenario.injects:
        raise ScenarioError(f"{where}: start {scenario.start!r} is not an inject id.")
    for inject in scenario.injects.values():
        for choice in inject.choices:
            if choice.promise is not None and choice.promise <= inject.minute:
                raise ScenarioError(
                    f"{where}: inject {inject.id!r}, choice {choice.id!r} promises "
                    f"an update at minute {choice.promise:g}, which has passed."
                )
            if choice.next == END:
                continue
            if choice.next not in scenario.injects:
                raise ScenarioError(
                    f"{where}: inject {inject.id!r}, choice {choice.id!r}: next "
                    f"{choice.next!r} is neither an inject id nor {END!r}."
                )
            if scenario.injects[choice.next].minute <= inject.minute:
                raise ScenarioError(
                    f"{where}: inject {inject.id!r}, choice {choice.id!r} leads back "
                    f"in time to {choice.next!r}; the clock must move forward."
                )
    reachable = {scenario.start}
    for path in all_paths(scenario):
        if not MIN_INJECTS <= len(path) <= MAX_DECISIONS:
            raise ScenarioError(
                f"{where}: the path {'→'.join(path)} has {len(path)} decisions; "
                f"every path needs {MIN_INJECTS} to {MAX_DECISIONS}."
            )
        reachable.update(inject.id for inject, _ in walk(scenario, path))
    unused = sorted(set(scenario.injects) - reachable)
    if unused:
        raise ScenarioError(f"{where}: no path reaches the inject(s) {unused}.")


# --- Paths and the drill -----------------------------------------------------------


def all_paths(scenario: Scenario) -> list[tuple[str, ...]]:
    """Every sequence of choice ids from the start to the end (the graph is acyclic
    because each `next` inject is later than the current one)."""
    paths: list[tuple[str, ...]] = []

    def extend(inject_id: str, sofar: tuple[str, ...]) -> None:
        for choice in scenario.injects[inject_id].choices:
            path = (*sofar, choice.id)
            if choice.next == END:
                paths.append(path)
            else:
                extend(choice.next, path)

    extend(scenario.start, ())
    return paths


def walk(scenario: Scenario, choice_ids) -> list[tuple[Inject, Choice]]:
    """The (inject, choice) steps of a path; the path must run to the end."""
    steps, inject_id = [], scenario.start
    for choice_id in choice_ids:
        if inject_id == END:
            raise ValueError("The path goes on after the scenario has ended.")
        inject = scenario.injects[inject_id]
        choice = inject.choice(choice_id)
        steps.append((inject, choice))
        inject_id = choice.next
    if inject_id != END:
        raise ValueError(f"The path stops at {inject_id!r} before the end.")
    return steps
