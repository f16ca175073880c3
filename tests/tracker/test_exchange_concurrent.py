"""The Based on column: each exported row names the states its content replaces.

An import needs it to tell a state made from its own from one made beside it (see
``tracker.exchange.ancestry``); these tests are about the column itself: what is written, what is
left out, and what a row without it means.
"""

import openpyxl
import pytest

from tests.tracker.exchange_helpers import council_db, edit_cells, make_records, read_both_ways
from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.services import conflicts
from tracker.services import exchange as store

NAMES = {"BD": "Barking and Dagenham", "HAV": "Havering", "RED": "Redbridge"}


@pytest.fixture
def shared(tmp_path):
    """Havering made the records and exported seed.xlsx; Barking and Dagenham and Redbridge imported it."""
    paths = {c: tmp_path / f"{c}.db" for c in NAMES}
    with council_db(paths["HAV"], NAMES["HAV"]):
        records = make_records()
        export_workbook(tmp_path / "seed.xlsx")
    for c in ("BD", "RED"):
        with council_db(paths[c], NAMES[c]):
            assert import_workbook(tmp_path / "seed.xlsx").added == 8
    return paths, records["actions"][0].uuid


class Councils:
    def __init__(self, paths, uuid, tmp_path):
        self.paths, self.uuid, self.tmp, self.n = paths, uuid, tmp_path, 0

    def at(self, code):
        return council_db(self.paths[code], NAMES[code])

    def change(self, code, **fields):
        with self.at(code):
            services.actions.update(services.actions.get(self.uuid), **fields)

    def export(self, code):
        self.n += 1
        out = self.tmp / f"{code}-{self.n}.xlsx"
        with self.at(code):
            export_workbook(out)
        return out

    def receive(self, code, path, **kwargs):
        with self.at(code):
            return import_workbook(path, **kwargs)

    def action(self, code):
        with self.at(code):
            return services.actions.get(self.uuid, include_deleted=True)

    def held(self, code):
        with self.at(code):
            return [conflicts.conflict_sides(c) for c in conflicts.pending_conflicts()]

    def resolve(self, code, choice, **edited):
        with self.at(code):
            [held] = conflicts.pending_conflicts()
            conflicts.resolve_conflict(held, choice, edited or None)


@pytest.fixture
def councils(shared, tmp_path):
    return Councils(*shared, tmp_path)


def counts(report):
    return report.updated, report.conflicts


# ---- the column itself ------------------------------------------------------------------------------------
def based_on(c, path):
    """{record UUID hex: the Based on read back} of every row, read a column at a time and row by row."""
    with c.at("BD"):
        book = read_both_ways(path)
    return {row.hex: row.based_on for rows in book.rows.values() for row in rows}


def test_based_on_names_the_states_the_rows_content_replaces(councils):
    c = councils
    first = based_on(c, c.tmp / "seed.xlsx")
    assert set(first.values()) == {None}, "a first export replaces nothing"
    with c.at("HAV"):
        state = store.load_state()
        seed = store.content_hash("action_item", state.tables["action_item"].records[c.uuid.hex].values)
    c.change("HAV", status="done")
    assert based_on(c, c.export("HAV"))[c.uuid.hex] == seed
    assert based_on(c, c.export("HAV"))[c.uuid.hex] == seed, "an unchanged export replaces the same state"
    c.change("HAV", status="blocked")
    with c.at("HAV"):
        state = store.load_state()
        done = state.sync[c.uuid.hex][0]
    assert based_on(c, c.export("HAV"))[c.uuid.hex] == f"{done} {seed}", "newest first"


def test_people_without_personal_data_and_erased_people_say_nothing_about_earlier_states(councils):
    """The earlier states' hashes cover contact details; with the rest of the row a recipient could test
    guesses of the details left out (or erased) against them."""
    c = councils
    with c.at("HAV"):
        person = next(s for s in services.stakeholders.page(0, 10) if s.kind == "person")
        org = next(s for s in services.stakeholders.page(0, 10) if s.kind == "organisation")
        for who in (person, org):
            services.stakeholders.update(services.stakeholders.get(who.uuid), role="Chair")
        export_workbook(c.tmp / "left-out.xlsx", personal_data=False)
        export_workbook(c.tmp / "full.xlsx")
    left_out, full = based_on(c, c.tmp / "left-out.xlsx"), based_on(c, c.tmp / "full.xlsx")
    assert left_out[person.uuid.hex] is None and full[person.uuid.hex] is not None
    assert left_out[org.uuid.hex] == full[org.uuid.hex] is not None
    with c.at("HAV"):
        privacy_erase(person.uuid)
        export_workbook(c.tmp / "erased.xlsx")
    assert based_on(c, c.tmp / "erased.xlsx")[person.uuid.hex] is None


def privacy_erase(uuid):
    from tracker.models import Stakeholder, utcnow

    Stakeholder.update(email="", phone="", notes="", address="", erased_at=utcnow(),
                       version=Stakeholder.version + 1).where(Stakeholder.uuid == uuid).execute()


def test_a_row_without_based_on_is_merged_as_before(councils, tmp_path):
    """Emptied, typed into, or a hand row that copied another's: the row says nothing, and "mine is my base"
    decides, as for a format 1 file."""
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    assert based_on(c, from_hav)[c.uuid.hex]
    for i, text in enumerate(["", "checked by JB 3/2"]):
        cleared = edit_cells(from_hav, tmp_path / f"cleared-{i}.xlsx", [("Actions", c.uuid, "Based on", text)])
        assert based_on(c, cleared)[c.uuid.hex] is None
    c.change("RED", title="Open three venues")  # not exported: Redbridge's record is not its base
    assert counts(c.receive("RED", cleared)) == (0, 1)
    assert counts(c.receive("BD", cleared)) == (1, 0)


def test_a_hand_row_copied_from_another_does_not_take_its_history(councils, tmp_path):
    c = councils
    c.change("HAV", status="done")
    wb = openpyxl.load_workbook(c.export("HAV"))
    ws = wb["Actions"]
    header = [cell.value for cell in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("ID")].value == str(c.uuid))
    copy = [cell.value for cell in row]
    assert copy[header.index("Based on")]
    copy[header.index("ID")] = copy[header.index("Reference")] = None
    copy[header.index("Title")] = "Book the hall"
    ws.append(copy)
    wb.save(tmp_path / "copied.xlsx")
    assert c.receive("RED", tmp_path / "copied.xlsx").added == 1
    with c.at("RED"):
        [hall] = services.actions.page(0, 5, search="Book the hall")
        assert store.load_state().sync[hall.uuid.hex][1] == ""
