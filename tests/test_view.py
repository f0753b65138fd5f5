"""plan.html in a headless Chromium: it renders without console errors, has one bar per (round, team),
filters, hovers with the units, carries its own CJK font and never asks the network.

The city plan is the fixture plan (tests/plan_fixture.py); the whole city's is planned through the
command line on the tiny whole city, once a session (conftest), which also shows that ``xuncha plan``
writes plan.html.
Set XUNCHA_VIEW_SHOTS to a folder to keep the screenshots.
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from typer.testing import CliRunner

from cli import app
from planner.gantt import gantt_bars
from planner.gantt_whole import whole_chart
from planner.loading import load_scenario
from planner.plan import assignments_to_csv_bytes, read_plan
from planner.view import CITY_UNITS, FONT_FAMILY, VIEW_FILE, write_view
from plan_fixture import write_plan

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WHOLE = Path(__file__).parent / "data" / "whole"
runner = CliRunner()

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium is missing ({CHROMIUM}): "
                                    "apt-get install chromium")


@pytest.fixture(scope="module")
def shangluo():
    return load_scenario(None)


@pytest.fixture(scope="module")
def city_plan(tmp_path_factory, shangluo):
    out = write_plan(shangluo, tmp_path_factory.mktemp("view") / "city")
    write_view(out, shangluo)
    return out


@pytest.fixture(scope="module")
def whole_plan(whole_cli_plan):
    return whole_cli_plan  # `xuncha plan WHOLE --level all` once a session (conftest): read it, do not write


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is missing ({CHROMIUM}): apt-get install chromium")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("XUNCHA_VIEW_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Page:
    """A page opened offline, every request other than the file itself refused and recorded."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        self.context = browser.new_context(offline=True, viewport={"width": 1500, "height": 900})
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='1']")

    def _route(self, route):
        if route.request.url == self.url:
            route.continue_()
        else:
            self.refused.append(route.request.url)
            route.abort()

    def bars(self) -> int:
        """On-site bars drawn in the chart (not the preparation spans behind them)."""
        return self.page.evaluate("""() => {
            const chart = document.getElementById('chart');
            const traces = chart.querySelectorAll('.cartesianlayer .barlayer .trace');
            let n = 0;
            traces.forEach((t, i) => { if (chart._fullData.filter(d => d.type === 'bar')[i].meta === 'onsite')
                n += t.querySelectorAll('.point path').length; });
            return n;
        }""")

    def close(self):
        self.context.close()


@pytest.fixture
def city_page(browser, city_plan):
    page = Page(browser, city_plan / VIEW_FILE)
    yield page
    page.close()


def _pairs(table) -> int:
    return len(table.drop_duplicates(["county", "round", "team"]))


@needs_chromium
def test_city_page_renders_one_bar_per_round_and_team(city_page, city_plan, shots):
    city_page.page.screenshot(path=str(shots / "city.png"), full_page=True)
    assert city_page.errors == []
    table = read_plan(city_plan).assignments
    assert city_page.bars() == _pairs(table) > 50
    assert city_page.page.inner_text("#count") == f"显示 {_pairs(table)} / {_pairs(table)} 条"


@needs_chromium
def test_county_filter_hides_the_other_bars(city_page, city_plan):
    table = read_plan(city_plan).assignments
    county = "镇安县"
    city_page.page.select_option("#filter-county", county)
    keep = table[table["target_county"] == county].drop_duplicates(["round", "team"])
    assert 0 < city_page.bars() == len(keep) < _pairs(table)
    city_page.page.select_option("#filter-county", CITY_UNITS)
    city_units = table[(table["target_county"] == "") & (table["target"] != "")]  # not a special round's theme
    assert city_page.bars() == len(city_units.drop_duplicates(["round", "team"]))
    city_page.page.select_option("#filter-county", "")
    assert city_page.bars() == _pairs(table)
    assert city_page.errors == []


@needs_chromium
def test_hover_shows_the_units_of_a_round(city_page, city_plan, shangluo):
    table = read_plan(city_plan).assignments
    _, bars = gantt_bars(table, shangluo, by="team")
    regular = [b for b in bars if b.kind == "regular"]  # the regular trace's points, in order
    index, first = next((i, b) for i, b in enumerate(regular) if len(b.names) > 2)
    box = city_page.page.locator(".barlayer .trace").nth(1).locator(".point path").nth(index).bounding_box()
    city_page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = city_page.page.locator(".hoverlayer .hovertext")
    hover.wait_for()
    text = re.sub(r"\s+", "", hover.text_content())
    rows = table[(table["round"] == first.round) & (table["team"] == first.team)]
    assert f"第{first.round}轮" in text and rows["team_name"].iloc[0] in text
    for short in first.names:
        assert short in text
    beside = next(b for b in regular if b.round == first.round and b.team != first.team)
    assert not any(short in text for short in set(beside.names) - set(first.names))


@needs_chromium
def test_page_asks_nothing_of_the_network(city_page):
    assert city_page.requests == [city_page.url]
    assert city_page.refused == [] and city_page.failed == []
    assert city_page.page.evaluate("performance.getEntriesByType('resource').length") == 0
    assert city_page.page.evaluate(f"document.fonts.check('12px {FONT_FAMILY}', '巡察')")


@needs_chromium
def test_every_character_shown_is_in_the_inlined_font(city_page, city_plan):
    html = (city_plan / VIEW_FILE).read_text(encoding="utf-8")
    data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", html).group(1)
    cmap = TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap()
    shown = city_page.page.inner_text("body") + city_page.page.evaluate(
        "document.querySelector('#chart svg.main-svg').textContent")
    missing = {c for c in shown if not c.isspace() and ord(c) not in cmap}
    assert missing == set()
    assert "巡" in shown


def test_plan_writes_the_page_beside_the_chart(whole_plan):
    html = (whole_plan / VIEW_FILE).read_text(encoding="utf-8")
    assert (whole_plan / "gantt.png").exists()
    assert '"committee": {"rows"' in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)


@needs_chromium
def test_whole_city_page_by_team_and_by_committee(browser, whole_plan, shots):
    scenario = load_scenario(WHOLE)
    table = read_plan(whole_plan).assignments
    page = Page(browser, whole_plan / VIEW_FILE)
    try:
        page.page.screenshot(path=str(shots / "whole-team.png"), full_page=True)
        assert page.bars() == _pairs(table)
        page.page.click("button[data-view='committee']")
        page.page.screenshot(path=str(shots / "whole-committee.png"), full_page=True)
        chart = whole_chart(table, scenario)
        assert page.bars() == sum(len(p.rounds) for p in chart.panels)
        page.page.select_option("#filter-committee", "甲县委")
        county_rounds = table[table["county"] == "甲县"].groupby("round").ngroups
        assert page.bars() == county_rounds
        assert page.errors == [] and page.refused == [] and page.failed == []
    finally:
        page.close()


def test_view_command_marks_the_moves_against_another_plan(tmp_path, city_plan, shangluo):
    other = tmp_path / "other"
    shutil.copytree(city_plan, other)
    table = read_plan(other).assignments
    table.loc[table["round"] == 1, "team"] = table.loc[table["round"] == 1, "team"].map(
        {"C1": "C2", "C2": "C1"}).fillna(table["team"])
    (other / "assignments.csv").write_bytes(assignments_to_csv_bytes(table))
    result = runner.invoke(app, ["view", str(other), "--compare", str(city_plan), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / VIEW_FILE).read_text(encoding="utf-8")
    swapped = table[(table["round"] == 1) & table["team"].isin(["C1", "C2"]) & (table["category"] != "village")]
    assert f"共 {swapped['target'].nunique()} 个单位变动" in html
    # Marked: the two teams' bars of round 1, and round 1's bar in the view by rounds.
    assert html.count('"moved": true') == len(swapped.drop_duplicates("team")) + 1 == 3
