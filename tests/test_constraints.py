"""Every rule family of ``constraints/`` on a tiny instance where it binds.

A hard family binds when, under a *pressure* objective that pays for breaking
it, the optimum of the model without that family breaks the rule while the full
model keeps it; or when the instance is infeasible exactly because of it (and
feasible once the family is left out). The independent checker
(:func:`planner.check.check_plan`) judges the exported plans.

A soft rule binds when raising its weight from 0 moves its penalty to the
minimum against another rule pulling the other way. The penalties are
recomputed here from the plain :class:`Solution`, so the model's own penalty
terms are checked too.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from constraints import (
    add_avoidance,
    add_blackouts,
    add_fixed_decisions,
    add_cross_windows,
    add_follow_up_after_rectification,
    add_full_coverage,
    add_one_round_at_a_time,
    add_revisit_windows,
    add_rounds_in_sequence,
    add_rounds_per_year,
    add_special_round_scope,
    add_staffing,
    add_team_capacity,
    add_units_per_year,
    add_within_horizon,
)
import constraints.team_rounds as team_rounds
from constraints.team_rounds import Stretch, count_team_rounds, most_rounds, most_teams_out, term_rounds
from planner import rules
from planner.calendar import WeekGrid, blackout_days
from planner.check import check_plan
from planner.export import solution_frame
from planner.loading import load_scenario
from planner.build import build_model
from planner.model import PlanModel, interchangeable_targets
from planner.model_types import CityCalendar, CityRound, Relax
from planner.overrides import apply_overrides
from planner.plan import PlanDir
from planner.scenario import Scenario
from planner.scenario_settings import Weights
from planner.solution import RoundPlan, Solution
from planner.solve import SolveSettings, draft_plan, plan_model, solve
from planner.status import StopReason
from planner.tables import Audit
from planner.vocabulary import CATEGORY_GROUP, CITY, Committee, Kind, Level
from scenario_edits import in_step_county

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


def _merged(old, new):
    if not isinstance(old, dict) or not isinstance(new, dict):
        return new
    out = dict(old)
    for key, value in new.items():
        out[key] = _merged(old[key], value) if isinstance(value, dict) and isinstance(old.get(key), dict) else value
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
    changes = {key: _merged(data[key], value) for key, value in _merged(base, sections).items()}
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


# --- 1 全覆盖 ------------------------------------------------------------------------


def test_full_coverage_each_target_exactly_once_with_its_follow_up(tiny):
    s = mini(tiny, [unit("A", follow_up=True), unit("B"), unit("C")], [team("T1"), team("T2")])
    for pressure in (few_assignments, many_assignments):
        full = plan(s, pressure=pressure)
        assert visits(full) == {"A": 1, "B": 1, "C": 1}
        assert visits(full, Kind.FOLLOW_UP) == {"A": 1}
        assert not broken_rules(s, full)
    fewest = plan(s, add_full_coverage, few_assignments)
    assert sum(visits(fewest).values()) == 1 and not visits(fewest, Kind.FOLLOW_UP)
    assert broken_rules(s, fewest)["coverage"] == 3  # two targets and A's follow-up missing
    most = plan(s, add_full_coverage, many_assignments)
    assert max(visits(most).values()) > 1
    assert broken_rules(s, most)["coverage"] >= 1


def test_follow_up_waits_for_the_rectification_period(tiny):
    s = mini(tiny, [unit("A", follow_up=True)], [team("T1"), team("T2")],
             rounds={"follow_up": {"min_gap_weeks": 20}})

    def gap(solution: Solution) -> int:
        (done,) = regular(solution)
        (back,) = [r for r in solution.rounds if r.kind == Kind.FOLLOW_UP]
        return back.start_week - (done.start_week + done.onsite_weeks)

    full = plan(s, pressure=finish_early)
    assert gap(full) == 20
    assert not broken_rules(s, full)
    relaxed = plan(s, add_follow_up_after_rectification, finish_early)
    assert gap(relaxed) < 20
    assert broken_rules(s, relaxed) == {"coverage": 1}


# --- 2 一组一轮 ----------------------------------------------------------------------


def test_a_team_finishes_its_report_before_preparing_the_next_round(tiny):
    # Two whole-team units for one team: two rounds back to back.
    s = mini(tiny, [unit("A", effort=3), unit("B", effort=3)])
    full = plan(s, pressure=finish_early)
    first, second = regular(full)
    assert not overlapping(busy_spans(full, "T1"))
    assert second.start_week - first.start_week == 1 + 4 + 2  # prep + on-site + report
    relaxed = plan(s, add_one_round_at_a_time, finish_early)
    assert overlapping(busy_spans(relaxed, "T1"))
    assert broken_rules(s, relaxed) == {"team_overlap": 1}


# --- 3 常规与专项不并行 -----------------------------------------------------------------


def test_regular_and_special_rounds_never_run_at_the_same_time(tiny):
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")],
             rounds={"regular": {"rounds_per_year_max": 1}, "special": {"themes": [theme(2)]}})
    full = plan(s, pressure=finish_early)
    (inspection,) = regular(full)
    assert not set(span(inspection)) & set(span(special(full)))
    assert not broken_rules(s, full)
    relaxed = plan(s, add_rounds_in_sequence, finish_early)
    (inspection,) = regular(relaxed)
    assert set(span(inspection)) & set(span(special(relaxed)))
    assert broken_rules(s, relaxed) == {"kind_overlap": 1}


# --- 4 人员 --------------------------------------------------------------------------


def test_drafted_cadres_of_one_round_stay_within_the_pool(tiny):
    # T1 needs 2 drafted cadres to reach 5, T2 (no liaison) needs 3; the pool holds 4.
    s = mini(tiny, [unit("A", effort=3), unit("B", effort=3)], [team("T1"), team("T2", liaison=0)],
             staff={"city": {"drafted_pool": 4}})
    _one_team_a_round_within_the_pool(s)


def _one_team_a_round_within_the_pool(s: Scenario) -> None:
    """T1 and T2 (5 drafted together) go one after the other; without the rule, together, which the checker refuses."""
    full = plan(s, pressure=finish_early)
    assert [len(r.teams) for r in regular(full)] == [1, 1]
    assert not broken_rules(s, full)
    relaxed = plan(s, add_staffing, finish_early)
    (together,) = regular(relaxed)
    assert sum(tr.drafted for tr in together.teams) == 5
    assert broken_rules(s, relaxed) == {"staff": 1}


def test_cadres_the_city_lends_to_the_counties_come_out_of_its_pool(tiny):
    # T1 needs 2 drafted cadres, T2 3: a pool of 5 sends both at once, but lending one cadre to
    # each of the two counties (上派) leaves 3 for a regular round, and they go one after the other.
    units, teams = [unit("A", effort=3), unit("B", effort=3)], [team("T1"), team("T2", liaison=0)]
    s = mini(tiny, units, teams, staff={"city": {"drafted_pool": 5}})
    assert [len(r.teams) for r in regular(plan(s, pressure=finish_early))] == [2]
    _one_team_a_round_within_the_pool(
        mini(tiny, units, teams, staff={"city": {"drafted_pool": 5}}, linkage={"exchange_up": 1}))


def test_a_team_without_leader_goes_out_with_one_from_the_leader_pool(tiny):
    s = mini(tiny, [unit("A", avoid_teams=("T1",))], [team("T1"), team("T2", leader=False)])
    solution = plan(s)
    (inspection,) = regular(solution)
    (only,) = inspection.teams
    assert (only.team, only.leader_drafted, only.drafted) == ("T2", True, 2)
    row = solution_frame(solution, s).iloc[0]
    assert (row["leader"], row["team_size"], row["drafted"]) == ("drafted", 5, 2)


# --- 5 工作量 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "teams", "bounds", "roomy"),
    [
        ([unit(u) for u in "ABCD"], 1, {"max_units_per_team": 3, "max_effort_per_team": 9}, {"max_units_per_team": 4}),
        # Two teams: the year-load rules' round effort (teams x max effort) does not bind.
        ([unit(u, effort=2) for u in "ABC"], 2, {"max_units_per_team": 9, "max_effort_per_team": 3},
         {"max_effort_per_team": 4}),
    ],
    ids=["units", "effort"],
)
def test_team_capacity_splits_the_work_over_rounds(tiny, units, teams, bounds, roomy):
    crew = [team(f"T{n}") for n in range(1, teams + 1)]
    s = mini(tiny, units, crew, rounds=bounds)
    full = plan(s, pressure=finish_early)
    assert len(regular(full)) == 2
    effort = {u["id"]: u["effort"] for u in units}
    for tr in (tr for r in regular(full) for tr in r.teams):
        assert len(tr.targets) <= bounds["max_units_per_team"]
        assert sum(effort[t] for t in tr.targets) <= bounds["max_effort_per_team"]
    assert not broken_rules(s, full)
    # The same instance with that one bound raised: everything in one round.
    (one,) = regular(plan(mini(tiny, units, crew, rounds=bounds | roomy), pressure=finish_early))
    assert sorted(t for tr in one.teams for t in tr.targets) == sorted(effort)


def test_a_county_takes_its_team_alone(tiny):
    # The weighted capacity sums alone keep a whole-team unit's team-round to itself.
    s = mini(tiny, [unit("W", category="county"), unit("A")])
    full = plan(s, pressure=finish_early)
    assert sorted(tr.targets for r in regular(full) for tr in r.teams) == [("A",), ("W",)]
    assert not broken_rules(s, full)
    # A unit of another category shares the team's round.
    shared = plan(mini(tiny, [unit("W"), unit("A")]), pressure=finish_early)
    assert [sorted(tr.targets) for r in regular(shared) for tr in r.teams] == [["A", "W"]]


# --- 6 回避 --------------------------------------------------------------------------


def test_a_target_is_never_inspected_by_a_team_it_avoids(tiny):
    # Drafting makes T2 (no liaison) dearer: without avoidance A would go to T1.
    s = mini(tiny, [unit("A", avoid_teams=("T1",))], [team("T1"), team("T2", liaison=0)],
             weights={"drafted_cadres": 1})
    full = plan(s)
    assert team_of(full, "A") == "T2"
    relaxed = plan(s, add_avoidance)
    assert team_of(relaxed, "A") == "T1"
    assert broken_rules(s, relaxed) == {"avoidance": 1}


def test_a_follow_up_goes_to_another_team(tiny):
    s = mini(tiny, [unit("A", follow_up=True)], [team("T1"), team("T2", liaison=0)],
             weights={"drafted_cadres": 1})
    full = plan(s)
    assert {team_of(full, "A"), team_of(full, "A", Kind.FOLLOW_UP)} == {"T1", "T2"}
    assert not broken_rules(s, full)
    relaxed = plan(s, add_avoidance)
    assert team_of(relaxed, "A") == team_of(relaxed, "A", Kind.FOLLOW_UP) == "T1"
    assert broken_rules(s, relaxed) == {"avoidance": 1}


# --- 7 禁止进驻 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "calendar",
    [
        # Spring Festival 2027 is 6 February: 5-13 February is closed (weeks 4 and 5).
        {"spring_festival": True},
        {"extra": [{"name": "全市集中学习", "start": dt.date(2027, 2, 1), "end": dt.date(2027, 2, 12)}]},
    ],
    ids=["spring_festival", "extra_period"],
)
def test_no_onsite_day_in_a_blackout_period(tiny, calendar):
    s = mini(tiny, [unit("A")], calendar=calendar)
    closed = blackout_days(s)
    grid = WeekGrid.of(s)

    def onsite_days(solution: Solution) -> set[dt.date]:
        (r,) = regular(solution)
        first, last = grid.monday(r.start_week), grid.friday(r.start_week + r.onsite_weeks - 1)
        return {first + dt.timedelta(days=d) for d in range((last - first).days + 1)}

    full = plan(s, pressure=finish_early)
    assert regular(full)[0].start_week == 6  # the first Monday after the closed weeks
    assert not onsite_days(full) & closed.keys()
    relaxed = plan(s, add_blackouts, finish_early)
    assert regular(relaxed)[0].start_week == 1
    assert onsite_days(relaxed) & closed.keys()
    assert broken_rules(s, relaxed) == {"blackout": 1}


# --- 8 规划期 ------------------------------------------------------------------------


def test_every_busy_span_lies_inside_the_horizon(tiny):
    # prep 1 + on-site 4 + report 2 weeks: a term of 7 whole weeks is just enough, 6 is not.
    # (The busy intervals' variable domains end at the horizon too, so leaving
    # add_within_horizon out changes nothing: here the bound is shown at its edge.)
    seven = mini(tiny, [unit("A")], horizon={"end": dt.date(2027, 2, 21)})
    assert WeekGrid.of(seven).n_weeks == 7
    (row,) = solution_frame(plan(seven), seven).itertuples()
    assert (row.busy_start, row.onsite_start, row.busy_end) == (dt.date(2027, 1, 4), dt.date(2027, 1, 11),
                                                              dt.date(2027, 2, 19))
    with pytest.raises(ValueError, match="容不下一轮常规巡察"):  # refused as input, before any model is built
        mini(tiny, [unit("A")], horizon={"end": dt.date(2027, 2, 14)})

    def latest(m: PlanModel):  # pressure: start as late as possible
        return -sum(slot.start for slot in m.slots_of(Kind.REGULAR))

    year = mini(tiny, [unit("A")])
    late = plan(year, pressure=latest)
    (r,) = regular(late)
    assert r.start_week + r.onsite_weeks + r.report_weeks == WeekGrid.of(year).n_weeks == 51
    # The grid holds whole weeks only: 27-31 December 2027 (Monday to Friday) is left out.
    assert solution_frame(late, year)["busy_end"].max() == dt.date(2027, 12, 24)


# --- round policy: rounds per year, special rounds -----------------------------------


def test_rounds_per_year_stay_within_the_policy(tiny):
    two_years = {"horizon": {"end": dt.date(2028, 12, 31)}}
    s = mini(tiny, [unit(u, effort=3) for u in "ABCD"], rounds={"regular": {"rounds_per_year_max": 2}}, **two_years)
    grid = WeekGrid.of(s)

    def per_year(solution: Solution) -> Counter:
        return Counter(grid.year_of(r.start_week) for r in regular(solution))

    assert per_year(plan(s, pressure=finish_early)) == {2027: 2, 2028: 2}
    relaxed = plan(s, add_rounds_per_year, finish_early)
    assert per_year(relaxed) == {2027: 4}
    assert broken_rules(s, relaxed) == {"round_policy": 2}  # four in 2027, none in 2028


def test_a_special_theme_with_a_year_runs_in_that_year(tiny):
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")], horizon={"end": dt.date(2028, 12, 31)},
             rounds={"regular": {"rounds_per_year_min": 0}, "special": {"themes": [theme(2, year=2028)]}})
    grid = WeekGrid.of(s)
    assert grid.year_of(special(plan(s, pressure=finish_early)).start_week) == 2028
    relaxed = plan(s, add_rounds_per_year, finish_early)
    assert grid.year_of(special(relaxed).start_week) == 2027
    assert broken_rules(s, relaxed) == {"coverage": 1}  # the checker counts themes under coverage


def test_a_special_round_stays_long_enough_for_its_scope(tiny):
    # 6 units at 1 unit per team-week, at most one team: 6 weeks on site.
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")],
             rounds={"special": {"themes": [theme(6)], "onsite_weeks": 2, "max_onsite_weeks": 8}})
    full = special(plan(s, pressure=short_special_rounds))
    assert [tr.onsite_weeks for tr in full.teams] == [6]
    relaxed = special(plan(s, add_special_round_scope, short_special_rounds))
    assert sum(tr.onsite_weeks for tr in relaxed.teams) < 6  # fewer team-weeks than units in scope


# --- symmetry breaking -------------------------------------------------------------


def stays_apart(tiny: Scenario, weeks: int) -> Scenario:
    """L (people_org, 8 weeks on site, listed first) and S (party_work_organ, 4 weeks): same
    group, effort and priority, one unit a round, weeks 6-9 closed: S fits before the
    closed weeks (weeks 1-4), L only after them (from week 10)."""
    return mini(tiny, [unit("L", "people_org"), unit("S", "party_work_organ")],
                horizon={"start": dt.date(2027, 1, 4), "end": dt.date(2027, 1, 3) + dt.timedelta(weeks=weeks)},
                calendar={"extra": [{"name": "集中学习", "start": dt.date(2027, 2, 15), "end": dt.date(2027, 3, 12)}]},
                rounds={"max_units_per_team": 1, "regular": {"onsite_weeks_by_category": {"people_org": 8}}})


# Regressions: symmetry breaking once ordered L before S (only county and town stays told
# units apart), calling the 20-week term INFEASIBLE and a week-27 finish OPTIMAL.


def test_units_with_different_stays_are_not_interchangeable(tiny):
    s = stays_apart(tiny, 20)
    assert WeekGrid.of(s).n_weeks == 20 and sorted(WeekGrid.of(s).blocked) == [6, 7, 8, 9]
    solution = plan(s)  # S in weeks 1-4 (or 2-5), L in weeks 10-17, report until week 19
    assert [r.teams[0].targets for r in regular(solution)] == [("S",), ("L",)]
    assert regular(solution)[1].start_week == 10


def test_symmetry_breaking_keeps_the_optimum(tiny):
    solution = plan(stays_apart(tiny, 30), pressure=finish_early)
    assert solution.objective == 20
    assert [r.teams[0].targets for r in regular(solution)] == [("S",), ("L",)]


def test_units_told_apart_by_county_sector_or_audit_are_not_interchangeable():
    """The city's visits into a county (quiet months, hard by default), the linked sectors and the
    audit years tell units apart that category, effort, stays and priority do not. Symmetry
    breaking once ordered two towns of different counties, so a greedy plan keeping the quiet
    months failed to complete once reordered, and the model lost plans that kept them."""
    scenario = load_scenario(None)
    audited = scenario.model_copy(update={"audits": tuple(scenario.audits) + (
        Audit(unit=scenario.targets_of(CITY)[0].id, year=scenario.horizon.start.year),)})
    m = plan_model(audited, whole=True)
    targets = m.data.targets
    classes = interchangeable_targets(m)
    assert classes  # some units are still interchangeable
    audits = {i: year for i, year, _unit in m.data.audits}
    for members in classes:
        assert len({targets[i].county for i in members}) == 1
        assert len({targets[i].sector for i in members}) == 1
        assert len({audits.get(i) for i in members}) == 1


# --- infeasible exactly because of one family ----------------------------------------

TWO_YEARS = {"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)}
INFEASIBLE = [
    # B fixed to 2028, a term ending 2028-02-27: B's round leaves the team 2 free weeks of 2028, not 3.
    pytest.param(add_revisit_windows, dict(horizon={"start": dt.date(2027, 1, 4), "end": dt.date(2028, 2, 27)},
                                           rounds={"revisit_weeks": 3, "follow_up": {"rounds_per_year_max": 0}},
                                           units=[unit("A"), unit("B")],
                                           fixed=[dict(kind="year", target="B", year=(2028, 2028))]),
                 id="revisit: no 3 free weeks in the last year"),
    pytest.param(add_units_per_year, dict(horizon=TWO_YEARS, rounds={"regular": {"rounds_per_year_min": 0},
                                                                     "units_per_year_min": 2}),
                 id="units per year: one unit, two a year wanted"),
    pytest.param(add_full_coverage, dict(rounds={"regular": {"rounds_per_year_min": 0, "rounds_per_year_max": 1}},
                                         units=[unit("A", effort=3), unit("B", effort=3)]),
                 id="coverage: two whole-team units, one team, one round"),
    pytest.param(add_staffing, dict(staff={"city": {"drafted_pool": 1}}),
                 id="staffing: drafted pool below the minimum team size"),
    pytest.param(add_staffing, dict(staff={"city": {"leader_pool": 0}}, units=[unit("A", avoid_teams=("T1",))],
                                    teams=[team("T1"), team("T2", leader=False)]),
                 id="staffing: no leader for the only allowed team"),
    pytest.param(add_staffing, dict(staff={"min_team_size": {"regular": 2}, "max_team_size": {"regular": 2}}),
                 id="staffing: team larger than the working size"),
    pytest.param(add_team_capacity, dict(units=[unit("A", effort=4)]), id="capacity: effort above a team's"),
    pytest.param(add_avoidance, dict(units=[unit("A", avoid_teams=("T1", "T2"))], teams=[team("T1"), team("T2")]),
                 id="avoidance: avoid list names every team"),
    pytest.param(add_avoidance, dict(units=[unit("A", follow_up=True)]), id="avoidance: follow-up, one team"),
    pytest.param(add_blackouts, dict(calendar={"extra": [{"name": "封闭", "start": dt.date(2027, 1, 18),
                                                          "end": dt.date(2027, 12, 31)}]}),
                 id="blackout: no four open weeks"),
    pytest.param(add_rounds_per_year, dict(horizon={"end": dt.date(2028, 12, 31)}),
                 id="rounds per year: a round each year, one unit"),
    pytest.param(add_special_round_scope, dict(teams=[team("T1"), team("T2")],
                                               rounds={"special": {"themes": [theme(10)], "max_onsite_weeks": 8}}),
                 id="special scope: ten units, one team, eight weeks"),
    pytest.param(add_one_round_at_a_time, dict(horizon={"end": dt.date(2027, 3, 28)},
                                               units=[unit("A", effort=3), unit("B", effort=3)]),
                 id="one round at a time: two rounds, twelve weeks"),
    # T1: 1 + 4 + 2 weeks regular, T2: 1 + 2 + 1 weeks special; one after the other takes 8.
    pytest.param(add_rounds_in_sequence, dict(horizon={"end": dt.date(2027, 2, 21)}, teams=[team("T1"), team("T2")],
                                              rounds={"special": {"themes": [theme(2)]}}),
                 id="rounds in sequence: a regular and a special round, seven weeks"),
    pytest.param(add_follow_up_after_rectification, dict(units=[unit("A", follow_up=True)],
                                                         teams=[team("T1"), team("T2")],
                                                         rounds={"follow_up": {"min_gap_weeks": 45}}),
                 id="follow-up: rectification longer than the year"),
    pytest.param(add_fixed_decisions, dict(fixed=[{"kind": "team", "target": "A", "team": "T1"},
                                                  {"kind": "unavailable", "team": "T1", "start": dt.date(2027, 1, 1),
                                                   "end": dt.date(2027, 12, 31)}]),
                 id="fixed decisions: a unit fixed to a team away all year"),
    # Open from July to mid-August: the city's 4-week round fits, an 8-week cross window does not.
    pytest.param(add_cross_windows, dict(counties=["甲县", "乙县", "丙县"],
                                         cross_inspection={"rounds": [{"year": 2027}], "onsite_weeks": 8},
                                         calendar={"extra": [
                                             {"name": "上半年", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 6, 30)},
                                             {"name": "下半年", "start": dt.date(2027, 8, 16), "end": dt.date(2027, 12, 31)}]}),
                 id="cross windows: eight weeks, six open"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    edit = dict(edit)
    fixed = edit.pop("fixed", ())
    s = mini(tiny, edit.pop("units", [unit("A")]), edit.pop("teams", None), **edit).replace(fixed=fixed)
    plan(s, status="INFEASIBLE")
    plan(s, family, status="OPTIMAL")


def test_every_hard_family_has_an_instance_where_it_binds():
    # add_within_horizon is shown at its edge in test_every_busy_span_lies_inside_the_horizon.
    assert {p.values[0] for p in INFEASIBLE} | {add_within_horizon} == set(rules.HARD_RULES)


# --- implied: 组次计数 ----------------------------------------------------------------

ONE_ROUND = {"regular": {"rounds_per_year_min": 0, "rounds_per_year_max": 1}}
COUNTS = [
    pytest.param([unit("W1", category="county"), unit("W2", category="county")], None, {}, (1, 2),
                 id="two counties, one team-round"),
    pytest.param([unit("A", effort=2), unit("B", effort=2)], None, {}, (1, 2), id="effort 4, one team-round of 3"),
    # T1 and T2 each need 2 drafted cadres: a pool of 3 sends one of them.
    pytest.param([unit(u) for u in "ABCD"], [team("T1"), team("T2")], {"staff": {"city": {"drafted_pool": 3}}},
                 (1, 2), id="four units, a pool for one of two teams"),
]


@pytest.mark.parametrize(("units", "teams", "edit", "figures"), COUNTS)
def test_too_few_team_rounds_are_proven_by_counting(tiny, units, teams, edit, figures):
    s = mini(tiny, units, teams, rounds=ONE_ROUND, **edit)
    count = count_team_rounds(model(s))
    assert (count.available, count.needed) == figures and count.deficit == 1
    proven = draft_plan(s, settings=QUICK)
    assert proven.status == "INFEASIBLE" and proven.stopped_by == StopReason.COUNT and not proven.rounds
    assert proven.uncovered_bound == 1
    # The count claims no more than is true: the best plan leaves exactly one unit out.
    partial = draft_plan(s, settings=QUICK, allow_uncovered=True)
    assert partial.status == "OPTIMAL" and len(partial.uncovered) == 1
    # One more round a year and the count has no deficit: a plan covers every unit.
    more = mini(tiny, units, teams, rounds={"regular": {"rounds_per_year_max": 2}}, **edit)
    assert count_team_rounds(model(more)).deficit == 0
    assert draft_plan(more, settings=QUICK).complete


# Four units need two team-rounds of the one team; two rounds a year would give two, but the calendar
# leaves room for one: closed from March (8 open weeks: preparation, then one 4-week stay), or a term
# that ends in January (no 2028 round has room for its report). Closed from May, or ending in March: two.
CLOSED = {"name": "封闭", "end": dt.date(2027, 12, 31)}
CALENDARS = [
    pytest.param(dict(rounds={"regular": {"rounds_per_year_min": 0, "rounds_per_year_max": 2}},
                      calendar={"extra": [dict(CLOSED, start=dt.date(2027, 3, 1))]}),
                 dict(calendar={"extra": [dict(CLOSED, start=dt.date(2027, 5, 1))]}),
                 id="closed from March"),
    pytest.param(dict(rounds=ONE_ROUND, horizon={"end": dt.date(2028, 1, 31)}),
                 dict(horizon={"end": dt.date(2028, 3, 31)}), id="a term ending in January"),
]


@pytest.mark.parametrize(("edit", "longer"), CALENDARS)
def test_a_calendar_with_room_for_fewer_rounds_is_proven_short_by_counting(tiny, edit, longer):
    units = [unit(u) for u in "ABCD"]
    s = mini(tiny, units, **edit)
    count = count_team_rounds(model(s))
    assert (count.available, count.needed, count.deficit) == (1, 2, 1)
    # Rounds per year alone would allow two rounds: the calendar is what binds.
    policy = s.policy(CITY).rounds.regular
    assert count.teams_out * policy.rounds_per_year_max * len(WeekGrid.of(s).year_ranges) == 2
    proven = draft_plan(s, settings=QUICK)
    assert proven.status == "INFEASIBLE" and proven.stopped_by == StopReason.COUNT and not proven.rounds
    assert proven.uncovered_bound == 1
    # The count claims no more than is true: the best plan leaves exactly one unit out.
    partial = draft_plan(s, settings=QUICK, allow_uncovered=True)
    assert partial.status == "OPTIMAL" and len(partial.uncovered) == 1
    roomier = mini(tiny, units, **_merged(edit, longer))
    assert count_team_rounds(model(roomier)).deficit == 0
    assert draft_plan(roomier, settings=QUICK).complete


def test_a_countys_cross_round_takes_one_of_its_regular_rounds_in_the_count():
    whole = load_scenario(Path(__file__).parent / "data" / "whole")
    county = Committee(whole.counties[0])
    most = whole.policy(county).rounds.regular.rounds_per_year_max
    alone = count_team_rounds(build_model(whole, county, relax=frozenset({Relax.COVERAGE})))
    calendar = CityCalendar(regular=(), cross=((30, whole.cross_weeks()),))
    crossed = count_team_rounds(build_model(whole, county, relax=frozenset({Relax.COVERAGE}), whole=True,
                                            calendar=calendar))
    assert len(WeekGrid.of(whole).year_ranges) == 1 and (alone.rounds, crossed.rounds) == (most, most - 1)


def _city_rounds(scenario: Scenario, *starts: int) -> CityCalendar:
    """A city calendar with regular rounds starting in ``starts`` and the cross round in week 30."""
    return CityCalendar(regular=tuple(CityRound(n, w, w + 4, ()) for n, w in enumerate(starts, 1)),
                        cross=((30, scenario.cross_weeks()),))


@pytest.mark.parametrize(("starts", "figures"), [
    pytest.param((10,), (1, 1), id="one city round"),
    pytest.param((10, 31), (2, 1), id="the second city round in the cross round's weeks"),
])
def test_a_county_in_step_with_the_city_is_short_of_team_rounds_by_counting(tmp_path, starts, figures):
    """In step (sync hard), 甲县's one team goes out near a city regular round: one city round
    gives it one team-round for two; a second city round where its team is on the cross round gives
    it none. The count proves the county short at once, and the solver agrees it is short by one unit."""
    s = load_scenario(in_step_county(tmp_path))
    county, calendar = Committee("甲县"), _city_rounds(s, *starts)
    count = count_team_rounds(build_model(s, county, relax=frozenset({Relax.COVERAGE}), whole=True, calendar=calendar))
    step = count.in_step
    assert (step.free_rounds, step.cross_rounds) == figures and step.cross_teams == 1
    assert (count.needed, count.available, count.deficit) == (2, 1, 1)
    proven = draft_plan(s, county, QUICK, whole=True, calendar=calendar)
    assert proven.status == "INFEASIBLE" and proven.stopped_by == StopReason.COUNT
    partial = draft_plan(s, county, QUICK, allow_uncovered=True, whole=True, calendar=calendar)
    assert partial.status == "OPTIMAL" and len(partial.uncovered) == 1
    # Two city rounds clear of the cross round: two team-rounds, and a plan that covers every unit.
    clear = _city_rounds(s, 10, 40)
    count = count_team_rounds(build_model(s, county, relax=frozenset({Relax.COVERAGE}), whole=True, calendar=clear))
    assert count.in_step.team_rounds == 2 and count.deficit == 0
    assert draft_plan(s, county, QUICK, whole=True, calendar=clear).complete
    # With sync soft the county may start rounds away from the city's: no in-step count.
    soft = apply_overrides(s, ["linkage.sync_hard=false"])
    assert count_team_rounds(build_model(soft, county, relax=frozenset({Relax.COVERAGE}), whole=True,
                                         calendar=calendar)).in_step is None


def test_many_unlike_themes_are_counted_as_the_shortest_never_below_the_exact_count(tiny, monkeypatch):
    # Seven unlike themes (five lengths, two bound to a year) make 2**7 states of the exact recursion,
    # above its limit: the count then places every theme as the shortest, in any year. Twelve regular
    # rounds a year let the calendar, not the cap, bind.
    themes = [dict(name=f"专项{s}", scope_units=s, max_teams=1) for s in (2, 3, 4, 5, 6)]
    themes += [dict(name=f"专项{y}", scope_units=2, max_teams=1, year=y) for y in (2027, 2028)]
    s = mini(tiny, [unit(u) for u in "ABCD"], horizon={"end": dt.date(2028, 12, 31)},
             rounds={"regular": {"rounds_per_year_max": 12}, "special": {"themes": themes, "rounds_per_year_max": 7}})
    m = model(s)
    pooled = term_rounds(m)
    monkeypatch.setattr(team_rounds, "MOST_SPECIAL_STATES", 2**7)
    exact = term_rounds(m)
    assert exact is not None and pooled is not None
    # Shorter themes in any year leave the regular rounds at least the room they have: never fewer.
    assert exact <= pooled <= 2 * s.policy(CITY).rounds.regular.rounds_per_year_max
    assert pooled > exact, (pooled, exact)  # and here strictly more: the pooled count is looser, not the same count


@st.composite
def calendars(draw):
    """A term of up to 10 weeks in up to three years, a cap a year, one regular stretch, up to two specials."""
    n = draw(st.integers(1, 10))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=2))) if n > 1 else []
    years = [2027 + sum(w >= c for c in cuts) for w in range(n)]
    caps = {y: draw(st.integers(0, 3)) for y in set(years)}

    def stretch():
        weeks = draw(st.integers(1, 3))
        return Stretch(weeks, frozenset(draw(st.sets(st.integers(0, n - weeks), max_size=6))) if weeks <= n
                       else frozenset())

    return years, caps, stretch(), [stretch() for _ in range(draw(st.integers(0, 2)))]


def _disjoint(spans: list[range]) -> bool:
    return all(not set(a) & set(b) for a, b in itertools.combinations(spans, 2))


@given(calendars())
def test_most_rounds_is_the_largest_packing_of_rounds_beside_the_specials(calendar):
    years, caps, regular, specials = calendar
    placements = [[range(s, s + sp.weeks) for sp, s in zip(specials, starts)]
                  for starts in itertools.product(*(sorted(sp.starts) for sp in specials))]
    placements = [p for p in placements if _disjoint(p)]
    packings = [[range(s, s + regular.weeks) for s in group]
                for size in range(len(regular.starts) + 1) for group in itertools.combinations(sorted(regular.starts), size)
                if all(Counter(years[s] for s in group)[y] <= cap for y, cap in caps.items())]
    packings = [r for r in packings if _disjoint(r)]
    fits = [len(r) for r in packings for p in placements if _disjoint(r + p)]
    assert most_rounds(years, caps, regular, specials) == (max(fits) if fits else None)


@given(st.lists(st.tuples(st.integers(0, 4), st.booleans()), max_size=7), st.integers(0, 10), st.integers(0, 3))
def test_most_teams_out_is_the_largest_set_the_pools_staff(needs, drafted_pool, leader_pool):
    fits = [len(group) for size in range(len(needs) + 1) for group in itertools.combinations(needs, size)
            if sum(n for n, _ in group) <= drafted_pool and sum(lead for _, lead in group) <= leader_pool]
    assert most_teams_out(needs, drafted_pool, leader_pool) == max(fits)


# --- soft rules ---------------------------------------------------------------------


def priority_rank(s: Scenario, solution: Solution) -> int:
    """risk_first: sum of risk x ordinal of the target's regular round (no unit is overdue)."""
    risk = {t.id: t.risk for t in s.targets}
    return sum(risk[t] * n for n, r in enumerate(regular(solution)) for tr in r.teams for t in tr.targets)


def mix_shortfall(s: Scenario, solution: Solution) -> int:
    category = {t.id: t.category for t in s.targets}
    need = min(s.soft.mix_min_groups, len({CATEGORY_GROUP[c] for c in category.values()}))
    return sum(max(0, need - len({CATEGORY_GROUP[category[t]] for tr in r.teams for t in tr.targets}))
               for r in regular(solution))


def team_load_spread(s: Scenario, solution: Solution) -> int:
    effort = {t.id: t.effort for t in s.targets}
    loads = Counter({tm.id: 0 for tm in s.teams})
    for r in regular(solution):
        for tr in r.teams:
            loads[tr.team] += sum(effort[t] for t in tr.targets)
    return max(loads.values()) - min(loads.values())


def year_loads(s: Scenario, solution: Solution) -> dict[int, int]:
    effort, grid = {t.id: t.effort for t in s.targets}, WeekGrid.of(s)
    loads = {y: 0 for y in s.horizon.years}
    for r in regular(solution):
        loads[grid.year_of(r.start_week)] += sum(effort[t] for tr in r.teams for t in tr.targets)
    return loads


def year_spread(s: Scenario, solution: Solution) -> int:
    before_last = list(year_loads(s, solution).values())[:-1]
    return max(before_last) - min(before_last)


def last_year_excess(s: Scenario, solution: Solution) -> int:
    loads = year_loads(s, solution)
    return max(0, loads[max(loads)] - int(s.soft.last_year_share * sum(loads.values()) / len(loads)))


def special_overrun(s: Scenario, solution: Solution) -> int:
    return max(0, special(solution).onsite_weeks - s.rounds.special.target_onsite_weeks)


def drafted_weeks(s: Scenario, solution: Solution) -> int:
    return sum(tr.drafted * (r.prep_weeks + tr.onsite_weeks + r.report_weeks) for r in solution.rounds for tr in r.teams)


def soft_plan(s: Scenario, rule: str, weight: int, metric) -> tuple[Solution, int]:
    """Solve with ``rule`` at ``weight``; the recomputed penalty matches the model's."""
    s = s.replace(weights=s.weights.model_dump() | {rule: weight})
    solution = plan(s)
    value = metric(s, solution)
    if weight:
        assert solution.penalties[rule] == value
    else:
        assert rule not in solution.penalties
    return solution, value


def two_year_plan(tiny):
    """H (risk 5, effort 1) and L (risk 1, effort 3), one round a year: risk first wants H
    in 2027, room in the last year wants L in 2027 (cap int(0.6 * 4 / 2) = 1)."""
    return mini(tiny, [unit("H", "party_work_organ", effort=1, risk=5), unit("L", effort=3, risk=1)],
                horizon={"end": dt.date(2028, 12, 31)}, rounds={"regular": {"rounds_per_year_max": 1}})


def test_risk_first_brings_high_risk_units_forward(tiny):
    s = two_year_plan(tiny).replace(weights=NO_WEIGHTS | {"last_year_room": 10})
    late, value = soft_plan(s, "risk_first", 0, priority_rank)
    assert [r.teams[0].targets for r in regular(late)] == [("L",), ("H",)] and value == 5
    early, value = soft_plan(s, "risk_first", 10, priority_rank)
    assert [r.teams[0].targets for r in regular(early)] == [("H",), ("L",)] and value == 1


def test_last_year_room_keeps_the_last_year_light(tiny):
    s = two_year_plan(tiny).replace(weights=NO_WEIGHTS | {"risk_first": 10})
    heavy, value = soft_plan(s, "last_year_room", 0, last_year_excess)
    assert year_loads(s, heavy) == {2027: 1, 2028: 3} and value == 2
    light, value = soft_plan(s, "last_year_room", 30, last_year_excess)
    assert year_loads(s, light) == {2027: 3, 2028: 1} and value == 0


def test_mixed_rounds_mix_party_and_government_units(tiny):
    # One team, two units a round; risk first alone puts both party units in round 1.
    units = [unit("P1", "party_work_organ", risk=5), unit("P2", "party_work_organ", risk=5), unit("G1", risk=1),
             unit("G2", risk=1)]
    s = mini(tiny, units, rounds={"regular": {"rounds_per_year_max": 2}, "max_units_per_team": 2},
             soft={"mix_min_groups": 2}, weights={"risk_first": 1})
    apart, value = soft_plan(s, "mixed_rounds", 0, mix_shortfall)
    assert [set(r.teams[0].targets) for r in regular(apart)] == [{"P1", "P2"}, {"G1", "G2"}] and value == 2
    mixed, value = soft_plan(s, "mixed_rounds", 10, mix_shortfall)
    assert value == 0 and all(len({t[0] for t in r.teams[0].targets}) == 2 for r in regular(mixed))


def load_pair(tiny):
    """T1 needs 2 drafted cadres, T2 (no liaison) 3; two units, one round: drafting wants
    T1 to take both, even load wants one each."""
    return mini(tiny, [unit("A"), unit("B")], [team("T1"), team("T2", liaison=0)],
                rounds={"regular": {"rounds_per_year_max": 1}})


def test_even_team_load_shares_the_units(tiny):
    s = load_pair(tiny).replace(weights=NO_WEIGHTS | {"drafted_cadres": 1})
    uneven, value = soft_plan(s, "even_team_load", 0, team_load_spread)
    assert [tr.team for tr in regular(uneven)[0].teams] == ["T1"] and value == 2
    even, value = soft_plan(s, "even_team_load", 20, team_load_spread)
    assert [tr.team for tr in regular(even)[0].teams] == ["T1", "T2"] and value == 0


def test_few_drafted_cadres_sends_the_fuller_team(tiny):
    s = load_pair(tiny).replace(weights=NO_WEIGHTS | {"even_team_load": 1})
    both, value = soft_plan(s, "drafted_cadres", 0, drafted_weeks)
    assert len(regular(both)[0].teams) == 2 and value == 2 * 7 + 3 * 7  # (prep 1 + on-site 4 + report 2)
    one, value = soft_plan(s, "drafted_cadres", 1, drafted_weeks)
    assert [tr.team for tr in regular(one)[0].teams] == ["T1"] and value == 2 * 7


def test_even_year_load_spreads_work_over_the_years(tiny):
    # Five units, one team, at least one round a year over 2027-2029: risk first alone
    # puts three in 2027's round.
    s = mini(tiny, [unit(f"U{n}") for n in range(5)], horizon={"end": dt.date(2029, 12, 31)},
             rounds={"regular": {"rounds_per_year_max": 2}}, weights={"risk_first": 1})
    front, value = soft_plan(s, "even_year_load", 0, year_spread)
    assert year_loads(s, front) == {2027: 3, 2028: 1, 2029: 1} and value == 2
    even, value = soft_plan(s, "even_year_load", 10, year_spread)
    assert year_loads(s, even) == {2027: 2, 2028: 2, 2029: 1} and value == 0


def test_short_special_sends_more_teams_for_a_shorter_round(tiny):
    # Scope 6: one team stays 6 weeks (fewest drafted cadre-weeks), two teams 3 weeks.
    s = mini(tiny, [unit("A")], [team("T1"), team("T2", liaison=0)], weights={"drafted_cadres": 1},
             rounds={"special": {"themes": [theme(6, max_teams=2)], "onsite_weeks": 2, "target_onsite_weeks": 3,
                                 "max_onsite_weeks": 8}})
    long, value = soft_plan(s, "short_special", 0, special_overrun)
    assert [(tr.team, tr.onsite_weeks) for tr in special(long).teams] == [("T1", 6)] and value == 3
    short, value = soft_plan(s, "short_special", 30, special_overrun)
    assert [(tr.team, tr.onsite_weeks) for tr in special(short).teams] == [("T1", 3), ("T2", 3)] and value == 0
