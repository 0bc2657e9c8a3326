"""What a copy job is asked to do: options and conflict policies."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from enum import StrEnum

from app.core.filters import Filters
from app.core.hashing import Algorithm


class ConflictPolicy(StrEnum):
    """What to do when a file of the same name already exists in the target."""

    NEWER = "newer"  # replace only if the source is newer (or same time, other size)
    SKIP = "skip"  # never touch an existing file
    OVERWRITE = "overwrite"  # always replace
    RENAME = "rename"  # keep both: the copy goes to "name (2).ext"
    ASK = "ask"  # the job's caller decides file by file
    # Ask, except where the target's file has the same content (the window's answer
    # "for all: skip identical"); like ASK, it needs a caller that answers.
    SKIP_IDENTICAL = "skip_identical"


@functools.cache
def default_workers() -> int:
    # Cached: os.cpu_count() reads /sys each time (~80 us), and the job asks every loop.
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class CopyOptions:
    """Options of one copy job; picklable, handed to every worker once."""

    workers: int = 0  # 0 means one per CPU
    on_conflict: ConflictPolicy = ConflictPolicy.NEWER
    follow_symlinks: bool = False
    fsync: bool = False
    verify: bool = False  # read every copy back from the device and compare
    manifest: str = ""  # write checksums of the copied tree to this file
    filters: Filters = field(default_factory=Filters)  # left out (and kept by a mirror)
    dry_run: bool = False  # plan only: decide every entry's action, write nothing
    move: bool = False  # remove each source entry once its copy is on disk
    mirror: bool = False  # delete target entries the source does not have
    # Under ASK, answers given before the job (to a preview's "ask" entries): path, policy.
    decisions: tuple[tuple[str, ConflictPolicy], ...] = ()

    def __post_init__(self) -> None:
        if self.move and self.mirror:
            # The source lacks what a move took from it: a mirror run after an interrupted
            # (or any earlier) move would delete those files from their only place.
            raise ValueError("move and mirror cannot be combined")

    def policy_for(self, path: str) -> ConflictPolicy:
        """What decides `path`: an answer given beforehand, else `on_conflict`."""
        if self.decisions and self.on_conflict is ConflictPolicy.ASK:
            return _answers(self.decisions).get(path, self.on_conflict)
        return self.on_conflict

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else default_workers()

    def hashing(self) -> Algorithm | None:
        """The hash workers compute while copying: the manifest's, else xxh3-128 to verify."""
        if self.manifest:
            return Algorithm.for_manifest(self.manifest)
        return Algorithm.XXH128 if self.verify else None


@functools.lru_cache(maxsize=4)
def _answers(decisions: tuple[tuple[str, ConflictPolicy], ...]) -> dict[str, ConflictPolicy]:
    return dict(decisions)  # once per job, not once per file
