"""The managers' reports in the app: Reports → Action log… and Reports → Commitment register….

A filter dialog (prefilled from the list the user is looking at, with the very filter widgets
that list uses, so the report shows what the list shows) chooses the filters and the output: an
Excel workbook (written by ``tracker.reports``), a PDF, or the print preview.  Rows are gathered
and the workbook written off the UI thread (``ui.worker``) with progress and Cancel; afterwards
the user may open the file or show its folder.

PDF and paper go through Qt's own printing: the report becomes an HTML table in a QTextDocument
laid out like the workbook (title block, then the table whose ``<thead>`` row Qt repeats on
every page; page numbers at the foot of each page).
"""

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QLabel, QMessageBox, QRadioButton, QVBoxLayout)

from tracker import reports
from tracker.db import is_live_file
from tracker.errors import TrackerError
from tracker.reports.rows import ACTION_LOG, REGISTER
from tracker.reports.colours import HEADER_FILL, OVERDUE_FILL, OVERDUE_FONT, RAG_FILLS
from ui import errors, filedialogs, settings
from ui.fields import DateField
from ui.filters import FILTERS_PER_ROW
from ui import kinds
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
            return report

        self.last_operation = run_in_background(self.window, work, on_success=lambda r: self._done(output, path, r),
                                                label=f"Preparing the {title.lower()}…")
        return self.last_operation

    def _done(self, output, path, report):
        if output == PRINT:
            preview(self.window, report)
            return
        if output == PDF:
            save_pdf(report, path)
        self.window.statusBar().showMessage(f"{report.title} saved: {path}", 8000)
        choice = ReportDone.ask(self.window, path, report)
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
        box = QMessageBox(QMessageBox.Icon.Information, report.title,
                          f"The {report.title.lower()} ({len(report.rows):,} {report.what}) was saved as\n{path}",
                          QMessageBox.StandardButton.Close, parent)
        open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
        folder_button = box.addButton("Show &folder", QMessageBox.ButtonRole.ActionRole)
        box.setDefaultButton(open_button)
        box.exec()
        return {open_button: OPEN, folder_button: FOLDER}.get(box.clickedButton())


# ---- printing ---------------------------------------------------------------------------------------
def report_html(report):
    """The report as HTML for QTextDocument: title block, then a table whose header row repeats."""
    esc = html.escape
    size = {c.key: f' width="{share:.1f}%"' for c, share in zip(report.columns, column_shares(report))}
    head = "".join(f'<th{size[c.key]} bgcolor="#{HEADER_FILL}" align="left">'
                   f'<font color="#FFFFFF">{esc(c.header)}</font></th>' for c in report.columns)
    body = []
    for row in report.rows:
        cells = []
        for c in report.columns:
            text = esc(report.cell_text(row, c))
            if c.kind == "rag" and text in RAG_FILLS:
                fill, font = RAG_FILLS[text]
                cells.append(f'<td align="center" bgcolor="#{fill}"><font color="#{font}"><b>{text}</b></font></td>')
            elif report.highlighted(row, c):
                cells.append(f'<td{size[c.key]} bgcolor="#{OVERDUE_FILL}"><font color="#{OVERDUE_FONT}"><b>{text}</b></font></td>')
            else:
                cells.append(f'<td{size[c.key]}{" align=right" if c.kind == "number" else ""}>{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<h2><font color="#{HEADER_FILL}">{esc(report.title)}</font></h2>'
            f"<p>{esc(report.filters_text)}<br>{esc(report.generated_text)}<br>{esc(report.notes)}</p>"
            f'<table border="1" cellspacing="0" cellpadding="2" width="100%">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


PRINT_LINE_CHARS = 190  # characters of 7-point text across a landscape A4 page inside Qt's margins


def column_shares(report):
    """Percent of the page width per column: short columns (dates, codes, numbers) get what their
    longest value or header word needs, so they never break; long-text columns share the rest."""
    shares = []
    for c in report.columns:
        if c.kind == "wrap":
            shares.append(None)
            continue
        longest = max((len(report.cell_text(row, c)) for row in report.rows), default=0)
        shares.append(max(longest, *(len(word) for word in c.header.split())) * 1.15 + 2)
    fixed = sum(s for s in shares if s is not None)
    wrap_width = sum(c.width for c in report.columns if c.kind == "wrap")
    rest = max(PRINT_LINE_CHARS - fixed, wrap_width / 3)
    shares = [s if s is not None else rest * c.width / wrap_width for s, c in zip(shares, report.columns)]
    return [100 * s / sum(shares) for s in shares]


def report_document(report):
    doc = QTextDocument()
    font = QFont("Arial")
    font.setPointSizeF(7)  # a landscape A4 page holds the workbook's 13-15 columns at this size
    doc.setDefaultFont(font)
    doc.setHtml(report_html(report))
    return doc


def landscape_printer(printer=None):
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Landscape,
                                      QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
    return printer


def print_report(report, printer):
    """Lay ``report`` out on ``printer``'s pages (Qt numbers the pages at their foot)."""
    target = printer.outputFileName()
    if target and is_live_file(target):  # "print to file" from the preview, over the database
        raise TrackerError(f"{Path(target).name} is the database the app has open; print to another file.")
    report_document(report).print_(printer)


def save_pdf(report, path):
    if is_live_file(path):
        raise TrackerError(f"{Path(path).name} is the database the app has open; save the PDF as another file.")
    printer = landscape_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setDocName(report.title)
    print_report(report, printer)
    return Path(path)


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
