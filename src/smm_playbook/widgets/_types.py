"""Types the views share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeAlias

import plotly.graph_objects as go

# What ipywidgets passes an `observe` callback: name, old, new, owner and type.
Change: TypeAlias = Mapping[str, object]
# A figure drawn once and then updated in place: static in the book, live in an app.
Figure: TypeAlias = go.Figure | go.FigureWidget
