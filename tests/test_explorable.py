"""Explorable figures: the frames the book ships are the models' own output.

Two kinds of test. The builder's, on small grids, run here. The book's, on the
figures in the built pages (`_build/html`): at sampled grid points, each shipped
frame must equal the simulator's figure at those parameter values, and the
numbers in it must equal what the pure model in `smm_playbook.sim` returns.
"""

from __future__ import annotations

import json
import random
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from conftest import ROOT
from smm_playbook.book import grids
from smm_playbook.book.explorable import Control, _plain, explorable

HTML = ROOT / "_build" / "html"
TOLERANCE = 2e-4  # the book ships 5 significant figures

# Each explorable figure, by the page that teaches its simulator.
PAGES = grids.PAGES
DATA = re.compile(
    r'<figure class="smm-explorable" id="explore-([\w-]+)".*?'
    r'<script type="application/json" class="smm-explorable-data">(.*?)</script>',
    re.S,
)


def line(slope: float, shift: int):
    x = np.arange(5)
    return go.Figure(
        [go.Scatter(x=x, y=slope * x + shift), go.Scatter(x=x, y=x)],
        layout={"title": f"slope {slope}"},
    )


CONTROLS = [
    Control("slope", "Slope", [0.5, 1.0, 2.0], 1.0),
    Control("shift", "Shift", [0, 10], 0, kind="menu"),
]


def test_every_grid_point_is_the_build_functions_output():
    figure = explorable(line, CONTROLS, caption="Lines", label="Lines", ident="t")
    assert len(figure.frames) == 6
    assert figure.traces == [0]  # the second trace never changes: not shipped
    assert set(figure.frames["0-1"]["layout"]) == {"title"}
    for slope in (0.5, 1.0, 2.0):
        for shift in (0, 10):
            shown = figure.frame_figure(figure.key(slope=slope, shift=shift))
            np.testing.assert_allclose(
                shown["data"][0]["y"], slope * np.arange(5) + shift
            )
            assert shown["layout"]["title"]["text"] == f"slope {slope}"
    # a frame ships only what changed: y, not the shared x
    assert set(figure.frames["2-1"]["data"][0]) == {"y"}


def test_the_html_has_labelled_native_controls_and_a_text_alternative():
    markup = explorable(
        line, CONTROLS, caption="Two lines <b>", label="Lines & more", ident="t"
    ).to_html()
    assert '<input type="range" id="t-c0" min="0" max="2"' in markup
    assert '<label for="t-c0">Slope</label>' in markup
    assert '<select id="t-c1"' in markup and '<label for="t-c1">Shift</label>' in markup
    assert "<figcaption>Two lines &lt;b&gt;</figcaption>" in markup
    assert 'aria-label="Lines &amp; more"' in markup
    assert "cdn" not in markup.lower() and "https://" not in markup


def test_bad_grids_get_clear_messages():
    with pytest.raises(ValueError, match="default"):
        Control("a", "A", [1, 2], 3)
    with pytest.raises(ValueError, match="at least two"):
        Control("a", "A", [1], 1)
    with pytest.raises(ValueError, match="nothing changes"):
        explorable(
            lambda a: line(1.0, 0),
            [Control("a", "A", [1, 2], 1)],
            caption="",
            label="",
            ident="t",
        )
    with pytest.raises(ValueError, match="grid points"):
        big = [Control(n, n, list(range(10)), 0) for n in "abc"]
        explorable(lambda a, b, c: line(a, b), big, caption="", label="", ident="t")


def test_a_small_simulator_grid_matches_its_model_everywhere():
    from smm_playbook.sim.maturity import EXAMPLE_ORGANISATIONS, assess_maturity

    figure = grids.explorable_figure("maturity")
    for organisation in EXAMPLE_ORGANISATIONS:
        for added in grids.controls("maturity")[1].values:
            key = figure.key(organisation=organisation, added=added)
            answers = dict(EXAMPLE_ORGANISATIONS[organisation])
            if added != grids.NO_STATEMENT:
                answers[added] = True
            result = assess_maturity(answers)
            shown = figure.frame_figure(key)
            assert shown["layout"]["title"]["text"].startswith(f"Stage {result.stage}:")
            met = [
                f"{m}/{t} met"
                for m, t in zip(result.table["met"], result.table["total"], strict=True)
            ]
            assert shown["data"][0]["text"] == met


def test_every_spec_names_a_page_and_the_walkthrough_scores_the_best_path():
    from smm_playbook.sim.tabletop import best_path
    from smm_playbook.sim.tabletop_scenarios import load_scenario

    assert set(PAGES) == set(grids.SPECS)
    markup = grids.drill_walkthrough("glass-in-the-bottle")._repr_html_()
    score = best_path(load_scenario("glass-in-the-bottle"))[1]
    assert f"Total {score.total} / 100" in markup
    assert markup.count("<tr>") == 1 + len(score.steps)


# --- The figures in the built book ---------------------------------------------------


def shipped() -> dict[str, dict]:
    if not (HTML / "index.html").exists():
        pytest.fail(
            "The book is not built: run `make test` (it builds the book first)."
        )
    found = {}
    for name, page in PAGES.items():
        text = (HTML / f"{page}.html").read_text(encoding="utf-8")
        figures = {
            n: json.loads(d.replace("<\\/", "</")) for n, d in DATA.findall(text)
        }
        assert name in figures, f"{page}.html has no explorable figure {name!r}"
        found[name] = figures[name]
    return found


@pytest.fixture(scope="module")
def book_figures():
    return shipped()


def sample_keys(name: str, count: int = 3) -> list[tuple[str, dict]]:
    """The default point, a corner and random points of a figure's grid."""
    controls = grids.controls(name)
    rng = random.Random(name)
    picks = [[c.start for c in controls], [len(c.values) - 1 for c in controls]]
    picks += [[rng.randrange(len(c.values)) for c in controls] for _ in range(count)]
    return [
        (
            "-".join(map(str, pick)),
            {c.name: c.values[i] for c, i in zip(controls, pick, strict=True)},
        )
        for pick in picks
    ]


def frame(payload: dict, key: str) -> dict:
    """The figure the browser draws at `key`, merged as the page's script does."""
    data = [dict(t) for t in payload["figure"]["data"]]
    changes = payload["frames"][key]
    for index, diff in zip(payload["traces"], changes["data"], strict=True):
        data[index] = {
            k: v for k, v in {**data[index], **diff}.items() if v is not None
        }
    return {
        "data": data,
        "layout": {**payload["figure"]["layout"], **changes["layout"]},
    }


@pytest.mark.book
@pytest.mark.parametrize("name", sorted(PAGES))
def test_shipped_frames_equal_the_simulators_figure(book_figures, name):
    payload = book_figures[name]
    build = grids.SPECS[name][0]
    assert len(payload["frames"]) == np.prod(
        [len(c.values) for c in grids.controls(name)]
    )
    for key, params in sample_keys(name, count=1):
        expected = _plain(build(**params))
        shown = frame(payload, key)
        assert shown["data"] == expected["data"], (name, params)
        assert shown["layout"].get("title") == expected["layout"].get("title")


def close(shown, expected) -> None:
    np.testing.assert_allclose(
        np.asarray(shown, float), np.asarray(expected, float), rtol=TOLERANCE
    )


def model_check(name: str, params: dict, shown: dict) -> None:
    """Compare the frame's numbers with the pure model's, by simulator."""
    data = shown["data"]
    if name == "ab-planner":
        from smm_playbook.sim.ab_test import sample_size_per_group

        assert data[1]["x"] == [sample_size_per_group(**params)]
    elif name == "attribution-lab":
        from smm_playbook.sim.attribution import compare_touches, simulate_touches

        effects = {"Search": params["search"], "KOL": params["kol"]}
        table = compare_touches(simulate_touches(effects=effects)[0], effects)
        for trace in data:
            close(trace["y"], table[trace["name"]])
    elif name == "moderation-queue":
        from smm_playbook.sim.moderation_queue import (
            DEFAULT_SHIFT_STAFF,
            roster_from_shifts,
            simulate_queue,
        )

        roster = roster_from_shifts(
            {**DEFAULT_SHIFT_STAFF, "evening": params["evening"]}
        )
        result = simulate_queue(params["per_day"], roster, order=params["order"])
        close(data[0]["y"], result.by_tier["attainment"])
        close(data[1]["y"], result.by_tier["erlang_attainment"])
    elif name == "auction-lab":
        from smm_playbook.sim.paid_social import DEFAULT_PLAN, simulate_campaign

        plan = {n: dict(s) for n, s in DEFAULT_PLAN.items()}
        plan["Meta"].update(params)
        daily = simulate_campaign(plan).daily
        close(data[0]["y"], daily.loc[daily["channel"] == "Meta", "spend"])
    elif name == "rumour-spread":
        from smm_playbook.sim.rumour_spread import network_spread

        run = network_spread(hours=24, **params)
        close(data[3]["y"], run.series["heard"].to_numpy()[:: grids.SPREAD_EVERY])
    elif name == "competency":
        from smm_playbook.sim.competency import EXAMPLE_LEARNERS, assess

        base = EXAMPLE_LEARNERS[params["learner"]]
        ratings = {k: min(5, v + params["practice"]) for k, v in base.items()}
        table = assess(ratings, params["role"]).table
        assert data[1]["r"][:-1] == table["rating"].tolist()
        assert data[0]["r"][:-1] == table["target"].tolist()
    elif name == "channel-planner":
        from smm_playbook import data as datasets
        from smm_playbook.sim.channel_planner import EXAMPLE_PLAN, plan_reach

        activity = {"WeChat": params["wechat"], "Douyin": params["douyin"]}
        activity["Xiaohongshu"] = params["xiaohongshu"]
        activity = {c: a for c, a in activity.items() if a}
        table = datasets.load("platform_audiences")
        segments, goal = EXAMPLE_PLAN["segments"], EXAMPLE_PLAN["goal"]
        result = plan_reach(activity, segments, goal, audiences=table)
        close(data[1]["y"][-1], result.reach_share)
    elif name == "content-calendar":
        from smm_playbook.sim.content_calendar import EXAMPLE_CADENCE, simulate_calendar

        cadence = {**EXAMPLE_CADENCE, "Instagram": params["instagram"]}
        weekly = simulate_calendar(
            cadence, hour=params["hour"], weeks=12, seed=params["seed"]
        ).weekly
        close(data[1]["y"], weekly["reach"])
        close(data[0]["y"], weekly["expected_reach"])
    elif name == "lift-planner":
        from smm_playbook.sim.attribution import detectable_lift
        from smm_playbook.widgets.attribution import DEFAULT_TEST

        smallest = detectable_lift(
            DEFAULT_TEST["daily_users"],
            DEFAULT_TEST["baseline_cvr"],
            params["holdout"],
            params["days"],
        )
        close(data[1]["x"], [smallest])
    elif name == "creator-lab":
        from smm_playbook.sim.creator_portfolio import (
            AUDIENCE_FIT,
            FOLLOWERS_ONLY,
            run_portfolio,
        )

        budget, target = params["budget"], params["target"]
        pool = grids._pool()
        naive = run_portfolio(pool, budget, target, **FOLLOWERS_ONLY)
        mine = run_portfolio(
            pool,
            budget,
            target,
            **{**AUDIENCE_FIT, "authenticity": params["authenticity"]},
        )
        close(data[1]["y"], [naive.target_reach, mine.target_reach])
    elif name == "query-lab":
        from smm_playbook.sim import query_lab as lab

        scores = lab.scores(grids._matched(params["step"]), grids._listening().relevant)
        close(data[0]["y"], [scores[m] for m in ("precision", "recall", "f1")])
    elif name == "maturity":
        from smm_playbook.sim.maturity import EXAMPLE_ORGANISATIONS, assess_maturity

        answers = dict(EXAMPLE_ORGANISATIONS[params["organisation"]])
        if params["added"] != grids.NO_STATEMENT:
            answers[params["added"]] = True
        stage = assess_maturity(answers).stage
        assert shown["layout"]["title"]["text"].startswith(f"Stage {stage}:")
    else:
        raise AssertionError(f"no model check for {name}")


@pytest.mark.book
@pytest.mark.parametrize("name", sorted(PAGES))
def test_shipped_frames_hold_the_models_numbers(book_figures, name):
    payload = book_figures[name]
    for key, params in sample_keys(name):
        model_check(name, params, frame(payload, key))
