"""What to leave out: gitignore patterns, and size and date limits behind "More filters"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from app.core.filters import (
    BadFilter,
    Filters,
    check_patterns,
    parse_date,
    parse_size,
    reads_as_comment,
)
from app.ui.format import fill


def split_patterns(text: str) -> tuple[str, ...]:
    """The patterns of the Skip field: separated by commas, blanks around them dropped."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


class FiltersBox(QWidget):
    """The Skip field, with the size and date limits in a disclosure.

    Signals:
        changed(): a filter field was edited.
    """

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("filtersBox")
        self.skipEdit = QLineEdit()
        self.skipEdit.setObjectName("skipEdit")
        self.skipEdit.setPlaceholderText(self.tr("*.log, node_modules/"))
        self.skipEdit.setToolTip(
            self.tr(
                "Patterns as in .gitignore, separated by commas, relative to the source:\n"
                "*.log  any file ending in .log\n"
                "node_modules/  every folder of that name\n"
                "/build  only build at the top of the source\n"
                "**/cache/  cache folders at any depth\n"
                "!keep.log  take back what an earlier pattern left out"
            )
        )
        self.moreButton = QToolButton()
        self.moreButton.setObjectName("moreFiltersButton")
        self.moreButton.setText(self.tr("More f&ilters"))
        self.moreButton.setCheckable(True)
        self.largerEdit = self._limit_edit("largerEdit", self.tr("e.g. 10M"))
        self.smallerEdit = self._limit_edit("smallerEdit", self.tr("e.g. 2G"))
        self.newerEdit = self._limit_edit("newerEdit", self.tr("e.g. 2024-01-31"))

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.skipEdit, 1)
        row.addWidget(self.moreButton)
        self.more = QWidget()
        more = QFormLayout(self.more)
        more.setContentsMargins(0, 0, 0, 0)
        more.addRow(self.tr("Only files larger than:"), self.largerEdit)
        more.addRow(self.tr("Only files smaller than:"), self.smallerEdit)
        more.addRow(self.tr("Only files modified after:"), self.newerEdit)
        self.more.hide()
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("Skip matchi&ng:"))
        label.setBuddy(self.skipEdit)  # the row is a layout: a label made by addRow has none
        layout.addRow(label, row)
        layout.addRow(self.more)

        # The Skip label names a row, not the field: screen readers need its name too.
        for widget, name in (
            (self.skipEdit, self.tr("Patterns of what to skip")),
            (self.largerEdit, self.tr("Only files larger than")),
            (self.smallerEdit, self.tr("Only files smaller than")),
            (self.newerEdit, self.tr("Only files modified after")),
        ):
            widget.setAccessibleName(name)
        self.moreButton.toggled.connect(self.more.setVisible)
        for edit in (self.skipEdit, self.largerEdit, self.smallerEdit, self.newerEdit):
            edit.textChanged.connect(self.changed)

    def _limit_edit(self, name: str, example: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(example)
        return edit

    def filters(self) -> Filters:
        """The filters the fields say; BadFilter, in the window's language, if one is unreadable."""
        patterns = split_patterns(self.skipEdit.text())
        if comment := next((p for p in patterns if reads_as_comment(p)), None):
            text = self.tr("Skip: “%1” reads as a comment: put a backslash before the #.")
            raise BadFilter(fill(text, comment))
        try:
            check_patterns(patterns)
        except BadFilter:
            raise BadFilter(self.tr("Skip: a pattern git would not accept either.")) from None
        filters = Filters(
            patterns,
            newer_than_ns=self._limit(self.newerEdit, parse_date, self.tr("Modified after")),
            larger_than=self._limit(self.largerEdit, parse_size, self.tr("Larger than")),
            smaller_than=self._limit(self.smallerEdit, parse_size, self.tr("Smaller than")),
        )
        if filters.keeps_no_size():
            raise BadFilter(self.tr("Larger than and Smaller than leave no file of any size."))
        return filters

    def _limit(self, edit: QLineEdit, parse: Callable[[str], int], field: str) -> int | None:
        text = edit.text().strip()
        if not text:
            return None
        try:
            return parse(text)
        except BadFilter:
            example = edit.placeholderText()
            raise BadFilter(
                fill(self.tr("%1: cannot read “%2” (%3)."), field, text, example)
            ) from None

    def problem(self) -> str:
        """What cannot be read in the fields ("" when all is well)."""
        try:
            self.filters()
        except BadFilter as bad:
            return str(bad)
        return ""
