"""The application layer: what each command does, without its options or its display.

``xuncha plan`` is :func:`run_plan` (or its two halves, :func:`draft` and :func:`write`, so a
display can stop showing the solve before the files are written): a :class:`PlanRequest` in, a
:class:`PlanRun` out, which holds everything the command prints: the solutions, their status,
objective and bound added up, the coupling pass of a whole-city plan, the committees Ctrl-C left
unplanned, the units left out, and what the independent checker found.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from planner.check import Violation, check_plan, plan_counts
from planner.describe import Table
from planner.explain import expected_violations
from planner.export import quality_text, rule_labels, write_plan
from planner.gantt import gantt_file_name, write_gantt
from planner.io import check_output_dir, check_output_files
from planner.parallel import CommitteeProgress, share_of
from planner.plan import PLAN_MARKERS, PlanDir, read_plan
from planner.replan import StabilityReport, drafted_scenario, write_changes
from planner.loading import COUNTY_SCENARIO, bundled_scenario_path, load_scenario
from planner.scenario import Scenario
from planner.scope import LEVELS, WHOLE_LEVEL, OptionError, Scope, check_something_to_plan, one_of, scope_of
from planner.score import score_plan, score_table
from planner.solution import Solution
from planner.solve import SolveSettings
from planner.status import SolveStatus, StopReason
from planner.view import write_view
from planner.vocabulary import Level
from planner.whatif import COMPARE_FILE
from planner.whole import (Coupling, city_seconds, county_seconds, coupling_lines, draft_committees,
                           failing_county)
from planner.workbook import PlanTable, read_plan_table

Report = Callable[[CommitteeProgress], None]


@dataclass(frozen=True)
class PlanRequest:
    """What to plan and how: ``baseline`` (read from ``baseline_dir``) is a plan to start from and
    stay close to (``free``: the soft rules first); ``chart``: write the chart and plan.html too."""

    scenario: Scenario
    scope: Scope
    settings: SolveSettings
    out: Path
    jobs: int = 2
    allow_uncovered: bool = False
    overrides: tuple[str, ...] = ()
    baseline: PlanDir | None = None
    baseline_dir: Path | None = None
    free: bool = False
    chart: bool = True

    @property
    def title(self) -> str:
        """How the time limit is shared when several committees are planned."""
        limit, n = self.settings.time_limit, len(self.scope.committees)
        if self.scope.whole:
            return (f"先编制市委方案 (约 {city_seconds(self.settings):.0f} 秒), 再按市委轮次同时编制各县区方案 "
                    f"(每个约 {county_seconds(self.settings, self.jobs, n - 1):.0f} 秒); "
                    "县区跟不上市委日程时, 市委据各县区进驻时间重排日程, 各县区再编制一次")
        return f"各县区分别求解, 每个约 {share_of(limit, self.jobs, n):.0f} 秒"


@dataclass(frozen=True)
class PlanRun:
    """A plan run: drafted (the solutions), then, when every committee has a plan, written and checked."""

    request: PlanRequest
    solutions: tuple[Solution, ...]
    stopped: bool  # Ctrl-C stopped the run
    coupling: Coupling | None = None  # the whole city's coupling pass
    started: float = 0.0
    seconds: float = 0.0  # from the start of the solve to the end of the check
    written: bool = False
    changes: tuple[StabilityReport, ...] = ()  # from the baseline
    gaps: tuple[Violation, ...] = ()  # the checker's findings of the units left out, as allowed
    violations: tuple[Violation, ...] = ()  # the checker's other findings: a fault of the planner

    @property
    def failed(self) -> tuple[Solution, ...]:
        return tuple(s for s in self.solutions if not s.has_plan)

    @property
    def out_of_step(self) -> tuple[Solution, ...]:
        """Counties of a whole-city plan without a plan in step with the city's calendar (sync soft, they have one)."""
        needed = (self.coupling.needed or {}) if self.coupling else {}
        return tuple(s for s in self.failed if s.county in needed)

    def out_of_step_reasons(self) -> list[str]:
        return [failing_county(self.request.scenario, s.county, self.solutions[0], self.coupling)
                for s in self.out_of_step]

    def coupling_lines(self) -> list[str]:
        return [] if self.coupling is None else coupling_lines(self.request.scenario, self.coupling,
                                                                list(self.solutions))

    @property
    def missing(self) -> tuple[str, ...]:
        """The committees Ctrl-C stopped before their solve began."""
        planned = {s.committee for s in self.solutions}
        return tuple(self.request.scenario.policy(c).committee for c in self.request.scope.committees
                     if c not in planned)

    @property
    def left_out(self) -> tuple[str, ...]:
        return tuple(t for s in self.solutions for t in s.uncovered)

    def left_out_names(self) -> list[str]:
        names = {t.id: t.name for t in self.request.scenario.targets}
        return [f"{names[t]} ({t})" for t in self.left_out]

    @property
    def objective(self) -> float:
        return sum(s.objective for s in self.solutions)

    @property
    def bound(self) -> float:
        return sum(s.best_bound for s in self.solutions)

    @property
    def interrupted(self) -> bool:
        return self.stopped or any(s.stopped_by == StopReason.INTERRUPTED for s in self.solutions)

    @property
    def status(self) -> SolveStatus:
        optimal = all(s.status == SolveStatus.OPTIMAL for s in self.solutions)
        return SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE

    @property
    def rounds(self) -> int:
        return sum(len(s.rounds) for s in self.solutions)

    @property
    def quality(self) -> str:
        """The status in words: proven best, or how far from the best possible it may be."""
        stopped_by = StopReason.INTERRUPTED if self.interrupted else StopReason.PROOF
        return quality_text(self.status, self.objective, self.bound, stopped_by, self.request.scope.whole)


def plan_scope(scenario: Scenario, level: str, county: str, out: Path, with_baseline: bool = False) -> Scope:
    """What ``xuncha plan`` is asked to plan; before any work, an OptionError for a committee with
    nothing to plan or a baseline for the whole city, an OutputError for an unusable ``out``."""
    scope = scope_of(scenario, level, county)
    if scope.single is not None:  # in a whole-city plan a county without units of its own still takes part
        check_something_to_plan(scenario, scope.single)
    check_output_dir(out, PLAN_MARKERS, keep=[scenario.source])
    if with_baseline and scope.whole:
        raise OptionError("--baseline 目前只用于市委或县区委的方案, 不能与 --level all 同用")
    return scope


def check_whatif_outputs(out: Path, baseline: Path | None, scenario: Scenario) -> None:
    """An OutputError before any work when compare.md or the plan folders under ``out`` cannot be written."""
    check_output_files(out, [COMPARE_FILE])
    for folder in ("variant",) + (() if baseline else ("baseline",)):
        check_output_dir(out / folder, PLAN_MARKERS, keep=[scenario.source])


def draft(request: PlanRequest, report: Report | None = None) -> PlanRun:
    """Solve the request's committees: one by itself, several side by side, or the whole city."""
    started = time.monotonic()
    start = None if request.baseline is None else request.baseline.assignments
    found, stopped, coupling = draft_committees(
        request.scenario, request.scope, request.settings, jobs=request.jobs, on_report=report,
        allow_uncovered=request.allow_uncovered, start=start, stay_close=True, free=request.free)
    return PlanRun(request, tuple(found), stopped, coupling if request.scope.whole else None, started=started)


def write(run: PlanRun) -> PlanRun:
    """Write the plan folder (with the chart, plan.html and the changes from the baseline), then
    check the plan as written. Only for a run in which every committee drafted has a plan."""
    request, scenario = run.request, run.request.scenario
    scope = request.scope
    changes: list[StabilityReport] = []

    def with_plan(folder: Path) -> None:
        """The chart and the changes from the baseline, staged with the plan files."""
        if request.chart:
            # The whole city's chart once every committee is planned; else the first committee's.
            level = WHOLE_LEVEL if scope.whole and not run.missing else scope.first.level.value
            write_gantt(folder, scenario, folder / gantt_file_name(), level=level,
                        county=scope.single.county if scope.single is not None else "")
            write_view(folder, scenario, compare=request.baseline)
        if request.baseline is not None:
            changes.append(write_changes(folder, request.baseline, scenario, [s.committee for s in run.solutions],
                                         drafted_scenario(request.baseline_dir), list(request.overrides),
                                         request.free))

    settings = {"time_limit": request.settings.time_limit, "deterministic": request.settings.deterministic,
                "overrides": list(request.overrides), "allow_uncovered": request.allow_uncovered}
    write_plan(request.out, list(run.solutions), scenario, settings, also=with_plan)
    found = check_plan(scenario, read_plan(request.out), list(scope.committees))
    gaps, violations = expected_violations(found, list(run.left_out))
    return replace(run, written=True, changes=tuple(changes), gaps=tuple(gaps), violations=tuple(violations),
                   seconds=time.monotonic() - run.started)


def run_plan(request: PlanRequest, report: Report | None = None) -> PlanRun:
    """Draft the plan; when every committee has one, write and check it."""
    run = draft(request, report)
    if run.failed or not run.solutions:
        return run
    return write(run)


@dataclass(frozen=True)
class CheckRun:
    """``xuncha check``: the plan checked (the office's edit of its workbook, if any), its violations and score."""

    table: PlanTable
    violations: list[Violation]
    score: Table
    counts: str = ""


def drafted_objective(meta: dict) -> float | None:
    """The objective plan.json records, without what staying close to a baseline cost (not a soft rule)."""
    objective = meta.get("objective")
    return None if objective is None else objective - meta.get("stability_cost", 0)


def check_run(scenario: Scenario, plan_dir: Path) -> CheckRun:
    """Check the plan in ``plan_dir`` against every hard rule and score it; raises PlanReadError."""
    table = read_plan_table(plan_dir, scenario)
    plan = table.plan
    violations = check_plan(scenario, plan)
    score = score_table(score_plan(scenario, plan), drafted_objective(plan.meta), rule_labels(scenario))
    return CheckRun(table, violations, score, plan_counts(plan))


def draw_gantt(plan_dir: Path, scenario: Scenario, out: Path | None, *, by: str, year: int | None, level: str,
               county: str, lang: str, suffix: str) -> Path:
    """Draw the chart of the plan in ``plan_dir`` into ``out`` (default: the plan folder); its path.
    The level defaults to the plan's: the whole city's for a whole-city plan, a county's own for a
    county scenario, else the city's. Raises ValueError for a level the plan has not."""
    whole_plan = read_plan(plan_dir).meta.get("level") == WHOLE_LEVEL
    own = scenario.home.county if scenario.own_county else ""  # a county's own plan: its chart by default
    level = level or (Level.COUNTY.value if county or own else WHOLE_LEVEL if whole_plan else Level.CITY.value)
    if level not in LEVELS or (county and level != Level.COUNTY.value):
        raise ValueError(f"--level {level}: 应为 city (市委)、county (县区委, 可加 --county) 或 all (全市, 不加 --county)")
    part = level if whole_plan and level != WHOLE_LEVEL and not county else ""
    path = (out or plan_dir) / gantt_file_name(by=by, year=year, county=county, lang=lang, suffix=suffix, level=part)
    write_gantt(plan_dir, scenario, path, by=by, year=year, level=level, county=county or own, lang=lang)
    return path


def template_source(path: Path | None, level: str) -> Scenario:
    """The scenario a template starts from: the one named, else the bundled one of ``level``
    (the county's for ``county``); an OptionError when the scenario's own level is not ``level``."""
    if level:
        one_of(level, (Level.CITY.value, Level.COUNTY.value), "--level")
    if path is None and level == Level.COUNTY.value:
        path = bundled_scenario_path(COUNTY_SCENARIO)
    source = load_scenario(path)
    if level and level != source.names.level.value:
        raise OptionError(f"--level {level}: 场景 {source.source} 的本级为 {source.names.level.value} "
                          f"(names.level); 请另选场景, 或不加 --scenario")
    return source
