"""常规与专项: regular and special rounds are never on site at the same time."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import add_rounds_in_sequence
from rule_helpers import (
    Break, COUNTY_THEME, VALID, broken_rules, caught_by_its_rule, changed, check_county, finish_early,
    infeasible_only_because_of, mini, omitted, plan, regular, span, special, team, theme, unit,
)


def test_model_regular_and_special_rounds_never_run_at_the_same_time(tiny):
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")],
             rounds={"regular": {"rounds_per_year_max": 1}, "special": {"themes": [theme(2)]}})
    full = plan(s, pressure=finish_early)
    (inspection,) = regular(full)
    assert not set(span(inspection)) & set(span(special(full)))
    assert not broken_rules(s, full)
    relaxed = plan(s, add_rounds_in_sequence, finish_early)
    (inspection,) = regular(relaxed)
    assert set(span(inspection)) & set(span(special(relaxed)))
    assert broken_rules(s, relaxed) == {"kind_overlap": 1}


INFEASIBLE = [
    # T1: 1 + 4 + 2 weeks regular, T2: 1 + 2 + 1 weeks special; one after the other takes 8.
    pytest.param(add_rounds_in_sequence, dict(horizon={"end": dt.date(2027, 2, 21)}, teams=[team("T1"), team("T2")],
                                              rounds={"special": {"themes": [theme(2)]}}),
                 id="rounds in sequence: a regular and a special round, seven weeks"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "special round inside a regular one": Break(
        "kind_overlap", "第4轮专项巡察 (进驻 2027-06-28 至 2027-07-23) 与第3轮常规巡察 (进驻 2027-06-21 至 2027-07-16) 同时进驻",
        ((3, 4), (), ()), plan=changed(omitted(VALID, 4, "T1"), 4, "T2", week=25, weeks=4),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def test_broken_a_county_special_round_overlapping_a_regular_round(county_scenario, tmp_path):
    rounds = [(1, "regular", ("A2", "A2-V1"), 8, 7, 3), (2, "special", (COUNTY_THEME,), 12, 4, 2)]
    found = check_county(county_scenario, tmp_path, rounds)
    assert any(m.startswith("常规与专项: 乙县第2轮专项巡察") and "与乙县第1轮常规巡察" in m for m in found), found
