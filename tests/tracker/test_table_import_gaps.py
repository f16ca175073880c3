"""Small gaps of the table import: a sector read from the whole phrase a partner wrote."""

import pytest

from tests.tracker.table_import_helpers import run, workbook
from tracker.models import Stakeholder
from tracker.records import STAKEHOLDER, FieldError
from tracker.tableimport.values import choice_of

SECTOR_WORDS = {"Youth Offending Team": "justice", "Youth club": "community", "Youth Service": "community",
                "Youth centre": "community", "YOT": "justice", "Youth Justice Service": "justice",
                "Police": "police", "NHS Trust": "health", "Primary school": "education", "Church": "faith",
                "Methodist Church": "faith", "Mosque": "faith", "CIC": "voluntary", "Charity": "voluntary",
                "Schools": "education", "Tenants association": "community", "Borough council": "local_authority"}


def test_a_sector_word_is_read_by_its_whole_phrase(db, tmp_path):
    rows = [["Organisation", "Sector"]] + [[f"Org {i}", word] for i, word in enumerate(SECTOR_WORDS)]
    plan, import_id = run(workbook(tmp_path / "orgs.xlsx", {"Orgs": rows}))
    assert import_id is not None and plan.problems == []
    stored = {s.name: s.sector for s in Stakeholder.select()}
    assert stored == {f"Org {i}": code for i, code in enumerate(SECTOR_WORDS.values())}


def test_a_word_that_only_starts_like_a_sector_is_not_it():
    sector = next(f for f in STAKEHOLDER.fields if f.name == "sector")
    assert choice_of(sector, "Courts") == "justice"  # a plural is the word
    with pytest.raises(FieldError):
        choice_of(sector, "Metro Bank")
    with pytest.raises(FieldError):
        choice_of(sector, "Courtyard Café")
