"""The exchange import goes through the domain's rules: the registry's checks, its wording, fixed queries."""

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from tests.tracker.exchange_helpers import council_db, dump, edit_cells, make_records
from tracker import services
from tracker.errors import ValidationError
from tracker.exchange import export_workbook, import_workbook
from tracker.models import AuditEntry
from tracker.records import rules
from tracker.services import conflicts


def _preview_queries(tmp_path, n):
    """Queries a dry run makes to preview a file in which every one of ``n`` actions has a new owner."""
    with council_db(tmp_path / f"hav{n}.db", "Havering"):
        made = make_records(n=n)
        other = services.stakeholders.create(name="New owner", kind="person", sector="faith")
        export_workbook(tmp_path / f"v1-{n}.xlsx")
        for action in made["actions"]:
            services.actions.update(services.actions.get(action.uuid), owner=other)
        export_workbook(tmp_path / f"v2-{n}.xlsx")
    with council_db(tmp_path / f"red{n}.db", "Redbridge"):
        import_workbook(tmp_path / f"v1-{n}.xlsx")
        with count_queries() as counter:
            report = import_workbook(tmp_path / f"v2-{n}.xlsx", dry_run=True)
    owners = [change for d in report.details if d.kind == "updated" for change in d.changes if change[0] == "Owner ID"]
    assert owners == [("Owner ID", "Plain text person", "New owner")] * n  # each link named, by name
    return counter.count


def test_the_import_preview_names_links_in_a_fixed_number_of_queries(tmp_path):
    assert _preview_queries(tmp_path, 2) == _preview_queries(tmp_path, 25)


def _due_date_conflict(tmp_path):
    """Havering and Redbridge each change one action's status and due date: Redbridge holds a conflict."""
    with council_db(tmp_path / "hav.db", "Havering"):
        uuid = make_records()["actions"][0].uuid
        export_workbook(tmp_path / "v1.xlsx")
    with council_db(tmp_path / "red.db", "Redbridge"):
        import_workbook(tmp_path / "v1.xlsx")
    with council_db(tmp_path / "hav.db", "Havering"):
        services.actions.update(services.actions.get(uuid), status="done", due_date=dt.date(2019, 7, 1))
        export_workbook(tmp_path / "v2.xlsx")
    with council_db(tmp_path / "red.db", "Redbridge"):
        services.actions.update(services.actions.get(uuid), status="blocked", due_date=dt.date(2019, 8, 1))
        assert import_workbook(tmp_path / "v2.xlsx").conflicts == 1
    return uuid


def test_a_conflicts_result_is_text_read_in_the_domain(tmp_path):
    uuid = _due_date_conflict(tmp_path)
    with council_db(tmp_path / "red.db", "Redbridge"):
        [held] = conflicts.pending_conflicts()
        assert conflicts.conflict_sides(held) == [("due_date", "Due date", "01/08/2019", "01/07/2019"),
                                                  ("status", "Status", "Blocked", "Done")]
        # typed as people type: a UK date, a status's label in any case; mine's text keeps mine's value
        assert conflicts.read_result(held, {"due_date": "16 Sep 2019", "status": "Blocked"}) == {
            "due_date": "2019-09-16", "status": "blocked"}
        action = conflicts.resolve_conflict(held, "edited", edited={"due_date": "16/09/2019", "status": "in progress"})
        assert action.uuid == uuid and (action.due_date, action.status) == (dt.date(2019, 9, 16), "in_progress")
        assert conflicts.pending_conflicts() == []


@pytest.mark.parametrize("edited, field, reason", [
    ({"due_date": "31/02/2019"}, "due_date", "is not a real date"),
    ({"due_date": "16/01/2019", "status": "Finished"}, "status", "'Finished' is not one of: Open, In progress"),
    ({"owner": "Sam"}, "owner", conflicts.LINK_TYPED),
    ({"colour": "red"}, "colour", conflicts.NOT_IN_CONFLICT),
])
def test_a_result_that_cannot_be_read_names_the_field_and_changes_nothing(tmp_path, edited, field, reason):
    uuid = _due_date_conflict(tmp_path)
    before = dump(tmp_path / "red.db")
    with council_db(tmp_path / "red.db", "Redbridge"):
        [held] = conflicts.pending_conflicts()
        entries = AuditEntry.select().count()
        with pytest.raises(ValidationError) as info:
            conflicts.resolve_conflict(held, "edited", edited=edited)
        assert list(info.value.errors) == [field] and reason in info.value.errors[field]
        assert reason in str(info.value) and "The action was not saved" in str(info.value)
        assert services.actions.get(uuid).status == "blocked" and AuditEntry.select().count() == entries
        assert [c.id for c in conflicts.pending_conflicts()] == [held.id]
    assert dump(tmp_path / "red.db") == before


def test_an_imported_change_is_audited_as_the_services_word_it(tmp_path):
    """The audit text of an import's change is the services' own: links by UUID, dates in ISO form."""
    with council_db(tmp_path / "hav.db", "Havering"):
        made = make_records()
        other = services.stakeholders.create(name="New owner", kind="person", sector="faith")
        export_workbook(tmp_path / "v1.xlsx")
        action = services.actions.update(services.actions.get(made["actions"][0].uuid), owner=other,
                                         due_date=dt.date(2019, 9, 16))
        here = {e.field: (e.old_value, e.new_value) for e in AuditEntry.select().where(
            AuditEntry.record_uuid == action.uuid, AuditEntry.operation == "update")}
        export_workbook(tmp_path / "v2.xlsx")
    with council_db(tmp_path / "red.db", "Redbridge"):
        import_workbook(tmp_path / "v1.xlsx")
        import_workbook(tmp_path / "v2.xlsx")
        there = {e.field: (e.old_value, e.new_value) for e in AuditEntry.select().where(
            AuditEntry.record_uuid == action.uuid, AuditEntry.operation == "update")}
    assert there == here == {"owner": (str(made["person"].uuid), str(other.uuid)), "due_date": ("2019-06-01",
                                                                                                "2019-09-16")}


def test_a_persons_organisation_is_checked_by_the_registrys_rule(tmp_path):
    with council_db(tmp_path / "hav.db", "Havering"):
        made = make_records()
        export_workbook(tmp_path / "v1.xlsx")
    bad = edit_cells(tmp_path / "v1.xlsx", tmp_path / "bad.xlsx", [("Stakeholders", made["org"].uuid, "Kind", "Person")])
    with council_db(tmp_path / "red.db", "Redbridge"):
        report = import_workbook(bad)
    assert not report.applied and report.rejected == 1
    [detail] = report.details
    assert detail.message.startswith("bad.xlsx, sheet Stakeholders, row ") and detail.message.endswith(
        ", column Organisation ID: " + rules.not_an_organisation("Plain text org"))


def test_attending_twice_under_another_id_is_the_registrys_rule(tmp_path):
    with council_db(tmp_path / "hav.db", "Havering"):
        make_records()
        export_workbook(tmp_path / "v1.xlsx")
        [attendance] = services.attendance.query()
    with council_db(tmp_path / "red.db", "Redbridge"):
        import_workbook(tmp_path / "v1.xlsx")
    other_id = "5a0b72a8-f6e0-46cf-99ba-3085ac5fd798"
    bad = edit_cells(tmp_path / "v1.xlsx", tmp_path / "bad.xlsx", [("Attendance", attendance.uuid, "ID", other_id)])
    with council_db(tmp_path / "red.db", "Redbridge"):
        report = import_workbook(bad)
    assert not report.applied
    reason = rules.already_attending("Plain text person", "Summit Plain text") + " (under another ID)"
    assert report.details[0].message == f"bad.xlsx, sheet Attendance, row 2, column Stakeholder ID: {reason}"
