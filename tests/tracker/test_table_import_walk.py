"""What the acceptance walk of issue 13 found, on files a real LibreOffice wrote: an .ods keeps its
merged areas (one organisation over several people), as the .xlsx it was saved from does; a date cell
holding 0 is no date in any format; an action log's "Commitment" column names the commitment; options
written wrong are usage errors (exit 2)."""

import datetime as dt
import shutil
import subprocess

import pytest

from tracker import services
from tracker.dates import Period
from tracker.db import close_database
from tracker.models import ActionItem, Stakeholder
from tracker.opening import open_database
from tracker.tableimport.odsmerged import merged_areas
from tracker.tableimport.sources import read_source

from tests.tracker.table_import_helpers import corpus_folder, run, tracker, tracker_json, workbook

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def libreoffice(tmp_path, source, target):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", target,
                    "--outdir", str(tmp_path / "lo-out"), str(source)], check=True, capture_output=True, timeout=180)
    return tmp_path / "lo-out" / f"{source.stem}.{target.split(':')[0]}"


def _people():
    return sorted((s.name, s.organisation.name if s.organisation else None) for s in Stakeholder.select()
                  if s.kind == "person")


@needs_libreoffice
@pytest.mark.slow
def test_an_ods_fills_its_merged_organisation_down_like_the_xlsx(db, tmp_path):
    rows = [["Cluster contacts"], ["Name", "School", "Email"],
            ["Zoë Brennan", "Havering Sixth Form College", "zoe@hsfc.example"],
            ["Olu Adebayo", None, "olu@hsfc.example"],
            ["Amy Lee", None, "amy@hsfc.example"],
            ["Kim Li", "Redbridge Primary", "kim@rp.example"]]
    source = workbook(tmp_path / "contacts.xlsx", {"Contacts": (rows, {"merged": ["B3:B5", "A1:C1"]})})
    ods = libreoffice(tmp_path, source, "ods")
    assert merged_areas(ods.read_bytes()) == {"Contacts": [((0, 0), (0, 2)), ((2, 1), (4, 1))]}
    assert read_source(ods).sheets[0].rows[3][1] == "Havering Sixth Form College"
    run(ods)
    assert _people() == [("Amy Lee", "Havering Sixth Form College"), ("Kim Li", "Redbridge Primary"),
                         ("Olu Adebayo", "Havering Sixth Form College"), ("Zoë Brennan", "Havering Sixth Form College")]


def test_the_corpus_ods_with_merged_areas_reports_them():
    folder = corpus_folder()
    if folder is None:
        pytest.skip("the corpus (../shared/corpus/xlsx-real) is not beside this checkout")
    assert merged_areas((folder / "calamine__covered.ods").read_bytes()) == {"sheet1": [((1, 0), (2, 0))]}
    assert merged_areas((folder / "calamine__issue_594_dos.ods").read_bytes()) == {}  # a billion rows: counted


@pytest.mark.slow
def test_a_date_cell_holding_zero_is_no_date_in_every_format(db, tmp_path):
    """Serial 0 formatted as a date (a formula's empty result): calamine reads midnight from the .xlsx,
    LibreOffice writes 30/12/1899 in its .ods and CSV; none is a bad row, each is no date.  A date-time
    a program wrote as text ("2019-01-16 09:30:00") is its day."""
    rows = [["Action", "Due"], ["Zero", 0], ["Null", dt.datetime(1899, 12, 30)], ["Real", dt.datetime(2019, 1, 16)]]
    source = workbook(tmp_path / "log.xlsx", {"Log": (rows, {"formats": {"B2": "dd/mm/yyyy", "B3": "dd/mm/yyyy"}})})
    files = [source]
    if shutil.which("soffice"):
        files += [libreoffice(tmp_path, source, "ods"), libreoffice(tmp_path, source, "csv:Text - txt - csv (StarCalc):44,34,76")]
    for path in files:
        plan, _ = run(path, kind="actions", dry_run=True)
        assert plan.problems == [], (path.name, plan.problems)
        assert {e.values["title"]: e.values.get("due_date") for e in plan.entries} == {
            "Zero": None, "Null": None, "Real": dt.date(2019, 1, 16)}, path.name
    exported = tmp_path / "export.csv"
    exported.write_text("Action,Due\nA,2019-01-16 09:30:00\nB,00/01/1900\nC,16/01/2019 17:05\n", encoding="utf-8")
    run(exported, kind="actions")
    assert {a.title: a.due_date for a in ActionItem.select()} == {"A": dt.date(2019, 1, 16), "B": None,
                                                                  "C": dt.date(2019, 1, 16)}


def test_an_action_logs_commitment_column_names_the_commitment(db, tmp_path):
    met = services.stakeholders.create(name="Metropolitan Police Service", kind="organisation", sector="police")
    streets = services.commitments.create(title="Safer streets", made_by=met, date_made=dt.date(2019, 1, 16))
    rows = [["Action", "Lead officer", "Target date", "Commitment"],
            ["Knife bins at stations", "Met Police", "Mar-19", "Safer streets"],
            ["Parent workshops", "Gangs Unit", "TBC", "Something else"]]
    plan, _ = run(workbook(tmp_path / "log.xlsx", {"Log": rows}), kind="actions")
    assert plan.as_json()["mapping"]["Commitment"] == "commitment"
    bins = ActionItem.get(ActionItem.title == "Knife bins at stations")
    assert (bins.commitment_id, bins.owner_id, bins.due_date) == (streets.id, met.id, Period(dt.date(2019, 3, 31),
                                                                                            "month"))
    workshops = ActionItem.get(ActionItem.title == "Parent workshops")
    assert workshops.commitment is None and workshops.owner is None and workshops.due_date is None
    assert workshops.description.splitlines() == ["Owner (as written): Gangs Unit",
                                                  "Commitment (as written): Something else", "Target date: TBC"]


@pytest.mark.parametrize("argv, message", [
    (["--map", "Name"], "--map 'Name' should be \"Header=field\""),
    (["--map", "Name=nonsense"], "'nonsense' is not a field of stakeholders"),
    (["--map-value", "Status"], "--map-value 'Status' should be \"Header:written=stored\""),
    (["--encoding", "klingon"], "--encoding 'klingon' is not an encoding name"),
    (["--as", "attendance"], "--event is needed to import attendance"),
])
def test_options_written_wrong_are_usage_errors(db_path, tmp_path, argv, message):
    open_database(db_path, create=True)
    close_database()
    path = tmp_path / "list.csv"
    path.write_text("Name,Email\nBo Chan,bo@example.org\n", encoding="utf-8")
    kind = [] if "--as" in argv else ["--as", "stakeholders"]
    code, out, err = tracker(db_path, "import-table", path, *kind, *argv, "--json")
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1, (code, out, err)
    code, data = tracker_json(db_path, "import-table", path, "--as", "stakeholders", "--encoding", "cp1252")
    assert code == 0 and data["added"] == 1


def test_the_report_gives_the_partner_their_whole_row_back(db, db_path, tmp_path):
    """Columns the import ignores (a form's ID, its completion time) come back in the report as written,
    beside the bad cell highlighted and the reason."""
    services.stakeholders.create(name="Dan Smith", kind="person",
                                 organisation=services.stakeholders.create(name="Barking Faith Forum",
                                                                           kind="organisation", sector="faith"))
    rows = [["ID", "Completion time", "Email", "Name", "Organisation", "Commitment"],
            [7, dt.datetime(2019, 1, 16, 9, 45), "dan@example.org", "Smith, Dan", None, "Open the hall"],
            [8, dt.datetime(2019, 1, 16, 9, 55), "new@x.example", "Nobody Known", None, "Something"],
            [9, dt.datetime(2019, 1, 16, 9, 58), "kim@x.example", "Kim Li", "Redbridge Primary", "Reading club"]]
    path = workbook(tmp_path / "form.xlsx", {"Form1": rows})
    close_database()
    code, out, err = tracker(db_path, "import-table", path, "--as", "commitments", "--report", tmp_path / "bad.xlsx")
    assert code == 1 and "nothing was changed" in err
    assert "'Dan Smith' names no organisation, and is not certainly one of the people held under a name like it " \
           "(Dan Smith, ID 2, 100%): give the row their organisation or the email held" in err
    assert "Nobody Known" not in err.split("rejected:", 1)[1]  # not held: made the maker (test_table_import_makers)
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "bad.xlsx")["Form1"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Row", "ID", "Completion time", "Email", "Name", "Organisation", "Commitment", "Why"]
    assert values[1][:7] == [2, "7", "16/01/2019 09:45", "dan@example.org", "Smith, Dan", None, "Open the hall"]
    assert len(values) == 2
    assert [c.coordinate for c in ws[2] if c.fill.fgColor.rgb.endswith("FFC7CE")] == ["E2"]


def test_importing_again_says_there_was_nothing_to_import_not_dry_run(db_path, tmp_path):
    open_database(db_path, create=True)
    close_database()
    path = tmp_path / "list.csv"
    path.write_text("Name,Email\nBo Chan,bo@example.org\n", encoding="utf-8")
    assert tracker(db_path, "import-table", path, "--as", "stakeholders")[0] == 0
    code, out, _ = tracker(db_path, "import-table", path, "--as", "stakeholders")
    assert code == 0 and out.strip().endswith("Nothing to import: 0 added, 1 matched (0 updated, 1 unchanged), "
                                              "0 held for review, 0 rejected. Nothing was changed.")
    code, out, _ = tracker(db_path, "import-table", path, "--as", "stakeholders", "--dry-run")
    assert code == 0 and "Dry run: 0 added, 1 matched" in out
