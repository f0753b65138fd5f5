"""The application layer without the command line: a Scope from --level/--county, a plan run
drafted, written and checked, and a run's status, objective and bound added up from its plans."""

from __future__ import annotations

import json

import pytest

from planner.app import PlanRequest, PlanRun, check_run, run_plan
from planner.overrides import apply_overrides
from planner.parallel import CommitteeProgress
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE
from planner.vocabulary import CITY, Committee
from planner.scope import OptionError, Scope, check_something_to_plan, scope_of
from planner.solution import Solution
from planner.solve import SolveSettings
from planner.solver import MIN_WORKERS
from planner.status import SolveStatus, StopReason
from planner.whole import city_seconds, county_seconds

FAST = SolveSettings(time_limit=5, workers=MIN_WORKERS)


def test_level_and_county_name_a_scope(tiny):
    assert scope_of(tiny, "", "") == Scope.one(CITY)
    assert scope_of(tiny, "city", "") == Scope((CITY,))
    assert scope_of(tiny, "county", "") == Scope((Committee("甲县"), Committee("乙县")))
    assert scope_of(tiny, "county", "乙县").single == Committee("乙县")
    whole = scope_of(tiny, "all", "")
    assert whole.whole and whole.committees == (CITY, Committee("甲县"), Committee("乙县"))
    assert whole.single is None and whole.apart == () and whole.first == CITY


@pytest.mark.parametrize(("level", "county", "says"), [
    ("", "丙县", "--county 丙县: 未知的县区, 应为 甲县、乙县 之一"),
    ("all", "甲县", "--county 只用于 --level county (全市方案含每个县区)"),
    ("province", "", "--level province: 应为 city (市委)、county (县区委) 或 all (全市)"),
])
def test_a_scope_the_scenario_has_not_is_refused_in_one_sentence(tiny, level, county, says):
    with pytest.raises(OptionError) as refused:
        scope_of(tiny, level, county)
    assert str(refused.value) == says


def test_a_county_without_units_has_nothing_to_plan(tiny):
    county = Committee("乙县")
    check_something_to_plan(tiny, county)  # its town and its team: something to plan
    without = tiny.model_copy(update={"targets": tuple(t for t in tiny.targets if t.county != "乙县")})
    with pytest.raises(OptionError, match="中共乙县委: 本级没有巡察对象"):
        check_something_to_plan(without, county)


def test_run_plan_drafts_writes_and_checks_one_committee(tiny, tmp_path):
    reports: list[CommitteeProgress] = []
    request = PlanRequest(tiny, Scope.one(CITY), FAST, tmp_path / "out", chart=False)
    run = run_plan(request, reports.append)
    assert run.written and not run.failed and not run.interrupted
    assert [s.committee for s in run.solutions] == [CITY]
    solution = run.solutions[0]
    assert run.objective == solution.objective and run.bound == solution.best_bound
    assert run.bound <= run.objective
    assert run.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert run.missing == () and run.left_out == () and run.coupling is None and run.coupling_lines() == []
    assert run.violations == () and run.gaps == ()
    assert run.rounds == len(solution.rounds) > 0 and run.seconds > 0
    assert all(r.committee == CITY for r in reports)
    meta = json.loads((tmp_path / "out" / PLAN_FILE).read_text(encoding="utf-8"))
    assert meta["objective"] == run.objective
    assert (tmp_path / "out" / ASSIGNMENTS_FILE).exists()
    assert not (tmp_path / "out" / "gantt.png").exists()  # chart=False
    checked = check_run(tiny, tmp_path / "out")
    assert checked.violations == [] and not checked.table.edited and checked.counts


def test_run_plan_without_a_plan_writes_nothing(tiny, tmp_path):
    short = apply_overrides(tiny, ["staff.city.drafted_pool=3"])
    run = run_plan(PlanRequest(short, Scope.one(CITY), FAST, tmp_path / "out"))
    assert not run.written and run.failed == run.solutions
    assert run.failed[0].status == SolveStatus.INFEASIBLE
    assert not (tmp_path / "out").exists()


def _solution(committee: Committee, status: SolveStatus, objective: float, bound: float,
              stopped_by: StopReason = StopReason.TIME_LIMIT, uncovered: tuple[str, ...] = ()) -> Solution:
    return Solution(committee, status, (), objective=objective, best_bound=bound, stopped_by=stopped_by,
                    uncovered=uncovered)


def test_a_run_adds_up_its_plans(tiny, tmp_path):
    request = PlanRequest(tiny, Scope.whole_city(tiny), FAST, tmp_path)
    city = _solution(CITY, SolveStatus.OPTIMAL, 10, 10)
    county = _solution(Committee("甲县"), SolveStatus.FEASIBLE, 30, 20, uncovered=("G1",))
    run = PlanRun(request, (city, county), stopped=False)
    assert (run.objective, run.bound, run.status) == (40, 30, SolveStatus.FEASIBLE)
    assert not run.interrupted and run.left_out == ("G1",)
    assert run.missing == (tiny.policy(Committee("乙县")).committee,)
    both_best = PlanRun(request, (city, _solution(Committee("甲县"), SolveStatus.OPTIMAL, 30, 30)), stopped=False)
    assert both_best.status == SolveStatus.OPTIMAL
    stopped = PlanRun(request, (city, _solution(Committee("甲县"), SolveStatus.FEASIBLE, 30, 20,
                                                StopReason.INTERRUPTED)), stopped=False)
    assert stopped.interrupted and PlanRun(request, (city,), stopped=True).interrupted
    assert "已证明最优" not in run.quality


def test_a_failed_run_lists_its_failures(tiny, tmp_path):
    request = PlanRequest(tiny, Scope.counties(tiny), FAST, tmp_path)
    failed = _solution(Committee("乙县"), SolveStatus.UNKNOWN, None, None)
    run = PlanRun(request, (_solution(Committee("甲县"), SolveStatus.OPTIMAL, 1, 1), failed), stopped=False)
    assert run.failed == (failed,) and run.out_of_step == ()


def test_the_time_shares_are_the_whole_city_passes(tiny, tmp_path):
    settings = SolveSettings(time_limit=100, workers=MIN_WORKERS)
    whole = PlanRequest(tiny, Scope.whole_city(tiny), settings, tmp_path, jobs=2)
    assert "先编制市委方案 (约 25 秒)" in whole.title and "各县区方案 (每个约 30 秒)" in whole.title
    assert city_seconds(settings) == 25 and county_seconds(settings, 2, 2) == 30
    apart = PlanRequest(tiny, Scope.counties(tiny), settings, tmp_path, jobs=1)
    assert apart.title == "各县区分别求解, 每个约 50 秒"
