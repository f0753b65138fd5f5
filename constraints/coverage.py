"""Full coverage (全覆盖)."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty, Relax
from planner.vocabulary import Kind


UNCOVERED = "uncovered"  # the penalty (and slack) of a target left out
# Per uncovered target: above what every other soft rule of a plan adds up to.
UNCOVERED_WEIGHT = 100_000


def add_full_coverage(m: PlanModel) -> None:
    """Hard: every target is inspected exactly once in the term (全覆盖), and every
    target planned for a follow-up (回头看) gets exactly one follow-up round.

    For each target i:   sum_{k regular, t} x[i,k,t] = 1 (a unit another county
    gives up to cross inspection: sum over the cross rounds instead),
    and if follow_up(i): sum_{k follow-up, t} x[i,k,t] = 1.
    Switchable per target (Relax.COVERAGE, ``--allow-uncovered``): with
    covered_i = the rule holds for i, the sums are <= 1, = 1 when covered_i,
    the follow-up needs the regular round, and each uncovered target costs
    UNCOVERED_WEIGHT, more than any other soft rule can.
    """
    parts = {}
    for i, target in enumerate(m.data.targets):
        regular = [v for _, _, v in m.assigned(i, Kind.CROSS if i in m.data.cross_targets else Kind.REGULAR)]
        follow = [v for _, _, v in m.assigned(i, Kind.FOLLOW_UP)] if target.follow_up else []
        if Relax.COVERAGE not in m.relax:
            m.cp.add_exactly_one(regular)
            if follow:
                m.cp.add_exactly_one(follow)
            continue
        relaxation = m.relaxation(Relax.COVERAGE, target.id, {})
        covered = m.covered[i] = relaxation.holds
        relaxation.amounts[UNCOVERED] = 1 - covered
        m.cp.add(sum(regular) == 1).only_enforce_if(covered)
        m.cp.add(sum(regular) <= 1)
        if follow:
            m.cp.add(sum(follow) == 1).only_enforce_if(covered)
            m.cp.add(sum(follow) <= sum(regular))
        parts[target.id] = 1 - covered
    if parts:
        m.uncovered = m.cp.new_int_var(0, len(parts), UNCOVERED)
        m.cp.add(m.uncovered == sum(parts.values()))
        m.add_penalty(Penalty(UNCOVERED, UNCOVERED_WEIGHT, m.uncovered, parts))


def add_follow_up_after_rectification(m: PlanModel) -> None:
    """Hard: a follow-up (回头看) starts only after the rectification period
    (整改期) that follows the target's regular round.

    With R_i the week the regular on-site window of target i ends:
      x[i,k,t] (k regular)  =>  R_i = start_k + onsite[k,t]
      x[i,f,t] (f follow-up) =>  start_f >= R_i + min_gap_weeks
    """
    gap = m.data.policy.rounds.follow_up.min_gap_weeks
    for i, target in enumerate(m.data.targets):
        if not target.follow_up:
            continue
        regular_end = m.cp.new_int_var(0, m.horizon_weeks, f"regular_end_{target.id}")
        for k, t, v in m.assigned(i, Kind.REGULAR):
            m.cp.add(regular_end == m.slots[k].start + m.onsite[k, t]).only_enforce_if(v)
        for f, _, v in m.assigned(i, Kind.FOLLOW_UP):
            m.cp.add(m.slots[f].start >= regular_end + gap).only_enforce_if(v)
