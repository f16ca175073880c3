"""What the acceptance walk of issue 13 found, on files a real LibreOffice wrote: an .ods keeps its
merged areas (one organisation over several people), as the .xlsx it was saved from does."""

import shutil
import subprocess

import pytest

from tracker.models import Stakeholder
from tracker.tableimport.odsmerged import merged_areas
from tracker.tableimport.sources import read_source

from tests.tracker.table_import_helpers import corpus_folder, run, workbook

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
