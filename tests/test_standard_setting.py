"""The modified-Angoff cut score (grading/standard_setting.py) and
`smm-playbook exam standard-set`: arithmetic by hand, the shipped example,
and a clear message for every kind of bad ratings file."""

from __future__ import annotations

import csv
import hashlib
import importlib.resources
import math
import statistics
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from smm_playbook.cli import app
from smm_playbook.grading import standard_setting as ss

EXAMPLE = importlib.resources.files("smm_playbook.grading") / "exams/angoff-example.csv"

LONG = """judge,item,rating,max_points
A,q1,0.6,
A,q2,0.8,
A,essay,4,8
B,q1,0.4,
B,q2,0.9,
B,essay,5,
C,q1,0.5,
C,q2,0.7,
C,essay,6,
"""


def test_cut_score_by_hand():
    """Item means: q1 (0.6 + 0.4 + 0.5)/3 = 0.5, q2 (0.8 + 0.9 + 0.7)/3 = 0.8,
    essay (4 + 5 + 6)/3 = 5 of 8. Cut = 0.5 + 0.8 + 5 = 6.3 of 10 points = 63%.
    Judges' cuts: A 0.6 + 0.8 + 4 = 5.4 (54%), B 6.3 (63%), C 7.2 (72%); SD of
    54, 63, 72 is 9 points of percent; SE = 9/√3. Spreads on the 0–1 scale:
    q1 0.2, q2 0.2, essay (6 − 4)/8 = 0.25, none above 0.25."""
    result = ss.angoff(ss.parse_ratings(LONG.encode()))
    assert result.cut_points == pytest.approx(6.3)
    assert result.max_points == 10
    assert result.cut_percent == pytest.approx(63.0)
    assert result.judge_cuts.to_dict() == pytest.approx({"A": 54, "B": 63, "C": 72})
    assert result.judge_sd_percent == pytest.approx(9.0)
    assert result.se_percent == pytest.approx(9 / math.sqrt(3))
    items = result.item_table.set_index("item")
    assert items.loc["essay", "spread"] == pytest.approx(0.25)
    assert not items["discuss"].any()


def test_wide_form_gives_the_same_cut_and_flags_disagreement():
    wide = "judge,q1,q2,essay\nmax_points,,,8\nA,0.6,0.8,4\nB,0.4,0.9,5\nC,0.9,0.7,6\n"
    result = ss.angoff(ss.parse_ratings(wide.encode()))
    assert result.cut_points == pytest.approx((0.6 + 0.4 + 0.9) / 3 + 0.8 + 5)
    discuss = result.item_table.set_index("item")["discuss"]
    assert discuss.to_dict() == {"q1": True, "q2": False, "essay": False}


def _example_by_hand() -> dict[int, tuple[float, float, list[float]]]:
    """The example's cut per round from the CSV alone (stdlib): the mean of each
    item column summed, the maximum from the max_points row, judges' cuts."""
    text = EXAMPLE.read_text(encoding="utf-8")
    rows = list(
        csv.reader(line for line in text.splitlines() if not line.startswith("#"))
    )
    header, maxima = rows[0], rows[1]
    top = sum(float(m or 1) for m in maxima[2:])
    by_round: dict[int, list[list[float]]] = {}
    for row in rows[2:]:
        by_round.setdefault(int(row[1]), []).append([float(v) for v in row[2:]])
    out = {}
    for round_, judges in by_round.items():
        means = [statistics.fmean(column) for column in zip(*judges, strict=True)]
        out[round_] = (sum(means), top, [100 * sum(j) / top for j in judges])
    assert header[:2] == ["judge", "round"]
    return out


def test_the_example_panel_reproduces_its_cut_score():
    ratings = ss.read_ratings(Path(str(EXAMPLE)))
    assert ratings.table["judge"].nunique() == 6
    assert len(ratings.max_points) == 37 and ratings.max_points["written"] == 8
    for round_, (cut, top, judges) in _example_by_hand().items():
        result = ss.angoff(ratings, round_)
        assert result.cut_points == pytest.approx(cut)
        assert result.max_points == top == 44
        assert result.judge_sd_percent == pytest.approx(statistics.stdev(judges))
    first, second = ss.angoff(ratings, 1), ss.angoff(ratings, 2)
    # discussion narrows the panel: round 2 agrees more than round 1
    assert second.judge_sd_percent < first.judge_sd_percent
    assert second.item_table["discuss"].sum() < first.item_table["discuss"].sum()


def test_the_record_holds_where_the_cut_came_from():
    raw = LONG.encode()
    ratings = ss.parse_ratings(raw, "panel.csv")
    entry = ss.record(ratings, ss.angoff(ratings), date(2026, 12, 3))
    assert entry["method"] == "modified Angoff"
    assert (entry["judges"], entry["items"], entry["rounds"]) == (3, 3, 1)
    assert entry["ratings_sha256"] == hashlib.sha256(raw).hexdigest()
    assert entry["cut_points"] == 6.3 and entry["cut_percent"] == 63.0
    assert entry["judge_sd_percent"] == 9.0 and entry["se_percent"] == 5.2
    assert entry["date"] == "2026-12-03" and entry["ratings_file"] == "panel.csv"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("# only a comment\n\n", "is empty"),
        ("judge,item,rating\n", "no ratings"),
        ("who,what\nA,1\n", "first line should be the header"),
        ("judge,item,rating\nA,q1,0.5\nA,q1,0.6\nB,q1,0.5\n", "rated q1 twice"),
        ("judge,item,rating\nA,q1,high\nB,q1,0.5\n", "'high' is not a number"),
        ("judge,item,rating\nA,q1,60\nB,q1,0.5\n", "0.6, not 60%"),
        ("judge,item,rating\nA,q1,-0.1\nB,q1,0.5\n", "out of range"),
        ("judge,item,rating\nA,q1,\nB,q1,0.5\n", "Missing rating"),
        ("judge,item,rating\nA,q1,0.5\nA,q2,0.5\nB,q1,0.5\n", "B has no round-1"),
        ("judge,q1,q2\nA,0.5,0.5\nB,0.5\n", "has 2 values, the header 3"),
        ("judge,q1,q1\nA,0.5,0.5\nB,0.5,0.5\n", "q1 appear more than once"),
        ("judge,item,rating\nA,q1,0.5\n", "at least two judges"),
        ("judge,item,rating,weight\nA,q1,0.5\n", "Unknown column"),
        ("judge,round,q1\nA,first,0.5\nB,1,0.5\n", "Round 'first'"),
        ("judge,essay\nmax_points,8\nA,9\nB,4\n", "expected score from 0 to 8"),
    ],
)
def test_bad_ratings_get_a_clear_message(text, message):
    with pytest.raises(ss.RatingsError, match=message):
        ss.parse_ratings(text.encode())


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(ss.RatingsError, match="not UTF-8"):
        ss.parse_ratings("judge,item,rating\nJosé,q1,0.5\n".encode("latin-1"))


runner = CliRunner()


def _plain(output: str) -> str:
    """The console's output with its line wrapping undone."""
    return " ".join(output.split())


def test_the_command_prints_the_cut_and_writes_the_record(tmp_path):
    ratings = tmp_path / "panel.csv"
    ratings.write_bytes(Path(str(EXAMPLE)).read_bytes())
    out = runner.invoke(
        app, ["exam", "standard-set", str(ratings), "--date", "2026-12-03"]
    )
    assert out.exit_code == 0, out.output
    assert "Cut score (round 2)" in out.output
    entry = yaml.safe_load((tmp_path / "panel.yaml").read_text(encoding="utf-8"))
    expected = ss.angoff(ss.read_ratings(ratings))
    assert entry["cut_percent"] == round(expected.cut_percent, 1)
    assert entry["rounds"] == 2 and entry["judges"] == 6 and entry["items"] == 37
    assert set(entry["cut_percent_by_round"]) == {1, 2}


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (b"", [], "is empty"),
        (b"\xff\xfe\x00j", [], "not UTF-8"),
        (LONG.encode(), ["--round", "3"], "no round 3"),
        (LONG.encode(), ["--date", "yesterday"], "is not a date"),
    ],
)
def test_the_command_fails_with_one_line_not_a_traceback(
    tmp_path, content, extra, message
):
    ratings = tmp_path / "panel.csv"
    ratings.write_bytes(content)
    out = runner.invoke(app, ["exam", "standard-set", str(ratings), *extra])
    assert out.exit_code == 2
    assert message in _plain(out.output) and "Traceback" not in out.output
    assert not (tmp_path / "panel.yaml").exists()


def test_the_command_names_a_missing_file(tmp_path):
    out = runner.invoke(app, ["exam", "standard-set", str(tmp_path / "none.csv")])
    assert out.exit_code == 2 and "does not exist" in _plain(out.output)


def test_the_rating_sheet_lists_the_reference_form_with_keys_and_a_blank_csv():
    from smm_playbook.grading.exam import PRACTICE, PRACTICE_SECRET, paper_for

    paper = paper_for(PRACTICE, PRACTICE_SECRET, "angoff-reference")
    sheet, blank = ss.rating_sheet(paper, "practice", judges=3)
    items = ss.form_items(paper)
    assert [name for name, _, _ in items][:2] == ["m0_1", "m0_2"]
    for name, _, part in items:
        assert f"### {name} (" in sheet
        assert f"**Key:** {ss.key_text(part)}" in sheet
        correct = getattr(part.question, "correct", None)
        if isinstance(correct, str) and correct in part.question.options:
            assert ss.key_text(part) == f"({correct}) {part.question.options[correct]}"
        if hasattr(part.question, "expected"):
            assert ss.key_text(part).startswith(f"{part.question.expected:.6g}")
    # the blank file is refused until the judges fill it in, then it computes
    with pytest.raises(ss.RatingsError, match="Missing rating"):
        ss.parse_ratings(blank.encode())
    rows = blank.splitlines()
    filled = rows[:2] + [
        ",".join([row.split(",")[0], "1", *["0.5"] * len(items)]) for row in rows[2:]
    ]
    result = ss.angoff(ss.parse_ratings("\n".join(filled).encode()))
    assert result.judges == 3 and result.items == len(items)
    points = sum(part.points for _, _, part in items)
    assert result.cut_points == pytest.approx(0.5 * len(items))
    assert result.max_points == points


def test_the_sheet_command_writes_both_files_and_never_overwrites(tmp_path):
    from smm_playbook.grading.exam import PRACTICE

    secret = tmp_path / "exam.key"
    assert runner.invoke(app, ["exam", "new-secret", str(secret)]).exit_code == 0
    sheet, ratings = tmp_path / "sheet.md", tmp_path / "ratings.csv"
    args = ["exam", "angoff-sheet", "--secret", str(secret)]
    args += ["--sheet", str(sheet), "--ratings", str(ratings)]
    args += ["--exam-id", PRACTICE.exam_id, "--version", PRACTICE.version]
    made = runner.invoke(app, args)
    assert made.exit_code == 0, made.output
    assert "CONFIDENTIAL" in sheet.read_text(encoding="utf-8")
    assert ratings.read_text(encoding="utf-8").startswith("judge,round,m0_1")
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "exists" in _plain(again.output)
