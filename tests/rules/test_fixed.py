"""锁定事项: the office's fixed decisions hold (year, round, team, dates, team away, together or apart)."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import add_fixed_decisions
from planner.scenario import Scenario
from rule_helpers import Break, caught_by_its_rule, infeasible_only_because_of, theme_in_2028


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
        scenario=lambda s: _decided(theme_in_2028(s), {"kind": "year", "target": "E1", "year": "2028"}),
        also=frozenset({"coverage"}),  # the theme, set for 2028, ran in 2027
    ),
    "unit in another round than fixed": Break(
        "fixed", "锁定事项: 市城投公司 定于第2轮 (书记专题会议定), 方案中在第3轮", ((3,), ("T1",), ("E1",)),
        scenario=lambda s: _decided(s, {"kind": "round", "target": "E1", "round": 2, "note": "书记专题会议定"}),
    ),
    "unit with another team than fixed": Break(
        "fixed", "锁定事项: 中共甲县委员会 由市委第二巡察组巡察, 方案中在第1轮 市委第一巡察组 (T1)", ((1,), ("T1",), ("K1",)),
        scenario=lambda s: _decided(s, {"kind": "team", "target": "K1", "team": "T2"}),
    ),
    "unit earlier than fixed": Break(
        "fixed", "锁定事项: 市委办公室 不早于2027-06-01进驻, 方案中在第2轮 市委第一巡察组 (T1) (进驻 2027-05-03",
        ((2,), ("T1",), ("P1",)),
        scenario=lambda s: _decided(s, {"kind": "not_before", "target": "P1", "start": dt.date(2027, 6, 1)}),
    ),
    "unit later than fixed": Break(
        "fixed", "锁定事项: 市城投公司 不晚于2027-06-30结束进驻, 方案中在第3轮", ((3,), ("T1",), ("E1",)),
        scenario=lambda s: _decided(s, {"kind": "not_after", "target": "E1", "end": dt.date(2027, 6, 30)}),
    ),
    "team busy while away": Break(
        "fixed", "锁定事项: 市委第二巡察组 2027-08-01 至 2027-08-31 不可用 (借调省委巡视), 却参加第4轮 "
                 "(工作期 2027-08-02 至 2027-08-29)", ((4,), ("T2",), ()),
        scenario=lambda s: _decided(s, {"kind": "unavailable", "team": "T2", "start": dt.date(2027, 8, 1),
                                        "end": dt.date(2027, 8, 31), "note": "借调省委巡视"}),
    ),
    "units apart that were fixed together": Break(
        "fixed", "锁定事项: 市城投公司 与 市委办公室 同轮巡察, 方案中分别在第3轮", ((3, 2), ("T1", "T1"), ("E1", "P1")),
        scenario=lambda s: _decided(s, {"kind": "same_round", "target": "E1", "other": "P1"}),
    ),
    "units together that were fixed apart": Break(
        "fixed", "锁定事项: 市委办公室 与 市总工会 不在同一轮巡察", ((2, 2), ("T1", "T1"), ("P1", "P2")),
        scenario=lambda s: _decided(s, {"kind": "different_round", "target": "P1", "other": "P2"}),
    ),
    "units with one team that were fixed to two": Break(
        "fixed", "锁定事项: 市教育局 与 市水利局 不由同一巡察组巡察", ((2, 2), ("T2", "T2"), ("G1", "G2")),
        scenario=lambda s: _decided(s, {"kind": "different_team", "target": "G1", "other": "G2"}),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)


def _decided(scenario: Scenario, *decisions: dict) -> Scenario:
    return scenario.replace(fixed=list(decisions))
