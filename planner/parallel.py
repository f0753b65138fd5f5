"""Plan several committees at once (the seven counties), each solve in a process of its own.

Committees share nothing but the calendar, so their plans are solved side by
side in a pool of worker processes; progress comes back through a queue, and
Ctrl-C in the parent stops every running solve, which keeps its best plan.
The time limit is the wall-clock budget of the whole run: with ``jobs``
processes and ``n`` committees each solve gets ``time_limit * jobs / n``.
A committee that finds no plan may be drafted once more (a follow-up, such
as the whole city's probe with sync soft) in the slot it leaves free.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from multiprocessing.managers import SyncManager

import pandas as pd

from planner.baseline import baseline_of
from planner.model_types import CityCalendar
from planner.scenario import Scenario
from planner.solution import Solution
from planner.solve import Progress, SolveSettings, draft_plan
from planner.vocabulary import Committee

MIN_SECONDS = 5.0  # no committee gets less, whatever the budget


@dataclass(frozen=True)
class CommitteeProgress:
    """A report from a worker: a committee started, found a better plan, or finished."""

    committee: Committee
    progress: Progress | None = None
    solution: Solution | None = None


@dataclass(frozen=True)
class FollowUp:
    """A committee drafted once more after its solve found no plan: on ``scenario``, for ``settings``."""

    scenario: Scenario
    settings: SolveSettings


def share_of(time_limit: float, jobs: int, committees: int) -> float:
    """Seconds of search each committee gets when ``jobs`` run at once within ``time_limit``."""
    return max(MIN_SECONDS, time_limit * min(jobs, committees) / max(committees, 1))


def _ignore_sigint() -> None:
    # The parent owns Ctrl-C and stops the workers through the shared event.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _solve_one(scenario: Scenario, committee: Committee, settings: SolveSettings, allow_uncovered: bool,
               reports, stopping, calendar: CityCalendar | None, start: pd.DataFrame | None = None,
               free: bool = False, hint: pd.DataFrame | None = None) -> Solution:
    reports.put(CommitteeProgress(committee))
    baseline = None if start is None else baseline_of(start, scenario, committee, free)
    solution = draft_plan(scenario, committee, settings, lambda p: reports.put(CommitteeProgress(committee, p)),
                          allow_uncovered=allow_uncovered, stop=stopping.is_set, whole=calendar is not None,
                          calendar=calendar, start=start if hint is None else hint, baseline=baseline)
    reports.put(CommitteeProgress(committee, solution=solution))
    return solution


def draft_plans(
    scenario: Scenario,
    committees: list[Committee],
    settings: SolveSettings,
    jobs: int = 2,
    on_report: Callable[[CommitteeProgress], None] | None = None,
    allow_uncovered: bool = False,
    calendar: CityCalendar | None = None,
    start: pd.DataFrame | None = None,
    free: bool = False,
    hints: dict[Committee, pd.DataFrame] | None = None,
    follow_up: FollowUp | None = None,
    seconds: dict[Committee, float] | None = None,
) -> tuple[list[Solution], bool]:
    """Plan every committee; return the solutions in the order given and whether Ctrl-C stopped the run.

    A committee whose solve had not started when Ctrl-C came has no solution. With the city's
    ``calendar``, each county is drafted as part of a whole-city plan (see planner.whole).
    ``start``: a plan table to start from and stay close to (``free``: the soft rules first);
    ``hints``: a plan table per committee to start from only. With ``follow_up``, a committee that
    finds no plan is drafted once more as it says, and that solution comes after the others (in
    the order the first ones ended). ``seconds``: a committee's own time limit instead of its share.
    """
    each = replace(settings, time_limit=share_of(settings.time_limit, jobs, len(committees)))
    own = {c: replace(settings, time_limit=limit) for c, limit in (seconds or {}).items()}
    context = multiprocessing.get_context("spawn")  # the parent runs threads (live display) a fork would copy
    manager = SyncManager(ctx=context)
    manager.start(_ignore_sigint)
    interrupted = False
    try:
        reports, stopping = manager.Queue(), manager.Event()
        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context, initializer=_ignore_sigint) as pool:

            def submit(on: Scenario, committee: Committee, how: SolveSettings) -> Future:
                return pool.submit(_solve_one, on, committee, how, allow_uncovered, reports, stopping, calendar,
                                   start, free, (hints or {}).get(committee))

            running: dict[Future, Committee] = {submit(scenario, c, own.get(c, each)): c for c in committees}
            again: set[Future] = set()
            solutions: dict[Committee, Solution] = {}
            followed: list[Solution] = []
            pending = set(running)
            while pending:
                try:
                    done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=lambda f: running[f].key):  # submit follow-ups in a fixed order
                        if future.cancelled():
                            continue
                        solution, committee = future.result(), running[future]
                        if future in again:
                            followed.append(solution)
                            continue
                        solutions[committee] = solution
                        if follow_up is not None and not solution.has_plan and not interrupted:
                            later = submit(follow_up.scenario, committee, follow_up.settings)
                            running[later] = committee
                            again.add(later)
                            pending.add(later)
                    _drain(reports, on_report)
                except KeyboardInterrupt:
                    interrupted = True
                    stopping.set()
                    for future in pending:
                        future.cancel()
            _drain(reports, on_report)
    finally:
        manager.shutdown()
    return [solutions[c] for c in committees if c in solutions] + followed, interrupted


def _drain(reports, on_report: Callable[[CommitteeProgress], None] | None) -> None:
    while True:
        try:
            report = reports.get_nowait()
        except queue.Empty:
            return
        if on_report:
            on_report(report)
