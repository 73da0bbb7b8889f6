"""Module 4 views: the spread app redraws in place; the drill runs for one learner
and for a room of teams."""

from __future__ import annotations

import html

from smm_playbook.sim.rumour_spread import delay_cost, network_spread
from smm_playbook.sim.tabletop import best_path, load_scenario, scenario_ids
from smm_playbook.widgets.rumour_spread import (
    RumourSpreadApp,
    delay_cost_figure,
    spread_figure,
)
from smm_playbook.widgets.tabletop import DrillApp, TrainerApp


def test_responding_later_moves_the_response_line_in_place():
    app = RumourSpreadApp()
    figure = app.figure
    app.respond_at.value = 15
    early = app.figure.data[3].y[-1]
    app.respond_at.value = 360
    assert app.figure is figure
    assert app.figure.data[3].y[-1] > early  # more accounts heard it
    assert "respond at 6 h" in app.figure.data[2].name


def test_the_mean_field_view_and_a_backfiring_posture():
    app = RumourSpreadApp()
    app.view.value = "mean_field"
    app.cluster.value = "preventable"
    app.posture.value = "deny"
    no_response, denied = app.figure.data[1].y[-1], app.figure.data[3].y[-1]
    assert denied > no_response
    assert "rebuild" in app.summary.value  # what SCCT suggests instead


def test_a_learners_model_gets_the_controls():
    seen = []

    def mine(view, **settings):
        seen.append((view, settings))
        return network_spread(**{k: v for k, v in settings.items()}).series

    app = RumourSpreadApp(model=mine)
    app.start.value = "hub"
    assert seen[-1][1]["start"] == "hub" and seen[-1][0] == "network"


def test_static_figures():
    runs = [network_spread(), network_spread(respond_at=30, posture="rebuild")]
    assert len(spread_figure(runs).data) == 4
    frame = delay_cost([15, 60, 120])
    assert list(delay_cost_figure(frame).data[0].y) == list(frame["total_reach"])


def test_self_study_drill_runs_to_a_score_and_restarts():
    app = DrillApp("glass-in-the-bottle")
    path, best = best_path(app.scenario)
    for choice_id in path:
        app.choose(choice_id)
    assert f"Score {best.total}/100 (passed)" in app.stage.value
    assert app.log.value.count("<p><i>") == len(path)
    app.restart.click()
    assert app.log.value == "" and len(app.buttons.children) >= 2


def test_self_study_shows_every_option_in_full_and_chooses_by_button():
    app = DrillApp("glass-in-the-bottle")
    inject = app.scenario.injects[app.scenario.start]
    shown = [row.children[1].value for row in app.buttons.children]
    for choice, html_text in zip(inject.choices, shown, strict=True):
        assert html.escape(choice.text) in html_text  # nothing cut at 120 characters
    app.buttons.children[2].children[0].click()
    assert app.drill.path == [inject.choices[2].id]


def test_room_mode_projects_the_inject_and_every_option_in_full():
    app = TrainerApp("double-charge-outage", teams=2)
    inject = app.scenario.injects[app.scenario.start]
    assert "All teams" in app.projector.value
    for choice in inject.choices:
        assert html.escape(choice.text) in app.projector.value
    assert [label for label, _ in app.columns[0].menu.options] == [
        f"option {c.id}" for c in inject.choices
    ]


def test_trainer_mode_locks_in_each_teams_choice_and_debriefs():
    app = TrainerApp("offensive-brand-post", teams=3)
    scenario = load_scenario("offensive-brand-post")
    path, best = best_path(scenario)
    assert app.timer.max == scenario.injects[scenario.start].decision_seconds
    step = 0
    while not all(d.finished for d in app.drills):
        for number, column in enumerate(app.columns):
            if app.drills[number].finished:
                continue
            options = [value for _, value in column.menu.options]
            # team 1 follows the best path; the others take the last option
            column.menu.value = path[step] if number == 0 else options[-1]
        app.lock.click()
        step += 1
    table = app.debrief_table()
    assert table.loc[1, "total"] == best.total
    assert len(table) == 3 and "Debrief" in app.debrief.value
    assert scenario.debrief in app.debrief.value.replace("&#x27;", "'")
    assert "Time!" not in app.countdown.value or app.timer.max == 1


def test_lock_in_waits_until_every_team_has_chosen():
    app = TrainerApp("glass-in-the-bottle", teams=2)
    app.columns[0].menu.value = "a"
    app.lock.click()
    assert all(drill.path == [] for drill in app.drills)
    assert "Team 2 has not chosen" in app.debrief.value
    app.columns[1].menu.value = "b"
    app.lock.click()
    assert [drill.path for drill in app.drills] == [["a"], ["b"]]
    assert app.debrief.value == ""


def test_the_scct_answer_stays_hidden_until_the_debrief():
    for scenario_id in scenario_ids():
        app = DrillApp(scenario_id)
        shown = app.widget.children[0].value + app.stage.value
        assert "SCCT" not in shown and app.scenario.recommended_posture not in shown


def test_reveal_starts_the_countdown_and_lock_in_resets_it():
    app = TrainerApp("glass-in-the-bottle", teams=1)
    assert not app.timer.playing
    app.reveal.click()
    assert app.timer.playing
    app.columns[0].menu.value = app.columns[0].menu.options[0][1]
    app.lock.click()
    assert not app.timer.playing and app.timer.value == 0


def test_self_study_offers_a_drafting_box_only_at_a_drafting_step():
    app = DrillApp("double-charge-outage")
    path, _ = best_path(app.scenario)
    assert app.draft_box.layout.display == "none"
    while app.drill.current.draft is None:
        app.choose(path[len(app.drill.path)])
    assert app.draft_box.layout.display is None
    app.write("")  # an empty draft is refused with a message, not a traceback
    assert "Write the statement" in app.stage.value
    app.draft_text.value = app.drill.current.draft.model_answer
    app.submit.click()
    assert "your trainer reviews it" in app.log.value
    assert app.drill.path[-1] == "draft"
