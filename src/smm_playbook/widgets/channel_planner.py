"""Views for the channel planner: a static build-up chart and a live app.

`plan_reach` here is the model on the course's `platform_audiences` data, loaded
once, so that pages and notebooks can call it without handling the table.
`reach_build_up_figure` works in the static book. `channel_planner_app` needs a
kernel: a slider per channel, segment pickers and a goal drive `model` (default
`plan_reach`); the figure is built once and updated in place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from smm_playbook import data
from smm_playbook.sim import channel_planner as sim_planner
from smm_playbook.sim.channel_planner import (
    CHANNELS,
    EXAMPLE_PLAN,
    SEGMENT_COLUMNS,
    Audiences,
    Plan,
    PlanResult,
)
from smm_playbook.widgets._types import Change, Figure

CHANNEL, SUMMED, DEDUP, GOAL = "#8c959f", "#9a6700", "#0969da", "#cf222e"
SEGMENT_VALUES = {
    "region": ("North America", "Western Europe", "Mainland China", "Southeast Asia"),
    "age_band": ("18-24", "25-34", "35-44", "45-54", "55+"),
    "interest": ("Food & drink", "Beauty & fashion", "Tech & gaming"),
}


@cache
def shipped_audiences() -> Audiences:
    """The course's `platform_audiences` dataset, loaded and arranged once."""
    return sim_planner.audiences_from(data.load("platform_audiences"))


def plan_reach(
    activity: Mapping[str, float],
    segments: Mapping[str, Sequence[str]] | None = None,
    goal: float = 0.5,
    dedup: Callable[[np.ndarray], np.ndarray] | None = None,
    *,
    audiences: Audiences | pd.DataFrame | None = None,
) -> PlanResult:
    """`smm_playbook.sim.channel_planner.plan_reach` on the course's audience data.

    Pass `audiences` to run it on another table instead.
    """
    table = shipped_audiences() if audiences is None else audiences
    return sim_planner.plan_reach(activity, segments, goal, dedup, audiences=table)


def reach_build_up_figure(result: PlanResult) -> go.Figure:
    """Add the plan's channels one at a time (largest first): summed vs deduplicated."""
    order = list(result.channels["platform"])
    activity = dict(zip(order, result.channels["activity"], strict=True))
    steps = [
        sim_planner.plan_reach(
            {c: activity[c] for c in order[: k + 1]},
            result.target,
            result.goal,
            audiences=result.audiences,
        )
        for k in range(len(order))
    ]
    labels = [f"+ {c}" for c in order]
    figure = go.Figure(
        [
            go.Bar(
                x=labels,
                y=[s.summed_reach / s.population for s in steps],
                name="Summed channel reach (double counts)",
                marker_color=SUMMED,
            ),
            go.Scatter(
                x=labels,
                y=[s.reach_share for s in steps],
                mode="lines+markers",
                name="Deduplicated reach",
                line={"color": DEDUP, "width": 3},
            ),
        ]
    )
    figure.add_hline(
        y=result.goal,
        line={"color": GOAL, "dash": "dash"},
        annotation_text=f"goal {result.goal:.0%}",
    )
    figure.update_layout(
        title=_headline(result),
        yaxis={"tickformat": ".0%", "title": "share of target population"},
        height=420,
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def _headline(result: PlanResult) -> str:
    verdict = "meets" if result.goal_met else "misses"
    return (
        f"Reach {result.reach_share:.0%} of {result.population / 1e6:,.0f} M people "
        f"({verdict} the {result.goal:.0%} goal) · frequency {result.frequency:.1f}"
        f" · budget {result.weekly_budget / 1e3:,.0f}k a week"
    )


class ChannelPlannerApp:
    """Controls wired to `model`; one bar per channel plus summed, combined and goal."""

    def __init__(
        self,
        model: Callable[..., PlanResult] = plan_reach,
        plan: Plan | None = None,
    ) -> None:
        plan = plan or EXAMPLE_PLAN
        self.model = model
        self.sliders = {
            c: w.IntSlider(
                value=int(plan["activity"].get(c, 0)),
                min=0,
                max=100,
                step=5,
                description=c,
                layout={"width": "330px"},
            )
            for c in CHANNELS
        }
        self.pickers = {
            col: w.SelectMultiple(
                options=SEGMENT_VALUES[col],
                value=tuple(plan["segments"].get(col, SEGMENT_VALUES[col])),
                description=col.replace("_", " "),
                rows=5,
            )
            for col in SEGMENT_COLUMNS
        }
        self.goal = w.FloatSlider(
            value=plan["goal"],
            min=0.05,
            max=1.0,
            step=0.05,
            description="Goal",
            readout_format=".0%",
        )
        self.figure = go.FigureWidget(self._figure(self._run()))
        for control in [*self.sliders.values(), *self.pickers.values(), self.goal]:
            control.observe(self.update, names="value")
        controls = w.VBox([*self.sliders.values(), self.goal])
        self.widget = w.VBox(
            [w.HBox(list(self.pickers.values())), w.HBox([controls, self.figure])]
        )

    def _run(self) -> PlanResult:
        activity = {c: s.value for c, s in self.sliders.items() if s.value}
        segments = {col: list(p.value) for col, p in self.pickers.items() if p.value}
        return self.model(activity, segments, self.goal.value)

    def _figure(self, result: PlanResult) -> go.Figure:
        figure = go.Figure(
            go.Bar(
                x=list(CHANNELS),
                y=self._shares(result),
                marker_color=CHANNEL,
                name="Channel reach",
            )
        )
        for name, colour in (
            ("Summed", SUMMED),
            ("Deduplicated", DEDUP),
            ("Goal", GOAL),
        ):
            figure.add_scatter(
                x=[CHANNELS[0], CHANNELS[-1]],
                y=[0, 0],
                mode="lines",
                name=name,
                line={"color": colour, "dash": "dash"},
            )
        figure.update_layout(
            yaxis={"tickformat": ".0%", "range": [0, 1.5]},
            height=460,
            legend={"orientation": "h", "y": -0.25},
            width=620,
        )
        self._apply(figure, result)
        return figure

    @staticmethod
    def _shares(result: PlanResult) -> list[float]:
        shares = dict(
            zip(
                result.channels["platform"], result.channels["reach_share"], strict=True
            )
        )
        return [float(shares.get(c, 0.0)) for c in CHANNELS]

    def _apply(self, figure: Figure, result: PlanResult) -> None:
        figure.data[0].y = self._shares(result)
        for trace, level in zip(
            figure.data[1:],
            (
                result.summed_reach / max(result.population, 1),
                result.reach_share,
                result.goal,
            ),
            strict=True,
        ):
            trace.y = [level, level]
        figure.layout.title = _headline(result)

    def update(self, change: Change | None = None) -> None:
        """Re-run the model and move the bars and lines in place."""
        result = self._run()
        with self.figure.batch_update():
            self._apply(self.figure, result)


def channel_planner_app(
    model: Callable[..., PlanResult] = plan_reach, **kwargs: Plan | None
) -> w.Widget:
    """The live channel planner (display it in JupyterLab or Voilà)."""
    return ChannelPlannerApp(model, **kwargs).widget
