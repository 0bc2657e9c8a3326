"""Shared test helpers: tree snapshots, CLI runs, unprivileged runs, process lookups."""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
NOBODY = 65534
MIB = 1 << 20
TEMP_MARK = b".ferry-"


# --- trees -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """What a tree comparison looks at for one entry (atime is not compared: reads change it)."""

    kind: str  # "dir", "file", "link", "other"
    mode: int
    mtime_ns: int
    uid: int
    gid: int
    content: str = ""  # sha256 of a file, target of a link
    size: int = 0


def walk_at(
    root: str | os.PathLike[str],
) -> Iterator[tuple[bytes, os.stat_result, int, bytes]]:
    """Every entry under root as (relative path, lstat, folder descriptor, name).

    Through descriptors, so paths longer than PATH_MAX work; without recursion, so deep
    trees do too. The descriptor is valid until the next item.
    """
    base = os.open(os.fsencode(root), os.O_RDONLY | os.O_DIRECTORY)
    stack = [(b"", base, _names(base))]
    try:
        while stack:
            rel, fd, names = stack[-1]
            if not names:
                os.close(fd)
                stack.pop()
                continue
            name = names.pop()
            child = os.path.join(rel, name) if rel else name
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            yield child, st, fd, name
            if stat.S_ISDIR(st.st_mode):
                sub = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
                stack.append((child, sub, _names(sub)))
    finally:
        for _, fd, _ in stack:
            os.close(fd)


def _names(fd: int) -> list[bytes]:
    with os.scandir(fd) as listing:
        return [os.fsencode(entry.name) for entry in listing]


def walk(root: str | os.PathLike[str]) -> Iterator[tuple[bytes, os.stat_result]]:
    """Every entry under root as (relative bytes path, lstat)."""
    for path, st, _, _ in walk_at(root):
        yield path, st


def file_digest(path: str | bytes | os.PathLike[str], dir_fd: int | None = None) -> str:
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY, dir_fd=dir_fd)
    with open(fd, "rb") as handle:
        while block := handle.read(MIB):
            digest.update(block)
    return digest.hexdigest()


def node_of(path: bytes, st: os.stat_result, dir_fd: int | None = None) -> Node:
    common = {
        "mode": st.st_mode,
        "mtime_ns": st.st_mtime_ns,
        "uid": st.st_uid,
        "gid": st.st_gid,
    }
    if stat.S_ISDIR(st.st_mode):
        return Node("dir", **common)
    if stat.S_ISLNK(st.st_mode):
        return Node("link", content=os.fsdecode(os.readlink(path, dir_fd=dir_fd)), **common)
    if stat.S_ISREG(st.st_mode):
        return Node("file", content=file_digest(path, dir_fd), size=st.st_size, **common)
    return Node("other", **common)


def snapshot(root: str | os.PathLike[str], include_root: bool = True) -> dict[bytes, Node]:
    """Content, mode bits, mtime_ns, owner, link targets and empty folders of a tree."""
    tree = {rel: node_of(name, st, fd) for rel, st, fd, name in walk_at(root)}
    if include_root:
        base = os.fsencode(root)
        tree[b"."] = node_of(base, os.lstat(base))
    return tree


def rsync_differences(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> list[str]:
    """What `rsync -aHAXnic --delete` would change: [] when target is a faithful copy.

    Compares content (checksums), modes, times, owners, hard links, ACLs and xattrs.
    """
    done = subprocess.run(
        ["rsync", "-aHAXnic", "--delete", f"{os.fspath(source)}/", f"{os.fspath(target)}/"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return done.stdout.decode("utf-8", "backslashreplace").splitlines()


def differences_but_the_root_s_time(
    source: str | os.PathLike[str], target: str | os.PathLike[str]
) -> list[str]:
    """rsync's differences but the target root's time: a re-run that writes into a
    target root that exists leaves the root its own times (folders.apply_metadata), as
    it would a folder the user made."""
    return [line for line in rsync_differences(source, target) if line != ".d..t...... ./"]


def assert_same_tree(
    expected: str | os.PathLike[str], actual: str | os.PathLike[str], include_root: bool = True
) -> None:
    want = snapshot(expected, include_root)
    got = snapshot(actual, include_root)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    differ = sorted(path for path in set(want) & set(got) if want[path] != got[path])
    problems = []
    if missing:
        problems.append(f"missing in {actual}: {missing[:10]}")
    if extra:
        problems.append(f"unexpected in {actual}: {extra[:10]}")
    for path in differ[:10]:
        problems.append(f"{path!r}: expected {want[path]}, got {got[path]}")
    assert not problems, "\n".join(problems)


def temps_under(root: str | os.PathLike[str]) -> list[bytes]:
    """Ferry temp files (.ferry-*.part) anywhere under root."""
    if not os.path.exists(root):
        return []
    return [path for path, _ in walk(root) if os.path.basename(path).startswith(TEMP_MARK)]


def multiprocessing_folders(temp: str | os.PathLike[str]) -> list[str]:
    """multiprocessing's own temp folders (pymp-*: the fork server's and Managers' sockets)
    in a TMPDIR."""
    return sorted(name for name in os.listdir(temp) if name.startswith("pymp-"))


def regular_files_under(root: str | os.PathLike[str]) -> list[bytes]:
    if not os.path.exists(root):
        return []
    return [path for path, st in walk(root) if not stat.S_ISDIR(st.st_mode)]


def make_deep(root: str | os.PathLike[str], depth: int, name: str = "d") -> str:
    """A chain of `depth` nested folders below root (iterative: os.makedirs recurses)."""
    path = os.fspath(root)
    os.makedirs(path, exist_ok=True)
    for _ in range(depth):
        path = os.path.join(path, name)
        os.mkdir(path)
    return path


def remove_tree(path: str | os.PathLike[str]) -> None:
    """rm -rf, which copes with trees deeper than Python's recursion limit."""
    if os.path.lexists(path):
        subprocess.run(["rm", "-rf", "--", os.fspath(path)], check=True)


def write_big(path: str | os.PathLike[str], size: int, seed: bytes = b"") -> None:
    """Real (non-sparse) data: one random MiB repeated, each MiB tagged with its index."""
    block = os.urandom(MIB - 16 - len(seed)) + seed
    with open(path, "wb") as out:
        for index in range(size // MIB):
            out.write(index.to_bytes(16, "big") + block)
        out.write(os.urandom(size % MIB))


def shm_dir() -> str | None:
    """A tmpfs folder for GiB-sized test data: no disk I/O, no end-of-job sync cost."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 4 << 30:
        return shm
    return None


# --- events ----------------------------------------------------------------------------


def wait_until(predicate: Callable[[], Any], timeout: float, step: float = 0.01) -> Any:
    """Poll until predicate() is truthy; return its value, or fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {predicate}")
        time.sleep(step)


# --- the command line ------------------------------------------------------------------


def cli_command(*args: str, python: str = sys.executable) -> list[str]:
    return [python, "-m", "app", "copy", *args]


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


def run_cli(*args: str, timeout: float = 60, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        cli_command(*args),
        cwd=REPO,
        env=cli_env(),
        capture_output=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def json_lines(stdout: bytes) -> list[dict[str, Any]]:
    """Parse --json output; every line must be one JSON object."""
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines() if line.strip()]


def summary_of(records: list[dict[str, Any]]) -> dict[str, Any]:
    assert records, "no JSON output"
    assert records[-1]["event"] == "summary", records[-1]
    return records[-1]


def file_records(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["path"]: r for r in records if r["event"] == "file"}


# --- unprivileged runs -----------------------------------------------------------------

SETPRIV = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
_SPAWN_PROBE = (
    "import multiprocessing as mp, sys\n"
    "assert sys.version_info >= (3, 11)\n"
    "p = mp.get_context('spawn').Process(target=int)\n"
    "p.start(); p.join(); raise SystemExit(p.exitcode)\n"
)


@functools.cache
def unprivileged_python() -> str | None:
    """An interpreter the user `nobody` can run and spawn children with, or None.

    The venv's python may be a link into root's 0700 home: nobody can then not exec it
    again for spawned workers. The engine needs only the standard library, so a system
    Python 3.11+ with the repository on PYTHONPATH serves as well.
    """
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return None
    candidates = [sys.executable, os.path.realpath(sys.executable), "/usr/bin/python3"]
    candidates += [shutil.which("python3") or ""]
    for candidate in dict.fromkeys(c for c in candidates if c):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            probe = subprocess.run(
                [*SETPRIV, candidate, "-c", _SPAWN_PROBE],
                cwd="/",
                env=cli_env(),
                capture_output=True,
                timeout=30,
                check=False,
            )
            if probe.returncode == 0:
                return candidate
    return None


@contextlib.contextmanager
def world_reachable_dir() -> Iterator[Path]:
    """A folder under /tmp that `nobody` can reach (tmp_path's parents may be 0700)."""
    path = Path(tempfile.mkdtemp(prefix="ferry-unpriv-", dir="/tmp"))
    try:
        path.chmod(0o755)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@functools.cache
def code_for_nobody() -> Path:
    """A copy of the app package that `nobody` can read, whatever folder holds the clone.

    A clone in a 0700 folder (as `mktemp -d` makes) cannot be imported by nobody.
    """
    base = Path(tempfile.mkdtemp(prefix="ferry-code-", dir="/tmp"))
    atexit.register(shutil.rmtree, base, ignore_errors=True)
    shutil.copytree(REPO / "app", base / "app", ignore=shutil.ignore_patterns("__pycache__"))
    for path in [base, *base.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return base


def run_cli_as_nobody(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return run_cli_as(SETPRIV, *args, timeout=timeout)


def as_user(uid: int, groups: tuple[int, ...]) -> list[str]:
    """setpriv arguments for another user, in these groups (the first is its own)."""
    member = ",".join(map(str, groups))
    return ["setpriv", f"--reuid={uid}", f"--regid={groups[0]}", f"--groups={member}"]


def run_cli_as(
    user: list[str], *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    python = unprivileged_python()
    assert python is not None
    return subprocess.run(
        [*user, *cli_command(*args, python=python)],
        cwd="/",
        env=cli_env(PYTHONPATH=str(code_for_nobody()), **(env or {})),
        capture_output=True,
        timeout=timeout,
        check=False,
    )


# --- processes -------------------------------------------------------------------------


def proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, ppid, start time) of a live process, None if gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    fields = data[data.rindex(b")") + 2 :].split()
    state = fields[0].decode()
    if state in ("Z", "X"):
        return None
    return state, int(fields[1]), int(fields[19])


def children_of(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            info = proc_stat(int(name))
            if info is not None and info[1] == pid:
                found.append(int(name))
    return found


def descendants_of(pid: int) -> list[int]:
    result, pending = [], [pid]
    while pending:
        for child in children_of(pending.pop()):
            result.append(child)
            pending.append(child)
    return result


def job_processes(pid: int) -> list[int]:
    """The Manager and the Pool workers of Ferry process `pid`: its fork server's children
    (app/core/processes.py); the resource tracker is not one of them."""
    servers = [p for p in children_of(pid) if b"forkserver" in cmdline(p)]
    return [child for server in servers for child in children_of(server)]


def cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def open_paths(pid: int) -> list[str]:
    """What process pid's descriptors point to; [] if it is gone."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return []
    paths = []
    for fd in fds:
        with contextlib.suppress(OSError):
            paths.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return paths


def has_open(pid: int, path: str | os.PathLike[str]) -> bool:
    """Whether process pid holds a descriptor on path (how a test finds who copies what)."""
    return os.path.realpath(path) in open_paths(pid)


_UNNAMED = re.compile(r"/#\d+ \(deleted\)$")  # how /proc shows an O_TMPFILE file


def is_temp(path: str) -> bool:
    """A file being written: a named temp (.ferry-*.part) or an unnamed O_TMPFILE one."""
    return ".ferry-" in os.path.basename(path) or bool(_UNNAMED.search(path))


def holds_temp(pid: int) -> bool:
    """Whether process pid has a file it is writing open (a busy worker)."""
    return any(is_temp(path) for path in open_paths(pid))


def writing_sizes(target: str | os.PathLike[str]) -> list[int]:
    """Sizes of the files some process is writing under target (named or unnamed temps)."""
    root = os.path.realpath(target) + os.sep
    sizes = []
    for pid in (int(name) for name in os.listdir("/proc") if name.isdigit()):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    path = os.readlink(f"/proc/{pid}/fd/{fd}")
                    if path.startswith(root) and is_temp(path):
                        sizes.append(os.stat(f"/proc/{pid}/fd/{fd}").st_size)
    return sizes


def rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def alive(pids: dict[int, int]) -> list[int]:
    """Those of {pid: start time} that still run (a reused pid does not count)."""
    live = []
    for pid, started in pids.items():
        info = proc_stat(pid)
        if info is not None and info[2] == started:
            live.append(pid)
    return live


def identify(pids: list[int]) -> dict[int, int]:
    found = {}
    for pid in pids:
        info = proc_stat(pid)
        if info is not None:
            found[pid] = info[2]
    return found


def kill_quietly(pid: int, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


class Recorder:
    """An on_event callback that keeps every event and runs per-event hooks."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.hooks: list[Callable[[Any], None]] = []

    def __call__(self, event: Any) -> None:
        self.events.append(event)
        for hook in list(self.hooks):
            hook(event)

    def of(self, kind: type) -> list[Any]:
        return [event for event in self.events if isinstance(event, kind)]

    def results(self) -> list[Any]:
        from app.core.events import FilesFinished

        return [r for event in self.of(FilesFinished) for r in event.results]


def is_active(event: Any, path: str) -> bool:
    """True once a Progress event lists `path` as being copied (even at 0 bytes)."""
    return any(active.path == path for active in getattr(event, "active", ()))


def active_done(event: Any, path: str) -> int:
    """Bytes of `path` copied so far according to a Progress event (0 if not active)."""
    for active in getattr(event, "active", ()):
        if active.path == path:
            return int(active.done)
    return 0


class Background:
    """run() of a job in a thread, so the test can watch and steer it."""

    def __init__(self, job: Any) -> None:
        self.report: Any = None
        self.job = job
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.report = self.job.run()

    def join(self, timeout: float) -> Any:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), f"the job did not finish within {timeout}s"
        assert self.report is not None
        return self.report


def steady(measure: Callable[[], Any], hold: float, timeout: float) -> Any:
    """Wait until measure() stops changing, then check it stays so for `hold` seconds.

    For promises about what does NOT happen (a paused copy does not grow): the only
    place a test watches the clock instead of waiting for a condition.
    """
    deadline = time.monotonic() + timeout
    value = measure()
    while True:
        time.sleep(0.1)
        again = measure()
        if again == value:
            break
        value = again
        if time.monotonic() > deadline:
            raise AssertionError(f"{measure} kept changing for {timeout}s")
    end = time.monotonic() + hold
    while time.monotonic() < end:
        assert measure() == value, f"{measure} changed while it should hold still"
        time.sleep(0.05)
    return value


def in_private_mounts(
    script: str, *args: str, timeout: float = 90
) -> subprocess.CompletedProcess[bytes]:
    """Run `sh -c script` (with $1, $2... = args) in a private mount namespace, as root.

    What it mounts (a tiny tmpfs, a ramfs) is real but vanishes with it; $PYTHON is this
    interpreter, so `"$PYTHON" -m app copy ...` runs the CLI there.
    """
    unshare = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"]
    return subprocess.run(
        [*unshare, *args],
        cwd=REPO,
        env=cli_env(PYTHON=sys.executable),
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def tiny_tmpfs(path: Path, inodes: int) -> Iterator[Path]:
    """A tmpfs at `path` that holds `inodes` entries: a disk that fills, for a test run in
    this process (a window), as root; unmounted after."""
    path.mkdir(parents=True, exist_ok=True)
    options = f"size=16m,nr_inodes={inodes}"
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "--lazy", str(path)], check=False)


# A real file system in an image file on a loop device: (mkfs command, mount command).
DISK_IMAGES = {
    "exfat-fuse": (["mkfs.exfat"], ["mount.exfat-fuse"]),  # fuseblk: a USB stick's driver
    "btrfs": (["mkfs.btrfs", "-q"], ["mount", "-t", "btrfs"]),  # small files kept inline
    "ext4-inline": (["mkfs.ext4", "-q", "-O", "inline_data"], ["mount", "-t", "ext4"]),
    "ext4-few-inodes": (["mkfs.ext4", "-q", "-N", "100"], ["mount", "-t", "ext4"]),  # 128
}


@contextlib.contextmanager
def disk_image(folder: Path, kind: str, options: str = "") -> Iterator[tuple[Path, Path]]:
    """(mount point, image file) of a real file system of `kind` (DISK_IMAGES) on a loop
    device of its own, as root, mounted with `options` (`-o`); skipped where this machine
    cannot make one. Unmounted and detached after."""
    mkfs, mount = DISK_IMAGES[kind]
    tools = [mkfs[0], mount[0], "losetup"] + (["fusermount"] if "fuse" in kind else [])
    if os.geteuid() != 0 or not all(shutil.which(tool) for tool in tools):
        pytest.skip(f"a {kind} disk image needs root and {', '.join(tools)}")
    image, point = folder / f"{kind}.img", folder / f"{kind}-mnt"
    with open(image, "wb") as out:
        out.truncate(128 << 20)  # (sparse: btrfs wants 114 MiB at least)
    point.mkdir()
    subprocess.run([*mkfs, str(image)], check=True, capture_output=True)
    attach = ["losetup", "--find", "--show", str(image)]
    loop = subprocess.run(attach, capture_output=True, text=True, check=False)
    if loop.returncode != 0:
        pytest.skip(f"no loop device: {loop.stderr.strip()}")
    device = loop.stdout.strip()
    try:
        mount += ["-o", options] if options else []
        mounted = subprocess.run([*mount, device, str(point)], capture_output=True, check=False)
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount {kind}: {mounted.stderr.decode(errors='replace')}")
        try:
            yield point, image
        finally:
            subprocess.run(["umount", str(point)], check=True)
    finally:
        subprocess.run(["losetup", "--detach", device], check=False)


def flip_in_image(image: Path, data: bytes) -> None:
    """Damage a file's data on the device, as a bad disk would: one byte of the image
    where `data` (random, so found once) is stored; the file system knows nothing."""
    os.sync()  # what the file system still had to write is in the image first
    with open(image, "r+b") as disk:
        content = disk.read()
        at = content.find(data[1000:1064])
        assert at >= 0 and content.find(data[1000:1064], at + 1) < 0, "not found once"
        disk.seek(at)
        disk.write(bytes([content[at] ^ 0xFF]))


needs_namespaces = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None,
    reason="private mount namespaces need root (or unshare --user) and util-linux unshare",
)
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounts a tmpfs: needs root")
needs_nobody = pytest.mark.skipif(
    unprivileged_python() is None,
    reason="needs root, setpriv and a Python the user nobody can run (spawn included)",
)
