"""``--set KEY=VALUE`` overrides: a what-if variant of a scenario, validated like a file.

KEY is a dotted path into scenario.yaml (``staff.city.drafted_pool``,
``weights.risk_first``, ``county_defaults.staff.drafted_pool``,
``counties_policy.洛南县.staff.drafted_pool``) or a table cell ``teams.<id>.<field>`` /
``targets.<id>.<field>``. A team id not in the table sets up a new city team
with three vacant posts (``teams.C6.leader_filled=1`` fills its leader post). VALUE is read as YAML (``8``, ``true``,
``[C1, C2]``, ``2029-01-01``). The changes go through
:meth:`Scenario.replace`, so a bad value gets the same checks and the same
Chinese message as in a file; every problem names the key.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from planner.loading import DatesAsTextLoader, InputProblem, ScenarioError, error_message
from planner.rules import unknown_rules
from planner.scenario import NOT_SETTINGS, Scenario, unused_settings
from planner.tables import Target, Team
from planner.vocabulary import CATEGORY_LABELS, CITY

SOURCE = "--set"
TABLES = ("teams", "targets")
COUNTY_OVERRIDES = "counties_policy"


def parse_assignment(text: str) -> tuple[str, Any]:
    """'a.b=8' -> ('a.b', 8); raise ScenarioError naming the text when malformed."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError([InputProblem(SOURCE, None, text, "应写作 键=值, 如 staff.city.drafted_pool=8")])
    try:
        value = yaml.load(raw.strip(), Loader=DatesAsTextLoader) if raw.strip() else ""
    except yaml.YAMLError:
        raise ScenarioError([InputProblem(SOURCE, None, key, f"无法识别的值 '{raw.strip()}'")]) from None
    return key, value


def _set(data: dict[str, Any], key: str) -> tuple[dict[str, Any], str] | str:
    """The mapping that holds ``key``'s last part, and that part; or why it is unknown."""
    parts = key.split(".")
    node: Any = data
    if parts[0] == COUNTY_OVERRIDES:
        return _county_override(data, parts)
    if parts[0] in TABLES:
        if len(parts) != 3:
            return f"表格单元应写作 {parts[0]}.<编号>.<字段>"
        items = {item["id"]: item for item in data[parts[0]]}
        if parts[1] not in items and parts[0] == "teams":
            items[parts[1]] = _new_team(data, parts[1])
            data["teams"] = [*data["teams"], items[parts[1]]]
        elif parts[1] not in items:
            return f"没有编号为 '{parts[1]}' 的巡察对象"
        node, parts = items[parts[1]], parts[2:]
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node or not isinstance(node[part], dict):
            return "未知的设置项, 请检查拼写"
        node = node[part]
    if parts[-1] not in node or parts[-1] in ("source", "sha256", "id"):
        return "未知的设置项, 请检查拼写"
    return node, parts[-1]


def _county_override(data: dict[str, Any], parts: list[str]) -> tuple[dict[str, Any], str] | str:
    """counties_policy.<县区>.<设置>: any key of county_defaults, for one county."""
    if len(parts) < 3:
        return f"应写作 {COUNTY_OVERRIDES}.<县区>.<设置项>, 如 {COUNTY_OVERRIDES}.洛南县.staff.drafted_pool"
    county, path = parts[1], parts[2:]
    if county not in data["counties"]:
        return f"未知的县区 '{county}'"
    node: Any = data["county_defaults"]
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return "未知的设置项, 请检查拼写"
        node = node[part]
    target = data[COUNTY_OVERRIDES].setdefault(county, {})
    for part in path[:-1]:
        target = target.setdefault(part, {})
    return target, path[-1]


def _new_team(data: dict[str, Any], team_id: str) -> dict[str, Any]:
    """A newly set up city team ("if a sixth team is set up"): three posts, none filled yet."""
    return {"id": team_id, "name": f"{data['names']['team_prefix']}新设巡察组 ({team_id})", "level": "city",
            "county": "", "leader_posts": 1, "leader_filled": 0, "deputy_posts": 1, "deputy_filled": 0,
            "liaison_posts": 1, "liaison_filled": 0}


def apply_overrides(scenario: Scenario, assignments: list[str]) -> Scenario:
    """A validated copy of ``scenario`` with every ``KEY=VALUE`` applied.

    Raises :class:`ScenarioError` listing each bad key or value, and each id of ``rounds.extra_rules``
    that names no optional rule (planner.rules), in the scenario's file or in ``assignments``.
    """
    if not assignments:
        return _known_rules(scenario, set())
    data = scenario.model_dump()
    changed: dict[str, Any] = {}
    problems: list[InputProblem] = []
    for text in assignments:
        try:
            key, value = parse_assignment(text)
        except ScenarioError as exc:
            problems += exc.problems
            continue
        found = _set(data, key)
        if isinstance(found, str):
            problems.append(InputProblem(SOURCE, None, key, found))
            continue
        node, last = found
        node[last] = value
        changed[key.split(".")[0]] = data[key.split(".")[0]]
    if problems:
        raise ScenarioError(problems)
    keys = [parse_assignment(a)[0] for a in assignments]
    try:
        changed_scenario = scenario.replace(**copy.deepcopy(changed))
    except ValidationError as exc:
        raise ScenarioError([InputProblem(SOURCE, None, _key_of(e["loc"], keys, data), error_message(e))
                             for e in exc.errors()]) from None
    return _known_rules(changed_scenario, set(keys))


def _known_rules(scenario: Scenario, keys: set[str]) -> Scenario:
    """``scenario``, unless a committee switches on a rule that does not exist."""
    problems = [replace(p, file=SOURCE) if p.field in keys else p for p in unknown_rules(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def _key_of(loc: tuple[str | int, ...], keys: list[str], data: dict[str, Any]) -> str:
    """The --set key an error location points at (the first key when a rule spans several)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in TABLES and len(parts) > 1 and parts[1].isdigit():
        parts[1] = data[parts[0]][int(parts[1])]["id"]
    dotted = ".".join(parts)
    matches = [k for k in keys if dotted.startswith(k) or k.startswith(dotted)]
    return matches[0] if matches else (keys[0] if len(keys) == 1 else dotted)


@dataclass(frozen=True)
class SettingKey:
    """One key ``--set`` accepts: its meaning (from the model's field descriptions) and its value now."""

    key: str
    meaning: str
    value: str


def yaml_text(value: Any) -> str:
    """A value as it is written after ``KEY=`` (and in scenario.yaml): 8, true, [甲, 乙], {county: 10}."""
    plain = _plain(value)
    return yaml.safe_dump(plain, default_flow_style=True, allow_unicode=True, sort_keys=False,
                          width=10**6).removesuffix("\n...\n").strip()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return {k: _plain(v) for k, v in value if not (k == "year" and v is None)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value.value if isinstance(value, Enum) else value


def setting_keys(scenario: Scenario) -> list[SettingKey]:
    """Every key of scenario.yaml, then the table cells (``teams.<编号>.<字段>``), in file order."""
    keys: list[SettingKey] = []
    unused = unused_settings(scenario)

    def walk(model: BaseModel, prefix: str, meaning: tuple[str, ...]) -> None:
        for name, info in type(model).model_fields.items():
            if (not prefix and name in NOT_SETTINGS) or f"{prefix}{name}" in unused:
                continue
            value, key = getattr(model, name), f"{prefix}{name}"
            said = (*meaning, info.description or name)
            if isinstance(value, BaseModel):
                # A top-level section's name is the key's first word; its sections' names say more.
                walk(value, f"{key}.", said if prefix or key == "county_defaults" else meaning)
                continue
            if key == COUNTY_OVERRIDES:
                keys.append(SettingKey(f"{key}.<县区>.<设置项>", f"{info.description}; 设置项同 county_defaults",
                                       yaml_text(value)))
                continue
            keys.append(SettingKey(key, ": ".join(said), yaml_text(value)))
            if isinstance(value, dict):
                entry = (*meaning, (info.description or name).split(", 如")[0])
                keys.extend(SettingKey(f"{key}.{k}", ": ".join((*entry, CATEGORY_LABELS.get(k, k))), yaml_text(v))
                            for k, v in value.items())

    walk(scenario, "", ())
    city_teams = scenario.teams_of(CITY)
    for name, info in Team.model_fields.items():
        if name == "id":
            continue
        current = "见巡察组表"
        if info.annotation is int:
            current = "市级 " + ", ".join(f"{t.id}={getattr(t, name)}" for t in city_teams)
        keys.append(SettingKey(f"teams.<编号>.{name}", f"巡察组: {info.description}", current))
    for name, info in Target.model_fields.items():
        if name != "id":
            keys.append(SettingKey(f"targets.<编号>.{name}", f"巡察对象: {info.description}", "见巡察对象表"))
    return keys
