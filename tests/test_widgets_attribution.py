"""Module 6 views: the attribution lab redraws in place."""

from __future__ import annotations

from smm_playbook.sim.attribution import compare_models, generate_journeys
from smm_playbook.widgets.attribution import (
    AttributionLabApp,
    credit_figure,
    planned_reruns,
    power_figure,
    sampling_figure,
)


def test_raising_searchs_true_effect_raises_its_true_share_in_place():
    app = AttributionLabApp()
    figure = app.credit
    truth = app.credit.data[-1]
    search = list(truth.x).index("Search")
    before = truth.y[search]
    app.search.value = 1.2
    assert app.credit is figure
    assert app.credit.data[-1].y[search] > before
    assert "Distance from the truth" in app.errors.value


def test_a_bigger_holdout_lowers_the_detectable_lift():
    app = AttributionLabApp()
    before = app.power.data[1].x[0]
    app.holdout.value = 0.3
    assert app.power.data[1].x[0] < before


def test_static_figures():
    comparison = compare_models(generate_journeys(users=500))
    assert len(credit_figure(comparison).data) == len(comparison.columns)
    assert power_figure().data[1].y == (0.8,)


def test_rerunning_the_test_draws_a_new_sampling_distribution_in_place():
    app = AttributionLabApp()
    figure = app.sampling
    before = list(figure.data[0].y)
    assert sum(before) == 100
    app.rerun()
    assert app.sampling is figure
    assert sum(figure.data[0].y) == 100 and list(figure.data[0].y) != before


def test_a_bigger_holdout_narrows_the_sampling_distribution():
    small = planned_reruns(0.05, 28)["lift"].std()
    large = planned_reruns(0.3, 28)["lift"].std()
    assert large < small
    assert sampling_figure(planned_reruns(0.1, 28)).data[1].x == (0.05, 0.05)
