"""The workshop server's command line, landing page and figure loading (no browser).

The server itself, in Chromium, is tested in test_workshop_browser.py.
"""

from __future__ import annotations

import html

import nbformat
import plotly.graph_objects as go
import pytest
from plotly.basewidget import BaseFigureWidget

from smm_playbook import workshop
from smm_playbook.workshop import SIMULATORS, UnknownSimulator, server_command


def test_one_server_serves_every_app_with_a_preheated_kernel(tmp_path):
    command, env = server_command(8870, tmp_path)
    assert "--preheat_kernel=True" in command and "--pool_size=1" in command
    assert str(tmp_path / "apps") in command
    for name in SIMULATORS:
        notebook = nbformat.read(tmp_path / "apps" / f"{name}.ipynb", as_version=4)
        assert SIMULATORS[name].factory in notebook.cells[-1].source
    bundle = tmp_path / "apps" / workshop.PLOTLY_BUNDLE
    assert bundle.stat().st_size == workshop.plotly_bundle().stat().st_size
    esm = "http://127.0.0.1:8870/voila/files/" + workshop.PLOTLY_BUNDLE
    assert env[workshop.PLOTLY_ESM] == esm
    # the page preloads the very address the figures import plotly's code from
    assert f"--VoilaConfiguration.resources={dict(plotly_esm=esm)!r}" in command
    assert str(tmp_path / "share") in env["JUPYTER_PATH"]
    assert env[workshop.READY] == str(tmp_path / "ready")
    assert workshop.ready_apps(tmp_path) == set()


def test_a_workshop_kernel_marks_its_app_built_and_only_there(tmp_path, monkeypatch):
    monkeypatch.delenv(workshop.READY, raising=False)
    (tmp_path / "ready").mkdir()
    workshop.mark_ready("maturity")
    assert workshop.ready_apps(tmp_path) == set()
    monkeypatch.setenv(workshop.READY, str(tmp_path / "ready"))
    workshop.mark_ready("maturity")
    workshop.mark_ready("query-lab")
    assert workshop.ready_apps(tmp_path) == {"maturity", "query-lab"}
    for name in SIMULATORS:  # each app's notebook marks its own name, last
        code = workshop.app_notebook(name).cells[-1].source
        assert code.splitlines()[-1] == f"mark_ready({name!r})"


def test_the_landing_page_names_every_app_its_module_and_purpose(tmp_path):
    server_command(8870, tmp_path)
    page = (
        tmp_path / "share" / "voila" / "templates" / "smm-workshop" / "tree.html"
    ).read_text()
    assert workshop.LANDING_MARK in page
    for name, simulator in SIMULATORS.items():
        assert simulator.purpose and len(simulator.purpose) < 120
        assert f'href="{{{{ base_url }}}}voila/render/{name}.ipynb"' in page
        for text in (simulator.name, simulator.module_label, simulator.purpose):
            assert html.escape(text) in page


def test_an_unknown_app_is_refused_with_the_list(tmp_path):
    with pytest.raises(UnknownSimulator, match="Available: competency"):
        server_command(8870, tmp_path, ["competence"])
    with pytest.raises(UnknownSimulator):
        workshop.app_url(8870, "competence")


def test_figures_load_plotly_by_url_only_in_a_workshop_kernel(monkeypatch):
    original = BaseFigureWidget._esm
    monkeypatch.delenv(workshop.PLOTLY_ESM, raising=False)
    workshop.load_figures_from_server()
    assert len(go.FigureWidget()._esm) > 1_000_000  # the code itself, as in JupyterLab
    url = "http://127.0.0.1:8870/voila/files/plotly-widget.js"
    monkeypatch.setenv(workshop.PLOTLY_ESM, url)
    try:
        workshop.load_figures_from_server()
        assert go.FigureWidget()._esm == url
    finally:
        BaseFigureWidget._esm = original


class _Running:
    def poll(self):
        return None


def test_the_server_says_when_every_app_is_built(tmp_path, capsys):
    (tmp_path / "ready").mkdir()
    for name in SIMULATORS:
        (tmp_path / "ready" / name).touch()
    workshop._announce_when_ready(tmp_path, _Running())
    assert f"All {len(SIMULATORS)} apps are ready" in capsys.readouterr().out
