"""Module 4 tabletop drill: every scenario file validates, every path ends, scores
are deterministic, and a broken file is refused with a message that says where."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from smm_playbook.sim.tabletop import (
    SCENARIO_DIR,
    Drill,
    ScenarioError,
    all_paths,
    best_path,
    load_scenario,
    parse_scenario,
    scenario_ids,
    score_path,
    walk,
)

IDS = scenario_ids()


def test_there_are_two_scenarios_of_different_clusters():
    clusters = {load_scenario(i).cluster for i in IDS}
    assert len(IDS) >= 2 and len(clusters) >= 2


@pytest.mark.parametrize("scenario_id", IDS)
def test_every_path_ends_within_six_decisions(scenario_id):
    scenario = load_scenario(scenario_id)
    paths = all_paths(scenario)
    assert paths
    for path in paths:
        steps = walk(scenario, path)
        assert 3 <= len(steps) <= 6
        assert steps[-1][1].next == "end"
        minutes = [inject.minute for inject, _ in steps]
        assert minutes == sorted(set(minutes))  # the clock only moves forward


@pytest.mark.parametrize("scenario_id", IDS)
def test_scores_are_deterministic_and_spread_from_bad_to_good(scenario_id):
    scenario = load_scenario(scenario_id)
    paths = all_paths(scenario)
    first = [score_path(scenario, p).total for p in paths]
    reloaded = load_scenario(scenario_id)
    again = [score_path(reloaded, p).total for p in paths]
    assert first == again
    assert max(first) >= 85 and min(first) <= 30
    assert all(0 <= total <= 100 for total in first)
    path, best = best_path(scenario)
    assert best.total == max(first)


@pytest.mark.parametrize("scenario_id", IDS)
def test_silence_scores_nothing_for_speed(scenario_id):
    scenario = load_scenario(scenario_id)
    silent = [
        p
        for p in all_paths(scenario)
        if not any(choice.public for _, choice in walk(scenario, p))
    ]
    assert silent, "each scenario keeps a path that never speaks in public"
    for path in silent:
        score = score_path(scenario, path)
        assert score.speed == 0 and score.first_statement_minute is None


def test_a_drill_follows_choices_and_scores_like_the_path():
    scenario = load_scenario(IDS[0])
    path, best = best_path(scenario)
    drill = Drill(scenario)
    for choice_id in path:
        assert not drill.finished
        drill.choose(choice_id)
    assert drill.finished and drill.score() == best
    with pytest.raises(ValueError, match="over"):
        drill.choose(path[0])


def test_an_unknown_choice_names_the_valid_ones():
    drill = Drill(load_scenario(IDS[0]))
    with pytest.raises(ValueError, match="choose one of"):
        drill.choose("z")


def raw(scenario_id: str = "glass-in-the-bottle") -> dict:
    return yaml.safe_load((SCENARIO_DIR / f"{scenario_id}.yaml").read_text())


def broken(change) -> dict:
    data = copy.deepcopy(raw())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("cluster"), "'cluster' is missing"),
        (lambda d: d.update(cluster="unlucky"), "use one of"),
        (lambda d: d.update(start="nowhere"), "start 'nowhere' is not an inject"),
        (
            lambda d: d["injects"][0]["choices"][0].update(next="nowhere"),
            "next 'nowhere' is neither",
        ),
        (
            lambda d: d["injects"][1]["choices"][0].update(next=d["injects"][0]["id"]),
            "back in time",
        ),
        (lambda d: d["injects"][0].update(choices=[]), "2 to 4 choices"),
        (
            lambda d: d["injects"][0]["choices"][0].update(statement=["hope"]),
            re.escape("'statement' has ['hope']"),
        ),
        (lambda d: d["injects"][0].update(minute="soon"), "'minute' must be a number"),
        (lambda d: d["injects"].append(copy.deepcopy(d["injects"][0])), "two injects"),
        (
            lambda d: d["injects"][0]["choices"][0].update(posture="sorry"),
            "'posture' is 'sorry'",
        ),
    ],
)
def test_broken_scenarios_are_refused_with_a_reason(change, message):
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(broken(change), "test.yaml")


def test_a_path_that_ends_too_soon_is_refused():
    def shortcut(data):
        for choice in data["injects"][0]["choices"]:
            choice["next"] = "end"

    with pytest.raises(ScenarioError, match="decisions"):
        parse_scenario(broken(shortcut), "test.yaml")


def test_bad_files_say_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_scenario(bad)
    listed = tmp_path / "listed.yaml"
    listed.write_text("- just\n- a list\n")
    with pytest.raises(ScenarioError, match="mapping"):
        load_scenario(listed)
    with pytest.raises(ScenarioError, match="Available"):
        load_scenario("no-such-scenario")
