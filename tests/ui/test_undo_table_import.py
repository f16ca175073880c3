"""Edit → Undo import… of a partner's table, as a person does it: the dialog names the import, Enter undoes it,
and every field of the people it filled or updated is back (the import kept only the fields it wrote: schema 13)."""

import os

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from tracker import services
from tracker.models import Stakeholder
from tracker.services import imports
from tracker.tableimport import Options, import_table
from ui.exchange import UndoImport

from .test_exchange_ui import wait


def test_undoing_a_partners_table_from_the_edit_menu_puts_every_field_back(qtbot, window, tmp_path,
                                                                            no_blocking_dialogs):
    s = services.stakeholders
    school = s.create(name="Mayfield School", kind="organisation", sector="education")
    ann = s.create(name="Ann Oke", kind="person", organisation=school, email="ann.oke@mayfield.example",
                   phone="020 7946 0000", address="1 High Street, Romford", notes="Prefers email")
    before = {k: getattr(ann, k) for k in ("name", "email", "phone", "role", "address", "notes", "version")}
    path = tmp_path / "mayfield.csv"
    path.write_text("Name,Email,Phone,Job title\nAnn Oke,ann.oke@mayfield.example,020 7946 0009,Head of year\n"
                    "Cat New,cat.new@mayfield.example,,Clerk\n", encoding="utf-8")
    _, import_id = import_table(path, Options(kind="stakeholders", on_match="update"))
    assert (s.get(ann.id).phone, s.get(ann.id).role) == ("020 7946 0009", "Head of year")
    seen = {}

    def press_enter():  # in the dialog, while it is open (modal): what it lists, then Enter
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UndoImport):
            QTimer.singleShot(20, press_enter)
            return
        seen["first"] = dialog.list.item(0).text()
        if os.environ.get("TRACKER_SCREENSHOTS"):
            dialog.grab().save(os.path.join(os.environ["TRACKER_SCREENSHOTS"], "undo-table-import.png"))
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_enter)
    window.actions["undo_import"].trigger()
    wait(qtbot, window)
    assert seen["first"].endswith("mayfield.csv  from a partner's table: 1 added, 1 updated, 0 held for review")
    assert no_blocking_dialogs["info"] == [f"Import {import_id} (mayfield.csv) was undone: what it added is gone "
                                           "and what it changed is back as it was."]
    after = Stakeholder.get_by_id(ann.id)
    assert {k: getattr(after, k) for k in before} == before
    assert not Stakeholder.select().where(Stakeholder.email == "cat.new@mayfield.example").exists()
    assert imports.get_import(import_id).undone_at is not None
