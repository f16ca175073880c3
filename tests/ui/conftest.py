"""Qt test fixtures: no dialog ever blocks, answers to questions are scripted per test."""

import pytest
from PySide6.QtCore import Qt

from ui import dialogs, errors, filedialogs, firstrun


class Answers:
    """Scripted answers for the ask() hooks, and a record of every question asked."""

    def __init__(self):
        self.unsaved = []  # answers to pop; default DISCARD
        self.stale = []  # default KEEP
        self.first_run = True
        self.settings = None
        self.missing_database = []  # answers to pop; default CREATE
        self.asked = []

    def ask_unsaved(self, parent, what):
        self.asked.append(("unsaved", what))
        return self.unsaved.pop(0) if self.unsaved else dialogs.DISCARD

    def ask_stale(self, parent, message):
        self.asked.append(("stale", message))
        return self.stale.pop(0) if self.stale else dialogs.KEEP

    def ask_first_run(self, parent, path):
        self.asked.append(("first_run", str(path)))
        return self.first_run

    def ask_settings(self, parent, name, council, database):
        self.asked.append(("settings", (name, council, str(database))))
        return self.settings

    def ask_missing_database(self, parent, path):
        self.asked.append(("missing_database", str(path)))
        return self.missing_database.pop(0) if self.missing_database else firstrun.CREATE


@pytest.fixture(autouse=True)
def no_blocking_dialogs(monkeypatch):
    """Record what would have been shown instead of opening modal dialogs."""
    shown = {"messages": [], "errors": [], "info": []}
    monkeypatch.setattr(errors, "show_message", lambda parent, message, title="": shown["messages"].append(message))
    monkeypatch.setattr(errors, "show_info", lambda parent, message, title="": shown["info"].append(message))
    monkeypatch.setattr(errors.ErrorDialog, "ask",
                        classmethod(lambda cls, parent, message, details: shown["errors"].append(details)))
    return shown


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    a = Answers()
    monkeypatch.setattr(dialogs.UnsavedChanges, "ask", classmethod(lambda cls, p, w: a.ask_unsaved(p, w)))
    monkeypatch.setattr(dialogs.StaleEdit, "ask", classmethod(lambda cls, p, m: a.ask_stale(p, m)))
    monkeypatch.setattr(dialogs.FirstRun, "ask", classmethod(lambda cls, p, path: a.ask_first_run(p, path)))
    monkeypatch.setattr(dialogs.SettingsDialog, "ask",
                        classmethod(lambda cls, p, n, c, d: a.ask_settings(p, n, c, d)))
    monkeypatch.setattr(firstrun.MissingDatabase, "ask", classmethod(lambda cls, p, path: a.ask_missing_database(p, path)))
    return a


@pytest.fixture
def window(qtbot, demo_db):
    return shown_window(qtbot)


def shown_window(qtbot):
    """A main window on the open database, shown, closed with the test."""
    from ui.mainwindow import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    # The window in front, as a user's is: the offscreen platform may leave no window active after an
    # earlier test closed its own, and then keystrokes and mnemonics reach nothing.
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


@pytest.fixture(autouse=True)
def background_work_ends_with_its_test(qtbot):
    """Work a test left running on the worker threads (the daily backup that starting the app begins)
    finishes, and its result reaches the UI thread, while the test's windows still exist: otherwise its
    callback meets a deleted window during the next test.  (Set up after qtbot, so torn down before it
    closes the test's widgets.)"""
    yield
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    assert QThreadPool.globalInstance().waitForDone(30_000), "background work still running 30 s after its test"
    QApplication.processEvents()


def activate(list_widget, text_part):
    """Activate (as double-click or Enter would) the first item whose text contains ``text_part``."""
    for i in range(list_widget.count()):
        item = list_widget.item(i)
        if text_part in item.text():
            list_widget.setCurrentItem(item)
            list_widget.itemActivated.emit(item)
            return item
    texts = [list_widget.item(i).text() for i in range(list_widget.count())]
    raise AssertionError(f"no item containing {text_part!r} in {texts}")


def choose(qtbot, combo, text):
    """Pick the choice ``text`` in a combo box as a user does on the keyboard: focus it, type its
    first word (Space would open the popup), then Down (or Up) until it is the one."""
    combo.window().activateWindow()
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    qtbot.keyClicks(combo, text.split(" ")[0])
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Up):  # then Up: typing may have found nothing, leaving it below
        for _ in range(combo.count()):
            if combo.currentText() == text:
                break
            qtbot.keyClick(combo, key)
    assert combo.currentText() == text, f"could not choose {text!r}"


def select_row(page, row):
    page.table.setCurrentIndex(page.model.index(row, 0))
    return page.model.record(row)


@pytest.fixture
def chosen_file(monkeypatch):
    """The file an Open dialog answers: set ``["path"]`` (and ``["type"]``, the file type chosen);
    ``["asked"]`` records (folder, filters, the type offered first) of each ask (ui.filedialogs' hook)."""
    chosen = {"path": "", "type": "", "asked": []}

    def ask_open(cls, parent, caption, folder, filters, selected):
        chosen["asked"].append((folder, filters, selected))
        return chosen["path"], chosen["type"]

    monkeypatch.setattr(filedialogs.FileChooser, "ask_open", classmethod(ask_open))
    return chosen


@pytest.fixture
def saved_file(monkeypatch):
    """The file a Save dialog answers, as ``chosen_file``: ``["asked"]`` records (suggested path, filters, type)."""
    chosen = {"path": "", "type": "", "asked": []}

    def ask_save(cls, parent, caption, suggested, filters, selected, options):
        chosen["asked"].append((suggested, filters, selected))
        return chosen["path"], chosen["type"]

    monkeypatch.setattr(filedialogs.FileChooser, "ask_save", classmethod(ask_save))
    return chosen
