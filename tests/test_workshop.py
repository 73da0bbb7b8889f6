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
    assert env[workshop.PLOTLY_ESM] == (
        "http://127.0.0.1:8870/voila/files/" + workshop.PLOTLY_BUNDLE
    )
    assert str(tmp_path / "share") in env["JUPYTER_PATH"]


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
