"""The detail pane: edit one record, see its links, add dated updates, read its history.

:class:`RecordEditor` is generic.  Its form is the record kind's fields in the registry
(``tracker.records``: label, access key, hint, order), each field's type choosing its widget
(``ui.fields.form_field``); the kind's entry in ``ui.kinds`` gives its service, form and links.  Saving goes through the services
with the version the record had when it was shown (a concurrent change raises StaleEditError and
the user chooses); the reasons it gives are the registry's.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QTabWidget,
                               QVBoxLayout, QWidget)

from tracker.errors import StaleEditError, ValidationError
from ui import dialogs, errors
from ui.changes import notifier
from ui.heading import Heading
from ui.history import HistoryView
from ui.kinds import KINDS
from ui.links import LinksPanel, UpdatesPanel
from ui.resources import error_colour, icon


def tab_stops_in_chain(page):
    """``page`` (a list, say) or the controls inside it that take focus from Tab, in the focus chain's order."""
    found, widget = [page] if page.focusPolicy() & Qt.FocusPolicy.TabFocus else [], page.nextInFocusChain()
    while widget is not page and widget is not None:
        if page.isAncestorOf(widget) and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found


class RecordEditor(QWidget):
    saved = Signal(object)
    deleted = Signal(object)
    open_link = Signal(str, int)  # kind key, record id
    new_linked = Signal(str, object)  # kind key, the values a new record of it starts with
    dirty_changed = Signal(bool)

    def __init__(self, kind_key, parent=None):
        super().__init__(parent)
        self.kind_key = kind_key
        self.kind = KINDS[kind_key]
        self.service = self.kind.service
        self.record = None
        self.version = None
        self.dirty = False
        self._loading = False
        self.fields = {f.name: f for f in self.kind.form()}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = Heading()  # at most two lines, whole in its tooltip
        self.heading.setProperty("role", "heading")
        outer.addWidget(self.heading)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Record details")
        outer.addWidget(self.tabs, 1)

        form_page = QWidget()
        page_layout = QVBoxLayout(form_page)
        form = QFormLayout()
        page_layout.addLayout(form)
        page_layout.addStretch(1)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: the label above its field
        for field in self.fields.values():
            label = QLabel(field.label)
            label.setBuddy(field.input)
            form.addRow(label, field.widget)
            field.connect(self._changed)
        self.general_error = QLabel()
        self.general_error.setProperty("role", "error")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        form.addRow(self.general_error)
        self.form_scroll = QScrollArea()  # a long form (a stakeholder's) scrolls; Save and Revert stay below it
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own: it scrolls to the field
        self.form_scroll.setWidget(form_page)
        self.tabs.addTab(self.form_scroll, "Deta&ils")

        self.links = LinksPanel(self.kind.links)
        self.links.open_link.connect(self.open_link)
        self.links.new_linked.connect(self.new_linked)
        self.tabs.addTab(self.links, "&Links")
        self.updates = None
        if self.kind.has_updates:
            self.updates = UpdatesPanel()
            self.tabs.addTab(self.updates, "&Updates")
        self.history = HistoryView()
        self.tabs.addTab(self.history, "Histor&y")

        buttons = QHBoxLayout()
        self.save_button = QPushButton(icon("save"), "Save")
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Drop your changes and show the saved version")
        self.revert_button.clicked.connect(self.revert)
        self.delete_button = QPushButton(icon("delete"), "Delete")
        self.delete_button.setToolTip("Move to Deleted items (it can be restored)")
        self.delete_button.clicked.connect(self.delete)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        outer.addLayout(buttons)
        self.load(None)
        notifier().changed.connect(self.follow)

    # ---- showing a record ----------------------------------------------------------
    def load(self, record):
        """Show ``record`` (None: a blank new one), dropping any unsaved edits."""
        self._loading = True
        try:
            self.record = record
            self.version = record.version if record is not None else None
            for field in self.fields.values():
                field.reload_choices()
            self._chain_tab_order()
            values = ({name: getattr(record, name) for name in self.fields if name != "councils"}
                      if record is not None else self.service.defaults())
            if "councils" in self.fields:
                values["councils"] = self.service.councils_of(record) if record is not None else []
            for name, field in self.fields.items():
                field.set(values.get(name))
                field.show_error(None)
            self.general_error.setVisible(False)
        finally:
            self._loading = False
        self._set_dirty(False)
        self.heading.setText(f"New {self.kind.name}" if record is None
                             else (f"{record}" + (" (deleted)" if record.is_deleted else "")))
        self.delete_button.setEnabled(record is not None and not record.is_deleted)
        self.save_button.setEnabled(record is None or not record.is_deleted)
        self.links.show_record(record)
        if self.updates is not None:
            self.updates.show_record(record)
        self._show_history()

    def _chain_tab_order(self):
        """Tab goes through the form in the registry's order, then Save, Revert and Delete (the
        councils' tick boxes are made after the buttons: by creation they would come last); on the other
        tabs, through their lists and buttons, then Save, Revert and Delete (they came after Delete)."""
        if getattr(self, "_other_tabs", None) is None:
            self._other_tabs = [w for n in range(1, self.tabs.count()) for w in tab_stops_in_chain(self.tabs.widget(n))]
        chain = [self.tabs.tabBar(), *(w for field in self.fields.values() for w in field.focus_widgets()),
                 *self._other_tabs, self.save_button, self.revert_button, self.delete_button]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    def follow(self, change):
        """The shown record changed elsewhere: show it again, unless it is being edited (the edits
        stay; saving them meets the stale-edit check).  Its links and updates follow their kinds."""
        record = self.record
        if record is None:
            return
        fresh = None
        if change.rereads(self.service.table) or record.id in change.ids(self.service.table):
            if not self.dirty:
                try:
                    fresh = self.service.reload(record)
                except errors.EXPECTED:  # gone (an undone import had added it), or unreadable
                    pass
                if fresh is None or fresh.uuid != record.uuid:  # another database took its place
                    self.load(None)
                    return
                if fresh.version != self.version:
                    self.load(fresh)  # its links and updates with it
                    return
        if self.links.follows(change):
            try:
                self.links.show_record(fresh or self.service.reload(record))
            except errors.EXPECTED:
                pass  # gone: the next change or F5 shows it
        if self.updates is not None:
            self.updates.follow(change)

    def new(self, values=None):
        """A blank record (``values``: what it starts with besides the defaults, e.g. the commitment
        a new action serves), with the focus in its first box."""
        self.load(None)
        if values:
            self._loading = True
            try:
                for name, value in values.items():
                    if name in self.fields:
                        self.fields[name].set(value)
            finally:
                self._loading = False
        self.tabs.setCurrentIndex(0)
        first = next(iter(self.fields.values()))
        first = self.fields.get("title") or self.fields.get("name") or first
        first.input.setFocus()

    def revert(self):
        self.load(self.service.reload(self.record) if self.record is not None else None)

    def _show_history(self):
        self.history.show_record(self.record)

    # ---- editing -------------------------------------------------------------------
    def _changed(self, *args):
        if not self._loading:
            self._set_dirty(True)

    def forget_edits(self):
        """Drop unsaved edits without reading the database (it was found damaged: they cannot be saved)."""
        self._set_dirty(False)

    def _set_dirty(self, dirty):
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)
        self.revert_button.setEnabled(dirty)

    def values(self):
        return {name: field.get() for name, field in self.fields.items()}

    def save(self):
        """Save through the services; True when saved (or nothing to save)."""
        if self.record is not None and self.record.is_deleted:
            return False
        for field in self.fields.values():
            field.show_error(None)
        self.general_error.setVisible(False)
        unreadable = {name: reason for name, field in self.fields.items() if (reason := field.problem())}
        if unreadable:  # e.g. a date typed as 31/02/2019: refused here, never saved as another value
            self.show_errors(unreadable)
            return False
        try:
            if self.record is None:
                record = self.service.create(**self.values())
            else:
                record = self.service.update(self.record, expected_version=self.version, **self.values())
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        except StaleEditError as exc:
            if dialogs.StaleEdit.ask(self, str(exc)) == dialogs.RELOAD:
                self.load(self.service.reload(self.record))
            else:
                # Keep the edits; saving again applies them over the other person's version.
                self.version = exc.current.version if exc.current is not None else self.version
            return False
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        self.load(record)
        self.saved.emit(record)
        return True

    def show_errors(self, problems):
        others = []
        first = None
        for name, reason in problems.items():
            field = self.fields.get(name)
            if field is None:
                others.append(f"{name.replace('_', ' ').capitalize()}: {reason}.")
                continue
            field.show_error(reason)
            first = first or field
        if others:
            self.general_error.setText(" ".join(others))
            palette = self.general_error.palette()
            palette.setColor(self.general_error.foregroundRole(), error_colour())
            self.general_error.setPalette(palette)
            self.general_error.setVisible(True)
        self.tabs.setCurrentIndex(0)
        if first is not None:
            first.input.setFocus()

    def delete(self):
        """Soft delete the shown record; it can be restored from Deleted items."""
        if self.record is None or self.record.is_deleted:
            return False
        try:
            record = self.service.delete(self.record, expected_version=self.version)
        except StaleEditError as exc:
            errors.show_message(self, str(exc))
            self.load(self.service.reload(self.record))
            return False
        except errors.EXPECTED as exc:
            errors.show_exception(self, exc)
            return False
        self.load(None)
        self.deleted.emit(record)
        return True

    def confirm_leave(self):
        """Before the shown record is replaced: True when it is fine to go on (saved or discarded)."""
        if not self.dirty:
            return True
        answer = dialogs.UnsavedChanges.ask(self, self.kind.describe(self.record))
        if answer == dialogs.SAVE:
            return self.save()
        if answer == dialogs.DISCARD:
            self.revert()
            return True
        return False

