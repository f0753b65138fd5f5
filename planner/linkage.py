"""市县联动: how a whole-city plan ties the city's and the counties' rounds together, read off the table.

Measured, not modelled: the checker and the summary read these figures from
``assignments.csv`` and the scenario alone — county rounds in step with the
city's, sectors linked, visits into each county and how close they fall,
and the cross-inspection cycle.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from planner.scenario import Scenario
from planner.vocabulary import CITY, Committee, Kind


@dataclass(frozen=True)
class RoundRef:
    """A round of one committee: county ("" for the city), number, kind, on-site window."""

    county: str
    number: int
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == Kind.CROSS.value and not self.county:
            return f"{self.start} 起的交叉巡察"
        return f"{self.county or '市委'}第{self.number}轮"


@dataclass(frozen=True)
class Visit:
    """A round in which someone other than the county's own teams is on site in the county."""

    round: RoundRef
    what: str  # 巡察县区委 / 提级巡察镇办 / 专项巡察 / 交叉巡察


@dataclass(frozen=True)
class Linkage:
    city_rounds: tuple[RoundRef, ...]  # regular
    sectors: dict[int, tuple[str, ...]]  # city round number -> sectors it names
    in_step: dict[RoundRef, RoundRef | None]  # county regular round -> the city round it starts with
    special_in_step: dict[RoundRef, RoundRef | None]  # county special round of a city theme -> the city's
    links: dict[tuple[int, str], tuple[str, ...]]  # (city round, sector) -> counties inspecting it within sync_weeks
    visits: dict[str, tuple[Visit, ...]]  # county -> visits in start order
    close: dict[str, tuple[tuple[Visit, Visit], ...]]  # county -> pairs of visits closer than the quiet period
    cycle: dict[str, set[str]]  # inspecting county -> counties its teams inspected in cross rounds

    @property
    def sync_share(self) -> float | None:
        rounds = list(self.in_step.values())
        return sum(r is not None for r in rounds) / len(rounds) if rounds else None

    @property
    def sectors_linked(self) -> tuple[str, ...]:
        return tuple(sorted({s for (_r, s), counties in self.links.items() if counties}))

    def starting_with(self, city_round: RoundRef) -> tuple[RoundRef, ...]:
        """The county regular rounds in step with ``city_round``, in start order."""
        return tuple(sorted((r for r, c in self.in_step.items() if c == city_round), key=lambda r: (r.start, r.county)))

    @property
    def out_of_step(self) -> tuple[RoundRef, ...]:
        """County regular rounds that start with no city regular round, in start order."""
        return tuple(sorted((r for r, c in self.in_step.items() if c is None), key=lambda r: (r.start, r.county)))


@dataclass(frozen=True)
class CrossRun:
    """One cross inspection (交叉巡察) as planned: its window and who inspects whom."""

    start: dt.date
    end: dt.date
    pairs: dict[str, tuple[str, ...]]  # inspecting county -> inspected counties

    def cycle(self, counties: tuple[str, ...] | list[str]) -> tuple[str, ...] | None:
        """The counties in cycle order, the first back at the end (甲→乙→丙→甲), or None if the map is not one cycle."""
        if not self.pairs or any(len(to) != 1 for to in self.pairs.values()):
            return None
        start = next(c for c in counties if c in self.pairs)
        path = [start]
        while len(path) <= len(self.pairs):
            following = self.pairs.get(path[-1], ())
            if not following:
                return None
            path.append(following[0])
            if path[-1] == start:
                break
        return tuple(path) if path[-1] == start and len(path) == len(self.pairs) + 1 else None


def cross_runs(frame: pd.DataFrame) -> tuple[CrossRun, ...]:
    """The plan's cross inspections in time order; rows sharing an on-site start are one round."""
    cross = frame[frame["kind"] == Kind.CROSS.value]
    runs = []
    for start, rows in cross.groupby("onsite_start", sort=True):
        pairs = {county: tuple(sorted(set(group["target_county"])))
                 for county, group in rows.groupby("county", sort=False)}
        runs.append(CrossRun(start, max(rows["onsite_end"]), pairs))
    return tuple(runs)


def is_whole_table(frame: pd.DataFrame, scenario: Scenario) -> bool:
    """Whether the table holds the city's rounds and every county's: a whole-city plan."""
    return set(frame["county"]) == {"", *scenario.counties}


def _rounds(frame: pd.DataFrame) -> list[RoundRef]:
    grouped = frame.groupby(["county", "round"], sort=True).agg(
        kind=("kind", "first"), start=("onsite_start", "min"), end=("onsite_end", "max"))
    return [RoundRef(county, int(number), r.kind, r.start, r.end) for (county, number), r in grouped.iterrows()]


def linkage_of(frame: pd.DataFrame, scenario: Scenario) -> Linkage:
    """The whole-city figures of a plan table (the city's and every county's rows)."""
    settings = scenario.linkage
    rounds = _rounds(frame)
    by_key = {(r.county, r.number): r for r in rounds}
    city = [r for r in rounds if not r.county]
    city_regular = tuple(r for r in city if r.kind == Kind.REGULAR)
    window = dt.timedelta(weeks=settings.sync_weeks)

    def partner(start: dt.date, candidates) -> RoundRef | None:
        near = [c for c in candidates if abs(start - c.start) <= window]
        return min(near, key=lambda c: abs(start - c.start)) if near else None

    in_step = {r: partner(r.start, city_regular) for r in rounds if r.county and r.kind == Kind.REGULAR}
    city_themes = {frame.loc[(frame["county"] == "") & (frame["round"] == r.number), "target_name"].iloc[0]: r
                   for r in city if r.kind == Kind.SPECIAL}
    special_in_step = {}
    for r in rounds:
        if r.county and r.kind == Kind.SPECIAL:
            theme = frame.loc[(frame["county"] == r.county) & (frame["round"] == r.number), "target_name"].iloc[0]
            if theme in city_themes:
                special_in_step[r] = partner(r.start, [city_themes[theme]])
    named = frame[(frame["county"] == "") & (frame["kind"] == Kind.REGULAR.value)]
    sectors = {int(number): tuple(s for s in str(rows["linked_sectors"].iloc[0]).split("、") if s)
               for number, rows in named.groupby("round")} if "linked_sectors" in frame else {}
    links: dict[tuple[int, str], list[str]] = {(n, s): [] for n, names in sectors.items() for s in names}
    county_rows = frame[frame["county"] != ""]
    # A county round links its sectors with every city round it starts near (constraints.linked_sectors).
    for (county, number), rows in county_rows[county_rows["kind"] == Kind.REGULAR.value].groupby(["county", "round"]):
        start = by_key[(county, int(number))].start
        for city_round in (c for c in city_regular if abs(start - c.start) <= window):
            for sector in set(rows["sector"]):
                if (city_round.number, sector) in links and county not in links[city_round.number, sector]:
                    links[city_round.number, sector].append(county)
    visits, close = _visits(frame, scenario, by_key)
    cycle: dict[str, set[str]] = defaultdict(set)
    for row in frame[frame["kind"] == Kind.CROSS.value].itertuples():
        cycle[row.county].add(row.target_county)
    return Linkage(city_regular, sectors, in_step, special_in_step,
                   {k: tuple(sorted(v)) for k, v in links.items()}, visits, close, dict(cycle))


def _visits(frame: pd.DataFrame, scenario: Scenario, by_key) -> tuple[dict, dict]:
    """Visits into each county by the city (its units there, its special rounds there) and by cross teams."""
    targets = {t.id: t for t in scenario.targets}
    themes = {t.name: (scenario.counties if t.all_counties else t.counties) for t in scenario.policy(CITY).rounds.special.themes}
    found: dict[str, dict[RoundRef, str]] = {c: {} for c in scenario.counties}
    city = frame[frame["county"] == ""]
    for row in city.itertuples():
        rnd = by_key[("", int(row.round))]
        if row.kind == Kind.SPECIAL.value:
            for county in themes.get(row.target_name, ()):
                found[county].setdefault(rnd, "专项巡察")
            continue
        target = targets.get(row.target)
        if target is not None and target.county and target.category in ("county", "town"):
            found[target.county].setdefault(rnd, "巡察县区委" if target.category == "county" else "提级巡察镇办")
    cross = frame[frame["kind"] == Kind.CROSS.value]
    # A cross round is one visit into every county, organised by the city: all counties' rows, one window.
    for start, rows in cross.groupby("onsite_start"):
        held = RoundRef("", 0, Kind.CROSS.value, start, max(rows["onsite_end"]))
        for county in found:
            found[county].setdefault(held, "交叉巡察")
    # Apart: the later visit starts at least the quiet weeks after the week the earlier one's on-site work ends.
    quiet = dt.timedelta(weeks=scenario.linkage.quiet_weeks, days=3)
    visits, close = {}, {}
    for county, rounds in found.items():
        ordered = tuple(Visit(r, what) for r, what in sorted(rounds.items(), key=lambda item: item[0].start))
        visits[county] = ordered
        close[county] = tuple(
            (a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]
            if b.round.start < a.round.end + quiet and a.round.start < b.round.end + quiet
        )
    return visits, close


def is_whole(committees: list[Committee], scenario: Scenario) -> bool:
    return set(committees) == set(scenario.committees)
