"""The conversation of `smm-playbook review`: show an answer and its rubric, ask
for a score per criterion and a comment, save at once (so nothing is lost if the
session stops), or export and import a review sheet for marking on paper or in a
spreadsheet."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.prompt import Prompt
from rich.table import Table

from smm_playbook.checks.reviews import ReviewStore
from smm_playbook.review import Piece, collect, review_entry
from smm_playbook.review_sheet import read_sheet, write_sheet

CHOICES = {"m": "meets", "p": "partly", "n": "not_yet"}


def run(
    folder: Path,
    *,
    learner: str | None = None,
    exercise: str | None = None,
    blind: bool = False,
    reviewer: str = "",
    sheet: Path | None = None,
    scores: Path | None = None,
    store: Path | None = None,
    again: bool = False,
    console: Console | None = None,
) -> int:
    """Review the answers in `folder`; returns the command's exit code."""
    console = console or Console()
    reviews = ReviewStore(store) if store else ReviewStore.default()
    found = collect(folder, learner)
    if not Path(folder).is_dir():
        console.print(f"[red]{found.problems[0]}[/]", highlight=False)
        return 2
    pieces = [p for p in found.pieces if not exercise or p.exercise == exercise]
    if blind:  # an order that says nothing about who wrote what
        pieces.sort(key=lambda p: p.piece_id)
    for problem in found.problems:
        console.print(f"[yellow]![/] {problem}", highlight=False)
    console.print(
        f"{len(pieces)} answer(s) to review from {folder}; reviews are saved to "
        f"{reviews.path}.",
        highlight=False,
    )
    if sheet:
        answers = write_sheet(pieces, sheet, blind)
        console.print(
            f"Wrote {sheet} (fill in the 'score' column: meets, partly or not yet) "
            f"and {answers} (the answers to read).",
            highlight=False,
        )
        return 0
    if scores:
        return _import(scores, pieces, reviews, reviewer, console)
    return _interactive(pieces, reviews, reviewer, blind, again, console)


def _import(path, pieces, reviews, reviewer, console) -> int:
    scored, problems = read_sheet(path, pieces)
    for problem in problems:
        console.print(f"[red]✗[/] {problem}", highlight=False)
    for piece, levels, comment in scored:
        reviews.add(review_entry(piece, levels, comment, reviewer))
    console.print(f"Saved {len(scored)} review(s).", highlight=False)
    return 1 if problems else 0


def _interactive(pieces, reviews, reviewer, blind, again, console) -> int:
    done = {r.get("piece") for r in reviews.reviews()}
    pending = [p for p in pieces if again or p.piece_id not in done]
    if len(pending) < len(pieces):
        console.print(
            f"{len(pieces) - len(pending)} already reviewed (use --again to review "
            "them again)."
        )
    if not pending:
        console.print("Nothing to review.")
        return 0
    reviewer = reviewer or Prompt.ask("Your name (as reviewer)", console=console)
    saved = 0
    for index, piece in enumerate(pending, 1):
        _show(piece, index, len(pending), blind, console)
        levels = _ask_scores(piece, console)
        if levels is None:
            console.print("Skipped.")
            continue
        comment = Prompt.ask("Comment for the learner", default="", console=console)
        reviews.add(review_entry(piece, levels, comment, reviewer))
        saved += 1
        console.print(f"[green]Saved[/] ({saved} so far).")
    console.print(f"Done: {saved} review(s) saved.")
    return 0


def _show(piece: Piece, index: int, total: int, blind: bool, console) -> None:
    who = "name hidden" if blind else piece.learner
    title = (
        f"{index}/{total} · {piece.exercise} q{piece.number} · {piece.title} · "
        f"{who} · piece {piece.piece_id}"
    )
    panel = Panel(Markdown(piece.text), title=escape(title), title_align="left")
    console.print(panel)
    table = Table(title="Rubric", title_justify="left", show_lines=True)
    for column in ("criterion", "meets", "partly", "not yet"):
        table.add_column(column)
    for c in piece.criteria:
        table.add_row(*(escape(c[k]) for k in ("name", "meets", "partly", "not_yet")))
    console.print(table)


def _ask_scores(piece: Piece, console) -> dict[str, str] | None:
    levels = {}
    for c in piece.criteria:
        answer = Prompt.ask(
            f"{escape(c['name'])}: meets (m), partly (p), not yet (n), or skip this "
            "answer (s)",
            choices=["m", "p", "n", "s"],
            console=console,
        )
        if answer == "s":
            return None
        levels[c["id"]] = CHOICES[answer]  # the prompt accepts only its choices
    return levels
