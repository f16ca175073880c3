"""Importing another council's workbook, in the users' words: the preview before, the result after.

:class:`ImportPreview` lists what the file would change as records and fields (the registry's words:
"Action", "Due date"), not sheets and rows; the whole change of the row selected is shown below the
list, this database's value beside the file's, each side named.  :class:`ImportResult` says what
was imported, with the information icon, and offers to undo it at once (Edit → Undo import… later).
Both have a classmethod ``ask()`` that tests replace.  The work itself is ``ui.exchange``'s.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QMessageBox,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from tracker.exchange.report import field_words, kind_words

KIND_LABELS = {"added": "New", "updated": "Update", "deleted": "Delete", "restored": "Restore", "erased": "Erase",
               "conflict": "Conflict", "rejected": "Problem"}
THIS_DATABASE = "This database (now)"
UNDO = "undo"
EMPTY = "(empty)"


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def changes_in_words(detail):
    """[(field label, this database's value, the file's value)] of a row: the registry's labels."""
    return [(field_words(detail.sheet, column), before, after) for column, before, after in detail.changes]


def one_line(detail):
    """The row's change on one line ("Status: Open → Done; Due date: (empty) → 31/03/2027")."""
    if detail.kind == "rejected":
        return detail.message
    if detail.kind == "added":
        return f"a new {kind_words(detail.sheet)} from the file"
    return "; ".join(f"{field}: {_short(before) or EMPTY} → {_short(after) or EMPTY}"
                     for field, before, after in changes_in_words(detail))


def _short(text, limit=60):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ImportPreview(QDialog):
    """The first page of an import: what would change (or why the file is refused)."""

    MAX_ROWS = 5000  # the summary line has the totals; more rows than this help nobody

    def __init__(self, parent, report):
        super().__init__(parent)
        self.setWindowTitle("Import from another council")
        self.resize(960, 600)
        self.report = report
        self.details = report.details[:self.MAX_ROWS]
        layout = QVBoxLayout(self)
        summary = QLabel(report.summary() if report.refused else
                         f"{report.file_name}: {report.added} to add, {report.updated} to update, "
                         f"{report.unchanged} unchanged, {_plural(report.conflicts, 'conflict')} (held for you to "
                         "review). Nothing has been changed yet.")
        summary.setWordWrap(True)
        summary.setObjectName("summary")
        layout.addWidget(summary)
        sides = QLabel(f"Each change reads <b>this database</b> → <b>the file</b> ({report.file_name}): what is held "
                       "here now, then what the file would make it. Select a row to see its whole change below.")
        sides.setWordWrap(True)
        sides.setObjectName("sides")
        layout.addWidget(sides)
        self.table = QTableWidget(len(self.details), 4)
        self.table.setHorizontalHeaderLabels(["What", "Record", "Name", "Changes: this database → the file"])
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName("What the import would change")
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for r, d in enumerate(self.details):
            texts = (KIND_LABELS.get(d.kind, d.kind), kind_words(d.sheet).capitalize(), _short(d.name), one_line(d))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setToolTip(self._whole(d))
                self.table.setItem(r, c, item)
        self.table.currentCellChanged.connect(lambda row, *_: self.show_detail(row))
        self.pane = QWidget()
        pane = QVBoxLayout(self.pane)
        pane.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setObjectName("caption")
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pane.addWidget(self.caption)
        self.sides = QTableWidget(0, 3)
        self.sides.setHorizontalHeaderLabels(["Field", THIS_DATABASE, f"The file ({report.file_name})"])
        self.sides.setAccessibleName("The whole change: this database and the file")
        self.sides.setTabKeyNavigation(False)
        self.sides.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sides.verticalHeader().setVisible(False)
        self.sides.setWordWrap(True)
        self.sides.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            self.sides.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.sides.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        pane.addWidget(self.sides, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        if report.refused:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            buttons.rejected.connect(self.reject)
        else:
            buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
            buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Import")
            buttons.accepted.connect(self.accept)
            buttons.rejected.connect(self.reject)
            if not (report.added or report.updated or report.conflicts):
                buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Nothing to import: &close")
        layout.addWidget(buttons)
        first = next((r for r, d in enumerate(self.details) if d.changes), 0 if self.details else -1)
        if first >= 0:
            self.table.selectRow(first)
        self.show_detail(first)

    @staticmethod
    def _whole(detail):
        """The tooltip: the row's whole change, each side named, values not cut."""
        if detail.kind == "rejected":
            return detail.message
        lines = [f"{KIND_LABELS.get(detail.kind, detail.kind)}: {kind_words(detail.sheet)} {detail.name}"]
        for field, before, after in changes_in_words(detail):
            lines.append(f"{field}\n  this database: {before or EMPTY}\n  the file: {after or EMPTY}")
        return "\n".join(lines)

    def show_detail(self, row):
        """The whole change of the row ``row`` below the list: a field a line, this database beside the file."""
        detail = self.details[row] if 0 <= row < len(self.details) else None
        changes = changes_in_words(detail) if detail is not None else []
        self.sides.setRowCount(len(changes))
        for r, texts in enumerate(changes):
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text or EMPTY)
                item.setToolTip(text or EMPTY)
                self.sides.setItem(r, c, item)
        self.sides.setVisible(bool(changes))
        if detail is None:
            self.caption.setText("Nothing in the file differs from this database." if not self.report.refused else "")
        elif detail.kind == "rejected":
            self.caption.setText(detail.message)
        else:
            where = f"row {detail.row} of the file's sheet {detail.sheet}"
            what = f"{kind_words(detail.sheet).capitalize()} “{detail.name}”"
            if detail.kind == "added":
                self.caption.setText(f"{what} is new: the file adds it to this database ({where}).")
            elif detail.kind == "conflict":
                self.caption.setText(f"{what} was changed in this database and in the file since they were last "
                                     f"exchanged ({where}); it will be held for you to choose.")
            else:
                done = {"deleted": " It is deleted by the file.", "restored": " The file restores it.",
                        "erased": " The file erases this person's personal data."}.get(detail.kind, "")
                self.caption.setText(f"{what} takes the file's values below ({where}).{done}")

    @classmethod
    def ask(cls, parent, report):
        """True when the person confirms the import."""
        dialog = cls(parent, report)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted and not report.refused
        finally:
            dialog.deleteLater()


class ImportResult:
    """What an import did, with the information icon, and "Undo import" (Edit → Undo import… later)."""

    @staticmethod
    def text(report):
        counts = (f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged"
                  + (f", {_plural(report.conflicts, 'conflict')} held for you to review" if report.conflicts else "")
                  + (f", {_plural(report.merges, 'merge')} of duplicates" if report.merges else ""))
        if not report.import_id:
            return f"{report.file_name}: {counts}. Nothing was changed."
        return f"Imported {report.file_name}: {counts}."

    @classmethod
    def box(cls, parent, report):
        """(the message box, its Undo import button or None): built apart from ``ask`` for tests and screenshots."""
        box = QMessageBox(QMessageBox.Icon.Information, "Import finished", cls.text(report),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("import-result")
        undo = None
        if report.import_id:
            box.setInformativeText("Changed your mind? Undo import takes it back now, or later from "
                                   "Edit → Undo import…")
            undo = box.addButton("&Undo import", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        return box, undo

    @classmethod
    def ask(cls, parent, report):
        """UNDO when the person chose to undo the import at once, else None."""
        box, undo = cls.box(parent, report)
        try:
            box.exec()
            return UNDO if undo is not None and box.clickedButton() is undo else None
        finally:
            box.deleteLater()
