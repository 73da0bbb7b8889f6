"""Competency views: controls drive the figure in place; static figures render."""

from __future__ import annotations

from smm_playbook.sim.competency import EXAMPLE_LEARNERS, KEYS, assess
from smm_playbook.widgets.competency import (
    CompetencyApp,
    example_explorer_figure,
    radar_figure,
)


def test_moving_a_slider_updates_the_same_figure_in_place():
    app = CompetencyApp()
    figure = app.figure
    app.sliders["managing_up"].value = 5
    assert app.figure is figure
    index = KEYS.index("managing_up")
    assert app.figure.data[1].r[index] == 5
    assert "Readiness" in app.figure.layout.title.text


def test_changing_the_role_moves_the_target_outline():
    app = CompetencyApp()
    app.role.value = "Community manager"
    assert app.figure.data[0].name == "Target: Community manager"
    assert app.figure.data[0].r[KEYS.index("persistence")] == 5
    assert "Community manager" in app.figure.layout.title.text


def test_a_learners_own_model_is_used():
    calls = []

    def my_model(ratings, role):
        calls.append(role)
        return assess(ratings, role)

    app = CompetencyApp(model=my_model)
    app.sliders["persistence"].set_state(
        {"value": 5}
    )  # the path a browser update takes
    assert len(calls) >= 2


def test_the_plan_table_follows_the_sliders():
    app = CompetencyApp(ratings=dict.fromkeys(KEYS, 5))
    assert "no gap" in app.plan.value
    app.sliders["cross_team_coordination"].value = 1
    assert "Coordinating across departments (+3)" in app.plan.value


def test_radar_closes_its_outline():
    figure = radar_figure(assess(EXAMPLE_LEARNERS["New graduate"]))
    for trace in figure.data:
        assert len(trace.r) == 10 and trace.r[0] == trace.r[-1]


def test_explorer_menu_switches_between_every_example_learner():
    figure = example_explorer_figure()
    buttons = figure.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == list(EXAMPLE_LEARNERS)
    for i, button in enumerate(buttons):
        visible = button.args[0]["visible"]
        assert visible[0] and sum(visible) == 2 and visible[i + 1]
