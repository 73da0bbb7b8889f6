"""The trainer's dashboard: one self-contained HTML file (no CDN, no script needed).

Sections: the class at a glance, per learner, per question, the misconceptions
most often hit, who is stuck, reviewed work products, and a learner × question
grid. A small inline script filters every table by group and intake; the same
filter can be applied when the file is built (`--group`, `--intake`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from smm_playbook.checks.reviews import score_summary
from smm_playbook.cohort.report import (
    STUCK_AFTER,
    Cohort,
    learner_rows,
    misconception_rows,
    question_rows,
)

_STATUS_COLOUR = {
    "correct": "#1a7f37",
    "partial": "#9a6700",
    "incorrect": "#cf222e",
    "error": "#8250df",
    "submitted": "#0969da",
    "reviewed": "#1a7f37",
    "not_attempted": "#d0d7de",
}
_SYMBOL = {
    "correct": "✓",
    "partial": "½",
    "incorrect": "✗",
    "error": "!",
    "submitted": "✎",
    "reviewed": "★",
    "not_attempted": "·",
}

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1f2328}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;font-size:.9rem}
th{background:#f6f8fa} .num{text-align:right} .grid td{padding:0 .2rem;
text-align:center} .stuck{color:#cf222e;font-weight:600} .muted{color:#57606a}
"""
_FILTER_SCRIPT = """
function smmFilter(){var g=document.getElementById('group').value,
i=document.getElementById('intake').value;
document.querySelectorAll('tr[data-learner]').forEach(function(r){
r.hidden=(g&&r.dataset.group!==g)||(i&&r.dataset.intake!==i);});}
"""


def render(cohort: Cohort, reviews: list[dict[str, Any]], title: str) -> str:
    """The dashboard as one HTML document."""
    people = learner_rows(cohort)
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_STYLE}</style>"
        f"<script>{_FILTER_SCRIPT}</script></head><body>",
        f"<h1>{escape(title)}</h1>",
        _glance(cohort, people),
        _filters(cohort),
        _learners(people),
        _questions(cohort),
        _misconceptions(cohort),
        _stuck(cohort, people),
        _reviewed(cohort, reviews),
        _grid(cohort),
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(
    cohort: Cohort, path: Path, reviews: list[dict[str, Any]] | None = None
) -> Path:
    title = "Social Media Manager Playbook · where the class stands"
    path.write_text(render(cohort, reviews or [], title), encoding="utf-8")
    return path


def _attrs(cohort: Cohort, learner: str) -> str:
    person = cohort.learners.get(learner, {})
    group, intake = escape(person.get("group", "")), escape(person.get("intake", ""))
    return (
        f" data-learner='{escape(learner)}' data-group='{group}' data-intake='{intake}'"
    )


def _glance(cohort: Cohort, people: list[dict]) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    stuck = sum(bool(p["stuck"]) for p in people)
    return (
        f"<p>{len(people)} learners · {len(cohort.questions)} questions · "
        f"{stuck} learner(s) stuck somewhere · built {stamp}</p>"
    )


def _filters(cohort: Cohort) -> str:
    def select(name: str, key: str) -> str:
        values = sorted({p[key] for p in cohort.learners.values() if p[key]})
        options = "".join(
            f"<option value='{escape(v)}'>{escape(v)}</option>" for v in values
        )
        return (
            f"<label>{name.capitalize()} <select id='{name}' onchange='smmFilter()'>"
            f"<option value=''>all</option>{options}</select></label> "
        )

    return f"<p>{select('group', 'group')}{select('intake', 'intake')}</p>"


def _table(headers: list[str], rows: list[str], css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(rows) or (
        f"<tr><td colspan='{len(headers)}' class='muted'>None.</td></tr>"
    )
    return (
        f"<table class='{css}'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _learners(people: list[dict]) -> str:
    rows = []
    for p in people:
        rows.append(
            f"<tr data-learner='{escape(p['learner'])}'"
            f" data-group='{escape(p['group'])}' data-intake='{escape(p['intake'])}'>"
            f"<td>{escape(p['learner'])}</td>"
            f"<td>{escape(p['group'])}</td><td>{escape(p['intake'])}</td>"
            f"<td class='num'>{p['earned']:.1f} / {p['available']}</td>"
            f"<td class='num'>{p['correct']}</td><td class='num'>{p['attempted']}</td>"
            f"<td class='num'>{p['to_review']}</td>"
            f"<td class='num stuck'>{len(p['stuck']) or ''}</td>"
            f"<td>{escape(p['last_at'][:16].replace('T', ' '))}</td></tr>"
        )
    headers = ["learner", "group", "intake", "points", "correct", "attempted"]
    headers += ["written, to review", "stuck on", "last active (UTC)"]
    return "<h2>Per learner</h2>" + _table(headers, rows)


def _questions(cohort: Cohort) -> str:
    rows = []
    for r in question_rows(cohort):
        q = r["question"]
        rows.append(
            f"<tr><td>{escape(q.label)}</td><td>{escape(q.title)}</td>"
            f"<td class='num'>{r['attempted']}</td><td class='num'>{r['correct']}</td>"
            f"<td class='num'>{r['checks_per_learner']:.1f}</td>"
            f"<td class='num stuck'>{r['stuck'] or ''}</td></tr>"
        )
    headers = ["question", "title", "attempted", "correct", "checks each", "stuck"]
    return "<h2>Per question</h2>" + _table(headers, rows)


def _misconceptions(cohort: Cohort) -> str:
    rows = [
        f"<tr><td>{escape(r['question'].label)}</td><td>{escape(r['message'])}</td>"
        f"<td class='num'>{r['learners']}</td><td class='num'>{r['hits']}</td></tr>"
        for r in misconception_rows(cohort)
    ]
    intro = (
        "<p class='muted'>Wrong answers that match a mistake the question knows, "
        "so a trainer can address it with the whole class.</p>"
    )
    headers = ["question", "misconception", "learners", "times"]
    return "<h2>Misconceptions most often hit</h2>" + intro + _table(headers, rows)


def _stuck(cohort: Cohort, people: list[dict]) -> str:
    rows = []
    questions = {q.label: q for q in cohort.questions}
    for p in people:
        for label in p["stuck"]:
            state = cohort.state(p["learner"], questions[label])
            rows.append(
                f"<tr{_attrs(cohort, p['learner'])}><td>{escape(p['learner'])}</td>"
                f"<td>{escape(label)}</td><td class='num'>{state.wrong}</td>"
                f"<td class='num'>{state.hints}</td>"
                f"<td>{'yes' if state.solution else ''}</td>"
                f"<td>{escape(state.last_at[:16].replace('T', ' '))}</td></tr>"
            )
    intro = (
        f"<p class='muted'>Stuck: {STUCK_AFTER} or more wrong checks, or the "
        "solution opened, without a right answer yet.</p>"
    )
    headers = ["learner", "question", "wrong checks", "hints", "solution seen", "since"]
    return "<h2>Who is stuck</h2>" + intro + _table(headers, rows)


def _reviewed(cohort: Cohort, reviews: list[dict[str, Any]]) -> str:
    latest = {
        (r.get("learner"), r.get("exercise"), r.get("question")): r for r in reviews
    }
    rows = []
    for q in cohort.questions:
        for name in sorted(cohort.learners):
            state = cohort.state(name, q)
            review = latest.get((name, q.exercise, q.qid))
            if state.status != "submitted" and not review:
                continue
            verdict = score_summary(review) if review else "waiting for review"
            comment = (review or {}).get("comment", "")
            rows.append(
                f"<tr{_attrs(cohort, name)}><td>{escape(name)}</td>"
                f"<td>{escape(q.label)} · {escape(q.title)}</td>"
                f"<td>{escape(verdict)}</td><td>{escape(comment)}</td>"
                f"<td>{escape((review or {}).get('reviewer', ''))}</td></tr>"
            )
    headers = ["learner", "work product", "review", "comment", "reviewer"]
    return "<h2>Written work and reviews</h2>" + _table(headers, rows)


def _grid(cohort: Cohort) -> str:
    header = "".join(
        f"<th title='{escape(q.label)} · {escape(q.title)}'>"
        f"{escape(q.exercise[2:4])}.{q.number}</th>"
        for q in cohort.questions
    )
    rows = []
    for name in sorted(cohort.learners):
        cells = []
        for q in cohort.questions:
            status = cohort.state(name, q).status
            colour = _STATUS_COLOUR.get(status, "#d0d7de")
            cells.append(
                f"<td style='color:{colour}' title='{escape(status)}'>"
                f"{_SYMBOL.get(status, '?')}</td>"
            )
        rows.append(
            f"<tr{_attrs(cohort, name)}><th>{escape(name)}</th>{''.join(cells)}</tr>"
        )
    legend = " ".join(f"{_SYMBOL[s]} {s.replace('_', ' ')}" for s in _SYMBOL)
    return (
        f"<h2>Every learner, every question</h2><p class='muted'>{legend}</p>"
        f"<table class='grid'><thead><tr><th></th>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
