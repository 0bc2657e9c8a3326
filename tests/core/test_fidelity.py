"""A copy keeps what `cp -a` keeps: hard links, xattrs, ACLs, setid bits, owners, holes."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import struct
import subprocess
import time
from pathlib import Path

import pytest

from app.core import devices, namekeys, worker
from app.core import job as job_module
from app.core import plan as plan_module
from app.core.events import Batch, ConflictQuestion, EntryKind, FileStatus, FileTask, Progress
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from tests import fusefs
from tests.core.test_worker_paths import _ids, in_process_worker, results_of
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    MIB,
    NOBODY,
    REPO,
    Background,
    Recorder,
    as_user,
    cli_command,
    cli_env,
    differences_but_the_root_s_time,
    disk_image,
    file_records,
    in_private_mounts,
    json_lines,
    needs_namespaces,
    needs_nobody,
    rsync_differences,
    run_cli,
    run_cli_as,
    run_cli_as_nobody,
    snapshot,
    summary_of,
    wait_until,
    world_reachable_dir,
)

OTHER_UID, OTHER_GID = 1234, 5678
KEEPING_POLICIES = [p for p in ConflictPolicy if p is not ConflictPolicy.OVERWRITE]
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="owners and trusted.* xattrs need root")


# A stick mounted nosuid at $1 (in_private_mounts), with a setuid program and one with
# a capability ($3: its value in hex).
NOSUID_STICK = """
        set -e
        mount -t tmpfs -o nosuid,size=1m stick "$1"
        printf '#!/bin/sh\\n' > "$1/suid"; chmod 4755 "$1/suid"
        printf '#!/bin/sh\\n' > "$1/cap"; chmod 755 "$1/cap"
        "$PYTHON" -c "import os, sys; os.setxattr(sys.argv[1], 'security.capability', \
bytes.fromhex(sys.argv[2]))" "$1/cap" "$3"
"""


def copy(source: Path, target: Path, **options: object) -> CopyReport:
    return CopyJob(str(source), str(target), CopyOptions(workers=2, **options)).run()  # type: ignore[arg-type]


def inode_groups(root: Path) -> set[frozenset[str]]:
    """Names that share an inode (files and symbolic links), as sets of paths relative
    to root."""
    groups: dict[int, set[str]] = {}
    for path in root.rglob("*"):
        st = path.lstat()
        if not stat.S_ISDIR(st.st_mode) and st.st_nlink > 1:
            groups.setdefault(st.st_ino, set()).add(str(path.relative_to(root)))
    return {frozenset(names) for names in groups.values()}


def getfacl(path: Path) -> str:
    done = subprocess.run(
        ["getfacl", "--omit-header", "--numeric", str(path)], capture_output=True, check=True
    )
    return done.stdout.decode()


# --- the tree of the issue's "done when" -------------------------------------------------


def build_faithful_tree(root: Path) -> None:
    """Hard links (same folder, other folder, 3 MiB), xattrs on a file and a folder, an
    access and a default ACL, a setuid file, a setgid folder, another user's file and link."""
    (root / "a" / "deep").mkdir(parents=True)
    (root / "b").mkdir()
    (root / "a" / "one").write_bytes(b"shared inode")
    os.link(root / "a" / "one", root / "a" / "two")
    os.link(root / "a" / "one", root / "b" / "three")
    (root / "big").write_bytes(os.urandom(3 * MIB))
    os.link(root / "big", root / "b" / "big-again")
    os.setxattr(root / "a" / "one", "user.origin", b"camera")
    os.setxattr(root / "a", "user.album", b"holiday")
    (root / "acl.txt").write_bytes(b"for one more user only")
    os.chmod(root / "acl.txt", 0o640)
    subprocess.run(["setfacl", "-m", "u:nobody:r", str(root / "acl.txt")], check=True)
    subprocess.run(["setfacl", "-d", "-m", "g:nogroup:rx", str(root / "b")], check=True)
    (root / "tool").write_bytes(b"#!/bin/sh\n")
    os.chmod(root / "tool", 0o4755)
    os.chmod(root / "a" / "deep", 0o2775)
    (root / "theirs").write_bytes(b"someone else's")
    os.chown(root / "theirs", OTHER_UID, OTHER_GID)
    os.symlink("theirs", root / "their-link")
    os.chown(root / "their-link", OTHER_UID, OTHER_GID, follow_symlinks=False)
    os.chown(root / "b", OTHER_UID, OTHER_GID)
    os.setxattr(root / "their-link", "trusted.note", b"on the link", follow_symlinks=False)


@as_root
@pytest.mark.timeout(90)
def test_copy_of_a_rich_tree_is_what_rsync_aHAX_calls_identical(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    build_faithful_tree(source)

    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert rsync_differences(source, target) == []
    assert getfacl(target / "acl.txt") == getfacl(source / "acl.txt")  # no wider group access
    assert getfacl(target / "b") == getfacl(source / "b")
    assert stat.S_IMODE((target / "tool").stat().st_mode) == 0o4755
    assert stat.S_IMODE((target / "a" / "deep").stat().st_mode) == 0o2775
    assert os.lstat(target / "their-link").st_uid == OTHER_UID
    assert (target / "b").stat().st_uid == OTHER_UID

    after_first = snapshot(target)
    again = copy(source, target)

    assert again.exit_code() == 0
    assert again.count(FileStatus.COPIED) == again.count(FileStatus.LINKED) == 0
    assert {r.reason for r in again.results} == {"already up to date"}
    assert snapshot(target) == after_first
    assert rsync_differences(source, target) == []


@as_root
@pytest.mark.timeout(90)
def test_a_default_acl_above_the_target_grants_nothing_the_source_did_not(
    tmp_path: Path,
) -> None:
    """New files and folders take the default ACL of the folder they are made in: a named
    user there could read a copy whose source they could not. cp -a sets the source's
    own ACL (none) instead, and so must Ferry."""
    source, shared = tmp_path / "src", tmp_path / "shared"
    build_faithful_tree(source)
    (source / "private").mkdir(mode=0o750)
    (source / "private" / "secret").write_bytes(b"for the owner and group only")
    os.chmod(source / "private" / "secret", 0o640)
    shared.mkdir(mode=0o2775)
    subprocess.run(["setfacl", "-d", "-m", "u:4242:rwx", str(shared)], check=True)
    target = shared / "dst"

    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert rsync_differences(source, target) == []  # -A: ACLs compared too
    for path in ("private/secret", "private", "big", "acl.txt", "b", ""):
        assert getfacl(target / path) == getfacl(source / path), path
    everything = ["getfacl", "-R", "--numeric", str(target)]
    assert b":4242:" not in subprocess.run(everything, capture_output=True, check=True).stdout


# --- re-runs carry over changed metadata ---------------------------------------------


@pytest.mark.timeout(90)
def test_a_rerun_carries_over_a_changed_mode_xattrs_and_acl_without_copying(
    tmp_path: Path,
) -> None:
    """A file made private in the source must not stay readable in its copy."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "diary").write_bytes(b"dear diary")
    os.setxattr(source / "diary", "user.old", b"1")
    subprocess.run(["setfacl", "-m", "u:nobody:r", str(source / "diary")], check=True)
    (source / "other").write_bytes(b"left alone")
    assert copy(source, target).exit_code() == 0
    before = {name: os.stat(target / name) for name in ("diary", "other")}

    os.chmod(source / "diary", 0o600)  # also drops the ACL's mask; then the ACL itself:
    subprocess.run(["setfacl", "-b", str(source / "diary")], check=True)
    os.removexattr(source / "diary", "user.old")
    os.setxattr(source / "diary", "user.new", b"2")
    plan = copy(source, target, dry_run=True)
    again = copy(source, target)

    said = "already up to date; its mode, group and attributes"
    assert {r.path: r.reason for r in plan.results} == {
        "diary": f"{said} to set again",
        "other": "already up to date",
    }
    assert again.exit_code() == 0, again.failures()
    assert {r.path: r.reason for r in again.results} == {
        "diary": f"{said} set again",
        "other": "already up to date",
    }
    assert again.bytes_copied == 0
    diary = os.stat(target / "diary")
    assert diary.st_ino == before["diary"].st_ino  # set on the copy, not copied again
    assert stat.S_IMODE(diary.st_mode) == 0o600
    assert os.listxattr(target / "diary") == ["user.new"]
    assert getfacl(target / "diary") == getfacl(source / "diary")
    assert os.stat(target / "other").st_ctime_ns == before["other"].st_ctime_ns  # untouched
    assert rsync_differences(source, target) == []

    refreshed = os.stat(target / "diary").st_ctime_ns
    copy(source, target)
    assert os.stat(target / "diary").st_ctime_ns == refreshed  # once, not on every run


@pytest.mark.timeout(90)
def test_a_copy_left_more_open_by_another_tool_gets_the_source_s_mode(tmp_path: Path) -> None:
    """cp -r --preserve=timestamps, or a chmod of the copy: its change time is newer than
    the source's, so the copy was called up to date for ever, readable by all."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "diary").write_bytes(b"dear diary")
    os.chmod(source / "diary", 0o600)
    assert copy(source, target).exit_code() == 0
    os.chmod(target / "diary", 0o644)  # after the source's last change

    again = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    assert [r.reason for r in again.results] == [
        "already up to date; its mode, group and attributes set again"
    ]
    assert stat.S_IMODE((target / "diary").stat().st_mode) == 0o600
    assert copy(source, target).results[0].reason == "already up to date"  # once


@pytest.mark.timeout(90)
def test_a_link_pointed_elsewhere_with_its_time_kept_is_copied_again(tmp_path: Path) -> None:
    """Same length, same time: a link retargeted (ln -sfn, touch -h) was up to date. (In
    a folder of its own: the target folder itself keeps its own time, as documented.)"""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "d").mkdir(parents=True)
    link = source / "d" / "l"
    link.symlink_to("aaa")
    os.utime(link, ns=(10**18, 10**18), follow_symlinks=False)
    assert copy(source, target).exit_code() == 0
    link.unlink()
    link.symlink_to("bbb")
    os.utime(link, ns=(10**18, 10**18), follow_symlinks=False)

    plan = copy(source, target, dry_run=True)
    kept = copy(source, target, on_conflict=ConflictPolicy.SKIP)
    assert os.readlink(target / "d" / "l") == "aaa"
    assert kept.results[0].reason == "exists in the target"
    again = copy(source, target)

    assert [r.action for r in plan.results] == ["replace"]
    assert again.exit_code() == 0 and os.readlink(target / "d" / "l") == "bbb"
    assert rsync_differences(source, target) == []


@pytest.mark.timeout(90)
def test_a_rerun_writes_nothing_to_folders_already_as_their_sources(tmp_path: Path) -> None:
    """Every re-run set each folder's owner, xattrs, mode and times again: a write per
    folder per run (on a stick too), and a failure on a read-only card inside the target.
    Now only a folder that differs from its source is set, and all of it is."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "d" / "e").mkdir(parents=True)
    (source / "d" / "e" / "f.txt").write_bytes(b"f")
    os.chmod(source / "d", 0o750)
    os.setxattr(source / "d" / "e", "user.tag", b"kept")
    subprocess.run(["setfacl", "-m", "u:nobody:rx", str(source / "d")], check=True)
    os.utime(source / "d" / "e", ns=(10**18, 10**18))
    assert copy(source, target).exit_code() == 0
    folders = [target / "d", target / "d" / "e"]

    def changed() -> list[int]:
        return [folder.stat().st_ctime_ns for folder in folders]

    settled = changed()
    assert copy(source, target).exit_code() == 0
    assert changed() == settled  # not one write

    os.chmod(source / "d", 0o700)  # each difference is set again, and only there
    os.setxattr(target / "d" / "e", "user.planted", b"by another tool")
    again = copy(source, target)
    assert again.exit_code() == 0, again.failures()
    assert stat.S_IMODE((target / "d").stat().st_mode) == 0o700
    assert os.listxattr(target / "d" / "e") == ["user.tag"]
    assert rsync_differences(source, target) == []
    settled = changed()
    os.utime(target / "d", ns=(10**18 + 1, 10**18 + 1))  # the copy's time alone
    settled[0] = (target / "d").stat().st_ctime_ns
    assert copy(source, target).exit_code() == 0
    assert (target / "d").stat().st_mtime_ns == (source / "d").stat().st_mtime_ns
    assert changed()[1] == settled[1]


@pytest.mark.timeout(90)
def test_a_folder_made_private_is_made_private_where_modes_may_be_the_mounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ferry takes a mode NTFS or SMB shows for the mount's (devices.sets_modes), yet
    ntfs3 keeps the modes chmod sets: a chmod moves no folder's modification time, and a
    re-run that compared only what it can trust left the copy of a folder made private
    open to all. The source's change time since the copy's tells; once set, it rests."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "private").mkdir(parents=True)
    (source / "private" / "diary.txt").write_text("secret")
    os.chmod(source / "private", 0o755)
    assert copy(source, target).exit_code() == 0
    device, real = tmp_path.stat().st_dev, devices.file_system_of
    monkeypatch.setattr(devices, "file_system_of", lambda d: "ntfs3" if d == device else real(d))

    os.chmod(source / "private", 0o700)
    assert copy(source, target).exit_code() == 0
    assert stat.S_IMODE((target / "private").stat().st_mode) == 0o700
    settled = (target / "private").stat().st_ctime_ns
    assert copy(source, target).exit_code() == 0
    assert (target / "private").stat().st_ctime_ns == settled
    devices.forget_devices()  # (what the last job took the test folder's disk for)


@pytest.mark.timeout(90)
def test_a_file_dated_in_the_future_still_gets_its_source_s_new_attributes(
    tmp_path: Path,
) -> None:
    """A camera with a wrong clock dates its photos ahead: their copies' change times
    (when the copy was made) lay before their modification times, and were not taken
    for their own. An xattr or ACL added to the source then never reached the copy (a
    chmod did, by the bits); as root, neither did a new owner. Now once each."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    ahead = time.time_ns() + 400 * 24 * 3600 * 10**9
    for name in ("photo.jpg", "given.jpg"):
        (source / name).write_bytes(b"jpeg data")
        os.utime(source / name, ns=(ahead, ahead))
    assert copy(source, target).exit_code() == 0

    os.setxattr(source / "photo.jpg", "user.rating", b"5")
    subprocess.run(["setfacl", "-m", "u:nobody:r", str(source / "photo.jpg")], check=True)
    if os.geteuid() == 0:
        os.chown(source / "given.jpg", OTHER_UID, OTHER_GID)
    again = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    reasons = {r.path: r.reason for r in again.results}
    assert reasons["photo.jpg"] == "already up to date; its mode, group and attributes set again"
    assert os.getxattr(target / "photo.jpg", "user.rating") == b"5"
    assert getfacl(target / "photo.jpg") == getfacl(source / "photo.jpg")
    if os.geteuid() == 0:
        assert (target / "given.jpg").stat().st_uid == OTHER_UID
    assert differences_but_the_root_s_time(source, target) == []  # (given.jpg renewed)
    settled = [(target / name).stat().st_ctime_ns for name in ("photo.jpg", "given.jpg")]
    assert copy(source, target).count(FileStatus.SKIPPED) == 2
    assert [(target / name).stat().st_ctime_ns for name in ("photo.jpg", "given.jpg")] == settled


@pytest.mark.timeout(90)
def test_a_card_dated_in_the_future_is_copied_once_and_then_left_alone(tmp_path: Path) -> None:
    """The camera's card itself as the source: vfat shows each file's modification time
    as its change time, ahead of this clock. Taken for a change since the copy, it had
    every photo and folder 'set again' on every run, a write each, for a year."""
    if reason := fuse_available():
        pytest.skip(reason)
    card, target = tmp_path / "card", tmp_path / "dst"
    (card / "DCIM").mkdir(parents=True)
    ahead = time.time_ns() + 400 * 24 * 3600 * 10**9
    (card / "DCIM" / "P1.JPG").write_bytes(b"jpeg" * 1000)
    for path in (card / "DCIM" / "P1.JPG", card / "DCIM"):
        os.utime(path, ns=(ahead, ahead))
    copies = (target / "DCIM" / "P1.JPG", target / "DCIM")
    with mounted(card, tmp_path / "mnt", fixed_mode=0o755) as mount:  # its times as vfat's
        assert copy(mount.point, target).exit_code() == 0
        settled = [path.stat().st_ctime_ns for path in copies]
        again = copy(mount.point, target)

    assert [r.reason for r in again.results] == ["already up to date"]
    assert [path.stat().st_ctime_ns for path in copies] == settled


@as_root
@pytest.mark.timeout(90)
def test_a_source_whose_clock_runs_ahead_still_passes_a_new_owner_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file server whose clock runs a minute ahead shows change times ahead of this
    one: a change made there is still a change since the copy (the fix for a card dated
    ahead first took any such time for none, and left the copy with its old owner)."""
    if reason := fuse_available():
        pytest.skip(reason)
    shown = fusefs.Quirks.getattr

    def ahead(self: fusefs.Quirks, path: str, fh: object = None) -> dict[str, object]:
        found = shown(self, path, fh)
        found["st_ctime"] += 60 * 10**9
        return found

    monkeypatch.setattr(fusefs.Quirks, "getattr", ahead)
    server, target = tmp_path / "server", tmp_path / "dst"
    server.mkdir()
    (server / "report.txt").write_bytes(b"quarterly numbers")
    with mounted(server, tmp_path / "mnt") as mount:
        assert copy(mount.point, target).exit_code() == 0
        os.chown(server / "report.txt", OTHER_UID, OTHER_GID)
        again = copy(mount.point, target)

    assert again.exit_code() == 0, again.failures()
    assert (target / "report.txt").stat().st_uid == OTHER_UID


@pytest.mark.timeout(90)
def test_a_rerun_removes_the_attribute_a_source_folder_dropped(tmp_path: Path) -> None:
    """Files lost a removed attribute on the next run; folders kept it for ever."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "d").mkdir(parents=True)
    os.setxattr(source / "d", "user.tag", b"secret project")
    assert copy(source, target).exit_code() == 0
    os.removexattr(source / "d", "user.tag")
    os.setxattr(source / "d", "user.new", b"1")
    assert copy(source, target).exit_code() == 0
    assert os.listxattr(target / "d") == ["user.new"]
    assert rsync_differences(source, target) == []


@as_root
@pytest.mark.timeout(90)
def test_a_rerun_carries_over_a_new_group_but_gives_no_planted_file_away(
    tmp_path: Path,
) -> None:
    """Root copies a user's folder, which stays theirs in the target. They rename a root
    file of the copy over their own file's copy and make their source look like it (size,
    time, a new ctime): the re-run must not hand them root's file, nor its contents. (It
    finds their file's copy owned by root now, so it copies their source again.)"""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "home").mkdir(parents=True)
    (source / "tool").write_bytes(b"#!/bin/sh\n")
    os.chmod(source / "tool", 0o755)
    (source / "home" / "mine").write_bytes(b"hello\n")
    (source / "home" / "secret").write_bytes(b"root's password\n")
    os.chmod(source / "home" / "secret", 0o600)
    for path in ("home", "home/mine"):
        os.chown(source / path, OTHER_UID, OTHER_GID)
    assert copy(source, target).exit_code() == 0

    os.chown(source / "tool", 0, OTHER_GID)  # a new group: carried over
    os.chmod(source / "tool", 0o2755)  # setgid: a new copy, from the source's own data
    home = target / "home"
    os.rename(home / "secret", home / "mine")  # as the user may: their folder
    secret = os.stat(home / "mine")
    os.truncate(source / "home" / "mine", secret.st_size)
    os.utime(source / "home" / "mine", ns=(secret.st_atime_ns, secret.st_mtime_ns))
    again = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    tool, mine = os.stat(target / "tool"), os.stat(home / "mine")
    assert (tool.st_uid, tool.st_gid, stat.S_IMODE(tool.st_mode)) == (0, OTHER_GID, 0o2755)
    assert mine.st_ino != secret.st_ino  # root's file is not theirs: a new copy of theirs
    assert (mine.st_uid, stat.S_IMODE(mine.st_mode)) == (OTHER_UID, 0o644)
    assert (home / "mine").read_bytes() == (source / "home" / "mine").read_bytes()


@as_root
@pytest.mark.timeout(90)
def test_a_rerun_copies_again_what_was_given_to_another_owner(tmp_path: Path) -> None:
    """chown in the source changes neither size nor time: the copy was "up to date" and
    kept its old owner for good. A re-run by root (with CAP_CHOWN) now copies such a file
    or link again, owned as its source is, under the default policy only; says so in the
    dry run and the log; and does it once."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "docs").mkdir(parents=True)  # (a target root that exists keeps its times)
    (source / "docs" / "given.txt").write_bytes(b"data\n")
    (source / "docs" / "kept.txt").write_bytes(b"other\n")
    (source / "docs" / "link").symlink_to("given.txt")
    assert copy(source, target).exit_code() == 0
    docs = target / "docs"
    before = {name: os.lstat(docs / name).st_ino for name in ("given.txt", "kept.txt")}
    os.chown(source / "docs" / "given.txt", OTHER_UID, OTHER_GID)
    os.chown(source / "docs" / "link", OTHER_UID, OTHER_GID, follow_symlinks=False)
    args = ("--json", str(source), str(target))

    for refrains in (
        run_cli("--on-conflict", "skip", *args),  # skip and keep-both touch nothing there
        run_cli("--on-conflict", "rename", *args),
        subprocess.run(  # root that may not chown: its copies are its own
            ["setpriv", "--inh-caps=-chown", "--bounding-set=-chown", *cli_command(*args)],
            cwd=REPO,
            env=cli_env(),
            capture_output=True,
            timeout=60,
            check=False,
        ),
    ):
        assert summary_of(json_lines(refrains.stdout))["copied"] == 0, refrains.stderr
    assert os.lstat(docs / "given.txt").st_ino == before["given.txt"]
    plan = run_cli("--dry-run", str(source), str(target))
    for name in ("given.txt", "link"):
        said = f"replace: docs/{name} (the copy's owner differs from the source's)".encode()
        assert said in plan.stderr, plan.stderr
    again = run_cli(*args)
    files = file_records(json_lines(again.stdout))

    assert again.returncode == 0, again.stderr
    for name in ("given.txt", "link"):
        record = files[f"docs/{name}"]
        assert (record["status"], record["code"]) == ("copied", "owner_changed")
        owner = os.lstat(docs / name)
        assert (owner.st_uid, owner.st_gid) == (OTHER_UID, OTHER_GID)
    assert os.lstat(docs / "given.txt").st_ino != before["given.txt"]  # a new copy
    assert os.lstat(docs / "kept.txt").st_ino == before["kept.txt"]
    assert rsync_differences(source, target) == []
    third = summary_of(json_lines(run_cli(*args).stdout))
    assert (third["copied"], third["skipped"]) == (0, 3)  # copied again once, not each run


@pytest.mark.timeout(60)
def test_a_copy_that_is_its_sources_own_file_is_left_alone(tmp_path: Path) -> None:
    """A `cp -al` of the source, or what a move within one disk leaves when it is killed
    before the source goes: each copy is the source's own inode, so its change time is
    the source's, and every run said "set again" of each file and moved both change
    times (review of kills). Nothing is written now."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for name in ("a", "b", "c"):
        (source / name).write_bytes(name.encode())
    subprocess.run(["cp", "-al", str(source), str(target)], check=True, timeout=30)
    before = {name: os.stat(source / name).st_ctime_ns for name in ("a", "b", "c")}

    runs = [copy(source, target) for _ in range(2)]

    for report in runs:
        assert report.exit_code() == 0, report.failures()
        assert {r.why.code for r in report.results if r.why} == {Code.UP_TO_DATE}
    assert {name: os.stat(source / name).st_ctime_ns for name in before} == before


@as_root
@pytest.mark.timeout(90)
def test_a_new_owner_of_a_file_with_several_names_reaches_its_copy(tmp_path: Path) -> None:
    """A chown of a hard-linked file left its copy with the old owner on every re-run
    ("already up to date"), and a move then removed the source: the only file left had
    the old owner (review of fidelity, stop 36). Copied again, as a file of one name is,
    and its other names linked to the new copy."""
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in ("x", "y"):
        (source / folder).mkdir(parents=True)
    (source / "x" / "f").write_bytes(b"data\n")
    os.link(source / "x" / "f", source / "y" / "g")
    (source / "x" / "l").symlink_to("f")  # a link with two names too
    os.link(source / "x" / "l", source / "y" / "l", follow_symlinks=False)
    assert copy(source, target).exit_code() == 0
    os.chown(source / "x" / "f", OTHER_UID, OTHER_GID)
    os.chown(source / "x" / "l", OTHER_UID, OTHER_GID, follow_symlinks=False)

    again = copy(source, target)
    moved = copy(source, target, move=True)

    assert again.exit_code() == 0, again.failures()
    assert again.count(FileStatus.COPIED) == 2
    for name in ("x/f", "y/g", "x/l", "y/l"):
        st = os.lstat(target / name)
        assert (st.st_uid, st.st_gid, st.st_nlink) == (OTHER_UID, OTHER_GID, 2), name
    assert moved.exit_code() == 0, moved.failures()
    assert list(source.iterdir()) == []


@as_root
@pytest.mark.timeout(90)
def test_setid_bits_and_a_capability_the_source_gained_reach_its_copy(tmp_path: Path) -> None:
    """A refresh never grants setuid, setgid or a file capability (the copy's data may be
    someone else's), yet said "set again" of them, each run; a move then removed the
    source, and the only file left had none (review of fidelity, stop 36). Such a copy
    is made again from the source's data, which then has them."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for name in ("suid", "cap", "plain", "linked", "snapped"):
        (source / name).write_bytes(b"#!/bin/sh\n")
        (source / name).chmod(0o755)
    os.link(source / "linked", source / "second")
    assert copy(source, target).exit_code() == 0
    snapshot = tmp_path / "snapshot"  # (as `cp -al` of the target keeps older backups)
    os.link(target / "snapped", snapshot)
    for name in ("suid", "linked", "snapped"):
        os.chmod(source / name, 0o4755)  # (a file of several names: copied again whole)
    net_raw = struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0)  # cap_net_raw+ep
    os.setxattr(source / "cap", "security.capability", net_raw)
    os.chmod(source / "plain", 0o600)  # (a mode alone: set in place, as before)
    before = os.stat(target / "plain").st_ino

    again = copy(source, target)
    third = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    assert {r.path: r.why.code for r in again.results if r.why} == {
        "suid": Code.POWERS_RENEWED,
        "cap": Code.POWERS_RENEWED,
        "plain": Code.METADATA_REFRESHED,
        "linked": Code.SHARED_COPY_RENEWED,
        "second": Code.LINKED,
        "snapped": Code.SHARED_COPY_RENEWED,
    }
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o755  # the snapshot's stays as it was
    assert (target / "linked").stat().st_ino == (target / "second").stat().st_ino
    assert stat.S_IMODE((target / "suid").stat().st_mode) == 0o4755
    assert os.getxattr(target / "cap", "security.capability") == net_raw
    assert os.stat(target / "plain").st_ino == before
    assert differences_but_the_root_s_time(source, target) == []  # (it was written into)
    assert third.count(FileStatus.COPIED) == 0  # once


@needs_nobody
@pytest.mark.timeout(90)
def test_a_file_made_private_in_the_source_turns_private_in_a_users_copy() -> None:
    """Copying as a user, every copy is the user's own, never its source's owner's: a
    refresh asked for that owner, so a file made private in the source after a copy stayed
    readable by all in it for good (a move then left only that copy; review of
    fidelity, stop 36). The user's own copy now takes the source's new permissions."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        source.mkdir()
        (source / "secret").write_bytes(b"shared for now")
        os.chown(source / "secret", OTHER_UID, NOBODY)  # nobody reads it through its group
        os.chmod(source / "secret", 0o664)
        target.mkdir()
        os.chown(target, NOBODY, NOBODY)
        first = run_cli_as_nobody(str(source), str(target))
        assert stat.S_IMODE((target / "secret").stat().st_mode) == 0o664, first.stderr
        os.chmod(source / "secret", 0o640)

        again = run_cli_as_nobody("--json", str(source), str(target))

        assert again.returncode == 0, again.stderr.decode()[-2000:]
        assert stat.S_IMODE((target / "secret").stat().st_mode) == 0o640
        record = file_records(json_lines(again.stdout))["secret"]
        assert record["code"] == "metadata_refreshed", record


@needs_nobody
@pytest.mark.timeout(90)
def test_a_users_file_renamed_to_a_copys_name_is_never_opened_up_by_their_source() -> None:
    """Another user who may write into the target folder renames the user's private file
    to the name of one of their own source files' copies, and gives that source its size,
    its time and the mode 666: the user's re-run made the private file 666 (review of the
    fix above). A user's own copy only ever loses permission bits."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        source.mkdir()
        target.mkdir()
        target.chmod(0o777)  # both may write into it
        private = target / "b.txt"
        private.write_bytes(b"the user's key")
        os.chown(private, NOBODY, NOBODY)
        private.chmod(0o600)
        theirs = source / "b.txt"
        theirs.write_bytes(b"their own bits")  # of its size
        os.chown(theirs, OTHER_UID, NOBODY)
        theirs.chmod(0o666)
        os.utime(theirs, ns=(private.stat().st_atime_ns, private.stat().st_mtime_ns))

        again = run_cli_as_nobody("--json", str(source), str(target))

        assert again.returncode == 0, again.stderr.decode()[-2000:]
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
        assert private.read_bytes() == b"the user's key"


@as_root
@pytest.mark.timeout(90)
def test_a_rerun_grants_no_setgid_to_a_program_swapped_in_by_the_source_owner(
    tmp_path: Path,
) -> None:
    """The owner of a setgid source, who may write into the target folder, puts their own
    program at its copy (same size and time) and touches the source: the copy is theirs
    by owner, so it is refreshed, but a refresh must not make their program setgid. (It
    is copied again instead: the setgid bit then holds the source's own program.)"""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "tool").write_bytes(b"#!/bin/sh\necho the real tool\n")
    os.chown(source / "tool", OTHER_UID, 8)  # their file, of a group they are not in
    os.chmod(source / "tool", 0o2755)
    target.mkdir()
    os.chown(target, OTHER_UID, OTHER_GID)
    assert copy(source, target).exit_code() == 0
    assert stat.S_IMODE((target / "tool").stat().st_mode) == 0o2755

    theirs = target / ".theirs"  # as they may: the folder is theirs
    theirs.write_bytes(b'#!/bin/sh\ncat "$@"   #  same size\n'[: (source / "tool").stat().st_size])
    os.chown(theirs, OTHER_UID, OTHER_GID)
    tool = (source / "tool").stat()
    os.utime(theirs, ns=(tool.st_atime_ns, tool.st_mtime_ns))
    os.rename(theirs, target / "tool")
    os.setxattr(source / "tool", "user.bump", b"1")  # a new ctime, as its owner may
    again = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    assert (target / "tool").read_bytes() == b"#!/bin/sh\necho the real tool\n"  # not theirs
    assert stat.S_IMODE((target / "tool").stat().st_mode) == 0o2755


@as_root
@pytest.mark.timeout(90)
def test_a_new_group_keeps_the_copys_setuid_bit_and_capability(tmp_path: Path) -> None:
    """The chown that sets a new group drops setuid and file capabilities: the refresh
    took the copy as never having had them, and the copy lost both for good."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "suid").write_bytes(b"#!/bin/sh\n")
    os.chmod(source / "suid", 0o4755)
    (source / "cap").write_bytes(b"#!/bin/sh\n")
    net_raw = struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0)  # cap_net_raw+ep
    os.setxattr(source / "cap", "security.capability", net_raw)
    assert copy(source, target).exit_code() == 0

    for name in ("suid", "cap"):
        os.chown(source / name, -1, OTHER_GID)
    os.chmod(source / "suid", 0o4755)  # (chown dropped it on the source too)
    os.setxattr(source / "cap", "security.capability", net_raw)
    again = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    assert (target / "suid").stat().st_gid == (target / "cap").stat().st_gid == OTHER_GID
    assert stat.S_IMODE((target / "suid").stat().st_mode) == 0o4755
    assert os.getxattr(target / "cap", "security.capability") == net_raw
    assert rsync_differences(source, target) == []


@as_root
@pytest.mark.timeout(90)
def test_a_rerun_never_gives_the_source_s_capability_to_a_program_swapped_in(
    tmp_path: Path,
) -> None:
    """The source's owner, who may write into the target folder, swaps their program in
    for the copy (same size and time) with a capability of its own (a namespaced one
    needs no privilege), then a chmod makes the copy stale: the refresh wrote the
    source's real capability onto their program. (Now it is copied again: the real
    capability goes with the source's own program.)"""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "prog").write_bytes(b"#!/bin/sh\necho the real one\n")
    os.chown(source / "prog", OTHER_UID, OTHER_GID)
    net_raw = struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0)
    os.setxattr(source / "prog", "security.capability", net_raw)
    target.mkdir()
    os.chown(target, OTHER_UID, OTHER_GID)
    assert copy(source, target).exit_code() == 0

    theirs = target / ".theirs"
    theirs.write_bytes(b"#!/bin/sh\ncat /etc/shadow # !\n"[: (source / "prog").stat().st_size])
    os.chown(theirs, OTHER_UID, OTHER_GID)
    os.setxattr(theirs, "security.capability", struct.pack("<5I", 0x02000001, 1, 0, 0, 0))
    os.chmod(theirs, 0o700)  # other bits than the source's: stale on the next run
    prog = (source / "prog").stat()
    os.utime(theirs, ns=(prog.st_atime_ns, prog.st_mtime_ns))
    os.rename(theirs, target / "prog")
    again = copy(source, target)

    assert again.exit_code() == 0, again.failures()
    assert (target / "prog").read_bytes() == b"#!/bin/sh\necho the real one\n"  # not theirs
    assert os.getxattr(target / "prog", "security.capability") == net_raw


@as_root
@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    ("earlier", "stays"),
    [
        (["rsync", "-a"], True),  # no ACLs, no xattrs
        (["cp", "-r", "--preserve=timestamps"], True),  # root's, its mode of its own
        (["rsync", "-aAX"], False),  # all of it: the move goes on
    ],
    ids=["rsync -a", "cp --preserve=timestamps", "rsync -aAX"],
)
def test_a_move_keeps_sources_whose_earlier_copies_lack_their_metadata(
    tmp_path: Path, earlier: list[str], stays: bool
) -> None:
    """A copy another tool made earlier is up to date by size and time, and a re-run
    never sets an owner, mode or ACL on it that it lacks (refresh.py); a move then
    removed its source, and they were lost for good (review of moves)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    photo = source / "photo.jpg"
    photo.write_bytes(b"jpeg")
    os.chmod(photo, 0o640)
    os.chown(photo, NOBODY, NOBODY)
    subprocess.run(["setfacl", "-m", "u:4242:rw", str(photo)], check=True)
    os.setxattr(photo, "user.origin", b"camera")
    subprocess.run([*earlier, f"{source}/", f"{target}/"], check=True)  # (target: new)

    plan = copy(source, target, move=True, dry_run=True)
    report = copy(source, target, move=True)

    assert (plan.moved, plan.stayed) == ((0, 1) if stays else (1, 0))  # (the same, said first)
    lacks = Reason(Code.COPY_LACKS_METADATA)
    assert [r.why for r in plan.results] == [lacks if stays else Reason(Code.UP_TO_DATE)]
    assert photo.exists() is stays
    if stays:
        assert (report.moved, report.stayed) == (0, 1)
        assert [n.code for n in report.notices] == [Code.MOVE_COPY_LACKS]
    else:
        assert (report.moved, report.stayed) == (1, 0)
    copy_acl = getfacl(target / "photo.jpg")
    assert ("user:4242:rw-" in copy_acl) is not stays


@as_root
def test_a_move_keeps_a_source_folder_whose_copy_kept_another_users_metadata(
    tmp_path: Path,
) -> None:
    """A folder found in the target that belongs to another user than its source folder
    keeps its own owner, mode, xattrs and ACLs (folders._ours_to_set: it may not be the
    copy), said; a move then removed the emptied source folder all the same, exit 0:
    its owner, private mode, xattrs and ACLs were lost for good (review of moves). It
    stays, counted as a source the move held back: exit 1."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "private" / "inner").mkdir(parents=True)
    (source / "private" / "inner" / "note").write_bytes(b"note")
    (source / "plain").mkdir()
    (source / "plain" / "f").write_bytes(b"f")
    private = source / "private"
    os.chown(private, NOBODY, NOBODY)
    os.chmod(private, 0o700)
    os.setxattr(private, "user.origin", b"camera")
    subprocess.run(["setfacl", "-m", "u:4242:rx", str(private)], check=True)
    before = os.stat(private)
    (target / "private").mkdir(parents=True)  # root's own, open to all
    os.chmod(target / "private", 0o755)

    report = copy(source, target, move=True)

    assert [n.code for n in report.notices] == [Code.FOLDERS_KEPT_OWN]
    assert os.stat(target / "private").st_uid == 0  # (as it was: maybe not the copy)
    assert (target / "private" / "inner" / "note").read_bytes() == b"note"
    assert not (source / "plain").exists()  # (its copy has its metadata: it went)
    assert sorted(p.name for p in source.rglob("*")) == ["private"]  # the only one so kept
    assert (os.stat(private).st_uid, os.stat(private).st_mode) == (NOBODY, before.st_mode)
    assert "user:4242:r-x" in getfacl(private)
    assert (report.moved, report.stayed, report.held) == (2, 1, 1)
    assert not report.was_successful()


@needs_nobody
@pytest.mark.timeout(120)
def test_a_users_move_takes_sources_whose_copies_lack_only_what_a_copy_never_gets() -> None:
    """A copy made by this user is what a new one would be: an ACL whose mask is cleared
    with the group bits of a group the user is not in, no security.* attribute (a user
    may not set one: said when copied). A move took them for copies lacking metadata,
    and kept their sources for good, against its own advice (review of the change)."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        source.mkdir()
        for name in ("acl", "label", "plain"):
            (source / name).write_bytes(name.encode())
            os.chown(source / name, NOBODY, OTHER_GID)  # a group nobody is not in
        subprocess.run(["setfacl", "-m", "u:4242:r", str(source / "acl")], check=True)
        os.setxattr(source / "label", "security.ferry-test", b"x")
        os.chown(source, NOBODY, NOBODY)
        target.mkdir()
        os.chown(target, NOBODY, NOBODY)
        first = run_cli_as_nobody(str(source), str(target))
        assert b"security.ferry-test" in first.stderr  # (could not be kept: said)

        moved = run_cli_as_nobody("--move", str(source), str(target))

        assert moved.returncode == 0, moved.stderr.decode()[-2000:]
        assert os.listdir(source) == []
        assert "user:4242:r--" in getfacl(target / "acl")


@pytest.mark.timeout(90)
def test_a_move_keeps_every_name_of_a_file_whose_copy_lacks_its_metadata(tmp_path: Path) -> None:
    """A file of two names with an ACL, copied by `rsync -a` (no -A, no -H): its first
    name stays, its copy lacking the ACL; the second, linked to that copy, stays too. The
    dry run said one would move, and the run said the second's copy "does not hold its
    bytes" (review of the change)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "hl1").write_bytes(b"one file, two names")
    os.link(source / "hl1", source / "hl2")
    subprocess.run(["setfacl", "-m", "u:4242:r", str(source / "hl1")], check=True)
    subprocess.run(["rsync", "-a", f"{source}/", f"{target}/"], check=True)

    plan = copy(source, target, move=True, dry_run=True)
    report = copy(source, target, move=True)

    assert (plan.moved, plan.stayed) == (0, 2)
    assert (report.moved, report.stayed) == (0, 2)
    assert [n.code for n in report.notices] == [Code.MOVE_COPY_LACKS]
    assert sorted(os.listdir(source)) == ["hl1", "hl2"]


@pytest.mark.timeout(90)
def test_a_move_turns_a_kept_both_copy_private_as_its_source_then_moves_it(
    tmp_path: Path,
) -> None:
    """An earlier "keep both" copy whose source turned private since: its dry run said "1
    to move" where the move kept the source (review of stop 37's change); the copy is
    set private now, as one at the source's name is, and the source moves, as planned."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "a").write_bytes(b"mine")
    (target / "a").write_bytes(b"someone else's")
    os.utime(target / "a", (4_000_000_000, 4_000_000_000))
    assert copy(source, target, on_conflict=ConflictPolicy.RENAME).exit_code() == 0
    assert (target / "a (2)").read_bytes() == b"mine"
    os.chmod(source / "a", 0o600)

    plan = copy(source, target, move=True, dry_run=True, on_conflict=ConflictPolicy.RENAME)
    report = copy(source, target, move=True, on_conflict=ConflictPolicy.RENAME)

    assert [r.why for r in plan.results] == [Reason(Code.METADATA_TO_REFRESH)]
    assert (plan.moved, plan.stayed) == (report.moved, report.stayed) == (1, 0)
    assert stat.S_IMODE((target / "a (2)").stat().st_mode) == 0o600
    assert not (source / "a").exists()


@as_root
@pytest.mark.timeout(90)
def test_a_moves_dry_run_keeps_every_name_of_a_kept_both_copy_lacking_its_owner(
    tmp_path: Path,
) -> None:
    """Two names kept both ("f (2)", "h (2)", one inode) whose copy lost its owner: the
    run kept both sources, the dry run said one would move (review of the fix)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "f").write_bytes(b"new")
    os.link(source / "f", source / "h")
    os.chown(source / "f", OTHER_UID, OTHER_UID)
    for name in ("f", "h"):
        (target / name).write_bytes(b"old")
    assert copy(source, target, on_conflict=ConflictPolicy.RENAME).exit_code() == 0
    os.chown(target / "f (2)", 0, 0)

    plan = copy(source, target, move=True, dry_run=True, on_conflict=ConflictPolicy.RENAME)
    report = copy(source, target, move=True, on_conflict=ConflictPolicy.RENAME)

    assert (plan.moved, plan.stayed) == (report.moved, report.stayed) == (0, 2)


@needs_nobody
@pytest.mark.timeout(120)
def test_a_users_move_keeps_sources_whose_copies_lack_a_group_of_the_users() -> None:
    """As a user, a copy gets its source's group where the user is in it (keep_owner): a
    copy `cp` made in the user's own group was taken as whole, and the move lost the
    group and its write bit for good (review of the change)."""
    user = as_user(NOBODY, (NOBODY, OTHER_GID))
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        source.mkdir()
        (source / "shared").write_bytes(b"the team's")
        os.chown(source / "shared", OTHER_UID, OTHER_GID)
        os.chmod(source / "shared", 0o664)
        os.chmod(source, 0o777)
        target.mkdir()
        os.chown(target, NOBODY, NOBODY)
        cp = ["cp", "-r", "--preserve=timestamps", f"{source}/.", f"{target}/"]
        subprocess.run([*user, *cp], check=True)
        assert (target / "shared").stat().st_gid == NOBODY

        plan = run_cli_as(user, "--move", "--dry-run", str(source), str(target))
        moved = run_cli_as(user, "--move", str(source), str(target))

        assert b"0 to move, 1 to stay" in plan.stderr, plan.stderr
        assert moved.returncode == 1, moved.stderr.decode()[-2000:]  # (held back)
        assert b"1 of them as their copies could not take their place" in moved.stderr
        assert (source / "shared").exists()


@pytest.mark.timeout(120)
def test_a_move_onto_btrfs_keeps_sources_whose_copies_lack_their_owner(tmp_path: Path) -> None:
    """btrfs shows a subvolume's files under a device number of its own, which the mount
    table does not list: the file system was unknown, a copy's owner never compared
    there, and a move lost it for good (review of the change). The top subvolume, one
    mounted on its own, and one nested in it, mounted nowhere."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "own").write_bytes(b"someone's")
    os.chown(source / "own", OTHER_UID, OTHER_UID)
    with disk_image(tmp_path, "btrfs") as (disk, _):
        for name in ("vol", "deep"):  # (deep: mounted nowhere of its own)
            subvolume = ["btrfs", "-q", "subvolume", "create", str(disk / name)]
            subprocess.run(subvolume, check=True)
        device = subprocess.run(
            ["findmnt", "-n", "-o", "SOURCE", str(disk)], capture_output=True, text=True
        ).stdout.strip()
        vol = tmp_path / "vol"
        vol.mkdir()
        subprocess.run(["mount", "-o", "subvol=vol", device, str(vol)], check=True)
        try:
            for target in (disk / "dst", vol / "dst", disk / "deep" / "dst"):
                subprocess.run(["rsync", "-rlpt", f"{source}/", f"{target}/"], check=True)
                assert (target / "own").stat().st_uid == 0

                report = copy(source, target, move=True)

                assert (source / "own").exists(), target
                assert [n.code for n in report.notices] == [Code.MOVE_COPY_LACKS]
        finally:
            subprocess.run(["umount", str(vol)], check=True)


@pytest.mark.timeout(120)
def test_a_subvolume_inside_the_target_has_its_copies_owners_compared(tmp_path: Path) -> None:
    """A btrfs subvolume below the target folder (`dst/sub`: made there, a snapshot, a
    home) shows its files under a device number that neither the mount table nor the
    job's learning of its own folders knew: a chown of the source never reached the copy
    there (owner and group stayed the old ones on every run), and a move removed the
    sources whose copies lacked their owner, dry run and move alike (review of devices)."""
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    for name in ("top", "sub/inner"):
        (source / name).write_bytes(b"someone's")
        os.chown(source / name, OTHER_UID, OTHER_GID)
    with disk_image(tmp_path, "btrfs") as (disk, _):
        target = disk / "dst"
        target.mkdir()
        subprocess.run(["btrfs", "-q", "subvolume", "create", str(target / "sub")], check=True)
        assert copy(source, target).exit_code() == 0
        for name in ("top", "sub/inner"):
            os.chown(source / name, OTHER_UID + 1, OTHER_GID + 1)

        assert copy(source, target).exit_code() == 0

        for name in ("top", "sub/inner"):
            copied = (target / name).stat()
            assert (copied.st_uid, copied.st_gid) == (OTHER_UID + 1, OTHER_GID + 1), name
            os.chown(target / name, 0, 0)  # (as `rsync -rlpt` or `cp` would leave it)
        plan = copy(source, target, move=True, dry_run=True)
        report = copy(source, target, move=True)

        assert (plan.moved, plan.stayed) == (report.moved, report.stayed) == (0, 2)
        assert (source / "sub" / "inner").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounts an overlay and gives owners: needs root")
@pytest.mark.timeout(120)
@pytest.mark.parametrize("layers", ["one disk", "two disks"])
def test_a_move_onto_overlay_keeps_sources_whose_copies_lack_their_owner(
    tmp_path: Path, layers: str
) -> None:
    """Overlay (a container's disk) keeps the owners root gives: it was no file system
    that keeps owners, so a chown of the source never reached its copy there, and a move
    removed sources whose copies lacked their owner. Layers on two disks show each file
    under a device number the mount table does not list (review of devices)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "own").write_bytes(b"someone's")
    os.chown(source / "own", OTHER_UID, OTHER_GID)
    lower, upper, work, over = (tmp_path / name for name in ("low", "up", "work", "over"))
    for folder in (lower, upper, work, over):
        folder.mkdir()
    mounts = []
    try:
        if layers == "two disks":
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(lower)])
            mounts.append(lower)
        options = f"lowerdir={lower},upperdir={upper},workdir={work}"
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o", options, str(over)])
        mounts.append(over)
        target = over / "dst"
        assert copy(source, target).exit_code() == 0
        os.chown(source / "own", OTHER_UID + 1, OTHER_GID + 1)
        assert copy(source, target).exit_code() == 0
        copied = (target / "own").stat()
        assert (copied.st_uid, copied.st_gid) == (OTHER_UID + 1, OTHER_GID + 1)
        os.chown(target / "own", 0, 0)  # (as `rsync -rlpt` or `cp` would leave it)

        plan = copy(source, target, move=True, dry_run=True)
        report = copy(source, target, move=True)

        assert (plan.moved, plan.stayed) == (report.moved, report.stayed) == (0, 1)
        assert (source / "own").exists()
    finally:
        for point in reversed(mounts):
            subprocess.run(["umount", str(point)], check=True)


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_move_takes_sources_from_a_nosuid_mount_whose_copies_lack_their_powers(
    tmp_path: Path,
) -> None:
    """Setid bits and a capability never leave a nosuid mount (a stick): a move's re-run
    took their copies for copies lacking them, and kept those sources for good (review
    of the change)."""
    script = (
        NOSUID_STICK
        + """
        "$PYTHON" -m app copy "$1" "$2"
        "$PYTHON" -m app copy --move "$1" "$2"
        ls -A "$1"
    """
    )
    net_raw = struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0)  # cap_net_raw+ep
    target = tmp_path / "dst"
    (tmp_path / "stick").mkdir()
    done = in_private_mounts(script, str(tmp_path / "stick"), str(target), net_raw.hex())
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"", done.stdout  # (what stayed on the stick)
    assert sorted(os.listdir(target)) == ["cap", "suid"]


# --- hard links ------------------------------------------------------------------------


@pytest.mark.timeout(90)
def test_hard_links_stay_links_whichever_worker_copies_them(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in range(4):  # enough files that the names land in different batches
        (source / f"d{folder}").mkdir(parents=True)
        for index in range(200):
            (source / f"d{folder}" / f"f{index}").write_bytes(b"%d" % index)
    (source / "d0" / "first").write_bytes(b"one inode, four names")
    for other in ("d0/second", "d2/third", "d3/fourth"):
        os.link(source / "d0" / "first", source / other)
    (source / "big").write_bytes(os.urandom(20 * MIB))  # a task of its own
    os.link(source / "big", source / "d3" / "big-too")

    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert inode_groups(target) == inode_groups(source)
    linked = {r.path: r for r in report.results if r.status is FileStatus.LINKED}
    assert len(linked) == 4
    for result in linked.values():  # the log says which copy each name joined
        assert result.reason.startswith("hard link to ")
        joined = result.reason.removeprefix("hard link to ")
        assert os.path.samefile(target / joined, target / result.path)
    assert (
        report.bytes_copied
        == sum(
            p.stat().st_size for p in source.rglob("*") if p.is_file() and p.stat().st_nlink == 1
        )
        + len(b"one inode, four names")
        + 20 * MIB
    )

    again = copy(source, target)
    assert again.count(FileStatus.COPIED) == again.count(FileStatus.LINKED) == 0
    assert inode_groups(target) == inode_groups(source)


@pytest.mark.timeout(90)
def test_hard_linked_symlinks_stay_one_inode_as_cp_a_keeps_them(tmp_path: Path) -> None:
    """`cp -al` snapshots (rsnapshot and the like) hard-link symbolic links too: each
    was copied as a link of its own, one inode a name."""
    source, target, by_cp = tmp_path / "src", tmp_path / "dst", tmp_path / "cp"
    for folder in ("a", "b"):
        (source / folder).mkdir(parents=True)
    (source / "a" / "f").write_bytes(b"data")
    os.symlink("f", source / "a" / "l")
    os.symlink("nowhere", source / "a" / "dangling")
    for name, other in (("a/l", "a/l2"), ("a/l", "b/l3"), ("a/dangling", "b/dangling2")):
        os.link(source / name, source / other, follow_symlinks=False)
    subprocess.run(["cp", "-a", str(source), str(by_cp)], check=True, timeout=30)

    plan = {r.path: r.action for r in copy(source, target, dry_run=True).results}
    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert report.count(FileStatus.LINKED) == 3
    assert inode_groups(target) == inode_groups(source) != set()
    assert rsync_differences(by_cp, target) == []
    names = ("a/l", "a/l2", "b/l3", "a/dangling", "b/dangling2")
    assert sorted(plan[name] for name in names) == ["copy", "copy", "link", "link", "link"]
    again = copy(source, target)
    assert again.count(FileStatus.COPIED) == again.count(FileStatus.LINKED) == 0


def three_names(source: Path) -> None:
    """source/a, c and d/b: one file of 21,000 bytes."""
    (source / "d").mkdir(parents=True)
    (source / "a").write_bytes(b"one file, three names" * 1000)
    for other in ("c", "d/b"):
        os.link(source / "a", source / other)


@pytest.mark.timeout(90)
def test_a_target_without_hard_links_gets_every_name_as_a_file_of_its_own(
    tmp_path: Path,
) -> None:
    """vfat and exFAT (USB sticks) keep no hard links: every second name failed ("cannot
    give the copy its name: Operation not permitted"), run after run, its data nowhere
    in the target. Now each is copied as a file of its own, said per file and once."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    three_names(source)
    (backing / "dst").mkdir(parents=True)
    os.symlink("a", source / "l")
    os.link(source / "l", source / "d" / "l2", follow_symlinks=False)
    recorder = Recorder()
    with mounted(backing, tmp_path / "mnt", links=False) as mount:
        target = mount.point / "dst"
        options = CopyOptions(workers=2, verify=True)
        report = CopyJob(str(source), str(target), options, on_event=recorder).run()
        again = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    unlinked = [r for r in report.results if r.why and r.why.code is Code.COPIED_UNLINKED]
    assert len(unlinked) == 3, report.results
    assert [n.code for n in report.notices] == [Code.NOT_HARD_LINKED]
    assert report.notices[0].args[0] == 3
    for name in ("a", "c", "d/b"):
        assert (backing / "dst" / name).read_bytes() == b"one file, three names" * 1000
    assert os.readlink(backing / "dst" / "d" / "l2") == "a"
    assert report.bytes_copied == 3 * 21000
    assert report.verified == 3
    last = [p for p in recorder.of(Progress) if p.phase != "verify"][-1]
    assert last.bytes_done == last.bytes_total == 3 * 21000  # the bar ends full
    assert again.count(FileStatus.COPIED) == 0 and again.notices == ()
    assert again.count(FileStatus.SKIPPED) == 5


@pytest.mark.timeout(90)
def test_where_the_mount_says_no_hard_links_plan_and_room_count_every_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On vfat or exFAT the job copies each second name as a file of its own, but the
    plan said "link" for it, counting none of its bytes, and neither counted its room:
    a job onto a nearly full stick ran into a full disk where it is refused before it
    writes."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    three_names(source)
    (backing / "dst").mkdir(parents=True)
    monkeypatch.setattr(namekeys, "keeps_hard_links", lambda device: False)  # as vfat's type
    with mounted(backing, tmp_path / "mnt", links=False) as mount:
        target = mount.point / "dst"
        planned = copy(source, target, dry_run=True)
        for module in (job_module, plan_module):  # room for one copy, not three
            monkeypatch.setattr(module, "free_space", lambda target: 50_000)
        short_plan = copy(source, target, dry_run=True)
        short = copy(source, target)

    files = {r.path: (r.action, r.bytes) for r in planned.results if r.path != "d"}
    assert files == dict.fromkeys(["a", "c", os.path.join("d", "b")], ("copy", 21000))
    for report in (short_plan, short):
        assert report.refused is not None, report.results
        assert report.refused.code in (Code.NO_SPACE, Code.NO_SPACE_SO_FAR)
    assert os.listdir(backing / "dst") == []


@pytest.mark.timeout(90)
def test_a_stick_whose_type_does_not_tell_is_probed_for_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """exFAT through FUSE shows as `fuseblk`: known only by the mount's type, a stick
    that keeps no hard links was counted one copy for a file of three names, and the
    job wrote three into room for one. The job's probe now tries a hard link (a plan,
    which writes nothing, still cannot know)."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    three_names(source)
    (backing / "dst").mkdir(parents=True)
    monkeypatch.setattr(job_module, "free_space", lambda target: 50_000)  # one copy's room
    with mounted(backing, tmp_path / "mnt", links=False) as mount:
        report = copy(source, mount.point / "dst")

    assert report.refused is not None and report.refused.code is Code.NO_SPACE_SO_FAR
    assert os.listdir(backing / "dst") == []


@pytest.mark.timeout(90)
@pytest.mark.parametrize("case", ["up-to-date", "kept", "keep-both", "ask", "mirror", "mirror-two"])
def test_where_the_mount_says_no_hard_links_room_is_counted_as_each_name_is_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """Each second name there is decided as a file of its own, and its room counted so,
    as the plan counts it. Counted before it was decided, a re-run with everything up to
    date was refused for space on a stick with less free than the file's size, a name
    the stick holds newer (kept) was counted, keep-both's new copies were counted as
    replacements (the job ran into a full disk where the plan said it would not fit), so
    were questions under `ask` (counted as new copies, as any file's), and a mirror
    deleted what stood in a second name's way (or two names' way) before it stopped for
    space."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (source / "d").mkdir(parents=True)
    (backing / "dst").mkdir(parents=True)
    (source / "a").write_bytes(os.urandom(MIB))
    if case != "mirror":
        os.link(source / "a", source / "d" / "b")
    monkeypatch.setattr(namekeys, "keeps_hard_links", lambda device: False)  # as vfat's type
    policy = {"keep-both": ConflictPolicy.RENAME, "ask": ConflictPolicy.ASK}.get(case)
    options: dict[str, object] = {"on_conflict": policy} if policy else {}
    free, fits = {"up-to-date": (MIB // 5, True), "kept": (3 * MIB // 2, True)}.get(
        case, (5 * MIB // 2, False)
    )
    with mounted(backing, tmp_path / "mnt", links=False) as mount:
        target = mount.point / "dst"
        assert copy(source, target).exit_code() == 0
        if case in ("kept", "keep-both", "ask"):
            (source / "a").write_bytes(os.urandom(MIB))  # the source newer: replaced
        if case == "kept":
            (target / "d" / "b").write_bytes(b"edited on the stick")  # newer: kept
        if case in ("keep-both", "ask"):
            (source / "e").mkdir()
            os.link(source / "a", source / "e" / "c")
        if case == "mirror-two":  # two names in a folder where the stick holds a file
            (source / "f").mkdir()
            for name in ("x", "y"):
                os.link(source / "d" / "b", source / "f" / name)
            (target / "f").write_bytes(b"a file where the source has a folder")
            options, free = {"mirror": True}, 3 * MIB // 2
        if case == "mirror":  # a second name where the stick holds a folder, 1 MiB free
            (source / "d" / "x").write_bytes(os.urandom(MIB))
            os.link(source / "d" / "x", source / "y")
            options = {"mirror": True}
            (target / "y").mkdir()
            (target / "y" / "old.txt").write_bytes(b"only on the stick")
            free = MIB
        for module in (job_module, plan_module):
            monkeypatch.setattr(module, "free_space", lambda target: free)
        planned = copy(source, target, dry_run=True, **options)
        again = copy(source, target, **options)

    for report in (planned, again):
        assert (report.refused is None) is fits, (report.refused, report.results)
    if case.startswith("mirror"):
        assert again.deleted == 0  # refused before any deletion
        assert (backing / "dst" / ("y" if case == "mirror" else "f")).exists()


@pytest.mark.timeout(90)
def test_an_asked_name_standing_in_for_its_first_counts_once_as_the_plan_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `ask`, where the first name's copy cannot land (a folder holds its name),
    the next name stands in and the rest link to it: one copy, as the plan counts it.
    Counted as not landing, every asked name was counted again, and a job the plan said
    fits was refused for space."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (target / "a").mkdir(parents=True)  # where the first name goes: it fails
    (source / "a").write_bytes(os.urandom(MIB))
    for index in range(3):
        (source / f"d{index}").mkdir()
        os.link(source / "a", source / f"d{index}" / "b")
        (target / f"d{index}").mkdir()
        (target / f"d{index}" / "b").write_bytes(b"an old copy")  # older: asked about
        os.utime(target / f"d{index}" / "b", ns=(10**9, 10**9))
    for module in (job_module, plan_module):  # room for one copy, not two
        monkeypatch.setattr(module, "free_space", lambda target: 3 * MIB // 2)
    options = CopyOptions(workers=2, on_conflict=ConflictPolicy.ASK)
    recorder = Recorder()
    job = CopyJob(str(source), str(target), options, on_event=recorder)
    recorder.hooks.append(
        lambda event: (
            isinstance(event, ConflictQuestion)
            and job.resolve_conflict(event.conflict_id, ConflictPolicy.OVERWRITE, apply_to_all=True)
        )
    )

    planned = copy(source, target, dry_run=True, on_conflict=ConflictPolicy.ASK)
    report = job.run()

    assert planned.refused is None and report.refused is None, report.refused
    assert report.count(FileStatus.FAILED) == 1  # the first name, in the folder's way
    names = [target / f"d{index}" / "b" for index in range(3)]
    assert len({path.stat().st_ino for path in names}) == 1  # one copy, linked


@pytest.mark.timeout(90)
def test_a_second_name_of_a_link_never_takes_its_first_name_s_copy_away(
    tmp_path: Path,
) -> None:
    """Where a private folder cannot be made (folders of a fixed mode, as vfat's dmask
    gives) and no hard links either, the first name's copy was renamed to the second name:
    exit 0, "linked", and the first name gone from the target."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (backing / "dst").mkdir(parents=True)
    (source / "a").write_bytes(b"data")
    os.symlink("a", source / "l")
    os.link(source / "l", source / "l2", follow_symlinks=False)

    with mounted(backing, tmp_path / "mnt", links=False, fixed_mode=0o755) as mount:
        report = copy(source, mount.point / "dst")

    assert report.exit_code() == 0, report.failures()
    assert sorted(os.listdir(backing / "dst")) == ["a", "l", "l2"]
    assert os.readlink(backing / "dst" / "l") == os.readlink(backing / "dst" / "l2") == "a"
    assert [r.why.code for r in report.results if r.why] == [Code.COPIED_UNLINKED]


def test_a_target_that_sets_no_modes_gets_every_copy_with_the_mode_it_shows(
    tmp_path: Path,
) -> None:
    """fusefat answers every chmod with ENOSYS: each file and folder failed there ("cannot
    set the copy's permissions"), nothing landed; `cp -a` copies and warns. Copied now,
    said once and of each file, where the mode shown lets no one but the owner do more
    than the source's does; elsewhere the failure stands (a private file shown 0755)."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing, private = tmp_path / "src", tmp_path / "backing", tmp_path / "private"
    (source / "docs").mkdir(parents=True)
    (source / "docs" / "a.txt").write_bytes(b"shared")
    (source / "docs" / "a.txt").chmod(0o644)
    os.mkfifo(source / "pipe", 0o640)
    private.mkdir()
    (private / "key").write_bytes(b"secret")
    (private / "key").chmod(0o600)
    (backing / "dst").mkdir(parents=True)
    (backing / "open").mkdir()

    with mounted(backing, tmp_path / "mnt", no_chmod=True, fixed_mode=0o700) as mount:
        report = copy(source, mount.point / "dst")
        again = copy(source, mount.point / "dst")
    with mounted(backing, tmp_path / "mnt", no_chmod=True, fixed_mode=0o755) as mount:
        too_open = copy(private, mount.point / "open")

    assert report.exit_code() == 0, report.failures()
    assert (backing / "dst" / "docs" / "a.txt").read_bytes() == b"shared"
    assert stat.S_ISFIFO(os.lstat(backing / "dst" / "pipe").st_mode)
    assert {r.path: r.why for r in report.results} == {
        path: Reason(Code.MODE_NOT_KEPT, (os.strerror(errno.ENOSYS),))
        for path in (os.path.join("docs", "a.txt"), "pipe")
    }
    (notice,) = report.notices
    assert notice.code is Code.MODES_NOT_KEPT
    assert again.exit_code() == 0, again.failures()
    assert again.count(FileStatus.COPIED) == 0
    assert [r.why and r.why.code for r in too_open.failures()] == [Code.CANNOT_SET_METADATA]
    assert os.listdir(backing / "open") == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize("policy", [ConflictPolicy.NEWER, ConflictPolicy.RENAME])
def test_a_target_that_dates_what_it_renames_keeps_the_sources_times(
    tmp_path: Path, policy: ConflictPolicy
) -> None:
    """fusefat dates a file it renames "now": every copy, named from its temp, lost the
    source's times (`cp -a` keeps them there), so a move removed no source ("0 moved")
    and re-runs took every copy for newer (review of moves, stop 35). The times are set
    again once a copy has its name, a new name or one it replaces or keeps beside."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (source / "docs").mkdir(parents=True)
    (source / "docs" / "new.txt").write_bytes(b"new")
    (source / "old.txt").write_bytes(b"the source's")
    (backing / "dst").mkdir(parents=True)
    (backing / "dst" / "old.txt").write_bytes(b"older")
    os.utime(backing / "dst" / "old.txt", ns=(1_500_000_000_123_456_789,) * 2)
    when = 1_600_000_000_987_654_321
    for path in (source / "docs" / "new.txt", source / "old.txt"):
        os.utime(path, ns=(when - 5, when))

    with mounted(backing, tmp_path / "mnt", links=False, renames_date=True) as mount:
        report = copy(source, mount.point / "dst", on_conflict=policy)
        times = {
            str(path.relative_to(backing / "dst")): (
                path.stat().st_atime_ns,
                path.stat().st_mtime_ns,
            )
            for path in (backing / "dst").rglob("*.txt")
        }
        again = copy(source, mount.point / "dst", on_conflict=policy)
        moved = copy(source, mount.point / "dst", on_conflict=policy, move=True)

    copied = {"docs/new.txt": (when - 5, when), "old.txt": (when - 5, when)}
    if policy is ConflictPolicy.RENAME:  # (the target's own old.txt kept as it was)
        copied |= {"old.txt": (1_500_000_000_123_456_789,) * 2, "old (2).txt": (when - 5, when)}
    assert times == copied
    assert report.exit_code() == 0, report.failures()
    assert not again.count(FileStatus.COPIED) and not again.count(FileStatus.RENAMED)
    assert moved.exit_code() == 0, moved.failures()
    assert list(source.iterdir()) == []  # every source moved, its emptied folder too


def test_setid_and_sticky_bits_the_target_refuses_leave_the_rest_kept(tmp_path: Path) -> None:
    """exFAT answers a chmod with a setuid, setgid or sticky bit with EPERM: such a file
    failed and was discarded, such a folder kept no time, on every run; `cp -a` copies
    and warns (review of fidelity). Copied now without those bits, said of each."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    (source / "proj").mkdir(parents=True)
    (source / "proj" / "tool").write_bytes(b"#!/bin/sh\n")
    (source / "proj" / "tool").chmod(0o4755)
    (source / "shared").write_bytes(b"t")
    (source / "shared").chmod(0o1644)
    (source / "proj").chmod(0o2775)
    os.utime(source / "proj", (1_300_000_000, 1_300_000_000))
    (source / "pub").mkdir()
    (source / "pub").chmod(0o1777)  # (as /tmp: without its sticky bit, not open to all)
    (backing / "dst").mkdir(parents=True)

    with mounted(backing, tmp_path / "mnt", no_special_bits=True) as mount:
        report = copy(source, mount.point / "dst")
        again = copy(source, mount.point / "dst")

    assert report.exit_code() == 0, report.failures()
    copied = backing / "dst"
    assert stat.S_IMODE((copied / "proj" / "tool").stat().st_mode) == 0o755
    assert stat.S_IMODE((copied / "shared").stat().st_mode) == 0o644
    assert stat.S_IMODE((copied / "proj").stat().st_mode) == 0o775
    assert (copied / "proj").stat().st_mtime == 1_300_000_000
    assert stat.S_IMODE((copied / "pub").stat().st_mode) == 0o755
    refused = Reason(Code.SPECIAL_BITS_REFUSED, (os.strerror(errno.EPERM),))
    assert {r.path: r.why for r in report.results} == {
        os.path.join("proj", "tool"): refused,
        "shared": refused,
    }
    assert [n.code for n in report.notices] == [Code.FOLDERS_SPECIAL_BITS_REFUSED]
    assert again.exit_code() == 0 and again.count(FileStatus.COPIED) == 0, again.failures()


def test_a_time_beyond_what_the_target_keeps_is_said_and_up_to_date_after(
    tmp_path: Path,
) -> None:
    """ext4 of small inodes keeps 32-bit seconds: a file dated 2400 was copied with 2038
    (as `cp -a` does), said nowhere, and copied again on every run (review of fidelity)."""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (backing / "dst").mkdir(parents=True)
    for name, year in (("future", 2400), ("later", 2100), ("now", 2020)):
        (source / name).write_bytes(name.encode())
        when = int((year - 1970) * 365.2425 * 86400) * 10**9
        os.utime(source / name, ns=(when, when))

    with mounted(backing, tmp_path / "mnt", seconds_32=True) as mount:
        report = copy(source, mount.point / "dst")
        again = copy(source, mount.point / "dst")

    assert report.exit_code() == 0, report.failures()
    assert {r.path: r.why for r in report.results if r.why} == {
        "future": Reason(Code.TIME_NOT_KEPT, (2038,)),
        "later": Reason(Code.TIME_NOT_KEPT, (2038,)),
    }
    assert (backing / "dst" / "future").stat().st_mtime_ns == (2**31 - 1) * 10**9
    assert again.exit_code() == 0 and again.count(FileStatus.COPIED) == 0


def two_names_of_one_file(tmp_path: Path) -> tuple[Path, int]:
    """backing/src holds `a` and `sub/b`, one file of 8 MiB (b met second, so b is the
    name to link); backing/dst is empty. Returns backing and the size."""
    backing, size = tmp_path / "backing", 8 * MIB
    (backing / "src" / "sub").mkdir(parents=True)
    (backing / "dst").mkdir()
    (backing / "src" / "a").write_bytes(os.urandom(size))
    os.link(backing / "src" / "a", backing / "src" / "sub" / "b")
    return backing, size


@pytest.mark.timeout(90)
def test_a_second_name_copied_on_its_own_is_in_the_total_before_its_bytes(
    tmp_path: Path,
) -> None:
    """Its bytes joined the total only with its result: meanwhile the progress of its
    copy counted against the old total (13.2 MB of 8.0 MB)."""
    if reason := fuse_available():
        pytest.skip(reason)
    backing, size = two_names_of_one_file(tmp_path)
    recorder = Recorder()
    with mounted(backing, tmp_path / "mnt", links=False) as mount:
        gate = mount.gate("b", MIB)
        job = CopyJob(
            str(mount.point / "src"), str(mount.point / "dst"), CopyOptions(workers=2), recorder
        )
        running = Background(job)
        wait_until(lambda: mount.held() >= 1, 30)
        while_held = wait_until(
            lambda: [p for p in recorder.of(Progress) if any(a.path == "sub/b" for a in p.active)],
            30,
        )
        gate.open()
        report = running.join(60)

    assert report.exit_code() == 0, report.failures()
    assert while_held[-1].bytes_total == 2 * size
    assert all(p.bytes_done <= p.bytes_total for p in recorder.of(Progress))


@pytest.mark.timeout(90)
def test_a_second_name_whose_own_copy_fails_leaves_the_bar_full(tmp_path: Path) -> None:
    """Its size joined the total at its first progress, and its failure finished it
    with none: the bar ended at half (25.2 of 50.3 MB)."""
    if reason := fuse_available():
        pytest.skip(reason)
    backing, _ = two_names_of_one_file(tmp_path)
    recorder = Recorder()
    with mounted(backing, tmp_path / "mnt", links=False) as mount:
        mount.fail_reads("b", MIB)  # a bad sector, read through this name only
        job = CopyJob(
            str(mount.point / "src"), str(mount.point / "dst"), CopyOptions(workers=2), recorder
        )
        report = job.run()

    assert [r.path for r in report.results if r.status is FileStatus.FAILED] == ["sub/b"]
    last = recorder.of(Progress)[-1]
    assert last.bytes_done == last.bytes_total


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_second_name_on_a_file_system_mounted_in_the_target_is_copied_on_its_own(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (target / "sub").mkdir(parents=True)
    (source / "a").write_bytes(b"two names" * 100)
    os.link(source / "a", source / "sub" / "b")
    script = (
        'mount -t tmpfs -o size=1m none "$2/sub" && "$PYTHON" -m app copy "$1" "$2"'
        ' && cat "$2/a" "$2/sub/b"'
    )

    result = in_private_mounts(script, str(source), str(target))

    output = result.stdout.decode() + result.stderr.decode()
    assert result.returncode == 0, output
    assert (
        "copied as files of their own, as the target cannot hard-link them: 1 (the first" in output
    )
    assert output.count("two names" * 100) == 2


@needs_nobody
@pytest.mark.timeout(90)
@pytest.mark.parametrize("policy", ["skip", "rename"])
def test_a_second_name_of_a_link_found_up_to_date_writes_nothing(policy: str) -> None:
    """A second name of a hard-linked link whose copy is a link of its own (as a copy
    without hard links leaves it), in a folder this user cannot write to: up to date, as
    for a file. The worker made its private folder there before deciding, and failed."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        for folder in ("d1", "d2"):
            (source / folder).mkdir(parents=True)
        os.symlink("x", source / "d1" / "a")
        os.link(source / "d1" / "a", source / "d2" / "b", follow_symlinks=False)
        seen = os.lstat(source / "d1" / "a")
        for name in ("", "d1", "d2", "d1/a", "d2/b"):  # two links of that look, not one
            if name.endswith(("a", "b")):
                os.symlink("x", target / name)
                os.utime(target / name, ns=(seen.st_mtime_ns,) * 2, follow_symlinks=False)
            else:
                (target / name).mkdir(exist_ok=True)
            os.chown(target / name, 65534, 65534, follow_symlinks=False)
        os.chmod(target / "d2", 0o555)

        result = run_cli_as_nobody("--json", "--on-conflict", policy, str(source), str(target))

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        files = file_records(json_lines(result.stdout))
        assert files["d2/b"]["status"] == "skipped", files["d2/b"]
        assert files["d2/b"]["reason"] == "already up to date"
        assert sorted(os.listdir(target / "d2")) == ["b"]


def split_off(path: Path) -> None:
    """Make `path` a file of its own with its data and times: the hard link broken."""
    copy_of = path.with_name(path.name + ".new")
    subprocess.run(["cp", "-p", str(path), str(copy_of)], check=True, timeout=30)
    copy_of.replace(path)


@pytest.mark.timeout(90)
def test_a_hard_link_broken_in_the_source_is_broken_in_the_copy(tmp_path: Path) -> None:
    """b split off a's inode, made private, each then given a new name: the copy of b,
    linked to a's (of the same size and time), was taken for up to date and set in
    place, so a's mode and b's went to one inode, which all four names then joined.
    Now b, whose mode its copy lacks, is copied again; a's copy stays as it is."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a").write_bytes(b"one secret")
    os.chmod(source / "a", 0o644)
    os.link(source / "a", source / "b")
    assert copy(source, target).exit_code() == 0
    split_off(source / "b")
    os.chmod(source / "b", 0o600)
    os.link(source / "a", source / "sub" / "p")
    os.link(source / "b", source / "sub" / "q")

    plan = {r.path: r.action for r in copy(source, target, dry_run=True).results}
    report = copy(source, target, mirror=True)

    assert report.exit_code() == 0, report.failures()
    assert (
        inode_groups(target)
        == inode_groups(source)
        == {
            frozenset({"a", "sub/p"}),
            frozenset({"b", "sub/q"}),
        }
    )
    assert set(rsync_differences(source, target)) <= {".d..t...... ./"}  # (its own time)
    assert stat.S_IMODE(os.stat(target / "sub" / "q").st_mode) == 0o600
    assert sorted(plan.values()) == ["link", "link", "replace", "skip"], plan


@pytest.mark.timeout(90)
def test_a_name_removed_from_a_group_lets_the_rest_be_made_private(tmp_path: Path) -> None:
    """Without --mirror the removed name stays in the target, linked to the copy, so a
    chmod 600 of the source was never carried over (refresh.stale sets no file with more
    names than its source). The copy is made again on its own; the name left behind
    keeps the old file."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a").write_bytes(b"y")
    os.chmod(source / "a", 0o644)
    os.link(source / "a", source / "b")
    assert copy(source, target).exit_code() == 0
    (source / "b").unlink()
    os.chmod(source / "a", 0o600)

    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert stat.S_IMODE(os.stat(target / "a").st_mode) == 0o600
    assert os.stat(target / "a").st_nlink == 1 and (target / "b").read_bytes() == b"y"
    assert copy(source, target).count(FileStatus.COPIED) == 0  # and then up to date


@pytest.mark.timeout(90)
def test_a_broken_link_whose_group_or_acl_changed_is_copied_again(tmp_path: Path) -> None:
    """A hard link broken in the source, then one file's group changed or its ACL
    revoked: "up to date" on every run, the copy still granting the ACL (review of
    fidelity). Only a mode change was seen, in the stat. Now the group is too, and
    where the source changed since its copy (its change time), its xattrs are compared
    (pairs enough for either name to come first; the unchanged one stays shared)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    pairs = [f"{kind}{n}" for kind in ("acl", "group") for n in range(4)]
    for name in pairs:
        (source / name).write_bytes(b"data")
        subprocess.run(["setfacl", "-m", "u:nobody:r", str(source / name)], check=True)
        os.link(source / name, source / f"{name}-2")
    assert copy(source, target).exit_code() == 0
    for name in pairs:  # one name saved anew, as an editor does: the link is broken
        shutil.copy2(source / f"{name}-2", source / "tmp")
        os.replace(source / "tmp", source / f"{name}-2")
    time.sleep(0.01)  # (a change time after the copies')
    for name in pairs:
        if name.startswith("acl"):
            subprocess.run(["setfacl", "-x", "u:nobody", str(source / f"{name}-2")], check=True)
        else:
            os.chown(source / f"{name}-2", -1, NOBODY)

    plan = copy(source, target, dry_run=True)
    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    renewed = {r.path for r in report.results if r.why == Reason(Code.SHARED_COPY_RENEWED)}
    assert renewed == {f"{name}-2" for name in pairs}
    assert {r.path for r in plan.results if r.action == "replace"} == renewed
    assert set(rsync_differences(source, target)) <= {".d..t...... ./"}  # (its own time)
    assert copy(source, target).count(FileStatus.COPIED) == 0  # and then up to date


def test_a_group_the_target_cannot_give_is_not_tried_again_on_every_run(
    tmp_path: Path,
) -> None:
    """Where copies do not get their sources' owners (here through FUSE), a group no
    chown may give is said on the first run, and the next are up to date: not set or
    copied again on every run. (Where root gives owners, an idmapped mount's unmapped
    group is: refresh.other_group says so.)"""
    if reason := fuse_available():
        pytest.skip(reason)
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (backing / "dst").mkdir(parents=True)
    for name in ("a", "c"):
        (source / name).write_bytes(b"data")
        os.chown(source / name, -1, OTHER_GID)
    os.link(source / "a", source / "a2")

    with mounted(backing, tmp_path / "mnt", unmapped_group=OTHER_GID) as mount:
        first = copy(source, mount.point / "dst")
        runs = [copy(source, mount.point / "dst") for _ in range(2)]

    assert Code.GROUP_DROPPED in {r.why.code for r in first.results if r.why}
    for again in runs:
        assert again.exit_code() == 0, again.failures()
        assert [r for r in again.results if r.why != Reason(Code.UP_TO_DATE)] == []


@pytest.mark.timeout(90)
@pytest.mark.parametrize("moved", ["snapshot", "link"])
def test_a_group_changed_reaches_the_copy_whatever_moved_its_change_time(
    tmp_path: Path, moved: str
) -> None:
    """A source's new group reached its copy only where the copy's change time was still
    older than the source's: a `cp -al` snapshot of the target (or any link made and
    removed) moved it, and the group never came (second review of this stop's fixes).
    The snapshot keeps its past."""
    source, target, snap = tmp_path / "src", tmp_path / "dst", tmp_path / "snap"
    source.mkdir()
    (source / "f").write_bytes(b"data")
    assert copy(source, target).exit_code() == 0
    os.chown(source / "f", -1, OTHER_GID)
    time.sleep(0.01)
    if moved == "snapshot":
        subprocess.run(["cp", "-al", str(target), str(snap)], check=True, timeout=30)
    else:
        os.link(target / "f", tmp_path / "x")
        os.unlink(tmp_path / "x")

    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert (target / "f").stat().st_gid == OTHER_GID
    if moved == "snapshot":
        assert (snap / "f").stat().st_gid == 0 and not os.path.samefile(snap / "f", target / "f")
    assert copy(source, target).count(FileStatus.COPIED) == 0  # and then up to date


@pytest.mark.timeout(90)
def test_a_chmod_reaches_the_copy_and_not_its_snapshot(tmp_path: Path) -> None:
    """A `cp -al` snapshot of the target shares each copy's inode: a copy with other names
    is copied again when its source's mode changes, never set in place (the snapshot is
    the past, and keeps its mode); an unchanged one stays shared, copied once only."""
    source, target, snap = tmp_path / "src", tmp_path / "dst", tmp_path / "snap"
    source.mkdir()
    for name in ("private", "same"):
        (source / name).write_bytes(b"data")
        os.chmod(source / name, 0o644)
    assert copy(source, target).exit_code() == 0
    subprocess.run(["cp", "-al", str(target), str(snap)], check=True, timeout=30)
    assert copy(source, target).count(FileStatus.COPIED) == 0
    os.chmod(source / "private", 0o600)
    kept = copy(source, target, on_conflict=ConflictPolicy.SKIP)  # skip leaves what is there
    assert kept.count(FileStatus.COPIED) == 0
    assert os.path.samefile(target / "private", snap / "private")

    plan = {r.path: r.action for r in copy(source, target, dry_run=True).results}
    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert plan == {"private": "replace", "same": "skip"}
    assert {r.path: r.reason for r in report.results}["private"] == str(
        Reason(Code.SHARED_COPY_RENEWED)
    )
    assert stat.S_IMODE(os.stat(target / "private").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(snap / "private").st_mode) == 0o644
    assert os.path.samefile(target / "same", snap / "same")
    assert set(rsync_differences(source, target)) <= {".d..t...... ./"}  # (its own time)


@pytest.mark.timeout(60)
def test_names_whose_first_name_is_kept_in_the_target_stay_one_file(tmp_path: Path) -> None:
    """The first name's copy does not land (the target's is newer): each other name was
    copied on its own, three files where the source has one (and room for three)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in ("b", "c", "d"):
        (source / folder).mkdir(parents=True)
    (source / "x").write_bytes(b"one file, four names")  # first seen: the root is listed first
    os.utime(source / "x", ns=(10**18, 10**18))
    for other in ("b/y", "c/z", "d/w"):
        os.link(source / "x", source / other)
    target.mkdir()
    (target / "x").write_bytes(b"newer in the target")
    os.utime(target / "x", ns=(2 * 10**18, 2 * 10**18))

    plan = copy(source, target, dry_run=True)
    report = copy(source, target)

    assert report.exit_code() == 0, report.failures()
    assert sorted(r.action for r in plan.results) == ["copy", "link", "link", "skip"]
    assert sorted(r.status.value for r in report.results) == [
        "copied",
        "linked",
        "linked",
        "skipped",
    ]
    assert len({(target / name).stat().st_ino for name in ("b/y", "c/z", "d/w")}) == 1
    assert (target / "b" / "y").read_bytes() == b"one file, four names"


@pytest.mark.timeout(60)
@pytest.mark.parametrize("policy", list(ConflictPolicy))
def test_a_name_copied_as_a_file_earlier_is_linked_on_a_rerun(
    tmp_path: Path, policy: ConflictPolicy
) -> None:
    """An older copy that duplicated a hard link is healed into a link, by the policies
    that replace files (skip and keep-both leave what is there: it may be someone
    else's look-alike, in a folder they share)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "one").write_bytes(b"shared")
    os.link(source / "one", source / "two")
    target.mkdir()
    for name in ("one", "two"):
        (target / name).write_bytes(b"shared")
        os.utime(target / name, ns=(os.stat(source / name).st_mtime_ns,) * 2)
    second = os.stat(target / "two").st_ino
    options = {"on_conflict": policy, "dry_run": True}

    plan = {r.path: r.action for r in copy(source, target, **options).results}
    report = copy(source, target, on_conflict=policy)

    assert report.exit_code() == 0, report.failures()
    heals = policy in (ConflictPolicy.NEWER, ConflictPolicy.OVERWRITE)
    assert os.path.samefile(target / "one", target / "two") == heals
    assert (os.stat(target / "two").st_ino == second) == (not heals)
    assert (plan["two"] == "link") == heals, plan


@as_root
@pytest.mark.timeout(60)
@pytest.mark.parametrize("policy", KEEPING_POLICIES)
def test_a_second_name_is_never_linked_to_another_users_look_alike_plan_included(
    tmp_path: Path, policy: ConflictPolicy
) -> None:
    """Another user's file of the same size and time at the first name's place is up to
    date for that name (overwrite replaces it), but no copy to give a second name to: the
    run fails that name, and the dry run says so instead of planning a link."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "one").write_bytes(b"shared")
    os.link(source / "one", source / "two")
    target.mkdir()
    (target / "one").write_bytes(b"shared")
    os.utime(target / "one", ns=(os.stat(source / "one").st_mtime_ns,) * 2)
    os.chown(target / "one", OTHER_UID, OTHER_GID)

    plan = copy(source, target, on_conflict=policy, dry_run=True)
    report = copy(source, target, on_conflict=policy)

    expected = {"one": Code.UP_TO_DATE, "two": Code.LINKED_COPY_REPLACED}
    assert {r.path: r.why and r.why.code for r in plan.results} == expected
    assert {r.path: r.why and r.why.code for r in report.results} == expected
    assert os.stat(target / "one").st_nlink == 1
    assert not (target / "two").exists()


# --- keep both on symbolic links ---------------------------------------------------------


@pytest.mark.timeout(60)
def test_keep_both_on_links_makes_links_and_links_nothing_else(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    outside = tmp_path / "system-file"
    outside.write_bytes(b"must never gain a second name")
    source.mkdir()
    (source / "a.txt").write_bytes(b"a")
    os.symlink(outside, source / "abs")
    os.symlink("a.txt", source / "rel")
    os.symlink("nowhere", source / "dangling")
    target.mkdir()
    (target / "a.txt").write_bytes(b"the target's own a.txt")
    for name in ("abs", "rel", "dangling"):
        (target / name).write_bytes(b"something else of that name")

    report = copy(source, target, on_conflict=ConflictPolicy.RENAME)

    assert report.exit_code() == 0, report.failures()
    for name, points_to in (("abs", str(outside)), ("rel", "a.txt"), ("dangling", "nowhere")):
        kept = target / f"{name} (2)"
        assert kept.is_symlink(), f"{kept} is not a link"
        assert os.readlink(kept) == points_to
    assert outside.stat().st_nlink == 1, "a file outside the copy gained a name"
    assert (target / "a.txt").stat().st_nlink == 1
    assert (target / "a (2).txt").read_bytes() == b"a"


# --- extended attributes on a target that cannot hold them --------------------------------


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_target_without_xattrs_gives_one_notice_not_a_failure_per_file(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for index in range(5):
        (source / f"f{index}").write_bytes(b"x")
        os.setxattr(source / f"f{index}", "user.tag", b"%d" % index)
    (source / "plain").write_bytes(b"no attributes")
    mount = tmp_path / "ramfs"
    mount.mkdir()
    script = 'mount -t ramfs ramfs "$1" || exit 99\nexec "$PYTHON" -m app copy --json "$2" "$1/t"'

    result = in_private_mounts(script, str(mount), str(source))

    assert result.returncode == 0, result.stderr.decode()
    records = json_lines(result.stdout)
    assert summary_of(records)["copied"] == 6
    notices = [r["message"] for r in records if r["event"] == "notice"]
    assert len(notices) == 1, notices
    assert notices[0].startswith("Extended attributes or ACLs could not be kept (entries: 5; ")


# --- setuid, setgid and owners ---------------------------------------------------------


@needs_nobody
@pytest.mark.timeout(90)
def test_setid_bits_dropped_with_a_word_when_the_owner_cannot_be_kept() -> None:
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        source.mkdir()
        (source / "tool").write_bytes(b"#!/bin/sh\n")
        os.chmod(source / "tool", 0o4755)  # root's: nobody cannot give a copy to root
        (source / "mine").write_bytes(b"plain")
        os.chmod(source / "mine", 0o644)
        (source / "sgid").write_bytes(b"#!/bin/sh\n")
        os.chown(source / "sgid", 0, 65534)  # nobody keeps the group, not the owner
        os.chmod(source / "sgid", 0o2755)
        target.mkdir()
        os.chown(target, 65534, 65534)

        result = run_cli_as_nobody("--json", str(source), str(target))

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        files = file_records(json_lines(result.stdout))
        assert files["tool"]["status"] == "copied"
        assert files["tool"]["reason"].startswith("copied without its setuid/setgid bits")
        mode = stat.S_IMODE((target / "tool").stat().st_mode)
        assert not mode & (stat.S_ISUID | stat.S_ISGID), oct(mode)
        assert not mode & stat.S_IRWXG, "group bits meant for root's group were kept"
        # As cp -a: both bits go whenever the owner cannot be kept, the group or not.
        assert files["sgid"]["reason"].startswith("copied without its setuid/setgid bits")
        assert stat.S_IMODE((target / "sgid").stat().st_mode) == 0o755


@needs_nobody
@pytest.mark.timeout(90)
def test_folders_that_lose_their_group_are_told_in_one_notice() -> None:
    """As for files: a folder shared with root's group, copied by someone not in it, keeps
    no group rights meant for that group, and the summary says so (once, not per folder)."""
    with world_reachable_dir() as base:
        source, target = base / "src", base / "dst"
        for folder in ("shared", "shared/inner", "plain"):
            (source / folder).mkdir(parents=True)
        os.chmod(source / "shared", 0o2775)
        os.chmod(source / "shared" / "inner", 0o2770 | 0o005)
        os.chmod(source / "plain", 0o755)
        target.mkdir()
        os.chown(target, 65534, 65534)
        for path in ("plain", "shared", "shared/inner"):
            os.chown(source / path, 0, 0 if path != "plain" else 65534)

        result = run_cli_as_nobody(str(source), str(target))

        assert result.returncode == 0, result.stderr.decode()[-2000:]
        told = result.stderr.decode()
        assert told.count("could not keep their group") == 1, told
        assert "could not keep their group, so their group permissions were cleared: 2" in told
        assert "(the first: shared)" in told
        for folder in ("shared", "shared/inner"):
            assert not (target / folder).stat().st_mode & stat.S_IRWXG, folder
        assert stat.S_IMODE((target / "plain").stat().st_mode) == 0o755


# --- sparse files and free space --------------------------------------------------------


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_sparse_gib_copies_into_32_mib_and_stays_sparse(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    with open(source / "sparse", "wb") as out:
        out.seek(512 * MIB)
        out.write(os.urandom(4096))
        out.truncate(1 << 30)
    mount = tmp_path / "small"
    mount.mkdir()
    script = (
        'mount -t tmpfs -o size=32m tmpfs "$1" || exit 99\n'
        '"$PYTHON" -m app copy --json "$2" "$1/t" || exit\n'
        'stat -c "%s %b %B" "$1/t/sparse" >&2\n'
        'cmp "$2/sparse" "$1/t/sparse" >&2'
    )

    result = in_private_mounts(script, str(mount), str(source))

    assert result.returncode == 0, result.stderr.decode()
    assert summary_of(json_lines(result.stdout))["copied"] == 1
    size, blocks, block_size = map(int, result.stderr.decode().split()[:3])
    assert size == 1 << 30
    assert blocks * block_size <= 1 * MIB, "the holes were filled"


def rerun_on_a_small_disk(
    source: Path, disk: Path, size_mib: int, between: str, rerun: str, after: str = ""
) -> subprocess.CompletedProcess[bytes]:
    """Copy `source` onto a private tmpfs of `size_mib` at `disk` ($1/t), run the shell
    lines `between` ($1 the disk, $2 the source), copy again with the options `rerun`
    (JSON lines on stdout), then `after`."""
    disk.mkdir()
    script = (
        f'mount -t tmpfs -o size={size_mib}m tmpfs "$1" || exit 99\n'
        '"$PYTHON" -m app copy "$2" "$1/t" >/dev/null || exit\n'
        f"{between}"
        f'"$PYTHON" -m app copy --json {rerun} "$2" "$1/t" || exit\n'
        f"{after}"
    )
    return in_private_mounts(script, str(disk), str(source))


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_new_owner_too_big_to_copy_again_is_kept_and_the_job_goes_on(tmp_path: Path) -> None:
    """A new copy for a new owner is written before the old one goes: where it does not
    fit, the copy is kept as it is, with a word, and the rest of the job is done (a full
    disk would have stopped it, on every run)."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "big").write_bytes(os.urandom(20 * MIB))
    (source / "small").write_bytes(b"small\n")
    mount = tmp_path / "small-disk"
    between = f'chown {OTHER_UID}:{OTHER_GID} "$2/big" "$2/small"\necho changed > "$2/new"\n'
    after = 'cat "$1/m.sha256" >&2\nstat -c "%n %u" "$1/t/big" "$1/t/small" "$1/t/new" >&2'

    result = rerun_on_a_small_disk(source, mount, 32, between, '--manifest "$1/m.sha256"', after)

    assert result.returncode == 0, result.stderr.decode()
    files = file_records(json_lines(result.stdout))
    assert (files["big"]["status"], files["big"]["code"]) == ("skipped", "owner_not_renewed")
    assert (files["small"]["status"], files["small"]["code"]) == ("copied", "owner_changed")
    assert files["new"]["status"] == "copied"  # the job went on
    assert b"  big\n" in result.stderr  # its data is up to date: in the manifest
    owners = dict(line.split() for line in result.stderr.decode().splitlines()[-3:])
    assert owners == {
        f"{mount}/t/big": "0",
        f"{mount}/t/small": str(OTHER_UID),
        f"{mount}/t/new": "0",
    }


@as_root
@pytest.mark.timeout(60)
def test_a_move_says_why_it_moved_a_file_whose_copy_had_another_owner(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a").write_bytes(b"a\n")
    assert copy(source, target).exit_code() == 0
    os.chown(source / "a", OTHER_UID, OTHER_GID)

    moved = run_cli("--move", "--json", str(source), str(target))

    assert moved.returncode == 0, moved.stderr
    record = file_records(json_lines(moved.stdout))["a"]
    assert (record["status"], record["code"]) == ("copied", "owner_changed")
    assert os.stat(target / "a").st_uid == OTHER_UID and not (source / "a").exists()


@needs_namespaces
@pytest.mark.timeout(90)
def test_new_copies_for_new_owners_that_fit_one_at_a_time_come_one_run_at_a_time(
    tmp_path: Path,
) -> None:
    """Two new copies that each fit, but not both next to their old ones: one is made,
    the other kept, and made by the next run. A file with several names too, once."""
    source = tmp_path / "src"
    source.mkdir()
    for name in ("a", "b"):
        (source / name).write_bytes(os.urandom(15 * MIB))
    (source / "one").write_bytes(b"shared\n")
    os.link(source / "one", source / "two")
    mount = tmp_path / "disk"
    mount.mkdir()
    script = (
        'mount -t tmpfs -o size=48m tmpfs "$1" || exit 99\n'
        '"$PYTHON" -m app copy "$2" "$1/t" >/dev/null || exit\n'
        f'chown {OTHER_UID}:{OTHER_GID} "$2/a" "$2/b" "$2/one"\n'
        'for run in 1 2 3; do "$PYTHON" -m app copy --workers 2 --json "$2" "$1/t" || exit; done\n'
        'stat -c "%u" "$1/t/a" "$1/t/b" "$1/t/one" >&2'
    )

    result = in_private_mounts(script, str(mount), str(source))

    assert result.returncode == 0, result.stderr.decode()
    records = json_lines(result.stdout)
    ends = [i for i, record in enumerate(records) if record["event"] == "summary"]
    runs = [file_records(records[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)]
    codes = [{name: run[name].get("code") for name in ("a", "b")} for run in runs]
    assert sorted(codes[0].values()) == ["owner_changed", "owner_not_renewed"], codes
    assert sorted(codes[1].values()) == ["owner_changed", "up_to_date"], codes
    assert set(codes[2].values()) == {"up_to_date"}, codes
    assert [run["one"]["code"] for run in runs] == ["owner_changed", "up_to_date", "up_to_date"]
    owners = result.stderr.decode().split()[-3:]
    assert owners == [str(OTHER_UID)] * 3


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_move_that_keeps_a_source_for_a_copy_of_its_old_owner_exits_1(tmp_path: Path) -> None:
    """A move whose copy could not be made again for its source's new owner (no room)
    keeps the source, as that copy is the old owner's: it exited 0, held 0, so that
    `ferry copy --move A B && rm -rf A` removed the only file of the new owner (review of
    stop 38). Held, said and exit 1, as other sources whose copies cannot take their place."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "big").write_bytes(os.urandom(20 * MIB))
    (source / "small").write_bytes(b"small\n")
    between = f'chown {OTHER_UID}:{OTHER_GID} "$2/big"\n'

    result = rerun_on_a_small_disk(source, tmp_path / "disk", 32, between, "--move")

    assert result.returncode == 1, result.stderr.decode()
    records = json_lines(result.stdout)
    files = file_records(records)
    assert (files["big"]["status"], files["big"]["code"]) == ("skipped", "owner_not_renewed")
    summary = records[-1]
    assert (summary["moved"], summary["stayed"], summary["held"]) == (1, 1, 1), summary
    assert sorted(os.listdir(source)) == ["big"]


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_new_copy_for_a_new_owner_leaves_room_for_replaced_files(tmp_path: Path) -> None:
    """A changed file of the same size is replaced by a new copy written next to the old
    one too: the room for a new owner's copy counts that, or both could fill the disk."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "changed").write_bytes(os.urandom(30 * MIB))
    (source / "given").write_bytes(os.urandom(20 * MIB))
    between = f'touch -d "+1 hour" "$2/changed"\nchown {OTHER_UID}:{OTHER_GID} "$2/given"\n'

    result = rerun_on_a_small_disk(source, tmp_path / "disk", 85, between, "--workers 2")

    assert result.returncode == 0, result.stderr.decode()
    files = file_records(json_lines(result.stdout))
    assert files["changed"]["status"] == "copied"
    assert (files["given"]["status"], files["given"]["code"]) == ("skipped", "owner_not_renewed")


@needs_namespaces
@pytest.mark.timeout(90)
def test_replacements_that_fit_one_at_a_time_are_written_one_at_a_time(tmp_path: Path) -> None:
    """Each new copy is written before its old one goes: two at once need room for both.
    Where only one fits, the others wait for it, instead of filling the disk together
    (which stopped the job, on every run)."""
    source = tmp_path / "src"
    source.mkdir()
    names = ("a", "b", "c", "d")
    for name in names:
        (source / name).write_bytes(os.urandom(20 * MIB))
    between = (
        'for f in a b c d; do head -c 20971520 /dev/urandom > "$2/$f" || exit; done\n'
        'touch -d "+1 hour" "$2"/?\n'
    )
    after = 'for f in a b c d; do cmp "$1/t/$f" "$2/$f" >&2 || exit; done; echo same >&2'

    result = rerun_on_a_small_disk(source, tmp_path / "disk", 110, between, "--workers 4", after)

    assert result.returncode == 0, result.stderr.decode()
    files = file_records(json_lines(result.stdout))
    assert {name: record["status"] for name, record in files.items()} == dict.fromkeys(
        names, "copied"
    )
    assert result.stderr.decode().split()[-1] == "same"


@needs_namespaces
@pytest.mark.timeout(90)
def test_replaced_files_that_fill_the_room_do_not_hold_back_a_new_owner_for_ever(
    tmp_path: Path,
) -> None:
    """Only one file a worker is written at a time: many replaced files, together more
    than the free space, leave room for a small file's new copy beside them."""
    source = tmp_path / "src"
    source.mkdir()
    for n in range(8):
        (source / f"log{n}").write_bytes(os.urandom(5 * MIB))
    (source / "own").write_bytes(b"mine\n")
    between = f'touch -d "+1 hour" "$2"/log*\nchown {OTHER_UID}:{OTHER_GID} "$2/own"\n'

    result = rerun_on_a_small_disk(source, tmp_path / "disk", 72, between, "--workers 2")

    assert result.returncode == 0, result.stderr.decode()
    files = file_records(json_lines(result.stdout))
    assert (files["own"]["status"], files["own"]["code"]) == ("copied", "owner_changed")
    assert all(files[f"log{n}"]["status"] == "copied" for n in range(8))


@needs_namespaces
@pytest.mark.timeout(90)
def test_new_copies_over_sparse_copies_count_the_room_they_add(tmp_path: Path) -> None:
    """A dense source whose copy is sparse (made by `cp --sparse=always`, say): its new
    copy adds its whole size, and the next ones are counted after it."""
    source = tmp_path / "src"
    source.mkdir()
    for n in (1, 2, 3):
        (source / f"img{n}").write_bytes(bytes(10 * MIB))  # zeros, written: dense
    mount = tmp_path / "disk"
    mount.mkdir()
    script = (
        'mount -t tmpfs -o size=24m tmpfs "$1" || exit 99\n'
        'mkdir "$1/t" && cp -a --sparse=always "$2"/img* "$1/t/" || exit 98\n'
        f'chown {OTHER_UID}:{OTHER_GID} "$2"/img*\n'
        '"$PYTHON" -m app copy --workers 1 --json "$2" "$1/t"'
    )

    result = in_private_mounts(script, str(mount), str(source))

    assert result.returncode == 0, result.stderr.decode()
    codes = sorted(record["code"] for record in file_records(json_lines(result.stdout)).values())
    assert codes == ["owner_changed", "owner_changed", "owner_not_renewed"], codes


@needs_namespaces
@pytest.mark.timeout(90)
@pytest.mark.parametrize("case", ["snapshot", "small files"])
def test_a_new_owners_copy_counts_room_a_snapshot_or_small_files_take(
    tmp_path: Path, case: str
) -> None:
    """A copy that has other names (a `cp -al` snapshot) frees nothing when replaced;
    small files take whole blocks. Either way the new owner's copy must not be the one
    that fills the disk: it is kept, and everything else is copied."""
    source = tmp_path / "src"
    (source / "new").mkdir(parents=True)
    for n in (1, 2, 3):
        (source / f"f{n}").write_bytes(os.urandom((8 if case == "snapshot" else 6) * MIB))
    setup = (
        'cp -al "$1/t" "$1/snapshot"\n'
        if case == "snapshot"
        else 'i=0; while [ $i -lt 3000 ]; do printf x > "$2/new/f$i"; i=$((i+1)); done\n'
    )
    between = (
        f'{setup}chown {OTHER_UID}:{OTHER_GID} "$2"/f*\n'
        'free=$(df -B1M --output=avail "$1" | tail -1)\n'
        'head -c $((free - 16))M /dev/zero > "$1/filler"\n'  # 16 MiB left
    )

    result = rerun_on_a_small_disk(source, tmp_path / "disk", 128, between, "--workers 1")

    assert result.returncode == 0, result.stderr.decode()
    records = json_lines(result.stdout)
    assert not summary_of(records)["failed"]
    codes = sorted(file_records(records)[f"f{n}"]["code"] for n in (1, 2, 3))
    assert "owner_not_renewed" in codes, codes


@needs_namespaces
@pytest.mark.timeout(90)
def test_setid_bits_and_capabilities_of_a_nosuid_mount_are_not_copied(tmp_path: Path) -> None:
    """A stick (udisks mounts them nosuid) may hold a setuid-root shell anyone made on
    another machine: it does nothing there. Copied by root onto a disk that honours it
    (`cp -a` does), it ran as root for anyone. Bits and capabilities stay behind, said."""
    script = (
        NOSUID_STICK
        + """
        printf 'x' > "$1/plain"
        "$PYTHON" -m app copy --json "$1" "$2"
    """
    )
    net_raw = struct.pack("<5I", 0x02000001, 1 << 13, 0, 0, 0)  # cap_net_raw+ep
    target = tmp_path / "dst"
    (tmp_path / "stick").mkdir()
    done = in_private_mounts(script, str(tmp_path / "stick"), str(target), net_raw.hex())
    assert done.returncode == 0, done.stderr
    said = {r["path"]: r["reason"] for r in json_lines(done.stdout) if "path" in r}
    why = str(Reason(Code.SETID_FROM_NOSUID))
    assert said == {"suid": why, "cap": why, "plain": ""}
    assert stat.S_IMODE((target / "suid").stat().st_mode) == 0o755
    assert "security.capability" not in os.listxattr(target / "cap")


@needs_namespaces
@pytest.mark.timeout(90)
def test_nosuid_is_judged_per_mount_and_on_a_refresh_too(tmp_path: Path) -> None:
    """nosuid belongs to a mount: a bind mount of one file system may have it and another
    not, and the first file a worker met decided for all (a review kept a setuid bit from
    a nosuid bind mount). A copy set again after its source's mount became nosuid loses
    its bits too, as a new copy would."""
    script = """
        set -e
        mount -t tmpfs -o size=1m area "$1"
        mkdir -p "$1/src/z" "$1/other"
        printf '#!/bin/sh\\n' > "$1/src/a_su"; chmod 4755 "$1/src/a_su"
        printf '#!/bin/sh\\n' > "$1/other/evil"; chmod 4755 "$1/other/evil"
        mount --bind "$1/other" "$1/src/z"
        mount -o remount,bind,nosuid "$1/src/z"
        "$PYTHON" -m app copy --json --workers 1 "$1/src" "$2"
        mount -o remount,nosuid "$1"
        chmod 4750 "$1/src/a_su"
        "$PYTHON" -m app copy --workers 1 "$1/src" "$2"
    """
    target = tmp_path / "dst"
    (tmp_path / "area").mkdir()
    done = in_private_mounts(script, str(tmp_path / "area"), str(target))
    assert done.returncode == 0, done.stderr
    said = {r["path"]: r["reason"] for r in json_lines(done.stdout) if "path" in r}
    assert said == {"a_su": "", os.path.join("z", "evil"): str(Reason(Code.SETID_FROM_NOSUID))}
    assert stat.S_IMODE((target / "z" / "evil").stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "a_su").stat().st_mode) == 0o750  # refreshed, bits gone


@pytest.mark.timeout(60)
def test_a_mount_that_cannot_tell_its_flags_fails_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """nosuid is asked only of a file with setid bits or a capability: where the source's
    file system cannot say (a FUSE daemon whose statfs fails), a plain file is copied and
    set again as ever (a review saw its refresh fail), and a setuid one loses its bit."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "plain").write_bytes(b"plain")
    (source / "suid").write_bytes(b"#!/bin/sh\n")
    os.chmod(source / "suid", 0o4755)
    assert copy(source, target).exit_code() == 0
    os.chmod(source / "plain", 0o600)
    (target / "suid").unlink()
    outbox = in_process_worker(monkeypatch, source, target)

    def fails(ref: int | str) -> os.statvfs_result:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "statvfs", fails)  # (metadata.from_nosuid asks by descriptor)
    tasks = (FileTask("plain", EntryKind.FILE, 5, 1), FileTask("suid", EntryKind.FILE, 10, 2))

    worker.copy_batch(1, Batch(tasks, {"": _ids(source, target)}), ConflictPolicy.NEWER)

    results = results_of(outbox, tasks)
    assert results["plain"].why == Reason(Code.METADATA_REFRESHED)
    assert stat.S_IMODE((target / "plain").stat().st_mode) == 0o600
    assert results["suid"].why == Reason(Code.SETID_FROM_NOSUID)
    assert stat.S_IMODE((target / "suid").stat().st_mode) == 0o755
