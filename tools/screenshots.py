"""Screenshots of the window for docs/: full and compact, mid-copy and summary, per language.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python tools/screenshots.py [--lang en]

Copies a real tree (large files, many small ones, three that fail) into a fresh
target and grabs the window while the copy runs and after it ends. Needs a CJK font
for Chinese (fonts-wqy-microhei). Writes docs/window-<lang>-<full|compact>-<state>.png.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BIG_FILES = 6
BIG_SIZE = 160 << 20  # long enough to grab the window mid-copy on a fast disk


def make_source(root: Path) -> Path:
    source = root / "Photos 2024"
    block = os.urandom(1 << 20)
    for index in range(BIG_FILES):
        folder = source / "videos"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"holiday-{index + 1:02d}.mp4", "wb") as out:
            for _ in range(BIG_SIZE >> 20):
                out.write(block)
    for album in ("beach", "mountains", "city", "family"):
        folder = source / "albums" / album
        folder.mkdir(parents=True)
        for index in range(60):
            (folder / f"IMG_{index:04d}.jpg").write_bytes(block[: 20_000 + index * 900])
    return source


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=("en", "zh_CN"), action="append")
    parser.add_argument("--out", default=str(REPO / "docs"))
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from app.ui.launch import install_translators
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    work = Path(tempfile.mkdtemp(prefix="ferry-shots-"))
    # The folders read ~/Photos 2024 and ~/Backup: a home of the screenshots' own.
    os.environ["HOME"] = str(work / "home")
    app = QApplication([sys.argv[0]])
    app.setApplicationName("Ferry")
    try:
        source = make_source(work / "home")
        for language in args.lang or ["en", "zh_CN"]:
            translators = install_translators(app, language)
            target = work / "home" / "Backup"
            target.mkdir()
            for name in ("beach", "city", "family"):  # three files that cannot be copied
                (target / "albums").mkdir(exist_ok=True)
                (target / "albums" / name).mkdir(exist_ok=True)
                (target / "albums" / name / "IMG_0007.jpg").mkdir()
            window = MainWindow(Settings(str(work / f"{language}.ini")))
            window.resize(900, 780)
            window.show()
            window.foldersPanel.set_folders(f"~/{source.name}", f"~/{target.name}")
            window.optionsPanel.workersSpin.setValue(2)
            shots = Shots(app, window, Path(args.out), language)
            window.start()
            app.exec()  # Shots quits when done
            window.close()
            window.controller.shutdown()
            for translator in translators:
                app.removeTranslator(translator)  # type: ignore[arg-type]
            del shots
            shutil.rmtree(target)  # the next language copies into a fresh one
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


class Shots:
    """Watches the copy and grabs the window at the moments worth showing."""

    def __init__(self, app: object, window: object, out: Path, language: str) -> None:
        from PySide6.QtCore import QTimer

        self.app, self.window, self.out, self.language = app, window, out, language
        self.step = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def grab(self, view: str, state: str) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        name = self.out / f"window-{self.language}-{view}-{state}.png"
        self.window.grab().save(str(name))  # type: ignore[attr-defined]
        print(name)

    def tick(self) -> None:
        window = self.window
        progress = window.last_progress  # type: ignore[attr-defined]
        details = window.controlBar.detailsButton  # type: ignore[attr-defined]
        if self.step == 0 and progress and progress.bytes_total:
            if progress.bytes_done > 0.3 * progress.bytes_total:
                self.grab("full", "copying")
                details.setChecked(False)
                self.step = 1
        elif self.step == 1:
            self.grab("compact", "copying")
            self.step = 2
        elif self.step == 2 and window.report is not None:  # type: ignore[attr-defined]
            self.grab("compact", "summary")
            details.setChecked(True)
            self.step = 3
        elif self.step == 3:
            self.grab("full", "summary")
            self.timer.stop()
            self.app.quit()  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
