"""Team-rounds: a count that settles a term too short for its units (implied, not a new rule)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from planner.model_types import Relax
from planner.scenario import Kind

if TYPE_CHECKING:
    from planner.model import PlanModel


@dataclass(frozen=True)
class TeamRoundCount:
    """The regular team-rounds (组次) a term offers against those its units need."""

    teams_out: int  # the most teams the pools staff in one regular round
    rounds: int  # regular rounds the term allows
    whole: int  # units that take a team's round alone (整组巡察)
    others: int  # the other units
    effort: int  # their effort, each capped at a team-round's
    per_team: int  # units a team covers in one round at most
    max_effort: int  # effort a team covers in one round at most

    @property
    def available(self) -> int:
        return self.teams_out * self.rounds

    @property
    def needed(self) -> int:
        return self.whole + max(-(-self.others // self.per_team), -(-self.effort // self.max_effort))

    @property
    def deficit(self) -> int:
        """Units every plan leaves out at least: each unit left out frees at most one team-round."""
        return max(0, self.needed - self.available)


def most_teams_out(needs: list[tuple[int, bool]], drafted_pool: int, leader_pool: int) -> int:
    """The most teams the pools can staff at once, each team given as (drafted cadres it needs,
    whether it needs a drafted leader): a knapsack over (drafted cadres, leaders) used, counting teams."""
    best = {(0, 0): 0}  # (drafted, leaders) used -> most teams
    for need, leader in needs:
        for (drafted, leaders), count in list(best.items()):
            key = (drafted + need, leaders + leader)
            if key[0] <= drafted_pool and key[1] <= leader_pool and best.get(key, -1) < count + 1:
                best[key] = count + 1
    return max(best.values())


def count_team_rounds(m: PlanModel) -> TeamRoundCount | None:
    """The count of :func:`add_team_round_count`; None when executed rounds are kept (they went
    out with the staff of their day, so the pools do not bound them)."""
    if m.pins:
        return None
    rounds = m.data.policy.rounds
    targets = [t for i, t in enumerate(m.data.targets) if i not in m.data.cross_targets]
    others = [t for t in targets if t.category not in rounds.whole_team_categories]
    staff = m.data.staff
    needs = [(m.data.need_drafted(team, Kind.REGULAR), not team.has_leader) for team in m.data.teams
             if not m.data.policy.too_large(team, Kind.REGULAR)]
    return TeamRoundCount(most_teams_out(needs, staff.drafted_pool, staff.leader_pool),
                          m.data.round_policy(Kind.REGULAR).rounds_per_year_max * len(m.data.years),
                          len(targets) - len(others), len(others),
                          sum(min(t.effort, rounds.max_effort_per_team) for t in others),
                          rounds.max_units_per_team, rounds.max_effort_per_team)


def add_team_round_count(m: PlanModel) -> None:
    """Implied by staffing, rounds per year, capacity and coverage: a term offers
    so many regular team-rounds (组次), and its units need at least so many.

    In the office's words: in one round at most n teams can go out with the
    drafted cadres and leaders there are; the term has at most R regular rounds;
    a county takes a team's round alone, other units go at most three to a team
    and within a team's effort. With W whole-team units and U others of summed
    effort E (cross units aside, they go in cross rounds; an effort above a
    team-round's counts as one team-round's):
      available = n * R,   needed = W + max(ceil(U / max_units), ceil(E / max_effort)),
    and each unit left out frees at most one team-round, so
      uncovered >= needed - available.
    The search cannot see this alone (the LP staffs part of a team with the
    pools' rest); with it, a term too short for its units is proven so at once
    (``xuncha explain`` gives the count as the reason). Added only where coverage
    may slip and the pools and rounds per year are as stated; nothing is added
    when the count leaves no deficit, so feasible scenarios get the same model.
    """
    floor = proven_uncovered(m)
    if floor:
        m.cp.add(m.uncovered >= floor)


def proven_uncovered(m: PlanModel) -> int:
    """The units every plan of ``m`` leaves out by the count (0 when the count does not apply)."""
    if Relax.COVERAGE not in m.relax or m.relax & {Relax.STAFFING, Relax.ROUNDS} or m.uncovered is None:
        return 0
    count = count_team_rounds(m)
    return count.deficit if count is not None else 0
