"""Build the CP-SAT model of one committee's plan (the city committee, or one county committee).

The model plans on the week grid of :mod:`planner.calendar`. It has *round
slots*: ``rounds_per_year_max x years`` regular slots, one slot per special
theme, and a few follow-up (回头看) slots. A slot is a round when it is active;
its on-site window and the teams' busy spans are interval variables. Targets
are assigned to (slot, team) pairs. The rules themselves live in
``constraints/``; this module only creates variables, and :mod:`planner.build`
adds the rule families to them (the families import this module, never the builder).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from planner.calendar import WeekGrid
from planner.model_types import Baseline, CityCalendar, CountyRequests, Penalty, Pin, Relax, Relaxation
from planner.scenario import Scenario
from planner.scenario_settings import CrossInspection, Horizon, KindPolicy, LevelStaff, Linkage, Policy
from planner.tables import FixedDecision, Target, Team
from planner.vocabulary import CATEGORY_GROUP, CITY, Committee, Kind, Level


@dataclass(frozen=True)
class CommitteeData:
    """Everything the model needs about one committee's plan, resolved once.

    Rules and the greedy read settings only from ``policy``; the scenario
    itself is not kept, so no rule can read another committee's settings.
    """

    committee: Committee
    policy: Policy
    horizon: Horizon
    targets: tuple[Target, ...]  # the units the model assigns (villages that ride with their town are not)
    teams: tuple[Team, ...]
    grid: WeekGrid
    riders: dict[int, tuple[Target, ...]] = field(default_factory=dict)  # town index -> its villages (巡镇带村)
    decisions: tuple[tuple[int, FixedDecision], ...] = ()  # (row of fixed.csv, decision) about this committee
    # The city, and a whole-city plan (市县一盘棋):
    linkage: Linkage | None = None  # the coupling settings: the city's plan, a county drafted against it
    calendar: CityCalendar | None = None  # a county: the city's plan it follows
    cross: CrossInspection | None = None  # cross rounds: the city holds their windows, a county its teams' part
    cross_targets: frozenset[int] = frozenset()  # a county: the units of another county it inspects in cross rounds
    county_units: dict[str, frozenset[int]] = field(default_factory=dict)  # the city: its units in each county
    special_counties: dict[str, frozenset[str]] = field(default_factory=dict)  # the city: theme -> counties visited
    county_sectors: frozenset[str] = frozenset()  # the city of a whole-city plan: sectors the counties have
    cross_weeks: int = 0  # the city: on-site weeks a cross round's window holds (the longest stay in it)
    audits: tuple[tuple[int, int, str], ...] = ()  # (target index, audit year, audited unit): 巡审联动
    requests: CountyRequests | None = None  # the city, coupling pass: what the counties' plans ask of it

    @classmethod
    def of(cls, scenario: Scenario, committee: Committee = CITY, whole: bool = False,
           calendar: CityCalendar | None = None, requests: CountyRequests | None = None) -> CommitteeData:
        """The data of ``committee``'s plan; ``whole`` for a whole-city plan, where a county also
        gets the city's ``calendar`` and the cross units it inspects in place of its own, and the
        city the weeks the counties' rounds start (``requests``, see constraints.county_requests)."""
        policy = scenario.policy(committee)
        targets = scenario.targets_of(committee)
        cross_targets: list[Target] = []
        cross_towns: set[str] = set()
        cross_rounds = scenario.cross_inspection.rounds if whole else ()
        if cross_rounds and committee != CITY:
            inspected = scenario.cross_inspected(committee.county)
            given = {t.id for n in range(len(cross_rounds)) for t in scenario.cross_units(n, committee.county)}
            cross_targets = [t for n in range(len(cross_rounds)) for t in scenario.cross_units(n, inspected)]
            cross_towns = given | {t.id for t in cross_targets}
            villages = [t for t in scenario.targets if t.category == "village" and t.town in cross_towns]
            # A town inspected in a cross round takes its villages along (巡镇带村); its own county gives both up.
            targets = [t for t in targets if t.id not in given and t.town not in given] + cross_targets + [
                v for v in villages if v.town not in given]
        towns = {t.id for t in targets if t.category == "town"}
        # The city takes every village of a town it elevates; a county inspects a key village alone (直接巡).
        riding = [t for t in targets if t.category == "village" and t.town in towns
                  and (committee == CITY or t.risk < policy.villages.key_risk or t.town in cross_towns)]
        planned = tuple(t for t in targets if t not in riding)
        index = {t.id: i for i, t in enumerate(planned)}
        riders: dict[int, list[Target]] = {}
        for village in riding:
            riders.setdefault(index[village.town], []).append(village)
        county_units: dict[str, set[int]] = {}
        if committee == CITY:
            for i, t in enumerate(planned):
                if t.county:
                    county_units.setdefault(t.county, set()).add(i)
        themes = policy.rounds.special.themes
        return cls(
            committee=committee,
            policy=policy,
            horizon=scenario.horizon,
            targets=planned,
            teams=tuple(scenario.teams_of(committee)),
            grid=WeekGrid.of(scenario),
            riders={i: tuple(v) for i, v in riders.items()},
            decisions=tuple(scenario.decisions_of(committee)),
            linkage=scenario.linkage if whole or committee == CITY else None,
            calendar=calendar,
            cross=scenario.cross_inspection if cross_rounds else None,
            cross_targets=frozenset(index[t.id] for t in cross_targets),
            county_units={c: frozenset(v) for c, v in county_units.items()},
            special_counties={t.name: frozenset(scenario.counties if t.all_counties else t.counties)
                              for t in themes} if committee == CITY else {},
            county_sectors=scenario.linkable_sectors() if whole and committee == CITY else frozenset(),
            cross_weeks=scenario.cross_weeks() if whole and committee == CITY and cross_rounds else 0,
            audits=_audits(scenario, planned, riders),
            requests=requests,
        )

    @property
    def years(self) -> list[int]:
        return sorted(self.grid.year_ranges)

    @property
    def staff(self) -> LevelStaff:
        return self.policy.staff

    def round_policy(self, kind: Kind) -> KindPolicy:
        if kind == Kind.CROSS and self.cross is not None:
            return self.cross.policy
        return self.policy.rounds.policy(kind)

    def priority(self, target: Target) -> int:
        """Risk, plus one when the last inspection is long ago (or unknown)."""
        overdue = target.last_inspected is None or (
            (self.horizon.start - target.last_inspected).days >= 365 * self.policy.soft.overdue_years
        )
        return target.risk + int(overdue)

    def need_drafted(self, team: Team, kind: Kind) -> int:
        return self.policy.need_drafted(team, kind)

    def stay(self, i: int, kind: Kind) -> int:
        """On-site weeks target ``i`` needs in a round of ``kind``; a town's grows with its villages."""
        base = self.round_policy(kind).onsite_weeks_for(self.targets[i].category)
        if kind not in (Kind.REGULAR, Kind.CROSS):
            return base  # a follow-up revisits the town, not its villages
        return self.policy.villages.town_weeks(base, len(self.riders.get(i, ())))

    def group(self, target: Target) -> str:
        return CATEGORY_GROUP[target.category]

    @property
    def decided(self) -> tuple[set[str], set[str]]:
        """Targets and teams a fixed decision names: no longer interchangeable with their peers."""
        decisions = [d for _, d in self.decisions]
        return {u for d in decisions for u in d.units}, {d.team for d in decisions if d.team}


def _audits(scenario: Scenario, planned: tuple[Target, ...],
            riders: dict[int, list[Target]]) -> tuple[tuple[int, int, str], ...]:
    """Audits of the units this plan places; a village riding with its town is audited with the town's round."""
    index = {t.id: i for i, t in enumerate(planned)}
    index.update({v.id: i for i, villages in riders.items() for v in villages})
    return tuple((index[a.unit], a.year, a.unit) for a in scenario.audits if a.unit in index)


@dataclass
class Slot:
    """A round slot with its variables."""

    kind: Kind
    index: int
    start: cp_model.IntVar
    end: cp_model.IntVar
    active: cp_model.IntVar | int
    window: cp_model.IntervalVar
    prep: int
    report: int
    theme: str = ""
    in_year: dict[int, cp_model.IntVar] = field(default_factory=dict)
    onsite: cp_model.IntVar | None = None  # special rounds: on-site weeks
    year: int | None = None  # regular rounds: the year the round starts in, fixed by the slot
    position: int = 0  # regular: R * (year - first year) + place in the year; others: order within the kind

    @property
    def label(self) -> str:
        return f"{self.kind.value}#{self.index}"


@dataclass
class CrossWindow:
    """The city's hold on a cross round's on-site window (the county teams' work is in the county plans)."""

    year: int
    start: cp_model.IntVar
    weeks: int
    window: cp_model.IntervalVar


class PlanModel:
    """CP-SAT variables of one committee's plan. Constraint families read and extend it."""

    def __init__(self, data: CommitteeData, pins: tuple[Pin, ...] = (), relax: frozenset[Relax] = frozenset(),
                 as_of_week: int = 0, baseline: Baseline | None = None,
                 distinctions: tuple[Callable[[Target], Hashable], ...] = ()):
        self.data = data
        self.distinctions = distinctions  # traits of a unit the rules read beyond interchangeable_targets' key
        self.pins = pins
        self.baseline = baseline
        self.relax = relax
        self.as_of_week = as_of_week
        self.relaxations: list[Relaxation] = []
        self.cp = cp_model.CpModel()
        self.horizon_weeks = data.grid.n_weeks
        self.slots: list[Slot] = []
        # (target index, slot index, team index) -> assignment literal, and three views of it
        self.x: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.x_of_target: dict[int, list[tuple[int, int, cp_model.IntVar]]] = {}  # i -> (k, t, lit)
        self.x_of_team_round: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = {}  # (k, t) -> (i, lit)
        self.x_of_round: dict[int, list[tuple[int, int, cp_model.IntVar]]] = {}  # k -> (i, t, lit)
        # (slot index, team index) -> team goes out in that round
        self.used: dict[tuple[int, int], cp_model.IntVar] = {}
        # (slot index, team index) -> on-site weeks of the team (0 when not used)
        self.onsite: dict[tuple[int, int], cp_model.LinearExprT] = {}
        self.busy: dict[tuple[int, int], cp_model.IntervalVar] = {}
        self.penalties: list[Penalty] = []
        self.cross_windows: list[CrossWindow] = []
        # Whole-city plan: (city slot, sector) -> sector named (constraints.linked_sectors).
        self.named: dict[tuple[int, str], cp_model.IntVar] = {}
        # target -> "covered" literal and the number left out, when coverage is elastic (constraints.coverage)
        self.covered: dict[int, cp_model.IntVar] = {}
        self.uncovered: cp_model.IntVar | None = None
        # (team index, year) -> start week of the team's 回访督查 window (constraints.revisit)
        self.revisits: dict[tuple[int, int], cp_model.IntVar] = {}
        self.objective: cp_model.LinearExprT = 0
        self._make_slots()
        self._make_assignments()

    # ----------------------------------------------------------------- slots
    def slot_count(self, kind: Kind) -> int:
        years = len(self.data.years)
        if kind == Kind.REGULAR:
            # One spare slot a year when "one more round in a year" may be proposed.
            return (self.data.round_policy(kind).rounds_per_year_max + (Relax.ROUNDS in self.relax)) * years
        if kind == Kind.SPECIAL:
            return len(self.data.policy.rounds.special.themes)
        follow = sum(t.follow_up for t in self.data.targets)
        return min(follow, self.data.round_policy(kind).rounds_per_year_max * years)

    def _make_slots(self) -> None:
        """Regular slots are indexed by year: slot (y, j) is to be the j-th regular round of year y
        (constraints.round_policy keeps its start in y); the other kinds' slots are free."""
        cp, weeks = self.cp, self.horizon_weeks
        special = self.data.policy.rounds.special
        per_year = self.slot_count(Kind.REGULAR) // max(1, len(self.data.years))
        for kind in (Kind.REGULAR, Kind.SPECIAL, Kind.FOLLOW_UP):
            policy = self.data.round_policy(kind)
            for n in range(self.slot_count(kind)):
                name = f"{kind.value}{n}"
                year = self.data.years[n // per_year] if kind == Kind.REGULAR else None
                start = cp.new_int_var(policy.prep_weeks, weeks, f"start_{name}")
                end = cp.new_int_var(policy.prep_weeks, weeks, f"end_{name}")
                if kind == Kind.SPECIAL:
                    active = 1
                    onsite = cp.new_int_var(policy.onsite_weeks, special.max_onsite_weeks, f"onsite_{name}")
                    cp.add(end == start + onsite)
                    window = cp.new_interval_var(start, onsite, end, f"window_{name}")
                    theme = special.themes[n].name
                else:
                    active = cp.new_bool_var(f"active_{name}")
                    onsite = None
                    size = cp.new_int_var(0, weeks, f"size_{name}")
                    window = cp.new_optional_interval_var(start, size, end, active, f"window_{name}")
                    theme = ""
                slot = Slot(kind, len(self.slots), start, end, active, window, policy.prep_weeks,
                            policy.report_weeks, theme, onsite=onsite, year=year, position=n)
                if year is not None:
                    slot.in_year[year] = active
                    slot.position = self.data.round_policy(Kind.REGULAR).rounds_per_year_max * (n // per_year) \
                        + n % per_year
                self.slots.append(slot)
        if self.data.cross is not None:
            self._make_cross()

    def _make_cross(self) -> None:
        """Cross rounds: the city holds each one's window in its year; a county drafted against the
        city's calendar gets a round fixed at that window for its teams' cross work."""
        cp, cross = self.cp, self.data.cross
        policy = cross.policy
        for n, cross_round in enumerate(cross.rounds):
            if self.data.committee == CITY:
                weeks = self.data.cross_weeks
                lo, hi = self.data.grid.year_ranges[cross_round.year]
                start = cp.new_int_var(max(lo, policy.prep_weeks), hi - 1, f"cross_start{n}")
                window = cp.new_fixed_size_interval_var(start, weeks, f"cross_window{n}")
                self.cross_windows.append(CrossWindow(cross_round.year, start, weeks, window))
                continue
            begin, weeks = self.data.calendar.cross[n]
            start = cp.new_constant(begin)
            end = cp.new_int_var(begin, begin + weeks, f"end_cross{n}")
            active = cp.new_bool_var(f"active_cross{n}")
            cp.add(active == 1)
            size = cp.new_int_var(0, weeks, f"size_cross{n}")
            window = cp.new_optional_interval_var(start, size, end, active, f"window_cross{n}")
            self.slots.append(Slot(Kind.CROSS, len(self.slots), start, end, active, window,
                                   policy.prep_weeks, policy.report_weeks))

    def open_starts(self, weeks: int, prep: int, report: int, year: int | None = None) -> frozenset[int]:
        """Weeks a round of ``weeks`` weeks on site may start in: its preparation after the term's
        start (and the re-planning week), its report before the term's end, no on-site week in a
        blackout; only those of ``year`` if given."""
        return self.data.grid.open_starts(weeks, prep, report, self.as_of_week, year)

    def slots_of(self, kind: Kind) -> list[Slot]:
        return [s for s in self.slots if s.kind == kind]

    def free_slot(self, kind: Kind, start_week: int, taken: set[int]) -> Slot | None:
        """The first slot of ``kind`` not in ``taken`` that a round starting in ``start_week`` can
        take (a regular one: a slot of that week's year). Rounds take slots in start order."""
        year = self.data.grid.year_of(start_week)
        return next((s for s in self.slots_of(kind) if s.index not in taken and s.year in (None, year)), None)

    def year_flags(self, slot: Slot) -> dict[int, cp_model.IntVar]:
        """in_year[y]: the slot is a round whose on-site phase starts in year y (a regular
        slot has one year, fixed: in_year[y] = active).

        in_year[y] => first_week(y) <= start < first_week(y+1),  sum_y in_year[y] = active.
        """
        if not slot.in_year:
            for year, (lo, hi) in self.data.grid.year_ranges.items():
                flag = self.cp.new_bool_var(f"in_{year}_{slot.label}")
                self.cp.add(slot.start >= lo).only_enforce_if(flag)
                self.cp.add(slot.start < hi).only_enforce_if(flag)
                slot.in_year[year] = flag
            self.cp.add(sum(slot.in_year.values()) == slot.active)
        return slot.in_year

    def relaxation(self, rule: Relax, key: str, amounts: dict[str, tuple[int, int]]) -> Relaxation:
        """A switchable group with integer slacks ``name -> (0, most)``, all 0 while it holds."""
        holds = self.cp.new_bool_var(f"holds_{rule.value}_{key}")
        slacks = {}
        for name, (low, high) in amounts.items():
            slack = self.cp.new_int_var(low, high, f"{name}_{key}")
            self.cp.add(slack == 0).only_enforce_if(holds)
            slacks[name] = slack
        found = Relaxation(rule, key, holds, slacks)
        self.relaxations.append(found)
        return found

    # ----------------------------------------------------------- assignments
    def eligible(self, i: int, kind: Kind) -> bool:
        """A unit another county gives up goes only to a cross round, and a cross round takes only those."""
        if i in self.data.cross_targets or kind == Kind.CROSS:
            return i in self.data.cross_targets and kind == Kind.CROSS
        return kind == Kind.REGULAR or (kind == Kind.FOLLOW_UP and self.data.targets[i].follow_up)

    def _make_assignments(self) -> None:
        cp, data = self.cp, self.data
        for slot in self.slots:
            k = slot.index
            for t, team in enumerate(data.teams):
                self.used[k, t] = cp.new_bool_var(f"used_{slot.label}_{team.id}")
                if slot.kind == Kind.SPECIAL:
                    continue
                for i, target in enumerate(data.targets):
                    if self.eligible(i, slot.kind):
                        self.x[i, k, t] = cp.new_bool_var(f"x_{target.id}_{slot.label}_{team.id}")
        for (i, k, t), v in self.x.items():
            self.x_of_target.setdefault(i, []).append((k, t, v))
            self.x_of_team_round.setdefault((k, t), []).append((i, v))
            self.x_of_round.setdefault(k, []).append((i, t, v))
        for slot in self.slots:
            for t in range(len(data.teams)):
                self._make_team_span(slot, t)

    def _make_team_span(self, slot: Slot, t: int) -> None:
        """On-site weeks and busy interval of team ``t`` in ``slot``."""
        cp, k, used = self.cp, slot.index, self.used[slot.index, t]
        team = self.data.teams[t]
        if slot.kind == Kind.SPECIAL:
            onsite = cp.new_int_var(0, self.data.policy.rounds.special.max_onsite_weeks, f"on_{slot.label}_{team.id}")
            cp.add(onsite == slot.onsite).only_enforce_if(used)
            cp.add(onsite == 0).only_enforce_if(~used)
            self.onsite[k, t] = onsite
        else:
            self.onsite[k, t] = self._onsite_weeks(slot, t)
        size = cp.new_int_var(0, self.horizon_weeks, f"busy_size_{slot.label}_{team.id}")
        cp.add(size == slot.prep + self.onsite[k, t] + slot.report).only_enforce_if(used)
        start = cp.new_int_var(0, self.horizon_weeks, f"busy_start_{slot.label}_{team.id}")
        end = cp.new_int_var(0, self.horizon_weeks, f"busy_end_{slot.label}_{team.id}")
        cp.add(start == slot.start - slot.prep).only_enforce_if(used)
        self.busy[k, t] = cp.new_optional_interval_var(start, size, end, used, f"busy_{slot.label}_{team.id}")

    def _onsite_weeks(self, slot: Slot, t: int) -> cp_model.LinearExprT:
        """On-site weeks = the longest stay any assigned target needs (0 if unused).

        With distinct lengths v1 < ... < vm, literal ``ge[j]`` says "some
        target needs at least v_j", so weeks = v1*used + sum (v_j - v_{j-1}) ge[j].
        """
        cp, k, used = self.cp, slot.index, self.used[slot.index, t]
        policy = self.data.round_policy(slot.kind)
        lengths = {i: self.data.stay(i, slot.kind) for i, _v in self.in_round(k, t)}
        values = sorted(set(lengths.values())) or [policy.onsite_weeks]
        expr: cp_model.LinearExprT = values[0] * used
        for j in range(1, len(values)):
            ge = cp.new_bool_var(f"long{j}_{slot.label}_{self.data.teams[t].id}")
            needing = [self.x[i, k, t] for i, v in lengths.items() if v >= values[j]]
            for lit in needing:
                cp.add_implication(lit, ge)
            cp.add_bool_or(needing).only_enforce_if(ge)
            expr += (values[j] - values[j - 1]) * ge
        return expr

    # ----------------------------------------------------------------- views
    def assigned(self, i: int, kind: Kind) -> list[tuple[int, int, cp_model.IntVar]]:
        """(slot, team, literal) for target ``i`` over slots of ``kind``."""
        return [(k, t, v) for k, t, v in self.x_of_target.get(i, []) if self.slots[k].kind == kind]

    def in_round(self, k: int, t: int) -> list[tuple[int, cp_model.IntVar]]:
        """(target, literal) for team ``t`` in slot ``k``."""
        return self.x_of_team_round.get((k, t), [])

    def round_literals(self, k: int) -> list[tuple[int, int, cp_model.IntVar]]:
        """(target, team, literal) for slot ``k``."""
        return self.x_of_round.get(k, [])

    @property
    def total_effort(self) -> int:
        return sum(t.effort for t in self.data.targets)

    def team_loads(self) -> list[cp_model.LinearExprT]:
        """Effort each team carries in regular rounds."""
        return [
            sum(self.data.targets[i].effort * v for slot in self.slots_of(Kind.REGULAR) for i, v in self.in_round(slot.index, t))
            for t in range(len(self.data.teams))
        ]

    @cached_property
    def _effort_by_year(self) -> dict[int, cp_model.IntVar]:
        cp, years = self.cp, self.data.years
        cap = len(self.data.teams) * self.data.policy.rounds.max_effort_per_team
        parts: dict[int, list[cp_model.LinearExprT]] = {y: [] for y in years}
        for slot in self.slots_of(Kind.REGULAR):
            effort = sum(self.data.targets[i].effort * v for i, _t, v in self.round_literals(slot.index))
            if slot.year is not None:
                parts[slot.year].append(effort)
                continue
            flags = self.year_flags(slot)
            for y in years:
                share = cp.new_int_var(0, cap, f"effort_{y}_{slot.label}")
                cp.add(share == effort).only_enforce_if(flags[y])
                cp.add(share == 0).only_enforce_if(~flags[y])
                parts[y].append(share)
        totals = {}
        for y in years:
            totals[y] = cp.new_int_var(0, self.total_effort, f"effort_{y}")
            cp.add(totals[y] == sum(parts[y]))
        return totals

    def effort_by_year(self) -> dict[int, cp_model.IntVar]:
        """Effort of the targets whose regular round starts in each year."""
        return self._effort_by_year

    def target_round_rank(self, i: int, kind: Kind = Kind.REGULAR) -> cp_model.LinearExprT:
        """Position of the slot target ``i`` is assigned to (0 if none): for a regular round
        R * (its year - the first year) + its place among the regular rounds of its year,
        R = rounds_per_year_max (slots are in start order)."""
        return sum(self.slots[k].position * v for k, _, v in self.assigned(i, kind))

    def add_penalty(self, penalty: Penalty) -> None:
        if penalty.weight > 0:
            self.penalties.append(penalty)


def interchangeable_targets(m: PlanModel) -> list[list[int]]:
    """Classes (two or more, in index order) of targets no rule tells apart: same category,
    effort, stay lengths, priority, follow-up and avoid list, county (the city's visits into a
    county, constraints.county_visits), sector where sectors are linked, audit years and the traits
    of ``m.distinctions``, none pinned or named by a fixed decision."""
    data = m.data
    pinned = {p.target for p in m.pins} | data.decided[0]
    linked = data.linkage is not None and data.linkage.sectors_per_round > 0
    audited: dict[int, tuple[int, ...]] = {}
    for i, year, _unit in data.audits:
        audited[i] = (*audited.get(i, ()), year)
    classes: dict[tuple, list[int]] = {}
    for i, t in enumerate(data.targets):
        if t.id in pinned:
            continue
        stays = tuple(data.stay(i, kind) for kind in (Kind.REGULAR, Kind.FOLLOW_UP))
        key = (t.category, t.effort, stays, data.priority(t), t.follow_up, t.avoid_teams, i in data.cross_targets,
               t.county, t.sector if linked else "", audited.get(i, ()), tuple(trait(t) for trait in m.distinctions))
        classes.setdefault(key, []).append(i)
    return [members for members in classes.values() if len(members) > 1]


def interchangeable_teams(m: PlanModel) -> list[list[int]]:
    """Classes (two or more, in index order) of teams no rule tells apart: same staff,
    named by no target's avoid list, no pinned row and no fixed decision."""
    data = m.data
    named = {team for t in data.targets for team in t.avoid_teams} | {p.team for p in m.pins} | data.decided[1]
    classes: dict[tuple, list[int]] = {}
    for t, team in enumerate(data.teams):
        if team.id not in named:
            classes.setdefault((team.has_leader, team.filled), []).append(t)
    return [members for members in classes.values() if len(members) > 1]


def break_symmetry(m: PlanModel) -> None:
    """Order interchangeable objects, so the search sees each plan once.

    Interchangeable targets take rounds in id order (with coverage elastic:
    the covered ones first, then in id order); interchangeable teams carry
    loads in decreasing order. The greedy hint follows the same order.
    """
    for members in interchangeable_targets(m):
        for a, b in zip(members, members[1:]):
            earlier = m.cp.add(m.target_round_rank(a) <= m.target_round_rank(b))
            if m.covered:
                m.cp.add(m.covered[a] >= m.covered[b])
                earlier.only_enforce_if(m.covered[b])
    loads = m.team_loads()
    for members in interchangeable_teams(m):
        for a, b in zip(members, members[1:]):
            m.cp.add(loads[a] >= loads[b])
