"""The steps of the spreadsheet import wizard (``ui.tableimport``): each page shows the wizard's plan
and changes its options; leaving a page that changed them works the plan out again (off the UI thread).

What does not live here: planning and importing (the wizard, through ``tracker.tableimport``).
Over 450 lines on purpose: five pages of one flow, each under 100 lines and sharing the table
helpers at the top; split further, a reader would chase one wizard across files.
"""

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSpinBox, QStyledItemDelegate,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWizardPage)

from tracker import services
from tracker.errors import TrackerError
from tracker.tableimport.header import is_empty
from tracker.tableimport.mapping import TARGETS, target_label
from tracker.tableimport.sources import DELIMITERS, ENCODING_NAMES, describe
from tracker.tableimport.report import write_report
from tracker.tableimport.values import text_of
from ui import errors
from ui.heldreview import HeldReview

FILE_FILTER = ("Spreadsheets (*.xlsx *.xlsm *.ods *.csv *.txt);;Excel workbooks (*.xlsx *.xlsm);;"
               "OpenDocument spreadsheets (*.ods);;CSV or text (*.csv *.txt);;All files (*)")
KINDS = (("stakeholders", "Stakeholders: people and organisations"), ("attendance", "Attendance at an event"),
         ("actions", "Actions"), ("commitments", "Commitments"))
IGNORE = "(ignore this column)"
TARGET = Qt.ItemDataRole.UserRole  # the mapping column's field name ("" for ignore)
VISITS = {"add": "Attended", "unchanged": "Attendance already recorded", "not attending": "Not attending: left out"}
WHAT = {"add": "New", "held": "Held for review", "same": "Same person again", "erased": "Erased: left out"}
CHOICE_TEXTS = {"on_match": (("fill", "Fill only its empty fields"), ("update", "Update every field the row gives"),
                             ("skip", "Leave it as it is")),
                "uncertain": (("hold", "Hold the row for me to review"), ("create", "Create a new record"))}


def documents_folder():
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def _table(headers, name):
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
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
        form = QFormLayout(self)
        self.path = QLineEdit()
        self.path.setAccessibleName("Spreadsheet file")
        self.path.textChanged.connect(self.completeChanged)
        self.browse_button = browse = QPushButton("&Browse…")
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
        self.layout().labelForField(self.event).setVisible(attendance)
        self.completeChanged.emit()

    def browse(self):
        path, _ = QFileDialog.getOpenFileName(self, "Choose a spreadsheet", self.path.text() or documents_folder(),
                                              FILE_FILTER)
        if path:
            self.path.setText(path)

    def isComplete(self):
        return bool(self.path.text().strip()) and (self.kind.currentData() != "attendance" or self.event.count() > 0)

    def validatePage(self):
        path, kind = self.path.text().strip(), self.kind.currentData()
        event = self.event.currentData() if kind == "attendance" else None
        if (path, kind) != (self.wiz.path, self.wiz.options.kind):  # another file: nothing told about the last
            self.wiz.options = type(self.wiz.options)()
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
        layout = QVBoxLayout(self)
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
        first = plan.used[0].header_row if plan.used else 0
        self.header_row.setSpecialValueText(f"As detected (row {first})")
        self.header_row.setValue(options.header_row or 0)
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
            item.setCheckState(Qt.CheckState.Checked if t is not None and not t.refused else Qt.CheckState.Unchecked)

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
        if all(getattr(self.wiz.options, k) == v for k, v in told.items()):
            return True
        return self.wiz.replan(**told)


# ---- 3. the columns ----------------------------------------------------------------------------------------
class TargetDelegate(QStyledItemDelegate):
    """The "Imported as" cell: a list of the kind's fields in the users' words, chosen by keyboard (F2, letters)."""

    def __init__(self, parent, choices):
        super().__init__(parent)
        self.choices = choices  # [(label, target or "")]

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setAccessibleName("Imported as")
        for label, target in self.choices:
            combo.addItem(label, target)
        # Each choice counts as soon as it shows: the cell must not lose what was chosen when focus moves.
        combo.currentIndexChanged.connect(lambda _: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentIndex(max(editor.findData(index.data(TARGET) or ""), 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)
        model.setData(index, editor.currentData(), TARGET)


class MappingPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Which column is which")
        self.setSubTitle("Each column of the spreadsheet, a few of its values, and the field it is imported as. "
                         "Select a field and press F2 (or just type) to change it.")
        layout = QVBoxLayout(self)
        self.table = _table(["Column in the spreadsheet", "Sample values", "Imported as", "Dates"], "Columns")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
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
        form.addRow("When a match is &doubtful", self.uncertain)
        self.preset_name = QLineEdit()
        self.preset_name.setPlaceholderText("optional: a name offered again for files with these headers")
        form.addRow("Save this mapping &as", self.preset_name)
        layout.addLayout(form)

    def initializePage(self):
        plan, kind = self.wiz.plan, self.wiz.options.kind
        self.table.setItemDelegateForColumn(2, TargetDelegate(self.table, [(IGNORE, "")] + [
            (target_label(kind, t), t) for t in TARGETS[kind]]))
        rows, seen = [], set()
        for t in plan.used:
            for header in t.headers:
                if header in seen:
                    continue
                seen.add(header)
                target = t.mapping.get(header) or ""
                order = t.dates.get(header, "")
                if order and header in t.undecided:
                    order += " (the values could not tell)"
                rows.append((header, " · ".join(_samples(plan, t, header)),
                             target_label(kind, target) if target else IGNORE, order.replace("-", " "), target))
        _fill(self.table, [r[:4] for r in rows])
        for r, row in enumerate(rows):
            item = self.table.item(r, 2)
            item.setData(TARGET, row[4])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            for c in (0, 1, 3):
                cell = self.table.item(r, c)
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setColumnHidden(3, not any(r[3] for r in rows))  # no date column: no Dates column
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 360))
        self.table.setColumnWidth(2, max(self.table.columnWidth(2), 220))
        self.table.setCurrentCell(0, 2)
        if plan.preset:
            self.setSubTitle(f"Using the saved mapping '{plan.preset}'. Select a field and press F2 (or just type) "
                             "to change it.")
        options = self.wiz.options
        self.dates.setCurrentIndex(max(self.dates.findData(options.dates), 0))
        self.on_match.setCurrentIndex(self.on_match.findData(options.on_match))
        self.uncertain.setCurrentIndex(self.uncertain.findData(options.uncertain))

    def chosen(self):
        """{header: target or None} as the table now shows."""
        return {self.table.item(r, 0).text(): self.table.item(r, 2).data(TARGET) or None
                for r in range(self.table.rowCount())}

    def validatePage(self):
        shown = {}
        for t in self.wiz.plan.used:
            shown.update(t.mapping)
        told = dict(m.rpartition("=")[::2] for m in self.wiz.options.maps)
        told.update({h: target or "ignore" for h, target in self.chosen().items() if target != shown.get(h)})
        changes = {"maps": tuple(f"{h}={t}" for h, t in told.items()), "dates": self.dates.currentData(),
                   "on_match": self.on_match.currentData(), "uncertain": self.uncertain.currentData()}
        if all(getattr(self.wiz.options, k) == v for k, v in changes.items()):
            return True
        return self.wiz.replan(**changes)


def _samples(plan, table, header, count=3):
    """The first few values written in ``header``'s column of ``table``, as written."""
    sheet = next((s for s in plan.source.sheets if s.name == table.name), None)
    if sheet is None:
        return []
    i, start = table.headers.index(header), table.header_row - sheet.first_row + 1
    found = []
    for row in sheet.rows[start:]:
        if i < len(row) and not is_empty(row[i]):
            found.append(text_of(row[i])[:40])
            if len(found) == count:
                break
    return found


# ---- 4. the preview ----------------------------------------------------------------------------------------
class PreviewPage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("What the import will do")
        self.setSubTitle("Nothing has been changed yet. Import writes all of this at once, and can be undone.")
        self.setCommitPage(True)
        layout = QVBoxLayout(self)
        self.counts = _label(name="counts")
        layout.addWidget(self.counts)
        self.table = _table(["What", "Sheet", "Row", "Name", "Details"], "What the import will do")
        layout.addWidget(self.table, 1)
        self.skip_bad = QCheckBox()
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
        for r in plan.as_json()["records"]:
            rows.append((_what(r), r["sheet"], r["row"], r["name"], _details(r, plan)))
        event = plan.event.title if plan.event is not None else ""
        for visit in plan.attendance:  # attendance is counted in "to add": each row shown, not attending too
            rows.append((VISITS.get(visit.action, visit.action), visit.entry.sheet, visit.entry.row,
                         visit.entry.name, event))
        rows.sort(key=lambda row: (row[1], row[2]))
        rows += [("New organisation", "", o.rows[0] if o.rows else "", o.name, "")
                 for o in plan.new_organisations()]
        _fill(self.table, rows)
        self.skip_bad.setVisible(bool(problems))
        self.report.setVisible(bool(problems))
        self.skip_bad.setText(f"&Leave out the {_rows(len(plan.bad_rows))} with problems and import the rest")
        self.skip_bad.setChecked(plan.options.skip_bad_rows)

    def save_report(self):
        plan = self.wiz.plan
        suggested = str(plan.source.path.with_name(f"{plan.source.path.stem} - rows to fix.xlsx"))
        path, _ = QFileDialog.getSaveFileName(self, "Save the problem rows", suggested, "Excel workbooks (*.xlsx)")
        if not path:
            return None
        try:
            count = write_report(plan, path)
        except (OSError, TrackerError) as exc:
            errors.show_exception(self, exc)
            return None
        errors.show_message(self, f"{_rows(count)} with problems saved to {path}.")
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


def _what(record):
    if record["action"] == "match":
        return "Update" if record["changes"] else "Matched, unchanged"
    return WHAT.get(record["action"], record["action"])


def _details(record, plan):
    if record["action"] == "held":
        entry = next(e for e in plan.live() if (e.sheet, e.row, e.action, e.name) == (  # a row may name two people
            record["sheet"], record["row"], "held", record["name"]))
        return "maybe " + "; ".join(f"{'the organisation ' if c.get('kind') == 'organisation' else ''}{c['name']} "
                                    f"({c['score']}%)" for c in entry.candidates)
    changes = [f"{field}: {old or '(empty)'} → {new or '(empty)'}" for field, (old, new) in record["changes"].items()]
    return "; ".join([record["note"], *changes] if record.get("note") else changes)


# ---- 5. done -----------------------------------------------------------------------------------------------
class DonePage(QWizardPage):
    def __init__(self, wizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("Imported")
        layout = QVBoxLayout(self)
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
