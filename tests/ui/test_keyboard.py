"""Keyboard only: Tab walks every form in the registry's order and then its buttons; no two controls
of a window share an Alt-letter access key (the menu bar's included), whichever view and tab is shown."""

from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabBar, QWidget

from tests.ui.conftest import select_row
from ui.kinds import KINDS
from ui.mainwindow import VIEWS
from ui.menus import access_key


def focus_walk(qtbot, start, presses):
    """The widgets focus goes to as Tab is pressed ``presses`` times from ``start``."""
    start.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    walked = [start]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget())
    return walked


@pytest.mark.parametrize("kind", list(KINDS))
def test_tab_walks_the_form_in_the_registrys_order_then_save_and_delete(window, qtbot, kind):
    page = window.show_view(kind)
    select_row(page, 0)
    editor = page.editor
    editor.tabs.setCurrentIndex(0)
    stops = [w for field in editor.fields.values() for w in field.focus_widgets()]
    expected = [*stops, editor.save_button, editor.delete_button]  # Revert is off until something changes
    assert not editor.revert_button.isEnabled()
    walked = focus_walk(qtbot, stops[0], len(expected) - 1)
    names = [w.objectName() or w.accessibleName() or w.text() for w in walked]
    assert walked == expected, names
    if "councils" in editor.fields:  # the tick boxes sit in the form, before Save (they came after Revert)
        boxes = editor.fields["councils"].focus_widgets()
        assert walked.index(boxes[-1]) < walked.index(editor.save_button)


def test_tab_walks_a_new_record_and_shift_tab_walks_back(window, qtbot):
    page = window.show_view("commitments")
    page.new_record()
    editor = page.editor
    stops = [w for field in editor.fields.values() for w in field.focus_widgets()]
    walked = focus_walk(qtbot, stops[0], len(stops) - 1)
    assert walked == stops
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is stops[-2]


def mnemonics(window):
    """{letter: [what carries it]} for the access keys a user can press in the window as shown now."""
    found = defaultdict(list)
    for action in (window.menuBar().actions() if hasattr(window, "menuBar") else ()):
        if (letter := access_key(action.text())) is not None:
            found[letter].append(f"menu {action.text()}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts = []
        if (isinstance(widget, QLabel) and widget.buddy() is not None) or isinstance(widget, QAbstractButton):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count()) if widget.isTabEnabled(i)]
        for text in texts:
            if (letter := access_key(text)) is not None:
                found[letter].append(text)
    return found


def screens(window):
    """Every view of the window, and each tab of a list's editor: (name, how to show it)."""
    for key, _, _ in VIEWS:
        if key in KINDS:
            for tab in range(window.pages[key].editor.tabs.count()):
                yield f"{key}, tab {tab}", (key, tab)
        else:
            yield key, (key, None)


def test_no_two_controls_of_a_view_share_an_access_key(window, qtbot):
    clashes = {}
    for name, (key, tab) in screens(window):
        page = window.show_view(key)
        if tab is not None:
            select_row(page, 0)
            page.editor.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        shared = {letter: texts for letter, texts in mnemonics(window).items() if len(texts) > 1}
        if shared:
            clashes[name] = shared
    assert clashes == {}


def test_the_access_keys_checked_are_the_forms_own(window):
    page = window.show_view("actions")
    select_row(page, 0)
    page.editor.tabs.setCurrentIndex(0)
    found = mnemonics(window)
    assert found["f"] == ["menu &File"] and found["r"] == ["menu &Reports"]
    assert found["p"] == ["&Priority"] and found["n"] == ["Ope&n only"]  # they shared P
    assert found["w"] == ["O&wner"] and found["o"] == ["&Overdue"]
    page = window.show_view("commitments")
    select_row(page, 0)
    found = mnemonics(window)
    assert found["g"] == ["Tar&get date"] and found["w"] == ["RAG (o&wn)"]  # they shared R, with Reports


def test_an_access_key_moves_the_focus_to_its_field(window, qtbot):
    page = window.show_view("actions")
    select_row(page, 0)
    window.activateWindow()
    page.editor.fields["title"].input.setFocus()
    qtbot.waitUntil(page.editor.fields["title"].input.hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.editor.fields["owner"].input
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.editor.fields["priority"].input


def dialogs_to_check(window):
    from ui.dialogs import SettingsDialog
    from ui.exchange import ExportDialog
    from ui.heldreview import HeldReview
    from ui.reports import ReportDialog
    from ui.safety import RetentionReview

    yield SettingsDialog(window, "Sam Patel", "Havering", "/tmp/tracker.db")
    for kind in ("actions", "commitments"):
        yield ReportDialog(window, kind, {})
    yield ExportDialog(window)
    yield HeldReview(window)
    yield RetentionReview(window)


def test_no_two_controls_of_a_dialog_share_an_access_key(window, qtbot):
    for dialog in dialogs_to_check(window):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        shared = {letter: texts for letter, texts in mnemonics(dialog).items() if len(texts) > 1}
        assert shared == {}, type(dialog).__name__
        dialog.close()
