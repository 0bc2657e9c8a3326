"""Human-readable sizes, speeds and durations for the window, in the current locale."""

from __future__ import annotations

import datetime
import re
import unicodedata

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QGuiApplication, Qt

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
_MARKER = re.compile(r"%([1-9])")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark text for lupdate; translated later, at display time (typed: PySide's says object)."""
    return text


def fill(template: str, *values: str) -> str:
    """%1, %2, ... of a translated template replaced in one pass.

    Replacing %1 and then %2 corrupted "50%2 off" when a folder name held "%2".
    """

    def value(marker: re.Match[str]) -> str:
        number = int(marker.group(1))
        return values[number - 1] if number <= len(values) else marker.group(0)

    return _MARKER.sub(value, template)


def sentences(*texts: str) -> str:
    """Sentences one after another: a space between two, none after a wide character
    (Chinese ends a sentence with a full-width stop and goes on: "。 " showed a gap)."""
    joined = ""
    for text in texts:
        wide = bool(joined) and unicodedata.east_asian_width(joined[-1]) in ("W", "F")
        joined += ("" if wide or not joined else " ") + text
    return joined


def plain_tip(text: str) -> str:
    """A tooltip that shows `text` as it is (a file name, a path).

    Qt renders a tooltip as HTML when it looks like HTML, so a file named `<img src=...>`
    would draw an image, or `<b>` hide its own markup.
    """
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text


def isolated(text: str) -> str:
    """A number with its unit, kept in order in a right-to-left layout.

    Bidi layout showed "609.7 MiB/s" as "MiB/s 609.7" in a forced right-to-left
    window: a left-to-right isolate (LRI ... PDI) keeps the pair as one run.
    """
    if QGuiApplication.isRightToLeft():
        return f"\u2066{text}\u2069"
    return text


def human_bytes(n: float) -> str:
    return isolated(_bytes(n))


def _bytes(n: float) -> str:
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
    speed = fill(QCoreApplication.translate("Format", "%1/s"), _bytes(bytes_per_second))
    return isolated(speed)


def human_duration(seconds: float) -> str:
    """0:42, 12:05 or 3:04:05."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return isolated(f"{hours}:{minutes:02d}:{secs:02d}")
    return isolated(f"{minutes}:{secs:02d}")


def human_count(n: int) -> str:
    return QLocale().toString(n)


def human_time_ns(mtime_ns: int) -> str:
    when = datetime.datetime.fromtimestamp(mtime_ns / 1e9)
    return when.strftime("%Y-%m-%d %H:%M:%S")
