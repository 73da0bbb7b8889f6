"""The `smm-playbook` command: progress, authoring and dataset tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from smm_playbook import data
from smm_playbook.cohort_cli import cohort_app
from smm_playbook.exam_cli import exam_app

if TYPE_CHECKING:
    from smm_playbook.progress_report import ExerciseTotal, QuestionProgress

app = typer.Typer(
    help="Social Media Manager Playbook: course tools.", no_args_is_help=True
)
data_app = typer.Typer(
    help="Check and regenerate the course datasets.", no_args_is_help=True
)
app.add_typer(data_app, name="data")
app.add_typer(exam_app, name="exam")
app.add_typer(cohort_app, name="cohort")
console = Console()

STATUS_STYLE = {
    "correct": "green",
    "incorrect": "red",
    "not attempted": "yellow",
    "error": "magenta",
    "submitted": "blue",
    "reviewed": "green",
    "partial": "yellow",
}
# Written work is never "correct": it is submitted, then reviewed by a person.
STATUS_TEXT = {"submitted": "submitted for review"}


@app.command()
def progress(
    exercise: str = typer.Option(
        None, help="Only this exercise, e.g. ex00_orientation."
    ),
    html: Path = typer.Option(None, help="Also write the chart to this HTML file."),
    reviews: Path = typer.Option(
        None, help="Reviews file to show (default: reviews.json beside progress)."
    ),
    learner: str = typer.Option(None, help="Whose reviews, in a class's file."),
) -> None:
    """Show where you stand: every question's status, and points per exercise."""
    # Plain rows from the shipped catalogue index: no pandas, no exercise module.
    from smm_playbook.checks.progress import ProgressStore
    from smm_playbook.checks.reviews import ReviewStore
    from smm_playbook.progress_report import (
        UnknownExercise,
        progress_rows,
        summary_rows,
    )

    store = ProgressStore.default()
    review_store = ReviewStore(reviews) if reviews else ReviewStore.default()
    reviewed = review_store.latest(learner)
    try:
        rows = progress_rows(exercise, store, reviewed)
    except UnknownExercise as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    console.print(f"Progress file: {store.path}")
    if not reviewed and len(review_store.learners()) > 1:
        console.print(f"{review_store.path} holds reviews of several learners: add ")
        console.print("--learner NAME to show one learner's reviewed work.")
    by_exercise: dict[str, list[QuestionProgress]] = {}
    for row in rows:
        by_exercise.setdefault(row["exercise"], []).append(row)
    for name, exercise_rows in by_exercise.items():
        console.print(_exercise_table(name, exercise_rows))
    totals = summary_rows(rows)
    for total in totals:
        filled = round(30 * total["share"])
        bar = "█" * filled + "░" * (30 - filled)
        to_review = total["to_review"]
        waiting = f", {to_review} written for review" if to_review else ""
        console.print(
            f"{total['exercise']:<22} {bar} "
            f"{total['earned']:g}/{total['available']} points{waiting}"
        )
    if html:
        _write_chart(totals, html)
        console.print(f"Chart written to {html}")


def _exercise_table(name: str, rows: list[QuestionProgress]) -> Table:
    table = Table(title=name, title_justify="left")
    for column in ("#", "question", "status", "checks", "hints", "solution"):
        table.add_column(column)
    for row in rows:
        style = STATUS_STYLE.get(row["status"], "")
        status = STATUS_TEXT.get(row["status"], row["status"])
        if row["status"] == "partial":
            status = f"{row['parts_right']} parts right"
        if row["status"] == "reviewed":
            status = f"reviewed: {row['review']}"
        table.add_row(
            str(row["number"]),
            row["question"],
            f"[{style}]{status}[/]",
            str(row["checks"]),
            str(row["hints"]),
            "seen" if row["solution_viewed"] else "",
        )
    return table


def _write_chart(totals: list[ExerciseTotal], path: Path) -> None:
    import plotly.graph_objects as go

    figure = go.Figure(
        go.Bar(
            x=[total["share"] * 100 for total in totals],
            y=[total["exercise"] for total in totals],
            orientation="h",
            text=[f"{total['earned']:g}/{total['available']}" for total in totals],
        )
    )
    figure.update_layout(
        title="Points earned per exercise",
        xaxis={"range": [0, 100], "title": "% of points"},
        height=200 + 40 * len(totals),
    )
    # Inline plotly.js so the page opens with no network access.
    path.write_text(figure.to_html(include_plotlyjs=True), encoding="utf-8")


@app.command()
def review(
    folder: Path = typer.Argument(
        ..., help="A folder of notebooks: one learner's, or a class's (ID/*.ipynb)."
    ),
    learner: str = typer.Option(
        None, help="Every notebook in FOLDER belongs to this learner."
    ),
    exercise: str = typer.Option(None, help="Only this exercise, e.g. ex04_crisis."),
    blind: bool = typer.Option(False, help="Hide names (blind marking)."),
    reviewer: str = typer.Option("", help="Your name, kept with each review."),
    sheet: Path = typer.Option(
        None, help="Write a review sheet (CSV) and the answers (.md) instead."
    ),
    scores: Path = typer.Option(None, help="Import a filled-in review sheet (CSV)."),
    store: Path = typer.Option(
        None, help="Reviews file (default: reviews.json beside your progress)."
    ),
    again: bool = typer.Option(False, help="Offer answers already reviewed too."),
) -> None:
    """Score written answers and work products against their rubrics."""
    from smm_playbook.review_cli import run

    code = run(
        folder,
        learner=learner,
        exercise=exercise,
        blind=blind,
        reviewer=reviewer,
        sheet=sheet,
        scores=scores,
        store=store,
        again=again,
        console=console,
    )
    raise typer.Exit(code)


@app.command()
def student(
    solutions: Path = typer.Option(Path("solutions"), help="Authored notebooks."),
    exercises: Path = typer.Option(Path("exercises"), help="Where learner copies go."),
    check: bool = typer.Option(False, help="Only report stale learner notebooks."),
) -> None:
    """Generate learner notebooks (exercises/) from the authored solutions/."""
    from smm_playbook.tools.make_student import build

    changed = build(solutions, exercises, check=check)
    for path in changed:
        console.print(f"{'stale' if check else 'wrote'}: {path}")
    if check and changed:
        raise typer.Exit(1)
    if not changed:
        console.print("Learner notebooks are up to date.")


@app.command()
def workshop(
    name: str = typer.Argument(
        None, help="Open this simulator, e.g. competency (default: the list of apps)."
    ),
    list_: bool = typer.Option(False, "--list", help="List the simulators."),
    port: int = typer.Option(8866, help="Port on localhost."),
    browser: bool = typer.Option(True, help="Open a browser tab."),
) -> None:
    """Serve every simulator as a full-screen web app (Voilà) on this machine.

    One server, with each app's kernel started in advance; NAME opens that app.
    """
    from smm_playbook import workshop as apps

    if list_:
        for key, simulator in apps.SIMULATORS.items():
            console.print(f"{key:<18} {simulator.title}")
        return
    try:
        url = apps.app_url(port, name)
    except apps.UnknownSimulator as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    if apps.workshop_is_running(port):
        console.print(f"The workshop server is already running: {url}")
        if browser:
            import webbrowser

            webbrowser.open(url)
        return
    if not apps.port_is_free(port):
        console.print(
            f"[red]Port {port} is already in use[/] (another program?). "
            f"Choose a free one, e.g. --port {port + 1}."
        )
        raise typer.Exit(2)
    console.print(
        f"Serving {len(apps.SIMULATORS)} apps on {apps.app_url(port)} "
        "(Ctrl+C to stop); each app's kernel is warming up in the background."
    )
    if name:
        console.print(f"{apps.lookup(name).title}: {url}")
    raise typer.Exit(apps.serve(port, browser, name))


@data_app.command("list")
def data_list() -> None:
    """List the datasets with their row counts."""
    for name in data.names():
        console.print(f"{name:<20} {data.DATASETS[name].summary}")


@data_app.command("verify")
def data_verify() -> None:
    """Load every dataset, checking checksum and schema."""
    failed = False
    for name in data.names():
        try:
            rows = len(data.load(name))
            console.print(f"[green]ok[/]    {name} ({rows} rows)")
        except data.DatasetError as error:
            failed = True
            console.print(f"[red]FAIL[/]  {error}")
    if failed:
        raise typer.Exit(1)


@data_app.command("regenerate")
def data_regenerate(name: str) -> None:
    """Rewrite one shipped CSV from its seed-0 generator and update the manifest."""
    path = data.write(name)
    console.print(f"wrote {path}")


if __name__ == "__main__":
    app()
