"""The checker's functions, one or more per hard rule, on the exported table.

The CP-SAT model and these functions read the rules of ``docs/domain.md`` section 3.1
separately, and these use plain Python on ``assignments.csv`` only, so a slip in
either one shows up as a disagreement. Each function is named in the office's words
and listed under its rule in :data:`planner.rules.RULES` (``Rule.check``), which
:func:`planner.check.check_plan` runs; it yields findings that name the rounds, teams
and targets involved, in Simplified Chinese.

Rounds are keyed by the committee that runs them (``county``, empty for the
city) and their number. Week spans follow :mod:`planner.calendar`: ``L`` weeks
on site run from a Monday to the Friday ``L`` weeks later, i.e.
``(end - start).days + 3 == 7 * L``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, NamedTuple

from planner.calendar import blackout_days
from planner.decisions import decision_text
from planner.linkage import is_whole, linkage_of
from planner.plan import ASSIGNMENT_COLUMNS, PlanDir
from planner.scenario import Scenario
from planner.scenario_settings import KindPolicy, Policy
from planner.tables import DecisionKind
from planner.vocabulary import CITY, KIND_LABELS, Committee, Kind, Level

KINDS = tuple(k.value for k in Kind)
LEADERS = ("permanent", "drafted")
INSPECTION_KINDS = (Kind.REGULAR, Kind.CROSS)  # the rows that count toward coverage
# Keyed by the table's strings; cross follows the regular round policy and team sizes.
POLICY_KIND = {k.value: Kind.REGULAR if k == Kind.CROSS else k for k in Kind}


class Finding(NamedTuple):
    """What a rule function yields; :func:`planner.check.check_plan` adds the rule's id and label."""

    text: str
    rounds: tuple[int, ...] = ()
    teams: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


@dataclass
class TableRound:
    """One round of one committee as the table shows it, with its rows grouped by team."""

    county: str
    number: int
    rows: list[Any]
    teams: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.rows[0].kind

    @property
    def start(self) -> dt.date:
        return min(r.onsite_start for r in self.rows)

    @property
    def end(self) -> dt.date:
        return max(r.onsite_end for r in self.rows)

    @property
    def label(self) -> str:
        return f"{self.county}第{self.number}轮"

    @property
    def window(self) -> str:
        return f"进驻 {self.start} 至 {self.end}"


class CheckedPlan:
    """The plan's rows with the scenario, grouped the way the rules read them.

    Rounds are keyed by the committee that runs them (``county``, empty for
    the city) and their number; each rule reads the settings of the round's
    own committee.
    """

    def __init__(self, scenario: Scenario, plan: PlanDir, committees: Iterable[Committee]):
        self.scenario = scenario
        self.checked = list(committees)
        self.all_rows = list(plan.assignments[list(ASSIGNMENT_COLUMNS)].itertuples(name="Row"))
        # Rows of other committees are flagged once (rows_well_formed); no other rule reads them.
        self.rows = [r for r in self.all_rows if r.county in {c.county for c in self.checked}]
        self.targets = {t.id: t for t in scenario.targets}
        self.level_targets = {t.id: t for c in self.checked for t in scenario.targets_of(c)}
        self.owner = {t.id: c.county for c in scenario.committees for t in scenario.targets_of(c)}
        self.teams = {t.id: t for t in scenario.teams}
        self._policies = {c.county: scenario.policy(c) for c in scenario.committees}
        by_key: dict[tuple[str, int], TableRound] = {}
        for row in self.rows:
            rnd = by_key.setdefault((row.county, row.round), TableRound(row.county, row.round, []))
            rnd.rows.append(row)
            rnd.teams.setdefault(row.team, []).append(row)
        self.rounds = [by_key[k] for k in sorted(by_key)]
        self.committees: dict[str, list[TableRound]] = {c.county: [] for c in self.checked}
        for rnd in self.rounds:
            self.committees.setdefault(rnd.county, []).append(rnd)
        self.whole = not scenario.own_county and is_whole(self.checked, scenario)
        frame = plan.assignments
        self.linkage = linkage_of(frame[frame["county"].isin([c.county for c in self.checked])], scenario)

    def policy(self, county: str) -> Policy:
        """The settings of the committee of ``county`` (the scenario's own for an unknown county)."""
        return self._policies.get(county) or self._policies[self.scenario.home.county]

    def team_label(self, team_id: str) -> str:
        team = self.teams.get(team_id)
        return f"{team.name} ({team_id})" if team else team_id

    def who(self, rnd: TableRound, team_id: str) -> str:
        return f"{rnd.label} {self.team_label(team_id)}"

    def target_label(self, target_id: str) -> str:
        target = self.targets.get(target_id)
        return f"{target.name} ({target_id})" if target else target_id

    def round_policy(self, county: str, kind: str) -> KindPolicy | None:
        """The round policy ``kind`` follows in that committee; None for an unknown kind."""
        return self.policy(county).rounds.policy(POLICY_KIND[kind]) if kind in KINDS else None

    def riding(self, rows: list[Any]) -> set[str]:
        """Villages among one team's rows in a round whose town is in those rows too (巡镇带村)."""
        ids = {r.target for r in rows}
        return {t for t in ids if t in self.targets and self.targets[t].category == "village"
                and self.targets[t].town in ids}

    def team_rounds(self) -> Iterator[tuple[TableRound, str, Any]]:
        """(round, team, first row) per team in each round; the rows share dates and staff."""
        for rnd in self.rounds:
            for team_id, rows in rnd.teams.items():
                yield rnd, team_id, rows[0]


def _listed(labels: Iterable[str]) -> str:
    """" (第3轮、第5轮)", or nothing for no rounds."""
    text = "、".join(labels)
    return f" ({text})" if text else ""


def _row_round(row: Any) -> str:
    return f"{row.county}第{row.round}轮"


def _row_rounds(rows: Iterable[Any]) -> str:
    return _listed(_row_round(r) for r in rows)


# --- 表格: the rows themselves --------------------------------------------------


def rows_well_formed(plan: CheckedPlan) -> Iterator[Finding]:
    """表格取值: every row has a known kind, the plan's level, the committee's county
    (empty for the city), a known team, and a leader that is permanent or drafted."""
    counties = set(plan.scenario.counties)
    checked = {c.county for c in plan.checked}
    for row in plan.all_rows:
        level = Level.COUNTY.value if row.county else Level.CITY.value
        problems = (
            (row.kind not in KINDS, f"未知的巡察类型 '{row.kind}'"),
            (row.county and row.county not in counties, f"未知的县区 '{row.county}'"),
            (row.level != level, f"层级应为 '{level}' ({'县区委' if row.county else '市委'}轮次), 实为 '{row.level}'"),
            (row.county not in checked,
             f"{row.county or '市委'}的轮次不属于本方案 (本方案为: {'、'.join(c or '市委' for c in sorted(checked))})"),
            (row.team not in plan.teams, f"未知的巡察组 '{row.team}'"),
            (row.leader not in LEADERS, f"组长应为 permanent 或 drafted, 实为 '{row.leader}'"),
        )
        where = f"第{row.Index + 2}行 ({_row_round(row)} {row.team})"
        for text in (text for broken, text in problems if broken):
            yield Finding(f"{where}: {text}", (row.round,), (row.team,))


# --- 全覆盖 -----------------------------------------------------------------------


def targets_inspected_once(plan: CheckedPlan) -> Iterator[Finding]:
    """全覆盖: every target of the plan's committees is inspected in exactly one regular (or
    cross) row, and every row names a known target of the round's own committee: a county
    team stays in its county outside cross rounds, where it inspects another county."""
    inspections = defaultdict(list)
    for row in plan.rows:
        if row.kind == Kind.SPECIAL:
            continue
        objects = ((row.round,), (row.team,), (row.target,))
        if not row.target:
            yield Finding(f"{_row_round(row)} {plan.team_label(row.team)} 有一行未填写巡察对象", *objects)
        elif row.target not in plan.targets:
            yield Finding(f"{_row_round(row)}安排了未知的巡察对象 '{row.target}'", *objects)
        elif row.kind != Kind.CROSS and plan.owner.get(row.target) != row.county:
            owner = plan.owner.get(row.target) or "市委"
            yield Finding(f"{_row_round(row)} {plan.team_label(row.team)} 巡察了{owner}的巡察对象 "
                          f"{plan.target_label(row.target)}", *objects)
        elif row.target not in plan.level_targets:
            yield Finding(f"{plan.target_label(row.target)} 不属于本方案的巡察对象, 却安排在{_row_round(row)}", *objects)
        elif row.kind == Kind.CROSS and (not row.county or plan.owner.get(row.target) in ("", row.county)):
            yield Finding(f"{_row_round(row)}交叉巡察的对象 {plan.target_label(row.target)} 应属于另一县区", *objects)
        elif row.kind in INSPECTION_KINDS:
            inspections[row.target].append(row)
    for target_id in plan.level_targets:
        rows = inspections[target_id]
        if len(rows) != 1:
            text = "未被安排" if not rows else f"被安排了{len(rows)}次{_row_rounds(rows)}"
            objects = (tuple(r.round for r in rows), tuple(r.team for r in rows), (target_id,))
            yield Finding(f"{plan.target_label(target_id)} {text}", *objects)


def follow_ups_as_planned(plan: CheckedPlan) -> Iterator[Finding]:
    """回头看: a target marked follow_up gets exactly one follow-up row, whose on-site work
    starts at least ``min_gap_weeks`` weeks after its regular on-site work ended (the
    rectification period); other targets get none."""
    regular = {r.target: r for r in plan.rows if r.kind in INSPECTION_KINDS}
    follow_ups = defaultdict(list)
    for row in plan.rows:
        if row.kind == Kind.FOLLOW_UP:
            follow_ups[row.target].append(row)
    for target_id, target in plan.level_targets.items():
        rows = follow_ups[target_id]
        objects = (tuple(r.round for r in rows), tuple(r.team for r in rows), (target_id,))
        name = plan.target_label(target_id)
        if target.follow_up and len(rows) != 1:
            yield Finding(f"{name} 应安排1次回头看, 实为{len(rows)}次{_row_rounds(rows)}", *objects)
        if not target.follow_up and rows:
            yield Finding(f"{name} 未列入回头看名单, 却安排了回头看{_row_rounds(rows)}", *objects)
        done = regular.get(target_id)
        for row in rows:
            gap = dt.timedelta(weeks=plan.policy(row.county).rounds.follow_up.min_gap_weeks)
            if done is not None and row.onsite_start < done.onsite_end + gap:
                yield Finding(
                    f"{name} {_row_round(row)}回头看 {row.onsite_start} 进驻, 距{_row_round(done)}"
                    f"常规巡察进驻结束 ({done.onsite_end}) 不足{gap.days // 7}周",
                    (done.round, row.round),
                    (row.team,),
                    (target_id,),
                )


def themes_run_once(plan: CheckedPlan) -> Iterator[Finding]:
    """专项巡察: each theme of ``rounds.special.themes`` runs in exactly one special round
    (in its year, if one is set); a special round has one theme, carried in
    target_name, and names no target."""
    for county, rounds in plan.committees.items():
        themes = {t.name: t for t in plan.policy(county).rounds.special.themes}
        runs = defaultdict(list)
        for rnd in rounds:
            if rnd.kind != Kind.SPECIAL:
                continue
            names = sorted({r.target_name for r in rnd.rows})
            targets = tuple(r.target for r in rnd.rows if r.target)
            if targets:
                yield Finding(f"{rnd.label}专项巡察不应填写巡察对象{_listed(targets)}", (rnd.number,), targets=targets)
            if len(names) > 1:
                yield Finding(f"{rnd.label}专项巡察有多个主题: {'、'.join(names)}", (rnd.number,))
            for name in names:
                if name not in themes:
                    yield Finding(f"{rnd.label}的专项主题「{name}」不在场景的专项主题中", (rnd.number,))
                runs[name].append(rnd)
        for theme in themes.values():
            done = runs[theme.name]
            numbers = tuple(r.number for r in done)
            name = f"专项主题「{theme.name}」"
            if len(done) != 1:
                yield Finding(f"{name}应开展1轮, 实为{len(done)}轮{_listed(r.label for r in done)}", numbers)
            for rnd in done:
                if theme.year is not None and rnd.start.year != theme.year:
                    yield Finding(f"{name}应在{theme.year}年开展, {rnd.label}却在{rnd.start.year}年", numbers)


# --- 一个组同一时间只参加一轮 -------------------------------------------------------


def team_rows_share_dates(plan: CheckedPlan) -> Iterator[Finding]:
    """同轮同组同日期: the rows of one team in one round share their dates."""
    for rnd in plan.rounds:
        for team_id, rows in rnd.teams.items():
            if len({(r.busy_start, r.onsite_start, r.onsite_end, r.busy_end) for r in rows}) > 1:
                yield Finding(f"{plan.who(rnd, team_id)} 的各行日期不一致", (rnd.number,), (team_id,))


def busy_span_holds_onsite(plan: CheckedPlan) -> Iterator[Finding]:
    """准备、进驻、报告依次进行: busy_start ≤ onsite_start ≤ onsite_end ≤ busy_end."""
    for rnd, team_id, row in plan.team_rounds():
        if not row.busy_start <= row.onsite_start <= row.onsite_end <= row.busy_end:
            yield Finding(
                f"{plan.who(rnd, team_id)} 日期次序有误: 工作期 {row.busy_start} 至 {row.busy_end}, "
                f"进驻 {row.onsite_start} 至 {row.onsite_end}",
                (rnd.number,),
                (team_id,),
            )


def one_round_at_a_time(plan: CheckedPlan) -> Iterator[Finding]:
    """一个组同一时间只参加一轮: a team's busy spans (preparation + on-site + report) in
    different rounds never overlap."""
    spans = defaultdict(list)
    for rnd, team_id, row in plan.team_rounds():
        spans[team_id].append((row.busy_start, row.busy_end, rnd))
    for team_id, items in spans.items():
        for (a_start, a_end, a), (b_start, b_end, b) in combinations(sorted(items, key=lambda s: s[:2]), 2):
            if b_start <= a_end and a_start <= b_end:
                yield Finding(
                    f"{plan.team_label(team_id)} 同时参加{a.label} ({a_start} 至 {a_end}) "
                    f"和{b.label} ({b_start} 至 {b_end})",
                    (a.number, b.number),
                    (team_id,),
                )


# --- 常规与专项不交叉 ---------------------------------------------------------------


def regular_and_special_apart(plan: CheckedPlan) -> Iterator[Finding]:
    """常规巡察与专项巡察不同时进驻: at the same level (or in one county) no special round's
    on-site window overlaps a regular (or cross) round's, so a special round never starts
    before the previous regular round's on-site phase has ended. A round's window runs
    from its earliest on-site start to its latest on-site end."""
    for rounds in plan.committees.values():
        regular = [r for r in rounds if r.kind in INSPECTION_KINDS]
        for special in (r for r in rounds if r.kind == Kind.SPECIAL):
            for rnd in regular:
                if rnd.start <= special.end and special.start <= rnd.end:
                    yield Finding(
                        f"{special.label}专项巡察 ({special.window}) 与{rnd.label}常规巡察 ({rnd.window}) 同时进驻",
                        (rnd.number, special.number),
                    )


# --- 轮次编号 ---------------------------------------------------------------------


def rounds_numbered_in_order(plan: CheckedPlan) -> Iterator[Finding]:
    """轮次编号: at the level (or in each county) rounds are numbered 1..N in the order their
    on-site work starts, and each number is one round of one kind."""
    for county, rounds in plan.committees.items():
        numbers = [r.number for r in rounds]
        if numbers != list(range(1, len(numbers) + 1)):
            listed = "、".join(map(str, numbers))
            yield Finding(f"{county}轮次应从1起连续编号, 实为 {listed}", tuple(numbers))
        for a, b in zip(rounds, rounds[1:]):
            if b.start < a.start:
                text = f"{b.label} ({b.start} 进驻) 早于{a.label} ({a.start} 进驻), 编号未按开始时间排序"
                yield Finding(text, (a.number, b.number))
        for rnd in rounds:
            kinds = sorted({r.kind for r in rnd.rows})
            if len(kinds) > 1:
                yield Finding(f"{rnd.label}混有多种巡察类型: {'、'.join(kinds)}", (rnd.number,))


# --- 人员配备 ---------------------------------------------------------------------


def teams_properly_staffed(plan: CheckedPlan) -> Iterator[Finding]:
    """人员配备: a team goes out with a leader, permanent only if its leader post is filled
    (else drafted from the leader pool); team_size = filled posts + drafted leader +
    drafted cadres, within the working size of the round's kind; the team belongs to
    the round's level. Vacant posts are not people."""
    for rnd, team_id, row in plan.team_rounds():
        team = plan.teams.get(team_id)
        if team is None:
            continue
        policy = plan.policy(rnd.county)
        who = plan.who(rnd, team_id)
        objects = ((rnd.number,), (team_id,))
        if team.county != rnd.county:
            owner = f"{team.county}委" if team.county else "市委"
            yield Finding(f"{who} 是{owner}的巡察组, 不能参加{rnd.county or '市委'}的轮次", *objects)
        if len({(r.team_size, r.drafted, r.leader) for r in rnd.teams[team_id]}) > 1:
            yield Finding(f"{who} 的各行人数或组长不一致", *objects)
        if row.leader == "permanent" and not team.has_leader:
            yield Finding(f"{who} 组长岗位空缺, 不能由专职组长带队, 应从组长库抽调", *objects)
        drafted_leader = int(row.leader == "drafted")
        expected = team.filled + drafted_leader + row.drafted
        if row.team_size != expected:
            yield Finding(
                f"{who} 人数应为 在编{team.filled} + 抽调组长{drafted_leader} + 抽调{row.drafted} = {expected}, "
                f"表中为 {row.team_size}",
                *objects,
            )
        if row.kind in KINDS:
            kind = POLICY_KIND[row.kind].value
            low, high = getattr(policy.min_team_size, kind), getattr(policy.max_team_size, kind)
            if not low <= row.team_size <= high:
                yield Finding(f"{who} {row.team_size}人, 不在{low}至{high}人之间", *objects)


def drafting_within_pools(plan: CheckedPlan) -> Iterator[Finding]:
    """抽调不超过人才库: in one round the drafted leaders stay within the leader pool
    (组长库) and the drafted cadres within the drafted pool of the level. In a regular round
    the cadres lent to the other level (上派下挂) come out of that pool too: the city lends
    ``linkage.exchange_up`` to each county, a county ``linkage.exchange_down`` to the city."""
    for rnd in plan.rounds:
        pool = plan.policy(rnd.county).staff
        lent = _lent(plan, rnd)
        firsts = {team_id: rows[0] for team_id, rows in rnd.teams.items()}
        leaders = tuple(t for t, r in firsts.items() if r.leader == "drafted")
        if len(leaders) > pool.leader_pool:
            text = f"{rnd.label}抽调组长{len(leaders)}人{_listed(leaders)}, 超过组长库{pool.leader_pool}人"
            yield Finding(text, (rnd.number,), leaders)
        drafted = sum(r.drafted for r in firsts.values())
        if drafted + lent > pool.drafted_pool:
            exchange = f"、上派下挂{lent}人" if lent else ""
            text = f"{rnd.label}抽调干部{drafted}人{exchange}, 超过每轮可抽调{pool.drafted_pool}人"
            yield Finding(text, (rnd.number,), tuple(firsts))


def _lent(plan: CheckedPlan, rnd: TableRound) -> int:
    """Drafted cadres a round lends to the other level (上派下挂): only regular rounds, only
    where the scenario has both levels."""
    linkage, scenario = plan.scenario.linkage, plan.scenario
    if rnd.kind != Kind.REGULAR.value or scenario.own_county:
        return 0
    return linkage.exchange_down if rnd.county else linkage.exchange_up * len(scenario.counties)


# --- 工作量 -----------------------------------------------------------------------


def team_load_within_capacity(plan: CheckedPlan) -> Iterator[Finding]:
    """工作量: in a regular (or cross) or follow-up round a team covers 1 to
    ``max_units_per_team`` targets whose summed effort is at most ``max_effort_per_team``;
    a unit of a ``whole_team_categories`` category (a county, a town with its villages) is
    the team's only unit in that round. Villages riding with their town in the same team
    and round are the town's work, not units of their own."""
    for rnd in plan.rounds:
        if rnd.kind not in (*INSPECTION_KINDS, Kind.FOLLOW_UP):
            continue
        rules = plan.policy(rnd.county).rounds
        for team_id, rows in rnd.teams.items():
            riding = plan.riding(rows) if rnd.kind in INSPECTION_KINDS else set()
            ids = tuple(r.target for r in rows if r.target and r.target not in riding)
            effort = sum(plan.targets[t].effort for t in ids if t in plan.targets)
            who, objects = plan.who(rnd, team_id), ((rnd.number,), (team_id,), ids)
            if not 1 <= len(ids) <= rules.max_units_per_team:
                yield Finding(f"{who} 巡察{len(ids)}个单位, 应为1至{rules.max_units_per_team}个", *objects)
            if effort > rules.max_effort_per_team:
                yield Finding(f"{who} 工作量{effort}, 超过上限{rules.max_effort_per_team}", *objects)
            whole = [t for t in ids if t in plan.targets and plan.targets[t].category in rules.whole_team_categories]
            if whole and len(ids) > 1:
                yield Finding(f"{who} 巡察{plan.target_label(whole[0])}须整组进行, 却同时巡察{len(ids) - 1}个其他单位",
                              *objects)


def villages_with_their_town(plan: CheckedPlan) -> Iterator[Finding]:
    """巡镇带村: a village is inspected with its town, by the team and in the round that
    inspects the town; only a key village (risk at or above the committee's ``key_risk``,
    直接巡) may be inspected alone. The city takes every village of a town it elevates."""
    town_rows = {r.target: r for r in plan.rows if r.kind in INSPECTION_KINDS}
    for row in plan.rows:
        village = plan.targets.get(row.target)
        if row.kind not in INSPECTION_KINDS or village is None or village.category != "village":
            continue
        town = town_rows.get(village.town)
        alone_allowed = row.county and village.risk >= plan.policy(row.county).villages.key_risk
        if alone_allowed or town is None:
            continue
        if (town.county, town.round, town.team) != (row.county, row.round, row.team):
            yield Finding(
                f"{plan.target_label(row.target)} 应随所属镇办 {plan.target_label(village.town)} 巡察 "
                f"({_row_round(town)} {plan.team_label(town.team)}), 却安排在{_row_round(row)} {plan.team_label(row.team)}",
                (row.round, town.round),
                (row.team, town.team),
                (row.target, village.town),
            )


# --- 禁止进驻时段 -------------------------------------------------------------------


def no_onsite_in_blackout(plan: CheckedPlan) -> Iterator[Finding]:
    """禁止进驻时段: no on-site day falls in the Spring Festival, the National Day week or
    a period the scenario adds."""
    blocked = blackout_days(plan.scenario)
    for rnd, team_id, row in plan.team_rounds():
        days = (row.onsite_start + dt.timedelta(days=i) for i in range((row.onsite_end - row.onsite_start).days + 1))
        hit = Counter(blocked[d] for d in days if d in blocked)
        if hit:
            periods = "、".join(f"{name}{n}天" for name, n in hit.items())
            yield Finding(
                f"{plan.who(rnd, team_id)} 进驻 {row.onsite_start} 至 {row.onsite_end}, 含{periods}",
                (rnd.number,),
                (team_id,),
            )


def revisit_windows(scenario: Scenario, committee: Committee,
                    busy_spans: Iterable[tuple[str, dt.date, dt.date]]) -> dict[tuple[str, int], tuple[dt.date, dt.date] | None]:
    """(team, year) -> the first W free whole weeks of each of ``committee``'s teams for 回访督查
    (Monday to Sunday, the first Monday in that year, inside the term, no blackout day, no day
    of the team's ``busy_spans`` (team, first day, last day) and no weekday it is away), or None
    when it has none; years after the first only, and only those with some run of W open weeks."""
    weeks = scenario.policy(committee).rounds.revisit_weeks
    if not weeks:
        return {}
    blocked = blackout_days(scenario)
    horizon = scenario.horizon
    busy: dict[str, set[dt.date]] = defaultdict(set)
    for team_id, first, last in busy_spans:
        busy[team_id].update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
    for d in scenario.fixed:
        if d.kind == DecisionKind.UNAVAILABLE:  # away: its weekdays take the weeks they fall in
            busy[d.team].update(day for day in (d.start + dt.timedelta(days=i) for i in range((d.end - d.start).days + 1))
                                if day.weekday() < 5)
    first_monday = horizon.start + dt.timedelta(days=-horizon.start.weekday() % 7)
    found: dict[tuple[str, int], tuple[dt.date, dt.date] | None] = {}
    for year in horizon.years[1:]:
        runs = []
        monday = max(first_monday, dt.date(year, 1, 1) + dt.timedelta(days=-dt.date(year, 1, 1).weekday() % 7))
        while monday.year == year and monday + dt.timedelta(days=7 * weeks - 1) <= horizon.end:
            days = {monday + dt.timedelta(days=i) for i in range(7 * weeks)}
            if not days & blocked.keys():
                runs.append((monday, days))
            monday += dt.timedelta(days=7)
        if not runs:
            continue
        for team in scenario.teams_of(committee):
            free = next((monday for monday, days in runs if not days & busy[team.id]), None)
            found[team.id, year] = None if free is None else (free, free + dt.timedelta(days=7 * weeks - 1))
    return found


def revisit_windows_kept(plan: CheckedPlan) -> Iterator[Finding]:
    """回访督查: in every year after the first, each team of a committee with
    ``rounds.revisit_weeks`` = W > 0 has W free whole weeks (see :func:`revisit_windows`)."""
    spans = [(team_id, row.busy_start, row.busy_end) for _rnd, team_id, row in plan.team_rounds()]
    for committee in plan.checked:
        weeks = plan.policy(committee.county).rounds.revisit_weeks
        for (team_id, year), window in revisit_windows(plan.scenario, committee, spans).items():
            if window is None:
                yield Finding(f"{plan.team_label(team_id)} {year}年没有连续{weeks}周的空档用于回访督查 "
                              f"(上一年巡察单位的整改情况)", teams=(team_id,))


# --- 回避 -------------------------------------------------------------------------


def avoid_lists_honoured(plan: CheckedPlan) -> Iterator[Finding]:
    """回避: a team never inspects a target that lists it in avoid_teams."""
    for row in plan.rows:
        target = plan.targets.get(row.target)
        if target is not None and row.team in target.avoid_teams:
            yield Finding(
                f"{plan.team_label(row.team)} 应回避 {plan.target_label(row.target)}, 却在{_row_round(row)}巡察该单位",
                (row.round,),
                (row.team,),
                (row.target,),
            )


def no_team_returns(plan: CheckedPlan) -> Iterator[Finding]:
    """回避: no team inspects the same target twice (a 回头看 goes to another team)."""
    visits = defaultdict(list)
    for row in plan.rows:
        if row.target:
            visits[(row.target, row.team)].append(row)
    for (target_id, team_id), rows in visits.items():
        if len(rows) > 1:
            yield Finding(
                f"{plan.team_label(team_id)} 两次巡察 {plan.target_label(target_id)}{_row_rounds(rows)}",
                tuple(r.round for r in rows),
                (team_id,),
                (target_id,),
            )


def cross_inspection_away_from_home(plan: CheckedPlan) -> Iterator[Finding]:
    """交叉巡察回避: in a cross round no county team inspects its own county, and no two
    counties inspect each other (the assignments form a cycle, not swaps). A cross round is
    organised across the counties: its rows start on the same day, each numbered in the
    round list of the inspecting county."""
    by_start = defaultdict(list)
    for row in plan.rows:
        if row.kind == Kind.CROSS:
            by_start[row.onsite_start].append(row)
    for start, rows in sorted(by_start.items()):
        pairs = defaultdict(set)
        numbers = tuple(sorted({r.round for r in rows}))
        for row in rows:
            team, target = plan.teams.get(row.team), plan.targets.get(row.target)
            if team is None or target is None or not team.county:
                continue
            pairs[(team.county, target.county)].add(row.team)
            if team.county == target.county:
                yield Finding(
                    f"{_row_round(row)}交叉巡察中 {plan.team_label(row.team)} 巡察本县区的 {plan.target_label(row.target)}",
                    (row.round,),
                    (row.team,),
                    (row.target,),
                )
        for a, b in sorted(pairs):
            if a < b and (b, a) in pairs:
                teams = tuple(sorted(pairs[(a, b)] | pairs[(b, a)]))
                yield Finding(f"{start} 起的交叉巡察中{a}与{b}互相巡察, 应循环交叉", numbers, teams)


# --- 规划期 -----------------------------------------------------------------------


def within_horizon(plan: CheckedPlan) -> Iterator[Finding]:
    """规划期: every busy span lies inside the term (horizon)."""
    h = plan.scenario.horizon
    for rnd, team_id, row in plan.team_rounds():
        if row.busy_start < h.start or row.busy_end > h.end:
            yield Finding(
                f"{plan.who(rnd, team_id)} 工作期 {row.busy_start} 至 {row.busy_end} "
                f"超出规划期 {h.start} 至 {h.end}",
                (rnd.number,),
                (team_id,),
            )


# --- 轮次规则 ---------------------------------------------------------------------


def onsite_long_enough(plan: CheckedPlan) -> Iterator[Finding]:
    """进驻时长: each team stays on site at least the weeks its kind of round and each of
    its targets need (``onsite_weeks_for(category)``; a county or a town longer, and a town
    one more week for every ``villages_per_extra_week`` villages riding with it, up to
    ``max_town_weeks``)."""
    for rnd, team_id, row in plan.team_rounds():
        policy = plan.round_policy(rnd.county, rnd.kind)
        if policy is None:
            continue
        rows = rnd.teams[team_id]
        villages = Counter(plan.targets[t].town for t in plan.riding(rows)) if rnd.kind in INSPECTION_KINDS else {}
        rules = plan.policy(rnd.county).villages

        def need(target_id: str) -> int:
            target = plan.targets.get(target_id)
            base = policy.onsite_weeks_for(target.category if target else "")
            return rules.town_weeks(base, villages.get(target_id, 0))

        weeks = max(need(r.target) for r in rows)
        if (row.onsite_end - row.onsite_start).days + 3 < 7 * weeks:
            yield Finding(
                f"{plan.who(rnd, team_id)} 进驻 {row.onsite_start} 至 {row.onsite_end}, 不足{weeks}周",
                (rnd.number,),
                (team_id,),
            )


def special_rounds_sized(plan: CheckedPlan) -> Iterator[Finding]:
    """专项巡察短小精悍: a special round stays on site at most ``max_onsite_weeks`` weeks,
    sends at most its theme's ``max_teams`` teams, and stays long enough for its scope:
    n teams checking ``units_per_team_week`` units a week need ceil(scope_units / (n * rate))
    weeks."""
    for rnd in plan.rounds:
        if rnd.kind != Kind.SPECIAL:
            continue
        policy = plan.policy(rnd.county).rounds.special
        themes = {t.name: t for t in policy.themes}
        weeks_x7 = (rnd.end - rnd.start).days + 3
        if weeks_x7 > 7 * policy.max_onsite_weeks:
            yield Finding(f"{rnd.label}专项巡察{rnd.window}, 超过{policy.max_onsite_weeks}周", (rnd.number,))
        theme = themes.get(rnd.rows[0].target_name)
        if theme is None:
            continue
        teams = len(rnd.teams)
        if teams > theme.max_teams:
            text = f"{rnd.label}专项巡察派出{teams}个组, 超过上限{theme.max_teams}个"
            yield Finding(text, (rnd.number,), tuple(rnd.teams))
        need = -(-theme.scope_units // (teams * policy.units_per_team_week))
        if weeks_x7 < 7 * need:
            text = f"{rnd.label}专项巡察{teams}个组检查{theme.scope_units}个单位, 应进驻至少{need}周, 实为{rnd.window}"
            yield Finding(text, (rnd.number,), tuple(rnd.teams))


def rounds_per_year_within_policy(plan: CheckedPlan) -> Iterator[Finding]:
    """每年轮次: in each year (of a round's first on-site day) each kind of round stays
    within ``rounds_per_year_max``; regular rounds reach ``rounds_per_year_min`` in every
    year wholly inside the term, and inspect at least ``units_per_year_min`` units there
    (a village riding with its town in the same team's rows not counted)."""
    h = plan.scenario.horizon
    for county, rounds in plan.committees.items():
        for kind in (Kind.REGULAR, Kind.SPECIAL, Kind.FOLLOW_UP):
            policy = plan.policy(county).rounds.policy(kind)
            per_year = defaultdict(list)
            for rnd in rounds:
                if rnd.kind in KINDS and POLICY_KIND[rnd.kind] == kind:
                    per_year[rnd.start.year].append(rnd)
            for year in h.years:
                done = per_year[year]
                numbers, when = tuple(r.number for r in done), f"{county}{year}年{KIND_LABELS[kind]}"
                whole_year = h.start <= dt.date(year, 1, 1) and dt.date(year, 12, 31) <= h.end
                if len(done) > policy.rounds_per_year_max:
                    listed = _listed(r.label for r in done)
                    yield Finding(f"{when}{len(done)}轮{listed}, 超过上限{policy.rounds_per_year_max}轮", numbers)
                if kind == Kind.REGULAR and whole_year and len(done) < policy.rounds_per_year_min:
                    yield Finding(f"{when}仅{len(done)}轮, 少于下限{policy.rounds_per_year_min}轮", numbers)
                least = plan.policy(county).rounds.units_per_year_min
                if kind == Kind.REGULAR and whole_year and least:
                    units = {r.target for rnd in done if rnd.kind == Kind.REGULAR.value
                             for rows in rnd.teams.values() for r in rows if r.target not in plan.riding(rows)}
                    if len(units) < least:
                        yield Finding(f"{when}只巡察{len(units)}个单位, 少于每年至少{least}个 (随镇巡察的村不计)", numbers)


# --- 锁定事项 ---------------------------------------------------------------------


def _weekday_overlap(a_start: dt.date, a_end: dt.date, b_start: dt.date, b_end: dt.date) -> bool:
    """Whether two spans share a working day (Monday to Friday)."""
    lo, hi = max(a_start, b_start), min(a_end, b_end)
    return any((lo + dt.timedelta(days=n)).weekday() < 5 for n in range(max(0, (hi - lo).days + 1)))


def fixed_decisions_kept(plan: CheckedPlan) -> Iterator[Finding]:
    """锁定事项: every fixed decision about the plan's units and teams holds on the table: a
    unit's regular (or cross) row is in the year range, round, team or dates fixed; two units
    are in the same round, different rounds or with different teams as fixed; a team that is
    unavailable has no busy span sharing a working day with its period. A unit without its
    row is the coverage rule's finding, not this one's."""
    inspected = {r.target: r for r in plan.rows if r.kind in INSPECTION_KINDS}
    decisions = {n: d for c in plan.checked for n, d in plan.scenario.decisions_of(c)}
    for n in sorted(decisions):
        d = decisions[n]
        text = decision_text(d, plan.scenario)
        if d.kind == DecisionKind.UNAVAILABLE:
            for rnd, team_id, row in plan.team_rounds():
                if team_id == d.team and _weekday_overlap(row.busy_start, row.busy_end, d.start, d.end):
                    yield Finding(f"{text}, 却参加{rnd.label} (工作期 {row.busy_start} 至 {row.busy_end})",
                                  (rnd.number,), (team_id,))
            continue
        row = inspected.get(d.target)
        if row is None:
            continue
        where = f"方案中在{_row_round(row)} {plan.team_label(row.team)} (进驻 {row.onsite_start} 至 {row.onsite_end})"
        objects = ((row.round,), (row.team,), d.units)
        if d.kind in (DecisionKind.SAME_ROUND, DecisionKind.DIFFERENT_ROUND, DecisionKind.DIFFERENT_TEAM):
            other = inspected.get(d.other)
            if other is None:
                continue
            same_round = (row.county, row.round) == (other.county, other.round)
            broken = {DecisionKind.SAME_ROUND: not same_round, DecisionKind.DIFFERENT_ROUND: same_round,
                      DecisionKind.DIFFERENT_TEAM: row.team == other.team}[d.kind]
            if broken:
                yield Finding(f"{text}, 方案中分别在{_row_round(row)} {plan.team_label(row.team)} 和"
                              f"{_row_round(other)} {plan.team_label(other.team)}",
                              (row.round, other.round), (row.team, other.team), d.units)
            continue
        broken = {
            DecisionKind.YEAR: d.year is not None and not d.year[0] <= row.onsite_start.year <= d.year[1],
            DecisionKind.ROUND: row.round != d.round,
            DecisionKind.TEAM: row.team != d.team,
            DecisionKind.NOT_BEFORE: d.start is not None and row.onsite_start < d.start,
            DecisionKind.NOT_AFTER: d.end is not None and row.onsite_end > d.end,
        }[d.kind]
        if broken:
            yield Finding(f"{text}, {where}", *objects)


# --- 市县联动 (a whole-city plan; visits also in a city plan) ------------------------


def cross_rounds_form_one_cycle(plan: CheckedPlan) -> Iterator[Finding]:
    """交叉巡察: in a whole-city plan each cross round the scenario sets is held in its year, all
    counties together, and the county -> county map of its rows is one cycle over every county
    (A->B->...->A): each county inspects exactly one other and is inspected by exactly one."""
    if not plan.whole or not plan.scenario.cross_inspection.rounds:
        return
    counties = list(plan.scenario.counties)
    by_start = defaultdict(list)
    for row in plan.rows:
        if row.kind == Kind.CROSS:
            by_start[row.onsite_start].append(row)
    years = sorted(r.year for r in plan.scenario.cross_inspection.rounds)
    held = sorted(start.year for start in by_start)
    if held != years:
        yield Finding(f"交叉巡察应在{'、'.join(map(str, years))}年各开展1轮 (全部县区同时进驻), "
                      f"实为{'、'.join(map(str, held)) or '无'}")
    for start, rows in sorted(by_start.items()):
        numbers = tuple(sorted({r.round for r in rows}))
        inspects = defaultdict(set)
        for row in rows:
            inspects[row.county].add(row.target_county)
        wrong = [c for c in counties if len(inspects.get(c, ())) != 1]
        if wrong:
            yield Finding(f"{start} 起的交叉巡察中{'、'.join(wrong)}应各巡察另外一个县区", numbers)
            continue
        step = {c: next(iter(inspects[c])) for c in counties}
        seen, county = [], counties[0]
        while county not in seen:
            seen.append(county)
            county = step.get(county, county)
        if len(seen) != len(counties) or county != counties[0]:
            cycle = "→".join(seen + [county])
            yield Finding(f"{start} 起的交叉巡察应在全部{len(counties)}个县区间循环交叉, 实为 {cycle}", numbers)


def county_rounds_in_step(plan: CheckedPlan) -> Iterator[Finding]:
    """上下联动 (when ``linkage.sync_hard``): in a whole-city plan every county regular round starts
    within ``sync_weeks`` of a city regular round, and a county special round whose theme the
    city runs too starts within ``sync_weeks`` of the city's."""
    if not plan.whole or not plan.scenario.linkage.sync_hard:
        return
    weeks = plan.scenario.linkage.sync_weeks
    for rnd, city in [*plan.linkage.in_step.items(), *plan.linkage.special_in_step.items()]:
        if city is None:
            yield Finding(f"{rnd.label} ({rnd.start} 进驻) 前后{weeks}周内市委没有同类轮次进驻, 未同步开展", (rnd.number,))


def county_visits_apart(plan: CheckedPlan) -> Iterator[Finding]:
    """对县区不重复打扰 (when ``linkage.quiet_hard``): visits into a county by others (the city
    inspecting its county committee or an elevated town, a city special round visiting it, a
    cross round) fall in one round or at least ``quiet_months`` apart."""
    if CITY not in plan.checked or not plan.scenario.linkage.quiet_hard:
        return
    months = plan.scenario.linkage.quiet_months
    for county, pairs in plan.linkage.close.items():
        for a, b in pairs:
            yield Finding(f"{county}: {a.round.label}{a.what} ({a.round.start} 至 {a.round.end}) 与"
                          f"{b.round.label}{b.what} ({b.round.start} 进驻) 相隔不足{months}个月",
                          tuple(n for n in (a.round.number, b.round.number) if n))
