"""Creator portfolio lab: a creator pool, a budget and a target → what you really buy.

A TEACHING MODEL (stated in Module 7). Every creator has real and bought followers.
- A post reaches `reach_rate` of the creator's REAL followers (bots do not open the
  app); a share `target_share` of them belong to the brand's target audience.
- Across creators, target reach is deduplicated by random duplication, the channel
  planner's rule (Module 1): combined share = 1 − Π(1 − rᵢ) of the target population.
- Bought followers inflate the follower count, dilute the audience profile (they
  sit outside the creator's market) and deflate engagement rate by followers. An
  engagement pod inflates engagements with comments from other creators, which
  reach nobody in the target.

The pool table carries the truth (`fake_share`, `pod`) beside what a marketplace
shows; `observed` strips the truth off, and the strategies see only that.
A portfolio is chosen greedily: creators ranked by a score per unit of price and
added while the budget allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from smm_playbook.sim.channel_planner import deduplicated_reach

# (market, currency, reach rate, views per reach or None, CPM in USD)
PlatformInfo = tuple[str, str, float, float | None, float]
# Teaching values, not platform statistics.
PLATFORMS: dict[
    str, PlatformInfo
] = {  # platform: (market, currency, reach rate, views per reach, CPM in USD)
    "Instagram": ("UK", "GBP", 0.22, None, 14.0),
    "TikTok": ("UK", "GBP", 0.30, 1.4, 10.0),
    "YouTube": ("US", "USD", 0.25, 1.2, 22.0),
    "Douyin": ("Mainland China", "CNY", 0.30, 1.4, 9.0),
    "Xiaohongshu": ("Mainland China", "CNY", 0.25, None, 16.0),
    "Bilibili": ("Mainland China", "CNY", 0.28, 1.3, 12.0),
    "Weibo": ("Mainland China", "CNY", 0.08, None, 6.0),
}
USD_PER = {"USD": 1.0, "GBP": 1.27, "CNY": 0.14}  # teaching exchange rates
# Target audiences: (market, women only?, people in the target, teaching values).
TARGETS = {
    "Women 18-34, Mainland China": ("Mainland China", True, 120e6),
    "Adults 18-34, Mainland China": ("Mainland China", False, 240e6),
    "Women 18-34, UK": ("UK", True, 7e6),
    "Adults 18-34, US": ("US", False, 75e6),
}
POD_BOOST = 2.4  # a pod multiplies a creator's engagements by this
NICHES = ("beauty", "food", "tech", "lifestyle", "fitness")
TIERS = ((10_000, "nano"), (100_000, "micro"), (500_000, "mid"), (1e6, "macro"))
TRUTH_COLUMNS = ("fake_share", "pod")


class Defaults(TypedDict):
    budget: float  # USD
    target: str  # a key of TARGETS


DEFAULT: Defaults = {"budget": 20_000.0, "target": "Women 18-34, Mainland China"}
FOLLOWERS_ONLY = {"fit": 0.0, "engagement": 0.0, "authenticity": 0.0}
AUDIENCE_FIT = {"fit": 1.0, "engagement": 0.0, "authenticity": 1.0}


def tier(followers: ArrayLike) -> np.ndarray:
    """nano < 10k ≤ micro < 100k ≤ mid < 500k ≤ macro < 1M ≤ mega (course bands)."""
    labels = np.full(np.shape(followers), "mega", dtype=object)
    for limit, name in reversed(TIERS):
        labels[np.asarray(followers) < limit] = name
    return labels


def generate_pool(rng: np.random.Generator, creators: int = 300) -> pd.DataFrame:
    """A creator pool with the truth (`fake_share`, `pod`) and the marketplace view."""
    names = list(PLATFORMS)
    platform = rng.choice(names, creators, p=[0.16, 0.16, 0.1, 0.18, 0.2, 0.1, 0.1])
    info = [PLATFORMS[p] for p in platform]
    real = np.round(10 ** rng.uniform(3.4, 6.5, creators))
    faker = rng.random(creators) < 0.18  # bought followers
    fake_share = np.where(faker, rng.uniform(0.25, 0.7, creators), 0.0)
    fake_share += rng.uniform(0, 0.04, creators)  # every account has a few bots
    followers = np.round(real / (1 - fake_share))
    pod = rng.random(creators) < 0.1
    in_market = rng.beta(14, 3, creators)
    female = rng.beta(3, 2, creators)
    young = rng.beta(5, 3, creators)
    rate = np.array([i[2] for i in info]) * rng.lognormal(0, 0.25, creators)
    reach = np.round(real * np.clip(rate, 0.02, 0.9))
    small = 1 + 0.6 * (real < 1e5)  # smaller accounts engage more
    real_eng = reach * rng.lognormal(np.log(0.035), 0.35, creators) * small
    engagements = np.round(real_eng * np.where(pod, POD_BOOST, 1.0))
    generic = np.clip(rng.beta(2, 9, creators) + 0.35 * pod + 0.1 * faker, 0, 0.95)
    cpm = np.array([i[4] for i in info]) * rng.lognormal(0, 0.3, creators)
    usd = reach * cpm / 1000
    usd *= 1 + 0.8 * (followers / real - 1)  # bought followers are priced in too
    currency = np.array([i[1] for i in info])
    return pd.DataFrame(
        {
            "creator_id": [f"CR{i + 1:03d}" for i in range(creators)],
            "platform": platform,
            "market": [i[0] for i in info],
            "niche": rng.choice(NICHES, creators),
            "followers": followers.astype(int),
            "tier": tier(followers),
            "avg_reach": reach.astype(int),
            "avg_views": _views(reach, info, rng),
            "avg_engagements": engagements.astype(int),
            "audience_in_market": np.round(_diluted(in_market, fake_share), 3),
            "audience_female": np.round(female, 3),
            "audience_18_34": np.round(young, 3),
            "generic_comment_share": np.round(generic, 3),
            "brand_safety_flags": rng.poisson(0.15, creators),
            "currency": currency,
            "price": np.maximum(np.round(usd / _rates(currency), -1), 50.0),
            "fake_share": np.round(fake_share, 3),
            "pod": pod,
        }
    )


def _rates(currency: Iterable[str]) -> np.ndarray:
    return np.array([USD_PER[c] for c in currency])


def _diluted(in_market: np.ndarray, fake_share: np.ndarray) -> np.ndarray:
    """Bought followers sit outside the market: 10 % of them look local."""
    return in_market * (1 - fake_share) + 0.1 * fake_share


def _views(
    reach: np.ndarray, info: Sequence[PlatformInfo], rng: np.random.Generator
) -> np.ndarray:
    per_reach = np.array([np.nan if i[3] is None else i[3] for i in info])
    return np.round(reach * per_reach * rng.lognormal(0, 0.1, len(reach)))


def observed(pool: pd.DataFrame) -> pd.DataFrame:
    """What a marketplace shows: the pool without its truth columns."""
    return pool.drop(columns=[c for c in TRUTH_COLUMNS if c in pool])


@dataclass(frozen=True)
class PortfolioResult:
    """A chosen portfolio and what it truly delivers into the target audience."""

    chosen: pd.DataFrame  # the creators picked, in the order they were added
    cost: float  # USD
    budget: float
    target: str
    population: float
    target_reach: float  # people in the target reached at least once (truth)
    claimed_reach: float  # followers × platform reach rate, summed (a deck's claim)
    engagements: float  # real engagements per round of posts
    fake_share: float  # share of the followers paid for that are bought

    @property
    def target_reach_share(self) -> float:
        return self.target_reach / self.population

    @property
    def cost_per_thousand(self) -> float:
        """USD per 1,000 people of the target reached (truth)."""
        return 1000 * self.cost / self.target_reach if self.target_reach else np.inf


def usd_price(pool: pd.DataFrame) -> np.ndarray:
    return _col(pool, "price") * _rates(pool["currency"])


def _col(pool: pd.DataFrame, name: str) -> np.ndarray:
    """A column as floats (NaN for blanks): the models below run on numpy arrays,
    which keeps a slider move within one frame."""
    return pool[name].to_numpy(dtype=float, na_value=np.nan)


def _target(target: str) -> tuple[str, bool, float]:
    if target not in TARGETS:
        raise ValueError(f"Choose a target from {list(TARGETS)}, not {target!r}.")
    return TARGETS[target]


def _profile(pool: pd.DataFrame, in_market: np.ndarray, target: str) -> np.ndarray:
    """Share of followers in the target: in market × aged 18-34 (× women)."""
    market, women, _ = _target(target)
    share = in_market * _col(pool, "audience_18_34")
    if women:
        share = share * _col(pool, "audience_female")
    return share * (pool["market"].to_numpy() == market)


def estimated_target_reach(pool: pd.DataFrame, target: str) -> np.ndarray:
    """Target reach per post from what a marketplace shows: reach × profile."""
    rate = np.array([PLATFORMS[p][2] for p in pool["platform"]])
    reach = _col(pool, "avg_reach")
    reach = np.where(np.isnan(reach), _col(pool, "followers") * rate, reach)
    return reach * _profile(pool, _col(pool, "audience_in_market"), target)


def authenticity_risk(pool: pd.DataFrame) -> np.ndarray:
    """0 (looks genuine) to 1 from two visible signs: low ER by followers against
    the platform's median, and a high share of generic comments."""
    er = _col(pool, "avg_engagements") / _col(pool, "followers")
    platforms, group = np.unique(pool["platform"].to_numpy(), return_inverse=True)
    medians = np.array([np.median(er[group == g]) for g in range(len(platforms))])
    low_er = np.clip(1 - er / (0.6 * medians[group]), 0, 1)
    generic = np.clip((_col(pool, "generic_comment_share") - 0.25) / 0.4, 0, 1)
    return 1 - (1 - low_er) * (1 - generic)


def scores(pool: pd.DataFrame, target: str, weights: Mapping[str, float]) -> np.ndarray:
    """Score per USD: followers^(1−fit) × target reach^fit × ER^engagement ×
    (1 − risk)^authenticity, the learner's weights deciding what matters. Creators
    outside the target's market score 0 whatever the weights. Reads only the
    columns a marketplace shows, never the truth."""
    fit, eng, auth = (float(weights.get(k, 0)) for k in FOLLOWERS_ONLY)
    if not 0 <= fit <= 1 or eng < 0 or auth < 0:
        raise ValueError("fit runs from 0 to 1; engagement and authenticity from 0 up.")
    followers = _col(pool, "followers")
    reach = estimated_target_reach(pool, target)
    er = _col(pool, "avg_engagements") / followers
    local = pool["market"].to_numpy() == _target(target)[0]
    value = local * followers ** (1 - fit) * reach**fit * (er / np.median(er)) ** eng
    return value * (1 - authenticity_risk(pool)) ** auth / usd_price(pool)


def choose(
    pool: pd.DataFrame, budget: float, target: str, weights: Mapping[str, float]
) -> list[str]:
    """Greedy portfolio: best score per USD first, while the budget allows."""
    if not np.isfinite(budget) or budget < 0:
        raise ValueError("The budget is an amount in USD, 0 or more.")
    score = scores(pool, target, weights)
    order = np.argsort(-score, kind="stable")
    price = usd_price(pool)[order]
    keep = np.zeros(len(order), dtype=bool)
    spent = 0.0
    for k in np.flatnonzero(score[order] > 0):
        if spent + price[k] <= budget:
            keep[k], spent = True, spent + price[k]
    return list(pool["creator_id"].to_numpy()[order[keep]])


def evaluate(
    pool: pd.DataFrame, creator_ids: Iterable[str], target: str, budget: float = np.inf
) -> PortfolioResult:
    """The truth about a portfolio: deduplicated target reach, cost, fakes."""
    population = _target(target)[2]
    index = pd.Index(pool["creator_id"])
    if not index.is_unique or not set(creator_ids) <= set(index):
        raise ValueError("Every creator_id must name one creator of the pool.")
    chosen = pool.iloc[index.get_indexer(list(creator_ids))]
    fake = _col(chosen, "fake_share")
    followers = _col(chosen, "followers")
    in_market = (_col(chosen, "audience_in_market") - 0.1 * fake) / (1 - fake)
    reach = _col(chosen, "avg_reach") * _profile(chosen, in_market, target)
    pod = np.where(chosen["pod"].to_numpy(dtype=bool), POD_BOOST, 1.0)
    typical = np.array([PLATFORMS[p][2] for p in chosen["platform"]])
    return PortfolioResult(
        chosen=chosen.reset_index(drop=True),
        cost=float(usd_price(chosen).sum()),
        budget=float(budget),
        target=target,
        population=population,
        target_reach=population * deduplicated_reach(np.minimum(reach / population, 1)),
        claimed_reach=float((followers * typical).sum()),
        engagements=float((_col(chosen, "avg_engagements") / pod).sum()),
        fake_share=float(1 - (followers * (1 - fake)).sum() / followers.sum())
        if len(chosen)
        else 0.0,
    )


def run_portfolio(
    pool: pd.DataFrame,
    budget: float = DEFAULT["budget"],
    target: str = DEFAULT["target"],
    **weights: float,
) -> PortfolioResult:
    """Choose with the given weights, then evaluate against the truth."""
    return evaluate(pool, choose(pool, budget, target, weights), target, budget)
