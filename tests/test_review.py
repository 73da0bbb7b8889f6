"""`smm-playbook review` end to end on a folder of notebooks: written answers and
work products are collected without running anything, broken files get a clear
message while the others load, scores go into the learner's progress."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import ROOT
from smm_playbook import cli
from smm_playbook.checks.reviews import ReviewStore
from smm_playbook.cli import app
from smm_playbook.progress_report import progress_frame
from smm_playbook.review import collect
from smm_playbook.review_sheet import parse_score

runner = CliRunner()
WIDE = Console(width=200)


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setattr(cli, "console", WIDE)


@pytest.fixture
def class_folder(tmp_path):
    """ana: a full crisis notebook; ben: untouched, plus a broken notebook;
    cam: a notebook that is not UTF-8; dan: a work product in a file."""
    folder = tmp_path / "class"
    for who in ("ana", "ben", "dan"):
        (folder / who).mkdir(parents=True)
    shutil.copy(ROOT / "solutions/ex04_crisis.ipynb", folder / "ana")
    shutil.copy(ROOT / "exercises/ex04_crisis.ipynb", folder / "ben")
    (folder / "ben/ex06_roi.ipynb").write_text('{"cells": [', encoding="utf-8")
    (folder / "cam.ipynb").write_bytes(b"\xff\xfe\x00not a notebook")
    shutil.copy(ROOT / "exercises/ex06_roi.ipynb", folder / "dan")
    report = model_text("ex06_roi")
    (folder / "dan/so_what_report.md").write_text(report, encoding="utf-8")
    return folder


def model_text(exercise: str) -> str:
    cells = json.loads((ROOT / f"solutions/{exercise}.ipynb").read_text())["cells"]
    source = next(
        "".join(c["source"]) for c in cells if "".join(c["source"]).startswith("%%")
    )
    return "\n".join(line for line in source.splitlines()[1:] if "SOLUTION" not in line)


def test_collect_reads_answers_and_reports_each_problem(class_folder):
    found = collect(class_folder)
    pieces = {(p.learner, p.exercise, p.number, p.kind) for p in found.pieces}
    assert pieces == {
        ("ana", "ex04_crisis", 7, "written answer"),
        ("ana", "ex04_crisis", 8, "work product"),
        ("dan", "ex06_roi", 8, "work product"),
    }
    problems = "\n".join(found.problems)
    assert "ex06_roi.ipynb (ben): The file is not valid JSON" in problems
    assert "cam.ipynb (cam): The file is not text" in problems
    assert "(ben), q8 (Work product: a one-page crisis plan" in problems
    assert "no answer yet" in problems
    dan = next(p for p in found.pieces if p.learner == "dan")
    assert dan.source == "so_what_report.md" and dan.text.startswith("# Spring")


def test_a_work_product_file_that_is_not_utf8_is_named(class_folder):
    (class_folder / "dan/so_what_report.md").write_bytes("Résumé".encode("latin-1"))
    found = collect(class_folder)
    assert "so_what_report.md is not UTF-8 text" in "\n".join(found.problems)
    assert {p.learner for p in found.pieces} == {"ana"}


def test_sheet_round_trip_puts_reviews_into_progress(
    class_folder, tmp_path, progress_home, wide
):
    sheet, store = tmp_path / "sheet.csv", tmp_path / "reviews.json"
    out = runner.invoke(app, ["review", str(class_folder), "--sheet", str(sheet)])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    assert {r["learner"] for r in rows} == {"ana", "dan"}
    assert "## Piece" in sheet.with_suffix(".md").read_text(encoding="utf-8")
    for index, row in enumerate(rows):
        row["score"] = ("Meets", "partly", "not yet")[index % 3]
        row["comment"] = "Name a deputy." if index == 0 else ""
    write_rows(sheet, rows, delimiter=";")  # as a spreadsheet saves it in Europe
    args = ["review", str(class_folder), "--scores", str(sheet), "--store", str(store)]
    out = runner.invoke(app, [*args, "--reviewer", "Mei"])
    assert out.exit_code == 0, out.output
    assert "Saved 3 review(s)" in out.output
    saved = ReviewStore(store).reviews()
    assert {r["reviewer"] for r in saved} == {"Mei"}
    assert any(r["comment"] == "Name a deputy." for r in saved)

    frame = progress_frame("ex04_crisis", reviewed=ReviewStore(store).latest("ana"))
    row = frame.set_index("number").loc[8]
    assert row["status"] == "reviewed" and "meets" in row["review"]
    out = runner.invoke(app, ["progress", "--reviews", str(store), "--learner", "ana"])
    assert out.exit_code == 0, out.output
    assert "reviewed: " in out.output and "not yet" in out.output
    out = runner.invoke(app, ["progress", "--reviews", str(store)])
    assert "several learners" in out.output


def write_rows(path, rows, delimiter=","):
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


def test_blind_sheet_hides_names(class_folder, tmp_path, progress_home, wide):
    sheet = tmp_path / "blind.csv"
    args = ["review", str(class_folder), "--sheet", str(sheet), "--blind"]
    assert runner.invoke(app, args).exit_code == 0
    assert {r["learner"] for r in csv.DictReader(sheet.open(encoding="utf-8-sig"))} == {
        "hidden"
    }
    answers = sheet.with_suffix(".md").read_text(encoding="utf-8")
    assert "— ana" not in answers and "— dan" not in answers
    assert answers.count("## Piece ") == 3


def test_a_bad_score_is_refused_and_nothing_half_saved(
    class_folder, tmp_path, progress_home, wide
):
    sheet, store = tmp_path / "sheet.csv", tmp_path / "reviews.json"
    runner.invoke(app, ["review", str(class_folder), "--sheet", str(sheet)])
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    for row in rows:
        row["score"] = "great" if row["criterion"] == "honesty" else "meets"
    rows[0]["piece"] = "0000000000"
    write_rows(sheet, rows)
    args = ["review", str(class_folder), "--scores", str(sheet), "--store", str(store)]
    out = runner.invoke(app, args)
    assert out.exit_code == 1
    assert "missing or unclear: honesty). Not saved." in out.output
    assert "Piece '0000000000': not in this folder" in out.output
    # ana's holding statement (every criterion scored) is saved; the rest is not
    assert [r["number"] for r in ReviewStore(store).reviews()] == [8]


def test_interactive_review_saves_each_answer_at_once(
    class_folder, tmp_path, progress_home, wide
):
    store = tmp_path / "reviews.json"
    args = ["review", str(class_folder / "ana"), "--learner", "ana"]
    args += ["--store", str(store), "--exercise", "ex04_crisis"]
    # q7 has six criteria, the crisis plan five; the second answer is skipped.
    keys = "Mei\nm\np\nm\nn\nm\np\nGood first line.\ns\n"
    out = runner.invoke(app, args, input=keys)
    assert out.exit_code == 0, out.output
    assert "Done: 1 review(s) saved." in out.output
    (entry,) = ReviewStore(store).reviews()
    assert entry["learner"] == "ana" and entry["comment"] == "Good first line."
    assert list(entry["scores"].values()) == [
        "meets",
        "partly",
        "meets",
        "not_yet",
        "meets",
        "partly",
    ]
    again = runner.invoke(app, args, input="Mei\ns\n")
    assert "1 already reviewed" in again.output


def test_a_missing_folder_gets_a_message(tmp_path, progress_home, wide):
    sheet = tmp_path / "sheet.csv"
    args = ["review", str(tmp_path / "nowhere"), "--sheet", str(sheet)]
    out = runner.invoke(app, args)
    assert out.exit_code == 2 and "is not a folder" in out.output
    assert not sheet.exists()


@pytest.mark.parametrize(
    ("said", "level"),
    [
        ("Meets", "meets"),
        (" p ", "partly"),
        ("Not  yet", "not_yet"),
        ("未达到", "not_yet"),
    ],
)
def test_scores_are_read_in_the_words_people_use(said, level):
    assert parse_score(said) == level
    assert parse_score("excellent") is None


def test_a_broken_cell_still_yields_its_written_answer(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    setup = "from smm_playbook.exercises.ex06_roi import *"
    answer = 'so_what = """ROI on profit was -12.5%, so cut spend."""\nx = ('
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in (setup, answer)]
    (tmp_path / "eve").mkdir()
    nbformat.write(notebook, tmp_path / "eve" / "ex06_roi.ipynb")
    found = collect(tmp_path)
    (piece,) = found.pieces
    assert piece.learner == "eve" and piece.text.startswith("ROI on profit")
    assert "(eve), q8 (Work product" in "\n".join(found.problems)


def test_nothing_to_review_asks_nothing(tmp_path, progress_home, wide):
    (tmp_path / "ben").mkdir()
    shutil.copy(ROOT / "exercises/ex06_roi.ipynb", tmp_path / "ben")
    out = runner.invoke(app, ["review", str(tmp_path)], input="")
    assert out.exit_code == 0 and "Nothing to review." in out.output


def test_a_learners_own_exercises_folder_is_one_learner(tmp_path):
    mine = tmp_path / "exercises"
    mine.mkdir()
    for name in ("ex04_crisis", "ex06_roi"):
        shutil.copy(ROOT / f"solutions/{name}.ipynb", mine)
    found = collect(mine)
    assert {p.learner for p in found.pieces} == {"exercises"}
    assert {p.exercise for p in found.pieces} == {"ex04_crisis", "ex06_roi"}


def test_self_review_shows_in_my_own_progress(tmp_path, progress_home):
    mine = tmp_path / "exercises"
    mine.mkdir()
    shutil.copy(ROOT / "solutions/ex06_roi.ipynb", mine)
    sheet = tmp_path / "me.csv"
    assert (
        runner.invoke(app, ["review", str(mine), "--sheet", str(sheet)]).exit_code == 0
    )
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    write_rows(sheet, [dict(r, score="meets") for r in rows])
    out = runner.invoke(app, ["review", str(mine), "--scores", str(sheet)])
    assert out.exit_code == 0, out.output
    frame = progress_frame("ex06_roi").set_index("number")
    assert frame.loc[8, "status"] == "reviewed"
    assert frame.loc[8, "review"] == "5 meets · 0 partly · 0 not yet"
    assert frame.loc[1, "status"] == "not attempted"


def test_review_reads_a_tagged_markdown_cell(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    report = model_text("ex06_roi")
    notebook.cells = [
        nbformat.v4.new_code_cell("from smm_playbook.exercises.ex06_roi import *"),
        nbformat.v4.new_markdown_cell(f"<!-- work: so_what_report -->\n{report}"),
    ]
    (tmp_path / "fay").mkdir()
    nbformat.write(notebook, tmp_path / "fay" / "ex06_roi.ipynb")
    (piece,) = collect(tmp_path).pieces
    assert (
        piece.source
        == "ex06_roi.ipynb, the Markdown cell <!-- work: so_what_report -->"
    )
    assert piece.text.startswith("# Spring campaign")
