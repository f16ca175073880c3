"""Edit → Review held matches…: the imported rows whose match was doubtful, decided one by one or
several at once.

Each held row (``tracker.services.tableimports.held_rows``) shows its name, email, where it came from
and its candidates with their scores, and every field it would set beside the chosen candidate's
(``ui.heldcompare``: role, phone, sector, councils...; bold where they differ); Link (to the chosen candidate), Create new or Skip decides it
through ``tableimports.resolve_held``, which writes, audits and announces.  Several rows selected
(Shift or Ctrl with the arrows or clicks, Ctrl+A): Link links each to its best candidate, Create new
and Skip decide each.  Keyboard: the rows and candidates are lists (arrows), Alt+L / Alt+N / Alt+S
decide, Alt+C goes to the candidates, Alt+D to the comparison, Esc closes.
"""

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from tracker import services
from tracker.errors import TrackerError
from tracker.services import tableimports
from ui import errors
from ui.heldcompare import HeldComparison

ROW_ID = Qt.ItemDataRole.UserRole


class HeldReview(QDialog):
    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle("Review held matches")
        self.resize(1000, 620)
        layout = QVBoxLayout(self)
        note = QLabel("These imported rows look like someone already held, but not surely. Choose the right "
                      "person and Link, or Create a new record, or Skip the row. Select several rows (Shift or "
                      "Ctrl) to decide them at once: Link then links each to its best match.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.rows = QTableWidget(0, 5)
        self.rows.setHorizontalHeaderLabels(["Name (or title) in the file", "Organisation", "Email", "Where", "Maybe"])
        self.rows.setAccessibleName("Held rows")
        self.rows.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.rows.itemSelectionChanged.connect(self._selection_changed)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.verticalHeader().setVisible(False)
        self.rows.horizontalHeader().setStretchLastSection(True)
        self.rows.currentCellChanged.connect(lambda *_: self._show_candidates())
        layout.addWidget(self.rows, 2)
        self.values = {}  # held row ID -> the values the row would set (as the import kept them)
        candidates_label = QLabel("&Candidates held (best first), with their organisation and email:")
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Candidates")
        self.candidates.setWordWrap(True)
        self.candidates.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.candidates.currentRowChanged.connect(lambda *_: self._compare())
        candidates_label.setBuddy(self.candidates)
        compare_label = QLabel("Every field the row would set, beside the candidate's (bold: they &differ):")
        for label in (candidates_label, compare_label):
            label.setWordWrap(True)  # side by side: the dialog still fits a 1366x768 screen at 200%
        self.compare = HeldComparison()
        compare_label.setBuddy(self.compare)
        beside = QGridLayout()
        beside.addWidget(candidates_label, 0, 0)
        beside.addWidget(self.candidates, 1, 0)
        beside.addWidget(compare_label, 0, 1)
        beside.addWidget(self.compare, 1, 1)
        beside.setColumnStretch(0, 1)
        beside.setColumnStretch(1, 2)
        layout.addLayout(beside, 3)
        buttons = QHBoxLayout()
        self.link = QPushButton("&Link to this person")
        self.create = QPushButton("Create &new")
        self.skip = QPushButton("&Skip the row")
        for button, how in ((self.link, "link"), (self.create, "create"), (self.skip, "skip")):
            button.clicked.connect(lambda checked=False, h=how: self.decide(h))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.decided = 0
        self.load()

    def load(self):
        held = tableimports.held_rows()
        self.rows.setRowCount(len(held))
        self.values = {}
        for r, row in enumerate(held):
            candidates = json.loads(row.candidates)
            maybe = "; ".join(f"{c['name']} ({c['score']}%)" for c in candidates)
            values = {k: v for k, v in json.loads(row.values).items() if k != "kind"}
            if row.kind != "commitments":  # a person: known by the name and email the row gave
                values = {"name": row.name, "email": row.email, **values}
            self.values[row.id] = values
            organisation = values.get("organisation") or ""
            for c, text in enumerate((row.name, organisation, row.email, f"{row.sheet} row {row.row}", maybe)):
                item = QTableWidgetItem(text)
                item.setData(ROW_ID, (row.id, candidates))
                self.rows.setItem(r, c, item)
        self.rows.resizeColumnsToContents()
        self.rows.horizontalHeader().setStretchLastSection(True)
        if held:
            self.rows.setCurrentCell(0, 0)
        self._show_candidates()

    def selected(self):
        """(row ID, candidates) of each selected row, in the list's order (the current row when none is)."""
        rows = sorted({index.row() for index in self.rows.selectionModel().selectedRows()})
        found = [self.rows.item(r, 0).data(ROW_ID) for r in rows]
        return found or ([self.current()] if self.current()[0] is not None else [])

    def _selection_changed(self):
        many = len(self.selected()) > 1
        n = f" ({len(self.selected())})" if many else ""
        self.link.setText(f"&Link each to its best match{n}" if many else "&Link to this person")
        self.create.setText(f"Create &new for each{n}" if many else "Create &new")
        self.skip.setText(f"&Skip these rows{n}" if many else "&Skip the row")
        if many:
            self.link.setEnabled(any(candidates for _, candidates in self.selected()))
        else:
            self.link.setEnabled(self.candidates.count() > 0)

    def current(self):
        item = self.rows.item(self.rows.currentRow(), 0) if self.rows.currentRow() >= 0 else None
        return item.data(ROW_ID) if item is not None else (None, [])

    def _show_candidates(self):
        row_id, candidates = self.current()
        self.candidates.clear()
        for c in candidates:  # the held record beside the file's row: its organisation and email too
            try:
                held = services.stakeholders.get(c["id"])
            except TrackerError:  # deleted or erased since the import: still shown, not linkable
                continue
            about = ", ".join(x for x in (held.organisation.name if held.organisation else "", held.email) if x)
            what = "the organisation " if c.get("kind") == "organisation" else ""  # held for its organisation's name
            item = QListWidgetItem(f"{what}{c['name']}{f' — {about}' if about else ''}  (ID {c['id']}, {c['score']}%)")
            item.setData(ROW_ID, c["id"])
            self.candidates.addItem(item)
        if candidates:
            self.candidates.setCurrentRow(0)
        self._compare()
        organisations = bool(candidates) and all(c.get("kind") == "organisation" for c in candidates)
        self.link.setText("&Link to this organisation" if organisations else "&Link to this person")
        for button in (self.link, self.create, self.skip):
            button.setEnabled(row_id is not None)
        self.link.setEnabled(bool(candidates))

    def _compare(self):
        """The current row's values beside the chosen candidate's (:mod:`ui.heldcompare`)."""
        row_id, _ = self.current()
        item = self.candidates.currentItem()
        chosen = item.data(ROW_ID) if item is not None else None
        name = item.text().split(" — ")[0].split("  (ID")[0] if item is not None else ""
        self.compare.show_row(self.values.get(row_id), chosen, name)

    def decide(self, how):
        """Link the current row to the chosen candidate, create it, or skip it; then the next row.  With several
        rows selected, each: linked to its best candidate, created, or skipped."""
        chosen = self.selected()
        if len(chosen) > 1:
            return self._decide_many(chosen, how)
        row_id, _ = self.current()
        if row_id is None:
            return None
        link = self.candidates.currentItem().data(ROW_ID) if how == "link" and self.candidates.currentItem() else None
        if how == "link" and link is None:
            return None
        try:
            resolution, record = tableimports.resolve_held(row_id, link=link, create=how == "create",
                                                           skip=how == "skip")
        except TrackerError as exc:
            errors.show_exception(self, exc)
            return None
        self.decided += 1
        self._reload(self.rows.currentRow())
        return resolution, record

    def _decide_many(self, chosen, how):
        decided, failed = [], []
        for row_id, candidates in chosen:
            if how == "link" and not candidates:
                continue
            link = max(candidates, key=lambda c: c["score"])["id"] if how == "link" else None
            try:
                decided.append(tableimports.resolve_held(row_id, link=link, create=how == "create",
                                                         skip=how == "skip"))
            except TrackerError as exc:  # (the person linked to was deleted since): the others are still decided
                failed.append(str(exc))
        self.decided += len(decided)
        self._reload(self.rows.currentRow())
        if failed:
            errors.show_message(self, f"{len(failed)} of the rows could not be decided: {failed[0]}")
        return decided

    def _reload(self, at):
        self.load()
        if self.rows.rowCount():
            self.rows.setCurrentCell(min(at, self.rows.rowCount() - 1), 0)
        self.rows.setFocus()
        self._selection_changed()

    @classmethod
    def ask(cls, parent):
        """Show the held rows (or say there are none); returns how many were decided."""
        if not tableimports.held_rows():
            errors.show_info(parent, "There are no held matches to review.")
            return 0
        dialog = cls(parent)
        try:
            dialog.exec()
            return dialog.decided
        finally:
            dialog.deleteLater()
