"""The app's settings file: ``settings.ini`` in the per-user data folder (so tests isolate it per test).

Who the user is (``user/name``, ``user/council``: the audit actor and the home council) is read and
written by ``tracker.settings``, the one place that knows those keys, which the ``tracker`` command
reads too.  Here, through ``QSettings`` on the same file: ``database/path`` (the last database) and
the window state under ``window/`` (geometry, splitters, column widths, the last view).
"""

from PySide6.QtCore import QSettings

from tracker import services
from tracker import settings as shared
from tracker.paths import data_dir, ensure_private_dir

settings_file = shared.settings_file


def app_settings() -> QSettings:
    ensure_private_dir(data_dir())
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def user_name():
    return shared.user_name()


def home_council():
    return shared.home_council()


def last_database():
    return str(app_settings().value("database/path", "") or "")


def remember_database(path):
    s = app_settings()
    s.setValue("database/path", str(path))
    s.sync()


def save_user(name, council):
    shared.save_user(name, council)
    apply_actor()


def apply_actor():
    """Changes are recorded in the audit trail under the name and council from settings (the app does
    not take TRACKER_USER / TRACKER_COUNCIL: those are for the command)."""
    services.set_actor(user_name(), home_council())


# ---- file dialogs (ui.filedialogs): the last folder and file type, per purpose ----
def file_choice(purpose):
    """{"folder", "filter"} last chosen for ``purpose`` ("import", "export", "reports"...); None: any purpose."""
    s = app_settings()
    group = f"files/{purpose}" if purpose else "files"
    return {"folder": str(s.value(f"{group}/folder", "") or ""), "filter": str(s.value(f"{group}/filter", "") or "")}


def remember_file_choice(purpose, folder, chosen_filter):
    s = app_settings()
    s.setValue("files/folder", folder)
    s.setValue(f"files/{purpose}/folder", folder)
    if chosen_filter:
        s.setValue(f"files/{purpose}/filter", chosen_filter)
    s.sync()


def report_output(default):
    """The report output (xlsx, pdf, print) chosen last time."""
    return str(app_settings().value("files/reports/output", default) or default)


def remember_report_output(output):
    s = app_settings()
    s.setValue("files/reports/output", output)
    s.sync()
