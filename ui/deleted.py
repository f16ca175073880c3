"""The deleted-items view: the deleted records of each listed kind, newest deletion first, and Restore.

A stakeholder a merge retired shows "merged into X"; Restore offers to undo that merge instead
(restoring it alone would split its links from the kept record).

Each kind's list is a ``RecordTableModel`` over its deleted records, read when first shown and
following the announced changes from then on.  The kinds are those of ``ui.kinds``.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from tracker import services
from tracker.services import merges
from ui import errors
from ui.changes import views_may_read
from ui.kinds import KINDS
from ui.listpage import RecordTable
from ui.models import RecordTableModel
from ui.resources import icon
from ui.searchbox import SearchBox


class DeletedPage(QWidget):
    """Deleted records of each kind, newest deletion first; Restore brings one back."""

    restored = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of deleted record")
        for kind in KINDS.values():
            self.kind.addItem(kind.title, kind.key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        label = QLabel("Deleted")
        label.setBuddy(self.kind)  # read out as the list's label
        bar.addWidget(label)
        bar.addWidget(self.kind)
        self.search = SearchBox("deleted items", with_icon=False)
        self.search.settled.connect(self.apply_query)
        bar.addWidget(self.search, 1)
        self.restore_button = QPushButton(icon("restore"), "Rest&ore")
        self.restore_button.clicked.connect(self.restore_current)
        bar.addWidget(self.restore_button)
        layout.addLayout(bar)
        # Each kind's list is read when shown (refresh, or choosing the kind), not when the window opens.
        self.models = {key: RecordTableModel(key, deleted=True, parent=self, sort="updated", descending=True,
                                             load=False) for key in KINDS}
        self.table = RecordTable(self.models[self.kind.currentData()], "Deleted items")
        self.table.doubleClicked.connect(lambda index: self.restore_current())
        layout.addWidget(self.table, 1)
        self.hint = QLabel("Deleted records are kept here until you restore them. Select one and press Restore.")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

    @property
    def model(self):
        return self.models[self.kind.currentData()]

    def _kind_changed(self):
        self.table.setModel(self.model)
        self.apply_query()

    def showEvent(self, event):
        super().showEvent(event)
        if not self.model.loaded:  # read when first shown; from then on it follows the changes
            self.apply_query()

    def apply_query(self):
        self.search.settle()
        if not views_may_read():
            return
        self.model.set_query(search=self.search.text())

    def refresh(self):
        self.model.refresh()

    def focus_search(self):
        self.search.focus()

    def restore_current(self):
        index = self.table.currentIndex()
        record = self.model.record(index.row()) if index.isValid() else None
        if record is None:
            return False
        if self.model.service is services.stakeholders and merges.merged_into(record.id) is not None:
            return self._undo_merge_instead(record)
        try:
            self.model.service.restore(record, expected_version=record.version)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        self.restored.emit(self.kind.currentData(), record.id)
        return True

    def _undo_merge_instead(self, record):
        """A record a merge retired is not restored alone (its links are the kept record's now): offer to
        undo that merge, which brings it back whole."""
        merge_id, kept_id, kept_name = merges.merged_into(record.id)
        if not UndoMergeInstead.ask(self, record.name, kept_name, kept_id):
            return False
        try:
            merges.undo_merge(merge_id)
        except errors.EXPECTED as exc:  # the service says why (exported, changed since)
            errors.show_exception(self, exc)
            return False
        errors.show_info(self, f"The merge was undone: {record.name} is back, with its own links, and so is "
                               f"{kept_name} as it was before.")
        self.restored.emit(self.kind.currentData(), record.id)
        return True


class UndoMergeInstead:
    @classmethod
    def ask(cls, parent, name, kept_name, kept_id):
        """True when the person chooses to undo the merge that retired ``name`` (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Restore",
                          f"{name} was merged into {kept_name} (ID {kept_id}). Restoring it on its own would split "
                          "its links from the kept record; undo the merge instead (Edit → Undo merge)?",
                          QMessageBox.StandardButton.Cancel, parent)
        undo = box.addButton("&Undo the merge", QMessageBox.ButtonRole.AcceptRole)
        box.exec()
        return box.clickedButton() is undo
