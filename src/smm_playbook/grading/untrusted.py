"""Text that came from a submission or a roster, made safe to show and store.

Learner ids, names, file names, exception messages and answers can hold lone
surrogates, bytes that are not UTF-8, control characters, rich markup or HTML.
`clean` turns any of them into ordinary printable text of bounded length, fit
for the gradebook; `for_console` escapes it for rich. (HTML pages escape with
`html.escape` where they are written.)
"""

from __future__ import annotations

import os
import unicodedata
from typing import Any

from rich.markup import escape

_KEEP = {"\n", "\t"}


def clean(text: Any, limit: int = 500) -> str:
    """Printable, valid Unicode of at most `limit` characters."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8", "backslashreplace")
    elif isinstance(text, os.PathLike):
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    elif not isinstance(text, str):
        text = str(text)
    # lone surrogates (from JSON "\ud800" or undecodable file names) are written
    # out as escapes, so two different bad names stay two different names
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = "".join(
        ch if ch in _KEEP or unicodedata.category(ch)[0] != "C" else "\ufffd"
        for ch in text[: limit + 1]
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def for_console(text: Any, limit: int = 500) -> str:
    """`clean`, then escaped so rich prints it as it is (no markup)."""
    return escape(clean(text, limit))


def clean_json(value: Any, limit: int = 5_000) -> Any:
    """Every string in a JSON value (keys too) passed through `clean`."""
    if isinstance(value, str):
        return clean(value, limit)
    if isinstance(value, list):
        return [clean_json(item, limit) for item in value]
    if isinstance(value, dict):
        return {clean(k, 200): clean_json(v, limit) for k, v in value.items()}
    return value


def valid_unicode(value: Any) -> Any:
    """A JSON value with every lone surrogate replaced, and nothing else changed."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [valid_unicode(item) for item in value]
    if isinstance(value, dict):
        return {valid_unicode(k): valid_unicode(v) for k, v in value.items()}
    return value
