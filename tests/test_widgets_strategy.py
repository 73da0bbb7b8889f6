"""Module 1 views: controls drive the figures in place; static figures render."""

from __future__ import annotations

import pytest

from smm_playbook import data
from smm_playbook.sim import channel_planner
from smm_playbook.sim.channel_planner import CHANNELS, EXAMPLE_PLAN
from smm_playbook.sim.maturity import EXAMPLE_ORGANISATIONS, assess_maturity
from smm_playbook.widgets.channel_planner import (
    ChannelPlannerApp,
    plan_reach,
    reach_build_up_figure,
)
from smm_playbook.widgets.maturity import MaturityApp, maturity_figure


def test_a_channel_slider_moves_its_bar_and_the_combined_line():
    app = ChannelPlannerApp()
    figure, before = app.figure, app.figure.data[2].y[0]
    app.sliders["Weibo"].value = 60
    assert app.figure is figure
    assert app.figure.data[0].y[CHANNELS.index("Weibo")] > 0
    assert app.figure.data[2].y[0] > before


def test_choosing_a_region_changes_the_target_population():
    app = ChannelPlannerApp()
    app.pickers["region"].value = ("North America",)
    assert app.figure.data[2].y[0] < 0.05  # the plan uses only Chinese platforms


def test_the_goal_line_follows_the_goal_slider():
    app = ChannelPlannerApp()
    app.goal.value = 0.5
    assert app.figure.data[3].y == (0.5, 0.5)
    assert "meets" in app.figure.layout.title.text


def test_a_learners_own_model_drives_the_app():
    calls = []

    def mine(activity, segments, goal):
        calls.append(activity)
        return plan_reach(activity, segments, goal)

    app = ChannelPlannerApp(model=mine)
    app.sliders["X"].set_state({"value": 20})
    assert calls[-1]["X"] == 20


def test_build_up_adds_channels_largest_first_and_dedup_stays_below_sum():
    result = plan_reach(**EXAMPLE_PLAN)
    figure = reach_build_up_figure(result)
    summed, dedup = figure.data[0].y, figure.data[1].y
    assert len(summed) == len(EXAMPLE_PLAN["activity"])
    assert dedup[-1] == pytest.approx(result.reach_share)
    assert all(d <= s + 1e-9 for d, s in zip(dedup, summed, strict=True))
    assert list(dedup) == sorted(dedup)


def test_the_views_plan_reach_is_the_model_on_the_shipped_table():
    table = data.load("platform_audiences")
    model = channel_planner.plan_reach(**EXAMPLE_PLAN, audiences=table)
    assert plan_reach(**EXAMPLE_PLAN).reach == pytest.approx(model.reach)


def test_build_up_reruns_the_model_on_the_table_the_result_came_from():
    table = data.load("platform_audiences").assign(share=lambda t: t["share"] / 2)
    result = plan_reach(**EXAMPLE_PLAN, audiences=table)
    figure = reach_build_up_figure(result)
    assert figure.data[1].y[-1] == pytest.approx(result.reach_share)
    assert result.reach_share < plan_reach(**EXAMPLE_PLAN).reach_share


def test_ticking_statements_climbs_the_staircase():
    app = MaturityApp()
    assert app.figure.layout.title.text.startswith("Stage 0")
    app.boxes["listening"].value = True
    app.boxes["audit"].value = True
    assert app.figure.layout.title.text.startswith("Stage 1: Planning")
    assert "To reach Presence" in app.advice.value


def test_maturity_figure_colours_the_stages_reached():
    result = assess_maturity(EXAMPLE_ORGANISATIONS["Global bank"])
    colours = maturity_figure(result).data[0].marker.color
    assert colours.count("#1a7f37") == result.stage == 4
