import datetime as dt
import io
import logging
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from cli import app
from planner.io import atomic_write_bytes
from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.plan import ASSIGNMENTS_FILE, assignments_to_csv_bytes, read_plan
from planner.printouts.annual import annual_document, annual_plan, team_table
from planner.printouts.document import TABLE_PADDING_EM, Document, Table, text_em
from planner.printouts.files import write_annual
from planner.printouts.pdf_writer import to_pdf
from planner.printouts.xlsx_writer import annual_workbook
from planner.printouts.report import report_document
from planner.printouts.roundplan import round_document, staffing_table
from planner.printouts.rounds import fullwidth, round_details, round_frame, select, short_names
from planner.vocabulary import CITY, Committee
from plan_fixture import write_plan
from printout_helpers import (
    HALF_WIDTH_IN_CHINESE,
    PRINT_DATE,
    county_plan,
    with_county_theme,
    docx_text,
    pdf_pages,
    pdf_text,
    squeeze,
    xlsx_text,
)

pytestmark = pytest.mark.filterwarnings("error")  # a missing glyph is a warning in matplotlib
TINY = Path(__file__).parent / "data" / "tiny"
YEAR = 2028
DATE = PRINT_DATE


@pytest.fixture(scope="module")
def shangluo():
    return load_scenario()


@pytest.fixture(scope="module")
def plan_dir(fixture_plan_dir):
    return fixture_plan_dir  # the plan of the session's printouts (conftest)


@pytest.fixture(scope="module")
def table(plan_dir):
    return read_plan(plan_dir).assignments


@pytest.fixture(scope="module")
def annual_files(fixture_printouts):
    """write_annual(plan_dir, shangluo, YEAR, ["docx", "pdf", "xlsx"], date=DATE), written once a session."""
    return {p.suffix: p for p in fixture_printouts["annual"]}


@pytest.fixture(scope="module")
def names_by_year(table):
    inspected = table[table["target"] != ""]
    year_of = inspected["round"].map(round_frame(table)["year"])
    mine = set(inspected[year_of == YEAR]["target_name"])
    others = set(inspected[year_of != YEAR]["target_name"]) - mine
    # A name inside one of this year's names cannot be told apart in running text.
    return mine, {n for n in others if not any(n in m for m in mine)}


@pytest.fixture(scope="module")
def short_village_names(table, shangluo):
    """A document names a town's villages in the town's cell without the town's name in front."""
    towns = {t.id: t.name for t in shangluo.targets if t.category == "town"}
    town_of = {t.id: t.town for t in shangluo.targets if t.category == "village"}
    villages = table[table["category"] == "village"]
    return {name: name.removeprefix(towns[town_of[target]]) for target, name in zip(villages["target"],
                                                                                    villages["target_name"])}


def special_number(table, year=YEAR) -> int:
    rounds = round_frame(table)
    return int(rounds.index[(rounds["kind"] == "special") & (rounds["year"] == year)][0])


@pytest.mark.parametrize("suffix, reader", [(".docx", docx_text), (".pdf", pdf_text), (".xlsx", xlsx_text)])
def test_annual_plan_lists_exactly_the_targets_of_its_year(annual_files, names_by_year, short_village_names,
                                                          suffix, reader):
    mine, others = names_by_year
    text = squeeze(reader(annual_files[suffix]))
    assert "中共商洛市委2028年度巡察工作计划" in text
    shown = {n: short_village_names.get(n, n) if suffix != ".xlsx" else n for n in mine}
    assert sorted(n for n in mine if squeeze(shown[n]) not in text) == []
    assert sorted(n for n in others if squeeze(n) in text) == []


@pytest.mark.parametrize("suffix, reader", [(".docx", docx_text), (".pdf", pdf_text), (".xlsx", xlsx_text)])
def test_printed_chinese_has_full_width_punctuation(annual_files, suffix, reader):
    text = reader(annual_files[suffix])
    assert "：" in text or suffix == ".xlsx"
    assert HALF_WIDTH_IN_CHINESE.findall(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [("2028年, 共安排巡察4轮 (常规巡察3轮), 派出", "2028年，共安排巡察4轮（常规巡察3轮），派出"),
     ("进驻时间: 3月6日", "进驻时间：3月6日"), ("县(区)", "县（区）"), ("1,000人", "1,000人"),
     ("v1.2 (beta)", "v1.2 (beta)")],
)
def test_fullwidth(text, expected):
    assert fullwidth(text) == expected


def test_docx_and_pdf_carry_the_signature_and_the_classification(annual_files):
    for text in (docx_text(annual_files[".docx"]), pdf_text(annual_files[".pdf"])):
        assert "中共商洛市委巡察工作领导小组办公室" in text
        assert "2027年12月20日" in text
        assert "机密★5年" in text
    pages = pdf_pages(annual_files[".pdf"])
    assert "机密★5年" in pages[0] and "2027年12月20日" in pages[-1]


def test_copy_number_is_printed_as_six_digits(table, shangluo):
    scenario = shangluo.replace(document={"copy_number": 12, "classification": "秘密"})
    document = annual_document(annual_plan(table, scenario, YEAR, date=DATE), scenario)
    text = pdf_text_of(to_pdf(document))
    assert "000012" in text and "秘密" in text and "★" not in text


def pdf_text_of(data: bytes) -> str:
    return pdf_text(data)


def test_pdf_pages_are_numbered_in_the_official_form_and_embed_the_fonts(annual_files):
    reader = PdfReader(annual_files[".pdf"])
    for index, text in enumerate(pdf_pages(annual_files[".pdf"]), start=1):
        assert text.rstrip().endswith(f"— {index} —")
    fonts = {f.get_object()["/BaseFont"].split("+")[-1] for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert fonts == {"NotoSerifSC", "NotoSansSC"}
    font = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    assert "/FontFile3" in font["/DescendantFonts"][0]["/FontDescriptor"]  # embedded, not named


def test_no_glyph_is_missing_from_the_pdf_fonts(table, shangluo, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        to_pdf(annual_document(annual_plan(table, shangluo, YEAR, date=DATE), shangluo))
        to_pdf(round_document(table, shangluo, special_number(table), date=DATE))
        to_pdf(report_document(table, shangluo, date=DATE))
        assert [r.getMessage() for r in caplog.records] == []
        to_pdf(Document(("\U0002A6A5",), ()))  # outside the fonts: fpdf2 logs it, and this test would see it
    assert "missing" in caplog.records[-1].getMessage()


def test_special_round_gives_theme_scope_and_checks_never_zero_units(table, shangluo):
    number = special_number(table)
    theme = next(t for t in shangluo.rounds.special.themes if t.name in set(table[table["round"] == number]["target_name"]))
    plan = annual_plan(table, shangluo, YEAR, date=DATE)
    document = annual_document(plan, shangluo)
    text = pdf_text_of(to_pdf(document))
    squeezed = squeeze(text)
    assert squeeze(theme.scope) in squeezed and squeeze(theme.focus) in squeezed
    assert f"约{theme.scope_units}个单位" in squeezed
    assert "巡察单位0个" not in squeezed and "0个单位" not in squeezed
    detail = round_details(select(table), shangluo, number)
    special_table = team_table(detail)
    assert "被巡察单位" not in special_table.columns
    assert all(theme.name not in cell for row in special_table.rows for cell in row if cell)


def test_a_round_across_new_year_appears_in_both_annual_plans(plan_dir, shangluo, tmp_path):
    table = read_plan(plan_dir).assignments
    rounds = round_frame(table)
    number = int(rounds.index[(rounds["year"] == 2030) & (rounds["kind"] == "regular")][-1])
    mine = table["round"] == number
    table.loc[mine, "onsite_start"] = dt.date(2030, 12, 16)
    table.loc[mine, "onsite_end"] = dt.date(2031, 1, 17)
    plan = write_plan(shangluo, tmp_path / "plan")
    atomic_write_bytes(plan / ASSIGNMENTS_FILE, assignments_to_csv_bytes(table))
    before = annual_plan(read_plan(plan).assignments, shangluo, 2030, date=DATE)
    after = annual_plan(read_plan(plan).assignments, shangluo, 2031, date=DATE)
    assert number in [r.number for r in before.rounds] and number not in before.started_before
    assert [r.number for r in after.rounds][0] == number and after.started_before == {number}
    text = squeeze(pdf_text_of(to_pdf(annual_document(after, shangluo))))
    assert f"第{number}轮（续）" in text
    assert f"2030年开始的第{number}轮延续至2031年1月17日" in text
    # Its units count in the year it started, once.
    assert sum(c.this_year for c in after.coverage) == sum(c.this_year for c in annual_plan(
        table[~mine], shangluo, 2031, date=DATE).coverage)


def test_columns_fit_their_longest_unit_name(table, shangluo):
    rows = select(table)
    number = int(rows[rows["target_name"] == "市市场监督管理局"]["round"].iloc[0])
    detail = round_details(rows, shangluo, number)
    grid = team_table(detail)
    widths = grid.widths(156 / (10.5 * 25.4 / 72))
    assert widths[grid.columns.index("被巡察单位")] >= text_em("市市场监督管理局") + TABLE_PADDING_EM
    dates = max(text_em(row[4]) for row in grid.rows if row[4])
    assert widths[grid.columns.index("进驻时间")] >= dates + TABLE_PADDING_EM
    assert sum(widths) == pytest.approx(156 / (10.5 * 25.4 / 72))


def test_a_table_too_wide_for_the_page_wraps_only_its_wrap_columns():
    grid = Table(("单位", "说明"), (("市市场监督管理局", "甲" * 60),), wrap=(1,))
    widths = grid.widths(30)
    assert widths[0] >= text_em("市市场监督管理局") + TABLE_PADDING_EM
    assert sum(widths) == pytest.approx(30)


def test_docx_styles_name_the_official_fonts_in_black(annual_files):
    doc = open_docx(annual_files[".docx"])
    expected = {"Normal": "仿宋_GB2312", "Title": "方正小标宋简体", "Heading 1": "黑体", "Heading 2": "楷体_GB2312"}
    for name, font in expected.items():
        style = doc.styles[name].element
        fonts = style.rPr.rFonts
        assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == font
        assert not [k for k in fonts.attrib if k.endswith("Theme") or k.endswith("theme")]
        color = style.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}color")
        assert color is None or (color.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                                 == "000000" and len(color.attrib) == 1)
    assert "w:pBdr" not in doc.styles["Title"].element.xml
    with zipfile.ZipFile(annual_files[".docx"]) as archive:
        fonts = archive.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in fonts and '<w:altName w:val="仿宋"/>' in fonts


def test_docx_page_margins_numbers_and_tables(annual_files, table):
    doc = open_docx(annual_files[".docx"])
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round((section.page_width - section.left_margin - section.right_margin) / 36000) == 156  # EMU per mm
    for footer in (section.footer, section.even_page_footer):
        assert "PAGE" in footer._element.xml and footer.paragraphs[0].text.startswith("— ")
    assert doc.settings.odd_and_even_pages_header_footer
    rounds = round_frame(table)
    numbers = list(rounds.index[rounds["year"] == YEAR])
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [h.split("第")[1].split("轮")[0] for h in headings] == [str(n) for n in numbers]
    assert len(doc.tables) == len(numbers) + 2  # round list + one table per round + coverage
    for grid in doc.tables:
        assert "w:tblHeader" in grid.rows[0]._tr.xml
        widths = [int(c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w"))
                  for c in grid._tbl.tblGrid]
        assert abs(sum(widths) / 20 - section.page_width.pt + section.left_margin.pt + section.right_margin.pt) < 2


def test_staffing_table_seats_every_member_in_post_or_drafted(table, shangluo):
    rows = select(table)
    for number in sorted(rows["round"].unique())[:6]:
        detail = round_details(rows, shangluo, int(number))
        grid = staffing_table(detail)
        assert len(grid.rows) == detail.people
        for team in detail.teams:
            posts = next(t for t in shangluo.teams if t.id == team.team)
            in_post = [m for m in team.members if not m.drafted]
            assert len(team.members) == team.size
            assert len(in_post) == posts.filled
            assert team.members[0].role == "组长" and team.members[0].drafted == team.leader_drafted
            assert sum(m.drafted for m in team.members) == team.drafted + team.leader_drafted
        assert all(row[3] == "" and row[4] == "" for row in grid.rows)  # names are written in by hand


def test_round_plan_totals_drafted_cadres_against_the_pools(fixture_printouts, table, shangluo):
    number = 5
    # write_round(plan_dir, shangluo, number, ["docx", "pdf"], date=DATE), written once a session
    paths = {p.suffix: p for p in fixture_printouts["round"]}
    assert sorted(p.name for p in paths.values()) == ["round-5.docx", "round-5.pdf"]
    detail = round_details(select(table), shangluo, number)
    pool = shangluo.staff.city
    for text in (squeeze(pdf_text(paths[".pdf"])), squeeze(docx_text(paths[".docx"]))):
        assert "中共商洛市委第5轮巡察工作方案" in text
        assert f"需从人才库抽调干部{detail.drafted}人，可抽调{pool.drafted_pool}人" in text
        assert f"可抽调{pool.leader_pool}人" in text
        assert "市委第五巡察组组长和副组长岗位空缺" in text


def test_the_annual_plan_says_what_each_regular_round_lends_to_the_counties(table, shangluo):
    lending = apply_overrides(shangluo, ["linkage.exchange_up=1"])
    plan = annual_plan(table, lending, YEAR, date=DATE)
    counties = len(shangluo.counties)
    assert plan.lent == counties
    text = squeeze(pdf_text_of(to_pdf(annual_document(plan, lending))))
    regular = sum(r.kind == "regular" for r in plan.rounds)
    assert regular and text.count(f"其中{counties}人选派参加县区巡察（上派）") == regular
    sheet = load_workbook(io.BytesIO(annual_workbook(plan)))["轮次安排"]
    notes = [row[-1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == "常规巡察"]
    assert notes and all(f"上派{counties}人" in (note or "") for note in notes)


def test_short_names_keep_the_prefix_that_tells_units_apart(shangluo):
    names = short_names(["市委办公室", "市政府办公室", "市委组织部", "中共商州区委员会"], shangluo)
    assert names == {"市委办公室": "市委办公室", "市政府办公室": "市政府办公室", "市委组织部": "组织部",
                     "中共商州区委员会": "商州区委"}
    county = short_names(["洛南县委办公室", "洛南县政府办公室", "洛南县教育局"], shangluo, "county", "洛南县")
    assert county == {"洛南县委办公室": "县委办公室", "洛南县政府办公室": "县政府办公室", "洛南县教育局": "教育局"}


def test_a_county_committee_gets_its_own_titles_units_and_pools(shangluo):
    shangluo = with_county_theme(shangluo)
    table = county_plan(shangluo)
    plan = annual_plan(table, shangluo, YEAR, level="county", county="洛南县", date=DATE)
    pool = shangluo.policy(Committee("洛南县")).staff
    assert plan.title == "中共洛南县委2028年度巡察工作计划"
    assert plan.signature.issuer == "中共洛南县委巡察工作领导小组办公室"
    assert plan.pools == (pool.drafted_pool, pool.leader_pool)
    units = [t for t in shangluo.targets_of(Committee("洛南县")) if t.category != "village"]  # villages apart
    assert sum(c.due for c in plan.coverage) == len(units)
    assert sum(c.this_year for c in plan.coverage) == 4
    text = squeeze(pdf_text_of(to_pdf(annual_document(plan, shangluo))))
    assert "中共洛南县委2028年度巡察工作计划" in text and "中共商洛市委" not in text
    round_text = squeeze(pdf_text_of(to_pdf(round_document(table, shangluo, 1, level="county", county="洛南县",
                                                           date=DATE))))
    assert "中共洛南县委第1轮巡察工作方案" in round_text
    assert f"可抽调{pool.drafted_pool}人" in round_text
    special = squeeze(pdf_text_of(to_pdf(round_document(table, shangluo, 2, level="county", county="洛南县",
                                                        date=DATE))))
    assert "县直涉农部门和部分镇（街道），约6个单位" in special and "村级组织建设和惠民资金使用情况" in special
    report = report_document(table, shangluo, level="county", county="洛南县", date=DATE)
    assert report.title[0] == "中共洛南县委巡察工作五年规划"
    with pytest.raises(ValueError, match="第1轮"):
        round_document(table, shangluo, 1, date=DATE)  # the city has no round in this table


def test_xlsx_holds_typed_plain_tables_ready_to_print(annual_files):
    book = load_workbook(annual_files[".xlsx"])
    assert book.sheetnames == ["轮次安排", "巡察组安排", "被巡察单位", "人员配备", "覆盖进度"]
    for sheet in book:
        assert not sheet.merged_cells.ranges
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.print_title_rows == "$1:$1"
        setup = sheet.page_setup
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4 and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert all(c.border.left.style == "thin" for row in sheet.iter_rows() for c in row)
    rounds = book["轮次安排"]
    assert rounds.page_setup.orientation == "landscape"
    first = [c.value for c in rounds[2]]
    assert isinstance(first[0], int) and isinstance(first[2], dt.datetime) and first[2].year == YEAR
    assert rounds.cell(2, 3).number_format == "yyyy年m月d日"
    coverage = book["覆盖进度"]
    total = [c.value for c in coverage[coverage.max_row]]
    assert total[0] == "合计" and isinstance(total[1], int) and isinstance(total[5], float)
    assert coverage.cell(coverage.max_row, 6).number_format == "0%"
    staffing = book["人员配备"]
    assert {c.value for c in staffing["D"][1:]} == {"在编", "抽调"}
    assert all(c.value is None for c in staffing["E"][1:])


def test_coverage_adds_up_to_every_city_target_in_the_last_year(table, shangluo):
    last = max(round_frame(table)["year"])
    coverage = annual_plan(table, shangluo, last, date=DATE).coverage
    units = [t for t in shangluo.targets_of(CITY) if t.category != "village"]  # villages are counted apart
    assert sum(c.due for c in coverage) == sum(c.so_far for c in coverage) == len(units)
    assert all(c.remaining == 0 and c.share == 1 for c in coverage)


def tiny_two_years():
    return load_scenario(TINY).replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)})


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    scenario = tiny_two_years()
    plan = write_plan(scenario, tmp_path / "plan")
    table = read_plan(plan).assignments
    year = table["onsite_start"].min().year
    regular = table[table["target"] != ""].index
    table.loc[regular[0], "target_name"] = "=HYPERLINK(\"http://x\",\"y\")"
    table.loc[regular[1], "sector"] = "@SUM(1+1)"
    atomic_write_bytes(plan / ASSIGNMENTS_FILE, assignments_to_csv_bytes(table))
    [path] = write_annual(plan, scenario, year, ["xlsx"], date=DATE)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml for xml in sheets)
    cells = [c for sheet in load_workbook(path) for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "@"))]
    assert {c.value for c in cells} == {"=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)"}
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_report_gives_years_rounds_coverage_and_the_chart(fixture_printouts, shangluo):
    # write_report(plan_dir, shangluo, ["docx", "pdf"], date=DATE), written once a session
    paths = {p.suffix: p for p in fixture_printouts["report"]}
    text = squeeze(pdf_text(paths[".pdf"]))
    assert "中共商洛市委巡察工作五年规划（2027—2031年）" in text
    for year in shangluo.horizon.years:
        assert f"{year}年第" in text
    assert "2031年第17—20轮" in text and "112100%" in text
    assert "附件：巡察工作安排甘特图" in text
    reader = PdfReader(paths[".pdf"])
    last = reader.pages[-1]
    assert last.mediabox.width > last.mediabox.height  # the chart on a landscape page
    pages = pdf_pages(paths[".pdf"])
    assert len(last.images) == 1 and pages[-1].startswith("附件")
    assert "2027年12月20日" in pages[-2]  # 落款 before the attachment
    assert squeeze(pages[-2]).split("中共商洛市委巡察工作领导小组办公室")[0]  # and never alone on its page
    doc = open_docx(paths[".docx"])
    assert len(doc.inline_shapes) == 1
    assert "100%" in docx_text(paths[".docx"])


def test_cli_writes_into_the_plan_directory(tmp_path):
    plan = write_plan(tiny_two_years(), tmp_path / "plan")
    runner = CliRunner()
    for args in (["annual", str(plan), "--year", "2028", "--scenario", str(TINY), "--date", "2027-12-20"],
                 ["report", str(plan), "--scenario", str(TINY), "--format", "pdf"],
                 ["roundplan", str(plan), "--round", "1", "--scenario", str(TINY), "--format", "docx"],
                 ["gantt", str(plan), "--scenario", str(TINY), "--by", "round"],
                 ["gantt", str(plan), "--scenario", str(TINY), "--by", "round", "--lang", "en"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in plan.iterdir()) == sorted(
        ["assignments.csv", "plan.json", "annual-2028.docx", "annual-2028.pdf", "annual-2028.xlsx", "report.pdf",
         "round-1.docx", "gantt-round.png", "gantt-round-en.png"]
    )
    assert "2027年12月20日" in pdf_text(plan / "annual-2028.pdf")


def test_cli_rejects_a_year_or_round_without_rounds_and_unknown_formats(plan_dir):
    runner = CliRunner()
    result = runner.invoke(app, ["annual", str(plan_dir), "--year", "2040"])
    assert result.exit_code == 2 and "2040" in result.output
    result = runner.invoke(app, ["roundplan", str(plan_dir), "--round", "99"])
    assert result.exit_code == 2 and "第99轮" in result.output
    result = runner.invoke(app, ["report", str(plan_dir), "--format", "xlsx"])
    assert result.exit_code == 2 and "xlsx" in result.output


def test_a_special_theme_no_longer_in_the_settings_is_printed_without_a_guessed_scope(shangluo):
    table = county_plan(shangluo)  # the bundled counties have no special themes
    detail = round_details(select(table, "county", "洛南县"), shangluo, 2, "county", "洛南县")
    assert detail.theme.name == "巡镇带村专项巡察" and detail.extent() == "检查范围另行确定"


def test_cli_prints_a_county_committees_plan_under_its_own_name(shangluo, tmp_path):
    plan = write_plan(shangluo, tmp_path / "plan")
    atomic_write_bytes(plan / ASSIGNMENTS_FILE, assignments_to_csv_bytes(county_plan(shangluo)))
    runner = CliRunner()
    result = runner.invoke(app, ["annual", str(plan), "--year", "2028", "--county", "洛南县", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "中共洛南县委2028年度巡察工作计划" in squeeze(pdf_text(plan / "annual-2028-洛南县.pdf"))
    result = runner.invoke(app, ["roundplan", str(plan), "--round", "1", "--county", "无此县", "--format", "pdf"])
    assert result.exit_code == 2 and "无此县" in result.output
