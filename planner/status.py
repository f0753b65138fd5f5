"""How a solve ended: one status enum for every solve, figure and plan read back.

CP-SAT's status is converted once, where a solver returns (:func:`planner.solver.status_of`);
everything above reads :class:`SolveStatus`. Both enums are string enums whose text is their
value, so plan.json, sweep.csv and every printout write the same words the solver's names were.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class SolveStatus(StrEnum):
    """What a solve ended with (CP-SAT's status names)."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    UNKNOWN = "UNKNOWN"
    MODEL_INVALID = "MODEL_INVALID"

    @property
    def has_plan(self) -> bool:
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def proven(self) -> bool:
        """The solve proved its answer: the best plan, or that there is none."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE)


class StopReason(StrEnum):
    PROOF = "proof"  # optimal or infeasible, proven
    COUNT = "count"  # infeasible, proven by the team-round count before any search
    TIME_LIMIT = "time_limit"
    INTERRUPTED = "interrupted"  # Ctrl-C


def recorded_status(meta: dict[str, Any]) -> SolveStatus | None:
    """The status a plan.json (or its committee block) records; None when it records none it
    knows (a plan drafted by hand or by another tool)."""
    value = meta.get("status")
    return SolveStatus(value) if value in tuple(SolveStatus) else None
