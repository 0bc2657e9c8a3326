"""Turns the streaming scan into target folders and batches of work, in a thread."""

from __future__ import annotations

from collections.abc import Iterator

from app.core.events import EntryKind, FileResult, FileStatus
from app.core.feeder_files import FeederFiles
from app.core.feeder_folders import FeederFolders
from app.core.scan import Entry, Scanner


class Feeder(FeederFiles, FeederFolders):
    """Walks the source, creates each target folder, and queues batches of files.

    `out` receives Batches, Followers and final FileResults (things settled without a
    worker), then None. Folder metadata is applied later, deepest first (folders.py).

    Each phase is a class of its own module, on the state they share (feeder_state.py):
    folders (feeder_folders.py), files (feeder_files.py), a file's second names
    (feeder_links.py), and a mirror's entries held until the way is cleared
    (feeder_waits.py). This class runs the scan through them.
    """

    def run(self) -> None:
        scanner = Scanner(
            self.roots.source,
            self.options.follow_symlinks,
            self.totals,
            self.roots.ids.source,
            avoid=self.roots.target,
            avoid_id=self.roots.ids.target,
            filters=self.options.filters,
        )
        try:
            self._feed(scanner.walk() if self.only is None else scanner.selected(self.only))
            if not (self.stop.is_set() or self.refusal):
                self._clear_the_way()
            if not (self.stop.is_set() or self.refusal):
                self._renew_owners()
        except BaseException as exc:  # reported by the job; the feeder must always finish
            self.error = exc
        finally:
            scanner.close()
            self._targets.close()
            self._sources.close()
            if self._clearer is not None:
                self._clearer.close()
            self.batches.flush()
            self.scan_done = True
            self.out.put(None)

    def _feed(self, entries: Iterator[Entry | FileResult]) -> None:
        for item in entries:
            if self.stop.is_set() or self.refusal is not None:
                return
            if isinstance(item, FileResult):
                self.totals.files += 1
                self.out.put(item)
            elif (out := self._left_out(item)) is not None:
                if item.kind is EntryKind.DIR:
                    self._block(item.path, out[1], out[0])
                else:
                    self._settle(item, *out)
            elif (clash := self._clash(item)) is not None:
                if item.kind is EntryKind.DIR:
                    self._block(item.path, clash)
                else:
                    self._settle(item, FileStatus.FAILED, clash)
            elif item.kind is EntryKind.DIR:
                self._make_folder(item)
            else:
                self._add_file(item)
            self.batches.flush_stale()

    def _clear_the_way(self) -> None:
        """The entries _defer held: each deletion goes as a mirror deletes an extra, then
        the entry is added as any other (counted again, so first taken back)."""
        self._clearing = True
        self._waiting = set()
        for entry in self._in_the_way:
            if self.stop.is_set() or self.refusal is not None:
                return
            if entry.kind is EntryKind.DIR:
                self._make_folder(entry)
                continue
            if entry.path in self._counted:
                self.room.take_back(self._counted.pop(entry.path))
            if (out := self._left_out(entry)) is not None:  # (its folder is known now)
                self._settle(entry, *out)
                continue
            self._add_file(entry)
            self.batches.flush_stale()
        self._in_the_way = []
