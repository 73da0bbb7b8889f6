"""Exam definitions, forms and papers.

An `ExamDefinition` (a YAML file in `grading/exams/`) is versioned: which bank
its items come from, a blueprint (how many templates of each module, and how
many written items), the pass mark and where it came from, the time allowed,
the retake rules and how long a pass stays valid.

A learner's *form* is the list of templates drawn for them: for each module of
the blueprint, the seed derived from the trainer's secret, the exam and the
learner id orders that module's templates, and attempt N takes the next ones in
that order, so a retake gets templates the learner has not had (until the bank
runs out). A `Paper` is the form built: every section from its own seed. The
grader calls `paper_for` again at grading time, so the expected answers exist
only in its memory.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import yaml

from smm_playbook.grading import bank, secret
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
    written: int
    pass_percent: float
    minutes: int
    valid_months: int
    grace_minutes: int = 10
    waiting_days: int = 0
    max_attempts: int = 0  # 0: no limit
    markers: int = 1  # trainers who mark each written answer
    disagreement_points: float = 2.0  # marks further apart go to a third marker
    retired: bool = False  # still graded and verified, but no new papers
    pass_mark_source: dict[str, Any] | str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return f"{self.exam_id}@{self.version}"

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(module for module, _ in self.blueprint)


@dataclass(frozen=True)
class Paper:
    exam: ExamDefinition
    learner_id: str
    attempt: int
    sections: tuple[Section, ...]
    name: str
    code: str

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
    return ExamDefinition(
        exam_id=data["exam_id"],
        version=str(data["version"]),
        title=data["title"],
        bank=data["bank"],
        blueprint=tuple(
            (str(row["module"]), int(row["templates"])) for row in data["blueprint"]
        ),
        written=int(data.get("written", 0)),
        pass_percent=float(pass_mark["percent"]),
        minutes=int(data["minutes"]),
        valid_months=int(data["valid_months"]),
        grace_minutes=int(data.get("grace_minutes", 0)),
        waiting_days=int(retakes.get("waiting_days", 0)),
        max_attempts=int(retakes.get("max_attempts", 0)),
        retired=bool(data.get("retired", False)),
        markers=int((data.get("marking") or {}).get("markers", 1)),
        disagreement_points=float(
            (data.get("marking") or {}).get("disagreement_points", 2)
        ),
        pass_mark_source=pass_mark.get("standard") or pass_mark.get("source", ""),
    )


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
    exam: ExamDefinition, key: bytes | secret.Keys, learner_id: str, attempt: int = 1
) -> tuple[Template, ...]:
    """The templates of `learner_id`'s paper for `attempt`, in paper order."""
    items = bank.load(exam.bank)
    slots = [(module, count, items.module(module)) for module, count in exam.blueprint]
    if exam.written:
        slots.append((WRITTEN, exam.written, items.written))
    form = []
    for module, count, templates in slots:
        if len(templates) < count:
            raise ValueError(
                f"The {exam.bank} bank has {len(templates)} template(s) for "
                f"{module!r}; the blueprint of {exam.key} asks for {count}."
            )
        seed = secret.seed(key, exam.exam_id, exam.version, learner_id, "form", module)
        order = np.random.default_rng(seed).permutation(len(templates))
        start = (attempt - 1) * count
        form += [templates[order[(start + j) % len(templates)]] for j in range(count)]
    return tuple(form)


def paper_for(
    exam: ExamDefinition,
    key: bytes | secret.Keys,
    learner_id: str,
    attempt: int = 1,
    name: str = "",
) -> Paper:
    """Build `learner_id`'s paper: the same inputs always give the same paper.

    `key` is the loaded secret (`secret.load`), or raw bytes for a version-1
    secret such as the practice exam's.

    The name only enters the paper code, so that it cannot be edited either.
    """
    base = (exam.exam_id, exam.version, learner_id, str(attempt))
    sections = tuple(
        template.build(np.random.default_rng(secret.seed(key, *base, template.key)))
        for template in form_for(exam, key, learner_id, attempt)
    )
    code = paper_code(*base, name, key=key)
    return Paper(exam, learner_id, attempt, sections, name, code)


@cache
def max_points(exam: ExamDefinition) -> int:
    """The exam's total points: the same on every paper, whatever the seed."""
    return paper_for(exam, bytes(secret.SECRET_BYTES), "any").max_points


def paper_code(exam_id, version, learner_id, attempt, name, *, key) -> str:
    """The code a paper carries (an HMAC over whose paper it is, name included)."""
    fields = ("paper", exam_id, version, learner_id, str(attempt), name)
    return secret.paper_digest(key, *fields).hex()[:20]
