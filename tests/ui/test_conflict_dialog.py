"""The Ask dialog: rows that never clip, sizes that differ, which file is newer, for all."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.core.events import ConflictQuestion, FileResult, FileStatus
from app.core.options import ConflictPolicy
from app.core.reasons import Code, Reason
from app.ui.conflict_dialog import ConflictDialog
from app.ui.format import human_count
from app.ui.main_window import MainWindow
from tests.ui.util import click_start, fill

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


# Names at the 255-byte limit: no space and no separator to wrap at. The Latin one hides
# a right-to-left override, which must show as an escape and reorder nothing.
LONG_NAMES = {
    "latin": "a_very_long_file_name_" + "x" * 200 + "\u202etxt.exe",
    "chinese": "一个非常长的文件名" * 9 + ".txt",
}


def assert_fits_the_screen(dialog: ConflictDialog) -> None:
    screen = dialog.screen().availableGeometry()
    assert screen.contains(dialog.frameGeometry()), (dialog.frameGeometry(), screen)
    for button in (
        dialog.replaceButton,
        dialog.skipButton,
        dialog.keepBothButton,
        dialog.replaceOlderButton,
        dialog.skipIdenticalButton,
    ):
        name = button.objectName()
        assert button.visibleRegion().boundingRect() == button.rect(), name
        box = button.rect().translated(button.mapToGlobal(button.rect().topLeft()))
        assert screen.contains(box), (name, box, screen)
    assert_nothing_clipped(dialog)


def click(qtbot: QtBot, button: QPushButton) -> None:
    """Click as the mouse would, where the button is drawn (util.click refuses to click
    inside a window-modal dialog)."""
    QApplication.sendPostedEvents()
    top = button.window()
    assert top.childAt(button.mapTo(top, button.rect().center())) is button
    with qtbot.waitSignal(button.clicked, timeout=2000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("name", list(LONG_NAMES), ids=list(LONG_NAMES))
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_a_long_name_wraps_and_the_dialog_fits_the_screen(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    tmp_path: Path,
    language: str,
    name: str,
) -> None:
    """A 255-byte name without a space made the dialog wider than the screen (1,640 px
    on 1,366): the buttons were past its edge, out of the mouse's reach."""
    if language == "zh_CN":
        request.getfixturevalue("chinese")
    long_name = LONG_NAMES[name]
    source, target = tmp_path / "src", tmp_path / "dst"
    for folder in (source, target):
        folder.mkdir()
    for each in (long_name, "short.txt"):
        (source / each).write_text("new")
        (target / each).write_text("old")
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK, workers=1)
    dialog = window.conflictDialog
    click_start(qtbot, window)
    # Both asked: one shown, one waiting behind it.
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.remaining.isVisible(), timeout=20_000)
    asked = []
    while window.report is None:
        qtbot.waitUntil(
            lambda: window.report is not None or dialog.question() is not None, timeout=20_000
        )
        question = dialog.question()
        if question is None:
            break
        qtbot.wait(100)  # (the dialog's layout settles over a few events)
        if question.result.path == long_name:
            shown = dialog.headline.text().replace("\u200b", "")  # (break opportunities)
            if name == "latin":  # escaped, as before
                assert "\u202e" not in shown and "x\\u202etxt.exe”" in shown
            # Wrapped, and kept high enough for every line.
            assert dialog.headline.height() >= dialog.headline.fontMetrics().height() * 2
        # (A short name after the long one: the dialog did not keep an oversized width.)
        assert_fits_the_screen(dialog)
        asked.append(question.result.path)
        click(qtbot, dialog.skipButton)  # the mouse reaches it
        qtbot.waitUntil(lambda q=question: dialog.question() is not q, timeout=20_000)
    assert sorted(asked) == sorted([long_name, "short.txt"])
    qtbot.waitUntil(lambda: window.report is not None, timeout=20_000)


def test_a_very_deep_path_is_elided_in_the_middle_and_told_in_full_in_the_tooltip(
    qtbot: QtBot,
) -> None:
    parts = [f"folder_{i:03}_" + "y" * 40 for i in range(80)]  # 4,000 characters
    path = os.sep.join([*parts, "\u202eend.txt"])
    dialog = ConflictDialog()
    qtbot.addWidget(dialog)
    dialog.enqueue(question(1, path))
    qtbot.waitUntil(dialog.isVisible)
    qtbot.wait(100)
    shown = dialog.headline.text().replace("\u200b", "")
    assert parts[0] in shown and "…" in shown and shown.endswith("\\u202eend.txt”.")
    assert parts[40] not in shown
    tip = dialog.headline.toolTip().replace("\u200b", "")
    assert all(part in tip for part in parts) and "\u202e" not in tip
    assert_fits_the_screen(dialog)


def test_enter_keeps_the_newer_target_file(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    """Enter in the Ask dialog replaced a newer target file (Replace was the default);
    and after a click on Replace, Enter on the next question replaced again."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (source / name).write_text("older source " + name)
        os.utime(source / name, (OLDER // 10**9, OLDER // 10**9))
        (target / name).write_text("newer target")
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK, workers=1)
    dialog = window.conflictDialog
    click_start(qtbot, window)

    asked: list[ConflictQuestion] = []
    for answer in ("enter", "replace", "enter"):
        qtbot.waitUntil(
            lambda: dialog.isVisible() and dialog.question() not in (None, *asked), timeout=20_000
        )
        current = dialog.question()
        assert current is not None
        asked.append(current)
        if answer == "enter":
            qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
        else:
            qtbot.mouseClick(dialog.replaceButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.report is not None, timeout=30_000)

    paths = [question.result.path for question in asked]
    assert (target / paths[0]).read_text() == "newer target"
    assert (target / paths[1]).read_text() == "older source " + paths[1]
    assert (target / paths[2]).read_text() == "newer target"
