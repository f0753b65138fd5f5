"""The whole city on one page (市县巡察一盘棋): one panel per committee, the city on top, one time axis.

Each panel shows the committee's rounds as bars numbered by the round (not
every team: eight committees over five years must stay readable on A4
landscape). Through every panel run the city's regular rounds: a dashed line
where each starts and a light band of the sync window around it, so a county
round in step starts inside a band and one out of step stands out in a red
frame. Under each county's rounds a thin strip marks the visits into the
county by others (市委巡察县区委, 提级巡察镇办, 专项巡察, 交叉巡察), red when
two fall closer than the quiet period. Cross rounds are green in every
county and in the city's panel, which organises them; blackouts are shaded.
A line below names the sectors each city regular round links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath

from planner.fonts import cjk_rc
from planner.gantt_style import (
    BLACKOUT_ALPHA,
    BLACKOUT_COLOUR,
    KIND_COLOURS,
    PAGE,
    date_ticks,
    draw_blackouts,
    num,
)
from planner.linkage import cross_runs, is_whole_table, linkage_of
from planner.printouts.whole_city import cycle_text
from planner.scenario import Scenario
from planner.vocabulary import CITY, Committee, Kind

OUT_OF_STEP_COLOUR = "#c62828"
SYNC_BAND_COLOUR = "#2a5fa8"
SYNC_BAND_ALPHA = 0.08
VISIT_COLOUR = "#555555"
LANE_HEIGHT = 0.62
VISIT_HEIGHT = 0.28
NUMBER_SIZE = 6.0
NOTE_SIZE = 7.5
UNIT_MAX_IN = 0.36  # height of one lane of a panel at most, inches

TEXT = {
    "zh": {
        "title": "{committee}和各县（区）委巡察轮次安排（{years}）",
        "years": "{start}年",
        "years_range": "{start}—{end}年",
        "sync": "县区常规巡察与市委同步启动{in_step}/{total}轮（{share}）",
        "cross": "交叉巡察：{cycle}",
        "kinds": {"regular": "常规巡察", "special": "专项巡察", "cross": "交叉巡察", "follow_up": "巡察“回头看”"},
        "out_of_step": "未与市委同步的常规巡察",
        "sync_band": "市委常规巡察进驻（前后{weeks}周内视为同步）",
        "visit": "外来进驻（市委巡察、交叉巡察）",
        "close": "外来进驻相隔不足{months}个月",
        "blackout": "禁止进驻（春节、国庆）",
        "visits_row": "外来进驻",
        "year_tick": "{year}年",
        "month_tick": "{month}月",
        "sectors": "市委各轮常规巡察联动系统：",
        "sector_entry": "第{n}轮 {sectors}",
        "separator": "；",
        "end": "。",
        "numbers": "条内数字为各党委的轮次。",
    },
    "en": {
        "title": "{committee} and the county committees: rounds ({years})",
        "years": "{start}",
        "years_range": "{start}–{end}",
        "sync": "County regular rounds in step with the city's: {in_step}/{total} ({share})",
        "cross": "Cross inspection: {cycle}",
        "kinds": {"regular": "Regular", "special": "Special", "cross": "Cross", "follow_up": "Follow-up"},
        "out_of_step": "Regular round out of step",
        "sync_band": "City regular round starts (±{weeks} weeks in step)",
        "visit": "Visits by others (city, cross teams)",
        "close": "Visits less than {months} months apart",
        "blackout": "Blackout (Spring Festival, National Day)",
        "visits_row": "Visits",
        "year_tick": "{year}",
        "month_tick": "{month_abbr}",
        "sectors": "Sectors linked by each city regular round: ",
        "sector_entry": "round {n} {sectors}",
        "separator": "; ",
        "end": ". ",
        "numbers": "Numbers in bars are each committee's rounds.",
    },
}


@dataclass(frozen=True)
class RoundBar:
    """One round of one committee on its panel: lane, number, kind, on-site window, in step or not."""

    lane: int
    number: int
    kind: str
    start: dt.date
    end: dt.date
    out_of_step: bool = False


@dataclass(frozen=True)
class VisitBar:
    """A visit into a county by others; ``close`` when it falls within the quiet period of another."""

    start: dt.date
    end: dt.date
    close: bool


@dataclass(frozen=True)
class Panel:
    """One committee's panel: its name, rounds in lanes, and (a county) the visits into it."""

    committee: Committee
    name: str
    lanes: int
    rounds: tuple[RoundBar, ...]
    visits: tuple[VisitBar, ...]


@dataclass(frozen=True)
class WholeChart:
    """Everything the chart draws: the panels, the city's regular round starts, the notes above and below."""

    panels: tuple[Panel, ...]
    city_starts: tuple[tuple[int, dt.date], ...]  # city regular rounds: number, on-site start
    sectors: tuple[tuple[int, str], ...]  # city regular round -> its linked sectors, for the note
    in_step: int
    county_rounds: int
    cycles: tuple[str, ...]


def _short(name: str) -> str:
    return name.removeprefix("中共")


def _lanes(rounds: list[tuple[int, str, dt.date, dt.date]]) -> list[int]:
    """A lane for each round (in start order): the first lane free by its start, so overlapping rounds never share one."""
    ends: list[dt.date] = []
    lanes = []
    for _number, _kind, start, end in rounds:
        lane = next((i for i, last in enumerate(ends) if last < start), len(ends))
        if lane == len(ends):
            ends.append(end)
        ends[lane] = end
        lanes.append(lane)
    return lanes


def whole_chart(table: pd.DataFrame, scenario: Scenario, year: int | None = None) -> WholeChart:
    """What the whole-city chart shows, read off the plan table; ``year`` keeps the rounds starting in it."""
    linkage = linkage_of(table, scenario)
    late = {(r.county, r.number) for r in linkage.out_of_step}
    runs = cross_runs(table)

    def shown(start: dt.date) -> bool:
        return year is None or start.year == year

    panels = []
    for committee in scenario.committees:
        rows = table[table["county"] == committee.county]
        grouped = rows.groupby("round", sort=True).agg(
            kind=("kind", "first"), start=("onsite_start", "min"), end=("onsite_end", "max"))
        rounds = [(int(n), str(r.kind), r.start, r.end) for n, r in grouped.iterrows() if shown(r.start)]
        if committee == CITY:  # the city organises each cross round: its window on the city's panel
            rounds += [(0, Kind.CROSS.value, run.start, run.end) for run in runs if shown(run.start)]
        rounds.sort(key=lambda r: (r[2], r[0]))
        lanes = _lanes(rounds)
        bars = tuple(RoundBar(lane, n, kind, start, end, (committee.county, n) in late)
                     for lane, (n, kind, start, end) in zip(lanes, rounds))
        close = {v for pair in linkage.close.get(committee.county, ()) for v in pair}
        visits = tuple(VisitBar(v.round.start, v.round.end, v in close)
                       for v in linkage.visits.get(committee.county, ()) if shown(v.round.start))
        panels.append(Panel(committee, _short(scenario.policy(committee).committee), max(lanes, default=0) + 1,
                            bars, visits))
    city_rounds = [r for r in linkage.city_rounds if shown(r.start)]
    county_rounds = [r for r in linkage.in_step if shown(r.start)]
    return WholeChart(
        panels=tuple(panels),
        city_starts=tuple((r.number, r.start) for r in city_rounds),
        sectors=tuple((r.number, "、".join(linkage.sectors.get(r.number, ()))) for r in city_rounds
                      if linkage.sectors.get(r.number)),
        in_step=sum((r.county, r.number) not in late for r in county_rounds),
        county_rounds=len(county_rounds),
        cycles=tuple(cycle_text(run, scenario.counties) for run in runs if shown(run.start)),
    )


def plot_whole_gantt(table: pd.DataFrame, scenario: Scenario, *, year: int | None = None, lang: str = "zh") -> Figure:
    """The whole-city chart on a new A4 landscape page: one panel per committee, the city on top."""
    if not is_whole_table(table, scenario):
        raise ValueError("方案中没有市委和全部县区的巡察安排，不能画全市甘特图（全市方案由 xuncha plan --level all 编制）")
    chart = whole_chart(table, scenario, year)
    if not any(p.rounds for p in chart.panels):
        raise ValueError("所选范围内没有巡察安排")
    text = TEXT[lang]
    starts = [b.start for p in chart.panels for b in p.rounds]
    years = sorted({d.year for d in starts})
    start = dt.date(year or years[0], 1, 1)
    end = max([dt.date(year or years[-1], 12, 31)] + [b.end for p in chart.panels for b in p.rounds])
    span_text = (text["years"] if len(years) == 1 else text["years_range"]).format(start=years[0], end=years[-1])
    title = text["title"].format(committee=scenario.policy(CITY).committee, years=span_text)
    with cjk_rc():
        fig = plt.figure(figsize=PAGE)
        notes = _note_lines(chart, text, 0.96 * PAGE[0] * 72)
        note_share = (len(notes) + 0.5) * NOTE_SIZE * 1.5 / (PAGE[1] * 72)
        weights = [p.lanes + (VISIT_HEIGHT / LANE_HEIGHT if p.committee.county else 0) + 0.5 for p in chart.panels]
        # Panels from the top; a few committees get rows no taller than UNIT_MAX_IN, not the whole page.
        top = 0.86
        bottom = max(0.06 + note_share, top - sum(weights) * UNIT_MAX_IN / PAGE[1])
        grid = fig.add_gridspec(len(chart.panels), 1, height_ratios=weights, left=0.1, right=0.98, top=top,
                                bottom=bottom, hspace=0.12)
        axes = [fig.add_subplot(grid[i, 0]) for i in range(len(chart.panels))]
        for ax in axes[1:]:
            ax.sharex(axes[0])
        for i, (ax, panel) in enumerate(zip(axes, chart.panels)):
            _draw_panel(ax, panel, chart, scenario, start, end)
            if i < len(axes) - 1:
                ax.tick_params(axis="x", which="both", labelbottom=False, length=0)
        date_ticks(axes[-1], start, end, text, by_month=year is not None)
        fig.text(0.01, 0.975, title, fontsize=12, ha="left", va="top")
        lines = [text["sync"].format(in_step=chart.in_step, total=chart.county_rounds,
                                     share=f"{chart.in_step / chart.county_rounds:.0%}" if chart.county_rounds else "—")]
        lines += [text["cross"].format(cycle=c) for c in chart.cycles]
        fig.text(0.01, 0.94, text["separator"].join(lines), fontsize=8, ha="left", va="top", color="#333333")
        _legend(fig, chart, scenario, text)
        fig.text(0.02, bottom - 0.05, "\n".join(notes), fontsize=NOTE_SIZE, ha="left", va="top", linespacing=1.5,
                 color="#333333")
    return fig


def _note_lines(chart: WholeChart, text: dict, width_pt: float) -> list[str]:
    """The linked sectors of each city round and what the numbers mean, wrapped between entries."""
    prop = FontProperties(size=NOTE_SIZE)
    measure = TextToPath()
    entries = [text["sector_entry"].format(n=n, sectors=s) for n, s in chart.sectors]
    lines, line = [], text["sectors"] if entries else ""
    for i, entry in enumerate(entries):
        piece = entry + (text["separator"] if i < len(entries) - 1 else text["end"])
        if line.strip() and measure.get_text_width_height_descent(line + piece, prop, ismath=False)[0] > width_pt:
            lines.append(line)
            line = ""
        line += piece
    return lines + [line + text["numbers"]] if line else [text["numbers"]]


def _draw_panel(ax: Axes, panel: Panel, chart: WholeChart, scenario: Scenario, start: dt.date, end: dt.date) -> None:
    county = bool(panel.committee.county)
    rows = panel.lanes + (1 if county else 0)
    ax.set_xlim(num(start), num(end + dt.timedelta(days=1)))
    ax.set_ylim(rows - 0.5 - (0.5 - VISIT_HEIGHT / 2 - 0.05 if county else 0), -0.5)
    ax.set_yticks([])
    ax.set_ylabel(panel.name, rotation=0, ha="right", va="center", fontsize=8, labelpad=6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    draw_blackouts(ax, scenario, start, end)
    window = dt.timedelta(weeks=scenario.linkage.sync_weeks)
    for _number, day in chart.city_starts:
        ax.axvspan(num(day - window), num(day + window), color=SYNC_BAND_COLOUR, alpha=SYNC_BAND_ALPHA,
                   linewidth=0, zorder=0)
        ax.axvline(num(day), color=SYNC_BAND_COLOUR, linewidth=0.6, linestyle=(0, (3, 2)), alpha=0.7, zorder=1)
    for y in range(start.year + 1, end.year + 1):
        ax.axvline(num(dt.date(y, 1, 1)), color="#444444", linewidth=0.8, zorder=1)
    renderer = ax.figure.canvas.get_renderer()
    for bar in panel.rounds:
        left, right = num(bar.start), num(bar.end + dt.timedelta(days=1))
        city_cross = bar.kind == Kind.CROSS.value and not bar.number
        patch = ax.barh(bar.lane, right - left, left=left, height=LANE_HEIGHT,
                        color="white" if city_cross else KIND_COLOURS.get(bar.kind, "#666666"),
                        edgecolor=OUT_OF_STEP_COLOUR if bar.out_of_step else KIND_COLOURS[Kind.CROSS.value],
                        linewidth=1.4 if bar.out_of_step or city_cross else 0, hatch="////" if city_cross else None,
                        zorder=3, gid=f"round-{panel.committee.key}-{bar.number}").patches[0]
        if city_cross:
            continue
        label = ax.text((left + right) / 2, bar.lane, str(bar.number), ha="center", va="center",
                        fontsize=NUMBER_SIZE, color="white", zorder=4)
        inside, box = patch.get_window_extent(renderer).padded(-1), label.get_window_extent(renderer)
        if not (inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1):
            label.remove()  # the bar still shows the round; a number that spills would collide
    if county:
        y = panel.lanes - 0.5 + VISIT_HEIGHT / 2 + 0.05
        for visit in panel.visits:
            left = num(visit.start)
            ax.barh(y, num(visit.end + dt.timedelta(days=1)) - left, left=left, height=VISIT_HEIGHT,
                    color=OUT_OF_STEP_COLOUR if visit.close else VISIT_COLOUR, linewidth=0, zorder=3,
                    gid=f"visit-{panel.committee.key}")


def _legend(fig: Figure, chart: WholeChart, scenario: Scenario, text: dict) -> None:
    kinds = [k for k in KIND_COLOURS if any(b.kind == k for p in chart.panels for b in p.rounds)]
    handles = [Patch(color=KIND_COLOURS[k], label=text["kinds"][k]) for k in kinds]
    if any(b.out_of_step for p in chart.panels for b in p.rounds):
        handles.append(Patch(facecolor=KIND_COLOURS["regular"], edgecolor=OUT_OF_STEP_COLOUR, linewidth=1.4,
                             label=text["out_of_step"]))
    handles.append(Line2D([], [], color=SYNC_BAND_COLOUR, linewidth=6, alpha=0.25,
                          label=text["sync_band"].format(weeks=scenario.linkage.sync_weeks)))
    handles.append(Patch(color=VISIT_COLOUR, label=text["visit"]))
    if any(v.close for p in chart.panels for v in p.visits):
        handles.append(Patch(color=OUT_OF_STEP_COLOUR, label=text["close"].format(months=scenario.linkage.quiet_months)))
    handles.append(Patch(color=BLACKOUT_COLOUR, alpha=BLACKOUT_ALPHA, label=text["blackout"]))
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(0.98, 0.925), ncol=4, frameon=False,
               fontsize=7, handlelength=1.6, columnspacing=1.2, borderaxespad=0)
