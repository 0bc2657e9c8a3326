"""The Ask dialog: rows that never clip, sizes that differ, which file is newer, for all."""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.core.events import ConflictQuestion, FileResult, FileStatus
from app.core.options import ConflictPolicy
from app.core.reasons import Code, Reason
from app.ui.conflict_dialog import ConflictDialog
from app.ui.format import human_count

OLDER, NEWER = 1_600_000_000 * 10**9, 1_700_000_000 * 10**9


def question(
    conflict_id: int, path: str, sizes: tuple[int, int] = (4514, 4502), source_newer: bool = True
) -> ConflictQuestion:
    source_time, target_time = (NEWER, OLDER) if source_newer else (OLDER, NEWER)
    result = FileResult(
        path,
        FileStatus.CONFLICT,
        why=Reason(Code.EXISTS),
        source_size=sizes[0],
        target_size=sizes[1],
        source_mtime_ns=source_time,
        target_mtime_ns=target_time,
    )
    return ConflictQuestion(conflict_id, result)


def deep_name() -> str:
    return os.sep.join(f"a rather long folder name {i}" for i in range(12)) + os.sep + "f.txt"


def assert_nothing_clipped(dialog: QWidget) -> None:
    inside = dialog.rect()
    for child in dialog.findChildren(QWidget):
        if not child.isVisibleTo(dialog) or not isinstance(child, QLabel | QPushButton):
            continue
        box = child.geometry()
        box.moveTopLeft(child.mapTo(dialog, box.topLeft() - child.pos()))
        assert inside.contains(box), (child.objectName() or child.text(), box, inside)
        if isinstance(child, QLabel) and child.wordWrap():
            assert child.height() >= child.heightForWidth(child.width()), child.text()


def test_a_wrapped_name_never_clips_the_rows(qtbot: QtBot) -> None:
    dialog = ConflictDialog()
    qtbot.addWidget(dialog)
    dialog.enqueue(question(1, "short.txt"))
    qtbot.waitUntil(dialog.isVisible)
    assert_nothing_clipped(dialog)
    dialog.enqueue(question(2, deep_name()))
    dialog.skipButton.click()  # the long one is shown in the open dialog
    assert dialog.question() is not None and dialog.question().conflict_id == 2
    qtbot.waitUntil(lambda: dialog.headline.height() > dialog.fontMetrics().height() * 2)
    assert_nothing_clipped(dialog)


def test_sizes_that_round_alike_show_exact_bytes_and_the_newer_file_is_said(
    qtbot: QtBot,
) -> None:
    dialog = ConflictDialog()
    qtbot.addWidget(dialog)
    dialog.enqueue(question(1, "a.txt", sizes=(4514, 4502), source_newer=False))
    assert dialog.source_size.text() == f"{human_count(4514)} bytes"
    assert dialog.target_size.text() == f"{human_count(4502)} bytes"
    assert dialog.target_newer.isVisibleTo(dialog) and "newer" in dialog.target_newer.text()
    assert not dialog.source_newer.isVisibleTo(dialog)
    dialog.enqueue(question(2, "b.txt", sizes=(4514, 9_000_000)))
    dialog.skipButton.click()
    assert dialog.source_size.text() == "4.4 KiB" and dialog.target_size.text() == "8.6 MiB"
    assert dialog.source_newer.isVisibleTo(dialog) and not dialog.target_newer.isVisibleTo(dialog)


def test_replace_older_answers_for_all(qtbot: QtBot) -> None:
    dialog = ConflictDialog()
    qtbot.addWidget(dialog)
    dialog.enqueue(question(1, "a.txt"))
    dialog.enqueue(question(2, "b.txt"))
    with qtbot.waitSignal(dialog.decided) as older:
        dialog.replaceOlderButton.click()
    assert older.args == [1, ConflictPolicy.NEWER.value, True]
    assert not dialog.isVisible()  # for all: nothing more is asked
    assert not dialog.enqueue(question(3, "c.txt"))


def test_skip_identical_answers_for_all_and_hears_back_about_files_that_differ(
    qtbot: QtBot,
) -> None:
    dialog = ConflictDialog()
    qtbot.addWidget(dialog)
    dialog.enqueue(question(1, "a.txt"))
    dialog.enqueue(question(2, "b.txt"))
    assert dialog.skipIdenticalButton.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.decided) as identical:
        dialog.skipIdenticalButton.click()
    assert identical.args == [1, ConflictPolicy.SKIP_IDENTICAL.value, True]
    assert not dialog.isVisible() and not dialog.waiting()
    # c.txt was asked before the engine heard the answer: it compares c.txt first.
    assert not dialog.enqueue(question(3, "c.txt"))
    assert not dialog.isVisible() and not dialog.waiting()
    # The engine compared b.txt, found it different and asks again: it is shown.
    assert dialog.enqueue(replace(question(2, "b.txt"), compared=True))
    assert dialog.isVisible() and dialog.question() is not None
