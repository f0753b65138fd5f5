"""Write a solved plan to a plan directory: assignments.csv, plan.json, summary.md."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from constraints.stability import STABILITY_TERMS
from planner import __version__
from planner.calendar import WeekGrid
from planner.io import atomic_directory
from planner.linkage import is_whole
from planner.plan import (
    ASSIGNMENT_COLUMNS,
    ASSIGNMENTS_FILE,
    EXTRA_COLUMNS,
    PLAN_FILE,
    PLAN_MARKERS,
    SCENARIO_FILE,
    SUMMARY_FILE,
    assignments_to_csv_bytes,
)
from planner.printouts.rounds import team_revisits
from planner.printouts.whole_city import (
    OUT_OF_STEP_COLUMNS,
    SECTOR_COLUMNS,
    SYNC_COLUMNS,
    SYNC_INTRO,
    VISIT_COLUMNS,
    whole_city_view,
)
from planner.scenario import Scenario
from planner.solution import Solution
from planner.status import SolveStatus, StopReason
from planner.vocabulary import CATEGORY_LABELS, CITY, KIND_LABELS, WHOLE_LEVEL, Committee, Kind
from planner.workbook import WORKBOOK_FILE, workbook_bytes, workbook_digest

RULE_LABELS = {
    "risk_first": "风险高的先巡 (风险×轮次位置: 每年轮次上限×第几年+年内第几轮)",
    "mixed_rounds": "各轮合理搭配 (缺少的单位类别数)",
    "even_team_load": "各组任务均衡 (最多与最少工作量之差)",
    "even_year_load": "年度任务均衡 (最多与最少年度工作量之差)",
    "short_special": "专项巡察短小精悍 (超出的进驻周数)",
    "last_year_room": "末年留出回头看和机动巡察空间 (超出的工作量)",
    "drafted_cadres": "少抽调干部 (抽调组员人·周, 不含抽调组长)",
    "county_quiet": "对县区不重复打扰 (市委进驻同一县区相隔过近的次数)",
    "sync": "县区轮次与市委同步 (未同步开展的轮次数)",
    "linked_sectors": "上下联动系统 (未联动的系统数)",
    "audit_sync": "巡审联动 (未在审计当年巡察的单位数)",
}
# The city-county rules: a county committee planning on its own has no city to link with.
CITY_COUNTY_RULES = ("county_quiet", "sync", "linked_sectors")


def rule_labels(scenario: Scenario) -> dict[str, str]:
    """The soft rules a plan of ``scenario`` weighs, with their labels."""
    return {r: label for r, label in RULE_LABELS.items() if not (scenario.own_county and r in CITY_COUNTY_RULES)}


STATUS_LABELS = {
    SolveStatus.OPTIMAL: "已证明最优",
    SolveStatus.FEASIBLE: "可行 (未证明最优)",
    SolveStatus.INFEASIBLE: "无可行方案",
    SolveStatus.UNKNOWN: "在时限内未找到方案",
    SolveStatus.MODEL_INVALID: "模型错误",
}
INTERRUPTED = "已保存当前最好方案 (未证明最优)"
OBJECTIVE_NOTE = "各软性规则代价之和, 越小越好"
CADRE_WEEK_NOTE = ("1 人·周 = 1 名抽调人员在一轮中工作 1 周; 每组每轮从进驻前准备、进驻到撰写报告"
                   "的每一周都计入 (与该组实际在岗的时间一致)")


def gap_bound(objective: float | None, bound: float | None) -> float | None:
    """How far the plan may be from the best possible one, as a share of its objective.

    None while there is no bound: every penalty is non-negative, so a bound
    of 0 or less says nothing yet (CP-SAT reports a real one only once its
    LP workers have started).
    """
    if objective is None or bound is None or bound <= 0 or objective <= 0:
        return None
    return max(0.0, (objective - bound) / objective)


def status_label(status: SolveStatus | None) -> str:
    """The status in the office's words; nothing for a plan that records none."""
    return "" if status is None else STATUS_LABELS[status]


def quality_text(status: SolveStatus, objective: float | None, bound: float | None, stopped_by: str = "",
                 whole: bool = False) -> str:
    """What a solve result is, in the office's words: proven best, or how far from the best at most
    (``whole``: a whole-city plan, whose county bounds hold for the city's calendar only)."""
    note = WHOLE_BOUND_NOTE if whole and bound is not None else ""
    if status == SolveStatus.OPTIMAL:
        return STATUS_LABELS[SolveStatus.OPTIMAL] + note
    if status != SolveStatus.FEASIBLE:
        return STATUS_LABELS[status]
    head = INTERRUPTED if stopped_by == StopReason.INTERRUPTED else "已找到可行方案"
    return f"{head}; {distance_text(objective, bound)}{note}"


WHOLE_BOUND_NOTE = " (各县区的差距以市委方案已定的日历为前提, 不是全市整体的最优)"


def distance_text(objective: float | None, bound: float | None) -> str:
    """How far from the best possible plan, or that this is not known yet."""
    gap = gap_bound(objective, bound)
    return "尚无下界, 与理论最优的差距未知" if gap is None else f"与理论最优相差不超过 {gap:.1%}"


def cadre_weeks(frame: pd.DataFrame) -> tuple[int, int]:
    """Drafted cadre-weeks of a plan table: (drafted members, drafted leaders).

    Each (round, team) counts its drafted people times its busy weeks
    (preparation + on site + report). The first figure is what the soft rule
    少抽调干部 weighs; a drafted leader comes from the leader pool and is counted apart.
    """
    teams = frame.drop_duplicates(["county", "round", "team"])
    if teams.empty:
        return 0, 0
    weeks = teams.apply(lambda r: ((r["busy_end"] - r["busy_start"]).days + 3) // 7, axis=1)
    return int((teams["drafted"] * weeks).sum()), int(((teams["leader"] == "drafted") * weeks).sum())


def solution_frame(solution: Solution, scenario: Scenario) -> pd.DataFrame:
    """One row per (round, team, target); rounds numbered 1..N in start order."""
    grid = WeekGrid.of(scenario)
    targets = {t.id: t for t in scenario.targets}
    teams = {t.id: t for t in scenario.teams}
    rows = []
    for number, plan_round in enumerate(sorted(solution.rounds, key=lambda r: r.start_week), 1):
        start = plan_round.start_week
        round_end = grid.friday(start + plan_round.onsite_weeks - 1)
        for tr in plan_round.teams:
            team = teams[tr.team]
            base = {
                "round": number,
                "kind": plan_round.kind.value,
                "level": solution.level.value,
                "county": solution.county,
                "team": team.id,
                "onsite_start": grid.monday(start),
                "onsite_end": grid.friday(start + tr.onsite_weeks - 1),
                "busy_start": grid.monday(start - plan_round.prep_weeks),
                "busy_end": grid.friday(start + tr.onsite_weeks + plan_round.report_weeks - 1),
                "team_size": team.filled + int(tr.leader_drafted) + tr.drafted,
                "drafted": tr.drafted,
                "leader": "drafted" if tr.leader_drafted else "permanent",
                "sector": "",
                "round_start": grid.monday(start),
                "round_end": round_end,
                "team_name": team.name,
                "linked_sectors": "、".join(plan_round.sectors),
            }
            if plan_round.kind == Kind.SPECIAL:
                rows.append(base | {"target": "", "target_name": plan_round.theme, "category": "", "target_county": ""})
            for target_id in tr.targets:
                t = targets[target_id]
                target_county = t.county if t.level.value == "county" or t.category == "county" else ""
                rows.append(base | {"target": t.id, "target_name": t.name, "category": t.category,
                                    "target_county": target_county, "sector": t.sector})
    columns = list(ASSIGNMENT_COLUMNS) + list(EXTRA_COLUMNS)
    return pd.DataFrame(rows, columns=columns)


def committee_meta(solution: Solution, scenario: Scenario) -> dict[str, Any]:
    """One committee's run in plan.json: status, quality, soft-rule penalties."""
    weights = scenario.policy(solution.committee).weights.model_dump()
    # Every soft rule by name: None when its weight is 0 (not weighed), 0 when it had nothing to bind.
    penalties = {rule: solution.penalties.get(rule, 0) if weights[rule] > 0 else None for rule in RULE_LABELS}
    weighted = {rule: weights[rule] * value for rule, value in penalties.items() if value is not None}
    return {
        "status": solution.status,
        "proven_optimal": solution.status == SolveStatus.OPTIMAL,
        "stopped_by": solution.stopped_by,
        "objective": solution.objective,
        "best_bound": solution.best_bound,
        "gap": solution.gap,
        "solve_seconds": round(solution.solve_seconds, 2),
        "rounds": len(solution.rounds),
        "penalties": penalties,
        "weights": weights,
        "weighted_penalties": weighted,
        "penalty_parts": solution.penalty_parts,
        "uncovered": list(solution.uncovered),
        # Part of the objective when re-drafted from a baseline (constraints.stability), not a soft rule.
        "stability_cost": sum(solution.weights.get(r, 0) * solution.penalties.get(r, 0) for r in STABILITY_TERMS),
        # Proven: every plan leaves at least this many units out (0: none, or not proven).
        "uncovered_bound": solution.uncovered_bound,
    }


def _worst(statuses: list[SolveStatus]) -> SolveStatus:
    order = (SolveStatus.MODEL_INVALID, SolveStatus.INFEASIBLE, SolveStatus.UNKNOWN, SolveStatus.FEASIBLE)
    return next((s for s in order if s in statuses), SolveStatus.OPTIMAL)


def plan_meta(solutions: Solution | Sequence[Solution], scenario: Scenario, settings: dict[str, Any]) -> dict[str, Any]:
    """Everything plan.json records: the committees, status, quality, reproducibility, penalties.

    ``by_committee`` holds each committee's run; the top-level figures are
    that committee's for a one-committee plan, and sums (objective, bound,
    weighted penalties) or the worst status over the committees otherwise.
    """
    runs = [solutions] if isinstance(solutions, Solution) else list(solutions)
    blocks = {s.committee.key: committee_meta(s, scenario) for s in runs}
    if len(runs) == 1:
        top = dict(blocks[runs[0].committee.key])
    else:
        objective = sum(s.objective for s in runs) if all(s.objective is not None for s in runs) else None
        bound = sum(s.best_bound for s in runs) if all(s.best_bound is not None for s in runs) else None
        weighted: dict[str, int] = defaultdict(int)
        for block in blocks.values():
            for rule, value in block["weighted_penalties"].items():
                weighted[rule] += value
        status = _worst([s.status for s in runs])
        top = {
            "status": status,
            "proven_optimal": status == SolveStatus.OPTIMAL,
            "stopped_by": next((s.stopped_by for s in runs if s.stopped_by != StopReason.PROOF), StopReason.PROOF),
            "objective": objective,
            "best_bound": bound,
            "gap": None if objective is None or bound is None else abs(objective - bound) / max(abs(objective), 1e-9),
            "solve_seconds": round(max(s.solve_seconds for s in runs), 2),
            "rounds": sum(len(s.rounds) for s in runs),
            "weighted_penalties": dict(weighted),
            "stability_cost": sum(block["stability_cost"] for block in blocks.values()),
            "uncovered": [t for s in runs for t in s.uncovered],
            "uncovered_bound": sum(s.uncovered_bound for s in runs),
        }
    levels = {s.level for s in runs}
    return {
        "committees": [s.committee.key for s in runs],
        "level": levels.pop().value if len(levels) == 1 else WHOLE_LEVEL,
        "county": runs[0].county if len(runs) == 1 else "",
        **top,
        "seed": runs[0].seed,
        "workers": runs[0].workers,
        **settings,
        "scenario": scenario.policy(runs[0].committee).committee if len(runs) == 1 else scenario.names.committee,
        "scenario_source": scenario.source,
        "scenario_sha256": scenario.sha256,
        "xuncha_version": __version__,
        "ortools_version": metadata.version("ortools"),
        "by_committee": blocks,
    }


def summary_markdown(frame: pd.DataFrame, meta: dict[str, Any], scenario: Scenario) -> str:
    """The Chinese summary: status, then per committee its rounds per year, rounds, team loads,
    soft-rule costs and coverage."""
    committees = [Committee.of_key(k) for k in meta.get("committees", [CITY.key])]
    title = scenario.policy(committees[0]).committee if len(committees) == 1 else "、".join(
        scenario.policy(c).committee for c in committees)
    lines = [f"# {title}巡察工作规划方案摘要", ""]
    lines += _run_lines(meta)
    members, leaders = cadre_weeks(frame)
    lines += [f"- 抽调干部合计 {members + leaders} 人·周: 抽调组员 {members} 人·周, 抽调组长 {leaders} 人·周。"
              f"{CADRE_WEEK_NOTE}。",
              f"- 随机种子 {meta['seed']}, 线程 {meta['workers']}, 场景指纹 {meta['scenario_sha256'][:12]}"]
    if not scenario.own_county and is_whole(committees, scenario):
        lines += _whole_city_lines(frame, scenario)
    for committee in committees:
        block = meta.get("by_committee", {}).get(committee.key, meta)
        rows = frame[frame["county"] == committee.county]
        heading = "##" if len(committees) == 1 else "###"
        if len(committees) > 1:
            lines += ["", f"## {scenario.policy(committee).committee}", ""] + _run_lines(block)
        lines += _committee_lines(rows, block, scenario, committee, heading)
    return "\n".join(lines) + "\n"


SOFT_RULE_COLUMNS = ("规则", "数值", "权重", "计入目标")


def soft_rule_rows(meta: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """One committee's soft rules as plan.json records them: name, value, weight, cost in the objective.

    ``labels`` are the rules the scenario weighs (:func:`rule_labels`); a known rule outside them is left out.
    """
    rows = []
    for rule, value in meta.get("penalties", {}).items():
        if rule in RULE_LABELS and rule not in labels:
            continue
        weight = meta.get("weights", {}).get(rule, 0)
        cost = "未计入 (权重为0)" if value is None else str(value * weight)
        rows.append((labels.get(rule, rule), "—" if value is None else str(value), str(weight), cost))
    return rows


def _markdown_table(columns: Sequence[str], rows: Sequence[Sequence[str | None]]) -> list[str]:
    return [f"| {' | '.join(columns)} |", f"|{' --- |' * len(columns)}",
            *(f"| {' | '.join(cell or '' for cell in row)} |" for row in rows)]


def _whole_city_lines(frame: pd.DataFrame, scenario: Scenario) -> list[str]:
    """市县联动: linked sectors, county rounds in step, visits into each county, the cross cycle."""
    view = whole_city_view(frame, scenario, iso=True)
    lines = ["", "## 市县联动", "", view.overview, "", "### 联动系统", "",
             *_markdown_table(SECTOR_COLUMNS, view.sector_rows),
             "", "### 县区轮次同步", "", view.sync_text]
    if view.out_of_step_rows:
        lines += ["", *_markdown_table(OUT_OF_STEP_COLUMNS, view.out_of_step_rows)]
    lines += ["", SYNC_INTRO, "", *_markdown_table(SYNC_COLUMNS, view.sync_rows)]
    if view.special_text:
        lines += ["", view.special_text]
    lines += ["", "### 县区外来进驻", "", view.visit_text, "", *_markdown_table(VISIT_COLUMNS, view.visit_rows),
              "", "### 交叉巡察", ""]
    return lines + ([f"- {line}" for line in view.cross_lines] or ["本届未安排县区之间交叉巡察。"])


def _run_lines(meta: dict[str, Any]) -> list[str]:
    objective = "—" if meta.get("objective") is None else f"{meta['objective']:.0f} ({OBJECTIVE_NOTE})"
    return [
        f"- 求解状态: {quality_text(meta['status'], meta.get('objective'), meta.get('best_bound'), meta.get('stopped_by', ''), meta.get('level') == 'all')}",
        f"- 目标值: {objective}, 用时 {meta['solve_seconds']} 秒",
    ]


def _committee_lines(frame: pd.DataFrame, meta: dict[str, Any], scenario: Scenario, committee: Committee,
                     h: str) -> list[str]:
    lines = [
        "",
        f"{h} 各年度轮次",
        "",
        "| 年度 | 常规巡察 | 专项巡察 | 回头看 | 巡察单位数 |",
        "| --- | --- | --- | --- | --- |",
    ]
    firsts = frame.groupby("round").agg(kind=("kind", "first"), start=("onsite_start", "min"))
    firsts["year"] = [d.year for d in firsts["start"]]
    units = frame[frame["kind"] == "regular"].groupby("round")["target"].nunique()
    for year in scenario.horizon.years:
        in_year = firsts[firsts["year"] == year]
        kinds = Counter(in_year["kind"])
        n_units = int(units.reindex(in_year.index).fillna(0).sum())
        lines.append(f"| {year} | {kinds['regular']} | {kinds['special']} | {kinds['follow_up']} | {n_units} |")
    lines += ["", f"{h} 各轮安排", "", "| 轮次 | 类型 | 进驻时间 | 巡察组数 | 单位数 |", "| --- | --- | --- | --- | --- |"]
    for number, rows in frame.groupby("round"):
        kind = Kind(rows["kind"].iloc[0])
        dates = f"{rows['onsite_start'].min()} 至 {rows['onsite_end'].max()}"
        n_targets = rows["target"].replace("", pd.NA).dropna().nunique()
        lines.append(f"| 第{number}轮 | {KIND_LABELS[kind]} | {dates} | {rows['team'].nunique()} | {n_targets} |")
    lines += ["", f"{h} 各巡察组任务", "",
              "| 巡察组 | 常规巡察单位数 | 参加轮次 | 抽调组员 (人·周) | 抽调组长 (人·周) |",
              "| --- | --- | --- | --- | --- |"]
    load: dict[str, set] = defaultdict(set)
    for row in frame.itertuples():
        if row.kind == "regular":
            load[row.team].add(row.target)
    team_rounds = frame.drop_duplicates(["round", "team"])
    for team in scenario.teams_of(committee):
        mine = team_rounds[team_rounds["team"] == team.id]
        members, leaders = cadre_weeks(mine)
        lines.append(f"| {team.name} | {len(load[team.id])} | {len(mine)} | {members} | {leaders} |")
    revisits = team_revisits(frame, scenario, committee)
    if revisits:
        weeks = scenario.policy(committee).rounds.revisit_weeks
        lines += ["", f"{h} 回访督查", "", f"首年之后每年每组留出{weeks}周, 对上一年巡察的单位逐个回访督查 (每个单位一两天); "
                  "下表为方案中各组最早的空档。", "", "| 年度 | 巡察组 | 回访督查时间 |", "| --- | --- | --- |"]
        lines += [f"| {year} | {team} | {first} 至 {last} |" for team, year, first, last in revisits]
    lines += ["", f"{h} 软性规则代价", "", f"目标值 = 各规则的数值 × 权重之和 ({OBJECTIVE_NOTE})。", "",
              *_markdown_table(SOFT_RULE_COLUMNS, soft_rule_rows(meta, rule_labels(scenario)))]
    covered = Counter(frame.loc[frame["kind"] == "regular"].drop_duplicates("target")["category"])
    lines += ["", f"{h} 覆盖情况", "", "| 类别 | 已安排 | 应巡察 |", "| --- | --- | --- |"]
    expected = Counter(t.category for t in scenario.targets_of(committee))
    for category, n in expected.items():
        lines.append(f"| {CATEGORY_LABELS[category]} | {covered[category]} | {n} |")
    return lines


def write_plan_files(folder: Path, frame: pd.DataFrame, meta: dict[str, Any], scenario: Scenario) -> None:
    """Write the plan files into ``folder`` (a staging folder: see planner.io): the table as
    assignments.csv and as the workbook the office edits (planner.workbook); scenario.json keeps
    the inputs as drafted, so a later re-plan can say which of them changed."""
    book = workbook_bytes(frame, scenario)
    meta = meta | {"workbook_sha256": workbook_digest(book)}  # to tell the office's edit from the plan as written
    (folder / ASSIGNMENTS_FILE).write_bytes(assignments_to_csv_bytes(frame))
    (folder / WORKBOOK_FILE).write_bytes(book)
    (folder / PLAN_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / SUMMARY_FILE).write_text(summary_markdown(frame, meta, scenario), encoding="utf-8")
    (folder / SCENARIO_FILE).write_text(scenario.model_dump_json(), encoding="utf-8")


def write_plan(out: Path, solutions: Solution | Sequence[Solution], scenario: Scenario,
               settings: dict[str, Any], also: Callable[[Path], Any] | None = None) -> pd.DataFrame:
    """Write the plan directory ``out`` atomically (one or several committees); return the assignments table.

    ``also`` writes more files (the chart) into the staging folder, which
    then holds the plan files: they arrive together with the plan or not at all.
    """
    runs = [solutions] if isinstance(solutions, Solution) else list(solutions)
    frame = pd.concat([solution_frame(s, scenario) for s in runs], ignore_index=True)
    meta = plan_meta(runs, scenario, settings)
    with atomic_directory(out, markers=PLAN_MARKERS) as staging:
        write_plan_files(staging, frame, meta, scenario)
        if also is not None:
            also(staging)
    return frame
