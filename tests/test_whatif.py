"""What-if runs: validated overrides, plan figures, and the comparison on the tiny scenario."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from planner.loading import ScenarioError, load_scenario
from planner.overrides import apply_overrides
from planner.solve import SolveSettings
from planner.status import SolveStatus
from planner.vocabulary import CITY
from planner.whatif import changes, headline, plan_figures, run_whatif
from plan_fixture import write_plan as fixture_plan
from scenario_edits import SHANGLUO, TINY

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


def headline_of(compare: str) -> str:
    """The first sentence of the comparison in compare.md, after the proven figures."""
    return compare.split("## 两个方案的对比\n\n", 1)[1].splitlines()[0]


def test_too_few_drafted_cadres_leave_two_units_uncovered(tiny, tmp_path):
    """Pool 3: one team per regular round (T1 needs 2, T2 needs 3), 3 rounds x effort 3 = 9 of 13: two units slip,
    and the village riding with the town that slips goes with it."""
    result = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path, FAST)
    assert result.base.status is SolveStatus.OPTIMAL and not result.base.uncovered
    assert result.variant.status is SolveStatus.OPTIMAL and set(result.variant.uncovered) == {"A1", "A1-V1", "K1"}
    # The town's village goes with the town: named with it, not as a unit of its own.
    assert {m.target for m in result.moved if m.after is None and m.kind == "regular"} == {"A1", "K1"}
    text = result.compare_path.read_text(encoding="utf-8")
    # compare.md opens with the proven figures, then the comparison's sentences
    assert text.splitlines()[2].startswith("## 已证明的数字")
    assert text.splitlines()[4] == "- " + result.facts[0]
    assert result.facts[0].startswith("全覆盖: 基准方案 可以全覆盖 (已证明")
    assert "推演方案 不能全覆盖 (已证明: 任何方案都至少有2个单位排不下)" in result.facts[0]
    first = headline_of(text)
    assert first == "- 推演方案有2个单位本届排不下、不再覆盖: 甲县城关镇 (含1个村)、中共甲县委员会。"
    assert result.headline[0] == first[2:]
    assert "`staff.city.drafted_pool=3`" in text and "(未覆盖 3 个)" in text
    assert "软性规则代价合计 (不计未覆盖单位)" in text
    assert "| 综合代价 (未覆盖单位与软性规则加权合计) |" in text and "| 综合代价下界 (已证明" in text


def test_no_drafted_cadres_leave_the_variant_without_a_plan(tiny, tmp_path):
    """Pool 0: every team needs drafted cadres, so no round can go out at all."""
    result = run_whatif(tiny, ["staff.city.drafted_pool=0"], tmp_path, FAST)
    assert result.variant.status is SolveStatus.INFEASIBLE and result.variant_dir is None
    # Every unit (A1's village goes with A1), and G1's follow-up.
    assert len(result.moved) == len(tiny.targets_of(CITY)) - 1 + 1
    assert "无可行方案" in result.compare_path.read_text(encoding="utf-8")


def test_a_baseline_dir_is_read_not_planned_again(tiny, tmp_path):
    first = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path / "a", FAST)
    again = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path / "b", FAST, baseline=tmp_path / "a" / "baseline")
    assert again.base == first.base
    assert again.base.status is SolveStatus.OPTIMAL  # read back from plan.json
    assert not (tmp_path / "b" / "baseline").exists()


def test_a_rule_weighted_zero_is_left_out_of_the_comparison(tiny, tmp_path):
    result = run_whatif(tiny, ["weights.risk_first=0"], tmp_path, FAST)
    assert "risk_first" in result.base.penalties and "risk_first" not in result.variant.penalties
    [row] = [r for r in result.tables[0].rows if r[0].startswith("软性规则: 风险高的先巡")]
    assert row[2] == "—"


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    """A plan table from (round, target, team, first on-site day) rows of regular rounds, 4 weeks on site."""
    return pd.DataFrame([{"round": n, "kind": "regular", "county": "", "team": team, "target": target,
                          "onsite_start": day, "onsite_end": day + dt.timedelta(days=25),
                          "busy_start": day - dt.timedelta(days=7), "busy_end": day + dt.timedelta(days=39),
                          "drafted": 2, "leader": "permanent"} for n, target, team, day in rows])


def test_round_numbers_alone_are_no_change_dates_and_teams_are(tiny):
    """Round 1 of the base is gone in the variant: every later round is numbered one lower, yet only
    the units whose dates or teams differ are changes; G2 slips from 2027 to 2028."""
    march, may, july, jan = dt.date(2027, 3, 1), dt.date(2027, 5, 3), dt.date(2027, 7, 5), dt.date(2028, 1, 10)
    tiny = tiny.replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)})
    base = plan_figures(frame_of([(1, "P1", "T1", march), (2, "G1", "T1", may), (3, "E1", "T2", july),
                                  (3, "G2", "T1", july)]), {"status": "OPTIMAL"}, tiny)
    variant = plan_figures(frame_of([(1, "G1", "T1", may), (2, "E1", "T2", july), (2, "P1", "T1", july),
                                     (3, "G2", "T1", jan)]), {"status": "OPTIMAL"}, tiny)
    found = changes(base, variant, tiny)
    assert [(c.target, c.what()) for c in found] == [("P1", "推迟18周"), ("G2", "推迟27周")]
    lines = headline(base, variant, found, tiny)
    assert "1个单位推迟到以后年度: 市水利局 (2027年 → 2028年)。" in lines
    assert "另有1个单位在同一年内调整了时间或巡察组 (见下表)。" in lines
    assert "每年轮次 (基准方案 → 推演方案): 2027年 3 → 2轮、2028年 0 → 1轮; 其余年份不变, 共3 → 3轮。" in lines
    assert "每轮抽调干部 (含抽调组长): 基准方案每轮最多4人、平均2.7人, 推演方案每轮最多4人、平均2.7人。" in lines


@pytest.mark.slow  # the full Shangluo scenario, 90 s
def test_shangluo_pool_of_six_names_the_uncovered_units_in_the_first_lines(tmp_path):
    """xuncha whatif --set staff.city.drafted_pool=6: with six drafted cadres a round the term cannot
    cover every city unit; the first line of compare.md and of the console names each one left out
    (a town with its villages), as the variant's plan.json lists them."""
    scenario = load_scenario(SHANGLUO)
    base = fixture_plan(scenario, tmp_path / "base")  # a plausible plan drafted without a solve
    out = tmp_path / "w"
    result = runner.invoke(app, ["whatif", "--set", "staff.city.drafted_pool=6", "--baseline", str(base),
                                 "--out", str(out), "--time-limit", "90"])
    assert result.exit_code == 0, result.output
    names = {t.id: t.name for t in scenario.targets}
    riders = {t.id for t in scenario.riding_villages()}
    left = [t for t in json.loads((out / "variant" / "plan.json").read_text(encoding="utf-8"))["uncovered"]
            if t not in riders]
    assert left
    text = (out / "compare.md").read_text(encoding="utf-8")
    first = headline_of(text)
    assert first.startswith(f"- 推演方案有{len(left)}个单位本届排不下、不再覆盖: ")
    assert all(names[t] in first for t in left)
    console = [line for line in result.output.splitlines() if line and not line.startswith(("[", "正在"))]
    # the console's first lines: the proven figures, as compare.md opens; then the comparison
    facts = [line[2:] for line in text.split("## 两个方案的对比")[0].splitlines() if line.startswith("- ")]
    assert console[:len(facts)] == facts and facts[0].startswith("全覆盖: ")
    assert "推演方案 不能全覆盖 (已证明" in facts[0]
    assert console[len(facts)] == first[2:]
