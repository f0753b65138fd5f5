"""轮次规则: rounds a year, units a year, on-site weeks and the special rounds' teams and length."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from constraints import add_rounds_per_year, add_special_round_scope, add_units_per_year
from planner.calendar import WeekGrid
from planner.solution import Solution
from planner.vocabulary import Kind
from rule_helpers import (
    Break, COUNTY_THEME, VALID, broken_rules, caught_by_its_rule, changed, check_county, finish_early,
    infeasible_only_because_of, mini, omitted, plan, regular, short_special_rounds, special, team, theme,
    unit, with_rounds,
)


def test_model_rounds_per_year_stay_within_the_policy(tiny):
    two_years = {"horizon": {"end": dt.date(2028, 12, 31)}}
    s = mini(tiny, [unit(u, effort=3) for u in "ABCD"], rounds={"regular": {"rounds_per_year_max": 2}}, **two_years)
    grid = WeekGrid.of(s)

    def per_year(solution: Solution) -> Counter:
        return Counter(grid.year_of(r.start_week) for r in regular(solution))

    assert per_year(plan(s, pressure=finish_early)) == {2027: 2, 2028: 2}
    relaxed = plan(s, add_rounds_per_year, finish_early)
    assert per_year(relaxed) == {2027: 4}
    assert broken_rules(s, relaxed) == {"round_policy": 2}  # four in 2027, none in 2028


def test_model_a_special_theme_with_a_year_runs_in_that_year(tiny):
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")], horizon={"end": dt.date(2028, 12, 31)},
             rounds={"regular": {"rounds_per_year_min": 0}, "special": {"themes": [theme(2, year=2028)]}})
    grid = WeekGrid.of(s)
    assert grid.year_of(special(plan(s, pressure=finish_early)).start_week) == 2028
    relaxed = plan(s, add_rounds_per_year, finish_early)
    assert grid.year_of(special(relaxed).start_week) == 2027
    assert broken_rules(s, relaxed) == {"coverage": 1}  # the checker counts themes under coverage


def test_model_a_special_round_stays_long_enough_for_its_scope(tiny):
    # 6 units at 1 unit per team-week, at most one team: 6 weeks on site.
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")],
             rounds={"special": {"themes": [theme(6)], "onsite_weeks": 2, "max_onsite_weeks": 8}})
    full = special(plan(s, pressure=short_special_rounds))
    assert [tr.onsite_weeks for tr in full.teams] == [6]
    relaxed = special(plan(s, add_special_round_scope, short_special_rounds))
    assert sum(tr.onsite_weeks for tr in relaxed.teams) < 6  # fewer team-weeks than units in scope


def test_model_units_per_year_min_binds_on_a_tiny_instance(tiny):
    s = mini(tiny, [unit("A"), unit("B")], horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)},
             rounds={"regular": {"rounds_per_year_min": 0}, "units_per_year_min": 1,
                     "follow_up": {"rounds_per_year_max": 0}})
    early = plan(s, add_units_per_year, finish_early)
    assert {r.year for r in regular_years(early, s)} == {2027}
    assert broken_rules(s, early) == {"round_policy": 1}
    kept = plan(s, pressure=finish_early)
    assert sorted(r.year for r in regular_years(kept, s)) == [2027, 2028]
    assert not broken_rules(s, kept)


def regular_years(solution, scenario) -> list[dt.date]:
    """The first on-site day of each regular round."""
    grid = WeekGrid.of(scenario)
    return [grid.monday(r.start_week) for r in solution.rounds if r.kind == Kind.REGULAR]


TWO_YEARS = {"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)}
INFEASIBLE = [
    pytest.param(add_units_per_year, dict(horizon=TWO_YEARS, rounds={"regular": {"rounds_per_year_min": 0},
                                                                     "units_per_year_min": 2}),
                 id="units per year: one unit, two a year wanted"),
    pytest.param(add_rounds_per_year, dict(horizon={"end": dt.date(2028, 12, 31)}),
                 id="rounds per year: a round each year, one unit"),
    pytest.param(add_special_round_scope, dict(teams=[team("T1"), team("T2")],
                                               rounds={"special": {"themes": [theme(10)], "max_onsite_weeks": 8}}),
                 id="special scope: ten units, one team, eight weeks"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "on site too short for a county": Break(
        "round_policy", "第1轮 市委第一巡察组 (T1) 进驻 2027-03-01 至 2027-04-02, 不足6周", ((1,), ("T1",), ()),
        plan=changed(VALID, 1, "T1", weeks=5),
    ),
    "special round too long": Break(
        "round_policy", "第4轮专项巡察进驻 2027-08-09 至 2027-09-24, 超过6周", ((4,), (), ()),
        plan=changed(changed(changed(VALID, 4, "T1", weeks=7), 4, "T2", weeks=7), 5, "T1", week=40),
    ),
    "too many teams for a theme": Break(
        "round_policy", "第4轮专项巡察派出2个组, 超过上限1个", ((4,), ("T1", "T2"), ()),
        scenario=lambda s: with_rounds(
            s, "special", themes=(s.rounds.special.themes[0].model_copy(update={"max_teams": 1}),)
        ),
    ),
    "special round too short for its scope": Break(
        "round_policy", "第4轮专项巡察1个组检查4个单位, 应进驻至少4周, 实为进驻 2027-08-09 至 2027-08-20", ((4,), ("T1",), ()),
        plan=omitted(VALID, 4, "T2"),
    ),
    "too many regular rounds in a year": Break(
        "round_policy", "2027年常规巡察3轮 (第1轮、第2轮、第3轮), 超过上限2轮", ((1, 2, 3), (), ()),
        scenario=lambda s: with_rounds(s, "regular", rounds_per_year_max=2),
    ),
    "too few regular rounds in a year": Break(
        "round_policy", "2027年常规巡察仅3轮, 少于下限4轮", ((1, 2, 3), (), ()),
        scenario=lambda s: with_rounds(s, "regular", rounds_per_year_min=4),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def test_broken_a_town_stays_longer_with_its_villages(county_scenario, tmp_path):
    rounds = [(1, "regular", ("A2", "A2-V1"), 8, 6, 3), (2, "special", (COUNTY_THEME,), 20, 4, 2)]
    assert check_county(county_scenario, tmp_path, rounds) == [
        "轮次规则: 乙县第1轮 乙县委第一巡察组 (Y1) 进驻 2027-03-01 至 2027-04-09, 不足7周"]
