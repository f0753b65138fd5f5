"""Figures the solver proves about one committee's plan (issue 30): what-if and sweep questions
answered with one objective each, over the hard rules only.

- full coverage: the fewest units any plan leaves out (0: a plan covers every unit);
- the earliest finish: the week the last unit's regular on-site work ends, at the earliest;
- the smallest drafted-cadre pool (抽调干部库) and leader pool (组长库) per round that still allow
  full coverage, the other pool as set.

Each is one CP-SAT solve of the hard model (:func:`planner.build.model_of`, ``soft=False``) with
that objective: the plan found gives the value, the solver's bound proves that no plan does
better; OPTIMAL is the proof (a plan at N, none at N-1). When the time is up, both bounds are
given. For the units a variant moves to a later year, :func:`slips` proves which of them are
forced (the unit fixed to its baseline year by a 定年度 decision: no plan) and which are a choice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from constraints.staffing import round_drafted, round_leaderless
from planner.explain import cheapest_relaxation, hard_model, relaxation_lines
from planner.greedy import add_greedy_hint
from planner.build import model_of
from planner.model import CommitteeData, PlanModel
from planner.model_types import Relax
from planner.scenario import Scenario
from planner.solve import SolveSettings, run_solver, solver_for
from planner.solver import status_of
from planner.status import SolveStatus
from planner.tables import DecisionKind, FixedDecision
from planner.vocabulary import CITY, Committee, Kind

# Share of the time limit each figure's solve may take: four solves a plan, two plans a what-if.
FIGURE_SHARE = 0.25
MIN_FIGURE_SECONDS = 10.0
MOST_SLIPS = 20  # units whose slip is proven one by one; the rest are counted


@dataclass(frozen=True)
class Bounded:
    """A figure: the best value a plan was found with, and the bound proven on every plan."""

    status: SolveStatus  # OPTIMAL: found = the best there is; INFEASIBLE: no plan at all
    found: int | None = None
    bound: int | None = None

    @property
    def proven(self) -> bool:
        return self.status == SolveStatus.OPTIMAL or (self.found is not None and self.found == self.bound)

    def with_plan(self, value: int) -> Bounded:
        """The figure once a plan found elsewhere (the variant's own) reaches ``value``: the better of
        the two found, proven where it meets the bound."""
        if self.found is not None and self.found <= value:
            return self
        bound = self.bound if self.bound is not None else 0
        return Bounded(SolveStatus.OPTIMAL if value <= bound else SolveStatus.FEASIBLE, value, min(bound, value))

    @property
    def impossible(self) -> bool:
        return self.status == SolveStatus.INFEASIBLE


@dataclass(frozen=True)
class PlanFacts:
    """The proven figures of one committee's plan under one scenario."""

    committee: str  # its name
    uncovered: Bounded  # units (a town with its villages: one) every plan leaves out
    finish: Bounded  # weeks from the term's first Monday to the end of the last regular on-site week
    drafted: Bounded  # drafted cadres (leaders apart) in the fullest round
    leaders: Bounded  # drafted leaders in the fullest round
    drafted_pool: int
    leader_pool: int
    first_monday: dt.date
    relaxation: tuple[str, ...] = ()  # explain's least relaxation, when full coverage is impossible

    def day(self, weeks: int | None) -> dt.date | None:
        """The Friday the ``weeks``-th week ends on (the last on-site day of a round ending there)."""
        return None if weeks is None else self.first_monday + dt.timedelta(weeks=weeks - 1, days=4)

    @property
    def finish_found(self) -> dt.date | None:
        return self.day(self.finish.found)

    @property
    def finish_bound(self) -> dt.date | None:
        return self.day(self.finish.bound)


def _hint(m: PlanModel, settings: SolveSettings) -> None:
    """The greedy plan as a hint when it is a whole plan; none otherwise (CP-SAT 9.15's interleaved
    search aborts the process on an infeasible model with a partial hint)."""
    if settings.hint and not add_greedy_hint(m):
        m.cp.clear_hints()


def _minimise(m: PlanModel, objective: cp_model.LinearExprT, settings: SolveSettings) -> Bounded:
    """One solve of ``m`` minimising ``objective``, from the greedy plan when it has one."""
    m.cp.minimize(objective)
    _hint(m, settings)
    solver = solver_for(settings)
    status = status_of(solver, run_solver(solver, m))
    if not status.has_plan:
        return Bounded(status)
    found = int(round(solver.objective_value))
    bound = min(found, int(-(-solver.best_objective_bound // 1)))
    return Bounded(SolveStatus.OPTIMAL if bound == found else status, found, bound)


def _ample(data: CommitteeData) -> CommitteeData:
    """The data with pools no plan can exhaust: every team drafting what it needs at most, and
    the cadres a regular round lends (上派下挂)."""
    drafted = sum(max(data.need_drafted(t, kind) for kind in Kind) for t in data.teams) + data.policy.lent
    leaders = sum(not t.has_leader for t in data.teams)
    staff = data.staff.model_copy(update={"drafted_pool": drafted, "leader_pool": leaders})
    return replace(data, policy=data.policy.model_copy(update={"staff": staff}))


def _with_pool(data: CommitteeData, ample: CommitteeData, which: str) -> CommitteeData:
    """``data`` with one pool (``drafted_pool`` or ``leader_pool``) as ample, the other as set."""
    staff = data.staff.model_copy(update={which: getattr(ample.staff, which)})
    return replace(data, policy=data.policy.model_copy(update={"staff": staff}))


def earliest_finish(data: CommitteeData, settings: SolveSettings) -> Bounded:
    """Minimise the week the last regular on-site work ends, every unit covered:
    F >= start_k + onsite[k,t] for each regular round k and team t with used[k,t]."""
    m = model_of(data, soft=False)
    finish = m.cp.new_int_var(0, m.horizon_weeks, "finish")
    for (k, t), used in m.used.items():
        if m.slots[k].kind == Kind.REGULAR:
            m.cp.add(finish >= m.slots[k].start + m.onsite[k, t]).only_enforce_if(used)
    return _minimise(m, finish, settings)


def least_pool(data: CommitteeData, which: str, settings: SolveSettings) -> Bounded:
    """The smallest pool (``drafted_pool`` or ``leader_pool``) with which every unit is covered:
    the pool itself out of the way, minimise P >= what each round k takes from it (a regular
    round's drafted cadres with those it lends, 上派下挂)."""
    m = model_of(_with_pool(data, _ample(data), which), soft=False)
    lent = {k: data.policy.staff.drafted_pool - data.policy.drafted_pool_for(s.kind) for k, s in enumerate(m.slots)}
    taken = {"drafted_pool": lambda k: round_drafted(m, k) + lent[k],
             "leader_pool": lambda k: sum(round_leaderless(m, k))}
    most = m.cp.new_int_var(0, getattr(_ample(data).staff, which), which)
    for slot in m.slots:
        m.cp.add(most >= taken[which](slot.index))
    found = _minimise(m, most, settings)
    if found.proven or not found.found:
        return found
    # Not proven in time: the model with the pool one below the plan's holds the team-round
    # count of that pool (constraints.team_rounds), which often proves it infeasible at once.
    staff = data.staff.model_copy(update={which: found.found - 1})
    below = model_of(replace(data, policy=data.policy.model_copy(update={"staff": staff})), soft=False)
    solver = solver_for(settings)
    status = status_of(solver, run_solver(solver, below))
    if status == SolveStatus.INFEASIBLE:
        return Bounded(SolveStatus.OPTIMAL, found.found, found.found)
    if status.has_plan:  # a plan at one less: the minimum is lower still
        lower = found.found - 1
        return Bounded(SolveStatus.OPTIMAL if lower == found.bound else SolveStatus.FEASIBLE, lower, found.bound)
    return found


def fewest_uncovered(data: CommitteeData, settings: SolveSettings) -> Bounded:
    """Coverage elastic (constraints.coverage): minimise the units left out."""
    m = model_of(data, relax=frozenset({Relax.COVERAGE}), soft=False)
    return _minimise(m, m.uncovered, settings)


def figure_settings(settings: SolveSettings) -> SolveSettings:
    """Each figure's solve: a share of the time limit, the seed, workers and determinism as given."""
    return replace(settings, time_limit=max(MIN_FIGURE_SECONDS, settings.time_limit * FIGURE_SHARE))


def plan_facts(scenario: Scenario, committee: Committee = CITY, settings: SolveSettings = SolveSettings()
               ) -> PlanFacts:
    """The proven figures of ``committee``'s plan; each solve gets :func:`figure_settings`."""
    each = figure_settings(settings)
    data = CommitteeData.of(scenario, committee)
    finish = earliest_finish(data, each)
    relaxation: tuple[str, ...] = ()
    if finish.found is not None:
        uncovered = Bounded(SolveStatus.OPTIMAL, 0, 0)  # the plan found covers every unit
    else:
        uncovered = fewest_uncovered(data, each)
        if uncovered.bound:
            status, found, _bound = cheapest_relaxation(hard_model(scenario, committee), each)
            relaxation = tuple(relaxation_lines(found, status, scenario, committee))
    return PlanFacts(scenario.policy(committee).committee, uncovered, finish,
                     least_pool(data, "drafted_pool", each), least_pool(data, "leader_pool", each),
                     data.staff.drafted_pool, data.staff.leader_pool, data.grid.first_monday, relaxation)


# ------------------------------------------------------------------ slips
@dataclass(frozen=True)
class Slip:
    """A unit the variant moves to a later year, and whether its baseline year is still possible."""

    target: str
    name: str
    before: int  # its year in the baseline
    after: int
    priority: int
    verdict: str  # FORCED, CHOICE or UNDECIDED


FORCED, CHOICE, UNDECIDED = "forced", "choice", "undecided"


def slips(scenario: Scenario, moved: list[tuple[str, int, int]], committee: Committee = CITY,
          settings: SolveSettings = SolveSettings(), left_out: int = 0) -> tuple[list[Slip], int]:
    """For the units (target, baseline year, variant year) that move later, the :data:`MOST_SLIPS`
    of highest priority: forced (no plan of ``scenario`` leaving at most ``left_out`` units out, as
    the variant's plan does, has the unit in its baseline year) or a choice of the plan (a plan has
    it there). Returns those and the number of the others.

    Each unit gets a 定年度 decision for its baseline year, switchable (constraints.fixed_decisions);
    one solve keeps as many as it can (each kept one is a choice, the plan proves it), then each
    unit still open is assumed kept: no plan proves it forced. The office's own decisions hold.
    """
    data = CommitteeData.of(scenario, committee)
    index = {t.id: t for t in data.targets}
    ranked = sorted((m for m in moved if m[0] in index), key=lambda m: (-data.priority(index[m[0]]), m[0]))
    chosen, rest = ranked[:MOST_SLIPS], len(ranked) - MOST_SLIPS
    if not chosen:
        return [], 0
    rows = {len(scenario.fixed) + n: FixedDecision(kind=DecisionKind.YEAR, target=target, year=(year, year))
            for n, (target, year, _after) in enumerate(chosen)}
    m = model_of(replace(data, decisions=data.decisions + tuple(rows.items())),
                 relax=frozenset({Relax.FIXED, Relax.COVERAGE}), soft=False)
    m.cp.add(m.uncovered <= left_out)
    holds = {int(r.key): r.holds for r in m.relaxations if r.rule == Relax.FIXED}
    for row, lit in holds.items():
        if row not in rows:
            m.cp.add(lit == 1)  # the office's decisions are not ours to drop
    keep = [holds[row] for row in rows]
    m.cp.maximize(sum(keep))
    _hint(m, settings)  # a plan to start from; the solves below keep it
    verdict = {row: UNDECIDED for row in rows}
    each = replace(figure_settings(settings), time_limit=figure_settings(settings).time_limit / 2)
    for row in [None, *rows]:
        if row is not None and verdict[row] != UNDECIDED:
            continue
        m.cp.clear_assumptions()
        if row is not None:
            m.cp.add_assumptions([holds[row]])
        solver = solver_for(each)
        status = status_of(solver, run_solver(solver, m))
        if status == SolveStatus.INFEASIBLE and row is not None:
            verdict[row] = FORCED
        elif status.has_plan:
            for r in rows:
                if solver.value(holds[r]):
                    verdict[r] = CHOICE
    found = [Slip(target, index[target].name, before, after, data.priority(index[target]), verdict[row])
             for row, (target, before, after) in zip(rows, chosen)]
    return found, max(0, rest)


# ---------------------------------------------------------------- wording
def _range(found: object, bound: object, unit: str = "") -> str:
    return f"下界 {bound}{unit}, 找到的方案 {found}{unit}, 未证明"


def coverage_text(f: PlanFacts) -> str:
    u = f.uncovered
    if u.found == 0:
        return "可以全覆盖 (已证明: 有覆盖全部单位的方案)"
    if u.bound:
        return f"不能全覆盖 (已证明: 任何方案都至少有{u.bound}个单位排不下" + (
            f", 最好的方案排不下{u.found}个)" if u.found != u.bound else ")")
    if u.found is None:
        return "能否全覆盖未判定 (时限内未找到方案)"
    return f"能否全覆盖未判定 (时限内找到的方案有{u.found}个单位排不下, 下界 0)"


def finish_text(f: PlanFacts) -> str:
    if f.finish.impossible:
        return "无 (不能全覆盖)"
    if f.finish.found is None:
        return "未判定 (时限内未找到覆盖全部单位的方案)"
    if f.finish.proven:
        return f"{f.finish_found} (已证明, 精确到周)"
    return f"在 {f.finish_bound} 至 {f.finish_found} 之间 ({_range(f.finish_found, f.finish_bound)})"


def pool_text(b: Bounded, now: int, other: str) -> str:
    """``other``: the other pool, held as set while this one is found."""
    if b.impossible:
        return f"{other}为现有人数时, 多少人都不能全覆盖 (已证明)"
    if b.found is None:
        return "未判定 (时限内未找到方案)"
    if b.proven:
        below = f"{b.found - 1}人不能" if b.found else "不需要抽调"
        return f"{b.found}人 (已证明: {b.found}人可以全覆盖, {below}; 现为{now}人)"
    return f"{b.bound}至{b.found}人 ({_range(b.found, b.bound, '人')}; 现为{now}人)"


def facts_lines(facts: list[tuple[str, PlanFacts]]) -> list[str]:
    """The figures in sentences, each side labelled: coverage, the earliest finish, the least pools."""
    def each(text) -> str:
        return "; ".join(f"{label} {text(f)}" for label, f in facts)

    lines = [f"全覆盖: {each(coverage_text)}。",
             f"最后一个单位最早结束进驻: {each(finish_text)}。",
             f"全覆盖所需的每轮抽调干部 (人才库) 最少: {each(lambda f: pool_text(f.drafted, f.drafted_pool, '组长库'))}。",
             f"全覆盖所需的每轮抽调组长 (组长库) 最少: {each(lambda f: pool_text(f.leaders, f.leader_pool, '人才库'))}。"]
    for label, f in facts:
        if f.relaxation:
            head, *rest = (line.strip() for line in f.relaxation)
            items = [line.removeprefix("- ") for line in rest if line.startswith("- ")]
            command = " ".join(line for line in rest if not line.startswith("- "))
            lines.append(f"{label}{head} " + "; ".join(items) + "。" + command)
    return lines


SLIP_WORDS = {FORCED: "不得不推迟 (已证明: 留在原年度, 就没有覆盖同样多单位的方案)", CHOICE: "本方案的选择 (留在原年度也有方案)",
              UNDECIDED: "未判定 (时限内未证明)"}


def slip_summary(found: list[Slip], rest: int) -> str:
    """The slips in one sentence: how many are forced, how many a choice."""
    counts = {v: sum(s.verdict == v for s in found) for v in (FORCED, CHOICE, UNDECIDED)}
    text = (f"推迟到以后年度的单位中, 风险最高的{len(found)}个: 不得不推迟{counts[FORCED]}个 (已证明), "
            f"本方案的选择{counts[CHOICE]}个 (留在原年度也有方案)")
    text += f", 未判定{counts[UNDECIDED]}个" if counts[UNDECIDED] else ""
    return text + (f"; 另有{rest}个未逐个判定。" if rest else "。")


def slip_lines(found: list[Slip], rest: int) -> list[str]:
    """One line per slipping unit (by risk), then the count of those not examined."""
    lines = [f"{s.name} ({s.before}年 → {s.after}年): {SLIP_WORDS[s.verdict]}" for s in found]
    if rest:
        lines.append(f"另有{rest}个风险较低的单位推迟到以后年度, 未逐个判定。")
    return lines
