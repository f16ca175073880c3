"""Keyboard only, in every dialog and window the app opens (each screen of ``tests/ui/screens.py``, each
wizard page, those made with their parent alone), on each view of the main window (each tab of a record's
editor) and in the first-run strip: Tab, pressed as a user presses it, reaches every control once, in
reading order (never back up the screen, as the councils' boxes once came after Save and Revert, or a
record's links after Delete), the dialog's buttons last, and never stays trapped in a table; and no two
controls of a screen share an Alt-letter access key.  The record forms' own order (the registry's) is
``tests/ui/test_keyboard.py``'s."""

import itertools

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QRadioButton, QWidget

from tests.ui.screens import SCREENS, shown
from tests.ui.test_accessibility import uncovered_dialogs
from tests.ui.test_keyboard import mnemonics

TAB = Qt.FocusPolicy.TabFocus


def tab_stops(top):
    """The controls of ``top`` that Tab should reach: shown, enabled, taking focus from Tab; of a group of
    radio buttons only the one chosen (the arrow keys move between them)."""
    return [w for w in top.findChildren(QWidget)
            if w.isVisibleTo(top) and w.isEnabled() and w.focusProxy() is None
            and (w.focusPolicy() & TAB) == TAB and w.window() is top.window() and not unchosen_radio(w)]


def unchosen_radio(widget):
    if not isinstance(widget, QRadioButton) or widget.isChecked() or not widget.autoExclusive():
        return False
    return any(r.isChecked() for r in widget.parentWidget().findChildren(QRadioButton)
               if r.parentWidget() is widget.parentWidget())


def where(widget, top):
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def areas_around(widget):
    """The scroll areas ``widget`` is inside, innermost first."""
    return [a for a in scroll_areas_of(widget.window()) if a.widget() is not None and a.widget().isAncestorOf(widget)]


def scroll_areas_of(window):
    from PySide6.QtWidgets import QScrollArea

    areas = window.findChildren(QScrollArea)
    return sorted(areas, key=lambda a: -sum(1 for b in areas if b.widget() is not None and b.widget().isAncestorOf(a)))


def pair_places(a, b, top):
    """Where ``a`` and ``b`` are, however their scroll areas are scrolled: in the content of the innermost scroll
    area holding both (as laid out); a control inside another scroll area than the other is placed as that area."""
    around_a, around_b = areas_around(a), areas_around(b)
    common = next((x for x in around_a if x in around_b), None)
    frame = common.widget() if common is not None else top

    def place(widget, around):
        inner = around[:around.index(common)] if common in around else around
        target = inner[-1] if inner else widget
        return QRect(target.mapTo(frame, QPoint(0, 0)), target.size())

    return place(a, around_a), place(b, around_b)


def name_of(widget):
    text = widget.text() if hasattr(widget, "text") and isinstance(widget.text(), str) else ""
    return f"{type(widget).__name__}:{widget.accessibleName() or widget.objectName() or text}"


def tab_cycle(qtbot, top, start):
    """The controls focus goes to as Tab is pressed from ``start`` until it comes back to it."""
    top.window().activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus)
    walked = [start]
    for _ in range(3 * len(tab_stops(top.window())) + 5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return walked
        walked.append(now)
    raise AssertionError(f"Tab never came back to {name_of(start)}: {[name_of(w) for w in walked[:40]]}")


def first_in_reading_order(widgets, top):
    """The leftmost of the top row: the widgets beside the topmost one (a button is taller than the field to
    its left, so its top is higher, yet it comes after the field)."""
    highest = min(widgets, key=lambda w: where(w, top).top())
    row = [w for w in widgets if where(w, top).top() <= where(highest, top).bottom()]
    return min(row, key=lambda w: (where(w, top).left(), where(w, top).top()))


def reading_order_problems(top, walked):
    """Where Tab goes back up (the next control wholly above the last and not to its right: not a next column),
    and the dialog's buttons when not last, the cycle taken from its first control in reading order."""
    inside = [w for w in walked if top.isAncestorOf(w)]
    first = inside.index(first_in_reading_order(inside, top))
    order = inside[first:] + inside[:first]
    problems = []
    for a, b in itertools.pairwise(order):
        ra, rb = pair_places(a, b, top)
        if rb.bottom() < ra.top() and rb.left() <= ra.left():
            problems.append(f"{name_of(a)} -> {name_of(b)} (back up)")
    buttons = [b for box in top.findChildren(QDialogButtonBox) if box.isVisibleTo(top) for b in box.buttons()
               if b in order]
    if buttons and set(order[-len(buttons):]) != set(buttons):
        problems.append(f"the dialog's buttons are not last: {[name_of(w) for w in order]}")
    return problems


def check_screen(qtbot, label, top):
    stops = tab_stops(top)
    if not stops:
        return []
    # From the control first in reading order (the chain is a cycle; creation order may put a button that
    # only some states enable, such as retention's "Make this the default", before the field above it)
    walked = tab_cycle(qtbot, top, first_in_reading_order(stops, top))
    problems = [f"{label}: Tab never reaches {name_of(w)}" for w in stops if w not in walked]
    seen = set()
    for n, w in enumerate(walked):
        if w in seen and walked[n - 1] is not w:  # (Tab moving through a text's links stays in its box)
            problems.append(f"{label}: Tab reaches {name_of(w)} twice")
        seen.add(w)
    walked = [w for n, w in enumerate(walked) if n == 0 or walked[n - 1] is not w]
    problems += [f"{label}: {p}" for p in reading_order_problems(top, walked)]
    shared = {letter: texts for letter, texts in mnemonics(top).items() if len(texts) > 1}
    if shared:
        problems.append(f"{label}: access keys shared: {shared}")
    return problems


def is_popup(widget):
    return widget.windowType() == Qt.WindowType.Popup


@pytest.mark.parametrize("name", sorted(SCREENS))
def test_tab_walks_every_dialog_in_reading_order_and_access_keys_are_unique(qtbot, window, tmp_path, name):
    problems, looked_at = [], []
    for label, widget in SCREENS[name].factory(qtbot, window, tmp_path):
        looked_at.append(label)
        if not is_popup(widget):  # a pop-up (the calendar) has arrow keys, not a Tab order
            problems += check_screen(qtbot, label, widget)
    assert looked_at
    assert problems == []


def test_tab_walks_the_dialogs_made_with_their_parent_alone(qtbot, window):
    alone, _ = uncovered_dialogs()
    problems = []
    for cls in alone:
        problems += check_screen(qtbot, cls.__qualname__, shown(qtbot, cls(window)))
    assert alone and problems == []


def test_the_first_run_strip_is_walked_name_council_save_not_now(qtbot, window):
    panel = window.who
    panel.offer()
    qtbot.waitUntil(panel.name.hasFocus)
    qtbot.keyClicks(panel.name, "Priya Shah")  # Save is on once there is a name
    walked = tab_cycle(qtbot, window, panel.name)
    assert walked[:4] == [panel.name, panel.council, panel.save_button, panel.later_button]
    assert not any(panel.isAncestorOf(w) for w in walked[4:])  # then into the window, not back into the strip
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not panel.name or len(walked) == 1


@pytest.mark.parametrize("key", ["home", "stakeholders", "events",
                                 "commitments", "actions", "grid", "deleted"])
def test_tab_walks_each_view_of_the_main_window(qtbot, window, key):
    page = window.show_view(key)
    if key == "home":  # its charts, walked once they show their numbers
        qtbot.waitUntil(lambda: all(c.chart is not None for k, c in page.canvases.items() if k != "history"),
                        timeout=30_000)
    table = getattr(page, "table", None)
    if table is not None and table.model() is not None and table.model().rowCount():
        table.selectRow(0)  # a record shown: its form is filled in
    tabs = page.editor.tabs if hasattr(page, "editor") else None
    problems = []
    for tab in range(tabs.count() if tabs is not None else 1):  # the form, its links, updates and history
        if tabs is not None:
            tabs.setCurrentIndex(tab)
        problems += check_screen(qtbot, f"{key}, tab {tab}", window)
    assert problems == []


def test_the_walk_finds_a_tab_order_going_back_up_and_buttons_not_last(qtbot):
    from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit

    dialog = QDialog()
    form = QFormLayout(dialog)
    name, email = QLineEdit(), QLineEdit()
    form.addRow("&Name", name)
    form.addRow("&Email", email)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    form.addRow(buttons)
    QWidget.setTabOrder(email, name)  # the email before the name: back up
    shown(qtbot, dialog)
    problems = check_screen(qtbot, "example", dialog)
    assert any("back up" in p for p in problems), problems
    assert any("buttons are not last" in p for p in problems), problems
