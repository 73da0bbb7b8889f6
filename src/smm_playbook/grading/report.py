"""The trainer's item-analysis report and each learner's feedback, as plain HTML.

The report: a summary, the score distribution, reliability (KR-20, alpha and
the standard error of measurement), the item analysis with its review flags,
the distractor analysis, and the learners. The statistics are computed in
`report_stats` (gradebook rows to frames) and `psychometrics` (the formulas).

Charts are inline SVG, so the report is one self-contained file that opens
offline. Everything a learner wrote is escaped before it reaches the page.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import numpy as np
import pandas as pd

from smm_playbook._frames import records
from smm_playbook.grading import psychometrics
from smm_playbook.grading.exam import EXAMS, MODULE_TITLES
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.report_stats import (
    KEY,
    ItemAnalysis,
    Reliability,
    choice_responses,
    item_analysis,
    multi_ticks,
    paper_options,
    reliability_summary,
)
from smm_playbook.grading.results import best_results, submissions_frame

if TYPE_CHECKING:
    from smm_playbook.grading import secret

__all__ = ["item_analysis", "write_report"]


class _Learner(TypedDict):
    """The columns of a learner's result (`results.best_results`) shown here."""

    id: int
    learner_id: str
    name: str
    exam_id: str
    exam_version: str
    status: str
    score: float
    max_score: float
    percent: float
    passed: bool
    submissions: int
    message: str


class _Answer(TypedDict):
    """The columns of a gradebook answer shown in a learner's feedback."""

    part: str
    points: float
    max_points: float
    outcome: str
    feedback: str


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem;color:#1f2328}table{border-collapse:collapse;margin:1rem 0}"
    "td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;"
    "vertical-align:top}th{background:#f6f8fa}.flag{color:#cf222e}"
    ".ok{color:#1a7f37}.muted{color:#57606a}"
)


def write_report(
    gradebook: Gradebook,
    out: Path,
    exam_id: str | None = None,
    key: bytes | secret.Keys | None = None,
) -> Path:
    """Write report.html and feedback/<learner>.html under `out`.

    With the exam secret `key`, choice answers are grouped by option text
    (papers are rebuilt to undo the per-paper shuffle of the letters).
    """
    frame = submissions_frame(gradebook, exam_id)
    results = best_results(frame)
    answers = pd.DataFrame(gradebook.answers())
    out.mkdir(parents=True, exist_ok=True)
    items = item_analysis(results, answers) if len(answers) else pd.DataFrame()
    reliability = reliability_summary(results, answers) if len(answers) else None
    options = paper_options(key) if key is not None else None
    responses, listed = choice_responses(results, answers, options)
    totals = results.set_index("id")["score"]
    distractors = psychometrics.distractor_analysis(responses, totals, listed, KEY)
    ticks = multi_ticks(results, answers, options)
    decisions = psychometrics.option_decisions(ticks, totals)
    flags = psychometrics.distractor_flags(distractors)
    for part, notes in psychometrics.option_flags(decisions).items():
        flags[part] = flags.get(part, []) + notes
    page = _page(
        "Exam report",
        _summary(results)
        + _distribution(results)
        + _reliability(reliability)
        + _items(items, flags)
        + _distractors(distractors, by_text=options is not None)
        + _options(decisions, answers, with_key=options is not None)
        + _learners(results),
    )
    (out / "report.html").write_text(page, encoding="utf-8")
    feedback_dir = out / "feedback"
    feedback_dir.mkdir(exist_ok=True)
    for row in records(results, _Learner):
        mine = (
            answers[answers["submission_id"] == row["id"]] if len(answers) else answers
        )
        (feedback_dir / f"{row['learner_id']}.html").write_text(
            _feedback(row, mine), encoding="utf-8"
        )
    return out / "report.html"


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def _summary(results: pd.DataFrame) -> str:
    if results.empty:
        return "<p>The gradebook has no results yet.</p>"
    graded = results[results["status"] == "graded"]
    statuses = results["status"].value_counts()
    lines = [
        f"<li>{len(results)} learners; {int(graded['passed'].sum())} passed "
        f"({_percent(graded['passed'].mean() if len(graded) else 0)} of those "
        "graded).</li>",
        f"<li>Median score {graded['percent'].median():.1f}%, mean "
        f"{graded['percent'].mean():.1f}%.</li>"
        if len(graded)
        else "",
        "<li>Status: "
        + ", ".join(f"{html.escape(str(s))} {n}" for s, n in statuses.items())
        + ".</li>",
        f"<li>{int((results['submissions'] > 1).sum())} learners handed in more "
        "than one file; their best graded file counts.</li>",
    ]
    return "<h2>Summary</h2><ul>" + "".join(lines) + "</ul>"


def _percent(share: float) -> str:
    return "—" if math.isnan(share) else f"{100 * share:.0f}%"


def _distribution(results: pd.DataFrame) -> str:
    graded = results[results["status"] == "graded"]
    if graded.empty:
        return ""
    counts = np.histogram(graded["percent"], bins=10, range=(0, 100))[0]
    pass_marks = {
        EXAMS[f"{e}@{v}"].pass_percent
        for e, v in zip(graded["exam_id"], graded["exam_version"], strict=True)
        if f"{e}@{v}" in EXAMS
    }
    width, height, top = 400, 160, max(counts.max(), 1)
    bars = "".join(
        f"<rect x='{20 + 36 * i}' y='{140 - 120 * c / top:.1f}' width='32' "
        f"height='{120 * c / top:.1f}' fill='#0969da'><title>{10 * i}-{10 * i + 10}%: "
        f"{c}</title></rect><text x='{36 + 36 * i}' y='155' font-size='9' "
        f"text-anchor='middle'>{10 * i}</text>"
        for i, c in enumerate(counts)
    )
    marks = "".join(
        f"<line x1='{20 + 3.6 * p:.1f}' x2='{20 + 3.6 * p:.1f}' y1='10' y2='142' "
        f"stroke='#cf222e' stroke-dasharray='4'/>"
        for p in pass_marks
    )
    return (
        "<h2>Score distribution</h2><p class='muted'>Learners per 10-point band of "
        "percent score; the dashed line is the pass mark.</p>"
        f"<svg width='{width}' height='{height}' role='img' aria-label='Score "
        f"distribution'>{bars}{marks}</svg>"
    )


def _number(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def _reliability(summary: Reliability | None) -> str:
    if not summary:
        return ""
    kr20 = _number(summary["kr20"])
    left_out = (
        f" {summary['left_out']} candidates whose form did not have every "
        "position are left out."
        if summary["left_out"]
        else ""
    )
    rows = [
        ("Candidates", f"{summary['candidates']}"),
        (
            "Items (form positions)",
            f"{summary['items']}, of which {summary['dichotomous']} scored right/wrong",
        ),
        ("KR-20, right/wrong items", kr20),
        ("Cronbach's alpha, whole exam", _number(summary["alpha"])),
        (
            "Mean and SD of the total",
            f"{_number(summary['mean'], 1)} and "
            f"{_number(summary['sd'], 1)} of {summary['max_points']:g} points",
        ),
        ("Standard error of measurement", f"{_number(summary['sem'], 1)} points"),
    ]
    body = "".join(f"<tr><th>{a}</th><td>{b}</td></tr>" for a, b in rows)
    return (
        "<h2>Reliability</h2><p class='muted'>How consistently the exam ranks "
        "candidates. KR-20 and alpha run from 0 to 1; for a pass/fail decision aim "
        "for 0.80 or more. The standard error of measurement (SD × √(1 − alpha)) "
        "is how far a candidate's score may sit from their true score by chance: "
        "about two thirds of candidates lie within one SEM, so treat a score "
        "within one SEM of the pass mark as borderline. Forms differ between "
        "candidates, so reliability is computed over form positions (Module 5's "
        f"second item, whichever template it came from).{left_out}</p>"
        f"<table>{body}</table>"
    )


def _items(
    items: pd.DataFrame, distractor_flags: dict[str, list[str]] | None = None
) -> str:
    if items.empty:
        return ""
    rows = []
    for item in records(items, ItemAnalysis):
        flags = psychometrics.item_flags(item)
        flags += (distractor_flags or {}).get(item["part"], [])
        bar = (
            "<svg width='100' height='12'><rect "
            f"width='{100 * item['difficulty']:.0f}' "
            "height='12' fill='#1a7f37'/></svg>"
        )
        rows.append(
            f"<tr><td><code>{html.escape(item['part'])}</code></td>"
            f"<td>Module {html.escape(str(item['module']))}</td>"
            f"<td>{item['candidates']}</td>"
            f"<td>{item['difficulty']:.2f} {bar}</td>"
            f"<td>{_number(item['discrimination'])}</td>"
            f"<td>{_number(item['upper_minus_lower'])}</td>"
            f"<td>{_percent(item['not_attempted'])}</td>"
            f"<td>{html.escape(item['commonest_mistake'])}</td>"
            f"<td class='flag'>{html.escape('; '.join(flags))}</td></tr>"
        )
    return (
        "<h2>Item analysis</h2><p class='muted'>Difficulty is the share of the "
        "points earned; discrimination is the correlation between the part and the "
        "rest of the exam (corrected point-biserial); upper − lower compares the "
        "top and bottom 27%. Flags: difficulty below 0.20 or above 0.95, "
        "discrimination below 0.20, and distractor problems (below). A flag asks "
        "for a review, not an automatic deletion.</p>"
        "<table><tr><th>Part</th><th>Module</th><th>Candidates</th>"
        "<th>Difficulty</th><th>Discrimination</th><th>Upper − lower</th>"
        "<th>Not attempted</th><th>Commonest mistake</th><th>Flags</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _distractors(distractors: pd.DataFrame, by_text: bool) -> str:
    if distractors.empty:
        return ""
    # Options from one paper's data (a post id) that nobody chose crowd the table.
    most = distractors.groupby("part")["offered"].transform("max")
    rare = distractors["offered"] < np.minimum(psychometrics.MIN_OFFERED, most)
    shown = distractors[~(rare & (distractors["chosen"] == 0))]
    rows = "".join(
        f"<tr><td><code>{html.escape(d['part'])}</code></td>"
        f"<td>{html.escape(str(d['option']))}</td>"
        f"<td class='{'ok' if d['key'] else ''}'>{'key' if d['key'] else ''}</td>"
        f"<td>{d['offered']}</td><td>{d['chosen']}</td>"
        f"<td>{_percent(d['share'])}</td><td>{_number(d['mean_total'], 1)}</td>"
        f"<td>{_number(d['point_biserial'])}</td><td>{_number(d['upper_share'])}</td>"
        f"<td>{_number(d['lower_share'])}</td></tr>"
        for d in records(shown, psychometrics.Distractor)
    )
    hidden = len(distractors) - len(shown)
    left_out = (
        f" {hidden} options offered to fewer than {psychometrics.MIN_OFFERED} "
        "candidates and chosen by none are not listed."
        if hidden
        else ""
    )
    how = (
        "Wrong options are named by their text on the candidate's paper."
        if by_text
        else "Wrong options are named by the feedback note candidates got (the "
        "mistake the option stands for); run <code>exam report --secret</code> "
        "to see their text and the options nobody chose."
    )
    return (
        "<h2>Distractor analysis</h2><p class='muted'>For each single-choice "
        "part: who chose each option, their mean total, and the correlation of "
        "choosing it with the rest of the exam. The key should correlate "
        "positively and attract the upper 27% more than any distractor; a "
        "distractor nobody chooses is doing no work. “(the key)” is the right "
        f"option, whichever it was on each paper. {how}{left_out}</p>"
        "<table><tr><th>Part</th><th>Option</th><th></th><th>Offered</th>"
        "<th>Chosen</th>"
        "<th>Share</th><th>Mean total</th><th>Point-biserial</th>"
        "<th>Upper 27%</th><th>Lower 27%</th></tr>" + rows + "</table>"
    )


def _options(decisions: pd.DataFrame, answers: pd.DataFrame, with_key: bool) -> str:
    """The tick-every-option parts, option by option (they need the secret)."""
    kinds = answers["kind"] if "kind" in answers.columns else pd.Series(dtype=str)
    if not (kinds == "multi").any():
        return ""
    intro = (
        "<h2>Tick-every-option items</h2><p class='muted'>Each option of a "
        "“tick every option that applies” part is a yes/no decision: whether "
        "candidates ticked it where it applied and where it did not, the share "
        "who decided it right, and how that separates the upper 27% from the "
        "lower. An option high scorers decide worse than low scorers needs "
        "rewording; a wrong option nobody ticks does no work.</p>"
    )
    if not with_key:
        return intro + (
            "<p>Which options applied differs from paper to paper: run "
            "<code>exam report --secret</code> to see them.</p>"
        )
    rows = "".join(
        f"<tr><td><code>{html.escape(d['part'])}</code></td>"
        f"<td>{html.escape(str(d['option']))}</td><td>{d['offered']}</td>"
        f"<td>{d['applies']}</td><td>{_percent(d['ticked_when_applies'])}</td>"
        f"<td>{_percent(d['ticked_when_not'])}</td><td>{_percent(d['right'])}</td>"
        f"<td>{_number(d['point_biserial'])}</td><td>{_number(d['upper_right'])}</td>"
        f"<td>{_number(d['lower_right'])}</td></tr>"
        for d in records(decisions, psychometrics.OptionDecision)
    )
    return (
        intro + "<table><tr><th>Part</th><th>Option</th><th>Offered</th>"
        "<th>Applied</th><th>Ticked where it applied</th>"
        "<th>Ticked where it did not</th><th>Decided right</th>"
        "<th>Point-biserial</th><th>Upper 27% right</th><th>Lower 27% right</th>"
        "</tr>" + rows + "</table>"
    )


def _learners(results: pd.DataFrame) -> str:
    if results.empty:
        return ""
    rows = "".join(
        f"<tr><td><a href='feedback/{html.escape(r['learner_id'])}.html'>"
        f"{html.escape(r['learner_id'])}</a></td><td>{html.escape(r['name'])}</td>"
        f"<td>{html.escape(r['status'])}</td><td>{r['score']:g}/{r['max_score']:g} "
        f"({r['percent']:.1f}%)</td><td class='{'ok' if r['passed'] else 'flag'}'>"
        f"{'pass' if r['passed'] else 'not yet'}</td><td>{r['submissions']}</td></tr>"
        for r in records(results, _Learner)
    )
    return (
        "<h2>Learners</h2><table><tr><th>Learner</th><th>Name</th><th>Status</th>"
        "<th>Score</th><th>Result</th><th>Files</th></tr>" + rows + "</table>"
    )


def _feedback(row: _Learner, answers: pd.DataFrame) -> str:
    head = (
        f"<p>{html.escape(row['name'])} "
        f"(<code>{html.escape(row['learner_id'])}</code>), "
        f"{html.escape(row['exam_id'])} version {html.escape(row['exam_version'])}: "
        f"<strong>{row['score']:g} of {row['max_score']:g} points "
        f"({row['percent']:.1f}%), "
        f"{'pass' if row['passed'] else 'not yet a pass'}</strong>.</p>"
    )
    if row["status"] != "graded":
        message = html.escape(row["message"])
        return _page("Your exam feedback", head + f"<p>{message}</p>")
    parts = "".join(
        f"<tr><td><code>{html.escape(a['part'])}</code></td>"
        f"<td>{a['points']:g}/{a['max_points']:g}</td>"
        f"<td>{html.escape(a['outcome'])}</td>"
        f"<td>{html.escape(a['feedback'])}</td></tr>"
        for a in records(answers, _Answer)
    )
    lost = answers[answers["points"] < answers["max_points"]]
    modules = sorted(set(lost["module"]))
    revisit = (
        "<h2>What to revisit</h2><ul>"
        + "".join(
            f"<li>Module {html.escape(m)}, {html.escape(MODULE_TITLES.get(m, ''))}</li>"
            for m in modules
        )
        + "</ul>"
        if modules
        else "<p>Every part was right.</p>"
    )
    run = f"<p class='muted'>{html.escape(row['message'])}</p>"
    table = (
        "<table><tr><th>Part</th><th>Points</th><th>Outcome</th><th>Feedback</th>"
        "</tr>" + parts + "</table>"
    )
    return _page("Your exam feedback", head + run + table + revisit)
