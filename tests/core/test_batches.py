"""Batches reach the job in the order they were made, the end mark last."""

from __future__ import annotations

import queue
import threading
from typing import Any

import pytest

from app.core.batches import Batcher
from app.core.events import Batch, EntryKind, FileTask, FolderIds, TargetWays
from app.core.namekeys import DeviceWays


@pytest.mark.timeout(30)
def test_a_stale_batch_handed_out_is_never_put_after_the_end_mark() -> None:
    """The job's thread hands out a batch the scan sat on (flush_stale) while the feeder
    ends: its last flush and its end mark came between the taking and the putting of
    that batch, so the job stopped at the mark, and the batch's files were never copied
    (reported "up to date", exit 0)."""
    ids = {"": FolderIds((1, 1), (2, 2))}
    out: queue.Queue[Any] = queue.Queue()
    batcher = Batcher(out, ids, DeviceWays(2, TargetWays()))
    put = out.put
    ender = threading.Thread(target=lambda: (batcher.flush(), put(None)))

    def put_while_the_feeder_ends(item: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(item, Batch) and not ender.is_alive():
            ender.start()  # the feeder's end, as the scan finishes
            ender.join(0.5)  # (before the fix it finished here, its mark first)
        put(item, *args, **kwargs)

    out.put = put_while_the_feeder_ends  # type: ignore[method-assign]
    batcher.add(FileTask("a", EntryKind.FILE, 1, 1), 1)

    batcher.flush()  # from the job's thread
    ender.join(5)

    first, second = out.get_nowait(), out.get_nowait()
    assert isinstance(first, Batch) and first.items[0].path == "a"
    assert second is None
