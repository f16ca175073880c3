"""The exchange workbook in real spreadsheet programs: LibreOffice re-saves it, converts it to CSV and PDF;
Gnumeric re-saves it.  A re-save that changes nothing is not an edit; an edit is; the Based on column
comes back as it was written."""

import csv
import shutil
import subprocess

import pytest

from tests.tracker.exchange_helpers import council_db, edit_cells, make_records, read_both_ways, snapshot
from tracker import services
from tracker.dates import parse_uk_date
from tracker.exchange import export_workbook, import_workbook

pytestmark = [pytest.mark.real_client,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")]

NASTY = "=cmd|' /C calc'!A0"


def soffice(tmp_path, src, convert_to, outdir):
    profile = tmp_path / "lo-profile"
    outdir.mkdir(exist_ok=True)
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", convert_to, "--outdir", str(outdir), str(src)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    produced = sorted(outdir.iterdir())
    assert produced, (result.stdout, result.stderr)
    return produced[0]


def crlf_as_lf(snap):
    return {t: {h: tuple(v.replace("\r\n", "\n") if isinstance(v, str) else v for v in values)
                for h, values in recs.items()} for t, recs in snap.items()}


@pytest.fixture
def exported(tmp_path):
    path = tmp_path / "hav.db"
    with council_db(path, "Havering"):
        r = make_records(text=NASTY)
        services.updates.add(r["actions"][0], "+44 line\nsecond line\r\nthird\t@end", date=None)
        services.stakeholders.create(name="-minus first", kind="organisation", sector="other",
                                     notes="@SUM(A1)", website="https://example.org/a?b=1")
        services.actions.delete(r["actions"][0])
        for title, due in (("By the quarter", "Q2 2019"), ("By the month", "Mar 2019"), ("By the year", "FY 2019/20")):
            services.actions.create(title=title, due_date=parse_uk_date(due, periods=True))  # written as text
        before = snapshot()
        out = export_workbook(tmp_path / "share.xlsx").path
    return out, before


def test_libreoffice_resaved_workbook_imports_with_zero_differences(tmp_path, exported):
    src, before = exported
    resaved = soffice(tmp_path, src, "xlsx", tmp_path / "resaved")
    with council_db(tmp_path / "red.db", "Redbridge"):
        report = import_workbook(resaved)
        assert report.applied and report.rejected == 0, report.refused
        # LibreOffice stores a CR LF inside a cell as LF; everything else is exactly as exported
        assert snapshot() == crlf_as_lf(before) != before
    with council_db(tmp_path / "hav.db", "Havering"):
        again = import_workbook(resaved)  # back at the exporting council: nothing changed
        assert (again.added, again.updated, again.conflicts) == (0, 0, 0)


def test_libreoffice_converts_to_csv_and_shows_formula_text_literally(tmp_path, exported):
    src, _ = exported
    out = soffice(tmp_path, src, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                  tmp_path / "csv")
    # sheet -1: every sheet becomes its own CSV file, share-<Sheet>.csv
    texts = {p.stem.split("-", 1)[1]: p.read_text(encoding="utf-8") for p in out.parent.iterdir()}
    assert set(texts) == {"Stakeholders", "Events", "Attendance", "Commitments", "Actions", "Updates", "Merges",
                          "Not duplicates", "About"}
    for name, text in texts.items():
        assert "#NAME" not in text and "Err:" not in text, name
    actions = list(csv.DictReader(texts["Actions"].splitlines(keepends=True)))
    assert actions[0]["Description"] == NASTY and actions[0]["Title"] == f"Action 0 {NASTY}"
    due = {a["Title"]: a["Due date"] for a in actions if a["Title"].startswith("By the")}
    assert due == {"By the quarter": "Q2 2019", "By the month": "Mar 2019", "By the year": "FY 2019/20"}
    stakeholders = list(csv.DictReader(texts["Stakeholders"].splitlines(keepends=True)))
    minus = next(s for s in stakeholders if s["Name"] == "-minus first")
    assert minus["Notes"] == "@SUM(A1)"


def test_libreoffice_converts_to_pdf(tmp_path, exported):
    src, _ = exported
    pdf = soffice(tmp_path, src, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "=cmd|" in text and "Err:" not in text and "#NAME" not in text


# ---- the Row check: a re-save is not an edit, an edit is --------------------------------------------
def gnumeric(src, dest):
    result = subprocess.run(["ssconvert", str(src), str(dest)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0 and dest.exists(), result.stderr
    return dest


needs_gnumeric = pytest.mark.skipif(shutil.which("ssconvert") is None,
                                    reason="Gnumeric (ssconvert, Debian package gnumeric) is not installed")


@pytest.fixture
def shared(tmp_path):
    """Havering exported share.xlsx (formula-like text, CR LF, lone CRs); Redbridge imported it."""
    with council_db(tmp_path / "hav.db", "Havering"):
        r = make_records(text=NASTY, n=2)
        services.updates.add(r["actions"][0], "+44 line\nsecond line\r\nthird\t@end", date=None)
        services.updates.add(r["commitment"], "before\rafter", date=None)  # LibreOffice keeps this CR
        lone = services.updates.add(r["commitment"], "first\nsecond\rthird", date=None)  # and makes this one LF
        services.actions.delete(r["actions"][0])
        out = export_workbook(tmp_path / "share.xlsx").path
    with council_db(tmp_path / "red.db", "Redbridge"):
        assert import_workbook(out).added == 12
    return out, r, lone


def import_at(tmp_path, code, path):
    with council_db(tmp_path / f"{code.lower()}.db", {"HAV": "Havering", "RED": "Redbridge"}[code]):
        return import_workbook(path)


def havering_changes_status(tmp_path, uuid, status):
    with council_db(tmp_path / "hav.db", "Havering"):
        services.actions.update(services.actions.get(uuid), status=status)
        return export_workbook(tmp_path / f"hav-{status}.xlsx").path


def test_a_libreoffice_resave_that_changes_nothing_is_not_an_edit(tmp_path, shared):
    src, r, lone = shared
    resaved = soffice(tmp_path, src, "xlsx", tmp_path / "resaved")
    for code in ("RED", "HAV"):
        report = import_at(tmp_path, code, resaved)
        assert (report.added, report.conflicts, report.updated, report.unchanged) == (0, 0, 1, 11), report.details
        # the one update is LibreOffice's LF for a CR, taken as Havering's state (as before the check)
        [update] = [d for d in report.details if d.kind == "updated"]
        assert update.id == str(lone.uuid) and "spreadsheet" not in update.message
        assert update.changes == [("Text", "first\nsecond\rthird", "first\nsecond\nthird")]
    later = havering_changes_status(tmp_path, r["actions"][1].uuid, "done")
    report = import_at(tmp_path, "RED", later)
    assert (report.updated, report.conflicts) == (1, 0), "a re-saved row was taken for an edit"


@pytest.mark.parametrize("order", ["edited, then re-saved by LibreOffice", "re-saved by LibreOffice, then edited"])
def test_an_edit_in_a_file_libreoffice_saved_is_an_edit(tmp_path, shared, order):
    src, r, _ = shared
    uuid = r["actions"][1].uuid
    if order.startswith("edited"):
        edited = soffice(tmp_path, edit_cells(src, tmp_path / "edited.xlsx", [("Actions", uuid, "Status", "Blocked")]),
                         "xlsx", tmp_path / "resaved")
    else:
        edited = edit_cells(soffice(tmp_path, src, "xlsx", tmp_path / "resaved"), tmp_path / "edited.xlsx",
                            [("Actions", uuid, "Status", "Blocked")])
    report = import_at(tmp_path, "RED", edited)
    [update] = [d for d in report.details if d.kind == "updated" and d.sheet == "Actions"]
    assert ("Status", "Open", "Blocked") in update.changes and "edited in a spreadsheet" in update.message
    assert report.conflicts == 0
    later = havering_changes_status(tmp_path, uuid, "done")
    report = import_at(tmp_path, "RED", later)
    assert report.conflicts == 1
    with council_db(tmp_path / "red.db", "Redbridge"):
        assert services.actions.get(uuid).status == "blocked", "the edit made in the spreadsheet is kept"


@needs_gnumeric
def test_a_gnumeric_resave_that_changes_nothing_is_not_an_edit_and_an_edit_is(tmp_path, shared):
    src, r, _ = shared
    resaved = gnumeric(src, tmp_path / "gnumeric.xlsx")
    for code in ("RED", "HAV"):
        report = import_at(tmp_path, code, resaved)
        assert (report.added, report.updated, report.conflicts, report.unchanged) == (0, 0, 0, 12), report.details
    uuid = r["actions"][1].uuid
    edited = gnumeric(edit_cells(src, tmp_path / "edited.xlsx", [("Actions", uuid, "Status", "Blocked")]),
                      tmp_path / "edited-gnumeric.xlsx")
    report = import_at(tmp_path, "RED", edited)
    assert report.updated == 1 and "edited in a spreadsheet" in report.details[0].message
    report = import_at(tmp_path, "RED", havering_changes_status(tmp_path, uuid, "done"))
    assert report.conflicts == 1


# ---- Based on: a re-save keeps it, and it still tells a change made beside this database's ----------------
def based_on_cells(path):
    with council_db(path.parent / "reader.db", "Redbridge"):
        book = read_both_ways(path)
    return {row.hex: row.based_on for rows in book.rows.values() for row in rows}


@pytest.mark.parametrize("program", ["LibreOffice", pytest.param("Gnumeric", marks=needs_gnumeric)])
def test_based_on_survives_a_resave_and_a_concurrent_change_is_still_a_conflict(tmp_path, shared, program):
    src, r, _ = shared
    uuid = r["actions"][1].uuid
    with council_db(tmp_path / "red.db", "Redbridge"):  # Redbridge's own change goes out first
        services.actions.update(services.actions.get(uuid), status="blocked")
        export_workbook(tmp_path / "from-red.xlsx")
    with council_db(tmp_path / "hav.db", "Havering"):
        services.stakeholders.update(services.stakeholders.get(r["org"].uuid), role="Trustees")
    later = havering_changes_status(tmp_path, uuid, "done")
    if program == "LibreOffice":
        resaved = soffice(tmp_path, later, "xlsx", tmp_path / "resaved")
    else:
        resaved = gnumeric(later, tmp_path / "gnumeric.xlsx")
    written = based_on_cells(later)
    assert written[uuid.hex] and written[r["org"].uuid.hex], "the changed records name the state they replace"
    assert based_on_cells(resaved) == written
    report = import_at(tmp_path, "RED", resaved)
    # (LibreOffice's LF for a lone CR is an update too, as in the re-save test above)
    updated = [d.id for d in report.details if d.kind == "updated" and d.sheet != "Updates"]
    assert (updated, report.conflicts) == ([str(r["org"].uuid)], 1), report.details
    with council_db(tmp_path / "red.db", "Redbridge"):
        assert services.actions.get(uuid).status == "blocked"
        assert services.stakeholders.get(r["org"].uuid).role == "Trustees"
