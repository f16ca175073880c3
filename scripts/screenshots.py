#!/usr/bin/env python3
"""Render each main view of the app on the demo data to PNG (offscreen) for the README and docs.

    python scripts/screenshots.py [OUTPUT_DIR]      # default docs/screenshots
    python scripts/screenshots.py --entry [OUTPUT_DIR]   # only the entry screens (issue 15), at 1366x768
    QT_SCALE_FACTOR=2 python scripts/screenshots.py --entry   # ... and at 200% (names end in -200)
    python scripts/screenshots.py --import [OUTPUT_DIR]   # only the spreadsheet import wizard (import-*.png)
    python scripts/screenshots.py --dialogs [OUTPUT_DIR]  # only the guide, About, import preview/result, conflict
    python scripts/screenshots.py --map [OUTPUT_DIR]      # only the power/interest map (power-map*.png), 1366x768
    QT_SCALE_FACTOR=2 python scripts/screenshots.py --map   # ... today's map at 200% (power-map-200.png)
    python scripts/screenshots.py --dashboard [OUTPUT_DIR]   # only the dashboard (light, dark, empty), 1366x768
    QT_SCALE_FACTOR=2 python scripts/screenshots.py --dashboard   # ... at 200% (names end in -200)
    python scripts/screenshots.py --demo [OUTPUT_DIR]   # only the actions list on the demo, at 1366x768
    python scripts/screenshots.py --filters [OUTPUT_DIR]  # only the owner filter's picker open (filter-owner*.png)
    QT_SCALE_FACTOR=2 python scripts/screenshots.py [--import]   # at 200% on 1366x768: the import wizard and the
        screens the other modes do not make at 200% (links, overdue, validation, periods, dark; names end in -200)

Also renders the Actions view with a dark palette (actions-dark.png), to check both palettes, the
steps of File → Import a spreadsheet… on a sign-in sheet built from the demo's people, and the
entry screens: a picker open on namesakes, a commitment's actions, the update box, the history.

Uses a throw-away data folder and database, so the user's own settings and data are untouched.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def demo_app(argv):
    """The app started on a new database with the demo data loaded, in a throw-away data folder:
    (the QApplication, the main window, the output folder, the data folder)."""
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="tracker-shots-"))
    os.environ["TRACKER_DATA_DIR"] = str(tmp)
    os.environ.pop("TRACKER_DB", None)

    from PySide6.QtWidgets import QApplication

    from ui import dialogs, firstrun, settings

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    dialogs.FirstRun.ask = classmethod(lambda cls, parent, path: True)
    # --db names a new file: create it without asking (offscreen, the question would wait for ever)
    firstrun.MissingDatabase.ask = classmethod(lambda cls, parent, path: firstrun.CREATE)
    settings.app_settings().setValue("user/name", "Sam Patel")
    settings.app_settings().setValue("user/council", "Barking and Dagenham")
    from ui.app import start

    window = start(["--db", str(tmp / "demo.db")])
    wait(window.background)  # the demo loads in the background
    window.resize(1440, 860)
    return app, window, out, tmp


def wait(operation):
    """Wait for a background operation (ui.worker) to finish, if there is one running."""
    from PySide6.QtCore import QEventLoop

    if operation is not None and not operation.done:
        loop = QEventLoop()
        operation.finished.connect(loop.quit)
        loop.exec()


def main(argv=None):
    from tracker import services

    argv = sys.argv[1:] if argv is None else argv
    only_entry = "--entry" in argv
    only_import = "--import" in argv
    only_demo = "--demo" in argv
    if "--dashboard" in argv:
        return dashboard_shots([a for a in argv if a != "--dashboard"])
    app, window, out, tmp = demo_app([a for a in argv if a not in ("--entry", "--import", "--dialogs", "--map", "--demo",
                                                                   "--filters")])
    if "--dialogs" in argv:  # scripts/dialog_shots.py (issue 15's dialogs)
        from dialog_shots import dialog_shots

        dialog_shots(app, window, tmp, out)
        window.close()
        return 0
    if "--map" in argv:
        power_map_shots(app, window, out)
        window.close()
        return 0
    if "--filters" in argv:
        filter_picker_shots(app, window, out)
        window.close()
        return 0

    suffix = "-200" if os.environ.get("QT_SCALE_FACTOR") == "2" else ""
    size = screen_1366()  # a 1366x768 screen (at 200%: 683x384 logical)

    def shot(name):
        app.processEvents()
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    if only_entry:
        entry_screens(app, window, out)
        window.close()
        return 0
    if only_demo:
        demo_screens(app, window, out)
        window.close()
        return 0

    import_wizard_shots(app, window, tmp, out)
    if only_import:
        window.close()
        return 0

    window.resize(*size)
    for kind in ("stakeholders", "events", "commitments", "actions") if not suffix else ():  # 200%: *-1366-200
        page = window.show_view(kind)
        page.table.fit_columns()
        page.table.selectRow(0)
        shot(kind)
    if not suffix:  # at 200%: --demo
        demo_screens(app, window, out)  # the first look at the demo: the actions again, at 1366x768
        window.resize(*size)
    page = window.show_view("stakeholders")
    page.open_record(services.stakeholders.find_by_name("Ben Kinsella Trust")[0].id)
    page.editor.tabs.setCurrentIndex(1)
    shot("stakeholder-links")
    page = window.show_view("commitments")
    page.table.selectRow(0)
    page.editor.tabs.setCurrentIndex(1)
    shot("commitment-links")
    window.show_view("actions")
    window.show_overdue_actions()
    shot("actions-overdue")
    page = window.show_view("actions")
    page.new_record()
    page.editor.fields["title"].set("")
    page.save()
    shot("validation")
    page.editor.revert()
    from tracker import records  # three actions due in a month, a quarter and a year, as partners write them

    page = window.show_view("actions")
    listed = [page.model.record(r) for r in range(3)]  # the first three of the overdue list: shown first again
    for action, text in zip(listed, ("Mar 2019", "Q2 2019", "2019")):
        services.actions.update(services.actions.get(action.id), due_date=records.ACTION["due_date"].parse(text))
    page.table.fit_columns()
    page.table.selectRow(0)
    due = next(n for n, column in enumerate(page.model.columns) if column.title.startswith("Due"))
    page.table.scrollTo(page.model.index(0, due))  # at 200% the list scrolls sideways to its Due column
    shot("actions-periods")
    if not suffix:  # at 200%: --map and --entry
        power_map_shots(app, window, out)
        window.resize(*size)
        entry_screens(app, window, out)  # last: it changes an action, for its history
    window.close()

    # A system with a dark palette: the palette is in place before any widget is made.
    from ui.mainwindow import MainWindow

    app.setPalette(dark_palette())
    window = MainWindow()
    window.resize(*size)
    window.show()
    page = window.show_view("actions")
    page.table.fit_columns()
    page.filter_widget("overdue").setChecked(True)
    page.new_record()
    page.save()  # validation messages must read on a dark background too
    shot("actions-dark")
    page.editor.revert()
    window.close()
    return 0


def dashboard_shots(argv):
    """The dashboard at 1366x768 on the demo data, in a dark palette, and on an empty database."""
    from PySide6.QtTest import QTest

    from ui.mainwindow import MainWindow

    app, window, out, tmp = demo_app(argv)

    scale = float(os.environ.get("QT_SCALE_FACTOR") or 1)  # at 200%: 683x384 logical, names end in -200
    suffix = "-200" if scale == 2 else ""

    def shot(window, name):
        window.resize(*screen_1366())
        page = window.show_view("home")
        page.refresh()
        while page.read_job is not None and not page.read_job.done:  # a change meanwhile reads them again
            wait(page.read_job)  # the figures (or that the database is empty) have arrived
        window.repaint()  # the current charts painted: the over-time chart's months are read then
        wait(page.history_job)
        for _ in range(3):
            app.processEvents()
        QTest.qWait(300)  # a page that changed its layout for the new width settles (the empty one at 200%)
        window.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    shot(window, "dashboard")
    window.close()
    app.setPalette(dark_palette())
    window = MainWindow()
    window.show()
    shot(window, "dashboard-dark")
    window.close()
    from ui import dialogs

    app.setPalette(app.style().standardPalette())
    window = MainWindow()
    window.show()
    dialogs.FirstRun.ask = classmethod(lambda cls, parent, path: False)  # no demo data: an empty database
    window.switch_database(str(tmp / "empty.db"))
    shot(window, "dashboard-empty")
    window.close()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(30_000)  # figures still being read for a closed window
    return 0


def screen_1366():
    """A 1366x768 screen in the app's pixels: 683x384 at 200% (QT_SCALE_FACTOR=2)."""
    scale = float(os.environ.get("QT_SCALE_FACTOR") or 1)
    return round(1366 / scale), round(768 / scale)


def scale_suffix():
    """The end of a screenshot's name: "-200" at 200% (QT_SCALE_FACTOR=2), else nothing."""
    return "-200" if float(os.environ.get("QT_SCALE_FACTOR") or 1) == 2 else ""


def saver(out, prefix=""):
    """``save(image, name)``: an image or a widget's grab saved as OUT/<prefix><name>[-200].png, its path
    printed (and returned)."""
    suffix = scale_suffix()

    def save(image, name):
        path = out / f"{prefix}{name}{suffix}.png"
        image.save(str(path))
        print(path)
        return path

    return save


def demo_screens(app, window, out):
    """The first look at the demo data on a small laptop (1366x768): the actions list (names end in -200 under
    QT_SCALE_FACTOR=2).  The home page is the dashboard: --dashboard draws it with its charts."""
    suffix = "-200" if os.environ.get("QT_SCALE_FACTOR") == "2" else ""
    size = window.size()
    window.resize(*screen_1366())
    import datetime as dt

    page = window.show_view("actions")
    page.table.fit_columns()
    rows = [page.model.record(r) for r in range(page.model.rowCount())]  # the first action falling due next
    page.table.selectRow(next((r for r, a in enumerate(rows) if a.due_date and a.due_date >= dt.date.today()
                               and a.status not in ("done", "cancelled")), 0))
    page.table.scrollTo(page.table.currentIndex(), page.table.ScrollHint.PositionAtCenter)
    app.processEvents()
    window.grab().save(str(out / f"actions{suffix}.png"))
    print(out / f"actions{suffix}.png")
    window.resize(size)


def entry_screens(app, window, out):
    """Issue 15's screens on a 1366x768 screen (at 200% under QT_SCALE_FACTOR=2: names end in -200)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest

    from tracker import services

    suffix = "-200" if os.environ.get("QT_SCALE_FACTOR") == "2" else ""
    window.resize(*screen_1366())

    def shot(name, popup=None, under=None):
        app.processEvents()
        image = window.grab()
        if popup is not None and popup.isVisible():
            # A pop-up is a window of its own, placed within the offscreen screen (800x600): drawn here
            # under its box as a screen the size of the window would place it.
            below = under.mapTo(window, under.rect().bottomLeft())
            below.setX(min(below.x(), window.width() - popup.width()))
            painter = QPainter(image)
            painter.drawPixmap(below, popup.grab())
            painter.end()
        path = out / f"{name}{suffix}.png"
        image.save(str(path))
        print(path)

    def into_view(widget, editor):
        """At 200% the page (and a long form) scroll: ``widget`` scrolled into view, as the focus would."""
        app.processEvents()
        if editor.form_scroll.isAncestorOf(widget):
            editor.form_scroll.ensureWidgetVisible(widget)
        window.page_scroll.ensureWidgetVisible(widget)

    page = window.show_view("actions")
    page.table.selectRow(0)
    page.editor.tabs.setCurrentIndex(0)
    picker = page.editor.fields["owner"].input
    into_view(picker, page.editor)
    window.activateWindow()
    picker.setFocus()
    picker.selectAll()
    QTest.keyClicks(picker, "ben pat")
    shot("picker-namesakes", picker.popup, picker)
    picker.popup.hide()
    page.editor.revert()

    page = window.show_view("commitments")
    commitment = max(services.commitments.page(0, 100), key=lambda c: len(services.actions.of_commitment(c)))
    page.open_record(commitment.id)
    page.editor.tabs.setCurrentWidget(page.editor.links)
    into_view(page.editor.links.sections["Actions"].list, page.editor)
    shot("commitment-actions")
    page.editor.links.sections["Actions"].new_button.click()
    into_view(window.pages["actions"].editor.fields["title"].input, window.pages["actions"].editor)
    shot("commitment-new-action")
    window.pages["actions"].editor.revert()

    page = window.show_view("actions")
    page.open_record(services.actions.page(0, 1)[0].id)
    panel = page.editor.updates
    page.editor.tabs.setCurrentWidget(panel)
    panel.text.setFocus()
    QTest.keyClicks(panel.text, "Met the venue manager; hall booked for 14 March.")
    QTest.keyClick(panel.text, Qt.Key.Key_Return)
    QTest.keyClicks(panel.text, "Deposit to be paid by the council. (Ctrl+Enter adds this update.)")
    into_view(panel.text, page.editor)
    shot("update-box")
    panel.text.clear()

    action = services.actions.page(0, 1)[0]
    services.actions.update(action, status="done", due_date=action.due_date.replace(year=action.due_date.year + 1),
                            owner=services.stakeholders.find_by_name("Ben Kinsella Trust")[0])
    page.open_record(action.id)
    page.editor.tabs.setCurrentWidget(page.editor.history)
    into_view(page.editor.history, page.editor)
    shot("history")


def import_wizard_shots(app, window, tmp, out):
    """The import wizard's steps, from the file step (before a file is chosen: it would show a temporary
    path) to the done page (the sign-in sheet imported), on: a sign-in sheet of the demo's people (some spelt
    otherwise: doubtful), an address in two columns and a sector the app does not know; a Windows CSV of
    an event's registrations; partners' pledges with two date columns and status words of their own; a
    list whose header is in French (mapped by hand); and the held matches' review."""
    import openpyxl
    from PySide6.QtCore import Qt

    from tracker import services
    from ui.heldreview import HeldReview
    from ui.tableimport import TableImportWizard

    people = [p for p in services.stakeholders.query() if p.kind == "person" and p.organisation is not None][:40:8]
    rows = [["Serious Violence Summit: sign-in sheet"], [],
            ["Name", "Organisation", "Type of organisation", "Address 1", "Address 2", "Email", "Registered"]]
    spelt = {0: lambda n: n.replace("a", "aa", 1), 1: lambda n: n.upper(), 2: lambda n: n[:-1]}
    for i, p in enumerate(people):
        rows.append([spelt.get(i, lambda n: n)(p.name), p.organisation.name, "", "", "", "",
                     "03/04/2019"])
    rows += [["Ruth Ellis", "Mayfield Youth Club", "Social enterprise", "12 High Street", "Romford RM1 1AA",
              "ruth.ellis@example.org", "13/04/2019"],
             ["Sam Cole", "Eastbrook School", "School", "Dagenham Road", "Dagenham RM10 7FN",
              "sam.cole@example.org", "03/04/2019"]]
    wb = openpyxl.Workbook()
    wb.active.title = "Sign-in"
    for row in rows:
        wb.active.append(row)
    sign_in = tmp / "summit sign-in.xlsx"
    wb.save(sign_in)

    suffix = "-200" if os.environ.get("QT_SCALE_FACTOR") == "2" else ""
    screen = screen_1366()

    def grab(widget, name):
        # at most the screen: a dialog bigger than a 1366x768 screen at 200% (683x384) is cut to it
        widget.resize(min(widget.width(), screen[0]), min(widget.height(), screen[1]))
        app.processEvents()
        widget.grab().save(str(out / f"{name}{suffix}.png"))
        print(out / f"{name}{suffix}.png")

    wizard = TableImportWizard(window)
    wizard.show()
    grab(wizard, "import-1-file")
    wizard.currentPage().path.setText(str(sign_in))
    wizard.next()
    grab(wizard, "import-2-read")
    wizard.next()
    page = wizard.currentPage()
    for header, target in (("Address 1", "address"), ("Address 2", "address"), ("Registered", "")):
        [r] = [r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == header]
        item = page.table.item(r, 2)
        item.setData(Qt.ItemDataRole.UserRole, target)
        item.setText("Address" if target else "(ignore this column)")
    [r] = [r for r in range(page.words.rowCount()) if page.words.item(r, 1).text() == "Social enterprise"]
    page.words.item(r, 2).setData(Qt.ItemDataRole.UserRole, "voluntary")
    page.words.item(r, 2).setText("Voluntary / charity")
    page.words.setCurrentCell(r, 2)
    grab(wizard, "import-3-columns")
    wizard.next()
    page = wizard.currentPage()
    page.table.setFocus()
    doubtful = [r for r in range(page.table.rowCount()) if page.table.item(r, 0).data(Qt.ItemDataRole.UserRole)]
    for r in doubtful[:2]:
        page.table.selectionModel().select(page.table.model().index(r, 0),
                                           page.table.selectionModel().SelectionFlag.Select
                                           | page.table.selectionModel().SelectionFlag.Rows)
    grab(wizard, "import-4-preview")
    wizard.next()  # Import: two rows held for review
    grab(wizard, "import-5-done")
    wizard.close()

    windows_csv = tmp / "summit registrations.csv"
    lines = ["Serious Violence Summit: registrations;;;", ";;;", "Name;Organisation;Email;Attendee status"]
    lines += [f"{p.name};{p.organisation.name};{p.email};Attending" for p in people[:4]]
    lines += ["Zoë Müller;Café Aroma CIC;zoe.muller@example.org;Attending",
              "Kwame Boateng;St Peter's Church;kwame.boateng@example.org;Not attending"]
    windows_csv.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    event = services.events.page(0, 1, sort="date")[0]
    wizard = TableImportWizard(window)
    wizard.show()
    first = wizard.currentPage()
    first.path.setText(str(windows_csv))
    first.kind.setCurrentIndex(first.kind.findData("attendance"))
    first.event.setCurrentIndex(first.event.findData(str(event.id)))
    wizard.next()
    grab(wizard, "import-2-read-csv")
    wizard.next()
    wizard.next()
    grab(wizard, "import-4-preview-attendance")
    wizard.close()

    pledges = tmp / "partner pledges.csv"
    pledges.write_text("Commitment,Partner,Date agreed,Target date,Status\n"
                       "Knife surrender bins in every ward,Ben Kinsella Trust,13/04/2019,03/04/2020,Sorted\n"
                       "Mentoring for excluded pupils,Eastbrook School,16/01/2019,01/09/2020,Not started\n"
                       "Faith leaders' forum,Barking Faith Forum,16/01/2019,06/01/2020,Parked\n", encoding="utf-8")
    wizard = TableImportWizard(window)
    wizard.show()
    first = wizard.currentPage()
    first.path.setText(str(pledges))
    first.kind.setCurrentIndex(first.kind.findData("commitments"))
    wizard.next()
    wizard.next()
    page = wizard.currentPage()
    page.words.setCurrentCell(0, 2)
    grab(wizard, "import-3-columns-dates")
    wizard.close()

    french = tmp / "liste des participants.csv"
    french.write_text("Liste des participants;;\n;;\nNom complet;Courriel;Structure\n"
                      "Ada Byrne;ada.byrne@example.org;Mayfield Youth Club\n"
                      "Bo Chan;bo.chan@example.org;Eastbrook School\n", encoding="utf-8")
    wizard = TableImportWizard(window)
    wizard.show()
    wizard.currentPage().path.setText(str(french))
    wizard.next()
    page = wizard.currentPage()
    page.header_row.setValue(3)
    grab(wizard, "import-2-read-no-header")
    wizard.next()
    grab(wizard, "import-3-columns-by-hand")
    wizard.close()

    review = HeldReview(window)  # the rows the sign-in sheet's import held
    review.show()
    review.rows.selectAll()
    grab(review, "import-held-review")
    review.close()


def power_map_shots(app, window, out):
    """The power/interest map at 1366x768: today's organisations (three of them not scored yet), the
    map as of the summit with arrows to today (the demo's own history: tracker.demo.History), and the
    same in a dark palette; under QT_SCALE_FACTOR=2, today's map at 683x384 (power-map-200.png)."""
    from tracker import demo, services

    for name in ("London Fire Brigade, East", "Gascoigne Estate Residents' Association (demo)",
                 "Havering Inter-Faith Forum"):  # none of them moved (tracker.demo.SCORE_MOVES)
        services.stakeholders.update(services.stakeholders.find_by_name(name)[0], influence=None, interest=None)

    def map_shot(name, target):
        page = target.show_view("grid")
        page.filters.show_only({"kind": "organisation"})
        wait(page.operation)  # the map is read off the UI thread
        page.view.setFocus()
        page.view.map.select(services.stakeholders.find_by_name("Metropolitan Police Service")[0].id)
        app.processEvents()
        target.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
        return page

    if os.environ.get("QT_SCALE_FACTOR") == "2":  # 200% on a 1366x768 screen
        window.resize(683, 384)
        map_shot("power-map-200", window)
        return
    window.resize(1366, 768)
    page = map_shot("power-map", window)
    page.show_as_of(demo.SUMMIT_DATE)
    wait(page.operation)
    app.processEvents()
    window.grab().save(str(out / "power-map-history.png"))
    print(out / "power-map-history.png")
    page.show_as_of(None)

    from ui.mainwindow import MainWindow

    palette = app.palette()
    app.setPalette(dark_palette())
    dark = MainWindow()
    dark.resize(1366, 768)
    dark.show()
    map_shot("power-map-dark", dark)
    dark.close()
    app.setPalette(palette)


def filter_picker_shots(app, window, out):
    """The Actions list with its owner filter's picker open on "ben pat" (two namesakes), on a 1366x768
    screen: filter-owner.png, and at 200% under QT_SCALE_FACTOR=2 (683x384 logical) filter-owner-200.png."""
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest

    scale = float(os.environ.get("QT_SCALE_FACTOR") or 1)
    window.resize(*screen_1366())
    page = window.show_view("actions")
    page.table.fit_columns()
    picker = page.filter_widget("owner")
    window.activateWindow()
    picker.setFocus()
    QTest.keyClicks(picker, "ben pat")
    app.processEvents()
    image = window.grab()
    # The pop-up is a window of its own (the offscreen screen is 800x600): drawn under its box.
    below = picker.mapTo(window, picker.rect().bottomLeft())
    below.setX(max(0, min(below.x(), window.width() - picker.popup.width())))
    painter = QPainter(image)
    painter.drawPixmap(below, picker.popup.grab())
    painter.end()
    path = out / f"filter-owner{'-200' if scale == 2 else ''}.png"
    image.save(str(path))
    print(path)
    picker.popup.hide()


def dark_palette():
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2b2b"), (roles.WindowText, "#e6e6e6"), (roles.Base, "#1f1f1f"),
                         (roles.AlternateBase, "#2a2a2a"), (roles.Text, "#e6e6e6"), (roles.Button, "#353535"),
                         (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d6fa5"),
                         (roles.HighlightedText, "#ffffff"), (roles.Mid, "#555555"), (roles.ToolTipBase, "#353535"),
                         (roles.ToolTipText, "#e6e6e6"), (roles.PlaceholderText, "#9a9a9a")):
        palette.setColor(role, QColor(colour))
    return palette


def main_then_wait(argv=None):
    """main, then the chart workers still drawing for a closed window finish before the app goes."""
    from PySide6.QtWidgets import QApplication

    code = main(argv)
    app = QApplication.instance()  # kept until the workers are done
    from ui.worker import wait_for_workers

    wait_for_workers()
    del app
    return code


if __name__ == "__main__":
    sys.exit(main_then_wait())
