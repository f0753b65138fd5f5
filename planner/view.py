"""The plan in a browser: ``plan.html``, one file that works offline and never asks the network.

The page draws with plotly.js (bundled by the ``plotly`` package and inlined whole) and carries a
subset of the charts' CJK font (WenQuanYi Micro Hei, see :mod:`planner.fonts`) as a data URL, so
that Chinese renders where no CJK font is installed. Its bars come from the static Gantt's data
code (:func:`planner.gantt.gantt_bars` for teams and rounds, :func:`planner.gantt_whole.whole_chart`
for the whole city's committees), the blackouts from :func:`planner.calendar.blackout_periods`,
the soft rules from plan.json as summary.md shows them, and the moves against another plan from
:func:`planner.whatif.changes`. A little inline script switches views, filters and zooms.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.offline
from fontTools import subset
from fontTools.ttLib import TTFont

from planner.calendar import blackout_periods
from planner.export import OBJECTIVE_NOTE, SOFT_RULE_COLUMNS, quality_text, rule_labels, soft_rule_rows
from planner.fonts import font_path
from planner.gantt import gantt_bars
from planner.gantt_style import BLACKOUT_ALPHA, BLACKOUT_COLOUR, KIND_COLOURS
from planner.gantt_whole import OUT_OF_STEP_COLOUR, SYNC_BAND_COLOUR, whole_chart
from planner.io import atomic_write_text
from planner.linkage import cross_runs, is_whole_table
from planner.plan import PlanDir, read_plan
from planner.printouts.rounds import date_cn, span_cn
from planner.scenario import Scenario
from planner.status import recorded_status
from planner.vocabulary import CATEGORY_LABELS, CITY, KIND_LABELS, Committee, Kind
from planner.whatif import Change, changes, plan_figures

VIEW_FILE = "plan.html"
FONT_FAMILY = "XunchaCJK"
CITY_UNITS = "市直单位"  # the county filter's name for units outside every county
UNITS_PER_LINE = 4
MOVED_COLOUR = OUT_OF_STEP_COLOUR
LEADERS = {"permanent": "在编组长", "drafted": "抽调组长"}
FILTERS = (("committee", "党委"), ("county", "县(区)"), ("sector", "系统"), ("category", "类别"), ("year", "年度"))


@dataclass(frozen=True)
class _Attrs:
    """What the filters match a bar on: each a set, the bar shown when every chosen value is in its set."""

    committee: str
    county: tuple[str, ...]
    sector: tuple[str, ...]
    category: tuple[str, ...]
    year: str

    def as_json(self) -> dict[str, list[str]]:
        return {"committee": [self.committee], "county": list(self.county), "sector": list(self.sector),
                "category": list(self.category), "year": [self.year]}


def _attrs(rows: pd.DataFrame, committee: str, start: dt.date) -> _Attrs:
    units = rows[rows["target"] != ""]
    return _Attrs(
        committee=committee,
        county=tuple(sorted({c or CITY_UNITS for c in units["target_county"]})),
        sector=tuple(sorted({s for s in units.get("sector", pd.Series(dtype=str)) if s})),
        category=tuple(sorted({CATEGORY_LABELS.get(c, c) for c in units["category"] if c})),
        year=f"{start.year}年",
    )


def _lines(names: Iterable[str]) -> str:
    """Unit names for a hover box, a few to a line."""
    names = [html.escape(n) for n in names]
    return "<br>".join("、".join(names[i:i + UNITS_PER_LINE]) for i in range(0, len(names), UNITS_PER_LINE))


def _moves_text(moved: list[Change], teams: dict[str, str]) -> str:
    return "<br>".join(f"<b>{html.escape(c.name)}</b>：{c.what()}（原{html.escape(c.before.label(teams))}）"
                       for c in moved if c.before is not None)


def _bar(y: int, kind: str, start: dt.date, end: dt.date, busy: tuple[dt.date, dt.date] | None, hover: str,
         attrs: _Attrs, moved: bool = False, hatch: bool = False) -> dict[str, Any]:
    return {
        "y": y, "kind": kind, "s": start.isoformat(), "e": (end + dt.timedelta(days=1)).isoformat(),
        "bs": busy[0].isoformat() if busy else None, "be": (busy[1] + dt.timedelta(days=1)).isoformat() if busy else None,
        "hover": hover, "f": attrs.as_json(), "moved": moved, "hatch": hatch,
    }


class _Builder:
    """The page's data, read off a plan and its scenario."""

    def __init__(self, plan: PlanDir, scenario: Scenario, compare: PlanDir | None):
        self.table = plan.assignments
        self.meta = plan.meta
        self.scenario = scenario
        keys = self.meta.get("committees") or sorted({c or CITY.key for c in self.table["county"]})
        self.committees = [Committee.of_key(k) for k in keys]
        self.whole = is_whole_table(self.table, scenario)
        self.team_names = {t.id: t.name for t in scenario.teams}
        self.moves: dict[tuple[str, int, str], list[Change]] = {}
        self.changes: list[Change] = []
        if compare is not None:
            self.changes = changes(plan_figures(compare.assignments, compare.meta, scenario),
                                   plan_figures(self.table, self.meta, scenario), scenario)
            for change in self.changes:
                if change.after is not None:
                    key = (change.after.county, change.after.round, change.after.team)
                    self.moves.setdefault(key, []).append(change)

    def committee_name(self, committee: Committee) -> str:
        return self.scenario.policy(committee).committee.removeprefix("中共")

    def _prefix(self, committee: Committee) -> str:
        return f"{self.committee_name(committee)} " if len(self.committees) > 1 else ""

    def team_view(self) -> dict[str, Any]:
        rows: list[str] = []
        bars = []
        groups = self.table.groupby(["county", "round", "team"])
        breaks = []
        for committee in self.committees:
            labels, found = gantt_bars(self.table, self.scenario, by="team", level=committee.level.value,
                                       county=committee.county)
            offset = len(rows)
            breaks.append(offset)
            rows += [self._prefix(committee) + label for label in labels]
            name = self.committee_name(committee)
            for bar in found:
                mine = groups.get_group((committee.county, bar.round, bar.team))
                first = mine.iloc[0]
                moved = self.moves.get((committee.county, bar.round, bar.team), [])
                hover = [f"<b>{html.escape(name)} 第{bar.round}轮 {KIND_LABELS[Kind(bar.kind)]}</b>",
                         f"巡察组：{html.escape(self.team_names.get(bar.team, bar.team))}"
                         f"（{LEADERS.get(first['leader'], first['leader'])}，{int(first['team_size'])}人，"
                         f"抽调组员{int(first['drafted'])}人）",
                         f"进驻：{span_cn(bar.onsite_start, bar.onsite_end)}",
                         f"准备及报告：{span_cn(bar.busy_start, bar.busy_end)}",
                         f"单位：{_lines(bar.names)}"]
                if moved:
                    hover.append(f"<span style='color:{MOVED_COLOUR}'>与对照方案相比：<br>"
                                 f"{_moves_text(moved, self.team_names) or '新增覆盖'}</span>")
                bars.append(_bar(offset + bar.row, bar.kind, bar.onsite_start, bar.onsite_end,
                                 (bar.busy_start, bar.busy_end), "<br>".join(hover),
                                 _attrs(mine, name, bar.onsite_start), bool(moved)))
        return {"rows": rows, "bars": bars, "label": "按巡察组", "breaks": breaks[1:]}

    def _round_hover(self, committee: Committee, number: int, rows: pd.DataFrame, names: Iterable[str],
                     start: dt.date, end: dt.date) -> str:
        teams = "、".join(self.team_names.get(t, t) for t in dict.fromkeys(rows["team"]))
        return "<br>".join([f"<b>{html.escape(self.committee_name(committee))} 第{number}轮 "
                            f"{KIND_LABELS[Kind(rows['kind'].iloc[0])]}</b>",
                            f"进驻：{span_cn(start, end)}", f"巡察组：{html.escape(teams)}",
                            f"抽调组员：{int(rows.drop_duplicates('team')['drafted'].sum())}人",
                            f"单位：{_lines(names)}"])

    def _moved_round(self, committee: Committee, number: int) -> bool:
        return any(k[0] == committee.county and k[1] == number for k in self.moves)

    def round_view(self) -> dict[str, Any]:
        rows: list[str] = []
        bars = []
        groups = self.table.groupby(["county", "round"])
        breaks = []
        for committee in self.committees:
            labels, found = gantt_bars(self.table, self.scenario, by="round", level=committee.level.value,
                                       county=committee.county)
            offset = len(rows)
            breaks.append(offset)
            rows += [self._prefix(committee) + label for label in labels]
            for bar in found:
                mine = groups.get_group((committee.county, bar.round))
                hover = self._round_hover(committee, bar.round, mine, bar.names, bar.onsite_start, bar.onsite_end)
                bars.append(_bar(offset + bar.row, bar.kind, bar.onsite_start, bar.onsite_end,
                                 (bar.busy_start, bar.busy_end), hover,
                                 _attrs(mine, self.committee_name(committee), bar.onsite_start),
                                 self._moved_round(committee, bar.round)))
        return {"rows": rows, "bars": bars, "label": "按轮次", "breaks": breaks[1:]}

    def committee_view(self) -> dict[str, Any]:
        """The whole city: a lane per committee's overlapping rounds, as the static whole-city chart has them."""
        chart = whole_chart(self.table, self.scenario)
        groups = self.table.groupby(["county", "round"])
        runs = {(run.start, run.end): run for run in cross_runs(self.table)}
        rows: list[str] = []
        bars = []
        breaks = []
        for panel in chart.panels:
            offset = len(rows)
            breaks.append(offset)
            rows += [panel.name if lane == 0 else "" for lane in range(panel.lanes)]
            name = self.committee_name(panel.committee)
            for bar in panel.rounds:
                if bar.number == 0:  # the city's window of a cross round it organises
                    run = runs[(bar.start, bar.end)]
                    pairs = "；".join(f"{a}巡察{'、'.join(b)}" for a, b in run.pairs.items())
                    hover = f"<b>{html.escape(name)} 组织交叉巡察</b><br>进驻：{span_cn(bar.start, bar.end)}<br>{pairs}"
                    attrs = _Attrs(name, tuple(sorted(run.pairs)), (), (), f"{bar.start.year}年")
                    bars.append(_bar(offset + bar.lane, bar.kind, bar.start, bar.end, None, hover, attrs, hatch=True))
                    continue
                mine = groups.get_group((panel.committee.county, bar.number))
                names = dict.fromkeys(mine.loc[mine["target"] != "", "target_name"])
                hover = self._round_hover(panel.committee, bar.number, mine, names or mine["target_name"],
                                          bar.start, bar.end)
                if bar.out_of_step:
                    hover += f"<br><span style='color:{OUT_OF_STEP_COLOUR}'>未与市委常规巡察同步启动</span>"
                bars.append(_bar(offset + bar.lane, bar.kind, bar.start, bar.end, None, hover,
                                 _attrs(mine, name, bar.start),
                                 bar.out_of_step or self._moved_round(panel.committee, bar.number)))
        starts = [{"x": day.isoformat(), "text": f"市委第{n}轮"} for n, day in chart.city_starts]
        return {"rows": rows, "bars": bars, "label": "按党委", "breaks": breaks[1:], "city_starts": starts,
                "sync_weeks": self.scenario.linkage.sync_weeks}

    def soft_rules(self) -> list[dict[str, Any]]:
        blocks = self.meta.get("by_committee") or {self.committees[0].key: self.meta}
        return [{"name": self.scenario.policy(Committee.of_key(key)).committee, "rows": soft_rule_rows(block, rule_labels(self.scenario)),
                 "objective": block.get("objective")} for key, block in blocks.items()]

    def change_rows(self) -> list[tuple[str, str, str, str]]:
        return [(c.name + (f"（含{c.villages}个村(社区)）" if c.villages else ""),
                 "未安排" if c.before is None else c.before.label(self.team_names),
                 "未安排" if c.after is None else c.after.label(self.team_names), c.what()) for c in self.changes]

    def data(self, compare_path: str) -> dict[str, Any]:
        views = {"team": self.team_view(), "round": self.round_view()}
        if self.whole:
            views["committee"] = self.committee_view()
        horizon = self.scenario.horizon
        options: dict[str, set[str]] = {key: set() for key, _ in FILTERS}
        for bar in views["team"]["bars"]:
            for key, values in bar["f"].items():
                options[key].update(values)
        order = {self.committee_name(c): i for i, c in enumerate(self.committees)}
        counties = [c for c in self.scenario.counties if c in options["county"]]
        ordered = {
            "committee": sorted(options["committee"], key=order.get),
            "county": ([CITY_UNITS] if CITY_UNITS in options["county"] else []) + counties,
            "sector": sorted(options["sector"]),
            "category": [v for v in CATEGORY_LABELS.values() if v in options["category"]],
            "year": sorted(options["year"]),
        }
        return {
            "views": views,
            "filters": [{"key": k, "label": label, "options": ordered[k]} for k, label in FILTERS
                        if len(ordered[k]) > 1 or k == "county"],
            "kinds": {k: {"label": KIND_LABELS[Kind(k)], "colour": c} for k, c in KIND_COLOURS.items()},
            "blackouts": [{"name": p.name, "s": p.start.isoformat(), "e": (p.end + dt.timedelta(days=1)).isoformat(),
                           "text": span_cn(p.start, p.end)} for p in blackout_periods(self.scenario)],
            "term": [horizon.start.isoformat(), (horizon.end + dt.timedelta(days=1)).isoformat()],
            "years": list(horizon.years),
            "colours": {"blackout": BLACKOUT_COLOUR, "blackout_alpha": BLACKOUT_ALPHA, "moved": MOVED_COLOUR,
                        "sync": SYNC_BAND_COLOUR},
            "compare": compare_path,
            "font": FONT_FAMILY,
        }

    def title(self) -> str:
        if self.whole:
            name = f"{self.scenario.names.committee}和各县（区）委"
        else:
            name = "、".join(self.scenario.policy(c).committee for c in self.committees)
        years = self.scenario.horizon.years
        return f"{name}巡察工作规划（{years[0]}—{years[-1]}年）"

    def status(self) -> str:
        meta = self.meta
        status = recorded_status(meta)
        if status is None:
            return "方案未记录求解状态" if "status" not in meta else f"方案记录的求解状态无法识别: {meta['status']}"
        objective = meta.get("objective")
        head = quality_text(status, objective, meta.get("best_bound"), meta.get("stopped_by", ""), self.whole)
        return head + ("" if objective is None else f"；目标值 {objective:.0f}（{OBJECTIVE_NOTE}）")


def _table(columns: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _soft_rule_table(blocks: list[dict[str, Any]]) -> str:
    """One committee: summary.md's table; several: a column per committee, each cell cost (value×weight)."""
    if len(blocks) == 1:
        return _table(SOFT_RULE_COLUMNS, blocks[0]["rows"])
    names = [row[0] for row in blocks[0]["rows"]]
    cells = [{row[0]: row[3] if row[1] == "—" else f"{row[3]}（{row[1]}×{row[2]}）" for row in b["rows"]}
             for b in blocks]
    rows = [[name, *(c.get(name, "—") for c in cells)] for name in names]
    rows.append(["目标值", *("—" if b["objective"] is None else f"{b['objective']:.0f}" for b in blocks)])
    return _table(["规则", *(b["name"] for b in blocks)], rows)


def _sections(builder: _Builder, compare_path: str) -> str:
    blocks = [b for b in builder.soft_rules() if b["rows"]]
    parts = ["<h2>软性规则代价</h2>",
             f"<p class='note'>目标值 = 各规则的数值 × 权重之和（{OBJECTIVE_NOTE}）"
             f"{'；各党委一栏，格中为计入目标的代价（数值×权重）' if len(blocks) > 1 else ''}。</p>",
             _soft_rule_table(blocks) if blocks else "<p>方案未记录软性规则代价。</p>"]
    if compare_path:
        rows = builder.change_rows()
        parts += ["<h2 id='changes'>与对照方案相比的变动</h2>",
                  f"<p class='note'>对照方案：{html.escape(compare_path)}；单位按进驻日期和巡察组比较，"
                  f"轮次编号不同不算变动。共 {len(rows)} 个单位变动，图中红框标出。</p>",
                  _table(("单位", "对照方案", "本方案", "变动"), rows) if rows else "<p>两个方案的安排相同。</p>"]
    return "\n".join(parts)


def _font_face(text: str) -> str:
    """@font-face of the chart font cut down to the characters of ``text`` (and ASCII), as a data URL."""
    return _font_face_of("".join(sorted(set(text) | {chr(c) for c in range(32, 127)})))


@functools.lru_cache(maxsize=4)  # pages of one scenario share their characters: cut the font once a process
def _font_face_of(characters: str) -> str:
    font = TTFont(str(font_path()), fontNumber=0)
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.desubroutinize = True
    options.layout_features = []
    options.drop_tables += ["FFTM"]  # a FontForge timestamp the subsetter cannot cut
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    data = base64.b64encode(buffer.getvalue()).decode()
    return f"@font-face{{font-family:'{FONT_FAMILY}';src:url(data:font/woff;base64,{data}) format('woff');}}"


def view_html(plan: PlanDir, scenario: Scenario, compare: PlanDir | None = None) -> str:
    """The page of ``plan`` (with its moves against ``compare``, if given) as one HTML document."""
    builder = _Builder(plan, scenario, compare)
    compare_path = str(compare.path) if compare is not None else ""
    data = json.dumps(builder.data(compare_path), ensure_ascii=False).replace("</", "<\\/")
    title = html.escape(builder.title())
    sections = _sections(builder, compare_path)
    body = (_TEMPLATE.replace("{{title}}", title).replace("{{status}}", html.escape(builder.status()))
            .replace("{{sections}}", sections).replace("{{data}}", data))
    font = _font_face(body)
    return body.replace("{{font}}", font).replace("{{plotly}}", plotly.offline.get_plotlyjs())


def write_view(plan_dir: str | Path, scenario: Scenario, path: str | Path | None = None,
               compare: str | Path | PlanDir | None = None) -> Path:
    """Write ``plan.html`` of a plan directory (into it unless ``path`` says where); ``compare``: another
    plan (a directory, or one read already) whose moves to this plan the page marks."""
    plan = read_plan(plan_dir)
    other = read_plan(compare) if isinstance(compare, (str, Path)) else compare
    path = Path(path) if path is not None else Path(plan_dir) / VIEW_FILE
    atomic_write_text(path, view_html(plan, scenario, other))
    return path


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; font-src data:; img-src data: blob:">
<title>{{title}}</title>
<style>
{{font}}
body{font-family:'XunchaCJK',sans-serif;margin:16px 24px;color:#222;font-size:14px}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:17px;margin:24px 0 8px}
h3{font-size:15px;margin:14px 0 6px}
.note{color:#555;font-size:13px;margin:4px 0}
.bar{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:10px 0}
.bar label{font-size:13px}
select,button{font-family:inherit;font-size:13px;padding:2px 6px}
button.on{background:#2a5fa8;color:#fff;border:1px solid #2a5fa8}
#count{color:#555;font-size:13px}
table{border-collapse:collapse;font-size:13px;margin:4px 0 8px}
th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f2f2f2}
</style>
</head>
<body>
<h1>{{title}}</h1>
<p class="note">{{status}}</p>
<div class="bar" id="views"></div>
<div class="bar" id="filters"></div>
<div class="bar" id="zoom"><span class="note">缩放：</span></div>
<div id="chart"></div>
<p class="note">拖动图表左右平移，滚轮缩放，双击恢复全程；鼠标移到或点击色条查看该轮的日期、巡察组、组长、抽调人员和单位。灰色为禁止进驻时段（春节、国庆等），浅色为准备及报告时间。</p>
<div id="detail" class="note"></div>
{{sections}}
<script>{{plotly}}</script>
<script type="application/json" id="plan-data">{{data}}</script>
<script>
(function () {
  const DATA = JSON.parse(document.getElementById('plan-data').textContent);
  const FONT = "'" + DATA.font + "', sans-serif";
  const chart = document.getElementById('chart');
  const chosen = {};
  let view = 'team';
  let range = DATA.term.slice();

  function shown(bar) {
    return Object.entries(chosen).every(([key, value]) => !value || bar.f[key].includes(value));
  }

  function traces(bars) {
    const out = [];
    const busy = bars.filter(b => b.bs);
    if (busy.length) {
      out.push({type: 'bar', orientation: 'h', name: '准备及报告', meta: 'busy', y: busy.map(b => b.y),
        base: busy.map(b => b.bs), x: busy.map(b => Date.parse(b.be) - Date.parse(b.bs)), width: 0.78,
        marker: {color: busy.map(b => DATA.kinds[b.kind].colour)}, opacity: 0.22, hoverinfo: 'skip'});
    }
    for (const [kind, info] of Object.entries(DATA.kinds)) {
      const mine = bars.filter(b => b.kind === kind);
      if (!mine.length) continue;
      out.push({type: 'bar', orientation: 'h', name: info.label, meta: 'onsite', y: mine.map(b => b.y),
        base: mine.map(b => b.s), x: mine.map(b => Date.parse(b.e) - Date.parse(b.s)), width: 0.56,
        customdata: mine.map(b => b.hover), hovertemplate: '%{customdata}<extra></extra>',
        marker: {color: mine.map(b => b.hatch ? '#ffffff' : info.colour),
                 pattern: {shape: mine.map(b => b.hatch ? '/' : ''), fgcolor: info.colour},
                 line: {color: mine.map(b => b.moved ? DATA.colours.moved : info.colour),
                        width: mine.map(b => b.moved ? 2 : (b.hatch ? 1 : 0))}}});
    }
    out.push({type: 'scatter', mode: 'markers', name: '禁止进驻时段', x: [null], y: [null], hoverinfo: 'skip',
      marker: {symbol: 'square', size: 12, color: DATA.colours.blackout, opacity: DATA.colours.blackout_alpha}});
    return out;
  }

  function shapes() {
    const out = DATA.blackouts.map(p => ({type: 'rect', xref: 'x', yref: 'paper', x0: p.s, x1: p.e, y0: 0, y1: 1,
      fillcolor: DATA.colours.blackout, opacity: DATA.colours.blackout_alpha, line: {width: 0}, layer: 'below'}));
    for (const year of DATA.years.slice(1)) {
      out.push({type: 'line', xref: 'x', yref: 'paper', x0: year + '-01-01', x1: year + '-01-01', y0: 0, y1: 1,
        line: {color: '#444', width: 1}, layer: 'below'});
    }
    const v = DATA.views[view];
    for (const s of v.city_starts || []) {
      out.push({type: 'line', xref: 'x', yref: 'paper', x0: s.x, x1: s.x, y0: 0, y1: 1,
        line: {color: DATA.colours.sync, width: 1, dash: 'dash'}, opacity: 0.7, layer: 'below'});
    }
    for (const i of v.breaks) {
      out.push({type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: i - 0.5, y1: i - 0.5,
        line: {color: '#999', width: 1}});
    }
    return out;
  }

  function draw() {
    const v = DATA.views[view];
    const bars = v.bars.filter(shown);
    const rows = v.rows;
    const layout = {
      font: {family: FONT, size: 12}, hoverlabel: {font: {family: FONT, size: 12}, align: 'left'},
      height: Math.max(320, rows.length * (rows.length > 60 ? 16 : 26) + 130),
      margin: {l: 150, r: 20, t: 40, b: 40}, barmode: 'overlay', dragmode: 'pan', hovermode: 'closest',
      legend: {orientation: 'h', x: 0, y: 1.0, yanchor: 'bottom'},
      xaxis: {type: 'date', range: range, side: 'bottom', showgrid: false, hoverformat: '%Y年%-m月%-d日',
        tickformatstops: [
          {dtickrange: [null, 86400000 * 7], value: '%-m月%-d日'},
          {dtickrange: [86400000 * 7, 86400000 * 28 * 12], value: '%Y年%-m月'},
          {dtickrange: [86400000 * 28 * 12, null], value: '%Y年'}]},
      yaxis: {range: [rows.length - 0.5, -0.5], tickvals: rows.map((_, i) => i), ticktext: rows, fixedrange: true,
        automargin: true, showgrid: false, zeroline: false},
      shapes: shapes(), showlegend: true,
    };
    Plotly.react(chart, traces(bars), layout, {displayModeBar: false, scrollZoom: true, responsive: true});
    document.getElementById('count').textContent = '显示 ' + bars.length + ' / ' + v.bars.length + ' 条';
  }

  function button(parent, text, onclick) {
    const b = document.createElement('button');
    b.textContent = text;
    b.onclick = onclick;
    parent.appendChild(b);
    return b;
  }

  const views = document.getElementById('views');
  const viewLabel = document.createElement('span');
  viewLabel.className = 'note';
  viewLabel.textContent = '视图：';
  views.appendChild(viewLabel);
  for (const [key, v] of Object.entries(DATA.views)) {
    const b = button(views, v.label, () => {
      view = key;
      for (const other of views.querySelectorAll('button')) other.classList.toggle('on', other === b);
      draw();
    });
    b.dataset.view = key;
    b.classList.toggle('on', key === view);
  }
  const count = document.createElement('span');
  count.id = 'count';
  views.appendChild(count);

  const filters = document.getElementById('filters');
  for (const f of DATA.filters) {
    const label = document.createElement('label');
    label.textContent = f.label + '：';
    const select = document.createElement('select');
    select.id = 'filter-' + f.key;
    select.add(new Option('全部', ''));
    for (const o of f.options) select.add(new Option(o, o));
    select.onchange = () => { chosen[f.key] = select.value; draw(); };
    label.appendChild(select);
    filters.appendChild(label);
  }

  function zoomBy(factor) {
    const a = Date.parse(range[0]), b = Date.parse(range[1]), mid = (a + b) / 2, half = (b - a) * factor / 2;
    range = [new Date(mid - half).toISOString(), new Date(mid + half).toISOString()];
    Plotly.relayout(chart, {'xaxis.range': range});
  }
  const zoom = document.getElementById('zoom');
  button(zoom, '放大', () => zoomBy(0.5));
  button(zoom, '缩小', () => zoomBy(2));
  button(zoom, '全程', () => { range = DATA.term.slice(); Plotly.relayout(chart, {'xaxis.range': range}); });
  for (const year of DATA.years) {
    button(zoom, year + '年', () => {
      range = [year + '-01-01', (year + 1) + '-01-01'];
      Plotly.relayout(chart, {'xaxis.range': range});
    });
  }

  document.fonts.load('12px ' + FONT, '巡察').then(() => {
    draw();
    chart.on('plotly_relayout', e => {
      if (e['xaxis.range[0]']) range = [e['xaxis.range[0]'], e['xaxis.range[1]']];
      else if (e['xaxis.range']) range = e['xaxis.range'];
      else if (e['xaxis.autorange']) { range = DATA.term.slice(); Plotly.relayout(chart, {'xaxis.range': range}); }
    });
    chart.on('plotly_click', e => {
      const p = e.points[0];
      if (p && p.customdata) document.getElementById('detail').innerHTML = p.customdata;
    });
    document.body.dataset.ready = '1';
  });
})();
</script>
</body>
</html>
"""
