"""A learner's home on the hub: the course copied once, their work never overwritten."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from smm_playbook.cohort.seed import seed_home

ROOT = Path(__file__).resolve().parents[1]


def _course(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    (course / "exercises").mkdir(parents=True)
    for name in ("ex00_orientation", "ex01_strategy"):
        (course / "exercises" / f"{name}.ipynb").write_text(json.dumps({"n": name}))
    (course / "_build" / "html").mkdir(parents=True)
    (course / "_build" / "html" / "index.html").write_text("<h1>The book</h1>")
    return course


def test_first_start_copies_the_course_and_later_starts_keep_the_work(tmp_path):
    course, home = _course(tmp_path), tmp_path / "home" / "amina"
    first = seed_home(home, course)
    notebook = home / "exercises" / "ex00_orientation.ipynb"
    assert notebook.exists() and (home / "apps" / "competency.ipynb").exists()
    assert (home / "book" / "index.html").read_text() == "<h1>The book</h1>"
    notebook.write_text("my work")
    (course / "exercises" / "ex02_content.ipynb").write_text("{}")  # a course update
    second = seed_home(home, course)
    assert notebook.read_text() == "my work"
    assert [p.name for p in second.copied] == ["ex02_content.ipynb"]
    assert len(second.kept) == len(first.copied)
    assert not list(home.rglob("*.partial"))


def test_a_missing_course_folder_is_named(tmp_path):
    try:
        seed_home(tmp_path / "home", tmp_path / "nowhere")
    except FileNotFoundError as error:
        assert "SMM_HUB_COURSE" in str(error)
    else:
        raise AssertionError("no error for a missing course")


def test_the_book_service_serves_the_book_under_its_prefix(tmp_path):
    course = _course(tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        JUPYTERHUB_SERVICE_URL=f"http://127.0.0.1:{port}",
        JUPYTERHUB_SERVICE_PREFIX="/services/book/",
        PYTHONPATH=str(ROOT / "src"),
    )
    command = [sys.executable, "-m", "smm_playbook.cohort.book_service"]
    server = subprocess.Popen([*command, str(course / "_build" / "html")], env=env)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                url = f"http://127.0.0.1:{port}/services/book/index.html"
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.read() == b"<h1>The book</h1>"
                break
            except OSError:
                assert time.monotonic() < deadline, "the book service did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(10)
    usage = subprocess.run([*command], env=env, capture_output=True, text=True)
    assert usage.returncode == 2 and "_build/html" in usage.stdout
