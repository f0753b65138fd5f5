"""Write printouts of a plan directory, atomically, into it or into ``out``.

A file's name carries every option that changes its content (year, round,
county), so printouts made with other options never overwrite each other.
Every format asked for is rendered before any file is written, and the files
are put in place together: all of them or none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planner.io import atomic_write_many
from planner.plan import read_plan
from planner.printouts.annual import annual_document, annual_plan
from planner.printouts.docx_writer import to_docx
from planner.printouts.pdf_writer import to_pdf
from planner.printouts.report import report_document
from planner.printouts.roundplan import round_document
from planner.printouts.xlsx_writer import annual_workbook
from planner.scenario import Scenario
from planner.vocabulary import Level

ANNUAL_FORMATS = ("docx", "pdf", "xlsx")
DOCUMENT_FORMATS = ("docx", "pdf")
DOCUMENT_WRITERS = {"docx": to_docx, "pdf": to_pdf}


def _check(formats: list[str], allowed: tuple[str, ...]) -> None:
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise ValueError(f"格式应为 {'、'.join(allowed)} 中的一个或几个，不是“{'、'.join(unknown)}”")


def file_stem(kind: str, *parts: object, county: str = "") -> str:
    """annual-2028, round-5, annual-2028-洛南县: the options that change a printout, in its name."""
    return "-".join([kind, *(str(p) for p in parts), *([county] if county else [])])


def write_annual(plan_dir: str | Path, scenario: Scenario, year: int, formats: list[str],
                 out: str | Path | None = None, *, level: str = Level.CITY.value, county: str = "",
                 date: dt.date | None = None) -> list[Path]:
    """年度巡察工作计划 for ``year`` as ``annual-YEAR.{docx,pdf,xlsx}``."""
    _check(formats, ANNUAL_FORMATS)
    plan = annual_plan(read_plan(plan_dir).assignments, scenario, year, level=level, county=county, date=date)
    document = annual_document(plan, scenario)
    folder = Path(out or plan_dir)
    files = {
        folder / f"{file_stem('annual', year, county=county)}.{fmt}":
            annual_workbook(plan) if fmt == "xlsx" else DOCUMENT_WRITERS[fmt](document)
        for fmt in formats
    }
    atomic_write_many(files)
    return list(files)


def write_report(plan_dir: str | Path, scenario: Scenario, formats: list[str],
                 out: str | Path | None = None, *, level: str = Level.CITY.value, county: str = "",
                 date: dt.date | None = None) -> list[Path]:
    """The five-year overview as ``report.{docx,pdf}``."""
    _check(formats, DOCUMENT_FORMATS)
    document = report_document(read_plan(plan_dir).assignments, scenario, level=level, county=county, date=date)
    return _write_document(document, Path(out or plan_dir), file_stem("report", county=county), formats)


def write_round(plan_dir: str | Path, scenario: Scenario, number: int, formats: list[str],
                out: str | Path | None = None, *, level: str = Level.CITY.value, county: str = "",
                date: dt.date | None = None) -> list[Path]:
    """每轮巡察工作方案 of round ``number`` as ``round-N.{docx,pdf}``."""
    _check(formats, DOCUMENT_FORMATS)
    document = round_document(read_plan(plan_dir).assignments, scenario, number, level=level, county=county,
                              date=date)
    return _write_document(document, Path(out or plan_dir), file_stem("round", number, county=county), formats)


def _write_document(document, folder: Path, stem: str, formats: list[str]) -> list[Path]:
    files = {folder / f"{stem}.{fmt}": DOCUMENT_WRITERS[fmt](document) for fmt in formats}
    atomic_write_many(files)
    return list(files)
