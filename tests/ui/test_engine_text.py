"""The engine's English reasons, refusals and notices are shown in the window's language."""

# The expected Chinese texts use full-width punctuation, as Chinese does.
# ruff: noqa: RUF001

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.core.events import FileStatus
from app.core.reasons import Code, Reason
from app.core.report import CopyReport
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.reasons import CONTEXT, TEMPLATES, engine_text
from tests.ui.util import (
    FINISH_TIMEOUT,
    chinese_translations,
    click,
    click_start,
    fill,
    wait_finished,
)

WindowFactory = Callable[..., MainWindow]

TEMP_NAMED = ".ferry-0123456789ab-1.part"  # skipped: a later run would remove it
TEMP_REASON = "named like a Ferry temp file, which a later run would remove: skipped"
BLOCKED = Reason(Code.FILE_WHERE_FOLDER_GOES)
# Reasons as app/core makes them, with made-up paths and numbers.
ENGINE_SAMPLES = [
    Reason(Code.FIFO),
    BLOCKED,
    Reason(Code.FOLDER_NOT_CREATED, (BLOCKED,)),
    Reason(Code.FOLDER_NOT_CREATED, (Reason(Code.CANNOT_CREATE_FOLDER, ("Permission denied",)),)),
    Reason(Code.LEFT_SOURCE, ("/elsewhere/a %2 b",)),
    Reason(Code.NO_SPACE, (5 << 30, 1 << 20)),
    Reason(Code.TARGET_NOT_WRITABLE, ("/mnt/backup",)),
    Reason(Code.SOURCE_UNREADABLE, ("Permission denied", "/home/a (b)")),
    Reason(Code.WORKER_DIED_RETRYING, ("4242, 4243",)),
    Reason(Code.CHANNEL_LOST, ("EOFError",)),
    Reason(Code.DISK_FULL),
    Reason(Code.FOLDER_METADATA, ("photos/2019", "Operation not permitted")),
    Reason(Code.REPLACED_OTHER_TYPE, (Reason(Code.KIND_FIFO),)),
]
NOT_THE_ENGINES = ["Permission denied", "something with %1 in it", ""]


def qt_form(code: Code) -> str:
    """The engine's English with {0}, {1:size}... as Qt's %1, %2..."""
    return re.sub(r"\{(\d+)(:\w+)?\}", lambda m: f"%{int(m[1]) + 1}", code.value)


def test_every_reason_code_has_its_text_to_translate() -> None:
    """A new code without a template here fails; so does a reworded one not updated."""
    assert set(TEMPLATES) == set(Code)
    for code, template in TEMPLATES.items():
        assert template == qt_form(code), code


def test_no_engine_text_puts_a_count_before_a_plural() -> None:
    """The engine's English has no plural forms: "1 folders ..." read so (counts of
    folders, files and names stand after a colon instead)."""
    for code in Code:
        assert not re.search(r"\{\d+\} (files|folders|names|entries|items)\b", code.value), code


def test_every_reason_code_is_translated_to_chinese() -> None:
    translated = chinese_translations(CONTEXT)
    for code, template in TEMPLATES.items():
        translation = translated.get(template)
        assert translation is not None, f"{code.name} is not in ferry_zh_CN.ts"
        assert translation.text and translation.get("type") is None, f"{code.name} untranslated"
        markers = sorted(set(re.findall(r"%\d", template)))
        assert sorted(set(re.findall(r"%\d", translation.text))) == markers, code.name


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
    for why in ENGINE_SAMPLES:
        assert engine_text(why) == str(why)
    for text in NOT_THE_ENGINES:
        assert engine_text(text) == text


def test_a_real_copy_in_chinese_logs_the_engine_reasons_in_chinese(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    source, target = tmp_path / "src", tmp_path / "dst"
    (source / "album").mkdir(parents=True)
    (source / "album" / "photo.jpg").write_bytes(os.urandom(2000))
    (source / "notes.txt").write_text("copied fine\n")
    (source / TEMP_NAMED).write_bytes(b"looks like a leftover")
    target.mkdir()
    (target / "album").write_text("a plain file where the source has a folder")

    window = make_window()
    fill(window, source, target)
    click_start(qtbot, window)
    wait_finished(qtbot, window)

    blocked_zh = "目标中此文件夹的位置上已有一个文件"
    shown = reasons_shown(window.logPanel.logModel)
    temp_zh = "名称与 Ferry 的临时文件相同，之后的运行会将其删除：已跳过"
    assert shown[TEMP_NAMED][:2] == (FileStatus.SKIPPED, temp_zh)
    assert shown["album"][:2] == (FileStatus.FAILED, blocked_zh)
    photo = os.path.join("album", "photo.jpg")
    assert shown[photo][:2] == (FileStatus.FAILED, f"无法创建其所在文件夹：{blocked_zh}")
    assert shown[photo][2] == f"{photo}\n无法创建其所在文件夹：{blocked_zh}"
    assert shown["notes.txt"][:2] == (FileStatus.COPIED, "")
    # The engine's result itself is untouched: English is its contract.
    english = {result.path: result.reason for result in window.logPanel.logModel.results()}
    assert english[TEMP_NAMED] == TEMP_REASON and english["album"] == str(BLOCKED)

    failures = [
        window.summaryPanel.failuresList.item(i).text()
        for i in range(window.summaryPanel.failuresList.count())
    ]
    assert f"album — {blocked_zh}" in failures
    assert f"{photo} — 无法创建其所在文件夹：{blocked_zh}" in failures

    # The CSV is a machine-readable log: it keeps the engine's English.
    exported = tmp_path / "log.csv"
    window.logPanel.export_log(str(exported))
    with exported.open(encoding="utf-8", newline="") as handle:
        rows = {row["path"]: row["reason"] for row in csv.DictReader(handle)}
    assert rows[TEMP_NAMED] == TEMP_REASON
    assert rows[photo] == f"its folder could not be created: {BLOCKED}"


def test_refusals_notices_and_unknown_texts_in_chinese(
    chinese: list[object], make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    window = make_window(source=str(tmp_path), target="")

    # Emitted in the GUI thread, so the window's slots run now, as they would when queued.
    window.controller.finished.emit(
        CopyReport(str(tmp_path), "/mnt/backup", refused=ENGINE_SAMPLES[6])
    )
    assert (
        window.progressPanel.statusLabel.text() == "未复制任何内容：目标文件夹不可写：/mnt/backup"
    )

    window.controller.notice.emit(ENGINE_SAMPLES[8])
    window.controller.notice.emit(ENGINE_SAMPLES[9])
    assert window.progressPanel.noticeLabel.text() == (
        "工作进程（4242, 4243）意外终止；正在重试其文件。\n进度通道已断开（EOFError）；任务已停止。"
    )

    report = CopyReport(str(tmp_path), "/t", notices=(ENGINE_SAMPLES[10], ENGINE_SAMPLES[11]))
    window.controller.finished.emit(report)
    assert window.summaryPanel.summaryDetails.text().endswith(
        "\n目标磁盘已满：不再开始复制新文件。"
        "\nphotos/2019：无法设置文件夹的所有者、权限或时间：不允许的操作"
    )

    assert engine_text(ENGINE_SAMPLES[4]) == "跟随符号链接到了源文件夹之外：/elsewhere/a %2 b"
    assert engine_text(ENGINE_SAMPLES[5]) == "目标空间不足：需要写入 5.0 GiB，可用 1.0 MiB。"
    assert (
        engine_text(ENGINE_SAMPLES[12]) == "已替换目标中此名称处另一种类型的条目：命名管道（FIFO）"
    )
    for text in NOT_THE_ENGINES:  # texts not the engine's reasons pass through unchanged
        assert engine_text(text) == text


@pytest.mark.timeout(60)
def test_a_manifest_verify_cannot_read_is_said_in_chinese(
    chinese: list[object],
    qtbot: QtBot,
    make_window: WindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Verify a folder… with a broken manifest, then a folder that is gone: why nothing
    was checked is the engine's reason, in the window's language."""
    assert chinese, "ferry_zh_CN.qm did not load"
    folder = tmp_path / "Backup"
    folder.mkdir()
    manifest = tmp_path / "backup.sha256"
    manifest.write_bytes(b"%s  a\nnot a checksum line\n" % (b"0" * 64))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(manifest), ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    window = make_window(source="", target="")

    def verify() -> str:
        window.verify_report = None
        click(qtbot, window.controlBar.verifyButton)
        qtbot.waitUntil(lambda: window.verify_report is not None, timeout=FINISH_TIMEOUT)
        return window.summaryPanel.headline()

    assert verify() == "未检查任何文件：第 2 行：不是 sha256 校验行"
    manifest.write_bytes(b"%s  ../outside\n" % (b"0" * 64))
    assert verify() == "未检查任何文件：第 1 行：路径指向文件夹之外（绝对路径或 ..）"
    manifest.write_bytes(b"%s  a\n" % (b"0" * 64))
    folder.rmdir()
    assert verify() == f"未检查任何文件：无法打开文件夹 {folder}：没有那个文件或目录"
