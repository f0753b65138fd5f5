"""Solve a :class:`PlanModel` with CP-SAT and convert the result to a plain Solution."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from ortools.sat.python import cp_model

from constraints.county_requests import REQUESTS, TEAM_ROUNDS
from constraints.coverage import UNCOVERED, UNCOVERED_WEIGHT
from constraints.team_rounds import proven_uncovered
from planner.build import build_model, model_of
from planner.greedy import add_greedy_hint, hint_solution
from planner.model import PlanModel
from planner.model_types import Baseline, CityCalendar, CountyRequests, Pin, Relax
from planner.scenario import Scenario
from planner.solution import RoundPlan, Solution, TeamRound
from planner.solver import MIN_WORKERS, completion_solver, new_solver, status_of
from planner.status import SolveStatus, StopReason
from planner.vocabulary import CITY, Committee, Kind
from planner.warm_start import add_best_hint, add_decisions_hint, hinted_objective

MIN_SEARCH_SECONDS = 1.0
TIDY_SECONDS = 5.0  # at most, to tidy the plan found (see :func:`tidied`)


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
    """Reports each new plan; in the coverage-first phase it stops once every target is covered."""

    def __init__(self, report: Callable[[Progress], None] | None, model: PlanModel, started: float,
                 coverage_first: bool = False):
        super().__init__()
        self._report = report
        self._model = model
        self._started = started
        self._coverage_first = coverage_first

    def on_solution_callback(self) -> None:
        if self._coverage_first:
            if self._report:
                objective = sum(p.weight * self.value(p.expr) for p in self._model.penalties)
                self._report(Progress(time.monotonic() - self._started, objective, 0.0))
            if self.value(self._model.uncovered) == 0:
                self.stop_search()
        elif self._report:
            self._report(Progress(time.monotonic() - self._started, self.objective_value,
                                  max(0.0, self.best_objective_bound)))


def solver_for(settings: SolveSettings, from_plan: bool = False) -> cp_model.CpSolver:
    return new_solver(settings.time_limit, workers=settings.workers, seed=settings.seed,
                      deterministic=settings.deterministic, log=settings.log, from_plan=from_plan)


def _run(solver: cp_model.CpSolver, model: PlanModel, callback: cp_model.CpSolverSolutionCallback | None,
         stop: Callable[[], bool] | None = None) -> tuple[int, bool]:
    """Solve in a worker thread, so the main thread stays free to receive Ctrl-C (or to see
    ``stop()`` turn true); True if interrupted."""
    proto = model.cp.proto
    if solver.parameters.interleave_search and len(proto.solution_hint.vars) < len(proto.variables):
        # CP-SAT's interleaved (deterministic) search can abort the process on an infeasible model
        # with a partial hint ("heuristics.fixed_search != nullptr"): only a whole hint goes in.
        model.cp.clear_hints()
    outcome: dict[str, int] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["status"] = solver.solve(model.cp, callback)
        finally:
            done.set()

    # Wait on an Event, not Thread.join: an interrupted join can mark a running thread stopped.
    threading.Thread(target=run, daemon=True).start()
    try:
        while not done.wait(0.2):
            if stop is not None and stop():
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        solver.stop_search()
        done.wait()
        return outcome["status"], True
    return outcome["status"], False


def run_solver(solver: cp_model.CpSolver, model: PlanModel) -> int:
    """Solve ``model`` (see :func:`_run`); Ctrl-C stops the search and is raised again."""
    code, interrupted = _run(solver, model, None)
    if interrupted:
        raise KeyboardInterrupt
    return code


def _hinted(model: PlanModel, var: cp_model.IntVar) -> int | None:
    proto = model.cp.proto
    return dict(zip(proto.solution_hint.vars, proto.solution_hint.values)).get(var.index)


def solve(
    model: PlanModel,
    settings: SolveSettings = SolveSettings(),
    progress: Callable[[Progress], None] | None = None,
    start: pd.DataFrame | None = None,
    stop: Callable[[], bool] | None = None,
    stop_if_incomplete: bool = False,
    aims_first: tuple[str, ...] = (),
) -> Solution:
    """Solve; Ctrl-C (or ``stop()`` turning true) stops the search and keeps the best plan, marked not proven.

    ``start`` is an earlier plan's assignments table to start from (a hint),
    when it is better than the greedy plan.

    With coverage elastic and a start that leaves targets out (or a greedy
    plan that breaks a hard rule), the search runs in two phases: first it
    minimises the targets left out alone (a search with one aim finds a
    covering plan far sooner), stopping as soon as none is left out, or
    proving how many must be; then it minimises the whole objective, from
    that plan, in the time left. ``stop_if_incomplete``: skip the second
    phase when the first proves that every plan leaves targets out.
    ``aims_first``: penalty rules that a whole plan should drive to 0
    before the rest is weighed (the counties' requests of the city's redraft): a search with
    only them as its aim, from the hint, takes a third of the time and hands its plan on; it
    goes on, up to the whole time, while its plan is short of a county's team-rounds
    (``TEAM_ROUNDS``), since without them that county gets no plan at all.
    """
    floor = proven_uncovered(model) if stop_if_incomplete else 0
    if floor:
        # Too few team-rounds for the units: proven by counting, nothing to search.
        return _without_plan(model, SolveStatus.INFEASIBLE, 0.0, StopReason.COUNT, settings, floor)
    whole_hint, hinted_plan = True, False
    hinting = time.monotonic()
    if start is not None:
        hinted_plan = add_best_hint(model, start)
    elif settings.hint:
        whole_hint = hinted_plan = add_greedy_hint(model)
    started = time.monotonic()
    if not settings.deterministic:  # the time limit covers the hint too, as it covers building the model
        settings = replace(settings, time_limit=max(settings.time_limit - (started - hinting), MIN_SEARCH_SECONDS))
    # A whole hint that leaves nothing out is a plan already: shown at once, and kept if the
    # search ends before it reports one (presolve alone can take longer than a short time limit).
    left_out = (_hinted(model, model.uncovered) or 0) if model.uncovered is not None else 0
    hinted_plan = hinted_plan and not left_out
    if hinted_plan and progress:
        try:
            progress(Progress(time.monotonic() - started, hinted_objective(model), 0.0))
        except KeyboardInterrupt:  # Ctrl-C on seeing the first plan keeps it, as during the search
            return _from_hint(model, SolveStatus.FEASIBLE, time.monotonic() - started, StopReason.INTERRUPTED,
                              settings, 0)
    uncovered_bound, handed_over = 0, hinted_plan
    # A greedy plan that cannot be completed is no start either: the lighter search finds one sooner.
    if model.uncovered is not None and (not whole_hint or left_out):
        hard = _hard_twin(model)
        solver = solver_for(settings)
        code, interrupted = _run(solver, hard, _Reporter(progress, hard, started, coverage_first=True), stop)
        status = status_of(solver, code)
        if status.has_plan:
            uncovered_bound = int(-(-solver.best_objective_bound // 1))
        spent = solver.response_proto.deterministic_time if settings.deterministic else time.monotonic() - started
        left = settings.time_limit - spent
        if status.has_plan:
            # The full model takes the plan over; it agrees with every hard rule, so it completes.
            handed_over = add_decisions_hint(model, hard, solver.value)
        if interrupted or not status.has_plan or left < 1 or (stop_if_incomplete and uncovered_bound):
            stopped_by = StopReason.INTERRUPTED if interrupted else (
                StopReason.PROOF if status.proven else StopReason.TIME_LIMIT)
            if handed_over:
                status = SolveStatus.FEASIBLE  # a plan, not proven best: the soft rules were not weighed yet
            return _from_hint(model, status if handed_over or not status.has_plan else SolveStatus.UNKNOWN,
                              time.monotonic() - started, stopped_by, settings, uncovered_bound)
        settings = replace(settings, time_limit=left)
    if aims_first and (handed_over or hinted_plan):
        spent, interrupted = _aims_first(model, aims_first, settings, stop)
        if interrupted:
            return _from_hint(model, SolveStatus.FEASIBLE, time.monotonic() - started, StopReason.INTERRUPTED,
                              settings, uncovered_bound)
        settings = replace(settings, time_limit=max(1.0, settings.time_limit - spent))
    # By now the hint is, as a rule, a whole plan: the time left goes to better plans and a bound.
    solver = solver_for(settings, from_plan=True)
    code, interrupted = _run(solver, model, _Reporter(progress, model, started) if progress else None, stop)
    status = status_of(solver, code)
    if handed_over and not status.has_plan:
        # The time left ran out before the search reported even its start: keep the plan it started from.
        return _from_hint(model, SolveStatus.FEASIBLE, time.monotonic() - started,
                          StopReason.INTERRUPTED if interrupted else StopReason.TIME_LIMIT, settings, uncovered_bound)
    if interrupted:
        stopped_by = StopReason.INTERRUPTED
    elif status.proven:
        stopped_by = StopReason.PROOF
    else:
        stopped_by = StopReason.TIME_LIMIT
    bound = max(0.0, solver.best_objective_bound)
    if status == SolveStatus.FEASIBLE and not interrupted:
        solver = tidied(model, solver, settings)
    return to_solution(model, solver, status, time.monotonic() - started, stopped_by, settings, bound,
                       uncovered_bound)


def tidied(model: PlanModel, solver: cp_model.CpSolver, settings: SolveSettings) -> cp_model.CpSolver:
    """The plan found, its assignments, teams and dates held, with every other variable at its
    best. A search the time limit stops can leave such a free gain untaken (a sector a county
    round does link, counted as not), and then plan.json's objective is not the one its table
    scores. Returns the solver holding the better of the two."""
    hint_solution(model, solver)
    held = model.cp.clone()
    slots = [v for slot in model.slots for v in (slot.start, slot.active) if not isinstance(v, int)]
    for var in (*model.x.values(), *model.used.values(), *slots):
        held.add(held.get_int_var_from_proto_index(var.index) == solver.value(var))
    tidy = solver_for(replace(settings, time_limit=min(TIDY_SECONDS, max(1.0, settings.time_limit / 20))),
                      from_plan=True)
    code = tidy.solve(held)
    better = status_of(tidy, code).has_plan and tidy.objective_value < solver.objective_value
    return tidy if better else solver


class _Short(cp_model.CpSolverSolutionCallback):
    """Whether the last plan found is still short of a county's team-rounds."""

    def __init__(self, model: PlanModel):
        super().__init__()
        self.terms = [p.expr for p in model.penalties if p.rule == TEAM_ROUNDS]
        self.short = bool(self.terms)

    def on_solution_callback(self) -> None:
        self.short = any(self.value(expr) > 0 for expr in self.terms)


def _aims_first(model: PlanModel, aims: tuple[str, ...], settings: SolveSettings,
                stop: Callable[[], bool] | None) -> tuple[float, bool]:
    """Minimise the penalties of ``aims`` alone from the model's whole hint, for a third of the
    time, longer while a county's team-rounds are short (see :func:`solve`); its plan, if
    better, becomes the hint. Returns the time spent (deterministic time with a deterministic
    budget) and whether Ctrl-C stopped it."""
    terms = [p for p in model.penalties if p.rule in aims]
    if not terms:
        return 0.0, False
    # Units left out stay in the aim: dropping units is the cheapest way to make room.
    model.cp.minimize(sum(p.weight * p.expr for p in model.penalties if p.rule in (*aims, UNCOVERED)))
    short = _Short(model)
    # A deterministic budget keeps to its third: a wall-clock stop would make the plan depend on timing.
    longer = short.short and not settings.deterministic
    solver = solver_for(settings if longer else replace(settings, time_limit=settings.time_limit / 3),
                        from_plan=True)
    began, third = time.monotonic(), settings.time_limit / 3

    def enough() -> bool:
        return longer and not short.short and time.monotonic() - began >= third

    try:
        code, interrupted = _run(solver, model, short, lambda: enough() or (stop is not None and stop()))
    finally:
        model.cp.minimize(model.objective)
    interrupted = interrupted and not enough()
    spent = solver.response_proto.deterministic_time if settings.deterministic else solver.wall_time
    if status_of(solver, code).has_plan and not interrupted:
        hint_solution(model, solver)
    return spent, interrupted


def _hard_twin(model: PlanModel) -> PlanModel:
    """The hard rules of ``model`` alone, coverage elastic, minimising the targets left out,
    hinted with ``model``'s plan: the soft rules' variables would slow this search many times over."""
    hard = model_of(model.data, model.pins, model.relax, model.as_of_week, soft=False)
    hard.cp.minimize(hard.uncovered)
    hint = dict(zip(model.cp.proto.solution_hint.vars, model.cp.proto.solution_hint.values))
    add_decisions_hint(hard, model, lambda var: hint.get(var.index, 0))
    return hard


def _from_hint(model: PlanModel, status: SolveStatus, seconds: float, stopped_by: StopReason,
               settings: SolveSettings, uncovered_bound: int) -> Solution:
    """The plan the model is hinted with (the coverage-first phase's), as a Solution."""
    solver = completion_solver(10.0)
    if status.has_plan and not status_of(solver, solver.solve(model.cp)).has_plan:
        status = SolveStatus.UNKNOWN
    if not status.has_plan:
        return _without_plan(model, status, seconds, stopped_by, settings)
    return to_solution(model, solver, status, seconds, stopped_by, settings, UNCOVERED_WEIGHT * uncovered_bound,
                       uncovered_bound)


def _without_plan(model: PlanModel, status: SolveStatus, seconds: float, stopped_by: StopReason,
                  settings: SolveSettings, uncovered_bound: int = 0) -> Solution:
    return Solution(model.data.committee, status, (), solve_seconds=seconds, stopped_by=stopped_by,
                    seed=settings.seed, workers=max(settings.workers, MIN_WORKERS),
                    weights={p.rule: p.weight for p in model.penalties}, uncovered_bound=uncovered_bound)


def to_solution(
    model: PlanModel,
    solver: cp_model.CpSolver,
    status: SolveStatus,
    seconds: float,
    stopped_by: StopReason,
    settings: SolveSettings,
    best_bound: float = 0.0,
    uncovered_bound: int = 0,
) -> Solution:
    """Read the solver's values into plain objects; ``best_bound`` is the proven bound on the objective."""
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
        best_bound=min(best_bound, solver.objective_value),
        solve_seconds=seconds,
        penalties=penalties,
        penalty_parts={rule: {k: v for k, v in p.items() if v} for rule, p in parts.items()},
        weights=weights,
        stopped_by=stopped_by,
        seed=settings.seed,
        workers=solver.parameters.num_workers,
        uncovered_bound=uncovered_bound,
        uncovered=uncovered,
        cross=tuple((value(c.start), c.weeks) for c in model.cross_windows),
    )


def plan_model(scenario: Scenario, committee: Committee = CITY, pins: tuple[Pin, ...] = (),
               as_of_week: int = 0, whole: bool = False, calendar: CityCalendar | None = None,
               baseline: Baseline | None = None, requests: CountyRequests | None = None) -> PlanModel:
    """The model ``xuncha plan`` solves: every rule, coverage elastic (see :func:`draft_plan`)."""
    return build_model(scenario, committee, pins, frozenset({Relax.COVERAGE}), as_of_week, baseline,
                       whole=whole, calendar=calendar, requests=requests)


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
    requests: CountyRequests | None = None,
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
    ``baseline`` a plan to stay close to (see constraints.stability); ``requests`` the weeks the
    counties' rounds start, for the city in a whole-city plan's coupling pass (see planner.whole).
    """
    started = time.monotonic()
    model = plan_model(scenario, committee, pins, as_of_week, whole, calendar, baseline, requests)
    if not settings.deterministic:  # a deterministic budget must not depend on the machine's speed
        # The time limit covers building the model too; the search keeps a moment to report the hint.
        left = settings.time_limit - (time.monotonic() - started)
        settings = replace(settings, time_limit=max(left, MIN_SEARCH_SECONDS))
    solution = solve(model, settings, progress, start, stop, stop_if_incomplete=not allow_uncovered,
                     aims_first=(REQUESTS, TEAM_ROUNDS) if requests is not None else ())
    if allow_uncovered or not solution.uncovered:
        return solution
    proven = SolveStatus.INFEASIBLE if solution.uncovered_bound else SolveStatus.UNKNOWN
    return replace(solution, status=proven, rounds=(), objective=None, best_bound=None,
                   penalties={}, penalty_parts={UNCOVERED: solution.penalty_parts[UNCOVERED]})
