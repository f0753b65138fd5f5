"""The whole-city rules on tiny instances (linked_sectors, audit_sync, county_requests; sync and
county_visits in tests/rules): each binds where it should."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from ortools.sat.python import cp_model

from planner.loading import ScenarioError, load_scenario
from planner.build import build_model
from planner.model_types import CityCalendar, CityRound, CountyRequests, TeamRoundsAsked
from planner.solve import solve, tidied
from planner.tables import Audit
from planner.vocabulary import CITY, Kind
from rule_helpers import JIA, WHOLE, WHOLE_QUICK, calendar_at, solve_whole


def test_a_county_inspects_the_linked_sectors_in_the_round_in_step(whole):
    plan = solve_whole(whole, JIA, calendar_at(20, ("教育",)))
    in_step = [r for r in plan.rounds if r.kind == Kind.REGULAR and abs(r.start_week - 20) <= 2]
    assert plan.penalties["linked_sectors"] == 0
    assert "AE" in {t for r in in_step for tr in r.teams for t in tr.targets}  # 甲县教育局 with the city's 教育


def test_one_county_round_links_with_both_city_rounds_it_starts_near(whole):
    """City rounds in weeks 20 (教育) and 23 (水利): 甲县's one team has time for one round near them,
    and that round, starting within two weeks of both, links both sectors."""
    weeks = whole.cross_weeks()
    calendar = CityCalendar(regular=(CityRound(1, 20, 24, ("教育",)), CityRound(2, 23, 27, ("水利",))),
                            special=(("乡村振兴专项巡察", 10),), cross=((30, weeks),))
    plan = solve_whole(whole, JIA, calendar)
    (near_both,) = [r for r in plan.rounds if r.kind == Kind.REGULAR and 20 <= r.start_week <= 27]
    assert all(abs(near_both.start_week - w) <= whole.linkage.sync_weeks for w in (20, 23))
    assert {"AE", "AW"} <= {t for tr in near_both.teams for t in tr.targets}
    assert plan.penalties["linked_sectors"] == 0


def test_the_city_names_sectors_its_own_units_and_every_county_have(whole):
    plan = solve_whole(whole)
    named = {s for r in plan.rounds for s in r.sectors}
    assert plan.penalties["linked_sectors"] == 0 and named == {"教育", "水利"}  # the sectors all three counties have
    for r in plan.rounds:
        sectors_here = {t.sector for t in whole.targets for tr in r.teams if t.id in tr.targets}
        assert set(r.sectors) <= sectors_here and len(r.sectors) <= whole.linkage.sectors_per_round


def test_audit_sync_moves_a_unit_into_its_audit_year(whole):
    two_years = whole.replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)},
                              cross_inspection={"rounds": []})
    audited = two_years.replace(audits=(Audit(unit="G1", year=2028), Audit(unit="E1", year=2028)),
                                weights=two_years.weights.model_copy(update={"audit_sync": 100}))
    plan = solve(build_model(audited), WHOLE_QUICK)
    assert plan.penalties["audit_sync"] == 0
    # Weighed below risk first, the riskier unit stays early: the rule only costs.
    cheap = audited.replace(weights=two_years.weights.model_copy(update={"audit_sync": 1}))
    assert solve(build_model(cheap), WHOLE_QUICK).penalties["audit_sync"] >= 1
    year_of = {t: two_years.horizon.start.year + (r.start_week >= 52) for r in plan.rounds if r.kind == Kind.REGULAR
               for tr in r.teams for t in tr.targets}
    assert year_of["G1"] == year_of["E1"] == 2028


def test_the_audit_plan_is_read_from_audits_csv_in_chinese(tmp_path):
    folder = tmp_path / "whole"
    shutil.copytree(WHOLE, folder)
    (folder / "audits.csv").write_text("被审计单位,审计年度\n市教育局,2027\nAE,2027\n", encoding="utf-8")
    assert load_scenario(folder).audits == (Audit(unit="G1", year=2027), Audit(unit="AE", year=2027))
    (folder / "audits.csv").write_text("单位,审计年度\nG1,2031\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(folder)
    [problem] = caught.value.problems
    assert (problem.file, problem.row, problem.field) == ("audits.csv", 2, "审计年度")
    assert "2031 年不在规划期内" in problem.message


def _city_with_requests(scenario, requests, special=(), cross=()):
    asks = CountyRequests(requests, special, cross)
    return solve(build_model(scenario, CITY, whole=True, requests=asks), WHOLE_QUICK)


def test_the_city_starts_a_regular_round_where_a_county_asks(whole):
    """A county asks for week 36 (after the summer): the city moves a regular round there, at no
    cost the request counts; a week no round can start in (past the term) costs its rounds."""
    weeks = whole.linkage.sync_weeks
    asked = _city_with_requests(whole, ((36, 2),))
    assert asked.penalties["county_requests"] == 0
    assert any(abs(r.start_week - 36) <= weeks for r in asked.rounds if r.kind == Kind.REGULAR)
    beyond = _city_with_requests(whole, ((36, 2), (80, 3)))
    assert beyond.penalties["county_requests"] == 3
    assert beyond.objective - asked.objective == 3 * beyond.weights["county_requests"]
    assert "county_requests" not in solve_whole(whole).penalties  # only in the coupling pass


def test_the_city_redrafted_keeps_the_specials_and_cross_windows_the_counties_follow(whole):
    """Held where the city would not put them (its special five weeks later, its cross window two
    weeks earlier), they start there: the counties' specials and cross rounds still fit."""
    free = solve_whole(whole)
    [(theme, week)] = [(r.theme, r.start_week) for r in free.rounds if r.kind == Kind.SPECIAL]
    cross = tuple(w - 2 for w, _n in free.cross)
    held = _city_with_requests(whole, (), ((theme, week + 5),), cross)
    assert [r.start_week for r in held.rounds if r.kind == Kind.SPECIAL and r.theme == theme] == [week + 5]
    assert tuple(w for w, _n in held.cross) == cross


def _city_for_team_rounds(scenario, *asked):
    return solve(build_model(scenario, CITY, whole=True, requests=CountyRequests(team_rounds=asked)), WHOLE_QUICK)


def test_the_city_moves_and_adds_regular_rounds_for_a_county_short_of_team_rounds(whole):
    """A county's one team, on the cross round, needs three team-rounds in step; a city round that
    starts in the cross round's shadow gives that team none. The city moves its round out of the
    shadow at no cost the request counts. Four cannot be met (three rounds a year at most): one
    team-round short; with every week in the shadow, no round counts."""
    starts = [r.start_week for r in solve_whole(whole).rounds if r.kind == Kind.REGULAR]
    assert len(starts) == 3
    shadow = (starts[1] - 3, starts[1] + 3)
    three = _city_for_team_rounds(whole, TeamRoundsAsked("甲县", 3, 1, 1, (shadow,)))
    assert three.penalties["county_team_rounds"] == 0
    moved = [r.start_week for r in three.rounds if r.kind == Kind.REGULAR]
    assert len(moved) == 3 and not any(shadow[0] < w < shadow[1] for w in moved)
    assert _city_for_team_rounds(whole, TeamRoundsAsked("甲县", 4, 1, 0)).penalties["county_team_rounds"] == 1
    everywhere = _city_for_team_rounds(whole, TeamRoundsAsked("甲县", 2, 1, 1, ((-1, 60),)))
    assert everywhere.penalties["county_team_rounds"] == 2


def test_a_plan_left_with_a_free_gain_untaken_is_tidied_with_its_assignments_held(whole):
    """A search stopped early may leave an indicator at its worse value: here every sector the city
    could name, left unnamed. Tidying holds the assignments and dates and names them again."""
    model = build_model(whole, CITY, whole=True)
    untidy = model.cp.clone()
    for name in model.named.values():
        untidy.add(untidy.get_int_var_from_proto_index(name.index) == 0)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = WHOLE_QUICK.workers
    assert solver.solve(untidy) == cp_model.OPTIMAL
    tidy = tidied(model, solver, WHOLE_QUICK)
    assert tidy is not solver and tidy.objective_value < solver.objective_value
    assert any(tidy.value(name) for name in model.named.values())
    assert all(tidy.value(v) == solver.value(v) for v in model.x.values())
    assert tidied(model, tidy, WHOLE_QUICK) is tidy  # nothing left to gain
