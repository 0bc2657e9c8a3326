"""The desktop around the window: no sleep while copying, progress on the launcher, alerts."""

from __future__ import annotations

import hashlib
import html
import sys

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

# The freedesktop inhibition services, in order: power management first (it holds off
# sleep), then the idle inhibitor every desktop offers (idle is what triggers sleep).
INHIBITORS = (
    (
        "org.freedesktop.PowerManagement",
        "/org/freedesktop/PowerManagement/Inhibit",
        "org.freedesktop.PowerManagement.Inhibit",
    ),
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
)
LAUNCHER_INTERFACE = "com.canonical.Unity.LauncherEntry"  # KDE's and Dock's taskbars read it


def session_bus(name: str, address: str | None) -> QDBusConnection | None:
    """A private connection to the session bus (or `address`); None without a bus (CI)."""
    if sys.platform in ("win32", "darwin") and address is None:
        return None
    if address is None:
        connection = QDBusConnection.connectToBus(QDBusConnection.BusType.SessionBus, name)
    else:
        connection = QDBusConnection.connectToBus(address, name)
    return connection if connection.isConnected() else None


class SleepInhibitor(QObject):
    """Asks the desktop not to sleep while a copy runs (Linux, freedesktop D-Bus API).

    The request is asynchronous: the window never waits for the bus. It is released by
    closing the private bus connection, which the services watch: org.freedesktop
    UnInhibit takes an unsigned cookie that PySide6 cannot send (it sends int32). On
    Windows and macOS nothing is done (not implemented; documented in the README).

    Signals:
        held(str service): the desktop accepted the request.
    """

    held = Signal(str)

    def __init__(self, address: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._address = address
        self._connection: QDBusConnection | None = None
        self._name = f"ferry-inhibit-{id(self):x}"
        self._watchers: list[QDBusPendingCallWatcher] = []
        self.service = ""  # which service holds the request, once one does

    def hold(self, reason: str) -> bool:
        """Ask not to sleep; False if there is no bus to ask (nothing happens then)."""
        if self._connection is not None:
            return True
        self._connection = session_bus(self._name, self._address)
        if self._connection is None:
            return False
        self._ask(0, reason)
        return True

    def _ask(self, index: int, reason: str) -> None:
        if self._connection is None or index >= len(INHIBITORS):
            return
        service, path, interface = INHIBITORS[index]
        call = QDBusMessage.createMethodCall(service, path, interface, "Inhibit")
        call.setArguments([QApplication.applicationName() or "Ferry", reason])
        watcher = QDBusPendingCallWatcher(self._connection.asyncCall(call), self)
        watcher.setProperty("index", index)
        watcher.setProperty("reason", reason)
        watcher.finished.connect(self._on_watcher_finished)
        self._watchers.append(watcher)

    @Slot(QDBusPendingCallWatcher)
    def _on_watcher_finished(self, watcher: QDBusPendingCallWatcher) -> None:
        self._watchers.remove(watcher)
        watcher.deleteLater()
        if self._connection is None:
            return  # released meanwhile
        index = int(watcher.property("index"))
        if watcher.isError():
            self._ask(index + 1, str(watcher.property("reason")))  # try the next service
            return
        self.service = INHIBITORS[index][0]
        self.held.emit(self.service)

    def release(self) -> None:
        if self._connection is None:
            return
        self._connection = None
        self.service = ""
        QDBusConnection.disconnectFromBus(self._name)

    def holding(self) -> bool:
        return bool(self.service)


class LauncherProgress(QObject):
    """Progress on the taskbar entry (Unity launcher API over D-Bus), where one listens.

    Nothing listens on GNOME without an extension, and nothing is sent on Windows or
    macOS (QtWinExtras is gone from Qt 6): there it is skipped.
    """

    def __init__(self, desktop_id: str = "ferry.desktop", address: str | None = None) -> None:
        super().__init__()
        self._app = f"application://{desktop_id}"
        self._path = (
            "/com/canonical/unity/launcherentry/"
            + hashlib.md5(desktop_id.encode(), usedforsecurity=False).hexdigest()
        )
        self._address = address
        self._connection: QDBusConnection | None = None
        self._tried = False
        self._shown = -1

    def show(self, permille: int) -> None:
        """Show the bar at permille/1000; repeated values are not sent again."""
        if permille != self._shown:
            self._shown = permille
            self._send({"progress": permille / 1000, "progress-visible": True})

    def clear(self) -> None:
        if self._shown != -1:
            self._shown = -1
            self._send({"progress": 0.0, "progress-visible": False})

    def _send(self, properties: dict[str, object]) -> None:
        if not self._tried:
            self._tried = True
            self._connection = session_bus(f"ferry-launcher-{id(self):x}", self._address)
        if self._connection is None:
            return
        message = QDBusMessage.createSignal(self._path, LAUNCHER_INTERFACE, "Update")
        message.setArguments([self._app, properties])
        self._connection.send(message)


class Attention:
    """Tells a user who looks elsewhere: a tray message, else a taskbar alert."""

    def __init__(self, window: QWidget) -> None:
        self._window = window
        self._tray: QSystemTrayIcon | None = None
        self.last = ""

    def tell(self, title: str, message: str) -> None:
        if self._window.isActiveWindow():
            return
        # Notification servers read the message as markup: a path's "<b>" or "<a href>"
        # must show as text (review of hostile names).
        message = self.last = html.escape(message, quote=False)
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self._window.windowIcon(), self._window)
            self._tray.show()
            self._tray.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)
        else:
            QApplication.alert(self._window)

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()


class Desktop:
    """The window's dealings with the desktop while it copies."""

    def __init__(self, window: QWidget) -> None:
        self.attention = Attention(window)
        self.inhibitor = SleepInhibitor(parent=window)
        self.launcher = LauncherProgress()

    def copy_started(self, reason: str) -> None:
        self.inhibitor.hold(reason)

    def show_progress(self, permille: int) -> None:
        self.launcher.show(permille)

    def copy_ended(self) -> None:
        self.inhibitor.release()
        self.launcher.clear()

    def close(self) -> None:
        self.copy_ended()
        self.attention.close()
