"""Certificate PDFs: genuine ones verify with the public key; every forgery fails.

The rule under test: a PDF is genuine only if it is byte for byte the file that
was issued (its Ed25519 signature covers every byte but its own hole).
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from smm_playbook.grading import certificates, secret
from smm_playbook.grading.certificates import Details, code_for, issue, render, verify
from smm_playbook.grading.verification import check

KEYS = secret.keys_from(bytes(range(32)), version=2)
OTHER = secret.keys_from(bytes(32), version=2)  # another L&D team, or a forger
PUBLIC = [KEYS.public_key]
ISSUER = "Acme Ltd, Learning & Development"
DETAILS = Details(
    learner_id="ana.li",
    name="Ana María Li",
    exam_id="smm-cert",
    exam_version="2026.1",
    exam_title="Social Media Manager Certification",
    score="21/30",
    percent="70.0",
    date="2026-12-02",
    expires="2028-12-02",
)
ALTERED = {
    "learner_id": "ana.lee",
    "name": "Anna María Li",
    "exam_id": "smm-pro",
    "exam_version": "2027.1",
    "exam_title": "Social Media Director Certification",
    "score": "30/30",
    "percent": "100.0",
    "date": "2026-12-01",
    "expires": "2030-12-02",
}
FAILED = Details(**{**vars(DETAILS), "learner_id": "cy.zhou", "name": "Cy Zhou"})


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("certificates")


@pytest.fixture(scope="module")
def genuine(folder):
    return issue(DETAILS, KEYS, folder / "genuine.pdf", ISSUER)


def reasons(path) -> str:
    verdict = verify(path, PUBLIC)
    assert not verdict.genuine
    return " ".join(verdict.reasons)


def test_a_genuine_certificate_verifies_with_the_public_key_only(genuine):
    verdict = verify(genuine, PUBLIC)
    assert verdict.genuine, verdict.reasons
    assert verdict.details == DETAILS and verdict.issuer == ISSUER
    assert verdict.key == KEYS.fingerprint
    assert verdict.code == code_for(DETAILS, KEYS.fingerprint)
    report = check(genuine, PUBLIC, today=date(2027, 1, 1))
    assert report.ok and "VALID until 2028-12-02" in str(report)
    assert "revocation not checked" in str(report)


def test_a_byte_identical_copy_verifies(genuine, folder):
    copy = shutil.copy(genuine, folder / "copy.pdf")
    assert verify(copy, PUBLIC).genuine


def test_expiry_is_reported(genuine):
    report = check(genuine, PUBLIC, today=date(2029, 1, 1))
    assert report.status == "expired" and not report.ok
    assert "EXPIRED on 2028-12-02" in str(report)


@pytest.mark.parametrize("field", list(ALTERED))
def test_any_detail_changed_with_the_genuine_signature_kept_fails(genuine, field):
    """A forger re-renders the page with one detail changed, signature copied over."""
    forged = dataclasses.replace(DETAILS, **{field: ALTERED[field]})
    data = _with_signature_of(genuine, render(forged, KEYS.fingerprint, ISSUER))
    path = genuine.with_name(f"field-{field}.pdf")
    path.write_bytes(data)
    assert "signature does not match its contents" in reasons(path)


@pytest.mark.parametrize("field", list(ALTERED))
def test_any_detail_changed_in_the_metadata_only_fails(genuine, field):
    forged = dataclasses.replace(DETAILS, **{field: ALTERED[field]})
    writer = PdfWriter(clone_from=PdfReader(str(genuine)))
    writer.add_metadata({"/Keywords": forged.canonical()})
    path = _write(writer, genuine.with_name(f"meta-{field}.pdf"))
    assert "not exactly what was issued" in reasons(path)


def test_a_detail_edited_in_place_fails(genuine, folder):
    """Same length, same offsets: a one-character edit inside the file."""
    data = genuine.read_bytes()
    assert data.count(b"/Creator (smm-playbook)") == 1
    path = folder / "in-place.pdf"
    path.write_bytes(
        data.replace(b"/Creator (smm-playbook)", b"/Creator (smm-playbooK)")
    )
    assert "signature does not match" in reasons(path)


def test_text_drawn_over_the_page_fails(genuine, folder):
    """Forgery 1 of the issue: a 21/30 certificate shown as 30/30."""
    overlay = _overlay(lambda pdf: pdf.text(120, 120, "Score: 30/30 (100.0%)"))
    for incremental in (False, True):
        path = folder / f"text-overlay-{incremental}.pdf"
        _write(_stamped(genuine, overlay, incremental), path)
        why = reasons(path)
        assert "not exactly what was issued" in why
        assert ("incremental update" in why) is incremental


def test_another_learners_certificate_relabelled_fails(genuine, folder):
    """Forgery 2: a pass re-labelled with a failed learner's name and id."""
    overlay = _overlay(
        lambda pdf: (pdf.text(120, 60, FAILED.name), pdf.text(120, 70, "cy.zhou"))
    )
    path = _write(_stamped(genuine, overlay, False), folder / "relabelled.pdf")
    assert "not exactly what was issued" in reasons(path)


def test_an_image_drawn_over_the_page_fails(genuine, folder, tmp_path):
    png = tmp_path / "patch.png"
    Image.new("RGB", (60, 20), "white").save(png)
    overlay = _overlay(lambda pdf: pdf.image(str(png), x=100, y=95, w=90))
    path = _write(_stamped(genuine, overlay, False), folder / "image-overlay.pdf")
    assert "not exactly what was issued" in reasons(path)


def test_an_extra_page_fails(genuine, folder):
    writer = PdfWriter(clone_from=PdfReader(str(genuine)))
    forged = render(
        dataclasses.replace(DETAILS, score="30/30"), KEYS.fingerprint, ISSUER
    )
    writer.append(PdfReader(io.BytesIO(forged)))
    path = _write(writer, folder / "extra-page.pdf")
    assert "not exactly what was issued" in reasons(path)


def test_a_page_cropped_to_a_point_with_a_forged_second_page_fails(genuine, folder):
    """Forgery 3: the genuine page shrunk to nothing, a forged page after it."""
    writer = PdfWriter(clone_from=PdfReader(str(genuine)))
    writer.pages[0].mediabox = RectangleObject([0, 0, 1, 1])
    writer.pages[0].cropbox = RectangleObject([0, 0, 1, 1])
    writer.add_blank_page(842, 595)
    path = _write(writer, folder / "cropped.pdf")
    assert "not exactly what was issued" in reasons(path)


def test_a_cropped_media_box_alone_fails(genuine, folder):
    writer = PdfWriter(str(genuine), incremental=True)
    writer.pages[0].mediabox = RectangleObject([0, 300, 842, 595])
    path = _write(writer, folder / "media-box.pdf")
    assert "incremental update" in reasons(path)


def test_a_signature_moved_from_another_certificate_fails(folder):
    """Bo's genuine signature pasted into a forged certificate for Ana."""
    bo = dataclasses.replace(DETAILS, learner_id="bo", name="Bo Wang", score="30/30")
    bo_pdf = issue(bo, KEYS, folder / "bo.pdf", ISSUER)
    assert verify(bo_pdf, PUBLIC).genuine
    forged = dataclasses.replace(DETAILS, score="30/30")
    path = folder / "moved.pdf"
    path.write_bytes(
        _with_signature_of(bo_pdf, render(forged, KEYS.fingerprint, ISSUER))
    )
    assert "signature does not match" in reasons(path)


def test_a_certificate_made_with_another_key_fails(folder):
    """Forgery 4: made with a secret the L&D team does not publish (or leaked)."""
    path = issue(DETAILS, OTHER, folder / "other-key.pdf", ISSUER)
    assert verify(path, [OTHER.public_key]).genuine  # it is genuinely OTHER's
    assert f"signed with the key {OTHER.fingerprint}" in reasons(path)
    claims_ours = render(DETAILS, KEYS.fingerprint, ISSUER)  # names our key...
    start, end = certificates._hole(claims_ours)
    signature = OTHER.signing_key.sign(certificates._message(claims_ours))
    lying = folder / "claims-our-key.pdf"
    lying.write_bytes(
        claims_ours[:start] + signature.hex().encode() + claims_ours[end:]
    )
    assert "signature does not match" in reasons(lying)  # ...but cannot sign for it


def test_a_resaved_certificate_fails_and_says_why(genuine, folder):
    """The rule for re-saved copies: not the issued bytes, so not accepted."""
    path = _write(PdfWriter(clone_from=PdfReader(str(genuine))), folder / "resaved.pdf")
    assert PdfReader(str(path)).pages[0].extract_text() == (
        PdfReader(str(genuine)).pages[0].extract_text()
    )  # it looks the same...
    why = reasons(path)  # ...but it is not what was issued
    assert "re-saved" in why and "original file" in why


@pytest.mark.parametrize("edit", ["append", "prepend", "two signatures"])
def test_bytes_added_anywhere_fail(genuine, folder, edit):
    data = genuine.read_bytes()
    forged = {
        "append": data + b"\n% a comment\n",
        "prepend": b"%PDF-1.7\n%" + data,
        "two signatures": data + data[data.find(b"smm-playbook certificate v2") - 1 :],
    }[edit]
    path = folder / f"edit-{edit}.pdf"
    path.write_bytes(forged)
    assert not verify(path, PUBLIC).genuine


def test_files_that_are_not_certificates(folder):
    text = folder / "note.pdf"
    text.write_text("hello")
    assert "not a certificate PDF" in reasons(text)
    other = folder / "blank.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    _write(writer, other)
    assert "carries no certificate signature" in reasons(other)


def test_a_version_1_certificate_is_sent_back_for_reissue(folder):
    pdf = FPDF()
    pdf.set_subject("smm-playbook certificate v1")
    pdf.add_page()
    path = folder / "v1.pdf"
    pdf.output(str(path))
    assert "version-1 certificate" in reasons(path)


def test_names_need_a_font_that_can_print_them():
    # U+20BB7 (𠮷, as in the surname 𠮷野) is in an extension block neither
    # shipped font covers: the message names it and points to --font.
    with pytest.raises(certificates.CertificateError, match="𠮷.*--font"):
        render(dataclasses.replace(DETAILS, name="𠮷野家"), KEYS.fingerprint, ISSUER)


def test_fonts_come_with_the_package_not_from_system_folders():
    package = Path(str(importlib.resources.files("smm_playbook")))
    for font in certificates.FONT_CANDIDATES:
        assert Path(font).is_relative_to(package) and Path(font).is_file(), font
    assert (package / "fonts" / "LICENSE-WenQuanYi.txt").is_file()


def test_add_months_keeps_the_day_or_the_month_end():
    assert certificates.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert certificates.add_months(date(2026, 12, 2), 24) == date(2028, 12, 2)
    assert certificates.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize("name", ["王伟", "张喆", "李堃", "陳玥"])  # GB2312, GBK, Big5
def test_a_chinese_name_is_printed_and_verifies(folder, name):
    chinese = dataclasses.replace(DETAILS, name=name, learner_id="wang.wei")
    path = issue(chinese, KEYS, folder / "zh.pdf", "某公司培训部")
    verdict = verify(path, PUBLIC)
    assert verdict.genuine and verdict.details.name == name
    assert path.stat().st_size < 300_000  # the PDF embeds the glyphs it uses only


def _with_signature_of(signed_pdf: Path, unsigned: bytes) -> bytes:
    signature = certificates.SIGNED.search(signed_pdf.read_bytes()).group(2)
    start, end = certificates._hole(unsigned)
    return unsigned[:start] + signature + unsigned[end:]


def _overlay(draw) -> PdfReader:
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_page()
    pdf.add_font("body", fname=certificates.FONT_CANDIDATES[0])
    pdf.set_font("body", size=13)
    draw(pdf)
    return PdfReader(io.BytesIO(bytes(pdf.output())))


def _stamped(genuine: Path, overlay: PdfReader, incremental: bool) -> PdfWriter:
    writer = (
        PdfWriter(str(genuine), incremental=True)
        if incremental
        else PdfWriter(clone_from=PdfReader(str(genuine)))
    )
    writer.pages[0].merge_page(overlay.pages[0])
    return writer


def _write(writer: PdfWriter, path: Path) -> Path:
    with open(path, "wb") as handle:
        writer.write(handle)
    return path
