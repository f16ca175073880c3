"""The app's safety features: daily backup at start, File → Restore from backup…, erasing a person,
the retention review.  Every dialog's ask() is replaced; nothing blocks."""

import datetime as dt

import pytest

from tracker import backups, services
from tracker.db import current_path
from tracker.models import Stakeholder
from ui import app as app_module
from ui import safety


@pytest.fixture
def asked(monkeypatch):
    record = {"backup": None, "erase": True, "calls": []}

    def choose(cls, parent, found):
        record["calls"].append(("choose", [b.name for b in found]))
        return record["backup"](found) if callable(record["backup"]) else record["backup"]

    def erase(cls, parent, name):
        record["calls"].append(("erase", name))
        return record["erase"]

    monkeypatch.setattr(safety.ChooseBackup, "ask", classmethod(choose))
    monkeypatch.setattr(safety.ConfirmErase, "ask", classmethod(erase))
    return record


def test_the_first_start_of_the_day_takes_a_backup(qtbot, tmp_path, answers):
    window = app_module.start(["--db", str(tmp_path / "day.db")])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.daily_backup.done, timeout=10_000)
    assert any(b.reason == "daily" for b in backups.list_backups())
    window.close()
    window = app_module.start(["--db", str(tmp_path / "day.db")])  # same day: no second one
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.daily_backup.done, timeout=10_000)
    assert [b.reason for b in backups.list_backups()].count("daily") == 1


def test_restore_from_backup_in_the_app(window, asked, no_blocking_dialogs):
    before = services.stakeholders.count()
    backups.backup_before("import")
    services.stakeholders.create(name="Made after the backup")
    window.pages["stakeholders"].refresh()
    asked["backup"] = lambda found: found[0]
    assert window.safety.restore_backup() is True
    assert services.stakeholders.count() == before
    assert window.pages["stakeholders"].model.total == before
    assert asked["calls"][0][0] == "choose"
    assert any(b.reason == "before-restore" for b in backups.list_backups())
    assert "kept as" in window.statusBar().currentMessage()


def test_restore_cancelled_or_nothing_to_restore(window, asked, no_blocking_dialogs):
    assert window.safety.restore_backup() is False  # no backups yet: a message
    assert "no backups" in no_blocking_dialogs["info"][-1]
    backups.backup_before("import")
    count = len(backups.list_backups())
    asked["backup"] = None  # cancelled
    assert window.safety.restore_backup() is False
    assert len(backups.list_backups()) == count


def test_a_damaged_backup_is_refused_with_a_message(window, asked, no_blocking_dialogs):
    bad = backups.backup_before("import")
    bad.write_bytes(b"garbage" * 1000)
    asked["backup"] = lambda found: found[0]
    before = services.stakeholders.count()
    assert window.safety.restore_backup() is False
    assert "not a Stakeholder Tracker backup" in no_blocking_dialogs["messages"][-1]
    assert services.stakeholders.count() == before and current_path() is not None


def test_erase_the_selected_person(window, asked, no_blocking_dialogs):
    person = Stakeholder.get(Stakeholder.kind == "person")
    window.open_record("stakeholders", person.id)
    asked["erase"] = False
    assert window.safety.erase_current() is False
    assert Stakeholder.get_by_id(person.id).erased_at is None
    asked["erase"] = True
    assert window.safety.erase_current() is True
    assert asked["calls"][-1] == ("erase", person.name)
    erased = Stakeholder.get_by_id(person.id)
    assert erased.erased_at is not None and erased.email == ""
    assert window.pages["stakeholders"].editor.record.name == services.privacy.ERASED_NAME


def test_erase_needs_a_person(window, asked, no_blocking_dialogs):
    org = Stakeholder.get(Stakeholder.kind == "organisation")
    window.open_record("stakeholders", org.id)
    assert window.safety.erase_current() is False
    assert "only people" in no_blocking_dialogs["messages"][-1] and asked["calls"] == []


def test_retention_review_dialog(qtbot, window, asked):
    people = list(Stakeholder.select().where(Stakeholder.kind == "person").limit(2))
    from tracker.models import Attendance, Event, Update
    Event.update(date=dt.date(2000, 1, 1)).execute()
    Update.update(date=dt.date(2000, 1, 1), updated_at=dt.datetime(2000, 1, 1)).execute()
    Attendance.update(updated_at=dt.datetime(2000, 1, 1)).execute()
    Stakeholder.update(updated_at=dt.datetime(2000, 1, 1)).where(Stakeholder.id.in_([p.id for p in people])).execute()
    dialog = safety.RetentionReview(window)
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert sorted(names) == sorted(p.name for p in people)
    dialog.table.selectRow(0)
    first = dialog.current_person()
    dialog.erase_current()
    assert dialog.table.rowCount() == 1 and Stakeholder.get_by_id(first.id).erased_at is not None
    dialog.months.setValue(1200)
    assert dialog.table.rowCount() == 0 and "Nobody" in dialog.summary.text()
    dialog.months.setValue(12)
    dialog.save_default.click()
    assert services.privacy.retention_months() == 12
    dialog.table.selectRow(0)
    dialog.open_current()
    assert dialog.opened == dialog.people[0][0].id


def test_menus_hold_the_safety_actions(window):
    texts = lambda menu: [a.text() for a in menu.actions()]  # noqa: E731
    assert "Restore from &backup…" in texts(window.menus["file"])
    assert texts(window.menus["file"])[-1] == "&Quit"
    assert "Erase &person…" in texts(window.menus["edit"])
    assert "&Retention review…" in texts(window.menus["reports"])


def test_a_damaged_database_at_start_offers_its_backups(qtbot, tmp_path, answers, asked, no_blocking_dialogs):
    path = tmp_path / "work.db"
    window = app_module.start(["--db", str(path)])
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.daily_backup.done)  # its thread's connection is closed
    count = services.stakeholders.count()
    backups.backup_before("import")
    window.close()
    from tracker.db import close_database
    close_database()
    path.write_bytes(b"scrambled" * 500)
    asked["backup"] = lambda found: next(b for b in found if b.reason == "before-import")
    window = app_module.start(["--db", str(path)])
    assert window is not None
    qtbot.addWidget(window)
    assert "backups" in no_blocking_dialogs["messages"][0] and services.stakeholders.count() == count
    assert any(b.reason == "damaged" for b in backups.list_backups(path))


def test_a_damaged_database_without_backups_is_a_message(qtbot, tmp_path, asked, no_blocking_dialogs):
    path = tmp_path / "lost.db"
    path.write_bytes(b"scrambled" * 500)
    assert app_module.start(["--db", str(path)]) is None
    assert "not a Stakeholder Tracker database" in no_blocking_dialogs["messages"][-1]
    assert asked["calls"] == []
