"""The built book (run after `jupyter-book build`): offline, light, complete."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, toc_files

HTML = ROOT / "_build" / "html"
PAGE_LIMIT = 1.5 * 1024 * 1024
EXTERNAL_ASSET = re.compile(
    r"<(script|img|iframe)[^>]+src=\"(https?:)?//|<link[^>]+href=\"(https?:)?//[^\"]+\""
    r"[^>]*rel=\"stylesheet\"|<link[^>]+rel=\"stylesheet\"[^>]+href=\"(https?:)?//"
)
pytestmark = pytest.mark.book


def pages() -> list:
    if not (HTML / "index.html").exists():
        pytest.fail(
            "The book is not built: run `make test` (it builds the book first)."
        )
    return [HTML / f"{name}.html" for name in toc_files()]


def test_every_toc_entry_has_a_source_file():
    for name in toc_files():
        matches = [
            p for ext in (".md", ".ipynb") if (p := ROOT / f"{name}{ext}").exists()
        ]
        assert matches, f"{name} is in _toc.yml but has no source file"


def test_every_toc_page_was_built():
    for page in pages():
        assert page.exists(), page


def test_no_page_loads_an_asset_from_another_host():
    for page in pages():
        match = EXTERNAL_ASSET.search(page.read_text(encoding="utf-8"))
        assert match is None, f"{page.name} loads {match.group(0)[:120]}"


def test_plotly_is_loaded_once_from_static_and_never_embedded():
    for page in pages():
        text = page.read_text(encoding="utf-8")
        assert len(re.findall(r"<script[^>]+_static/plotly\.min\.js", text)) == 1, (
            page.name
        )
        assert "plotly.js v" not in text, f"{page.name} embeds plotly.js"
    assert (HTML / "_static" / "plotly.min.js").stat().st_size > 1_000_000


def test_widget_manager_scripts_are_served_locally():
    for name in ("require.js", "embed-amd.js"):
        assert (HTML / "_static" / "widgets" / name).exists()


def test_no_page_is_heavier_than_the_limit():
    for page in pages():
        assert page.stat().st_size < PAGE_LIMIT, (
            f"{page.name}: {page.stat().st_size:,} bytes"
        )


@pytest.mark.parametrize(
    ("page", "figures"),
    [
        ("00-role/competencies", 2),
        ("01-strategy/audiences-and-channels", 1),
        ("01-strategy/organisation-and-governance", 1),
        ("07-creators/disclosure-and-measurement", 1),
    ],
)
def test_simulator_pages_carry_their_figures(page, figures):
    text = (HTML / "book" / f"{page}.html").read_text(encoding="utf-8")
    assert text.count('class="plotly-graph-div"') >= figures
    assert "Plotly.newPlot" in text


def test_no_page_needs_mathjax():
    for page in pages():
        assert "mathjax" not in page.read_text(encoding="utf-8").lower(), page.name


def test_knowledge_checks_explain_every_option():
    text = (HTML / "book" / "00-role" / "knowledge-check.html").read_text(
        encoding="utf-8"
    )
    options = re.findall(r"<input type=\"(?:radio|checkbox)\"[^>]*>", text)
    assert len(re.findall(r'class="smm-kc"', text)) >= 5
    assert options and all(
        'data-why="' in o and 'data-why=""' not in o for o in options
    )


def test_every_glossary_term_has_a_chinese_equivalent():
    source = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    definitions = re.findall(r"^  \*\*(.+?)\*\* — ", source, flags=re.MULTILINE)
    assert len(definitions) >= 20
    assert all(re.search(r"[\u4e00-\u9fff]", d) for d in definitions)


def test_every_glued_number_rendered():
    """A glue value that fails to format renders as nothing or as a numpy repr."""
    pasted = 0
    for page in pages():
        values = re.findall(
            r'<span class="pasted-text">([^<]*)</span>', page.read_text()
        )
        pasted += len(values)
        bad = [v for v in values if not v.strip() or v.startswith(("np.", "<"))]
        assert not bad, f"{page.name}: {bad[:3]}"
    assert pasted > 100
