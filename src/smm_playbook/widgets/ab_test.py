"""Views for the A/B test planner: a static power curve and a live planner."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import numpy as np
import plotly.graph_objects as go
from numpy.typing import NDArray

from smm_playbook.sim.ab_test import power, sample_size_per_group
from smm_playbook.widgets._types import Change, Figure

CURVE, MARK = "#0969da", "#cf222e"
DEFAULT_BASELINE, DEFAULT_MDE = 0.03, 0.005  # where the planner's sliders start


def _curve(
    baseline: float, mde: float, alpha: float
) -> tuple[np.ndarray, float | NDArray[np.float64], int]:
    needed = sample_size_per_group(baseline, mde, alpha)
    sizes = np.unique(np.linspace(needed * 0.05, needed * 2.5, 60).astype(int))
    return sizes, power(baseline, mde, sizes, alpha), needed


def power_curve_figure(baseline: float, mde: float, alpha: float = 0.05) -> go.Figure:
    """Power against sample size per group, with the 80 % point marked."""
    figure = go.Figure(
        [
            go.Scatter(name="power", line={"color": CURVE, "width": 3}),
            go.Scatter(
                mode="markers", name="80% power", marker={"color": MARK, "size": 12}
            ),
        ]
    )
    _set_curve(figure, baseline, mde, alpha)
    figure.add_hline(y=0.8, line={"dash": "dot"})
    figure.update_layout(
        height=380,
        xaxis_title="people per variant",
        yaxis={"title": "power", "tickformat": ".0%", "range": [0, 1.02]},
    )
    return figure


def _set_curve(figure: Figure, baseline: float, mde: float, alpha: float) -> None:
    sizes, powers, needed = _curve(baseline, mde, alpha)
    figure.data[0].x, figure.data[0].y = sizes, powers
    figure.data[1].x, figure.data[1].y = [needed], [power(baseline, mde, needed, alpha)]
    figure.layout.title = (
        f"Baseline {baseline:.1%}, detect +{mde * 100:.2f} points: "
        f"{needed:,} per variant"
    )


class ABPlannerApp:
    """Baseline, MDE and alpha sliders drive the power curve in place."""

    def __init__(self, model: Callable[..., int] = sample_size_per_group):
        self.model = model
        self.baseline = w.FloatSlider(
            value=DEFAULT_BASELINE,
            min=0.005,
            max=0.2,
            step=0.005,
            description="Baseline",
            readout_format=".1%",
        )
        self.mde = w.FloatSlider(
            value=DEFAULT_MDE,
            min=0.001,
            max=0.05,
            step=0.001,
            description="MDE",
            readout_format=".1%",
        )
        self.alpha = w.Dropdown(options=[0.01, 0.05, 0.1], value=0.05, description="α")
        self.needed = w.HTML()
        self.figure = go.FigureWidget(power_curve_figure(DEFAULT_BASELINE, DEFAULT_MDE))
        for control in (self.baseline, self.mde, self.alpha):
            control.observe(self.update, names="value")
        self.update()
        self.widget = w.VBox(
            [w.HBox([self.baseline, self.mde, self.alpha]), self.needed, self.figure]
        )

    def update(self, change: Change | None = None) -> None:
        """Recompute the sample size and redraw the curve in place."""
        args = (self.baseline.value, self.mde.value, self.alpha.value)
        self.needed.value = (
            f"<b>{self.model(*args):,}</b> people per variant for 80% power"
        )
        with self.figure.batch_update():
            _set_curve(self.figure, *args)


def ab_planner_app(model: Callable[..., int] = sample_size_per_group) -> w.Widget:
    """The live A/B test planner."""
    return ABPlannerApp(model).widget
