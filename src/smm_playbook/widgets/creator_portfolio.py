"""Views for the creator portfolio lab: a static figure for the book and a live app.

Left: what a followers-only choice and the learner's weights promise (claimed reach,
followers × reach rate) against what they truly deliver (deduplicated reach into the
target audience), on the same budget. Right: the pool, followers against engagement
rate by followers, coloured by the share of bought followers, with the learner's
portfolio ringed. The figure is built once; controls update it in place.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from smm_playbook.sim.creator_portfolio import (
    AUDIENCE_FIT,
    DEFAULT,
    FOLLOWERS_ONLY,
    TARGETS,
    PortfolioResult,
    generate_pool,
    run_portfolio,
)
from smm_playbook.widgets._types import Change, Figure

CLAIMED, TRUE, RING = "#9a6700", "#0969da", "#cf222e"
GROUPS = ["Followers only", "Your weights"]


def portfolio_figure(
    pool: pd.DataFrame, baseline: PortfolioResult, mine: PortfolioResult
) -> go.Figure:
    """Claimed against true reach for both portfolios, and the pool they came from."""
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.42, 0.58],
        subplot_titles=("Reach on the same budget", "The pool: bought followers"),
    )
    figure.add_bar(name="claimed (followers × reach rate)", marker_color=CLAIMED)
    figure.add_bar(name="true target reach, deduplicated", marker_color=TRUE)
    er = 100 * pool["avg_engagements"] / pool["followers"]
    figure.add_scatter(
        x=pool["followers"],
        y=er,
        mode="markers",
        name="creators (colour: bought share)",
        text=pool["creator_id"] + " · " + pool["platform"],
        marker={
            "color": pool["fake_share"],
            "colorscale": "OrRd",
            "cmin": 0,
            "cmax": 0.7,
            "size": 7,
            "colorbar": {"title": "bought", "tickformat": ".0%", "x": 1.02},
        },
        row=1,
        col=2,
    )
    figure.add_scatter(
        mode="markers",
        name="your portfolio",
        marker={
            "symbol": "circle-open",
            "size": 13,
            "color": RING,
            "line": {"width": 2},
        },
        row=1,
        col=2,
    )
    figure.update_xaxes(type="log", title="followers", row=1, col=2)
    figure.update_yaxes(title="engagement rate by followers (%)", row=1, col=2)
    figure.update_yaxes(title="people", row=1, col=1)
    figure.update_layout(
        height=440, barmode="group", legend={"orientation": "h", "y": -0.25}
    )
    _update(figure, pool, baseline, mine)
    return figure


def _update(
    figure: Figure, pool: pd.DataFrame, baseline: PortfolioResult, mine: PortfolioResult
) -> None:
    claimed, true, _, ring = figure.data
    claimed.x, claimed.y = GROUPS, [baseline.claimed_reach, mine.claimed_reach]
    true.x, true.y = GROUPS, [baseline.target_reach, mine.target_reach]
    picked = pool["creator_id"].isin(mine.chosen["creator_id"]).to_numpy()
    ring.x = pool["followers"].to_numpy()[picked]
    ring.y = (100 * pool["avg_engagements"] / pool["followers"]).to_numpy()[picked]
    figure.layout.title = _headline(baseline, mine)


def _headline(baseline: PortfolioResult, mine: PortfolioResult) -> str:
    return (
        f"{mine.target}: your weights pay {_cpm(mine)} per 1,000 people reached, "
        f"followers only {_cpm(baseline)}"
    )


def _cpm(result: PortfolioResult) -> str:
    value = result.cost_per_thousand
    return f"${value:,.2f}" if np.isfinite(value) else "— (no one reached)"


def summary_html(baseline: PortfolioResult, mine: PortfolioResult) -> str:
    rows = "".join(
        f"<tr><td>{name}</td><td>{len(r.chosen)}</td><td>${r.cost:,.0f}</td>"
        f"<td>{r.target_reach_share:.2%}</td><td>{_cpm(r)}</td>"
        f"<td>{r.fake_share:.0%}</td></tr>"
        for name, r in zip(GROUPS, (baseline, mine), strict=True)
    )
    return (
        "<table><tr><th>portfolio</th><th>creators</th><th>cost</th>"
        "<th>target reached</th><th>per 1,000 reached</th>"
        f"<th>followers bought</th></tr>{rows}</table>"
    )


class CreatorLabApp:
    """Budget, target and three weights drive `model`; the figure updates in place."""

    def __init__(
        self,
        pool: pd.DataFrame | None = None,
        model: Callable[..., PortfolioResult] = run_portfolio,
    ) -> None:
        self.pool = generate_pool(np.random.default_rng(0)) if pool is None else pool
        self.model = model
        style = {"description_width": "initial"}
        self.budget = w.FloatSlider(
            value=DEFAULT["budget"],
            min=2_000,
            max=100_000,
            step=1_000,
            description="Budget (USD)",
            readout_format=",.0f",
            style=style,
        )
        self.target = w.Dropdown(
            options=list(TARGETS), value=DEFAULT["target"], description="Target"
        )
        self.weights = {
            "fit": w.FloatSlider(
                value=AUDIENCE_FIT["fit"], min=0, max=1, step=0.1,
                description="Audience fit", style=style,
            ),
            "engagement": w.FloatSlider(
                value=AUDIENCE_FIT["engagement"], min=0, max=2, step=0.1,
                description="Engagement rate", style=style,
            ),
            "authenticity": w.FloatSlider(
                value=AUDIENCE_FIT["authenticity"], min=0, max=3, step=0.1,
                description="Authenticity", style=style,
            ),
        }  # fmt: skip
        self.summary = w.HTML()
        baseline, mine = self._results()
        self.figure = go.FigureWidget(portfolio_figure(self.pool, baseline, mine))
        self.summary.value = summary_html(baseline, mine)
        for control in (self.budget, self.target, *self.weights.values()):
            control.observe(self.update, names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.budget, self.target]),
                w.HBox(list(self.weights.values())),
                self.figure,
                self.summary,
            ]
        )

    def _results(self) -> tuple[PortfolioResult, PortfolioResult]:
        budget, target = self.budget.value, self.target.value
        mine = {name: s.value for name, s in self.weights.items()}
        return (
            self.model(self.pool, budget, target, **FOLLOWERS_ONLY),
            self.model(self.pool, budget, target, **mine),
        )

    def update(self, change: Change | None = None) -> None:
        baseline, mine = self._results()
        with self.figure.batch_update():
            _update(self.figure, self.pool, baseline, mine)
        self.summary.value = summary_html(baseline, mine)


def creator_lab_app(
    pool: pd.DataFrame | None = None,
    model: Callable[..., PortfolioResult] = run_portfolio,
) -> w.Widget:
    """The live creator portfolio lab."""
    return CreatorLabApp(pool, model).widget
