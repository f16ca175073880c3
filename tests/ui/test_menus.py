"""The menus as users see them, their access keys and shortcuts, and adding a command by name (ui.menus)."""

import pytest
from PySide6.QtCore import Qt

from ui.menus import access_key

SEPARATOR = "---"
# Every menu as it shows: text (with its access key), shortcut; a separator between groups.
EXPECTED = {
    "file": [("&New stakeholder", "Ctrl+N"), ("&Save", "Ctrl+S"), ("E&xport for sharing…", ""),
             ("&Import from another council…", ""), ("I&mport a spreadsheet…", "Ctrl+Shift+I"), SEPARATOR, ("Se&ttings…", "Ctrl+,"), SEPARATOR,
             ("Restore from &backup…", ""), SEPARATOR, ("&Quit", "Ctrl+Q")],
    "edit": [("&Find…", "Ctrl+F"), ("Re&vert changes", ""), SEPARATOR, ("&Delete", "Del"), ("R&estore", ""),
             ("Review &conflicts…", ""), ("Review &held matches…", ""), ("&Undo import…", ""), ("Undo &merge", ""),
             SEPARATOR, ("Erase &person…", "")],
    "view": [("Dashboard", "Ctrl+1"), ("Stakeholders", "Ctrl+2"), ("Events", "Ctrl+3"), ("Commitments", "Ctrl+4"),
             ("Actions", "Ctrl+5"), ("Power/interest map", "Ctrl+6"), ("Deleted items", "Ctrl+7"), SEPARATOR,
             ("&Refresh", "F5"), ("Co&lumns…", "")],
    "stakeholders": [("Find &duplicates…", "Ctrl+Shift+D")],
    "reports": [("&Overdue actions", ""), ("Commitments &due in 30 days", ""), SEPARATOR, ("&Action log…", ""),
                ("&Commitment register…", ""), ("&Board pack…", ""), ("&Retention review…", "")],
    "help": [("&User guide", "F1"), ("Open the &log folder", ""), ("&About Stakeholder Tracker", "")],
}


def shown(menu):
    return [SEPARATOR if a.isSeparator() else (a.text(), a.shortcut().toString()) for a in menu.actions()]


def menu_command(window, menu_title, text):
    """The QAction a user picks: found in the menu bar by the texts they read (access keys left out)."""
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == menu_title]
    [action] = [a for a in menu.actions() if a.text().replace("&", "") == text]
    return action


def test_the_menus_show_every_command_in_order(window):
    window.show_view("home")  # New on the dashboard adds a stakeholder (a partner)
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&View", "Stakeholders", "&Reports",
                                                                "&Help"]
    assert {key: shown(window.menus[key]) for key in EXPECTED} == EXPECTED
    assert [a.text() for a in window.findChild(type(window.addToolBar("x")), "main_toolbar").actions()] == [
        "&New stakeholder", "&Save", "&Delete", "&Refresh", "&Find…"]


@pytest.mark.parametrize("view", ["home", "stakeholders", "events", "commitments", "actions", "deleted"])
def test_access_keys_are_unique_in_each_menu(window, view):
    window.show_view(view)  # New says what it makes ("&New Action"): still N
    bar = [access_key(a.text()) for a in window.menuBar().actions()]
    assert len(set(bar)) == len(bar)
    for key in window.menus:
        letters = [access_key(a.text()) for a in window.menus[key].actions() if not a.isSeparator()]
        letters = [x for x in letters if x is not None]
        assert len(set(letters)) == len(letters), (key, letters)


def test_access_key_reading():
    assert access_key("E&xport for sharing…") == "x"
    assert access_key("Fish && &Chips") == "c"
    assert access_key("Overview") is None and access_key("Tom && Jerry") is None


def test_a_feature_adds_a_command_by_name(window):
    picked = []
    action = window.menus.add("file", "print_list", "&Print the list…", lambda: picked.append(True),
                              section="records", after="import_sharing", shortcut="Ctrl+P", tip="Print it")
    texts = [a.text() for a in window.menus["file"].actions()]
    assert texts[texts.index("&Import from another council…") + 1] == "&Print the list…"
    assert window.actions["print_list"] is action and action.shortcut().toString() == "Ctrl+P"
    menu_command(window, "File", "Print the list…").trigger()
    assert picked == [True]
    window.menus.add("help", "tips", "&Tips", lambda: None)  # the menu's last section by default
    assert [a.text() for a in window.menus["help"].actions()][-1] == "&Tips"


def test_adding_a_command_refuses_what_would_confuse(window):
    with pytest.raises(ValueError, match="share the access key"):
        window.menus.add("file", "print_list", "&Print the list…", lambda: None, section="settings")
        window.menus.add("file", "preview", "&Preview…", lambda: None, section="settings")
    with pytest.raises(ValueError, match="already a menu command"):
        window.menus.add("file", "save", "Save &as…", lambda: None)
    with pytest.raises(ValueError, match="no section"):
        window.menus.add("file", "other", "O&ther", lambda: None, section="nowhere")
    with pytest.raises(ValueError, match="no command"):
        window.menus.add("edit", "other", "O&ther", lambda: None, section="find", after="quit")
    assert "preview" not in window.actions and "other" not in window.actions


def test_menu_commands_and_their_shortcuts_do_what_they_say(window, qtbot):
    menu_command(window, "View", "Events").trigger()
    assert window.current_view() == "events"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "actions"
    qtbot.keyClick(window.nav, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "home"
    menu_command(window, "Reports", "Overdue actions").trigger()
    page = window.pages["actions"]
    assert window.current_view() == "actions" and window.current_filters("actions") == {"overdue": True}
    assert page.model.total > 0
