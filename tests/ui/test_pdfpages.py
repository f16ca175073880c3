"""The paginated pages (ui/pdfpages.py) and the action log's PDF drawn with them: words wrapped only
between words, a long word drawn smaller or shortened and then given in full, rows never split across
pages, the header on every page and "Page X of N" (checked page by page with pdftotext)."""

import datetime as dt
import re

import pytest
from PySide6.QtGui import QPdfWriter

from tests.ui.pdf_text import assert_page_numbers, needs_poppler, pages_text, words
from tracker import reports, services
from ui import pdfpages, reports as ui_reports
from ui.pdfpages import MIN_WORD_SCALE, Type, wrap

NATO = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo",
        "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]


@pytest.fixture
def type7(qapp, tmp_path):
    writer = pdfpages.a4_landscape(QPdfWriter(str(tmp_path / "measure.pdf")))
    writer.setResolution(pdfpages.RESOLUTION)
    return Type(writer, 7)


def test_wrap_breaks_only_between_words_and_keeps_every_word(type7):
    text = "Establish a Commission to tackle the cultural aspects that may have helped to normalise violence"
    width = type7.width("Establish a Commission to")
    lines = wrap(text, type7, width).lines
    assert len(lines) > 3 and all(line.scale == 1.0 for line in lines)
    assert " ".join(line.text for line in lines).split() == text.split()
    assert all(type7.width(line.text) <= width for line in lines)


def test_a_word_wider_than_its_column_is_drawn_smaller_on_a_line_of_its_own(type7):
    word = "https://www.example.org/violence-reduction"
    width = type7.width(word) * 0.8
    wrapped = wrap(f"See {word} today", type7, width)
    assert [line.text for line in wrapped.lines] == ["See", word, "today"]
    assert MIN_WORD_SCALE <= wrapped.lines[1].scale < 0.8 and not wrapped.shortened
    assert type7.width(word) * wrapped.lines[1].scale <= width


def test_a_word_far_wider_is_shortened_in_the_middle_and_said_so(type7):
    word = "x" * 40 + "MIDDLE" + "y" * 40
    width = type7.width(word) * 0.3
    wrapped = wrap(word, type7, width)
    (line,) = wrapped.lines
    assert wrapped.shortened and "\u2026" in line.text and line.text.startswith("xxx") and line.text.endswith("yyy")
    assert line.scale == MIN_WORD_SCALE


def test_text_longer_than_its_lines_ends_with_an_ellipsis_on_a_whole_word(type7):
    text = " ".join(NATO * 5)
    wrapped = wrap(text, type7, type7.width("alpha bravo charlie"), max_lines=3)
    assert len(wrapped.lines) == 3 and wrapped.shortened and wrapped.lines[-1].text.endswith("\u2026")
    assert all(w in NATO for w in wrapped.lines[-1].text.rstrip("\u2026").split())


def long_title(i):
    """A title of 13 words unique to the row, so a word found on a page says where its row is."""
    return " ".join(f"{w}{i:03d}" for w in NATO[:13])


@pytest.fixture
def long_log(db):
    services.set_actor("tester", "Redbridge")
    redbridge = services.councils.find("Redbridge")
    owner = services.stakeholders.create(name="Metropolitan Police Service East Area", sector="police")
    long_word = "https://example.org/knife-crime-summary-2026.pdf"  # wider than the column: drawn smaller
    huge_word = "Z" * 200  # far wider than any column: shortened, then given in full below the table
    services.actions.create_many([dict(
        title=long_title(i) + (f" {long_word}" if i == 7 else ""),
        owner=owner, council=redbridge, due_date=dt.date.today() + dt.timedelta(days=i - 150), status="open",
        priority="medium") for i in range(300)])
    for n, action in enumerate(services.actions.page(0, 300, sort="reference")):
        if n % 25 == 0:  # a few tall rows
            services.updates.add(action, " ".join(f"{w}update{n:03d}" for w in NATO), date=dt.date.today())
        if n == 100:
            services.updates.add(action, f"see {huge_word} " + " ".join(f"tail{k:03d}" for k in range(900)),
                                 date=dt.date.today() + dt.timedelta(days=1))
    return dict(long_word=long_word, huge_word=huge_word)


@needs_poppler
@pytest.mark.slow
def test_a_long_action_log_never_splits_a_row_or_a_word(qapp, long_log, tmp_path):
    report = reports.action_log({})
    assert len(report.rows) == 300
    path = ui_reports.save_pdf(report, tmp_path / "log.pdf")
    pages = pages_text(path)
    assert len(pages) >= 10
    assert_page_numbers(pages)
    for number, text in enumerate(pages, start=1):
        if "Reference" in text or number == 1:  # every page of the table has its header row
            assert re.search(r"Reference\s+Action\s+Commitment", text), f"no header row on page {number}"
    table_pages = [n for n, text in enumerate(pages) if "Reference" in text]
    for row in report.rows:
        ref = row["reference"]
        found = [n for n in table_pages if re.search(rf"^\s*{ref}\s", pages[n], re.M)]
        assert len(found) == 1, f"{ref} is on pages {found}"
        page_words = words(pages[found[0]])
        missing = [w for w in row["title"].split() if w not in page_words]
        assert not missing, f"{ref}'s title words {missing} are not whole on its page {found[0] + 1}"
        if row["update_text"] and "update" in row["update_text"]:
            assert set(row["update_text"].split()) <= page_words, f"{ref}'s update is not all on its page"
    # the shortened cell (a word too wide, a text taller than a page) is given in full after the table
    notes = "\n".join(pages[table_pages[-1]:])
    assert "Shortened in the table above; in full:" in notes
    assert long_log["huge_word"] in "".join(notes.split())
    assert {f"tail{k:03d}" for k in range(900)} <= words(notes)
    assert long_log["long_word"] in words("\n".join(pages))  # drawn smaller, but whole


@needs_poppler
def test_the_action_log_pdf_pages_say_page_x_of_n(qapp, demo_db, tmp_path):
    report = reports.action_log({})
    pages = pages_text(ui_reports.save_pdf(report, tmp_path / "log.pdf"))
    assert len(pages) > 1
    assert_page_numbers(pages)
    assert "Action log" in pages[0] and report.filters_text in pages[0]
