"""`smm-playbook exam …` end to end, as an L&D team would run it."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from smm_playbook.cli import app
from smm_playbook.grading.exam import (
    CERTIFICATION,
    PRACTICE,
    PRACTICE_SECRET,
    max_points,
    paper_for,
)
from smm_playbook.grading.model_answers import answer_code, solve

runner = CliRunner()


def flat(result) -> str:
    """The output with rich's line wrapping undone (it wraps at the terminal width)."""
    return " ".join(result.output.split())


def run(*args: str):
    return runner.invoke(app, ["exam", *map(str, args)])


@pytest.fixture(scope="module")
def sitting():
    """A whole sitting: secret, roster, papers, answers, grading."""
    root = Path(tempfile.mkdtemp(prefix="smm-cli-", dir="/var/tmp"))
    secret = root / "trainer" / "exam.secret"
    assert run("new-secret", secret).exit_code == 0
    roster = root / "roster.csv"
    roster.write_text("learner_id,name\nana,Ana Li\nbo,Bo Wang\ncy,Cy Zhou\n")
    gradebook = root / "trainer" / "gradebook.db"
    built = run(
        "build",
        "--roster",
        roster,
        "--secret",
        secret,
        "--out",
        root / "papers",
        "--gradebook",
        gradebook,
    )
    assert built.exit_code == 0, built.output
    assert "Forms: 122 of 125 left" in flat(built)
    hand_in = root / "handed-in"
    hand_in.mkdir()
    from smm_playbook.grading import secret as secrets

    key = secrets.load(secret)
    for learner, good in (("ana", True), ("bo", True), ("cy", False)):
        book = nbformat.read(root / "papers" / f"{learner}.ipynb", as_version=4)
        if good:
            form = book.metadata["smm_exam"]["form"]  # the coded form it was issued
            solve(book, answer_code(paper_for(CERTIFICATION, key, learner, form=form)))
        nbformat.write(book, hand_in / f"{learner}.ipynb")
    graded = run(
        "grade", hand_in, "--secret", secret, "--gradebook", gradebook, "--workers", "2"
    )
    # Two trainers mark the written answers on sheets (full marks), blind.
    for marker in ("Marker A", "Marker B"):
        sheet = root / f"{marker}.csv"
        common = ("--secret", secret, "--gradebook", gradebook, "--marker", marker)
        assert run("review", *common, "--sheet", sheet).exit_code == 0
        lines = sheet.read_text().splitlines()
        filled = [lines[0]] + [line.replace(",,", ",2,", 1) for line in lines[1:]]
        sheet.write_text("\n".join(filled) + "\n")
        marked = run("review", *common, "--scores", sheet)
        assert marked.exit_code == 0, marked.output
    yield root, secret, gradebook, graded
    shutil.rmtree(root)


def test_build_and_grade(sitting):
    root, _, _, graded = sitting
    assert sorted(p.name for p in (root / "papers").iterdir()) == [
        "ana.ipynb",
        "bo.ipynb",
        "cy.ipynb",
    ]
    assert graded.exit_code == 0, flat(graded)
    # no pass yet: the two answered papers wait for the written item's marks
    assert "Graded 3 new submission(s), 0 pass(es)" in flat(graded)
    assert "2 wait for a trainer's marks" in flat(graded)


def test_the_marks_settle_the_results(sitting):
    from smm_playbook.grading.gradebook import Gradebook

    _, _, gradebook, _ = sitting
    book = Gradebook(gradebook)
    rows = {r["learner_id"]: r for r in book.submissions()}
    book.close()
    assert rows["ana"]["status"] == rows["bo"]["status"] == "graded"
    assert rows["ana"]["passed"] and rows["ana"]["score"] == rows["ana"]["max_score"]
    assert rows["cy"]["status"] == "graded" and not rows["cy"]["passed"]


def test_grading_again_finds_nothing_new(sitting):
    root, secret, gradebook, _ = sitting
    again = run(
        "grade", root / "handed-in", "--secret", secret, "--gradebook", gradebook
    )
    assert "Graded 0 new submission(s)" in flat(again)
    assert "3 already in the gradebook" in flat(again)


def test_export_report_certificates_and_verify(sitting):
    root, secret, gradebook, _ = sitting
    assert (
        run("export", "--gradebook", gradebook, "--out", root / "r.csv").exit_code == 0
    )
    assert (root / "r.csv").read_text().count("\n") == 4
    assert run("report", "--gradebook", gradebook, "--out", root / "rep").exit_code == 0
    assert (root / "rep" / "feedback" / "cy.html").exists()
    made = run(
        "certificates",
        "--secret",
        secret,
        "--gradebook",
        gradebook,
        "--out",
        root / "certs",
    )
    assert made.exit_code == 0 and "Wrote 2 certificate(s)" in flat(made)
    public = secret.with_name("exam.public.pem")
    assert public.exists(), "new-secret writes the public key beside the secret"
    pdfs = sorted((root / "certs").glob("*.pdf"))
    jwts = sorted((root / "certs").glob("*.jwt"))
    assert (
        [p.stem for p in pdfs]
        == [p.stem for p in jwts]
        == [
            f"ana-smm-cert-{CERTIFICATION.version}",
            f"bo-smm-cert-{CERTIFICATION.version}",
        ]
    )
    checked = run("verify", *pdfs, *jwts, "--public-key", public)
    assert checked.exit_code == 0, flat(checked)
    assert flat(checked).count("VALID until") == 4
    fake = root / "fake.pdf"
    fake.write_bytes(pdfs[0].read_bytes().replace(b"Ana Li", b"Eve Li"))
    rejected = run("verify", fake, "--public-key", public)
    assert rejected.exit_code == 1 and "NOT GENUINE" in flat(rejected)
    code = re.search(r"code ([A-Z2-7-]{24})", flat(checked)).group(1)
    revocations = root / "revocations.json"
    revoked = run(
        "revoke",
        code,
        "--secret",
        secret,
        "--revocations",
        revocations,
        "--reason",
        "issued in error",
    )
    assert revoked.exit_code == 0, flat(revoked)
    again = run(
        "verify", *pdfs, *jwts, "--public-key", public, "--revocations", revocations
    )
    assert again.exit_code == 1
    assert flat(again).count("REVOKED") == 2 and flat(again).count("VALID") == 2
    later = run("verify", pdfs[1], "--public-key", public, "--today", "2031-01-01")
    assert later.exit_code == 1 and "EXPIRED on" in flat(later)


def test_public_key_command_and_bad_key_files(sitting, tmp_path):
    _, secret, _, _ = sitting
    made = run("public-key", "--secret", secret, "--out", tmp_path / "k.pem")
    assert made.exit_code == 0 and "secret version 2" in flat(made)
    published = secret.with_name("exam.public.pem").read_text()
    assert (tmp_path / "k.pem").read_text() == published
    (tmp_path / "bad.pem").write_text("not a key")
    bad = run("verify", tmp_path / "k.pem", "--public-key", tmp_path / "bad.pem")
    assert bad.exit_code == 2 and "is not a public key file" in flat(bad)
    wrong = run("revoke", "nope", "--secret", secret, "--reason", "x")
    assert wrong.exit_code == 2 and "is not a certificate code" in flat(wrong)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("grade", ".", "--secret", "/nonexistent/exam.secret"), "No secret file"),
        (("build", "--roster", "/nonexistent.csv", "--secret", "x"), "No secret file"),
        (("grade", ".", "--secret", "x", "--version", "1999"), "No exam smm-cert"),
    ],
)
def test_errors_are_one_clear_line(args, says):
    result = run(*args)
    assert result.exit_code == 2
    assert says in flat(result)
    assert "Traceback" not in flat(result)


def test_bad_roster_names_the_line(sitting, tmp_path):
    _, secret, _, _ = sitting
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name\nana,Ana\nana,Ana\n")
    result = run(
        "build",
        "--roster",
        roster,
        "--secret",
        secret,
        "--out",
        tmp_path,
        "--gradebook",
        tmp_path / "gradebook.db",
    )
    assert result.exit_code == 2 and "line 3" in flat(result)


def test_practice_paper_and_self_grading(tmp_path):
    made = run("practice", "--learner", "me", "--out", tmp_path)
    assert made.exit_code == 0
    path = tmp_path / "me.ipynb"
    blank = run("practice-grade", path)
    top = max_points(PRACTICE)
    assert blank.exit_code == 0 and f"0 of {top} points" in flat(blank)
    book = nbformat.read(path, as_version=4)
    solve(book, answer_code(paper_for(PRACTICE, PRACTICE_SECRET, "me")))
    renamed = tmp_path / "my practice (final).ipynb"
    nbformat.write(book, renamed)
    graded = run("practice-grade", renamed)
    assert f"{top} of {top} points (100.0%): a pass" in flat(graded)


def test_practice_grading_needs_no_fence(tmp_path, monkeypatch):
    """Learners grade their own practice paper on any system: namespaces unused."""
    from smm_playbook.grading import sandbox

    def no_fence(*_args, **_kwargs):
        raise AssertionError("the practice exam must not use the fenced worker")

    monkeypatch.setattr(sandbox.WarmWorker, "run", no_fence)
    run("practice", "--learner", "me", "--out", tmp_path)
    path = tmp_path / "me.ipynb"
    book = nbformat.read(path, as_version=4)
    solve(book, answer_code(paper_for(PRACTICE, PRACTICE_SECRET, "me")))
    book.cells.append(nbformat.v4.new_code_cell("while True:\n    pass"))
    nbformat.write(book, path)
    graded = run("practice-grade", path, "--timeout", "12")
    text = flat(graded)
    assert "plain program on your own computer" in text
    top = max_points(PRACTICE)
    assert f"{top} of {top} points" in text and "time limit" in text


def test_a_version_1_secret_gets_a_public_key_and_signs(tmp_path):
    """A secret from before key separation keeps working and can now sign."""
    old = tmp_path / "old.secret"
    old.write_text(bytes(range(32)).hex() + "\n")
    made = run("public-key", "--secret", old)
    assert made.exit_code == 0 and "secret version 1" in flat(made)
    assert (tmp_path / "old.public.pem").exists()


def test_a_gradebook_from_a_newer_version_is_refused_in_one_line(tmp_path):
    import sqlite3

    from smm_playbook.grading.gradebook import Gradebook

    path = tmp_path / "gradebook.db"
    Gradebook(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    result = run("export", "--gradebook", path, "--out", tmp_path / "r.csv")
    assert result.exit_code == 2
    assert "newer version of smm_playbook" in flat(result)
    assert "Traceback" not in flat(result)
