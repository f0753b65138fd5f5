"""The CJK font every chart and printout uses, shipped by a PyPI package.

WenQuanYi Micro Hei (文泉驿微米黑, Apache 2.0) comes with ``paperang-p2-fonts-cjk``
(about 5 MB). It has TrueType outlines, so matplotlib embeds it as Type 42 and
fpdf2 subsets it; no system font is assumed.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib
from matplotlib import font_manager

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"
# Names Word finds on a Chinese Windows; DOCX files name fonts, they do not embed them.
DOCX_BODY_FONT = "宋体"
DOCX_HEADING_FONT = "黑体"


def font_path() -> Path:
    return Path(str(resources.files(FONT_PACKAGE).joinpath(FONT_FILE)))


@cache
def cjk_family() -> str:
    """Register the font with matplotlib once; return its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def cjk_rc() -> AbstractContextManager:
    """matplotlib settings for text in the CJK font, embedded as TrueType in PDFs."""
    return matplotlib.rc_context(
        {"font.family": [cjk_family()], "pdf.fonttype": 42, "svg.fonttype": "path", "axes.unicode_minus": False}
    )
