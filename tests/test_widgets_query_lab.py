"""Module 8 views: the query lab redraws in place and reports bad queries."""

from __future__ import annotations

import pytest

from smm_playbook.widgets.query_lab import Listening, QueryLabApp


@pytest.fixture(scope="module")
def app():
    return QueryLabApp(Listening())


def test_a_better_query_raises_precision_in_place(app):
    figure, before = app.scores, app.scores.data[0].y[0]
    app.query.value = (
        "(willow OR 小满) NOT (tree OR garden OR 节气 OR 今天小满 OR 小满足 OR 茶小满 "
        "OR giveaway OR 代购 OR 刷单)"
    )
    assert app.scores is figure
    assert app.scores.data[0].y[0] > before
    assert "false positives" in app.scores.layout.title.text
    assert "Query read as written" in app.message.value


def test_a_malformed_query_shows_where_and_keeps_the_last_good_result(app):
    app.query.value = "willow OR 小满"
    matched = app.matched.copy()
    app.query.value = "willow AND ("
    assert "never closed" in app.message.value and "^" in app.message.value
    assert (app.matched == matched).all()


def test_the_sample_slider_moves_the_estimate_markers(app):
    before = list(app.scores.data[1].error_y.array)
    app.sample.value = 1000
    after = list(app.scores.data[1].error_y.array)
    assert after[0] < before[0]  # a bigger labelled sample, a narrower interval
    assert "a sample of 1000" in app.scores.layout.title.text


def test_share_of_voice_with_the_query_against_the_labels(app):
    app.query.value = "willow OR 小满"
    mine, labels = app.sov.data[0].y[0], app.sov.data[1].y[0]
    assert mine > labels  # false positives inflate the brand's share
    assert "share of voice" in app.sov.layout.title.text


def test_the_threshold_changes_the_confusion_matrix(app):
    before = app.confusion.data[0].z.copy()
    app.threshold.value = 2
    assert (app.confusion.data[0].z != before).any()
    assert "accuracy" in app.confusion.layout.title.text
