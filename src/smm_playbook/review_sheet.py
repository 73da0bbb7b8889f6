"""The review sheet: a CSV with one row per rubric criterion to fill in (in a
spreadsheet or on paper), the answers beside it in Markdown, and reading the
filled-in sheet back. A row that cannot be used is named, never half-saved."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from smm_playbook.review import Piece

# One scored piece: (the piece, {criterion id: meets | partly | not_yet}, comment).
Scored = tuple[Piece, dict[str, str], str]

LEVEL_WORDS = {
    "meets": "meets",
    "m": "meets",
    "达到": "meets",
    "partly": "partly",
    "p": "partly",
    "partial": "partly",
    "部分达到": "partly",
    "not yet": "not_yet",
    "not_yet": "not_yet",
    "notyet": "not_yet",
    "n": "not_yet",
    "未达到": "not_yet",
}
SHEET_COLUMNS = [
    "piece",
    "learner",
    "exercise",
    "question",
    "title",
    "criterion",
    "criterion_name",
    "meets",
    "partly",
    "not_yet",
    "score",
    "comment",
]


def parse_score(value: str) -> str | None:
    """'Meets', 'p', 'not yet', '未达到' … → meets / partly / not_yet (or None)."""
    return LEVEL_WORDS.get(" ".join(str(value).strip().lower().split()))


def write_sheet(pieces: list[Piece], path: Path, blind: bool) -> Path:
    """A CSV to fill in (one row per criterion) and a Markdown file of the answers."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, SHEET_COLUMNS)
        writer.writeheader()
        for piece in pieces:
            for c in piece.criteria:
                writer.writerow(
                    {
                        "piece": piece.piece_id,
                        "learner": "hidden" if blind else piece.learner,
                        "exercise": piece.exercise,
                        "question": f"q{piece.number}",
                        "title": piece.title,
                        "criterion": c["id"],
                        "criterion_name": c["name"],
                        "meets": c["meets"],
                        "partly": c["partly"],
                        "not_yet": c["not_yet"],
                        "score": "",
                        "comment": "",
                    }
                )
    answers = path.with_suffix(".md")
    answers.write_text(_answers_markdown(pieces, blind), encoding="utf-8")
    return answers


def _answers_markdown(pieces: list[Piece], blind: bool) -> str:
    parts = ["# Answers to review\n"]
    for piece in pieces:
        who = "" if blind else f" — {piece.learner}"
        parts.append(
            f"\n## Piece {piece.piece_id}{who}\n\n*{piece.exercise}, q{piece.number}: "
            f"{piece.title}*\n\n{piece.text}\n"
        )
    return "\n".join(parts)


def read_sheet(path: Path, pieces: list[Piece]) -> tuple[list[Scored], list[str]]:
    """Scores from a filled-in sheet: ([(piece, scores, comment)], [problems])."""
    by_id = {p.piece_id: p for p in pieces}
    rows: dict[str, list[dict[str, str]]] = {}
    problems: list[str] = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, dialect=_dialect(handle))
            missing = {"piece", "criterion", "score"} - set(reader.fieldnames or ())
            if missing:
                return [], [f"{path.name} has no column {', '.join(sorted(missing))}."]
            for row in reader:
                rows.setdefault((row.get("piece") or "").strip(), []).append(row)
    except UnicodeDecodeError:
        return [], [f"{path.name} is not UTF-8 text; save it as CSV UTF-8."]
    except (OSError, csv.Error) as error:
        return [], [f"{path.name} cannot be read as CSV ({error})."]
    scored: list[Scored] = []
    for piece_id, group in rows.items():
        result = _scores_of(piece_id, group, by_id.get(piece_id))
        if isinstance(result, str):
            problems.append(result)
        elif result is not None:
            scored.append(result)
    return scored, problems


def _dialect(handle: TextIO) -> type[csv.Dialect] | csv.Dialect:
    """Commas, or the semicolons and tabs spreadsheets use in many locales."""
    sample = handle.read(4096)
    handle.seek(0)
    try:
        return csv.Sniffer().sniff(sample.splitlines()[0], delimiters=",;\t")
    except (csv.Error, IndexError):
        return csv.excel


def _scores_of(
    piece_id: str, group: list[dict[str, str]], piece: Piece | None
) -> Scored | str | None:
    if all(not (r.get("score") or "").strip() for r in group):
        return None  # not reviewed yet: nothing to say
    if piece is None:
        return (
            f"Piece {piece_id!r}: not in this folder any more, or the answer changed "
            "after the sheet was made; export a new sheet for it. Not saved."
        )
    scores, bad = {}, []
    for row in group:
        level = parse_score(row.get("score") or "")
        if level is None:
            bad.append(row.get("criterion", "?"))
        scores[(row.get("criterion") or "").strip()] = level
    wanted = {c["id"] for c in piece.criteria}
    unscored = sorted(wanted - {k for k, v in scores.items() if v})
    if bad or unscored:
        return (
            f"Piece {piece_id} ({piece.exercise} q{piece.number}): score every "
            "criterion as meets, partly or not yet (missing or unclear: "
            f"{', '.join(sorted(set(bad) | set(unscored)))}). Not saved."
        )
    comment = next((r["comment"].strip() for r in group if r.get("comment")), "")
    # every score is a level here (`bad` is empty)
    return piece, {k: v for k, v in scores.items() if k in wanted and v}, comment
