"""What a copy would copy, counted before it starts (its refusal: target.problem)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.core.events import FileResult
from app.core.filters import Filters
from app.core.scan import Scanner, ScanTotals
from app.core.tree import identity


@dataclass(frozen=True)
class Count:
    files: int  # as the job's Progress.files_total counts them
    bytes: int
    complete: bool  # False if the count stopped at its limit or deadline


def count_tree(
    source: str,
    follow_symlinks: bool,
    seconds: float,
    limit: int,
    stopped: Callable[[], bool] = lambda: False,
    filters: Filters | None = None,
) -> Count | None:
    """Walk source as the job's scan does and count; None if `stopped()` said so."""
    deadline = time.monotonic() + seconds
    totals = ScanTotals()
    unlisted = 0  # results the scan decides itself (special files, unreadable folders)
    try:
        root_id = identity(os.stat(source))
        scanner = Scanner(source, follow_symlinks, totals, root_id, filters=filters)
    except OSError:
        return Count(0, 0, False)
    try:
        for item in scanner.walk():
            if isinstance(item, FileResult):
                unlisted += 1
            if stopped():
                return None
            if totals.files + unlisted >= limit or time.monotonic() > deadline:
                return Count(totals.files + unlisted, totals.bytes, False)
    except OSError:
        return Count(totals.files + unlisted, totals.bytes, False)
    finally:
        scanner.close()
    return Count(totals.files + unlisted, totals.bytes, True)
