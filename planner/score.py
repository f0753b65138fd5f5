"""The soft-rule score of any plan table, hand-made ones too.

The model (``constraints/``) and this module read the soft rules of
``docs/domain.md`` separately: here each rule is recomputed in plain Python from
``assignments.csv`` and the scenario only, in the units of ``plan.json``
(``penalties`` raw, times the committee's ``weights``). A plan drafted by
hand or edited in Excel gets the same figures the optimizer reports for its
own plans, so the two can be set side by side.

A table's round is a round of the committee that runs it (``county``, empty
for the city); a regular round's rank for risk-first is R * (its year - the
term's first year) + its place in its year, R the most regular rounds a year
(see constraints.risk_first). Week spans
follow :mod:`planner.calendar`: ``L`` weeks run from a Monday to the Friday
``L`` weeks later, so ``L = ((last day - first day).days + 3) // 7``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from constraints.coverage import UNCOVERED_WEIGHT
from planner.calendar import WeekGrid
from planner.check import plan_committees
from planner.describe import Table
from planner.export import RULE_LABELS
from planner.linkage import Linkage, is_whole, linkage_of
from planner.plan import PlanDir
from planner.scenario import Scenario
from planner.tables import Target
from planner.vocabulary import CATEGORY_GROUP, CITY, Committee, Kind

def weeks(first: dt.date, last: dt.date) -> int:
    """Whole weeks from a Monday ``first`` to a Friday ``last``."""
    return ((last - first).days + 3) // 7


@dataclass(frozen=True)
class CommitteeScore:
    """One committee's soft-rule penalties as ``plan.json`` records them.

    ``penalties[rule]`` is the raw value, None when the rule's weight is 0 (not
    weighed); ``uncovered`` names the targets without their regular round (or
    their planned follow-up), each costing ``UNCOVERED_WEIGHT`` in the objective.
    """

    committee: Committee
    penalties: dict[str, int | None]
    weights: dict[str, int]
    uncovered: tuple[str, ...] = ()
    parts: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def weighted(self) -> dict[str, int]:
        return {rule: self.weights[rule] * value for rule, value in self.penalties.items() if value is not None}

    @property
    def soft_total(self) -> int:
        return sum(self.weighted.values())

    @property
    def objective(self) -> int:
        """What the optimizer minimises: the weighted soft rules plus the uncovered targets' cost."""
        return self.soft_total + UNCOVERED_WEIGHT * len(self.uncovered)


@dataclass(frozen=True)
class PlanScore:
    committees: tuple[CommitteeScore, ...]

    @property
    def weighted(self) -> dict[str, int]:
        total: dict[str, int] = defaultdict(int)
        for score in self.committees:
            for rule, value in score.weighted.items():
                total[rule] += value
        return dict(total)

    @property
    def soft_total(self) -> int:
        return sum(s.soft_total for s in self.committees)

    @property
    def objective(self) -> int:
        return sum(s.objective for s in self.committees)

    @property
    def uncovered(self) -> tuple[str, ...]:
        return tuple(t for s in self.committees for t in s.uncovered)


class _Rounds:
    """One committee's rows grouped by round, as the soft rules read them."""

    def __init__(self, rows: list[Any]):
        by_round: dict[int, list[Any]] = defaultdict(list)
        for row in rows:
            by_round[row.round].append(row)
        self.rounds = sorted(by_round.values(), key=lambda rs: (min(r.onsite_start for r in rs), rs[0].round))

    def of_kind(self, kind: Kind) -> list[list[Any]]:
        return [rs for rs in self.rounds if rs[0].kind == kind.value]


def _team_rows(rows: list[Any]) -> dict[str, Any]:
    """The first row of each team in a round: the rows of one team share dates and staff."""
    firsts: dict[str, Any] = {}
    for row in rows:
        firsts.setdefault(row.team, row)
    return firsts


def regular_positions(regular: list[list[Any]], grid: WeekGrid, per_year: int) -> list[int]:
    """Position of each regular round (given in start order) as risk-first ranks it:
    per_year * (its year - the grid's first year) + its place among that year's regular rounds."""
    first = min(grid.year_ranges)
    positions, seen = [], defaultdict(int)
    for rows in regular:
        year = grid.year_of(grid.week_of(min(r.onsite_start for r in rows)))
        positions.append(per_year * (year - first) + seen[year])
        seen[year] += 1
    return positions


def priority(target: Target, term_start: dt.date, overdue_years: int) -> int:
    """Risk, plus one when the last inspection is long ago (or unknown): as the model reads it."""
    overdue = target.last_inspected is None or (term_start - target.last_inspected).days >= 365 * overdue_years
    return target.risk + int(overdue)


def _units(scenario: Scenario, committee: Committee, mine: list[Any], given: set[str]) -> dict[str, Target]:
    """The units the committee's plan places, as the rules count them: its targets without the
    villages that ride with their town (every village of a town the city elevates; a county's
    villages below its key risk), without the units given up to another county's cross round,
    and with the units it inspects in cross rounds in their place."""
    targets = {t.id: t for t in scenario.targets_of(committee) if t.id not in given and t.town not in given}
    by_id = {t.id: t for t in scenario.targets}
    crossed = {r.target for r in mine if r.kind == Kind.CROSS.value and r.target in by_id}
    targets.update({t: by_id[t] for t in crossed})
    towns = {t.id for t in targets.values() if t.category == "town"}
    key = scenario.policy(committee).villages.key_risk
    return {
        tid: t for tid, t in targets.items()
        if not (t.category == "village" and t.town in towns
                and (committee.county == "" or t.risk < key or t.town in crossed or t.town in given))
    }


def score_committee(scenario: Scenario, committee: Committee, rows: Iterable[Any],
                    linkage: Linkage | None = None) -> CommitteeScore:
    """Every soft rule of ``committee``'s plan, from its table rows (and, in a whole-city plan,
    the linkage figures of the whole table)."""
    rows = list(rows)
    policy = scenario.policy(committee)
    # Units another county inspects in a cross round of this plan: given up by their own county.
    given = {r.target for r in rows if r.kind == Kind.CROSS.value and r.target_county == committee.county}
    mine = [r for r in rows if r.county == committee.county]
    targets = _units(scenario, committee, mine, given)
    owned = {t.id: t for t in scenario.targets_of(committee) if t.id not in given and t.town not in given}
    teams = scenario.teams_of(committee)
    grid = WeekGrid.of(scenario)
    years = sorted(grid.year_ranges)
    table = _Rounds(mine)
    regular = table.of_kind(Kind.REGULAR)
    effort = {tid: t.effort for tid, t in targets.items()}

    risk_parts = {}
    ranks = regular_positions(regular, grid, policy.rounds.regular.rounds_per_year_max)
    for rank, rows_ in zip(ranks, regular):
        for row in rows_:
            if row.target in targets:
                target = targets[row.target]
                value = priority(target, scenario.horizon.start, policy.soft.overdue_years) * rank
                risk_parts[row.target] = risk_parts.get(row.target, 0) + value

    groups = sorted({CATEGORY_GROUP[t.category] for t in targets.values()})
    need = min(policy.soft.mix_min_groups, len(groups))
    mix_parts = {}
    for rows_ in regular:
        present = {CATEGORY_GROUP[targets[r.target].category] for r in rows_ if r.target in targets}
        mix_parts[f"第{rows_[0].round}轮"] = max(0, need - len(present))

    loads = {team.id: 0 for team in teams}
    by_year = {y: 0 for y in years}
    for rows_ in regular:
        start = min(r.onsite_start for r in rows_)
        for row in rows_:
            if row.target in targets:
                if row.team in loads:
                    loads[row.team] += effort[row.target]
                year = grid.year_of(grid.week_of(start))
                by_year[year] = by_year.get(year, 0) + effort[row.target]
    team_spread = max(loads.values()) - min(loads.values()) if len(loads) >= 2 else None
    before_last = [by_year[y] for y in years[:-1]]
    year_spread = max(before_last) - min(before_last) if len(before_last) >= 2 else None
    cap = int(policy.soft.last_year_share * sum(effort.values()) / len(years))
    last_excess = max(0, by_year[years[-1]] - cap)

    special = policy.rounds.special
    over_parts = {}
    for rows_ in table.of_kind(Kind.SPECIAL):
        onsite = weeks(min(r.onsite_start for r in rows_), max(r.onsite_end for r in rows_))
        over_parts[rows_[0].target_name] = max(0, onsite - special.target_onsite_weeks)

    drafted_parts = {}
    for rows_ in table.rounds:
        for team_id, row in _team_rows(rows_).items():
            value = row.drafted * weeks(row.busy_start, row.busy_end)
            if value:
                drafted_parts[f"第{row.round}轮/{team_id}"] = value

    quiet_parts, sync_parts, linked_parts = _linkage_parts(scenario, committee, mine, targets, linkage)
    # 巡审联动: the year the unit's inspection (a riding village: its town's) goes on site.
    inspected = {r.target: r.onsite_start.year for r in mine if r.kind in (Kind.REGULAR.value, Kind.CROSS.value)}
    audit_parts = {a.unit: int(inspected.get(a.unit) != a.year) for a in scenario.audits
                   if a.unit in owned or a.unit in targets}
    raw: dict[str, int | None] = {
        "risk_first": sum(risk_parts.values()),
        "mixed_rounds": sum(mix_parts.values()),
        "even_team_load": team_spread,
        "even_year_load": year_spread,
        "short_special": sum(over_parts.values()),
        "last_year_room": last_excess,
        "drafted_cadres": sum(drafted_parts.values()),
        "county_quiet": sum(quiet_parts.values()),
        "sync": sum(sync_parts.values()),
        "linked_sectors": sum(linked_parts.values()),
        "audit_sync": sum(audit_parts.values()),
    }
    weights = policy.weights.model_dump()
    # A rule the model leaves out (weight 0, or nothing to compare) is None in plan.json or 0 in its penalties.
    penalties = {rule: (value or 0) if weights[rule] > 0 else None for rule, value in raw.items()}
    parts = {"risk_first": risk_parts, "mixed_rounds": mix_parts, "short_special": over_parts,
             "drafted_cadres": drafted_parts, "last_year_room": {str(years[-1]): last_excess},
             "county_quiet": quiet_parts, "sync": sync_parts, "linked_sectors": linked_parts,
             "audit_sync": audit_parts}
    covered_by = [r for r in rows if r.county == committee.county or (r.kind == Kind.CROSS.value and r.target in given)]
    return CommitteeScore(committee, penalties, weights, _uncovered(owned, covered_by),
                          {rule: {k: v for k, v in p.items() if v} for rule, p in parts.items()
                           if penalties[rule] is not None})


def _uncovered(targets: dict[str, Target], rows: list[Any]) -> tuple[str, ...]:
    """Targets without exactly one regular (or cross) row, or without exactly one planned follow-up row."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        kind = Kind.REGULAR.value if row.kind == Kind.CROSS.value else row.kind
        seen[row.target, kind] += 1
    return tuple(
        tid for tid, t in targets.items()
        if seen[tid, Kind.REGULAR.value] != 1 or (t.follow_up and seen[tid, Kind.FOLLOW_UP.value] != 1)
    )


def _linkage_parts(scenario: Scenario, committee: Committee, mine: list[Any], targets: dict[str, Target],
                   linkage: Linkage | None) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The three whole-city rules: visits too close (the city), rounds out of step and sectors not
    linked (a county against the city's rounds; the city: sectors it named none of)."""
    if committee.county == "":
        quiet = {f"{county}/{a.round.label}/{b.round.label}": 1
                 for county, pairs in (linkage.close.items() if linkage else ()) for a, b in pairs}
        if linkage is None or not linkage.in_step:
            return quiet, {}, {}
        # A sector can be linked when every county has units of it (elevated towns are the city's).
        counties: dict[str, set[str]] = {c: set() for c in scenario.counties}
        for t in scenario.targets:
            if t.county in counties and t.level.value == "county" and not t.elevated and t.category != "village":
                counties[t.county].add(t.sector)
        county_sectors = set.intersection(*counties.values()) - {""} if counties else set()
        shared = {t.sector for t in targets.values() if t.sector} & county_sectors
        regular = defaultdict(set)
        for row in mine:
            if row.kind == Kind.REGULAR.value and row.target in targets:
                regular[row.round].add(targets[row.target].sector)
        named = {s for n, sectors in linkage.sectors.items() for s in sectors if s in regular[n]}
        return quiet, {}, {s: 1 for s in shared - named}
    if linkage is None or not linkage.city_rounds:
        return {}, {}, {}
    sync = {r.label: 1 for r, city in [*linkage.in_step.items(), *linkage.special_in_step.items()]
            if r.county == committee.county and city is None}
    own = {t.sector for t in targets.values() if t.sector and t.county == committee.county}
    linked = {f"{n}/{s}": int(committee.county not in linkage.links.get((n, s), ()))
              for n, sectors in linkage.sectors.items() for s in sectors if s in own}
    return {}, sync, linked


def score_plan(scenario: Scenario, plan: PlanDir, committees: Iterable[Committee] | None = None) -> PlanScore:
    """The soft-rule score of each committee of ``plan`` (default: those its plan.json names)."""
    chosen = plan_committees(plan) if committees is None else list(committees)
    rows = list(plan.assignments.itertuples(name="Row"))
    linkage = linkage_of(plan.assignments, scenario) if CITY in chosen else None
    if linkage is not None and not is_whole(chosen, scenario):
        linkage = replace(linkage, in_step={}, special_in_step={})  # the city alone: only its visits count
    return PlanScore(tuple(score_committee(scenario, c, rows, linkage) for c in chosen))


def score_table(score: PlanScore, recorded: float | None = None, labels: dict[str, str] = RULE_LABELS) -> Table:
    """The score by rule, as the office reads it: value, weight, weighted cost; then the total.

    ``recorded`` is the objective plan.json gives (None when there is none);
    when the table scores differently, the plan was edited after it was drafted.
    """
    rows = []
    for rule, label in labels.items():
        values = [s.penalties.get(rule) for s in score.committees]
        weighed = [v for v in values if v is not None]
        weights = sorted({s.weights[rule] for s in score.committees})
        if not weighed:
            rows.append((label, "—", "0", "未计入 (权重为0)"))
            continue
        weight = "、".join(map(str, weights))
        rows.append((label, str(sum(weighed)), weight, f"{score.weighted.get(rule, 0):,}"))
    if score.uncovered:
        rows.append(("未覆盖的单位", str(len(score.uncovered)), f"{UNCOVERED_WEIGHT:,}",
                     f"{UNCOVERED_WEIGHT * len(score.uncovered):,}"))
    rows.append(("合计 (目标值)", "", "", f"{score.objective:,}"))
    if recorded is not None and round(recorded) != score.objective:
        rows.append(("plan.json 记录的目标值", "", "", f"{recorded:,.0f} (方案编制后已改动)"))
    return Table("软性规则得分 (与 plan.json 同单位: 数值 × 权重)", ("规则", "数值", "权重", "计入目标"), tuple(rows))
