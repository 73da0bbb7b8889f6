"""The explorable figure of each simulator the book teaches: its parameters and grid.

Each function here names the two or three parameters that carry the lesson, the
values the reader can move through, and the simulator's own figure function to
run at each of them (`smm_playbook.widgets`, which calls the pure model in
`smm_playbook.sim`). `smm_playbook.book.explorable` does the rest.

`SPECS` maps a short name to `(build, controls, caption, label)`, so tests and
the benchmark can reach every grid; a page calls, for example,
`explorable_figure("ab-planner")`.

Two labs do not reduce to a grid: the tabletop drill (a branching story, scored
along a path) and the query lab's free-text query. For those the book shows a
walk-through instead: `drill_walkthrough` (the best path through a scenario,
decision by decision) and the query lab's five prepared queries as a menu.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, TypeAlias

import numpy as np

from smm_playbook.book.explorable import Control, Explorable, explorable

if TYPE_CHECKING:  # the simulators and views are imported when a figure is built
    import pandas as pd
    import plotly.graph_objects as go

    from smm_playbook.sim.rumour_spread import SpreadResult
    from smm_playbook.sim.tabletop_scenarios import Scenario
    from smm_playbook.widgets.query_lab import Listening

# --- Module 0: competency self-assessment --------------------------------------------


def competency_build(learner: str, role: str, practice: int) -> go.Figure:
    from smm_playbook.sim.competency import EXAMPLE_LEARNERS, assess
    from smm_playbook.widgets.competency import radar_figure

    ratings = {k: min(5, v + practice) for k, v in EXAMPLE_LEARNERS[learner].items()}
    return radar_figure(assess(ratings, role))


def _competency_controls() -> list[Control]:
    from smm_playbook.sim.competency import EXAMPLE_LEARNERS, ROLE_PROFILES

    learners, roles = list(EXAMPLE_LEARNERS), list(ROLE_PROFILES)
    return [
        Control("learner", "Learner", learners, learners[0], kind="menu"),
        Control("role", "Target role", roles, roles[0], kind="menu"),
        Control(
            "practice",
            "Levels gained by practice (every rating, up to 5)",
            [0, 1, 2, 3],
            0,
            fmt="+{}",
        ),
    ]


# --- Module 1: channel planner and maturity ------------------------------------------


def channel_build(wechat: int, douyin: int, xiaohongshu: int) -> go.Figure:
    from smm_playbook.widgets.channel_planner import (
        EXAMPLE_PLAN,
        plan_reach,
        reach_build_up_figure,
    )

    activity = {"WeChat": wechat, "Douyin": douyin, "Xiaohongshu": xiaohongshu}
    activity = {c: a for c, a in activity.items() if a}
    result = plan_reach(activity, EXAMPLE_PLAN["segments"], EXAMPLE_PLAN["goal"])
    return reach_build_up_figure(result)


def _channel_controls() -> list[Control]:
    levels = list(range(10, 101, 10))
    return [
        Control("wechat", "WeChat activity", levels, 30),
        Control("douyin", "Douyin activity", levels, 30),
        Control("xiaohongshu", "Xiaohongshu activity", [0, 15, 50], 15),
    ]


NO_STATEMENT = "(nothing added)"


def maturity_build(organisation: str, added: str) -> go.Figure:
    from smm_playbook.sim.maturity import EXAMPLE_ORGANISATIONS, assess_maturity
    from smm_playbook.widgets.maturity import maturity_figure

    answers = dict(EXAMPLE_ORGANISATIONS[organisation])
    if added != NO_STATEMENT:
        answers[added] = True
    return maturity_figure(assess_maturity(answers))


def _maturity_controls() -> list[Control]:
    from smm_playbook.sim.maturity import EXAMPLE_ORGANISATIONS, STATEMENTS

    organisations = list(EXAMPLE_ORGANISATIONS)
    keys = [NO_STATEMENT, *STATEMENTS]
    labels = [NO_STATEMENT] + [f"{n}. {text}" for n, text in STATEMENTS.values()]
    return [
        Control(
            "organisation", "Organisation", organisations, organisations[0], kind="menu"
        ),
        Control(
            "added",
            "Make one more statement true",
            keys,
            NO_STATEMENT,
            kind="menu",
            labels=labels,
        ),
    ]


# --- Module 2: content calendar and A/B planner --------------------------------------


def calendar_build(instagram: int, hour: int, seed: int) -> go.Figure:
    from smm_playbook.sim.content_calendar import EXAMPLE_CADENCE, simulate_calendar
    from smm_playbook.widgets.content_calendar import weekly_figure

    cadence = {**EXAMPLE_CADENCE, "Instagram": instagram}
    return weekly_figure(simulate_calendar(cadence, hour=hour, weeks=12, seed=seed))


def _calendar_controls() -> list[Control]:
    from smm_playbook.sim.content_calendar import EXAMPLE_CADENCE

    return [
        Control(
            "instagram",
            "Instagram posts a week",
            list(range(1, 13)),
            EXAMPLE_CADENCE["Instagram"],
        ),
        Control("hour", "Posting hour", list(range(6, 23, 2)), 12, fmt="{:02d}:00"),
        Control(
            "seed",
            "Random draw (same plan, another 12 weeks)",
            [0, 1, 2],
            0,
            fmt="draw {}",
        ),
    ]


def ab_build(baseline: float, mde: float, alpha: float) -> go.Figure:
    from smm_playbook.widgets.ab_test import power_curve_figure

    return power_curve_figure(baseline, mde, alpha)


def _ab_controls() -> list[Control]:
    baselines = [round(x, 3) for x in np.arange(0.01, 0.081, 0.01)]
    mdes = [round(x, 4) for x in np.arange(0.0025, 0.02001, 0.0025)]
    return [
        Control("baseline", "Baseline rate", baselines, 0.03, fmt="{:.0%}"),
        Control(
            "mde",
            "Smallest effect worth finding (points)",
            mdes,
            0.005,
            labels=[f"+{m * 100:.2f}" for m in mdes],
        ),
        Control("alpha", "Significance level α", [0.01, 0.05, 0.1], 0.05, kind="menu"),
    ]


# --- Module 3: moderation queue ------------------------------------------------------


def queue_build(per_day: int, evening: int, order: str) -> go.Figure:
    from smm_playbook.sim.moderation_queue import (
        DEFAULT_SHIFT_STAFF,
        roster_from_shifts,
        simulate_queue,
    )
    from smm_playbook.widgets.moderation_queue import sla_figure

    roster = roster_from_shifts({**DEFAULT_SHIFT_STAFF, "evening": evening})
    return sla_figure(simulate_queue(per_day, roster, order=order))


def _queue_controls() -> list[Control]:
    from smm_playbook.sim.moderation_queue import DEFAULT_PER_DAY, DEFAULT_SHIFT_STAFF

    return [
        Control(
            "per_day",
            "Messages a day",
            list(range(600, 2401, 200)),
            int(DEFAULT_PER_DAY),
            fmt="{:,}",
        ),
        Control(
            "evening",
            "Staff on the evening shift",
            list(range(2, 9)),
            DEFAULT_SHIFT_STAFF["evening"],
        ),
        Control(
            "order",
            "Order of the line",
            ["fifo", "tier"],
            "fifo",
            kind="menu",
            labels=["in arrival order", "higher tiers first"],
        ),
    ]


# --- Module 4: rumour spread ---------------------------------------------------------

SPREAD_EVERY = 3  # plot every third 5-minute step (15 minutes): the shape, lighter


def spread_run(respond_at: int | None, cluster: str, posture: str) -> SpreadResult:
    """The follower-network run the explorable plots: 24 hours, every 15 minutes."""
    from smm_playbook.sim.rumour_spread import network_spread

    run = network_spread(
        hours=24, respond_at=respond_at, cluster=cluster, posture=posture
    )
    return replace(run, series=run.series.iloc[::SPREAD_EVERY].reset_index(drop=True))


def spread_build(respond_at: int, cluster: str, posture: str) -> go.Figure:
    from smm_playbook.widgets.rumour_spread import spread_figure

    baseline = spread_run(None, cluster, "none")
    responded = spread_run(respond_at, cluster, posture)
    figure = spread_figure([baseline, responded])
    figure.update_layout(
        title=f"After 24 hours: {baseline.total_reach:,} accounts have heard with no "
        f"response, {responded.total_reach:,} with a {posture} response at "
        f"{respond_at / 60:g} h"
    )
    return figure


def _spread_controls() -> list[Control]:
    from smm_playbook.sim.rumour_spread import CLUSTERS, POSTURES

    postures = [p for p in POSTURES if p != "none"]
    return [
        Control(
            "respond_at",
            "Brand responds after",
            list(range(0, 481, 30)),
            120,
            labels=[f"{m // 60} h {m % 60:02d} min" for m in range(0, 481, 30)],
        ),
        Control("cluster", "SCCT cluster", list(CLUSTERS), "accidental", kind="menu"),
        Control("posture", "Response posture", postures, "diminish", kind="menu"),
    ]


# --- Module 5: auction and budget lab ------------------------------------------------


def auction_build(budget: float, bid: float, refresh_every: int) -> go.Figure:
    from smm_playbook.sim.paid_social import DEFAULT_PLAN, simulate_campaign
    from smm_playbook.widgets.paid_social import daily_figure

    plan = {name: dict(settings) for name, settings in DEFAULT_PLAN.items()}
    plan["Meta"].update(budget=budget, bid=bid, refresh_every=refresh_every)
    return daily_figure(simulate_campaign(plan))


def _auction_controls() -> list[Control]:
    from smm_playbook.sim.paid_social import DEFAULT_PLAN

    return [
        Control(
            "budget",
            "Meta daily budget",
            [float(b) for b in (50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000)],
            DEFAULT_PLAN["Meta"]["budget"],
            fmt="{:,.0f}",
        ),
        Control(
            "bid",
            "Meta bid cap",
            [round(b, 1) for b in np.arange(0.5, 4.01, 0.5)],
            DEFAULT_PLAN["Meta"]["bid"],
            fmt="{:.2f}",
        ),
        Control(
            "refresh_every",
            "Meta: new creative every",
            [0, 7, 14],
            0,
            kind="menu",
            labels=["never", "7 days", "14 days"],
        ),
    ]


# --- Module 6: attribution lab and lift-test planner ---------------------------------


def attribution_build(search: float, kol: float) -> go.Figure:
    from smm_playbook.sim.attribution import compare_touches, simulate_touches
    from smm_playbook.widgets.attribution import credit_figure

    effects = {"Search": search, "KOL": kol}
    touches, _ = simulate_touches(effects=effects)
    return credit_figure(compare_touches(touches, effects))


def _attribution_controls() -> list[Control]:
    from smm_playbook.sim.attribution import TRUE_EFFECTS

    return [
        Control(
            "search",
            "Search's true effect (log-odds)",
            [round(x, 2) for x in np.arange(0, 1.01, 0.1)],
            TRUE_EFFECTS["Search"],
            fmt="{:.1f}",
        ),
        Control(
            "kol",
            "KOL's true effect (log-odds)",
            [round(x, 2) for x in np.arange(0, 1.21, 0.2)],
            TRUE_EFFECTS["KOL"],
            fmt="{:.1f}",
        ),
    ]


def lift_build(holdout: float, days: int) -> go.Figure:
    from smm_playbook.widgets.attribution import power_figure

    return power_figure(holdout=holdout, days=days)


def _lift_controls() -> list[Control]:
    holdouts = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]
    return [
        Control("holdout", "Share held out", holdouts, 0.1, fmt="{:.0%}"),
        Control("days", "Test length (days)", list(range(7, 57, 7)), 28, fmt="{} days"),
    ]


# --- Module 7: creator portfolio -----------------------------------------------------


@cache
def _pool() -> pd.DataFrame:
    from smm_playbook.sim.creator_portfolio import generate_pool

    return generate_pool(np.random.default_rng(0))


def creator_build(budget: float, authenticity: float, target: str) -> go.Figure:
    from smm_playbook.sim.creator_portfolio import (
        AUDIENCE_FIT,
        FOLLOWERS_ONLY,
        run_portfolio,
    )
    from smm_playbook.widgets.creator_portfolio import portfolio_figure

    pool = _pool()
    mine = {**AUDIENCE_FIT, "authenticity": authenticity}
    baseline = run_portfolio(pool, budget, target, **FOLLOWERS_ONLY)
    return portfolio_figure(pool, baseline, run_portfolio(pool, budget, target, **mine))


def _creator_controls() -> list[Control]:
    from smm_playbook.sim.creator_portfolio import AUDIENCE_FIT, DEFAULT, TARGETS

    budgets = [
        float(b)
        for b in (5_000, 10_000, 20_000, 30_000, 40_000, 60_000, 80_000, 100_000)
    ]
    return [
        Control("budget", "Budget (USD)", budgets, DEFAULT["budget"], fmt="{:,.0f}"),
        Control(
            "authenticity",
            "Weight on authenticity",
            [0.0, 0.5, 1.0, 1.5, 2.0, 3.0],
            AUDIENCE_FIT["authenticity"],
            fmt="{:.1f}",
        ),
        Control(
            "target", "Target audience", list(TARGETS), DEFAULT["target"], kind="menu"
        ),
    ]


# --- Module 8: query lab (a walk-through of prepared queries) ------------------------

_NAMES = "(willow OR willowtea OR wilow OR 小满 OR 小滿 OR 晓满 OR xiaoman)"
_NOISE = (
    "(tree OR garden OR basket OR glasgow OR bark OR dog OR road OR pond OR catkins "
    "OR cricket OR charcoal OR plates OR branch OR 节气 OR 茶小满 OR 小满足 OR 时节 "
    "OR 麦 OR 宝宝 OR 我家小满 OR 剧 OR 人生 OR 今日小满 OR 今天小满 OR 小满了 OR 江河)"
)
_SPAM = (
    '(giveaway OR "free box" OR wholesale OR "link in bio" OR 代购 OR 刷单 OR 福利群 '
    "OR 一折 OR example)"
)
QUERY_STEPS = {
    "1 the name alone": "willow OR 小满",
    "2 every form of the name": _NAMES,
    "3 the other meanings excluded": f"{_NAMES} NOT {_NOISE}",
    "4 spam excluded too": f"{_NAMES} NOT ({_NOISE} OR {_SPAM})",
    "5 an exclusion too far: NOT free": f"{_NAMES} NOT ({_NOISE} OR {_SPAM} OR free)",
}


@cache
def _listening() -> Listening:
    from smm_playbook.widgets.query_lab import Listening

    return Listening()


@cache
def _matched(step: str) -> np.ndarray:
    from smm_playbook.sim import query_lab as lab

    return lab.run(QUERY_STEPS[step], _listening().corpus)


def query_build(step: str, size: int) -> go.Figure:
    from smm_playbook.sim import query_lab as lab
    from smm_playbook.widgets.query_lab import scores_figure

    matched, relevant = _matched(step), _listening().relevant
    result = lab.scores(matched, relevant)
    return scores_figure(result, lab.sample_estimate(matched, relevant, size), size)


def _query_controls() -> list[Control]:
    steps = list(QUERY_STEPS)
    return [
        Control("step", "Query", steps, steps[0], kind="menu"),
        Control("size", "Posts in the labelled sample", list(range(50, 1001, 50)), 200),
    ]


# --- The registry --------------------------------------------------------------------

# (build, controls, caption, label)
Spec: TypeAlias = (
    "tuple[Callable[..., go.Figure], Callable[[], list[Control]], str, str]"
)

SPECS: dict[str, Spec] = {
    "competency": (
        competency_build,
        _competency_controls,
        "Radar chart of one example learner's self-ratings on the nine competencies "
        "(blue) against a target role's levels (dashed), with the readiness score and "
        "the first module to study in the title. Choose a learner and a role, and add "
        "levels of practice to every rating.",
        "Explorable competency radar: learner, target role and practice",
    ),
    "channel-planner": (
        channel_build,
        _channel_controls,
        "Bars: the summed reach of the plan's channels, added one at a time, largest "
        "first; line: the deduplicated reach; dashed line: the 75% goal. Move the "
        "activity of WeChat, Douyin and Xiaohongshu.",
        "Explorable reach build-up: activity on three channels",
    ),
    "maturity": (
        maturity_build,
        _maturity_controls,
        "Staircase of the six maturity stages for an example organisation: stages "
        "reached in green, with the statements met above each bar. Choose an "
        "organisation and make one more statement true.",
        "Explorable maturity staircase: organisation and one added statement",
    ),
    "content-calendar": (
        calendar_build,
        _calendar_controls,
        "Expected (dashed) and realised (solid) reach and engagements per week over 12 "
        "weeks of the example plan. Move Instagram's cadence, the posting hour and the "
        "random draw.",
        "Explorable content calendar: Instagram cadence, posting hour and draw",
    ),
    "ab-planner": (
        ab_build,
        _ab_controls,
        "Power (the chance of finding a real effect) against the number of people per "
        "variant, with the sample that reaches 80% marked and stated in the title. "
        "Move the baseline rate, the smallest effect worth finding and α.",
        "Explorable power curve: baseline, minimum detectable effect and alpha",
    ),
    "moderation-queue": (
        queue_build,
        _queue_controls,
        "Share of messages whose first action came within the SLA, per tier: the "
        "simulated inbox (blue) beside Erlang C's prediction (gold). Move the messages "
        "a day, the evening shift's staff and the order of the line.",
        "Explorable SLA chart: messages a day, evening staff and queue order",
    ),
    "rumour-spread": (
        spread_build,
        _spread_controls,
        "Negative mentions per 5 minutes (left) and accounts that have heard the story "
        "(right) over 24 hours in the follower network, with no response (red) and "
        "with the response you choose (blue), plotted every 15 minutes. Move the "
        "response time, the crisis cluster and the posture.",
        "Explorable rumour spread: response time, cluster and posture",
    ),
    "auction-lab": (
        auction_build,
        _auction_controls,
        "Spend, cost per acquisition, lifetime frequency and click-through rate per "
        "day over 30 days for Meta, Douyin and Xiaohongshu, with the totals in the "
        "title. Move Meta's daily budget and bid cap, and how often it gets a new "
        "creative.",
        "Explorable auction lab: Meta budget, bid cap and creative refresh",
    ),
    "attribution-lab": (
        attribution_build,
        _attribution_controls,
        "Bars: each attribution model's share of the credit per channel, beside each "
        "channel's true share of the purchases the channels caused (green). Move the "
        "true effects of Search and KOL; the journeys stay the same.",
        "Explorable attribution comparison: true effects of Search and KOL",
    ),
    "lift-planner": (
        lift_build,
        _lift_controls,
        "Power of a holdout lift test against the true lift, with the smallest lift "
        "found 80% of the time marked and stated in the title, for 40,000 users a day "
        "and a 2% conversion rate. Move the share held out and the test's length.",
        "Explorable lift-test power: holdout share and test length",
    ),
    "creator-lab": (
        creator_build,
        _creator_controls,
        "Left: claimed reach (followers × reach rate) against true deduplicated reach "
        "in the target audience, for a followers-only choice and for audience-fit "
        "weights; right: the creator pool, followers against engagement rate, coloured "
        "by bought followers, with the chosen creators ringed. Move the budget, the "
        "weight on authenticity and the target.",
        "Explorable creator portfolio: budget, authenticity weight and target",
    ),
    "query-lab": (
        query_build,
        _query_controls,
        "Precision, recall and F1 of a listening query against every hand label "
        "(bars), beside what a labelled sample of the chosen size would estimate "
        "(diamonds, with 95% intervals). Step through the five queries built in "
        "section 5 and change the sample size.",
        "Query lab walk-through: five prepared queries and the labelled sample size",
    ),
}


# The page that teaches each simulator, where its explorable figure sits.
PAGES = {
    "competency": "book/00-role/competencies",
    "channel-planner": "book/01-strategy/audiences-and-channels",
    "maturity": "book/01-strategy/organisation-and-governance",
    "content-calendar": "book/02-content/cadence-and-testing",
    "ab-planner": "book/02-content/cadence-and-testing",
    "moderation-queue": "book/03-community/responding-and-staffing",
    "rumour-spread": "book/04-crisis/detection-and-severity",
    "auction-lab": "book/05-paid/auctions-and-budgets",
    "attribution-lab": "book/06-roi/value-and-attribution",
    "lift-planner": "book/06-roi/incrementality-and-reporting",
    "creator-lab": "book/07-creators/disclosure-and-measurement",
    "query-lab": "book/08-listening/queries-and-sources",
}


def controls(name: str) -> list[Control]:
    return SPECS[name][1]()


def explorable_figure(name: str) -> Explorable:
    """The explorable figure for `name` (a key of `SPECS`), computed now."""
    build, make_controls, caption, label = SPECS[name]
    return explorable(
        build, make_controls(), caption=caption, label=label, ident=f"explore-{name}"
    )


# --- Module 4: the drill, as a walk-through ------------------------------------------


def drill_walkthrough(scenario_id: str = "glass-in-the-bottle") -> WalkThrough:
    """The best path through a scenario, decision by decision, as an HTML table:
    when, the question, the best choice, its points and the drill's feedback on it."""
    from smm_playbook.sim.tabletop import best_path
    from smm_playbook.sim.tabletop_scenarios import load_scenario

    scenario = load_scenario(scenario_id)
    path, score = best_path(scenario)
    rows = []
    for step in score.steps:
        inject = scenario.injects[step.inject]
        choice = inject.choice(step.choice)
        rows.append(
            "<tr>"
            f"<td>{_clock(scenario, inject.minute)}</td>"
            f"<td>{html.escape(inject.question)}</td>"
            f"<td>{html.escape(choice.text)}</td>"
            f"<td>{step.points} / 3</td>"
            f"<td>{html.escape(step.feedback)}</td>"
            "</tr>"
        )
    caption = (
        f"{html.escape(scenario.title)}: the best path, decision by decision. "
        f"Total {score.total} / 100 (decisions {score.decisions}, golden hour "
        f"{score.golden_hour}, holding statement {score.statement})."
    )
    return WalkThrough(
        '<table class="smm-walkthrough"><caption>'
        f"{caption}</caption><thead><tr><th scope='col'>Time</th>"
        "<th scope='col'>Decision</th><th scope='col'>Best choice</th>"
        "<th scope='col'>Points</th><th scope='col'>Why it works</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _clock(scenario: Scenario, minute: float) -> str:
    hours, minutes = (int(x) for x in scenario.clock_start.split(":"))
    total = (hours * 60 + minutes + int(minute)) % (24 * 60)
    return f"{total // 60:02d}:{total % 60:02d}"


class WalkThrough:
    """HTML for the book (no kernel needed)."""

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup
