"""The engine's English reasons, refusals and notices, translated for display."""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QCoreApplication

# app/core stays Qt-free and its English texts are the CLI/JSON contract, so the window
# recognises them here instead. Every text below is copied from app/core: when the engine
# words something differently, it simply shows in English again (unknown text passes
# through), never wrongly. OS error texts (strerror) are not the engine's: they pass too.
# lupdate only reads string literals, hence the repeated context name.
CONTEXT = "EngineText"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark text for lupdate; translated later, at display time (typed: PySide's says object)."""
    return text


_FIXED = frozenset(
    {
        # scan.py
        QT_TRANSLATE_NOOP("EngineText", "not a regular file: a named pipe (FIFO), skipped"),
        QT_TRANSLATE_NOOP("EngineText", "not a regular file: a socket, skipped"),
        QT_TRANSLATE_NOOP("EngineText", "not a regular file: a character device, skipped"),
        QT_TRANSLATE_NOOP("EngineText", "not a regular file: a block device, skipped"),
        QT_TRANSLATE_NOOP("EngineText", "not a regular file, skipped"),
        QT_TRANSLATE_NOOP("EngineText", "broken symbolic link"),
        QT_TRANSLATE_NOOP("EngineText", "vanished during the scan"),
        QT_TRANSLATE_NOOP("EngineText", "symbolic link loop: folder already copied"),
        QT_TRANSLATE_NOOP("EngineText", "Target is the source folder itself."),
        QT_TRANSLATE_NOOP(
            "EngineText", "Target is inside the source folder; the copy would never end."
        ),
        # feeder.py
        QT_TRANSLATE_NOOP("EngineText", "the target has a file where this folder goes"),
        QT_TRANSLATE_NOOP("EngineText", "the target has a symbolic link where this folder goes"),
        QT_TRANSLATE_NOOP(
            "EngineText", "another file's name differs only in case; the target ignores case"
        ),
        QT_TRANSLATE_NOOP("EngineText", "already up to date"),
        # worker.py
        QT_TRANSLATE_NOOP("EngineText", "changed during copy"),
        QT_TRANSLATE_NOOP("EngineText", "cancelled"),
        QT_TRANSLATE_NOOP("EngineText", "vanished before it could be copied"),
        QT_TRANSLATE_NOOP("EngineText", "became a symbolic link during the copy"),
        QT_TRANSLATE_NOOP("EngineText", "a folder of that name exists in the target"),
        QT_TRANSLATE_NOOP("EngineText", "exists in the target"),
        QT_TRANSLATE_NOOP("EngineText", "target is newer, kept"),
        QT_TRANSLATE_NOOP("EngineText", "no free name for a renamed copy"),
        # job.py
        QT_TRANSLATE_NOOP("EngineText", "its worker process died while copying it (tried twice)"),
        QT_TRANSLATE_NOOP("EngineText", "The target disk is full: no new files were started."),
        QT_TRANSLATE_NOOP(
            "EngineText", "A worker pool did not shut down in time and was abandoned."
        ),
    }
)

# (what the engine says, its translatable form with %1.., the groups that are themselves
# engine texts). Groups not listed (paths, numbers, OS errors) are shown as they are.
_PATTERNS: tuple[tuple[re.Pattern[str], str, frozenset[int]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), template, frozenset(nested))
    for pattern, template, nested in (
        (
            r"its folder could not be created: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "its folder could not be created: %1"),
            {1},
        ),
        (
            r"cannot create folder: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "cannot create folder: %1"),
            set(),
        ),
        (
            r"followed a symbolic link out of the source, to (.*)",
            QT_TRANSLATE_NOOP("EngineText", "followed a symbolic link out of the source, to %1"),
            set(),
        ),
        (
            r"worker error: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "worker error: %1"),
            set(),
        ),
        (
            r"Source folder does not exist: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "Source folder does not exist: %1"),
            set(),
        ),
        (
            r"Source is not a folder: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "Source is not a folder: %1"),
            set(),
        ),
        (
            r"Cannot read the source folder: (.*?) \((.*)\)",
            QT_TRANSLATE_NOOP("EngineText", "Cannot read the source folder: %1 (%2)"),
            set(),
        ),
        (
            r"Target exists and is not a folder: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "Target exists and is not a folder: %1"),
            set(),
        ),
        (
            r"Target folder is not writable: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "Target folder is not writable: %1"),
            set(),
        ),
        (
            r"Cannot create the target folder: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "Cannot create the target folder: %1"),
            set(),
        ),
        (
            r"Not enough space in the target: ([\d,]+) bytes to write, ([\d,]+) free\.",
            QT_TRANSLATE_NOOP(
                "EngineText", "Not enough space in the target: %1 bytes to write, %2 free."
            ),
            set(),
        ),
        (
            r"Scanning stopped early: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "Scanning stopped early: %1"),
            set(),
        ),
        (
            r"Progress channel lost \((\w+)\); job stopped\.",
            QT_TRANSLATE_NOOP("EngineText", "Progress channel lost (%1); job stopped."),
            set(),
        ),
        (
            r"A worker process \(([\d, ]+)\) died; its files are being retried\.",
            QT_TRANSLATE_NOOP(
                "EngineText", "A worker process (%1) died; its files are being retried."
            ),
            set(),
        ),
        (
            r"(.*): cannot set folder time or mode: (.*)",
            QT_TRANSLATE_NOOP("EngineText", "%1: cannot set folder time or mode: %2"),
            set(),
        ),
    )
)
_MARKER = re.compile(r"%([1-9])")


def engine_text(text: str) -> str:
    """`text` from app/core (a reason, refusal or notice) in the window's language.

    Only for display: logs written for machines keep the engine's English.
    """
    if text in _FIXED:
        return QCoreApplication.translate(CONTEXT, text)
    for pattern, template, nested in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = [
            engine_text(value) if number in nested else value
            for number, value in enumerate(match.groups(), 1)
        ]
        translated = QCoreApplication.translate(CONTEXT, template)
        # One pass, so a path that contains "%2" is not substituted again.
        return _MARKER.sub(functools.partial(_value, values), translated)
    return text


def _value(values: list[str], marker: re.Match[str]) -> str:
    number = int(marker.group(1))
    return values[number - 1] if number <= len(values) else marker.group(0)
