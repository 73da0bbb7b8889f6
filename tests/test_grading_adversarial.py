"""The adversarial suite: one folder of hostile, broken and honest submissions.

Every case must end with a clear status and message, the grader must finish,
and tampering must not change a score: each tampering case has a control with
the same answers and no tampering, and the two must score the same.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading_helpers import EXAM, ExamSite, add_cell
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.practice_bank import MODEL_ANSWERS
from smm_playbook.grading.results import best_results, submissions_frame
from smm_playbook.grading.sandbox import Limits

LIMITS = Limits(wall_seconds=6, memory_mb=768)
WRONG = {  # plausible wrong answers for every part
    "er_reach_pct": "er_reach_pct = 1.0",
    "top_post": "top_post = 'a'",
    "cpm": "cpm = 1.0",
    "cpa": "cpa = 1.0",
    "roas": "roas = 1.0",
    "roi_profit_pct": "roi_profit_pct = 1.0",
}


def _half_wrong(site, learner):
    return site.solved(learner, **WRONG)


# (learner, what it tries, the cell it adds, where: None for the end)
RUNAWAY = [
    ("loop", "an infinite loop after the answers", "while True:\n    pass", None),
    ("loopfirst", "an infinite loop before the answers", "while True:\n    pass", 2),
    ("membomb", "a memory bomb", "hog = bytearray(16 * 1024**3)", 4),
    ("flood", "a flood of output", "for _ in range(300):\n    print('x' * 10**6)", 4),
    ("sysexit", "sys.exit() midway", "import sys\nsys.exit(0)", 6),
    ("osexit", "os._exit() midway", "import os\nos._exit(0)", 12),
]


def _after(overrides: dict[str, str]) -> dict[str, str]:
    """Keep each model answer's working (later parts use it), then overwrite."""
    return {var: f"{MODEL_ANSWERS[var]}\n{code}" for var, code in overrides.items()}


def build_cases(site: ExamSite) -> dict[str, str]:
    """Hand in every case; returns learner → what it tries."""
    s = site
    cases = {}

    def case(learner, what, book=None, raw=None, name=None):
        cases[learner] = what
        if raw is not None:
            path = s.submissions / (name or f"{learner}.ipynb")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
        else:
            s.hand_in(learner, book, name)

    case("honest1", "model answers", s.solved("honest1"))
    case("honest2", "model answers", s.solved("honest2"))
    case("malformed", "malformed JSON", raw=b'{"cells": [{"cell_type": "code",')
    case("binary", "not a notebook (PNG bytes)", raw=b"\x89PNG\r\n\x1a\n\x00\x00")
    case("jsonlist", "JSON that is not a notebook", raw=b"[1, 2, 3]")
    empty = s.blank("empty")
    empty.cells = []
    case("empty", "an empty notebook", empty)
    for learner, what, code, at in RUNAWAY:
        case(learner, what, add_cell(s.solved(learner), code, at=at))
    spy = {
        "er_reach_pct": f"er_reach_pct = open({str(s.secret_path)!r}).read()",
        "top_post": f"top_post = open({str(s.gradebook_path)!r}, 'rb').read(200)",
        "response_rate_pct": (
            "import os\n"
            f"response_rate_pct = ' '.join(os.listdir({str(s.submissions)!r}))"
        ),
    }
    case(
        "spy",
        "reads the secret, the gradebook and others' files",
        s.solved("spy", **spy),
    )
    patch = (
        "import smm_playbook.checks.questions as q\n"
        "import smm_playbook.grading.scoring as scoring\n"
        "q.ValueQuestion.grade = lambda self, values: 'Correct'\n"
        "q.ChoiceQuestion.grade = lambda self, values: 'Correct'\n"
        "scoring.score = lambda paper, answers: []\n"
    )
    # Each tamperer also hands in the same answers untampered: the control.
    case(
        "patcher",
        "control for patcher",
        _half_wrong(s, "patcher"),
        name="patcher/control.ipynb",
    )
    case(
        "patcher",
        "redefines the checking functions",
        add_cell(_half_wrong(s, "patcher"), patch, at=2),
        name="patcher/tampered.ipynb",
    )
    fake = (
        "print('SCORE: 30/30 (100%) PASSED')\n"
        "import json, os, struct\n"
        "for fd in range(3, 64):\n"
        "    frame = json.dumps({'answers': {'cpm': 1}, 'cells_run': 99}).encode()\n"
        "    try:\n"
        "        os.write(fd, struct.pack('>I', len(frame)) + frame)\n"
        "    except OSError:\n"
        "        pass\n"
        "score, passed = 30, True\n"
    )
    case(
        "faker",
        "control for faker",
        _half_wrong(s, "faker"),
        name="faker/control.ipynb",
    )
    case(
        "faker",
        "prints a fake score and forges answer frames",
        add_cell(_half_wrong(s, "faker"), fake),
        name="faker/tampered.ipynb",
    )
    odd = {
        "er_reach_pct": "er_reach_pct = '3.2%'",
        "top_post": "top_post = 2",
        "best_platform": "best_platform = None",
        "ctr_lift_pct": "ctr_lift_pct = [1, 2, 3]",
        "cpm": "cpm = pd.DataFrame({'a': [1, 2]})",
        "cpa": "cpa = float('nan')",
    }
    case("types", "answers of the wrong type", s.solved("types", **_after(odd)))
    huge = {
        "er_reach_pct": "er_reach_pct = 'x' * 10**7",
        "top_post": "top_post = list(range(10**6))",
        "roas": "roas = object()",
        "cpa": "cpa = lambda: 1",
        "cpm": (
            "class Evil(float):\n"
            "    def __float__(self):\n"
            "        raise RuntimeError\n"
            "    def __repr__(self):\n"
            "        raise RuntimeError\n"
            "cpm = Evil(1)"
        ),
    }
    case(
        "huge", "enormous and unserialisable answers", s.solved("huge", **_after(huge))
    )
    case("twice", "first of two files", _half_wrong(s, "twice"), name="twice/a.ipynb")
    case(
        "twice", "second of two files (better)", s.solved("twice"), name="twice/b.ipynb"
    )
    stolen = s.solved("honest1")
    case("thief", "hands in a colleague's solved paper", stolen)
    copied = {
        part.var: f"{part.var} = {getattr(part.question, 'expected', None)!r}"
        for section in s.paper("honest2").sections
        for part in section.parts
        if getattr(part.question, "expected", None) is not None
    }
    case("copier", "copies a colleague's answers", s.solved("copier", **copied))
    forged = s.solved("forger")
    forged.metadata["smm_exam"]["attempt"] = 2
    case("forger", "edits the paper's attempt number", forged)
    renamed = s.solved("renamer")
    renamed.metadata["smm_exam"]["name"] = "Dr Renamer, MBA"
    case("renamer", "edits the name the certificate will carry", renamed)
    return cases


def grade(site, gradebook, workers=2):
    return site.grade(LIMITS, workers, gradebook)


@pytest.fixture(scope="module")
def graded():
    site = ExamSite()
    cases = build_cases(site)
    (site.submissions / "README.txt").write_text("not a notebook, not graded")
    gradebook = Gradebook(site.gradebook_path)
    summary = grade(site, gradebook)
    records = {}
    for record in summary.graded:
        records.setdefault(record.learner_id, []).append(record)
    yield site, cases, summary, records, gradebook
    gradebook.close()
    site.cleanup()


def one(records, learner):
    [record] = records[learner]
    return record


def test_every_case_has_a_result_with_a_message(graded):
    _, cases, summary, records, _ = graded
    assert set(records) == set(cases)
    for learner_records in records.values():
        for record in learner_records:
            assert record.status in {"graded", "unreadable", "empty", "wrong_paper"}
            assert record.message
    assert [p.name for p in summary.ignored] == ["README.txt"]


def test_honest_submissions_are_unaffected(graded):
    _, _, _, records, _ = graded
    for learner in ("honest1", "honest2"):
        record = one(records, learner)
        assert (record.status, record.run_ended, record.score) == (
            "graded",
            "finished",
            record.max_score,
        )
        assert record.passed


@pytest.mark.parametrize(
    ("learner", "status", "says"),
    [
        ("malformed", "unreadable", "not valid JSON"),
        ("binary", "unreadable", "not text"),
        ("jsonlist", "unreadable", "not a Jupyter notebook"),
        ("empty", "empty", "no code"),
        ("thief", "wrong_paper", "issued to 'honest1'"),
        ("forger", "wrong_paper", "paper code does not match"),
        ("renamer", "wrong_paper", "paper code does not match"),
    ],
)
def test_files_that_cannot_be_graded_say_why(graded, learner, status, says):
    record = one(graded[3], learner)
    assert (record.status, record.score, record.passed) == (status, 0, False)
    assert says in record.message


@pytest.mark.parametrize(
    ("learner", "ended", "full_marks", "says"),
    [
        ("loop", "timeout", True, "time limit"),
        ("loopfirst", "timeout", False, "time limit"),
        ("membomb", "finished", True, "MemoryError"),
        ("flood", "finished", True, "Ran cleanly"),
        ("sysexit", "finished", True, "SystemExit"),
        ("osexit", "exited", False, "ended its own process"),
    ],
)
def test_runaway_notebooks_end_cleanly_and_keep_earlier_answers(
    graded, learner, ended, full_marks, says
):
    record = one(graded[3], learner)
    assert (record.status, record.run_ended) == ("graded", ended)
    assert (record.score == record.max_score) is full_marks
    assert says in record.message
    if learner == "osexit":
        assert 0 < record.score < record.max_score  # answers before the exit count


def test_the_secret_and_the_grader_files_stay_out_of_reach(graded):
    site, _, _, records, gradebook = graded
    record = one(records, "spy")
    spied = {p.part: p for p in record.parts}
    for part in ("er_reach_pct", "top_post", "response_rate_pct"):
        assert spied[part].points == 0
    dump = repr(gradebook.submissions()) + repr(gradebook.answers())
    assert site.key.hex() not in dump
    assert "honest1.ipynb" not in spied["response_rate_pct"].feedback


def test_tampering_changes_no_score(graded):
    records = graded[3]
    for learner in ("patcher", "faker"):
        by_file = {Path(r.file).stem: r for r in records[learner]}
        tampered, control = by_file["tampered"], by_file["control"]
        assert tampered.score == control.score
        assert [p.points for p in tampered.parts] == [p.points for p in control.parts]
        assert tampered.score < tampered.max_score


def test_wrong_types_and_monsters_are_marked_wrong_with_reasons(graded):
    records = graded[3]
    for learner, names in (
        (
            "types",
            ["er_reach_pct", "top_post", "best_platform", "ctr_lift_pct", "cpm", "cpa"],
        ),
        ("huge", ["er_reach_pct", "top_post", "roas", "cpa", "cpm"]),
    ):
        record = one(records, learner)
        assert record.run_ended == "finished"
        parts = {p.part: p for p in record.parts}
        for name in names:
            assert parts[name].points == 0, (learner, name)
            assert parts[name].feedback, (learner, name)
        assert record.score == record.max_score - sum(
            parts[n].max_points for n in names
        )


def test_copying_a_colleague_fails(graded):
    record = one(graded[3], "copier")
    assert not record.passed


def test_two_files_from_one_learner_are_both_kept_and_the_best_counts(graded):
    _, _, _, records, gradebook = graded
    assert len(records["twice"]) == 2
    best = best_results(submissions_frame(gradebook))
    twice = best[best["learner_id"] == "twice"].iloc[0]
    assert twice["score"] == twice["max_score"] and twice["submissions"] == 2


def test_rerun_grades_nothing_twice(graded):
    site, cases, _, _, gradebook = graded
    again = grade(site, gradebook)
    assert again.graded == []
    rows = gradebook.submissions()
    assert len(rows) == len({(r["learner_id"], r["sha256"]) for r in rows})
    # "twice" and the two tamperers each handed in two files
    assert len(rows) == len(cases) + 3


def test_an_identical_copy_is_recorded_once(graded):
    site, _, _, _, gradebook = graded
    source = site.submissions / "honest1.ipynb"
    (site.submissions / "honest1").mkdir()
    (site.submissions / "honest1" / "again.ipynb").write_bytes(source.read_bytes())
    try:
        again = grade(site, gradebook, workers=1)
        assert again.graded == [] and again.skipped >= 1
    finally:
        (site.submissions / "honest1" / "again.ipynb").unlink()
        (site.submissions / "honest1").rmdir()


def test_kill_minus_nine_then_rerun_grades_each_exactly_once():
    site = ExamSite()
    try:
        learners = [f"k{i:02d}" for i in range(10)]
        for learner in learners:
            book = add_cell(site.solved(learner), "import time\ntime.sleep(0.5)")
            site.hand_in(learner, book)
        command = [
            sys.executable,
            "-m",
            "smm_playbook.cli",
            "exam",
            "grade",
            "--version",
            EXAM.version,
            str(site.submissions),
            "--secret",
            str(site.secret_path),
            "--gradebook",
            str(site.gradebook_path),
            "--workers",
            "1",
        ]
        grader = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while _rows(site.gradebook_path) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(grader.pid, signal.SIGKILL)
        grader.wait()
        done_before = _rows(site.gradebook_path)
        assert 3 <= done_before < len(learners)
        finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert finished.returncode == 0, finished.stdout + finished.stderr
        with sqlite3.connect(site.gradebook_path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            rows = db.execute("SELECT learner_id, score FROM submissions").fetchall()
            parts = db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        assert sorted(r[0] for r in rows) == learners
        assert all(score == 30 for _, score in rows)
        assert parts == len(learners) * len(site.paper("k00").answer_names)
    finally:
        site.cleanup()


def _rows(path) -> int:
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    except sqlite3.Error:
        return 0
