"""Per-submission budgets for memory and processes, where a cgroup can be made.

A submission's processes share one cgroup, so five children cannot each take the
memory limit and a fork bomb stops at `pids.max`. The fork server makes the
cgroup (it needs write access to the cgroup file system: root, or a delegated
subtree), the supervisor moves itself into it before it starts the runner, and
afterwards the fork server reads whether a budget was hit and removes it.

cgroup v2 (`memory.max`, `pids.max`) is used where this process's cgroup has
both controllers for its children; otherwise the v1 `memory` and `pids`
hierarchies, if mounted and writable. Where neither works, `Budget.make` returns
None and the runner's RLIMIT_NPROC is the only cap on processes (see
`isolation.lock_down`).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count()


@dataclass
class Budget:
    """One submission's cgroup(s): v2 (one folder) or v1 (memory and pids folders)."""

    version: int
    folders: list[Path] = field(default_factory=list)

    @classmethod
    def make(cls, memory_bytes: int, processes: int) -> Budget | None:
        name = f"smm-grading-{os.getpid()}-{next(_counter)}"
        for attempt in (_make_v2, _make_v1):
            try:
                budget = attempt(name, memory_bytes, processes)
            except OSError:
                budget = None
            if budget is not None:
                return budget
        return None

    def enter(self) -> None:
        """Move the calling process (the supervisor) into the budget."""
        for folder in self.folders:
            (folder / "cgroup.procs").write_text("0")

    def hit(self) -> dict[str, bool]:
        """Which budgets the submission ran into."""
        memory = pids = False
        for folder in self.folders:
            events = _events(folder / "memory.events") | _events(
                folder / "memory.oom_control"
            )
            memory |= events.get("oom_kill", 0) > 0 or events.get("oom", 0) > 0
            memory |= _number(folder / "memory.failcnt") > 0
            pids |= _events(folder / "pids.events").get("max", 0) > 0
        return {"memory": memory, "processes": pids}

    def remove(self) -> None:
        for folder in self.folders:
            for _ in range(200):  # a process may still be exiting
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    _kill_all(folder)
                    os.sched_yield()


def _make_v2(name: str, memory_bytes: int, processes: int) -> Budget | None:
    mount = next((m for m in (ROOT, ROOT / "unified") if _is_v2(m)), None)
    own = _own_cgroup("")
    if mount is None or own is None:
        return None
    parent = mount / own.lstrip("/")
    enabled = (parent / "cgroup.subtree_control").read_text().split()
    if not {"memory", "pids"} <= set(enabled):
        return None
    folder = parent / name
    folder.mkdir()
    budget = Budget(2, [folder])
    try:
        (folder / "memory.max").write_text(str(memory_bytes))
        if (folder / "memory.swap.max").exists():
            (folder / "memory.swap.max").write_text("0")
        (folder / "pids.max").write_text(str(processes))
    except OSError:
        budget.remove()
        raise
    return budget


def _make_v1(name: str, memory_bytes: int, processes: int) -> Budget | None:
    folders = []
    for controller in ("memory", "pids"):
        own = _own_cgroup(controller)
        base = ROOT / controller
        if own is None or not (base / "cgroup.procs").exists():
            return None
        folders.append(base / own.lstrip("/") / name)
    budget = Budget(1, [])
    try:
        for folder in folders:
            folder.mkdir()
            budget.folders.append(folder)
        memory, pids = folders
        (memory / "memory.limit_in_bytes").write_text(str(memory_bytes))
        swap = memory / "memory.memsw.limit_in_bytes"
        if swap.exists():
            swap.write_text(str(memory_bytes))
        (pids / "pids.max").write_text(str(processes))
    except OSError:
        budget.remove()
        raise
    return budget


def _is_v2(mount: Path) -> bool:
    return (mount / "cgroup.controllers").exists()


def _own_cgroup(controller: str) -> str | None:
    """This process's cgroup path for a v1 controller, or ("") the v2 one."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        number, controllers, path = line.split(":", 2)
        names = controllers.split(",") if controllers else [""]
        if controller in names and (controller or number == "0"):
            return path
    return None


def _events(path: Path) -> dict[str, int]:
    try:
        pairs = (line.split() for line in path.read_text().splitlines())
        return {p[0]: int(p[1]) for p in pairs if len(p) == 2 and p[1].isdigit()}
    except OSError:
        return {}


def _number(path: Path) -> int:
    try:
        return int(path.read_text().strip() or 0)
    except (OSError, ValueError):
        return 0


def _kill_all(folder: Path) -> None:
    try:
        pids = (folder / "cgroup.procs").read_text().split()
    except OSError:
        return
    for pid in pids:
        try:
            os.kill(int(pid), 9)
        except (ProcessLookupError, PermissionError, ValueError):
            pass
