"""Types shared by the model builder and the rule families: they sit below both.

:mod:`planner.model` creates the variables and :mod:`constraints` adds the
rules; both speak of pinned rows, switchable rule groups and penalty terms,
which live here so that neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ortools.sat.python import cp_model

from planner.vocabulary import Kind


@dataclass(frozen=True)
class Pin:
    """A (target or theme, team) row of an executed round that must stay as it was."""

    kind: Kind
    start_week: int
    team: str
    target: str = ""
    theme: str = ""
    onsite_weeks: int = 0


class Relax(str, Enum):
    """Hard rule groups that can be switched off, to explain why no plan exists."""

    COVERAGE = "coverage"  # per target
    STAFFING = "staffing"  # per year: drafted cadres and leaders per round
    ROUNDS = "rounds"  # per year: the most regular rounds
    FIXED = "fixed"  # per decision of the office (锁定事项)


@dataclass
class Relaxation:
    """One switchable group: ``holds`` is true when the rule holds as stated;
    otherwise the ``amounts`` (0 while it holds) say how far it is relaxed."""

    rule: Relax
    key: str
    holds: cp_model.IntVar
    amounts: dict[str, cp_model.LinearExprT]


@dataclass
class Penalty:
    """A named soft-rule term: ``weight * expr``; ``parts`` traces it to objects."""

    rule: str
    weight: int
    expr: cp_model.LinearExprT
    parts: dict[str, cp_model.LinearExprT] = field(default_factory=dict)


@dataclass(frozen=True)
class Anchor:
    """Where a plan to stay close to had a unit's round (by target and kind) or a special round
    (by theme): its first on-site week and its team (the teams, for a special round)."""

    kind: Kind
    start_week: int
    teams: tuple[str, ...]
    target: str = ""
    theme: str = ""


@dataclass(frozen=True)
class Baseline:
    """A plan to stay close to (re-planning, or re-drafting after an edit), and what a change costs:
    per unit whose on-site start moves, per week it moves, per unit that changes team."""

    anchors: tuple[Anchor, ...]
    move_weight: int
    week_weight: int
    team_weight: int


@dataclass(frozen=True)
class CityRound:
    """A city regular round as the counties follow it: weeks on the grid, the sectors it links."""

    number: int
    start: int
    end: int  # the week after its last on-site week
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class CityCalendar:
    """The city's plan as a county plan is drafted against it (whole-city plan): the regular rounds
    county rounds start with (同步), the special rounds by theme, the cross rounds' windows."""

    regular: tuple[CityRound, ...]
    special: tuple[tuple[str, int], ...] = ()  # (theme, start week)
    cross: tuple[tuple[int, int], ...] = ()  # per cross round of the scenario: (start week, on-site weeks)

    def special_start(self, theme: str) -> int | None:
        return next((start for name, start in self.special if name == theme), None)


@dataclass(frozen=True)
class CountyRequests:
    """What the counties' plans ask of the city's calendar when it is drafted again (coupling
    pass of a whole-city plan, see constraints.county_requests)."""

    regular: tuple[tuple[int, int], ...] = ()  # (week, county regular rounds starting then)
    special: tuple[tuple[str, int], ...] = ()  # (theme, start week) of the city specials they follow
    cross: tuple[int, ...] = ()  # start week of each cross window their cross rounds use
    team_rounds: tuple[TeamRoundsAsked, ...] = ()  # counties whose teams need more city rounds to keep in step


@dataclass(frozen=True)
class TeamRoundsAsked:
    """A county that, in step with the city, needs more regular team-rounds than the city's calendar
    offers (constraints.team_rounds.InStep): each city regular round gives each of its teams one,
    but none to a team on a cross round when it starts in a shadow lo < start < hi."""

    county: str
    needed: int  # team-rounds its units need
    teams: int
    cross_teams: int
    shadows: tuple[tuple[int, int], ...] = ()
