"""锁定事项: the office's fixed decisions hold (year, round, team, dates, team away, together or apart)."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import add_fixed_decisions
from planner.vocabulary import Kind
from rule_helpers import (
    Break, broken_rules, caught_by_its_rule, decided, finish_early, infeasible_only_because_of, mini,
    plan, regular, team, team_of, theme_in_2028, unit,
)


# Each decision binds like the other model cases here: under a pressure objective that pays for breaking it,
# the model without add_fixed_decisions breaks it (and the checker says so, by this rule alone),
# the full model keeps it.


def start_late(m):
    """Pressure: every round as late as possible."""
    return -sum(s.start for s in m.slots)


def rank_of(uid: str):
    """Pressure: the unit's regular round as early as possible."""
    def pressure(m):
        (i,) = [i for i, t in enumerate(m.data.targets) if t.id == uid]
        return m.target_round_rank(i)
    return pressure


def few_teams(m):
    return sum(m.used.values())


def avoid_team(tid: str):
    def pressure(m):
        (t,) = [t for t, tm in enumerate(m.data.teams) if tm.id == tid]
        return sum(v for (_i, _k, tt), v in m.x.items() if tt == t)
    return pressure


def starts(solution, uid: str) -> int:
    (week,) = [r.start_week for r in regular(solution) for tr in r.teams if uid in tr.targets]
    return week


def number_of(solution, uid: str) -> int:
    """The round number (第N轮) of the unit's regular round, every kind counted."""
    ordered = sorted(solution.rounds, key=lambda r: r.start_week)
    (n,) = [n for n, r in enumerate(ordered, 1) if r.kind == Kind.REGULAR for tr in r.teams if uid in tr.targets]
    return n


def binds(s, pressure, kept, broken):
    """The full model keeps the decision (``kept``), the model without the family breaks it; the checker agrees."""
    full = plan(s, pressure=pressure)
    assert kept(full)
    assert not broken_rules(s, full)
    relaxed = plan(s, add_fixed_decisions, pressure)
    assert broken(relaxed)
    assert broken_rules(s, relaxed) == {"fixed": 1}


def test_model_a_unit_fixed_to_a_year(tiny):
    s = mini(tiny, [unit("A")], horizon={"end": dt.date(2028, 12, 31)}, rounds={"regular": {"rounds_per_year_min": 0}})
    s = decided(s, {"kind": "year", "target": "A", "year": 2028})
    binds(s, finish_early, lambda p: starts(p, "A") >= 52, lambda p: starts(p, "A") < 52)


def test_model_a_unit_fixed_to_a_round_number(tiny):
    s = mini(tiny, [unit("A", effort=3), unit("B", effort=3)])
    s = decided(s, {"kind": "round", "target": "A", "round": 2})
    binds(s, rank_of("A"), lambda p: number_of(p, "A") == 2, lambda p: number_of(p, "A") == 1)


def test_model_the_round_number_counts_a_special_round_before_it(tiny):
    s = mini(tiny, [unit("A")], [team("T1"), team("T2")], rounds={"special": {"themes": [
        {"name": "专项检查", "scope_units": 2, "max_teams": 2}]}})
    s = decided(s, {"kind": "round", "target": "A", "round": 2})
    solution = plan(s, pressure=finish_early)
    assert [r.kind for r in sorted(solution.rounds, key=lambda r: r.start_week)] == [Kind.SPECIAL, Kind.REGULAR]
    assert not broken_rules(s, solution)


def test_model_a_unit_fixed_to_a_team(tiny):
    s = decided(mini(tiny, [unit("A")], [team("T1"), team("T2")]), {"kind": "team", "target": "A", "team": "T2"})
    binds(s, avoid_team("T2"), lambda p: team_of(p, "A") == "T2", lambda p: team_of(p, "A") == "T1")


def test_model_a_unit_not_before_a_date(tiny):
    s = decided(mini(tiny, [unit("A")]), {"kind": "not_before", "target": "A", "start": dt.date(2027, 6, 2)})
    # 2027-06-07 is the first Monday on or after 2 June: week 22 of the grid (2027-01-04 is week 0).
    binds(s, finish_early, lambda p: starts(p, "A") == 22, lambda p: starts(p, "A") < 22)


def test_model_a_unit_not_after_a_date(tiny):
    s = decided(mini(tiny, [unit("A")]), {"kind": "not_after", "target": "A", "end": dt.date(2027, 6, 3)})
    # Four weeks on site ending by Thursday 3 June: the last Friday is 28 May (week 20), so the start is week 17.
    binds(s, start_late, lambda p: starts(p, "A") == 17, lambda p: starts(p, "A") > 17)


def test_model_a_team_unavailable_for_a_period(tiny):
    s = decided(mini(tiny, [unit("A")]), {"kind": "unavailable", "team": "T1", "start": dt.date(2027, 1, 1),
                                          "end": dt.date(2027, 5, 30), "note": "借调省委巡视"})
    # Busy from preparation: the first free Monday is 31 May (week 21), on site a week later.
    binds(s, finish_early, lambda p: starts(p, "A") == 22, lambda p: starts(p, "A") < 22)


def test_model_two_units_in_the_same_round(tiny):
    s = mini(tiny, [unit("A"), unit("B")], [team("T1"), team("T2")])
    s = decided(s, {"kind": "same_round", "target": "A", "other": "B"})
    binds(s, lambda m: rank_of("A")(m) - rank_of("B")(m),
          lambda p: number_of(p, "A") == number_of(p, "B"), lambda p: number_of(p, "A") < number_of(p, "B"))


def test_model_two_units_in_different_rounds(tiny):
    s = decided(mini(tiny, [unit("A"), unit("B")]), {"kind": "different_round", "target": "A", "other": "B"})
    binds(s, few_teams, lambda p: number_of(p, "A") != number_of(p, "B"),
          lambda p: number_of(p, "A") == number_of(p, "B"))


def test_model_two_units_with_different_teams(tiny):
    s = mini(tiny, [unit("A"), unit("B")], [team("T1"), team("T2")])
    s = decided(s, {"kind": "different_team", "target": "A", "other": "B"})
    binds(s, few_teams, lambda p: team_of(p, "A") != team_of(p, "B"), lambda p: team_of(p, "A") == team_of(p, "B"))



INFEASIBLE = [
    pytest.param(add_fixed_decisions, dict(fixed=[{"kind": "team", "target": "A", "team": "T1"},
                                                  {"kind": "unavailable", "team": "T1", "start": dt.date(2027, 1, 1),
                                                   "end": dt.date(2027, 12, 31)}]),
                 id="fixed decisions: a unit fixed to a team away all year"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "unit outside the year fixed": Break(
        "fixed", "锁定事项: 市城投公司 定于2028年, 方案中在第3轮 市委第一巡察组 (T1) (进驻 2027-06-21 至 2027-07-16)",
        ((3,), ("T1",), ("E1",)),
        scenario=lambda s: decided(theme_in_2028(s), {"kind": "year", "target": "E1", "year": "2028"}),
        also=frozenset({"coverage"}),  # the theme, set for 2028, ran in 2027
    ),
    "unit in another round than fixed": Break(
        "fixed", "锁定事项: 市城投公司 定于第2轮 (书记专题会议定), 方案中在第3轮", ((3,), ("T1",), ("E1",)),
        scenario=lambda s: decided(s, {"kind": "round", "target": "E1", "round": 2, "note": "书记专题会议定"}),
    ),
    "unit with another team than fixed": Break(
        "fixed", "锁定事项: 中共甲县委员会 由市委第二巡察组巡察, 方案中在第1轮 市委第一巡察组 (T1)", ((1,), ("T1",), ("K1",)),
        scenario=lambda s: decided(s, {"kind": "team", "target": "K1", "team": "T2"}),
    ),
    "unit earlier than fixed": Break(
        "fixed", "锁定事项: 市委办公室 不早于2027-06-01进驻, 方案中在第2轮 市委第一巡察组 (T1) (进驻 2027-05-03",
        ((2,), ("T1",), ("P1",)),
        scenario=lambda s: decided(s, {"kind": "not_before", "target": "P1", "start": dt.date(2027, 6, 1)}),
    ),
    "unit later than fixed": Break(
        "fixed", "锁定事项: 市城投公司 不晚于2027-06-30结束进驻, 方案中在第3轮", ((3,), ("T1",), ("E1",)),
        scenario=lambda s: decided(s, {"kind": "not_after", "target": "E1", "end": dt.date(2027, 6, 30)}),
    ),
    "team busy while away": Break(
        "fixed", "锁定事项: 市委第二巡察组 2027-08-01 至 2027-08-31 不可用 (借调省委巡视), 却参加第4轮 "
                 "(工作期 2027-08-02 至 2027-08-29)", ((4,), ("T2",), ()),
        scenario=lambda s: decided(s, {"kind": "unavailable", "team": "T2", "start": dt.date(2027, 8, 1),
                                        "end": dt.date(2027, 8, 31), "note": "借调省委巡视"}),
    ),
    "units apart that were fixed together": Break(
        "fixed", "锁定事项: 市城投公司 与 市委办公室 同轮巡察, 方案中分别在第3轮", ((3, 2), ("T1", "T1"), ("E1", "P1")),
        scenario=lambda s: decided(s, {"kind": "same_round", "target": "E1", "other": "P1"}),
    ),
    "units together that were fixed apart": Break(
        "fixed", "锁定事项: 市委办公室 与 市总工会 不在同一轮巡察", ((2, 2), ("T1", "T1"), ("P1", "P2")),
        scenario=lambda s: decided(s, {"kind": "different_round", "target": "P1", "other": "P2"}),
    ),
    "units with one team that were fixed to two": Break(
        "fixed", "锁定事项: 市教育局 与 市水利局 不由同一巡察组巡察", ((2, 2), ("T2", "T2"), ("G1", "G2")),
        scenario=lambda s: decided(s, {"kind": "different_team", "target": "G1", "other": "G2"}),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
