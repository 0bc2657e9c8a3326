"""Every QSettings key Ferry uses, in one place, behind typed accessors."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from app.core.options import ConflictPolicy, CopyOptions

ORGANIZATION = "Ferry"
APPLICATION = "Ferry"

SOURCE = "folders/source"
TARGET = "folders/target"
RECENT = "folders/recent"
CONFLICT = "options/on_conflict"
FOLLOW_SYMLINKS = "options/follow_symlinks"
FSYNC = "options/fsync"
WORKERS = "options/workers"
GEOMETRY = "window/geometry"
LOG_FILTER = "window/log_filter"

MAX_RECENT = 10


def _bool(value: object) -> bool:
    # INI files hand booleans back as the strings "true"/"false".
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)


class Settings:
    """Typed access to Ferry's settings.

    By default the platform's user settings; pass `path` to use an INI file instead
    (tests do, so they never touch the user's real settings).
    """

    def __init__(self, path: str | None = None) -> None:
        if path is None:
            self.qsettings = QSettings(ORGANIZATION, APPLICATION)
        else:
            self.qsettings = QSettings(path, QSettings.Format.IniFormat)

    def _get(self, key: str, default: object) -> object:
        value = self.qsettings.value(key, default)
        return default if value is None else value

    # --- folders ---------------------------------------------------------------------

    def source(self) -> str:
        return str(self._get(SOURCE, ""))

    def target(self) -> str:
        return str(self._get(TARGET, ""))

    def set_folders(self, source: str, target: str) -> None:
        self.qsettings.setValue(SOURCE, source)
        self.qsettings.setValue(TARGET, target)

    def recent(self) -> list[str]:
        value = self._get(RECENT, [])
        if isinstance(value, str):  # a one-element list comes back as a plain string
            value = [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent(self, *folders: str) -> None:
        recent = self.recent()
        for folder in reversed(folders):  # the first one ends up first
            if not folder:
                continue
            if folder in recent:
                recent.remove(folder)
            recent.insert(0, folder)
        self.qsettings.setValue(RECENT, recent[:MAX_RECENT])

    # --- options ---------------------------------------------------------------------

    def options(self) -> CopyOptions:
        try:
            policy = ConflictPolicy(str(self._get(CONFLICT, ConflictPolicy.NEWER.value)))
        except ValueError:
            policy = ConflictPolicy.NEWER
        try:
            workers = max(0, int(str(self._get(WORKERS, 0))))
        except ValueError:
            workers = 0
        return CopyOptions(
            workers=workers,
            on_conflict=policy,
            follow_symlinks=_bool(self._get(FOLLOW_SYMLINKS, False)),
            fsync=_bool(self._get(FSYNC, False)),
        )

    def set_options(self, options: CopyOptions) -> None:
        self.qsettings.setValue(CONFLICT, options.on_conflict.value)
        self.qsettings.setValue(WORKERS, options.workers)
        self.qsettings.setValue(FOLLOW_SYMLINKS, options.follow_symlinks)
        self.qsettings.setValue(FSYNC, options.fsync)

    # --- window ----------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value(GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, geometry: QByteArray) -> None:
        self.qsettings.setValue(GEOMETRY, geometry)

    def log_filter(self) -> int:
        try:
            return int(str(self._get(LOG_FILTER, 0)))
        except ValueError:
            return 0

    def set_log_filter(self, index: int) -> None:
        self.qsettings.setValue(LOG_FILTER, index)

    def sync(self) -> None:
        self.qsettings.sync()
