"""Measure the window on one screen, idle and after a copy with failures; print JSON.

Run by tests/ui/test_layout.py in a process of its own, because the screen size and
the scale factor are fixed when Qt starts (QT_QPA_PLATFORM=offscreen:configfile=...,
QT_SCALE_FACTOR). Not a test module itself.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def main() -> int:
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

    from app.ui.launch import install_translators
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    language = sys.argv[1] if len(sys.argv) > 1 else "en"
    app = QApplication([])
    install_translators(app, language)
    work = Path(tempfile.mkdtemp(prefix="ferry-layout-"))
    atexit.register(shutil.rmtree, work, True)  # each probe left its folder in /tmp
    window = MainWindow(Settings(str(work / "ferry.ini")))
    window.show()
    app.processEvents()
    screen = window.screen().availableGeometry()

    def settle() -> None:
        """Events until the layout stands still, as a user finds the window: a summary
        and notices are laid out over several rounds of events."""
        bar, last, still = window.body.verticalScrollBar(), None, 0
        while still < 5:
            app.processEvents()
            now = (bar.maximum(), bar.value())
            still, last = (still + 1 if now == last else 0), now

    def state() -> dict[str, Any]:
        settle()
        hint = window.minimumSizeHint()
        minimum = window.minimumSize()
        return {
            "frame": rect(window.frameGeometry()),
            "min_width": max(hint.width(), minimum.width()),
            "min_height": max(hint.height(), minimum.height()),
        }

    def reachable(widget: QWidget) -> bool:
        """Scrolled into view if need be, is the widget on the screen, inside the window?"""
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget, 0, 0)
            parent = parent.parentWidget()
        app.processEvents()
        top_left = widget.mapToGlobal(widget.rect().topLeft())
        shown = QRect(top_left, widget.size())
        inside = QRect(window.mapToGlobal(window.rect().topLeft()), window.size())
        return screen.contains(shown) and inside.contains(shown)

    idle = state()
    source, target = work / "src", work / "dst"
    for index in range(5):
        (source / f"album {index}").mkdir(parents=True)
        (source / f"album {index}" / "photo.jpg").write_bytes(b"x" * 1000)
    target.mkdir()
    for index in range(5):  # a plain file where each folder goes: five failures
        (target / f"album {index}").write_text("in the way")
    window.foldersPanel.set_folders(str(source), str(target))
    window.foldersPanel.validate()
    window.start()
    while window.report is None:
        app.processEvents()
    for notice in ("A worker process (4242) died; its files are being retried.",) * 2:
        window.controller.notice.emit(notice)
    done = state()
    panels = window.foldersPanel, window.controlBar, window.logPanel
    # What a user sees of the log as the job left the window, without scrolling it.
    row = max(1, panels[2].logView.verticalHeader().defaultSectionSize())
    unscrolled = panels[2].logView.viewport().visibleRegion().boundingRect().height() // row
    widgets = {
        "sourceBrowseButton": panels[0].sourceBrowseButton,
        "targetBrowseButton": panels[0].targetBrowseButton,
        "startButton": panels[1].startButton,
        "cancelButton": panels[1].cancelButton,
        "exportButton": panels[2].exportButton,
        "logView": panels[2].logView.viewport(),
    }
    result = {
        "screen": rect(screen),
        "idle": idle,
        "done": done,
        "failures_shown": window.summaryPanel.failuresList.count(),
        "reachable": {name: reachable(widget) for name, widget in widgets.items()},
        "log_rows_visible": panels[2].logView.viewport().height() // row,
        "log_rows_unscrolled": unscrolled,
    }
    window.close()
    window.controller.shutdown()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.exit(main())
