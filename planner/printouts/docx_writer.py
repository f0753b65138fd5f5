"""Render a :class:`Document` as a Word file with real headings, tables and page numbers."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from PIL import Image

from planner.fonts import DOCX_BODY_FONT, DOCX_HEADING_FONT
from planner.printouts.document import Document, Heading, Paragraph, Picture, Table

STYLE_FONTS = {"Normal": (DOCX_BODY_FONT, 11), "Title": (DOCX_HEADING_FONT, 20), "Heading 1": (DOCX_HEADING_FONT, 15),
               "Heading 2": (DOCX_HEADING_FONT, 13)}


def to_docx(document: Document) -> bytes:
    doc = new_docx()
    for name, (font, size) in STYLE_FONTS.items():
        style = doc.styles[name]
        style.font.size = Pt(size)
        # Word picks Chinese glyphs from the East Asian font slot, which python-docx has no property for.
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    _page_number_footer(section)
    title = doc.add_heading(document.title, 0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            doc.add_paragraph(block.text)
        elif isinstance(block, Table):
            _add_table(doc, block)
        elif isinstance(block, Picture):
            _add_picture(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page_number_footer(section) -> None:
    """第 N 页: a PAGE field, which python-docx offers no call for."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" 页")


def _add_table(doc, table: Table) -> None:
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    usable = doc.sections[-1].page_width - doc.sections[-1].left_margin - doc.sections[-1].right_margin
    total = sum(table.widths)
    for column, width in zip(grid.columns, table.widths):
        for cell in column.cells:
            cell.width = int(usable * width / total)
    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    for cell, name in zip(header.cells, table.columns):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
    spans = table.spans()
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            if spans[r][c] == 0:
                continue
            cell = grid.cell(r + 1, c)
            if spans[r][c] > 1:
                cell = cell.merge(grid.cell(r + spans[r][c], c))
            cell.text = value or ""
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _add_picture(doc, picture: Picture) -> None:
    """The picture on landscape pages (to the end), scaled to fit one page with its caption."""
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    width, height = Image.open(io.BytesIO(picture.png)).size
    usable_width = section.page_width - 2 * Mm(15)
    usable_height = section.page_height - 2 * Mm(15) - Mm(15)  # room for the caption
    scale = min(usable_width / width, usable_height / height)
    doc.add_picture(io.BytesIO(picture.png), width=int(width * scale), height=int(height * scale))
    doc.add_paragraph(picture.caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
