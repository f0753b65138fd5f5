"""Planning end to end on the tiny scenario: proven optimal, exported as the office
reads it, re-verified by the independent checker; and a complete greedy hint for
the bundled Shangluo scenario (fast: no solve)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

from cli import app
from planner import __version__
from planner.check import check_plan
from planner.export import RULE_LABELS, solution_frame, write_plan
from planner.greedy import add_greedy_hint
from planner.loading import load_scenario
from planner.build import build_model
from planner.overrides import apply_overrides
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, SUMMARY_FILE, PlanDir, read_plan
from planner.scenario import Scenario
from planner.solve import SolveSettings, draft_plan, solver_for, to_solution
from planner.solver import status_of
from planner.status import SolveStatus, StopReason
from planner.vocabulary import CATEGORY_LABELS, CITY, Kind, Level

runner = CliRunner()

FIRST_COLUMNS = [
    "round", "kind", "level", "county", "team", "target", "target_name", "category", "target_county",
    "onsite_start", "onsite_end", "busy_start", "busy_end", "team_size", "drafted", "leader",
]
SOFT_RULES = ("risk_first", "mixed_rounds", "even_team_load", "even_year_load", "short_special", "last_year_room",
              "drafted_cadres", "county_quiet", "sync", "linked_sectors", "audit_sync")
# The tiny scenario's city targets: 7 city units, the elevated town A1 and its village.
TINY_CATEGORIES = {"party_work_organ": 1, "people_org": 1, "gov_department": 2, "gov_subordinate": 1, "city_soe": 1,
                   "county": 1, "town": 1, "village": 1}


@pytest.fixture(scope="module")
def planned(tmp_path_factory, tiny_path) -> Path:
    """``xuncha plan tests/data/tiny --out DIR --time-limit 10``, once for the module."""
    out = tmp_path_factory.mktemp("plan") / "out"
    result = runner.invoke(app, ["plan", str(tiny_path), "--out", str(out), "--time-limit", "10"])
    assert result.exit_code == 0, result.output
    assert "独立检查通过" in result.output
    return out


def regular_rows(out: Path) -> pd.DataFrame:
    frame = read_plan(out).assignments
    return frame[frame["kind"] == "regular"]


def test_tiny_plans_to_optimal_and_passes_the_checker(tiny, tmp_path):
    solution = draft_plan(tiny, settings=SolveSettings(time_limit=10))
    assert solution.status == "OPTIMAL" and solution.stopped_by == "proof"
    assert solution.objective == solution.best_bound and solution.gap == 0.0
    assert solution.objective == sum(solution.weights[r] * v for r, v in solution.penalties.items())
    write_plan(tmp_path / "out", solution, tiny, {})
    assert check_plan(tiny, read_plan(tmp_path / "out")) == []


def test_assignments_csv_is_utf8_with_bom_and_has_the_columns_in_order(planned):
    raw = (planned / ASSIGNMENTS_FILE).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader([raw.decode("utf-8-sig").splitlines()[0]]))
    assert header[:16] == FIRST_COLUMNS
    frame = read_plan(planned).assignments
    assert set(frame["level"]) == {"city"} and set(frame["county"]) == {""}
    assert set(frame["leader"]) <= {"permanent", "drafted"}
    assert sorted(set(frame["round"])) == list(range(1, frame["round"].max() + 1))
    special = frame[frame["kind"] == "special"]
    assert set(special["target"]) == {""} and set(special["target_name"]) == {"作风建设专项巡察"}
    # T2's leader post is vacant: it always goes out with a drafted leader.
    assert set(frame.loc[frame["team"] == "T2", "leader"]) == {"drafted"}


def test_plan_json_records_status_quality_reproducibility_and_penalties(planned, tiny):
    meta = json.loads((planned / PLAN_FILE).read_text(encoding="utf-8"))
    assert meta["status"] == "OPTIMAL"
    assert meta["objective"] == meta["best_bound"] and meta["gap"] == 0.0
    assert 0 < meta["solve_seconds"] <= 10
    assert (meta["seed"], meta["workers"]) == (0, 8)
    assert meta["scenario_sha256"] == tiny.sha256 and len(tiny.sha256) == 64
    assert meta["xuncha_version"] == __version__
    assert meta["ortools_version"] == metadata.version("ortools")
    assert all(isinstance(v, int) and v >= 0 for v in meta["penalties"].values())  # tiny weighs every rule
    assert meta["objective"] == sum(meta["weights"][r] * v for r, v in meta["penalties"].items())


def test_plan_json_names_every_soft_rule(planned, tiny_path, tmp_path):
    meta = json.loads((planned / PLAN_FILE).read_text(encoding="utf-8"))
    assert set(meta["penalties"]) == set(SOFT_RULES)
    assert meta["penalties"]["even_year_load"] == 0  # one year: nothing to even out
    # A rule weighted 0 is named too, with no value, and its summary row says it was not weighed.
    scenario = tmp_path / "tiny"
    shutil.copytree(tiny_path, scenario)
    with (scenario / "scenario.yaml").open("a", encoding="utf-8") as handle:
        handle.write("weights: {mixed_rounds: 0}\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(out), "--time-limit", "10", "--no-gantt"])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / PLAN_FILE).read_text(encoding="utf-8"))
    assert set(meta["penalties"]) == set(SOFT_RULES) and meta["penalties"]["mixed_rounds"] is None
    assert f"| {RULE_LABELS['mixed_rounds']} | — | 0 | 未计入 (权重为0) |" in (out / SUMMARY_FILE).read_text(encoding="utf-8")


def test_summary_is_in_chinese_with_rounds_loads_costs_and_coverage(planned, tiny):
    summary = (planned / SUMMARY_FILE).read_text(encoding="utf-8")
    meta = json.loads((planned / PLAN_FILE).read_text(encoding="utf-8"))
    assert summary.startswith("# 中共测试市委巡察工作规划方案摘要\n")
    assert "- 求解状态: 已证明最优" in summary
    for heading in ("## 各年度轮次", "## 各轮安排", "## 各巡察组任务", "## 软性规则代价", "## 覆盖情况"):
        assert heading in summary
    rounds = read_plan(planned).assignments["round"].nunique()
    assert f"| 第{rounds}轮 |" in summary and f"| 第{rounds + 1}轮 |" not in summary
    for team in ("市委第一巡察组", "市委第二巡察组"):
        assert f"| {team} |" in summary
    for rule, value in meta["penalties"].items():
        assert f"| {RULE_LABELS[rule]} | {value} | {meta['weights'][rule]} |" in summary
    for category, n in TINY_CATEGORIES.items():
        assert f"| {CATEGORY_LABELS[category]} | {n} | {n} |" in summary


def test_every_city_target_is_covered_exactly_once(planned, tiny):
    rows = regular_rows(planned)
    assert Counter(rows["target"]) == {t.id: 1 for t in tiny.targets_of(CITY)}
    assert Counter(rows["category"]) == TINY_CATEGORIES
    # The county's own units (A2 and its village) are not the city's to inspect; A1's village rides with A1.
    frame = read_plan(planned).assignments
    assert not {"A2", "A2-V1"} & set(frame["target"])
    town, village = (frame[frame["target"] == t].iloc[0] for t in ("A1", "A1-V1"))
    assert (village["round"], village["team"], village["onsite_start"]) == (town["round"], town["team"], town["onsite_start"])


def test_xuncha_check_passes_on_the_plan(planned, tiny_path):
    result = runner.invoke(app, ["check", str(tiny_path), str(planned)])
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output and "9个巡察对象" in result.output


def test_xuncha_check_fails_when_a_target_is_moved_into_a_second_round(planned, tiny_path, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(planned, broken)
    frame = pd.read_csv(broken / ASSIGNMENTS_FILE, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    regular = frame[frame["kind"] == "regular"]
    moved = regular.iloc[0]
    other = regular[regular["round"] != moved["round"]].iloc[0]
    # The target also appears in another regular round, with that round's team and dates.
    extra = other.copy()
    for column in ("target", "target_name", "category", "target_county", "sector"):
        extra[column] = moved[column]
    frame = pd.concat([frame, extra.to_frame().T], ignore_index=True)
    (broken / ASSIGNMENTS_FILE).write_bytes(frame.to_csv(index=False).encode("utf-8-sig"))
    result = runner.invoke(app, ["check", str(tiny_path), str(broken)])
    assert result.exit_code == 1, result.output
    first, second = sorted((int(moved["round"]), int(other["round"])))
    assert f"({moved['target']}) 被安排了2次 (第{first}轮、第{second}轮)" in result.output
    # The untouched copy still passes.
    assert runner.invoke(app, ["check", str(tiny_path), str(planned)]).exit_code == 0


def test_plan_leaves_the_output_alone_when_the_scenario_is_bad(tiny_path, tmp_path):
    scenario = tmp_path / "tiny"
    shutil.copytree(tiny_path, scenario)
    targets = scenario / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8").replace(",people_org,", ",people_orgs,"), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ASSIGNMENTS_FILE).write_text("an earlier plan", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = runner.invoke(app, ["plan", str(scenario), "--out", str(out), "--time-limit", "10"])
    assert result.exit_code == 2
    assert "targets.csv, 第3行, 字段 category: 未知类别 'people_orgs'" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    fresh = tmp_path / "fresh"
    assert runner.invoke(app, ["plan", str(scenario), "--out", str(fresh)]).exit_code == 2
    assert not fresh.exists()


def greedy_friendly() -> Scenario:
    """Shangluo with the quiet rule soft: the greedy start does not guard it, so a hard quiet
    rule leaves its hint incomplete and the search has to mend it."""
    return apply_overrides(load_scenario(), ["linkage.quiet_hard=false"])


def test_shangluo_greedy_hint_is_a_complete_feasible_plan():
    scenario = greedy_friendly()
    m = build_model(scenario)
    assert add_greedy_hint(m) is True
    hint = m.cp.proto.solution_hint
    assert sorted(hint.vars) == list(range(len(m.cp.proto.variables)))
    # Fix every variable to its hint: CP-SAT accepts it, and the plain plan passes the checker.
    solver = solver_for(SolveSettings(time_limit=10))
    solver.parameters.fix_variables_to_their_hinted_value = True
    status = solver.solve(m.cp)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    solution = to_solution(m, solver, status_of(solver, status), 0.0, StopReason.PROOF, SolveSettings())
    covered = Counter(t for r in solution.rounds if r.kind == Kind.REGULAR for tr in r.teams for t in tr.targets)
    # 94 city units, 7 counties, 11 elevated towns and the 149 villages of those towns.
    assert covered == {t.id: 1 for t in scenario.targets_of(CITY)} and len(covered) == 112 + 149
    frame = solution_frame(solution, scenario)
    assert check_plan(scenario, PlanDir(Path("."), frame, {}), [CITY]) == []


def test_a_search_cut_short_before_its_first_report_keeps_the_whole_greedy_plan():
    """Presolve alone can outlast a short time limit: the greedy plan, whole and covering every
    unit, is shown at once and returned, not "no plan found" (a work budget of 0.1 deterministic
    seconds ends the search before it reports anything)."""
    scenario = greedy_friendly()
    seen = []
    solution = draft_plan(scenario, CITY, SolveSettings(time_limit=0.1, deterministic=True), seen.append)
    assert len(seen) == 1 and seen[0].elapsed < 1.0
    assert solution.has_plan and not solution.uncovered and solution.objective == seen[0].objective
    assert solution.status == SolveStatus.FEASIBLE and solution.stopped_by == StopReason.TIME_LIMIT
    frame = solution_frame(solution, scenario)
    assert check_plan(scenario, PlanDir(Path("."), frame, {}), [CITY]) == []
