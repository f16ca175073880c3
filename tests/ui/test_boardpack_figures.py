"""The board pack's figures against the database, beyond test_boardpack.py's overdue actions and open actions
(issue 16's "figures that match the database"): the cover's commitments needing attention, the map's counts per
quadrant, and every month of the actions over time (the demo now has a year of them), read back with pdftotext."""

import pytest

from tests.ui.pdf_text import assert_page_numbers, needs_poppler, pages_text
from tests.ui.test_boardpack import cover_figures
from tracker import vocab
from tracker.services import dashboard, powermap
from ui import boardpack


def flowing(pages):
    """The pages' text read in flow (pdftotext without -layout: one picture's caption is not interleaved with the
    next one's), every run of spaces and line ends one space."""
    return " ".join(" ".join(page.split()) for page in pages)


@needs_poppler
@pytest.mark.slow
def test_the_packs_figures_are_the_databases(qapp, demo_db, tmp_path):
    path = tmp_path / "pack.pdf"
    boardpack.write_board_pack(path)
    assert_page_numbers(pages_text(path))
    text = flowing(pages_text(path, layout=False))
    data = dashboard.dashboard()
    assert cover_figures(pages_text(path)[0])["Commitments needing attention"] == data.tile("attention").count > 0
    snap = powermap.snapshot()
    counts = snap.quadrant_counts()
    for key, label in vocab.GRID_QUADRANTS.items():
        assert f"{label}: {counts[key]}" in text
    assert f"Not scored: {len(snap.unscored)}" in text
    for month in data.months:  # the over-time chart's words: the same numbers as the dashboard's
        assert f"{month.start:%B %Y}: opened {month.opened}, closed {month.closed}, overdue {month.overdue}" in text
    assert sum(m.opened > 0 for m in data.months) >= 6  # a year of history, not one month
