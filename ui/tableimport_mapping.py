"""Step 3 of the spreadsheet import wizard (``ui.tableimport``): which column is which.

Each column of the file with a few of its values, the field it is imported as (several columns may
go to one text field: their values are joined in column order), and for a date column the order its
values showed ("day first", "month first", or "undecidable: day first assumed") with the person's own
choice for that column.  Below, the words of choice columns (status, priority, RAG, sector, theme,
kind) that are none of ours nor a partner's usual words, each with a list of our values to read it
as (what ``tracker import-table --map-value`` says); the list follows the mapping as it is changed.
What each of these means is the engine's (``tracker.tableimport.mapping``, ``.choices``); leaving the
page works the plan out again.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QLineEdit, QStyledItemDelegate,
                               QVBoxLayout, QWizardPage)

from tracker.tableimport import mapping as maps
from tracker.tableimport.choices import column_values, offered, words_not_understood
from tracker.tableimport.table import column_order, is_date_column
from tracker.tableimport.values import text_of
from ui import errors
from ui.scrollpage import scrolled
from ui.tableimport_pages import CHOICE_TEXTS, _fill, _label, _table

IGNORE = "(ignore this column)"
VALUE = Qt.ItemDataRole.UserRole  # what a cell's choice stores ("" for none)
CHOICES = Qt.ItemDataRole.UserRole + 1  # [(label, value)] a cell offers
AS_SHOWN = "as its values show"
DATE_CHOICES = [(AS_SHOWN, ""), ("day first", "day-first"), ("month first", "month-first")]
NOT_UNDERSTOOD = "(not understood: a problem row)"
SUBTITLE = ("Each column of the spreadsheet, a few of its values, and the field it is imported as. Select a field "
            "and press F2 (or just type) to change it.")


class ChoiceDelegate(QStyledItemDelegate):
    """A cell chosen from a list (the cell's CHOICES), by keyboard: F2 or just typing, arrows, Return."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setAccessibleName(index.model().headerData(index.column(), Qt.Orientation.Horizontal))
        for label, value in index.data(CHOICES) or ():
            combo.addItem(label, value)
        # Each choice counts as soon as it shows: the cell must not lose what was chosen when focus moves.
        combo.currentIndexChanged.connect(lambda _: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(editor.findData(index.data(VALUE) or ""), 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), VALUE)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


def _choosable(table, row, column, choices, value, shown=None):
    item = table.item(row, column)
    item.setData(CHOICES, choices)
    item.setData(VALUE, value)
    item.setText(shown if shown is not None else next((label for label, v in choices if v == value), ""))
    item.setToolTip("Press F2 (or type) to change")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)


def _editable_table(headers, name):
    table = _table(headers, name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.AnyKeyPressed
                          | QAbstractItemView.EditTrigger.DoubleClicked)
    table.setItemDelegate(ChoiceDelegate(table))
    return table


def date_text(order, decided, chosen, whole_file=False):
    """How a date column's order is shown: as the person chose it (for this column or the whole file),
    decided by its values, or assumed."""
    words = order.replace("-", " ")
    if chosen:
        return f"{words} (your choice)"
    if whole_file:
        return f"{words} (as for the whole file)"
    return f"{words} (decided by its values)" if decided else "undecidable: day first assumed"


class MappingPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Which column is which")
        self.setSubTitle(SUBTITLE)
        layout = QVBoxLayout(scrolled(self))
        self.table = _editable_table(["Column in the spreadsheet", "Sample values", "Imported as", "Dates"],
                                     "Columns")
        self.table.itemChanged.connect(self._item_changed)
        columns_label = _label("&Columns (two columns imported as one text field are joined, in this order):")
        columns_label.setBuddy(self.table)
        layout.addWidget(columns_label)
        layout.addWidget(self.table, 3)
        self.words_label = _label("&Words in the file that are not ours: choose what each means (F2)")
        self.words = _editable_table(["Column", "Written in the file", "Read as"], "Words not understood")
        self.words_label.setBuddy(self.words)
        layout.addWidget(self.words_label)
        layout.addWidget(self.words, 2)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow (200%): the label above its field
        self.dates = QComboBox()
        for text, value in (("As each column's values show (day first when they cannot tell)", None),
                            ("Day first, as in the UK (13/04/2019)", "day-first"),
                            ("Month first, as in the US (04/13/2019)", "month-first")):
            self.dates.addItem(text, value)
        form.addRow("&Dates are written", self.dates)
        self.on_match = QComboBox()
        self.uncertain = QComboBox()
        for combo, key in ((self.on_match, "on_match"), (self.uncertain, "uncertain")):
            for value, text in CHOICE_TEXTS[key]:
                combo.addItem(text, value)
        form.addRow("When a row &matches a record held", self.on_match)
        form.addRow("When a match is d&oubtful", self.uncertain)
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText("optional: a name offered again for files with these headers")
        form.addRow("Save this mapping &as", self.preset_name)
        layout.addLayout(form)
        self._filling = False

    def tables(self):
        """The sheets whose columns are shown: those imported, else (nothing recognised yet) those with a header."""
        plan = self.wiz.plan
        return plan.used or [t for t in plan.tables if t.headers]

    def initializePage(self):
        plan, kind, options = self.wiz.plan, self.wiz.options.kind, self.wiz.options
        targets = [(IGNORE, "")] + [(maps.target_label(kind, t), t) for t in maps.TARGETS[kind]]
        rows, seen = [], set()
        for t in self.tables():
            for header in t.headers:
                if header in seen:
                    continue
                seen.add(header)
                rows.append((t, header))
        self._filling = True
        _fill(self.table, [(h, " · ".join(self._samples(h)), "", "") for _, h in rows])
        for r, (t, header) in enumerate(rows):
            _choosable(self.table, r, 2, targets, t.mapping.get(header) or "")
            for c in (0, 1, 3):
                cell = self.table.item(r, c)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if header in t.dates:
                self._date_cell(r, t.dates[header], header not in t.undecided)
        self._filling = False
        self._show_dates_column()
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 320))
        self.table.setColumnWidth(2, max(self.table.columnWidth(2), 200))
        self.table.setCurrentCell(0, 2)
        if plan.preset:
            self.setSubTitle(f"Using the saved mapping '{plan.preset}'. Select a field and press F2 (or just type) "
                             "to change it.")
        elif not plan.used:
            why = "; ".join(f"sheet '{t.name}': {t.refused}" for t in self.tables())
            self.setSubTitle(f"Choose what each column is ({why}): select its field and press F2 (or just type).")
        else:
            self.setSubTitle(SUBTITLE)
        self.dates.setCurrentIndex(max(self.dates.findData(options.dates), 0))
        self.on_match.setCurrentIndex(self.on_match.findData(options.on_match))
        self.uncertain.setCurrentIndex(self.uncertain.findData(options.uncertain))
        self.show_words()

    def _samples(self, header, count=3):
        return [text_of(v)[:40] for v in self.values_of(header, count)[:count]]

    def values_of(self, header, limit=None):
        """What the file has under ``header`` (every sheet shown with that column)."""
        sheets = {s.name: s for s in self.wiz.plan.source.sheets}
        found = []
        for t in self.tables():
            if header in t.headers and t.name in sheets:
                found += column_values(sheets[t.name], t, header, limit)
        return found

    def _chosen_dates(self):
        """{header key: order} chosen for a column so far: the import's, else the preset's (to keep or change)."""
        return {**self.wiz.plan.preset_dates,
                **{maps.header_key(h): o for h, o in self.wiz.options.column_dates.items()}}

    def _date_cell(self, r, order, decided):
        """Row ``r``'s Dates cell: the order its values show (or the one chosen), and the list to change it."""
        header = self.table.item(r, 0).text()
        chosen = self._chosen_dates().get(maps.header_key(header), "")
        shown = date_text(order, decided, bool(chosen), bool(self.wiz.options.dates))
        years = sum(t.years_assumed.get(header, 0) for t in self.tables())
        if years:  # "end of March": the next one from today, flagged here as well as on each row of the preview
            shown += f"; {years} without a year: the next such month"
        _choosable(self.table, r, 3, DATE_CHOICES, chosen, shown)

    def _show_dates_column(self):
        rows = range(self.table.rowCount())
        self.table.setColumnHidden(3, not any(self.table.item(r, 3).data(CHOICES) for r in rows))  # no date column

    def _item_changed(self, item):
        if not self._filling and item.column() == 2:
            self._follow_date_column(item.row())
            self.show_words()

    def _follow_date_column(self, r):
        """A column mapped to a date now shows its order at once (worked out from its values, as the import
        will), and one mapped away from dates loses it; the Dates column shows when any column is a date."""
        is_date = is_date_column(self.wiz.options.kind, self.table.item(r, 2).data(VALUE))
        cell = self.table.item(r, 3)
        if is_date == bool(cell.data(CHOICES)):
            return
        self._filling = True
        try:
            if is_date:
                order, _, undecided = column_order(self.values_of(self.table.item(r, 0).text()))
                self._date_cell(r, order, not undecided)
            else:
                cell.setData(CHOICES, None)
                cell.setData(VALUE, None)
                cell.setText("")
                cell.setToolTip("")
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        finally:
            self._filling = False
        self._show_dates_column()

    def show_words(self):
        """List the words of each choice column not understood, with what each is read as so far."""
        kind = self.wiz.options.kind
        told = self._told_words()
        rows = []
        for header, target in self.chosen().items():
            ours = offered(kind, target)
            if not ours:  # not a choice column
                continue
            choices = [(NOT_UNDERSTOOD, "")] + [(label, code) for code, label in ours]
            for word in words_not_understood(kind, target, self.values_of(header)):
                rows.append((header, word, choices, told.get((maps.header_key(header), word.casefold()), "")))
        self._filling = True
        _fill(self.words, [(h, w, "") for h, w, _, _ in rows])
        for r, (_, _, choices, value) in enumerate(rows):
            _choosable(self.words, r, 2, choices, value)
            for c in (0, 1):
                cell = self.words.item(r, c)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self._filling = False
        self.words.setColumnWidth(2, max(self.words.columnWidth(2), 200))
        self.words.setVisible(bool(rows))
        self.words_label.setVisible(bool(rows))

    def _told_words(self):
        """{(header key, word casefolded): code} the import's options already say."""
        told = {}
        for header, words in maps.parse_value_options(self.wiz.options.map_values).items():
            told.update({(header, w): code for w, code in words.items()})
        for r in range(self.words.rowCount()):  # what was chosen on this page before the list changed
            told[(maps.header_key(self.words.item(r, 0).text()), self.words.item(r, 1).text().casefold())] = (
                self.words.item(r, 2).data(VALUE) or "")
        return told

    def chosen(self):
        """{header: target or None} as the table now shows."""
        return {self.table.item(r, 0).text(): self.table.item(r, 2).data(VALUE) or None
                for r in range(self.table.rowCount())}

    def chosen_dates(self):
        """{header: order} of the date columns given an order of their own."""
        return {self.table.item(r, 0).text(): self.table.item(r, 3).data(VALUE)
                for r in range(self.table.rowCount()) if self.table.item(r, 3).data(VALUE)}

    def chosen_words(self):
        """The words mapped, as ``--map-value`` options ("Header:written=code")."""
        shown = {(maps.header_key(self.words.item(r, 0).text()), self.words.item(r, 1).text().casefold())
                 for r in range(self.words.rowCount())}
        kept = [m for m in self.wiz.options.map_values
                if (maps.header_key(m.partition(":")[0]), m.partition(":")[2].rpartition("=")[0].strip().casefold())
                not in shown]
        return tuple(kept) + tuple(f"{self.words.item(r, 0).text()}:{self.words.item(r, 1).text()}="
                                   f"{self.words.item(r, 2).data(VALUE)}"
                                   for r in range(self.words.rowCount()) if self.words.item(r, 2).data(VALUE))

    def validatePage(self):
        shown = {}
        for t in self.tables():
            shown.update(t.mapping)
        chosen = self.chosen()
        told = dict(m.rpartition("=")[::2] for m in self.wiz.options.maps)
        told.update({h: target or "ignore" for h, target in chosen.items() if target != shown.get(h)})
        for target in {t for t in chosen.values() if t}:
            headers = [h for h, t in chosen.items() if t == target]
            if len(headers) > 1 and not maps.joinable(self.wiz.options.kind, target):
                errors.show_message(self, f"Only one column can be imported as "
                                          f"{maps.target_label(self.wiz.options.kind, target)} (now: "
                                          f"{', '.join(headers)}). Several columns can be joined only into text, "
                                          "such as an address, a name or notes.")
                return False
            if len(headers) > 1:  # joined: every one of them is told, not only the one changed
                told.update({h: target for h in headers})
        changes = {"maps": tuple(f"{h}={t}" for h, t in told.items()), "dates": self.dates.currentData(),
                   "column_dates": self.chosen_dates(), "map_values": self.chosen_words(),
                   "on_match": self.on_match.currentData(), "uncertain": self.uncertain.currentData()}
        if all(getattr(self.wiz.options, k) == v for k, v in changes.items()) and self.wiz.plan.used:
            return True
        if not self.wiz.replan(**changes):
            return False
        if not self.wiz.plan.used:
            why = "; ".join(f"sheet '{t.name}': {t.refused}" for t in self.wiz.plan.tables)
            errors.show_message(self, f"Nothing can be imported yet: {why}. Choose what the columns are.")
            self.initializePage()
            return False
        return True
