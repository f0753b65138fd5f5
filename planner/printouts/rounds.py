"""Views of a plan table shared by the Gantt chart and the printouts.

Round numbers run within one committee (the city, or one county), so every
view first selects one with ``level`` and ``county``; the city is the
default. A round counts towards the year in which its on-site phase starts,
and appears in the annual plan of every year its on-site phase touches.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from planner.rule_checks import revisit_windows
from planner.scenario import Scenario
from planner.scenario_settings import Policy, SpecialTheme
from planner.tables import Team
from planner.vocabulary import CATEGORIES, CATEGORY_LABELS, KIND_LABELS, Committee, Kind, Level

# Kinds whose targets count towards full coverage (回头看 revisits a covered unit).
COVERING_KINDS = ("regular", "cross")
LEADER_SOURCES = {False: "在编", True: "抽调"}
# Prefixes dropped from unit names in charts, tried in order; "{place}" is the committee's city or county.
NAME_PREFIXES = ("中共", "{place}", "{place_short}", "市委", "市", "县委", "县")
NAME_SUFFIXES = (("委员会", "委"), ("集团有限公司", "集团"), ("有限责任公司", ""), ("有限公司", ""))
# A short name never starts with these: 市政府办公室 stays whole, not 政府办公室.
KEEP_BEFORE = ("委", "政府", "人大", "政协")
CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}


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
    frame["last_year"] = [d.year for d in frame["onsite_end"]]
    return frame


def rounds_touching(rounds: pd.DataFrame, year: int) -> pd.DataFrame:
    """Rounds on site at some time in ``year``: those starting in it and those continuing into it."""
    return rounds[(rounds["year"] <= year) & (rounds["last_year"] >= year)]


def covered(rows: pd.DataFrame) -> pd.DataFrame:
    """Distinct covered units (id, category), first inspection only; villages are counted apart."""
    done = rows[rows["kind"].isin(COVERING_KINDS) & (rows["target"] != "") & (rows["category"] != "village")]
    return done.drop_duplicates("target")[["target", "category"]]


def committees_of(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> list[Committee]:
    """The committee of ``level`` and ``county``: the city, one county, or (no county named) every county."""
    if level == Level.CITY.value:
        return [Committee()]
    return [Committee(county)] if county else [Committee(c) for c in scenario.counties]


def policy_of(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> Policy:
    """The resolved settings of one committee; a printout of one committee needs one named."""
    if level != Level.CITY.value and not county:
        raise ValueError("县区委的打印件须指定县区 (--county)")
    return scenario.policy(committees_of(scenario, level, county)[0])


def committee_name(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> str:
    if level != Level.CITY.value and not county:
        return "各县（区）委"
    return policy_of(scenario, level, county).committee


def term_plan_name(scenario: Scenario) -> str:
    """巡察工作五年规划 for a five-year term, 巡察工作规划 for a term of another length (a county's 4 years)."""
    return "巡察工作五年规划" if len(scenario.horizon.years) == 5 else "巡察工作规划"


def team_revisits(rows: pd.DataFrame, scenario: Scenario, committee: Committee) -> list[tuple[str, int, dt.date, dt.date]]:
    """(team name, year, first day, last day) of each team's 回访督查 window the plan leaves free, by year and team."""
    spans = rows.drop_duplicates(["round", "team"])
    windows = revisit_windows(scenario, committee, zip(spans["team"], spans["busy_start"], spans["busy_end"]))
    names = {t.id: t.name for t in scenario.teams}
    return [(names[team], year, *window) for (team, year), window in sorted(windows.items(), key=lambda w: w[0][::-1])
            if window is not None]


def issuer_name(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> str:
    """发文机关署名: the scenario's ``document.issuer`` for the city, else the committee's inspection office."""
    if (level == Level.CITY.value or scenario.own_county) and scenario.document.issuer:
        return scenario.document.issuer
    return policy_of(scenario, level, county).office


def due_targets(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> list[str]:
    """Categories of the units the committee must cover, one entry per unit; villages are counted apart."""
    return [t.category for c in committees_of(scenario, level, county) for t in scenario.targets_of(c)
            if t.category != "village"]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def category_order(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


def fullwidth(text: str) -> str:
    """Chinese punctuation in Chinese text: "2028年, 进驻时间: (一)" -> "2028年，进驻时间：（一）".

    Half-width , : ; ! ? next to a Chinese character, and brackets around or
    next to one, become full-width, and the space after them goes; "1,000"
    and "v1.2 (beta)" stay as they are.
    """
    text = re.sub(
        r"\(([^()]*)\)",
        lambda m: f"（{m[1]}）" if re.search(CJK, m[1]) or _next_to_cjk(m.string, m.start(), m.end()) else m[0],
        text,
    )
    text = re.sub(rf"(?<={CJK})\s*([,:;!?])\s*|(?<=[\w）])\s*([,:;!?])\s*(?={CJK})",
                  lambda m: FULL_WIDTH[m[1] or m[2]], text)
    return re.sub(rf"\s+(?=[（])|(?<=[（）])\s+(?={CJK})", "", text)


def _next_to_cjk(text: str, start: int, end: int) -> bool:
    return bool(re.match(CJK, text[start - 1: start] or " ") or re.match(CJK, text[end: end + 1] or " "))


def short_names(names: Iterable[str], scenario: Scenario, level: str = Level.CITY.value,
                county: str = "") -> dict[str, str]:
    """Chart labels of unit names that still tell the committee's units apart.

    中共商州区委员会 -> 商州区委, 市委组织部 -> 组织部, but 市委办公室 stays whole
    beside 市政府办公室: a prefix is dropped only when no other unit of the
    committee ends in what is left.
    """
    others = {t.name for c in committees_of(scenario, level, county) for t in scenario.targets_of(c)}
    place = scenario.names.city if level == Level.CITY.value else county
    short = {}
    for name in dict.fromkeys(names):
        others.add(name)
        short[name] = name
    for name in short:
        rivals = [o for o in others if o != name]
        for form in _shorter_forms(name, place):
            if not any(o.endswith(form) for o in rivals):
                short[name] = form
    return short


def short_name(name: str, scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> str:
    return short_names([name], scenario, level, county)[name]


def _shorter_forms(name: str, place: str) -> list[str]:
    """The name without its suffix, then without each prefix in turn, shortest last."""
    for old, new in NAME_SUFFIXES:
        if name.endswith(old):
            name = name[: -len(old)] + new
    forms = [name]
    short_place = re.sub(r"(市|县|区)$", "", place) if len(place) > 2 else place
    for pattern in NAME_PREFIXES:
        prefix = pattern.format(place=place, place_short=short_place)
        rest = name.removeprefix(prefix)
        # Keep 商州区委 whole, and never leave a single character.
        if prefix and rest != name and len(rest) >= 2 and not rest.startswith(KEEP_BEFORE):
            name = rest
            forms.append(name)
    return forms


def date_cn(day: dt.date, with_year: bool = True) -> str:
    text = f"{day.month}月{day.day}日"
    return f"{day.year}年{text}" if with_year else text


def span_cn(start: dt.date, end: dt.date, with_year: bool = True) -> str:
    """2028年3月6日至4月28日; the year is repeated only when it changes."""
    return f"{date_cn(start, with_year)}至{date_cn(end, with_year=end.year != start.year)}"


@dataclass(frozen=True)
class Unit:
    name: str
    category: str
    sector: str
    villages: tuple[str, ...] = ()  # villages inspected with a town (巡镇带村), each its own row in the plan

    @property
    def described(self) -> str:
        """The unit as a cell: a town names the villages that go with it."""
        if not self.villages:
            return self.name
        short = "、".join(v.removeprefix(self.name) or v for v in self.villages)
        return f"{self.name}（随镇巡察村（社区）{len(self.villages)}个：{short}）"


@dataclass(frozen=True)
class Member:
    """One seat of a team in a round: 组长, 副组长, 联络员 or 组员, in post (在编) or drafted (抽调)."""

    role: str
    drafted: bool


@dataclass(frozen=True)
class TeamRound:
    """One team in one round."""

    team: str
    name: str
    leader_drafted: bool
    size: int
    drafted: int
    onsite_start: dt.date
    onsite_end: dt.date
    units: tuple[Unit, ...]
    members: tuple[Member, ...]
    vacant: tuple[str, ...]


@dataclass(frozen=True)
class RoundDetail:
    """One round of one committee with its teams, for the annual plan and the round's work plan."""

    number: int
    kind: str
    onsite_start: dt.date
    onsite_end: dt.date
    busy_start: dt.date
    busy_end: dt.date
    teams: tuple[TeamRound, ...]
    theme: SpecialTheme | None

    @property
    def label(self) -> str:
        return f"第{self.number}轮{kind_label(self.kind)}"

    @property
    def unit_count(self) -> int:
        return len({u.name for t in self.teams for u in t.units})

    @property
    def drafted(self) -> int:
        return sum(t.drafted for t in self.teams)

    @property
    def drafted_leaders(self) -> int:
        return sum(t.leader_drafted for t in self.teams)

    @property
    def people(self) -> int:
        return sum(t.size for t in self.teams)

    def extent(self) -> str:
        """What the round inspects, in a few words: 巡察单位8个, or a special round's scope."""
        if self.theme is None:
            return f"巡察单位{self.unit_count}个"
        scope, count = self.theme.scope, self.theme.scope_units
        if scope:
            return f"{scope}，约{count}个单位" if count else scope
        return f"检查单位约{count}个" if count else "检查范围另行确定"


def round_details(rows: pd.DataFrame, scenario: Scenario, number: int, level: str = Level.CITY.value,
                  county: str = "") -> RoundDetail:
    """The round ``number`` of the committee (``level``, ``county``) whose ``rows`` are given."""
    mine = rows[rows["round"] == number]
    if mine.empty:
        raise ValueError(f"方案中没有第{number}轮")
    kind = str(mine["kind"].iloc[0])
    teams_by_id = {t.id: t for t in scenario.teams}
    town_of = {t.id: t.town for t in scenario.targets if t.category == "village"}
    teams = []
    for team_id, group in mine.groupby("team", sort=True):
        first = group.iloc[0]
        inspected = group[group["target"] != ""]
        towns = set(inspected["target"])
        riding = pd.Series([c == "village" and town_of.get(t, "") in towns
                            for c, t in zip(inspected["category"], inspected["target"])], index=inspected.index, dtype=bool)
        villages: dict[str, list[str]] = {}
        for r in inspected[riding].itertuples():
            villages.setdefault(town_of[r.target], []).append(str(r.target_name))
        own = inspected[~riding]
        units = tuple(
            Unit(str(r.target_name), category_label(r.category), str(r.sector or ""), tuple(villages.get(r.target, ())))
            for r in own.assign(order=own["category"].map(category_order))
            .sort_values(["order", "target_name"])
            .itertuples()
        )
        team = teams_by_id.get(str(team_id))
        leader_drafted = first["leader"] == "drafted"
        size, drafted = int(first["team_size"]), int(first["drafted"])
        name = str(first.get("team_name") or (team.name if team else team_id))
        teams.append(TeamRound(str(team_id), name, leader_drafted, size, drafted, min(group["onsite_start"]),
                               max(group["onsite_end"]), units, _members(team, leader_drafted, size, drafted),
                               _vacant(team)))
    theme = None
    if kind == "special":
        name = str(mine["target_name"].iloc[0])
        themes = policy_of(scenario, level, county).rounds.special.themes
        # A theme the settings no longer name: its scope is unknown (0), never guessed.
        theme = next((t for t in themes if t.name == name), None) or SpecialTheme.model_construct(
            name=name, scope_units=0, scope="", focus="", max_teams=0, year=None)
    return RoundDetail(number, kind, min(mine["onsite_start"]), max(mine["onsite_end"]), min(mine["busy_start"]),
                       max(mine["busy_end"]), tuple(teams), theme)


def _members(team: Team | None, leader_drafted: bool, size: int, drafted: int) -> tuple[Member, ...]:
    """组长 first, then the filled posts (副组长, 联络员), then drafted cadres; ``size`` people in all."""
    in_post = size - drafted - (1 if leader_drafted else 0)
    seats = [Member("组长", leader_drafted)]
    posts = ["副组长"] * (team.deputy_filled if team else 0) + ["联络员"] * (team.liaison_filled if team else 0)
    others = in_post - (0 if leader_drafted else 1)
    seats += [Member(role, False) for role in (posts + ["组员"] * size)[: max(0, others)]]
    seats += [Member("组员", True)] * drafted
    return tuple(seats)


def _vacant(team: Team | None) -> tuple[str, ...]:
    if team is None:
        return ()
    roles = (("组长", team.leader_posts - team.leader_filled), ("副组长", team.deputy_posts - team.deputy_filled),
             ("联络员", team.liaison_posts - team.liaison_filled))
    return tuple(role for role, count in roles for _ in range(max(0, count)))


def staff_pools(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> tuple[int, int]:
    """(drafted cadres, drafted leaders) one round of the committee may draw on."""
    pool = policy_of(scenario, level, county).staff
    return pool.drafted_pool, pool.leader_pool


def lent_cadres(scenario: Scenario, level: str = Level.CITY.value, county: str = "") -> int:
    """Drafted cadres each regular round of the committee lends to the other level (上派下挂)."""
    return policy_of(scenario, level, county).lent


def exchange_note(kind: str, county: str, lent: int, short: bool = False) -> str:
    """What of the drafted pool a regular round lends: the city's 上派, a county's 下挂."""
    if not lent or kind != Kind.REGULAR.value:
        return ""
    if short:
        return f"{'下挂' if county else '上派'}{lent}人"
    return f"，其中{lent}人" + ("参加市委巡察（下挂）" if county else "选派参加县区巡察（上派）")
