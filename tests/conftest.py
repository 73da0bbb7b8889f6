"""Shared test set-up.

Progress files go to a throwaway folder for the whole run, including the kernels
that notebook tests start, so tests never touch a learner's real progress.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

# No timed tests: a busy 2-core machine must not turn slow examples into failures.
settings.register_profile("course", deadline=None)
settings.load_profile("course")

ROOT = Path(__file__).resolve().parents[1]
os.environ["SMM_PLAYBOOK_HOME"] = tempfile.mkdtemp(prefix="smm-progress-")


def pytest_unconfigure(config) -> None:
    """Remove the progress folder this run made (each xdist worker makes its own)."""
    shutil.rmtree(os.environ["SMM_PLAYBOOK_HOME"], ignore_errors=True)


def execute_notebook(notebook, folder: Path) -> None:
    """Run a notebook in place with the course's kernel, working in `folder`."""
    from nbclient import NotebookClient

    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
    ).execute()


def toc_files() -> list[str]:
    """Every page named in _toc.yml, in order, without extension."""

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


@pytest.fixture
def progress_home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty progress folder for one test."""
    monkeypatch.setenv("SMM_PLAYBOOK_HOME", str(tmp_path))
    return tmp_path
