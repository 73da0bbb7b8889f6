"""A learner's home on a hub: the exercises, the Voilà apps and a link to the book.

The hub calls `seed_home` before each start of a learner's server. It copies what
is missing and nothing else, so the first start gives a learner the course and a
later start (after a course update, say) adds new exercises without touching a
notebook they have worked in.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from smm_playbook.workshop import SIMULATORS, app_notebook

# JupyterLab settings a learner starts with (theirs to change afterwards): open a
# notebook straight into its kernel, without asking which, and never reach out
# to the internet for news or updates.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "autoStartDefaultKernel": True
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
EXERCISES = "exercises"
APPS = "apps"
BOOK_LINK = "book"


@dataclass
class Seeded:
    """What one call copied and what it left alone (already there)."""

    copied: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def seed_home(home: Path, course: Path, owner: tuple[int, int] | None = None) -> Seeded:
    """Give `home` the course's exercises, apps and book link, never overwriting.

    `course` is the course repository (its exercises/ and built _build/html);
    `owner` (uid, gid) is whom the new files belong to when the hub runs as root.
    """
    home, course = Path(home), Path(course)
    result = Seeded()
    source = course / EXERCISES
    if not source.is_dir():
        raise FileNotFoundError(
            f"No exercises folder at {source}: set SMM_HUB_COURSE to the course "
            "repository (the folder with exercises/ and book/)."
        )
    for notebook in sorted(source.glob("*.ipynb")):
        _copy_new(notebook, home / EXERCISES / notebook.name, result, owner)
    for name in SIMULATORS:
        target = home / APPS / f"{name}.ipynb"
        if target.exists():
            result.kept.append(target)
            continue
        _make_folder(target.parent, owner)
        nbformat.write(app_notebook(name), target)
        _own(target, owner)
        result.copied.append(target)
    _link_book(home, course / "_build" / "html", result, owner)
    for name, settings in LAB_SETTINGS.items():
        target = home / ".jupyter" / "lab" / "user-settings" / name
        if target.exists():
            result.kept.append(target)
            continue
        _make_folder(target.parent, owner)
        target.write_text(json.dumps(settings, indent=1), encoding="utf-8")
        _own(target, owner)
        result.copied.append(target)
    return result


def _copy_new(source: Path, target: Path, result: Seeded, owner) -> None:
    if target.exists():
        result.kept.append(target)
        return
    _make_folder(target.parent, owner)
    # Copy to a temporary name first: a start interrupted halfway never leaves
    # half a notebook that a later start would then keep.
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    _own(target, owner)
    result.copied.append(target)


def _link_book(home: Path, html: Path, result: Seeded, owner) -> None:
    link = home / BOOK_LINK
    if link.is_symlink() or link.exists():
        result.kept.append(link)
        return
    if html.is_dir():
        link.symlink_to(html, target_is_directory=True)
        if owner:
            os.lchown(link, *owner)
        result.copied.append(link)


def _make_folder(folder: Path, owner) -> None:
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for path in missing:
        _own(path, owner)


def _own(path: Path, owner) -> None:
    if owner:
        os.chown(path, *owner)
