"""What a copy job is asked to do: options and conflict policies."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

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


class Answer(NamedTuple):
    """A preview's question answered before the job, and the target file it was about.

    It stands only while that file is as the preview found it: a target saved anew since
    is asked about again (else "replace", answered about an old file, would replace it).
    """

    path: str
    policy: ConflictPolicy
    target_size: int
    target_mtime_ns: int


TargetFacts = tuple[int, int]  # a target file's (size, mtime_ns)


MAX_WORKERS = 64  # more only adds processes: each costs memory, disks gain nothing


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
    outputs: tuple[str, ...] = ()  # files the caller writes beside the copy (a log)
    filters: Filters = field(default_factory=Filters)  # left out (and kept by a mirror)
    dry_run: bool = False  # plan only: decide every entry's action, write nothing
    move: bool = False  # remove each source entry once its copy is on disk
    mirror: bool = False  # delete target entries the source does not have
    # Under ASK, answers given before the job (to a preview's "ask" entries).
    decisions: tuple[Answer, ...] = ()

    def outputs_in(self, target: str) -> set[str]:
        """The job's own files (manifest, log) inside the target, relative to it: never
        a mirror's extras (each run deleted the last one's)."""
        root = os.path.realpath(target)
        paths = (
            os.path.join(os.path.realpath(os.path.dirname(p)), os.path.basename(p))
            for p in (self.manifest, *self.outputs)
            if p
        )
        return {os.path.relpath(p, root) for p in paths if os.path.commonpath([p, root]) == root}

    def __post_init__(self) -> None:
        if self.move and self.mirror:
            # The source lacks what a move took from it: a mirror run after an interrupted
            # (or any earlier) move would delete those files from their only place.
            raise ValueError("move and mirror cannot be combined")

    def replaces_what_differs(self) -> bool:
        """Whether the next run replaces a copy dated older than its source: not under
        skip or keep-both (metadata.date_as_stale would only spoil the file's time)."""
        return self.on_conflict not in (ConflictPolicy.SKIP, ConflictPolicy.RENAME)

    def policy_for(self, path: str, target: TargetFacts | None = None) -> ConflictPolicy:
        """What decides `path`: an answer given beforehand, else `on_conflict`.

        target: the (size, mtime_ns) of the file now at the target name; an answer about
        another file does not stand. None: not looked at yet (the worker's conflict will
        tell), or nothing there.
        """
        answer = self.answer_for(path)
        if answer is None or target not in (None, (answer.target_size, answer.target_mtime_ns)):
            return self.on_conflict
        return answer.policy

    def answer_for(self, path: str) -> Answer | None:
        """The answer given beforehand for `path`, whatever the target holds now."""
        if self.decisions and self.on_conflict is ConflictPolicy.ASK:
            return _answers(self.decisions).get(path)
        return None

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else default_workers()

    def hashing(self) -> Algorithm | None:
        """The hash workers compute while copying: the manifest's, else xxh3-128 to verify."""
        if self.manifest:
            return Algorithm.for_manifest(self.manifest)
        return Algorithm.XXH128 if self.verify else None


@functools.lru_cache(maxsize=4)
def _answers(decisions: tuple[Answer, ...]) -> dict[str, Answer]:
    return {answer.path: answer for answer in decisions}  # once per job, not once per file
