"""The trainer's item-analysis report and each learner's feedback, as plain HTML.

Item analysis uses each learner's counted result (see `results.best_results`):

- **difficulty** p: the mean share of a part's points earned (1 = everyone right);
- **discrimination**: the correlation between a part's score and the rest of the
  exam (total minus that part). Near zero or negative, the part does not
  separate stronger from weaker candidates and deserves a look;
- **upper − lower**: p among the top 27% of candidates minus p among the bottom
  27%, the classic index that does not need a correlation.

Charts are inline SVG, so the report is one self-contained file that opens
offline. Everything a learner wrote is escaped before it reaches the page.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import numpy as np
import pandas as pd

from smm_playbook.grading.exam import EXAMS, MODULE_TITLES
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.results import best_results, submissions_frame

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem;color:#1f2328}table{border-collapse:collapse;margin:1rem 0}"
    "td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;"
    "vertical-align:top}th{background:#f6f8fa}.flag{color:#cf222e}"
    ".ok{color:#1a7f37}.muted{color:#57606a}"
)


def item_analysis(results: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """One row per part: difficulty, discrimination and the commonest wrong answer."""
    graded = results[results["status"] == "graded"]
    scores = answers[answers["submission_id"].isin(graded["id"])]
    if scores.empty:
        return pd.DataFrame()
    wide = scores.pivot_table(
        index="submission_id", columns="part", values="points", aggfunc="sum"
    )
    maxima = scores.groupby("part")["max_points"].first()
    total = wide.sum(axis=1)
    cut = max(1, math.ceil(0.27 * len(total)))
    order = total.sort_values(kind="stable")
    lower, upper = order.index[:cut], order.index[-cut:]
    rows = []
    for part, info in scores.groupby("part", sort=False):
        share = wide[part] / maxima[part]
        wrong = info.loc[info["outcome"] == "incorrect", "feedback"]
        rows.append(
            {
                "part": part,
                "module": info["module"].iloc[0],
                "section": info["section"].iloc[0],
                "max_points": maxima[part],
                "difficulty": share.mean(),
                "discrimination": _correlation(share, total - wide[part]),
                "upper_minus_lower": share[upper].mean() - share[lower].mean(),
                "not_attempted": (info["outcome"] == "not_attempted").mean(),
                "commonest_mistake": wrong.mode().iloc[0] if len(wrong) else "",
            }
        )
    return pd.DataFrame(rows)


def _correlation(a: pd.Series, b: pd.Series) -> float:
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return float("nan")  # everyone scored the same: no information
    return float(np.corrcoef(a, b)[0, 1])


def write_report(gradebook: Gradebook, out: Path, exam_id: str | None = None) -> Path:
    """Write report.html and feedback/<learner>.html under `out`."""
    frame = submissions_frame(gradebook, exam_id)
    results = best_results(frame)
    answers = pd.DataFrame(gradebook.answers())
    out.mkdir(parents=True, exist_ok=True)
    items = item_analysis(results, answers) if len(answers) else pd.DataFrame()
    page = _page(
        "Exam report",
        _summary(results) + _distribution(results) + _items(items) + _learners(results),
    )
    (out / "report.html").write_text(page, encoding="utf-8")
    feedback_dir = out / "feedback"
    feedback_dir.mkdir(exist_ok=True)
    for row in results.itertuples():
        mine = answers[answers["submission_id"] == row.id] if len(answers) else answers
        (feedback_dir / f"{row.learner_id}.html").write_text(
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
        + ", ".join(f"{html.escape(s)} {n}" for s, n in statuses.items())
        + ".</li>",
        f"<li>{int((results['submissions'] > 1).sum())} learners handed in more "
        "than one file; their best graded file counts.</li>",
    ]
    return "<h2>Summary</h2><ul>" + "".join(lines) + "</ul>"


def _percent(share: float) -> str:
    return f"{100 * share:.0f}%"


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


def _items(items: pd.DataFrame) -> str:
    if items.empty:
        return ""
    rows = []
    for item in items.itertuples():
        flags = []
        if item.difficulty > 0.9:
            flags.append("very easy")
        if item.difficulty < 0.2:
            flags.append("very hard")
        if not math.isnan(item.discrimination) and item.discrimination < 0.2:
            flags.append("weak discrimination: review the question")
        bar = (
            f"<svg width='100' height='12'><rect width='{100 * item.difficulty:.0f}' "
            "height='12' fill='#1a7f37'/></svg>"
        )
        discrimination = (
            "n/a" if math.isnan(item.discrimination) else f"{item.discrimination:.2f}"
        )
        rows.append(
            f"<tr><td><code>{html.escape(item.part)}</code></td>"
            f"<td>Module {html.escape(str(item.module))}</td>"
            f"<td>{item.difficulty:.2f} {bar}</td><td>{discrimination}</td>"
            f"<td>{item.upper_minus_lower:.2f}</td><td>{_percent(item.not_attempted)}"
            f"</td><td>{html.escape(item.commonest_mistake)}</td>"
            f"<td class='flag'>{'; '.join(flags)}</td></tr>"
        )
    return (
        "<h2>Item analysis</h2><p class='muted'>Difficulty is the share of the "
        "points earned; discrimination is the correlation between the part and the "
        "rest of the exam; upper − lower compares the top and bottom 27%.</p>"
        "<table><tr><th>Part</th><th>Module</th><th>Difficulty</th>"
        "<th>Discrimination</th><th>Upper − lower</th><th>Not attempted</th>"
        "<th>Commonest mistake</th><th>Flags</th></tr>" + "".join(rows) + "</table>"
    )


def _learners(results: pd.DataFrame) -> str:
    if results.empty:
        return ""
    rows = "".join(
        f"<tr><td><a href='feedback/{html.escape(r.learner_id)}.html'>"
        f"{html.escape(r.learner_id)}</a></td><td>{html.escape(r.name)}</td>"
        f"<td>{html.escape(r.status)}</td><td>{r.score:g}/{r.max_score:g} "
        f"({r.percent:.1f}%)</td><td class='{'ok' if r.passed else 'flag'}'>"
        f"{'pass' if r.passed else 'not yet'}</td><td>{r.submissions}</td></tr>"
        for r in results.itertuples()
    )
    return (
        "<h2>Learners</h2><table><tr><th>Learner</th><th>Name</th><th>Status</th>"
        "<th>Score</th><th>Result</th><th>Files</th></tr>" + rows + "</table>"
    )


def _feedback(row, answers: pd.DataFrame) -> str:
    head = (
        f"<p>{html.escape(row.name)} (<code>{html.escape(row.learner_id)}</code>), "
        f"{html.escape(row.exam_id)} version {html.escape(row.exam_version)}: "
        f"<strong>{row.score:g} of {row.max_score:g} points ({row.percent:.1f}%), "
        f"{'pass' if row.passed else 'not yet a pass'}</strong>.</p>"
    )
    if row.status != "graded":
        return _page("Your exam feedback", head + f"<p>{html.escape(row.message)}</p>")
    parts = "".join(
        f"<tr><td><code>{html.escape(a.part)}</code></td>"
        f"<td>{a.points:g}/{a.max_points:g}</td><td>{html.escape(a.outcome)}</td>"
        f"<td>{html.escape(a.feedback)}</td></tr>"
        for a in answers.itertuples()
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
    run = f"<p class='muted'>{html.escape(row.message)}</p>"
    table = (
        "<table><tr><th>Part</th><th>Points</th><th>Outcome</th><th>Feedback</th>"
        "</tr>" + parts + "</table>"
    )
    return _page("Your exam feedback", head + run + table + revisit)
