"""Table models: valid Qt models, SQL-side search/filter/sort, paged reading, colour and text."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tracker import services
from ui.columns import RED
from ui.models import BACKGROUND, DISPLAY, PAGE, RecordTableModel


@pytest.mark.parametrize("kind", ["stakeholders", "events", "commitments", "actions"])
@pytest.mark.parametrize("deleted", [False, True])
def test_every_model_passes_the_model_tester(qtmodeltester, demo_db, kind, deleted):
    if deleted:
        service = RecordTableModel(kind).service
        for rec in service.page(0, 2):
            service.delete(rec)
    model = RecordTableModel(kind, deleted=deleted)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_the_count_is_known_and_rows_are_read_a_page_at_a_time_where_asked(db):
    from playhouse.test_utils import count_queries

    for i in range(PAGE + 30):
        services.actions.create(title=f"Action {i:04d}")
    model = RecordTableModel("actions", sort="title")
    assert model.rowCount() == model.total == PAGE + 30 and len(model.rows) == PAGE
    with count_queries() as counter:
        last = model.data(model.index(PAGE + 29, 1), DISPLAY)
    assert last == f"Action {PAGE + 29:04d}" and counter.count == 2  # which ids, then their rows
    assert model.complete and [r.title for r in model.rows] == [f"Action {i:04d}" for i in range(PAGE + 30)]


def test_sort_and_filter_happen_in_the_query(demo_db):
    model = RecordTableModel("actions")
    due = model.columns.index(next(c for c in model.columns if c.title == "Due"))
    model.sort(due, Qt.SortOrder.DescendingOrder)
    dates = [a.due_date for a in model.rows if a.due_date]
    assert dates == sorted(dates, reverse=True)
    model.set_query(filters={"overdue": True})
    assert model.total == services.actions.count(filters={"overdue": True}) > 0
    assert all(a.due_date < dt.date.today() for a in model.rows)
    word = max(model.rows[0].title.split(), key=len)  # searched within the filter: a word of an overdue action
    model.set_query(search=word)
    assert model.total and all(word.lower() in f"{a.title} {a.description}".lower() for a in model.rows)
    assert all(a.due_date < dt.date.today() for a in model.rows)


def test_status_and_rag_have_colour_and_text(demo_db):
    model = RecordTableModel("actions")
    model.set_query(filters={"overdue": True})
    status = [c.title for c in model.columns].index("Status")
    index = model.index(0, status)
    assert model.data(index, DISPLAY).endswith("(overdue)")
    assert model.data(index, BACKGROUND) == RED
    commitments = RecordTableModel("commitments")
    rag = [c.title for c in commitments.columns].index("RAG")
    texts = {commitments.data(commitments.index(r, rag), DISPLAY) for r in range(commitments.rowCount())}
    assert texts <= {"Red", "Amber", "Green", ""} and texts & {"Red", "Amber", "Green"}
    assert model.headerData(0, Qt.Orientation.Horizontal, DISPLAY) == "Ref"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None


@pytest.mark.parametrize("kind", ["stakeholders", "events", "commitments", "actions"])
def test_showing_a_batch_costs_a_fixed_number_of_queries(demo_db, kind):
    from playhouse.test_utils import count_queries

    with count_queries() as counter:
        model = RecordTableModel(kind)
        cells = [model.data(model.index(r, c), role)
                 for r in range(min(model.rowCount(), PAGE)) for c in range(model.columnCount())
                 for role in (DISPLAY, BACKGROUND)]
    assert len(cells) > 20
    assert counter.count <= 5  # count, the page's ids and rows, and per page at most councils and rolled-up RAG


def test_a_refresh_that_fails_still_ends_the_reset(demo_db, qtlog, monkeypatch):
    # A busy or damaged database fails mid-refresh; the view must not be left inside a model reset.
    from tracker.errors import DatabaseBusyError

    model = RecordTableModel("actions")
    resets = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))

    def busy(**query):
        raise DatabaseBusyError("The database is busy.")

    with monkeypatch.context() as patched:
        patched.setattr(model.service, "count", busy)
        with pytest.raises(DatabaseBusyError):
            model.refresh()
    assert resets == [0] and model.total == model.rowCount() == 0 and model.rows == []
    model.refresh()
    assert resets[-1] == model.rowCount() > 0
    assert not [r for r in qtlog.records if "ResetModel" in r.message]


def test_a_page_that_cannot_be_read_shows_empty_rows_says_so_once_and_is_read_later(qtbot, db, monkeypatch,
                                                                                     no_blocking_dialogs):
    from tracker.errors import DatabaseBusyError
    from ui import models

    for i in range(3 * PAGE):
        services.actions.create(title=f"Action {i:04d}")
    model = RecordTableModel("actions", sort="title")
    real = model.service.window

    def busy(*args, **kwargs):
        raise DatabaseBusyError("The database is busy.")

    monkeypatch.setattr(models, "RETRY_MS", 50)
    monkeypatch.setattr(model.service, "window", busy)
    last = model.index(3 * PAGE - 1, 1)
    assert model.data(last, DISPLAY) is None and model.data(model.index(3 * PAGE - 2, 1), DISPLAY) is None
    qtbot.waitUntil(lambda: len(no_blocking_dialogs["messages"]) + len(no_blocking_dialogs["errors"]) == 1)
    qtbot.wait(120)  # a retry or two fail: still said only once
    assert model.data(last, DISPLAY) is None
    monkeypatch.setattr(model.service, "window", real)
    qtbot.waitUntil(lambda: model.data(last, DISPLAY) == f"Action {3 * PAGE - 1:04d}")  # asked again later
    assert len(no_blocking_dialogs["messages"]) + len(no_blocking_dialogs["errors"]) == 1
