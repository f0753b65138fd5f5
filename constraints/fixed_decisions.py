"""Fixed decisions of the office (锁定事项): what the plan must keep, whatever else it weighs."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from planner.calendar import WeekGrid
from planner.model import PlanModel
from planner.model_types import Relax
from planner.tables import DecisionKind, FixedDecision
from planner.vocabulary import Kind


DROPPED = "dropped"  # the relaxation of a decision: 1 when it is set aside


def add_fixed_decisions(m: PlanModel) -> None:
    """Hard: every fixed decision of the office holds (锁定事项, ``fixed.csv``).

    With in[i,k] = sum_t x[i,k,t] (unit i's regular round is k) and the week
    grid of planner.calendar:
      定年度 y1-y2:     in[i,k] <= sum_{y1<=y<=y2} in_year[k,y]
      定轮次 N:         x[i,k,t] => number_k = N, number_k = 1 + sum_j before[j,k]
                        (before[j,k]: round j is held and starts before k)
      定巡察组 T:       x[i,k,t] = 0 for t != T
      不早于 d:         start_k >= w(d) * in[i,k], w(d) the first week on or after d
      不晚于 d:         x[i,k,t] => start_k + onsite[k,t] - 1 <= w'(d), the last week ending by d
      巡察组 T 不可用 [a, b]: NoOverlap({busy[k,T]} + {weeks whose Monday-Friday meet [a, b]})
      同轮 i, j:        in[i,k] = in[j,k]
      不同轮 i, j:      in[i,k] + in[j,k] <= 1
      不同组 i, j:      sum_k x[i,k,t] + sum_k x[j,k,t] <= 1 for each team t
    Decisions bind a unit's regular round, not its 回头看. Switchable one by
    one (Relax.FIXED), so ``explain`` can name the decisions in conflict.
    """
    if not m.data.decisions:
        return
    numbers = _round_numbers(m) if any(d.kind == DecisionKind.ROUND for _, d in m.data.decisions) else {}
    target_index = {t.id: i for i, t in enumerate(m.data.targets)}
    team_index = {t.id: n for n, t in enumerate(m.data.teams)}
    for row, decision in m.data.decisions:
        holds = []
        if Relax.FIXED in m.relax:
            relaxation = m.relaxation(Relax.FIXED, str(row), {})
            relaxation.amounts[DROPPED] = 1 - relaxation.holds
            holds = [relaxation.holds]
        units = [target_index[u] for u in decision.units]
        _add_decision(m, decision, units, team_index, numbers, holds)


def _add_decision(m: PlanModel, d: FixedDecision, units: list[int], team_index: dict[str, int],
                  numbers: dict[int, cp_model.LinearExprT], holds: list) -> None:
    cp, grid = m.cp, m.data.grid
    regular = m.slots_of(Kind.REGULAR)

    def enforce(constraint) -> None:
        constraint.only_enforce_if(holds)

    if d.kind == DecisionKind.UNAVAILABLE:
        t = team_index[d.team]
        first, last = blocked_weeks(grid, d.start, d.end)
        if first <= last:
            size = last - first + 1
            block = (cp.new_optional_fixed_size_interval_var(first, size, holds[0], f"away_{d.team}_{first}") if holds
                     else cp.new_fixed_size_interval_var(first, size, f"away_{d.team}_{first}"))
            cp.add_no_overlap([m.busy[k, t] for k in range(len(m.slots))] + [block])
        return
    i = units[0]
    inside = {slot.index: sum(v for k, _t, v in m.assigned(i, Kind.REGULAR) if k == slot.index) for slot in regular}
    if d.kind == DecisionKind.YEAR:
        first, last = d.year
        for slot in regular:
            flags = m.year_flags(slot)
            enforce(cp.add(sum(flags[y] for y in range(first, last + 1) if y in flags) >= inside[slot.index]))
    elif d.kind == DecisionKind.ROUND:
        for k, _t, v in m.assigned(i, Kind.REGULAR):
            enforce(cp.add(numbers[k] == d.round).only_enforce_if(v))
    elif d.kind == DecisionKind.TEAM:
        for _k, t, v in m.assigned(i, Kind.REGULAR):
            if m.data.teams[t].id != d.team:
                enforce(cp.add(v == 0))
    elif d.kind == DecisionKind.NOT_BEFORE:
        week = _first_week_from(grid, d.start)
        for slot in regular:
            enforce(cp.add(slot.start >= week * inside[slot.index]))
    elif d.kind == DecisionKind.NOT_AFTER:
        week = _last_week_ending_by(grid, d.end)
        for k, t, v in m.assigned(i, Kind.REGULAR):
            enforce(cp.add(m.slots[k].start + m.onsite[k, t] - 1 <= week).only_enforce_if(v))
    else:
        j = units[1]
        other = {slot.index: sum(v for k, _t, v in m.assigned(j, Kind.REGULAR) if k == slot.index) for slot in regular}
        if d.kind == DecisionKind.SAME_ROUND:
            for k in inside:
                enforce(cp.add(inside[k] == other[k]))
        elif d.kind == DecisionKind.DIFFERENT_ROUND:
            for k in inside:
                enforce(cp.add(inside[k] + other[k] <= 1))
        else:
            for t in range(len(m.data.teams)):
                both = [v for unit in (i, j) for _k, tt, v in m.assigned(unit, Kind.REGULAR) if tt == t]
                enforce(cp.add(sum(both) <= 1))


def _round_numbers(m: PlanModel) -> dict[int, cp_model.LinearExprT]:
    """Regular slot -> its round number (第N轮): 1 + the rounds held that start before it.

    Rounds of one committee never share a start (their on-site windows are
    disjoint), so for two held rounds j, k exactly one of before[j,k],
    before[k,j] is true.
    """
    cp, numbers = m.cp, {}
    for slot in m.slots_of(Kind.REGULAR):
        k, earlier = slot.index, []
        for other in m.slots:
            if other is slot:
                continue
            before = cp.new_bool_var(f"before_{other.label}_{slot.label}")
            both = [a for a in (other.active, slot.active) if not isinstance(a, int)]
            if not isinstance(other.active, int):
                cp.add_implication(before, other.active)
            cp.add(other.start + 1 <= slot.start).only_enforce_if(before)
            cp.add(other.start >= slot.start + 1).only_enforce_if([~before, *both])
            earlier.append(before)
        numbers[k] = 1 + sum(earlier)
    return numbers


def _first_week_from(grid: WeekGrid, day: dt.date) -> int:
    """The first week whose Monday is on or after ``day``."""
    return -(-(day - grid.first_monday).days // 7)


def _last_week_ending_by(grid: WeekGrid, day: dt.date) -> int:
    """The last week whose Friday is on or before ``day``."""
    return ((day - grid.first_monday).days - 4) // 7


def blocked_weeks(grid: WeekGrid, start: dt.date, end: dt.date) -> tuple[int, int]:
    """First and last week whose Monday-to-Friday meets [start, end], within the grid."""
    first = max(0, _last_week_ending_by(grid, start - dt.timedelta(days=1)) + 1)
    last = min(grid.n_weeks - 1, (end - grid.first_monday).days // 7)
    return first, last
