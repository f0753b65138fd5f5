"""Fixed decisions (锁定事项): read from fixed.csv in Chinese, held in the plan and in ``check``,
and named by ``explain`` when they contradict each other (each kind binding on a tiny instance:
tests/rules/test_fixed.py)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from typer.testing import CliRunner

from cli import app
from planner.check import check_plan
from planner.explain import describe, explain
from planner.loading import ScenarioError, load_scenario
from planner.model_types import Relax
from planner.plan import read_plan
from planner.solve import SolveSettings
from planner.tables import DecisionKind
from rule_helpers import decided
from scenario_edits import TINY

runner = CliRunner()
HEADER = "锁定类型,单位,另一单位,巡察组,年度,轮次,开始日期,结束日期,说明\n"


def with_fixed(folder, lines: str):
    (folder / "fixed.csv").write_text(HEADER + lines, encoding="utf-8")
    return folder


@pytest.fixture()
def tiny_copy(tmp_path):
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


# --- reading and validating fixed.csv --------------------------------------------------


def test_decisions_read_with_chinese_headers_values_and_names(tiny_copy):
    with_fixed(tiny_copy, "定年度,市城投公司,,,2027,,,,书记专题会议定\n"
                          "定轮次,G1,,,,第3轮,,,\n"
                          "定巡察组,中共甲县委员会,,市委第二巡察组,,,,,\n"
                          "借调,,,T2,,,2027-03-01,2027-04-30,借调省委巡视\n"
                          "同轮,市委办公室,市总工会,,,,,,\n")
    fixed = load_scenario(tiny_copy).fixed
    assert [(d.kind, d.target, d.other, d.team) for d in fixed] == [
        (DecisionKind.YEAR, "E1", "", ""), (DecisionKind.ROUND, "G1", "", ""), (DecisionKind.TEAM, "K1", "", "T2"),
        (DecisionKind.UNAVAILABLE, "", "", "T2"), (DecisionKind.SAME_ROUND, "P1", "P2", "")]
    assert (fixed[0].year, fixed[0].note, fixed[1].round) == ((2027, 2027), "书记专题会议定", 3)
    assert (fixed[3].start, fixed[3].end) == (dt.date(2027, 3, 1), dt.date(2027, 4, 30))


@pytest.mark.parametrize(("line", "field", "fragment"), [
    ("定轮次,G1,,,,,,,", "轮次", "“定轮次”须填写此项"),
    ("定轮次,G1,,,2027,2,,,", "年度", "“定轮次”不填此项"),
    ("巡察组不可用,,,T2,,,2027-05-01,2027-04-01,", "结束日期", "早于开始日期"),
    ("同轮,P1,P1,,,,,,", "另一单位", "另一单位与单位相同"),
    ("打乱,P1,,,,,,,", "锁定类型", "未知的锁定类型 '打乱'"),
    ("定年度,P1,,,2026-2027,,,,", "年度", "2026 年不在规划期内"),
    ("定年度,市规划局,,,2027,,,,", "单位", "未知的巡察对象 '市规划局'"),
    ("定巡察组,P1,,T9,,,,,", "巡察组", "未知的巡察组 'T9'"),
    ("定巡察组,P1,,J1,,,,,", "巡察组", "甲县委第一巡察组 不能巡察 市委办公室"),
    ("定巡察组,A1-V1,,T1,,,,,", "单位", "随所属镇办 甲县城关镇 巡察 (巡镇带村)"),
    ("不晚于,P1,,,,,,2028-03-01,", "结束日期", "不在规划期内"),
    ("同轮,P1,A2,,,,,,", "另一单位", "不由同一党委巡察"),
])
def test_a_bad_decision_is_named_by_file_row_and_field(tiny_copy, line, field, fragment):
    with_fixed(tiny_copy, "同轮,P1,P2,,,,,,\n" + line + "\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tiny_copy)
    assert [(p.file, p.row, p.field) for p in caught.value.problems if fragment in p.message] == [
        ("fixed.csv", 3, field)], caught.value.problems


def test_validate_cli_names_the_row_and_exits_2(tiny_copy):
    with_fixed(tiny_copy, "定巡察组,P1,,T9,,,,,\n")
    result = runner.invoke(app, ["validate", str(tiny_copy)])
    assert result.exit_code == 2
    assert "fixed.csv, 第2行, 字段 巡察组: 未知的巡察组 'T9'" in result.output


# --- the plan keeps them, check reads them, explain names them ---------------------------


def test_plan_keeps_every_decision_and_check_passes(tiny_copy, tmp_path):
    with_fixed(tiny_copy, "定轮次,市教育局,,,,第3轮,,,\n定巡察组,中共甲县委员会,,市委第二巡察组,,,,,\n"
                          "巡察组不可用,,,T2,,,2027-03-01,2027-04-30,借调省委巡视\n同轮,市委办公室,市总工会,,,,,,\n"
                          "不早于,市水利局,,,,,2027-05-01,,\n")
    out = tmp_path / "plan"
    result = runner.invoke(app, ["plan", str(tiny_copy), "--out", str(out), "--time-limit", "10", "--no-gantt"])
    assert result.exit_code == 0, result.output
    frame = read_plan(out).assignments
    row = {r.target: r for r in frame.itertuples() if r.kind == "regular"}
    assert row["G1"].round == 3 and row["K1"].team == "T2" and row["P1"].round == row["P2"].round
    assert row["G2"].onsite_start >= dt.date(2027, 5, 1)
    away = frame[(frame["team"] == "T2") & (frame["busy_end"] >= dt.date(2027, 3, 1))
                 & (frame["busy_start"] <= dt.date(2027, 4, 30))]
    assert away.empty
    assert runner.invoke(app, ["check", str(tiny_copy), str(out)]).exit_code == 0
    # The same plan against a decision it does not keep: check names the decision, row and objects.
    with_fixed(tiny_copy, "定巡察组,中共甲县委员会,,市委第一巡察组,,,,,书记专题会议定\n")
    broken = runner.invoke(app, ["check", str(tiny_copy), str(out)])
    assert broken.exit_code == 1
    assert "锁定事项: 中共甲县委员会 由市委第一巡察组巡察 (书记专题会议定), 方案中在第" in broken.output
    assert [v.targets for v in check_plan(load_scenario(tiny_copy), read_plan(out)) if v.rule == "fixed"] == [("K1",)]


def test_contradicting_decisions_are_explained_by_name(tiny):
    """E1 fixed to T2 and not before September, while T2 is away from July to the end of the term."""
    s = decided(tiny, {"kind": "team", "target": "E1", "team": "T2", "note": "书记专题会议定"},
                {"kind": "not_before", "target": "E1", "start": dt.date(2027, 9, 1)},
                {"kind": "unavailable", "team": "T2", "start": dt.date(2027, 7, 1), "end": dt.date(2027, 12, 31),
                 "note": "借调省委巡视"})
    found = explain(s, settings=SolveSettings(time_limit=20))
    assert found.status == "INFEASIBLE"
    assert {f.key for f in found.conflict if f.rule == Relax.FIXED} == {"0", "1", "2"}
    text = "\n".join(describe(found, s))
    for words in ("锁定事项: 市城投公司 由市委第二巡察组巡察 (书记专题会议定)", "锁定事项: 市城投公司 不早于2027-09-01进驻",
                  "锁定事项: 市委第二巡察组 2027-07-01 至 2027-12-31 不可用 (借调省委巡视)", "取消锁定事项: "):
        assert words in text, text


def test_plan_cli_explains_contradicting_decisions(tiny_copy, tmp_path):
    with_fixed(tiny_copy, "定巡察组,市城投公司,,T2,,,,,\n不早于,市城投公司,,,,,2027-09-01,,\n"
                          "巡察组不可用,,,T2,,,2027-07-01,2027-12-31,借调省委巡视\n")
    result = runner.invoke(app, ["plan", str(tiny_copy), "--out", str(tmp_path / "p"), "--time-limit", "10"])
    assert result.exit_code == 1
    assert "锁定事项: 市委第二巡察组 2027-07-01 至 2027-12-31 不可用 (借调省委巡视)" in result.output
    assert "锁定事项: 市城投公司 由市委第二巡察组巡察" in result.output
    assert not (tmp_path / "p").exists()
