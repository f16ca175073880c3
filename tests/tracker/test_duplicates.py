"""Finding duplicate stakeholders (services.duplicates) and "not a duplicate"; the two commands."""

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import migrations, services
from tracker.changes import changed
from tracker.cli import main
from tracker.db import close_database
from tracker.errors import Cancelled, NotFoundError, TrackerError
from tracker.models import AuditEntry, NotDuplicate, Stakeholder
from tracker.opening import open_database
from tracker.services import duplicates
from tracker.services.duplicates import find_duplicates
from tracker.services.matching import initials_agree, is_generic_email, name_blocks, organisation_key, phone_key


def org(name, **more):
    return services.stakeholders.create(name=name, kind="organisation", sector="police", **more)


def person(name, organisation=None, **more):
    return services.stakeholders.create(name=name, kind="person", sector="police", organisation=organisation, **more)


def names(group):
    return sorted(r.name for r in group.records)


def group_of(groups, record):
    found = [g for g in groups if record.id in {r.id for r in g.records}]
    return found[0] if found else None


@pytest.fixture
def met(db):
    return org("Metropolitan Police Service")


# ---- each reason ------------------------------------------------------------------------------------------
def test_same_email_in_another_case_is_a_strong_candidate(met):
    a = person("Grace Adeyemi", met, email="grace.adeyemi@met.police.uk")
    b = person("G Adeyemi-Jones", email="Grace.Adeyemi@MET.police.uk ")
    person("Someone Else", met, email="someone@met.police.uk")
    [group] = find_duplicates()
    assert {r.id for r in group.records} == {a.id, b.id}
    assert group.reasons[0] == "same email" and group.score >= 90
    assert {r.email for r in group.records} == {"grace.adeyemi@met.police.uk", "Grace.Adeyemi@MET.police.uk"}


def test_nickname_title_and_organisation_abbreviation_are_the_same_name_and_organisation(db):
    long_name = org("Metropolitan Police Service")
    short = org("Met Police")
    a = person("Daniel Okafor", long_name)
    b = person("Dr Dan Okafor", short)
    groups = find_duplicates()
    people = group_of(groups, a)
    assert {r.id for r in people.records} == {a.id, b.id}
    assert people.reasons == ("same name and organisation",) and people.score == 90
    assert {r.organisation for r in people.records} == {"Metropolitan Police Service", "Met Police"}
    orgs = group_of(groups, long_name)
    assert {r.id for r in orgs.records} == {long_name.id, short.id} and orgs.reasons == ("same name",)
    assert all(r.kind == "organisation" for r in orgs.records)


def test_swapped_names_and_capitals_are_the_same_name(met):
    a = person("Amelia Kowalski", met)
    b = person("KOWALSKI, Amelia", met)
    c = person("kowalski amelia")  # no organisation: the same name, less sure
    group = group_of(find_duplicates(), a)
    assert {r.id for r in group.records} == {a.id, b.id, c.id}
    assert group.score == 90 and group.reasons == ("same name and organisation", "same name")


def test_initials_and_typos_are_close_names(met):
    a = person("Daniel Okafor", met)
    b = person("D. Okafor", met)
    c = person("Priya Raghunathan", met)
    d = person("Priya Raghunatham", met)
    groups = find_duplicates()
    initials, typo = group_of(groups, a), group_of(groups, c)
    assert {r.id for r in initials.records} == {a.id, b.id} and initials.reasons == ("close name",)
    assert {r.id for r in typo.records} == {c.id, d.id} and typo.reasons == ("close name",)
    assert 50 <= initials.score < 90 and 50 <= typo.score < 90


def test_organisations_close_names_from_two_email_domains_are_two(db):
    a = org("Evans Tenants Association", email="info@evans-ta.org.uk")
    org("Enans Tenants Association", email="info@enans-ta.org.uk")
    assert find_duplicates(min_score=0) == []
    b = org("Evans Tenants Assocation", email="chair@evans-ta.org.uk")  # a typo, the same domain: offered
    [group] = find_duplicates()
    assert {r.id for r in group.records} == {a.id, b.id} and group.reasons == ("close name",)


def test_an_initial_close_to_several_names_does_not_chain_them(met):
    ava = person("Ava Clawn", org("Barking Youth Club"), email="ava@byc.org.uk")
    alfie = person("Alfie Clawn", org("Havering Mosque"), email="alfie@hm.org.uk")
    copy = person("A Clawn", email="AVA@byc.org.uk")
    [group] = find_duplicates()
    assert {r.id for r in group.records} == {ava.id, copy.id} and alfie.id not in {r.id for r in group.records}
    other_copy = person("Clawn, A.", email="alfie@HM.org.uk")  # the same initials-only name, but Alfie's email
    groups = find_duplicates()
    assert sorted(sorted(r.id for r in g.records) for g in groups) == [sorted([ava.id, copy.id]),
                                                                       sorted([alfie.id, other_copy.id])]
    # Daniel, Dan and D. Okafor are all alike: the initial is not made weaker by the other two
    daniel, dan = person("Daniel Okafor", met), person("Dan Okafor", met)
    d = person("Okafor, D.", phone="020 7946 0123")
    [okafors] = [g for g in find_duplicates() if daniel.id in {r.id for r in g.records}]
    assert {r.id for r in okafors.records} == {daniel.id, dan.id, d.id}


def test_same_direct_phone_written_differently(db):
    a = person("Chidi Nwosu", phone="+44 (0)20 7946 0123")
    b = person("C Nwosu-Smith", phone="020 7946 0123")
    [group] = find_duplicates()
    assert {r.id for r in group.records} == {a.id, b.id} and group.reasons == ("same phone",)
    assert group.score == 70


def test_namesakes_at_different_organisations_with_different_emails_are_not_candidates(db):
    person("Daniel Okafor", org("Havering Council"), email="daniel.okafor@havering.gov.uk")
    person("Daniel Okafor", org("Redbridge CVS"), email="dokafor@redbridgecvs.net")
    person("Daniel Okafur", org("Barking Foodbank"), email="dan@barkingfoodbank.org")
    assert find_duplicates(kind="people", min_score=0) == []


def test_generic_inbox_and_switchboard_are_weak_on_their_own(met):
    a = person("Grace Adeyemi", met, email="info@met.police.uk")
    b = person("Ravi Shah", met, email="INFO@met.police.uk")
    assert find_duplicates() == []  # below the default minimum score
    [weak] = find_duplicates(min_score=0)
    assert {r.id for r in weak.records} == {a.id, b.id} and weak.reasons == ("shared inbox",) and weak.score < 50
    board = "020 7230 1212"
    services.stakeholders.update(met, phone=board, expected_version=met.version)
    c = person("Ioana Popescu", met, phone=board)
    d = person("Tomasz Nowak", met, phone="02072301212")
    assert find_duplicates(kind="people") == []
    switchboard = group_of(find_duplicates(kind="people", min_score=0), c)
    assert {r.id for r in switchboard.records} == {c.id, d.id} and switchboard.reasons == ("shared switchboard",)
    # with a name to go with it, the shared inbox adds to the evidence
    e = person("Grace Adeyemi", email="info@met.police.uk")
    group = group_of(find_duplicates(), a)
    assert {r.id for r in group.records} == {a.id, e.id} and group.reasons == ("same name", "shared inbox")
    assert group.score > 75


def test_a_person_and_an_organisation_are_never_grouped(db):
    o = org("Kwame Mensah Consulting", email="kwame@mensah.co.uk", phone="020 7946 0999")
    p = person("Kwame Mensah Consulting", email="kwame@mensah.co.uk", phone="020 7946 0999")
    assert find_duplicates(min_score=0) == []
    q = person("Kwame Mensah", email="KWAME@mensah.co.uk")
    [group] = find_duplicates()
    assert {r.id for r in group.records} == {p.id, q.id} and o.id not in {r.id for r in group.records}


def test_deleted_and_erased_records_are_left_out(met):
    a = person("Grace Adeyemi", met, email="grace@example.org")
    b = person("Grace Adeyemi", met, email="grace@example.org")
    c = person("Grace Adeyemi", met, email="grace@example.org")
    services.stakeholders.delete(b)
    services.privacy.erase(c)
    assert find_duplicates() == []
    d = person("Grace Adeyemi", met)
    [group] = find_duplicates()
    assert {r.id for r in group.records} == {a.id, d.id}


def test_groups_join_pairs_and_come_best_first(met):
    a = person("Samuel Osei", met, email="sam.osei@example.org")
    b = person("Sam Osei", email="SAM.OSEI@example.org")
    c = person("S. Osei", met, phone="07700 900123")
    d = person("Samuel Osei", phone="07700900123")
    weaker = [person("Niamh Brennan", met), person("Niamh Brenan", met)]
    groups = find_duplicates()
    assert [names(g) for g in groups] == [["S. Osei", "Sam Osei", "Samuel Osei", "Samuel Osei"],
                                          ["Niamh Brenan", "Niamh Brennan"]]
    first = groups[0]
    assert first.score >= 95 and [r.id for r in first.records] == sorted([a.id, b.id, c.id, d.id])
    assert first.reasons == ("same email", "same name", "close name", "same phone")
    assert groups[1].score < first.score and {r.id for r in groups[1].records} == {w.id for w in weaker}


# ---- filters, progress --------------------------------------------------------------------------------------
def test_filters_kind_council_and_minimum_score(db):
    havering = services.councils.find("Havering")
    redbridge = services.councils.find("Redbridge")
    o1 = org("Redbridge CVS", councils=[redbridge])
    org("Redbridge C.V.S. Ltd")
    p1 = person("Elif Yilmaz", o1, councils=[havering])
    p2 = person("Elif Yilmaz", o1)
    person("Rhys Morgan", councils=[havering])
    person("Rhys Morgann")
    assert [names(g) for g in find_duplicates(kind="organisations")] == [["Redbridge C.V.S. Ltd", "Redbridge CVS"]]
    people = find_duplicates(kind="people")
    assert [names(g) for g in people] == [["Elif Yilmaz", "Elif Yilmaz"], ["Rhys Morgan", "Rhys Morgann"]]
    in_havering = find_duplicates(council="havering")
    assert [names(g) for g in in_havering] == [["Elif Yilmaz", "Elif Yilmaz"], ["Rhys Morgan", "Rhys Morgann"]]
    assert {r.councils for r in in_havering[0].records} == {("Havering",), ()}
    assert [names(g) for g in find_duplicates(council="Redbridge")] == [["Redbridge C.V.S. Ltd", "Redbridge CVS"]]
    # the same name and organisation scores 90, the organisations' same name 75, a close name less
    assert [[r.id for r in g.records] for g in find_duplicates(min_score=80)] == [sorted([p1.id, p2.id])]
    with pytest.raises(NotFoundError):
        find_duplicates(council="Atlantis")
    with pytest.raises(TrackerError):
        find_duplicates(kind="events")


def test_progress_is_reported_and_cancel_stops(met):
    person("Grace Adeyemi", met)
    person("Grace Adeyemi", met)
    seen = []
    assert len(find_duplicates(progress=lambda p, text: seen.append((p, text)))) == 1
    assert seen[0][0] == 0 and seen[-1] == (100, "Done")
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    with pytest.raises(Cancelled):
        find_duplicates(cancelled=lambda: True)
    with pytest.raises(Cancelled):
        find_duplicates(progress=lambda p, text: p < 20)


# ---- not a duplicate ------------------------------------------------------------------------------------
def test_not_a_duplicate_is_remembered_audited_and_announced(met):
    a = person("Grace Adeyemi", met)
    b = person("Grace Adeyemi", met)
    heard = []
    changed.connect(heard.append)
    try:
        duplicates.mark_not_duplicates(a.id, b.id)
    finally:
        changed.disconnect(heard.append)
    assert find_duplicates(min_score=0) == []
    assert heard and heard[-1].touches("not_duplicate")
    [pair] = duplicates.not_duplicate_pairs()
    assert {pair.first, pair.second} == {str(a.uuid), str(b.uuid)} and pair.user == "test user"
    entries = AuditEntry.select().where(AuditEntry.operation == "not-duplicate")
    assert {(str(e.record_uuid), e.new_value) for e in entries} == {
        (str(a.uuid), f"Grace Adeyemi ({b.uuid})"), (str(b.uuid), f"Grace Adeyemi ({a.uuid})")}
    duplicates.mark_not_duplicates(str(b.uuid), a.id)  # again, the other way round: nothing new
    assert NotDuplicate.select().count() == 1
    duplicates.forget_not_duplicates(b.id, a.id)
    assert [{r.id for r in g.records} for g in find_duplicates()] == [{a.id, b.id}]
    taken_back = AuditEntry.select().where(AuditEntry.operation == "may-be-duplicate")
    assert {(str(e.record_uuid), e.old_value, e.new_value) for e in taken_back} == {
        (str(a.uuid), f"Grace Adeyemi ({b.uuid})", None), (str(b.uuid), f"Grace Adeyemi ({a.uuid})", None)}
    with pytest.raises(TrackerError):
        duplicates.mark_not_duplicates(a.id, a.id)


def test_not_a_duplicate_splits_a_group_even_through_a_third_record(met):
    a = person("Samuel Osei", met, email="sam@example.org")
    b = person("Sam Osei", met)
    c = person("S. Osei", met, email="SAM@example.org")
    duplicates.mark_not_duplicates(a.id, b.id)
    groups = find_duplicates()
    together = [{r.id for r in g.records} for g in groups]
    assert together == [{a.id, c.id}]  # a-c is the best pair (same email); b is never put with a
    duplicates.mark_not_duplicates(a.id, c.id)
    assert [{r.id for r in g.records} for g in find_duplicates()] == [{b.id, c.id}]


def test_pairs_travel_by_uuid(met):
    a = person("Grace Adeyemi", met)
    b = person("Grace Adeyemi", met)
    later = "7d1f0b3c-52a4-4bb0-9c1e-1c5e1b1e2a3f"  # a record this database does not hold yet
    assert duplicates.add_not_duplicate_pairs([(str(b.uuid), str(a.uuid)), (str(a.uuid), later)], source="x.xlsx") == 2
    assert duplicates.add_not_duplicate_pairs([(str(a.uuid), str(b.uuid))]) == 0
    assert duplicates.add_not_duplicate_pairs([(a.uuid.hex.upper(), str(b.uuid))]) == 0  # the same, written otherwise
    with pytest.raises(TrackerError):
        duplicates.add_not_duplicate_pairs([("not an ID", str(b.uuid))])
    assert find_duplicates(min_score=0) == []
    assert {(p.first, p.second) for p in duplicates.not_duplicate_pairs()} == {
        tuple(sorted((str(a.uuid), str(b.uuid)))), tuple(sorted((str(a.uuid), later)))}
    sources = {e.source for e in AuditEntry.select().where(AuditEntry.operation == "not-duplicate")}
    assert sources == {"x.xlsx"}


def test_a_version_5_database_is_upgraded_and_its_duplicates_found(tmp_path):
    path = tmp_path / "v5.db"
    con = sqlite3.connect(path)
    con.executescript((Path(__file__).parent.parent / "data" / "schema_v5_duplicates.sql").read_text(encoding="utf-8"))
    con.close()
    open_database(path)
    assert migrations.schema_version(Stakeholder._meta.database.obj) == migrations.LATEST_VERSION
    [group] = find_duplicates()
    assert names(group) == ["Dan Okafor", "Daniel Okafor"] and group.reasons == ("same name and organisation",)
    assert [r.councils for r in group.records] == [(), ()]
    duplicates.mark_not_duplicates(*(r.id for r in group.records))
    assert find_duplicates(min_score=0) == [] and NotDuplicate.select().count() == 1
    assert services.check() == []


# ---- the matcher's helpers ------------------------------------------------------------------------------
def test_matcher_helpers():
    assert phone_key("+44 (0)20 7946 0123") == phone_key("020-7946-0123") == phone_key("0044 20 7946 0123") == "02079460123"
    assert phone_key("7700 900123") == "07700900123" and phone_key("ext 123") == ""
    assert is_generic_email("Enquiries@havering.gov.uk") and not is_generic_email("grace.adeyemi@example.org")
    assert initials_agree("d okafor", "daniel okafor") and initials_agree("j r smith", "john robert smith")
    assert not initials_agree("d okafor", "peter okafor") and not initials_agree("d smith", "daniel okafor")
    assert set(name_blocks("daniel okafor")) == {"daniel o", "okafor d"}
    assert organisation_key("Redbridge C.V.S.") == organisation_key("Redbridge CVS Ltd") == "redbridge cvs"
    assert organisation_key("St. Mary's & St. John's") == "saint mary s and saint john s"
    assert set(name_blocks("mary smith")) & set(name_blocks("ann mary smith"))


# ---- the commands ---------------------------------------------------------------------------------------
def test_duplicates_command_json_and_table(met, db_path, capsys):
    a = person("Daniel Okafor", met, email="daniel.okafor@met.police.uk")
    b = person("Dan OKAFOR", email="Daniel.Okafor@met.police.uk")
    person("Ravi Shah", met)
    assert main(["duplicates", "--db", str(db_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == {"groups": [{"score": 99, "reasons": ["same email", "same name"], "records": [
        {"id": str(a.uuid), "number": a.id, "name": "Daniel Okafor", "organisation": "Metropolitan Police Service",
         "email": "daniel.okafor@met.police.uk"},
        {"id": str(b.uuid), "number": b.id, "name": "Dan OKAFOR", "organisation": "",
         "email": "Daniel.Okafor@met.police.uk"}]}]}
    assert main(["duplicates", "--db", str(db_path), "--kind", "organisations", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"groups": []}
    assert main(["duplicates", "--db", str(db_path), "--min-score", "50"]) == 0
    out = capsys.readouterr().out
    assert "99" in out and "same email, same name" in out and "Dan OKAFOR" in out and str(a.uuid) in out
    assert "1 group" in out


def test_not_duplicates_command(met, db_path, capsys):
    a = person("Grace Adeyemi", met)
    b = person("Grace Adeyemi", met)
    assert main(["not-duplicates", "--db", str(db_path), str(a.uuid), str(b.id)]) == 0
    assert "not duplicates" in capsys.readouterr().out
    assert main(["duplicates", "--db", str(db_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"groups": []}
    assert main(["not-duplicates", "--db", str(db_path), str(a.id), "999999"]) == 1
    assert "No stakeholder with ID 999999" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["duplicates", "--db", str(db_path), "--min-score", "200"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        main(["duplicates", "--db", str(db_path), "--kind", "events"])
    assert exit_.value.code == 2
    assert main(["duplicates", "--db", str(db_path), "--council", "Atlantis"]) == 1
    open_database(db_path)
    assert NotDuplicate.select().count() == 1 and Stakeholder.select().count() == 3


# ---- properties -------------------------------------------------------------------------------------------
FIRSTS = ("Daniel", "Dan", "D.", "DANIEL", "Grace", "G", "Ravi", "Elizabeth", "Liz")
SURNAMES = ("Okafor", "Okafur", "Adeyemi", "Shah", "OKAFOR")
EMAILS = ("", "", "dan@x.org", "DAN@X.org", "grace@y.org", "info@x.org", "INFO@x.org", "ravi@z.org")
PHONES = ("", "", "020 7946 0123", "+44 (0)20 7946 0123", "07700 900123")
record_strategy = st.tuples(st.sampled_from(("person", "person", "organisation")), st.sampled_from(FIRSTS),
                            st.sampled_from(SURNAMES), st.booleans(), st.integers(0, 2), st.sampled_from(EMAILS),
                            st.sampled_from(PHONES), st.sampled_from(("live", "live", "live", "erased", "deleted")))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(record_strategy, min_size=2, max_size=14), marks=st.lists(st.tuples(st.integers(0, 13),
       st.integers(0, 13)), max_size=3), min_score=st.sampled_from((0, 30, 50, 80)))
def test_groups_keep_their_promises(tmp_path_factory, rows, marks, min_score):
    """Whatever the records: groups of two or more of one kind, live and not erased, disjoint, best first, at or
    above the minimum; a pair said not to be duplicates never together; the same personal email always together."""
    path = tmp_path_factory.mktemp("prop") / "t.db"
    open_database(path, create=True)
    try:
        orgs = [org(f"Org {i}") for i in range(3)]
        made = []
        for kind, first, surname, swapped, o, email, phone, state in rows:
            name = f"{surname}, {first}" if swapped else f"{first} {surname}"
            if kind == "organisation":
                name += " Trust"
            r = services.stakeholders.create(name=name, kind=kind, sector="police", email=email, phone=phone,
                                             organisation=orgs[o] if kind == "person" else None)
            if state == "erased" and kind == "person":
                services.privacy.erase(r)
            elif state != "live":
                services.stakeholders.delete(r)
            made.append(Stakeholder.get_by_id(r.id))
        apart = set()
        for i, j in marks:
            if i < len(made) and j < len(made) and i != j and made[i].deleted_at is None and made[j].deleted_at is None:
                duplicates.mark_not_duplicates(made[i].id, made[j].id)
                apart.add(frozenset((made[i].id, made[j].id)))
        live = {r.id: r for r in made if r.deleted_at is None and r.erased_at is None}
        groups = find_duplicates(min_score=min_score)
        seen = set()
        for g in groups:
            ids = [r.id for r in g.records]
            assert len(ids) >= 2 and set(ids) <= set(live) and not seen & set(ids)
            seen |= set(ids)
            assert len({live[i].kind for i in ids}) == 1 and {r.kind for r in g.records} == {live[ids[0]].kind}
            assert min_score <= g.score <= 100 and g.reasons and set(g.reasons) <= set(duplicates.REASONS)
            assert not any(frozenset((a, b)) in apart for a in ids for b in ids if a < b)
        assert [g.score for g in groups] == sorted((g.score for g in groups), reverse=True)
        if not apart and min_score <= 90:
            where = {r.id: n for n, g in enumerate(groups) for r in g.records}
            by_email = {}
            for r in live.values():
                if r.email:
                    by_email.setdefault((r.kind, r.email.casefold()), []).append(r.id)
            for (_, email), ids in by_email.items():
                if not is_generic_email(email) and 2 <= len(ids) < duplicates.INBOX_SHARED_BY:
                    assert len({where.get(i) for i in ids}) == 1 and where.get(ids[0]) is not None, email
    finally:
        close_database()
