"""Both reports in a real spreadsheet program: LibreOffice opens them and prints them to PDF.

A known data set gives a known number of pages; on every printed page of the rows sheet the
header row is repeated (print titles), and the title block is printed once, on the first page.
"""

import datetime as dt
import shutil
import subprocess

import pytest

from tracker import reports, services
from tracker.dates import parse_uk_date

pytestmark = [pytest.mark.real_client,
              pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                 reason="LibreOffice (soffice) and poppler-utils (pdftotext) are needed")]

NASTY = "=cmd|' /C calc'!A0"


def to_pdf(tmp_path, src):
    outdir = tmp_path / "pdf"
    outdir.mkdir(exist_ok=True)
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), str(src)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    pdf = outdir / (src.stem + ".pdf")
    assert pdf.exists(), (result.stdout, result.stderr)
    return pdf


def pages_of(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    assert len(pages) == count
    return pages


@pytest.fixture
def known_data(db):
    """150 one-line actions over three councils and 30 commitments: a fixed number of printed pages."""
    services.set_actor("Report tester", "Havering")
    today = dt.date.today()
    councils = [services.councils.find(n) for n in ("Barking and Dagenham", "Havering", "Redbridge")]
    org = services.stakeholders.create(name=f"{NASTY} Trust", sector="voluntary")
    person = services.stakeholders.create(name="Jade Clarke", kind="person", organisation=org, sector="voluntary")
    coms = [services.commitments.create(title=f"Commitment {i:02d}", made_by=org if i % 2 else person,
                                        date_made=dt.date(2019, 1, 16), theme="youth", councils=[councils[i % 3]])
            for i in range(30)]
    for i in range(150):
        action = services.actions.create(title=f"Action {i:03d}", owner=person, council=councils[i % 3],
                                         commitment=coms[i % 30], due_date=today + dt.timedelta(days=i - 75),
                                         status=["open", "in_progress", "blocked", "done"][i % 4])
        if i % 10 == 0:
            services.updates.add(action, f"Update on {i}", date=today)


def test_action_log_prints_with_header_on_every_page(tmp_path, known_data):
    out = tmp_path / "action-log.xlsx"
    reports.write_action_log(out, {})
    pages = pages_of(to_pdf(tmp_path, out))
    row_pages = [p for p in pages if "HAV-A0" in p]
    summary_pages = [p for p in pages if "HAV-A0" not in p]
    assert (len(row_pages), len(summary_pages)) == (5, 1)
    for n, page in enumerate(row_pages, start=1):
        assert "Reference" in page and "Latest update" in page and "Days" in page, f"no header on page {n}"
        assert f"Page {n} of {len(pages)}" in page
        assert ("Generated on" in page.split("Reference")[0]) == (n == 1)  # title block on page 1 only
    printed = [f"Action {i:03d}" for i in range(150)]
    assert all(sum(t in p for p in row_pages) == 1 for t in printed)  # each row printed once
    assert "#NAME" not in "".join(pages) and "Err:" not in "".join(pages)
    assert "By council" in summary_pages[0] and "By owner" in summary_pages[0]


def test_register_prints_with_header_on_every_page(tmp_path, known_data):
    out = tmp_path / "register.xlsx"
    reports.write_commitment_register(out, {})
    pages = pages_of(to_pdf(tmp_path, out))
    row_pages = [p for p in pages if "Commitment 0" in p or "Commitment 1" in p or "Commitment 2" in p]
    assert (len(row_pages), len(pages)) == (1, 2)
    assert all("Partner" in p and "Latest evidence" in p for p in row_pages)
    assert NASTY in row_pages[0]  # formula-looking text printed as text, not evaluated
    assert "By partner" in pages[-1] and "By theme" in pages[-1]


def test_a_period_prints_as_written_from_its_number_format(tmp_path, db):
    """The report's period cells are real dates whose number format shows the period: LibreOffice prints them
    as "Mar 2019", "Q2 2019", "2019" and "FY 2019/20" (tracker.reports.xlsx.period_format)."""
    services.set_actor("Report tester", "Havering")
    for title, due in (("Monthly", "Mar 2019"), ("Quarterly", "Q2 2019"), ("Yearly", "2019"),
                       ("Financial", "FY 2019/20"), ("Daily", "16/01/2019")):
        services.actions.create(title=f"{title} action", due_date=parse_uk_date(due, periods=True))
    out = tmp_path / "action-log.xlsx"
    reports.write_action_log(out, {})
    lines = [line for page in pages_of(to_pdf(tmp_path, out)) for line in page.splitlines() if " action" in line]
    printed = {line.split()[1]: line for line in lines if line.split()[0].startswith("HAV-A")}
    assert "Mar 2019" in printed["Monthly"] and "Q2 2019" in printed["Quarterly"]
    assert "FY 2019/20" in printed["Financial"] and "16/01/2019" in printed["Daily"]
    assert " 2019 " in printed["Yearly"] and "31/12/2019" not in printed["Yearly"]
