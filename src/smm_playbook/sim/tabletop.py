"""The golden-hour tabletop drill: scenario files, a drill engine and its scoring.

A scenario is a YAML file in `smm_playbook/scenarios/`: timed injects (a post goes
viral, a journalist calls, an employee leaks) with two to four choices each. A
choice takes scenario minutes, may publish a statement (a posture and the elements
it contains), may promise the next update by a set minute, and leads to the next
inject or to the end. Loading and validation live in `tabletop_scenarios`; this
module re-exports them, so `from smm_playbook.sim.tabletop import ...` is enough.

Scoring is deterministic, out of 100, and every inject counts:

- decisions, 60: each step scores 0-3 points. The start is the choice's rating in
  the file (sound 3, defensible 2, weak 1, harmful 0), which the rules below can
  only lower, so a well-rated choice cannot hide a broken rule:
  * silence (no public word) at an inject marked `public_owed` scores 0: a Tier 3
    or Tier 4 moment in which people are waiting for the brand;
  * denial scores 0 unless the crisis is a rumour or an unwarranted challenge
    (Coombs 2007, guideline 10);
  * a statement with speculation, blame or an uncleared admission scores at most 1,
    and so does a posture less accommodating than the recommended one, or one that
    mixes denial with diminish or rebuild strategies (guideline 11);
  * letting a promised update time pass with no public word scores 0 (1 if the
    late update comes in this step);
  the 60 points are the path's share of the 3 points its injects could earn.
- golden hour, 20: the first public statement, if it is a holding statement
  (a posture that fits, at least three good elements, no bad ones), at 15
  minutes or less 20, within 60 minutes 12, later 4; never, or not a holding
  statement, 0.
- the holding statement, 20: the first public statement earns 4 for each of
  acknowledges, concern, actions, next_update, instructions and loses 8 for each
  of speculation, blame, legal_admission, kept between 0 and 20.

A path passes at `PASS_MARK`. Tests prove that the naive strategies (always the
first, the last, the longest or the shortest option, or always the first one that
speaks in public) stay below it in every scenario, that always apologising fails
every scenario that is not a rebuild case, and that the best path, computed from
these rules, is made of sound steps only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from smm_playbook.sim.tabletop_scenarios import (  # re-exported: one import for users
    ACCOMMODATION,
    BAD_ELEMENTS,
    CRISIS_TYPES,
    DENIAL_FITS,
    END,
    GOOD_ELEMENTS,
    INTENSIFIERS,
    MAX_DECISIONS,
    MIN_INJECTS,
    PASS_MARK,
    RATINGS,
    SCENARIO_DIR,
    Choice,
    Draft,
    Inject,
    Scenario,
    ScenarioError,
    all_paths,
    load_scenario,
    parse_scenario,
    scenario_ids,
    walk,
)

__all__ = [
    "ACCOMMODATION",
    "BAD_ELEMENTS",
    "CRISIS_TYPES",
    "DENIAL_FITS",
    "END",
    "GOOD_ELEMENTS",
    "INTENSIFIERS",
    "MAX_DECISIONS",
    "MIN_INJECTS",
    "PASS_MARK",
    "RATINGS",
    "SCENARIO_DIR",
    "Choice",
    "Draft",
    "Inject",
    "Scenario",
    "ScenarioError",
    "all_paths",
    "load_scenario",
    "parse_scenario",
    "scenario_ids",
    "walk",
    "Step",
    "Score",
    "score_path",
    "score_steps",
    "best_path",
    "strategy_path",
    "NAIVE_STRATEGIES",
    "apologise_whenever_possible",
    "naive_scores",
    "Drill",
]


@dataclass(frozen=True)
class Step:
    """One decision on a path, with the points it earned and why."""

    inject: str
    choice: str
    minute: float  # scenario minute when the choice is done
    points: int  # 0-3
    reason: str  # the rule that set the points, in the learner's terms
    feedback: str


@dataclass(frozen=True)
class Score:
    decisions: int
    golden_hour: int
    statement: int
    first_statement_minute: float | None
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return self.decisions + self.golden_hour + self.statement

    @property
    def passed(self) -> bool:
        return self.total >= PASS_MARK


def score_path(scenario: Scenario, choice_ids: Iterable[str]) -> Score:
    """Decision, golden-hour and holding-statement points for a complete path."""
    return score_steps(scenario, walk(scenario, choice_ids))


def score_steps(scenario: Scenario, taken: Iterable[tuple[Inject, Choice]]) -> Score:
    """Score (inject, choice) steps, including drafted statements."""
    clock = 0.0
    first: float | None = None  # the minute of the first public statement
    first_choice: Choice | None = None
    steps: list[Step] = []
    postures: list[str] = []
    due: float | None = None  # the promised time of the next update
    for inject, choice in taken:
        clock = max(clock, inject.minute) + choice.minutes
        points, reason = _step_points(scenario, inject, choice, postures, due, clock)
        if choice.public:
            if first is None:
                first, first_choice = clock, choice
            if due is not None and clock <= due:
                due = None  # the promise is kept
            postures.append(choice.posture)
        if due is not None and clock > due:
            due = None  # broken, and charged to this step
        if choice.promise is not None:
            due = choice.promise
        steps.append(Step(inject.id, choice.id, clock, points, reason, choice.feedback))
    earned = sum(step.points for step in steps)
    return Score(
        decisions=round(60 * earned / (3 * len(steps))),
        golden_hour=_golden_hour_points(scenario, first, first_choice),
        statement=_statement_points(first_choice.statement) if first_choice else 0,
        first_statement_minute=first,
        steps=tuple(steps),
    )


def _step_points(
    scenario: Scenario,
    inject: Inject,
    choice: Choice,
    postures: list[str],
    due: float | None,
    clock: float,
) -> tuple[int, str]:
    """The choice's rating, lowered by the first rule it breaks."""
    rating = RATINGS[choice.rating]
    if due is not None and clock > due:
        when = scenario.wall_clock(due)
        if not choice.public:
            return 0, f"the update promised for {when} never came"
        return min(rating, 1), f"the update promised for {when} came late"
    if inject.public_owed and not choice.public:
        return 0, "silence when a public word was owed (Tier 3 or 4)"
    if choice.posture == "deny" and not scenario.denial_fits:
        return 0, "denial, outside a rumour or an unwarranted challenge"
    if choice.public and any(e in BAD_ELEMENTS for e in choice.statement):
        return min(rating, 1), "speculation, blame or an uncleared admission"
    if choice.public and _mixes_denial(choice.posture, postures):
        return min(rating, 1), "mixes denial with diminish or rebuild strategies"
    if choice.public and not _fits(scenario, choice.posture):
        return min(rating, 1), "a posture less accommodating than SCCT recommends"
    return rating, f"rated {choice.rating}"


def _fits(scenario: Scenario, posture: str) -> bool:
    """A posture fits if it is at least as accommodating as SCCT recommends, or
    is a denial where denial can fit; a public word with no posture is no fit."""
    if posture == "deny":
        return scenario.denial_fits
    if posture == "none":
        return False
    wanted = ACCOMMODATION[scenario.recommended_posture]
    return ACCOMMODATION[posture] >= wanted


def _mixes_denial(posture: str, earlier: list[str]) -> bool:
    accommodating = {"diminish", "rebuild"}
    if posture == "deny":
        return any(p in accommodating for p in earlier)
    return posture in accommodating and "deny" in earlier


def _golden_hour_points(
    scenario: Scenario, first: float | None, choice: Choice | None
) -> int:
    if first is None or choice is None or not _is_holding_statement(scenario, choice):
        return 0
    return 20 if first <= 15 else 12 if first <= 60 else 4


def _is_holding_statement(scenario: Scenario, choice: Choice) -> bool:
    good = sum(e in GOOD_ELEMENTS for e in choice.statement)
    bad = any(e in BAD_ELEMENTS for e in choice.statement)
    return _fits(scenario, choice.posture) and good >= 3 and not bad


def _statement_points(elements: tuple[str, ...]) -> int:
    good = sum(4 for e in elements if e in GOOD_ELEMENTS)
    bad = sum(8 for e in elements if e in BAD_ELEMENTS)
    return max(0, min(20, good - bad))


def best_path(scenario: Scenario) -> tuple[tuple[str, ...], Score]:
    """The highest-scoring path (the first of equals, in file order)."""
    scored = [(path, score_path(scenario, path)) for path in all_paths(scenario)]
    return max(scored, key=lambda item: item[1].total)


def strategy_path(
    scenario: Scenario, pick: Callable[[tuple[Choice, ...]], Choice]
) -> tuple[str, ...]:
    """The path a fixed rule takes, `pick(choices) -> choice` at every inject:
    used to show that no rule without judgement passes."""
    path: list[str] = []
    inject_id = scenario.start

    while inject_id != END:
        choice = pick(scenario.injects[inject_id].choices)
        path.append(choice.id)
        inject_id = choice.next
    return tuple(path)


NAIVE_STRATEGIES = {
    "always the first option": lambda choices: choices[0],
    "always the last option": lambda choices: choices[-1],
    "always the longest option": lambda choices: max(
        choices, key=lambda c: len(c.text)
    ),
    "always the shortest option": lambda choices: min(
        choices, key=lambda c: len(c.text)
    ),
    "always speak in public at once": lambda choices: next(
        (c for c in choices if c.public), choices[0]
    ),
}


def apologise_whenever_possible(choices: tuple[Choice, ...]) -> Choice:
    """The rule "always the option that apologises": right only in rebuild cases."""
    return next((c for c in choices if c.posture == "rebuild"), choices[0])


def naive_scores(scenario: Scenario) -> dict[str, int]:
    """What each rule of thumb in `NAIVE_STRATEGIES` scores in a scenario."""
    return {
        name: score_path(scenario, strategy_path(scenario, pick)).total
        for name, pick in NAIVE_STRATEGIES.items()
    }


class Drill:
    """One team's run through a scenario, decision by decision."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.path: list[str] = []
        self.taken: list[tuple[Inject, Choice]] = []
        self._at = scenario.start
        self.clock = scenario.injects[scenario.start].minute

    @property
    def finished(self) -> bool:
        return self._at == END

    @property
    def current(self) -> Inject | None:
        return None if self.finished else self.scenario.injects[self._at]

    def _now(self) -> Inject:
        """The current inject of a drill that is not over."""
        inject = self.current
        if inject is None:
            raise ValueError("The drill is over; start a new one to play again.")
        return inject

    def choose(self, choice_id: str) -> Choice:
        """Take a choice at the current inject; the clock moves on."""
        if self.finished:
            raise ValueError("The drill is over; start a new one to play again.")
        return self._take(self._now().choice(choice_id))

    def write(self, text: str) -> tuple[Choice, dict[str, tuple[str, ...]]]:
        """Draft the statement at a drafting inject. Returns the step taken and
        what the check found: `found` and `missing` elements and `flagged` ones
        (speculation, blame, an admission). Never a verdict of "correct"."""
        if self.finished:
            raise ValueError("The drill is over; start a new one to play again.")
        inject = self._now()
        draft = inject.draft
        if draft is None:
            raise ValueError(f"Inject {inject.id!r} is not a drafting step.")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("Write the statement as text before submitting it.")
        found = draft.elements(text)
        check = {
            "found": tuple(e for e in GOOD_ELEMENTS if e in found),
            "missing": tuple(
                e for e in GOOD_ELEMENTS if e in draft.criteria and e not in found
            ),
            "flagged": tuple(e for e in BAD_ELEMENTS if e in found),
        }
        choice = Choice(
            id="draft",
            text=text.strip(),
            minutes=draft.minutes,
            posture=draft.posture,
            statement=found,
            next=inject.choices[0].next,
            feedback=_draft_feedback(check),
            rating="defensible",  # written words are reviewed, never marked right
            promise=draft.promise if "next_update" in found else None,
        )
        return self._take(choice), check

    def _take(self, choice: Choice) -> Choice:
        inject = self._now()
        self.clock = max(self.clock, inject.minute) + choice.minutes
        self.path.append(choice.id)
        self.taken.append((inject, choice))
        self._at = choice.next
        if not self.finished:
            self.clock = max(self.clock, self._now().minute)
        return choice

    def score(self) -> Score:
        if not self.finished:
            raise ValueError("Score the drill once it has reached the end.")
        return score_steps(self.scenario, self.taken)


def _draft_feedback(check: dict[str, tuple[str, ...]]) -> str:
    words = {
        "acknowledges": "an acknowledgement",
        "concern": "concern",
        "actions": "what you have done",
        "instructions": "what people should do",
        "next_update": "the time of the next update",
        "speculation": "speculation",
        "blame": "blame",
        "legal_admission": "an admission legal has not cleared",
    }
    found = ", ".join(words[e] for e in check["found"]) or "none of the elements"
    parts = [f"Provisional check of your draft. Found: {found}."]
    if check["missing"]:
        parts.append(
            "Not found: " + ", ".join(words[e] for e in check["missing"]) + "."
        )
    if check["flagged"]:
        parts.append("Take out: " + ", ".join(words[e] for e in check["flagged"]) + ".")
    parts.append("A pattern check cannot judge the wording: your trainer reviews it.")
    return " ".join(parts)
