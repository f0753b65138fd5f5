"""A quick greedy plan, given to CP-SAT as a solution hint.

It walks through the term year by year, opening rounds one after another at
the earliest week the teams are free and no blackout is in the way, and fills
each regular round with the highest-priority targets that fit. It does not
try to be optimal, only plausible and valid, so CP-SAT starts from a good plan.

It keeps every hard rule but full coverage: with coverage elastic (see
constraints.coverage) a plan that leaves a few units out is still a start,
and the search takes it from there. To leave out as few as it can, it

- gives each year a share of the regular rounds in proportion to the weeks
  open for on-site work in it, so a partial first or last year of the term
  and a year with extra blackout periods get fewer rounds;
- places a round at the first window of the year its teams and the calendar
  allow, and when a year has none, moves on, never leaving a gap in the
  order of rounds;
- keeps a unit due a follow-up out of a round that starts too late for it;
- where the quiet months are hard (the default), holds the city's cross window first in its
  year and keeps a county's units out of a round, and a theme's special round out of the
  weeks, nearer than the quiet weeks to the city's other visits into that county (the units
  wait for a later round); where sync is hard, starts a county round only in step with the
  city's;
- then places what is left (units, special themes, follow-ups, the fewest
  regular rounds of a year) wherever in the term a round still fits; a unit
  due a follow-up that no round early enough can take trades places with a
  unit that can wait for a round late in the term; a special theme that
  finds no year frees the teams of a year's last regular round early by
  trading their long stays for the short stays of a round in another year;
- tries other passes (other orders, themes after the year's regular rounds,
  themes after every regular round of the term) when one leaves units out.

In the pass it keeps, each round's longest stays then go to the teams that
draft the fewest cadres (fewer drafted cadre-weeks, the same units covered).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import permutations
from math import ceil

from ortools.sat.python import cp_model

from constraints.executed_rounds import pinned_slots
from planner.model import PlanModel, Slot, interchangeable_targets, interchangeable_teams
from planner.rules import GUARDS
from planner.solver import completion_solver, status_of
from planner.vocabulary import Kind

# When the plain passes leave units out: passes over shaken orders (a pass takes well under
# 0.1 s at the city's size), seeded, so the same input gives the same hint.
SHAKEN_PASSES = 12
SHAKE = 0.1


@dataclass
class _Round:
    """A round the greedy placed: its kind, on-site start, and teams with their targets and stays."""

    kind: Kind
    start: int
    prep: int
    report: int
    onsite: dict[int, int]  # team -> on-site weeks
    members: dict[int, list[int]] = field(default_factory=dict)  # team -> targets
    slot: Slot | None = None  # fixed for a special theme or an executed round
    pinned: bool = False

    @property
    def length(self) -> int:
        return max(self.onsite.values())

    def busy(self, t: int) -> tuple[int, int]:
        return self.start - self.prep, self.start + self.onsite[t] + self.report


class _Timeline:
    """The rounds placed so far, and where another one fits."""

    def __init__(self, m: PlanModel):
        self.m = m
        self.grid = m.data.grid
        self.rounds: list[_Round] = []
        linkage = m.data.linkage
        # The city's visits into a county kept the quiet weeks apart, where that rule is hard.
        self.quiet_weeks = linkage.quiet_weeks if linkage is not None and linkage.quiet_hard else None
        self.unit_county = {i: c for c, units in m.data.county_units.items() for i in units}
        self.cross: dict[int, int] = {}  # the city's cross window (index in m.cross_windows) -> its start
        self.sync_hard = linkage is not None and linkage.sync_hard and m.data.calendar is not None

    def count(self, kind: Kind, year: int) -> int:
        return sum(1 for r in self.rounds if _counts_as(r.kind, kind) and self.grid.year_of(r.start) == year)

    def fits(self, kind: Kind, start: int, prep: int, report: int, onsite: dict[int, int],
             year: int | None = None, ignore: _Round | None = None, counties: frozenset[str] = frozenset()) -> bool:
        """Whether a round of ``kind`` starting on-site in week ``start`` and visiting ``counties``
        keeps every hard rule but coverage, with the rounds placed so far (``ignore`` aside)."""
        m = self.m
        length = max(onsite.values())
        if start - prep < m.as_of_week or start + length > m.horizon_weeks:
            return False
        if any(start + w + report > m.horizon_weeks for w in onsite.values()):
            return False
        if any(w in self.grid.blocked for w in range(start, start + length)):
            return False
        in_year = self.grid.year_of(start)
        if year is not None and in_year != year:
            return False
        others = [r for r in self.rounds if r is not ignore]
        if sum(1 for r in others if _counts_as(r.kind, kind) and self.grid.year_of(r.start) == in_year) \
                >= m.data.round_policy(kind).rounds_per_year_max:
            return False
        if any(start < r.start + r.length and r.start < start + length for r in others):
            return False
        if not self.quiet(counties, start, length, ignore):
            return False
        return not any(self.busy(t, start - prep, start + weeks + report, ignore) for t, weeks in onsite.items())

    def busy(self, t: int, low: int, high: int, ignore: _Round | None = None) -> bool:
        """Whether team ``t`` is busy (preparing, on site or reporting) in some week of [low, high)."""
        return any(low < end and begin < high
                   for r in self.rounds if r is not ignore and t in r.onsite for begin, end in [r.busy(t)])

    def visits(self, r: _Round) -> frozenset[str]:
        """Counties the city's round ``r`` visits (constraints.county_visits): a regular or 回头看
        round those of its units, a special round those of its theme."""
        if r.kind == Kind.SPECIAL and r.slot is not None:
            return self.m.data.special_counties.get(r.slot.theme, frozenset())
        if r.kind not in (Kind.REGULAR, Kind.FOLLOW_UP):
            return frozenset()
        return self.county_of(i for b in r.members.values() for i in b)

    def county_of(self, units) -> frozenset[str]:
        return frozenset(self.unit_county[i] for i in units if i in self.unit_county)

    def quiet(self, counties: frozenset[str], start: int, length: int, ignore: _Round | None = None) -> bool:
        """Whether on-site weeks [start, start + length) in ``counties`` keep the quiet weeks from
        every other visit there: the cross windows and the other rounds (``ignore`` aside)."""
        if self.quiet_weeks is None or not counties:
            return True
        q = self.quiet_weeks

        def apart(begin: int, weeks: int) -> bool:
            return start >= begin + weeks + q or begin >= start + length + q

        weeks = self.m.data.cross_weeks
        return all(apart(c, weeks) for c in self.cross.values()) and all(
            apart(r.start, r.length) for r in self.rounds if r is not ignore and counties & self.visits(r))

    def quiet_round(self, r: _Round) -> bool:
        """Whether placed round ``r``, as it stands, keeps the quiet weeks from the other visits."""
        return self.quiet(self.visits(r), r.start, r.length, r)

    def placed(self, kind: Kind) -> dict[int, tuple[_Round, int]]:
        """Unit -> (round, team) of the rounds of ``kind`` placed so far."""
        return {i: (r, t) for r in self.rounds if r.kind == kind for t, b in r.members.items() for i in b}

    def earliest(self, kind: Kind, low: int, high: int, prep: int, report: int, onsite: dict[int, int],
                 year: int | None = None, counties: frozenset[str] = frozenset()) -> int | None:
        """The first on-site start in [low, high) where the round fits; a county round of a whole-city
        plan first tries the weeks in step with a city round (同步), then, unless that rule is hard,
        any week."""
        starts = range(max(low, prep), min(high, self.m.horizon_weeks))
        in_step = self._in_step(kind, starts)
        for start in (*in_step, *(() if self.sync_hard and kind == Kind.REGULAR else starts)):
            if self.fits(kind, start, prep, report, onsite, year, counties=counties):
                return start
        return None

    def place_cross(self, year: int) -> None:
        """Hold the city's cross windows of ``year`` at the first week of it clear of blackouts and,
        where the quiet rule is hard, of the visits placed so far (else at the first clear week)."""
        m = self.m
        weeks, policy = m.data.cross_weeks, m.data.cross.policy if m.data.cross is not None else None
        low, high = self.grid.year_ranges[year]
        for n, cross in enumerate(m.cross_windows):
            if cross.year != year or n in self.cross:
                continue
            clear = [s for s in range(max(low, policy.prep_weeks), high)
                     if s + weeks + policy.report_weeks <= m.horizon_weeks
                     and not any(w in self.grid.blocked for w in range(s, s + weeks))]
            everywhere = frozenset(m.data.county_units)
            start = next((s for s in clear if self.quiet(everywhere, s, weeks)), clear[0] if clear else None)
            if start is not None:
                self.cross[n] = start

    def _in_step(self, kind: Kind, starts: range) -> list[int]:
        """Weeks in ``starts`` within the sync weeks of a city round of the same kind, nearest first."""
        calendar, linkage = self.m.data.calendar, self.m.data.linkage
        if calendar is None or linkage is None or kind != Kind.REGULAR:
            return []
        near = []
        for city in calendar.regular:
            around = sorted(range(city.start - linkage.sync_weeks, city.start + linkage.sync_weeks + 1),
                            key=lambda w: (abs(w - city.start), w))
            near += [w for w in around if w in starts]
        return near

    def add(self, placed: _Round) -> None:
        self.rounds.append(placed)


class _Greedy:
    """One greedy pass; ``long_first`` takes the units with longer stays before the others
    (their rounds need long windows, which are easier to find early in the term); ``shake``
    moves each unit in the order by a random amount, a tenth of the list in the mean
    (another pass tries another packing of the same rounds); ``fill_gaps`` opens a round of
    the shortest stays in a window that closes (at a blackout) before a round with longer
    stays could start, instead of skipping it; ``themes_after`` is how many of a year's regular
    rounds come before its special themes (None: all of them); ``themes_last`` places the
    themes only after every regular round of the term, longest first, each in a gap the
    regular rounds left, with the teams free around it; ``front``: each regular round takes
    all its teams can carry, where otherwise it takes an even share of the units still
    pending over the rounds still to come."""

    def __init__(self, m: PlanModel, long_first: bool = False, shake: random.Random | None = None,
                 fill_gaps: bool = False, themes_after: int | None = 1, themes_last: bool = False,
                 front: bool = False):
        self.m = m
        self.front = front
        self.fill_gaps = fill_gaps
        self.themes_after = themes_after
        self.themes_last = themes_last
        self.data = m.data
        self.rounds = m.data.policy.rounds
        self.line = _Timeline(m)
        self.years = m.data.years
        self._stays: dict[tuple[int, Kind], int] = {}
        self._whole = {i for i, t in enumerate(self.data.targets) if t.category in self.rounds.whole_team_categories}
        self.pinned_targets: set[int] = set()
        self._place_executed()
        self._place_cross()
        # Priority per unit of effort first (Smith's rule for the risk-first sum); units due a
        # follow-up come ahead of their equals, since the rectification period must follow them.
        shortest = min((self.stay(i, Kind.REGULAR) for i in range(len(self.data.targets))), default=0)
        self.pending = sorted(
            (i for i in range(len(self.data.targets)) if i not in self.pinned_targets),
            key=lambda i: (long_first and self.stay(i, Kind.REGULAR) == shortest,
                           -self.data.priority(self.data.targets[i]) / self.data.targets[i].effort,
                           not self.data.targets[i].follow_up),
        )
        if shake is not None:
            moved = {i: n + shake.gauss(0, SHAKE * len(self.pending)) for n, i in enumerate(self.pending)}
            self.pending.sort(key=moved.__getitem__)
        self._order = {i: n for n, i in enumerate(self.pending)}

    # ------------------------------------------------------------ helpers
    def _place_executed(self) -> None:
        """Executed rounds (re-planning) stay where they were."""
        m = self.m
        team_index = {team.id: t for t, team in enumerate(self.data.teams)}
        target_index = {target.id: i for i, target in enumerate(self.data.targets)}
        for k, pins in pinned_slots(m).items():
            slot = m.slots[k]
            onsite = {team_index[p.team]: p.onsite_weeks for p in pins}
            members: dict[int, list[int]] = {t: [] for t in onsite}
            for p in pins:
                if p.target in target_index:  # a village riding with its town follows the town
                    members[team_index[p.team]].append(target_index[p.target])
                    if slot.kind == Kind.REGULAR:
                        self.pinned_targets.add(target_index[p.target])
            self.line.add(_Round(slot.kind, pins[0].start_week, slot.prep, slot.report, onsite, members, slot, True))

    def _place_cross(self) -> None:
        """A county's cross rounds sit where the city put them: its teams take the units given up to it."""
        cross = [i for i in range(len(self.data.targets)) if i in self.data.cross_targets]
        for n, slot in enumerate(self.m.slots_of(Kind.CROSS)):
            teams = self.staffed(Kind.CROSS)
            bins = {t: [] for t in teams}
            for i in list(cross):
                t = next((t for t in teams if self.can_take(t, bins[t], i)), None)
                if t is not None:
                    bins[t].append(i)
                    cross.remove(i)
            members = {t: b for t, b in bins.items() if b}
            if members:
                onsite = {t: max(self.stay(i, Kind.CROSS) for i in b) for t, b in members.items()}
                start = self.data.calendar.cross[n][0]
                self.line.add(_Round(Kind.CROSS, start, slot.prep, slot.report, onsite, members, slot, True))
        self.pinned_targets |= set(self.data.cross_targets)

    def staffed(self, kind: Kind, allowed: list[int] | None = None, key=None) -> list[int]:
        """Teams that can go out together within the pools, taken in ``key`` order
        (default: fewest drafted first)."""
        data = self.data
        staff, chosen, drafted, leaders = data.staff, [], 0, 0
        pool = data.policy.drafted_pool_for(kind)
        teams = range(len(data.teams)) if allowed is None else allowed
        for t in sorted(teams, key=key or (lambda t: data.need_drafted(data.teams[t], kind))):
            team = data.teams[t]
            need, leader = data.need_drafted(team, kind), int(not team.has_leader)
            if data.policy.too_large(team, kind):
                continue
            if drafted + need <= pool and leaders + leader <= staff.leader_pool:
                chosen.append(t)
                drafted, leaders = drafted + need, leaders + leader
        return chosen

    def team_sets(self, kind: Kind, low: int) -> list[list[int]]:
        """Teams to send, best first: those needing the fewest drafted cadres, and those free
        soonest after week ``low`` (so that two sets can take turns), each within the pools."""
        data = self.data
        free = {t: max([r.busy(t)[1] for r in self.line.rounds if t in r.onsite] + [low]) for t in range(len(data.teams))}
        cheap = self.staffed(kind)
        soon = self.staffed(kind, key=lambda t: (free[t], data.need_drafted(data.teams[t], kind)))
        return [cheap] if soon == cheap else [cheap, soon]

    def stay(self, i: int, kind: Kind) -> int:
        if (i, kind) not in self._stays:
            self._stays[i, kind] = self.data.stay(i, kind)
        return self._stays[i, kind]

    def effort(self, targets: list[int]) -> int:
        return sum(self.data.targets[i].effort for i in targets)

    def whole_team(self, i: int) -> bool:
        return i in self._whole

    def share(self, i: int) -> int:
        """The part of a team's round a unit takes: all of it for a whole-team unit (整组巡察)."""
        return self.rounds.max_effort_per_team if self.whole_team(i) else self.data.targets[i].effort

    def can_take(self, t: int, members: list[int], i: int) -> bool:
        """Whether team ``t`` may take unit ``i`` beside ``members``: every rule's guard allows it."""
        for guard in GUARDS:  # a loop, not all(): this runs for every unit and team tried
            if not guard(self, t, members, i):
                return False
        return True

    def can_carry(self, t: int, units: list[int]) -> bool:
        """Whether team ``t`` may take all of ``units``, the bundle of a team it trades with."""
        return all(self.can_take(t, units[:n], i) for n, i in enumerate(units))

    def year_range(self, year: int) -> tuple[int, int]:
        return self.data.grid.year_ranges[year]

    def open_weeks(self, year: int) -> int:
        """Weeks of ``year`` in which a regular round of the shortest stay could start: its
        preparation after the term's start, its on-site weeks clear of blackouts, its report
        before the term's end."""
        policy = self.data.round_policy(Kind.REGULAR)
        stay = min((self.stay(i, Kind.REGULAR) for i in range(len(self.data.targets))), default=policy.onsite_weeks)
        return len(self.m.open_starts(stay, policy.prep_weeks, policy.report_weeks, year))

    def whole_year(self, year: int) -> bool:
        h = self.data.horizon
        return h.start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= h.end

    def min_regular(self, year: int) -> int:
        return self.data.round_policy(Kind.REGULAR).rounds_per_year_min if self.whole_year(year) else 0

    # --------------------------------------------------------- the plan
    def rounds_per_year(self) -> dict[int, int]:
        """Regular rounds for each year, in proportion to the open weeks: enough for the
        teams that need the fewest drafted cadres to carry the work, as far as the years allow."""
        policy = self.data.round_policy(Kind.REGULAR)
        staffed = self.staffed(Kind.REGULAR)
        needs = [self.data.need_drafted(self.data.teams[t], Kind.REGULAR) for t in staffed]
        teams = max(1, sum(1 for n in needs if n == min(needs, default=0)))
        wanted = ceil(sum(self.share(i) for i in self.pending) / (teams * self.rounds.max_effort_per_team))
        done = {y: self.line.count(Kind.REGULAR, y) for y in self.years}
        room = {y: max(0, policy.rounds_per_year_max - done[y]) if self.open_weeks(y) else 0 for y in self.years}
        floor = {y: min(room[y], max(0, self.min_regular(y) - done[y])) for y in self.years}
        total = min(sum(room.values()), max(wanted, sum(floor.values())))
        weeks = {y: self.open_weeks(y) if room[y] else 0 for y in self.years}
        share = {y: total * weeks[y] / max(1, sum(weeks.values())) for y in self.years}
        count = {y: min(room[y], max(floor[y], int(share[y]))) for y in self.years}
        for y in sorted(self.years, key=lambda y: share[y] - int(share[y]), reverse=True):
            if sum(count.values()) >= total:
                break
            if count[y] < room[y]:
                count[y] += 1
        return count

    def build(self) -> None:
        per_year = self.rounds_per_year()
        total = sum(per_year.values())
        themes = list(zip(self.m.slots_of(Kind.SPECIAL), self.rounds.special.themes))
        placed_themes = {r.slot.index for r in self.line.rounds if r.kind == Kind.SPECIAL}
        themes = [(s, th) for s, th in themes if s.index not in placed_themes]
        free_years = [y for y in self.years if self.open_weeks(y)] or self.years
        theme_year = {} if self.themes_last else \
            {s.index: th.year or free_years[min(n, len(free_years) - 1)] for n, (s, th) in enumerate(themes)}
        cursor, left = self.m.as_of_week, total
        waiting: list = []  # themes free to run in any year that found no window in theirs
        for y, year in enumerate(self.years):
            cursor = max(cursor, self.year_range(year)[0])
            self.line.place_cross(year)
            steps: list = [Kind.REGULAR] * per_year[year]
            at = per_year[year] if self.themes_after is None else self.themes_after
            steps[at:at] = waiting + [(s, th) for s, th in themes if theme_year.get(s.index) == year]
            waiting = []
            if y >= 1 and any(self.data.targets[i].follow_up for i in range(len(self.data.targets))):
                steps.append(Kind.FOLLOW_UP)
            for step in steps:
                if step == Kind.REGULAR:
                    if self.pending:
                        pending = sum(self.share(i) for i in self.pending)
                        quota = pending if self.front else ceil(pending / max(1, left))
                        placed = self.regular_round(cursor, self.year_range(year)[1], quota, year)
                        left -= 1
                        cursor = placed.start + placed.length if placed else cursor
                elif step == Kind.FOLLOW_UP:
                    # Anywhere in the year: a gap between two rounds may hold it.
                    placed = self.follow_up_round(*self.year_range(year), year)
                    cursor = max(cursor, placed.start + placed.length) if placed else cursor
                else:
                    placed = self.special_round(*step, cursor, self.year_range(year)[1])
                    cursor = placed.start + placed.length if placed else cursor
                    if placed is None and step[1].year is None:
                        waiting.append(step)
        self.repair(themes)

    def repair(self, themes) -> None:
        """Place what the pass through the years left: themes, units, the fewest rounds a year, follow-ups."""
        placed_themes = {r.slot.index for r in self.line.rounds if r.kind == Kind.SPECIAL}
        if self.themes_last:  # the gaps left are few and short: the longest theme takes its pick
            themes = sorted(themes, key=lambda st: -st[1].scope_units)
        for slot, theme in themes:
            if slot.index not in placed_themes:
                if not self.special_round(slot, theme, 0, self.m.horizon_weeks, anywhere=True) \
                        and not self._shorten_for(slot, theme):
                    self._evict_for(slot, theme)
        for year in self.years:
            while self.line.count(Kind.REGULAR, year) < self.min_regular(year):
                if not (self.pending and self.regular_round(*self.year_range(year), 1, year)) \
                        and not self.regular_round(*self.year_range(year), 1, year, borrow=True):
                    break
        self.place_pending()
        for i in list(self.pending):
            if self._relocate_for(i) if self.whole_team(i) else self._make_room_for(i):
                self.pending.remove(i)
        if self._displace_late():
            self.place_pending()
        while self.follow_up_round(0, self.m.horizon_weeks, None):
            pass
        self.fill_follow_ups()
        self._drop_unfollowed()

    def _drop_unfollowed(self) -> None:
        """A unit due a 回头看 that found none leaves its regular round too: a unit left out
        (coverage elastic) keeps the hint whole, a unit inspected without its 回头看 breaks it."""
        done = self.line.placed(Kind.FOLLOW_UP)
        for r in [r for r in self.line.rounds if r.kind == Kind.REGULAR and not r.pinned]:
            for t in list(r.members):
                gone = [i for i in r.members[t] if self.data.targets[i].follow_up and i not in done]
                if gone:
                    self.pending += gone
                    self._take_out(r, t, gone)
            if not r.members:
                self.line.rounds.remove(r)

    @staticmethod
    def _take_out(r: _Round, t: int, units: list[int]) -> None:
        """``units`` leave team ``t`` of round ``r``; a team left with none leaves the round."""
        r.members[t] = [i for i in r.members[t] if i not in units]
        if not r.members[t]:
            del r.members[t], r.onsite[t]

    def regroup(self) -> None:
        """In each regular round, give the longest stays to the teams that draft the fewest cadres:
        the round's teams swap their units where that drafts fewer cadre-weeks and every team
        stays free of its other rounds, clear of the units it must avoid and of the units whose
        follow-up it does (the round's units, start and length stay as they were)."""
        follow = self.line.placed(Kind.FOLLOW_UP)
        for r in self.line.rounds:
            if r.kind != Kind.REGULAR or r.pinned or len(r.members) < 2:
                continue
            teams = list(r.members)
            bundles = [(r.members[t], r.onsite[t]) for t in teams]
            allowed = {(t, n) for t in teams for n, (b, weeks) in enumerate(bundles)
                       if not self.line.busy(t, r.start - r.prep, r.start + weeks + r.report, ignore=r)
                       and self.can_carry(t, b) and all(follow.get(i, (None, None))[1] != t for i in b)}

            def drafted(order: tuple[int, ...]) -> int:
                return sum(self.data.need_drafted(self.data.teams[t], Kind.REGULAR) * bundles[n][1]
                           for t, n in zip(teams, order))

            now = tuple(range(len(teams)))
            best = min((order for order in permutations(now) if all(pair in allowed for pair in zip(teams, order))),
                       key=drafted, default=now)
            if drafted(best) < drafted(now):
                r.members = {t: bundles[n][0] for t, n in zip(teams, best)}
                r.onsite = {t: bundles[n][1] for t, n in zip(teams, best)}

    def place_pending(self) -> None:
        """Put pending units into placed rounds, else into new rounds anywhere in the term."""
        while self.pending:
            before = len(self.pending)
            self.fill_existing()
            if self.pending and not self.regular_round(0, self.m.horizon_weeks, self.effort(self.pending), None):
                break
            if len(self.pending) == before:
                break

    def _displace_late(self) -> bool:
        """Put each pending unit due a follow-up into the latest placed regular round that still
        leaves time for it, with a team whose stay is long enough, in place of a unit not due one
        (a team that has room for it without that unit); that unit goes back to pending, as it can
        go in a round late in the term. True if any moved."""
        moved = False
        regular = sorted((r for r in self.line.rounds if r.kind == Kind.REGULAR and not r.pinned),
                         key=lambda r: -r.start)
        for i in [i for i in self.pending if self.data.targets[i].follow_up and not self.whole_team(i)]:
            swap = next(((r, t, j) for r in regular if not self._too_late(i, r.start)
                         for t, members in r.members.items() if self.stay(i, Kind.REGULAR) <= r.onsite[t]
                         for j in members if not self.data.targets[j].follow_up and not self.whole_team(j)
                         and self.can_take(t, [u for u in members if u != j], i)), None)
            if swap is not None:
                r, t, j = swap
                was = r.members[t]
                r.members[t] = [u for u in was if u != j] + [i]
                if not self.line.quiet_round(r):
                    r.members[t] = was
                    continue
                self.pending = [u for u in self.pending if u != i] + [j]
                moved = True
        return moved

    def fill_existing(self) -> None:
        """Put pending units into placed regular rounds: where a team has room and a long enough
        stay, else where its stay can grow, else with one more team that is free and staffed."""
        for i in list(self.pending):
            for r in self.line.rounds:
                if r.kind == Kind.REGULAR and not r.pinned and self._join(r, i):
                    self.pending.remove(i)
                    break

    def _relocate_for(self, i: int) -> bool:
        """Give a whole-team unit ``i`` a team of a placed regular round: that team's units move
        to teams of other rounds with room and a long enough stay, and its stay grows to ``i``'s.
        Units due a follow-up stay where they are (their follow-up is timed from their round)."""
        stay = self.stay(i, Kind.REGULAR)
        regular = [r for r in self.line.rounds if r.kind == Kind.REGULAR and not r.pinned]
        for r in sorted(regular, key=lambda r: r.start):
            for t, members in r.members.items():
                if any(self.data.targets[j].follow_up for j in members) or not self.can_take(t, [], i):
                    continue
                onsite = {**r.onsite, t: stay}
                if not self.line.fits(Kind.REGULAR, r.start, r.prep, r.report, onsite, ignore=r):
                    continue
                # (round number in ``regular``, team) -> the units moving there
                moves: dict[tuple[int, int], list[int]] = {}
                for j in members:
                    spot = next(((n, t2) for n, r2 in enumerate(regular) for t2, b in r2.members.items()
                                 if (r2 is not r or t2 != t) and self.stay(j, Kind.REGULAR) <= r2.onsite[t2]
                                 and self.can_take(t2, b + moves.get((n, t2), []), j)), None)
                    if spot is None:
                        break
                    moves.setdefault(spot, []).append(j)
                else:
                    changed = [r] + [regular[n] for n, _t2 in moves]
                    saved = [(x, x.onsite, {u: list(b) for u, b in x.members.items()}) for x in changed]
                    for (n, t2), units in moves.items():
                        regular[n].members[t2] += units
                    r.members[t] = [i]
                    r.onsite = onsite
                    if all(self.line.quiet_round(x) for x in changed):
                        return True
                    for x, was_onsite, was_members in saved:
                        x.onsite, x.members = was_onsite, was_members
        return False

    def _make_room_for(self, i: int) -> bool:
        """Put unit ``i`` with a team of a placed regular round that has room for it once one of its
        units moves to a team of another round with room and a long enough stay (the spare room
        is spread thin: one unit of effort 1 here and there, where ``i`` needs 2)."""
        stay = self.stay(i, Kind.REGULAR)
        regular = [r for r in self.line.rounds if r.kind == Kind.REGULAR and not r.pinned]
        # Teams of rounds with some room left: few, so look there first.
        spots = [(r, t) for r in regular for t, b in r.members.items()
                 if len(b) < self.rounds.max_units_per_team and self.effort(b) < self.rounds.max_effort_per_team]
        for r in sorted(regular, key=lambda r: r.start) if spots else ():
            if self._too_late(i, r.start):
                continue
            for t, members in r.members.items():
                if r.onsite[t] < stay:
                    continue
                for j in members:
                    rest = [u for u in members if u != j]
                    if self.data.targets[j].follow_up or not self.can_take(t, rest, i):
                        continue
                    spot = next(((r2, t2) for r2, t2 in spots
                                 if (r2 is not r or t2 != t) and self.stay(j, Kind.REGULAR) <= r2.onsite[t2]
                                 and self.can_take(t2, r2.members[t2], j)), None)
                    if spot is not None:
                        spot[0].members[spot[1]].append(j)
                        r.members[t] = rest + [i]
                        if self.line.quiet_round(r) and self.line.quiet_round(spot[0]):
                            return True
                        spot[0].members[spot[1]].remove(j)
                        r.members[t] = members
        return False

    def fill_follow_ups(self) -> None:
        """Put units still due a follow-up into placed follow-up rounds late enough for them
        (units placed by the repair come after the year's follow-up round was planned)."""
        regular, done = self.line.placed(Kind.REGULAR), self.line.placed(Kind.FOLLOW_UP)
        gap = self.rounds.follow_up.min_gap_weeks
        for i in (i for i in regular if self.data.targets[i].follow_up and i not in done):
            r0, t0 = regular[i]
            for r in sorted((r for r in self.line.rounds if r.kind == Kind.FOLLOW_UP and not r.pinned),
                            key=lambda r: r.start):
                if r.start >= r0.start + r0.onsite[t0] + gap and (
                        self._join(r, i, barred=t0) or self._vacate_for(r, i, t0, regular)):
                    break

    def _vacate_for(self, r: _Round, i: int, barred: int, regular: dict[int, tuple[_Round, int]]) -> bool:
        """Give a whole-team unit ``i`` a team of follow-up round ``r`` by moving that team's units
        to the round's other teams (none to the team that inspected it)."""
        if not self.whole_team(i):
            return False
        for t in [t for t in r.members if t != barred and self.stay(i, Kind.FOLLOW_UP) <= r.onsite[t]]:
            moved = {u: list(b) for u, b in r.members.items() if u != t}
            for j in r.members[t]:
                u = next((u for u, b in moved.items() if u != regular[j][1] and self.can_take(u, b, j)
                          and self.stay(j, Kind.FOLLOW_UP) <= r.onsite[u]), None)
                if u is None:
                    break
                moved[u].append(j)
            else:
                was = r.members
                r.members = {**moved, t: [i]}
                if self.line.quiet_round(r):
                    return True
                r.members = was
        return False

    def _join(self, r: _Round, i: int, barred: int | None = None) -> bool:
        """Put unit ``i`` into round ``r`` (not with team ``barred``), growing a stay or adding a team if need be."""
        kind = r.kind
        if kind == Kind.REGULAR and self._too_late(i, r.start):
            return False
        stay = self.stay(i, kind)
        counties = self.line.visits(r) | self.line.county_of([i])
        room = [t for t, b in r.members.items() if t != barred and self.can_take(t, b, i)]
        for t in sorted(room, key=lambda t: stay > r.onsite[t]):
            onsite = {**r.onsite, t: stay} if stay > r.onsite[t] else r.onsite
            if onsite is r.onsite and not self.line.quiet(counties, r.start, r.length, r):
                continue
            if onsite is r.onsite or self.line.fits(kind, r.start, r.prep, r.report, onsite, ignore=r,
                                                    counties=counties):
                r.onsite = onsite
                r.members[t].append(i)
                return True
        joined = list(r.onsite)
        for t in self.staffed(kind, joined + [t for t in range(len(self.data.teams)) if t not in joined]):
            if t in joined or t == barred or not self.can_take(t, [], i) \
                    or set(self.staffed(kind, joined + [t])) != {*joined, t}:
                continue
            onsite = {**r.onsite, t: stay}
            if self.line.fits(kind, r.start, r.prep, r.report, onsite, ignore=r, counties=counties):
                r.onsite = onsite
                r.members[t] = [i]
                return True
        return False

    def regular_round(self, low: int, high: int, quota: int, year: int | None, borrow: bool = False) -> _Round | None:
        """Open a regular round in [low, high) and fill it from the pending units: of the team
        sets tried, the one that carries the most of the quota, then starts first, then drafts fewest;
        a round of the shortest stays instead if none has a window, or (``fill_gaps``) if it is over
        before that one would start.

        ``borrow``: nothing is pending, so take one unit from a team with two or more
        (to reach the fewest rounds a year).
        """
        candidates = self._linked_first([i for i in self.pending if not self._too_late(i, low)], low, high)
        if borrow:
            # The unit risk first misses least when it moves to this year: low priority, from a
            # late round (units due a follow-up last, their follow-up is timed from the round).
            moves = {i: (self.data.targets[i].follow_up, self.data.priority(self.data.targets[i]) * (low - r.start))
                     for r in self.line.rounds if r.kind == Kind.REGULAR and not r.pinned
                     for b in r.members.values() if len(b) >= 2 for i in b}
            candidates = sorted(moves, key=moves.__getitem__)
        prep, report = self._prep(Kind.REGULAR), self._report(Kind.REGULAR)
        shortest = min((self.stay(i, Kind.REGULAR) for i in candidates), default=0)
        short = [i for i in candidates if self.stay(i, Kind.REGULAR) == shortest]
        best = self._best_round(candidates, low, high, quota, year, borrow)
        if len(short) < len(candidates) and (best is None or self.fill_gaps):
            # Short units only: where no window is long enough for the others, or in a window
            # that closes before theirs opens (before a blackout), which they leave unused.
            alt = self._best_round(short, low, high, quota, year, borrow)
            if alt is not None and (best is None or alt[1] + max(alt[2].values()) <= best[1]):
                best = alt
        if best is None:
            return None
        _, start, onsite, members = best
        taken = {i for b in members.values() for i in b}
        if borrow:
            for r in self.line.rounds:
                for b in r.members.values():
                    b[:] = [i for i in b if i not in taken]
        else:
            self.pending = [i for i in self.pending if i not in taken]
        placed = _Round(Kind.REGULAR, start, prep, report, onsite, members)
        self.line.add(placed)
        return placed

    def _best_round(self, pool: list[int], low: int, high: int, quota: int, year: int | None,
                    borrow: bool) -> tuple | None:
        """Of the team sets tried, the round from ``pool`` that carries the most of the quota,
        then starts first, then drafts fewest: (key, start, onsite, members)."""
        best = None
        for teams in self.team_sets(Kind.REGULAR, low):
            for width in range(len(teams), 0, -1):
                made = self._round_from(teams[:width], pool, quota if not borrow else 1, low, high, year)
                if made is None:
                    continue
                start, onsite, members = made
                cost = sum(self.data.need_drafted(self.data.teams[t], Kind.REGULAR) for t in members)
                key = (-sum(self.share(i) for b in members.values() for i in b), start, cost)
                if best is None or key < best[0]:
                    best = (key, start, onsite, members)
        return best

    def _round_from(self, teams: list[int], pool: list[int], quota: int, low: int, high: int,
                    year: int | None) -> tuple[int, dict[int, int], dict[int, list[int]]] | None:
        """The round ``teams`` make from ``pool`` at its first fitting week in [low, high):
        (start, onsite, members). Units due a follow-up that this start leaves no time for
        make way for the others, once; so do, where the quiet rule is hard, the units of a
        county the city visits too near that week (they wait for a later round)."""
        prep, report = self._prep(Kind.REGULAR), self._report(Kind.REGULAR)
        late = False
        for _ in range(2 + len(self.data.county_units)):
            members = {t: b for t, b in self._fill(teams, pool, quota).items() if b}
            if not members:
                return None
            onsite = {t: max(self.stay(i, Kind.REGULAR) for i in b) for t, b in members.items()}
            start = self.line.earliest(Kind.REGULAR, low, high, prep, report, onsite, year)
            if start is None:
                return None
            length = max(onsite.values())
            near = {c for c in self.line.county_of(i for b in members.values() for i in b)
                    if not self.line.quiet(frozenset({c}), start, length)}
            if near:
                pool = [i for i in pool if self.line.unit_county.get(i) not in near]
                continue
            if not any(self._too_late(i, start) for b in members.values() for i in b):
                return start, onsite, members
            if late:
                return None
            late = True
            pool = [i for i in pool if not self._too_late(i, start)]
        return None

    def _too_late(self, i: int, start: int) -> bool:
        """Whether unit ``i``, due a follow-up, inspected from week ``start`` on could no longer
        have its follow-up within the term."""
        if not self.data.targets[i].follow_up:
            return False
        after = self.stay(i, Kind.REGULAR) + self.rounds.follow_up.min_gap_weeks + self.stay(i, Kind.FOLLOW_UP)
        return start + after + self._report(Kind.FOLLOW_UP) > self.m.horizon_weeks

    def _linked_first(self, candidates: list[int], low: int, high: int) -> list[int]:
        """A county round of a whole-city plan takes first one unit of each sector the city round it
        will start with links (联动系统), so the sectors are inspected together."""
        calendar, linkage = self.data.calendar, self.data.linkage
        if calendar is None or linkage is None:
            return candidates
        # Where a round of the usual length would start, and the city round it would start with.
        usual = {t: self.data.round_policy(Kind.REGULAR).onsite_weeks for t in self.staffed(Kind.REGULAR)}
        start = self.line.earliest(Kind.REGULAR, low, high, self._prep(Kind.REGULAR), self._report(Kind.REGULAR),
                                   usual) if usual else None
        partner = None if start is None else next(
            (r for r in calendar.regular if abs(r.start - start) <= linkage.sync_weeks), None)
        if partner is None:
            return candidates
        first = []
        for sector in partner.sectors:
            unit = next((i for i in candidates if self.data.targets[i].sector == sector and i not in first), None)
            if unit is not None:
                first.append(unit)
        return first + [i for i in candidates if i not in first]

    def _fill(self, teams: list[int], candidates: list[int], quota: int) -> dict[int, list[int]]:
        bins: dict[int, list[int]] = {t: [] for t in teams}
        taken = 0
        for i in candidates:
            if taken >= quota:
                break
            for t in teams:
                if self.can_take(t, bins[t], i):
                    bins[t].append(i)
                    taken += self.share(i)
                    break
        return bins

    def _prep(self, kind: Kind) -> int:
        return self.data.round_policy(kind).prep_weeks

    def _report(self, kind: Kind) -> int:
        return self.data.round_policy(kind).report_weeks

    def special_round(self, slot: Slot, theme, low: int, high: int, anywhere: bool = False) -> _Round | None:
        """Run a special theme with as few teams as keep it within its target length, at the first fitting week."""
        year = theme.year
        if anywhere and year is not None:
            low, high = self.year_range(year)
        sets = [teams[: theme.max_teams] for teams in self.team_sets(Kind.SPECIAL, low)]
        for n, weeks in self._special_sizes(theme, len(sets[0])):
            for chosen in (teams[:n] for teams in sets if len(teams) >= n):
                onsite = {t: weeks for t in chosen}
                start = self.line.earliest(Kind.SPECIAL, low, high, slot.prep, slot.report, onsite, year,
                                           self._theme_counties(theme))
                if start is not None:
                    placed = _Round(Kind.SPECIAL, start, slot.prep, slot.report, onsite, {t: [] for t in chosen}, slot)
                    self.line.add(placed)
                    return placed
        return self._special_between(slot, theme, low, high) if self.themes_last else None

    def _special_between(self, slot: Slot, theme, low: int, high: int) -> _Round | None:
        """Run a special theme in a gap between placed rounds, with the teams free around each week
        (not only those the pools staff cheapest, who may be busy with the rounds on either side):
        the fewest teams that keep it within its target length, at the first week it fits."""
        for n, weeks in self._special_sizes(theme, min(theme.max_teams, len(self.data.teams))):
            for start in range(max(low, slot.prep), min(high, self.m.horizon_weeks)):
                free = [t for t in range(len(self.data.teams))
                        if not self.line.busy(t, start - slot.prep, start + weeks + slot.report)]
                onsite = {t: weeks for t in self.staffed(Kind.SPECIAL, free)[:n]}
                if len(onsite) == n and self.line.fits(Kind.SPECIAL, start, slot.prep, slot.report, onsite, theme.year,
                                                       counties=self._theme_counties(theme)):
                    placed = _Round(Kind.SPECIAL, start, slot.prep, slot.report, onsite, {t: [] for t in onsite}, slot)
                    self.line.add(placed)
                    return placed
        return None

    def _evict_for(self, slot: Slot, theme) -> bool:
        """Run a special theme whose counties the city's rounds visit so often that no weeks are
        quiet enough for it: the units of those counties leave their rounds (and 回头看), the theme
        takes the first weeks it then fits, and the units wait for later rounds. Undone if the
        theme fits nowhere even so."""
        counties = self._theme_counties(theme)
        if self.line.quiet_weeks is None or not counties:
            return False
        saved = [(r, dict(r.onsite), {t: list(b) for t, b in r.members.items()}) for r in self.line.rounds]
        moved = []
        for r in [r for r in self.line.rounds if not r.pinned and r.kind in (Kind.REGULAR, Kind.FOLLOW_UP)]:
            for t in list(r.members):
                out = [i for i in r.members[t] if self.line.unit_county.get(i) in counties]
                if r.kind == Kind.REGULAR:
                    moved += out
                self._take_out(r, t, out)
            if not r.members:
                self.line.rounds.remove(r)
        if self.special_round(slot, theme, 0, self.m.horizon_weeks, anywhere=True) \
                or self._special_between(slot, theme, 0, self.m.horizon_weeks):
            self.pending = sorted(self.pending + moved, key=self._order.__getitem__)
            return True
        self.line.rounds = [r for r, _onsite, _members in saved]
        for r, onsite, members in saved:
            r.onsite, r.members = onsite, members
        return False

    def _theme_counties(self, theme) -> frozenset[str]:
        return self.data.special_counties.get(theme.name, frozenset())

    def _shorten_for(self, slot: Slot, theme) -> bool:
        """Run a special theme that found no window by freeing teams early in a year: the teams of
        the year's last regular round, longest stay first, trade their units for the shorter stays
        of a team in another round, until the theme fits after it, with the teams free around it.
        The trades are undone in a year where it still does not fit."""
        special = self.data.round_policy(Kind.SPECIAL)
        regular = [r for r in self.line.rounds if r.kind == Kind.REGULAR and not r.pinned]
        for year in [theme.year] if theme.year is not None else self.years:
            in_year = [r for r in regular if self.data.grid.year_of(r.start) == year]
            if not in_year or self.line.count(Kind.SPECIAL, year) >= special.rounds_per_year_max:
                continue
            last = max(in_year, key=lambda r: r.start)
            undo = []
            for t in sorted(last.members, key=lambda t: -last.onsite[t]):
                traded = self._trade(last, t, regular)
                if traded is None:
                    continue
                undo.append(traded)
                if self._special_between(slot, theme, *self.year_range(year)):
                    return True
            for r, onsite, members in reversed([saved for pair in undo for saved in pair]):
                r.onsite, r.members = onsite, members
        return False

    def _trade(self, r: _Round, t: int, regular: list[_Round]):
        """Swap the units of team ``t`` in round ``r`` with those of a team in another regular round
        whose stays are shorter, where both rounds still fit; units due a follow-up stay (their
        follow-up is timed from their round). Returns the two rounds' former onsite and members
        (to undo the trade), or None."""
        mine = r.members[t]
        if any(self.data.targets[i].follow_up for i in mine):
            return None
        my_stay = max(self.stay(i, Kind.REGULAR) for i in mine)
        for r2 in sorted(regular, key=lambda r2: -r2.start):
            for t2, theirs in r2.members.items():
                if r2 is r or not theirs or any(self.data.targets[j].follow_up for j in theirs):
                    continue
                their_stay = max(self.stay(j, Kind.REGULAR) for j in theirs)
                if their_stay >= r.onsite[t] or not self.can_carry(t2, mine) or not self.can_carry(t, theirs):
                    continue
                saved = ((r, r.onsite, r.members), (r2, r2.onsite, r2.members))
                r.onsite, r.members = {**r.onsite, t: their_stay}, {**r.members, t: theirs}
                r2.onsite, r2.members = {**r2.onsite, t2: my_stay}, {**r2.members, t2: mine}
                if all(self.line.fits(Kind.REGULAR, x.start, x.prep, x.report, x.onsite, ignore=x,
                                      counties=self.line.visits(x)) for x in (r, r2)):
                    return saved
                for x, onsite, members in saved:
                    x.onsite, x.members = onsite, members
        return None

    def _special_sizes(self, theme, top: int) -> list[tuple[int, int]]:
        """(teams, on-site weeks) for a theme with 1 to ``top`` teams, within its longest stay:
        those within its target length first, then by fewest teams."""
        special = self.rounds.special
        sizes = [(n, self._special_weeks(theme, n)) for n in range(1, top + 1)]
        return sorted(((n, w) for n, w in sizes if w <= special.max_onsite_weeks),
                      key=lambda nw: (nw[1] > special.target_onsite_weeks, nw[0]))

    def _special_weeks(self, theme, n: int) -> int:
        special = self.rounds.special
        return max(special.onsite_weeks, special.scope_weeks(theme, n))

    def follow_up_round(self, low: int, high: int, year: int | None) -> _Round | None:
        """A follow-up round for the units whose rectification period is over by then."""
        data = self.data
        gap = self.rounds.follow_up.min_gap_weeks
        done = self.line.placed(Kind.FOLLOW_UP)
        regular = self.line.placed(Kind.REGULAR)
        due = [i for i in regular if data.targets[i].follow_up and i not in done]
        if not due:
            return None
        prep, report = self._prep(Kind.FOLLOW_UP), self._report(Kind.FOLLOW_UP)
        ready_from = {i: regular[i][0].start + regular[i][0].onsite[regular[i][1]] + gap for i in due}
        longest = max(self.stay(i, Kind.FOLLOW_UP) for i in due)
        best = None
        for start in range(max(low, min(ready_from.values())), min(high, self.m.horizon_weeks)):
            # A whole-team unit needs a team of its own: before the teams fill up; then the longest waiting.
            ready = sorted((i for i in due if ready_from[i] <= start
                            and self.line.quiet(self.line.county_of([i]), start, longest)),
                           key=lambda i: (not self.whole_team(i), ready_from[i]))
            if best is not None and sum(self.share(i) for i in ready) < best[0][0]:
                continue
            # The cheapest teams, or else those free around this week.
            free = [t for t in range(len(data.teams)) if not self.line.busy(t, start - prep, start + longest + report)]
            for teams in (self.staffed(Kind.FOLLOW_UP), self.staffed(Kind.FOLLOW_UP, free)):
                bins: dict[int, list[int]] = {t: [] for t in teams}
                for i in ready:
                    for t in teams:
                        if t != regular[i][1] and self.can_take(t, bins[t], i):
                            bins[t].append(i)
                            break
                members = {t: b for t, b in bins.items() if b}
                # The most team capacity used; then the most whole-team units (the hardest to place later).
                taken = (sum(self.share(i) for b in members.values() for i in b),
                         sum(self.whole_team(i) for b in members.values() for i in b))
                if not members or (best is not None and taken <= best[0]):
                    continue
                onsite = {t: max(self.stay(i, Kind.FOLLOW_UP) for i in b) for t, b in members.items()}
                if self.line.fits(Kind.FOLLOW_UP, start, prep, report, onsite, year,
                                  counties=self.line.county_of(i for b in members.values() for i in b)):
                    best = (taken, _Round(Kind.FOLLOW_UP, start, prep, report, onsite, members))
        if best is not None:
            self.line.add(best[1])
            return best[1]
        return None

    def left_out(self) -> int:
        """Units without their regular round, or without the follow-up they are due, and
        special themes without their round (a plan without one breaks a hard rule)."""
        done = self.line.placed(Kind.FOLLOW_UP)
        due = sum(1 for i, t in enumerate(self.data.targets) if t.follow_up and i not in done)
        themes = len(self.m.slots_of(Kind.SPECIAL)) - sum(1 for r in self.line.rounds if r.kind == Kind.SPECIAL)
        return len(self.pending) + due + themes

    # ------------------------------------------------------------ hints
    def slot_map(self) -> dict[int, _Round]:
        """Slot index -> placed round: a theme's slot, an executed round's slot, else the first free
        slot of its kind (and year) in start order."""
        m = self.m
        chosen: dict[int, _Round] = {r.slot.index: r for r in self.line.rounds if r.slot is not None}
        for r in sorted((r for r in self.line.rounds if r.slot is None), key=lambda r: r.start):
            slot = m.free_slot(r.kind, r.start, set(chosen))
            if slot is not None:
                chosen[slot.index] = r
        return chosen

    def canonical(self, chosen: dict[int, _Round]) -> None:
        """Reorder interchangeable teams and targets the way break_symmetry requires.

        Teams of a class carry loads in decreasing order; targets of a class take
        rounds in id order, the covered ones first. Swapping interchangeable
        objects changes no rule, so the plan stays as good and as valid.
        """
        data = self.data
        slot_of = {id(r): k for k, r in chosen.items()}
        regular = [r for r in chosen.values() if r.kind == Kind.REGULAR]
        loads = {t: sum(self.effort(r.members.get(t, [])) for r in regular) for t in range(len(data.teams))}
        perm = {}
        for members in interchangeable_teams(self.m):
            for new, old in zip(members, sorted(members, key=lambda t: -loads[t])):
                perm[old] = new
        if perm:
            for r in self.line.rounds:
                r.onsite = {perm.get(t, t): w for t, w in r.onsite.items()}
                r.members = {perm.get(t, t): b for t, b in r.members.items()}
        where: dict[tuple[int, Kind], tuple[_Round, int]] = {}
        for r in chosen.values():
            for t, b in r.members.items():
                for i in b:
                    where[i, r.kind] = (r, t)
        for members in interchangeable_targets(self.m):
            bundles = [(where.get((i, Kind.REGULAR)), where.get((i, Kind.FOLLOW_UP))) for i in members]
            covered = lambda b: b[0] is not None and (b[1] is not None or not data.targets[members[0]].follow_up)  # noqa: E731
            bundles.sort(key=lambda b: (not covered(b), slot_of[id(b[0][0])] if b[0] else 0))
            for r, t in (p for b in bundles for p in b if p is not None):
                r.members[t] = [i for i in r.members[t] if i not in members]
            for i, bundle in zip(members, bundles):
                for placed in bundle:
                    if placed is not None:
                        placed[0].members[placed[1]].append(i)

    def hint(self) -> None:
        """Hint every slot: the placed rounds in start order per kind, the other slots inactive."""
        m, cp = self.m, self.m.cp
        cp.clear_hints()
        chosen = self.slot_map()
        self.canonical(chosen)
        for n, start in self.line.cross.items():
            cp.add_hint(m.cross_windows[n].start, start)
        for slot in m.slots:
            r = chosen.get(slot.index)
            if slot.kind != Kind.SPECIAL:
                cp.add_hint(slot.active, int(r is not None))
            if r is None:
                for t in range(len(self.data.teams)):
                    cp.add_hint(m.used[slot.index, t], 0)
                    for _i, v in m.in_round(slot.index, t):
                        cp.add_hint(v, 0)
                continue
            cp.add_hint(slot.start, r.start)
            if slot.kind == Kind.SPECIAL:
                cp.add_hint(slot.onsite, r.length)
            for t in range(len(self.data.teams)):
                cp.add_hint(m.used[slot.index, t], int(t in r.onsite))
                members = r.members.get(t, [])
                for i, v in m.in_round(slot.index, t):
                    cp.add_hint(v, int(i in members))


def _counts_as(kind: Kind, counted: Kind) -> bool:
    """A county's cross round counts as one of its regular rounds of the year."""
    return kind == counted or (kind == Kind.CROSS and counted == Kind.REGULAR)


def best_greedy(m: PlanModel) -> _Greedy:
    """The pass that puts every round as full as its teams can carry, if it leaves no unit out:
    risk first wants the units early, and full early rounds score better on it than the units
    spread evenly over the rounds (the figures are in bench/README.md). The chosen pass then
    regroups each round's teams (:meth:`_Greedy.regroup`).

    Otherwise the units are spread evenly, which leaves the late rounds the room a crowded
    term needs, and the pass is the one that leaves the fewest units out (the first of them)
    of: the plain order, then long stays first, then shaken orders, then long stays first with
    the special themes after the year's second regular round or after all of them, then the
    plain order with the themes after every regular round of the term, stopping at the first
    pass that leaves none out. The passes between the plain one and the last fill the windows
    before blackouts with short stays (a plan the plain pass completes stays as it was: it
    packs the risk-first order a little better). The two with themes after the year's rounds
    are for a term so tight that a theme early in the year, staffed by the teams just back
    from a round, costs the round the long stays need. The last is for a term whose
    team-rounds are exactly as many as its units need (constraints.team_rounds): every regular
    round must go out with the most teams the pools staff, so the regular rounds take the
    weeks first and the themes go where they leave room, with the teams free around them (a
    partial year too short for a regular round, a gap before a blackout); it fills no gap with
    a round of short stays, which would go out with whichever teams are free, often fewer."""
    chosen = _Greedy(m, front=True)
    chosen.build()
    if chosen.left_out():
        passes = []
        ways = [{}, {"long_first": True}] + [{"shake": random.Random(n)} for n in range(SHAKEN_PASSES)] \
            + [{"long_first": True, "themes_after": n} for n in (2, None)] \
            + [{"themes_last": True, "fill_gaps": False}] \
            + [{"themes_after": 0}, {"long_first": True, "themes_after": 0}]
        for n, way in enumerate(ways):
            greedy = _Greedy(m, **{"fill_gaps": n > 0, **way})
            greedy.build()
            passes.append(greedy)
            if not greedy.left_out():
                break
        chosen = min(passes, key=lambda g: g.left_out())
    chosen.regroup()
    return chosen


def add_greedy_hint(m: PlanModel, complete_seconds: float = 5.0) -> bool:
    """Add a greedy plan (:func:`best_greedy`) as a solution hint; return True if it is a whole,
    feasible plan.

    The greedy fixes the decisions (round starts, teams, targets); a short
    CP-SAT run with those values fixed derives every other variable, so the
    hint is complete and CP-SAT can report it at once as its first plan.
    With coverage elastic, a plan that leaves units out is whole too.
    """
    best_greedy(m).hint()
    return complete_hint(m, complete_seconds)


def complete_hint(m: PlanModel, seconds: float) -> bool:
    """Replace the model's partial hint by a whole solution that agrees with it, if one exists."""
    solver = completion_solver(seconds)
    if not status_of(solver, solver.solve(m.cp)).has_plan:
        return False
    hint_solution(m, solver)
    return True


def hint_solution(m: PlanModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable of ``m`` with its value in the solver's last solution of ``m``."""
    m.cp.clear_hints()
    for index in range(len(m.cp.proto.variables)):
        var = m.cp.get_int_var_from_proto_index(index)
        m.cp.add_hint(var, solver.value(var))
