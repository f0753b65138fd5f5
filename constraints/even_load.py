"""Soft: even load across teams and across years."""

from __future__ import annotations

from planner.model import PlanModel
from planner.model_types import Penalty


def add_even_team_load(m: PlanModel) -> None:
    """Soft: teams carry similar loads over the term (各组任务均衡).

    Penalised: max_t load_t - min_t load_t, load_t = sum of the effort of the
    targets of team t in regular rounds.
    """
    loads = m.team_loads()
    if len(loads) < 2:
        return
    top = m.cp.new_int_var(0, m.total_effort, "load_max")
    low = m.cp.new_int_var(0, m.total_effort, "load_min")
    m.cp.add_max_equality(top, loads)
    m.cp.add_min_equality(low, loads)
    m.add_penalty(Penalty("even_team_load", m.data.policy.weights.even_team_load, top - low))


def add_even_year_load(m: PlanModel) -> None:
    """Soft: the work is spread evenly over the years before the last one
    (年度任务均衡; the last year is governed by ``last_year_room``).

    Penalised: max_y E_y - min_y E_y over the years but the last, E_y = effort
    of the targets whose regular round starts in year y.
    """
    by_year = m.effort_by_year()
    years = sorted(by_year)[:-1]
    if len(years) < 2:
        return
    top = m.cp.new_int_var(0, m.total_effort, "year_max")
    low = m.cp.new_int_var(0, m.total_effort, "year_min")
    m.cp.add_max_equality(top, [by_year[y] for y in years])
    m.cp.add_min_equality(low, [by_year[y] for y in years])
    m.add_penalty(Penalty("even_year_load", m.data.policy.weights.even_year_load, top - low))


def add_last_year_room(m: PlanModel) -> None:
    """Soft: the last year keeps room for follow-ups (回头看) and mobile rounds:
    its regular work stays under ``last_year_share`` of an average year.

    Penalised: max(0, E_last - floor(share * total_effort / years)).
    """
    by_year = m.effort_by_year()
    last = max(by_year)
    cap = int(m.data.policy.soft.last_year_share * m.total_effort / len(by_year))
    excess = m.cp.new_int_var(0, m.total_effort, "last_year_excess")
    m.cp.add_max_equality(excess, [0, by_year[last] - cap])
    m.add_penalty(Penalty("last_year_room", m.data.policy.weights.last_year_room, excess, {str(last): excess}))
