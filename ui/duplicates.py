"""Stakeholders → Find duplicates… and Edit → Undo merge: the app's side of finding and merging duplicates.

:class:`DuplicatesWindow` lists the candidate groups the domain finds
(``tracker.services.duplicates.find_duplicates``), best first, with their score, why they look alike
and the names; filters by kind, council and minimum score.  Finding runs off the UI thread
(``ui.worker``) with progress and Cancel; when the services announce a change of stakeholders (a
merge, an edit, "not a duplicate", an import) the list is worked out again in the background, so
it never shows a group that is gone.  Opening a group shows it side by side (``ui.mergereview``).

:class:`UndoMergeAction` is Edit → Undo merge: enabled while ``merges.last_undoable_merge()`` has one,
refused with the service's reason.  What does not live here: how duplicates are found, scored and
merged (``tracker.services.duplicates``, ``tracker.services.merges``).
"""

import uuid

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel,
                               QMessageBox, QPushButton, QSpinBox, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from tracker import services
from tracker.db import database
from tracker.errors import Cancelled
from tracker.services import duplicates, merges
from ui import errors
from ui.changes import notifier
from ui.columns import local_time
from ui.exchange import reporter
from ui.mergereview import MergeReview
from ui.reflow import WrapRow
from ui.worker import OperationCancelled, run_in_background

DISPLAY = Qt.ItemDataRole.DisplayRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # the DuplicateGroup of a row
HORIZONTAL = Qt.Orientation.Horizontal
NO_PARENT = QModelIndex()
KINDS = (("All kinds", None), ("People", "people"), ("Organisations", "organisations"))
# The tables whose changes can change the groups: the records, their councils, the pairs said to be different.
FOLLOWS = ("stakeholder", "stakeholder_council", duplicates.TABLE)
REFIND_DELAY_MS = 300  # changes arriving together are one search again


def install(window):
    """Add Stakeholders → Find duplicates… and Edit → Undo merge to ``window`` (a MainWindow)."""
    actions = DuplicateActions(window)
    window.menus.add("stakeholders", "find_duplicates", "Find &duplicates…", actions.find_duplicates,
                     section="duplicates", shortcut="Ctrl+Shift+D", icon_name="stakeholders",
                     tip="People or organisations held twice, best matches first, to review and merge")
    actions.undo = window.menus.add("edit", "undo_merge", "Undo &merge", actions.undo_merge, section="records",
                                    after="undo_import", tip="Split the last merge of duplicates again")
    actions.update_undo()
    window.menus["edit"].aboutToShow.connect(actions.update_undo)  # an export since forbids it, say
    window.duplicates = actions
    return actions


class DuplicateActions(QObject):
    """What the menu commands do; ``dialog`` is the open Find duplicates window (tests drive it)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dialog = None
        self.undo = None
        self.last_operation = None
        notifier().changed.connect(self._changed)

    def find_duplicates(self):
        if self.dialog is None:
            self.dialog = DuplicatesWindow(self.window)
            self.dialog.finished.connect(self._closed)
            self.dialog.show()
            self.dialog.find()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _closed(self):
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.stop()
            dialog.deleteLater()

    def _changed(self, change):
        if change.touches(*FOLLOWS):
            self.update_undo()

    def update_undo(self):
        try:
            undoable = merges.last_undoable_merge() if database.obj is not None else None
        except errors.EXPECTED:  # busy, say: the next change looks again
            undoable = None
        if self.undo is not None:
            self.undo.setEnabled(undoable is not None)
        return undoable

    def undo_merge(self):
        """Undo the last merge (asked first); the reason is shown when the services refuse."""
        merge_id = self.update_undo()
        if merge_id is None:
            errors.show_info(self.window, "There is no merge to undo.")
            return None
        what = describe_merge(merge_id)
        if not ConfirmUndo.ask(self.window, what):
            return None

        def done(_result):
            errors.show_info(self.window, f"Undone: {what}. The records are back as they were, each with its own "
                                          "values and links.")

        self.last_operation = run_in_background(self.window, lambda progress: merges.undo_merge(merge_id),
                                                on_success=done, label="Undoing the merge…", cancellable=False)
        return self.last_operation


def describe_merge(merge_id):
    """A merge in words: "merge 3 of 01/12/2026 19:45: “Dan Okafor” into “Daniel Okafor”"."""
    try:
        run = merges.get_merge(merge_id)
        name = lambda hex_: services.stakeholders.get(str(uuid.UUID(str(hex_))), include_deleted=True).name
        retired = " and ".join(f"“{name(h)}”" for h in run.retired.split())
        return f"merge {run.id} of {local_time(run.at)}: {retired} into “{name(run.kept_uuid)}”"
    except errors.EXPECTED:  # a record erased since, say: the number still says which merge
        return f"merge {merge_id}"


class ConfirmUndo:
    @classmethod
    def box(cls, parent, what):
        return QMessageBox(QMessageBox.Icon.Question, "Undo merge", f"Undo {what}? The records merged come back, "
                           "each with its own values and links.",
                           QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)

    @classmethod
    def ask(cls, parent, what):
        """True when the person confirms undoing the merge described by ``what`` (tests replace this)."""
        box = cls.box(parent, what)
        return box.exec() == QMessageBox.StandardButton.Yes


class GroupsModel(QAbstractTableModel):
    """The candidate groups as found, best first: score, why, the names, kind, councils."""

    HEADINGS = ("Score", "Why they look alike", "Kind", "Councils", "Records")  # the widest last, given the rest

    def __init__(self, parent=None):
        super().__init__(parent)
        self.groups = []

    def set_groups(self, groups):
        self.beginResetModel()
        self.groups = list(groups)
        self.endResetModel()

    def remove(self, row):
        if 0 <= row < len(self.groups):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.groups[row]
            self.endRemoveRows()

    def row_of(self, ids):
        """The row of the group holding the records ``ids`` (a set), or -1."""
        for i, group in enumerate(self.groups):
            if {r.id for r in group.records} == ids:
                return i
        return -1

    def rowCount(self, parent=NO_PARENT):
        return 0 if parent.isValid() else len(self.groups)

    def columnCount(self, parent=NO_PARENT):
        return 0 if parent.isValid() else len(self.HEADINGS)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=DISPLAY):
        if not index.isValid() or index.row() >= len(self.groups) or index.column() >= len(self.HEADINGS):
            return None
        group = self.groups[index.row()]
        if role == GROUP_ROLE:
            return group
        if role == ALIGN and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in (DISPLAY, ACCESSIBLE, TOOLTIP):
            if role == TOOLTIP and index.column() == len(self.HEADINGS) - 1:  # one record a line
                return "\n".join(f"{r.name}, {r.organisation or 'no organisation'}, {r.email or 'no email'} (ID {r.id})"
                                 for r in group.records)
            text = self._text(group, index.column())
            return text if role != TOOLTIP or len(text) > 40 else None
        return None

    @staticmethod
    def _text(group, column):
        if column == 0:
            return str(group.score)
        if column == 1:
            return "; ".join(group.reasons)
        if column == 2:
            return "People" if group.records[0].kind == "person" else "Organisations"
        if column == 3:
            return ", ".join(sorted({c for r in group.records for c in r.councils}))
        return " · ".join(f"{r.name} ({r.organisation})" if r.organisation else r.name for r in group.records)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == HORIZONTAL and 0 <= section < len(self.HEADINGS) and role in (DISPLAY, ACCESSIBLE):
            return self.HEADINGS[section]
        return None


class DuplicatesWindow(QDialog):
    """The groups found (filters, Find, the list) and, once one is opened, the group side by side."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle("Find duplicates")
        self.resize(1000, 640)
        self.operation = None  # the search running now
        self.pending = False  # a change arrived while searching: search again when done
        self.stale = False  # a change arrived while hidden (or with no database): search again when shown
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.stack.addWidget(self._list_page())
        self.review = MergeReview()
        self.review.done.connect(self._reviewed)
        self.stack.addWidget(self.review)
        for button in self.findChildren(QPushButton):  # Enter in a table chooses there, never presses a button
            button.setAutoDefault(False)
        self.refind = QTimer(self)
        self.refind.setSingleShot(True)
        self.refind.setInterval(REFIND_DELAY_MS)
        self.refind.timeout.connect(lambda: self.find(quietly=True))
        notifier().changed.connect(self._changed)

    def _list_page(self):
        page = QWidget()
        column = QVBoxLayout(page)
        self.kind = QComboBox()
        for text, key in KINDS:
            self.kind.addItem(text, key)
        self.council = QComboBox()
        self.council.addItem("All councils", None)
        for council in services.councils.all_councils():
            self.council.addItem(council.name, council.name)
        self.min_score = QSpinBox()
        self.min_score.setRange(1, 100)
        self.min_score.setValue(duplicates.DEFAULT_MIN_SCORE)
        self.min_score.setSuffix(" or more")
        self.find_button = QPushButton("&Find")
        self.find_button.clicked.connect(lambda: self.find())
        groups = []
        for pairs in ((("&Kind", self.kind), ("Co&uncil", self.council)), (("Minimum &score", self.min_score),)):
            group = QWidget()
            row = QHBoxLayout(group)
            row.setContentsMargins(0, 0, 0, 0)
            for text, widget in pairs:
                label = QLabel(text)
                label.setBuddy(widget)
                row.addWidget(label)
                row.addWidget(widget)
            groups.append(group)
        row.addWidget(self.find_button)
        self.filter_bar = WrapRow(groups)  # the score and Find under the kind and council when narrow (200%)
        column.addWidget(self.filter_bar)
        self.count = QLabel()
        self.count.setObjectName("groups_found")
        self.count.setAccessibleName("Groups found")
        column.addWidget(self.count)
        self.model = GroupsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Likely duplicates, best first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.open_group(index.row()))
        column.addWidget(self.table, 1)
        hint = QLabel("Open a group (double-click it, Enter, or Open the group) to see its records side by side, "
                      "choose what to keep and merge them.")
        hint.setWordWrap(True)
        column.addWidget(hint)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open the group")
        self.open_button.clicked.connect(lambda: self.open_group(self.table.currentIndex().row()))
        close = QPushButton("&Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        column.addLayout(buttons)
        return page

    # ---- finding -------------------------------------------------------------------------
    def filters(self):
        return {"kind": self.kind.currentData(), "council": self.council.currentData(),
                "min_score": self.min_score.value()}

    def find(self, quietly=False):
        """Find the groups for the filters, off the UI thread.  ``quietly``: after a change, no
        progress dialog (the list says it is being worked out).  Returns the operation."""
        if quietly and (database.obj is None or not self.isVisible()):
            self.stale = True  # no database open, or nobody looking: search again when shown
            return self.operation
        self.stale = False
        if self.operation is not None and not self.operation.done:
            if not quietly:  # the user asked: the running search (maybe for other filters) gives way
                self.operation.cancel()
            else:
                self.pending = True
                return self.operation
        args = self.filters()

        def work(progress):
            report = reporter(progress)
            try:
                return duplicates.find_duplicates(**args, progress=report, cancelled=lambda: progress.cancelled)
            except Cancelled:  # the domain's own word for it
                raise OperationCancelled() from None

        self.count.setText("Looking for duplicates…")
        self.find_button.setEnabled(not quietly)
        self.operation = run_in_background(self, work, on_success=self._found, on_cancel=self._cancelled,
                                           on_failure=self._failed, label="Looking for duplicates…",
                                           progress_dialog=not quietly)
        return self.operation

    def _found(self, groups):
        self.find_button.setEnabled(True)
        current = self.current_ids()
        self.model.set_groups(groups)
        header, cap = self.table.horizontalHeader(), self.table.fontMetrics().averageCharWidth() * 40
        for col in range(self.model.columnCount() - 1):  # the names take what is left
            self.table.resizeColumnToContents(col)
            header.resizeSection(col, min(header.sectionSize(col), cap))
        n = len(groups)
        self.count.setText(f"{n:,} group{'' if n == 1 else 's'} of likely duplicates, best first."
                           if n else "No likely duplicates for these filters.")
        row = self.model.row_of(current) if current else -1
        self.table.setCurrentIndex(self.model.index(max(row, 0), 0))
        self._follow_review()
        self._again()

    def _cancelled(self):
        self.find_button.setEnabled(True)
        self.count.setText("The search was cancelled." if not self.model.groups else
                           f"The search was cancelled; the list shows the last one ({len(self.model.groups):,} groups).")
        self._again()

    def _failed(self, exc):
        self.find_button.setEnabled(True)
        self.count.setText("The search failed.")
        errors.show_exception(self, exc)

    def _again(self):
        if self.pending:
            self.pending = False
            self.refind.start()

    def _changed(self, change):
        if change.touches(*FOLLOWS):
            self.refind.start()  # the groups may have changed: find them again once the changes settle

    def showEvent(self, event):
        super().showEvent(event)
        if self.stale:
            self.refind.start()

    def stop(self):
        self.refind.stop()
        if self.operation is not None and not self.operation.done:
            self.operation.cancel()

    # ---- a group ---------------------------------------------------------------------------
    def current_ids(self):
        group = self.reviewing if self.stack.currentIndex() == 1 else self._group_at(self.table.currentIndex().row())
        return {r.id for r in group.records} if group else None

    @property
    def reviewing(self):
        return self.review.group if self.stack.currentIndex() == 1 else None

    def _group_at(self, row):
        return self.model.groups[row] if 0 <= row < len(self.model.groups) else None

    def open_group(self, row):
        """Show the group at ``row`` side by side; False when there is none."""
        group = self._group_at(row)
        if group is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        try:
            self.review.show_group(group, f"group {row + 1} of {len(self.model.groups)}")
        except errors.EXPECTED as exc:  # one of them was merged or deleted meanwhile
            errors.show_exception(self, exc)
            return False
        self.stack.setCurrentIndex(1)
        self.review.table.setFocus()
        return True

    def _reviewed(self, how):
        row = self.table.currentIndex().row()
        if how == "back":
            self.stack.setCurrentIndex(0)
            self.table.setFocus()
            return
        if how in ("merged", "not duplicates"):  # gone from the list now; the search again confirms it
            self.model.remove(row)
            row -= 1
        if not self.open_group(row + 1):
            self.stack.setCurrentIndex(0)
            self.count.setText("That was the last group." if self.model.groups else "No likely duplicates left.")
            self.table.setFocus()

    def _follow_review(self):
        """After a search again: the group being reviewed is shown as it is now, or the list if it is gone."""
        if self.stack.currentIndex() != 1 or self.review.group is None:
            return
        ids = {r.id for r in self.review.group.records}
        row = self.model.row_of(ids)
        if row < 0:
            self.stack.setCurrentIndex(0)
            self.count.setText("The group you were reviewing changed elsewhere and is no longer offered. "
                               + self.count.text())
            return
        if self.model.groups[row] != self.review.group:
            self.open_group(row)
