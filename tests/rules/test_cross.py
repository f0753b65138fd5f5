"""交叉巡察: the city's cross rounds, in their year, every county inspecting the next in one cycle."""

from __future__ import annotations

import datetime as dt

import pytest

from constraints import add_cross_windows
from rule_helpers import found_messages, infeasible_only_because_of


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


def test_broken_a_cross_swap_is_refused(whole_frame, whole):
    broken = whole_frame.copy()
    # 甲县 takes 乙县's town, 乙县 takes 甲县's: a swap, 丙县 left out.
    for county, town in (("乙县", "AT"), ("乙县", "AT-V1")):
        broken.loc[broken["target"] == town, ["county", "team"]] = [county, "JB"]
    words = "乙县与甲县互相巡察, 应循环交叉"
    assert any(words in m for m in found_messages(whole, broken, words))
