"""File dialogs start in Documents or the folder used last, and offer the type chosen last (ui.filedialogs)."""

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton

from ui import filedialogs
from ui import reports as ui_reports
from ui.tableimport_pages import FILE_FILTER

from .test_table_import_ui import open_wizard

CSV_TYPE = "CSV or text (*.csv *.txt)"


def test_every_file_dialog_of_the_app_goes_through_the_one_module():
    ui = Path(filedialogs.__file__).parent
    direct = [p.name for p in ui.glob("*.py") if p.name != "filedialogs.py"
              and any(f"QFileDialog.{g}" in p.read_text(encoding="utf-8")
                      for g in ("getOpenFileName", "getSaveFileName", "getExistingDirectory", "getOpenFileNames"))]
    assert direct == []


def test_the_import_dialog_starts_in_documents_then_in_the_last_folder_with_the_last_type(qtbot, window, tmp_path,
                                                                                        chosen_file):
    folder = tmp_path / "from partners"
    folder.mkdir()
    (folder / "forum.csv").write_text("Name\nRuth Ellis\n", encoding="utf-8")
    wizard = open_wizard(qtbot, window)
    chosen_file.update(path=str(folder / "forum.csv"), type=CSV_TYPE)
    qtbot.mouseClick(wizard.currentPage().browse_button, Qt.MouseButton.LeftButton)
    assert chosen_file["asked"][0] == (filedialogs.documents_folder(), FILE_FILTER, ""), "first: Documents"
    assert wizard.currentPage().path.text() == str(folder / "forum.csv")
    wizard.reject()
    wizard = open_wizard(qtbot, window)  # another day's import: the folder and the type of the last one
    chosen_file.update(path="")
    qtbot.mouseClick(wizard.currentPage().browse_button, Qt.MouseButton.LeftButton)
    assert chosen_file["asked"][1] == (str(folder), FILE_FILTER, CSV_TYPE)
    wizard.reject()


def test_a_save_dialog_suggests_its_name_in_the_last_folder_of_its_purpose(qtbot, window, tmp_path, saved_file,
                                                                         chosen_file):
    documents = Path(filedialogs.documents_folder())
    assert ui_reports.SaveReportAs.ask(window, "Action log", "action-log.xlsx", "xlsx") is None  # cancelled
    assert saved_file["asked"][0][0] == str(documents / "action-log.xlsx")
    board = tmp_path / "board papers"
    board.mkdir()
    saved_file["path"] = str(board / "March board")
    assert ui_reports.SaveReportAs.ask(window, "Action log", "action-log.xlsx", "xlsx") == str(board / "March board.xlsx")
    ui_reports.SaveReportAs.ask(window, "Action log", "action-log.pdf", "pdf")
    assert saved_file["asked"][2][0] == str(board / "action-log.pdf"), "the folder used last for reports"
    # Another purpose with nothing of its own starts in the last folder used for anything.
    window.actions["import_sharing"].trigger()  # File → Import from another council…, cancelled
    assert chosen_file["asked"][0][0] == str(board)


def test_a_report_offers_the_format_chosen_last_time(qtbot, window, monkeypatch, saved_file):
    def choose_pdf(cls, parent, kind, filters, search=""):
        dialog = cls(parent, kind, filters, search)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        [pdf] = [b for b in dialog.findChildren(QRadioButton) if b.property("output") == "pdf"]
        pdf.click()
        return dialog.values()

    monkeypatch.setattr(ui_reports.ReportDialog, "ask", classmethod(choose_pdf))
    window.actions["report_action_log"].trigger()  # the PDF chosen, then the Save dialog cancelled
    assert saved_file["asked"][0][1].startswith("PDF documents")
    again = ui_reports.ReportDialog(window, "actions", {})
    qtbot.addWidget(again)
    assert again.outputs.checkedButton().property("output") == "pdf"
