"""Write printouts of a plan directory, atomically, into it or into ``out``.

Every format asked for is rendered before any file is written, and the files
are put in place together: all of them or none.
"""

from __future__ import annotations

from pathlib import Path

from planner.io import atomic_write_many
from planner.plan import read_plan
from planner.printouts.annual import annual_document, annual_plan
from planner.printouts.docx_writer import to_docx
from planner.printouts.pdf_writer import to_pdf
from planner.printouts.report import report_document
from planner.printouts.xlsx_writer import annual_workbook
from planner.scenario import Scenario

ANNUAL_FORMATS = ("docx", "pdf", "xlsx")
REPORT_FORMATS = ("docx", "pdf")
DOCUMENT_WRITERS = {"docx": to_docx, "pdf": to_pdf}


def _check(formats: list[str], allowed: tuple[str, ...]) -> None:
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise ValueError(f"格式应为 {', '.join(allowed)} 中的一个或几个, 不是 '{', '.join(unknown)}'")


def write_annual(plan_dir: str | Path, scenario: Scenario, year: int, formats: list[str],
                 out: str | Path | None = None) -> list[Path]:
    """年度巡察工作计划 for ``year`` as ``annual-YEAR.{docx,pdf,xlsx}``."""
    _check(formats, ANNUAL_FORMATS)
    plan = read_plan(plan_dir)
    annual = annual_plan(plan.assignments, scenario, year)
    document = annual_document(annual)
    folder = Path(out or plan_dir)
    files = {
        folder / f"annual-{year}.{fmt}": annual_workbook(annual) if fmt == "xlsx" else DOCUMENT_WRITERS[fmt](document)
        for fmt in formats
    }
    atomic_write_many(files)
    return list(files)


def write_report(plan_dir: str | Path, scenario: Scenario, formats: list[str],
                 out: str | Path | None = None) -> list[Path]:
    """The five-year overview as ``report.{docx,pdf}``."""
    _check(formats, REPORT_FORMATS)
    document = report_document(read_plan(plan_dir).assignments, scenario)
    folder = Path(out or plan_dir)
    files = {folder / f"report.{fmt}": DOCUMENT_WRITERS[fmt](document) for fmt in formats}
    atomic_write_many(files)
    return list(files)
