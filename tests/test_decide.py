"""Decisive what-if answers: a difference is proven only when the bounds separate the two plans."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.decide import Proven, compare, proven_of
from planner.loading import load_scenario
from planner.solve import SolveSettings
from planner.sweep import SweepRow, _undecided, _with_verdicts
from planner.whatif import _Side, run_whatif, settle
from scenario_edits import TINY

FAST = SolveSettings(time_limit=10)


@pytest.mark.parametrize(("before", "after", "proven", "text"), [
    # The variant's bound is above the baseline's plan: it costs at least 900 more, whatever is drawn.
    (Proven(8000, 7900), Proven(9000, 8900), True, "已证明: 至少高 900"),
    (Proven(9000, 8900), Proven(8000, 7900), True, "已证明: 至少低 900"),
    # The ranges [7500, 8000] and [7700, 7900] overlap: the 100 found may be noise.
    (Proven(8000, 7500), Proven(7900, 7700), False, "在求解不确定度之内 (±500), 未证明"),
    (Proven(456, 456), Proven(456, 456), True, "已证明: 相同"),
])
def test_a_difference_is_proven_only_when_the_ranges_do_not_overlap(before, after, proven, text):
    verdict = compare(before, after)
    assert verdict.proven is proven
    assert verdict.text() == text
    assert verdict.found == after.objective - before.objective
    assert verdict.low <= verdict.found <= verdict.high


def test_two_solves_of_one_scenario_keep_the_better_plan_and_the_higher_bound():
    assert Proven(8000, 7500).merged(Proven(7900, 7400)) == Proven(7900, 7500)
    assert proven_of({"objective": 10.0, "best_bound": -3.0}) == Proven(10.0, 0.0)  # no plan scores below 0
    assert proven_of({"objective": None, "best_bound": 1.0}) is None


def _row(value: str, objective: float, bound: float) -> SweepRow:
    return SweepRow(value, "FEASIBLE", None, 0, 5, 100, objective, None, 1.0, "", bound=bound)


def test_a_sweep_states_each_change_against_the_previous_value():
    rows = _with_verdicts([_row("4", 9000, 8900), _row("6", 8000, 7600), _row("8", 7900, 7700)])
    assert [r.vs_previous for r in rows] == ["", "已证明: 至少低 900", "在求解不确定度之内 (±400), 未证明"]
    assert rows[1].gap == pytest.approx(400 / 8000)
    # The undecided pair 6 / 8: the value solved least tightly (6, ±400) is the one solved on.
    assert _undecided(rows) == {"6"}


def test_whatif_states_what_is_proven(tmp_path):
    tiny = load_scenario(TINY)
    result = run_whatif(tiny, ["staff.city.drafted_pool=3"], tmp_path, FAST)
    text = (tmp_path / "compare.md").read_text(encoding="utf-8")
    assert "| 项目 | 基准方案 | 推演方案 | 变化 | 结论 |" in text
    # Both plans proven optimal on the tiny scenario: units left out and the objective are proven.
    assert "已证明: 至少多" in text and "已证明: 至少高" in text
    assert "## 结论是否已证明" in text
    assert result.base.proven is not None and result.variant.proven is not None
    assert compare(result.base.proven, result.variant.proven).proven


def test_settle_solves_on_until_the_difference_is_proven_or_the_time_is_spent(tmp_path):
    """Two plans whose recorded ranges overlap: settle solves on until the bounds separate them."""
    tiny = load_scenario(TINY)
    short = load_scenario(TINY).replace(staff=tiny.staff.model_dump() | {"city": {"drafted_pool": 3, "leader_pool": 1}})
    empty = pd.DataFrame()
    # As if both had been stopped early: plans with bounds of 0.
    base = _Side(tiny, tmp_path / "a", {}, empty, {"objective": 500.0, "best_bound": 0.0})
    variant = _Side(short, tmp_path / "b", {}, empty, {"objective": 300_000.0, "best_bound": 0.0})
    assert not compare(proven_of(base.meta), proven_of(variant.meta)).proven
    spent = settle(base, variant, tiny.committees[0], FAST, budget=120)
    verdict = compare(proven_of(base.meta), proven_of(variant.meta))
    assert verdict.proven or spent >= 119
    assert proven_of(variant.meta).bound > 0  # the variant was solved on: its bound is now known
