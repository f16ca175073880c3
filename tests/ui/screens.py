"""Every dialog and window the app opens, made as the app makes it, for tests that look at each screen
(``tests/ui/test_accessibility.py`` walks each one's QAccessible tree).

A screen is a factory registered under a name with :func:`screen`: ``factory(qtbot, window, tmp_path)`` is
a generator, given the main window open on the demo data, that yields each state worth looking at as
``(label, widget)``: a dialog as it first shows, a wizard at each of its pages, the duplicates window on
its list and then on a group side by side.  It may drive the screen between yields, as a user would.
``covers`` names the classes of ``ui`` it shows, so that a dialog class no factory covers is noticed
(``test_every_dialog_class_is_covered``): one whose constructor takes only its parent is walked as it is;
any other needs a factory here.

The main window's pages are not listed here: the tests walk ``window.pages``, whatever it holds.
"""

import datetime as dt
from dataclasses import dataclass

import openpyxl

from tracker import backups, services
from tracker.db import current_path

SCREENS = {}


@dataclass(frozen=True)
class Screen:
    name: str
    factory: object
    covers: tuple


def screen(name, covers=()):
    """Register ``factory`` as the screen ``name``, showing the ``ui`` classes ``covers``."""
    def register(factory):
        assert name not in SCREENS, f"two screens named {name!r}"
        SCREENS[name] = Screen(name, factory, tuple(covers))
        return factory
    return register


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# ---- small dialogs ----------------------------------------------------------------------------
def _settings_dialog():
    from ui.dialogs import SettingsDialog
    return SettingsDialog


def _report_dialog():
    from ui.reports import ReportDialog
    return ReportDialog


@screen("settings", covers=("ui.dialogs.SettingsDialog",))
def settings_dialog(qtbot, window, tmp_path):
    yield "settings", shown(qtbot, _settings_dialog()(window, "Sam Patel", "Havering", str(current_path())))


@screen("reports", covers=("ui.reports.ReportDialog",))
def report_dialogs(qtbot, window, tmp_path):
    for kind in ("actions", "commitments"):
        yield f"{kind} report", shown(qtbot, _report_dialog()(window, kind, window.current_filters(kind)))


@screen("error", covers=("ui.errors.ErrorDialog",))
def error_dialog(qtbot, window, tmp_path):
    from ui.errors import ErrorDialog
    yield "error", shown(qtbot, ErrorDialog(window, "Something went wrong.", "Traceback (most recent call last): …"))


@screen("damaged database", covers=("ui.damage.DamagedDatabaseDialog",))
def damaged_dialog(qtbot, window, tmp_path):
    from ui.damage import DamagedDatabaseDialog, DamageReport
    backup = backups.Backup(tmp_path / "b.db", dt.datetime(2026, 1, 5, 9, 30), "daily", 4096)
    sound = backups.SoundBackup(backup, {"stakeholders": 273, "events": 7, "commitments": 13, "actions": 56})
    report = DamageReport(current_path(), "the file is not a database", newest=sound, others=[backup])
    yield "damaged database", shown(qtbot, DamagedDatabaseDialog(window, report))


@screen("choose backup", covers=("ui.safety.ChooseBackup",))
def choose_backup(qtbot, window, tmp_path):
    from ui.safety import ChooseBackup
    backups.backup_database(reason="manual")
    yield "choose backup", shown(qtbot, ChooseBackup(window, backups.list_backups()))


@screen("retention review", covers=("ui.safety.RetentionReview",))
def retention_review(qtbot, window, tmp_path):
    from ui.safety import RetentionReview
    yield "retention review", shown(qtbot, RetentionReview(window))


@screen("calendar", covers=("ui.dateedit.CalendarPopup",))
def calendar_popup(qtbot, window, tmp_path):
    page = window.show_view("actions")
    page.table.selectRow(0)
    box = page.editor.fields["due_date"].input
    box.show_calendar()
    qtbot.waitUntil(box.popup.isVisible)
    yield "calendar", box.popup
    box.popup.hide()


# ---- sharing ----------------------------------------------------------------------------------
@screen("export for sharing", covers=("ui.exchange.ExportDialog",))
def export_dialog(qtbot, window, tmp_path):
    from ui.exchange import ExportDialog
    yield "export", shown(qtbot, ExportDialog(window))


@screen("import preview, conflict, undo import",
        covers=("ui.importpreview.ImportPreview", "ui.exchange.ConflictDialog", "ui.exchange.UndoImport"))
def exchange_import(qtbot, window, tmp_path):
    from tracker.exchange import import_workbook
    from tests.ui.test_exchange_ui import _edited_copy
    from tracker.services import conflicts, imports
    from ui.exchange import ConflictDialog, ImportPreview, UndoImport

    path, uuid, _ = _edited_copy(tmp_path)  # one action's status changed, one action added
    yield "import preview", shown(qtbot, ImportPreview(window, import_workbook(path, dry_run=True)))
    services.actions.update(services.actions.get(uuid), status="cancelled")  # changed here too: a conflict
    import_workbook(path)
    [conflict] = conflicts.pending_conflicts()
    yield "conflict", shown(qtbot, ConflictDialog(window, conflict, conflicts.conflict_sides(conflict)))
    yield "undo import", shown(qtbot, UndoImport(window, [r for r in imports.imports() if r.undone_at is None]))


@screen("progress box", covers=("ui.worker.ProgressBox",))
def progress_box(qtbot, window, tmp_path):
    from ui.worker import ProgressBox

    yield "progress box", shown(qtbot, ProgressBox("Comparing with this database…", True, window))


# ---- a partner's table ------------------------------------------------------------------------
@screen("import a spreadsheet", covers=("ui.tableimport.TableImportWizard",))
def table_import_wizard(qtbot, window, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    path = tmp_path / "sign-in.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Name", "Organisation", "Email", "Job title"])
    book.active.append(["Priya Shah", "Ben Kinsella Trust", "priya.shah@example.org", "Youth worker"])
    book.active.append(["Tom Baker", "Havering Council", "tom.baker@example.org", "Community safety officer"])
    book.save(path)
    original = QFileDialog.getOpenFileName
    QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (str(path), ""))
    try:
        window.table_import.import_table()  # File → Import a spreadsheet…
        wizard = window.table_import.wizard
        qtbot.addWidget(wizard)
        qtbot.waitUntil(wizard.isVisible)
        wizard.currentPage().browse()
        for step in range(10):  # every page, to the last
            yield f"wizard page {step + 1}: {type(wizard.currentPage()).__name__}", wizard
            if wizard.currentPage() is wizard.page(wizard.pageIds()[-1]):
                break
            page = wizard.currentPage()
            qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda page=page: wizard.currentPage() is not page, timeout=30_000)
    finally:
        QFileDialog.getOpenFileName = original


@screen("review held matches", covers=("ui.heldreview.HeldReview",))
def held_review(qtbot, window, tmp_path):
    from tracker.tableimport import Options, apply_plan, plan_import
    from ui.heldreview import HeldReview

    org = services.stakeholders.create(name="Redbridge Youth Forum", kind="organisation", sector="other")
    services.stakeholders.create(name="Jonathan Whitfield", kind="person", organisation=org,
                                 email="j.whitfield@example.org")
    path = tmp_path / "forum.csv"
    path.write_text("Name,Organisation\nJonathon Whitfeld,Redbridge Youth Forum\n", encoding="utf-8")
    apply_plan(plan_import(path, Options(kind="stakeholders")))
    yield "held review", shown(qtbot, HeldReview(window))


# ---- duplicates -------------------------------------------------------------------------------
@screen("duplicates and merge review", covers=("ui.duplicates.DuplicatesWindow", "ui.mergereview.MergeReview"))
def duplicates_window(qtbot, window, tmp_path):
    from ui.duplicates import DuplicatesWindow

    met = services.stakeholders.find_by_name("Metropolitan Police Service")[0]
    for name in ("Daniel Okafor", "Dan Okafor"):
        services.stakeholders.create(name=name, kind="person", organisation=met, sector="police",
                                     email="daniel.okafor@met.police.uk")
    dialog = shown(qtbot, DuplicatesWindow(window))
    dialog.find()  # as the menu command does
    qtbot.waitUntil(lambda: dialog.operation is not None and dialog.operation.done, timeout=30_000)
    yield "duplicates", dialog
    dialog.open_group(next(i for i, g in enumerate(dialog.model.groups)
                           if {r.name for r in g.records} == {"Daniel Okafor", "Dan Okafor"}))
    assert dialog.stack.currentWidget() is dialog.review
    yield "merge review", dialog


# ---- what the walk knows about the ui package -------------------------------------------------
def covered():
    """The dotted names of the ``ui`` classes some screen shows."""
    return {name for s in SCREENS.values() for name in s.covers}
