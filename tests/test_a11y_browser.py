"""axe-core in Chromium over a representative set of the built book's pages.

Every kind of page the book has (the landing page, a module overview, a page with
simulators and charts, a knowledge check, an exercise, a work product, the glossary,
the bibliography, a facilitator guide) must have no serious or critical violation.
axe-core comes bundled with axe-playwright-python: nothing is downloaded.
`python benchmarks/a11y.py` runs the same check over every page.
"""

from __future__ import annotations

import pytest

from browser import chromium_page, require_chromium, serve
from conftest import ROOT

HTML = ROOT / "_build" / "html"
pytestmark = pytest.mark.browser
PAGES = [
    "book/intro.html",
    "book/01-strategy/index.html",
    "book/00-role/competencies.html",
    "book/06-roi/value-and-attribution.html",
    "book/04-crisis/knowledge-check.html",
    "exercises/ex05_paid.html",
    "book/02-content/work-product.html",
    "book/glossary.html",
    "book/references.html",
    "book/facilitator/trainers-kit.html",
]
SEVERE = {"serious", "critical"}


@pytest.fixture(scope="module")
def site():
    require_chromium()
    if not (HTML / "index.html").exists():
        pytest.fail(
            "The book is not built: run `make test` (it builds the book first)."
        )
    with serve(HTML) as url:
        yield url


def severe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']} ({len(v['nodes'])}): {v['nodes'][0]['html'][:200]}"
        for v in found
        if v["impact"] in SEVERE
    ]


def test_every_representative_page_passes_axe_without_serious_violations(site):
    problems = {}
    with chromium_page("a11y") as offline:
        for path in PAGES:
            assert (HTML / path).exists(), f"{path} is not in the built book"
            offline.page.goto(f"{site}/{path}", wait_until="networkidle")
            offline.page.wait_for_timeout(400)  # the theme's scripts settle (300 ms)
            found = severe_violations(offline.page)
            if found:
                problems[path] = found
        assert offline.blocked == [], offline.blocked
    assert problems == {}


def test_every_chart_has_a_text_alternative(site):
    with chromium_page("a11y-figures") as offline:
        offline.page.goto(
            f"{site}/book/00-role/competencies.html", wait_until="networkidle"
        )
        offline.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        labels = offline.page.eval_on_selector_all(
            ".plotly-graph-div",
            "ns => ns.map(n => [n.getAttribute('role'), n.getAttribute('aria-label')])",
        )
    assert labels, "no chart on the page"
    for role, label in labels:
        assert role == "figure"
        assert label and label.startswith("Chart") and len(label) > len("Chart: ")


def test_the_navigation_toggles_have_names(site):
    with chromium_page("a11y-nav") as offline:
        offline.page.goto(f"{site}/book/05-paid/index.html", wait_until="networkidle")
        names = offline.page.eval_on_selector_all(
            "nav summary", "nodes => nodes.map(n => n.getAttribute('aria-label'))"
        )
    assert names and all(name and name.startswith("Show or hide") for name in names)
