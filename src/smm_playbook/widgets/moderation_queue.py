"""Views for the moderation queue: static figures for the book and a live app.

The live app: messages a day, staff per shift, the arrival pattern, the order of
the line, the length of the run, and one category's share and handling time
drive `model` (default `simulate_queue`). Both figures are built once and their
traces updated in place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smm_playbook.sim.moderation_queue import (
    DEFAULT_CATEGORIES,
    DEFAULT_PATTERN,
    DEFAULT_PER_DAY,
    DEFAULT_SHIFT_STAFF,
    SHIFTS,
    SLA_MINUTES,
    QueueResult,
    roster_from_shifts,
    simulate_queue,
)
from smm_playbook.widgets._types import Change, Figure

BACKLOG, STAFF, SIMULATED, ERLANG = "#cf222e", "#57606a", "#0969da", "#9a6700"


def _spike(pattern: np.ndarray) -> np.ndarray:
    """The dataset's day with a campaign post at 20:00 tripling that hour."""
    spiked = pattern.copy()
    spiked[20] *= 3
    return spiked / spiked.sum()


PATTERNS = {
    "comments dataset": DEFAULT_PATTERN,
    "flat (same every hour)": np.full(24, 1 / 24),
    "campaign spike at 20:00": _spike(DEFAULT_PATTERN),
}


def queue_figure(result: QueueResult) -> go.Figure:
    """Messages waiting to be picked up, with the staff on shift, over the run."""
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_scatter(
        x=[], y=[], name="waiting", line={"color": BACKLOG}, fill="tozeroy"
    )
    figure.add_scatter(
        x=[],
        y=[],
        name="staff on shift",
        line={"color": STAFF, "shape": "hv", "dash": "dot"},
        secondary_y=True,
    )
    _set_queue(figure, result)
    figure.update_layout(
        height=360,
        legend={"orientation": "h", "y": -0.25},
        xaxis_title="hours from midnight of day 1",
    )
    figure.update_yaxes(title_text="messages waiting", rangemode="tozero")
    figure.update_yaxes(title_text="staff", rangemode="tozero", secondary_y=True)
    return figure


def _set_queue(figure: Figure, result: QueueResult) -> None:
    backlog = result.backlog
    hours = backlog["minute"].to_numpy() / 60
    figure.data[0].x, figure.data[0].y = hours, backlog["waiting"].to_numpy()
    figure.data[1].x, figure.data[1].y = hours, backlog["staff"].to_numpy()
    figure.layout.title = (
        f"{len(result.messages):,} messages · {result.handled:,} handled · "
        f"{result.waiting_at_end:,} still waiting at the end"
    )


def sla_figure(result: QueueResult) -> go.Figure:
    """SLA attainment per tier: the simulation beside Erlang C's prediction."""
    figure = go.Figure(
        [
            go.Bar(name="simulated", marker_color=SIMULATED),
            go.Bar(name="Erlang C (one line, in order)", marker_color=ERLANG),
        ]
    )
    _set_sla(figure, result)
    figure.update_layout(
        height=340,
        barmode="group",
        legend={"orientation": "h", "y": -0.25},
        yaxis={"title": "within SLA", "tickformat": ".0%", "range": [0, 1.05]},
    )
    return figure


def _set_sla(figure: Figure, result: QueueResult) -> None:
    tiers = result.by_tier
    labels = [f"Tier {t} (≤ {SLA_MINUTES[t]:g} min)" for t in tiers.index]
    figure.data[0].x, figure.data[0].y = labels, tiers["attainment"].to_numpy()
    figure.data[1].x, figure.data[1].y = labels, tiers["erlang_attainment"].to_numpy()
    order = "higher tiers first" if result.order == "tier" else "in arrival order"
    figure.layout.title = f"First action within SLA, served {order}"


def _summary_html(result: QueueResult) -> str:
    rows = "".join(
        f"<tr><td>Tier {tier}</td><td>{row.messages:,}</td>"
        f"<td>{row.median_response:.0f} min</td><td>{row.p90_response:.0f} min</td>"
        f"<td>{row.attainment:.0%}</td></tr>"
        for tier, row in result.by_tier.iterrows()
    )
    return (
        "<table><tr><th></th><th>messages</th><th>median response</th>"
        f"<th>p90 response</th><th>within SLA</th></tr>{rows}</table>"
    )


class ModerationQueueApp:
    """Controls for load, staffing and policy; figures redrawn in place."""

    def __init__(self, model: Callable[..., QueueResult] = simulate_queue) -> None:
        self.model = model
        self.categories = {c.name: c for c in DEFAULT_CATEGORIES}
        self.per_day = w.IntSlider(
            value=int(DEFAULT_PER_DAY),
            min=100,
            max=3000,
            step=50,
            description="Messages/day",
        )
        self.shifts = {
            shift: w.IntSlider(
                value=DEFAULT_SHIFT_STAFF[shift],
                min=0,
                max=12,
                description=f"{shift.capitalize()} {hours[0]:02d}–{hours[-1] + 1:02d}",
            )
            for shift, hours in SHIFTS.items()
        }
        self.pattern = w.Dropdown(options=list(PATTERNS), description="Arrivals")
        self.order = w.Dropdown(
            options=[("in arrival order", "fifo"), ("higher tiers first", "tier")],
            description="Serve",
        )
        self.days = w.Dropdown(options=[("1 day", 1), ("7 days", 7)], description="Run")
        self.category = w.Dropdown(
            options=list(self.categories), description="Category"
        )
        self.share = w.FloatSlider(min=0, max=0.6, step=0.01, description="Share")
        self.handling = w.FloatSlider(
            min=0.1, max=30, step=0.1, description="Minutes each"
        )
        self._show_category()
        self.summary = w.HTML()
        result = self._run()
        self.queue = go.FigureWidget(queue_figure(result))
        self.sla = go.FigureWidget(sla_figure(result))
        self.summary.value = _summary_html(result)
        self.category.observe(self._show_category, names="value")
        for control in (self.share, self.handling):
            control.observe(self._edit_category, names="value")
        for control in (
            self.per_day,
            *self.shifts.values(),
            self.pattern,
            self.order,
            self.days,
        ):
            control.observe(self.update, names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.per_day, self.pattern, self.order, self.days]),
                w.HBox(list(self.shifts.values())),
                w.HBox([self.category, self.share, self.handling]),
                self.queue,
                w.HBox([self.sla, self.summary]),
            ]
        )

    def _show_category(self, change: Change | None = None) -> None:
        """Point the share and handling sliders at the chosen category."""
        chosen = self.categories[self.category.value]
        self._loading = True  # moving the sliders here is not an edit
        self.share.value, self.handling.value = chosen.share, chosen.handling_minutes
        self._loading = False

    def _edit_category(self, change: Change) -> None:
        if self._loading:
            return
        name = self.category.value
        self.categories[name] = replace(
            self.categories[name],
            share=self.share.value,
            handling_minutes=self.handling.value,
        )
        self.update()

    def _run(self) -> QueueResult:
        roster = roster_from_shifts({s: c.value for s, c in self.shifts.items()})
        return self.model(
            self.per_day.value,
            roster,
            pattern=PATTERNS[self.pattern.value],
            categories=tuple(self.categories.values()),
            days=self.days.value,
            order=self.order.value,
        )

    def update(self, change: Change | None = None) -> None:
        """Rerun the inbox and redraw both figures in place."""
        try:
            result = self._run()
        except ValueError as error:  # e.g. every category's share set to zero
            self.summary.value = f"<b>Cannot run:</b> {error}"
            return
        with self.queue.batch_update():
            _set_queue(self.queue, result)
        with self.sla.batch_update():
            _set_sla(self.sla, result)
        self.summary.value = _summary_html(result)


def moderation_queue_app(
    model: Callable[..., QueueResult] = simulate_queue,
) -> w.Widget:
    """The live moderation queue lab."""
    return ModerationQueueApp(model).widget
