"""Module 3 views: the queue lab's controls redraw its figures in place."""

from __future__ import annotations

from smm_playbook.sim.moderation_queue import simulate_queue
from smm_playbook.widgets.moderation_queue import (
    ModerationQueueApp,
    queue_figure,
    sla_figure,
)


def test_fewer_evening_staff_grows_the_backlog_in_place():
    app = ModerationQueueApp()
    figure, before = app.queue, sum(app.queue.data[0].y)
    app.shifts["evening"].value = 3
    assert app.queue is figure
    assert sum(app.queue.data[0].y) > before


def test_serving_higher_tiers_first_redraws_the_sla_bars():
    app = ModerationQueueApp()
    tier_3_before = app.sla.data[0].y[-1]
    app.order.value = "tier"
    assert app.sla.data[0].y[-1] > tier_3_before
    assert "higher tiers first" in app.sla.layout.title.text


def test_editing_a_categorys_handling_time_changes_the_run():
    app = ModerationQueueApp()
    before = sum(app.queue.data[0].y)
    app.category.value = "question"
    assert app.handling.value == 4.0  # the sliders show the chosen category
    app.handling.value = 12.0
    assert sum(app.queue.data[0].y) > before
    assert app.categories["question"].handling_minutes == 12.0


def test_a_learners_model_is_called_with_the_controls():
    seen = []

    def mine(per_day, roster, **kwargs):
        seen.append((per_day, roster, kwargs))
        return simulate_queue(per_day, roster, **kwargs)

    app = ModerationQueueApp(model=mine)
    app.days.value = 7
    per_day, roster, kwargs = seen[-1]
    assert kwargs["days"] == 7 and len(roster) == 24
    assert len(app.queue.data[0].x) == 7 * 24 * 6 + 1  # a 10-minute grid


def test_a_setting_the_model_refuses_is_reported_not_raised():
    app = ModerationQueueApp()
    for name in list(app.categories):
        app.category.value = name
        app.share.value = 0
    assert "Cannot run" in app.summary.value


def test_static_figures_show_the_backlog_and_one_bar_per_tier():
    result = simulate_queue(seed=4)
    queue = queue_figure(result)
    assert len(queue.data[0].y) == len(result.backlog)
    bars = sla_figure(result)
    assert len(bars.data) == 2 and len(bars.data[0].y) == 3
    assert f"{len(result.messages):,} messages" in queue.layout.title.text
