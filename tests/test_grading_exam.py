"""Personalised papers (on the practice bank, whose sections are published),
rosters and the secret file. The certification bank is tested in
test_certbank.py."""

from __future__ import annotations

import json
import os
import stat

import nbformat
import numpy as np
import pytest

from grading_helpers import ExamSite
from smm_playbook.grading import bank, secret
from smm_playbook.grading.exam import PRACTICE, find_exam, paper_for
from smm_playbook.grading.model_answers import answer_code
from smm_playbook.grading.paper import RosterError, build_papers, read_roster
from smm_playbook.grading.practice_bank import MODEL_ANSWERS
from smm_playbook.grading.scoring import score
from smm_playbook.sim.rumour_spread import recommended_posture

KEY = bytes(range(32))
EXAM = PRACTICE


def test_every_module_contributes_a_section():
    paper = paper_for(EXAM, KEY, "ana")
    assert sorted({s.module for s in paper.sections}) == list("012345678")
    assert paper.max_points == sum(p.points for s in paper.sections for p in s.parts)
    assert len(set(paper.answer_names)) == len(paper.answer_names)


def test_same_learner_same_paper_and_neighbours_differ():
    first, again = paper_for(EXAM, KEY, "ana"), paper_for(EXAM, KEY, "ana")
    assert [s.data_code for s in first.sections] == [
        s.data_code for s in again.sections
    ]
    others = [paper_for(EXAM, KEY, f"learner{i}") for i in range(40)]
    for index, section in enumerate(first.sections):
        if section.data_code:  # every neighbour has different data
            assert all(o.sections[index].data_code != section.data_code for o in others)
    for name in first.answer_names:
        mine = _expected(first, name)
        answers = [_expected(other, name) for other in others]
        if isinstance(mine, float):  # a ratio of small counts may coincide, rarely
            assert answers.count(mine) <= 4, name
        else:  # letters: the right one varies from paper to paper
            assert len(set(answers)) >= 2, name


def _expected(paper, name):
    for section in paper.sections:
        for part in section.parts:
            if part.var == name:
                q = part.question
                return getattr(q, "expected", None) or q.correct
    raise KeyError(name)


def test_attempt_and_secret_change_the_paper():
    base = paper_for(EXAM, KEY, "ana")
    retake = paper_for(EXAM, KEY, "ana", attempt=2)
    other_key = paper_for(EXAM, bytes(32), "ana")
    assert base.sections[0].data_code != retake.sections[0].data_code
    assert base.sections[0].data_code != other_key.sections[0].data_code
    assert len({base.code, retake.code, other_key.code}) == 3


def test_model_answers_earn_every_point_from_the_data_alone():
    for learner in ("ana", "bo", "chen"):
        paper = paper_for(EXAM, KEY, learner)
        namespace: dict = {}
        book = _notebook_with_answers(paper)
        for cell in book.cells:
            if cell.cell_type == "code":
                exec(cell.source, namespace)
        answers = {name: namespace[name] for name in paper.answer_names}
        results = score(paper, {k: _plain(v) for k, v in answers.items()})
        wrong = [(r.part, r.feedback) for r in results if r.outcome != "correct"]
        assert not wrong


def _notebook_with_answers(paper):
    from smm_playbook.grading.model_answers import solve
    from smm_playbook.grading.paper import notebook

    return solve(notebook(paper), answer_code(paper))


def _plain(value):
    from smm_playbook.grading.sandbox import plain

    return plain(value)


def test_model_answers_cover_every_calculated_part():
    calculated = {
        p.var
        for s in paper_for(EXAM, KEY, "ana").sections
        for p in s.parts
        if not p.var.startswith("crisis")
    }
    assert calculated == set(MODEL_ANSWERS)


@pytest.mark.parametrize(
    ("part", "wrong", "says"),
    [
        ("er_reach_pct", "followers", "divided by followers"),
        ("cpa", "cpc", "cost per click"),
        ("roi_profit_pct", "revenue", "ROI on revenue"),
        ("incremental_conversions", "counts", "compare conversion rates"),
    ],
)
def test_typical_mistakes_get_targeted_feedback(part, wrong, says):
    paper = paper_for(EXAM, KEY, "ana")
    question = next(
        p.question for s in paper.sections for p in s.parts if p.var == part
    )
    answer = {
        "followers": question.misconceptions[0].answer,
        "cpc": question.misconceptions[0].answer,
        "revenue": question.misconceptions[0].answer,
        "counts": question.misconceptions[0].answer,
    }[wrong]
    [result] = [r for r in score(paper, {part: answer}) if r.part == part]
    assert result.outcome == "incorrect"
    assert says in result.feedback


def test_wrong_types_are_marked_not_raised():
    paper = paper_for(EXAM, KEY, "ana")
    odd = {
        "er_reach_pct": "3.2%",
        "top_post": 2,
        "best_platform": None,
        "ctr_lift_pct": [1.0, 2.0],
        "cpm": {"unreadable": "a DataFrame"},
        "roas": {"too_long": "text of 9,000 characters"},
        "cpa": {"placeholder": True},
        "roi_profit_pct": {"strange": 1, "shape": 2},
    }
    results = {r.part: r for r in score(paper, odd)}
    for name in odd:
        assert results[name].outcome in ("incorrect", "not_attempted"), name
        assert results[name].points == 0
        assert results[name].feedback
    assert "DataFrame" in results["cpm"].feedback
    assert results["cpa"].outcome == "not_attempted"


def test_the_crisis_rule_moves_one_step_per_intensifier():
    assert recommended_posture("victim") == "base"
    assert recommended_posture("victim", 1) == "diminish"
    assert recommended_posture("accidental", 1) == "rebuild"
    assert recommended_posture("preventable", 2) == "rebuild"
    with pytest.raises(ValueError, match="cluster"):
        recommended_posture("unlucky")


def test_every_builder_is_deterministic_for_a_seed():
    for template in bank.load("practice").templates:
        a = template.build(np.random.default_rng(7))
        b = template.build(np.random.default_rng(7))
        assert (a.prompt, a.data_code) == (b.prompt, b.data_code), template.key


def test_paper_holds_no_answer_key_or_secret(tmp_path):
    site = ExamSite(EXAM)
    try:
        [path] = build_papers(EXAM, site.key, [_learner("ana")], tmp_path)
        text = path.read_text()
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        assert site.key.hex() not in text
        assert set(book.metadata["smm_exam"]) == {
            "exam",
            "version",
            "learner",
            "name",
            "attempt",
            "paper",
        }
        paper = site.paper("ana")
        for section in paper.sections:
            for part in section.parts:
                expected = getattr(part.question, "expected", None)
                if expected is not None:
                    assert repr(expected) not in text
        assert "expected" not in text and "correct" not in json.dumps(book.metadata)
        assert text.count("= ____") == len(paper.answer_names)
    finally:
        site.cleanup()


def _learner(learner_id):
    from smm_playbook.grading.paper import Learner

    return Learner(learner_id, learner_id.title())


def test_rebuilding_papers_gives_identical_files(tmp_path):
    learners = [_learner("ana"), _learner("bo")]
    first = [p.read_bytes() for p in build_papers(EXAM, KEY, learners, tmp_path / "a")]
    second = [p.read_bytes() for p in build_papers(EXAM, KEY, learners, tmp_path / "b")]
    assert first == second


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("learner_id,name\nana,Ana\nana,Ana again\n", "appears twice"),
        ("learner_id,name\n../etc,Eve\n", "must be 1-64"),
        ("learner_id,name\nbo,\n", "name is empty"),
        ("id,full name\nbo,Bo\n", "header row"),
        ("", "header row"),
        ('learner_id,name\n"an\na",Ana\n', "must be 1-64"),
        ("learner_id,name\n\uff41na,Ana\n", "write it as 'ana'"),  # full-width a
        ("learner_id,name\n\u0430na,Ana\n", "look-alikes"),  # Cyrillic a
        ("learner_id,name\nAna,Ana\nana,Ana again\n", "line 3: ana appears twice"),
        ("learner_id,name\nbo,Bo\x1b[31m\n", "control characters"),
    ],
)
def test_roster_problems_name_the_line(tmp_path, content, message):
    path = tmp_path / "roster.csv"
    path.write_text(content)
    with pytest.raises(RosterError, match=message):
        read_roster(path)


def test_a_learner_id_cannot_end_in_a_newline():
    from smm_playbook.grading.paper import id_problem

    assert id_problem("ana") == ""
    assert "must be 1-64" in id_problem("ana\n")


def test_roster_reads_utf8_with_bom_and_chinese_names(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("\ufefflearner_id,name\nwang.wei,王伟\n", encoding="utf-8")
    [learner] = read_roster(path)
    assert (learner.learner_id, learner.name) == ("wang.wei", "王伟")


def test_secret_file_is_private_and_never_overwritten(tmp_path):
    path = secret.create(tmp_path / "s" / "exam.secret")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret.load(path).version == 2  # key-separated (tests/test_keys.py)
    with pytest.raises(secret.SecretError, match="already exists"):
        secret.create(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "No secret file"), ("zz", "not a secret"), ("abcd", "holds 2 bytes")],
)
def test_bad_secret_files_say_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "exam.secret"
    if content is not None:
        path.write_text(content)
    with pytest.raises(secret.SecretError, match=message):
        secret.load(path)


def test_unknown_exam_lists_the_known_ones():
    assert find_exam(PRACTICE.exam_id, PRACTICE.version) is PRACTICE
    with pytest.raises(ValueError, match="smm-cert@"):
        find_exam("smm-cert", "1999")
