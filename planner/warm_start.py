"""Start the solver from an earlier plan (re-planning, sweeps): a plan table as a solution hint."""

from __future__ import annotations

import pandas as pd

from planner.greedy import complete_hint, add_greedy_hint
from planner.model import PlanModel
from planner.vocabulary import Kind


def add_plan_hint(m: PlanModel, frame: pd.DataFrame, complete_seconds: float = 5.0) -> bool:
    """Hint the rounds of ``frame`` (an assignments table); True if the hint is a whole, feasible plan.

    Rounds of a kind take the model's slots of that kind in start order (a
    regular round a slot of its year, a special round the slot of its theme);
    rounds beyond the slots are left out.
    """
    grid, cp = m.data.grid, m.cp
    team_index = {team.id: t for t, team in enumerate(m.data.teams)}
    target_index = {target.id: i for i, target in enumerate(m.data.targets)}
    themes = {s.theme: s for s in m.slots_of(Kind.SPECIAL)}
    cp.clear_hints()
    hinted: set[int] = set()
    frame = frame[frame["county"] == m.data.committee.county]
    for _, rows in frame.sort_values("onsite_start", kind="stable").groupby("round", sort=False):
        kind = Kind(rows["kind"].iloc[0])
        week = grid.week_of(rows["onsite_start"].min())
        if kind == Kind.SPECIAL:
            slot = themes.get(rows["target_name"].iloc[0])
        else:
            slot = m.free_slot(kind, week, hinted) if kind in (Kind.REGULAR, Kind.FOLLOW_UP) else None
        if slot is None or slot.index in hinted:
            continue
        hinted.add(slot.index)
        cp.add_hint(slot.start, week)
        if kind == Kind.SPECIAL:
            end = rows["onsite_end"].max()
            cp.add_hint(slot.onsite, (end - rows["onsite_start"].min()).days // 7 + 1)
        else:
            cp.add_hint(slot.active, 1)
        teams = {team_index[t] for t in rows["team"] if t in team_index}
        pairs = {(target_index.get(r.target), team_index.get(r.team)) for r in rows.itertuples()}
        for t in range(len(m.data.teams)):
            cp.add_hint(m.used[slot.index, t], int(t in teams))
            for i, v in m.in_round(slot.index, t):
                cp.add_hint(v, int((i, t) in pairs))
    for slot in m.slots:
        if slot.index not in hinted and slot.kind != Kind.SPECIAL:
            cp.add_hint(slot.active, 0)
            for t in range(len(m.data.teams)):
                cp.add_hint(m.used[slot.index, t], 0)
                for _, v in m.in_round(slot.index, t):
                    cp.add_hint(v, 0)
    return complete_hint(m, complete_seconds)


def add_decisions_hint(m: PlanModel, source: PlanModel, value, complete_seconds: float = 5.0) -> bool:
    """Hint ``m`` with the decisions of a plan of ``source``, a model of the same committee with
    the same slots (rounds, teams, targets, starts; ``value`` reads them); True if it completes."""
    cp = m.cp
    cp.clear_hints()
    for slot, theirs in zip(m.slots, source.slots):
        cp.add_hint(slot.start, value(theirs.start))
        if slot.kind == Kind.SPECIAL:
            cp.add_hint(slot.onsite, value(theirs.onsite))
        else:
            cp.add_hint(slot.active, value(theirs.active))
    for key, used in m.used.items():
        cp.add_hint(used, value(source.used[key]))
    for key, x in m.x.items():
        cp.add_hint(x, value(source.x[key]))
    return complete_hint(m, complete_seconds)


def hinted_objective(m: PlanModel) -> float:
    """Objective of the model's (complete) hint."""
    proto = m.cp.proto
    hint = dict(zip(proto.solution_hint.vars, proto.solution_hint.values))
    objective = proto.objective
    return objective.offset + sum(c * hint.get(v, 0) for v, c in zip(objective.vars, objective.coeffs))


def add_best_hint(m: PlanModel, frame: pd.DataFrame) -> bool:
    """Hint the better of the plan in ``frame`` and the greedy plan; True if the hint is whole
    (completed, every variable set).

    A neighbour's plan may be feasible here yet poor (a smaller pool's plan
    leaves units out that this variant could cover), so both are completed
    and compared on the objective.
    """
    candidates = []
    if add_plan_hint(m, frame):
        proto = m.cp.proto
        candidates.append((hinted_objective(m), list(proto.solution_hint.vars), list(proto.solution_hint.values)))
    m.cp.clear_hints()
    if add_greedy_hint(m):
        proto = m.cp.proto
        candidates.append((hinted_objective(m), list(proto.solution_hint.vars), list(proto.solution_hint.values)))
    if not candidates:
        add_plan_hint(m, frame)
        return False
    _, variables, values = min(candidates, key=lambda c: c[0])
    m.cp.clear_hints()
    for index, value in zip(variables, values):
        m.cp.add_hint(m.cp.get_int_var_from_proto_index(index), value)
    return True
