"""The trainer's secret file and the separate keys derived from it.

One random secret is the only thing the L&D team must keep private and back up.
From it, HKDF-SHA256 (RFC 5869) derives keys that each do one job, so that no
key is used for two purposes:

- the **paper-seed key**: every learner's data and numbers (an HMAC of the
  exam, version, learner id and attempt under this key);
- the **paper-code key**: the code each paper carries, so that a notebook built
  for one learner cannot be handed in as another's;
- the **credential signing key**: an Ed25519 key pair. Its private half signs
  certificates, Open Badges credentials and the revocation list; its public half
  is published (a file and a fingerprint), so that anyone can verify a
  credential without being able to make one.

The file format is versioned. A **version 2** file (what `exam new-secret`
writes) starts with the line ``smm-playbook secret v2``; all three keys come
from HKDF with distinct labels. A **version 1** file (64 hex digits, written
before key separation) keeps working: its papers and paper codes are derived
exactly as before, straight from the secret, so papers already handed out grade
as they always did; only its signing key is new, from HKDF with its own label.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_BYTES = 32
HEADER_V2 = "smm-playbook secret v2"
SALT = b"smm-playbook key separation"


class SecretError(ValueError):
    """The secret or public key file is missing, unreadable or not this tool's."""


@dataclass(frozen=True)
class Keys:
    """The keys one secret file gives: version, paper keys, signing key."""

    version: int
    master: bytes = field(repr=False)
    paper_seed_key: bytes = field(repr=False)
    paper_code_key: bytes = field(repr=False)
    signing_seed: bytes = field(repr=False)

    def hex(self) -> str:
        """The secret as its file spells it (tests check it never leaks)."""
        return self.master.hex()

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.signing_seed)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def _hkdf(master: bytes, label: str) -> bytes:
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=SALT, info=label.encode())
    return kdf.derive(master)


def keys_from(master: bytes, version: int = 2) -> Keys:
    """The keys of a secret: version 2 separates all three, version 1 only signs."""
    if len(master) != SECRET_BYTES:
        raise SecretError(f"A secret has {SECRET_BYTES} bytes, not {len(master)}.")
    if version == 1:
        signing = _hkdf(master, "smm-playbook v1 credential signing key (Ed25519)")
        return Keys(1, master, master, master, signing)
    if version == 2:
        return Keys(
            2,
            master,
            _hkdf(master, "smm-playbook v2 paper seeds"),
            _hkdf(master, "smm-playbook v2 paper codes"),
            _hkdf(master, "smm-playbook v2 credential signing key (Ed25519)"),
        )
    raise SecretError(f"Secret version {version} is not one this tool knows (1, 2).")


def as_keys(key: bytes | Keys) -> Keys:
    """Accept raw bytes (a version-1 secret, e.g. the practice exam's) or Keys."""
    return key if isinstance(key, Keys) else keys_from(bytes(key), version=1)


def create(path: Path) -> Path:
    """Write a new random version-2 secret, readable by its owner only."""
    path = Path(path)
    if path.exists():
        raise SecretError(
            f"{path} already exists. A new secret would orphan every paper and "
            "credential made with the old one; choose another path."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(f"{HEADER_V2}\n{secrets.token_hex(SECRET_BYTES)}\n")
    return path


def load(path: Path) -> Keys:
    """Read a secret file (version 1 or 2), or say exactly what is wrong with it."""
    path = Path(path)
    try:
        lines = path.read_text().split()
    except FileNotFoundError:
        raise SecretError(
            f"No secret file at {path}. Create one with "
            "`smm-playbook exam new-secret PATH`."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SecretError(f"Cannot read the secret file {path}: {error}") from None
    text, version = " ".join(lines), 1
    if text.startswith(HEADER_V2 + " "):
        text, version = text[len(HEADER_V2) + 1 :], 2
    elif text.startswith("smm-playbook secret"):
        raise SecretError(f"{path} is a secret format this version does not know.")
    try:
        master = bytes.fromhex(text)
    except ValueError:
        raise SecretError(f"{path} is not a secret written by this tool.") from None
    if len(master) != SECRET_BYTES:
        raise SecretError(
            f"{path} holds {len(master)} bytes; a secret has {SECRET_BYTES}."
        )
    return keys_from(master, version)


def derive(key: bytes, *fields: str) -> bytes:
    """HMAC-SHA256 of the fields, separated so that ("ab", "c") ≠ ("a", "bc")."""
    message = "\x1f".join(fields).encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def seed(key: bytes | Keys, *fields: str) -> int:
    """A 128-bit random seed for a paper, under the paper-seed key."""
    return int.from_bytes(derive(as_keys(key).paper_seed_key, *fields)[:16], "big")


def paper_digest(key: bytes | Keys, *fields: str) -> bytes:
    """The HMAC behind a paper code, under the paper-code key."""
    return derive(as_keys(key).paper_code_key, *fields)


def matches(expected: str, given: str) -> bool:
    """Constant-time comparison of two codes."""
    return hmac.compare_digest(expected.encode(), str(given).encode())


# The public half: a PEM file anyone may have, and a fingerprint to compare.


def jwk(public: Ed25519PublicKey) -> dict[str, str]:
    """The public key as a JSON Web Key (RFC 8037)."""
    raw = public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}


def fingerprint(public: Ed25519PublicKey) -> str:
    """The key's RFC 7638 JWK thumbprint (SHA-256, base64url): 43 characters."""
    canonical = json.dumps(jwk(public), sort_keys=True, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode()).digest())


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64decode(text: str) -> bytes:
    """Decode unpadded base64url (raises ValueError on anything else)."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def write_public_key(keys: Keys, path: Path) -> Path:
    """Write the public key as PEM, with its fingerprint in a comment line."""
    pem = keys.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"smm-playbook credential public key, fingerprint {keys.fingerprint}\n{pem}"
    )
    return path


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Read a published public key file (PEM), or say what is wrong with it."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SecretError(f"Cannot read the public key file {path}: {error}") from None
    start = data.find(b"-----BEGIN PUBLIC KEY-----")
    try:
        public = serialization.load_pem_public_key(data[max(start, 0) :])
    except (ValueError, UnsupportedAlgorithm):
        raise SecretError(
            f"{path} is not a public key file (a PEM 'PUBLIC KEY' block)."
        ) from None
    if not isinstance(public, Ed25519PublicKey):
        raise SecretError(f"{path} holds a public key, but not an Ed25519 one.")
    return public
