"""What every Gantt chart shares: the A4 landscape page, colours by kind, dates on the x axis, blackouts shaded."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes

from planner.calendar import blackout_periods
from planner.scenario import Scenario

KIND_COLOURS = {"regular": "#2a5fa8", "special": "#d9731a", "cross": "#2f8f4e", "follow_up": "#8a4fa3"}
BLACKOUT_COLOUR = "#bdbdbd"
REVISIT_COLOUR = "#2a5fa8"  # 回访督查: the regular rounds' blue, hatched
BLACKOUT_ALPHA = 0.45
PAGE = (11.69, 8.27)  # A4 landscape, inches
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def num(day: dt.date) -> float:
    return mdates.date2num(day)


def draw_blackouts(ax: Axes, scenario: Scenario, start: dt.date, end: dt.date) -> None:
    """Shade the blackout periods (no on-site work) between ``start`` and ``end``."""
    for period in blackout_periods(scenario):
        if period.end >= start and period.start <= end:
            ax.axvspan(num(period.start), num(period.end + dt.timedelta(days=1)), color=BLACKOUT_COLOUR,
                       alpha=BLACKOUT_ALPHA, linewidth=0, zorder=0)


def date_ticks(ax: Axes, start: dt.date, end: dt.date, text: dict, by_month: bool = False) -> None:
    """Years (a label mid-year, a tick at each New Year) over several years; months within one, or if asked."""
    if not by_month and end.year > start.year:
        years = range(start.year, end.year + 1)
        ax.set_xticks([num(dt.date(y, 1, 1)) for y in years], [""] * len(years))
        mid = [dt.date(y, 7, 1) for y in years if dt.date(y, 7, 1) < end]
        ax.set_xticks([num(d) for d in mid], [text["year_tick"].format(year=d.year) for d in mid], minor=True)
        ax.tick_params(axis="x", which="minor", length=0, labelsize=9)
    else:
        months = pd.date_range(start, end, freq="MS").date
        ax.set_xticks(
            [num(m) for m in months],
            [text["month_tick"].format(month=m.month, month_abbr=MONTH_ABBR[m.month - 1]) for m in months],
            fontsize=8,
        )
