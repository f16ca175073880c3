"""The spreadsheet import wizard on a 1366x768 screen at 200% (683x384 of the app's pixels; issue 15):
on each step (file, how it was read, columns, preview) its minimum size fits the screen, its Back,
Next and Cancel buttons lie inside it, and every control of the step can be scrolled into view; at the
wizard's own size (960x640, for 100%) no step scrolls."""

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QWidget,
    QWizard,
)

from .test_screen_sizes import AT_200
from .test_table_import_ui import click_next, open_wizard, write_csv

BUTTONS = (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton)
CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QSpinBox, QTableWidget)


def controls(body):
    """The fields, buttons and tables shown on a page (not the parts of one, nor a table's cell editors)."""
    def inner(widget):
        parent = widget.parentWidget()
        while parent is not None and parent is not body:
            if isinstance(parent, (*CONTROLS, QAbstractItemView)):
                return True
            parent = parent.parentWidget()
        return False
    return [w for w in body.findChildren(QWidget) if isinstance(w, CONTROLS) and w.isVisibleTo(body) and not inner(w)]


def check_fits(qtbot, wizard, step):
    least = wizard.minimumSize().expandedTo(wizard.minimumSizeHint())  # a wizard sets its minimum size itself
    assert least.width() <= AT_200[0] and least.height() <= AT_200[1], f"{step}: needs {least.toTuple()}"
    page = wizard.currentPage()
    wizard.resize(960, 640)  # its size at 100%: the page fits it, nothing scrolls
    qtbot.waitUntil(lambda: wizard.size().toTuple() == (960, 640))
    qtbot.wait(1)
    assert page.scroll.verticalScrollBar().maximum() == 0, f"{step}: scrolls at 960x640"
    wizard.resize(*AT_200)
    qtbot.waitUntil(lambda: wizard.size().toTuple() == AT_200)
    for which in BUTTONS:
        button = wizard.button(which)
        if button.isVisible():
            shown = QRect(button.mapTo(wizard, QPoint(0, 0)), button.size())
            assert wizard.rect().contains(shown), f"{step}: {button.text()} is outside the window"
    scroll = page.scroll
    for control in controls(scroll.widget()):
        scroll.ensureWidgetVisible(control, 4, 4)
        qtbot.wait(1)
        corner = control.mapTo(scroll.viewport(), QPoint(2, 2))
        assert scroll.viewport().rect().contains(corner), f"{step}: {control.accessibleName() or control} unreachable"
    assert scroll.horizontalScrollBar().maximum() == 0, f"{step}: scrolls sideways"


def test_the_import_wizard_fits_a_1366x768_screen_at_200_percent(qtbot, window, chosen_file, tmp_path):
    chosen_file["path"] = str(write_csv(tmp_path / "sign-in.csv"))
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().path.setText(chosen_file["path"])
    for step in ("file", "read", "columns", "preview"):
        check_fits(qtbot, wizard, step)
        if step != "preview":
            wizard.resize(960, 640)
            click_next(qtbot, wizard)
