"""The rows of a scenario's tables: a unit to inspect (``targets``), an inspection team
(``teams``), a decision of the office the plan must keep (``fixed``) and a unit the audit
office audits in a year (``audits``). Each row is checked on its own here; checks that span
rows or tables are in :mod:`planner.validation`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Any

from pydantic import Field, field_validator, model_validator

from planner.vocabulary import CATEGORIES, MAX_ID_CHARS, Count, Frozen, Id, Level, Name


class Target(Frozen):
    id: Id = Field(description="编号, 全表唯一, 如 C-GD05")
    name: Name = Field(min_length=1, description="单位全称")
    level: Level = Field(description="市级 (由市委巡察) 或 县级 (由县区委巡察, 提级的除外)")
    county: Name = Field("", description="所属县区; 县级单位和县(区)必填")
    category: str = Field(max_length=MAX_ID_CHARS, description="单位类别")
    sector: Name = Field("", description="所属系统 (如 教育、水利), 用于上下联动")
    effort: int = Field(1, ge=1, le=10, description="工作量: 占一个组一轮能力的几份; 县(区)、巡镇带村为 3")
    risk: int = Field(3, ge=1, le=5, description="风险 1-5, 越高越早巡察")
    last_inspected: dt.date | None = Field(None, description="上次巡察日期 (YYYY-MM-DD)")
    town: Name = Field("", description="村(社区)所属镇办的编号")
    elevated: bool = Field(False, description="由市委提级巡察 (是/否)")
    follow_up: bool = Field(False, description="计划巡察“回头看” (是/否)")
    avoid_teams: tuple[Id, ...] = Field((), description="须回避的巡察组编号, 多个用顿号或逗号分隔")

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"未知类别 '{value}', 应为: {', '.join(CATEGORIES)}")
        return value


class Team(Frozen):
    id: Id = Field(description="编号, 如 C1")
    name: Name = Field(min_length=1, description="巡察组名称")
    level: Level = Field(description="市级 (市委巡察组) 或 县级 (县区委巡察组)")
    county: Name = Field("", description="所属县区; 县级巡察组必填")
    leader_posts: Count = Field(1, description="组长编制数")
    leader_filled: Count = Field(0, description="组长在编人数")
    deputy_posts: Count = Field(1, description="副组长编制数")
    deputy_filled: Count = Field(0, description="副组长在编人数")
    liaison_posts: Count = Field(1, description="联络员编制数")
    liaison_filled: Count = Field(0, description="联络员在编人数")

    @model_validator(mode="after")
    def _filled_within_posts(self) -> Team:
        for role in ("leader", "deputy", "liaison"):
            if getattr(self, f"{role}_filled") > getattr(self, f"{role}_posts"):
                raise ValueError(f"{role}_filled (在编) 超过 {role}_posts (编制)")
        return self

    @property
    def posts(self) -> int:
        return self.leader_posts + self.deputy_posts + self.liaison_posts

    @property
    def filled(self) -> int:
        return self.leader_filled + self.deputy_filled + self.liaison_filled

    @property
    def has_leader(self) -> bool:
        return self.leader_filled > 0


class DecisionKind(str, Enum):
    """What a fixed decision (锁定事项) of the office says."""

    YEAR = "year"  # a unit in a year, or a range of years
    ROUND = "round"  # a unit in round N (第N轮)
    TEAM = "team"  # a unit inspected by a team
    NOT_BEFORE = "not_before"  # a unit's on-site work starts on or after a date
    NOT_AFTER = "not_after"  # a unit's on-site work ends on or before a date
    UNAVAILABLE = "unavailable"  # a team away for a period (借调省委巡视, 培训)
    SAME_ROUND = "same_round"  # two units in the same round
    DIFFERENT_ROUND = "different_round"  # two units in different rounds
    DIFFERENT_TEAM = "different_team"  # two units inspected by different teams


DECISION_LABELS = {
    DecisionKind.YEAR: "定年度",
    DecisionKind.ROUND: "定轮次",
    DecisionKind.TEAM: "定巡察组",
    DecisionKind.NOT_BEFORE: "不早于",
    DecisionKind.NOT_AFTER: "不晚于",
    DecisionKind.UNAVAILABLE: "巡察组不可用",
    DecisionKind.SAME_ROUND: "同轮巡察",
    DecisionKind.DIFFERENT_ROUND: "不同轮巡察",
    DecisionKind.DIFFERENT_TEAM: "不同组巡察",
}

# The cells each kind of decision fills in; every other cell stays empty, so that nothing written is ignored.
DECISION_FIELDS = {
    DecisionKind.YEAR: ("target", "year"),
    DecisionKind.ROUND: ("target", "round"),
    DecisionKind.TEAM: ("target", "team"),
    DecisionKind.NOT_BEFORE: ("target", "start"),
    DecisionKind.NOT_AFTER: ("target", "end"),
    DecisionKind.UNAVAILABLE: ("team", "start", "end"),
    DecisionKind.SAME_ROUND: ("target", "other"),
    DecisionKind.DIFFERENT_ROUND: ("target", "other"),
    DecisionKind.DIFFERENT_TEAM: ("target", "other"),
}
PAIR_DECISIONS = (DecisionKind.SAME_ROUND, DecisionKind.DIFFERENT_ROUND, DecisionKind.DIFFERENT_TEAM)


class FixedDecision(Frozen):
    """One decision of the office the plan must keep (锁定事项): a row of ``fixed.csv``.

    Decisions about a unit bind its regular round (常规巡察), not its 回头看.
    """

    kind: DecisionKind = Field(description="锁定类型: 定年度、定轮次、定巡察组、不早于、不晚于、巡察组不可用、同轮巡察、不同轮巡察、不同组巡察")
    target: str = Field("", description="单位的编号或全称")
    other: str = Field("", description="另一单位的编号或全称 (同轮、不同轮、不同组)")
    team: str = Field("", description="巡察组的编号或名称 (定巡察组、巡察组不可用)")
    year: tuple[int, int] | None = Field(None, description="年度, 如 2027, 或年度范围 2027-2028")
    round: int | None = Field(None, ge=1, description="轮次, 如 3 或 第3轮")
    start: dt.date | None = Field(None, description="开始日期: 不早于此日进驻; 巡察组自此日不可用")
    end: dt.date | None = Field(None, description="结束日期: 不晚于此日结束进驻; 巡察组至此日不可用")
    note: str = Field("", description="说明, 如 书记专题会议定、借调省委巡视")

    @field_validator("year", mode="before")
    @classmethod
    def _years(cls, value: Any) -> Any:
        """2027, '2027', '2027年', '2027-2028', '2027至2028年' -> (first, last)."""
        if isinstance(value, int):
            return (value, value)
        if isinstance(value, str):
            parts = [p for p in re.split(r"\s*(?:-|~|～|至|到|—)\s*", value.strip().replace("年", "")) if p]
            if not value.strip():
                return None
            if 1 <= len(parts) <= 2 and all(p.isdigit() for p in parts):
                return (int(parts[0]), int(parts[-1]))
            raise ValueError(f"年度应写作 2027 或 2027-2028 (填写为 '{value}')")
        return value

    @field_validator("round", mode="before")
    @classmethod
    def _round_number(cls, value: Any) -> Any:
        """'第3轮' -> 3."""
        if isinstance(value, str) and (found := re.fullmatch(r"\s*第?\s*(\d+)\s*轮?\s*", value)):
            return int(found.group(1))
        return value

    @model_validator(mode="after")
    def _cells_of_kind(self) -> FixedDecision:
        wanted = DECISION_FIELDS[self.kind]
        label = DECISION_LABELS[self.kind]
        for name in ("target", "other", "team", "year", "round", "start", "end"):
            given = getattr(self, name) not in (None, "")
            if name in wanted and not given:
                raise ValueError(f"{name}: “{label}”须填写此项")
            if name not in wanted and given:
                raise ValueError(f"{name}: “{label}”不填此项 (应填写: {', '.join(wanted)})")
        if self.year is not None and self.year[1] < self.year[0]:
            raise ValueError(f"year: 年度范围 {self.year[0]}-{self.year[1]} 先后颠倒")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end: 结束日期 {self.end} 早于开始日期 {self.start}")
        if self.kind in PAIR_DECISIONS and self.target == self.other:
            raise ValueError(f"other: 另一单位与单位相同 ('{self.other}')")
        return self

    @property
    def units(self) -> tuple[str, ...]:
        """The targets the decision names."""
        return tuple(t for t in (self.target, self.other) if t)


class Audit(Frozen):
    """One unit the audit office plans to audit in a year (巡审联动: 审计计划)."""

    unit: str = Field(min_length=1, description="单位编号")
    year: int = Field(description="审计年度")
