"""Columns saved before the key columns (every column shown, each as wide as its contents) are fitted
again once, at the first start of this version: at 1366x768 the list then shows its key columns without
sideways scrolling, the others in the header's menu.  What the user chooses after that is kept."""

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QHeaderView

from ui import settings
from ui.mainwindow import MainWindow

SCREEN = (1366, 768)


def opened(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitUntil(lambda: window.size().toTuple() == SCREEN)
    return window


def old_layout(table):
    """The actions' columns as an earlier version left them: all shown, fitted to their contents, the last
    stretching; sorted by title (which the refit keeps)."""
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    for col in range(header.count()):
        header.setSectionHidden(col, False)
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
    table.resizeColumnsToContents()
    title = [c.title for c in table.model().columns].index("Title")
    header.resizeSection(title, 400)  # a long title, as the user had it
    header.setSortIndicator(title, header.sortIndicatorOrder())
    return header.saveState()


def test_columns_saved_for_every_column_are_fitted_once_then_kept(qtbot, window):
    page = window.show_view("actions")
    state = old_layout(page.table)
    window.close()
    s = QSettings(str(settings.settings_file()), QSettings.Format.IniFormat)
    s.setValue("window/actions/columns", state)  # as the version before the key columns wrote them
    s.setValue("window/actions/columns_fitted", True)
    s.remove("window/actions/columns_layout")
    s.sync()
    settings.app_settings().sync()

    again = opened(qtbot)
    page = again.show_view("actions")
    table, header = page.table, page.table.horizontalHeader()
    columns = page.model.columns
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)  # nothing to scroll sideways to
    assert [c.title for n, c in enumerate(columns) if not header.isSectionHidden(n)] == [c.title for c in columns
                                                                                          if c.key]
    assert columns[header.sortIndicatorSection()].title == "Title"  # the sort chosen then is kept
    for n, column in enumerate(columns):
        if column.key:
            left = header.sectionViewportPosition(n)
            assert 0 <= left and left + header.sectionSize(n) <= table.viewport().width(), column.title

    # the user brings Priority back from the header's menu: kept at the next start, not fitted away again
    priority = [c.title for c in columns].index("Priority")
    header.customContextMenuRequested.emit(QPoint(5, 5))
    qtbot.waitUntil(table.column_menu.isVisible)
    [item] = [a for a in table.column_menu.actions() if a.text() == "Priority"]
    item.trigger()
    table.column_menu.close()
    assert not header.isSectionHidden(priority)
    again.close()
    assert int(QSettings(str(settings.settings_file()), QSettings.Format.IniFormat)
               .value("window/actions/columns_layout")) == 2

    third = opened(qtbot)  # (sorted by title: restoring the sort read the rows, which fitted the columns again)
    assert not third.pages["actions"].table.horizontalHeader().isSectionHidden(priority)
    assert third.pages["actions"].table.horizontalHeader().sectionSize(priority) > 0
