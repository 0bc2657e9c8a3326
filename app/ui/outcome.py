"""How the engine's results and texts read in the window: the one place that words them."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication

from app.core.events import FileResult, FileStatus
from app.core.readback import CheckStatus
from app.core.reasons import Reason
from app.core.report import CopyReport
from app.ui.reasons import engine_text

CONTEXT = "Outcome"


class Outcome(IntEnum):
    """What happened to one file, as the window shows and filters it."""

    COPIED = 0
    KEPT_BOTH = 1
    SKIPPED = 2
    FAILED = 3
    CANCELLED = 4  # interrupted mid-copy, or never started
    CONFLICT = 5  # waiting for an answer (never final)
    VERIFIED = 6  # read back from the disk: the same data as the source (or manifest)
    MISMATCH = 7  # read back: other data (a failure, with the verify reason)
    MISSING = 8  # not there to read back (a failure)
    PLANNED = 9  # a preview (dry run): what a copy would do, nothing written
    DELETED = 10  # mirror: removed from the target, the source has no such entry


_BY_STATUS = {
    FileStatus.COPIED: Outcome.COPIED,
    FileStatus.LINKED: Outcome.COPIED,  # a hard link to a copied file: the reason says which
    FileStatus.RENAMED: Outcome.KEPT_BOTH,
    FileStatus.SKIPPED: Outcome.SKIPPED,
    FileStatus.FAILED: Outcome.FAILED,
    FileStatus.CONFLICT: Outcome.CONFLICT,
    FileStatus.CANCELLED: Outcome.CANCELLED,
    FileStatus.PLANNED: Outcome.PLANNED,
    FileStatus.DELETED: Outcome.DELETED,
}


def outcome(result: FileResult) -> Outcome:
    return _BY_STATUS.get(result.status, Outcome.FAILED)


def outcome_text(kind: Outcome) -> str:
    texts = {
        Outcome.COPIED: QCoreApplication.translate("Outcome", "Copied"),
        Outcome.KEPT_BOTH: QCoreApplication.translate("Outcome", "Kept both"),
        Outcome.SKIPPED: QCoreApplication.translate("Outcome", "Skipped"),
        Outcome.FAILED: QCoreApplication.translate("Outcome", "Failed"),
        Outcome.CANCELLED: QCoreApplication.translate("Outcome", "Cancelled"),
        Outcome.CONFLICT: QCoreApplication.translate("Outcome", "Conflict"),
        Outcome.PLANNED: QCoreApplication.translate("Outcome", "Planned"),
        Outcome.DELETED: QCoreApplication.translate("Outcome", "Deleted"),
        Outcome.VERIFIED: QCoreApplication.translate("Outcome", "Verified"),
        Outcome.MISMATCH: QCoreApplication.translate("Outcome", "Mismatch"),
        Outcome.MISSING: QCoreApplication.translate("Outcome", "Missing"),
    }
    return texts[kind]


def action_text(action: str) -> str:
    """A preview's planned action (plan.Planned values), as the log's status says it."""
    texts = {
        "copy": QCoreApplication.translate("Outcome", "Will copy"),
        "replace": QCoreApplication.translate("Outcome", "Will replace"),
        "rename": QCoreApplication.translate("Outcome", "Will keep both"),
        "skip": QCoreApplication.translate("Outcome", "Will skip"),
        "delete": QCoreApplication.translate("Outcome", "Will delete"),
        "link": QCoreApplication.translate("Outcome", "Will link"),
        "ask": QCoreApplication.translate("Outcome", "Will ask"),
    }
    return texts.get(action, action)


CHECKED_OUTCOME = {
    CheckStatus.OK: Outcome.VERIFIED,
    CheckStatus.FAILED: Outcome.MISMATCH,
    CheckStatus.MISSING: Outcome.MISSING,
}


def reason_text(result: FileResult) -> str:
    """The Reason of a row or a failure, in the window's language."""
    if outcome(result) is Outcome.CANCELLED:
        return QCoreApplication.translate("Outcome", "stopped by Cancel; no partial file was left")
    return engine_text(result.why)


def message_text(why: Reason | str | None) -> str:
    """A refusal or notice of the engine, in the window's language ("" for none)."""
    return engine_text(why)


def not_copied(report: CopyReport) -> int:
    """Files a cancelled job did not copy: interrupted ones plus those never started."""
    return report.count(FileStatus.CANCELLED) + report.not_started  # results may be few
