"""Rounds of one level follow each other: regular and special never overlap."""

from __future__ import annotations

from planner.model import PlanModel
from planner.vocabulary import Kind


def add_rounds_in_sequence(m: PlanModel) -> None:
    """Hard: regular and special/mobile rounds of one level never overlap in
    time, and a special round does not start before the previous regular
    round's on-site phase has ended (常规巡察与专项巡察不得并行, 轮次清楚).

    The planner enforces the stronger, simpler form the office asks for
    ("rounds clear"): the on-site windows of any two rounds of one level are
    disjoint. A round's window covers every team's on-site span:
      NoOverlap({window_k}),  window_k = [start_k, end_k),
      used[k,t] => end_k >= start_k + onsite[k,t],
      active_k <=> some team goes out in k.
    Slots of one kind are used in order, so rounds are numbered by start:
      active_k >= active_{k+1},  start_k <= start_{k+1}
    (regular slots within their year; the years keep them in order).
    """
    cp = m.cp
    cp.add_no_overlap([s.window for s in m.slots])
    teams = range(len(m.data.teams))
    for slot in m.slots:
        k = slot.index
        for t in teams:
            cp.add(slot.end >= slot.start + m.onsite[k, t]).only_enforce_if(m.used[k, t])
            if slot.kind != Kind.SPECIAL:
                cp.add_implication(m.used[k, t], slot.active)
        if slot.kind != Kind.SPECIAL:
            cp.add_bool_or([m.used[k, t] for t in teams]).only_enforce_if(slot.active)
    for kind in (Kind.REGULAR, Kind.FOLLOW_UP):
        same = m.slots_of(kind)
        for a, b in zip(same, same[1:]):
            if a.year == b.year:
                cp.add_implication(b.active, a.active)
                cp.add(a.start <= b.start)
