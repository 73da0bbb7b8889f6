"""Certificates: a PDF per pass, with a code that proves its details are genuine.

The verification code is an HMAC, keyed with the trainer's secret, over every
detail on the certificate: learner id, name, exam, version, score, date and
expiry. The details are also stored in the PDF's metadata, so `verify` can
recompute the code; it then checks that the printed page says the same thing.
Changing any detail, in the metadata or on the page, or the code itself, makes
verification fail. Only the holder of the secret (the L&D team) can verify, and
anyone can ask them to.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from smm_playbook.grading import secret

MARKER = "smm-playbook certificate v1"
# The first that can print every character wins: the small Latin font first, so
# most certificates do not embed a 5 MB Chinese font.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
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


def code_for(key: bytes, details: Details) -> str:
    digest = secret.derive(key, "certificate", details.canonical())
    text = base64.b32encode(digest).decode()[:20]
    return "-".join(text[i : i + 4] for i in range(0, 20, 4))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # 31 January + 1 month = 28/29 February
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def render(details: Details, code: str, out: Path, font: Path | None = None) -> Path:
    """Write the certificate PDF (one A4 landscape page)."""
    font_path = font or _find_font(details)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_compression(False)
    pdf.set_creator("smm-playbook")
    pdf.set_title(f"{details.exam_title}: {details.name}")
    pdf.set_subject(MARKER)
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
        (10, f"Verification code: {code}"),
        (8, "To check this certificate, send it to the L&D team that issued it."),
    ]
    pdf.set_y(28)
    for size, text in lines:
        pdf.set_font("body", size=size)
        pdf.cell(0, size * 0.75, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def _find_font(details: Details) -> Path:
    needed = {ord(ch) for ch in "".join(details.printed().values()) if ord(ch) > 32}
    for candidate in FONT_CANDIDATES:
        path = Path(candidate)
        if path.exists() and needed <= _glyphs(path):
            return path
    missing = "".join(sorted({chr(c) for c in needed} - set(map(chr, range(128)))))
    raise CertificateError(
        f"No installed font can print {details.name!r} (characters {missing!r}). "
        "Install a font that covers them (for Chinese names, Debian's "
        "fonts-wqy-microhei) or pass --font PATH."
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
    genuine: bool
    reasons: tuple[str, ...]
    details: Details | None
    expired: bool = False

    def __str__(self) -> str:
        if not self.genuine:
            return "NOT GENUINE: " + " ".join(self.reasons)
        d = self.details
        state = (
            f"expired on {d.expires}" if self.expired else f"valid until {d.expires}"
        )
        return (
            f"GENUINE: {d.name} ({d.learner_id}) passed {d.exam_title} "
            f"({d.exam_id} {d.exam_version}) with {d.score} ({d.percent}%) on "
            f"{d.date}; {state}."
        )


def verify(path: Path, key: bytes, today: date | None = None) -> Verdict:
    """Check a certificate file; every altered detail or a forged code fails."""
    try:
        reader = PdfReader(str(path))
        info = reader.metadata or {}
        text = reader.pages[0].extract_text() if reader.pages else ""
    except (PdfReadError, OSError, ValueError, KeyError, IndexError) as error:
        return Verdict(False, (f"The file cannot be read as a PDF ({error}).",), None)
    if info.get("/Subject") != MARKER:
        return Verdict(
            False, ("This is not a certificate issued by this course.",), None
        )
    try:
        raw = json.loads(str(info.get("/Keywords", "")))
        details = Details(**{k: str(raw[k]) for k in Details.__dataclass_fields__})
    except (ValueError, TypeError, KeyError):
        return Verdict(False, ("The certificate's details are damaged.",), None)
    reasons = []
    printed_code = re.search(r"Verification code:\s*([A-Z2-7-]+)", text or "")
    if not printed_code:
        reasons.append("The page has no verification code.")
    elif not secret.matches(code_for(key, details), printed_code.group(1)):
        reasons.append(
            "The verification code does not match the certificate's details: a "
            "detail or the code was changed, or the code was made up."
        )
    flat = _flat(text or "")
    for field, shown in details.printed().items():
        if _flat(shown) not in flat:
            reasons.append(
                f"The printed {field.replace('_', ' ')} differs from the certified one."
            )
    if reasons:
        return Verdict(False, tuple(reasons), details)
    expired = (today or date.today()).isoformat() > details.expires
    return Verdict(True, (), details, expired)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
