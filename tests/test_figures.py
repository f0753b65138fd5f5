"""The figures the solver proves (planner.figures) against brute force on the tiny scenario:
the least pools by a feasibility solve per pool size, the earliest finish by a feasibility
solve per week (every unit 不晚于 that week's Friday), slips by a scenario where one unit
cannot stay in its year."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from typer.testing import CliRunner

from cli import app

from planner.figures import CHOICE, Bounded, FORCED, earliest_finish, facts_lines, least_pool, plan_facts, slips
from planner.build import build_model
from planner.model import CommitteeData
from planner.overrides import apply_overrides
from planner.scenario import Scenario
from planner.solve import SolveSettings, solver_for
from planner.solver import status_of
from planner.status import SolveStatus
from planner.sweep import sweep
from planner.tables import DecisionKind, FixedDecision

runner = CliRunner()

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


def test_sweep_carries_the_proven_figures_per_value(tiny, tmp_path):
    rows = sweep(tiny, "staff.city.drafted_pool", ["3", "5"], tmp_path, SolveSettings(time_limit=5), jobs=1)
    short, enough = rows
    least = least_by_trying(tiny, "staff.city.drafted_pool", 12)
    assert short.least_drafted_pool == short.least_drafted_pool_bound == least == enough.least_drafted_pool
    assert short.earliest_finish is None and short.least_uncovered_bound >= 1
    # The value's own plan is a plan of it: the least left out is never above what it leaves out.
    assert short.least_uncovered_bound <= short.least_uncovered <= short.uncovered
    assert enough.earliest_finish == enough.earliest_finish_bound is not None and enough.least_uncovered == 0
    frame = pd.read_csv(tmp_path / "sweep.csv", encoding="utf-8-sig")
    assert list(frame["least_drafted_pool"]) == [least, least]
    assert frame["earliest_finish"].isna().tolist() == [True, False]


def test_a_plan_found_elsewhere_lowers_a_figure_and_proves_it_where_it_meets_the_bound():
    unproven = Bounded(SolveStatus.FEASIBLE, 25, 24)
    assert unproven.with_plan(24) == Bounded(SolveStatus.OPTIMAL, 24, 24)
    assert unproven.with_plan(26) == unproven  # a worse plan changes nothing
    assert Bounded(SolveStatus.UNKNOWN).with_plan(3) == Bounded(SolveStatus.FEASIBLE, 3, 0)


def test_whatif_prints_the_proven_figures_first_with_the_settings_given(tiny_path, tmp_path):
    result = runner.invoke(app, ["whatif", str(tiny_path), "--set", "staff.city.drafted_pool=3", "--out",
                                 str(tmp_path / "w"), "--time-limit", "5", "--seed", "3", "--workers", "8",
                                 "--deterministic"])
    assert result.exit_code == 0, result.output
    console = [line for line in result.output.splitlines() if line and not line.startswith(("[", "正在"))]
    assert console[0].startswith("全覆盖: 基准方案 可以全覆盖 (已证明")
    assert console[1].startswith("最后一个单位最早结束进驻: 基准方案 ")
    assert console[2].startswith("全覆盖所需的每轮抽调干部 (人才库) 最少: 基准方案 5人 (已证明")
    meta = json.loads((tmp_path / "w" / "variant" / "plan.json").read_text(encoding="utf-8"))
    assert meta["seed"] == 3


def test_explain_why_replan_sweep_take_the_solve_settings():
    for command in ("explain", "why", "replan", "sweep", "whatif"):
        text = runner.invoke(app, [command, "--help"], terminal_width=200).output
        assert all(option in text for option in ("--seed", "--workers", "--deterministic")), command


def test_slips_against_a_plan_that_leaves_units_out(tiny):
    """Pool 3 leaves 2 units out, whatever the plan: P2 in 2027 is a choice among such plans, and
    forced only against a full coverage no plan has."""
    two = apply_overrides(tiny, ["horizon.end=2028-12-31", "staff.city.drafted_pool=2"])
    assert not feasible(two)
    left = plan_facts(two, settings=SETTINGS).uncovered
    assert left.proven and left.found >= 1
    assert [s.verdict for s in slips(two, [("P2", 2027, 2028)], settings=SETTINGS, left_out=left.found)[0]] == [CHOICE]
    assert [s.verdict for s in slips(two, [("P2", 2027, 2028)], settings=SETTINGS, left_out=0)[0]] == [FORCED]
