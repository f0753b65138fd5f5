"""Every printout renders, page by page, as a person would see it.

PDFs are rendered with PDFium (a wheel, so this runs in CI) and, where it is
installed, poppler's pdftoppm; DOCX and XLSX go through LibreOffice where it
is installed (Debian's libreoffice-writer and libreoffice-calc), and the test
skips cleanly where it is not.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from printout_helpers import inked

pytestmark = pytest.mark.filterwarnings("error")
# Pages of each printout of the fixture plan: 2028's four rounds, round 5 of five teams, the five years plus the chart.
# The 2028 plan names the villages that go with the elevated towns (巡镇带村), so it runs longer.
PAGES = {"annual-2028.pdf": (4, 7), "round-5.pdf": (2, 4), "report.pdf": (4, 6)}


@pytest.fixture(scope="module")
def printed(fixture_printouts):
    """The fixture plan's annual plan for 2028 (docx, pdf, xlsx), round 5's plan and the report (docx,
    pdf), signed on PRINT_DATE: written once a session (conftest), also read by tests/test_printouts.py."""
    return {p.name: p for p in fixture_printouts["annual"] + fixture_printouts["round"] + fixture_printouts["report"]}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pdf_renders_every_page_with_ink_within_the_expected_page_count(printed, name):
    document = pdfium.PdfDocument(printed[name])
    low, high = PAGES[name]
    assert low <= len(document) <= high
    for page in document:
        image = page.render(scale=0.5).to_pil()
        assert 0.003 < inked(image) < 0.5


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pdftoppm_renders_every_page(printed, name, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    result = subprocess.run(["pdftoppm", "-png", "-r", "30", str(printed[name]), str(tmp_path / "page")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Error" not in result.stderr
    assert len(list(tmp_path.glob("page-*.png"))) == len(pdfium.PdfDocument(printed[name]))


@pytest.mark.parametrize("name, pdf", [("annual-2028.docx", "annual-2028.pdf"), ("round-5.docx", "round-5.pdf"),
                                       ("report.docx", "report.pdf"), ("annual-2028.xlsx", None)])
def test_libreoffice_renders_docx_and_xlsx(printed, name, pdf, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(printed[name])],
                            capture_output=True, text=True, timeout=300)
    rendered = tmp_path / (Path(name).stem + ".pdf")
    assert result.returncode == 0 and rendered.is_file(), result.stderr
    document = pdfium.PdfDocument(rendered)
    # LibreOffice spaces Chinese from digits whatever the file says; the words are what count here.
    text = re.sub(r"\s+", "", "".join(page.get_textpage().get_text_range() for page in document))
    assert "中共商洛市委" in text
    if pdf:  # the Word file paginates like the PDF, give or take a page of the other fonts' metrics
        assert abs(len(document) - len(pdfium.PdfDocument(printed[pdf]))) <= 1
        assert "2027年12月20日" in text
    else:  # five sheets, none spread over many pages
        assert 5 <= len(document) <= 10
    ink = [inked(page.render(scale=0.4).to_pil()) for page in document]
    assert min(ink) > 0.002
    if name == "report.docx":  # the chart fills its landscape page, not clipped to one line of text
        assert document[len(document) - 1].get_width() > document[0].get_width() and ink[-1] > 0.05
