"""Scenario variants an office would really write, drawn from a seed.

Each variant starts from the Shangluo city committee's units and teams and
changes what offices change: the term's start month, extra blackout periods
(两会, 换届, 汛期 ...; several, of different lengths, in spring and in autumn),
the leader and drafted pools, vacant posts, the number of units (±30%) and of
teams (4-7), the share of units due a follow-up, and how the tables are saved (UTF-8,
UTF-8 with BOM, GBK, or Excel; English column codes, or Chinese headers and
values as a clerk types them). The variant is written to a folder and read
back through the loader, as the office's would be.

``small=True`` keeps a CI-sized variant: a third of the units and a two-year
term. Used by tests/test_variants.py and bench/bench_variants.py.

:func:`make_county_variant` does the same for a county office planning on its
own (the Zhashui scenario, names.level: county): its units ±30%, 2-4 teams, a
term of 4 or 5 years, the pools, the rounds and units a year, the weeks kept for
回访督查, and its tables without level or county columns, as a county's are.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from planner.columns import TARGETS, TEAMS, VILLAGES, TableSpec
from planner.loading import OWN_COUNTY_IMPLIED
from planner.describe import LEVEL_LABELS
from planner.loading import load_scenario
from planner.scenario import NOT_SETTINGS, Scenario
from planner.vocabulary import CATEGORY_LABELS, CITY, Level

SHANGLUO = Path(__file__).parent.parent / "scenarios" / "shangluo"
ZHASHUI = Path(__file__).parent.parent / "scenarios" / "zhashui"
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "xlsx")
EXTRA_NAMES = ("全国两会", "省两会", "换届", "汛期", "集中学习教育", "重大活动保障", "秋季防汛")
TEAM_NAMES = "一二三四五六七八九"


@dataclass(frozen=True)
class Variant:
    seed: int
    folder: Path
    scenario: Scenario
    facts: dict[str, Any]  # what was drawn, for reports

    def __str__(self) -> str:
        return f"variant {self.seed}: {json.dumps(self.facts, ensure_ascii=False, default=str)}"


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


def _blackouts(rng: random.Random, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """0-4 extra periods of 3 to 28 days, each starting in spring (March-May) or autumn (September-November)."""
    periods = []
    for n in range(rng.randint(0, 4)):
        year = rng.randint(start.year, end.year)
        month = rng.choice((3, 4, 5)) if rng.random() < 0.5 else rng.choice((9, 10, 11))
        first = dt.date(year, month, rng.randint(1, 28))
        last = first + dt.timedelta(days=rng.randint(3, 28) - 1)
        if start <= first and last <= end:
            periods.append({"name": f"{rng.choice(EXTRA_NAMES)}{n + 1}", "start": first, "end": last})
    return periods


def _units(rng: random.Random, base: Scenario, small: bool) -> tuple[list[dict[str, Any]], float]:
    """The city's units, thinned or cloned to 70-130% (a third of them when small), with follow-ups;
    an elevated town keeps its villages (they ride with it)."""
    units = [t.model_dump(mode="json") for t in base.targets_of(CITY) if t.category != "village"]
    if small:
        units = rng.sample(units, len(units) // 3)
    scale = rng.uniform(0.7, 1.3)
    wanted = max(4, round(len(units) * scale))
    if wanted <= len(units):
        units = rng.sample(units, wanted)
    else:
        extra = [dict(u, id=f"{u['id']}-B{n}", name=f"{u['name']}(分{n})")
                 for n, u in enumerate(rng.choices([u for u in units if u["category"] not in ("county", "town")],
                                                   k=wanted - len(units)))]
        units = units + extra
    share = rng.choice((0.0, 0.05, 0.1, 0.15))
    for u in units:
        u["follow_up"] = rng.random() < share
    towns = {u["id"] for u in units if u["category"] == "town"}
    villages = [t.model_dump(mode="json") for t in base.targets_of(CITY) if t.category == "village" and t.town in towns]
    return units + villages, share
def _teams(rng: random.Random, base: Scenario) -> list[dict[str, Any]]:
    """4-7 city teams; each post filled with probability 0.8 (a leader 0.85)."""
    template = base.teams_of(CITY)[0].model_dump(mode="json")
    teams = []
    for n in range(rng.randint(4, 7)):
        teams.append(dict(template, id=f"C{n + 1}", name=f"市委第{TEAM_NAMES[n]}巡察组",
                          leader_filled=int(rng.random() < 0.85), deputy_filled=int(rng.random() < 0.8),
                          liaison_filled=int(rng.random() < 0.8)))
    return teams


def _write_table(folder: Path, spec: TableSpec, rows: list[dict[str, Any]], encoding: str, chinese: bool,
                 left_out: tuple[str, ...] = ()) -> None:
    columns = [c for c in spec.columns if c.code not in left_out]
    frame = pd.DataFrame(rows, columns=[c.code for c in columns])
    for column in frame.columns:
        frame[column] = frame[column].map(lambda v: _cell(v, column, chinese))
    if chinese:
        frame.columns = [c.header for c in columns]
    if encoding == "xlsx":
        frame.to_excel(folder / f"{spec.stem}.xlsx", index=False)
    else:
        frame.to_csv(folder / f"{spec.stem}.csv", index=False, encoding=encoding)


def _cell(value: Any, column: str, chinese: bool) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if chinese else ("1" if value else "")
    if isinstance(value, (list, tuple)):
        return "、".join(value) if chinese else ";".join(value)
    if chinese and column == "category":
        return CATEGORY_LABELS[value]
    if chinese and column == "level":
        return LEVEL_LABELS[Level(value)]
    return str(value)


def make_variant(seed: int, folder: Path, small: bool = False, base: Scenario | None = None) -> Variant:
    """Draw variant ``seed``, write it to ``folder`` and read it back with the loader."""
    rng = random.Random(seed)
    base = base or load_scenario(SHANGLUO)
    month = rng.randint(1, 12)
    start = dt.date(base.horizon.start.year, month, 1)
    end = _add_years(start, 2 if small else 5) - dt.timedelta(days=1)
    units, share = _units(rng, base, small)
    teams = _teams(rng, base)
    present = {t["id"] for t in teams}
    for u in units:
        u["avoid_teams"] = [t for t in u["avoid_teams"] if t in present]
    config = base.model_dump(mode="json", exclude={*NOT_SETTINGS, "counties_policy"})
    config["horizon"] = {"start": start, "end": end}
    # The city's plan alone: cross inspection between counties belongs to the whole-city plan.
    config["cross_inspection"]["rounds"] = []
    extra = _blackouts(rng, start, end)
    config["calendar"]["extra"] = extra
    pools = {"drafted_pool": rng.randint(6, 20), "leader_pool": rng.randint(0, 3)}
    config["staff"]["city"] = pools
    if small:
        config["rounds"]["special"]["themes"] = config["rounds"]["special"]["themes"][:2]
    encoding = rng.choice(ENCODINGS)
    chinese = rng.random() < 0.5
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _write_table(folder, TARGETS, units, encoding, chinese)
    _write_table(folder, TEAMS, teams, encoding, chinese)
    facts = {
        "start": start, "end": end, "extra_blackouts": [(p["start"], (p["end"] - p["start"]).days + 1) for p in extra],
        **pools, "units": len(units), "teams": len(teams), "vacant_posts": sum(3 - _filled(t) for t in teams),
        "leaderless": sum(not t["leader_filled"] for t in teams), "follow_up_share": share, "encoding": encoding,
        "headers": "中文" if chinese else "codes",
    }
    return Variant(seed, folder, load_scenario(folder), facts)


def _filled(team: dict[str, Any]) -> int:
    return team["leader_filled"] + team["deputy_filled"] + team["liaison_filled"]


def make_county_variant(seed: int, folder: Path, small: bool = False) -> Variant:
    """Draw county variant ``seed`` from the Zhashui scenario, write it to ``folder`` (no level or
    county columns) and read it back with the loader."""
    rng = random.Random(seed)
    base = load_scenario(ZHASHUI)
    home = base.home
    start = dt.date(base.horizon.start.year, rng.choice((1, 1, 3, 7)), 1)
    years = 2 if small else rng.choice((4, 5))
    end = _add_years(start, years) - dt.timedelta(days=1)
    units = [t.model_dump(mode="json") for t in base.targets_of(home) if t.category != "village"]
    if small:
        towns = [u for u in units if u["category"] == "town"]
        others = [u for u in units if u["category"] != "town"]
        units = rng.sample(towns, 3) + rng.sample(others, len(others) // 3)
    wanted = max(4, round(len(units) * rng.uniform(0.7, 1.3)))
    if wanted <= len(units):
        units = rng.sample(units, wanted)
    else:
        units += [dict(u, id=f"{u['id']}-B{n}", name=f"{u['name']}(分{n})")
                  for n, u in enumerate(rng.choices([u for u in units if u["category"] != "town"], k=wanted - len(units)))]
    share = rng.choice((0.0, 0.05, 0.1))
    for u in units:
        u["follow_up"] = u["category"] != "town" and rng.random() < share
        u["avoid_teams"] = []
    towns = {u["id"] for u in units if u["category"] == "town"}
    villages = [t.model_dump(mode="json") for t in base.targets_of(home) if t.category == "village" and t.town in towns]
    template = base.teams_of(home)[0].model_dump(mode="json")
    teams = [dict(template, id=f"ZS{n + 1}", name=f"{home.county}委第{TEAM_NAMES[n]}巡察组", leader_filled=1,
                  deputy_filled=int(rng.random() < 0.7), liaison_filled=int(rng.random() < 0.7))
             for n in range(rng.randint(2, 4))]
    config = base.model_dump(mode="json", exclude={*NOT_SETTINGS, "counties", "linkage", "cross_inspection",
                                                   "county_defaults", "counties_policy"})
    del config["staff"]["city"]
    config["horizon"] = {"start": start, "end": end}
    extra = _blackouts(rng, start, end)
    config["calendar"]["extra"] = extra
    pools = {"drafted_pool": rng.randint(6, 12), "leader_pool": rng.randint(0, 1)}
    config["staff"]["county"] = pools
    config["rounds"]["regular"]["rounds_per_year_min"] = rng.choice((2, 3))
    config["rounds"]["units_per_year_min"] = rng.choice((0, 6, 12)) // (3 if small else 1)
    config["rounds"]["revisit_weeks"] = rng.choice((0, 1, 2, 3))
    encoding = rng.choice(ENCODINGS)
    chinese = rng.random() < 0.5
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scenario.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    hidden = (*OWN_COUNTY_IMPLIED, "elevated")
    _write_table(folder, TARGETS, units, encoding, chinese, hidden)
    _write_table(folder, VILLAGES, villages, encoding, chinese, hidden)
    _write_table(folder, TEAMS, teams, encoding, chinese, hidden)
    facts = {
        "start": start, "end": end, "extra_blackouts": [(p["start"], (p["end"] - p["start"]).days + 1) for p in extra],
        **pools, "units": len(units), "villages": len(villages), "teams": len(teams),
        "units_per_year_min": config["rounds"]["units_per_year_min"], "revisit_weeks": config["rounds"]["revisit_weeks"],
        "follow_up_share": share, "encoding": encoding, "headers": "中文" if chinese else "codes",
    }
    return Variant(seed, folder, load_scenario(folder), facts)
