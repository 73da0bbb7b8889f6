"""The trainer's report and the LMS exports, from a small simulated class."""

from __future__ import annotations

import http.server
import io
import json
import threading
import uuid

import jsonschema
import pandas as pd
import pytest
from typer.testing import CliRunner

from smm_playbook.cli import app
from smm_playbook.cohort import export
from smm_playbook.cohort.lrs import LrsError, send_statements
from smm_playbook.cohort.outbox import make_event
from smm_playbook.cohort.report import (
    cohort_state,
    learner_rows,
    misconception_rows,
    question_catalogue,
)
from smm_playbook.cohort.report_html import render
from smm_playbook.cohort.store import CohortStore

FOLLOWERS = "You divided by followers"


@pytest.fixture(scope="module")
def questions():
    return question_catalogue(("ex00_orientation",))


def _check(learner, group, question, status, message="", **extra):
    event = make_event(
        question.exercise,
        question.qid,
        "check",
        {
            "status": status,
            "number": question.number,
            "title": question.title,
            "points": question.points,
            "message": message,
            **extra,
        },
    )
    return dict(event, learner=learner, cohort_group=group, intake="2027-01")


@pytest.fixture(scope="module")
def events(questions):
    q1, q2 = questions[0], questions[1]
    wrong = f"**Incorrect.** {q1.misconceptions[0]}"  # as a check words it
    return [
        _check("amina", "retail", q1, "correct"),
        _check("bo", "b2b", q1, "incorrect", wrong),
        _check("bo", "b2b", q1, "incorrect", wrong),
        _check("bo", "b2b", q1, "incorrect", "`er_reach` = 7 is not right yet."),
        _check("bo", "b2b", q2, "partial", right=1, parts=2),
        _check("chen", "b2b", q1, "incorrect", wrong),
        _check("chen", "b2b", q1, "correct"),
    ]


@pytest.fixture(scope="module")
def cohort(events, questions):
    return cohort_state(events, questions)


def test_state_keeps_a_right_answer_and_finds_who_is_stuck(cohort, questions):
    rows = {r["learner"]: r for r in learner_rows(cohort)}
    assert rows["amina"]["correct"] == 1 and rows["amina"]["stuck"] == []
    assert rows["chen"]["correct"] == 1  # a wrong check before the right one
    assert rows["bo"]["stuck"] == [questions[0].label]  # three wrong checks
    assert rows["bo"]["earned"] == pytest.approx(questions[1].points / 2)


def test_misconceptions_are_counted_by_learner_and_by_hit(cohort):
    (top, *_) = misconception_rows(cohort)
    assert top["message"].startswith(FOLLOWERS)
    assert (top["learners"], top["hits"]) == (2, 3)


def test_report_names_learners_groups_and_reviews(cohort, questions):
    review = {
        "learner": "amina",
        "exercise": questions[-1].exercise,
        "question": questions[-1].qid,
        "scores": {"reach": "meets", "rates": "partly"},
        "comment": "Clear memo.",
        "reviewer": "trainer",
    }
    html = render(cohort, [review], "Class")
    assert "data-group='b2b'" in html and "<option value='retail'>" in html
    assert "Clear memo." in html and "1 meets · 1 partly · 0 not yet" in html
    assert html.count("<tr data-learner=") >= 3
    assert "http" not in html.replace("http://adlnet", "")  # nothing from outside


def test_xapi_statements_validate_against_the_shipped_schema(events, cohort):
    builder = export.XapiBuilder("http://127.0.0.1:8000")
    exam = {
        "learner_id": "amina",
        "exam_id": "final",
        "exam_version": "1",
        "sha256": "ab" * 32,
        "passed": True,
        "score": 42.0,
        "max_score": 50.0,
        "graded_at": "2026-12-03T10:00:00+00:00",
    }
    statements = export.xapi_statements(events, cohort, builder, [exam])
    validator = jsonschema.Draft7Validator(export.statement_schema())
    for statement in statements:
        validator.validate(statement)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs == ["answered"] * len(events) + ["passed", "completed"]
    assert statements[-2]["result"]["score"]["scaled"] == pytest.approx(0.84)
    again = export.xapi_statements(events, cohort, builder, [exam])
    assert [s["id"] for s in again] == [s["id"] for s in statements]


def test_the_schema_rejects_what_the_spec_forbids():
    validator = jsonschema.Draft7Validator(export.statement_schema())
    good = {
        "actor": {"mbox": "mailto:a@example.org"},
        "verb": {"id": export.ADL + "answered"},
        "object": {"id": "urn:smm-playbook:q"},
    }
    assert validator.is_valid(good)
    two_ids = dict(good, actor={"mbox": "mailto:a@example.org", "openid": "x:y"})
    no_verb_id = dict(good, verb={"display": {"en": "answered"}})
    scaled = dict(good, result={"score": {"scaled": 1.5}})
    unknown = dict(good, mood="happy")
    for bad in (two_ids, no_verb_id, scaled, unknown):
        assert not validator.is_valid(bad)


def test_moodle_and_canvas_csvs_round_trip_with_their_columns(cohort):
    moodle = pd.read_csv(io.StringIO(export.moodle_csv(cohort)), dtype={"Group": str})
    assert list(moodle.columns) == [*export.MOODLE_ID_COLUMNS, "ex00_orientation"]
    assert list(moodle["ID number"]) == ["amina", "bo", "chen"]
    assert moodle.set_index("ID number").loc["amina", "ex00_orientation"] == 1
    canvas = pd.read_csv(io.StringIO(export.canvas_csv(cohort)))
    assert list(canvas.columns) == [*export.CANVAS_ID_COLUMNS, "ex00_orientation"]
    by_login = canvas.set_index("SIS Login ID")
    assert by_login.loc["bo", "Section"] == "b2b"
    assert by_login.loc["bo", "ex00_orientation"] == pytest.approx(0.5)


class _Lrs(http.server.BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - the base class's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, dict(self.headers), json.loads(body)))
        status = 400 if self.headers.get("X-Experience-API-Version") != "1.0.3" else 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"[]")

    def log_message(self, *args):
        pass


@pytest.fixture
def lrs():
    _Lrs.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Lrs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/xapi", _Lrs.received
    server.shutdown()


def test_statements_reach_a_local_lrs_in_batches(lrs):
    endpoint, received = lrs
    statements = [
        {
            "id": str(uuid.uuid4()),
            "actor": {"mbox": "mailto:a@example.org"},
            "verb": {"id": export.ADL + "answered"},
            "object": {"id": f"urn:smm-playbook:q{n}"},
        }
        for n in range(250)
    ]
    result = send_statements(endpoint, statements, key="trainer", secret="s3cret")
    assert (result.sent, result.batches) == (250, 2)
    assert [len(body) for _, _, body in received] == [200, 50]
    path, headers, _ = received[0]
    assert path == "/xapi/statements"
    assert headers["Authorization"].startswith("Basic ")


def test_an_unreachable_lrs_is_a_clear_error():
    with pytest.raises(LrsError, match="could not be reached"):
        send_statements("http://127.0.0.1:9/xapi", [{"id": "x"}])


def test_cli_report_and_export_from_a_store(tmp_path, events, lrs):
    store = CohortStore(tmp_path / "cohort.db")
    store.add(events)
    store.close()
    runner = CliRunner()
    base = ["cohort"]
    out = tmp_path / "report.html"
    result = runner.invoke(
        app, [*base, "report", "--store", str(tmp_path / "cohort.db"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "data-learner='chen'" in out.read_text(encoding="utf-8")
    only = tmp_path / "retail.html"
    runner.invoke(
        app,
        [*base, "report", "--store", str(tmp_path / "cohort.db"), "--group", "retail"]
        + ["-o", str(only)],
    )
    assert "data-learner='bo'" not in only.read_text(encoding="utf-8")
    endpoint, received = lrs
    result = runner.invoke(
        app,
        [*base, "export", "--format", "xapi", "--store", str(tmp_path / "cohort.db")]
        + ["-o", str(tmp_path / "x.json"), "--lrs", endpoint],
    )
    assert result.exit_code == 0, result.output
    assert len(received[0][2]) == len(json.loads((tmp_path / "x.json").read_text()))
    bad = runner.invoke(app, [*base, "export", "--format", "scorm", "--store", "x"])
    assert bad.exit_code == 2 and "xapi, moodle, canvas" in bad.output
    missing = runner.invoke(app, [*base, "report", "--store", str(tmp_path / "no.db")])
    assert missing.exit_code == 2 and "There is no cohort store" in missing.output
