"""Build a committee's CP-SAT model: the variables of :class:`planner.model.PlanModel`, then the
rule families in the order ``planner.rules.HARD_RULES``, ``constraints.IMPLIED_RULES``,
``constraints.REPLAN_RULES``, ``constraints.LINKAGE_RULES``, then ``constraints.SOFT_RULES``,
then symmetry breaking and the objective.
"""

from __future__ import annotations

import constraints
from planner import rules
from planner.model import CommitteeData, PlanModel, break_symmetry
from planner.model_types import Baseline, CityCalendar, CountyRequests, Pin, Relax
from planner.scenario import Scenario
from planner.vocabulary import CITY, Committee


def build_model(
    scenario: Scenario,
    committee: Committee = CITY,
    pins: tuple[Pin, ...] = (),
    relax: frozenset[Relax] = frozenset(),
    as_of_week: int = 0,
    baseline: Baseline | None = None,
    soft: bool = True,
    whole: bool = False,
    calendar: CityCalendar | None = None,
    requests: CountyRequests | None = None,
) -> PlanModel:
    """Create variables, add every hard rule, then every weighted soft rule.

    ``relax`` makes those rule groups switchable (see :class:`Relaxation`);
    ``pins`` are rows of executed rounds, kept as they were, and no other
    round starts before ``as_of_week``; ``baseline`` is a plan to stay close
    to. A baseline need not follow the symmetry order (an office's edit, an
    earlier plan), so it turns symmetry breaking off. ``whole``: a committee of a
    whole-city plan (cross rounds, linked rounds), a county drafted against
    the city's ``calendar``; ``requests``: what the counties' plans ask of the city's calendar
    (constraints.county_requests). ``soft=False``: the hard rules only and no
    objective, a far lighter model for proofs and for finding a first plan
    (the whole-city rules stay: some are hard).
    """
    return model_of(CommitteeData.of(scenario, committee, whole, calendar, requests), pins, relax, as_of_week, baseline, soft)


def model_of(data: CommitteeData, pins: tuple[Pin, ...] = (), relax: frozenset[Relax] = frozenset(),
             as_of_week: int = 0, baseline: Baseline | None = None, soft: bool = True) -> PlanModel:
    """:func:`build_model` for a committee's resolved data."""
    model = PlanModel(data, pins, frozenset(relax), as_of_week, baseline, rules.distinctions(data.policy))
    families = rules.HARD_RULES + constraints.IMPLIED_RULES + constraints.REPLAN_RULES + constraints.LINKAGE_RULES
    for rule in families + (constraints.SOFT_RULES if soft else ()):
        rule(model)
    if baseline is None:
        break_symmetry(model)
    if soft:
        model.objective = sum(p.weight * p.expr for p in model.penalties)
        # Every penalty is non-negative; saying so gives CP-SAT a bound of 0 from the start
        # (its own first bound is negative until the LP workers report).
        model.cp.add(model.objective >= 0)
        model.cp.minimize(model.objective)
    return model
