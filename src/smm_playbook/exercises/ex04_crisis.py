"""Exercise 4 — Crisis: detect it, rate it, choose the posture, say the first words.

Setup cell of the notebook:  from smm_playbook.exercises.ex04_crisis import *
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from smm_playbook import data
from smm_playbook.checks import (
    ChoiceQuestion,
    Criterion,
    Incorrect,
    Misconception,
    Question,
    TextQuestion,
    ValueQuestion,
    bind_exercises,
)
from smm_playbook.checks.calling import call_on_each, check_callable
from smm_playbook.checks.values import safe_repr
from smm_playbook.datagen.mentions import STEP_MINUTES, STEPS, incident_series
from smm_playbook.sim.rumour_spread import delay_cost

HIDDEN_SEED = 20_250_611
UNSEEN = ("crisis",) * 5 + ("grumble",) * 4 + (None,) * 3
GOLDEN_HOUR_STEPS = 60 // STEP_MINUTES  # every crisis found within the hour
LATEST_STEPS = 180 // STEP_MINUTES  # every incident found within three hours


@cache
def _unseen() -> tuple[tuple[pd.DataFrame, int | None, str | None], ...]:
    """Twelve series the learner has not seen: crises, grumbles and quiet days."""
    rng = np.random.default_rng(HIDDEN_SEED)
    cases = []
    for kind in UNSEEN:
        onset = None if kind is None else int(rng.integers(STEPS // 3, STEPS - 200))
        frame, onset = incident_series(rng, onset, kind or "crisis")
        cases.append((frame, onset, kind))
    return tuple(cases)


class DetectOnset(Question):
    """Graded on unseen series by false alarms, misses and detection delay."""

    title = "An onset detector, graded on series you have not seen"
    var = "detect_onset"
    hints = (
        "Compare each step's mentions with a baseline of the steps before it, e.g. "
        "`series['mentions'].rolling(24).median().shift(1)` (the last two hours).",
        "A campaign post is loud but not negative: require a high `negative_share` "
        "too, and confirm with the next step before you alarm.",
        "Who is posting matters as much as how many: a negative post by an account "
        "with 100,000+ followers (`top_author_followers`) is an early warning.",
    )
    solution = (
        "See the solutions notebook: a volume rule (mentions above twice the last "
        "two hours' median plus 5, with negative share above 0.35) or a big-voice "
        "rule (a 100,000+ follower author while negative share is above 0.35), "
        "confirmed by a negative next step; return that step's timestamp."
    )

    def grade(self, values: dict[str, Any]) -> str | None:
        function = check_callable(values[self.var], self.var)
        cases = _unseen()
        answers = call_on_each(function, self.var, [(f.copy(),) for f, _, _ in cases])
        results = [
            _outcome(frame, onset, kind, answer)
            for (frame, onset, kind), answer in zip(cases, answers, strict=True)
        ]
        report = " ".join(line for _, line in results)
        false_alarms = [line for status, line in results if status == "false alarm"]
        if false_alarms:
            raise Incorrect(
                f"{len(false_alarms)} false alarm(s): your detector fired where there "
                f"was no incident yet. {report}"
            )
        missed = [line for status, line in results if status == "missed"]
        if missed:
            raise Incorrect(
                f"{len(missed)} incident(s) found late or not at all (the limit is "
                f"{LATEST_STEPS * STEP_MINUTES // 60} hours). {report}"
            )
        late = [
            status
            for (status, _), (_, _, kind) in zip(results, cases, strict=True)
            if kind == "crisis" and status > GOLDEN_HOUR_STEPS
        ]
        if late:
            raise Incorrect(
                f"No false alarms and every incident found, but {len(late)} of the "
                f"crises only after the golden hour. Volume alone rises slowly at "
                f"first: what else shows a story is about to take off? {report}"
            )
        delays = [status for status, _ in results if isinstance(status, int)]
        median = float(np.median(delays)) * STEP_MINUTES
        return f"Median delay {median:.0f} minutes, no false alarms. {report}"


def _outcome(frame, onset, kind, answer) -> tuple[str | int, str]:
    """('false alarm' | 'missed' | 'quiet' | delay in steps, a line for feedback)."""
    step = _as_step(frame, answer)
    name = {"crisis": "A crisis", "grumble": "A grumble", None: "A quiet series"}[kind]
    if onset is None:
        if step is None:
            return "quiet", f"{name}: no alarm (right)."
        return "false alarm", f"{name}: alarm at {frame['timestamp'][step]} (false)."
    if step is not None and step < onset:
        return "false alarm", f"{name}: alarm before it began (false)."
    if step is None or step - onset > LATEST_STEPS:
        return "missed", f"{name}: missed."
    delay = step - onset
    return delay, f"{name}: found after {delay * STEP_MINUTES} min."


def _as_step(frame: pd.DataFrame, answer: Any) -> int | None:
    """The learner may return a timestamp (text or Timestamp), a row number or None."""
    if answer is None:
        return None
    if isinstance(answer, (int, np.integer)) and not isinstance(answer, bool):
        if 0 <= answer < len(frame):
            return int(answer)
    else:
        try:
            wanted = pd.Timestamp(answer)
        except (ValueError, TypeError):
            wanted = None
        if wanted is not None:
            times = pd.to_datetime(frame["timestamp"])
            if wanted.tzinfo is None:
                times = times.dt.tz_localize(None)
            matches = np.flatnonzero(times == wanted)
            if matches.size:
                return int(matches[0])
    raise Incorrect(
        f"`detect_onset` returned {safe_repr(answer)}. Return a value of the "
        "series' `timestamp` column, a row number, or None for no alarm."
    )


class SeverityTiers(ValueQuestion):
    title = "Severity tiers from triggers"
    var = ("tier_a", "tier_b", "tier_c", "tier_d")
    rtol = 0.0
    atol = 0.0
    expected = {"tier_a": 2, "tier_b": 3, "tier_c": 4, "tier_d": 1}
    misconceptions = (
        Misconception(
            {"tier_d": 3},
            "(d) A 100,000+ follower account is a Tier 3 trigger when it raises a "
            "problem. Praise from a big account is approved, like any praise.",
        ),
        Misconception(
            {"tier_c": 3},
            "(c) A story on Hot Search, carried by a 1.2M-follower account and already "
            "with the press, meets the crisis threshold: it goes to the crisis team.",
        ),
        Misconception(
            {"tier_a": 1},
            "(a) Five or more likes make a complaint a Tier 2 item: others are "
            "watching it.",
        ),
    )
    hints = (
        "Module 3's matrix: Tier 2 for a complaint with 5+ likes, a 10K–100K author, "
        "a refund demand or a repeat complainer; Tier 3 for safety, legal, press or "
        "a 100K+ author raising a problem; Tier 4 when it is, or is about to be, a "
        "crisis.",
    )
    solution = "```python\ntier_a, tier_b, tier_c, tier_d = 2, 3, 4, 1\n```"


class RumourCluster(ChoiceQuestion):
    title = "Which SCCT cluster?"
    var = "rumour_cluster"
    options = {
        "a": "Victim: the brand is a victim of a rumour or tampering.",
        "b": "Accidental: a technical error the brand did not intend.",
        "c": "Preventable: the brand's own misdeed or human error.",
        "d": "Not a crisis, so SCCT does not apply.",
    }
    correct = "a"
    why = {
        "a": "A fabricated photo about a batch that does not exist is a rumour: "
        "attributed responsibility is minimal, as long as you can show the evidence.",
        "b": "Accidental crises are real failures nobody intended, such as a "
        "technical fault. Here there was no fault at all.",
        "c": "Nothing the brand did caused this; treating it as preventable would "
        "mean apologising for something that did not happen.",
        "d": "It is already spreading and people may stop buying: Altimeter's "
        "definition includes financial loss, and the rumour is heading there.",
    }
    hints = ("Who caused it, and did anything actually go wrong with the product?",)
    solution = "`rumour_cluster = 'a'`."


class PostPosture(ChoiceQuestion):
    title = "The posture for an offensive brand post"
    var = "post_posture"
    options = {
        "a": "Deny: say the account was hacked.",
        "b": "Diminish: explain that it was only a joke and no harm was meant.",
        "c": "Rebuild: apologise without excuses to the people offended, say what "
        "changes (approval of posts, training) and follow through.",
        "d": "Instructing and adjusting information only.",
    }
    correct = "c"
    why = {
        "a": "A false denial turns a preventable crisis into a lie as well: Dolce & "
        "Gabbana's 'we were hacked' in November 2018 was not believed.",
        "b": "An excuse shifts responsibility the public places firmly on the brand; "
        "with a crisis history it reads as not having learned.",
        "c": "A preventable crisis with crisis history calls for rebuild: apology "
        "and corrective action, aimed at those who were hurt.",
        "d": "That base response is enough only for a victim crisis with no history; "
        "here it looks evasive.",
    }
    hints = (
        "Preventable, with a similar controversy two years ago. What does SCCT say?",
    )
    solution = "`post_posture = 'c'`."


class PepsiStrategies(ChoiceQuestion):
    title = "Code a real apology into Benoit's strategies"
    var = "pepsi_strategies"
    options = {
        "a": "Simple denial",
        "b": "Shifting the blame",
        "c": "Mortification",
        "d": "Corrective action",
        "e": "Attacking the accuser",
        "f": "Transcendence",
    }
    correct = frozenset({"c", "d"})
    why = {
        "a": "Pepsi did not deny the ad or what it showed.",
        "b": "Nobody else was blamed; 'we missed the mark' takes the blame.",
        "c": "'Clearly we missed the mark' and 'we apologize' accept blame.",
        "d": "Pulling the ad within a day fixes the offending act.",
        "e": "Pepsi did not attack its critics.",
        "f": "Nothing in the quoted lines places the act in a higher cause.",
    }
    hints = ("Which sentences accept blame, and what did Pepsi do with the ad?",)
    solution = "`pepsi_strategies = 'c, d'`."


def _extra_reach(early: float, late: float) -> int:
    frame = delay_cost([early, late], cluster="accidental", posture="rebuild", seed=0)
    return int(frame["extra_reach"].iloc[1])


class DelayCost(ValueQuestion):
    title = "What two hours of silence cost (spread simulator)"
    var = "extra_reach"
    rtol = 0.0
    atol = 0.0
    expected = staticmethod(lambda: _extra_reach(15, 120))
    misconceptions = (
        Misconception(
            lambda: _extra_reach(0.25, 2),
            "`respond_at` is in minutes: 15 and 120, not 0.25 and 2 hours.",
        ),
        Misconception(
            lambda: int(
                delay_cost([15, 120], cluster="accidental", posture="rebuild")[
                    "total_reach"
                ].iloc[1]
            ),
            "That is the total reach when responding at 2 hours; the question asks "
            "how many MORE accounts hear it than when responding at 15 minutes.",
        ),
    )
    hints = (
        "`delay_cost([15, 120], cluster='accidental', posture='rebuild', seed=0)` "
        "returns one row per response time.",
        "Read `extra_reach` in the second row.",
    )
    solution = (
        "```python\ncost = delay_cost([15, 120], cluster='accidental', "
        "posture='rebuild', seed=0)\n"
        "extra_reach = int(cost['extra_reach'].iloc[1])\n```"
    )


FORBIDDEN = (
    (
        r"\b(probably|likely|may have been|might have been|we (think|believe|suspect))",
        "It speculates about the cause. Say what you know and what you are checking.",
    ),
    (
        r"\b(supplier'?s? fault|fault of|blame|caused by (the|our) (supplier|customer|"
        r"staff|intern)|fake photo|photoshop)",
        "It blames someone or dismisses the claim. In the first hour you do not know "
        "enough to point at anyone.",
    ),
)


class HoldingStatement(TextQuestion):
    title = "A holding statement for the first hour"
    var = "holding_statement"
    min_words = 30
    max_words = 120
    forbidden = FORBIDDEN
    rubric = (
        Criterion(
            "acknowledges",
            (r"aware", r"seen", r"know about", r"reports? of", r"post about"),
            "Acknowledge the issue: say you have seen the reports.",
        ),
        Criterion(
            "concern",
            (
                r"concern",
                r"sorry",
                r"apolog",
                r"worr",
                r"seriously",
                r"safety (is|comes) first",
            ),
            "Show concern for the people affected.",
        ),
        Criterion(
            "actions",
            (
                r"investigat",
                r"check",
                r"test",
                r"pull",
                r"stopp?ed",
                r"paus",
                r"withdr",
                r"working with",
                r"batch",
            ),
            "State what you are doing right now (investigating, pausing sales…).",
        ),
        Criterion(
            "next update",
            (
                r"update",
                r"by \d",
                r"at \d",
                r"within \d+ (hours|minutes)",
                r"tonight",
                r"this evening",
                r"tomorrow",
            ),
            "Promise when the next update comes (a time).",
        ),
    )
    hints = (
        "Four moves: we know; we care; here is what we are doing; next update at …",
        "Leave out guesses about the cause and anyone's fault.",
    )
    solution = (
        "A model answer: *We've seen the posts about glass in a bottle of our jasmine "
        "iced tea and we are taking them very seriously: your safety comes first. "
        "Until we know more, please don't drink bottles from batch 0312 and keep "
        "them for us. We have paused sales of that batch and are investigating with "
        "our bottling plant and an independent lab. We will update here by 18:00 "
        "today.*"
    )


QUESTIONS = [
    DetectOnset,
    SeverityTiers,
    RumourCluster,
    PostPosture,
    PepsiStrategies,
    DelayCost,
    HoldingStatement,
]

__all__ = bind_exercises(globals(), QUESTIONS, "ex04_crisis")
__all__ += ["load", "pd", "np", "delay_cost"]
load = data.load


# The module's work product: structure checked here, quality reviewed against
# the rubric in smm_playbook/rubrics/ex04_crisis.yaml. Imported here, beside the
# question it serves.
from smm_playbook.checks.work_product import (  # noqa: E402
    Agreement,
    WorkProductQuestion,
    bind_work_product,
)


class CrisisPlan(WorkProductQuestion):
    title = "Work product: a one-page crisis plan and a holding statement"
    var = "crisis_plan"
    rubric_file = "ex04_crisis"
    agree = (
        Agreement(
            "extra_reach",
            "extra reach from two hours of silence",
            r"silence|delay|wait|沉默|延迟",
            section="first_hour",
        ),
    )
    hints = (
        "One page: levels, names, the first hour minute by minute, approvals, "
        "channels, review, and the statement.",
        "The holding statement acknowledges, shows concern, says what you are doing "
        "and when you will update; it neither speculates nor blames.",
    )
    solution = (
        "A model that passes the structural checks is the `%%work crisis_plan` "
        "cell of `solutions/ex04_crisis.ipynb`. Compare its structure with "
        "yours, not its words: your work is judged against the rubric "
        '(`work_brief("ex04_crisis")`).'
    )


__all__ += bind_work_product(globals(), CrisisPlan, "ex04_crisis")
