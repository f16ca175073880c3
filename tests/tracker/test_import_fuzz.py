"""Fuzzing the importer with hypothesis: random but structurally valid exchange workbooks (the
right sheets and headers, then wrong types, missing columns, unicode, huge strings, empty sheets,
random IDs).  Every file either imports or is refused with a clear message naming the file, and a
refused file changes nothing."""

import datetime as dt
import uuid

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tracker import services
from tracker.db import database
from tracker.errors import TrackerError
from tracker.exchange import import_workbook
from tracker.exchange_format import ABOUT, FORMAT_VERSION, SHEETS
from tracker.models import AuditEntry
from tracker.spreadsheet import MAX_CELL_TEXT, text_cell

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
CELL = st.one_of(
    st.none(), TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
    st.just("x" * 40_000), st.sampled_from(["=1+1", "@SUM(A1)", "-", "TRUE", "#N/A", "01/02/2024", "31/02/2024"]),
    st.uuids().map(str), st.uuids().map(lambda u: u.hex),
)


def plausible(column):
    """A value of the column's own kind (so rows get past the first check), or sometimes any junk."""
    if column.kind == "text":
        good = TEXT.map(lambda t: "Required " + t) if column.required else TEXT
    elif column.kind == "vocab":
        good = st.sampled_from(sorted(column.vocab.values()) + sorted(column.vocab))
    elif column.kind == "date":
        good = st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)), st.sampled_from(["16/01/2019", "2019-01-16"]))
    elif column.kind == "int":
        good = st.one_of(st.none(), st.integers(1, 5))
    else:  # IDs, links, bookkeeping: mostly empty (new records), sometimes an ID nobody knows
        good = st.one_of(st.none(), st.none(), st.uuids().map(str))
    return st.one_of(*[good] * 29, CELL)


@st.composite
def workbooks(draw):
    sheets = []
    for sheet in SHEETS:
        if draw(st.integers(0, 29)) == 17:  # (hypothesis favours 0 and the ends)
            continue  # the sheet is missing
        columns = list(sheet.columns)
        if draw(st.integers(0, 14)) == 7:  # some columns missing
            keep = draw(st.lists(st.integers(0, len(columns) - 1), unique=True, max_size=len(columns)))
            columns = [columns[i] for i in sorted(keep)]
        links_needed = any(c.kind == "link" and c.required for c in columns)
        rows = draw(st.lists(st.tuples(*[plausible(c) for c in columns]), max_size=1 if links_needed else 3))
        sheets.append((sheet, [c.header for c in columns], rows))
    about = draw(st.sampled_from([FORMAT_VERSION] * 18 + [FORMAT_VERSION + 1, "one", None]))
    return sheets, about


def write(path, sheets, about):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(ABOUT)
    ws.append(["Format version", about])
    ws.append(["Exporting council", "Havering"])
    for sheet, headers, rows in sheets:
        ws = wb.create_sheet(sheet.name)
        ws.append(headers)
        for row in rows:  # text stays text (escaped as OOXML needs), as a spreadsheet program keeps it;
            # text longer than a cell holds is written raw, as a hand-made file might carry it
            ws.append([text_cell(ws, v) if isinstance(v, str) and len(v) <= MAX_CELL_TEXT else v for v in row])
    wb.save(path)


def state():
    return services.stats(), AuditEntry.select().count()


@pytest.mark.slow  # 80 generated workbooks, each imported
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(book=workbooks())
def test_a_random_workbook_imports_or_is_refused_clearly(demo_db, tmp_path, book):
    path = tmp_path / f"fuzz-{uuid.uuid4().hex[:8]}.xlsx"
    write(path, *book)
    before = state()
    try:
        report = import_workbook(path)
    except TrackerError as exc:
        event("refused before reading rows")
        assert path.name in str(exc) and "\n" not in str(exc).strip()
        assert state() == before
        return
    if report.refused:
        event("refused for row problems")
        assert path.name in report.refused and report.rejected >= 1
        assert all(d.message for d in report.details)
        assert state() == before
    else:
        event("imported" if report.added or report.updated else "imported, nothing to change")
        assert report.applied
        assert services.check() == []
    assert not database.obj.in_transaction()
