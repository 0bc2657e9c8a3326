"""The log panel: what it shows at each start, its menu, copying paths, export."""

from __future__ import annotations

import csv
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QContextMenuEvent, QCursor, QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from app.core.events import FileResult, FileStatus
from app.core.reasons import Code, Reason
from app.ui.log_filter import LogFilter
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def test_each_start_shows_all_files_whatever_filter_was_chosen_before(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    files = make_tree(source, folders=2, files_per_folder=3)
    window = make_window()
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    window.logPanel.logFilter.setCurrentIndex(LogFilter.SKIPPED)  # nothing was skipped
    assert window.logPanel.logProxy.rowCount() == 0

    fill(window, source, tmp_path / "again")
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    assert window.logPanel.logFilter.currentIndex() == LogFilter.ALL
    assert window.logPanel.logProxy.rowCount() == files
    window.logPanel.logFilter.setCurrentIndex(LogFilter.FAILED)
    window.close()

    reopened = make_window(settings=Settings(settings_file))
    assert reopened.logPanel.logFilter.currentIndex() == LogFilter.ALL


def test_export_is_enabled_only_when_the_log_has_rows(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window()
    assert not window.logPanel.exportButton.isEnabled()
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    assert window.logPanel.exportButton.isEnabled()


def test_the_exported_log_runs_no_formula_and_no_terminal_control(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ('=HYPERLINK("x","y")', "@SUM(A1)", "title\x1b]0;PWNED\x07"):
        (source / name).write_bytes(b"x")
    window = make_window()
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    exported = tmp_path / "log.csv"
    window.logPanel.export_log(str(exported))

    with exported.open(encoding="utf-8", newline="") as handle:
        paths = {row["path"] for row in csv.DictReader(handle)}
    assert paths == {'\'=HYPERLINK("x","y")', "'@SUM(A1)", "title\\x1b]0;PWNED\\x07"}


def copied_log(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> MainWindow:
    source = tmp_path / "src"
    source.mkdir()
    for index in range(40):
        (source / f"ok_{index:03d}.txt").write_text(str(index))
    window = make_window()
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    return window


def target_paths(window: MainWindow, rows: list[int]) -> str:
    model = window.logPanel.logModel
    target = window.report.target if window.report else ""
    return "\n".join(os.path.join(target, model.result(row).path) for row in rows)


def menu_key(view: QTableView) -> None:
    """What the Menu key sends: a keyboard context menu event (its position is Qt's)."""
    viewport = view.viewport()
    centre = viewport.rect().center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard,
        centre,
        viewport.mapToGlobal(centre),
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, event)


def popup_menu(qtbot: QtBot, window: MainWindow) -> QMenu:
    def shown() -> QMenu | None:
        menus = window.logPanel.findChildren(QMenu, "logMenu")
        return next((menu for menu in menus if menu.isVisible()), None)

    qtbot.waitUntil(lambda: shown() is not None, timeout=5000)
    menu = shown()
    assert menu is not None
    return menu


@pytest.mark.timeout(20)
def test_the_menu_key_acts_on_the_selected_rows_not_where_the_mouse_is(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = copied_log(qtbot, make_window, tmp_path)
    view = window.logPanel.logView
    view.setFocus()
    view.selectRow(27)
    QCursor.setPos(view.viewport().mapToGlobal(view.visualRect(view.model().index(3, 0)).center()))
    menu_key(view)
    menu = popup_menu(qtbot, window)
    menu.actions()[0].trigger()  # Copy path
    assert QGuiApplication.clipboard().text() == target_paths(window, [27])
    menu.close()
    qtbot.waitUntil(lambda: window.logPanel.findChild(QMenu, "logMenu") is None)

    # Several rows: the menu and Ctrl+C take all of them, as paths.
    view.clearSelection()
    for row in (3, 5, 7):
        view.selectionModel().select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == target_paths(window, [3, 5, 7])
    QGuiApplication.clipboard().clear()
    menu_key(view)
    menu = popup_menu(qtbot, window)
    menu.actions()[0].trigger()
    assert QGuiApplication.clipboard().text() == target_paths(window, [3, 5, 7])
    menu.close()


def copied_paths(qtbot: QtBot, window: MainWindow, source: Path, target: Path) -> list[str]:
    """Copy `source`, then every row of the log by Ctrl+C: the clipboard's lines."""
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    view = window.logPanel.logView
    view.setFocus()
    view.selectAll()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    return QGuiApplication.clipboard().text().split("\n")


@pytest.mark.timeout(20)
def test_copied_paths_name_each_file_and_no_other(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """The bytes 0xff 0xfe and the eight characters \\xff\\xfe must not copy alike (the
    paste would reach the other file), nor a name with a newline read as two paths."""
    source = tmp_path / "src"
    source.mkdir()
    names = [b"\xff\xfe", rb"\xff\xfe", b"nl\nx", b"plain name", b"a\xa0b", "a\u00a0b".encode()]
    for name in names:
        (source / os.fsdecode(name)).write_bytes(b"x")
    lines = copied_paths(qtbot, make_window(), source, tmp_path / "dst")
    assert len(lines) == len(names) and len(set(lines)) == len(names)
    assert all(line.startswith("$'") for line in lines)  # quoted alike, the plain one too
    target = os.fsencode(tmp_path / "dst")
    as_shell_reads = {
        subprocess.run(["bash", "-c", f"printf %s {line}"], capture_output=True).stdout
        if line.startswith("$'")
        else os.fsencode(line)
        for line in lines
    }
    assert as_shell_reads == {target + b"/" + name for name in names}


@pytest.mark.timeout(20)
def test_a_failed_export_shows_the_path_as_text_not_as_a_link(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = copied_log(qtbot, make_window, tmp_path)
    folder = tmp_path / "<a href=file:/etc/passwd>Click to repair</a>"
    window.logPanel.export_log(str(folder / "ferry-log.csv"))  # no such folder: fails
    box = window.logPanel.findChild(QMessageBox, "exportFailedDialog")
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert "<a href=file:/etc/passwd>Click to repair</a>" in box.text()
    box.close()


def pixels(pixmap: QPixmap) -> bytes:
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
    return bytes(image.constBits())


def test_deep_paths_that_differ_at_the_end_read_differently(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    deep = os.path.join(*[f"a long folder name {i}" for i in range(10)])
    names = [os.path.join(deep, f"photo-{n}.jpg") for n in range(10)]
    panel = window.logPanel
    panel.begin(str(tmp_path / "src"), str(tmp_path / "dst"))
    window.controller.filesFinished.emit(
        [FileResult(name, FileStatus.COPIED, 1000) for name in names]
    )
    view = panel.logView
    view.setColumnWidth(LogModel.PATH, 300)
    qtbot.waitUntil(lambda: view.visualRect(view.model().index(8, LogModel.PATH)).height() > 0)

    def cell(row: int) -> bytes:
        index = view.model().index(row, LogModel.PATH)
        view.scrollTo(index)  # the log may show fewer than ten rows
        return pixels(view.viewport().grab(view.visualRect(index)))

    # Rows 0, 2, ... share a background: their File cells differ only by what is drawn.
    cells = {cell(row) for row in range(0, 10, 2)}
    assert len(cells) == 5, "deep paths elided at the end all look the same"
    tip = view.model().index(4, LogModel.PATH).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == names[4]


def test_a_long_reason_shows_its_beginning(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A reason says what happened first, then the detail: elided in the middle, as
    paths are, "its mode could not be set (Function not imp…ted)" hid both (review of
    the window). Two reasons that differ only past the cell's width read alike now."""
    window = make_window()
    panel = window.logPanel
    panel.begin(str(tmp_path / "src"), str(tmp_path / "dst"))
    detail = "a detail that runs on and on " * 8
    window.controller.filesFinished.emit(
        [
            FileResult(
                f"f{n}", FileStatus.FAILED, why=Reason(Code.CANNOT_CREATE, (detail + str(n),))
            )
            for n in range(3)
        ]
    )
    view = panel.logView
    view.setColumnWidth(LogModel.REASON, 250)
    reasons = [view.model().index(row, LogModel.REASON) for row in (0, 2)]  # (one background)
    qtbot.waitUntil(lambda: view.visualRect(reasons[1]).height() > 0)
    cells = {pixels(view.viewport().grab(view.visualRect(index))) for index in reasons}
    assert reasons[0].data() != reasons[1].data()
    assert len(cells) == 1, "the reasons' ends were shown, not their beginnings"


def test_export_follows_the_filter_confirms_and_remembers_its_folder(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.txt").write_text("b")
    target.mkdir()
    (target / "sub").write_text("in the way")
    window = make_window()
    panel = window.logPanel
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    # Before any export: next to the copy, not in the home folder.
    assert panel.export_start_path() == os.path.join(str(target), "ferry-log.csv")

    panel.logFilter.setCurrentIndex(LogFilter.FAILED)
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "failed.csv"
    panel.export_log(str(out))
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + panel.logProxy.rowCount() == 1 + len(window.report.failures())
    assert all(",failed," in row for row in rows[1:])
    assert panel.exportedLabel.isVisible()
    assert "failed.csv" in panel.exportedLabel.text() and "2" in panel.exportedLabel.text()
    window.close()

    again = make_window(settings=Settings(settings_file))
    assert again.logPanel.export_start_path() == str(exports / "ferry-log.csv")


def test_a_long_reason_takes_the_room_short_paths_leave_until_the_user_sizes_it(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "album").mkdir(parents=True)
    (source / "album" / "a.jpg").write_bytes(b"x")
    target.mkdir()
    (target / "album").write_text("in the way")  # a failure with a long reason
    window = make_window()
    window.resize(1100, 800)
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    panel = window.logPanel
    header = panel.logView.horizontalHeader()
    reason = panel.logModel.cell(0, LogModel.REASON, Qt.ItemDataRole.DisplayRole)
    assert len(reason) > 40
    needed = panel.logView.fontMetrics().horizontalAdvance(reason)
    assert header.sectionSize(LogModel.REASON) >= needed  # read whole, not "its fol…goes"
    path = panel.logView.fontMetrics().horizontalAdvance("album/a.jpg")
    assert header.sectionSize(LogModel.PATH) >= path

    header.resizeSection(LogModel.REASON, 150)  # the user's width stays, in a narrower window
    wide = header.sectionSize(LogModel.PATH)
    window.resize(900, 800)
    qtbot.waitUntil(lambda: header.sectionSize(LogModel.PATH) < wide, timeout=3000)
    assert header.sectionSize(LogModel.REASON) == 150

    fill(window, source, tmp_path / "fresh")  # a new job starts from the default again
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    assert header.sectionSize(LogModel.REASON) == 240


@pytest.mark.timeout(20)
def test_a_copied_path_a_shell_would_read_otherwise_is_quoted(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Pasted after `cat `, a name must not run a command nor name another file (a
    trailing space dropped): each is quoted as `ls` quotes it; a plain one is not."""
    source = tmp_path / "src"
    source.mkdir()
    names = ["x; touch ran #", "$(touch ran)", "`touch ran`", "trail ", "trail", "it's", "a-1.txt"]
    for name in names:
        (source / name).write_text(name)
    lines = copied_paths(qtbot, make_window(), source, tmp_path / "dst")
    plain = {str(tmp_path / "dst" / name) for name in ("a-1.txt", "trail")}
    assert plain < set(lines) and all(line.startswith("'") for line in set(lines) - plain)
    read = [
        subprocess.run(["bash", "-c", f"cat {line}"], cwd=tmp_path, capture_output=True, timeout=10)
        for line in lines
    ]
    assert sorted(done.stdout.decode() for done in read) == sorted(names)
    assert not (tmp_path / "ran").exists()
