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
