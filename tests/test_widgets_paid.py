"""Module 5 views: the lab redraws in place, and Optimise shows a better split."""

from __future__ import annotations

from smm_playbook.sim.paid_social import simulate_campaign
from smm_playbook.widgets.paid_social import (
    AuctionLabApp,
    curves_figure,
    daily_figure,
    fitted_curves,
    marginal_table,
)


def test_a_budget_slider_redraws_spend_in_place():
    app = AuctionLabApp()
    figure, before = app.figure, sum(app.figure.data[0].y)
    app.controls["Meta"]["budget"].value = 600
    assert app.figure is figure
    assert sum(app.figure.data[0].y) > before
    assert "cpa" in app.table.value


def test_optimise_recommends_a_split_no_worse_than_the_learners():
    app = AuctionLabApp()
    app.controls["Douyin"]["budget"].value = 700
    app.show_optimum()
    assert "conversions" in app.advice.value
    assert len(app.curves.data) == 9  # a curve and two markers per channel


def test_a_learners_model_is_called_with_the_plan():
    seen = []

    def mine(plan):
        seen.append(plan)
        return simulate_campaign(plan)

    app = AuctionLabApp(model=mine)
    app.controls["Xiaohongshu"]["quality"].value = 1.5
    assert seen[-1]["Xiaohongshu"]["quality"] == 1.5


def test_static_figures_and_the_marginal_table():
    result = simulate_campaign()
    figure = daily_figure(result)
    assert len(figure.data) == 12  # spend, CPA, frequency and CTR per channel
    ctr = [t for t in figure.data if t.yaxis == "y4" and t.name == "Meta"][0]
    assert list(ctr.y) == list(result.daily.query("channel == 'Meta'")["ctr"])
    curves = fitted_curves()
    plan = {name: {"budget": 250.0} for name in curves}
    best = {name: 250.0 for name in curves}
    assert len(curves_figure(curves, plan, best).data) == 9
    table = marginal_table(curves, best)
    assert (table["marginal"] < table["average"]).all()  # concave curves


def test_new_creative_and_a_wider_audience_lift_the_ctr_line_in_place():
    app = AuctionLabApp()
    figure = app.figure
    ctr = figure.data[3]  # Meta's CTR panel
    last_week = sum(ctr.y[-7:])
    app.controls["Meta"]["refresh_every"].value = 7
    assert app.figure is figure
    assert sum(figure.data[3].y[-7:]) > last_week
    frequency_end = figure.data[2].y[-1]
    app.controls["Meta"]["audience"].value = 2.0
    assert figure.data[2].y[-1] < frequency_end  # the same ads over more people
