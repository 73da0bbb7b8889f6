"""How long the trainer's report takes for a large class (README, "Hosting a cohort").

Simulates LEARNERS learners who each check every question of the course one to
four times (seeded), writes them to a SQLite cohort store, and times reading the
store, folding the events and writing the HTML dashboard:

    .venv/bin/python deploy/jupyterhub/measure_report.py --learners 200
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from pathlib import Path

from smm_playbook.cohort.report import cohort_state, question_catalogue
from smm_playbook.cohort.report_html import write_report
from smm_playbook.cohort.store import CohortStore

STATUSES = ("incorrect", "incorrect", "error", "partial", "correct")


def simulated_events(learners: int, questions, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    events = []
    for n in range(learners):
        name, group = f"learner{n:04d}", f"group-{n % 4}"
        for q in questions:
            for attempt in range(rng.randint(1, 4)):
                status = rng.choice(STATUSES)
                message = rng.choice(q.misconceptions) if q.misconceptions else ""
                events.append(
                    {
                        "event_id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "learner": name,
                        "cohort_group": group,
                        "intake": "2027-01",
                        "exercise": q.exercise,
                        "question": q.qid,
                        "number": q.number,
                        "title": q.title,
                        "event": "check",
                        "status": status,
                        "message": message if status == "incorrect" else "",
                        "points": q.points,
                        "right_parts": 1 if status == "partial" else None,
                        "parts": 2 if status == "partial" else None,
                        "answer": "",
                        "at": f"2027-01-{10 + attempt:02d}T09:00:00.000+00:00",
                    }
                )
    return events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=200)
    args = parser.parse_args()
    questions = question_catalogue()
    events = simulated_events(args.learners, questions)
    with tempfile.TemporaryDirectory() as folder:
        store = CohortStore(Path(folder) / "cohort.db")
        store.add(events)
        started = time.perf_counter()
        rows = store.events()
        read = time.perf_counter()
        cohort = cohort_state(rows, questions)
        path = write_report(cohort, Path(folder) / "report.html")
        done = time.perf_counter()
        size = path.stat().st_size
        store.close()
    print(
        f"{args.learners} learners × {len(questions)} questions, {len(events)} events: "
        f"read {read - started:.2f} s, folded and written {done - read:.2f} s, "
        f"total {done - started:.2f} s; report {size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
