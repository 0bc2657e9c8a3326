"""The operating system's error texts ("Permission denied") in the window's language.

The engine keeps the C library's English (its reasons carry it as `{0:error}`); the
window looks the text up here by error number. Texts it does not know are shown as
they are.
"""

from __future__ import annotations

import errno
import functools
import os

from PySide6.QtCore import QCoreApplication

from app.ui.format import QT_TRANSLATE_NOOP, fill

CONTEXT = "OsError"

# By errno name, as glibc words them (a test checks); the errors a copy meets.
TEXTS: dict[str, str] = {
    "EPERM": QT_TRANSLATE_NOOP("OsError", "Operation not permitted"),
    "ENOENT": QT_TRANSLATE_NOOP("OsError", "No such file or directory"),
    "EIO": QT_TRANSLATE_NOOP("OsError", "Input/output error"),
    "ENXIO": QT_TRANSLATE_NOOP("OsError", "No such device or address"),
    "EBADF": QT_TRANSLATE_NOOP("OsError", "Bad file descriptor"),
    "EAGAIN": QT_TRANSLATE_NOOP("OsError", "Resource temporarily unavailable"),
    "ENOMEM": QT_TRANSLATE_NOOP("OsError", "Cannot allocate memory"),
    "EACCES": QT_TRANSLATE_NOOP("OsError", "Permission denied"),
    "EBUSY": QT_TRANSLATE_NOOP("OsError", "Device or resource busy"),
    "EEXIST": QT_TRANSLATE_NOOP("OsError", "File exists"),
    "EXDEV": QT_TRANSLATE_NOOP("OsError", "Invalid cross-device link"),
    "ENODEV": QT_TRANSLATE_NOOP("OsError", "No such device"),
    "ENOTDIR": QT_TRANSLATE_NOOP("OsError", "Not a directory"),
    "EISDIR": QT_TRANSLATE_NOOP("OsError", "Is a directory"),
    "EINVAL": QT_TRANSLATE_NOOP("OsError", "Invalid argument"),
    "ENFILE": QT_TRANSLATE_NOOP("OsError", "Too many open files in system"),
    "EMFILE": QT_TRANSLATE_NOOP("OsError", "Too many open files"),
    "ETXTBSY": QT_TRANSLATE_NOOP("OsError", "Text file busy"),
    "EFBIG": QT_TRANSLATE_NOOP("OsError", "File too large"),
    "ENOSPC": QT_TRANSLATE_NOOP("OsError", "No space left on device"),
    "EROFS": QT_TRANSLATE_NOOP("OsError", "Read-only file system"),
    "EMLINK": QT_TRANSLATE_NOOP("OsError", "Too many links"),
    "EPIPE": QT_TRANSLATE_NOOP("OsError", "Broken pipe"),
    "ENAMETOOLONG": QT_TRANSLATE_NOOP("OsError", "File name too long"),
    "ENOSYS": QT_TRANSLATE_NOOP("OsError", "Function not implemented"),
    "ENOTEMPTY": QT_TRANSLATE_NOOP("OsError", "Directory not empty"),
    "ELOOP": QT_TRANSLATE_NOOP("OsError", "Too many levels of symbolic links"),
    "ENODATA": QT_TRANSLATE_NOOP("OsError", "No data available"),
    "EOVERFLOW": QT_TRANSLATE_NOOP("OsError", "Value too large for defined data type"),
    "EILSEQ": QT_TRANSLATE_NOOP("OsError", "Invalid or incomplete multibyte or wide character"),
    "EOPNOTSUPP": QT_TRANSLATE_NOOP("OsError", "Operation not supported"),
    "ENOTCONN": QT_TRANSLATE_NOOP("OsError", "Transport endpoint is not connected"),
    "ETIMEDOUT": QT_TRANSLATE_NOOP("OsError", "Connection timed out"),
    "ECONNRESET": QT_TRANSLATE_NOOP("OsError", "Connection reset by peer"),
    "EHOSTDOWN": QT_TRANSLATE_NOOP("OsError", "Host is down"),
    "ESTALE": QT_TRANSLATE_NOOP("OsError", "Stale file handle"),
    "EDQUOT": QT_TRANSLATE_NOOP("OsError", "Disk quota exceeded"),
    "EUCLEAN": QT_TRANSLATE_NOOP("OsError", "Structure needs cleaning"),
    "ENOMEDIUM": QT_TRANSLATE_NOOP("OsError", "No medium found"),
    "EREMOTEIO": QT_TRANSLATE_NOOP("OsError", "Remote I/O error"),
    "EINTR": QT_TRANSLATE_NOOP("OsError", "Interrupted system call"),
    "EBADMSG": QT_TRANSLATE_NOOP("OsError", "Bad message"),
    "ENOKEY": QT_TRANSLATE_NOOP("OsError", "Required key not available"),
}


@functools.cache
def _by_text() -> dict[str, str]:
    """This system's English for each error number -> the text to translate.

    Keyed by what os.strerror says here, so a C library that words an error otherwise
    is still found; errors this system does not have are left out."""
    return {
        os.strerror(number): text
        for name, text in TEXTS.items()
        if (number := getattr(errno, name, None)) is not None
    }


def os_error_text(error: str) -> str:
    """`error` ("Permission denied", or "user.tag: Permission denied" as the engine joins
    a name to it) in the window's language; any other text as it is."""
    known = _by_text().get(error)
    if known is not None:
        return QCoreApplication.translate(CONTEXT, known)
    name, colon, rest = error.rpartition(": ")
    if colon and rest in _by_text():
        # The literal call (not a helper) lets pyside6-lupdate find the string.
        joined = QCoreApplication.translate("OsError", "%1: %2")
        return fill(joined, name, os_error_text(rest))
    return error
