"""Fixed decisions (锁定事项) in the office's words, for the checker, ``explain`` and ``changes.md``."""

from __future__ import annotations

from planner.scenario import Scenario
from planner.tables import DecisionKind, FixedDecision


def decision_text(decision: FixedDecision, scenario: Scenario) -> str:
    """'市公安局 定于2027年', '市委第三巡察组 2027-01-01 至 2027-06-30 不可用 (借调省委巡视)'."""
    names = {t.id: t.name for t in scenario.targets} | {t.id: t.name for t in scenario.teams}
    unit, other, team = (names.get(decision.target, decision.target), names.get(decision.other, decision.other),
                         names.get(decision.team, decision.team))
    d = decision
    if d.kind == DecisionKind.YEAR:
        first, last = d.year
        text = f"{unit} 定于{first}年" if first == last else f"{unit} 定于{first}-{last}年"
    else:
        text = {
            DecisionKind.ROUND: f"{unit} 定于第{d.round}轮",
            DecisionKind.TEAM: f"{unit} 由{team}巡察",
            DecisionKind.NOT_BEFORE: f"{unit} 不早于{d.start}进驻",
            DecisionKind.NOT_AFTER: f"{unit} 不晚于{d.end}结束进驻",
            DecisionKind.UNAVAILABLE: f"{team} {d.start} 至 {d.end} 不可用",
            DecisionKind.SAME_ROUND: f"{unit} 与 {other} 同轮巡察",
            DecisionKind.DIFFERENT_ROUND: f"{unit} 与 {other} 不在同一轮巡察",
            DecisionKind.DIFFERENT_TEAM: f"{unit} 与 {other} 不由同一巡察组巡察",
        }[d.kind]
    return f"{text} ({d.note})" if d.note else text
