"""Views for the attribution lab: static figures for the book and a live app.

The live app has two halves. Attribution: a slider sets Search's true effect and
the bars show each model's share of credit beside the truth, on the same
journeys (only the outcomes change). Lift-test planner: holdout share and
duration give the smallest lift the test can detect, and a power curve; "Rerun
the test 100 times" runs the planned test on 100 fresh audiences, each
randomised once, and shows the spread of the measured lifts (the sampling
distribution) against the true lift.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from smm_playbook.sim.attribution import (
    TRUE_EFFECTS,
    compare_touches,
    detectable_lift,
    lift_power,
    model_error,
    rerun_lift_test,
    simulate_touches,
)
from smm_playbook.widgets._types import Change, Figure

TRUTH = "#1a7f37"
PALETTE = ("#cf222e", "#9a6700", "#0969da", "#8250df", "#57606a", "#bf3989")


class TestDesign(TypedDict):
    daily_users: int
    baseline_cvr: float
    holdout: float  # share of users held out
    days: int


DEFAULT_TEST: TestDesign = {
    "daily_users": 40_000,
    "baseline_cvr": 0.02,
    "holdout": 0.1,
    "days": 28,
}
TRUE_LIFT = 0.05  # the lift the reruns are drawn with: small, as real lifts often are
BINS = np.linspace(-0.3, 0.4, 36)


def credit_figure(comparison: pd.DataFrame) -> go.Figure:
    """Each model's share of credit per channel, with the true share in green."""
    figure = go.Figure()
    for colour, name in zip((*PALETTE, TRUTH), comparison.columns, strict=True):
        figure.add_bar(name=name, marker_color=colour)
    _set_credit(figure, comparison)
    figure.update_layout(
        height=400,
        barmode="group",
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": "share of the credit", "tickformat": ".0%"},
        title="Credit by model against what each channel truly caused",
    )
    return figure


def _set_credit(figure: Figure, comparison: pd.DataFrame) -> None:
    for trace, name in zip(figure.data, comparison.columns, strict=True):
        trace.x, trace.y = list(comparison.index), comparison[name].to_numpy()


def power_figure(
    daily_users: float = DEFAULT_TEST["daily_users"],
    baseline_cvr: float = DEFAULT_TEST["baseline_cvr"],
    holdout: float = DEFAULT_TEST["holdout"],
    days: int = DEFAULT_TEST["days"],
) -> go.Figure:
    """Power against the true lift for one test design, 80 % marked."""
    figure = go.Figure(
        [
            go.Scatter(name="power", line={"color": "#0969da", "width": 3}),
            go.Scatter(mode="markers", name="80% power", marker={"size": 12}),
        ]
    )
    _set_power(figure, daily_users, baseline_cvr, holdout, days)
    figure.add_hline(y=0.8, line={"dash": "dot"})
    figure.update_layout(
        height=340,
        xaxis={"title": "true lift", "tickformat": ".0%"},
        yaxis={"title": "power", "tickformat": ".0%", "range": [0, 1.02]},
    )
    return figure


def _set_power(
    figure: Figure, daily_users: float, baseline_cvr: float, holdout: float, days: int
) -> None:
    smallest = detectable_lift(daily_users, baseline_cvr, holdout, days)
    top = min(3 * smallest, 1 / baseline_cvr - 1) if np.isfinite(smallest) else 1.0
    lifts = np.linspace(top / 60, top, 60)
    figure.data[0].x = lifts
    figure.data[0].y = [
        lift_power(daily_users, baseline_cvr, holdout, days, x) for x in lifts
    ]
    figure.data[1].x, figure.data[1].y = [smallest], [0.8]
    figure.layout.title = (
        f"{holdout:.0%} held out for {days} days: smallest lift found 80% of the "
        f"time is {smallest:.1%}"
    )


def sampling_figure(runs: pd.DataFrame, true_lift: float = TRUE_LIFT) -> go.Figure:
    """Histogram of the measured lifts of many reruns, the true lift marked."""
    figure = go.Figure(
        [
            go.Bar(name="runs", marker_color="#0969da"),
            go.Scatter(
                mode="lines",
                name="true lift",
                line={"color": TRUTH, "width": 3, "dash": "dash"},
            ),
        ]
    )
    _set_sampling(figure, runs, true_lift)
    figure.update_layout(
        height=340,
        bargap=0.05,
        xaxis={"title": "measured lift", "tickformat": ".0%"},
        yaxis={"title": "runs"},
    )
    return figure


def _set_sampling(figure: Figure, runs: pd.DataFrame, true_lift: float) -> None:
    counts, edges = np.histogram(runs["lift"].clip(BINS[0], BINS[-1]), BINS)
    figure.data[0].x, figure.data[0].y = (edges[:-1] + edges[1:]) / 2, counts
    figure.data[1].x, figure.data[1].y = [true_lift, true_lift], [0, counts.max()]
    figure.layout.title = (
        f"{len(runs)} reruns of the same test: {runs['significant'].mean():.0%} "
        f"significant, {runs['covers_truth'].mean():.0%} of the intervals hold the "
        "true lift"
    )


def planned_reruns(
    holdout: float, days: int, seed: int = 0, runs: int = 100
) -> pd.DataFrame:
    """The planner's test (default users and conversion rate) rerun `runs` times."""
    users = int(DEFAULT_TEST["daily_users"] * days)
    return rerun_lift_test(
        users, DEFAULT_TEST["baseline_cvr"], TRUE_LIFT, holdout, runs, seed
    )


def _compare(search_effect: float) -> pd.DataFrame:
    effects = {"Search": search_effect}
    touches, _ = simulate_touches(effects=effects)
    return compare_touches(touches, effects)


class AttributionLabApp:
    """Search's true effect drives the credit bars; the planner drives the curve."""

    def __init__(self, model: Callable[[float], pd.DataFrame] = _compare) -> None:
        self.model = model
        self.search = w.FloatSlider(
            value=TRUE_EFFECTS["Search"],
            min=0,
            max=1.5,
            step=0.05,
            description="Search's true effect",
            style={"description_width": "initial"},
        )
        self.holdout = w.FloatSlider(
            value=DEFAULT_TEST["holdout"],
            min=0.02,
            max=0.5,
            step=0.01,
            description="Holdout",
            readout_format=".0%",
        )
        self.days = w.IntSlider(
            value=DEFAULT_TEST["days"], min=7, max=56, step=7, description="Days"
        )
        self.errors = w.HTML()
        comparison = self.model(self.search.value)
        self.credit = go.FigureWidget(credit_figure(comparison))
        self.errors.value = _errors_html(comparison)
        self.power = go.FigureWidget(power_figure())
        self.reruns = 0
        self.sampling = go.FigureWidget(
            sampling_figure(planned_reruns(self.holdout.value, self.days.value))
        )
        self.rerun_button = w.Button(description="Rerun the test 100 times")
        self.rerun_button.on_click(self.rerun)
        self.search.observe(self.update_credit, names="value")
        for control in (self.holdout, self.days):
            control.observe(self.update_power, names="value")
        self.widget = w.VBox(
            [
                self.search,
                self.credit,
                self.errors,
                w.HBox([self.holdout, self.days]),
                self.power,
                self.rerun_button,
                self.sampling,
            ]
        )

    def update_credit(self, change: Change | None = None) -> None:
        comparison = self.model(self.search.value)
        with self.credit.batch_update():
            _set_credit(self.credit, comparison)
        self.errors.value = _errors_html(comparison)

    def update_power(self, change: Change | None = None) -> None:
        with self.power.batch_update():
            _set_power(
                self.power,
                DEFAULT_TEST["daily_users"],
                DEFAULT_TEST["baseline_cvr"],
                self.holdout.value,
                self.days.value,
            )

    def rerun(self, _: w.Button | None = None) -> None:
        """100 new audiences for the planned test; the histogram redrawn in place."""
        self.reruns += 1
        runs = planned_reruns(self.holdout.value, self.days.value, seed=self.reruns)
        with self.sampling.batch_update():
            _set_sampling(self.sampling, runs, TRUE_LIFT)


def _errors_html(comparison: pd.DataFrame) -> str:
    errors = model_error(comparison).sort_values()
    ranked = ", ".join(f"{name} {gap:.2f}" for name, gap in errors.items())
    return (
        "Distance from the truth (sum of the gaps in share; smaller is better): "
        f"{ranked}."
    )


def attribution_lab_app(
    model: Callable[[float], pd.DataFrame] = _compare,
) -> w.Widget:
    """The live attribution lab."""
    return AttributionLabApp(model).widget
