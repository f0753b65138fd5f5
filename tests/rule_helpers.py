"""Plumbing shared by the rule files of tests/rules and the other tests: mini scenarios built
from the tiny one with their pressures and solves, the hand-made valid plans (a city's, a
county's) with the edits that break them, and the whole-city scenario's solves."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from planner import rules
from planner.build import build_model
from planner.calendar import WeekGrid
from planner.check import check_plan
from planner.export import solution_frame
from planner.model import PlanModel
from planner.loading import load_scenario
from planner.model_types import CityCalendar, CityRound
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, PlanDir, assignments_to_csv_bytes, read_plan
from planner.scenario import Scenario
from planner.scenario_settings import Weights
from planner.solution import RoundPlan, Solution
from planner.solve import SolveSettings, solve
from planner.vocabulary import CITY, Committee, Kind

QUICK = SolveSettings(time_limit=10, hint=False)
NO_WEIGHTS = {rule: 0 for rule in Weights.model_fields}
THEME = "专项检查"


# --- tiny instances --------------------------------------------------------------


def unit(uid: str, category: str = "gov_department", effort: int = 1, risk: int = 3, **fields) -> dict:
    """A city target, inspected recently enough not to count as overdue."""
    return dict(id=uid, name=f"单位{uid}", level="city", category=category, effort=effort, risk=risk,
                last_inspected=dt.date(2026, 6, 1), **fields)


def team(tid: str, leader: bool = True, deputy: int = 1, liaison: int = 1) -> dict:
    return dict(id=tid, name=f"巡察组{tid}", level="city",
                leader_filled=int(leader), deputy_filled=deputy, liaison_filled=liaison)


def theme(scope: int, max_teams: int = 1, **fields) -> dict:
    return dict(name=THEME, scope_units=scope, max_teams=max_teams, **fields)


def merged(old, new):
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    out = dict(old)
    for key, value in new.items():
        out[key] = merged(old[key], value) if isinstance(value, dict) and isinstance(old.get(key), dict) else value
    return out


def mini(tiny: Scenario, units: list[dict], teams: list[dict] | None = None, **sections) -> Scenario:
    """The tiny scenario with ``units`` and ``teams`` only (default: one full team T1),
    no blackouts, no special theme, every soft weight 0, a large drafted pool; then
    ``sections`` merged into its settings."""
    base = {
        "calendar": {"spring_festival": False, "national_day": False},
        "rounds": {"special": {"themes": []}},
        "staff": {"city": {"drafted_pool": 20, "leader_pool": 1}},
        "weights": NO_WEIGHTS,
    }
    data = tiny.model_dump()
    changes = {key: merged(data[key], value) for key, value in merged(base, sections).items()}
    return tiny.replace(targets=units, teams=teams or [team("T1")], **changes)


# --- models, pressure and plans ----------------------------------------------------

Pressure = Callable[[PlanModel], object]


def finish_early(m: PlanModel):
    """Pressure: the last busy week of any team as early as possible."""
    last = m.cp.new_int_var(0, m.horizon_weeks, "last_busy_week")
    for key, busy in m.busy.items():
        m.cp.add(last >= busy.end_expr()).only_enforce_if(m.used[key])
    return last


def few_assignments(m: PlanModel):
    return sum(m.x.values())


def many_assignments(m: PlanModel):
    return -sum(m.x.values())


def short_special_rounds(m: PlanModel):
    return sum(s.onsite for s in m.slots_of(Kind.SPECIAL))


def model(scenario: Scenario, without: Callable | None = None, pressure: Pressure | None = None) -> PlanModel:
    """``build_model`` with every hard family but ``without``; ``pressure`` replaces the
    objective."""
    with pytest.MonkeyPatch.context() as patch:
        if without is not None:
            assert without in rules.HARD_RULES
            patch.setattr(rules, "HARD_RULES", tuple(r for r in rules.HARD_RULES if r is not without))
        # A scenario with cross rounds is a whole-city plan's: the city holds their windows.
        m = build_model(scenario, whole=bool(scenario.cross_inspection.rounds))
    if pressure is not None:
        m.cp.minimize(pressure(m))
    return m


def plan(scenario: Scenario, without: Callable | None = None, pressure: Pressure | None = None,
         status: str = "OPTIMAL") -> Solution:
    solution = solve(model(scenario, without, pressure), QUICK)
    assert solution.status == status
    return solution


def broken_rules(scenario: Scenario, solution: Solution) -> Counter:
    """Rule ids of the independent checker's findings on the exported plan."""
    frame = solution_frame(solution, scenario)
    return Counter(v.rule for v in check_plan(scenario, PlanDir(Path("."), frame, {}), [CITY]))


def regular(solution: Solution) -> list[RoundPlan]:
    return [r for r in solution.rounds if r.kind == Kind.REGULAR]


def special(solution: Solution) -> RoundPlan:
    (one,) = [r for r in solution.rounds if r.kind == Kind.SPECIAL]
    return one


def visits(solution: Solution, kind: Kind = Kind.REGULAR) -> Counter:
    """How often each target appears in rounds of ``kind``."""
    return Counter(t for r in solution.rounds if r.kind == kind for tr in r.teams for t in tr.targets)


def team_of(solution: Solution, target: str, kind: Kind = Kind.REGULAR) -> str:
    (tid,) = [tr.team for r in solution.rounds if r.kind == kind for tr in r.teams if target in tr.targets]
    return tid


def span(r: RoundPlan) -> range:
    """The on-site weeks of a round."""
    return range(r.start_week, r.start_week + r.onsite_weeks)


def busy_spans(solution: Solution, tid: str) -> list[range]:
    return sorted(
        (range(r.start_week - r.prep_weeks, r.start_week + tr.onsite_weeks + r.report_weeks)
         for r in solution.rounds for tr in r.teams if tr.team == tid),
        key=lambda s: s.start,
    )


def overlapping(spans: list[range]) -> bool:
    return any(a.stop > b.start for a, b in zip(spans, spans[1:]))


def infeasible_only_because_of(tiny: Scenario, family: Callable, edit: dict) -> None:
    """The mini scenario ``edit`` describes has no plan, and one once ``family`` is left out."""
    edit = dict(edit)
    fixed = edit.pop("fixed", ())
    s = mini(tiny, edit.pop("units", [unit("A")]), edit.pop("teams", None), **edit).replace(fixed=fixed)
    plan(s, status="INFEASIBLE")
    plan(s, family, status="OPTIMAL")


# --- the city's hand-made plan of the tiny scenario, and its broken copies -------------

VALID_THEME = "作风建设专项巡察"


@dataclasses.dataclass(frozen=True)
class Assign:
    """One team in one round; ``week`` is the first on-site week on the scenario's WeekGrid."""

    round: int
    kind: str
    team: str
    targets: tuple[str, ...]
    week: int
    weeks: int
    drafted: int
    leader: str = "permanent"


# Spring Festival 2027 blocks weeks 4-5, National Day weeks 38-39. T2 has no leader of
# its own, so it takes the one drafted leader; G2 avoids T1; G1 gets a 回头看 by T1.
VALID = (
    Assign(1, "regular", "T1", ("K1",), 8, 6, 2),
    Assign(1, "regular", "T2", ("A1", "A1-V1"), 8, 5, 3, "drafted"),
    Assign(2, "regular", "T1", ("P1", "P2", "S1"), 17, 4, 2),
    Assign(2, "regular", "T2", ("G1", "G2"), 17, 4, 3, "drafted"),
    Assign(3, "regular", "T1", ("E1",), 24, 4, 2),
    Assign(4, "special", "T1", (VALID_THEME,), 31, 2, 1),
    Assign(4, "special", "T2", (VALID_THEME,), 31, 2, 2, "drafted"),
    Assign(5, "follow_up", "T1", ("G1",), 35, 2, 1),
)


def rows_of(scenario: Scenario, plan=VALID, level="city") -> list[dict]:
    """The assignments.csv rows of ``plan``, with busy spans from the round policy."""
    grid = WeekGrid.of(scenario)
    targets = {t.id: t for t in scenario.targets}
    teams = {t.id: t for t in scenario.teams}
    rows = []
    for a in plan:
        policy = scenario.rounds.policy(Kind.REGULAR if a.kind == "cross" else Kind(a.kind))
        dates = dict(
            onsite_start=grid.monday(a.week),
            onsite_end=grid.friday(a.week + a.weeks - 1),
            busy_start=grid.monday(a.week - policy.prep_weeks),
            busy_end=grid.monday(a.week + a.weeks + policy.report_weeks) - dt.timedelta(days=1),
        )
        size = teams[a.team].filled + (a.leader == "drafted") + a.drafted
        staff = dict(team_size=size, drafted=a.drafted, leader=a.leader)
        for name in a.targets:
            if a.kind == "special":  # the theme stands in the target's place
                target = dict(target="", target_name=name, category="", target_county="")
            else:
                t = targets[name]
                target = dict(target=t.id, target_name=t.name, category=t.category, target_county=t.county)
            rows.append(dict(round=a.round, kind=a.kind, level=level, county="", team=a.team) | target | dates | staff)
    return rows


def changed(plan, round_, team, /, **changes):
    return tuple(dataclasses.replace(a, **changes) if (a.round, a.team) == (round_, team) else a for a in plan)


def omitted(plan, round_, team):
    return tuple(a for a in plan if (a.round, a.team) != (round_, team))


def with_rounds(scenario: Scenario, kind: str | None = None, **changes) -> Scenario:
    """A what-if copy with the round policy (or one kind's policy) changed."""
    rounds = scenario.rounds
    if kind:
        changes = {kind: getattr(rounds, kind).model_copy(update=changes)}
    return scenario.replace(rounds=rounds.model_copy(update=changes))


def decided(scenario: Scenario, *decisions: dict) -> Scenario:
    """A what-if copy with ``decisions`` as its fixed decisions."""
    return scenario.replace(fixed=list(decisions))


def write_plan_dir(directory: Path, rows: list[dict], level: str = "city") -> Path:
    (directory / ASSIGNMENTS_FILE).write_bytes(assignments_to_csv_bytes(pd.DataFrame(rows)))
    (directory / PLAN_FILE).write_text(json.dumps({"level": level}), encoding="utf-8")
    return directory


def theme_in_2028(scenario: Scenario) -> Scenario:
    """The tiny term stretched to 2028 (no regular minimum there), its theme set for 2028."""
    theme = scenario.rounds.special.themes[0].model_copy(update={"year": 2028})
    longer = scenario.replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)})
    return with_rounds(with_rounds(longer, "special", themes=(theme,)), "regular", rounds_per_year_min=0)


@dataclasses.dataclass(frozen=True)
class Break:
    """A hand-broken copy of VALID and what the checker must say about it."""

    rule: str
    words: str  # in the message of the violation found
    objects: tuple  # (rounds, teams, targets) of that violation
    plan: tuple[Assign, ...] = VALID
    edit: tuple | None = None  # (round, team, {column: value}) for that team's first row
    scenario: Callable[[Scenario], Scenario] | None = None
    also: frozenset[str] = frozenset()  # other rules the change cannot help breaking


def renumbered(plan, numbers: dict[int, int]):
    return tuple(dataclasses.replace(a, round=numbers.get(a.round, a.round)) for a in plan)


def broken_rows(scenario: Scenario, case: Break) -> list[dict]:
    rows = rows_of(scenario, case.plan)
    if case.edit:
        round_, team, changes = case.edit
        next(r for r in rows if (r["round"], r["team"]) == (round_, team)).update(changes)
    return rows


def caught_by_its_rule(tiny: Scenario, tmp_path: Path, case: Break) -> None:
    """The checker finds the break ``case`` describes, by its rule, naming its objects."""
    scenario = case.scenario(tiny) if case.scenario else tiny
    violations = check_plan(scenario, read_plan(write_plan_dir(tmp_path, broken_rows(tiny, case))))
    messages = "\n".join(v.message for v in violations)
    found = [v for v in violations if case.words in v.message]
    assert found, messages
    assert found[0].rule == case.rule
    assert (found[0].rounds, found[0].teams, found[0].targets) == case.objects
    assert {v.rule for v in violations} == {case.rule} | case.also, messages


# A row of tests/rules/test_coverage.py's table, and the broken plan the CLI tests show refused.
TARGET_TWICE = Break(
    "coverage", "覆盖: 市委办公室 (P1) 被安排了2次 (第2轮、第3轮)", ((2, 3), ("T1", "T2"), ("P1",)),
    plan=VALID + (Assign(3, "regular", "T2", ("P1",), 24, 4, 3, "drafted"),),
)


# --- 乙县's hand-made plan (team Y1) -------------------------------------------------------

YI = Committee("乙县")
COUNTY_THEME = "村务公开专项巡察"
# 乙县 holds one regular round a year at least; it has a theme of its own (自选专项).
COUNTY_SETTINGS = [
    "counties_policy.乙县.rounds.regular.rounds_per_year_min=1",
    f"counties_policy.乙县.rounds.special.themes=[{{name: {COUNTY_THEME}, scope_units: 2, max_teams: 1}}]",
]


def county_rows(scenario: Scenario, rounds: list[tuple[int, str, tuple[str, ...], int, int, int]]) -> list[dict]:
    """(number, kind, targets, first week, weeks, drafted) -> the table rows of team Y1 in 乙县."""
    grid, policy = WeekGrid.of(scenario), scenario.policy(YI)
    targets = {t.id: t for t in scenario.targets}
    team = next(t for t in scenario.teams if t.id == "Y1")
    rows = []
    for number, kind, ids, week, weeks, drafted in rounds:
        kind_policy = policy.rounds.policy(Kind(kind))
        base = dict(round=number, kind=kind, level="county", county="乙县", team="Y1",
                    onsite_start=grid.monday(week), onsite_end=grid.friday(week + weeks - 1),
                    busy_start=grid.monday(week - kind_policy.prep_weeks),
                    busy_end=grid.monday(week + weeks + kind_policy.report_weeks) - dt.timedelta(days=1),
                    team_size=team.filled + drafted, drafted=drafted, leader="permanent")
        for target_id in ids:
            t = targets.get(target_id)
            what = (dict(target="", target_name=target_id, category="", target_county="") if kind == "special"
                    else dict(target=t.id, target_name=t.name, category=t.category, target_county=t.county))
            rows.append(base | what)
    return rows


COUNTY_VALID = [
    (1, "regular", ("A2", "A2-V1"), 8, 7, 3),  # a town with one village: 6 weeks + 1
    (2, "special", (COUNTY_THEME,), 20, 4, 2),
]


def check_county(scenario: Scenario, tmp_path: Path, rounds) -> list[str]:
    (tmp_path / ASSIGNMENTS_FILE).write_bytes(assignments_to_csv_bytes(pd.DataFrame(county_rows(scenario, rounds))))
    (tmp_path / PLAN_FILE).write_text(json.dumps({"committees": ["乙县"]}), encoding="utf-8")
    return [v.message for v in check_plan(scenario, read_plan(tmp_path))]


# --- the whole city's scenario -----------------------------------------------------------

WHOLE = Path(__file__).parent / "data" / "whole"
WHOLE_QUICK = SolveSettings(time_limit=20)  # one committee of it
WHOLE_FAST = SolveSettings(time_limit=40)  # the whole city's plan, drafted once a session (conftest)
JIA = Committee("甲县")


def whole_plan(frame: pd.DataFrame) -> PlanDir:
    return PlanDir(Path("."), frame, {"committees": ["city", "甲县", "乙县", "丙县"]})


def found_messages(scenario: Scenario, frame: pd.DataFrame, words: str) -> list[str]:
    messages = [v.message for v in check_plan(scenario, whole_plan(frame))]
    return [m for m in messages if words in m] or messages


def solve_whole(scenario, committee=CITY, calendar=None):
    return solve(build_model(scenario, committee, whole=True, calendar=calendar), WHOLE_QUICK)


def calendar_at(start: int, sectors=("教育", "水利")) -> CityCalendar:
    """A city calendar with one regular round in week ``start``, the special in week 10, the cross round in 30."""
    weeks = load_scenario(WHOLE).cross_weeks()
    return CityCalendar(regular=(CityRound(1, start, start + 4, sectors),), special=(("乡村振兴专项巡察", 10),),
                        cross=((30, weeks),))
