"""A 1366x768 screen, at 100% and at 200% (issue 15, "Lists and screens"): each main list shows its key
columns without sideways scrolling, and every field of every form, and its Save and Revert buttons, can
be reached: the window fits the screen and whatever does not fit in it scrolls."""

import pytest
from PySide6.QtCore import QPoint, QRect

from ui.kinds import KINDS

SCREEN = (1366, 768)
AT_200 = (683, 384)  # the same screen in the app's pixels when Qt scales by 2 (QT_SCALE_FACTOR=2)


def show(qtbot, window, size, kind):
    window.resize(*size)
    page = window.show_view(kind)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    return page


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_key_columns_fit_at_1366x768(qtbot, window, kind):
    page = show(qtbot, window, SCREEN, kind)
    page.table.fit_columns()  # as on a first start with data: the demo arrived after the window was made
    qtbot.wait(1)  # let the header lay out the stretched column
    header, viewport = page.table.horizontalHeader(), page.table.viewport()
    columns = page.model.columns
    key = [n for n, c in enumerate(columns) if c.key]
    assert [columns[n].title for n in key if header.isSectionHidden(n)] == []
    for n in key:
        left = header.sectionViewportPosition(n)
        assert 0 <= left and left + header.sectionSize(n) <= viewport.width(), columns[n].title
    assert page.table.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways to
    chars = page.table.fontMetrics().averageCharWidth()
    [elastic] = [n for n, c in enumerate(columns) if c.elastic]
    assert header.sectionSize(elastic) >= 15 * chars  # the title or name is still readable
    hidden = [c.title for n, c in enumerate(columns) if header.isSectionHidden(n)]
    assert hidden == [c.title for c in columns if not c.key]


def test_a_hidden_column_comes_back_from_the_headers_menu(qtbot, window):
    page = show(qtbot, window, SCREEN, "actions")
    page.table.fit_columns()
    header = page.table.horizontalHeader()
    priority = [c.title for c in page.model.columns].index("Priority")
    assert header.isSectionHidden(priority)
    header.customContextMenuRequested.emit(QPoint(5, 5))  # a right-click on the header
    menu = page.table.column_menu
    qtbot.waitUntil(menu.isVisible)
    [item] = [a for a in menu.actions() if a.text() == "Priority"]
    assert not item.isChecked()
    item.trigger()
    assert not header.isSectionHidden(priority)
    [title] = [a for a in menu.actions() if a.text() == "Title"]
    assert not title.isEnabled()  # the title column stays
    menu.close()


def visible_in(widget, area):
    """Whether ``widget``'s top-left corner shows inside ``area`` (a widget), both in window pixels."""
    window = widget.window()
    corner = widget.mapTo(window, QPoint(2, 2))
    shown = QRect(area.mapTo(window, QPoint(0, 0)), area.size())
    return window.rect().contains(corner) and shown.contains(corner)


@pytest.mark.parametrize("size", [SCREEN, AT_200], ids=["1366x768", "200%"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_and_button_of_a_form_can_be_reached(qtbot, window, kind, size):
    page = show(qtbot, window, size, kind)
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert window.minimumSizeHint().width() <= size[0] and window.minimumSizeHint().height() <= size[1]
    editor, outer = page.editor, window.page_scroll
    editor.tabs.setCurrentIndex(0)
    form = editor.form_scroll

    def outside():
        """The fields not inside what the form's scroll bars reach."""
        scrollable = form.widget().rect()
        return [name for name, field in editor.fields.items()
                if not scrollable.contains(QRect(field.widget.mapTo(form.widget(), QPoint(0, 0)), field.widget.size()))]

    try:
        qtbot.waitUntil(lambda: not outside(), timeout=3000)  # once the form is laid out
    except qtbot.TimeoutError:
        pass
    assert outside() == [], f"{kind}: outside the form's scrollable area"
    for name, field in editor.fields.items():
        assert field.widget.isVisible() and not field.widget.rect().isEmpty(), f"{kind}: {name} is not shown"
        form.ensureWidgetVisible(field.widget, 4, 4)
        outer.ensureWidgetVisible(field.widget, 4, 4)
        qtbot.wait(1)
        shown = QRect(field.widget.mapTo(form.viewport(), QPoint(0, 0)), field.widget.size())
        view = form.viewport().rect()
        assert view.intersects(shown), f"{kind}: {name} is not scrolled into view"
        assert shown.top() >= 0 or shown.height() > view.height(), f"{kind}: {name}'s top is not in view"
    outer.ensureWidgetVisible(form, 4, 4)
    qtbot.wait(1)
    assert visible_in(form.viewport(), outer.viewport())
    line = form.fontMetrics().lineSpacing()
    assert form.viewport().height() >= 4 * line  # a few fields at a time, not a slit
    for button in (editor.save_button, editor.revert_button, editor.delete_button):
        outer.ensureWidgetVisible(button)
        qtbot.wait(1)
        assert visible_in(button, outer.viewport()), f"{kind}: {button.text()} cannot be reached"
    if size == SCREEN:  # at 100% nothing needed scrolling but the form itself
        assert outer.verticalScrollBar().maximum() == 0 and outer.horizontalScrollBar().maximum() == 0
