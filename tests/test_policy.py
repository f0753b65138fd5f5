"""Each committee's settings: the city's, county_defaults for every county, counties_policy for one."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from planner.check import check_plan
from planner.loading import ScenarioError, load_scenario
from planner.build import build_model
from planner.model import CommitteeData
from planner.overrides import apply_overrides
from planner.plan import PlanDir
from planner.vocabulary import CITY, Committee, Kind
from scenario_edits import TINY, copy_scenario, replace_in

ROOT = Path(__file__).parent.parent
A, B = Committee("甲县"), Committee("乙县")


@pytest.fixture(scope="module")
def tiny():
    return load_scenario(TINY)


def test_every_county_gets_the_county_defaults_and_its_own_names(tiny):
    for committee in (A, B):
        policy = tiny.policy(committee)
        assert (policy.staff.drafted_pool, policy.staff.leader_pool) == (4, 1)
        assert policy.committee == f"中共{committee.county}委"
        assert policy.team_prefix == f"{committee.county}委"
    assert tiny.policy(CITY).staff.drafted_pool == 6
    assert tiny.policy(CITY).committee == "中共测试市委"


def test_a_county_with_its_own_round_policy(tiny):
    variant = apply_overrides(tiny, ["counties_policy.甲县.rounds.regular.rounds_per_year_min=1",
                                     "counties_policy.甲县.rounds.regular.rounds_per_year_max=1"])
    assert variant.policy(A).rounds.regular.rounds_per_year_max == 1
    assert variant.policy(B).rounds.regular.rounds_per_year_max == 4  # the county default
    assert variant.policy(CITY).rounds.regular.rounds_per_year_max == 3
    # The model of each county takes its own policy: one regular slot a year in 甲县, four in 乙县.
    assert len(build_model(variant, A).slots_of(Kind.REGULAR)) == 1
    assert len(build_model(variant, B).slots_of(Kind.REGULAR)) == 4


def test_a_county_with_its_own_pools(tiny):
    variant = apply_overrides(tiny, ["counties_policy.乙县.staff.drafted_pool=1"])
    assert CommitteeData.of(variant, B).staff.drafted_pool == 1
    assert CommitteeData.of(variant, A).staff.drafted_pool == 4


def _county_round(county: str, team: str, drafted: int) -> dict:
    day = pd.Timestamp("2027-03-01").date()
    end = pd.Timestamp("2027-03-26").date()
    return dict(round=1, kind="regular", level="county", county=county, team=team, target="", target_name="",
                category="", target_county=county, onsite_start=day, onsite_end=end, busy_start=day, busy_end=end,
                team_size=0, drafted=drafted, leader="permanent")


def test_the_checker_holds_each_county_to_its_own_pool(tiny):
    """The same drafting passes in 甲县 (pool 4) and breaks 乙县's own pool of 1."""
    variant = apply_overrides(tiny, ["counties_policy.乙县.staff.drafted_pool=1"])
    frame = pd.DataFrame([_county_round("甲县", "J1", 2), _county_round("乙县", "Y1", 2)])
    pool = [v.message for v in check_plan(variant, PlanDir(Path("."), frame, {}), [A, B]) if v.rule == "staff"
            and "可抽调" in v.message]
    assert pool == ["人员: 乙县第1轮抽调干部2人, 超过每轮可抽调1人"]


def test_staff_exchange_takes_from_each_levels_pool_in_regular_rounds_only(tiny):
    variant = apply_overrides(tiny, ["linkage.exchange_up=2", "linkage.exchange_down=1"])
    city, county = variant.policy(CITY), variant.policy(A)
    assert (city.drafted_pool_for(Kind.REGULAR), city.drafted_pool_for(Kind.SPECIAL)) == (6 - 2 * 2, 6)
    assert (county.drafted_pool_for(Kind.REGULAR), county.drafted_pool_for(Kind.FOLLOW_UP)) == (4 - 1, 4)
    assert tiny.policy(CITY).drafted_pool_for(Kind.REGULAR) == 6


def test_the_checker_counts_the_cadres_a_county_lends_to_the_city(tiny):
    """Three drafted in 甲县 fit its pool of 4, not once it lends two to the city's rounds (下挂)."""
    frame = pd.DataFrame([_county_round("甲县", "J1", 3)])
    lending = apply_overrides(tiny, ["linkage.exchange_down=2"])
    pool = {name: [v.message for v in check_plan(s, PlanDir(Path("."), frame, {}), [A]) if "可抽调" in v.message]
            for name, s in (("as set", tiny), ("lending", lending))}
    assert pool == {"as set": [], "lending": ["人员: 甲县第1轮抽调干部3人、上派下挂2人, 超过每轮可抽调4人"]}


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("counties_policy:\n  甲县: {staff: {drafted_pool: -1}}\n", "counties_policy.甲县.staff.drafted_pool", "不能小于 0"),
        ("counties_policy:\n  丙县: {staff: {drafted_pool: 1}}\n", "counties_policy.丙县", "未知的县区 '丙县'"),
        ("counties_policy:\n  甲县: {staff: {drafted_pol: 1}}\n", "counties_policy.甲县.staff.drafted_pol", "未知的字段"),
        ("county_defaults:\n  rounds: {regular: {onsite_weeks: 0}}\n", "county_defaults.rounds.regular.onsite_weeks",
         "不能小于 1"),
    ],
    ids=["negative pool", "unknown county", "misspelt key", "bad default"],
)
def test_bad_county_settings_name_the_yaml_line_and_field(tmp_path, text, field, words):
    folder = copy_scenario(TINY, tmp_path)
    replace_in(folder / "scenario.yaml", "county_defaults:\n  staff: {drafted_pool: 4, leader_pool: 1}\n", text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    [problem] = caught.value.problems
    assert (problem.file, problem.field) == ("scenario.yaml", field)
    assert problem.row == (folder / "scenario.yaml").read_text(encoding="utf-8").splitlines().index(
        text.splitlines()[1]) + 1
    assert words in problem.message


def _attribute_reads(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


@pytest.mark.parametrize("path", sorted((ROOT / "constraints").glob("*.py")) + [ROOT / "planner" / "greedy.py"],
                         ids=lambda p: p.name)
def test_rules_read_settings_only_through_the_committee_data(path):
    """Constraint modules and the greedy never reach the raw scenario: only m.data.policy."""
    assert "scenario" not in _attribute_reads(path)
    assert not hasattr(CommitteeData.of(load_scenario(TINY)), "scenario")
