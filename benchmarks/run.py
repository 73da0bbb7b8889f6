"""Course benchmarks: `make benchmark` (or `python benchmarks/run.py [--skip-book]`).

Prints one table with the spec's targets:
- q.check() for the heaviest question (a DataFrame check over the posts dataset),
  including the atomic progress write the learner's call performs;
- the simulator update (model + in-place figure update) behind a slider move;
- a clean book build against a rebuild with nothing changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def timings(action: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def row(name: str, samples: list[float], target: str) -> dict:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "measure": name,
        "runs": len(samples),
        "median_ms": 1e3 * statistics.median(samples),
        "p95_ms": 1e3 * p95,
        "target": target,
    }


def bench_checks() -> list[dict]:
    os.environ["SMM_PLAYBOOK_HOME"] = tempfile.mkdtemp(prefix="smm-bench-")
    import smm_playbook.exercises.ex00_orientation as ex

    posts = ex.load("starter_posts")
    posts["engagements"] = posts[["likes", "comments", "shares", "saves"]].sum(axis=1)
    known = posts.dropna(subset=["reach"])
    totals = known.groupby("platform")[["engagements", "reach"]].sum()
    right = (
        (100 * totals["engagements"] / totals["reach"]).rename("er_reach").reset_index()
    )
    wrong = right.assign(er_reach=right["er_reach"] + 1)
    huge = pd.DataFrame(
        {"platform": [str(i) for i in range(1_000_000)], "er_reach": 1.0}
    )
    return [
        row(
            "q5.check() correct frame",
            timings(lambda: ex.q5.check(platform_er=right), 50),
            "≤ 50 ms",
        ),
        row(
            "q5.check() wrong frame (misconceptions tried)",
            timings(lambda: ex.q5.check(platform_er=wrong), 50),
            "≤ 50 ms",
        ),
        row(
            "q5.check() 1,000,000-row frame",
            timings(lambda: ex.q5.check(platform_er=huge), 10),
            "≤ 50 ms",
        ),
        row(
            "ex02 q9.check() four-week calendar rules",
            timings(_calendar_check(), 50),
            "≤ 50 ms",
        ),
        row(
            "q4.check() function, 5 cases",
            timings(lambda: ex.q4.check(engagement_rate=lambda e, b: e / b * 100), 50),
            "≤ 50 ms",
        ),
        *_graded_functions(),
    ]


def _graded_functions() -> list[dict]:
    """The two checks that run a learner's function over unseen data."""
    import smm_playbook.exercises.ex03_moderation as ex3
    import smm_playbook.exercises.ex04_crisis as ex4

    def triage(comment):
        text = comment["text"].lower()
        return "escalate" if "glass" in text or "lawyer" in text else "respond"

    def detect(series):
        loud = series["mentions"] > 3 * series["mentions"].median() + 10
        negative = series["negative_share"] > 0.35
        alarm = loud & negative
        return series.loc[alarm.idxmax(), "timestamp"] if alarm.any() else None

    return [
        row(
            "ex03 q4.check() triage over 2,000 unseen comments",
            timings(lambda: ex3.q4.check(triage=triage), 10),
            "—",
        ),
        row(
            "ex04 q1.check() onset detector over 12 unseen series",
            timings(lambda: ex4.q1.check(detect_onset=detect), 10),
            "—",
        ),
    ]


def bench_simulator() -> list[dict]:
    from smm_playbook.sim.competency import EXAMPLE_LEARNERS, assess
    from smm_playbook.widgets.competency import CompetencyApp

    app = CompetencyApp()
    slider = app.sliders["managing_up"]
    values = iter(range(10**9))

    def move() -> None:
        slider.value = 1 + next(values) % 5  # the observer runs model + figure update

    learner = EXAMPLE_LEARNERS["New graduate"]
    return (
        _strategy_simulators()
        + _content_simulators()
        + _moderation_simulator()
        + _crisis_simulators()
        + _paid_simulators()
        + _attribution_simulator()
        + _creator_simulator()
        + _query_lab_simulator()
        + [
            row("competency model only", timings(lambda: assess(learner), 200), "—"),
            row(
                "competency slider move (model + figure)",
                timings(move, 200),
                "p95 ≤ 16 ms",
            ),
        ]
    )


def _strategy_simulators() -> list[dict]:
    from smm_playbook.sim.channel_planner import EXAMPLE_PLAN, plan_reach
    from smm_playbook.widgets.channel_planner import (
        ChannelPlannerApp,
        shipped_audiences,
    )
    from smm_playbook.widgets.maturity import MaturityApp

    planner, maturity = ChannelPlannerApp(), MaturityApp()
    audiences = shipped_audiences()
    levels, ticks = iter(range(10**9)), iter(range(10**9))

    def move_planner() -> None:
        planner.sliders["Weibo"].value = 5 * (next(levels) % 21)

    def tick_maturity() -> None:
        box = maturity.boxes["listening"]
        box.value = bool(next(ticks) % 2)

    return [
        row(
            "channel planner model only",
            timings(lambda: plan_reach(**EXAMPLE_PLAN, audiences=audiences), 200),
            "—",
        ),
        row(
            "channel planner slider move (model + figure)",
            timings(move_planner, 200),
            "p95 ≤ 16 ms",
        ),
        row(
            "maturity checkbox (model + figure)",
            timings(tick_maturity, 200),
            "p95 ≤ 16 ms",
        ),
    ]


def _content_simulators() -> list[dict]:
    from smm_playbook.sim.content_calendar import EXAMPLE_CADENCE, simulate_calendar
    from smm_playbook.widgets.ab_test import ABPlannerApp
    from smm_playbook.widgets.content_calendar import ContentCalendarApp

    calendar, planner = ContentCalendarApp(), ABPlannerApp()
    levels, effects = iter(range(10**9)), iter(range(10**9))

    def move_cadence() -> None:
        calendar.sliders["Weibo"].value = next(levels) % 15

    def move_mde() -> None:
        planner.mde.value = 0.002 + 0.001 * (next(effects) % 20)

    return [
        row(
            "content calendar model only (12 weeks)",
            timings(lambda: simulate_calendar(EXAMPLE_CADENCE), 100),
            "—",
        ),
        row(
            "content calendar slider move (model + figure)",
            timings(move_cadence, 100),
            "p95 ≤ 16 ms",
        ),
        row(
            "A/B planner slider move (curve + figure)",
            timings(move_mde, 100),
            "p95 ≤ 16 ms",
        ),
    ]


def _moderation_simulator() -> list[dict]:
    from smm_playbook.sim.moderation_queue import simulate_queue
    from smm_playbook.widgets.moderation_queue import ModerationQueueApp

    app, staff = ModerationQueueApp(), iter(range(10**9))

    def move_evening() -> None:
        app.shifts["evening"].value = 3 + next(staff) % 5

    def move_evening_week() -> None:
        app.days.value = 7
        move_evening()

    return [
        row("moderation queue model only (1 day)", timings(simulate_queue, 100), "—"),
        row(
            "moderation queue slider move (model + figures, 1 day)",
            timings(move_evening, 100),
            "p95 ≤ 16 ms",
        ),
        row(
            "moderation queue slider move (model + figures, 7 days)",
            timings(move_evening_week, 50),
            "—",
        ),
    ]


def _crisis_simulators() -> list[dict]:
    from smm_playbook.sim.rumour_spread import network_spread
    from smm_playbook.widgets.rumour_spread import RumourSpreadApp
    from smm_playbook.widgets.tabletop import TrainerApp

    app, minutes = RumourSpreadApp(), iter(range(10**9))

    def move_response() -> None:
        app.respond_at.value = 15 * (next(minutes) % 32)

    def move_response_mean_field() -> None:
        app.view.value = "mean_field"
        move_response()

    def lock_in_four_teams() -> None:
        drill = TrainerApp("glass-in-the-bottle", teams=4)
        while not all(d.finished for d in drill.drills):
            for column, team in zip(drill.columns, drill.drills, strict=True):
                if not team.finished:
                    column.menu.value = column.menu.options[0][1]
            drill.lock.click()

    return [
        row("spread model only (network, 48 h)", timings(network_spread, 100), "—"),
        row(
            "spread slider move (network model + figure)",
            timings(move_response, 100),
            "p95 ≤ 16 ms",
        ),
        row(
            "spread slider move (mean-field model + figure)",
            timings(move_response_mean_field, 100),
            "p95 ≤ 16 ms",
        ),
        row(
            "golden-hour drill, 4 teams start to debrief",
            timings(lock_in_four_teams, 10),
            "—",
        ),
    ]


def _paid_simulators() -> list[dict]:
    from smm_playbook.sim.paid_social import simulate_campaign
    from smm_playbook.widgets.paid_social import AuctionLabApp

    app, steps = AuctionLabApp(), iter(range(10**9))

    def move_budget() -> None:
        app.controls["Meta"]["budget"].value = 25 * (next(steps) % 40)

    return [
        row(
            "auction lab model only (3 channels, 30 days, uncached)",
            timings(lambda: simulate_campaign(seed=next(steps)), 50),
            "—",
        ),
        row(
            "auction lab slider move (model + figure + table)",
            timings(move_budget, 100),
            "p95 ≤ 16 ms",
        ),
        row("auction lab Optimise button", timings(app.show_optimum, 5), "—"),
    ]


def _attribution_simulator() -> list[dict]:
    from smm_playbook.widgets.attribution import AttributionLabApp

    app, steps = AttributionLabApp(), iter(range(10**9))

    def move_search() -> None:
        app.search.value = 0.05 * (next(steps) % 30)

    def move_holdout() -> None:
        app.holdout.value = 0.02 + 0.01 * (next(steps) % 48)

    return [
        row(
            "attribution lab slider: Search effect (journeys + 6 models + truth)",
            timings(move_search, 60),
            "p95 ≤ 16 ms",
        ),
        row(
            "attribution lab slider: holdout (planner + curve)",
            timings(move_holdout, 60),
            "p95 ≤ 16 ms",
        ),
    ]


def _creator_simulator() -> list[dict]:
    from smm_playbook.sim.creator_portfolio import AUDIENCE_FIT, run_portfolio
    from smm_playbook.widgets.creator_portfolio import CreatorLabApp

    app, steps = CreatorLabApp(), iter(range(10**9))

    def move_budget() -> None:
        app.budget.value = 2_000 + 1_000 * (next(steps) % 99)

    def move_fit() -> None:
        app.weights["fit"].value = 0.1 * (next(steps) % 11)

    return [
        row(
            "creator lab model only (300 creators, choose + evaluate)",
            timings(lambda: run_portfolio(app.pool, **AUDIENCE_FIT), 200),
            "—",
        ),
        row(
            "creator lab slider: budget (2 portfolios + figure + table)",
            timings(move_budget, 100),
            "p95 ≤ 16 ms",
        ),
        row(
            "creator lab slider: audience fit (2 portfolios + figure + table)",
            timings(move_fit, 100),
            "p95 ≤ 16 ms",
        ),
    ]


LAB_QUERIES = (
    "willow OR 小满",
    '"willow tea" OR willowtea OR #willowtea OR 小满茶 OR 小滿 OR 晓满 OR xiaoman',
    "(willow OR 小满) NOT (tree OR basket OR glasgow OR 节气 OR 小满足 OR 茶小满)",
    "(willow OR wilow) NEAR/3 (tea OR oolong OR matcha) OR (小满 AND lang:zh)",
)


def _query_lab_simulator() -> list[dict]:
    from smm_playbook.sim import query_lab
    from smm_playbook.widgets.query_lab import QueryLabApp

    app, steps = QueryLabApp(), iter(range(10**9))
    corpus = app.data.corpus

    def evaluate() -> None:  # a fresh query: no term's matches or positions cached
        corpus.cache.clear()
        corpus.arrays.clear()
        query_lab.run(LAB_QUERIES[next(steps) % len(LAB_QUERIES)], corpus)

    def edit_query() -> None:
        corpus.cache.clear()
        corpus.arrays.clear()
        app.query.value = LAB_QUERIES[next(steps) % len(LAB_QUERIES)] + " "

    def move_sample() -> None:
        app.sample.value = 50 + 50 * (next(steps) % 20)

    return [
        row(
            f"query lab: parse + run a query over {len(corpus):,} posts (uncached)",
            timings(evaluate, 100),
            "p95 ≤ 50 ms",
        ),
        row(
            "query lab: edit the query (run + scores, SOV, examples, confusion)",
            timings(edit_query, 60),
            "p95 ≤ 16 ms",
        ),
        row(
            "query lab slider: labelled sample (estimate + figure)",
            timings(move_sample, 100),
            "p95 ≤ 16 ms",
        ),
    ]


def _calendar_check() -> Callable[[], object]:
    import smm_playbook.exercises.ex02_content as ex2

    plan = [
        (0, "Douyin", "video", "How-to"),
        (2, "Douyin", "video", "Product"),
        (4, "Douyin", "video", "Community"),
        (1, "Xiaohongshu", "note", "How-to"),
        (3, "Xiaohongshu", "note", "Product"),
        (5, "WeChat", "article", "Promotion"),
    ]
    start = pd.Timestamp("2026-03-02")
    calendar = pd.DataFrame(
        [
            {
                "date": start + pd.Timedelta(weeks=w, days=d),
                "platform": p,
                "format": f,
                "pillar": k,
            }
            for w in range(4)
            for d, p, f, k in plan
        ]
    )
    return lambda: ex2.q9.check(calendar=calendar)


def bench_book() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="smm-book-") as folder:
        copy = Path(folder) / "course"
        files = subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        for name in files:
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
        build = [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(copy),
            "-W",
            "-n",
            "--keep-going",
        ]
        clean = _wall(build)
        cached = _wall(build)
    # `make book` rebuilds only when an input changed; measured in this checkout.
    _wall(["make", "-s", "book"], cwd=ROOT)
    make_cached = _wall(["make", "-s", "book"], cwd=ROOT)
    return [
        {
            "measure": "book build, clean (executes pages)",
            "runs": 1,
            "median_ms": 1e3 * clean,
            "p95_ms": float("nan"),
            "target": "—",
        },
        {
            "measure": "book rebuild, nothing changed",
            "runs": 1,
            "median_ms": 1e3 * cached,
            "p95_ms": float("nan"),
            "target": f"≤ 10% of clean ({100 * cached / clean:.0f}%)",
        },
        {
            "measure": "make book, nothing changed",
            "runs": 1,
            "median_ms": 1e3 * make_cached,
            "p95_ms": float("nan"),
            "target": f"≤ 10% of clean ({100 * make_cached / clean:.1f}%)",
        },
    ]


def _wall(command: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-book", action="store_true", help="skip the book builds")
    args = parser.parse_args()
    rows = bench_checks() + bench_simulator() + ([] if args.skip_book else bench_book())
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 140, "display.max_colwidth", 60):
        print(table.to_string(index=False, float_format=lambda x: f"{x:,.1f}"))


if __name__ == "__main__":
    main()
