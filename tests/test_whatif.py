"""What-if runs: validated overrides, plan figures, and the comparison on the tiny scenario."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from planner.loading import ScenarioError, load_scenario
from planner.overrides import apply_overrides
from planner.scenario import CITY
from planner.solve import SolveSettings
from planner.whatif import plan_figures, run_whatif
from scenario_edits import TINY

runner = CliRunner()
FAST = SolveSettings(time_limit=10)


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_overrides_reach_settings_and_table_cells(tiny):
    variant = apply_overrides(tiny, ["staff.city.drafted_pool=8", "teams.T2.leader_filled=1", "targets.G1.risk=5",
                                     "weights.risk_first=0"])
    assert variant.staff.city.drafted_pool == 8
    assert next(t for t in variant.teams if t.id == "T2").has_leader
    assert next(t for t in variant.targets if t.id == "G1").risk == 5
    assert variant.weights.risk_first == 0
    assert tiny.staff.city.drafted_pool == 6  # the original is untouched


@pytest.mark.parametrize(("assignment", "key", "fragment"), [
    ("staff.city.drafted_pool=-1", "staff.city.drafted_pool", "不能小于 0"),
    ("staff.city.drafted=3", "staff.city.drafted", "未知的设置项"),
    ("targets.X9.risk=1", "targets.X9.risk", "没有编号为 'X9' 的巡察对象"),
    ("teams.T9.leader_filled=2", "teams.T9.leader_filled", "超过 leader_posts"),
    ("teams.T1.deputy_filled=2", "teams.T1.deputy_filled", "超过 deputy_posts"),
    ("targets.G1.risk=九", "targets.G1.risk", "应为整数 (填写为 '九')"),
    ("targets.G2.avoid_teams=[T9]", "targets.G2.avoid_teams", "未知的巡察组 'T9'"),
    ("drafted_pool", "drafted_pool", "应写作 键=值"),
])
def test_bad_override_names_the_key(tiny, assignment, key, fragment):
    with pytest.raises(ScenarioError) as caught:
        apply_overrides(tiny, [assignment])
    [problem] = caught.value.problems
    assert problem.field == key and fragment in problem.message


def test_an_unknown_team_id_sets_up_a_new_team_with_vacant_posts(tiny):
    variant = apply_overrides(tiny, ["teams.T3.leader_filled=1", "teams.T3.deputy_filled=1"])
    new = next(t for t in variant.teams if t.id == "T3")
    assert (new.level.value, new.posts, new.filled, new.has_leader) == ("city", 3, 2, True)
    assert "T3" in new.name
    assert [t.id for t in variant.teams_of(CITY)] == ["T1", "T2", "T3"]
    assert len(tiny.teams_of(CITY)) == 2  # the original is untouched


def test_cli_bad_override_exits_2_and_writes_nothing(tmp_path):
    result = runner.invoke(app, ["whatif", str(TINY), "--set", "staff.city.drafted_pol=3", "--out", str(tmp_path / "w")])
    assert result.exit_code == 2
    assert "staff.city.drafted_pol" in result.output
    assert not (tmp_path / "w").exists()


def test_drafted_cadre_weeks_count_each_team_round_once_with_a_drafted_leader(tiny):
    monday, friday = dt.date(2027, 3, 1), dt.date(2027, 3, 19)  # a 3-week busy span
    row = {"round": 1, "kind": "regular", "county": "", "team": "T2", "onsite_start": monday, "onsite_end": friday,
           "busy_start": monday, "busy_end": friday, "drafted": 2, "leader": "drafted"}
    frame = pd.DataFrame([row | {"target": "P1"}, row | {"target": "G2"}])
    figures = plan_figures(frame, {"status": "FEASIBLE"}, tiny)
    assert figures.drafted_weeks == (2 + 1) * 3 and figures.drafted_leader_weeks == 3
    assert figures.finish == friday
    assert figures.rounds_by_year[2027] == 1 and figures.units_by_year[2027] == 2


def test_too_few_drafted_cadres_leave_two_units_uncovered(tiny, tmp_path):
    """Pool 3: one team per regular round (T1 needs 2, T2 needs 3), 3 rounds x effort 3 = 9 of 13: two units slip,
    and the village riding with the town that slips goes with it."""
    result = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path, FAST)
    assert result.base.status == "OPTIMAL" and not result.base.uncovered
    assert result.variant.status == "OPTIMAL" and set(result.variant.uncovered) == {"A1", "A1-V1", "K1"}
    assert {m.target for m in result.moved if m.after is None and m.kind == "regular"} == set(result.variant.uncovered)
    text = result.compare_path.read_text(encoding="utf-8")
    assert "`staff.city.drafted_pool=3`" in text and "(未覆盖 3 个)" in text


def test_no_drafted_cadres_leave_the_variant_without_a_plan(tiny, tmp_path):
    """Pool 0: every team needs drafted cadres, so no round can go out at all."""
    result = run_whatif(tiny, ["staff.city.drafted_pool=0"], tmp_path, FAST)
    assert result.variant.status == "INFEASIBLE" and result.variant_dir is None
    assert len(result.moved) == len(tiny.targets_of(CITY)) + 1  # every unit, and G1's follow-up
    assert "无可行方案" in result.compare_path.read_text(encoding="utf-8")


def test_a_baseline_dir_is_read_not_planned_again(tiny, tmp_path):
    first = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path / "a", FAST)
    again = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path / "b", FAST, baseline=tmp_path / "a" / "baseline")
    assert again.base == first.base
    assert not (tmp_path / "b" / "baseline").exists()


def test_a_rule_weighted_zero_is_left_out_of_the_comparison(tiny, tmp_path):
    result = run_whatif(tiny, ["weights.risk_first=0"], tmp_path, FAST)
    assert "risk_first" in result.base.penalties and "risk_first" not in result.variant.penalties
    [row] = [r for r in result.tables[0].rows if r[0].startswith("软性规则: 风险高的先巡")]
    assert row[2] == "—"
