"""Round policy: rounds per year, special rounds' themes, teams and length."""

from __future__ import annotations

import datetime as dt

from constraints.views import EarlierRound
from planner.model import PlanModel
from planner.model_types import Relax
from planner.tables import Team
from planner.vocabulary import Kind


def add_rounds_per_year(m: PlanModel) -> None:
    """Hard: each year has between ``rounds_per_year_min`` and
    ``rounds_per_year_max`` rounds of each kind (a round belongs to the year its
    on-site phase starts); a special theme with a year runs in that year.

    in_year[k,y] => first_week(y) <= start_k < first_week(y+1),
    sum_y in_year[k,y] = active_k,
    min_kind <= sum_{k of kind} in_year[k,y] <= max_kind
    (the minimum for regular rounds, in years wholly inside the horizon; a
    county's cross round counts as one of its regular rounds).
    Regular slots are indexed by year (slot (y, j), j < max_regular): their
    start is kept in year y, first_week(y) <= start_k < first_week(y+1), so
    in_year[k,y] = active_k, the most a year holds is the slots it has, and the
    sums are linear in the slots' activity.
    Switchable per year (Relax.ROUNDS): one more slot in each year, r_y in {0, 1}.
    """
    cp, ranges = m.cp, m.data.grid.year_ranges
    for slot in m.slots:
        if slot.year is not None:
            lo, hi = ranges[slot.year]
            if max(lo, slot.prep) < hi:
                cp.add(slot.start >= lo)
                cp.add(slot.start < hi)
            else:  # the year ends before a round's preparation fits in it
                cp.add(slot.active == 0)
        m.year_flags(slot)
        if slot.kind == Kind.SPECIAL:
            year = m.data.policy.rounds.special.themes[slot.index - m.slots_of(Kind.SPECIAL)[0].index].year
            if year is not None:
                cp.add(slot.in_year[year] == 1)
    horizon = m.data.horizon
    for kind in (Kind.REGULAR, Kind.SPECIAL, Kind.FOLLOW_UP):
        policy, slots = m.data.round_policy(kind), m.slots_of(kind)
        if kind == Kind.REGULAR:
            slots = slots + m.slots_of(Kind.CROSS)
        for year in ranges:
            count = sum(s.in_year.get(year, 0) for s in slots)
            more = 0
            if kind == Kind.REGULAR and Relax.ROUNDS in m.relax:
                more = m.relaxation(Relax.ROUNDS, str(year), {"rounds": (0, 1)}).amounts["rounds"]
            cp.add(count <= policy.rounds_per_year_max + more)
            whole_year = horizon.start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= horizon.end
            if kind == Kind.REGULAR and whole_year:
                cp.add(count >= policy.rounds_per_year_min)


def add_units_per_year(m: PlanModel) -> None:
    """Hard: in every year wholly inside the term, the regular rounds starting in it inspect at
    least ``units_per_year_min`` units (a town with its villages counts once; 每年巡察单位数).

    sum_{k regular, year_k = y} sum_{i, t} x[i,k,t] >= units_per_year_min   (regular slots are
    indexed by year, so the sum is linear). Nothing is added when the minimum is 0.
    """
    least = m.data.policy.rounds.units_per_year_min
    if not least:
        return
    horizon = m.data.horizon
    for year in m.data.grid.year_ranges:
        if horizon.start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= horizon.end:
            m.cp.add(sum(v for slot in m.slots_of(Kind.REGULAR) if slot.year == year
                         for _i, _t, v in m.round_literals(slot.index)) >= least)


def add_special_round_scope(m: PlanModel) -> None:
    """Hard: a special round (专项巡察) sends 1..max_teams teams, and lasts long
    enough for its scope: with n teams checking ``units_per_team_week`` units
    a week, onsite_s >= ceil(scope_s / (n * rate)), within max_onsite_weeks.

    sum_t used[s,t] = n_s,  n_s = sum_n n * pick[s,n],  pick[s,n] => onsite_s >= need(n).
    """
    cp, special = m.cp, m.data.policy.rounds.special
    for slot, theme in zip(m.slots_of(Kind.SPECIAL), special.themes):
        teams = [m.used[slot.index, t] for t in range(len(m.data.teams))]
        top = min(theme.max_teams, len(teams))
        picks = {n: cp.new_bool_var(f"teams{n}_{slot.label}") for n in range(1, top + 1)}
        cp.add_exactly_one(picks.values())
        cp.add(sum(teams) == sum(n * v for n, v in picks.items()))
        for n, v in picks.items():
            need = special.scope_weeks(theme, n)
            cp.add(slot.onsite >= need).only_enforce_if(v)


def round_too_short(round_: EarlierRound, team: Team | None) -> str | None:
    """Why-fact: the round's on-site weeks are fewer than the unit needs."""
    if team is not None:
        return None
    rows, number = round_.rows, round_.number
    weeks = (rows["onsite_end"].max() - rows["onsite_start"].min()).days // 7 + 1
    need = round_.rounds.regular.onsite_weeks_for(round_.target.category)
    if need > weeks:
        return f"第{number}轮进驻{weeks}周, 本单位需要{need}周 (整轮须延长, 与前后轮次、禁止进驻时段相碰)"
    return None
