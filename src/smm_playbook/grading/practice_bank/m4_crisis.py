"""Module 4, crisis: SCCT cluster and response posture."""

from __future__ import annotations

import numpy as np

from smm_playbook.grading.items.framework import Section, choice_part, prose_of
from smm_playbook.sim.rumour_spread import recommended_posture

CLUSTERS = ["victim", "accidental", "preventable"]
POSTURES = ["base", "diminish", "rebuild"]  # the options' order; "deny" comes last


def crisis(rng: np.random.Generator) -> Section:
    text = prose_of(__name__)
    cluster_text, posture_text = (
        text["parts"][v] for v in ("crisis_cluster", "crisis_posture")
    )
    scenario = text["crises"][int(rng.integers(len(text["crises"])))]
    situation, cluster = scenario["situation"], scenario["cluster"]
    past = text["histories"][int(rng.integers(len(text["histories"])))]
    history, intensifiers = past["history"], past["intensifiers"]
    posture = recommended_posture(cluster, intensifiers)
    chosen = POSTURES.index(posture)
    deny = "deny_rumour" if scenario.get("false_rumour") else "deny"
    parts = (
        choice_part(
            "crisis_cluster",
            2,
            cluster_text["prompt"],
            CLUSTERS,
            CLUSTERS.index(cluster),
            {
                i: cluster_text["why"]["other_cluster"]
                for i in range(3)
                if CLUSTERS[i] != cluster
            },
        ),
        choice_part(
            "crisis_posture",
            2,
            posture_text["prompt"],
            list(posture_text["options"]),
            chosen,
            {3: posture_text["why"][deny]},
        ),
    )
    return Section(
        "crisis",
        "4",
        text["title"],
        f"{situation} {history}",
        "",
        parts,
    )
