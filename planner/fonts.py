"""Fonts of the charts and printouts, every one shipped by a PyPI package; no system font is assumed.

Charts use WenQuanYi Micro Hei (文泉驿微米黑, Apache 2.0) from
``paperang-p2-fonts-cjk`` (about 5 MB): it has TrueType outlines, so
matplotlib embeds it as Type 42.

Printouts follow GB/T 9704 (党政机关公文格式), which sets the title in 小标宋,
the text in 仿宋, first-level headings in 黑体 and second-level headings in 楷体.
A DOCX names fonts without embedding them, so it names the ones installed in
every Chinese government office (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312)
and records in its font table the standard Windows font Word falls back to
where one is missing. A PDF embeds its fonts, and no free 仿宋 or 楷 font is
published on PyPI (LXGW WenKai, a free 楷, exists only as Debian and npm
packages), so the PDF uses Noto Serif SC (思源宋体) for title, text and 楷体
headings, the title emboldened by stroking its outlines the way 小标宋 is
heavier than the text, and Noto Sans SC (思源黑体) for 黑体. Both come from
``pylopdf-fonts-zh-cn`` (about 17 MB, SIL Open Font License 1.1) as CFF
OpenType fonts, which fpdf2 subsets and embeds.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib
import pylopdf_fonts_zh_cn
from matplotlib import font_manager

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"
# What an SVG names for its text: the embedded-in-PDF chart font first, then
# fonts a Chinese Windows, macOS or Linux desktop has, so text stays text.
SVG_FAMILIES = ("WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Noto Sans CJK SC", "sans-serif")


@dataclass(frozen=True)
class Face:
    """One typeface role of a printout: the font a DOCX names and the file a PDF embeds."""

    docx: str
    docx_fallback: str
    pdf: str
    emboldened: bool = False


SERIF = "serif"
SANS = "sans"
PDF_FONT_FILES = {SERIF: pylopdf_fonts_zh_cn.serif_path, SANS: pylopdf_fonts_zh_cn.sans_path}
TITLE = Face("方正小标宋简体", "宋体", SERIF, emboldened=True)
BODY = Face("仿宋_GB2312", "仿宋", SERIF)
HEADING_1 = Face("黑体", "SimHei", SANS)
HEADING_2 = Face("楷体_GB2312", "楷体", SERIF)
PAGE_NUMBER = Face("宋体", "SimSun", SERIF)
FACES = (TITLE, BODY, HEADING_1, HEADING_2, PAGE_NUMBER)


def pdf_font_path(face: str) -> Path:
    return Path(PDF_FONT_FILES[face]())


def font_path() -> Path:
    return Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))


@cache
def cjk_family() -> str:
    """Register the chart font with matplotlib once; return its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_rc() -> AbstractContextManager:
    """matplotlib settings for text in the CJK font: TrueType in PDFs, real text in SVGs."""
    return matplotlib.rc_context(
        {"font.family": [cjk_family()], "pdf.fonttype": 42, "svg.fonttype": "none", "axes.unicode_minus": False}
    )


def svg_with_font_fallbacks(svg: bytes) -> bytes:
    """Name SVG_FAMILIES wherever matplotlib named only the chart font, so a viewer without it finds another."""
    families = ", ".join(f"'{f}'" if " " in f else f for f in SVG_FAMILIES)
    return svg.replace(f"font-family: '{cjk_family()}'".encode(), f"font-family: {families}".encode())
