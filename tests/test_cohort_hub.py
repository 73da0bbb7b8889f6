"""A real JupyterHub on 127.0.0.1: two learners check, and the trainer sees both.

The hub runs deploy/jupyterhub/jupyterhub_config.py as a trainer would, with the
shared-password authenticator and the simple local-process spawner, in a
temporary folder, and is stopped afterwards. Skipped, with the reason, where the
hub cannot start (JupyterHub or configurable-http-proxy not installed).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser import ARTIFACTS, CHROMIUM, FLAGS, require_chromium

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "deploy" / "jupyterhub" / "node_modules" / ".bin"
PASSWORD = "cohort-test-pass"
# amina answers question 1 right; bo divides by followers (a known misconception).
LEARNERS = {"amina": ("retail", "3.0"), "bo": ("b2b", "0.6")}
TIMINGS = ARTIFACTS / "cohort-hub-timings.json"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _hub_missing() -> str | None:
    hub = Path(sys.executable).parent / "jupyterhub"
    if not hub.exists():
        return f"JupyterHub is not installed in {hub.parent} (run `make install`)."
    if not (PROXY / "configurable-http-proxy").exists() and not shutil.which(
        "configurable-http-proxy"
    ):
        return (
            "configurable-http-proxy is not installed (run `make install`, which "
            "runs npm in deploy/jupyterhub)."
        )
    return None


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    missing = _hub_missing()
    if missing:
        pytest.skip(f"The hub cannot start: {missing}")
    require_chromium()
    data = tmp_path_factory.mktemp("hub")
    (data / "roster.csv").write_text(
        "username,group,intake\n"
        + "".join(f"{n},{g},2027-01\n" for n, (g, _) in LEARNERS.items()),
        encoding="utf-8",
    )
    port = _free_port()
    env = dict(
        os.environ,
        SMM_HUB_DATA=str(data),
        SMM_HUB_AUTH="shared",
        SMM_HUB_PASSWORD=PASSWORD,
        SMM_HUB_SPAWNER="simple",
        SMM_HUB_ROSTER=str(data / "roster.csv"),
        SMM_HUB_PORT=str(port),
        SMM_HUB_API_PORT=str(_free_port()),
        SMM_HUB_PROXY_API_PORT=str(_free_port()),
        SMM_HUB_BOOK_PORT=str(_free_port()),
        PYTHONPATH=str(ROOT / "src"),
    )
    env.pop("SMM_PLAYBOOK_HOME", None)  # each learner's progress in their home
    log = (data / "hub.log").open("w")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(CONFIG)],
        cwd=data,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/hub/health", process, data / "hub.log")
        startup = time.perf_counter() - started
        yield {"url": url, "data": data, "start_seconds": startup, "env": env}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def _wait_for(url: str, process, log: Path, seconds: float = 40) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.skip(f"The hub exited at start:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.skip(
        f"The hub did not answer within {seconds:.0f} s:\n{log.read_text()[-2000:]}"
    )


def _log_in(browser, hub, name: str):
    """Log in (which starts the learner's server); return the page and the time."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{hub['url']}/hub/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    return page, started


def _work(page, hub, name: str, answer: str, started: float) -> float:
    """Open Exercise 0, run the setup cell and question 1; time login → kernel."""
    try:
        page.wait_for_url(re.compile(rf"/user/{name}/lab"), timeout=60_000)
        page.goto(
            f"{hub['url']}/user/{name}/lab/tree/exercises/ex00_orientation.ipynb",
            wait_until="domcontentloaded",
        )
        page.wait_for_selector(
            ".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000
        )
        first_notebook = time.perf_counter() - started
        cells = page.locator(".jp-Notebook .jp-CodeCell")
        _run_cell(page, cells.nth(0), "Setup complete: questions")
        cells.nth(1).locator(".cm-content").click()
        page.keyboard.press("Control+a")
        page.keyboard.type(f"er_reach = {answer}\nq1.check()")
        _run_cell(page, cells.nth(1), "Correct" if answer == "3.0" else "Incorrect")
        # The simulators, as Voilà apps in the learner's own server.
        assert page.goto(f"{hub['url']}/user/{name}/voila/tree").ok
        page.get_by_text("apps", exact=True).click(timeout=30_000)
        page.get_by_text("competency.ipynb").first.wait_for(timeout=30_000)
        if (ROOT / "_build" / "html" / "index.html").exists():  # after `make book`
            assert page.goto(f"{hub['url']}/services/book/index.html").ok
        return first_notebook
    except BaseException:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"cohort-hub-{name}.png"))
        raise
    finally:
        page.context.close()


def _run_cell(page, cell, output: str, seconds: float = 90) -> None:
    """Run a cell (Shift+Enter) until `output` shows in its output area.

    A run asked for while JupyterLab is still connecting the kernel can be
    dropped (the prompt goes back to [ ]): press again unless it is running [*].
    """
    shown = cell.locator(".jp-OutputArea").get_by_text(output).first
    prompt = cell.locator(".jp-InputPrompt")
    deadline = time.monotonic() + seconds
    while True:
        if "*" not in prompt.inner_text():
            cell.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
        try:
            shown.wait_for(timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's timeout
            if time.monotonic() > deadline:
                raise


def test_two_learners_on_the_hub_show_in_the_trainers_report(hub, tmp_path):
    from playwright.sync_api import sync_playwright

    timings = {"hub_start_seconds": round(hub["start_seconds"], 2)}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            # Both log in first, so their servers start side by side.
            pages = {name: _log_in(browser, hub, name) for name in LEARNERS}
            for name, (page, started) in pages.items():
                seconds = _work(page, hub, name, LEARNERS[name][1], started)
                timings[f"{name}_login_to_running_notebook_seconds"] = round(seconds, 2)
            rows, report = _trainers_report(browser, hub, tmp_path)
        finally:
            browser.close()
    # amina got question 1 right; bo did not.
    assert set(rows) == set(LEARNERS)
    assert rows["amina"][:3] == ["amina", "retail", "2027-01"]
    assert rows["bo"][:3] == ["bo", "b2b", "2027-01"]
    assert rows["amina"][3].startswith("1.0 / ") and rows["amina"][4] == "1"
    assert rows["bo"][3].startswith("0.0 / ") and rows["bo"][4] == "0"
    html = report.read_text(encoding="utf-8")
    assert "You divided by followers" in html  # bo's misconception, by name
    # The exercises were copied into each home on first start, with the apps.
    for name in LEARNERS:
        home = hub["data"] / "homes" / name
        assert (home / "exercises" / "ex00_orientation.ipynb").exists()
        assert (home / "apps" / "competency.ipynb").exists()
    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=1), encoding="utf-8")


def _trainers_report(browser, hub, tmp_path: Path):
    """The trainer builds the report on the server and opens it: its learner rows."""
    store = hub["data"] / "cohort.db"
    _wait_for_rows(store, len(LEARNERS))
    report = tmp_path / "report.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "smm_playbook.cli",
            "cohort",
            "report",
            "--store",
            str(store),
            "-o",
            str(report),
        ],
        check=True,
        env=hub["env"],
        capture_output=True,
    )
    page = browser.new_page()
    page.goto(report.as_uri())
    learners = page.locator("h2:text('Per learner') + table tbody tr")
    rows = {}
    for row in learners.all():
        cells = [c.inner_text() for c in row.locator("td").all()]
        rows[cells[0]] = cells
    return rows, report


def _wait_for_rows(store: Path, learners: int, seconds: float = 20) -> None:
    from smm_playbook.cohort.store import CohortStore

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if store.exists():
            book = CohortStore(store)
            names = {e["learner"] for e in book.events() if e["event"] == "check"}
            book.close()
            if len(names) >= learners:
                return
        time.sleep(0.3)
    raise AssertionError(f"The store {store} did not receive both learners' checks.")
