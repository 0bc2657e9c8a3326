"""The folders panel: completion, recent folders, the plan sentence, Enter to start."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from app.core.job import CopyJob
from app.core.tree_count import count_tree
from app.ui import folder_edit
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.helpers import assert_same_tree
from tests.ui.util import activate, click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]


def test_no_completion_popup_opens_when_the_copy_creates_the_typed_folder(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window(source=str(source), target="")
    activate(qtbot, window)
    edit = window.foldersPanel.targetEdit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.clear()
    model = edit.folder_model()
    popup = edit.completer().popup()

    # Type the parent, let the completion model list it, then a new folder's name.
    qtbot.keyClicks(edit, f"{tmp_path}/")
    parent = model.index(str(tmp_path))

    def listed() -> bool:
        if model.canFetchMore(parent):
            model.fetchMore(parent)
        return model.rowCount(parent) > 0

    qtbot.waitUntil(listed)
    qtbot.keyClicks(edit, "s")
    qtbot.waitUntil(popup.isVisible)  # "src" is offered
    qtbot.keyClicks(edit, "-backup")
    assert not popup.isVisible()  # nothing matches: the popup hides

    loaded: list[str] = []
    model.directoryLoaded.connect(loaded.append)
    qtbot.waitUntil(window.controlBar.startButton.isEnabled)
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_finished(qtbot, window)
    assert (tmp_path / "s-backup").is_dir()
    # The model saw the new folder (this is when the completer used to pop up).
    qtbot.waitUntil(lambda: str(tmp_path) in loaded)
    assert not edit.completer().popup().isVisible()


def planned(qtbot: QtBot, window: MainWindow, source: Path, target: Path) -> QLabel:
    """The plan sentence once it has counted a one-file source."""
    fill(window, source, target)
    plan = window.foldersPanel.planLabel
    qtbot.waitUntil(lambda: "1 file" in plan.text(), timeout=10_000)
    return plan


def test_a_percent_sign_in_a_folder_name_reads_as_it_is(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "50%2 off %1"
    source.mkdir()
    (source / "a.txt").write_text("a")
    window = make_window()
    plan = planned(qtbot, window, source, tmp_path / "Backup")
    assert "50%2 off %1" in plan.text() and "Backup" in plan.text(), plan.text()


def test_a_hostile_folder_name_cannot_turn_the_plan_sentence_around(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A right-to-left override in a folder's name turned the rest of the plan sentence
    around ("photos\u202egpj.exe" read "photosexe.jpg", and the target's name backwards),
    and a newline broke it over lines. Names read as the log shows them: escaped."""
    source = tmp_path / "photos\u202egpj.exe"
    (source / "lines\nbelow").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    window = make_window()
    plan = planned(qtbot, window, source, tmp_path / "mv\u202eTSD")
    assert "photos\\u202egpj.exe" in plan.text() and "mv\\u202eTSD" in plan.text(), plan.text()
    assert plan.text().isprintable(), plan.text()

    fill(window, source / "lines\nbelow", tmp_path / "Backup")
    qtbot.waitUntil(lambda: "no file" in plan.text(), timeout=10_000)
    assert "lines\\x0abelow" in plan.text() and plan.text().isprintable(), plan.text()


def test_sources_and_targets_have_their_own_recent_lists_and_one_arrow(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "Photos"
    source.mkdir()
    (source / "a.txt").write_text("a")
    window = make_window()
    fill(window, source, tmp_path / "Backup")
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    panel = window.foldersPanel
    assert panel.recent_folders(panel.sourceRecentButton) == [str(source)]
    assert panel.recent_folders(panel.targetRecentButton) == [str(tmp_path / "Backup")]
    for button in (panel.sourceRecentButton, panel.targetRecentButton):
        # One arrow: drawn by the button itself, no text arrow, no menu indicator.
        assert button.text() == "" and button.arrowType() == Qt.ArrowType.DownArrow
        assert button.menu() is None


def recent_menu(qtbot: QtBot, button: QWidget) -> QMenu:
    """The menu a recent-folders button opens, once shown."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    menu = button.parentWidget().findChild(QMenu, "recentMenu")
    assert menu is not None
    qtbot.waitUntil(menu.isVisible)
    return menu


def test_a_recent_folder_is_chosen_from_its_menu(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str, tmp_path: Path
) -> None:
    Settings(settings_file).add_recent("/earlier/source", "/earlier/target")
    window = make_window(settings=Settings(settings_file), source="", target="")
    panel = window.foldersPanel
    menu = recent_menu(qtbot, panel.targetRecentButton)
    assert [a.text() for a in menu.actions()] == ["/earlier/target"]
    menu.actions()[0].trigger()
    assert panel.targetEdit.text() == "/earlier/target"
    assert panel.sourceEdit.text() == ""


def test_recent_folders_are_shown_as_they_read_and_taken_as_they_are(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str, tmp_path: Path
) -> None:
    """ "a&b" is no mnemonic, a tab no shortcut column, U+202E no reversed name."""
    hostile = ["/d/a&b", "/d/x\tCtrl+Q", "/d/rlo\u202egpj.exe"]
    for folder in hostile:
        Settings(settings_file).add_recent(folder, "/t")
    window = make_window(settings=Settings(settings_file), source="", target="")
    panel = window.foldersPanel
    shown = {a.text(): a for a in recent_menu(qtbot, panel.sourceRecentButton).actions()}
    assert set(shown) == {"/d/a&&b", "/d/x\\x09Ctrl+Q", "/d/rlo\\u202egpj.exe"}
    shown["/d/x\\x09Ctrl+Q"].trigger()
    assert panel.sourceEdit.text() == "/d/x\tCtrl+Q"


def test_a_folder_name_ending_in_a_space_is_not_its_neighbour(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos ").mkdir()
    (tmp_path / "photos " / "which.txt").write_text("the one with the space")
    window = make_window(source=str(tmp_path / "photos "), target=str(tmp_path / "backup "))
    assert window.foldersPanel.source() == str(tmp_path / "photos ")
    assert window.foldersPanel.target() == str(tmp_path / "backup ")


def test_problems_are_the_engines_refusals_and_the_plan_counts_as_its_scan(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    source = tmp_path / "Photos"
    source.mkdir()
    (source / "a.jpg").write_bytes(b"a" * 1000)
    album = tmp_path / "Album"
    album.mkdir()
    for index in range(3):
        (album / f"{index}.jpg").write_bytes(b"x" * 1000)
    (source / "album").symlink_to(album)
    plain = tmp_path / "notes.txt"
    plain.write_text("a file")
    window = make_window()
    panel = window.foldersPanel

    fill(window, source, plain)
    qtbot.waitUntil(panel.problemLabel.isVisible, timeout=5000)
    assert panel.problemLabel.text() == f"Target exists and is not a folder: {plain}"
    assert panel.problem() == str(CopyJob(str(source), str(plain)).run().refused)

    window.optionsPanel.followSymlinksCheck.setChecked(True)
    fill(window, source, tmp_path / "Backup")
    # Followed, the link is a folder of three files: four files, as the copy will count.
    qtbot.waitUntil(lambda: "4 file" in panel.planLabel.text(), timeout=10_000)
    assert "3.9 KiB" in panel.planLabel.text()
    window.optionsPanel.followSymlinksCheck.setChecked(False)
    qtbot.waitUntil(lambda: "2 file" in panel.planLabel.text(), timeout=10_000)


def typed(qtbot: QtBot, edit: QWidget, text: str) -> None:
    """As a person types: a key at a time, the folder listing loading meanwhile."""
    for char in text:
        qtbot.keyClicks(edit, char)
        qtbot.wait(30)


def open_list(qtbot: QtBot, edit: QLineEdit, text: str) -> QWidget:
    """Type `text` into `edit` until its completion list offers one folder, shown."""
    edit.setFocus()
    typed(qtbot, edit, text)
    completer = edit.completer()
    assert completer is not None
    qtbot.waitUntil(lambda: completer.completionCount() == 1, timeout=5000)
    completer.complete()  # (shown as typing shows it, where the platform draws popups)
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    return popup


def test_enter_in_the_completion_list_chooses_and_never_crashes_or_starts(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Enter in the list started the copy from inside the completer's own key handling,
    which then detached (so deleted) that completer: a segfault, every time. Enter there
    now closes the list; the next Enter starts. And the list of a field left by Alt+T
    went on taking the keys typed into the other field."""
    source, target = tmp_path / "src", tmp_path / "chosen"
    make_tree(source, folders=1, files_per_folder=1)
    target.mkdir()
    window = make_window(source=str(source), target="")
    panel = window.foldersPanel
    activate(qtbot, window)
    popup = open_list(qtbot, panel.targetEdit, str(tmp_path / "cho"))

    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert not popup.isVisible() and not window.controller.is_running()
    qtbot.keyClick(panel.targetEdit, Qt.Key.Key_Return)
    assert window.controller.is_running()  # the second Enter starts, and nothing crashed
    wait_finished(qtbot, window)

    panel.sourceEdit.setFocus()
    typed(qtbot, panel.sourceEdit, "x")  # a list of the source field, then Alt+T
    source_completer = panel.sourceEdit.completer()
    assert source_completer is not None
    source_completer.complete()
    panel.targetEdit.setFocus()
    assert not source_completer.popup().isVisible()


def test_a_target_suggested_once_the_focus_is_there_is_replaced_by_typing(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Alt+T with the source's list open: the source finished its editing only once the
    To field had the focus, and the typed target was added after the suggestion."""
    source = tmp_path / "src"
    make_tree(source, folders=1, files_per_folder=1)
    window = make_window(source="", target="")
    panel = window.foldersPanel
    activate(qtbot, window)
    panel.sourceEdit.setText(str(source))
    panel.targetEdit.setFocus()
    panel.sourceEdit.editingFinished.emit()  # as it came, late
    assert panel.targetEdit.text() == f"{source}_copy"
    typed(qtbot, panel.targetEdit, "/mine")
    assert panel.targetEdit.text() == "/mine"


def test_escape_closes_the_completion_list(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """The window's Escape (Cancel) took the key, and the list stayed over the To field."""
    (tmp_path / "chosen").mkdir()
    window = make_window(source="", target="")
    panel = window.foldersPanel
    activate(qtbot, window)
    popup = open_list(qtbot, panel.sourceEdit, str(tmp_path / "cho"))
    qtbot.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible()


def test_a_count_that_ends_after_its_window_is_gone_says_nothing(
    qtbot: QtBot, tmp_path: Path, settings_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count of the source for the plan runs on a thread of its own: one that ended
    after its window was closed and deleted raised in that thread ("Signal source has
    been deleted"; seen in the suite, blamed on the test after)."""
    release, raised = threading.Event(), []
    monkeypatch.setattr(threading, "excepthook", raised.append)

    def held_count(*args: object) -> object:
        release.wait(10)
        return count_tree(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(folder_edit, "count_tree", held_count)
    (tmp_path / "src").mkdir()
    window = MainWindow(settings=Settings(settings_file))
    fill(window, tmp_path / "src", tmp_path / "dst")
    qtbot.waitUntil(lambda: any(t.name == "ferry-count" for t in threading.enumerate()))
    counting = [t for t in threading.enumerate() if t.name == "ferry-count"]
    window.close()
    shiboken6.delete(window)
    release.set()
    for thread in counting:
        thread.join(10)

    assert not any(thread.is_alive() for thread in counting)
    assert raised == []


def test_a_target_holding_a_nul_says_why_start_is_off(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A NUL pasted into To: the engine's check raised ValueError in the window's
    validation (review of devices); it says why now, and Start stays off."""
    source = tmp_path / "src"
    make_tree(source, folders=1, files_per_folder=2)
    window = make_window(source=str(source), target=f"{tmp_path}/a\0b")
    panel = window.foldersPanel
    qtbot.waitUntil(panel.problemLabel.isVisible, timeout=5000)
    assert panel.problemLabel.text().startswith("A folder's path holds a NUL character")
    assert not window.controlBar.startButton.isEnabled()
    assert not [name for name in os.listdir(tmp_path) if name.startswith("a")]


TO_IN_FULL = "Type the full path of the folder to copy into (it starts with /)."
FROM_IN_FULL = "Type the full path of the folder to copy (it starts with /)."


def test_a_relative_target_is_refused_not_copied_where_the_window_was_started(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typed "2030-99-99" in To was copied into the folder Ferry was started from ($HOME, or /
    from a launcher), which the window never showed. "~/2030-99-99" is in the home folder."""
    source = tmp_path / "src"
    make_tree(source, folders=1, files_per_folder=2)
    started_in, home = tmp_path / "started-in", tmp_path / "home"
    started_in.mkdir()
    home.mkdir()
    monkeypatch.chdir(started_in)
    monkeypatch.setenv("HOME", str(home))
    window = make_window(source=str(source), target="")
    panel = window.foldersPanel
    activate(qtbot, window)
    panel.targetEdit.setFocus()
    typed(qtbot, panel.targetEdit, "2030-99-99")
    qtbot.waitUntil(panel.problemLabel.isVisible, timeout=5000)
    assert panel.problemLabel.text() == TO_IN_FULL
    assert "2030-99-99" not in panel.planLabel.text()
    assert not window.controlBar.startButton.isEnabled()

    qtbot.keyClick(panel.targetEdit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(500)
    assert not window.controller.is_running() and window.report is None
    assert os.listdir(started_in) == []
    assert panel.problemLabel.text() == TO_IN_FULL

    panel.targetEdit.clear()
    typed(qtbot, panel.targetEdit, "~/2030-99-99")
    qtbot.waitUntil(window.controlBar.startButton.isEnabled, timeout=5000)
    assert not panel.problemLabel.isVisible()
    qtbot.keyClick(panel.targetEdit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_finished(qtbot, window)
    assert_same_tree(source, home / "2030-99-99")
    assert os.listdir(started_in) == []


@pytest.mark.parametrize("typed_source", ["src", ".", "..", " {src}"])
def test_a_relative_source_is_refused_whatever_the_target(
    qtbot: QtBot,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed_source: str,
) -> None:
    """Typed "." copied the folder the window was started from; " /home/me/src" (a space
    pasted along) is a folder " " there, not /home/me/src."""
    source = tmp_path / "src"
    make_tree(source, folders=1, files_per_folder=1)
    monkeypatch.chdir(tmp_path)
    window = make_window(source="", target="")
    panel = window.foldersPanel
    panel.sourceEdit.setText(typed_source.format(src=source))
    panel.validate()
    assert panel.problemLabel.isVisible() and panel.problemLabel.text() == FROM_IN_FULL
    assert panel.problem() == FROM_IN_FULL  # (said before a target is chosen)

    panel.targetEdit.setText(str(tmp_path / "backup"))
    panel.validate()
    assert panel.problemLabel.text() == FROM_IN_FULL
    assert not window.controlBar.startButton.isEnabled()
    assert not window.start()
    assert not (tmp_path / "backup").exists()


def test_a_relative_folder_remembered_earlier_is_not_offered(
    qtbot: QtBot, make_window: WindowFactory, settings_file: str
) -> None:
    """An older Ferry remembered "2030-99-99" as it was typed; chosen, it would be refused."""
    Settings(settings_file).add_recent("photos", "2030-99-99")
    Settings(settings_file).add_recent("/d/photos", "/d/backup")
    window = make_window(settings=Settings(settings_file), source="", target="")
    panel = window.foldersPanel
    for button, offered in (
        (panel.sourceRecentButton, "/d/photos"),
        (panel.targetRecentButton, "/d/backup"),
    ):
        menu = recent_menu(qtbot, button)
        assert [a.text() for a in menu.actions()] == [offered]
        menu.close()  # (and deleted: the next button's menu is the one found)
        qtbot.waitUntil(lambda menu=menu: not shiboken6.isValid(menu))
