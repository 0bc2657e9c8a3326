"""Verify: every copy is read back from the storage device and compared with its source."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core import fromdisk, manifest, readback
from app.core.events import FilesChecked, FileStatus, Progress
from app.core.hashing import Algorithm
from app.core.job import CopyJob
from app.core.options import ConflictPolicy, CopyOptions
from app.core.readback import Checked, Checker, CheckItem, CheckStatus, drop_cached_pages
from app.core.reasons import Code
from app.core.report import CopyReport
from app.core.verify import FAILURES_KEPT, VerifyJob, VerifyProgress
from tests.helpers import (
    MIB,
    REPO,
    Recorder,
    disk_image,
    file_digest,
    flip_in_image,
    remove_tree,
)

DATA = 48 * MIB


def block_device_stat(path: Path) -> Path | None:
    st = os.stat(path)
    stat_file = Path(f"/sys/dev/block/{os.major(st.st_dev)}:{os.minor(st.st_dev)}/stat")
    return stat_file if stat_file.exists() else None


def bytes_read(device: Path) -> int:
    """Bytes the block device has read so far (sectors read, the third field, of 512 B)."""
    return int(device.read_text().split()[2]) * 512


@pytest.fixture
def on_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a real block device: tmp_path, or one inside the clone if /tmp is not."""
    if block_device_stat(tmp_path) is not None:
        yield tmp_path
        return
    (REPO / "build").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="ferry-disk-", dir=REPO / "build"))
    try:
        yield folder
    finally:
        remove_tree(folder)


def cached_source(root: Path) -> Path:
    """Random data read once, so it sits in the page cache: copying it reads no disk."""
    source = root / "src"
    (source / "sub").mkdir(parents=True)
    (source / "big").write_bytes(os.urandom(DATA))
    for index in range(20):
        (source / "sub" / f"small{index}").write_bytes(os.urandom(5000 + index))
    for path in source.rglob("*"):
        if path.is_file():
            path.read_bytes()
    return source


def flip_one_byte(path: Path) -> None:
    """Damage a file as a bad disk would: one byte, same size and times."""
    st = path.stat()
    with open(path, "r+b") as handle:
        first = handle.read(1)
        handle.seek(0)
        handle.write(bytes([first[0] ^ 0xFF]))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def copy(source: Path, target: Path, **options: object) -> tuple[CopyReport, Recorder]:
    recorder = Recorder()
    job = CopyJob(str(source), str(target), CopyOptions(workers=2, **options), recorder)  # type: ignore[arg-type]
    return job.run(), recorder


@pytest.mark.timeout(120)
def test_verify_reads_the_copy_back_from_the_device_and_a_plain_copy_does_not(
    on_disk: Path,
) -> None:
    source = cached_source(on_disk)
    device = block_device_stat(on_disk)
    assert device is not None, f"{on_disk} is not on a block device"
    copied = DATA + sum(5000 + i for i in range(20))

    # The device's counters are shared with every other reader on the machine: another
    # process can only add to them, so the least of three plain copies is the fairest.
    plain_reads = []
    for attempt in range(3):
        before = bytes_read(device)
        plain, _ = copy(source, on_disk / f"plain{attempt}")
        plain_reads.append(bytes_read(device) - before)
        if plain_reads[-1] < copied // 10:
            break
    plain_read = min(plain_reads)

    before = bytes_read(device)
    verified, recorder = copy(source, on_disk / "verified", verify=True)
    verify_read = bytes_read(device) - before

    assert plain.exit_code() == verified.exit_code() == 0
    assert verified.verified == 21
    assert verify_read >= copied, f"only {verify_read} of {copied} bytes came from the disk"
    assert plain_read < copied // 10, f"a copy without --verify read {plain_read} bytes"
    phases = {event.phase for event in recorder.of(Progress)}
    assert phases == {"copy", "verify"}
    checked = [c for event in recorder.of(FilesChecked) for c in event.results]
    assert len(checked) == 21 and all(c.status.value == "ok" for c in checked)


@pytest.mark.timeout(60)
def test_the_verify_phase_ends_on_its_final_figures(tmp_path: Path) -> None:
    """The verify's last progress said 1 of 30 files, 13 of 718 bytes, then the summary:
    the terminal line stood at "0/1 files" (review of hostile names). Its last figures
    are the whole now."""
    source = tmp_path / "src"
    source.mkdir()
    for index in range(30):
        (source / f"f{index}").write_bytes(os.urandom(index * 10))

    report, recorder = copy(source, tmp_path / "dst", verify=True)

    assert report.exit_code() == 0 and report.verified == 30
    last = [event for event in recorder.of(Progress) if event.phase == "verify"][-1]
    assert (
        (last.files_done, last.bytes_done)
        == (last.files_total, last.bytes_total)
        == (
            30,
            sum(index * 10 for index in range(30)),
        )
    )


@pytest.mark.timeout(120)
def test_ferry_verify_reads_files_just_written_from_the_device(on_disk: Path) -> None:
    """`ferry verify` runs with no flush before it: a file still only in memory (written
    a moment ago, by anyone) must be written out and read back from the device, not
    hashed from the page cache that DONTNEED leaves be while it is dirty."""
    device = block_device_stat(on_disk)
    assert device is not None, f"{on_disk} is not on a block device"
    folder = on_disk / "fresh"
    folder.mkdir()
    data = os.urandom(8 * MIB)  # below the kernel's background writeback threshold
    (folder / "big").write_bytes(data)  # dirty: not flushed
    (folder / "SUMS.sha256").write_text(f"{hashlib.sha256(data).hexdigest()}  big\n")

    before = bytes_read(device)
    report = VerifyJob(str(folder / "SUMS.sha256")).run()
    read = bytes_read(device) - before

    assert report.exit_code() == 0 and report.counts["ok"] == 1, report
    assert read >= len(data), f"only {read} of {len(data)} bytes came from the disk"


@pytest.mark.timeout(120)
def test_a_copy_that_differs_before_it_is_read_back_fails_and_stays(tmp_path: Path) -> None:
    """The engine's own verify phase, fed a damaged copy: caught, said, left in place,
    dated 1970. Its size and time still matched: the next run said "Everything was
    already up to date", exit 0, and never copied it again (review). Now it does."""
    source = cached_source(tmp_path)
    target = tmp_path / "dst"
    damaged = target / "sub" / "small3"
    recorder = Recorder()
    job = CopyJob(str(source), str(target), CopyOptions(workers=2, verify=True), recorder)

    done: list[bool] = []

    def damage(event: object) -> None:  # before the phase reads anything back
        if isinstance(event, Progress) and event.phase == "verify" and not done:
            done.append(True)
            flip_one_byte(damaged)

    recorder.hooks.append(damage)
    report = job.run()

    by_path = {r.path: r for r in report.results}
    result = by_path[os.path.join("sub", "small3")]
    assert result.status is FileStatus.FAILED
    assert result.reason.startswith("verification failed")
    assert damaged.exists(), "the bad copy must stay for the user to look at"
    assert damaged.stat().st_mtime_ns == 0
    assert report.verified == 20
    assert report.exit_code() == 1
    assert file_digest(target / "big") == file_digest(source / "big")
    again = CopyJob(str(source), str(target), CopyOptions(verify=True)).run()
    assert again.exit_code() == 0 and again.count(FileStatus.COPIED) == 1, again.results
    assert file_digest(damaged) == file_digest(source / "sub" / "small3")


@pytest.mark.timeout(120)
def test_a_rerun_proves_up_to_date_copies_from_their_sources(tmp_path: Path) -> None:
    """Up to date by size and time, a copy was taken as proven: a re-run's manifest
    listed its bytes as read from the copy, and a verify cut short was never made up for
    (review). Now its source is read for the digest: a verify compares the copy with it,
    and a manifest lists it."""
    source = cached_source(tmp_path)
    target = tmp_path / "dst"
    first, _ = copy(source, target, verify=True)
    assert first.verified == 21

    again, recorder = copy(source, target, verify=True)
    assert again.verified == 21 and again.exit_code() == 0
    checked = [c for e in recorder.of(FilesChecked) for c in e.results]
    assert len(checked) == 21 and all(c.status is CheckStatus.OK for c in checked)

    manifest = tmp_path / "sums.sha256"
    with_manifest, recorder = copy(source, target, manifest=str(manifest))
    assert with_manifest.exit_code() == 0
    # Read for their digests, compared with nothing: no file is said to be "ok".
    assert not [c for e in recorder.of(FilesChecked) for c in e.results]
    assert len(manifest.read_bytes().splitlines()) == 21
    with contextlib.suppress(FileNotFoundError):
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("verify", [True, False], ids=["verify", "manifest only"])
def test_a_copy_gone_bad_with_its_size_and_time_kept_is_never_certified(
    tmp_path: Path, verify: bool
) -> None:
    """Bit rot, or a tool that keeps times: the copy differs, its size and time do not.
    A re-run took it as up to date, wrote the copy's digest into the manifest, and
    `ferry verify` then passed it (review)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "f").write_bytes(b"good data")
    (source / "g").write_bytes(b"other")
    copy(source, target)
    when = (target / "f").stat().st_mtime_ns
    (target / "f").write_bytes(b"BAD! data")
    os.utime(target / "f", ns=(when, when))
    manifest = tmp_path / "sums.sha256"

    again, _ = copy(source, target, verify=verify, manifest=str(manifest))

    listed = manifest.read_bytes().splitlines()
    assert hashlib.sha256(b"BAD! data").hexdigest().encode() not in b"".join(listed)
    good = f"{hashlib.sha256(b'good data').hexdigest()}  f".encode()
    assert (good in listed) != verify  # (a copy found bad is not listed)
    if verify:  # found now; the copy dated for the next run to replace
        assert again.exit_code() == 1 and [r.path for r in again.failures()] == ["f"]
        assert (target / "f").stat().st_mtime_ns != when
        healed, _ = copy(source, target, verify=True)
        assert healed.exit_code() == 0 and (target / "f").read_bytes() == b"good data"
    else:  # the manifest lists the source's bytes: a check of the copy finds it
        assert again.exit_code() == 0
        assert VerifyJob(str(manifest), str(target)).run().exit_code() == 1


@pytest.mark.timeout(60)
def test_a_rerun_following_links_proves_their_files_too(tmp_path: Path) -> None:
    """With links followed, an up-to-date file's source is a link, to a file or through
    a folder elsewhere: read as the scan read it (it failed as "not a regular file")."""
    source, elsewhere = tmp_path / "src", tmp_path / "elsewhere"
    (elsewhere / "dir").mkdir(parents=True)
    (elsewhere / "file").write_bytes(b"data")
    (elsewhere / "dir" / "x").write_bytes(b"inside")
    source.mkdir()
    (source / "link").symlink_to(elsewhere / "file")
    (source / "dlink").symlink_to(elsewhere / "dir")

    for run in ("first", "again"):
        report, _ = copy(source, tmp_path / "dst", verify=True, follow_symlinks=True)
        assert (report.exit_code(), report.verified) == (0, 2), (run, report.failures())


@pytest.mark.timeout(60)
def test_links_in_a_verified_copy(tmp_path: Path) -> None:
    """A symbolic link has no data to read back; a hard link is verified with its copy."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "data").write_bytes(os.urandom(10_000))
    os.link(source / "data", source / "same-data")
    os.symlink("data", source / "link")
    manifest = tmp_path / "sums.b3"
    report, _ = copy(source, tmp_path / "dst", verify=True, manifest=str(manifest))
    assert report.exit_code() == 0, report.failures()
    assert report.verified == 2  # data, and same-data through it
    names = sorted(line.split(b"  ", 1)[1] for line in manifest.read_bytes().splitlines())
    assert names == [b"data", b"same-data"]

    again, _ = copy(source, tmp_path / "dst", manifest=str(manifest))  # all up to date
    assert again.exit_code() == 0, again.failures()
    names = sorted(line.split(b"  ", 1)[1] for line in manifest.read_bytes().splitlines())
    assert names == [b"data", b"same-data"]  # the link is not read as a file


@pytest.mark.timeout(20)
def test_a_file_the_reader_cannot_even_name_fails_alone_and_never_hangs(tmp_path: Path) -> None:
    (tmp_path / "good").write_bytes(b"data")
    items = [CheckItem("bad\0name", 1, "0" * 64)]  # os.open raises ValueError, not OSError
    items += [CheckItem("good", 4, file_digest(tmp_path / "good"))] * 20
    checked: list[Checked] = []

    Checker(str(tmp_path), Algorithm.SHA256, 1, threading.Event()).check(items, checked.append)

    assert len(checked) == 21  # one reader: it went on after the bad name
    assert [c.status for c in checked].count(CheckStatus.OK) == 20
    (failed,) = (c for c in checked if c.status is CheckStatus.FAILED)
    assert failed.path == "bad\0name" and "null byte" in str(failed.why)


@pytest.mark.timeout(60)
def test_a_re_run_manifest_lists_a_kept_copy_with_its_own_digest(tmp_path: Path) -> None:
    """Keep both: the copy kept beside the target's own file is up to date on a re-run;
    its manifest line must hold that copy's digest, not the other file's."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a.txt").write_bytes(b"the source's")
    target.mkdir()
    (target / "a.txt").write_bytes(b"the target's own, another file")
    os.utime(target / "a.txt", ns=(0, 0))
    copy(source, target, on_conflict=ConflictPolicy.RENAME)
    manifest = tmp_path / "m.sha256"

    report, _ = copy(source, target, on_conflict=ConflictPolicy.RENAME, manifest=str(manifest))

    assert report.exit_code() == 0, report.failures()
    digest = hashlib.sha256(b"the source's").hexdigest()
    assert manifest.read_text() == f"{digest}  a (2).txt\n"


@pytest.mark.timeout(60)
def test_a_move_within_one_file_system_writes_a_whole_manifest(tmp_path: Path) -> None:
    """Moved by a link, no byte read: no worker computed a digest. The manifest was
    empty (exit 0); its files are now read from the target for it."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a").write_bytes(b"one")
    (source / "sub" / "b").write_bytes(b"two")
    manifest = tmp_path / "m.sha256"

    report, _ = copy(source, target, move=True, verify=True, manifest=str(manifest))

    assert report.exit_code() == 0 and report.moved == 2, report.failures()
    assert report.verified == 0  # nothing was copied to compare with its source
    digests = {"a": b"one", "sub/b": b"two"}
    expected = [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in digests.items()]
    assert sorted(manifest.read_text().splitlines()) == sorted(expected)


@pytest.mark.timeout(60)
def test_a_file_found_identical_by_content_is_in_the_manifest(tmp_path: Path) -> None:
    """ "Skip identical" (the window's answer) compares contents: a target file with the
    source's bytes, though another time, is kept and holds the source's data; the
    manifest left it out."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "a").write_bytes(b"same bytes")
    (target / "a").write_bytes(b"same bytes")
    os.utime(target / "a", ns=(0, 0))
    manifest = tmp_path / "m.sha256"

    options = {"on_conflict": ConflictPolicy.SKIP_IDENTICAL, "manifest": str(manifest)}
    report, _ = copy(source, target, **options)

    assert [r.why and r.why.code for r in report.results] == [Code.SAME_CONTENT]
    assert manifest.read_text() == f"{hashlib.sha256(b'same bytes').hexdigest()}  a\n"


def test_a_file_system_without_fsync_is_read_back_all_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """squashfs, iso9660, erofs: read-only, no fsync (EINVAL), nothing to write out. An
    error that means the data did not reach the disk (EIO) still fails the check."""
    (tmp_path / "f").write_bytes(b"on a read-only image")
    fd = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        for code in (errno.EINVAL, errno.EROFS):
            monkeypatch.setattr(os, "fdatasync", _raising(code))
            drop_cached_pages(fd)
        monkeypatch.setattr(os, "fdatasync", _raising(errno.EIO))
        with pytest.raises(OSError):
            drop_cached_pages(fd)
    finally:
        os.close(fd)


def _raising(code: int) -> Callable[[int], None]:
    def fdatasync(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    return fdatasync


@pytest.mark.timeout(120)
def test_a_second_name_of_a_copy_that_differs_fails_with_it_and_is_left_out_of_the_manifest(
    tmp_path: Path,
) -> None:
    """One inode, two names: the first name's copy was found bad, the second stayed
    "linked" and went into the manifest under the source's digest."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "b").write_bytes(os.urandom(20_000))
    os.link(source / "b", source / "b2")
    (source / "c").write_bytes(b"fine")
    manifest = tmp_path / "sums.sha256"
    recorder = Recorder()
    options = CopyOptions(workers=1, verify=True, manifest=str(manifest))
    job = CopyJob(str(source), str(target), options, recorder)
    done: list[bool] = []

    def damage(event: object) -> None:  # before the phase reads anything back
        if isinstance(event, Progress) and event.phase == "verify" and not done:
            done.append(True)
            flip_one_byte(target / "b")

    recorder.hooks.append(damage)

    report = job.run()

    by_path = {r.path: r for r in report.results}
    assert by_path["b"].status is by_path["b2"].status is FileStatus.FAILED
    assert by_path["b2"].reason.startswith("verification failed")
    said = {
        c.path for e in recorder.of(FilesChecked) for c in e.results if c.status.value == "failed"
    }
    assert said == {"b", "b2"}
    assert manifest.read_text().split() == [hashlib.sha256(b"fine").hexdigest(), "c"]
    assert report.verified == 1 and report.exit_code() == 1


@pytest.mark.timeout(120)
@pytest.mark.parametrize("same", [False, True], ids=["other data", "same data"])
def test_a_second_name_replaced_before_the_verify_is_read_back_on_its_own(
    tmp_path: Path, same: bool
) -> None:
    """A hard link's second name took its first name's result, assumed one inode: another
    file put there after the copy was counted verified and listed in the manifest with
    the source's digest, unread (review). Now a name that is not the inode read back is
    read on its own and compared with the source."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    data = os.urandom(20_000)
    (source / "a").write_bytes(data)
    os.link(source / "a", source / "b")
    (source / "c").write_bytes(b"fine")
    manifest = tmp_path / "sums.sha256"
    recorder = Recorder()
    options = CopyOptions(workers=1, verify=True, manifest=str(manifest))
    job = CopyJob(str(source), str(target), options, recorder)
    second: list[str] = []  # the name linked to the other's copy (the scan's order)

    def replace(event: object) -> None:  # before the phase reads anything back
        if isinstance(event, Progress) and event.phase == "verify" and not second:
            [linked] = [r.path for r in recorder.results() if r.status is FileStatus.LINKED]
            second.append(linked)
            (target / linked).unlink()
            (target / linked).write_bytes(data if same else b"X" * len(data))

    recorder.hooks.append(replace)

    report = job.run()

    by_path = {r.path: r for r in report.results}
    listed = manifest.read_text().split()[1::2]
    if same:  # (read, not assumed: its bytes are in the phase's figures)
        assert report.exit_code() == 0 and report.verified == 3, report.failures()
        assert sorted(listed) == ["a", "b", "c"]
        last = [event for event in recorder.of(Progress) if event.phase == "verify"][-1]
        assert last.bytes_done == last.bytes_total == 2 * len(data) + 4
    else:
        [first] = {"a", "b"} - set(second)
        assert by_path[second[0]].status is FileStatus.FAILED
        assert by_path[second[0]].reason.startswith("verification failed")
        assert by_path[first].status is FileStatus.COPIED
        assert sorted(listed) == sorted([first, "c"])
        assert report.verified == 2 and report.exit_code() == 1


@pytest.mark.timeout(120)
def test_a_move_within_one_disk_counts_nothing_verified_that_was_not_compared(
    tmp_path: Path,
) -> None:
    """The files themselves moved: nothing was compared with the source, yet a second
    name counted as verified once its first name's digest was read for the manifest."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "a").write_bytes(b"a" * 5000)
    os.link(source / "a", source / "a2")
    manifest = tmp_path / "sums.sha256"

    report, _ = copy(source, target, move=True, verify=True, manifest=str(manifest))

    assert report.exit_code() == 0, report.failures()
    assert report.verified == 0
    assert sorted(manifest.read_text().split()[1::2]) == ["a", "a2"]


@pytest.mark.timeout(60)
def test_verify_sizes_its_files_without_reaching_through_a_link(tmp_path: Path) -> None:
    """The sizes for progress came from stat() of joined paths: a line through a link
    looked at a file outside the folder (a 7 GiB total, or a hung mount)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    with open(outside / "huge", "wb") as huge:
        huge.truncate(7 << 30)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "lnk").symlink_to(outside)
    (folder / "a").write_bytes(b"a")
    digest = hashlib.sha256(b"a").hexdigest()
    (folder / "sums.sha256").write_text(f"{digest}  a\n{'0' * 64}  lnk/huge\n")
    totals: list[int] = []

    report = VerifyJob(
        str(folder / "sums.sha256"), on_progress=lambda p: totals.append(p.bytes_total)
    ).run()

    assert totals and max(totals) == 1
    assert [c.status.value for c in report.failures if c.path == "lnk/huge"] == ["failed"]


@pytest.mark.timeout(120)
def test_a_fuse_stick_is_read_back_from_its_device_not_the_devices_cache(tmp_path: Path) -> None:
    """exFAT through FUSE (fuseblk, as exfat-fuse and ntfs-3g mount a USB stick): the
    FUSE program reads the device through the device's page cache, which still held what
    was written. A byte flipped on the device after the copy passed `copy --verify` and
    `ferry verify` (review). The device's buffers are flushed before reading back now."""
    source = tmp_path / "src"
    source.mkdir()
    data = {name: os.urandom(3 * MIB) for name in ("a", "b")}
    for name, content in data.items():
        (source / name).write_bytes(content)
    with disk_image(tmp_path, "exfat-fuse") as (stick, image):
        target, manifest = stick / "dst", stick / "sums.sha256"
        recorder = Recorder()
        options = CopyOptions(workers=1, verify=True, manifest=str(manifest))
        job = CopyJob(str(source), str(target), options, recorder)
        done: list[bool] = []

        def damage(event: object) -> None:  # once on the device, before it is read back
            if isinstance(event, Progress) and event.phase == "verify" and not done:
                done.append(True)
                flip_in_image(image, data["a"])

        recorder.hooks.append(damage)
        report = job.run()

        by_path = {r.path: r for r in report.results}
        assert by_path["a"].status is FileStatus.FAILED, by_path["a"]
        assert by_path["a"].reason.startswith("verification failed")
        assert (report.verified, report.verified_cached) == (1, 0)

        flip_in_image(image, data["b"])  # read back a moment ago: in the device's cache
        checked = VerifyJob(str(manifest), str(target)).run()
        assert [(c.path, c.status.value) for c in checked.failures] == [("b", "failed")]


def test_reading_back_from_a_stick_it_cannot_flush_writes_out_no_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-back synced every file system, sync(), before it knew whether it could
    flush the stick's device at all: a stalled disk elsewhere held the verify for as long
    as it stalled, unkillable (review). Where the device cannot be opened (not root)
    nothing is synced; where it can, only the stick's own file system."""
    synced: list[int] = []
    monkeypatch.setattr(fromdisk, "sync_file_system", synced.append)
    monkeypatch.setattr(os, "sync", lambda: pytest.fail("sync() of every file system"))
    monkeypatch.setattr(fromdisk, "fuseblk_source", lambda device: str(tmp_path / "no-node"))
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        assert not fromdisk.Devices().reached(os.fstat(fd).st_dev, fd)
    finally:
        os.close(fd)
    assert synced == []


@pytest.mark.timeout(120)
@pytest.mark.parametrize("kind", ["btrfs", "ext4-inline"])
def test_files_kept_inline_are_said_to_be_compared_through_the_cache(
    tmp_path: Path, kind: str
) -> None:
    """A small file's data kept in the file system's metadata (btrfs inline extents,
    ext4 inline_data) is read from the cache whatever is dropped: it was counted
    "verified from the disk" with 0 sectors read. It is counted apart now."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "small").write_bytes(os.urandom(50))  # (ext4 keeps 60 bytes in the inode)
    (source / "big").write_bytes(os.urandom(64 * 1024))
    with disk_image(tmp_path, kind) as (disk, _):
        manifest = disk / "sums.sha256"
        report, _ = copy(source, disk / "dst", verify=True, manifest=str(manifest))
        assert report.exit_code() == 0, report.failures()
        assert report.verified == 1  # "big": "small" was counted too
        assert report.verified_cached == report.summary()["verified_cached"] == 1

        results: list[Checked] = []
        checked = VerifyJob(str(manifest), str(disk / "dst"), on_checked=results.append).run()
        assert checked.exit_code() == 0
        assert {c.path: c.cached for c in results} == {"small": True, "big": False}
        assert (checked.summary()["ok"], checked.summary()["cached"]) == (2, 1)


def spy_on_manifest_reads(
    monkeypatch: pytest.MonkeyPatch, before: Callable[[int], None] = lambda index: None
) -> list[list[int]]:
    """The lines each read of a manifest has yielded so far (the real reader, counted);
    `before` is called with the read's index as it starts."""
    reads: list[list[int]] = []
    real = manifest.read

    def counted(path: str, algorithm: Algorithm) -> Iterator[manifest.Line]:
        before(len(reads))
        count = [0]
        reads.append(count)
        for line in real(path, algorithm):
            count[0] += 1
            yield line

    monkeypatch.setattr(manifest, "read", counted)
    return reads


@pytest.mark.timeout(60)
def test_ferry_verify_reads_its_manifest_as_it_checks_and_keeps_counts_not_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ferry verify` read the whole manifest into memory, then kept every result: a
    manifest of a million lines took 544 MB. A first pass now parses and counts the
    lines, keeping none; the check reads them again as its readers take them, and the
    report keeps counts and the first FAILURES_KEPT failures (each is said as found)."""
    folder, lines, threads = tmp_path / "folder", 10 * FAILURES_KEPT, 2
    folder.mkdir()
    with open(tmp_path / "sums.sha256", "w", encoding="utf-8") as sums:
        for index in range(lines):
            data = f"{index}".encode()
            if index % 2 == 0:  # the odd ones are missing
                (folder / f"f{index}").write_bytes(data)
            sums.write(f"{hashlib.sha256(data).hexdigest()}  f{index}\n")
    reads = spy_on_manifest_reads(monkeypatch)
    seen: list[Checked] = []
    ahead: list[int] = []  # lines read by the check beyond the results given so far

    def checked(result: Checked) -> None:
        seen.append(result)
        ahead.append(reads[-1][0] - len(seen))

    progress: list[VerifyProgress] = []
    job = VerifyJob(str(tmp_path / "sums.sha256"), str(folder), threads, checked, progress.append)
    report = job.run()

    # Read ahead at most: the items queued for the readers and the results for the
    # caller (readback.QUEUED, RESULTS_AHEAD a reader), one being read a reader, one more
    # a reader past the results' bound, one the feeder holds. The whole manifest was
    # read before the first file was (ahead: 9,999).
    bound = (readback.QUEUED + readback.RESULTS_AHEAD + 2) * threads + 1
    assert max(ahead) <= bound < lines // 2, max(ahead)
    assert [count[0] for count in reads] == [lines, lines]  # the first pass, then the check
    assert len(seen) == lines and report.exit_code() == 1
    assert (report.counts["ok"], report.counts["missing"]) == (lines // 2, lines // 2)
    assert len(report.failures) == FAILURES_KEPT
    assert {c.status for c in report.failures} == {CheckStatus.MISSING}
    assert (progress[-1].files_done, progress[-1].files_total) == (lines, lines)
    assert progress[-1].bytes_total == sum(len(f"{i}") for i in range(0, lines, 2))


@pytest.mark.timeout(60)
def test_a_manifest_that_turns_unreadable_while_checked_ends_the_check_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads the manifest again, as it goes: a line made bad after the first
    pass accepted it (another program writing the file) stops the check there, exit 2."""
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a").write_bytes(b"a")
    sums = tmp_path / "sums.sha256"
    sums.write_text(f"{hashlib.sha256(b'a').hexdigest()}  a\n{'0' * 64}  b\n")

    def spoil(index: int) -> None:  # as the check's read starts
        if index == 1:
            with open(sums, "r+b") as out:
                out.seek(-1, os.SEEK_END)
                out.write(b"/\n")  # "b/": a folder

    reads = spy_on_manifest_reads(monkeypatch, spoil)
    report = VerifyJob(str(sums), str(folder), threads=1).run()

    assert report.exit_code() == 2 and [count[0] for count in reads] == [2, 1]
    assert str(report.error) == "line 2: a path that names a folder, not a file", report.error
    assert (report.counts["ok"], report.counts["missing"]) == (1, 0)


def test_a_caller_that_raises_on_a_result_leaves_no_reader_behind(tmp_path: Path) -> None:
    """on_checked raising ends check() with it: its readers stopped waiting for a
    caller gone (RESULTS_AHEAD) and polled every 5 ms for ever, their folder and the
    manifest held open (a disk that then cannot be unmounted; review of stop 38)."""
    folder = tmp_path / "f"
    folder.mkdir()
    for n in range(3000):
        (folder / f"f{n}").write_bytes(b"x")
    items = [CheckItem(f"f{n}", 1) for n in range(3000)]
    seen: list[Checked] = []

    def raising(checked: Checked) -> None:
        seen.append(checked)
        if len(seen) == 5:
            raise RuntimeError("the caller's own failure")

    checker = Checker(str(folder), Algorithm.SHA256, 2, threading.Event())
    with pytest.raises(RuntimeError):
        checker.check(items, raising)

    left = [t for t in threading.enumerate() if t.name.startswith("ferry-verify")]
    assert not left, left
