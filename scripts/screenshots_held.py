"""Screenshots of Edit → Review held matches… with the whole row beside the candidate (docs/screenshots).

    python scripts/screenshots_held.py [OUTPUT_DIR]                    # held-review.png, 1366x768
    QT_SCALE_FACTOR=2 python scripts/screenshots_held.py [OUTPUT_DIR]  # held-review-200.png, 200%

The demo data, then a partner's contact list naming three of its people spelt otherwise, with a role,
phone, sector and councils each: the import holds them; the review shows the first beside its candidate.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import demo_app, saver, screen_1366  # noqa: E402  (the path above first)


def main(argv=None):
    app, window, out, tmp = demo_app(sys.argv[1:] if argv is None else argv)
    import openpyxl

    from tracker import services
    from tracker.tableimport import Options, import_table
    from ui.heldreview import HeldReview

    people = [p for p in services.stakeholders.query() if p.kind == "person" and p.organisation is not None][:30:10]
    wb = openpyxl.Workbook()
    wb.active.title = "Contacts"
    wb.active.append(["Name", "Organisation", "Job title", "Phone", "Sector", "Borough"])
    roles = ("Safeguarding lead", "Youth worker", "Head of community safety")
    for person, role in zip(people, roles):
        name = person.name.replace("a", "aa", 1) if "a" in person.name else person.name + "e"
        wb.active.append([name, person.organisation.name, role, "07700 900" + str(100 + len(role)), "Voluntary",
                          "LBBD; Havering"])
    path = tmp / "partner contacts.xlsx"
    wb.save(path)
    import_table(path, Options(kind="stakeholders"))

    review = HeldReview(window)
    width, height = screen_1366()
    review.resize(min(1000, width), min(620, height))
    review.show()
    review.rows.setCurrentCell(0, 0)
    app.processEvents()
    saver(out)(review.grab(), "held-review")
    review.close()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
