"""Simulate a certification cohort and print what `exam report` would say of it.

A cohort of candidates under the two-parameter logistic (2PL) item response
model (abilities N(0, 1), 36 right/wrong items with difficulties spread over
−2..2 and discriminations 0.8–2.0, and a written item scored 0–8 by four
criteria), then the report's classical statistics: KR-20, Cronbach's alpha,
the standard error of measurement and the items flagged for review.

    python scripts/simulate_cohort.py [--learners 200] [--seed 2026] [--repeats 50]
"""

from __future__ import annotations

import argparse

import numpy as np

from smm_playbook.grading import psychometrics as ps


def summarise(seed: int, learners: int) -> dict:
    matrix, truth = ps.simulate_2pl(np.random.default_rng(seed), learners=learners)
    scored = matrix.drop(columns="written")
    alpha = ps.cronbach_alpha(matrix)
    totals = matrix.sum(axis=1)
    items = ps.item_statistics(matrix, {"written": 8.0})
    items["flags"] = [ps.item_flags(row) for row in items.to_dict("records")]
    return {
        "kr20": ps.kr20(scored),
        "alpha": alpha,
        "sem": ps.sem(totals, alpha),
        "mean": totals.mean(),
        "sd": totals.std(ddof=1),
        "items": items.merge(truth, on="item", how="left"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=50, help="cohorts for the range")
    args = parser.parse_args()
    one = summarise(args.seed, args.learners)
    print(
        f"One cohort of {args.learners} (seed {args.seed}), 36 items + written (0-8):"
    )
    print(f"  KR-20 (36 right/wrong items)   {one['kr20']:.3f}")
    print(f"  Cronbach's alpha (all 37)      {one['alpha']:.3f}")
    print(f"  total: mean {one['mean']:.1f}, SD {one['sd']:.1f} of 44 points")
    print(f"  SEM                            {one['sem']:.2f} points")
    flagged = one["items"][one["items"]["flags"].map(bool)]
    print(f"  items flagged for review: {len(flagged)}")
    for row in flagged.itertuples():
        truth = "" if np.isnan(row.a) else f" (true a {row.a:.2f}, b {row.b:+.2f})"
        print(
            f"    {row.item}: p {row.difficulty:.3f}, discrimination "
            f"{row.discrimination:.2f}{truth}: {'; '.join(row.flags)}"
        )
    runs = [summarise(seed, args.learners) for seed in range(args.repeats)]
    kr20 = np.array([run["kr20"] for run in runs])
    sem = np.array([run["sem"] for run in runs])
    flags = np.array([run["items"]["flags"].map(bool).sum() for run in runs])
    print(f"Over {args.repeats} cohorts (seeds 0-{args.repeats - 1}):")
    print(
        f"  KR-20 median {np.median(kr20):.3f}, range {kr20.min():.3f}-{kr20.max():.3f}"
    )
    print(f"  SEM median {np.median(sem):.2f} points, range {sem.min():.2f}", end="")
    print(f"-{sem.max():.2f}")
    print(
        f"  items flagged: median {np.median(flags):.0f}, range {flags.min()}", end=""
    )
    print(f"-{flags.max()}")


if __name__ == "__main__":
    main()
