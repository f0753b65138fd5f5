"""Ctrl-C during a solve stops the search and keeps the best plan, marked not proven."""

import os
import signal

import pytest

from planner.loading import load_scenario
from planner.overrides import apply_overrides
from planner.solve import SolveSettings, draft_plan


@pytest.mark.parametrize("report", [1, 2], ids=["on the greedy plan shown at once", "during the search"])
def test_ctrl_c_keeps_the_best_plan(ctrl_c_reaches_python, report):
    seen = []

    def interrupt_on_a_plan(progress):
        seen.append(progress)
        if len(seen) == report:
            os.kill(os.getpid(), signal.SIGINT)

    # The quiet rule soft: the greedy start, the first report, does not guard it.
    scenario = apply_overrides(load_scenario(), ["linkage.quiet_hard=false"])
    solution = draft_plan(scenario, settings=SolveSettings(time_limit=120), progress=interrupt_on_a_plan)
    assert len(seen) >= report
    assert solution.stopped_by == "interrupted"
    assert solution.status == "FEASIBLE"
    assert solution.solve_seconds < 60
    # 112 city targets and the 149 villages riding with the elevated towns
    assert sum(len(t.targets) for r in solution.rounds if r.kind.value == "regular" for t in r.teams) == 112 + 149
