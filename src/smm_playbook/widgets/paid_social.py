"""Views for the auction and budget lab: static figures for the book and a live app.

The live app: a daily budget, a bid cap, a creative quality, a new creative every
so many days and a wider audience per channel drive `model` (default
`simulate_campaign`); the daily figure (spend, CPA, frequency and CTR) is built
once and updated in place. The Optimise button fits each channel's response
curve at the current bids and qualities and shows the split of the same total
budget that equalises marginal returns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smm_playbook.sim.paid_social import (
    DEFAULT_PLAN,
    CampaignResult,
    HillFit,
    Plan,
    fit_hill,
    optimise,
    response_curve,
    simulate_campaign,
)
from smm_playbook.widgets._types import Change, Figure

COLOURS = {"Meta": "#0969da", "Douyin": "#cf222e", "Xiaohongshu": "#9a6700"}


PANELS = (
    ("spend", "Spend per day"),
    ("cpa", "Cost per acquisition"),
    ("frequency", "Frequency (lifetime)"),
    ("ctr", "Click-through rate"),
)


def daily_figure(result: CampaignResult) -> go.Figure:
    """Spend, CPA, lifetime frequency and CTR per day, one line per channel."""
    figure = make_subplots(
        rows=2,
        cols=2,
        subplot_titles=[title for _, title in PANELS],
        vertical_spacing=0.16,
    )
    for name in result.totals.index:
        for index in range(len(PANELS)):
            figure.add_scatter(
                x=[],
                y=[],
                name=name,
                legendgroup=name,
                showlegend=index == 0,
                line={"color": COLOURS.get(name)},
                row=index // 2 + 1,
                col=index % 2 + 1,
            )
    _set_daily(figure, result)
    figure.update_layout(height=560, legend={"orientation": "h", "y": -0.12})
    figure.update_xaxes(title_text="day", row=2)
    figure.update_yaxes(tickformat=".1%", row=2, col=2)
    return figure


def _set_daily(figure: Figure, result: CampaignResult) -> None:
    for index, name in enumerate(result.totals.index):
        days = result.daily[result.daily["channel"] == name]
        for panel, (column, _) in enumerate(PANELS):
            trace = figure.data[len(PANELS) * index + panel]
            trace.x, trace.y = days["day"].to_numpy(), days[column].to_numpy()
    totals = result.totals
    figure.layout.title = (
        f"{totals['conversions'].sum():,.0f} conversions for "
        f"{totals['spend'].sum():,.0f} spent · blended CPA "
        f"{totals['spend'].sum() / max(totals['conversions'].sum(), 1e-9):.2f}"
    )


def fitted_curves(plan: Plan | None = None, seed: int = 0) -> dict[str, HillFit]:
    """Each channel's Hill curve (daily budget → conversions) at the plan's bids."""
    plan = plan or DEFAULT_PLAN
    curves: dict[str, HillFit] = {}
    for name in plan:
        points = response_curve(name, plan, seed=seed)
        curves[name] = fit_hill(points["budget"], points["conversions"])
    return curves


def curves_figure(
    curves: Mapping[str, HillFit], plan: Plan, optimum: Mapping[str, float]
) -> go.Figure:
    """Response curves, with the plan's budgets (circles) and the optimum (stars)."""
    figure = go.Figure()
    top = max(1000.0, *(s["budget"] for s in plan.values()))
    budgets = np.linspace(0, top, 120)
    for name, curve in curves.items():
        colour = COLOURS.get(name)
        figure.add_scatter(
            x=budgets, y=curve(budgets), name=name, line={"color": colour}
        )
        for budget, symbol, label in (
            (plan[name]["budget"], "circle", "your budget"),
            (optimum[name], "star", "optimal budget"),
        ):
            figure.add_scatter(
                x=[budget],
                y=[curve(budget)],
                mode="markers",
                marker={"symbol": symbol, "size": 14, "color": colour},
                name=f"{name}: {label}",
                showlegend=False,
            )
    figure.update_layout(
        height=380,
        title="Response curves: circles your split, stars the optimum",
        xaxis_title="daily budget",
        yaxis_title="conversions over the campaign",
    )
    return figure


def _totals_html(result: CampaignResult) -> str:
    table = result.totals[["spend", "cpm", "cpc", "ctr", "cvr", "cpa", "roas"]]
    shown = table.assign(ctr=table["ctr"] * 100, cvr=table["cvr"] * 100).rename(
        columns={"ctr": "ctr %", "cvr": "cvr %"}
    )
    return shown.to_html(float_format="{:,.2f}".format)


class AuctionLabApp:
    """Budget, bid cap, quality, creative refresh and audience per channel; the
    daily figure is redrawn in place."""

    def __init__(
        self, model: Callable[..., CampaignResult] = simulate_campaign
    ) -> None:
        self.model = model
        self.controls: dict[str, dict[str, w.FloatSlider]] = {}
        rows = []
        for name, settings in DEFAULT_PLAN.items():
            sliders = {
                "budget": w.FloatSlider(
                    value=settings["budget"],
                    min=0,
                    max=1000,
                    step=25,
                    description=f"{name} budget",
                    style={"description_width": "initial"},
                ),
                "bid": w.FloatSlider(
                    value=settings["bid"],
                    min=0.2,
                    max=4,
                    step=0.1,
                    description="bid cap",
                ),
                "quality": w.FloatSlider(
                    value=settings["quality"],
                    min=0.5,
                    max=1.5,
                    step=0.1,
                    description="quality",
                ),
                "refresh_every": w.IntSlider(
                    value=0,
                    min=0,
                    max=28,
                    step=7,
                    description="new creative every (days, 0 never)",
                    style={"description_width": "initial"},
                ),
                "audience": w.FloatSlider(
                    value=1.0,
                    min=1.0,
                    max=3.0,
                    step=0.25,
                    description="widen audience ×",
                    style={"description_width": "initial"},
                ),
            }
            for slider in sliders.values():
                slider.observe(self.update, names="value")
            self.controls[name] = sliders
            rows.append(w.HBox(list(sliders.values())))
        self.table = w.HTML()
        result = self.model(self.plan())
        self.figure = go.FigureWidget(daily_figure(result))
        self.table.value = _totals_html(result)
        self.optimise_button = w.Button(description="Optimise this budget")
        self.optimise_button.on_click(self.show_optimum)
        self.advice = w.HTML()
        self.curves = go.FigureWidget()
        self.widget = w.VBox(
            [
                *rows,
                self.figure,
                self.table,
                self.optimise_button,
                self.advice,
                self.curves,
            ]
        )

    def plan(self) -> dict[str, dict[str, float]]:
        return {
            name: {key: slider.value for key, slider in sliders.items()}
            for name, sliders in self.controls.items()
        }

    def update(self, change: Change | None = None) -> None:
        """Rerun the campaign and redraw the daily figure in place."""
        result = self.model(self.plan())
        with self.figure.batch_update():
            _set_daily(self.figure, result)
        self.table.value = _totals_html(result)

    def show_optimum(self, _: w.Button | None = None) -> None:
        """Fit the curves at the current bids and show the best split."""
        plan = self.plan()
        total = sum(settings["budget"] for settings in plan.values())
        curves = fitted_curves(plan)
        best = optimise(curves, total, step=5)
        mine = sum(curves[name](plan[name]["budget"]) for name in plan)
        ideal = sum(curves[name](best[name]) for name in plan)
        split = ", ".join(f"{name} {budget:,.0f}" for name, budget in best.items())
        self.advice.value = (
            f"For the same {total:,.0f} a day: <b>{split}</b> gives about "
            f"<b>{ideal:,.0f}</b> conversions, against {mine:,.0f} for your split. "
            "At the optimum the next unit of budget buys about the same number of "
            "conversions in every channel."
        )
        figure = curves_figure(curves, plan, best)
        with self.curves.batch_update():
            self.curves.data = ()
            self.curves.add_traces(figure.data)
            self.curves.layout = figure.layout


def auction_lab_app(
    model: Callable[..., CampaignResult] = simulate_campaign,
) -> w.Widget:
    """The live auction and budget lab."""
    return AuctionLabApp(model).widget


def marginal_table(
    curves: Mapping[str, HillFit], split: Mapping[str, float], step: float = 1.0
) -> pd.DataFrame:
    """Conversions and the conversions one more unit of daily budget would buy."""
    rows = []
    for name, curve in curves.items():
        budget = split[name]
        rows.append(
            {
                "channel": name,
                "budget": budget,
                "conversions": float(curve(budget)),
                "marginal": float((curve(budget + step) - curve(budget)) / step),
                "average": float(curve(budget) / budget) if budget else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("channel")
