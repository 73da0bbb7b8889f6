"""Views for the competency self-assessment: a radar chart and a live app.

`radar_figure` and `example_explorer_figure` return plain plotly figures, which
render in the static book. `competency_app` is the live version (needs a kernel):
nine sliders and a role menu drive the model; the figure is built once and updated
in place. Pass `model=` to plug in your own assessment function.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as w
import plotly.graph_objects as go

from smm_playbook._frames import records
from smm_playbook.sim.competency import (
    COMPETENCIES,
    EXAMPLE_LEARNERS,
    ROLE_PROFILES,
    Assessment,
    RouteStep,
    assess,
)

SELF, TARGET = "#0969da", "#9a6700"
LABELS = [c.name.replace(" and ", " & ") for c in COMPETENCIES]


def _closed(values) -> list:
    """Radar traces repeat the first point so the outline closes."""
    values = list(values)
    return values + values[:1]


def _trace(values, name: str, colour: str, dashed: bool = False) -> go.Scatterpolar:
    return go.Scatterpolar(
        r=_closed(values),
        theta=_closed(LABELS),
        name=name,
        line={"color": colour, "dash": "dash" if dashed else "solid"},
        fill=None if dashed else "toself",
        opacity=0.85,
    )


def _layout(title: str) -> dict:
    return {
        "title": {"text": title, "x": 0.5, "y": 0.97, "yanchor": "top"},
        "polar": {"radialaxis": {"range": [0, 5], "dtick": 1}},
        "legend": {"orientation": "h", "y": -0.12},
        "margin": {"l": 60, "r": 60, "t": 70, "b": 40},
        "height": 480,
    }


def radar_figure(assessment: Assessment) -> go.Figure:
    """Self-rating against the role's target levels, one spoke per competency."""
    table = assessment.table
    figure = go.Figure(
        [
            _trace(table["target"], f"Target: {assessment.role}", TARGET, dashed=True),
            _trace(table["rating"], "Your rating", SELF),
        ]
    )
    figure.update_layout(**_layout(_headline(assessment)))
    return figure


def _headline(assessment: Assessment) -> str:
    top = assessment.route.iloc[0]
    return (
        f"Readiness {assessment.readiness:.0%} for {assessment.role} · "
        f"start with Module {top['module']} ({top['title']})"
    )


def example_explorer_figure(role: str = "Social media manager") -> go.Figure:
    """One figure, a menu of example learners; works without a kernel."""
    results = {name: assess(r, role) for name, r in EXAMPLE_LEARNERS.items()}
    first = next(iter(results.values()))
    traces = [_trace(first.table["target"], f"Target: {role}", TARGET, dashed=True)]
    traces += [_trace(a.table["rating"], name, SELF) for name, a in results.items()]
    figure = go.Figure(traces)
    buttons = []
    for i, (name, result) in enumerate(results.items()):
        visible = [True] + [j == i for j in range(len(results))]
        buttons.append(
            {
                "label": name,
                "method": "update",
                "args": [{"visible": visible}, {"title.text": _headline(result)}],
            }
        )
    for trace in figure.data[2:]:
        trace.visible = False
    figure.update_layout(**_layout(_headline(first)))
    # The menu sits above the plot, below the title, so neither hides the other.
    figure.update_layout(
        updatemenus=[
            {
                "buttons": buttons,
                "x": 0,
                "y": 1.13,
                "xanchor": "left",
                "yanchor": "bottom",
            }
        ],
        margin={"t": 120},
    )
    return figure


def plan_html(assessment: Assessment) -> str:
    """The learning plan as a small HTML table (escaped), in study order."""
    rows = "".join(
        f"<tr><td>{r['step']}</td><td>{r['module']}</td>"
        f"<td>{html.escape(r['title'])}</td><td>{r['priority']}</td>"
        f"<td>{html.escape(r['after'])}</td><td>{html.escape(r['reasons'])}</td></tr>"
        for r in records(assessment.route, RouteStep)
    )
    head = (
        "<tr><th>Step</th><th>Module</th><th>Title</th><th>Priority</th>"
        "<th>After</th><th>Why</th></tr>"
    )
    return f"<table class='smm-plan'>{head}{rows}</table>"


class CompetencyApp:
    """Sliders and a role menu wired to `model`; the figure is updated in place."""

    def __init__(
        self,
        model: Callable[..., Assessment] = assess,
        ratings: Mapping[str, int] | None = None,
        role: str | None = None,
    ) -> None:
        self.model = model
        ratings = ratings or EXAMPLE_LEARNERS["New graduate"]
        self.sliders = {
            c.key: w.IntSlider(
                value=ratings[c.key],
                min=1,
                max=5,
                description=c.name,
                style={"description_width": "220px"},
                layout={"width": "420px"},
            )
            for c in COMPETENCIES
        }
        self.role = w.Dropdown(
            options=list(ROLE_PROFILES),
            value=role or "Social media manager",
            description="Target role",
        )
        self.figure = go.FigureWidget(radar_figure(self._run()))
        self.plan = w.HTML(plan_html(self._run()))
        for control in [*self.sliders.values(), self.role]:
            control.observe(self.update, names="value")
        self.widget = w.VBox(
            [
                self.role,
                w.HBox([w.VBox(list(self.sliders.values())), self.figure]),
                self.plan,
            ]
        )

    def _run(self) -> Assessment:
        return self.model(
            {k: s.value for k, s in self.sliders.items()}, self.role.value
        )

    def update(self, change: object = None) -> None:
        """Re-run the model and refresh the figure and the plan."""
        result = self._run()
        with self.figure.batch_update():
            self.figure.data[0].r = _closed(result.table["target"])
            self.figure.data[0].name = f"Target: {result.role}"
            self.figure.data[1].r = _closed(result.table["rating"])
            self.figure.layout.title.text = _headline(result)
        self.plan.value = plan_html(result)


def competency_app(
    model: Callable[..., Assessment] = assess, **kwargs: Any
) -> w.Widget:
    """The live self-assessment (display it in JupyterLab or Voilà)."""
    return CompetencyApp(model, **kwargs).widget
