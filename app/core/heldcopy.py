"""What a second name of a hard-linked file joins, in a worker: its first name's copy,
held so that the link names exactly the file checked, not one put there since."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator

from app.core.events import EntryKind, FileTask, FolderIds, WorkerContext
from app.core.failures import Failed, step
from app.core.naming import Linkable, open_file
from app.core.reasons import Code, Reason
from app.core.symlinks import (
    LINK_ENTRY,
    drop_private_link,
    make_private_folder,
    remove_private_folder,
)
from app.core.tree import HAS_PROC_FD, NOFOLLOW, O_PATH, Folder, FolderReplaced, Folders

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

# What a hard link joins: the copy's stat, and what to name it by (called when naming).
Held = tuple[os.stat_result, Callable[[], Linkable]]


class HeldCopies:
    """The copies second names join, found in the target folders a worker keeps open."""

    def __init__(self, ctx: WorkerContext, targets: Folders) -> None:
        self.ctx = ctx
        self.targets = targets

    def held(
        self, item: FileTask, folders: dict[str, FolderIds]
    ) -> contextlib.AbstractContextManager[Held]:
        """The copy of `item.link_to`, held while `item` is named after it."""
        if item.kind is not EntryKind.FILE:  # a link or special file: never opened
            return self._held_link(item, folders)
        return self._held_file(item, folders)

    @contextlib.contextmanager
    def _held_file(self, item: FileTask, folders: dict[str, FolderIds]) -> Iterator[Held]:
        """The copy a hard link joins, held open, so the link names exactly that file."""
        parent, _, name = item.link_to.rpartition(os.sep)
        with step(Code.CANNOT_OPEN_FOLDER):
            folder = self.targets.open(parent, folders[parent].target)
        with step(Code.CANNOT_LINK):
            fd = os.open(
                folder.ref(name), (O_PATH or os.O_RDONLY) | NOFOLLOW | _CLOEXEC, dir_fd=folder.fd
            )
        try:
            if HAS_PROC_FD:
                yield os.fstat(fd), lambda: open_file(fd)
            else:  # no /proc: by name, as checked
                yield os.fstat(fd), lambda: self._copy_by_name(item.link_to, folders)
        finally:
            os.close(fd)

    @contextlib.contextmanager
    def _held_link(self, item: FileTask, folders: dict[str, FolderIds]) -> Iterator[Held]:
        """The copy of a symbolic link or special file that a hard link joins, as seen now.
        A link cannot be held open (/proc will not link it), nor a pipe opened without
        O_PATH: only when it is to be named is it linked into a private folder, and named
        from there if it is still the entry seen."""
        parent, _, name = item.link_to.rpartition(os.sep)
        with step(Code.CANNOT_OPEN_FOLDER):
            folder = self.targets.open(parent, folders[parent].target)
        with step(Code.CANNOT_LINK):
            seen = os.stat(folder.ref(name), dir_fd=folder.fd, follow_symlinks=False)
        made: list[Folder] = []  # the private folder, once made
        try:
            yield seen, lambda: self._linked_privately(item, folders, seen, made)
        finally:
            for private in made:
                if private.fd is not None:
                    os.close(private.fd)
                with contextlib.suppress(OSError):  # its folder is gone: so is it
                    private_name = self.ctx.link_folder_name(item.serial)
                    remove_private_folder(self._folder_of(item.path, folders), private_name)

    def _linked_privately(
        self,
        item: FileTask,
        folders: dict[str, FolderIds],
        seen: os.stat_result,
        made: list[Folder],
    ) -> Linkable:
        """The link seen (_held_link), linked into a private folder of the second name's
        folder: what is named from there is what was checked."""
        private_name = self.ctx.link_folder_name(item.serial)
        folder = self._folder_of(item.path, folders)
        remove_private_folder(folder, private_name)  # left by an attempt whose worker died
        private = make_private_folder(folder, private_name)
        if private is None:  # a file system that gives it another owner: by name, as seen
            return self._copy_by_name(item.link_to, folders)
        made.append(private)
        parent, _, name = item.link_to.rpartition(os.sep)
        copy_folder = self.targets.open(parent, folders[parent].target)
        linked = Linkable(private.ref(LINK_ENTRY), private.fd, False)
        os.link(
            copy_folder.ref(name),
            linked.path,
            src_dir_fd=copy_folder.fd,
            dst_dir_fd=private.fd,
            follow_symlinks=False,
        )
        if not same_file(os.stat(linked.path, dir_fd=private.fd, follow_symlinks=False), seen):
            drop_private_link(private)
            raise Failed(Reason(Code.LINKED_COPY_REPLACED))
        return linked

    def _copy_by_name(self, path: str, folders: dict[str, FolderIds]) -> Linkable:
        folder = self._folder_of(path, folders)
        return Linkable(folder.ref(path.rpartition(os.sep)[2]), folder.fd, False, own=False)

    def _folder_of(self, path: str, folders: dict[str, FolderIds]) -> Folder:
        parent = path.rpartition(os.sep)[0]
        try:
            return self.targets.open(parent, folders[parent].target)
        except FileNotFoundError:  # moved or deleted in the target (as Copier._place)
            raise FolderReplaced(parent) from None


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)
