"""`smm-playbook exam …`: build papers, grade, export, report, certify, verify.

Thin: every command parses its options, calls `smm_playbook.grading`, and turns
the errors it expects (a bad roster, a missing secret, no sandbox) into one red
line and a non-zero exit code instead of a traceback.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from smm_playbook.grading.untrusted import for_console

if TYPE_CHECKING:
    from smm_playbook.grading import certificates
    from smm_playbook.grading.paper import Learner
    from smm_playbook.grading.secret import Keys

# The grading stack (pandas, SciPy, fpdf2, jsonschema, SQLAlchemy) is imported by
# the command that needs it, so `smm-playbook --help` starts in a fraction of a second.

exam_app = typer.Typer(
    help="Certification exams: papers, grading, gradebook, certificates.",
    no_args_is_help=True,
)
console = Console()

EXAM = typer.Option(None, help="Exam id (default: the current certification exam).")
VERSION = typer.Option(None, help="Exam version (default: the current one).")
SECRET = typer.Option(..., help="The trainer's secret file.")
GRADEBOOK = typer.Option(
    Path("gradebook.db"),
    help="SQLite file, or a SQLAlchemy URL such as postgresql+psycopg://user@host/db.",
)


def _fail(message: str, code: int = 2) -> typer.Exit:
    console.print(f"[red]{for_console(message, 2000)}[/]")
    return typer.Exit(code)


def _key(path: Path) -> Keys:
    from smm_playbook.grading import secret

    try:
        return secret.load(path)
    except secret.SecretError as error:
        raise _fail(str(error)) from None


def _gradebook(location):
    """Open the gradebook, or one red line saying why it cannot be (e.g. too new)."""
    from smm_playbook.grading.gradebook import Gradebook, GradebookError

    try:
        return Gradebook(location)
    except GradebookError as error:
        raise _fail(str(error)) from None


def _exam(exam_id: str | None, version: str | None):
    from smm_playbook.grading.exam import CERTIFICATION, find_exam

    if exam_id is None and version is None:
        return CERTIFICATION
    exam_id = exam_id or CERTIFICATION.exam_id
    version = version or CERTIFICATION.version
    try:
        return find_exam(exam_id, version)
    except ValueError as error:
        raise _fail(str(error)) from None


@exam_app.command("new-secret")
def new_secret(
    path: Path = typer.Argument(..., help="Where to write it."),
    public_key: Path = typer.Option(
        None, help="Where to write the public key (default: beside the secret)."
    ),
) -> None:
    """Create the trainer's secret file (readable by you only) and its public key."""
    from smm_playbook.grading import secret

    try:
        keys = secret.load(secret.create(path))
    except secret.SecretError as error:
        raise _fail(str(error)) from None
    public = secret.write_public_key(keys, public_key or _public_path(path))
    console.print(
        f"Wrote {path}. Keep it private and backed up: it is needed to grade "
        f"papers and to sign credentials.\nWrote {public}: publish it, with its "
        f"fingerprint {keys.fingerprint}, so that anyone can verify credentials."
    )


@exam_app.command("public-key")
def public_key_file(
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    out: Path = typer.Option(None, help="Where to write it (default: beside it)."),
) -> None:
    """Write the public key that verifies this secret's credentials."""
    from smm_playbook.grading import secret

    keys = _key(secret_file)
    path = secret.write_public_key(keys, out or _public_path(secret_file))
    console.print(
        f"Wrote {path} (secret version {keys.version}). Fingerprint: {keys.fingerprint}"
    )


def _public_path(secret_path: Path) -> Path:
    return secret_path.with_name(secret_path.stem + ".public.pem")


@exam_app.command()
def build(
    roster: Path = typer.Option(
        ..., help="CSV with columns learner_id,name and optionally extra_minutes."
    ),
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    out: Path = typer.Option(Path("papers"), help="Folder for the notebooks."),
    exam_id: str = EXAM,
    version: str = VERSION,
    attempt: int = typer.Option(1, min=1, help="2 or more for a retake paper."),
    gradebook: str = GRADEBOOK,
    override_reason: str = typer.Option(
        None, help="Why a refused retake is allowed anyway (recorded)."
    ),
    admin: str = typer.Option(None, help="Who allows it (with --override-reason)."),
) -> None:
    """Write one personalised exam notebook per learner and record its issue time.

    A retake (--attempt 2 or more) inside the exam's waiting period or past its
    attempt limit is refused unless an administrator overrides it with a reason.
    """
    from smm_playbook.grading.bank import BankMissing
    from smm_playbook.grading.gradebook import GradebookError
    from smm_playbook.grading.paper import RosterError, build_papers, read_roster
    from smm_playbook.grading.policies import Override, PolicyRefusal

    exam = _exam(exam_id, version)
    key = _key(secret_file)
    if bool(override_reason) != bool(admin):
        raise _fail("An override needs both --override-reason and --admin.")
    override = Override(override_reason.strip(), admin.strip()) if admin else None
    book = _gradebook(gradebook)
    try:
        learners = read_roster(roster)
        paths = build_papers(
            exam, key, learners, out, attempt, gradebook=book, override=override
        )
    except (RosterError, PolicyRefusal, BankMissing, GradebookError) as error:
        raise _fail(str(error)) from None
    console.print(
        f"Wrote {len(paths)} papers to {out}/ ({exam.title}, version "
        f"{exam.version}, attempt {attempt}); their issue times are in {gradebook}. "
        f"Time allowed: {exam.minutes} minutes plus any extra time on the roster."
    )
    if exam.coded:
        from smm_playbook.grading.forms import FORMS

        issued = book.issued_forms(exam.exam_id, exam.version).values()
        left = FORMS - sum(form is not None for form in issued)
        console.print(
            f"Forms: {left} of {FORMS} left for new papers of version {exam.version} "
            "(each paper has its own; retakes count)."
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
    from smm_playbook.grading.grader import GradingError, grade_folder
    from smm_playbook.grading.sandbox import Limits

    exam = _exam(exam_id, version)
    key = _key(secret_file)
    book = _gradebook(gradebook)
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
    from smm_playbook.grading.submissions import why_ignored

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
    waiting = sum(r.status == "awaiting_marks" for r in summary.graded)
    if waiting:
        console.print(
            f"  {waiting} wait for a trainer's marks on their written answer: "
            "run `smm-playbook exam review`; their results follow the marks."
        )
    late = [r for r in summary.graded if r.late_minutes]
    for r in sorted(late, key=lambda r: r.learner_id):
        console.print(
            f"  [yellow]late:[/] {for_console(r.learner_id)} handed in "
            f"{r.late_minutes:g} minutes after the time allowed plus grace "
            f"(handed in {r.handed_in_at})."
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
def review(
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    marker: str = typer.Option(..., help="Your name, as the gradebook records it."),
    gradebook: str = GRADEBOOK,
    sheet: Path = typer.Option(
        None, help="Write the scripts' rubric lines to this CSV to mark offline."
    ),
    scores: Path = typer.Option(None, help="Read a filled-in sheet of scores."),
) -> None:
    """Mark written answers, blind: no names, one rubric criterion at a time."""
    from smm_playbook.grading.marking import (
        MarkingError,
        queue,
        read_sheet,
        write_sheet,
    )

    book = _gradebook(gradebook)
    key = _key(secret_file)
    scripts = queue(book, marker.strip(), key)
    console.print(f"{len(scripts)} written answer(s) wait for your mark.")
    if sheet:
        rows = write_sheet(scripts, sheet)
        answers = sheet.with_suffix(".md")
        answers.write_text(_scripts_markdown(scripts), encoding="utf-8")
        console.print(f"Wrote {sheet} ({rows} rows to score) and {answers}.")
        return
    try:
        if scores:
            done = 0
            for script, given, comment in read_sheet(scores, scripts):
                _record(book, script, marker, given, 0.0, comment)
                done += 1
            console.print(f"Recorded {done} mark(s) from {scores}.")
            return
        for script in scripts:
            _mark_interactively(book, script, marker)
    except MarkingError as error:
        raise _fail(str(error)) from None


def _record(book, script, marker, given, seconds, comment) -> None:
    from smm_playbook.grading.marking import record_mark

    final = record_mark(book, script, marker, given, seconds=seconds, comment=comment)
    state = "its result is now final" if final else "it waits for another marker"
    console.print(f"Saved your mark for script {script.code}; {state}.")


def _mark_interactively(book, script, marker: str) -> None:
    import time

    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.prompt import Prompt

    started = time.monotonic()
    part = script.written
    console.print(Panel(Markdown(script.section.prompt), title=f"Script {script.code}"))
    console.print(Panel(for_console(script.text, 20000), title="The answer"))
    given = {}
    for criterion in part.rubric.criteria:
        levels = "\n".join(f"  {n}: {text}" for n, text in enumerate(criterion.levels))
        console.print(f"[bold]{criterion.name}[/]: {criterion.description}\n{levels}")
        choices = [str(n) for n in range(criterion.top + 1)]
        given[criterion.name] = int(Prompt.ask("Score", choices=choices))
    comment = Prompt.ask("Comment (optional)", default="")
    _record(book, script, marker, given, time.monotonic() - started, comment)


def _scripts_markdown(scripts) -> str:
    pieces = []
    for script in scripts:
        pieces.append(
            f"## Script {script.code} ({script.part})\n\n{script.section.prompt}\n\n"
            f"{script.written.prompt}\n\n### The answer\n\n{script.text}\n"
        )
    return "\n".join(pieces) or "No scripts wait for your mark.\n"


@exam_app.command()
def export(
    gradebook: str = GRADEBOOK,
    out: Path = typer.Option(Path("results.csv"), help="CSV to write."),
    every_submission: bool = typer.Option(
        False, "--all", help="Every submission, not one result per learner."
    ),
) -> None:
    """Export results (each learner's best graded submission) as CSV."""
    from smm_playbook.grading.results import export_csv

    rows = export_csv(_gradebook(gradebook), out, every_submission)
    console.print(f"Wrote {rows} rows to {out}.")


@exam_app.command()
def report(
    gradebook: str = GRADEBOOK,
    out: Path = typer.Option(Path("exam-report"), help="Folder for the HTML."),
    secret_file: Path | None = typer.Option(
        None, "--secret", help="The trainer's secret: group choice answers by option."
    ),
) -> None:
    """Write the item-analysis report and every learner's feedback page."""
    from smm_playbook.grading.report import write_report

    key = _key(secret_file) if secret_file else None
    page = write_report(_gradebook(gradebook), out, key=key)
    console.print(f"Wrote {page} and {out / 'feedback'}/.")


@exam_app.command("certificates")
def make_certificates(
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    gradebook: str = GRADEBOOK,
    out: Path = typer.Option(Path("certificates"), help="Folder for the files."),
    issuer: str = typer.Option(
        "the L&D team", help="The issuing organisation, as certificates name it."
    ),
    criteria_url: str = typer.Option(
        "", help="Where the course's certification page is published, if anywhere."
    ),
    font: Path = typer.Option(None, help="A TTF/TTC font for names it must print."),
) -> None:
    """Sign a PDF certificate and an Open Badges credential for every pass."""
    from smm_playbook._frames import records
    from smm_playbook.grading import badges, certificates
    from smm_playbook.grading.results import best_results, submissions_frame

    keys = _key(secret_file)
    results = best_results(submissions_frame(_gradebook(gradebook)))
    passes = results[results["passed"]] if len(results) else results
    written = 0
    for row in records(passes, PassRow):
        details = details_for(row)
        stem = f"{row['learner_id']}-{row['exam_id']}-{row['exam_version']}"
        try:
            certificates.issue(details, keys, out / f"{stem}.pdf", issuer, font)
        except certificates.CertificateError as error:
            console.print(f"[red]{row['learner_id']}: {error}[/]")
            continue
        token = badges.issue_jwt(details, keys, issuer, criteria_url)
        (out / f"{stem}.jwt").write_text(token + "\n", encoding="ascii")
        written += 1
    console.print(
        f"Wrote {written} certificate(s) to {out}/, each a PDF and an Open Badges "
        f"credential (.jwt), signed with key {keys.fingerprint}."
    )
    frame = submissions_frame(_gradebook(gradebook))
    waiting = frame[frame["status"] == "awaiting_marks"] if len(frame) else frame
    if len(waiting):
        console.print(
            f"{waiting['learner_id'].nunique()} candidate(s) have a submission whose "
            "written answer is not marked yet: no certificate until `exam review` "
            "is done; run this command again afterwards."
        )
    if written < len(passes):
        raise typer.Exit(1)


class PassRow(TypedDict):
    """The columns of a pass (`results.best_results`) a certificate needs."""

    learner_id: str
    name: str
    exam_id: str
    exam_version: str
    graded_at: str
    score: float
    max_score: float
    percent: float


def details_for(row: PassRow) -> certificates.Details:
    """A gradebook result as certificate details (date = when it was graded)."""
    from smm_playbook.grading import certificates
    from smm_playbook.grading.exam import find_exam

    exam = find_exam(row["exam_id"], row["exam_version"])
    passed_on = date.fromisoformat(row["graded_at"][:10])
    return certificates.Details(
        learner_id=row["learner_id"],
        name=row["name"] or row["learner_id"],
        exam_id=row["exam_id"],
        exam_version=row["exam_version"],
        exam_title=exam.title,
        score=f"{row['score']:g}/{row['max_score']:g}",
        percent=f"{row['percent']:.1f}",
        date=passed_on.isoformat(),
        expires=certificates.add_months(passed_on, exam.valid_months).isoformat(),
    )


@exam_app.command()
def verify(
    files: list[Path] = typer.Argument(..., help="Certificate PDFs or .jwt files."),
    public_key: list[Path] = typer.Option(
        ..., help="The issuer's published public key (repeat for retired keys)."
    ),
    revocations: Path = typer.Option(
        None, help="The issuer's signed revocation list (JSON)."
    ),
    today: str = typer.Option(None, help="Check validity on this date (ISO)."),
) -> None:
    """Check certificates and credentials with the public key only.

    Exit code 0 only if every file is genuine, unexpired and not revoked.
    """
    from smm_playbook.grading.verification import check

    keys = [_public_key(path) for path in public_key]
    revoked = _revocations(revocations, keys) if revocations else None
    try:
        day = date.fromisoformat(today) if today else date.today()
    except ValueError:
        raise _fail(f"--today {today!r} is not a date such as 2027-01-31.") from None
    failed = False
    for path in files:
        report = check(path, keys, revoked, day)
        style = {"valid": "green", "expired": "yellow"}.get(report.status, "red")
        console.print(f"[{style}]{path}: {report}[/]")
        failed |= not report.ok
    if failed:
        raise typer.Exit(1)


def _public_key(path: Path):
    from smm_playbook.grading import secret

    try:
        return secret.load_public_key(path)
    except secret.SecretError as error:
        raise _fail(str(error)) from None


def _revocations(path: Path, keys):
    from smm_playbook.grading import revocation

    try:
        return revocation.load(path, keys)
    except revocation.RevocationError as error:
        raise _fail(str(error)) from None


@exam_app.command()
def revoke(
    code: str = typer.Argument(..., help="The certificate code, as on the page."),
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    revocations: Path = typer.Option(
        Path("revocations.json"), help="The revocation list to update (or create)."
    ),
    reason: str = typer.Option(..., help="Why, in a few words (it is published)."),
) -> None:
    """Revoke a certificate (PDF and credential) by its code, and re-sign the list."""
    from smm_playbook.grading import revocation

    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){4}", code):
        raise _fail(
            f"{code!r} is not a certificate code such as ABCD-EFGH-IJKL-MNOP-QRST."
        )
    keys = _key(secret_file)
    try:
        count = revocation.revoke(revocations, keys, code, reason)
    except revocation.RevocationError as error:
        raise _fail(str(error)) from None
    console.print(
        f"Revoked {code}. {revocations} now lists {count} code(s); publish it "
        "where employers fetch your public key."
    )


@exam_app.command()
def practice(
    learner: str = typer.Option("me", help="Your name or id, e.g. your login."),
    out: Path = typer.Option(Path("."), help="Folder for the notebook."),
) -> None:
    """Write your own practice exam notebook (graded with `practice-grade`)."""
    from smm_playbook.grading.exam import PRACTICE, PRACTICE_SECRET
    from smm_playbook.grading.paper import RosterError, build_papers

    try:
        [person] = read_roster_line(learner)
    except RosterError as error:
        raise _fail(str(error)) from None
    [path] = build_papers(PRACTICE, PRACTICE_SECRET, [person], out)
    console.print(
        f"Wrote {path}. When you are done: smm-playbook exam practice-grade {path}"
    )


def read_roster_line(learner: str) -> list[Learner]:
    from smm_playbook.grading.paper import Learner, RosterError, id_problem

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
    from smm_playbook.grading.exam import PRACTICE, PRACTICE_SECRET
    from smm_playbook.grading.grader import grade_file
    from smm_playbook.grading.sandbox import Limits

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


# --- exam standard-set: a pass mark from an Angoff panel's ratings -------------------


@exam_app.command("standard-set")
def standard_set(
    ratings_file: Path = typer.Argument(
        ..., metavar="RATINGS.csv", help="The judges' ratings (long or wide CSV)."
    ),
    out: Path | None = typer.Option(
        None, help="YAML record to write (default: RATINGS with .yaml)."
    ),
    round_: int | None = typer.Option(
        None, "--round", help="The round the cut comes from (default: the last)."
    ),
    on: str | None = typer.Option(
        None, "--date", help="The panel's date, YYYY-MM-DD (default: today)."
    ),
) -> None:
    """Compute the modified-Angoff cut score and write its record for the exam."""
    import yaml

    from smm_playbook.grading import standard_setting as ss

    try:
        when = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise _fail(f"--date {on!r} is not a date like 2026-12-03.") from None
    try:
        ratings = ss.read_ratings(ratings_file)
        results = {r: ss.angoff(ratings, r) for r in ratings.rounds}
        result = ss.angoff(ratings, round_)
    except ss.RatingsError as error:
        raise _fail(str(error)) from None
    _print_angoff(ratings, results, result)
    entry = ss.record(ratings, result, when)
    target = out or ratings_file.with_suffix(".yaml")
    text = "# pass_mark: standard: — from smm-playbook exam standard-set\n"
    text += yaml.safe_dump(entry, sort_keys=False, allow_unicode=True)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        raise _fail(f"Cannot write {target} ({error.strerror}).") from None
    console.print(
        f"Wrote {target}. In the exam definition: pass_mark: {{percent: "
        f"{entry['cut_percent']}, standard: <the record>}}."
    )


def _print_angoff(ratings, results, result) -> None:
    from smm_playbook.grading.standard_setting import DISAGREEMENT

    items = Table("item", "max", "mean rating", "share", "spread", title="Items")
    for row in result.item_table.itertuples():
        spread = f"{row.spread:.2f}" + (" [red]discuss[/]" if row.discuss else "")
        items.add_row(
            row.item,
            f"{row.max_points:g}",
            f"{row.mean:.2f}",
            f"{row.share:.2f}",
            spread,
        )
    console.print(items)
    judges = Table("judge", *(f"round {r} cut %" for r in results), title="Judges")
    for judge in result.judge_cuts.index:
        judges.add_row(
            for_console(str(judge), 60),
            *(f"{r.judge_cuts.get(judge, float('nan')):.1f}" for r in results.values()),
        )
    console.print(judges)
    for r, each in results.items():
        flagged = int(each.item_table["discuss"].sum())
        console.print(
            f"Round {r}: cut {each.cut_points:.2f} of {each.max_points:g} points "
            f"({each.cut_percent:.1f}%), judges' SD {each.judge_sd_percent:.1f} "
            f"points of percent, SE {each.se_percent:.1f}; {flagged} item(s) with "
            f"ratings more than {DISAGREEMENT:g} apart."
        )
    console.print(
        f"[bold]Cut score (round {result.round}): {result.cut_percent:.1f}%[/] "
        f"± {2 * result.se_percent:.1f} (2 SE) from {result.judges} judges and "
        f"{result.items} items ({ratings.name})."
    )


@exam_app.command("angoff-sheet")
def angoff_sheet(
    secret_file: Path = typer.Option(..., "--secret", help="The trainer's secret."),
    sheet: Path = typer.Option(
        Path("angoff-sheet.md"), help="The confidential sheet: items and keys."
    ),
    ratings: Path = typer.Option(
        Path("angoff-ratings.csv"), help="The blank ratings CSV for the panel."
    ),
    learner: str = typer.Option(
        "angoff-reference", help="Whose paper is the reference form."
    ),
    judges: int = typer.Option(6, min=2, help="Rows to leave for judges."),
    exam_id: str = EXAM,
    version: str = VERSION,
) -> None:
    """Write the reference form's items with their keys, and a blank ratings CSV."""
    from smm_playbook.grading.exam import paper_for
    from smm_playbook.grading.standard_setting import rating_sheet

    exam = _exam(exam_id, version)
    for path in (sheet, ratings):
        if path.exists():
            raise _fail(f"{path} exists; move it away or choose another name.")
    try:
        paper = paper_for(exam, _key(secret_file), learner)
    except ValueError as error:
        raise _fail(str(error)) from None
    title = f"{exam.title} ({exam.exam_id} {exam.version}), form of {learner}"
    text, blank = rating_sheet(paper, title, judges)
    sheet.write_text(text, encoding="utf-8")
    ratings.write_text(blank, encoding="utf-8")
    console.print(
        f"Wrote {sheet} (confidential: items and keys) and {ratings} "
        f"({len(blank.splitlines()[0].split(',')) - 2} items, {judges} judges)."
    )
