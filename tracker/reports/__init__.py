"""Reports for managers and commission secretaries: the action log and the commitment register.

:mod:`tracker.reports.rows` gathers a report's rows through the services (a fixed number of
queries, whatever the size) and describes its filters in words; :mod:`tracker.reports.xlsx`
writes it as a printable workbook.  The app prints the same :class:`Report` through Qt.
No Qt here.
"""

from tracker.reports.rows import Report, action_log, commitment_register, describe_filters
from tracker.reports.xlsx import check_folder, write_report


def write_action_log(path, filters=None, search="", progress=None):
    """Gather and write the action log for a services filter dict; returns the :class:`Report`."""
    check_folder(path)
    report = action_log(filters, search, progress=progress)
    write_report(report, path)
    return report


def write_commitment_register(path, filters=None, search="", progress=None):
    """Gather and write the commitment register for a services filter dict; returns the :class:`Report`."""
    check_folder(path)
    report = commitment_register(filters, search, progress=progress)
    write_report(report, path)
    return report


__all__ = ["Report", "action_log", "commitment_register", "describe_filters", "write_action_log",
           "write_commitment_register", "write_report"]
