"""Ctrl-C during a solve stops the search and keeps the best plan, marked not proven."""

import os
import signal

from planner.loading import load_scenario
from planner.solve import SolveSettings, draft_plan


def test_ctrl_c_keeps_the_best_plan(ctrl_c_reaches_python):
    sent = []

    def interrupt_on_first_plan(_progress):
        if not sent:
            sent.append(True)
            os.kill(os.getpid(), signal.SIGINT)

    solution = draft_plan(load_scenario(), settings=SolveSettings(time_limit=120), progress=interrupt_on_first_plan)
    assert sent
    assert solution.stopped_by == "interrupted"
    assert solution.status == "FEASIBLE"
    assert solution.solve_seconds < 60
    # 112 city targets and the 149 villages riding with the elevated towns
    assert sum(len(t.targets) for r in solution.rounds if r.kind.value == "regular" for t in r.teams) == 112 + 149
