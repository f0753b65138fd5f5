"""Whether a difference between two plans is proven, or within the solver's uncertainty.

A solve ends with a plan (its objective) and a bound: no plan of that
scenario can score below the bound. Two solves prove which scenario is
better only when their ranges do not overlap: the best plan of scenario B
costs at least ``B.bound - A.objective`` more than the best of A, and at
most ``B.objective - A.bound``. What-if comparisons, sweeps and ``why`` state
each difference with this verdict, and keep solving the pair while it is
undecided, up to a stated time, so the office is never shown noise as a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.vocabulary import WHOLE_LEVEL


@dataclass(frozen=True)
class Proven:
    """What solving a scenario proved: the best plan found and the bound on every plan."""

    objective: float
    bound: float

    @property
    def uncertainty(self) -> float:
        return max(0.0, self.objective - self.bound)

    def merged(self, other: Proven) -> Proven:
        """Two solves of the same scenario: the better plan, the higher bound."""
        return Proven(min(self.objective, other.objective), max(self.bound, other.bound))


@dataclass(frozen=True)
class Verdict:
    """The difference ``after - before`` between the best plans of two scenarios.

    ``low``/``high`` bound the difference of the optima; it is proven when both
    have the same sign (or both are 0).
    """

    found: float  # the difference between the two plans found
    low: float
    high: float
    uncertainty: float  # the larger of the two solves' uncertainties

    @property
    def proven(self) -> bool:
        return self.low > 0 or self.high < 0 or self.low == self.high == 0

    def text(self, unit: str = "", more: str = "高", less: str = "低") -> str:
        """The verdict in one Chinese phrase (``more``/``less``: 高/低 for costs, 多/少 for counts)."""
        if self.low == self.high == 0:
            return "已证明: 相同"
        if self.low > 0:
            return f"已证明: 至少{more} {self.low:,.0f}{unit}"
        if self.high < 0:
            return f"已证明: 至少{less} {-self.high:,.0f}{unit}"
        return f"在求解不确定度之内 (±{self.uncertainty:,.0f}{unit}), 未证明"


def compare(before: Proven, after: Proven) -> Verdict:
    """The verdict on ``after - before`` (e.g. variant minus baseline)."""
    return Verdict(after.objective - before.objective, after.bound - before.objective,
                   after.objective - before.bound, max(before.uncertainty, after.uncertainty))


def proven_of(meta: dict) -> Proven | None:
    """What a plan.json (or its committee block) proves, if it records objective and bound."""
    objective, bound = meta.get("objective"), meta.get("best_bound")
    # A whole-city plan's county bounds hold only for the city calendar of that run: nothing is proven.
    if objective is None or bound is None or meta.get("level") == WHOLE_LEVEL:
        return None
    return Proven(float(objective), max(0.0, float(bound)))
