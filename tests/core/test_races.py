"""A folder or file swapped for a link after the scan is never read or written through.

Deterministic: each job starts paused, so workers wait before their first file while the
scan goes on; the swap happens once the scan is done, then the job resumes.
"""

from __future__ import annotations

import grp
import os
import stat
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core import devices, metadata
from app.core import target as target_module
from app.core.events import FileStatus, Progress
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.reasons import Code
from app.core.report import CopyReport
from app.core.target import problem
from tests.helpers import Recorder, regular_files_under

SECRET = b"a secret out of its place"


def swapped_after_scan(
    source: Path, target: Path, swap: Callable[[], None], follow: bool = False
) -> CopyReport:
    """Copy with the workers held until the scan is done; `swap` runs in between."""
    recorder = Recorder()
    options = CopyOptions(workers=2, follow_symlinks=follow)
    job = CopyJob(str(source), str(target), options, on_event=recorder)
    swapped: list[bool] = []

    def hook(event: object) -> None:
        if isinstance(event, Progress) and event.scan_done and not swapped:
            swap()
            swapped.append(True)
            job.resume()

    recorder.hooks.append(hook)
    job.pause()  # workers wait before their first file; the scan goes on
    report = job.run()
    assert swapped, "the scan never finished while paused"
    return report


def tree_with_sub(root: Path, files: int = 20) -> None:
    (root / "sub").mkdir(parents=True)
    for index in range(files):
        (root / "sub" / f"f{index}").write_bytes(b"ordinary data %d" % index)
    (root / "top.txt").write_bytes(b"top")
    os.chmod(root / "sub", 0o777)


def by_path(report: CopyReport) -> dict[str, object]:
    return {r.path: r for r in report.results}


@pytest.mark.timeout(60)
def test_target_folder_swapped_for_a_link_is_never_written_through(tmp_path: Path) -> None:
    source, target, elsewhere = tmp_path / "src", tmp_path / "dst", tmp_path / "victim"
    tree_with_sub(source)
    elsewhere.mkdir(mode=0o700)
    os.chmod(elsewhere, 0o700)
    before = os.stat(elsewhere)

    def swap() -> None:  # whoever may write in the target does this mid-copy
        os.rename(target / "sub", tmp_path / "moved-away")
        os.symlink(elsewhere, target / "sub")

    report = swapped_after_scan(source, target, swap)

    assert os.listdir(elsewhere) == [], "files were written through the link"
    after = os.stat(elsewhere)  # folder metadata at the end did not follow it either
    assert (stat.S_IMODE(after.st_mode), after.st_mtime_ns) == (0o700, before.st_mtime_ns)
    results = by_path(report)
    for index in range(20):
        result = results[f"sub/f{index}"]
        assert result.status is FileStatus.FAILED
        assert "is not the one the job found there" in result.reason
    assert results["top.txt"].status is FileStatus.COPIED
    folder = results["sub"]  # its metadata could not be set: a failure of its own
    assert folder.status is FileStatus.FAILED and folder.why.code is Code.FOLDER_REPLACED
    assert report.exit_code() == 1


@pytest.mark.timeout(60)
def test_source_folder_swapped_for_a_link_is_never_read_through(tmp_path: Path) -> None:
    source, target, secret = tmp_path / "src", tmp_path / "dst", tmp_path / "secret"
    tree_with_sub(source)
    secret.mkdir()
    for index in range(20):  # the same names, other content
        (secret / f"f{index}").write_bytes(SECRET)

    def swap() -> None:
        os.rename(source / "sub", tmp_path / "moved-away")
        os.symlink(secret, source / "sub")

    report = swapped_after_scan(source, target, swap)

    for path in regular_files_under(target):
        assert (target / os.fsdecode(path)).read_bytes() != SECRET, f"{path!r} read the secret"
    results = by_path(report)
    assert all(results[f"sub/f{i}"].status is FileStatus.FAILED for i in range(20))
    assert results["top.txt"].status is FileStatus.COPIED


@pytest.mark.timeout(60)
def test_follow_mode_follows_only_the_links_the_scan_saw(tmp_path: Path) -> None:
    """A followed link re-pointed after the scan is not followed to its new place."""
    source, target = tmp_path / "src", tmp_path / "dst"
    real, secret = tmp_path / "real", tmp_path / "secret"
    tree_with_sub(real)
    secret.mkdir()
    (secret / "top.txt").write_bytes(SECRET)
    source.mkdir()
    os.symlink(real, source / "linked")

    def swap() -> None:
        os.unlink(source / "linked")
        os.symlink(secret, source / "linked")

    report = swapped_after_scan(source, target, swap, follow=True)

    for path in regular_files_under(target):
        assert (target / os.fsdecode(path)).read_bytes() != SECRET
    assert by_path(report)["linked/top.txt"].status is FileStatus.FAILED


@pytest.mark.timeout(60)
def test_follow_mode_never_opens_a_device_or_pipe_swapped_in(tmp_path: Path) -> None:
    """Opening is an action for a device (a tape rewinds, a watchdog starts): look first."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "victim").write_bytes(b"regular at scan time")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    opened = threading.Event()

    def writer() -> None:  # returns once anybody opens the pipe for reading
        fd = os.open(fifo, os.O_WRONLY)
        opened.set()
        os.close(fd)

    def swap() -> None:
        os.unlink(source / "victim")
        os.symlink(fifo, source / "victim")

    watcher = threading.Thread(target=writer, daemon=True)
    watcher.start()
    try:
        report = swapped_after_scan(source, target, swap, follow=True)
        assert not opened.is_set(), "the pipe swapped in was opened"
        [result] = report.results
        assert result.status is FileStatus.SKIPPED
        assert "named pipe" in result.reason
    finally:
        os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))  # lets the writer end
        watcher.join(5)


@pytest.mark.timeout(60)
def test_follow_mode_says_so_when_a_link_swapped_in_leads_out_of_the_source(
    tmp_path: Path,
) -> None:
    source, target, outside = tmp_path / "src", tmp_path / "dst", tmp_path / "outside"
    source.mkdir()
    (source / "plain").write_bytes(b"inside")
    outside.write_bytes(b"outside the source")

    def swap() -> None:
        os.unlink(source / "plain")
        os.symlink(outside, source / "plain")

    report = swapped_after_scan(source, target, swap, follow=True)

    [result] = report.results
    assert result.status is FileStatus.COPIED
    assert result.reason == f"followed a symbolic link out of the source, to {outside}"


def test_a_target_made_then_swapped_for_a_link_is_refused_and_its_place_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoever can write the target's parent could swap the folder the job just made for
    a link to another folder (/etc, say), which then got the copy, and the source's owner
    and mode at the end. The swap happens right after mkdir(), where it hurt."""
    source, home, victim = tmp_path / "src", tmp_path / "home", tmp_path / "victim"
    (source / "profile.d").mkdir(parents=True)
    (source / "profile.d" / "evil.sh").write_text("echo pwned")
    os.chmod(source, 0o777)
    home.mkdir()
    victim.mkdir(mode=0o755)
    target = home / "copy"
    made = target_module._made

    def made_then_swapped(parent: int, name: str) -> bool:
        created = made(parent, name)
        os.rename(target, home / "moved away")
        os.symlink(victim, target)
        return created

    monkeypatch.setattr(target_module, "_made", made_then_swapped)
    report = CopyJob(str(source), str(target), CopyOptions(workers=1)).run()

    assert report.refused is not None and report.refused.code is Code.TARGET_REPLACED
    assert os.listdir(victim) == []
    assert stat.S_IMODE(os.stat(victim).st_mode) == 0o755


def test_a_link_another_user_made_at_the_targets_name_is_not_followed(tmp_path: Path) -> None:
    source, victim = tmp_path / "src", tmp_path / "victim"
    source.mkdir()
    (source / "keep.conf").write_text("the attacker's")
    victim.mkdir()
    (victim / "keep.conf").write_text("root config")
    own, others = tmp_path / "mine", tmp_path / "theirs"
    os.symlink(victim, others)
    os.lchown(others, 65534, 65534)
    os.symlink(victim, own)  # one of this user's own: followed as before

    refused = CopyJob(str(source), str(others), CopyOptions(workers=1)).run()
    planned = CopyJob(str(source), str(others), CopyOptions(workers=1, dry_run=True)).run()

    # Further on the way: root's link to a user's, or a user's link above the target.
    os.symlink(others, tmp_path / "root's")
    chained = CopyJob(str(source), str(tmp_path / "root's"), CopyOptions(workers=1)).run()
    above = CopyJob(str(source), str(others / "new" / "deeper"), CopyOptions(workers=1)).run()
    # Root's own link in a folder a user may change: they could rename any link there.
    theirs = tmp_path / "theirs folder"
    theirs.mkdir()
    os.chown(theirs, 65534, 65534)
    os.symlink(victim, theirs / "backup")
    moved_in = CopyJob(str(source), str(theirs / "backup"), CopyOptions(workers=1)).run()
    # Deeper: root's folder in theirs, holding root's link: they may swap the folder.
    (theirs / "roots").mkdir()
    os.symlink(victim, theirs / "roots" / "link")
    swappable = CopyJob(str(source), str(theirs / "roots" / "link"), CopyOptions(workers=1))

    for report in (refused, planned, chained, above, moved_in, swappable.run()):
        assert report.refused is not None
        assert report.refused.code is Code.TARGET_LINK_OF_ANOTHER
    assert problem(str(source), str(others)) == refused.refused  # the window says so too

    # A folder of this user's own group, no one else in it (umask 002): not another's.
    shared = tmp_path / "own group"
    shared.mkdir()
    os.chmod(shared, 0o775)
    os.chown(shared, os.geteuid(), os.getegid())
    os.symlink(own, shared / "mine")
    assert grp.getgrgid(os.getegid()).gr_mem == []  # (as on this machine)
    options = CopyOptions(workers=1, dry_run=True)
    assert CopyJob(str(source), str(shared / "mine"), options).run().refused is None
    # ...unless an ACL lets another user write there (its mask shows as group-write).
    subprocess.run(["setfacl", "-m", "u:65534:rwx", str(shared)], check=True)
    acl = CopyJob(str(source), str(shared / "mine"), options).run()
    assert acl.refused is not None and acl.refused.code is Code.TARGET_LINK_OF_ANOTHER
    # And a loop of links is said as one.
    os.symlink("loop2", tmp_path / "loop1")
    os.symlink("loop1", tmp_path / "loop2")
    looped = CopyJob(str(source), str(tmp_path / "loop1" / "t"), options).run()
    assert "Too many levels of symbolic links" in str(looped.refused)
    assert (victim / "keep.conf").read_text() == "root config"
    assert os.listdir(victim) == ["keep.conf"]  # no folder made through the link either
    options = CopyOptions(workers=1, on_conflict=ConflictPolicy.OVERWRITE)
    assert CopyJob(str(source), str(own), options).run().was_successful()
    assert (victim / "keep.conf").read_text() == "the attacker's"


def test_a_folder_renamed_into_place_between_runs_is_not_given_away_by_root(
    tmp_path: Path,
) -> None:
    """Root backs up /home: a user may rename folders in the copy of their home, root's
    private one too, onto the name of their public one. The next run gave root's folder
    to the user, mode 0777, and they read what it held."""
    if not devices.gives_away(os.stat(tmp_path).st_dev):
        pytest.skip("needs root where copies keep their owners")
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "u" / "pub").mkdir(parents=True)
    (source / "u" / "rootdir").mkdir(mode=0o700)
    (source / "u" / "rootdir" / "secret.txt").write_text("root's")
    for folder in (source / "u", source / "u" / "pub"):
        os.chown(folder, 65534, 65534)
    os.chmod(source / "u" / "pub", 0o777)
    assert CopyJob(str(source), str(target)).run().exit_code() == 0
    os.rename(target / "u" / "pub", target / "u" / "pub.old")  # as the user may
    os.rename(target / "u" / "rootdir", target / "u" / "pub")

    again = CopyJob(str(source), str(target)).run()

    swapped = os.stat(target / "u" / "pub")
    assert (swapped.st_uid, stat.S_IMODE(swapped.st_mode)) == (0, 0o700)
    assert (target / "u" / "pub" / "secret.txt").exists()  # left as it was
    kept = [n for n in again.notices if n.code is Code.FOLDERS_KEPT_OWN]
    assert kept and kept[0].args == (1, os.path.join("u", "pub"))

    # The mark a killed run leaves is an xattr anyone who may write a folder may set:
    # another user's folder, marked and renamed into place, is no more ours for it.
    theirs = target / "u" / "pub"
    os.rename(theirs, target / "u" / "rootdir.old")
    theirs.mkdir()
    os.chmod(theirs, 0o777)
    os.chown(theirs, 1002, 1002)
    metadata.mark_unfinished(str(theirs))
    CopyJob(str(source), str(target)).run()
    kept_theirs = os.stat(theirs)
    assert (kept_theirs.st_uid, stat.S_IMODE(kept_theirs.st_mode)) == (1002, 0o777)


def test_a_folder_a_killed_run_made_is_still_finished_by_the_next(tmp_path: Path) -> None:
    """Left private and root's by a killed run, it is marked as Ferry's to finish."""
    if not devices.gives_away(os.stat(tmp_path).st_dev):
        pytest.skip("needs root where copies keep their owners")
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "pub").mkdir(parents=True)
    os.chown(source / "pub", 65534, 65534)
    os.chmod(source / "pub", 0o755)
    (target / "pub").mkdir(parents=True, mode=0o700)
    metadata.mark_unfinished(str(target / "pub"))  # as the killed run made it
    (target / "other").mkdir(mode=0o700)  # root's, unmarked: no copy of anything

    assert CopyJob(str(source), str(target)).run().exit_code() == 0

    finished = os.stat(target / "pub")
    assert (finished.st_uid, stat.S_IMODE(finished.st_mode)) == (65534, 0o755)
    assert not metadata.is_unfinished(str(target / "pub"))


@pytest.mark.timeout(60)
def test_a_target_through_a_process_root_in_another_mount_namespace_lands_there(
    tmp_path: Path,
) -> None:
    """/proc/PID/root and the like lead where the kernel says, not where their text
    ("/") would: followed by hand, the copy went to this namespace's folder instead."""
    source, place = tmp_path / "src", tmp_path / "mounted there"
    source.mkdir()
    (source / "a.txt").write_text("a")
    place.mkdir()
    script = f'mount -t tmpfs tmpfs "{place}" && echo ready && exec sleep 60'
    command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]
    with subprocess.Popen(command, stdout=subprocess.PIPE) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == b"ready\n"
            there = Path(f"/proc/{holder.pid}/root") / str(place).lstrip("/") / "dst"
            report = CopyJob(str(source), str(there), CopyOptions(workers=1)).run()
            landed = (there / "a.txt").read_text()
        finally:
            holder.kill()
    assert report.exit_code() == 0, (report.refused, report.failures())
    assert landed == "a" and os.listdir(place) == []  # not in this namespace's folder


def test_a_target_path_longer_than_path_max_is_refused_before_anything_is_made(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("a")
    deep = tmp_path.joinpath(*["d" * 200] * 25) / "t"
    for options in (CopyOptions(workers=1), CopyOptions(workers=1, dry_run=True)):
        report = CopyJob(str(source), str(deep), options).run()
        assert report.refused is not None and report.refused.code is Code.TARGET_NOT_CREATED
    assert sorted(os.listdir(tmp_path)) == ["src"]
