"""Module 2 views: controls drive the figures in place; static figures render."""

from __future__ import annotations

from smm_playbook.sim.ab_test import sample_size_per_group
from smm_playbook.sim.content_calendar import EXAMPLE_CADENCE, simulate_calendar
from smm_playbook.widgets.ab_test import (
    DEFAULT_BASELINE,
    DEFAULT_MDE,
    ABPlannerApp,
    power_curve_figure,
)
from smm_playbook.widgets.content_calendar import (
    ContentCalendarApp,
    cadence_tradeoff_figure,
    weekly_figure,
)


def test_a_cadence_slider_changes_the_weekly_traces_in_place():
    app = ContentCalendarApp()
    figure, before = app.figure, sum(app.figure.data[0].y)
    app.sliders["Weibo"].value = 14
    assert app.figure is figure
    assert sum(app.figure.data[0].y) > before


def test_changing_the_seed_moves_realised_reach_far_more_than_expected_reach():
    app = ContentCalendarApp()
    expected, realised = sum(app.figure.data[0].y), list(app.figure.data[1].y)
    app.seed.value = 7
    # a new seed redraws formats and pillars (expected moves a little) and the noise
    assert abs(sum(app.figure.data[0].y) / expected - 1) < 0.05
    assert list(app.figure.data[1].y) != realised


def test_a_learners_model_is_called_with_the_controls():
    seen = []

    def mine(cadence, **kwargs):
        seen.append((cadence, kwargs))
        return simulate_calendar(cadence, **kwargs)

    app = ContentCalendarApp(model=mine)
    app.hour.value = 21
    assert seen[-1][1]["hour"] == 21


def test_weekly_figure_has_one_point_per_week():
    figure = weekly_figure(simulate_calendar(EXAMPLE_CADENCE, weeks=12))
    assert all(len(trace.y) == 12 for trace in figure.data)


def test_tradeoff_figure_marks_where_fatigue_starts():
    figure = cadence_tradeoff_figure("Weibo")
    assert figure.layout.shapes and "fatigue" in figure.layout.annotations[0].text


def test_the_planner_shows_the_sample_size_and_moves_the_marker():
    app = ABPlannerApp()
    app.mde.value = 0.01
    needed = sample_size_per_group(0.03, 0.01)
    assert f"{needed:,}" in app.needed.value
    assert app.figure.data[1].x == (needed,)


def test_power_curve_crosses_eighty_percent_at_the_sample_size():
    figure = power_curve_figure(0.03, 0.005)
    assert figure.data[1].y[0] >= 0.8
    assert min(figure.data[0].y) < 0.8 < max(figure.data[0].y)


def test_the_planner_starts_where_the_facilitator_guide_says():
    app = ABPlannerApp()
    assert (app.baseline.value, app.mde.value) == (DEFAULT_BASELINE, DEFAULT_MDE)
    needed = sample_size_per_group(DEFAULT_BASELINE, DEFAULT_MDE)
    assert f"{needed:,}" in app.needed.value
