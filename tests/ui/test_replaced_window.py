"""The window's log says which copies replaced a file of the target: rows, CSV, Chinese."""

# The expected Chinese texts use full-width punctuation, as Chinese does.
# ruff: noqa: RUF001

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.options import ConflictPolicy
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from tests.ui.util import click_start, fill, wait_finished

WindowFactory = Callable[..., MainWindow]
OLD = 1_600_000_000  # seconds: a day in 2020
OLDER = "replaced the target's older file of this name"
NEWER = "replaced the target's newer file of this name, as chosen for existing files"


def dated(path: Path, text: str, seconds: int) -> None:
    path.write_text(text)
    os.utime(path, (seconds, seconds))


def four_files(tmp_path: Path) -> tuple[Path, Path]:
    """new.txt the target lacks, same.txt it holds as copied, older.txt older and
    newer.txt newer there than in the source."""
    source, target = tmp_path / "src", tmp_path / "dst"
    source.mkdir()
    target.mkdir()
    (source / "new.txt").write_text("new")
    dated(source / "same.txt", "same", OLD)
    dated(target / "same.txt", "same", OLD)
    (source / "older.txt").write_text("the source's")
    dated(target / "older.txt", "its old copy", OLD)
    dated(source / "newer.txt", "the source's", OLD)
    dated(target / "newer.txt", "edited in the target", OLD + 3600)
    return source, target


def reason_column(model: LogModel) -> dict[str, tuple[str, str]]:
    """path -> (Status column, Reason column) as the log shows them."""
    shown = {}
    for row in range(model.rowCount()):
        status, reason = (
            model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
            for column in (LogModel.STATUS, LogModel.REASON)
        )
        shown[model.result(row).path] = (status, reason)
    return shown


def replace_when_asked(qtbot: QtBot, window: MainWindow) -> None:
    """Answer the Ask dialog's first question "Replace", for all."""
    dialog = window.conflictDialog
    qtbot.waitUntil(dialog.isVisible, timeout=20_000)
    dialog.applyToAllCheck.setChecked(True)
    qtbot.mouseClick(dialog.replaceButton, Qt.MouseButton.LeftButton)
    wait_finished(qtbot, window)


def test_log_rows_and_export_say_what_replace_took_the_place_of(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Asked, and answered Replace: both files the target held are overwritten, and their
    rows read "Copied" as a new file's did, with nothing to tell them apart."""
    source, target = four_files(tmp_path)
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.ASK)
    click_start(qtbot, window)
    replace_when_asked(qtbot, window)

    assert reason_column(window.logPanel.logModel) == {
        "new.txt": ("Copied", ""),
        "same.txt": ("Skipped", "already up to date"),
        "older.txt": ("Copied", OLDER),
        "newer.txt": ("Copied", NEWER),
    }
    assert (target / "newer.txt").read_text() == "the source's"
    exported = tmp_path / "log.csv"
    window.logPanel.export_log(str(exported))
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = {row["path"]: (row["status"], row["reason"]) for row in csv.DictReader(handle)}
    assert rows["older.txt"] == ("copied", OLDER)
    assert rows["newer.txt"] == ("copied", NEWER)
    assert rows["new.txt"] == ("copied", "")


def test_replaced_rows_read_in_chinese(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    source, target = four_files(tmp_path)
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.OVERWRITE)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    shown = reason_column(window.logPanel.logModel)
    assert shown["older.txt"][1] == "已替换目标中同名的较旧文件"
    assert shown["newer.txt"][1] == "已按对已存在文件的选择，替换目标中同名的较新文件"
    assert shown["same.txt"][1] == "已替换目标中同名且修改时间相同的文件"  # (overwrite: all)
    assert shown["new.txt"][1] == ""


OTHER = "replaced what the target held at this name, an entry of another type: "


def with_other_types(tmp_path: Path) -> tuple[Path, Path]:
    """four_files, and a file where the target holds a link, a link where it holds a file."""
    source, target = four_files(tmp_path)
    (source / "over_link.txt").write_text("a file where the target has a link")
    (target / "over_link.txt").symlink_to("elsewhere")
    (source / "link").symlink_to("new.txt")
    (target / "link").write_text("a file where the source has a link")
    return source, target


def reasons_by_kind(model: LogModel) -> tuple[dict[str, str], dict[str, str]]:
    """path -> Reason column of a preview's rows, and of a real job's."""
    planned: dict[str, str] = {}
    done: dict[str, str] = {}
    for row in range(model.rowCount()):
        result = model.result(row)
        reason = model.data(model.index(row, LogModel.REASON), Qt.ItemDataRole.DisplayRole)
        (planned if result.action else done)[result.path] = reason
    return planned, done


def preview_then_start(qtbot: QtBot, window: MainWindow) -> tuple[dict[str, str], dict[str, str]]:
    """The reasons a preview's rows give, then those of the job Start runs."""
    button = window.controlBar.previewButton
    qtbot.waitUntil(button.isEnabled, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_finished(qtbot, window)
    planned, _ = reasons_by_kind(window.logPanel.logModel)
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    _, done = reasons_by_kind(window.logPanel.logModel)
    return planned, done


def test_a_preview_s_replace_rows_say_what_the_job_s_rows_then_say(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A preview of Replace said "Will replace" for each file the target held: which of
    them overwrite a newer file there, it did not tell."""
    source, target = with_other_types(tmp_path)
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.OVERWRITE)

    planned, done = preview_then_start(qtbot, window)

    assert planned == done
    assert done == {
        "new.txt": "",
        "same.txt": "replaced the target's file of this name and the same time",
        "older.txt": OLDER,
        "newer.txt": NEWER,
        "over_link.txt": OTHER + "a symbolic link",
        "link": OTHER + "a file",
    }


def test_a_preview_s_replace_rows_read_in_chinese(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    source, target = with_other_types(tmp_path)
    window = make_window()
    fill(window, source, target, policy=ConflictPolicy.OVERWRITE)

    planned, done = preview_then_start(qtbot, window)

    assert planned == done
    assert planned["newer.txt"] == "已按对已存在文件的选择，替换目标中同名的较新文件"
    assert planned["over_link.txt"] == "已替换目标中此名称处另一种类型的条目：符号链接"
    assert planned["link"] == "已替换目标中此名称处另一种类型的条目：文件"
