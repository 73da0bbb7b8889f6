"""Classical test theory for an exam: reliability, item statistics, distractors.

Pure functions on pandas frames, no I/O. The input is a *score matrix*: one
row per candidate, one column per item, the points each candidate earned (NaN
where a candidate did not sit the item, which happens when forms are drawn
from a bank). Definitions used throughout:

- **KR-20** (Kuder & Richardson 1937), for items scored right/wrong:
  ``k/(k-1) · (1 - Σ p·q / var(X))``, p the share right, q = 1 - p, X the total,
  variances with the population denominator n (as p·q is).
- **Cronbach's alpha** (Cronbach 1951), for any item scores (the written item's
  0..N marks too): ``k/(k-1) · (1 - Σ var(item) / var(X))``. On right/wrong
  items it equals KR-20 (the n/(n-1) factors cancel).
- **SEM**, the standard error of measurement: ``SD(X) · sqrt(1 - reliability)``,
  SD with the sample denominator n - 1, in points.
- **Difficulty** p: the mean share of an item's points earned (1 = all right).
- **Discrimination**: the corrected point-biserial, the correlation between
  the item's score and the rest of the exam (total minus the item), so the item
  is not correlated with itself.
- **Upper − lower**: p among the top 27% of candidates minus p in the bottom 27%.

Reliability needs a complete matrix (every candidate, the same k items):
`reliability_matrix` keeps the complete rows. The simulator at the end draws a
cohort under the two-parameter logistic (2PL) item response model, for tests
and for `scripts/simulate_cohort.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from smm_playbook._frames import records

UPPER_LOWER = 0.27  # share of candidates in the upper and lower groups
# Review thresholds: common rules of thumb in classical item analysis.
TOO_HARD, TOO_EASY = 0.2, 0.95
WEAK_DISCRIMINATION = 0.2
MIN_OFFERED = 10  # candidates offered an option before "nobody chose it" counts
MIN_SHARE = 0.05  # a distractor one candidate in a hundred chose says little


class ItemStatistics(TypedDict):
    """A row of `item_statistics`."""

    item: str
    candidates: int
    max_points: float
    difficulty: float
    discrimination: float
    upper_minus_lower: float


class Distractor(TypedDict):
    """A row of `distractor_analysis`: one option of one choice part."""

    part: str
    option: str
    key: bool
    offered: int
    chosen: int
    share: float
    mean_total: float
    point_biserial: float
    upper_share: float
    lower_share: float


def reliability_matrix(matrix: pd.DataFrame) -> pd.DataFrame:
    """The rows that answered every item (reliability needs the same k items)."""
    return matrix.dropna(axis=0, how="any").astype(float)


def cronbach_alpha(matrix: pd.DataFrame) -> float:
    """Cronbach's alpha of the complete rows; NaN if it cannot be computed."""
    data = reliability_matrix(matrix)
    k = data.shape[1]
    if k < 2 or len(data) < 2:
        return float("nan")
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")  # everyone the same total: no information
    return k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var)


def kr20(matrix: pd.DataFrame) -> float:
    """KR-20 of the complete rows of a right/wrong (0/1) matrix."""
    data = reliability_matrix(matrix)
    if not data.isin([0.0, 1.0]).all().all():
        raise ValueError("KR-20 needs items scored 0 or 1; use cronbach_alpha.")
    k = data.shape[1]
    if k < 2 or len(data) < 2:
        return float("nan")
    total_var = data.sum(axis=1).var(ddof=0)
    if total_var == 0:
        return float("nan")
    p = data.mean(axis=0)
    return k / (k - 1) * (1 - (p * (1 - p)).sum() / total_var)


def sem(totals: pd.Series, reliability: float) -> float:
    """Standard error of measurement, in the totals' points."""
    if len(totals) < 2 or math.isnan(reliability):
        return float("nan")
    return float(totals.std(ddof=1) * math.sqrt(max(0.0, 1 - reliability)))


def point_biserial(item: pd.Series, other: pd.Series) -> float:
    """Pearson correlation of an item score with another score, over the rows
    where both are known; NaN when either does not vary (no information)."""
    both = pd.concat([item, other], axis=1).dropna()
    if len(both) < 3 or both.iloc[:, 0].std() == 0 or both.iloc[:, 1].std() == 0:
        return float("nan")
    return float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1])


def upper_lower_groups(totals: pd.Series) -> tuple[pd.Index, pd.Index]:
    """The bottom and top 27% of candidates by total (at least one each)."""
    cut = max(1, math.ceil(UPPER_LOWER * len(totals)))
    order = totals.sort_values(kind="stable")
    return order.index[:cut], order.index[-cut:]


def item_statistics(
    matrix: pd.DataFrame,
    max_points: Mapping[str, float] | None = None,
    totals: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per item: candidates, difficulty, discrimination, upper − lower.

    `totals` defaults to the row sums of `matrix`; pass the exam totals when the
    matrix holds only some of the items (the discrimination then uses total
    minus the item, as it should).
    """
    totals = matrix.sum(axis=1, min_count=1) if totals is None else totals
    lower, upper = upper_lower_groups(totals)
    rows: list[ItemStatistics] = []
    for item in matrix.columns:
        top = (max_points or {}).get(item) or float(np.nanmax(matrix[item]) or 1)
        share = matrix[item] / top
        rows.append(
            {
                "item": item,
                "candidates": int(share.notna().sum()),
                "max_points": top,
                "difficulty": float(share.mean()),
                "discrimination": point_biserial(share, totals - matrix[item]),
                "upper_minus_lower": _mean(share.reindex(upper))
                - _mean(share.reindex(lower)),
            }
        )
    return pd.DataFrame(rows)


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else float("nan")


def distractor_analysis(
    responses: pd.DataFrame,
    totals: pd.Series,
    options: Mapping[str, Mapping[str, int] | Sequence[str]] | None = None,
    key_label: str | None = None,
) -> pd.DataFrame:
    """One row per item and option of choice items.

    `responses` has columns learner, part, given (the option chosen, e.g. its
    text) and outcome ("correct" marks the key); `totals` is indexed by learner.
    `options` (optional) names every option of a part, so an option nobody
    chose still gets a row: a list, or {option: candidates it was offered to}
    when options differ between papers. `key_label` names the key when nobody
    chose it. Per option: how many were offered it and chose it, the share of
    the part's candidates, their mean total, the point-biserial of choosing it
    against the rest of the exam, and the share choosing it in the upper and
    lower 27%.
    """
    columns = ["part", "option", "key", "offered", "chosen", "share", "mean_total"]
    columns += ["point_biserial", "upper_share", "lower_share"]
    if responses.empty:
        return pd.DataFrame(columns=columns)
    lower, upper = upper_lower_groups(totals)
    rows: list[Distractor] = []
    for name, group in responses.groupby("part", sort=True):
        part = str(name)  # parts are named by their answer variable
        group = group.drop_duplicates("learner").set_index("learner")
        keys = set(group.loc[group["outcome"] == "correct", "given"]) | {key_label}
        named = (options or {}).get(part) or {}
        offered = named if isinstance(named, Mapping) else dict.fromkeys(named)
        seen = sorted(set(group["given"].dropna()) - set(offered))
        item_score = (group["outcome"] == "correct").astype(float)
        rest = totals.reindex(group.index) - item_score
        for option in [*offered, *seen]:
            chose = (group["given"] == option).astype(float)
            rows.append(
                {
                    "part": part,
                    "option": option,
                    "key": option in keys,
                    "offered": offered.get(option) or len(group),
                    "chosen": int(chose.sum()),
                    "share": float(chose.mean()),
                    "mean_total": _mean(totals.reindex(chose.index[chose == 1])),
                    "point_biserial": point_biserial(chose, rest),
                    "upper_share": _mean(chose.reindex(upper)),
                    "lower_share": _mean(chose.reindex(lower)),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def item_flags(item: Mapping[str, Any] | pd.Series) -> list[str]:
    """Why an item (a row of `item_statistics`, or anything with its
    `difficulty` and `discrimination`) deserves a review."""
    flags = []
    difficulty = float(item["difficulty"])
    if difficulty < TOO_HARD:
        flags.append("very hard (p < 0.20)")
    if difficulty > TOO_EASY:
        flags.append("very easy (p > 0.95)")
    d = float(item["discrimination"])
    if not math.isnan(d) and d < WEAK_DISCRIMINATION:
        flags.append("weak discrimination (< 0.20)")
    return flags


def distractor_flags(distractors: pd.DataFrame) -> dict[str, list[str]]:
    """Per part: distractors nobody chose, or that beat the key among the upper
    group, or whose choosers (at least 5%) score higher than the rest."""
    flags: dict[str, list[str]] = {}
    for part, group in distractors.groupby("part", sort=True):
        key_upper = float(group.loc[group["key"], "upper_share"].sum())
        # an option offered to a handful only (it came from one paper's data)
        # says nothing by not being chosen
        enough = min(MIN_OFFERED, int(group["offered"].max()))
        notes = []
        for row in records(group[~group["key"]], Distractor):
            if row["chosen"] == 0 and row["offered"] >= enough:
                notes.append(f"nobody chose “{row['option']}”")
            elif row["chosen"] == 0:
                continue
            elif row["upper_share"] > key_upper:
                notes.append(f"high scorers chose “{row['option']}” more than the key")
            elif row["point_biserial"] > 0.05 and row["share"] >= MIN_SHARE:
                notes.append(f"“{row['option']}” attracts stronger candidates")
        if notes:
            flags[str(part)] = notes
    return flags


class OptionDecision(TypedDict):
    """A row of `option_decisions`: one option of one tick-every-option part."""

    part: str
    option: str
    offered: int  # candidates whose paper showed it
    applies: int  # of them, papers on which it was one to tick
    ticked_when_applies: float  # share who ticked it where it applied
    ticked_when_not: float  # share who ticked it where it did not
    right: float  # share who decided it right (ticked exactly where it applied)
    point_biserial: float  # deciding it right against the rest of the exam
    upper_right: float
    lower_right: float


def option_decisions(ticks: pd.DataFrame, totals: pd.Series) -> pd.DataFrame:
    """One row per option of "tick every option that applies" parts.

    Such a part is a bundle of yes/no decisions, so each option is analysed as
    one: `ticks` has a row per candidate (learner), part, option (its text),
    whether it `applies` on that candidate's paper (the key can differ between
    papers, since it follows each paper's data), whether they `ticked` it, and
    the part's `points` on their paper; `totals` is indexed by learner. Per
    option: how often it was ticked where it applied and where it did not, the
    share deciding it right, the point-biserial of deciding it right against
    the rest of the exam (total minus the part), and the share right in the
    upper and lower 27%.
    """
    columns = list(OptionDecision.__annotations__)
    if ticks.empty:
        return pd.DataFrame(columns=columns)
    lower, upper = upper_lower_groups(totals)
    rows = []
    for (part, option), group in ticks.groupby(["part", "option"], sort=True):
        group = group.drop_duplicates("learner").set_index("learner")
        applies, ticked = group["applies"].astype(bool), group["ticked"].astype(bool)
        right = (applies == ticked).astype(float)
        rest = totals.reindex(group.index) - group["points"].astype(float)
        rows.append(
            {
                "part": part,
                "option": option,
                "offered": len(group),
                "applies": int(applies.sum()),
                "ticked_when_applies": _mean(ticked[applies].astype(float)),
                "ticked_when_not": _mean(ticked[~applies].astype(float)),
                "right": float(right.mean()),
                "point_biserial": point_biserial(right, rest),
                "upper_right": _mean(right.reindex(upper)),
                "lower_right": _mean(right.reindex(lower)),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def option_flags(options: pd.DataFrame) -> dict[str, list[str]]:
    """Per part: options high scorers decide worse than low scorers, and wrong
    options nobody ticked (like a distractor nobody chooses, they do no work)."""
    flags: dict[str, list[str]] = {}
    for part, group in options.groupby("part", sort=True):
        enough = min(MIN_OFFERED, int((group["offered"] - group["applies"]).max()))
        notes = []
        for row in records(group, OptionDecision):
            wrong_on = row["offered"] - row["applies"]
            if wrong_on >= max(enough, 1) and row["ticked_when_not"] == 0:
                notes.append(f"nobody ticked “{row['option']}” where it did not apply")
            if row["upper_right"] < row["lower_right"]:
                notes.append(
                    f"high scorers decide “{row['option']}” worse than low scorers"
                )
        if notes:
            flags[str(part)] = notes
    return flags


def simulate_2pl(
    rng: np.random.Generator,
    learners: int = 200,
    items: int = 36,
    written_criteria: int = 4,
    written_levels: int = 2,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A cohort under the 2PL model, and the items' true parameters.

    Abilities θ ~ N(0, 1); item difficulties b evenly spread over −2..2 (in a
    shuffled order) and discriminations a ~ U(0.8, 2.0); P(right) =
    1 / (1 + exp(−a(θ − b))). The written item is a graded response model: each
    of its criteria scores 0..`written_levels`, P(level ≥ k) logistic in θ minus
    the k-th threshold (spread over −1..1), so it is scored
    0..criteria·levels. Columns `i01`…, then `written`.
    """
    theta = rng.normal(0.0, 1.0, learners)
    b = rng.permutation(np.linspace(-2.0, 2.0, items))
    a = rng.uniform(0.8, 2.0, items)
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    right = (rng.random((learners, items)) < p).astype(float)
    names = [f"i{j + 1:02d}" for j in range(items)]
    matrix = pd.DataFrame(right, columns=names)
    if written_criteria:
        thresholds = np.linspace(-1.0, 1.0, written_levels)
        slope = rng.uniform(0.8, 2.0, written_criteria)
        reach = 1 / (1 + np.exp(-slope[:, None, None] * (theta - thresholds[:, None])))
        # One draw per criterion and candidate against the cumulative
        # probabilities, so reaching level 2 implies reaching level 1.
        draws = rng.random((written_criteria, 1, learners)) < reach
        matrix["written"] = draws.sum(axis=(0, 1)).astype(float)
    truth = pd.DataFrame({"item": names, "a": a, "b": b})
    return matrix, truth
