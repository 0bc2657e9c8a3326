"""The engine's English reasons, refusals and notices are shown in the window's language."""

# The expected Chinese texts use full-width punctuation, as Chinese does.
# ruff: noqa: RUF001

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.events import FileStatus
from app.core.report import CopyReport
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.reasons import engine_text
from tests.ui.util import click_start, fill, wait_finished

WindowFactory = Callable[..., MainWindow]

FIFO_REASON = "not a regular file: a named pipe (FIFO), skipped"
BLOCKED = "the target has a file where this folder goes"
# Texts exactly as app/core words them, with made-up paths and numbers.
ENGINE_SAMPLES = [
    FIFO_REASON,
    BLOCKED,
    f"its folder could not be created: {BLOCKED}",
    "its folder could not be created: cannot create folder: Permission denied",
    "followed a symbolic link out of the source, to /elsewhere/a %2 b",
    "Not enough space in the target: 5,368,709,120 bytes to write, 1,048,576 free.",
    "Target folder is not writable: /mnt/backup",
    "Cannot read the source folder: Permission denied (/home/a (b))",
    "A worker process (4242, 4243) died; its files are being retried.",
    "Progress channel lost (EOFError); job stopped.",
    "The target disk is full: no new files were started.",
    "photos/2019: cannot set folder time or mode: Operation not permitted",
]
UNKNOWN = ["Permission denied", "something the engine may say one day: %1", ""]


def reasons_shown(model: LogModel) -> dict[str, tuple[FileStatus, str, str]]:
    """path -> (status, Reason column text, tooltip) of every row of the log."""
    shown = {}
    for row in range(model.rowCount()):
        index = model.index(row, LogModel.REASON)
        result = model.result(row)
        shown[result.path] = (
            result.status,
            model.data(index, Qt.ItemDataRole.DisplayRole),
            model.data(index, Qt.ItemDataRole.ToolTipRole),
        )
    return shown


def test_in_english_every_engine_text_reads_as_the_engine_wrote_it(qtbot: QtBot) -> None:
    for text in ENGINE_SAMPLES + UNKNOWN:
        assert engine_text(text) == text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_a_real_copy_in_chinese_logs_the_engine_reasons_in_chinese(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "album").mkdir(parents=True)
    (source / "album" / "photo.jpg").write_bytes(os.urandom(2000))
    (source / "notes.txt").write_text("copied fine\n")
    os.mkfifo(source / "pipe")
    target.mkdir()
    (target / "album").write_text("a plain file where the source has a folder")

    window = make_window()
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    blocked_zh = "目标中此文件夹的位置上已有一个文件"
    shown = reasons_shown(window.logModel)
    assert shown["pipe"][:2] == (FileStatus.SKIPPED, "不是普通文件：命名管道（FIFO），已跳过")
    assert shown["album"][:2] == (FileStatus.FAILED, blocked_zh)
    photo = os.path.join("album", "photo.jpg")
    assert shown[photo][:2] == (FileStatus.FAILED, f"无法创建其所在文件夹：{blocked_zh}")
    assert shown[photo][2] == f"{photo}\n无法创建其所在文件夹：{blocked_zh}"
    assert shown["notes.txt"][:2] == (FileStatus.COPIED, "")
    # The engine's result itself is untouched: English is its contract.
    english = {result.path: result.reason for result in window.logModel.results()}
    assert english["pipe"] == FIFO_REASON and english["album"] == BLOCKED

    failures = [window.failuresList.item(i).text() for i in range(window.failuresList.count())]
    assert f"album — {blocked_zh}" in failures
    assert f"{photo} — 无法创建其所在文件夹：{blocked_zh}" in failures

    # The CSV is a machine-readable log: it keeps the engine's English.
    exported = tmp_path / "log.csv"
    window.export_log(str(exported))
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = {row["path"]: row["reason"] for row in csv.DictReader(handle)}
    assert rows["pipe"] == FIFO_REASON
    assert rows[photo] == f"its folder could not be created: {BLOCKED}"


def test_refusals_notices_and_unknown_texts_in_chinese(
    chinese: list[object], make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    window = make_window(source=str(tmp_path), target="")

    window._show_summary(CopyReport(str(tmp_path), "/mnt/backup", refused=ENGINE_SAMPLES[6]))
    assert window.statusLabel.text() == "未复制任何内容：目标文件夹不可写：/mnt/backup"

    window._on_controller_notice(ENGINE_SAMPLES[8])
    window._on_controller_notice("Something new the engine says")
    assert window.noticeLabel.text() == (
        "工作进程（4242, 4243）意外终止；正在重试其文件。\nSomething new the engine says"
    )

    report = CopyReport(str(tmp_path), "/t", notices=(ENGINE_SAMPLES[10], ENGINE_SAMPLES[11]))
    window._show_summary(report)
    assert window.summaryDetails.text().endswith(
        "\n目标磁盘已满：不再开始复制新文件。"
        "\nphotos/2019：无法设置文件夹的时间或权限：Operation not permitted"
    )

    assert engine_text(ENGINE_SAMPLES[4]) == "跟随符号链接到了源文件夹之外：/elsewhere/a %2 b"
    assert engine_text(ENGINE_SAMPLES[5]) == (
        "目标空间不足：需要写入 5,368,709,120 字节，可用 1,048,576 字节。"
    )
    for text in UNKNOWN:  # OS error texts and anything unknown pass through unchanged
        assert engine_text(text) == text
