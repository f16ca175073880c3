"""Reports from the app: the filter dialog prefilled from the list, background work with Cancel,
Open / Show folder, and Qt's own PDF printing (checked with pdftotext)."""

import datetime as dt
import shutil
import subprocess
import threading

import openpyxl
import pytest

from tracker import reports, services
from tracker.cli import build_parser
from tracker.cli.reports import action_filters, commitment_filters
from tracker.reports.xlsx import HEADER_ROW
from ui import reports as ui_reports

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")


def pdf_pages(path):
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def xlsx_column(path, sheet, col=0):
    ws = openpyxl.load_workbook(path)[sheet]
    return [r[col].value for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[col].value]


class Script:
    """Stands in for the dialogs: builds the real filter dialog (so prefill is exercised) and answers."""

    def __init__(self, monkeypatch, tmp_path, output="xlsx", choice=None, change=None):
        self.dialogs, self.done, self.previews = [], [], []
        self.path = tmp_path / f"report.{output}"

        def ask(cls, parent, kind, filters, search=""):
            dialog = cls(parent, kind, filters, search)
            next(b for b in dialog.outputs.buttons() if b.property("output") == output).click()
            if change:
                change(dialog)
            self.dialogs.append(dialog)
            return dialog.values()

        monkeypatch.setattr(ui_reports.ReportDialog, "ask", classmethod(ask))
        monkeypatch.setattr(ui_reports.SaveReportAs, "ask", classmethod(lambda cls, p, t, s, o: str(self.path)))
        monkeypatch.setattr(ui_reports.ReportDone, "ask",
                            classmethod(lambda cls, p, path, report: self.done.append(path) or choice))
        monkeypatch.setattr(ui_reports.PreviewDialog, "show", classmethod(lambda cls, d: self.previews.append(d)))
        self.opened = []
        monkeypatch.setattr(ui_reports.QDesktopServices, "openUrl", lambda url: self.opened.append(url.toLocalFile()))


def run_menu(qtbot, window, key):
    window.actions[key].trigger()
    op = window.report_actions.last_operation
    if op is not None and not op.done:
        with qtbot.waitSignal(op.finished, timeout=30_000):
            pass
    return op


def filter_list(window, kind, **values):
    page = window.show_view(kind)
    for w in page.filters:
        w.blockSignals(True)
        w.set_value(values.get(w.key))
        w.blockSignals(False)
    page.apply_query()
    return page


def test_action_log_from_the_menu_matches_the_list_and_the_command(qtbot, window, monkeypatch, tmp_path):
    havering = services.councils.find("Havering")
    filter_list(window, "actions", council=havering, overdue=True)
    script = Script(monkeypatch, tmp_path, choice=ui_reports.OPEN)
    run_menu(qtbot, window, "report_action_log")
    dialog = script.dialogs[0]
    assert dialog.values()["filters"] == {"council": havering, "overdue": True}  # prefilled from the list
    assert script.done == [str(script.path)] and script.opened == [str(script.path)]
    in_app = xlsx_column(script.path, "Action log")
    args = build_parser().parse_args(["action-log", "x.xlsx", "--council", "Havering", "--overdue"])
    from_cli = [r["reference"] for r in reports.action_log(action_filters(args)).rows]
    listed = [window.pages["actions"].model.record(r).reference for r in range(window.pages["actions"].model.rowCount())]
    assert in_app == from_cli and sorted(in_app) == sorted(listed) and in_app


def test_dates_and_statuses_in_the_dialog_match_the_command(qtbot, window, monkeypatch, tmp_path):
    after, before = dt.date.today() - dt.timedelta(days=100), dt.date.today() + dt.timedelta(days=30)

    def choose(dialog):
        dialog.filters[[w.key for w in dialog.filters].index("status")].set_value("blocked")
        dict((f.name, f) for f in dialog.dates)["due_after"].set(after)
        dict((f.name, f) for f in dialog.dates)["due_before"].set(before)

    filter_list(window, "actions")
    script = Script(monkeypatch, tmp_path, choice=ui_reports.FOLDER, change=choose)
    run_menu(qtbot, window, "report_action_log")
    assert script.opened == [str(tmp_path)]
    args = build_parser().parse_args(["action-log", "x.xlsx", "--status", "blocked", "--due-after",
                                      after.strftime("%d/%m/%Y"), "--due-before", before.isoformat()])
    expected = [r["reference"] for r in reports.action_log(action_filters(args)).rows]
    assert xlsx_column(script.path, "Action log") == expected and expected


@needs_poppler
def test_register_as_pdf_through_qt_printing(qtbot, window, monkeypatch, tmp_path):
    filter_list(window, "commitments")
    script = Script(monkeypatch, tmp_path, output="pdf")
    run_menu(qtbot, window, "report_register")
    args = build_parser().parse_args(["commitments", "x.xlsx"])
    rows = reports.commitment_register(commitment_filters(args)).rows
    text = "\n".join(pdf_pages(script.path))
    assert "Commitment register" in text and "Generated on" in text
    for row in rows:  # every commitment is printed (its title's first words, as wrapping allows)
        assert " ".join(row["title"].split()[:2]) in text, row["title"]


def test_print_preview_renders_the_report(qtbot, window, monkeypatch, tmp_path):
    filter_list(window, "actions", overdue=True)
    script = Script(monkeypatch, tmp_path, output="print")
    run_menu(qtbot, window, "report_action_log")
    assert len(script.previews) == 1 and script.done == []
    assert script.previews[0].windowTitle() == "Action log: print preview"
    script.previews[0].deleteLater()


def test_cancel_writes_nothing(qtbot, window, monkeypatch, tmp_path):
    started, release = threading.Event(), threading.Event()

    def slow_gather(filters, search, progress=None):
        started.set()
        release.wait(10)
        progress(1, None)  # the first progress report after Cancel stops the work
        raise AssertionError("not reached")

    monkeypatch.setitem(ui_reports.KINDS, "actions", ("Action log", slow_gather, "action-log"))
    script = Script(monkeypatch, tmp_path)
    window.actions["report_action_log"].trigger()
    op = window.report_actions.last_operation
    assert started.wait(10)
    op.cancel()
    release.set()
    with qtbot.waitSignal(op.finished, timeout=10_000):
        pass
    assert op.was_cancelled and script.done == [] and not script.path.exists()


@needs_poppler
def test_qt_pdf_has_every_row_and_the_header_on_every_page(qtbot, db, tmp_path):
    services.set_actor("tester", "Redbridge")
    owner = services.stakeholders.create(name="=cmd|' /C calc'!A0", sector="other")
    for i in range(120):
        services.actions.create(title=f"Task number {i:03d}", owner=owner, due_date=dt.date.today()
                                + dt.timedelta(days=i - 60), council=services.councils.find("Redbridge"))
    report = reports.action_log({})
    path = ui_reports.save_pdf(report, tmp_path / "log.pdf")
    pages = pdf_pages(path)
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        assert "Reference" in page and "Latest update" in page, f"no header row on page {n}"
    text = "\n".join(pages)
    assert all(f"RED-A{i:04d}" in text for i in range(1, 121))
    assert all(f"Task number {i:03d}" in text for i in range(120))
    assert "=cmd|' /C" in text and "120 actions, 60 overdue" in pages[0] and "120 actions" not in pages[1]


def test_the_lists_search_text_narrows_the_report_too(qtbot, window, monkeypatch, tmp_path):
    page = filter_list(window, "actions")
    page.search.setText("knife")
    page.apply_query()
    script = Script(monkeypatch, tmp_path)
    run_menu(qtbot, window, "report_action_log")
    assert script.dialogs[0].values()["search"] == "knife"
    in_app = xlsx_column(script.path, "Action log")
    listed = [page.model.record(r).reference for r in range(page.model.rowCount())]
    assert in_app and sorted(in_app) == sorted(listed) and len(in_app) < services.actions.count()
    assert "Matching \u201cknife\u201d" in openpyxl.load_workbook(script.path)["Action log"]["A2"].value
