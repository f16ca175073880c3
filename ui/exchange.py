"""Sharing with the other councils in the app: export, import with a preview, conflicts, undo.

The work runs in ``tracker.exchange`` (files) and ``tracker.services`` (database), off
the UI thread through ``ui.worker``.  Each dialog has a classmethod ``ask()`` that tests replace.
:func:`install` adds the menu entries to the main window.
"""

import datetime as dt
import html

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from tracker.dates import format_local_time
from tracker.errors import TrackerError, ValidationError
from tracker.exchange import export_workbook, import_workbook
from tracker.services import conflicts, imports
from ui import errors, filedialogs
from ui.fields import DateField
from ui.importpreview import UNDO, ImportPreview, ImportResult
from ui.worker import run_in_background

XLSX_FILTER = "Excel workbooks (*.xlsx);;All files (*)"
MINE, THEIRS, EDITED = "mine", "theirs", "edited"


def install(window):
    """Add File → Export for sharing…, File → Import from another council…, Edit → Review conflicts…
    and Edit → Undo import… to ``window`` (a MainWindow)."""
    sharing = ExchangeActions(window)
    add = window.menus.add
    add("file", "export_sharing", "E&xport for sharing…", sharing.export, section="records", after="save")
    add("file", "import_sharing", "&Import from another council…", sharing.import_, section="records",
        after="export_sharing")
    add("edit", "review_conflicts", "Review &conflicts…", sharing.review_conflicts, section="records")
    add("edit", "undo_import", "&Undo import…", sharing.undo_import, section="records")
    window.sharing = sharing
    return sharing


class ExchangeActions:
    """What the menu entries do; ``last_operation`` lets tests wait for the background work."""

    def __init__(self, window):
        self.window = window
        self.last_operation = None

    # ---- export ----
    def export(self):
        options = ExportDialog.ask(self.window)
        if options is None:
            return None

        def work(progress):
            return export_workbook(options["path"], personal_data=options["personal_data"],
                                   since=options["since"], progress=reporter(progress))

        def done(result):
            self.window.statusBar().showMessage(result.summary(), 10000)
            errors.show_info(self.window, result.summary())

        self.last_operation = run_in_background(self.window, work, on_success=done, on_cancel=lambda: errors.show_info(
            self.window, "The export was cancelled; no file was written."), label="Exporting for sharing…")
        return self.last_operation

    # ---- import: preview first, then the real thing ----
    def import_(self):
        path = ImportFile.ask(self.window)
        if not path:
            return None

        def preview(progress):
            return import_workbook(path, dry_run=True, progress=reporter(progress))

        self.last_operation = run_in_background(self.window, preview, on_success=lambda report: self._confirm(path, report),
                                                label="Reading the workbook…")
        return self.last_operation

    def _confirm(self, path, report):
        if not ImportPreview.ask(self.window, report) or report.refused:
            return

        def apply(progress):
            return import_workbook(path, progress=reporter(progress))

        def done(result):  # the views took the import in as it was announced
            if ImportResult.ask(self.window, result) == UNDO:
                self.undo(result.import_id)
            elif result.conflicts and conflicts.pending_conflicts():
                self.review_conflicts()

        self.last_operation = run_in_background(self.window, apply, on_success=done, on_cancel=lambda: errors.show_info(
            self.window, "The import was cancelled; nothing was changed."), label="Importing…")

    # ---- conflicts ----
    def review_conflicts(self):
        pending = conflicts.pending_conflicts()
        if not pending:
            errors.show_info(self.window, "There are no conflicts to review.")
            return 0
        resolved = 0
        for conflict in pending:
            try:
                sides = conflicts.conflict_sides(conflict)
            except TrackerError as exc:
                errors.show_exception(self.window, exc)
                continue
            answer = ConflictDialog.ask(self.window, conflict, sides)
            if answer is None:
                break  # "Later": the rest stay held
            try:
                choice, edited = answer
                conflicts.resolve_conflict(conflict, choice, edited=edited)
                resolved += 1
            except TrackerError as exc:
                errors.show_exception(self.window, exc)
        return resolved

    # ---- undo ----
    def undo_import(self):
        """Edit → Undo import…: choose the import, then undo it."""
        runs = [r for r in imports.imports() if r.undone_at is None]
        if not runs:
            errors.show_info(self.window, "There is no import to undo.")
            return None
        import_id = UndoImport.ask(self.window, runs)
        return None if import_id is None else self.undo(import_id)

    def undo(self, import_id):
        """Undo the import ``import_id`` (the result box's Undo import, which named it, or Edit → Undo import…)."""

        def work(progress):
            return imports.undo_import(import_id)

        def done(run):
            errors.show_info(self.window, f"Import {run.id} ({run.file_name}) was undone: what it added is gone and "
                                          "what it changed is back as it was.")

        self.last_operation = run_in_background(self.window, work, on_success=done, label="Undoing the import…",
                                                cancellable=False)
        return self.last_operation


def reporter(progress):
    """The domain's progress(percent, text) as ui.worker progress; Cancel stops the work there."""
    def report(percent, text):
        progress.update(percent, 100, text)
        progress.check()
    return report


# ---- dialogs -------------------------------------------------------------------------------------------
class ExportDialog(QDialog):
    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle("Export for sharing")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Write the exchange workbook another council can import."))
        form = QFormLayout()
        self.no_personal = QCheckBox("Leave out people's email, phone, address and notes")
        self.no_personal.setAccessibleName("Leave out personal data")
        form.addRow("Personal data", self.no_personal)
        self.use_since = QCheckBox("Only records changed since")
        self.since = DateField("since", "Changed since")
        self.since.set(QDate.currentDate().addMonths(-1).toPython())
        self.since.input.setEnabled(False)
        self.use_since.toggled.connect(self.since.input.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.use_since)
        row.addWidget(self.since.input)
        row.addStretch(1)
        form.addRow("Records", row)
        form.addRow(self.since.error)
        self.since.error.setWordWrap(False)  # a dialog does not grow for wrapped lines; it widens for one
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file and export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self):
        """OK: only with a date that can be read, when one is asked for."""
        if self.use_since.isChecked():
            reason = self.since.problem() or (None if self.since.get() else "is required")
            self.since.show_error(reason)
            if reason:
                self.since.input.setFocus()
                return
        super().accept()

    def values(self):
        since = self.since.get() if self.use_since.isChecked() else None
        return {"personal_data": not self.no_personal.isChecked(), "since": since}

    @classmethod
    def ask(cls, parent):
        """{"path", "personal_data", "since"} or None when cancelled."""
        dialog = cls(parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        finally:
            dialog.deleteLater()
        name = f"shared-{dt.date.today():%Y-%m-%d}.xlsx"
        path = filedialogs.save_file(parent, filedialogs.EXPORT, "Export for sharing", name, XLSX_FILTER)
        return {**values, "path": path} if path else None


class ImportFile:
    @classmethod
    def ask(cls, parent):
        return filedialogs.open_file(parent, filedialogs.IMPORT, "Import from another council", XLSX_FILTER)


class ConflictDialog(QDialog):
    """One held conflict: the fields that differ, this database's value and the file's side by side;
    keep mine, take theirs, or edit the Result column and use that."""

    def __init__(self, parent, conflict, sides):
        super().__init__(parent)
        self.setWindowTitle("Review a conflict")
        # no wider than the window it opens over: on a 1366x768 screen at 200% (683 pixels) it was cut off
        self.resize(min(760, parent.window().width()) if parent is not None else 760, 300)
        self.sides = sides
        self.conflict = conflict
        self.choice = None
        self.values = None
        layout = QVBoxLayout(self)
        record = conflicts.conflict_record(conflict)
        self.record_label = QLabel(f"<b>{html.escape(record.kind.capitalize())}: {html.escape(record.name)}</b>"
                                   f" ({html.escape(record.reference)})")
        self.record_label.setObjectName("record")
        self.record_label.setWordWrap(True)  # a long title over two lines rather than a dialog too wide
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setWindowTitle(f"Review a conflict: {record.kind} {record.name}")
        layout.addWidget(self.record_label)
        if conflicts.edited_in_a_spreadsheet(conflict):
            text = (f"The file's row ({conflict.source}) was edited in a spreadsheet after it was exported, and "
                    "this record is not what was exported. Choose which to keep, or edit the result.")
        else:
            text = (f"This record was changed here and in {conflict.source} since the two were last "
                    "exchanged. Choose which to keep, or edit the result.")
        note = QLabel(text)
        note.setObjectName("note")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.table = QTableWidget(len(sides), 4)
        self.table.setHorizontalHeaderLabels(["Field", "This database (mine)", "The file (theirs)", "Result"])
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("The values that differ")
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, (_, header, mine, theirs) in enumerate(sides):
            for c, text in enumerate((header, mine, theirs, mine)):
                item = QTableWidgetItem(text)
                if c < 3:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        for text, choice in (("Keep &mine", MINE), ("Take &theirs", THEIRS), ("Use the &result", EDITED)):
            button = QPushButton(text)
            button.clicked.connect(lambda checked=False, c=choice: self._choose(c))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self, choice):
        if choice == EDITED:
            typed = {field: text for field, text in self.edited().items()
                     if text != next(mine for f, _, mine, _ in self.sides if f == field)}
            try:
                conflicts.read_result(self.conflict, typed)  # read in the domain; refused here before deciding
            except ValidationError as exc:
                errors.show_message(self, f"{exc} Correct the result, or keep mine or take theirs.")
                return
            self.values = typed
        self.choice = choice
        self.accept()

    def edited(self):
        """{field: text typed in the Result column} for the fields that differ."""
        return {field: self.table.item(r, 3).text() for r, (field, *_rest) in enumerate(self.sides)}

    @classmethod
    def ask(cls, parent, conflict, sides):
        """(choice, {field: the text typed as the result} or None), or None for "Later"; the domain reads the text."""
        dialog = cls(parent, conflict, sides)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.choice, dialog.values
        finally:
            dialog.deleteLater()


class UndoImport(QDialog):
    def __init__(self, parent, runs):
        super().__init__(parent)
        self.setWindowTitle("Undo an import")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Choose the import to undo. Records changed since it ran cannot be undone; "
                                "you will be told which."))
        self.list = QListWidget()
        self.list.setAccessibleName("Imports")
        for run in runs:
            item = QListWidgetItem(f"{format_local_time(run.at)}  {imports.summary(run)}")
            item.setData(Qt.ItemDataRole.UserRole, run.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Undo import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent, runs):
        """The ID of the import to undo, or None."""
        dialog = cls(parent, runs)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.list.currentItem() is None:
                return None
            return dialog.list.currentItem().data(Qt.ItemDataRole.UserRole)
        finally:
            dialog.deleteLater()
