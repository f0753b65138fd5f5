"""What reads a whole-city plan (市县一盘棋): the Gantt with a panel per committee, the 市县联动 part of
summary.md and of the five-year report, and the city's annual plan naming linked sectors and the
county rounds in step — all on the tiny whole city, planned once through the command line."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pypdfium2 as pdfium
import pytest
from docx import Document as open_docx
from matplotlib.colors import to_hex
from matplotlib.text import Text
from pypdf import PdfReader
from typer.testing import CliRunner

from cli import app
from planner.export import WHOLE_BOUND_NOTE, summary_markdown
from planner.gantt import gantt_bytes
from planner.gantt_whole import OUT_OF_STEP_COLOUR, plot_whole_gantt, whole_chart
from planner.io import atomic_write_bytes
from planner.linkage import CrossRun, cross_runs, linkage_of
from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.plan import ASSIGNMENTS_FILE, assignments_to_csv_bytes, read_plan
from planner.printouts.annual import annual_document, annual_plan
from planner.printouts.document import Heading, Paragraph
from planner.printouts.files import write_annual, write_report
from planner.printouts.rounds import date_cn
from planner.printouts.whole_city import county_round_name, cycle_text, visit_name
from planner.vocabulary import CITY, Committee
from printout_helpers import docx_text, inked, pdf_pages, pdf_text, squeeze

pytestmark = pytest.mark.filterwarnings("error")  # a missing glyph is a warning in matplotlib
WHOLE = Path(__file__).parent / "data" / "whole"
YEAR = 2027
DATE = dt.date(2026, 12, 20)
CYCLE = "甲县→乙县→丙县→甲县"
runner = CliRunner()


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(WHOLE)


@pytest.fixture(scope="module")
def plan_dir(whole_cli_plan):
    return whole_cli_plan  # `xuncha plan WHOLE --level all` once a session (conftest): read it, do not write


@pytest.fixture(scope="module")
def plan(plan_dir):
    return read_plan(plan_dir)


@pytest.fixture(scope="module")
def table(plan):
    return plan.assignments


@pytest.fixture(scope="module")
def linkage(table, scenario):
    return linkage_of(table, scenario)


@pytest.fixture(scope="module")
def in_step(linkage):
    """A county regular round and the city regular round it starts with."""
    return next((r, c) for r, c in sorted(linkage.in_step.items(), key=lambda item: item[0].county) if c)


@pytest.fixture(scope="module")
def shifted(table, scenario):
    """The plan with 甲县's regular rounds five weeks later: out of step with every city round."""
    frame = table.copy()
    mask = (frame["county"] == "甲县") & (frame["kind"] == "regular")
    for column in ("onsite_start", "onsite_end", "busy_start", "busy_end"):
        frame.loc[mask, column] = [d + dt.timedelta(weeks=5) for d in frame.loc[mask, column]]
    late = linkage_of(frame, scenario).out_of_step
    assert [r.county for r in late] == ["甲县"]
    return frame


def whole_city_section(summary: str) -> str:
    return summary.split("## 市县联动")[1].split("\n## ")[0]


def test_the_cycle_is_read_in_the_order_of_the_counties_and_a_swap_is_shown_pair_by_pair():
    day = dt.date(2027, 10, 25)
    cycle = CrossRun(day, day, {"乙县": ("丙县",), "甲县": ("乙县",), "丙县": ("甲县",)})
    assert cycle.cycle(["甲县", "乙县", "丙县"]) == ("甲县", "乙县", "丙县", "甲县")
    swap = CrossRun(day, day, {"甲县": ("乙县",), "乙县": ("甲县",), "丙县": ("甲县",)})
    assert swap.cycle(["甲县", "乙县", "丙县"]) is None
    assert cycle_text(swap, ["甲县", "乙县", "丙县"]) == "甲县→乙县、乙县→甲县、丙县→甲县"


# summary.md


def in_county_order(counties, scenario) -> str:
    return "、".join(c for c in scenario.counties if c in counties)


def test_summary_gives_sectors_sync_visits_and_the_cycle(plan_dir, linkage, in_step, table, scenario):
    summary = (plan_dir / "summary.md").read_text(encoding="utf-8")
    # A whole-city gap is no gap to the whole city's optimum: the county bounds take the city's calendar as given.
    status = next(line for line in summary.splitlines() if line.startswith("- 求解状态"))
    assert status.endswith(WHOLE_BOUND_NOTE)
    section = whole_city_section(summary)
    total = len(linkage.in_step)
    assert total and f"县区常规巡察共{total}轮，同步{total}轮，占100%。" in section
    assert f"{CYCLE}（循环交叉，无互查、无自查）" in section
    county_round, city_round = in_step
    row = next(line for line in section.splitlines() if line.startswith(f"| 第{city_round.number}轮 | {city_round.start} |"))
    assert county_round_name(county_round) in row
    linked = [(s, counties) for (_n, s), counties in linkage.links.items() if counties]
    assert linked and all(f"| {s} | {in_county_order(counties, scenario)} |" in section for s, counties in linked)
    run = cross_runs(table)[0]
    assert section.count(f"| 交叉巡察 | {run.start} 至 {run.end} |") == 3  # a visit into each county


def test_summary_lists_a_county_round_out_of_step_with_its_dates(shifted, plan, scenario):
    section = whole_city_section(summary_markdown(shifted, plan.meta, scenario))
    late = linkage_of(shifted, scenario).out_of_step[0]
    total = len(linkage_of(shifted, scenario).in_step)
    assert f"同步{total - 1}轮，占{(total - 1) / total:.0%}；未同步1轮" in section
    assert f"| 甲县 | 第{late.number}轮 | {late.start} 至 {late.end} |" in section
    rows = [line for line in section.splitlines() if line.startswith("| 第") and "市委" not in line]
    assert not any(county_round_name(late) in line for line in rows)


def test_summary_names_visits_closer_than_the_quiet_period(table, plan, scenario):
    strict = apply_overrides(scenario, ["linkage.quiet_months=12"])
    close = linkage_of(table, strict).close
    crowded = [c for c in strict.counties if close[c]]
    assert crowded  # a one-year term: the special round and the cross round fall within 12 months
    section = whole_city_section(summary_markdown(table, plan.meta, strict))
    assert f"外来进驻相隔不足12个月的县区{len(crowded)}个（{'、'.join(crowded)}）" in section
    lines = section.splitlines()
    for a, b in (pair for c in crowded for pair in close[c]):  # each visit's row names the one too close to it
        assert any(f"| {visit_name(a)} | {a.round.start} 至 {a.round.end} |" in line and f"与{visit_name(b)}" in line
                   for line in lines)


def test_a_city_plan_alone_has_no_whole_city_section(table, plan, scenario):
    city = table[table["county"] == ""]
    assert "市县联动" not in summary_markdown(city, plan.meta | {"committees": ["city"]}, scenario)


# Gantt


def test_the_whole_chart_has_a_panel_per_committee_the_city_on_top(table, scenario):
    chart = whole_chart(table, scenario)
    assert [p.committee for p in chart.panels] == [CITY, *(Committee(c) for c in scenario.counties)]
    fig = plot_whole_gantt(table, scenario)
    panels = [ax for ax in fig.axes if ax.get_ylabel()]
    assert [ax.get_ylabel() for ax in panels] == ["联动市委", "甲县委", "乙县委", "丙县委"]
    for ax, panel in zip(panels, chart.panels):
        drawn = sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("round-"))
        rounds = table[table["county"] == panel.committee.county]["round"].unique()
        cross = ["round-city-0"] if panel.committee == CITY else []  # the city organises the cross round
        assert drawn == sorted([f"round-{panel.committee.key}-{n}" for n in rounds] + cross)
        visits = [p for p in ax.patches if p.get_gid() == f"visit-{panel.committee.key}"]
        assert len(visits) == (3 if panel.committee.county else 0)  # special round, county committee, cross
    plt.close(fig)


def test_the_plan_writes_the_whole_chart_as_its_gantt_png(plan_dir, table, scenario):
    assert (plan_dir / "gantt.png").read_bytes() == gantt_bytes(table, scenario, level="all")


def test_a_county_round_out_of_step_is_framed_in_red(shifted, scenario):
    late = linkage_of(shifted, scenario).out_of_step[0]
    fig = plot_whole_gantt(shifted, scenario)
    frames = {p.get_gid(): to_hex(p.get_edgecolor()) for ax in fig.axes for p in ax.patches if p.get_gid()}
    assert frames[f"round-甲县-{late.number}"] == OUT_OF_STEP_COLOUR
    assert all(colour != OUT_OF_STEP_COLOUR for gid, colour in frames.items() if gid.startswith("round-乙县"))
    plt.close(fig)


@pytest.mark.parametrize("options", [{}, {"year": YEAR, "lang": "en"}])
def test_whole_chart_texts_stay_on_the_page_and_apart(table, scenario, options):
    fig = plot_whole_gantt(table, scenario, **options)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    assert any(CYCLE in text for text, _ in boxes)
    for text, box in boxes:
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1, text
    assert not [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)]
    plt.close(fig)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_whole_chart_renders_without_missing_glyphs(table, scenario, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(gantt_bytes(table, scenario, fmt, level="all")) > 10_000


def test_gantt_command_draws_the_whole_city_one_committee_or_the_city_alone(plan_dir, table, scenario, tmp_path):
    for args in ([], ["--level", "city"], ["--county", "甲县"]):
        result = runner.invoke(app, ["gantt", str(plan_dir), "--out", str(tmp_path), *args])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gantt-city.png", "gantt-甲县.png", "gantt.png"]
    assert (tmp_path / "gantt.png").read_bytes() == (plan_dir / "gantt.png").read_bytes()
    assert (tmp_path / "gantt-city.png").read_bytes() == gantt_bytes(table, scenario, level="city")
    city_only = tmp_path / "city"
    atomic_write_bytes(city_only / ASSIGNMENTS_FILE, assignments_to_csv_bytes(table[table["county"] == ""]))
    result = runner.invoke(app, ["gantt", str(city_only), "--scenario", str(WHOLE), "--level", "all"])
    assert result.exit_code == 2 and "全市方案" in result.output


# five-year report and annual plan


@pytest.fixture(scope="module")
def report(plan_dir, scenario, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return {p.suffix: p for p in write_report(plan_dir, scenario, ["docx", "pdf"], out, date=DATE)}


def test_report_gives_the_whole_city_part_and_both_charts(report, linkage, in_step):
    text = squeeze(pdf_text(report[".pdf"]))
    total = len(linkage.in_step)
    assert "三、市县联动" in text and f"县区常规巡察共{total}轮，同步{total}轮，占100%。" in text
    assert f"{CYCLE}（循环交叉，无互查、无自查）" in text
    county_round, city_round = in_step
    sync_row = text.rsplit(f"第{city_round.number}轮{date_cn(city_round.start)}", 1)[1]  # after the sectors' row
    assert sync_row.startswith(county_round_name(county_round)) or f"、{county_round_name(county_round)}" in sync_row
    assert "附件：1．巡察工作安排甘特图2．市县巡察轮次安排甘特图" in text
    reader = PdfReader(report[".pdf"])
    for page in reader.pages[-2:]:  # each chart on a landscape page of its own
        assert page.mediabox.width > page.mediabox.height and len(page.images) == 1
    pages = pdf_pages(report[".pdf"])
    assert pages[-2].startswith("附件1") and pages[-1].startswith("附件2")
    assert len(open_docx(report[".docx"]).inline_shapes) == 2
    assert "市县联动" in docx_text(report[".docx"])


def test_whole_city_printouts_render_with_ink_on_every_page(report, plan_dir, scenario, tmp_path):
    annual = write_annual(plan_dir, scenario, YEAR, ["pdf"], tmp_path, date=DATE)[0]
    for path in (report[".pdf"], annual):
        for page in pdfium.PdfDocument(path):
            assert 0.003 < inked(page.render(scale=0.5).to_pil()) < 0.5
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(report[".docx"])],
                            capture_output=True, text=True, timeout=300)
    rendered = tmp_path / "lo" / "report.pdf"
    assert result.returncode == 0 and rendered.is_file(), result.stderr
    assert abs(len(pdfium.PdfDocument(rendered)) - len(pdfium.PdfDocument(report[".pdf"]))) <= 1
    assert "市县联动" in squeeze(pdf_text(rendered))


def test_city_annual_plan_names_linked_sectors_and_the_county_rounds_in_step(table, scenario, linkage, in_step):
    plan = annual_plan(table, scenario, YEAR)
    assert set(plan.links) == {r.number for r in linkage.city_rounds}
    blocks = annual_document(plan, scenario).blocks
    county_round, city_round = in_step
    heading = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and f"第{city_round.number}轮" in b.text)
    text = blocks[heading + 2]
    assert isinstance(text, Paragraph) and "县区同步开展的轮次：" in text.text
    assert county_round_name(county_round) in text.text
    for sector in linkage.sectors.get(city_round.number, ()):
        counties = in_county_order(linkage.links[city_round.number, sector], scenario)
        assert (f"{sector}（{counties}同轮巡察）" if counties else f"{sector}（县区未同轮巡察）") in text.text


def test_county_and_city_only_annual_plans_have_no_linkage(table, scenario):
    assert annual_plan(table, scenario, YEAR, level="county", county="甲县").links == {}
    assert annual_plan(table[table["county"] == ""], scenario, YEAR).links == {}


def test_a_county_round_out_of_step_is_not_listed_under_a_city_round(shifted, scenario):
    late = linkage_of(shifted, scenario).out_of_step[0]
    plan = annual_plan(shifted, scenario, YEAR)
    assert not any(late in link.county_rounds for link in plan.links.values())
    assert pd.Series([len(link.county_rounds) for link in plan.links.values()]).sum() == len(
        linkage_of(shifted, scenario).in_step) - 1
