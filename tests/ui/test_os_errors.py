"""The operating system's error texts read in the window's language, not in English."""

# The expected Chinese texts use full-width punctuation, as Chinese does.
# ruff: noqa: RUF001

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.events import FileStatus
from app.core.reasons import Code, Reason
from app.ui.log_model import LogModel
from app.ui.main_window import MainWindow
from app.ui.os_errors import CONTEXT, TEXTS, os_error_text
from app.ui.reasons import engine_text
from tests.fusefs import fuse_available, mounted
from tests.helpers import REPO
from tests.ui.util import chinese_translations, click_start, fill, wait_finished

WindowFactory = Callable[..., MainWindow]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's wording")
def test_each_text_is_this_systems_wording_of_its_error() -> None:
    for name, text in TEXTS.items():
        assert os.strerror(getattr(errno, name)) == text, name


def test_each_text_is_translated_to_chinese() -> None:
    translated = chinese_translations(CONTEXT)
    for text in [*TEXTS.values(), "%1: %2"]:
        translation = translated.get(text)
        assert translation is not None and translation.text, text
        assert translation.get("type") is None, text


# Codes given an OSError's text through a variable (failures.why_failed's own choice
# among them), which the scan below cannot follow.
ERRORS_PASSED_ON = {
    "FOLDER_METADATA",
    "XATTRS_NOT_KEPT",
    "MODES_NOT_KEPT",
    "NOT_FLUSHED",
    "DISK_FULL_FILE",
    "CANNOT_READ_ENTRY",
    "CANNOT_LIST_FOLDER",
}


def test_every_reason_made_from_an_os_error_marks_it_as_one() -> None:
    """A code given an OSError's text (`exc.strerror`, or through `step`) says `{n:error}`,
    or the window would show that text in English; and only those do."""
    made_from_errors = set(ERRORS_PASSED_ON)
    for path in (REPO / "app" / "core").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "strerror" in line or "step(Code." in line or "why_failed(Code." in line:
                made_from_errors.update(re.findall(r"Code\.([A-Z_]+)", line))
    assert len(made_from_errors) > 15, made_from_errors  # the scan found them
    marked = {code.name for code in Code if ":error}" in code.value}
    assert marked == made_from_errors


def test_an_error_text_reads_in_chinese_with_a_name_joined_and_escaped(
    chinese: list[object],
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    assert os_error_text("Permission denied") == "权限不够"
    assert os_error_text("user.tag: Operation not supported") == "user.tag：不支持的操作"
    assert os_error_text("a: b: No space left on device") == "a: b：设备上没有空间"
    assert os_error_text("something else: entirely") == "something else: entirely"
    why = Reason(Code.XATTRS_NOT_KEPT, (3, "user.\x1b[2J: Operation not supported"))
    assert engine_text(why) == (
        "未能保留扩展属性或 ACL（条目数：3；第一个错误：user.\\x1b[2J：不支持的操作）"
    )
    # A path is not an error text, even one named so.
    why = Reason(Code.COPIED_UNLINKED, ("Permission denied", "Too many links"))
    assert "Permission denied" in engine_text(why) and "链接过多" in engine_text(why)


def test_in_english_error_texts_read_as_the_engine_wrote_them() -> None:
    why = Reason(Code.CANNOT_WRITE, ("No space left on device",))
    assert engine_text(why) == str(why) == "cannot write the copy: No space left on device"
    why = Reason(Code.FOLDER_METADATA, ("photos", "user.tag: Operation not supported"))
    assert engine_text(why) == str(why)


@pytest.mark.timeout(60)
def test_a_real_copy_in_chinese_says_the_file_systems_errors_in_chinese(
    chinese: list[object], qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """Onto a stick that refuses ':' and holds 1,000 bytes in one file: the refused name
    and the file too big read wholly in Chinese, their error texts too."""
    if reason := fuse_available():
        pytest.skip(reason)
    assert chinese, "ferry_zh_CN.qm did not load"
    source, backing = tmp_path / "src", tmp_path / "backing"
    source.mkdir()
    (source / "notes 10:00.txt").write_bytes(b"notes")
    (source / "video.mp4").write_bytes(b"v" * 3000)
    (source / "ok.txt").write_bytes(b"ok")
    (backing / "dst").mkdir(parents=True)

    with mounted(backing, tmp_path / "mnt", refused=":", largest=1000) as mount:
        window = make_window()
        fill(window, source, mount.point / "dst")
        click_start(qtbot, window)
        wait_finished(qtbot, window)

    model = window.logPanel.logModel
    shown = {
        model.result(row).path: (
            model.result(row).status,
            model.data(model.index(row, LogModel.REASON), Qt.ItemDataRole.DisplayRole),
        )
        for row in range(model.rowCount())
    }
    assert shown["ok.txt"][0] is FileStatus.COPIED
    assert shown["notes 10:00.txt"] == (
        FileStatus.FAILED,
        "目标文件系统不允许此名称（无效的参数）："
        'vfat 和 exFAT 不接受名称中的 \\ : * ? " < > | 和控制字符',
    )
    status, text = shown["video.mp4"]
    assert status is FileStatus.FAILED and text.startswith(
        "超过目标文件系统单个文件所能容纳的大小（文件过大）"
    )
    assert not re.search(r"[A-Za-z]{4,}", text.replace("FAT32", "").replace("vfat", "")), text
