"""The main window: navigation, menus, toolbar, shortcuts, and remembering how it was left.

Other parts of the app extend it through ``self.menus`` (``menus.add("file", key, text, slot,
section=…)``: see ``ui.menus``) and ``current_filters(kind)`` (the services filter
dict of a list view, e.g. to prefill a report).  ``pages`` maps a view key to its widget.

Over 450 lines because every feature meets here (each installs itself from its own module: menus,
first run, view-only mode, board pack...); what is left is navigation and window state.
"""

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QApplication, QFrame, QListWidget, QListWidgetItem, QMainWindow,
                               QScrollArea, QSplitter, QVBoxLayout, QWidget)

from tracker import APP_NAME, services
from tracker.changes import EVERYTHING, announce
from tracker.db import close_database, current_path, is_read_only
from tracker.demo import load_demo
from tracker.logs import log_file
from tracker.opening import open_database
from ui import (boardpack_menu, dialogs, duplicates, errors, exchange, firstrun, readonly, reports, settings,
                tableimport)
from ui.changes import ElsewhereWatch, notifier
from ui.about import AboutBox
from ui.deleted import DeletedPage
from ui.guide import GuideWindow
from ui.kinds import KINDS
from ui.listpage import COLUMNS_LAYOUT, ListPage
from ui.menus import Menus
from ui.notices import SharedDatabaseNotice
from ui.pagestack import PageStack
from ui.dashboard import DashboardPage
from ui.powermap_page import PowerMapPage
from ui.resources import icon
from ui.safety import SafetyActions
from ui.worker import run_and_wait, run_in_background

VIEWS = [  # key, label, icon: the dashboard, a list of each record kind, the grid, the deleted items
    ("home", "Dashboard", "home"),
    *((kind.key, kind.title, kind.icon) for kind in KINDS.values()),
    ("grid", "Power/interest map", "grid"),
    ("deleted", "Deleted items", "deleted"),
]
LIST_KINDS = tuple(KINDS)


class MainWindow(QMainWindow):
    def __init__(self):
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(icon("app"))
        self.pages = {
            "home": DashboardPage(),
            **{key: ListPage(key) for key in LIST_KINDS},
            "grid": PowerMapPage(),
            "deleted": DeletedPage(),
        }
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Views")
        self.stack = PageStack()
        for n, (key, label, icon_name) in enumerate(VIEWS, start=1):
            item = QListWidgetItem(icon(icon_name), label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{label} (Ctrl+{n})")  # whole, where a narrow window cuts the label short
            self.nav.addItem(item)
            self.stack.addWidget(self.pages[key])
            if hasattr(self.pages[key], "open_link"):
                self.pages[key].open_link.connect(self.open_record)
            if hasattr(self.pages[key], "new_linked"):
                self.pages[key].new_linked.connect(self.new_linked_record)
        for key in LIST_KINDS:
            self.pages[key].editor.dirty_changed.connect(self._dirty_changed)
        self.pages["deleted"].restored.connect(self._restored)
        self.pages["home"].open_list.connect(self.show_list)  # a dashboard tile or chart: its filtered list
        self.nav.ensurePolished()  # measure with the style sheet's font
        widest = max(self.nav.fontMetrics().horizontalAdvance(label) for _, label, _ in VIEWS)
        self.nav_width = (widest * 6 // 5 + self.nav.iconSize().width()  # what it starts at
                          + 10 * self.nav.fontMetrics().averageCharWidth())
        self.nav_narrowed = False  # by a narrow window, not by the user
        self.nav.setMinimumWidth(self.nav_width // 2)  # at 200% on a small screen the labels may be cut short
        self.nav.setMaximumWidth(self.nav_width * 3 // 2)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        # A page smaller than its least size scrolls (a 1366x768 screen at 200% is 683x384 pixels):
        # every field and button of a form stays reachable instead of being cut off at the screen's edge.
        self.page_scroll = QScrollArea()
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own (it scrolls to the focus)
        self.page_scroll.setWidget(self.stack)
        self.splitter.addWidget(self.page_scroll)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.notice = SharedDatabaseNotice()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.notice)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.menus = Menus(self)  # menus.add(...): how this window and every feature add a command
        self.actions = self.menus.actions
        self.background = None  # the last background operation started here
        self._build_actions()
        exchange.install(self)
        tableimport.install(self)
        duplicates.install(self)
        reports.install(self)
        boardpack_menu.install(self)
        self.safety = SafetyActions(self)
        self.watch = ElsewhereWatch(self)  # another program's changes, noticed while the window is active
        self.view_only = readonly.install(self)  # a read-only database: said so, every edit disabled
        self.who = firstrun.install(self)  # no name set yet: asked in a strip above the views
        self._update_title()
        self.restore_state()
        self.notice.refresh()
        self.statusBar().showMessage(f"Signed in as {services.current_actor().user}", 5000)

    # ---- menus and toolbar ---------------------------------------------------------
    def _build_actions(self):
        add = self.menus.add
        add("file", "new", "&New", self.new_record, section="records", shortcut=QKeySequence.StandardKey.New,
            icon_name="new", tip="Create a record in the current list")
        add("file", "save", "&Save", self.save, section="records", shortcut=QKeySequence.StandardKey.Save,
            icon_name="save", tip="Save the record being edited")
        add("file", "settings", "Se&ttings…", self.show_settings, section="settings", shortcut="Ctrl+,",
            icon_name="settings", tip="Your name, home council and database file")
        add("file", "quit", "&Quit", self.close, section="quit", shortcut="Ctrl+Q", role=QAction.MenuRole.QuitRole)

        add("edit", "find", "&Find…", self.find, section="find", shortcut=QKeySequence.StandardKey.Find,
            icon_name="find", tip="Search the current list")
        add("edit", "revert", "Re&vert changes", self.revert, section="find", tip="Drop unsaved changes to the record")
        delete = add("edit", "delete", "&Delete", self.delete, section="records", icon_name="delete",
                     shortcut=QKeySequence.StandardKey.Delete, tip="Move the record to Deleted items")
        delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        add("edit", "restore", "R&estore", self.restore, section="records", icon_name="restore",
            tip="Bring back the selected deleted record")

        for n, (key, label, icon_name) in enumerate(VIEWS, start=1):
            add("view", f"view_{key}", label, lambda checked=False, k=key: self.show_view(k), section="views",
                shortcut=f"Ctrl+{n}", icon_name=icon_name)
        add("view", "refresh", "&Refresh", self.refresh, section="refresh", shortcut="F5", icon_name="refresh",
            tip="Read the lists again from the database")
        add("view", "columns", "Co&lumns…", lambda checked=False: self.current_page().table.open_column_menu(), section="refresh",
            tip="Show or hide the current list's columns (also the context-menu key or Shift+F10 on the list)")

        add("reports", "overdue", "&Overdue actions", self.show_overdue_actions, section="lists", icon_name="actions",
            tip="The Actions list filtered to overdue actions")
        add("reports", "due_soon", "Commitments &due in 30 days", self.show_commitments_due, section="lists",
            icon_name="commitments", tip="The Commitments list filtered to those due soon")

        add("help", "guide", "&User guide", self.open_user_guide, shortcut=QKeySequence.StandardKey.HelpContents)
        add("help", "log", "Open the &log folder", self.open_log_folder)
        add("help", "about", f"&About {APP_NAME}", self.about, role=QAction.MenuRole.AboutRole)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for key in ("new", "save", "delete", "refresh", "find"):
            toolbar.addAction(self.actions[key])
        # Delete acts on the record, not on text being edited: only while a list or editor has focus.
        for key in LIST_KINDS:
            self.pages[key].addAction(delete)
        self._update_actions()

    # ---- views ---------------------------------------------------------------------
    def current_view(self):
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else "home"

    def current_page(self):
        return self.pages[self.current_view()]

    def show_view(self, key):
        row = [k for k, _, _ in VIEWS].index(key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def _nav_changed(self, row):
        if row < 0:
            return
        key = VIEWS[row][0]
        self.stack.setCurrentWidget(self.pages[key])  # a page behind on changes catches up as it is shown
        self._update_actions()

    def _update_actions(self):
        view = self.current_view()
        is_list = view in LIST_KINDS
        for key in ("new", "save", "delete", "revert"):
            self.actions[key].setEnabled(is_list)
        if view == "home":  # New on the dashboard adds a partner (an empty database starts there)
            self.actions["new"].setEnabled(True)
            self.actions["new"].setText("&New stakeholder")
        self.actions["find"].setEnabled(is_list or view == "deleted")
        self.actions["columns"].setEnabled(is_list)
        self.actions["restore"].setEnabled(view == "deleted")
        if is_list:
            self.actions["new"].setText(f"&New {self.pages[view].editor.service.what}")

    def current_filters(self, kind):
        """The services filter dict the ``kind`` list view is showing now (e.g. "actions")."""
        return self.pages[kind].current_filters()

    def open_record(self, kind, record_id):
        """Go to ``kind``'s view and show the record (following a link)."""
        page = self.pages[kind]
        if page.editor.record is not None and page.editor.record.id == record_id:
            self.show_view(kind)
            return True
        if not page.editor.confirm_leave():
            self.show_view(kind)
            return False
        self.show_view(kind)
        return page.open_record(record_id)

    def new_linked_record(self, kind, values):
        """A new ``kind`` record starting with ``values`` (from a record's Links tab: an action for a
        commitment), in its own view; False when the user stayed on an edited record there."""
        self.show_view(kind)
        return self.pages[kind].new_record(values)

    # ---- commands ------------------------------------------------------------------
    def new_record(self):
        if self.current_view() in LIST_KINDS:
            self.current_page().new_record()
        elif self.current_view() == "home":
            self.new_linked_record("stakeholders", None)

    def save(self):
        if self.current_view() in LIST_KINDS and self.current_page().save():
            self.statusBar().showMessage("Saved.", 4000)

    def revert(self):
        if self.current_view() in LIST_KINDS:
            self.current_page().editor.revert()

    def delete(self):
        if self.current_view() in LIST_KINDS and self.current_page().delete_current():
            self.statusBar().showMessage("Deleted. It can be restored from Deleted items.", 6000)

    def restore(self):
        if self.current_view() == "deleted":
            self.pages["deleted"].restore_current()

    def find(self):
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def refresh(self):
        page = self.current_page()
        try:
            if hasattr(page, "reload_filter_choices"):
                page.reload_filter_choices()
            page.refresh()
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
        else:
            self.statusBar().showMessage("Refreshed.", 2000)

    def show_list(self, kind, filters, words=""):
        """The ``kind`` list showing only ``filters`` (a services filter dict; ``words`` say it)."""
        page = self.show_view(kind)
        page.show_only(filters, words)
        return page

    def show_overdue_actions(self):
        self.show_view("actions").show_only({"overdue": True})

    def show_commitments_due(self):
        self.show_view("commitments").show_only({"due_within": 30})

    def _restored(self, kind, record_id):
        self.statusBar().showMessage("Restored.", 4000)

    def show_settings(self):
        answer = dialogs.SettingsDialog.ask(self, settings.user_name(), settings.home_council(),
                                            current_path() or settings.last_database())
        if answer is None:
            return False
        settings.save_user(answer["name"], answer["council"])
        self.who.setVisible(self.who.isVisible() and not settings.user_name())
        if answer["database"] and Path(answer["database"]) != current_path():
            self.switch_database(answer["database"])
        self._update_title()
        return True

    def switch_database(self, path):
        """Open another database file (creating it if new) and show it in every view.  Opening (an
        upgrade, say) runs on a worker thread; the window takes no input meanwhile."""
        if not self.confirm_unsaved():
            return False
        previous = current_path()
        created = not Path(path).exists()

        def open_it(progress):
            try:
                open_database(path, create=True)
            except Exception:
                if previous is not None:
                    open_database(previous)
                raise

        with notifier().held():  # no view reads while there is no database, or half of one
            close_database()  # on this thread: its connection checkpoints the file as it closes
            kind, value = run_and_wait(self, open_it, f"Opening {Path(path).name}…", cancellable=False)
        if kind == "failure":
            errors.show_exception(self, value)
            return False
        settings.remember_database(path)
        self.reload_everything()
        if created:
            self.offer_demo_data(path)
        return True

    def reload_everything(self):
        """After the database was replaced under every view (another file, a restored backup): every
        view reads again (a record shown stays shown if the new database has it)."""
        announce(EVERYTHING)
        self.watch.forget()
        self._update_title()
        self.notice.refresh()
        self.view_only.refresh()

    def offer_demo_data(self, path):
        """A new database: offer the summit demo data, loaded in the background.  Returns the
        running operation (tests wait for its ``finished``), or None when declined."""
        if not dialogs.FirstRun.ask(self, path):
            return None

        def loaded(_result):  # the views took the demo data in as it was announced
            self.statusBar().showMessage("Demo data loaded.", 5000)

        self.background = run_in_background(self, lambda progress: load_demo(), on_success=loaded,
                                            label="Loading the demo data…", cancellable=False)
        return self.background

    def _update_title(self):
        path = current_path()
        # "[*]" shows as "*" while some record has unsaved changes (setWindowModified).
        read_only = " (read-only)" if path and is_read_only() else ""
        self.setWindowTitle(f"{path.name}{read_only}[*] — {APP_NAME}" if path else f"{APP_NAME}[*]")

    def _dirty_changed(self, _dirty):
        self.setWindowModified(any(self.pages[key].editor.dirty for key in LIST_KINDS))

    def open_user_guide(self):
        """Help → User guide: the guide shipped with the app, in a window of its own (ui.guide)."""
        return GuideWindow.show_for(self)

    def open_log_folder(self):
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))

    def about(self):
        AboutBox.ask(self)

    # ---- closing and remembering ------------------------------------------------------
    def confirm_unsaved(self):
        """Ask about every list with unsaved edits; False when the user chose to stay."""
        for key in LIST_KINDS:
            page = self.pages[key]
            if page.editor.dirty:
                self.show_view(key)
                if not page.editor.confirm_leave():
                    return False
        return True

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange:
            if self.isActiveWindow():
                self.notice.refresh()  # another window may have opened or closed the database meanwhile
            self.watch.set_active(self.isActiveWindow())  # and may have changed it

    def closeEvent(self, event):
        if not self.confirm_unsaved():
            event.ignore()
            return
        self.save_state()
        event.accept()

    def save_state(self):
        s = settings.app_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("window/view", self.current_view())
        for key in LIST_KINDS:
            page = self.pages[key]
            s.setValue(f"window/{key}/splitter", page.splitter.saveState())
            if page.table.widths_settled:  # widths fitted to an empty list are fitted again next time
                s.setValue(f"window/{key}/columns", page.table.horizontalHeader().saveState())
                s.setValue(f"window/{key}/columns_fitted", True)
                s.setValue(f"window/{key}/columns_layout", COLUMNS_LAYOUT)
            else:
                s.remove(f"window/{key}/columns")
                s.remove(f"window/{key}/columns_fitted")
        s.sync()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._narrow_navigation)  # once the splitter has its new width

    def _narrow_navigation(self):
        """A narrow window (a small screen at 200%): the navigation gives the page room, its labels
        cut short; widened again, it takes back what it gave (never more than it started at)."""
        sizes = self.splitter.sizes()
        width = min(self.nav_width, max(self.nav.minimumWidth(), self.width() // 4))
        if sum(sizes) and (sizes[0] > width or (self.nav_narrowed and sizes[0] < width)):
            self.nav_narrowed = width < self.nav_width
            self.splitter.setSizes([width, sum(sizes) - width])

    def showEvent(self, event):
        super().showEvent(event)
        # Splitter sizes only stick once the window has its real size.
        for key, state in self._pending_splitters.items():
            splitter = self.pages[key].splitter
            splitter.resize(self.stack.size())
            if state is None:
                total = sum(splitter.sizes()) or 1000
                splitter.setSizes([total * 2 // 3, total // 3])  # the list's key columns fit beside the editor
            else:
                splitter.restoreState(state)
        self._pending_splitters = {}

    def restore_state(self):
        s = settings.app_settings()
        self._pending_splitters = {}
        if isinstance(s.value("window/geometry"), QByteArray):
            self.restoreGeometry(s.value("window/geometry"))
        else:
            screen = QApplication.primaryScreen()
            size = screen.availableGeometry().size() * 0.85 if screen is not None else None
            if size is not None:
                self.resize(size)
        if isinstance(s.value("window/state"), QByteArray):
            self.restoreState(s.value("window/state"))
        if isinstance(s.value("window/splitter"), QByteArray):
            self.splitter.restoreState(s.value("window/splitter"))
        else:
            self.splitter.setSizes([self.nav_width, 10 * self.nav_width])
        for key in LIST_KINDS:
            page = self.pages[key]
            value = s.value(f"window/{key}/splitter")
            self._pending_splitters[key] = value if isinstance(value, QByteArray) else None
            value = s.value(f"window/{key}/columns")
            if isinstance(value, QByteArray):  # widths, order and the sort column; saved before columns_fitted
                # was: kept if the list has rows now, else fitted again when it has
                page.table.restore_widths(value, settled=bool(s.value(f"window/{key}/columns_fitted"))
                                          or page.model.rowCount() > 0,
                                          layout=int(s.value(f"window/{key}/columns_layout", 1) or 1))
            else:
                page.table.fit_columns()
        view = str(s.value("window/view", "home") or "home")
        self.show_view(view if view in self.pages else "home")
