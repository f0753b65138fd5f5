"""A solved plan as plain Python objects: nothing here touches CP-SAT.

The solver's values are converted to a :class:`Solution` at once (see
:mod:`planner.solve`); export, checks and charts read only this or the files
written from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.status import SolveStatus, StopReason
from planner.vocabulary import Committee, Kind, Level


@dataclass(frozen=True)
class TeamRound:
    """One team in one round."""

    team: str
    onsite_weeks: int
    targets: tuple[str, ...] = ()
    drafted: int = 0
    leader_drafted: bool = False


@dataclass(frozen=True)
class RoundPlan:
    """A round: kind, start week (on the scenario's week grid) and its teams."""

    kind: Kind
    start_week: int
    prep_weeks: int
    report_weeks: int
    teams: tuple[TeamRound, ...]
    theme: str = ""
    sectors: tuple[str, ...] = ()  # a city regular round of a whole-city plan: the sectors it links (联动系统)

    @property
    def onsite_weeks(self) -> int:
        return max(t.onsite_weeks for t in self.teams)


@dataclass(frozen=True)
class Solution:
    """The best plan found, with how good it is proven to be."""

    committee: Committee
    status: SolveStatus
    rounds: tuple[RoundPlan, ...]
    objective: float | None = None
    best_bound: float | None = None
    solve_seconds: float = 0.0
    penalties: dict[str, int] = field(default_factory=dict)
    penalty_parts: dict[str, dict[str, int]] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=dict)
    stopped_by: StopReason = StopReason.TIME_LIMIT
    uncovered: tuple[str, ...] = ()  # targets left out (coverage allowed to slip), villages of a left-out town too
    cross: tuple[tuple[int, int], ...] = ()  # the city of a whole-city plan: (start week, on-site weeks) of each cross round
    seed: int = 0
    workers: int = 8
    # Proven: every plan leaves at least this many targets out (coverage elastic; 0 = not proven).
    uncovered_bound: int = 0

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.best_bound is None:
            return None
        if self.objective == self.best_bound:
            return 0.0
        return abs(self.objective - self.best_bound) / max(abs(self.objective), 1e-9)

    @property
    def has_plan(self) -> bool:
        return self.status.has_plan

    @property
    def complete(self) -> bool:
        """A plan that covers every target."""
        return self.has_plan and not self.uncovered

    @property
    def level(self) -> Level:
        return self.committee.level

    @property
    def county(self) -> str:
        return self.committee.county
