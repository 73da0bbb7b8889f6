"""Linux namespaces and limits that fence a submission off from everything else.

The fence is an allow-list. The runner starts in fresh user, network, PID and
mount namespaces and gets a new, empty root file system that holds only:

- read-only binds of what Python needs: the interpreter, its standard library,
  the virtualenv and every sys.path entry (`python_paths`), and `/usr` with the
  system's `/lib`, `/bin` links, `/etc/ld.so.cache` and `/etc/localtime`;
- `/dev/null`, `/dev/zero`, `/dev/full`, `/dev/random`, `/dev/urandom`;
- a private `/proc` that shows only the submission's own processes;
- `/tmp`, a small empty tmpfs: the only place it can write.

Everything else (the secret, the gradebook, the submissions folder, home
folders, /run's sockets, the project's other files) is simply not there, and
nothing the grading desk later runs or reads can be written. A path passed as
`hidden` that lies inside an allowed folder is covered as well. There is no
network, every capability is dropped (so no mount can be undone), and where
the grader runs as root the submission runs as `nobody` (see `enter_namespaces`).

Python 3.11 has no `os.unshare`, `mount` or `pivot_root`, hence the calls into
libc.
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform
import signal
import stat
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
MNT_DETACH = 2

PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 4, 24
PR_SET_NO_NEW_PRIVS = 38
_CAP_VERSION_3 = 0x20080522
_LAST_CAP = 63
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41}
NOBODY = 65534

# Read-only besides the Python paths: system libraries, loader cache, time zone.
SYSTEM_PATHS = ("/usr", "/etc/ld.so.cache", "/etc/localtime")
# Top-level names: links into /usr on merged-/usr systems, folders elsewhere.
TOP_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
DEVICES = ("null", "zero", "full", "random", "urandom")
# Where the new root is assembled before pivot_root (hidden by it afterwards).
BUILD_AT = ("/dev/shm", "/mnt", "/media", "/srv")


@functools.cache
def _lib() -> ctypes.CDLL:
    """The C library, loaded on first use (importing this module works anywhere)."""
    return ctypes.CDLL(None, use_errno=True)


class IsolationError(RuntimeError):
    """The kernel refused a step of the fence; grading must not go ahead."""


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise IsolationError(f"{what} failed: {os.strerror(errno)} (errno {errno})")


def protect_grader() -> None:
    """Stop processes of the same user reading this process's memory or environ."""
    _call(_lib().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "prctl(PR_SET_DUMPABLE)")


def enter_namespaces(as_nobody: bool, ready: int, go: int) -> None:
    """Called in the supervisor: new user, network and PID namespaces.

    As root (`as_nobody`), the fork server writes the new namespace's maps from
    outside (a process inside may only map its own id): user and group 0 inside
    become `nobody` outside, which the runner switches to once its root is built
    (`become_nobody`). Otherwise the supervisor maps 0 inside to its own user.
    The next child forked becomes PID 1 of the new PID namespace; it makes its own
    mount namespace and root (`enter_new_root`).
    """
    uid, gid = os.geteuid(), os.getegid()
    if as_nobody:
        os.setgroups([])
    flags = CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID
    _call(_lib().unshare(flags), "unshare(user, net, pid namespaces)")
    if as_nobody:
        os.write(ready, b"U")
        if os.read(go, 1) != b"G":
            raise IsolationError("the fork server did not map the user namespace")
        return
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"0 {uid} 1")
    _write("/proc/self/gid_map", f"0 {gid} 1")


def map_to_nobody(pid: int) -> None:
    """Called in the fork server (root): 0 in `pid`'s namespace is nobody outside."""
    _write(f"/proc/{pid}/uid_map", f"0 {NOBODY} 1")
    _write(f"/proc/{pid}/gid_map", f"0 {NOBODY} 1")


def become_nobody() -> None:
    """Called in the runner after its root is built: from root to `nobody`."""
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)  # 0 in the namespace, nobody outside


def allow_list() -> tuple[str, ...]:
    """Every path bound read-only into the new root, outermost first."""
    wanted = sorted(
        {os.path.abspath(p) for p in (*python_paths(), *SYSTEM_PATHS)}
        | {os.path.realpath(p) for p in python_paths()}
    )
    outermost: list[str] = []
    for path in wanted:
        if not os.path.exists(path):
            continue
        if any(path == o or path.startswith(o.rstrip("/") + "/") for o in outermost):
            continue
        outermost.append(path)
    return tuple(outermost)


def python_paths() -> tuple[str, ...]:
    """What the runner may import from: the interpreter and every sys.path entry."""
    roots = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        os.path.dirname(sys.executable),
    }
    roots.update(p for p in sys.path if p)
    return tuple(sorted(os.path.abspath(p) for p in roots if os.path.exists(p)))


def _open_allowed(allowed: tuple[str, ...]) -> list[tuple[str, int]]:
    """Handles on the allowed paths, opened before the runner becomes nobody.

    Binds are made from these handles (`/proc/self/fd/N`), so a Python
    installation in a folder `nobody` cannot enter (root's pyenv, say) still
    binds, and only the path itself becomes visible.
    """
    handles = []
    for path in allowed:
        try:
            handles.append((path, os.open(path, os.O_PATH | os.O_CLOEXEC)))
        except OSError as error:
            raise IsolationError(f"cannot open {path}: {error}") from None
    return handles


def enter_new_root(
    allowed: tuple[str, ...], hidden: tuple[str, ...], tmp_mb: int, as_nobody: bool
) -> None:
    """Called in the runner (PID 1): a mount namespace whose root is the allow-list."""
    _call(_lib().unshare(CLONE_NEWNS), "unshare(mount namespace)")
    _call(_lib().mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "private /")
    handles = _open_allowed(allowed)
    links = {
        link: os.open(link, os.O_PATH | os.O_CLOEXEC)
        for link in TOP_LINKS
        if os.path.isdir(link) and not os.path.islink(link)
    }
    if as_nobody:
        become_nobody()
    base = next((p for p in BUILD_AT if os.path.isdir(p)), None)
    if base is None:
        raise IsolationError("no folder to build the new root in (/dev/shm, /mnt)")
    _mount(b"tmpfs", base, b"tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")
    # /tmp first: a course installed under /tmp is bound read-only on top of it
    os.makedirs(base + "/tmp")
    flags = MS_NOSUID | MS_NODEV
    _mount(b"tmpfs", base + "/tmp", b"tmpfs", flags, f"mode=1777,size={tmp_mb}m")
    for link in TOP_LINKS:
        if os.path.islink(link):
            os.symlink(os.readlink(link), base + link)
        elif link in links:
            _bind_read_only(link, links[link], base)
    for path, handle in handles:
        _bind_read_only(path, handle, base)
    os.makedirs(base + "/dev", exist_ok=True)
    for device in DEVICES:
        source = "/dev/" + device
        if os.path.exists(source):
            open(base + source, "w").close()
            _mount(source.encode(), base + source, None, MS_BIND, None)
    os.makedirs(base + "/proc", exist_ok=True)
    _mount(b"proc", base + "/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
    for path in hidden:  # a secret inside an allowed folder is covered too
        _cover(base + os.path.abspath(path))
    os.chdir(base)
    _pivot_root()
    _call(_lib().umount2(b".", MNT_DETACH), "detach the old root")
    os.chdir("/")
    remount = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
    _mount(None, "/", None, remount, None)


def _pivot_root() -> None:
    number = _PIVOT_ROOT.get(platform.machine())
    if number is None:
        raise IsolationError(f"pivot_root is not known on {platform.machine()}")
    _call(_lib().syscall(number, b".", b"."), "pivot_root")


def _bind_read_only(path: str, handle: int, base: str) -> None:
    target = base + path
    if stat.S_ISDIR(os.fstat(handle).st_mode):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    _mount(f"/proc/self/fd/{handle}".encode(), target, None, MS_BIND, None)
    # a bind keeps the source's locked flags (nosuid, nodev...): repeat them
    flags = MS_REMOUNT | MS_BIND | MS_RDONLY | _locked_flags(handle)
    _mount(None, target, None, flags, None)
    os.close(handle)


def _locked_flags(handle: int) -> int:
    f_flag = os.statvfs(handle).f_flag
    pairs = (
        (os.ST_NOSUID, MS_NOSUID),
        (os.ST_NODEV, MS_NODEV),
        (os.ST_NOEXEC, MS_NOEXEC),
        (os.ST_NOATIME, MS_NOATIME),
        (os.ST_NODIRATIME, MS_NODIRATIME),
        (os.ST_RELATIME, MS_RELATIME),
    )
    return sum(mount for stat, mount in pairs if f_flag & stat)


def _mount(source, target: str, kind, flags: int, data) -> None:
    raw = data.encode() if isinstance(data, str) else data
    _call(_lib().mount(source, target.encode(), kind, flags, raw), f"mount {target}")


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w") as handle:
            handle.write(text)
    except OSError as error:
        raise IsolationError(f"writing {path} failed: {error}") from None


def _cover(path: str) -> None:
    """An empty read-only directory over a folder, /dev/null over a file."""
    if not os.path.lexists(path):
        return
    if os.path.islink(path):
        return  # a link leads to a path that is not bound, or is covered itself
    if os.path.isdir(path):
        flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY
        _mount(b"tmpfs", path, b"tmpfs", flags, "size=4k")
    else:
        _mount(b"/dev/null", path, None, MS_BIND, None)


def lock_down(
    memory_bytes: int, cpu_seconds: int, file_bytes: int, processes: int
) -> None:
    """Called in the runner, in its new root, before any learner code.

    `processes` is how many processes and threads the submission may have at
    once, counting the runner and its supervisor (RLIMIT_NPROC counts per user
    inside the user namespace; a cgroup's pids.max, where there is one, too).
    """
    import resource  # Unix only, like the rest of the fence

    _call(_lib().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "PR_SET_PDEATHSIG")
    base = _address_space_in_use()
    resource.setrlimit(resource.RLIMIT_AS, (base + memory_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a too-big write fails, not kills
    _call(_lib().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "PR_SET_DUMPABLE")
    _call(_lib().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "PR_SET_NO_NEW_PRIVS")
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
    try:
        with open("/proc/sys/kernel/cap_last_cap") as handle:
            last = int(handle.read())
    except (OSError, ValueError):
        last = _LAST_CAP
    for cap in range(last + 1):  # the bounding set: nothing regained on exec
        _call(_lib().prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"drop capability {cap}")
    header = _CapHeader(_CAP_VERSION_3, 0)
    empty = (_CapData * 2)()
    _call(_lib().capset(ctypes.byref(header), empty), "capset (drop capabilities)")
