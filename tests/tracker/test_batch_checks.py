"""The batch forms refuse what ``validate`` refuses: ``create_many``, checking its rows in bulk
(``Kind.first_invalid``), the same first row, the same reasons, a value cleaning changed checked again, and the
rules across fields for every record; ``update_many`` (an import's matched records) what each change touches
(``Kind.validate_change``: the fields it writes and the rules reading them, the first record refused worded as
``update`` words it; a stored value that breaks today's rules refused only when the change writes it), and, writing
a column at a time, it stores what ``update`` stores."""

import datetime as dt
import random

import pytest

from tracker import services
from tracker.dates import MONTH, Period
from tracker.errors import NotFoundError, ValidationError
from tracker.models import AuditEntry, Stakeholder
from tracker.records import ACTION, LINK, STAKEHOLDER


def _people(n=4):
    s = services.stakeholders
    org = s.create(name="Havering Primary", kind="organisation", sector="education")
    return org, [s.create(name=f"Person {i}", kind="person", email=f"p{i}@x.example") for i in range(n)]


def _refusal(call):
    with pytest.raises(ValidationError) as info:
        call()
    return info.value


def _store(record, **values):
    """Write values straight into the table, past the rules (as an older version or another program might have)."""
    Stakeholder.update(values).where(Stakeholder.id == record.id).execute()


def test_a_stored_value_that_breaks_the_rules_is_judged_only_when_a_change_touches_it(db):
    """``update`` judges the whole state it is given (a form shows every field); ``update_many`` (an import's
    matched records) judges what each change touches: a field it leaves alone is not refused, one it writes is."""
    _, people = _people()
    _store(people[2], sector="not-a-sector", influence=9)
    s = services.stakeholders
    single = _refusal(lambda: s.update(people[2], role="Chair"))
    assert single.errors == {"sector": STAKEHOLDER["sector"].problem("not-a-sector"),
                             "influence": STAKEHOLDER["influence"].problem(9)}
    written = s.update_many([(p, {"role": "Chair"}) for p in people])
    assert [(r.role, r.version) for r in written] == [("Chair", 2)] * 4
    assert (s.get(people[2].id).sector, s.get(people[2].id).influence) == ("not-a-sector", 9)  # left as it was
    batch = _refusal(lambda: s.update_many([(people[1], {"role": "Vice"}), (people[2], {"influence": 7})]))
    assert batch.errors == {"influence": STAKEHOLDER["influence"].problem(7)}
    assert str(batch) == str(_refusal(lambda: s.update(people[1], influence=7)))
    assert AuditEntry.select().where(AuditEntry.operation == "update", AuditEntry.field == "influence").count() == 0
    assert [s.get(p.id).role for p in people] == ["Chair"] * 4  # the refused batch wrote nothing


def test_the_first_record_refused_is_the_one_worded(db):
    org, people = _people()
    s = services.stakeholders
    items = [(people[0], {"role": "Chair"}), (people[1], {"email": "not an address"}),
             (people[2], {"organisation": people[3]}), (people[3], {"role": "x" * 201})]
    batch = _refusal(lambda: s.update_many(items))
    assert batch.errors == {"email": STAKEHOLDER["email"].problem("not an address")}
    # the rule across fields (a person's organisation is an organisation) for a record whose fields all pass
    batch = _refusal(lambda: s.update_many(items[2:]))
    assert str(batch) == str(_refusal(lambda: s.update(people[2], organisation=people[3])))
    assert "must be an organisation (Person 3 is a person)" in str(batch)
    itself = _refusal(lambda: s.update_many([(people[0], {"role": "Chair"}), (org, {"organisation": org})]))
    assert str(itself) == str(_refusal(lambda: s.update(org, organisation=org)))  # (the rule reads the stored record)
    assert itself.errors == {"organisation": "cannot be the stakeholder itself"}
    batch = _refusal(lambda: s.update_many(items[3:]))
    assert batch.errors == {"role": "is too long (at most 200 characters)"}
    assert s.update_many(items[:1])[0].role == "Chair"


def test_a_missing_record_after_a_refused_one_leaves_the_refusal_first(db):
    _, people = _people()
    s = services.stakeholders
    gone = s.get(people[3].id)
    Stakeholder.delete().where(Stakeholder.id == gone.id).execute()
    with pytest.raises(ValidationError):
        s.update_many([(people[0], {"email": "bad"}), (gone, {"role": "Chair"})])
    with pytest.raises(NotFoundError):
        s.update_many([(gone, {"role": "Chair"}), (people[0], {"email": "bad"})])


def test_a_row_cleaning_trimmed_is_checked_whole_though_its_fields_were_checked(db):
    s, checked = services.stakeholders, frozenset(STAKEHOLDER.own_fields) - {"organisation"}
    rows = [{"name": "Ann", "kind": "person", "email": "ann@x.example"},
            {"name": "Bob", "kind": "person", "email": " not an address "}]
    batch = _refusal(lambda: s.create_many(rows, checked=checked))
    assert batch.row == 2 and batch.errors == {"email": STAKEHOLDER["email"].problem("not an address")}
    assert str(batch).startswith("Row 2 of 2: The stakeholder was not saved. email: is not an email address")
    assert Stakeholder.select().where(Stakeholder.name.in_(["Ann", "Bob"])).count() == 0


def test_rows_checked_by_the_caller_still_meet_the_rules_across_fields(db):
    org, people = _people(1)
    s, checked = services.stakeholders, frozenset(STAKEHOLDER.own_fields) - {"organisation"}
    rows = [{"name": "Ann", "kind": "person", "organisation": org},
            {"name": "Bob", "kind": "person", "organisation": people[0]}]
    batch = _refusal(lambda: s.create_many(rows, checked=checked))
    assert batch.row == 2 and batch.errors == {"organisation": "must be an organisation (Person 0 is a person)"}
    deleted = s.delete(s.create(name="Gone Org", kind="organisation"))
    batch = _refusal(lambda: s.create_many([rows[0], {"name": "Cy", "kind": "person", "organisation": deleted}],
                                           checked=checked))
    assert batch.row == 2 and batch.errors == {"organisation": "refers to a deleted stakeholder"}


def test_an_unknown_field_after_a_refused_row_leaves_the_refusal_first(db):
    s = services.actions
    batch = _refusal(lambda: s.create_many([{"title": "Fine"}, {"title": ""}, {"title": "x", "colour": "red"}]))
    assert batch.row == 2
    with pytest.raises(ValueError, match="has no field 'colour'"):
        s.create_many([{"title": "Fine"}, {"title": "x", "colour": "red"}, {"title": ""}])


class _Linked:
    def __init__(self, deleted):
        self.is_deleted, self.id, self.kind, self.name = deleted, id(self), "organisation", "Org"


class _Text(str):
    pass


def _values(rng):
    """Values of every sort a field may be handed, equal ones of different classes among them."""
    return [None, "", " ", "x", "x" * 201, "a@b.example", "not an address", "https://x.example", "person",
            "organisation", "police", "other", "high", "open", "urgent", 0, 1, 3, 5, 6, True, 1.0, 3.0,
            dt.date(2024, 3, 31), dt.datetime(2024, 3, 31), Period(dt.date(2024, 3, 31), MONTH), dt.date(1900, 1, 1),
            _Text("person"), _Linked(False), _Linked(True), rng.random()]


@pytest.mark.parametrize("kind", [STAKEHOLDER, ACTION])
def test_first_invalid_finds_the_record_validate_refuses_first(kind):
    rng = random.Random(13)
    pool = _values(rng)
    alike = [1, True, 1.0, 3, 3.0, dt.date(2024, 3, 31), dt.datetime(2024, 3, 31), Period(dt.date(2024, 3, 31), MONTH),
             "person", _Text("person")]  # (equal values a field's rule may tell apart)
    links = [None, _Linked(False), _Linked(True), _Linked(False)]
    names = [f.name for f in kind.editable]
    for trial in range(1000):
        good = {n: v for n, v in kind.defaults().items()}
        good.update({"name": "N", "title": "T", "kind": good.get("kind", "person")})
        states = []
        for _ in range(rng.randint(1, 12)):
            state = dict(good)
            for name in rng.sample(names, rng.randint(0, 3)):
                state[name] = rng.choice(links if kind[name].type == LINK  # (a rule reads a link's id)
                                         else alike if rng.random() < 0.5 else pool)
            states.append(state)
        checked = frozenset(rng.sample(names, rng.randint(0, len(names)))) if trial % 2 else frozenset()
        unchecked = {i for i in range(len(states)) if rng.random() < 0.3}
        expected = next((i for i, s in enumerate(states)
                         if kind.validate(s, None, None, frozenset() if i in unchecked else checked)), None)
        assert kind.first_invalid(states, None, None, checked, unchecked) == expected, (trial, states)


def test_update_many_writes_each_column_as_update_does(db):
    """The parameters are built a column at a time (``bulk.db_values``): a text, a period and its precision, a day,
    a linked record, a link removed and a choice are stored as ``update`` stores them."""
    s = services.actions
    owner = services.stakeholders.create(name="Havering Primary", kind="organisation", sector="education")
    one, two = (s.create(title="Same", owner=owner, due_date=dt.date(2026, 1, 5)) for _ in range(2))
    changes = [{"title": "Changed", "due_date": Period(dt.date(2019, 3, 31), MONTH), "owner": None, "priority": "high"},
               {"due_date": dt.date(2027, 2, 1), "owner": owner, "council": services.councils.find("Redbridge")}]
    for change in changes:
        s.update(one, **change)
        s.update_many([(two, change)])
        columns = ("title", "due_date", "due_date_precision", "owner_id", "council_id", "priority", "version")
        stored = [db_row for db_row in s.model.select(*(getattr(s.model, c) for c in columns))
                  .where(s.model.id.in_([one.id, two.id])).order_by(s.model.id).tuples()]
        assert stored[0] == stored[1]
    assert stored[0][:3] == ("Changed", dt.date(2027, 2, 1), None)


def test_update_many_with_only_councils_changed_bumps_the_version_as_update_does(db):
    s = services.commitments
    maker = services.stakeholders.create(name="Havering Primary", kind="organisation", sector="education")
    one, two = (s.create(title="Same", made_by=maker, date_made=dt.date(2026, 1, 5)) for _ in range(2))
    redbridge = [services.councils.find("Redbridge")]
    s.update(one, councils=redbridge)
    [done] = s.update_many([(two, {"councils": redbridge, "title": "Same"})])
    assert done.version == s.get(two.id).version == s.get(one.id).version == 2
    assert [c.name for c in s.councils_of(s.get(two.id))] == ["Redbridge"]


def test_a_rule_reading_a_changed_field_reads_the_stored_ones_beside_it(db):
    """A commitment's target date may not be before the date it was made: a change of the target is judged against
    the stored date made (the whole new state); a change leaving both alone is not judged by that rule."""
    s = services.commitments
    maker = services.stakeholders.create(name="Havering Primary", kind="organisation", sector="education")
    one, two = (s.create(title="Same", made_by=maker, date_made=dt.date(2026, 1, 5)) for _ in range(2))
    early = {"target_date": dt.date(2025, 12, 31)}
    batch = _refusal(lambda: s.update_many([(one, {"title": "Fine"}), (two, early)]))
    assert str(batch) == str(_refusal(lambda: s.update(two, **early)))
    assert batch.errors == {"target_date": "is before the date the commitment was made"}
    s.model.update(target_date=dt.date(2020, 1, 1)).where(s.model.id == one.id).execute()  # past the rules
    [done] = s.update_many([(one, {"title": "Renamed"})])
    assert (done.title, s.get(one.id).target_date) == ("Renamed", dt.date(2020, 1, 1))


def test_a_rule_needing_a_stored_field_valid_is_not_applied_when_it_is_not():
    """As ``validate`` applies no rule whose ``needs_valid`` fields failed, ``validate_change`` applies none whose
    field left alone holds a value its own rule refuses (the rule cannot judge it; the change did not make it)."""
    from tracker.records import COMMITMENT

    stored = {"title": "Same", "date_made": "not a date", "target_date": dt.date(2019, 1, 1)}
    change = {"target_date": dt.date(2018, 1, 1)}
    asked = []

    def state(values):
        def state_of(names):
            asked.append(tuple(names))
            return {n: values[n] for n in names}
        return state_of

    assert COMMITMENT.validate_change(change, state({**stored, **change}), None) == {}
    assert asked == [("date_made", "target_date")]  # the rule's fields alone (the title is not read)
    sound = {**stored, "date_made": dt.date(2019, 6, 1)}
    assert COMMITMENT.validate_change(change, state({**sound, **change}), None) == {
        "target_date": "is before the date the commitment was made"}
    asked.clear()
    assert COMMITMENT.validate_change({"title": "x" * 301}, state(stored), None) == {
        "title": "is too long (at most 300 characters)"} and asked == []  # no rule reads the title: no state


def test_update_many_reads_linked_records_only_for_a_stored_link_it_needs(db, monkeypatch):
    """The records linked to are read (one query per 500, for all the records at once) only when a rule reads a link
    the change leaves alone, or a changed link had a record before (its audit entry names it): filling the
    organisation of people who had none reads none, and the rule still judges the new one."""
    org, people = _people(3)
    s = services.stakeholders
    reads = []
    read_many = s._read_many
    monkeypatch.setattr(s, "_read_many", lambda ids, model=None: reads.append(model) or read_many(ids, model))
    current = {p.id: s.get(p.id) for p in people}
    s.update_many([(people[0], {"role": "Chair"}), (people[1], {"organisation": org})], current=current)
    assert reads == [] and s.get(people[1].id).organisation_id == org.id
    assert str(_refusal(lambda: s.update_many([(people[2], {"organisation": people[0]})]))) == str(
        _refusal(lambda: s.update(people[2], organisation=people[0])))
    other = s.create(name="Redbridge CVS", kind="organisation", sector="voluntary")
    reads.clear()
    [moved] = s.update_many([(people[1], {"organisation": other})])
    assert reads == [None, Stakeholder] and moved.organisation_id == other.id  # (its own read, then the links)
    entries = AuditEntry.select().where(AuditEntry.record_uuid == people[1].uuid.hex,
                                        AuditEntry.field == "organisation")
    assert [e.old_value for e in entries.order_by(AuditEntry.id)][-1] == str(org.uuid)  # (linked records by UUID)
