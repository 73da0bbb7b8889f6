"""A pass mark from a panel's judgement: the modified Angoff method.

Each judge says, for every item, the probability that a *minimally competent
candidate* (someone who only just deserves the certificate) answers it right;
for an item scored 0..N (the written item) the rating is the score such a
candidate would be expected to get, out of N. The cut score is the sum over
items of the mean rating (Angoff 1971; Cizek & Bunch 2007, ch. 6), in points
and as a percent of the maximum. Each judge's own ratings imply a cut; their
spread (SD, and the standard error SD/√judges) says how much the panel agrees.

The ratings file is a CSV, UTF-8, lines starting with `#` ignored, in either form:

- **long**: columns `judge,item,rating`, optionally `round` (1, 2, …; default 1)
  and `max_points` (the item's maximum; default 1);
- **wide**: a `judge` column, optionally `round`, then one column per item; an
  optional row whose judge is `max_points` gives items' maxima (blank = 1).

Pure parsing and arithmetic; the command `smm-playbook exam standard-set` reads
the file and writes the YAML record an exam definition holds under `pass_mark:`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from smm_playbook.grading.exam import Paper
    from smm_playbook.grading.items.framework import Part, Section

METHOD = "modified Angoff"
MAX_ROW = "max_points"  # the wide form's row of item maxima
DISAGREEMENT = 0.25  # a spread (highest − lowest rating, 0..1 scale) worth discussing
MAX_ERRORS = 8  # problems listed before "and N more"

# One rating as read: (line number, judge, item, round, rating), all as written.
Cell = tuple[int, str, str, str, str]
Numbered = list[tuple[int, list[str]]]  # the file's rows after the header
Read = tuple[list[Cell], dict[str, float], list[str]]  # cells, maxima, errors


class RatingsError(ValueError):
    """The ratings file cannot be used; the message says why, in plain words."""


@dataclass(frozen=True)
class Ratings:
    table: pd.DataFrame  # judge, item, round, rating (points)
    max_points: dict[str, float]  # per item, in the file's item order
    name: str
    sha256: str

    @property
    def rounds(self) -> list[int]:
        return sorted(self.table["round"].unique().tolist())


@dataclass(frozen=True)
class AngoffResult:
    round: int
    judges: int
    items: int
    max_points: float
    cut_points: float
    judge_cuts: pd.Series  # percent, per judge
    item_table: pd.DataFrame  # item, max_points, mean, share, sd, spread, discuss

    @property
    def cut_percent(self) -> float:
        return 100 * self.cut_points / self.max_points

    @property
    def judge_sd_percent(self) -> float:
        return float(self.judge_cuts.std(ddof=1))

    @property
    def se_percent(self) -> float:
        return self.judge_sd_percent / math.sqrt(self.judges)


def read_ratings(path: Path) -> Ratings:
    """Read and check a ratings file; RatingsError says what is wrong."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RatingsError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise RatingsError(f"{path} is a folder; give the ratings CSV file.") from None
    except OSError as error:
        raise RatingsError(f"{path} cannot be read ({error.strerror}).") from None
    return parse_ratings(raw, path.name)


def parse_ratings(raw: bytes, name: str = "ratings.csv") -> Ratings:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RatingsError(
            f"{name} is not UTF-8 text. In a spreadsheet, save it as "
            "'CSV UTF-8 (comma delimited)'."
        ) from None
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise RatingsError(f"{name} is empty: it has no header and no ratings.")
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in lines))))
    header = [cell.strip() for cell in rows[0]]
    numbered = list(zip([n for n, _ in lines[1:]], rows[1:], strict=True))
    if not numbered:
        raise RatingsError(f"{name} has a header but no ratings.")
    lowered = [cell.lower() for cell in header]
    if {"judge", "item", "rating"} <= set(lowered):
        cells, maxima, errors = _long(lowered, numbered)
    elif lowered[0] == "judge":
        cells, maxima, errors = _wide(header, numbered)
    else:
        raise RatingsError(
            f"{name}: the first line should be the header 'judge,item,rating' "
            "(long form) or 'judge,<item>,<item>,…' (wide form); it is "
            f"'{','.join(header)[:80]}'."
        )
    table = _checked(cells, maxima, errors, name)
    return Ratings(table, maxima, name, hashlib.sha256(raw).hexdigest())


def _long(header: list[str], numbered: Numbered) -> Read:
    extra = set(header) - {"judge", "item", "rating", "round", MAX_ROW}
    if extra:
        raise RatingsError(
            f"Unknown column(s) {', '.join(sorted(extra))}; the long form has "
            "judge, item, rating and optionally round and max_points."
        )
    cells: list[Cell] = []
    maxima: dict[str, float] = {}
    stated: dict[str, float] = {}
    errors: list[str] = []
    for number, row in numbered:
        value = dict(zip(header, (c.strip() for c in row), strict=False))
        where = f"line {number}"
        if len(row) != len(header):
            errors.append(f"{where} has {len(row)} values, the header {len(header)}.")
            continue
        item = value["item"]
        if value.get(MAX_ROW) and item:  # blank: stated on another line, or 1
            top = _number(value[MAX_ROW], f"max_points of {item}, {where}")
            if isinstance(top, str):
                errors.append(top)
            elif stated.setdefault(item, top) != top:
                errors.append(f"{where}: {item} has two different max_points.")
        maxima[item] = stated.get(item, 1.0)
        cells.append(
            (number, value["judge"], item, value.get("round", ""), value["rating"])
        )
    return cells, maxima, errors


def _wide(header: list[str], numbered: Numbered) -> Read:
    has_round = len(header) > 1 and header[1].lower() == "round"
    items = header[2 if has_round else 1 :]
    if not items:
        raise RatingsError("The header names no items after 'judge'.")
    blank = [i + 1 for i, item in enumerate(items) if not item]
    twice = sorted({item for item in items if items.count(item) > 1})
    if blank or twice:
        raise RatingsError(
            "Every item column needs its own name in the header"
            + (f"; {', '.join(twice)} appear more than once" if twice else "")
            + "."
        )
    cells: list[Cell] = []
    maxima = dict.fromkeys(items, 1.0)
    errors: list[str] = []
    for number, raw in numbered:
        row = [c.strip() for c in raw]
        if len(row) != len(header):
            errors.append(
                f"line {number} has {len(row)} values, the header {len(header)}."
            )
            continue
        values = row[2 if has_round else 1 :]
        if row[0].lower() == MAX_ROW:
            for item, value in zip(items, values, strict=True):
                top = _number(value or "1", f"max_points of {item}, line {number}")
                if isinstance(top, str):
                    errors.append(top)
                else:
                    maxima[item] = top
            continue
        for item, value in zip(items, values, strict=True):
            cells.append((number, row[0], item, row[1] if has_round else "", value))
    return cells, maxima, errors


def _number(text: str, where: str) -> float | str:
    """The number in `text`, or an error message naming where it was."""
    try:
        value = float(text)
    except ValueError:
        return f"'{text}' is not a number ({where})."
    return value if math.isfinite(value) else f"'{text}' is not a number ({where})."


def _checked(
    cells: list[Cell], maxima: dict[str, float], found: list[str], name: str
) -> pd.DataFrame:
    errors = list(found)
    errors += [
        f"{item}: max_points must be above 0." for item, t in maxima.items() if t <= 0
    ]
    rows: list[tuple[str, str, int, float]] = []
    seen: dict[tuple[str, str, int], int] = {}
    for number, judge, item, round_text, text in cells:
        where = f"judge {judge or '?'}, item {item or '?'}, line {number}"
        if not judge or not item:
            errors.append(f"line {number}: a rating needs a judge and an item.")
            continue
        round_ = _round(round_text, where, errors)
        if not text:
            errors.append(f"Missing rating ({where}).")
            continue
        value = _number(text.rstrip("%"), where)
        if isinstance(value, str):
            errors.append(value)
            continue
        top = maxima.get(item, 1.0)
        if text.endswith("%") or not 0 <= value <= top:
            hint = (
                "a probability from 0 to 1 (0.6, not 60%)"
                if top == 1
                else (f"an expected score from 0 to {top:g}")
            )
            errors.append(f"{text} is out of range ({where}): give {hint}.")
            continue
        if (judge, item, round_) in seen:
            errors.append(
                f"Judge {judge} rated {item} twice in round {round_} (lines "
                f"{seen[judge, item, round_]} and {number})."
            )
            continue
        seen[judge, item, round_] = number
        rows.append((judge, item, round_, value))
    table = pd.DataFrame(rows, columns=["judge", "item", "round", "rating"])
    errors += _missing(table)
    if not errors and table["judge"].nunique() < 2:
        errors.append("An Angoff panel needs at least two judges.")
    if errors:
        more = len(errors) - MAX_ERRORS
        listed = "\n".join(f"- {e}" for e in errors[:MAX_ERRORS])
        tail = f"\n- and {more} more." if more > 0 else ""
        raise RatingsError(f"{name} cannot be used yet:\n{listed}{tail}")
    return table


def _round(text: str, where: str, errors: list[str]) -> int:
    if not text:
        return 1
    if text.isdigit() and int(text) >= 1:
        return int(text)
    errors.append(f"Round '{text}' should be 1, 2, … ({where}).")
    return 1


def _missing(table: pd.DataFrame) -> list[str]:
    """Every judge of a round rates every item of the file."""
    problems = []
    items = table["item"].unique()
    for round_, group in table.groupby("round"):
        rated = set(zip(group["judge"], group["item"], strict=True))
        for judge in group["judge"].unique():
            gaps = [item for item in items if (judge, item) not in rated]
            if gaps:
                problems.append(
                    f"Judge {judge} has no round-{round_} rating for "
                    f"{', '.join(gaps[:5])}{' …' if len(gaps) > 5 else ''}."
                )
    return problems


def angoff(ratings: Ratings, round_: int | None = None) -> AngoffResult:
    """The cut score of one round (default: the last)."""
    round_ = ratings.rounds[-1] if round_ is None else round_
    if round_ not in ratings.rounds:
        raise RatingsError(
            f"There is no round {round_}; the file has {ratings.rounds}."
        )
    table = ratings.table[ratings.table["round"] == round_]
    wide = table.pivot(index="judge", columns="item", values="rating")
    items = [item for item in ratings.max_points if item in wide.columns]
    wide = wide[items]
    maxima = pd.Series({item: ratings.max_points[item] for item in items})
    share = wide / maxima
    total = float(maxima.sum())
    spread = share.max() - share.min()
    item_table = pd.DataFrame(
        {
            "item": items,
            "max_points": maxima.values,
            "mean": wide.mean().values,
            "share": share.mean().values,
            "sd": share.std(ddof=1).values,
            "spread": spread.values,
            "discuss": (spread > DISAGREEMENT + 1e-9).values,
        }
    )
    return AngoffResult(
        round=round_,
        judges=len(wide),
        items=len(items),
        max_points=total,
        cut_points=float(wide.mean().sum()),
        judge_cuts=100 * wide.sum(axis=1) / total,
        item_table=item_table,
    )


def record(ratings: Ratings, result: AngoffResult, on: date) -> dict[str, object]:
    """The YAML record an exam definition keeps under `pass_mark: standard:`."""
    entry: dict[str, object] = {
        "method": METHOD,
        "judges": result.judges,
        "items": result.items,
        "rounds": len(ratings.rounds),
        "round_used": result.round,
        "date": on.isoformat(),
        "ratings_file": ratings.name,
        "ratings_sha256": ratings.sha256,
        "max_points": round(result.max_points, 2),
        "cut_points": round(result.cut_points, 2),
        "cut_percent": round(result.cut_percent, 1),
        "judge_sd_percent": round(result.judge_sd_percent, 1),
        "se_percent": round(result.se_percent, 1),
    }
    if len(ratings.rounds) > 1:
        entry["cut_percent_by_round"] = {
            r: round(angoff(ratings, r).cut_percent, 1) for r in ratings.rounds
        }
    return entry


def form_items(paper: Paper) -> list[tuple[str, Section, Part]]:
    """(item id, section, part) for each scored part of a paper, in paper order.

    The id names the part's place on the form: `m5_2` is Module 5's second
    item, `written` the written item (`written_2` a second one). Every form of
    a blueprint has the same places, so the ids suit any learner's paper.
    """
    counts: dict[str, int] = {}
    items: list[tuple[str, Section, Part]] = []
    for section in paper.sections:
        for part in section.parts:
            written = getattr(part, "kind", "") == "written"
            slot = "written" if written else f"m{section.module}"
            counts[slot] = counts.get(slot, 0) + 1
            n = counts[slot]
            name = slot if written and n == 1 else f"{slot}_{n}"
            items.append((name, section, part))
    return items


def key_text(part: Part) -> str:
    """What a correct answer is, in words a judge can check against the item."""
    question = part.question
    if getattr(part, "kind", "") == "written":
        rubric = getattr(part, "rubric", None)
        criteria = "; ".join(c.name for c in rubric.criteria) if rubric else ""
        return (
            f"marked by trainers against the rubric ({part.points} points): {criteria}"
        )
    if hasattr(question, "expected"):
        unit = getattr(question, "unit", None)
        return f"{question.expected:.6g}" + (f" {unit}" if unit else "")
    correct = getattr(part, "key", "") or getattr(question, "correct", "")
    if isinstance(correct, frozenset):
        correct = ", ".join(sorted(correct))
    options = getattr(question, "options", {}) or {}
    if isinstance(correct, str) and correct in options:
        return f"({correct}) {options[correct]}"
    return str(correct)


def rating_sheet(paper: Paper, title: str, judges: int = 6) -> tuple[str, str]:
    """The panel's confidential sheet (Markdown: every item with its key) and a
    blank wide ratings CSV for it (a round-1 row per judge to fill in)."""
    items = form_items(paper)
    lines = [
        f"# Angoff rating sheet: {title}",
        "",
        "CONFIDENTIAL: certification items and their keys. Print for the panel, "
        "collect every copy after the session and delete this file.",
        "",
        "For each item: out of 100 minimally competent candidates, how many would "
        "answer it correctly? Write the probability (0.6, not 60). For the written "
        "item, write the score such a candidate would be expected to earn.",
    ]
    shown: set[str] = set()
    for name, section, part in items:
        if section.key not in shown:
            shown.add(section.key)
            lines += ["", f"## Module {section.module}: {section.title}", ""]
            lines += [section.prompt, "", "```python", section.data_code, "```"]
        lines += ["", f"### {name} ({part.points} point{'s' * (part.points != 1)})"]
        lines += ["", part.prompt, "", f"**Key:** {key_text(part)}"]
    names = [name for name, _, _ in items]
    maxima = [f"{part.points:g}" for _, _, part in items]
    rows = [",".join(["judge", "round", *names]), ",".join([MAX_ROW, "", *maxima])]
    rows += [
        ",".join([f"J{j}", "1", *([""] * len(names))]) for j in range(1, judges + 1)
    ]
    return "\n".join(lines) + "\n", "\n".join(rows) + "\n"
