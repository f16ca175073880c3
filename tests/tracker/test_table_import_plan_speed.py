"""The planning half's shortcuts give what the long ways give: the worksheets the file gate hands back are the
bytes the zip holds and the unsaved-formula scan finds the same cells with them; the new people's check, which
applies the rule of a field a row does not give once, reports what ``validate`` of each row's whole state
reports; a short row (fewer cells than the header) and a phone column read as before."""

import zipfile

from tracker.exchange.safety import check_file
from tracker.tableimport import Options, plan_import
from tracker.tableimport.formulas import unsaved_formulas
from tracker.tableimport.plan import _check_new_people
from tracker.tableimport.sources import Sheet, read_source
from tracker.tableimport.table import read_sheet

from tests.tracker.table_import_helpers import validated_the_long_way, workbook


def _with_formulas(path):
    """A workbook as openpyxl writes it: formulas without their results."""
    return workbook(path, {"Contacts": [["First name", "Surname", "Name", "Email"],
                                        ["Grace", "Okafor", '=A2&" "&B2', '=LOWER(A2)&"@met.example"'],
                                        ["Ravi", "Patel", '=A3&" "&B3', "ravi@ryt.example"]],
                           "Second": [["Name", "=1+1"]]})


def test_the_gate_hands_back_the_worksheets_as_the_zip_holds_them(tmp_path):
    path = _with_formulas(tmp_path / "generated.xlsx")
    checked = check_file(path, formats=("xlsm", "ods"), keep=lambda name: name.startswith("xl/worksheets/"))
    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/")]
        assert sorted(checked.parts) == sorted(sheets) and len(sheets) == 2
        for name in sheets:
            assert checked.parts[name] == zf.read(name)
    assert check_file(path, formats=("xlsm", "ods")).parts == {}  # nothing kept unless asked
    found = unsaved_formulas(checked.data, checked.parts)
    assert found == unsaved_formulas(checked.data)  # read from the zip again: the same cells
    assert found == {"Contacts": {(2, 2): '=A2&" "&B2', (2, 3): '=LOWER(A2)&"@met.example"', (3, 2): '=A3&" "&B3'},
                     "Second": {(1, 1): "=1+1"}}
    assert read_source(path).sheets[0].unsaved == found["Contacts"]


def test_the_new_peoples_check_reports_what_validate_of_each_whole_state_reports(db, tmp_path):
    path = workbook(tmp_path / "people.xlsx", {"People": [
        ["Name", "Organisation", "Email", "Website", "Role", "Sector", "Influence"],
        ["Grace Okafor", "Met", "not an email", "", "Inspector", "", ""],
        ["Ravi Patel", "", "", "www.ryt.example", "", "police", 3],
        ["Amy Lee", "", "amy@x.example", "", "R" * 201, "", ""],
        ["Dan Smith", "", "", "", "", "", 9],
        ["Ann Oke", "", "", "https://ok.example", "", "", ""],
    ]})
    plan = plan_import(path, Options())
    problems = [(p.row, p.column, p.value, p.reason) for p in plan.problems]
    expected = validated_the_long_way(plan)
    assert len(expected) == 2  # (the read finds the others: a score of 9, a role too long)
    for row in expected:
        assert row in problems
    assert len({tuple(e.values) for e in plan.entries}) >= 4  # rows giving different fields
    plan.problems = []
    _check_new_people(plan)
    assert [(p.row, p.column, p.value, p.reason) for p in plan.problems] == expected
    assert (2, "Email", "not an email", "is not an email address (it should look like name@example.org)") in expected
    assert (3, "Website", "www.ryt.example", "must start with http:// or https://") in expected


def test_short_rows_and_phone_cells_read_as_written():
    sheet = Sheet("S", [["Name", "Email", "Phone", "Notes"],
                        ["Grace Okafor", "g@met.example", "7700900123"],  # a spreadsheet dropped the 0
                        ["Ravi Patel"],
                        ["Amy Lee", "", "020 7946 0001", "n"],
                        ["Dan Smith", None, 2079460002, None],
                        ["Ann Oke", "", "\u00b2\u00b3", ""]])
    table = read_sheet(sheet, "stakeholders")
    assert [(r.row, r.values) for r in table.records] == [
        (2, {"name": "Grace Okafor", "email": "g@met.example", "phone": "07700900123"}),
        (3, {"name": "Ravi Patel"}),
        (4, {"name": "Amy Lee", "phone": "020 7946 0001", "notes": "n"}),
        (5, {"name": "Dan Smith", "phone": "02079460002"}),
        (6, {"name": "Ann Oke", "phone": "\u00b2\u00b3"})]
    assert sheet.rows[2] == ["Ravi Patel"]  # the sheet's rows are left as they were
