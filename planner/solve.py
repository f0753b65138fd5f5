"""Solve a :class:`PlanModel` with CP-SAT and convert the result to a plain Solution."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from ortools.sat.python import cp_model

from constraints.coverage import UNCOVERED
from planner.model import PlanModel, build_model
from planner.model_types import Baseline, CityCalendar, Pin, Relax
from planner.scenario import CITY, Committee, Kind, Scenario
from planner.solution import RoundPlan, Solution, TeamRound
from planner.solver import MIN_WORKERS, SolveStatus, StopReason, new_solver, status_of

MIN_SEARCH_SECONDS = 1.0


@dataclass(frozen=True)
class SolveSettings:
    time_limit: float = 60.0
    seed: int = 0
    workers: int = MIN_WORKERS
    hint: bool = True
    log: bool = False
    # Reproducible search: interleaved workers and a work budget of time_limit
    # deterministic seconds, so the plan does not depend on machine load.
    deterministic: bool = False


@dataclass(frozen=True)
class Progress:
    """One live update: a new best plan was found."""

    elapsed: float
    objective: float
    bound: float

    @property
    def gap(self) -> float:
        return abs(self.objective - self.bound) / max(abs(self.objective), 1e-9)


class _Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[Progress], None]):
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        self._report(Progress(self.wall_time, self.objective_value, self.best_objective_bound))


def solver_for(settings: SolveSettings) -> cp_model.CpSolver:
    return new_solver(settings.time_limit, workers=settings.workers, seed=settings.seed,
                      deterministic=settings.deterministic, log=settings.log)


def solve(
    model: PlanModel,
    settings: SolveSettings = SolveSettings(),
    progress: Callable[[Progress], None] | None = None,
    start: pd.DataFrame | None = None,
    stop: Callable[[], bool] | None = None,
) -> Solution:
    """Solve; Ctrl-C (or ``stop()`` turning true) stops the search and keeps the best plan, marked not proven.

    ``start`` is an earlier plan's assignments table to start from (a hint),
    when it is better than the greedy plan.
    """
    if start is not None:
        from planner.warm_start import add_best_hint

        add_best_hint(model, start)
    elif settings.hint:
        from planner.greedy import add_greedy_hint

        add_greedy_hint(model)
    solver = solver_for(settings)
    callback = _Reporter(progress) if progress else None
    outcome: dict[str, int] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model.cp, callback)
        finally:
            done.set()

    # Solve in a worker thread so the main thread stays free to receive Ctrl-C.
    # Wait on an Event, not Thread.join: an interrupted join can mark a running thread stopped.
    threading.Thread(target=run, daemon=True).start()
    started = time.monotonic()
    interrupted = False
    try:
        while not done.wait(0.2):
            if stop is not None and stop():
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        interrupted = True
        solver.stop_search()
        done.wait()
    status = status_of(solver, outcome["status"])
    seconds = time.monotonic() - started
    if interrupted:
        stopped_by = StopReason.INTERRUPTED
    elif status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE):
        stopped_by = StopReason.PROOF
    else:
        stopped_by = StopReason.TIME_LIMIT
    return to_solution(model, solver, status, seconds, stopped_by, settings)


def to_solution(
    model: PlanModel,
    solver: cp_model.CpSolver,
    status: SolveStatus,
    seconds: float,
    stopped_by: StopReason,
    settings: SolveSettings,
) -> Solution:
    """Read the solver's values into plain objects."""
    weights = {p.rule: p.weight for p in model.penalties}
    if not status.has_plan:
        return Solution(model.data.committee, status, (), solve_seconds=seconds,
                        stopped_by=stopped_by, seed=settings.seed, workers=solver.parameters.num_workers,
                        weights=weights)
    value = solver.value
    rounds = []
    for slot in model.slots:
        if not value(slot.active):
            continue
        teams = []
        for t, team in enumerate(model.data.teams):
            if not value(model.used[slot.index, t]):
                continue
            # A town's villages ride with it (巡镇带村): listed right after their town.
            targets = tuple(
                target_id
                for i, v in model.in_round(slot.index, t)
                if value(v)
                for target_id in (model.data.targets[i].id, *(
                    r.id for r in (model.data.riders.get(i, ()) if slot.kind in (Kind.REGULAR, Kind.CROSS) else ())))
            )
            teams.append(
                TeamRound(
                    team=team.id,
                    onsite_weeks=value(model.onsite[slot.index, t]),
                    targets=targets,
                    drafted=model.data.need_drafted(team, slot.kind),
                    leader_drafted=not team.has_leader,
                )
            )
        sectors = tuple(sorted(s for (k, s), v in model.named.items() if k == slot.index and value(v)))
        rounds.append(
            RoundPlan(slot.kind, value(slot.start), slot.prep, slot.report, tuple(teams), slot.theme, sectors)
        )
    rounds.sort(key=lambda r: (r.start_week, r.kind != Kind.REGULAR))
    penalties = {p.rule: int(value(p.expr)) for p in model.penalties}
    parts = {p.rule: {name: int(value(e)) for name, e in p.parts.items()} for p in model.penalties}
    index = {t.id: i for i, t in enumerate(model.data.targets)}
    left_out = sorted(name for name, v in parts.get(UNCOVERED, {}).items() if v)
    uncovered = tuple(left_out) + tuple(r.id for name in left_out for r in model.data.riders.get(index[name], ()))
    return Solution(
        committee=model.data.committee,
        status=status,
        rounds=tuple(rounds),
        objective=solver.objective_value,
        best_bound=solver.best_objective_bound,
        solve_seconds=seconds,
        penalties=penalties,
        penalty_parts={rule: {k: v for k, v in p.items() if v} for rule, p in parts.items()},
        weights=weights,
        stopped_by=stopped_by,
        seed=settings.seed,
        workers=solver.parameters.num_workers,
        uncovered=uncovered,
        cross=tuple((value(c.start), c.weeks) for c in model.cross_windows),
    )


def plan_model(scenario: Scenario, committee: Committee = CITY, pins: tuple[Pin, ...] = (),
               as_of_week: int = 0, whole: bool = False, calendar: CityCalendar | None = None,
               baseline: Baseline | None = None) -> PlanModel:
    """The model ``xuncha plan`` solves: every rule, coverage elastic (see :func:`draft_plan`)."""
    return build_model(scenario, committee, pins, frozenset({Relax.COVERAGE}), as_of_week, baseline, whole, calendar)


def draft_plan(
    scenario: Scenario,
    committee: Committee = CITY,
    settings: SolveSettings = SolveSettings(),
    progress: Callable[[Progress], None] | None = None,
    allow_uncovered: bool = False,
    pins: tuple[Pin, ...] = (),
    as_of_week: int = 0,
    start: pd.DataFrame | None = None,
    stop: Callable[[], bool] | None = None,
    baseline: Baseline | None = None,
    whole: bool = False,
    calendar: CityCalendar | None = None,
) -> Solution:
    """Build and solve the plan of one committee: the library form of ``xuncha plan``.

    Coverage is elastic inside the search (each unit left out costs more than
    every soft rule together, see constraints.coverage), so a greedy plan that
    leaves units out is still a start, and the search drives their number to 0.
    ``allow_uncovered``: return the best plan even when it leaves units out (its
    ``uncovered`` names them). Otherwise only a plan that covers every unit is
    returned; when the search ends without one, the status is UNKNOWN, there
    are no rounds, and ``uncovered`` names what the best plan found left out.
    ``pins`` and ``as_of_week`` keep executed rounds (see
    constraints.executed_rounds); ``start`` is a plan table to start from;
    ``baseline`` a plan to stay close to (see constraints.stability).
    """
    started = time.monotonic()
    model = plan_model(scenario, committee, pins, as_of_week, whole, calendar, baseline)
    if not settings.deterministic:  # a deterministic budget must not depend on the machine's speed
        # The time limit covers building the model too; the search keeps a moment to report the hint.
        left = settings.time_limit - (time.monotonic() - started)
        settings = replace(settings, time_limit=max(left, MIN_SEARCH_SECONDS))
    solution = solve(model, settings, progress, start, stop)
    if allow_uncovered or not solution.uncovered:
        return solution
    return replace(solution, status=SolveStatus.UNKNOWN, rounds=(), objective=None, best_bound=None,
                   penalties={}, penalty_parts={UNCOVERED: solution.penalty_parts[UNCOVERED]})
