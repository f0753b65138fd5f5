"""同一巡察组相邻两轮不巡察同一系统 (optional: rounds.extra_rules): a team's regular rounds in a row
hold no two units of one sector."""

from __future__ import annotations

import pytest

from constraints.sectors_apart import add_sectors_apart
from planner.check import check_plan
from planner.overrides import apply_overrides
from planner.plan import read_plan
from rule_helpers import (
    Break, broken_rows, broken_rules, caught_by_its_rule, infeasible_only_because_of, mini, plan, regular, unit,
    write_plan_dir,
)

ON = {"rounds": {"extra_rules": ["sectors_apart"]}}


def _education_last_but_one(tiny):
    """Two 教育 units and one 水利 unit, each a team's round; the pressure puts the 水利 one last."""
    s = mini(tiny, [unit("A", effort=3, sector="教育"), unit("B", effort=3, sector="教育"),
                    unit("C", effort=3, sector="水利")], **ON)
    return s, lambda m: -m.target_round_rank(2)


def test_model_a_team_leaves_a_round_between_two_of_one_sector(tiny):
    # With A, B and C interchangeable but for the sector, symmetry breaking would put them in id
    # order (C last) and leave no plan: the rule's trait (Rule.tells_apart) keeps them apart.
    s, c_last = _education_last_but_one(tiny)
    full = plan(s, pressure=c_last)
    assert [r.teams[0].targets for r in regular(full)] == [("A",), ("C",), ("B",)]
    assert not broken_rules(s, full)
    relaxed = plan(s, add_sectors_apart, c_last)
    assert [r.teams[0].targets for r in regular(relaxed)][-1] == ("C",)
    assert broken_rules(s, relaxed) == {"sectors_apart": 1}


def test_model_the_rule_is_off_unless_the_committee_names_it(tiny):
    s, c_last = _education_last_but_one(tiny)
    off = s.replace(rounds=s.rounds.model_copy(update={"extra_rules": ()}))
    assert [r.teams[0].targets for r in regular(plan(off, pressure=c_last))][-1] == ("C",)


INFEASIBLE = [
    pytest.param(add_sectors_apart, dict(units=[unit("A", effort=3, sector="教育"), unit("B", effort=3, sector="教育")],
                                         **ON),
                 id="sectors apart: one team, two units of one sector"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


def _e1_in_education(tiny):
    """T1 inspects 市第一高级中学 (教育) in round 2 of VALID and 市城投公司 in round 3, here of 教育 too."""
    return apply_overrides(tiny, ["rounds.extra_rules=[sectors_apart]", "targets.E1.sector=教育"])


BREAKS = {
    "one sector in a team's rounds in a row": Break(
        "sectors_apart", "市委第一巡察组 (T1) 在相邻的第2轮和第3轮都巡察教育系统的单位 (市第一高级中学 (S1)、市城投公司 (E1))",
        ((2, 3), ("T1",), ("S1", "E1")), scenario=_e1_in_education,
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def test_broken_plan_passes_where_the_committee_does_not_name_the_rule(tiny, tmp_path):
    case = BREAKS["one sector in a team's rounds in a row"]
    off = apply_overrides(tiny, ["targets.E1.sector=教育"])
    assert check_plan(off, read_plan(write_plan_dir(tmp_path, broken_rows(tiny, case)))) == []
