"""Module 8 query lab: the query language parses safely, matches what it says it
matches, and the measures (precision, recall, F1, Wilson intervals, the corrected
sentiment mix) give known results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smm_playbook.sim import query_lab as lab
from smm_playbook.sim.query_language import And, Near, Not, Or, QueryError, Term, parse

POSTS = pd.DataFrame(
    {
        "text": [
            "Willow Tea peach oolong is lovely",  # 0
            "the weeping willow in the garden",  # 1
            "#WillowTea giveaway!!!",  # 2
            "小满茶的蜜桃乌龙真好喝",  # 3
            "每天一点小满足",  # 4
            "喝过茶小满，还是小满家好",  # 5
            "tea from willow, not impressed",  # 6
            "Teapots and teabags",  # 7
        ],
        "language": ["en", "en", "en", "zh", "zh", "zh", "en", "en"],
        "platform": ["X", "Reddit", "Instagram", "Weibo", "Douyin", "Weibo", "X", "X"],
    }
)
CORPUS = lab.Corpus(POSTS)


def hits(query: str) -> list[int]:
    return list(np.flatnonzero(lab.run(query, CORPUS)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("willow", [0, 1, 6]),  # a word, whole; not inside #willowtea
        ("willowtea", [2]),  # a plain word also finds the hashtag
        ("#willowtea", [2]),
        ('"willow tea"', [0]),  # a phrase: in a row and in order
        ("willow NEAR/1 tea", [0, 6]),  # either order, at most 1 word between
        ("willow NEAR/0 tea", [0]),
        ("tea*", [0, 6, 7]),  # a prefix: tea, teapots, teabags
        ("小满", [3, 4, 5]),  # no segmentation: inside 小满足 and 茶小满
        ("小满 NOT (小满足 OR 茶小满)", [3]),
        ("willow OR 小满 lang:zh", [0, 1, 6, 3, 4, 5]),  # AND binds tighter than OR
        ("(willow OR 小满) lang:zh", [3, 4, 5]),
        ("willow platform:reddit", [1]),
        ("willow NOT garden", [0, 6]),
        ("willow AND NOT garden", [0, 6]),
        ("（willow OR willowtea） NOT garden", [0, 2, 6]),  # full-width brackets
        ("“willow tea”", [0]),  # curly quotes, as a Chinese keyboard types them
    ],
)
def test_queries_match_what_the_language_promises(query, expected):
    assert sorted(hits(query)) == sorted(expected)


def test_precedence_near_then_not_then_and_then_or():
    tree = parse("a OR b c NOT d").tree
    assert isinstance(tree, Or) and tree.children[0] == Term("a")
    assert tree.children[1] == And((Term("b"), Term("c"), Not(Term("d"))))
    assert parse("a NEAR/2 b c").tree == And((Near(Term("a"), Term("b"), 2), Term("c")))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("willow AND (", "never closed"),
        ("willow)", "never opened"),
        ('"willow tea', "closing quote"),
        ("willow AND", "stops too early"),
        ("AND willow", "needs a word"),
        ("willow OR OR tea", "needs a word"),
        ("()", "closes before anything"),
        ("NOT tree", "no word to find"),
        ("lang:zh", "no word to find"),
        ("site:weibo.com willow", "not a filter"),
        ("lang: willow", "Say which"),
        ("willow NEAR/99 tea", "at most NEAR/20"),
        ("willow near/3 tea", "NEAR in capitals"),
        ("t*", "at least 3 Latin letters"),
        ("小满*", "Chinese terms already match"),
        ("wil*ow", "only at the end"),
        ('"wil* tea"', "inside a phrase"),
        ('""', "empty"),
        ("(" * 20 + "willow" + ")" * 20, "brackets inside each other"),
        ("willow " * 400, "characters long"),
        (" OR ".join(f"w{i}" for i in range(130)), "terms"),
        ("willow AND (tree AND NOT) ", "Something is missing"),
        ("(a AND b) NEAR/3 c", "NEAR/n joins words"),
    ],
)
def test_malformed_and_hostile_queries_get_a_clear_message(query, message):
    with pytest.raises(QueryError) as raised:
        parse(query)
    assert message in str(raised.value)


def test_a_syntax_error_points_at_the_column():
    with pytest.raises(QueryError) as raised:
        parse("willow OR AND tea")
    assert raised.value.column == 11
    assert str(raised.value).splitlines()[-1].index("^") == 4 + 10


def test_non_text_query_and_code_are_refused_not_run():
    with pytest.raises(QueryError, match="is text"):
        parse(42)
    # Python is just words here: it is searched for, never executed.
    assert hits("__import__('os').system('echo hi')") == []


def test_lower_case_operators_are_searched_as_words_with_a_warning():
    query = parse("willow and tea")
    assert query.tree == And((Term("willow"), Term("and"), Term("tea")))
    assert any("AND" in w for w in query.warnings)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_either_runs_or_gets_a_query_error(text):
    try:
        mask = lab.run(text, CORPUS)
    except QueryError as error:
        assert str(error)
    else:
        assert mask.dtype == bool and len(mask) == len(POSTS)


WORDS = st.sampled_from(["willow", "tea", "小满", "garden", "lovely", "#willowtea"])


@settings(max_examples=80, deadline=None)
@given(WORDS, WORDS)
def test_or_is_a_superset_and_and_a_subset(a, b):
    left, right = lab.run(a, CORPUS), lab.run(b, CORPUS)
    assert (lab.run(f"{a} OR {b}", CORPUS) == (left | right)).all()
    assert (lab.run(f"{a} AND {b}", CORPUS) == (left & right)).all()
    assert (lab.run(f"{a} NOT {b}", CORPUS) == (left & ~right)).all()
    near = lab.run(f"{a} NEAR/3 {b}", CORPUS)
    assert not (near & ~(left & right)).any()
    assert (near == lab.run(f"{b} NEAR/3 {a}", CORPUS)).all()  # either order
    closer = lab.run(f"{a} NEAR/0 {b}", CORPUS)
    assert not (closer & ~near).any()  # a smaller distance finds no more


def test_scores_on_a_known_confusion():
    matched = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    relevant = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    s = lab.scores(matched, relevant)
    assert (s["true_positives"], s["false_positives"], s["misses"]) == (3, 1, 1)
    assert s["precision"] == 0.75 and s["recall"] == 0.75 and s["f1"] == 0.75
    assert np.isnan(lab.scores(np.zeros(3, bool), np.zeros(3, bool))["precision"])


def test_wilson_interval_known_values():
    low, high = lab.wilson(8, 10)  # Wilson's interval for 8 of 10
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)
    assert lab.wilson(0, 20)[0] == pytest.approx(0.0, abs=1e-12)  # stays inside 0–1
    assert np.isnan(lab.wilson(0, 0)[0])


def test_share_of_voice_and_its_interval():
    share, low, high = lab.share_of_voice(65, 35)
    assert share == 0.65 and low < 0.65 < high
    narrow = lab.share_of_voice(6500, 3500)
    assert narrow[2] - narrow[1] < (high - low) / 5


def test_sample_estimates_cover_the_truth_and_narrow_with_size():
    rng = np.random.default_rng(1)
    relevant = rng.random(5000) < 0.35
    matched = np.where(relevant, rng.random(5000) < 0.8, rng.random(5000) < 0.2)
    truth = lab.scores(matched, relevant)
    small = lab.sample_estimate(matched, relevant, 100, seed=3)
    big = lab.sample_estimate(matched, relevant, 2000, seed=3)
    for name in ("precision", "recall"):
        assert big[name][1] <= truth[name] <= big[name][2]
        assert big[name][2] - big[name][1] < small[name][2] - small[name][1]


def test_lexicon_model_counts_negation_and_is_fooled_by_sarcasm():
    posts = pd.DataFrame(
        {
            "text": ["lovely tea", "not impressed", "great, thanks for the tea dust 🙄",
                     "不喜欢", "真好喝", "nothing to say"],
            "language": "en",
            "platform": "X",
        }
    )  # fmt: skip
    lexicon = {
        "positive": ["lovely", "impressed", "great", "thanks", "喜欢", "好喝"],
        "negative": ["🙄"],
        "negators": ["not", "不"],
    }
    scores = lab.lexicon_scores(lab.Corpus(posts), lexicon)
    assert list(scores) == [1, -1, 1, -1, 1, 0]
    assert list(lab.predict(scores)) == [
        "positive", "negative", "positive", "negative", "positive", "neutral"
    ]  # fmt: skip


def test_punctuation_ends_a_negations_reach():
    posts = pd.DataFrame({"text": ["清爽不苦涩，推荐", "不推荐", "not bitter, lovely"]})
    posts = posts.assign(language="zh", platform="Weibo")
    lexicon = {"positive": ["推荐", "lovely"], "negative": ["苦涩", "bitter"],
               "negators": ["不", "not"]}  # fmt: skip
    assert list(lab.lexicon_scores(lab.Corpus(posts), lexicon)) == [2, -1, 2]


def test_confusion_and_corrected_shares_recover_a_known_mix():
    # The model calls every sarcastic negative post positive: of its "positive"
    # posts a third are really negative. The sample shows that; the fix recovers it.
    labels = ["positive"] * 60 + ["negative"] * 40
    model = ["positive"] * 60 + ["positive"] * 30 + ["negative"] * 10
    table = lab.confusion(labels, model)
    assert table.loc["negative", "positive"] == 30 and table.to_numpy().sum() == 100
    assert lab.accuracy(labels, model) == 0.7
    fixed = lab.corrected_shares(model, labels, model)
    assert fixed["negative"] == pytest.approx(0.4)
    assert fixed.sum() == pytest.approx(1.0)


def test_net_sentiment_forms():
    values = ["positive"] * 80 + ["negative"] * 20 + ["neutral"] * 100
    forms = lab.net_sentiment_forms(values)
    assert forms["net_all"] == pytest.approx(0.30)  # the published worked example
    assert forms["net_polarity"] == pytest.approx(0.60)


def test_the_corpus_needs_its_columns():
    with pytest.raises(ValueError, match="language"):
        lab.Corpus(pd.DataFrame({"text": ["a"]}))
