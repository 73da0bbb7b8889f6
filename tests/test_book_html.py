"""The built book (run after `jupyter-book build`): offline, light, complete."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

HTML = ROOT / "_build" / "html"
PAGE_LIMIT = 1.5 * 1024 * 1024
EXTERNAL_ASSET = re.compile(
    r"<(script|img|iframe)[^>]+src=\"(https?:)?//|<link[^>]+href=\"(https?:)?//[^\"]+\""
    r"[^>]*rel=\"stylesheet\"|<link[^>]+rel=\"stylesheet\"[^>]+href=\"(https?:)?//"
)
pytestmark = pytest.mark.book


def toc_files() -> list[str]:
    def walk(node):
        if isinstance(node, dict):
            if "file" in node or "root" in node:
                yield node.get("file") or node.get("root")
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    return list(walk(yaml.safe_load((ROOT / "_toc.yml").read_text())))


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


def test_the_competency_page_carries_its_figures_and_computed_numbers():
    text = (HTML / "book" / "00-role" / "competencies.html").read_text(encoding="utf-8")
    assert text.count('class="plotly-graph-div"') >= 2
    assert "Plotly.newPlot" in text


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
