"""Every real-world file of the shared corpus (see its SOURCES.md) through the table import, as a dry
run: a header is found and a mapping suggested, or the file is refused with one sentence naming it;
never a traceback or a change to the database.  The share that gets a header is recorded.  (Each
file's own process and time limit are tests/tracker/test_corpus.py's, for the same reader and gate.)
One file (sheetjs__large_strings.xlsx) spends ~30 s in the exchange's gate (tracker.xlsx_scan), so
this test takes about a minute and a half."""

import hashlib
from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.tableimport import Options, plan_import
from tracker.tableimport.sources import read_source
from tracker.tableimport.table import read_sheet

from tests.tracker.table_import_helpers import corpus_folder

CORPUS = corpus_folder()
FILES = sorted(p for p in CORPUS.glob("*") if p.is_file() and p.name != "SOURCES.md") if CORPUS else []
# Measured when written (python-calamine 0.9.1, 80 files): 39 have a header row (a row of column
# names above records); 7 of those are lists a stakeholder import can use (a name, an organisation
# or an email column), and import as a dry run; the other 73 are refused in one sentence: encrypted,
# damaged, not a spreadsheet, no table, or a table of something else (iris measurements, dates,
# formulas).  A drop below these is a regression in reading or header detection.
AT_LEAST_WITH_HEADER = 39
AT_LEAST_IMPORTED = 7

pytestmark = [pytest.mark.skipif(not FILES, reason="the shared corpus (../shared/corpus/xlsx-real) is not here"),
              pytest.mark.slow]


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _try(path, kind):
    try:
        plan = plan_import(path, Options(kind=kind))
        return "imported", f"{[t.header_row for t in plan.used]}"
    except TrackerError as exc:
        return "refused", str(exc)


def _header_found(path):
    """Whether any visible sheet of the file has a header row (whatever its columns mean)."""
    try:
        source = read_source(path)
    except TrackerError:
        return False
    return any(read_sheet(sheet, "stakeholders").header_row is not None for sheet in source.sheets)


def test_every_real_file_gets_a_header_or_one_clear_refusal(db, db_path, capsys):
    before = _digest(db_path)
    outcomes, headers = {}, 0
    for path in FILES:
        kind, text = _try(path, "stakeholders")
        outcomes[path.name] = (kind, text)
        headers += _header_found(path)
        if kind == "refused":
            assert text.startswith(path.name), text  # one sentence naming the file
            assert "\n" not in text and "Traceback" not in text
    assert _digest(db_path) == before  # a dry run and a refusal change nothing
    imported = [n for n, (k, _) in outcomes.items() if k == "imported"]
    with capsys.disabled():
        print(f"\ncorpus: {headers} of {len(FILES)} files have a header row; {len(imported)} import as "
              f"stakeholders (dry run); refused:")
        for name, (kind, text) in sorted(outcomes.items()):
            if kind == "refused":
                print(f"  {text[:220]}")
    assert headers >= AT_LEAST_WITH_HEADER and len(imported) >= AT_LEAST_IMPORTED
