"""The course's reference lists and module pages follow the source policy.

The policy (shared design notes, "Source policy") forbids quiz and flash-card sites,
exam dumps, AI-written encyclopedias, personal wikis, machine-translated mirrors and
data-set dumps, and forbids learner-facing text about how the course was commissioned
or what its team could or could not check. These tests read the files as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Every module's reference list, pages and facilitator guide.
BIB_FILES = sorted((ROOT / "book" / "bib").glob("*.bib"))
PAGE_DIRS = sorted(p for p in (ROOT / "book").glob("[0-9][0-9]-*") if p.is_dir())
GUIDES = sorted((ROOT / "book" / "facilitator").glob("[0-9][0-9]-*.md"))

# Hosts the policy names, or of a kind it names (quiz and flash-card sites, exam dumps,
# AI encyclopedias, personal wikis, machine-translated mirrors, data-set dumps).
FORBIDDEN_HOSTS = (
    "certempire",
    "exam4training",
    "examtopics",
    "quizwizapp",
    "quizlet",
    "brainscape",
    "grokipedia",
    "gitea.ishenwei.online",
    "tmp.4pmtech.com",
    "huggingface.co/datasets",
)

# Phrases about the course's own making, which must not reach learners.
FORBIDDEN_PHRASES = (
    "commissioning document",
    "commissioned from",
    "course team could",
    "the course team",
    "paywall",
    "the essay says",
    "the italian article",
    "could not confirm",
)

URL = re.compile(r"https?://[^\s}]+")
# Site roots that are the source itself (an institution, not a page on its site).
INSTITUTION_ROOTS = {"https://www.12377.cn/"}
ENTRY = re.compile(r"^@\w+\{([^,]+),(.*?)^\}", re.S | re.M)


def entries(path: Path) -> dict[str, str]:
    """Return {key: body} for every entry of a bib file."""
    return {
        m.group(1).strip(): m.group(2) for m in ENTRY.finditer(path.read_text("utf-8"))
    }


@pytest.mark.parametrize("bib", BIB_FILES, ids=lambda p: p.name)
def test_no_url_in_the_bib_points_to_a_forbidden_host(bib: Path) -> None:
    bad = [
        (key, url)
        for key, body in entries(bib).items()
        for url in URL.findall(body)
        if any(host in url.lower() for host in FORBIDDEN_HOSTS)
    ]
    assert not bad, f"forbidden sources in {bib.name}: {bad}"


@pytest.mark.parametrize("bib", BIB_FILES, ids=lambda p: p.name)
def test_every_entry_has_a_title_and_a_note_saying_what_it_is(bib: Path) -> None:
    found = entries(bib)
    assert found, f"no entries parsed from {bib.name}"
    missing = [
        k for k, body in found.items() if "title" not in body or "note" not in body
    ]
    assert not missing, f"entries without title or note in {bib.name}: {missing}"


@pytest.mark.parametrize("bib", BIB_FILES, ids=lambda p: p.name)
def test_no_truncated_or_tracking_urls(bib: Path) -> None:
    bad = [
        url
        for body in entries(bib).values()
        for url in URL.findall(body)
        if "utm_" in url
        or url.endswith(("/...", "…"))
        or (re.fullmatch(r"https?://[^/]+/?", url) and url not in INSTITUTION_ROOTS)
    ]
    assert not bad, f"truncated, bare or tracking URLs in {bib.name}: {bad}"


def module_texts() -> list[Path]:
    pages = [
        p
        for d in PAGE_DIRS
        for p in sorted(d.glob("*.md"))
        if p.name != "GLOSSARY_TERMS.md"
    ]
    return pages + GUIDES + BIB_FILES


@pytest.mark.parametrize(
    "path", module_texts(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_learner_facing_text_does_not_narrate_how_the_course_was_made(
    path: Path,
) -> None:
    text = path.read_text("utf-8").lower()
    hits = [phrase for phrase in FORBIDDEN_PHRASES if phrase in text]
    assert not hits, f"{path.name} mentions {hits}"


def test_the_checker_would_catch_a_quiz_site() -> None:
    body = "howpublished = {\\url{https://quizwizapp.com/fil/study/x}}, note = {x}"
    urls = URL.findall(body)
    assert any(host in u for u in urls for host in FORBIDDEN_HOSTS)


def test_every_cited_key_in_modules_0_to_2_is_defined_in_some_bib_file() -> None:
    defined: set[str] = set()
    for bib in (ROOT / "book" / "bib").glob("*.bib"):
        defined |= set(entries(bib))
    cited: set[str] = set()
    for d in PAGE_DIRS:
        for page in d.glob("*.md"):
            for group in re.findall(r"\{cite\}`([^`]+)`", page.read_text("utf-8")):
                cited |= {k.strip() for k in group.split(",")}
    assert cited, "no citations found in Modules 0-2"
    assert not cited - defined, f"undefined keys: {sorted(cited - defined)}"


def sourced_tables(text: str) -> list[tuple[int, list[str]]]:
    """(line number, following lines) for every markdown table with a Source column."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        header = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and "Source" in header:
            end = i
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            found.append((i + 1, lines[end : end + 3]))
    return found


def test_every_platform_table_with_sources_carries_a_verified_line() -> None:
    checked = 0
    for d in PAGE_DIRS:
        for page in sorted(d.glob("*.md")):
            for line_no, after in sourced_tables(page.read_text("utf-8")):
                checked += 1
                assert any(re.match(r"Verified: \d{4}-\d{2}", a) for a in after), (
                    f"{page.name}:{line_no}: table without a 'Verified: YYYY-MM' line"
                )
    assert checked >= 8, f"only {checked} sourced tables found"


def test_the_verified_check_would_catch_a_missing_line() -> None:
    text = "| Platform | Fact | Source |\n| --- | --- | --- |\n| X | y | z |\n\nNext."
    ((line_no, after),) = sourced_tables(text)
    assert not any(re.match(r"Verified: \d{4}-\d{2}", a) for a in after)
