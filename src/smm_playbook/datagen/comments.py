"""`comments`: two weeks of inbound comments and DMs to a fictional tea brand.

Synthetic. About 2,000 items from 3 to 16 March 2025 on nine platforms, in English
and Chinese, each labelled with the Module 3 moderation policy (`kind`, `action`,
`tier`) and the time the social team first acted on it. Arrivals follow a daily
rhythm by local time (morning and lunchtime bumps, an evening peak, a quiet night,
busier weekends) with a spike on the spring-harvest launch; spam bots ignore the
clock. Texts come from template pools in both languages, written to read like real
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

import numpy as np
import pandas as pd

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


def _cases(rng, n: int) -> np.ndarray:
    """The target mix, exactly (so every seed is comparable), in random order."""
    counts = {case: round(spec[0] * n) for case, spec in CASES.items()}
    counts["praise"] += n - sum(counts.values())
    return rng.permutation(np.repeat(list(counts), list(counts.values())))


def _chinese(rng, cases: np.ndarray) -> np.ndarray:
    """Which items are on a Chinese platform. Safety and legal items are split
    exactly, with enough in each language to show every template: learners study
    this file and are graded on another seed, where missing one fails them."""
    chinese = rng.random(len(cases)) < CHINESE_SHARE
    for case in COVERED:
        where = np.flatnonzero(cases == case)
        split = np.arange(len(where)) < round(CHINESE_SHARE * len(where))
        chinese[where] = rng.permutation(split)
    return chinese


def _platforms(rng, chinese: np.ndarray) -> np.ndarray:
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


def _arrivals(rng, flat: np.ndarray) -> np.ndarray:
    """Local arrival times, to the second; `flat` items (bots) ignore the clock."""
    day = np.repeat(np.arange(DAYS), 24)
    weight = np.tile(HOURLY_INTENSITY, DAYS) * np.where(day % 7 >= 5, WEEKEND_FACTOR, 1)
    weight *= np.array([DAY_FACTOR.get(d, 1.0) for d in day])
    hours = rng.choice(len(weight), size=len(flat), p=weight / weight.sum())
    anytime = rng.integers(0, len(weight), size=len(flat))
    hours = np.where(flat & (rng.random(len(flat)) < 0.7), anytime, hours)  # bots
    seconds = hours * 3600 + rng.integers(0, 3600, size=len(flat))
    return START + seconds.astype("timedelta64[s]")


def _triggers(rng, cases: np.ndarray, dm: np.ndarray) -> np.ndarray:
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


def _followers(rng, cases: np.ndarray, trigger: np.ndarray) -> np.ndarray:
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


def _heavy_tail(rng, n: int) -> np.ndarray:
    """Most authors have hundreds of followers, some tens of thousands, a few more."""
    u = rng.random(n)
    small = rng.lognormal(np.log(220), 1.3, size=n)
    mid = rng.lognormal(np.log(18_000), 0.7, size=n)
    large = 100_000 * (1 + rng.pareto(1.5, size=n))
    return np.floor(np.where(u < 0.9, small, np.where(u < 0.99, mid, large)))


def _below(rng, n: int, limit: int) -> np.ndarray:
    """Heavy-tailed counts redrawn until all are under `limit` (no pile-up at it)."""
    values = _heavy_tail(rng, n)
    while (over := values >= limit).any():
        values[over] = _heavy_tail(rng, int(over.sum()))
    return values


def _log_uniform(rng, n: int, low: float, high: float) -> np.ndarray:
    return np.floor(np.exp(rng.uniform(np.log(low), np.log(high), size=n)))


# case: p of the geometric number of likes (mean (1 - p) / p; higher = fewer)
LIKE_RATE = {"praise": 0.4, "question": 0.7, "complaint": 0.55, "escalated": 0.55}


def _likes(rng, cases: np.ndarray, trigger: np.ndarray) -> np.ndarray:
    p = np.array([LIKE_RATE.get(c, 0.75) for c in cases])
    likes = rng.negative_binomial(1, p)
    # Ordinary complaints stay under 5 likes, or they would be tier 2.
    likes = np.where((cases == "complaint") & (likes >= 5), likes % 4, likes)
    liked = 5 + rng.negative_binomial(1, 0.12, size=len(cases))
    likes = np.where(trigger == "likes", liked, likes)
    likes = np.where(cases == "spam", rng.binomial(1, 0.1, len(cases)), likes)
    loved = 10 + rng.negative_binomial(1, 0.02, size=len(cases))
    return np.where(cases == "influencer", loved, likes)


def _responses(rng, cases: np.ndarray, local: np.ndarray) -> np.ndarray:
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


def _texts(rng, cases, trigger, language, dm, local) -> list[str]:
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

    def __init__(self, rng):
        self.rng, self.decks = rng, {}

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


def _text(rng, decks: _Decks, pool: str, lang: str, dm: bool, date) -> str:
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

    def __init__(self, rng, lang: str, date):
        super().__init__()
        self.rng, self.lang, self.date = rng, lang, date

    def __missing__(self, key: str) -> str:
        maker = MADE.get(key)
        if maker is not None:
            return maker(self.rng, self.lang, self.date)
        options = SLOTS[self.lang][key]
        return options[self.rng.integers(len(options))]


def _order(rng, lang: str, date) -> str:
    if lang == "en":
        return f"#{rng.integers(40_000, 60_000)}"
    placed = date - np.timedelta64(int(rng.integers(1, 11)), "D")
    stamp = str(placed).replace("-", "")
    return f"订单号 {stamp}{rng.integers(0, 100_000):05d}"


def _link(rng, lang: str, date) -> str:
    code = "".join(rng.choice(LINK_CHARACTERS, 5))
    hosts = SLOTS[lang]["host"]
    return hosts[rng.integers(len(hosts))] + code


LINK_CHARACTERS = list("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def _phone(rng, lang: str, date) -> str:
    if lang == "en":
        return f"07{rng.integers(100, 1000)} ***{rng.integers(100, 1000)}"
    prefix = ("138", "139", "186", "151", "177")[rng.integers(5)]
    return f"{prefix}****{rng.integers(0, 10_000):04d}"


def _number(low: int, high: int):
    return lambda rng, lang, date: str(rng.integers(low, high + 1))


MADE = {
    "order": _order,
    "link": _link,
    "phone": _phone,
    "days": _number(3, 12),
    "n": _number(20, 300),
}


def _lines(block: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


SLOTS = {
    "en": {
        "tea": _lines("""
            Spring Harvest Dragon Well
            Jasmine Pearls
            Silver Needle
            Iron Goddess oolong
            Ripe Pu-erh
            Lapsang
            sencha
            Masala Chai
            Osmanthus Oolong
            Darjeeling first flush
            Earl Grey bags
            English Breakfast bags
            Lemon & Ginger bags
            chamomile teabags
        """),
        "gift": _lines("""
            Spring Harvest gift box
            Tea Discovery box
            Mother's Day gift box
            Oolong Collection box
            advent-style sampler box
        """),
        "iced": _lines("""
            bottled peach oolong
            lemon iced tea
            iced jasmine (the bottle)
            peach iced tea
        """),
        "teaware": _lines("""
            glass teapot
            cast-iron kettle
            electric kettle
            travel infuser bottle
            gaiwan set
            tea strainer
        """),
        "product": _lines("""
            Dragon Well
            Jasmine Pearls
            Earl Grey bags
            gift box
            bottled iced tea
            glass teapot
            travel infuser
            matcha starter kit
            breakfast tea bags
            oolong sampler
        """),
        "store": ("Covent Garden", "Manchester", "Edinburgh"),
        "city": _lines("""
            London
            Manchester
            Leeds
            Bristol
            Glasgow
            Edinburgh
            Cardiff
            Birmingham
            Brighton
            York
            Dublin
            Norwich
        """),
        "country": ("Canada", "Ireland", "Germany", "the US", "Australia", "France"),
        "time": ("yesterday", "this morning", "last Friday", "on Monday", "at lunch"),
        "price": ("£12", "£24.99", "£8.50", "£35", "£18", "£42"),
        "friend": _lines("""
            @sophie.k
            @tomdrinkstea
            @maya_r
            @jess__b
            @ollie.brews
            @priya_s
            @dan_the_man88
            @chloe.eats
            @kwame.a
            @anna_wong
            @mrs.h_
            @lena.mk
        """),
        "tag": _lines("""
            #teatime
            #SpringHarvest
            #looseleaf
            #teaaddict
            #cuppa
            #icedtea
            #TeaTok
            #selfcare
            #treatyourself
        """),
        "competitor": ("Leaf & Co", "Brewhaus", "Kettle Lane", "Steep Street"),
        "happy": ("😍", "🍵", "💚", "🙌", "✨", "😊", "🥰", "👌", "❤️", "🫖"),
        "angry": ("😡", "🤬", "😤", "👎", "🙄", "😠"),
        "sad": ("😢", "😞", "😕", "🥲", ":("),
        "coin": ("$BREW", "$LEAFX", "USDT", "BTC"),
        "host": _lines("""
            bit.ly/3
            bit.ly/2
            tea-prize.win/
            free-giftbox.shop/
            meta-verify-help.live/login?id=
            crypto-brew.io/r/
            claim-now.click/
        """),
        "reporter": _lines("""
            Hannah Cole
            Raj Mehta
            Ellie Park
            Tom Fenwick
            Grace Adeyemi
            Sam Whitlock
        """),
        "outlet": _lines("""
            The Daily Brew
            Consumer Watch Digest
            The Morning Ledger
            Food & Drink Wire
            City Herald
            Shelf Life Weekly
            The High Street Report
        """),
        "deadline": ("5pm today", "noon tomorrow", "end of day", "3pm Thursday"),
    },
    "zh": {
        "tea": _lines("""
            明前龙井
            茉莉龙珠
            白毫银针
            铁观音
            熟普洱
            正山小种
            桂花乌龙
            大红袍
            滇红
            碧螺春
            伯爵红茶包
            英式早餐茶包
            柠檬姜茶包
            洋甘菊茶包
        """),
        "gift": ("春茶礼盒", "新品尝鲜礼盒", "乌龙臻选礼盒", "三八节礼盒", "茶礼套装"),
        "iced": ("蜜桃乌龙冰茶", "柠檬冰红茶", "茉莉冰茶", "瓶装冰茶"),
        "teaware": ("玻璃茶壶", "铸铁壶", "电热水壶", "便携茶杯", "盖碗套装", "滤茶器"),
        "product": _lines("""
            龙井
            茉莉龙珠
            伯爵茶包
            礼盒
            瓶装冰茶
            玻璃茶壶
            便携泡茶杯
            抹茶套装
            早餐茶包
            乌龙试饮装
        """),
        "store": ("上海静安店", "杭州西湖店", "成都太古里店"),
        "city": _lines("""
            上海
            北京
            杭州
            成都
            广州
            深圳
            南京
            武汉
            西安
            苏州
            重庆
            长沙
        """),
        "time": ("昨天", "前天", "今天上午", "周末", "上周五"),
        "price": ("¥68", "¥128", "¥299", "¥88", "¥168", "¥39.9"),
        "friend": _lines("""
            @小鹿爱喝茶
            @阿May
            @奶茶不如茶
            @西西里的风
            @橘子汽水
            @小王同学
            @一只猫
            @茶友老张
            @今天也要早睡
            @momo酱
        """),
        "tag": ("#春茶上新#", "#今日份下午茶#", "#喝茶日常#", "#好物分享#", "#续命#"),
        "competitor": ("山茶集", "叶里", "茶小满", "一壶春"),
        "happy": ("😍", "🍵", "[爱心]", "[赞]", "[哈哈]", "✨", "🥰", "[憧憬]"),
        "angry": ("[怒]", "[抓狂]", "[微笑]", "😡", "🙄", "！！！"),
        "sad": ("[泪]", "[允悲]", "😢", "🥲"),
        "coin": ("USDT", "BTC", "新币", "数字藏品"),
        "host": ("t.cn/A6", "tea-prize.win/", "lingjiang.vip/", "hongbao88.top/?c="),
        "reporter": ("李然", "王晓", "陈思远", "张敏", "刘洋"),
        "outlet": ("晨光财经", "新茶饮观察", "都市消费周刊", "快评新闻", "消费日报网"),
        "deadline": ("今天下午5点", "明天中午", "今晚8点", "周四下班"),
    },
}

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "praise": {
        "en": _lines("""
            omg the {tea} is SO good, no bitter burn at all, just smooth {happy}
            Just tried the {iced} and I'm obsessed {happy}
            {friend} you HAVE to try this {tea}
            Best cuppa I've had in ages. The {tea} is unreal
            Got the {gift} for my mum and she loved it!! thank you {happy}
            popped into the {store} shop {time}, staff so lovely. left w too much tea
            this {tea} is fire 🔥🔥
            my morning ritual now: {tea} + 10 mins of quiet. bliss {happy}
            Ordered Sunday, arrived Tuesday, packed beautifully. 10/10
            The {teaware} is gorgeous, pours without dripping which is rare tbh
            honestly killer flavour, brewed it 3 times and still going strong
            My sister is a lawyer and swears by your {tea} lol now I get it {happy}
            posted my {tea} setup in my stories, repost if u like it! {tag}
            been on the {tea} all week, my coffee machine is jealous ☕➡️🍵
            Thx for the quick reply {time}, all sorted now {happy}
            that spring harvest video 😭 the tea fields!! so pretty
            not usually a tea person but the {iced} slaps
            Gr8 service at the {store} store, ask for the tasting flight!!
            {friend} this is the one I told u about {happy}
            bought the {teaware} on a whim and use it every day now
        """),
        "zh": _lines("""
            {tea}yyds！！回购第三次了{happy}
            姐妹们冲！这个{iced}真的绝绝子{happy}
            被{friend}种草的{tea}，今天终于喝到了，香！
            给我妈买的{gift}，包装好高级，她超喜欢{happy}
            今天去了{store}，店员小姐姐超耐心，体验感拉满
            刚泡好有点烫嘴哈哈，但是真香{happy}
            打工人续命神器{iced}，一天两瓶
            包装好用心，还送了小卡片，爱了爱了{happy}
            茶汤清亮，回甘很明显，一点都不苦涩，好评！
            {teaware}颜值好高，出水不滴漏，推荐{happy}
            春茶上新的视频拍得太美了吧，想去茶园
            发货超快，{city}两天就到了，赞{happy}
            谢谢客服小姐姐耐心解答，问题已经解决啦
            无限回购的{tea}，办公室同事都被我安利了哈哈哈
            终于抢到{gift}！颜值和味道都在线{happy}
            不踩雷！{tea}口感很醇，适合新手
            哈哈哈哈这个{iced}也太好喝了，{friend}快来
            {tea}泡了五泡还有味，良心
        """),
    },
    "question": {
        "en": _lines("""
            Do you ship to {country}?
            Is the {tea} in stock at the {store} store?
            hi where's my order {order}? tracking hasn't updated in {days} days
            What time does the {store} shop close on Sundays?
            How long should I steep the {tea}? and what temp?
            Whats your refund policy on the {gift}? buying it as a gift
            Is the {iced} sugar free?
            Any allergens in the {tea}? my son has a nut allergy
            can I change the delivery address on {order}? ordered {time}
            Is the {teaware} dishwasher safe?
            saw the {gift} for {price} in store, is it the same online?
            When is the Dragon Well back in stock??
            Do you do corporate gifting? need ~{n} boxes for a client event
            is the {tea} caffeine free? pregnant and trying to cut down
            Does the code from the launch post work on the {product}?
            hi do you deliver on Saturdays in {city}?
            can you return an unopened {product}? what's the process
            how many cups do I get from the 100g {tea}?
        """),
        "zh": _lines("""
            亲，{tea}还有货吗？
            请问发{city}大概几天能到？
            {order} 什么时候发货呀，求回复
            {store}营业到几点？周末人多吗
            {tea}用多少度的水泡比较好？
            请问礼盒的退款政策是怎样的？送人怕不合适
            {iced}是无糖的吗？控糖中
            孕妇可以喝{tea}吗？
            客服在吗？想改一下收货地址，{order}
            {teaware}可以放洗碗机吗
            直播间的优惠券能用在{product}上吗？
            有没有企业团购？需要{n}盒{gift}
            {gift}可以开发票吗
            {tea}和{tea}哪个更适合新手？
            三八节礼盒还能买到吗？求链接
            {product}保质期多久呀
            {city}有线下门店吗？想去试喝
            茶叶里有没有过敏原？孩子对坚果过敏
        """),
    },
    "complaint": {
        "en": _lines("""
            Ordered {order} {days} days ago and still nothing. not impressed
            The {tea} tastes stale this time, really disappointed {sad}
            Box arrived crushed, half the {product} spilled everywhere
            ur website keeps crashing at checkout, can't buy the {gift}
            waited 20 mins at the {store} store and nobody served me. poor.
            why is the {gift} {price} now?? it was way cheaper last month
            The {iced} is way too sweet compared to before, what happened
            Courier left my parcel in the rain. soggy tea bags {sad}
            Sold out within an hour?? what's the point of a launch
            tracking says delivered, nothing at my door. {order}
            the lid on the {teaware} doesn't fit, rattles every time I pour
            so much plastic in the {gift}, thought you were sustainable?
            Discount code from the launch email doesn't work. annoying tbh
            missing item in {order}, paid for the {product} and it's not there
            Your customer service line just rings out. not great
            {tea} much weaker than the last batch, tastes like hot water tbh
            product photos are misleading, the {product} is half the size
            app logged me out mid-order and emptied my basket {sad}
        """),
        "zh": _lines("""
            {order} 下单{days}天了还没发货，什么情况？
            这次的{tea}有股陈味，跟之前差太多了{sad}
            快递盒压扁了，{product}撒了一箱子
            小程序一直卡在支付页面，付不了款
            {store}的店员态度好冷淡，问个问题爱答不理的
            {gift}怎么涨价了？上个月还便宜好多
            {iced}这批甜得发腻，配方改了吗
            物流显示已签收，但我根本没收到 {order}
            {teaware}盖子合不严，倒水的时候一直晃
            过度包装了吧，塑料也太多了
            直播间的优惠券用不了，有点失望
            少发了一件{product}，{order}
            客服一直不回消息，等了一下午
            {tea}一泡就没味了，感觉不值这个价
            踩雷了，{product}和宣传图差距好大{sad}
            避雷！{iced}味道寡淡，不值{price}
            春茶首发一分钟就抢光了，根本买不到
            快递员不送上门，还得自己去驿站拿
        """),
    },
    "refund": {
        "en": _lines("""
            I want a full refund for {order}. the {product} arrived damaged
            REFUND ME. the {product} was stale and I'm done
            Either refund {order} or I'm disputing the charge with my bank
            I paid {price} for a {gift} that never arrived. I want my money back.
            refund please. the {tea} tastes nothing like before, not paying for that
            Please refund {order} ASAP, the {teaware} was missing parts
            give me my money back. ordered {days} days ago, still nothing
            Requesting a refund: the {product} came open and half empty
            I expect a refund AND an apology, {store} staff were rude to my dad
            want a refund on the {gift}, box was crushed and it was a present {sad}
            Not happy. Refund {order} now please.
            I need a refund, I was charged twice for {order}
        """),
        "zh": _lines("""
            我要求退款！{order}收到的{product}是坏的
            退钱！！{tea}和描述完全不符
            {order}申请退款{days}天了没人处理
            花了{price}买的{gift}到现在都没到，给我退款
            {teaware}少了配件，必须退款
            东西寄错了，直接退款吧，不想换了
            重复扣款了！{order}，马上给我退钱
            要求全额退款，包装破成这样还怎么送人
            {iced}整箱漏液，退款！
            不想等了，{order}全额退款，谢谢
            退款退款退款！！！客服在吗
            {store}店员态度太差，我买的{product}要退款
        """),
    },
    "repeat": {
        "en": _lines("""
            This is the SECOND time I've messaged about {order}. Still no reply
            third time asking: where is my {product}??
            2nd time complaining, {product} arrived broken AGAIN
            I complained last week about {order} and nothing happened. Second time now.
            Third time I'm writing about the missing {product}. Is anyone there?
            crushed box again. Second time this month
            for the 3rd time, the discount code doesn't work
            I've complained twice already about {order}, this is my third message
            once again no answer. this is my 2nd complaint about the {store} store
            Second time I'm raising this: your courier leaves parcels outside
            Third complaint. Third. {order} still missing
            repeat complaint: the {teaware} lid still doesn't fit after the replacement
        """),
        "zh": _lines("""
            这是我第二次投诉了，{order}到现在还没解决
            第三次联系你们了，有没有人管？
            上周已经投诉过一次，今天又是同样的问题，第二次了
            第二次反馈了，{product}又是压坏的
            已经第三次私信了，客服在吗？？？
            再问第三遍：{order}什么时候发？
            同样的问题投诉第二次了，{store}服务太差
            第二次收到过期优惠券了，上次反馈没人理
            第三次反映了，{teaware}换货后还是漏水
            我都说了两次了！{product}少发，这是第三次
            二次投诉：{order}物流一直不动
            还是没人回，第二次留言了
        """),
    },
    "off_topic": {
        "en": _lines("""
            first! 😂
            anyone else watching the match tonight?
            ugh Mondays man. damn traffic
            {friend} lol this is so us
            Is it just me or is it freezing in {city} today
            I usually drink {competitor} but your packaging is cute
            {competitor} has a sale on btw if anyone's interested
            who's the song in this video??
            the cat in the background 😹
            coffee > tea, fight me ☕
            bloody hell it's 2am and I'm watching tea videos
            happy international women's day to all the queens ✨
            can't believe it's March already wtf
            anyone know a good dentist in {city}? asking for a friend
            lol the comments on this post are wild
            {friend} remember that tea house in Kyoto?? miss it
        """),
        "zh": _lines("""
            沙发！
            前排围观哈哈哈
            有人一起追剧吗
            今天{city}好冷啊
            {friend} 快看这个，笑死
            平时喝{competitor}比较多，来看看
            BGM是什么歌？求
            背景里的猫好可爱
            咖啡党路过[doge]
            凌晨两点了还在刷视频，完蛋
            三八节快乐，姐妹们都要开心呀
            楼上说得对哈哈哈
            周一又来了，累死
            {city}有什么好吃的推荐吗
            有没有人和我一样是来看评论的
            今天也是不想上班的一天[允悲]
        """),
    },
    "spam": {
        "en": _lines("""
            🔥 I made $3,200 last week trading {coin}, DM me to learn how 🔥
            Congrats!! You've been selected for our tea giveaway 🎁 claim: {link}
            DM me for collab 💯 we help brands grow 10k followers/week
            ⚠️ Your account will be disabled. Verify your account now: {link}
            follow for follow? 🔁 f4f
            Nice post! Check my page for FREE gift cards 💳 {link}
            Earn $500/day from home, no experience needed. Link in bio!!
            Hey dear, I'm a brand ambassador manager, DM us to be featured 🌟
            Get 5K real followers for $9 👉 {link}
            WIN a year of free tea!!! enter your card details at {link}
            🚨 Copyright violation on your page. Appeal within 24h: {link}
            {coin} to the moon 🚀🚀 buy before it's too late
            designer bags 80% off {link}
            Promote it on @growth.hub.pro 🙌
            Claim your refund of £49.99 here: {link}
            I sent you a DM, check it! 😊
        """),
        "zh": _lines("""
            兼职刷单，日赚500+，加V了解
            恭喜您获得免费礼盒一份🎁 点击领取：{link}
            互粉互赞，回关必回
            您的账号存在异常，请尽快验证：{link}
            专业代运营，涨粉1万只要99，私信
            {coin}稳赚不赔，带你上车🚀
            低价代购，大牌包包一折起 {link}
            看我主页有惊喜哦～
            免费领取会员，点这里{link}
            手机兼职，宝妈学生都可做，私我
            官方客服提醒：您有一笔退款待领取，请点击{link}
            加群领红包，名额有限 {link}
            出售各平台粉丝，价格美丽
            家人们点我头像，有福利
        """),
    },
    "abuse": {
        "en": _lines("""
            whoever runs this account is a f***ing idiot
            I know where you live {friend}, watch yourself
            the girl at the {store} store, her number is {phone}, go tell her
            go back to your own country you ******
            {friend} shut up you stupid b****
            someone should burn that {store} shop down
            I'll be waiting outside the {store} store at closing. you'll see.
            your social media intern is a ******* r*****
            found the manager's home address lol, posting it tonight
            all you ***** should be banned from this country
            {friend} ur a fat ugly p.o.s. nobody wants u here
            keep deleting my comments and see what happens to your staff
            this is her insta {friend}, everyone go spam her
            hope you all get what's coming, f***ing scum
        """),
        "zh": _lines("""
            sb小编，会不会说人话
            {store}那个店员的电话{phone}，大家去问候她
            我知道你们老板住哪，等着
            脑残客服，**玩意儿
            {friend} 你个**，滚出去
            开盒了，这个小编叫什么住哪我都知道
            你们全家都***
            **人都不配喝茶
            下班路上小心点，别让我碰见
            傻*运营，脑子呢
            把那个客服的身份证号挂出来，大家冲
            死**，再删我评论试试
            这种垃圾公司的人都该**
            小编是不是没长脑子，**东西
        """),
    },
    "safety": {
        "en": _lines("""
            Found a piece of GLASS in my {tea}. Nearly swallowed it. {order}
            there was a small metal wire in the {product} pouch?? how
            hair in my tea bag. like, actual human hair. disgusting
            My daughter got hives and swollen lips after the {tea}. No allergen label!
            My toddler swallowed the silica gel packet from the {gift}, we're at A&E
            The {teaware} handle got so hot it burned my hand, huge blister
            The {teaware} lid popped off and boiling water went all over my arm
            Opened the {tea} and it's covered in white fuzzy mould
            Bottle of {iced} was swollen and fizzy, tasted sour. feel sick now
            Best-before on my {product} was last year?? bought it at {store} {time}
            Allergic reaction after the {iced}, throat itchy and face swelling
            Found a bit of hard plastic in the {iced}, my son nearly choked
            sold me an expired {product}, drank some before I noticed. stomach cramps
            {teaware} cracked when I poured hot water, glass everywhere, cut my finger
        """),
        "zh": _lines("""
            {tea}里喝出了玻璃渣！！差点咽下去
            茶包里有一根金属丝，太吓人了
            泡开的{tea}里有头发，恶心
            喝了{iced}之后全身起红疹，嘴唇都肿了，也没标过敏原
            孩子误吞了{gift}里的干燥剂，现在在医院！
            {teaware}把手太烫，烫伤了我的手，起了个大水泡
            {teaware}盖子突然弹开，开水烫到胳膊了
            {tea}打开全是白毛，发霉了
            {iced}瓶子鼓包了，喝了一口是酸的，现在肚子疼
            在{store}买的{product}已经过期了！喝了才发现
            喝完{tea}喉咙发痒还起疹子，是不是有过敏原
            {iced}里有塑料碎片，我家孩子差点呛到
            {teaware}倒热水直接炸裂，手被划伤了
            茶叶里有小虫子，还在动
        """),
    },
    "legal": {
        "en": _lines("""
            My lawyer will be in touch about {order}. Keep all your records.
            I've reported you to Trading Standards and the consumer association.
            This is a GDPR subject access request. Send me all the data you hold on me.
            Under GDPR I want my account and all my data deleted. Confirm in writing.
            You used my photo in your ad without permission. Take it down or I'll sue.
            Your new blend's name infringes our registered trademark. Expect a letter.
            Small claims court is next if {order} isn't sorted. Final warning.
            Filing a complaint with the ASA about the 'organic' claims on the {product}
            I'm speaking to a solicitor about the injury from your {teaware}.
            Formal notice: I'm taking legal action over the charges on my card.
            Reported your misleading launch prices to the regulator.
            Treat this as a data subject access request under UK GDPR please
            Stop emailing me, I never consented. Reporting you to the ICO.
        """),
        "zh": _lines("""
            已经向12315投诉了，等着吧
            我已经联系律师，{order}的事我们法庭见
            根据个人信息保护法（PIPL），请删除我的个人信息并书面确认
            依据PIPL，我要求查询你们保存的我的全部个人信息
            宣传图盗用了我的摄影作品，已经侵权，请立即下架否则起诉
            已向消协投诉你们虚假宣传
            你们的新品名称侵犯了我们的注册商标，律师函会寄到贵司
            再不处理我就去市场监管局举报
            未经同意给我发营销短信，已投诉到工信部
            保留追究法律责任的权利，{order}请给个书面答复
            消费者协会已经受理我的投诉了
            请注销账号并删除我的个人信息，PIPL规定你们必须处理
            {teaware}造成的损失我会走法律程序，等律师函吧
        """),
    },
    "press": {
        "en": _lines("""
            I'm {reporter}, reporter at {outlet}. Comment on the sell-out by {deadline}?
            {reporter}, {outlet} news desk. Recalling the {product}? Deadline {deadline}
            Journalist at {outlet}, can your press office call me? Deadline {deadline}
            {outlet} is doing a piece on tea prices. Press statement by {deadline}?
            Freelance journalist ({outlet}) writing on packaging waste. Free to talk?
            Media enquiry: posts say there's glass in your tea. Statement? {outlet}
            Producer at the {outlet} podcast, who do I contact to book your founder?
            {outlet} news fact-check: is the {store} store closing? Answer by {deadline}
            Reporter ({outlet}). Comment on the data breach rumours? Deadline {deadline}
            Press enquiry ({outlet}): your response to the viral customer video?
            {reporter}, {outlet} features desk: spring drinks piece. Hi-res pics?
            Journalist for {outlet}, on tea-estate labour. Questions by {deadline}?
        """),
        "zh": _lines("""
            您好，我是{outlet}记者{reporter}，想就春茶首发秒空采访贵司，请于{deadline}前回复
            {outlet}记者，网传{product}有质量问题，想请官方回应，{deadline}截稿
            媒体采访请求：{outlet}在做茶饮涨价专题，能否提供官方说法？
            您好，{outlet}编辑，想约贵司负责人做专访，请问联系谁？
            我是{outlet}的{reporter}，有读者爆料{store}闭店，属实吗？{deadline}前回复
            {outlet}求证：网传贵司产品喝出玻璃渣，是否属实？
            记者{reporter}（{outlet}），关于礼盒过度包装想采访一下
            你好，我们是{outlet}栏目组，想拍春茶采摘，能否对接品牌公关？
            {outlet}约稿：三八节消费趋势，想请贵司提供观点，{deadline}截稿
            {outlet}的记者，关于消费者投诉想听听官方声明
            您好，{outlet}记者，想了解贵司茶园用工情况，方便采访吗
            {outlet}编辑部：网传数据泄露，请问官方有回应吗？{deadline}前
        """),
    },
    "influencer": {
        "en": _lines("""
            told my followers to try the {tea}, half say orders never came. bad look
            Filming a review of the {gift} and the box came crushed. DM me before I post
            The {iced} I bought for my video tastes off. My audience is going to ask.
            The collab {product} was promised a week ago, still nothing. Calendar's shot
            Loads of my followers say the code from my video doesn't work. Fix pls
            Filming at the {store} shop and got told to stop recording. Will mention it
            {teaware} lid cracked within a week. Posting my honest review tomorrow.
            Fan for years but the new packaging is a downgrade. Doing a story on it.
            Bought the {gift} for a giveaway for my community, {days} days, no parcel
            Getting tagged in complaints about your launch sell-out. What happened?
            Honest review coming: the {tea} was stale. Reach out before it goes live.
            my followers say your site charged them twice during the launch. statement?
        """),
        "zh": _lines("""
            粉丝都在问我推荐的{tea}为什么一直不发货，给个说法吧
            拍测评收到的{gift}盒子压坏了，视频还发不发你们看着办
            {iced}这批味道不对，好多粉丝私信我说踩雷了
            合作说好的{product}一周前寄出，到现在没收到，排期全乱了
            粉丝反馈我视频里的优惠码用不了，麻烦尽快处理
            去{store}探店被店员阻止拍摄，体验很差，会在视频里说
            {teaware}用了一周盖子就裂了，明天发真实测评
            新包装真的降级了，准备做一期吐槽
            给粉丝抽奖的{gift}{days}天了还没到，怎么回事
            一堆粉丝@我说春茶首发秒没还重复扣款，请官方回应
            真实测评：这次的{tea}有陈味，上线前想听听官方解释
            作为老粉很失望，合作邮件三天没人回
        """),
    },
}

# How a pool's texts end: nothing, an emoji, a hashtag, a sigh.
MOOD = {
    "praise": "happy",
    "question": "asking",
    "complaint": "angry",
    "refund": "angry",
    "repeat": "angry",
    "influencer": "angry",
    "safety": "alarmed",
    "legal": "stern",
    "press": "formal",
    "spam": "selling",
}
PUNCTUATION = set(".!?。！？～")
TAILS = {
    "happy": {
        "en": ("", "", " {happy}", " {tag}", " {happy}{happy}", "!!", " {happy} {tag}"),
        "zh": ("", "", "{happy}", " {tag}", "{happy}{happy}", "！", "～"),
    },
    "asking": {
        "en": ("", "", " thanks!", " thx", " {happy}", "??", " pls"),
        "zh": ("", "", "谢谢", " 求回复", "～", "？？", "[可怜]"),
    },
    "angry": {
        "en": ("", "", " {angry}", "!!", " smh", " ffs", " {angry}{angry}", " {sad}"),
        "zh": ("", "", "{angry}", "！！", "[微笑]", " 无语", "{angry}{angry}", "…"),
    },
    "alarmed": {
        "en": ("", "", "!!", " {angry}", " pls respond", " ASAP", " 😨"),
        "zh": ("", "", "！！", "{angry}", " 请尽快回复", "[怒]", "😨"),
    },
    "stern": {
        "en": ("", "", " Regards.", " I expect a reply."),
        "zh": ("", "", " 请正式回复", "。"),
    },
    "formal": {
        "en": ("", "", " Thanks.", " Thank you."),
        "zh": ("", "", "谢谢！", " 盼复"),
    },
    "selling": {
        "en": ("", "", " 🎁", " 👉👉", " 💰"),
        "zh": ("", "", "🎁", "👉", "💰"),
    },
    "flat": {"en": ("", "", "", "!!", " lol"), "zh": ("", "", "", "！", "。")},
}
# DMs that often open with a greeting, and in which register.
GREETED = {
    "question": "casual",
    "complaint": "casual",
    "refund": "casual",
    "repeat": "casual",
    "legal": "formal",
    "press": "formal",
}
GREETINGS = {
    "casual": {
        "en": ("Hi, ", "Hello, ", "Hi there! ", "hey "),
        "zh": ("你好，", "您好，", "亲，", "在吗？"),
    },
    "formal": {"en": ("Hello, ", "Dear team, "), "zh": ("您好，", "你好，")},
}
GREETING = re.compile(r"(hi|hello|hey|dear)\b|您好|你好|亲，|在吗", re.I)

# A tier-2 trigger in a complaint's words (the tests check the labels with these).
REFUND_DEMAND = re.compile(r"refund(?! policy)|money back|退款(?!政策)|退钱", re.I)
REPEAT_COMPLAINT = re.compile(
    r"second time|third time|2nd time|3rd time|2nd complaint|third complaint|"
    r"third message|twice already|repeat complaint|第二次|第三次|第三遍|二次投诉|两次",
    re.I,
)
