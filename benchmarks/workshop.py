"""Workshop apps in Chromium: start, open and redraw (`python benchmarks/workshop.py`).

Two ways of serving the apps are measured, so the warm server can be compared
with the one-app-per-command way it replaced:

- `--mode single`: the way before the workshop server, one Voilà per app started
  fresh each time (`voila_command(NAME)`, which only a checkout from before the
  server has: run it with PYTHONPATH pointing at that checkout's src/); "open" is
  the time from the command to an interactive figure.
- `--mode server` (default): one `smm-playbook workshop` server with pre-heated
  kernels; "warm" is the time from the command to every app's kernel having run
  its notebook (the app built and waiting: `workshop.ready_apps`), "open" is the
  time from loading an app's page to its interactive figure, in a fresh browser
  context each time (a first visit: nothing cached), with the milestones of the
  page in between (`phases_median_ms`). Closing a page asks the server to shut its
  kernel down, as a browser tab does; `kernels_released` counts those done.
  The machine's load average is recorded after each round of opens.

In both, the redraw latency is measured inside the page: from the key press (or
click) on the app's first control to the first animation frame after the figure's
DOM changed (a MutationObserver on every plotly figure), median of several presses.

Results are printed as JSON and written to test-artifacts/workshop-benchmark-MODE.json.
Debian's Chromium is used through Playwright; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import ARTIFACTS, CHROMIUM, FLAGS  # noqa: E402
from smm_playbook import workshop  # noqa: E402

FIGURE = ".js-plotly-plot"
NO_FIGURE = {"crisis-drill", "crisis-drill-post"}  # the drills show text, no chart
CHECKBOX = {"maturity"}

WATCH = """() => {
  window.__smm = {t0: null, t1: null};
  const mark = () => {
    if (window.__smm.t0 !== null && window.__smm.t1 === null) {
      requestAnimationFrame(() => {
        if (window.__smm.t1 === null) window.__smm.t1 = performance.now();
      });
    }
  };
  const observer = new MutationObserver(mark);
  document.querySelectorAll('.js-plotly-plot').forEach(node => observer.observe(
    node, {subtree: true, childList: true, attributes: true, characterData: true}));
  const start = () => { window.__smm.t0 = performance.now(); window.__smm.t1 = null; };
  document.addEventListener('keydown', start, true);
  document.addEventListener('pointerdown', start, true);
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"voila exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def redraw_latencies(page, name: str, presses: int) -> list[float]:
    """Milliseconds from control to redrawn figure, one per press."""
    if name in NO_FIGURE:
        return []
    page.evaluate(WATCH)
    samples = []
    keys = ["ArrowRight", "ArrowLeft"]
    for number in range(presses + 1):
        page.evaluate("() => { window.__smm.t0 = null; window.__smm.t1 = null; }")
        if name in CHECKBOX:
            page.locator(".widget-checkbox input").nth(number % 2).click()
        else:
            page.locator(".noUi-handle").first.focus()
            page.keyboard.press(keys[number % 2])
        page.wait_for_function("() => window.__smm.t1 !== null", timeout=20_000)
        value = page.evaluate("() => window.__smm.t1 - window.__smm.t0")
        if number:  # the first press also warms the kernel's code paths
            samples.append(value)
        page.wait_for_timeout(400)  # let any trailing update settle
    return samples


def ready_selector(name: str) -> str:
    return "text=Team 1" if name in NO_FIGURE else f"{FIGURE} .main-svg"


def bench_single(names: list[str], runs: int, presses: int) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name in names:
            opens, latencies = [], []
            for _ in range(runs):
                port = free_port()
                with tempfile.TemporaryDirectory() as folder:
                    command, env = workshop.voila_command(
                        name, port, False, Path(folder)
                    )
                    started = time.monotonic()
                    process = subprocess.Popen(
                        command,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    try:
                        wait_for_http(f"http://127.0.0.1:{port}/", process)
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        page.goto(f"http://127.0.0.1:{port}/")
                        page.wait_for_selector(ready_selector(name), timeout=180_000)
                        opens.append(time.monotonic() - started)
                        latencies += redraw_latencies(page, name, presses)
                        page.close()
                    finally:
                        process.terminate()
                        process.wait(timeout=30)
            results[name] = summary(opens, latencies)
            print(name, results[name], flush=True)
        browser.close()
    return {"mode": "single", "runs": runs, "apps": results}


# Milestones of an app page, in ms from the start of its navigation: the page's
# HTML in, Voila's scripts run (load), plotly's widget code fetched, the first
# widget and the first figure drawn. Recorded by PHASES (an init script).
PHASES = """() => {
  const seen = {};
  const stamp = (key, selector) => {
    if (!(key in seen) && document.querySelector(selector)) {
      seen[key] = performance.now();
    }
  };
  new MutationObserver(() => {
    stamp('widget_ms', '.jupyter-widgets');
    stamp('figure_ms', '.js-plotly-plot .main-svg');
  }).observe(document, {subtree: true, childList: true});
  window.__smmPhases = () => {
    const nav = performance.getEntriesByType('navigation')[0] || {};
    const plotly = performance.getEntriesByType('resource')
      .find(entry => entry.name.endsWith('/plotly-widget.js'));
    return Object.assign({
      html_ms: nav.responseEnd, load_ms: nav.loadEventEnd,
      plotly_code_ms: plotly ? plotly.responseEnd : null,
    }, seen);
  };
}"""


def load_average() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes (as `uptime` shows)."""
    return [round(x, 2) for x in os.getloadavg()]


def bench_server(names: list[str], runs: int, presses: int, gap: float = 0) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        command, env = workshop.server_command(port, Path(folder))
        started = time.monotonic()
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        counts = {"filled": 0, "shutdown": 0, "refused": 0}
        pools_filled: list[float] = []

        def read_log() -> None:
            for line in process.stderr:
                if "Kernel pool of" in line and "is filled" in line:
                    counts["filled"] += 1
                    if counts["filled"] == len(workshop.SIMULATORS):
                        pools_filled.append(time.monotonic() - started)
                elif "Kernel shutdown:" in line:
                    counts["shutdown"] += 1
                elif "403 POST /voila/api/shutdown" in line:
                    counts["refused"] += 1

        threading.Thread(target=read_log, daemon=True).start()
        try:
            wait_for_http(f"http://127.0.0.1:{port}/", process)
            answering = time.monotonic() - started
            deadline = time.monotonic() + 600
            while len(workshop.ready_apps(Path(folder))) < len(workshop.SIMULATORS):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("the apps were not all built within 600 s")
                time.sleep(0.1)
            start_s = time.monotonic() - started
            print(
                f"server answers after {answering:.1f} s, every app built after "
                f"{start_s:.1f} s (load {load_average()})",
                flush=True,
            )
            opens: dict[str, list[float]] = {name: [] for name in names}
            latencies: dict[str, list[float]] = {name: [] for name in names}
            phases: dict[str, list[dict]] = {name: [] for name in names}
            unbuilt: dict[str, int] = {name: 0 for name in names}
            last_open: dict[str, float] = {}
            loads = [load_average()]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=FLAGS
                )
                for run in range(runs):
                    for name in names:
                        # was this app's kernel (the replacement of the one the
                        # last open used) built before this open? (mtime: seconds)
                        built = (Path(folder) / "ready" / name).stat().st_mtime
                        if built < last_open.get(name, 0):
                            unbuilt[name] += 1
                        # a fresh context each time: a first visit, nothing cached
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        page.add_init_script(f"({PHASES})()")
                        began = time.monotonic()
                        last_open[name] = time.time()
                        page.goto(workshop.app_url(port, name))
                        page.wait_for_selector(ready_selector(name), timeout=180_000)
                        opens[name].append(time.monotonic() - began)
                        phases[name].append(page.evaluate("() => window.__smmPhases()"))
                        if run == 0:
                            latencies[name] += redraw_latencies(page, name, presses)
                        # as a browser does when a tab closes: Voila's page asks the
                        # server to shut its kernel down
                        page.close(run_before_unload=True)
                        time.sleep(gap)
                    loads.append(load_average())
                    print(
                        f"round {run + 1} of {runs} done, load {loads[-1]}", flush=True
                    )
                browser.close()
            time.sleep(2)  # for the last page's shutdown request to be served
            released, refused = counts["shutdown"], counts["refused"]
        finally:
            process.terminate()
            process.wait(timeout=60)
    return {
        "mode": "server",
        "runs": runs,
        "server_answers_s": round(answering, 1),
        "kernels_started_s": round(pools_filled[0], 1) if pools_filled else None,
        "server_warm_s": round(start_s, 1),
        "gap_s": gap,
        "load_average": loads,
        "opens": runs * len(names),
        "kernels_released": released,
        "shutdowns_refused": refused,
        "apps": {
            name: summary(opens[name], latencies[name])
            | phase_medians(phases[name])
            | {"opens_before_its_kernel_was_built": unbuilt[name]}
            for name in names
        },
    }


def phase_medians(samples: list[dict]) -> dict:
    keys = sorted({key for sample in samples for key in sample})
    return {
        "phases_median_ms": {
            key: round(statistics.median(values))
            for key in keys
            if (values := [s[key] for s in samples if s.get(key) is not None])
        }
    }


def summary(opens: list[float], latencies: list[float]) -> dict:
    return {
        "open_median_s": round(statistics.median(opens), 2),
        "open_s": [round(x, 2) for x in opens],
        "redraw_median_ms": round(statistics.median(latencies)) if latencies else None,
        "redraw_ms": [round(x) for x in latencies],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=["server", "single"], default="server")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--presses", type=int, default=7)
    parser.add_argument(
        "--gap",
        type=float,
        default=0,
        help="seconds to wait after each open (server mode): with more than the "
        "refill delay plus a kernel's start, no open shares the CPU with the "
        "replacement kernel of the app opened before it, as in a real workshop",
    )
    parser.add_argument("apps", nargs="*", default=list(workshop.SIMULATORS))
    options = parser.parse_args()
    if options.mode == "server":
        result = bench_server(options.apps, options.runs, options.presses, options.gap)
    else:
        result = bench_single(options.apps, options.runs, options.presses)
    ARTIFACTS.mkdir(exist_ok=True)
    suffix = f"-gap{options.gap:g}" if options.gap else ""
    path = ARTIFACTS / f"workshop-benchmark-{options.mode}{suffix}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
