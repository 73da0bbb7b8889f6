"""The golden-hour tabletop drill: scenario files, a drill engine and its scoring.

A scenario is a YAML file in `smm_playbook/scenarios/`: timed injects (a post goes
viral, a journalist calls, an employee leaks) with two to four choices each. A
choice takes scenario minutes, may publish a statement (a posture and the elements
it contains) and leads to the next inject or to the end. Files are validated on
load; every error names the file and the field.

Scoring is deterministic (out of 100):
- speed, 40: the first public statement within 15 minutes 40, within 60 25,
  later 5, never 0 (the golden hour, shrunk to minutes on social media). Only a
  real holding statement counts: a first statement that earns no statement
  points, or denies what the brand caused, gets 5 however fast it was;
- SCCT fit, 30: the average over public postures of 30 for the recommended one,
  20 for one more accommodative than needed, 0 for one less, and −30 for denial
  outside a victim crisis (so one denial is not hidden by later apologies);
  clamped at 0;
- the holding statement, 30: the first statement earns 6 for each of
  acknowledges, concern, actions, next_update, instructions, and loses 10 for
  each of speculation, blame, legal_admission, clamped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from smm_playbook.sim.rumour_spread import CLUSTERS, POSTURES  # SCCT, once

ACCOMMODATION = {"base": 0, "diminish": 1, "rebuild": 2}  # how much the brand takes on
GOOD_ELEMENTS = ("acknowledges", "concern", "actions", "next_update", "instructions")
BAD_ELEMENTS = ("speculation", "blame", "legal_admission")
INTENSIFIERS = ("crisis_history", "poor_prior_reputation")
MAX_DECISIONS, MIN_INJECTS = 6, 3
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

    @property
    def public(self) -> bool:
        return self.posture != "none" or bool(self.statement)


@dataclass(frozen=True)
class Inject:
    id: str
    minute: float
    channel: str
    text: str
    decision_seconds: int
    question: str
    choices: tuple[Choice, ...]

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
    intensifiers: tuple[str, ...]
    recommended_posture: str
    summary: str
    debrief: str
    start: str
    injects: dict[str, Inject]


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
        intensifiers=tuple(get.optional_list("intensifiers", INTENSIFIERS)),
        recommended_posture=get.one_of("recommended_posture", POSTURES[1:]),
        summary=get.text("summary"),
        debrief=get.text("debrief"),
        start=get.text("start"),
        injects=injects,
    )
    _check_graph(scenario, where)
    return scenario


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
    )


def _parse_choice(data: Any, where: str) -> Choice:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: each choice must be a mapping of fields.")
    get = _Fields(data, where)
    statement = get.optional_list("statement", GOOD_ELEMENTS + BAD_ELEMENTS)
    if len(set(statement)) != len(statement):
        raise ScenarioError(f"{where}: 'statement' lists an element twice.")
    return Choice(
        id=str(get.text("id")),
        text=get.text("text"),
        minutes=get.number("minutes", 0, 24 * 60),
        posture=get.one_of("posture", POSTURES),
        statement=tuple(statement),
        next=get.text("next"),
        feedback=get.text("feedback"),
    )


def _check_graph(scenario: Scenario, where: str) -> None:
    """Every `next` exists, time moves forward, and every path ends in time."""
    if scenario.start not in scenario.injects:
        raise ScenarioError(f"{where}: start {scenario.start!r} is not an inject id.")
    for inject in scenario.injects.values():
        for choice in inject.choices:
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


@dataclass(frozen=True)
class Score:
    speed: int
    fit: int
    statement: int
    first_statement_minute: float | None
    steps: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return self.speed + self.fit + self.statement


def score_path(scenario: Scenario, choice_ids) -> Score:
    """Speed, SCCT fit and holding-statement points for a complete path."""
    clock, first, statement, steps = 0.0, None, 0, []
    fits, first_fits = [], True
    for inject, choice in walk(scenario, choice_ids):
        clock = max(clock, inject.minute) + choice.minutes
        if choice.public and first is None:
            first, statement = clock, _statement_points(choice.statement)
            first_fits = _fit_points(scenario, choice.posture) >= 0
        if choice.posture != "none":
            fits.append(_fit_points(scenario, choice.posture))
        steps.append(
            {
                "inject": inject.id,
                "choice": choice.id,
                "minute": clock,
                "feedback": choice.feedback,
            }
        )
    speed = _speed_points(first)
    if first is not None and (statement == 0 or not first_fits):
        speed = min(speed, 5)  # fast, but not a holding statement
    return Score(
        speed=speed,
        fit=max(0, round(sum(fits) / len(fits))) if fits else 0,
        statement=statement,
        first_statement_minute=first,
        steps=tuple(steps),
    )


def _speed_points(first: float | None) -> int:
    if first is None:
        return 0
    return 40 if first <= 15 else 25 if first <= 60 else 5


def _fit_points(scenario: Scenario, posture: str) -> int:
    if posture == scenario.recommended_posture:
        return 30
    if posture == "deny":
        return 0 if scenario.cluster == "victim" else -30
    wanted = ACCOMMODATION.get(scenario.recommended_posture, 0)
    return 20 if ACCOMMODATION[posture] > wanted else 0


def _statement_points(elements: tuple[str, ...]) -> int:
    good = sum(6 for e in elements if e in GOOD_ELEMENTS)
    bad = sum(10 for e in elements if e in BAD_ELEMENTS)
    return max(0, min(30, good - bad))


def best_path(scenario: Scenario) -> tuple[tuple[str, ...], Score]:
    """The highest-scoring path (the first of equals, in file order)."""
    scored = [(path, score_path(scenario, path)) for path in all_paths(scenario)]
    return max(scored, key=lambda item: item[1].total)


class Drill:
    """One team's run through a scenario, decision by decision."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.path: list[str] = []
        self._at = scenario.start
        self.clock = scenario.injects[scenario.start].minute

    @property
    def finished(self) -> bool:
        return self._at == END

    @property
    def current(self) -> Inject | None:
        return None if self.finished else self.scenario.injects[self._at]

    def choose(self, choice_id: str) -> Choice:
        """Take a choice at the current inject; the clock moves on."""
        if self.finished:
            raise ValueError("The drill is over; start a new one to play again.")
        inject = self.current
        choice = inject.choice(choice_id)
        self.clock = max(self.clock, inject.minute) + choice.minutes
        self.path.append(choice_id)
        self._at = choice.next
        if not self.finished:
            self.clock = max(self.clock, self.current.minute)
        return choice

    def score(self) -> Score:
        if not self.finished:
            raise ValueError("Score the drill once it has reached the end.")
        return score_path(self.scenario, self.path)
