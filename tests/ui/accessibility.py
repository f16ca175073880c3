"""Walking what a screen reader sees: the QAccessible tree of a window, and the controls in it that a
screen reader could not name.

:func:`offenders` walks ``QAccessible.queryAccessibleInterface(widget)`` and its ``child(i)`` down the
whole tree (hidden widgets too: a tab not shown now is shown later) and lists each interactive control
(buttons, edits, combos, check boxes, spin boxes, tables, lists, trees, tab bars and their tabs, date
boxes and pickers, which are edits) that has no accessible name, and each one that also needs a
description because nothing on screen labels it (an icon-only button, an edit or a choice with no
label pointing at it: a search box, a filter), by its object path (``MainWindow/…/QLineEdit#search``).

Used by ``tests/ui/test_accessibility.py`` over every page of the main window and every screen of
``tests/ui/screens.py``.
"""

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit,
                               QPlainTextEdit, QTextEdit, QWidget)

Role = QAccessible.Role
NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description

INTERACTIVE = {Role.Button, Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.EditableText, Role.SpinBox,
               Role.Slider, Role.Dial, Role.Table, Role.List, Role.Tree, Role.PageTabList, Role.PageTab,
               Role.ButtonMenu, Role.ButtonDropDown, Role.ButtonDropGrid, Role.HotkeyField}
ITEM_VIEWS = {Role.Table, Role.List, Role.Tree}  # its rows and cells are named by the data, not walked
# Qt's own parts of its widgets, named by Qt (a tab bar's scroll arrows, a toolbar's extension
# button) or read out as part of their widget (a spin box's inner line edit).  A combo box's popup
# list is read out as the combo box, and is not walked either.
QT_INTERNAL = ("qt_scrollarea", "qt_spinbox_lineedit", "ScrollLeftButton", "ScrollRightButton",
               "qt_toolbar_ext_button")
MAX_DEPTH = 40


def offenders(top):
    """``[(path, problem)]`` for each interactive control under ``top`` (a widget) a screen reader
    could not name ("no accessible name") or could not tell the purpose of ("no accessible
    description": nothing on screen labels it).  Empty when all is well."""
    found = []
    for iface, path in interactive(top):
        widget = iface.object() if isinstance(iface.object(), QWidget) else None
        if _qt_internal(widget):
            continue
        if not name_of(iface):
            found.append((path, "no accessible name"))
        elif widget is not None and _unlabelled(widget) and not iface.text(DESCRIPTION).strip():
            found.append((path, "no accessible description (nothing on screen labels it)"))
    return found


def walked(top):
    """Every interactive control under ``top`` as ``(path, role, name)``: what the walk looked at."""
    return [(path, iface.role(), name_of(iface)) for iface, path in interactive(top)]


def interactive(top):
    """``(interface, path)`` of each interactive control in the QAccessible tree under ``top``."""
    root = QAccessible.queryAccessibleInterface(top)
    assert root is not None and root.isValid(), f"{path_of(top)} has no accessible interface"
    todo = [(root, path_of(top), 0)]
    while todo:
        iface, path, depth = todo.pop()
        if iface.role() in INTERACTIVE:
            yield iface, path
        if iface.role() in ITEM_VIEWS or depth > MAX_DEPTH:
            continue
        children = [(iface.child(i), i) for i in range(iface.childCount())]
        todo.extend((child, _child_path(path, iface, child, i), depth + 1) for child, i in reversed(children)
                    if child is not None and child.isValid() and not _combo_popup(iface, child))


def name_of(iface):
    """What a screen reader calls the control.  On Linux Qt gives a combo box's current choice as its
    name (its label travels as a relation), so a combo box is named by its accessible name or the
    label pointing at it, as on Windows and macOS, never by the choice it shows."""
    widget = iface.object()
    if iface.role() == Role.ComboBox and isinstance(widget, QComboBox):
        return (widget.accessibleName() or _buddy_text(widget)).strip()
    return iface.text(NAME).strip()


def _combo_popup(parent, child):
    obj = child.object()
    return parent.role() == Role.ComboBox and isinstance(obj, QWidget) and obj.window() is not parent.object().window()


def _qt_internal(widget):
    return widget is not None and any(part in widget.objectName() for part in QT_INTERNAL)


def _unlabelled(widget):
    """Nothing visible says what ``widget`` is for: a button with no text of its own (icon only), or
    an edit or choice no label points at (QLabel.setBuddy, which QFormLayout's rows do)."""
    if isinstance(widget, QAbstractButton):
        return not widget.text().replace("&", "").strip()
    if isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit)):
        return not _has_buddy_label(widget)
    return False


def _has_buddy_label(widget):
    return bool(_buddy_text(widget))


def _buddy_text(widget):
    """The text of the label pointing at ``widget`` (its buddy), "" when none does."""
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget and label.text().replace("&", "").strip():
            return label.text().replace("&", "")
    return ""


def path_of(widget):
    """``Top/Child/…`` from the top-level window down to ``widget``: each step its object name or
    its class, numbered among siblings of its class when it has no name."""
    steps = []
    while widget is not None:
        steps.append(_step(widget))
        widget = None if widget.isWindow() else widget.parentWidget()
    return "/".join(reversed(steps))


def _step(widget):
    cls = type(widget).__name__
    if widget.objectName():
        return f"{cls}#{widget.objectName()}"
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return cls
    same = [w for w in parent.children() if type(w) is type(widget)]
    return f"{cls}[{same.index(widget)}]" if len(same) > 1 else cls


def _child_path(path, parent, child, index):
    obj = child.object()
    if isinstance(obj, QWidget) and obj is not parent.object():
        return f"{path}/{_step(obj)}" if obj.parentWidget() is parent.object() else path_of(obj)
    text = child.text(NAME) or f"#{index}"
    return f"{path}/{child.role().name}({text!r})"


def report(found):
    """The offenders as lines for an assertion message."""
    return "\n".join(f"  {path}: {problem}" for path, problem in found)
