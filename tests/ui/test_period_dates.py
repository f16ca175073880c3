"""A due or target date typed as a month, a quarter or a year: stored as that period's last day with
its precision, shown back as typed in the form and the list; a day typed over it is a day again."""

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.test_date_fields import action_page, leave, type_into
from tracker import services
from tracker.dates import Period
from tracker.models import ActionItem, Commitment

DISPLAY = Qt.ItemDataRole.DisplayRole


def list_text(page, record_id, heading):
    """What the list shows for ``record_id`` in the column headed ``heading``."""
    model = page.model
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == heading)
    row = next(r for r in range(model.rowCount()) if model.record(r).id == record_id)
    return model.data(model.index(row, column), DISPLAY)


def stored(model, record_id, name):
    """The date column and its precision as the database holds them."""
    row = model.get_by_id(record_id)
    return row.__data__[name], row.__data__[f"{name}_precision"]


def test_a_quarter_typed_into_the_due_date_is_stored_and_shown_as_the_quarter(window, qtbot, tmp_path):
    page, action, due = action_page(window, qtbot)
    assert "Q2 2019" in due.input.toolTip()
    type_into(qtbot, due.input, "Q2 2019")
    leave(qtbot, due.input)
    assert due.input.text() == "Q2 2019" and not due.error.isVisibleTo(page.editor)
    page.editor.save_button.click()
    assert stored(ActionItem, action.id, "due_date") == (dt.date(2019, 6, 30), "quarter")
    assert services.actions.get(action.id).due_date == Period(dt.date(2019, 6, 30), "quarter")
    assert due.input.text() == "Q2 2019" and not page.editor.dirty
    assert list_text(page, action.id, "Due") == "Q2 2019"
    page.editor.grab().save(str(tmp_path / "form.png"))

    type_into(qtbot, due.input, "mar-19")  # as a partner writes it: shown back as we write it
    leave(qtbot, due.input)
    assert due.input.text() == "Mar 2019"
    page.editor.save_button.click()
    assert stored(ActionItem, action.id, "due_date") == (dt.date(2019, 3, 31), "month")
    assert list_text(page, action.id, "Due") == "Mar 2019"

    type_into(qtbot, due.input, "31/03/2019")  # the same last day typed as a day: a day again
    page.editor.save_button.click()
    assert stored(ActionItem, action.id, "due_date") == (dt.date(2019, 3, 31), None)
    assert due.input.text() == "31/03/2019" and list_text(page, action.id, "Due") == "31/03/2019"


def test_a_period_that_is_not_one_is_refused_at_the_field_and_nothing_is_saved(window, qtbot):
    page, action, due = action_page(window, qtbot)
    before = stored(ActionItem, action.id, "due_date")
    type_into(qtbot, due.input, "Q5 2019")
    leave(qtbot, due.input)
    assert due.error.isVisibleTo(page.editor)
    assert "there is no quarter 5" in due.error.text()
    page.editor.save_button.click()
    assert stored(ActionItem, action.id, "due_date") == before


def test_a_financial_year_target_date_on_a_commitment(window, qtbot):
    page = window.show_view("commitments")
    page.table.setCurrentIndex(page.model.index(0, 0))
    commitment = page.model.record(0)
    target = page.editor.fields["target_date"]
    type_into(qtbot, target.input, "2030/31")
    page.editor.save_button.click()
    assert stored(Commitment, commitment.id, "target_date") == (dt.date(2031, 3, 31), "fy")
    assert target.input.text() == "FY 2030/31" and list_text(page, commitment.id, "Target") == "FY 2030/31"


def test_a_date_made_takes_no_period(window, qtbot):
    page = window.show_view("commitments")
    page.table.setCurrentIndex(page.model.index(0, 0))
    made = page.editor.fields["date_made"]
    type_into(qtbot, made.input, "Mar 2019")
    leave(qtbot, made.input)
    assert made.error.isVisibleTo(page.editor) and "is not a date" in made.error.text()


def test_the_list_shows_periods_and_sorts_them_by_their_last_day(window, qtbot, tmp_path):
    first = services.actions.page(0, 3, sort="due_date")
    periods = ("Mar 2019", "Q2 2019", "2019")
    for action, text in zip(first, periods):
        services.actions.update(action, due_date=services.actions.record["due_date"].parse(text))
    page = window.show_view("actions")
    window.resize(1280, 760)
    page.model.sort(next(c for c in range(page.model.columnCount())
                         if page.model.headerData(c, Qt.Orientation.Horizontal) == "Due"), Qt.SortOrder.AscendingOrder)
    shown = [list_text(page, a.id, "Due") for a in first]
    assert shown == list(periods)
    ends = [services.actions.get(a.id).due_date for a in first]
    assert [d.precision for d in ends] == ["month", "quarter", "year"]
    page.table.setCurrentIndex(page.model.index(0, 0))
    window.grab().save(str(tmp_path / "actions-with-periods.png"))
