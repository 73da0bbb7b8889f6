"""The fence around a submission, probed from inside it.

Each probe runs code in the sandbox the way a submission would and reports what
it could see or do; every probe must come back blocked.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from smm_playbook.grading.isolation import python_paths
from smm_playbook.grading.sandbox import Job, Limits, WarmWorker, plain

LIMITS = Limits(wall_seconds=5, memory_mb=512)


@pytest.fixture(scope="module")
def worker():
    pool = WarmWorker()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def private_files():
    """A secret, a gradebook and a folder of others' work, outside /tmp."""
    root = Path(tempfile.mkdtemp(prefix="smm-fence-", dir="/var/tmp"))
    (root / "exam.secret").write_text("SECRET-KEY-MATERIAL\n")
    (root / "gradebook.db").write_text("GRADES\n")
    (root / "others").mkdir()
    (root / "others" / "bo.ipynb").write_text("BO'S ANSWERS\n")
    yield root
    shutil.rmtree(root)


def probe(worker, code: str, hidden=(), limits=LIMITS):
    result = worker.run(Job((code,), ("seen",), tuple(map(str, hidden)), limits))
    return result, result.answers.get("seen")


READ = """
try:
    seen = open({path!r}).read()
except Exception as error:
    seen = 'blocked: ' + type(error).__name__
"""


def test_hidden_files_read_as_empty_or_missing(worker, private_files):
    hidden = [
        private_files / "exam.secret",
        private_files / "gradebook.db",
        private_files / "others",
    ]
    for path in (hidden[0], hidden[1], hidden[2] / "bo.ipynb"):
        result, seen = probe(worker, READ.format(path=str(path)), hidden)
        assert result.ended == "finished"
        assert seen == "" or seen.startswith("blocked"), (path, seen)
    listing = LIST.format(path=str(private_files / "others"))
    _, seen = probe(worker, listing, hidden)
    assert seen == [] or seen.startswith("blocked")


LIST = """
import os
try:
    seen = os.listdir({path!r})
except Exception as error:
    seen = 'blocked: ' + type(error).__name__
"""


def test_scratch_and_home_folders_show_only_the_python_installation(worker):
    """Credentials in home folders (~/.pgpass) and others' scratch files stay out."""
    home = Path.home()
    probes = [
        Path(tempfile.mkdtemp(dir=d, prefix="smm-probe-"))
        for d in ("/tmp", "/var/tmp", str(home))
    ]
    try:
        for folder in probes:
            (folder / "credentials").write_text("password")
            _, seen = probe(worker, LIST.format(path=str(folder)))
            assert seen.startswith("blocked"), folder
        _, seen = probe(worker, "import smm_playbook.checks.view\nseen = 'imported'")
        assert seen == "imported"  # not preloaded: read from the kept package
    finally:
        for folder in probes:
            shutil.rmtree(folder)


def test_cover_mounts_cannot_be_undone(worker, private_files):
    secret = private_files / "exam.secret"
    code = f"""
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
for target in ({str(secret)!r}, '/var/tmp', {str(private_files)!r}):
    libc.umount2(target.encode(), 2)
try:
    seen = open({str(secret)!r}).read()
except OSError as error:
    seen = 'blocked: ' + type(error).__name__
"""
    _, seen = probe(worker, code, [secret])
    assert seen == "" or seen.startswith("blocked")


def test_local_sockets_and_shared_memory_are_out_of_sight(worker):
    _, seen = probe(
        worker,
        "import os\nseen = [p for p in ('/run', '/dev/shm', '/var/run') "
        "if os.path.exists(p) and os.listdir(p)]",
    )
    assert seen == []


def test_only_its_own_processes_are_visible(worker):
    code = """
import os
seen = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
"""
    _, seen = probe(worker, code)
    assert seen == [1]  # the runner is PID 1 of its own namespace


def test_the_grader_memory_and_environment_are_out_of_reach(worker):
    code = f"""
seen = []
for name in ('environ', 'mem', 'cmdline'):
    try:
        seen.append(open('/proc/{os.getpid()}/' + name, 'rb').read(64).hex())
    except Exception as error:
        seen.append('blocked')
"""
    _, seen = probe(worker, code)
    assert seen == ["blocked", "blocked", "blocked"]


def test_no_network(worker):
    code = """
import socket
try:
    socket.create_connection(('127.0.0.1', 22), timeout=2)
    seen = 'connected'
except OSError as error:
    seen = 'blocked: ' + str(error)
"""
    _, seen = probe(worker, code)
    assert seen.startswith("blocked")


def test_environment_and_argv_carry_nothing_of_the_grader(worker):
    os.environ["SMM_TEST_MARKER"] = "should-not-leak"
    try:
        code = "import os, sys\nseen = [sorted(os.environ), sys.argv]"
        _, seen = probe(worker, code)
    finally:
        del os.environ["SMM_TEST_MARKER"]
    variables, argv = seen
    assert "SMM_TEST_MARKER" not in variables
    assert argv == ["submission"]


def test_a_private_writable_tmp(worker):
    code = (
        "import os\nopen('/tmp/x', 'w').write('1')\nseen = sorted(os.listdir('/tmp'))"
    )
    _, seen = probe(worker, code)
    # besides its own files, only the Python installation if it lives in /tmp
    kept = {
        Path(p).relative_to("/tmp").parts[0]
        for p in python_paths()
        if p.startswith("/tmp/")
    }
    assert set(seen) == {"work", "x"} | kept


# A process the submission leaves behind names itself, so the test can look for it
# in /proc from outside its namespace (its command line is the fork server's).
NAME_ME = """
import ctypes
ctypes.CDLL(None).prctl(15, {name!r}.encode(), 0, 0, 0)  # PR_SET_NAME
"""


def test_children_die_with_the_submission(worker):
    code = (
        NAME_ME.format(name="smm-leftover")
        + """
import os, time
pid = os.fork()
if pid == 0:
    time.sleep(600)
    os._exit(0)
seen = pid
"""
    )
    result, _ = probe(worker, code)
    assert result.ended == "finished"
    assert _named("smm-leftover") == 0


def _named(name: str) -> int:
    """Processes on this machine whose name is `name`, after a moment to die."""
    for _ in range(50):
        count = 0
        for entry in Path("/proc").iterdir():
            try:
                if (
                    entry.name.isdigit()
                    and (entry / "comm").read_text().strip() == name
                ):
                    count += 1
            except OSError:
                continue
        if not count:
            return 0
        time.sleep(0.02)
    return count


@pytest.mark.parametrize(
    ("code", "ended"),
    [
        ("seen = 1\nwhile True:\n    pass", "timeout"),
        ("seen = 1\nimport time\ntime.sleep(60)", "timeout"),
        ("seen = 1\nimport os\nos._exit(3)", "exited"),
        ("seen = 1\nimport ctypes\nctypes.string_at(0)", "killed"),  # a real segfault
    ],
)
def test_runs_that_never_finish_keep_earlier_answers(worker, code, ended):
    limits = Limits(wall_seconds=2, memory_mb=512)
    result = worker.run(Job(tuple(code.split("\n", 1)), ("seen",), (), limits))
    assert result.ended == ended
    assert result.answers == {"seen": 1.0}


def test_memory_bomb_is_a_memory_error_not_a_crash(worker):
    cells = ("seen = 1", "hog = bytearray(4 * 1024**3)", "after = 2")
    result = worker.run(Job(cells, ("seen", "after"), (), LIMITS))
    assert result.ended == "finished"
    assert "MemoryError" in result.errors[0]
    assert result.answers == {"seen": 1.0, "after": 2.0}


def test_output_flood_is_capped(worker):
    code = (
        "import sys\nfor _ in range(50):\n    sys.stdout.write('x' * 10**6)\nseen = 1"
    )
    result, seen = probe(worker, code)
    assert seen == 1
    assert len(result.output) <= LIMITS.output_kb * 1024


FORGE = """
import os, struct
for fd in range(3, 64):
    try:
        os.write(fd, {frame})
    except OSError:
        pass
"""


def test_a_forged_done_frame_cannot_leave_the_run_going(worker):
    done = "struct.pack('>I', 4) + b'DONE'"
    cells = (
        "seen = 1",
        NAME_ME.format(name="smm-lingerer"),
        FORGE.format(frame=done),
        "import time\ntime.sleep(60)",
    )
    result = worker.run(Job(cells, ("seen",), (), LIMITS))
    assert result.seconds < LIMITS.wall_seconds  # the supervisor did not wait on it
    assert result.answers == {"seen": 1.0}
    assert _named("smm-lingerer") == 0


def test_a_garbled_answer_pipe_ends_the_run_and_keeps_earlier_answers(worker):
    huge = "struct.pack('>I', 2**31) + b'x' * 16"
    cells = ("seen = 1", FORGE.format(frame=huge), "seen = 2")
    result = worker.run(Job(cells, ("seen",), (), LIMITS))
    assert result.ended == "too_large"
    assert result.answers == {"seen": 1.0}


def test_a_dead_fork_server_is_replaced(worker):
    worker.process.kill()
    worker.process.wait()
    result, seen = probe(worker, "seen = 5")
    assert (result.ended, seen) in {("killed", None), ("finished", 5.0)}
    result, seen = probe(worker, "seen = 6")
    assert (result.ended, seen) == ("finished", 6.0)


class Awkward:
    def __float__(self):
        raise ValueError("no")

    def __repr__(self):
        raise RuntimeError("no repr either")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3.0),
        (True, True),
        ("text", "text"),
        (float("nan"), {"unreadable": "nan"}),
        ("a" * 10_000, {"too_long": "text of 10,000 characters"}),
        (list(range(100)), {"too_long": "a collection of 100 items"}),
        (["a", 2], ["a", 2.0]),
        (object(), {"unreadable": "a object"}),
        (Awkward(), {"unreadable": "a Awkward"}),
    ],
)
def test_plain_copies_answers_or_marks_them(value, expected):
    assert plain(value) == expected
