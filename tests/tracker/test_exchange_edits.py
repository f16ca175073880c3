"""The Row check column (exchange format 2): what it holds, that a re-save is not an edit, old and new formats.

Havering exports, a manager edits the file in a spreadsheet program, Redbridge imports it.  The
``Row check`` column tells the state Havering exported from what the manager changed.
"""

from pathlib import Path

import openpyxl
import pytest

from tests.tracker.exchange_helpers import council_db, dump, edit_cells, make_records, read_both_ways
from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.exchange.format import SHEETS
from tracker.exchange.rowcheck import is_edited
from tracker.exchange.safety import ExchangeError
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


def test_a_format_3_file_is_refused_and_nothing_changes(shared, tmp_path):
    paths, _ = shared
    newer = _with_format_version(tmp_path / "v1.xlsx", tmp_path / "newer.xlsx", 3)
    before = dump(paths["RED"])
    with at(paths, "RED"), pytest.raises(ExchangeError) as refused:
        import_workbook(newer)
    message = str(refused.value)
    assert message.startswith("newer.xlsx was not imported") and "exchange format 3" in message
    assert "this version reads format 2" in message and "Install the newer version" in message
    assert dump(paths["RED"]) == before


def test_an_app_that_reads_format_1_refuses_a_format_2_file(shared, tmp_path, monkeypatch):
    """What the app before this change does with today's files (its reader is this one with 1)."""
    from tracker.exchange import reader

    paths, _ = shared
    monkeypatch.setattr(reader, "FORMAT_VERSION", 1)
    before = dump(paths["RED"])
    with at(paths, "RED"), pytest.raises(ExchangeError, match="exchange format 2 .* reads format 1"):
        import_workbook(tmp_path / "v1.xlsx")
    assert dump(paths["RED"]) == before
