"""Reading partners' files (tracker.tableimport): every format, the header under title rows, rows that
are not records, the suggested mapping, and values read as people write them (dates above all)."""

import csv
import datetime as dt
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker import services
from tracker.dates import Period
from tracker.exchange.safety import FileRefused
from tracker.opening import open_database
from tracker.tableimport import ImportRefused
from tracker.tableimport.sources import decode, read_source, sniff_delimiter
from tracker.tableimport.values import date_of, date_order, phone_of

from tests.tracker.table_import_helpers import SIGN_IN, run, workbook


def people(db):
    return {s.name: s for s in services.stakeholders.query() if s.kind == "person"}


def test_a_sign_in_sheet_under_title_rows_imports_its_people_once(db, tmp_path):
    path = workbook(tmp_path / "signin.xlsx", {"Sign-in": SIGN_IN})
    plan, import_id = run(path)
    data = plan.as_json(import_id)
    assert data["header_row"] == 4
    assert data["mapping"] == {"Surname": "surname", "First name": "first_name", "Organisation": "organisation",
                               "Job title": "role", "E-mail": "email", "Telephone": "phone", "Borough": "councils"}
    skipped = {s["row"]: s["why"] for s in data["sheets"][0]["skipped"]}
    assert skipped[7].startswith("a section row") and skipped[10] == "blank" and skipped[11].startswith("a footer")
    found = people(db)
    assert sorted(found) == ["Dan Smith", "Grace Okafor", "Ravi Patel"]  # Grace signed in twice: one person
    grace = found["Grace Okafor"]
    assert grace.phone == "07700900123"  # the leading zero the spreadsheet lost is back
    assert grace.role == "Inspector" and grace.email == "grace.okafor@met.example"
    assert grace.organisation.name == "Metropolitan Police Service" and grace.organisation.kind == "organisation"
    assert [c.name for c in services.stakeholders.councils_of(grace)] == ["Havering"]
    assert data["added"] == 6  # three people, three organisations


def test_hidden_sheets_are_never_imported(db, tmp_path):
    hidden = [["Name", "Email"], ["Secret Person", "secret@example.org"]]
    path = workbook(tmp_path / "two.xlsx", {"Visible": [["Name", "Email"], ["Open Person", "open@example.org"]],
                                            "Old": (hidden, {"hidden": True})})
    plan, _ = run(path)
    assert sorted(people(db)) == ["Open Person"]
    assert "Old" in plan.source.hidden
    with pytest.raises(ImportRefused, match="hidden"):
        run(path, sheets=("Old",))


def test_merged_cells_fill_down_and_merged_headers_are_told_apart(db, tmp_path):
    rows = [["Contacts", None, None], ["Organisation", "Name", "Name"],
            ["Havering Faith Forum", "Ann Lee", "x"], [None, "Bo Chan", "y"]]
    path = workbook(tmp_path / "merged.xlsx", {"S": (rows, {"merged": ["A1:C1", "A3:A4"]})})
    plan, _ = run(path, dry_run=True)
    assert plan.used[0].headers == ["Organisation", "Name", "Name (2)"]
    assert plan.used[0].mapping["Name (2)"] is None
    orgs = {e.name: plan.organisations[e.organisation].name for e in plan.entries}
    assert orgs == {"Ann Lee": "Havering Faith Forum", "Bo Chan": "Havering Faith Forum"}


def test_macro_workbooks_are_read_as_data(db, tmp_path):
    import zipfile

    path = workbook(tmp_path / "plain.xlsx", {"S": [["Name", "Email"], ["Ann Lee", "ann@example.org"]]})
    xlsm = tmp_path / "with-macros.xlsm"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(xlsm, "w") as out:
        for item in src.infolist():
            out.writestr(item, src.read(item.filename))
        out.writestr("xl/vbaProject.bin", b"\x00macro that must never run")
    plan, _ = run(xlsm, dry_run=True)
    assert plan.source.kind == "xlsm" and [e.name for e in plan.entries] == ["Ann Lee"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_each_encoding_and_delimiter_keeps_quoted_commas_quotes_and_line_breaks(db, tmp_path, encoding,
                                                                                       delimiter):
    note = 'Says "hello", then\nleaves'
    name = "Zoë Ó Súilleabháin" if encoding != "cp1252" else "Zoë O’Neill"
    q = lambda text: '"' + text.replace('"', '""') + '"'  # noqa: E731
    lines = ["Name" + delimiter + "Organisation" + delimiter + "Notes",
             q(name) + delimiter + q("Barking, Dagenham & Co") + delimiter + q(note)]
    path = tmp_path / "list.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    plan, _ = run(path)
    assert plan.source.delimiter == delimiter
    # Latin-1 text of these letters is also Windows-1252 text, and reads the same
    assert plan.source.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}.get(encoding, "cp1252")
    person = people(db)[name]
    assert person.notes == note and person.organisation.name == "Barking, Dagenham & Co"


def test_encodings_are_told_apart_without_guessing():
    assert decode("Zoë".encode("utf-8")) == ("Zoë", "utf-8")
    assert decode("\ufeffZoë".encode("utf-8")) == ("Zoë", "utf-8-sig")
    assert decode("O’Neill – £5".encode("cp1252")) == ("O’Neill – £5", "cp1252")
    assert decode(b"caf\xe9 \x81") == ("café \x81", "latin-1")  # 0x81 is undefined in Windows-1252
    assert sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("name\tnote\nA\tx, y\n") == "\t"


def test_csv_rows_are_numbered_as_records_with_the_header_first(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('Name,Email\n"Ann\nLee",ann@example.org\nBo Chan,not-an-email\n', encoding="utf-8")
    plan, _ = run(path, dry_run=True)
    assert [(p.row, p.column, p.value) for p in plan.problems] == [(3, "Email", "not-an-email")]


def test_dates_decide_their_order_per_column_and_never_swap(db, tmp_path):
    rows = [["Action", "Due date", "Target date", "Start"],
            ["One", "04/13/2019", "13/04/2019", "03/04/2019"],
            ["Two", "05/01/2019", "05/01/2019", "04/05/2019"]]
    path = workbook(tmp_path / "actions.xlsx", {"Log": rows})
    plan, _ = run(path, kind="actions", dry_run=True, maps=("Start=ignore",))
    assert plan.used[0].dates == {"Due date": "month-first"}
    entries = {e.values["title"]: e.values for e in plan.entries}
    assert entries["One"]["due_date"] == dt.date(2019, 4, 13) and entries["Two"]["due_date"] == dt.date(2019, 5, 1)
    assert date_order(["03/04/2019", "04/05/2019"]) == ("day-first", False)  # undecidable: day-first, flagged
    assert date_order(["13/04/2019", "04/13/2019"])[0] == "day-first"  # both: day-first, 04/13 is then bad
    with pytest.raises(ValueError):
        date_of("04/13/2019", month_first=False)


def test_an_undecidable_date_column_is_flagged_and_a_contradiction_is_a_bad_row(db, tmp_path):
    rows = [["Action", "Due"], ["One", "03/04/2019"], ["Two", "13/04/2019"], ["Three", "04/14/2019"]]
    plan, _ = run(workbook(tmp_path / "a.xlsx", {"Log": rows}), kind="actions", dry_run=True)
    assert [(p.row, p.column, p.value) for p in plan.problems] == [(4, "Due", "04/14/2019")]
    rows = [["Action", "Due"], ["One", "03/04/2019"]]
    plan, _ = run(workbook(tmp_path / "b.xlsx", {"Log": rows}), kind="actions", dry_run=True)
    assert plan.as_json()["dates"] == {"Due": "day-first (undecided)"}
    assert plan.entries[0].values["due_date"] == dt.date(2019, 4, 3)


def test_date_cells_serials_and_words(db, tmp_path):
    rows = [["Action", "Due"], ["Cell", dt.datetime(2019, 1, 16, 9, 30)], ["Serial", 43481], ["Zero", 0],
            ["Words", "TBC"], ["Month", "Mar-19"], ["Quarter", "Q2 2019"], ["Week", "w/c 06/05/19"]]
    path = workbook(tmp_path / "a.xlsx", {"Log": (rows, {"formats": {"B3": "General"}})})
    plan, _ = run(path, kind="actions", dry_run=True)
    due = {e.values["title"]: e.values.get("due_date") for e in plan.entries}
    assert due == {"Cell": dt.date(2019, 1, 16), "Serial": dt.date(2019, 1, 16), "Zero": None, "Words": None,
                   "Month": Period(dt.date(2019, 3, 31), "month"), "Quarter": Period(dt.date(2019, 6, 30), "quarter"),
                   "Week": dt.date(2019, 5, 6)}
    assert due["Month"] != dt.date(2019, 3, 31)  # the precision is kept, not only the last day
    words = {e.values["title"]: e.values.get("description", "") for e in plan.entries}
    assert "Due: TBC" in words["Words"] and "Q2 2019" not in words["Quarter"]  # no longer needed in the notes


def test_phone_numbers_regain_their_leading_zero():
    assert phone_of(7700900123.0) == "07700900123"
    assert phone_of("2079460001") == "02079460001"
    assert phone_of("+44 20 7946 0001") == "+44 20 7946 0001"


def test_a_file_that_is_no_table_is_refused_naming_the_file(db, tmp_path):
    notes = workbook(tmp_path / "notes.xlsx", {"Notes": [["Just a note"], ["Another"]]})
    with pytest.raises(ImportRefused, match=r"notes.xlsx was not imported as stakeholders: sheet 'Notes': no header"):
        run(notes)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileRefused, match="empty.csv was not imported: the file is empty"):
        run(empty)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(FileRefused, match="old.xls was not imported: it is password-protected or an old Excel"):
        run(xls)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_saved_ods_and_windows_csv_import_like_the_xlsx(db, tmp_path):
    rows = [["Contact list"], [], ["Name", "Organisation", "Phone", "Email"],
            ["Zoë Brennan", "Redbridge Schools — “North” cluster", 2089001234, "zoe@school.example"],
            ["Ade Bello", "Havering Mosque", "07700 900456", "ade@mosque.example"]]
    source = workbook(tmp_path / "contacts.xlsx", {"Contacts": rows})
    for target in ("ods", "csv:Text - txt - csv (StarCalc):59,34,1"):  # 1: LibreOffice's number for Windows-1252
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                        target, "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    expected = run(source, dry_run=True)[0]
    for name in ("contacts.ods", "contacts.csv"):
        plan = run(tmp_path / name, dry_run=True)[0]
        assert plan.as_json()["mapping"] == expected.as_json()["mapping"], name
        assert [(e.row, e.values) for e in plan.entries] == [(e.row, e.values) for e in expected.entries], name
    assert "— “North”".encode("cp1252") in (tmp_path / "contacts.csv").read_bytes()  # really Windows-1252
    csv_plan = run(tmp_path / "contacts.csv", dry_run=True)[0]
    assert (csv_plan.source.encoding, csv_plan.source.delimiter) == ("cp1252", ";")
    assert read_source(tmp_path / "contacts.ods").kind == "ods"


AWKWARD = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85")
                  | st.sampled_from(["\n", ",", ";", '"', "'", "=", "é", "😀", "\t"]), min_size=1, max_size=60)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=AWKWARD, fmt=st.sampled_from(["xlsx", "csv"]))
def test_awkward_text_comes_back_as_written_and_twice_changes_nothing(db, tmp_path_factory, notes, fmt):
    notes = notes.strip(" \t\r\n\u00a0\u200b\ufeff")
    assume(notes and "\r" not in notes)
    folder = tmp_path_factory.mktemp("awkward")
    open_database(folder / "own.db", create=True)  # each example its own database: no matches between them
    name = "Ann Example"
    if fmt == "xlsx":
        assume(not notes.startswith("="))  # openpyxl would write it as a formula
        path = workbook(folder / "t.xlsx", {"S": [["Name", "Notes"], [name, notes]]})
    else:
        path = folder / "t.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([["Name", "Notes"], [name, notes]])
    run(path)
    assert services.stakeholders.find_by_name(name)[0].notes == notes
    assert run(path)[1] is None
