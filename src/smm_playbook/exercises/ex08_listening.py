"""Exercise 8 — Social listening: queries, precision and recall, sentiment, the report.

Setup cell of the notebook:  from smm_playbook.exercises.ex08_listening import *
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from smm_playbook import data
from smm_playbook.checks import (
    ChoiceQuestion,
    FrameQuestion,
    Incorrect,
    Misconception,
    Question,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.datagen.listening import lexicon
from smm_playbook.sim import query_lab as lab
from smm_playbook.sim.query_language import QueryError, parse

NAIVE_QUERY = "willow OR 小满"
TARGET = 0.90  # precision and recall the learner's query must reach on unseen posts
UNSEEN_SEED = 11  # the unseen labelled sample: same generator, another seed
SAMPLE_SIZE = 300  # the hand-labelled sample of relevant posts (the earliest ones)
COMPETITORS = ("Leaf & Co", "Brewhaus", "Cha Xiaoman")


@cache
def _mentions() -> pd.DataFrame:
    return data.load("listening_mentions")


@cache
def _corpus(seed: int | None = None) -> tuple[pd.DataFrame, lab.Corpus]:
    frame = _mentions() if seed is None else data.generate("listening_mentions", seed)
    return frame, lab.Corpus(frame)


def matches(query: str, frame: pd.DataFrame | None = None) -> pd.Series:
    """True for each post the query matches (the course's query language)."""
    if frame is None or frame is _mentions():
        base, corpus = _corpus()
        return pd.Series(lab.run(query, corpus), index=base.index, name="matched")
    return pd.Series(lab.run(query, lab.Corpus(frame)), index=frame.index)


def lexicon_sentiment(frame: pd.DataFrame) -> pd.Series:
    """The lexicon model's sentiment for each post: positive, neutral or negative."""
    scores = lab.lexicon_scores(lab.Corpus(frame), lexicon())
    return pd.Series(lab.predict(scores), index=frame.index, name="model")


# --- Q1: precision and recall of the naive query -------------------------------------


def _naive(kind: str = "right") -> dict[str, float]:
    frame = _mentions()
    found = matches(NAIVE_QUERY).to_numpy()
    relevant = frame["relevant"].to_numpy() == 1
    s = lab.scores(found, relevant)
    if kind == "swapped":
        return {"naive_precision": s["recall"], "naive_recall": s["precision"]}
    if kind == "over_all":
        return {"naive_precision": s["true_positives"] / len(frame)}
    return {"naive_precision": s["precision"], "naive_recall": s["recall"]}


class NaivePrecisionRecall(ValueQuestion):
    title = "Precision and recall of the brand name alone (dataset)"
    var = ("naive_precision", "naive_recall")
    unit = "fraction"
    rtol = 1e-3
    expected = staticmethod(_naive)
    misconceptions = (
        Misconception(
            lambda: _naive("swapped"),
            "Precision and recall are swapped. Precision asks 'of the posts the query "
            "found, how many are about Willow Tea?'; recall asks 'of the posts about "
            "Willow Tea, how many did it find?'.",
        ),
        Misconception(
            lambda: _naive("over_all"),
            "You divided by every post in the dataset. Precision divides the relevant "
            "matches by the matches only.",
        ),
    )
    hints = (
        "`found = matches('willow OR 小满')` is True for each post the query finds; "
        "`mentions['relevant'] == 1` marks the posts really about Willow Tea.",
        "precision = (found & relevant).sum() ÷ found.sum(); recall = (found & "
        "relevant).sum() ÷ relevant.sum().",
    )
    solution = (
        "```python\nfound = matches('willow OR 小满')\nrelevant = mentions['relevant'] "
        "== 1\nnaive_precision = (found & relevant).sum() / found.sum()\n"
        "naive_recall = (found & relevant).sum() / relevant.sum()\n```"
    )


class WhySegmentation(ChoiceQuestion):
    title = "Why 小满 finds 每天一点小满足"
    var = "segmentation_answer"
    options = {
        "a": "Chinese is written without spaces, so a tool that does not segment words "
        "finds the characters 小满 inside 小满足 (小 + 满足, a small satisfaction).",
        "b": "The tool translated the post into English first.",
        "c": "小满足 is a nickname fans use for the brand.",
        "d": "The query is too short; longer queries never match inside other words.",
    }
    correct = "a"
    why = {
        "a": "Segmentation splits 每天一点小满足 into 每天 / 一点 / 小 / 满足; a "
        "substring match ignores those boundaries. Exclude such phrases, or add "
        "context words such as 茶.",
        "b": "Listening tools match the original text; a translation would not add "
        "the characters 小满.",
        "c": "It is an everyday phrase with nothing to do with tea: read the false "
        "positives before you decide what a term means.",
        "d": "Length helps, but 茶小满 contains 小满茶's neighbour 小满 too: without "
        "word boundaries any term can sit inside a longer word.",
    }
    hints = ("Where are the spaces in a Chinese sentence?",)
    solution = "`segmentation_answer = 'a'`."


# --- Q3: write a query that reaches the target on unseen posts ------------------------

VARIANTS = (
    ("小滿", "traditional characters (小滿, as Hong Kong and Taiwan users write it)"),
    ("晓满", "the homophone typo 晓满"),
    ("xiaoman", "the pinyin xiaoman"),
    ("#willowtea", "the hashtag #WillowTea"),
    ("@willowtea", "the handle @WillowTea"),
    ("willowtea", "willowtea written as one word"),
    ("wilow", "the misspelling Wilow"),
)


class BrandQuery(Question):
    """A Boolean query string, graded on posts the learner has never seen."""

    title = "A query for Willow Tea / 小满茶 (graded on unseen posts)"
    var = "willow_query"
    hints = (
        "Start from every way people write the brand: Willow, WillowTea, #WillowTea, "
        "@WillowTea, Wilow, 小满, 小滿, 晓满, xiaoman. Run `query_scores(q)` on the "
        "course's posts and read `misses(q)` and `false_positives(q)`.",
        "Then exclude the other meanings: the tree, the Glasgow tea rooms, the dog; "
        "the solar term 小满 (节气, 今天小满), 小满足, the competitor 茶小满; and spam "
        "(giveaway, wholesale, 代购, 刷单, 福利群).",
        "Exclusions that are too broad cost recall: 'free' also removes 'caffeine "
        "free' questions from real customers.",
    )
    solution = (
        "One query that reaches both targets:\n\n```python\nwillow_query = (\n"
        "    '(willow OR willowtea OR wilow OR 小满 OR 小滿 OR 晓满 OR xiaoman) '\n"
        "    'NOT (tree OR garden OR basket OR glasgow OR bark OR dog OR road '\n"
        "    'OR pond '\n"
        "    'OR catkins OR cricket OR charcoal OR plates OR branch '\n"
        "    'OR 节气 OR 茶小满 OR 小满足 OR 时节 OR 麦 OR 宝宝 OR 我家小满 OR 剧 '\n"
        "    'OR 人生 OR 今日小满 OR 今天小满 OR 小满了 OR 江河 '\n"
        '    \'OR giveaway OR "free box" OR wholesale OR "link in bio" \'\n'
        "    'OR 代购 OR 刷单 OR 福利群 OR 一折 OR example)'\n)\n```"
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        query = values[self.var]
        if not isinstance(query, str):
            raise Incorrect("Write `willow_query` as text between quotes.")
        try:
            parsed = parse(query)
        except QueryError as error:
            raise Incorrect(f"The query cannot be run: {error}") from None
        frame, corpus = _corpus(UNSEEN_SEED)
        found = lab.run(parsed, corpus)
        relevant = frame["relevant"].to_numpy() == 1
        s = lab.scores(found, relevant)
        precision, recall = s["precision"], s["recall"]
        if not recall >= TARGET:
            raise Incorrect(_recall_problem(frame, found, relevant, recall))
        if not precision >= TARGET:
            raise Incorrect(_precision_problem(frame, found, relevant, precision))
        return (
            f"On {len(frame):,} posts you had never seen, precision is "
            f"{precision:.1%} and recall {recall:.1%}: both above {TARGET:.0%}."
        )


def _recall_problem(
    frame: pd.DataFrame, found: np.ndarray, relevant: np.ndarray, recall: float
) -> str:
    missed = frame.loc[~found & relevant, "text"].str.casefold()
    forgotten = [label for form, label in VARIANTS if missed.str.contains(form).any()]
    where = f" It misses posts with {', '.join(forgotten[:3])}." if forgotten else ""
    return (
        f"On the unseen posts recall is {recall:.1%} (target {TARGET:.0%}): "
        f"{int(len(missed)):,} posts about Willow Tea were not found.{where} An "
        "exclusion may also be removing real customers: check what your NOTs remove."
    )


def _precision_problem(
    frame: pd.DataFrame, found: np.ndarray, relevant: np.ndarray, precision: float
) -> str:

    wrong = frame.loc[found & ~relevant]
    kinds = {
        "spam and bot posts": int(wrong["spam"].sum()),
        "posts about competitors (茶小满 contains 小满)": int(
            wrong["brand"].isin(COMPETITORS).sum()
        ),
        "posts about the tree, the solar term 小满 and other meanings": int(
            ((wrong["brand"] == "none") & (wrong["spam"] == 0)).sum()
        ),
    }
    worst = max(kinds, key=kinds.__getitem__)

    return (
        f"On the unseen posts precision is {precision:.1%} (target {TARGET:.0%}): "
        f"{len(wrong):,} of the posts found are not about Willow Tea, most of them "
        f"{worst} ({kinds[worst]:,}). Read `false_positives(willow_query)` and "
        "exclude what they share."
    )


def query_scores(query: str) -> dict[str, float]:
    """Matches, precision, recall and F1 of a query on the course's labelled posts."""
    frame = _mentions()
    return lab.scores(matches(query).to_numpy(), frame["relevant"].to_numpy() == 1)


def false_positives(query: str, k: int = 10) -> pd.DataFrame:
    frame = _mentions()
    found = matches(query).to_numpy()
    return frame.loc[found & (frame["relevant"] == 0).to_numpy(), ["platform", "text"]][
        :k
    ]


def misses(query: str, k: int = 10) -> pd.DataFrame:
    frame = _mentions()
    found = matches(query).to_numpy()
    return frame.loc[
        ~found & (frame["relevant"] == 1).to_numpy(), ["platform", "text"]
    ][:k]


# --- Q4: share of voice with an interval ----------------------------------------------


def _sov(kind: str = "right") -> dict[str, float]:
    frame = _mentions()
    genuine = frame["spam"] == 0
    ours = int((frame["relevant"] == 1).sum())
    if kind == "with_spam":
        ours = int((frame["brand"] == "Willow").sum())
    others = int((frame["brand"].isin(COMPETITORS) & genuine).sum())
    total = ours + others
    share, low, high = lab.share_of_voice(ours, others)
    if kind == "wald":
        half = lab.Z95 * np.sqrt(share * (1 - share) / total)
        low, high = share - half, share + half
    if kind == "all_posts":
        return {"sov": ours / len(frame)}
    return {"sov": share, "sov_low": low, "sov_high": high}


class ShareOfVoiceInterval(ValueQuestion):
    title = "Share of voice with a 95% interval (dataset)"
    var = ("sov", "sov_low", "sov_high")
    unit = "fraction"
    rtol = 1e-4
    expected = staticmethod(_sov)
    misconceptions = (
        Misconception(
            lambda: _sov("with_spam"),
            "Your count for Willow includes spam and bot posts (`spam == 1`). Share "
            "of voice counts genuine conversation: use `relevant == 1`.",
        ),
        Misconception(
            lambda: _sov("all_posts"),
            "You divided by every post collected, noise included. Share of voice = "
            "Willow ÷ (Willow + competitors).",
        ),
        Misconception(
            lambda: _sov("wald"),
            "That is the simple (Wald) interval, p ± 1.96 √(p(1−p)/n). The question "
            "asks for the Wilson interval, which stays inside 0–1 for small samples.",
        ),
    )
    hints = (
        "Willow = posts with `relevant == 1`; competitors = posts whose `brand` is "
        "Leaf & Co, Brewhaus or Cha Xiaoman and `spam == 0`. n = Willow + competitors.",
        "Wilson, with z = 1.96: centre = (p + z²/2n) ÷ (1 + z²/n); half-width = z ÷ "
        "(1 + z²/n) × √(p(1−p)/n + z²/4n²).",
    )
    solution = (
        "```python\nours = (mentions.relevant == 1).sum()\nothers = (mentions.brand."
        "isin(['Leaf & Co', 'Brewhaus', 'Cha Xiaoman']) & (mentions.spam == 0)).sum()"
        "\nn = ours + others; p = ours / n; z = 1.96\n"
        "centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)\n"
        "half = z / (1 + z**2 / n) * ((p * (1 - p) / n + z**2 / (4 * n**2)) ** 0.5)\n"
        "sov, sov_low, sov_high = p, centre - half, centre + half\n```"
    )


# --- Q5: the sentiment model's accuracy, and the corrected figure -------------------


def hand_labelled_sample() -> pd.DataFrame:
    """The earliest 300 relevant posts: the ones a coder labelled by hand."""
    frame = _mentions()
    return frame[frame["relevant"] == 1].head(SAMPLE_SIZE)


@cache
def _sentiment_answers() -> dict[str, float]:
    frame = _mentions()
    relevant = frame[frame["relevant"] == 1]
    model = lexicon_sentiment(frame)
    sample = hand_labelled_sample()
    corrected = lab.corrected_shares(
        model[relevant.index], sample["sentiment"], model[sample.index]
    )
    return {
        "sample_accuracy": lab.accuracy(sample["sentiment"], model[sample.index]),
        "corrected_negative": float(corrected["negative"]),
        "raw_negative": float((model[relevant.index] == "negative").mean()),
        "all_accuracy": lab.accuracy(relevant["sentiment"], model[relevant.index]),
    }


class CorrectedSentiment(ValueQuestion):
    title = "The model's accuracy and the corrected negative share (dataset)"
    var = ("sample_accuracy", "corrected_negative")
    unit = "fraction"
    rtol = 1e-3
    expected = staticmethod(
        lambda: {
            k: _sentiment_answers()[k]
            for k in ("sample_accuracy", "corrected_negative")
        }
    )
    misconceptions = (
        Misconception(
            lambda: {"corrected_negative": _sentiment_answers()["raw_negative"]},
            "That is the model's own negative share, uncorrected. Use the sample: of "
            "the posts the model called positive, neutral or negative, what share did "
            "the coder label negative? Weight those shares by how often the model "
            "gives each label across all relevant posts.",
        ),
        Misconception(
            lambda: {"sample_accuracy": _sentiment_answers()["all_accuracy"]},
            "That accuracy uses every relevant post. In real work only the "
            "hand-labelled sample has labels: measure the model on the sample.",
        ),
    )
    hints = (
        "`model = lexicon_sentiment(mentions)`; `sample = hand_labelled_sample()`; "
        "accuracy = share of the sample where `model[sample.index] == "
        "sample['sentiment']`.",
        "Corrected negative share = Σ over the model's labels c of (share of relevant "
        "posts the model labels c) × (share of the sample's c-labelled posts that the "
        "coder labelled negative).",
    )
    solution = (
        "```python\nmodel = lexicon_sentiment(mentions)\nrelevant = mentions[mentions."
        "relevant == 1]\nsample = hand_labelled_sample()\nsaid = model[sample.index]\n"
        "sample_accuracy = (said == sample['sentiment']).mean()\n"
        "p_neg = (sample['sentiment'] == 'negative').groupby(said).mean()\n"
        "share = model[relevant.index].value_counts(normalize=True)\n"
        "corrected_negative = (share * p_neg).sum()\n```"
    )


class DataSource(ChoiceQuestion):
    title = "Which source answers the question?"
    var = "source_answer"
    options = {
        "a": "A listening query on WeChat: it covers the private groups where parents "
        "talk.",
        "b": "A Weibo keyword search, because Weibo is public and WeChat is not.",
        "c": "Ask them: a short survey or interviews with consenting members of the "
        "brand's own WeChat community, alongside listening on public platforms.",
        "d": "Share of voice on Xiaohongshu, which stands for all Chinese platforms.",
    }
    correct = "c"
    why = {
        "a": "No listening tool sees private WeChat groups or chats: they are closed. "
        "Tools see public official-account articles at best.",
        "b": "Weibo shows what Weibo users say in public; it cannot tell you what "
        "parents say in private groups.",
        "c": "Where data cannot be collected, ask people, with their consent, and be "
        "clear that public listening covers only what is public.",
        "d": "Every platform has its own audience; none stands for the others.",
    }
    hints = ("Which conversations can a listening tool collect at all?",)
    solution = "`source_answer = 'c'`."


# --- Q7: topics of the genuine conversation -----------------------------------------


def _topics(genuine_only: bool = True) -> pd.DataFrame:
    frame = _mentions()
    pool = (
        frame[frame["relevant"] == 1]
        if genuine_only
        else frame[frame["brand"] == "Willow"]
    )
    table = pool.groupby("topic").agg(
        mentions=("mention_id", "size"),
        negative_share=("sentiment", lambda s: float((s == "negative").mean())),
    )
    return table.reset_index()


class TopicTable(FrameQuestion):
    title = "What the conversation is about (dataset)"
    var = "topic_table"
    key = ("topic",)
    expected = staticmethod(_topics)
    misconceptions = (
        Misconception(
            lambda: _topics(genuine_only=False),
            "Your table includes spam posts that name the brand (the 'spam' topic "
            "and inflated counts): keep only `relevant == 1`.",
        ),
    )
    hints = (
        "Keep the relevant posts, group by `topic`, count them and take the share "
        "whose `sentiment` is 'negative'.",
    )
    solution = (
        "```python\nrelevant = mentions[mentions.relevant == 1]\ntopic_table = "
        "relevant.groupby('topic').agg(mentions=('mention_id', 'size'), "
        "negative_share=('sentiment', lambda s: (s == 'negative').mean()))"
        ".reset_index()\n```"
    )


QUESTIONS = [
    NaivePrecisionRecall,
    WhySegmentation,
    BrandQuery,
    ShareOfVoiceInterval,
    CorrectedSentiment,
    DataSource,
    TopicTable,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex08_listening")
__all__ += [
    "load",
    "pd",
    "np",
    "matches",
    "query_scores",
    "false_positives",
    "misses",
    "lexicon_sentiment",
    "hand_labelled_sample",
    "NAIVE_QUERY",
]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex08_listening.yaml.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class ListeningReport(WorkProductQuestion):
    title = "Work product: a one-page listening report with a recommendation"
    var = "listening_report"
    rubric_file = "ex08_listening"
    agree = (
        Agreement(
            "sov",
            "share of voice",
            r"share of voice|\bSOV\b|声量份额",
            scale=100,
            section="found",
        ),
        Agreement(
            "corrected_negative",
            "corrected negative share",
            r"negative|负面",
            scale=100,
            section="found",
        ),
    )
    hints = (
        'Write "So what" last, once you know what the numbers mean: two sentences '
        "the director could repeat.",
        '"Method" says how far to trust each number: the query\'s precision and '
        "recall, the model's accuracy on the hand-labelled sample, the interval, and "
        "what the sources cannot see.",
        'Every action in "Now what" needs an owner and a date.',
    )
    solution = (
        "A model that passes the structural checks is the `%%work listening_report` "
        "cell of `solutions/ex08_listening.ipynb`. Compare its structure with yours, "
        "not its words: your work is judged against the rubric "
        '(`work_brief("ex08_listening")`).'
    )


__all__ += bind_work_product(globals(), ListeningReport, "ex08_listening")
