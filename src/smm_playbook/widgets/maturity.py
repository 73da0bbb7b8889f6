"""Views for the maturity self-assessment: a static staircase and a live checklist."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import ipywidgets as w
import plotly.graph_objects as go

from smm_playbook.sim.maturity import STATEMENTS, MaturityResult, assess_maturity
from smm_playbook.widgets._types import Change

REACHED, OPEN = "#1a7f37", "#d0d7de"


def maturity_figure(result: MaturityResult) -> go.Figure:
    """Stages 1–6 as a staircase; stages reached in green, with statements met."""
    table = result.table
    colours = [REACHED if n <= result.stage else OPEN for n in table["stage"]]
    labels = [
        f"{n}. {name}" for n, name in zip(table["stage"], table["name"], strict=True)
    ]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=table["stage"],
            marker_color=colours,
            text=[
                f"{m}/{t} met"
                for m, t in zip(table["met"], table["total"], strict=True)
            ],
            textposition="outside",
            hovertemplate="%{x}<extra></extra>",
        )
    )
    figure.update_layout(
        title=_headline(result),
        yaxis={"visible": False, "range": [0, 7]},
        height=380,
        showlegend=False,
    )
    return figure


def _headline(result: MaturityResult) -> str:
    head = f"Stage {result.stage}: {result.stage_name}"
    return head + (
        f" · next: {result.next_stage_name}" if result.next_stage_name else ""
    )


def missing_html(result: MaturityResult) -> str:
    if not result.next_stage_name:
        return "<p>Every stage is complete.</p>"
    items = "".join(f"<li>{html.escape(text)}</li>" for text in result.missing)
    return (
        f"<p><b>To reach {html.escape(result.next_stage_name)}:</b></p><ul>{items}</ul>"
    )


class MaturityApp:
    """A checkbox per statement wired to `model`; the staircase updates in place."""

    def __init__(
        self,
        model: Callable[..., MaturityResult] = assess_maturity,
        answers: Mapping[str, bool] | None = None,
    ) -> None:
        answers = answers or dict.fromkeys(STATEMENTS, False)
        self.model = model
        self.boxes = {
            k: w.Checkbox(
                value=answers[k],
                description=f"{n}. {text}",
                indent=False,
                layout={"width": "620px"},
            )
            for k, (n, text) in STATEMENTS.items()
        }
        result = self._run()
        self.figure = go.FigureWidget(maturity_figure(result))
        self.advice = w.HTML(missing_html(result))
        for box in self.boxes.values():
            box.observe(self.update, names="value")
        self.widget = w.VBox(
            [w.VBox(list(self.boxes.values())), self.figure, self.advice]
        )

    def _run(self) -> MaturityResult:
        return self.model({k: b.value for k, b in self.boxes.items()})

    def update(self, change: Change | None = None) -> None:
        result = self._run()
        fresh = maturity_figure(result)
        with self.figure.batch_update():
            self.figure.data[0].marker.color = fresh.data[0].marker.color
            self.figure.data[0].text = fresh.data[0].text
            self.figure.layout.title.text = fresh.layout.title.text
        self.advice.value = missing_html(result)


def maturity_app(
    model: Callable[..., MaturityResult] = assess_maturity,
    **kwargs: Mapping[str, bool] | None,
) -> w.Widget:
    """The live maturity self-assessment."""
    return MaturityApp(model, **kwargs).widget
