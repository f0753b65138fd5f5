"""市县联动 in words: the figures of :mod:`planner.linkage` as the rows and sentences a reader sees.

The summary (Markdown) and the five-year report (GB/T 9704) print the same
four parts — linked sectors per city round, county rounds in step, visits
into each county, the cross-inspection cycle — so both take them from here
and differ only in how they write a date (2027年4月5日, or 2027-04-05 in the summary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from planner.linkage import CrossRun, Linkage, RoundRef, Visit, cross_runs, linkage_of
from planner.printouts.rounds import date_cn, span_cn
from planner.scenario import Scenario
from planner.vocabulary import Kind

Day = Callable[[dt.date], str]
Span = Callable[[dt.date, dt.date], str]
Row = tuple[str | None, ...]
SECTOR_COLUMNS = ("轮次", "进驻时间", "联动系统", "同轮巡察该系统单位的县区")
SYNC_COLUMNS = ("轮次", "市委进驻", "县区同步开展的轮次")
SYNC_INTRO = "市委各轮常规巡察及县区同步开展的轮次如下（括号内为县区比市委提前或推后进驻的时间）。"
OUT_OF_STEP_COLUMNS = ("县区", "轮次", "进驻时间", "最近的市委常规巡察")
VISIT_COLUMNS = ("县区", "外来进驻", "进驻时间", "相隔过近")


def offset_text(county_start: dt.date, city_start: dt.date) -> str:
    """（提前2周） or （推后1周） for a county round starting before or after the city's; empty on the same day."""
    days = (county_start - city_start).days
    if days == 0:
        return ""
    weeks = round(abs(days) / 7)
    amount = f"{weeks}周" if weeks else f"{abs(days)}天"
    return f"（{'提前' if days < 0 else '推后'}{amount}）"


def county_round_name(r: RoundRef) -> str:
    return f"{r.county}第{r.number}轮"


def visit_name(visit: Visit) -> str:
    """市委第3轮巡察县区委, 市委第5轮提级巡察镇办, 交叉巡察."""
    return visit.what if visit.round.kind == Kind.CROSS.value else f"市委第{visit.round.number}轮{visit.what}"


def cycle_text(run: CrossRun, counties: tuple[str, ...] | list[str]) -> str:
    """甲县→乙县→丙县→甲县 for one cycle; otherwise every pair (a broken plan still shows what it does)."""
    cycle = run.cycle(counties)
    if cycle:
        return "→".join(cycle)
    return "、".join(f"{a}→{b}" for a in counties for b in run.pairs.get(a, ()))


@dataclass(frozen=True)
class WholeCityView:
    """The 市县联动 section of a whole-city plan, in sentences and table rows."""

    overview: str
    sector_rows: tuple[Row, ...]
    sync_text: str
    sync_rows: tuple[Row, ...]
    out_of_step_rows: tuple[Row, ...]
    special_text: str
    visit_text: str
    visit_rows: tuple[Row, ...]
    cross_lines: tuple[str, ...]


def whole_city_view(frame: pd.DataFrame, scenario: Scenario, iso: bool = False) -> WholeCityView:
    """Every figure of the 市县联动 section; dates as in documents, or ISO with ``iso`` (the summary)."""
    day: Day = dt.date.isoformat if iso else date_cn

    def span(start: dt.date, end: dt.date) -> str:
        return f"{start} 至 {end}" if iso else span_cn(start, end)

    linkage = linkage_of(frame, scenario)
    settings = scenario.linkage
    order = {c: i for i, c in enumerate(scenario.counties)}
    linked = linkage.sectors_linked
    named = sorted({s for names in linkage.sectors.values() for s in names})
    county_rounds = len(linkage.in_step)
    in_step = county_rounds - len(linkage.out_of_step)
    share = f"{in_step / county_rounds:.0%}" if county_rounds else "—"
    crowded = [c for c in scenario.counties if linkage.close.get(c)]
    runs = cross_runs(frame)
    overview = (
        f"市委常规巡察{len(linkage.city_rounds)}轮，确定联动系统{len(named)}个，"
        f"其中县区同轮巡察的{len(linked)}个（{'、'.join(linked) or '无'}）；"
        f"县区常规巡察{county_rounds}轮，与市委同步启动{in_step}轮，占{share}；"
        f"外来进驻相隔不足{settings.quiet_months}个月的县区{len(crowded)}个"
        + (f"（{'、'.join(crowded)}）" if crowded else "")
        + f"；县区之间交叉巡察{len(runs)}轮。"
    )
    return WholeCityView(
        overview=overview,
        sector_rows=_sector_rows(linkage, span, order),
        sync_text=(f"县区常规巡察在市委某轮常规巡察进驻前后{settings.sync_weeks}周内进驻的，视为同步启动。"
                   f"县区常规巡察共{county_rounds}轮，同步{in_step}轮，占{share}"
                   + ("。" if in_step == county_rounds else f"；未同步{county_rounds - in_step}轮，见下表。")),
        sync_rows=tuple(
            (f"第{c.number}轮", day(c.start),
             "、".join(county_round_name(r) + offset_text(r.start, c.start)
                      for r in sorted(linkage.starting_with(c), key=lambda r: order.get(r.county, 0))) or "—")
            for c in linkage.city_rounds
        ),
        out_of_step_rows=tuple(
            (r.county, f"第{r.number}轮", span(r.start, r.end), _nearest(r, linkage.city_rounds, day))
            for r in sorted(linkage.out_of_step, key=lambda r: (r.start, order.get(r.county, 0)))
        ),
        special_text=_special_text(linkage, span),
        visit_text=(f"市委巡察县区委、提级巡察镇办、专项巡察和县区之间交叉巡察，均计为对该县区的外来进驻；"
                    f"同一县区的外来进驻应在同一轮进行，或相隔不少于{settings.quiet_months}个月。"),
        visit_rows=tuple(row for county in scenario.counties for row in _visit_rows(linkage, county, span)),
        cross_lines=tuple(
            f"{span(run.start, run.end)}：{cycle_text(run, scenario.counties)}"
            + ("（循环交叉，无互查、无自查）" if run.cycle(scenario.counties) else "（未形成循环）")
            for run in runs
        ),
    )


def _sector_rows(linkage: Linkage, span: Span, order: dict[str, int]) -> tuple[Row, ...]:
    rows: list[Row] = []
    for city in linkage.city_rounds:
        sectors = linkage.sectors.get(city.number, ())
        if not sectors:
            rows.append((f"第{city.number}轮", span(city.start, city.end), "—", "—"))
        for i, sector in enumerate(sectors):
            counties = sorted(linkage.links.get((city.number, sector), ()), key=lambda c: order.get(c, 0))
            head: tuple[str | None, ...] = (f"第{city.number}轮", span(city.start, city.end)) if i == 0 else (None, None)
            rows.append(head + (sector, "、".join(counties) or "无"))
    return tuple(rows)


def _visit_rows(linkage: Linkage, county: str, span: Span) -> list[Row]:
    """One row per visit into ``county``, naming the visits it falls too close to; the county's cell merged."""
    visits = linkage.visits.get(county, ())
    if not visits:
        return [(county, "无", "", "")]
    close = linkage.close.get(county, ())
    rows: list[Row] = []
    for i, visit in enumerate(visits):
        near = [b for a, b in close if a == visit] + [a for a, b in close if b == visit]
        rows.append((county if i == 0 else None, visit_name(visit), span(visit.round.start, visit.round.end),
                     "、".join(f"与{visit_name(v)}" for v in sorted(near, key=lambda v: v.round.start))))
    return rows


def _nearest(r: RoundRef, city_rounds: tuple[RoundRef, ...], day: Day) -> str:
    if not city_rounds:
        return "—"
    nearest = min(city_rounds, key=lambda c: abs((r.start - c.start).days))
    weeks = round(abs((r.start - nearest.start).days) / 7)
    return f"第{nearest.number}轮（{day(nearest.start)}进驻，相差{weeks}周）"


def _special_text(linkage: Linkage, span: Span) -> str:
    """County special rounds of a city theme: how many started with the city's, and which did not."""
    rounds = linkage.special_in_step
    if not rounds:
        return ""
    late = sorted((r for r, c in rounds.items() if c is None), key=lambda r: (r.start, r.county))
    text = f"县区与市委同主题的专项巡察{len(rounds)}轮，与市委同步开展{len(rounds) - len(late)}轮"
    if late:
        text += "；未同步的：" + "、".join(f"{county_round_name(r)}（{span(r.start, r.end)}）" for r in late)
    return text + "。"
