"""Golden-hour drill scenarios: the file format, loading and validation.

A scenario is a YAML file in `smm_playbook/scenarios/`: timed injects with two to
four choices each, an SCCT reading (cluster, crisis type, intensifiers and the
recommended posture, which must agree with `recommended_posture`), and optionally
a drafting step. The format is the pydantic model below: `Scenario`, and the
`Inject`, `Choice` and `Draft` it holds. Each field declares its type, allowed
values and range; the rules that tie fields together (ids, references, the clock,
promises, every path from start to end) are the models' validators. A file that
breaks any of them is refused with a `ScenarioError`, one line per problem, each
naming the file and the field path, such as

    glass-in-the-bottle.yaml: injects[3].choices[1].rating: must be one of
    ['sound', 'defensible', 'weak', 'harmful'], not 'great' (inject 'wechat-leak',
    choice 'b').

Scoring and the drill engine are in `smm_playbook.sim.tabletop`, which re-exports
everything here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
    model_validator,
)

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
MIN_CHOICES, MAX_CHOICES = 2, 4
PASS_MARK = 70
END = "end"
SCENARIO_DIR = Path(__file__).resolve().parents[1] / "scenarios"
DAY = 24 * 60  # minutes: every minute in a file lies between 0 and DAY
MAX_PROBLEMS = 12  # lines in one ScenarioError; the rest are counted


class ScenarioError(ValueError):
    """A scenario file is missing, malformed or inconsistent."""


# --- Field types: what one value may be ---------------------------------------------


def _one_of(allowed: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {list(allowed)}, not {value!r}")
        return value

    return AfterValidator(check)


def _between(low: float, high: float) -> AfterValidator:
    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(f"is {value:g}; it must be from {low:g} to {high:g}")
        return value

    return AfterValidator(check)


def _none_is_empty(value: Any) -> Any:
    return () if value is None else value


def _list_of_length(low: int, high: int | None, what: str) -> BeforeValidator:
    """Count a list before its items are checked, so the message gives the count."""

    def check(value: Any) -> Any:
        if isinstance(value, list) and not low <= len(value) <= (high or len(value)):
            count = f"{low} to {high}" if high else f"at least {low}"
            raise ValueError(f"needs {count} {what}, not {len(value)}")
        return value

    return BeforeValidator(check)


def _is_clock(text: str) -> bool:
    parts = text.split(":")
    return (
        len(parts) == 2
        and all(p.isdigit() for p in parts)
        and int(parts[0]) < 24
        and int(parts[1]) < 60
    )


def _clock(value: Any) -> str:
    if isinstance(value, str) and _is_clock(value):
        return value
    hint = "" if isinstance(value, str) else " (unquoted, YAML reads 14:00 as a number)"
    raise ValueError(f'must be a time in quotes, such as "14:00", not {value!r}{hint}')


def _element_name(value: str) -> str:
    if value not in GOOD_ELEMENTS + BAD_ELEMENTS:
        raise ValueError(
            f"{value!r} is not a statement element; use one of "
            f"{list(GOOD_ELEMENTS + BAD_ELEMENTS)}"
        )
    return value


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"{pattern!r} is not a valid pattern: {error}") from None
    return pattern


Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]
Minute = Annotated[float, Strict(), _between(0, DAY)]
# whole seconds, as the old files wrote them; a fraction is dropped
Seconds = Annotated[float, Strict(), _between(30, 900), AfterValidator(int)]
Flag = Annotated[bool, Strict()]
Cluster = Annotated[Text, _one_of(CLUSTERS)]
CrisisType = Annotated[Text, _one_of(tuple(CRISIS_TYPES))]
Posture = Annotated[Text, _one_of(POSTURES)]
PublicPosture = Annotated[Text, _one_of(POSTURES[1:])]  # a statement, not silence
Rating = Annotated[Text, _one_of(tuple(RATINGS))]
Element = Annotated[str, Strict(), _one_of(GOOD_ELEMENTS + BAD_ELEMENTS)]
Elements = Annotated[tuple[Element, ...], BeforeValidator(_none_is_empty)]
Intensifier = Annotated[str, Strict(), _one_of(INTENSIFIERS)]
Intensifiers = Annotated[tuple[Intensifier, ...], BeforeValidator(_none_is_empty)]
Clock = Annotated[str, BeforeValidator(_clock)]
Pattern = Annotated[str, BeforeValidator(str), AfterValidator(_compiles)]
Patterns = Annotated[tuple[Pattern, ...], _list_of_length(1, None, "pattern(s)")]
Criterion = Annotated[str, Strict(), AfterValidator(_element_name)]


class _Problems(ValueError):
    """What a model's validator found, each with the path of the field it is about
    (relative to that model), so the message can name the field."""

    def __init__(self, problems: list[tuple[tuple[str | int, ...], str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def _refuse(problems: list[tuple[tuple[str | int, ...], str]]) -> None:
    if problems:
        raise _Problems(problems)


# --- The model ---------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", protected_namespaces=())


class Choice(_Model):
    id: Text
    text: Text
    minutes: Minute
    posture: Posture
    statement: Elements = ()
    next: Text
    feedback: Text
    rating: Rating
    promise: Minute | None = None  # scenario minute by which the next update is due

    @property
    def public(self) -> bool:
        return self.posture != "none" or bool(self.statement)

    @model_validator(mode="after")
    def _statement_rules(self) -> Choice:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        twice = sorted({e for e in self.statement if self.statement.count(e) > 1})
        if twice:
            problems.append((("statement",), f"lists {twice} more than once"))
        if self.promise is not None and "next_update" not in self.statement:
            problems.append(
                (
                    ("promise",),
                    "a choice with a promise must list next_update in its "
                    "statement: the promise is the time of the next update",
                )
            )
        _refuse(problems)
        return self


class Draft(_Model):
    """A drafting step: the team writes the statement instead of choosing one.

    The words are checked against `criteria` (statement element → regular
    expressions, English and Chinese). The check only finds elements; it never
    says a text is right, so a draft earns at most a "defensible" step and is
    flagged for the trainer to review, as every written answer in the course is.
    """

    prompt: Text
    posture: PublicPosture
    minutes: Minute
    criteria: dict[Criterion, Patterns]
    model_answer: Text
    promise: Minute | None = None

    def elements(self, text: str) -> tuple[str, ...]:
        """The statement elements whose patterns occur in `text`."""
        return tuple(
            name
            for name, patterns in self.criteria.items()
            if any(re.search(p, text, flags=re.IGNORECASE) for p in patterns)
        )

    @model_validator(mode="after")
    def _model_answer_meets_the_criteria(self) -> Draft:
        found = set(self.elements(self.model_answer))
        missing = [e for e in GOOD_ELEMENTS if e in self.criteria and e not in found]
        flagged = [e for e in BAD_ELEMENTS if e in found]
        if missing or flagged:
            _refuse(
                [
                    (
                        ("model_answer",),
                        "the model answer must meet its own criteria (missing "
                        f"{missing}, flagged {flagged})",
                    )
                ]
            )
        return self


class Inject(_Model):
    id: Text
    minute: Minute
    channel: Text
    text: Text
    decision_seconds: Seconds
    question: Text
    choices: Annotated[
        tuple[Choice, ...], _list_of_length(MIN_CHOICES, MAX_CHOICES, "choices")
    ]
    public_owed: Flag = False  # Tier 3/4: staying silent here costs the step
    draft: Draft | None = None  # optional: write the statement instead of choosing

    def choice(self, choice_id: str) -> Choice:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        raise ValueError(
            f"Inject {self.id!r} has no choice {choice_id!r}; "
            f"choose one of {[c.id for c in self.choices]}."
        )

    @model_validator(mode="after")
    def _choices_fit_together(self) -> Inject:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        first: dict[str, int] = {}
        for n, choice in enumerate(self.choices):
            if choice.id in first:
                problems.append(
                    (
                        ("choices", n, "id"),
                        f"two choices share the id {choice.id!r}: "
                        f"choices[{first[choice.id]}] and this one",
                    )
                )
            first.setdefault(choice.id, n)
        if self.draft is not None and len({c.next for c in self.choices}) != 1:
            problems.append(
                (
                    ("draft",),
                    "every choice of a drafting inject must lead to the same inject",
                )
            )
        _refuse(problems)
        return self


class Scenario(_Model):
    id: Text
    title: Text
    cluster: Cluster
    crisis_type: CrisisType
    intensifiers: Intensifiers = ()
    recommended_posture: PublicPosture
    summary: Text
    debrief: Text
    start: Text
    # the file's list, in order; `injects` is the same keyed by id
    inject_list: tuple[Inject, ...] = Field(alias="injects")
    clock_start: Clock = "00:00"  # wall-clock time at scenario minute 0

    @cached_property
    def injects(self) -> dict[str, Inject]:
        return {inject.id: inject for inject in self.inject_list}

    @property
    def denial_fits(self) -> bool:
        """Coombs: deny only a rumour or an unwarranted challenge."""
        return self.crisis_type in DENIAL_FITS

    def wall_clock(self, minute: float) -> str:
        hours, minutes = (int(part) for part in self.clock_start.split(":"))
        total = (hours * 60 + minutes + int(round(minute))) % (24 * 60)
        return f"{total // 60:02d}:{total % 60:02d}"

    @model_validator(mode="after")
    def _fits_scct_and_every_path_ends(self) -> Scenario:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        if CRISIS_TYPES[self.crisis_type] != self.cluster:
            problems.append(
                (
                    ("crisis_type",),
                    f"a {self.crisis_type!r} crisis belongs to the "
                    f"{CRISIS_TYPES[self.crisis_type]!r} cluster, not {self.cluster!r}",
                )
            )
        expected = recommended_posture(self.cluster, len(self.intensifiers))
        if self.recommended_posture != expected:
            article = "an" if self.cluster[0] in "aeiou" else "a"
            problems.append(
                (
                    ("recommended_posture",),
                    f"SCCT recommends {expected!r} for {article} {self.cluster} "
                    "crisis with "
                    f"{len(self.intensifiers)} intensifier(s), not "
                    f"{self.recommended_posture!r}",
                )
            )
        first: dict[str, int] = {}
        for n, inject in enumerate(self.inject_list):
            if inject.id in first:
                problems.append(
                    (
                        ("injects", n, "id"),
                        f"two injects have the id {inject.id!r}: "
                        f"injects[{first[inject.id]}] and this one",
                    )
                )
            first.setdefault(inject.id, n)
        _refuse(problems)
        _check_graph(self)
        return self


def _check_graph(scenario: Scenario) -> None:
    """Every `next` exists, time moves forward, promises lie ahead, and every path
    ends in time and every inject is on one."""
    index = {inject.id: n for n, inject in enumerate(scenario.inject_list)}
    problems: list[tuple[tuple[str | int, ...], str]] = []
    if scenario.start not in index:
        problems.append(
            (
                ("start",),
                f"{scenario.start!r} is not an inject id; use one of {list(index)}",
            )
        )
    for n, inject in enumerate(scenario.inject_list):
        for m, choice in enumerate(inject.choices):
            at = ("injects", n, "choices", m)
            if choice.promise is not None and choice.promise <= inject.minute:
                problems.append(
                    (
                        (*at, "promise"),
                        f"promises an update at minute {choice.promise:g}, which has "
                        f"passed: the inject is at minute {inject.minute:g}",
                    )
                )
            if choice.next == END:
                continue
            if choice.next not in index:
                problems.append(
                    (
                        (*at, "next"),
                        f"{choice.next!r} is neither an inject id nor {END!r}",
                    )
                )
            elif scenario.injects[choice.next].minute <= inject.minute:
                later = scenario.injects[choice.next].minute
                problems.append(
                    (
                        (*at, "next"),
                        f"leads back in time from minute {inject.minute:g} to "
                        f"{choice.next!r} at minute {later:g}; the clock must move "
                        "forward",
                    )
                )
    _refuse(problems)  # paths can be followed only once every step leads on
    reachable = {scenario.start}
    for path in all_paths(scenario):
        steps = walk(scenario, path)
        if not MIN_INJECTS <= len(path) <= MAX_DECISIONS:
            last, choice = steps[-1]
            at = ("injects", index[last.id], "choices", last.choices.index(choice))
            problems.append(
                (
                    (*at, "next"),
                    f"the path {'→'.join(path)} has {len(path)} decision(s); every "
                    f"path needs {MIN_INJECTS} to {MAX_DECISIONS}",
                )
            )
        reachable.update(inject.id for inject, _ in steps)
    for inject_id in index:
        if inject_id not in reachable:
            problems.append((("injects", index[inject_id]), "no path reaches it"))
    _refuse(problems)


# --- Loading, and messages that name the file and the field -----------------------


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
            f"{path.name}: id: {scenario.id!r} must match the file name "
            f"({path.stem!r})."
        )
    return scenario


def parse_scenario(data: Any, where: str = "scenario") -> Scenario:
    """A Scenario from parsed YAML, or a ScenarioError whose lines each name
    `where` (the file) and the field that is wrong."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(_report(error, data, where)) from None


def _report(error: ValidationError, data: Any, where: str) -> str:
    lines: list[str] = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        cause = (detail.get("ctx") or {}).get("error")
        if isinstance(cause, _Problems):
            found = [((*loc, *at), message) for at, message in cause.problems]
        else:
            found = [(loc, _explain(dict(detail), loc))]
        for at, message in found:
            line = _line(where, at, message, data)
            if line not in lines:
                lines.append(line)
    if len(lines) > MAX_PROBLEMS:
        more = len(lines) - MAX_PROBLEMS
        lines = [*lines[:MAX_PROBLEMS], f"{where}: … and {more} more problem(s)."]
    return "\n".join(lines)


def _line(where: str, loc: tuple, message: str, data: Any) -> str:
    path = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a mapping's key
            continue
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else part
    text = f"{where}: {path}: {message}" if path else f"{where}: {message}"
    ids = _ids_on(loc, data)
    return text.rstrip(".") + (f" ({', '.join(ids)})" if ids else "") + "."


def _ids_on(loc: tuple, data: Any) -> list[str]:
    """The ids of the inject and choice a path runs through, as the author knows
    them, since injects[3] means counting."""
    ids, node, parent = [], data, None
    for part in loc:
        if not isinstance(node, (dict, list)):
            break
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        noun = {"injects": "inject", "choices": "choice"}.get(str(parent))
        if noun and isinstance(part, int) and isinstance(node, dict):
            name = node.get("id")
            if isinstance(name, str) and name.strip():
                ids.append(f"{noun} {name.strip()!r}")
        parent = part
    return ids


_NOUNS: dict[str, tuple[str, type[BaseModel]]] = {
    "injects": ("an inject", Inject),
    "choices": ("a choice", Choice),
    "draft": ("a draft", Draft),
}


def _kind(value: Any) -> str:
    """A value's type in the words of YAML."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) <= 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _explain(detail: dict[str, Any], loc: tuple) -> str:
    """One pydantic error in plain words, to follow the field's path."""
    kind, value = detail["type"], detail.get("input")
    cause = (detail.get("ctx") or {}).get("error")
    words: dict[str, Callable[[], str]] = {
        "missing": lambda: "this field is missing",
        "string_type": lambda: f"must be text, not {_kind(value)}",
        "string_too_short": lambda: "is empty",
        "float_type": lambda: f"must be a number, not {_kind(value)}",
        "int_type": lambda: f"must be a whole number, not {_kind(value)}",
        "bool_type": lambda: f"must be true or false, not {_kind(value)}",
        "tuple_type": lambda: f"must be a list, not {_kind(value)}",
        "list_type": lambda: f"must be a list, not {_kind(value)}",
        "dict_type": lambda: f"must be a mapping, not {_kind(value)}",
        "model_type": lambda: f"must be a mapping of fields, not {_kind(value)}",
        "model_attributes_type": lambda: (
            f"must be a mapping of fields, not {_kind(value)}"
        ),
        "value_error": lambda: str(cause),
    }
    if kind == "extra_forbidden":
        owner = next(
            (
                _NOUNS[p]
                for p in reversed(loc[:-1])
                if isinstance(p, str) and p in _NOUNS
            ),
            ("a scenario", Scenario),
        )
        fields = [f.alias or name for name, f in owner[1].model_fields.items()]
        return f"is not a field of {owner[0]}; its fields are {', '.join(fields)}"
    if kind in ("model_type", "model_attributes_type") and not loc:
        return f"the file must hold a mapping of fields, not {_kind(value)}"
    if kind in words:
        return words[kind]()
    message = str(detail.get("msg", kind))
    return message[:1].lower() + message[1:]


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


def walk(scenario: Scenario, choice_ids: Iterable[str]) -> list[tuple[Inject, Choice]]:
    """The (inject, choice) steps of a path; the path must run to the end."""
    steps: list[tuple[Inject, Choice]] = []
    inject_id = scenario.start
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
