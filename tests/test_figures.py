"""The figures the solver proves (planner.figures) against brute force on the tiny scenario:
the least pools by a feasibility solve per pool size, the earliest finish by a feasibility
solve per week (every unit 不晚于 that week's Friday), slips by a scenario where one unit
cannot stay in its year."""

from __future__ import annotations

import datetime as dt

from planner.figures import CHOICE, FORCED, earliest_finish, facts_lines, least_pool, plan_facts, slips
from planner.model import CommitteeData, build_model
from planner.overrides import apply_overrides
from planner.scenario import DecisionKind, FixedDecision, Scenario
from planner.solve import SolveSettings, solver_for
from planner.solver import SolveStatus, status_of

SETTINGS = SolveSettings(time_limit=10)


def feasible(scenario: Scenario) -> bool:
    """Brute force's one question: do the hard rules, coverage full, have a plan at all?"""
    model = build_model(scenario, soft=False)
    solver = solver_for(SETTINGS)
    status = status_of(solver, solver.solve(model.cp))
    assert status != SolveStatus.UNKNOWN
    return status.has_plan


def least_by_trying(scenario: Scenario, key: str, most: int) -> int | None:
    return next((v for v in range(most + 1) if feasible(apply_overrides(scenario, [f"{key}={v}"]))), None)


def test_least_drafted_pool_is_the_smallest_feasible_pool(tiny):
    found = least_pool(CommitteeData.of(tiny), "drafted_pool", SETTINGS)
    assert found.proven
    assert found.found == least_by_trying(tiny, "staff.city.drafted_pool", 12)
    assert found.found > 0  # the pool binds here: a test that a zero could pass proves nothing


def test_least_leader_pool_is_the_smallest_feasible_pool(tiny):
    found = least_pool(CommitteeData.of(tiny), "leader_pool", SETTINGS)
    assert found.proven
    assert found.found == least_by_trying(tiny, "staff.city.leader_pool", 2)
    assert found.found == 1  # T2 has no leader of its own and the tiny term needs both teams


def test_least_pool_keeps_the_other_pool_as_set(tiny):
    """With the drafted pool below what coverage needs, no leader pool helps: proven impossible."""
    short = apply_overrides(tiny, ["staff.city.drafted_pool=3"])
    assert not feasible(apply_overrides(short, ["staff.city.leader_pool=2"]))
    assert least_pool(CommitteeData.of(short), "leader_pool", SETTINGS).impossible


def by_week(scenario: Scenario, week: int) -> Scenario:
    """Every unit's regular on-site work ends by the Friday of ``week`` (a 不晚于 decision each)."""
    data = CommitteeData.of(scenario)
    day = data.grid.friday(week)
    fixed = [FixedDecision(kind=DecisionKind.NOT_AFTER, target=t.id, end=day) for t in data.targets]
    return scenario.model_copy(update={"fixed": fixed})


def test_earliest_finish_is_the_first_week_that_holds_every_unit(tiny):
    found = earliest_finish(CommitteeData.of(tiny), SETTINGS)
    assert found.proven
    weeks = CommitteeData.of(tiny).grid.n_weeks
    first = next(w for w in range(weeks) if feasible(by_week(tiny, w)))
    # finish counts weeks: the last on-site week is finish - 1
    assert found.found - 1 == first
    facts = plan_facts(tiny, settings=SETTINGS)
    assert facts.finish_found == CommitteeData.of(tiny).grid.friday(first)


def test_coverage_figure_and_its_relaxation(tiny):
    short = apply_overrides(tiny, ["staff.city.drafted_pool=3"])
    assert feasible(tiny) and not feasible(short)
    base, variant = plan_facts(tiny, settings=SETTINGS), plan_facts(short, settings=SETTINGS)
    assert base.uncovered.found == 0 and base.uncovered.proven
    assert variant.uncovered.bound >= 1 and variant.finish.impossible
    # explain's least relaxation: the drafted pool back to the least pool proven
    assert any(f"staff.city.drafted_pool={variant.drafted.found}" in line for line in variant.relaxation)
    lines = facts_lines([("基准方案", base), ("推演方案", variant)])
    assert lines[0].startswith("全覆盖: 基准方案 可以全覆盖 (已证明")
    assert "推演方案 不能全覆盖 (已证明" in lines[0]
    assert f"{base.finish_found} (已证明, 精确到周)" in lines[1]


def test_slips_forced_or_a_choice(tiny):
    """Two years; G2 may not start before 2028 (a fixed decision): its slip to 2028 is forced, P2's a choice."""
    two = apply_overrides(tiny, ["horizon.end=2028-12-31"])
    two = two.model_copy(update={"fixed": [FixedDecision(kind=DecisionKind.NOT_BEFORE, target="G2",
                                                          start=dt.date(2028, 1, 1))]})
    found, rest = slips(two, [("G2", 2027, 2028), ("P2", 2027, 2028)], settings=SETTINGS)
    assert rest == 0
    verdicts = {s.target: s.verdict for s in found}
    assert verdicts == {"G2": FORCED, "P2": CHOICE}
    assert [s.target for s in found] == ["G2", "P2"]  # by risk: G2 (3) before P2 (1)
