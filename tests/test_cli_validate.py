"""`xuncha validate` through typer's CliRunner: a summary on good input, one located line per problem on bad."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from planner.loading import InputProblem, ScenarioError, load_scenario
from scenario_edits import BAD_INPUTS, SHANGLUO, copy_scenario, reencode, to_xlsx

runner = CliRunner()


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def table_rows(output: str) -> list[list[str]]:
    """Cells of the rows of rich tables in ``output``."""
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in output.splitlines() if line.startswith("│")]


@pytest.fixture(scope="module")
def shangluo_summary() -> str:
    result = runner.invoke(app, ["validate", str(SHANGLUO)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("source", "edit", "expected"), BAD_INPUTS)
def test_bad_input_exits_2_with_one_line_per_problem(source, edit, expected, tmp_path, monkeypatch):
    folder = copy_scenario(source, tmp_path)
    edit(folder)
    expected = expected.located(folder)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    problems = caught.value.problems
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)

    result = runner.invoke(app, ["validate", str(folder)])

    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [f"场景数据有误 ({len(problems)} 处):", *(str(p) for p in problems)]
    prefix = str(InputProblem(expected.file, expected.row, expected.field, ""))
    assert any(line.startswith(prefix) and expected.fragment in line for line in lines), lines
    assert snapshot(tmp_path) == before


def test_duplicated_first_target_row_is_named(tmp_path):
    """The issue's "done when": file, row and duplicated id on one line."""
    folder = copy_scenario(SHANGLUO, tmp_path)
    path = folder / "targets.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + first + first + "".join(rest), encoding="utf-8")

    result = runner.invoke(app, ["validate", str(folder)])

    assert result.exit_code == 2
    assert "targets.csv, 第3行, 字段 id: 编号 'C-PW01' 重复 (与第2行重复)" in result.stderr.splitlines()


def test_long_problem_stays_on_one_line(tmp_path):
    folder = copy_scenario(SHANGLUO, tmp_path)
    path = folder / "targets.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",people_org,", ",people_orgs,", 1), encoding="utf-8")

    result = runner.invoke(app, ["validate", str(folder)], terminal_width=40)

    line = result.stderr.splitlines()[1]
    assert line.startswith("targets.csv, 第")
    assert line.endswith("其他单位 (other)、村(社区) (village)")


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_reencoded_copy_prints_the_same_summary(encoding, tmp_path, shangluo_summary):
    folder = copy_scenario(SHANGLUO, tmp_path)
    reencode(folder, encoding)
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout == shangluo_summary


def test_xlsx_targets_print_the_same_summary(tmp_path, shangluo_summary):
    folder = copy_scenario(SHANGLUO, tmp_path)
    to_xlsx(folder / "targets.csv")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout == shangluo_summary


def test_default_is_the_bundled_scenario(shangluo_summary):
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout == shangluo_summary


def test_summary_shows_every_reference_count(shangluo_summary):
    rows = table_rows(shangluo_summary)
    assert ["规划期", "2027-01-01 至 2031-12-31"] in rows
    assert ["村(社区)", "1295 (其中随市委提级巡察的镇办一并巡察 149)"] in rows
    # The office's count of the city's targets: 94 own units, the 7 counties, 11 elevated towns.
    assert ["市本级巡察对象", "94"] in rows and ["县(区)", "7"] in rows and ["提级巡察镇办", "11"] in rows
    assert ["市委巡察对象合计", "112 (= 94 + 7 + 11)"] in rows
    assert ["县级巡察对象 (不含村)", "629 (县区委巡察 618, 市委提级 11)"] in rows
    city = {code: count for level, _, code, count in (r for r in rows if len(r) == 4 and r[0] == "市级")}
    assert city == {
        "party_work_organ": "15",
        "party_mass_other": "3",
        "people_org": "9",
        "gov_department": "39",
        "gov_subordinate": "21",
        "city_soe": "6",
        "dev_zone": "1",
        "county": "7",
    }
    assert ["合计", "98", "290", "195", "22", "24", "629", "11", "1295"] in rows
    assert ["柞水县", "9", "34", "22", "3", "3", "71", "1", "105"] in rows
    assert ["市级", "5", "4/5", "3/5", "5/5", "12/15"] in rows
    assert ["县级合计", "21", "21/21", "17/21", "11/21", "49/63"] in rows
    assert ["2031年春节", "2031-01-22", "2031-01-30"] in rows
