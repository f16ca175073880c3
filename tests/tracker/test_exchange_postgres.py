"""The exchange on a shared PostgreSQL server: the bulk SQL the import writes is portable."""

import openpyxl
import pytest

from tests.tracker.exchange_helpers import make_records, snapshot
from tests.tracker.postgres_helpers import fresh_postgres_database as fresh
from tests.tracker.postgres_helpers import needs_postgres
from tracker import services
from tracker.db import close_database
from tracker.exchange import export_workbook, import_workbook
from tracker.services import imports

pytestmark = needs_postgres


def test_export_import_update_and_undo_on_postgres(tmp_path):
    fresh()
    try:
        services.set_actor("Officer", "Havering")
        r = make_records(text="=on postgres")
        before = snapshot()
        export_workbook(tmp_path / "pg.xlsx")
        fresh()
        services.set_actor("Officer", "Redbridge")
        report = import_workbook(tmp_path / "pg.xlsx")
        assert report.added == 8 and snapshot() == before
        assert services.check() == []
        services.actions.create(title="Created after the import", priority="low")  # the id sequence moved on
        again = import_workbook(tmp_path / "pg.xlsx")
        assert (again.added, again.updated) == (0, 0)
        action = services.actions.get(r["actions"][0].uuid)
        services.actions.update(action, status="done")  # optimistic locking on imported rows
        assert services.actions.get(action.uuid).version == 2
        with pytest.raises(imports.UndoBlocked):
            imports.undo_import(report.import_id)
        services.actions.update(services.actions.get(action.uuid), status="blocked")
        wb = openpyxl.load_workbook(tmp_path / "pg.xlsx")  # a manager marks the action cancelled
        ws = wb["Actions"]
        ws.cell(row=2, column=[c.value for c in ws[1]].index("Status") + 1).value = "Cancelled"
        wb.save(tmp_path / "edited.xlsx")
        third = import_workbook(tmp_path / "edited.xlsx", on_conflict="take-theirs")
        assert third.conflicts == 1 and services.actions.get(action.uuid).status == "cancelled"
        imports.undo_import(third.import_id)
        assert services.actions.get(action.uuid).status == "blocked"
        assert services.check() == []
    finally:
        close_database()
