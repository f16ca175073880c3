"""One group of likely duplicates, side by side: choose the record to keep and each value, then Merge.

:class:`MergeFieldsModel` adapts the domain's :class:`tracker.services.merges.MergePreview`: a column
per record (and "Keep both" for the fields that can be combined: notes, tags), a row "Keep this
record", a row per field (the registry's labels and the values as people read them), then each
record's links counted.  A differing field is marked in its heading ("≠", bold) and the value
chosen in each row is ticked and bold, so nothing is told by colour alone.  Choosing is clicking
a cell, Space or Enter on it, or clicking a record's column heading (the record to keep).

:class:`MergeReview` is the page around it: Merge (after a confirmation naming what will happen),
Not a duplicate, Next group, Back to the list.  The merge itself runs through
``tracker.services.merges`` off the UI thread; what the services announce updates every view.
What does not live here: finding the groups and the list of them (``ui.duplicates``).
(A little over 450 lines: the model and the page around it change together; the model's choosing
rules, keyboard included, would be harder to follow split across files.)
"""

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from tracker.services import duplicates, merges
from ui import errors
from ui.columns import AMBER
from ui.worker import run_and_wait

DISPLAY = Qt.ItemDataRole.DisplayRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
CHECK = Qt.ItemDataRole.CheckStateRole
FONT = Qt.ItemDataRole.FontRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
HORIZONTAL = Qt.Orientation.Horizontal
NO_PARENT = QModelIndex()
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
BOTH = "both"
KEEP_ROW = 0
EMPTY = "(empty)"
DIFFERS = "≠"  # after a differing field's heading: a marker, not a colour only
LINK_WORDS = {"Attendance": ("attendance", "attendances"), "Commitments": ("commitment", "commitments"),
              "Actions owned": ("action owned", "actions owned"), "Members": ("member", "members"),
              "Updates": ("update", "updates")}


def bold():
    font = QFont()
    font.setBold(True)
    return font


def counted(n, heading):
    one, many = LINK_WORDS.get(heading, (heading.lower(), heading.lower()))
    return f"{n} {one if n == 1 else many}"


class MergeFieldsModel(QAbstractTableModel):
    """Rows: keep / each field / each kind of link; columns: each record, then "Keep both"."""

    choices_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.records = ()  # DuplicateRecord, one per column
        self.preview = None
        self.take = {}  # field name -> record id or "both": what the person chose (else the preview's default)
        self.link_names = []
        self.has_both = False
        self.joined = set()  # fields the merge always joins, whatever is chosen

    # ---- state -------------------------------------------------------------------
    def show_group(self, records, keep_id=None):
        """Show ``records`` (a DuplicateGroup's), keeping ``keep_id`` (default: the one with most links)."""
        self.beginResetModel()
        try:
            self.records, self.take = tuple(records), {}
            self.preview = self._preview(keep_id or self.records[0].id)
            if keep_id is None:
                most = max(self.records, key=lambda r: (sum(self.preview.links.get(r.id, {}).values()), -r.id))
                if most.id != self.preview.keep_id:
                    self.preview = self._preview(most.id)
            self._lay_out()
        finally:
            self.endResetModel()
        self.choices_changed.emit()

    def _preview(self, keep_id):
        others = [r.id for r in self.records if r.id != keep_id]
        take = {name: how for name, how in self.take.items() if how == BOTH or how in (keep_id, *others)}
        preview = merges.preview_merge(keep_id, others, take=take or None)
        # Values the merge always joins (councils): shown as joined, not offered as a choice.
        self.joined = {f.name for f in preview.fields if getattr(f, "both", False) and take.get(f.name) != BOTH}
        return preview

    def _lay_out(self):
        seen = []
        for counts in self.preview.links.values():
            seen += [name for name in counts if name not in seen]
        self.link_names = seen
        self.has_both = any(f.combinable for f in self.preview.fields)

    @property
    def keep_id(self):
        return self.preview.keep_id if self.preview else None

    def keep(self, record_id):
        """Keep ``record_id``: the defaults are worked out again; values chosen by hand stay chosen."""
        if record_id == self.keep_id or record_id not in {r.id for r in self.records}:
            return
        self.preview = self._preview(record_id)
        self._lay_out()
        self._everything_changed()

    def chosen(self, field):
        if field.name in self.joined:
            return BOTH
        return self.take.get(field.name, BOTH if getattr(field, "both", False) else field.default)

    def choose(self, index):
        """What clicking (or Space, or Enter on) a cell means: keep that record, or take that value."""
        row, column = index.row(), index.column()
        target = self._column_target(column)
        if row == KEEP_ROW:
            if target not in (None, BOTH):
                self.keep(target)
            return
        field = self._field(row)
        if not self._checkable(row, target):
            return
        if self.chosen(field) == target:
            return
        self.take[field.name] = target
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.choices_changed.emit()

    def chosen_take(self):
        """The ``take`` argument of ``merges.merge``: every differing field, as it is chosen now."""
        return {f.name: self.chosen(f) for f in self.preview.fields if f.differs and f.name not in self.joined}

    def _everything_changed(self):
        self.headerDataChanged.emit(HORIZONTAL, 0, self.columnCount() - 1)
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.choices_changed.emit()

    # ---- where things are ----------------------------------------------------------
    def _column_target(self, column):
        if 0 <= column < len(self.records):
            return self.records[column].id
        return BOTH if self.has_both and column == len(self.records) else None

    def _field(self, row):
        k = row - 1
        return self.preview.fields[k] if self.preview and 0 <= k < len(self.preview.fields) else None

    def _link(self, row):
        k = row - 1 - (len(self.preview.fields) if self.preview else 0)
        return self.link_names[k] if 0 <= k < len(self.link_names) else None

    def row_of(self, field_name):
        for k, f in enumerate(self.preview.fields):
            if f.name == field_name:
                return k + 1
        raise KeyError(field_name)

    def column_of(self, record_id):
        return len(self.records) if record_id == BOTH else [r.id for r in self.records].index(record_id)

    # ---- Qt model ----------------------------------------------------------------
    def rowCount(self, parent=NO_PARENT):
        if parent.isValid() or self.preview is None:
            return 0
        return 1 + len(self.preview.fields) + len(self.link_names)

    def columnCount(self, parent=NO_PARENT):
        if parent.isValid() or self.preview is None:
            return 0
        return len(self.records) + (1 if self.has_both else 0)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        plain = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._checkable(index.row(), self._column_target(index.column())):
            return plain | Qt.ItemFlag.ItemIsUserCheckable
        return plain

    def _checkable(self, row, target):
        if target is None:
            return False
        if row == KEEP_ROW:
            return target != BOTH
        field = self._field(row)  # a value the records share, or one always joined, needs no choosing
        return (field is not None and field.differs and field.name not in self.joined
                and (target != BOTH or field.combinable))

    def data(self, index, role=DISPLAY):
        if not index.isValid() or index.row() >= self.rowCount() or index.column() >= self.columnCount():
            return None
        row, target = index.row(), self._column_target(index.column())
        if row == KEEP_ROW:
            return self._keep_data(target, role)
        field = self._field(row)
        if field is not None:
            return self._field_data(field, target, role)
        return self._link_data(self._link(row), target, role)

    def _keep_data(self, target, role):
        if target == BOTH:
            return None
        kept = target == self.keep_id
        if role == DISPLAY:
            return "Keep this record" if kept else "Retire (merged into the kept one)"
        if role == ACCESSIBLE:
            return "Kept" if kept else "Retired"
        if role == CHECK:
            return CHECKED if kept else UNCHECKED
        if role == FONT and kept:
            return bold()
        return None

    def _field_data(self, field, target, role):
        chosen = self.chosen(field) == target
        if target == BOTH:
            if not (field.combinable and field.differs):
                return None
            text = "All joined" if field.name in self.joined else "Keep both"
        else:
            text = field.shown.get(target, "") or EMPTY
        if role == DISPLAY:
            return text
        if role == ACCESSIBLE:
            return f"{field.label.replace('&', '')}: {text}{', chosen' if chosen and field.differs else ''}"
        if role == CHECK and field.differs and field.name not in self.joined:
            return CHECKED if chosen else UNCHECKED
        if role == FONT and chosen and field.differs:
            return bold()
        if role == TOOLTIP and len(text) > 40:
            return text
        if role == BACKGROUND and field.differs:
            return AMBER if chosen else None
        return None

    def _link_data(self, name, target, role):
        if target == BOTH or name is None:
            return None
        if role in (DISPLAY, ACCESSIBLE):
            n = self.preview.links.get(target, {}).get(name, 0)
            return str(n) if role == DISPLAY else counted(n, name)
        return None

    def setData(self, index, value, role=CHECK):
        """Space on a cell (or its tick clicked): choose it.  A choice is changed by choosing another."""
        if role != CHECK or not index.isValid() or not (self.flags(index) & Qt.ItemFlag.ItemIsUserCheckable):
            return False
        if Qt.CheckState(value) == CHECKED:
            self.choose(index)
        return True

    def headerData(self, section, orientation, role=DISPLAY):
        if self.preview is None:
            return None
        if orientation == HORIZONTAL:
            target = self._column_target(section)
            if target is None:
                return None
            if target == BOTH:
                return "Keep both" if role in (DISPLAY, ACCESSIBLE) else None
            record = self.records[section]
            if role in (DISPLAY, ACCESSIBLE):
                mark = "✔ kept: " if record.id == self.keep_id else ""
                return f"{mark}{record.name}\nID {record.id}"
            if role == FONT and record.id == self.keep_id:
                return bold()
            if role == TOOLTIP:
                return f"{record.name} ({record.kind}), exchange ID {record.uuid}. Click to keep this record."
            return None
        if not 0 <= section < self.rowCount():
            return None
        if section == KEEP_ROW:
            return "Record to keep" if role in (DISPLAY, ACCESSIBLE) else None
        field = self._field(section)
        if field is not None:
            label = field.label.replace("&", "")
            if role == DISPLAY:
                return f"{label} {DIFFERS}" if field.differs else label
            if role == ACCESSIBLE:
                return f"{label}, differs" if field.differs else label
            if role == FONT and field.differs:
                return bold()
            return None
        name = self._link(section)
        return f"Links: {name}" if role in (DISPLAY, ACCESSIBLE) and name else None


class MergeReview(QWidget):
    """The page showing one group; the window (``ui.duplicates``) hands it groups and hears ``done``."""

    done = Signal(str)  # "merged" | "not duplicates" | "next" | "back": the window moves on

    def __init__(self, parent=None):
        super().__init__(parent)
        self.group = None
        self.merge_id = None
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setProperty("role", "subheading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        hint = QLabel("Click a column's heading (or tick “Keep this record”) to choose the record to keep, then "
                      "click the value to keep in each row marked ≠. Arrow keys move, Space chooses.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.model = MergeFieldsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("The records side by side")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setHighlightSections(False)  # bold is for the kept record's heading only
        header.sectionClicked.connect(self._header_clicked)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setHighlightSections(False)
        self.table.clicked.connect(self.model.choose)
        self.table.activated.connect(self.model.choose)
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setObjectName("merge_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.model.choices_changed.connect(self._summarise)
        buttons = QHBoxLayout()
        self.merge_button = QPushButton("&Merge…")
        self.merge_button.clicked.connect(self.merge)
        self.not_duplicate_button = QPushButton("&Not a duplicate")
        self.not_duplicate_button.clicked.connect(self.not_duplicates)
        self.next_button = QPushButton("Ne&xt group")
        self.next_button.setToolTip("Leave this group as it is and show the next one")
        self.next_button.clicked.connect(lambda: self.done.emit("next"))
        self.back_button = QPushButton("&Back to the list")
        self.back_button.clicked.connect(lambda: self.done.emit("back"))
        for button in (self.merge_button, self.not_duplicate_button, self.next_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        layout.addLayout(buttons)

    def show_group(self, group, position=""):
        """Show ``group`` (a DuplicateGroup); ``position``: "2 of 14", say."""
        self.group = group
        self.model.show_group(group.records)
        kind = "People" if group.records[0].kind == "person" else "Organisations"
        self.heading.setText(f"{kind} {position + ': ' if position else ''}score {group.score}, "
                             f"{'; '.join(group.reasons)}")
        self.not_duplicate_button.setEnabled(len(group.records) == 2)
        self.not_duplicate_button.setToolTip("Remember that these two are different, so they are not offered again"
                                             if len(group.records) == 2 else
                                             "Only for a pair: merge or skip a group of more than two")
        header = self.table.horizontalHeader()  # the records share the width; "Keep both" as wide as it needs
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column < len(group.records)
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.setCurrentIndex(self.model.index(KEEP_ROW, 0))
        self.table.setFocus()

    def _header_clicked(self, section):
        if 0 <= section < len(self.model.records):
            self.model.keep(self.model.records[section].id)

    # ---- what will happen, in words -------------------------------------------------
    def names(self):
        return {r.id: r.name for r in self.model.records}

    def describe(self):
        """What merging as chosen will do, in a sentence or three (the summary and the confirmation)."""
        model, names = self.model, self.names()
        keep, others = model.keep_id, [r.id for r in model.records if r.id != model.keep_id]
        values, joined = [], []
        for f in model.preview.fields:
            how, label = model.chosen(f), f.label.replace("&", "")
            if not f.differs or how == keep:
                continue
            if f.name in model.joined:
                joined.append(label.lower())
            elif how == BOTH:
                values.append(f"{label}: both kept")
            else:
                values.append(f"{label} “{f.shown.get(how) or EMPTY}” from {names[how]}")
        moved = {}
        for other in others:
            for name, n in model.preview.links.get(other, {}).items():
                moved[name] = moved.get(name, 0) + n
        moved_text = ", ".join(counted(n, name) for name, n in moved.items() if n)
        retired = " and ".join(f"“{names[o]}” (ID {o})" for o in others)
        text = f"Keep “{names[keep]}” (ID {keep})"
        text += f", taking {'; '.join(values)}" if values else " with its own values"
        text += f" (and the {' and '.join(joined)} of all of them)." if joined else "."
        text += f" Move {moved_text} to it" if moved_text else " There are no links to move"
        text += " (an event both attended stays one attendance)." if moved.get("Attendance") else "."
        text += (f" {retired} will be retired as merged into “{names[keep]}”; "
                 "Edit → Undo merge brings them back.")
        return text

    def _summarise(self):
        self.summary.setText(self.describe() if self.model.preview is not None else "")

    # ---- deciding -------------------------------------------------------------------------
    def merge(self):
        """Merge as chosen, after the confirmation; True once merged."""
        model = self.model
        if model.preview is None or not ConfirmMerge.ask(self, self.describe()):
            return False
        keep, others, take = model.keep_id, [r.id for r in model.records if r.id != model.keep_id], model.chosen_take()
        kind, value = run_and_wait(self, lambda progress: merges.merge(keep, others, take=take), "Merging…",
                                   cancellable=False)
        if kind == "failure":
            errors.show_exception(self, value)
            return False
        self.merge_id = value
        self.done.emit("merged")
        return True

    def not_duplicates(self):
        """Remember that the pair shown are different people (or organisations); True once remembered."""
        if self.group is None or len(self.group.records) != 2:
            return False
        a, b = (r.id for r in self.group.records)
        try:
            duplicates.mark_not_duplicates(a, b)
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        self.done.emit("not duplicates")
        return True


class ConfirmMerge:
    @classmethod
    def box(cls, parent, description):
        box = QMessageBox(QMessageBox.Icon.Question, "Merge duplicates", description,
                          QMessageBox.StandardButton.Cancel, parent)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.addButton("&Merge", QMessageBox.ButtonRole.AcceptRole)
        return box

    @classmethod
    def ask(cls, parent, description):
        """True when the person confirms the merge described (tests replace this)."""
        box = cls.box(parent, description)
        box.exec()
        return box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.AcceptRole
