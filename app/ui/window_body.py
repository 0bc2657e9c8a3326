"""The window's content: panels in a column that scrolls, summary and log in a splitter."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QVBoxLayout, QWidget

from app.ui.control_bar import ControlBar
from app.ui.folders_panel import FoldersPanel
from app.ui.geometry import WrappingColumn, room
from app.ui.log_panel import LogPanel
from app.ui.options_panel import OptionsPanel
from app.ui.progress_panel import ProgressPanel
from app.ui.summary_panel import SummaryPanel

COMPACT_WIDTH = 520  # the compact view is at most this wide


class _FillingLayout(WrappingColumn):
    """A column that fills the scroll area's viewport down to its minimum height.

    With word-wrapped labels inside, the layout has a height for width, and QScrollArea
    then sizes the content to its preferred height: a scroll bar appeared, and the log
    was cut, although everything fitted at the minimum heights. (Its minimum is what
    they need at the width they have: WrappingColumn.)
    """

    def hasHeightForWidth(self) -> bool:
        return False


SETTLING_MS = 1000  # a summary is laid out over a few rounds of events, well within this


class WindowBody(QScrollArea):
    """Folders and options, the buttons, progress, then summary and log.

    Everything scrolls, so on a small screen or at a large scale factor the window keeps
    a small minimum size and never has to grow: a summary or notices only take room from
    the log (they share a splitter) or add a scroll bar.
    """

    def __init__(
        self,
        folders: FoldersPanel,
        options: OptionsPanel,
        controls: ControlBar,
        progress: ProgressPanel,
        summary: SummaryPanel,
        log: LogPanel,
    ) -> None:
        super().__init__()
        self.setObjectName("windowBody")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no tab stop of its own: it shows nothing
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._controls, self._progress, self._summary, self._log = controls, progress, summary, log
        self.setupArea = QWidget()
        self.setupArea.setObjectName("setupArea")
        setup = QVBoxLayout(self.setupArea)
        setup.setContentsMargins(0, 0, 0, 0)
        setup.addWidget(folders)
        setup.addWidget(options)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("resultsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(summary)
        self.splitter.addWidget(log)
        self.splitter.setStretchFactor(1, 1)
        self._content = QWidget()
        self._layout = _FillingLayout(self._content)
        self._layout.setSpacing(8)
        self._layout.addWidget(self.setupArea)
        self._layout.addWidget(controls)
        self._layout.addWidget(progress)
        self._layout.addWidget(self.splitter, 1)
        self.setWidget(self._content)
        self._full_size: QSize | None = None  # the window's size before the compact view
        self._revealing = False  # the log is scrolled into view as the content grows
        self._settled = QTimer(self)  # ... until the summary's layout stands still
        self._settled.setSingleShot(True)
        self._settled.setInterval(SETTLING_MS)
        self._settled.timeout.connect(self._stop_revealing)
        self.verticalScrollBar().rangeChanged.connect(self._reveal_log)
        self.verticalScrollBar().valueChanged.connect(self._stop_revealing)

    def show_details(self, details: bool) -> None:
        """All of it, or the compact view: progress, buttons and the summary's headline.

        The window shrinks to the compact content and gets its size back with Details.
        """
        window = self.window()
        if not details and self._full_size is None:
            self._full_size = window.size()
        self.setupArea.setVisible(details)
        self._log.setVisible(details)
        self._controls.set_compact(not details)
        self._progress.set_details(details)
        self._summary.set_compact(not details)
        self.update_results()
        if not details:
            self.fit_compact()
        elif self._full_size is not None:
            window.resize(self._full_size)
            self._full_size = None

    def fit_compact(self, again: bool = True) -> None:
        """In the compact view, make the window as small as its content (which a summary
        may have extended); nothing in the full view. Measured at the old width first
        (its labels wrap less), so once more when the new width is laid out."""
        if self._full_size is None:
            return
        window = self.window()
        height = self.content_size().height() + 2
        window.resize(min(window.width(), COMPACT_WIDTH), min(height, room(window).height()))
        if again:
            QTimer.singleShot(0, lambda: self.fit_compact(again=False))

    def full_size(self) -> QSize:
        """The window's size in the full view (what is worth remembering)."""
        return self._full_size or self.window().size()

    def show_results(self) -> None:
        """A job ended: where the window is too short for all of it (1366x768, after a
        run with failures), scroll the summary and the log into view, past the folders
        and options, rather than leave the log below the window's edge. The summary is
        laid out in later events: done as the scroll range grows, until the user scrolls."""
        self._revealing = not self._log.isHidden()
        self._reveal_log()

    def _reveal_log(self) -> None:
        if self._revealing:
            self._revealing = False  # (its own scrolling is no reason to stop)
            self.ensureWidgetVisible(self._log, 0, 0)
            self._revealing = True
            self._settled.start()

    def _stop_revealing(self) -> None:
        """Scrolled by anything else (the user, the focus moving to a field), or laid out
        for good: later growth (More filters opened) is the user's to scroll."""
        self._revealing = False

    def update_results(self) -> None:
        """Call when the summary was shown or hidden."""
        # An empty splitter keeps its old minimum height: hide it when it shows nothing.
        shown = (self._summary, self._log)
        self.splitter.setVisible(any(not widget.isHidden() for widget in shown))

    def content_size(self) -> QSize:
        """The smallest size that shows all the content without scrolling."""
        self._layout.activate()
        return self._content.minimumSizeHint()
