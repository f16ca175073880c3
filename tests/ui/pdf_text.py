"""Reading back the PDFs the app writes, with poppler's own tools (pdftotext, pdfinfo, pdftoppm)."""

import re
import shutil
import subprocess

import pytest

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) needed")


def page_count(path):
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_text(path, number, layout=True):
    """The text of page ``number`` alone (``pdftotext -f k -l k``)."""
    args = ["pdftotext", *(["-layout"] if layout else []), "-f", str(number), "-l", str(number), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pages_text(path, layout=True):
    return [page_text(path, k, layout) for k in range(1, page_count(path) + 1)]


def words(text):
    return set(text.split())


def assert_page_numbers(pages):
    """ "Page X of N" on every page, N the real number of pages."""
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text, f"page {number} has no 'Page {number} of {total}'"
