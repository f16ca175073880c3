"""Screenshots of the dialogs of issue 15 ("Dialogs and long work", Help), at 1366x768, each dialog drawn
over the main window where it opens: user-guide.png, about.png, import-preview.png, import-result.png,
conflict.png (names end in -200 under QT_SCALE_FACTOR=2).  Called by ``scripts/screenshots.py --dialogs``,
on its demo app."""

import os

SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
SIZE = (round(1366 / SCALE), round(768 / SCALE))  # a 1366x768 screen in the app's pixels (683x384 at 200%)
SUFFIX = "-200" if SCALE == 2 else ""


def over_window(window, dialog, path):
    """The main window with ``dialog`` drawn where it opens (centred), saved to ``path``."""
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    dialog.show()
    QApplication.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    painter.setOpacity(0.2)  # the window behind a modal dialog, dimmed a little
    painter.fillRect(picture.rect(), QApplication.palette().shadow())
    painter.setOpacity(1)
    image = dialog.grab()
    # in logical pixels: at 200% the pixmaps are twice as many pixels as the painter's coordinates
    painter.drawPixmap((window.width() - dialog.width()) // 2, (window.height() - dialog.height()) // 2, image)
    painter.end()
    picture.save(str(path))
    print(path)


def shared_workbook(tmp):
    """A workbook "from Havering": one action with a long new description and another owner, one action whose
    status both councils changed (a conflict), a new action."""
    import openpyxl

    from tracker import services
    from tracker.exchange import export_workbook

    source = export_workbook(tmp / "exported.xlsx").path
    wb = openpyxl.load_workbook(source)
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    first = services.actions.get(ws.cell(row=2, column=col["ID"]).value)
    owner = next(s for s in services.stakeholders.page(0, 80) if s.kind == "person" and s.id != first.owner_id)
    ws.cell(row=2, column=col["Description"]).value = (
        "Book the main hall at Dagenham Civic Centre for the next tri-borough summit, with a crèche, step-free "
        "access, a hearing loop and room for the youth panel to present what the schools cluster found.")
    ws.cell(row=2, column=col["Owner ID"]).value = str(owner.uuid)
    ws.cell(row=2, column=col["Owner"]).value = owner.name
    ws.cell(row=2, column=col["Due date"]).value = "Q2 2027"
    second = services.actions.get(ws.cell(row=3, column=col["ID"]).value)
    ws.cell(row=3, column=col["Status"]).value = "Done"
    new = [None] * len(header)
    new[col["Title"] - 1], new[col["Priority"] - 1], new[col["Status"] - 1] = (
        "Share the summit's attendance figures with the three councils", "Medium", "Open")
    ws.append(new)
    path = tmp / "havering-actions-december.xlsx"
    wb.save(path)
    services.actions.update(services.actions.get(second.id), status="blocked")  # changed here meanwhile
    return path, first


def dialog_shots(app, window, tmp, out):
    from tracker.exchange import import_workbook
    from tracker.services import conflicts
    from ui.about import AboutBox
    from ui.exchange import ConflictDialog
    from ui.guide import GuideWindow
    from ui.importpreview import ImportPreview, ImportResult

    window.resize(*SIZE)
    window.show_view("actions")
    app.processEvents()

    guide = GuideWindow(window)
    guide.resize(*SIZE)
    guide.show()
    guide.find_box.setText("Undo import")
    guide.find_next(from_top=True)
    app.processEvents()
    guide.grab().save(str(out / f"user-guide{SUFFIX}.png"))
    print(out / f"user-guide{SUFFIX}.png")
    guide.close()

    over_window(window, AboutBox(window), out / f"about{SUFFIX}.png")

    path, first = shared_workbook(tmp)
    preview = ImportPreview(window, import_workbook(path, dry_run=True))
    preview.resize(min(1000, SIZE[0]), min(600, SIZE[1]))
    over_window(window, preview, out / f"import-preview{SUFFIX}.png")
    preview.close()

    result = import_workbook(path)
    box, _undo = ImportResult.box(window, result)
    over_window(window, box, out / f"import-result{SUFFIX}.png")
    box.close()

    conflict = conflicts.pending_conflicts()[0]
    dialog = ConflictDialog(window, conflict, conflicts.conflict_sides(conflict))
    over_window(window, dialog, out / f"conflict{SUFFIX}.png")
    dialog.close()
