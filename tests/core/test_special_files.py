"""Named pipes, sockets and device nodes are made anew in the copy, as `cp -a` makes them."""

from __future__ import annotations

import errno
import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import metadata, namekeys, symlinks, temps, tree, worker
from app.core.events import Batch, EntryKind, FileStatus, FileTask
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from tests.core.test_worker_paths import _ids, in_process_worker, results_of
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    differences_but_the_root_s_time,
    in_private_mounts,
    json_lines,
    needs_namespaces,
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
def test_a_rerun_carries_a_new_mode_acl_and_device_over(
    tmp_path: Path, server: socket.socket
) -> None:
    """A chmod or setfacl moves no modification time, nor does a node made again for
    another device with its time kept: each reaches the copy (a device node names its
    device by number). A pipe's new ACL is set on the copy itself: its second name stays
    on it. Where the mode of a copy with other names changes, it is made again (below)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    build_specials(source, server)
    assert copy(source, target).exit_code() == 0
    os.chmod(source / "sub" / "sock", 0o700)
    subprocess.run(["setfacl", "-m", "u:daemon:r", str(source / "pipe")], check=True)
    kept = os.lstat(source / "loop")
    os.unlink(source / "loop")
    os.mknod(source / "loop", stat.S_IFBLK | 0o660, os.makedev(7, 201))
    os.utime(source / "loop", ns=(kept.st_atime_ns, kept.st_mtime_ns))
    pipe_inode = os.lstat(target / "pipe").st_ino

    again = copy(source, target)

    results = by_path(again)
    refreshed = (FileStatus.SKIPPED, str(Code.METADATA_REFRESHED))
    assert results["pipe"] == results[os.path.join("sub", "sock")] == refreshed
    assert results["loop"][0] is FileStatus.COPIED
    assert results["plain.txt"] == (FileStatus.SKIPPED, "already up to date")
    assert differences_but_the_root_s_time(source, target) == []
    assert os.lstat(target / "pipe").st_ino == pipe_inode  # set in place
    assert stat.S_IMODE(os.lstat(target / "sub" / "sock").st_mode) == 0o700
    assert os.lstat(target / "loop").st_rdev == os.makedev(7, 201)
    assert temps_under(target) == []


@as_root
@pytest.mark.timeout(90)
def test_a_chmod_reaches_a_node_s_copy_and_not_its_snapshot(tmp_path: Path) -> None:
    """A copy with other names than its source has (a `cp -al` snapshot of the target, a
    link broken in the source) is made again, as a file is copied again: a chmod in
    place would reach the snapshot too, and a stale check never set it."""
    source, target, snapshot_ = tmp_path / "src", tmp_path / "dst", tmp_path / "snap"
    source.mkdir()
    os.mknod(source / "null", stat.S_IFCHR, os.makedev(1, 3))
    os.chmod(source / "null", 0o666)  # (mknod's mode is cut by the umask)
    os.mkfifo(source / "pipe", 0o644)
    os.link(source / "pipe", source / "pipe-again")
    assert copy(source, target).exit_code() == 0
    subprocess.run(["cp", "-al", str(target), str(snapshot_)], check=True)
    os.chmod(source / "null", 0o600)
    os.unlink(source / "pipe-again")  # the link broken: pipe made private alone
    os.mkfifo(source / "pipe-again", 0o644)
    os.utime(source / "pipe-again", ns=(os.lstat(source / "pipe").st_mtime_ns,) * 2)
    os.chmod(source / "pipe", 0o600)

    for _ in range(2):  # and the run after writes nothing
        again = copy(source, target)
        assert again.exit_code() == 0, again.failures()
        assert differences_but_the_root_s_time(source, target) == []
    assert {reason for _, reason in by_path(again).values()} == {"already up to date"}
    assert stat.S_IMODE(os.lstat(snapshot_ / "null").st_mode) == 0o666
    assert stat.S_IMODE(os.lstat(snapshot_ / "pipe-again").st_mode) == 0o644


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
    node is skipped with the system's reason, and nothing is left of the attempt. Known
    before it is tried, a re-run writes nothing to its folder (each try made and removed
    a private folder there)."""
    with world_reachable_dir() as area:
        source, target = area / "src", area / "dst"
        (source / "sub").mkdir(parents=True)
        os.mknod(source / "sub" / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        os.mkfifo(source / "pipe", 0o644)
        (source / "plain.txt").write_bytes(b"plain")
        target.mkdir()
        for path in (source, target, *source.rglob("*")):
            os.lchown(path, 65534, 65534)

        done = run_cli_as_nobody("--json", str(source), str(target))

        assert done.returncode == 0, done.stderr
        results = {r["path"]: r for r in json_lines(done.stdout) if "path" in r}
        null = results[os.path.join("sub", "null")]
        assert (null["status"], null["reason"]) == ("skipped", NOT_MADE)
        assert results["pipe"]["status"] == results["plain.txt"]["status"] == "copied"
        assert sorted(os.listdir(target)) == ["pipe", "plain.txt", "sub"]
        assert os.listdir(target / "sub") == []
        before = os.stat(target / "sub")
        again = run_cli_as_nobody("--json", str(source), str(target))
        assert again.returncode == 0, again.stderr
        assert os.stat(target / "sub").st_ctime_ns == before.st_ctime_ns


@pytest.mark.skipif(bool(fuse_available()), reason=fuse_available() or "-")
@pytest.mark.timeout(90)
@pytest.mark.parametrize("nodes", [False, "as files"], ids=["refused", "as-files"])
def test_a_stick_that_holds_no_special_files_skips_them_and_leaves_nothing(
    tmp_path: Path, nodes: bool | str
) -> None:
    """A file system that makes no pipes or sockets (its type does not tell: FUSE, a
    share): each is skipped with the reason, and nothing stays on it. The job's probe
    finds it out, so a re-run writes nothing to the folders they are in (each try made
    and removed a private folder there). exfat-fuse makes a regular file and says EIO:
    taken as made, each pipe failed, said of its private folder, and the probe's file
    stayed behind."""
    source, backing, point = tmp_path / "src", tmp_path / "backing", tmp_path / "stick"
    (source / "sub").mkdir(parents=True)
    backing.mkdir()
    point.mkdir()
    os.mkfifo(source / "sub" / "pipe")
    (source / "plain.txt").write_bytes(b"plain")
    with mounted(backing, point, links=False, nodes=nodes):
        report = copy(source, point / "dst")
        before = os.stat(backing / "dst" / "sub").st_ctime_ns
        again = copy(source, point / "dst")
        after = os.stat(backing / "dst" / "sub").st_ctime_ns
        left = sorted(os.listdir(point / "dst")), os.listdir(point / "dst" / "sub")
    assert report.exit_code() == again.exit_code() == 0, report.failures()
    for run in (report, again):
        status, reason = by_path(run)[os.path.join("sub", "pipe")]
        assert status is FileStatus.SKIPPED
        assert reason == NOT_MADE
    assert left == (["plain.txt", "sub"], [])
    assert after == before


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
    outbox = in_process_worker(monkeypatch, source, target)
    seen: list[list[str]] = []
    real_apply = metadata.apply_to_special

    def look_then_apply(*args: Any) -> object:
        seen.append(sorted(os.listdir(target)))  # what someone watching the folder sees
        return real_apply(*args)

    monkeypatch.setattr(metadata, "apply_to_special", look_then_apply)
    task = FileTask("pipe", EntryKind.SPECIAL, 0, 3)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    assert results_of(outbox, (task,))["pipe"].status is FileStatus.COPIED
    assert seen == [[".ferry-0123456789ab-3-link.part"]]  # a folder only this user may enter
    assert stat.S_IMODE(os.lstat(target / "pipe").st_mode) == 0o4750
    assert sorted(os.listdir(target)) == ["pipe"]


@pytest.mark.timeout(30)
def test_a_killed_worker_s_half_made_pipe_is_removed_with_its_folder(tmp_path: Path) -> None:
    left = tmp_path / ".ferry-0123456789ab-7-link.part"
    left.mkdir(mode=0o700)
    os.mkfifo(left / "link")
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        temps.remove_stale_temps(tree.Folder(fd, str(tmp_path)), "")
    finally:
        os.close(fd)
    assert os.listdir(tmp_path) == []


@as_root
@pytest.mark.timeout(60)
def test_a_node_swapped_at_its_name_lends_the_copy_none_of_its_acl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root copies a disk's device node from a folder its user may write to. The user
    swaps their own pipe, with an ACL granting them access, in at its name between its
    stat and the reading of its ACL: read by name, that ACL landed on root's copy of the
    disk's node. It is read from the node the stat was of."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    os.mknod(source / "sda", stat.S_IFBLK, os.makedev(8, 0))
    os.chmod(source / "sda", 0o660)
    os.mkfifo(source / "evil", 0o600)
    subprocess.run(["setfacl", "-m", "u:nobody:rw", str(source / "evil")], check=True)
    outbox = in_process_worker(monkeypatch, source, target)
    real_apply = metadata.apply_to_special

    def swap_then_apply(*args: Any) -> object:
        os.rename(source / "sda", source / "kept")
        os.rename(source / "evil", source / "sda")
        return real_apply(*args)

    monkeypatch.setattr(metadata, "apply_to_special", swap_then_apply)
    task = FileTask("sda", EntryKind.SPECIAL, 0, 1)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    assert results_of(outbox, (task,))["sda"].status is FileStatus.COPIED
    copied = os.lstat(target / "sda")
    assert (stat.S_ISBLK(copied.st_mode), copied.st_rdev) == (True, os.makedev(8, 0))
    assert (
        "nobody"
        not in subprocess.run(
            ["getfacl", "-p", str(target / "sda")], capture_output=True, check=True, text=True
        ).stdout
    )
    assert stat.S_IMODE(copied.st_mode) == 0o660


@pytest.mark.timeout(60)
def test_a_node_a_private_folder_cannot_be_made_for_fails_not_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the target's refusal to make a special file (vfat) skips it: a folder that
    refuses every new entry (chattr +i, a read-only mount) fails it, as it fails a file."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    os.mkfifo(source / "pipe")
    outbox = in_process_worker(monkeypatch, source, target)

    def refused(*_: object) -> None:
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(symlinks, "make_private_folder", refused)
    task = FileTask("pipe", EntryKind.SPECIAL, 0, 1)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    result = results_of(outbox, (task,))["pipe"]
    assert result.status is FileStatus.FAILED
    assert result.why is not None and result.why.code is Code.CANNOT_CREATE


@pytest.mark.timeout(60)
def test_following_links_makes_no_node_that_lies_outside_the_source(tmp_path: Path) -> None:
    """A followed link to a folder outside the source (`ln -s /dev`) leads to nodes that
    are not the source's: skipped, as a link straight to one is; its files are copied."""
    source, target, outside = tmp_path / "src", tmp_path / "dst", tmp_path / "outside"
    source.mkdir()
    outside.mkdir()
    os.mkfifo(outside / "pipe")
    (outside / "file").write_bytes(b"file")
    os.symlink(outside, source / "dev")
    os.mkfifo(source / "own-pipe")

    planned = copy(source, target, follow_symlinks=True, dry_run=True)
    report = copy(source, target, follow_symlinks=True)

    actions = {r.path: r.action for r in planned.results}
    assert (actions[os.path.join("dev", "pipe")], actions["own-pipe"]) == ("skip", "copy")
    results = by_path(report)
    assert results[os.path.join("dev", "pipe")] == (FileStatus.SKIPPED, str(Code.FIFO))
    assert results[os.path.join("dev", "file")][0] is FileStatus.COPIED
    assert results["own-pipe"][0] is FileStatus.COPIED
    assert sorted(os.listdir(target / "dev")) == ["file"]


@pytest.mark.skipif(bool(fuse_available()), reason=fuse_available() or "-")
@pytest.mark.timeout(90)
def test_a_node_and_a_link_are_replaced_where_no_hard_links_are_kept(tmp_path: Path) -> None:
    """A replacement is named through its temp name, which was linked; where the target
    keeps no hard links, it is renamed there: before, each such replacement failed
    ("cannot give the copy its name"), on every run."""
    source, backing, point = tmp_path / "src", tmp_path / "backing", tmp_path / "stick"
    source.mkdir()
    backing.mkdir()
    os.mkfifo(source / "pipe")
    os.symlink("somewhere", source / "link")
    with mounted(backing, point, links=False):
        assert copy(source, point / "dst").exit_code() == 0
        later = os.lstat(source / "pipe").st_mtime_ns + 60 * 10**9
        for name in ("pipe", "link"):  # saved again since: replaced
            os.utime(source / name, ns=(later, later), follow_symlinks=False)
        os.chmod(source / "pipe", 0o600)
        again = copy(source, point / "dst")
        third = copy(source, point / "dst")
        copied = os.lstat(point / "dst" / "pipe")
        link_time = os.lstat(point / "dst" / "link").st_mtime_ns
        left = sorted(os.listdir(point / "dst"))
    assert again.exit_code() == 0, again.failures()
    assert {r.status for r in again.results} == {FileStatus.COPIED}
    assert {reason for _, reason in by_path(third).values()} == {"already up to date"}
    assert (stat.S_IMODE(copied.st_mode), copied.st_mtime_ns, link_time) == (0o600, later, later)
    assert left == ["link", "pipe"]


@pytest.mark.skipif(bool(fuse_available()), reason=fuse_available() or "-")
@pytest.mark.timeout(90)
def test_where_the_mount_says_vfat_plan_and_job_skip_specials_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vfat and exFAT make no special files: where the mount's type says so, the plan
    says "skip" with the reason the job gives, and the job gives it without trying."""
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (backing / "dst").mkdir(parents=True)
    os.mkfifo(source / "pipe")
    (source / "plain.txt").write_bytes(b"plain")
    monkeypatch.setattr(namekeys, "keeps_hard_links", lambda device: False)  # as vfat's type
    with mounted(backing, tmp_path / "mnt", links=False) as mount:  # (mknod would work)
        planned = copy(source, mount.point / "dst", dry_run=True)
        done = copy(source, mount.point / "dst")
    for report in (planned, done):
        [pipe] = [r for r in report.results if r.path == "pipe"]
        assert (pipe.status, pipe.reason) == (FileStatus.SKIPPED, NOT_MADE), report.results
    assert [r.action for r in planned.results if r.path == "pipe"] == ["skip"]
    assert os.listdir(backing / "dst") == ["plain.txt"]


@pytest.mark.timeout(60)
def test_a_node_is_never_made_where_its_private_folder_is_not_this_user_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the folder made for it is another's (NFS with root squashed; or someone who
    may write the target folder renamed it away and put theirs there), a link is still
    made in the target folder, with its times; a node is not: made there, it would take
    the folder's setgid group or default ACL (a review read a disk's node as nobody)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    os.mkfifo(source / "pipe")
    os.symlink("somewhere", source / "link")
    outbox = in_process_worker(monkeypatch, source, target)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 4321)  # folders look foreign
    tasks = (FileTask("pipe", EntryKind.SPECIAL, 0, 1), FileTask("link", EntryKind.LINK, 0, 2))

    worker.copy_batch(1, Batch(tasks, {"": _ids(source, target)}), ConflictPolicy.NEWER)

    results = results_of(outbox, tasks)
    assert results["pipe"].status is FileStatus.FAILED
    assert results["pipe"].why == Reason(Code.NO_PRIVATE_FOLDER)
    assert results["link"].status is FileStatus.COPIED
    assert sorted(os.listdir(target)) == ["link"]


@as_root
@pytest.mark.timeout(60)
def test_an_attribute_dropped_from_a_node_goes_from_its_copy(tmp_path: Path) -> None:
    """Set again in place, a node's copy loses what its source no longer holds, as a
    file's does: else it kept it, and every later run found it different."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    os.mkfifo(source / "pipe")
    os.setxattr(source / "pipe", "trusted.tag", b"1")
    assert copy(source, target).exit_code() == 0
    os.removexattr(source / "pipe", "trusted.tag")

    again = copy(source, target)

    assert by_path(again)["pipe"] == (FileStatus.SKIPPED, str(Code.METADATA_REFRESHED))
    assert os.listxattr(target / "pipe") == []
    assert differences_but_the_root_s_time(source, target) == []


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_device_node_on_a_nodev_mount_is_not_made(tmp_path: Path) -> None:
    """A stick (udisks mounts them nodev) or a user's FUSE mount may hold a `crw-rw-rw-`
    node of a disk that nobody may use there: made by root where the copy lands, anyone
    could (`cp -a` does make it). Its pipes are copied."""
    script = """
        set -e
        mount -t tmpfs -o nodev,size=1m stick "$1"
        mknod -m 666 "$1/disk" b 8 0
        mkfifo "$1/pipe"
        "$PYTHON" -m app copy --json "$1" "$2"
    """
    target = tmp_path / "dst"
    (tmp_path / "stick").mkdir()
    done = in_private_mounts(script, str(tmp_path / "stick"), str(target))
    assert done.returncode == 0, done.stderr
    results = {r["path"]: r for r in json_lines(done.stdout) if "path" in r}
    assert results["disk"]["reason"] == str(Reason(Code.DEVICE_ON_NODEV))
    assert results["pipe"]["status"] == "copied"
    assert sorted(os.listdir(target)) == ["pipe"]


@pytest.mark.timeout(60)
def test_a_pipe_swapped_in_during_a_refresh_leaves_no_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh links the copy into a private folder and checks it is the one seen. Where
    someone swapped another file in at the copy's name meanwhile, that private link (to
    their file) stayed, and with it the folder, for good."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    os.mkfifo(source / "pipe", 0o644)
    assert copy(source, target).exit_code() == 0
    os.chmod(source / "pipe", 0o600)
    (tmp_path / "planted").write_bytes(b"someone else's")
    outbox = in_process_worker(monkeypatch, source, target)
    real_make = symlinks.make_private_folder
    swaps: list[str] = []

    def swap_then_make(*args: Any) -> object:
        if not swaps:
            os.rename(tmp_path / "planted", target / "pipe")
            swaps.append("pipe")
        return real_make(*args)

    monkeypatch.setattr(symlinks, "make_private_folder", swap_then_make)
    task = FileTask("pipe", EntryKind.SPECIAL, 0, 1)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    assert results_of(outbox, (task,))["pipe"].status in (FileStatus.COPIED, FileStatus.SKIPPED)
    assert swaps == ["pipe"]
    assert temps_under(target) == []
    assert sorted(os.listdir(target)) == ["pipe"]


@needs_namespaces
@pytest.mark.timeout(90)
def test_nodev_is_judged_per_mount_and_again_by_the_copy(tmp_path: Path) -> None:
    """nodev belongs to a mount, not a disk: one bind mount of a file system may have it
    and another not (the first answer was taken for both). And a pipe scanned there may be
    a device node when its worker comes (a FUSE mount's owner answers as they like)."""
    script = """
        set -e
        mount -t tmpfs -o size=1m area "$1"
        mkdir -p "$1/src/a" "$1/src/z" "$1/stash"
        mknod -m 666 "$1/src/a/dev" c 1 3
        mknod -m 666 "$1/stash/dev" c 1 5
        mount --bind "$1/stash" "$1/src/z"
        mount -o remount,bind,nodev "$1/src/z"
        "$PYTHON" -m app copy --json "$1/src" "$2"
        mkfifo "$1/src/z/x"
        "$PYTHON" - "$1/src" "$3" <<'PY'
import os, stat, sys, threading
from app.core import filecopy
from app.core.events import EntryKind, FileTask, FolderIds, WorkerContext
from app.core.options import ConflictPolicy, CopyOptions
from app.core.tree import identity
source, target = sys.argv[1], sys.argv[2]
os.makedirs(os.path.join(target, "z"))
running = threading.Event()
running.set()
options = CopyOptions()
context = WorkerContext(None, threading.Event(), running, options, source, target, "0" * 12)
pipe = os.path.join(source, "z", "x")  # scanned as a pipe; a device node when copied
os.unlink(pipe)
os.mknod(pipe, stat.S_IFCHR | 0o666, os.makedev(1, 3))
folder = FolderIds(identity(os.stat(os.path.dirname(pipe))), identity(os.stat(target + "/z")))
task = FileTask("z/x", EntryKind.SPECIAL, 0, 1)
copier = filecopy.Copier(context, lambda *_: None)
result = copier.copy(task, {"z": folder}, ConflictPolicy.NEWER)
print('{"path": "swapped", "status": "%s", "reason": "%s"}' % (result.status.value, result.reason))
PY
    """
    (tmp_path / "area").mkdir()
    target, swapped = tmp_path / "dst", tmp_path / "swapped"
    done = in_private_mounts(script, str(tmp_path / "area"), str(target), str(swapped))
    assert done.returncode == 0, done.stderr
    results = {r["path"]: r for r in json_lines(done.stdout) if "path" in r}
    nodev = str(Reason(Code.DEVICE_ON_NODEV))
    assert results[os.path.join("a", "dev")]["status"] == "copied"
    assert results[os.path.join("z", "dev")]["reason"] == nodev
    assert (results["swapped"]["status"], results["swapped"]["reason"]) == ("skipped", nodev)
    assert os.listdir(swapped / "z") == []
    assert os.lstat(target / "a" / "dev").st_rdev == os.makedev(1, 3)
