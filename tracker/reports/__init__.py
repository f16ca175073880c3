"""Reports for managers and commission secretaries: the action log and the commitment register.

:mod:`tracker.reports.rows` gathers a report's rows through the services (a fixed number of
queries, whatever the size) and describes its filters in words; :mod:`tracker.reports.xlsx`
writes it as a printable workbook.  The app prints the same :class:`Report` through Qt.
No Qt here.  The writer is imported when a workbook is written, not with this package, so that the
app starts without loading openpyxl (and numpy, which openpyxl loads when it is installed).
"""

from tracker.reports.rows import Report, action_log, commitment_register, describe_filters


def write_report(report, path, progress=None):
    """Write ``report`` as a printable workbook at ``path`` (see :mod:`tracker.reports.xlsx`)."""
    from tracker.reports import xlsx

    return xlsx.write_report(report, path, progress)


def check_folder(path):
    from tracker.reports import xlsx

    return xlsx.check_folder(path)


def write_action_log(path, filters=None, search="", progress=None):
    """Gather and write the action log for a services filter dict; returns the :class:`Report`."""
    check_folder(path)
    report = action_log(filters, search, progress=progress)
    write_report(report, path, progress)
    return report


def write_commitment_register(path, filters=None, search="", progress=None):
    """Gather and write the commitment register for a services filter dict; returns the :class:`Report`."""
    check_folder(path)
    report = commitment_register(filters, search, progress=progress)
    write_report(report, path, progress)
    return report


__all__ = ["Report", "action_log", "commitment_register", "describe_filters", "write_action_log",
           "write_commitment_register", "write_report"]
