"""`smm-playbook exam …`: build papers, grade, export, report, certify, verify.

Thin: every command parses its options, calls `smm_playbook.grading`, and turns
the errors it expects (a bad roster, a missing secret, no sandbox) into one red
line and a non-zero exit code instead of a traceback.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from smm_playbook.grading import certificates, secret
from smm_playbook.grading.exam import (
    CERTIFICATION,
    PRACTICE,
    PRACTICE_SECRET,
    find_exam,
)
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.grader import GradingError, grade_file, grade_folder
from smm_playbook.grading.paper import Learner, RosterError, build_papers, read_roster
from smm_playbook.grading.results import best_results, export_csv, submissions_frame
from smm_playbook.grading.sandbox import Limits
from smm_playbook.grading.submissions import why_ignored
from smm_playbook.grading.untrusted import for_console

exam_app = typer.Typer(
    help="Certification exams: papers, grading, gradebook, certificates.",
    no_args_is_help=True,
)
console = Console()

EXAM = typer.Option(CERTIFICATION.exam_id, help="Exam id.")
VERSION = typer.Option(CERTIFICATION.version, help="Exam version.")
SECRET = typer.Option(..., help="The trainer's secret file.")
GRADEBOOK = typer.Option(
    Path("gradebook.db"),
    help="SQLite file, or a SQLAlchemy URL such as postgresql+psycopg://user@host/db.",
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[red]{for_console(message, 2000)}[/]")
    return typer.Exit(code)


def _key(path: Path) -> bytes:
    try:
        return secret.load(path)
    except secret.SecretError as error:
        raise _fail(str(error)) from None


def _exam(exam_id: str, version: str):
    try:
        return find_exam(exam_id, version)
    except ValueError as error:
        raise _fail(str(error)) from None


@exam_app.command("new-secret")
def new_secret(path: Path = typer.Argument(..., help="Where to write it.")) -> None:
    """Create the trainer's secret file (readable by you only)."""
    try:
        secret.create(path)
    except secret.SecretError as error:
        raise _fail(str(error)) from None
    console.print(
        f"Wrote {path}. Keep it private and backed up: it is needed to "
        "grade papers and to verify certificates."
    )


@exam_app.command()
def build(
    roster: Path = typer.Option(..., help="CSV with columns learner_id,name."),
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    out: Path = typer.Option(Path("papers"), help="Folder for the notebooks."),
    exam_id: str = EXAM,
    version: str = VERSION,
    attempt: int = typer.Option(1, min=1, help="2 or more for a retake paper."),
) -> None:
    """Write one personalised exam notebook per learner on the roster."""
    exam = _exam(exam_id, version)
    key = _key(secret_file)
    try:
        learners = read_roster(roster)
    except RosterError as error:
        raise _fail(str(error)) from None
    paths = build_papers(exam, key, learners, out, attempt)
    console.print(
        f"Wrote {len(paths)} papers to {out}/ ({exam.title}, version "
        f"{exam.version}, attempt {attempt})."
    )


@exam_app.command()
def grade(
    folder: Path = typer.Argument(..., help="Handed-in notebooks: ID.ipynb or ID/*."),
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    gradebook: str = GRADEBOOK,
    exam_id: str = EXAM,
    version: str = VERSION,
    workers: int = typer.Option(0, help="Parallel workers (0: one per core)."),
    timeout: float = typer.Option(20.0, help="Seconds each notebook may run."),
    memory_mb: int = typer.Option(1024, help="Memory each notebook may add."),
    scheduler: str = typer.Option(
        None, help="A Dask scheduler, tcp://HOST:PORT, to grade on its workers."
    ),
) -> None:
    """Grade every new submission in FOLDER, each in its own fenced process."""
    exam = _exam(exam_id, version)
    key = _key(secret_file)
    book = Gradebook(gradebook)
    limits = Limits(wall_seconds=timeout, memory_mb=memory_mb)
    columns = (
        "{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("Grading", total=None)

        def report(done: int, total: int, _record) -> None:
            bar.update(task, completed=done, total=total)

        try:
            summary = grade_folder(
                folder,
                exam,
                key,
                book,
                secret_path=secret_file,
                workers=workers or None,
                limits=limits,
                progress=report,
                scheduler=scheduler,
            )
        except GradingError as error:
            raise _fail(str(error), 1) from None
    _print_summary(summary)


def _print_summary(summary) -> None:
    counts = Counter(
        r.status
        if r.status != "graded" or r.run_ended == "finished"
        else f"graded ({r.run_ended})"
        for r in summary.graded
    )
    passed = sum(r.passed for r in summary.graded)
    console.print(
        f"Graded {len(summary.graded)} new submission(s), {passed} pass(es); "
        f"{summary.skipped} already in the gradebook."
    )
    for status, count in sorted(counts.items()):
        console.print(f"  {for_console(status)}: {count}")
    problems = [
        r for r in summary.graded if r.status != "graded" or r.run_ended != "finished"
    ]
    if problems:
        table = Table("learner", "file", "status", "message", title="Look at these")
        for r in sorted(problems, key=lambda r: r.learner_id):
            table.add_row(
                *(for_console(v) for v in (r.learner_id, Path(r.file).name, r.status)),
                for_console(r.message, 1000),
            )
        console.print(table)
    for path in summary.ignored:
        reason = why_ignored(path, summary.folder) if summary.folder else "ignored"
        console.print(f"  ignored ({reason}): {for_console(Path(path), 1000)}")


@exam_app.command()
def export(
    gradebook: str = GRADEBOOK,
    out: Path = typer.Option(Path("results.csv"), help="CSV to write."),
    every_submission: bool = typer.Option(
        False, "--all", help="Every submission, not one result per learner."
    ),
) -> None:
    """Export results (each learner's best graded submission) as CSV."""
    rows = export_csv(Gradebook(gradebook), out, every_submission)
    console.print(f"Wrote {rows} rows to {out}.")


@exam_app.command()
def report(
    gradebook: str = GRADEBOOK,
    out: Path = typer.Option(Path("exam-report"), help="Folder for the HTML."),
) -> None:
    """Write the item-analysis report and every learner's feedback page."""
    from smm_playbook.grading.report import write_report

    page = write_report(Gradebook(gradebook), out)
    console.print(f"Wrote {page} and {out / 'feedback'}/.")


@exam_app.command("certificates")
def make_certificates(
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    gradebook: str = GRADEBOOK,
    out: Path = typer.Option(Path("certificates"), help="Folder for the PDFs."),
    font: Path = typer.Option(None, help="A TTF/TTC font for names it must print."),
) -> None:
    """Write a PDF certificate for every learner whose result is a pass."""
    key = _key(secret_file)
    results = best_results(submissions_frame(Gradebook(gradebook)))
    passes = results[results["passed"]] if len(results) else results
    written = 0
    for row in passes.itertuples():
        details = details_for(row)
        path = out / f"{row.learner_id}-{row.exam_id}-{row.exam_version}.pdf"
        try:
            certificates.render(
                details, certificates.code_for(key, details), path, font
            )
        except certificates.CertificateError as error:
            console.print(f"[red]{row.learner_id}: {error}[/]")
            continue
        written += 1
    console.print(f"Wrote {written} certificate(s) to {out}/.")
    if written < len(passes):
        raise typer.Exit(1)


def details_for(row) -> certificates.Details:
    """A gradebook result as certificate details (date = when it was graded)."""
    exam = find_exam(row.exam_id, row.exam_version)
    passed_on = date.fromisoformat(row.graded_at[:10])
    return certificates.Details(
        learner_id=row.learner_id,
        name=row.name or row.learner_id,
        exam_id=row.exam_id,
        exam_version=row.exam_version,
        exam_title=exam.title,
        score=f"{row.score:g}/{row.max_score:g}",
        percent=f"{row.percent:.1f}",
        date=passed_on.isoformat(),
        expires=certificates.add_months(passed_on, exam.valid_months).isoformat(),
    )


@exam_app.command()
def verify(
    files: list[Path] = typer.Argument(..., help="Certificate PDFs."),
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
) -> None:
    """Check certificates: any changed detail or made-up code fails."""
    key = _key(secret_file)
    failed = False
    for path in files:
        verdict = certificates.verify(path, key)
        style = "green" if verdict.genuine else "red"
        console.print(f"[{style}]{path}: {verdict}[/]")
        failed |= not verdict.genuine
    if failed:
        raise typer.Exit(1)


@exam_app.command()
def practice(
    learner: str = typer.Option("me", help="Your name or id, e.g. your login."),
    out: Path = typer.Option(Path("."), help="Folder for the notebook."),
) -> None:
    """Write your own practice exam notebook (graded with `practice-grade`)."""
    try:
        [person] = read_roster_line(learner)
    except RosterError as error:
        raise _fail(str(error)) from None
    [path] = build_papers(PRACTICE, PRACTICE_SECRET, [person], out)
    console.print(
        f"Wrote {path}. When you are done: smm-playbook exam practice-grade {path}"
    )


def read_roster_line(learner: str) -> list[Learner]:
    from smm_playbook.grading.paper import id_problem

    problem = id_problem(learner)
    if problem:
        raise RosterError(f"--learner: {problem}")
    return [Learner(learner, learner)]


@exam_app.command("practice-grade")
def practice_grade(
    notebook: Path = typer.Argument(..., help="Your practice exam notebook."),
    timeout: float = typer.Option(20.0, help="Seconds the notebook may run."),
) -> None:
    """Grade a practice exam exactly as the real grader would, and explain."""
    console.print(
        "Your practice paper runs as a plain program on your own computer, with a "
        "time limit (real exams are graded inside the L&D team's fence)."
    )
    limits = Limits(wall_seconds=timeout)
    record = grade_file(notebook, PRACTICE, PRACTICE_SECRET, limits, fenced=False)
    if record.status != "graded":
        raise _fail(f"{record.status}: {record.message}", 1)
    table = Table("answer", "points", "feedback", title=f"{notebook.name}")
    for part in record.parts:
        colour = "green" if part.outcome == "correct" else "red"
        table.add_row(
            part.part,
            f"[{colour}]{part.points:g}/{part.max_points:g}[/]",
            part.feedback,
        )
    console.print(table)
    percent = 100 * record.score / record.max_score
    verdict = "a pass" if record.passed else "not yet a pass"
    console.print(
        f"{record.score:g} of {record.max_score:g} points ({percent:.1f}%): "
        f"{verdict} (pass mark {PRACTICE.pass_percent:g}%). {record.message}"
    )
