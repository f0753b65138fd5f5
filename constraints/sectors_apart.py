"""Sectors apart (同一巡察组相邻两轮不巡察同一系统): an optional rule an office switches on."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from planner.model import PlanModel
from planner.rule_checks import CheckedPlan, Finding, TableRound
from planner.tables import Target
from planner.vocabulary import Kind

ID = "sectors_apart"


def add_sectors_apart(m: PlanModel) -> None:
    """Hard where the committee's ``rounds.extra_rules`` names ``sectors_apart``: a team does not
    inspect units of one sector (系统) in two of its regular rounds in a row, so that no team
    grows familiar with one sector. Units with no sector, and the villages riding with a town
    (the town is the unit), are not counted.

    For team t, regular slots k < l (in start order) and a sector s of two or more units:
      has[k,t,s] >= x[i,k,t] for every unit i of s,
      has[k,t,s] + has[l,t,s] <= 1 + sum_{k<j<l} used[j,t].
    """
    if ID not in m.data.policy.rounds.extra_rules:
        return
    units: dict[str, set[int]] = defaultdict(set)
    for i, target in enumerate(m.data.targets):
        if target.sector:
            units[target.sector].add(i)
    slots = [s.index for s in m.slots_of(Kind.REGULAR)]
    for t in range(len(m.data.teams)):
        for sector, members in units.items():
            if len(members) < 2:
                continue
            has = {}  # position of the slot in start order -> the team holds a unit of the sector there
            for n, k in enumerate(slots):
                literals = [v for i, v in m.in_round(k, t) if i in members]
                if literals:
                    has[n] = m.cp.new_bool_var(f"sector_{k}_{t}_{sector}")
                    for v in literals:
                        m.cp.add_implication(v, has[n])
            for a in has:
                for b in (b for b in has if b > a):
                    m.cp.add(has[a] + has[b] <= 1 + sum(m.used[slots[j], t] for j in range(a + 1, b)))


def sector_of(target: Target) -> str:
    """The trait the rule reads: two units of different sectors are not interchangeable."""
    return target.sector


def sectors_kept_apart(plan: CheckedPlan) -> Iterator[Finding]:
    """同一巡察组相邻两轮不巡察同一系统 (where ``rounds.extra_rules`` names it): no team's two
    regular rounds in a row both hold units of one sector; villages are not counted."""
    for county, rounds in plan.committees.items():
        if ID not in plan.policy(county).rounds.extra_rules:
            continue
        by_team: dict[str, list[TableRound]] = defaultdict(list)
        for rnd in rounds:
            if rnd.kind == Kind.REGULAR:
                for team in rnd.teams:
                    by_team[team].append(rnd)
        for team, own in by_team.items():
            for a, b in zip(own, own[1:]):
                sectors_a, sectors_b = _sectors(plan, a, team), _sectors(plan, b, team)
                for sector in sorted(set(sectors_a) & set(sectors_b)):
                    units = (*sectors_a[sector], *sectors_b[sector])
                    yield Finding(f"{plan.team_label(team)} 在相邻的{a.label}和第{b.number}轮都巡察{sector}系统的单位 "
                                  f"({'、'.join(plan.target_label(u) for u in units)})",
                                  (a.number, b.number), (team,), units)


def _sectors(plan: CheckedPlan, rnd: TableRound, team: str) -> dict[str, list[str]]:
    """The units of ``team`` in ``rnd`` by sector, villages and units of no sector left out."""
    found: dict[str, list[str]] = defaultdict(list)
    for row in rnd.teams[team]:
        target = plan.targets.get(row.target)
        if target is not None and target.sector and target.category != "village":
            found[target.sector].append(target.id)
    return found
