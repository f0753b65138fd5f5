"""The model beside its hard rule families (each binds on a tiny instance in tests/rules):
symmetry breaking, the team-round count that proves a plan short, and the soft rules.

A soft rule binds when raising its weight from 0 moves its penalty to the
minimum against another rule pulling the other way. The penalties are
recomputed here from the plain :class:`Solution`, so the model's own penalty
terms are checked too.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import constraints.team_rounds as team_rounds
from constraints.team_rounds import Stretch, count_team_rounds, most_rounds, most_teams_out, term_rounds
from planner.calendar import WeekGrid
from planner.loading import load_scenario
from planner.build import build_model
from planner.model import interchangeable_targets
from planner.model_types import CityCalendar, CityRound, Relax
from planner.overrides import apply_overrides
from planner.scenario import Scenario
from planner.solution import Solution
from planner.solve import draft_plan, plan_model
from planner.status import StopReason
from planner.tables import Audit
from planner.vocabulary import CATEGORY_GROUP, CITY, Committee
from rule_helpers import NO_WEIGHTS, QUICK, finish_early, merged, mini, model, plan, regular, special, team, theme, unit
from scenario_edits import in_step_county


# --- symmetry breaking -------------------------------------------------------------


def stays_apart(tiny: Scenario, weeks: int) -> Scenario:
    """L (people_org, 8 weeks on site, listed first) and S (party_work_organ, 4 weeks): same
    group, effort and priority, one unit a round, weeks 6-9 closed: S fits before the
    closed weeks (weeks 1-4), L only after them (from week 10)."""
    return mini(tiny, [unit("L", "people_org"), unit("S", "party_work_organ")],
                horizon={"start": dt.date(2027, 1, 4), "end": dt.date(2027, 1, 3) + dt.timedelta(weeks=weeks)},
                calendar={"extra": [{"name": "集中学习", "start": dt.date(2027, 2, 15), "end": dt.date(2027, 3, 12)}]},
                rounds={"max_units_per_team": 1, "regular": {"onsite_weeks_by_category": {"people_org": 8}}})


# Regressions: symmetry breaking once ordered L before S (only county and town stays told
# units apart), calling the 20-week term INFEASIBLE and a week-27 finish OPTIMAL.


def test_units_with_different_stays_are_not_interchangeable(tiny):
    s = stays_apart(tiny, 20)
    assert WeekGrid.of(s).n_weeks == 20 and sorted(WeekGrid.of(s).blocked) == [6, 7, 8, 9]
    solution = plan(s)  # S in weeks 1-4 (or 2-5), L in weeks 10-17, report until week 19
    assert [r.teams[0].targets for r in regular(solution)] == [("S",), ("L",)]
    assert regular(solution)[1].start_week == 10


def test_symmetry_breaking_keeps_the_optimum(tiny):
    solution = plan(stays_apart(tiny, 30), pressure=finish_early)
    assert solution.objective == 20
    assert [r.teams[0].targets for r in regular(solution)] == [("S",), ("L",)]


def test_units_told_apart_by_county_sector_or_audit_are_not_interchangeable():
    """The city's visits into a county (quiet months, hard by default), the linked sectors and the
    audit years tell units apart that category, effort, stays and priority do not. Symmetry
    breaking once ordered two towns of different counties, so a greedy plan keeping the quiet
    months failed to complete once reordered, and the model lost plans that kept them."""
    scenario = load_scenario(None)
    audited = scenario.model_copy(update={"audits": tuple(scenario.audits) + (
        Audit(unit=scenario.targets_of(CITY)[0].id, year=scenario.horizon.start.year),)})
    m = plan_model(audited, whole=True)
    targets = m.data.targets
    classes = interchangeable_targets(m)
    assert classes  # some units are still interchangeable
    audits = {i: year for i, year, _unit in m.data.audits}
    for members in classes:
        assert len({targets[i].county for i in members}) == 1
        assert len({targets[i].sector for i in members}) == 1
        assert len({audits.get(i) for i in members}) == 1


# --- implied: 组次计数 ----------------------------------------------------------------

ONE_ROUND = {"regular": {"rounds_per_year_min": 0, "rounds_per_year_max": 1}}
COUNTS = [
    pytest.param([unit("W1", category="county"), unit("W2", category="county")], None, {}, (1, 2),
                 id="two counties, one team-round"),
    pytest.param([unit("A", effort=2), unit("B", effort=2)], None, {}, (1, 2), id="effort 4, one team-round of 3"),
    # T1 and T2 each need 2 drafted cadres: a pool of 3 sends one of them.
    pytest.param([unit(u) for u in "ABCD"], [team("T1"), team("T2")], {"staff": {"city": {"drafted_pool": 3}}},
                 (1, 2), id="four units, a pool for one of two teams"),
]


@pytest.mark.parametrize(("units", "teams", "edit", "figures"), COUNTS)
def test_too_few_team_rounds_are_proven_by_counting(tiny, units, teams, edit, figures):
    s = mini(tiny, units, teams, rounds=ONE_ROUND, **edit)
    count = count_team_rounds(model(s))
    assert (count.available, count.needed) == figures and count.deficit == 1
    proven = draft_plan(s, settings=QUICK)
    assert proven.status == "INFEASIBLE" and proven.stopped_by == StopReason.COUNT and not proven.rounds
    assert proven.uncovered_bound == 1
    # The count claims no more than is true: the best plan leaves exactly one unit out.
    partial = draft_plan(s, settings=QUICK, allow_uncovered=True)
    assert partial.status == "OPTIMAL" and len(partial.uncovered) == 1
    # One more round a year and the count has no deficit: a plan covers every unit.
    more = mini(tiny, units, teams, rounds={"regular": {"rounds_per_year_max": 2}}, **edit)
    assert count_team_rounds(model(more)).deficit == 0
    assert draft_plan(more, settings=QUICK).complete


# Four units need two team-rounds of the one team; two rounds a year would give two, but the calendar
# leaves room for one: closed from March (8 open weeks: preparation, then one 4-week stay), or a term
# that ends in January (no 2028 round has room for its report). Closed from May, or ending in March: two.
CLOSED = {"name": "封闭", "end": dt.date(2027, 12, 31)}
CALENDARS = [
    pytest.param(dict(rounds={"regular": {"rounds_per_year_min": 0, "rounds_per_year_max": 2}},
                      calendar={"extra": [dict(CLOSED, start=dt.date(2027, 3, 1))]}),
                 dict(calendar={"extra": [dict(CLOSED, start=dt.date(2027, 5, 1))]}),
                 id="closed from March"),
    pytest.param(dict(rounds=ONE_ROUND, horizon={"end": dt.date(2028, 1, 31)}),
                 dict(horizon={"end": dt.date(2028, 3, 31)}), id="a term ending in January"),
]


@pytest.mark.parametrize(("edit", "longer"), CALENDARS)
def test_a_calendar_with_room_for_fewer_rounds_is_proven_short_by_counting(tiny, edit, longer):
    units = [unit(u) for u in "ABCD"]
    s = mini(tiny, units, **edit)
    count = count_team_rounds(model(s))
    assert (count.available, count.needed, count.deficit) == (1, 2, 1)
    # Rounds per year alone would allow two rounds: the calendar is what binds.
    policy = s.policy(CITY).rounds.regular
    assert count.teams_out * policy.rounds_per_year_max * len(WeekGrid.of(s).year_ranges) == 2
    proven = draft_plan(s, settings=QUICK)
    assert proven.status == "INFEASIBLE" and proven.stopped_by == StopReason.COUNT and not proven.rounds
    assert proven.uncovered_bound == 1
    # The count claims no more than is true: the best plan leaves exactly one unit out.
    partial = draft_plan(s, settings=QUICK, allow_uncovered=True)
    assert partial.status == "OPTIMAL" and len(partial.uncovered) == 1
    roomier = mini(tiny, units, **merged(edit, longer))
    assert count_team_rounds(model(roomier)).deficit == 0
    assert draft_plan(roomier, settings=QUICK).complete


def test_a_countys_cross_round_takes_one_of_its_regular_rounds_in_the_count():
    whole = load_scenario(Path(__file__).parent / "data" / "whole")
    county = Committee(whole.counties[0])
    most = whole.policy(county).rounds.regular.rounds_per_year_max
    alone = count_team_rounds(build_model(whole, county, relax=frozenset({Relax.COVERAGE})))
    calendar = CityCalendar(regular=(), cross=((30, whole.cross_weeks()),))
    crossed = count_team_rounds(build_model(whole, county, relax=frozenset({Relax.COVERAGE}), whole=True,
                                            calendar=calendar))
    assert len(WeekGrid.of(whole).year_ranges) == 1 and (alone.rounds, crossed.rounds) == (most, most - 1)


def _city_rounds(scenario: Scenario, *starts: int) -> CityCalendar:
    """A city calendar with regular rounds starting in ``starts`` and the cross round in week 30."""
    return CityCalendar(regular=tuple(CityRound(n, w, w + 4, ()) for n, w in enumerate(starts, 1)),
                        cross=((30, scenario.cross_weeks()),))


@pytest.mark.parametrize(("starts", "figures"), [
    pytest.param((10,), (1, 1), id="one city round"),
    pytest.param((10, 31), (2, 1), id="the second city round in the cross round's weeks"),
])
def test_a_county_in_step_with_the_city_is_short_of_team_rounds_by_counting(tmp_path, starts, figures):
    """In step (sync hard), 甲县's one team goes out near a city regular round: one city round
    gives it one team-round for two; a second city round where its team is on the cross round gives
    it none. The count proves the county short at once, and the solver agrees it is short by one unit."""
    s = load_scenario(in_step_county(tmp_path))
    county, calendar = Committee("甲县"), _city_rounds(s, *starts)
    count = count_team_rounds(build_model(s, county, relax=frozenset({Relax.COVERAGE}), whole=True, calendar=calendar))
    step = count.in_step
    assert (step.free_rounds, step.cross_rounds) == figures and step.cross_teams == 1
    assert (count.needed, count.available, count.deficit) == (2, 1, 1)
    proven = draft_plan(s, county, QUICK, whole=True, calendar=calendar)
    assert proven.status == "INFEASIBLE" and proven.stopped_by == StopReason.COUNT
    partial = draft_plan(s, county, QUICK, allow_uncovered=True, whole=True, calendar=calendar)
    assert partial.status == "OPTIMAL" and len(partial.uncovered) == 1
    # Two city rounds clear of the cross round: two team-rounds, and a plan that covers every unit.
    clear = _city_rounds(s, 10, 40)
    count = count_team_rounds(build_model(s, county, relax=frozenset({Relax.COVERAGE}), whole=True, calendar=clear))
    assert count.in_step.team_rounds == 2 and count.deficit == 0
    assert draft_plan(s, county, QUICK, whole=True, calendar=clear).complete
    # With sync soft the county may start rounds away from the city's: no in-step count.
    soft = apply_overrides(s, ["linkage.sync_hard=false"])
    assert count_team_rounds(build_model(soft, county, relax=frozenset({Relax.COVERAGE}), whole=True,
                                         calendar=calendar)).in_step is None


def test_many_unlike_themes_are_counted_as_the_shortest_never_below_the_exact_count(tiny, monkeypatch):
    # Seven unlike themes (five lengths, two bound to a year) make 2**7 states of the exact recursion,
    # above its limit: the count then places every theme as the shortest, in any year. Twelve regular
    # rounds a year let the calendar, not the cap, bind.
    themes = [dict(name=f"专项{s}", scope_units=s, max_teams=1) for s in (2, 3, 4, 5, 6)]
    themes += [dict(name=f"专项{y}", scope_units=2, max_teams=1, year=y) for y in (2027, 2028)]
    s = mini(tiny, [unit(u) for u in "ABCD"], horizon={"end": dt.date(2028, 12, 31)},
             rounds={"regular": {"rounds_per_year_max": 12}, "special": {"themes": themes, "rounds_per_year_max": 7}})
    m = model(s)
    pooled = term_rounds(m)
    monkeypatch.setattr(team_rounds, "MOST_SPECIAL_STATES", 2**7)
    exact = term_rounds(m)
    assert exact is not None and pooled is not None
    # Shorter themes in any year leave the regular rounds at least the room they have: never fewer.
    assert exact <= pooled <= 2 * s.policy(CITY).rounds.regular.rounds_per_year_max
    assert pooled > exact, (pooled, exact)  # and here strictly more: the pooled count is looser, not the same count


@st.composite
def calendars(draw):
    """A term of up to 10 weeks in up to three years, a cap a year, one regular stretch, up to two specials."""
    n = draw(st.integers(1, 10))
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=2))) if n > 1 else []
    years = [2027 + sum(w >= c for c in cuts) for w in range(n)]
    caps = {y: draw(st.integers(0, 3)) for y in set(years)}

    def stretch():
        weeks = draw(st.integers(1, 3))
        return Stretch(weeks, frozenset(draw(st.sets(st.integers(0, n - weeks), max_size=6))) if weeks <= n
                       else frozenset())

    return years, caps, stretch(), [stretch() for _ in range(draw(st.integers(0, 2)))]


def _disjoint(spans: list[range]) -> bool:
    return all(not set(a) & set(b) for a, b in itertools.combinations(spans, 2))


@given(calendars())
def test_most_rounds_is_the_largest_packing_of_rounds_beside_the_specials(calendar):
    years, caps, regular, specials = calendar
    placements = [[range(s, s + sp.weeks) for sp, s in zip(specials, starts)]
                  for starts in itertools.product(*(sorted(sp.starts) for sp in specials))]
    placements = [p for p in placements if _disjoint(p)]
    packings = [[range(s, s + regular.weeks) for s in group]
                for size in range(len(regular.starts) + 1) for group in itertools.combinations(sorted(regular.starts), size)
                if all(Counter(years[s] for s in group)[y] <= cap for y, cap in caps.items())]
    packings = [r for r in packings if _disjoint(r)]
    fits = [len(r) for r in packings for p in placements if _disjoint(r + p)]
    assert most_rounds(years, caps, regular, specials) == (max(fits) if fits else None)


@given(st.lists(st.tuples(st.integers(0, 4), st.booleans()), max_size=7), st.integers(0, 10), st.integers(0, 3))
def test_most_teams_out_is_the_largest_set_the_pools_staff(needs, drafted_pool, leader_pool):
    fits = [len(group) for size in range(len(needs) + 1) for group in itertools.combinations(needs, size)
            if sum(n for n, _ in group) <= drafted_pool and sum(lead for _, lead in group) <= leader_pool]
    assert most_teams_out(needs, drafted_pool, leader_pool) == max(fits)


# --- soft rules ---------------------------------------------------------------------


def priority_rank(s: Scenario, solution: Solution) -> int:
    """risk_first: sum of risk x ordinal of the target's regular round (no unit is overdue)."""
    risk = {t.id: t.risk for t in s.targets}
    return sum(risk[t] * n for n, r in enumerate(regular(solution)) for tr in r.teams for t in tr.targets)


def mix_shortfall(s: Scenario, solution: Solution) -> int:
    category = {t.id: t.category for t in s.targets}
    need = min(s.soft.mix_min_groups, len({CATEGORY_GROUP[c] for c in category.values()}))
    return sum(max(0, need - len({CATEGORY_GROUP[category[t]] for tr in r.teams for t in tr.targets}))
               for r in regular(solution))


def team_load_spread(s: Scenario, solution: Solution) -> int:
    effort = {t.id: t.effort for t in s.targets}
    loads = Counter({tm.id: 0 for tm in s.teams})
    for r in regular(solution):
        for tr in r.teams:
            loads[tr.team] += sum(effort[t] for t in tr.targets)
    return max(loads.values()) - min(loads.values())


def year_loads(s: Scenario, solution: Solution) -> dict[int, int]:
    effort, grid = {t.id: t.effort for t in s.targets}, WeekGrid.of(s)
    loads = {y: 0 for y in s.horizon.years}
    for r in regular(solution):
        loads[grid.year_of(r.start_week)] += sum(effort[t] for tr in r.teams for t in tr.targets)
    return loads


def year_spread(s: Scenario, solution: Solution) -> int:
    before_last = list(year_loads(s, solution).values())[:-1]
    return max(before_last) - min(before_last)


def last_year_excess(s: Scenario, solution: Solution) -> int:
    loads = year_loads(s, solution)
    return max(0, loads[max(loads)] - int(s.soft.last_year_share * sum(loads.values()) / len(loads)))


def special_overrun(s: Scenario, solution: Solution) -> int:
    return max(0, special(solution).onsite_weeks - s.rounds.special.target_onsite_weeks)


def drafted_weeks(s: Scenario, solution: Solution) -> int:
    return sum(tr.drafted * (r.prep_weeks + tr.onsite_weeks + r.report_weeks) for r in solution.rounds for tr in r.teams)


def soft_plan(s: Scenario, rule: str, weight: int, metric) -> tuple[Solution, int]:
    """Solve with ``rule`` at ``weight``; the recomputed penalty matches the model's."""
    s = s.replace(weights=s.weights.model_dump() | {rule: weight})
    solution = plan(s)
    value = metric(s, solution)
    if weight:
        assert solution.penalties[rule] == value
    else:
        assert rule not in solution.penalties
    return solution, value


def two_year_plan(tiny):
    """H (risk 5, effort 1) and L (risk 1, effort 3), one round a year: risk first wants H
    in 2027, room in the last year wants L in 2027 (cap int(0.6 * 4 / 2) = 1)."""
    return mini(tiny, [unit("H", "party_work_organ", effort=1, risk=5), unit("L", effort=3, risk=1)],
                horizon={"end": dt.date(2028, 12, 31)}, rounds={"regular": {"rounds_per_year_max": 1}})


def test_risk_first_brings_high_risk_units_forward(tiny):
    s = two_year_plan(tiny).replace(weights=NO_WEIGHTS | {"last_year_room": 10})
    late, value = soft_plan(s, "risk_first", 0, priority_rank)
    assert [r.teams[0].targets for r in regular(late)] == [("L",), ("H",)] and value == 5
    early, value = soft_plan(s, "risk_first", 10, priority_rank)
    assert [r.teams[0].targets for r in regular(early)] == [("H",), ("L",)] and value == 1


def test_last_year_room_keeps_the_last_year_light(tiny):
    s = two_year_plan(tiny).replace(weights=NO_WEIGHTS | {"risk_first": 10})
    heavy, value = soft_plan(s, "last_year_room", 0, last_year_excess)
    assert year_loads(s, heavy) == {2027: 1, 2028: 3} and value == 2
    light, value = soft_plan(s, "last_year_room", 30, last_year_excess)
    assert year_loads(s, light) == {2027: 3, 2028: 1} and value == 0


def test_mixed_rounds_mix_party_and_government_units(tiny):
    # One team, two units a round; risk first alone puts both party units in round 1.
    units = [unit("P1", "party_work_organ", risk=5), unit("P2", "party_work_organ", risk=5), unit("G1", risk=1),
             unit("G2", risk=1)]
    s = mini(tiny, units, rounds={"regular": {"rounds_per_year_max": 2}, "max_units_per_team": 2},
             soft={"mix_min_groups": 2}, weights={"risk_first": 1})
    apart, value = soft_plan(s, "mixed_rounds", 0, mix_shortfall)
    assert [set(r.teams[0].targets) for r in regular(apart)] == [{"P1", "P2"}, {"G1", "G2"}] and value == 2
    mixed, value = soft_plan(s, "mixed_rounds", 10, mix_shortfall)
    assert value == 0 and all(len({t[0] for t in r.teams[0].targets}) == 2 for r in regular(mixed))


def load_pair(tiny):
    """T1 needs 2 drafted cadres, T2 (no liaison) 3; two units, one round: drafting wants
    T1 to take both, even load wants one each."""
    return mini(tiny, [unit("A"), unit("B")], [team("T1"), team("T2", liaison=0)],
                rounds={"regular": {"rounds_per_year_max": 1}})


def test_even_team_load_shares_the_units(tiny):
    s = load_pair(tiny).replace(weights=NO_WEIGHTS | {"drafted_cadres": 1})
    uneven, value = soft_plan(s, "even_team_load", 0, team_load_spread)
    assert [tr.team for tr in regular(uneven)[0].teams] == ["T1"] and value == 2
    even, value = soft_plan(s, "even_team_load", 20, team_load_spread)
    assert [tr.team for tr in regular(even)[0].teams] == ["T1", "T2"] and value == 0


def test_few_drafted_cadres_sends_the_fuller_team(tiny):
    s = load_pair(tiny).replace(weights=NO_WEIGHTS | {"even_team_load": 1})
    both, value = soft_plan(s, "drafted_cadres", 0, drafted_weeks)
    assert len(regular(both)[0].teams) == 2 and value == 2 * 7 + 3 * 7  # (prep 1 + on-site 4 + report 2)
    one, value = soft_plan(s, "drafted_cadres", 1, drafted_weeks)
    assert [tr.team for tr in regular(one)[0].teams] == ["T1"] and value == 2 * 7


def test_even_year_load_spreads_work_over_the_years(tiny):
    # Five units, one team, at least one round a year over 2027-2029: risk first alone
    # puts three in 2027's round.
    s = mini(tiny, [unit(f"U{n}") for n in range(5)], horizon={"end": dt.date(2029, 12, 31)},
             rounds={"regular": {"rounds_per_year_max": 2}}, weights={"risk_first": 1})
    front, value = soft_plan(s, "even_year_load", 0, year_spread)
    assert year_loads(s, front) == {2027: 3, 2028: 1, 2029: 1} and value == 2
    even, value = soft_plan(s, "even_year_load", 10, year_spread)
    assert year_loads(s, even) == {2027: 2, 2028: 2, 2029: 1} and value == 0


def test_short_special_sends_more_teams_for_a_shorter_round(tiny):
    # Scope 6: one team stays 6 weeks (fewest drafted cadre-weeks), two teams 3 weeks.
    s = mini(tiny, [unit("A")], [team("T1"), team("T2", liaison=0)], weights={"drafted_cadres": 1},
             rounds={"special": {"themes": [theme(6, max_teams=2)], "onsite_weeks": 2, "target_onsite_weeks": 3,
                                 "max_onsite_weeks": 8}})
    long, value = soft_plan(s, "short_special", 0, special_overrun)
    assert [(tr.team, tr.onsite_weeks) for tr in special(long).teams] == [("T1", 6)] and value == 3
    short, value = soft_plan(s, "short_special", 30, special_overrun)
    assert [(tr.team, tr.onsite_weeks) for tr in special(short).teams] == [("T1", 3), ("T2", 3)] and value == 0
