"""规划期: every busy span lies inside the term."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.calendar import WeekGrid
from planner.export import solution_frame
from planner.model import PlanModel
from planner.vocabulary import Kind
from rule_helpers import Break, VALID, caught_by_its_rule, changed, mini, plan, regular, unit


def test_model_every_busy_span_lies_inside_the_horizon(tiny):
    # prep 1 + on-site 4 + report 2 weeks: a term of 7 whole weeks is just enough, 6 is not.
    # (The busy intervals' variable domains end at the horizon too, so leaving
    # add_within_horizon out changes nothing: here the bound is shown at its edge.)
    seven = mini(tiny, [unit("A")], horizon={"end": dt.date(2027, 2, 21)})
    assert WeekGrid.of(seven).n_weeks == 7
    (row,) = solution_frame(plan(seven), seven).itertuples()
    assert (row.busy_start, row.onsite_start, row.busy_end) == (dt.date(2027, 1, 4), dt.date(2027, 1, 11),
                                                              dt.date(2027, 2, 19))
    with pytest.raises(ValueError, match="容不下一轮常规巡察"):  # refused as input, before any model is built
        mini(tiny, [unit("A")], horizon={"end": dt.date(2027, 2, 14)})

    def latest(m: PlanModel):  # pressure: start as late as possible
        return -sum(slot.start for slot in m.slots_of(Kind.REGULAR))

    year = mini(tiny, [unit("A")])
    late = plan(year, pressure=latest)
    (r,) = regular(late)
    assert r.start_week + r.onsite_weeks + r.report_weeks == WeekGrid.of(year).n_weeks == 51
    # The grid holds whole weeks only: 27-31 December 2027 (Monday to Friday) is left out.
    assert solution_frame(late, year)["busy_end"].max() == dt.date(2027, 12, 24)


BREAKS = {
    "busy span past the term": Break(
        "horizon", "第5轮 市委第一巡察组 (T1) 工作期 2027-12-13 至 2028-01-09 超出规划期 2027-01-01 至 2027-12-31",
        ((5,), ("T1",), ()), plan=changed(VALID, 5, "T1", week=50),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
