"""Exam definitions and papers.

An `ExamDefinition` is versioned: which sections, the pass mark, the time
allowed and how long a pass stays valid. A `Paper` is one learner's instance of
it: every section built from a seed derived from the trainer's secret, the exam
version, the learner id and the attempt number. The grader calls `paper_for`
again at grading time, so the expected answers exist only in its memory.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from smm_playbook.grading import secret
from smm_playbook.grading.items import BUILDERS, Section

MODULE_TITLES = {
    "0": "The role",
    "1": "Strategy",
    "2": "Content",
    "3": "Community & moderation",
    "4": "Crisis",
    "5": "Paid social",
    "6": "ROI & analytics",
}


@dataclass(frozen=True)
class ExamDefinition:
    exam_id: str
    version: str
    title: str
    sections: tuple[str, ...]
    pass_percent: float
    minutes: int
    valid_months: int

    @property
    def key(self) -> str:
        return f"{self.exam_id}@{self.version}"


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


ALL_SECTIONS = tuple(BUILDERS)

CERTIFICATION = ExamDefinition(
    exam_id="smm-cert",
    version="2026.1",
    title="Social Media Manager Certification",
    sections=ALL_SECTIONS,
    pass_percent=70.0,
    minutes=120,
    valid_months=24,
)

PRACTICE = replace(
    CERTIFICATION,
    exam_id="smm-practice",
    title="Social Media Manager Certification: practice exam",
    valid_months=0,  # a practice pass certifies nothing
)

# The practice exam's secret is published on purpose: learners grade themselves.
PRACTICE_SECRET = secret.derive(b"smm-playbook practice exam", "public")

EXAMS = {exam.key: exam for exam in (CERTIFICATION, PRACTICE)}


def find_exam(exam_id: str, version: str) -> ExamDefinition:
    try:
        return EXAMS[f"{exam_id}@{version}"]
    except KeyError:
        known = ", ".join(sorted(EXAMS))
        raise ValueError(
            f"No exam {exam_id} version {version}; known: {known}."
        ) from None


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
        BUILDERS[name](np.random.default_rng(secret.seed(key, *base, name)))
        for name in exam.sections
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
