"""`comments`: two weeks of inbound comments and DMs to a fictional tea brand.

Synthetic. About 2,000 items from 3 to 16 March 2025 on nine platforms, in English
and Chinese, each labelled with the Module 3 moderation policy (`kind`, `action`,
`tier`) and the time the social team first acted on it. Arrivals follow a daily
rhythm by local time (morning and lunchtime bumps, an evening peak, a quiet night,
busier weekends) with a spike on the spring-harvest launch; spam bots ignore the
clock. Texts come from template pools in both languages (the text bank,
`comments_texts.yaml`, package data checked on import), written to read like real
comments, including the traps a keyword matcher falls into ("no bitter burn" is
praise, "what's your refund policy?" is a question). Every label can be defended
from what the row shows: a tier-2 complaint has a visible trigger (10K–100K
followers, 5+ likes, a refund demand or a repeat complaint) and an ordinary one has
none. The kind mix is exact and every safety and legal template appears in both
languages, so a triage rule learned on one seed can fairly be graded on another.
Response times imitate a real, imperfect team: most items answered, tier 1 in hours
with a long tail, nobody on shift on weekend nights. Like a real export, times carry
each platform team's offset and unanswered items have a blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from importlib import resources
from string import Formatter
from typing import Any, NoReturn

import numpy as np
import pandas as pd
import yaml

from smm_playbook.domain import HOURLY_INTENSITY

# The fields a learner's triage(comment) function receives (no labels, no times).
TRIAGE_FIELDS = ("platform", "channel", "language", "author_followers", "likes", "text")

START = np.datetime64("2025-03-03T00:00:00")  # a Monday, local time
DAYS = 14
CUTOFF = np.datetime64("2025-03-18T00:00:00")  # the export was taken then
LAUNCH_DAY = 7  # Monday 10 March: the spring-harvest launch

WEEKEND_FACTOR = 1.15
DAY_FACTOR = {LAUNCH_DAY: 1.5, LAUNCH_DAY + 1: 1.25}

# platform: (share of all items, share that are DMs). 55 % global, 45 % Chinese.
PLATFORMS = {
    "Facebook": (0.14, 0.30),
    "Instagram": (0.18, 0.35),
    "X": (0.11, 0.20),
    "TikTok": (0.12, 0.10),
    "Weibo": (0.12, 0.20),
    "Douyin": (0.11, 0.10),
    "Xiaohongshu": (0.10, 0.25),
    "WeChat": (0.07, 0.90),  # official-account messages are DMs
    "Bilibili": (0.05, 0.10),
}
CHINESE = ("Weibo", "Douyin", "Xiaohongshu", "WeChat", "Bilibili")
CHINESE_SHARE = sum(PLATFORMS[p][0] for p in CHINESE)
OTHER_LANGUAGE = (0.01, 0.03)  # en on Chinese platforms, zh on global ones

# case: (share, public kind, action, tier, DM propensity relative to the platform)
CASES = {
    "praise": (0.28, "praise", "approve", 1, 0.5),
    "question": (0.24, "question", "respond", 1, 1.4),
    "complaint": (0.12, "complaint", "respond", 1, 1.3),
    "escalated": (0.04, "complaint", "escalate", 2, 1.3),
    "off_topic": (0.08, "off_topic", "hide", 1, 0.3),
    "spam": (0.13, "spam", "delete", 1, 0.8),
    "abuse": (0.05, "abuse", "delete", 1, 0.6),
    "safety": (0.02, "safety", "escalate", 3, 1.5),
    "legal": (0.015, "legal", "escalate", 3, 2.5),
    "press": (0.01, "press", "escalate", 3, 3.0),
    "influencer": (0.015, "influencer", "escalate", 3, 0.8),
}
COVERED = ("safety", "legal")  # every template in both languages, in every seed
# What makes a complaint tier 2, and how often each is the reason.
TRIGGERS = {"followers": 0.3, "likes": 0.25, "refund": 0.3, "repeat": 0.15}

# tier: (share answered, median minutes, spread of the log-normal delay)
RESPONSE = {1: (0.81, 130.0, 1.0), 2: (0.94, 42.0, 0.8), 3: (0.98, 18.0, 0.7)}
NIGHT_END = 7  # local hour the first shift starts
MAX_DELAY = 2 * 24 * 60.0  # minutes; the slowest first response


def generate(rng: np.random.Generator) -> pd.DataFrame:
    """Build the table; the same generator state always gives the same rows."""
    n = int(rng.integers(1950, 2051))
    cases = _cases(rng, n)
    chinese = _chinese(rng, cases)
    platform = _platforms(rng, chinese)
    dm = rng.random(n) < _dm_propensity(platform, cases)
    other = rng.random(n) < np.where(chinese, *OTHER_LANGUAGE)
    other &= ~np.isin(cases, COVERED)
    language = np.where(chinese ^ other, "zh", "en")
    local = _arrivals(rng, cases == "spam")
    trigger = _triggers(rng, cases, dm)
    frame = pd.DataFrame(
        {
            "platform": platform,
            "channel": np.where(dm, "dm", "comment"),
            "language": language,
            "created_at": _iso(local, chinese),
            "author_followers": _followers(rng, cases, trigger),
            "likes": np.where(dm, 0, _likes(rng, cases, trigger)),
            "text": _texts(rng, cases, trigger, language, dm, local),
            "kind": [CASES[c][1] for c in cases],
            "action": [CASES[c][2] for c in cases],
            "tier": [CASES[c][3] for c in cases],
            "first_response_at": _iso(_responses(rng, cases, local), chinese),
        }
    )
    utc = local - np.where(chinese, 8, 0).astype("timedelta64[h]")
    frame = frame.iloc[np.argsort(utc, kind="stable")].reset_index(drop=True)
    frame.insert(0, "comment_id", [f"M{i:05d}" for i in range(1, n + 1)])
    return frame


def _cases(rng: np.random.Generator, n: int) -> np.ndarray:
    """The target mix, exactly (so every seed is comparable), in random order."""
    counts = {case: round(spec[0] * n) for case, spec in CASES.items()}
    counts["praise"] += n - sum(counts.values())
    return rng.permutation(np.repeat(list(counts), list(counts.values())))


def _chinese(rng: np.random.Generator, cases: np.ndarray) -> np.ndarray:
    """Which items are on a Chinese platform. Safety and legal items are split
    exactly, with enough in each language to show every template: learners study
    this file and are graded on another seed, where missing one fails them."""
    chinese = rng.random(len(cases)) < CHINESE_SHARE
    for case in COVERED:
        where = np.flatnonzero(cases == case)
        split = np.arange(len(where)) < round(CHINESE_SHARE * len(where))
        chinese[where] = rng.permutation(split)
    return chinese


def _platforms(rng: np.random.Generator, chinese: np.ndarray) -> np.ndarray:
    """A platform of the right group, in proportion to the platforms' shares."""
    names = np.array(list(PLATFORMS))
    share = np.array([p[0] for p in PLATFORMS.values()])
    drawn = {}
    for group in (True, False):
        members = np.isin(names, CHINESE) == group
        p = share[members] / share[members].sum()
        drawn[group] = rng.choice(names[members], len(chinese), p=p)
    return np.where(chinese, drawn[True], drawn[False])


def _dm_propensity(platform: np.ndarray, cases: np.ndarray) -> np.ndarray:
    """The platform's DM share, tilted by kind (the power keeps it below 1)."""
    base = np.array([PLATFORMS[p][1] for p in platform])
    return 1 - (1 - base) ** np.array([CASES[c][4] for c in cases])


def _arrivals(rng: np.random.Generator, flat: np.ndarray) -> np.ndarray:
    """Local arrival times, to the second; `flat` items (bots) ignore the clock."""
    day = np.repeat(np.arange(DAYS), 24)
    weight = np.tile(HOURLY_INTENSITY, DAYS) * np.where(day % 7 >= 5, WEEKEND_FACTOR, 1)
    weight *= np.array([DAY_FACTOR.get(int(d), 1.0) for d in day])
    hours = rng.choice(len(weight), size=len(flat), p=weight / weight.sum())
    anytime = rng.integers(0, len(weight), size=len(flat))
    hours = np.where(flat & (rng.random(len(flat)) < 0.7), anytime, hours)  # bots
    seconds = hours * 3600 + rng.integers(0, 3600, size=len(flat))
    return START + seconds.astype("timedelta64[s]")


def _triggers(
    rng: np.random.Generator, cases: np.ndarray, dm: np.ndarray
) -> np.ndarray:
    """The visible reason each tier-2 complaint is escalated ('' for other items)."""
    names = np.array(list(TRIGGERS))
    with_likes = np.array(list(TRIGGERS.values()))
    no_likes = np.where(names == "likes", 0, with_likes)  # a DM has no likes
    picked = np.where(
        dm,
        rng.choice(names, size=len(cases), p=no_likes / no_likes.sum()),
        rng.choice(names, size=len(cases), p=with_likes),
    )
    return np.where(cases == "escalated", picked, "")


def _followers(
    rng: np.random.Generator, cases: np.ndarray, trigger: np.ndarray
) -> np.ndarray:
    # A 100K+ author with a problem is the influencer kind, so other problems,
    # questions and abuse come from smaller accounts; praise and chatter from anyone.
    followers = _below(rng, len(cases), 100_000)
    anyone = np.isin(cases, ["praise", "off_topic"])
    followers = np.where(anyone, _heavy_tail(rng, len(cases)), followers)
    # Ordinary complaints stay under 10K, or they would be tier 2.
    small = (cases == "complaint") | (cases == "abuse")
    followers = np.where(small, _below(rng, len(cases), 10_000), followers)
    big = _log_uniform(rng, len(cases), 10_000, 100_000)
    followers = np.where(trigger == "followers", big, followers)
    famous = _log_uniform(rng, len(cases), 100_000, 2_500_000)
    followers = np.where(cases == "influencer", famous, followers)
    bots = rng.integers(0, 80, size=len(cases))  # spam accounts are fresh
    return np.where(cases == "spam", bots, followers).astype(int)


def _heavy_tail(rng: np.random.Generator, n: int) -> np.ndarray:
    """Most authors have hundreds of followers, some tens of thousands, a few more."""
    u = rng.random(n)
    small = rng.lognormal(np.log(220), 1.3, size=n)
    mid = rng.lognormal(np.log(18_000), 0.7, size=n)
    large = 100_000 * (1 + rng.pareto(1.5, size=n))
    return np.floor(np.where(u < 0.9, small, np.where(u < 0.99, mid, large)))


def _below(rng: np.random.Generator, n: int, limit: int) -> np.ndarray:
    """Heavy-tailed counts redrawn until all are under `limit` (no pile-up at it)."""
    values = _heavy_tail(rng, n)
    while (over := values >= limit).any():
        values[over] = _heavy_tail(rng, int(over.sum()))
    return values


def _log_uniform(
    rng: np.random.Generator, n: int, low: float, high: float
) -> np.ndarray:
    return np.floor(np.exp(rng.uniform(np.log(low), np.log(high), size=n)))


# case: p of the geometric number of likes (mean (1 - p) / p; higher = fewer)
LIKE_RATE = {"praise": 0.4, "question": 0.7, "complaint": 0.55, "escalated": 0.55}


def _likes(
    rng: np.random.Generator, cases: np.ndarray, trigger: np.ndarray
) -> np.ndarray:
    p = np.array([LIKE_RATE.get(c, 0.75) for c in cases])
    likes = rng.negative_binomial(1, p)
    # Ordinary complaints stay under 5 likes, or they would be tier 2.
    likes = np.where((cases == "complaint") & (likes >= 5), likes % 4, likes)
    liked = 5 + rng.negative_binomial(1, 0.12, size=len(cases))
    likes = np.where(trigger == "likes", liked, likes)
    likes = np.where(cases == "spam", rng.binomial(1, 0.1, len(cases)), likes)
    loved = 10 + rng.negative_binomial(1, 0.02, size=len(cases))
    return np.where(cases == "influencer", loved, likes)


def _responses(
    rng: np.random.Generator, cases: np.ndarray, local: np.ndarray
) -> np.ndarray:
    """First action by the team (local time), NaT if never; only respond/escalate."""
    tier = np.array([CASES[c][3] for c in cases])
    answered_share, median, spread = (
        np.array([RESPONSE[t][i] for t in tier]) for i in range(3)
    )
    acts = np.array([CASES[c][2] in ("respond", "escalate") for c in cases])
    answered = acts & (rng.random(len(cases)) < answered_share)
    delay = median * np.exp(spread * rng.standard_normal(len(cases)))
    # Weekday nights one person is on call, so everything takes longer.
    night, weekend = _night(local), _weekend(local)
    delay *= np.where(night & ~weekend, np.where(tier == 1, 2.0, 1.5), 1.0)
    # The long tail: items found again a day or two later (none waits longer).
    found = rng.uniform(MAX_DELAY / 2, MAX_DELAY, size=len(cases))
    delay = np.where(delay > MAX_DELAY, found, delay)
    # Weekend nights nobody is on shift: the queue waits for the morning.
    start = np.where(night & weekend, _morning(local), local)
    reply = start + np.round(delay * 60).astype("timedelta64[s]")
    woken = _morning(reply) + rng.integers(0, 45 * 60, len(cases)).astype(
        "timedelta64[s]"
    )
    reply = np.where(_night(reply) & _weekend(reply), woken, reply)
    return np.where(answered & (reply < CUTOFF), reply, np.datetime64("NaT"))


def _hour(times: np.ndarray) -> np.ndarray:
    return (times - times.astype("datetime64[D]")).astype("timedelta64[h]").astype(int)


def _night(times: np.ndarray) -> np.ndarray:
    return _hour(times) < NIGHT_END


def _weekend(times: np.ndarray) -> np.ndarray:
    days = (times.astype("datetime64[D]") - START.astype("datetime64[D]")).astype(int)
    return days % 7 >= 5


def _morning(times: np.ndarray) -> np.ndarray:
    """07:00 on the same local day."""
    return times.astype("datetime64[D]") + np.timedelta64(NIGHT_END * 3600, "s")


def _iso(times: np.ndarray, chinese: np.ndarray) -> list:
    """ISO 8601 to the second with the platform team's offset; NaN where NaT."""
    text = np.datetime_as_string(times.astype("datetime64[s]"), unit="s")
    offset = np.where(chinese, "+08:00", "+00:00")
    return [np.nan if t == "NaT" else t + o for t, o in zip(text, offset, strict=True)]


# ---------------------------------------------------------------- texts


def _texts(
    rng: np.random.Generator,
    cases: np.ndarray,
    trigger: np.ndarray,
    language: np.ndarray,
    dm: np.ndarray,
    local: np.ndarray,
) -> list[str]:
    dates = local.astype("datetime64[D]")
    decks = _Decks(rng)
    return [
        _text(rng, decks, _pool(case, why), lang, is_dm, date)
        for case, why, lang, is_dm, date in zip(
            cases, trigger, language, dm, dates, strict=True
        )
    ]


class _Decks:
    """Deals each pool's templates like shuffled cards: all are used before any
    repeats, so even the rare kinds show every pattern in one dataset."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.decks: dict[tuple[str, str], list[str]] = {}

    def deal(self, pool: str, lang: str) -> str:
        deck = self.decks.setdefault((pool, lang), [])
        if not deck:
            deck.extend(self.rng.permutation(TEMPLATES[pool][lang]))
        return str(deck.pop())


def _pool(case: str, trigger: str) -> str:
    """Refund and repeat triggers are in the words; the others are in the numbers."""
    if case == "escalated":
        return trigger if trigger in ("refund", "repeat") else "complaint"
    return case


def _text(
    rng: np.random.Generator,
    decks: _Decks,
    pool: str,
    lang: str,
    dm: bool,
    date: np.datetime64,
) -> str:
    template = decks.deal(pool, lang)
    if dm and pool in GREETED and rng.random() < 0.35:
        greetings = GREETINGS[GREETED[pool]][lang]
        template = _greeted(greetings[rng.integers(len(greetings))], template)
    slots = _Slots(rng, lang, date)
    text = template.format_map(slots)
    tails = TAILS[MOOD.get(pool, "flat")][lang]
    text = _joined(text, tails[rng.integers(len(tails))].format_map(slots))
    if lang == "en" and MOOD.get(pool) == "angry" and rng.random() < 0.08:
        text = text.upper()  # all-caps anger
    return text


def _joined(text: str, tail: str) -> str:
    """'ask.' + '!!' reads 'ask!!', as a person would type it."""
    if tail[:1] in PUNCTUATION and text[-1:] in PUNCTUATION:
        return text if tail in (".", "。") else text.rstrip(".。") + tail
    return text + tail


def _greeted(greeting: str, template: str) -> str:
    """'Hi, ' + 'Your parcel…' reads 'Hi, your parcel…'; 'I'm', CAPS, {slots} stay."""
    if GREETING.match(template):
        return template
    if template[:1].isupper() and template[1:2].islower():
        template = template[0].lower() + template[1:]
    return greeting + template


class _Slots(dict):
    """Fills a template's {slots} on demand, so only the slots used draw randomness."""

    def __init__(
        self, rng: np.random.Generator, lang: str, date: np.datetime64
    ) -> None:
        super().__init__()
        self.rng, self.lang, self.date = rng, lang, date

    def __missing__(self, key: str) -> str:
        maker = MADE.get(key)
        if maker is not None:
            return maker(self.rng, self.lang, self.date)
        options = SLOTS[self.lang][key]
        return options[self.rng.integers(len(options))]


def _order(rng: np.random.Generator, lang: str, date: np.datetime64) -> str:
    if lang == "en":
        return f"#{rng.integers(40_000, 60_000)}"
    placed = date - np.timedelta64(int(rng.integers(1, 11)), "D")
    stamp = str(placed).replace("-", "")
    return f"订单号 {stamp}{rng.integers(0, 100_000):05d}"


def _link(rng: np.random.Generator, lang: str, date: np.datetime64) -> str:
    code = "".join(rng.choice(LINK_CHARACTERS, 5))
    hosts = SLOTS[lang]["host"]
    return hosts[rng.integers(len(hosts))] + code


LINK_CHARACTERS = list("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def _phone(rng: np.random.Generator, lang: str, date: np.datetime64) -> str:
    if lang == "en":
        return f"07{rng.integers(100, 1000)} ***{rng.integers(100, 1000)}"
    prefix = ("138", "139", "186", "151", "177")[rng.integers(5)]
    return f"{prefix}****{rng.integers(0, 10_000):04d}"


# Makes one slot's text: (rng, language, the message's date) -> text.
SlotMaker = Callable[[np.random.Generator, str, np.datetime64], str]


def _number(low: int, high: int) -> SlotMaker:
    return lambda rng, lang, date: str(rng.integers(low, high + 1))


MADE: dict[str, SlotMaker] = {
    "order": _order,
    "link": _link,
    "phone": _phone,
    "days": _number(3, 12),
    "n": _number(20, 300),
}


# ---------------------------------------------------------------- text bank

# Templates, slot fillers, endings and greetings are package data, checked here.
TEXTS = "comments_texts.yaml"
LANGUAGES = ("en", "zh")
# One pool per case, the tier-2 complaints with a trigger in the words apart.
POOLS = tuple(case for case in CASES if case != "escalated") + ("refund", "repeat")
SECTIONS = ("slots", "templates", "moods", "tails", "greeted", "greetings")
PUNCTUATION = set(".!?。！？～")
GREETING = re.compile(r"(hi|hello|hey|dear)\b|您好|你好|亲，|在吗", re.I)

# A tier-2 trigger in a complaint's words (checked on load; the tests read labels).
REFUND_DEMAND = re.compile(r"refund(?! policy)|money back|退款(?!政策)|退钱", re.I)
REPEAT_COMPLAINT = re.compile(
    r"second time|third time|2nd time|3rd time|2nd complaint|third complaint|"
    r"third message|twice already|repeat complaint|第二次|第三次|第三遍|二次投诉|两次",
    re.I,
)


class TextBankError(ValueError):
    """The comments text bank is malformed; the message names the file and key."""


def load_texts(text: str | None = None) -> dict:
    """The six sections of the text bank (the shipped file, or `text`), checked,
    every list a tuple in file order (the order is part of a seed's output)."""
    if text is None:
        text = (resources.files(__package__) / TEXTS).read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise TextBankError(f"{TEXTS}: not valid YAML: {error}") from None
    raw = _mapping(raw, "the top level", SECTIONS)
    bank: dict[str, Any] = {}
    for section, keys, blank in (
        ("slots", LANGUAGES, False),
        ("templates", POOLS, False),
        ("tails", None, True),
        ("greetings", None, True),
    ):
        bank[section] = {}
        for key, inner in _mapping(raw[section], section, keys).items():
            where = f"{section}.{key}"
            inner = _mapping(inner, where, None if section == "slots" else LANGUAGES)
            bank[section][key] = {
                k: _options(v, f"{where}.{k}", blank) for k, v in inner.items()
            }
    for section, names in (("moods", "tails"), ("greeted", "greetings")):
        bank[section] = _mapping(raw[section], section)
        for pool, name in bank[section].items():
            if pool not in POOLS:
                _fail(f"{section}.{pool}", f"not a template pool ({', '.join(POOLS)})")
            if not isinstance(name, str) or name not in bank[names]:
                _fail(f"{section}.{pool}", f"{name!r} is not in {names}")
    if "flat" not in bank["tails"]:
        _fail("tails", "needs a `flat` mood (the ending of pools without a mood)")
    for lang in LANGUAGES:
        if "host" not in bank["slots"][lang]:
            _fail(f"slots.{lang}", "needs `host` (the start of a {link})")
    for pool, words, must in (
        ("refund", REFUND_DEMAND, True),
        ("repeat", REPEAT_COMPLAINT, True),
        ("complaint", REFUND_DEMAND, False),
        ("complaint", REPEAT_COMPLAINT, False),
    ):
        for lang, options in bank["templates"][pool].items():
            for option in options:
                if bool(words.search(option)) != must:
                    need = "must" if must else "must not"
                    _fail(
                        f"templates.{pool}.{lang}",
                        f"{option!r} {need} match {words.pattern!r} (the label "
                        "is read from the words)",
                    )
    for section in ("templates", "tails", "greetings"):
        for key, per in bank[section].items():
            for lang, options in per.items():
                _check_slots(options, bank["slots"][lang], f"{section}.{key}.{lang}")
    return bank


def _fail(where: str, problem: str) -> NoReturn:
    raise TextBankError(f"{TEXTS}: {where}: {problem}")


def _mapping(value: object, where: str, keys: Sequence[str] | None = None) -> dict:
    """A non-empty mapping; with `keys`, exactly those keys."""
    if not isinstance(value, dict) or not value:
        _fail(where, "expected a mapping" + (f" of {', '.join(keys)}" if keys else ""))
    if keys:
        if missing := [key for key in keys if key not in value]:
            _fail(where, f"missing {', '.join(missing)}")
        if extra := [str(key) for key in value if key not in keys]:
            _fail(where, f"unknown {', '.join(extra)} (expected {', '.join(keys)})")
    return value


def _options(value: object, where: str, blank: bool) -> tuple[str, ...]:
    """A `|` block, one text per line, stripped; or a list of strings (as written
    if `blank`, where spaces and "" matter). Never empty."""
    if isinstance(value, str) and not blank:
        options = tuple(line.strip() for line in value.splitlines() if line.strip())
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        options = (
            tuple(value) if blank else tuple(v.strip() for v in value if v.strip())
        )
    else:
        _fail(
            where,
            'expected a list of quoted strings ("")'
            if blank
            else "expected a `|` block with one text per line",
        )
    if not options:
        _fail(where, "is empty; give at least one text")
    return options


def _check_slots(options: Iterable[str], slots: dict, where: str) -> None:
    """Every {slot} is filled from `slots` or by a maker in MADE."""
    for option in options:
        try:
            fields = [f for _, f, _, _ in Formatter().parse(option) if f is not None]
        except ValueError as error:
            _fail(where, f"{error} in {option!r} (write {{{{ for a literal brace)")
        for field in fields:
            if field not in slots and field not in MADE:
                _fail(where, f"unknown slot {{{field}}} in {option!r}")


_BANK = load_texts()
SLOTS = _BANK["slots"]
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = _BANK["templates"]
MOOD = _BANK["moods"]  # how a pool's texts end: nothing, an emoji, a hashtag, a sigh
TAILS = _BANK["tails"]
GREETED = _BANK["greeted"]  # DMs that often open with a greeting, and its register
GREETINGS = _BANK["greetings"]
