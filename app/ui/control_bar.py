"""Start, Pause/Resume and Cancel, with their keyboard shortcuts; Verify a folder…"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QToolButton, QWidget

from app.ui.about import show_about, show_help
from app.ui.accessible import name_button
from app.ui.icons import Glyph, button_icon


class ControlBar(QWidget):
    """The buttons that run a copy.

    Signals:
        startClicked(), previewClicked(), pauseClicked(), cancelClicked()
        escapePressed(): Esc in the window; the window asks before it cancels, since an
            Esc meant for a dialog that just closed must not end the copy.
        detailsToggled(bool): Details on (everything) or off (the compact view).
        closeRequested(): Ctrl+W or Ctrl+Q (the platform's Close and Quit keys).
        verifyFolderClicked(): check a folder against a checksum file.
    """

    startClicked = Signal()
    previewClicked = Signal()
    pauseClicked = Signal()
    cancelClicked = Signal()
    escapePressed = Signal()
    detailsToggled = Signal(bool)
    closeRequested = Signal()
    verifyFolderClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("controlBar")
        self._paused = False
        self.startButton = QPushButton()
        self.startButton.setObjectName("startButton")
        self.startButton.setText(self.tr("&Start"))
        self.startButton.setToolTip(self.tr("Start copying (Ctrl+Enter)"))
        self.startButton.setDefault(True)
        self.previewButton = QPushButton(self.tr("Pre&view"))
        self.previewButton.setObjectName("previewButton")
        self.previewButton.setToolTip(
            self.tr("List what Start would do, file by file, without writing anything")
        )
        self.pauseButton = QPushButton(self.tr("&Pause"))
        self.pauseButton.setObjectName("pauseButton")
        self.pauseButton.setToolTip(self.tr("Pause or resume (Ctrl+P)"))
        self.cancelButton = QPushButton(self.tr("&Cancel"))
        self.cancelButton.setObjectName("cancelButton")
        self.cancelButton.setToolTip(self.tr("Stop copying (Esc)"))
        self.detailsButton = QPushButton(self.tr("&Details"))
        self.detailsButton.setObjectName("detailsButton")
        self.detailsButton.setCheckable(True)
        self.detailsButton.setChecked(True)
        self.detailsButton.setToolTip(self.tr("Show the folders, the speed graph and the log"))
        self.detailsButton.hide()  # until a copy starts: before, everything is needed
        self.verifyButton = QPushButton(self.tr("Verify &a folder…"))
        self.verifyButton.setObjectName("verifyButton")
        self.verifyButton.setToolTip(
            self.tr("Check a folder against a checksum file, reading every file from the disk")
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.detailsButton)
        layout.addWidget(self.verifyButton)
        layout.addStretch(1)
        layout.addWidget(self.previewButton)
        layout.addWidget(self.startButton)
        layout.addWidget(self.pauseButton)
        layout.addWidget(self.cancelButton)
        self.helpButton = QToolButton()
        self.helpButton.setObjectName("helpButton")
        self.helpButton.setText("?")
        self.helpButton.setAccessibleName(self.tr("Help and about"))
        self.helpButton.setToolTip(self.tr("Help (F1) and About"))
        self.helpButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.helpButton)
        self.helpAction = menu.addAction(self.tr("&Help"))
        self.helpAction.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.helpAction.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.helpAction)  # F1 works with the menu closed
        self.aboutAction = menu.addAction(self.tr("&About Ferry"))
        self.helpButton.setMenu(menu)
        layout.addWidget(self.helpButton)

        # Shortcuts live on actions, not on the buttons: a button's shortcut is replaced
        # by the mnemonic of its next text ("&Resume" took Ctrl+P away, seen).
        self.startAction = self._action("Ctrl+Return", "Ctrl+Enter")
        self.pauseAction = self._action("Ctrl+P")
        self.cancelAction = self._action(QKeySequence(Qt.Key.Key_Escape))
        self.closeAction = self._action(
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Close),
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Quit),
            "Ctrl+Q",  # Quit has no binding of its own on some desktops
        )

        self.startButton.clicked.connect(self.startClicked)
        self.previewButton.clicked.connect(self.previewClicked)
        self.pauseButton.clicked.connect(self.pauseClicked)
        self.cancelButton.clicked.connect(self.cancelClicked)
        self.verifyButton.clicked.connect(self.verifyFolderClicked)
        self._paint_icons()
        self.detailsButton.toggled.connect(self.detailsToggled)
        self.startAction.triggered.connect(self.startButton.click)
        self.pauseAction.triggered.connect(self.pauseButton.click)
        self.cancelAction.triggered.connect(self._on_cancelAction_triggered)
        self.closeAction.triggered.connect(self.closeRequested)
        self.helpAction.triggered.connect(self._on_helpAction_triggered)
        self.aboutAction.triggered.connect(self._on_aboutAction_triggered)

    @Slot()
    def _on_helpAction_triggered(self) -> None:
        show_help(self.window())

    @Slot()
    def _on_aboutAction_triggered(self) -> None:
        show_about(self.window())

    @Slot()
    def _on_cancelAction_triggered(self) -> None:
        if self.cancelButton.isEnabled():
            self.escapePressed.emit()

    def _action(self, *keys: str | QKeySequence) -> QAction:
        action = QAction(self)
        unique = dict.fromkeys(QKeySequence(key).toString() for key in keys)
        action.setShortcuts([QKeySequence(key) for key in unique if key])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(action)
        return action

    def show_details_button(self, details: bool) -> None:
        """Offer the compact view (from the first copy on), with details on or off."""
        self.detailsButton.show()
        if self.detailsButton.isChecked() == details:
            self.detailsToggled.emit(details)
        else:
            self.detailsButton.setChecked(details)

    def set_compact(self, compact: bool) -> None:
        """The compact view watches a copy. Verify and Preview belong with the folders of
        the full view; without them the buttons fit its 520 pixels (Cancel was cut off)."""
        self.verifyButton.setVisible(not compact)
        self.previewButton.setVisible(not compact)

    def set_running(self, running: bool, can_start: bool) -> None:
        self.pauseButton.setEnabled(running)
        self.cancelButton.setEnabled(running)
        self.startButton.setEnabled(not running and can_start)
        self.previewButton.setEnabled(not running and can_start)
        self.verifyButton.setEnabled(not running)
        if not running:
            self.set_paused(False)

    def set_paused(self, paused: bool) -> None:
        self._paused = paused
        self.pauseButton.setText(self.tr("&Resume") if paused else self.tr("&Pause"))
        name_button(self.pauseButton)
        self._paint_icons()

    def _paint_icons(self) -> None:
        # Drawn in the button text's colour: Fusion's black icons vanished on dark buttons.
        palette = self.palette()
        self.startButton.setIcon(button_icon(Glyph.PLAY, palette))
        self.pauseButton.setIcon(button_icon(Glyph.PLAY if self._paused else Glyph.PAUSE, palette))
        self.cancelButton.setIcon(button_icon(Glyph.STOP, palette))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()

    def set_cancelling(self) -> None:
        self.cancelButton.setEnabled(False)
        self.pauseButton.setEnabled(False)
