"""Linked sectors (上下联动: 每轮常规巡察选取两个系统, 市县同一系统的单位同轮巡察)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind


LINKED = "linked_sectors"


def add_linked_sectors(m: PlanModel) -> None:
    """Soft: each city regular round names up to ``sectors_per_round`` sectors (系统) among
    its own units' sectors, as many sectors as possible over the term (the report linked 14);
    in a whole-city plan each county inspects units of a named sector in a regular round that
    starts within ``sync_weeks`` of that city round (any such round: two city rounds close
    together can both link with it).

    City, for regular slot k and sector s the counties also have:
      name[k,s] <= sum_{i of sector s, t} x[i,k,t],   sum_s name[k,s] <= sectors_per_round,
      linked_s <= sum_k name[k,s];   penalised: sum_s (1 - linked_s).
    County, for each city round r (start s_r) naming sector s the county has units of:
      link[r,s] <= sum_j z[j,r,s],  z[j,r,s] => |start_j - s_r| <= W,  z[j,r,s] <= sum_{i of s, t} x[i,j,t];
      penalised: sum_{r,s} (1 - link[r,s]).
    """
    linkage = m.data.linkage
    if linkage is None or linkage.sectors_per_round == 0:
        return
    if m.data.calendar is None:
        _name_sectors(m)
    else:
        _follow_sectors(m)


def _units_of(m: PlanModel, slot_index: int, sector: str) -> list:
    return [v for i, _t, v in m.round_literals(slot_index) if m.data.targets[i].sector == sector]


def _name_sectors(m: PlanModel) -> None:
    cp = m.cp
    own = {t.sector for t in m.data.targets if t.sector}
    sectors = sorted(own & m.data.county_sectors)
    if not sectors:
        return
    named: dict[str, list] = {s: [] for s in sectors}
    for slot in m.slots_of(Kind.REGULAR):
        in_round = []
        for sector in sectors:
            units = _units_of(m, slot.index, sector)
            if not units:
                continue
            name = cp.new_bool_var(f"name_{slot.label}_{sector}")
            cp.add(name <= sum(units))
            m.named[slot.index, sector] = name
            named[sector].append(name)
            in_round.append(name)
        cp.add(sum(in_round) <= m.data.linkage.sectors_per_round)
    parts = {}
    for sector, names in named.items():
        linked = cp.new_bool_var(f"linked_{sector}")
        cp.add(linked <= sum(names))
        parts[sector] = 1 - linked
    m.add_penalty(Penalty(LINKED, m.data.policy.weights.linked_sectors, sum(parts.values()), parts))


def _follow_sectors(m: PlanModel) -> None:
    cp = m.cp
    mine = {t.sector for i, t in enumerate(m.data.targets) if t.sector and i not in m.data.cross_targets}
    weeks = m.data.linkage.sync_weeks
    parts = {}
    for city in m.data.calendar.regular:
        for sector in city.sectors:
            if sector not in mine:
                continue
            ways = []
            for slot in m.slots_of(Kind.REGULAR):
                units = _units_of(m, slot.index, sector)
                if not units:
                    continue
                z = cp.new_bool_var(f"z_{slot.label}_{city.number}_{sector}")
                cp.add(slot.start >= city.start - weeks).only_enforce_if(z)
                cp.add(slot.start <= city.start + weeks).only_enforce_if(z)
                cp.add(z <= sum(units))
                ways.append(z)
            link = cp.new_bool_var(f"link_{city.number}_{sector}")
            cp.add(link <= sum(ways))
            parts[f"{city.number}/{sector}"] = 1 - link
    if parts:
        m.add_penalty(Penalty(LINKED, m.data.policy.weights.linked_sectors, sum(parts.values()), parts))
