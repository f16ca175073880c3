"""File → Import a spreadsheet…: the wizard that brings a partner's own table in (issue 13).

The wizard holds the import's :class:`tracker.tableimport.Options` and its latest
:class:`tracker.tableimport.Plan`; its pages (``ui.tableimport_pages``, the columns in
``ui.tableimport_mapping``) show the plan and change the options.  Its plans are drafts: a sheet
whose columns nothing recognises is shown to be mapped by hand rather than refused.  Every plan and the import itself run off the UI thread (``ui.worker.run_and_wait``, with
progress and Cancel); a refusal (``FileRefused``, ``ImportRefused``) is shown as its own sentence.
The engine is ``tracker.tableimport``; undo is ``tracker.services.imports``.  Held rows are reviewed
in ``ui.heldreview``.  What does not live here: how each step looks (the pages).
"""

from dataclasses import replace

from PySide6.QtWidgets import QWizard

from tracker.errors import TrackerError
from tracker.services import imports, tableimports
from tracker.tableimport import Options, apply_plan, plan_import
from tracker.tableimport.mapping import parse_value_options
from ui import errors
from ui.exchange import reporter
from ui.heldreview import HeldReview
from ui.tableimport_mapping import MappingPage
from ui.tableimport_pages import DonePage, FilePage, PreviewPage, ReadPage
from ui.worker import run_and_wait


def install(window):
    """Add File → Import a spreadsheet… and Edit → Review held matches… to ``window``."""
    actions = TableImportActions(window)
    window.menus.add("file", "import_table", "I&mport a spreadsheet…", actions.import_table, section="records",
                     after="import_sharing", shortcut="Ctrl+Shift+I",
                     tip="Import a partner's sign-in sheet, contact list, action log or CSV")
    window.menus.add("edit", "review_held", "Review &held matches…", actions.review_held, section="records",
                     after="review_conflicts", tip="Decide the imported rows whose match was doubtful")
    window.table_import = actions
    return actions


class TableImportActions:
    """What the menu commands do; ``wizard`` is the open wizard (tests drive it)."""

    def __init__(self, window):
        self.window = window
        self.wizard = None

    def import_table(self):
        self.wizard = TableImportWizard(self.window)
        self.wizard.open()  # window-modal, and the menu command returns at once
        return self.wizard

    def review_held(self):
        return HeldReview.ask(self.window)


class TableImportWizard(QWizard):
    """File and kind → how the file was read → columns → preview → import → done (with undo)."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle("Import a spreadsheet")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same on every platform, and in screenshots
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
        self.resize(960, 640)
        self.path = ""
        self.options = self.fresh_options()
        self.plan = None
        self.import_id = None
        self.undone = False
        for page in (FilePage(self), ReadPage(self), MappingPage(self), PreviewPage(self), DonePage(self)):
            self.addPage(page)

    @staticmethod
    def fresh_options():
        return Options(draft=True)

    def next_button(self):
        return self.button(QWizard.WizardButton.CommitButton if self.currentPage().isCommitPage()
                           else QWizard.WizardButton.NextButton)

    def replan(self, **changes):
        """Work the plan out again with ``changes`` to the options; False (and the reason shown) when refused."""
        options = replace(self.options, **changes)
        path = self.path
        kind, value = run_and_wait(self, lambda progress: plan_import(path, options, reporter(progress)),
                                   "Reading the spreadsheet…")
        if kind == "failure":
            errors.show_exception(self, value)
        if kind != "success":
            return False
        self.options, self.plan = options, value
        return True

    def apply(self):
        """Import the previewed plan; True once it is in the database."""
        plan = self.plan
        kind, value = run_and_wait(self, lambda progress: apply_plan(plan, reporter(progress)), "Importing…")
        if kind == "success":
            self.import_id = value
            self.save_preset(self.page(2).preset_name.text().strip())
            return True
        if kind == "failure":
            errors.show_exception(self, value)
        else:
            errors.show_info(self, "The import was cancelled; nothing was changed.")
        self.replan()  # the plan was part-written in a transaction that rolled back: work it out afresh
        return False

    def save_preset(self, name):
        """Keep the mapping used as the preset ``name`` (for the app and ``tracker import-table`` alike)."""
        if not name:
            return
        words = parse_value_options(self.options.map_values)  # the words mapped are kept with the columns
        try:
            for table in self.plan.used:
                tableimports.save_preset(name, self.options.kind, table.headers, table.mapping, words,
                                         self.options.column_dates)
        except TrackerError as exc:  # the import stands; only the preset was not kept
            errors.show_exception(self, exc)

    def undo(self):
        """Undo the import just made (Edit → Undo import… does the same for any import)."""
        import_id = self.import_id
        kind, value = run_and_wait(self, lambda progress: imports.undo_import(import_id), "Undoing the import…",
                                   cancellable=False)
        if kind == "failure":
            errors.show_exception(self, value)
            return False
        self.undone = True
        errors.show_info(self, f"Import {import_id} ({value.file_name}) was undone.")
        return True
