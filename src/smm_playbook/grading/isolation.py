"""Linux namespaces and limits that fence a submission off from the grader.

A submission runs as the same user as the grader, so file permissions alone
cannot hide the secret. Instead the process that runs it gets its own user,
mount, network and PID namespaces (no root needed where the kernel allows
unprivileged user namespaces):

- the secret file, the gradebook and the submissions folder are covered by
  empty mounts, as are /run (local sockets: a database server's, Docker's),
  /dev/shm and the password files; /tmp, /var/tmp, /root, /home and the
  grader's home are emptied (where credentials such as ~/.pgpass live), except
  for the Python installation and packages the runner imports from;
- there is no network;
- a fresh /proc shows only the submission's own processes, and killing its
  first process kills every process it started;
- every capability is dropped, so the cover mounts cannot be undone.

Python 3.11 has no `os.unshare` or `mount`, hence the calls into libc.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 1, 4, 38

# Local sockets (a database server's, Docker's, D-Bus's) live in /run, and shared
# memory in /dev/shm; a network namespace does not cut Unix sockets on the disk.
# The password files matter where the grader runs as root.
ALWAYS_HIDDEN = ("/run", "/dev/shm", "/etc/shadow", "/etc/gshadow")
# Where people keep credentials (~/.pgpass, ~/.ssh) and scratch files: emptied,
# except for the Python installation and packages the runner imports from.
PRIVATE_DIRS = ("/tmp", "/var/tmp", "/root", "/home")
MNT_DETACH = 2
_CAP_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)


class IsolationError(RuntimeError):
    """The kernel refused a step of the fence; grading must not go ahead."""


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise IsolationError(f"{what} failed: {os.strerror(errno)} (errno {errno})")


def protect_grader() -> None:
    """Stop processes of the same user reading this process's memory or environ."""
    _call(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def enter_namespaces(hidden: tuple[str, ...], keep: tuple[str, ...] = ()) -> None:
    """Called in the supervisor: new namespaces, then the cover mounts.

    `keep` lists the paths the runner imports from (the interpreter, its
    packages): inside the private directories they stay visible. The next child
    forked becomes PID 1 of the new PID namespace.
    """
    uid, gid = os.geteuid(), os.getegid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID
    _call(_libc.unshare(flags), "unshare(user, mount, net, pid namespaces)")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"0 {uid} 1")
    _write("/proc/self/gid_map", f"0 {gid} 1")
    _call(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "private /")
    for path in ALWAYS_HIDDEN:
        _cover(path)
    home = os.path.realpath(os.path.expanduser("~"))
    for directory in dict.fromkeys((*PRIVATE_DIRS, home)):
        _empty_except(os.path.realpath(directory), keep)
    for path in hidden:  # after: a secret inside a kept folder is covered too
        _cover(path)


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w") as handle:
            handle.write(text)
    except OSError as error:
        raise IsolationError(f"writing {path} failed: {error}") from None


def _cover(path: str) -> None:
    """An empty directory over a folder, /dev/null over a file."""
    if not os.path.exists(path) or os.path.islink(path):
        return
    target = path.encode()
    if os.path.isdir(path):
        flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
        _call(_libc.mount(b"tmpfs", target, b"tmpfs", flags, b"size=4k"), path)
    else:
        _call(_libc.mount(b"/dev/null", target, None, MS_BIND, None), path)


def _empty_except(directory: str, keep: tuple[str, ...]) -> None:
    """Mount an empty tmpfs over `directory`, then bind the kept paths back.

    The originals are reached through a stash: a bind of `directory` made under
    the (already private) /dev/shm before the tmpfs hides it, removed after.
    """
    if not os.path.isdir(directory) or os.path.islink(directory):
        return
    inside = _kept_inside(directory, keep)
    if inside is None:
        return  # the whole folder is needed (say, a virtualenv lives there)
    stash = "/dev/shm/stash"
    os.makedirs(stash, exist_ok=True)
    _call(
        _libc.mount(directory.encode(), stash.encode(), None, MS_BIND | MS_REC, None),
        f"stash {directory}",
    )
    flags = MS_NOSUID | MS_NODEV
    _call(
        _libc.mount(b"tmpfs", directory.encode(), b"tmpfs", flags, b"size=64m"),
        f"empty {directory}",
    )
    for path in inside:
        source = os.path.join(stash, os.path.relpath(path, directory))
        if os.path.isdir(source):
            os.makedirs(path, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "a").close()
        _call(
            _libc.mount(source.encode(), path.encode(), None, MS_BIND | MS_REC, None),
            f"keep {path}",
        )
    _call(_libc.umount2(stash.encode(), MNT_DETACH), "drop the stash")
    os.rmdir(stash)


def _kept_inside(directory: str, keep: tuple[str, ...]) -> list[str] | None:
    """The outermost kept paths below `directory`; None if it is itself kept."""
    prefix = directory.rstrip("/") + "/"
    inside = []
    for path in sorted({os.path.realpath(p) for p in keep if os.path.exists(p)}):
        if directory.startswith(path.rstrip("/") + "/") or path == directory:
            return None
        if path.startswith(prefix) and not any(
            path.startswith(outer.rstrip("/") + "/") for outer in inside
        ):
            inside.append(path)
    return inside


def python_paths() -> tuple[str, ...]:
    """What the runner may import from: the interpreter and every sys.path entry."""
    import sys

    roots = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        os.path.dirname(sys.executable),
    }
    roots.update(p for p in sys.path if p)
    return tuple(sorted(os.path.realpath(p) for p in roots if os.path.exists(p)))


def lock_down(memory_bytes: int, cpu_seconds: int, file_bytes: int) -> None:
    """Called in the runner (PID 1 of its namespace) before any learner code."""
    _call(
        _libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None),
        "a private /proc",
    )
    _call(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "PR_SET_PDEATHSIG")
    base = _address_space_in_use()
    resource.setrlimit(resource.RLIMIT_AS, (base + memory_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big write fails, not kills
    _call(_libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "PR_SET_DUMPABLE")
    _call(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS")
    _drop_capabilities()


def _address_space_in_use() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise IsolationError("could not read VmSize from /proc/self/status")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def _drop_capabilities() -> None:
    header = _CapHeader(_CAP_VERSION_3, 0)
    empty = (_CapData * 2)()
    _call(_libc.capset(ctypes.byref(header), empty), "capset (drop capabilities)")
