"""Every formula the course teaches, as small vectorised functions.

Each function accepts plain numbers, numpy arrays or pandas Series (the result has
the same shape, and a Series keeps its index). Rates are returned as FRACTIONS:
0.03 means 3 %. Impossible inputs (negative counts, a zero denominator, text) raise
an error that says what was wrong.

Where the industry uses several definitions for one name, there is one function per
variant and the docstring says who reports which.
"""

from __future__ import annotations

import numpy as np

from smm_playbook._validate import (
    ArrayLike,
    as_numeric,
    fraction,
    non_negative,
    positive,
)


def _ratio(num: ArrayLike, den: ArrayLike, num_name: str, den_name: str) -> ArrayLike:
    num = non_negative(num, num_name)
    den = positive(den, den_name)
    return num / den


# --- Exposure and engagement -------------------------------------------------


def frequency(impressions: ArrayLike, reach: ArrayLike) -> ArrayLike:
    """Average frequency = impressions ÷ reach (times each reached account saw it).

    Meta reports frequency as an estimated, sampled average.
    """
    return _ratio(impressions, reach, "impressions", "reach")


def engagement_rate_by_reach(engagements: ArrayLike, reach: ArrayLike) -> ArrayLike:
    """Engagement rate by reach (ERR) = engagements ÷ reach.

    The usual choice for organic posts in third-party tools: of the people who saw
    the post, what share interacted.
    """
    return _ratio(engagements, reach, "engagements", "reach")


def engagement_rate_by_impressions(
    engagements: ArrayLike, impressions: ArrayLike
) -> ArrayLike:
    """Engagement rate by impressions = engagements ÷ impressions.

    What X (Twitter) and LinkedIn Page analytics report natively. Impressions are
    counted differently per platform (LinkedIn: ≥50 % on screen for 300 ms), so
    compare this rate only within one platform.
    """
    return _ratio(engagements, impressions, "engagements", "impressions")


def engagement_rate_by_followers(
    engagements: ArrayLike, followers: ArrayLike
) -> ArrayLike:
    """Engagement rate by followers = engagements ÷ followers at the time of posting.

    Common in influencer vetting; it ignores how many followers actually saw the post.
    """
    return _ratio(engagements, followers, "engagements", "followers")


def engagement_rate_per_post(
    engagements: ArrayLike, followers: ArrayLike, posts: ArrayLike
) -> ArrayLike:
    """Average engagement rate per post = engagements ÷ (followers × posts).

    Normalises a period's total engagements for how often the account posted.
    """
    non_negative(engagements, "engagements")
    return engagements / (positive(followers, "followers") * positive(posts, "posts"))


def follower_growth_rate(
    gained: ArrayLike, lost: ArrayLike, followers_at_start: ArrayLike
) -> ArrayLike:
    """Follower growth rate = (followers gained − followers lost) ÷ followers at start.

    Negative when the account shrank over the period.
    """
    gained = non_negative(gained, "gained")
    lost = non_negative(lost, "lost")
    return (gained - lost) / positive(followers_at_start, "followers_at_start")


# --- Kaushik's per-post metrics ---------------------------------------------


def conversation_rate(comments: ArrayLike, posts: ArrayLike) -> ArrayLike:
    """Conversation rate (Kaushik) = comments or replies ÷ number of posts.

    Not to be confused with conversion rate (see `cvr`).
    """
    return _ratio(comments, posts, "comments", "posts")


def amplification_rate(shares: ArrayLike, posts: ArrayLike) -> ArrayLike:
    """Amplification rate (Kaushik) = shares, reposts or retweets ÷ number of posts."""
    return _ratio(shares, posts, "shares", "posts")


def applause_rate(likes: ArrayLike, posts: ArrayLike) -> ArrayLike:
    """Applause rate (Kaushik) = likes or favourites ÷ number of posts."""
    return _ratio(likes, posts, "likes", "posts")


def response_rate(answered: ArrayLike, needing_response: ArrayLike) -> ArrayLike:
    """Response rate = messages answered ÷ messages that needed a response.

    The denominator is not every inbound message: praise to approve, spam to
    delete and off-topic chatter to hide need no reply. Sprout Social found
    about 4 in 10 inbound messages need one.
    """
    return _ratio(answered, needing_response, "answered", "needing_response")


# --- Paid media ---------------------------------------------------------------


def ctr(clicks: ArrayLike, impressions: ArrayLike) -> ArrayLike:
    """Click-through rate = clicks ÷ impressions."""
    return _ratio(clicks, impressions, "clicks", "impressions")


def cvr(conversions: ArrayLike, clicks: ArrayLike) -> ArrayLike:
    """Conversion rate = conversions ÷ clicks."""
    return _ratio(conversions, clicks, "conversions", "clicks")


def cpm(spend: ArrayLike, impressions: ArrayLike) -> ArrayLike:
    """Cost per mille = spend ÷ impressions × 1000 (cost of 1,000 impressions)."""
    return _ratio(spend, impressions, "spend", "impressions") * 1000


def cpc(spend: ArrayLike, clicks: ArrayLike) -> ArrayLike:
    """Cost per click = spend ÷ clicks. Equals CPM ÷ (1000 × CTR)."""
    return _ratio(spend, clicks, "spend", "clicks")


def cpa(spend: ArrayLike, conversions: ArrayLike) -> ArrayLike:
    """Cost per action (acquisition) = spend ÷ conversions. Equals CPC ÷ CVR.

    Meta's "cost per result" is the same ratio with the campaign's chosen result.
    """
    return _ratio(spend, conversions, "spend", "conversions")


def roas(revenue: ArrayLike, spend: ArrayLike) -> ArrayLike:
    """Return on ad spend = attributed revenue ÷ ad spend (4.0 means 4 : 1)."""
    return _ratio(revenue, spend, "revenue", "spend")


# --- Return on investment and value -------------------------------------------


def roi_on_profit(gross_profit: ArrayLike, spend: ArrayLike) -> ArrayLike:
    """Marketing ROI on profit = (gross profit − spend) ÷ spend. The form to report.

    Gross profit is revenue × gross margin. Negative when the campaign lost money.
    """
    gross_profit = non_negative(gross_profit, "gross_profit")
    return (gross_profit - positive(spend, "spend")) / spend


def roi_on_revenue(revenue: ArrayLike, spend: ArrayLike) -> ArrayLike:
    """ROI on revenue = (revenue − spend) ÷ spend. Common but misleading.

    It treats every unit of revenue as profit, so it overstates the return whenever
    the gross margin is below 100 %. Prefer `roi_on_profit`.
    """
    revenue = non_negative(revenue, "revenue")
    return (revenue - positive(spend, "spend")) / spend


def clv(
    average_order_value: ArrayLike,
    purchases_per_year: ArrayLike,
    lifespan_years: ArrayLike,
    gross_margin: ArrayLike,
) -> ArrayLike:
    """Customer lifetime value (simple form) = AOV × purchases/year × years × margin.

    Example: 60 × 6 × 3 × 0.40 = 432. `gross_margin` is a fraction (40 % → 0.4).
    """
    aov = non_negative(average_order_value, "average_order_value")
    per_year = non_negative(purchases_per_year, "purchases_per_year")
    years = non_negative(lifespan_years, "lifespan_years")
    return aov * per_year * years * fraction(gross_margin, "gross_margin")


def clv_from_churn(margin_per_period: ArrayLike, churn_rate: ArrayLike) -> ArrayLike:
    """Customer lifetime value (churn form) = margin per period ÷ churn rate per period.

    With churn c, a customer stays 1/c periods on average. No discounting.
    """
    margin = non_negative(margin_per_period, "margin_per_period")
    return margin / positive(fraction(churn_rate, "churn_rate"), "churn_rate")


# --- Listening -------------------------------------------------------------------


def share_of_voice(
    brand_mentions: ArrayLike, competitor_mentions: ArrayLike
) -> ArrayLike:
    """Share of voice = brand mentions ÷ (brand + competitor mentions)."""
    brand = non_negative(brand_mentions, "brand_mentions")
    total = brand + non_negative(competitor_mentions, "competitor_mentions")
    return brand / positive(total, "brand_mentions + competitor_mentions")


def net_sentiment(
    positive_: ArrayLike, negative: ArrayLike, neutral: ArrayLike
) -> ArrayLike:
    """Net sentiment over all mentions = (positive − negative) ÷ all mentions.

    Neutral mentions count in the denominator. 80 positive, 20 negative and 100
    neutral give +0.30 (often written +30). Range −1 … +1.
    """
    pos = non_negative(positive_, "positive")
    neg = non_negative(negative, "negative")
    total = pos + neg + non_negative(neutral, "neutral")
    return (pos - neg) / positive(total, "all mentions")


def net_sentiment_polarity(positive_: ArrayLike, negative: ArrayLike) -> ArrayLike:
    """Net sentiment, polarity form = (positive − negative) ÷ (positive + negative).

    Neutral mentions are left out, so it swings further than `net_sentiment`:
    80 positive and 20 negative give +0.60 whatever the neutrals.
    """
    pos = non_negative(positive_, "positive")
    neg = non_negative(negative, "negative")
    return (pos - neg) / positive(pos + neg, "positive + negative")


# --- Incrementality --------------------------------------------------------------


def lift(treatment_rate: ArrayLike, control_rate: ArrayLike) -> ArrayLike:
    """Relative lift = (treatment rate − control rate) ÷ control rate."""
    treated = non_negative(treatment_rate, "treatment_rate")
    return (treated - positive(control_rate, "control_rate")) / control_rate


def incremental_conversions(
    treatment_conversions: ArrayLike,
    treatment_size: ArrayLike,
    control_conversions: ArrayLike,
    control_size: ArrayLike,
) -> ArrayLike:
    """Ad-caused conversions = treatment conversions − control rate × treatment size.

    The control (holdout) group's conversion rate estimates what the treated group
    would have done anyway.
    """
    conv_t = non_negative(treatment_conversions, "treatment_conversions")
    size_t = positive(treatment_size, "treatment_size")
    baseline = _ratio(
        control_conversions, control_size, "control_conversions", "control_size"
    )
    return conv_t - baseline * size_t


def iroas(incremental_revenue: ArrayLike, spend: ArrayLike) -> ArrayLike:
    """Incremental ROAS = incremental revenue ÷ spend (revenue the ads caused)."""
    # Incremental revenue may be negative (the ads can hurt), so only type-check it.
    revenue = as_numeric(incremental_revenue, "incremental_revenue")
    return revenue / positive(spend, "spend")


# --- Uncertainty of a lift test ------------------------------------------------


def _z(confidence: float) -> float:
    from scipy.stats import norm  # imported here: kpis stays light to import

    if not 0 < confidence < 1:
        raise ValueError("confidence is a share between 0 and 1 (95% is 0.95).")
    return float(norm.ppf(0.5 + confidence / 2))


def lift_interval(
    treatment_conversions: float,
    treatment_size: float,
    control_conversions: float,
    control_size: float,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Confidence interval for the relative lift, (low, high) as fractions.

    On the log of the ratio of the two conversion rates (the delta method):
    log(p_t ÷ p_c) ± z × √((1 − p_t) ÷ x_t + (1 − p_c) ÷ x_c), where x are the
    groups' conversions; then back to a lift, exp(·) − 1. Each group must have at
    least one conversion.
    """
    x_t = float(positive(treatment_conversions, "treatment_conversions"))
    x_c = float(positive(control_conversions, "control_conversions"))
    p_t = x_t / float(positive(treatment_size, "treatment_size"))
    p_c = x_c / float(positive(control_size, "control_size"))
    se = ((1 - p_t) / x_t + (1 - p_c) / x_c) ** 0.5
    centre, half = float(np.log(p_t / p_c)), _z(confidence) * se
    return float(np.exp(centre - half) - 1), float(np.exp(centre + half) - 1)


def incremental_conversions_interval(
    treatment_conversions: float,
    treatment_size: float,
    control_conversions: float,
    control_size: float,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Confidence interval for the ad-caused conversions in the treatment group:
    treatment size × (p_t − p_c) ± z × treatment size × the standard error of the
    difference of two proportions."""
    n_t = float(positive(treatment_size, "treatment_size"))
    n_c = float(positive(control_size, "control_size"))
    p_t = float(non_negative(treatment_conversions, "treatment_conversions")) / n_t
    p_c = float(non_negative(control_conversions, "control_conversions")) / n_c
    se = (p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c) ** 0.5
    half = _z(confidence) * se * n_t
    return n_t * (p_t - p_c) - half, n_t * (p_t - p_c) + half


def iroas_interval(
    treatment_conversions: float,
    treatment_size: float,
    control_conversions: float,
    control_size: float,
    revenue_per_conversion: float,
    spend: float,
    confidence: float = 0.95,
) -> tuple[float, float]:
    """Confidence interval for iROAS: the interval of incremental conversions ×
    revenue per conversion ÷ spend. Treats the order value as known, so the
    interval is a little too narrow when order values vary a lot."""
    low, high = incremental_conversions_interval(
        treatment_conversions,
        treatment_size,
        control_conversions,
        control_size,
        confidence,
    )
    value = float(positive(revenue_per_conversion, "revenue_per_conversion"))
    cost = float(positive(spend, "spend"))
    return low * value / cost, high * value / cost


# --- Live commerce -----------------------------------------------------------------


def break_even_gmv_roas(
    refund_rate: ArrayLike, gross_margin: ArrayLike, cuts: ArrayLike
) -> ArrayLike:
    """The GMV ÷ ad spend at which a live-commerce session breaks even.

    Qianchuan and Taobao/Tmall report GMV ÷ spend as "ROI"; it is a ROAS on gross
    orders. Profit = GMV × (1 − refund rate) × (gross margin − cuts) − spend, where
    `cuts` is the host's commission plus the platform's fees as a share of net
    sales, so break-even is 1 ÷ ((1 − refund rate) × (gross margin − cuts)).
    """
    kept = 1 - fraction(refund_rate, "refund_rate")
    left = fraction(gross_margin, "gross_margin") - fraction(cuts, "cuts")
    if np.any(np.asarray(left) <= 0):
        raise ValueError(
            "The host's and platform's cuts take the whole margin: no GMV ÷ spend "
            "breaks even."
        )
    return 1 / (positive(kept, "1 − refund_rate") * left)
