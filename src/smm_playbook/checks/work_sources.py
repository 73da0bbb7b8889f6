"""Where a work product can be written, and reading it from there.

1. A `%%work NAME` cell: Markdown the kernel keeps as the string NAME, always
   as current as the last time the cell ran (see work_product.py).
2. A file `NAME.md` next to the notebook, for those who write in an editor.
3. A Markdown cell whose first line is `<!-- work: NAME -->`. The kernel cannot
   see Markdown cells, so the check reads the notebook as last saved.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smm_playbook.checks.errors import Incorrect
from smm_playbook.checks.placeholder import PLACEHOLDER

MAX_BYTES = 20 * 1024 * 1024
MAX_SCANNED = 20  # notebooks in the folder to look through when the kernel is unnamed
TAG = re.compile(r"^\s*<!--\s*work:\s*(?P<name>\w+)\s*-->[^\n]*\n?")


def read_file(path: Path) -> Any:
    """The text of `NAME.md`, PLACEHOLDER if absent; unreadable text is refused."""
    if not path.is_file():
        return PLACEHOLDER
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Incorrect(
            f"`{path.name}` is not UTF-8 text. Save it again as UTF-8 (in most "
            "editors: Save As → Encoding → UTF-8)."
        ) from None
    except OSError as error:
        raise Incorrect(f"`{path.name}` could not be read ({error}).") from None


def markdown_cell_text(cells: list[Any], name: str) -> str | None:
    """The body of the Markdown cell tagged `<!-- work: NAME -->`, if any."""
    for cell in cells:
        if not isinstance(cell, Mapping) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        match = TAG.match(source)
        if match and match["name"] == name:
            return source[match.end() :]
    return None


def read_markdown_cell(name: str, namespace: Mapping[str, Any]) -> tuple[Any, str]:
    """The tagged Markdown cell in the saved notebook, and where it was read."""
    for path in _notebooks(namespace):
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        text = markdown_cell_text(cells, name)
        if text is not None:
            saved = time.strftime("%H:%M", time.localtime(path.stat().st_mtime))
            return text, (
                f"the Markdown cell `<!-- work: {name} -->` of {path.name} as saved "
                f"at {saved} (save again, Ctrl+S, if you have changed it since)"
            )
    return PLACEHOLDER, ""


def _notebooks(namespace: Mapping[str, Any]) -> list[Path]:
    """This notebook (Jupyter names it to the kernel), else those in the folder."""
    named = namespace.get("__session__") or os.environ.get("JPY_SESSION_NAME")
    if isinstance(named, str) and named.endswith(".ipynb"):
        for path in (Path(named), Path.cwd() / Path(named).name):
            if path.is_file():
                return [path]
    return sorted(Path.cwd().glob("*.ipynb"))[:MAX_SCANNED]
