"""The onset detector (sim/onset.py) reads Module 8's mention stream: posts are
counted into steps correctly, bad tables get a message, the rule reproduces
Module 4's worked example and fires on a complaint wave in the listening stream."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smm_playbook import data
from smm_playbook.sim.onset import StreamError, loud_steps, mention_steps, onset_rule


def tiny_stream() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "posted_at": [
                "2025-05-05T10:01:00+08:00",
                "2025-05-05T10:04:59+08:00",
                "2025-05-05T03:12:00+01:00",  # London time: 10:12 in Beijing
                "2025-05-05T10:21:00+08:00",
            ],
            "sentiment": ["negative", "positive", "negative", "neutral"],
            "author_followers": [100.0, 2_000.0, np.nan, 50.0],
            "relevant": [1, 1, 1, 0],
        }
    )


def test_posts_are_counted_into_steps_in_beijing_time():
    steps = mention_steps(tiny_stream())
    assert list(steps.index.strftime("%H:%M")) == [
        "10:00",
        "10:05",
        "10:10",
        "10:15",
        "10:20",
    ]
    assert list(steps["mentions"]) == [2, 0, 1, 0, 1]
    assert list(steps["negative_share"]) == [0.5, 0.0, 1.0, 0.0, 0.0]
    assert list(steps["reach"]) == [2_100, 0, 0, 0, 50]  # no follower count: 0
    assert list(steps["top_author_followers"]) == [2_000, 0, 0, 0, 50]


def test_only_the_posts_kept_are_counted():
    stream = tiny_stream()
    steps = mention_steps(stream, keep=stream["relevant"] == 1)
    assert steps["mentions"].sum() == 3 and steps["mentions"].iloc[-1] == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.drop(columns="sentiment"), "needs the columns sentiment"),
        (lambda s: s.assign(posted_at=["soon", *s["posted_at"][1:]]), "'soon'"),
    ],
)
def test_a_table_the_detector_cannot_read_gets_a_message(change, message):
    with pytest.raises(StreamError, match=message):
        mention_steps(change(tiny_stream()))


def test_the_rule_refuses_a_stream_that_is_not_yet_counted():
    with pytest.raises(StreamError, match="mention_steps"):
        onset_rule(tiny_stream())


def rumour_steps() -> pd.DataFrame:
    frame = data.load("mentions_glass_rumour")
    when = pd.to_datetime(frame["timestamp"], utc=True).dt.tz_convert("Asia/Shanghai")
    return frame.assign(timestamp=when).set_index("timestamp").sort_index()


def test_the_rule_fires_on_the_glass_rumour_after_the_first_post():
    rumour = rumour_steps()
    line, fired = onset_rule(rumour)
    first_post = pd.Timestamp("2025-06-11 14:35", tz="Asia/Shanghai")
    assert first_post < fired < first_post + pd.Timedelta("3h")
    # the step that fires and the two before it are loud and mostly negative
    window = rumour.loc[fired - pd.Timedelta("10min") : fired]
    assert (window["mentions"] > line[window.index]).all()
    assert (window["negative_share"] > 0.5).all()
    # the campaign post of the first evening is loud but not an alert
    quiet = onset_rule(rumour.loc[: first_post - pd.Timedelta("5min")])[1]
    assert quiet is None and len(loud_steps(rumour, line)) > 3


def listening_stream():
    stream = data.load("listening_mentions")
    return stream, (stream["relevant"] == 1).to_numpy()


def test_a_month_without_a_crisis_raises_no_alert():
    stream, genuine = listening_stream()
    hours = mention_steps(stream, step="1h", keep=genuine)
    assert hours["mentions"].sum() == genuine.sum()
    assert onset_rule(hours, window="72h", n=2, min_periods=24)[1] is None


def test_a_complaint_wave_in_the_listening_stream_is_found_within_hours():
    stream, genuine = listening_stream()
    start = pd.Timestamp("2025-05-25 13:00", tz="Asia/Shanghai")
    wave = pd.DataFrame(
        {
            "posted_at": [
                (start + pd.Timedelta(minutes=int(m))).isoformat()
                for m in range(0, 240, 6)
            ],
            "sentiment": "negative",
            "author_followers": 800.0,
            "relevant": 1,
        }
    )
    stream = pd.concat([stream, wave], ignore_index=True)
    hours = mention_steps(stream, step="1h", keep=stream["relevant"] == 1)
    fired = onset_rule(hours, window="72h", n=2, min_periods=24)[1]
    assert fired is not None and start < fired <= start + pd.Timedelta("2h")
