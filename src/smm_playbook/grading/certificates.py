"""Certificates: a one-page PDF per pass, signed so that anyone can check it.

**The rule.** A certificate PDF is genuine only if it is, byte for byte, the
file that was issued. The issuer renders the page, leaves a fixed-length hole
of zeros in the document's /Subject, signs the SHA-256 of the whole file (hole
zeroed) with the Ed25519 credential key, and writes the signature into the
hole. `verify` needs only the published public key: it finds the one signature,
zeroes it again and checks it over every other byte of the file. Text or an
image drawn over the page, an extra page, a cropped media box, an edited detail,
an incremental update appended by an editor, or a copy re-saved by a viewer all
change the bytes, so all fail. So does a signature copied from another
certificate (it signs other bytes) and a certificate signed with another key.

After the signature, `verify` reads the signed details from the metadata and
checks them against the page (one page, every detail printed) and against the
short code on the page. The short code identifies the certificate (the L&D team
revokes by it, and the learner's Open Badges credential carries the same one);
it proves nothing by itself: the signature does.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.resources
import io
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from smm_playbook.grading import secret

MARKER = "smm-playbook certificate v2"
SIGNATURE_HOLE = "0" * 128  # 64 signature bytes as hex
SIGNED = re.compile(
    rb"smm-playbook certificate v2; key ([A-Za-z0-9_-]{43}); "
    rb"Ed25519 signature ([0-9a-f]{128})"
)
DOMAIN = b"smm-playbook certificate PDF v2\n"
MAX_BYTES = 20_000_000
# The first that can print every character wins, both shipped with the package so
# that a certificate renders the same everywhere: the small Latin font first (most
# certificates then embed no Chinese font), then the Chinese one (fonts/README.md).
FONTS = importlib.resources.files("smm_playbook") / "fonts"
FONT_CANDIDATES = (
    str(FONTS / "DejaVuSans.ttf"),
    str(FONTS / "WenQuanYiMicroHei-CJK.ttf"),
)


class CertificateError(ValueError):
    """A certificate cannot be made (e.g. no font for the name) or read."""


@dataclass(frozen=True)
class Details:
    learner_id: str
    name: str
    exam_id: str
    exam_version: str
    exam_title: str
    score: str  # "27/30"
    percent: str  # "90.0"
    date: str  # ISO date of the pass
    expires: str  # ISO date

    def canonical(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)

    def printed(self) -> dict[str, str]:
        """What the page shows for each detail (verify looks for each of these)."""
        return {
            "name": self.name,
            "learner_id": f"Learner id: {self.learner_id}",
            "exam_title": self.exam_title,
            "exam": f"Exam {self.exam_id}, version {self.exam_version}",
            "score": f"Score: {self.score} ({self.percent}%)",
            "date": f"Passed on {self.date}",
            "expires": f"Valid until {self.expires}",
        }


def code_for(details: Details, key_fingerprint: str) -> str:
    """The certificate's short code: a hash of its details and the issuing key."""
    fields = ("smm-playbook certificate id v2", key_fingerprint, details.canonical())
    text = "\x1f".join(fields)
    digest = base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31 January + 1 month = 28/29 February
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def issue(
    details: Details,
    keys: secret.Keys,
    out: Path,
    issuer: str,
    font: Path | None = None,
) -> Path:
    """Render the certificate and sign its exact bytes; returns the path."""
    unsigned = render(details, keys.fingerprint, issuer, font)
    signature = keys.signing_key.sign(_message(unsigned))
    start, end = _hole(unsigned)
    signed = unsigned[:start] + signature.hex().encode() + unsigned[end:]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(signed)
    return out


def render(
    details: Details, fingerprint: str, issuer: str, font: Path | None = None
) -> bytes:
    """The unsigned PDF (one A4 landscape page), with a hole for the signature."""
    font_path = font or _find_font(details, issuer)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_compression(False)
    pdf.set_creator("smm-playbook")
    pdf.set_author(issuer)
    pdf.set_title(f"{details.exam_title}: {details.name}")
    pdf.set_subject(f"{MARKER}; key {fingerprint}; Ed25519 signature {SIGNATURE_HOLE}")
    pdf.set_keywords(details.canonical())
    pdf.add_page()
    pdf.add_font("body", fname=str(font_path))
    printed = details.printed()
    pdf.set_draw_color(9, 105, 218)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)
    lines = [
        (14, "Certificate of achievement"),
        (11, "This certifies that"),
        (24, printed["name"]),
        (11, printed["learner_id"]),
        (11, "passed the"),
        (18, printed["exam_title"]),
        (11, printed["exam"]),
        (13, printed["score"]),
        (11, printed["date"]),
        (11, printed["expires"]),
        (10, f"Issued by {issuer}. Certificate code {code_for(details, fingerprint)}"),
        (8, f"Signed with the issuer's Ed25519 key {fingerprint}."),
        (8, "Check it with the issuer's public key: smm-playbook exam verify FILE."),
    ]
    pdf.set_y(26)
    for size, text in lines:
        pdf.set_font("body", size=size)
        pdf.cell(0, size * 0.75, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())


def _hole(data: bytes) -> tuple[int, int]:
    """Where the signature goes: the one signature field's hex digits."""
    found = list(SIGNED.finditer(data))
    if len(found) != 1:
        raise CertificateError(f"{len(found)} signature fields, not one.")
    return found[0].span(2)


def _message(data: bytes) -> bytes:
    """What is signed: the file with the signature zeroed, hashed, domain-tagged."""
    start, end = _hole(data)
    zeroed = data[:start] + SIGNATURE_HOLE.encode() + data[end:]
    return DOMAIN + hashlib.sha256(zeroed).digest()


def _find_font(details: Details, issuer: str) -> Path:
    text = "".join(details.printed().values()) + issuer
    needed = {ord(ch) for ch in text if ord(ch) > 32}
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.exists() and needed <= _glyphs(path):
            return path
    missing = "".join(sorted({chr(c) for c in needed} - set(map(chr, range(128)))))
    raise CertificateError(
        f"The course's fonts cannot print {details.name!r} (characters "
        f"{missing!r}). Pass --font with the path of a TTF or TTC font that "
        "covers them."
    )


@cache
def _glyphs(path: Path) -> frozenset[int]:
    font = TTFont(str(path), fontNumber=0, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: genuine or not, why, and the certified details."""

    genuine: bool
    reasons: tuple[str, ...]
    details: Details | None
    kind: str = "certificate"
    code: str = ""
    key: str = ""  # fingerprint of the key that signed it
    issuer: str = ""

    def expired(self, today: date) -> bool:
        return self.details is not None and today.isoformat() > self.details.expires


def not_genuine(kind: str, *reasons: str) -> Verdict:
    return Verdict(False, reasons, None, kind)


def verify(path: Path, public_keys: list[Ed25519PublicKey]) -> Verdict:
    """Check a certificate PDF against the published public key(s)."""
    kind = "PDF certificate"
    try:
        data = Path(path).read_bytes()[: MAX_BYTES + 1]
    except OSError as error:
        return not_genuine(kind, f"The file cannot be read ({error}).")
    if not data.startswith(b"%PDF-") or len(data) > MAX_BYTES:
        return not_genuine(kind, "The file is not a certificate PDF.")
    found = list(SIGNED.finditer(data))
    if len(found) != 1:
        return not_genuine(kind, _no_signature(data, len(found)))
    fingerprint = found[0].group(1).decode()
    trusted = {secret.fingerprint(k): k for k in public_keys}
    if fingerprint not in trusted:
        return not_genuine(kind, unknown_key(fingerprint, trusted))
    signature = bytes.fromhex(found[0].group(2).decode())
    try:
        trusted[fingerprint].verify(signature, _message(data))
    except InvalidSignature:
        return not_genuine(kind, _altered(data))
    return _read_signed(data, fingerprint, kind)


def _read_signed(data: bytes, fingerprint: str, kind: str) -> Verdict:
    """The signature holds; read what was signed and check it is self-consistent."""
    try:
        reader = PdfReader(io.BytesIO(data))
        info = _metadata(reader)
        raw = json.loads(str(info.get("/Keywords", "")))
        details = Details(**{k: str(raw[k]) for k in Details.__dataclass_fields__})
        pages = reader.pages
        text = _flat(pages[0].extract_text() or "") if len(pages) else ""
        issuer = str(info.get("/Author", ""))
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError) as error:
        return not_genuine(kind, f"The signed file cannot be read ({error}).")
    code = code_for(details, fingerprint)
    problems = [
        f"The page does not print the certified {field.replace('_', ' ')}."
        for field, shown in details.printed().items()
        if _flat(shown) not in text
    ]
    if len(pages) != 1:
        problems.append(f"The certificate has {len(pages)} pages, not one.")
    if code not in text:
        problems.append("The page does not print the certificate code.")
    if problems:  # only a faulty issuer could sign this; say so rather than accept
        return Verdict(False, tuple(problems), details, kind, code, fingerprint)
    return Verdict(True, (), details, kind, code, fingerprint, issuer)


def _metadata(reader: PdfReader) -> Mapping[str, object]:
    """The PDF's document information ("/Author", "/Keywords", …), or nothing."""
    return reader.metadata or {}


def _no_signature(data: bytes, count: int) -> str:
    if count:
        return f"The file carries {count} signatures; an issued certificate has one."
    try:
        subject = str(_metadata(PdfReader(io.BytesIO(data))).get("/Subject", ""))
    except (PdfReadError, ValueError, TypeError, KeyError, IndexError):
        subject = ""
    if subject.startswith(MARKER):
        return _altered(
            data,
            "it was re-saved or edited after issue (its signature field was rewritten)",
        )
    if subject.startswith("smm-playbook certificate v1"):
        return (
            "This is a version-1 certificate (checked with the L&D secret, not a "
            "public key). Ask the L&D team to reissue it: `exam certificates` "
            "signs a new one from the gradebook."
        )
    return (
        "The file carries no certificate signature: it is not a certificate from "
        "this course, or a program that re-saved it dropped the signature. Ask "
        "the holder for the original file."
    )


def unknown_key(fingerprint: str, trusted: dict) -> str:
    known = ", ".join(trusted) or "none"
    return (
        f"It was signed with the key {fingerprint}, which is not among the public "
        f"keys you gave (fingerprints: {known}). It was made by someone else, or "
        "with a key the L&D team does not publish."
    )


def _altered(
    data: bytes, how: str = "its signature does not match its contents"
) -> str:
    reason = f"The file is not exactly what was issued: {how}."
    if data.count(b"%%EOF") > 1:
        return reason + " An incremental update was appended (it was edited)."
    return reason + (
        " A detail, the page or the signature was changed, or the file was "
        "re-saved. Ask the holder for the original file."
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
