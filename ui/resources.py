"""Icons and the style sheet from ``resources/``: the one place that knows where they live."""

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def resource_path(name) -> Path:
    return RESOURCES / name


@lru_cache(maxsize=None)
def icon(name) -> QIcon:
    """The SVG icon ``resources/icons/<name>.svg`` (scales cleanly at any DPI)."""
    path = resource_path(f"icons/{name}.svg")
    if not path.is_file():
        raise FileNotFoundError(f"no icon {name!r} in {path.parent}")
    return QIcon(str(path))


def style_sheet() -> str:
    return resource_path("style.qss").read_text(encoding="utf-8")


def is_dark(palette=None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_colour() -> QColor:
    """Red that reads well on the current palette (validation messages)."""
    return QColor("#ff8a80") if is_dark() else QColor("#b71c1c")


def apply_style(app):
    app.setWindowIcon(icon("app"))
    app.setStyleSheet(style_sheet())
