"""The managers' reports in the app: Reports → Action log… and Reports → Commitment register….

A filter dialog (prefilled from the list the user is looking at, with the very filter widgets
that list uses, so the report shows what the list shows) chooses the filters and the output: an
Excel workbook (written by ``tracker.reports``), a PDF, or the print preview.  Rows are gathered
and the workbook written off the UI thread (``ui.worker``) with progress and Cancel; afterwards
the user may open the file or show its folder.

PDF and paper are drawn page by page (``ui.pdfpages``, as the board pack is): the title block, then
the table laid out like the workbook, its header row on every page, no row split across two pages,
no word broken, and "Page X of N" at the foot of each page.  The PDF is written off the UI thread.
"""

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QLabel, QMessageBox, QRadioButton, QVBoxLayout)

from tracker import reports
from tracker.db import is_live_file
from tracker.errors import TrackerError
from tracker.reports.colours import OVERDUE_FILL, OVERDUE_FONT, RAG_FILLS
from tracker.reports.rows import ACTION_LOG, REGISTER
from ui import errors, filedialogs, kinds, pdfpages, settings
from ui.fields import DateField
from ui.filters import FILTERS_PER_ROW
from ui.pdfpages import Cell, Pages, Table, TableColumn, a4_landscape, pdf_bytes
from ui.worker import run_in_background

XLSX, PDF, PRINT = "xlsx", "pdf", "print"
OPEN, FOLDER = "open", "folder"
KINDS = {  # list kind -> (title, gather, suggested file name)
    "actions": (ACTION_LOG, reports.action_log, "action-log"),
    "commitments": (REGISTER, reports.commitment_register, "commitment-register"),
}
FILE_FILTERS = {XLSX: "Excel workbooks (*.xlsx);;All files (*)", PDF: "PDF documents (*.pdf);;All files (*)"}


def install(window):
    """Add Reports → Action log… and Reports → Commitment register… to ``window`` (a MainWindow)."""
    runner = ReportActions(window)
    window.menus.add("reports", "report_action_log", "&Action log…", lambda: runner.run("actions"),
                     section="reports", icon_name="actions",
                     tip="The action log for a board meeting: Excel, PDF or print")
    # C, not R: "&Retention review…" has R in the same menu
    window.menus.add("reports", "report_register", "&Commitment register…", lambda: runner.run("commitments"),
                     section="reports", icon_name="commitments", tip="Who promised what: Excel, PDF or print")
    window.report_actions = runner
    return runner


class ReportActions:
    """What the menu entries do; ``last_operation`` lets tests wait for the background work."""

    def __init__(self, window):
        self.window = window
        self.last_operation = None

    def run(self, kind):
        title, gather, stem = KINDS[kind]
        answer = ReportDialog.ask(self.window, kind, self.window.current_filters(kind),
                                  self.window.pages[kind].search.text())
        if answer is None:
            return None
        output, path = answer["output"], None
        settings.remember_report_output(output)
        if output in (XLSX, PDF):
            path = SaveReportAs.ask(self.window, title, f"{stem}.{output}", output)
            if path is None:
                return None
            if is_live_file(path):
                errors.show_message(self.window, f"{Path(path).name} is the database the app has open; choose "
                                                 f"another file name for the {title.lower()}.")
                return None
        filters, search = answer["filters"], answer["search"]

        def work(progress):
            def report_progress(done, total):
                progress.check()  # Cancel stops the work here; nothing is written
                progress.update(done, total, f"Writing {title.lower()}…" if total else f"Gathering {kind}…")

            progress.update(0, None, f"Gathering {kind}…")
            report = gather(filters, search, progress=report_progress)
            progress.check()
            if output == XLSX:
                reports.write_report(report, path, report_progress)
            elif output == PDF:
                save_pdf(report, path, report_progress)
            return report

        self.last_operation = run_in_background(self.window, work, on_success=lambda r: self._done(output, path, r),
                                                label=f"Preparing the {title.lower()}…")
        return self.last_operation

    def _done(self, output, path, report):
        if output == PRINT:
            preview(self.window, report)
            return
        self.window.statusBar().showMessage(f"{report.title} saved: {path}", 8000)
        open_or_show(path, ReportDone.ask(self.window, path, report))


def open_or_show(path, choice):
    """Open the file saved (OPEN) or its folder (FOLDER) in the system's programs; None: neither."""
    if choice == OPEN:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif choice == FOLDER:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


# ---- dialogs ---------------------------------------------------------------------------------------
class ReportDialog(QDialog):
    """The report's filters (the list's own filter widgets, prefilled) and what to produce."""

    def __init__(self, parent, kind, filters, search=""):
        super().__init__(parent)
        self.kind = kind
        title = KINDS[kind][0]
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro = QLabel(f"The {title.lower()} shows the {kind} chosen here; it starts from the filter of the "
                       f"{kind.capitalize()} list.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.filters = kinds.KINDS[kind].filters()
        for n, widget in enumerate(self.filters):
            widget.set_value((filters or {}).get(widget.key))
            grid.addWidget(widget, n // FILTERS_PER_ROW, n % FILTERS_PER_ROW)
        layout.addLayout(grid)
        form = QFormLayout()
        self.dates = []
        if kind == "actions":  # the command's --due-after / --due-before
            for key, label in (("due_after", "Due on or &after"), ("due_before", "Due on or &before")):
                field = DateField(key, label)
                field.set((filters or {}).get(key))
                field.error.setWordWrap(False)  # a dialog does not grow for wrapped lines; it widens for one
                self.dates.append(field)
                caption = QLabel(label)
                caption.setBuddy(field.input)  # Alt+A / Alt+B go to the date box itself
                form.addRow(caption, field.widget)
        self.search = (search or "").strip()
        self.use_search = QCheckBox(f"Only those matching \u201c{self.search}\u201d (the list's search)")
        self.use_search.setChecked(bool(self.search))
        self.use_search.setVisible(bool(self.search))
        form.addRow(self.use_search)
        self.outputs = QButtonGroup(self)
        last = settings.report_output(XLSX)  # the format chosen last time
        for n, (key, text) in enumerate(((XLSX, "&Excel workbook (.xlsx)"), (PDF, "&PDF"),
                                         (PRINT, "Print pre&view"))):
            button = QRadioButton(text)
            button.setProperty("output", key)
            button.setChecked(key == last if last in (XLSX, PDF, PRINT) else n == 0)
            self.outputs.addButton(button)
            form.addRow("Produce" if n == 0 else "", button)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create report…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self):
        """Create report: only with filter dates that can be read (an empty one is no filter)."""
        for field in self.dates:
            field.show_error(field.problem())
        unreadable = [field for field in self.dates if field.problem()]
        if unreadable:
            unreadable[0].input.setFocus()
            return
        super().accept()

    def values(self):
        """{"filters": services filter dict, "search": text, "output": xlsx|pdf|print}."""
        filters = {w.key: w.value() for w in self.filters if w.value() not in (None, False)}
        filters.update({f.name: f.get() for f in self.dates if f.get() is not None})
        return {"filters": filters, "search": self.search if self.use_search.isChecked() else "",
                "output": self.outputs.checkedButton().property("output")}

    @classmethod
    def ask(cls, parent, kind, filters, search=""):
        dialog = cls(parent, kind, filters, search)
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class SaveReportAs:
    @classmethod
    def ask(cls, parent, title, suggested, output):
        path = filedialogs.save_file(parent, filedialogs.REPORTS, f"Save the {title.lower()}", suggested,
                                     FILE_FILTERS[output])
        if not path:
            return None
        if not path.lower().endswith(f".{output}"):
            path += f".{output}"
        return path


class ReportDone:
    @classmethod
    def ask(cls, parent, path, report):
        """OPEN, FOLDER or None (close)."""
        return ask_open(parent, report.title,
                        f"The {report.title.lower()} ({len(report.rows):,} {report.what}) was saved as\n{path}")


def ask_open(parent, title, message):
    """``message`` with Open (the default), Show folder and Close: OPEN, FOLDER or None."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Close, parent)
    open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton("Show &folder", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(open_button)
    box.exec()
    return {open_button: OPEN, folder_button: FOLDER}.get(box.clickedButton())


# ---- printing ---------------------------------------------------------------------------------------
ALIGN = {"number": "right", "rag": "center"}


def report_table(report, title=""):
    """The :class:`Table` of a ``tracker.reports`` Report: its columns, RAG cells in their colours and
    overdue dates highlighted as the workbook shows them (the text always says it too)."""
    columns = [TableColumn(c.header, c.width, wraps=c.kind == "wrap" or c.kind == "text" and c.width > 14,
                           align=ALIGN.get(c.kind, "left")) for c in report.columns]
    rows = []
    for row in report.rows:
        cells = []
        for c in report.columns:
            text = report.cell_text(row, c)
            if c.kind == "rag" and text in RAG_FILLS:
                fill, ink = RAG_FILLS[text]
                cells.append(Cell(text, fill, ink, bold=True))
            elif report.highlighted(row, c):
                cells.append(Cell(text, OVERDUE_FILL, OVERDUE_FONT, bold=True))
            else:
                cells.append(Cell(text))
        rows.append(cells)
    return Table(columns, rows, title=title)


def lay_out_report(report, pages, progress=None):
    """The report on ``pages`` (ui.pdfpages): title, filters, when and by whom, notes, then its table
    with the header on every page."""
    pages.head = f"{report.title} \u00b7 {report.filters_text}"
    pages.foot = f"{report.title} \u00b7 {report.generated_text}"

    def on_row(n):
        if progress is not None and n % 500 == 0:
            progress(n, len(report.rows))

    pages.heading(report.title, 16, keep=pages.text.line * 4)
    for text in (report.filters_text, report.generated_text, report.notes):
        if text:
            pages.paragraph(text)
    pages.space(4)
    if report.rows:
        pages.table(report_table(report), on_row)
    return pages


def landscape_printer(printer=None):
    return a4_landscape(printer or QPrinter(QPrinter.PrinterMode.HighResolution))


def print_report(report, printer):
    """Lay ``report`` out on ``printer``'s pages and draw them, "Page X of N" at each foot."""
    target = printer.outputFileName()
    if target and is_live_file(target):  # "print to file" from the preview, over the database
        raise TrackerError(f"{Path(target).name} is the database the app has open; print to another file.")
    pages = lay_out_report(report, Pages(printer))
    painter = QPainter()
    if not painter.begin(printer):
        raise TrackerError("The printer could not be started.")
    try:
        pages.paint(painter)
    finally:
        painter.end()


def save_pdf(report, path, progress=None):
    """Write ``report`` as an A4 landscape PDF at ``path`` (may run on a worker thread)."""
    if is_live_file(path):
        raise TrackerError(f"{Path(path).name} is the database the app has open; save the PDF as another file.")
    data = pdf_bytes(report.title, lambda pages: lay_out_report(report, pages, progress))
    return pdfpages.save_pdf(data, path)


def preview(parent, report):
    """Qt's print preview, from which the user prints or saves as PDF."""
    printer = landscape_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"{report.title}: print preview")
    dialog.paintRequested.connect(lambda p: print_report(report, p))
    PreviewDialog.show(dialog)
    return dialog


class PreviewDialog:
    @classmethod
    def show(cls, dialog):
        """Run the preview (tests replace this so nothing blocks)."""
        dialog.exec()
