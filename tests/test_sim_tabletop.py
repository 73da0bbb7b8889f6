"""Module 4 tabletop drill: every scenario file validates, every path ends, scores
are deterministic, and a broken file is refused with a message that says where."""

from __future__ import annotations

import copy

import pytest
import yaml

from smm_playbook.sim.rumour_spread import ACCOMMODATION_LADDER
from smm_playbook.sim.tabletop import (
    NAIVE_STRATEGIES,
    PASS_MARK,
    SCENARIO_DIR,
    Drill,
    ScenarioError,
    all_paths,
    apologise_whenever_possible,
    best_path,
    load_scenario,
    naive_scores,
    parse_scenario,
    scenario_ids,
    score_path,
    strategy_path,
    walk,
)

IDS = scenario_ids()


def test_four_scenarios_cover_every_cluster_and_a_diminish_case():
    scenarios = [load_scenario(i) for i in IDS]
    assert len(scenarios) >= 4
    assert {s.cluster for s in scenarios} == {"victim", "accidental", "preventable"}
    postures = {s.recommended_posture for s in scenarios}
    assert set(ACCOMMODATION_LADDER) <= postures  # base, diminish and rebuild


@pytest.mark.parametrize("scenario_id", IDS)
@pytest.mark.parametrize("strategy", sorted(NAIVE_STRATEGIES))
def test_no_rule_of_thumb_passes_any_scenario(scenario_id, strategy):
    scenario = load_scenario(scenario_id)
    total = naive_scores(scenario)[strategy]
    assert total < PASS_MARK, f"{strategy!r} scores {total} in {scenario_id}"


def test_always_apologising_fails_every_scenario_that_is_not_a_rebuild_case():
    for scenario in map(load_scenario, IDS):
        path = strategy_path(scenario, apologise_whenever_possible)
        passed = score_path(scenario, path).passed
        assert passed == (scenario.recommended_posture == "rebuild"), scenario.id


@pytest.mark.parametrize("scenario_id", IDS)
def test_options_at_each_inject_are_of_comparable_length(scenario_id):
    for inject in load_scenario(scenario_id).injects.values():
        lengths = [len(choice.text) for choice in inject.choices]
        assert max(lengths) <= 1.35 * min(lengths), (inject.id, lengths)
        assert max(lengths) <= 200  # readable on a projector, whole


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_best_path_is_sound_advice_at_every_step(scenario_id):
    scenario = load_scenario(scenario_id)
    path, best = best_path(scenario)
    assert best.total == max(score_path(scenario, p).total for p in all_paths(scenario))
    assert best.passed and best.total >= 85
    for step, (inject, choice) in zip(best.steps, walk(scenario, path), strict=True):
        assert choice.rating == "sound" and step.points == 3, step
        assert not (inject.public_owed and not choice.public)  # never "no comment"
        assert (
            choice.posture in {"none", "deny"} or choice.posture in ACCOMMODATION_LADDER
        )
        if choice.posture == "deny":
            assert scenario.cluster == "victim"


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_best_path_keeps_every_promised_update(scenario_id):
    scenario = load_scenario(scenario_id)
    _, best = best_path(scenario)
    assert all("promised" not in step.reason for step in best.steps)


def test_silence_where_a_public_word_is_owed_scores_nothing_for_that_step():
    scenario = load_scenario("glass-in-the-bottle")
    path, best = best_path(scenario)
    journalist = [
        i
        for i, (inject, _) in enumerate(walk(scenario, path))
        if inject.id == "journalist-call"
    ][0]
    no_comment = list(path)
    no_comment[journalist] = "a"  # "No comment at this stage."
    score = score_path(scenario, no_comment)
    assert score.steps[journalist].points == 0
    assert "silence" in score.steps[journalist].reason
    assert score.total < best.total


def test_letting_a_promised_update_pass_costs_the_step():
    scenario = load_scenario("glass-in-the-bottle")
    path, best = best_path(scenario)
    late = (*path[:-1], "b")  # wait for the lab until 21:00
    score = score_path(scenario, late)
    assert score.steps[-1].points == 0
    assert "18:00" in score.steps[-1].reason
    assert best.total - score.total >= 10


def test_denial_fits_a_rumour_but_not_product_harm():
    rumour = load_scenario("plastic-pearls-rumour")
    glass = load_scenario("glass-in-the-bottle")
    assert rumour.denial_fits and not glass.denial_fits
    deny_first = next(
        c for c in glass.injects[glass.start].choices if c.posture == "deny"
    )
    path = next(p for p in all_paths(glass) if p[0] == deny_first.id)
    score = score_path(glass, path)
    assert score.steps[0].points == 0 and score.golden_hour == 0


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
    assert sum(total >= PASS_MARK for total in first) < len(first) / 4
    assert all(0 <= total <= 100 for total in first)
    path, best = best_path(scenario)
    assert best.total == max(first)


@pytest.mark.parametrize("scenario_id", IDS)
def test_silence_scores_nothing_for_the_golden_hour_or_the_statement(scenario_id):
    scenario = load_scenario(scenario_id)
    silent = [
        p
        for p in all_paths(scenario)
        if not any(choice.public for _, choice in walk(scenario, p))
    ]
    assert silent, "each scenario keeps a path that never speaks in public"
    for path in silent:
        score = score_path(scenario, path)
        assert score.golden_hour == 0 and score.statement == 0
        assert score.first_statement_minute is None and not score.passed


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


GLASS = "glass-in-the-bottle"  # injects[0] 'weibo-post' (minute 0), [1] (minute 30)
DRAFTING = "double-charge-outage"  # injects[2] 'refunds' holds the drafting step


def first_choice(data: dict) -> dict:
    return data["injects"][0]["choices"][0]


def draft(data: dict) -> dict:
    return data["injects"][2]["draft"]


def orphan(data: dict) -> None:
    """A well-formed inject that no choice leads to."""
    data["injects"].insert(1, {**copy.deepcopy(data["injects"][1]), "id": "orphan"})


def shortcut(data: dict) -> None:
    for choice in data["injects"][0]["choices"]:
        choice["next"] = "end"


# Every kind of mistake the hand-written validator caught, and a few it let
# through (typos in field names, an unquoted clock): scenario, change, the field
# path the message must name, and the reason it must give.
MISTAKES = [
    (GLASS, lambda d: d.pop("cluster"), "cluster", "this field is missing"),
    (GLASS, lambda d: d.update(cluster="unlucky"), "cluster", "not 'unlucky'"),
    (GLASS, lambda d: d.update(title=5), "title", "must be text, not the number 5"),
    (GLASS, lambda d: d.update(summary="  "), "summary", "is empty"),
    (GLASS, lambda d: d.update(tittle="x"), "tittle", "not a field of a scenario"),
    (
        GLASS,
        lambda d: d.update(crisis_type="rumour"),
        "crisis_type",
        "belongs to the 'victim' cluster, not 'accidental'",
    ),
    (
        GLASS,
        lambda d: d.update(recommended_posture="diminish"),
        "recommended_posture",
        "SCCT recommends 'rebuild'",
    ),
    (
        GLASS,
        lambda d: d.update(intensifiers=["bad_luck"]),
        "intensifiers[0]",
        "not 'bad_luck'",
    ),
    (
        GLASS,
        lambda d: d.update(intensifiers="crisis_history"),
        "intensifiers",
        "must be a list",
    ),
    (GLASS, lambda d: d.update(clock_start="2pm"), "clock_start", "a time in quotes"),
    (GLASS, lambda d: d.update(clock_start=840), "clock_start", "a time in quotes"),
    (GLASS, lambda d: d.update(id="other"), "id", "must match the file name"),
    (GLASS, lambda d: d.update(start="nowhere"), "start", "'nowhere' is not an inject"),
    (GLASS, lambda d: d.update(injects={}), "injects", "must be a list, not a mapping"),
    (
        GLASS,
        lambda d: d["injects"].insert(1, copy.deepcopy(d["injects"][0])),
        "injects[1].id",
        "two injects have the id 'weibo-post'",
    ),
    (
        GLASS,
        lambda d: d["injects"].__setitem__(1, "a post"),
        "injects[1]",
        "must be a mapping of fields",
    ),
    (GLASS, orphan, "injects[1]", "no path reaches it"),
    (
        GLASS,
        lambda d: d["injects"][0].update(choices=[]),
        "injects[0].choices",
        "needs 2 to 4 choices, not 0",
    ),
    (
        GLASS,
        lambda d: d["injects"][0]["choices"].append(first_choice(copy.deepcopy(d))),
        "injects[0].choices",
        "needs 2 to 4 choices, not 5",
    ),
    (
        GLASS,
        lambda d: d["injects"][0]["choices"][1].update(id="a"),
        "injects[0].choices[1].id",
        "two choices share the id 'a'",
    ),
    (
        GLASS,
        lambda d: d["injects"][0].update(minute="soon"),
        "injects[0].minute",
        "must be a number, not the text 'soon'",
    ),
    (
        GLASS,
        lambda d: d["injects"][0].update(minute=2000),
        "injects[0].minute",
        "is 2000; it must be from 0 to 1440",
    ),
    (
        GLASS,
        lambda d: d["injects"][0].update(decision_seconds=5),
        "injects[0].decision_seconds",
        "is 5; it must be from 30 to 900",
    ),
    (
        GLASS,
        lambda d: d["injects"][0].update(public_owed="yes"),
        "injects[0].public_owed",
        "must be true or false",
    ),
    (
        GLASS,
        lambda d: d["injects"][0].pop("question"),
        "injects[0].question",
        "this field is missing",
    ),
    (
        GLASS,
        lambda d: d["injects"][0]["choices"].__setitem__(0, "wait"),
        "injects[0].choices[0]",
        "must be a mapping of fields",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(statement=["hope"]),
        "injects[0].choices[0].statement[0]",
        "not 'hope'",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(statement=["concern", "concern"]),
        "injects[0].choices[0].statement",
        "lists ['concern'] more than once",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(promise=300),
        "injects[0].choices[0].promise",
        "must list next_update",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(posture="sorry"),
        "injects[0].choices[0].posture",
        "not 'sorry'",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(rating="great"),
        "injects[0].choices[0].rating",
        "must be one of ['sound', 'defensible', 'weak', 'harmful'], not 'great'",
    ),
    (
        GLASS,
        lambda d: first_choice(d).pop("rating"),
        "injects[0].choices[0].rating",
        "this field is missing",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(minutes=-5),
        "injects[0].choices[0].minutes",
        "is -5; it must be from 0 to 1440",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(promis=240),
        "injects[0].choices[0].promis",
        "not a field of a choice",
    ),
    (
        GLASS,
        lambda d: first_choice(d).update(next="nowhere"),
        "injects[0].choices[0].next",
        "'nowhere' is neither an inject id nor 'end'",
    ),
    (
        GLASS,
        lambda d: d["injects"][1]["choices"][0].update(next="weibo-post"),
        "injects[1].choices[0].next",
        "back in time",
    ),
    (
        GLASS,
        lambda d: d["injects"][0]["choices"][2].update(promise=0),
        "injects[0].choices[2].promise",
        "which has passed",
    ),
    (
        GLASS,
        shortcut,
        "injects[0].choices[0].next",
        "has 1 decision(s); every path needs 3 to 6",
    ),
    (
        DRAFTING,
        lambda d: draft(d)["criteria"].update(hope=["hope"]),
        "injects[2].draft.criteria.hope",
        "'hope' is not a statement element",
    ),
    (
        DRAFTING,
        lambda d: draft(d).update(criteria=["acknowledges"]),
        "injects[2].draft.criteria",
        "must be a mapping",
    ),
    (
        DRAFTING,
        lambda d: draft(d)["criteria"].update(acknowledges=[]),
        "injects[2].draft.criteria.acknowledges",
        "needs at least 1 pattern(s), not 0",
    ),
    (
        DRAFTING,
        lambda d: draft(d)["criteria"]["acknowledges"].insert(0, "(["),
        "injects[2].draft.criteria.acknowledges[0]",
        "is not a valid pattern",
    ),
    (
        DRAFTING,
        lambda d: draft(d).update(model_answer="We are probably fine."),
        "injects[2].draft.model_answer",
        "the model answer must meet its own criteria",
    ),
    (
        DRAFTING,
        lambda d: draft(d).update(posture="none"),
        "injects[2].draft.posture",
        "not 'none'",
    ),
    (
        DRAFTING,
        lambda d: d["injects"][2].update(draft="write it"),
        "injects[2].draft",
        "must be a mapping of fields",
    ),
    (
        DRAFTING,
        lambda d: d["injects"][2]["choices"][0].update(next="end"),
        "injects[2].draft",
        "every choice of a drafting inject must lead to the same inject",
    ),
]


def refused(tmp_path, scenario_id: str, change) -> list[str]:
    """Copy a shipped scenario under its own file name, break it, load it: the
    lines of the ScenarioError."""
    data = copy.deepcopy(raw(scenario_id))
    change(data)
    path = tmp_path / f"{scenario_id}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return str(caught.value).splitlines()


def test_a_copy_of_a_shipped_scenario_loads_like_the_original(tmp_path):
    for scenario_id in (GLASS, DRAFTING):
        path = tmp_path / f"{scenario_id}.yaml"
        path.write_text(yaml.safe_dump(raw(scenario_id), allow_unicode=True))
        assert load_scenario(path) == load_scenario(scenario_id)


@pytest.mark.parametrize(
    ("scenario_id", "change", "field", "reason"),
    MISTAKES,
    ids=[f"{field}: {reason}" for _, _, field, reason in MISTAKES],
)
def test_each_kind_of_mistake_names_the_file_and_the_field(
    tmp_path, scenario_id, change, field, reason
):
    lines = refused(tmp_path, scenario_id, change)
    assert all(line.startswith(f"{scenario_id}.yaml: ") for line in lines), lines
    assert any(
        line.startswith(f"{scenario_id}.yaml: {field}: ") and reason in line
        for line in lines
    ), lines
    text = "\n".join(lines)
    assert (
        "pydantic" not in text
        and "Traceback" not in text
        and "Input should" not in text
    )


def test_a_message_gives_the_ids_of_the_inject_and_choice_it_means(tmp_path):
    lines = refused(tmp_path, GLASS, lambda d: first_choice(d).update(rating="great"))
    assert lines == [
        f"{GLASS}.yaml: injects[0].choices[0].rating: must be one of ['sound', "
        "'defensible', 'weak', 'harmful'], not 'great' (inject 'weibo-post', choice "
        "'a')."
    ]


def test_every_mistake_in_a_file_is_listed_at_once(tmp_path):
    def three(data):
        data.pop("title")
        data["injects"][0].update(minute="soon")
        data["injects"][1]["choices"][2].update(rating="great")

    lines = refused(tmp_path, GLASS, three)
    assert [line.split(": ")[1] for line in lines] == [
        "title",
        "injects[0].minute",
        "injects[1].choices[2].rating",
    ]


def test_bad_files_say_what_is_wrong(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n")
    with pytest.raises(ScenarioError, match="^bad.yaml is not valid YAML"):
        load_scenario(bad)
    listed = tmp_path / "listed.yaml"
    listed.write_text("- just\n- a list\n")
    with pytest.raises(
        ScenarioError, match="^listed.yaml: the file must hold a mapping of fields"
    ):
        load_scenario(listed)
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n")
    with pytest.raises(ScenarioError, match="^empty.yaml: .*not nothing"):
        load_scenario(empty)
    with pytest.raises(ScenarioError, match="^draft: the file must hold a mapping"):
        parse_scenario("id: x", "draft")
    with pytest.raises(ScenarioError, match="Available"):
        load_scenario("no-such-scenario")


def test_a_drafting_step_finds_elements_in_english_and_chinese_and_never_says_correct():
    scenario = load_scenario("double-charge-outage")
    drafting = [i for i in scenario.injects.values() if i.draft is not None]
    assert len(drafting) == 1
    inject = drafting[0]
    chinese = (
        "22:00更新：部分订单被重复扣款，非常抱歉。已原路退回2,100笔，其余5个工作日内到账，"
        "您无需任何操作，如有疑问请联系在线客服。明天12:00更新。"
    )
    assert set(inject.draft.elements(chinese)) == {
        "acknowledges",
        "concern",
        "actions",
        "instructions",
        "next_update",
    }
    drill = Drill(scenario)
    path, _ = best_path(scenario)
    while drill.current.id != inject.id:
        drill.choose(path[len(drill.path)])
    choice, check = drill.write("Refunds soon; it was probably the bank's fault.")
    assert set(check["flagged"]) == {"speculation", "blame"}
    assert "next_update" in check["missing"]
    assert "correct" not in choice.feedback.lower() and "trainer" in choice.feedback
    while not drill.finished:
        drill.choose(path[len(drill.path)])
    assert drill.score().total < best_path(scenario)[1].total


def test_a_drafted_model_answer_earns_at_most_a_defensible_step():
    scenario = load_scenario("double-charge-outage")
    path, best = best_path(scenario)
    drill = Drill(scenario)
    while drill.current.draft is None:
        drill.choose(path[len(drill.path)])
    at = len(drill.path)
    drill.write(drill.current.draft.model_answer)
    while not drill.finished:
        drill.choose(path[len(drill.path)])
    steps = drill.score().steps
    assert steps[at].points == 2  # written words are reviewed, never "sound" by pattern
    assert all("promised" not in step.reason for step in steps)  # 12:00 found and kept
    with pytest.raises(ValueError, match="not a drafting step"):
        Drill(scenario).write("anything")
