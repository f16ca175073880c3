"""Every date box in the app, typed into as a user types: exact dates stored, or an error at the field.

Each kind of date input (event date; commitment date made and target date; action due date; an
update's date; the action log's filter dates; the export's "changed since") is clicked into,
typed with real keystrokes, saved the way a user saves, and the stored (or used) value checked.
"""

import datetime as dt

import openpyxl
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from tests.ui.conftest import select_row
from tracker import services
from ui import exchange as ui_exchange
from ui import reports as ui_reports

JAN_16 = dt.date(2019, 1, 16)
FORMS = ["16/01/2019", "16/1/19", "16.01.2019", "16-01-2019", "16012019", "16 Jan 2019", "16 January 2019",
         "2019-01-16"]
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def type_into(qtbot, edit, text):
    """Click into the box and type ``text`` over what it holds.  Clicking into it from elsewhere
    selects its text (test_clicking_into_the_box_selects_its_date); when it has the focus already,
    a click places the cursor, so the user selects the text with Ctrl+A first."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    assert edit.hasFocus()
    if edit.selectedText() != edit.text():
        qtbot.keyClick(edit, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(edit, text)


def leave(qtbot, edit):
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert not edit.hasFocus()  # Tab always moves on, whatever was typed


def show_dialog(qtbot, dialog):
    """As exec() would: shown and active, so a click gives focus."""
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def action_page(window, qtbot):
    page = window.show_view("actions")
    action = select_row(page, 0)
    return page, action, page.editor.fields["due_date"]


# ---- each kind of date field, typed and saved ------------------------------------------------------------
def test_event_date_typed_and_saved_with_the_save_action(window, qtbot):
    page = window.show_view("events")
    page.new_record()
    qtbot.keyClicks(page.editor.fields["title"].input, "Havering community safety meeting")
    date = page.editor.fields["date"]
    assert date.input.text() == "" and date.input.placeholderText() == "dd/mm/yyyy"
    type_into(qtbot, date.input, "16/01/2019")
    assert page.editor.dirty
    window.actions["save"].trigger()
    event = page.editor.record
    assert event is not None and services.events.get(event.id).date == JAN_16
    assert date.input.text() == "16/01/2019"


def test_event_date_is_required_at_save(window, qtbot):
    page = window.show_view("events")
    page.new_record()
    qtbot.keyClicks(page.editor.fields["title"].input, "A meeting with no date")
    before = services.events.count()
    window.actions["save"].trigger()
    date = page.editor.fields["date"]
    assert date.error.isVisibleTo(page.editor) and date.error.text() == "Date is required."
    assert services.events.count() == before


def test_commitment_dates_typed_and_saved_with_ctrl_s(window, qtbot):
    page = window.show_view("commitments")
    page.new_record()
    editor = page.editor
    qtbot.keyClicks(editor.fields["title"].input, "Knife crime workshops in every school")
    editor.fields["made_by"].set(services.stakeholders.find_by_name("Ben Kinsella Trust")[0])
    made, target = editor.fields["date_made"].input, editor.fields["target_date"].input
    type_into(qtbot, made, "16 Jan 2019")
    leave(qtbot, made)
    assert made.text() == "16/01/2019"  # shown again as dd/mm/yyyy on leaving
    type_into(qtbot, target, "31/03/2027")
    qtbot.keyClick(target, Qt.Key.Key_S, CTRL)
    com = editor.record
    assert com is not None, editor.fields["target_date"].error.text()
    stored = services.commitments.get(com.id)
    assert (stored.date_made, stored.target_date) == (JAN_16, dt.date(2027, 3, 31))


def test_action_due_date_in_every_accepted_form(window, qtbot):
    page, action, due = action_page(window, qtbot)
    for text in FORMS:
        type_into(qtbot, due.input, "31/12/2030")
        page.editor.save_button.click()
        type_into(qtbot, due.input, text)
        page.editor.save_button.click()
        assert services.actions.get(action.id).due_date == JAN_16, text
        assert due.input.text() == "16/01/2019" and not page.editor.dirty


def test_the_dates_the_old_box_got_wrong(window, qtbot):
    page, action, due = action_page(window, qtbot)
    for text, day in (("31/03/2027", dt.date(2027, 3, 31)), ("16/01/2019", JAN_16), ("29/02/2024", dt.date(2024, 2, 29)),
                      ("01/01/1990", dt.date(1990, 1, 1)), ("31/12/2100", dt.date(2100, 12, 31))):
        type_into(qtbot, due.input, text)
        page.editor.save_button.click()
        assert services.actions.get(action.id).due_date == day, text


def test_update_date_typed_and_added(window, qtbot):
    page, action, _ = action_page(window, qtbot)
    panel = page.editor.updates
    page.editor.tabs.setCurrentWidget(panel)
    assert panel.date.input.text() == dt.date.today().strftime("%d/%m/%Y")
    type_into(qtbot, panel.date.input, "16.1.19")
    qtbot.keyClicks(panel.text, "Venue booked")
    panel.add_button.click()
    update = services.updates.of(action)
    assert [(u.date, u.text) for u in update if u.text == "Venue booked"] == [(JAN_16, "Venue booked")]


def test_update_with_a_bad_or_empty_date_adds_nothing(window, qtbot):
    page, action, _ = action_page(window, qtbot)
    panel = page.editor.updates
    page.editor.tabs.setCurrentWidget(panel)
    before = len(services.updates.of(action))
    qtbot.keyClicks(panel.text, "Should not be added")
    for text, reason in (("31/02/2019", "Date is not a real date"), ("15/01/1900", "Date must be between"),
                         ("", "Date is required.")):
        type_into(qtbot, panel.date.input, text)
        if not text:
            qtbot.keyClick(panel.date.input, Qt.Key.Key_Delete)
        qtbot.keyClick(panel.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # adds, as the button does
        assert len(services.updates.of(action)) == before
        assert panel.date.error.isVisibleTo(panel) and panel.date.error.text().startswith(reason)
        assert panel.text.toPlainText() == "Should not be added"  # what was typed is kept to fix the date


def test_report_filter_dates_typed_and_used(window, qtbot, monkeypatch, tmp_path):
    window.show_view("actions")
    seen = {}

    def ask(cls, parent, kind, filters, search=""):
        dialog = cls(parent, kind, filters, search)
        show_dialog(qtbot, dialog)
        after, before = (dict((f.name, f) for f in dialog.dates)[k].input for k in ("due_after", "due_before"))
        type_into(qtbot, after, "16/01/2019")
        type_into(qtbot, before, "31 Mar 2027")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()
        seen["result"] = dialog.result()
        return dialog.values()

    monkeypatch.setattr(ui_reports.ReportDialog, "ask", classmethod(ask))
    monkeypatch.setattr(ui_reports.SaveReportAs, "ask", classmethod(lambda cls, p, t, s, o: str(tmp_path / "r.xlsx")))
    monkeypatch.setattr(ui_reports.ReportDone, "ask", classmethod(lambda cls, p, path, report: seen.update(report=report)))
    window.actions["report_action_log"].trigger()
    op = window.report_actions.last_operation
    if not op.done:
        with qtbot.waitSignal(op.finished, timeout=30_000):
            pass
    assert seen["result"] == QDialog.DialogCode.Accepted
    report = seen["report"]
    assert report.filters_text == "Filters: Due on or after 16/01/2019; due on or before 31/03/2027"
    expected = services.actions.count(filters={**window.current_filters("actions"), "due_after": JAN_16,
                                               "due_before": dt.date(2027, 3, 31)})
    assert len(report.rows) == expected > 0


def test_report_filter_date_that_cannot_be_read_keeps_the_dialog_open(window, qtbot):
    dialog = ui_reports.ReportDialog(window, "actions", {})
    show_dialog(qtbot, dialog)
    after = dialog.dates[0]
    type_into(qtbot, after.input, "31/02/2019")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert after.error.isVisibleTo(dialog) and "is not a real date" in after.error.text()
    type_into(qtbot, after.input, "")
    qtbot.keyClick(after.input, Qt.Key.Key_Delete)  # an empty filter date is no filter
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted and "due_after" not in dialog.values()["filters"]


def test_export_since_typed_and_used(window, qtbot, monkeypatch, tmp_path):
    out = tmp_path / "share.xlsx"
    seen = {}

    def ask(cls, parent):
        dialog = cls(parent)
        show_dialog(qtbot, dialog)
        dialog.use_since.click()
        type_into(qtbot, dialog.since.input, "16012019")
        qtbot.keyClick(dialog.since.input, Qt.Key.Key_Return)  # Enter: the default button
        seen["result"] = dialog.result()
        return {**dialog.values(), "path": str(out)}

    monkeypatch.setattr(ui_exchange.ExportDialog, "ask", classmethod(ask))
    window.actions["export_sharing"].trigger()
    op = window.sharing.last_operation
    if not op.done:
        with qtbot.waitSignal(op.finished, timeout=30_000):
            pass
    assert seen["result"] == QDialog.DialogCode.Accepted and op.error is None
    about = {r[0].value: r[1].value for r in openpyxl.load_workbook(out)["About"].iter_rows() if r[0].value}
    assert about["Changes since"] == "16/01/2019"


def test_export_since_that_cannot_be_read_keeps_the_dialog_open(window, qtbot):
    dialog = ui_exchange.ExportDialog(window)
    show_dialog(qtbot, dialog)
    assert not dialog.since.input.isEnabled()
    dialog.use_since.click()
    for text, reason in (("15/01/1900", "must be between"), ("hello", "is not a date"), ("", "is required")):
        type_into(qtbot, dialog.since.input, text)
        if not text:
            qtbot.keyClick(dialog.since.input, Qt.Key.Key_Backspace)
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.since.error.isVisibleTo(dialog) and reason in dialog.since.error.text()
    dialog.use_since.click()  # no "since" date wanted: nothing to check
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.values()["since"] is None


# ---- refusals: an error at the field, nothing stored ------------------------------------------------------
REFUSED = [
    ("31/02/2019", "Due date is not a real date (February 2019 has 28 days)."),
    ("hello", "Due date is not a date (type it as 16/01/2019 or 16 Jan 2019, or a period: Mar 2019, Q2 2019, "
              "2019 or FY 2019/20)."),  # a due date may be a period (tests/ui/test_period_dates.py)
    ("15/01/1900", "Due date must be between 01/01/1990 and 31/12/2100."),
    ("160119", "Due date is not a date: type the year in full"),
]


def test_text_that_is_not_a_date_is_an_error_at_the_field_and_saves_nothing(window, qtbot):
    page, action, due = action_page(window, qtbot)
    before = services.actions.get(action.id)
    for text, reason in REFUSED:
        type_into(qtbot, due.input, text)
        leave(qtbot, due.input)
        assert due.input.text() == text  # kept as typed, to be corrected
        assert due.error.isVisibleTo(page.editor) and due.error.text().startswith(reason)
        assert due.input.accessibleDescription() == due.error.text()  # screen readers hear it
        page.editor.save_button.click()
        assert page.editor.dirty and due.error.text().startswith(reason) and due.input.hasFocus()
        window.actions["save"].trigger()
        after = services.actions.get(action.id)
        assert (after.due_date, after.version) == (before.due_date, before.version), text

    type_into(qtbot, due.input, "16/01/2019")  # corrected: the message goes on leaving the box
    leave(qtbot, due.input)
    assert not due.error.isVisibleTo(page.editor) and due.input.accessibleDescription() == ""
    page.editor.save_button.click()
    assert services.actions.get(action.id).due_date == JAN_16


def test_a_reason_from_the_services_stays_until_the_next_save(window, qtbot):
    page = window.show_view("commitments")
    com = select_row(page, 0)
    target = page.editor.fields["target_date"]
    made = com.date_made
    type_into(qtbot, target.input, (made - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.editor.save_button.click()
    assert "before the date the commitment was made" in target.error.text()
    target.input.setFocus()
    leave(qtbot, target.input)  # tabbing through does not hide the services' reason
    assert target.error.isVisibleTo(page.editor)


# ---- empty, Tab, Delete ---------------------------------------------------------------------------------
def test_clicking_into_the_box_selects_its_date(window, qtbot):
    page, action, due = action_page(window, qtbot)
    title = page.editor.fields["title"].input
    qtbot.mouseClick(title, Qt.MouseButton.LeftButton)
    assert title.hasFocus()
    qtbot.mouseClick(due.input, Qt.MouseButton.LeftButton)
    assert due.input.hasFocus() and due.input.selectedText() == action.due_date.strftime("%d/%m/%Y")
    qtbot.keyClicks(due.input, "31/03/2027")  # typing replaces the date
    assert due.input.text() == "31/03/2027"
    qtbot.mouseClick(due.input, Qt.MouseButton.LeftButton)  # a second click places the cursor as usual
    assert not due.input.hasSelectedText()


def test_an_emptied_optional_date_stores_none(window, qtbot):
    page, action, due = action_page(window, qtbot)
    assert action.due_date is not None
    due.input.setFocus(Qt.FocusReason.TabFocusReason)
    assert due.input.selectedText() == due.input.text()  # Tab into it selects the date
    qtbot.keyClick(due.input, Qt.Key.Key_Delete)
    assert due.input.text() == "" and page.editor.dirty
    leave(qtbot, due.input)
    assert not due.error.isVisibleTo(page.editor)
    window.actions["save"].trigger()
    assert services.actions.get(action.id).due_date is None and due.input.text() == ""


def test_backspace_empties_and_an_empty_box_takes_typing(window, qtbot):
    page, action, due = action_page(window, qtbot)
    type_into(qtbot, due.input, "")
    qtbot.keyClick(due.input, Qt.Key.Key_Backspace)
    assert due.input.text() == ""
    leave(qtbot, due.input)  # Tab leaves an empty box
    type_into(qtbot, due.input, "16/01/2019")
    assert due.input.text() == "16/01/2019"
    page.editor.save_button.click()
    assert services.actions.get(action.id).due_date == JAN_16


def test_revert_and_unsaved_changes_see_a_typed_date(window, qtbot, answers):
    page, action, due = action_page(window, qtbot)
    shown = due.input.text()
    type_into(qtbot, due.input, "31/03/2027")
    assert page.editor.dirty and page.editor.revert_button.isEnabled()
    page.editor.revert_button.click()
    assert due.input.text() == shown and not page.editor.dirty
    type_into(qtbot, due.input, "31/03/2027")
    select_row(page, 1)  # leaving the record asks; the default answer discards
    assert answers.asked and answers.asked[-1][0] == "unsaved"
    assert services.actions.get(action.id).due_date == action.due_date


# ---- the calendar --------------------------------------------------------------------------------------
def test_calendar_opens_from_the_keyboard_at_the_fields_date(window, qtbot):
    page, action, due = action_page(window, qtbot)
    type_into(qtbot, due.input, "31/03/2027")
    for key, modifiers in ((Qt.Key.Key_Down, ALT), (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier)):
        qtbot.keyClick(due.input, key, modifiers)
        popup = due.input.popup
        assert popup.isVisible() and QApplication.activePopupWidget() is popup
        calendar = popup.calendar
        assert calendar.selectedDate() == QDate(2027, 3, 31)
        assert (calendar.yearShown(), calendar.monthShown()) == (2027, 3)
        view = QApplication.focusWidget()  # the calendar's day grid has the focus
        assert popup.isAncestorOf(view)
        if key == Qt.Key.Key_Down:
            qtbot.keyClick(view, Qt.Key.Key_Escape)  # closes, changing nothing
            assert not popup.isVisible() and due.input.text() == "31/03/2027"
    assert calendar.minimumDate() == QDate(1990, 1, 1) and calendar.maximumDate() == QDate(2100, 12, 31)
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the next day ...
    qtbot.keyClick(view, Qt.Key.Key_Return)  # ... chosen with Enter
    assert not popup.isVisible() and due.input.text() == "01/04/2027" and page.editor.dirty
    assert due.input.hasFocus()
    page.editor.save_button.click()
    assert services.actions.get(action.id).due_date == dt.date(2027, 4, 1)


def test_calendar_on_an_empty_box_opens_at_today_and_escape_closes_it(window, qtbot):
    page = window.show_view("actions")
    page.new_record()
    due = page.editor.fields["due_date"].input
    assert due.text() == ""
    type_into(qtbot, due, "")
    qtbot.keyClick(due, Qt.Key.Key_F4)
    calendar = due.popup.calendar
    assert calendar.selectedDate() == QDate.currentDate()
    assert (calendar.yearShown(), calendar.monthShown()) == (QDate.currentDate().year(), QDate.currentDate().month())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not due.popup.isVisible() and due.text() == "" and not page.editor.dirty


def test_calendar_button_and_a_mouse_pick(window, qtbot):
    page, action, due = action_page(window, qtbot)
    type_into(qtbot, due.input, "hello")  # unreadable text: the calendar opens at today
    due.input.calendar_action.trigger()  # the button in the box
    calendar = due.input.popup.calendar
    assert calendar.selectedDate() == QDate.currentDate()
    calendar.setSelectedDate(QDate(2019, 1, 16))
    calendar.clicked.emit(QDate(2019, 1, 16))  # what a click on a day emits
    assert due.input.text() == "16/01/2019" and not due.input.popup.isVisible()
    page.editor.save_button.click()
    assert services.actions.get(action.id).due_date == JAN_16


def test_the_box_is_named_and_sized_for_a_date(window, qtbot):
    page, action, due = action_page(window, qtbot)
    assert due.input.accessibleName() == "Due date"
    assert due.input.text() == action.due_date.strftime("%d/%m/%Y")
    width = due.input.width()
    assert due.input.fontMetrics().horizontalAdvance("00/00/0000") < width < page.editor.width() / 2
