"""Readers of printed files and a hand-made county plan, shared by the printout tests."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from docx import Document as open_docx
from openpyxl import load_workbook
import pypdfium2 as pdfium

from planner.scenario import Scenario
from planner.scenario_settings import merged
from planner.vocabulary import Committee

WEEK = dt.timedelta(days=7)
# The date the printouts of the fixture plan are signed (the session's printouts: conftest).
PRINT_DATE = dt.date(2027, 12, 20)
# Half-width punctuation touching a Chinese character: what GB/T 9704 printouts must not have.
HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;()!?]|[,:;()!?][\u4e00-\u9fff]")


def inked(image) -> float:
    """Share of a rendered page that is not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / sum(histogram)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    doc = open_docx(path)
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def pdf_pages(source: Path | bytes) -> list[str]:
    """Text of each page as PDFium reads it (pypdf puts NULs between the characters of a CFF font)."""
    document = pdfium.PdfDocument(source)
    return [page.get_textpage().get_text_range() for page in document]


def pdf_text(source: Path | bytes) -> str:
    return "\n".join(pdf_pages(source))


def xlsx_text(path: Path) -> str:
    """Cell values and the printed page headers of every sheet."""
    book = load_workbook(path)
    headers = [sheet.oddHeader.center.text or "" for sheet in book]
    return "\n".join(headers + [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                                 if c.value is not None])


COUNTY_THEME = {"name": "巡镇带村专项巡察", "scope_units": 6, "scope": "县直涉农部门和部分镇（街道）",
                "focus": "村级组织建设和惠民资金使用情况"}


def with_county_theme(scenario: Scenario) -> Scenario:
    """The scenario with one special-round theme for every county."""
    defaults = merged(scenario.county_defaults.model_dump(), {"rounds": {"special": {"themes": [COUNTY_THEME]}}})
    return scenario.replace(county_defaults=defaults)


def county_plan(scenario: Scenario, county: str = "洛南县") -> pd.DataFrame:
    """Two rounds of one county committee in 2028: a regular round of two teams, then a special round."""
    teams = scenario.teams_of(Committee(county))[:2]
    targets = [t for t in scenario.targets_of(Committee(county)) if t.category != "village"][:4]
    theme = COUNTY_THEME["name"]
    rows = []
    plans = [(1, "regular", dt.date(2028, 3, 6), [(teams[0], targets[:2]), (teams[1], targets[2:4])]),
             (2, "special", dt.date(2028, 6, 5), [(teams[0], [None]), (teams[1], [None])])]
    for number, kind, start, loads in plans:
        end = start + 5 * WEEK + dt.timedelta(days=4)
        for team, load in loads:
            for target in load:
                rows.append({
                    "round": number, "kind": kind, "level": "county", "county": county, "team": team.id,
                    "target": target.id if target else "", "target_name": target.name if target else theme,
                    "category": target.category if target else "", "target_county": county,
                    "onsite_start": start, "onsite_end": end, "busy_start": start - 2 * WEEK,
                    "busy_end": end + 4 * WEEK, "team_size": team.filled + 2, "drafted": 2, "leader": "permanent",
                    "sector": target.sector if target else "", "round_start": start, "round_end": end,
                    "team_name": team.name,
                })
    return pd.DataFrame(rows)
