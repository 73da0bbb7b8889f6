"""`listening_mentions`: four weeks of posts a listening tool collected, labelled.

Synthetic. About 5,000 posts in English and Chinese from 5 May to 1 June 2025
that a broad query for the fictional tea brand Willow Tea (小满茶 in China) would
pull in: posts really about the brand, posts about its competitors (Leaf & Co /
叶里, Brewhaus / 山茶集 and 茶小满), and the noise its confusable names attract.
"Willow" is a tree, a basket, a dog and a Glasgow tea room; 小满 is a solar term
(about 21 May, when such posts flood in), part of 小满足 and a child's name, and
it sits inside the competitor 茶小满. The brand is also written 小滿 (traditional),
晓满 (a homophone typo), xiaoman (pinyin), @WillowTea, #WillowTea and Wilow.
Spam and bot accounts repeat giveaway and 代购 posts that name the brand.

Every post is labelled as a hand-coder would: `brand` (which tea brand it is
about, or none), `relevant` (1 = a genuine post about Willow Tea), `spam`,
`sentiment`, `sarcasm` and `topic`. Texts come from the template bank in
`listening_texts.yaml`, so a query learned on one seed can be graded fairly on
another. Like a real export, times carry each platform team's offset (Chinese
platforms +08:00, the others London time), news items have no follower count,
and bot copies are exact duplicates.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

TEXTS = Path(__file__).with_name("listening_texts.yaml")
LEXICON = Path(__file__).with_name("sentiment_lexicon.yaml")
START = pd.Timestamp("2025-05-05 00:00")  # local time of each team
DAYS = 28
SOLAR_TERM_DAY = 16  # 21 May 2025, the solar term 小满
EVENT_DAY = 12  # Saturday 17 May: the brand's pop-up tasting event
# How many posts of each kind (exact, so every seed has the same mix).
COUNTS = {
    ("brand", "en"): 900,
    ("brand", "zh"): 750,
    ("brand", "zh_hant"): 50,
    ("competitor", "en"): 450,
    ("competitor", "zh"): 450,
    ("noise", "en"): 750,
    ("noise", "zh"): 650,
    ("solar_term", "zh"): 300,
    ("spam", "en"): 200,
    ("spam", "zh"): 250,
}
BOT_COPIES = 250  # identical reposts by a handful of bot accounts
SENTIMENT_MIX = {"pos": 0.42, "neg": 0.28, "neu": 0.22, "sar": 0.08}
PLATFORMS = {
    "en": {
        "X": 0.25,
        "Instagram": 0.2,
        "TikTok": 0.15,
        "Reddit": 0.12,
        "Facebook": 0.1,
        "YouTube": 0.08,
        "News": 0.1,
    },
    "zh": {
        "Weibo": 0.35,
        "Xiaohongshu": 0.25,
        "Douyin": 0.2,
        "Bilibili": 0.08,
        "WeChat": 0.07,  # official-account articles only: groups are closed
        "News": 0.05,
    },
    "zh_hant": {"Facebook": 0.5, "Instagram": 0.3, "Weibo": 0.2},
}
OFFSET = {"en": "+01:00", "zh": "+08:00", "zh_hant": "+08:00"}
SENTIMENT = {"pos": "positive", "neg": "negative", "neu": "neutral", "sar": "negative"}
# Relative posts by local hour: quiet night, lunch bump, evening peak.
HOURLY = np.array(
    [0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.4, 0.8, 1.1, 1.2, 1.1, 1.2]
    + [1.5, 1.4, 1.1, 1.0, 1.1, 1.3, 1.6, 2.0, 2.2, 2.0, 1.5, 1.0]
)


@cache
def text_bank() -> dict:
    return yaml.safe_load(TEXTS.read_text(encoding="utf-8"))


@cache
def lexicon() -> dict:
    """The query lab's sentiment lexicon (positive, negative, negators)."""
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))


def generate(rng: np.random.Generator) -> pd.DataFrame:
    bank = text_bank()
    rows = [
        _post(rng, bank, kind, script)
        for (kind, script), count in COUNTS.items()
        for _ in range(count)
    ]
    rows += _bot_copies(rng, bank)
    frame = pd.DataFrame(rows)
    frame["posted_at"] = [_timestamp(rng, row) for row in rows]
    utc = pd.to_datetime(frame["posted_at"], utc=True)
    frame = frame.iloc[np.argsort(utc.to_numpy(), kind="stable")].reset_index(drop=True)
    frame.insert(0, "mention_id", [f"LM{i:05d}" for i in range(1, len(frame) + 1)])
    columns = ["mention_id", "platform", "language", "posted_at", "author_followers"]
    columns += ["text", "brand", "relevant", "spam", "sentiment", "sarcasm", "topic"]
    return frame[columns]


def _post(rng: np.random.Generator, bank: dict, kind: str, script: str) -> dict:
    pool = bank[kind][script]
    if kind == "brand":
        wanted = rng.choice(list(SENTIMENT_MIX), p=list(SENTIMENT_MIX.values()))
        choices = [t for t in pool if t[0] == wanted] or pool
    else:
        choices = pool
    tone, topic, template = choices[int(rng.integers(len(choices)))]
    text, competitor = _fill(rng, bank, template, script)
    brand = "none"
    if kind in ("brand", "spam"):
        brand = "Willow"
    elif kind == "competitor":
        brand = bank["competitor_brand"][competitor]
    platform = _pick(rng, PLATFORMS[script])
    language = "en" if script == "en" else "zh"
    return {
        "platform": platform,
        "language": language,
        "script": script,
        "author_followers": _followers(rng, platform, kind),
        "text": text,
        "brand": brand,
        "relevant": int(kind == "brand"),
        "spam": int(kind == "spam"),
        "sentiment": SENTIMENT[tone],
        "sarcasm": int(tone == "sar"),
        "topic": topic,
        "kind": kind,
    }


def _fill(
    rng: np.random.Generator, bank: dict, template: str, script: str
) -> tuple[str, str]:
    forms = bank["brand_forms"][script]
    language = "en" if script == "en" else "zh"
    competitor = str(rng.choice(bank["competitors"][language]))
    values = {
        "brand": _pick(rng, forms),
        "product": str(rng.choice(bank["products"][language])),
        "competitor": competitor,
        "n": int(rng.integers(2, 10)),
    }
    return template.format(**values), competitor


def _pick(rng: np.random.Generator, weights: dict) -> str:
    p = np.array(list(weights.values()), dtype=float)
    return str(rng.choice(list(weights), p=p / p.sum()))


def _followers(rng: np.random.Generator, platform: str, kind: str) -> float:
    if platform == "News":
        return np.nan  # a news site has readers, not followers
    if kind == "spam":
        return float(rng.integers(0, 60))
    return float(np.round(np.exp(rng.normal(6.2, 1.6))))


def _bot_copies(rng: np.random.Generator, bank: dict) -> list[dict]:
    """A few bot accounts post the same giveaway text again and again."""
    rows = []
    for script, copies in (
        ("en", BOT_COPIES // 2),
        ("zh", BOT_COPIES - BOT_COPIES // 2),
    ):
        original = _post(rng, bank, "spam", script)
        rows += [
            dict(original, author_followers=float(rng.integers(0, 20)))
            for _ in range(copies)
        ]
    return rows


def _timestamp(rng: np.random.Generator, row: dict) -> str:
    if row["kind"] == "solar_term" or (
        row["kind"] == "noise" and row["script"] == "zh" and rng.random() < 0.2
    ):
        day = SOLAR_TERM_DAY + int(rng.choice([-1, 0, 0, 0, 0, 1]))
    elif row["topic"] == "campaign" and rng.random() < 0.6:
        day = EVENT_DAY + int(rng.choice([-1, 0, 0, 1]))
    else:
        day = int(rng.integers(DAYS))
    hour = int(rng.choice(24, p=HOURLY / HOURLY.sum()))
    local = START + pd.Timedelta(days=day, hours=hour, minutes=int(rng.integers(60)))
    local += pd.Timedelta(seconds=int(rng.integers(60)))
    return local.strftime("%Y-%m-%dT%H:%M:%S") + OFFSET[row["script"]]
