"""Icons and the style sheet load through ui.resources; every icon the app names exists."""

import re
from pathlib import Path

import pytest

from ui import resources
from ui.mainwindow import VIEWS

UI = Path(resources.__file__).parent


def test_every_icon_named_in_the_code_loads(qapp):  # a pixmap needs the application
    names = set()
    for path in UI.glob("*.py"):
        names |= set(re.findall(r'icon\("([a-z_]+)"\)', path.read_text()))
        names |= set(re.findall(r'icon_name="([a-z_]+)"', path.read_text()))  # menu commands (ui.menus)
    names |= {icon for _key, _label, icon in VIEWS}  # the navigation, the lists' from ui.kinds
    assert {"app", "save", "delete", "grid", "actions"} <= names
    for name in names:
        assert not resources.icon(name).pixmap(32, 32).isNull(), name
    with pytest.raises(FileNotFoundError):
        resources.icon("no-such-icon")


def test_style_sheet_uses_no_fixed_pixel_font_sizes():
    qss = resources.style_sheet()
    assert "QLabel" in qss
    assert not re.search(r"font-size:\s*\d+px", qss)
