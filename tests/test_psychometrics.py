"""Reliability, item statistics and distractor analysis (grading/psychometrics.py),
checked by hand on small matrices and against independent implementations on a
simulated 2PL cohort; and their place in the exam report."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smm_playbook.grading import psychometrics as ps
from smm_playbook.grading.report_stats import (
    _letter,
    choice_responses,
    item_analysis,
    reliability_summary,
)

# Five candidates, four right/wrong items (rows L1..L5).
HAND = pd.DataFrame(
    [[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]],
    index=["L1", "L2", "L3", "L4", "L5"],
    columns=["i1", "i2", "i3", "i4"],
    dtype=float,
)


def test_kr20_alpha_and_sem_by_hand():
    """p = 0.8, 0.6, 0.6, 0.2, so Σpq = 0.16 + 0.24 + 0.24 + 0.16 = 0.80.
    Totals 4, 3, 2, 2, 0: mean 2.2, squared deviations 3.24 + 0.64 + 0.04 + 0.04
    + 4.84 = 8.8, population variance 1.76, sample variance 2.2.
    KR-20 = 4/3 · (1 − 0.80/1.76) = 4/3 · 6/11 = 8/11.
    Alpha uses sample variances throughout; the n/(n−1) factors cancel: 8/11.
    SEM = √2.2 · √(1 − 8/11) = √(2.2 · 3/11) = √0.6.
    """
    assert ps.kr20(HAND) == pytest.approx(8 / 11)
    assert ps.cronbach_alpha(HAND) == pytest.approx(8 / 11)
    assert ps.sem(HAND.sum(axis=1), 8 / 11) == pytest.approx(math.sqrt(0.6))


def test_alpha_of_a_polytomous_item_by_hand():
    """Items (2, 1, 1, 0) and (1, 1, 0, 0): sample variances 2/3 and 1/3; totals
    (3, 2, 1, 0), variance 5/3. Alpha = 2 · (1 − 1/(5/3)) = 0.8."""
    matrix = pd.DataFrame({"written": [2, 1, 1, 0], "i1": [1, 1, 0, 0]}, dtype=float)
    assert ps.cronbach_alpha(matrix) == pytest.approx(0.8)
    with pytest.raises(ValueError, match="0 or 1"):
        ps.kr20(matrix)


def test_item_statistics_by_hand():
    """Item i4 is right only for L1: item (1, 0, 0, 0, 0), rest of the exam
    (3, 3, 2, 2, 0). Deviations (.8, −.2, −.2, −.2, −.2) and (1, 1, 0, 0, −2):
    cross-products sum to 1.0, sums of squares 0.8 and 6, r = 1/√4.8.
    Item i1: item (1, 1, 1, 1, 0), rest (3, 2, 1, 1, 0): r = 1.4/√(0.8 · 5.2).
    Upper and lower 27% of five: two each (L1, L2 and L5, L3 by a stable sort),
    so i4's upper − lower = 0.5 − 0."""
    items = ps.item_statistics(HAND).set_index("item")
    assert items.loc["i4", "difficulty"] == pytest.approx(0.2)
    assert items.loc["i4", "discrimination"] == pytest.approx(1 / math.sqrt(4.8))
    assert items.loc["i1", "discrimination"] == pytest.approx(1.4 / math.sqrt(4.16))
    assert items.loc["i4", "upper_minus_lower"] == pytest.approx(0.5)
    assert ps.item_flags(items.loc["i1"]) == []
    assert ps.item_flags({"difficulty": 0.1, "discrimination": 0.05}) == [
        "very hard (p < 0.20)",
        "weak discrimination (< 0.20)",
    ]
    assert ps.item_flags({"difficulty": 0.97, "discrimination": float("nan")}) == [
        "very easy (p > 0.95)"
    ]


def test_distractor_analysis_by_hand():
    """One choice item; L1 and L2 chose the key A, L3 and L5 chose B, L4 chose C,
    nobody D. Totals 4, 3, 2, 2, 0. Choosing C against the rest of the exam
    (3, 2, 2, 2, 0): deviations (−.2, −.2, −.2, .8, −.2) and (1.2, .2, .2, .2,
    −1.8), cross-products 0.2, sums of squares 0.8 and 4.8: r = 0.2/√3.84 > 0,
    a distractor that attracts a stronger candidate."""
    responses = pd.DataFrame(
        {
            "learner": ["L1", "L2", "L3", "L4", "L5"],
            "part": "p",
            "given": ["A", "A", "B", "C", "B"],
            "outcome": ["correct", "correct", "incorrect", "incorrect", "incorrect"],
        }
    )
    table = ps.distractor_analysis(
        responses, HAND.sum(axis=1), {"p": ["A", "B", "C", "D"]}
    ).set_index("option")
    assert table["share"].to_dict() == pytest.approx(
        {"A": 0.4, "B": 0.4, "C": 0.2, "D": 0.0}
    )
    assert table.loc["A", "key"] and not table.loc["B", "key"]
    assert table.loc["A", "mean_total"] == pytest.approx(3.5)
    assert table.loc["B", "mean_total"] == pytest.approx(1.0)
    assert table.loc["C", "point_biserial"] == pytest.approx(0.2 / math.sqrt(3.84))
    assert table.loc["A", "upper_share"] == 1.0
    flags = ps.distractor_flags(table.reset_index())["p"]
    assert "nobody chose “D”" in flags
    assert "“C” attracts stronger candidates" in flags
    assert not any("“B”" in flag for flag in flags)


def test_a_distractor_that_beats_the_key_among_high_scorers_is_flagged():
    totals = pd.Series(range(10), index=[f"L{i}" for i in range(10)], dtype=float)
    given = ["B"] * 7 + ["A", "B", "B"]  # the top three mostly choose B
    responses = pd.DataFrame(
        {
            "learner": totals.index,
            "part": "p",
            "given": given,
            "outcome": ["correct" if g == "A" else "incorrect" for g in given],
        }
    )
    flags = ps.distractor_flags(ps.distractor_analysis(responses, totals))
    assert flags["p"] == ["high scorers chose “B” more than the key"]


def test_an_option_few_candidates_saw_is_not_flagged_for_being_ignored():
    # options that come from one paper's data (a post id) are offered to a few
    totals = pd.Series(np.arange(30.0), index=range(30))
    responses = pd.DataFrame(
        {
            "learner": range(30),
            "part": "p",
            "given": ["SP0007"] * 10 + ["key"] * 20,
            "outcome": ["incorrect"] * 10 + ["correct"] * 20,
        }
    )
    offered = {"p": {"key": 30, "SP0007": 25, "SP0001": 2, "SP0002": 12}}
    table = ps.distractor_analysis(responses, totals, offered, "key")
    assert table.set_index("option").loc["SP0001", "offered"] == 2
    assert ps.distractor_flags(table)["p"] == ["nobody chose “SP0002”"]


@pytest.fixture(scope="module")
def cohort():
    matrix, truth = ps.simulate_2pl(np.random.default_rng(2026), learners=200)
    return matrix, truth


def _alpha_from_covariance(matrix: pd.DataFrame) -> float:
    covariance = np.cov(matrix.to_numpy(), rowvar=False)
    k = covariance.shape[0]
    return k / (k - 1) * (1 - np.trace(covariance) / covariance.sum())


def test_reliability_agrees_with_a_second_formula_on_a_simulated_cohort(cohort):
    matrix, _ = cohort
    scored = matrix.drop(columns="written")
    assert ps.kr20(scored) == pytest.approx(_alpha_from_covariance(scored))
    assert ps.cronbach_alpha(matrix) == pytest.approx(_alpha_from_covariance(matrix))
    # 36 items of spread difficulty and a ≥ 0.8: a realistic certification range
    assert 0.8 < ps.kr20(scored) < 0.95


def test_reliability_agrees_with_pingouin(cohort):
    pingouin = pytest.importorskip("pingouin")
    matrix, _ = cohort
    theirs, _interval = pingouin.cronbach_alpha(data=matrix)
    assert ps.cronbach_alpha(matrix) == pytest.approx(theirs)


def test_discrimination_agrees_with_scipy_point_biserial(cohort):
    matrix, truth = cohort
    items = ps.item_statistics(matrix).set_index("item")
    totals = matrix.sum(axis=1)
    for item in ["i01", "i10", "i36"]:
        expected = stats.pointbiserialr(matrix[item], totals - matrix[item])[0]
        assert items.loc[item, "discrimination"] == pytest.approx(expected)
    # harder items (higher 2PL b) have lower p: the simulator and p agree
    difficulty = items.loc[truth["item"], "difficulty"].to_numpy()
    assert stats.spearmanr(difficulty, truth["b"])[0] < -0.9


def test_item_statistics_on_forms_that_differ():
    # two templates share a slot: each is analysed over its own candidates
    matrix = HAND.copy()
    matrix.loc[["L1", "L3", "L5"], "i4"] = np.nan
    items = ps.item_statistics(matrix, totals=HAND.sum(axis=1)).set_index("item")
    assert items.loc["i4", "candidates"] == 2
    assert items.loc["i4", "difficulty"] == 0.0
    # complete rows L2 (1, 1, 1, 0) and L4 (1, 0, 1, 0): Σpq = var(total) = 0.25
    assert ps.kr20(matrix) == pytest.approx(0.0)
    assert len(ps.reliability_matrix(matrix)) == 2


def _answers(rows):
    keys = ["submission_id", "section", "module", "part", "points", "max_points"]
    keys += ["outcome", "feedback", "kind", "given"]
    return pd.DataFrame([dict(zip(keys, row, strict=True)) for row in rows])


def test_report_reliability_uses_form_positions():
    """Four candidates; Module 5's slot holds template a for two and b for two."""
    results = pd.DataFrame({"id": [1, 2, 3, 4], "status": "graded"})
    rows = []
    scores = {1: (1, 1, 6), 2: (1, 0, 4), 3: (0, 1, 3), 4: (0, 0, 1)}
    for sid, (m0, m5, written) in scores.items():
        part5 = "m5_a_pick" if sid % 2 else "m5_b_pick"
        rows += [
            (sid, "m0", "0", "m0_rate", m0, 1, "", "", "value", "1.0"),
            (sid, "m5", "5", part5, m5, 1, "", "", "choice", '"a"'),
            (sid, "w", "3", "reply", written, 8, "", "", "written", '"text"'),
        ]
    answers = _answers(rows)
    summary = reliability_summary(results, answers)
    assert summary["items"] == 3 and summary["dichotomous"] == 2
    assert summary["candidates"] == 4 and summary["left_out"] == 0
    matrix = pd.DataFrame(
        [scores[s] for s in (1, 2, 3, 4)], columns=["m0", "m5", "w"], dtype=float
    )
    assert summary["alpha"] == pytest.approx(ps.cronbach_alpha(matrix))
    assert summary["kr20"] == pytest.approx(ps.kr20(matrix[["m0", "m5"]]))
    items = item_analysis(results, answers).set_index("part")
    assert items.loc["m5_a_pick", "candidates"] == 2


def test_choice_answers_are_named_by_option_not_by_letter():
    """The same letter is a different option on two papers, and the key follows
    each paper's data: paper 1's key is (b) "Ad set C", paper 2's is (a)."""
    results = pd.DataFrame({"id": [1, 2, 3], "status": "graded"})
    answers = _answers(
        [
            (1, "s", "5", "fatigued", 1, 1, "correct", "Right.", "choice", '"b"'),
            (
                2,
                "s",
                "5",
                "fatigued",
                0,
                1,
                "incorrect",
                "(b) CTR rose.",
                "choice",
                '"b"',
            ),
            (
                3,
                "s",
                "5",
                "fatigued",
                0,
                1,
                "incorrect",
                "(c) CTR rose.",
                "choice",
                '"c"',
            ),
            (2, "s", "5", "cpm", 1, 1, "correct", "", "value", "4.2"),
        ]
    )
    shown = {
        1: {"fatigued": ({"a": "Ad set A", "b": "Ad set C", "c": "Ad set B"}, "b")},
        2: {"fatigued": ({"a": "Ad set C", "b": "Ad set B", "c": "Ad set A"}, "a")},
        3: {"fatigued": ({"a": "Ad set C", "b": "Ad set A", "c": "Ad set B"}, "a")},
    }
    responses, listed = choice_responses(results, answers, lambda row: shown[row.name])
    assert responses["given"].tolist() == ["(the key)", "Ad set B", "Ad set B"]
    assert listed["fatigued"] == {"(the key)": 3, "Ad set A": 3, "Ad set B": 3}
    # without the secret: a wrong option is named by its note, minus the letter
    plain, none = choice_responses(results, answers)
    assert plain["given"].tolist() == ["(the key)", "CTR rose.", "CTR rose."]
    assert none == {}
    table = ps.distractor_analysis(
        responses, pd.Series([3.0, 1.0, 2.0], [1, 2, 3]), listed, "(the key)"
    )
    assert table.set_index("option").loc["(the key)", "key"]
    flags = ps.distractor_flags(table)
    assert flags["fatigued"] == ["nobody chose “Ad set A”"]


@pytest.mark.parametrize(
    ("given", "letter"),
    [('"B"', "b"), ('" (c) "', "c"), ("3", None), ("", None), ("not json", None)],
)
def test_a_choice_answer_is_read_as_one_letter(given, letter):
    assert _letter(given) == letter


def test_the_report_page_has_reliability_items_and_distractors(tmp_path):
    from smm_playbook.grading import report

    results = pd.DataFrame(
        {"id": [1, 2, 3, 4, 5], "status": "graded", "score": [2, 2, 1, 1, 0]}
    )
    given = ['"a"', '"a"', '"b"', '"a"', '"c"']
    rows = []
    for sid, g, score in zip(results["id"], given, results["score"], strict=True):
        right = g == '"a"'
        rows += [
            (
                sid,
                "s",
                "5",
                "pick",
                int(right),
                1,
                "correct" if right else "incorrect",
                "",
                "choice",
                g,
            ),
            (sid, "s", "0", "rate", score - int(right), 1, "", "", "value", "1"),
        ]
    answers = _answers(rows)
    responses, listed = choice_responses(results, answers)
    table = ps.distractor_analysis(responses, results.set_index("id")["score"], listed)
    html = report._distractors(table, by_text=False) + report._reliability(
        reliability_summary(results, answers)
    )
    assert "Distractor analysis" in html and "exam report --secret" in html
    assert set(table["option"]) == {"(the key)", "(b)", "(c)"}  # no notes given
    assert "KR-20" in html and "Standard error of measurement" in html
    assert table.set_index("option").loc["(the key)", "chosen"] == 3


def test_paper_options_rebuilds_each_papers_letters():
    from smm_playbook.grading.exam import PRACTICE, PRACTICE_SECRET
    from smm_playbook.grading.report_stats import paper_options

    row = {"exam_id": PRACTICE.exam_id, "exam_version": PRACTICE.version}
    shown = paper_options(PRACTICE_SECRET)(
        pd.Series(row | {"learner_id": "ana", "attempt": 1})
    )
    assert shown, "the practice exam has single-choice parts"
    for texts, key in shown.values():
        assert key in texts and len(set(texts.values())) == len(texts)
    unknown = pd.Series(
        row | {"exam_version": "1999.1", "learner_id": "ana", "attempt": 1}
    )
    assert paper_options(PRACTICE_SECRET)(unknown) is None  # falls back to the notes


def test_exam_report_takes_the_secret_and_refuses_a_bad_one(tmp_path):
    from typer.testing import CliRunner

    from smm_playbook.cli import app

    runner = CliRunner()
    secret = tmp_path / "exam.key"
    assert runner.invoke(app, ["exam", "new-secret", str(secret)]).exit_code == 0
    book = str(tmp_path / "gradebook.db")
    args = ["exam", "report", "--gradebook", book, "--out", str(tmp_path / "rep")]
    assert runner.invoke(app, [*args, "--secret", str(secret)]).exit_code == 0
    assert (tmp_path / "rep" / "report.html").exists()
    bad = runner.invoke(app, [*args, "--secret", str(tmp_path / "missing.key")])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def _ticks(rows):
    keys = ["learner", "part", "option", "applies", "ticked", "points"]
    return pd.DataFrame([dict(zip(keys, row, strict=True)) for row in rows])


def test_tick_every_option_parts_are_analysed_option_by_option():
    """Four candidates (totals 4, 3, 2, 1: 1 and 2 are the upper 27%, 3 and 4
    the lower), five options of one part, worked out by hand."""
    totals = pd.Series([4.0, 3.0, 2.0, 1.0], index=[1, 2, 3, 4])
    plan = {  # option: (papers where it applies, candidates who ticked it)
        "X": ({1, 2, 3, 4}, {1, 2, 3}),
        "Y": (set(), {4}),
        "Z": ({1, 2}, {1, 3}),
        "W": (set(), set()),
        "V": ({1, 2, 3, 4}, {3, 4}),
    }
    rows = [
        (who, "spot", option, who in applies, who in ticked, 0.0)
        for option, (applies, ticked) in plan.items()
        for who in totals.index
    ]
    table = ps.option_decisions(_ticks(rows), totals).set_index("option")
    x = table.loc["X"]
    assert (x["offered"], x["applies"]) == (4, 4)
    assert x["ticked_when_applies"] == 0.75 and math.isnan(x["ticked_when_not"])
    assert (x["right"], x["upper_right"], x["lower_right"]) == (0.75, 1.0, 0.5)
    expected = stats.pearsonr([1, 1, 1, 0], [4, 3, 2, 1]).statistic
    assert x["point_biserial"] == pytest.approx(expected)
    assert table.loc["Y", "ticked_when_not"] == 0.25
    z = table.loc["Z"]
    assert (z["applies"], z["ticked_when_applies"], z["ticked_when_not"]) == (
        2,
        0.5,
        0.5,
    )
    assert (z["right"], z["upper_right"], z["lower_right"]) == (0.5, 0.5, 0.5)
    assert table.loc["V", "upper_right"] == 0.0 and table.loc["V", "lower_right"] == 1.0
    assert ps.option_flags(table.reset_index()) == {
        "spot": [
            "high scorers decide “V” worse than low scorers",
            "nobody ticked “W” where it did not apply",
        ]
    }


def test_multi_ticks_undo_each_papers_letters():
    from smm_playbook.grading.report_stats import multi_ticks

    results = pd.DataFrame({"id": [1, 2, 3], "status": "graded"})
    answers = _answers(
        [
            (1, "s", "7", "breach", 1, 1, "correct", "", "multi", '"a, c"'),
            (2, "s", "7", "breach", 0, 1, "incorrect", "", "multi", '["b"]'),
            (3, "s", "7", "breach", 0, 1, "not_attempted", "", "multi", ""),
        ]
    )
    shown = {
        1: {
            "breach": (
                {"a": "No #ad", "b": "Clear label", "c": "Hidden link"},
                frozenset("ac"),
            )
        },
        2: {
            "breach": (
                {"a": "Clear label", "b": "Hidden link", "c": "No #ad"},
                frozenset("bc"),
            )
        },
        3: {
            "breach": (
                {"a": "No #ad", "b": "Hidden link", "c": "Clear label"},
                frozenset("ab"),
            )
        },
    }
    ticks = multi_ticks(results, answers, lambda row: shown[row.name])
    assert multi_ticks(results, answers).empty  # no secret: letters mean nothing
    got = {(r.learner, r.option): (r.applies, r.ticked) for r in ticks.itertuples()}
    assert got == {
        (1, "No #ad"): (True, True),
        (1, "Clear label"): (False, False),
        (1, "Hidden link"): (True, True),
        (2, "Clear label"): (False, False),
        (2, "Hidden link"): (True, True),
        (2, "No #ad"): (True, False),
    }  # the candidate who left it blank is not counted
    from smm_playbook.grading import report

    table = ps.option_decisions(ticks, pd.Series([1.0, 0.0, 0.0], [1, 2, 3]))
    page = report._options(table, answers, with_key=True)
    assert "Tick-every-option items" in page and "Hidden link" in page
    assert "exam report --secret" in report._options(table, answers, with_key=False)
