"""Build the one-file app once per session and watch the processes it leaves behind."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import REPO, remove_tree, shm_dir

BUILD_TIMEOUT = 240  # seconds; measured 20-60 s on 2 cores
SLOW_DIRS, SLOW_FILES, SLOW_SIZE = 30, 200, 16 << 10  # with --fsync: copies for 3 s and more


@dataclass(frozen=True)
class Frozen:
    exe: Path  # the one-file executable
    home: Path  # everything of this build lives below it: processes are matched by it
    build_seconds: float
    build_log: str = ""  # PyInstaller's warnings ("" for a given FERRY_FROZEN_APP)


@pytest.fixture(scope="session")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    """dist/ferry built from build.spec into a private folder (FERRY_FROZEN_APP: use that)."""
    given = os.environ.get("FERRY_FROZEN_APP")
    if given:
        exe = Path(given).resolve()
        return Frozen(exe, exe.parent, 0.0)
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            "PyInstaller is not installed, so the packaged app cannot be tested. `make test` "
            "installs it (pip install -e '.[test,build]'); deselect with -m 'not packaging'."
        )
    home = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    build = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", str(home / "dist"), "--workpath", str(home / "work"),
            str(REPO / "build.spec"),
        ],
        cwd=REPO,
        capture_output=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    exe = home / "dist" / ("ferry.exe" if sys.platform == "win32" else "ferry")
    if build.returncode != 0 or not exe.is_file():
        tail = build.stderr.decode(errors="replace")[-4000:]
        pytest.fail(f"pyinstaller build.spec failed (exit {build.returncode}):\n{tail}")
    return Frozen(exe, home / "dist", seconds, build.stderr.decode(errors="replace"))


@pytest.fixture
def frozen_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for one run: a private TMPDIR (so its _MEI* folder is ours to inspect;
    on tmpfs when there is one, as unpacking 130 MB per start is slow on disk), private
    settings, no display but offscreen Qt, nothing from the source checkout."""
    shm = shm_dir()
    tmp = Path(tempfile.mkdtemp(prefix="ferry-frozen-", dir=shm)) if shm else tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "_PYI", "_MEI"))}
    env.update(
        TMPDIR=str(tmp),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        QT_QPA_PLATFORM="offscreen",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    yield env
    remove_tree(tmp)


def unpacked_folders(env: dict[str, str]) -> list[str]:
    """The one-file app's _MEI* folders in this run's TMPDIR."""
    return sorted(name for name in os.listdir(env["TMPDIR"]) if name.startswith("_MEI"))


@dataclass(frozen=True)
class Proc:
    pid: int
    ppid: int
    cmdline: str


def processes_of(home: Path) -> list[Proc]:
    """Live processes whose executable lies below `home` (launcher, app, workers, Manager,
    resource tracker, fork server and its children: a frozen app starts helpers by running its
    own executable)."""
    found = []
    prefix = str(home) + os.sep
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            exe = os.readlink(f"/proc/{name}/exe")  # zombies have none: they run nothing
            with open(f"/proc/{name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        if exe.startswith(prefix) and fields[0] != b"Z":
            found.append(Proc(int(name), int(fields[1]), cmdline.strip()))
    return found


def wait_for_no_processes(home: Path, seconds: float) -> list[Proc]:
    """Poll until no process of `home` is left; return what is still there after `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := processes_of(home)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


@pytest.fixture(scope="session")
def slow_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough small files that a copy with --fsync runs for seconds: time to act mid-copy."""
    root = tmp_path_factory.mktemp("slow") / "src"
    data = os.urandom(SLOW_SIZE)
    for d in range(SLOW_DIRS):
        folder = root / f"d{d:02}"
        folder.mkdir(parents=True)
        for i in range(SLOW_FILES):
            (folder / f"f{i:03}.bin").write_bytes(data[i:] + data[:i])
    return root


@pytest.fixture
def reap(frozen: Frozen) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Popen objects a test registers here are killed (with what they left) if it fails."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()  # reaps it and closes its pipes
    for leftover in processes_of(frozen.home):
        with contextlib.suppress(ProcessLookupError):
            os.kill(leftover.pid, signal.SIGKILL)
