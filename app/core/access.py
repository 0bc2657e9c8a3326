"""What a dry run learns of this user's rights, opening and writing nothing to find out.

A copy finds out by trying: a refusal, or a folder of the user's own it opens to them
(folders.open_to_us). A plan must say the same from the folders' modes alone.
"""

from __future__ import annotations

import errno
import os
import stat

from app.core import tree
from app.core.reasons import Code, Reason
from app.core.tree import Folder

FolderFacts = tuple[os.stat_result, bool, bool]  # its stat, writable by us, on a read-only mount


class TargetAccess:
    """The target folders (there already, by path in the target) a copy could not write
    into, those it opens to this user, and those of theirs the plan cannot look into."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.opened: set[str] = set()  # a copy into them opens them: the mirror then deletes
        self.unseen: list[str] = []
        self._facts: dict[str, FolderFacts | None] = {}

    def refusal(
        self, folder: str, existing: os.stat_result | None, opens_own: bool = True
    ) -> Reason | None:
        """Why a copy could not be made in `folder`: not this user's to write into or
        enter (with `opens_own`, as a copy may, not even to open to themselves), or sticky
        and the file it replaces, `existing`, another's."""
        facts = self._facts_of(folder)
        owner = None if existing is None else existing.st_uid
        error = 0 if facts is None else tree.refusal_in(*facts, owner, opens_own)
        if facts is not None and not error and not facts[1]:
            self.opened.add(folder)
        if error == errno.EPERM:  # (renamed over it: "cannot give the copy its name")
            return Reason(Code.CANNOT_NAME, (os.strerror(error),))
        return Reason(Code.CANNOT_CREATE, (os.strerror(error),)) if error else None

    def note_folder(self, folder: str, st: os.stat_result) -> None:
        """A target folder found: if it is ours and we may not enter it, the plan sees
        nothing in it, but the copy opens it to us and finds what it holds."""
        ours = tree.EUID != 0 and st.st_uid == tree.EUID
        if ours and not st.st_mode & stat.S_IXUSR:
            self.unseen.append(folder or ".")

    def notices(self) -> tuple[Reason, ...]:
        if not self.unseen:
            return ()
        return (Reason(Code.TARGET_FOLDERS_UNSEEN, (len(self.unseen), self.unseen[0])),)

    def _facts_of(self, folder: str) -> FolderFacts | None:
        if folder not in self._facts:
            path = os.path.join(self.target, folder)
            try:
                read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
                facts = (os.stat(path), os.access(path, os.W_OK | os.X_OK), read_only)
            except OSError:
                facts = None  # (the copy says what it finds)
            self._facts[folder] = facts
        return self._facts[folder]


def unreadable(folder: Folder, name: str, follow_symlinks: bool) -> Reason | None:
    """Why a copy could not open the source file `name` for reading."""
    readable = os.access(
        folder.ref(name), os.R_OK, dir_fd=folder.fd, follow_symlinks=follow_symlinks
    )
    return None if readable else Reason(Code.CANNOT_OPEN_SOURCE, (os.strerror(errno.EACCES),))
