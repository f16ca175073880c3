"""Reports → Board pack…: which councils, as of which date, where to save; written off the UI thread.

The dialog asks for the council filter (all, or one) and the date the figures are counted from (the
app's date box, typed day first); then the file dialog asks where to save the PDF.  Gathering and
drawing run on a worker (``ui.worker``) with progress and Cancel; afterwards the user may open the
PDF or show its folder, as after a report.  The pack itself is ``ui.boardpack``'s.
"""

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout

from tracker import services
from tracker.db import is_live_file
from tracker.reports.boardpack import PARTNERSHIP, SOON_DAYS, TITLE
from ui import boardpack, errors
from ui.fields import DateField
from ui.reports import PDF, SaveReportAs, ask_open, open_or_show
from ui.worker import run_in_background

ALL = "All councils"


def install(window):
    """Add Reports → Board pack… (after the commitment register) to ``window`` (a MainWindow)."""
    runner = BoardPackActions(window)
    window.menus.add("reports", "board_pack", "&Board pack…", runner.run, section="reports",
                     after="report_register", icon_name="commitments",
                     tip="The quarterly board pack as a PDF: charts, the map, overdue actions, commitments, events")
    window.board_pack_actions = runner
    return runner


class BoardPackActions:
    """What the menu command does; ``last_operation`` lets tests wait for the background work."""

    def __init__(self, window):
        self.window = window
        self.last_operation = None

    def run(self):
        answer = BoardPackDialog.ask(self.window)
        if answer is None:
            return None
        council, as_of = answer["council"], answer["as_of"]
        stem = f"board-pack-{council.replace(' ', '-') + '-' if council else ''}{as_of:%Y-%m-%d}"
        path = SaveReportAs.ask(self.window, TITLE, f"{stem}.pdf", PDF)
        if path is None:
            return None
        if is_live_file(path):
            errors.show_message(self.window, f"{Path(path).name} is the database the app has open; choose another "
                                             f"file name for the board pack.")
            return None

        ready = boardpack.gui_visuals(council, as_of)  # the map is drawn by Qt objects of the GUI thread

        def work(progress):
            def step(done, total=None, text=None):
                progress.check()  # Cancel stops the work here; nothing is written
                progress.update(done, total, text)

            return boardpack.write_board_pack(path, council, as_of, step, ready=ready)

        self.last_operation = run_in_background(self.window, work, on_success=lambda pack: self._done(path, pack),
                                                label="Preparing the board pack…")
        return self.last_operation

    def _done(self, path, pack):
        self.window.statusBar().showMessage(f"Board pack saved: {path}", 8000)
        open_or_show(path, BoardPackDone.ask(self.window, path, pack))


class BoardPackDialog(QDialog):
    """The board pack's council filter and date."""

    def __init__(self, parent):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(460)  # the introduction reads in four lines, not six
        layout = QVBoxLayout(self)
        intro = QLabel(f"The board pack of the {PARTNERSHIP}: the dashboard's charts, the power/interest map, "
                       f"overdue actions, commitments needing attention and events in the next {SOON_DAYS} days, "
                       f"as an A4 landscape PDF.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.council = QComboBox()
        self.council.addItem(ALL, None)
        for council in services.councils.all_councils():
            self.council.addItem(council.name, council.name)
        caption = QLabel("&Council")
        caption.setBuddy(self.council)
        form.addRow(caption, self.council)
        self.as_of = DateField("as_of", "&As of")
        self.as_of.set(dt.date.today())
        self.as_of.error.setWordWrap(False)  # a dialog does not grow for wrapped lines; it widens for one
        caption = QLabel("Figures &as of")
        caption.setBuddy(self.as_of.input)
        form.addRow(caption, self.as_of.widget)
        hint = QLabel(f"Overdue and due within {SOON_DAYS} days are counted from this date, on the records "
                      f"held today.")
        hint.setWordWrap(True)
        form.addRow("", hint)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create board pack…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self):
        """Create: only with a date that can be read (empty: today)."""
        problem = self.as_of.problem()
        self.as_of.show_error(problem)
        if problem:
            self.as_of.input.setFocus()
            return
        super().accept()

    def values(self):
        """{"council": a council's name or None for all, "as_of": date}."""
        return {"council": self.council.currentData(), "as_of": self.as_of.get() or dt.date.today()}

    @classmethod
    def ask(cls, parent):
        dialog = cls(parent)
        try:
            return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class BoardPackDone:
    @classmethod
    def ask(cls, parent, path, pack):
        """OPEN, FOLDER or None (close)."""
        return ask_open(parent, TITLE, f"The board pack ({pack.council_text}, {pack.as_of_text.lower()}) was saved "
                                       f"as\n{path}")
