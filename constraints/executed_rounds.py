"""Executed rounds stay as they were (mid-term re-planning, 中期调整)."""

from __future__ import annotations

from collections import defaultdict

from planner.model import PlanModel, Slot
from planner.model_types import Pin
from planner.vocabulary import Kind


def pinned_slots(m: PlanModel) -> dict[int, list[Pin]]:
    """Slot index -> the pins of the executed round it holds.

    Executed rounds start before every other round, and slots of one kind are
    used in start order, so an executed round takes the first free slot of its
    kind (a regular one: of its year); a special round takes the slot of its theme.
    """
    rounds: dict[tuple, list[Pin]] = defaultdict(list)
    for pin in m.pins:
        rounds[pin.kind, pin.start_week, pin.theme].append(pin)
    slots: dict[int, list[Pin]] = {}
    for kind in (Kind.REGULAR, Kind.FOLLOW_UP):
        for key in sorted(key for key in rounds if key[0] == kind):
            slot = m.free_slot(kind, key[1], set(slots))
            if slot is None:
                year = m.data.grid.year_of(key[1])
                raise ValueError(f"已执行的{kind.value}轮次多于模型的轮次位置 ({year}年)")
            slots[slot.index] = rounds[key]
    themes = {s.theme: s for s in m.slots_of(Kind.SPECIAL)}
    for key, pins in rounds.items():
        if key[0] == Kind.SPECIAL:
            if key[2] not in themes:
                raise ValueError(f"已执行的专项巡察 '{key[2]}' 不在场景的专项主题中")
            slots[themes[key[2]].index] = pins
    return slots


def add_executed_rounds(m: PlanModel) -> None:
    """Hard: a round whose on-site phase started before the re-planning date
    (已经进驻的轮次) keeps its start, teams, targets and on-site length; every
    other round starts, preparation included, on or after that date.

    For an executed round r in slot k (pins P_r):
      start_k = start_r,  active_k = 1,
      used[k,t] = 1 iff t in teams(P_r),  x[i,k,t] = 1 iff (i,t) in P_r,
      onsite[k,t] = onsite_r(t)  for t in teams(P_r);
    for every other slot k:  active_k  =>  start_k - prep_k >= as_of_week.
    """
    pinned = pinned_slots(m)
    team_index = {team.id: t for t, team in enumerate(m.data.teams)}
    target_index = {target.id: i for i, target in enumerate(m.data.targets)}
    for slot in m.slots:
        pins = pinned.get(slot.index)
        if pins is None:
            if m.as_of_week:
                m.cp.add(slot.start - slot.prep >= m.as_of_week).only_enforce_if(_active(slot))
            continue
        _keep(m, slot, pins, team_index, target_index)


def _active(slot: Slot) -> list:
    """The slot's activity literal; a special slot is always active."""
    return [] if isinstance(slot.active, int) else [slot.active]


def _keep(m: PlanModel, slot: Slot, pins: list[Pin], team_index: dict[str, int], target_index: dict[str, int]) -> None:
    cp, k = m.cp, slot.index
    cp.add(slot.start == pins[0].start_week)
    cp.add_bool_and(_active(slot))
    teams = {team_index[p.team]: p.onsite_weeks for p in pins}
    riders = {r.id for rs in m.data.riders.values() for r in rs}  # they follow their town
    unknown = sorted(p.target for p in pins if p.target and p.target not in target_index and p.target not in riders)
    if unknown:
        raise ValueError(f"已执行的轮次中有不属于本方案的巡察对象: {'、'.join(unknown)}")
    rows = {(target_index[p.target], team_index[p.team]) for p in pins if p.target in target_index}
    for t in range(len(m.data.teams)):
        cp.add(m.used[k, t] == int(t in teams))
        if t in teams:
            cp.add(m.onsite[k, t] == teams[t])
        for i, v in m.in_round(k, t):
            cp.add(v == int((i, t) in rows))
