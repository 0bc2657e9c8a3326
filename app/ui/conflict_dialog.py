"""The Ask-policy dialog: both files side by side, Replace / Skip / Keep both, for all."""

from __future__ import annotations

import html
import os
from collections.abc import Iterator

from PySide6.QtCore import QPoint, Qt, QTextBoundaryFinder, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.events import ConflictQuestion, printable
from app.core.options import ConflictPolicy
from app.ui.format import fill, human_bytes, human_count, human_time_ns

ZWSP = "\u200b"  # a zero-width space: a line may break there, nothing shows
RUN = 32  # characters without a break opportunity before one is made between each
SHOWN = 480  # characters of a name shown at most; the middle of a longer one is elided


def graphemes(text: str) -> Iterator[str]:
    """The characters a person sees: a letter with its accents, an emoji with its skin
    tone. A break between them would tear them apart."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    index_at_unit, units = {0: 0}, 0  # Qt counts UTF-16 units; Python, code points
    for index, char in enumerate(text, 1):
        units += 2 if ord(char) > 0xFFFF else 1
        index_at_unit[units] = index
    start, end = 0, finder.toNextBoundary()
    while end != -1:
        yield text[start : index_at_unit[end]]
        start, end = index_at_unit[end], finder.toNextBoundary()


def shown_name(path: str) -> str:
    """A path as the dialog shows it: escaped (printable), the middle of a very long one
    elided so that the dialog stays on the screen."""
    characters = list(graphemes(printable(path)))
    if len(characters) <= SHOWN:
        return "".join(characters)
    half = SHOWN // 2
    return "".join(characters[:half]) + "…" + "".join(characters[-half:])


def breakable(path: str) -> str:
    """A path, escaped, that may wrap (see wrappable)."""
    return wrappable(printable(path))


def wrappable(text: str) -> str:
    """Printable text that may wrap after each separator, and anywhere in a long run
    without a space or a separator (a name at the 255-byte limit was one line wider
    than the screen). A zero-width space marks each place."""
    lines = []
    for part in text.split(os.sep):
        words = []
        for word in part.split(" "):
            if len(word) > RUN:
                word = ZWSP.join(graphemes(word))
            words.append(word)
        lines.append(" ".join(words))
    return (os.sep + ZWSP).join(lines)


class ConflictDialog(QDialog):
    """Non-blocking: shown with open(), the copy of other files goes on meanwhile.

    Questions queue up (enqueue); each answer shows the next, and an answer "for all"
    ends the queue, since the engine applies it to the rest. "Skip identical files" is the
    exception: the engine compares each waiting file and asks again about those that differ.

    Signals:
        decided(int conflict_id, str ConflictPolicy value, bool apply_to_all)
    """

    decided = Signal(int, str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("File already exists"))
        self.setModal(False)
        self._question: ConflictQuestion | None = None
        self._queue: list[ConflictQuestion] = []
        self._for_all = False
        self._skipping_identical = False  # answered "skip identical" for all

        self.headline = QLabel()
        self.headline.setObjectName("conflictHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("<b>Size</b>")), 0, 1)
        grid.addWidget(QLabel(self.tr("<b>Modified</b>")), 0, 2)
        grid.addWidget(QLabel(self.tr("Copying (source):")), 1, 0)
        grid.addWidget(QLabel(self.tr("Existing (target):")), 2, 0)
        self.source_size = QLabel()
        self.source_time = QLabel()
        self.target_size = QLabel()
        self.target_time = QLabel()
        self.source_newer = QLabel(self.tr("newer"))
        self.target_newer = QLabel(self.tr("newer"))
        for row, widgets in enumerate(
            (
                (self.source_size, self.source_time, self.source_newer),
                (self.target_size, self.target_time, self.target_newer),
            ),
            1,
        ):
            for column, widget in enumerate(widgets, 1):
                grid.addWidget(widget, row, column)
        for marker in (self.source_newer, self.target_newer):
            font = marker.font()
            font.setBold(True)
            marker.setFont(font)
        grid.setColumnStretch(3, 1)

        self.remaining = QLabel()
        self.remaining.setObjectName("conflictRemaining")
        self.applyToAllCheck = QCheckBox(self.tr("Do this for &all conflicts"))
        self.applyToAllCheck.setObjectName("applyToAllCheck")
        self.replaceButton = QPushButton(self.tr("&Replace"))
        self.replaceButton.setObjectName("replaceButton")
        self.skipButton = QPushButton(self.tr("&Skip"))
        self.skipButton.setObjectName("skipButton")
        self.keepBothButton = QPushButton(self.tr("&Keep both"))
        self.keepBothButton.setObjectName("keepBothButton")
        # Enter keeps the target's file, as Escape does (Enter replaced a newer file); the
        # Move and Mirror questions default to "Do nothing" alike.
        self.skipButton.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.applyToAllCheck)
        buttons.addStretch(1)
        buttons.addWidget(self.replaceButton)
        buttons.addWidget(self.skipButton)
        buttons.addWidget(self.keepBothButton)
        # Answers that only make sense for all conflicts, so they need no checkbox.
        self.replaceOlderButton = QPushButton(self.tr("Replace &older files"))
        self.replaceOlderButton.setObjectName("replaceOlderButton")
        self.replaceOlderButton.setToolTip(
            self.tr("For all conflicts: replace a file only if the one being copied is newer")
        )
        self.skipIdenticalButton = QPushButton(self.tr("Skip &identical files"))
        self.skipIdenticalButton.setObjectName("skipIdenticalButton")
        self.skipIdenticalButton.setToolTip(
            self.tr("For all conflicts: skip files whose content is the same; ask about others")
        )
        for_all = QHBoxLayout()
        for_all.addWidget(QLabel(self.tr("For all conflicts:")))
        for_all.addStretch(1)
        for_all.addWidget(self.replaceOlderButton)
        for_all.addWidget(self.skipIdenticalButton)

        self._layout = layout = QVBoxLayout(self)
        # Never smaller than the content: a name that wraps to more lines clipped the rows.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.headline)
        layout.addLayout(grid)
        layout.addWidget(self.remaining)
        layout.addLayout(buttons)
        layout.addLayout(for_all)

        self.replaceButton.clicked.connect(self._on_replaceButton_clicked)
        self.skipButton.clicked.connect(self._on_skipButton_clicked)
        self.keepBothButton.clicked.connect(self._on_keepBothButton_clicked)
        self.replaceOlderButton.clicked.connect(self._on_replaceOlderButton_clicked)
        self.skipIdenticalButton.clicked.connect(self._on_skipIdenticalButton_clicked)

    def ask(self, question: ConflictQuestion, waiting: int = 0) -> None:
        """Show one question; `waiting` is how many more are queued behind it."""
        self._question = question
        result = question.result
        shown = shown_name(result.path)
        self.headline.setText(
            self.tr("The target already has a file named “%1”.").replace("%1", wrappable(shown))
        )
        # An elided name in full, wrapped (rich text: a plain tooltip never wraps).
        self.headline.setToolTip(
            f"<p>{html.escape(breakable(result.path))}</p>"
            if shown != printable(result.path)
            else ""
        )
        source, target = result.source_size, result.target_size
        if source != target and human_bytes(source) == human_bytes(target):
            # 4,514 and 4,502 bytes both read "4.4 KiB": show what tells them apart.
            self.source_size.setText(fill(self.tr("%1 bytes"), human_count(source)))
            self.target_size.setText(fill(self.tr("%1 bytes"), human_count(target)))
        else:
            self.source_size.setText(human_bytes(source))
            self.target_size.setText(human_bytes(target))
        self.source_time.setText(human_time_ns(result.source_mtime_ns))
        self.target_time.setText(human_time_ns(result.target_mtime_ns))
        self.source_newer.setVisible(result.source_mtime_ns > result.target_mtime_ns)
        self.target_newer.setVisible(result.target_mtime_ns > result.source_mtime_ns)
        self.remaining.setText(
            self.tr("%Ln more conflict(s) waiting", "", waiting) if waiting else ""
        )
        self.remaining.setVisible(waiting > 0)
        if not self.isVisible():
            self.applyToAllCheck.setChecked(False)
            self.open()
        # Each question starts on Skip: a button clicked for the last one kept the focus,
        # and with it Enter (a focused button is the default in a dialog).
        self.skipButton.setFocus()
        self._fit()

    def _fit(self) -> None:
        """Tall enough for the wrapped text at the current width (a top-level window
        does not follow its layout's height-for-width by itself), never wider than the
        screen, and on it: the answers out of the mouse's reach left only the keys."""
        layout = self._layout
        layout.activate()
        screen = self.screen().availableGeometry()
        frame = self.frameGeometry().size() - self.size()  # the window manager's
        room = screen.width() - frame.width()
        width = max(min(self.width(), room), self.minimumSizeHint().width())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else 0
        height = max(height, layout.totalMinimumSize().height())
        self.setMinimumHeight(height)
        self.resize(width, height)
        # Moved onto the screen if it hangs over an edge (centred on a window near one).
        place = self.frameGeometry()
        x = max(screen.left(), min(place.left(), screen.right() + 1 - place.width()))
        y = max(screen.top(), min(place.top(), screen.bottom() + 1 - place.height()))
        if (x, y) != (place.left(), place.top()):
            self.move(QPoint(x, y))

    def question(self) -> ConflictQuestion | None:
        return self._question

    def enqueue(self, question: ConflictQuestion) -> bool:
        """Queue a question; True if it is shown now (none was open)."""
        if self._for_all:
            return False  # the engine already applied the "for all" answer to this one
        if self._skipping_identical and not question.compared:
            return False  # asked before that answer: the engine compares it, asks again
        self._queue.append(question)
        if self.isVisible() and self._question is not None:
            self.ask(self._question, len(self._queue) - 1)  # one more waiting
            return False
        self._ask_next()
        return True

    def waiting(self) -> bool:
        return bool(self._queue)

    def reset(self) -> None:
        """A new job: no answer "for all" yet, nothing queued."""
        self._for_all = self._skipping_identical = False
        self.close_all()

    def close_all(self) -> None:
        self._queue = []
        self._question = None
        if self.isVisible():
            self.accept()

    def _ask_next(self) -> None:
        if self._queue:
            self.ask(self._queue[0], len(self._queue) - 1)
        else:
            self.close_all()

    def _answer(self, decision: str, for_all: bool) -> None:
        question, self._question = self._question, None
        if question is None:
            return
        self._queue = [q for q in self._queue if q.conflict_id != question.conflict_id]
        if for_all:
            # Skip identical: the engine asks again about files that differ.
            self._skipping_identical = decision == ConflictPolicy.SKIP_IDENTICAL.value
            self._for_all = not self._skipping_identical
            self._queue = []
        self.decided.emit(question.conflict_id, decision, for_all)
        self._ask_next()

    @Slot()
    def _on_replaceButton_clicked(self) -> None:
        self._answer(ConflictPolicy.OVERWRITE.value, self.applyToAllCheck.isChecked())

    @Slot()
    def _on_skipButton_clicked(self) -> None:
        self._answer(ConflictPolicy.SKIP.value, self.applyToAllCheck.isChecked())

    @Slot()
    def _on_keepBothButton_clicked(self) -> None:
        self._answer(ConflictPolicy.RENAME.value, self.applyToAllCheck.isChecked())

    @Slot()
    def _on_replaceOlderButton_clicked(self) -> None:
        self._answer(ConflictPolicy.NEWER.value, True)

    @Slot()
    def _on_skipIdenticalButton_clicked(self) -> None:
        self._answer(ConflictPolicy.SKIP_IDENTICAL.value, True)

    def reject(self) -> None:
        # Escape or the close button: skipping is the answer that changes nothing.
        # The dialog hides itself once no question is left.
        if self._question is not None:
            self._answer(ConflictPolicy.SKIP.value, self.applyToAllCheck.isChecked())
        else:
            super().reject()
