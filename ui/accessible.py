"""What a screen reader says about a control that no text on screen labels.

Most controls are named by what is visible: a button by its text, a form's field by its label (its
buddy).  The rest are named here, once: a control with only an icon, a search box, a filter, a
line edit's own buttons (Qt's clear button, a picker's list button, a date box's calendar button:
each a small tool button Qt makes from a ``QAction``, and reads out by that action's text).

``tests/ui/test_accessibility.py`` walks every screen and names each control that has no name.
"""

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit

QT_CLEAR_ACTION = "_q_qlineeditclearaction"  # the action behind QLineEdit's clear button


def describe(widget, name, description=""):
    """Give ``widget`` an accessible name, and a description (also its tooltip, for sighted users
    hovering over it) where its name is not enough; returns the widget."""
    widget.setAccessibleName(name)
    if description:
        widget.setAccessibleDescription(description)
        if not widget.toolTip():
            widget.setToolTip(description)
    return widget


def name_action(action, text, description=""):
    """Name the button Qt shows for ``action`` in a line edit (an icon only): its text is what a
    screen reader reads, its tooltip what it describes."""
    action.setText(text)
    action.setIconText(text)
    if description:
        action.setToolTip(description)
    return action


def with_clear_button(edit: QLineEdit, what="the text"):
    """Turn on ``edit``'s clear button and name it ("Clear the search")."""
    edit.setClearButtonEnabled(True)
    action = edit.findChild(QAction, QT_CLEAR_ACTION)
    if action is not None:
        name_action(action, f"Clear {what}", "Empty the box")
    return edit
