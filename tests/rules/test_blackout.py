"""禁止进驻: no on-site day in a blackout period (春节、国庆 and the scenario's own)."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import add_blackouts
from planner.calendar import WeekGrid, blackout_days
from planner.solution import Solution
from rule_helpers import (
    Break, VALID, broken_rules, caught_by_its_rule, changed, finish_early, infeasible_only_because_of,
    mini, plan, regular, unit,
)


@pytest.mark.parametrize(
    "calendar",
    [
        # Spring Festival 2027 is 6 February: 5-13 February is closed (weeks 4 and 5).
        {"spring_festival": True},
        {"extra": [{"name": "全市集中学习", "start": dt.date(2027, 2, 1), "end": dt.date(2027, 2, 12)}]},
    ],
    ids=["spring_festival", "extra_period"],
)
def test_model_no_onsite_day_in_a_blackout_period(tiny, calendar):
    s = mini(tiny, [unit("A")], calendar=calendar)
    closed = blackout_days(s)
    grid = WeekGrid.of(s)

    def onsite_days(solution: Solution) -> set[dt.date]:
        (r,) = regular(solution)
        first, last = grid.monday(r.start_week), grid.friday(r.start_week + r.onsite_weeks - 1)
        return {first + dt.timedelta(days=d) for d in range((last - first).days + 1)}

    full = plan(s, pressure=finish_early)
    assert regular(full)[0].start_week == 6  # the first Monday after the closed weeks
    assert not onsite_days(full) & closed.keys()
    relaxed = plan(s, add_blackouts, finish_early)
    assert regular(relaxed)[0].start_week == 1
    assert onsite_days(relaxed) & closed.keys()
    assert broken_rules(s, relaxed) == {"blackout": 1}


INFEASIBLE = [
    pytest.param(add_blackouts, dict(calendar={"extra": [{"name": "封闭", "start": dt.date(2027, 1, 18),
                                                          "end": dt.date(2027, 12, 31)}]}),
                 id="blackout: no four open weeks"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


BREAKS = {
    "on site over the Spring Festival": Break(
        "blackout", "第1轮 市委第一巡察组 (T1) 进驻 2027-01-18 至 2027-02-26, 含2027年春节9天", ((1,), ("T1",), ()),
        plan=changed(changed(VALID, 1, "T1", week=2), 1, "T2", week=2),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
