"""Independent plan checker: every hard rule re-verified on the exported table.

:func:`check_plan` runs, rule by rule in the order of :data:`planner.rules.RULES`, the
checker functions each rule lists (``Rule.check``, in :mod:`planner.rule_checks`): plain
Python on ``assignments.csv`` only, never the model or the greedy, so a slip in either one
shows up as a disagreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.plan import PLAN_FILE, PlanDir, PlanReadError
from planner.rule_checks import CheckedPlan
from planner.rules import RULES
from planner.scenario import Scenario
from planner.vocabulary import CITY, Committee, Level


@dataclass(frozen=True)
class Violation:
    """One broken hard rule: its id, the objects involved and a sentence for the office."""

    rule: str
    message: str
    rounds: tuple[int, ...] = ()
    teams: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


def check_plan(scenario: Scenario, plan: PlanDir, committees: Iterable[Committee] | None = None) -> list[Violation]:
    """Every hard rule broken by ``plan``; an empty list means the plan holds.

    ``committees`` are the committees the plan is for (default: those its
    plan.json names); each must be whole, the others are not its business.
    """
    checked = CheckedPlan(scenario, plan, plan_committees(plan) if committees is None else committees)
    return [
        Violation(rule.id, f"{rule.wording}: {f.text}", f.rounds, f.teams, f.targets)
        for rule in RULES
        for check in rule.check
        for f in check(checked)
    ]


def plan_committees(plan: PlanDir) -> list[Committee]:
    """The committees ``plan.json`` names (``committees``, or the older ``level``/``county``)."""
    meta = plan.meta
    if "committees" in meta:
        keys = meta["committees"]
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            raise PlanReadError(f"{PLAN_FILE}, 字段 committees: 应为党委列表, 如 [\"city\", \"洛南县\"]")
        return [Committee.of_key(k) for k in keys]
    value = meta.get("level", Level.CITY.value)
    try:
        level = Level(value)
    except ValueError:
        raise PlanReadError(f"{PLAN_FILE}, 字段 level: 应为 city 或 county, 实为 '{value}'") from None
    if level == Level.CITY:
        return [CITY]
    county = meta.get("county") or ""
    counties = [county] if county else sorted({c for c in plan.assignments["county"] if c})
    return [Committee(c) for c in counties]


def plan_counts(plan: PlanDir) -> str:
    """How much the plan holds, in one Chinese phrase."""
    frame = plan.assignments
    rounds = frame[["county", "round"]].drop_duplicates()
    targets = frame.loc[frame["target"] != "", "target"].nunique()
    return f"{len(rounds)}轮、{len(frame)}条安排、{targets}个巡察对象"
