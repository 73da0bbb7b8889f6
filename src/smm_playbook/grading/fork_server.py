"""The fork server: a warm interpreter that forks one supervisor per job.

The grader starts it with `python -I`, a minimal environment, no open files of
its own and in a new session, so it never holds the secret and shares no process
group with the grader. It imports the heavy modules once; each job (length-
prefixed JSON on stdin) is run by a forked supervisor inside a fresh cgroup
budget where one can be made (where none can, the submission may start no
other process, so its own memory limit is its whole budget). Frames go back on
stdout, ending with `B` (the budgets hit) and `Z` (the job is over).
"""

from __future__ import annotations

import importlib
import os
from dataclasses import replace

from smm_playbook.grading import isolation, wire
from smm_playbook.grading.budgets import Budget

# Imported once, so each submission starts warm.
PRELOAD = [
    "numpy",
    "pandas",
    "scipy.stats",
    "smm_playbook.kpis",
    "smm_playbook.grading.runner",
    "io",
    "math",
    "statistics",
    "json",
    "re",
    "collections",
    "datetime",
]


def serve() -> None:
    """One job at a time, each in a forked supervisor."""
    from smm_playbook.grading import supervisor
    from smm_playbook.grading.sandbox import job_from_json

    for module in PRELOAD:
        importlib.import_module(module)
    as_nobody = os.geteuid() == 0
    allowed = isolation.allow_list()
    frames = os.dup(1)
    os.dup2(2, 1)  # a stray print in here must not corrupt the frame stream
    reader = wire.FrameReader(0)
    while True:
        request = reader.next(None)
        if not request:
            return
        job = job_from_json(request, allowed)
        limits = job.limits
        budget = Budget.make(limits.memory_mb * 1024 * 1024, limits.processes + 2)
        if budget is None:
            # no cgroup to cap memory across processes: then no extra processes,
            # so the runner's own memory limit is the submission's whole budget
            job = replace(job, limits=replace(limits, processes=0))
        ready_r, ready_w = os.pipe()
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(ready_r)
                os.close(go_w)
                supervisor.supervise(job, frames, budget, as_nobody, ready_w, go_r)
            finally:
                os._exit(0)
        os.close(ready_w)
        os.close(go_r)
        if as_nobody:
            _map_when_ready(pid, ready_r, go_w)
        os.close(ready_r)
        os.close(go_w)
        os.waitpid(pid, 0)
        hit = budget.hit() if budget else {}
        if budget:
            budget.remove()
        budgets = {**hit, "cgroup": budget is not None, "as_nobody": as_nobody}
        wire.write_frame(frames, b"B" + wire.dumps(budgets))
        wire.write_frame(frames, b"Z")


def _map_when_ready(pid: int, ready: int, go: int) -> None:
    """Map the supervisor's new user namespace once it has made it (see isolation)."""
    if os.read(ready, 1) != b"U":
        return  # it failed before unsharing and reports why itself
    try:
        isolation.map_to_nobody(pid)
    except isolation.IsolationError:
        os.write(go, b"N")  # the supervisor reports the fence could not be built
        return
    os.write(go, b"G")
