"""Helpers for browser tests: a local HTTP server and a Chromium that may not leave it.

Debian's chromium is driven by Playwright through `executable_path`; nothing here
downloads a browser. Every request to a host other than localhost is aborted and
recorded, so a test can assert that a page asked for nothing from outside.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("SMM_CHROMIUM", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
LOCAL_SCHEMES = {"data", "blob", "about", "file"}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def require_chromium() -> None:
    """Skip (or, under CI, fail) when the browser is not installed."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    message = (
        f"{CHROMIUM} not found: install Debian's 'chromium' package "
        "(make test does this where apt-get is available)."
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def serve(directory: Path):
    """Serve `directory` on a free localhost port; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class OfflinePage:
    """A Chromium page whose outside requests are blocked and remembered."""

    def __init__(self, browser_page) -> None:
        self.page = browser_page
        self.blocked: list[str] = []
        self.errors: list[str] = []
        browser_page.route("**/*", self._route)
        browser_page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in LOCAL_SCHEMES or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextmanager
def chromium_page(name: str):
    """Yield an OfflinePage; on failure, save a screenshot in test-artifacts/."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = OfflinePage(browser.new_page(viewport={"width": 1280, "height": 900}))
        try:
            yield page
        except BaseException:
            page.screenshot(name)
            raise
        finally:
            browser.close()
