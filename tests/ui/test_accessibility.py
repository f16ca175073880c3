"""Every control a screen reader meets has a name, on every page of the main window and every dialog or
window the app opens (``tests/ui/screens.py``), and one that nothing on screen labels (an icon-only
button, a search box, a filter) says what it is for.  A failure lists each offender by its path."""

import gc
import importlib
import inspect
import pkgutil

import pytest
from PySide6.QtWidgets import QDialog, QMainWindow, QWidget, QWizard

import ui
from tests.ui.accessibility import offenders, report, walked
from tests.ui.screens import SCREENS, covered, shown


def assert_named(widget, what):
    found = offenders(widget)
    assert not found, f"{what}: controls a screen reader cannot name or place:\n{report(found)}"


def test_every_page_of_the_main_window(window):
    for key, page in window.pages.items():  # whatever pages the window has, new ones included
        window.show_view(key)
        table = getattr(page, "table", None)
        if table is not None and table.model() is not None and table.model().rowCount():
            table.selectRow(0)  # a record shown: its form, links, updates and history are filled in
        assert_named(page, f"the {key} page")
    assert_named(window, "the main window")


def test_each_record_form_new_and_shown(window):
    """Each kind's form blank (New) and showing a record: some parts show only for one of them."""
    for key, page in window.pages.items():
        if not hasattr(page, "new_record") or not hasattr(page, "editor"):
            continue
        window.show_view(key)
        page.new_record()
        assert_named(page.editor, f"a new {key} form")
        page.editor.revert()


def test_the_walk_sees_the_controls(window):
    """The walk reaches into the forms, tabs and line edits' own buttons (else it would pass on nothing)."""
    page = window.show_view("actions")
    page.table.selectRow(0)
    seen = {name for _, _, name in walked(window)}
    assert {"Search actions", "Clear the search", "Filter by council", "Actions list", "Title", "Due date",
            "Calendar", "Owner", "Show the list", "Details", "History", "Update text", "Views"} <= seen


def test_an_unnamed_control_is_reported_by_its_path(qtbot):
    from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton

    box = QWidget()
    box.setObjectName("box")
    layout = QHBoxLayout(box)
    label = QLabel("&Owner")
    owner = QLineEdit(objectName="owner")
    label.setBuddy(owner)
    for widget in (label, owner, QLineEdit(objectName="search"), QPushButton("Save"), QPushButton(objectName="icon"),
                   QComboBox(objectName="filter")):
        layout.addWidget(widget)
    box.findChild(QComboBox).addItem("All councils")  # its choice is not its name
    qtbot.addWidget(box)
    assert offenders(box) == [("QWidget#box/QLineEdit#search", "no accessible name"),
                              ("QWidget#box/QPushButton#icon", "no accessible name"),
                              ("QWidget#box/QComboBox#filter", "no accessible name")]
    box.findChild(QLineEdit, "search").setAccessibleName("Search")
    assert offenders(box)[0] == ("QWidget#box/QLineEdit#search",
                                 "no accessible description (nothing on screen labels it)")


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_every_dialog_and_window(qtbot, window, tmp_path, name):
    looked_at = []
    for label, widget in SCREENS[name].factory(qtbot, window, tmp_path):
        assert_named(widget, f"{name}: {label}")
        looked_at.append(label)
    assert looked_at, f"the screen {name!r} showed nothing"


def ui_window_classes():
    """Every dialog, wizard and window class defined in ``ui`` (its modules imported)."""
    for info in pkgutil.iter_modules(ui.__path__):
        importlib.import_module(f"ui.{info.name}")
    found, todo = set(), [QDialog, QWizard, QMainWindow]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith("ui."):
                found.add(cls)
    return found


def uncovered_dialogs():
    """The dialog classes of ``ui`` no screen covers: (those made with their parent alone, those that
    need a factory in tests/ui/screens.py)."""
    from ui.mainwindow import MainWindow

    names = covered()
    alone, needs_factory = [], []
    for cls in sorted(ui_window_classes(), key=lambda c: c.__qualname__):
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name in names or cls is MainWindow:
            continue
        params = [p for p in inspect.signature(cls.__init__).parameters.values()
                  if p.name != "self" and p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
        (alone if len(params) <= 1 else needs_factory).append(cls)
    return alone, needs_factory


def test_every_dialog_class_is_covered(qtbot, window):
    """A dialog added to ``ui`` is walked too: as it is when it needs only its parent, else it needs a
    factory in tests/ui/screens.py (listed here until it has one)."""
    alone, needs_factory = uncovered_dialogs()
    for cls in alone:
        assert_named(shown(qtbot, cls(window)), f"{cls.__module__}.{cls.__qualname__}")
    assert not needs_factory, f"add a factory to tests/ui/screens.py for: {needs_factory}"


def test_a_new_dialog_is_found_without_being_listed():
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    class GuideWindow(QDialog):  # as another part of the app might add one
        def __init__(self, parent):
            super().__init__(parent)
            QVBoxLayout(self).addWidget(QLineEdit())

    class BoardPackDialog(QDialog):
        def __init__(self, parent, filters):
            super().__init__(parent)

    GuideWindow.__module__ = BoardPackDialog.__module__ = "ui.example"
    try:
        alone, needs_factory = uncovered_dialogs()
        alone, needs_factory = ([c for c in found if c.__module__ == "ui.example"] for found in (alone, needs_factory))
        assert alone == [GuideWindow] and needs_factory == [BoardPackDialog]
        assert offenders(GuideWindow(None)) == [("GuideWindow/QLineEdit", "no accessible name")]
    finally:
        del GuideWindow, BoardPackDialog, alone, needs_factory
        gc.collect()  # gone from QDialog.__subclasses__() before another test looks
