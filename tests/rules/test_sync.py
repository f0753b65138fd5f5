"""上下联动: a county's rounds start with the city's (hard by default: linkage.sync_hard)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from planner.check import check_plan
from planner.overrides import apply_overrides
from planner.vocabulary import Kind
from rule_helpers import JIA, calendar_at, found_messages, solve_whole, whole_plan


def test_model_county_rounds_start_with_the_citys_round(whole):
    plan = solve_whole(whole, JIA, calendar_at(20))
    regular = [r for r in plan.rounds if r.kind == Kind.REGULAR]
    assert "sync" not in plan.penalties and all(abs(r.start_week - 20) <= whole.linkage.sync_weeks for r in regular)


def test_model_hard_sync_with_a_city_round_too_late_for_any_county_round(whole):
    """A city round starting in week 50: a county round of 3 weeks and a week's report cannot follow it."""
    soft = solve_whole(apply_overrides(whole, ["linkage.sync_hard=false"]), JIA, calendar_at(50))
    assert soft.has_plan and soft.penalties["sync"] >= 1
    assert whole.linkage.sync_hard  # the default
    assert solve_whole(whole, JIA, calendar_at(50)).status == "INFEASIBLE"


def _shift(frame: pd.DataFrame, county: str, kind: str, weeks: int) -> pd.DataFrame:
    broken = frame.copy()
    mask = (broken["county"] == county) & (broken["kind"] == kind)
    for column in ("onsite_start", "onsite_end", "busy_start", "busy_end"):
        broken.loc[mask, column] = [d + dt.timedelta(weeks=weeks) for d in broken.loc[mask, column]]
    return broken


def test_broken_a_county_round_out_of_step_is_refused_by_default(whole_frame, whole):
    assert whole.linkage.sync_hard  # the report's rule, hard unless the office relaxes it
    words = "市委没有同类轮次进驻, 未同步开展"
    assert any(words in m for m in found_messages(whole, _shift(whole_frame, "甲县", "regular", 5), words))
    soft = apply_overrides(whole, ["linkage.sync_hard=false"])
    assert check_plan(soft, whole_plan(_shift(whole_frame, "甲县", "regular", 5))) == []
