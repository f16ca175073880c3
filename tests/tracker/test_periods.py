"""Dates written as a month, a quarter or a year ("Mar 2019", "Q2 2019", "2019", "FY 2019/20"): read by the
one parser, stored as the period's last day with its precision, shown as written everywhere (the registry,
reports, the exchange workbook, a partner's table), due on that last day."""

import datetime as dt
import json
import pickle
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from tests.tracker.exchange_helpers import council_db, edit_cells
from tests.tracker.postgres_helpers import fresh_postgres_database, needs_postgres
from tests.tracker.table_import_helpers import run, workbook
from tracker import migrations, records, services
from tracker.dates import (DateError, Period, as_period, date_from_stored, format_uk_date, parse_uk_date,
                           parse_uk_period, stored_date)
from tracker.cli import main
from tracker.db import close_database, database
from tracker.exchange import export_workbook, import_workbook
from tracker.models import ActionItem, AuditEntry, Commitment, period_fields
from tracker.opening import open_database
from tracker.reports import action_log, commitment_register
from tracker.reports.xlsx import write_report
from tracker.services import exchange as store
from tracker.services import imports
from tracker.services.actions import action_rag, days_overdue

DATA = Path(__file__).parent.parent / "data"
MAR_31, JUN_30, DEC_31 = dt.date(2019, 3, 31), dt.date(2019, 6, 30), dt.date(2019, 12, 31)
DUE = records.ACTION["due_date"]
TARGET = records.COMMITMENT["target_date"]


def period(text):
    return parse_uk_date(text, periods=True)


# ---- the parser ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, last_day, precision, shown", [
    ("Mar-19", MAR_31, "month", "Mar 2019"),
    ("Mar 2019", MAR_31, "month", "Mar 2019"),
    ("March 2019", MAR_31, "month", "Mar 2019"),
    ("march 19", MAR_31, "month", "Mar 2019"),
    ("Mar. 2019", MAR_31, "month", "Mar 2019"),
    ("Mar '19", MAR_31, "month", "Mar 2019"),
    ("March, 2019", MAR_31, "month", "Mar 2019"),
    ("end of March 2019", MAR_31, "month", "Mar 2019"),
    ("End March 2019", MAR_31, "month", "Mar 2019"),
    ("03/2019", MAR_31, "month", "Mar 2019"),
    ("2019-03", MAR_31, "month", "Mar 2019"),
    ("Feb 2024", dt.date(2024, 2, 29), "month", "Feb 2024"),  # a leap year's February
    ("Sept 2019", dt.date(2019, 9, 30), "month", "Sep 2019"),
    ("Q2 2019", JUN_30, "quarter", "Q2 2019"),
    ("Q2 19", JUN_30, "quarter", "Q2 2019"),
    ("q2-2019", JUN_30, "quarter", "Q2 2019"),
    ("2019 Q2", JUN_30, "quarter", "Q2 2019"),
    ("2019-Q2", JUN_30, "quarter", "Q2 2019"),
    ("Q1 2019", MAR_31, "quarter", "Q1 2019"),
    ("Q4 2019", DEC_31, "quarter", "Q4 2019"),
    ("2019", DEC_31, "year", "2019"),
    (" 2019 ", DEC_31, "year", "2019"),
    ("FY 2019/20", dt.date(2020, 3, 31), "fy", "FY 2019/20"),
    ("2019/20", dt.date(2020, 3, 31), "fy", "FY 2019/20"),
    ("2019-20", dt.date(2020, 3, 31), "fy", "FY 2019/20"),
    ("FY19/20", dt.date(2020, 3, 31), "fy", "FY 2019/20"),
    ("2019/2020", dt.date(2020, 3, 31), "fy", "FY 2019/20"),
    ("FY 2099/00", dt.date(2100, 3, 31), "fy", "FY 2099/00"),
    ("Jan 1990", dt.date(1990, 1, 31), "month", "Jan 1990"),  # the bounds: the period's last day in range
    ("Dec 2100", dt.date(2100, 12, 31), "month", "Dec 2100"),
    ("2100", dt.date(2100, 12, 31), "year", "2100"),
])
def test_every_written_period_is_its_last_day_and_shown_as_we_write_it(text, last_day, precision, shown):
    value = period(text)
    assert isinstance(value, Period) and value.precision == precision
    assert value.last_day == last_day and value.isoformat() == last_day.isoformat()
    assert format_uk_date(value) == shown == DUE.show(value)
    assert period(shown) == value == parse_uk_period(text)  # what is shown reads back as itself
    assert date_from_stored(stored_date(value)) == value


@pytest.mark.parametrize("text, reason", [
    ("Q5 2019", "is not a real date (there is no quarter 5: Q1 to Q4)"),
    ("Q0 2019", "there is no quarter 0"),
    ("13/2019", "is not a real date (there is no month 13)"),
    ("2019-13", "is not a financial year"),  # no month 13: read as a financial year, which it is not either
    ("2019/21", "is not a financial year (write it as 2019/20 for April 2019 to March 2020)"),
    ("end of March", "has no year (write it as Mar 2019 or end of March 2019)"),
    ("March", "is not a date"),
    ("Q2 2019/20", "is a quarter of a financial year: write the calendar quarter (Q3 2019 for July to September"),
    ("Smarch 2019", "is not a date (type it as 16/01/2019 or 16 Jan 2019, or a period: Mar 2019, Q2 2019, 2019"),
    ("1989", "must be between 01/01/1990 and 31/12/2100"),
    ("Dec 1989", "must be between 01/01/1990 and 31/12/2100"),
    ("2101", "must be between 01/01/1990 and 31/12/2100"),
    ("Q1 2101", "must be between"),
    ("FY 2100/01", "must be between"),
    ("20190", "is not a date"),
    ("Mar 2019 or so", "is not a date"),
])
def test_a_period_that_is_not_one_is_refused_with_one_sentence(text, reason):
    with pytest.raises(DateError) as refused:
        period(text)
    assert refused.value.reason.startswith(reason) or reason in refused.value.reason
    assert str(refused.value) == f"{text.strip()!r} {refused.value.reason}"
    assert "\n" not in str(refused.value)


def test_a_day_is_still_a_day_and_a_field_without_periods_refuses_one():
    assert period("31/03/2019") == MAR_31 and type(period("31/03/2019")) is dt.date
    with pytest.raises(DateError, match="is not a date"):
        parse_uk_date("Mar 2019")  # periods are asked for: a date made or an event's date is a day
    assert parse_uk_period("16/01/2019") is None  # not written as a period: the caller reads it as a day
    with pytest.raises(records.FieldError, match="is not a date"):
        records.COMMITMENT["date_made"].parse("Mar 2019")
    assert records.COMMITMENT["date_made"].problem(period("Mar 2019")) == "must be a day, not a month, quarter or year"


def test_a_period_is_a_date_that_sorts_and_falls_due_on_its_last_day():
    march = period("Mar 2019")
    assert march != MAR_31 and MAR_31 != march and march == period("March 2019")  # another value than the day
    assert len({march, MAR_31, period("Mar-19")}) == 2
    assert sorted([dt.date(2019, 4, 1), march, dt.date(2019, 3, 30)]) == [dt.date(2019, 3, 30), march,
                                                                            dt.date(2019, 4, 1)]
    assert march < dt.date(2019, 4, 1) and not march < MAR_31
    assert type(march + dt.timedelta(days=1)) is dt.date and march + dt.timedelta(days=1) == dt.date(2019, 4, 1)
    assert dt.date(2019, 4, 5) - march == dt.timedelta(days=5) and march - MAR_31 == dt.timedelta(0)
    assert pickle.loads(pickle.dumps(march)) == march and march.replace(day=1) == dt.date(2019, 3, 1)
    # "Mar 2019" is due on 31 March: overdue (and red) from 1 April, not before
    assert days_overdue(march, "open", today=MAR_31) == 0 and action_rag(march, "open", today=MAR_31) == "A"
    assert days_overdue(march, "open", today=dt.date(2019, 4, 1)) == 1
    assert action_rag(march, "open", today=dt.date(2019, 4, 1)) == "R"
    assert as_period(dt.date(2019, 3, 30), "month") == dt.date(2019, 3, 30)  # a precision that does not fit: a day
    assert as_period(MAR_31, None) is MAR_31 and as_period(None, "month") is None


# ---- the registry ------------------------------------------------------------------------------------------
def test_the_registry_reads_and_shows_a_period_in_the_fields_that_take_one():
    assert [f.name for k in records.KINDS for f in k.fields if f.periods] == ["target_date", "due_date"]
    assert DUE.parse("Q2 2019") == Period(JUN_30, "quarter") and DUE.show(DUE.parse("q2 19")) == "Q2 2019"
    assert TARGET.parse("FY 2019/20").precision == "fy"
    assert DUE.parse("30/06/2019") == JUN_30 and DUE.show(JUN_30) == "30/06/2019"
    assert DUE.show("2019-Q2") == "Q2 2019" and DUE.show("2019-06-30") == "30/06/2019"  # the stored form
    assert DUE.problem(DUE.parse("Q2 2019")) is None
    with pytest.raises(records.FieldError) as refused:
        DUE.parse("Q5 2019")
    assert refused.value.reason == "is not a real date (there is no quarter 5: Q1 to Q4)"


def test_the_target_date_rule_compares_a_period_by_its_last_day(db):
    rules = records.COMMITMENT.rules
    made = {"date_made": dt.date(2019, 6, 1)}
    assert [r.reason({**made, "target_date": period("2019")}) for r in rules] == [None]
    assert [r.reason({**made, "target_date": "2019"}) for r in rules] == [None]  # stored text, as the exchange
    assert [r.reason({**made, "target_date": "2019-Q1"}) for r in rules] == [
        "is before the date the commitment was made"]


# ---- storage ---------------------------------------------------------------------------------------------
def stored(model, record_id, name):
    return tuple(database.execute_sql(f'SELECT "{name}", "{name}_precision" FROM "{model._meta.table_name}" '
                                      f'WHERE id = {database.param}', (record_id,)).fetchone())


def as_day(value):
    return value if isinstance(value, str) else value.isoformat()


def round_trip(services_):
    """Create, update, create_many and update_many with periods; what the database holds after each."""
    action = services_.actions.create(title="Venues", due_date=period("Mar 2019"))
    seen = [stored(ActionItem, action.id, "due_date")]
    action = services_.actions.update(action, due_date=period("Q2 2019"), expected_version=action.version)
    seen.append(stored(ActionItem, action.id, "due_date"))
    assert services_.actions.get(action.id).due_date == Period(JUN_30, "quarter")
    action = services_.actions.update(action, due_date=JUN_30)  # the same last day, typed as a day
    seen.append(stored(ActionItem, action.id, "due_date"))
    assert services_.actions.update(action, due_date=JUN_30).version == action.version  # no change: no write
    [made] = services_.actions.create_many([{"title": "Hall", "due_date": period("2019")}])
    hall = services_.actions.get(made)
    seen.append(stored(ActionItem, hall.id, "due_date"))
    [hall] = services_.actions.update_many([(hall, {"due_date": period("FY 2019/20")})])
    seen.append(stored(ActionItem, hall.id, "due_date"))
    assert services_.actions.get(hall.id).due_date == period("FY 2019/20") and hall.due_date == period("2019/20")
    return [(as_day(d), p) for d, p in seen]


EXPECTED = [("2019-03-31", "month"), ("2019-06-30", "quarter"), ("2019-06-30", None), ("2019-12-31", "year"),
            ("2020-03-31", "fy")]


def test_a_period_is_stored_as_its_last_day_and_its_precision_and_audited_as_written(db):
    services.set_actor("officer", "Havering")
    assert round_trip(services) == EXPECTED
    trail = [(e.field, e.old_value, e.new_value) for e in AuditEntry.select().where(AuditEntry.field == "due_date")
             .order_by(AuditEntry.id)]
    assert trail == [("due_date", "2019-03", "2019-Q2"), ("due_date", "2019-Q2", "2019-06-30"),
                     ("due_date", "2019", "FY2019-20")]
    creation = json.loads(AuditEntry.select().where(AuditEntry.operation == "create").order_by(AuditEntry.id)
                          .first().new_value)
    assert creation["due_date"] == "2019-03"
    # the lists, the overdue filter and sorting use the last day: a "Mar 2019" action is overdue after it
    overdue = {a.title for a in services.actions.page(0, 10, filters={"overdue": True})}
    assert overdue == {"Venues", "Hall"}
    commitment = services.commitments.create(
        title="Safe spaces", made_by=services.stakeholders.create(name="Trust", kind="organisation"),
        date_made=dt.date(2019, 1, 16), target_date=period("Q3 2019"))
    assert stored(Commitment, commitment.id, "target_date") == ("2019-09-30", "quarter")
    assert services.commitments.get(commitment.id).target_date.precision == "quarter"


def test_each_precision_column_is_read_after_its_date():
    """A row read from the database sets its fields in the select's order, and setting a date resets its
    precision: the precision column must come after its date in every model select (declared right after)."""
    for model in (ActionItem, Commitment):
        names = [f.name for f in model._meta.sorted_fields]
        for name, f in period_fields(model).items():
            assert names[names.index(name) + 1] == f.precision


def test_a_database_from_before_periods_is_upgraded_keeping_every_date_as_a_day(tmp_path):
    path = tmp_path / "v5.db"
    con = sqlite3.connect(path)
    con.executescript((DATA / "schema_v5_periods.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    assert migrations.schema_version(database.obj) == migrations.LATEST_VERSION >= 6
    actions = {a.title: a for a in services.actions.query()}
    assert actions["Open two venues"].due_date == JUN_30 and type(actions["Open two venues"].due_date) is dt.date
    assert actions["Book the hall"].due_date is None
    assert stored(ActionItem, actions["Open two venues"].id, "due_date") == ("2019-06-30", None)
    assert services.commitments.query().get().target_date == dt.date(2020, 3, 31)
    assert services.check() == []
    services.set_actor("officer", "Havering")
    services.actions.update(actions["Book the hall"], due_date=period("Q2 2019"))
    assert stored(ActionItem, actions["Book the hall"].id, "due_date") == ("2019-06-30", "quarter")
    close_database()


# ---- reports -----------------------------------------------------------------------------------------------
def test_reports_show_the_period_and_write_it_as_a_real_date_in_its_own_format(db, tmp_path):
    services.set_actor("officer", "Havering")
    trust = services.stakeholders.create(name="Trust", kind="organisation")
    services.commitments.create(title="Workshops", made_by=trust, date_made=dt.date(2019, 1, 16),
                                target_date=period("FY 2019/20"))
    for title, due in (("Month", "Mar 2019"), ("Quarter", "Q2 2019"), ("Year", "2019"), ("Day", "16/01/2019")):
        services.actions.create(title=title, due_date=period(due))
    log = action_log(today=dt.date(2019, 4, 1))
    due_column = next(c for c in log.columns if c.key == "due_date")
    shown = {r["title"]: log.cell_text(r, due_column) for r in log.rows}
    assert shown == {"Month": "Mar 2019", "Quarter": "Q2 2019", "Year": "2019", "Day": "16/01/2019"}
    overdue = {r["title"]: r["days_overdue"] for r in log.rows}
    assert overdue == {"Month": 1, "Quarter": None, "Year": None, "Day": 75}
    path = write_report(log, tmp_path / "log.xlsx")
    ws = openpyxl.load_workbook(path)["Action log"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Reference")
    column = [c.value for c in header].index(records.ACTION["due_date"].title)
    cells = {r[1].value: r[column] for r in ws.iter_rows(min_row=header[0].row + 1) if r[1].value}
    assert {t: (c.value.date(), c.number_format) for t, c in cells.items()} == {
        "Month": (MAR_31, "mmm yyyy"), "Quarter": (JUN_30, '"Q2" yyyy'), "Year": (DEC_31, "yyyy"),
        "Day": (dt.date(2019, 1, 16), "dd/mm/yyyy")}
    register = commitment_register()
    target = next(c for c in register.columns if c.key == "target_date")
    assert register.cell_text(register.rows[0], target) == "FY 2019/20"
    ws = openpyxl.load_workbook(write_report(register, tmp_path / "register.xlsx"))["Commitment register"]
    assert any(c.number_format == '"FY 2019/"yy' and c.value.date() == dt.date(2020, 3, 31)
               for row in ws.iter_rows() for c in row if c.value is not None and hasattr(c.value, "date"))


# ---- the exchange workbook ---------------------------------------------------------------------------------
def test_the_exchange_writes_a_period_as_written_and_reads_it_back(tmp_path):
    with council_db(tmp_path / "hav.db", "Havering"):
        trust = services.stakeholders.create(name="Trust", kind="organisation")
        services.commitments.create(title="Workshops", made_by=trust, date_made=dt.date(2019, 1, 16),
                                    target_date=period("Q3 2019"))
        for title, due in (("Month", "Mar 2019"), ("Year", "2019"), ("FY", "2019/20"), ("Day", "30/06/2019")):
            services.actions.create(title=title, due_date=period(due))
        services.actions.create(title="None")
        export_workbook(tmp_path / "hav.xlsx")
        hav = {a.title: a.due_date for a in services.actions.query()}
    wb = openpyxl.load_workbook(tmp_path / "hav.xlsx")
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows() if r[0].value}
    assert about["Format version"] == 3
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    cells = {r[header.index("Title")].value: r[header.index("Due date")].value for r in ws.iter_rows(min_row=2)}
    assert cells == {"Month": "Mar 2019", "Year": "2019", "FY": "FY 2019/20",
                     "Day": dt.datetime(2019, 6, 30), "None": None}  # a day stays a real date cell
    with council_db(tmp_path / "red.db", "Redbridge"):
        assert import_workbook(tmp_path / "hav.xlsx").added == 7
        assert {a.title: a.due_date for a in services.actions.query()} == hav
        assert services.commitments.query().get().target_date == Period(dt.date(2019, 9, 30), "quarter")
        again = import_workbook(tmp_path / "hav.xlsx")
        assert (again.added, again.updated, again.conflicts, again.unchanged) == (0, 0, 0, 7)
        # a manager retypes a period in the spreadsheet: a day over a month, a quarter over a day
        month = next(a for a in services.actions.query() if a.title == "Month")
        day = next(a for a in services.actions.query() if a.title == "Day")
        edited = edit_cells(tmp_path / "hav.xlsx", tmp_path / "edited.xlsx",
                            [("Actions", month.uuid, "Due date", "15/03/2019"),
                             ("Actions", day.uuid, "Due date", "Q2 19")])
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (2, 0)
        assert services.actions.get(month.id).due_date == dt.date(2019, 3, 15)
        assert services.actions.get(day.id).due_date == Period(JUN_30, "quarter")
        assert stored(ActionItem, day.id, "due_date") == ("2019-06-30", "quarter")
        bad = edit_cells(tmp_path / "hav.xlsx", tmp_path / "bad.xlsx", [("Actions", month.uuid, "Due date", "Q5 19")])
        before = store.load_state().tables["action_item"].records[month.uuid.hex].values
        refused = import_workbook(bad, dry_run=True)
        assert any("'Q5 19' is not a real date (there is no quarter 5" in d.message for d in refused.details)
        assert store.load_state().tables["action_item"].records[month.uuid.hex].values == before


def test_a_day_keeps_the_content_hash_it_had_before_periods(tmp_path):
    """Stored bases are hashes of the content: a day's stored form must not change, or every record would
    look changed since the last exchange."""
    with council_db(tmp_path / "hav.db", "Havering"):
        services.actions.create(title="Day", due_date=JUN_30)
        services.actions.create(title="Quarter", due_date=period("Q2 2019"))
        state = store.load_state(["action_item"])
        at = store.BY_TABLE["action_item"].at["due_date"]
        values = {r.values[store.BY_TABLE["action_item"].at["title"]]: r.values[at]
                  for r in state.tables["action_item"].records.values()}
    assert values == {"Day": "2019-06-30", "Quarter": "2019-Q2"}


def test_a_format_2_workbook_from_before_periods_still_imports(tmp_path):
    """tests/data/exchange_format2.xlsx was exported by the app before this change (tests/data/README.md)."""
    old = DATA / "exchange_format2.xlsx"
    about = {r[0].value: r[1].value for r in openpyxl.load_workbook(old)["About"].iter_rows() if r[0].value}
    assert about["Format version"] == 2
    with council_db(tmp_path / "red.db", "Redbridge"):
        report = import_workbook(old)
        assert report.added == 4
        due = {a.title: a.due_date for a in services.actions.query()}
        assert due == {"Open two venues": JUN_30, "Book the hall": None}
        assert type(due["Open two venues"]) is dt.date
        assert services.commitments.query().get().target_date == dt.date(2020, 3, 31)
        assert import_workbook(old).unchanged == 4


# ---- a partner's table ---------------------------------------------------------------------------------------
def test_a_partners_sheet_with_period_cells_stores_each_period_and_undo_puts_it_back(db, tmp_path):
    services.set_actor("officer", "Havering")
    rows = [["Action", "Due", "Status"],
            ["Month", "Mar-19", "Not started"], ["Words", "end of March 2019", "Not started"],
            ["Quarter", "Q2 19", "On track"], ["Year", 2019, "On track"], ["Text year", "2019", "On track"],
            ["FY", "FY 2019/20", "Not started"], ["Day", "16/01/2019", "Complete"], ["TBC", "TBC", "Not started"]]
    plan, _ = run(workbook(tmp_path / "log.xlsx", {"Log": rows}), kind="actions")
    assert not plan.problems and plan.as_json()["dates"] == {"Due": "day-first"}  # one d/m/y value: 16/01
    periods_only = run(workbook(tmp_path / "p.xlsx", {"Log": [rows[0], rows[1], rows[3]]}), kind="actions",
                       dry_run=True)[0]
    assert periods_only.as_json()["dates"] == {"Due": "day-first"}  # nothing to decide: not flagged
    got = {a.title: stored(ActionItem, a.id, "due_date") for a in services.actions.query()}
    assert got == {"Month": ("2019-03-31", "month"), "Words": ("2019-03-31", "month"),
                   "Quarter": ("2019-06-30", "quarter"), "Year": ("2019-12-31", "year"),
                   "Text year": ("2019-12-31", "year"), "FY": ("2020-03-31", "fy"), "Day": ("2019-01-16", None),
                   "TBC": (None, None)}
    shown = {a.title: DUE.show(a.due_date) for a in services.actions.query()}
    assert shown["Month"] == "Mar 2019" and shown["Year"] == "2019" and shown["FY"] == "FY 2019/20"
    assert "Due: TBC" in services.actions.query().where(ActionItem.title == "TBC").get().description
    assert "Mar-19" not in services.actions.query().where(ActionItem.title == "Month").get().description

    again, _ = run(workbook(tmp_path / "log.xlsx", {"Log": rows}), kind="actions")  # the same file: no change
    assert (again.counts()["added"], again.counts()["updated"]) == (0, 0)

    changed = [rows[0], ["Month", "Q2 2019", "Not started"], ["Day", "Apr 2019", "Complete"]]
    preview, _ = run(workbook(tmp_path / "later.xlsx", {"Log": changed}), kind="actions", on_match="update",
                     dry_run=True)
    shown = {r["name"]: r["changes"] for r in preview.as_json()["records"]}
    assert shown == {"Month": {"due_date": ["Mar 2019", "Q2 2019"]}, "Day": {"due_date": ["16/01/2019", "Apr 2019"]}}
    before = {a.title: stored(ActionItem, a.id, "due_date") for a in services.actions.query()}
    _, import_id = run(workbook(tmp_path / "later.xlsx", {"Log": changed}), kind="actions", on_match="update")
    assert stored(ActionItem, services.actions.query().where(ActionItem.title == "Day").get().id, "due_date") == \
        ("2019-04-30", "month")
    imports.undo_import(import_id)
    assert {a.title: stored(ActionItem, a.id, "due_date") for a in services.actions.query()} == before


def test_a_period_in_a_date_made_column_is_its_last_day_with_the_words_kept(db, tmp_path):
    rows = [["Partner", "Commitment", "Date made", "Target date"],
            ["Ben Kinsella Trust", "Workshops in schools", "Jan 2019", "Q3 2019"]]
    plan, _ = run(workbook(tmp_path / "c.xlsx", {"Commitments": rows}), kind="commitments")
    assert not plan.problems
    c = services.commitments.query().get()
    assert type(c.date_made) is dt.date and c.date_made == dt.date(2019, 1, 31) and "Jan 2019" in c.description
    assert c.target_date == Period(dt.date(2019, 9, 30), "quarter")


@needs_postgres
def test_periods_round_trip_on_postgres():
    """The same storage on PostgreSQL (a DATE column and a VARCHAR beside it), written row by row and in bulk,
    read back by the list's query, the report's and the exchange's."""
    fresh_postgres_database()
    try:
        services.set_actor("officer", "Havering")
        assert round_trip(services) == EXPECTED
        assert [a.due_date for a in services.actions.page(0, 10, sort="due_date")] == [
            dt.date(2019, 6, 30), Period(dt.date(2020, 3, 31), "fy")]
        assert {r["title"]: r["due_date"] for r in services.actions.report_rows()} == {
            "Venues": dt.date(2019, 6, 30), "Hall": period("FY 2019/20")}
        at = store.BY_TABLE["action_item"].at["due_date"]
        assert sorted(r.values[at] for r in store.load_state(["action_item"]).tables["action_item"].records.values()) \
            == ["2019-06-30", "FY2019-20"]
    finally:
        close_database()


def test_the_command_shows_a_period_as_written(tmp_path, capsys):
    with council_db(tmp_path / "hav.db", "Havering"):
        action = services.actions.create(title="Venues", due_date=period("Mar 2019"))
        export_workbook(tmp_path / "before.xlsx")
        services.actions.update(action, due_date=period("Q2 2019"))
        export_workbook(tmp_path / "after.xlsx")
    red = str(tmp_path / "red.db")
    assert main(["--db", red, "init"]) == 0
    assert main(["--db", red, "import-workbook", str(tmp_path / "before.xlsx")]) == 0
    capsys.readouterr()
    assert main(["--db", red, "import-workbook", str(tmp_path / "after.xlsx"), "--dry-run"]) == 0
    assert "Due date: 'Mar 2019' -> 'Q2 2019'" in capsys.readouterr().out
    (tmp_path / "log.csv").write_text("Action,Due\nVenues,Q3 2019\nLater,end of March\n", encoding="utf-8")
    code = main(["--db", red, "import-table", str(tmp_path / "log.csv"), "--as", "actions", "--on-match", "update",
                 "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0 and "due_date: 'Mar 2019' -> 'Q3 2019'" in out  # (the dry run above changed nothing)
    # A month without a year is the next one from the day of the import, flagged on its row (not refused).
    today = dt.date.today()
    year = today.year if today <= dt.date(today.year, 3, 31) else today.year + 1
    assert (f"log row 3 'Later': Due: end of March (no year written: read as Mar {year}, the next end of March "
            "from the day of the import)") in out
