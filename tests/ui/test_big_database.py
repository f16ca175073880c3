"""The main window on a 100,000-action database: the list shows rows and filters correctly."""

import datetime as dt
import uuid

import pytest
from PySide6.QtCore import Qt

from tracker import services
from tracker.db import database
from tracker.models import utcnow

pytestmark = pytest.mark.slow  # 100,000 rows to write and show

N_ACTIONS = 100_000
STATUSES = ("open", "in_progress", "blocked", "done", "cancelled")


@pytest.fixture
def big_db(db):
    owners = [services.stakeholders.create(name=f"Owner {i:02d}", kind="person", sector="police") for i in range(21)]
    councils = services.councils.all_councils()
    today = dt.date.today()
    now = utcnow()
    rows = []
    for i in range(N_ACTIONS):
        rows.append((uuid.uuid4().hex, now, now, 1, f"BD-A{i + 1:06d}", f"Action {i}", "",
                     owners[i % len(owners)].id, councils[i % len(councils)].id,
                     today + dt.timedelta(days=(i % 400) - 200), "medium", STATUSES[i % len(STATUSES)]))
    conn = database.connection()
    with database.atomic():
        conn.executemany(
            "INSERT INTO action_item (uuid, created_at, updated_at, version, reference, title, description, "
            "owner_id, council_id, due_date, priority, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    return {"owners": owners, "councils": councils}


def test_actions_list_on_100k_actions(qtbot, big_db):
    from ui.mainwindow import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    page = window.show_view("actions")
    model = page.model
    assert model.total == N_ACTIONS
    assert model.rowCount() == N_ACTIONS and 0 < len(model.rows) < N_ACTIONS  # counted; one page read
    assert page.count_label.text() == "100,000 actions"

    owner = big_db["owners"][3]
    page.filter_widget("owner").set_value(owner)
    assert model.total == len(range(3, N_ACTIONS, 21))
    assert all(a.owner_id == owner.id for a in model.rows)

    page.filter_widget("status").set_value("blocked")
    assert model.total == services.actions.count(filters={"owner": owner, "status": "blocked"}) > 0
    assert {a.status for a in model.rows} == {"blocked"}

    page.filter_widget("owner").set_value(None)
    page.filter_widget("status").set_value(None)
    page.filter_widget("overdue").setChecked(True)
    expected = services.actions.count(filters={"overdue": True})
    assert model.total == expected and 0 < expected < N_ACTIONS
    assert all(a.due_date < dt.date.today() and a.status not in ("done", "cancelled") for a in model.rows)

    page.filter_widget("overdue").setChecked(False)
    page.search.setText("bd-a054321")
    qtbot.waitUntil(lambda: model.search == "bd-a054321")
    assert [(a.reference, a.title) for a in model.rows] == [("BD-A054321", "Action 54320")]

    page.search.clear()
    qtbot.waitUntil(lambda: model.total == N_ACTIONS)
    status_column = [c.title for c in model.columns].index("Status")
    page.table.sortByColumn(status_column, Qt.SortOrder.DescendingOrder)
    assert model.sort_key == "status" and model.descending
    assert model.rows[0].status == max(STATUSES)
    last = model.record(N_ACTIONS - 1)  # the last page, read from the list's end
    assert last.status == min(STATUSES) and len(model.rows) < 3 * 200
