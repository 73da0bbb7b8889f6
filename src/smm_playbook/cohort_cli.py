"""`smm-playbook cohort`: a trainer's view of a class on a hub, and LMS exports.

Only typer is imported here; each command imports what it needs when it runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

cohort_app = typer.Typer(
    help="A class on a hub: the trainer's report, LMS exports, queued outcomes.",
    no_args_is_help=True,
)

_STORE_HELP = (
    "The cohort store: a SQLite file or postgresql+psycopg://... URL "
    "(default: $SMM_PLAYBOOK_COHORT_STORE, which the hub sets)."
)


def _store(store: str | None):
    from rich.console import Console

    from smm_playbook.cohort.store import CohortStore, CohortStoreError

    location = store or os.environ.get("SMM_PLAYBOOK_COHORT_STORE")
    if not location:
        Console().print(
            "[red]No cohort store given.[/] Pass --store (a SQLite file or a "
            "postgresql+psycopg:// URL), or run this on the hub, where "
            "SMM_PLAYBOOK_COHORT_STORE is set."
        )
        raise typer.Exit(2)
    if "://" not in location and not Path(location).exists():
        Console().print(f"[red]There is no cohort store at {location}.[/]")
        raise typer.Exit(2)
    try:
        return CohortStore(location)
    except CohortStoreError as error:
        Console().print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    except Exception as error:  # noqa: BLE001 - a driver's error, shown plainly
        Console().print(f"[red]The cohort store {location} could not be opened:[/]")
        Console().print(str(error).splitlines()[0])
        raise typer.Exit(2) from None


def _cohort(store, group: str | None, intake: str | None):
    from smm_playbook.cohort.report import cohort_state, question_catalogue

    events = store.events(group=group, intake=intake)
    return events, cohort_state(events, question_catalogue())


def _reviews(paths: list[Path] | None) -> list[dict]:
    from smm_playbook.checks.reviews import ReviewStore

    entries: list[dict] = []
    for path in paths or []:
        entries.extend(ReviewStore(path).reviews())
    return entries


@cohort_app.command("report")
def report(
    output: Path = typer.Option(Path("cohort-report.html"), "--output", "-o"),
    store: str = typer.Option(None, help=_STORE_HELP),
    group: str = typer.Option(None, help="Only learners of this group."),
    intake: str = typer.Option(None, help="Only learners of this intake."),
    reviews: list[Path] = typer.Option(
        None, help="Review files (smm-playbook review) to show; may repeat."
    ),
) -> None:
    """Write the trainer's dashboard: learners, questions, misconceptions, stuck."""
    from rich.console import Console

    from smm_playbook.cohort.report_html import write_report

    opened = _store(store)
    try:
        _, cohort = _cohort(opened, group, intake)
    finally:
        opened.close()
    write_report(cohort, output, _reviews(reviews))
    Console().print(
        f"Report on {len(cohort.learners)} learner(s) written to {output.resolve()}"
    )


@cohort_app.command("export")
def export(
    format_: str = typer.Option(..., "--format", help="xapi, moodle or canvas."),
    output: Path = typer.Option(None, "--output", "-o", help="File (default: print)."),
    store: str = typer.Option(None, help=_STORE_HELP),
    group: str = typer.Option(None, help="Only learners of this group."),
    intake: str = typer.Option(None, help="Only learners of this intake."),
    hub_url: str = typer.Option(
        None, help="The hub's URL, naming learners' accounts in xAPI ($SMM_HUB_URL)."
    ),
    gradebook: str = typer.Option(
        None, help="Also export exam results from this gradebook (xAPI)."
    ),
    lrs: str = typer.Option(None, help="Also send the xAPI statements to this LRS."),
    lrs_key: str = typer.Option(None, help="LRS key (its secret: $SMM_LRS_SECRET)."),
) -> None:
    """Export results for an LMS: xAPI statements, or a Moodle or Canvas CSV."""
    from rich.console import Console

    from smm_playbook.cohort import export as formats

    console = Console()
    if format_ not in formats.FORMATS:
        console.print(
            f"[red]Unknown format {format_!r}.[/] Choose one of: "
            f"{', '.join(formats.FORMATS)}."
        )
        raise typer.Exit(2)
    if lrs and format_ != "xapi":
        console.print("[red]--lrs sends xAPI statements: use it with --format xapi.[/]")
        raise typer.Exit(2)
    opened = _store(store)
    try:
        events, cohort = _cohort(opened, group, intake)
    finally:
        opened.close()
    if format_ == "xapi":
        home = hub_url or os.environ.get("SMM_HUB_URL") or "http://127.0.0.1:8000"
        builder = formats.XapiBuilder(home)
        statements = formats.xapi_statements(
            events, cohort, builder, _submissions(gradebook, cohort)
        )
        text = json.dumps(statements, indent=1, ensure_ascii=False)
    elif format_ == "moodle":
        text = formats.moodle_csv(cohort)
    else:
        text = formats.canvas_csv(cohort)
    if output:
        output.write_text(text, encoding="utf-8")
        console.print(f"{format_} export written to {output.resolve()}")
    else:
        typer.echo(text)
    if lrs:
        _send(lrs, statements, lrs_key, console)


def _submissions(gradebook: str | None, cohort) -> list[dict]:
    if not gradebook:
        return []
    from smm_playbook.grading.gradebook import Gradebook

    book = Gradebook(gradebook)
    try:
        return [s for s in book.submissions() if s["learner_id"] in cohort.learners]
    finally:
        book.close()


def _send(endpoint: str, statements: list[dict], key, console) -> None:
    from smm_playbook.cohort.lrs import LrsError, send_statements

    try:
        result = send_statements(
            endpoint, statements, key, os.environ.get("SMM_LRS_SECRET")
        )
    except LrsError as error:
        console.print(f"[red]{error}[/]")
        raise typer.Exit(1) from None
    console.print(
        f"Sent {result.sent} statement(s) to {endpoint} in {result.batches} batch(es)."
    )


@cohort_app.command("send")
def send() -> None:
    """Send this machine's queued check outcomes to the cohort store now."""
    from rich.console import Console

    from smm_playbook.checks.progress import progress_home
    from smm_playbook.cohort.outbox import Outbox

    outbox = Outbox(progress_home())
    waiting = len(outbox.pending())
    try:
        added = outbox.send()
    except Exception as error:  # noqa: BLE001 - the store's own message
        Console().print(
            f"[yellow]{waiting} outcome(s) stay queued:[/] the cohort store "
            f"{outbox.store} could not be reached ({str(error).splitlines()[0]})."
        )
        raise typer.Exit(1) from None
    Console().print(f"{waiting} queued outcome(s) sent; {added} were new to the store.")


@cohort_app.command("seed")
def seed(
    home: Path = typer.Option(Path.home(), help="The learner's home folder."),
    course: Path = typer.Option(Path("."), help="The course repository."),
) -> None:
    """Give a home the exercises, Voilà apps and book link, never overwriting."""
    from rich.console import Console

    from smm_playbook.cohort.seed import seed_home

    try:
        result = seed_home(home, course)
    except FileNotFoundError as error:
        Console().print(f"[red]{error}[/]")
        raise typer.Exit(2) from None
    Console().print(
        f"{len(result.copied)} item(s) copied into {home}, "
        f"{len(result.kept)} already there and kept as they were."
    )
