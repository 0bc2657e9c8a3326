"""Named pipes, sockets and device nodes are made anew in the copy, as `cp -a` makes them."""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import filecopy, metadata, temps, tree, worker
from app.core.events import Batch, EntryKind, FileStatus, FileTask, WorkerContext
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from tests.core.test_worker_paths import Outbox, _ids, results_of
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    json_lines,
    needs_nobody,
    rsync_differences,
    run_cli,
    run_cli_as_nobody,
    snapshot,
    temps_under,
    world_reachable_dir,
)

OLD_NS = 1_500_000_000_000_000_000
NOT_MADE = str(Reason(Code.SPECIAL_NOT_MADE, (os.strerror(errno.EPERM),)))
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="device nodes and owners need root")


def copy(source: Path, target: Path, **options: object) -> CopyReport:
    return CopyJob(str(source), str(target), CopyOptions(workers=2, **options)).run()  # type: ignore[arg-type]


def by_path(report: CopyReport) -> dict[str, tuple[FileStatus, str]]:
    return {r.path: (r.status, r.reason) for r in report.results}


@pytest.fixture
def server() -> Iterator[socket.socket]:
    unix = socket.socket(socket.AF_UNIX)
    try:
        yield unix
    finally:
        unix.close()


def build_specials(root: Path, server: socket.socket) -> None:
    """A pipe with an ACL, an old time and a second name, another user's socket, two
    device nodes."""
    (root / "sub").mkdir(parents=True)
    (root / "plain.txt").write_bytes(b"plain")
    os.mkfifo(root / "pipe", 0o640)
    subprocess.run(["setfacl", "-m", "u:nobody:r", str(root / "pipe")], check=True)
    os.utime(root / "pipe", ns=(OLD_NS, OLD_NS))
    os.link(root / "pipe", root / "sub" / "pipe-again")
    server.bind(str(root / "sub" / "sock"))
    os.chown(root / "sub" / "sock", 1234, 5678)
    os.mknod(root / "null", stat.S_IFCHR | 0o606, os.makedev(1, 3))
    os.mknod(root / "loop", stat.S_IFBLK | 0o660, os.makedev(7, 200))


@as_root
@pytest.mark.timeout(90)
def test_specials_are_made_as_cp_a_makes_them_and_left_alone_when_up_to_date(
    tmp_path: Path, server: socket.socket
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    build_specials(source, server)

    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert (report.count(FileStatus.COPIED), report.count(FileStatus.LINKED)) == (5, 1)
    assert rsync_differences(source, target) == []  # type, mode, owner, ACL, time, device
    assert stat.S_ISFIFO(os.lstat(target / "pipe").st_mode)
    assert os.lstat(target / "sub" / "pipe-again").st_ino == os.lstat(target / "pipe").st_ino
    assert os.lstat(target / "null").st_rdev == os.makedev(1, 3)
    assert os.lstat(target / "sub" / "sock").st_uid == 1234
    assert temps_under(target) == []

    first = snapshot(target)
    again = copy(source, target)
    assert {reason for _, reason in by_path(again).values()} == {"already up to date"}
    assert snapshot(target) == first


@as_root
@pytest.mark.timeout(90)
def test_a_rerun_carries_a_new_mode_and_a_new_device_over(
    tmp_path: Path, server: socket.socket
) -> None:
    """A chmod moves no modification time, nor does a node made again for another device
    with its time kept: both reach the copy (a device node names its device by number)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    build_specials(source, server)
    assert copy(source, target).exit_code() == 0
    os.chmod(source / "pipe", 0o600)
    kept = os.lstat(source / "loop")
    os.unlink(source / "loop")
    os.mknod(source / "loop", stat.S_IFBLK | 0o660, os.makedev(7, 201))
    os.utime(source / "loop", ns=(kept.st_atime_ns, kept.st_mtime_ns))

    again = copy(source, target)

    results = by_path(again)
    assert results["pipe"] == (FileStatus.SKIPPED, str(Code.METADATA_REFRESHED))
    assert results["loop"][0] is FileStatus.COPIED
    assert results["plain.txt"] == (FileStatus.SKIPPED, "already up to date")
    assert rsync_differences(source, target) == []
    assert stat.S_IMODE(os.lstat(target / "pipe").st_mode) == 0o600
    assert os.lstat(target / "loop").st_rdev == os.makedev(7, 201)
    assert temps_under(target) == []


@pytest.mark.timeout(90)
def test_plan_move_mirror_and_manifest_take_specials_in_their_stride(tmp_path: Path) -> None:
    """A dry run plans them, a manifest lists none and never opens one (a pipe would wait
    for a writer), a mirror deletes an extra one, a move takes them out of the source."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "plain.txt").write_bytes(b"plain")
    os.mkfifo(source / "pipe")
    manifest = tmp_path / "sums.sha256"

    planned = run_cli("--dry-run", "--json", str(source), str(target))
    actions = {r["path"]: r.get("action") for r in json_lines(planned.stdout) if "path" in r}
    assert actions == {"plain.txt": "copy", "pipe": "copy"}, planned.stdout
    assert not target.exists()

    for _ in range(2):  # the second run finds both up to date and reads what it lists
        done = run_cli("--verify", "--manifest", str(manifest), str(source), str(target))
        assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(target / "pipe").st_mode)
    [line] = manifest.read_text().splitlines()
    assert line.endswith("  plain.txt")

    os.mkfifo(target / "extra")
    mirrored = run_cli("--mirror", str(source), str(target))
    assert mirrored.returncode == 0, mirrored.stderr
    assert sorted(os.listdir(target)) == ["pipe", "plain.txt"]

    moved = run_cli("--move", str(source), str(tmp_path / "moved"))
    assert moved.returncode == 0, moved.stderr
    assert os.listdir(source) == []
    assert stat.S_ISFIFO(os.lstat(tmp_path / "moved" / "pipe").st_mode)


@needs_nobody
@pytest.mark.timeout(90)
def test_a_device_node_a_user_may_not_make_is_skipped_and_said_so() -> None:
    """Only root may make a device node (as `cp -a` finds): the rest is copied, the
    node is skipped with the system's reason, and nothing is left of the attempt."""
    with world_reachable_dir() as area:
        source, target = area / "src", area / "dst"
        source.mkdir()
        os.mknod(source / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.mkfifo(source / "pipe", 0o644)
        (source / "plain.txt").write_bytes(b"plain")
        target.mkdir()
        for path in (source, target, *source.iterdir()):
            os.lchown(path, 65534, 65534)

        done = run_cli_as_nobody("--json", str(source), str(target))

        assert done.returncode == 0, done.stderr
        results = {r["path"]: r for r in json_lines(done.stdout) if "path" in r}
        assert results["null"]["status"] == "skipped"
        assert results["null"]["reason"] == NOT_MADE
        assert results["pipe"]["status"] == results["plain.txt"]["status"] == "copied"
        assert sorted(os.listdir(target)) == ["pipe", "plain.txt"]


@pytest.mark.skipif(bool(fuse_available()), reason=fuse_available() or "-")
@pytest.mark.timeout(90)
def test_a_stick_that_holds_no_special_files_skips_them_and_leaves_nothing(
    tmp_path: Path,
) -> None:
    """vfat and exFAT make no pipes or sockets: each is skipped with the reason, once,
    and neither its private folder nor a temp name stays on the stick."""
    source, backing, point = tmp_path / "src", tmp_path / "backing", tmp_path / "stick"
    source.mkdir()
    backing.mkdir()
    point.mkdir()
    os.mkfifo(source / "pipe")
    (source / "plain.txt").write_bytes(b"plain")
    with mounted(backing, point, links=False, nodes=False):
        report = copy(source, point / "dst")
        again = copy(source, point / "dst")
        left = sorted(os.listdir(point / "dst"))
    assert report.exit_code() == again.exit_code() == 0, report.failures()
    for run in (report, again):
        status, reason = by_path(run)["pipe"]
        assert status is FileStatus.SKIPPED
        assert reason == NOT_MADE
    assert left == ["plain.txt"]


@pytest.mark.timeout(60)
def test_a_follow_mode_copy_makes_pipes_but_no_node_a_link_leads_to(tmp_path: Path) -> None:
    """Following links, a link to /dev/zero is no reason to make a device node."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    os.mkfifo(source / "pipe")
    os.symlink("/dev/zero", source / "zero")
    os.symlink("pipe", source / "to-pipe")

    report = copy(source, target, follow_symlinks=True)

    results = by_path(report)
    assert results["pipe"][0] is FileStatus.COPIED
    assert results["zero"] == (FileStatus.SKIPPED, str(Code.CHAR_DEVICE))
    assert results["to-pipe"] == (FileStatus.SKIPPED, str(Code.FIFO))
    assert sorted(os.listdir(target)) == ["pipe"]


@pytest.mark.timeout(60)
def test_a_pipe_is_never_in_a_shared_folder_under_a_temp_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its mode and owner are set by name: in a target folder anyone may write to, a
    file renamed over a temp name would get them. It is made in a private folder."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    os.chmod(target, 0o777)
    os.mkfifo(source / "pipe", 0o4750)
    running, cancel = threading.Event(), threading.Event()
    running.set()
    context = WorkerContext(
        None, cancel, running, CopyOptions(), str(source), str(target), "0123456789ab"
    )
    outbox = Outbox()
    monkeypatch.setattr(worker, "_context", context)
    monkeypatch.setattr(worker, "_outbox", outbox)
    monkeypatch.setattr(worker, "_copier", filecopy.Copier(context, lambda *_: None))
    seen: list[list[str]] = []
    real_apply = metadata.apply_to_special

    def look_then_apply(source_ref: str, target_ref: str, st: os.stat_result) -> object:
        seen.append(sorted(os.listdir(target)))  # what someone watching the folder sees
        return real_apply(source_ref, target_ref, st)

    monkeypatch.setattr(metadata, "apply_to_special", look_then_apply)
    task = FileTask("pipe", EntryKind.SPECIAL, 0, 3)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    assert results_of(outbox, (task,))["pipe"].status is FileStatus.COPIED
    assert seen == [[context.link_folder_name(3)]]  # a folder only this user may enter
    assert stat.S_IMODE(os.lstat(target / "pipe").st_mode) == 0o4750
    assert sorted(os.listdir(target)) == ["pipe"]


@pytest.mark.timeout(30)
def test_a_killed_worker_s_half_made_pipe_is_removed_with_its_folder(tmp_path: Path) -> None:
    left = tmp_path / ".ferry-0123456789ab-7-link.part"
    left.mkdir(mode=0o700)
    os.mkfifo(left / "link")
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        temps.remove_stale_temps(tree.Folder(fd, str(tmp_path)))
    finally:
        os.close(fd)
    assert os.listdir(tmp_path) == []
