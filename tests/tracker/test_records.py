"""The registry of fields (tracker.records): each rule on its own, and that it is the one source.

Every layer reads a field's label, vocabulary, limits and rules from the registry; these tests check
the registry against the database columns, the services against the registry, and that a rule's
words and a vocabulary's labels are written nowhere else.
"""

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from peewee import CharField, DateField, ForeignKeyField, IntegerField, TextField

from tracker import models, records, services, vocab
from tracker.dates import OUT_OF_RANGE
from tracker.errors import ValidationError
from tracker.records import fields as F
from tracker.records import references as R
from tracker.records import rules

ROOT = Path(__file__).resolve().parents[2]
MODELS = {m._meta.table_name: m for m in models.RECORD_MODELS}
SERVICES = {"stakeholder": services.stakeholders, "event": services.events, "attendance": services.attendance,
            "commitment": services.commitments, "action": services.actions, "update": services.updates}
# Kept on a record but never typed by a person: the Record bookkeeping, and an erasure's date.
NOT_EDITED = {"id", "uuid", "created_at", "updated_at", "origin_council", "version", "deleted_at", "erased_at"}


# ---- one field at a time -----------------------------------------------------------------------------
def test_an_empty_required_field_is_required_and_an_empty_optional_one_is_fine():
    name, role = records.STAKEHOLDER["name"], records.STAKEHOLDER["role"]
    assert name.problem(None) == name.problem("") == "is required"
    assert role.problem(None) is role.problem("") is None


def test_an_empty_required_choice_says_what_it_offers():
    status = records.ACTION["status"]
    assert status.problem(None) == status.problem("") == "must be one of: Open, In progress, Blocked, Done, Cancelled"
    assert records.COMMITMENT["rag"].problem(None) is None and records.COMMITMENT["rag"].problem("") is None
    assert status.problem("done") is None
    assert status.problem("Done") == status.problem("finished") == status.problem(None)  # codes only, not labels


def test_text_longer_than_its_column_is_too_long():
    name = records.STAKEHOLDER["name"]
    assert name.problem("x" * 200) is None
    assert name.problem("x" * 201) == "is too long (at most 200 characters)"
    notes = records.STAKEHOLDER["notes"]
    assert notes.problem("x" * 32_768) == "is too long (at most 32,767 characters)"


def test_email_and_web_addresses_are_checked_before_their_length():
    email, web = records.STAKEHOLDER["email"], records.STAKEHOLDER["website"]
    assert email.problem("jo@example.org") is None
    assert email.problem("not-an-email") == "is not an email address (it should look like name@example.org)"
    assert email.problem("@" * 300) == email.problem("not-an-email")  # the more useful reason wins
    assert email.problem("a" * 250 + "@b.co") == "is too long (at most 254 characters)"
    assert web.problem("https://example.org") is None and web.problem("HTTP://EXAMPLE.ORG") is None
    assert web.problem("ftp://x") == "must start with http:// or https://"


def test_dates_must_be_dates_within_the_range():
    due = records.ACTION["due_date"]
    assert due.problem(dt.date(2019, 1, 16)) is None
    assert due.problem("16/01/2019") == due.problem(dt.datetime(2019, 1, 16)) == "is not a date"
    assert due.problem("") == "is not a date"  # an empty date is None, never ""
    assert due.problem(dt.date(1900, 1, 1)) == OUT_OF_RANGE
    assert records.EVENT["date"].problem(None) == "is required"


def test_scores_are_whole_numbers_from_one_to_five():
    influence = records.STAKEHOLDER["influence"]
    assert [influence.problem(n) for n in (1, 5, None)] == [None, None, None]
    reason = "must be a whole number from 1 (low) to 5 (high)"
    assert [influence.problem(v) for v in (0, 6, 2.5, "3", "")] == [reason] * 5


def test_a_link_may_not_point_at_a_deleted_record():
    owner = records.ACTION["owner"]
    assert owner.problem(SimpleNamespace(is_deleted=False)) is None
    assert owner.problem(SimpleNamespace(is_deleted=True)) == "refers to a deleted stakeholder"
    assert records.UPDATE["action"].problem(SimpleNamespace(is_deleted=True)) == "refers to a deleted action"
    assert records.COMMITMENT["made_by"].problem(None) == "is required"


def test_values_are_shown_as_people_read_them():
    C, S = records.COMMITMENT, records.STAKEHOLDER
    assert C["theme"].show("knife_crime") == "Knife crime" and C["theme"].show("retired_code") == "retired_code"
    assert C["target_date"].show(dt.date(2019, 1, 16)) == C["target_date"].show("2019-01-16") == "16/01/2019"
    assert S["influence"].show(3) == "3" and S["influence"].show(None) == ""
    assert S["organisation"].show(SimpleNamespace(name="Trust")) == str(SimpleNamespace(name="Trust"))  # str(record)
    assert C["councils"].show(["Havering", "Redbridge"]) == "Havering, Redbridge"
    assert all(f.show(None) == "" and f.show("") == "" for kind in records.KINDS for f in kind.fields)


def test_values_are_read_from_text_as_the_forms_and_spreadsheets_write_them():
    C, S, A = records.COMMITMENT, records.STAKEHOLDER, records.ACTION
    assert C["date_made"].parse(" 16 Jan 2019 ") == C["date_made"].parse("16/01/2019") == dt.date(2019, 1, 16)
    assert C["date_made"].parse("") is None
    with pytest.raises(records.FieldError) as bad:
        C["date_made"].parse("31/02/2019")
    assert bad.value.reason.startswith("is not a real date")
    assert S["sector"].parse("health / NHS") == S["sector"].parse("HEALTH") == "health"
    assert A["status"].parse("in progress") == "in_progress" and A["status"].parse(" ") is None
    with pytest.raises(records.FieldError, match="must be one of: Open"):
        A["status"].parse("Finished")
    assert S["interest"].parse("4") == S["interest"].parse(4.0) == 4
    for text in ("7", "2.5", "high"):
        with pytest.raises(records.FieldError, match="whole number from 1"):
            S["interest"].parse(text)
    assert C["councils"].parse("Havering; Redbridge, Barking and Dagenham") == [
        "Havering", "Redbridge", "Barking and Dagenham"]
    assert S["name"].parse("  kept as typed ") == "  kept as typed " and S["name"].parse(None) == ""


def test_a_column_heading_finds_its_field():
    A, C = records.ACTION, records.COMMITMENT
    assert A.find("Due date") is A.find(" due  DATE ") is A.find("Due") is A.find("due_date") is A["due_date"]
    assert C.find("Made at") is C.find("Made at (event)") is C["made_at"]
    assert A.find("Ref") is A["reference"] and A.find("Colour") is None


# ---- rules across fields -----------------------------------------------------------------------------
def test_a_target_date_may_not_be_before_the_date_made():
    C = records.COMMITMENT
    valid = {"title": "t", "made_by": SimpleNamespace(is_deleted=False), "theme": "youth", "status": "agreed",
             "date_made": dt.date(2019, 5, 1)}
    assert C.validate({**valid, "target_date": dt.date(2019, 5, 1)}) == {}
    assert C.validate({**valid, "target_date": dt.date(2019, 4, 30)}) == {
        "target_date": "is before the date the commitment was made"}
    # Not applied to dates that are already wrong on their own: their own reason stands.
    assert C.validate({**valid, "date_made": dt.date(1980, 1, 1), "target_date": dt.date(1970, 1, 1)}) == {
        "date_made": OUT_OF_RANGE, "target_date": OUT_OF_RANGE}
    # The same rule over the exchange's stored form (ISO text).
    assert rules.target_before_made("2019-05-01", "2019-04-30") and not rules.target_before_made("2019-05-01", None)


def test_a_persons_organisation_is_an_organisation_and_not_itself():
    S = records.STAKEHOLDER
    org = SimpleNamespace(id=1, kind="organisation", name="Ben Kinsella Trust", is_deleted=False)
    person = SimpleNamespace(id=2, kind="person", name="Jo Bloggs", is_deleted=True)
    valid = {"name": "x", "kind": "person", "sector": "other"}
    assert S.validate({**valid, "organisation": org}) == {}
    itself = S.validate({**valid, "organisation": org}, existing=org)
    assert itself == {"organisation": "cannot be the stakeholder itself"}
    # The rule's reason replaces the link's own ("refers to a deleted stakeholder"): it is the more particular.
    a_person = S.validate({**valid, "organisation": person})
    assert a_person == {"organisation": "must be an organisation (Jo Bloggs is a person)"}
    assert rules.organisation_problem("a1", "a1", "organisation", "A") == "cannot be the stakeholder itself"
    assert rules.organisation_problem(None, "b2", None, "unknown yet") is None  # a kind not known is not refused


def test_attendance_is_unique_per_event_and_stakeholder():
    event, person = SimpleNamespace(title="Summit", is_deleted=False), SimpleNamespace(name="Jo", is_deleted=False)
    asked = []

    def taken(names, values, existing):
        asked.append((names, existing))
        return True

    assert records.ATTENDANCE.validate({"event": event, "stakeholder": person}, None, taken) == {
        "stakeholder": "Jo is already recorded as attending Summit"}
    assert asked == [(("event", "stakeholder"), None)]
    assert records.ATTENDANCE.validate({"event": event, "stakeholder": person}) == {}  # no database to ask
    assert records.ATTENDANCE.validate({"event": event}, None, taken) == {"stakeholder": "is required"}


def test_an_update_belongs_to_exactly_one_record():
    U = records.UPDATE
    base = {"date": dt.date(2019, 1, 16), "text": "Met"}
    one = SimpleNamespace(is_deleted=False)
    assert U.validate({**base, "action": one}) == {}
    reason = {"target": "an update belongs to exactly one stakeholder, commitment or action"}
    assert U.validate(base) == reason and U.validate({**base, "action": one, "stakeholder": one}) == reason


def test_reasons_come_in_form_order():
    errors = records.STAKEHOLDER.validate({"name": "", "kind": "", "sector": "", "email": "x"})
    assert list(errors) == ["kind", "name", "sector", "email"]


# ---- action references -------------------------------------------------------------------------------
def test_references_are_formatted_and_read_in_one_place():
    assert R.prefix_for("HAV") == "HAV-A" and R.prefix_for(None) == "X-A"
    assert R.format_reference("HAV-A", 42) == "HAV-A0042" and R.format_reference("BD-A", 12345) == "BD-A12345"
    assert R.parse_reference("HAV-A0042") == ("HAV-A", 42)
    assert R.parse_reference("hav-a0042") is R.parse_reference("X-1") is R.parse_reference("") is None


def test_the_next_reference_follows_the_highest_number_not_the_last_text():
    taken = ["BD-A9999", "BD-A10000", "HAV-A20000", "BD-Anything", "junk"]
    assert R.highest(taken, "BD-A") == 10000
    assert R.Series("BD-A", taken).take(2) == ["BD-A10001", "BD-A10002"]
    assert R.Series("RED-A").next() == "RED-A0001"


def test_a_series_skips_references_its_caller_adds_as_it_goes():
    taken = {"HAV-A0001"}
    series = R.Series("HAV-A", taken)
    taken.add("HAV-A0003")  # e.g. an imported action keeping its own reference
    assert [series.next() for _ in range(3)] == ["HAV-A0002", "HAV-A0004", "HAV-A0005"]
    assert {"HAV-A0002", "HAV-A0004", "HAV-A0005"} <= taken


def test_the_service_numbers_through_the_series(db):
    services.set_actor("test user", "Havering")
    first = services.actions.create(title="One")
    assert first.reference == "HAV-A0001"
    assert services.actions.create_many([{"title": "Two"}, {"title": "Three"}])
    assert services.actions.next_reference() == "HAV-A0004"


# ---- the registry is the one source ----------------------------------------------------------------------
@pytest.mark.parametrize("kind", records.KINDS, ids=lambda k: k.name)
def test_every_field_a_person_edits_is_in_the_registry_as_the_database_holds_it(kind):
    model = MODELS[kind.table]
    periods = models.period_fields(model)  # a date that may be a period keeps its precision beside it
    beside = {f.precision for f in periods.values()}
    stored = {name: f for name, f in model._meta.fields.items() if name not in NOT_EDITED | beside}
    assert set(stored) == {f.name for f in kind.fields if f.type != records.COUNCILS}
    assert {f.name for f in kind.fields if f.periods} == set(periods)
    for name, column in stored.items():
        field = kind[name]
        if isinstance(column, ForeignKeyField):
            assert field.type == records.LINK
            target = column.rel_model._meta.table_name
            assert field.links_to == ("council" if target == "council" else records.BY_TABLE[target].name)
            assert field.required == (not column.null)
        elif isinstance(column, DateField):
            assert field.type == records.DATE and field.required == (not column.null)
        elif isinstance(column, IntegerField):
            assert field.type == records.SCORE
        elif field.type == records.CHOICE:
            assert isinstance(column, CharField) and max(map(len, field.vocabulary)) <= column.max_length
            assert field.default is None or field.default == column.default
        elif isinstance(column, TextField):
            assert field.max_length == records.MAX_TEXT, name
        else:
            assert isinstance(column, CharField) and field.max_length == column.max_length, name
    link_tables = {"stakeholder": models.StakeholderCouncil, "commitment": models.CommitmentCouncil}
    assert kind.has_councils == (kind.table in link_tables)


@pytest.mark.parametrize("kind", records.KINDS, ids=lambda k: k.name)
def test_each_service_validates_with_its_kind(db, kind):
    service = SERVICES[kind.name]
    assert service.record is kind and service.model is MODELS[kind.table] and service.what == kind.name
    assert service.fields == tuple(f.name for f in kind.editable if f.type != records.COUNCILS)
    for field in kind.editable:
        if field.type in F.TEXT_TYPES and field.type not in (records.EMAIL, records.URL):
            too_long = service.validate({field.name: "x" * (field.max_length + 1)})[field.name]
            assert too_long == f"is too long (at most {field.max_length:,} characters)"
        if field.required:
            assert service.validate({})[field.name] in ("is required", F.not_one_of(field.vocabulary or {}))
        elif field.type != records.COUNCILS:
            assert field.name not in service.validate({})


def test_a_service_refuses_what_its_kind_refuses(db):
    with pytest.raises(ValidationError) as info:
        services.commitments.create(title="x" * 301, date_made=dt.date(2019, 5, 1), target_date=dt.date(2019, 4, 1))
    assert info.value.errors == records.COMMITMENT.validate(
        {**records.COMMITMENT.defaults(), "title": "x" * 301, "date_made": dt.date(2019, 5, 1),
         "target_date": dt.date(2019, 4, 1)})
    assert list(info.value.errors) == ["title", "made_by", "target_date"]


def _sources(*folders):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


VOCABULARIES = [v for v in vars(vocab).values() if isinstance(v, dict) and v and all(
    isinstance(k, str) and isinstance(x, str) for k, x in v.items())]


def test_each_vocabulary_is_written_in_vocab_py_only():
    assert len(VOCABULARIES) >= 10
    pairs = [(code, label) for vocabulary in VOCABULARIES for code, label in vocabulary.items()]
    for path in _sources("tracker", "ui"):
        if path == ROOT / "tracker" / "vocab.py":
            continue
        text = path.read_text(encoding="utf-8")
        for code, label in pairs:
            assert not re.search(rf"""["']{re.escape(code)}["']\s*:\s*["']{re.escape(label)}["']""", text), (
                f"{path.relative_to(ROOT)} writes {code!r}: {label!r}; read it from tracker.vocab or the field")


# A rule's words, and the files allowed to write them: the registry only.  The exchange code reads the
# registry (its cells through tracker/records/cells.py, its checks across rows through the registry's
# rules), so a copy of any of these anywhere else fails here.  Others are noted.
RULE_WORDS = {
    "is before the date the commitment was made": {"tracker/records/rules.py"},
    "is not an email address": {"tracker/records/fields.py"},
    "must start with http:// or https://": {"tracker/records/fields.py"},
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": {"tracker/records/fields.py"},
    "MAX_TEXT = 32_767": {"tracker/records/fields.py"},
    "cannot be the stakeholder itself": {"tracker/records/rules.py"},
    "must be an organisation": {"tracker/records/rules.py"},
    "is already recorded as attending": {"tracker/records/rules.py"},
    "exactly one stakeholder, commitment or action": {"tracker/records/kinds.py"},
    "whole number from": {"tracker/records/fields.py"},
    "refers to a deleted": {"tracker/records/fields.py"},
    # A value read from a cell or typed as a conflict's result, refused naming the value.
    "is not one of:": {"tracker/records/cells.py"},
    "is not a council this database knows": {"tracker/records/cells.py"},
    # Councils (not a record kind) and the export dialog's "since" date check their own few values.
    "must be one of:": {"tracker/records/fields.py", "tracker/services/councils.py"},
    '"is required"': {"tracker/records/fields.py", "tracker/services/councils.py", "ui/exchange.py"},
    '-A"': {"tracker/records/references.py"},
    r"(?P<prefix>[A-Z]+-A)": {"tracker/records/references.py"},
    "EMAIL_RE = ": {"tracker/records/fields.py"},
    "def _reference_maker": set(),
    "def parse_cell": set(),
}


@pytest.mark.parametrize("words", sorted(RULE_WORDS))
def test_each_rule_is_written_once(words):
    found = {str(path.relative_to(ROOT)) for path in _sources("tracker", "ui")
             if words in path.read_text(encoding="utf-8")}
    assert found == RULE_WORDS[words]


def test_report_columns_showing_a_field_are_headed_as_the_form_labels_it():
    from tracker.reports.rows import ACTION_COLUMNS, REGISTER_COLUMNS

    # The reports' own words for a record's title and an action's commitment, and the rolled-up RAG.
    own_words = {"title", "commitment", "rag"}
    checked = 0
    for columns, kind in ((ACTION_COLUMNS, records.ACTION), (REGISTER_COLUMNS, records.COMMITMENT)):
        for column in columns:
            key = "made_at" if column.key == "event" else column.key
            if key in kind and key not in own_words:
                field = kind[key]
                assert column.header == field.title
                assert (column.kind == "date") == (field.type == records.DATE)
                checked += 1
    assert checked == 12
