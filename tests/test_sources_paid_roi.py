"""Modules 5 and 6 cite no forbidden source (docs: shared source policy)."""

from __future__ import annotations

from pathlib import Path

import pytest

BIB = Path(__file__).resolve().parents[1] / "book" / "bib"
FORBIDDEN = ("certempire", "exam4training", "quizwiz", "grokipedia", "huggingface.co")


@pytest.mark.parametrize("name", ["05-paid.bib", "06-roi.bib"])
def test_no_exam_dump_or_ai_encyclopedia_is_cited(name):
    text = (BIB / name).read_text(encoding="utf-8").lower()
    assert [site for site in FORBIDDEN if site in text] == []


NARRATION = ("could not confirm", "not verified", "research notes", "exam material")


@pytest.mark.parametrize("module", ["05-paid", "06-roi"])
def test_the_pages_and_references_do_not_narrate_unverified_research(module):
    pages = (BIB.parent / module).glob("*.md")
    kept = [page for page in pages if page.name != "GLOSSARY_TERMS.md"]
    texts = [page.read_text(encoding="utf-8") for page in kept]
    texts.append((BIB / f"{module}.bib").read_text(encoding="utf-8"))
    found = [phrase for phrase in NARRATION for text in texts if phrase in text.lower()]
    assert found == []
