"""The engine copies a tree exactly as `cp -a` does: bytes, modes, times, links, names."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from app.core.events import FileStatus, Progress
from app.core.job import CopyJob
from app.core.options import CopyOptions
from tests.helpers import (
    MIB,
    NOBODY,
    SETPRIV,
    Recorder,
    assert_same_tree,
    cli_env,
    code_for_nobody,
    file_digest,
    make_deep,
    needs_nobody,
    remove_tree,
    snapshot,
    temps_under,
    unprivileged_python,
    world_reachable_dir,
)

T0 = 1_500_000_000_000_000_000  # a fixed time with nanoseconds that matter
DEEP = 1500
NON_UTF8 = b"caf\xe9.txt"


def _times(path: str | bytes | Path, ns: int, link: bool = False) -> None:
    os.utime(path, ns=(ns, ns), follow_symlinks=not link)


def build_varied_tree(root: Path) -> None:
    """Files of every kind the engine must reproduce, with distinct modes and times."""
    root.mkdir()
    (root / "plain.txt").write_bytes(b"hello\n")
    (root / "empty.bin").write_bytes(b"")
    (root / "several-mib.bin").write_bytes(os.urandom(5 * MIB + 3))
    (root / "exec.sh").write_bytes(b"#!/bin/sh\necho hi\n")
    os.chmod(root / "exec.sh", 0o755)
    (root / "private").write_bytes(b"secret")
    os.chmod(root / "private", 0o600)
    (root / "readonly").write_bytes(b"ro")
    os.chmod(root / "readonly", 0o444)
    (root / "name with spaces ").write_bytes(b"sp")
    (root / "new\nline").write_bytes(b"nl")
    with open(os.path.join(os.fsencode(root), NON_UTF8), "wb") as out:
        out.write(b"latin-1 name")
    sub = root / "sub" / "inner"
    sub.mkdir(parents=True)
    (sub / "leaf.txt").write_bytes(b"leaf")
    (root / "empty-dir" / "nested-empty").mkdir(parents=True)
    (root / "closed-dir").mkdir()
    (root / "closed-dir" / "x").write_bytes(b"x")
    os.symlink("plain.txt", root / "rel-link")
    os.symlink("../plain.txt", sub / "up-link")
    os.symlink("/etc/hostname", root / "abs-link")
    os.symlink("does/not/exist", root / "dangling")
    os.symlink("sub", root / "dir-link")
    deep = make_deep(root / "deep", DEEP)
    Path(deep, "bottom.txt").write_bytes(b"at depth 1500")
    # Times last, deepest first, so writing inside a folder does not move its mtime.
    for index, (path, _) in enumerate(sorted(_all(root), key=lambda p: -p[0].count(b"/"))):
        full = os.path.join(os.fsencode(root), path)
        _times(full, T0 + index * 1_000_000_007, link=os.path.islink(full))
    os.chmod(root / "closed-dir", 0o700)
    _times(root / "closed-dir", T0 + 42)
    _times(root, T0 + 7)


def _all(root: Path) -> list[tuple[bytes, os.stat_result]]:
    from tests.helpers import walk

    return list(walk(root))


@pytest.fixture
def varied(tmp_path: Path):
    source = tmp_path / "src"
    build_varied_tree(source)
    yield source
    remove_tree(tmp_path)  # 1,500 levels: Python's rmtree would recurse too deep


@pytest.mark.timeout(120)
def test_result_equals_cp_a_on_a_varied_tree(varied: Path, tmp_path: Path) -> None:
    reference, target = tmp_path / "ref", tmp_path / "dst"
    subprocess.run(["cp", "-a", str(varied), str(reference)], check=True)
    before = snapshot(varied)

    report = CopyJob(str(varied), str(target), CopyOptions(workers=2)).run()

    assert report.exit_code() == 0, report.failures()
    assert report.count(FileStatus.FAILED) == 0
    assert_same_tree(reference, target)
    diff = subprocess.run(
        ["diff", "-r", "--no-dereference", str(reference), str(target)],
        capture_output=True,
        check=False,
    )
    assert diff.returncode == 0, diff.stdout[:2000]
    assert temps_under(target) == []
    assert snapshot(varied) == before, "the source changed"


@pytest.mark.timeout(60)
def test_symlinks_are_copied_as_links_never_followed(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "plain.txt").write_bytes(b"p")
    os.symlink("plain.txt", source / "rel-link")
    os.symlink("/etc/hostname", source / "abs-link")
    os.symlink("does/not/exist", source / "dangling")
    os.symlink("../plain.txt", source / "sub" / "up-link")
    os.symlink("../../outside", source / "sub" / "escaping")
    os.symlink("sub", source / "dir-link")
    os.symlink("/dev/zero", source / "zero-device")
    report = CopyJob(str(source), str(target), CopyOptions(workers=1)).run()
    assert report.exit_code() == 0
    assert report.count(FileStatus.COPIED) == 8
    assert os.readlink(target / "rel-link") == "plain.txt"
    assert os.readlink(target / "abs-link") == "/etc/hostname"
    assert os.readlink(target / "dangling") == "does/not/exist"
    assert os.readlink(target / "sub" / "up-link") == "../plain.txt"
    assert os.readlink(target / "sub" / "escaping") == "../../outside"
    assert os.readlink(target / "dir-link") == "sub"
    assert os.readlink(target / "zero-device") == "/dev/zero"


@pytest.mark.timeout(60)
def test_non_utf8_name_is_copied_byte_exact(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    with open(os.path.join(os.fsencode(source), NON_UTF8), "wb") as out:
        out.write(b"bytes")
    report = CopyJob(str(source), str(target)).run()
    assert report.exit_code() == 0
    assert os.listdir(os.fsencode(target)) == [NON_UTF8]
    [result] = report.results
    assert os.fsencode(result.path) == NON_UTF8


@pytest.mark.timeout(60)
def test_only_empty_folders_and_empty_files_reach_100_percent(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "a" / "b" / "c").mkdir(parents=True)
    (source / "e").mkdir()
    (source / "a" / "zero").write_bytes(b"")
    recorder = Recorder()
    report = CopyJob(str(source), str(target), on_event=recorder).run()
    assert report.exit_code() == 0
    assert sorted(os.listdir(target)) == ["a", "e"]
    assert (target / "a" / "b" / "c").is_dir()
    assert (target / "a" / "zero").read_bytes() == b""
    last = recorder.of(Progress)[-1]
    assert last.scan_done
    assert (last.files_done, last.bytes_done) == (last.files_total, last.bytes_total)


@pytest.mark.timeout(60)
def test_rerun_copies_nothing_and_says_up_to_date(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    for index in range(20):
        (source / f"f{index}").write_bytes(os.urandom(100 + index))
    os.symlink("f1", source / "link")
    first = CopyJob(str(source), str(target)).run()
    assert first.count(FileStatus.COPIED) == 21
    after_first = snapshot(target)

    second = CopyJob(str(source), str(target)).run()

    assert second.exit_code() == 0
    assert second.count(FileStatus.COPIED) == 0
    assert second.count(FileStatus.SKIPPED) == 21
    assert {r.reason for r in second.results} == {"already up to date"}
    assert second.bytes_copied == 0
    assert snapshot(target) == after_first


@pytest.mark.timeout(60)
def test_sparse_5_gib_file_exact_bytes_and_holes_kept(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    size = 5 << 30
    with open(source / "sparse.img", "wb") as out:
        out.write(b"head")
        out.seek(3 << 30)
        out.write(b"middle")
        out.truncate(size)
    recorder = Recorder()
    report = CopyJob(str(source), str(target), on_event=recorder).run()
    assert report.exit_code() == 0
    assert report.bytes_copied == size
    last = recorder.of(Progress)[-1]
    assert last.bytes_total == last.bytes_done == size
    copied = target / "sparse.img"
    assert copied.stat().st_size == size
    assert copied.stat().st_blocks * 512 < 64 * MIB, "holes were filled in"
    with open(copied, "rb") as handle:
        assert handle.read(4) == b"head"
        handle.seek(3 << 30)
        assert handle.read(6) == b"middle"
        handle.seek(size - 4096)
        assert handle.read() == bytes(4096)


@pytest.mark.timeout(60)
def test_names_windows_cannot_hold_are_copied_byte_exact_on_linux(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    names = ["CON", "a:b", "trailing.", "README", "readme", "e\u0301", "\u00e9"]  # NFD, NFC
    for name in names:
        (source / name).write_text(name)
    report = CopyJob(str(source), str(target)).run()
    assert report.exit_code() == 0
    assert sorted(os.listdir(target)) == sorted(names)
    for name in names:
        assert (target / name).read_text() == name


@pytest.mark.timeout(60)
def test_path_longer_than_path_max_is_copied(tmp_path: Path) -> None:
    """Folders are reached by descriptor, one name at a time: no full path is ever used."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "ok.txt").write_bytes(b"fine")
    # Build beyond PATH_MAX (4096) with relative steps: a full path that long is refused.
    name = "n" * 200
    fd = os.open(source, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(25):  # 25 * 201 > 5,000 characters
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = child
        leaf = os.open("leaf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(leaf, b"far away")
        os.close(leaf)
    finally:
        os.close(fd)
    try:
        report = CopyJob(str(source), str(target)).run()
        assert report.exit_code() == 0, report.failures()
        assert report.count(FileStatus.COPIED) == 2
        assert_same_tree(source, target)
        assert temps_under(target) == []
    finally:
        remove_tree(tmp_path)


@pytest.mark.timeout(60)
def test_several_mib_file_content_is_identical(tmp_path: Path) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    (source / "blob").write_bytes(os.urandom(40 * MIB + 17))  # several chunks of 4 MiB
    report = CopyJob(str(source), str(target), CopyOptions(workers=2, fsync=True)).run()
    assert report.exit_code() == 0
    assert file_digest(target / "blob") == file_digest(source / "blob")
    assert report.bytes_copied == 40 * MIB + 17


@pytest.mark.timeout(60)
def test_progress_reaches_the_byte_total_on_a_rerun_and_around_a_blocked_folder(
    tmp_path: Path,
) -> None:
    """Files decided without a worker (up to date, under a folder that cannot be made)
    still end the bar at 100 %."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "blocked").mkdir(parents=True)
    (source / "a.bin").write_bytes(os.urandom(100_000))
    (source / "blocked" / "b.bin").write_bytes(os.urandom(5_000))
    assert CopyJob(str(source), str(target)).run().exit_code() == 0

    rerun = Recorder()
    CopyJob(str(source), str(target), on_event=rerun).run()
    last = rerun.of(Progress)[-1]
    assert last.bytes_total == 105_000
    assert last.bytes_done == last.bytes_total

    other = tmp_path / "other"
    other.mkdir()
    (other / "blocked").write_bytes(b"a plain file where the source has a folder")
    blocked = Recorder()
    report = CopyJob(str(source), str(other), on_event=blocked).run()
    assert report.exit_code() == 1
    last = blocked.of(Progress)[-1]
    assert last.bytes_done == last.bytes_total == 100_000


RETRY_AS_NOBODY = """
import sys
from app.core.job import CopyJob
report = CopyJob(sys.argv[1], sys.argv[2], only=sys.argv[3:] or None).run()
print(sorted((r.path, r.why.code.name if r.why else "") for r in report.failures()))
"""


def _retried_by_nobody(source: Path, target: Path, *paths: str) -> str:
    python = unprivileged_python()
    assert python is not None
    command = [*SETPRIV, python, "-c", RETRY_AS_NOBODY, str(source), str(target), *paths]
    env = cli_env(PYTHONPATH=str(code_for_nobody()))
    done = subprocess.run(command, cwd="/", env=env, capture_output=True, timeout=60, check=True)
    return done.stdout.decode().strip()


@needs_nobody
@pytest.mark.timeout(120)
def test_retrying_a_folder_that_still_cannot_be_read_fails_it_again() -> None:
    """Retry failed of a folder the user may not list: its listing's failure was dropped
    (the folder's path had been met), so the retry said nothing of it and the window
    took it for done; it was never retried again, its copy left empty. Once readable,
    its copy (mode 000, as its source's was) took no file: it is opened to its owner
    until its mode is set again, at the end."""
    with world_reachable_dir() as shared:
        source, target = shared / "src", shared / "dst"
        (source / "email").mkdir(parents=True)
        (source / "email" / "letter").write_bytes(b"dear nobody")
        target.mkdir()
        os.chown(target, NOBODY, NOBODY)
        (source / "email").chmod(0)

        still = _retried_by_nobody(source, target, "email")
        (source / "email").chmod(0o755)
        readable = _retried_by_nobody(source, target, "email")

        assert still == "[('email', 'CANNOT_LIST_FOLDER')]"
        assert readable == "[]"
        assert (target / "email" / "letter").read_bytes() == b"dear nobody"
        assert stat.S_IMODE((target / "email").stat().st_mode) == 0o705  # (no group kept)


@needs_nobody
@pytest.mark.timeout(120)
def test_a_read_only_folder_of_ours_is_opened_only_to_copy_into_it() -> None:
    """A folder copied with its source's mode 0555 took no new file on a re-run but
    by root. It is opened to its owner where a copy into it is refused, and given its
    source's mode again at the end; an up-to-date re-run writes nothing to it (opened
    up front, every read-only folder was set twice a run, and a refused job left them
    open; so did a source file it may not read, every run)."""
    with world_reachable_dir() as shared:
        source, target = shared / "src", shared / "dst"
        (source / "mod").mkdir(parents=True)
        (source / "mod" / "a.go").write_bytes(b"package a")
        (source / "mod" / "secret").write_bytes(b"root's only")
        (source / "mod" / "secret").chmod(0o600)
        target.mkdir()
        for path in (source, source / "mod", source / "mod" / "a.go", target):
            os.chown(path, NOBODY, NOBODY)
        (source / "mod").chmod(0o555)
        unreadable = "[('mod/secret', 'CANNOT_OPEN_SOURCE')]"
        assert _retried_by_nobody(source, target) == unreadable
        before = os.stat(target / "mod")

        assert _retried_by_nobody(source, target) == unreadable  # (never the target's fault)
        unchanged = os.stat(target / "mod")
        (source / "mod" / "b.go").write_bytes(b"package b")  # (root may write there)
        os.chown(source / "mod" / "b.go", NOBODY, NOBODY)
        assert _retried_by_nobody(source, target) == unreadable

        assert unchanged.st_ctime_ns == before.st_ctime_ns
        assert (target / "mod" / "b.go").read_bytes() == b"package b"
        assert stat.S_IMODE((target / "mod").stat().st_mode) == 0o555


@pytest.mark.timeout(60)
def test_retry_paths_stay_inside_the_source(tmp_path: Path) -> None:
    """ "Retry failed" copies given paths again; "../x" would have read, copied (and with
    move, removed) files beside the source, and written beside the target."""
    source, target = tmp_path / "s" / "src", tmp_path / "d" / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "a.txt").write_bytes(b"a")
    (source / "b.txt").write_bytes(b"b")
    (tmp_path / "s" / "secret.txt").write_bytes(b"not the source's")

    for outside in ("../secret.txt", "..", "sub/../../secret.txt", "/etc/hostname", "a//b"):
        with pytest.raises(ValueError, match="not a path inside the source"):
            CopyJob(str(source), str(target), CopyOptions(move=True), only=[outside])
    assert not (tmp_path / "d").exists()
    assert (tmp_path / "s" / "secret.txt").exists()

    # "." is what a failure of the source folder itself is reported as: retry it all.
    report = CopyJob(str(source), str(target), only=["."]).run()
    assert report.exit_code() == 0, report.failures()
    assert (target / "sub" / "a.txt").read_bytes() == b"a"
    assert (target / "b.txt").read_bytes() == b"b"


@pytest.mark.timeout(60)
def test_a_target_a_killed_run_created_gets_its_metadata_from_the_next_run(
    tmp_path: Path,
) -> None:
    """A new target stays 0700 until the end; killed before, it would stay so for good, as
    a folder of the user's keeps its own. A mark on it says it is Ferry's to finish."""
    source, target, own = tmp_path / "src", tmp_path / "dst", tmp_path / "own"
    source.mkdir(mode=0o755)
    (source / "a.txt").write_bytes(b"a")
    os.chmod(source, 0o755)
    os.utime(source, ns=(T0, T0))
    target.mkdir(mode=0o700)  # as the killed run left it
    os.setxattr(target, "user.ferry.unfinished", b"1")
    (target / "a.txt").write_bytes(b"a")
    own.mkdir(mode=0o700)  # the user's own

    assert CopyJob(str(source), str(target)).run().exit_code() == 0
    assert CopyJob(str(source), str(own)).run().exit_code() == 0

    assert (os.stat(target).st_mode & 0o7777, os.stat(target).st_mtime_ns) == (0o755, T0)
    assert os.listxattr(target) == []
    assert os.stat(own).st_mode & 0o7777 == 0o700  # kept as it was
    fresh = tmp_path / "fresh"
    assert CopyJob(str(source), str(fresh)).run().exit_code() == 0
    assert os.listxattr(fresh) == [] and os.stat(fresh).st_mode & 0o7777 == 0o755
