"""Help → User guide (the guide shipped with the package, read in the app) and Help → About."""

import fnmatch
import platform
import tomllib
from pathlib import Path

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QLabel

from tracker.db import current_path
from ui import about, guide

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_guide_ships_with_the_package_and_is_the_one_in_docs():
    shipped = guide.guide_file()
    assert shipped.parent.name == "resources" and shipped.is_file()
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["resources"]
    assert any(fnmatch.fnmatch(shipped.name, p) for p in patterns), "resources/ package data carries the guide"
    assert shipped.read_text(encoding="utf-8") == (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8"), (
        "resources/user-guide.md is the copy the app shows: cp docs/user-guide.md resources/user-guide.md")


def _open_guide(qtbot, window):
    window.actions["guide"].trigger()
    shown = window.guide_window
    qtbot.waitExposed(shown)
    return shown


def test_help_user_guide_opens_the_guide_in_the_app_and_finds_a_word(qtbot, window):
    shown = _open_guide(qtbot, window)
    first = shown.browser.document().begin()
    assert first.text() == "User guide" and first.blockFormat().headingLevel() == 1
    assert shown.headings()[:3] == ["User guide", "Getting started", "Using the app"]
    assert "Merging duplicates" in shown.headings()
    # Ctrl+F, type a word, Enter: the word is selected in the guide.
    shown.activateWindow()
    qtbot.keyClick(shown.browser, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(shown.find_box.hasFocus)
    qtbot.keyClicks(shown.find_box, "Undo merge")
    qtbot.keyClick(shown.find_box, Qt.Key.Key_Return)
    assert shown.browser.textCursor().selectedText() == "Undo merge"
    assert shown.found.text() == ""
    shown.find_box.clear()
    qtbot.keyClicks(shown.find_box, "zebra crossing pancakes")
    qtbot.keyClick(shown.find_box, Qt.Key.Key_Return)
    assert shown.found.text() == "Not found"
    # A heading in the contents, clicked: the guide shows it.
    row = shown.headings().index("Merging duplicates")
    item = shown.contents.item(row)
    qtbot.mouseClick(shown.contents.viewport(), Qt.MouseButton.LeftButton,
                     pos=shown.contents.visualItemRect(item).center())
    assert shown.browser.textCursor().block().text() == "Merging duplicates"
    # Opening it again raises the same window.
    window.actions["guide"].trigger()
    assert window.guide_window is shown


def test_pictures_are_shown_when_present_and_told_by_their_caption_when_not(qtbot, window, tmp_path):
    assert "(Picture: Choosing the file)" in guide.guide_markdown(images=tmp_path)
    if not (guide.DOCS / "screenshots" / "import-1-file.png").is_file():
        return  # an installed app: no screenshots to show
    shown = _open_guide(qtbot, window)
    widths = []
    block = shown.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.toImageFormat().width())
            it += 1
        block = block.next()
    assert widths and all(0 < w <= guide.IMAGE_WIDTH for w in widths), "every screenshot shown, fitted"


def test_help_about_shows_version_database_licence_qt_and_python(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(about.AboutBox, "ask", classmethod(lambda cls, parent: shown.append(cls(parent))))
    window.actions["about"].trigger()
    [box] = shown
    qtbot.addWidget(box)
    text = box.findChild(QLabel, "about").text()
    assert PYPROJECT["project"]["version"] in text and PYPROJECT["project"]["license"] == "MIT" and "MIT" in text
    assert str(current_path()) in text
    assert qVersion() in text and platform.python_version() in text
    lines = about.about_text().splitlines()
    assert lines[:3] == [f"Version: {PYPROJECT['project']['version']}", f"Database: {current_path()}", "Licence: MIT"]
