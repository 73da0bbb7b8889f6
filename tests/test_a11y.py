"""Accessibility and launch buttons from the course's Sphinx extension (no browser).

The browser half (axe-core over built pages) is in test_a11y_browser.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import yaml

from conftest import ROOT
from smm_playbook.book.sphinx_ext import figure_label, label_figures

HTML = ROOT / "_build" / "html"


def test_a_figure_is_labelled_with_its_title_without_markup():
    figure = go.Figure(go.Bar(x=["a"], y=[1]), layout_title_text="Reach <b>by</b> week")
    body = pio.to_html(figure, include_plotlyjs=False, full_html=False)
    labelled = label_figures(body)
    assert 'role="figure" aria-label="Chart: Reach by week"' in labelled
    assert labelled.count('role="figure"') == 1


def test_a_figure_without_a_title_is_named_after_its_axes_or_traces():
    assert (
        figure_label(
            {
                "xaxis": {"title": {"text": "week"}},
                "yaxis": {"title": {"text": "posts"}},
            },
            [],
        )
        == "Chart of posts against week"
    )
    assert (
        figure_label({}, [{"name": "Douyin"}, {"name": "Weibo"}])
        == "Chart: Douyin, Weibo"
    )
    assert figure_label({}, [{}]) == "Chart"


def test_several_figures_on_a_page_each_get_their_own_label():
    bodies = [
        pio.to_html(
            go.Figure(go.Scatter(x=[1], y=[2]), layout_title_text=title),
            include_plotlyjs=False,
            full_html=False,
        )
        for title in ("First & one", "Second")
    ]
    labelled = label_figures("<p>between</p>".join(bodies))
    assert 'aria-label="Chart: First &amp; one"' in labelled
    assert 'aria-label="Chart: Second"' in labelled


@pytest.mark.book
def test_the_built_book_has_no_launch_button_while_no_hub_is_configured():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["launch_buttons"]["jupyterhub_url"] == ""
    if not (HTML / "index.html").exists():
        pytest.fail(
            "The book is not built: run `make test` (it builds the book first)."
        )
    page = (HTML / "exercises" / "ex06_roi.html").read_text()
    assert "launch-buttons" not in page
    assert "user-redirect" not in page


MINI_PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---
# A simulator page

```{code-cell} ipython3
1 + 1
```
"""


@pytest.fixture(scope="module")
def hub_book(tmp_path_factory) -> Path:
    """A two-page book built with the course's configuration and a hub URL."""
    root = tmp_path_factory.mktemp("hub-book")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config = {key: config[key] for key in ("title", "parse", "sphinx", "html")} | {
        "launch_buttons": config["launch_buttons"]
        | {"jupyterhub_url": "https://hub.example.org/"},
        "execute": {"execute_notebooks": "force", "timeout": 120},
    }
    config["sphinx"]["config"].pop("bibtex_reference_style")  # no bibliography here
    (root / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n"
        "  - file: book/m1/page\n  - file: exercises/ex01\n"
    )
    (root / "intro.md").write_text("# Course\n\nNo code on this page.\n")
    (root / "book" / "m1").mkdir(parents=True)
    (root / "book" / "m1" / "page.md").write_text(MINI_PAGE)
    (root / "exercises").mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_markdown_cell("# Exercise 1")]
    nbformat.write(notebook, root / "exercises" / "ex01.ipynb")
    build = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root)]
    result = subprocess.run(
        [*build, "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return root / "_build" / "html"


@pytest.mark.book
def test_with_a_hub_url_pages_and_exercises_launch_the_learners_own_copy(hub_book):
    page = (hub_book / "book" / "m1" / "page.html").read_text()
    exercise = (hub_book / "exercises" / "ex01.html").read_text()
    hub = "https://hub.example.org/hub/user-redirect/lab/tree/"
    assert f'href="{hub}book/_sources/book/m1/page.ipynb"' in page
    assert f'href="{hub}exercises/ex01.ipynb"' in exercise
    # the page's notebook is in the built book, where the hub's book/ link points
    assert (hub_book / "_sources" / "book" / "m1" / "page.ipynb").exists()
    # no nbgitpuller link to a repository the hub does not use
    assert "git-pull" not in page + exercise
    # a page without code has nothing to launch
    assert "user-redirect" not in (hub_book / "intro.html").read_text()


def test_code_blocks_can_be_reached_by_keyboard_from_the_first_paint():
    from smm_playbook.book.sphinx_ext import PRE_WITHOUT_TABINDEX

    body = '<pre id="codecell0">x</pre><pre tabindex="-1">y</pre><p><preview/></p>'
    fixed = PRE_WITHOUT_TABINDEX.sub('<pre tabindex="0"', body)
    assert fixed == (
        '<pre tabindex="0" id="codecell0">x</pre><pre tabindex="-1">y</pre>'
        "<p><preview/></p>"
    )
