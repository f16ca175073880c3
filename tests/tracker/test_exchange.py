"""The exchange workbook: export, import by ID, merge, conflicts, undo, and refusing bad files."""

import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.tracker.exchange_helpers import council_db, dump, make_records, read_both_ways, snapshot, versions
from tracker import migrations, services
from tracker.cli import main
from tracker.db import close_database
from tracker.errors import TrackerError
from tracker.exchange import export_workbook, import_workbook
from tracker.exchange_format import SHEETS
from tracker.exchange.safety import ExchangeError, FileRefused
from tracker.opening import open_database
from tracker.services import conflicts, imports
from tracker.services import exchange as store
from tracker.services import bulk_writer
from tracker.services.bulk_writer import transaction

AWKWARD = "=cmd|' /C calc'!A0"


@pytest.fixture
def three(tmp_path):
    return {code: tmp_path / f"{code}.db" for code in ("BD", "HAV", "RED")}


def export_from(path, council, out, **kwargs):
    with council_db(path, council):
        export_workbook(out, **kwargs)
    return out


def import_into(path, council, file, **kwargs):
    with council_db(path, council):
        return import_workbook(file, **kwargs)


# ---- what the workbook looks like ------------------------------------------------------------------
def test_export_looks_native_and_holds_no_formula(db, tmp_path):
    services.set_actor("Officer", "Havering")
    make_records(text=AWKWARD)
    out = export_workbook(tmp_path / "share.xlsx").path
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [s.name for s in SHEETS] + ["Merges", "Not duplicates", "About"]
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows() if r[0].value}
    assert about["Format version"] == 3 and about["Exporting council"] == "Havering"
    actions = wb["Actions"]
    header = [c.value for c in actions[1]]
    assert header[:3] == ["Reference", "Title", "Description"] and "ID" in header and "Version" in header
    assert actions.freeze_panes == "A2"
    assert actions.auto_filter.ref.startswith("A1:")
    due = actions.cell(row=2, column=header.index("Due date") + 1)
    assert due.is_date and due.value.date() == dt.date(2019, 6, 1) and due.number_format == "DD/MM/YYYY"
    lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in actions.data_validations.dataValidation}
    status_letter = openpyxl.utils.get_column_letter(header.index("Status") + 1)
    assert "In progress" in lists[status_letter]
    assert actions.conditional_formatting, "bookkeeping columns are greyed"
    assert not any(actions.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].hidden
                   for i in range(len(header)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
    title = actions.cell(row=2, column=2)
    assert title.value == f"Action 0 {AWKWARD}"
    desc = actions.cell(row=2, column=3)
    assert desc.value == AWKWARD and desc.quotePrefix and desc.alignment.wrap_text


def test_every_exported_cell_carries_its_columns_style(db, tmp_path):
    """Record cells are handed to openpyxl with prepared style indices (tracker/sheet_stream.py): each
    still has exactly the look its column kind gives, quote-prefixed when its text looks like a formula."""
    from tracker.spreadsheet import looks_like_formula

    make_records(text=AWKWARD, n=2)
    services.stakeholders.create(name="Linked", website="https://example.org/partner", notes=AWKWARD)
    services.stakeholders.create(name="Mailed", kind="person", email="someone@example.org")
    wb = openpyxl.load_workbook(export_workbook(tmp_path / "share.xlsx").path)
    seen = set()
    for sheet in SHEETS:
        ws = wb[sheet.name]
        for row in ws.iter_rows(min_row=2):
            for cell, col in zip(row, sheet.columns):
                if cell.value is None:
                    assert not cell.has_style, f"{sheet.name}!{cell.coordinate}"
                    continue
                where = f"{sheet.name}!{cell.coordinate} ({col.kind})"
                number_format, wrap, link = "General", bool(col.wrap), col.field in ("website", "email")
                if col.kind == "date":
                    number_format = "DD/MM/YYYY"
                elif col.kind in ("deleted", "erased", "created", "changed"):
                    number_format = "DD/MM/YYYY HH:MM:SS"
                assert cell.number_format == number_format, where
                assert bool(cell.alignment.wrap_text) == wrap and (cell.alignment.vertical == "top") == wrap, where
                assert (cell.font.u == "single") == link and (cell.hyperlink is not None) == link, where
                assert cell.fill.fill_type is None and cell.border.left.style is None and not cell.font.b, where
                assert cell.quotePrefix == looks_like_formula(cell.value), where
                seen.add((col.kind, number_format, wrap, link, cell.quotePrefix))
    assert {("date", "DD/MM/YYYY", False, False, False), ("created", "DD/MM/YYYY HH:MM:SS", False, False, False),
            ("text", "General", True, False, True), ("text", "General", True, False, False),
            ("text", "General", False, True, False), ("text", "General", False, False, True),
            ("version", "General", False, False, False)} <= seen, seen


def test_no_personal_data_leaves_out_peoples_contact_details(db, tmp_path):
    services.set_actor("Officer", "Havering")
    records = make_records()
    services.stakeholders.update(records["org"], email="office@example.org")
    out = export_workbook(tmp_path / "share.xlsx", personal_data=False).path
    wb = openpyxl.load_workbook(out)
    ws = wb["Stakeholders"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    person, org = rows["Plain text person"], rows["Plain text org"]
    for column in ("Email", "Phone", "Notes"):
        assert person[header.index(column)] is None
    assert org[header.index("Email")] == "office@example.org"  # organisations are not people
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows() if r[0].value}
    assert about["Personal data"].startswith("left out")


# ---- round trips -----------------------------------------------------------------------------------
def test_export_import_into_empty_database_reproduces_everything(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records(text="line one\nline two\r\n=1+1")
        services.actions.delete(r["actions"][0])
        before = snapshot()
        v_before = versions()
        export_workbook(tmp_path / "share.xlsx")
    report = import_into(three["RED"], "Redbridge", tmp_path / "share.xlsx")
    assert report.applied and report.added == sum(len(t) for t in before.values())
    with council_db(three["RED"], "Redbridge"):
        assert snapshot() == before
        assert versions() == v_before
        assert services.check() == []
        assert services.actions.get(r["actions"][0].uuid, include_deleted=True).is_deleted
        assert all(a.reference.startswith("HAV-A") for a in services.actions.page(0, 10))


def test_export_then_import_into_the_same_database_changes_nothing(db, db_path, tmp_path):
    services.set_actor("Officer", "Havering")
    make_records(text=AWKWARD)
    export_workbook(tmp_path / "share.xlsx")
    close_database()
    before = dump(db_path)
    open_database(db_path)
    report = import_workbook(tmp_path / "share.xlsx")
    assert (report.added, report.updated, report.conflicts, report.import_id) == (0, 0, 0, None)
    assert report.unchanged == 8
    close_database()
    assert dump(db_path) == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        make_records()
        export_workbook(tmp_path / "share.xlsx")
    first = import_into(three["RED"], "Redbridge", tmp_path / "share.xlsx")
    assert first.added == 8
    before = dump(three["RED"])
    second = import_into(three["RED"], "Redbridge", tmp_path / "share.xlsx")
    assert (second.added, second.updated, second.unchanged, second.import_id) == (0, 0, 8, None)
    assert dump(three["RED"]) == before


def test_edit_travels_as_an_update_and_is_audited_with_the_file_and_council(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["HAV"], "Havering"):
        action = services.actions.get(r["actions"][0].uuid)
        services.actions.update(action, status="done", due_date=dt.date(2019, 7, 1))
        services.stakeholders.delete(services.stakeholders.get(r["person"].uuid))
        export_workbook(tmp_path / "v2.xlsx")
    dry = import_into(three["RED"], "Redbridge", tmp_path / "v2.xlsx", dry_run=True)
    change = next(d for d in dry.details if d.kind == "updated")
    assert ("Status", "Open", "Done") in change.changes and ("Due date", "01/06/2019", "01/07/2019") in change.changes
    assert any(d.kind == "deleted" for d in dry.details)
    report = import_into(three["RED"], "Redbridge", tmp_path / "v2.xlsx")
    assert (report.updated, report.conflicts) == (2, 0)
    with council_db(three["RED"], "Redbridge"):
        action = services.actions.get(r["actions"][0].uuid)
        assert action.status == "done" and action.due_date == dt.date(2019, 7, 1)
        entry = next(e for e in services.history(action.uuid) if e.field == "status")
        assert entry.source == "v2.xlsx (Havering)" and (entry.old_value, entry.new_value) == ("open", "done")
        assert entry.council == "Redbridge"
        assert services.stakeholders.get(r["person"].uuid, include_deleted=True).is_deleted


def test_an_added_records_history_shows_its_creation_by_the_import_without_a_row_per_record(three, tmp_path):
    from tracker.models import AuditEntry

    with council_db(three["HAV"], "Havering"):
        r = make_records()
        services.actions.create(title="Second action", priority="low")
        export_workbook(tmp_path / "v1.xlsx")
    with council_db(three["RED"], "Redbridge"):
        trail_before = AuditEntry.select().count()
    first = import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["RED"], "Redbridge"):
        assert AuditEntry.select().count() == trail_before  # the import's own row is the trail
        created = services.history(r["actions"][0].uuid)
        assert [(e.operation, e.user, e.council, e.source) for e in created] == [
            ("create", "officer at Redbridge", "Redbridge", "v1.xlsx (Havering)")]
        second = services.actions.get(next(a.uuid for a in services.actions.query(search="Second action")))
        imports.undo_import(first.import_id)
    import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["RED"], "Redbridge"):
        services.actions.update(services.actions.get(second.uuid), status="done")
        trail = services.history(second.uuid)
        assert [e.operation for e in trail] == ["create", "delete", "create", "update"]
        assert trail[1].source.startswith("undo of import") and trail[3].field == "status"
        assert [e.operation for e in services.history(r["actions"][0].uuid)] == ["create", "delete", "create"]


def test_dry_run_writes_nothing(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        make_records()
        export_workbook(tmp_path / "share.xlsx")
    with council_db(three["RED"], "Redbridge"):
        pass
    before = dump(three["RED"])
    report = import_into(three["RED"], "Redbridge", tmp_path / "share.xlsx", dry_run=True)
    assert report.added == 8 and not report.applied and report.import_id is None
    assert dump(three["RED"]) == before


# ---- conflicts -------------------------------------------------------------------------------------
def _conflicting_edit(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["HAV"], "Havering"):
        services.actions.update(services.actions.get(r["actions"][0].uuid), status="done")
        export_workbook(tmp_path / "hav.xlsx")
    with council_db(three["RED"], "Redbridge"):
        services.actions.update(services.actions.get(r["actions"][0].uuid), status="blocked")
    return r["actions"][0].uuid


def test_conflicting_edits_are_held_for_review_never_overwritten(three, tmp_path):
    uuid = _conflicting_edit(three, tmp_path)
    report = import_into(three["RED"], "Redbridge", tmp_path / "hav.xlsx")
    assert report.applied and report.conflicts == 1 and report.updated == 0
    detail = next(d for d in report.details if d.kind == "conflict")
    assert ("Status", "Blocked", "Done") in detail.changes
    with council_db(three["RED"], "Redbridge"):
        assert services.actions.get(uuid).status == "blocked"
        [held] = conflicts.pending_conflicts()
        assert conflicts.conflict_sides(held) == [("status", "Status", "Blocked", "Done")]
    again = import_into(three["RED"], "Redbridge", tmp_path / "hav.xlsx")
    assert again.conflicts == 1
    with council_db(three["RED"], "Redbridge"):
        assert len(conflicts.pending_conflicts()) == 1, "the same conflict is not held twice"
        conflicts.resolve_conflict(conflicts.pending_conflicts()[0], "theirs")
        assert services.actions.get(uuid).status == "done" and conflicts.pending_conflicts() == []
        export_workbook(tmp_path / "red.xlsx")
    back = import_into(three["HAV"], "Havering", tmp_path / "red.xlsx")
    assert back.conflicts == 0
    with council_db(three["HAV"], "Havering"):
        assert services.actions.get(uuid).status == "done"


@pytest.mark.parametrize("mode, expected", [("keep-mine", "blocked"), ("take-theirs", "done")])
def test_conflict_modes_resolve_as_named(three, tmp_path, mode, expected):
    uuid = _conflicting_edit(three, tmp_path)
    report = import_into(three["RED"], "Redbridge", tmp_path / "hav.xlsx", on_conflict=mode)
    assert report.conflicts == 1
    with council_db(three["RED"], "Redbridge"):
        assert services.actions.get(uuid).status == expected
        assert conflicts.pending_conflicts() == []
        export_workbook(tmp_path / "red.xlsx")
    # the decision travels back and wins there without a new conflict
    back = import_into(three["HAV"], "Havering", tmp_path / "red.xlsx")
    assert back.conflicts == 0
    with council_db(three["HAV"], "Havering"):
        assert services.actions.get(uuid).status == expected


def test_an_older_file_arriving_late_changes_nothing(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "old.xlsx")
        services.actions.update(services.actions.get(r["actions"][0].uuid), status="done")
        export_workbook(tmp_path / "new.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "new.xlsx")
    late = import_into(three["RED"], "Redbridge", tmp_path / "old.xlsx")
    assert late.updated == 0
    with council_db(three["RED"], "Redbridge"):
        assert services.actions.get(r["actions"][0].uuid).status == "done"


# ---- a manager edits the workbook in a spreadsheet program -----------------------------------------
def test_manager_edits_status_and_adds_a_row_without_id(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "share.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "share.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "share.xlsx")
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Status") + 1).value = "Done"
    new = [None] * len(header)
    new[header.index("Title")] = "Book the hall"
    new[header.index("Priority")] = "High"
    new[header.index("Status")] = "open"
    new[header.index("Due date")] = "16/02/2019"
    new[header.index("Commitment ID")] = str(r["commitment"].uuid)
    ws.append(new)
    wb.save(tmp_path / "edited.xlsx")
    report = import_into(three["RED"], "Redbridge", tmp_path / "edited.xlsx")
    assert (report.added, report.updated, report.conflicts) == (1, 1, 0)
    with council_db(three["RED"], "Redbridge"):
        assert services.actions.get(r["actions"][0].uuid).status == "done"
        [hall] = services.actions.page(0, 5, search="hall")
        assert hall.due_date == dt.date(2019, 2, 16) and hall.commitment.uuid == r["commitment"].uuid
        assert hall.reference.startswith("RED-A")
    again = import_into(three["RED"], "Redbridge", tmp_path / "edited.xlsx")
    assert (again.added, again.updated) == (0, 0), "never a duplicate"
    back = import_into(three["HAV"], "Havering", tmp_path / "edited.xlsx")
    assert (back.added, back.updated, back.conflicts) == (1, 1, 0)


# ---- undo ------------------------------------------------------------------------------------------
def test_undo_reverses_adds_updates_and_deletions(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    first = import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["HAV"], "Havering"):
        services.actions.update(services.actions.get(r["actions"][0].uuid), status="done")
        services.events.delete(services.events.get(r["event"].uuid))
        services.actions.create(title="Second action", priority="low")
        export_workbook(tmp_path / "v2.xlsx")
    with council_db(three["RED"], "Redbridge"):
        before = snapshot()
    second = import_into(three["RED"], "Redbridge", tmp_path / "v2.xlsx")
    assert (second.added, second.updated) == (1, 2)
    with council_db(three["RED"], "Redbridge"):
        imports.undo_import(second.import_id)
        assert snapshot() == before
        assert services.check() == []
        with pytest.raises(TrackerError, match="already undone"):
            imports.undo_import(second.import_id)
    again = import_into(three["RED"], "Redbridge", tmp_path / "v2.xlsx")
    assert (again.added, again.updated) == (1, 2), "an undone import can be imported again"
    with council_db(three["RED"], "Redbridge"):
        services.actions.update(services.actions.get(r["actions"][0].uuid), title="Changed since")
        with pytest.raises(imports.UndoBlocked, match="Changed since"):
            imports.undo_import(again.import_id)
        with pytest.raises(imports.UndoBlocked):
            imports.undo_import(first.import_id)


def test_undo_import_cli(three, tmp_path, capsys):
    with council_db(three["HAV"], "Havering"):
        make_records()
        export_workbook(tmp_path / "v1.xlsx")
    with council_db(three["RED"], "Redbridge"):
        pass
    assert main(["--db", str(three["RED"]), "import-workbook", str(tmp_path / "v1.xlsx"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert main(["--db", str(three["RED"]), "undo-import", str(out["import_id"])]) == 0
    assert "was undone" in capsys.readouterr().out
    assert main(["--db", str(three["RED"]), "undo-import", "999"]) == 1
    assert "no import with ID 999" in capsys.readouterr().err


# ---- three councils --------------------------------------------------------------------------------
@pytest.mark.parametrize("order", [("BD", "HAV", "RED"), ("RED", "BD", "HAV"), ("HAV", "RED", "BD")])
def test_three_councils_exchanging_in_any_order_converge(three, tmp_path, order):
    names = {"BD": "Barking and Dagenham", "HAV": "Havering", "RED": "Redbridge"}
    for code in three:
        with council_db(three[code], names[code]):
            make_records(code, text=f"{code} =text")
    # two rounds of everyone exporting to everyone, in the given order, with an edit in between
    for round_ in range(2):
        for sender in order:
            out = tmp_path / f"{sender}-{round_}.xlsx"
            export_from(three[sender], names[sender], out)
            for receiver in order:
                if receiver != sender:
                    report = import_into(three[receiver], names[receiver], out)
                    assert report.applied and report.conflicts == 0, report.details
        with council_db(three[order[0]], names[order[0]]):
            action = services.actions.page(0, 1, search=f"{order[1]} =text")[0]
            services.actions.update(action, status="in_progress")
    for sender in order:  # one more round spreads the last edit
        out = tmp_path / f"{sender}-final.xlsx"
        export_from(three[sender], names[sender], out)
        for receiver in order:
            if receiver != sender:
                import_into(three[receiver], names[receiver], out)
    snaps = []
    for code in order:
        with council_db(three[code], names[code]):
            snaps.append(snapshot())
            assert services.check() == []
    assert snaps[0] == snaps[1] == snaps[2]
    assert sum(len(t) for t in snaps[0].values()) == 24


# ---- bad input: a clear message, nothing changed ---------------------------------------------------
@pytest.fixture
def shared(db, db_path, tmp_path):
    services.set_actor("Officer", "Havering")
    records = make_records()
    out = export_workbook(tmp_path / "share.xlsx").path
    close_database()
    return out, records


def _refused(db_path, path, *match):
    before = dump(db_path)
    open_database(db_path)
    try:
        try:
            report = import_workbook(path)
            message = report.refused
            assert message and not report.applied and report.rejected >= 1
        except ExchangeError as exc:
            message = str(exc)
    finally:
        close_database()
    for m in match:
        assert m in message, message
    assert path.name in message
    assert dump(db_path) == before
    return message


def _edit(src, dest, change):
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dest)
    return dest


def _col(ws, header):
    return [c.value for c in ws[1]].index(header) + 1


def test_wrong_sheet_names_are_refused(shared, db_path, tmp_path):
    path = _edit(shared[0], tmp_path / "bad.xlsx", lambda wb: setattr(wb["Actions"], "title", "Tasks"))
    _refused(db_path, path, "no sheet named Actions")


def test_missing_id_and_header_columns_are_refused(shared, db_path, tmp_path):
    def drop(wb):
        ws = wb["Actions"]
        ws.delete_cols(_col(ws, "ID"))
        ws2 = wb["Events"]
        ws2.delete_cols(_col(ws2, "Date"))
    path = _edit(shared[0], tmp_path / "bad.xlsx", drop)
    msg = _refused(db_path, path, "sheet")
    open_database(db_path)
    report = import_workbook(path)
    close_database()
    columns = {(d.sheet, d.message.split("column ")[1].split(":")[0]) for d in report.details}
    assert ("Actions", "ID") in columns and ("Events", "Date") in columns, msg


def test_duplicate_ids_are_refused(shared, db_path, tmp_path):
    def dup(wb):
        ws = wb["Actions"]
        ws.append([c.value for c in ws[2]])
    _refused(db_path, _edit(shared[0], tmp_path / "bad.xlsx", dup), "sheet Actions, row 3, column ID",
             "also used on sheet Actions, row 2")


def test_an_id_cell_holding_two_ids_is_refused_not_shifted_onto_the_rows_below(shared, db_path, tmp_path):
    """Two IDs on two lines of one cell are not an ID: the rows below keep their own."""
    def two(wb):
        ws = wb["Actions"]
        cell = ws.cell(row=2, column=_col(ws, "ID"))
        cell.value = f"{cell.value}\n5a0b72a8-f6e0-46cf-99ba-3085ac5fd798"
    _refused(db_path, _edit(shared[0], tmp_path / "bad.xlsx", two), "sheet Actions, row 2, column ID", "is not an ID")


def test_links_to_unknown_ids_are_refused(shared, db_path, tmp_path):
    def link(wb):
        ws = wb["Actions"]
        ws.cell(row=2, column=_col(ws, "Owner ID")).value = "5a0b72a8-f6e0-46cf-99ba-3085ac5fd798"
    _refused(db_path, _edit(shared[0], tmp_path / "bad.xlsx", link), "row 2, column Owner ID",
             "neither in this workbook nor in this database")


@pytest.mark.parametrize("sheet, column, value, reason", [
    ("Actions", "Due date", "31/02/2019", "is not a real date"),
    ("Actions", "Due date", "02/03/2019x", "is not a date"),
    ("Actions", "Status", "Finished", "is not one of: Open, In progress"),
    ("Stakeholders", "Influence", "high", "is not a whole number"),
    ("Stakeholders", "Influence", 7, "outside 1 to 5"),
    ("Stakeholders", "Email", "not an address", "is not an email address"),
    ("Events", "Date", "", "a value is required"),
    ("Events", "Council", "Camden", "is not a council this database knows"),
    ("Actions", "Version", "two", "is not a whole number"),
    ("Commitments", "Target date", "01/01/2018", "before the date the commitment was made"),
])
def test_wrong_types_are_refused_naming_sheet_row_and_column(shared, db_path, tmp_path, sheet, column, value,
                                                               reason):
    def change(wb):
        ws = wb[sheet]
        ws.cell(row=2, column=_col(ws, column)).value = value
    _refused(db_path, _edit(shared[0], tmp_path / "bad.xlsx", change), f"sheet {sheet}, row 2, column {column}",
             reason)


def test_newer_format_version_is_refused(shared, db_path, tmp_path):
    def newer(wb):
        ws = wb["About"]
        for row in ws.iter_rows():
            if row[0].value == "Format version":
                row[1].value = 99
    _refused(db_path, _edit(shared[0], tmp_path / "bad.xlsx", newer), "format 99", "newer version")


@pytest.mark.parametrize("content, reason", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected or an old Excel 97-2003"),
    (b"name,email\nSam,sam@example.org\n", "not an Excel workbook"),
    (b"", "empty"),
])
def test_files_that_are_not_workbooks_are_refused(shared, db_path, tmp_path, content, reason):
    path = tmp_path / "not.xlsx"
    path.write_bytes(content)
    _refused(db_path, path, reason)


def test_zip_that_is_not_a_workbook_and_zip_bomb_are_refused(shared, db_path, tmp_path):
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("hello.txt", "hi")
    _refused(db_path, plain, "zip file but not an Excel workbook")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(shared[0]) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            zf.writestr(item, src.read(item))
        zf.writestr("xl/worksheets/sheet99.xml", b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>")
    with pytest.raises(FileRefused, match="zip bomb"):
        from tracker.exchange.safety import check_file
        check_file(bomb)


def test_cli_import_json_and_exit_codes(shared, db_path, tmp_path, capsys):
    path = _edit(shared[0], tmp_path / "bad.xlsx",
                 lambda wb: setattr(wb["Actions"].cell(row=2, column=_col(wb["Actions"], "Status")), "value", "Nope"))
    assert main(["--db", str(db_path), "import-workbook", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["rejected"] == 1 and not out["applied"]
    assert out["details"][0] == {"sheet": "Actions", "row": 2, "id": out["details"][0]["id"], "kind": "rejected",
                                 "message": out["details"][0]["message"]}
    assert main(["--db", str(db_path), "import-workbook", str(shared[0]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"added", "updated", "unchanged", "conflicts", "rejected", "details", "import_id"}
    assert out["unchanged"] == 8
    assert main(["--db", str(db_path), "import-workbook", str(tmp_path / "missing.xlsx")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["--db", str(db_path), "export-workbook", str(tmp_path / "out.xlsx"), "--no-personal-data",
                 "--since", "01/01/2019"]) == 0
    assert "Exported to" in capsys.readouterr().out


def test_since_exports_only_recent_changes_and_links_still_resolve(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "all.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "all.xlsx")
    with council_db(three["HAV"], "Havering"):
        from tracker.models import ActionItem
        ActionItem.update(updated_at=dt.datetime(2018, 1, 1)).execute()  # pretend the actions are old
        services.actions.update(services.actions.get(r["actions"][0].uuid), status="done")
        result = export_workbook(tmp_path / "recent.xlsx", since=dt.date.today())
        assert result.counts["Actions"] == 1
    report = import_into(three["RED"], "Redbridge", tmp_path / "recent.xlsx")
    assert report.updated == 1 and report.applied


def test_erasure_travels_and_personal_data_is_not_brought_back(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["HAV"], "Havering"):
        from tracker.models import Stakeholder, utcnow
        Stakeholder.update(email="", phone="", notes="", address="", erased_at=utcnow(),
                           version=Stakeholder.version + 1).where(Stakeholder.uuid == r["person"].uuid).execute()
        export_workbook(tmp_path / "erased.xlsx")
    with council_db(three["RED"], "Redbridge"):
        services.stakeholders.update(services.stakeholders.get(r["person"].uuid), role="Chair")  # a local edit
    import_into(three["RED"], "Redbridge", tmp_path / "erased.xlsx")
    with council_db(three["RED"], "Redbridge"):
        person = services.stakeholders.get(r["person"].uuid)
        assert person.erased_at is not None and person.email == "" and person.phone == ""
    late = import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx", on_conflict="take-theirs")
    assert late.applied
    with council_db(three["RED"], "Redbridge"):
        assert services.stakeholders.get(r["person"].uuid).email == "", "an erased person's data never returns"


def test_redacted_file_does_not_wipe_the_receivers_contact_details(three, tmp_path):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "full.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "full.xlsx")
    with council_db(three["HAV"], "Havering"):
        services.stakeholders.update(services.stakeholders.get(r["person"].uuid), role="Head Teacher")
        export_workbook(tmp_path / "redacted.xlsx", personal_data=False)
    report = import_into(three["RED"], "Redbridge", tmp_path / "redacted.xlsx")
    assert report.updated == 1 and report.conflicts == 0
    with council_db(three["RED"], "Redbridge"):
        person = services.stakeholders.get(r["person"].uuid)
        assert person.role == "Head Teacher" and person.email == "sam@example.org"


def test_schema_v2_database_upgrades_to_the_latest(tmp_path, isolated_environment):
    path = tmp_path / "v2.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v2.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    from tracker.models import ActionItem, database
    assert migrations.schema_version(database.obj) == migrations.LATEST_VERSION >= 5
    assert ActionItem.get().status == "in_progress" and ActionItem.get().version == 2
    assert imports.imports() == [] and conflicts.pending_conflicts() == []
    assert services.check() == []
    services.set_actor("Officer", "Havering")
    out = export_workbook(tmp_path / "after-upgrade.xlsx").path
    report = import_workbook(out)
    assert report.unchanged == 7 and report.added == 0
    close_database()
    assert list((tmp_path / "backups").glob("*before-upgrade-from-v2*.db"))


def test_schema_v3_database_upgrades_keeping_its_held_conflict(tmp_path, isolated_environment):
    """tests/data/schema_v3.sql: a Redbridge database of the app before exchange_conflict.exported_hash,
    holding a conflict (see tests/data/README.md)."""
    path = tmp_path / "v3.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v3.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    from tracker.models import database
    assert migrations.schema_version(database.obj) == migrations.LATEST_VERSION
    [held] = conflicts.pending_conflicts()
    assert held.exported_hash == "" and not conflicts.edited_in_a_spreadsheet(held)
    assert conflicts.conflict_sides(held) == [("status", "Status", "Blocked", "Done")]
    services.set_actor("Officer", "Redbridge")
    conflicts.resolve_conflict(held, "theirs")
    action = services.actions.get(held.record_uuid)
    assert action.status == "done" and conflicts.pending_conflicts() == [] and services.check() == []
    close_database()
    assert list((tmp_path / "backups").glob("*before-upgrade-from-v3*.db"))


def test_cli_dry_run_shows_field_changes_and_imports_lists_runs(three, tmp_path, capsys):
    with council_db(three["HAV"], "Havering"):
        r = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    import_into(three["RED"], "Redbridge", tmp_path / "v1.xlsx")
    with council_db(three["HAV"], "Havering"):
        services.actions.update(services.actions.get(r["actions"][0].uuid), priority="critical")
        export_workbook(tmp_path / "v2.xlsx")
    capsys.readouterr()
    assert main(["--db", str(three["RED"]), "import-workbook", str(tmp_path / "v2.xlsx"), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Priority: 'High' -> 'Critical'" in out and "dry run: nothing was changed" in out
    assert main(["--db", str(three["RED"]), "imports"]) == 0
    out = capsys.readouterr().out
    assert "v1.xlsx  from Havering: 8 added, 0 updated, 0 conflicts (applied)" in out
    assert "No conflicts held for review." in out


def test_resaved_as_1904_workbook_with_datetimes_and_floats_still_matches(db, db_path, tmp_path):
    """What a spreadsheet program may do on re-save: 1904 dates, dates as date-times, ints as floats."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    services.set_actor("Officer", "Havering")
    r = make_records()
    out = export_workbook(tmp_path / "share.xlsx").path

    def resave(wb):
        wb.epoch = CALENDAR_MAC_1904
        actions = wb["Actions"]
        due = actions.cell(row=2, column=_col(actions, "Due date"))
        due.value = dt.datetime(2019, 5, 31, 23, 59, 59)  # a midnight rounded down
        version = actions.cell(row=2, column=_col(actions, "Version"))
        version.value = float(version.value)
        s = wb["Stakeholders"]
        for row in range(2, s.max_row + 1):
            cell = s.cell(row=row, column=_col(s, "Influence"))
            cell.value = float(cell.value) if cell.value is not None else None
    path = _edit(out, tmp_path / "resaved.xlsx", resave)
    assert sum(map(len, read_both_ways(path).rows.values())) == 8
    report = import_workbook(path)
    assert (report.added, report.updated, report.conflicts, report.rejected) == (0, 0, 0, 0), report.details
    assert services.actions.get(r["actions"][0].uuid).due_date == dt.date(2019, 6, 1)


def test_text_too_long_for_a_cell_is_a_clear_export_error(db, tmp_path):
    from tracker.models import Event

    services.set_actor("Officer", "Havering")
    make_records()
    Event.update(notes="_x0041_" * 3000).execute()  # 21,000 characters, 39,000 once escaped
    with pytest.raises(ExchangeError, match="the Notes of event .* is longer than a spreadsheet cell can hold"):
        export_workbook(tmp_path / "share.xlsx")
    assert not (tmp_path / "share.xlsx").exists()


def test_the_content_hash_never_changes():
    """Every database stores these hashes as the base of each exchanged record: a different hash for
    the same content would turn every record into a conflict at the next exchange."""
    values = ("Fund a youth worker", "Line one\r\nline two", "c" * 32, "d" * 32, "e" * 32, "2019-06-01", "high",
              "open", "2024-01-01 10:00:00")
    assert store.content_hash("action_item", values) == "587b9a8fdab622d7f62dc0dd"
    assert store.content_hash("action_item", values[:1] + ("Line one\nline two",) + values[2:]) == \
        store.content_hash("action_item", values)  # CR LF and LF are the same text
    assert store.content_hash("action_item", values[:-1] + ("2025-02-02 09:00:00",)) == \
        store.content_hash("action_item", values)  # deletion counts as a flag, not a time


def test_a_bulk_import_checks_every_link_once_and_turns_link_checks_back_on(three, tmp_path, monkeypatch):
    """A bulk import (at least as big as the database) inserts without SQLite's per-row link checks
    and its indexes, then checks all links and builds the indexes before committing."""
    monkeypatch.setattr(bulk_writer, "BULK_ROWS", 1)
    with council_db(three["HAV"], "Havering"):
        make_records()
        before = snapshot()
        export_workbook(tmp_path / "share.xlsx")
    with council_db(three["RED"], "Redbridge"):
        indexes = store.database.obj.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall()
        report = import_workbook(tmp_path / "share.xlsx")
        assert report.applied and report.added == 8
        assert store.database.obj.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
        assert sorted(store.database.obj.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                                                     ).fetchall()) == sorted(indexes)
        assert snapshot() == before and services.check() == []


def test_a_broken_link_found_by_the_final_check_fails_the_import_whole(db):
    count = store.database.obj.execute_sql("SELECT COUNT(*) FROM action_item").fetchone()[0]
    with pytest.raises(TrackerError, match="1 broken link"):
        with imports._links_checked_at_the_end(True) as check_links, transaction():
            store.database.obj.execute_sql(
                "INSERT INTO action_item (uuid, created_at, updated_at, version, reference, title, description, "
                "priority, status, commitment_id) VALUES ('ab', '2020-01-01', '2020-01-01', 1, 'X-A1', 't', '', "
                "'medium', 'open', 999999)")
            check_links()
    assert store.database.obj.execute_sql("SELECT COUNT(*) FROM action_item").fetchone()[0] == count
    assert store.database.obj.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
