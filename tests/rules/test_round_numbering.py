"""轮次编号: rounds numbered from 1 in the order they start, one kind each (no model family: the export numbers them)."""

from __future__ import annotations

import pytest

from rule_helpers import Break, VALID, caught_by_its_rule, renumbered


BREAKS = {
    "round numbers out of order": Break(
        "round_numbering", "第3轮 (2027-05-03 进驻) 早于第2轮 (2027-06-21 进驻)", ((2, 3), (), ()),
        plan=renumbered(VALID, {2: 3, 3: 2}),
    ),
    "round number skipped": Break(
        "round_numbering", "轮次应从1起连续编号, 实为 1、2、3、4、6", ((1, 2, 3, 4, 6), (), ()),
        plan=renumbered(VALID, {5: 6}),
    ),
    "round of two kinds": Break(
        "round_numbering", "第1轮混有多种巡察类型: cross、regular", ((1,), (), ()), edit=(1, "T2", {"kind": "cross"}),
        # A city team's cross rows cover no unit of the city, and visit 甲县 while the city inspects its committee.
        also=frozenset({"coverage", "quiet"}),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
