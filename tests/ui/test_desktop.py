"""No sleep while copying and progress on the launcher, over a real (private) D-Bus."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from pytestqt.qtbot import QtBot

from app.ui.desktop import LauncherProgress, SleepInhibitor
from app.ui.main_window import MainWindow
from tests.ui.util import click_start, fill, make_tree, wait_finished

WindowFactory = Callable[..., MainWindow]
needs_dbus = pytest.mark.skipif(
    not (shutil.which("dbus-daemon") and shutil.which("dbus-monitor")),
    reason="needs dbus-daemon and dbus-monitor to run a private bus",
)


@pytest.fixture
def bus() -> Iterator[str]:
    """A private session bus of this test only; its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address=1", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    yield address
    daemon.terminate()
    daemon.wait(10)
    daemon.stdout.close()


class FakeInhibit(QObject):
    """What KDE's power management offers: Inhibit(application, reason) -> cookie."""

    def __init__(self) -> None:
        super().__init__()
        self.callers: list[tuple[str, str, str]] = []

    @Slot(str, str, QDBusMessage, result="uint")
    def Inhibit(self, application: str, reason: str, message: QDBusMessage) -> int:
        self.callers.append((message.service(), application, reason))
        return 7


@ClassInfo({"D-Bus Interface": "org.freedesktop.PowerManagement.Inhibit"})
class FakePowerManagement(FakeInhibit):
    pass


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class FakeScreenSaver(FakeInhibit):
    pass


class Served:
    """Fake services on a connection of their own; stop() takes them off the bus first,
    so the D-Bus thread never calls into an object Python has already freed."""

    def __init__(self, address: str, name: str) -> None:
        self.name = name
        self.connection = QDBusConnection.connectToBus(address, name)
        self._served: list[tuple[FakeInhibit, str, str]] = []

    def serve(self, fake: FakeInhibit, service: str, path: str) -> FakeInhibit:
        options = QDBusConnection.RegisterOption.ExportAllSlots
        assert self.connection.registerObject(path, fake, options)
        assert self.connection.registerService(service)
        self._served.append((fake, service, path))
        return fake

    def stop(self) -> None:
        for _fake, service, path in self._served:
            self.connection.unregisterService(service)
            self.connection.unregisterObject(path)
        QDBusConnection.disconnectFromBus(self.name)


@pytest.fixture
def services(bus: str, qtbot: QtBot) -> Iterator[Served]:
    served = Served(bus, "fake-services")
    yield served
    served.stop()
    qtbot.wait(0)  # let queued D-Bus deliveries drain while the fakes still exist


def on_bus(server: QDBusConnection, name: str) -> bool:
    reply = server.interface().isServiceRegistered(name)
    return bool(reply.value())


def test_without_a_session_bus_nothing_happens_and_nothing_breaks(qtbot: QtBot) -> None:
    inhibitor = SleepInhibitor(address="unix:path=/nonexistent/ferry-test-bus")
    assert not inhibitor.hold("Copying files")
    assert not inhibitor.holding()
    inhibitor.release()
    launcher = LauncherProgress(address="unix:path=/nonexistent/ferry-test-bus")
    launcher.show(500)
    launcher.clear()


@needs_dbus
def test_the_inhibitor_holds_power_management_and_lets_go_when_released(
    qtbot: QtBot, bus: str, services: Served
) -> None:
    fake = services.serve(
        FakePowerManagement(),
        "org.freedesktop.PowerManagement",
        "/org/freedesktop/PowerManagement/Inhibit",
    )
    server = services.connection
    inhibitor = SleepInhibitor(address=bus)
    with qtbot.waitSignal(inhibitor.held, timeout=5000) as held:
        assert inhibitor.hold("Copying files")
    assert held.args == ["org.freedesktop.PowerManagement"]
    caller, application, reason = fake.callers[0]
    assert reason == "Copying files" and application
    assert on_bus(server, caller)
    inhibitor.release()  # the services drop the request of a caller that leaves
    qtbot.waitUntil(lambda: not on_bus(server, caller), timeout=5000)
    assert not inhibitor.holding()


@needs_dbus
def test_without_power_management_the_idle_inhibitor_is_asked(
    qtbot: QtBot, bus: str, services: Served
) -> None:
    fake = services.serve(
        FakeScreenSaver(), "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver"
    )
    inhibitor = SleepInhibitor(address=bus)
    with qtbot.waitSignal(inhibitor.held, timeout=5000) as held:
        inhibitor.hold("Copying files")
    assert held.args == ["org.freedesktop.ScreenSaver"] and len(fake.callers) == 1
    inhibitor.release()


class Monitor:
    """dbus-monitor on the bus, its lines collected as they come."""

    def __init__(self, address: str, match: str) -> None:
        self.lines: list[str] = []
        self._process = subprocess.Popen(
            ["dbus-monitor", "--address", address, match],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            self.lines.append(line.strip())

    def text(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(10)
        self._reader.join(10)
        assert self._process.stdout is not None
        self._process.stdout.close()


@needs_dbus
def test_a_copy_holds_off_sleep_and_shows_progress_on_the_launcher(
    qtbot: QtBot, make_window: WindowFactory, bus: str, services: Served, tmp_path: Path
) -> None:
    fake = services.serve(
        FakePowerManagement(),
        "org.freedesktop.PowerManagement",
        "/org/freedesktop/PowerManagement/Inhibit",
    )
    server = services.connection
    monitor = Monitor(bus, "type='signal',interface='com.canonical.Unity.LauncherEntry'")
    qtbot.waitUntil(lambda: bool(monitor.lines), timeout=5000)  # it says it is listening
    source = tmp_path / "src"
    source.mkdir()
    make_tree(source, folders=2, files_per_folder=3)
    window = make_window()
    window.desktop.inhibitor = SleepInhibitor(address=bus, parent=window)
    window.desktop.launcher = LauncherProgress(address=bus)
    fill(window, source, tmp_path / "dst")
    click_start(qtbot, window)
    wait_finished(qtbot, window)
    try:
        assert len(fake.callers) == 1
        caller = fake.callers[0][0]
        qtbot.waitUntil(lambda: not on_bus(server, caller), timeout=5000)  # released
        qtbot.waitUntil(lambda: "boolean false" in monitor.text(), timeout=5000)
        text = monitor.text()
        assert "application://ferry.desktop" in text
        assert "progress-visible" in text and "boolean true" in text
        assert text.index("boolean true") < text.rindex("boolean false")  # shown, then hidden
    finally:
        monitor.stop()
