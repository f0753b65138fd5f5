"""Render a :class:`Document` as an A4 PDF with the CJK font embedded and numbered pages."""

from __future__ import annotations

import io

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode

from planner.fonts import font_path
from planner.printouts.document import Document, Heading, Paragraph, Picture, Table

FONT = "cjk"
HEADING_SIZES = {1: 14, 2: 12}
BODY_SIZE = 10.5
TABLE_SIZE = 8.5
HEADER_FILL = (225, 230, 240)


class _Pages(FPDF):
    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=9)
        self.cell(0, 8, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")


def to_pdf(document: Document) -> bytes:
    pdf = _Pages(format="A4")
    pdf.set_title(document.title)
    pdf.add_font(FONT, fname=str(font_path()))
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.multi_cell(0, 11, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for block in document.blocks:
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            pdf.set_font(FONT, size=BODY_SIZE)
            pdf.multi_cell(0, 6.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Picture):
            _picture(pdf, block)
    return bytes(pdf.output())


def _heading(pdf: FPDF, heading: Heading) -> None:
    size = HEADING_SIZES.get(heading.level, BODY_SIZE)
    if pdf.will_page_break(size * 3):  # keep a heading with what follows
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, size=size)
    pdf.multi_cell(0, size * 0.6, heading.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(FONT, size=TABLE_SIZE)
    spans = table.spans()
    with pdf.table(
        col_widths=table.widths,
        line_height=TABLE_SIZE * 0.55,
        text_align="LEFT",
        headings_style=FontFace(fill_color=HEADER_FILL),
        cell_fill_mode=TableCellFillMode.NONE,
        v_align="MIDDLE",
    ) as grid:
        header = grid.row()
        for name in table.columns:
            header.cell(name)
        for r, values in enumerate(table.rows):
            row = grid.row()
            for c, value in enumerate(values):
                if spans[r][c]:
                    row.cell(value or "", rowspan=spans[r][c])
    pdf.ln(3)


def _picture(pdf: FPDF, picture: Picture) -> None:
    """The picture alone on a landscape page, scaled to fit with its caption."""
    pdf.add_page(orientation="L")
    width = pdf.epw
    height = pdf.eph - 12
    pdf.image(io.BytesIO(picture.png), w=width, h=height, keep_aspect_ratio=True)
    pdf.set_font(FONT, size=BODY_SIZE)
    pdf.multi_cell(0, 6, picture.caption, align="C", new_x="LMARGIN", new_y="NEXT")
