"""Window entry point: parse the arguments, check for a display, load translations, show."""

from __future__ import annotations

import argparse
import os
import sys

from app import __version__
from app.parser import Parser

LANGUAGES = ("en", "zh_CN")
# Qt's own command-line options (QApplication, QGuiApplication): handed to Qt, which
# removes them, instead of being refused as unknown.
QT_OPTIONS_WITH_VALUE = frozenset(
    {
        "-style",
        "-stylesheet",
        "-platform",
        "-platformpluginpath",
        "-platformtheme",
        "-plugin",
        "-qwindowgeometry",
        "-qwindowicon",
        "-qwindowtitle",
        "-display",
        "-geometry",
        "-session",
        "-qmljsdebugger",
    }
)
QT_FLAGS = frozenset({"-reverse", "-widgetcount", "-nograb", "-dograb", "-sync"})


def split_arguments(argv: list[str]) -> tuple[list[str], list[str]]:
    """(Qt's options, Ferry's arguments): "-style fusion" and "-reverse" go to Qt."""
    qt: list[str] = []
    ours: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        index += 1
        if arg.split("=", 1)[0] in QT_OPTIONS_WITH_VALUE:
            qt.append(arg)
            if "=" not in arg and index < len(argv):
                qt.append(argv[index])  # "-style fusion": the value goes along
                index += 1
        elif arg in QT_FLAGS:
            qt.append(arg)
        else:
            ours.append(arg)
    return qt, ours


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ferry",
        description="Open the Ferry window (use `ferry copy SOURCE TARGET` without a display).",
    )
    parser.add_argument("folder", nargs="?", help="folder to copy (as --source)")
    parser.add_argument("--source", help="folder to copy, pre-filled in the window")
    parser.add_argument("--target", help="folder to copy into, pre-filled in the window")
    parser.add_argument("--start", action="store_true", help="start copying right away")
    parser.add_argument(
        "--exit-when-done",
        action="store_true",
        help="close when the copy ends; exit code as for the copy command",
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="language (default: the system's)")
    parser.add_argument("--version", action="version", version=f"ferry {__version__}")
    parser.epilog = "Qt's own options (-style NAME, -reverse, -platform NAME, ...) are accepted."
    return parser


def has_display(qt_arguments: tuple[str, ...] = ()) -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if any(arg.split("=", 1)[0] == "-platform" for arg in qt_arguments):
        return True  # e.g. -platform offscreen
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def choose_language(requested: str | None) -> str:
    if requested:
        return requested
    from PySide6.QtCore import QLocale

    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def install_translators(app: object, language: str) -> list[object]:
    """Load Ferry's and Qt's own translations for `language`; returns what was installed."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    from app.ui.resources import translations_dir

    assert isinstance(app, QApplication)
    installed: list[object] = []
    QLocale.setDefault(QLocale(language))
    # English needs a .qm too: it holds the plural forms ("1 file", "2 files").
    candidates = [(f"ferry_{language}", str(translations_dir()))]
    if language != "en":
        qt_translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        candidates.append((f"qtbase_{language}", qt_translations))
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
        elif name.startswith("ferry_"):
            sys.stderr.write(f"ferry: no translation {name}.qm in {folder}\n")
    return installed


def is_text(path: str) -> bool:
    """Whether a path is valid UTF-8 (no undecodable byte), as a Qt string can hold it."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def given_folder(path: str) -> str:
    """A folder given on the command line, as the window's field takes it: a full path.

    Relative to the directory Ferry was started in (the window refuses a relative path:
    its field never shows where that is), and "~" is home as in the field: the shell
    leaves the "~" of --target=~/backup as it is.
    """
    return os.path.abspath(os.path.expanduser(path))


def refuse_to_start(problem: str) -> int:
    """--start with --exit-when-done, but the fields cannot start: say why, exit 2."""
    from PySide6.QtCore import QCoreApplication

    from app.core.report import EXIT_REFUSED

    problem = problem or QCoreApplication.translate(
        "Launch", "Both a source and a target folder are needed."
    )
    sys.stderr.write(f"ferry: {problem}\n")
    return EXIT_REFUSED


def main(argv: list[str]) -> int:
    parser = build_parser()
    qt_arguments, argv = split_arguments(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return 2 if exit_.code else 0
    source = args.source or args.folder
    if unshowable := next((p for p in (source, args.target) if p and not is_text(p)), None):
        from app.core.events import printable

        # Qt's strings drop such bytes: the window would copy another folder's contents.
        sys.stderr.write(
            f"ferry: the window cannot hold the folder name {printable(unshowable)} "
            f"(not UTF-8).\nCopy it without a window:   {_command()} copy SOURCE TARGET\n"
        )
        return 2
    if not has_display(tuple(qt_arguments)):
        sys.stderr.write(
            "ferry: no display available (DISPLAY and WAYLAND_DISPLAY are not set).\n"
            f"Copy without a window:   {_command()} copy SOURCE TARGET\n"
            f"Or use a virtual display: xvfb-run {_command()} ...  "
            "(or QT_QPA_PLATFORM=offscreen)\n"
        )
        return 2

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.processes import start_early
    from app.ui.main_window import MainWindow

    program = sys.argv[0] if sys.argv else "ferry"
    app = QApplication.instance() or QApplication([program, *qt_arguments])
    assert isinstance(app, QApplication)
    app.setApplicationName("Ferry")
    app.setOrganizationName("Ferry")
    app.setDesktopFileName("ferry")
    install_translators(app, choose_language(args.lang))
    window = MainWindow(
        source=given_folder(source) if source else None,
        # A folder given to copy with no target: not into the last job's target unasked.
        target=given_folder(args.target) if args.target else ("" if source else None),
        exit_when_done=args.exit_when_done,
    )
    window.show()
    # The workers' fork server starts once the window is up, so Start finds it ready.
    QTimer.singleShot(0, start_early)
    if args.start and not window.start() and args.exit_when_done:
        code = refuse_to_start(window.problem())
        window.close()
        return code
    return app.exec()


def _command() -> str:
    """How the user started Ferry: the executable, or Python with the package."""
    return sys.argv[0] if getattr(sys, "frozen", False) and sys.argv else "python -m app"
