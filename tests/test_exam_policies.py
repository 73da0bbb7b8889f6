"""Policies the software enforces: issue records, retakes, extra time, lateness."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from smm_playbook.grading import bank
from smm_playbook.grading.exam import CERTIFICATION
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.paper import Learner, RosterError, build_papers, read_roster
from smm_playbook.grading.policies import Override, PolicyRefusal, late_minutes
from smm_playbook.grading.secret import derive

KEY = derive(b"policy tests", "key")
# The written item alone: a form that needs no scored template.
EXAM = replace(CERTIFICATION, version="policy-test", blueprint=())
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LEARNERS = [Learner("ana.li", "Ana Li"), Learner("ben", "Ben Okafor", 30)]


@pytest.fixture
def book(tmp_path):
    gradebook = Gradebook(tmp_path / "gradebook.db")
    yield gradebook
    gradebook.close()


def build(book, tmp_path, attempt, now, override=None, learners=LEARNERS):
    return build_papers(
        EXAM,
        KEY,
        learners,
        tmp_path / f"papers{attempt}",
        attempt,
        gradebook=book,
        now=now,
        override=override,
    )


def test_build_records_each_issue_with_the_time_it_allows(book, tmp_path):
    build(book, tmp_path, 1, T0)
    (ana,) = book.issues("ana.li", EXAM.exam_id, EXAM.version)
    (ben,) = book.issues("ben", EXAM.exam_id, EXAM.version)
    assert ana.issued == T0 and ana.minutes_allowed == EXAM.minutes
    assert ben.extra_minutes == 30 and ben.minutes_allowed == EXAM.minutes + 30
    assert ana.templates in {t.key for t in bank.load("certification").written}


def test_a_rebuild_keeps_the_first_issue_time(book, tmp_path):
    build(book, tmp_path, 1, T0)
    build(book, tmp_path, 1, T0 + timedelta(hours=5))
    (ana,) = book.issues("ana.li", EXAM.exam_id, EXAM.version)
    assert ana.issued == T0


def test_a_retake_inside_the_waiting_period_is_refused_and_writes_nothing(
    book, tmp_path
):
    build(book, tmp_path, 1, T0)
    soon = T0 + timedelta(days=EXAM.waiting_days - 1)
    with pytest.raises(PolicyRefusal, match="waiting period is 14 days") as refused:
        build(book, tmp_path, 2, soon)
    assert "ana.li" in str(refused.value) and "ben" in str(refused.value)
    assert not (tmp_path / "papers2").exists()
    assert [i.attempt for i in book.issues("ana.li", EXAM.exam_id, EXAM.version)] == [1]
    later = T0 + timedelta(days=EXAM.waiting_days, minutes=1)
    assert len(build(book, tmp_path, 2, later)) == 2


def test_a_retake_before_the_first_attempt_is_refused(book, tmp_path):
    with pytest.raises(PolicyRefusal, match="attempt 1 was never issued"):
        build(book, tmp_path, 2, T0)


def test_over_the_attempt_limit_only_with_an_override_which_is_logged(book, tmp_path):
    when = T0
    for attempt in range(1, EXAM.max_attempts + 1):
        build(book, tmp_path, attempt, when)
        when += timedelta(days=EXAM.waiting_days + 1)
    with pytest.raises(PolicyRefusal, match="over the limit of 3 attempts"):
        build(book, tmp_path, 4, when)
    allowed = Override("Fire alarm stopped the third sitting", "Mei Chen (L&D)")
    build(book, tmp_path, 4, when, allowed, learners=LEARNERS[:1])
    fourth = book.issues("ana.li", EXAM.exam_id, EXAM.version)[-1]
    assert fourth.attempt == 4
    assert fourth.override_reason == allowed.reason and fourth.override_by == allowed.by


def test_an_override_is_recorded_only_for_the_learners_it_allowed(book, tmp_path):
    build(book, tmp_path, 1, T0, learners=LEARNERS[:1])
    later = T0 + timedelta(days=1)
    # ana needs the override for attempt 2; ben is sitting attempt 1 and does not
    build(book, tmp_path, 1, later, learners=LEARNERS[1:])
    with pytest.raises(PolicyRefusal):
        build(book, tmp_path, 2, later, learners=LEARNERS[:1])
    build(book, tmp_path, 2, later, Override("Manager's request", "HR"), LEARNERS[:1])
    assert book.issues("ana.li", EXAM.exam_id, EXAM.version)[1].override_by == "HR"
    assert book.issues("ben", EXAM.exam_id, EXAM.version)[0].override_by == ""


def test_lateness_counts_the_time_allowed_and_the_grace(book, tmp_path):
    build(book, tmp_path, 1, T0)
    ana, ben = (
        book.issues(x, EXAM.exam_id, EXAM.version)[0] for x in ("ana.li", "ben")
    )
    grace = EXAM.grace_minutes
    on_time = T0 + timedelta(minutes=EXAM.minutes + grace)
    assert late_minutes(ana, on_time, grace) is None
    assert late_minutes(ana, on_time + timedelta(minutes=7), grace) == 7.0
    assert late_minutes(ben, on_time + timedelta(minutes=7), grace) is None  # +30 min
    assert late_minutes(None, on_time + timedelta(days=9), grace) is None


def test_the_grader_records_the_hand_in_time_and_flags_late_work(book, tmp_path):
    from smm_playbook.grading.gradebook import Record
    from smm_playbook.grading.grader import with_hand_in

    build(book, tmp_path, 1, T0)
    handed = tmp_path / "ana.li.ipynb"
    handed.write_text("{}")
    stamp = (T0 + timedelta(minutes=EXAM.minutes + EXAM.grace_minutes + 25)).timestamp()
    os.utime(handed, (stamp, stamp))
    record = Record(
        "ana.li",
        EXAM.exam_id,
        EXAM.version,
        "a" * 64,
        "Ana Li",
        1,
        str(handed),
        "graded",
        "finished",
        "",
        1.0,
        1.0,
        True,
        0.0,
    )
    flagged = with_hand_in(record, handed, EXAM, book)
    assert flagged.late_minutes == 25.0
    assert flagged.handed_in_at.startswith("2026-11-02T11:")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "whole number of minutes"),
        ("-5", "between 0 and 600"),
        ("9999", "between 0 and 600"),
    ],
)
def test_bad_extra_time_names_the_line(tmp_path, cell, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(f"learner_id,name,extra_minutes\nana,Ana,{cell}\n")
    with pytest.raises(RosterError, match=f"line 2: .*{message}"):
        read_roster(roster)


def test_extra_time_is_optional_on_the_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("learner_id,name,extra_minutes\nana,Ana,\nben,Ben,25\n")
    assert [x.extra_minutes for x in read_roster(roster)] == [0, 25]
