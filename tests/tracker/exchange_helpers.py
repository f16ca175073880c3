"""Helpers for the exchange tests: several council databases in one test, snapshots, dumps."""

import contextlib
import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

from tracker import services
from tracker.db import close_database
from tracker.opening import open_database
from tracker.services import exchange as store

COUNCILS = ("Barking and Dagenham", "Havering", "Redbridge")


@contextlib.contextmanager
def council_db(path, council, user=None):
    """Open (creating) ``path`` as ``council``'s database for the block."""
    close_database()
    services.set_actor(user or f"officer at {council}", council)
    open_database(path, create=True)
    try:
        yield
    finally:
        close_database()


def snapshot():
    """Every record of the open database: {table: {uuid hex: (version, content)}}, deletion and
    erasure as flags (their timestamps are local bookkeeping)."""
    state = store.load_state()
    out = {}
    for table, ts in state.tables.items():
        flags = {i for i, (_, kind, _) in enumerate(store.content_kinds(table)) if kind in ("deleted", "erased")}
        out[table] = {h: tuple(bool(v) if i in flags else v for i, v in enumerate(rec.values))
                      for h, rec in ts.records.items()}
    return out


def versions():
    state = store.load_state()
    return {h: rec.version for ts in state.tables.values() for h, rec in ts.records.items()}


def dump(path):
    """The database's full content as SQL text (compares equal when nothing changed)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def make_records(council_code="HAV", text="Plain text", n=1):
    """A small linked set: organisation, person, event, attendance, commitment, action, updates."""
    council = services.councils.find(council_code)
    org = services.stakeholders.create(name=f"{text} org", kind="organisation", sector="faith", councils=[council])
    person = services.stakeholders.create(name=f"{text} person", kind="person", sector="faith", organisation=org,
                                          email="sam@example.org", phone="+44 20 7946 0000", notes=text)
    event = services.events.create(title=f"Summit {text}", kind="summit", date=dt.date(2019, 1, 16),
                                   council=council, notes=text)
    services.attendance.attend(event, person, "delegate")
    commitment = services.commitments.create(title=f"Commitment {text}", description=text, made_by=org,
                                             made_at=event, date_made=dt.date(2019, 1, 16),
                                             target_date=dt.date(2020, 1, 1), theme="youth", status="agreed",
                                             rag="A", councils=[council])
    actions = [services.actions.create(title=f"Action {k} {text}", description=text, commitment=commitment,
                                       owner=person, council=council, due_date=dt.date(2019, 6, 1),
                                       priority="high") for k in range(n)]
    services.updates.add(actions[0], text, date=dt.date(2019, 5, 1))
    services.updates.add(commitment, f"Reported: {text}", date=dt.date(2019, 7, 1))
    return {"org": org, "person": person, "event": event, "commitment": commitment, "actions": actions}


def edit_cells(src, dest, edits):
    """A copy of workbook ``src`` as a manager's spreadsheet program leaves it after ``edits``:
    [(sheet, record UUID, column header, new value)]; returns ``dest``."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    for sheet, uuid, column, value in edits:
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        ids = header.index("ID") + 1
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, ids).value == str(uuid))
        ws.cell(row, header.index(column) + 1).value = value
    wb.save(dest)
    return dest


def read_both_ways(path):
    """The workbook read a column at a time (the usual path) and row by row (the path that names
    problems); the two must agree on every row and problem.  Returns the column-wise Book."""
    from unittest import mock

    from tracker.exchange import reader

    councils = store.load_councils()
    quick = reader.read_workbook(path, councils)
    with mock.patch.object(reader, "_read_columns", lambda *args: None):
        slow = reader.read_workbook(path, councils)
    assert quick.rows == slow.rows and quick.problems == slow.problems
    return quick
