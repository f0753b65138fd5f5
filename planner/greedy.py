"""A quick greedy plan, given to CP-SAT as a solution hint.

It walks through the term year by year, opening rounds one after another at
the earliest week the teams are free and no blackout is in the way, and fills
each regular round with the highest-priority targets that fit. It does not
try to be optimal, only plausible, so CP-SAT starts from a good plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from planner.model import PlanModel, Slot, interchangeable_teams
from planner.scenario import Kind
from planner.solver import completion_solver, status_of


@dataclass
class _State:
    cursor: int = 0  # rounds of one level follow each other
    year_end: int = 0  # a round planned for a year must start before this week
    free: dict[int, int] = field(default_factory=dict)  # team -> first week it is free
    regular_end: dict[int, int] = field(default_factory=dict)  # target -> week its on-site ended
    regular_team: dict[int, int] = field(default_factory=dict)
    rounds: list[tuple[Slot, int, dict[int, list[int]]]] = field(default_factory=list)  # (slot, start, team -> targets)


def _fits(m: PlanModel, start: int, weeks: int) -> bool:
    return start + weeks <= m.horizon_weeks and not any(w in m.data.grid.blocked for w in range(start, start + weeks))


def _earliest(m: PlanModel, st: _State, slot: Slot, teams: list[int], weeks: int) -> int | None:
    start = max([st.cursor, slot.prep] + [st.free.get(t, 0) + slot.prep for t in teams])
    while start + weeks + slot.report <= m.horizon_weeks and start < st.year_end:
        if _fits(m, start, weeks):
            return start
        start += 1
    return None


def _staffed_teams(m: PlanModel, kind: Kind, allowed: list[int]) -> list[int]:
    """Teams that can go out together within the pools, fewest drafted first."""
    staff, chosen, drafted, leaders = m.data.staff, [], 0, 0
    for t in sorted(allowed, key=lambda t: m.data.need_drafted(m.data.teams[t], kind)):
        team = m.data.teams[t]
        need, leader = m.data.need_drafted(team, kind), int(not team.has_leader)
        if drafted + need <= staff.drafted_pool and leaders + leader <= staff.leader_pool:
            chosen.append(t)
            drafted, leaders = drafted + need, leaders + leader
    return chosen


def _emit_hints(m: PlanModel, st: _State) -> None:
    """Hint every decided round, interchangeable teams relabelled so their loads do not increase
    (the order the symmetry breaking of planner.model asks for)."""
    load = {t: 0 for t in range(len(m.data.teams))}
    for slot, _start, members in st.rounds:
        if slot.kind == Kind.REGULAR:
            for t, targets in members.items():
                load[t] += sum(m.data.targets[i].effort for i in targets)
    label = {t: t for t in load}
    for members in interchangeable_teams(m):
        for old, new in zip(sorted(members, key=lambda t: (-load[t], t)), members):
            label[old] = new
    for slot, start, members in st.rounds:
        _hint_round(m, slot, start, {label[t]: targets for t, targets in members.items()})


def _hint_round(m: PlanModel, slot: Slot, start: int, members: dict[int, list[int]]) -> None:
    cp = m.cp
    cp.add_hint(slot.start, start)
    if slot.kind != Kind.SPECIAL:
        cp.add_hint(slot.active, 1)
    for t in range(len(m.data.teams)):
        cp.add_hint(m.used[slot.index, t], int(t in members))
        for i, v in m.in_round(slot.index, t):
            cp.add_hint(v, int(i in members.get(t, [])))


def add_greedy_hint(m: PlanModel, complete_seconds: float = 5.0) -> bool:
    """Add a greedy plan as a solution hint; return True if it is a whole, feasible plan.

    The greedy fixes the decisions (round starts, teams, targets); a short
    CP-SAT run with those values fixed derives every other variable, so the
    hint is complete and CP-SAT can report it at once as its first plan.
    """
    _greedy_decisions(m)
    return complete_hint(m, complete_seconds)


def complete_hint(m: PlanModel, seconds: float) -> bool:
    """Replace the model's partial hint by a whole solution that agrees with it, if one exists."""
    solver = completion_solver(seconds)
    if not status_of(solver, solver.solve(m.cp)).has_plan:
        return False
    proto = m.cp.proto
    m.cp.clear_hints()
    for index in range(len(proto.variables)):
        m.cp.add_hint(m.cp.get_int_var_from_proto_index(index), solver.value(m.cp.get_int_var_from_proto_index(index)))
    return True


def _share(m: PlanModel, i: int) -> int:
    """The part of a team's round capacity target ``i`` takes: all of it for a whole-team unit."""
    rounds = m.data.policy.rounds
    target = m.data.targets[i]
    return rounds.max_effort_per_team if target.category in rounds.whole_team_categories else target.effort


def _greedy_decisions(m: PlanModel) -> None:
    data, rounds = m.data, m.data.policy.rounds
    policy = data.round_policy(Kind.REGULAR)
    years = data.years
    # Priority per unit of effort first (Smith's rule for the risk-first sum); units due a
    # follow-up come ahead of their equals, since the rectification period must follow them.
    order = sorted(
        range(len(data.targets)),
        key=lambda i: (-data.priority(data.targets[i]) / data.targets[i].effort, not data.targets[i].follow_up),
    )
    per_round = max(1, len(_staffed_teams(m, Kind.REGULAR, list(range(len(data.teams)))))) * rounds.max_effort_per_team
    regular_slots = m.slots_of(Kind.REGULAR)
    wanted = max(policy.rounds_per_year_min * len(years),
                 ceil(sum(_share(m, i) for i in range(len(data.targets))) / per_round))
    n_regular = min(len(regular_slots), wanted)
    per_year = [n_regular // len(years) + (y < n_regular % len(years)) for y in range(len(years))]
    themes = list(m.slots_of(Kind.SPECIAL))
    special_year = {
        s.index: (th.year or years[min(n, len(years) - 1)])
        for n, (s, th) in enumerate(zip(themes, rounds.special.themes))
    }
    follow_slots = list(m.slots_of(Kind.FOLLOW_UP))
    st, pending, slots = _State(), list(order), iter(regular_slots)
    for y, year in enumerate(years):
        st.cursor = max(st.cursor, data.grid.year_ranges[year][0])
        st.year_end = data.grid.year_ranges[year][1]
        plan: list[Slot | str] = ["regular"] * per_year[y]
        plan[1:1] = [s for s in themes if special_year[s.index] == year]
        if follow_slots and y >= 1:
            plan.append("follow_up")
        for step in plan:
            if step == "regular":
                slot = next(slots, None)
                if slot is None or not pending:
                    continue
                _regular_round(m, st, slot, pending, ceil(sum(_share(m, i) for i in pending)
                                                               / max(1, n_regular - slot.index)))
            elif step == "follow_up":
                if follow_slots:
                    if _follow_up_round(m, st, follow_slots[0]):
                        follow_slots.pop(0)
            else:
                _special_round(m, st, step)
    _emit_hints(m, st)


def _regular_round(m: PlanModel, st: _State, slot: Slot, pending: list[int], quota: int) -> None:
    data, rounds = m.data, m.data.policy.rounds
    teams = _staffed_teams(m, Kind.REGULAR, list(range(len(data.teams))))
    bins: dict[int, list[int]] = {t: [] for t in teams}
    taken = 0
    whole = set(rounds.whole_team_categories)
    for i in list(pending):
        if taken >= quota:
            break
        target = data.targets[i]
        for t in teams:
            load = sum(data.targets[j].effort for j in bins[t])
            alone = bins[t] and (target.category in whole or data.targets[bins[t][0]].category in whole)
            if (not alone and len(bins[t]) < rounds.max_units_per_team
                    and load + target.effort <= rounds.max_effort_per_team
                    and data.teams[t].id not in target.avoid_teams):
                bins[t].append(i)
                pending.remove(i)
                taken += _share(m, i)
                break
    members = {t: b for t, b in bins.items() if b}
    if not members:
        return
    length = {t: max(data.stay(i, Kind.REGULAR) for i in b)
              for t, b in members.items()}
    start = _earliest(m, st, slot, list(members), max(length.values()))
    if start is None:
        pending.extend(i for b in members.values() for i in b)
        return
    for t, b in members.items():
        st.free[t] = start + length[t] + slot.report
        for i in b:
            st.regular_end[i], st.regular_team[i] = start + length[t], t
    st.cursor = start + max(length.values())
    st.rounds.append((slot, start, members))


def _special_round(m: PlanModel, st: _State, slot: Slot) -> None:
    special = m.data.policy.rounds.special
    theme = special.themes[slot.index - m.slots_of(Kind.SPECIAL)[0].index]
    teams = _staffed_teams(m, Kind.SPECIAL, list(range(len(m.data.teams))))[: theme.max_teams]
    if not teams:
        return
    weeks = max(special.onsite_weeks, -(-theme.scope_units // (len(teams) * special.units_per_team_week)))
    start = _earliest(m, st, slot, teams, weeks)
    if start is None or weeks > special.max_onsite_weeks:
        return
    for t in teams:
        st.free[t] = start + weeks + slot.report
    st.cursor = start + weeks
    m.cp.add_hint(slot.onsite, weeks)
    st.rounds.append((slot, start, {t: [] for t in teams}))


def _follow_up_round(m: PlanModel, st: _State, slot: Slot) -> bool:
    data, rounds = m.data, m.data.policy.rounds
    gap = rounds.follow_up.min_gap_weeks
    ready = [i for i, end in st.regular_end.items() if data.targets[i].follow_up and end + gap <= st.cursor]
    if not ready:
        return False
    teams = _staffed_teams(m, Kind.FOLLOW_UP, list(range(len(data.teams))))
    bins: dict[int, list[int]] = {t: [] for t in teams}
    for i in ready:
        for t in teams:
            if (t != st.regular_team[i] and len(bins[t]) < rounds.max_units_per_team
                    and sum(data.targets[j].effort for j in bins[t]) + data.targets[i].effort
                    <= rounds.max_effort_per_team and data.teams[t].id not in data.targets[i].avoid_teams):
                bins[t].append(i)
                break
    members = {t: b for t, b in bins.items() if b}
    if not members:
        return False
    weeks = max(data.stay(i, Kind.FOLLOW_UP)
                for b in members.values() for i in b)
    start = _earliest(m, st, slot, list(members), weeks)
    if start is None:
        return False
    for t in members:
        st.free[t] = start + weeks + slot.report
    for b in members.values():
        for i in b:
            st.regular_end.pop(i)
    st.cursor = start + weeks
    st.rounds.append((slot, start, members))
    return True
