"""The revocation list: a signed JSON file the L&D team publishes.

It lists the codes of revoked certificates (a PDF and its Open Badges
credential share one code), each with a date and a reason. The file stays
readable; its ``signature`` is a JWS with a detached payload (RFC 7515,
appendix F) over the rest of the file in canonical form (keys sorted, no
spaces), made with the same Ed25519 key as the credentials. A list that was
edited by hand, or signed with a key the verifier does not trust, is refused.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from joserfc import jws
from joserfc.errors import JoseError

from smm_playbook.grading import secret
from smm_playbook.grading.badges import ALG, REGISTRY, private_jwk, public_jwk

TYPE = "smm-playbook revocation list"


class RevocationError(ValueError):
    """The revocation list cannot be read, or its signature does not hold."""


@dataclass(frozen=True)
class Revoked:
    code: str
    revoked_on: str
    reason: str


def _canonical(document: dict) -> str:
    body = {k: v for k, v in document.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sign(document: dict, keys: secret.Keys) -> str:
    header = {"alg": ALG, "kid": keys.fingerprint}
    token = jws.serialize_compact(
        header, _canonical(document).encode(), private_jwk(keys), registry=REGISTRY
    )
    protected, _, signature = token.split(".")
    return f"{protected}..{signature}"


def load(path: Path, public_keys: list[Ed25519PublicKey]) -> dict[str, Revoked]:
    """The revoked codes in a list signed with one of `public_keys`."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        protected, empty, signature = str(document["signature"]).split(".")
        kid = json.loads(secret.b64decode(protected))["kid"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RevocationError(
            f"{path} is not a revocation list from this course ({error})."
        ) from None
    trusted = {secret.fingerprint(k): k for k in public_keys}
    if document.get("type") != TYPE or empty or kid not in trusted:
        raise RevocationError(
            f"{path} is not signed with any of the public keys you gave."
        )
    payload = secret.b64url(_canonical(document).encode())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key = public_jwk(trusted[kid])
            jws.deserialize_compact(
                f"{protected}.{payload}.{signature}", key, registry=REGISTRY
            )
        return {
            entry["code"]: Revoked(entry["code"], entry["revoked_on"], entry["reason"])
            for entry in document["revoked"]
        }
    except (JoseError, ValueError, KeyError, TypeError):
        raise RevocationError(
            f"{path} was changed after it was signed: its signature does not hold."
        ) from None


def revoke(
    path: Path, keys: secret.Keys, code: str, reason: str, today: date | None = None
) -> int:
    """Add `code` to the list at `path` (created if missing); returns its length."""
    path = Path(path)
    entries = load(path, [keys.public_key]) if path.exists() else {}
    day = (today or date.today()).isoformat()
    entries.setdefault(code, Revoked(code, day, reason))
    document = {
        "type": TYPE,
        "updated": day,
        "key": keys.fingerprint,
        "revoked": [vars(e) for e in sorted(entries.values(), key=lambda e: e.code)],
    }
    document["signature"] = _sign(document, keys)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return len(entries)
