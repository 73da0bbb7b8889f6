"""The built book, opened in Chromium with every outside request blocked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from browser import chromium_page, require_chromium, serve
from conftest import ROOT, toc_files

HTML = ROOT / "_build" / "html"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    require_chromium()
    if not (HTML / "index.html").exists():
        pytest.fail(
            "The book is not built: run `make test` (it builds the book first)."
        )
    with serve(HTML) as url:
        yield url


PAGES = [f"{name}.html" for name in toc_files()]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_outside_requests_or_script_errors(site, path):
    with chromium_page(path.replace("/", "_")) as offline:
        offline.page.goto(f"{site}/{path}", wait_until="networkidle")
        assert offline.page.title()
        assert offline.blocked == [], offline.blocked
        assert offline.errors == [], offline.errors


def test_plotly_figures_render_from_the_sites_own_copy(site):
    with chromium_page("competencies-figures") as offline:
        offline.page.goto(
            f"{site}/book/00-role/competencies.html", wait_until="networkidle"
        )
        offline.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        plots = offline.page.locator(".js-plotly-plot")
        assert plots.count() >= 2
        # the explorer's menu is live without a kernel: switching learner redraws
        title = offline.page.locator(".js-plotly-plot .gtitle").first.text_content()
        offline.page.locator(".updatemenu-header-group").first.click()
        offline.page.locator(
            ".updatemenu-item-text", has_text="Customer-service lead"
        ).click()
        offline.page.wait_for_timeout(300)
        assert (
            offline.page.locator(".js-plotly-plot .gtitle").first.text_content()
            != title
        )
        assert offline.blocked == []


@pytest.mark.parametrize(
    "module",
    [
        "00-role",
        "01-strategy",
        "02-content",
        "03-community",
        "04-crisis",
        "05-paid",
        "06-roi",
        "07-creators",
        "08-listening",
    ],
)
def test_knowledge_check_marks_an_answer_without_a_kernel(site, module):
    with chromium_page(f"knowledge-check-{module}") as offline:
        offline.page.goto(
            f"{site}/book/{module}/knowledge-check.html", wait_until="networkidle"
        )
        first = offline.page.locator(".smm-kc").first
        first.locator("input[data-correct='false']").first.check()
        feedback = first.locator(".smm-kc-feedback")
        assert "Not quite" in feedback.inner_text()
        first.locator("input[data-correct='true']").first.check()
        assert "Correct" in feedback.inner_text()


WIDGET_PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# Widgets offline

```{code-cell} ipython3
from smm_playbook.book import setup_page
setup_page()
import ipywidgets as w
import plotly.graph_objects as go
slider = w.IntSlider(value=3, min=0, max=10, description="posts")
mirror = w.IntText(value=3)
w.jslink((slider, "value"), (mirror, "value"))
w.VBox([slider, mirror])
```

```{code-cell} ipython3
go.Figure(go.Bar(x=["reach", "impressions"], y=[4000, 6000]))
```
"""


@pytest.fixture(scope="module")
def widget_site(tmp_path_factory):
    """A one-page book built with the course's configuration and a widget cell."""
    require_chromium()
    root = tmp_path_factory.mktemp("widget-book")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config = {key: config[key] for key in ("title", "parse", "sphinx", "html")}
    config["sphinx"]["config"].pop("bibtex_reference_style")  # no bibliography here
    config["execute"] = {"execute_notebooks": "force", "timeout": 120}
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (root / "_toc.yml").write_text("format: jb-book\nroot: widgets\n")
    (root / "widgets.md").write_text(WIDGET_PAGE)
    build = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(root),
        "-W",
        "-n",
        "--keep-going",
    ]
    result = subprocess.run(build, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with serve(root / "_build" / "html") as url:
        yield url


def test_widgets_render_and_link_in_the_browser_from_local_scripts(widget_site):
    with chromium_page("widget-book") as offline:
        offline.page.goto(f"{widget_site}/widgets.html", wait_until="networkidle")
        slider = offline.page.locator(".widget-slider .slider-container").first
        slider.wait_for(timeout=15_000)
        offline.page.locator(
            ".widget-slider [role='slider'], .widget-slider .noUi-handle"
        ).first.focus()
        offline.page.keyboard.press("ArrowRight")
        offline.page.wait_for_timeout(300)
        assert offline.page.locator(".widget-text input").first.input_value() == "4"
        offline.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        assert offline.blocked == [], offline.blocked
        assert offline.errors == [], offline.errors
