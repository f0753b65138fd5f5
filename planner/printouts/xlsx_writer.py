"""The annual plan as a workbook: a summary sheet, then one sheet per round.

Names in a plan come from spreadsheets people typed; a text cell starting with
``=``, ``+``, ``-`` or ``@`` is stored as quoted text so that no formula runs
when the file is opened.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from planner.printouts.annual import AnnualPlan
from planner.printouts.document import Table

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="E1E6F0")
WIDTH_PER_UNIT = 0.9  # characters per relative width unit


def annual_workbook(plan: AnnualPlan) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    _title(summary, 1, plan.title, size=14)
    _write(summary, 2, 1, plan.intro)
    row = _table(summary, 4, plan.round_list)
    _title(summary, row + 1, "巡察全覆盖进度")
    row = _table(summary, row + 2, plan.coverage)
    if plan.note:
        _write(summary, row + 1, 1, plan.note)
    for section in plan.rounds:
        sheet = book.create_sheet(f"第{section.number}轮")
        _title(sheet, 1, section.heading, size=13)
        _write(sheet, 2, 1, section.summary)
        _table(sheet, 4, section.table)
        sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write(sheet: Worksheet, row: int, column: int, value):
    cell = sheet.cell(row, column, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _title(sheet: Worksheet, row: int, text: str, size: int = 12) -> None:
    _write(sheet, row, 1, text).font = Font(size=size, bold=True)


def _table(sheet: Worksheet, top: int, table: Table) -> int:
    """Write ``table`` with its header at row ``top``; return the last row used."""
    for c, name in enumerate(table.columns, start=1):
        cell = _write(sheet, top, c, name)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    spans = table.spans()
    for r, values in enumerate(table.rows):
        for c, value in enumerate(values):
            if not spans[r][c]:
                continue
            row = top + 1 + r
            cell = _write(sheet, row, c + 1, int(value) if value and value.isdigit() else value)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            if spans[r][c] > 1:
                sheet.merge_cells(start_row=row, start_column=c + 1, end_row=row + spans[r][c] - 1, end_column=c + 1)
    for c, width in enumerate(table.widths, start=1):
        letter = sheet.cell(top, c).column_letter
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width * WIDTH_PER_UNIT + 2)
    return top + len(table.rows)
