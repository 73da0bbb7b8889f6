"""The query lab: run a Boolean query over labelled mentions and measure it.

A TEACHING MODEL, pure (no files, no widgets): tables come in as DataFrames. A
`Corpus` tokenises every post once and keeps a positional index, so a query over
5,000 posts takes milliseconds. Tokens are Latin words (lower case, # and @ kept,
and also indexed without them), single Chinese characters (the lab does not
segment Chinese, so 小满 is found inside 小满足 and 茶小满, as in a tool that
matches substrings) and emoji.

Definitions, on the posts the query matched against the hand labels:
precision = relevant matches ÷ matches; recall = relevant matches ÷ relevant
posts; F1 = 2PR ÷ (P + R). Share of voice = brand ÷ (brand + competitors).
Intervals are Wilson score intervals (95 %), which stay inside 0–1 for small
samples.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from smm_playbook.sim.query_language import (
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Query,
    Term,
    parse,
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]|[#@]?[0-9a-z_\u00c0-\u024f]+|[^\s{_CJK}0-9a-z_]")
SENTIMENTS = ("positive", "neutral", "negative")
_SEP = "\x1f"
Z95 = float(stats.norm.ppf(0.975))


def tokenize(text: str) -> list[str]:
    """Lower-case tokens: words, single Chinese characters, emoji; no punctuation."""
    return [t for t, _ in _tokens_with_clauses(text)]


def _tokens_with_clauses(text: str) -> list[tuple[str, int]]:
    """Each token with the number of its clause (punctuation starts a new clause)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.replace("n't", " not").replace("n’t", " not")
    out, clause = [], 0
    for t in _TOKEN.findall(text):
        if len(t) > 1 or t.isalnum() or unicodedata.category(t)[0] == "S":
            out.append((t, clause))
        else:
            clause += 1
    return out


@dataclass
class Corpus:
    """Posts with a positional index. `frame` needs `text`, `language`, `platform`."""

    frame: pd.DataFrame
    tokens: list[list[str]] = field(init=False, repr=False)
    index: dict[str, dict[int, list[int]]] = field(init=False, repr=False)
    vocabulary: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        missing = {"text", "language", "platform"} - set(self.frame.columns)
        if missing:
            raise ValueError(f"The mentions table needs the columns {sorted(missing)}.")
        self.frame = self.frame.reset_index(drop=True)
        pairs = [_tokens_with_clauses(t) for t in self.frame["text"].fillna("")]
        self.tokens = [[t for t, _ in p] for p in pairs]
        self.clauses = [[c for _, c in p] for p in pairs]
        self.index = {}
        for doc, words in enumerate(self.tokens):
            for position, word in enumerate(words):
                for key in {word, word.lstrip("#@")} - {""}:
                    self.index.setdefault(key, {}).setdefault(doc, []).append(position)
        self.vocabulary = sorted(self.index)
        # Each post as "␟w1␟w2␟…␟" plus a copy without # and @: a phrase is then a
        # substring test, run only on the posts that hold its rarest word.
        self.joined = [
            _SEP + _SEP.join(w) + _SEP + _SEP.join(x.lstrip("#@") for x in w) + _SEP
            for w in self.tokens
        ]
        self.cache: dict[Term, np.ndarray] = {}
        self.arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.language = self.frame["language"].str.casefold().to_numpy()
        self.platform = self.frame["platform"].str.casefold().to_numpy()

    def __len__(self) -> int:
        return len(self.tokens)


def run(query: str | Query, corpus: Corpus) -> np.ndarray:
    """Boolean mask of the posts the query matches (raises `QueryError` if bad)."""
    parsed = query if isinstance(query, Query) else parse(query)
    return _mask(parsed.tree, corpus)


def _mask(node: Node, corpus: Corpus) -> np.ndarray:
    n = len(corpus)
    if isinstance(node, Term) and not node.prefix:
        if node not in corpus.cache:
            if len(corpus.cache) > 2_000:  # a long workshop: forget old terms
                corpus.cache.clear()
            corpus.cache[node] = _find(node, corpus)
        return corpus.cache[node]
    if isinstance(node, Term | Near):
        out = np.zeros(n, dtype=bool)
        out[_spans(node, corpus)[0]] = True
        return out
    if isinstance(node, Field):
        values = corpus.language if node.name == "lang" else corpus.platform
        return values == node.value
    if isinstance(node, Not):
        return ~_mask(node.child, corpus)
    masks = [_mask(child, corpus) for child in node.children]
    reduce = np.logical_and if isinstance(node, And) else np.logical_or
    return reduce.reduce(masks) if masks else np.zeros(n, dtype=bool)


def _find(term: Term, corpus: Corpus) -> np.ndarray:
    """Posts containing a word or a phrase (its tokens in a row)."""
    out = np.zeros(len(corpus), dtype=bool)
    words = tokenize(term.text)
    postings = [corpus.index.get(w, {}) for w in words]
    if not words or not all(postings):
        return out
    if len(words) == 1:
        out[list(postings[0])] = True
        return out
    needle = _SEP + _SEP.join(words) + _SEP
    rarest = min(postings, key=len)
    out[[doc for doc in rarest if needle in corpus.joined[doc]]] = True
    return out


# Spans are three parallel arrays: post, first token, one past the last token.
Spans = tuple[np.ndarray, np.ndarray, np.ndarray]
_NONE: Spans = (np.zeros(0, int), np.zeros(0, int), np.zeros(0, int))


def _spans(node: Node, corpus: Corpus) -> Spans:
    """Where a word, phrase, OR-list or NEAR matches, as token spans per post."""
    if isinstance(node, Or):
        parts = [_spans(child, corpus) for child in node.children]
        posts, starts, ends = (np.concatenate([p[i] for p in parts]) for i in range(3))
        return posts, starts, ends
    if isinstance(node, Near):
        return _near(node, corpus)
    return _term_spans(cast(Term, node), corpus)  # the parser only lets terms here


def _postings(corpus: Corpus, word: str) -> tuple[np.ndarray, np.ndarray]:
    """(posts, positions) of one token, as arrays, computed once per corpus."""
    if word not in corpus.arrays:
        docs = corpus.index.get(word, {})
        d = [doc for doc, ps in docs.items() for _ in ps]
        p = [pos for ps in docs.values() for pos in ps]
        corpus.arrays[word] = (np.array(d, dtype=int), np.array(p, dtype=int))
    return corpus.arrays[word]


def _term_spans(term: Term, corpus: Corpus) -> Spans:
    if term.prefix:
        start = bisect.bisect_left(corpus.vocabulary, term.text)
        words = []
        for word in corpus.vocabulary[start:]:
            if not word.startswith(term.text):
                break
            words.append(word)
        if not words:
            return _NONE
        found = [_postings(corpus, w) for w in words]
        docs = np.concatenate([f[0] for f in found])
        starts = np.concatenate([f[1] for f in found])
        return docs, starts, starts + 1
    words = tokenize(term.text)
    if not words:
        return _NONE
    docs, starts = _postings(corpus, words[0])
    wide = np.int64(1 << 20)  # posts × positions as one key: post · 2²⁰ + position
    keys = docs * wide + starts
    for offset, word in enumerate(words[1:], start=1):
        d, p = _postings(corpus, word)
        keys = keys[np.isin(keys + offset, d * wide + p)]
    return keys // wide, keys % wide, keys % wide + len(words)


def _near(node: Near, corpus: Corpus) -> Spans:
    """Pairs of left and right spans in one post with at most n tokens between."""
    (ld, ls, le), (rd, rs, re) = _spans(node.left, corpus), _spans(node.right, corpus)
    if not len(ld) or not len(rd):
        return _NONE
    order = np.argsort(rd, kind="stable")
    rd, rs, re = rd[order], rs[order], re[order]
    lo, hi = np.searchsorted(rd, ld, "left"), np.searchsorted(rd, ld, "right")
    counts = hi - lo
    left = np.repeat(np.arange(len(ld)), counts)  # every left span × its post's rights
    right = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])
    if not len(left):
        return _NONE
    gap = np.maximum(rs[right] - le[left], ls[left] - re[right])
    keep = gap <= node.distance
    left, right = left[keep], right[keep]
    return (
        ld[left],
        np.minimum(ls[left], rs[right]),
        np.maximum(le[left], re[right]),
    )


# --- measuring a query against the labels -----------------------------------------


def wilson(
    successes: float, trials: float, confidence: float = 0.95
) -> tuple[float, float]:
    """Wilson score interval for a proportion: (low, high); (nan, nan) if no trials."""
    if trials <= 0:
        return (np.nan, np.nan)
    z = Z95 if confidence == 0.95 else stats.norm.ppf(0.5 + confidence / 2)
    p = successes / trials
    centre = (p + z**2 / (2 * trials)) / (1 + z**2 / trials)
    half = (
        z / (1 + z**2 / trials) * np.sqrt(p * (1 - p) / trials + z**2 / (4 * trials**2))
    )
    return (float(centre - half), float(centre + half))


def scores(matched: ArrayLike, relevant: ArrayLike) -> dict[str, float]:
    """Counts and precision, recall, F1 of a match mask against 0/1 labels."""
    matched = np.asarray(matched, dtype=bool)
    relevant = np.asarray(relevant, dtype=bool)
    tp = int((matched & relevant).sum())
    fp = int((matched & ~relevant).sum())
    fn = int((~matched & relevant).sum())
    precision = tp / (tp + fp) if tp + fp else np.nan
    recall = tp / (tp + fn) if tp + fn else np.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else np.nan
    return {
        "matches": tp + fp,
        "true_positives": tp,
        "false_positives": fp,
        "misses": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def sample_estimate(
    matched: ArrayLike, relevant: ArrayLike, size: int, seed: int = 0
) -> dict[str, tuple[float, float, float]]:
    """Precision and recall as a coder would estimate them from `size` random posts.

    Returns {"precision": (estimate, low, high), "recall": (...)}, Wilson 95 %.
    """
    matched = np.asarray(matched, dtype=bool)
    relevant = np.asarray(relevant, dtype=bool)
    size = int(min(max(size, 1), len(matched)))
    pick = np.random.default_rng(seed).choice(len(matched), size, replace=False)
    m, r = matched[pick], relevant[pick]
    tp = int((m & r).sum())
    out: dict[str, tuple[float, float, float]] = {}
    for name, base in (("precision", int(m.sum())), ("recall", int(r.sum()))):
        estimate = tp / base if base else np.nan
        out[name] = (estimate, *wilson(tp, base))
    return out


def share_of_voice(brand: int, competitors: int) -> tuple[float, float, float]:
    """Share of voice with its Wilson 95 % interval (sampling noise only)."""
    total = brand + competitors
    share = brand / total if total else np.nan
    return (share, *wilson(brand, total))


def examples(
    frame: pd.DataFrame, matched: ArrayLike, relevant: ArrayLike, k: int = 8
) -> dict[str, pd.DataFrame]:
    """The first k false positives and misses, to read."""
    matched = np.asarray(matched, dtype=bool)
    relevant = np.asarray(relevant, dtype=bool)
    columns = [c for c in ("platform", "text") if c in frame.columns]
    picks = {
        "false_positives": np.flatnonzero(matched & ~relevant)[:k],
        "misses": np.flatnonzero(~matched & relevant)[:k],
    }
    return {
        key: pd.DataFrame({c: frame[c].to_numpy()[rows] for c in columns}, index=rows)
        for key, rows in picks.items()
    }


# --- a lexicon sentiment model and its error rate ---------------------------------


def lexicon_scores(corpus: Corpus, lexicon: dict) -> np.ndarray:
    """Lexicon score per post: +1 per positive entry, −1 per negative one.

    `lexicon` has lists "positive", "negative" and "negators". A negator up to
    three tokens before an entry flips its sign ("not impressed", "不喜欢").
    """
    entries: dict[str, list[tuple[list[str], int]]] = {}
    for polarity, sign in (("positive", 1), ("negative", -1)):
        for entry in lexicon.get(polarity, ()):
            words = tokenize(entry)
            if words:
                entries.setdefault(words[0], []).append((words, sign))
    negators = {w for entry in lexicon.get("negators", ()) for w in tokenize(entry)}
    return np.array(
        [
            _score(words, clauses, entries, negators)
            for words, clauses in zip(corpus.tokens, corpus.clauses, strict=True)
        ]
    )


def _score(words: list[str], clauses: list[int], entries: dict, negators: set) -> int:
    total = 0
    for i, word in enumerate(words):
        for sequence, sign in entries.get(word, ()):
            if words[i : i + len(sequence)] == sequence:
                negated = any(
                    words[j] in negators and clauses[j] == clauses[i]
                    for j in range(max(0, i - 3), i)
                )
                total += -sign if negated else sign
    return total


def predict(lexicon_score: ArrayLike, threshold: int = 1) -> np.ndarray:
    """positive if score ≥ threshold, negative if ≤ −threshold, else neutral."""
    s = np.asarray(lexicon_score)
    return np.where(
        s >= threshold, "positive", np.where(s <= -threshold, "negative", "neutral")
    )


def confusion(labels: ArrayLike, predicted: ArrayLike) -> pd.DataFrame:
    """Counts: rows are the hand labels, columns what the model said."""
    rows = pd.Categorical(np.asarray(labels), categories=SENTIMENTS).codes
    cols = pd.Categorical(np.asarray(predicted), categories=SENTIMENTS).codes
    if (rows < 0).any() or (cols < 0).any():
        raise ValueError(f"Sentiment labels must be one of {SENTIMENTS}.")
    counts = np.bincount(rows * 3 + cols, minlength=9).reshape(3, 3)
    table = pd.DataFrame(counts, index=list(SENTIMENTS), columns=list(SENTIMENTS))
    table.index.name, table.columns.name = "label", "model"
    return table


def accuracy(labels: ArrayLike, predicted: ArrayLike) -> float:
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    return float((labels == predicted).mean()) if len(labels) else np.nan


def net_sentiment_forms(sentiments: ArrayLike) -> dict[str, float]:
    """Net sentiment over all mentions and in the polarity form, from labels."""
    values = np.asarray(sentiments)
    pos, neg = int((values == "positive").sum()), int((values == "negative").sum())
    total = len(values)
    return {
        "net_all": (pos - neg) / total if total else np.nan,
        "net_polarity": (pos - neg) / (pos + neg) if pos + neg else np.nan,
    }


def corrected_shares(
    predicted: ArrayLike, sample_labels: ArrayLike, sample_predicted: ArrayLike
) -> pd.Series:
    """The true mix of sentiments, estimated from the model's output.

    For each class the model predicts, the hand-labelled sample says what the
    posts it put there really were: true share = Σ over predicted classes of
    (share predicted as c) × P(true label | predicted c).
    """
    given = confusion(sample_labels, sample_predicted)
    per_prediction = given / given.sum(axis=0).replace(0, np.nan)
    predicted_share = pd.Series(predicted).value_counts(normalize=True)
    predicted_share = predicted_share.reindex(SENTIMENTS, fill_value=0.0)
    weights = per_prediction.fillna(0.0)
    for c in SENTIMENTS:  # a class the sample never predicted: keep it as it is
        if given[c].sum() == 0:
            weights.loc[c, c] = 1.0
    return (weights * predicted_share).sum(axis=1).rename("share")
