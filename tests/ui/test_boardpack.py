"""The board pack PDF (ui/boardpack.py): its sections and figures read back with pdftotext against the
database, its pages rendered with pdftoppm, Reports → Board pack… typed at, and the headless
``stakeholder-tracker --board-pack`` command's exit statuses and messages."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from tests.demo_data import copy_of_demo
from tests.ui.conftest import choose
from tests.ui.pdf_text import assert_page_numbers, needs_poppler, pages_text, words
from tracker import services
from tracker.reports.boardpack import ATTENTION_TITLE, OVERDUE_TITLE, PARTNERSHIP, UPCOMING_TITLE
from ui import boardpack, boardpack_menu, reports as ui_reports

ROOT = Path(__file__).resolve().parents[2]
REF = re.compile(r"^\s*([A-Z]+-A\d{4})\s", re.M)


def cover_figures(text):
    """{caption: number} from the cover's tiles (numbers on one line, their captions on the next)."""
    lines = [line for line in text.splitlines() if line.strip()]
    for n, line in enumerate(lines):
        if "Overdue actions" in line and "Open actions" in line:
            numbers = [int(x.replace(",", "")) for x in lines[n - 1].split()]
            captions = [c.strip() for c in re.split(r"\s{2,}", line.strip())]
            return dict(zip(captions, numbers))
    raise AssertionError("no key figures on the cover")


def overdue_in_order():
    """Overdue actions oldest first, asked of the services as the Overdue actions list asks."""
    actions = services.actions.page(0, 10_000, filters={"overdue": True}, sort="due_date")
    return [(a.reference, a.title) for a in actions]


@needs_poppler
@pytest.mark.slow
def test_board_pack_has_its_sections_and_the_databases_figures(qapp, demo_db, tmp_path):
    path = tmp_path / "pack.pdf"
    pack = boardpack.write_board_pack(path)
    pages = pages_text(path)
    assert_page_numbers(pages)
    text = "\n".join(pages)
    cover = pages[0]
    assert "Board pack" in cover and PARTNERSHIP in cover and f"{dt.date.today():%d/%m/%Y}" in cover
    assert "All councils (Barking and Dagenham, Havering, Redbridge, Tri-borough and Pan-London)" in cover
    # the dashboard's charts (their text kept as text) and the map, each with its text alternative
    assert "Commitments by status and RAG, per council" in text and "Barking and Dagenham: " in text
    assert "Power/interest map" in text and re.search(r"Manage closely: \d+", text)
    for title in (OVERDUE_TITLE, ATTENTION_TITLE, UPCOMING_TITLE):
        assert re.search(rf"^\s*{title}\s*$", text, re.M), f"no section {title!r}"
    overdue = overdue_in_order()
    assert overdue and cover_figures(cover)["Overdue actions"] == len(overdue) == len(pack.overdue.rows)
    assert cover_figures(cover)["Open actions"] == services.actions.count(filters={"open": True})
    # the overdue actions' references in the order printed: oldest first, each with its title's words
    overdue_section = re.split(rf"^\s*{ATTENTION_TITLE}\s*$", re.split(rf"^\s*{OVERDUE_TITLE}\s*$", text, flags=re.M)[1],
                               flags=re.M)[0]  # references appear in the charts' next 30 days too
    printed = REF.findall(overdue_section)
    assert printed == [ref for ref, _ in overdue]
    for ref, title in overdue:
        (page,) = [p for p in pages if re.search(rf"^\s*{ref}\s", p, re.M)]
        assert set(title.split()[:3]) <= words(page), f"{ref}: {title!r} not on its page"
    heading = [n for n, page in enumerate(pages) if re.search(rf"^\s*{OVERDUE_TITLE}\s*$", page, re.M)][0]
    for number, page in enumerate(pages[heading:], start=heading + 1):  # each page of the table has its header row
        if REF.search(page) and not re.search(rf"^\s*{ATTENTION_TITLE}\s*$", page[:REF.search(page).start()], re.M):
            assert re.search(r"Reference\s+Action\s+Owner", page), f"no header row on page {number}"
    # council names in full in the tables' text, not only in charts' abbreviations
    assert "Barking and" in text and "Dagenham" in text and "Havering" in text and "Redbridge" in text


@needs_poppler
@pytest.mark.slow
def test_one_council_as_of_a_later_date(qapp, demo_db, tmp_path):
    later = dt.date.today() + dt.timedelta(days=60)
    havering = services.councils.find("Havering")
    services.actions.create(title="Due next month", council=havering, due_date=later - dt.timedelta(days=30))
    path = tmp_path / "havering.pdf"
    pack = boardpack.write_board_pack(path, "Havering", later)
    pages = pages_text(path)
    assert_page_numbers(pages)
    assert "Havering" in pages[0] and f"{later:%d/%m/%Y}" in pages[0] and "All councils" not in pages[0]
    expected = [a for a in services.actions.page(0, 10_000, filters={"council": havering.id, "open": True},
                                                  sort="due_date") if a.due_date and a.due_date < later]
    assert [r["reference"] for r in pack.overdue.rows] == [a.reference for a in expected]
    assert "Due next month" in [a.title for a in expected]  # not overdue today, overdue then
    assert cover_figures(pages[0])["Overdue actions"] == len(expected)


@needs_poppler
@pytest.mark.slow
def test_pages_render_and_are_not_blank(qapp, demo_db, tmp_path):
    path = tmp_path / "pack.pdf"
    boardpack.write_board_pack(path)
    pages = len(pages_text(path))
    for number in (1, pages):
        out = tmp_path / f"page{number}"
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(path), str(out)], check=True)
        image = QImage(str(out) + ".png")
        assert image.width() > image.height() > 0  # A4 landscape
        inked = sum(1 for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
                    if image.pixelColor(x, y).lightness() < 200)
        assert inked > 50, f"page {number} looks blank"


@needs_poppler
def test_the_visual_sources_are_one_list_and_each_picture_is_drawn(qapp, demo_db, tmp_path):
    """The seam for charts and the map: a source's pictures are drawn under their titles, with their text."""
    drawn = []

    def make(council, as_of):
        return [boardpack.Visual("Test chart", lambda painter, rect: drawn.append(rect.width() > 0),
                                 f"A text alternative naming {council.name} on {as_of:%d/%m/%Y}")]

    path = tmp_path / "pack.pdf"
    boardpack.write_board_pack(path, "Redbridge", dt.date(2027, 1, 16), sources=[boardpack.Source("test", make)])
    assert drawn == [True]
    text = "\n".join(pages_text(path))
    assert "Test chart" in text and "A text alternative naming Redbridge on 16/01/2027" in text


@needs_poppler
def test_charts_are_drawn_as_vectors_hatching_included(qapp, demo_db, tmp_path):
    """The dashboard's charts are painted straight into the page: their text is text, their hatching lines and
    dots (Qt's pattern brushes would be bitmaps), so the PDF holds no image at all."""
    path = tmp_path / "pack.pdf"
    boardpack.write_board_pack(path, sources=[boardpack.Source("charts", boardpack.chart_visuals)])
    assert b"/Subtype /Image" not in path.read_bytes()
    page = "\n".join(pages_text(path))
    for said in ("Commitments by status and RAG, per council", "By RAG (rolled up from actions)", "In progress",
                 "Open actions by owner organisation, worst overdue first", "Open, not overdue",
                 "Actions opened and closed per month, and overdue"):
        assert said in page, said
    data = services.dashboard.dashboard()
    assert re.search(rf"Overdue {data.months[-1].overdue}\b", page)  # the over-time lines labelled at their ends
    assert all(re.search(rf"^\s*{row.code}\b", page, re.M) for row in data.commitments)


# ---- Reports → Board pack… ----------------------------------------------------------------------------------
@needs_poppler
def test_board_pack_from_the_menu_typed_at(qtbot, window, monkeypatch, tmp_path):
    path, done, opened = tmp_path / "board.pdf", [], []

    def ask(cls, parent):
        dialog = cls(parent)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        choose(qtbot, dialog.council, "Havering")
        box = dialog.as_of.input
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, "31/02/2027")
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter: Create board pack… is the default button
        assert dialog.result() != dialog.DialogCode.Accepted and "not a real date" in dialog.as_of.error.text()
        box.selectAll()
        qtbot.keyClicks(box, "1 Mar 2027")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert dialog.result() == dialog.DialogCode.Accepted
        return dialog.values()

    monkeypatch.setattr(boardpack_menu.BoardPackDialog, "ask", classmethod(ask))
    monkeypatch.setattr(ui_reports.SaveReportAs, "ask",
                        classmethod(lambda cls, p, title, suggested, output: done.append(suggested) or str(path)))
    monkeypatch.setattr(boardpack_menu.BoardPackDone, "ask",
                        classmethod(lambda cls, p, where, pack: done.append(where) or ui_reports.FOLDER))
    monkeypatch.setattr(ui_reports.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    window.actions["board_pack"].trigger()
    op = window.board_pack_actions.last_operation
    with qtbot.waitSignal(op.finished, timeout=60_000):
        pass
    assert done == ["board-pack-Havering-2027-03-01.pdf", str(path)] and opened == [str(tmp_path)]
    cover = pages_text(path)[0]
    assert "Havering" in cover and "01/03/2027" in cover


# ---- stakeholder-tracker --board-pack ------------------------------------------------------------------------
def run_app(tmp_path, *args):
    """The app's command in a new process, with no display and no platform chosen for it."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(PYTHONPATH=str(ROOT), TRACKER_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "ui", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=tmp_path)


@pytest.fixture
def demo_file(tmp_path):
    return copy_of_demo(tmp_path / "demo.db")


@needs_poppler
@pytest.mark.slow
def test_headless_board_pack_runs_offscreen_with_no_window(tmp_path, demo_file):
    out = tmp_path / "pack.pdf"
    done = run_app(tmp_path, "--db", str(demo_file), "--board-pack", str(out), "--council", "redbridge",
                   "--as-of", "16/01/2027")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Board pack saved as {out}: Redbridge, as of 16/01/2027." and done.stderr == ""
    cover = pages_text(out)[0]
    assert "Redbridge" in cover and "16/01/2027" in cover and out.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
@pytest.mark.parametrize("args, message", [
    (["--council", "Narnia"], "There is no council called 'Narnia'. Known councils: Barking and Dagenham"),
    (["--as-of", "31/02/2026"], "--as-of: '31/02/2026' is not a real date (February 2026 has 28 days)."),
    (["--as-of", "soon"], "--as-of: 'soon' is not a date"),
])
def test_headless_board_pack_refuses_in_one_sentence(tmp_path, demo_file, args, message):
    out = tmp_path / "pack.pdf"
    done = run_app(tmp_path, "--db", str(demo_file), "--board-pack", str(out), *args)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"stakeholder-tracker: {message}") and done.stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.slow
def test_headless_board_pack_unwritable_places_and_usage(tmp_path, demo_file):
    missing = run_app(tmp_path, "--db", str(demo_file), "--board-pack", str(tmp_path / "nowhere" / "p.pdf"))
    assert missing.returncode == 1
    assert missing.stderr == f"stakeholder-tracker: Cannot write {tmp_path / 'nowhere' / 'p.pdf'}: the folder " \
                             f"{tmp_path / 'nowhere'} does not exist.\n"
    no_db = run_app(tmp_path, "--db", str(tmp_path / "none.db"), "--board-pack", str(tmp_path / "p.pdf"))
    assert no_db.returncode == 1 and "There is no database at" in no_db.stderr
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "p.pdf").exists()  # no first run, no file
    usage = run_app(tmp_path, "--council", "Havering")
    assert usage.returncode == 2 and "--council and --as-of go with --board-pack OUT.pdf" in usage.stderr
