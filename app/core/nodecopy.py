"""Copy the entries that hold no data: symbolic links, named pipes, sockets and device
nodes. Each is made where no one else can reach it (symlinks.py), then named."""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from app.core.conflicts import (
    Action,
    Decision,
    StatFacts,
    decide,
    refreshes,
    texts_differ,
    unshared,
    why_copied,
)
from app.core.events import FileResult, FileStatus, FileTask, WorkerContext
from app.core.failures import ChangedDuringCopy, Failed, step
from app.core.naming import kept_before, publish
from app.core.options import ConflictPolicy
from app.core.places import REFRESHED, UP_TO_DATE, Place, existing_at, published, settled
from app.core.reasons import Code, Reason
from app.core.scan import is_device, is_special, on_nodev, special_file_reason
from app.core.symlinks import Made, SourceEntry, new_link, new_special, refresh_in_place
from app.core.tree import HAS_PROC_FD, NOFOLLOW, O_PATH, PROC_FD, inside

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class NodeCopier:
    """Links and special files for one worker's Copier; `lose` counts xattrs not kept."""

    def __init__(self, ctx: WorkerContext, source_real: str, lose: Callable[[str], None]) -> None:
        self.ctx = ctx
        self.source_real = source_real
        self.lose = lose

    # --- symbolic links -----------------------------------------------------------------

    def symlink(self, item: FileTask, place: Place, policy: ConflictPolicy) -> FileResult:
        """Made anew with the source link's text: never followed."""
        src, dst = place.src, place.dst
        with step(Code.CANNOT_OPEN_SOURCE):
            st = os.stat(src.ref(place.name), dir_fd=src.fd, follow_symlinks=False)
            if not stat.S_ISLNK(st.st_mode):
                raise ChangedDuringCopy
            link_target = os.readlink(src.ref(place.name), dir_fd=src.fd)
        existing = existing_at(place, item.fresh)
        facts = StatFacts.of(st)
        there = (dst.fd, dst.ref(place.name))
        elsewhere = texts_differ((src.fd, src.ref(place.name)), there, facts, existing)
        decision = decide(policy, facts, existing, elsewhere)
        if decision.action not in (Action.COPY, Action.REPLACE, Action.RENAME):
            return settled(item, st, decision, existing)
        if decision.action is Action.RENAME and (
            kept := kept_before(place.dst, place.name, st, place.src)
        ):
            return published(item, place, kept, FileStatus.SKIPPED, 0, UP_TO_DATE)
        made = functools.partial(new_link, dst, link_target, src.entry_ref(place.name), st)
        return self._publish_made(item, place, made, decision, (facts, existing))

    def _publish_made(
        self,
        item: FileTask,
        place: Place,
        made: Callable[[tuple[str, str]], AbstractContextManager[Made]],
        decision: Decision,
        seen: tuple[StatFacts, os.stat_result | None],
    ) -> FileResult:
        """Name a link or special file made privately (symlinks) as the decision says;
        `seen`: the source's facts and the target's entry when it was decided."""
        existing = seen[1]
        names = (self.ctx.link_folder_name(item.serial), self.ctx.temp_name(item.serial))
        with made(names) as (data, lost, notes):
            self.lose(lost)
            action, fresh = decision.action, item.fresh
            name = publish(
                place.dst, place.name, data, action, names[1], fresh, existing, place.src
            )
        why = notes[0] if notes else why_copied(decision, *seen)  # (a note first, as a file's)
        return published(item, place, name, FileStatus.COPIED, 0, why)

    # --- named pipes, sockets and device nodes --------------------------------------------

    def special(self, item: FileTask, place: Place, policy: ConflictPolicy) -> FileResult:
        """Made anew in the target (mknod), as cp -a does: they hold no data. Where the
        target cannot make one (vfat; a device node without root), skipped and said so."""
        with self._special_source(place) as source:
            st, existing = source.st, existing_at(place, item.fresh)
            decision = unshared(decide(policy, StatFacts.of(st), existing), policy, st, existing)
            refresh = existing is not None and refreshes(decision, st, existing)
            if refresh and existing is not None:
                if self._refreshed_in_place(item, place, source, existing):
                    return FileResult(item.path, FileStatus.SKIPPED, 0, REFRESHED)
                decision = Decision(Action.REPLACE, REFRESHED)  # (no data: made again)
            if decision.action not in (Action.COPY, Action.REPLACE, Action.RENAME):
                return settled(item, st, decision, existing)
            if decision.action is Action.RENAME and (
                kept := kept_before(place.dst, place.name, st, place.src)
            ):
                return published(item, place, kept, FileStatus.SKIPPED, 0, UP_TO_DATE)
            made = functools.partial(new_special, place.dst, source)
            seen = (StatFacts.of(st), existing)
            result = self._publish_made(item, place, made, decision, seen)
        return result._replace(status=FileStatus.SKIPPED) if refresh else result  # as a file's

    @contextlib.contextmanager
    def _special_source(self, place: Place) -> Iterator[SourceEntry]:
        """The source special file, held by an O_PATH descriptor where Linux has one, so
        that its stat and its xattrs (read through /proc) are of that very entry, never of
        one swapped in at its name meanwhile. Following links, one that lies outside the
        source (through a link to /dev, say) is skipped: no device node is made of it."""
        src = place.src
        if not (O_PATH and HAS_PROC_FD):
            with step(Code.CANNOT_OPEN_SOURCE):
                st = os.stat(src.ref(place.name), dir_fd=src.fd, follow_symlinks=False)
            yield self._checked_special(SourceEntry(src.entry_ref(place.name), False, st))
            return
        with step(Code.CANNOT_OPEN_SOURCE):
            fd = os.open(src.ref(place.name), O_PATH | NOFOLLOW | _CLOEXEC, dir_fd=src.fd)
        try:
            yield self._checked_special(SourceEntry(f"{PROC_FD}/{fd}", True, os.fstat(fd)))
        finally:
            os.close(fd)

    def _checked_special(self, source: SourceEntry) -> SourceEntry:
        mode = source.st.st_mode
        if not is_special(mode):
            raise ChangedDuringCopy  # a file or link now: decided again
        if is_device(mode) and on_nodev(source.ref):  # (a pipe when scanned, say)
            raise Failed(Reason(Code.DEVICE_ON_NODEV), 0, FileStatus.SKIPPED)
        if self.ctx.options.follow_symlinks and not inside(source.ref, self.source_real):
            raise Failed(special_file_reason(mode), 0, FileStatus.SKIPPED)
        return source

    def _refreshed_in_place(
        self, item: FileTask, place: Place, source: SourceEntry, copy: os.stat_result
    ) -> bool:
        """Whether the copy's metadata was set again on the copy itself (symlinks), which
        keeps its other names on it."""
        private = self.ctx.link_folder_name(item.serial)
        done = refresh_in_place(place.dst, place.name, copy, source, private)
        if done is not None:
            self.lose(done[1])
        return done is not None
