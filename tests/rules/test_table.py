"""表格: the exported table's rows are well formed (no model family: the export writes them so)."""

from __future__ import annotations

import pytest

from rule_helpers import Break, caught_by_its_rule


BREAKS = {
    "unknown kind": Break(
        "table", "第13行 (第5轮 T1): 未知的巡察类型 'mobile'", ((5,), ("T1",), ()), edit=(5, "T1", {"kind": "mobile"}),
        also=frozenset({"coverage"}),
    ),
    "county named in a city round": Break(
        "table", "第13行 (甲县第5轮 T1): 甲县的轮次不属于本方案 (本方案为: 市委)", ((5,), ("T1",), ()),
        edit=(5, "T1", {"county": "甲县"}),
        also=frozenset({"coverage"}),  # the row no longer counts as the city's follow-up of G1
    ),
    "row of the county level": Break(
        "table", "第13行 (第5轮 T1): 层级应为 'city' (市委轮次), 实为 'county'", ((5,), ("T1",), ()),
        edit=(5, "T1", {"level": "county"}),
    ),
    "unknown team": Break("table", "未知的巡察组 'T9'", ((5,), ("T9",), ()), edit=(5, "T1", {"team": "T9"})),
    "unknown leader": Break(
        "table", "组长应为 permanent 或 drafted, 实为 'acting'", ((5,), ("T1",), ()), edit=(5, "T1", {"leader": "acting"}),
    ),
}


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    caught_by_its_rule(tiny, tmp_path, case)
