"""A printout as plain blocks, rendered alike by the DOCX and PDF writers.

The page follows GB/T 9704-2012 (党政机关公文格式): A4, a 156 mm x 225 mm type
area 37 mm from the top and 28 mm from the left edge, 22 lines of 28
characters of 三号 (16 pt) text, the title in 二号 (22 pt), page numbers
"— 1 —" in 四号 (14 pt) 7 mm below the type area, odd pages on the right and
even pages on the left, one character in from the edge.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

PAGE_MM = (210.0, 297.0)
MARGIN_TOP_MM = 37.0
MARGIN_LEFT_MM = 28.0
TEXT_WIDTH_MM = 156.0
TEXT_HEIGHT_MM = 225.0
MARGIN_RIGHT_MM = PAGE_MM[0] - MARGIN_LEFT_MM - TEXT_WIDTH_MM
MARGIN_BOTTOM_MM = PAGE_MM[1] - MARGIN_TOP_MM - TEXT_HEIGHT_MM
PAGE_NUMBER_GAP_MM = 7.0
LINES_PER_PAGE = 22
BODY_PT = 16.0  # 三号
TITLE_PT = 22.0  # 二号
PAGE_NUMBER_PT = 14.0  # 四号
TABLE_PT = 10.5  # 五号
LINE_PITCH_PT = TEXT_HEIGHT_MM / LINES_PER_PAGE / 25.4 * 72
TABLE_PADDING_EM = 0.8  # cell padding, left and right together
FIT_SLACK_EM = 0.4  # rounding and the writers' own cell margins
MIN_WRAPPED_EM = 4.0


def page_number_text(number: int) -> str:
    """— 1 —: the number between two 一字线 (GB/T 9704 7.5)."""
    return f"— {number} —"


AUTOSPACE_EM = 0.25


def text_em(text: str, autospace: bool = False) -> float:
    """Width of ``text`` in em of its font size: wide (CJK) characters 1, others about half.

    With ``autospace``, add the quarter em that Word (unless told not to) and
    LibreOffice (always) put between Chinese and Latin characters.
    """
    wide = [unicodedata.east_asian_width(c) in "WF" for c in text]
    width = sum(1.0 if w else 0.55 for w in wide)
    if autospace:
        width += AUTOSPACE_EM * sum(a != b for a, b in zip(wide, wide[1:]))
    return width


@dataclass(frozen=True)
class Heading:
    """一、 (level 1, 黑体) or （一） (level 2, 楷体); the text carries its number."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text, first line indented two characters."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table; a ``None`` cell continues the cell above it (merged vertically).

    ``wrap`` names the columns whose text may break over lines when the
    table is wider than the page; every other column keeps its longest
    text on one line. ``centred`` columns (numbers, short codes) are centred.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    wrap: tuple[int, ...] = ()
    centred: tuple[int, ...] = ()

    def spans(self) -> list[list[int]]:
        """Rows each cell spans: 0 for a continued cell, else 1 + the ``None`` cells below it."""
        spans = [[1] * len(self.columns) for _ in self.rows]
        for c in range(len(self.columns)):
            start = None
            for r, row in enumerate(self.rows):
                if row[c] is None and start is not None:
                    spans[start][c] += 1
                    spans[r][c] = 0
                else:
                    start = r
        return spans

    def widths(self, width_em: float, autospace: bool = False) -> list[float]:
        """Column widths in em that add up to ``width_em``, fitted to the content.

        A column needs its longest cell on one line; a heading of four or
        more characters may break into two lines over narrow values. If the table is wider than the
        page, the ``wrap`` columns give up room, each down to
        MIN_WRAPPED_EM; if that is still too wide, all shrink alike. Spare
        room goes to the ``wrap`` columns (else to all).
        """
        need = []
        for c, name in enumerate(self.columns):
            cells = [text_em(row[c], autospace) for row in self.rows if row[c]]
            heading = text_em(name) if len(name) <= 3 else text_em(name[: (len(name) + 1) // 2])
            need.append(max([heading, *cells]) + TABLE_PADDING_EM + FIT_SLACK_EM)
        flexible = [c for c in self.wrap if c < len(need)] or list(range(len(need)))
        total = sum(need)
        if total <= width_em:
            spare = width_em - total
            share = sum(need[c] for c in flexible)
            return [w + (spare * w / share if c in flexible else 0) for c, w in enumerate(need)]
        fixed = sum(w for c, w in enumerate(need) if c not in flexible)
        room = width_em - fixed
        floor = [min(need[c], MIN_WRAPPED_EM) for c in flexible]
        if room >= sum(floor):
            wanted = sum(need[c] for c in flexible)
            widths = list(need)
            for c, low in zip(flexible, floor):
                widths[c] = max(low, need[c] * room / wanted)
            excess = sum(widths) - width_em
            loose = [c for c in flexible if widths[c] > MIN_WRAPPED_EM]
            for c in loose:
                widths[c] -= excess * widths[c] / sum(widths[k] for k in loose)
            return widths
        return [w * width_em / total for w in need]


@dataclass(frozen=True)
class Picture:
    """A chart on a landscape page of its own."""

    png: bytes
    caption: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Picture | PageBreak


@dataclass(frozen=True)
class Header:
    """Lines above the title (GB/T 9704 7.2): 份号 and 密级★保密期限, both optional."""

    copy_number: int | None = None
    classification: str = ""
    secrecy_period: str = ""

    def lines(self) -> list[str]:
        lines = [f"{self.copy_number:06d}"] if self.copy_number else []
        if self.classification:
            lines.append(self.classification + (f"★{self.secrecy_period}" if self.secrecy_period else ""))
        return lines


@dataclass(frozen=True)
class Signature:
    """落款: the issuing body's name above the date written (成文日期)."""

    issuer: str
    date: dt.date

    @property
    def date_text(self) -> str:
        return f"{self.date.year}年{self.date.month}月{self.date.day}日"


@dataclass(frozen=True)
class Document:
    """A printout; ``title`` lines are set one below the other (GB/T 9704: 回行词意完整).

    ``attachments`` (附件) follow the 落款, each from a new page under the word 附件.
    """

    title: tuple[str, ...]
    blocks: tuple[Block, ...]
    signature: Signature | None = None
    header: Header = field(default_factory=Header)
    attachments: tuple[Picture, ...] = ()

    @property
    def title_text(self) -> str:
        return "".join(self.title)
