"""Views for the content calendar lab: static figures for the book, a live app.

The live app: a cadence slider per platform, a posting hour, a format menu and a
seed drive `model` (default `simulate_calendar`); the figure is built once and its
traces are updated in place.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smm_playbook.sim.content_calendar import (
    EXAMPLE_CADENCE,
    FORMATS,
    PLATFORMS,
    CalendarResult,
    cadence_curve,
    simulate_calendar,
)
from smm_playbook.widgets._types import Change, Figure

EXPECTED, REALISED = "#9a6700", "#0969da"


def weekly_figure(result: CalendarResult) -> go.Figure:
    """Expected and realised reach and engagements, week by week."""
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("Reach per week", "Engagements per week")
    )
    _add_weekly_traces(figure)
    _set_weekly(figure, result)
    figure.update_layout(height=380, legend={"orientation": "h", "y": -0.2})
    figure.update_xaxes(title_text="week")
    return figure


def _add_weekly_traces(figure: go.Figure) -> None:
    for col, what in ((1, "reach"), (2, "engagements")):
        figure.add_scatter(
            x=[],
            y=[],
            name=f"expected {what}",
            row=1,
            col=col,
            line={"color": EXPECTED, "dash": "dash"},
        )
        figure.add_scatter(
            x=[],
            y=[],
            name=f"realised {what}",
            row=1,
            col=col,
            mode="lines+markers",
            line={"color": REALISED},
        )


def _set_weekly(figure: Figure, result: CalendarResult) -> None:
    weekly = result.weekly
    columns = ("expected_reach", "reach", "expected_engagements", "engagements")
    weeks = weekly["week"].to_numpy()
    for trace, column in zip(figure.data, columns, strict=True):
        if trace.x is None or len(trace.x) != len(weeks):  # x only changes with `weeks`
            trace.x = weeks
        trace.y = weekly[column].to_numpy()
    posts = len(result.posts)
    figure.layout.title = (
        f"{posts} posts · realised reach {weekly['reach'].sum():,.0f} "
        f"vs expected {weekly['expected_reach'].sum():,.0f}"
    )


def cadence_tradeoff_figure(platform: str, hour: int = 12) -> go.Figure:
    """Reach per post falls and weekly reach flattens as cadence rises."""
    curve = cadence_curve(platform, hour=hour)
    comfortable = PLATFORMS[platform].comfortable
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_bar(
        x=curve["posts_per_week"],
        y=curve["weekly_reach"],
        name="weekly reach",
        marker_color="#8c959f",
    )
    figure.add_scatter(
        x=curve["posts_per_week"],
        y=curve["reach_per_post"],
        name="reach per post",
        line={"color": REALISED, "width": 3},
        secondary_y=True,
    )
    figure.add_vline(
        x=comfortable + 0.5, line={"dash": "dot"}, annotation_text="fatigue starts"
    )
    figure.update_layout(
        title=f"{platform}: the cadence trade-off (expected values)",
        height=380,
        legend={"orientation": "h", "y": -0.25},
    )
    figure.update_xaxes(title_text="posts per week")
    figure.update_yaxes(
        title_text="weekly reach", secondary_y=False, rangemode="tozero"
    )
    figure.update_yaxes(
        title_text="reach per post", secondary_y=True, rangemode="tozero"
    )
    return figure


class ContentCalendarApp:
    """Cadence sliders, hour, format and seed wired to `model`; one figure, updated."""

    def __init__(
        self, model: Callable[..., CalendarResult] = simulate_calendar
    ) -> None:

        self.model = model
        self.sliders = {
            p: w.IntSlider(
                value=EXAMPLE_CADENCE.get(p, 0),
                min=0,
                max=min(14, spec.max_per_week),
                description=p,
                layout={"width": "320px"},
            )
            for p, spec in PLATFORMS.items()
        }
        self.hour = w.IntSlider(value=12, min=0, max=23, description="Hour")
        self.format = w.Dropdown(
            options=["mixed", *FORMATS], value="mixed", description="Format"
        )
        self.seed = w.IntSlider(value=0, min=0, max=20, description="Seed")
        self.figure = go.FigureWidget(weekly_figure(self._run()))
        for control in [*self.sliders.values(), self.hour, self.format, self.seed]:
            control.observe(self.update, names="value")
        controls = w.VBox([*self.sliders.values(), self.hour, self.format, self.seed])
        self.widget = w.HBox([controls, self.figure])

    def _run(self) -> CalendarResult:
        cadence = {p: s.value for p, s in self.sliders.items() if s.value}
        mix = None if self.format.value == "mixed" else {self.format.value: 1.0}
        return self.model(
            cadence, format_mix=mix, hour=self.hour.value, seed=self.seed.value
        )

    def update(self, change: Change | None = None) -> None:
        """Re-run the model and refresh the traces in place."""
        result = self._run()
        with self.figure.batch_update():
            _set_weekly(self.figure, result)


def content_calendar_app(
    model: Callable[..., CalendarResult] = simulate_calendar,
) -> w.Widget:
    """The live content calendar lab (display it in JupyterLab or Voilà)."""
    return ContentCalendarApp(model).widget
