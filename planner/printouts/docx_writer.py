"""Render a :class:`Document` as a Word file laid out to GB/T 9704.

Word takes Chinese glyphs from a run's East Asian font (``w:eastAsia``),
which python-docx has no property for, and a theme font attribute beats a
named font, so every style here names its fonts in all four slots and drops
the theme ones. Styles are black, with no Word theme colour or border.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image

from planner.fonts import BODY, FACES, HEADING_1, HEADING_2, PAGE_NUMBER, TITLE, Face
from planner.printouts import document as layout
from planner.printouts.document import Document, Heading, PageBreak, Paragraph, Picture, Table
from planner.printouts.rounds import fullwidth

TABLE_TEXT = "Table Text"
TABLE_HEADING = "Table Heading"
PLAIN = "Plain"  # body font without the first-line indent: 份号, 落款
CLASSIFICATION = "Classification"  # 密级★保密期限 in 黑体
FONT_KEYS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
THEME_KEYS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
PANOSE_FAMILY = {"SimHei": "modern", "黑体": "modern"}
PICTURE_MARGIN_MM = 15.0
# Children of w:pPr from w:autoSpaceDE on, in schema order: what a new w:autoSpaceDE/DN goes before.
PPR_AFTER_AUTOSPACE = ("w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
                       "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                       "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                       "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def to_docx(document: Document) -> bytes:
    doc = new_docx()
    _styles(doc)
    _font_table(doc)
    section = doc.sections[0]
    _portrait(section)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_numbers(section)
    for line in document.header.lines():
        doc.add_paragraph(line, style=PLAIN if line[0].isdigit() else CLASSIFICATION)
    title = doc.add_paragraph(style="Title")
    for i, line in enumerate(document.title):
        if i:
            title.add_run().add_break()
        title.add_run(fullwidth(line))
    doc.add_paragraph(style=PLAIN)  # GB/T 9704: one empty line below the title
    for block in document.blocks:
        _add_block(doc, block)
    if document.signature:
        _add_signature(doc, document.signature)
    for number, attachment in enumerate(document.attachments, start=1):
        label = "附件" if len(document.attachments) == 1 else f"附件{number}"
        _add_picture(doc, attachment, label)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _add_block(doc, block) -> None:
    if isinstance(block, Heading):
        doc.add_paragraph(fullwidth(block.text), style=f"Heading {min(block.level, 2)}")
    elif isinstance(block, Paragraph):
        doc.add_paragraph(fullwidth(block.text))
    elif isinstance(block, Table):
        _add_table(doc, block)
    elif isinstance(block, PageBreak):
        doc.add_paragraph(style=PLAIN).add_run().add_break(WD_BREAK.PAGE)


def _fonts(rpr, face: Face) -> None:
    fonts = rpr.get_or_add_rFonts()
    for key in THEME_KEYS:
        fonts.attrib.pop(qn(key), None)
    for key in FONT_KEYS:
        fonts.set(qn(key), face.docx)


def _style(style, face: Face, size: float, *, indent: bool, align=WD_ALIGN_PARAGRAPH.JUSTIFY, exact: bool = True):
    _fonts(style.element.get_or_add_rPr(), face)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    color = style.element.rPr.find(qn("w:color"))
    for key in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(key), None)
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for key in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and digits
        node = ppr.find(qn(key))
        if node is None:
            node = OxmlElement(key)
            ppr.insert_element_before(node, *PPR_AFTER_AUTOSPACE[PPR_AFTER_AUTOSPACE.index(key) + 1:])
        node.set(qn("w:val"), "0")
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * layout.BODY_PT) if indent else Pt(0)
    fmt.alignment = align
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(layout.LINE_PITCH_PT)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return style


def _styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, BODY)
    rpr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    styles = doc.styles
    _style(styles["Normal"], BODY, layout.BODY_PT, indent=True)
    _style(styles["Title"], TITLE, layout.TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    styles["Title"].element.rPr.remove(styles["Title"].element.rPr.find(qn("w:spacing")))
    _style(styles["Heading 1"], HEADING_1, layout.BODY_PT, indent=True)
    _style(styles["Heading 2"], HEADING_2, layout.BODY_PT, indent=True)
    for name, face, size in ((PLAIN, BODY, layout.BODY_PT), (CLASSIFICATION, HEADING_1, layout.BODY_PT),
                             (TABLE_TEXT, BODY, layout.TABLE_PT), (TABLE_HEADING, HEADING_1, layout.TABLE_PT)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _style(style, face, size, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, exact=size == layout.BODY_PT)


def _font_table(doc) -> None:
    """Name each font with the standard Windows font Word substitutes where it is not installed."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for face in FACES:
        font = OxmlElement("w:font")
        font.set(qn("w:name"), face.docx)
        for tag, value in (("w:altName", face.docx_fallback), ("w:charset", "86"),
                           ("w:family", PANOSE_FAMILY.get(face.docx_fallback, "roman")), ("w:pitch", "variable")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    part._blob = serialize_part_xml(root)


def _portrait(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.PAGE_MM[0]), Mm(layout.PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(layout.MARGIN_TOP_MM), Mm(layout.MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(layout.MARGIN_LEFT_MM), Mm(layout.MARGIN_RIGHT_MM)
    # The number's top 7 mm below the type area.
    section.footer_distance = Mm(layout.MARGIN_BOTTOM_MM - layout.PAGE_NUMBER_GAP_MM) - Pt(layout.PAGE_NUMBER_PT * 1.2)


def _page_numbers(section) -> None:
    """— 1 —: odd pages on the right, even pages on the left, one character in (GB/T 9704 7.5)."""
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(layout.PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(layout.PAGE_NUMBER_PT)
        before, after = layout.page_number_text(0).split("0")
        for text in (before, None, after):
            run = paragraph.add_run()
            _fonts(run._r.get_or_add_rPr(), PAGE_NUMBER)
            run.font.size = Pt(layout.PAGE_NUMBER_PT)
            if text is not None:
                run.text = text
                continue
            for kind, value in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
                if kind == "instr":
                    node = OxmlElement("w:instrText")
                    node.set(qn("xml:space"), "preserve")
                    node.text = value
                elif kind == "text":
                    node = OxmlElement("w:t")
                    node.text = value
                else:
                    node = OxmlElement("w:fldChar")
                    node.set(qn("w:fldCharType"), kind)
                run._r.append(node)


def _add_table(doc, table: Table) -> None:
    section = doc.sections[-1]
    usable = section.page_width - section.left_margin - section.right_margin
    widths = table.widths(usable / Pt(layout.TABLE_PT), autospace=True)
    twips = [int(w * layout.TABLE_PT * 20) for w in widths]
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    properties = grid._tbl.tblPr
    layout_node = OxmlElement("w:tblLayout")
    layout_node.set(qn("w:type"), "fixed")
    properties.append(layout_node)
    for col, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), twips):
        col.set(qn("w:w"), str(width))
    for row in grid.rows:  # a row stays on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    header = grid.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    for c, name in enumerate(table.columns):
        _cell(header.cells[c], name, TABLE_HEADING, twips[c], centred=True)
    spans = table.spans()
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            if spans[r][c] == 0:
                continue
            cell = grid.cell(r + 1, c)
            if spans[r][c] > 1:
                cell = cell.merge(grid.cell(r + spans[r][c], c))
            _cell(cell, value or "", TABLE_TEXT, twips[c], centred=c in table.centred)
    doc.add_paragraph(style=PLAIN)


def _cell(cell, text: str, style: str, width_twips: int, *, centred: bool) -> None:
    cell.width = width_twips * 635  # EMU per twip
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.text = fullwidth(text)
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _add_signature(doc, signature) -> None:
    """落款: the wider of name and date two characters from the right, the other centred under or over it.

    The text's last paragraph and the blank line keep with it: a 落款 never stands alone on a page.
    """
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph(style=PLAIN).paragraph_format.keep_with_next = True
    name, date = signature.issuer, signature.date_text
    wide = max(layout.text_em(name), layout.text_em(date))
    for text in (name, date):
        paragraph = doc.add_paragraph(text, style=PLAIN)
        paragraph.paragraph_format.keep_with_next = text == name
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        indent = 2 + (wide - layout.text_em(text)) / 2
        paragraph.paragraph_format.right_indent = Pt(indent * layout.BODY_PT)


def _add_picture(doc, picture: Picture, label: str) -> None:
    """The attachment on landscape pages (to the end): 附件, its caption, the picture scaled to fit."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(layout.PAGE_MM[1]), Mm(layout.PAGE_MM[0])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(PICTURE_MARGIN_MM))
    section.footer_distance = Mm(PICTURE_MARGIN_MM / 3)
    doc.add_paragraph(label, style="Heading 1").paragraph_format.first_line_indent = Pt(0)
    doc.add_paragraph(picture.caption, style="Title")
    width, height = Image.open(io.BytesIO(picture.png)).size
    usable_width = section.page_width - 2 * Mm(PICTURE_MARGIN_MM)
    # Room for 附件, the caption, and the page number's line.
    usable_height = section.page_height - 2 * Mm(PICTURE_MARGIN_MM) - Pt(4 * layout.LINE_PITCH_PT)
    scale = min(usable_width / width, usable_height / height)
    doc.add_picture(io.BytesIO(picture.png), width=int(width * scale), height=int(height * scale))
    holder = doc.paragraphs[-1]
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.first_line_indent = Pt(0)
    holder.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact line height would clip it
