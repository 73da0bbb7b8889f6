"""Verify either credential file: a PDF certificate or an Open Badges JWT.

Only public material is needed: the issuer's published public key(s) and,
optionally, its signed revocation list. The answer is one of four: VALID,
EXPIRED, REVOKED (all three genuine) or NOT GENUINE, with the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from smm_playbook.grading import badges, certificates
from smm_playbook.grading.certificates import Verdict
from smm_playbook.grading.revocation import Revoked


@dataclass(frozen=True)
class Report:
    verdict: Verdict
    status: str  # "valid", "expired", "revoked" or "not genuine"
    revoked: Revoked | None
    revocation_checked: bool

    @property
    def ok(self) -> bool:
        return self.status == "valid"

    def __str__(self) -> str:
        v = self.verdict
        d = v.details  # a genuine verdict always carries what was signed
        if not v.genuine or d is None:
            return "NOT GENUINE: " + " ".join(v.reasons)
        who = (
            f"{v.kind}, code {v.code}: {d.name} ({d.learner_id}) passed "
            f"{d.exam_title} ({d.exam_id} {d.exam_version}) with {d.score} "
            f"({d.percent}%) on {d.date}; issued by {v.issuer}, key {v.key}."
        )
        if self.revoked:
            r = self.revoked
            return f"REVOKED on {r.revoked_on} ({r.reason}). Genuine {who}"
        checked = (
            "not on the revocation list"
            if self.revocation_checked
            else "revocation not checked (no --revocations list given)"
        )
        if self.status == "expired":
            return f"EXPIRED on {d.expires}; {checked}. Genuine {who}"
        return f"VALID until {d.expires}; {checked}. Genuine {who}"


def check(
    path: Path,
    public_keys: list[Ed25519PublicKey],
    revoked: dict[str, Revoked] | None = None,
    today: date | None = None,
) -> Report:
    """Verify one file, whichever kind it is, and say whether it is valid today."""
    verdict = _verdict(Path(path), public_keys)
    if not verdict.genuine:
        return Report(verdict, "not genuine", None, revoked is not None)
    entry = (revoked or {}).get(verdict.code)
    if entry:
        status = "revoked"
    elif verdict.expired(today or date.today()):
        status = "expired"
    else:
        status = "valid"
    return Report(verdict, status, entry, revoked is not None)


def _verdict(path: Path, public_keys: list[Ed25519PublicKey]) -> Verdict:
    try:
        with open(path, "rb") as handle:
            head = handle.read(200_001)
    except OSError as error:
        return certificates.not_genuine("file", f"The file cannot be read ({error}).")
    if head.startswith(b"%PDF-"):
        return certificates.verify(path, public_keys)
    try:
        text = head.decode("ascii")
    except UnicodeDecodeError:
        text = ""
    if not text.strip() or len(head) > 200_000:
        return certificates.not_genuine(
            "file", "The file is neither a certificate PDF nor a credential JWT."
        )
    return badges.verify_jwt(text, public_keys)
