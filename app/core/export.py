"""The window's log as CSV: CopyReport.write_csv's columns, the run and verify state of a row."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from app.core.events import FileResult
from app.core.outfile import replaced_text
from app.core.report import csv_cell

COLUMNS = ("path", "status", "bytes", "reason", "target_path", "run", "verify")


def write_log_csv(path: str, rows: Iterable[tuple[FileResult, int, str]]) -> int:
    """Write (result, run, verify) rows; run 1 is the first copy, 2 its first retry, ...;
    verify is what reading the file back found: "ok", "failed", "missing" ("": not read).

    Returns the number of rows written. The first five columns are those of
    CopyReport.write_csv (the CLI's --log), so the same tools read both.
    """
    written = 0
    with replaced_text(path) as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for result, run, verify in rows:
            cells = (result.path, result.status.value, result.bytes, result.reason)
            writer.writerow([csv_cell(cell) for cell in (*cells, result.target_path, run, verify)])
            written += 1
    return written
