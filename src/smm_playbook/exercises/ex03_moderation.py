"""Exercise 3 — Community management: measure the inbox, triage it, staff it, reply.

Setup cell of the notebook:  from smm_playbook.exercises.ex03_moderation import *
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from smm_playbook import data, kpis
from smm_playbook.checks import (
    ChoiceQuestion,
    Criterion,
    Forbidden,
    FrameQuestion,
    Incorrect,
    Misconception,
    MultipartQuestion,
    NotAttempted,
    Question,
    TextQuestion,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.checks.calling import call_on_each, check_callable
from smm_playbook.checks.values import safe_repr
from smm_playbook.datagen.comments import TRIAGE_FIELDS
from smm_playbook.sim.moderation_queue import SLA_MINUTES, agents_needed

ACTIONS = ("approve", "respond", "hide", "delete", "escalate")
NEEDS_RESPONSE = ("respond", "escalate")
MUST_ESCALATE = ("safety", "legal")  # missing one of these fails, whatever the score
TRIAGE_PASS = 0.85  # share of unseen items routed to the labelled action
HIDDEN_SEED = 20_260_303  # the unseen comments: same generator, another seed
CHINA_PLATFORMS = ("WeChat", "Weibo", "Douyin", "Xiaohongshu", "Bilibili")
EVENING_PEAK = {"per_hour": 120, "handling_minutes": 4.0, "target_minutes": 10.0}


@cache
def _comments() -> pd.DataFrame:
    return data.load("comments")


def _needing(china_only: bool = True) -> pd.DataFrame:
    """China-team items that need a response, with minutes to the first (NaN: never).

    The reading measures the whole inbox; the exercise asks for the China team's
    share of it, so the learner adapts the method rather than copying a number.
    """
    frame = _comments()
    frame = frame[frame["action"].isin(NEEDS_RESPONSE)]
    if china_only:
        frame = frame[frame["platform"].isin(CHINA_PLATFORMS)]
    created = pd.to_datetime(frame["created_at"], utc=True)
    answered = pd.to_datetime(frame["first_response_at"], utc=True)
    return frame.assign(minutes=(answered - created).dt.total_seconds() / 60)


_WHOLE_INBOX = (
    "That is the whole inbox. The question is about the China team: keep only "
    "the rows whose platform is in `CHINA_PLATFORMS`."
)


class ResponseRate(ValueQuestion):
    title = "Response rate (dataset)"
    var = "response_rate"
    unit = "fraction"
    rtol = 1e-3

    @staticmethod
    def expected() -> float:
        needing = _needing()
        return float(kpis.response_rate(needing["minutes"].notna().sum(), len(needing)))

    misconceptions = (
        Misconception(
            lambda: float(
                _needing()["minutes"].notna().sum()
                / _comments()["platform"].isin(CHINA_PLATFORMS).sum()
            ),
            "You divided by every message. Praise to approve, spam to delete and "
            "chatter to hide need no reply: divide by the messages whose action is "
            "respond or escalate.",
        ),
        Misconception(
            lambda: float(_needing(china_only=False)["minutes"].notna().mean()),
            _WHOLE_INBOX,
        ),
    )
    hints = (
        "Keep the rows on `CHINA_PLATFORMS` whose `action` is 'respond' or 'escalate'.",
        "Answered means `first_response_at` is not blank: `.notna()`.",
    )


def _minutes(china_only: bool = True) -> pd.Series:
    return _needing(china_only)["minutes"].dropna()


class MedianResponse(ValueQuestion):
    title = "median"
    var = "median_minutes"
    rtol = 2e-3
    expected = staticmethod(lambda: float(_minutes().median()))
    misconceptions = (
        Misconception(
            lambda: float(_minutes().mean()),
            "That is the mean. A few very slow replies pull the mean far above the "
            "typical wait; the question asks for the median.",
        ),
        Misconception(
            lambda: float(_minutes().median() / 60), "That is in hours; give minutes."
        ),
        Misconception(lambda: float(_minutes(china_only=False).median()), _WHOLE_INBOX),
    )
    hints = ("`.median()` skips the blanks (never answered).",)


class P90Response(ValueQuestion):
    title = "90th percentile"
    var = "p90_minutes"
    rtol = 2e-3
    expected = staticmethod(lambda: float(_minutes().quantile(0.9)))
    misconceptions = (
        Misconception(
            lambda: float(_minutes().quantile(0.9) / 60),
            "That is in hours; give minutes.",
        ),
        Misconception(
            lambda: float(_minutes(china_only=False).quantile(0.9)), _WHOLE_INBOX
        ),
    )
    hints = ("`.quantile(0.9)` is the time within which 90% were answered.",)


class ResponseTimes(MultipartQuestion):
    title = "Median and p90 time to first response, in minutes (dataset)"
    parts = (MedianResponse, P90Response)
    hints = (
        "Parse both columns with `pd.to_datetime(..., utc=True)`: the export mixes "
        "+00:00 and +08:00 offsets.",
        "Subtract, then `.dt.total_seconds() / 60`; `.median()` and `.quantile(0.9)` "
        "skip the blanks (never answered).",
    )


def _attainment(
    unanswered_count: bool = True, sla: dict | None = None, china_only: bool = True
) -> pd.DataFrame:
    needing = _needing(china_only)
    if not unanswered_count:
        needing = needing.dropna(subset=["minutes"])
    limit = needing["tier"].map(sla or SLA_MINUTES)
    met = needing["minutes"] <= limit  # NaN (never answered) compares False
    return met.groupby(needing["tier"]).mean().rename("sla_attainment").reset_index()


class SlaByTier(FrameQuestion):
    title = "SLA attainment per tier (dataset)"
    var = "sla_by_tier"
    key = ("tier",)
    expected = staticmethod(_attainment)
    misconceptions = (
        Misconception(
            lambda: _attainment(unanswered_count=False),
            "You left out the messages that were never answered. A message nobody "
            "answered missed its SLA: count it as missed.",
        ),
        Misconception(
            lambda: _attainment(sla=dict.fromkeys(SLA_MINUTES, SLA_MINUTES[1])),
            "You used the 4-hour target for every tier. Tier 2 must be escalated "
            "within 30 minutes and tier 3 within 15: use `SLA_MINUTES[tier]`.",
        ),
        Misconception(lambda: _attainment(china_only=False), _WHOLE_INBOX),
    )
    hints = (
        "`SLA_MINUTES` maps each tier to its target in minutes.",
        "Met = minutes ≤ the tier's target; a blank (never answered) is not met. "
        "Group by tier and take the mean.",
    )


@cache
def _unseen() -> pd.DataFrame:
    return data.generate("comments", HIDDEN_SEED)


class Triage(Question):
    """Graded on comments the learner has not seen, by accuracy and by safety."""

    title = "A triage function, graded on comments you have not seen"
    var = "triage"
    hints = (
        "Study `comments` grouped by `kind`: which words, follower counts and like "
        "counts go with each action? Cover both English and Chinese.",
        "Check safety and legal words first (and return 'escalate'), then journalists "
        "and 100K+ authors, then complaints with a trigger, then spam, abuse, "
        "off-topic; praise is the default.",
        f"Run `triage` over `comments` and compare with `comments['action']`: "
        f"you need {TRIAGE_PASS:.0%} right and every safety and legal item escalated.",
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        function = check_callable(values[self.var], self.var)
        unseen = _unseen()
        items = unseen[list(TRIAGE_FIELDS)].to_dict("records")
        routed = [
            _as_action(a, i)
            for a, i in zip(
                call_on_each(function, self.var, [(i,) for i in items]),
                items,
                strict=True,
            )
        ]
        unseen = unseen.assign(routed=routed)
        wrong = unseen[unseen["routed"] != unseen["action"]]
        missed = wrong[wrong["kind"].isin(MUST_ESCALATE)]
        if len(missed):
            example = missed.iloc[0]
            raise Incorrect(
                f"{len(missed)} of {unseen['kind'].isin(MUST_ESCALATE).sum()} safety "
                f"and legal items were not escalated, for example "
                f"{safe_repr(example['text'])} (you returned "
                f"{example['routed']!r}). These must always be escalated."
                + _misrouted(wrong)
            )
        accuracy = 1 - len(wrong) / len(unseen)
        if accuracy < TRIAGE_PASS:
            raise Incorrect(
                f"{accuracy:.1%} of {len(unseen):,} unseen items were routed to the "
                f"right action; {TRIAGE_PASS:.0%} is needed." + _misrouted(wrong)
            )
        return (
            f"{accuracy:.1%} of {len(unseen):,} unseen items routed correctly, and "
            "every safety and legal item escalated." + _misrouted(wrong)
        )


def _as_action(value: Any, item: dict) -> str:
    if isinstance(value, str) and value.strip().lower() in ACTIONS:
        return value.strip().lower()
    raise Incorrect(
        f"`triage` returned {safe_repr(value)} for {safe_repr(item['text'])}; "
        f"return one of {', '.join(repr(a) for a in ACTIONS)}."
    )


def _misrouted(wrong: pd.DataFrame) -> str:
    """Which kinds went wrong, and where they went, worst first."""
    if wrong.empty:
        return ""
    parts = []
    for kind, group in sorted(wrong.groupby("kind"), key=lambda kg: -len(kg[1])):
        top, count = Counter(group["routed"]).most_common(1)[0]
        parts.append(f"{kind} {len(group)} (mostly sent to {top!r}, {count})")
    return " Misrouted: " + "; ".join(parts[:6]) + "."


def try_triage(function: Any) -> pd.DataFrame | None:
    """Your triage on the comments you can see: the share right for each kind."""
    try:
        check_callable(function, "triage")
    except (Incorrect, NotAttempted):
        print("Write `triage` in the cell above first, then run this cell again.")
        return None
    visible = _comments()
    items = visible[list(TRIAGE_FIELDS)].to_dict("records")
    routed = pd.Series(call_on_each(function, "triage", [(i,) for i in items]))
    right = routed.to_numpy() == visible["action"].to_numpy()
    print(f"{right.mean():.1%} of {len(visible):,} visible comments routed right.")
    table = visible.assign(right=right).groupby("kind")["right"].agg(["size", "mean"])
    return table.rename(columns={"size": "items", "mean": "share_right"})


class CriticismAction(ChoiceQuestion):
    title = "What to do with harsh criticism"
    var = "criticism_action"
    options = {
        "a": "Delete it: it hurts the campaign post.",
        "b": "Hide it, so only the author and their friends see it.",
        "c": "Treat it as a tier-2 complaint: reply publicly to acknowledge and "
        "apologise within 30 minutes, then move to a private message to replace the "
        "tea.",
        "d": "Leave it: replying draws attention to it.",
    }
    correct = "c"
    why = {
        "a": "Deleting fair criticism is censorship in the eyes of everyone who saw "
        "it, and it often comes back as a screenshot. Delete spam, hate and doxxing, "
        "not complaints.",
        "b": "Hiding is for off-topic chatter and mild profanity. Hiding a legitimate "
        "complaint is deletion by another name.",
        "c": "A complaint with 5 or more likes is a tier-2 trigger: others are "
        "watching. Acknowledge publicly, solve privately.",
        "d": "An ignored complaint is one the audience sees answered by nobody; 1 in 3 "
        "customers switch to a competitor when ignored (Sprout, 2016).",
    }
    hints = ("Count the likes. What does the tier table say about 5 or more?",)


class PersonalDataAction(ChoiceQuestion):
    title = "A comment with the customer's own phone number in it"
    var = "personal_data_action"
    options = {
        "a": "Reply publicly with the order status and confirm the phone number so "
        "they know it is really them.",
        "b": "Hide the comment (it exposes their personal data), and send a private "
        "message: apologise, ask them to confirm details there, give the shipping "
        "update.",
        "c": "Delete the comment and block the account.",
        "d": "Escalate to tier 3.",
    }
    correct = "b"
    why = {
        "a": "Repeating personal data in public spreads it further; under PIPL and "
        "GDPR you should not process more personal data, or more publicly, than "
        "needed.",
        "b": "Protect the customer from their own post, then take the conversation "
        "private with a concrete next step.",
        "c": "The customer did nothing wrong; deleting and blocking a paying customer "
        "with a late order turns a service issue into a grievance.",
        "d": "A late order is not a safety, legal or press issue; it is tier-1 "
        "customer service.",
    }
    hints = ("What would you want done if you had posted your own phone number?",)


def _staff(measure: str = "response") -> int:
    return agents_needed(**EVENING_PEAK, goal=0.8, measure=measure)


class EveningStaff(ValueQuestion):
    title = "Moderators for the evening peak (Erlang C)"
    var = "evening_staff"
    rtol = 0.0
    atol = 0.0
    expected = staticmethod(_staff)
    misconceptions = (
        Misconception(
            lambda: int(np.ceil(120 / 60 * 4.0)),
            "That only covers the load (8 Erlangs): 8 moderators would be busy all "
            "the time and the line would never clear. Erlang C needs more people "
            "than the load.",
        ),
        Misconception(
            lambda: _staff("wait"),
            "That counts only the wait before a moderator picks a message up. This "
            "module's SLA runs to the first action: wait plus handling.",
        ),
    )
    hints = (
        "`agents_needed(per_hour, handling_minutes, target_minutes, goal)`.",
        "120 an hour, 4 minutes each, 80% within 10 minutes of arrival.",
    )


COMPLAINT = (
    "@TeaBrand my order #48213 came with the tin crushed and tea all over the box. "
    "Third order, first time this bad. Call me on 07700 900123, I want this fixed!"
)
PERSONAL_DATA = tuple(
    (
        pattern,
        f"Your public reply repeats {what}. Personal data belongs in the private "
        "conversation, never in a public reply.",
    )
    for pattern, what in (
        (r"48213", "the order number"),
        (r"07700|900123", "the phone number"),
        (r"[\w.+-]+@[\w-]+\.[\w.]+", "an email address"),
    )
)


# What Module 3 calls the classic failures: denial, blame, details asked in public.
REPLY_FORBIDDEN = (
    Forbidden(
        r"(your|the courier'?s?|the delivery (company|firm)'?s?|royal mail'?s?) "
        r"fault|not our fault|nothing to do with us|can'?t be (us|our)|"
        r"(our|every|all (our )?) ?(products?|tins?|orders?|parcels?) (are|is) "
        r"(strictly |carefully |always )?(tested|checked|inspected|packed perfectly)|"
        r"不可能有问题|不是我们的问题|快递的问题|严格检测|都是合格",
        "It denies the problem or blames someone else: the reflexive denial Module 3 "
        "warns about. Acknowledge what went wrong, in their terms.",
    ),
    Forbidden(
        r"(post|share|reply with|write|leave|comment) (your |the )?(order number|"
        r"phone( number)?|address|email)[^.]{0,20}(here|below|in the comments|"
        r"publicly)|(在|到)评论区(留|发|写)",
        "It asks for personal data in public. Move the details to a DM, and never "
        "ask anyone to post them in the comments.",
        negatable=True,
    ),
)


class ComplaintReply(TextQuestion):
    title = "Reply in public to a complaint"
    var = "complaint_reply"
    min_words = 20
    max_words = 90
    forbidden = PERSONAL_DATA + REPLY_FORBIDDEN
    rubric = (
        Criterion(
            "acknowledges",
            (
                r"crushed",
                r"damaged",
                r"dented",
                r"\btin\b",
                r"spill",
                r"not the (experience|way)",
                r"that('s| is) not (good|ok|acceptable|right)",
                r"压",
                r"破损",
                r"撒",
                r"洒",
                r"铁罐",
                r"罐子",
            ),
            "Acknowledge what went wrong, in their terms (the crushed tin, the spilt "
            "tea).",
        ),
        Criterion(
            "apologises",
            (r"sorry", r"apolog", r"抱歉", r"对不起", r"歉意"),
            "Apologise: the parcel arrived damaged, so an apology is due.",
        ),
        Criterion(
            "private channel",
            (
                r"\bdm\b",
                r"direct message",
                r"private(ly| message)",
                r"inbox",
                r"message(d)? you",
                r"私信",
                r"私聊",
                r"站内信",
                r"后台",
            ),
            "Move the details to a private channel (a DM or private message).",
        ),
        Criterion(
            "next step",
            (
                r"replace",
                r"refund",
                r"new tin",
                r"send you",
                r"within \d+",
                r"today",
                r"tomorrow",
                r"补发",
                r"退款",
                r"换",
                r"重新(寄|发)",
                r"今天",
                r"明天",
                r"小时内",
            ),
            "Say what happens next and when (a replacement, a refund, by when).",
        ),
    )
    hints = (
        "Four parts: acknowledge, apologise, take it private, give the next step.",
        "Never repeat the order number or phone number in public.",
    )


QUESTIONS = [
    ResponseRate,
    ResponseTimes,
    SlaByTier,
    Triage,
    CriticismAction,
    PersonalDataAction,
    EveningStaff,
    ComplaintReply,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex03_moderation")
__all__ += [
    "load",
    "pd",
    "agents_needed",
    "SLA_MINUTES",
    "ACTIONS",
    "TRIAGE_FIELDS",
    "COMPLAINT",
    "EVENING_PEAK",
    "CHINA_PLATFORMS",
    "try_triage",
]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex03_moderation.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class HouseRules(WorkProductQuestion):
    title = "Work product: a house-rules page and reply templates"
    var = "house_rules"
    rubric_file = "ex03_moderation"
    agree = (
        Agreement(
            "p90_minutes",
            "reply time you promise",
            r"within|内|reply in",
            compare="promise",
            section="replies",
        ),
    )
    hints = (
        "Write the rules for a member, not for a lawyer: short, plain, with what is "
        "welcome as well as what is not.",
        "Promise a reply time your own data show the team keeps: look at your p90 "
        "from question 2, not the median.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work house_rules` "
        "cell of `solutions/ex03_moderation.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex03_moderation")`).'
    )


__all__ += bind_work_product(globals(), HouseRules, "ex03_moderation")
