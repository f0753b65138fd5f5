"""The whole city's plan (市县巡察一盘棋): the city committee and every county, as one plan.

About 2,000 objects and 26 teams, coupled only through dates, sectors and
cross rounds, are planned in stages that keep one truth:

1. the city plan, which fixes the city's round calendar, names up to two
   linked sectors (联动系统) per regular round, holds the window of each cross
   round (交叉巡察) and keeps visits into each county together or apart
   (对县区不重复打扰);
2. every county plan, in parallel, drafted against that calendar: its
   regular rounds start with the city's (同步), its special rounds with the
   city's of the same theme, it inspects units of the named sectors in the
   round in step (联动), and in each cross round its teams inspect the next
   county's chosen units while its own go to the county before it;
3. the coupling pass, when a county finds no plan in step with the calendar
   (or, with sync soft, leaves rounds out of step): the county is drafted once
   more with sync soft, in the slot its failed solve leaves, to learn the
   weeks it needs; the city is drafted again from its first plan, asked to
   start a regular round near every week a county's rounds start, and, for a
   county whose teams in step have too few team-rounds for its units (the
   count of constraints.team_rounds), enough regular rounds
   (constraints.county_requests); then every county is drafted against the
   new calendar, from its earlier plan, the failing ones first.
   Without a failing or out-of-step county the counties' plans are carried on
   from where they stood, against the same calendar.

The bound of a county plan holds given the city's calendar; so the sum of
bounds is the bound of this decomposition, not of every possible whole plan.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from constraints.county_requests import REQUESTS, TEAM_ROUNDS
from constraints.team_rounds import TeamRoundCount, count_team_rounds
from planner.baseline import baseline_of
from planner.build import build_model
from planner.calendar import WeekGrid
from planner.export import solution_frame
from planner.model_types import CityCalendar, CityRound, CountyRequests, TeamRoundsAsked
from planner.overrides import apply_overrides
from planner.parallel import MIN_SECONDS, CommitteeProgress, FollowUp, draft_plans, share_of
from planner.printouts.rounds import date_cn
from planner.scenario import Scenario
from planner.scope import Scope
from planner.solution import Solution
from planner.solve import SolveSettings, draft_plan
from planner.status import SolveStatus, StopReason
from planner.vocabulary import CITY, Committee, Kind

CITY_SHARE = 0.25  # of the time limit, for the city's first plan
COUNTY_SHARE = 0.3  # the counties' first plans against it
RECITY_SHARE = 0.1  # the city drafted again for the counties' weeks
# The counties against the final calendar get the rest of the time limit. A county whose first plan
# hints it finds that plan at once where it still holds: short of time, it gets at least this; a
# county without one gets MIN_SECONDS, and one that then finds no plan is drafted again for as long.
HINTED_SECONDS = 2.0
SPAWN_SECONDS = 2.0  # what starting a wave's worker processes takes, kept out of its share


@dataclass(frozen=True)
class Coupling:
    """What the counties' first plans asked of the city's calendar, and what the pass did."""

    failed: tuple[str, ...] = ()  # counties without a plan in step with the city's first calendar
    out_of_step: dict[str, tuple[int, ...]] | None = None  # county -> first-plan regular starts (weeks) out of step
    needed: dict[str, tuple[int, ...]] | None = None  # failed county -> its out-of-step starts with sync soft
    county_rounds: int = 0  # county regular rounds in the first plans
    redrafted: bool = False  # the city was drafted again for the counties' weeks
    requested: int = 0  # county rounds whose start weeks the city was asked to meet
    unmet: int = 0  # of those, the weeks the city's new calendar leaves without a regular round near
    city_objective: tuple[float | None, float | None] = (None, None)  # the city's own objective, first and final
    kept_first: bool = False  # fewer counties had a plan against the new calendar: the first board stands
    short: tuple[TeamRoundsAsked, ...] = ()  # failed counties whose teams, in step, had too few team-rounds
    short_left: int = 0  # team-rounds the new calendar still leaves them short

    @property
    def in_step_first(self) -> int:
        return self.county_rounds - sum(len(w) for w in (self.out_of_step or {}).values())


def city_calendar(city: Solution) -> CityCalendar:
    """The city's plan as the counties follow it: regular rounds (numbered in start order), specials by theme."""
    rounds = sorted(city.rounds, key=lambda r: r.start_week)
    regular = tuple(
        CityRound(number, r.start_week, r.start_week + r.onsite_weeks, r.sectors)
        for number, r in enumerate(rounds, 1) if r.kind == Kind.REGULAR
    )
    special = tuple((r.theme, r.start_week) for r in rounds if r.kind == Kind.SPECIAL)
    return CityCalendar(regular, special, city.cross)


def out_of_step(county: Solution, calendar: CityCalendar, weeks: int) -> tuple[int, ...]:
    """Start weeks of ``county``'s regular rounds with no city regular round within ``weeks``."""
    return tuple(r.start_week for r in county.rounds if r.kind == Kind.REGULAR
                 and all(abs(r.start_week - c.start) > weeks for c in calendar.regular))


def in_step_count(scenario: Scenario, county: Committee, calendar: CityCalendar) -> TeamRoundCount | None:
    """The team-round count of ``county`` held in step with ``calendar``, when it leaves units out."""
    count = count_team_rounds(build_model(scenario, county, soft=False, whole=True, calendar=calendar))
    if count is None or count.in_step is None or count.needed <= count.in_step.team_rounds:
        return None
    return count


def team_rounds_asked(scenario: Scenario, county: Committee, calendar: CityCalendar) -> TeamRoundsAsked | None:
    """What ``county`` asks of the city's calendar when, in step with it, its teams have too few team-rounds."""
    count = in_step_count(scenario, county, calendar)
    if count is None:
        return None
    step = count.in_step
    return TeamRoundsAsked(county.county, count.needed, step.teams, step.cross_teams, step.shadows)


def county_requests(first: Solution, solutions: list[Solution],
                    team_rounds: tuple[TeamRoundsAsked, ...] = ()) -> CountyRequests:
    """What the counties' plans ask of the city's calendar drafted again: the weeks their regular
    rounds start (with how many start then), the ``team_rounds`` counties short of them ask for,
    and the cross windows of ``first`` and its specials
    of a theme some county runs (the ones counties follow) held where they are; the city's other
    specials may move out of a county round's way."""
    weeks = Counter(r.start_week for s in solutions for r in s.rounds if r.kind == Kind.REGULAR)
    themes = {r.theme for s in solutions for r in s.rounds if r.kind == Kind.SPECIAL}
    calendar = city_calendar(first)
    return CountyRequests(tuple(sorted(weeks.items())), tuple((t, w) for t, w in calendar.special if t in themes),
                          tuple(w for w, _n in calendar.cross), team_rounds)


def in_step(solutions: list[Solution], weeks: int) -> tuple[int, int]:
    """(county regular rounds in step with the city's, all county regular rounds) of a whole plan."""
    city = next((s for s in solutions if s.committee == CITY), None)
    if city is None:
        return 0, 0
    calendar = city_calendar(city)
    counties = [s for s in solutions if s.committee != CITY]
    total = sum(1 for s in counties for r in s.rounds if r.kind == Kind.REGULAR)
    return total - sum(len(out_of_step(s, calendar, weeks)) for s in counties), total


def coupling_lines(scenario: Scenario, coupling: Coupling, solutions: list[Solution]) -> list[str]:
    """What the coupling pass did, in the office's words: before, what moved, after."""
    weeks = scenario.linkage.sync_weeks
    grid = WeekGrid.of(scenario)
    done, total = in_step(solutions, weeks)
    if not solutions or not solutions[0].has_plan:
        return []  # no city calendar: the counties were not drafted, nothing was coupled
    if not coupling.failed and not coupling.out_of_step:
        return [f"市县协调: 各县区按市委日程编制, {done}/{total} 轮常规巡察与市委同步, 市委日程无需调整。"]
    asked = []
    for county in coupling.failed:
        starts = (coupling.needed or {}).get(county)
        asked.append(f"{county}按市委第一版日程排不出与市委同步的方案" + (
            "" if starts is None else f" (不要求同步时, 其方案有{len(starts)}轮常规巡察不同步)"))
    for county, starts in sorted((coupling.out_of_step or {}).items()):
        asked.append(f"{county}有{len(starts)}轮常规巡察不同步 ("
                     + "、".join(date_cn(grid.monday(w)) for w in starts) + " 进驻)")
    lines = [f"市县协调: {'; '.join(asked)}。"]
    if coupling.redrafted:
        first, final = coupling.city_objective
        more = ""
        if coupling.short:
            names = "、".join(f"{a.county}至少{a.needed}组次" for a in coupling.short)
            more = (f"为组次不够的县区 ({names}) 增加常规巡察轮次" + (
                f", 仍差{coupling.short_left}组次; " if coupling.short_left else "; "))
        lines.append(f"市委据各县区的进驻时间重排日程: {more}{coupling.requested}轮县区常规巡察中, "
                     f"{coupling.requested - coupling.unmet}轮在市委某轮前后{weeks}周内; "
                     f"市委方案目标值 {first:.0f} → {final:.0f}。各县区再按新日程编制。")
    else:
        lines.append("市委未能在时限内重排日程, 各县区仍按第一版日程编制。")
    if coupling.kept_first:
        lines.append("按新日程, 时限内排出方案的县区比第一版少, 保留市委第一版日程和各县区第一版方案 (可加长 --time-limit)。")
    lines.append(f"协调后: {done}/{total} 轮县区常规巡察与市委同步。")
    return lines


def failing_county(scenario: Scenario, county: str, city: Solution, coupling: Coupling) -> str:
    """Why ``county`` has no plan in step with the city's calendar: its teams, pools, units and efforts
    against the rounds the calendar offers."""
    committee = Committee(county)
    staff = scenario.policy(committee).staff
    units = scenario.targets_of(committee)
    regular = sum(1 for r in city.rounds if r.kind == Kind.REGULAR)
    text = (f"{county}: 未能排出与市委轮次同步的方案。该县区有{len(scenario.teams_of(committee))}个巡察组, "
            f"每轮可抽调干部{staff.drafted_pool}人、组长{staff.leader_pool}人, {len(units)}个巡察对象 "
            f"(工作量合计{sum(t.effort for t in units)}); 市委日程共{regular}轮常规巡察, 该县区每轮常规巡察须在"
            f"市委某轮进驻前后{scenario.linkage.sync_weeks}周内进驻")
    count = in_step_count(scenario, committee, city_calendar(city))
    if count is not None:
        step = count.in_step
        text += (f"; 覆盖全部单位至少需要{count.needed}组次, 而与市委{step.city_rounds}轮常规巡察同步进驻, "
                 f"该县区{step.teams}个组至多{step.team_rounds}组次"
                 + (f" (其中{step.cross_teams}个组参加交叉巡察, 每组至多{step.cross_rounds}组次)" if step.cross_teams
                    else "") + ", 已证明排不下")
    starts = (coupling.needed or {}).get(county)
    if starts:
        text += f"; 不要求同步时, 其方案有{len(starts)}轮常规巡察在市委各轮前后{scenario.linkage.sync_weeks}周之外"
    return text + ("。可增加人员或组次, 放宽 linkage.sync_weeks, 或以 --set linkage.sync_hard=false 将同步改为软性规则。")


def _own_objective(city: Solution, first: Solution) -> Solution:
    """The city's plan from the coupling pass with the counties' weeks taken out of its objective;
    its bound is the first plan's (the same rules, without the counties' weeks)."""
    asked = sum(city.penalties.get(rule, 0) * city.weights.get(rule, 0) for rule in (REQUESTS, TEAM_ROUNDS))
    objective = city.objective - asked
    bound = min(first.best_bound or 0.0, objective)
    return replace(
        city, objective=objective, best_bound=bound,
        status=SolveStatus.OPTIMAL if objective <= bound else SolveStatus.FEASIBLE,
        penalties={k: v for k, v in city.penalties.items() if k not in (REQUESTS, TEAM_ROUNDS)},
        penalty_parts={k: v for k, v in city.penalty_parts.items() if k not in (REQUESTS, TEAM_ROUNDS)},
        weights={k: v for k, v in city.weights.items() if k not in (REQUESTS, TEAM_ROUNDS)})


def _share(settings: SolveSettings, share: float, left: float | None = None) -> SolveSettings:
    """``share`` of the time limit, or all that is ``left`` of it if more."""
    return replace(settings, time_limit=max(5.0, settings.time_limit * share, left or 0.0))


def city_seconds(settings: SolveSettings) -> float:
    """The seconds of the city's first plan."""
    return _share(settings, CITY_SHARE).time_limit


def county_seconds(settings: SolveSettings, jobs: int, counties: int) -> float:
    """The seconds of each county's first plan against the city's calendar, ``jobs`` at a time."""
    return share_of(_share(settings, COUNTY_SHARE).time_limit, jobs, counties)


def final_seconds(left: float, jobs: int, counties: list[Committee], hinted: set[Committee]) -> dict[Committee, float]:
    """Each county's seconds against the final calendar, ``left`` seconds with ``jobs`` at a time:
    an equal share when that is MIN_SECONDS or more; short of it, a county hinted by its first plan
    gets HINTED_SECONDS, and the others share the rest, MIN_SECONDS at least."""
    total = max(left, 0.0) * min(jobs, len(counties))
    equal = total / max(len(counties), 1)
    if equal >= MIN_SECONDS:
        return {c: equal for c in counties}
    rest = (total - HINTED_SECONDS * len(hinted)) / max(len(counties) - len(hinted), 1)
    return {c: HINTED_SECONDS if c in hinted else max(MIN_SECONDS, rest) for c in counties}


def _better(first: Solution | None, second: Solution | None) -> Solution | None:
    """The better of two plans of one committee against the same calendar."""
    plans = [s for s in (first, second) if s is not None and s.has_plan]
    if not plans:
        return second or first
    return min(plans, key=lambda s: (len(s.uncovered), s.objective))


def draft_whole(
    scenario: Scenario,
    settings: SolveSettings,
    jobs: int = 2,
    on_report: Callable[[CommitteeProgress], None] | None = None,
    allow_uncovered: bool = False,
) -> tuple[list[Solution], bool, Coupling]:
    """The city plan, then every county plan against its calendar, coupled where a county cannot
    follow it; the solutions (city first), whether Ctrl-C stopped the run, and what the coupling
    pass saw. Without a city plan no county is planned."""
    city_progress = (lambda p: on_report(CommitteeProgress(CITY, p))) if on_report else None

    def city_plan(how: SolveSettings, first: Solution | None = None, **extra) -> tuple[Solution, dict[str, int]]:
        """The city's plan (its own objective, when redrafted from ``first``) and what the
        counties' requests still miss."""
        if on_report:
            on_report(CommitteeProgress(CITY))
        solution = draft_plan(scenario, CITY, how, city_progress, allow_uncovered=allow_uncovered, whole=True,
                              **extra)
        missed = {rule: solution.penalties.get(rule, 0) for rule in (REQUESTS, TEAM_ROUNDS)}
        if first is not None and solution.has_plan:
            solution = _own_objective(solution, first)
        if on_report:
            on_report(CommitteeProgress(CITY, solution=solution))
        return solution, missed

    began = time.monotonic()
    first, _missed = city_plan(_share(settings, CITY_SHARE))
    if not first.has_plan or first.stopped_by == StopReason.INTERRUPTED:
        return [first], first.stopped_by == StopReason.INTERRUPTED, Coupling()
    counties = [Committee(c) for c in scenario.counties]
    calendar, weeks = city_calendar(first), scenario.linkage.sync_weeks
    first_wave = _share(settings, COUNTY_SHARE)
    probe = None
    if scenario.linkage.sync_hard:
        # A county without a plan in step is drafted again with sync soft, in the slot it leaves, to
        # learn the weeks it needs.
        each = replace(first_wave, time_limit=share_of(first_wave.time_limit, jobs, len(counties)))
        probe = FollowUp(apply_overrides(scenario, ["linkage.sync_hard=false"]), each)
    drafted, stopped = draft_plans(scenario, counties, first_wave, jobs, on_report, allow_uncovered, calendar,
                                   follow_up=probe)
    plans, probes = drafted[:len(counties)], drafted[len(counties):]
    mine = {s.committee: s for s in plans}
    if stopped:
        return [first, *plans], True, Coupling()
    failed = [c for c in counties if not mine[c].has_plan]
    apart = {c.county: out_of_step(mine[c], calendar, weeks) for c in counties if mine[c].has_plan}
    coupling = Coupling(failed=tuple(c.county for c in failed), out_of_step={k: v for k, v in apart.items() if v},
                        county_rounds=sum(1 for s in plans for r in s.rounds if r.kind == Kind.REGULAR),
                        city_objective=(first.objective, first.objective))
    city, seen = first, dict(mine)
    if failed or coupling.out_of_step:
        seen.update({s.committee: s for s in probes if s.has_plan})
        if probes:
            coupling = replace(coupling, needed={s.county: out_of_step(s, calendar, weeks)
                                                 for s in probes if s.has_plan})
        short = tuple(asked for c in failed if (asked := team_rounds_asked(scenario, c, calendar)) is not None)
        requests = county_requests(first, [s for s in seen.values() if s.has_plan], short)
        again, missed = city_plan(_share(settings, RECITY_SHARE), first, start=solution_frame(first, scenario),
                                    requests=requests)
        if again.stopped_by == StopReason.INTERRUPTED:
            return [first, *plans], True, coupling
        if again.has_plan:
            city = again
            coupling = replace(coupling, redrafted=True, requested=sum(n for _w, n in requests.regular),
                               unmet=missed[REQUESTS], short=short, short_left=missed[TEAM_ROUNDS],
                               city_objective=(first.objective, city.objective))
            calendar = city_calendar(city)
    hints = {c: solution_frame(s, scenario) for c, s in seen.items() if s.has_plan}
    left = settings.time_limit - (time.monotonic() - began) - SPAWN_SECONDS
    final_wave = replace(settings, time_limit=max(left, 0.0))
    # Counties without a plan in step go first: they need the time most.
    order = sorted(counties, key=lambda c: mine[c].has_plan)
    seconds = final_seconds(left, jobs, counties, {c for c in counties if mine[c].has_plan})
    again_short = FollowUp(scenario, replace(final_wave, time_limit=MIN_SECONDS))
    final, stopped = draft_plans(scenario, order, final_wave, jobs, on_report, allow_uncovered, calendar,
                                 hints=hints, follow_up=again_short, seconds=seconds)
    last = {s.committee: s for s in final}
    if city is first:  # the same calendar: a county's first plan still holds
        last = {c: _better(mine.get(c), last.get(c)) for c in counties}
    elif not stopped and _planned(last.values()) < _planned(mine.values()):
        # The new calendar cost more county plans than it won in the time there was.
        return [first, *plans], stopped, replace(coupling, kept_first=True)
    return [city, *(last[c] for c in counties if last.get(c) is not None)], stopped, coupling


def _planned(solutions) -> int:
    return sum(1 for s in solutions if s is not None and s.has_plan)


def draft_committees(
    scenario: Scenario,
    scope: Scope,
    settings: SolveSettings,
    *,
    jobs: int = 2,
    on_report: Callable[[CommitteeProgress], None] | None = None,
    allow_uncovered: bool = False,
    start: pd.DataFrame | None = None,
    stay_close: bool = False,
    free: bool = False,
) -> tuple[list[Solution], bool, Coupling]:
    """Plan the scope: one committee by itself, several side by side, or the whole city, counties
    against the city's calendar. ``start``: a plan table to start from (one committee planned);
    with ``stay_close``, also to stay close to, every committee (``free``: the soft rules first).

    Returns the solutions, whether Ctrl-C stopped the run, and what the coupling pass saw.
    """
    if scope.single is not None:  # a whole city without counties too
        committee = scope.single
        baseline = baseline_of(start, scenario, committee, free) if stay_close and start is not None else None
        progress = (lambda p: on_report(CommitteeProgress(committee, p))) if on_report else None
        solution = draft_plan(scenario, committee, settings, progress, allow_uncovered=allow_uncovered, start=start,
                              baseline=baseline)
        return [solution], solution.stopped_by == StopReason.INTERRUPTED, Coupling()
    if scope.whole:
        return draft_whole(scenario, settings, jobs, on_report, allow_uncovered)
    solutions, stopped = draft_plans(scenario, list(scope.committees), settings, jobs, on_report, allow_uncovered,
                                     start=start if stay_close else None, free=free)
    return solutions, stopped, Coupling()
