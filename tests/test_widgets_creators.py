"""Module 7 view: the creator lab redraws in place."""

from __future__ import annotations

from smm_playbook.sim.creator_portfolio import (
    AUDIENCE_FIT,
    FOLLOWERS_ONLY,
    run_portfolio,
)
from smm_playbook.widgets.creator_portfolio import CreatorLabApp, portfolio_figure


def test_a_bigger_budget_reaches_more_people_in_place():
    app = CreatorLabApp()
    figure, before = app.figure, app.figure.data[1].y[1]
    rings = len(app.figure.data[3].x)
    app.budget.value = 60_000
    assert app.figure is figure
    assert app.figure.data[1].y[1] > before
    assert len(app.figure.data[3].x) > rings
    assert "per 1,000 reached" in app.summary.value


def test_setting_fit_to_zero_makes_your_weights_the_followers_only_choice():
    app = CreatorLabApp()
    for name, value in FOLLOWERS_ONLY.items():
        app.weights[name].value = value
    true = app.figure.data[1].y
    assert true[0] == true[1]


def test_changing_the_target_changes_the_headline():
    app = CreatorLabApp()
    app.target.value = "Women 18-34, UK"
    assert app.figure.layout.title.text.startswith("Women 18-34, UK")


def test_static_figure_rings_the_chosen_creators():
    app = CreatorLabApp()
    pool = app.pool
    mine = run_portfolio(pool, **AUDIENCE_FIT)
    figure = portfolio_figure(pool, run_portfolio(pool, **FOLLOWERS_ONLY), mine)
    assert len(figure.data[3].x) == len(mine.chosen)
    assert figure.data[0].y[0] > figure.data[1].y[0]  # claimed > true, followers only
