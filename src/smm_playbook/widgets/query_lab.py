"""Views for the query lab: static figures for the book and a live app.

The live app: type a Boolean query and see how many posts it catches, its
precision, recall and F1 against the hand labels (bars) beside what a coder
would estimate from a labelled sample of the size on the slider (markers with
95 % intervals); the false positives and misses to read; share of voice with
the query against the labels; and the lexicon sentiment model's confusion
matrix on the posts the query found. Every figure is built once and updated in
place.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from smm_playbook import data
from smm_playbook.datagen.listening import lexicon
from smm_playbook.sim import query_lab as lab
from smm_playbook.sim.query_language import QueryError, parse
from smm_playbook.widgets._types import Change, Figure

DEFAULT_QUERY = "willow OR 小满"
BRANDS = ("Willow", "Leaf & Co", "Brewhaus", "Cha Xiaoman")
METRICS = ("precision", "recall", "f1")
BLUE, GREY, GREEN = "#0969da", "#57606a", "#1a7f37"
# `sample_estimate`'s answer: {"precision" | "recall": (estimate, low, high)}
Estimate = Mapping[str, tuple[float, float, float]]


class Listening:
    """The corpus, its labels and the lexicon scores, computed once."""

    def __init__(self, frame: pd.DataFrame | None = None) -> None:
        self.frame = data.load("listening_mentions") if frame is None else frame
        self.corpus = lab.Corpus(self.frame)
        self.relevant = self.frame["relevant"].to_numpy() == 1
        self.platforms = self.frame["platform"].astype(str).to_numpy()
        self.texts = self.frame["text"].astype(str).to_numpy()
        self.sentiments = self.frame["sentiment"].to_numpy()
        self.lexicon_score = lab.lexicon_scores(self.corpus, lexicon())
        genuine = self.frame["spam"].to_numpy() == 0
        self.competitors = {
            b: int(((self.frame["brand"] == b).to_numpy() & genuine).sum())
            for b in BRANDS[1:]
        }


def scores_figure(
    result: Mapping[str, float], estimate: Estimate, size: int
) -> go.Figure:
    figure = go.Figure(
        [
            go.Bar(name="all hand labels", marker_color=BLUE),
            go.Scatter(
                name="estimate from a labelled sample",
                mode="markers",
                marker={"size": 14, "color": GREY, "symbol": "diamond"},
            ),
        ]
    )
    _set_scores(figure, result, estimate, size)
    figure.update_layout(
        height=330,
        yaxis={"range": [0, 1.05], "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def _set_scores(
    figure: Figure, result: Mapping[str, float], estimate: Estimate, size: int
) -> None:
    names = ["precision", "recall", "F1"]
    figure.data[0].x, figure.data[0].y = names, [result[m] for m in METRICS]
    points = [estimate.get("precision"), estimate.get("recall")]
    figure.data[1].x = names[:2]
    figure.data[1].y = [p[0] if p else np.nan for p in points]
    figure.data[1].error_y = {
        "type": "data",
        "symmetric": False,
        "array": [p[2] - p[0] if p else 0 for p in points],
        "arrayminus": [p[0] - p[1] if p else 0 for p in points],
    }
    figure.layout.title = (
        f"{result['matches']:,} posts matched: {result['true_positives']:,} right, "
        f"{result['false_positives']:,} false positives, {result['misses']:,} missed "
        f"(markers: a sample of {size})"
    )


def sov_figure(
    matches: int, relevant: int, competitors: Mapping[str, int]
) -> go.Figure:
    figure = go.Figure(
        [
            go.Bar(name="with your query", marker_color=BLUE),
            go.Bar(name="hand labels", marker_color=GREEN),
        ]
    )
    _set_sov(figure, matches, relevant, competitors)
    figure.update_layout(
        height=300,
        barmode="group",
        yaxis={"tickformat": ".0%", "title": "share of voice"},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure


def _set_sov(
    figure: Figure,
    matches: int,
    relevant: int,
    competitors: Mapping[str, int],
    traces: Sequence[int] = (0, 1),
) -> None:
    for number in traces:
        counts = {"Willow": (matches, relevant)[number], **competitors}
        total = sum(counts.values())
        shares = [lab.share_of_voice(c, total - c) for c in counts.values()]
        trace = figure.data[number]
        trace.x, trace.y = list(counts), [s[0] for s in shares]
        trace.error_y = {
            "type": "data",
            "symmetric": False,
            "array": [s[2] - s[0] for s in shares],
            "arrayminus": [s[0] - s[1] for s in shares],
        }
    mine = lab.share_of_voice(matches, sum(competitors.values()))
    true = lab.share_of_voice(relevant, sum(competitors.values()))
    figure.layout.title = (
        f"Willow's share of voice: {mine[0]:.0%} with your query "
        f"({mine[1]:.0%}–{mine[2]:.0%}), {true[0]:.0%} by the labels"
    )


def confusion_figure(table: pd.DataFrame, title: str = "") -> go.Figure:
    figure = go.Figure(
        go.Heatmap(colorscale="Blues", showscale=False, texttemplate="%{z}")
    )
    _set_confusion(figure, table, title)
    figure.update_layout(
        height=330,
        xaxis={"title": "lexicon model says"},
        yaxis={"title": "hand label", "autorange": "reversed"},
    )
    return figure


def _set_confusion(figure: Figure, table: pd.DataFrame, title: str) -> None:
    heat = figure.data[0]
    heat.z = table.to_numpy()
    heat.x, heat.y = list(table.columns), list(table.index)
    figure.layout.title = title


def sentiment_title(labels: np.ndarray, predicted: np.ndarray) -> str:
    if len(labels) == 0:
        return "No relevant posts matched"
    said = lab.net_sentiment_forms(predicted)["net_all"]
    truth = lab.net_sentiment_forms(labels)["net_all"]
    return (
        f"Sentiment of the relevant posts found: accuracy "
        f"{lab.accuracy(labels, predicted):.0%}; net sentiment {said:+.2f} by the "
        f"model, {truth:+.2f} by the labels"
    )


def _examples_html(data: Listening, matched: np.ndarray, k: int = 5) -> str:
    picks = {
        "False positives": np.flatnonzero(matched & ~data.relevant)[:k],
        "Missed": np.flatnonzero(~matched & data.relevant)[:k],
    }
    parts = []
    for head, rows in picks.items():
        items = "".join(
            f"<li>{html.escape(data.platforms[i])}: {html.escape(data.texts[i])}</li>"
            for i in rows
        )
        parts.append(f"<b>{head}</b><ul>{items or '<li>none</li>'}</ul>")
    columns = "".join(f"<div style='flex:1'>{p}</div>" for p in parts)
    return f"<div style='display:flex; gap:2em'>{columns}</div>"


class QueryLabApp:
    """A query box drives every view; the sliders drive the sample and the model."""

    def __init__(
        self, listening: Listening | None = None, query: str = DEFAULT_QUERY
    ) -> None:
        self.data = listening or Listening()
        self.query = w.Textarea(
            value=query,
            description="Query",
            continuous_update=False,
            layout={"width": "95%", "height": "70px"},
        )
        self.sample = w.IntSlider(
            value=200,
            min=50,
            max=1000,
            step=50,
            description="Labelled sample",
            style={"description_width": "initial"},
        )
        self.threshold = w.IntSlider(
            value=1,
            min=1,
            max=3,
            description="Lexicon threshold",
            style={"description_width": "initial"},
        )
        self.message, self.examples = w.HTML(), w.HTML()
        self.matched = lab.run(DEFAULT_QUERY, self.data.corpus)
        self.scores = go.FigureWidget(scores_figure(*self._scores()))
        truth = int(self.data.relevant.sum())
        self.sov = go.FigureWidget(sov_figure(truth, truth, self.data.competitors))
        self.confusion = go.FigureWidget(confusion_figure(self._confusion()[0]))
        self.query.observe(self.update_query, names="value")
        self.sample.observe(self.update_sample, names="value")
        self.threshold.observe(self.update_sentiment, names="value")
        self.update_query()
        self.widget = w.VBox(
            [
                self.query,
                self.message,
                self.sample,
                self.scores,
                self.examples,
                self.sov,
                self.threshold,
                self.confusion,
            ]
        )

    def _scores(self) -> tuple[dict[str, float], Estimate, int]:
        result = lab.scores(self.matched, self.data.relevant)
        estimate = lab.sample_estimate(
            self.matched, self.data.relevant, self.sample.value
        )
        return result, estimate, self.sample.value

    def _confusion(self) -> tuple[pd.DataFrame, str]:
        found = self.matched & self.data.relevant
        labels = self.data.sentiments[found]
        predicted = lab.predict(self.data.lexicon_score[found], self.threshold.value)
        return lab.confusion(labels, predicted), sentiment_title(labels, predicted)

    def update_query(self, change: Change | None = None) -> None:
        try:
            parsed = parse(self.query.value)
            self.matched = lab.run(parsed, self.data.corpus)
        except QueryError as error:
            self.message.value = (
                "<pre style='color:#cf222e; white-space:pre-wrap'>"
                f"{html.escape(str(error))}</pre>"
            )
            return
        notes = "".join(f"<br>⚠️ {html.escape(n)}" for n in parsed.warnings)
        self.message.value = f"<span>Query read as written.{notes}</span>"
        self.update_sample()
        with self.sov.batch_update():
            _set_sov(
                self.sov,
                int(self.matched.sum()),
                int((self.matched & self.data.relevant).sum()),
                self.data.competitors,
                traces=(0,),
            )
        self.examples.value = _examples_html(self.data, self.matched)
        self.update_sentiment()

    def update_sample(self, change: Change | None = None) -> None:
        with self.scores.batch_update():
            _set_scores(self.scores, *self._scores())

    def update_sentiment(self, change: Change | None = None) -> None:
        table, title = self._confusion()
        with self.confusion.batch_update():
            _set_confusion(self.confusion, table, title)


def query_lab_app(query: str = DEFAULT_QUERY) -> w.Widget:
    """The live query lab on the course's `listening_mentions` dataset."""
    return QueryLabApp(query=query).widget
