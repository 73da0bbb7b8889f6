"""Written items: a public reply to a complaint (Module 3), a holding statement
(Module 4) and a "so what?" paragraph on the candidate's own ad data (Module 6),
each marked by a trainer against its rubric (`smm-playbook exam review`)."""

from __future__ import annotations

import numpy as np

from smm_playbook import kpis
from smm_playbook.grading.items.framework import (
    Section,
    Template,
    frame_code,
    prose_of,
    rubric_from,
    written_part,
)
from smm_playbook.grading.items.slices import ad_set_weeks
from smm_playbook.sim.rumour_spread import recommended_posture

TEXT = prose_of(__name__)


def holding_statement(rng: np.random.Generator) -> Section:
    text = TEXT["holding_statement"]
    scenario = text["scenarios"][int(rng.integers(len(text["scenarios"])))]
    past = text["histories"][int(rng.integers(len(text["histories"])))]
    hour = text["hours"][int(rng.integers(len(text["hours"])))]
    posture = recommended_posture(scenario["cluster"], past["intensifiers"])
    hours, minutes = (int(x) for x in hour.split(":"))
    next_update = f"{(hours + 2) % 24:02d}:{minutes:02d}"
    exemplar = text["exemplar"].format(
        platform=scenario["platform"],
        next_update=next_update,
        posture_note=text["posture_notes"][posture].strip(),
    )
    prompt = text["prompt"].format(
        situation=scenario["situation"].strip(),
        history=past["history"],
        hour=hour,
        platform=scenario["platform"],
    )
    part = written_part(
        "holding_statement",
        "Your holding statement and the note on its posture.",
        rubric_from(text["rubric"]),
        min_words=60,
        model=f"holding_statement = {exemplar!r}",
    )
    return Section("w4_holding_statement", "4", text["title"], prompt, "", (part,))


def so_what(rng: np.random.Generator) -> Section:
    text = TEXT["so_what"]
    ad_sets = ad_set_weeks()
    (platform, campaign, ad_set), runs, days = ad_sets[int(rng.integers(len(ad_sets)))]
    end = int(rng.integers(14, len(days) + 1))
    fortnight = runs[runs["date"].isin(days[end - 14 : end])].copy()
    fortnight["week"] = np.where(fortnight["date"].isin(days[end - 14 : end - 7]), 1, 2)
    columns = ["spend", "impressions", "clicks", "conversions", "revenue"]
    weeks = fortnight.groupby("week")[columns].sum().round(2).reset_index()
    before, after = (weeks.iloc[i] for i in (0, 1))
    rate = {
        w: 100 * kpis.ctr(int(row["clicks"]), int(row["impressions"]))
        for w, row in ((1, before), (2, after))
    }
    cpa = {
        w: row["spend"] / max(int(row["conversions"]), 1)
        for w, row in ((1, before), (2, after))
    }
    change = "fell" if cpa[2] < cpa[1] else "rose"  # the week's totals, not daily means
    exemplar = text["exemplar"].format(
        headline=f"The cost of a conversion {change} this week.",
        spend_before=before["spend"],
        spend_after=after["spend"],
        currency=runs["currency"].iloc[0],
        ctr_before=rate[1],
        ctr_after=rate[2],
        cpa_before=cpa[1],
        cpa_after=cpa[2],
        objective=runs["objective"].iloc[0].lower(),
    )
    prompt = text["prompt"].format(
        ad_set=ad_set,
        campaign=campaign,
        platform=platform,
        currency=runs["currency"].iloc[0],
        objective=runs["objective"].iloc[0].lower(),
    )
    part = written_part(
        "so_what_paragraph",
        "Your paragraph for the director.",
        rubric_from(text["rubric"]),
        min_words=60,
        model=f"so_what_paragraph = {exemplar!r}",
    )
    return Section(
        "w6_so_what", "6", text["title"], prompt, frame_code("weeks", weeks), (part,)
    )


def public_reply(rng: np.random.Generator) -> Section:
    text = TEXT["public_reply"]
    case = text["complaints"][int(rng.integers(len(text["complaints"])))]
    target = text["targets"][int(rng.integers(len(text["targets"])))]
    kind = "escalate" if case["escalate"] else "routine"
    exemplar = text["exemplar"].format(
        opening=text["openings"][kind],
        next_steps=text["next_steps"][kind]
        .format(reason=case.get("reason", ""))
        .strip(),
    )
    prompt = text["prompt"].format(
        platform=case["platform"],
        complaint=case["text"].strip(),
        likes=int(rng.integers(12, 400)),
        replies=int(rng.integers(2, 30)),
        target=target,
    )
    part = written_part(
        "public_reply",
        "Your public reply and what happens next.",
        rubric_from(text["rubric"]),
        min_words=60,
        model=f"public_reply = {exemplar!r}",
    )
    return Section("w3_public_reply", "3", text["title"], prompt, "", (part,))


TEMPLATES = (
    Template("w3_public_reply", "3", public_reply, written=True),
    Template("w4_holding_statement", "4", holding_statement, written=True),
    Template("w6_so_what", "6", so_what, written=True),
)
