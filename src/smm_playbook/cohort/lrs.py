"""Sending xAPI statements to a Learning Record Store (xAPI 1.0.3, Part Three).

Statements go in batches as a JSON array, POSTed to the LRS's Statement
Resource (ENDPOINT/statements) with the X-Experience-API-Version header, and
HTTP Basic authentication when a key is given. Their ids are fixed by the
course (see export.py), so sending the same export again does not add
statements: an LRS answers a repeated id with the same content by storing
nothing new.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

BATCH = 200
TIMEOUT = 30


class LrsError(RuntimeError):
    """The LRS refused the statements or could not be reached; says which batch."""


@dataclass(frozen=True)
class SendResult:
    sent: int
    batches: int


def send_statements(
    endpoint: str,
    statements: list[dict],
    key: str | None = None,
    secret: str | None = None,
) -> SendResult:
    """POST statements to ENDPOINT/statements, BATCH at a time."""
    url = endpoint.rstrip("/") + "/statements"
    headers = {
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3",
    }
    if key:
        token = base64.b64encode(f"{key}:{secret or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    batches = 0
    for start in range(0, len(statements), BATCH):
        body = json.dumps(statements[start : start + BATCH]).encode("utf-8")
        request = urllib.request.Request(url, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise LrsError(
                f"The LRS at {url} refused statements {start + 1}–"
                f"{start + BATCH} (HTTP {error.code}): {detail}"
            ) from None
        except (urllib.error.URLError, OSError) as error:
            raise LrsError(
                f"The LRS at {url} could not be reached ({error})."
            ) from None
        batches += 1
    return SendResult(len(statements), batches)
