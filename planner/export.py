"""Write a solved plan to a plan directory: assignments.csv, plan.json, summary.md."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from planner import __version__
from planner.calendar import WeekGrid
from planner.io import atomic_directory
from planner.plan import ASSIGNMENT_COLUMNS, ASSIGNMENTS_FILE, PLAN_FILE, SUMMARY_FILE, assignments_to_csv_bytes
from planner.scenario import CATEGORY_LABELS, CITY, KIND_LABELS, Committee, Kind, Scenario
from planner.solution import Solution
from planner.solver import SolveStatus, StopReason

RULE_LABELS = {
    "risk_first": "风险高的先巡 (风险×轮次位置: 每年轮次上限×第几年+年内第几轮)",
    "mixed_rounds": "各轮合理搭配 (缺少的单位类别数)",
    "even_team_load": "各组任务均衡 (最多与最少工作量之差)",
    "even_year_load": "年度任务均衡 (最多与最少年度工作量之差)",
    "short_special": "专项巡察短小精悍 (超出的进驻周数)",
    "last_year_room": "末年留出回头看和机动巡察空间 (超出的工作量)",
    "drafted_cadres": "少抽调干部 (抽调人·周)",
}
STATUS_LABELS = {
    "OPTIMAL": "已证明最优",
    "FEASIBLE": "可行 (未证明最优)",
    "INFEASIBLE": "无可行方案",
    "UNKNOWN": "在时限内未找到方案",
    "MODEL_INVALID": "模型错误",
}


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
            }
            if plan_round.kind == Kind.SPECIAL:
                rows.append(base | {"target": "", "target_name": plan_round.theme, "category": "", "target_county": ""})
            for target_id in tr.targets:
                t = targets[target_id]
                target_county = t.county if t.level.value == "county" or t.category == "county" else ""
                rows.append(base | {"target": t.id, "target_name": t.name, "category": t.category,
                                    "target_county": target_county, "sector": t.sector})
    columns = list(ASSIGNMENT_COLUMNS) + ["sector", "round_start", "round_end", "team_name"]
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
        }
    levels = {s.level for s in runs}
    return {
        "committees": [s.committee.key for s in runs],
        "level": levels.pop().value if len(levels) == 1 else "all",
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
    lines.append(f"- 随机种子 {meta['seed']}, 线程 {meta['workers']}, 场景指纹 {meta['scenario_sha256'][:12]}")
    for committee in committees:
        block = meta.get("by_committee", {}).get(committee.key, meta)
        rows = frame[frame["county"] == committee.county]
        heading = "##" if len(committees) == 1 else "###"
        if len(committees) > 1:
            lines += ["", f"## {scenario.policy(committee).committee}", ""] + _run_lines(block)
        lines += _committee_lines(rows, block, scenario, committee, heading)
    return "\n".join(lines) + "\n"


def _run_lines(meta: dict[str, Any]) -> list[str]:
    gap = f"{meta['gap']:.2%}" if meta.get("gap") is not None else "—"
    objective = "—" if meta.get("objective") is None else f"{meta['objective']:.0f}"
    bound = "—" if meta.get("best_bound") is None else f"{meta['best_bound']:.0f}"
    return [
        f"- 求解状态: {STATUS_LABELS.get(meta['status'], meta['status'])}"
        + (" (已中断)" if meta.get("stopped_by") == StopReason.INTERRUPTED else ""),
        f"- 目标值: {objective}, 下界: {bound}, 差距: {gap}, 用时 {meta['solve_seconds']} 秒",
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
    lines += ["", f"{h} 各巡察组任务", "", "| 巡察组 | 常规巡察单位数 | 参加轮次 | 抽调人·轮 |", "| --- | --- | --- | --- |"]
    load: dict[str, set] = defaultdict(set)
    for row in frame.itertuples():
        if row.kind == "regular":
            load[row.team].add(row.target)
    team_rounds = frame.drop_duplicates(["round", "team"])
    for team in scenario.teams_of(committee):
        mine = team_rounds[team_rounds["team"] == team.id]
        lines.append(f"| {team.name} | {len(load[team.id])} | {len(mine)} | {int(mine['drafted'].sum())} |")
    lines += ["", f"{h} 软性规则代价", "", "| 规则 | 数值 | 权重 | 计入目标 |", "| --- | --- | --- | --- |"]
    for rule, value in meta["penalties"].items():
        weight = meta["weights"].get(rule, 0)
        cost = "未计入 (权重为0)" if value is None else str(value * weight)
        lines.append(f"| {RULE_LABELS.get(rule, rule)} | {'—' if value is None else value} | {weight} | {cost} |")
    covered = Counter(frame.loc[frame["kind"] == "regular"].drop_duplicates("target")["category"])
    lines += ["", f"{h} 覆盖情况", "", "| 类别 | 已安排 | 应巡察 |", "| --- | --- | --- |"]
    expected = Counter(t.category for t in scenario.targets_of(committee))
    for category, n in expected.items():
        lines.append(f"| {CATEGORY_LABELS[category]} | {covered[category]} | {n} |")
    return lines


def write_plan_files(folder: Path, frame: pd.DataFrame, meta: dict[str, Any], scenario: Scenario) -> None:
    """Write the three plan files into ``folder`` (a staging folder: see planner.io)."""
    (folder / ASSIGNMENTS_FILE).write_bytes(assignments_to_csv_bytes(frame))
    (folder / PLAN_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / SUMMARY_FILE).write_text(summary_markdown(frame, meta, scenario), encoding="utf-8")


def write_plan(out: Path, solutions: Solution | Sequence[Solution], scenario: Scenario,
               settings: dict[str, Any]) -> pd.DataFrame:
    """Write the plan directory ``out`` atomically (one or several committees); return the assignments table."""
    runs = [solutions] if isinstance(solutions, Solution) else list(solutions)
    frame = pd.concat([solution_frame(s, scenario) for s in runs], ignore_index=True)
    meta = plan_meta(runs, scenario, settings)
    with atomic_directory(out, markers=(ASSIGNMENTS_FILE, PLAN_FILE)) as staging:
        write_plan_files(staging, frame, meta, scenario)
    return frame
