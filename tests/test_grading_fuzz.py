"""Hostile hand-ins the grader must survive: each crash class found in review,
then a hypothesis fuzzer over notebook structure, metadata strings, file names
and answer values. Whatever a folder holds, `exam grade` exits 0, every notebook
gets exactly one row with a status, and an honest paper in the same run scores
as it does alone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from grading_helpers import EXAM, ExamSite, add_cell
from smm_playbook.cli import app
from smm_playbook.grading import untrusted, wire
from smm_playbook.grading.gradebook import Gradebook
from smm_playbook.grading.sandbox import Limits
from smm_playbook.grading.submissions import discover

LIMITS = Limits(wall_seconds=6, memory_mb=512)
STATUSES = {"graded", "unreadable", "empty", "wrong_paper", "error"}
EXAMPLES = int(os.environ.get("SMM_FUZZ_EXAMPLES", "6"))


@pytest.mark.parametrize(
    "payload, says",
    [
        ("[" * 5000 + "]" * 5000, "not plain JSON"),
        ("[" * 40 + "]" * 40, "nested more than"),
        ("1" * 5000, "digits"),
        ('{"a": NaN}', "NaN"),
        ('{"a": -Infinity}', "Infinity"),
        (b"\xff\xfe{}", "not plain JSON"),
    ],
)
def test_wire_refuses_what_could_crash_a_reader(payload, says):
    with pytest.raises(wire.BadPayload, match=says):
        wire.loads(payload)


def test_untrusted_text_is_printable_valid_and_bounded():
    text = untrusted.clean("[red]x[/] \ud800 \x1b[31m" + "y" * 900, 100)
    assert len(text) == 100 and text.encode("utf-8")
    assert "\x1b" not in text and "\ud800" not in text
    assert untrusted.for_console("[bold]id[/]") == "\\[bold]id\\[/]"
    assert untrusted.clean(Path(os.fsdecode(b"caf\xe9.ipynb"))) == "caf\\xe9.ipynb"


class R:
    """A gradebook row read as attributes."""

    def __init__(self, row: dict) -> None:
        self.__dict__.update(row)


def _raw(site: ExamSite, name: bytes | str, content: bytes) -> None:
    folder = os.fsencode(site.submissions)
    path = os.path.join(folder, os.fsencode(name))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(content)


def _text(book) -> str:
    return nbformat.writes(book)


@pytest.fixture(scope="module")
def solo_score():
    site = ExamSite()
    try:
        site.hand_in("honest", site.solved("honest"))
        summary = site.grade(LIMITS)
        [record] = summary.graded
        return record.score
    finally:
        site.cleanup()


def test_each_crash_class_from_review_gets_a_status_and_the_cli_exits_0(solo_score):
    site = ExamSite()
    try:
        site.hand_in("honest", site.solved("honest"))
        _raw(site, "deep.ipynb", b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
        text = _text(site.solved("bigint"))
        _raw(
            site,
            "bigint.ipynb",
            text.replace('"attempt": 1', '"attempt": 1' + "0" * 5000).encode(),
        )
        text = _text(site.solved("surrogate"))
        meta = json.loads(text)["metadata"]["smm_exam"]
        _raw(
            site,
            "surrogate.ipynb",
            text.replace(json.dumps(meta["name"]), '"\\ud800 [bold]x"').encode(),
        )
        _raw(site, b"caf\xe9.ipynb", _text(site.solved("cafe")).encode())
        _raw(site, "[bold]x]/paper.ipynb", _text(site.solved("markup")).encode())
        _raw(site, "binary.ipynb", b'{"cells": [], "metadata": {"x": "\xff\xfe"}}')
        leak = (
            "raise ValueError('[red]boom[/] \\udcff '"
            " + open('/etc/ld.so.cache', 'rb').read(400).hex())"
        )
        site.hand_in("leaky", add_cell(site.solved("leaky"), leak, at=3))
        nested = (
            "er_reach_pct = []\nfor _ in range(5000):\n"
            "    er_reach_pct = [er_reach_pct]"
        )
        site.hand_in("nested", add_cell(site.solved("nested"), nested))
        site.hand_in("hugeint", add_cell(site.solved("hugeint"), "cpm = 10 ** 100_000"))
        with open(site.submissions / "huge.ipynb", "wb") as handle:
            handle.truncate(30 * 1024**3)  # sparse: 30 GB that are never read whole
        os.symlink(site.secret_path, site.submissions / "link.ipynb")
        result = CliRunner().invoke(
            app,
            [
                "exam",
                "grade",
                "--version",
                EXAM.version,
                str(site.submissions),
                "--secret",
                str(site.secret_path),
                "--gradebook",
                str(site.gradebook_path),
                "--workers",
                "1",
                "--timeout",
                "6",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "link.ipynb" in result.output and "a link, not a file" in result.output
        records = {
            r["learner_id"]: R(r) for r in Gradebook(site.gradebook_path).submissions()
        }
        notebooks, _ = discover(site.submissions)
        assert len(records) == len(notebooks) == 11
        assert {r.status for r in records.values()} <= STATUSES
        assert records["honest"].score == solo_score
        expect = {
            "deep": "unreadable",
            "bigint": "unreadable",
            "surrogate": "wrong_paper",
            "caf\\udce9": "wrong_paper",
            "[bold]x]": "wrong_paper",
            "binary": "unreadable",
            "huge": "unreadable",
            "leaky": "graded",
            "nested": "graded",
            "hugeint": "graded",
        }
        for learner, status in expect.items():
            assert records[learner].status == status, (
                learner,
                records[learner].message,
            )
        leaky = records["leaky"].message
        assert "ValueError" in leaky and len(leaky) < 700
        assert "\ud800" not in "".join(r.message + r.name for r in records.values())
    finally:
        site.cleanup()


# ----------------------------------------------------------------------- fuzzing

any_text = st.text(st.characters(blacklist_categories=()), max_size=40)
answer_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=12,
)
file_names = st.binary(min_size=1, max_size=24).filter(
    lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3)
    ),
    max_leaves=15,
)


@st.composite
def hostile_file(draw, site: ExamSite, number: int):
    kind = draw(st.sampled_from(["metadata", "answers", "structure", "bytes"]))
    learner = f"fuzz{number}"
    name = draw(
        st.one_of(
            st.just(f"{learner}.ipynb".encode()),
            file_names.map(lambda b: b + b".ipynb"),
        )
    )
    book = site.solved(learner)
    if kind == "metadata":
        meta = book.metadata["smm_exam"]
        field = draw(st.sampled_from(["name", "learner", "attempt", "paper", "exam"]))
        meta[field] = draw(json_values)
        return name, json.dumps(book).encode()
    if kind == "answers":
        var = draw(st.sampled_from(["er_reach_pct", "cpm", "top_post", "roas"]))
        value = draw(answer_values)
        raise_text = draw(any_text)
        cell = f"{var} = {value!r}\nraise RuntimeError({raise_text!r})"
        return name, json.dumps(add_cell(book, cell)).encode()
    if kind == "structure":
        raw = json.loads(json.dumps(book))
        key = draw(st.sampled_from(["cells", "metadata", "nbformat", "nbformat_minor"]))
        raw[key] = draw(json_values)
        return name, json.dumps(raw).encode()
    return name, draw(st.binary(max_size=200))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_fuzzed_folders_never_crash_the_grader(data, solo_score):
    site = ExamSite()
    try:
        site.hand_in("honest", site.solved("honest"))
        for number in range(data.draw(st.integers(1, 4))):
            name, content = data.draw(hostile_file(site, number))
            _raw(site, name, content)
        summary = site.grade(LIMITS)
        notebooks, _ = discover(site.submissions)
        records = [R(r) for r in Gradebook(site.gradebook_path).submissions()]
        files = [r.file for r in records]
        assert len(files) == len(set(files)) == len(notebooks)
        assert {r.status for r in records} <= STATUSES
        assert all(r.message for r in records if r.status != "graded")
        [honest] = [r for r in summary.graded if r.learner_id == "honest"]
        assert honest.score == solo_score
    finally:
        site.cleanup()
