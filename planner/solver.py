"""Every CP-SAT solver the planner runs is made here, with the parameters in one place."""

from __future__ import annotations

from ortools.sat.python import cp_model

from planner.status import SolveStatus

MIN_WORKERS = 8  # CP-SAT's portfolio needs several workers, even on 2 cores


def status_of(solver: cp_model.CpSolver, code: int) -> SolveStatus:
    """CP-SAT's status as the planner reads it: the one place it is converted."""
    return SolveStatus(solver.status_name(code))


def new_solver(
    time_limit: float,
    *,
    workers: int = MIN_WORKERS,
    seed: int = 0,
    deterministic: bool = False,
    log: bool = False,
    from_plan: bool = False,
) -> cp_model.CpSolver:
    """A CP-SAT solver with the planner's settings.

    ``deterministic``: interleaved workers and a work budget of ``time_limit``
    deterministic seconds, so the plan does not depend on machine load.
    ``from_plan``: a search that starts from a whole plan, to improve it and prove how
    good it is: the LP takes every constraint (no-overlap included), and only three
    workers search the whole model, so that the rest go to neighbourhood search, which
    finds the better plans (see bench/README.md).
    """
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(MIN_WORKERS, workers)
    p.random_seed = seed
    p.max_time_in_seconds = time_limit
    if deterministic:
        p.interleave_search = True
        p.max_deterministic_time = time_limit
        p.max_time_in_seconds = 20 * time_limit
    # Probing and presolve passes cost seconds here and buy little on this model: with probing
    # (in presolve and again as each worker loads the model) the first plan and the first rise
    # of the bound came much later on two cores (bench/README.md).
    p.cp_model_probing_level = 0
    p.max_presolve_iterations = 1
    # The LP adds the model's constraints as they are violated, 50 at a time by default: on the
    # city model its bound then climbed for the whole time limit; in large batches it reaches the
    # LP's level early in the search (bench/README.md).
    p.new_constraints_batch_size = 5000
    if from_plan:
        p.linearization_level = 2
        p.num_full_subsolvers = 3
    p.log_search_progress = log
    # Ctrl-C is the caller's: a solver that caught SIGINT would keep it from later solves.
    p.catch_sigint_signal = False
    return solver


def completion_solver(time_limit: float) -> cp_model.CpSolver:
    """One worker that fixes every hinted variable and stops at the first solution:
    it derives the remaining variables of a hint (greedy or earlier plan).

    ``time_limit`` is in deterministic seconds (wall time at most ten times that):
    whether a hint completes must not depend on the machine's load, or the same
    input and seed could start the search from different plans.
    """
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.fix_variables_to_their_hinted_value = True
    p.max_deterministic_time = time_limit
    p.max_time_in_seconds = 10 * time_limit
    p.num_workers = 1
    p.stop_after_first_solution = True
    p.catch_sigint_signal = False
    return solver
