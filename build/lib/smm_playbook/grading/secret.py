"""The trainer's secret: the one thing that makes papers personal and codes unforgeable.

Every learner's numbers, every paper code and every certificate code is an HMAC
keyed with this secret, so whoever holds the file can rebuild any answer key,
and nobody without it can. Keep it off shared drives and out of the repository.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_BYTES = 32


class SecretError(ValueError):
    """The secret file is missing, unreadable or not a secret this tool wrote."""


def create(path: Path) -> Path:
    """Write a new random secret, readable by its owner only; never overwrite."""
    path = Path(path)
    if path.exists():
        raise SecretError(
            f"{path} already exists. A new secret would orphan every paper and "
            "certificate made with the old one; choose another path."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
    return path


def load(path: Path) -> bytes:
    """Read a secret file, or say exactly what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text().strip()
    except FileNotFoundError:
        raise SecretError(
            f"No secret file at {path}. Create one with "
            "`smm-playbook exam new-secret PATH`."
        ) from None
    except OSError as error:
        raise SecretError(f"Cannot read the secret file {path}: {error}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise SecretError(f"{path} is not a secret written by this tool.") from None
    if len(key) != SECRET_BYTES:
        raise SecretError(
            f"{path} holds {len(key)} bytes; a secret has {SECRET_BYTES}."
        )
    return key


def derive(key: bytes, *fields: str) -> bytes:
    """HMAC-SHA256 of the fields, separated so that ("ab", "c") ≠ ("a", "bc")."""
    message = "\x1f".join(fields).encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def seed(key: bytes, *fields: str) -> int:
    """A 128-bit random seed derived from the fields."""
    return int.from_bytes(derive(key, *fields)[:16], "big")


def matches(expected: str, given: str) -> bool:
    """Constant-time comparison of two codes."""
    return hmac.compare_digest(expected.encode(), str(given).encode())
