"""The checks engine: every kind of question, hostile learner values, feedback forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smm_playbook.checks import (
    PLACEHOLDER,
    ChoiceQuestion,
    Criterion,
    Feedback,
    Forbidden,
    FrameQuestion,
    FunctionQuestion,
    Misconception,
    MultipartQuestion,
    TextQuestion,
    ValueQuestion,
    bind_exercises,
    calling,
)
from smm_playbook.checks.errors import Incorrect
from smm_playbook.checks.progress import ProgressStore
from smm_playbook.checks.questions import count_words
from smm_playbook.checks.written import quoted_numbers


class Rate(ValueQuestion):
    var = "rate"
    unit = "percent"
    expected = 3.0
    misconceptions = (Misconception(0.6, "You divided by followers."),)
    hints = ("first", "second")
    solution = "```python\nrate = 3.0\n```"


class Pick(ChoiceQuestion):
    var = "pick"
    options = {"a": "A", "b": "B", "c": "C"}
    correct = "b"
    why = {"a": "A is about followers.", "b": "B is right because reasons."}


class PickMany(ChoiceQuestion):
    var = "picks"
    options = {"a": "A", "b": "B", "c": "C", "d": "D"}
    correct = frozenset("ac")
    why = {"d": "D belongs to another team."}


def _double(x):
    return 2 * x


class Double(FunctionQuestion):
    var = "double"
    cases = (((1,), 2.0), ((2.5,), 5.0))
    misconceptions = ((lambda x: x + 2, "You added 2 instead of doubling."),)


class Table(FrameQuestion):
    var = "table"
    key = ("platform",)
    expected = pd.DataFrame({"platform": ["X", "Weibo"], "rate": [1.5, 2.0]})
    misconceptions = (
        Misconception(
            pd.DataFrame({"platform": ["X", "Weibo"], "rate": [0.015, 0.02]}),
            "Those are fractions; give percentages.",
        ),
    )


class Memo(TextQuestion):
    var = "memo"
    min_words = 5
    rubric = (
        Criterion("reach", (r"\breach",), "Say what reach counts."),
        Criterion("impressions", (r"impression",), "Say what impressions count."),
    )


def evaluate(question, **values) -> Feedback:
    return question().evaluate(values)


class ExplodingEquality:
    def __eq__(self, other):
        raise RuntimeError("boom")

    __hash__ = object.__hash__

    def __repr__(self):
        raise RuntimeError("no repr either")


# --- value questions ---------------------------------------------------------


def test_value_correct_within_tolerance():
    assert evaluate(Rate, rate=3.001).status == "correct"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (0.6, "divided by followers"),
        (0.03, "looks like a fraction"),
        (7.0, "is not right yet"),
        ("3.0", "Remove the quotes"),
        ("three", "it is text"),
        (None, "is `None`"),
        (True, "not `True`"),
        (float("nan"), "NaN"),
        (float("inf"), "infinite"),
        (np.array([3.0]), "holding one value"),
        (pd.Series([1.0, 2.0]), "Series of 2 values"),
        ([3.0, 4.0], "single number"),
        (ExplodingEquality(), "should be a number"),
        (1 + 2j, "real number"),
    ],
)
def test_value_wrong_answers_get_specific_messages(value, message):
    feedback = evaluate(Rate, rate=value)
    assert feedback.status == "incorrect"
    assert message in feedback.message


def test_value_feedback_never_reveals_the_expected_value():
    feedback = evaluate(Rate, rate=7.0)
    assert "3" not in feedback.message.replace("`rate`", "")


def test_placeholder_and_missing_variable_are_not_attempted():
    assert evaluate(Rate, rate=PLACEHOLDER).status == "not_attempted"
    assert Rate().evaluate({}).status == "not_attempted"


def test_numpy_scalars_are_numbers():
    assert evaluate(Rate, rate=np.float32(3.0)).status == "correct"


# --- choice questions ----------------------------------------------------------


@pytest.mark.parametrize("answer", ["b", "B", " b) ", ["b"]])
def test_choice_accepts_forgiving_spellings(answer):
    assert evaluate(Pick, pick=answer).status == "correct"


def test_choice_wrong_option_explains_why():
    feedback = evaluate(Pick, pick="a")
    assert feedback.status == "incorrect" and "followers" in feedback.message


@pytest.mark.parametrize("answer", ["z", 2, "", None, ["a", 3]])
def test_choice_invalid_answers_say_how_to_answer(answer):
    feedback = evaluate(Pick, pick=answer)
    assert feedback.status == "incorrect" and "letter" in feedback.message


def test_single_choice_rejects_several_letters():
    assert "just one" in evaluate(Pick, pick="a,b").message


def test_multi_choice_needs_exactly_the_right_set():
    assert evaluate(PickMany, picks=["a", "c"]).status == "correct"
    assert evaluate(PickMany, picks="c, a").status == "correct"
    partial = evaluate(PickMany, picks=["a"])
    assert partial.status == "incorrect" and "missing" in partial.message
    wrong = evaluate(PickMany, picks=["a", "c", "d"])
    assert "another team" in wrong.message


# --- function questions ------------------------------------------------------------


def test_function_passes_on_all_cases():
    assert evaluate(Double, double=_double).status == "correct"


def test_function_misconception_is_recognised():
    assert "added 2" in evaluate(Double, double=lambda x: x + 2).message


def test_function_not_callable_and_none_return():
    assert "should be a function" in evaluate(Double, double=4).message
    assert "forget the `return`" in evaluate(Double, double=lambda x: None).message


def test_function_that_raises_is_reported_not_propagated():
    def broken(x):
        return x / 0

    feedback = evaluate(Double, double=broken)
    assert feedback.status == "incorrect" and "ZeroDivisionError" in feedback.message


def test_function_with_placeholder_body_is_not_attempted():
    namespace = {"____": PLACEHOLDER}
    exec("def double(x):\n    ____\n", namespace)
    assert evaluate(Double, double=namespace["double"]).status == "not_attempted"


def test_function_that_never_returns_is_stopped(monkeypatch):
    monkeypatch.setattr(calling, "TIME_LIMIT_SECONDS", 0.2)

    def forever(x):
        while True:
            pass

    feedback = evaluate(Double, double=forever)
    assert "more than 0.2 s" in feedback.message


def test_function_cannot_mutate_the_test_cases():
    class Appends(FunctionQuestion):
        var = "f"
        cases = ((([1, 2],), 3.0), (([1, 2],), 3.0))

    def f(values):
        values.append(0)
        return float(len(values))

    Appends().evaluate({"f": f})
    assert Appends.cases[0][0] == ([1, 2],)


# --- frame questions -----------------------------------------------------------------


def test_frame_tolerates_row_order_index_dtype_and_extra_columns():
    mine = pd.DataFrame(
        {"platform": ["Weibo", "X"], "rate": [2, 1.5], "note": ["", ""]}, index=[7, 9]
    )
    assert evaluate(Table, table=mine).status == "correct"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            pd.Series([1.5, 2.0], index=pd.Index(["X", "Weibo"], name="platform")),
            "reset_index",
        ),
        (
            pd.DataFrame(
                {"rate": [1.5, 2.0]}, index=pd.Index(["X", "Weibo"], name="platform")
            ),
            "in its index",
        ),
        (pd.DataFrame({"platform": ["X", "Weibo"]}), "missing the column"),
        (
            pd.DataFrame({"platform": ["X", "X"], "rate": [1.5, 1.5]}),
            "more than one row",
        ),
        (
            pd.DataFrame({"platform": ["X", "Douyin"], "rate": [1.5, 2.0]}),
            "are missing",
        ),
        (pd.DataFrame({"platform": ["X", "Weibo"], "rate": [1.5, 9.0]}), "for Weibo"),
        (
            pd.DataFrame({"platform": ["X", "Weibo"], "rate": [0.015, 0.02]}),
            "fractions",
        ),
        (pd.DataFrame({"platform": ["X"] * 500, "rate": 1.0}), "far more than"),
        ([1, 2], "should be a DataFrame"),
    ],
)
def test_frame_problems_are_named(value, message):
    feedback = evaluate(Table, table=value)
    assert feedback.status == "incorrect" and message in feedback.message


def test_frame_with_a_million_rows_is_rejected_quickly():
    huge = pd.DataFrame({"platform": np.arange(1_000_000).astype(str), "rate": 1.0})
    assert "far more than" in evaluate(Table, table=huge).message


# --- text questions ------------------------------------------------------------------


def test_text_meeting_the_rubric_is_submitted_for_review_never_correct():
    text = "Reach counts people; impressions count every view shown."
    feedback = evaluate(Memo, memo=text)
    assert feedback.status == "submitted" and feedback.needs_review
    assert not feedback.passed
    assert feedback.details == {
        "answer": text,
        "found": ["reach", "impressions"],
        "missing": [],
    }


def test_text_missing_an_element_is_still_submitted_and_lists_it():
    feedback = evaluate(Memo, memo="Reach counts the unique people who saw it.")
    assert feedback.status == "submitted"
    assert feedback.details["found"] == ["reach"]
    assert feedback.details["missing"] == ["impressions"]
    assert "Not found" in feedback.message


def test_text_says_what_is_missing():
    feedback = evaluate(Memo, memo="Reach counts the unique people who saw it.")
    assert "Say what impressions count." in feedback.message
    assert "Say what reach counts." not in feedback.message


@pytest.mark.parametrize(
    ("value", "message"),
    [(42, "as text"), ("too short", "at least 5"), ("reach " * 10**6, "under 250")],
)
def test_text_bad_values(value, message):
    assert message in evaluate(Memo, memo=value).message


# --- views, display and forms --------------------------------------------------------


def test_feedback_has_markdown_and_plain_forms():
    feedback = evaluate(Rate, rate=0.6)
    assert feedback._repr_markdown_().startswith("<span")
    assert str(feedback).startswith("Incorrect: ") and "`" not in str(feedback)


def test_view_reads_the_callers_globals_and_records_progress(progress_home):
    namespace: dict = {}
    bind_exercises(namespace, [Rate], "test_exercise")
    namespace["rate"] = 3.0
    exec("result = q1.check()", namespace)
    assert namespace["result"].status == "correct"
    store = (progress_home / "progress.json").read_text()
    assert '"Rate"' in store and '"correct"' in store


def test_hints_are_progressive_and_capped(progress_home):
    namespace: dict = {}
    bind_exercises(namespace, [Rate], "test_exercise")
    view = namespace["q1"]
    assert (
        view.hint().label == "Hint 1 of 2"
        and "again for hint 2" in view.hint(1).message
    )
    assert view.hint().message == "second"
    assert view.hint(9).label == "Hint 2 of 2"
    assert "rate = 3.0" in view.solution().message


def test_bind_exports_the_placeholder_and_numbered_questions():
    namespace: dict = {}
    names = bind_exercises(namespace, [Rate, Pick], "test_exercise")
    assert names == ["____", "q1", "q2"] and namespace["____"] is PLACEHOLDER


def test_call_on_each_runs_every_input_and_names_the_one_that_fails():
    assert calling.call_on_each(lambda x: x * 2, "f", [(1,), (2,)]) == [2, 4]
    with pytest.raises(Incorrect, match=r"f\(0\)` raised `ZeroDivisionError"):
        calling.call_on_each(lambda x: 1 / x, "f", [(1,), (0,)])


def test_call_on_each_stops_an_endless_loop_under_one_limit():
    def forever(x):
        while True:
            pass

    with pytest.raises(Incorrect, match="more than 0.2 s for 3 calls"):
        calling.call_on_each(forever, "f", [(1,), (2,), (3,)], seconds=0.2)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("We are sorry to hear that", 6),
        ("非常抱歉给您带来不便", 5),  # ten characters, about five words
        ("Sorry! 我们已私信您。", 1 + 3),
    ],
)
def test_words_are_counted_in_english_and_chinese(text, words):
    assert count_words(text) == words


def test_text_with_a_forbidden_pattern_gets_its_message_before_the_rubric():
    class Statement(TextQuestion):
        var = "statement"
        min_words = 3
        forbidden = ((r"\bprobably\b", "Do not speculate."),)
        rubric = (Criterion("time", (r"\d",), "Give a time."),)
        hints = ("h",)
        solution = "s"

    wrong = evaluate(Statement, statement="It was Probably the supplier, more at 6.")
    assert wrong.status == "incorrect" and wrong.message == "Do not speculate."
    fine = evaluate(Statement, statement="We will update at 6 pm.")
    assert fine.status == "submitted"


class Owner(TextQuestion):
    var = "goal"
    min_words = 3
    forbidden = (Forbidden(r"\bblame", "It blames someone.", negatable=True),)
    rubric = (
        Criterion("owner", (r"manager",), "Name the owner.", required=True),
        Criterion("metric", (r"rate",), "Name the metric."),
    )


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("We don't blame anyone; owner: the manager.", "submitted", "Not found"),
        ("We do not blame the supplier, says the manager.", "submitted", ""),
        ("We blame the supplier, says the manager.", "incorrect", "blames"),
        ("Raise the rate by 2 points, the whole team.", "incorrect", "Name the owner"),
        ("Raise the rate; you idiots, owner: the manager.", "incorrect", "hostile"),
    ],
)
def test_required_criteria_forbidden_content_and_negation(text, status, message):
    feedback = evaluate(Owner, goal=text)
    assert feedback.status == status and message in feedback.message


class Quote(TextQuestion):
    var = "report"
    min_words = 3
    facts_message = "Quote the table."

    def facts(self):
        return {"cpa": 11.297, "roas": 3.369, "change": 0.1896}

    def key_facts(self):
        return {"cpa": 11.297}


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("CPA rose to 11.30 in September 2025.", "submitted", ""),
        ("CPA rose 19% to 11.3 in 2025.", "submitted", ""),
        ("CPA rose to 11 while ROAS was 3.37.", "submitted", ""),
        ("CPA rose to 11.30 and ROAS hit 9.9.", "incorrect", "The figure 9.9"),
        ("ROAS was 3.37 in September 2025.", "incorrect", "Quote the table."),
        ("CPA rose a lot in September.", "incorrect", "Quote the table."),
    ],
)
def test_numbers_must_agree_with_the_learners_analysis(text, status, message):
    feedback = evaluate(Quote, report=text)
    assert feedback.status == status, feedback.message
    assert message in feedback.message


def test_numbers_are_read_as_written():
    numbers = quoted_numbers("From 1,035 to 9.50 (+16 %) in 2025, 约为17.63。")
    assert [(n.value, n.decimals, n.percent) for n in numbers] == [
        (1035.0, 0, False),
        (9.5, 2, False),
        (16.0, 0, True),
        (17.63, 2, False),
    ]


# --- multi-part questions ------------------------------------------------------


class PartA(ValueQuestion):
    title = "first"
    var = "a"
    expected = 1.0
    misconceptions = (Misconception(2.0, "You doubled it."),)
    hints = ("part hint",)


class PartB(ValueQuestion):
    title = "second"
    var = "b"
    expected = 5.0


class TwoParts(MultipartQuestion):
    title = "Two parts"
    parts = (PartA, PartB)
    hints = ("whole hint",)
    solution = "```python\na, b = 1, 5\n```"


def test_multipart_reports_how_many_parts_are_right():
    assert evaluate(TwoParts, a=1.0, b=5.0).status == "correct"
    half = evaluate(TwoParts, a=2.0, b=5.0)
    assert half.status == "partial" and half.message.startswith("1 of 2 right.")
    assert "(a) first: Incorrect. You doubled it." in half.message
    assert half.details == {"right": 1, "parts": 2}
    assert evaluate(TwoParts, a=2.0, b=0.0).status == "incorrect"
    assert evaluate(TwoParts, a=PLACEHOLDER, b=PLACEHOLDER).status == "not_attempted"


def test_a_part_is_checked_alone_and_the_score_is_saved(progress_home):
    namespace: dict = {"a": 1.0, "b": 4.0}
    bind_exercises(namespace, [TwoParts], "test_exercise")
    exec("part = q1.a.check(); whole = q1.check()", namespace)
    assert namespace["part"].status == "correct"
    assert namespace["whole"].status == "partial"
    entry = ProgressStore.default().load()["exercises"]["test_exercise"]["TwoParts"]
    assert entry["status"] == "partial" and (entry["right"], entry["parts"]) == (1, 2)
    assert namespace["q1"].b.hint().message == "whole hint"
    assert namespace["q1"].a.hint().message == "part hint"


def test_a_written_question_cannot_return_correct_even_if_grade_says_so():
    class Overconfident(TextQuestion):
        var = "memo"
        min_words = 1

        def grade(self, values):
            return "Perfect!"

    feedback = evaluate(Overconfident, memo="Anything at all.")
    assert feedback.status == "submitted" and not feedback.passed


def test_numpy_numbers_are_shown_as_plain_numbers_in_messages():
    """A learner who computed np.int32(14) sees "14", not numpy's repr."""
    import numpy as np

    from smm_playbook.checks.values import safe_repr

    assert safe_repr(np.int32(14)) == "14"
    assert safe_repr(np.float64(0.123456789)) == "0.123457"
    assert safe_repr(np.bool_(True)) == "True"


def test_a_multipart_question_still_gives_one_verdict_through_grade():
    from smm_playbook.exercises import ex00_orientation as ex

    question = ex.q2.question
    message = question.grade({name: 0.0 for name in question.names()})
    assert message and message.startswith("(a)")
