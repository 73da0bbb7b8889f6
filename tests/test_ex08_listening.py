"""Exercise 8: reference answers pass, known wrong answers get their message,
untouched placeholders are "not attempted". The last question, the listening
report, is a work product: tests/test_work_product.py covers it with the others;
here, that the model quotes the numbers the data give."""

from __future__ import annotations

import pytest

import smm_playbook.exercises.ex08_listening as ex
from exercise_contract import contract_tests
from smm_playbook.sim import query_lab as lab

mentions = ex.load("listening_mentions")
relevant = mentions["relevant"] == 1
found = ex.matches(ex.NAIVE_QUERY)
tp = (found & relevant).sum()

ours = relevant.sum()
others = (mentions["brand"].isin(ex.COMPETITORS) & (mentions["spam"] == 0)).sum()
n, p, z = ours + others, ours / (ours + others), 1.96
centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
half = z / (1 + z**2 / n) * (p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5
wald = z * (p * (1 - p) / n) ** 0.5

model = ex.lexicon_sentiment(mentions)
sample = ex.hand_labelled_sample()
said = model[sample.index]
p_neg = (sample["sentiment"] == "negative").groupby(said).mean()
share = model[relevant].value_counts(normalize=True)
corrected = (share * p_neg).sum()
accuracy = (said == sample["sentiment"]).mean()

genuine = mentions[relevant]
topics = (
    genuine.groupby("topic")
    .agg(
        mentions=("mention_id", "size"),
        negative_share=("sentiment", lambda s: (s == "negative").mean()),
    )
    .reset_index()
)
QUERY = ex.BrandQuery.solution.split("```python\n")[1].split("```")[0]
namespace: dict = {}
exec(QUERY, namespace)  # the solution's own code, as a learner would paste it
GOOD_QUERY = namespace["willow_query"]

REFERENCE = {
    "q1": {"naive_precision": tp / found.sum(), "naive_recall": tp / relevant.sum()},
    "q2": {"segmentation_answer": "a"},
    "q3": {"willow_query": GOOD_QUERY},
    "q4": {"sov": p, "sov_low": centre - half, "sov_high": centre + half},
    "q5": {"sample_accuracy": accuracy, "corrected_negative": corrected},
    "q6": {"source_answer": "c"},
    "q7": {"topic_table": topics},
}

KNOWN_WRONG = [
    (
        "q1",
        {"naive_precision": tp / relevant.sum(), "naive_recall": tp / found.sum()},
        "swapped",
    ),
    (
        "q1",
        {"naive_precision": tp / len(mentions), "naive_recall": tp / relevant.sum()},
        "every post in the dataset",
    ),
    ("q2", {"segmentation_answer": "c"}, "everyday phrase"),
    ("q3", {"willow_query": ex.NAIVE_QUERY}, "recall is"),
    (
        "q3",
        {
            "willow_query": "willow OR willowtea OR wilow OR 小满 OR 小滿 OR 晓满 "
            "OR xiaoman"
        },
        "precision is",
    ),
    ("q3", {"willow_query": "willow OR 小满 NOT (tree OR 节气 OR 小满足)"}, "小滿"),
    ("q3", {"willow_query": "willow AND ("}, "never closed"),
    ("q3", {"willow_query": "NOT tree"}, "no word to find"),
    ("q3", {"willow_query": 42}, "as text"),
    (
        "q4",
        {"sov": p, "sov_low": p - wald, "sov_high": p + wald},
        "Wald",
    ),
    (
        "q4",
        {
            "sov": ex._sov("with_spam")["sov"],
            "sov_low": ex._sov("with_spam")["sov_low"],
            "sov_high": ex._sov("with_spam")["sov_high"],
        },
        "spam",
    ),
    (
        "q5",
        {
            "sample_accuracy": accuracy,
            "corrected_negative": (model[relevant] == "negative").mean(),
        },
        "uncorrected",
    ),
    ("q6", {"source_answer": "a"}, "private WeChat groups"),
    ("q7", {"topic_table": ex._topics(genuine_only=False)}, "spam"),
]

globals().update(contract_tests(ex, REFERENCE, KNOWN_WRONG))


def work_cell(name: str) -> str:
    import json

    from conftest import ROOT

    cells = json.loads((ROOT / "solutions" / "ex08_listening.ipynb").read_text())
    sources = ["".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "code"]
    (source,) = [s for s in sources if s.startswith(f"%%work {name}")]
    return source


def test_the_model_answer_quotes_the_numbers_the_data_gives():
    scores = ex.query_scores(GOOD_QUERY)
    assert scores["matches"] == 1766 and round(scores["precision"], 2) == 0.96
    assert f"{p:.0%}" == "65%"
    assert f"{corrected:.0%}" == "34%"
    assert f"{(model[relevant] == 'negative').mean():.0%}" == "27%"
    net = lab.net_sentiment_forms(model[relevant])["net_all"]
    assert f"{net:+.2f}" == "+0.23"
    report = work_cell("listening_report")
    for quoted in (
        "1,766",
        "precision is 96%",
        "65% (95% interval 64% to 67%)",
        "34% of posts are negative, not the 27%",
        "92% accurate",
        "70% of its 226 posts",
        "516 posts",
        "is 22% negative",
    ):
        assert quoted in report, quoted
    taste = topics.set_index("topic").loc["taste"]
    assert f"{taste['negative_share']:.0%}" == "22%" and taste["mentions"] == 516
    assert f"{centre - half:.0%}" == "64%" and f"{centre + half:.0%}" == "67%"
    assert f"{accuracy:.0%}" == "92%"
    delivery = topics.set_index("topic").loc["delivery"]
    assert f"{delivery['negative_share']:.0%}" == "70%" and delivery["mentions"] == 226


def test_the_graded_sample_is_not_the_shipped_one():
    unseen, _ = ex._corpus(ex.UNSEEN_SEED)
    assert not unseen["text"].equals(mentions["text"])
    assert ex.UNSEEN_SEED != 0


def test_the_knowledge_checks_numbers_are_the_datas():
    from conftest import ROOT

    text = (ROOT / "book" / "08-listening" / "knowledge-check.md").read_text()
    naive = ex.query_scores(ex.NAIVE_QUERY)
    polarity = lab.net_sentiment_forms(model[relevant])["net_polarity"]
    truth = lab.net_sentiment_forms(genuine["sentiment"])
    facts = [
        f"{naive['matches']:,} posts",
        f"estimate that {naive['precision']:.0%}",
        f"finds {naive['recall']:.0%} of all posts",
        f"net sentiment of {lab.net_sentiment_forms(model[relevant])['net_all']:+.2f}",
        f"agrees with you on {accuracy:.0%}",
        f"the model says {(model[relevant] == 'negative').mean():.0%} negative",
        f"the correction {corrected:.0%}",
        f"the full labels {(genuine['sentiment'] == 'negative').mean():.0%}",
        f"({polarity:+.2f} against a true {truth['net_polarity']:+.2f}",
        f"{int(ours):,} genuine posts and its three competitors {int(others):,}",
        f"share of voice of {p:.0%}",
        f"interval of {centre - half:.0%} to {centre + half:.0%}",
    ]
    missing = [fact for fact in facts if fact not in text]
    assert not missing, missing


def check_report(text: str, **analysis):
    from smm_playbook.checks.work_product import strip_markers

    values = {"sov": p, "corrected_negative": corrected, **analysis}
    body = strip_markers(text.partition("\n")[2])
    return ex.q8.evaluate({**values, "listening_report": body})


def test_the_report_is_the_work_product_and_the_model_is_submitted():
    from smm_playbook.checks.work_product import WorkProductQuestion

    assert isinstance(ex.q8.question, WorkProductQuestion)
    feedback = check_report(work_cell("listening_report"))
    assert feedback.status == "submitted" and feedback.needs_review, feedback.message


ANCHOR = "this report covers public conversation only."


@pytest.mark.parametrize(
    ("added", "message"),
    [
        (
            "The sentiment model is 92% accurate, so its figure of 27% negative "
            "is right.",
            "takes the sentiment model's figure as right",
        ),
        ("模型准确率很高，所以情感比例就是对的。", "takes the sentiment model's"),
        ("Our listening tool sees every post about Willow Tea.", "is complete"),
        ("The 95% interval covers every source of error.", "never a query's bias"),
        ("我们的工具覆盖了所有的讨论。", "is complete"),
    ],
)
def test_a_claim_that_contradicts_the_module_is_refused(added, message):
    text = work_cell("listening_report").replace(ANCHOR, f"{ANCHOR} {added}")
    feedback = check_report(text)
    assert feedback.status == "incorrect"
    assert message in feedback.message


def test_saying_what_the_tools_cannot_see_is_not_a_contradiction():
    added = "No tool sees every post, and 工具无法看到所有的讨论."
    text = work_cell("listening_report").replace(ANCHOR, f"{ANCHOR} {added}")
    assert check_report(text).status == "submitted"


def test_a_method_with_no_error_bars_is_told_what_to_add():
    report = work_cell("listening_report")
    method = report.split("## Method")[1].split("## What we found")[0]
    bare = "\n## Method and how far to trust it\nWe used our usual query.\n"
    feedback = check_report(report.replace("## Method" + method, bare))
    assert feedback.status == "incorrect"
    assert "Say how far the numbers can be trusted" in feedback.message


def test_a_share_of_voice_that_is_not_the_learners_is_caught():
    feedback = check_report(work_cell("listening_report"), sov=0.5)
    assert feedback.status == "incorrect"
    assert "for the share of voice" in feedback.message
