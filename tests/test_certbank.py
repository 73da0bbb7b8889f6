"""The certification bank as a whole: coverage of every module, the form a
blueprint draws, overlap between learners and attempts, and separation from
the published practice bank (whose code must not pass a certification paper).

Each module's own tests (test_certbank_m<N>.py) check its templates in depth.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import numpy as np
import pytest

from bank_helpers import DECISIONS, build, model_outcomes, rule_problems
from conftest import toc_files
from smm_playbook.grading import bank
from smm_playbook.grading.exam import (
    CERTIFICATION,
    PRACTICE,
    assign_forms,
    form_for,
    paper_for,
)
from smm_playbook.grading.forms import FORMS
from smm_playbook.grading.paper import SETUP
from smm_playbook.grading.practice_bank import MODEL_ANSWERS as PRACTICE_CODE
from smm_playbook.grading.scoring import score

KEY = bytes(range(32))
CERT = bank.load("certification")
PRACTICE_BANK = bank.load("practice")
MIN_PER_MODULE = 5
COHORT = [f"learner{i:03d}" for i in range(200)]


def teaching_modules() -> list[str]:
    """The number of every module in the book but the certification itself."""
    found = []
    for page in toc_files():
        match = re.fullmatch(r"book/(\d\d)-([a-z-]+)/index", page)
        if match and match.group(2) != "certification":
            found.append(str(int(match.group(1))))
    return found


def test_every_module_of_the_book_has_enough_templates():
    modules = teaching_modules()
    assert len(modules) >= 9  # Modules 0-8 today; a new module needs its items
    sizes = CERT.sizes()
    short = {m: sizes.get(m, 0) for m in modules if sizes.get(m, 0) < MIN_PER_MODULE}
    assert not short, f"modules with fewer than {MIN_PER_MODULE} templates: {short}"
    assert sum(sizes.values()) >= 45
    assert set(CERTIFICATION.modules) == set(modules)


def test_every_template_keeps_the_rules_and_its_model_answers_score():
    for template in CERT.templates:
        for seed in range(12):
            assert not rule_problems(template, seed)
            section = build(template, seed)
            outcomes = model_outcomes(section)
            assert set(outcomes.values()) == {"correct"}, (template.key, outcomes)


def test_answer_names_are_unique_and_never_the_practice_banks():
    def names(items):
        return [p.var for t in items.templates for p in build(t, 0).parts]

    cert = names(CERT)
    assert len(cert) == len(set(cert)), Counter(cert).most_common(3)
    assert not set(cert) & set(names(PRACTICE_BANK))
    assert not any(re.fullmatch(r"(answer|q|part)_?\d+", n) for n in cert)


def test_the_bank_mixes_every_kind_of_item():
    kinds = Counter(p.kind for t in CERT.templates for p in build(t, 1).parts)
    assert DECISIONS | {"value", "written"} <= set(kinds), kinds
    for module in CERTIFICATION.modules:
        used = {p.kind for t in CERT.module(module) for p in build(t, 1).parts}
        assert len(used & DECISIONS) >= 2, (module, used)


def test_a_form_has_thirty_scored_items_and_the_same_weight_for_everyone():
    papers = [
        paper_for(CERTIFICATION, KEY, learner, form=form)
        for form, learner in enumerate(COHORT[:30])
    ]
    scored = [p for p in papers[0].sections for p in p.parts if p.kind != "written"]
    assert len(scored) >= 30
    assert len({p.max_points for p in papers}) == 1
    for paper in papers:
        assert len(set(paper.answer_names)) == len(paper.answer_names)
        modules = [s.module for s in paper.sections]
        assert modules[: len(CERTIFICATION.modules)] == list(CERTIFICATION.modules)


def overlap(a, b) -> float:
    return len(set(a) & set(b)) / len(a)


def test_every_template_gives_what_the_published_blueprint_promises():
    for template in CERT.templates:
        section = build(template, 3)
        if template.written:
            assert section.points == CERTIFICATION.written_points, template.key
        else:
            assert section.points == CERTIFICATION.points[template.module]
            assert len(section.parts) == CERTIFICATION.items[template.module]
    paper = paper_for(CERTIFICATION, KEY, "ana")
    assert paper.max_points == CERTIFICATION.published_points


def test_any_two_coded_forms_share_at_most_40_percent():
    forms = [form_for(CERTIFICATION, KEY, "", 1, form) for form in range(FORMS)]
    shares = [overlap(a, b) for a, b in combinations(forms, 2)]
    assert max(shares) <= 0.40
    assert np.mean(shares) <= 0.25
    assert len({tuple(t.key for t in f) for f in forms}) == FORMS


def test_retakes_share_at_most_40_percent_with_earlier_attempts():
    cohort = COHORT[:40]
    issued: dict = {}
    for attempt in (1, 2, 3):
        issued |= assign_forms(
            CERTIFICATION, KEY, [(who, attempt) for who in cohort], issued
        )
    assert len(set(issued.values())) == len(issued) == 120
    for learner in cohort:
        attempts = [
            form_for(CERTIFICATION, KEY, "", 1, issued[(learner, a)]) for a in (1, 2, 3)
        ]
        for a, b in combinations(attempts, 2):
            assert overlap(a, b) <= 0.40, learner
        # a second attempt, with 85 forms still free, shares nothing
        assert overlap(attempts[0], attempts[1]) == 0, learner


def _run_with(paper, code: dict[str, str]) -> dict:
    """Run a paper's cells with `code` in its answer cells, as a candidate's
    notebook would run (a failing cell does not stop the next)."""
    namespace: dict = {}
    exec(SETUP, namespace)  # noqa: S102 - our own code
    for section in paper.sections:
        cells = [section.data_code] + [code.get(p.var, "") for p in section.parts]
        for cell in cells:
            try:
                exec(cell, namespace)  # noqa: S102
            except Exception:  # noqa: BLE001, S112 - a candidate's cell may fail
                continue
    return {n: namespace[n] for n in paper.answer_names if n in namespace}


@pytest.mark.parametrize("guess", ["practice code only", "practice code and 'a'"])
def test_the_practice_pages_code_fails_every_certification_paper(guess):
    # 40 papers with their own coded forms, as `exam build` issues them
    for form, learner in enumerate(COHORT[:40]):
        paper = paper_for(CERTIFICATION, KEY, learner, form=form)
        code = dict(PRACTICE_CODE)
        if guess != "practice code only":  # and a letter for every choice
            code |= {
                p.var: f"{p.var} = 'a'"
                for s in paper.sections
                for p in s.parts
                if p.kind != "value"
            }
        answers = {
            name: value.item() if hasattr(value, "item") else value
            for name, value in _run_with(paper, code).items()
        }
        points = sum(r.points for r in score(paper, answers))
        assert 100 * points / paper.max_points < CERTIFICATION.pass_percent, learner


def test_the_practice_exam_covers_the_modules_with_a_practice_template():
    modules = {t.module for t in PRACTICE_BANK.templates}
    assert set(PRACTICE.modules) == modules
