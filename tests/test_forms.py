"""Coded forms: the plane geometry behind the 40% limit, and how papers get them."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

import nbformat
import pytest

from smm_playbook.grading import forms
from smm_playbook.grading.exam import CERTIFICATION, assign_forms, paper_for
from smm_playbook.grading.gradebook import Gradebook, GradebookError
from smm_playbook.grading.paper import METADATA_KEY, Learner, build_papers, notebook
from smm_playbook.grading.policies import Issue, PolicyRefusal
from smm_playbook.grading.secret import derive
from smm_playbook.grading.submissions import read

KEY = derive(b"coded form tests", "key")
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _projective_points(p: int):
    points = set()
    for v in itertools.product(range(p), repeat=3):
        if any(v):
            first = next(x for x in v if x)
            inverse = pow(first, -1, p)
            points.add(tuple(x * inverse % p for x in v))
    return sorted(points)


def test_no_line_of_the_plane_holds_four_of_the_modules_points():
    plane = _projective_points(forms.FIELD)
    assert len(plane) == 31
    assert len(set(forms.POINTS)) == len(forms.POINTS)
    assert set(forms.POINTS) <= set(plane)  # normalised points of the plane
    for line in plane:  # the lines of PG(2, 5) are its points, by duality
        on_line = [
            p
            for p in forms.POINTS
            if sum(a * b for a, b in zip(p, line, strict=True)) % 5 == 0
        ]
        assert len(on_line) <= 3, (line, on_line)


def test_two_forms_agree_in_a_module_exactly_when_the_geometry_says():
    for f, g in [(0, 1), (7, 93), (124, 62), (31, 32)]:
        difference = [
            (x - y) % 5 for x, y in zip(forms.digits(f), forms.digits(g), strict=True)
        ]
        for slot, point in enumerate(forms.POINTS):
            on_line = (
                sum(d * c for d, c in zip(difference, point, strict=True)) % 5 == 0
            )
            same = forms.slot_value(f, slot) == forms.slot_value(g, slot)
            assert same == on_line


@pytest.mark.parametrize("form", [-1, 125, 10**9])
def test_a_form_number_out_of_range_is_refused(form):
    with pytest.raises(ValueError, match="between 0 and 124"):
        forms.digits(form)


def test_each_request_gets_its_own_form_and_a_known_one_keeps_it():
    first = assign_forms(CERTIFICATION, KEY, [("ana", 1), ("bo", 1)], {})
    assert len(set(first.values())) == 2
    again = assign_forms(CERTIFICATION, KEY, [("ana", 1), ("cy", 1)], dict(first))
    assert again[("ana", 1)] == first[("ana", 1)]
    assert again[("cy", 1)] not in first.values()


def test_when_every_form_is_out_a_new_paper_is_refused():
    issued = {(f"l{f}", 1): f for f in range(forms.FORMS)}
    with pytest.raises(forms.FormsExhausted, match="All 125 forms"):
        assign_forms(CERTIFICATION, KEY, [("late.joiner", 1)], issued)


@pytest.fixture
def gradebook(tmp_path):
    book = Gradebook(tmp_path / "gradebook.db")
    yield book
    book.close()


def _metadata(path):
    return nbformat.read(path, as_version=4).metadata[METADATA_KEY]


def test_papers_built_in_two_batches_never_repeat_a_form(gradebook, tmp_path):
    first = [Learner("ana", "Ana Li"), Learner("bo", "Bo Wang")]
    later = [Learner("cy", "Cy Zhou")]
    paths = build_papers(
        CERTIFICATION, KEY, first, tmp_path / "a", gradebook=gradebook, now=T0
    )
    paths += build_papers(
        CERTIFICATION, KEY, later, tmp_path / "b", gradebook=gradebook, now=T0
    )
    numbers = [_metadata(p)["form"] for p in paths]
    assert len(set(numbers)) == 3 and all(isinstance(n, int) for n in numbers)
    issued = gradebook.issued_forms(CERTIFICATION.exam_id, CERTIFICATION.version)
    assert issued == {
        ("ana", 1): numbers[0],
        ("bo", 1): numbers[1],
        ("cy", 1): numbers[2],
    }
    # a rebuild writes the very same notebook: same form, same code
    before = paths[0].read_bytes()
    build_papers(CERTIFICATION, KEY, first, tmp_path / "a", gradebook=gradebook, now=T0)
    assert paths[0].read_bytes() == before


def test_two_builds_at_once_cannot_issue_one_form_twice(gradebook):
    paper = paper_for(CERTIFICATION, KEY, "ana", 1, "Ana Li", form=5)
    issue = Issue(
        "ana",
        "smm-cert",
        CERTIFICATION.version,
        1,
        paper.code,
        "",
        T0.isoformat(),
        120,
        0,
        form=5,
    )
    gradebook.issue_paper(issue)
    clash = replace(issue, learner_id="bo")
    with pytest.raises(GradebookError, match="Form 5 .* another build"):
        gradebook.issue_paper(clash)


def test_a_full_version_refuses_the_build_with_a_message(gradebook, tmp_path):
    for form in range(forms.FORMS):
        gradebook.issue_paper(
            Issue(
                f"l{form}",
                "smm-cert",
                CERTIFICATION.version,
                1,
                "x",
                "",
                T0.isoformat(),
                120,
                0,
                form=form,
            )
        )
    with pytest.raises(PolicyRefusal, match="All 125 forms .* new exam version"):
        build_papers(
            CERTIFICATION,
            KEY,
            [Learner("zed", "Zed")],
            tmp_path / "p",
            gradebook=gradebook,
            now=T0,
        )
    assert not (tmp_path / "p").exists()


def _handed_in(tmp_path, book, learner="ana"):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    path = folder / f"{learner}.ipynb"
    nbformat.write(book, path)
    return read(path, folder, CERTIFICATION, KEY)


def test_the_grader_reads_the_form_and_a_changed_form_is_caught(tmp_path):
    paper = paper_for(CERTIFICATION, KEY, "ana", 1, "Ana Li", form=17)
    book = notebook(paper)
    submission = _handed_in(tmp_path, book)
    assert (submission.status, submission.form) == ("ready", 17)
    book.metadata[METADATA_KEY]["form"] = 18  # an easier form, the candidate hopes
    assert _handed_in(tmp_path, book).status == "wrong_paper"
    assert "code does not match" in _handed_in(tmp_path, book).message
    for bad in ("17", 17.0, True, 125, -1):
        book.metadata[METADATA_KEY]["form"] = bad
        submission = _handed_in(tmp_path, book)
        assert submission.status == "wrong_paper"
        assert "form number" in submission.message


def test_a_paper_from_before_coded_forms_still_verifies(tmp_path):
    drawn = paper_for(CERTIFICATION, KEY, "ana", 1, "Ana Li")  # no form number
    book = notebook(drawn)
    assert "form" not in book.metadata[METADATA_KEY]
    submission = _handed_in(tmp_path, book)
    assert (submission.status, submission.form) == ("ready", None)


def test_a_coded_form_is_refused_for_an_exam_with_drawn_forms():
    drawn_exam = replace(CERTIFICATION, forms="drawn")
    with pytest.raises(ValueError, match="drawn forms"):
        paper_for(drawn_exam, KEY, "ana", form=3)
