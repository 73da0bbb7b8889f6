"""The fence, attacked: what a submission can read and write, whom it can signal,
how many processes and how much memory it can take, and whether anything it does
can change the grader or a later sitting.
"""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import smm_playbook
from grading_helpers import ExamSite, add_cell
from smm_playbook.grading import isolation
from smm_playbook.grading.sandbox import Job, Limits, WarmWorker

LIMITS = Limits(wall_seconds=8, memory_mb=512)
PACKAGE = Path(smm_playbook.__file__).parent


@pytest.fixture(scope="module")
def worker():
    pool = WarmWorker()
    yield pool
    pool.close()


def run(worker, code: str, names=("seen",), limits=LIMITS):
    return worker.run(Job((code,), tuple(names), (), limits))


INVENTORY = r"""
import os
allowed, roots = ALLOWED, ROOTS
readable, writable = [], []
def visit(top, depth):
    try:
        entries = list(os.scandir(top))
    except OSError:
        return
    for entry in entries:
        path = entry.path
        readable.append(path)
        if entry.is_symlink():
            continue
        if os.access(path, os.W_OK):
            writable.append(path)
        if entry.is_dir() and depth < 3 and not path.startswith('/proc'):
            visit(path, depth + 1)
visit('/', 0)
if os.access('/', os.W_OK):
    writable.append('/')
def within(path):
    return any(path == r or path.startswith(r.rstrip('/') + '/') for r in roots)
def leads_to(path):  # a folder made to hold an allowed path
    return any(r.startswith(path.rstrip('/') + '/') for r in roots)
outside = sorted(p for p in readable if not within(p) and not leads_to(p))
missing = [a for a in allowed if not os.path.exists(a)]
scratch = [p for p in writable if p == '/tmp' or p.startswith('/tmp/')]
devices = [p for p in writable if p in DEVICES]
others = sorted(set(writable) - set(scratch) - set(devices))
seen = [outside[:20], missing, others[:20], len(readable), '/tmp/work' in scratch]
"""


def _fork_server_allow_list() -> list[str]:
    """The allow-list as the fork server computes it (`python -I`: no test paths)."""
    code = "from smm_playbook.grading import isolation; print(isolation.allow_list())"
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True)
    return list(ast.literal_eval(out.stdout.decode()))


def test_a_probe_inside_sees_and_writes_only_the_allow_list(worker):
    allowed = _fork_server_allow_list()
    links = [p for p in isolation.TOP_LINKS if os.path.lexists(p)]
    devices = ["/dev/" + d for d in isolation.DEVICES]
    roots = [*allowed, *links, "/proc", "/tmp", *devices]
    code = (
        f"ALLOWED = {list(allowed)!r}\nROOTS = {roots!r}\nDEVICES = {devices!r}\n"
        + INVENTORY
    )
    result = run(worker, code, limits=Limits(wall_seconds=15, memory_mb=512))
    assert result.ended == "finished", result.detail
    outside, missing, writable_elsewhere, count, tmp_writable = result.answers["seen"]
    assert outside == []  # nothing readable beyond the allow-list
    assert missing == []  # and everything on it is there
    assert writable_elsewhere == []  # only /tmp (and /dev/null & co.) take writes
    assert tmp_writable and count > 100


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


REWRITE = """
import os, shutil, smm_playbook, smm_playbook.grading.scoring as scoring
attempts = []
for target in (scoring.__file__, smm_playbook.__file__):
    try:
        with open(target, 'a') as handle:
            handle.write('\\nraise SystemExit("rewritten")\\n')
        attempts.append('wrote ' + target)
    except OSError as error:
        attempts.append(type(error).__name__)
try:
    shutil.rmtree(os.path.dirname(smm_playbook.__file__))
    attempts.append('deleted')
except OSError as error:
    attempts.append(type(error).__name__)
try:
    os.rename(scoring.__file__, scoring.__file__ + '.bak')
    attempts.append('renamed')
except OSError as error:
    attempts.append(type(error).__name__)
seen = attempts
"""


def test_a_submission_cannot_rewrite_or_delete_the_grader(worker):
    before = _tree_digest(PACKAGE)
    result = run(worker, REWRITE)
    assert result.ended == "finished", result.detail
    attempts = result.answers["seen"]
    assert not any(a.startswith(("wrote", "deleted", "renamed")) for a in attempts)
    assert _tree_digest(PACKAGE) == before


def test_a_rewriting_sitting_leaves_the_next_sitting_untouched():
    """The attack from the review: one submission tries to plant code in the
    installed grader; a second sitting then grades an honest paper in full."""
    first, second = ExamSite(), ExamSite()
    try:
        before = _tree_digest(PACKAGE)
        first.hand_in("mallory", add_cell(first.solved("mallory"), REWRITE))
        first.hand_in("alice", first.solved("alice"))
        first.grade(LIMITS)
        assert _tree_digest(PACKAGE) == before
        second.hand_in("bo", second.solved("bo"))
        summary = second.grade(LIMITS)
        [record] = summary.graded
        assert record.score == record.max_score, record.message
        assert second.key.hex() not in record.message
    finally:
        first.cleanup()
        second.cleanup()


SIGNALS = """
import os, signal
tried = []
for name, call in [
    ('kill(0)', lambda: os.kill(0, signal.SIGKILL)),
    ('kill(ppid)', lambda: os.kill(os.getppid(), signal.SIGKILL)),
    ('killpg(own)', lambda: os.killpg(os.getpgid(0), signal.SIGKILL)),
    ('kill(-1)', lambda: os.kill(-1, signal.SIGKILL)),
    ('killpg(1)', lambda: os.killpg(1, signal.SIGKILL)),
    ('kill(outside pid)', lambda: os.kill({outside}, signal.SIGKILL)),
    ('kill(stop)', lambda: os.kill(0, signal.SIGSTOP)),
]:
    try:
        call()
        tried.append(name + ': sent')
    except OSError as error:
        tried.append(name + ': ' + type(error).__name__)
try:
    child = os.fork()
except OSError:  # no cgroup: a submission may start no other process
    child = None
if child == 0:
    try:
        os.kill(-1, signal.SIGKILL)
        os.kill(0, signal.SIGKILL)
    finally:
        os._exit(0)
if child:
    os.waitpid(child, 0)
seen = tried
"""


def test_signals_from_a_submission_reach_nothing_outside_its_fence(worker):
    # an unrelated process in the test's own process group and session
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        code = SIGNALS.replace("{outside}", str(bystander.pid))
        result = run(worker, code)
        time.sleep(0.2)
        assert bystander.poll() is None, "a process in the grader's group died"
        assert worker.process.poll() is None, "the fork server died"
        os.kill(os.getpid(), 0)  # the grader (this test) is alive, obviously
        assert result.ended == "finished", result.detail
        assert "kill(outside pid): ProcessLookupError" in result.answers["seen"]
        assert os.getpgid(worker.process.pid) != os.getpgid(0)  # own session
        # and the worker still grades
        after = run(worker, "seen = 'still working'")
        assert after.answers["seen"] == "still working"
    finally:
        bystander.kill()
        bystander.wait()


FORK_BOMB = """
import os, time
started = 0
children = []
try:
    for _ in range(400):
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children.append(pid)
        started += 1
except OSError as error:
    refused = type(error).__name__
else:
    refused = 'never'
seen = [started, refused]
"""


def test_a_fork_bomb_stops_at_the_process_budget(worker):
    limits = Limits(wall_seconds=8, memory_mb=512, processes=10)
    result = run(worker, FORK_BOMB, limits=limits)
    assert result.ended == "finished", result.detail
    started, refused = result.answers["seen"]
    assert refused == "BlockingIOError"  # EAGAIN from fork
    budget = limits.processes if result.budgets.get("cgroup") else 0
    assert started <= budget
    if result.budgets.get("cgroup"):
        assert result.budgets["processes"]
        assert "extra processes" in result.detail


MEMORY_SPREAD = """
import os, time
read_end, write_end = os.pipe()
pids = []
for _ in range(4):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        hog = b'x' * (300 * 1024 * 1024)  # touched, so it really is held
        os.write(write_end, b'H')
        time.sleep(6)
        os._exit(0)
    pids.append(pid)
os.close(write_end)
held, deadline = 0, time.time() + 3
import select
while time.time() < deadline:
    ready, _, _ = select.select([read_end], [], [], 0.2)
    if ready:
        chunk = os.read(read_end, 16)
        if not chunk:
            break
        held += len(chunk)
# A child the kernel killed for memory may have written before it died: those
# still alive now hold their 300 MB at the same time.
alive = sum(os.waitpid(pid, os.WNOHANG) == (0, 0) for pid in pids)
seen = [len(pids), held, alive]
"""


def test_memory_spread_across_children_stays_within_one_budget(worker):
    limits = Limits(wall_seconds=10, memory_mb=512, processes=8)
    result = run(worker, MEMORY_SPREAD, limits=limits)
    if result.ended == "over_memory":  # the kernel stopped the runner itself
        assert "512 MB" in result.detail
        return
    assert result.ended == "finished", result.detail
    forked, held, alive = result.answers["seen"]
    if result.budgets.get("cgroup"):
        assert alive * 300 <= 512, (forked, held, alive)
        assert result.budgets["memory"]
    else:
        assert forked == 0  # without a cgroup no child can start at all
