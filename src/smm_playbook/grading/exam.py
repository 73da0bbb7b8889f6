"""Exam definitions, forms and papers.

An `ExamDefinition` (a YAML file in `grading/exams/`) is versioned: which bank
its items come from, a blueprint (how many templates of each module, and how
many written items), the pass mark and where it came from, the time allowed,
the retake rules and how long a pass stays valid.

A learner's *form* is the list of templates on their paper. An exam with
`forms: coded` (the certification) gives each paper of a version its own
numbered form (`grading.forms`: any two forms share at most 40% of their
templates); the number is assigned when the paper is issued and travels in the
paper's metadata and HMAC'd code. Otherwise (the practice exams, and papers
issued before coded forms) the form is *drawn*: for each module, the seed derived
from the trainer's secret, the exam and the learner id orders that module's
templates, and attempt N takes the next ones in that order. A `Paper` is the
form built: every section from its own seed. The grader calls `paper_for` again
at grading time, so the expected answers exist only in its memory.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import yaml

from smm_playbook.grading import bank, forms, secret
from smm_playbook.grading.items.framework import Section, Template

MODULE_TITLES = {
    "0": "The role",
    "1": "Strategy",
    "2": "Content",
    "3": "Community & moderation",
    "4": "Crisis",
    "5": "Paid social",
    "6": "ROI & analytics",
    "7": "Creators",
    "8": "Listening",
}

WRITTEN = "written"  # the blueprint slot for items a trainer marks


@dataclass(frozen=True)
class ExamDefinition:
    exam_id: str
    version: str
    title: str
    bank: str
    blueprint: tuple[tuple[str, int], ...]  # (module, templates)
    written: int  # written templates on each form
    pass_percent: float
    minutes: int
    valid_months: int
    grace_minutes: int = 10
    waiting_days: int = 0
    max_attempts: int = 0  # 0: no limit
    markers: int = 1  # trainers who mark each written answer
    disagreement_points: float = 2.0  # marks further apart go to a third marker
    retired: bool = False  # still graded and verified, but no new papers
    forms: str = "drawn"  # or "coded": numbered forms (see `grading.forms`)
    # What the blueprint promises of each template (the bank's tests hold it to
    # this): scored items and points per module, points of a written item.
    items: dict[str, int] = field(default_factory=dict, compare=False)
    points: dict[str, int] = field(default_factory=dict, compare=False)
    written_points: int = 0
    pass_mark_source: dict[str, Any] | str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return f"{self.exam_id}@{self.version}"

    @property
    def coded(self) -> bool:
        return self.forms == "coded"

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(module for module, _ in self.blueprint)

    @property
    def published_points(self) -> int | None:
        """The form's points as the blueprint states them (None if it does not)."""
        if set(self.points) != set(self.modules):
            return None
        scored = sum(count * self.points[m] for m, count in self.blueprint)
        return scored + self.written * self.written_points


@dataclass(frozen=True)
class Paper:
    exam: ExamDefinition
    learner_id: str
    attempt: int
    sections: tuple[Section, ...]
    name: str
    code: str
    form: int | None = None  # the coded form's number; None for a drawn form

    @property
    def max_points(self) -> int:
        return sum(section.points for section in self.sections)

    @property
    def answer_names(self) -> tuple[str, ...]:
        return tuple(p.var for s in self.sections for p in s.parts)

    @property
    def templates(self) -> tuple[str, ...]:
        return tuple(section.key for section in self.sections)


def definition_from(data: dict[str, Any]) -> ExamDefinition:
    """An exam definition from its YAML (see `grading/exams/`)."""
    retakes = data.get("retakes") or {}
    pass_mark = data["pass_mark"]
    written = data.get("written") or {}
    if isinstance(written, int):
        written = {"templates": written, "points": 0}
    return ExamDefinition(
        exam_id=data["exam_id"],
        version=str(data["version"]),
        title=data["title"],
        bank=data["bank"],
        blueprint=tuple(
            (str(row["module"]), int(row["templates"])) for row in data["blueprint"]
        ),
        written=int(written.get("templates", 0)),
        written_points=int(written.get("points", 0)),
        items={
            str(r["module"]): int(r["items"]) for r in data["blueprint"] if "items" in r
        },
        points={
            str(r["module"]): int(r["points"])
            for r in data["blueprint"]
            if "points" in r
        },
        pass_percent=float(pass_mark["percent"]),
        minutes=int(data["minutes"]),
        valid_months=int(data["valid_months"]),
        grace_minutes=int(data.get("grace_minutes", 0)),
        waiting_days=int(retakes.get("waiting_days", 0)),
        max_attempts=int(retakes.get("max_attempts", 0)),
        retired=bool(data.get("retired", False)),
        forms=_forms_kind(data, retakes),
        markers=int((data.get("marking") or {}).get("markers", 1)),
        disagreement_points=float(
            (data.get("marking") or {}).get("disagreement_points", 2)
        ),
        pass_mark_source=pass_mark.get("standard") or pass_mark.get("source", ""),
    )


def _forms_kind(data: dict[str, Any], retakes: dict[str, Any]) -> str:
    kind = str(data.get("forms", "drawn"))
    if kind not in ("drawn", "coded"):
        raise ValueError(
            f"{data['exam_id']}: forms is 'drawn' or 'coded', not {kind!r}."
        )
    if kind == "coded":
        if any(int(row["templates"]) != 1 for row in data["blueprint"]):
            raise ValueError(
                f"{data['exam_id']}: coded forms take one template per module."
            )
        if len(data["blueprint"]) > len(forms.POINTS):
            raise ValueError(
                f"{data['exam_id']}: coded forms cover at most {len(forms.POINTS)} "
                "modules."
            )
    return kind


def _load_definitions() -> dict[str, ExamDefinition]:
    folder = importlib.resources.files("smm_playbook.grading") / "exams"
    exams = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            exam = definition_from(yaml.safe_load(entry.read_text(encoding="utf-8")))
            exams[exam.key] = exam
    return exams


EXAMS = _load_definitions()
CERTIFICATION = EXAMS["smm-cert@2026.2"]
PRACTICE = EXAMS["smm-practice@2026.2"]

# The practice exam's secret is published on purpose: learners grade themselves.
PRACTICE_SECRET = secret.derive(b"smm-playbook practice exam", "public")


def find_exam(exam_id: str, version: str) -> ExamDefinition:
    try:
        return EXAMS[f"{exam_id}@{version}"]
    except KeyError:
        known = ", ".join(sorted(EXAMS))
        raise ValueError(
            f"No exam {exam_id} version {version}; known: {known}."
        ) from None


def form_for(
    exam: ExamDefinition,
    key: bytes | secret.Keys,
    learner_id: str,
    attempt: int = 1,
    form: int | None = None,
) -> tuple[Template, ...]:
    """The templates of `learner_id`'s paper for `attempt`, in paper order:
    coded form number `form`, or the learner's drawn form when it is None."""
    items = bank.load(exam.bank)
    if form is not None:
        if not exam.coded:
            raise ValueError(f"{exam.key} has drawn forms, not numbered ones.")
        return forms.form_templates(
            key,
            exam.key,
            [(module, items.module(module)) for module in exam.modules],
            items.written,
            exam.written,
            form,
        )
    slots = [(module, count, items.module(module)) for module, count in exam.blueprint]
    if exam.written:
        slots.append((WRITTEN, exam.written, items.written))
    drawn: list[Template] = []
    for module, count, templates in slots:
        if len(templates) < count:
            raise ValueError(
                f"The {exam.bank} bank has {len(templates)} template(s) for "
                f"{module!r}; the blueprint of {exam.key} asks for {count}."
            )
        seed = secret.seed(key, exam.exam_id, exam.version, learner_id, "form", module)
        order = np.random.default_rng(seed).permutation(len(templates))
        start = (attempt - 1) * count
        drawn += [templates[order[(start + j) % len(templates)]] for j in range(count)]
    return tuple(drawn)


def paper_for(
    exam: ExamDefinition,
    key: bytes | secret.Keys,
    learner_id: str,
    attempt: int = 1,
    name: str = "",
    form: int | None = None,
) -> Paper:
    """Build `learner_id`'s paper: the same inputs always give the same paper.

    `form` is the coded form's number (`assign_forms`), or None for the
    learner's drawn form.

    `key` is the loaded secret (`secret.load`), or raw bytes for a version-1
    secret such as the practice exam's.

    The name only enters the paper code, so that it cannot be edited either.
    """
    base = (exam.exam_id, exam.version, learner_id, str(attempt))
    sections = tuple(
        template.build(np.random.default_rng(secret.seed(key, *base, template.key)))
        for template in form_for(exam, key, learner_id, attempt, form)
    )
    code = paper_code(*base, name, key=key, form=form)
    return Paper(exam, learner_id, attempt, sections, name, code, form)


def assign_forms(
    exam: ExamDefinition,
    key: bytes | secret.Keys,
    requests: list[tuple[str, int]],
    issued: dict[tuple[str, int], int | None],
) -> dict[tuple[str, int], int]:
    """Coded form numbers for the (learner, attempt) pairs requested, given the
    version's papers already `issued` (see `grading.forms.assign`)."""
    cache: dict[int, tuple[str, ...]] = {}

    def templates_of(form: int) -> tuple[str, ...]:
        if form not in cache:
            cache[form] = tuple(t.key for t in form_for(exam, key, "", 1, form))
        return cache[form]

    return forms.assign(key, exam.key, requests, issued, templates_of)


@cache
def max_points(exam: ExamDefinition) -> int:
    """The exam's total points: the same on every paper, whatever the seed."""
    return paper_for(exam, bytes(secret.SECRET_BYTES), "any").max_points


def paper_code(
    exam_id: str,
    version: str,
    learner_id: str,
    attempt: int | str,
    name: str,
    *,
    key: bytes | secret.Keys,
    form: int | None = None,
) -> str:
    """The code a paper carries (an HMAC over whose paper it is, name and coded
    form number included)."""
    fields: tuple[str, ...] = (
        "paper",
        exam_id,
        version,
        learner_id,
        str(attempt),
        name,
    )
    if form is not None:
        fields += (f"form {form}",)
    return secret.paper_digest(key, *fields).hex()[:20]
