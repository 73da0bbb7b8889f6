"""Explorable figures: a simulator the reader can play with in the static book.

During the book build, `explorable` runs a simulator's own figure function (which
calls the pure model in `smm_playbook.sim`) at every point of a small grid of
parameter values, and ships the results with the page. In the browser, native
HTML controls (range sliders and menus, operable by keyboard and mouse) pick the
precomputed result and redraw the figure with plotly.js from the site's own
`_static/`. Nothing is re-implemented in JavaScript: the script only looks up a
grid point and hands plotly.js the data the model produced for it.

To keep pages light, a frame stores only the traces and layout entries that
change somewhere on the grid, and numbers are rounded to `DIGITS` significant
figures.
"""

from __future__ import annotations

import base64
import html
import itertools
import json
import math
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

DIGITS = 5  # significant figures kept in the shipped data
MAX_POINTS = 400  # grid points per figure: enough to feel continuous, not more


@dataclass(frozen=True)
class Control:
    """One parameter the reader can move.

    `name` is the keyword the build function takes; `values` the grid; `labels`
    what the reader sees for each value (default: `fmt` applied to the value).
    `kind` is "slider" (ordered values) or "menu" (a choice between options).
    """

    name: str
    label: str
    values: Sequence[Any]
    default: Any
    fmt: str = "{}"
    kind: str = "slider"
    labels: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("slider", "menu"):
            raise ValueError(f"{self.name}: kind must be 'slider' or 'menu'")
        if len(self.values) < 2:
            raise ValueError(f"{self.name}: a control needs at least two values")
        if self.default not in list(self.values):
            raise ValueError(f"{self.name}: default {self.default!r} is not a value")
        if self.labels is not None and len(self.labels) != len(self.values):
            raise ValueError(f"{self.name}: one label per value")

    def text(self, index: int) -> str:
        if self.labels is not None:
            return str(self.labels[index])
        return self.fmt.format(self.values[index])

    @property
    def start(self) -> int:
        return list(self.values).index(self.default)


@dataclass
class Explorable:
    """The default figure plus every grid point's changes; renders as HTML."""

    figure: dict
    controls: list[Control]
    traces: list[int]
    frames: dict[str, dict]
    caption: str
    label: str
    ident: str = field(default="")

    def key(self, **params: object) -> str:
        """The frame key of a grid point, e.g. "3-0-1"."""
        parts = []
        for control in self.controls:
            parts.append(str(list(control.values).index(params[control.name])))
        return "-".join(parts)

    def frame_figure(self, key: str) -> dict:
        """The full figure (data and layout) shown at grid point `key`."""
        frame = self.frames[key]
        data = [dict(trace) for trace in self.figure["data"]]
        for index, changes in zip(self.traces, frame["data"], strict=True):
            merged = {**data[index], **changes}
            data[index] = {k: v for k, v in merged.items() if v is not None}
        layout = {**self.figure.get("layout", {}), **frame["layout"]}
        return {"data": data, "layout": layout}

    def payload(self) -> dict:
        return {
            "figure": self.figure,
            "traces": self.traces,
            "frames": self.frames,
            "controls": [
                {
                    "name": c.name,
                    "kind": c.kind,
                    "labels": [c.text(i) for i in range(len(c.values))],
                    "start": c.start,
                }
                for c in self.controls
            ],
        }

    def to_html(self) -> str:
        ident = self.ident
        rows = []
        for n, control in enumerate(self.controls):
            cid = f"{ident}-c{n}"
            label = html.escape(control.label)
            if control.kind == "slider":
                widget = (
                    f'<input type="range" id="{cid}" min="0" '
                    f'max="{len(control.values) - 1}" step="1" '
                    f'value="{control.start}" data-control="{n}" '
                    f'aria-valuetext="{html.escape(control.text(control.start))}">'
                    f'<output for="{cid}" aria-hidden="true">'
                    f"{html.escape(control.text(control.start))}</output>"
                )
            else:
                options = "".join(
                    f'<option value="{i}"{" selected" if i == control.start else ""}>'
                    f"{html.escape(control.text(i))}</option>"
                    for i in range(len(control.values))
                )
                widget = f'<select id="{cid}" data-control="{n}">{options}</select>'
            rows.append(
                f'<div class="smm-explorable-control"><label for="{cid}">{label}'
                f"</label>{widget}</div>"
            )
        data = json.dumps(self.payload(), separators=(",", ":"))
        # "</" must not end the script element early.
        data = data.replace("</", "<\\/")
        return (
            f'<figure class="smm-explorable" id="{ident}" '
            f'aria-label="{html.escape(self.label)}">'
            f"<style>{_STYLE}</style>"
            f'<div class="smm-explorable-controls">{"".join(rows)}</div>'
            '<div class="smm-explorable-plot"></div>'
            f"<figcaption>{html.escape(self.caption)}</figcaption>"
            f'<script type="application/json" class="smm-explorable-data">{data}'
            f"</script><script>{_SCRIPT}</script>"
            f"<script>window.smmExplorable(document.getElementById({json.dumps(ident)}));"
            "</script></figure>"
        )

    def _repr_mimebundle_(
        self,
        include: Container[str] | None = None,
        exclude: Container[str] | None = None,
    ) -> dict:
        # JupyterLab shows the default figure (plotly's own mime type); the book,
        # whose mime plugin drops that form, shows the explorable HTML.
        return {
            "application/vnd.plotly.v1+json": {
                "data": self.figure["data"],
                "layout": self.figure.get("layout", {}),
                "config": {"displaylogo": False, "responsive": True},
            },
            "text/html": self.to_html(),
        }


def explorable(
    build: Callable[..., go.Figure],
    controls: Sequence[Control],
    *,
    caption: str,
    label: str,
    ident: str,
) -> Explorable:
    """Run `build(**params)` at every grid point of `controls`; keep what changes.

    `caption` states in words what the figure shows (its text alternative);
    `label` is a short accessible name; `ident` an HTML id unique on the page.
    """
    controls = list(controls)
    names = [c.name for c in controls]
    if len(set(names)) != len(names):
        raise ValueError("every control needs its own name")
    points = math.prod(len(c.values) for c in controls)
    if points > MAX_POINTS:
        raise ValueError(f"{points} grid points: keep the grid to {MAX_POINTS}")
    figures = {}
    for combo in itertools.product(*(range(len(c.values)) for c in controls)):
        params = {c.name: c.values[i] for c, i in zip(controls, combo, strict=True)}
        key = "-".join(map(str, combo))
        figures[key] = _plain(build(**params))
    default = "-".join(str(c.start) for c in controls)
    base = figures[default]
    count = len(base["data"])
    if any(len(f["data"]) != count for f in figures.values()):
        raise ValueError("the figure must have the same traces at every grid point")
    traces = sorted(
        {
            i
            for f in figures.values()
            for i in range(count)
            if f["data"][i] != base["data"][i]
        }
    )
    base_layout = base.get("layout", {})
    keys = sorted(
        {
            k
            for f in figures.values()
            for k in set(f.get("layout", {})) | set(base_layout)
            if f.get("layout", {}).get(k) != base_layout.get(k)
        }
    )
    frames = {
        key: {
            "data": [_changes(base["data"][i], f["data"][i]) for i in traces],
            "layout": {k: f.get("layout", {}).get(k) for k in keys},
        }
        for key, f in figures.items()
    }
    if not traces and not keys:
        raise ValueError("nothing changes over the grid: choose other parameters")
    return Explorable(base, controls, traces, frames, caption, label, ident)


def _changes(base: dict, trace: dict) -> dict:
    """The entries of `trace` that differ from `base`; None for one it drops."""
    changed = {k: v for k, v in trace.items() if base.get(k) != v}
    changed.update({k: None for k in base if k not in trace})
    return changed


def _plain(figure: go.Figure) -> dict:
    """The figure as JSON-ready dicts and lists, numbers rounded; no template."""
    plain = json.loads(pio.to_json(figure, validate=False))
    plain.get("layout", {}).pop("template", None)
    plain = _round(plain)
    plain["layout"]["template"] = _TEMPLATE
    return plain


def _round(value: Any) -> Any:  # any JSON value
    """Round floats; plotly's base64 arrays become plain, rounded lists."""
    if isinstance(value, dict) and set(value) in (
        {"dtype", "bdata"},
        {"dtype", "bdata", "shape"},
    ):
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return _round(array.tolist())
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}") if math.isfinite(value) else None
    if isinstance(value, list):
        return [_round(v) for v in value]
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


# The default plotly template, once per figure (its full form is ~8 KB per figure;
# this keeps the look the book's other figures have, at a fraction of the weight).
_TEMPLATE = {
    "layout": {
        "font": {"color": "#2a3f5f"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "#E5ECF6",
        "polar": {
            "bgcolor": "#E5ECF6",
            "angularaxis": {"gridcolor": "white", "linecolor": "white"},
            "radialaxis": {"gridcolor": "white", "linecolor": "white"},
        },
        "xaxis": {
            "gridcolor": "white",
            "linecolor": "white",
            "zerolinecolor": "white",
            "automargin": True,
            "zerolinewidth": 2,
        },
        "yaxis": {
            "gridcolor": "white",
            "linecolor": "white",
            "zerolinecolor": "white",
            "automargin": True,
            "zerolinewidth": 2,
        },
        "colorway": [
            "#636efa",
            "#EF553B",
            "#00cc96",
            "#ab63fa",
            "#FFA15A",
            "#19d3f3",
            "#FF6692",
            "#B6E880",
            "#FF97FF",
            "#FECB52",
        ],
        "hovermode": "closest",
        "title": {"x": 0.05},
    }
}

_STYLE = (
    ".smm-explorable{margin:1em 0}"
    ".smm-explorable-controls{display:flex;flex-wrap:wrap;gap:.6em 2em}"
    ".smm-explorable-control{display:flex;flex-direction:column;min-width:15em}"
    ".smm-explorable-control output{font-weight:600}"
    ".smm-explorable figcaption{font-size:.9em;color:#57606a}"
)

# Looks up the grid point the controls name and redraws with plotly.js. Generic:
# it knows nothing about any model.
_SCRIPT = """window.smmExplorable=window.smmExplorable||function(root){
if(!root||root.dataset.ready)return;root.dataset.ready="1";
var spec=JSON.parse(root.querySelector(".smm-explorable-data").textContent);
var plot=root.querySelector(".smm-explorable-plot");
var inputs=root.querySelectorAll("[data-control]");
var config={displaylogo:false,responsive:true};
function copy(x){return JSON.parse(JSON.stringify(x));}
function draw(){
var key=[],i;for(i=0;i<inputs.length;i++){key.push(inputs[i].value);
var c=spec.controls[i],text=c.labels[+inputs[i].value];
var out=inputs[i].parentNode.querySelector("output");if(out)out.textContent=text;
if(inputs[i].type==="range")inputs[i].setAttribute("aria-valuetext",text);}
var frame=spec.frames[key.join("-")];if(!frame)return;
var data=copy(spec.figure.data);
for(i=0;i<spec.traces.length;i++){var t=data[spec.traces[i]],d=frame.data[i];
for(var a in d){if(d[a]===null)delete t[a];else t[a]=copy(d[a]);}}
var layout=copy(spec.figure.layout||{});
for(var k in frame.layout){if(frame.layout[k]===null)delete layout[k];
else layout[k]=copy(frame.layout[k]);}
root.dataset.frame=key.join("-");
if(window.Plotly)window.Plotly.react(plot,data,layout,config);}
for(var j=0;j<inputs.length;j++)inputs[j].addEventListener("input",draw);
if(window.Plotly)draw();
else plot.textContent="This figure needs plotly.js, which the book loads.";
};"""
