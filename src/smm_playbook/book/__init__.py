"""Jupyter Book integration: offline plotly output and the course's Sphinx extension.

Executed book pages start with a hidden cell:

    from smm_playbook.book import setup_page
    setup_page()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import plotly.io as pio
from plotly.io._base_renderers import MimetypeRenderer

if TYPE_CHECKING:
    from docutils import nodes
    from myst_nb.core.render import MimeData, NbElementRenderer


RENDERER = "smm_book"


class OfflineBookRenderer(MimetypeRenderer):
    """Emit a figure as plotly JSON (for JupyterLab) plus HTML (for the book).

    The HTML does not embed plotly.js: the book loads `_static/plotly.min.js`
    once per page, so each figure costs only its own data and no page asks a CDN.
    """

    def to_mimebundle(self, fig_dict: dict) -> dict:
        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(fig_dict)
        bundle["text/html"] = pio.to_html(
            fig_dict,
            include_plotlyjs=False,
            full_html=False,
            validate=False,
            config={"displaylogo": False, "responsive": True},
        )
        return bundle


def setup_page() -> None:
    """Make plotly figures render in the built book without any network access."""
    pio.renderers[RENDERER] = OfflineBookRenderer()
    pio.renderers.default = RENDERER


class PlotlyJsonDeferral:
    """myst-nb mime plugin: leave plotly's JSON output to its HTML twin.

    Our renderer emits both forms; the book shows the HTML one. Without this,
    myst-nb warns once per figure that it cannot render the JSON form, and the
    strict build (-W) would fail.
    """

    mime_priority_overrides = ()

    @staticmethod
    def handle_mime(
        renderer: NbElementRenderer, data: MimeData, inline: bool
    ) -> list[nodes.Element] | None:
        return [] if data.mime_type == "application/vnd.plotly.v1+json" else None
