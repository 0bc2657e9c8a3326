"""The end-of-job flush writes out the file systems the job wrote to, and says if it failed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from app.core import flush
from app.core.events import FileStatus
from app.core.job import CopyJob
from app.core.options import CopyOptions
from app.core.reasons import Code
from app.core.tree import identity
from tests.helpers import in_private_mounts, needs_namespaces

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs(2) is Linux's")


@linux_only
def test_linux_flushes_with_syncfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append("sync()"))
    (tmp_path / "data").write_bytes(b"x" * 100_000)

    assert flush.flush_file_systems(str(tmp_path), {"": identity(os.stat(tmp_path))}) is None

    assert flush._syncfs() is not None
    assert synced == []


def test_a_failed_flush_is_said_never_taken_for_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A syncfs that fails (an I/O error, a disk gone read-only) means the copies may not
    be on the disk: sync() would say nothing, so it is not the fallback any more."""
    synced: list[str] = []
    monkeypatch.setattr(os, "sync", lambda: synced.append("sync()"))
    monkeypatch.setattr(flush, "_syncfs", lambda: lambda fd: -1)
    (tmp_path / "sub").mkdir()
    folders = {"": identity(os.stat(tmp_path)), "sub": identity(os.stat(tmp_path / "sub"))}

    assert (flush.flush_file_systems(str(tmp_path), folders) or "").startswith(".: ")
    monkeypatch.setattr(flush, "_syncfs", lambda: lambda fd: 0)
    os.rmdir(tmp_path / "sub")
    folders["sub"] = (folders[""][0] + 1, 0)  # on a file system of its own, now gone
    assert flush.flush_file_systems(str(tmp_path), folders) == "sub: No such file or directory"
    assert synced == []


@linux_only
def test_a_move_whose_flush_fails_removes_no_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a").write_bytes(b"a")
    (source / "sub" / "b").write_bytes(b"b")
    monkeypatch.setattr(flush, "_syncfs", lambda: lambda fd: -1)

    report = CopyJob(str(source), str(target), CopyOptions(move=True)).run()

    assert report.exit_code() == 1
    assert [r.why and r.why.code for r in report.failures()] == [Code.NOT_FLUSHED]
    assert (report.moved, report.count(FileStatus.COPIED)) == (0, 2)
    assert (source / "a").exists() and (source / "sub" / "b").exists()


@needs_namespaces
@pytest.mark.timeout(90)
def test_a_disk_mounted_inside_the_target_is_flushed_too(tmp_path: Path) -> None:
    """A move's sources go once their copies are on disk: a copy on a disk mounted in the
    target (target/photos) is on that disk's file system, which a flush of the target's
    alone would leave unwritten."""
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "photos").mkdir(parents=True)
    (source / "photos" / "p1").write_bytes(b"photo")
    (source / "top").write_bytes(b"top")
    (target / "photos").mkdir(parents=True)
    driver = (
        "import os, sys\n"
        "from app.core import flush\n"
        "from app.cli import main\n"
        "real = flush._syncfs()\n"
        "def syncfs(fd):\n"
        "    print('synced', os.fstat(fd).st_dev, file=sys.stderr)\n"
        "    return real(fd)\n"
        "flush._syncfs = lambda: syncfs\n"
        "sys.exit(main(['--move', *sys.argv[1:]]))\n"
    )
    script = (
        'mount -t tmpfs tmpfs "$2/photos" || exit 99\n'
        '"$PYTHON" -c "$3" "$1" "$2" >/dev/null || exit\n'
        'stat -c "disk %d" "$2" "$2/photos" >&2\n'
    )

    result = in_private_mounts(script, str(source), str(target), driver)

    assert result.returncode == 0, result.stderr.decode()
    said = result.stderr.decode().split("\n")
    synced = {line.split()[1] for line in said if line.startswith("synced ")}
    disks = {line.split()[1] for line in said if line.startswith("disk ")}
    assert len(disks) == 2 and synced == disks, said
    assert not (source / "photos" / "p1").exists()
