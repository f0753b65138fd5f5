"""Views of a plan table shared by the Gantt chart and the printouts.

A round belongs to the year in which its on-site phase starts; round numbers
run within one level (and one county), so every view first selects one.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.scenario import CATEGORY_LABELS, KIND_LABELS, Level, Scenario

# Kinds whose targets count towards full coverage (回头看 revisits a covered unit).
COVERING_KINDS = ("regular", "cross")
LEADER_LABELS = {"permanent": "在编组长", "drafted": "抽调组长"}
# Prefixes dropped from unit names in charts, tried in order; "{city}" is the scenario's city.
NAME_PREFIXES = ("中共", "{city}", "{city_short}", "市委", "市")
NAME_SUFFIXES = (("委员会", "委"), ("集团有限公司", "集团"), ("有限责任公司", ""), ("有限公司", ""))


def select(table: pd.DataFrame, level: str = Level.CITY.value, county: str = "") -> pd.DataFrame:
    """Rows of one committee: the city, or one county (all counties if ``county`` is empty)."""
    rows = table[table["level"] == level]
    if county:
        rows = rows[rows["county"] == county]
    return rows


def round_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per round of one committee, ordered by number, with its year and spans."""
    grouped = rows.groupby("round", sort=True)
    frame = grouped.agg(
        kind=("kind", "first"),
        onsite_start=("onsite_start", "min"),
        onsite_end=("onsite_end", "max"),
        busy_start=("busy_start", "min"),
        busy_end=("busy_end", "max"),
        teams=("team", "nunique"),
        units=("target", lambda s: s[s != ""].nunique()),
    )
    frame["year"] = [d.year for d in frame["onsite_start"]]
    return frame


def rows_of_year(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    years = round_frame(rows)["year"]
    return rows[rows["round"].map(years) == year]


def covered(rows: pd.DataFrame) -> pd.DataFrame:
    """Distinct covered units (id, category), first inspection only; villages are counted apart."""
    done = rows[rows["kind"].isin(COVERING_KINDS) & (rows["target"] != "") & (rows["category"] != "village")]
    return done.drop_duplicates("target")[["target", "category"]]


def committee_name(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> str:
    if level == Level.CITY.value:
        return scenario.names.committee
    return f"中共{county}委" if county else "各县(区)委"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def short_name(name: str, scenario: Scenario) -> str:
    """A unit name as a chart label: 中共商州区委员会 -> 商州区委, 市委组织部 -> 组织部."""
    city = scenario.names.city
    for old, new in NAME_SUFFIXES:
        if name.endswith(old):
            name = name[: -len(old)] + new
    for pattern in NAME_PREFIXES:
        prefix = pattern.format(city=city, city_short=city.removesuffix("市"))
        rest = name.removeprefix(prefix)
        # Keep 商州区委 whole, and never leave a bare 委 or a single character.
        if prefix and rest != name and len(rest) >= 2 and not rest.startswith("委"):
            name = rest
    return name


def date_cn(day: dt.date, with_year: bool = True) -> str:
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if with_year else text


def span_cn(start: dt.date, end: dt.date) -> str:
    """2028年3月6日至4月28日; the year is repeated only when it changes."""
    return f"{date_cn(start)}至{date_cn(end, with_year=end.year != start.year)}"
