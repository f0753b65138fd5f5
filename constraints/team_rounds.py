"""Team-rounds: a count that settles a term too short for its units (implied, not a new rule)."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.model import PlanModel
from planner.model_types import Relax
from planner.vocabulary import CITY, Kind


@dataclass(frozen=True)
class TeamRoundCount:
    """The regular team-rounds (组次) a term offers against those its units need."""

    teams_out: int  # the most teams the pools staff in one regular round
    rounds: int  # regular rounds the term allows (rounds per year and the calendar)
    whole: int  # units that take a team's round alone (整组巡察)
    others: int  # the other units
    effort: int  # their effort, each capped at a team-round's
    per_team: int  # units a team covers in one round at most
    max_effort: int  # effort a team covers in one round at most
    in_step: InStep | None = None  # a county held in step with the city's calendar (sync hard)

    @property
    def available(self) -> int:
        pooled = self.teams_out * self.rounds
        return pooled if self.in_step is None else min(pooled, self.in_step.team_rounds)

    @property
    def needed(self) -> int:
        return self.whole + max(-(-self.others // self.per_team), -(-self.effort // self.max_effort))

    @property
    def deficit(self) -> int:
        """Units every plan leaves out at least: each unit left out frees at most one team-round of
        the pools' count, and at most ``in_step.freed`` of the in-step count."""
        short = self.needed - self.teams_out * self.rounds
        if self.in_step is not None:
            short = max(short, -(-(self.needed - self.in_step.team_rounds) // self.in_step.freed))
        return max(0, short)


@dataclass(frozen=True)
class InStep:
    """The regular team-rounds a county's teams can go out on in step with the city's calendar."""

    teams: int  # the county's teams that can go out on a regular round
    free_rounds: int  # the most regular rounds one team can go out on, each near a city regular round
    cross_teams: int  # teams that must go out on a cross round, at least
    cross_rounds: int  # the most regular rounds such a team can go out on beside its cross round
    city_rounds: int  # the city's regular rounds
    shadows: tuple[tuple[int, int], ...] = ()  # a city round starting in (lo, hi) leaves a cross team no round near it

    @property
    def team_rounds(self) -> int:
        return (self.teams - self.cross_teams) * self.free_rounds + self.cross_teams * self.cross_rounds

    @property
    def freed(self) -> int:
        """Team-rounds one unit left out can free: a cross unit frees its team's lost rounds."""
        return max(1, self.free_rounds - self.cross_rounds)


def most_teams_out(needs: list[tuple[int, bool]], drafted_pool: int, leader_pool: int) -> int:
    """The most teams the pools can staff at once, each team given as (drafted cadres it needs,
    whether it needs a drafted leader): a knapsack over (drafted cadres, leaders) used, counting teams."""
    best = {(0, 0): 0}  # (drafted, leaders) used -> most teams
    for need, leader in needs:
        for (drafted, leaders), count in list(best.items()):
            key = (drafted + need, leaders + leader)
            if key[0] <= drafted_pool and key[1] <= leader_pool and best.get(key, -1) < count + 1:
                best[key] = count + 1
    return max(best.values())


# The packing's states per week and count of the year's rounds: sets of special themes still to place.
MOST_SPECIAL_STATES = 64


@dataclass(frozen=True)
class Stretch:
    """Rounds of one kind for the packing: each on site at least ``weeks`` weeks from one of ``starts``."""

    weeks: int
    starts: frozenset[int]


def most_rounds(years: Sequence[int], caps: Mapping[int, int], regular: Stretch,
                specials: Sequence[Stretch] = ()) -> int | None:
    """The most regular rounds that fit in a term of ``len(years)`` weeks (``years[w]``: the year of
    week w), at most ``caps[y]`` starting in year y, beside one round of each of ``specials``, no two
    on site in the same week; None when the specials alone do not fit.

    Exact, by a backward recursion over weeks: f(w, c, rest) is the most regular rounds starting at w
    or later, with c regular rounds already started in week w's year and the specials ``rest`` still
    to place; at week w the term either starts nothing, or a round that holds the weeks [w, w + L).
    """
    n = len(years)
    kinds = Counter(specials)
    groups = list(kinds)
    full = tuple(kinds[g] for g in groups)
    rests = list(itertools.product(*(range(k + 1) for k in full)))
    none = -1  # no way to place the specials left
    after: dict[tuple[int, int, tuple[int, ...]], int] = {}

    def value(w: int, year: int, c: int, rest: tuple[int, ...]) -> int:
        """f at week w, reached from a week of ``year`` with c rounds started in it."""
        if w >= n:
            return 0 if not any(rest) else none
        return after[w, c if years[w] == year else 0, rest]

    for w in range(n - 1, -1, -1):
        year = years[w]
        for c in range(caps.get(year, 0) + 1):
            for rest in rests:
                best = value(w + 1, year, c, rest)
                if c < caps.get(year, 0) and w in regular.starts:
                    got = value(w + regular.weeks, year, c + 1, rest)
                    if got != none:
                        best = max(best, got + 1)
                for j, group in enumerate(groups):
                    if rest[j] and w in group.starts:
                        best = max(best, value(w + group.weeks, year, c, rest[:j] + (rest[j] - 1,) + rest[j + 1:]))
                after[w, c, rest] = best
    found = value(0, years[0], 0, full) if n else (0 if not any(full) else none)
    return None if found == none else found


def term_rounds(m: PlanModel) -> int | None:
    """The most regular rounds the term allows: at most ``rounds_per_year_max`` a year (less a county's
    cross rounds, which count as regular ones), each on site at least the shortest regular stay, in
    open weeks, with its preparation and report inside the term, none in the same week as another
    round or as a special round (each theme runs, at least as long as its scope needs); None when
    the special rounds alone do not fit."""
    data = m.data
    policy = data.round_policy(Kind.REGULAR)
    caps = _regular_caps(m)
    stays = [data.stay(i, Kind.REGULAR) for i in range(len(data.targets)) if m.eligible(i, Kind.REGULAR)]
    shortest = min(stays, default=policy.onsite_weeks)
    regular = Stretch(shortest, m.open_starts(shortest, policy.prep_weeks, policy.report_weeks))
    years = [data.grid.year_of(w) for w in range(m.horizon_weeks)]
    special, specials = data.policy.rounds.special, []
    for theme in special.themes:
        top = min(theme.max_teams, len(data.teams))
        weeks = max(special.onsite_weeks, special.scope_weeks(theme, top) if top else 0)
        specials.append(Stretch(weeks, m.open_starts(weeks, special.prep_weeks, special.report_weeks, theme.year)))
    kinds = Counter(specials)
    if math.prod(k + 1 for k in kinds.values()) > MOST_SPECIAL_STATES:
        # Many unlike themes: each as the shortest of them in any year, a looser bound, still valid.
        weeks = min(sp.weeks for sp in specials)
        specials = [Stretch(weeks, m.open_starts(weeks, special.prep_weeks, special.report_weeks))] * len(specials)
    return most_rounds(years, caps, regular, specials)


def count_team_rounds(m: PlanModel) -> TeamRoundCount | None:
    """The count of :func:`add_team_round_count`; None when executed rounds are kept (they went
    out with the staff of their day, so the pools do not bound them), or when the calendar has no
    room for the special rounds (then no plan exists whatever the units: the count is not why)."""
    if m.pins:
        return None
    term = term_rounds(m)
    if term is None:
        return None
    rounds = m.data.policy.rounds
    targets = [t for i, t in enumerate(m.data.targets) if i not in m.data.cross_targets]
    others = [t for t in targets if t.category not in rounds.whole_team_categories]
    policy = m.data.policy
    needs = [(m.data.need_drafted(team, Kind.REGULAR), not team.has_leader) for team in m.data.teams
             if not policy.too_large(team, Kind.REGULAR)]
    teams_out = most_teams_out(needs, policy.drafted_pool_for(Kind.REGULAR), policy.staff.leader_pool)
    return TeamRoundCount(teams_out, term,
                          len(targets) - len(others), len(others),
                          sum(min(t.effort, rounds.max_effort_per_team) for t in others),
                          rounds.max_units_per_team, rounds.max_effort_per_team, in_step(m, len(needs)))


def in_step(m: PlanModel, teams: int) -> InStep | None:
    """A county drafted against the city's calendar with sync hard: how many regular rounds each of
    its ``teams`` can go out on (None for anyone else).

    Each regular round starts within W weeks of a city regular round (constraints.sync), and a
    team's busy spans [start - prep, start + L + report) never overlap (constraints.team_overlap;
    L the shortest regular stay). The most rounds of one team are the most disjoint busy spans from the starts near a city
    round, at most ``rounds_per_year_max`` a year (less the cross rounds): :func:`most_rounds`.
    A cross round holds at least c of the teams (its units alone need c team-rounds), each busy
    [x - prep', x + L' + report') around the fixed window x (L' the shortest cross stay), and
    those lose the starts that overlap it. So the teams offer at most
      (n - c) * R_free + c * R_cross
    regular team-rounds, and a cross unit left out frees at most R_free - R_cross of them.
    Blackouts aside from the open starts, staffing and the specials are left out: the count
    only grows by leaving rules out, so it stays a bound.
    """
    data = m.data
    if data.calendar is None or data.linkage is None or not data.linkage.sync_hard or data.committee == CITY:
        return None
    policy, weeks = data.round_policy(Kind.REGULAR), data.linkage.sync_weeks
    stays = [data.stay(i, Kind.REGULAR) for i in range(len(data.targets)) if m.eligible(i, Kind.REGULAR)]
    shortest = min(stays, default=policy.onsite_weeks)
    near = {w for w in m.open_starts(shortest, policy.prep_weeks, policy.report_weeks)
            if any(abs(w - c.start) <= weeks for c in data.calendar.regular)}
    busy = policy.prep_weeks + shortest + policy.report_weeks
    years = [data.grid.year_of(min(w + policy.prep_weeks, m.horizon_weeks - 1)) for w in range(m.horizon_weeks)]
    caps = _regular_caps(m)

    def most(starts: set[int]) -> int:
        return most_rounds(years, caps, Stretch(busy, frozenset(w - policy.prep_weeks for w in starts))) or 0

    free = most(near)
    crosses = m.slots_of(Kind.CROSS)
    if crosses:
        rounds = data.policy.rounds
        inspected = [data.targets[i] for i in sorted(data.cross_targets)]
        whole = sum(1 for t in inspected if t.category in rounds.whole_team_categories)
        others = [t for t in inspected if t.category not in rounds.whole_team_categories]
        needed = whole + max(-(-len(others) // rounds.max_units_per_team),
                             -(-sum(min(t.effort, rounds.max_effort_per_team) for t in others)
                               // rounds.max_effort_per_team))
        cross_teams = min(teams, -(-needed // len(crosses)))
        stay = min((data.stay(i, Kind.CROSS) for i in data.cross_targets), default=0)
        lost, shadows = [], []
        for slot, (begin, _weeks) in zip(crosses, data.calendar.cross):
            held = (begin - slot.prep, begin + stay + slot.report)
            lost.append({w for w in near if w - policy.prep_weeks < held[1] and held[0] < w + shortest
                         + policy.report_weeks})
            # Every start within W of s overlaps the held span.
            shadows.append((held[0] - shortest - policy.report_weeks + weeks, held[1] + policy.prep_weeks - weeks))
        beside = max(most(near - gone) for gone in lost)
        return InStep(teams, free, cross_teams, beside, len(data.calendar.regular), tuple(shadows))
    return InStep(teams, free, 0, free, len(data.calendar.regular))


def _regular_caps(m: PlanModel) -> dict[int, int]:
    """Regular rounds a year at most: ``rounds_per_year_max``, less a county's cross rounds there."""
    data = m.data
    caps = {y: data.round_policy(Kind.REGULAR).rounds_per_year_max for y in data.years}
    if m.slots_of(Kind.CROSS):
        for begin, _ in data.calendar.cross:
            year = data.grid.year_of(begin)
            caps[year] = max(0, caps.get(year, 0) - 1)
    return caps


def add_team_round_count(m: PlanModel) -> None:
    """Implied by staffing, rounds per year, the calendar, capacity and coverage: a term
    offers so many regular team-rounds (组次), and its units need at least so many.

    In the office's words: in one round at most n teams can go out with the
    drafted cadres and leaders there are; the term has at most R regular rounds,
    as many a year as the policy allows and the calendar leaves room for (no two
    rounds on site at once, special rounds included; no on-site week in a
    blackout; preparation and report inside the term); a county takes a team's
    round alone, other units go at most three to a team and within a team's
    effort. With W whole-team units and U others of summed effort E (cross units
    aside, they go in cross rounds; an effort above a team-round's counts as one
    team-round's):
      available = n * R,   needed = W + max(ceil(U / max_units), ceil(E / max_effort)),
    and each unit left out frees at most one team-round, so
      uncovered >= needed - available.
    R is the most disjoint on-site spans [s, s + L) (L the shortest regular stay:
    a longer round only holds more weeks) with at most ``rounds_per_year_max``
    starting in each year (less a county's cross rounds there), beside one span
    of each special theme (at least as long as its scope needs with its most
    teams), every span open and with start - prep >= max(0, as_of_week) and
    s + L + report <= W weeks; :func:`most_rounds` finds it exactly.
    The search cannot see this alone (the LP staffs part of a team with the
    pools' rest); with it, a term too short for its units is proven so at once
    (``xuncha explain`` gives the count as the reason). Added only where coverage
    may slip and the pools and rounds per year are as stated; nothing is added
    when the count leaves no deficit, so feasible scenarios get the same model.
    """
    floor = proven_uncovered(m)
    if floor:
        m.cp.add(m.uncovered >= floor)


def proven_uncovered(m: PlanModel) -> int:
    """The units every plan of ``m`` leaves out by the count (0 when the count does not apply)."""
    if Relax.COVERAGE not in m.relax or m.relax & {Relax.STAFFING, Relax.ROUNDS} or m.uncovered is None:
        return 0
    count = count_team_rounds(m)
    return count.deficit if count is not None else 0
