"""The annual plan as a workbook the office can sort, filter, fill in and print.

One plain table per sheet, its header in row 1: rounds, teams, units,
staffing (with blank name cells) and coverage. Dates are dates and counts
numbers; no cell is merged. Every sheet has borders, a frozen header, a
filter and a page setup: A4, landscape when wide, fitted to the page width,
the header row repeated on every printed page, the plan's title above.

Names in a plan come from spreadsheets people typed; a text cell starting
with ``=``, ``+``, ``-`` or ``@`` is stored as quoted text so that no formula
runs when the file is opened.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planner.printouts.annual import AnnualPlan
from planner.printouts.document import text_em
from planner.printouts.rounds import LEADER_SOURCES, exchange_note, fullwidth, kind_label
from planner.vocabulary import CATEGORY_LABELS

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TEXT_FONT = Font(name="宋体", size=11)
HEADER_FONT = Font(name="黑体", size=11)
DATE_FORMAT = "yyyy年m月d日"
PERCENT_FORMAT = "0%"
MAX_WIDTH = 40  # characters; longer text wraps
LANDSCAPE_FROM = 95  # characters of total column width
HEADER_HEIGHT = 30  # points: two lines


def annual_workbook(plan: AnnualPlan) -> bytes:
    book = Workbook()
    book.properties.title = plan.title
    book.remove(book.active)
    continuing = {r.number: "上年度延续" for r in plan.rounds if r.number in plan.started_before}
    drafted_pool, leader_pool = plan.pools
    _sheet(book, "轮次安排", plan.title,
           ("轮次", "类型", "进驻开始", "进驻结束", "巡察组", "巡察干部", "抽调干部", "可抽调干部", "抽调组长",
            "可抽调组长", "巡察单位", "专项巡察主题", "检查范围", "备注"),
           [(r.number, kind_label(r.kind), r.onsite_start, r.onsite_end, len(r.teams), r.people, r.drafted,
             drafted_pool, r.drafted_leaders, leader_pool, r.unit_count if r.theme is None else None,
             r.theme.name if r.theme else "", r.extent() if r.theme else "",
             "；".join(filter(None, (continuing.get(r.number, "跨年度" if r.onsite_end.year > plan.year else ""),
                                    exchange_note(r.kind, plan.county, plan.lent, short=True)))))
            for r in plan.rounds])
    _sheet(book, "巡察组安排", plan.title,
           ("轮次", "类型", "巡察组", "组长", "人数", "其中抽调", "进驻开始", "进驻结束", "巡察单位", "专项巡察主题"),
           [(r.number, kind_label(r.kind), t.name, LEADER_SOURCES[t.leader_drafted], t.size, t.drafted,
             t.onsite_start, t.onsite_end, len(t.units) if r.theme is None else None, r.theme.name if r.theme else "")
            for r in plan.rounds for t in r.teams])
    _sheet(book, "被巡察单位", plan.title,
           ("轮次", "巡察组", "被巡察单位", "类别", "所属系统", "进驻开始", "进驻结束"),
           [(r.number, t.name, name, category, sector, t.onsite_start, t.onsite_end)
            for r in plan.rounds for t in r.teams for u in t.units
            for name, category, sector in ((u.name, u.category, u.sector),
                                           *((v, CATEGORY_LABELS["village"], f"随{u.name}巡察") for v in u.villages))])
    _sheet(book, "人员配备", plan.title,
           ("轮次", "巡察组", "职务", "人员来源", "姓名", "工作单位及职务"),
           [(r.number, t.name, m.role, LEADER_SOURCES[m.drafted], "", "")
            for r in plan.rounds for t in r.teams for m in t.members])
    rows = [(c.category, c.due, c.this_year, c.so_far, c.remaining, c.share) for c in plan.coverage]
    due, done = sum(c.due for c in plan.coverage), sum(c.so_far for c in plan.coverage)
    rows.append(("合计", due, sum(c.this_year for c in plan.coverage), done, due - done, done / due if due else None))
    _sheet(book, "覆盖进度", plan.title, ("类别", "应巡察", "本年度", "累计", "尚余", "累计覆盖率"), rows,
           percent=(5,))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(book: Workbook, name: str, title: str, columns: Sequence[str], rows: list[tuple],
           percent: Sequence[int] = ()) -> Worksheet:
    sheet = book.create_sheet(name)
    # A heading of four or more characters may take two lines.
    widths = [text_em(c if len(c) <= 3 else c[: (len(c) + 1) // 2]) * 2 + 2 for c in columns]
    sheet.row_dimensions[1].height = HEADER_HEIGHT
    for c, column in enumerate(columns, start=1):
        cell = _write(sheet, 1, c, column)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = _write(sheet, r, c, fullwidth(value) if isinstance(value, str) else value)
            cell.font, cell.border = TEXT_FONT, BORDER
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
                widths[c - 1] = max(widths[c - 1], 16)
            elif c - 1 in percent:
                cell.number_format = PERCENT_FORMAT
            elif isinstance(value, str):
                widths[c - 1] = max(widths[c - 1], text_em(value) * 2 + 2)
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(width, MAX_WIDTH)
    last = f"{get_column_letter(len(columns))}{max(2, len(rows) + 1)}"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}"
    fit_to_page_width(sheet, landscape=sum(min(w, MAX_WIDTH) for w in widths) > LANDSCAPE_FROM)
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = f"{title}　{name}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    return sheet


def fit_to_page_width(sheet: Worksheet, landscape: bool = True) -> None:
    """Print on A4, one page wide, as many pages long as it takes."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write(sheet: Worksheet, row: int, column: int, value):
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
