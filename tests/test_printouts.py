import datetime as dt
import logging
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli import app
from planner.io import atomic_write_bytes
from planner.loading import load_scenario
from planner.plan import ASSIGNMENTS_FILE, assignments_to_csv_bytes, read_plan
from planner.scenario import CITY
from planner.printouts.annual import annual_document, annual_plan
from planner.printouts.document import Document
from planner.printouts.pdf_writer import to_pdf
from planner.printouts.report import report_document
from planner.printouts.files import write_annual, write_report
from planner.printouts.rounds import round_frame
from plan_fixture import write_plan

pytestmark = pytest.mark.filterwarnings("error")  # a missing glyph is a warning in matplotlib and fpdf2
TINY = Path(__file__).parent / "data" / "tiny"
YEAR = 2028


@pytest.fixture(scope="module")
def shangluo():
    return load_scenario()


@pytest.fixture(scope="module")
def plan_dir(shangluo, tmp_path_factory):
    return write_plan(shangluo, tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def annual_files(plan_dir, shangluo, tmp_path_factory):
    out = tmp_path_factory.mktemp("annual")
    return {p.suffix: p for p in write_annual(plan_dir, shangluo, YEAR, ["docx", "pdf", "xlsx"], out)}


@pytest.fixture(scope="module")
def names_by_year(plan_dir):
    table = read_plan(plan_dir).assignments
    year_of = table["round"].map(round_frame(table)["year"])
    mine = set(table[year_of == YEAR]["target_name"])
    others = set(table[year_of != YEAR]["target_name"]) - mine
    # A name inside one of this year's names cannot be told apart in running text.
    return mine, {n for n in others if not any(n in m for m in mine)}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    doc = open_docx(path)
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def pdf_text(path: Path) -> str:
    reader = pytest.importorskip("pypdf").PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


def xlsx_text(path: Path) -> str:
    book = load_workbook(path)
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


@pytest.mark.parametrize("suffix, reader", [(".docx", docx_text), (".pdf", pdf_text), (".xlsx", xlsx_text)])
def test_annual_plan_lists_exactly_the_targets_of_its_year(annual_files, names_by_year, suffix, reader):
    mine, others = names_by_year
    text = squeeze(reader(annual_files[suffix]))
    assert "中共商洛市委2028年度巡察工作计划" in text
    assert sorted(n for n in mine if squeeze(n) not in text) == []
    assert sorted(n for n in others if squeeze(n) in text) == []


def test_docx_has_real_headings_tables_and_page_numbers(annual_files, plan_dir):
    doc = open_docx(annual_files[".docx"])
    rounds = round_frame(read_plan(plan_dir).assignments)
    numbers = list(rounds.index[rounds["year"] == YEAR])
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [h.split(" ")[0] for h in headings] == [f"第{n}轮" for n in numbers]
    assert doc.paragraphs[0].style.name == "Title"
    # round list + one table per round + coverage
    assert len(doc.tables) == len(numbers) + 2
    assert doc.tables[1].rows[0].cells[1].text == "组长"
    footer = doc.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer


def test_pdf_pages_are_numbered_and_embed_the_font(annual_files):
    reader = pytest.importorskip("pypdf").PdfReader(annual_files[".pdf"])
    total = len(reader.pages)
    assert total >= 2
    for index, page in enumerate(reader.pages, start=1):
        assert f"第 {index} 页 共 {total} 页" in page.extract_text()
    font = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    assert "/FontFile2" in font["/DescendantFonts"][0]["/FontDescriptor"]


def test_no_glyph_is_missing_from_the_pdf_font(plan_dir, shangluo, caplog):
    table = read_plan(plan_dir).assignments
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        to_pdf(annual_document(annual_plan(table, shangluo, YEAR)))
        to_pdf(report_document(table, shangluo))
        assert [r.getMessage() for r in caplog.records] == []
        to_pdf(Document("\U0002A6A5", ()))  # outside the font: fpdf2 logs it, and this test would see it
    assert "missing" in caplog.records[-1].getMessage()


def test_xlsx_has_a_summary_and_one_sheet_per_round(annual_files, plan_dir):
    book = load_workbook(annual_files[".xlsx"])
    rounds = round_frame(read_plan(plan_dir).assignments)
    assert book.sheetnames == ["汇总"] + [f"第{n}轮" for n in rounds.index[rounds["year"] == YEAR]]


def test_coverage_adds_up_to_every_city_target_in_the_last_year(plan_dir, shangluo):
    table = read_plan(plan_dir).assignments
    last = max(round_frame(table)["year"])
    total = annual_plan(table, shangluo, last).coverage.rows[-1]
    assert total[0] == "合计"
    assert total[1] == total[3] == str(len(shangluo.targets_of(CITY)))
    assert total[4] == "0" and total[5] == "100%"


def tiny_two_years():
    return load_scenario(TINY).replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)})


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    scenario = tiny_two_years()
    plan = write_plan(scenario, tmp_path / "plan")
    table = read_plan(plan).assignments
    year = table["onsite_start"].min().year
    first = table.index[0]
    table.loc[first, "target_name"] = "=HYPERLINK(\"http://x\",\"y\")"
    table.loc[table.index[1], "sector"] = "@SUM(1+1)"
    atomic_write_bytes(plan / ASSIGNMENTS_FILE, assignments_to_csv_bytes(table))
    [path] = write_annual(plan, scenario, year, ["xlsx"])
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml for xml in sheets)
    cells = [c for sheet in load_workbook(path) for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert {c.value for c in cells} == {"=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)"}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_report_gives_years_rounds_coverage_and_the_chart(plan_dir, shangluo, tmp_path):
    paths = {p.suffix: p for p in write_report(plan_dir, shangluo, ["docx", "pdf"], tmp_path)}
    text = squeeze(pdf_text(paths[".pdf"]))
    assert "中共商洛市委巡察工作五年规划(2027—2031年)" in text
    for year in shangluo.horizon.years:
        assert f"{year}年第" in text
    assert "2031年第17—20轮" in text and "112100%" in text
    reader = pytest.importorskip("pypdf").PdfReader(paths[".pdf"])
    last = reader.pages[-1]
    assert last.mediabox.width > last.mediabox.height  # the chart on a landscape page
    assert len(last.images) == 1
    doc = open_docx(paths[".docx"])
    assert len(doc.inline_shapes) == 1
    assert "100%" in docx_text(paths[".docx"])


def test_cli_writes_into_the_plan_directory(tmp_path):
    plan = write_plan(tiny_two_years(), tmp_path / "plan")
    runner = CliRunner()
    for args in (["annual", str(plan), "--year", "2028", "--scenario", str(TINY)],
                 ["report", str(plan), "--scenario", str(TINY), "--format", "pdf"],
                 ["gantt", str(plan), "--scenario", str(TINY), "--by", "round"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in plan.iterdir()) == sorted(
        ["assignments.csv", "plan.json", "annual-2028.docx", "annual-2028.pdf", "annual-2028.xlsx", "report.pdf",
         "gantt-round.png"]
    )


def test_cli_rejects_a_year_without_rounds_and_unknown_formats(plan_dir):
    runner = CliRunner()
    result = runner.invoke(app, ["annual", str(plan_dir), "--year", "2040"])
    assert result.exit_code == 2 and "2040" in result.output
    result = runner.invoke(app, ["report", str(plan_dir), "--format", "xlsx"])
    assert result.exit_code == 2 and "xlsx" in result.output
