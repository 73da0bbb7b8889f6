"""Model answers: the pandas a competent candidate writes for each exam part.

They compute every answer from the data in the paper, the way the exercises
teach, so they double as worked solutions for the practice exam and as the
realistic submissions the tests and benchmarks grade. The two crisis parts are
judgement, not calculation: `solve` fills them from the paper itself.
"""

from __future__ import annotations

import nbformat

from smm_playbook.grading.exam import Paper

LETTERS = "abcdefghijklmnopqrstuvwxyz"

MODEL_ANSWERS = {
    "er_reach_pct": (
        "engagements = posts[['likes', 'comments', 'shares', 'saves']].sum(axis=1)\n"
        "er_reach_pct = engagements.sum() / posts['reach'].sum() * 100"
    ),
    "top_post": (
        "rates = engagements / posts['reach']\n"
        f"top_post = '{LETTERS}'[int(rates.to_numpy().argmax())]"
    ),
    "best_platform": (
        "people = audience['population'] * audience['share']\n"
        "users = people.groupby(audience['platform']).sum()\n"
        f"best_platform = '{LETTERS}'[sorted(users.index).index(users.idxmax())]"
    ),
    "best_platform_users_m": "best_platform_users_m = users.max() / 1e6",
    "ctr_lift_pct": (
        "ctr = {variant: clicks[variant] / shown[variant] for variant in shown}\n"
        "ctr_lift_pct = (ctr['B'] / ctr['A'] - 1) * 100"
    ),
    "ab_verdict": (
        "from scipy import stats\n\n"
        "pooled = (clicks['A'] + clicks['B']) / (shown['A'] + shown['B'])\n"
        "se = (pooled * (1 - pooled) * (1 / shown['A'] + 1 / shown['B'])) ** 0.5\n"
        "p_value = 2 * stats.norm.sf(abs(ctr['B'] - ctr['A']) / se)\n"
        "if p_value >= 0.05:\n"
        "    ab_verdict = 'c'\n"
        "else:\n"
        "    ab_verdict = 'a' if ctr['B'] > ctr['A'] else 'b'"
    ),
    "response_rate_pct": (
        "needing = inbox[inbox['action'].isin(['respond', 'escalate'])]\n"
        "response_rate_pct = needing['first_response_at'].notna().mean() * 100"
    ),
    "median_response_minutes": (
        "answered = needing.dropna(subset=['first_response_at'])\n"
        "replied = pd.to_datetime(answered['first_response_at'], utc=True)\n"
        "posted = pd.to_datetime(answered['created_at'], utc=True)\n"
        "waits = replied - posted\n"
        "median_response_minutes = waits.dt.total_seconds().median() / 60"
    ),
    "cpm": "cpm = week['spend'].sum() / week['impressions'].sum() * 1000",
    "cpa": "cpa = week['spend'].sum() / week['conversions'].sum()",
    "roas": "roas = week['revenue'].sum() / week['spend'].sum()",
    "roi_profit_pct": (
        "cost = campaign['media_spend'] + campaign['agency_fee']\n"
        "profit = campaign['revenue'] * campaign['gross_margin_pct'] / 100\n"
        "roi_profit_pct = (profit - cost) / cost * 100"
    ),
    "incremental_conversions": (
        "groups = lift.groupby('group')[['users', 'conversions']].sum()\n"
        "control_rate = groups.loc['control', 'conversions'] / "
        "groups.loc['control', 'users']\n"
        "incremental_conversions = groups.loc['test', 'conversions'] - "
        "control_rate * groups.loc['test', 'users']"
    ),
}


def answer_code(paper: Paper) -> dict[str, str]:
    """Code for every part of `paper`: the model answer, or the judged letter."""
    code = {}
    for section in paper.sections:
        for part in section.parts:
            if part.var in MODEL_ANSWERS:
                code[part.var] = MODEL_ANSWERS[part.var]
            else:
                code[part.var] = f"{part.var} = {part.question.correct!r}"
    return code


def solve(book: nbformat.NotebookNode, code: dict[str, str]) -> nbformat.NotebookNode:
    """Put `code[var]` into the answer cell of each part named in `code`."""
    for cell in book.cells:
        cell_id = cell.get("id", "")
        if cell.cell_type == "code" and cell_id.endswith("-answer"):
            var = cell_id.split("-", 1)[1].removesuffix("-answer")
            if var in code:
                cell.source = code[var]
    return book
