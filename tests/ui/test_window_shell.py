"""Around the copy: drag and drop, remembered settings, command line, notification."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.options import ConflictPolicy
from app.ui.desktop import Attention
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.helpers import REPO, assert_same_tree
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def drop_urls(widget: QWidget, *paths: Path) -> bool:
    """Drag local paths onto widget as a file manager does; True if the drop was taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    action = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(5, 5), action, mime, buttons, modifiers)  # QPoint: Qt's API
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(QPointF(5, 5), action, mime, buttons, modifiers)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()


def test_dropping_a_folder_fills_the_field(make_window: WindowFactory, tmp_path: Path) -> None:
    folder = tmp_path / "Photos"
    folder.mkdir()
    plain = tmp_path / "note.txt"
    plain.write_text("not a folder")
    window = make_window(source="", target="")

    assert not drop_urls(window.foldersPanel.sourceEdit, plain)
    assert window.foldersPanel.sourceEdit.text() == ""
    assert drop_urls(window.foldersPanel.sourceEdit, folder)
    assert window.foldersPanel.sourceEdit.text() == str(folder)
    assert window.foldersPanel.targetEdit.text() == f"{folder}_copy"  # suggested sibling
    other = tmp_path / "Backup"
    other.mkdir()
    assert drop_urls(window.foldersPanel.targetEdit, other)
    assert window.foldersPanel.targetEdit.text() == str(other)


def test_settings_survive_a_restart(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str, tmp_path: Path
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    first = make_window()
    fill(first, source, target, policy=ConflictPolicy.SKIP, workers=3)
    first.optionsPanel.fsyncCheck.setChecked(True)
    first.optionsPanel.followSymlinksCheck.setChecked(True)
    first.resize(760, 700)
    click_start(qtbot, first)  # Start records the folders as recent
    wait_finished(qtbot, first)
    first.close()
    assert not first.isVisible()

    second = make_window(settings=Settings(settings_file))
    assert second.foldersPanel.sourceEdit.text() == str(source)
    assert second.foldersPanel.targetEdit.text() == str(target)
    options = second.optionsPanel.options()
    assert options.on_conflict is ConflictPolicy.SKIP
    assert options.workers == 3 and options.fsync and options.follow_symlinks
    assert (second.width(), second.height()) == (760, 700)
    assert Settings(settings_file).recent_sources() == [str(source)]
    assert Settings(settings_file).recent_targets() == [str(target)]
    assert Path(settings_file).exists()


def test_finished_copy_notifies_when_the_window_is_not_focused(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window()
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow(), timeout=5000)
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    assert window.desktop.attention.last == window.summaryPanel.summaryLabel.text() != ""


def test_a_desktop_notification_shows_markup_in_a_path_as_text(qtbot: QtBot) -> None:
    """Notification servers read the message as markup: a headline quoting a path with
    `<b>` or `<a href>` rendered them (review of hostile names)."""
    window = QWidget()
    qtbot.addWidget(window)  # (never shown: not the active window)
    attention = Attention(window)
    attention.tell("Ferry", 'cannot read /tmp/<b>x</b> & <a href="http://e">y</a>')
    assert (
        attention.last
        == 'cannot read /tmp/&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href="http://e"&gt;y&lt;/a&gt;'
    )


def run_app(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"), **env)
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_and_exit_when_done_copies_and_exits_like_the_copy_command(
    tmp_path: Path,
) -> None:
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    make_tree(source, folders=2, files_per_folder=3)
    flags = ["--start", "--exit-when-done", "--lang", "en"]
    done = run_app(
        tmp_path,
        "--source",
        str(source),
        "--target",
        str(target),
        *flags,
        QT_QPA_PLATFORM="offscreen",
    )
    assert done.returncode == 0, done.stderr
    assert_same_tree(source, target)

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "folder 0").write_text("a file where the source has a folder")
    failed = run_app(
        tmp_path,
        "--source",
        str(source),
        "--target",
        str(broken),
        *flags,
        QT_QPA_PLATFORM="offscreen",
    )
    assert failed.returncode == 1, failed.stderr

    refused = run_app(
        tmp_path,
        "--source",
        str(tmp_path / "missing"),
        "--target",
        str(target),
        *flags,
        QT_QPA_PLATFORM="offscreen",
    )
    assert refused.returncode == 2
    assert "does not exist" in refused.stderr
    assert (tmp_path / "config" / "Ferry" / "Ferry.conf").exists()  # not the real settings


def test_without_a_display_it_says_so_and_exits_2(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    result = subprocess.run(
        [sys.executable, "-m", "app"],
        cwd=REPO,
        env={k: v for k, v in environment.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no display" in result.stderr and "python -m app copy" in result.stderr
    assert "Aborted" not in result.stderr
