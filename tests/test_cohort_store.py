"""The cohort store and the queue in front of it: nothing lost, nothing doubled."""

from __future__ import annotations

import json
import multiprocessing
import socket
import time
import warnings
from pathlib import Path

import pytest

from smm_playbook.cohort import outbox
from smm_playbook.cohort.outbox import Outbox, make_event
from smm_playbook.cohort.store import CohortStore, CohortStoreError


@pytest.fixture
def hub_learner(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "amina")
    monkeypatch.setenv("SMM_PLAYBOOK_GROUP", "retail")
    monkeypatch.setenv("SMM_PLAYBOOK_INTAKE", "2027-01")
    monkeypatch.delenv("SMM_PLAYBOOK_COHORT", raising=False)


def _event(number: int, status: str = "incorrect") -> dict:
    info = {"status": status, "number": number, "title": f"Q{number}", "points": 1}
    return make_event("ex00_orientation", f"Question{number}", "check", info)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _finish(thread) -> None:
    """Wait for a background send to end."""
    assert thread is not None, "no send was started"
    thread.join(30)


def test_recording_is_off_without_a_hub_or_opt_in(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("SMM_PLAYBOOK_COHORT", raising=False)
    assert outbox.record(tmp_path, "ex00", "Q", "check", {"status": "correct"}) is None
    assert not (tmp_path / outbox.QUEUE_NAME).exists()
    monkeypatch.setenv("SMM_PLAYBOOK_COHORT", "1")
    _finish(outbox.record(tmp_path, "ex00", "Q", "check", {"status": "correct"}))
    assert len(CohortStore(tmp_path / "cohort.db").events()) == 1


def test_hub_opt_out_wins(tmp_path, hub_learner, monkeypatch):
    monkeypatch.setenv("SMM_PLAYBOOK_COHORT", "0")
    assert not outbox.enabled()


def test_a_check_in_a_notebook_reaches_the_store(tmp_path, hub_learner, monkeypatch):
    monkeypatch.setenv("SMM_PLAYBOOK_HOME", str(tmp_path))
    from smm_playbook.checks.placeholder import PLACEHOLDER
    from smm_playbook.exercises import ex00_orientation as ex

    ex.q1.check(er_reach=PLACEHOLDER)
    deadline = time.monotonic() + 10
    while Outbox(tmp_path).pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    (row,) = CohortStore(tmp_path / "cohort.db").events()
    assert (row["learner"], row["cohort_group"], row["intake"]) == (
        "amina",
        "retail",
        "2027-01",
    )
    assert row["exercise"] == "ex00_orientation" and row["number"] == 1
    assert row["status"] == "not_attempted"
    assert not (tmp_path / outbox.QUEUE_NAME).read_text()


def _learner_process(folder: str, store: str, name: str, count: int) -> None:
    import os

    os.environ["JUPYTERHUB_USER"] = name
    box = Outbox(Path(folder), store)
    for number in range(count):
        box.append(_event(number))
        box.send()  # every learner sends after every check, all at once


def test_concurrent_learners_lose_and_double_nothing(tmp_path):
    store = str(tmp_path / "cohort.db")
    CohortStore(store).close()
    context = multiprocessing.get_context("fork")
    learners = [
        context.Process(target=_learner_process, args=(str(tmp_path / n), store, n, 15))
        for n in ("amina", "bo", "chen", "dara")
    ]
    for process in learners:
        process.start()
    for process in learners:
        process.join(60)
        assert process.exitcode == 0
    rows = CohortStore(store).events()
    assert len(rows) == 60
    assert len({r["event_id"] for r in rows}) == 60
    assert {r["learner"] for r in rows} == {"amina", "bo", "chen", "dara"}


def test_store_down_then_up_delivers_each_queued_event_once(tmp_path):
    missing = tmp_path / "not-yet" / "cohort.db"  # its folder does not exist: down
    box = Outbox(tmp_path / "home", str(missing))
    for number in range(3):
        box.append(_event(number))
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises
            box.send()
    assert len(box.pending()) == 3
    missing.parent.mkdir()  # the store comes up
    assert box.send() == 3
    assert box.pending() == []
    assert box.send() == 0
    assert len(CohortStore(missing).events()) == 3


def test_resending_what_the_store_already_has_is_counted_once(tmp_path):
    box = Outbox(tmp_path, str(tmp_path / "cohort.db"))
    rows = [_event(n) for n in range(4)]
    for row in rows:
        box.append(row)
    CohortStore(box.store).add(rows[:2])  # sent before a crash, never forgotten
    assert box.send() == 2
    assert len(CohortStore(box.store).events()) == 4


def test_a_check_does_not_wait_for_a_dead_server(tmp_path, hub_learner, monkeypatch):
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/cohort"
    monkeypatch.setenv("SMM_PLAYBOOK_COHORT_STORE", url)
    started = time.perf_counter()
    thread = outbox.record(tmp_path, "ex00", "Q", "check", {"status": "correct"})
    queued = time.perf_counter() - started
    _finish(thread)
    assert queued < 1.0, "the check waited for the store"
    assert len(Outbox(tmp_path).pending()) == 1


def test_a_corrupted_queue_is_kept_aside_and_its_events_still_sent(tmp_path):
    box = Outbox(tmp_path, str(tmp_path / "cohort.db"))
    good = [_event(n) for n in range(2)]
    box.append(good[0])
    with box.path.open("a", encoding="utf-8") as handle:
        handle.write('{"event_id": "half a li\n')
    box.append(good[1])
    with pytest.warns(UserWarning, match=r"1 line\(s\).*line 2.*kept as"):
        assert box.send() == 2
    (aside,) = tmp_path.glob(f"{outbox.QUEUE_NAME}.corrupt-*")
    assert "half a li" in aside.read_text()
    assert [json.loads(x)["event_id"] for x in aside.read_text().splitlines()[::2]] == [
        r["event_id"] for r in good
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert box.pending() == []
    assert {r["event_id"] for r in CohortStore(box.store).events()} == {
        r["event_id"] for r in good
    }


def test_an_unsupported_database_is_named(tmp_path):
    with pytest.raises(CohortStoreError, match="SQLite.*PostgreSQL.*not mysql"):
        CohortStore("mysql://somewhere/cohort")


def test_postgres_store_down_then_up(tmp_path):
    from postgres import postgres_server

    box = Outbox(tmp_path, f"postgresql+psycopg://x@127.0.0.1:{_closed_port()}/db")
    rows = [_event(n) for n in range(3)]
    for row in rows:
        box.append(row)
    with pytest.raises(Exception):  # noqa: B017
        box.send()
    with postgres_server() as url:
        box.store = url
        assert box.send() == 3
        box.append(rows[0])  # the same event again
        assert box.send() == 0
        assert len(CohortStore(url).events(group="")) == 3
