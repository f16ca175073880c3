"""The main window's menus: the public way to add a menu command.

Each menu is a list of named sections (:data:`MENUS`); a separator stands between two sections that
hold commands, and a section's commands keep the order they were added in (or come ``after`` a
named command).  A feature adds its commands by name, never by position::

    window.menus.add("file", "export_sharing", "E&xport for sharing…", sharing.export,
                     section="records", after="save", tip="…")

``window.menus["file"]`` is the QMenu itself and ``window.actions[key]`` (the same dict as
``window.menus.actions``) the QAction of a command, e.g. to put it on the toolbar.  An access key
(the letter after ``&``) must be unique within its menu: adding a second one raises, so a clash is
a failing test rather than a key that silently does the wrong thing.  What lives elsewhere: what
each command does (the window and the features that add them).
"""

from collections.abc import Mapping

from PySide6.QtGui import QAction, QKeySequence

from ui.resources import icon

# menu key, its title, its sections in the order they are shown (a separator between each)
MENUS = (
    ("file", "&File", ("records", "settings", "backup", "quit")),
    ("edit", "&Edit", ("find", "records", "privacy")),
    ("view", "&View", ("views", "refresh")),
    ("stakeholders", "&Stakeholders", ("duplicates",)),
    ("reports", "&Reports", ("lists", "reports")),
    ("help", "&Help", ("help",)),
)


def access_key(text):
    """The access key of a menu text ("E&xport…" -> "x"), lower case; None without one ("&&" is a literal &)."""
    i = 0
    while (i := text.find("&", i)) != -1 and i + 1 < len(text):
        if text[i + 1] != "&":
            return text[i + 1].lower()
        i += 2
    return None


class Menus(Mapping):
    """The window's menus by key (``menus["file"]`` is a QMenu) and :meth:`add` to put a command in one."""

    def __init__(self, window):
        self.window = window
        self.actions = {}  # command key -> QAction
        self._sections = {}  # menu key -> {section: [command keys]}
        self._menus = {}
        for key, title, sections in MENUS:
            self._menus[key] = window.menuBar().addMenu(title)
            self._sections[key] = {name: [] for name in sections}

    def __getitem__(self, key):
        return self._menus[key]

    def __iter__(self):
        return iter(self._menus)

    def __len__(self):
        return len(self._menus)

    def add(self, menu, key, text, slot, *, section=None, after=None, shortcut=None, icon_name=None, tip=None,
            role=None):
        """Add the command ``key`` to ``menu`` and return its QAction (owned by the window).

        ``section``: one of the menu's sections (default: its last); ``after``: the key of a command
        in that section to follow (default: the section's end).  ``shortcut`` is a key sequence, a
        standard key or a list of them (the first is the one menus show)."""
        if key in self.actions:
            raise ValueError(f"there is already a menu command {key!r}")
        sections = self._sections[menu]
        section = section or list(sections)[-1]
        if section not in sections:
            raise ValueError(f"the {menu} menu has no section {section!r} (it has {', '.join(sections)})")
        letter = access_key(text)
        taken = {access_key(self.actions[k].text()): k for keys in sections.values() for k in keys}
        if letter is not None and letter in taken:
            raise ValueError(f"{text!r} and {self.actions[taken[letter]].text()!r} share the access key "
                             f"{letter!r} in the {menu} menu")
        action = QAction(text, self.window)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(k) for k in keys])
        if tip:
            action.setStatusTip(tip)
        if role is not None:
            action.setMenuRole(role)
        action.triggered.connect(slot)
        keys = sections[section]
        if after is not None and after not in keys:
            raise ValueError(f"no command {after!r} in the {section} section of the {menu} menu")
        keys.insert(keys.index(after) + 1 if after is not None else len(keys), key)
        self.actions[key] = action
        self._lay_out(menu)
        return action

    def _lay_out(self, menu):
        """Show the menu's commands section by section (commands are added while the window is
        built, before anyone can open the menu)."""
        qmenu = self._menus[menu]
        qmenu.clear()  # the actions belong to the window: only the separators go
        shown = [keys for keys in self._sections[menu].values() if keys]
        for n, keys in enumerate(shown):
            if n:
                qmenu.addSeparator()
            qmenu.addActions([self.actions[k] for k in keys])
