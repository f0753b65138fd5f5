"""Gantt chart of a plan: what the leading group looks at first.

Rows are teams (or rounds); each bar is one team's on-site window in one
round, coloured by kind, with the team's busy span (preparation + on-site +
report) drawn lighter behind it. A bar is labelled with the short names of its
units when they fit inside it; otherwise it carries a number that a key below
the chart explains, so the five-year overview fits one landscape page without
colliding labels. Blackout periods are shaded, years and round numbers
marked. The functions draw only from the plan table and the scenario.
Level ``all`` hands over to :mod:`planner.gantt_whole`: the whole city, a
panel per committee.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.transforms import blended_transform_factory

from planner.fonts import cjk_rc, svg_with_font_fallbacks
from planner.gantt_style import (
    BLACKOUT_ALPHA,
    BLACKOUT_COLOUR,
    KIND_COLOURS,
    PAGE,
    REVISIT_COLOUR,
    date_ticks,
    draw_blackouts,
    num,
)
from planner.gantt_whole import plot_whole_gantt
from planner.io import atomic_write_bytes
from planner.plan import read_plan
from planner.printouts.rounds import committee_name, round_frame, select, short_names
from planner.rule_checks import revisit_windows
from planner.scenario import Scenario
from planner.vocabulary import WHOLE_LEVEL, Committee, Level

BUSY_ALPHA = 0.22
FORMATS = ("png", "svg", "pdf")
LABEL_SIZE = 7.0
NUMBER_SIZE = 6.0
KEY_SIZE = 6.5
KEY_COLUMN_PT = 190.0
MAX_KEY_SHARE = 0.38
ROW_MAX_IN = 0.8
MIN_KEY_SIZE = 4.5
KEY_GAP = 0.07  # x tick labels between chart and key
LINE_SPACING = 1.25

TEXT = {
    "zh": {
        "title_team": "{committee}巡察工作安排（{years}）",
        "title_round": "{committee}巡察轮次安排（{years}）",
        "years": "{start}年",
        "years_range": "{start}—{end}年",
        "kinds": {"regular": "常规巡察", "special": "专项巡察", "cross": "交叉巡察", "follow_up": "巡察“回头看”"},
        "busy": "准备及报告",
        "blackout": "禁止进驻（春节、国庆）",
        "revisit": "回访督查",
        "round_row": "第{n}轮",
        "rounds": "轮次",
        "year_tick": "{year}年",
        "month_tick": "{month}月",
        "key": "编号所指单位",
    },
    "en": {
        "title_team": "{committee}: inspection plan ({years})",
        "title_round": "{committee}: rounds ({years})",
        "years": "{start}",
        "years_range": "{start}–{end}",
        "kinds": {"regular": "Regular", "special": "Special", "cross": "Cross", "follow_up": "Follow-up"},
        "busy": "Preparation and report",
        "blackout": "Blackout (Spring Festival, National Day)",
        "revisit": "Revisits of last year's units",
        "round_row": "Round {n}",
        "rounds": "Round",
        "year_tick": "{year}",
        "month_tick": "{month_abbr}",
        "key": "Units by number",
    },
}


@dataclass(frozen=True)
class Bar:
    """One team's (or one round's) on-site window with its busy span and units."""

    row: int
    round: int
    kind: str
    onsite_start: dt.date
    onsite_end: dt.date
    busy_start: dt.date
    busy_end: dt.date
    names: tuple[str, ...]
    team: str = ""  # the team of a bar on a team's row; empty on a round's row


def gantt_bars(
    table: pd.DataFrame,
    scenario: Scenario,
    *,
    by: str = "team",
    year: int | None = None,
    level: str = Level.CITY.value,
    county: str = "",
    lang: str = "zh",
) -> tuple[list[str], list[Bar]]:
    """Row labels (top to bottom) and bars of the chart, after the filters."""
    rows = select(table, level, county)
    rounds = round_frame(rows)
    if year is not None:
        rows = rows[rows["round"].map(rounds["year"]) == year]
    text = TEXT[lang]
    if by == "round":
        keys = sorted(rows["round"].unique())
        labels = [text["round_row"].format(n=n) for n in keys]
        groups = rows.groupby("round", sort=True)
    elif by == "team":
        teams = rows.drop_duplicates("team").sort_values("team")
        keys = list(teams["team"])
        prefix = scenario.names.team_prefix if level == Level.CITY.value or not county else (
            scenario.policy(Committee(county)).team_prefix)
        names = teams["team_name"] if "team_name" in teams else teams["team"]
        labels = [n.removeprefix(prefix) if lang == "zh" else t for t, n in zip(keys, names)]
        groups = rows.groupby(["team", "round"], sort=True)
    else:
        raise ValueError(f"by must be 'team' or 'round', not {by!r}")
    index = {key: i for i, key in enumerate(keys)}
    short = short_names(rows["target_name"], scenario, level, county)
    town_of = {t.id: t.town for t in scenario.targets if t.category == "village"}
    bars = []
    for key, group in groups:
        row_key = key if by == "round" else key[0]
        # A village riding with its town (巡镇带村) is part of the town's bar, not a label of its own.
        towns = set(group["target"])
        riding = pd.Series([c == "village" and town_of.get(t, "") in towns
                            for c, t in zip(group["category"], group["target"])], index=group.index, dtype=bool)
        units = tuple(dict.fromkeys(short[n] for n in group.loc[~riding, "target_name"]))
        bars.append(
            Bar(
                row=index[row_key],
                round=int(group["round"].iloc[0]),
                kind=str(group["kind"].iloc[0]),
                onsite_start=min(group["onsite_start"]),
                onsite_end=max(group["onsite_end"]),
                busy_start=min(group["busy_start"]),
                busy_end=max(group["busy_end"]),
                names=units,
                team="" if by == "round" else row_key,
            )
        )
    bars.sort(key=lambda b: (b.onsite_start, b.row))
    return labels, bars


def plot_gantt(
    table: pd.DataFrame,
    scenario: Scenario,
    *,
    by: str = "team",
    year: int | None = None,
    level: str = Level.CITY.value,
    county: str = "",
    lang: str = "zh",
    ax: Axes | None = None,
) -> Figure:
    """Draw the Gantt chart on ``ax`` (a new A4 landscape page if omitted) and return its figure.

    On a new page the key of numbered bars fills the space below the chart and
    the chart takes the rest; on a given ``ax`` the key goes below it. Level
    ``all`` draws the whole city, a panel per committee, on a page of its own
    (see :mod:`planner.gantt_whole`).
    """
    if level == WHOLE_LEVEL:  # every committee in a panel
        return plot_whole_gantt(table, scenario, year=year, lang=lang)
    labels, bars = gantt_bars(table, scenario, by=by, year=year, level=level, county=county, lang=lang)
    if not bars:
        raise ValueError("所选范围内没有巡察安排")
    years = sorted({b.onsite_start.year for b in bars})
    text = TEXT[lang]
    span = text["years"] if len(years) == 1 else text["years_range"]
    title = text[f"title_{by}"].format(
        committee=committee_name(scenario, level, county), years=span.format(start=years[0], end=years[-1])
    )
    draw = dict(labels=labels, bars=bars, scenario=scenario, by=by, year=year, text=text, title=title,
                revisits=_revisits(table, scenario, bars, year, level, county) if by == "team" else [])
    with cjk_rc():
        if ax is not None:
            numbered = _draw_chart(ax, **draw)
            if numbered:
                _draw_key(ax.inset_axes((0.0, -0.95, 1.0, 0.8)), numbered, text)
            return ax.figure
        # Taller rows only let more labels fit inline, so a second pass never needs a larger key.
        key_share = MAX_KEY_SHARE
        while True:
            fig = plt.figure(figsize=PAGE)
            box = _chart_box(key_share, len(labels))
            ax = fig.add_axes(box)
            numbered = _draw_chart(ax, **draw)
            needed = _key_share(numbered, fig)
            if needed >= key_share - 0.02:
                break
            plt.close(fig)
            key_share = needed
        if numbered:
            _draw_key(fig.add_axes((0.02, box[1] - KEY_GAP - key_share, 0.96, key_share)), numbered, text)
    return fig


def _chart_box(key_share: float, rows: int) -> tuple[float, float, float, float]:
    """Chart position on the page: below title and legend, above the key, rows at most ROW_MAX_IN tall."""
    top = 0.86
    bottom = 0.02 + key_share + KEY_GAP if key_share else 0.07
    height = min(top - bottom, rows * ROW_MAX_IN / PAGE[1])
    return (0.09, top - height, 0.89, height)


def _key_share(entries: list[tuple[int, str]], fig: Figure) -> float:
    """Share of the page height the key needs at the normal key size (at most MAX_KEY_SHARE)."""
    if not entries:
        return 0.0
    width_pt = 0.96 * fig.get_figwidth() * 72
    layout = _key_layout(entries, width_pt, KEY_SIZE)
    rows = max(sum(len(lines) for _, lines in column) for column in _fill_columns(layout[2], layout[0], 10**6))
    needed = (rows + 2) * _line_pt(fig, KEY_SIZE) / (fig.get_figheight() * 72)
    return min(MAX_KEY_SHARE, needed)


def _draw_chart(ax: Axes, *, labels, bars, scenario, by, year, text, title, revisits) -> list[tuple[int, str]]:
    """Everything but the key; returns the key's (number, units) entries."""
    start, end = _x_range(bars, year)
    _draw_frame(ax, labels, start, end, year, text)
    draw_blackouts(ax, scenario, start, end)
    numbered = _draw_bars(ax, bars, by)
    for row, first, last in revisits:
        ax.barh(row, num(last + dt.timedelta(days=1)) - num(first), left=num(first), height=0.4, color="white",
                edgecolor=REVISIT_COLOUR, hatch="////", linewidth=0.6, zorder=3)
    if by == "team":
        _draw_round_numbers(ax, bars, text)
    _draw_legend(ax, bars, text, bool(revisits))
    ax.set_title(title, loc="left", fontsize=12, pad=30)
    return numbered


def gantt_bytes(table: pd.DataFrame, scenario: Scenario, fmt: str = "png", **options) -> bytes:
    """The chart as a png, svg or pdf file's bytes; a pdf keeps the whole A4 page, images are cropped."""
    fig = plot_gantt(table, scenario, **options)
    buffer = io.BytesIO()
    crop = {} if fmt == "pdf" else {"bbox_inches": "tight", "pad_inches": 0.15}
    with cjk_rc():
        fig.savefig(buffer, format=fmt, dpi=200, **crop)
    plt.close(fig)
    return svg_with_font_fallbacks(buffer.getvalue()) if fmt == "svg" else buffer.getvalue()


def write_gantt(plan: str | Path | pd.DataFrame, scenario: Scenario, path: str | Path, **options) -> Path:
    """Write the chart of a plan directory (or table) to ``path``; the suffix picks png, svg or pdf."""
    table = plan if isinstance(plan, pd.DataFrame) else read_plan(plan).assignments
    path = Path(path)
    atomic_write_bytes(path, gantt_bytes(table, scenario, path.suffix.lstrip(".").lower(), **options))
    return path


def gantt_file_name(*, by: str = "team", year: int | None = None, county: str = "", lang: str = "zh",
                    suffix: str = "png", level: str = "") -> str:
    """gantt.png for the overview; gantt-round-2028.pdf, gantt-en.png and the like for other options.

    A whole-city plan's gantt.png is the whole city's chart; ``level`` names a
    part of it drawn alone (gantt-city.png), so that never overwrites it.
    """
    if suffix not in FORMATS:
        raise ValueError(f"格式应为 {'、'.join(FORMATS)}，不是“{suffix}”")
    parts = (["gantt"] + ([level] if level else []) + (["round"] if by == "round" else [])
             + ([str(year)] if year else []) + ([county] if county else []) + ([lang] if lang != "zh" else []))
    return f"{'-'.join(parts)}.{suffix}"


def _x_range(bars: list[Bar], year: int | None) -> tuple[dt.date, dt.date]:
    first = min(b.busy_start for b in bars)
    last = max(b.busy_end for b in bars)
    if year is not None:
        return min(first, dt.date(year, 1, 1)), max(last, dt.date(year, 12, 31))
    return dt.date(first.year, 1, 1), max(last, dt.date(max(b.onsite_start.year for b in bars), 12, 31))


def _draw_frame(ax: Axes, labels: list[str], start: dt.date, end: dt.date, year: int | None, text: dict) -> None:
    ax.set_xlim(num(start), num(end + dt.timedelta(days=1)))
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_yticks(range(len(labels)), labels, fontsize=8 if len(labels) <= 12 else 6.5)
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for y in range(start.year + 1, end.year + 1):
        ax.axvline(num(dt.date(y, 1, 1)), color="#444444", linewidth=0.9, zorder=1)
    date_ticks(ax, start, end, text, by_month=year is not None)
    ax.grid(axis="y", color="#eeeeee", linewidth=0.6)
    ax.set_axisbelow(True)


def _line_pt(fig: Figure, size: float) -> float:
    """Height of one line of text at ``size``, with a little air, in points."""
    probe = fig.text(0, 0, "国lp", fontsize=size)
    height = probe.get_window_extent(fig.canvas.get_renderer()).height
    probe.remove()
    return height * 72.0 / fig.dpi * 1.08


def _draw_bars(ax: Axes, bars: list[Bar], by: str) -> list[tuple[int, str]]:
    """Draw every bar; return the (number, units) entries of the key.

    A bar's units go inside it (one per line, else in one line) when the text
    fits; otherwise it carries a number. Rows of rounds number a bar by its
    round; rows of teams number bars in time order, bars with the same units (a
    special round's theme) sharing a number.
    """
    busy_height, onsite_height = 0.78, 0.56
    renderer = ax.figure.canvas.get_renderer()
    numbers: dict[str, int] = {}
    key: dict[int, str] = {}
    for bar in bars:
        colour = KIND_COLOURS.get(bar.kind, "#666666")
        left = num(bar.busy_start)
        ax.barh(bar.row, num(bar.busy_end + dt.timedelta(days=1)) - left, left=left, height=busy_height,
                color=colour, alpha=BUSY_ALPHA, edgecolor="white", linewidth=0.8, zorder=2)
        left = num(bar.onsite_start)
        onsite = ax.barh(bar.row, num(bar.onsite_end + dt.timedelta(days=1)) - left, left=left,
                         height=onsite_height, color=colour, linewidth=0, zorder=3, gid=f"onsite-{bar.round}")
        inside = onsite.patches[0].get_window_extent(renderer).padded(-2)
        centre = left + (num(bar.onsite_end + dt.timedelta(days=1)) - left) / 2
        for label in ("\n".join(bar.names), "、".join(bar.names)):
            text = ax.text(centre, bar.row, label, ha="center", va="center", fontsize=LABEL_SIZE, color="white",
                           zorder=4, linespacing=LINE_SPACING)
            box = text.get_window_extent(renderer)
            if inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1:
                break
            text.remove()
        else:
            units = "、".join(bar.names)
            number = bar.round if by == "round" else numbers.setdefault(units, len(numbers) + 1)
            key[number] = units
            ax.text(centre, bar.row, str(number), ha="center", va="center", fontsize=NUMBER_SIZE, color="white",
                    zorder=4)
    return sorted(key.items())


def _draw_round_numbers(ax: Axes, bars: list[Bar], text: dict) -> None:
    """Round numbers above the chart; a number that would touch the previous one moves up a line."""
    spans: dict[int, tuple[float, float]] = {}
    for bar in bars:
        a, b = spans.get(bar.round, (math.inf, -math.inf))
        spans[bar.round] = (min(a, num(bar.onsite_start)), max(b, num(bar.onsite_end)))
    transform = blended_transform_factory(ax.transData, ax.transAxes)
    ax.text(-0.005, 1.015, text["rounds"], transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="#333333")
    last_right = {0: -math.inf, 1: -math.inf}
    renderer = ax.figure.canvas.get_renderer()
    for number, (a, b) in sorted(spans.items(), key=lambda item: item[1][0]):
        for line in (0, 1):
            label = ax.text((a + b) / 2, 1.015 + 0.05 * line, str(number), transform=transform, ha="center",
                            va="bottom", fontsize=7, color="#333333")
            box = label.get_window_extent(renderer)
            if box.x0 > last_right[line] + 1 or line == 1:
                last_right[line] = box.x1
                break
            label.remove()


def _revisits(table: pd.DataFrame, scenario: Scenario, bars: list[Bar], year: int | None, level: str,
              county: str) -> list[tuple[int, dt.date, dt.date]]:
    """(row, first day, last day) of each team's 回访督查 weeks the plan leaves free (one committee's chart)."""
    if level != Level.CITY.value and not county:
        return []
    rows = select(table, level, county).drop_duplicates(["round", "team"])
    spans = zip(rows["team"], rows["busy_start"], rows["busy_end"])
    row_of = {b.team: b.row for b in bars}
    return [(row_of[team], *window) for (team, y), window in revisit_windows(scenario, Committee(county), spans).items()
            if window is not None and team in row_of and year in (None, y)]


def _draw_legend(ax: Axes, bars: list[Bar], text: dict, revisits: bool = False) -> None:
    kinds = [k for k in KIND_COLOURS if any(b.kind == k for b in bars)]
    handles = [Patch(color=KIND_COLOURS[k], label=text["kinds"][k]) for k in kinds]
    handles.append(Patch(color=KIND_COLOURS["regular"], alpha=BUSY_ALPHA, label=text["busy"]))
    handles.append(Patch(color=BLACKOUT_COLOUR, alpha=BLACKOUT_ALPHA, label=text["blackout"]))
    if revisits:
        handles.append(Patch(facecolor="white", edgecolor=REVISIT_COLOUR, hatch="////", label=text["revisit"]))
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.1), ncol=len(handles), frameon=False,
              fontsize=7.5, handlelength=1.4, columnspacing=1.2, borderaxespad=0)


def _wrap(label: str, width_pt: float, prop: FontProperties) -> list[str]:
    """Break ``label`` into lines no wider than ``width_pt``, preferably after 、."""
    measure = TextToPath()

    def width(s: str) -> float:
        return measure.get_text_width_height_descent(s, prop, ismath=False)[0]

    lines, line = [], ""
    for token in label.replace("、", "、\0").split("\0"):
        if width(line + token) <= width_pt:
            line += token
            continue
        if line:
            lines.append(line)
            line = ""
        for char in token:
            if width(line + char) > width_pt and line:
                lines.append(line)
                line = ""
            line += char
    return lines + [line] if line else lines


def _key_layout(entries: list[tuple[int, str]], width_pt: float, size: float):
    """Columns, column width and wrapped (number, lines) blocks of the key at font ``size``."""
    prop = FontProperties(size=size)
    columns = max(1, int(width_pt // KEY_COLUMN_PT))
    column_pt = width_pt / columns
    number_pt = size * 2.2
    blocks = [(n, _wrap(units, column_pt - number_pt - 1.6 * size, prop)) for n, units in entries]
    return columns, column_pt, blocks


def _draw_key(key_ax: Axes, entries: list[tuple[int, str]], text: dict) -> None:
    """Numbered key in columns filling ``key_ax``; the font shrinks until it fits."""
    key_ax.set_axis_off()
    fig = key_ax.figure
    box = key_ax.get_position()
    width_pt = box.width * fig.get_figwidth() * 72
    height_pt = box.height * fig.get_figheight() * 72
    size = KEY_SIZE
    while True:
        columns, column_pt, blocks = _key_layout(entries, width_pt, size)
        line_pt = _line_pt(fig, size)
        placed = _fill_columns(blocks, columns, int(height_pt // line_pt) - 2)
        if placed is not None or size <= MIN_KEY_SIZE:
            break
        size -= 0.25
    key_ax.text(0, 1, text["key"], transform=key_ax.transAxes, ha="left", va="top", fontsize=size + 1)
    number_pt = size * 2.2
    for column, column_blocks in enumerate(placed or _fill_columns(blocks, columns, 10**6)):
        x = column * column_pt / width_pt
        row = 2
        for number, lines in column_blocks:
            key_ax.text(x + number_pt / width_pt, 1 - row * line_pt / height_pt, str(number),
                        transform=key_ax.transAxes, ha="right", va="top", fontsize=size)
            for line in lines:
                key_ax.text(x + (number_pt + size * 0.6) / width_pt, 1 - row * line_pt / height_pt, line,
                            transform=key_ax.transAxes, ha="left", va="top", fontsize=size)
                row += 1


def _fill_columns(blocks: list[tuple[int, list[str]]], columns: int, rows: int) -> list[list] | None:
    """Blocks in reading order down the columns, or None when they need more columns."""
    placed: list[list] = [[]]
    used = 0
    for block in blocks:
        if used + len(block[1]) > rows and placed[-1]:
            placed.append([])
            used = 0
        placed[-1].append(block)
        used += len(block[1])
    return placed if len(placed) <= columns else None
