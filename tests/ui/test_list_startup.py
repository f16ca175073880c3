"""Opening a list reads it once, in the kind's own order; views not shown read nothing."""

from playhouse.test_utils import count_queries

from ui.deleted import DeletedPage
from ui.listpage import ListPage


def test_a_list_opens_in_its_default_order_reading_one_page(qtbot, demo_db):
    with count_queries() as counter:
        page = ListPage("actions")
    qtbot.addWidget(page)
    pages = [q for q in counter.get_queries() if 'FROM "action_item"' in q.msg[0] and "OFFSET" in q.msg[0]]
    assert len(pages) == 1
    model = page.model
    assert (model.sort_key, model.descending) == ("due_date", False)
    header = page.table.horizontalHeader()
    assert model.columns[header.sortIndicatorSection()].title == "Due"
    dates = [a.due_date for a in model.rows if a.due_date is not None]
    assert dates == sorted(dates) and len(dates) > 10


def test_deleted_items_are_read_when_shown(qtbot, demo_db):
    with count_queries() as counter:
        page = DeletedPage()
    qtbot.addWidget(page)
    assert counter.count == 0
    page.refresh()
    assert page.model.sort_key == "updated" and page.model.descending
