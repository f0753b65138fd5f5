"""一组一轮: a team's rows share their dates, and it is in one round at a time."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import add_one_round_at_a_time
from rule_helpers import (
    Break, VALID, broken_rules, busy_spans, caught_by_its_rule, changed, finish_early,
    infeasible_only_because_of, mini, overlapping, plan, regular, unit,
)


def test_model_a_team_finishes_its_report_before_preparing_the_next_round(tiny):
    # Two whole-team units for one team: two rounds back to back.
    s = mini(tiny, [unit("A", effort=3), unit("B", effort=3)])
    full = plan(s, pressure=finish_early)
    first, second = regular(full)
    assert not overlapping(busy_spans(full, "T1"))
    assert second.start_week - first.start_week == 1 + 4 + 2  # prep + on-site + report
    relaxed = plan(s, add_one_round_at_a_time, finish_early)
    assert overlapping(busy_spans(relaxed, "T1"))
    assert broken_rules(s, relaxed) == {"team_overlap": 1}


INFEASIBLE = [
    pytest.param(add_one_round_at_a_time, dict(horizon={"end": dt.date(2027, 3, 28)},
                                               units=[unit("A", effort=3), unit("B", effort=3)]),
                 id="one round at a time: two rounds, twelve weeks"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "rows of one team disagree": Break(
        "team_overlap", "第2轮 市委第一巡察组 (T1) 的各行日期不一致", ((2,), ("T1",), ()),
        edit=(2, "T1", {"busy_end": dt.date(2027, 6, 12)}),
    ),
    "busy span starting after on-site work": Break(
        "team_overlap", "第5轮 市委第一巡察组 (T1) 日期次序有误", ((5,), ("T1",), ()),
        edit=(5, "T1", {"busy_start": dt.date(2027, 9, 7)}),
    ),
    "busy spans overlap": Break(
        "team_overlap", "市委第一巡察组 (T1) 同时参加第2轮 (2027-04-26 至 2027-06-13) 和第3轮 (2027-05-31 至 2027-07-18)",
        ((2, 3), ("T1",), ()), plan=changed(VALID, 3, "T1", week=22),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
