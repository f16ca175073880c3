"""Changes made at two councils at once are conflicts, whatever order the files travel in.

Each council exports its own change before it has seen the other's: the importer's record then
equals its own base (its export moved the base there), so "not changed here since it was last
exchanged" was true at both and each took the other's change silently, losing its own.  Each row
now says which states its content supersedes (the ``Based on`` column), so an import can tell a
state derived from its own from one made beside it.
"""

import openpyxl
import pytest

from tests.tracker.exchange_helpers import council_db, edit_cells, make_records, read_both_ways, snapshot
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


# ---- two councils -------------------------------------------------------------------------------------
def test_two_councils_exporting_concurrent_edits_get_a_conflict_each_and_keep_their_own(councils):
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    c.change("RED", status="blocked")
    from_red = c.export("RED")
    report = c.receive("HAV", from_red)
    assert counts(report) == (0, 1), [d.as_dict() for d in report.details]
    assert c.action("HAV").status == "done"
    assert c.held("HAV") == [[("status", "Status", "Done", "Blocked")]]
    report = c.receive("RED", from_hav)
    assert counts(report) == (0, 1), [d.as_dict() for d in report.details]
    assert c.action("RED").status == "blocked"
    assert c.held("RED") == [[("status", "Status", "Blocked", "Done")]]


def test_the_other_order_too_the_second_council_importing_first(councils):
    c = councils
    c.change("RED", status="blocked")
    from_red = c.export("RED")
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    assert counts(c.receive("RED", from_hav)) == (0, 1)
    assert counts(c.receive("HAV", from_red)) == (0, 1)
    assert (c.action("HAV").status, c.action("RED").status) == ("done", "blocked")


def test_edits_made_in_turn_travel_as_updates(councils):
    c = councils
    c.change("HAV", status="done")
    assert counts(c.receive("RED", c.export("HAV"))) == (1, 0)
    c.change("RED", title="Open three venues")
    assert counts(c.receive("HAV", c.export("RED"))) == (1, 0)
    action = c.action("HAV")
    assert (action.status, action.title) == ("done", "Open three venues")
    assert counts(c.receive("RED", c.export("HAV"))) == (0, 0)


def test_a_second_unchanged_export_still_says_what_it_was_based_on(councils):
    """A single "based on" hash (the exporter's base before the export) would name the exported state
    itself the second time; Redbridge, which never saw it and exported its own change, would take it."""
    c = councils
    c.change("HAV", status="done")
    c.export("HAV")  # goes nowhere (or is lost)
    again = c.export("HAV")
    c.change("RED", status="blocked")
    c.export("RED")
    assert counts(c.receive("RED", again)) == (0, 1)
    assert c.action("RED").status == "blocked"


def test_a_council_that_missed_files_takes_the_latest_without_a_conflict(councils):
    c = councils
    c.change("HAV", status="in_progress")
    assert counts(c.receive("RED", c.export("HAV"))) == (1, 0)
    c.change("HAV", status="blocked")
    c.export("HAV")  # Redbridge never gets this one
    c.change("HAV", status="done")
    latest = c.export("HAV")
    assert counts(c.receive("RED", latest)) == (1, 0)
    assert c.action("RED").status == "done"


def test_a_council_that_missed_files_and_exported_its_own_change_gets_a_conflict(councils):
    c = councils
    c.change("HAV", status="in_progress")
    assert counts(c.receive("RED", c.export("HAV"))) == (1, 0)
    c.change("HAV", status="blocked")
    c.export("HAV")
    c.change("HAV", status="done")
    latest = c.export("HAV")
    c.change("RED", title="Open three venues")
    c.export("RED")
    assert counts(c.receive("RED", latest)) == (0, 1)
    assert c.action("RED").status == "in_progress"


def test_a_record_made_at_one_council_edited_at_another_travels_back(shared, tmp_path):
    paths, _ = shared
    c = Councils(paths, None, tmp_path)
    with c.at("RED"):
        new = services.actions.create(title="Book the hall", priority="low")
    c.uuid = new.uuid
    assert c.receive("HAV", c.export("RED")).added == 1
    c.change("HAV", status="done")
    assert counts(c.receive("RED", c.export("HAV"))) == (1, 0)
    assert c.action("RED").status == "done"
    # and a change made at Redbridge meanwhile would have been a conflict
    c.change("HAV", priority="high")
    from_hav = c.export("HAV")
    c.change("RED", priority="medium")
    c.export("RED")
    assert counts(c.receive("RED", from_hav)) == (0, 1)


# ---- three councils --------------------------------------------------------------------------------------
def test_in_a_ring_of_three_councils_concurrent_edits_are_conflicts_wherever_they_meet(councils):
    """Havering and Barking and Dagenham change the action at once; Redbridge takes Havering's and passes it
    on to Barking and Dagenham, whose own change went to Havering."""
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    c.change("BD", status="blocked")
    from_bd = c.export("BD")
    assert counts(c.receive("RED", from_hav)) == (1, 0)
    from_red = c.export("RED")
    assert counts(c.receive("BD", from_red)) == (0, 1)
    assert counts(c.receive("HAV", from_bd)) == (0, 1)
    assert counts(c.receive("RED", from_bd)) == (0, 1)
    assert [c.action(x).status for x in ("HAV", "BD", "RED")] == ["done", "blocked", "done"]


def test_a_conflict_resolved_at_one_council_travels_on_and_settles_the_others(councils):
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    c.change("BD", status="blocked", title="Open three venues")
    from_bd = c.export("BD")
    assert counts(c.receive("RED", from_hav)) == (1, 0)
    assert counts(c.receive("HAV", from_bd)) == (0, 1)
    assert counts(c.receive("BD", c.export("RED"))) == (0, 1)
    c.resolve("BD", "edited", status="done")  # the title from here, the status from Havering
    decided = c.export("BD")
    for other in ("RED", "HAV"):
        assert counts(c.receive(other, decided)) == (1, 0), other
        action = c.action(other)
        assert (action.title, action.status) == ("Open three venues", "done")
    c.resolve("HAV", "mine")  # Havering's own held conflict, now between equal values
    for other in ("HAV", "RED"):  # their unchanged exports do not raise it again at Barking and Dagenham
        assert counts(c.receive("BD", c.export(other))) == (0, 0), other
    assert counts(c.receive("BD", from_hav)) == (0, 0), "the late file is older than the decision"
    snaps = []
    for x in NAMES:
        with c.at(x):
            snaps.append(snapshot())
            assert conflicts.pending_conflicts() == []
    assert snaps[0] == snaps[1] == snaps[2]
    # a later change made at two councils at once is still a conflict
    c.change("RED", priority="low")
    from_red = c.export("RED")
    c.change("BD", priority="medium")
    assert counts(c.receive("BD", from_red)) == (0, 1)


def test_two_councils_deciding_the_same_conflict_differently_are_asked_again(councils):
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    c.change("RED", status="blocked")
    from_red = c.export("RED")
    assert counts(c.receive("HAV", from_red)) == (0, 1)
    assert counts(c.receive("RED", from_hav)) == (0, 1)
    c.resolve("HAV", "mine")
    c.resolve("RED", "mine")
    assert counts(c.receive("RED", c.export("HAV"))) == (0, 1)
    assert c.action("RED").status == "blocked"
    c.resolve("RED", "theirs")
    assert counts(c.receive("HAV", c.export("RED"))) == (0, 0)
    assert (c.action("HAV").status, c.action("RED").status) == ("done", "done")


def test_the_same_decision_at_both_councils_settles_quietly(councils):
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    c.change("RED", status="blocked")
    from_red = c.export("RED")
    c.receive("HAV", from_red)
    c.receive("RED", from_hav)
    c.resolve("HAV", "mine")
    c.resolve("RED", "theirs")
    assert counts(c.receive("RED", c.export("HAV"))) == (0, 0)
    assert counts(c.receive("HAV", c.export("RED"))) == (0, 0)


# ---- deletion, restore, and states that come back -----------------------------------------------------
def test_a_restore_after_a_deletion_travels(councils):
    c = councils
    with c.at("HAV"):
        services.actions.delete(services.actions.get(c.uuid))
    assert counts(c.receive("RED", c.export("HAV"))) == (1, 0)
    assert c.action("RED").is_deleted
    with c.at("HAV"):
        services.actions.restore(services.actions.get(c.uuid, include_deleted=True))
    report = c.receive("RED", c.export("HAV"))
    assert counts(report) == (1, 0), [d.as_dict() for d in report.details]
    assert not c.action("RED").is_deleted


def test_a_deletion_and_a_concurrent_edit_are_a_conflict(councils):
    c = councils
    with c.at("HAV"):
        services.actions.delete(services.actions.get(c.uuid))
    from_hav = c.export("HAV")
    c.change("RED", status="done")
    c.export("RED")
    assert counts(c.receive("RED", from_hav)) == (0, 1)
    assert not c.action("RED").is_deleted


def test_a_late_file_after_a_change_was_undone_by_hand_stays_old(councils):
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    assert counts(c.receive("RED", from_hav)) == (1, 0)
    c.change("RED", status="open")  # back as it was, by hand
    assert counts(c.receive("RED", from_hav)) == (0, 0)
    assert c.action("RED").status == "open"


# ---- with a manager's spreadsheet edit ---------------------------------------------------------------------
def test_a_managers_edit_on_a_state_derived_from_mine_applies_and_on_a_concurrent_one_conflicts(councils, tmp_path):
    c = councils
    c.change("HAV", status="done")
    from_hav = c.export("HAV")
    edited = edit_cells(from_hav, tmp_path / "edited.xlsx", [("Actions", c.uuid, "Title", "Open three venues")])
    c.change("BD", priority="low")
    c.export("BD")  # Barking and Dagenham's own change went out before Havering's file arrived
    assert counts(c.receive("RED", edited)) == (1, 0)
    action = c.action("RED")
    assert (action.status, action.title) == ("done", "Open three venues")
    report = c.receive("BD", edited)
    assert counts(report) == (0, 1)
    assert "edited in a spreadsheet" in next(d for d in report.details if d.kind == "conflict").message
    assert c.action("BD").priority == "low"


def test_a_council_that_first_gets_the_record_later_still_knows_what_it_was_based_on(tmp_path):
    """Barking and Dagenham first sees the action in Havering's second file; Redbridge's change, made from
    the first state, is still a change beside Havering's there."""
    paths = {c: tmp_path / f"{c}.db" for c in NAMES}
    c = Councils(paths, None, tmp_path)
    with c.at("HAV"):
        c.uuid = make_records()["actions"][0].uuid
    assert c.receive("RED", c.export("HAV")).added == 8
    c.change("HAV", status="done")
    assert c.receive("BD", c.export("HAV")).added == 8
    c.change("RED", status="blocked")
    assert counts(c.receive("BD", c.export("RED"))) == (0, 1)
    assert c.action("BD").status == "done"


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


def test_the_based_on_text_of_each_kind_of_sync_state():
    from tracker.exchange.ancestry import based_on as text

    d, b, s1, s2 = ("d" * 24, "b" * 24, "1" * 24, "2" * 24)
    assert text(None, d) is None  # never exchanged
    assert text((d, ""), d) is None  # exported once, unchanged
    assert text((b, ""), d) == b  # changed since
    assert text((d, f"{s1} {s2}"), d) == f"{s1} {s2}"  # unchanged since: its history
    assert text((b, f"{s1} {s2}"), d) == f"{b} {s1} {s2}"  # changed since: the base first
    assert text((b, f"{s1} {d} {s2}"), d) == f"{b} {s1} {s2}", "set back to an older state: not its own parent"
