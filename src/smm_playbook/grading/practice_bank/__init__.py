"""The practice bank: one published template per module, for learners.

Its papers are built with a secret printed in the package (`exam.PRACTICE_SECRET`)
and its model answers are printed in the book, on purpose: learners grade
themselves as often as they like. None of its templates or answer names is in
the certification bank, so what a learner practises here answers nothing on a
certification paper.

`MODEL_ANSWERS` is the pandas a competent candidate writes for each part.
Judgement parts (the crisis letters) have none: the key is stated.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from smm_playbook.grading.items.framework import Section, Template
from smm_playbook.grading.practice_bank.m0_engagement import engagement
from smm_playbook.grading.practice_bank.m1_audiences import audiences
from smm_playbook.grading.practice_bank.m2_ab_test import ab_test
from smm_playbook.grading.practice_bank.m3_service import service
from smm_playbook.grading.practice_bank.m4_crisis import crisis
from smm_playbook.grading.practice_bank.m5_paid import paid
from smm_playbook.grading.practice_bank.m6_value import value
from smm_playbook.grading.practice_bank.m7_creators import creators
from smm_playbook.grading.practice_bank.m8_listening import listening

LETTERS = "abcdefghijklmnopqrstuvwxyz"

MODEL_ANSWERS = {
    "er_reach_pct": (
        "engagements = posts[['likes', 'comments', 'shares', 'saves']].sum(axis=1)\n"
        "er_reach_pct = engagements.sum() / posts['reach'].sum() * 100"
    ),
    "top_post": (
        "rates = engagements / posts['reach']\n"
        f"top_post = '{LETTERS}'[int(rates.to_numpy().argmax())]"
    ),
    "best_platform": (
        "people = audience['population'] * audience['share']\n"
        "users = people.groupby(audience['platform']).sum()\n"
        f"best_platform = '{LETTERS}'[sorted(users.index).index(users.idxmax())]"
    ),
    "best_platform_users_m": "best_platform_users_m = users.max() / 1e6",
    "ctr_lift_pct": (
        "ctr = {variant: clicks[variant] / shown[variant] for variant in shown}\n"
        "ctr_lift_pct = (ctr['B'] / ctr['A'] - 1) * 100"
    ),
    "ab_verdict": (
        "from scipy import stats\n\n"
        "pooled = (clicks['A'] + clicks['B']) / (shown['A'] + shown['B'])\n"
        "se = (pooled * (1 - pooled) * (1 / shown['A'] + 1 / shown['B'])) ** 0.5\n"
        "p_value = 2 * stats.norm.sf(abs(ctr['B'] - ctr['A']) / se)\n"
        "if p_value >= 0.05:\n"
        "    ab_verdict = 'c'\n"
        "else:\n"
        "    ab_verdict = 'a' if ctr['B'] > ctr['A'] else 'b'"
    ),
    "response_rate_pct": (
        "needing = inbox[inbox['action'].isin(['respond', 'escalate'])]\n"
        "response_rate_pct = needing['first_response_at'].notna().mean() * 100"
    ),
    "median_response_minutes": (
        "answered = needing.dropna(subset=['first_response_at'])\n"
        "replied = pd.to_datetime(answered['first_response_at'], utc=True)\n"
        "posted = pd.to_datetime(answered['created_at'], utc=True)\n"
        "waits = replied - posted\n"
        "median_response_minutes = waits.dt.total_seconds().median() / 60"
    ),
    "cpm": "cpm = week['spend'].sum() / week['impressions'].sum() * 1000",
    "cpa": "cpa = week['spend'].sum() / week['conversions'].sum()",
    "roas": "roas = week['revenue'].sum() / week['spend'].sum()",
    "roi_profit_pct": (
        "cost = campaign['media_spend'] + campaign['agency_fee']\n"
        "profit = campaign['revenue'] * campaign['gross_margin_pct'] / 100\n"
        "roi_profit_pct = (profit - cost) / cost * 100"
    ),
    "incremental_conversions": (
        "groups = lift.groupby('group')[['users', 'conversions']].sum()\n"
        "control_rate = groups.loc['control', 'conversions'] / "
        "groups.loc['control', 'users']\n"
        "incremental_conversions = groups.loc['test', 'conversions'] - "
        "control_rate * groups.loc['test', 'users']"
    ),
    "creator_er_by_reach_pct": (
        "biggest = shortlist.loc[shortlist['followers'].idxmax()]\n"
        "creator_er_by_reach_pct = 100 * biggest['avg_engagements'] / "
        "biggest['avg_reach']"
    ),
    "cheapest_reach_creator": (
        "cost = 1000 * shortlist['price'] / shortlist['avg_reach']\n"
        f"cheapest_reach_creator = '{LETTERS}'[int(cost.to_numpy().argmin())]"
    ),
    "sample_query_recall_pct": (
        "genuine = sample[sample['relevant'] == 1]\n"
        "sample_query_recall_pct = 100 * genuine['matched'].mean()"
    ),
    "query_fix_first": (
        "precision = sample.loc[sample['matched'] == 1, 'relevant'].mean()\n"
        "recall = sample_query_recall_pct / 100\n"
        "query_fix_first = 'a' if recall < precision else 'b'"
    ),
}


def _with_models(build):
    """`build`, with each part's model answer attached from MODEL_ANSWERS."""

    def built(rng: np.random.Generator) -> Section:
        section = build(rng)
        parts = tuple(
            replace(part, model=MODEL_ANSWERS.get(part.var, ""))
            for part in section.parts
        )
        return replace(section, parts=parts)

    built.__name__ = build.__name__
    built.__doc__ = build.__doc__
    return built


TEMPLATES = (
    Template("engagement", "0", _with_models(engagement)),
    Template("audiences", "1", _with_models(audiences)),
    Template("ab_test", "2", _with_models(ab_test)),
    Template("service", "3", _with_models(service)),
    Template("crisis", "4", _with_models(crisis)),
    Template("paid", "5", _with_models(paid)),
    Template("value", "6", _with_models(value)),
    Template("creators", "7", _with_models(creators)),
    Template("listening", "8", _with_models(listening)),
)
