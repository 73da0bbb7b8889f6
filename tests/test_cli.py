"""The `smm-playbook` command."""

from __future__ import annotations

import socket

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import execute_notebook
from smm_playbook import cli
from smm_playbook.checks.progress import ProgressStore
from smm_playbook.cli import app
from smm_playbook.workshop import SIMULATORS, app_notebook

runner = CliRunner()


def test_progress_shows_each_question_and_the_points(progress_home, monkeypatch):
    # CI has no terminal; give rich a wide one so titles are not wrapped mid-phrase.
    monkeypatch.setattr(cli, "console", Console(width=160))
    store = ProgressStore.default()
    store.record("ex00_orientation", "EngagementRateByReach", "check", status="correct")
    store.record(
        "ex00_orientation",
        "ExplainTheRates",
        "check",
        status="submitted",
        needs_review=True,
        answer="Reach counts people; impressions count views.",
    )
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 0, result.output
    assert "Engagement rate by reach" in result.output
    assert "submitted for review" in result.output
    # written work waiting for review earns nothing yet, and is never "correct"
    assert "1/9 points, 1 written for review" in result.output


def test_progress_shows_a_multipart_score_as_parts_right(progress_home, monkeypatch):
    monkeypatch.setattr(cli, "console", Console(width=160))
    ProgressStore.default().record(
        "ex04_crisis", "SeverityTiers", "check", status="partial", right=3, parts=4
    )
    result = runner.invoke(app, ["progress", "--exercise", "ex04_crisis"])
    assert result.exit_code == 0, result.output
    assert "3 of 4 parts right" in result.output
    assert "0.75/7 points" in result.output


def test_progress_writes_a_self_contained_chart(progress_home, tmp_path):
    target = tmp_path / "progress.html"
    result = runner.invoke(app, ["progress", "--html", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text()
    assert "Points earned per exercise" in page
    assert '<script src="http' not in page  # plotly.js is inlined, not fetched


def test_progress_survives_a_corrupted_file(progress_home):
    (progress_home / "progress.json").write_text("{broken")
    result = runner.invoke(app, ["progress"])
    assert result.exit_code == 0
    assert list(progress_home.glob("progress.json.corrupt-*"))


def test_data_verify_passes_on_the_shipped_files():
    result = runner.invoke(app, ["data", "verify"])
    assert result.exit_code == 0 and "ok" in result.output


def test_student_check_reports_up_to_date():
    result = runner.invoke(app, ["student", "--check"])
    assert result.exit_code == 0 and "up to date" in result.output


def test_workshop_lists_simulators_and_names_them_on_a_typo():
    assert "competency" in runner.invoke(app, ["workshop", "--list"]).output
    wrong = runner.invoke(app, ["workshop", "competence"])
    assert wrong.exit_code == 2 and "Available: competency" in wrong.output


@pytest.mark.parametrize("name", list(SIMULATORS))
def test_workshop_app_notebook_runs_and_shows_the_widget(tmp_path, name):
    notebook = app_notebook(name)
    execute_notebook(notebook, tmp_path)
    outputs = notebook.cells[-1].outputs
    assert any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs
    )


def test_workshop_refuses_a_busy_port_and_says_so():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["workshop", "competency", "--port", str(port)])
    assert result.exit_code == 2 and "already in use" in result.output
