"""The steps of the spreadsheet import wizard (``ui.tableimport``) but the columns (``ui.tableimport_mapping``):
the file and its kind, how it was read (the header row chosen among the sheet's first rows), the
preview (doubtful matches decided there, several at once), done.  Each page shows the wizard's plan
and changes its options; leaving a page that changed them works the plan out again (off the UI thread).

What does not live here: planning and importing (the wizard, through ``tracker.tableimport``).
Over 450 lines on purpose: four pages of one flow, each under 150 lines, sharing the table helpers at
the top (the columns step, the longest, already lives apart).
"""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWizardPage)

from tracker import services
from tracker.errors import TrackerError
from tracker.tableimport.decisions import decide, doubtful
from tracker.tableimport.header import LOOK_ROWS
from tracker.records import CHOICE, DATE
from tracker.tableimport.mapping import KIND_OF, column_letter
from tracker.tableimport.report import write_report
from tracker.tableimport.sources import DELIMITERS, ENCODING_NAMES, describe
from tracker.tableimport.values import text_of
from ui import errors, filedialogs
from ui.heldreview import HeldReview
from ui.scrollpage import at_least_rows, scrolled

FILE_FILTER = ("Spreadsheets (*.xlsx *.xlsm *.ods *.csv *.txt);;Excel workbooks (*.xlsx *.xlsm);;"
               "OpenDocument spreadsheets (*.ods);;CSV or text (*.csv *.txt);;All files (*)")
KINDS = (("stakeholders", "Stakeholders: people and organisations"), ("attendance", "Attendance at an event"),
         ("actions", "Actions"), ("commitments", "Commitments"))
KEY = Qt.ItemDataRole.UserRole  # a preview row's (sheet, row) when its match is doubtful
VISITS = {"add": "Attended", "unchanged": "Attendance already recorded"}
WHAT = {"add": "New", "held": "Held for review", "same": "Same person again", "erased": "Erased: left out",
        "skipped": "Skipped: left out", "not attending": "Not attending: left out"}
CHOICE_TEXTS = {"on_match": (("fill", "Fill only its empty fields"), ("update", "Update every field the row gives"),
                             ("skip", "Leave it as it is")),
                "uncertain": (("hold", "Hold the row for me to review"), ("create", "Create a new record"))}


def _table(headers, name):
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    at_least_rows(table)
    return table


def _fill(table, rows):
    table.setRowCount(len(rows))
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            item = QTableWidgetItem("" if text is None else str(text))
            item.setToolTip(item.text())  # a cut-off cell (long reasons, many samples) reads whole on hover
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


def _label(text="", name=None):
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


# ---- 1. the file and what its rows are --------------------------------------------------------------------
class FilePage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle("A sign-in sheet, contact list, action log or form export: .xlsx, .xlsm, .ods or .csv.")
        self.form = form = QFormLayout(scrolled(self))
        self.path = QLineEdit()
        self.path.setAccessibleName("Spreadsheet file")
        self.path.textChanged.connect(self.completeChanged)
        self.browse_button = browse = QPushButton("Bro&wse…")  # B is the wizard's Back
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("&File", row)
        form.labelForField(row).setBuddy(self.path)
        self.kind = QComboBox()
        for key, text in KINDS:
            self.kind.addItem(text, key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form.addRow("&Each row is", self.kind)
        self.event = QComboBox()
        self.event.setAccessibleName("Event")
        for event in services.events.page(0, 500, sort="date", descending=True):
            self.event.addItem(f"{event.title} ({event.date:%d/%m/%Y})" if event.date else event.title, str(event.id))
        form.addRow("E&vent", self.event)
        self._kind_changed()

    def _kind_changed(self):
        attendance = self.kind.currentData() == "attendance"  # the event is asked only when it is needed
        self.event.setVisible(attendance)
        self.form.labelForField(self.event).setVisible(attendance)
        self.completeChanged.emit()

    def browse(self):
        typed = self.path.text().strip()
        folder = str(Path(typed).parent) if typed and Path(typed).parent.is_dir() else None
        path = filedialogs.open_file(self, filedialogs.IMPORT, "Choose a spreadsheet", FILE_FILTER, folder=folder)
        if path:
            self.path.setText(path)

    def isComplete(self):
        return bool(self.path.text().strip()) and (self.kind.currentData() != "attendance" or self.event.count() > 0)

    def validatePage(self):
        path, kind = self.path.text().strip(), self.kind.currentData()
        event = self.event.currentData() if kind == "attendance" else None
        if (path, kind) != (self.wiz.path, self.wiz.options.kind):  # another file: nothing told about the last
            self.wiz.options = self.wiz.fresh_options()
        self.wiz.path = path
        return self.wiz.replan(kind=kind, event=event)


# ---- 2. how the file was read ------------------------------------------------------------------------------
class ReadPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("How the file was read")
        self.setSubTitle("Check the header row and, for a CSV, its encoding and separator. Change them if the "
                         "columns below look wrong.")
        layout = QVBoxLayout(scrolled(self))
        self.read_as = _label(name="read_as")
        layout.addWidget(self.read_as)
        self.form = form = QFormLayout()
        self.encoding = QComboBox()
        self.delimiter = QComboBox()
        self.header_row = QSpinBox()
        self.header_row.setRange(0, 1000)
        self.header_row.setAccessibleName("Header row")
        self.header_row.setMinimumWidth(200)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Encoding", self.encoding)
        form.addRow("&Separator", self.delimiter)
        form.addRow("&Header row", self.header_row)
        layout.addLayout(form)
        self.rows_label = _label()
        self.rows = _table([], "First rows of the sheet")
        self.rows.verticalHeader().setVisible(True)  # the row numbers the spreadsheet program shows
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rows.currentCellChanged.connect(lambda row, *_: self._row_picked(row))
        self.header_row.valueChanged.connect(self._show_header_row)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.rows, 2)
        self.sheets = _table(["Sheet (ticked: imported)", "Header row", "Records", "Rows passed over"], "Sheets")
        layout.addWidget(self.sheets, 1)

    def initializePage(self):
        plan, options = self.wiz.plan, self.wiz.options
        source = plan.source
        self.read_as.setText(describe(source))
        self.encoding.clear()
        self.delimiter.clear()
        if source.is_csv:
            self.encoding.addItem(f"As detected: {ENCODING_NAMES.get(source.encoding, source.encoding)}", None)
            for code in ("utf-8-sig", "cp1252", "latin-1"):
                self.encoding.addItem(ENCODING_NAMES[code], code)
            self.delimiter.addItem(f"As detected: {DELIMITERS.get(source.delimiter, source.delimiter)}", None)
            for char, name in DELIMITERS.items():
                self.delimiter.addItem(name.capitalize(), char)
            self.encoding.setCurrentIndex(max(self.encoding.findData(options.encoding), 0))
            self.delimiter.setCurrentIndex(max(self.delimiter.findData(options.delimiter), 0))
        for combo in (self.encoding, self.delimiter):  # a workbook has neither
            combo.setVisible(source.is_csv)
            self.form.labelForField(combo).setVisible(source.is_csv)
        first = next((t.header_row for t in plan.used or plan.tables if t.header_row), 0)
        self.header_row.setSpecialValueText(f"As detected (row {first})" if first else "Not found: choose the row")
        self._show_rows()
        self.header_row.setValue(options.header_row or 0)
        self._show_header_row()
        rows, read = [], {t.name: t for t in plan.tables}
        for sheet in source.sheets:  # every visible sheet, read or left out by the person
            t = read.get(sheet.name)
            if t is None:
                rows.append((sheet.name, "", "left out", ""))
            else:
                passed = "; ".join(f"row {r}: {why}" for r, why in t.skipped if why != "blank")
                rows.append((t.name, t.header_row or "", len(t.records) if not t.refused else "not imported",
                             t.refused or passed))
        rows += [(name, "", "hidden: never imported", "") for name in source.hidden]
        _fill(self.sheets, rows)
        for r, sheet in enumerate(source.sheets):  # tick the sheets to import (Space on the row)
            item = self.sheets.item(r, 0)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            t = read.get(sheet.name)
            fits = t is not None and (not t.refused or (not plan.used and t is plan.tables[0]))  # none fits: the first
            item.setCheckState(Qt.CheckState.Checked if fits else Qt.CheckState.Unchecked)

    def shown_sheet(self):
        """The sheet whose first rows are shown: the first imported, else the first read."""
        plan = self.wiz.plan
        name = next((t.name for t in plan.used or plan.tables), None)
        return next((s for s in plan.source.sheets if s.name == name), None)

    def _show_rows(self):
        """The sheet's first rows, numbered as its program numbers them, to choose the header from."""
        sheet = self.shown_sheet()
        rows = sheet.rows[:LOOK_ROWS] if sheet is not None else []
        width = min(max((len(r) for r in rows), default=0), 12)
        self.rows.setColumnCount(width)
        self.rows.setHorizontalHeaderLabels([column_letter(sheet.first_column + i) for i in range(width)]
                                            if sheet is not None else [])
        _fill(self.rows, [[text_of(v)[:30] for v in list(r[:width]) + [None] * (width - len(r[:width]))]
                          for r in rows])
        self.rows.setVerticalHeaderLabels([str(sheet.first_row + i) for i in range(len(rows))] if rows else [])
        self.header_row.setMaximum(max(1000, (sheet.first_row + len(sheet.rows)) if sheet is not None else 0))
        self.rows_label.setText(f"The first rows of sheet '{sheet.name}': click the row that names the columns, or "
                                "set the header row above." if sheet is not None else "")

    def _row_picked(self, row):
        sheet = self.shown_sheet()
        if sheet is not None and row >= 0 and self.rows.hasFocus():
            self.header_row.setValue(sheet.first_row + row)

    def _show_header_row(self):
        """Select the header row (told, else detected) among the rows shown."""
        sheet = self.shown_sheet()
        if sheet is None:
            return
        plan = self.wiz.plan
        number = self.header_row.value() or next((t.header_row for t in plan.used or plan.tables if t.header_row), 0)
        row = number - sheet.first_row
        self.rows.blockSignals(True)
        self.rows.clearSelection()
        if 0 <= row < self.rows.rowCount():
            self.rows.selectRow(row)
            self.rows.scrollToItem(self.rows.item(row, 0) or self.rows.item(0, 0))
        self.rows.blockSignals(False)

    def chosen_sheets(self):
        """() for every sheet that fits (the default), else the names ticked."""
        ticked, fitting = [], []
        for r, sheet in enumerate(self.wiz.plan.source.sheets):
            if self.sheets.item(r, 0).checkState() == Qt.CheckState.Checked:
                ticked.append(sheet.name)
            if any(t.name == sheet.name and not t.refused for t in self.wiz.plan.tables):
                fitting.append(sheet.name)
        return () if ticked == fitting and not self.wiz.options.sheets else tuple(ticked)

    def validatePage(self):
        told = {"encoding": self.encoding.currentData(), "delimiter": self.delimiter.currentData(),
                "header_row": self.header_row.value() or None, "sheets": self.chosen_sheets()}
        if not any(self.sheets.item(r, 0).checkState() == Qt.CheckState.Checked
                   for r in range(len(self.wiz.plan.source.sheets))):
            errors.show_message(self, "Tick at least one sheet to import.")
            return False
        if not told["header_row"] and not any(t.headers for t in self.wiz.plan.tables):
            errors.show_message(self, "No header row was found: choose the row that names the columns (click it in "
                                      "the rows shown, or set the header row).")
            return False
        if all(getattr(self.wiz.options, k) == v for k, v in told.items()):
            return True
        return self.wiz.replan(**told)


# ---- 4. the preview ----------------------------------------------------------------------------------------
class PreviewPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("What the import will do")
        self.setSubTitle("Nothing has been changed yet. Import writes all of this at once, and can be undone.")
        self.setCommitPage(True)
        layout = QVBoxLayout(scrolled(self))
        self.counts = _label(name="counts")
        layout.addWidget(self.counts)
        self.table = _table(["What", "Sheet", "Row", "Name", "Details"], "What the import will do")
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.doubtful = QHBoxLayout()
        self.doubtful_label = _label("Doubtful matches: select their rows (Shift or Ctrl for several), then")
        self.link = QPushButton("Link to best &match")
        self.link.setToolTip("Each selected row is the held person it most likely is: link it (Alt+M)")
        self.create = QPushButton("Create ne&w")
        self.create.setToolTip("Each selected row is someone new: create a record for it (Alt+W)")
        self.skip = QPushButton("S&kip")
        self.skip.setToolTip("Leave each selected row out of the import (Alt+K)")
        self.doubtful.addWidget(self.doubtful_label, 1)
        for button, how in ((self.link, "link"), (self.create, "create"), (self.skip, "skip")):
            button.clicked.connect(lambda checked=False, h=how: self.decide(h))
            self.doubtful.addWidget(button)
        layout.addLayout(self.doubtful)
        self.skip_bad = QCheckBox("&Leave out the rows with problems and import the rest")  # counted when shown
        self.skip_bad.toggled.connect(self._skip_toggled)
        self.report = QPushButton("Save the problem rows for the &partner…")
        self.report.setToolTip("A workbook of the rows with problems, the bad cells highlighted and a reason "
                               "column, to send back to be fixed")
        self.report.clicked.connect(self.save_report)
        row = QHBoxLayout()
        row.addWidget(self.skip_bad, 1)
        row.addWidget(self.report)
        layout.addLayout(row)

    def initializePage(self):
        plan = self.wiz.plan
        c = plan.counts()
        problems = plan.problems
        self.counts.setText(f"{c['added']} to add, {c['matched']} matched ({c['updated']} to update, {c['unchanged']} "
                            f"unchanged), {c['held']} held for review, {_rows(len(plan.bad_rows))} with problems.")
        self.values = c | {"rejected": len(plan.bad_rows)}
        rows = [("Problem", p.sheet, p.row, p.value, f"column '{p.column}': {p.reason}") for p in problems]
        doubtful = {(e.sheet, e.row): e for e in plan_doubtful(plan)}
        entries = {}
        for e in plan.live():  # by row, and by row and name (a row may name two people)
            entries.setdefault((e.sheet, e.row), e)
            entries[(e.sheet, e.row, getattr(e, "name", None))] = e
        fields = KIND_OF[plan.options.kind]
        for r in plan.as_json()["records"]:
            rows.append((_what(r, doubtful), r["sheet"], r["row"], r["name"], _details(r, entries, fields, plan)))
        event = plan.event.title if plan.event is not None else ""
        for visit in plan.attendance:  # attendance is counted in "to add": each row shown, not attending too
            rows.append((VISITS.get(visit.action, visit.action), visit.entry.sheet, visit.entry.row,
                         visit.entry.name, event))
        rows.sort(key=lambda row: (row[1], row[2]))
        rows += [("New organisation", "", o.rows[0] if o.rows else "", o.name, "")
                 for o in plan.new_organisations()]
        _fill(self.table, rows)
        self.table.setColumnWidth(4, 240)  # long details are cut off (whole in their tooltips), the rest stretches
        for r, row in enumerate(rows):
            if (row[1], row[2]) in doubtful and row[0] != "Problem":
                self.table.item(r, 0).setData(KEY, (row[1], row[2]))
        for widget in (self.doubtful_label, self.link, self.create, self.skip):
            widget.setVisible(bool(doubtful))
        self._selection_changed()
        self.skip_bad.setVisible(bool(problems))
        self.report.setVisible(bool(problems))
        self.skip_bad.setText(f"&Leave out the {_rows(len(plan.bad_rows))} with problems and import the rest")
        self.skip_bad.setChecked(plan.options.skip_bad_rows)

    def selected_doubtful(self):
        """(sheet, row) of the selected rows whose match is doubtful."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedIndexes()})
        return [key for key in (self.table.item(r, 0).data(KEY) for r in rows) if key]

    def _selection_changed(self):
        some = bool(self.selected_doubtful())
        for button in (self.link, self.create, self.skip):
            button.setEnabled(some)

    def decide(self, how):
        """Decide every selected doubtful row at once; the preview shows it at once (nothing is written yet)."""
        keys = self.selected_doubtful()
        if not keys:
            return 0
        count = decide(self.wiz.plan, keys, how)
        self.initializePage()
        self.table.setFocus()
        return count

    def save_report(self):
        plan = self.wiz.plan
        suggested = str(plan.source.path.with_name(f"{plan.source.path.stem} - rows to fix.xlsx"))
        path = filedialogs.save_file(self, filedialogs.PROBLEMS, "Save the problem rows", suggested,
                                     "Excel workbooks (*.xlsx)")
        if not path:
            return None
        try:
            count = write_report(plan, path)
        except (OSError, TrackerError) as exc:
            errors.show_exception(self, exc)
            return None
        errors.show_info(self, f"{_rows(count)} with problems saved to {path}.")
        return path

    def _skip_toggled(self, on):
        if self.wiz.plan is not None:
            self.wiz.plan.options.skip_bad_rows = on
        self.completeChanged.emit()

    def isComplete(self):
        plan = self.wiz.plan
        return plan is not None and (not plan.problems or self.skip_bad.isChecked())

    def validatePage(self):
        return self.wiz.apply()


def _rows(n):
    return f"{n} row" if n == 1 else f"{n} rows"


def plan_doubtful(plan):
    """The doubtful matches not decided yet (rows with problems are left out anyway)."""
    return [e for e in doubtful(plan) if (e.sheet, e.row) not in plan.bad_rows]


def _what(record, doubtful):
    if record["action"] == "match":
        return "Update" if record["changes"] else "Matched, unchanged"
    if record["action"] == "add" and (record["sheet"], record["row"]) in doubtful:
        return "New (doubtful match)"
    return WHAT.get(record["action"], record["action"])


def _details(record, entries, fields, plan=None):
    # a row may name two people: its entries are told apart by name
    entry = entries.get((record["sheet"], record["row"], record["name"])) or entries.get((record["sheet"], record["row"]))
    if record["action"] in ("held", "add") and entry is not None:
        if entry.candidates:
            return "maybe " + "; ".join(f"{'the organisation ' if c.get('kind') == 'organisation' else ''}{c['name']} "
                                        f"({c['score']}%)" for c in entry.candidates)
        if record["action"] == "add":  # what the new record will hold (columns joined, words read as ours)
            organisation = plan.organisations.get(entry.organisation) if plan is not None and entry.organisation else None
            return "; ".join(([record["note"]] if record.get("note") else [])
                             + ([f"Organisation: {organisation.name}"] if organisation is not None else []) + [
                f"{fields[name].title if name in fields else name}: {_text(fields, name, value)}"
                for name, value in entry.values.items()
                if name not in ("name", "title", "kind") and value not in (None, "", [])])[:300]
    changes = [f"{field}: {old or '(empty)'} → {new or '(empty)'}" for field, (old, new) in record["changes"].items()]
    return "; ".join([record["note"], *changes] if record.get("note") else changes)


def _text(fields, name, value):
    """A planned value as people read it (the registry's way: dates day first, a list's label), on one line."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(fields, None, v) for v in value)
    if name in fields and fields[name].type in (CHOICE, DATE):
        return fields[name].show(value)
    if not isinstance(value, str):  # a record or an organisation the import creates: by its name
        value = getattr(value, "name", None) or getattr(value, "title", None) or str(value)
    return " / ".join(value.splitlines())


# ---- 5. done -----------------------------------------------------------------------------------------------
class DonePage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Imported")
        layout = QVBoxLayout(scrolled(self))
        self.summary = _label(name="summary")
        layout.addWidget(self.summary)
        self.undo = QPushButton("&Undo this import")
        self.undo.clicked.connect(self._undo)
        self.review = QPushButton("&Review held matches…")
        self.review.clicked.connect(self._review)
        row = QHBoxLayout()
        row.addWidget(self.undo)
        row.addWidget(self.review)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def initializePage(self):
        c = self.wiz.plan.counts()
        if self.wiz.import_id is None:
            self.summary.setText("Nothing was imported: everything in the file is already held.")
        else:
            self.summary.setText(f"Import {self.wiz.import_id}: {c['added']} added, {c['updated']} updated, "
                                 f"{c['unchanged']} unchanged, {c['held']} held for review. Edit → Undo import… "
                                 "can also undo it later.")
        self.undo.setVisible(self.wiz.import_id is not None)
        self.review.setVisible(bool(c["held"]) and self.wiz.import_id is not None)

    def _undo(self):
        if self.wiz.undo():
            self.undo.setEnabled(False)
            self.review.setEnabled(False)
            self.summary.setText(f"Import {self.wiz.import_id} was undone: nothing of it is left.")

    def _review(self):
        HeldReview.ask(self)
