"""Module 6 views: the attribution lab redraws in place."""

from __future__ import annotations

from smm_playbook.sim.attribution import compare_models, generate_journeys
from smm_playbook.widgets.attribution import (
    AttributionLabApp,
    credit_figure,
    power_figure,
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
