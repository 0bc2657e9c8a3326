"""Fixtures for window tests: isolated settings, a window factory, a big shared source."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.controller import shutdown_all
from app.ui.launch import install_translators
from app.ui.main_window import MainWindow
from app.ui.settings import Settings
from tests.core.conftest import big_area, gated
from tests.helpers import MIB, write_big

__all__ = ["big_area", "gated"]  # fixtures shared with the engine tests

BIG_FILES = 4
BIG_SIZE = 300 * MIB  # on the real disk: seconds to copy, long enough to pause or cancel


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> Iterator[Path]:
    """Point every QSettings location at tmp_path: no test touches the user's settings."""
    folder = tmp_path / "settings"
    folder.mkdir()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder))
    yield folder
    shutdown_all()  # join any copy thread a failing test left running


@pytest.fixture
def settings_file(isolated_settings: Path) -> str:
    return str(isolated_settings / "ferry.ini")


@pytest.fixture
def make_window(qtbot: QtBot, settings_file: str) -> Callable[..., MainWindow]:
    def make(**kwargs: Any) -> MainWindow:
        kwargs.setdefault("settings", Settings(settings_file))
        window = MainWindow(**kwargs)
        qtbot.addWidget(window)
        window.show()
        return window

    return make


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[list[object]]:
    """The window's language is Simplified Chinese for this test; English again after."""
    previous = QLocale()
    installed = install_translators(qapp, "zh_CN")
    yield installed
    for translator in installed:
        assert isinstance(translator, QTranslator)
        qapp.removeTranslator(translator)
    QLocale.setDefault(previous)


@pytest.fixture(scope="session")
def big_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four 300 MiB files of real data on the real disk, shared by the slow tests."""
    source = tmp_path_factory.mktemp("big") / "src"
    source.mkdir()
    for index in range(BIG_FILES):
        write_big(source / f"big{index}.bin", BIG_SIZE, seed=bytes([index]))
    os.sync()
    return source
