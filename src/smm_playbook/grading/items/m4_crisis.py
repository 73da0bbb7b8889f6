"""Module 4, crisis: SCCT cluster and response posture."""

from __future__ import annotations

import numpy as np

from smm_playbook.grading.items.framework import Section, choice_part
from smm_playbook.sim.rumour_spread import recommended_posture

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
