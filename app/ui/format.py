"""Human-readable sizes, speeds and durations for the window, in the current locale."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QCoreApplication, QLocale

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def human_bytes(n: float) -> str:
    locale = QLocale()
    value = float(n)
    for unit in _UNITS:
        if abs(value) < 1024 or unit == _UNITS[-1]:
            if unit == "B":
                return f"{locale.toString(int(value))} {unit}"
            return f"{locale.toString(value, 'f', 1)} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def human_speed(bytes_per_second: float) -> str:
    # The literal call (not a helper) lets pyside6-lupdate find the string.
    return QCoreApplication.translate("Format", "%1/s").replace("%1", human_bytes(bytes_per_second))


def human_duration(seconds: float) -> str:
    """0:42, 12:05 or 3:04:05."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def human_count(n: int) -> str:
    return QLocale().toString(n)


def human_time_ns(mtime_ns: int) -> str:
    when = datetime.datetime.fromtimestamp(mtime_ns / 1e9)
    return when.strftime("%Y-%m-%d %H:%M:%S")
