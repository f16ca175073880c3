"""Merges travelling between councils in the exchange workbook (format 3: the Merges sheet)."""

import datetime as dt
import sys
import tempfile
import types
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.tracker.exchange_helpers import council_db, snapshot
from tracker import services
from tracker.exchange import export_workbook, import_workbook
from tracker.models import ActionItem, Attendance, Commitment, HeldConflict, MergeRun, Stakeholder, Update
from tracker.services import imports, merge_exchange, merges


def _people(*names):
    return {n: services.stakeholders.create(name=n, kind="person", email=f"{n.split()[0].lower()}@example.org",
                                            councils=[services.councils.find("HAV")]) for n in names}


def _by_name(name):
    return Stakeholder.get(Stakeholder.name == name)


def _live():
    """The live stakeholders by name, and every live link to a stakeholder by the names at both ends."""
    people = sorted(s.name for s in Stakeholder.select().where(Stakeholder.deleted_at.is_null()))
    attendance = sorted((a.event.title, a.stakeholder.name) for a in
                        Attendance.select().where(Attendance.deleted_at.is_null()))
    updates = sorted((u.text, u.stakeholder.name) for u in Update.select().where(Update.deleted_at.is_null(),
                                                                                 Update.stakeholder.is_null(False)))
    made = sorted((c.title, c.made_by.name) for c in Commitment.select().where(Commitment.deleted_at.is_null()))
    owned = sorted((a.title, a.owner.name) for a in ActionItem.select().where(ActionItem.deleted_at.is_null(),
                                                                              ActionItem.owner.is_null(False)))
    return people, attendance, updates + made + owned


@pytest.fixture
def two(tmp_path):
    """Havering's and Redbridge's databases holding the same two people (one is a duplicate), exchanged once."""
    a, b = tmp_path / "hav.db", tmp_path / "red.db"
    with council_db(a, "Havering"):
        people = _people("Dan Okafor", "Daniel Okafor")
        summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
        services.attendance.attend(summit, people["Daniel Okafor"], "speaker")
        export_workbook(tmp_path / "first.xlsx")
    with council_db(b, "Redbridge"):
        assert import_workbook(tmp_path / "first.xlsx").added == 4
    return a, b, tmp_path


def test_a_merge_travels_and_moves_links_made_there(two):
    a, b, tmp = two
    with council_db(b, "Redbridge"):  # meanwhile, Redbridge links the duplicate to more things
        forum = services.events.create(title="Forum", kind="meeting", date=dt.date(2019, 3, 1))
        services.attendance.attend(forum, _by_name("Daniel Okafor"), "chair")
        services.updates.add(_by_name("Daniel Okafor"), "Met at the forum", date=dt.date(2019, 3, 1))
    with council_db(a, "Havering"):
        merge_id = merges.merge(_by_name("Dan Okafor").id, [_by_name("Daniel Okafor").id],
                                take={"email": _by_name("Daniel Okafor").id})
        export_workbook(tmp / "merged.xlsx")
        with pytest.raises(Exception, match="exported"):
            merges.undo_merge(merge_id)
    wb = openpyxl.load_workbook(tmp / "merged.xlsx")
    rows = list(wb["Merges"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Merge ID", "Kept ID", "Kept", "Retired IDs", "Retired")
    assert rows[1][2] == "Dan Okafor" and rows[1][4] == "Daniel Okafor" and rows[1][6] == "Havering"
    with council_db(b, "Redbridge"):
        report = import_workbook(tmp / "merged.xlsx")
        assert report.merges == 1 and report.conflicts == 0
        people, attendance, updates = _live()
        assert people == ["Dan Okafor"]
        assert _by_name("Dan Okafor").email == "daniel@example.org"
        assert attendance == [("Forum", "Dan Okafor"), ("Summit", "Dan Okafor")]
        assert updates == [("Met at the forum", "Dan Okafor")]
        retired = _by_name("Daniel Okafor")
        received = MergeRun.get()
        assert merges.merged_into(retired.id) == (received.id, _by_name("Dan Okafor").id, "Dan Okafor")
        assert received.source.startswith("merged.xlsx") and received.council == "Havering"
        with pytest.raises(Exception, match="came from merged.xlsx"):
            merges.undo_merge(received.id)
        with pytest.raises(Exception, match="Undo merge"):
            services.stakeholders.restore(retired)
        assert services.check() == []
        # the same file again: nothing new
        again = import_workbook(tmp / "merged.xlsx")
        assert again.merges == 0 and again.import_id is None
        export_workbook(tmp / "back.xlsx")
    with council_db(a, "Havering"):  # Redbridge's moved links come back: both councils agree
        import_workbook(tmp / "back.xlsx")
        assert _live() == (["Dan Okafor"], [("Forum", "Dan Okafor"), ("Summit", "Dan Okafor")],
                           [("Met at the forum", "Dan Okafor")])
        assert MergeRun.select().count() == 1


def test_undoing_the_import_undoes_the_merge_it_brought(two):
    a, b, tmp = two
    with council_db(b, "Redbridge"):
        forum = services.events.create(title="Forum", kind="meeting", date=dt.date(2019, 3, 1))
        services.attendance.attend(forum, _by_name("Daniel Okafor"), "chair")
        before = snapshot()
    with council_db(a, "Havering"):
        merges.merge(_by_name("Dan Okafor").id, [_by_name("Daniel Okafor").id])
        export_workbook(tmp / "merged.xlsx")
    with council_db(b, "Redbridge"):
        report = import_workbook(tmp / "merged.xlsx")
        imports.undo_import(report.import_id)
        assert snapshot() == before
        assert MergeRun.select().count() == 0


def test_a_record_changed_here_since_is_held_for_review(two):
    a, b, tmp = two
    with council_db(b, "Redbridge"):
        services.stakeholders.update(_by_name("Daniel Okafor"), phone="020 7946 0001")
    with council_db(a, "Havering"):
        merges.merge(_by_name("Dan Okafor").id, [_by_name("Daniel Okafor").id])
        export_workbook(tmp / "merged.xlsx")
    with council_db(b, "Redbridge"):
        report = import_workbook(tmp / "merged.xlsx")
        assert report.conflicts == 1
        held = HeldConflict.get()
        retired = _by_name("Daniel Okafor")
        assert held.record_uuid == retired.uuid and held.resolved_at is None
        # the merge still holds (no record split in two), and the change made here is kept, not lost
        assert retired.deleted_at is not None and retired.phone == "020 7946 0001"
        assert _live()[1] == [("Summit", "Dan Okafor")]


def test_the_same_pair_merged_both_ways_converges_on_the_smaller_id(two):
    a, b, tmp = two
    with council_db(a, "Havering"):  # Havering keeps Dan, Redbridge keeps Daniel
        merges.merge(_by_name("Dan Okafor").id, [_by_name("Daniel Okafor").id])
        export_workbook(tmp / "from-hav.xlsx")
        ids = {s.name: s.uuid.hex for s in Stakeholder.select()}
    with council_db(b, "Redbridge"):
        merges.merge(_by_name("Daniel Okafor").id, [_by_name("Dan Okafor").id])
        export_workbook(tmp / "from-red.xlsx")
        import_workbook(tmp / "from-hav.xlsx")
        at_b = _live()
        export_workbook(tmp / "from-red-2.xlsx")
    with council_db(a, "Havering"):
        import_workbook(tmp / "from-red.xlsx")
        import_workbook(tmp / "from-red-2.xlsx")
        at_a = _live()
    kept = min(ids, key=ids.get)
    assert at_a == at_b == ([kept], [("Summit", kept)], [])


def test_older_workbooks_still_import(two, tmp_path):
    a, b, tmp = two
    with council_db(a, "Havering"):  # a format-2 file: no Merges sheet, Format version 2
        services.stakeholders.create(name="New person", kind="person")
        export_workbook(tmp / "v3.xlsx")
    wb = openpyxl.load_workbook(tmp / "v3.xlsx")
    del wb["Merges"], wb["Not duplicates"]
    for row in wb["About"].iter_rows():
        if row[0].value == "Format version":
            row[1].value = 2
    wb.save(tmp / "v2.xlsx")
    with council_db(b, "Redbridge"):
        report = import_workbook(tmp / "v2.xlsx")
        assert report.added == 1 and report.refused == "" and report.merges == 0


def test_a_bad_merges_row_refuses_the_file(two):
    a, b, tmp = two
    with council_db(a, "Havering"):
        merges.merge(_by_name("Dan Okafor").id, [_by_name("Daniel Okafor").id])
        export_workbook(tmp / "merged.xlsx")
    wb = openpyxl.load_workbook(tmp / "merged.xlsx")
    wb["Merges"]["D2"] = "not an id"
    wb.save(tmp / "bad.xlsx")
    with council_db(b, "Redbridge"):
        before = snapshot()
        report = import_workbook(tmp / "bad.xlsx")
        assert "sheet Merges, row 2, column Retired IDs" in report.refused
        assert snapshot() == before and MergeRun.select().count() == 0


def test_not_duplicate_pairs_travel(two, monkeypatch):
    """Through the interface services.duplicates offers (not_duplicate_pairs, add_not_duplicate_pairs)."""
    a, b, tmp = two
    remembered = {}

    class Pair(types.SimpleNamespace):
        pass

    def add(pairs, source=""):
        new = [p for p in pairs if (p.first, p.second) not in remembered.setdefault(db_key(), {})]
        for p in new:
            remembered[db_key()][(p.first, p.second)] = p
        return len(new)

    def db_key():
        from tracker.db import database
        return str(database.obj.database)

    fake = types.ModuleType("tracker.services.duplicates")
    fake.NotDuplicatePair = lambda first, second, at, user, council: Pair(first=first, second=second, at=at,
                                                                         user=user, council=council)
    fake.not_duplicate_pairs = lambda: list(remembered.get(db_key(), {}).values())
    fake.add_not_duplicate_pairs = add
    monkeypatch.setitem(sys.modules, "tracker.services.duplicates", fake)
    monkeypatch.setattr(services, "duplicates", fake, raising=False)
    with council_db(a, "Havering"):
        dan, daniel = _by_name("Dan Okafor").uuid, _by_name("Daniel Okafor").uuid
        fake.add_not_duplicate_pairs([fake.NotDuplicatePair(str(dan), str(daniel), dt.datetime(2026, 1, 2), "me",
                                                            "Havering")])
        export_workbook(tmp / "pairs.xlsx")
    rows = list(openpyxl.load_workbook(tmp / "pairs.xlsx")["Not duplicates"].iter_rows(values_only=True))
    assert rows[1][1] in ("Dan Okafor", "Daniel Okafor") and rows[1][5] == "Havering"
    with council_db(b, "Redbridge"):
        report = import_workbook(tmp / "pairs.xlsx")
        assert report.import_id is not None
        got = fake.not_duplicate_pairs()
        assert {(p.first, p.second) for p in got} == {(str(dan), str(daniel))}
        assert merge_exchange.new_not_duplicates([(dan.hex, daniel.hex, None, "", "")]) == []


# ---- three councils, random merges, exchanged in random orders --------------------------------------------
MERGE_STEP = st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 5), st.integers(0, 5))
EXCHANGE_STEP = st.tuples(st.just("exchange"), st.integers(0, 2), st.integers(0, 2), st.just(0))
NOTE_STEP = st.tuples(st.just("note"), st.integers(0, 2), st.integers(0, 5), st.just(0))  # a link made locally
COUNCIL_NAMES = ("Barking and Dagenham", "Havering", "Redbridge")


@pytest.mark.slow
@example(steps=[("merge", 0, 4, 0), ("exchange", 0, 1, 0), ("merge", 2, 4, 2), ("merge", 0, 2, 4)],
         order=[(2, 0), (1, 2), (0, 2), (0, 1), (1, 0), (2, 1)])  # two councils each merged one into Robert
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.one_of(MERGE_STEP, EXCHANGE_STEP, NOTE_STEP), min_size=2, max_size=6),
       order=st.permutations([(i, j) for i in range(3) for j in range(3) if i != j]))
def test_random_merges_at_three_councils_converge(steps, order):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        paths = [tmp / f"c{i}.db" for i in range(3)]
        with council_db(paths[0], COUNCIL_NAMES[0]):
            people = _people("Ann Lee", "Anne Lee", "A. Lee", "Bob Stone", "Robert Stone")
            summit = services.events.create(title="Summit", kind="summit", date=dt.date(2019, 1, 16))
            forum = services.events.create(title="Forum", kind="meeting", date=dt.date(2019, 3, 1))
            for n, person in enumerate(people.values()):
                services.attendance.attend(summit if n % 2 else forum, person, "delegate")
                if n < 3:
                    services.attendance.attend(summit, person, "delegate")
                services.updates.add(person, f"Note {n}", date=dt.date(2019, 2, 1))
            services.commitments.create(title="Patrols", made_by=people["Ann Lee"], date_made=dt.date(2019, 1, 16))
            services.actions.create(title="Map hotspots", owner=people["Anne Lee"])
            export_workbook(tmp / "seed.xlsx")
        for i in (1, 2):
            with council_db(paths[i], COUNCIL_NAMES[i]):
                import_workbook(tmp / "seed.xlsx")
        files = 0

        def exchange(i, j):
            nonlocal files
            files += 1
            out = tmp / f"x{files}.xlsx"
            with council_db(paths[i], COUNCIL_NAMES[i]):
                export_workbook(out)
            with council_db(paths[j], COUNCIL_NAMES[j]):
                report = import_workbook(out)
                assert not report.refused, report.refused

        for kind, a, b, c in steps:
            if kind == "exchange":
                if a != b:
                    exchange(a, b)
                continue
            with council_db(paths[a], COUNCIL_NAMES[a]):
                live = list(Stakeholder.select().where(Stakeholder.deleted_at.is_null()).order_by(Stakeholder.name))
                if kind == "note":
                    services.updates.add(live[b % len(live)], f"Local note {a}-{b}-{files}", date=dt.date(2019, 5, 1))
                elif len(live) >= 2 and b % len(live) != c % len(live):
                    merges.merge(live[b % len(live)].id, [live[c % len(live)].id])
        for _ in range(2):  # everyone hears from everyone, in the drawn order, twice
            for i, j in order:
                exchange(i, j)
        seen = []
        for i in range(3):
            with council_db(paths[i], COUNCIL_NAMES[i]):
                seen.append(_live())
                assert services.check() == []
        assert seen[0] == seen[1] == seen[2]


def test_the_kept_record_changed_here_is_held_and_an_organisation_merge_moves_members(tmp_path):
    a, b = tmp_path / "hav.db", tmp_path / "red.db"
    with council_db(a, "Havering"):
        met = services.stakeholders.create(name="Met Police", kind="organisation", sector="police")
        mps = services.stakeholders.create(name="Metropolitan Police Service", kind="organisation", sector="police")
        services.stakeholders.create(name="PC Jones", kind="person", organisation=mps)
        export_workbook(tmp_path / "first.xlsx")
    with council_db(b, "Redbridge"):
        import_workbook(tmp_path / "first.xlsx")
        services.stakeholders.update(_by_name("Met Police"), website="https://met.police.uk")
        services.stakeholders.create(name="PC Singh", kind="person", organisation=_by_name("Metropolitan Police Service"))
    with council_db(a, "Havering"):
        merges.merge(met.id, [mps.id], take={"name": mps.id})
        export_workbook(tmp_path / "merged.xlsx")
    with council_db(b, "Redbridge"):
        report = import_workbook(tmp_path / "merged.xlsx")
        assert report.conflicts == 1 and report.merges == 1
        held = HeldConflict.get()
        kept = Stakeholder.get(Stakeholder.uuid == held.record_uuid)
        assert kept.uuid == met.uuid and kept.website == "https://met.police.uk"  # mine kept, theirs held
        assert "name" in held.fields
        members = sorted(s.name for s in Stakeholder.select().where(Stakeholder.organisation == kept.id))
        assert members == ["PC Jones", "PC Singh"]
        assert Stakeholder.get(Stakeholder.uuid == mps.uuid).deleted_at is not None


def test_taking_the_other_side_of_a_conflict_never_brings_a_retired_record_back(two):
    a, b, tmp = two
    with council_db(a, "Havering"):  # Havering keeps Dan, Redbridge keeps Daniel (each taking the other's email)
        merges.merge(_by_name("Dan Okafor").id, [_by_name("Daniel Okafor").id],
                     take={"email": _by_name("Daniel Okafor").id})
        ids = {s.name: s.uuid for s in Stakeholder.select()}
    with council_db(b, "Redbridge"):
        merges.merge(_by_name("Daniel Okafor").id, [_by_name("Dan Okafor").id], take={"email": _by_name("Dan Okafor").id})
        export_workbook(tmp / "from-red.xlsx")
    with council_db(a, "Havering"):
        import_workbook(tmp / "from-red.xlsx")
        kept, gone = sorted(ids.values(), key=lambda u: u.hex)
        assert Stakeholder.get(Stakeholder.uuid == kept).deleted_at is None
        held = {c.record_uuid: c for c in HeldConflict.select()}
        assert gone in held  # the file has it live, this database retired it
        from tracker.services import conflicts
        conflicts.resolve_conflict(held[gone], "theirs")
        assert Stakeholder.get(Stakeholder.uuid == gone).deleted_at is not None
        assert services.check() == []
