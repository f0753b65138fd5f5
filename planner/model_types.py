"""Types shared by the model builder and the rule families: they sit below both.

:mod:`planner.model` creates the variables and :mod:`constraints` adds the
rules; both speak of pinned rows, switchable rule groups and penalty terms,
which live here so that neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ortools.sat.python import cp_model

from planner.scenario import Kind


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
