"""Views for the spread model: static figures for the book and a live app.

The live app: when the brand responds, with which posture, in which SCCT cluster,
where the story starts and which model (follower network or mean field) drive
`model`; the figure is built once and its traces updated in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict, Unpack, cast

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smm_playbook.sim.rumour_spread import (
    CLUSTERS,
    NETWORK_SIZE,
    POSTURES,
    RECOMMENDED,
    STEP_MINUTES,
    SpreadResult,
    mean_field,
    network_spread,
)
from smm_playbook.widgets._types import Change, Figure

NO_RESPONSE, RESPONSE, REACH = "#cf222e", "#0969da", "#57606a"
DEFAULT_RESPOND_AT = 120  # minutes: where the live app's slider starts


def spread_figure(results: SpreadResult | Sequence[SpreadResult]) -> go.Figure:
    """Negative mentions per 5 minutes and accounts reached, one line per run."""
    runs = [results] if isinstance(results, SpreadResult) else list(results)
    figure = _two_panels()
    palette = [NO_RESPONSE, RESPONSE, "#9a6700", "#8250df", REACH]
    for index, run in enumerate(runs):
        color = palette[index % len(palette)]
        _add_run(figure, run.series, _label(run.respond_at), color)
    figure.update_layout(title="How far the story travels")
    return figure


def _two_panels() -> go.Figure:
    figure = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=(
            f"Negative mentions per {STEP_MINUTES} minutes",
            "Accounts that have heard",
        ),
    )
    figure.update_layout(height=380, legend={"orientation": "h", "y": -0.25})
    figure.update_xaxes(title_text="hours after the first post")
    return figure


def _add_run(figure: Figure, series: pd.DataFrame, name: str, color: str) -> None:
    hours = series["minute"].to_numpy() / 60
    for col, column in ((1, "new_mentions"), (2, "heard")):
        figure.add_scatter(
            x=hours,
            y=series[column].to_numpy(),
            name=name,
            legendgroup=name,
            showlegend=col == 1,
            line={"color": color},
            row=1,
            col=col,
        )


def _label(respond_at: float | None) -> str:
    if respond_at is None:
        return "no response"
    return f"respond at {respond_at / 60:g} h"


def delay_cost_figure(frame: pd.DataFrame) -> go.Figure:
    """Total reach against the response time: what each hour of delay costs."""
    figure = go.Figure(
        go.Scatter(
            x=frame["respond_at"] / 60,
            y=frame["total_reach"],
            mode="lines+markers",
            line={"color": RESPONSE, "width": 3},
            name="accounts reached",
        )
    )
    figure.update_layout(
        height=340,
        title="The cost of waiting",
        xaxis_title="brand responds after (hours)",
        yaxis={"title": "accounts that heard the story", "rangemode": "tozero"},
    )
    return figure


def mean_field_series(
    frame: pd.DataFrame, population: int = NETWORK_SIZE
) -> pd.DataFrame:
    """The mean-field shares as counts, in the network result's columns."""
    ignorant = frame["ignorant"].to_numpy() * population
    heard = population - ignorant
    return pd.DataFrame(
        {
            "minute": frame["minute"],
            "new_mentions": np.diff(heard, prepend=heard[0]),
            "active_spreaders": frame["spreader"] * population,
            "heard": heard,
        }
    )


class _Response(TypedDict, total=False):
    """The settings both models take."""

    respond_at: float | None
    cluster: str
    posture: str


class _Settings(_Response, total=False):
    """What the app passes its model: the controls, and the response time."""

    start: str  # the network model's alone
    seed: int


def _run(model: str, **settings: Unpack[_Settings]) -> pd.DataFrame:
    if model == "network":
        return network_spread(**settings).series
    settings.pop("start"), settings.pop("seed")
    return mean_field_series(mean_field(**cast(_Response, settings)))


class RumourSpreadApp:
    """Response time, posture, cluster, start and model drive the two panels."""

    def __init__(self, model: Callable[..., pd.DataFrame] = _run) -> None:
        self.model = model
        self.respond_at = w.IntSlider(
            value=DEFAULT_RESPOND_AT,
            min=0,
            max=480,
            step=15,
            description="Respond at (min)",
            style={"description_width": "initial"},
        )
        self.cluster = w.Dropdown(
            options=CLUSTERS, value="accidental", description="Cluster"
        )
        self.posture = w.Dropdown(
            options=[p for p in POSTURES if p != "none"],
            value=RECOMMENDED["accidental"],
            description="Posture",
        )
        self.start = w.Dropdown(
            options=[("an ordinary account", "random"), ("the biggest hub", "hub")],
            description="Starts at",
        )
        self.view = w.Dropdown(
            options=[("follower network", "network"), ("mean field", "mean_field")],
            description="Model",
        )
        self.seed = w.IntText(value=0, description="Seed")
        self.summary = w.HTML()
        self._baselines: dict[tuple, pd.DataFrame] = {}
        # Build the figure with real data first (a FigureWidget born with empty
        # traces did not draw in the browser), then update it in place.
        figure = _two_panels()
        for name, color in (("no response", NO_RESPONSE), ("response", RESPONSE)):
            _add_run(figure, self._series(respond_at=None), name, color)
        self.figure = go.FigureWidget(figure)
        self.controls = (
            self.respond_at,
            self.cluster,
            self.posture,
            self.start,
            self.view,
            self.seed,
        )
        for control in self.controls:
            control.observe(self.update, names="value")
        self.update()
        self.widget = w.VBox(
            [
                w.HBox([self.respond_at, self.cluster, self.posture]),
                w.HBox([self.start, self.view, self.seed]),
                self.summary,
                self.figure,
            ]
        )

    def _settings(self) -> _Settings:
        return {
            "cluster": self.cluster.value,
            "posture": self.posture.value,
            "start": self.start.value,
            "seed": self.seed.value,
        }

    def _series(self, respond_at: float | None) -> pd.DataFrame:
        return self.model(self.view.value, respond_at=respond_at, **self._settings())

    def update(self, change: Change | None = None) -> None:
        """Rerun with and without the response; redraw both panels in place."""
        settings = self._settings()
        # The no-response run does not depend on the response controls: keep it.
        key = (self.view.value, settings["start"], settings["seed"])
        if key not in self._baselines:
            self._baselines[key] = self._series(respond_at=None)
        baseline = self._baselines[key]
        responded = self._series(respond_at=self.respond_at.value)
        label = _label(self.respond_at.value)
        with self.figure.batch_update():
            for offset, series in ((0, baseline), (2, responded)):
                hours = series["minute"].to_numpy() / 60
                for col, column in enumerate(("new_mentions", "heard")):
                    trace = self.figure.data[offset + col]
                    trace.x, trace.y = hours, series[column].to_numpy()
            for trace in self.figure.data[2:]:
                trace.name = trace.legendgroup = label
        self.summary.value = _summary(baseline, responded, label, settings)


def _summary(
    baseline: pd.DataFrame, responded: pd.DataFrame, label: str, settings: _Settings
) -> str:

    without, with_ = baseline["heard"].iloc[-1], responded["heard"].iloc[-1]
    fit = RECOMMENDED[settings["cluster"]]
    return (
        f"No response: <b>{without:,.0f}</b> accounts hear the story. "
        f"With a {settings['posture']} response ({label}): <b>{with_:,.0f}</b>. "
        f"SCCT suggests <i>{fit}</i> for {_article(settings['cluster'])} "
        f"{settings['cluster']} crisis."
    )


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def rumour_spread_app(model: Callable[..., pd.DataFrame] = _run) -> w.Widget:
    """The live spread model."""
    return RumourSpreadApp(model).widget
