"""The built book, opened in Chromium with every outside request blocked."""

from __future__ import annotations

import pytest

from browser import chromium_page, require_chromium, serve
from conftest import ROOT

HTML = ROOT / "_build" / "html"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site():
    require_chromium()
    if not (HTML / "index.html").exists():
        pytest.fail("The book is not built: run `make test` (it builds the book first).")
    with serve(HTML) as url:
        yield url


PAGES = [
    "book/intro.html",
    "book/00-role/index.html",
    "book/00-role/the-job.html",
    "book/00-role/competencies.html",
    "book/00-role/teams-and-workflow.html",
    "book/00-role/knowledge-check.html",
    "exercises/ex00_orientation.html",
    "book/facilitator/00-role.html",
    "book/glossary.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_outside_requests_or_script_errors(site, path):
    with chromium_page(path.replace("/", "_")) as offline:
        offline.page.goto(f"{site}/{path}", wait_until="networkidle")
        assert offline.page.title()
        assert offline.blocked == [], offline.blocked
        assert offline.errors == [], offline.errors


def test_plotly_figures_render_from_the_sites_own_copy(site):
    with chromium_page("competencies-figures") as offline:
        offline.page.goto(f"{site}/book/00-role/competencies.html", wait_until="networkidle")
        offline.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=15_000)
        plots = offline.page.locator(".js-plotly-plot")
        assert plots.count() >= 2
        # the explorer's menu is live without a kernel: switching learner redraws
        title = offline.page.locator(".js-plotly-plot .gtitle").first.text_content()
        offline.page.locator(".updatemenu-header-group").first.click()
        offline.page.locator(".updatemenu-item-text", has_text="Customer-service lead").click()
        offline.page.wait_for_timeout(300)
        assert offline.page.locator(".js-plotly-plot .gtitle").first.text_content() != title
        assert offline.blocked == []


def test_knowledge_check_marks_an_answer_without_a_kernel(site):
    with chromium_page("knowledge-check") as offline:
        offline.page.goto(f"{site}/book/00-role/knowledge-check.html", wait_until="networkidle")
        first = offline.page.locator(".smm-kc").first
        first.locator("input[data-correct='false']").first.check()
        feedback = first.locator(".smm-kc-feedback")
        assert "Not quite" in feedback.inner_text()
        first.locator("input[data-correct='true']").first.check()
        assert "Correct" in feedback.inner_text()
