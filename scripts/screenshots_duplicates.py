#!/usr/bin/env python3
"""Render the duplicates screens on the demo data after a sign-in sheet with people written differently.

    python scripts/screenshots_duplicates.py [OUTPUT_DIR]      # default docs/screenshots
    QT_SCALE_FACTOR=2 python scripts/screenshots_duplicates.py   # at 200% on a 1366x768 screen: names end in -200

The demo data (as the app loads it on first run), then the summit's sign-in sheet imported as
attendance, with doubtful names created as new records (the wizard's "Create a new record"): a
typo, a title, a nickname, a name signed without the organisation, a number typed another way.
Then Stakeholders → Find duplicates…, the first group side by side with values chosen, the
confirmation, Deleted items after the merge and Edit → Undo merge's question.  Writes duplicates-*.png.  A throw-away data
folder and database: the user's own settings and data are untouched.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))  # screenshots.py: the demo app, set up as for the other screenshots
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIGN_IN = [  # name, organisation, email, job title, phone: demo people as a sign-in sheet writes them
    ["Dr Aisha Daviess", "North East London NHS Foundation Trust", "a.davies@nelft.nhs.uk", "A&E consultant", ""],
    ["Amara Clark", "London Fire Brigade", "amara.clark@london-fire.gov.uk", "Borough Commander", "020 7946 0072"],
    ["Calum Brown", "Barking and Dagenham College", "cbrown@bdcollege.example.org", "Head", ""],
    ["Benjamin Edwards", "", "ben.edwards.home@gmail.com", "", ""],
    ["Callum Clarke", "", "callum.clarke@gmail.com", "Pastor", ""],
    ["Okafor, Aisha", "Redbridge Schools Partnership", "", "Deputy Head", "0207 946 0122"],
]


def write_sign_in(path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sign-in"
    ws.append(["Tri-borough Serious Violence Summit — sign-in sheet"])
    ws.append([])
    ws.append(["Name", "Organisation", "Email", "Job title", "Phone"])
    for row in SIGN_IN:
        ws.append(row)
    wb.save(path)
    return path


def main(argv=None):
    from screenshots import demo_app, saver, scale_suffix, screen_1366, wait
    from tracker.services import merges
    from tracker.tableimport import Options, apply_plan, plan_import
    from ui import duplicates, mergereview

    app, window, out, tmp = demo_app(sys.argv[1:] if argv is None else argv)
    plan = plan_import(write_sign_in(tmp / "sign-in.xlsx"), Options(
        kind="attendance", event="Tri-borough Serious Violence Summit", uncertain="create"))
    apply_plan(plan)

    suffix = scale_suffix()
    screen = screen_1366()  # at 200%: 683x384 logical

    save = saver(out, "duplicates-")

    def shot(widget, name):
        app.processEvents()
        save(widget.grab(), name)

    if suffix:
        window.resize(*screen)
    dialog = window.duplicates.find_duplicates()
    dialog.resize(min(1180, screen[0]), min(700, screen[1]))
    wait(dialog.operation)
    shot(dialog, "list")
    dialog.open_group(0)
    review, model = dialog.review, dialog.review.model
    new = max(r.id for r in model.records)  # the record the sign-in sheet made
    model.keep(min(r.id for r in model.records))
    model.choose(model.index(model.row_of("email"), model.column_of(new)))
    review.table.setCurrentIndex(model.index(model.row_of("email"), model.column_of(new)))
    shot(dialog, "review")

    box = mergereview.ConfirmMerge.box(dialog, review.describe())
    box.show()
    shot(box, "confirm")
    box.close()

    mergereview.ConfirmMerge.ask = classmethod(lambda cls, parent, text: True)
    review.merge()
    shot(dialog, "next-group")
    dialog.close()
    page = window.show_view("deleted")
    page.table.fit_columns()
    page.table.selectRow(0)
    shot(window, "deleted")
    box = duplicates.ConfirmUndo.box(window, duplicates.describe_merge(merges.last_undoable_merge()))
    box.show()
    shot(box, "undo")
    box.close()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
