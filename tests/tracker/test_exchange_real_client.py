"""The exchange workbook in a real spreadsheet program: LibreOffice re-saves it, converts it to CSV and PDF."""

import csv
import shutil
import subprocess

import pytest

from tests.tracker.exchange_helpers import council_db, make_records, snapshot
from tracker import services
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
    assert set(texts) == {"Stakeholders", "Events", "Attendance", "Commitments", "Actions", "Updates", "About"}
    for name, text in texts.items():
        assert "#NAME" not in text and "Err:" not in text, name
    actions = list(csv.DictReader(texts["Actions"].splitlines(keepends=True)))
    assert actions[0]["Description"] == NASTY and actions[0]["Title"] == f"Action 0 {NASTY}"
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
