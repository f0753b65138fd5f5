"""Solve a :class:`PlanModel` with CP-SAT and convert the result to a plain Solution."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from ortools.sat.python import cp_model

from planner.model import Pin, PlanModel, Relax, build_model
from planner.scenario import Kind, Level, Scenario
from planner.solution import RoundPlan, Solution, TeamRound

MIN_WORKERS = 8  # CP-SAT's portfolio needs several workers, even on 2 cores
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
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(MIN_WORKERS, settings.workers)
    p.random_seed = settings.seed
    p.max_time_in_seconds = settings.time_limit
    if settings.deterministic:
        p.interleave_search = True
        p.max_deterministic_time = settings.time_limit
        p.max_time_in_seconds = 20 * settings.time_limit
    # Probing in presolve costs seconds here and buys little on this model.
    p.presolve_probing_deterministic_time_limit = 0.1
    p.probing_deterministic_time_limit = 0.1
    p.log_search_progress = settings.log
    # Ctrl-C is caught by solve(), which stops the search and keeps the best plan.
    p.catch_sigint_signal = False
    return solver


def solve(
    model: PlanModel,
    settings: SolveSettings = SolveSettings(),
    progress: Callable[[Progress], None] | None = None,
    start: pd.DataFrame | None = None,
) -> Solution:
    """Solve; Ctrl-C stops the search and keeps the best plan, marked not proven.

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
            pass
    except KeyboardInterrupt:
        interrupted = True
        solver.stop_search()
        done.wait()
    status = outcome["status"]
    seconds = time.monotonic() - started
    name = solver.status_name(status)
    if interrupted:
        stopped_by = "interrupted"
    elif name in ("OPTIMAL", "INFEASIBLE"):
        stopped_by = "proof"
    else:
        stopped_by = "time_limit"
    return to_solution(model, solver, name, seconds, stopped_by, settings)


def to_solution(
    model: PlanModel,
    solver: cp_model.CpSolver,
    status: str,
    seconds: float,
    stopped_by: str,
    settings: SolveSettings,
) -> Solution:
    """Read the solver's values into plain objects."""
    weights = {p.rule: p.weight for p in model.penalties}
    if status not in ("OPTIMAL", "FEASIBLE"):
        return Solution(model.data.level, model.data.county, status, (), solve_seconds=seconds,
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
            targets = tuple(model.data.targets[i].id for i, v in model.in_round(slot.index, t) if value(v))
            teams.append(
                TeamRound(
                    team=team.id,
                    onsite_weeks=value(model.onsite[slot.index, t]),
                    targets=targets,
                    drafted=model.data.need_drafted(team, slot.kind),
                    leader_drafted=not team.has_leader,
                )
            )
        rounds.append(
            RoundPlan(slot.kind, value(slot.start), slot.prep, slot.report, tuple(teams), slot.theme)
        )
    rounds.sort(key=lambda r: (r.start_week, r.kind != Kind.REGULAR))
    penalties = {p.rule: int(value(p.expr)) for p in model.penalties}
    parts = {p.rule: {name: int(value(e)) for name, e in p.parts.items()} for p in model.penalties}
    return Solution(
        level=model.data.level,
        county=model.data.county,
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
    )


def draft_plan(
    scenario: Scenario,
    level: Level = Level.CITY,
    county: str = "",
    settings: SolveSettings = SolveSettings(),
    progress: Callable[[Progress], None] | None = None,
    allow_uncovered: bool = False,
    pins: tuple[Pin, ...] = (),
    as_of_week: int = 0,
    start: pd.DataFrame | None = None,
) -> Solution:
    """Build and solve the plan of one level: the library form of ``xuncha plan``.

    ``allow_uncovered`` turns full coverage into the heaviest soft rule, so a
    plan exists even when staff are short; its ``uncovered`` penalty parts name
    the targets left out. ``pins`` and ``as_of_week`` keep executed rounds
    (see constraints.executed_rounds); ``start`` is a plan table to start from.
    """
    relax = frozenset({Relax.COVERAGE}) if allow_uncovered else frozenset()
    started = time.monotonic()
    model = build_model(scenario, level, county, pins, relax, as_of_week)
    if not settings.deterministic:  # a deterministic budget must not depend on the machine's speed
        # The time limit covers building the model too; the search keeps a moment to report the hint.
        left = settings.time_limit - (time.monotonic() - started)
        settings = replace(settings, time_limit=max(left, MIN_SEARCH_SECONDS))
    return solve(model, settings, progress, start)
