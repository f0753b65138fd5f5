"""Render a :class:`Document` as an A4 PDF laid out to GB/T 9704, its fonts embedded.

Paragraphs open with two ideographic spaces (the two-character indent of
Chinese text); the title's outlines are stroked as well as filled, which
makes the serif as heavy as a 小标宋 title (see :mod:`planner.fonts`).
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, TextMode

from planner.fonts import BODY, HEADING_1, HEADING_2, PAGE_NUMBER, PDF_FONT_FILES, TITLE, Face, pdf_font_path
from planner.printouts import document as layout
from planner.printouts.document import Document, Heading, PageBreak, Paragraph, Picture, Signature, Table
from planner.printouts.rounds import fullwidth

PT = 25.4 / 72  # mm per point
# 避头尾: marks that never open a line, and marks that never close one.
NO_LINE_START = set("，。、；：？！）》」』”’…—%·")
NO_LINE_END = set("（《「『“‘")
TOKEN = re.compile(r"[A-Za-z0-9.%]+|.", re.S)
PITCH = layout.LINE_PITCH_PT * PT
TITLE_STROKE_MM = 0.3
TABLE_LINE = layout.TABLE_PT * 1.45 * PT
TABLE_PADDING = (0.9, layout.TABLE_PADDING_EM / 2 * layout.TABLE_PT * PT)
PICTURE_MARGIN_MM = 15.0
HEADING_FACES = {1: HEADING_1, 2: HEADING_2}


class _Pages(FPDF):
    def footer(self) -> None:
        """— 1 —, 7 mm below the type area: odd pages on the right, even pages on the left."""
        _face(self, PAGE_NUMBER, layout.PAGE_NUMBER_PT)
        text = layout.page_number_text(self.page_no())
        inset = layout.PAGE_NUMBER_PT * PT
        width = self.get_string_width(text)
        bottom = layout.MARGIN_BOTTOM_MM if self.cur_orientation == "P" else PICTURE_MARGIN_MM
        self.set_y(self.h - bottom + layout.PAGE_NUMBER_GAP_MM)
        left = self.l_margin + inset if self.page_no() % 2 == 0 else self.w - self.r_margin - inset - width
        self.set_x(left)
        self.cell(width, layout.PAGE_NUMBER_PT * PT, text)


def _face(pdf: FPDF, face: Face, size: float) -> None:
    pdf.set_font(face.pdf, size=size)


@contextmanager
def _title_face(pdf: FPDF):
    """The title font; outlines stroked as well as filled where the face is emboldened."""
    _face(pdf, TITLE, layout.TITLE_PT)
    mode = TextMode.FILL_STROKE if TITLE.emboldened else TextMode.FILL
    with pdf.local_context(text_mode=mode, line_width=TITLE_STROKE_MM):
        yield


def to_pdf(document: Document) -> bytes:
    pdf = _Pages(format="A4", unit="mm")
    pdf.set_title(fullwidth(document.title_text))
    pdf.set_lang("zh-CN")
    for name in PDF_FONT_FILES:
        pdf.add_font(name, fname=str(pdf_font_path(name)))
    pdf.set_margins(layout.MARGIN_LEFT_MM, layout.MARGIN_TOP_MM, layout.MARGIN_RIGHT_MM)
    pdf.set_auto_page_break(True, margin=layout.MARGIN_BOTTOM_MM)
    pdf.add_page()
    for line in document.header.lines():
        _face(pdf, BODY if line[0].isdigit() else HEADING_1, layout.BODY_PT)
        pdf.cell(0, PITCH, line, new_x="LMARGIN", new_y="NEXT")
    with _title_face(pdf):
        for line in document.title:
            pdf.multi_cell(0, PITCH, fullwidth(line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(PITCH)
    last = len(document.blocks) - 1
    for i, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            _heading(pdf, block)
        elif isinstance(block, Paragraph):
            _face(pdf, BODY, layout.BODY_PT)
            text = fullwidth(block.text)
            if i == last and document.signature:  # GB/T 9704: the 落款 never stands alone on a page
                lines = len(_break_lines(pdf, text, pdf.epw - 2 * layout.BODY_PT * PT, pdf.epw))
                if pdf.will_page_break((lines + 3) * PITCH):
                    pdf.add_page()
            _text(pdf, text, justify=True)
        elif isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, PageBreak):
            pdf.add_page()
    if document.signature:
        _signature(pdf, document.signature)
    for number, attachment in enumerate(document.attachments, start=1):
        _picture(pdf, attachment, "附件" if len(document.attachments) == 1 else f"附件{number}")
    return bytes(pdf.output())


def _heading(pdf: FPDF, heading: Heading) -> None:
    if pdf.will_page_break(3 * PITCH):  # keep a heading with what follows
        pdf.add_page()
    _face(pdf, HEADING_FACES.get(heading.level, HEADING_2), layout.BODY_PT)
    _text(pdf, fullwidth(heading.text), justify=False)


def _text(pdf: FPDF, text: str, *, justify: bool) -> None:
    """Lines of Chinese text, the first indented two characters, each but the last justified by letter spacing."""
    indent = 2 * layout.BODY_PT * PT
    lines = _break_lines(pdf, text, pdf.epw - indent, pdf.epw)
    for i, line in enumerate(lines):
        width = pdf.epw - (indent if i == 0 else 0)
        pdf.set_char_spacing(0)
        spacing = 0.0
        if justify and i < len(lines) - 1 and len(line) > 1:
            spacing = (width - pdf.get_string_width(line)) / len(line) / PT  # fpdf2 spaces after every character
        pdf.set_x(pdf.l_margin + (indent if i == 0 else 0))
        pdf.set_char_spacing(spacing)
        pdf.cell(width, PITCH, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_char_spacing(0)


def _break_lines(pdf: FPDF, text: str, first: float, width: float) -> list[str]:
    """Greedy line breaks between characters (numbers kept whole) that obey 避头尾."""
    tokens = TOKEN.findall(text)
    lines: list[str] = []
    line: list[str] = []
    for token in tokens:
        room = first if not lines else width
        if line and pdf.get_string_width("".join(line) + token) > room:
            cut = len(line)
            # Pull a character down rather than start a line with a closing mark or end one with an opening mark.
            if token[0] in NO_LINE_START and cut > 1:
                cut -= 1
            while cut > 1 and line[cut - 1][-1] in NO_LINE_END:
                cut -= 1
            lines.append("".join(line[:cut]))
            line = line[cut:]
        line.append(token)
    return lines + ["".join(line)] if line else lines


def _table(pdf: FPDF, table: Table) -> None:
    em = layout.TABLE_PT * PT
    widths = table.widths(pdf.epw / em)
    if pdf.will_page_break(3 * TABLE_LINE + 2 * TABLE_PADDING[0]):
        pdf.add_page()
    pdf.ln(PITCH / 4)
    _face(pdf, BODY, layout.TABLE_PT)
    spans = table.spans()
    align = tuple("CENTER" if c in table.centred else "LEFT" for c in range(len(table.columns)))
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        line_height=TABLE_LINE,
        text_align=align,
        headings_style=FontFace(family=HEADING_1.pdf, size_pt=layout.TABLE_PT, emphasis=""),
        cell_fill_mode=TableCellFillMode.NONE,
        v_align="MIDDLE",
        padding=TABLE_PADDING,
    ) as grid:
        header = grid.row()
        for name in table.columns:
            header.cell(name, align="CENTER")
        for r, values in enumerate(table.rows):
            row = grid.row()
            for c, value in enumerate(values):
                if spans[r][c]:
                    row.cell(fullwidth(value or ""), rowspan=spans[r][c])
    pdf.ln(PITCH / 2)


def _signature(pdf: FPDF, signature: Signature) -> None:
    """落款: the wider of name and date two characters from the right, the other centred under or over it."""
    _face(pdf, BODY, layout.BODY_PT)
    if pdf.will_page_break(3 * PITCH):
        pdf.add_page()
    pdf.ln(PITCH)
    texts = (signature.issuer, signature.date_text)
    wide = max(pdf.get_string_width(t) for t in texts)
    right = pdf.w - pdf.r_margin - 2 * layout.BODY_PT * PT
    for text in texts:
        width = pdf.get_string_width(text)
        pdf.set_x(right - wide + (wide - width) / 2)
        pdf.cell(width, PITCH, text, new_x="LMARGIN", new_y="NEXT")


def _picture(pdf: FPDF, picture: Picture, label: str) -> None:
    """The attachment on a landscape page: 附件, its caption, the picture scaled to fit."""
    pdf.set_margins(PICTURE_MARGIN_MM, PICTURE_MARGIN_MM, PICTURE_MARGIN_MM)
    pdf.set_auto_page_break(True, margin=PICTURE_MARGIN_MM)
    pdf.add_page(orientation="L")
    _face(pdf, HEADING_1, layout.BODY_PT)
    pdf.cell(0, PITCH, label, new_x="LMARGIN", new_y="NEXT")
    with _title_face(pdf):
        pdf.cell(0, PITCH, picture.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(picture.png), w=pdf.epw, h=pdf.h - pdf.get_y() - PICTURE_MARGIN_MM - 2,
              keep_aspect_ratio=True)
