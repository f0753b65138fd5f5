"""No county disturbed twice in a short time (对县区不重复打扰)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty
from planner.vocabulary import Kind


QUIET = "county_quiet"


def add_county_quiet(m: PlanModel) -> None:
    """Soft, or hard with ``linkage.quiet_hard``: every visit into a county by someone other
    than its own teams — the city inspecting the county committee, the city's elevated towns
    there (提级巡察) and their 回头看, a city special round whose scope takes in the county, a
    cross round — falls in the same round as the others, or at least ``quiet_months`` apart
    (the report: 对县区在不同时间段上有重复巡察现象).

    With v[c,a] = round a visits county c (regular or 回头看: some unit of c is in it; special:
    its theme visits c; cross: every county), and Q the quiet weeks, for each county c and
    rounds a != b:
      apart[a,b] => start_b >= end_a + Q,
      close[c,a,b] >= v[c,a] + v[c,b] - 1 - apart[a,b] - apart[b,a]   (hard: close = 0).
    Penalised: sum_c sum_{a<b} close[c,a,b], each pair of visits too close.
    """
    if m.data.linkage is None or not m.data.county_units:
        return
    linkage, cp = m.data.linkage, m.cp
    quiet = linkage.quiet_weeks
    windows = [(s.label, s.start, s.end, s) for s in m.slots]
    windows += [(f"cross#{n}", c.start, c.start + c.weeks, None) for n, c in enumerate(m.cross_windows)]
    apart: dict[tuple[int, int], object] = {}

    def gap(a: int, b: int):
        """Literal: window b starts at least Q weeks after window a ends."""
        if (a, b) not in apart:
            literal = cp.new_bool_var(f"apart_{windows[a][0]}_{windows[b][0]}")
            cp.add(windows[b][1] >= windows[a][2] + quiet).only_enforce_if(literal)
            apart[a, b] = literal
        return apart[a, b]

    parts = {}
    for county, units in sorted(m.data.county_units.items()):
        visits = [(n, _visit(m, slot, county, units)) for n, (_l, _s, _e, slot) in enumerate(windows)]
        visits = [(n, v) for n, v in visits if v is not None]
        for x, (a, va) in enumerate(visits):
            for b, vb in visits[x + 1:]:
                in_order = windows[a][3] is not None and windows[b][3] is not None and \
                    windows[a][3].kind == windows[b][3].kind != Kind.SPECIAL
                # Regular slots, and 回头看 slots, are used in start order: a < b means b starts later.
                separated = gap(a, b) if in_order else gap(a, b) + gap(b, a)
                if linkage.quiet_hard:
                    cp.add(separated >= 1).only_enforce_if(*_literals(va, vb))
                    continue
                close = cp.new_bool_var(f"close_{county}_{windows[a][0]}_{windows[b][0]}")
                cp.add(close >= va + vb - 1 - separated)
                parts[f"{county}/{windows[a][0]}/{windows[b][0]}"] = close
    if parts:
        m.add_penalty(Penalty(QUIET, m.data.policy.weights.county_quiet, sum(parts.values()), parts))


def _visit(m: PlanModel, slot, county: str, units: frozenset[int]):
    """1, 0-1 literal, or None: whether the round of ``slot`` (None: a cross window) visits the county:
    a special round by its theme, a regular or 回头看 round by its units."""
    if slot is None:
        return 1
    if slot.kind == Kind.SPECIAL:
        return 1 if county in m.data.special_counties.get(slot.theme, ()) else None
    literals = [v for i, _t, v in m.round_literals(slot.index) if i in units]
    if not literals:
        return None
    visit = m.cp.new_bool_var(f"visit_{county}_{slot.label}")
    for literal in literals:
        m.cp.add_implication(literal, visit)
    m.cp.add_bool_or(literals).only_enforce_if(visit)
    return visit


def _literals(*values) -> list:
    return [v for v in values if not isinstance(v, int)]
