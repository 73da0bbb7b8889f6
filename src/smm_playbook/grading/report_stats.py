"""From gradebook rows to the report's statistics: items, reliability, distractors.

The gradebook has one row per answer (submission, part, points, outcome, and in
newer gradebooks the answer's `kind` and the `given` answer as JSON). These
functions take each learner's counted submission (see `results.best_results`)
and shape those rows for `psychometrics`, which holds the formulas:

- **difficulty** p: the mean share of a part's points earned (1 = everyone right);
- **discrimination**: the correlation between a part's score and the rest of the
  exam (total minus that part). Near zero or negative, the part does not
  separate stronger from weaker candidates and deserves a look;
- **upper − lower**: p among the top 27% of candidates minus p among the bottom
  27%, the classic index that does not need a correlation;
- **reliability** (KR-20, alpha) and the SEM, over form positions;
- **distractors** of single-choice parts, from the given answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypedDict

import pandas as pd

from smm_playbook._frames import records
from smm_playbook.checks import ChoiceQuestion
from smm_playbook.checks.errors import Incorrect
from smm_playbook.checks.values import normalise_choice
from smm_playbook.grading import psychometrics

if TYPE_CHECKING:
    from smm_playbook.grading import secret
    from smm_playbook.grading.items.framework import Part

# Per choice part of a paper: ({letter: option text}, the key's letter), or for
# a tick-every-option part the set of letters to tick.
PaperOptions = dict[str, tuple[dict[str, str], str | frozenset[str]]]


class ItemAnalysis(TypedDict):
    """A row of `item_analysis`."""

    part: str
    module: str
    section: str
    max_points: float
    candidates: int
    difficulty: float
    discrimination: float
    upper_minus_lower: float
    not_attempted: float
    commonest_mistake: str


class Reliability(TypedDict):
    """What `reliability_summary` finds, over form positions."""

    candidates: int
    left_out: int
    items: int
    dichotomous: int
    kr20: float
    alpha: float
    sem: float
    mean: float
    sd: float
    max_points: float


class _ChoiceAnswer(TypedDict):
    """The gradebook columns `choice_responses` reads of an answer row."""

    part: str
    outcome: str
    feedback: str
    given: str


class _MultiAnswer(TypedDict):
    """The gradebook columns `multi_ticks` reads of an answer row."""

    part: str
    points: float
    given: str


def item_analysis(results: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """One row per part: difficulty, discrimination and the commonest wrong answer."""
    scores = _counted(results, answers)
    if scores.empty:
        return pd.DataFrame()
    wide = scores.pivot_table(
        index="submission_id", columns="part", values="points", aggfunc="sum"
    )
    maxima = scores.groupby("part")["max_points"].first()
    # Forms drawn from a bank differ: a part is analysed over the candidates
    # who had it, against their whole exam (the totals are on the same points).
    totals = scores.groupby("submission_id")["points"].sum()
    tops = {str(part): float(top) for part, top in maxima.items()}
    stats = psychometrics.item_statistics(wide, tops, totals)
    by_item = {s["item"]: s for s in records(stats, psychometrics.ItemStatistics)}
    rows: list[ItemAnalysis] = []
    for name, info in scores.groupby("part", sort=False):
        part = str(name)  # parts are named by their answer variable
        item = by_item[part]
        wrong = info.loc[info["outcome"] == "incorrect", "feedback"]
        rows.append(
            {
                "part": part,
                "module": info["module"].iloc[0],
                "section": info["section"].iloc[0],
                "max_points": maxima[name],
                "candidates": item["candidates"],
                "difficulty": item["difficulty"],
                "discrimination": item["discrimination"],
                "upper_minus_lower": item["upper_minus_lower"],
                "not_attempted": float((info["outcome"] == "not_attempted").mean()),
                "commonest_mistake": wrong.mode().iloc[0] if len(wrong) else "",
            }
        )
    return pd.DataFrame(rows)


def _counted(results: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """The answers of each learner's counted (graded) submission."""
    if answers.empty or results.empty:
        return pd.DataFrame()
    graded = results[results["status"] == "graded"]
    return answers[answers["submission_id"].isin(graded["id"])]


def form_positions(scores: pd.DataFrame) -> pd.DataFrame:
    """Candidates × form positions (share of each position's points earned).

    Every form follows the same blueprint, so "Module 5's second item" exists
    on every paper even when the templates differ; reliability is computed over
    these positions (the reliability of randomly drawn parallel forms). When
    everyone sat the same items, a position is simply an item.
    """
    written = scores.get("kind", pd.Series("", index=scores.index)) == "written"
    frame = scores.assign(_written=written).sort_values(
        ["submission_id", "_written", "module", "section", "part"], kind="stable"
    )
    index = frame.groupby(["submission_id", "_written", "module"]).cumcount() + 1
    frame["position"] = [
        f"written {n}" if w else f"M{m} item {n}"
        for w, m, n in zip(frame["_written"], frame["module"], index, strict=True)
    ]
    return frame


def reliability_summary(
    results: pd.DataFrame, answers: pd.DataFrame
) -> Reliability | None:
    """KR-20 (right/wrong items), alpha (everything), SEM, over form positions;
    None when no graded submission has answers."""
    scores = _counted(results, answers)
    if scores.empty:
        return None
    frame = form_positions(scores)
    points = frame.pivot_table(
        index="submission_id", columns="position", values="points", aggfunc="sum"
    )
    complete = psychometrics.reliability_matrix(points)
    maxima = frame.groupby("position")["max_points"].first()
    dichotomous = [c for c in complete.columns if not c.startswith("written")]
    right = complete[dichotomous] / maxima[dichotomous]
    right_wrong = bool(len(right)) and bool(right.isin([0.0, 1.0]).all().all())
    alpha = psychometrics.cronbach_alpha(complete)
    totals = complete.sum(axis=1)
    return {
        "candidates": len(complete),
        "left_out": len(points) - len(complete),
        "items": complete.shape[1],
        "dichotomous": len(dichotomous),
        "kr20": psychometrics.kr20(right) if right_wrong else float("nan"),
        "alpha": alpha,
        "sem": psychometrics.sem(totals, alpha),
        "mean": float(totals.mean()) if len(totals) else float("nan"),
        "sd": float(totals.std(ddof=1)) if len(totals) > 1 else float("nan"),
        "max_points": float(maxima.sum()),
    }


KEY = "(the key)"  # the correct option, whichever it was on each paper


def choice_responses(
    results: pd.DataFrame,
    answers: pd.DataFrame,
    options: Callable[[pd.Series], PaperOptions | None] | None = None,
) -> tuple[pd.DataFrame, dict[str, dict[str, int]]]:
    """learner/part/given/outcome rows of single-choice parts, for distractors,
    and (with `options`) each part's options with how many candidates saw them.

    Needs the gradebook's `given` column (the answer as JSON). The key may be a
    different option on each paper (it follows the paper's data) and letters
    are shuffled, so a right answer counts as "(the key)" and a wrong one is
    named by what it shows: with `options(submission)` (see `paper_options`,
    which needs the exam secret) the option's text, and the distractors nobody
    chose are listed too; without it, the wrong-answer note the candidate got
    (the mistake that option stands for).
    """
    scores = _counted(results, answers)
    if scores.empty or "given" not in scores.columns:
        return pd.DataFrame(columns=["learner", "part", "given", "outcome"]), {}
    if "kind" in scores.columns:
        scores = scores[scores["kind"] == "choice"]
    submissions = results.set_index("id")
    rows: list[tuple[object, str, str, str]] = []
    listed: dict[str, dict[str, int]] = {}
    for sid, group in scores.groupby("submission_id", sort=True):
        row = submissions.loc[sid]  # one row: submission ids are unique
        shown = (options(row) if options and isinstance(row, pd.Series) else None) or {}
        for answer in records(group, _ChoiceAnswer):
            letter = _letter(answer["given"])
            if letter is None:
                continue
            part = answer["part"]
            texts, key = shown.get(part, ({}, ""))
            if texts:
                offered = listed.setdefault(part, {KEY: 0})
                for text in [KEY, *(t for x, t in texts.items() if x != key)]:
                    offered[text] = offered.get(text, 0) + 1
            if answer["outcome"] == "correct":
                label = KEY
            elif texts:
                label = texts.get(letter, f"({letter})")
            else:
                label = _mistake(answer["feedback"]) or f"({letter})"
            rows.append((sid, part, label, answer["outcome"]))
    frame = pd.DataFrame(rows, columns=["learner", "part", "given", "outcome"])
    return frame, {part: dict(sorted(n.items())) for part, n in listed.items()}


TICK_COLUMNS = ["learner", "part", "option", "applies", "ticked", "points"]


def multi_ticks(
    results: pd.DataFrame,
    answers: pd.DataFrame,
    options: Callable[[pd.Series], PaperOptions | None] | None = None,
) -> pd.DataFrame:
    """One row per candidate and option of each tick-every-option part they
    answered: the option's text, whether it applied on their paper, whether
    they ticked it, and the points they earned on the part (for
    `psychometrics.option_decisions`).

    Letters are shuffled per paper and which options apply follows each
    paper's data, so this needs `options` (`paper_options`, with the exam
    secret); without it there are no rows.
    """
    scores = _counted(results, answers)
    needed = {"given", "kind"}
    if options is None or scores.empty or not needed <= set(scores.columns):
        return pd.DataFrame(columns=TICK_COLUMNS)
    scores = scores[scores["kind"] == "multi"]
    submissions = results.set_index("id")
    rows: list[tuple[object, str, str, bool, bool, float]] = []
    for sid, group in scores.groupby("submission_id", sort=True):
        row = submissions.loc[sid]
        shown = (options(row) if isinstance(row, pd.Series) else None) or {}
        for answer in records(group, _MultiAnswer):
            texts, key = shown.get(answer["part"], ({}, ""))
            ticked = _letters(answer["given"], tuple(texts))
            if not texts or isinstance(key, str) or ticked is None:
                continue  # not attempted, unreadable, or not a paper we can rebuild
            for letter, text in texts.items():
                rows.append(
                    (
                        sid,
                        answer["part"],
                        text,
                        letter in key,
                        letter in ticked,
                        float(answer["points"]),
                    )
                )
    return pd.DataFrame(rows, columns=TICK_COLUMNS)


def _letters(given: str, letters: tuple[str, ...]) -> frozenset[str] | None:
    """The letters a tick-every-option answer gave, or None (none, or unreadable)."""
    try:
        value = json.loads(given) if given else None
        return None if value is None else normalise_choice(value, "answer", letters)
    except (ValueError, Incorrect):
        return None


def _mistake(feedback: str) -> str:
    """A wrong choice's note without its paper-specific letter: "(b) …" → "…"."""
    return re.sub(r"^\([a-z]\)\s*", "", str(feedback or "")).strip()


def _letter(given: str) -> str | None:
    """The one letter a choice answer gave, or None (no answer, not a letter)."""
    try:
        value = json.loads(given) if given else None
    except ValueError:
        return None
    if not isinstance(value, str):
        return None
    letter = value.strip().strip("()").strip().lower()
    return letter if len(letter) == 1 and letter.isalpha() else None


def paper_options(
    key: bytes | secret.Keys,
) -> Callable[[pd.Series], PaperOptions | None]:
    """A function from a submission row to each choice part's ({letter: text},
    key letter), by rebuilding that learner's paper with the exam secret `key`."""
    from smm_playbook.grading.exam import find_exam, paper_for

    def shown(row: pd.Series) -> PaperOptions | None:
        try:
            exam = find_exam(row["exam_id"], row["exam_version"])
            form = row.get("form")
            paper = paper_for(
                exam,
                key,
                row["learner_id"],
                int(row["attempt"]),
                form=None if form is None or form != form else int(form),
            )
        except Exception:  # an unknown exam or a missing bank: fall back to letters
            return None
        return {
            part.var: choice
            for section in paper.sections
            for part in section.parts
            if (choice := _choice(part)) is not None
        }

    return shown


def _choice(part: Part) -> tuple[dict[str, str], str | frozenset[str]] | None:
    """A choice part's {letter: text} and its key: the letter (single choice)
    or the set of letters to tick (every option that applies); None for any
    other part."""
    question = part.question
    if part.kind not in ("choice", "multi") or not isinstance(question, ChoiceQuestion):
        return None
    if not isinstance(question.options, dict):
        return None
    if part.kind == "choice" and isinstance(question.correct, str):
        return dict(question.options), question.correct
    if part.kind == "multi" and not isinstance(question.correct, str):
        return dict(question.options), frozenset(question.correct)
    return None
