"""The exam's sections: one per module, each built from a learner's own random stream.

A builder takes a `numpy.random.Generator` and returns a `Section`: the prompt
and data the learner sees, and the parts with the questions that score them.
The same generator state always gives the same section, so the grader rebuilds
the expected answers from the seed instead of storing an answer key anywhere.

Data comes from the course's own datasets (a learner's sample of rows) or, where
a module's skill is a calculation on a few figures, from ranges taken from them.
Questions reuse the formative check classes, so the feedback a learner gets on
an exam answer reads like the feedback in the exercises.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from smm_playbook import data, kpis
from smm_playbook.checks import ChoiceQuestion, Misconception, Question, ValueQuestion
from smm_playbook.sim.ab_test import two_proportion_test
from smm_playbook.sim.rumour_spread import recommended_posture

ENGAGEMENT = ["likes", "comments", "shares", "saves"]


@dataclass(frozen=True)
class Part:
    """One answer variable, its points and the question that scores it."""

    var: str
    points: int
    prompt: str
    question: Question


@dataclass(frozen=True)
class Section:
    """What one module contributes to a paper."""

    key: str
    module: str
    title: str
    prompt: str
    data_code: str
    parts: tuple[Part, ...]

    @property
    def points(self) -> int:
        return sum(part.points for part in self.parts)


def value_part(var, points, prompt, expected, *, unit=None, rtol=0.005, wrong=()):
    """A numeric answer; `wrong` pairs typical wrong answers with explanations."""
    attributes = {
        "var": var,
        "points": points,
        "expected": float(expected),
        "unit": unit,
        "rtol": rtol,
        "misconceptions": tuple(Misconception(float(a), m) for a, m in wrong),
    }
    question = type(f"Exam_{var}", (ValueQuestion,), attributes)()
    return Part(var, points, prompt, question)


def choice_part(var, points, prompt, options: list[str], correct: int, why=None):
    """A lettered choice; `why` maps an option index to the reason it is wrong."""
    letters = string.ascii_lowercase[: len(options)]
    attributes = {
        "var": var,
        "points": points,
        "options": dict(zip(letters, options, strict=True)),
        "correct": letters[correct],
        "why": {letters[i]: text for i, text in (why or {}).items()},
    }
    question = type(f"Exam_{var}", (ChoiceQuestion,), attributes)()
    lines = "\n".join(f"- ({x}) {o}" for x, o in zip(letters, options, strict=True))
    return Part(var, points, f"{prompt}\n\n{lines}", question)


def frame_code(name: str, frame: pd.DataFrame) -> str:
    """Python that rebuilds `frame` in the learner's notebook, CSV inline."""
    csv = frame.to_csv(index=False).strip()
    return f'{name} = pd.read_csv(io.StringIO("""\n{csv}\n"""))'


@cache
def _dataset(name: str) -> pd.DataFrame:
    return data.load(name)


# The grader rebuilds a paper for every submission, so the slicing each builder
# repeats is done once here.


@cache
def _clean_posts() -> pd.DataFrame:
    """Posts with a known reach: an export a learner can compute from."""
    return _dataset("starter_posts").dropna(subset=["reach"]).astype({"reach": int})


@cache
def _audience_segments() -> tuple[list, list, list, dict]:
    table = _dataset("platform_audiences")
    levels = [sorted(table[c].unique()) for c in ("region", "interest", "age_band")]
    segments = dict(tuple(table.groupby(["region", "interest"], sort=False)))
    return (*levels, segments)


@cache
def _ad_set_weeks() -> list[tuple[tuple[str, str, str], pd.DataFrame, list]]:
    """Each ad set's rows and its sorted dates."""
    ads = _dataset("ad_campaigns")
    groups = ads.groupby(["platform", "campaign", "ad_set"], sort=True)
    return [(key, runs, sorted(runs["date"].unique())) for key, runs in groups]


# ------------------------------------------------------------------ Module 0


def engagement(rng: np.random.Generator) -> Section:
    posts = _clean_posts()
    rows = posts.iloc[np.sort(rng.choice(len(posts), size=6, replace=False))]
    shown = rows[["post_id", "platform", "followers", "impressions", "reach"]]
    shown = shown.join(rows[ENGAGEMENT]).reset_index(drop=True)
    engagements = shown[ENGAGEMENT].sum(axis=1)
    total = engagements.sum()
    rate = 100 * kpis.engagement_rate_by_reach(total, shown["reach"].sum())
    per_post = 100 * engagements / shown["reach"]
    best = int(per_post.to_numpy().argmax())
    busiest = int(engagements.to_numpy().argmax())
    ids = shown["post_id"].tolist()
    why = {}
    if busiest != best:
        why[busiest] = (
            "That post has the most engagements, but it also reached more people; "
            "compare engagements per person reached."
        )
    parts = (
        value_part(
            "er_reach_pct",
            2,
            "The engagement rate by reach of the six posts taken together, in "
            "percent (all their engagements over all their reach).",
            rate,
            unit="percent",
            wrong=[
                (
                    100 * total / shown["followers"].sum(),
                    "You divided by followers; "
                    "the question asks for reach, the people who saw the posts.",
                ),
                (
                    100 * total / shown["impressions"].sum(),
                    "You divided by "
                    "impressions; reach counts people, impressions count views.",
                ),
                (
                    per_post.mean(),
                    "You averaged the six posts' rates; take all the "
                    "engagements over all the reach instead.",
                ),
            ],
        ),
        choice_part(
            "top_post",
            2,
            "Which post has the highest engagement rate by reach?",
            ids,
            best,
            why,
        ),
    )
    return Section(
        "engagement",
        "0",
        "Reading a post export",
        "An export of six posts. Engagements are likes + comments + shares + saves.",
        frame_code("posts", shown),
        parts,
    )


# ------------------------------------------------------------------ Module 1


def audiences(rng: np.random.Generator) -> Section:
    regions, interests, age_bands, segments = _audience_segments()
    region = rng.choice(regions)
    interest = rng.choice(interests)
    bands = sorted(rng.choice(age_bands, 2, replace=False))
    segment = segments[(region, interest)]
    pick = segment[segment["age_band"].isin(bands)]
    shown = pick[["platform", "age_band", "population", "share"]].reset_index(drop=True)
    # Nudge the figures so that no two learners share a table, let alone an answer.
    scale = dict(zip(bands, rng.uniform(0.9, 1.1, size=2), strict=True))
    population = shown["population"] * shown["age_band"].map(scale)
    shown["population"] = population.round(-3).astype(int)
    noise = rng.uniform(0.95, 1.05, size=len(shown))
    shown["share"] = (shown["share"] * noise).clip(upper=0.97).round(4)
    users = (shown["population"] * shown["share"]).groupby(shown["platform"]).sum()
    platforms = sorted(users.index)
    best = users.idxmax()
    by_share = shown.groupby("platform")["share"].mean()
    why = {}
    if by_share.idxmax() != best:
        why[platforms.index(by_share.idxmax())] = (
            "That platform has the highest average share, but the two age bands "
            "differ in size: weigh each share by its band's population."
        )
    parts = (
        choice_part(
            "best_platform",
            2,
            "Which platform reaches the most people in the two age bands together?",
            platforms,
            platforms.index(best),
            why,
        ),
        value_part(
            "best_platform_users_m",
            2,
            "How many people, in millions, does that platform reach in the two "
            "age bands together?",
            users.max() / 1e6,
            wrong=[
                (users.max(), "Give the answer in millions (divide by 1,000,000)."),
                (
                    by_share[best] * shown["population"].unique().sum() / 1e6,
                    "You applied the average share to both bands; each band has its "
                    "own share.",
                ),
            ],
        ),
    )
    return Section(
        "audiences",
        "1",
        "Choosing a channel for an audience",
        f"You are planning for adults interested in {interest} in {region}, aged "
        f"{bands[0]} and {bands[1]}. For each platform and age band, `population` "
        "is the number of people in the band and `share` the fraction of them "
        "who use the platform each month.",
        frame_code("audience", shown),
        parts,
    )


# ------------------------------------------------------------------ Module 2


def ab_test(rng: np.random.Generator) -> Section:
    shown_a = int(rng.integers(8, 30)) * 1000
    shown_b = shown_a + int(rng.integers(-20, 21)) * 50
    ctr_a = rng.uniform(0.008, 0.025)
    true_lift = rng.choice([-0.15, -0.05, 0.0, 0.05, 0.12, 0.25])
    clicks_a = int(rng.binomial(shown_a, ctr_a))
    clicks_b = int(rng.binomial(shown_b, ctr_a * (1 + true_lift)))
    test = two_proportion_test(clicks_a, shown_a, clicks_b, shown_b)
    lift = 100 * kpis.lift(test.rate_b, test.rate_a)
    verdict = 2 if test.p_value >= 0.05 else (0 if lift > 0 else 1)
    options = [
        "B wins: its click-through rate is higher and the difference is significant "
        "at the 5% level.",
        "A wins: its click-through rate is higher and the difference is significant "
        "at the 5% level.",
        "No winner yet: the difference is not significant at the 5% level.",
    ]
    why = {
        0: "Check the p-value of a two-proportion test before naming a winner.",
        1: "Check the p-value of a two-proportion test before naming a winner.",
        2: "Work out the p-value: with this many impressions the difference is "
        "larger than chance would explain.",
    }
    why.pop(verdict)
    parts = (
        value_part(
            "ctr_lift_pct",
            2,
            "The relative lift of B's click-through rate over A's, in percent "
            "(negative if B is lower).",
            lift,
            unit="percent",
            rtol=0.01,
            wrong=[
                (
                    100 * (test.rate_b - test.rate_a),
                    "That is the difference in "
                    "percentage points; lift is relative to A's rate.",
                ),
                (
                    100 * (clicks_b - clicks_a) / clicks_a,
                    "You compared clicks, but the variants were shown different "
                    "numbers of times: compare rates.",
                ),
            ],
        ),
        choice_part("ab_verdict", 2, "What do you report?", options, verdict, why),
    )
    return Section(
        "ab_test",
        "2",
        "Reading an A/B test",
        "Two versions of a post's creative were each shown to a random half of the "
        "audience. Use a two-sided two-proportion z-test at the 5% level.",
        f"shown = {{'A': {shown_a}, 'B': {shown_b}}}\n"
        f"clicks = {{'A': {clicks_a}, 'B': {clicks_b}}}",
        parts,
    )


# ------------------------------------------------------------------ Module 3

NEEDS_RESPONSE = ("respond", "escalate")


def service(rng: np.random.Generator) -> Section:
    comments = _dataset("comments")
    columns = ["comment_id", "platform", "kind", "action", "created_at"]
    columns.append("first_response_at")
    while True:  # a sample with something to measure on both sides
        index = np.sort(rng.choice(len(comments), size=30, replace=False))
        sample = comments.iloc[index][columns].reset_index(drop=True)
        needing = sample[sample["action"].isin(NEEDS_RESPONSE)]
        answered = needing["first_response_at"].notna()
        if answered.sum() >= 3 and (~answered).sum() >= 2:
            break
    rate = 100 * kpis.response_rate(answered.sum(), len(needing))
    minutes = (
        pd.to_datetime(needing["first_response_at"], utc=True, format="ISO8601")
        - pd.to_datetime(needing["created_at"], utc=True, format="ISO8601")
    ).dt.total_seconds() / 60
    parts = (
        value_part(
            "response_rate_pct",
            2,
            "The response rate, in percent: of the comments that needed a response "
            "(action 'respond' or 'escalate'), the share that got one.",
            rate,
            unit="percent",
            wrong=[
                (
                    100 * sample["first_response_at"].notna().mean(),
                    "You divided by "
                    "every comment; only those that needed a response count.",
                ),
            ],
        ),
        value_part(
            "median_response_minutes",
            2,
            "The median time to first response, in minutes, of the comments that "
            "needed one and got one.",
            minutes.median(),
            wrong=[
                (
                    minutes.mean(),
                    "That is the mean; the median is less swayed by one "
                    "very slow reply.",
                ),
                (minutes.median() / 60, "That looks like hours; give minutes."),
            ],
        ),
    )
    return Section(
        "service",
        "3",
        "Measuring community service",
        "A sample of comments from the brand's inbox with the action the team took. "
        "`first_response_at` is blank when nobody replied. Times carry their UTC "
        "offset.",
        frame_code("inbox", sample),
        parts,
    )


# ------------------------------------------------------------------ Module 4

# (situation, cluster) — the brand is fictional; each situation is a cluster's
# textbook type as SCCT lists them.
CRISES = (
    (
        "A Weibo post claims, with a doctored photo, that the brand's iced tea is "
        "made with tap water. It is false.",
        "victim",
    ),
    (
        "A typhoon floods the brand's Guangzhou warehouse and online orders in South "
        "China will arrive a week late.",
        "victim",
    ),
    (
        "A bottling machine that passed its last safety inspection develops a fault, "
        "and a batch of sparkling tea is over-carbonated; some caps pop off.",
        "accidental",
    ),
    (
        "An activist group accuses the brand, on LinkedIn and X, of underpaying the "
        "tea farmers it buys from; the brand pays the certified fair-trade price.",
        "accidental",
    ),
    (
        "A store manager ignored the cold-chain rules and sold milk tea past its "
        "use-by date; several customers were ill.",
        "preventable",
    ),
    (
        "Staff posted a video on Douyin mocking customers who complained about "
        "prices; the brand's account shared it.",
        "preventable",
    ),
)
HISTORIES = (
    ("The brand has had no crisis before, and customers rate its service well.", 0),
    (
        "Two years ago the brand recalled a batch of bottled tea after a similar "
        "problem.",
        1,
    ),
    ("Customers have long complained online that the brand ignores their messages.", 1),
    (
        "Two years ago the brand recalled a batch of bottled tea, and customers "
        "have long complained that it ignores their messages.",
        2,
    ),
)


def crisis(rng: np.random.Generator) -> Section:
    situation, cluster = CRISES[int(rng.integers(len(CRISES)))]
    history, intensifiers = HISTORIES[int(rng.integers(len(HISTORIES)))]
    posture = recommended_posture(cluster, intensifiers)
    clusters = ["victim", "accidental", "preventable"]
    postures = [
        "base only: instructing and adjusting information",
        "diminish: excuse or justification, on top of the base response",
        "rebuild: apology and compensation, on top of the base response",
        "deny: say there is no crisis or attack the accuser",
    ]
    chosen = ["base", "diminish", "rebuild"].index(posture)
    parts = (
        choice_part(
            "crisis_cluster",
            2,
            "Which SCCT cluster does the crisis belong to?",
            clusters,
            clusters.index(cluster),
            {
                i: "Ask how much responsibility the public will attribute to the "
                "brand for what happened."
                for i in range(3)
                if clusters[i] != cluster
            },
        ),
        choice_part(
            "crisis_posture",
            2,
            "Which response posture does the course's SCCT rule recommend, given "
            "the history? (Each intensifier moves the posture one step more "
            "accommodating.)",
            postures,
            chosen,
            {
                3: "Denial fits only a false rumour, and then as evidence, not attack; "
                "it is never the recommended posture here."
            },
        ),
    )
    return Section(
        "crisis",
        "4",
        "Triage with SCCT",
        f"{situation} {history}",
        "",
        parts,
    )


# ------------------------------------------------------------------ Module 5


def paid(rng: np.random.Generator) -> Section:
    ad_sets = _ad_set_weeks()
    while True:  # a week with at least one conversion
        (platform, campaign, ad_set), runs, days = ad_sets[
            int(rng.integers(len(ad_sets)))
        ]
        start = int(rng.integers(max(1, len(days) - 7)))
        week = runs[runs["date"].isin(days[start : start + 7])]
        if week["conversions"].sum() > 0:
            break
    columns = ["date", "currency", "spend", "impressions", "clicks"]
    shown = week[columns + ["conversions", "revenue"]].reset_index(drop=True)
    spend, revenue = shown["spend"].sum(), shown["revenue"].sum()
    conversions, clicks = shown["conversions"].sum(), shown["clicks"].sum()
    cpm = kpis.cpm(spend, shown["impressions"].sum())
    daily_cpa = (shown["spend"] / shown["conversions"].replace(0, np.nan)).mean()
    parts = (
        value_part(
            "cpm",
            1,
            "The week's CPM (cost per thousand impressions).",
            cpm,
            wrong=[(cpm / 1000, "CPM is per thousand impressions: multiply by 1,000.")],
        ),
        value_part(
            "cpa",
            2,
            "The week's CPA (cost per conversion).",
            kpis.cpa(spend, conversions),
            wrong=[
                (
                    kpis.cpc(spend, clicks),
                    "That is the cost per click; CPA divides by conversions.",
                ),
                (
                    daily_cpa,
                    "You averaged the daily CPAs; divide the week's spend by "
                    "the week's conversions.",
                ),
            ],
        ),
        value_part(
            "roas",
            2,
            "The week's ROAS, as a ratio (revenue per unit of spend, such as 2.5).",
            kpis.roas(revenue, spend),
            wrong=[
                (
                    100 * kpis.roas(revenue, spend),
                    "Give ROAS as a ratio, not a percentage.",
                )
            ],
        ),
    )
    return Section(
        "paid",
        "5",
        "A week of a paid campaign",
        f"Seven days of the ad set '{ad_set}' in the '{campaign}' campaign on "
        f"{platform}, as the ads manager reports them. Money is in the currency "
        "shown.",
        frame_code("week", shown),
        parts,
    )


# ------------------------------------------------------------------ Module 6


def value(rng: np.random.Generator) -> Section:
    revenue = round(float(rng.uniform(40, 160)), 1) * 1000
    margin = int(rng.integers(30, 66))
    media = round(float(rng.uniform(8, 30)), 1) * 1000
    fee = int(rng.integers(2, 9)) * 1000
    cost = media + fee
    profit = revenue * margin / 100
    lift = _dataset("lift_test")
    days = sorted(lift["date"].unique())
    start = int(rng.integers(len(days) - 7))
    window = lift[lift["date"].isin(days[start : start + 7])]
    shown = window[["date", "group", "users", "conversions"]].reset_index(drop=True)
    totals = shown.groupby("group")[["users", "conversions"]].sum()
    test, control = totals.loc["test"], totals.loc["control"]
    incremental = kpis.incremental_conversions(
        test["conversions"], test["users"], control["conversions"], control["users"]
    )
    parts = (
        value_part(
            "roi_profit_pct",
            2,
            "The campaign's ROI on profit, in percent.",
            100 * kpis.roi_on_profit(profit, cost),
            unit="percent",
            wrong=[
                (
                    100 * kpis.roi_on_revenue(revenue, cost),
                    "That is ROI on revenue; use the gross profit the sales earned.",
                ),
                (
                    100 * kpis.roi_on_profit(profit, media),
                    "The agency fee is part of what the campaign cost.",
                ),
            ],
        ),
        value_part(
            "incremental_conversions",
            3,
            "The conversions the ads caused in the test group over these seven days.",
            incremental,
            rtol=0.01,
            wrong=[
                (
                    test["conversions"] - control["conversions"],
                    "The groups differ in size: compare conversion rates, not counts.",
                ),
                (
                    test["conversions"],
                    "Not every conversion in the test group was "
                    "caused by the ads; the holdout shows what would have happened "
                    "anyway.",
                ),
            ],
        ),
    )
    return Section(
        "value",
        "6",
        "What the campaign was worth",
        "A campaign's results in GBP are in `campaign`: the revenue the sales "
        "attributed to it, the gross margin on those sales, the media spend and the "
        "agency's fee. Separately, a conversion-lift test randomly held users out of "
        "the ads; `lift` has seven days of it (`test` saw the ads, `control` did "
        "not).",
        f"campaign = {{'revenue': {revenue:.0f}, 'gross_margin_pct': {margin}, "
        f"'media_spend': {media:.0f}, 'agency_fee': {fee}}}\n\n"
        + frame_code("lift", shown),
        parts,
    )


BUILDERS: dict[str, Callable[[np.random.Generator], Section]] = {
    "engagement": engagement,
    "audiences": audiences,
    "ab_test": ab_test,
    "service": service,
    "crisis": crisis,
    "paid": paid,
    "value": value,
}
