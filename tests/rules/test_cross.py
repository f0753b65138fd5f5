"""交叉巡察: the city's cross rounds, in their year, every county inspecting the next in one cycle."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from constraints import add_cross_windows
from planner.check import check_plan
from rule_helpers import found_messages, infeasible_only_because_of, whole_plan


INFEASIBLE = [
    # Open from July to mid-August: the city's 4-week round fits, an 8-week cross window does not.
    pytest.param(add_cross_windows, dict(counties=["甲县", "乙县", "丙县"],
                                         cross_inspection={"rounds": [{"year": 2027}], "onsite_weeks": 8},
                                         calendar={"extra": [
                                             {"name": "上半年", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 6, 30)},
                                             {"name": "下半年", "start": dt.date(2027, 8, 16), "end": dt.date(2027, 12, 31)}]}),
                 id="cross windows: eight weeks, six open"),
]


@pytest.mark.parametrize(("family", "edit"), INFEASIBLE)
def test_model_instance_is_infeasible_only_because_of_the_family(tiny, family, edit):
    infeasible_only_because_of(tiny, family, edit)


def _swapped(whole_frame: pd.DataFrame) -> pd.DataFrame:
    """甲县 takes 乙县's town, 乙县 takes 甲县's as well as 丙县's: a swap, 丙县 inspecting none."""
    broken = whole_frame.copy()
    for town in ("AT", "AT-V1"):
        broken.loc[broken["target"] == town, ["county", "team"]] = ["乙县", "JB"]
    return broken


def test_broken_a_cross_swap_is_refused(whole_frame, whole):
    words = "乙县与甲县互相巡察, 应循环交叉"
    assert any(words in m for m in found_messages(whole, _swapped(whole_frame), words))


def test_broken_a_county_inspecting_two_or_none_is_refused_by_the_cross_rule(whole_frame, whole):
    broken = _swapped(whole_frame)
    cross = broken[broken["kind"] == "cross"]
    start, numbers = cross["onsite_start"].iloc[0], tuple(sorted({int(n) for n in cross["round"]}))
    found = [(v.message, v.rounds) for v in check_plan(whole, whole_plan(broken)) if v.rule == "cross"]
    assert found == [(f"交叉巡察: {start} 起的交叉巡察中乙县、丙县应各巡察另外一个县区", numbers)]
