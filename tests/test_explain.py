"""Infeasible never a bare word: conflicting rule groups and the smallest relaxation, on tiny variants.

Tiny by hand: 8 city targets of effort 13; a team covers at most effort 3 a
round; T1 needs 2 drafted cadres for a regular round, T2 (no leader) 3.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli import app
from planner.explain import Explanation, GroupFinding, describe, explain, relaxed_settings
from planner.loading import load_scenario
from planner.model import Relax
from planner.overrides import apply_overrides
from planner.solve import SolveSettings, draft_plan
from planner.status import SolveStatus
from planner.vocabulary import Committee
from scenario_edits import SHANGLUO, TINY, WHOLE

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_pool_of_three_sends_one_team_a_round_and_needs_two_more_cadres(tiny):
    """Pool 3: one team a round, 3 rounds x 3 < 13 (the count: 3 team-rounds, 5 needed). Pool 5 sends both
    teams; a 4th round (12) is not enough."""
    short = apply_overrides(tiny, ["staff.city.drafted_pool=3"])
    found = explain(short, settings=SolveSettings(time_limit=20))
    assert found.status == "INFEASIBLE"
    assert any(f.rule == Relax.STAFFING and f.key == "2027" for f in found.conflict)
    assert found.relaxation_status == "OPTIMAL"
    assert [(f.key, f.slack, f.amount) for f in found.relaxations] == [("2027", "drafted", 2)]
    assert (found.count.available, found.count.needed) == (3, 5)
    text = "\n".join(describe(found, short))
    assert "每轮至多派出1个组, 本届至多3轮常规巡察 (每年至多3轮, 日历排不下的除外), 共3组次; 覆盖全部单位至少需要5组次" in text
    assert "2027年: 2个组需要10人, 在编4人 + 可抽调3人" in text
    assert "2027年每轮多抽调2名干部 (可抽调 3 → 5人)" in text
    # One pool for the whole term: the line to run, and running it gives a plan.
    assert f"  xuncha plan {TINY} --set staff.city.drafted_pool=5" in text.splitlines()
    wider = apply_overrides(short, ["staff.city.drafted_pool=5"])
    assert explain(wider, settings=SolveSettings(time_limit=20)).status.has_plan


def test_cadres_lent_to_the_counties_are_named_in_the_count_and_the_relaxation(tiny):
    """Pool 6 sends both teams (5 drafted); lending one cadre to each of the two counties in a
    regular round (上派) leaves 4, one team a round, too few; one more cadre sends both again."""
    lending = apply_overrides(tiny, ["linkage.exchange_up=1"])
    assert explain(tiny, settings=SolveSettings(time_limit=20)).status.has_plan
    found = explain(lending, settings=SolveSettings(time_limit=20))
    assert found.status == "INFEASIBLE"
    assert [(f.key, f.slack, f.amount) for f in found.relaxations] == [("2027", "drafted", 1)]
    text = "\n".join(describe(found, lending))
    assert "抽调干部库6人 (常规巡察每轮其中2人上派下挂)、组长库1人, 每轮至多派出1个组" in text
    assert "2027年每轮多抽调1名干部 (可抽调 6 → 7人)" in text


def test_two_rounds_a_year_need_one_more_round(tiny):
    """At most 2 rounds: 2 rounds x 2 teams x 3 = 12 < 13; a third round (cost 4) beats leaving a unit out (8)."""
    few = apply_overrides(tiny, ["rounds.regular.rounds_per_year_max=2"])
    found = explain(few, settings=SolveSettings(time_limit=20))
    assert found.status == "INFEASIBLE"
    assert [(f.rule, f.key) for f in found.conflict if f.rule != Relax.COVERAGE] == [(Relax.ROUNDS, "2027")]
    assert [(f.key, f.slack, f.amount) for f in found.relaxations] == [("2027", "rounds", 1)]
    assert "  - 2027: 1 more regular round (2 → 3)" in describe(found, few, "en")
    assert f"  xuncha plan {TINY} --set rounds.regular.rounds_per_year_max=3" in describe(found, few, "en")


def test_a_county_relaxation_names_the_county_block_and_the_largest_year(tiny):
    """Per-year needs of 2 and 3 more cadres become one pool value: the larger, in the county's own block."""
    county = Committee("乙县")
    needs = (GroupFinding(Relax.STAFFING, "2027", "drafted", 2), GroupFinding(Relax.STAFFING, "2028", "drafted", 3))
    whole = load_scenario(WHOLE)
    pool = whole.policy(county).staff.drafted_pool
    assert relaxed_settings(needs, whole, county) == {"counties_policy.乙县.staff.drafted_pool": pool + 3}
    lines = describe(Explanation(SolveStatus.INFEASIBLE, (), needs, SolveStatus.OPTIMAL), whole, committee=county)
    assert f"  xuncha plan {WHOLE} --level county --county 乙县 --set counties_policy.乙县.staff.drafted_pool={pool + 3}" in lines


def test_a_feasible_scenario_is_said_to_be_so(tiny):
    found = explain(tiny, settings=SolveSettings(time_limit=20))
    assert found.status in ("OPTIMAL", "FEASIBLE") and not found.conflict
    assert describe(found, tiny) == ["全部硬性规则可以同时成立"]


def test_allow_uncovered_leaves_out_as_few_units_as_possible(tiny):
    """Pool 3: 3 team-rounds of effort 3 hold 9 of 13; leaving out effort 4 takes at least 2 units."""
    short = apply_overrides(tiny, ["staff.city.drafted_pool=3"])
    solution = draft_plan(short, settings=SolveSettings(time_limit=20), allow_uncovered=True)
    assert solution.status == "OPTIMAL"
    left_out = solution.uncovered
    villages = {t.id for t in tiny.targets if t.category == "village"}
    assert len(set(left_out) - villages) == 2  # two units, and the village of a town among them goes with it
    effort = {t.id: t.effort for t in tiny.targets if t.id not in villages}
    planned = {i for r in solution.rounds if r.kind == "regular" for tr in r.teams for i in tr.targets} - villages
    assert planned.isdisjoint(left_out) and sum(effort[i] for i in planned) == 13 - sum(
        effort[i] for i in left_out if i not in villages)


def test_plan_cli_explains_instead_of_a_bare_infeasible(tmp_path):
    result = runner.invoke(app, ["plan", str(TINY), "--set", "staff.city.drafted_pool=3", "--time-limit", "10",
                                 "--out", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "人员配备 (组长与最低人数), 2027年" in result.output and "多抽调2名干部" in result.output
    assert not (tmp_path / "p").exists()


def test_plan_cli_lists_uncovered_units_and_passes_the_checker(tmp_path):
    result = runner.invoke(app, ["plan", str(TINY), "--set", "staff.city.drafted_pool=3", "--allow-uncovered",
                                 "--time-limit", "10", "--out", str(tmp_path / "p"), "--no-gantt"])
    assert result.exit_code == 0, result.output
    # Two units, and the village riding with the town among them.
    assert "未覆盖 3 个单位" in result.output and "独立检查通过: 除未覆盖的单位外, 全部硬性规则成立" in result.output
    meta = json.loads((tmp_path / "p" / "plan.json").read_text(encoding="utf-8"))
    assert meta["overrides"] == ["staff.city.drafted_pool=3"] and meta["allow_uncovered"] is True
    assert len(meta["penalty_parts"]["uncovered"]) == 2


def test_explain_cli_in_english_and_a_bad_language(tmp_path):
    result = runner.invoke(app, ["explain", str(TINY), "--set", "staff.city.drafted_pool=3", "--lang", "en",
                                 "--time-limit", "10"])
    assert result.exit_code == 0 and "Staffing (leader and minimum size), 2027" in result.output
    assert runner.invoke(app, ["explain", str(TINY), "--lang", "fr"]).exit_code == 2


@pytest.mark.slow  # the full Shangluo scenario, explain for up to 40 s
def test_shangluo_without_drafted_cadres_and_two_more_vacant_leaders_names_staffing_and_the_year():
    """Every city team has 3 or fewer people on staff and needs 5: with no drafted cadres none goes out."""
    variant = apply_overrides(load_scenario(SHANGLUO), ["staff.city.drafted_pool=0", "teams.C1.leader_filled=0",
                                                        "teams.C2.leader_filled=0"])
    found = explain(variant, settings=SolveSettings(time_limit=40))
    assert found.status == "INFEASIBLE"
    years = {f.key for f in found.conflict if f.rule == Relax.STAFFING}
    assert years and years <= {str(y) for y in variant.horizon.years}
    text = "\n".join(describe(found, variant))
    assert f"人员配备 (组长与最低人数), {min(years)}年: 5个组需要25人, 在编10人 + 可抽调0人; 缺组长3个组, 组长库2人" in text


def test_a_calendar_conflict_is_outside_every_switchable_group(tiny):
    """Closed from 18 January to the end of the year: no round fits, whatever the staff, rounds or coverage."""
    closed = apply_overrides(tiny, ["calendar.extra=[{name: 封闭, start: 2027-01-18, end: 2027-12-31}]"])
    found = explain(closed, settings=SolveSettings(time_limit=20))
    assert found.status == "INFEASIBLE" and not found.conflict and found.relaxation_status == "INFEASIBLE"
    assert describe(found, closed)[1:] == ["  - 冲突不在可放宽的规则组内 (日历、禁止进驻时段、规划期、轮次先后等)",
                                          "增加抽调干部、组长或轮次, 或将单位移出本届, 都不能排出方案"]
