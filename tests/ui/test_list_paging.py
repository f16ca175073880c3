"""A long list reads its rows where the user looks (issue 15, "Lists and screens"): the count is known
up front, so Ctrl+End and the scroll bar reach the last record at once; sorting, changes announced
while scrolled and the current record all keep working on rows read a page at a time."""

import pytest
from PySide6.QtCore import QPoint, Qt

from tracker import services
from tracker.models import Stakeholder
from ui.models import PAGE, RecordTableModel

N = 5 * PAGE + 37  # several pages, the last one short


def partners(n):
    services.stakeholders.create_many({"name": f"Partner {i:05d}", "kind": "organisation", "sector": "community"}
                                      for i in range(n))


@pytest.fixture
def stakeholders_page(qtbot, db):
    from ui.mainwindow import MainWindow

    partners(N)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.show_view("stakeholders")
    qtbot.waitExposed(window)
    return page


def ctrl_end(qtbot, page):
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)


def last_shown(page):
    """The record in the bottom row the table shows, as it paints it (the Name column's text)."""
    table = page.table
    table.viewport().grab()  # paint, as the screen would
    row = table.rowAt(table.viewport().height() - 2)
    row = page.model.rowCount() - 1 if row < 0 else row
    return row, page.model.data(page.model.index(row, 0))


def click_row(qtbot, page, row):
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def current_is_shown(page, record_id):
    """The current row is ``record_id``'s, it is on screen, and the editor shows that record."""
    table = page.table
    row = table.currentIndex().row()
    on_screen = table.viewport().rect().intersects(table.visualRect(table.currentIndex()))
    return page.model.record(row).id == record_id and on_screen and page.editor.record.id == record_id


def test_ctrl_end_lands_on_the_last_record(qtbot, stakeholders_page):
    page = stakeholders_page
    assert page.model.rowCount() == N and page.count_label.text() == f"{N:,} stakeholders"
    assert len(page.model.rows) == PAGE  # one page read so far
    ctrl_end(qtbot, page)
    last = f"Partner {N - 1:05d}"
    assert page.table.currentIndex().row() == N - 1
    assert page.editor.record.name == last and page.editor.fields["name"].get() == last
    assert last_shown(page) == (N - 1, last)
    assert len(page.model.rows) < N  # the pages between were never read


def test_the_scroll_bar_at_its_end_shows_the_last_record(qtbot, stakeholders_page):
    page = stakeholders_page
    bar = page.table.verticalScrollBar()
    assert bar.maximum() >= N - 40  # the bar spans the whole list, not the rows read so far
    bar.setValue(bar.maximum())
    assert last_shown(page) == (N - 1, f"Partner {N - 1:05d}")
    bar.setValue(bar.maximum() // 2)  # a drag to the middle
    row = page.table.rowAt(0)
    assert page.model.data(page.model.index(row, 0)) == f"Partner {row:05d}"


def test_sorting_then_ctrl_end(qtbot, stakeholders_page):
    page = stakeholders_page
    header = page.table.horizontalHeader()
    name = [c.title for c in page.model.columns].index("Name")
    at = QPoint(header.sectionViewportPosition(name) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)  # Name, now Z to A
    assert page.model.sort_key == "name" and page.model.descending
    assert page.model.data(page.model.index(0, name)) == f"Partner {N - 1:05d}"
    ctrl_end(qtbot, page)
    assert page.editor.record.name == "Partner 00000" and page.table.currentIndex().row() == N - 1

    page.search.setFocus()
    qtbot.keyClicks(page.search, "001")  # the search box still narrows the list, in the same order
    qtbot.waitUntil(lambda: page.model.search == "001")
    matching = sorted(f"Partner {i:05d}" for i in range(N) if "001" in f"{i:05d}")
    assert page.model.rowCount() == len(matching)
    ctrl_end(qtbot, page)
    assert page.editor.record.name == matching[0]


def test_a_change_announced_while_scrolled_keeps_the_current_record(qtbot, stakeholders_page):
    page = stakeholders_page
    bar = page.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    row = page.table.rowAt(page.table.viewport().height() // 2)
    click_row(qtbot, page, row)
    chosen = page.editor.record
    assert chosen.name == f"Partner {row:05d}" and current_is_shown(page, chosen.id)

    services.stakeholders.create(name="Aardvark Trust", kind="organisation", sector="community")  # before it
    assert page.model.rowCount() == N + 1 and current_is_shown(page, chosen.id)
    assert page.count_label.text() == f"{N + 1:,} stakeholders"
    assert page.table.currentIndex().row() == row + 1

    far = Stakeholder.get(Stakeholder.name == f"Partner {N - 3:05d}")  # a row never read: its place is not known
    services.stakeholders.update(far, name="Aaron Renamed")
    assert current_is_shown(page, chosen.id) and page.table.currentIndex().row() == row + 2

    services.stakeholders.delete(Stakeholder.get(Stakeholder.name == "Partner 00001"))
    assert page.model.rowCount() == N and current_is_shown(page, chosen.id)
    assert page.table.currentIndex().row() == row + 1

    services.stakeholders.update(services.stakeholders.get(chosen.id), role="Chair")  # the record itself
    assert current_is_shown(page, chosen.id) and page.editor.record.role == "Chair"


def test_rows_kept_stay_in_the_lists_order_through_changes(qtmodeltester, qtlog, db):
    partners(N)
    model = RecordTableModel("stakeholders")
    model.data(model.index(3 * PAGE + 5, 0))  # pages 0 and 3 read: rows kept with a gap between
    service = model.service

    def in_order():
        assert model.total == model.rowCount() == service.count()
        for row, record in zip(sorted(model._rows), model.rows):
            assert service.page(row, 1, **model.query_args())[0].id == record.id, row

    in_order()
    kept = model.rows
    services.stakeholders.update(kept[10], name="Zebra Crossing Trust")  # kept, moves past rows not read
    in_order()
    services.stakeholders.create(name="Partner 00650a", kind="organisation", sector="community")  # inside page 3
    in_order()
    services.stakeholders.delete(kept[PAGE + 7])
    in_order()
    services.stakeholders.update(Stakeholder.get(Stakeholder.name == f"Partner {2 * PAGE:05d}"), sector="faith")
    in_order()  # a row not kept changed: read again, keeping nothing stale
    qtmodeltester.check(model)
    assert not [r for r in qtlog.records if "FAIL" in r.message]


@pytest.mark.slow  # 50,000 stakeholders to write
def test_ctrl_end_and_the_scroll_bar_at_50k(qtbot, db):
    from ui.mainwindow import MainWindow

    partners(50_000)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    page = window.show_view("stakeholders")
    assert page.model.rowCount() == 50_000 and len(page.model.rows) == PAGE
    ctrl_end(qtbot, page)
    assert page.editor.record.name == "Partner 49999" and last_shown(page) == (49_999, "Partner 49999")
    bar = page.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    row = page.table.rowAt(0)
    assert 24_000 < row < 26_000 and page.model.data(page.model.index(row, 0)) == f"Partner {row:05d}"
    bar.setValue(0)
    assert page.model.data(page.model.index(page.table.rowAt(0), 0)) == "Partner 00000"
    assert len(page.model.rows) <= 4 * PAGE
