"""Jobs that cannot start are refused up front, with a message, writing nothing."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core import devices, namekeys, preflight
from app.core import job as job_module
from app.core import plan as plan_module
from app.core import room as room_module
from app.core import target as target_module
from app.core.events import Progress
from app.core.job import CopyJob
from app.core.options import CopyOptions
from app.core.outfile import replaced
from app.core.preflight import could_run_out
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.core.trusted import UntrustedLink
from tests.fusefs import fuse_available, mounted
from tests.helpers import (
    MIB,
    REPO,
    disk_image,
    needs_nobody,
    snapshot,
    unprivileged_python,
    world_reachable_dir,
)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    (root / "inner").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"a")
    (root / "inner" / "b.txt").write_bytes(b"b")
    return root


def assert_refused(source: Path, target: Path, words: str) -> None:
    before_source = snapshot(source) if source.is_dir() else None
    existed = target.exists()
    before_target = snapshot(target) if target.is_dir() else None

    report = CopyJob(str(source), str(target)).run()

    assert report.refused, "the job was not refused"
    assert words.lower() in str(report.refused).lower(), report.refused
    assert report.exit_code() == 2
    assert report.results == ()
    if before_source is not None:
        assert snapshot(source) == before_source, "the source changed"
    if not existed:
        assert not os.path.lexists(target), "a refused job created the target"
    elif before_target is not None:
        assert snapshot(target) == before_target, "a refused job wrote into the target"


@pytest.mark.timeout(30)
def test_a_target_made_in_a_setgid_folder_is_taken(source: Path, tmp_path: Path) -> None:
    """A folder made in a setgid folder takes its setgid bit: the check that the target
    is the folder just made (private) refused every new target in a shared group folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2775)
    target = shared / "backup"

    report = CopyJob(str(source), str(target)).run()

    assert report.exit_code() == 0, report.refused
    assert (target / "inner" / "b.txt").read_bytes() == b"b"


@pytest.mark.timeout(60)
def test_a_new_target_on_a_stick_mounted_for_another_user_is_taken(
    source: Path, tmp_path: Path
) -> None:
    """exFAT shows every file as the mount's uid= owner: root copying onto a stick a
    desktop mounted for its user had each new target folder refused as "replaced while
    it was being opened" (it was not this process's; review of stop 37)."""
    with disk_image(tmp_path, "exfat-fuse", "uid=1234,gid=5678") as (stick, _):
        target = stick / "backup"

        report = CopyJob(str(source), str(target)).run()

        assert report.exit_code() == 0, report.refused
        assert (target / "inner" / "b.txt").read_bytes() == b"b"


@pytest.mark.skipif(os.geteuid() != 0, reason="gives a folder to another user: needs root")
@pytest.mark.timeout(60)
def test_another_users_folder_swapped_in_through_fuse_is_not_the_target_made(
    tmp_path: Path,
) -> None:
    """FUSE shows owners of its own, so the owner of the folder just made was compared
    nowhere: another user who may write the target's parent on a FUSE mount
    (`allow_other`, a pass-through of a shared disk) could swap a folder of theirs in
    between mkdir() and open(), and root copied private files into it (review of stop
    38). Taken only where a file Ferry makes in it shows the folder's owner, as every
    file on a stick mounted `uid=` does."""
    if why := fuse_available():
        pytest.skip(why)
    backing = tmp_path / "backing"
    (backing / "theirs").mkdir(parents=True)
    os.chown(backing / "theirs", 1234, 5678)
    os.chmod(backing / "theirs", 0o700)
    (backing / "ours").mkdir(mode=0o700)
    with mounted(backing, tmp_path / "mnt") as mount:
        taken = {}
        for name in ("theirs", "ours"):
            fd = os.open(mount.point / name, os.O_RDONLY | os.O_DIRECTORY)
            try:
                taken[name] = target_module._as_made(fd)
            finally:
                os.close(fd)

    assert taken == {"theirs": False, "ours": True}
    assert os.listdir(backing / "theirs") == os.listdir(backing / "ours") == []


@pytest.mark.skipif(os.geteuid() != 0, reason="gives a folder to another user: needs root")
@pytest.mark.timeout(60)
def test_a_new_target_with_no_room_for_the_probe_is_not_said_replaced(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the folder just made shows another owner, the probe made in it decides: one
    that found no room (the folder took the last of it, a quota) was taken for another
    user's folder swapped in, "The target folder was replaced while it was being opened
    (by a link, or another folder)", an alarm with nothing behind it (review of stop 38).
    Refused still, for what the disk said."""
    if why := fuse_available():
        pytest.skip(why)
    backing = tmp_path / "backing"
    backing.mkdir()
    made = target_module._made
    with mounted(backing, tmp_path / "mnt") as mount:

        def made_then_full(parent: int, name: str) -> bool:
            taken = made(parent, name)
            os.chown(backing / name, 1234, 5678)  # (as a stick mounted uid= shows it)
            mount.ops.full = True  # (no room left for a new file)
            return taken

        monkeypatch.setattr(target_module, "_made", made_then_full)
        report = CopyJob(str(source), str(tmp_path / "mnt" / "backup")).run()

    assert report.exit_code() == 2
    assert report.refused is not None
    assert report.refused.code is Code.TARGET_NOT_CREATED, report.refused
    assert os.strerror(errno.ENOSPC) in str(report.refused)
    assert os.listdir(backing / "backup") == []


@pytest.mark.parametrize(("kind", "taken"), [("overlay", False), ("", False), ("vfat", True)])
def test_a_folder_open_to_others_is_not_the_target_made_unless_modes_say_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, taken: bool
) -> None:
    """Swapped in for the folder just made, an empty one open to all is refused wherever
    the file system keeps modes: any but those that show modes of their own (vfat...)."""
    swapped = tmp_path / "swapped"
    swapped.mkdir()
    os.chmod(swapped, 0o777)
    monkeypatch.setattr(devices, "_file_system", lambda device: kind)
    fd = os.open(swapped, os.O_RDONLY | os.O_DIRECTORY)
    try:
        assert target_module._as_made(fd) is taken
    finally:
        os.close(fd)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("dry_run", [False, True], ids=["copy", "plan"])
def test_an_empty_path_is_refused_never_taken_for_the_current_folder(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    """An empty path was the current folder (os.path.abspath("")): a script's unset $DST
    mirrored into it and deleted what it held, an unset $SRC was moved out (review)."""
    here = tmp_path / "here"
    (here / "keep").mkdir(parents=True)
    (here / "precious.txt").write_bytes(b"not to be deleted")
    before = snapshot(here)
    monkeypatch.chdir(here)

    mirror = CopyJob(str(source), "", CopyOptions(mirror=True, dry_run=dry_run)).run()
    move = CopyJob("", str(tmp_path / "dst"), CopyOptions(move=True, dry_run=dry_run)).run()

    assert mirror.refused == Reason(Code.NO_TARGET) and mirror.exit_code() == 2
    assert move.refused == Reason(Code.NO_SOURCE) and move.exit_code() == 2
    assert snapshot(here) == before
    assert not (tmp_path / "dst").exists()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("dry_run", [False, True], ids=["copy", "plan"])
def test_a_path_holding_a_nul_is_refused_with_why(
    source: Path, tmp_path: Path, dry_run: bool
) -> None:
    """A NUL pasted into a path (the window takes any text) crashed the job with
    ValueError, "embedded null byte", where the target held it (review of devices)."""
    options = CopyOptions(dry_run=dry_run)

    into = CopyJob(str(source), f"{tmp_path}/a\0b", options).run()
    out_of = CopyJob(f"{source}\0", str(tmp_path / "dst"), options).run()

    assert into.refused == Reason(Code.PATH_HOLDS_NUL, (f"{tmp_path}/a\0b",))
    assert out_of.refused == Reason(Code.PATH_HOLDS_NUL, (f"{source}\0",))
    assert into.exit_code() == out_of.exit_code() == 2
    assert sorted(os.listdir(tmp_path)) == ["src"]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("dry_run", [False, True], ids=["copy", "plan"])
def test_a_checksum_file_path_holding_a_nul_is_refused_with_why(
    source: Path, tmp_path: Path, dry_run: bool
) -> None:
    """The window's "Save checksums to" takes any text too: a NUL pasted there crashed
    the job and its dry run with ValueError, "embedded null byte" (review of stop 38)."""
    manifest = f"{tmp_path}/sums\0.sha256"
    options = CopyOptions(dry_run=dry_run, manifest=manifest)

    report = CopyJob(str(source), str(tmp_path / "dst"), options).run()

    assert report.refused == Reason(Code.MANIFEST_HOLDS_NUL, (manifest,))
    assert report.exit_code() == 2
    assert sorted(os.listdir(tmp_path)) == ["src"]


@pytest.mark.timeout(30)
def test_refuses_missing_source(tmp_path: Path) -> None:
    assert_refused(tmp_path / "nope", tmp_path / "dst", "does not exist")


@pytest.mark.timeout(30)
def test_refuses_source_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    assert_refused(tmp_path / "file", tmp_path / "dst", "not a folder")


@pytest.mark.timeout(30)
def test_refuses_source_that_is_a_dangling_link(tmp_path: Path) -> None:
    os.symlink("missing", tmp_path / "link")
    assert_refused(tmp_path / "link", tmp_path / "dst", "not a folder")


@pytest.mark.timeout(30)
def test_refuses_target_equal_to_source(source: Path) -> None:
    assert_refused(source, source, "source folder itself")


@pytest.mark.timeout(30)
def test_refuses_target_equal_to_source_spelled_differently(source: Path) -> None:
    assert_refused(source, source / "inner" / "..", "source folder itself")


@pytest.mark.timeout(30)
def test_refuses_target_inside_source(source: Path) -> None:
    assert_refused(source, source / "inner" / "new", "inside the source")


@pytest.mark.timeout(30)
def test_refuses_existing_folder_inside_source(source: Path) -> None:
    assert_refused(source, source / "inner", "inside the source")


@pytest.mark.timeout(30)
def test_refuses_target_equal_to_source_through_a_symlink(source: Path, tmp_path: Path) -> None:
    os.symlink(source, tmp_path / "alias")
    assert_refused(source, tmp_path / "alias", "source folder itself")


@pytest.mark.timeout(30)
def test_refuses_target_inside_source_through_a_symlinked_parent(
    source: Path, tmp_path: Path
) -> None:
    os.symlink(source / "inner", tmp_path / "alias")
    assert_refused(source, tmp_path / "alias" / "deeper", "inside the source")


@pytest.mark.timeout(30)
def test_refuses_symlinked_source_whose_target_is_the_real_folder(
    source: Path, tmp_path: Path
) -> None:
    os.symlink(source, tmp_path / "alias")
    assert_refused(tmp_path / "alias", source / "x", "inside the source")


@pytest.mark.timeout(30)
def test_refuses_target_that_is_a_file(source: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"keep")
    assert_refused(source, tmp_path / "file", "not a folder")
    assert (tmp_path / "file").read_bytes() == b"keep"


def test_the_scan_is_given_a_head_start_only_where_the_copy_might_not_fit(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preflight, "file_system_type", lambda path: "ext4")
    used = shutil.disk_usage(source).used  # all the source's file system holds
    room, short = 2 * used + (1 << 30), used // 2  # margins: others write there meanwhile

    assert not could_run_out(str(source), room, follow_symlinks=False)
    assert could_run_out(str(source), short, follow_symlinks=False)
    assert could_run_out(str(source), room, follow_symlinks=True)  # links lead anywhere
    assert not could_run_out(str(source), None, follow_symlinks=False)  # free space unknown
    assert could_run_out(str(tmp_path / "gone"), room, follow_symlinks=False)
    # Files on btrfs or ZFS can add up to more than the space they use (shared, compressed).
    monkeypatch.setattr(preflight, "file_system_type", lambda path: "btrfs")
    assert could_run_out(str(source), room, follow_symlinks=False)
    # A source file system of size 0 (some network and FUSE ones) says nothing either.
    monkeypatch.setattr(preflight, "file_system_type", lambda path: "ext4")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: SimpleNamespace(total=0, used=0))
    assert could_run_out(str(source), room, follow_symlinks=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="read from /proc")
def test_the_file_system_type_is_read_from_the_mount_table(tmp_path: Path) -> None:
    assert preflight.file_system_type("/proc") == "proc"
    assert preflight.file_system_type("/sys") == "sysfs"
    assert preflight.file_system_type(str(tmp_path / "gone")) == ""


@pytest.mark.timeout(60)
def test_a_second_job_into_the_same_tree_is_refused_while_the_first_runs(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two jobs in one tree would remove each other's temps, and a mirror would delete
    what the other copies: the same folder, one inside it and one above it are refused,
    before they make any folder (the first job may be making the same one)."""
    target = tmp_path / "out" / "dst"
    during: dict[str, CopyReport] = {}
    made: list[str] = []
    makedirs = os.makedirs
    monkeypatch.setattr(
        os, "makedirs", lambda path, *a, **k: (made.append(str(path)), makedirs(path, *a, **k))
    )

    def on_event(event: object) -> None:
        if isinstance(event, Progress) and not during:  # the first job is running
            for name, other in (
                ("same", target),
                ("inside", target / "new" / "dst"),
                ("above", tmp_path / "out"),
                ("beside", tmp_path / "out" / "other"),
            ):
                during[name] = CopyJob(str(source), str(other)).run()

    first = CopyJob(str(source), str(target), on_event=on_event).run()

    assert first.exit_code() == 0, first.failures()
    busy = "another copy is writing into this target folder"
    for name in ("same", "inside", "above"):
        assert busy in str(during[name].refused).lower(), name
        assert during[name].exit_code() == 2
    assert str(target / "new") not in made  # the refused job inside made nothing
    assert during["beside"].exit_code() == 0  # another folder: no conflict
    assert (tmp_path / "out" / "other" / "a.txt").read_bytes() == b"a"
    again = CopyJob(str(source), str(target)).run()  # the first one let go
    assert again.exit_code() == 0 and again.refused is None


@pytest.mark.timeout(30)
def test_a_target_reached_through_a_link_is_held_as_the_folder_it_is(tmp_path: Path) -> None:
    """A job into top/ holds what is inside it, whatever path another job takes there."""
    (tmp_path / "top" / "real" / "dst").mkdir(parents=True)
    os.symlink(tmp_path / "top" / "real", tmp_path / "alias")
    hold = target_module.TargetHold(str(tmp_path / "top"))
    hold.take()
    try:
        with pytest.raises(preflight.Refusal):  # top/real/dst, by a path not through top
            target_module.TargetHold(str(tmp_path / "alias" / "dst")).take()
    finally:
        hold.close()
    again = target_module.TargetHold(str(tmp_path / "alias" / "dst"))
    again.take()  # free once let go
    again.close()


@pytest.mark.parametrize("dry_run", [False, True], ids=["copy", "plan"])
def test_a_target_link_re_pointed_into_the_source_after_the_checks_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    """TARGET is a link someone re-points into the source right after the path checks:
    the job must judge the folder it then holds, not the one the path led to before (an
    audit's mirror emptied a source folder that way)."""
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "only").write_bytes(b"the only copy")
    (tmp_path / "real").mkdir()
    link = tmp_path / "T"
    link.symlink_to("real")
    checked = preflight.check_paths

    def check_then_re_point(source_path: str, target_path: str, mirror: bool = False) -> None:
        checked(source_path, target_path, mirror)
        link.unlink()
        link.symlink_to(source / "sub")

    monkeypatch.setattr(job_module, "check_paths", check_then_re_point)
    monkeypatch.setattr(plan_module, "check_paths", check_then_re_point)
    before = snapshot(source)

    options = CopyOptions(mirror=True, dry_run=dry_run)
    report = CopyJob(str(source), str(link), options).run()

    assert report.refused is not None and report.refused.code is Code.TARGET_INSIDE_SOURCE
    assert snapshot(source) == before


HOLD_A_LOCK = """
import fcntl, os, sys, time
fcntl.flock(os.open(sys.argv[1], os.O_RDONLY), fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(30)
"""


def copy_while_nobody_locks(folder: Path, source: Path, target: Path) -> CopyReport:
    """A job run while the user nobody holds an exclusive flock on `folder`."""
    python = unprivileged_python()
    assert python is not None
    lock = [python, "-c", HOLD_A_LOCK, str(folder)]
    command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *lock]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
            return CopyJob(str(source), str(target)).run()
        finally:
            holder.kill()


@needs_nobody
@pytest.mark.timeout(30)
def test_a_lock_another_user_holds_on_a_folder_above_keeps_no_job_out(source: Path) -> None:
    """Any user who may read a folder may lock it: `flock -x /` by anyone refused every
    job as "another copy is writing". Above the target only this user's jobs count."""
    with world_reachable_dir() as shared:
        report = copy_while_nobody_locks(shared, source, shared / "dst")
        assert report.exit_code() == 0, report.refused
        assert (shared / "dst" / "inner" / "b.txt").read_bytes() == b"b"

        # On the target itself any holder counts: a job of any user writing into it.
        inside = copy_while_nobody_locks(shared / "dst", source, shared / "dst")
        assert inside.refused is not None and inside.refused.code is Code.TARGET_BUSY


def test_a_checksum_file_name_held_by_a_pipe_or_a_link_is_refused(
    source: Path, tmp_path: Path
) -> None:
    """The engine's own check (the window's path): never replaced, never written through."""
    os.mkfifo(tmp_path / "pipe.sha256")
    (tmp_path / "link.sha256").symlink_to(tmp_path / "elsewhere")
    for name in ("pipe.sha256", "link.sha256"):
        options = CopyOptions(manifest=str(tmp_path / name))
        report = CopyJob(str(source), str(tmp_path / "dst"), options).run()
        assert report.refused is not None and report.refused.code is Code.MANIFEST_NOT_A_FILE
    assert not (tmp_path / "elsewhere").exists() and not (tmp_path / "dst").exists()
    theirs = tmp_path / "their sums"  # another user's link on the way to its folder
    theirs.symlink_to(tmp_path)
    os.lchown(theirs, 65534, 65534)
    options = CopyOptions(manifest=str(theirs / "sums.sha256"))
    report = CopyJob(str(source), str(tmp_path / "dst"), options).run()
    assert report.refused is not None and report.refused.code is Code.MANIFEST_LINK_OF_ANOTHER


def test_a_file_written_beside_copies_never_goes_through_another_users_link(
    tmp_path: Path,
) -> None:
    """Checked by path, then written by path: a folder on the way swapped for a user's
    link in between led root's log (or checksum file) anywhere, /dev/full once. Now the
    folder is opened first, name by name, and the file is written relative to it."""
    (tmp_path / "elsewhere").mkdir()
    theirs = tmp_path / "logs"
    theirs.symlink_to(tmp_path / "elsewhere")
    os.lchown(theirs, 65534, 65534)
    with pytest.raises(UntrustedLink), replaced(str(theirs / "run.csv")) as out:
        out.write(b"never")
    assert os.listdir(tmp_path / "elsewhere") == []
    with replaced(str(tmp_path / "run.csv")) as out:  # a plain folder: written whole
        out.write(b"rows")
    assert (tmp_path / "run.csv").read_bytes() == b"rows"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


@pytest.mark.timeout(60)
def test_a_log_or_manifest_killed_while_written_leaves_nothing(tmp_path: Path) -> None:
    """kill -9 while a checksum file or log was written left its temp
    (`.ferry-out-<hex>.part`, half written) for good: no run removes it (review). It
    is unnamed now until it is whole, where the file system allows (O_TMPFILE)."""
    script = (
        "import sys, time\n"
        "from app.core.outfile import replaced\n"
        "with replaced(sys.argv[1]) as out:\n"
        "    out.write(b'half a manifest')\n"
        "    out.flush()\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(60)\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "SHA256SUMS")],
        cwd=REPO,
        stdout=subprocess.PIPE,
    )
    assert writer.stdout is not None
    with writer.stdout:
        try:
            assert writer.stdout.readline() == b"writing\n"
        finally:
            writer.kill()
            writer.wait()
    assert os.listdir(tmp_path) == []


def test_a_sparse_file_is_counted_whole_where_the_target_keeps_no_holes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """vfat and exFAT keep no holes: a 300 MiB sparse file of 4 KiB data takes 300 MiB
    there. Counted by its blocks, a plan said it fitted a stick of 200 MB, and the copy
    ran into a full disk half way. Where the mount's type says so, both refuse up front."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    with open(source / "disk.img", "wb") as sparse:
        sparse.truncate(300 * MIB)
        sparse.write(b"x" * 4096)
    free = 200 * MIB
    monkeypatch.setattr(job_module, "free_space", lambda path: free)
    monkeypatch.setattr(plan_module, "free_space", lambda path: free)
    monkeypatch.setattr(namekeys, "keeps_hard_links", lambda device: False)  # as vfat's type

    planned = CopyJob(str(source), str(target), CopyOptions(dry_run=True)).run()
    report = CopyJob(str(source), str(target)).run()

    for run in (planned, report):
        assert run.refused is not None, run
        assert run.refused.code in (Code.NO_SPACE, Code.NO_SPACE_SO_FAR), run.refused
        assert run.refused.args[0] >= 300 * MIB, run.refused
    assert not target.exists()


def test_small_files_btrfs_keeps_inline_take_no_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """btrfs keeps a file of up to 2 KiB in its metadata: 3,000 files of 7 bytes take no
    blocks there. Counted in blocks (12 MiB), they were refused 2 MiB (review)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(3000):
        (source / f"f{index}").write_bytes(b"7 bytes")
    free = 2 * MIB
    monkeypatch.setattr(job_module, "free_space", lambda path: free)
    monkeypatch.setattr(plan_module, "free_space", lambda path: free)
    monkeypatch.setattr(room_module, "file_system_type", lambda path: "btrfs")

    planned = CopyJob(str(source), str(target), CopyOptions(dry_run=True)).run()
    report = CopyJob(str(source), str(target)).run()

    assert planned.refused is None and report.refused is None, (planned, report)
    assert report.exit_code() == 0
    monkeypatch.setattr(room_module, "file_system_type", lambda path: "ext4")
    assert CopyJob(str(source), str(tmp_path / "ext4"), CopyOptions(dry_run=True)).run().refused


@pytest.mark.skipif(bool(fuse_available()), reason=fuse_available() or "-")
def test_a_sparse_file_a_mirror_holds_back_is_counted_as_its_card_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A card (vfat by its type) mounted inside the target; a mirror holds back a sparse
    file whose folder a file there is in the way of. Its folder not made yet, it was
    counted as the target root keeps holes: the mirror deleted the file in the way, and
    the job stopped with nothing written (third review). A folder not made yet is its
    nearest made folder's file system's."""
    source, target, card = tmp_path / "src", tmp_path / "dst", tmp_path / "card"
    (source / "card" / "sub").mkdir(parents=True)
    with open(source / "card" / "sub" / "disk.img", "wb") as sparse:
        sparse.truncate(300 * MIB)
        sparse.write(b"x" * 4096)
    (target / "card").mkdir(parents=True)
    card.mkdir()
    (card / "sub").write_bytes(b"a file where the source has a folder")
    monkeypatch.setattr(job_module, "free_space", lambda path: 200 * MIB)
    with mounted(card, target / "card"):
        vfat = os.stat(target / "card").st_dev
        keeps = namekeys.keeps_hard_links
        monkeypatch.setattr(
            namekeys, "keeps_hard_links", lambda device: device != vfat and keeps(device)
        )
        report = CopyJob(str(source), str(target), CopyOptions(mirror=True)).run()

    assert report.refused is not None and report.refused.code is Code.NO_SPACE_SO_FAR, report
    assert (card / "sub").read_bytes() == b"a file where the source has a folder"
