"""The explorable figures in the built book, in Chromium: no kernel, no network.

On every page with an explorable figure, each slider moved by the keyboard (focus
it, press an arrow key) and by the mouse (click elsewhere on its track) must
change the data plotly.js draws; each menu changed from the keyboard must too.
axe-core finds no serious or critical violation in a page's explorable figures
(one page with both kinds of control, and the drill's walk-through table: every
explorable is built by the same code, and whole pages are axe-tested elsewhere).
"""

from __future__ import annotations

import pytest

from browser import CHROMIUM, FLAGS, OfflinePage, require_chromium, serve
from smm_playbook.book import grids
from test_explorable import HTML, PAGES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_and_site():
    require_chromium()
    if not (HTML / "index.html").exists():
        pytest.fail(
            "The book is not built: run `make test` (it builds the book first)."
        )
    from playwright.sync_api import sync_playwright

    with serve(HTML) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser, url
        finally:
            browser.close()


def plotted(page, ident: str) -> str:
    """What plotly.js holds for the figure: every trace's data, and the title."""
    return page.evaluate(
        """(id) => {
        const plot = document.getElementById(id).querySelector('.smm-explorable-plot');
        const keep = ['x', 'y', 'r', 'text', 'marker', 'error_y', 'name'];
        return JSON.stringify({
          data: plot.data.map(t => keep.map(k => t[k])),
          title: plot.layout.title && plot.layout.title.text});
        }""",
        ident,
    )


def drawn_frame(page, ident: str) -> str:
    return page.locator(f"#{ident}").get_attribute("data-frame")


PAGE_FIGURES: dict[str, list[str]] = {}
for _name, _page in PAGES.items():
    PAGE_FIGURES.setdefault(_page, []).append(_name)


@pytest.mark.parametrize("path", sorted(PAGE_FIGURES))
def test_every_control_redraws_its_figure_by_keyboard_and_mouse(browser_and_site, path):
    browser, url = browser_and_site
    offline = OfflinePage(browser.new_page(viewport={"width": 1280, "height": 900}))
    page = offline.page
    try:
        page.goto(f"{url}/{path}.html", wait_until="load")
        for name in PAGE_FIGURES[path]:
            ident = f"explore-{name}"
            root = page.locator(f"#{ident}")
            root.locator(".main-svg").first.wait_for(timeout=15_000)
            assert root.locator("figcaption").inner_text().strip()
            assert root.get_attribute("aria-label")
            sliders = root.locator("input[type=range]")
            menus = root.locator("select")
            assert sliders.count() + menus.count() >= 2
            for n in range(sliders.count()):
                slider = sliders.nth(n)
                # keyboard: Tab order reaches it; an arrow key moves it one step
                assert slider.evaluate("e => e.tabIndex") >= 0
                before, frame = plotted(page, ident), drawn_frame(page, ident)
                slider.focus()
                at_end = slider.input_value() == slider.get_attribute("max")
                page.keyboard.press("ArrowLeft" if at_end else "ArrowRight")
                page.wait_for_function(
                    "([id, f]) => document.getElementById(id).dataset.frame !== f",
                    arg=[ident, frame],
                )
                assert plotted(page, ident) != before, (name, n, "keyboard")
                assert slider.get_attribute("aria-valuetext")
                # mouse: a click near the far end of the track
                before, frame = plotted(page, ident), drawn_frame(page, ident)
                slider.scroll_into_view_if_needed()
                box = slider.bounding_box()
                left = int(slider.input_value()) > int(slider.get_attribute("max")) / 2
                x = box["x"] + box["width"] * (0.03 if left else 0.97)
                page.mouse.click(x, box["y"] + box["height"] / 2)
                page.wait_for_function(
                    "([id, f]) => document.getElementById(id).dataset.frame !== f",
                    arg=[ident, frame],
                )
                assert plotted(page, ident) != before, (name, n, "mouse")
            for n in range(menus.count()):
                # keyboard: arrow keys step through the options; some options
                # leave the figure as it was (e.g. a statement already true), so
                # step until the figure changes, and it must before the last one
                menu = menus.nth(n)
                before = plotted(page, ident)
                menu.focus()
                index = menu.evaluate("e => e.selectedIndex")
                count = menu.locator("option").count()
                down = index <= (count - 1) / 2
                changed = False
                for _ in range(count - 1 - index if down else index):
                    frame = drawn_frame(page, ident)
                    page.keyboard.press("ArrowDown" if down else "ArrowUp")
                    page.wait_for_function(
                        "([id, f]) => document.getElementById(id).dataset.frame !== f",
                        arg=[ident, frame],
                    )
                    if plotted(page, ident) != before:
                        changed = True
                        break
                assert changed, (name, n, "menu")
        assert offline.blocked == [], offline.blocked
        assert offline.errors == [], offline.errors
    except BaseException:
        offline.screenshot(f"explorable-{path.replace('/', '_')}")
        raise
    finally:
        page.close()


def test_the_figures_controls_pass_axe(browser_and_site):
    """axe-core (bundled with axe-playwright-python, no download), scoped to the
    explorable figure and the walk-through: nothing serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    browser, url = browser_and_site
    page = browser.new_page()
    try:
        for path, scope in (
            (grids.PAGES["query-lab"], ".smm-explorable"),
            ("book/04-crisis/response", ".smm-walkthrough"),
        ):
            page.goto(f"{url}/{path}.html", wait_until="load")
            page.locator(scope).first.wait_for(timeout=15_000)
            report = Axe().run(page, context={"include": [[scope]]})
            found = report.response["violations"]
            bad = [v["id"] for v in found if v["impact"] in ("serious", "critical")]
            assert bad == [], (path, bad)
            assert report.response["passes"], f"axe examined nothing on {path}"
    finally:
        page.close()
