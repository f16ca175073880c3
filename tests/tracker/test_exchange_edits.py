"""A manager's edit in a spreadsheet is an edit, not the exporting council's state (issue 11, section 3).

Havering exports, a manager edits the file in a spreadsheet program, Redbridge imports it.  The
``Row check`` column tells the state Havering exported from what the manager changed, so the edit
is Redbridge's change made through a spreadsheet: Havering's later different change to the same
record is a conflict held at Redbridge, and Havering's later unchanged export leaves the edit alone.
"""

from pathlib import Path

import openpyxl
import pytest

from tests.tracker.exchange_helpers import council_db, dump, edit_cells, make_records, read_both_ways
from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.exchange_format import SHEETS
from tracker.exchange.rowcheck import is_edited
from tracker.exchange.safety import ExchangeError
from tracker.services import conflicts
from tracker.services import exchange as store

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def shared(tmp_path):
    """Havering made the records and exported v1.xlsx; Redbridge imported it."""
    paths = {"HAV": tmp_path / "hav.db", "RED": tmp_path / "red.db"}
    with council_db(paths["HAV"], "Havering"):
        records = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    with council_db(paths["RED"], "Redbridge"):
        assert import_workbook(tmp_path / "v1.xlsx").added == 8
    return paths, records


def at(paths, code):
    return council_db(paths[code], {"HAV": "Havering", "RED": "Redbridge"}[code])


def havering_changes(paths, out, uuid, **fields):
    with at(paths, "HAV"):
        services.actions.update(services.actions.get(uuid), **fields)
        export_workbook(out)
    return out


# ---- the scenario ------------------------------------------------------------------------------
def test_a_managers_edit_is_applied_and_the_exporters_later_different_change_is_a_conflict(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid
    edited = edit_cells(tmp_path / "v1.xlsx", tmp_path / "edited.xlsx", [("Actions", uuid, "Status", "Done")])
    with at(paths, "RED"):
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (1, 0)
        [detail] = [d for d in report.details if d.kind == "updated"]
        assert "edited in a spreadsheet" in detail.message and ("Status", "Open", "Done") in detail.changes
        assert services.actions.get(uuid).status == "done"
        [entry] = [e for e in services.history(uuid) if e.field == "status"]
        assert entry.source == "edited.xlsx (Havering), edited in a spreadsheet after export"
    havering_changes(paths, tmp_path / "v2.xlsx", uuid, status="blocked")
    with at(paths, "RED"):
        report = import_workbook(tmp_path / "v2.xlsx")
        assert (report.updated, report.conflicts) == (0, 1), [d.as_dict() for d in report.details]
        assert services.actions.get(uuid).status == "done", "the manager's edit was overwritten"
        [held] = conflicts.pending_conflicts()
        assert conflicts.conflict_sides(held) == [("status", "Status", "Done", "Blocked")]


def test_an_unchanged_export_leaves_the_managers_edit_alone_and_the_edit_travels_back(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid
    edited = edit_cells(tmp_path / "v1.xlsx", tmp_path / "edited.xlsx", [("Actions", uuid, "Status", "Done")])
    import_at_red = import_workbook
    with at(paths, "RED"):
        assert import_at_red(edited).updated == 1
    with at(paths, "HAV"):
        export_workbook(tmp_path / "again.xlsx")  # nothing changed at Havering
    with at(paths, "RED"):
        report = import_workbook(tmp_path / "again.xlsx")
        assert (report.updated, report.conflicts, report.unchanged) == (0, 0, 8)
        assert services.actions.get(uuid).status == "done"
        export_workbook(tmp_path / "from-red.xlsx")
    with at(paths, "HAV"):
        report = import_workbook(tmp_path / "from-red.xlsx")
        assert (report.updated, report.conflicts) == (1, 0)
        assert services.actions.get(uuid).status == "done"
    with at(paths, "RED"):  # and the round trip is quiet
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (0, 0)


def test_resolving_an_edited_rows_conflict_remembers_the_state_that_was_exported(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid
    havering_changes(paths, tmp_path / "v2.xlsx", uuid, title="Open three venues")  # news to Redbridge
    edited = edit_cells(tmp_path / "v2.xlsx", tmp_path / "edited.xlsx", [("Actions", uuid, "Status", "Done")])
    with at(paths, "RED"):
        services.actions.update(services.actions.get(uuid), status="in_progress")  # changed here too
        assert import_workbook(edited).conflicts == 1
        assert services.actions.get(uuid).status == "in_progress"
        [held] = conflicts.pending_conflicts()
        conflicts.resolve_conflict(held, "theirs")
        action = services.actions.get(uuid)
        assert (action.title, action.status) == ("Open three venues", "done")
    with at(paths, "HAV"):
        export_workbook(tmp_path / "v2-again.xlsx")
    with at(paths, "RED"):
        report = import_workbook(tmp_path / "v2-again.xlsx")
        assert (report.updated, report.conflicts) == (0, 0), "Havering's unchanged state raised the conflict again"
    havering_changes(paths, tmp_path / "v3.xlsx", uuid, status="blocked")
    with at(paths, "RED"):
        assert import_workbook(tmp_path / "v3.xlsx").conflicts == 1
        assert services.actions.get(uuid).status == "done"


def test_an_edit_to_an_older_export_is_a_conflict_not_a_revert(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid
    havering_changes(paths, tmp_path / "v2.xlsx", uuid, title="Open three venues")
    with at(paths, "RED"):
        assert import_workbook(tmp_path / "v2.xlsx").updated == 1
    edited = edit_cells(tmp_path / "v1.xlsx", tmp_path / "late.xlsx", [("Actions", uuid, "Status", "Done")])
    with at(paths, "RED"):
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (0, 1)
        action = services.actions.get(uuid)
        assert action.title == "Open three venues" and action.status == "open"


def test_an_edit_on_top_of_a_change_the_importer_has_not_seen_is_applied_whole(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid
    havering_changes(paths, tmp_path / "v2.xlsx", uuid, title="Open three venues")
    edited = edit_cells(tmp_path / "v2.xlsx", tmp_path / "edited.xlsx", [("Actions", uuid, "Status", "Done")])
    with at(paths, "RED"):
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (1, 0)
        action = services.actions.get(uuid)
        assert (action.title, action.status) == ("Open three venues", "done")
    with at(paths, "HAV"):
        export_workbook(tmp_path / "v2-again.xlsx")  # Havering's state under the edit, unchanged
    with at(paths, "RED"):
        assert (import_workbook(tmp_path / "v2-again.xlsx").updated, services.actions.get(uuid).status) == (0, "done")
    havering_changes(paths, tmp_path / "v3.xlsx", uuid, priority="low")
    with at(paths, "RED"):
        assert import_workbook(tmp_path / "v3.xlsx").conflicts == 1


# ---- personal data ---------------------------------------------------------------------------------------
def test_an_edit_to_a_file_without_personal_data_is_kept_and_contact_details_stay(shared, tmp_path):
    """The file's person rows hold no contact details, so Havering's state is not in Redbridge's terms:
    the edit applies as a local change (base left as it was) and anything later from Havering that
    differs is a conflict, never a silent overwrite."""
    paths, records = shared
    person = records["person"].uuid
    with at(paths, "HAV"):
        export_workbook(tmp_path / "redacted.xlsx", personal_data=False)
    edited = edit_cells(tmp_path / "redacted.xlsx", tmp_path / "edited.xlsx",
                        [("Stakeholders", person, "Role", "Chair")])
    with at(paths, "RED"):
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (1, 0)
        who = services.stakeholders.get(person)
        assert (who.role, who.email, who.phone) == ("Chair", "sam@example.org", "+44 20 7946 0000")
    with at(paths, "HAV"):
        export_workbook(tmp_path / "redacted-again.xlsx", personal_data=False)
    with at(paths, "RED"):
        report = import_workbook(tmp_path / "redacted-again.xlsx")
        assert (report.updated, report.conflicts) == (0, 0)
        assert services.stakeholders.get(person).role == "Chair"
    with at(paths, "HAV"):
        services.stakeholders.update(services.stakeholders.get(person), role="Vice chair")
        export_workbook(tmp_path / "redacted-v2.xlsx", personal_data=False)
    with at(paths, "RED"):
        report = import_workbook(tmp_path / "redacted-v2.xlsx")
        assert (report.updated, report.conflicts) == (0, 1)
        who = services.stakeholders.get(person)
        assert (who.role, who.email) == ("Chair", "sam@example.org")


# ---- what a manager may do to the bookkeeping --------------------------------------------------------------
def test_a_file_whose_row_check_column_was_deleted_is_read_as_files_were_before(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid

    def drop_check_column(src, dest):
        wb = openpyxl.load_workbook(src)
        for ws in (wb[s.name] for s in SHEETS):
            header = [c.value for c in ws[1]]
            ws.delete_cols(header.index("Row check") + 1)
        wb.save(dest)
        return dest

    edited = edit_cells(tmp_path / "v1.xlsx", tmp_path / "e.xlsx", [("Actions", uuid, "Status", "Done")])
    edited = drop_check_column(edited, tmp_path / "no-check.xlsx")
    with at(paths, "RED"):
        report = import_workbook(edited)
        assert (report.updated, report.conflicts) == (1, 0)
        [detail] = [d for d in report.details if d.kind == "updated"]
        assert "spreadsheet" not in detail.message  # no check: the file's values are Havering's state, as before
    # Havering's next change was made from the state it exported, not from the edited one Redbridge took
    # for it (its Based on says so): a conflict, where format 1 overwrote the edit silently.
    havering_changes(paths, tmp_path / "v2.xlsx", uuid, title="Open three venues")
    with at(paths, "RED"):
        report = import_workbook(tmp_path / "v2.xlsx")
        assert (report.updated, report.conflicts) == (0, 1)
        assert services.actions.get(uuid).status == "done"


def test_typing_into_the_row_check_makes_the_row_an_edit_and_loses_nothing(shared, tmp_path):
    paths, records = shared
    uuid = records["actions"][0].uuid
    edited = edit_cells(tmp_path / "v1.xlsx", tmp_path / "edited.xlsx",
                        [("Actions", uuid, "Status", "Done"), ("Actions", uuid, "Row check", "looked at 3/2")])
    with at(paths, "RED"):
        assert (import_workbook(edited).updated, services.actions.get(uuid).status) == (1, "done")
    havering_changes(paths, tmp_path / "v2.xlsx", uuid, status="blocked")
    with at(paths, "RED"):
        assert import_workbook(tmp_path / "v2.xlsx").conflicts == 1
        assert services.actions.get(uuid).status == "done"


def test_a_row_added_by_copying_one_and_clearing_its_id_is_a_hand_added_row(shared, tmp_path):
    paths, records = shared
    wb = openpyxl.load_workbook(tmp_path / "v1.xlsx")
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    copy = [c.value for c in ws[2]]
    copy[header.index("ID")] = None
    copy[header.index("Reference")] = None
    copy[header.index("Title")] = "Book the hall"
    ws.append(copy)
    wb.save(tmp_path / "copied.xlsx")
    with at(paths, "RED"):
        assert import_workbook(tmp_path / "copied.xlsx").added == 1
        assert import_workbook(tmp_path / "copied.xlsx").added == 0, "never a duplicate"
        [hall] = services.actions.page(0, 5, search="Book the hall")
        state = store.load_state()
        assert state.sync[hall.uuid.hex][0] == store.content_hash("action_item", state.tables["action_item"].records[
            hall.uuid.hex].values), "as before: a hand-added row's content is its base"


# ---- the column itself ------------------------------------------------------------------------------------
def test_every_rows_check_is_the_content_hash_of_the_values_as_read_back(db, tmp_path):
    """The check is the hash the sync state keeps, of the row as an import reads it back; only a lone CR
    (which LibreOffice saves as LF) is counted as LF in it, as content_hash already counts CR LF."""
    services.set_actor("Officer", "Havering")
    r = make_records(text="=line one\r\nline two\t_x000D_")
    services.actions.delete(r["actions"][0])
    lone = services.updates.add(r["commitment"], "before\rafter", date=None)
    for personal_data in (True, False):
        out = export_workbook(tmp_path / f"share-{personal_data}.xlsx", personal_data=personal_data).path
        book = read_both_ways(out)
        rows = [row for sheet in SHEETS for row in book.rows[sheet.name]]
        assert len(rows) == 9 and not book.problems
        for row in rows:
            values_hash = store.content_hash(row.sheet.table, tuple(row.values))
            if row.hex == lone.uuid.hex:
                assert row.values[1] == "before\rafter" and row.check != values_hash
                as_lf = (row.values[0], "before\nafter", *row.values[2:])
                assert row.check == store.content_hash("record_update", as_lf)
            else:
                assert row.check == values_hash, (row.sheet.name, row.number)
            assert not is_edited(row.check, row.sheet.table, row.values, values_hash)
    person = next(row for row in book.rows["Stakeholders"] if row.values[1] == "person")
    assert person.values[7] == "" and person.check != store.content_hash(
        "stakeholder", store.load_state().tables["stakeholder"].records[person.hex].values), \
        "a file without personal data checks the values it holds"


def test_a_resave_that_changes_nothing_is_not_an_edit(shared, tmp_path):
    """What a spreadsheet program may do on re-save: CR LF as LF, whole numbers as floats, dates as
    date-times.  None of it is a change anyone made."""
    paths, records = shared
    with at(paths, "HAV"):
        services.actions.update(services.actions.get(records["actions"][0].uuid), description="one\r\ntwo")
        export_workbook(tmp_path / "v2.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "v2.xlsx")
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and "\r\n" in cell.value:
                    cell.value = cell.value.replace("\r\n", "\n")
                elif isinstance(cell.value, int) and not isinstance(cell.value, bool):
                    cell.value = float(cell.value)
    wb.save(tmp_path / "resaved.xlsx")
    for code in ("HAV", "RED"):
        with at(paths, code):
            book = read_both_ways(tmp_path / "resaved.xlsx")
            assert all(row.check == store.content_hash(row.sheet.table, tuple(row.values))
                       for rows in book.rows.values() for row in rows)
            report = import_workbook(tmp_path / "resaved.xlsx")
            assert report.conflicts == 0 and report.updated == (1 if code == "RED" else 0)
            assert not any("spreadsheet" in d.message for d in report.details)


# ---- format versions ------------------------------------------------------------------------------------
def test_a_format_1_file_from_before_the_row_check_imports_as_it_did(db, db_path, tmp_path):
    """tests/data/exchange_format1.xlsx was exported by the app before this change (see tests/data/README.md)."""
    old = DATA / "exchange_format1.xlsx"
    wb = openpyxl.load_workbook(old)
    assert {r[0].value: r[1].value for r in wb["About"].iter_rows() if r[0].value}["Format version"] == 1
    assert all("Row check" not in [c.value for c in wb[s.name][1]] for s in SHEETS)
    services.set_actor("Officer", "Redbridge")
    assert import_workbook(old).added == 8
    again = import_workbook(old)
    assert (again.unchanged, again.updated, again.conflicts) == (8, 0, 0)
    action = next(a for a in services.actions.page(0, 10) if a.title == "Open two venues")
    edited = edit_cells(old, tmp_path / "old-edited.xlsx", [("Actions", action.uuid, "Status", "Done")])
    report = import_workbook(edited)
    assert (report.updated, report.conflicts) == (1, 0)
    assert services.actions.get(action.uuid).status == "done"
    late = import_workbook(old)  # the state before the edit arrives again: older, nothing to do
    assert (late.updated, late.conflicts) == (0, 0)
    services.stakeholders.update(services.stakeholders.get(action.owner.uuid), role="Chair")  # a change here
    export_workbook(tmp_path / "now.xlsx")
    for path in (old, edited, tmp_path / "now.xlsx"):
        report = import_workbook(path)
        assert (report.added, report.updated, report.conflicts) == (0, 0, 0), path.name


def _with_format_version(src, dest, version):
    wb = openpyxl.load_workbook(src)
    for row in wb["About"].iter_rows():
        if row[0].value == "Format version":
            row[1].value = version
    wb.save(dest)
    return dest


def test_a_format_4_file_is_refused_and_nothing_changes(shared, tmp_path):
    paths, _ = shared
    newer = _with_format_version(tmp_path / "v1.xlsx", tmp_path / "newer.xlsx", 4)
    before = dump(paths["RED"])
    with at(paths, "RED"), pytest.raises(ExchangeError) as refused:
        import_workbook(newer)
    message = str(refused.value)
    assert message.startswith("newer.xlsx was not imported") and "exchange format 4" in message
    assert "this version reads format 3" in message and "Install the newer version" in message
    assert dump(paths["RED"]) == before


@pytest.mark.parametrize("old", [1, 2])
def test_an_older_app_refuses_a_format_3_file(shared, tmp_path, monkeypatch, old):
    """What the apps before the Row check (1) and before periods (2) do with today's files (their reader
    is this one with their number)."""
    from tracker.exchange import reader

    paths, _ = shared
    monkeypatch.setattr(reader, "FORMAT_VERSION", old)
    before = dump(paths["RED"])
    with at(paths, "RED"), pytest.raises(ExchangeError, match=f"exchange format 3 .* reads format {old}"):
        import_workbook(tmp_path / "v1.xlsx")
    assert dump(paths["RED"]) == before
