"""Help → User guide: the guide shipped with the app, read inside it.

The guide is written once, in ``docs/user-guide.md``; the package carries a copy as
``resources/user-guide.md`` (package data; ``tests/ui/test_help.py`` fails when the two differ, so
the copy is kept true: ``cp docs/user-guide.md resources/user-guide.md``).  :class:`GuideWindow`
renders it with ``QTextBrowser.setMarkdown``: its headings become the contents list on the left,
Ctrl+F finds a word (Enter or F3 the next, Shift+F3 the one before).  The screenshots it names are
shown when they are beside it (a source checkout's ``docs/screenshots``); an installed app has none,
and each is then told by its caption instead.  Links to the web open in the browser; links to the
other documents (exchange format, security) are named in the status line, as they are not shipped.
"""

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QImageReader, QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow,
                               QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget)

from tracker import APP_NAME
from ui.accessible import with_clear_button
from ui.resources import RESOURCES, resource_path

IMAGE_WIDTH = 720  # screenshots are 1366 pixels wide: shown at a width that reads beside the contents
DOCS = RESOURCES.parent / "docs"  # a source checkout's docs (the screenshots); absent once installed
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def guide_file():
    return resource_path("user-guide.md")


def guide_markdown(images=DOCS):
    """The guide's Markdown, each picture not found under ``images`` replaced by its caption."""
    def picture(match):
        caption, src = match.groups()
        if (images / src).is_file():
            return match.group(0)
        return f"*(Picture: {caption})*"

    return IMAGE.sub(picture, guide_file().read_text(encoding="utf-8"))


class GuideWindow(QMainWindow):
    """The user guide: contents on the left, the guide on the right, a find box above (Ctrl+F)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"User guide — {APP_NAME}")
        self.setObjectName("user-guide")
        self.resize(1100, 720)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.browser.setSearchPaths([str(DOCS)])
        self.browser.setMarkdown(guide_markdown())
        self._fit_images()
        self.contents = QListWidget()
        self.contents.setAccessibleName("Contents")
        self.contents.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long heading ends in "…"; its tooltip is whole
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.itemActivated.connect(self._go_to)
        self.contents.itemClicked.connect(self._go_to)
        self._list_headings()
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find in the guide (Ctrl+F)")
        self.find_box.setAccessibleName("Find in the guide")
        with_clear_button(self.find_box, "the search")
        self.find_box.returnPressed.connect(self.find_next)
        self.find_box.textEdited.connect(lambda _text: self.find_next(from_top=True))
        previous, following = QPushButton("&Previous"), QPushButton("&Next")
        previous.clicked.connect(self.find_previous)
        following.clicked.connect(lambda: self.find_next())
        self.found = QLabel()
        self.found.setObjectName("found")
        label = QLabel("&Find:")
        label.setBuddy(self.find_box)
        bar = QHBoxLayout()
        bar.addWidget(label)
        bar.addWidget(self.find_box, 1)
        bar.addWidget(previous)
        bar.addWidget(following)
        bar.addWidget(self.found)
        splitter = QSplitter()
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 800])
        central = QWidget()
        column = QVBoxLayout(central)
        column.addLayout(bar)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_find)
        QShortcut(QKeySequence.StandardKey.FindNext, self, self.find_next)
        QShortcut(QKeySequence.StandardKey.FindPrevious, self, self.find_previous)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close)

    # ---- contents ----
    def _list_headings(self):
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level and block.text().strip():
                item = QListWidgetItem("    " * (level - 1) + block.text().strip())
                item.setToolTip(block.text().strip())
                item.setData(Qt.ItemDataRole.UserRole, block.position())
                self.contents.addItem(item)
            block = block.next()

    def headings(self):
        return [self.contents.item(i).text().strip() for i in range(self.contents.count())]

    def _go_to(self, item):
        """Show a heading at the top of the guide."""
        block = self.browser.document().findBlock(item.data(Qt.ItemDataRole.UserRole))
        cursor = QTextCursor(block)
        self.browser.setTextCursor(cursor)
        top = self.browser.document().documentLayout().blockBoundingRect(block).top()
        self.browser.verticalScrollBar().setValue(int(top))

    # ---- finding ----
    def focus_find(self):
        self.find_box.setFocus()
        self.find_box.selectAll()

    def find_next(self, from_top=False, backward=False):
        """Select the next (or previous) place the find box's words appear, round the end; False when nowhere."""
        words = self.find_box.text()
        if not words:
            self.found.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if from_top:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        found = self.browser.find(words, flags)
        if not found:  # round the end, once
            self.browser.moveCursor(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            found = self.browser.find(words, flags)
        self.found.setText("" if found else "Not found")
        return found

    def find_previous(self):
        return self.find_next(backward=True)

    # ---- pictures and links ----
    def _fit_images(self):
        """Show each screenshot at most IMAGE_WIDTH wide (its height in proportion)."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image = fmt.toImageFormat()
                    size = QImageReader(str(DOCS / image.name())).size()
                    if size.isValid() and size.width() > 0:
                        width = min(size.width(), IMAGE_WIDTH)
                        image.setWidth(width)
                        image.setHeight(size.height() * width / size.width())
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(image)
                it += 1
            block = block.next()

    def _link(self, url):
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
        else:
            self.statusBar().showMessage(f"{url.toString()} is one of the app's technical documents, kept with its "
                                         "source rather than in the app.", 8000)

    @classmethod
    def show_for(cls, window):
        """Show the guide (one window per main window, raised when already open)."""
        guide = getattr(window, "guide_window", None)
        if guide is None:
            guide = window.guide_window = cls(window)
            guide.setWindowFlag(Qt.WindowType.Window, True)
        guide.show()
        guide.raise_()
        guide.activateWindow()
        return guide

