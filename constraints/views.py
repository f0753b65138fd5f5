"""What a rule reads besides the model: the greedy's draft (its guard) and a round of a plan's
table (its why-fact). Both are read-only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from planner.model import CommitteeData
from planner.scenario_settings import RoundPolicy
from planner.tables import Target, Team


class Draft(Protocol):
    """The greedy's plan as it grows (planner.greedy): the committee's data and its units' weights."""

    @property
    def data(self) -> CommitteeData: ...

    def whole_team(self, i: int) -> bool: ...  # unit i takes a team's round alone (整组巡察)

    def effort(self, targets: list[int]) -> int: ...


# May team t take unit i beside ``members``, the units it has in the round so far?
Guard = Callable[[Draft, int, list[int], int], bool]


@dataclass(frozen=True)
class EarlierRound:
    """The regular round before a unit's, as the plan's table shows it (planner.why)."""

    number: int
    rows: pd.DataFrame  # the round's rows
    target: Target  # the unit
    rounds: RoundPolicy  # the committee's round settings
    efforts: dict[str, int]  # every unit's effort, by id

    @property
    def out(self) -> set[str]:
        """The teams that went out in the round."""
        return set(self.rows["team"])


# Why the unit is not in the round, by this rule: of the round (team None), or of one team; None: not this rule.
WhyFact = Callable[[EarlierRound, Team | None], str | None]
