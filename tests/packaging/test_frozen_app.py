"""The one-file app built from build.spec copies like the source, exits cleanly, leaves nothing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import (
    REPO,
    assert_same_tree,
    json_lines,
    multiprocessing_folders,
    temps_under,
    wait_until,
    walk,
)
from tests.packaging.conftest import (
    Frozen,
    Proc,
    processes_of,
    unpacked_folders,
    wait_for_no_processes,
)

# The build runs in the session fixture, bounded by its own timeout; func_only keeps it out
# of each test's budget.
pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="process checks read /proc (Linux only)"
    ),
]

MAX_ONEFILE_BYTES = 50 * 1000 * 1000  # issue #13 (it was 60 MB for issue #4)
KILL_DEADLINE = 2.0  # seconds after SIGKILL by which every process must be gone
UNRESOLVED = re.compile(r"could not resolve '([^']+)', dependency of '([^']+)'")  # PyInstaller
MARKER = "ferry-bundle.txt"  # bundled by build.spec: marks a _MEI* folder as Ferry's


def make_tree(root: Path) -> Path:
    """Files of several sizes, modes and mtimes, nested and empty folders, a symlink."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "empty").mkdir()
    (root / "sub" / "mixed 名字.txt").write_text("hello, 世界\n", encoding="utf-8")
    (root / "sub" / "deeper" / "blob.bin").write_bytes(os.urandom(3 << 20))
    (root / "zero").write_bytes(b"")
    script = root / "run.sh"
    script.write_text("#!/bin/sh\necho ferry\n")
    script.chmod(0o750)
    (root / "private").write_bytes(os.urandom(1000))
    (root / "private").chmod(0o600)
    os.symlink("sub/mixed 名字.txt", root / "link")
    for i, path in enumerate(sorted(root.rglob("*"), reverse=True)):  # folders last
        os.utime(path, ns=(1_600_000_000_123_456_789 + i, 1_500_000_000_987_654_321 + i * 7),
                 follow_symlinks=False)  # fmt: skip
    os.utime(root, ns=(1_600_000_000_000_000_000, 1_400_000_000_000_000_001))
    return root


def run(frozen: Frozen, env: dict[str, str], *args: str, timeout: float = 60):
    return subprocess.run(
        [str(frozen.exe), *args], env=env, capture_output=True, timeout=timeout, check=False
    )


def assert_clean_exit(frozen: Frozen, env: dict[str, str]) -> None:
    """After a normal exit: no process of the build left, the one-file folder removed,
    and multiprocessing's too (after a killed app, its fork server removes it)."""
    left = wait_for_no_processes(frozen.home, 1.0)
    assert not left, f"processes outlived Ferry: {left}"
    assert unpacked_folders(env) == [], "the one-file temp folder (_MEI*) was left behind"
    assert multiprocessing_folders(env["TMPDIR"]) == [], "a pymp-* folder was left behind"


def backdate(folder: Path, seconds: float = 60) -> None:
    """Make a _MEI* folder look unpacked `seconds` ago: the start-up sweep spares folders
    that changed in the last 10 s (a launcher may still be unpacking there)."""
    when = time.time() - seconds
    for rel, _st in walk(folder):
        os.utime(os.path.join(os.fsencode(folder), rel), (when, when), follow_symlinks=False)
    os.utime(folder, (when, when))


def copy_small_tree(frozen: Frozen, env: dict[str, str], tmp_path: Path, name: str) -> None:
    """One short `ferry copy` that must succeed: a start, and so a start-up sweep."""
    source = tmp_path / f"{name}-src"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "a.txt").write_text(name)
    done = run(frozen, env, "copy", str(source), str(tmp_path / f"{name}-dst"))
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert_same_tree(source, tmp_path / f"{name}-dst")


def start_slow_copy(
    frozen: Frozen, env: dict[str, str], source: Path, target: Path, reap: list
) -> subprocess.Popen[bytes]:
    """Start a copy that lasts seconds; return once its Manager and both workers run."""
    launcher = subprocess.Popen(
        [str(frozen.exe), "copy", str(source), str(target), "--fsync", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    reap.append(launcher)

    def children() -> list[Proc]:
        # The Manager and the workers: the fork server's children (app/core/processes.py).
        found = processes_of(frozen.home)
        servers = {p.pid for p in found if "multiprocessing.forkserver" in p.cmdline}
        forked = [p for p in found if p.ppid in servers]
        return forked if len(forked) >= 3 else []

    wait_until(children, timeout=30, step=0.02)
    wait_until(lambda: any(target.rglob("*.bin")), timeout=10, step=0.02)  # copying now
    assert launcher.poll() is None, "the copy ended before the test could interrupt it"
    return launcher


@pytest.mark.timeout(10, func_only=True)
def test_one_file_build_is_small_enough(frozen: Frozen) -> None:
    size = frozen.exe.stat().st_size
    assert size <= MAX_ONEFILE_BYTES, f"one-file build is {size / 1e6:.1f} MB"


@pytest.mark.timeout(30, func_only=True)
def test_every_bundled_library_has_what_it_links_to(frozen: Frozen) -> None:
    """PyInstaller leaves out, with only a warning, a library the build machine lacks:
    built on a bare machine, Qt's xcb and wayland platforms could not load on a desktop
    without libxcb-icccm, libxcb-keysyms and libwayland-cursor (tools/system-deps.sh).
    A warning may only concern a library build.spec leaves out (the GTK theme)."""
    from PyInstaller.archive.readers import CArchiveReader

    if not frozen.build_log:
        pytest.skip("FERRY_FROZEN_APP names a build made elsewhere: its log is not here")
    bundled = {Path(name).name for name in CArchiveReader(str(frozen.exe)).toc}
    assert {"libqxcb.so", "libqwayland.so"} <= bundled
    unresolved = UNRESOLVED.findall(frozen.build_log)
    broken = [(lib, Path(user).name) for lib, user in unresolved if Path(user).name in bundled]
    assert not broken, f"bundled libraries whose dependencies were left out: {broken}"


@pytest.mark.timeout(60, func_only=True)
def test_copy_equals_source(frozen: Frozen, frozen_env: dict[str, str], tmp_path: Path) -> None:
    source = make_tree(tmp_path / "src")
    target = tmp_path / "dst"
    done = run(frozen, frozen_env, "copy", str(source), str(target), "--json")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    records = json_lines(done.stdout)
    assert records[-1]["event"] == "summary"
    assert records[-1]["failed"] == 0
    copied = {r["path"] for r in records if r["event"] == "file" and r["status"] == "copied"}
    assert copied >= {"zero", "run.sh", "private", "sub/deeper/blob.bin", "sub/mixed 名字.txt"}
    assert_same_tree(source, target)  # content, modes, mtime_ns, owners, links, empty dirs
    if shutil.which("rsync"):  # a second opinion where rsync is installed
        rsync = subprocess.run(
            ["rsync", "-anic", "--delete", f"{source}/", f"{target}/"],
            capture_output=True,
            check=False,
        )
        assert rsync.stdout == b"", rsync.stdout.decode(errors="replace")
    assert temps_under(target) == []
    assert_clean_exit(frozen, frozen_env)


@pytest.mark.timeout(60, func_only=True)
@pytest.mark.parametrize("extension", [".sha256", ".b3", ".xxh128"])
def test_verify_and_manifests_work_frozen(
    frozen: Frozen, frozen_env: dict[str, str], tmp_path: Path, extension: str
) -> None:
    """The hash packages (xxhash, blake3) are in the bundle."""
    source = make_tree(tmp_path / "src")
    target, manifest = tmp_path / "dst", tmp_path / f"sums{extension}"
    done = run(
        frozen,
        frozen_env,
        "copy",
        "--json",
        "--verify",
        "--manifest",
        str(manifest),
        str(source),
        str(target),
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert json_lines(done.stdout)[-1]["verified"] > 0
    checked = run(frozen, frozen_env, "verify", "--json", str(manifest), str(target))
    assert checked.returncode == 0, checked.stderr.decode(errors="replace")
    assert json_lines(checked.stdout)[-1]["ok"] == len(manifest.read_bytes().splitlines())


@pytest.mark.timeout(60, func_only=True)
def test_exit_codes(frozen: Frozen, frozen_env: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    (source / "b.txt").write_text("b")
    target = tmp_path / "dst"
    (target / "a.txt").mkdir(parents=True)  # a folder where a file must go: one failure

    failed = run(frozen, frozen_env, "copy", str(source), str(target))
    assert failed.returncode == 1, failed.stderr
    assert (target / "b.txt").read_text() == "b"
    assert b"a folder of that name exists" in failed.stderr

    missing = run(frozen, frozen_env, "copy", str(tmp_path / "nope"), str(tmp_path / "y"))
    assert missing.returncode == 2
    usage = run(frozen, frozen_env, "copy", "--no-such-option")
    assert usage.returncode == 2
    assert b"usage: ferry copy" in usage.stderr
    # A command this quick ended while the workers' server, started early, still read
    # the one-file folder the launcher then removed: its traceback came after the exit.
    for done in (missing, usage):
        assert b"Traceback" not in done.stderr, done.stderr
    assert_clean_exit(frozen, frozen_env)


@pytest.mark.timeout(60, func_only=True)
def test_interrupt_cancels_cleanly(
    frozen: Frozen, frozen_env: dict[str, str], slow_source: Path, tmp_path: Path, reap: list
) -> None:
    """Ctrl-C reaches the launcher, which forwards it: the copy cancels and exits 130."""
    target = tmp_path / "dst"
    launcher = start_slow_copy(frozen, frozen_env, slow_source, target, reap)
    launcher.send_signal(signal.SIGINT)
    _, stderr = launcher.communicate(timeout=20)
    assert launcher.returncode == 130, stderr.decode(errors="replace")
    assert temps_under(target) == [], "a cancelled copy left temp files"
    assert_clean_exit(frozen, frozen_env)


@pytest.mark.timeout(90, func_only=True)
def test_sigkill_of_the_launcher_leaves_no_process_and_next_start_removes_its_folder(
    frozen: Frozen, frozen_env: dict[str, str], slow_source: Path, tmp_path: Path, reap: list
) -> None:
    launcher = start_slow_copy(frozen, frozen_env, slow_source, tmp_path / "d", reap)
    launcher.kill()
    launcher.wait()
    left = wait_for_no_processes(frozen.home, KILL_DEADLINE)
    assert not left, f"still running {KILL_DEADLINE}s after SIGKILL of the launcher: {left}"
    # Nobody is left to remove the unpacked app: a SIGKILLed launcher cannot clean up...
    leftovers = unpacked_folders(frozen_env)
    assert len(leftovers) == 1, leftovers
    stale = Path(frozen_env["TMPDIR"], leftovers[0])
    assert (stale / MARKER).is_file(), "build.spec no longer bundles the sweep's marker"
    backdate(stale)
    # ... so the next start of Ferry removes it (packaging/pyi_rth_ferry_sweep.py).
    copy_small_tree(frozen, frozen_env, tmp_path, "next")
    assert not stale.exists(), "the next start did not remove the killed run's _MEI* folder"
    assert_clean_exit(frozen, frozen_env)  # and no _MEI* at all is left


@pytest.mark.timeout(90, func_only=True)
def test_start_up_sweep_spares_the_folder_of_a_running_app(
    frozen: Frozen, frozen_env: dict[str, str], slow_source: Path, tmp_path: Path, reap: list
) -> None:
    """A second Ferry started while a first one runs leaves the first one's folder alone,
    and the first copy still finishes correctly."""
    target = tmp_path / "first"
    first = start_slow_copy(frozen, frozen_env, slow_source, target, reap)
    (name,) = unpacked_folders(frozen_env)
    backdate(Path(frozen_env["TMPDIR"], name))  # old enough: only "in use" protects it now
    # Stopped, the first run is certainly still alive (and using its folder) while the second
    # one starts and sweeps; continued, it must finish as if nothing happened.
    stopped = processes_of(frozen.home)
    for proc in stopped:
        os.kill(proc.pid, signal.SIGSTOP)
    try:
        copy_small_tree(frozen, frozen_env, tmp_path, "second")
        assert first.poll() is None
    finally:
        for proc in stopped:
            os.kill(proc.pid, signal.SIGCONT)
    assert unpacked_folders(frozen_env) == [name], "the running app's _MEI* folder was removed"
    _, stderr = first.communicate(timeout=60)
    assert first.returncode == 0, stderr.decode(errors="replace")
    assert_same_tree(slow_source, target)
    assert_clean_exit(frozen, frozen_env)


@pytest.mark.timeout(60, func_only=True)
def test_start_up_sweep_removes_only_stale_ferry_folders(
    frozen: Frozen, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """Another PyInstaller app's folder, a fresh one (maybe still unpacking) and a symlink
    stay; a stale Ferry folder goes without anything its symlinks point to."""
    temp = Path(frozen_env["TMPDIR"])
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / MARKER).write_text("")
    (outside / "keep.txt").write_text("keep")
    other, fresh, stale = temp / "_MEIother001", temp / "_MEIfresh001", temp / "_MEIstale001"
    for folder in (other, fresh, stale):
        folder.mkdir(mode=0o700)
        (folder / "lib.so").write_bytes(b"x")
    (fresh / MARKER).write_text("")
    (stale / MARKER).write_text("")
    os.symlink(outside, stale / "escape")
    os.symlink(outside / "keep.txt", stale / "keep.txt")
    os.symlink(outside, temp / "_MEIlink001")
    for folder in (other, stale, outside):
        backdate(folder)

    copy_small_tree(frozen, frozen_env, tmp_path, "sweep")
    assert unpacked_folders(frozen_env) == ["_MEIfresh001", "_MEIlink001", "_MEIother001"]
    assert sorted(p.name for p in outside.iterdir()) == [MARKER, "keep.txt"]
    assert (outside / "keep.txt").read_text() == "keep"
    assert (temp / "_MEIlink001").is_symlink()
    assert not processes_of(frozen.home)


@pytest.mark.timeout(60, func_only=True)
def test_sigkill_of_the_app_leaves_no_process(
    frozen: Frozen, frozen_env: dict[str, str], slow_source: Path, tmp_path: Path, reap: list
) -> None:
    launcher = start_slow_copy(frozen, frozen_env, slow_source, tmp_path / "d", reap)
    app = [p for p in processes_of(frozen.home) if p.ppid == launcher.pid]

    def children_of_app() -> list[Proc]:
        return [p for p in processes_of(frozen.home) if p.pid != launcher.pid]

    assert len(app) == 1, f"expected one app process under the launcher: {app}"
    os.kill(app[0].pid, signal.SIGKILL)
    deadline = time.monotonic() + KILL_DEADLINE
    while (left := children_of_app()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not left, f"still running {KILL_DEADLINE}s after SIGKILL of the app: {left}"
    # The launcher outlives its app only to delete the unpacked files (seconds under load).
    assert launcher.wait(timeout=20) == -signal.SIGKILL  # it reports how the app died
    assert_clean_exit(frozen, frozen_env)
    assert unpacked_folders(frozen_env) == [], "the launcher did not remove _MEI* after the app"


@pytest.mark.timeout(90, func_only=True)
def test_window_copies_offscreen_and_exits(
    frozen: Frozen, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    source = make_tree(tmp_path / "src")
    target = tmp_path / "dst"
    done = run(
        frozen, frozen_env,
        "--source", str(source), "--target", str(target), "--start", "--exit-when-done",
        timeout=80,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert_same_tree(source, target)
    assert_clean_exit(frozen, frozen_env)


@pytest.mark.timeout(60, func_only=True)
def test_chinese_translation_loads(
    frozen: Frozen, frozen_env: dict[str, str], tmp_path: Path
) -> None:
    """The window says why it cannot start on stderr, translated: proof that the bundled
    ferry_zh_CN.qm was found and loaded inside the frozen app."""
    from PySide6.QtCore import QTranslator

    qm = REPO / "resources" / "translations" / "ferry_zh_CN.qm"
    translator = QTranslator()
    assert translator.load(str(qm)), f"{qm} is missing or not a translation"
    # The window states the engine's own refusal, translated (app/ui/reasons.py).
    template = "Source folder does not exist: %1"
    english = template.split("%1")[0]
    chinese = translator.translate("EngineText", template).split("%1")[0]
    assert chinese and chinese != english, "the sentence has no Chinese translation"
    for language, expected in (("en", english), ("zh_CN", chinese)):
        refused = run(
            frozen, frozen_env, "--lang", language,
            "--source", str(tmp_path / "missing"), "--target", str(tmp_path / "t"),
            "--start", "--exit-when-done",
        )  # fmt: skip
        stderr = refused.stderr.decode("utf-8", errors="replace")
        assert refused.returncode == 2, stderr
        assert expected in stderr, f"--lang {language}: {stderr!r}"
        assert "no translation" not in stderr
    assert_clean_exit(frozen, frozen_env)


@pytest.mark.timeout(60, func_only=True)
def test_without_a_display_the_app_names_itself_for_the_command_line(
    frozen: Frozen, frozen_env: dict[str, str]
) -> None:
    """It said `python -m app copy`, which a user of the executable does not have."""
    display = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {name: value for name, value in frozen_env.items() if name not in display}
    done = run(frozen, env)
    assert done.returncode == 2
    assert f"{frozen.exe} copy SOURCE TARGET".encode() in done.stderr, done.stderr
    assert b"python -m app" not in done.stderr
    assert_clean_exit(frozen, frozen_env)
