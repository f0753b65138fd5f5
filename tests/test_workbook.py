"""assignments.xlsx: written by plan, edited by the office (here by a script), checked, and the starting
point of plan --baseline. The plan is tiny's hand-made plan of tests/test_replan.py."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from cli import app
from planner.check import check_plan
from planner.export import write_plan
from planner.loading import load_scenario
from planner.plan import ASSIGNMENT_COLUMNS, PLAN_FILE, read_plan
from planner.score import score_plan
from planner.workbook import ROUNDS_SHEET, ROWS_SHEET, WORKBOOK_FILE, read_plan_table, read_workbook
from scenario_edits import TINY
from test_replan import hand_plan

runner = CliRunner()


@pytest.fixture()
def planned(tmp_path):
    scenario = load_scenario(TINY)
    folder = tmp_path / "plan"
    write_plan(folder, hand_plan(scenario), scenario, {})
    return scenario, folder


def edit(folder, change) -> None:
    book = openpyxl.load_workbook(folder / WORKBOOK_FILE)
    change(book[ROWS_SHEET], book[ROUNDS_SHEET])
    book.save(folder / WORKBOOK_FILE)


def row_of(sheet, **cells) -> int:
    """The row whose cells under the given headers hold the given values."""
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if all(row[headers.index(h)].value == v for h, v in cells.items()):
            return row[0].row
    raise AssertionError(cells)


def set_cell(sheet, row: int, header: str, value) -> None:
    sheet.cell(row, [c.value for c in sheet[1]].index(header) + 1, value)


def move_and_shift(rows, rounds) -> None:
    """Move 市总工会 (P2) from round 2 to round 3 (T1, with E1); the 回头看 (round 5) one week later."""
    set_cell(rows, row_of(rows, 单位编号="P2"), "轮次", 3)
    set_cell(rounds, row_of(rounds, 轮次=5), "进驻开始", dt.datetime(2027, 9, 13))


def team_away_from_avoided_unit(rows, _rounds) -> None:
    """G2 avoids T1: moving it from T2 to T1 in round 2 (where P2 left room) breaks that rule alone."""
    set_cell(rows, row_of(rows, 单位编号="G2"), "巡察组编号", "T1")
    set_cell(rows, row_of(rows, 单位编号="G2"), "巡察组", "市委第一巡察组")


def test_plan_writes_a_workbook_with_real_dates_filters_and_no_merged_cells(planned):
    _, folder = planned
    book = openpyxl.load_workbook(folder / WORKBOOK_FILE)
    assert book.sheetnames == [ROWS_SHEET, ROUNDS_SHEET, "说明"]
    rows, rounds = book[ROWS_SHEET], book[ROUNDS_SHEET]
    assert [c.value for c in rows[1]] == ["党委", "轮次", "类型", "巡察组编号", "巡察组", "单位编号", "单位名称", "类别",
                                          "进驻开始", "备注"]
    assert [c.value for c in rounds[1]][:7] == ["党委", "轮次", "类型", "专项主题", "进驻开始", "进驻周数", "进驻结束"]
    for sheet in (rows, rounds):
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert not sheet.merged_cells.ranges
    starts = [r[4] for r in rounds.iter_rows(min_row=2, values_only=True)]
    assert starts == [dt.datetime(2027, 3, 1), dt.datetime(2027, 5, 3), dt.datetime(2027, 6, 21),
                      dt.datetime(2027, 8, 9), dt.datetime(2027, 9, 6)]
    assert rounds["E2"].is_date and rounds["G2"].value == "=E2+7*F2-3"
    # A village riding with its town is no row of its own: the town's row says so.
    assert row_of(rows, 单位编号="A1") and not any(r[5] == "A1-V1" for r in rows.iter_rows(values_only=True))
    assert rows.cell(row_of(rows, 单位编号="A1"), 10).value == "含随镇巡察的1个村"


def test_an_unedited_workbook_is_the_csv_again(planned):
    scenario, folder = planned
    assert read_plan_table(folder, scenario).source == "assignments.csv"
    read = read_workbook(folder / WORKBOOK_FILE, scenario)
    assert read.notes == ()
    columns = list(ASSIGNMENT_COLUMNS) + ["round_start", "round_end", "team_name", "sector"]
    key = ["round", "team", "target"]
    assert read.frame[columns].sort_values(key).reset_index(drop=True).equals(
        read_plan(folder).assignments[columns].sort_values(key).reset_index(drop=True))


def test_a_unit_moved_and_a_round_shifted_are_checked(planned):
    scenario, folder = planned
    edit(folder, move_and_shift)
    frame = read_plan_table(folder, scenario).plan.assignments
    p2 = frame[frame["target"] == "P2"].iloc[0]
    assert (p2["round"], p2["team"], p2["onsite_start"], p2["onsite_end"]) == (3, "T1", dt.date(2027, 6, 21),
                                                                             dt.date(2027, 7, 16))
    back = frame[frame["kind"] == "follow_up"].iloc[0]
    assert (back["onsite_start"], back["onsite_end"], back["busy_start"], back["busy_end"]) == (
        dt.date(2027, 9, 13), dt.date(2027, 9, 24), dt.date(2027, 9, 6), dt.date(2027, 10, 1))
    result = runner.invoke(app, ["check", str(TINY), str(folder)])
    assert result.exit_code == 0, result.output
    assert "检查的是修改过的 assignments.xlsx" in result.output and "未发现违反硬性规则" in result.output
    # The csv is the plan as drafted: P2 still in round 2 there.
    assert read_plan(folder).assignments.query("target == 'P2'")["round"].item() == 2


def test_a_broken_edit_is_reported_by_rule_and_objects(planned):
    scenario, folder = planned
    edit(folder, lambda rows, rounds: (move_and_shift(rows, rounds), team_away_from_avoided_unit(rows, rounds)))
    violations = check_plan(scenario, read_plan_table(folder, scenario).plan)
    assert [(v.rule, v.rounds, v.teams, v.targets) for v in violations] == [("avoidance", (2,), ("T1",), ("G2",))]
    result = runner.invoke(app, ["check", str(TINY), str(folder)])
    assert result.exit_code == 1
    assert "回避: 市委第一巡察组 (T1) 应回避 市水利局 (G2), 却在第2轮巡察该单位" in result.output


def test_shifting_a_round_past_another_renumbers_the_rounds(planned):
    scenario, folder = planned
    edit(folder, lambda rows, rounds: set_cell(rounds, row_of(rounds, 轮次=3), "进驻开始", dt.datetime(2027, 8, 30)))
    table = read_plan_table(folder, scenario)
    assert "市委原第3轮按进驻开始日期 (2027-08-30) 重新编为第4轮" in table.notes
    assert table.plan.assignments.query("target == 'E1'")["round"].item() == 4


@pytest.mark.parametrize(("change", "words"), [
    (lambda rows, rounds: set_cell(rows, row_of(rows, 单位编号="E1"), "巡察组", "市委第二巡察组"),
     "工作表“安排”, 第9行, 字段 巡察组: “市委第二巡察组”与巡察组编号 T1 (市委第一巡察组) 不一致; 换组请改“巡察组编号”"),
    (lambda rows, rounds: set_cell(rows, row_of(rows, 单位编号="E1"), "单位名称", "市交通局"),
     "工作表“安排”, 第9行, 字段 单位名称: “市交通局”与单位编号 E1 (市城投公司) 不一致"),
    (lambda rows, rounds: set_cell(rows, row_of(rows, 单位编号="E1"), "进驻开始", dt.datetime(2027, 7, 5)),
     "工作表“安排”, 第9行, 字段 进驻开始: “2027-07-05 00:00:00”与应有的“2027-06-21”不一致; 请在工作表“轮次”第4行修改进驻开始"),
    (lambda rows, rounds: set_cell(rows, row_of(rows, 单位编号="E1"), "轮次", 9),
     "工作表“安排”, 第9行, 字段 轮次: 市委第9轮不在工作表“轮次”中"),
    (lambda rows, rounds: set_cell(rows, row_of(rows, 单位编号="E1"), "巡察组编号", "T7"),
     "工作表“安排”, 第9行, 字段 巡察组编号: 未知的巡察组编号 'T7'"),
    (lambda rows, rounds: set_cell(rounds, row_of(rounds, 轮次=3), "进驻开始", "六月"),
     "工作表“轮次”, 第4行, 字段 进驻开始: 应为日期 (填写为 '六月')"),
])
def test_a_display_cell_against_its_key_or_a_bad_cell_is_refused(planned, change, words):
    scenario, folder = planned
    edit(folder, change)
    result = runner.invoke(app, ["check", str(TINY), str(folder)])
    assert result.exit_code == 2
    assert "方案无法读取" in result.output and words in result.output.replace("\n", ""), result.output


def test_plan_from_the_edit_keeps_what_is_legal(planned, tmp_path):
    """The edit moves P2 to round 3 and the 回头看 a week later (legal) and G2 to T1, which it must
    avoid. plan --baseline keeps the first two and moves only G2: back to T2 on the same dates."""
    scenario, folder = planned
    edit(folder, lambda rows, rounds: (move_and_shift(rows, rounds), team_away_from_avoided_unit(rows, rounds)))
    out = tmp_path / "again"
    result = runner.invoke(app, ["plan", str(TINY), "--baseline", str(folder), "--out", str(out), "--time-limit", "10",
                                 "--no-gantt"])
    assert result.exit_code == 0, result.output
    assert "从修改过的" in result.output
    new = read_plan(out).assignments
    placed = {r.target: (r.round, r.team, r.onsite_start) for r in new.itertuples() if r.kind == "regular"}
    assert placed["P2"] == (3, "T1", dt.date(2027, 6, 21)) and placed["G2"] == (2, "T2", dt.date(2027, 5, 3))
    assert new.query("kind == 'follow_up'")["onsite_start"].item() == dt.date(2027, 9, 13)
    text = (out / "changes.md").read_text(encoding="utf-8")
    assert "1 个单位的时间或巡察组有变化" in text
    assert "| 市水利局 | G2 | 常规巡察 | 第2轮 2027-05-03 市委第一巡察组 | 第2轮 2027-05-03 市委第二巡察组 | 换组 | " \
           "原安排不再可行: 回避: 市委第一巡察组 (T1) 应回避 市水利局 (G2)" in text
    assert check_plan(scenario, read_plan(out)) == []


def test_the_edited_workbook_is_scored_as_the_model_scores_that_plan(planned, tmp_path):
    """Move one unit and shift one round (both legal): check prints the edited plan's score. plan --baseline
    keeps such an edit whole, and the model's own penalties for it in plan.json are the scorer's figures,
    so the two computations of the score agree on the edited plan."""
    scenario, folder = planned
    edit(folder, move_and_shift)
    score = score_plan(scenario, read_plan_table(folder, scenario).plan)
    result = runner.invoke(app, ["check", str(TINY), str(folder)])
    assert result.exit_code == 0, result.output
    assert "软性规则得分" in result.output and f"{score.objective:,}" in result.output
    assert "(方案编制后已改动)" in result.output  # the hand plan's recorded objective, 0, is not the edit's
    out = tmp_path / "again"
    redrafted = runner.invoke(app, ["plan", str(TINY), "--baseline", str(folder), "--out", str(out),
                                    "--time-limit", "10", "--no-gantt"])
    assert redrafted.exit_code == 0, redrafted.output
    assert "其余 8 个单位的时间和巡察组全部不变" in (out / "changes.md").read_text(encoding="utf-8")
    meta = json.loads((out / PLAN_FILE).read_text(encoding="utf-8"))
    assert meta["penalties"] == score.committees[0].penalties


def test_a_baseline_is_refused_for_the_whole_city_plan_rather_than_ignored(planned, tmp_path):
    _, folder = planned
    result = runner.invoke(app, ["plan", str(TINY), "--level", "all", "--baseline", str(folder), "--out",
                                 str(tmp_path / "x")])
    assert result.exit_code == 2 and "不能与 --level all 同用" in result.output
    assert not (tmp_path / "x").exists()


def test_a_name_that_looks_like_a_formula_is_text_in_the_workbook(tmp_path):
    """Only the workbook's own cells are formulas; a unit named "=HYPERLINK(...)" stays text."""
    scenario = load_scenario(TINY)
    targets = [t.model_copy(update={"name": '=HYPERLINK("http://x","市委办公室")'}) if t.id == "P1" else t
               for t in scenario.targets]
    named = scenario.replace(targets=[t.model_dump() for t in targets])
    folder = tmp_path / "plan"
    write_plan(folder, hand_plan(named), named, {})
    sheet = openpyxl.load_workbook(folder / WORKBOOK_FILE)[ROWS_SHEET]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    rounds = openpyxl.load_workbook(folder / WORKBOOK_FILE)[ROUNDS_SHEET]
    assert any(c.data_type == "f" for row in rounds.iter_rows(min_row=2) for c in row)  # its own formulas stay
