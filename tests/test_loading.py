"""Loading a scenario folder: bad input is refused and located; encodings and .xlsx read alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenario_edits import BAD_INPUTS, SHANGLUO, TINY, copy_scenario, reencode, replace_in, to_xlsx
from planner.loading import ScenarioError, load_scenario


def problems_of(folder: Path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    return caught.value.problems


def comparable(folder: Path) -> dict:
    return load_scenario(folder).model_dump(exclude={"source", "sha256"})


@pytest.fixture(scope="module")
def shangluo() -> dict:
    return comparable(SHANGLUO)


@pytest.mark.parametrize(("source", "edit", "expected"), BAD_INPUTS)
def test_bad_input_is_refused_with_file_row_and_field(source, edit, expected, tmp_path):
    folder = copy_scenario(source, tmp_path)
    edit(folder)
    expected = expected.located(folder)
    problems = problems_of(folder)
    shown = [str(p) for p in problems]
    assert expected.found_in(problems), shown
    assert not any("Input should" in line or "Value error" in line for line in shown), shown


def test_missing_folder_is_named(tmp_path):
    problems = problems_of(tmp_path / "nowhere")
    assert [(p.file, p.row, p.message) for p in problems] == [(str(tmp_path / "nowhere"), None, "场景目录不存在")]


def test_all_problems_of_a_table_are_reported_together(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "targets.csv", "gov_department,教育,2,", "gov_department,教育,-2,")
    replace_in(folder / "targets.csv", ",city_soe,国资,1,5,", ",city_soe,国资,1,9,")
    problems = problems_of(folder)
    assert [(p.row, p.field) for p in problems] == [(4, "effort"), (7, "risk")]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_reencoded_copy_loads_like_the_original(encoding, tmp_path, shangluo):
    folder = copy_scenario(SHANGLUO, tmp_path)
    reencode(folder, encoding)
    assert (folder / "targets.csv").read_bytes() != (SHANGLUO / "targets.csv").read_bytes()
    assert comparable(folder) == shangluo


def test_targets_as_xlsx_load_like_the_csv(tmp_path, shangluo):
    folder = copy_scenario(SHANGLUO, tmp_path)
    to_xlsx(folder / "targets.csv")
    assert comparable(folder) == shangluo


def test_every_table_as_xlsx_loads_like_the_csv(tmp_path, shangluo):
    folder = copy_scenario(SHANGLUO, tmp_path)
    for stem in ("targets", "villages", "teams"):
        to_xlsx(folder / f"{stem}.csv")
    assert comparable(folder) == shangluo


def test_xlsx_problems_use_the_sheet_row(tmp_path):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "targets.csv", "gov_department,教育,2,", "gov_department,教育,-2,")
    to_xlsx(folder / "targets.csv")
    problems = problems_of(folder)
    assert [(p.file, p.row, p.field) for p in problems] == [("targets.xlsx", 4, "effort")]


def test_duplicate_names_both_rows(tmp_path):
    folder = copy_scenario(SHANGLUO, tmp_path)
    path = folder / "targets.csv"
    header, first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + first + first + "".join(rest), encoding="utf-8")
    problems = problems_of(folder)
    assert [str(p) for p in problems] == ["targets.csv, 第3行, 字段 id: 编号 'C-PW01' 重复 (与第2行重复)"]
