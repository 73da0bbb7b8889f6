"""Certificates: genuine ones verify; any altered detail or forged code fails."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from smm_playbook.grading import certificates
from smm_playbook.grading.certificates import Details, code_for, render, verify

KEY = bytes(range(32))
DETAILS = Details(
    learner_id="ana.li",
    name="Ana María Li",
    exam_id="smm-cert",
    exam_version="2026.1",
    exam_title="Social Media Manager Certification",
    score="27/30",
    percent="90.0",
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


@pytest.fixture
def genuine(tmp_path):
    return render(DETAILS, code_for(KEY, DETAILS), tmp_path / "genuine.pdf")


def test_a_genuine_certificate_verifies(genuine):
    verdict = verify(genuine, KEY, today=date(2027, 1, 1))
    assert verdict.genuine and not verdict.expired
    assert "Ana María Li" in str(verdict) and "valid until 2028-12-02" in str(verdict)


def test_expiry_is_reported(genuine):
    verdict = verify(genuine, KEY, today=date(2029, 1, 1))
    assert verdict.genuine and verdict.expired
    assert "expired on 2028-12-02" in str(verdict)


@pytest.mark.parametrize("field", list(ALTERED))
def test_reissuing_with_any_detail_changed_fails(tmp_path, field):
    """A forger re-renders the certificate with one detail changed, old code kept."""
    forged = dataclasses.replace(DETAILS, **{field: ALTERED[field]})
    path = render(forged, code_for(KEY, DETAILS), tmp_path / "forged.pdf")
    verdict = verify(path, KEY)
    assert not verdict.genuine
    assert "verification code does not match" in " ".join(verdict.reasons)


@pytest.mark.parametrize("field", list(ALTERED))
def test_changing_only_the_metadata_fails(genuine, tmp_path, field):
    forged = dataclasses.replace(DETAILS, **{field: ALTERED[field]})
    path = _with_keywords(genuine, forged.canonical(), tmp_path / "meta.pdf")
    assert not verify(path, KEY).genuine


@pytest.mark.parametrize("field", list(ALTERED))
def test_changing_only_the_printed_page_fails(tmp_path, field):
    """The page says something else; the metadata still holds the true details."""
    shown = dataclasses.replace(DETAILS, **{field: ALTERED[field]})
    printed = render(shown, code_for(KEY, DETAILS), tmp_path / "printed.pdf")
    path = _with_keywords(printed, DETAILS.canonical(), tmp_path / "page.pdf")
    verdict = verify(path, KEY)
    assert not verdict.genuine
    assert any("printed" in reason for reason in verdict.reasons)


def test_a_made_up_or_edited_code_fails(tmp_path):
    for code in ("AAAA-BBBB-CCCC-DDDD-EEEE", code_for(KEY, DETAILS)[:-1] + "Q"):
        path = render(DETAILS, code, tmp_path / "code.pdf")
        assert not verify(path, KEY).genuine


def test_another_secret_cannot_vouch(genuine):
    assert not verify(genuine, bytes(32)).genuine


def test_files_that_are_not_certificates(tmp_path):
    text = tmp_path / "note.pdf"
    text.write_text("hello")
    assert "cannot be read as a PDF" in verify(text, KEY).reasons[0]
    other = tmp_path / "other.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(other)
    assert "not a certificate" in verify(other, KEY).reasons[0]


def test_names_need_a_font_that_can_print_them(tmp_path, monkeypatch):
    monkeypatch.setattr(certificates, "FONT_CANDIDATES", ())
    with pytest.raises(certificates.CertificateError, match="No installed font"):
        render(dataclasses.replace(DETAILS, name="王伟"), "X", tmp_path / "c.pdf")


def test_add_months_keeps_the_day_or_the_month_end():
    assert certificates.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert certificates.add_months(date(2026, 12, 2), 24) == date(2028, 12, 2)
    assert certificates.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def _with_keywords(source, keywords: str, out):
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.add_metadata({"/Keywords": keywords})
    with open(out, "wb") as handle:
        writer.write(handle)
    return out


def test_a_chinese_name_is_printed_and_verifies(tmp_path):
    fonts = [f for f in certificates.FONT_CANDIDATES if "dejavu" not in f]
    fonts = [f for f in fonts if Path(f).exists()]
    if not fonts:
        message = "no CJK font: install Debian's fonts-wqy-microhei (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    chinese = dataclasses.replace(DETAILS, name="王伟", learner_id="wang.wei")
    path = render(chinese, code_for(KEY, chinese), tmp_path / "zh.pdf")
    verdict = verify(path, KEY)
    assert verdict.genuine and "王伟" in str(verdict)
