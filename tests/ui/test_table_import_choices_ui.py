"""The import wizard's steps where a person says more than the suggested mapping (issue 13 §3, §4, §7),
driven with keystrokes and clicks: two columns joined into one field, a partner's words mapped to ours,
each date column's order, a header nobody recognises mapped by hand, doubtful matches decided several at
once (in the preview and in Review held matches), and no progress box left over the next step."""

import datetime as dt
import json
import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QProgressDialog
from shiboken6 import isValid

from tracker import services
from tracker.dates import MONTH, Period, format_uk_date
from tracker.services import tableimports
from tracker.tableimport import Options, apply_plan, plan_import
from ui import heldreview, tableimport_mapping, tableimport_pages
from ui import tableimport as ui_tableimport
from ui import worker as ui_worker

from tests.tracker.table_import_helpers import doubtful_forum

from .conftest import choose
from .test_table_import_ui import click_next, map_by_keyboard, open_wizard


def pick(qtbot, table, row, column, text):
    """Choose ``text`` in a cell's list as a user does: select the cell, F2, type, arrows, Return."""
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox), editor
    choose(qtbot, editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert table.item(row, column).text() == text


def row_of(table, text, column=0):
    [row] = [r for r in range(table.rowCount()) if table.item(r, column).text() == text]
    return row


def go_to_columns(qtbot, window, chosen_file, path, kind=None):
    chosen_file["path"] = str(path)
    wizard = open_wizard(qtbot, window)
    first = wizard.currentPage()
    first.browse()
    if kind:
        choose(qtbot, first.kind, kind)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert isinstance(wizard.currentPage(), tableimport_mapping.MappingPage)
    return wizard


def test_columns_joined_and_words_mapped_show_in_the_preview_and_the_records(qtbot, window, chosen_file, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Type of organisation,Address 1,Address 2,Email\n"
                    "Ruth Ellis,Social enterprise,12 High Street,Romford RM1 1AA,ruth.ellis@example.org\n"
                    "Sam Cole,Police,Dagenham Road,Dagenham RM10 7FN,sam.cole@example.org\n", encoding="utf-8")
    wizard = go_to_columns(qtbot, window, chosen_file, path)
    page = wizard.currentPage()
    assert page.chosen()["Type of organisation"] == "sector"
    shown = [(page.words.item(r, 0).text(), page.words.item(r, 1).text()) for r in range(page.words.rowCount())]
    assert shown == [("Type of organisation", "Social enterprise")], "Police is ours; only the other word is asked"
    map_by_keyboard(qtbot, page, "Address 1", "Address")
    map_by_keyboard(qtbot, page, "Address 2", "Address")
    pick(qtbot, page.words, 0, 2, "Voluntary / charity")
    qtbot.keyClicks(page.preset_name, "Contacts")
    click_next(qtbot, wizard)

    preview = wizard.currentPage()
    assert isinstance(preview, tableimport_pages.PreviewPage)
    details = preview.table.item(row_of(preview.table, "Ruth Ellis", 3), 4).text()
    assert "Address: 12 High Street Romford RM1 1AA" in details and "Sector: Voluntary / charity" in details
    click_next(qtbot, wizard)
    [ruth] = services.stakeholders.page(0, 5, search="ruth.ellis@example.org")
    assert ruth.address == "12 High Street Romford RM1 1AA" and ruth.sector == "voluntary"
    [preset] = tableimports.presets("stakeholders")
    assert json.loads(preset.mapping)["Address 2"] == "address"
    assert json.loads(preset.values) == {"type of organisation": {"social enterprise": "voluntary"}}


def test_only_text_takes_two_columns(qtbot, window, chosen_file, tmp_path, no_blocking_dialogs):
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email,Work email\nRuth Ellis,ruth@example.org,r.ellis@example.org\n", encoding="utf-8")
    wizard = go_to_columns(qtbot, window, chosen_file, path)
    page = wizard.currentPage()
    map_by_keyboard(qtbot, page, "Work email", "Email")
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is page
    assert "Only one column can be imported as Email (now: Email, Work email)" in no_blocking_dialogs["messages"][-1]


def test_each_date_column_shows_its_order_and_takes_its_own(qtbot, window, chosen_file, tmp_path):
    path = tmp_path / "actions.csv"
    path.write_text("Action,Due date,Agreed\nFirst,03/04/2019,13/04/2019\nSecond,05/06/2019,14/04/2019\n",
                    encoding="utf-8")
    wizard = go_to_columns(qtbot, window, chosen_file, path, kind="Actions")
    page = wizard.currentPage()
    assert not page.table.isColumnHidden(3)
    due = row_of(page.table, "Due date")
    assert page.table.item(due, 3).text() == "undecidable: day first assumed"
    pick(qtbot, page.table, due, 3, "month first")
    click_next(qtbot, wizard)
    assert wizard.options.column_dates == {"Due date": "month-first"}
    assert wizard.plan.used[0].dates == {"Due date": "month-first"}
    qtbot.mouseClick(wizard.button(wizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage().table.item(due, 3).text() == "month first"
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    due_dates = {a.title: a.due_date for a in services.actions.query() if a.title in ("First", "Second")}
    assert due_dates == {"First": dt.date(2019, 3, 4), "Second": dt.date(2019, 5, 6)}



def test_a_date_column_with_months_written_without_a_year_says_so(qtbot, window, chosen_file, tmp_path):
    """"end of March" is read as the next end of March: the columns step says so for its column (it was
    only on each row of the preview)."""
    path = tmp_path / "actions.csv"
    path.write_text("Action,Due date\nFirst,end of March\nSecond,13/04/2027\n", encoding="utf-8")
    wizard = go_to_columns(qtbot, window, chosen_file, path, kind="Actions")
    page = wizard.currentPage()
    due = row_of(page.table, "Due date")
    assert page.table.item(due, 3).text() == "day first (decided by its values); 1 without a year: the next such month"
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    today = dt.date.today()
    march = Period(dt.date(today.year if today <= dt.date(today.year, 3, 31) else today.year + 1, 3, 31), MONTH)
    assert {a.title: a.due_date for a in services.actions.query() if a.title in ("First", "Second")} == \
        {"First": march, "Second": dt.date(2027, 4, 13)}

def test_a_column_mapped_to_a_date_shows_its_order_at_once(qtbot, window, chosen_file, tmp_path):
    """Mapped by keystrokes to a date field, a column's Dates cell appears straight away (not after Next and
    Back), with the order its values show, and it can be changed there; mapped away, it goes."""
    path = tmp_path / "actions.csv"
    path.write_text("Action,When,Note\nFirst,03/04/2019,a\nSecond,13/05/2019,b\n", encoding="utf-8")
    wizard = go_to_columns(qtbot, window, chosen_file, path, kind="Actions")
    page = wizard.currentPage()
    when = row_of(page.table, "When")
    assert page.table.item(when, 2).text() == tableimport_mapping.IGNORE
    assert page.table.isColumnHidden(3)  # no date column yet
    map_by_keyboard(qtbot, page, "When", "Due date")
    assert not page.table.isColumnHidden(3)
    assert page.table.item(when, 3).text() == "day first (decided by its values)"  # 13/05/2019 decides it
    pick(qtbot, page.table, when, 3, "month first")
    map_by_keyboard(qtbot, page, "Note", "Description")  # another column: the date's cell stays
    assert page.table.item(when, 3).text() == "month first"
    map_by_keyboard(qtbot, page, "When", tableimport_mapping.IGNORE)
    assert page.table.item(when, 3).text() == "" and page.table.isColumnHidden(3)
    map_by_keyboard(qtbot, page, "When", "Due date")
    assert page.table.item(when, 3).text() == "day first (decided by its values)"
    click_next(qtbot, wizard)
    assert wizard.plan.used[0].dates == {"When": "day-first"}
    click_next(qtbot, wizard)
    due_dates = {a.title: a.due_date for a in services.actions.query() if a.title in ("First", "Second")}
    assert due_dates == {"First": dt.date(2019, 4, 3), "Second": dt.date(2019, 5, 13)}


def test_a_date_order_chosen_is_saved_with_the_preset_and_offered_again(qtbot, window, chosen_file, tmp_path):
    path = tmp_path / "actions.csv"
    path.write_text("Action,Due date\nFirst,03/04/2019\n", encoding="utf-8")
    wizard = go_to_columns(qtbot, window, chosen_file, path, kind="Actions")
    page = wizard.currentPage()
    pick(qtbot, page.table, row_of(page.table, "Due date"), 3, "month first")
    qtbot.keyClicks(page.preset_name, "US log")
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    [preset] = tableimports.presets("actions")
    assert (preset.name, json.loads(preset.dates)) == ("US log", {"due date": "month-first"})
    wizard.close()
    path.write_text("Action,Due date\nSecond,05/06/2019\n", encoding="utf-8")  # the partner's next sheet
    wizard = go_to_columns(qtbot, window, chosen_file, path, kind="Actions")
    page = wizard.currentPage()
    assert wizard.plan.preset == "US log" and page.subTitle().startswith("Using the saved mapping 'US log'")
    assert page.table.item(row_of(page.table, "Due date"), 3).text() == "month first (your choice)"  # to keep or change
    click_next(qtbot, wizard)
    assert wizard.options.column_dates == {"Due date": "month-first"}
    click_next(qtbot, wizard)
    due_dates = {a.title: a.due_date for a in services.actions.query() if a.title in ("First", "Second")}
    assert due_dates == {"First": dt.date(2019, 3, 4), "Second": dt.date(2019, 5, 6)}


def test_a_header_nobody_recognises_is_chosen_and_mapped_by_hand(qtbot, window, chosen_file, tmp_path,
                                                                  no_blocking_dialogs):
    path = tmp_path / "liste.csv"
    path.write_text("Liste;des;participants;2019\n;;;\nNom complet;Courriel;Structure;\n"
                    "Ada Byrne;ada.byrne@example.org;Mayfield Youth Club;\n", encoding="utf-8")
    chosen_file["path"] = str(path)
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    click_next(qtbot, wizard)  # not refused: the wizard asks instead
    read = wizard.currentPage()
    assert isinstance(read, tableimport_pages.ReadPage)
    assert read.rows.item(2, 0).text() == "Nom complet" and read.rows.verticalHeaderItem(2).text() == "3"
    read.rows.setFocus()
    qtbot.mouseClick(read.rows.viewport(), Qt.MouseButton.LeftButton,
                     pos=read.rows.visualItemRect(read.rows.item(2, 0)).center())
    assert read.header_row.value() == 3
    click_next(qtbot, wizard)
    page = wizard.currentPage()
    assert page.chosen() == {"Nom complet": None, "Courriel": None, "Structure": None}
    assert "Choose what each column is" in page.subTitle()
    qtbot.mouseClick(wizard.next_button(), Qt.MouseButton.LeftButton)  # nothing mapped yet: stays
    assert wizard.currentPage() is page and "Nothing can be imported yet" in no_blocking_dialogs["messages"][-1]
    map_by_keyboard(qtbot, page, "Nom complet", "Name")
    map_by_keyboard(qtbot, page, "Courriel", "Email")
    map_by_keyboard(qtbot, page, "Structure", "Organisation")
    click_next(qtbot, wizard)
    assert wizard.currentPage().values["added"] == 2  # Ada and her club
    click_next(qtbot, wizard)
    [ada] = services.stakeholders.page(0, 5, search="ada.byrne@example.org")
    assert ada.name == "Ada Byrne" and ada.organisation.name == "Mayfield Youth Club"


def go_to_preview(qtbot, window, chosen_file, path):
    chosen_file["path"] = str(path)
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    for _ in range(3):
        click_next(qtbot, wizard)
    assert isinstance(wizard.currentPage(), tableimport_pages.PreviewPage)
    return wizard


def test_doubtful_rows_are_decided_several_at_once_in_the_preview(qtbot, window, chosen_file, tmp_path):
    (jon, margaret, olu), path = doubtful_forum(tmp_path)
    before = services.stakeholders.count()
    wizard = go_to_preview(qtbot, window, chosen_file, path)
    preview = wizard.currentPage()
    assert preview.values["held"] == 3 and not preview.link.isEnabled()
    table = preview.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.setCurrentCell(row_of(table, "Jonathon Whitfeld", 3), 0)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)  # and Margret
    assert preview.link.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Link to best match
    qtbot.waitUntil(lambda: preview.values["held"] == 1)  # (a mnemonic clicks as the button shows it pressed)
    assert preview.values["matched"] == 2
    assert table.item(row_of(table, "Jonathon Whitfeld", 3), 0).text() == "Update"
    table.setCurrentCell(row_of(table, "Olusegun Adebayoh", 3), 0)
    qtbot.keyClick(table, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # Skip
    qtbot.waitUntil(lambda: preview.values["held"] == 0)
    assert table.item(row_of(table, "Olusegun Adebayoh", 3), 0).text() == "Skipped: left out"
    assert not preview.link.isVisible(), "no doubtful row is left"
    click_next(qtbot, wizard)
    assert services.stakeholders.get(jon.id).role == "Chair"
    assert services.stakeholders.get(margaret.id).role == "Treasurer"
    assert services.stakeholders.get(olu.id).role == "" and services.stakeholders.count() == before
    assert tableimports.held_rows() == []


def test_create_new_for_several_doubtful_rows_in_the_preview(qtbot, window, chosen_file, tmp_path):
    _, path = doubtful_forum(tmp_path)
    before = services.stakeholders.count()
    wizard = go_to_preview(qtbot, window, chosen_file, path)
    preview = wizard.currentPage()
    preview.table.setFocus()
    qtbot.keyClick(preview.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # every row
    qtbot.keyClick(preview.table, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)  # Create new
    qtbot.waitUntil(lambda: preview.values["held"] == 0)
    assert preview.values["added"] == 3
    click_next(qtbot, wizard)
    assert services.stakeholders.count() == before + 3


def test_held_review_decides_several_rows_at_once(qtbot, window, tmp_path):
    (jon, margaret, _), path = doubtful_forum(tmp_path)
    apply_plan(plan_import(path, Options(kind="stakeholders")))
    before = services.stakeholders.count()
    dialog = heldreview.HeldReview(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # mnemonics reach the active window
    dialog.rows.setFocus()
    qtbot.waitUntil(dialog.rows.hasFocus)
    dialog.rows.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.link.text() == "&Link each to its best match (2)"
    assert dialog.skip.text() == "&Skip these rows (2)"
    qtbot.keyClick(dialog.rows, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.decided == 2)  # (a mnemonic clicks as the button shows it pressed)
    assert dialog.rows.rowCount() == 1
    assert dialog.link.text() == "&Link to this person"
    assert services.stakeholders.get(jon.id).role == "Chair"
    assert services.stakeholders.get(margaret.id).role == "Treasurer"
    qtbot.keyClick(dialog.rows, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.decided == 3)
    assert dialog.rows.rowCount() == 0 and services.stakeholders.count() == before
    assert [r.resolution for r in tableimports.held_rows(include_resolved=True)] == ["linked", "linked", "skipped"]


def test_no_progress_box_stays_over_the_next_step(qtbot, window, chosen_file, tmp_path, monkeypatch):
    """The plan shows its progress box (slow enough), then the columns step: no progress box is left,
    and none can come back (it was deleted before the next step showed)."""
    path = tmp_path / "contacts.csv"
    path.write_text("Name,Email\nRuth Ellis,ruth@example.org\n", encoding="utf-8")
    chosen_file["path"] = str(path)
    made, shown = [], threading.Event()
    real = ui_tableimport.plan_import

    class Watched(ui_worker.ProgressBox):
        def __init__(self, *args):
            super().__init__(*args)
            made.append(self)

    def slow(path, options, progress=None):
        shown.wait(20)
        return real(path, options, progress)

    monkeypatch.setattr(ui_worker, "ProgressBox", Watched)
    monkeypatch.setattr("ui.worker.PROGRESS_DIALOG_DELAY_MS", 0)
    monkeypatch.setattr(ui_tableimport, "plan_import", slow)
    timer = QTimer()
    timer.timeout.connect(lambda: shown.set() if any(isValid(d) and d.isVisible() for d in made) else None)
    timer.start(20)
    wizard = open_wizard(qtbot, window)
    wizard.currentPage().browse()
    click_next(qtbot, wizard)
    timer.stop()
    assert made and shown.is_set(), "the progress box showed while the file was read"
    assert not any(isValid(d) for d in made), "every progress box was deleted, not just hidden"
    assert isinstance(wizard.currentPage(), tableimport_pages.ReadPage)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]



def test_held_review_links_a_commitment_to_the_organisation_held(qtbot, window, tmp_path):
    college = services.stakeholders.create(name="Havering Sixth Form College", kind="organisation",
                                           sector="education")
    path = tmp_path / "pledges.csv"
    path.write_text("Commitment,Organisation,Target date\nMentoring for Year 10,Havering Sixth Form,Q2 2027\n",
                    encoding="utf-8")
    apply_plan(plan_import(path, Options(kind="commitments")))
    dialog = heldreview.HeldReview(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.rows.setFocus()
    dialog.rows.setCurrentCell(0, 0)
    assert [dialog.rows.item(0, c).text() for c in (0, 1)] == ["Mentoring for Year 10", "Havering Sixth Form"]
    assert dialog.link.text() == "&Link to this organisation"
    assert dialog.candidates.item(0).text().startswith("the organisation Havering Sixth Form College")
    qtbot.keyClick(dialog.rows, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.decided == 1)
    [made] = [c for c in services.commitments.query() if c.title == "Mentoring for Year 10"]
    assert made.made_by_id == college.id and format_uk_date(made.target_date) == "Q2 2027"
    assert services.stakeholders.find_by_name("Havering Sixth Form") == []  # no near-duplicate maker


def test_the_preview_lists_a_registration_not_attending_as_left_out(qtbot, window, chosen_file, tmp_path):
    path = tmp_path / "eventbrite.csv"
    path.write_text("Attendee,Email,Registration status\nRuth Ellis,ruth.e@example.org,Attending\n"
                    "Nia Osei,nia.o@example.org,Cancelled\n", encoding="utf-8")
    chosen_file["path"] = str(path)
    event = services.events.page(0, 1, sort="date")[0]
    wizard = open_wizard(qtbot, window)
    first = wizard.currentPage()
    first.browse()
    choose(qtbot, first.kind, "Attendance at an event")
    first.event.setCurrentIndex(first.event.findData(str(event.id)))
    for _ in range(3):
        click_next(qtbot, wizard)
    preview = wizard.currentPage()
    assert isinstance(preview, tableimport_pages.PreviewPage)
    nia = row_of(preview.table, "Nia Osei", 3)
    assert preview.table.item(nia, 0).text() == "Not attending: left out"
    assert preview.table.item(nia, 4).text().startswith("registration 'Cancelled': not attendance")
    assert [preview.table.item(r, 0).text() for r in range(preview.table.rowCount())
            if preview.table.item(r, 3).text() == "Ruth Ellis"] == ["New", "Attended"]
    click_next(qtbot, wizard)
    assert services.stakeholders.find_by_name("Nia Osei") == []
    assert "Ruth Ellis" in {a.stakeholder.name for a in services.attendance.attendees(event)}
