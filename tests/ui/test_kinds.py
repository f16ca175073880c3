"""The record kinds registry (ui.kinds) is what the window shows, and each kind works from the keyboard."""

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import choose
from tracker import records
from ui.columns import ListContext
from ui.kinds import KINDS
from ui.listpage import ListPage

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_registry_covers_every_kind_the_window_shows(window, qtbot):
    views = [window.nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.nav.count())]
    assert [key for key in views if isinstance(window.pages[key], ListPage)] == list(KINDS)
    # The kinds without a list of their own are edited inside another's: attendance in an event's
    # Links tab, updates in a record's Updates tab.
    assert {kind.plural for kind in records.KINDS} - set(KINDS) == {"attendance", "updates"}
    for key, kind in KINDS.items():
        page = window.pages[key]
        assert window.nav.item(views.index(key)).text() == kind.title == key.capitalize()
        assert page.model.service is kind.service and page.editor.service is kind.service
        assert list(page.editor.fields) == [f.name for f in kind.record.editable]
        assert [c.title for c in page.model.columns] == [c.title for c in kind.columns(ListContext())]
        filters = kind.filters()
        for widget in filters:
            qtbot.addWidget(widget)
        assert [w.key for w in page.filters] == [w.key for w in filters]
        assert list(page.editor.links.sections) == [s.title for s in kind.links.sections]
        assert (page.editor.links.attendance is not None) == kind.links.attendance
        tabs = [page.editor.tabs.tabText(i) for i in range(page.editor.tabs.count())]
        assert ("&Updates" in tabs) == kind.has_updates == (key != "events")
        assert page.new_button.text() == f"New {kind.name}"
        assert page.table.accessibleName() == f"{kind.title} list"
    deleted = window.pages["deleted"]
    assert [deleted.kind.itemData(i) for i in range(deleted.kind.count())] == list(KINDS)
    assert [deleted.kind.itemText(i) for i in range(deleted.kind.count())] == [k.title for k in KINDS.values()]


# What a user types for a new record of the kind: its title, and a date typed day first.
TYPED = {
    "events": ("Zephyrine youth forum, Dagenham Library", "date", "14/03/2031"),
    "actions": ("Book the Zephyrine forum venue", "due_date", "28/02/2031"),
}


@pytest.mark.parametrize("key", sorted(TYPED))
def test_new_save_search_delete_and_restore_by_keystrokes(window, qtbot, key):
    kind = KINDS[key]
    title, date_field, date = TYPED[key]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    shortcut = window.actions[f"view_{key}"].shortcut()  # the View menu's Ctrl+<n>
    qtbot.keySequence(window.nav, shortcut)
    page = window.pages[key]
    assert window.current_page() is page
    before = page.model.total

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, CTRL)
    assert page.editor.heading.text() == f"New {kind.name}"
    title_box = page.editor.fields["title"].input
    qtbot.waitUntil(title_box.hasFocus)  # New puts the cursor in the title
    qtbot.keyClicks(title_box, title)
    date_box = page.editor.fields[date_field].input
    date_box.setFocus()
    qtbot.keyClicks(date_box, date)
    qtbot.keyClick(date_box, Qt.Key.Key_S, CTRL)
    record = page.editor.record
    assert record is not None and not page.editor.dirty
    saved = kind.service.get(record.id)
    assert saved.title == title and getattr(saved, date_field).strftime("%d/%m/%Y") == date
    assert page.count_label.text() == kind.count_text(before + 1)

    qtbot.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "zephyrine")
    qtbot.waitUntil(lambda: page.model.total == 1)
    assert page.model.rows[0].id == record.id and page.count_label.text() == f"1 {kind.name}"

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: page.model.total == 0)
    assert kind.service.get(record.id, include_deleted=True).is_deleted
    assert page.editor.record is None

    qtbot.keySequence(window.nav, window.actions["view_deleted"].shortcut())
    deleted = window.pages["deleted"]
    assert window.current_page() is deleted
    choose(qtbot, deleted.kind, kind.title)
    qtbot.keyClick(deleted.kind, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(deleted.search, "zephyrine")
    qtbot.waitUntil(lambda: deleted.model.total == 1)
    assert deleted.model.rows[0].id == record.id
    deleted.table.setFocus()
    qtbot.keyClick(deleted.table, Qt.Key.Key_Down)  # the first row: the one found
    qtbot.keyClick(deleted.restore_button, Qt.Key.Key_Space)
    assert not kind.service.get(record.id).is_deleted
    qtbot.waitUntil(lambda: deleted.model.total == 0)
