"""The worker's two ways of naming files: relative to open folders, and by full path.

Real jobs on Linux only take the first (openat & co). The second is what systems without
dir_fd (Windows) run, so it is driven here in-process, on the same cases, to keep it
from rotting unseen.
"""

from __future__ import annotations

import os
import stat
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from app.core import filecopy, temps, tree, worker
from app.core.events import (
    Batch,
    EntryKind,
    FileResult,
    FileStatus,
    FileTask,
    FolderIds,
    TaskResults,
    WorkerContext,
)
from app.core.options import ConflictPolicy, CopyOptions
from tests.helpers import NOBODY, temps_under

MTIME = 1_600_000_000_123_456_789


class Outbox:
    """Stands in for the forwarder to the Manager: keeps what the worker sends."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    def put(self, message: Any) -> None:
        self.messages.append(message)

    put_and_wait = put


def results_of(outbox: Outbox, tasks: tuple[FileTask, ...]) -> dict[str, FileResult]:
    found = {}
    for message in outbox.messages:
        if isinstance(message, TaskResults):
            for index in message.copied:
                task = tasks[index]
                found[task.path] = FileResult(task.path, FileStatus.COPIED, task.size)
            found.update((result.path, result) for result in message.results)
    return found


@pytest.mark.timeout(60)
@pytest.mark.parametrize("dir_fd", [True, False], ids=["open-folders", "full-paths"])
def test_worker_copies_renames_and_links_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dir_fd: bool
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_bytes(b"alpha")
    big = os.urandom(1 << 20) * 5  # several chunks: the by-name check and writeback too
    (source / "sub" / "b.bin").write_bytes(big)
    os.chmod(source / "sub" / "b.bin", 0o640)
    os.utime(source / "sub" / "b.bin", ns=(MTIME, MTIME))
    os.symlink("../a.txt", source / "sub" / "link")
    (target / "sub").mkdir(parents=True)
    (target / "a.txt").write_bytes(b"mine")

    running, cancel = threading.Event(), threading.Event()
    running.set()
    context = WorkerContext(
        None,
        cancel,
        running,
        CopyOptions(),
        str(source),
        str(target),
        "0123456789ab",  # type: ignore[arg-type]
    )
    outbox = Outbox()
    monkeypatch.setattr(tree, "USE_DIR_FD", dir_fd)
    if not dir_fd:  # as on Windows: no unnamed files either
        monkeypatch.setattr(filecopy, "O_TMPFILE", 0)
    monkeypatch.setattr(worker, "_context", context)
    monkeypatch.setattr(worker, "_outbox", outbox)
    monkeypatch.setattr(worker, "_copier", filecopy.Copier(context, lambda *_: None))
    tasks = (
        FileTask("a.txt", EntryKind.FILE, 5, 0),
        FileTask(os.path.join("sub", "b.bin"), EntryKind.FILE, len(big), 1),
        FileTask(os.path.join("sub", "link"), EntryKind.LINK, 0, 2),
    )
    ids = {"": _ids(source, target), "sub": _ids(source / "sub", target / "sub")}

    worker.copy_batch(7, Batch(tasks, ids), ConflictPolicy.RENAME)

    results = results_of(outbox, tasks)
    assert results["a.txt"].status is FileStatus.RENAMED
    assert results["a.txt"].target_path == "a (2).txt"
    assert (target / "a.txt").read_bytes() == b"mine"
    assert (target / "a (2).txt").read_bytes() == b"alpha"
    assert results["sub/b.bin"].status is FileStatus.COPIED
    copied = target / "sub" / "b.bin"
    assert copied.read_bytes() == big
    assert (copied.stat().st_mode & 0o7777, copied.stat().st_mtime_ns) == (0o640, MTIME)
    assert results["sub/link"].status is FileStatus.COPIED
    assert os.readlink(target / "sub" / "link") == "../a.txt"
    assert temps_under(target) == []
    assert outbox.messages[-1].finished


def _ids(source: Path, target: Path) -> FolderIds:
    return FolderIds(tree.identity(source.stat()), tree.identity(target.stat()))


def in_process_worker(
    monkeypatch: pytest.MonkeyPatch, source: Path, target: Path, options: CopyOptions | None = None
) -> Outbox:
    """Set this process up as a worker of a job from source to target; what it sends."""
    running = threading.Event()
    running.set()
    context = WorkerContext(
        None,
        threading.Event(),  # type: ignore[arg-type]
        running,  # type: ignore[arg-type]
        options or CopyOptions(),
        str(source),
        str(target),
        "0123456789ab",
    )
    outbox = Outbox()
    monkeypatch.setattr(worker, "_context", context)
    monkeypatch.setattr(worker, "_outbox", outbox)
    monkeypatch.setattr(worker, "_copier", filecopy.Copier(context, lambda *_: None))
    return outbox


@pytest.mark.timeout(60)
@pytest.mark.parametrize("proc", [True, False], ids=["proc-fd", "no-proc"])
def test_a_hard_link_or_a_moved_file_replaces_an_older_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proc: bool
) -> None:
    """Data that is not in the target folder yet (the copy a hard link joins, the source
    of a move) replaces a name, with or without /proc/self/fd (as on macOS)."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "first").write_bytes(b"shared")
    os.link(source / "first", source / "second")
    (source / "moved").write_bytes(b"new")
    (target / "first").write_bytes(b"shared")  # the first name's copy, landed
    first = os.stat(source / "first")
    os.utime(target / "first", ns=(first.st_atime_ns, first.st_mtime_ns))
    (target / "second").write_bytes(b"an older file")
    (target / "moved").write_bytes(b"old")
    monkeypatch.setattr(filecopy, "HAS_PROC_FD", proc)
    if not proc:
        monkeypatch.setattr(filecopy, "O_TMPFILE", 0)
    outbox = in_process_worker(monkeypatch, source, target, CopyOptions(move=True))
    tasks = (
        FileTask("second", EntryKind.FILE, 6, 0, link_to="first"),
        FileTask("moved", EntryKind.FILE, 3, 1),
    )

    worker.copy_batch(3, Batch(tasks, {"": _ids(source, target)}), ConflictPolicy.OVERWRITE)

    results = results_of(outbox, tasks)
    assert results["second"].status is FileStatus.LINKED, results["second"]
    assert os.path.samefile(target / "second", target / "first")
    assert results["moved"].status is FileStatus.COPIED, results["moved"]
    assert os.path.samefile(target / "moved", source / "moved")  # named, not copied
    assert sorted(os.listdir(target)) == ["first", "moved", "second"]  # no temp left


def plant(path: Path, kind: EntryKind, like: Path) -> None:
    """Someone else's file (or link) at path, with the times of `like` (times can be
    forged; the owner cannot)."""
    if kind is EntryKind.LINK:
        os.symlink("evil"[: len(os.readlink(like))].ljust(len(os.readlink(like)), "!"), path)
    else:
        path.write_bytes(b"evil")
    st = os.lstat(like)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
    os.lchown(path, 4321, 4321)


@pytest.mark.timeout(60)
@pytest.mark.skipif(os.geteuid() != 0, reason="plants a file of another user's")
@pytest.mark.parametrize("kind", [EntryKind.FILE, EntryKind.LINK], ids=["file", "symlink"])
def test_a_second_name_is_never_linked_to_a_file_planted_at_its_first_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: EntryKind
) -> None:
    """In a target folder others may write to, someone renames their own file over the
    first name's copy before the second name is linked: the link must not join it."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    if kind is EntryKind.LINK:
        os.symlink("some/where", source / "first")
    else:
        (source / "first").write_bytes(b"fifty megabytes, say")
    os.link(source / "first", source / "second", follow_symlinks=False)
    planted = target / "first"
    plant(planted, kind, source / "first")
    outbox = in_process_worker(monkeypatch, source, target)
    task = FileTask("second", kind, 0, 0, link_to="first")

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    result = results_of(outbox, (task,))["second"]
    assert result.status is FileStatus.FAILED
    assert result.reason == "the copy it should be linked to was replaced in the target"
    assert not os.path.lexists(target / "second")
    assert planted.lstat().st_nlink == 1
    assert sorted(os.listdir(target)) == ["first"]  # no private folder left


@pytest.mark.timeout(60)
def test_a_target_folder_moved_away_is_not_reported_as_a_vanished_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "a").write_bytes(b"still here")
    (target / "sub").mkdir(parents=True)
    ids = {"sub": _ids(source / "sub", target / "sub"), "": _ids(source, target)}
    os.rename(target / "sub", target / "elsewhere")  # after the feeder made it
    outbox = in_process_worker(monkeypatch, source, target)
    task = FileTask(os.path.join("sub", "a"), EntryKind.FILE, 10, 0)

    worker.copy_batch(1, Batch((task,), ids), ConflictPolicy.NEWER)

    result = results_of(outbox, (task,))[task.path]
    assert result.status is FileStatus.FAILED
    assert result.reason.startswith("a folder on its path is not the one the job found there")
    assert not (target / "sub").exists()


@pytest.mark.timeout(60)
def test_a_target_saved_anew_during_the_copy_is_decided_again_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under "newer", the decision to replace was made for the file the target held then;
    someone saving a newer one while the copy runs must keep theirs."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "doc").write_bytes(b"the source's version")
    os.utime(source / "doc", ns=(MTIME, MTIME))
    (target / "doc").write_bytes(b"an old version")
    os.utime(target / "doc", ns=(MTIME - 10**9, MTIME - 10**9))
    outbox = in_process_worker(monkeypatch, source, target)
    real_copy = filecopy.copy_data

    def copy_while_someone_saves(*args: Any) -> int:
        if not (target / "edit").exists():  # once: as an editor saves, by rename
            (target / "edit").write_bytes(b"someone's newer edit")
            os.utime(target / "edit", ns=(MTIME + 10**9, MTIME + 10**9))
            os.rename(target / "edit", target / "doc")
        return real_copy(*args)

    monkeypatch.setattr(filecopy, "copy_data", copy_while_someone_saves)
    task = FileTask("doc", EntryKind.FILE, 20, 0)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    result = results_of(outbox, (task,))["doc"]
    assert result.status is FileStatus.SKIPPED, result
    assert result.reason == "target is newer, kept"
    assert (target / "doc").read_bytes() == b"someone's newer edit"
    assert temps_under(target) == []


@pytest.mark.timeout(60)
@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_a_link_gets_its_owner_where_nobody_can_swap_a_file_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link's owner is set by name. In a target folder anyone may write to, someone
    renames a hard link to their own file over that name just before: root must not
    give their file the link's owner, nor publish it under the link's name."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir(mode=0o777)
    os.chmod(target, 0o777)  # no sticky bit: anyone may rename anything in it
    os.symlink("somewhere", source / "link")
    theirs = tmp_path / "theirs"
    theirs.write_bytes(b"their file")
    os.chown(theirs, 4321, 4321)
    outbox = in_process_worker(monkeypatch, source, target)
    real_apply = filecopy.metadata.apply_to_link
    swapped = []

    def swap_then_apply(source_ref: str, target_ref: str, st: os.stat_result) -> str:
        for name in os.listdir(target):  # what someone watching the folder sees
            if name.startswith(".ferry-") and (target / name).is_symlink():
                os.link(theirs, target / "planted")
                os.rename(target / "planted", target / name)
                swapped.append(name)
        return real_apply(source_ref, target_ref, st)

    monkeypatch.setattr(filecopy.metadata, "apply_to_link", swap_then_apply)
    task = FileTask("link", EntryKind.LINK, 0, 0)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    assert results_of(outbox, (task,))["link"].status is FileStatus.COPIED
    assert swapped == []  # the link was never in the shared folder under a temp name
    assert os.readlink(target / "link") == "somewhere"
    assert (theirs.stat().st_uid, theirs.stat().st_nlink) == (4321, 1)
    assert sorted(os.listdir(target)) == ["link"]  # its private folder is gone


@pytest.mark.timeout(60)
def test_a_link_is_still_copied_where_new_folders_get_another_owner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On NFS with root squashed (or a FUSE mount that sets owners), the private folder
    is not the user's: the link is made in the target folder itself, with its times."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    os.symlink("somewhere", source / "link")
    os.utime(source / "link", ns=(MTIME, MTIME), follow_symlinks=False)
    outbox = in_process_worker(monkeypatch, source, target)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 4321)  # folders look foreign
    task = FileTask("link", EntryKind.LINK, 0, 0)

    worker.copy_batch(1, Batch((task,), {"": _ids(source, target)}), ConflictPolicy.NEWER)

    assert results_of(outbox, (task,))["link"].status is FileStatus.COPIED
    assert os.readlink(target / "link") == "somewhere"
    assert os.lstat(target / "link").st_mtime_ns == MTIME
    assert sorted(os.listdir(target)) == ["link"]


@pytest.mark.timeout(30)
def test_a_folder_named_like_a_private_one_is_removed_only_if_it_holds_just_the_link(
    tmp_path: Path,
) -> None:
    """Leftovers of a killed worker go; a folder of that name holding anything else (the
    user's, however unlikely its name) keeps all of it, its link too."""
    left = tmp_path / ".ferry-0123456789ab-7-link.part"
    left.mkdir(mode=0o700)
    os.symlink("half-made", left / "link")
    theirs = tmp_path / ".ferry-0123456789ab-8-link.part"
    theirs.mkdir()
    os.symlink("/precious/place", theirs / "link")
    (theirs / "notes.txt").write_bytes(b"keep")
    fd = os.open(tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        temps.remove_stale_temps(tree.Folder(fd, str(tmp_path)), "")
    finally:
        os.close(fd)

    assert not left.exists()
    assert sorted(os.listdir(theirs)) == ["link", "notes.txt"]


@pytest.mark.timeout(60)
def test_a_default_acl_given_to_their_folder_mid_copy_never_reaches_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root copies into folders the source's owner owns: between two files, the owner
    gave the folder a default ACL naming themselves, and every later copy took it, so
    they could read copies of root's files they may not read (review of races). The
    worker asked once a folder; in another's folder it now removes what a copy took."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    for name in ("first", "second"):
        (source / name).write_bytes(b"root's")
        os.chmod(source / name, 0o640)
    os.chown(target, NOBODY, NOBODY)  # theirs, as a copy of their folder is
    outbox = in_process_worker(monkeypatch, source, target)
    ids = {"": _ids(source, target)}
    first = (FileTask("first", EntryKind.FILE, 6, 0),)
    worker.copy_batch(1, Batch(first, ids), ConflictPolicy.NEWER)
    subprocess.run(["setfacl", "-d", "-m", f"u:{NOBODY}:r", str(target)], check=True)
    second = (FileTask("second", EntryKind.FILE, 6, 1),)
    worker.copy_batch(2, Batch(second, ids), ConflictPolicy.NEWER)

    assert results_of(outbox, second)["second"].status is FileStatus.COPIED
    acl = subprocess.run(["getfacl", "-c", str(target / "second")], capture_output=True)
    assert str(NOBODY).encode() not in acl.stdout and b"user:nobody" not in acl.stdout
    assert stat.S_IMODE((target / "second").stat().st_mode) == 0o640
