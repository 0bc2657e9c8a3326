"""The Simplified Chinese translation: complete, compiled, and loaded by the window."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.events import Progress
from app.ui.format import sentences
from app.ui.launch import install_translators
from app.ui.main_window import MainWindow
from app.ui.resources import translations_dir
from tests.helpers import REPO, cli_env

WindowFactory = Callable[..., MainWindow]
TOOLS = Path(sys.executable).parent


def test_the_chinese_translation_loads_into_the_window(
    chinese: list[object], make_window: WindowFactory, tmp_path: Path
) -> None:
    assert chinese, "ferry_zh_CN.qm did not load"
    window = make_window(source=str(tmp_path), target="")
    assert window.controlBar.startButton.text() == "开始(&S)"
    assert window.controlBar.pauseButton.text() == "暂停(&P)"
    assert window.controlBar.cancelButton.text() == "取消(&C)"
    assert window.optionsPanel.title() == "选项"
    assert window.conflictDialog.windowTitle() == "文件已存在"
    assert window.logPanel.logModel.headerData(1, Qt.Orientation.Horizontal) == "文件"
    assert window.foldersPanel.planLabel.text() == "请选择要复制的文件夹以及复制到的位置。" or (
        window.foldersPanel.planLabel.text() == "现在请选择复制到的位置。"
    )


@pytest.mark.parametrize(("language", "extra"), [("zh_CN", []), ("en", ["-pluralonly"])])
def test_every_string_is_translated_and_the_qm_is_up_to_date(
    tmp_path: Path, language: str, extra: list[str]
) -> None:
    lupdate, lrelease = TOOLS / "pyside6-lupdate", TOOLS / "pyside6-lrelease"
    if not (lupdate.exists() and lrelease.exists()):
        pytest.skip("pyside6-lupdate/lrelease are not next to this interpreter")
    ts = translations_dir() / f"ferry_{language}.ts"
    qm = ts.with_suffix(".qm")
    # Re-extract the strings of app/ui into a copy of the .ts: nothing may be unfinished
    # (English only carries the plural forms).
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    sources = sorted(str(p) for p in (REPO / "app" / "ui").glob("*.py"))
    subprocess.run([lupdate, *sources, "-ts", str(fresh), *extra], check=True, capture_output=True)
    text = fresh.read_text(encoding="utf-8")
    assert 'type="unfinished"' not in text, "untranslated strings: run lupdate and translate"
    assert 'type="vanished"' not in text and 'type="obsolete"' not in text
    # The committed .qm is what lrelease makes of the committed .ts.
    compiled = tmp_path / qm.name
    subprocess.run([lrelease, str(ts), "-qm", str(compiled)], check=True, capture_output=True)
    assert compiled.read_bytes() == qm.read_bytes(), f"{qm.name} is stale: run lrelease"


def test_english_plurals_come_from_the_english_qm(
    qapp: QApplication, make_window: WindowFactory, tmp_path: Path
) -> None:
    previous = QLocale()
    installed = install_translators(qapp, "en")
    try:
        assert installed, "ferry_en.qm did not load"
        window = make_window(source="", target="")
        one = window.foldersPanel.tr("Copy the %Ln file(s) (%3) inside %1 into %2.", "", 1)
        many = window.foldersPanel.tr("Copy the %Ln file(s) (%3) inside %1 into %2.", "", 1204)
        assert one == "Copy the 1 file (%3) inside %1 into %2."
        assert many == "Copy the 1,204 files (%3) inside %1 into %2."
        # ("Move 1 files?" before a move, once.)
        asked = window.foldersPanel.tr("Move the %Ln file(s) inside %1?", "", 1)
        assert asked == "Move the 1 file inside %1?"
        # The count in the locale's digits, as the counts below it ("1582" above "1,582").
        failed = window.summaryPanel.tr("Done, but %Ln item(s) could not be copied.", "", 1582)
        assert failed == "Done, but 1,582 items could not be copied."
        for ts in translations_dir().glob("*.ts"):  # (%n is the bare number)
            assert "%n" not in ts.read_text(encoding="utf-8"), ts.name
    finally:
        for translator in installed:
            assert isinstance(translator, QTranslator)
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)


def test_lang_option_is_accepted(qtbot: QtBot) -> None:
    from app.ui.launch import build_parser, choose_language

    assert choose_language(build_parser().parse_args(["--lang", "zh_CN"]).lang) == "zh_CN"


@pytest.mark.parametrize(
    ("system", "expected"),
    [("zh_CN.UTF-8", "zh_CN"), ("zh_TW.UTF-8", "zh_CN"), ("de_DE.UTF-8", "en")],
)
def test_without_lang_the_system_language_decides(system: str, expected: str) -> None:
    """Chinese systems get the Chinese window, every other language the English one."""
    probe = "from app.ui.launch import choose_language; print(choose_language(None))"
    env = {**cli_env(), "LANG": system, "LC_ALL": system, "LC_MESSAGES": system}
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, check=True, timeout=30
    )
    assert done.stdout.decode().strip() == expected


def test_counts_of_files_and_entries_take_the_english_plural(
    qapp: QApplication, make_window: WindowFactory
) -> None:
    """ "Delete 1 entries in the target…", "0 of 1 files", "Copy: 1 files" (review)."""
    previous = QLocale()
    installed = install_translators(qapp, "en")
    try:
        window = make_window(source="", target="")
        window.planGate.ask_mirror(1)
        box = window.planGate.box
        assert box is not None
        assert box.text() == "Delete 1 entry in the target that is not in the source?"
        box.reject()
        panel = window.progressPanel
        panel.begin(False)
        panel.show_progress(Progress(0, 1, 0, 10, True, 1.0), False)
        assert panel.statusLabel.text().startswith("0 of 1 file · ")
        panel.show_progress(Progress(1, 1, 10, 10, True, 1.5), False)
        panel.show_progress(Progress(1, 1, 10, 10, True, 2.0, phase="move"), False)
        assert panel.currentLabel.text().startswith("Copy: 1 file, 10 B · average ")
        assert panel.statusLabel.text().startswith("Moved sources removed: 1 of 1 file —")
    finally:
        for translator in installed:
            assert isinstance(translator, QTranslator)
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous)


def test_sentences_run_on_after_a_full_width_stop() -> None:
    """A mirror held back said "预览发现 2 项无法复制。 镜像只在…": a Latin space after
    the full-width stop (review of the window)."""
    held = sentences("预览发现 2 项无法复制。", "镜像只在预览无失败时删除。")
    assert held == "预览发现 2 项无法复制。镜像只在预览无失败时删除。"
    assert sentences("It found 2.", "A mirror deletes") == "It found 2. A mirror deletes"
