"""Which scenario a plan directory was drafted from, found again for check, charts and printouts.

``plan.json`` records the scenario folder as an absolute path, its digest and
the ``--set`` overrides of the run. A plan is checked against that scenario
with the same overrides; when the folder is gone, another folder is used only
if its files have the same digest. Checking a plan against a different
scenario by accident would pass a plan that breaks its own scenario's rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from planner.loading import InputProblem, ScenarioError, bundled_scenario_path, load_scenario
from planner.overrides import apply_overrides
from planner.plan import PLAN_FILE
from planner.scenario import Scenario


@dataclass(frozen=True)
class PlanScenario:
    scenario: Scenario
    changed: bool  # the scenario's files differ from those the plan was drafted from


def _meta(plan_dir: Path) -> dict:
    try:
        meta = json.loads((plan_dir / PLAN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def scenario_of_plan(plan_dir: str | Path, given: str | Path | None = None) -> PlanScenario:
    """The scenario to read ``plan_dir`` against, with the plan's recorded overrides applied.

    ``given`` (a folder the user named) wins; otherwise the folder plan.json
    records, or the bundled scenario when the plan names none. A recorded
    folder that no longer exists is replaced only by the bundled scenario,
    and only when its digest is the recorded one; otherwise ScenarioError
    says which folder to name.
    """
    meta = _meta(Path(plan_dir))
    for key, kind, words in (("scenario_sha256", str, "文字"), ("scenario_source", str, "文字"), ("overrides", list, "列表")):
        if key in meta and not isinstance(meta[key], kind):
            raise ScenarioError([InputProblem(PLAN_FILE, None, key, f"应为{words}")])
    digest, source = meta.get("scenario_sha256", ""), meta.get("scenario_source", "")
    if given is None and source and not Path(source).is_dir():
        bundled = load_scenario(bundled_scenario_path())
        if not digest or bundled.sha256 != digest:
            raise ScenarioError([InputProblem(
                PLAN_FILE, None, "scenario_source",
                f"编制该方案所用的场景目录 '{source}' 已不存在 (或不在当前目录下); "
                f"请指明场景目录, 如 xuncha check 场景目录 {plan_dir}")])
        given = bundled.source
    elif given is None and source:
        given = source
    scenario = load_scenario(given)
    overrides = meta.get("overrides") or []
    if overrides:
        scenario = apply_overrides(scenario, [str(o) for o in overrides])
    return PlanScenario(scenario, bool(digest) and digest != scenario.sha256)
