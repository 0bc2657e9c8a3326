"""How a target file system compares names: byte for byte (most Linux), or ignoring
case and maybe the Unicode form (vfat, NTFS, macOS, ext4 casefold). Found by a probe file
(the job) or by reading names already there (a dry run, which writes nothing)."""

from __future__ import annotations

import contextlib
import os
import unicodedata
from collections.abc import Callable

from app.core.events import TEMP_PREFIX, TEMP_SUFFIX
from app.core.tree import Folder

NameKey = Callable[[str], str]  # a name as the file system compares it


def fold_case(name: str) -> str:
    return unicodedata.normalize("NFD", name).casefold()


def fold_form(name: str) -> str:
    return unicodedata.normalize("NFD", name)


def name_key_of(folder: Folder) -> NameKey | None:
    """How the target folder compares names, probed: None if byte for byte (most Linux).

    Case-insensitive targets (vfat, NTFS, macOS, ext4 casefold) often also ignore the
    Unicode form (café as one or as two code points); then both are folded.
    """
    probe = f"{TEMP_PREFIX}{os.getpid()}-Case-\u00e9{TEMP_SUFFIX}"
    try:
        before = os.stat(folder.self_ref())
        fd = os.open(
            folder.ref(probe), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600, dir_fd=folder.fd
        )
        os.close(fd)
    except OSError:
        return None  # nothing can be written here: every file will say why
    try:
        folds_case = _exists(folder, probe.swapcase())
        folds_form = _exists(folder, unicodedata.normalize("NFD", probe))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(folder.ref(probe), dir_fd=folder.fd)
        # The probe must not count as a change: a re-run leaves the target as it was.
        # (A shared folder that is not ours may refuse; its time then moves, nothing else.)
        with contextlib.suppress(OSError):
            os.utime(folder.self_ref(), ns=(before.st_atime_ns, before.st_mtime_ns))
    if folds_case:
        return fold_case
    return fold_form if folds_form else None


def _exists(folder: Folder, name: str) -> bool:
    try:
        os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
        return True
    except OSError:
        return False


def name_key_by_reading(top: str) -> NameKey | None:
    """How the target compares names, found without writing (a plan makes no probe file):
    the first name with letters, in the other case, names the same file there or not.
    Looked for in the folder, then in its folders on the same file system (a root that
    holds only "2024" says nothing), a few hundred at most.

    None (byte for byte) also when no such name is found: nothing to confuse then.
    """
    try:
        device = os.lstat(top).st_dev
    except OSError:
        return None
    folders = [top]
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.swapcase() != entry.name:
                return _key_shown_by(folder, entry.name)
            if entry.is_dir(follow_symlinks=False) and len(folders) < _FOLDERS_TO_READ:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_dev == device:
                        folders.append(entry.path)
    return None


_FOLDERS_TO_READ = 256


def _key_shown_by(folder: str, name: str) -> NameKey | None:
    """Whether `name` in the other case is the same file: then names are folded."""
    try:
        same = os.path.samestat(
            os.lstat(os.path.join(folder, name)),
            os.lstat(os.path.join(folder, name.swapcase())),
        )
    except OSError:
        return None
    return fold_case if same else None
