"""No stand-in dates: 01/01/1990..31/12/2100 holds for every way a date reaches the database.

The typed fields refuse an out-of-range text through ``tracker.dates``; these tests cover the
other ways in: the services (the app's editors, the command, the demo) and the exchange reader
(a real date cell or a text date in a shared workbook).
"""

import datetime as dt

import openpyxl
import pytest

from tests.tracker.exchange_helpers import dump, make_records
from tracker import services
from tracker.db import close_database
from tracker.errors import ValidationError
from tracker.exchange import export_workbook, import_workbook
from tracker.opening import open_database

RANGE = "must be between 01/01/1990 and 31/12/2100"
OLD_SENTINEL = dt.date(1900, 1, 15)  # what the old date box let through
TOO_LATE = dt.date(2101, 1, 1)


@pytest.fixture
def org(db):
    return services.stakeholders.create(name="Ben Kinsella Trust", sector="voluntary")


@pytest.mark.parametrize("day", [OLD_SENTINEL, dt.date(1989, 12, 31), TOO_LATE])
def test_services_refuse_a_date_outside_the_range_at_its_field(org, day):
    with pytest.raises(ValidationError) as info:
        services.events.create(title="Summit", kind="summit", date=day)
    assert info.value.errors == {"date": RANGE}
    with pytest.raises(ValidationError) as info:
        services.commitments.create(title="Knife bins", made_by=org, date_made=day, target_date=day)
    assert info.value.errors == {"date_made": RANGE, "target_date": RANGE}
    with pytest.raises(ValidationError) as info:
        services.actions.create(title="Book the venue", owner=org, due_date=day)
    assert info.value.errors == {"due_date": RANGE}
    with pytest.raises(ValidationError) as info:
        services.updates.add(org, "Met the lead", date=day)
    assert info.value.errors == {"date": RANGE}
    assert services.stats()["events"] == services.stats()["commitments"] == services.stats()["actions"] == 0


def test_an_edit_cannot_store_one_and_the_ends_are_allowed(org):
    action = services.actions.create(title="Book the venue", owner=org, due_date=dt.date(1990, 1, 1))
    with pytest.raises(ValidationError) as info:
        services.actions.update(action, due_date=OLD_SENTINEL)
    assert info.value.errors == {"due_date": RANGE}
    assert services.actions.get(action.id).due_date == dt.date(1990, 1, 1)
    assert services.actions.update(action, due_date=dt.date(2100, 12, 31)).due_date == dt.date(2100, 12, 31)
    with pytest.raises(ValidationError, match="Row 2 of 2"):
        services.actions.create_many([{"title": "Fine", "owner": org},
                                      {"title": "Sentinel", "owner": org, "due_date": OLD_SENTINEL}])


@pytest.fixture
def shared(db, db_path, tmp_path):
    services.set_actor("Officer", "Havering")
    make_records()
    out = export_workbook(tmp_path / "share.xlsx").path
    close_database()
    return out


@pytest.mark.parametrize("sheet, column, value, shown", [
    ("Actions", "Due date", OLD_SENTINEL, "'15/01/1900'"),  # a real date cell
    ("Events", "Date", dt.datetime(2101, 1, 1), "'01/01/2101'"),  # a date-time cell
    ("Commitments", "Target date", "15/01/1900", "'15/01/1900'"),  # text
    ("Updates", "Date", "1/1/1900", "'1/1/1900'"),
])
def test_the_reader_refuses_one_as_a_row_problem(shared, db_path, tmp_path, sheet, column, value, shown):
    wb = openpyxl.load_workbook(shared)
    ws = wb[sheet]
    ws.cell(row=2, column=[c.value for c in ws[1]].index(column) + 1).value = value
    path = tmp_path / "sentinel.xlsx"
    wb.save(path)
    before = dump(db_path)
    open_database(db_path)
    try:
        report = import_workbook(path)
    finally:
        close_database()
    assert not report.applied and report.rejected >= 1
    assert f"sheet {sheet}, row 2, column {column}: {shown} {RANGE}" in report.refused
    assert dump(db_path) == before
