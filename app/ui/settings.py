"""Every QSettings key Ferry uses, in one place, behind typed accessors."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from app.core.options import ConflictPolicy, CopyOptions

ORGANIZATION = "Ferry"
APPLICATION = "Ferry"

SOURCE = "folders/source"
TARGET = "folders/target"
RECENT_SOURCES = "folders/recent_sources"
RECENT_TARGETS = "folders/recent_targets"
CONFLICT = "options/on_conflict"
FOLLOW_SYMLINKS = "options/follow_symlinks"
FSYNC = "options/fsync"
WORKERS = "options/workers"
VERIFY = "options/verify"
SAVE_MANIFEST = "options/save_manifest"
MANIFEST = "options/manifest"  # the last checksum file, kept while saving is off
VERIFY_MANIFEST = "verify/manifest"  # the last file of Verify a folder…
GEOMETRY = "window/geometry"
COMPACT = "window/compact"
EXPORT_FOLDER = "log/export_folder"

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

    def _recent(self, key: str) -> list[str]:
        value = self._get(key, [])
        if isinstance(value, str):  # a one-element list comes back as a plain string
            value = [value] if value else []
        return [str(v) for v in value] if isinstance(value, list) else []

    def _add_recent(self, key: str, folder: str) -> None:
        if not folder:
            return
        recent = [f for f in self._recent(key) if f != folder]
        self.qsettings.setValue(key, [folder, *recent][:MAX_RECENT])

    def recent_sources(self) -> list[str]:
        return self._recent(RECENT_SOURCES)

    def recent_targets(self) -> list[str]:
        return self._recent(RECENT_TARGETS)

    def add_recent(self, source: str, target: str) -> None:
        """Remember a job's folders, each first in its own list."""
        self._add_recent(RECENT_SOURCES, source)
        self._add_recent(RECENT_TARGETS, target)

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
            verify=_bool(self._get(VERIFY, False)),
            manifest=self.manifest() if _bool(self._get(SAVE_MANIFEST, False)) else "",
        )

    def set_options(self, options: CopyOptions) -> None:
        self.qsettings.setValue(CONFLICT, options.on_conflict.value)
        self.qsettings.setValue(WORKERS, options.workers)
        self.qsettings.setValue(FOLLOW_SYMLINKS, options.follow_symlinks)
        self.qsettings.setValue(FSYNC, options.fsync)
        self.qsettings.setValue(VERIFY, options.verify)
        self.qsettings.setValue(SAVE_MANIFEST, bool(options.manifest))
        if options.manifest:
            self.qsettings.setValue(MANIFEST, options.manifest)

    def manifest(self) -> str:
        """The checksum file last chosen, whether saving checksums is on or off."""
        return str(self._get(MANIFEST, ""))

    def verify_manifest(self) -> str:
        """The checksum file Verify a folder… checked last."""
        return str(self._get(VERIFY_MANIFEST, ""))

    def set_verify_manifest(self, path: str) -> None:
        self.qsettings.setValue(VERIFY_MANIFEST, path)

    # --- window ----------------------------------------------------------------------

    def geometry(self) -> QByteArray | None:
        value = self.qsettings.value(GEOMETRY)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, geometry: QByteArray) -> None:
        self.qsettings.setValue(GEOMETRY, geometry)

    def compact(self) -> bool:
        """The compact view while copying (progress and buttons only)."""
        return _bool(self._get(COMPACT, False))

    def set_compact(self, compact: bool) -> None:
        self.qsettings.setValue(COMPACT, compact)

    def export_folder(self) -> str:
        return str(self._get(EXPORT_FOLDER, ""))

    def set_export_folder(self, folder: str) -> None:
        self.qsettings.setValue(EXPORT_FOLDER, folder)

    def sync(self) -> None:
        self.qsettings.sync()
