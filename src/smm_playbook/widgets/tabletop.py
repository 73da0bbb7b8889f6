"""Views for the golden-hour drill: a self-study player and a trainer's room mode.

Self-study (`drill_app`): one learner, every option in full with a button to choose
it, feedback after each decision, the score and the best path at the end.

Room mode (`trainer_app`): the projector shows the inject and every option in full,
in large type, once for all the teams that are at it, and one column per team with
its choice and history. The trainer presses Reveal once the room has read the
inject: the countdown runs (in the browser, so it keeps time even while Python is
busy) and each team's letter is set in its menu. Lock in applies every team's
choice (once all have one) and shows what it led to; after the last decision the
debrief compares the teams' scores with the best path and explains the case in
SCCT terms. The scenario's SCCT reading stays hidden until then.
"""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from smm_playbook.sim.tabletop import (
    PASS_MARK,
    Choice,
    Drill,
    Inject,
    Scenario,
    best_path,
    load_scenario,
    walk,
)


def _inject_html(inject: Inject, clock: float, scenario: Scenario) -> str:
    return (
        f"<p><b>{scenario.wall_clock(clock)} (minute {clock:.0f}) · "
        f"{html.escape(inject.channel)}</b></p>"
        f"<blockquote>{html.escape(inject.text)}</blockquote>"
        f"<p><b>{html.escape(inject.question)}</b></p>"
    )


def _options_html(inject: Inject, size: str = "1em") -> str:
    """Every option in full, lettered: nothing is cut, on a screen or a projector."""
    items = "".join(
        f"<li style='margin-bottom:0.5em'><b>{html.escape(c.id)})</b> "
        f"{html.escape(c.text)}</li>"
        for c in inject.choices
    )
    return f"<ul style='list-style:none;padding-left:0;font-size:{size}'>{items}</ul>"


def _consequence_html(choice: Choice) -> str:
    return f"<p><i>{html.escape(choice.text)}</i><br>{html.escape(choice.feedback)}</p>"


def _score_html(drill: Drill) -> str:
    score = drill.score()
    first = score.first_statement_minute
    when = (
        "no public statement"
        if first is None
        else f"first statement at {drill.scenario.wall_clock(first)}"
    )
    verdict = "passed" if score.passed else f"below the pass mark of {PASS_MARK}"
    steps = "".join(
        f"<li>{html.escape(step.inject)} → {html.escape(step.choice)}: "
        f"{step.points}/3, {html.escape(step.reason)}</li>"
        for step in score.steps
    )
    return (
        f"<h4>Score {score.total}/100 ({verdict})</h4>"
        f"<p>Decisions {score.decisions}/60 · golden hour {score.golden_hour}/20 "
        f"({when}) · holding statement {score.statement}/20</p><ol>{steps}</ol>"
    )


def _best_html(scenario: Scenario) -> str:
    """The SCCT reading of the case and the best path: shown only at the end."""
    path, score = best_path(scenario)
    steps = "".join(
        f"<li>{html.escape(inject.question)} → {html.escape(choice.text)}</li>"
        for inject, choice in walk(scenario, path)
    )
    return (
        f"<h4>Debrief</h4><p>{html.escape(scenario.debrief)}</p>"
        f"<h4>The best path scores {score.total}</h4><ol>{steps}</ol>"
    )


def _header_html(scenario: Scenario) -> str:
    return (
        f"<h3>{html.escape(scenario.title)}</h3><p>{html.escape(scenario.summary)}</p>"
    )


class DrillApp:
    """Self-study: the current inject, one button per choice, feedback as you go."""

    def __init__(self, scenario_id: str = "glass-in-the-bottle") -> None:
        self.scenario = load_scenario(scenario_id)
        self.drill = Drill(self.scenario)
        self.log = w.HTML()
        self.stage = w.HTML()
        self.buttons = w.VBox()
        self.draft_text = w.Textarea(
            placeholder="Write your statement here",
            layout=w.Layout(width="100%", height="8em"),
        )
        self.submit = w.Button(description="Submit my draft", icon="pencil")
        self.submit.on_click(lambda _: self.write(self.draft_text.value))
        self.draft_box = w.VBox([self.draft_text, self.submit])
        self.restart = w.Button(description="Start again", icon="refresh")
        self.restart.on_click(self._restart)
        self._show()
        self.widget = w.VBox(
            [
                w.HTML(_header_html(self.scenario)),
                self.log,
                self.stage,
                self.draft_box,
                self.buttons,
                self.restart,
            ]
        )

    def _show(self) -> None:
        inject = self.drill.current
        if inject is None:  # the drill is over
            self.stage.value = _score_html(self.drill) + _best_html(self.scenario)
            self.buttons.children = ()
            self.draft_box.layout.display = "none"
            return
        self.stage.value = _inject_html(inject, self.drill.clock, self.scenario)
        draft = inject.draft
        self.draft_box.layout.display = None if draft else "none"
        if draft:
            self.stage.value += f"<p><i>{html.escape(draft.prompt)}</i></p>"
            self.draft_text.value = ""
        self.buttons.children = tuple(self._option(choice) for choice in inject.choices)

    def _option(self, choice: Choice) -> w.HBox:
        """The option in full beside its button: a button label would be cut."""
        button = w.Button(
            description=f"Choose {choice.id}", layout=w.Layout(width="8em")
        )
        button.on_click(lambda _: self.choose(choice.id))
        text = w.HTML(
            f"<b>{html.escape(choice.id)})</b> {html.escape(choice.text)}",
            layout=w.Layout(width="100%"),
        )
        return w.HBox([button, text], layout=w.Layout(align_items="center"))

    def choose(self, choice_id: str) -> None:
        choice = self.drill.choose(choice_id)
        self.log.value += _consequence_html(choice)
        self._show()

    def write(self, text: str) -> None:
        """Submit a drafted statement: the check lists what it found, no verdict."""
        try:
            choice, _ = self.drill.write(text)
        except ValueError as error:
            self.stage.value += f"<p><b>{html.escape(str(error))}</b></p>"
            return
        self.log.value += _consequence_html(choice)
        self._show()

    def _restart(self, _: object = None) -> None:
        self.drill = Drill(self.scenario)
        self.log.value = ""
        self._show()


class TrainerApp:
    """Room mode: one column per team, a shared countdown, reveal and lock in."""

    def __init__(
        self, scenario_id: str = "glass-in-the-bottle", teams: int = 4
    ) -> None:
        if not 1 <= teams <= 8:
            raise ValueError("Run the drill with 1 to 8 teams.")
        self.scenario = load_scenario(scenario_id)
        self.drills = [Drill(self.scenario) for _ in range(teams)]
        self.columns = [_TeamColumn(n + 1) for n in range(teams)]
        self.timer = w.Play(interval=1000, min=0, max=180, step=1, show_repeat=False)
        self.countdown = w.HTML()
        self.timer.observe(self._tick, names="value")
        self.reveal = w.Button(description="Reveal", icon="eye", button_style="info")
        self.lock = w.Button(description="Lock in", icon="lock", button_style="warning")
        self.reveal.on_click(self.start_timer)
        self.lock.on_click(self.lock_in)
        self.debrief = w.HTML()
        self.projector = w.HTML()
        self.show_decision()
        self.widget = w.VBox(
            [
                w.HTML(_header_html(self.scenario)),
                w.HBox([self.reveal, self.timer, self.countdown, self.lock]),
                self.projector,
                w.HBox([c.widget for c in self.columns]),
                self.debrief,
            ]
        )

    def start_timer(self, _: object = None) -> None:
        """Reveal: the room has read the inject; the countdown starts."""
        self.timer.value = 0
        self.timer.playing = self.timer.max > 1

    def show_decision(self, _: object = None) -> None:
        """Show each team its current inject and reset (not start) the countdown."""
        seconds: float = 0
        # per inject some team is at: the first such team's drill, and the teams
        at: dict[str, tuple[Drill, Inject, list[int]]] = {}
        for number, (drill, column) in enumerate(
            zip(self.drills, self.columns, strict=True), start=1
        ):
            column.show(drill)
            inject = drill.current
            if inject is not None:
                seconds = max(seconds, inject.decision_seconds)
                at.setdefault(inject.id, (drill, inject, []))[2].append(number)
        self.projector.value = "".join(
            self._projected(drill, inject, teams)
            for drill, inject, teams in at.values()
        )
        self.timer.playing = False  # teams read the feedback first; Reveal starts it
        self.timer.max, self.timer.value = max(seconds, 1), 0
        self._tick()

    def _projected(self, drill: Drill, inject: Inject, teams: list[int]) -> str:
        """One inject and its options, large enough to read from the back."""
        who = (
            "All teams"
            if len(teams) == len(self.drills)
            else ("Teams " + ", ".join(map(str, teams)))
        )
        return (
            f"<div style='font-size:1.35em'><p><i>{who}</i></p>"
            + _inject_html(inject, drill.clock, self.scenario)
            + _options_html(inject, "1.1em")
            + "</div>"
        )

    def _tick(self, change: object = None) -> None:
        left = max(0, self.timer.max - self.timer.value)
        self.countdown.value = (
            f"<b style='font-size:1.4em'>{left // 60}:{left % 60:02d}</b>"
            if left
            else "<b style='font-size:1.4em'>Time!</b>"
        )

    def lock_in(self, _: object = None) -> None:
        """Apply every unfinished team's chosen option and show what follows."""
        waiting = [
            str(number)
            for number, (drill, column) in enumerate(
                zip(self.drills, self.columns, strict=True), start=1
            )
            if not drill.finished and column.menu.value is None
        ]
        if waiting:  # nobody's choice is applied until every team has one
            who = (
                f"Team {waiting[0]} has"
                if len(waiting) == 1
                else f"Teams {', '.join(waiting[:-1])} and {waiting[-1]} have"
            )
            self.debrief.value = f"<b>{who} not chosen yet.</b>"
            return
        self.debrief.value = ""
        for drill, column in zip(self.drills, self.columns, strict=True):
            if not drill.finished:
                column.record(drill.choose(column.menu.value))
        self.show_decision()
        if all(drill.finished for drill in self.drills):
            self.timer.playing = False
            self.debrief.value = self.debrief_html()

    def debrief_table(self) -> pd.DataFrame:
        rows = []
        for number, drill in enumerate(self.drills, start=1):
            score = drill.score()
            rows.append(
                {
                    "team": number,
                    "choices": " → ".join(drill.path),
                    "first statement (min)": score.first_statement_minute,
                    "decisions": score.decisions,
                    "golden hour": score.golden_hour,
                    "holding statement": score.statement,
                    "total": score.total,
                    "passed": "yes" if score.passed else "no",
                }
            )
        return pd.DataFrame(rows).set_index("team")

    def debrief_html(self) -> str:
        table = self.debrief_table().to_html(
            na_rep="none", float_format="{:.0f}".format
        )
        return f"<h4>Scores</h4>{table}" + _best_html(self.scenario)


class _TeamColumn:
    """One team's view: its inject, its choice menu and what its choices led to."""

    def __init__(self, number: int) -> None:
        self.title = w.HTML(f"<h4>Team {number}</h4>")
        self.stage = w.HTML()
        self.menu = w.Dropdown(layout=w.Layout(width="95%"))
        self.history = w.HTML()
        self.widget = w.VBox(
            [self.title, self.stage, self.menu, self.history],
            layout=w.Layout(width="100%", border="1px solid #d0d7de", padding="4px"),
        )

    def show(self, drill: Drill) -> None:
        inject = drill.current
        if inject is None:  # the drill is over
            score = drill.score()
            self.stage.value = f"<p><b>Finished: {score.total}/100</b></p>"
            self.menu.options, self.menu.layout.display = (), "none"
            return
        self.stage.value = (
            f"<p><b>{drill.scenario.wall_clock(drill.clock)}</b>: "
            f"{html.escape(inject.question)}</p>"
        )
        self.menu.options = [(f"option {c.id}", c.id) for c in inject.choices]
        self.menu.value = None  # each team chooses afresh

    def record(self, choice: Choice) -> None:
        self.history.value = _consequence_html(choice) + self.history.value


def drill_app(scenario_id: str = "glass-in-the-bottle") -> w.Widget:
    """The golden-hour drill for one learner."""
    return DrillApp(scenario_id).widget


def trainer_app(scenario_id: str = "glass-in-the-bottle", teams: int = 4) -> w.Widget:
    """The golden-hour drill for a room of teams, run by a trainer."""
    return TrainerApp(scenario_id, teams).widget
