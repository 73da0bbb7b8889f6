"""Exercise 4: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted"; the onset detector cannot be fooled."""

from __future__ import annotations

from pathlib import Path

import smm_playbook.exercises.ex04_crisis as ex
from exercise_contract import contract_tests

SOLUTION = Path(__file__).resolve().parents[1] / "solutions" / "ex04_crisis.ipynb"


def reference_detector():
    """The solutions notebook's detector, so the test follows the notebook."""
    import nbformat

    notebook = nbformat.read(SOLUTION, as_version=4)
    cell = next(c for c in notebook.cells if "def detect_onset(" in c.source)
    namespace: dict = {}
    exec(cell.source.split("q1.check()")[0], namespace)
    return namespace["detect_onset"]


def volume_only(series):
    """Loud and negative, confirmed: no false alarms, but crises are found late."""
    mentions = series["mentions"]
    baseline = mentions.rolling(24, min_periods=12).median().shift(1)
    alarm = (mentions > 2 * baseline + 6) & (series["negative_share"] > 0.35)
    confirmed = alarm & alarm.shift(1, fill_value=False)
    return series.loc[confirmed.idxmax(), "timestamp"] if confirmed.any() else None


def loudest(series):
    """Alarms on any loud step: the campaign post sets it off."""
    return series.loc[(series["mentions"] > 20).idxmax(), "timestamp"]


STATEMENT = (
    "We've seen the posts about glass in a bottle of our jasmine iced tea and we are "
    "taking them very seriously. Please don't drink bottles from batch 0312. We have "
    "paused sales of that batch and are investigating with an independent lab. We "
    "will update here by 18:00 today."
)

REFERENCE = {
    "q1": {"detect_onset": reference_detector()},
    "q2": {"tier_a": 2, "tier_b": 3, "tier_c": 4, "tier_d": 1},
    "q3": {"rumour_cluster": "a"},
    "q4": {"post_posture": "c"},
    "q5": {"pepsi_strategies": "c, d"},
    "q6": {"extra_reach": ex._extra_reach(15, 120)},
    "q7": {"holding_statement": STATEMENT},
}

KNOWN_WRONG = [
    ("q1", {"detect_onset": loudest}, "false alarm"),
    ("q1", {"detect_onset": lambda series: None}, "found late or not at all"),
    ("q1", {"detect_onset": volume_only}, "only after the golden hour"),
    ("q1", {"detect_onset": lambda series: "soon"}, "Return a value of the series"),
    ("q1", {"detect_onset": lambda series: series["x"]}, "KeyError"),
    ("q2", {"tier_a": 2, "tier_b": 3, "tier_c": 4, "tier_d": 3}, "Praise from a big"),
    ("q2", {"tier_a": 2, "tier_b": 3, "tier_c": 3, "tier_d": 1}, "crisis team"),
    ("q2", {"tier_a": 1, "tier_b": 3, "tier_c": 4, "tier_d": 1}, "Five or more likes"),
    ("q3", {"rumour_cluster": "c"}, "apologising for something"),
    ("q4", {"post_posture": "a"}, "we were hacked"),
    ("q5", {"pepsi_strategies": "c"}, "something is missing"),
    ("q5", {"pepsi_strategies": "b, c, d"}, "takes the blame"),
    ("q6", {"extra_reach": ex._extra_reach(0.25, 2)}, "in minutes"),
    (
        "q7",
        {"holding_statement": STATEMENT + " It was probably a fake photo."},
        "speculates",
    ),
    (
        "q7",
        {"holding_statement": STATEMENT.replace("update here by 18:00 today", "see")},
        "next update",
    ),
    (
        "q7",
        {"holding_statement": STATEMENT + " This is the supplier's fault."},
        "blames",
    ),
]

globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


def test_the_detector_may_return_a_row_number_or_a_timestamp():
    detector = reference_detector()

    def by_row(series):
        stamp = detector(series)
        return (
            None
            if stamp is None
            else int(series.index[series["timestamp"] == stamp][0])
        )

    assert ex.q1.evaluate({"detect_onset": by_row}).status == "correct"


def test_the_detector_is_graded_on_series_the_learner_has_not_seen():
    glass = ex.load("mentions_glass_rumour")
    for frame, onset, kind in ex._unseen():
        assert not frame.equals(glass)
        assert (onset is None) == (kind is None)


def test_the_detector_cannot_change_the_series_it_is_graded_on():
    def vandal(series):
        series["mentions"] = 0
        return None

    ex.q1.evaluate({"detect_onset": vandal})
    assert ex._unseen()[0][0]["mentions"].sum() > 0
