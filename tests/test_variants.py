"""A plan for every scenario variant that has one (issue 8, part 1).

Each variant of tests/variants.py (term start month, extra blackouts, pools,
vacant posts, units ±30%, 4-7 teams, follow-ups, how the tables are saved)
ends in a plan the independent checker accepts, or in an infeasibility that
``explain`` proves; never in "no plan in time" while the rules can hold.
CI runs small variants (a third of the units, a two-year term) with a
deterministic work budget, so the outcome does not depend on the machine's
load; bench/bench_variants.py runs the full-size sweep.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import cli
import planner.whole
from cli import app
from planner.check import check_plan
from planner.explain import Explanation, describe, explain
from planner.export import solution_frame
from planner.plan import PlanDir
from planner.solution import Solution
from planner.solve import SolveSettings, draft_plan
from planner.status import SolveStatus, StopReason
from planner.vocabulary import CITY
from scenario_edits import SHANGLUO, copy_scenario, replace_in
from variants import make_county_variant, make_variant

runner = CliRunner()

SEEDS = range(25)
# CI plans the first twelve (the full 25 and more, at full size: bench/bench_variants.py).
PLANNED = range(12)
# Deterministic seconds of CP-SAT work: the first phase stops as soon as every unit is covered.
# 8 s left two of the 25 without a plan (seeds 3 and 5: 12 and more units out). Seed 5 covers
# every unit after 11-39 s over CP-SAT seeds 0-6, and CP-SAT's interleaved search is not strictly
# repeatable (rarely, a run takes another path): with 45 s, one CI run under load ended without a
# plan. 60 s keeps a margin. (That was with quiet visits soft; hard, as by default now, seed 5 has
# no plan: see EXPLAIN.)
BUDGET = SolveSettings(time_limit=60, deterministic=True)
# explain's proof, on a budget of deterministic seconds too. Seed 5 with quiet visits hard: 60
# seconds (not deterministic) left it undecided; 180 deterministic seconds prove it infeasible in
# 145 s wall and name the 2027 staffing (8 drafted cadres for 6 teams) as the conflict.
EXPLAIN = SolveSettings(time_limit=180, deterministic=True)


@pytest.mark.slow  # twelve solves of 60 deterministic seconds
@pytest.mark.parametrize("seed", PLANNED)
def test_every_variant_gets_a_checked_plan_or_a_proven_infeasibility(seed, tmp_path):
    variant = make_variant(seed, tmp_path / "scenario", small=True)
    solution = draft_plan(variant.scenario, CITY, BUDGET)
    if solution.has_plan:
        frame = solution_frame(solution, variant.scenario)
        assert check_plan(variant.scenario, PlanDir(Path("."), frame, {}), [CITY]) == [], str(variant)
        assert not solution.uncovered
        return
    found = explain(variant.scenario, CITY, settings=EXPLAIN)
    assert found.status == SolveStatus.INFEASIBLE, f"{variant}: {describe(found, variant.scenario)}"


@pytest.mark.parametrize("seed", [26, 37])
def test_a_term_too_short_for_its_units_is_proven_so_without_search(seed, tmp_path):
    """Full-size variants the search and explain left undecided in 60 s: 26 has too few team-rounds
    for its units by their number, 37 by their effort. The count proves it before any search."""
    variant = make_variant(seed, tmp_path / "scenario")
    solution = draft_plan(variant.scenario, CITY, BUDGET)
    assert solution.status == SolveStatus.INFEASIBLE and solution.stopped_by == StopReason.COUNT
    assert solution.uncovered_bound > 0 and solution.solve_seconds == 0
    # The count decides the verdict and its line whatever the two searches find: a second is enough.
    found = explain(variant.scenario, CITY, settings=SolveSettings(time_limit=1))
    assert found.status == SolveStatus.INFEASIBLE
    lines = describe(found, variant.scenario)
    assert lines[1].startswith("  - 组次不够") and f"至少{solution.uncovered_bound}个单位排不下" in lines[1]


def test_the_variants_vary_what_offices_change(tmp_path):
    """The seeds above cover every kind of change the generator makes."""
    drawn = [make_variant(seed, tmp_path / str(seed), small=True).facts for seed in SEEDS]
    assert len({f["start"].month for f in drawn}) >= 6
    assert any(len(f["extra_blackouts"]) >= 2 for f in drawn)
    assert {month for f in drawn for day, _ in f["extra_blackouts"] for month in [day.month]} & {3, 4, 5}
    assert {month for f in drawn for day, _ in f["extra_blackouts"] for month in [day.month]} & {9, 10, 11}
    assert len({length for f in drawn for _, length in f["extra_blackouts"]}) >= 5
    assert {f["teams"] for f in drawn} == {4, 5, 6, 7}
    assert len({f["drafted_pool"] for f in drawn}) >= 5 and len({f["leader_pool"] for f in drawn}) >= 3
    assert any(f["vacant_posts"] >= 3 for f in drawn) and any(f["leaderless"] for f in drawn)
    assert len({f["follow_up_share"] for f in drawn}) >= 3
    assert {f["encoding"] for f in drawn} == {"utf-8", "utf-8-sig", "gbk", "xlsx"}
    assert {f["headers"] for f in drawn} == {"中文", "codes"}
    units = [f["units"] for f in drawn]
    assert max(units) > 1.2 * min(units)


@pytest.mark.slow  # the full Shangluo scenario, 30 s
def test_plan_returns_a_checked_plan_for_a_term_from_july_with_extra_blackouts(tmp_path):
    """The case of issue 8: a term that does not start on 1 January and blackouts the office adds."""
    folder = copy_scenario(SHANGLUO, tmp_path)
    replace_in(folder / "scenario.yaml", "  start: 2027-01-01\n  end: 2031-12-31", "  start: 2027-07-01\n  end: 2032-06-30")
    replace_in(folder / "scenario.yaml", "  extra: []", "  extra:\n"
               "    - {name: 全国两会, start: 2028-03-02, end: 2028-03-16}\n"
               "    - {name: 换届, start: 2029-09-10, end: 2029-10-20}\n"
               "    - {name: 省两会, start: 2030-01-20, end: 2030-01-28}")
    result = runner.invoke(app, ["plan", str(folder), "--out", str(tmp_path / "out"), "--time-limit", "30",
                                 "--no-gantt"])
    assert result.exit_code == 0, result.output
    assert "独立检查通过" in result.output
    assert runner.invoke(app, ["check", str(folder), str(tmp_path / "out")]).exit_code == 0


@pytest.mark.parametrize(("explained", "says"), [
    (SolveStatus.FEASIBLE, "方案存在, 但本次时限内未找到"),
    (SolveStatus.UNKNOWN, "可加大 --time-limit 后重试"),
])
def test_plan_without_a_plan_in_time_says_whether_the_rules_can_hold(tiny_path, tmp_path, monkeypatch, explained,
                                                                      says):
    """Not found in time: plan says so, then what explain found (can the rules hold, or undecided)."""
    def no_plan(scenario, committee, settings, *args, **kwargs):
        return Solution(committee, SolveStatus.UNKNOWN, (), solve_seconds=1.0, uncovered=("G1",))

    monkeypatch.setattr(planner.whole, "draft_plan", no_plan)
    monkeypatch.setattr(cli, "explain", lambda *args: Explanation(explained, (), (), SolveStatus.UNKNOWN))
    result = runner.invoke(app, ["plan", str(tiny_path), "--out", str(tmp_path / "out"), "--time-limit", "5"])
    assert result.exit_code == 1
    assert "未找到覆盖全部单位的方案" in result.output and "仍有 1 个单位未覆盖" in result.output
    assert says in result.output
    assert not (tmp_path / "out").exists()


def test_plan_that_is_proven_impossible_says_so_and_explains(tiny_path, tmp_path):
    result = runner.invoke(app, ["plan", str(tiny_path), "--set", "staff.city.drafted_pool=3", "--time-limit", "10",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "已证明无可行方案" in result.output
    assert "多抽调" in result.output  # the smallest relaxation follows


@pytest.mark.parametrize(("stopped_by", "how"), [(StopReason.PROOF, "(求解 1.0 秒)"),
                                                (StopReason.COUNT, "(由组次计数证明, 无需搜索)")])
def test_plan_proven_to_leave_units_out_says_how_many_even_when_explain_finds_no_conflict(tiny_path, tmp_path,
                                                                                         monkeypatch, stopped_by, how):
    def proven(scenario, committee, settings, *args, **kwargs):
        return Solution(committee, SolveStatus.INFEASIBLE, (), solve_seconds=1.0, uncovered=("G1", "G2"),
                        uncovered_bound=2, stopped_by=stopped_by)

    monkeypatch.setattr(planner.whole, "draft_plan", proven)
    monkeypatch.setattr(cli, "explain", lambda *args: Explanation(SolveStatus.UNKNOWN, (), (), SolveStatus.UNKNOWN))
    result = runner.invoke(app, ["plan", str(tiny_path), "--out", str(tmp_path / "out"), "--time-limit", "5"])
    assert result.exit_code == 1
    assert "已证明无可行方案" in result.output and f"至少有 2 个单位无法覆盖 {how}" in result.output
    assert "未能找出" in result.output and "加大 --time-limit 后重试" not in result.output
    assert not (tmp_path / "out").exists()


# --- a county office's own scenario (issue 28) ------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_every_county_variant_gets_a_checked_plan_or_a_proven_infeasibility(seed, tmp_path):
    variant = make_county_variant(seed, tmp_path / "scenario", small=True)
    home = variant.scenario.home
    solution = draft_plan(variant.scenario, home, BUDGET)
    if solution.has_plan:
        frame = solution_frame(solution, variant.scenario)
        assert check_plan(variant.scenario, PlanDir(Path("."), frame, {}), [home]) == [], str(variant)
        assert not solution.uncovered
        return
    found = explain(variant.scenario, home, settings=SolveSettings(time_limit=60))
    assert found.status == SolveStatus.INFEASIBLE, f"{variant}: {describe(found, variant.scenario)}"


def test_county_variants_are_a_county_office_own_and_vary(tmp_path):
    variants = [make_county_variant(seed, tmp_path / str(seed)) for seed in range(6)]
    assert all(v.scenario.own_county and v.scenario.committees == [v.scenario.home] for v in variants)
    header = (variants[0].folder / "targets.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "level" not in header and "county" not in header
    for fact in ("units", "teams", "revisit_weeks", "units_per_year_min", "encoding"):
        assert len({str(v.facts[fact]) for v in variants}) > 1, fact
